// RUN: potq-opt %s -split-input-file -verify-diagnostics

// The ContractionOpInterface verifier holds the checks every contraction
// shares (ranks from the indexing maps, windows, weight zero point and
// channel axis, bias, residual, clamps, multipliers); each op adds only its
// shape rule. These cases give the shared checks to the ops that invalid.mlir
// exercises less, the depthwise convolution first: its channel axes (weight
// 2, result 3) and its rank-3 filter come from the interface.

!x = tensor<1x5x5x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>
!w = tensor<3x3x2x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e+00>>
func.func @depthwise_rank(%x: !x, %w: tensor<3x3x2x1x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e+00>>) -> tensor<1x3x3x2xi32> {
  // expected-error@+1 {{'potq.depthwise_conv_2d_nhwc_hwc' op expected an input of rank 4 and a weight of rank 3, got ranks 4 and 4}}
  %y = potq.depthwise_conv_2d_nhwc_hwc %x, %w : !x, tensor<3x3x2x1x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e+00>> -> tensor<1x3x3x2xi32>
  return %y : tensor<1x3x3x2xi32>
}

// -----

!x = tensor<1x5x5x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>
!w = tensor<3x3x2x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e+00>>
func.func @depthwise_strides(%x: !x, %w: !w) -> tensor<1x3x3x2xi32> {
  // expected-error@+1 {{'potq.depthwise_conv_2d_nhwc_hwc' op strides must be two positive values [height, width], got [1, 0]}}
  %y = potq.depthwise_conv_2d_nhwc_hwc %x, %w {strides = array<i64: 1, 0>} : !x, !w -> tensor<1x3x3x2xi32>
  return %y : tensor<1x3x3x2xi32>
}

// -----

// Windows are checked before the ranks: the indexing maps read them.
!w = tensor<3x3x2x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e+00>>
func.func @depthwise_dilations_before_rank(%x: tensor<5x5x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>, %w: !w) -> tensor<1x3x3x2xi32> {
  // expected-error@+1 {{'potq.depthwise_conv_2d_nhwc_hwc' op dilations must be two positive values [height, width], got [2]}}
  %y = potq.depthwise_conv_2d_nhwc_hwc %x, %w {dilations = array<i64: 2>} : tensor<5x5x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>, !w -> tensor<1x3x3x2xi32>
  return %y : tensor<1x3x3x2xi32>
}

// -----

!x = tensor<1x5x5x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>
!w = tensor<3x3x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00, zero_point = 1>>
func.func @depthwise_weight_zero_point(%x: !x, %w: !w) -> tensor<1x3x3x2xi32> {
  // expected-error@+1 {{'potq.depthwise_conv_2d_nhwc_hwc' op weights must have zero point 0}}
  %y = potq.depthwise_conv_2d_nhwc_hwc %x, %w : !x, !w -> tensor<1x3x3x2xi32>
  return %y : tensor<1x3x3x2xi32>
}

// -----

!x = tensor<1x5x5x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>
!w = tensor<3x3x2x!potq.q<#potq.pot<bits = 4>, f32, axis = 2, scales = [1.0e+00, 1.0e+00, 1.0e+00]>>
func.func @depthwise_scales(%x: !x, %w: !w) -> tensor<1x3x3x2xi32> {
  // expected-error@+1 {{'potq.depthwise_conv_2d_nhwc_hwc' op weight type has 3 scales but dimension 2 has size 2}}
  %y = potq.depthwise_conv_2d_nhwc_hwc %x, %w : !x, !w -> tensor<1x3x3x2xi32>
  return %y : tensor<1x3x3x2xi32>
}

// -----

!x = tensor<1x5x5x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>
!w = tensor<3x3x2x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e+00>>
func.func @depthwise_result_shape(%x: !x, %w: !w) -> tensor<1x3x3x3xi32> {
  // expected-error@+1 {{'potq.depthwise_conv_2d_nhwc_hwc' op result shape [1, 3, 3, 3] does not match the expected shape [1, 3, 3, 2]}}
  %y = potq.depthwise_conv_2d_nhwc_hwc %x, %w : !x, !w -> tensor<1x3x3x3xi32>
  return %y : tensor<1x3x3x3xi32>
}

// -----

