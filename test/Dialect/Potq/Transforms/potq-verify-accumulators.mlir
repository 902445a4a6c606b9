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

// -----

// Issue 10 B: K = 2^34 makes 2^34 * 2^14 * 2^15 = 2^63, which wrapped to a
// negative int64 and was accepted. Bounds now saturate.
func.func @huge_reduction(%x: tensor<1x17179869184x!potq.q<#potq.uniform<bits = 16>, f32, scale = 1.0e+00>>, %w: tensor<17179869184x1x!potq.q<#potq.pot<bits = 5>, f32, scale = 1.0e+00>>) -> tensor<1x1xi32> {
  // expected-error@+1 {{output channel 0 can reach 2^63 or more (max |x - Zx| = 32768 times Σ|W| = 281474976710656, plus |bias| and residual = 0)}}
  %y = potq.matmul %x, %w : tensor<1x17179869184x!potq.q<#potq.uniform<bits = 16>, f32, scale = 1.0e+00>>, tensor<17179869184x1x!potq.q<#potq.pot<bits = 5>, f32, scale = 1.0e+00>> -> tensor<1x1xi32>
  return %y : tensor<1x1xi32>
}

// -----

// K * max|level| itself overflows: 2^50 * 2^14.
func.func @huge_k_times_level(%x: tensor<1x1125899906842624x!potq.q<#potq.uniform<bits = 2, unsigned>, f32, scale = 1.0e+00>>, %w: tensor<1125899906842624x1x!potq.q<#potq.pot<bits = 5>, f32, scale = 1.0e+00>>) -> tensor<1x1xi32> {
  // expected-error@+1 {{can reach 2^63 or more (max |x - Zx| = 3 times Σ|W| = 2^63 or more, plus |bias| and residual = 0)}}
  %y = potq.matmul %x, %w : tensor<1x1125899906842624x!potq.q<#potq.uniform<bits = 2, unsigned>, f32, scale = 1.0e+00>>, tensor<1125899906842624x1x!potq.q<#potq.pot<bits = 5>, f32, scale = 1.0e+00>> -> tensor<1x1xi32>
  return %y : tensor<1x1xi32>
}

// -----

// The product KH * KW * C of a convolution's static weight shape overflows
// int64 (2^32 * 2^32 * 1).
func.func @conv_shape_overflow(%x: tensor<1x4294967296x4294967296x1x!potq.q<#potq.uniform<bits = 2, unsigned>, f32, scale = 1.0e+00>>, %w: tensor<4294967296x4294967296x1x1x!potq.q<#potq.pot<bits = 2>, f32, scale = 1.0e+00>>) -> tensor<1x1x1x1xi32> {
  // expected-error@+1 {{can reach 2^63 or more}}
  %y = potq.conv_2d_nhwc_hwcf %x, %w : tensor<1x4294967296x4294967296x1x!potq.q<#potq.uniform<bits = 2, unsigned>, f32, scale = 1.0e+00>>, tensor<4294967296x4294967296x1x1x!potq.q<#potq.pot<bits = 2>, f32, scale = 1.0e+00>> -> tensor<1x1x1x1xi32>
  return %y : tensor<1x1x1x1xi32>
}

// -----

// Issue 10 E: a splat weight of 2^34 x 2 elements is bounded from its one
// value times the elements of a channel (2^14 * 2^34 = 2^48), instantly: 128 * 2^48 + 7.
func.func @splat_weight(%x: tensor<1x17179869184x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>) -> tensor<1x2xi32> {
  %w = potq.constant dense<16384> : tensor<17179869184x2xi16> -> tensor<17179869184x2x!potq.q<#potq.pot<bits = 5>, f32, scale = 1.0e+00>>
  %b = arith.constant dense<[0, 7]> : tensor<2xi32>
  // expected-error@+1 {{output channel 1 can reach 36028797018963975 (max |x - Zx| = 128 times Σ|W| = 281474976710656, plus |bias| and residual = 7)}}
  %y = potq.matmul %x, %w bias %b : tensor<1x17179869184x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>, tensor<17179869184x2x!potq.q<#potq.pot<bits = 5>, f32, scale = 1.0e+00>>, tensor<2xi32> -> tensor<1x2xi32>
  return %y : tensor<1x2xi32>
}

// -----

// A splat weight that fits: 3 * (1 * 2^20) < 2^31, whatever the channels.
func.func @splat_weight_fits(%x: tensor<1x1048576x!potq.q<#potq.uniform<bits = 2, unsigned>, f32, scale = 1.0e+00>>) -> tensor<1x4294967296xi32> {
  %w = potq.constant dense<1> : tensor<1048576x4294967296xi8> -> tensor<1048576x4294967296x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e+00>>
  %b = arith.constant dense<5> : tensor<4294967296xi32>
  %y = potq.matmul %x, %w bias %b : tensor<1x1048576x!potq.q<#potq.uniform<bits = 2, unsigned>, f32, scale = 1.0e+00>>, tensor<1048576x4294967296x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e+00>>, tensor<4294967296xi32> -> tensor<1x4294967296xi32>
  return %y : tensor<1x4294967296xi32>
}
