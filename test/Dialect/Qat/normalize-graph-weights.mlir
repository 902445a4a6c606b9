// RUN: potq-opt %s -split-input-file -qat-normalize-graph | FileCheck %s
// The pass is idempotent on its output.
// RUN: potq-opt %s -split-input-file -qat-normalize-graph -o %t.1
// RUN: potq-opt %t.1 -split-input-file -qat-normalize-graph -o %t.2
// RUN: diff %t.1 %t.2

// PyTorch nn.Linear: the weight is stored [N, K] with per-channel axis 0 and
// transposed for the matmul. The transpose moves below the fake_quant and
// folds: a [K, N] constant with axis 1.
// CHECK-LABEL: func.func @linear_weight_transposed
// CHECK-DAG: %[[W:.*]] = arith.constant dense<{{\[}}[1.000000e+00, 3.000000e+00, 5.000000e+00], [2.000000e+00, 4.000000e+00, 6.000000e+00]]> : tensor<2x3xf32>
// CHECK-DAG: %[[S:.*]] = arith.constant dense<[1.000000e+00, 2.000000e+00, 4.000000e+00]> : tensor<3xf32>
// CHECK: %[[WQ:.*]] = qat.fake_quant %[[W]], %[[S]] {axis = 1 : i64, encoding = #potq.pot<bits = 4>, estimator = #qat.estimator<lsq>} : tensor<2x3xf32>, tensor<3xf32>
// CHECK: linalg.matmul ins(%{{.*}}, %[[WQ]] : tensor<4x2xf32>, tensor<2x3xf32>)
// CHECK-NOT: linalg.generic
// CHECK-NOT: linalg.transpose
func.func @linear_weight_transposed(%x: tensor<4x2xf32>) -> tensor<4x3xf32> {
  %w = arith.constant dense<[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]> : tensor<3x2xf32>
  %s = arith.constant dense<[1.0, 2.0, 4.0]> : tensor<3xf32>
  %wq = qat.fake_quant %w, %s {encoding = #potq.pot<bits = 4>, axis = 0 : i64, estimator = #qat.estimator<lsq>} : tensor<3x2xf32>, tensor<3xf32>
  %et = tensor.empty() : tensor<2x3xf32>
  %wt = linalg.transpose ins(%wq : tensor<3x2xf32>) outs(%et : tensor<2x3xf32>) permutation = [1, 0]
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x3xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<4x3xf32>) -> tensor<4x3xf32>
  %mm = linalg.matmul ins(%x, %wt : tensor<4x2xf32>, tensor<2x3xf32>) outs(%init : tensor<4x3xf32>) -> tensor<4x3xf32>
  return %mm : tensor<4x3xf32>
}

// -----

// The same weight read through a transposed-B indexing map: the matmul gets
// its default maps and the weight is transposed, then folded as above.
// CHECK-LABEL: func.func @matmul_transposed_b
// CHECK-DAG: %[[W:.*]] = arith.constant dense<{{\[}}[1.000000e+00, 3.000000e+00, 5.000000e+00], [2.000000e+00, 4.000000e+00, 6.000000e+00]]> : tensor<2x3xf32>
// CHECK: %[[WQ:.*]] = qat.fake_quant %[[W]], %{{.*}} {axis = 1 : i64, encoding = #potq.pot<bits = 4>} : tensor<2x3xf32>, tensor<3xf32>
// CHECK: linalg.matmul ins(%{{.*}}, %[[WQ]] : tensor<4x2xf32>, tensor<2x3xf32>) outs(%{{.*}} : tensor<4x3xf32>) -> tensor<4x3xf32>
// CHECK-NOT: indexing_maps
// CHECK-NOT: linalg.generic
func.func @matmul_transposed_b(%x: tensor<4x2xf32>) -> tensor<4x3xf32> {
  %w = arith.constant dense<[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]> : tensor<3x2xf32>
  %s = arith.constant dense<[1.0, 2.0, 4.0]> : tensor<3xf32>
  %wq = qat.fake_quant %w, %s {encoding = #potq.pot<bits = 4>, axis = 0 : i64} : tensor<3x2xf32>, tensor<3xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x3xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<4x3xf32>) -> tensor<4x3xf32>
  %mm = linalg.matmul indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>,
                                       affine_map<(d0, d1, d2) -> (d1, d2)>,
                                       affine_map<(d0, d1, d2) -> (d0, d1)>]
      ins(%x, %wq : tensor<4x2xf32>, tensor<3x2xf32>) outs(%init : tensor<4x3xf32>) -> tensor<4x3xf32>
  return %mm : tensor<4x3xf32>
}

// -----

