// RUN: potq-opt %s -split-input-file --potq-fuse-contractions | FileCheck %s

!x = !potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 2.5e-01>
!w = !potq.q<#potq.pot<bits = 4>, f32, axis = 1, scales = [5.0e-01, 1.25e-01]>
!y = !potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 1.0e+00>

// matmul + bias + ReLU + quantize -> one potq.matmul. Bias levels are
// b / (sx * sw[c]): 1.0 / 0.125 = 8 and -0.3 / 0.03125 = -9.6 -> -10; ReLU
// (max with 0) becomes clamp_min = P(0) = 0.
// CHECK-LABEL: func.func @dense_relu
// CHECK-SAME: (%[[X:.*]]: tensor<4x3x!potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 2.5e-01>>, %[[W:.*]]: tensor<3x2x!potq.q<#potq.pot<bits = 4>, f32, axis = 1, scales = [5.0e-01, 1.25e-01]>>)
// CHECK: %[[B:.*]] = arith.constant dense<[8, -10]> : tensor<2xi32>
// CHECK: %[[Y:.*]] = potq.matmul %[[X]], %[[W]] bias %[[B]] {clamp_min = 0 : i64}
// CHECK-NOT: linalg
// CHECK: return %[[Y]]
func.func @dense_relu(%x: tensor<4x3x!x>, %w: tensor<3x2x!w>) -> tensor<4x2x!y> {
  %xd = potq.dequantize %x : tensor<4x3x!x> -> tensor<4x3xf32>
  %wd = potq.dequantize %w : tensor<3x2x!w> -> tensor<3x2xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x2xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<4x2xf32>) -> tensor<4x2xf32>
  %mm = linalg.matmul ins(%xd, %wd : tensor<4x3xf32>, tensor<3x2xf32>) outs(%init : tensor<4x2xf32>) -> tensor<4x2xf32>
  %bias = arith.constant dense<[1.0, -0.3]> : tensor<2xf32>
  %biased = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%mm, %bias : tensor<4x2xf32>, tensor<2xf32>) outs(%e : tensor<4x2xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.addf %a, %b : f32
    linalg.yield %s : f32
  } -> tensor<4x2xf32>
  %relu = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%biased : tensor<4x2xf32>) outs(%e : tensor<4x2xf32>) {
  ^bb0(%a: f32, %o: f32):
    %c0 = arith.constant 0.0 : f32
    %m = arith.maximumf %a, %c0 : f32
    linalg.yield %m : f32
  } -> tensor<4x2xf32>
  %y = potq.quantize %relu : tensor<4x2xf32> -> tensor<4x2x!y>
  return %y : tensor<4x2x!y>
}

// -----

!x = !potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>
!w = !potq.q<#potq.apot<bits = 4>, f32, scale = 5.0e-01>
!y = !potq.q<#potq.uniform<bits = 8>, f32, scale = 5.0e-01, zero_point = -10>

