// RUN: potq-opt %s | potq-opt | FileCheck %s
// RUN: potq-opt %s --mlir-print-op-generic | potq-opt | FileCheck %s

// CHECK-LABEL: func.func @per_tensor
// CHECK: qat.fake_quant %{{.*}}, %{{.*}} {encoding = #potq.uniform<bits = 8, unsigned>, zero_point = 3 : i64} : tensor<4x8xf32>, tensor<f32>
func.func @per_tensor(%x: tensor<4x8xf32>, %s: tensor<f32>) -> tensor<4x8xf32> {
  %y = qat.fake_quant %x, %s {encoding = #potq.uniform<bits = 8, unsigned>, zero_point = 3 : i64} : tensor<4x8xf32>, tensor<f32>
  return %y : tensor<4x8xf32>
}

// Every estimator spelling survives a round trip; a one-element scale
// tensor is per tensor too.
// CHECK-LABEL: func.func @estimators
// CHECK: estimator = #qat.estimator<ste>
// CHECK: estimator = #qat.estimator<clipped_ste>
// CHECK: estimator = #qat.estimator<lsq>
// CHECK: estimator = #qat.estimator<lg_lsq>
// CHECK: estimator = #qat.estimator<qerror_aware>
// CHECK: estimator = #qat.estimator<msqe>
// CHECK: estimator = #qat.estimator<stochastic_partial>
// CHECK: estimator = #qat.estimator<nhot_two_stage>
func.func @estimators(%x: tensor<4xf16>, %s: tensor<1xf32>) -> tensor<4xf16> {
  %0 = qat.fake_quant %x, %s {encoding = #potq.pot<bits = 4>, estimator = #qat.estimator<ste>} : tensor<4xf16>, tensor<1xf32>
  %1 = qat.fake_quant %0, %s {encoding = #potq.pot<bits = 4>, estimator = #qat.estimator<clipped_ste>} : tensor<4xf16>, tensor<1xf32>
  %2 = qat.fake_quant %1, %s {encoding = #potq.apot<bits = 5>, estimator = #qat.estimator<lsq>} : tensor<4xf16>, tensor<1xf32>
  %3 = qat.fake_quant %2, %s {encoding = #potq.apot<bits = 5>, estimator = #qat.estimator<lg_lsq>} : tensor<4xf16>, tensor<1xf32>
  %4 = qat.fake_quant %3, %s {encoding = #potq.pot<bits = 3>, estimator = #qat.estimator<qerror_aware>} : tensor<4xf16>, tensor<1xf32>
  %5 = qat.fake_quant %4, %s {encoding = #potq.pot<bits = 3>, estimator = #qat.estimator<msqe>} : tensor<4xf16>, tensor<1xf32>
  %6 = qat.fake_quant %5, %s {encoding = #potq.uniform<bits = 4, narrow>, estimator = #qat.estimator<stochastic_partial>} : tensor<4xf16>, tensor<1xf32>
  %7 = qat.fake_quant %6, %s {encoding = #potq.nhot<terms = 2, max_exp = 7>, estimator = #qat.estimator<nhot_two_stage>} : tensor<4xf16>, tensor<1xf32>
  return %7 : tensor<4xf16>
}

// CHECK-LABEL: func.func @per_channel
// CHECK: qat.fake_quant %{{.*}}, %{{.*}} {axis = 1 : i64, encoding = #potq.apot<bits = 4>} : tensor<?x3xbf16>, tensor<3xf32>
func.func @per_channel(%x: tensor<?x3xbf16>, %s: tensor<3xf32>) -> tensor<?x3xbf16> {
  %y = qat.fake_quant %x, %s {encoding = #potq.apot<bits = 4>, axis = 1 : i64} : tensor<?x3xbf16>, tensor<3xf32>
  return %y : tensor<?x3xbf16>
}
