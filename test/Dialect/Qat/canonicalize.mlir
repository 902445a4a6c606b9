// RUN: potq-opt %s -split-input-file -canonicalize | FileCheck %s

// Constant input and scale fold to the fake-quantized values (SPEC 4 then
// s * (L - Z)): pot<bits = 3> levels {0, ±1, ±2, ±4}, per channel.
// 0.15 / 0.1 = 1.5 in binary32: a tie, to the smaller magnitude (1 -> 0.1);
// -0.3 / 0.2 = -1.5 -> -1 -> -0.2; 5 clamps to 4 (0.4); 0.35 -> 0;
// NaN -> 0.
// CHECK-LABEL: func.func @fold_per_channel
// CHECK: %[[C:.*]] = arith.constant dense<{{\[}}[1.000000e-01, -2.000000e-01, 1.000000e+00], [4.000000e-01, 0.000000e+00, 0.000000e+00]]> : tensor<2x3xf32>
// CHECK-NEXT: return %[[C]]
func.func @fold_per_channel() -> tensor<2x3xf32> {
  %w = arith.constant dense<[[0.15, -0.3, 1.0], [0.5, 0.07, 0x7FC00000]]> : tensor<2x3xf32>
  %s = arith.constant dense<[0.1, 0.2, 0.5]> : tensor<3xf32>
  %y = qat.fake_quant %w, %s {encoding = #potq.pot<bits = 3>, axis = 1 : i64, estimator = #qat.estimator<lsq>} : tensor<2x3xf32>, tensor<3xf32>
  return %y : tensor<2x3xf32>
}

// -----

// Zero point: uniform<bits = 4, unsigned> with Z = 8, scale 0.5: 1.25 / 0.5
// = 2.5 is a tie between 10 and 11 -> 10 (nearer Z) -> 1.0; -10 clamps to
// level 0 -> -4.0; +inf clamps to 15 -> 3.5.
// CHECK-LABEL: func.func @fold_zero_point
// CHECK: arith.constant dense<[1.000000e+00, -4.000000e+00, 3.500000e+00]> : tensor<3xf32>
func.func @fold_zero_point() -> tensor<3xf32> {
  %x = arith.constant dense<[1.25, -10.0, 0x7F800000]> : tensor<3xf32>
  %s = arith.constant dense<0.5> : tensor<f32>
  %y = qat.fake_quant %x, %s {encoding = #potq.uniform<bits = 4, unsigned>, zero_point = 8 : i64} : tensor<3xf32>, tensor<f32>
  return %y : tensor<3xf32>
}

// -----

// A non-positive scale is not folded (freezing reports it with context).
// CHECK-LABEL: func.func @no_fold_bad_scale
// CHECK: qat.fake_quant
func.func @no_fold_bad_scale() -> tensor<2xf32> {
  %x = arith.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %s = arith.constant dense<-1.0> : tensor<f32>
  %y = qat.fake_quant %x, %s {encoding = #potq.pot<bits = 4>} : tensor<2xf32>, tensor<f32>
  return %y : tensor<2xf32>
}

// -----

// Non-constant input: nothing to fold.
// CHECK-LABEL: func.func @no_fold_argument
// CHECK: qat.fake_quant
func.func @no_fold_argument(%x: tensor<2xf32>) -> tensor<2xf32> {
  %s = arith.constant dense<1.0> : tensor<f32>
  %y = qat.fake_quant %x, %s {encoding = #potq.pot<bits = 4>} : tensor<2xf32>, tensor<f32>
  return %y : tensor<2xf32>
}
