// qat.fake_quant numerics, evaluated by the reference interpreter (the op
// has no constant folder): binary32 ties, NaN, clamping, zero points, per
// channel scales, f16 and the n-hot encoding. Floats are compared bit for
// bit through arith.bitcast where printing would round.

// RUN: potq-run %s --print | FileCheck %s

// pot<3> levels {0, ±1, ±2, ±4}, scales per column [0.1, 0.2, 0.5]:
// 0.15 / 0.1 = 1.5 in binary32, a tie to the smaller magnitude (1 -> 0.1);
// -0.3 / 0.2 = -1.5 -> -1 -> -0.2; 5 clamps to 4 (0.4); 0.35 -> 0; NaN -> 0.
// 0.1f and 0.2f are 1036831949 and 1045220557 as bits.
// CHECK: result 0: tensor<2x3xi32> = {{\[\[}}1036831949, -1102263091, 1065353216], [1053609165, 0, 0]]
// uniform<bits = 4, unsigned>, Z = 8, s = 0.5: 1.25 / 0.5 = 2.5, a tie
// between 10 and 11 -> 10 (nearer Z) -> 1; -10 clamps to level 0 -> -4;
// +inf clamps to 15 -> 3.5.
// CHECK: result 1: tensor<3xf32> = [1, -4, 3.5]
// nhot<terms = 2, max_exp = 4> in f32, s = 0.13, as bits.
// CHECK: result 2: tensor<8xi32> = [1048911544, -1075251774, 1074622628, 0, 0, 1082465976, -1065017672, 1059481190]
// uniform<bits = 6> in f16 (0x7E00 is NaN), s = 0.13, as bits.
// CHECK: result 3: tensor<8xi16> = [13353, -16701, 16492, 0, 0, 17416, -15319, 14643]
// apot<4> with per-column scales [0.07, 0.3], as bits.
// CHECK: result 4: tensor<4x2xi32> = {{\[\[}}0, -1097229926], [1057971241, 0], [0, 1067030938], [1049582633, 0]]
func.func @main() -> (tensor<2x3xi32>, tensor<3xf32>, tensor<8xi32>, tensor<8xi16>, tensor<4x2xi32>) {
  %w = arith.constant dense<[[0.15, -0.3, 1.0], [0.5, 0.07, 0x7FC00000]]> : tensor<2x3xf32>
  %sw = arith.constant dense<[0.1, 0.2, 0.5]> : tensor<3xf32>
  %0 = qat.fake_quant %w, %sw {encoding = #potq.pot<bits = 3>, axis = 1 : i64, estimator = #qat.estimator<lsq>} : tensor<2x3xf32>, tensor<3xf32>
  %b0 = arith.bitcast %0 : tensor<2x3xf32> to tensor<2x3xi32>
  %z = arith.constant dense<[1.25, -10.0, 0x7F800000]> : tensor<3xf32>
  %sz = arith.constant dense<0.5> : tensor<f32>
  %1 = qat.fake_quant %z, %sz {encoding = #potq.uniform<bits = 4, unsigned>, zero_point = 8 : i64} : tensor<3xf32>, tensor<f32>
  %x = arith.constant dense<[0.3, -1.7, 2.25, 0x7FC00000, -0.03125, 5.9, -100.0, 0.71]> : tensor<8xf32>
  %s = arith.constant dense<0.13> : tensor<f32>
  %fq = qat.fake_quant %x, %s {encoding = #potq.nhot<terms = 2, max_exp = 4>} : tensor<8xf32>, tensor<f32>
  %2 = arith.bitcast %fq : tensor<8xf32> to tensor<8xi32>
  %h = arith.constant dense<[0.3, -1.7, 2.25, 0x7E00, -0.03125, 5.9, -100.0, 0.71]> : tensor<8xf16>
  %fh = qat.fake_quant %h, %s {encoding = #potq.uniform<bits = 6>} : tensor<8xf16>, tensor<f32>
  %3 = arith.bitcast %fh : tensor<8xf16> to tensor<8xi16>
  %c = arith.constant dense<[[0.013, -0.2], [0.5, 0.045], [-0.0049, 1.33], [0.33, -0.07]]> : tensor<4x2xf32>
  %sc = arith.constant dense<[0.07, 0.3]> : tensor<2xf32>
  %fc = qat.fake_quant %c, %sc {encoding = #potq.apot<bits = 4>, axis = 1 : i64} : tensor<4x2xf32>, tensor<2xf32>
  %4 = arith.bitcast %fc : tensor<4x2xf32> to tensor<4x2xi32>
  return %b0, %1, %2, %3, %4 : tensor<2x3xi32>, tensor<3xf32>, tensor<8xi32>, tensor<8xi16>, tensor<4x2xi32>
}