// A bare contraction and a ReLU6-style clamp (max then min, constants
// captured from outside the body): clamp bounds are the projections of the
// real bounds, P(0) = Zy = -10 and P(6) = 12 - 10 = 2.
// CHECK-LABEL: func.func @conv_clamp
// CHECK: %[[Y:.*]] = potq.conv_2d_nhwc_hwcf %{{.*}}, %{{.*}} {clamp_max = 2 : i64, clamp_min = -10 : i64, dilations = array<i64: 1, 1>, strides = array<i64: 2, 2>}
// CHECK-NOT: linalg
// CHECK: return %[[Y]]
func.func @conv_clamp(%x: tensor<1x5x5x2x!x>, %w: tensor<3x3x2x4x!w>) -> tensor<1x2x2x4x!y> {
  %xd = potq.dequantize %x : tensor<1x5x5x2x!x> -> tensor<1x5x5x2xf32>
  %wd = potq.dequantize %w : tensor<3x3x2x4x!w> -> tensor<3x3x2x4xf32>
  %zero = arith.constant 0.0 : f32
  %six = arith.constant 6.0 : f32
  %e = tensor.empty() : tensor<1x2x2x4xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x2x2x4xf32>) -> tensor<1x2x2x4xf32>
  %conv = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%xd, %wd : tensor<1x5x5x2xf32>, tensor<3x3x2x4xf32>) outs(%init : tensor<1x2x2x4xf32>) -> tensor<1x2x2x4xf32>
  %clamped = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%conv : tensor<1x2x2x4xf32>) outs(%e : tensor<1x2x2x4xf32>) {
  ^bb0(%a: f32, %o: f32):
    %lo = arith.maxnumf %a, %zero : f32
    %hi = arith.minnumf %lo, %six : f32
    linalg.yield %hi : f32
  } -> tensor<1x2x2x4xf32>
  %y = potq.quantize %clamped : tensor<1x2x2x4xf32> -> tensor<1x2x2x4x!y>
  return %y : tensor<1x2x2x4x!y>
}

// -----

!x = !potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>
!w = !potq.q<#potq.pot<bits = 4>, f32, scale = 5.0e-01>
!y = !potq.q<#potq.uniform<bits = 8>, f32, scale = 5.0e-01>

// Not fused with its quantize: the float matmul result has a second use.
// It still accumulates in integers (i32), rescaled to float by
// sx * sw = 0.5, and the quantize stays.
// CHECK-LABEL: func.func @second_use
// CHECK: %[[S:.*]] = arith.constant dense<5.000000e-01> : tensor<2xf32>
// CHECK: %[[ACC:.*]] = potq.matmul %arg0, %arg1 : {{.*}} -> tensor<2x2xi32>
// CHECK: %[[MM:.*]] = linalg.generic {{.*}} ins(%[[ACC]], %[[S]] : tensor<2x2xi32>, tensor<2xf32>)
// CHECK: arith.sitofp
// CHECK: arith.mulf
// CHECK: %[[Y:.*]] = potq.quantize %[[MM]]
// CHECK-NOT: linalg.matmul
// CHECK: return %[[Y]], %[[MM]]
func.func @second_use(%x: tensor<2x2x!x>, %w: tensor<2x2x!w>) -> (tensor<2x2x!y>, tensor<2x2xf32>) {
  %xd = potq.dequantize %x : tensor<2x2x!x> -> tensor<2x2xf32>
  %wd = potq.dequantize %w : tensor<2x2x!w> -> tensor<2x2xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x2xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<2x2xf32>) -> tensor<2x2xf32>
  %mm = linalg.matmul ins(%xd, %wd : tensor<2x2xf32>, tensor<2x2xf32>) outs(%init : tensor<2x2xf32>) -> tensor<2x2xf32>
  %y = potq.quantize %mm : tensor<2x2xf32> -> tensor<2x2x!y>
  return %y, %mm : tensor<2x2x!y>, tensor<2x2xf32>
}

// -----

!x = !potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>
!w = !potq.q<#potq.pot<bits = 4>, f32, scale = 5.0e-01>

