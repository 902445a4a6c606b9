// RUN: potq-opt %s --potq-cost-report -o /dev/null 2>/dev/null | FileCheck %s --check-prefix=COST
// RUN: potq-opt %s --potq-verify-accumulators -verify-diagnostics -o /dev/null

// Zero-point padding in the analyses: padded positions add (Zx - Zx) * W = 0,
// so the accumulator bound max|x - Zx| * Σ|W| is the unpadded one, while the
// number of positions follows the padded result shape.

!x = tensor<1x3x3x1x!potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 1.0e+00, zero_point = 128>>
!w = tensor<3x3x1x2x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e+00>>

// "Same" padding: 3x3 positions of 18 weights (9 per output channel), 162
// multiply-accumulates; 128 * 9 * 64 = 73728 fits i32.
// COST-LABEL: potq-cost-report: @same #0 potq.conv_2d_nhwc_hwcf: weight 3x3x1x2 pot<bits = 4>, 9 positions, i32 accumulator
// COST: int8 MAC:  162 multiplies, 162 adds
func.func @same(%x: !x) -> tensor<1x3x3x2xi32> {
  %w = potq.constant dense<64> : tensor<3x3x1x2xi8> -> !w
  %y = potq.conv_2d_nhwc_hwcf %x, %w {padding = array<i64: 1, 1, 1, 1>} : !x, !w -> tensor<1x3x3x2xi32>
  return %y : tensor<1x3x3x2xi32>
}

// The bound does not grow with the padding: 65535 * Σ|W| with Σ|W| =
// 9 * 16384 overflows i32 with or without it.
!x16 = tensor<1x3x3x1x!potq.q<#potq.uniform<bits = 16, unsigned>, f32, scale = 1.0e+00>>
!w5 = tensor<3x3x1x1x!potq.q<#potq.pot<bits = 5>, f32, scale = 1.0e+00>>
func.func @overflow(%x: !x16) -> tensor<1x5x1x1xi32> {
  %w = potq.constant dense<16384> : tensor<3x3x1x1xi16> -> !w5
  // expected-error@+1 {{accumulator may overflow i32: output channel 0 can reach 9663528960 (max |x - Zx| = 65535 times Σ|W| = 147456, plus |bias| and residual = 0)}}
  %y = potq.conv_2d_nhwc_hwcf %x, %w {strides = array<i64: 1, 2>, padding = array<i64: 2, 0, 2, 1>} : !x16, !w5 -> tensor<1x5x1x1xi32>
  return %y : tensor<1x5x1x1xi32>
}