// The bias has one level per output channel: the weight's channel axis 2.
!x = tensor<1x5x5x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>
!w = tensor<3x3x2x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e+00>>
func.func @depthwise_bias(%x: !x, %w: !w, %b: tensor<3xi32>) -> tensor<1x3x3x2xi32> {
  // expected-error@+1 {{'potq.depthwise_conv_2d_nhwc_hwc' op bias must hold one i32 level per output channel (2), got 'tensor<3xi32>'}}
  %y = potq.depthwise_conv_2d_nhwc_hwc %x, %w bias %b : !x, !w, tensor<3xi32> -> tensor<1x3x3x2xi32>
  return %y : tensor<1x3x3x2xi32>
}

// -----

!x = tensor<1x5x5x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>
!w = tensor<3x3x2x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e+00>>
!y = tensor<1x3x3x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>
func.func @depthwise_residual_shape(%x: !x, %w: !w, %r: tensor<1x3x3x1x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>) -> !y {
  // expected-error@+1 {{'potq.depthwise_conv_2d_nhwc_hwc' op residual shape [1, 3, 3, 1] differs from the result shape [1, 3, 3, 2]}}
  %y = potq.depthwise_conv_2d_nhwc_hwc %x, %w residual(%r : tensor<1x3x3x1x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>) : !x, !w -> !y
  return %y : !y
}

// -----

!x = tensor<1x5x5x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>
!w = tensor<3x3x2x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e+00>>
func.func @depthwise_clamp_integer(%x: !x, %w: !w) -> tensor<1x3x3x2xi64> {
  // expected-error@+1 {{'potq.depthwise_conv_2d_nhwc_hwc' op clamp_min/clamp_max need a quantized result; an integer result is the raw accumulator}}
  %y = potq.depthwise_conv_2d_nhwc_hwc %x, %w {clamp_max = 3 : i64} : !x, !w -> tensor<1x3x3x2xi64>
  return %y : tensor<1x3x3x2xi64>
}

// -----

!x = tensor<1x5x5x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>
!w = tensor<3x3x2x!potq.q<#potq.pot<bits = 4>, f32, axis = 2, scales = [1.0e+00, 1.0e-30]>>
!y = tensor<1x3x3x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>
func.func @depthwise_multiplier(%x: !x, %w: !w) -> !y {
  // expected-error@+1 {{'potq.depthwise_conv_2d_nhwc_hwc' op requantization multiplier of channel 1 is unsupported}}
  %y = potq.depthwise_conv_2d_nhwc_hwc %x, %w : !x, !w -> !y
  return %y : !y
}

// -----

// The other ops: the same checks through the same verifier.
!x = tensor<1x3x4x4x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>
!w = tensor<2x3x3x3x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e+00>>
func.func @nchw_bias(%x: !x, %w: !w, %b: tensor<3xi32>) -> tensor<1x2x2x2xi32> {
  // expected-error@+1 {{'potq.conv_2d_nchw_fchw' op bias must hold one i32 level per output channel (2), got 'tensor<3xi32>'}}
  %y = potq.conv_2d_nchw_fchw %x, %w bias %b : !x, !w, tensor<3xi32> -> tensor<1x2x2x2xi32>
  return %y : tensor<1x2x2x2xi32>
}

// -----

!x = tensor<2x1x4x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>
!w = tensor<2x4x3x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e+00>>
func.func @batch_matmul_wide_i32(%x: !x, %w: !w) -> tensor<2x1x3xi32> {
  // expected-error@+1 {{'potq.batch_matmul' op wide_accumulator needs a quantized or i64 result}}
  %y = potq.batch_matmul %x, %w {wide_accumulator} : !x, !w -> tensor<2x1x3xi32>
  return %y : tensor<2x1x3xi32>
}

// -----

!x = tensor<1x4x4x3x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>
!w = tensor<3x3x3x2x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e+00>>
func.func @nhwc_input_per_channel(%x: tensor<1x4x4x3x!potq.q<#potq.uniform<bits = 8>, f32, axis = 3, scales = [1.0e+00, 1.0e+00, 1.0e+00]>>, %w: !w) -> tensor<1x2x2x2xi32> {
  // expected-error@+1 {{'potq.conv_2d_nhwc_hwcf' op input must be a per-tensor uniform quantized type}}
  %y = potq.conv_2d_nhwc_hwcf %x, %w : tensor<1x4x4x3x!potq.q<#potq.uniform<bits = 8>, f32, axis = 3, scales = [1.0e+00, 1.0e+00, 1.0e+00]>>, !w -> tensor<1x2x2x2xi32>
  return %y : tensor<1x2x2x2xi32>
}