// A float result (logits) with a dynamic batch: the rescale's init takes
// the batch size from the integer accumulator.
// CHECK-LABEL: func.func @float_result_dynamic_batch
// CHECK: %[[ACC:.*]] = potq.matmul %arg0, %arg1 : {{.*}} -> tensor<?x2xi32>
// CHECK: %[[N:.*]] = tensor.dim %[[ACC]], %{{.*}} : tensor<?x2xi32>
// CHECK: %[[E:.*]] = tensor.empty(%[[N]]) : tensor<?x2xf32>
// CHECK: %[[MM:.*]] = linalg.generic {{.*}} ins(%[[ACC]], %{{.*}} : tensor<?x2xi32>, tensor<2xf32>) outs(%[[E]] : tensor<?x2xf32>)
// CHECK: return %[[MM]]
func.func @float_result_dynamic_batch(%x: tensor<?x2x!x>, %w: tensor<2x2x!w>) -> tensor<?x2xf32> {
  %xd = potq.dequantize %x : tensor<?x2x!x> -> tensor<?x2xf32>
  %wd = potq.dequantize %w : tensor<2x2x!w> -> tensor<2x2xf32>
  %zero = arith.constant 0.0 : f32
  %c0 = arith.constant 0 : index
  %n = tensor.dim %xd, %c0 : tensor<?x2xf32>
  %e = tensor.empty(%n) : tensor<?x2xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<?x2xf32>) -> tensor<?x2xf32>
  %mm = linalg.matmul ins(%xd, %wd : tensor<?x2xf32>, tensor<2x2xf32>) outs(%init : tensor<?x2xf32>) -> tensor<?x2xf32>
  return %mm : tensor<?x2xf32>
}

// -----

!x = !potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>
!w = !potq.q<#potq.pot<bits = 4>, f32, scale = 5.0e-01>
!y = !potq.q<#potq.uniform<bits = 8>, f32, scale = 5.0e-01>

// Not fused: the accumulation does not start from zero (qat-normalize-graph
// turns a non-zero init into an addition).
// CHECK-LABEL: func.func @nonzero_init
// CHECK: linalg.matmul
// CHECK-NOT: potq.matmul
func.func @nonzero_init(%x: tensor<2x2x!x>, %w: tensor<2x2x!w>, %init: tensor<2x2xf32>) -> tensor<2x2x!y> {
  %xd = potq.dequantize %x : tensor<2x2x!x> -> tensor<2x2xf32>
  %wd = potq.dequantize %w : tensor<2x2x!w> -> tensor<2x2xf32>
  %mm = linalg.matmul ins(%xd, %wd : tensor<2x2xf32>, tensor<2x2xf32>) outs(%init : tensor<2x2xf32>) -> tensor<2x2xf32>
  %y = potq.quantize %mm : tensor<2x2xf32> -> tensor<2x2x!y>
  return %y : tensor<2x2x!y>
}

// -----

!a = !potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 2.0e-02>