// A transposed-A map on an activation: the matmul gets its default maps and
// an explicit transpose of the activation, which stays (a transpose of a
// value that is not constant is never folded or moved).
// CHECK-DAG: #[[T:.*]] = affine_map<(d0, d1) -> (d1, d0)>
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @matmul_transposed_a
// CHECK-SAME: %[[X:.*]]: tensor<2x4xf32>, %[[W:.*]]: tensor<2x3xf32>
// CHECK: %[[XT:.*]] = linalg.generic {indexing_maps = [#[[T]], #[[ID]]], iterator_types = ["parallel", "parallel"]} ins(%[[X]] : tensor<2x4xf32>) outs(%{{.*}} : tensor<4x2xf32>)
// CHECK: linalg.matmul ins(%[[XT]], %[[W]] : tensor<4x2xf32>, tensor<2x3xf32>) outs(%{{.*}} : tensor<4x3xf32>) -> tensor<4x3xf32>
func.func @matmul_transposed_a(%x: tensor<2x4xf32>, %w: tensor<2x3xf32>) -> tensor<4x3xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x3xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<4x3xf32>) -> tensor<4x3xf32>
  %mm = linalg.matmul indexing_maps = [affine_map<(d0, d1, d2) -> (d2, d0)>,
                                       affine_map<(d0, d1, d2) -> (d2, d1)>,
                                       affine_map<(d0, d1, d2) -> (d0, d1)>]
      ins(%x, %w : tensor<2x4xf32>, tensor<2x3xf32>) outs(%init : tensor<4x3xf32>) -> tensor<4x3xf32>
  return %mm : tensor<4x3xf32>
}

// -----

// A transpose of a fake-quantized activation stays as it is.
// CHECK-LABEL: func.func @activation_transpose_stays
// CHECK: %[[Q:.*]] = qat.fake_quant %arg0
// CHECK: linalg.generic {{.*}} ins(%[[Q]] : tensor<3x2xf32>)
// CHECK-NOT: qat.fake_quant
func.func @activation_transpose_stays(%x: tensor<3x2xf32>) -> tensor<2x3xf32> {
  %s = arith.constant dense<0.5> : tensor<f32>
  %q = qat.fake_quant %x, %s {encoding = #potq.uniform<bits = 8>} : tensor<3x2xf32>, tensor<f32>
  %e = tensor.empty() : tensor<2x3xf32>
  %t = linalg.transpose ins(%q : tensor<3x2xf32>) outs(%e : tensor<2x3xf32>) permutation = [1, 0]
  return %t : tensor<2x3xf32>
}

// -----

// batch_matmul with a transposed-B map and a per-tensor weight: the axis
// stays absent.
// CHECK-LABEL: func.func @batch_matmul_transposed_b
// CHECK: %[[W:.*]] = arith.constant dense<{{\[}}{{\[}}[1.000000e+00, 3.000000e+00, 5.000000e+00], [2.000000e+00, 4.000000e+00, 6.000000e+00]]]> : tensor<1x2x3xf32>
// CHECK: %[[WQ:.*]] = qat.fake_quant %[[W]], %{{.*}} {encoding = #potq.apot<bits = 4>} : tensor<1x2x3xf32>, tensor<f32>
// CHECK: linalg.batch_matmul ins(%{{.*}}, %[[WQ]] : tensor<1x4x2xf32>, tensor<1x2x3xf32>) outs
func.func @batch_matmul_transposed_b(%x: tensor<1x4x2xf32>) -> tensor<1x4x3xf32> {
  %w = arith.constant dense<[[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]]> : tensor<1x3x2xf32>
  %s = arith.constant dense<0.5> : tensor<f32>
  %wq = qat.fake_quant %w, %s {encoding = #potq.apot<bits = 4>} : tensor<1x3x2xf32>, tensor<f32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x4x3xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x4x3xf32>) -> tensor<1x4x3xf32>
  %mm = linalg.batch_matmul indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d3)>,
                                             affine_map<(d0, d1, d2, d3) -> (d0, d2, d3)>,
                                             affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>]
      ins(%x, %wq : tensor<1x4x2xf32>, tensor<1x3x2xf32>) outs(%init : tensor<1x4x3xf32>) -> tensor<1x4x3xf32>
  return %mm : tensor<1x4x3xf32>
}

// -----

