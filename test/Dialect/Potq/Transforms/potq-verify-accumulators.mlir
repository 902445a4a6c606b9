// RUN: potq-opt %s -split-input-file --potq-verify-accumulators -verify-diagnostics

// 255 * (64 * 4) = 65280 fits: no diagnostic.
func.func @fits(%x: tensor<1x4x!potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 1.0e+00>>) -> tensor<1x1xi32> {
  %w = potq.constant dense<64> : tensor<4x1xi8> -> tensor<4x1x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e+00>>
  %y = potq.matmul %x, %w : tensor<1x4x!potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 1.0e+00>>, tensor<4x1x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e+00>> -> tensor<1x1xi32>
  return %y : tensor<1x1xi32>
}

// -----

// Constant weights: exact per-channel sums. Channel 1 has Σ|W| = 2 * 16384
// and |x| <= 32768: 2^30, plus a bias of 2^30 reaches 2^31.
func.func @bias_tips_over(%x: tensor<1x2x!potq.q<#potq.uniform<bits = 16>, f32, scale = 1.0e+00>>) -> tensor<1x2xi32> {
  %w = potq.constant dense<[[1, 16384], [0, -16384]]> : tensor<2x2xi16> -> tensor<2x2x!potq.q<#potq.pot<bits = 5>, f32, scale = 1.0e+00>>
  %b = arith.constant dense<[0, 1073741824]> : tensor<2xi32>
  // expected-error@+1 {{accumulator may overflow i32: output channel 1 can reach 2147483648 (max |x - Zx| = 32768 times Σ|W| = 32768, plus |bias| and residual = 1073741824)}}
  %y = potq.matmul %x, %w bias %b : tensor<1x2x!potq.q<#potq.uniform<bits = 16>, f32, scale = 1.0e+00>>, tensor<2x2x!potq.q<#potq.pot<bits = 5>, f32, scale = 1.0e+00>>, tensor<2xi32> -> tensor<1x2xi32>
  return %y : tensor<1x2xi32>
}

// -----

// Non-constant weights: K * max|level| * max|x| = 3*3*256 * 16384 * 32768.
func.func @conv_bound(%x: tensor<1x5x5x256x!potq.q<#potq.uniform<bits = 16>, f32, scale = 1.0e+00>>, %w: tensor<3x3x256x1x!potq.q<#potq.pot<bits = 5>, f32, scale = 1.0e+00>>) -> tensor<1x3x3x1xi32> {
  // expected-error@+1 {{output channel 0 can reach 1236950581248}}
  %y = potq.conv_2d_nhwc_hwcf %x, %w : tensor<1x5x5x256x!potq.q<#potq.uniform<bits = 16>, f32, scale = 1.0e+00>>, tensor<3x3x256x1x!potq.q<#potq.pot<bits = 5>, f32, scale = 1.0e+00>> -> tensor<1x3x3x1xi32>
  return %y : tensor<1x3x3x1xi32>
}

// -----

// The raw i64 accumulator is never reported.
func.func @wide(%x: tensor<1x5x5x256x!potq.q<#potq.uniform<bits = 16>, f32, scale = 1.0e+00>>, %w: tensor<3x3x256x1x!potq.q<#potq.pot<bits = 5>, f32, scale = 1.0e+00>>) -> tensor<1x3x3x1xi64> {
  %y = potq.conv_2d_nhwc_hwcf %x, %w : tensor<1x5x5x256x!potq.q<#potq.uniform<bits = 16>, f32, scale = 1.0e+00>>, tensor<3x3x256x1x!potq.q<#potq.pot<bits = 5>, f32, scale = 1.0e+00>> -> tensor<1x3x3x1xi64>
  return %y : tensor<1x3x3x1xi64>
}

// -----

func.func @bias_unknown(%x: tensor<1x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>, %b: tensor<2xi32>) -> tensor<1x2xi32> {
  %w = potq.constant dense<1> : tensor<2x2xi8> -> tensor<2x2x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e+00>>
  // expected-error@+1 {{cannot bound the accumulator: the bias is not a constant}}
  %y = potq.matmul %x, %w bias %b : tensor<1x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>, tensor<2x2x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e+00>>, tensor<2xi32> -> tensor<1x2xi32>
  return %y : tensor<1x2xi32>
}

// -----

func.func @dynamic_reduction(%x: tensor<1x?x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>, %w: tensor<?x2x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e+00>>) -> tensor<1x2xi32> {
  // expected-error@+1 {{cannot bound the accumulator: the reduction size is dynamic and the weight is not a constant}}
  %y = potq.matmul %x, %w : tensor<1x?x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>, tensor<?x2x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e+00>> -> tensor<1x2xi32>
  return %y : tensor<1x2xi32>
}

// -----

// The residual counts in accumulator units: 255 * (2.0 / (1.0 * 1.0e-7)) is
// far beyond i32 although the matmul alone (255 * 1) is tiny.
func.func @residual_bound(%x: tensor<1x1x!potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 1.0e+00>>, %r: tensor<1x1x!potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 2.0e+00>>) -> tensor<1x1x!potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 1.0e+00>> {
  %w = potq.constant dense<1> : tensor<1x1xi8> -> tensor<1x1x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e-07>>
  // expected-error@+1 {{output channel 0 can reach 5100000196 (max |x - Zx| = 255 times Σ|W| = 1, plus |bias| and residual = 5099999941)}}
  %y = potq.matmul %x, %w residual(%r : tensor<1x1x!potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 2.0e+00>>) : tensor<1x1x!potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 1.0e+00>>, tensor<1x1x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e-07>> -> tensor<1x1x!potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 1.0e+00>>
  return %y : tensor<1x1x!potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 1.0e+00>>
}
