// potq.max_pool_2d_nhwc on levels, checked by hand, and the same IR
// compiled through the lowering (pooling on storage integers, unsigned for
// unsigned encodings) gives the same levels.
// RUN: potq-run %s --print | FileCheck %s
// RUN: potq-run %s --jit --pipeline='builtin.module(convert-potq-to-linalg)' --print | FileCheck %s

!u8 = !potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 1.0e+00>
!pot = !potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e+00>

// Input (one channel), 4x4:
//   [  1, 200,   3,   4]
//   [  5,   6, 255,   8]
//   [  9,  10,  11,  12]
//   [ 13,  14,  15, 128]
// 2x2 windows with stride 2: 200, 255, 14, 128. The unsigned levels above
// 127 would lose to small ones if compared as signed i8.
// CHECK: result 0: {{.*}} = {{\[\[\[}}[200], [255]], {{\[\[}}14], [128]]]]
// POT levels with stride 1 and dilation 2 (3x3 -> 2x2 over a 4x4 input):
// window top-left picks max of rows {0,2} x cols {0,2}.
// CHECK: result 1: {{.*}} = {{\[\[\[}}[4], [2]], {{\[\[}}-1], [1]]]]
func.func @main() -> (tensor<1x2x2x1x!u8>, tensor<1x2x2x1x!pot>) {
  %x = potq.constant dense<[[[[1], [-56], [3], [4]], [[5], [6], [-1], [8]], [[9], [10], [11], [12]], [[13], [14], [15], [-128]]]]> : tensor<1x4x4x1xi8> -> tensor<1x4x4x1x!u8>
  %y = potq.max_pool_2d_nhwc %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x4x4x1x!u8> -> tensor<1x2x2x1x!u8>
  %p = potq.constant dense<[[[[-8], [1], [4], [2]], [[-1], [0], [-2], [-4]], [[-16], [-2], [-1], [-64]], [[-64], [1], [-32], [-1]]]]> : tensor<1x4x4x1xi8> -> tensor<1x4x4x1x!pot>
  %z = potq.max_pool_2d_nhwc %p {kernel = array<i64: 2, 2>, dilations = array<i64: 2, 2>} : tensor<1x4x4x1x!pot> -> tensor<1x2x2x1x!pot>
  return %y, %z : tensor<1x2x2x1x!u8>, tensor<1x2x2x1x!pot>
}
