// potq-lower-to-llvm states the C ABI with potq-prepare-c-abi: public
// functions get a C interface wrapper, private functions none, and the
// compiled code never writes into an argument's buffer (the elementwise
// addf below once bufferized in place into %a).
// RUN: potq-opt %s --potq-lower-to-llvm | FileCheck %s
// RUN: potq-opt %s --potq-lower-to-llvm --mlir-print-ir-after=one-shot-bufferize -o /dev/null 2>&1 | FileCheck %s --check-prefix=BUF

// CHECK-DAG: llvm.func @add(
// CHECK-DAG: llvm.func @_mlir_ciface_add(
// CHECK-DAG: llvm.func @helper(
// CHECK-NOT: @_mlir_ciface_helper

// BUF-LABEL: func.func @add
// BUF: %[[ALLOC:.*]] = memref.alloc
// BUF: outs(%[[ALLOC]] : memref<16xf32>)
// A private function is no C interface: bufferized in place.
// BUF-LABEL: func.func private @helper
// BUF-SAME: (%[[H:[^:]*]]: memref<16xf32>)
// BUF: outs(%[[H]] : memref<16xf32>)
func.func @add(%a: tensor<16xf32>, %b: tensor<16xf32>) -> tensor<16xf32> {
  %s = arith.addf %a, %b : tensor<16xf32>
  %t = func.call @helper(%s) : (tensor<16xf32>) -> tensor<16xf32>
  return %t : tensor<16xf32>
}

func.func private @helper(%a: tensor<16xf32>) -> tensor<16xf32> {
  %s = arith.addf %a, %a : tensor<16xf32>
  return %s : tensor<16xf32>
}
