// RUN: potq-opt %s -split-input-file -canonicalize | FileCheck %s

// qat.fake_quant has no constant folder: a fake-quantized constant weight
// keeps its quantization through canonicalization, so that
// convert-qat-to-potq still sees it (the numerics are tested through the
// interpreter, test/Interpreter/qat-fake-quant.mlir).
// CHECK-LABEL: func.func @constant_weight_kept
// CHECK-DAG: %[[W:.*]] = arith.constant dense<{{\[}}[1.500000e-01, -3.000000e-01, 1.000000e+00], [5.000000e-01, 7.000000e-02, 0x7FC00000]]> : tensor<2x3xf32>
// CHECK-DAG: %[[S:.*]] = arith.constant dense<[1.000000e-01, 2.000000e-01, 5.000000e-01]> : tensor<3xf32>
// CHECK: %[[Y:.*]] = qat.fake_quant %[[W]], %[[S]] {axis = 1 : i64, encoding = #potq.pot<bits = 3>, estimator = #qat.estimator<lsq>}
// CHECK-NEXT: return %[[Y]]
func.func @constant_weight_kept() -> tensor<2x3xf32> {
  %w = arith.constant dense<[[0.15, -0.3, 1.0], [0.5, 0.07, 0x7FC00000]]> : tensor<2x3xf32>
  %s = arith.constant dense<[0.1, 0.2, 0.5]> : tensor<3xf32>
  %y = qat.fake_quant %w, %s {encoding = #potq.pot<bits = 3>, axis = 1 : i64, estimator = #qat.estimator<lsq>} : tensor<2x3xf32>, tensor<3xf32>
  return %y : tensor<2x3xf32>
}

// -----

// Splats and zero points are kept as well.
// CHECK-LABEL: func.func @splat_zero_point_kept
// CHECK: qat.fake_quant %{{.*}}, %{{.*}} {encoding = #potq.uniform<bits = 4, unsigned>, zero_point = 8 : i64} : tensor<3xf32>, tensor<f32>
func.func @splat_zero_point_kept() -> tensor<3xf32> {
  %x = arith.constant dense<1.25> : tensor<3xf32>
  %s = arith.constant dense<0.5> : tensor<f32>
  %y = qat.fake_quant %x, %s {encoding = #potq.uniform<bits = 4, unsigned>, zero_point = 8 : i64} : tensor<3xf32>, tensor<f32>
  return %y : tensor<3xf32>
}

// -----

// The op is pure: an unused one is erased.
// CHECK-LABEL: func.func @dead_erased
// CHECK-NOT: qat.fake_quant
// CHECK: return
func.func @dead_erased(%x: tensor<2xf32>) -> tensor<2xf32> {
  %s = arith.constant dense<1.0> : tensor<f32>
  %y = qat.fake_quant %x, %s {encoding = #potq.pot<bits = 4>} : tensor<2xf32>, tensor<f32>
  return %x : tensor<2xf32>
}
