// RUN: potq-opt %s -split-input-file --convert-qat-to-potq | FileCheck %s
// RUN: potq-opt %s -split-input-file --convert-qat-to-potq="weight-scales=max" | FileCheck %s --check-prefix=MAX
// RUN: potq-opt %s -split-input-file --convert-qat-to-potq="weight-scales=msqe pot-scales=true" | FileCheck %s --check-prefix=POT

// A constant weight becomes levels projected with the trained per-channel
// scales (ties to the smaller magnitude: 0.15 / 0.1 = 1.5 -> 1); the
// estimator is dropped. An activation becomes quantize + dequantize.
// CHECK-LABEL: func.func @freeze
// CHECK: %[[W:.*]] = potq.constant dense<{{\[}}[1, -1, 2], [4, 0, -4]]> : tensor<2x3xi8> -> tensor<2x3x!potq.q<#potq.pot<bits = 3>, f32, axis = 1, scales = [1.0e-01, 2.0e-01, 5.0e-01]>>
// CHECK: %[[WD:.*]] = potq.dequantize %[[W]]
// CHECK: %[[X:.*]] = potq.quantize %{{.*}} : tensor<2x3xf32> -> tensor<2x3x!potq.q<#potq.uniform<bits = 8>, f32, scale = 5.0e-02, zero_point = 3>>
// CHECK: %[[XD:.*]] = potq.dequantize %[[X]]
// CHECK: return %[[WD]], %[[XD]]
// CHECK-NOT: qat.fake_quant

// With chosen scales: max maps the largest |w| of each channel to level 4.
// MAX-LABEL: func.func @freeze
// MAX: potq.constant dense<{{\[}}[1, -4, 2], [4, 1, -4]]> : tensor<2x3xi8> -> tensor<2x3x!potq.q<#potq.pot<bits = 3>, f32, axis = 1, scales = [1.25e-01, 7.5e-02, 5.0e-01]>>
// MAX: potq.quantize %{{.*}} -> tensor<2x3x!potq.q<#potq.uniform<bits = 8>, f32, scale = 5.0e-02, zero_point = 3>>

// POT: potq.constant {{.*}} scales = [1.25e-01, 6.25e-02, 1.0e+00]
func.func @freeze(%x: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>) {
  %w = arith.constant dense<[[0.15, -0.3, 1.0], [0.5, 0.07, -2.0]]> : tensor<2x3xf32>
  %s = arith.constant dense<[0.1, 0.2, 0.5]> : tensor<3xf32>
  %wq = qat.fake_quant %w, %s {encoding = #potq.pot<bits = 3>, axis = 1 : i64, estimator = #qat.estimator<lsq>} : tensor<2x3xf32>, tensor<3xf32>
  %sx = arith.constant dense<0.05> : tensor<f32>
  %xq = qat.fake_quant %x, %sx {encoding = #potq.uniform<bits = 8>, zero_point = 3 : i64} : tensor<2x3xf32>, tensor<f32>
  return %wq, %xq : tensor<2x3xf32>, tensor<2x3xf32>
}

// -----

// Freezing with trained scales changes no value: canonicalizing the frozen
// graph gives exactly the folded fake quantization.
// CHECK-LABEL: func.func @same_values
// CHECK: potq.constant dense<[-2, 0, 2, 3]> : tensor<4xi8> -> tensor<4x!potq.q<#potq.apot<bits = 4>, f32, scale = 2.5e-01>>
func.func @same_values() -> tensor<4xf32> {
  %w = arith.constant dense<[-0.5, 0.1, 0.5, 0.8]> : tensor<4xf32>
  %s = arith.constant dense<0.25> : tensor<1xf32>
  %wq = qat.fake_quant %w, %s {encoding = #potq.apot<bits = 4>} : tensor<4xf32>, tensor<1xf32>
  return %wq : tensor<4xf32>
}
