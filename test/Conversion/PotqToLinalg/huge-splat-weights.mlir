// Issue 10 E: the shift-add lowering turns a splat weight into splat
// exponent/sign planes instead of expanding 2^33 elements; kernels=runtime,
// which must pack every element, keeps the loops for it.
// RUN: potq-opt %s --convert-potq-to-linalg | FileCheck %s
// RUN: potq-opt %s --convert-potq-to-linalg="kernels=runtime report-kernels" 2>&1 | FileCheck %s --check-prefix=RUNTIME

!x = tensor<1x4294967296x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>
!w = tensor<4294967296x2x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e+00>>

// -4 = -(x << 2).
// CHECK-LABEL: func.func @splat
// CHECK-DAG: arith.constant dense<2> : tensor<4294967296x2xi8>
// CHECK-DAG: arith.constant dense<-1> : tensor<4294967296x2xi8>
// CHECK: linalg.generic
// RUNTIME: remark: contraction keeps the shift-add loops: weight of 8589934592 elements is too large to pack
func.func @splat(%x: !x) -> tensor<1x2xi32> {
  %w = potq.constant dense<-4> : tensor<4294967296x2xi8> -> !w
  %y = potq.matmul %x, %w : !x, !w -> tensor<1x2xi32>
  return %y : tensor<1x2xi32>
}
