// Zero-point padding of the convolutions by hand: padded positions read the
// input zero point Zx = 2, so they add (Zx - Zx) * w = 0. The interpreter,
// the shift-add loops (tensor.pad with Zx) and the runtime kernels
// (potq_conv2d_nhwc pads itself; depthwise keeps the loops) agree.
// RUN: potq-run %s --print | FileCheck %s
// RUN: potq-run %s --jit --pipeline='builtin.module(convert-potq-to-linalg)' --print | FileCheck %s
// RUN: potq-run %s --jit --pipeline='builtin.module(convert-potq-to-linalg{kernels=runtime})' --print | FileCheck %s

!x = !potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00, zero_point = 2>
!w = !potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e+00>

// x - Zx = [[-1, 0, 1], [2, 3, 4], [5, 6, 7]], filter [[1, 2], [4, -1]]
// (y = a[i][j] + 2 a[i][j+1] + 4 a[i+1][j] - a[i+1][j+1]).
//
// NHWC, padding [top 1, left 0, bottom 0, right 1], stride 1: the padded
// a = [[0, 0, 0, 0], [-1, 0, 1, 0], [2, 3, 4, 0], [5, 6, 7, 0]], 3x3 result.
// CHECK: result 0: tensor<1x3x3x1xi32> = {{\[\[\[}}[-4], [-1], [4]], {{\[\[}}4], [10], [17]], {{\[\[}}22], [28], [32]]]]
//
// NCHW, padding [1, 1, 0, 1], stride 2: the padded a is 4x5
// [[0, 0, 0, 0, 0], [0, -1, 0, 1, 0], [0, 2, 3, 4, 0], [0, 5, 6, 7, 0]];
// OH = (4 - 2) / 2 + 1 = 2, OW = (5 - 2) / 2 + 1 = 2.
// CHECK: result 1: tensor<1x1x2x2xi32> = {{\[\[\[}}[1, -1], [-1, 28]]]]
//
// Depthwise, padding [0, 1, 1, 0]: channel 0 as above on
// [[0, -1, 0, 1], [0, 2, 3, 4], [0, 5, 6, 7], [0, 0, 0, 0]]; channel 1 has
// x = 1 (a = -1, 0 where padded) and the filter [[-8, 0], [0, 64]].
// CHECK: result 2: tensor<1x3x3x2xi32> = {{\[\[\[}}[-4, -64], [4, -56], [10, -56]], {{\[\[}}-1, -64], [22, -56], [28, -56]], {{\[\[}}10, 0], [17, 8], [20, 8]]]]
func.func @main() -> (tensor<1x3x3x1xi32>, tensor<1x1x2x2xi32>, tensor<1x3x3x2xi32>) {
  %x = potq.constant dense<[[[[1], [2], [3]], [[4], [5], [6]], [[7], [8], [9]]]]> : tensor<1x3x3x1xi8> -> tensor<1x3x3x1x!x>
  %w = potq.constant dense<[[[[1]], [[2]]], [[[4]], [[-1]]]]> : tensor<2x2x1x1xi8> -> tensor<2x2x1x1x!w>
  %0 = potq.conv_2d_nhwc_hwcf %x, %w {padding = array<i64: 1, 0, 0, 1>} : tensor<1x3x3x1x!x>, tensor<2x2x1x1x!w> -> tensor<1x3x3x1xi32>

  %xc = potq.constant dense<[[[[1, 2, 3], [4, 5, 6], [7, 8, 9]]]]> : tensor<1x1x3x3xi8> -> tensor<1x1x3x3x!x>
  %wc = potq.constant dense<[[[[1, 2], [4, -1]]]]> : tensor<1x1x2x2xi8> -> tensor<1x1x2x2x!w>
  %1 = potq.conv_2d_nchw_fchw %xc, %wc {strides = array<i64: 2, 2>, padding = array<i64: 1, 1, 0, 1>} : tensor<1x1x3x3x!x>, tensor<1x1x2x2x!w> -> tensor<1x1x2x2xi32>

  %xd = potq.constant dense<[[[[1, 1], [2, 1], [3, 1]], [[4, 1], [5, 1], [6, 1]], [[7, 1], [8, 1], [9, 1]]]]> : tensor<1x3x3x2xi8> -> tensor<1x3x3x2x!x>
  %wd = potq.constant dense<[[[1, -8], [2, 0]], [[4, 0], [-1, 64]]]> : tensor<2x2x2xi8> -> tensor<2x2x2x!w>
  %2 = potq.depthwise_conv_2d_nhwc_hwc %xd, %wd {padding = array<i64: 0, 1, 1, 0>} : tensor<1x3x3x2x!x>, tensor<2x2x2x!w> -> tensor<1x3x3x2xi32>
  return %0, %1, %2 : tensor<1x3x3x1xi32>, tensor<1x1x2x2xi32>, tensor<1x3x3x2xi32>
}
