// potq.depthwise_conv_2d_nhwc_hwc by hand, in the interpreter and compiled.
// RUN: potq-run %s --print | FileCheck %s
// RUN: potq-run %s --jit --pipeline='builtin.module(convert-potq-to-linalg)' --print | FileCheck %s

// x (one channel) = [[1, 2, 3], [4, 5, 6], [7, 8, 9]], filter [[1, 2], [4, -1]]:
//   1*1 + 2*2 + 4*4 - 5 = 16,  2 + 6 + 20 - 6 = 22,
//   4 + 10 + 28 - 8 = 34,      5 + 12 + 32 - 9 = 40.
// The second channel (x = 1 everywhere, filter [[-8, 0], [0, 64]]) gives 56.
// CHECK: result 0: tensor<1x2x2x2xi32> = {{\[\[\[}}[16, 56], [22, 56]], {{\[\[}}34, 56], [40, 56]]]]
func.func @main() -> tensor<1x2x2x2xi32> {
  %x = potq.constant dense<[[[[1, 1], [2, 1], [3, 1]], [[4, 1], [5, 1], [6, 1]], [[7, 1], [8, 1], [9, 1]]]]> : tensor<1x3x3x2xi8> -> tensor<1x3x3x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>
  %w = potq.constant dense<[[[1, -8], [2, 0]], [[4, 0], [-1, 64]]]> : tensor<2x2x2xi8> -> tensor<2x2x2x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e+00>>
  %y = potq.depthwise_conv_2d_nhwc_hwc %x, %w : tensor<1x3x3x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>, tensor<2x2x2x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e+00>> -> tensor<1x2x2x2xi32>
  return %y : tensor<1x2x2x2xi32>
}