// Max pooling between two quantizations with the same type runs on levels.
// CHECK-LABEL: func.func @max_pool
// CHECK: %[[Y:.*]] = potq.max_pool_2d_nhwc %arg0 {dilations = array<i64: 1, 1>, kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>}
// CHECK-NOT: linalg.pooling
// CHECK: return %[[Y]]
func.func @max_pool(%x: tensor<1x4x4x2x!a>) -> tensor<1x2x2x2x!a> {
  %xd = potq.dequantize %x : tensor<1x4x4x2x!a> -> tensor<1x4x4x2xf32>
  %ninf = arith.constant 0xFF800000 : f32
  %win = tensor.empty() : tensor<2x2xf32>
  %e = tensor.empty() : tensor<1x2x2x2xf32>
  %init = linalg.fill ins(%ninf : f32) outs(%e : tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  %p = linalg.pooling_nhwc_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%xd, %win : tensor<1x4x4x2xf32>, tensor<2x2xf32>) outs(%init : tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  %y = potq.quantize %p : tensor<1x2x2x2xf32> -> tensor<1x2x2x2x!a>
  return %y : tensor<1x2x2x2x!a>
}

// -----

!x = !potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>
!w = !potq.q<#potq.pot<bits = 4>, f32, axis = 2, scales = [5.0e-01, 2.5e-01]>
!y = !potq.q<#potq.uniform<bits = 8>, f32, scale = 5.0e-01>

// Depthwise convolutions fuse too (per-channel weights on axis 2).
// CHECK-LABEL: func.func @depthwise
// CHECK: %[[Y:.*]] = potq.depthwise_conv_2d_nhwc_hwc %arg0, %arg1 {dilations = array<i64: 1, 1>, strides = array<i64: 1, 1>}
// CHECK-NOT: linalg
// CHECK: return %[[Y]]
func.func @depthwise(%x: tensor<1x4x4x2x!x>, %w: tensor<3x3x2x!w>) -> tensor<1x2x2x2x!y> {
  %xd = potq.dequantize %x : tensor<1x4x4x2x!x> -> tensor<1x4x4x2xf32>
  %wd = potq.dequantize %w : tensor<3x3x2x!w> -> tensor<3x3x2xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x2x2x2xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  %c = linalg.depthwise_conv_2d_nhwc_hwc {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%xd, %wd : tensor<1x4x4x2xf32>, tensor<3x3x2xf32>) outs(%init : tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  %y = potq.quantize %c : tensor<1x2x2x2xf32> -> tensor<1x2x2x2x!y>
  return %y : tensor<1x2x2x2x!y>
}

// -----

!x = !potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 2.0e-02>
!w = !potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e-02>
!y = !potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 4.0e-02>

// A residual block: conv + bias + skip + ReLU -> one potq conv with the
// skip as `residual`.
// CHECK-LABEL: func.func @residual_block
// CHECK: %[[Y:.*]] = potq.conv_2d_nchw_fchw %arg0, %arg1 bias %{{.*}} residual(%arg0 : tensor<1x4x3x3x!potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 2.0e-02>>) {clamp_min = 0 : i64, dilations = array<i64: 1, 1>, strides = array<i64: 1, 1>}
// CHECK-NOT: linalg
// CHECK: return %[[Y]]
func.func @residual_block(%x: tensor<1x4x3x3x!x>, %w: tensor<4x4x1x1x!w>) -> tensor<1x4x3x3x!y> {
  %xd = potq.dequantize %x : tensor<1x4x3x3x!x> -> tensor<1x4x3x3xf32>
  %wd = potq.dequantize %w : tensor<4x4x1x1x!w> -> tensor<4x4x1x1xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x4x3x3xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x4x3x3xf32>) -> tensor<1x4x3x3xf32>
  %c = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%xd, %wd : tensor<1x4x3x3xf32>, tensor<4x4x1x1xf32>) outs(%init : tensor<1x4x3x3xf32>) -> tensor<1x4x3x3xf32>
  %bias = arith.constant dense<[0.01, 0.02, 0.0, -0.01]> : tensor<4xf32>
  %biased = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d1)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%c, %bias : tensor<1x4x3x3xf32>, tensor<4xf32>) outs(%e : tensor<1x4x3x3xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.addf %a, %b : f32
    linalg.yield %s : f32
  } -> tensor<1x4x3x3xf32>
  %sum = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%biased, %xd : tensor<1x4x3x3xf32>, tensor<1x4x3x3xf32>) outs(%e : tensor<1x4x3x3xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.addf %a, %b : f32
    linalg.yield %s : f32
  } -> tensor<1x4x3x3xf32>
  %relu = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%sum : tensor<1x4x3x3xf32>) outs(%e : tensor<1x4x3x3xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = arith.maximumf %a, %zero : f32
    linalg.yield %m : f32
  } -> tensor<1x4x3x3xf32>
  %y = potq.quantize %relu : tensor<1x4x3x3xf32> -> tensor<1x4x3x3x!y>
  return %y : tensor<1x4x3x3x!y>
}

// -----

!a = !potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 2.0e-02>
!b = !potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 1.0e-02>

