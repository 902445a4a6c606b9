// potq.avg_pool_2d_nhwc by hand, in the interpreter and compiled.
// RUN: potq-run %s --print | FileCheck %s
// RUN: potq-run %s --jit --pipeline='builtin.module(convert-potq-to-linalg)' --print | FileCheck %s

// One channel, 2x2 windows, stride 2, input zero point 10, scales equal:
// m = 1 / 4. Windows (levels - 10): [1, 2, 3, 4] -> 10 / 4 = 2.5 -> 3
// (round half up); [0, 0, 0, 1] -> 0.25 -> 0; [-2, -2, -2, -1] -> -1.75 ->
// -2; [5, 5, 5, 5] -> 5. Result zero point -1.
// CHECK: result 0: {{.*}} = {{\[\[\[}}[2], [-1]], {{\[\[}}-3], [4]]]]
!x = !potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00, zero_point = 10>
!y = !potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00, zero_point = -1>
func.func @main() -> tensor<1x2x2x1x!y> {
  %x = potq.constant dense<[[[[11], [12], [10], [10]], [[13], [14], [10], [11]], [[8], [8], [15], [15]], [[8], [9], [15], [15]]]]> : tensor<1x4x4x1xi8> -> tensor<1x4x4x1x!x>
  %y = potq.avg_pool_2d_nhwc %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x4x4x1x!x> -> tensor<1x2x2x1x!y>
  return %y : tensor<1x2x2x1x!y>
}
