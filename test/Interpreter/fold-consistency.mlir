// Consistency between the constant folders and the interpreter: the same
// constant computation is folded by `potq-opt --canonicalize` and
// interpreted by `potq-run` from the unfolded IR, and both outputs must
// contain the same values. Floats are compared bit for bit through
// arith.bitcast to integers (both tools print integers the same way).

// RUN: potq-opt --canonicalize %s | FileCheck %s
// RUN: potq-run --print %s | FileCheck %s

// The folded module has no potq/qat computation left.
// RUN: potq-opt --canonicalize %s | FileCheck %s --check-prefix=FOLDED
// FOLDED-NOT: potq.quantize
// FOLDED-NOT: potq.requantize
// FOLDED-NOT: potq.dequantize
// FOLDED-NOT: qat.fake_quant
// FOLDED-NOT: arith.bitcast

// pot<4> projection (ties, NaN, clamping).
// CHECK-DAG: [4, -32, 32, 0, 0, 64, -64, 8]
// uniform quantize with a zero point, requantized with m = 0.05 / 0.3.
// CHECK-DAG: [1, -6, 7, 0, 0, 20, -21, 2]
// The dequantized values of that result, as binary32 bit patterns.
// CHECK-DAG: [1050253722, -1075419545, 1074161255, 0, 0, 1086324736, -1060529766, 1058642330]
// Per-channel apot<5> projection.
// CHECK-DAG: {{\[\[}}1, -6], [48, 2], [0, 48], [33, -2]]
// fake_quant nhot<2, 4> in f32, apot<4> per channel, uniform<6> in f16.
// CHECK-DAG: [1048911544, -1075251774, 1074622628, 0, 0, 1082465976, -1065017672, 1059481190]
// CHECK-DAG: {{\[\[}}0, -1097229926], [1057971241, 0], [0, 1067030938], [1049582633, 0]]
// CHECK-DAG: [13353, -16701, 16492, 0, 0, 17416, -15319, 14643]

!pot4 = !potq.q<#potq.pot<bits = 4>, f32, scale = 0.0625>
!u8 = !potq.q<#potq.uniform<bits = 8>, f32, scale = 0.05, zero_point = -3>
!y8 = !potq.q<#potq.uniform<bits = 8>, f32, scale = 0.3>
!apc = !potq.q<#potq.apot<bits = 5>, f32, axis = 1, scales = [0.01, 0.03]>
func.func @main() -> (tensor<8x!pot4>, tensor<8x!y8>, tensor<8xi32>, tensor<4x2x!apc>, tensor<8xi32>, tensor<8xi16>, tensor<4x2xi32>) {
  %x = arith.constant dense<[0.3, -1.7, 2.25, 0x7FC00000, -0.03125, 5.9, -100.0, 0.71]> : tensor<8xf32>
  %0 = potq.quantize %x : tensor<8xf32> -> tensor<8x!pot4>
  %q = potq.quantize %x : tensor<8xf32> -> tensor<8x!u8>
  %1 = potq.requantize %q : tensor<8x!u8> -> tensor<8x!y8>
  %d = potq.dequantize %1 : tensor<8x!y8> -> tensor<8xf32>
  %2 = arith.bitcast %d : tensor<8xf32> to tensor<8xi32>
  %w = arith.constant dense<[[0.013, -0.2], [0.5, 0.045], [-0.0049, 1.33], [0.33, -0.07]]> : tensor<4x2xf32>
  %3 = potq.quantize %w : tensor<4x2xf32> -> tensor<4x2x!apc>
  %s = arith.constant dense<0.13> : tensor<f32>
  %fq = qat.fake_quant %x, %s {encoding = #potq.nhot<terms = 2, max_exp = 4>} : tensor<8xf32>, tensor<f32>
  %4 = arith.bitcast %fq : tensor<8xf32> to tensor<8xi32>
  %h = arith.constant dense<[0.3, -1.7, 2.25, 0x7E00, -0.03125, 5.9, -100.0, 0.71]> : tensor<8xf16>
  %fh = qat.fake_quant %h, %s {encoding = #potq.uniform<bits = 6>} : tensor<8xf16>, tensor<f32>
  %5 = arith.bitcast %fh : tensor<8xf16> to tensor<8xi16>
  %sc = arith.constant dense<[0.07, 0.3]> : tensor<2xf32>
  %fc = qat.fake_quant %w, %sc {encoding = #potq.apot<bits = 4>, axis = 1 : i64} : tensor<4x2xf32>, tensor<2xf32>
  %6 = arith.bitcast %fc : tensor<4x2xf32> to tensor<4x2xi32>
  return %0, %1, %2, %3, %4, %5, %6 : tensor<8x!pot4>, tensor<8x!y8>, tensor<8xi32>, tensor<4x2x!apc>, tensor<8xi32>, tensor<8xi16>, tensor<4x2xi32>
}
