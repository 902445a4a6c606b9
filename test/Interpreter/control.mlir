// func.call, scf.for and scf.if.

// RUN: potq-run %s --print | FileCheck %s
// RUN: not potq-run %s --entry=recursion 2>&1 | FileCheck %s --check-prefix=RECURSION
// RUN: not potq-run %s --entry=dynamic_mismatch 2>&1 | FileCheck %s --check-prefix=MISMATCH

// Σ_{i=0..4} i = 10 with scf.for carrying a tensor; a call doubles it; an
// scf.if picks a branch.
// CHECK: result 0: tensor<2xi32> = [20, 20]
// CHECK: result 1: i32 = -1
func.func @main() -> (tensor<2xi32>, i32) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c5 = arith.constant 5 : index
  %init = arith.constant dense<0> : tensor<2xi32>
  %sum = scf.for %i = %c0 to %c5 step %c1 iter_args(%acc = %init) -> tensor<2xi32> {
    %v = arith.index_cast %i : index to i32
    %s = tensor.splat %v : tensor<2xi32>
    %next = arith.addi %acc, %s : tensor<2xi32>
    scf.yield %next : tensor<2xi32>
  }
  %0 = func.call @double(%sum) : (tensor<2xi32>) -> tensor<2xi32>
  %false = arith.constant false
  %1 = scf.if %false -> i32 {
    %a = arith.constant 1 : i32
    scf.yield %a : i32
  } else {
    %b = arith.constant -1 : i32
    scf.yield %b : i32
  }
  return %0, %1 : tensor<2xi32>, i32
}

func.func private @double(%x: tensor<2xi32>) -> tensor<2xi32> {
  %0 = arith.addi %x, %x : tensor<2xi32>
  return %0 : tensor<2xi32>
}

// Unbounded recursion is cut off instead of overflowing the stack.
// RECURSION: error: call depth exceeds 64 (recursion is limited)
func.func @recursion() -> i32 {
  %0 = func.call @recursion() : () -> i32
  return %0 : i32
}

// Dynamic shapes that disagree at runtime are reported by the linalg op.
// MISMATCH: error: 'linalg.generic' op operand #1 has size 2 in dimension 0 but loop d0 has extent 3
func.func @dynamic_mismatch() -> tensor<?xf32> {
  %a = arith.constant dense<[1.0, 2.0, 3.0]> : tensor<3xf32>
  %b = arith.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %da = tensor.cast %a : tensor<3xf32> to tensor<?xf32>
  %db = tensor.cast %b : tensor<2xf32> to tensor<?xf32>
  %0 = linalg.generic {indexing_maps = [affine_map<(i) -> (i)>, affine_map<(i) -> (i)>],
                       iterator_types = ["parallel"]}
      ins(%da : tensor<?xf32>) outs(%db : tensor<?xf32>) {
  ^bb0(%x: f32, %out: f32):
    linalg.yield %x : f32
  } -> tensor<?xf32>
  return %0 : tensor<?xf32>
}

// An indexing map that reads past the end of a dynamically shaped operand.
// RUN: not potq-run %s --entry=out_of_bounds 2>&1 | FileCheck %s --check-prefix=OOB
// OOB: error: 'linalg.generic' op indexing map #0 affine_map<(d0) -> (d0 + 1)> accesses [1, 3] in dimension 0 of operand #0 of shape [3] (out of bounds)
func.func @out_of_bounds() -> tensor<3xf32> {
  %a = arith.constant dense<[1.0, 2.0, 3.0]> : tensor<3xf32>
  %da = tensor.cast %a : tensor<3xf32> to tensor<?xf32>
  %e = tensor.empty() : tensor<3xf32>
  %0 = linalg.generic {indexing_maps = [affine_map<(i) -> (i + 1)>, affine_map<(i) -> (i)>],
                       iterator_types = ["parallel"]}
      ins(%da : tensor<?xf32>) outs(%e : tensor<3xf32>) {
  ^bb0(%x: f32, %out: f32):
    linalg.yield %x : f32
  } -> tensor<3xf32>
  return %0 : tensor<3xf32>
}