// Average pooling (sum, then times 1/4) between quantizations.
// CHECK-LABEL: func.func @avg_pool
// CHECK: %[[Y:.*]] = potq.avg_pool_2d_nhwc %arg0 {dilations = array<i64: 1, 1>, kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>}
// CHECK-NOT: linalg
// CHECK: return %[[Y]]
func.func @avg_pool(%x: tensor<1x4x4x2x!a>) -> tensor<1x2x2x2x!b> {
  %xd = potq.dequantize %x : tensor<1x4x4x2x!a> -> tensor<1x4x4x2xf32>
  %zero = arith.constant 0.0 : f32
  %win = tensor.empty() : tensor<2x2xf32>
  %e = tensor.empty() : tensor<1x2x2x2xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  %p = linalg.pooling_nhwc_sum {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%xd, %win : tensor<1x4x4x2xf32>, tensor<2x2xf32>) outs(%init : tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  %m = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%p : tensor<1x2x2x2xf32>) outs(%e : tensor<1x2x2x2xf32>) {
  ^bb0(%a: f32, %o: f32):
    %q = arith.constant 0.25 : f32
    %r = arith.mulf %a, %q : f32
    linalg.yield %r : f32
  } -> tensor<1x2x2x2xf32>
  %y = potq.quantize %m : tensor<1x2x2x2xf32> -> tensor<1x2x2x2x!b>
  return %y : tensor<1x2x2x2x!b>
}

// -----

!a = !potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 2.0e-02>
!b = !potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 4.0e-02>

// Max pooling into a different quantization: pool the levels, requantize.
// CHECK-LABEL: func.func @max_pool_requantize
// CHECK: %[[P:.*]] = potq.max_pool_2d_nhwc %arg0 {{.*}} -> tensor<1x2x2x2x!potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 2.0e-02>>
// CHECK: %[[Y:.*]] = potq.requantize %[[P]] {{.*}} -> tensor<1x2x2x2x!potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 4.0e-02>>
// CHECK: return %[[Y]]
func.func @max_pool_requantize(%x: tensor<1x4x4x2x!a>) -> tensor<1x2x2x2x!b> {
  %xd = potq.dequantize %x : tensor<1x4x4x2x!a> -> tensor<1x4x4x2xf32>
  %ninf = arith.constant 0xFF800000 : f32
  %win = tensor.empty() : tensor<2x2xf32>
  %e = tensor.empty() : tensor<1x2x2x2xf32>
  %init = linalg.fill ins(%ninf : f32) outs(%e : tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  %p = linalg.pooling_nhwc_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%xd, %win : tensor<1x4x4x2xf32>, tensor<2x2xf32>) outs(%init : tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  %y = potq.quantize %p : tensor<1x2x2x2xf32> -> tensor<1x2x2x2x!b>
  return %y : tensor<1x2x2x2x!b>
}

// -----

!a = !potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 2.0e-02>
!b = !potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 3.0e-02>
!y = !potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 4.0e-02>

// A sum of two quantized tensors followed by ReLU becomes potq.add.
// CHECK-LABEL: func.func @skip_add
// CHECK: %[[Y:.*]] = potq.add %arg0, %arg1 {clamp_min = 0 : i64}
// CHECK-NOT: linalg
// CHECK: return %[[Y]]
func.func @skip_add(%a: tensor<8x!a>, %b: tensor<8x!b>) -> tensor<8x!y> {
  %ad = potq.dequantize %a : tensor<8x!a> -> tensor<8xf32>
  %bd = potq.dequantize %b : tensor<8x!b> -> tensor<8xf32>
  %e = tensor.empty() : tensor<8xf32>
  %s = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%ad, %bd : tensor<8xf32>, tensor<8xf32>) outs(%e : tensor<8xf32>) {
  ^bb0(%x: f32, %z: f32, %o: f32):
    %r = arith.addf %x, %z : f32
    linalg.yield %r : f32
  } -> tensor<8xf32>
  %relu = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%s : tensor<8xf32>) outs(%e : tensor<8xf32>) {
  ^bb0(%x: f32, %o: f32):
    %zero = arith.constant 0.0 : f32
    %m = arith.maximumf %x, %zero : f32
    linalg.yield %m : f32
  } -> tensor<8xf32>
  %y = potq.quantize %relu : tensor<8xf32> -> tensor<8x!y>
  return %y : tensor<8x!y>
}
