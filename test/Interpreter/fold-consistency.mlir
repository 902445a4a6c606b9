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
// FOLDED-NOT: arith.bitcast

// pot<4> projection (ties, NaN, clamping).
// CHECK-DAG: [4, -32, 32, 0, 0, 64, -64, 8]
// uniform quantize with a zero point, requantized with m = 0.05 / 0.3.
// CHECK-DAG: [1, -6, 7, 0, 0, 20, -21, 2]
// The dequantized values of that result, as binary32 bit patterns.
// CHECK-DAG: [1050253722, -1075419545, 1074161255, 0, 0, 1086324736, -1060529766, 1058642330]
// Per-channel apot<5> projection.
// CHECK-DAG: {{\[\[}}1, -6], [48, 2], [0, 48], [33, -2]]

!pot4 = !potq.q<#potq.pot<bits = 4>, f32, scale = 0.0625>
!u8 = !potq.q<#potq.uniform<bits = 8>, f32, scale = 0.05, zero_point = -3>
!y8 = !potq.q<#potq.uniform<bits = 8>, f32, scale = 0.3>
!apc = !potq.q<#potq.apot<bits = 5>, f32, axis = 1, scales = [0.01, 0.03]>
func.func @main() -> (tensor<8x!pot4>, tensor<8x!y8>, tensor<8xi32>, tensor<4x2x!apc>) {
  %x = arith.constant dense<[0.3, -1.7, 2.25, 0x7FC00000, -0.03125, 5.9, -100.0, 0.71]> : tensor<8xf32>
  %0 = potq.quantize %x : tensor<8xf32> -> tensor<8x!pot4>
  %q = potq.quantize %x : tensor<8xf32> -> tensor<8x!u8>
  %1 = potq.requantize %q : tensor<8x!u8> -> tensor<8x!y8>
  %d = potq.dequantize %1 : tensor<8x!y8> -> tensor<8xf32>
  %2 = arith.bitcast %d : tensor<8xf32> to tensor<8xi32>
  %w = arith.constant dense<[[0.013, -0.2], [0.5, 0.045], [-0.0049, 1.33], [0.33, -0.07]]> : tensor<4x2xf32>
  %3 = potq.quantize %w : tensor<4x2xf32> -> tensor<4x2x!apc>
  return %0, %1, %2, %3 : tensor<8x!pot4>, tensor<8x!y8>, tensor<8xi32>, tensor<4x2x!apc>
}
