// RUN: potq-opt %s -split-input-file -verify-diagnostics

func.func @axis_out_of_range(%x: tensor<4xf32>, %s: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error@+1 {{axis = 1 is out of range for an input of rank 1}}
  %y = qat.fake_quant %x, %s {encoding = #potq.pot<bits = 4>, axis = 1 : i64} : tensor<4xf32>, tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

func.func @per_channel_count(%x: tensor<2x3xf32>, %s: tensor<2xf32>) -> tensor<2x3xf32> {
  // expected-error@+1 {{per-channel scale must be a 1-D tensor with one value per index of axis 1 (size 3), got 'tensor<2xf32>'}}
  %y = qat.fake_quant %x, %s {encoding = #potq.pot<bits = 4>, axis = 1 : i64} : tensor<2x3xf32>, tensor<2xf32>
  return %y : tensor<2x3xf32>
}

// -----

func.func @per_tensor_count(%x: tensor<2x3xf32>, %s: tensor<3xf32>) -> tensor<2x3xf32> {
  // expected-error@+1 {{per-tensor scale must hold exactly one value, got 'tensor<3xf32>'; set 'axis' for per-channel scales}}
  %y = qat.fake_quant %x, %s {encoding = #potq.pot<bits = 4>} : tensor<2x3xf32>, tensor<3xf32>
  return %y : tensor<2x3xf32>
}

// -----

func.func @per_tensor_dynamic(%x: tensor<2x3xf32>, %s: tensor<?xf32>) -> tensor<2x3xf32> {
  // expected-error@+1 {{per-tensor scale must hold exactly one value, got 'tensor<?xf32>'}}
  %y = qat.fake_quant %x, %s {encoding = #potq.pot<bits = 4>} : tensor<2x3xf32>, tensor<?xf32>
  return %y : tensor<2x3xf32>
}

// -----

func.func @zero_point_non_uniform(%x: tensor<4xf32>, %s: tensor<f32>) -> tensor<4xf32> {
  // expected-error@+1 {{zero_point is allowed only with uniform encodings, got zero_point = 1 with #potq.pot<bits = 4>}}
  %y = qat.fake_quant %x, %s {encoding = #potq.pot<bits = 4>, zero_point = 1 : i64} : tensor<4xf32>, tensor<f32>
  return %y : tensor<4xf32>
}

// -----

func.func @zero_point_per_channel(%x: tensor<2x2xf32>, %s: tensor<2xf32>) -> tensor<2x2xf32> {
  // expected-error@+1 {{zero_point is allowed only with per-tensor scales}}
  %y = qat.fake_quant %x, %s {encoding = #potq.uniform<bits = 8>, axis = 0 : i64, zero_point = 1 : i64} : tensor<2x2xf32>, tensor<2xf32>
  return %y : tensor<2x2xf32>
}

// -----

func.func @zero_point_range(%x: tensor<4xf32>, %s: tensor<f32>) -> tensor<4xf32> {
  // expected-error@+1 {{zero_point = 300 is out of range: must be a level of #potq.uniform<bits = 8, unsigned> in [0, 255]}}
  %y = qat.fake_quant %x, %s {encoding = #potq.uniform<bits = 8, unsigned>, zero_point = 300 : i64} : tensor<4xf32>, tensor<f32>
  return %y : tensor<4xf32>
}

// -----

func.func @not_an_encoding(%x: tensor<4xf32>, %s: tensor<f32>) -> tensor<4xf32> {
  // expected-error@+1 {{attribute 'encoding' failed to satisfy constraint}}
  %y = qat.fake_quant %x, %s {encoding = 4 : i32} : tensor<4xf32>, tensor<f32>
  return %y : tensor<4xf32>
}

// -----

func.func @integer_input(%x: tensor<4xi32>, %s: tensor<f32>) -> tensor<4xi32> {
  // expected-error@+1 {{operand #0 must be ranked tensor of 32-bit float or 16-bit float or bfloat16 type values}}
  %y = qat.fake_quant %x, %s {encoding = #potq.pot<bits = 4>} : tensor<4xi32>, tensor<f32>
  return %y : tensor<4xi32>
}

// -----

func.func @f16_scale(%x: tensor<4xf32>, %s: tensor<f16>) -> tensor<4xf32> {
  // expected-error@+1 {{operand #1 must be ranked tensor of 32-bit float values}}
  %y = qat.fake_quant %x, %s {encoding = #potq.pot<bits = 4>} : tensor<4xf32>, tensor<f16>
  return %y : tensor<4xf32>
}

// -----

func.func @bad_estimator(%x: tensor<4xf32>, %s: tensor<f32>) -> tensor<4xf32> {
  // expected-error@+2 {{expected ::potq::qat::EstimatorKind to be one of: ste, clipped_ste, lsq, lg_lsq, qerror_aware, msqe, stochastic_partial, nhot_two_stage}}
  // expected-error@+1 {{failed to parse Qat_EstimatorAttr parameter 'kind' which is to be a `::potq::qat::EstimatorKind`}}
  %y = qat.fake_quant %x, %s {encoding = #potq.pot<bits = 4>, estimator = #qat.estimator<magic>} : tensor<4xf32>, tensor<f32>
  return %y : tensor<4xf32>
}
