// RUN: potq-opt %s | FileCheck %s
// RUN: potq-opt %s | potq-opt | FileCheck %s

// The estimator attribute with and without its parameter dictionary, for
// every kind and every parameter type (docs/Estimators.md).

// CHECK-LABEL: func.func @params
func.func @params(%x: tensor<4xf32>, %s: tensor<f32>) -> tensor<4xf32> {
  // CHECK: #qat.estimator<ste>
  %0 = qat.fake_quant %x, %s {encoding = #potq.pot<bits = 4>, estimator = #qat.estimator<ste>} : tensor<4xf32>, tensor<f32>
  // CHECK: #qat.estimator<clipped_ste>
  %1 = qat.fake_quant %0, %s {encoding = #potq.pot<bits = 4>, estimator = #qat.estimator<clipped_ste>} : tensor<4xf32>, tensor<f32>
  // CHECK: #qat.estimator<lsq, {grad_scale = 1.250000e-02 : f64}>
  %2 = qat.fake_quant %1, %s {encoding = #potq.pot<bits = 4>, estimator = #qat.estimator<lsq, {grad_scale = 0.0125 : f64}>} : tensor<4xf32>, tensor<f32>
  // CHECK: #qat.estimator<lg_lsq, {asr_alpha = 4.000000e+00 : f32, grad_scale = 1.000000e-01 : f64, mde = true}>
  %3 = qat.fake_quant %2, %s {encoding = #potq.apot<bits = 4>, estimator = #qat.estimator<lg_lsq, {grad_scale = 0.1 : f64, asr_alpha = 4.0 : f32, mde = true}>} : tensor<4xf32>, tensor<f32>
  // CHECK: #qat.estimator<msqe, {update_interval = 10 : i64}>
  %4 = qat.fake_quant %3, %s {encoding = #potq.pot<bits = 3>, estimator = #qat.estimator<msqe, {update_interval = 10 : i64}>} : tensor<4xf32>, tensor<f32>
  // CHECK: #qat.estimator<stochastic_partial, {mode = "filter", ratio = 5.000000e-01 : f64, seed = 3 : i32}>
  %5 = qat.fake_quant %4, %s {encoding = #potq.pot<bits = 3>, estimator = #qat.estimator<stochastic_partial, {mode = "filter", ratio = 0.5 : f64, seed = 3 : i32}>} : tensor<4xf32>, tensor<f32>
  // An empty dictionary is the same as none.
  // CHECK: #qat.estimator<qerror_aware{{(, \{\})?}}>
  %6 = qat.fake_quant %5, %s {encoding = #potq.pot<bits = 3>, estimator = #qat.estimator<qerror_aware, {}>} : tensor<4xf32>, tensor<f32>
  return %6 : tensor<4xf32>
}