// A PyTorch convolution weight [F, C, H, W] (axis 0) permuted to HWCF for
// linalg.conv_2d_nhwc_hwcf: the channel axis follows to position 3.
// CHECK-LABEL: func.func @conv_weight_oihw_to_hwcf
// CHECK: %[[W:.*]] = arith.constant dense<{{\[}}{{\[}}{{\[}}[1.000000e+00, 3.000000e+00], [2.000000e+00, 4.000000e+00]]]]> : tensor<1x1x2x2xf32>
// CHECK: %[[WQ:.*]] = qat.fake_quant %[[W]], %{{.*}} {axis = 3 : i64, encoding = #potq.pot<bits = 4>} : tensor<1x1x2x2xf32>, tensor<2xf32>
// CHECK: linalg.conv_2d_nhwc_hwcf {{.*}} ins(%{{.*}}, %[[WQ]] :
func.func @conv_weight_oihw_to_hwcf(%x: tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32> {
  %w = arith.constant dense<[[[[1.0]], [[2.0]]], [[[3.0]], [[4.0]]]]> : tensor<2x2x1x1xf32>
  %s = arith.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %wq = qat.fake_quant %w, %s {encoding = #potq.pot<bits = 4>, axis = 0 : i64} : tensor<2x2x1x1xf32>, tensor<2xf32>
  %et = tensor.empty() : tensor<1x1x2x2xf32>
  %wt = linalg.transpose ins(%wq : tensor<2x2x1x1xf32>) outs(%et : tensor<1x1x2x2xf32>) permutation = [2, 3, 1, 0]
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x4x4x2xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32>
  %conv = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %wt : tensor<1x4x4x2xf32>, tensor<1x1x2x2xf32>) outs(%init : tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32>
  return %conv : tensor<1x4x4x2xf32>
}

// -----

// A weight shared across the batch of a batch_matmul, broadcast after its
// fake_quant: the broadcast moves below it (axis 1 -> 2) and folds.
// CHECK-LABEL: func.func @weight_broadcast
// CHECK: %[[W:.*]] = arith.constant dense<{{\[}}{{\[}}[1.000000e+00, 2.000000e+00], [3.000000e+00, 4.000000e+00]], {{\[}}[1.000000e+00, 2.000000e+00], [3.000000e+00, 4.000000e+00]]]> : tensor<2x2x2xf32>
// CHECK: %[[WQ:.*]] = qat.fake_quant %[[W]], %{{.*}} {axis = 2 : i64, encoding = #potq.pot<bits = 4>} : tensor<2x2x2xf32>, tensor<2xf32>
// CHECK: linalg.batch_matmul ins(%{{.*}}, %[[WQ]] :
// CHECK-NOT: linalg.generic
func.func @weight_broadcast(%x: tensor<2x3x2xf32>) -> tensor<2x3x2xf32> {
  %w = arith.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %s = arith.constant dense<[1.0, 0.5]> : tensor<2xf32>
  %wq = qat.fake_quant %w, %s {encoding = #potq.pot<bits = 4>, axis = 1 : i64} : tensor<2x2xf32>, tensor<2xf32>
  %eb = tensor.empty() : tensor<2x2x2xf32>
  %wb = linalg.broadcast ins(%wq : tensor<2x2xf32>) outs(%eb : tensor<2x2x2xf32>) dimensions = [0]
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x3x2xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<2x3x2xf32>) -> tensor<2x3x2xf32>
  %mm = linalg.batch_matmul ins(%x, %wb : tensor<2x3x2xf32>, tensor<2x2x2xf32>) outs(%init : tensor<2x3x2xf32>) -> tensor<2x3x2xf32>
  return %mm : tensor<2x3x2xf32>
}

// -----

// A splat stays a splat, however large: the transpose of a 2^32-element
// splat folds without expanding it.
// CHECK-LABEL: func.func @huge_splat_transpose
// CHECK: %[[C:.*]] = arith.constant dense<2.500000e-01> : tensor<65536x65537xf32>
// CHECK-NEXT: return %[[C]]
func.func @huge_splat_transpose() -> tensor<65536x65537xf32> {
  %c = arith.constant dense<0.25> : tensor<65537x65536xf32>
  %e = tensor.empty() : tensor<65536x65537xf32>
  %t = linalg.transpose ins(%c : tensor<65537x65536xf32>) outs(%e : tensor<65536x65537xf32>) permutation = [1, 0]
  return %t : tensor<65536x65537xf32>
}

// -----

// Maps that are not a permutation of the default ones (a broadcast B) stay;
// default maps written out are the default op.
// CHECK-LABEL: func.func @maps_that_stay
// CHECK: linalg.matmul ins(%arg0, %arg1 : tensor<4x2xf32>, tensor<2x3xf32>)
// CHECK: linalg.matmul indexing_maps = [#{{.*}}, #{{.*}}, #{{.*}}] ins(%arg0, %arg2 : tensor<4x2xf32>, tensor<2xf32>)
func.func @maps_that_stay(%x: tensor<4x2xf32>, %w: tensor<2x3xf32>, %v: tensor<2xf32>) -> (tensor<4x3xf32>, tensor<4x3xf32>) {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x3xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<4x3xf32>) -> tensor<4x3xf32>
  %0 = linalg.matmul indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>,
                                      affine_map<(d0, d1, d2) -> (d2, d1)>,
                                      affine_map<(d0, d1, d2) -> (d0, d1)>]
      ins(%x, %w : tensor<4x2xf32>, tensor<2x3xf32>) outs(%init : tensor<4x3xf32>) -> tensor<4x3xf32>
  %1 = linalg.matmul indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>,
                                      affine_map<(d0, d1, d2) -> (d2)>,
                                      affine_map<(d0, d1, d2) -> (d0, d1)>]
      ins(%x, %v : tensor<4x2xf32>, tensor<2xf32>) outs(%init : tensor<4x3xf32>) -> tensor<4x3xf32>
  return %0, %1 : tensor<4x3xf32>, tensor<4x3xf32>
}
