// qat.fake_quant: s * (P(x) - Z) with the projection P of SPEC section 4,
// computed in binary32 and rounded to the element type.

// RUN: potq-run %s --print | FileCheck %s

// apot<4> (±{0,1,2,3,4,6,8,10}), s = 0.5: 2.4 -> 4 -> 2; 2.5 -> tie -> 4 -> 2;
// -3.5 -> -7, tie -> -6 -> -3; 6 -> 10 (clamp) -> 5; NaN -> 0.
// CHECK: result 0: tensor<5xf32> = [2, 2, -3, 5, 0]
// Per channel (axis 0, scales [1, 0.25]) pot<3> (±{0,1,2,4}): row 0: 3 ->
// tie -> 2, -5 -> -4; row 1: 0.3 / 0.25 = 1.20000005 -> 1 -> 0.25, 2 / 0.25
// = 8 -> 4 -> 1.
// CHECK: result 1: tensor<2x2xf32> = {{\[\[}}2, -4], [0.25, 1]]
// unsigned uniform, s = 0.5, Z = 128: 0.25 -> 128.5, tie -> 128 -> 0;
// 0.75 -> 129.5, tie -> 129 -> 0.5; -64.5 -> -1 -> 0 (clamp) -> -64;
// 100 -> 328 -> 255 -> 63.5.
// CHECK: result 2: tensor<4xf32> = [0, 0.5, -64, 63.5]
// f16 input 0.3 is 0.300048828; / 0.1 = 3.00048828 -> 3; 3 * 0.1f =
// 0.300000012 rounds back to the f16 0.300048828.
// CHECK: result 3: tensor<2xf16> = [0.300048828, -0.5]
func.func @main() -> (tensor<5xf32>, tensor<2x2xf32>, tensor<4xf32>, tensor<2xf16>) {
  %x = arith.constant dense<[2.4, 2.5, -3.5, 6.0, 0x7FC00000]> : tensor<5xf32>
  %s = arith.constant dense<0.5> : tensor<f32>
  %0 = qat.fake_quant %x, %s {encoding = #potq.apot<bits = 4>, estimator = #qat.estimator<lsq>}
      : tensor<5xf32>, tensor<f32>
  %y = arith.constant dense<[[3.0, -5.0], [0.3, 2.0]]> : tensor<2x2xf32>
  %sc = arith.constant dense<[1.0, 0.25]> : tensor<2xf32>
  %1 = qat.fake_quant %y, %sc {encoding = #potq.pot<bits = 3>, axis = 0 : i64} : tensor<2x2xf32>, tensor<2xf32>
  %z = arith.constant dense<[0.25, 0.75, -64.5, 100.0]> : tensor<4xf32>
  %s1 = arith.constant dense<0.5> : tensor<1xf32>
  %2 = qat.fake_quant %z, %s1 {encoding = #potq.uniform<bits = 8, unsigned>, zero_point = 128 : i64}
      : tensor<4xf32>, tensor<1xf32>
  %h = arith.constant dense<[0.3, -0.5]> : tensor<2xf16>
  %s2 = arith.constant dense<0.1> : tensor<f32>
  %3 = qat.fake_quant %h, %s2 {encoding = #potq.uniform<bits = 8>} : tensor<2xf16>, tensor<f32>
  return %0, %1, %2, %3 : tensor<5xf32>, tensor<2x2xf32>, tensor<4xf32>, tensor<2xf16>
}
