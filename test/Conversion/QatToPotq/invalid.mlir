// RUN: potq-opt %s -split-input-file --convert-qat-to-potq -verify-diagnostics

func.func @scale_not_constant(%x: tensor<4xf32>, %s: tensor<f32>) -> tensor<4xf32> {
  // expected-error@+1 {{cannot be frozen: its scale is not a constant}}
  %y = qat.fake_quant %x, %s {encoding = #potq.uniform<bits = 8>} : tensor<4xf32>, tensor<f32>
  return %y : tensor<4xf32>
}

// -----

func.func @scale_negative(%x: tensor<4xf32>) -> tensor<4xf32> {
  %s = arith.constant dense<-0.5> : tensor<f32>
  // expected-error@+1 {{cannot be frozen: scale[0] = -5.000000e-01 is not positive and finite}}
  %y = qat.fake_quant %x, %s {encoding = #potq.uniform<bits = 8>} : tensor<4xf32>, tensor<f32>
  return %y : tensor<4xf32>
}

// -----

func.func @scale_nan(%x: tensor<2x2xf32>) -> tensor<2x2xf32> {
  %s = arith.constant dense<[0.5, 0x7FC00000]> : tensor<2xf32>
  // expected-error@+1 {{cannot be frozen: scale[1] = nan is not positive and finite}}
  %y = qat.fake_quant %x, %s {encoding = #potq.uniform<bits = 8>, axis = 1 : i64} : tensor<2x2xf32>, tensor<2xf32>
  return %y : tensor<2x2xf32>
}
