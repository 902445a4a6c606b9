// RUN: potq-opt %s -split-input-file -verify-diagnostics

func.func @takes_none(%x: tensor<4xf32>, %s: tensor<f32>) -> tensor<4xf32> {
  // expected-error@+1 {{estimator 'ste' has no parameter 'grad_scale'; it takes none}}
  %y = qat.fake_quant %x, %s {encoding = #potq.pot<bits = 4>, estimator = #qat.estimator<ste, {grad_scale = 1.0 : f64}>} : tensor<4xf32>, tensor<f32>
  return %y : tensor<4xf32>
}

// -----

func.func @unknown_name(%x: tensor<4xf32>, %s: tensor<f32>) -> tensor<4xf32> {
  // expected-error@+1 {{estimator 'lg_lsq' has no parameter 'alpha'; it takes grad_scale, asr_alpha, mde}}
  %y = qat.fake_quant %x, %s {encoding = #potq.pot<bits = 4>, estimator = #qat.estimator<lg_lsq, {alpha = 1.0 : f64}>} : tensor<4xf32>, tensor<f32>
  return %y : tensor<4xf32>
}

// -----

func.func @float_type(%x: tensor<4xf32>, %s: tensor<f32>) -> tensor<4xf32> {
  // expected-error@+1 {{estimator parameter 'grad_scale' must be a finite float, got 1 : i64}}
  %y = qat.fake_quant %x, %s {encoding = #potq.pot<bits = 4>, estimator = #qat.estimator<lsq, {grad_scale = 1 : i64}>} : tensor<4xf32>, tensor<f32>
  return %y : tensor<4xf32>
}

// -----

func.func @float_finite(%x: tensor<4xf32>, %s: tensor<f32>) -> tensor<4xf32> {
  // expected-error@+1 {{estimator parameter 'grad_scale' must be a finite float, got 0x7FF0000000000000 : f64}}
  %y = qat.fake_quant %x, %s {encoding = #potq.pot<bits = 4>, estimator = #qat.estimator<lsq, {grad_scale = 0x7FF0000000000000 : f64}>} : tensor<4xf32>, tensor<f32>
  return %y : tensor<4xf32>
}

// -----

func.func @integer_type(%x: tensor<4xf32>, %s: tensor<f32>) -> tensor<4xf32> {
  // expected-error@+1 {{estimator parameter 'update_interval' must be an integer, got true}}
  %y = qat.fake_quant %x, %s {encoding = #potq.pot<bits = 4>, estimator = #qat.estimator<msqe, {update_interval = true}>} : tensor<4xf32>, tensor<f32>
  return %y : tensor<4xf32>
}

// -----

func.func @bool_type(%x: tensor<4xf32>, %s: tensor<f32>) -> tensor<4xf32> {
  // expected-error@+1 {{estimator parameter 'mde' must be a bool, got 1 : i64}}
  %y = qat.fake_quant %x, %s {encoding = #potq.pot<bits = 4>, estimator = #qat.estimator<lg_lsq, {mde = 1 : i64}>} : tensor<4xf32>, tensor<f32>
  return %y : tensor<4xf32>
}

// -----

func.func @string_type(%x: tensor<4xf32>, %s: tensor<f32>) -> tensor<4xf32> {
  // expected-error@+1 {{estimator parameter 'mode' must be a string, got 1 : i64}}
  %y = qat.fake_quant %x, %s {encoding = #potq.pot<bits = 4>, estimator = #qat.estimator<stochastic_partial, {mode = 1 : i64}>} : tensor<4xf32>, tensor<f32>
  return %y : tensor<4xf32>
}

// -----

func.func @string_choice(%x: tensor<4xf32>, %s: tensor<f32>) -> tensor<4xf32> {
  // expected-error@+1 {{estimator parameter 'mode' must be one of element, filter, got "channel"}}
  %y = qat.fake_quant %x, %s {encoding = #potq.pot<bits = 4>, estimator = #qat.estimator<stochastic_partial, {mode = "channel"}>} : tensor<4xf32>, tensor<f32>
  return %y : tensor<4xf32>
}

// -----

func.func @not_a_dictionary(%x: tensor<4xf32>, %s: tensor<f32>) -> tensor<4xf32> {
  // expected-error@+2 {{invalid kind of attribute specified}}
  // expected-error@+1 {{failed to parse Qat_EstimatorAttr parameter 'params' which is to be a `::mlir::DictionaryAttr`}}
  %y = qat.fake_quant %x, %s {encoding = #potq.pot<bits = 4>, estimator = #qat.estimator<lsq, 3>} : tensor<4xf32>, tensor<f32>
  return %y : tensor<4xf32>
}

// -----

func.func @unknown_kind(%x: tensor<4xf32>, %s: tensor<f32>) -> tensor<4xf32> {
  // expected-error@+2 {{expected ::potq::qat::EstimatorKind to be one of: ste, clipped_ste, lsq, lg_lsq, qerror_aware, msqe, stochastic_partial, nhot_two_stage}}
  // expected-error@+1 {{failed to parse Qat_EstimatorAttr parameter 'kind' which is to be a `::potq::qat::EstimatorKind`}}
  %y = qat.fake_quant %x, %s {encoding = #potq.pot<bits = 4>, estimator = #qat.estimator<sgd>} : tensor<4xf32>, tensor<f32>
  return %y : tensor<4xf32>
}
