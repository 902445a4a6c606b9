// RUN: potq-opt %s -split-input-file -canonicalize | FileCheck %s

// Constant folding of the potq ops. Every expected level is computed by hand
// from SPEC section 4 (projection: t = r / s as a binary32 division, NaN to
// the zero point, nearest level to t + Z, ties to the smaller |L - Z|,
// clamping at the extremes) and section 6 (requantization: m = s_in / s_out
// as M * 2^-sh, y = clamp(Z_out + ((x - Z_in) * M + 2^(sh-1)) >> sh)).
// Storage integers print signed: level 200 of an unsigned 8-bit encoding is
// the i8 value -56.

//===----------------------------------------------------------------------===//
// quantize(arith.constant) -> potq.constant
//===----------------------------------------------------------------------===//

// pot<4> = {0, ±1, ±2, ±4, ..., ±64}, scale 1/8:
//   0.1 / 0.125 = 0.8 -> 1; 0.2 -> 1.6 -> 2; 0.3 -> 2.4 -> 2; -1.0 -> -8;
//   100.0 -> 800 -> 64 (clamped); 0.0625 -> 0.5, a tie -> 0; -0.1875 -> -1.5,
//   a tie -> -1.
// CHECK-LABEL: func.func @quantize_pot
// CHECK-NOT: potq.quantize
// CHECK: %[[C:.*]] = potq.constant dense<[0, 1, 2, 2, -8, 64, 0, -1]> : tensor<8xi8> -> tensor<8x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.25e-01>>
// CHECK-NOT: potq.quantize
// CHECK: return %[[C]]
func.func @quantize_pot() -> tensor<8x!potq.q<#potq.pot<bits = 4>, f32, scale = 0.125>> {
  %cst = arith.constant dense<[0.0, 0.1, 0.2, 0.3, -1.0, 100.0, 0.0625, -0.1875]> : tensor<8xf32>
  %q = potq.quantize %cst : tensor<8xf32> -> tensor<8x!potq.q<#potq.pot<bits = 4>, f32, scale = 0.125>>
  return %q : tensor<8x!potq.q<#potq.pot<bits = 4>, f32, scale = 0.125>>
}

// -----

// Ties between two levels go to the smaller magnitude, not to even and not
// away from zero: 1.5 -> 1, -1.5 -> -1, 3.0 (between 2 and 4) -> 2,
// 6.0 (between 4 and 8) -> 4, ±0.5 -> 0, 48.0 (between 32 and 64) -> 32.
// Just off the tie: 2.9999998 -> 2 and 3.0000002 -> 4. 96.0 clamps to 64.
// CHECK-LABEL: func.func @pot_ties
// CHECK: potq.constant dense<[1, -1, 2, -2, 4, 0, 0, 32, 64, 2, 4]> : tensor<11xi8> -> tensor<11x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e+00>>
func.func @pot_ties() -> tensor<11x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0>> {
  %cst = arith.constant dense<[1.5, -1.5, 3.0, -3.0, 6.0, 0.5, -0.5, 48.0, 96.0, 2.99999976, 3.00000024]> : tensor<11xf32>
  %q = potq.quantize %cst : tensor<11xf32> -> tensor<11x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0>>
  return %q : tensor<11x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0>>
}

// -----

// Uniform ties also go to the smaller magnitude: 3.5 -> 3 (ties-to-even
// would give 4), -127.5 -> -127; 127.5 and -128.5 clamp.
// CHECK-LABEL: func.func @uniform_ties
// CHECK: potq.constant dense<[2, -2, 3, -3, 0, 0, 126, -127, 127, -128]> : tensor<10xi8>
func.func @uniform_ties() -> tensor<10x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>> {
  %cst = arith.constant dense<[2.5, -2.5, 3.5, -3.5, 0.5, -0.5, 126.5, -127.5, 127.5, -128.5]> : tensor<10xf32>
  %q = potq.quantize %cst : tensor<10xf32> -> tensor<10x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>
  return %q : tensor<10x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>
}

// -----

// With a zero point Z, ties go to the level nearer Z: t + Z = 12.5 -> 12,
// 7.5 -> 8, 10.5 -> 10, 9.5 -> 10, 11.5 -> 11.
// CHECK-LABEL: func.func @uniform_zero_point_ties
// CHECK: potq.constant dense<[12, 8, 10, 10, 11]> : tensor<5xi8> -> tensor<5x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00, zero_point = 10>>
func.func @uniform_zero_point_ties() -> tensor<5x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0, zero_point = 10>> {
  %cst = arith.constant dense<[2.5, -2.5, 0.5, -0.5, 1.5]> : tensor<5xf32>
  %q = potq.quantize %cst : tensor<5xf32> -> tensor<5x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0, zero_point = 10>>
  return %q : tensor<5x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0, zero_point = 10>>
}

// -----

// Unsigned, scale 0.5, Z = 128: 1.25 -> 130.5 -> 130 (i8 -126),
// -1.25 -> 125.5 -> 126, ±100 clamp to 255 (i8 -1) and 0, NaN and -0.0 give
// the zero point 128 (i8 -128).
// CHECK-LABEL: func.func @unsigned_zero_point
// CHECK: potq.constant dense<[-126, 126, -1, 0, -128, -128]> : tensor<6xi8> -> tensor<6x!potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 5.0e-01, zero_point = 128>>
func.func @unsigned_zero_point() -> tensor<6x!potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 0.5, zero_point = 128>> {
  %cst = arith.constant dense<[1.25, -1.25, 100.0, -100.0, 0x7FC00000, -0.0]> : tensor<6xf32>
  %q = potq.quantize %cst : tensor<6xf32> -> tensor<6x!potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 0.5, zero_point = 128>>
  return %q : tensor<6x!potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 0.5, zero_point = 128>>
}

// -----

// Narrow ranges clamp to -127; an unsigned range without zero point clamps
// negative values to 0. 200 is the i8 -56.
// CHECK-LABEL: func.func @narrow_and_unsigned_clamp
// CHECK-DAG: potq.constant dense<[-127, -127, 127]> : tensor<3xi8> -> tensor<3x!potq.q<#potq.uniform<bits = 8, narrow>, f32, scale = 1.0e+00>>
// CHECK-DAG: potq.constant dense<[0, -56, -1]> : tensor<3xi8> -> tensor<3x!potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 1.0e+00>>
func.func @narrow_and_unsigned_clamp()
    -> (tensor<3x!potq.q<#potq.uniform<bits = 8, narrow>, f32, scale = 1.0>>,
        tensor<3x!potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 1.0>>) {
  %a = arith.constant dense<[-200.0, -127.5, 127.5]> : tensor<3xf32>
  %b = arith.constant dense<[-3.0, 200.0, 255.5]> : tensor<3xf32>
  %0 = potq.quantize %a : tensor<3xf32> -> tensor<3x!potq.q<#potq.uniform<bits = 8, narrow>, f32, scale = 1.0>>
  %1 = potq.quantize %b : tensor<3xf32> -> tensor<3x!potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 1.0>>
  return %0, %1 : tensor<3x!potq.q<#potq.uniform<bits = 8, narrow>, f32, scale = 1.0>>,
                  tensor<3x!potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 1.0>>
}

// -----

// Values beyond the extremes and ±inf clamp to the extreme levels, also when
// the binary32 quotient overflows (3.0e38 / 0.5 = inf).
// CHECK-LABEL: func.func @clamping
// CHECK-DAG: potq.constant dense<[127, -128, 127, -128]> : tensor<4xi8> -> tensor<4x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>
// CHECK-DAG: potq.constant dense<[64, -64, 64, -64]> : tensor<4xi8> -> tensor<4x!potq.q<#potq.pot<bits = 4>, f32, scale = 5.0e-01>>
func.func @clamping()
    -> (tensor<4x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>,
        tensor<4x!potq.q<#potq.pot<bits = 4>, f32, scale = 0.5>>) {
  %a = arith.constant dense<[1.0e30, -1.0e30, 0x7F800000, 0xFF800000]> : tensor<4xf32>
  %b = arith.constant dense<[3.0e38, -3.0e38, 0x7F800000, 0xFF800000]> : tensor<4xf32>
  %0 = potq.quantize %a : tensor<4xf32> -> tensor<4x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>
  %1 = potq.quantize %b : tensor<4xf32> -> tensor<4x!potq.q<#potq.pot<bits = 4>, f32, scale = 0.5>>
  return %0, %1 : tensor<4x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>,
                  tensor<4x!potq.q<#potq.pot<bits = 4>, f32, scale = 0.5>>
}

// -----

// NaN (quiet, negative, signalling) and -0.0 map to the zero point.
// CHECK-LABEL: func.func @nan_and_negative_zero
// CHECK-DAG: potq.constant dense<0> : tensor<5xi8> -> tensor<5x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e+00>>
// CHECK-DAG: potq.constant dense<-5> : tensor<5xi8> -> tensor<5x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00, zero_point = -5>>
func.func @nan_and_negative_zero()
    -> (tensor<5x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0>>,
        tensor<5x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0, zero_point = -5>>) {
  %cst = arith.constant dense<[0x7FC00000, 0xFFC00000, 0x7F800001, -0.0, 0.0]> : tensor<5xf32>
  %0 = potq.quantize %cst : tensor<5xf32> -> tensor<5x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0>>
  %1 = potq.quantize %cst : tensor<5xf32> -> tensor<5x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0, zero_point = -5>>
  return %0, %1 : tensor<5x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0>>,
                  tensor<5x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0, zero_point = -5>>
}

// -----

// The quotient is a binary32 division of the binary32 operands.
// 0.3f / 0.1f = 3.0 exactly in binary32 (the real quotient of the two
// binary32 values is 2.99999997...): uniform 3; for pot<4> it is the tie
// between 2 and 4 -> 2.
// 0.15f / 0.1f: the real quotient of the binary32 values is 1.50000004, but
// the binary32 quotient is exactly 1.5, a tie -> 1 (a double division would
// give 2); -0.15 -> -1. 0.65f / 0.1f = 6.4999995 -> 6.
// CHECK-LABEL: func.func @binary32_division
// CHECK-DAG: potq.constant dense<[3, 1, -1, 6]> : tensor<4xi8> -> tensor<4x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e-01>>
// CHECK-DAG: potq.constant dense<[2, 1, -1, 8]> : tensor<4xi8> -> tensor<4x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e-01>>
func.func @binary32_division()
    -> (tensor<4x!potq.q<#potq.uniform<bits = 8>, f32, scale = 0.1>>,
        tensor<4x!potq.q<#potq.pot<bits = 4>, f32, scale = 0.1>>) {
  %cst = arith.constant dense<[0.3, 0.15, -0.15, 0.65]> : tensor<4xf32>
  %0 = potq.quantize %cst : tensor<4xf32> -> tensor<4x!potq.q<#potq.uniform<bits = 8>, f32, scale = 0.1>>
  %1 = potq.quantize %cst : tensor<4xf32> -> tensor<4x!potq.q<#potq.pot<bits = 4>, f32, scale = 0.1>>
  return %0, %1 : tensor<4x!potq.q<#potq.uniform<bits = 8>, f32, scale = 0.1>>,
                  tensor<4x!potq.q<#potq.pot<bits = 4>, f32, scale = 0.1>>
}

// -----

// The binary32 quotient lands on the other side of the exact decimal
// quotient: 2.45 / 0.7 is exactly 3.5 in decimal (a tie -> 3), but
// 2.45f / 0.7f = 3.5000002 -> 4; likewise -2.45 -> -4, 4.55 / 0.7 (6.5 in
// decimal) -> 6.5000005 -> 7, and 0.045 / 0.01 (4.5) -> 4.5000005 -> 5.
// CHECK-LABEL: func.func @binary32_vs_decimal
// CHECK-DAG: potq.constant dense<[4, -4, 7]> : tensor<3xi8> -> tensor<3x!potq.q<#potq.uniform<bits = 8>, f32, scale = 7.0e-01>>
// CHECK-DAG: potq.constant dense<5> : tensor<1xi8> -> tensor<1x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e-02>>
func.func @binary32_vs_decimal()
    -> (tensor<3x!potq.q<#potq.uniform<bits = 8>, f32, scale = 0.7>>,
        tensor<1x!potq.q<#potq.uniform<bits = 8>, f32, scale = 0.01>>) {
  %a = arith.constant dense<[2.45, -2.45, 4.55]> : tensor<3xf32>
  %b = arith.constant dense<[0.045]> : tensor<1xf32>
  %0 = potq.quantize %a : tensor<3xf32> -> tensor<3x!potq.q<#potq.uniform<bits = 8>, f32, scale = 0.7>>
  %1 = potq.quantize %b : tensor<1xf32> -> tensor<1x!potq.q<#potq.uniform<bits = 8>, f32, scale = 0.01>>
  return %0, %1 : tensor<3x!potq.q<#potq.uniform<bits = 8>, f32, scale = 0.7>>,
                  tensor<1x!potq.q<#potq.uniform<bits = 8>, f32, scale = 0.01>>
}

// -----

// A denormal scale: 1.0e-40 is 71362 * 2^-149 in binary32, so
// 1.0e-38 / 1.0e-40 = 100.000534 -> 100; 1.0 / 1.0e-40 overflows to inf and
// clamps; 1.0e-45 (2^-149) / 1.0e-40 = 1.4e-5 -> 0.
// CHECK-LABEL: func.func @denormal_scale
// CHECK: potq.constant dense<[100, -100, 127, 0]> : tensor<4xi8> -> tensor<4x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e-40>>
func.func @denormal_scale() -> tensor<4x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e-40>> {
  %cst = arith.constant dense<[1.0e-38, -1.0e-38, 1.0, 1.0e-45]> : tensor<4xf32>
  %q = potq.quantize %cst : tensor<4xf32> -> tensor<4x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e-40>>
  return %q : tensor<4x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e-40>>
}

// -----

// Per-channel types: each channel projects with its own scale.
// apot<4> = ±{0,1,2,3,4,6,8,10}, axis 1, scales [1.0, 0.5]:
//   [[3.0 -> 3, 3.0 / 0.5 = 6 -> 6], [5.0 -> tie 4|6 -> 4, -10 -> -10]].
// pot<3> = {0, ±1, ±2, ±4}, axis 0, scales [1.0, 0.25, 2.0]:
//   row 0: 1.5 -> 1, 3.0 -> 2; row 1: 1.5 -> 1, 2.0 -> 2; row 2: 1.5 -> 1, 6.0 -> 4.
// CHECK-LABEL: func.func @per_channel
// CHECK-DAG: potq.constant dense<{{\[}}[3, 6], [4, -10]]> : tensor<2x2xi8> -> tensor<2x2x!potq.q<#potq.apot<bits = 4>, f32, axis = 1, scales = [1.0e+00, 5.0e-01]>>
// CHECK-DAG: potq.constant dense<{{\[}}[1, 2], [1, 2], [1, 4]]> : tensor<3x2xi8> -> tensor<3x2x!potq.q<#potq.pot<bits = 3>, f32, axis = 0, scales = [1.0e+00, 2.5e-01, 2.0e+00]>>
func.func @per_channel()
    -> (tensor<2x2x!potq.q<#potq.apot<bits = 4>, f32, axis = 1, scales = [1.0, 0.5]>>,
        tensor<3x2x!potq.q<#potq.pot<bits = 3>, f32, axis = 0, scales = [1.0, 0.25, 2.0]>>) {
  %a = arith.constant dense<[[3.0, 3.0], [5.0, -5.0]]> : tensor<2x2xf32>
  %b = arith.constant dense<[[1.5, 3.0], [0.375, 0.5], [3.0, 12.0]]> : tensor<3x2xf32>
  %0 = potq.quantize %a : tensor<2x2xf32>
         -> tensor<2x2x!potq.q<#potq.apot<bits = 4>, f32, axis = 1, scales = [1.0, 0.5]>>
  %1 = potq.quantize %b : tensor<3x2xf32>
         -> tensor<3x2x!potq.q<#potq.pot<bits = 3>, f32, axis = 0, scales = [1.0, 0.25, 2.0]>>
  return %0, %1 : tensor<2x2x!potq.q<#potq.apot<bits = 4>, f32, axis = 1, scales = [1.0, 0.5]>>,
                  tensor<3x2x!potq.q<#potq.pot<bits = 3>, f32, axis = 0, scales = [1.0, 0.25, 2.0]>>
}

// -----

// f16 and bf16 inputs convert exactly to binary32, but the literals were
// rounded to the narrow type first. pot<4>, scale 0.1f:
//   0.05 is 0.04998779296875 in f16 (/ 0.1f = 0.49988 -> 0), 0.050048828125
//   in bf16 (0.50049 -> 1), 0.05f in f32 (0.05f / 0.1f = 0.5, a tie -> 0);
//   0.3 is 0.300048828125 in f16 and 0.30078125 in bf16 (just above the tie
//   at 3.0 -> 4), 0.3f in f32 (exactly 3.0 -> 2);
//   1.5 is exact everywhere: 1.5 / 0.1f = 15.0 in binary32 -> 16.
// CHECK-LABEL: func.func @f16_bf16
// CHECK-DAG: potq.constant dense<[0, 4, 16]> : tensor<3xi8> -> tensor<3x!potq.q<#potq.pot<bits = 4>, f16, scale = 1.0e-01>>
// CHECK-DAG: potq.constant dense<[1, 4, 16]> : tensor<3xi8> -> tensor<3x!potq.q<#potq.pot<bits = 4>, bf16, scale = 1.0e-01>>
// CHECK-DAG: potq.constant dense<[0, 2, 16]> : tensor<3xi8> -> tensor<3x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e-01>>
func.func @f16_bf16()
    -> (tensor<3x!potq.q<#potq.pot<bits = 4>, f16, scale = 0.1>>,
        tensor<3x!potq.q<#potq.pot<bits = 4>, bf16, scale = 0.1>>,
        tensor<3x!potq.q<#potq.pot<bits = 4>, f32, scale = 0.1>>) {
  %h = arith.constant dense<[0.05, 0.3, 1.5]> : tensor<3xf16>
  %b = arith.constant dense<[0.05, 0.3, 1.5]> : tensor<3xbf16>
  %f = arith.constant dense<[0.05, 0.3, 1.5]> : tensor<3xf32>
  %0 = potq.quantize %h : tensor<3xf16> -> tensor<3x!potq.q<#potq.pot<bits = 4>, f16, scale = 0.1>>
  %1 = potq.quantize %b : tensor<3xbf16> -> tensor<3x!potq.q<#potq.pot<bits = 4>, bf16, scale = 0.1>>
  %2 = potq.quantize %f : tensor<3xf32> -> tensor<3x!potq.q<#potq.pot<bits = 4>, f32, scale = 0.1>>
  return %0, %1, %2 : tensor<3x!potq.q<#potq.pot<bits = 4>, f16, scale = 0.1>>,
                      tensor<3x!potq.q<#potq.pot<bits = 4>, bf16, scale = 0.1>>,
                      tensor<3x!potq.q<#potq.pot<bits = 4>, f32, scale = 0.1>>
}

// -----

// apot<5> = ±{0,1,2,3,4,6,8,9,12,16,18,24,32,33,36,48}: 5 -> tie 4|6 -> 4,
// 7 -> 6, 10.5 -> tie 9|12 -> 9, 13 -> 12, 20 -> 18, 28 -> tie 24|32 -> 24,
// 40 -> 36, 47 -> 48, 100 -> 48, -34.5 -> tie -33|-36 -> -33.
// CHECK-LABEL: func.func @apot_levels
// CHECK: potq.constant dense<[4, 6, 9, 12, 18, 24, 36, 48, 48, -33]> : tensor<10xi8>
func.func @apot_levels() -> tensor<10x!potq.q<#potq.apot<bits = 5>, f32, scale = 1.0>> {
  %cst = arith.constant dense<[5.0, 7.0, 10.5, 13.0, 20.0, 28.0, 40.0, 47.0, 100.0, -34.5]> : tensor<10xf32>
  %q = potq.quantize %cst : tensor<10xf32> -> tensor<10x!potq.q<#potq.apot<bits = 5>, f32, scale = 1.0>>
  return %q : tensor<10x!potq.q<#potq.apot<bits = 5>, f32, scale = 1.0>>
}

// -----

// nhot<2, 3>: magnitudes {0..10, 12, 16} (11, 13, 14, 15 need three terms):
//   11 -> tie 10|12 -> 10, 13 -> 12, 14 -> tie 12|16 -> 12, 15 -> 16,
//   20 -> 16, -11 -> -10, -14 -> -12.
// nhot<1, 0> = {-1, 0, 1}: 0.5 -> 0, 0.6 -> 1, -0.7 -> -1, 3 -> 1, -0.5 -> 0.
// nhot<4, 15> (i32 storage): 131071 -> 131072 = 4 * 2^15; 120000 and the
// tie 122880 -> 114688 = 3 * 2^15 + 2^14 (122880 needs five terms);
// 200000 clamps; -98303 = -(3 * 2^15 - 1) is a level.
// CHECK-LABEL: func.func @nhot_levels
// CHECK-DAG: potq.constant dense<[10, 12, 12, 16, 16, -10, -12]> : tensor<7xi8> -> tensor<7x!potq.q<#potq.nhot<terms = 2, max_exp = 3>, f32, scale = 1.0e+00>>
// CHECK-DAG: potq.constant dense<[0, 1, -1, 1, 0]> : tensor<5xi8> -> tensor<5x!potq.q<#potq.nhot<terms = 1, max_exp = 0>, f32, scale = 1.0e+00>>
// CHECK-DAG: potq.constant dense<[131072, 114688, 114688, 131072, -98303]> : tensor<5xi32> -> tensor<5x!potq.q<#potq.nhot<terms = 4, max_exp = 15>, f32, scale = 1.0e+00>>
func.func @nhot_levels()
    -> (tensor<7x!potq.q<#potq.nhot<terms = 2, max_exp = 3>, f32, scale = 1.0>>,
        tensor<5x!potq.q<#potq.nhot<terms = 1, max_exp = 0>, f32, scale = 1.0>>,
        tensor<5x!potq.q<#potq.nhot<terms = 4, max_exp = 15>, f32, scale = 1.0>>) {
  %a = arith.constant dense<[11.0, 13.0, 14.0, 15.0, 20.0, -11.0, -14.0]> : tensor<7xf32>
  %b = arith.constant dense<[0.5, 0.6, -0.7, 3.0, -0.5]> : tensor<5xf32>
  %c = arith.constant dense<[131071.0, 120000.0, 122880.0, 200000.0, -98303.0]> : tensor<5xf32>
  %0 = potq.quantize %a : tensor<7xf32> -> tensor<7x!potq.q<#potq.nhot<terms = 2, max_exp = 3>, f32, scale = 1.0>>
  %1 = potq.quantize %b : tensor<5xf32> -> tensor<5x!potq.q<#potq.nhot<terms = 1, max_exp = 0>, f32, scale = 1.0>>
  %2 = potq.quantize %c : tensor<5xf32> -> tensor<5x!potq.q<#potq.nhot<terms = 4, max_exp = 15>, f32, scale = 1.0>>
  return %0, %1, %2 : tensor<7x!potq.q<#potq.nhot<terms = 2, max_exp = 3>, f32, scale = 1.0>>,
                      tensor<5x!potq.q<#potq.nhot<terms = 1, max_exp = 0>, f32, scale = 1.0>>,
                      tensor<5x!potq.q<#potq.nhot<terms = 4, max_exp = 15>, f32, scale = 1.0>>
}

// -----

// A splat input folds to a splat; a zero-size tensor folds too.
// CHECK-LABEL: func.func @splat_and_empty
// CHECK-DAG: potq.constant dense<2> : tensor<2x3xi8> -> tensor<2x3x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e-01>>
// CHECK-DAG: potq.constant dense<> : tensor<0x4xi8> -> tensor<0x4x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e-01>>
func.func @splat_and_empty()
    -> (tensor<2x3x!potq.q<#potq.pot<bits = 4>, f32, scale = 0.1>>,
        tensor<0x4x!potq.q<#potq.pot<bits = 4>, f32, scale = 0.1>>) {
  %a = arith.constant dense<0.3> : tensor<2x3xf32>
  %b = arith.constant dense<> : tensor<0x4xf32>
  %0 = potq.quantize %a : tensor<2x3xf32> -> tensor<2x3x!potq.q<#potq.pot<bits = 4>, f32, scale = 0.1>>
  %1 = potq.quantize %b : tensor<0x4xf32> -> tensor<0x4x!potq.q<#potq.pot<bits = 4>, f32, scale = 0.1>>
  return %0, %1 : tensor<2x3x!potq.q<#potq.pot<bits = 4>, f32, scale = 0.1>>,
                  tensor<0x4x!potq.q<#potq.pot<bits = 4>, f32, scale = 0.1>>
}

// -----

//===----------------------------------------------------------------------===//
// dequantize(potq.constant) -> arith.constant
//===----------------------------------------------------------------------===//

// scale * (L - Z) in binary32: 1 * 0.1f = 0.1f, -2 * 0.1f = -0.2f,
// 64 * 0.1f = 6.4f.
// CHECK-LABEL: func.func @dequantize_constant
// CHECK-NOT: potq.
// CHECK: %[[C:.*]] = arith.constant dense<[1.000000e-01, -2.000000e-01, 0.000000e+00, 6.400000e+00]> : tensor<4xf32>
// CHECK-NOT: potq.
// CHECK: return %[[C]]
func.func @dequantize_constant() -> tensor<4xf32> {
  %q = potq.constant dense<[1, -2, 0, 64]> : tensor<4xi8>
         -> tensor<4x!potq.q<#potq.pot<bits = 4>, f32, scale = 0.1>>
  %f = potq.dequantize %q : tensor<4x!potq.q<#potq.pot<bits = 4>, f32, scale = 0.1>> -> tensor<4xf32>
  return %f : tensor<4xf32>
}

// -----

// Zero points: 0.5 * (L - 10) for L in [10, 11, 0, 127, -128]; unsigned
// levels 255, 0, 128 (stored as i8 -1, 0, -128) with Z = 128 and scale 0.25.
// CHECK-LABEL: func.func @dequantize_zero_point
// CHECK-DAG: arith.constant dense<[0.000000e+00, 5.000000e-01, -5.000000e+00, 5.850000e+01, -6.900000e+01]> : tensor<5xf32>
// CHECK-DAG: arith.constant dense<[3.175000e+01, -3.200000e+01, 0.000000e+00]> : tensor<3xf32>
func.func @dequantize_zero_point() -> (tensor<5xf32>, tensor<3xf32>) {
  %a = potq.constant dense<[10, 11, 0, 127, -128]> : tensor<5xi8>
         -> tensor<5x!potq.q<#potq.uniform<bits = 8>, f32, scale = 0.5, zero_point = 10>>
  %b = potq.constant dense<[255, 0, 128]> : tensor<3xi8>
         -> tensor<3x!potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 0.25, zero_point = 128>>
  %0 = potq.dequantize %a : tensor<5x!potq.q<#potq.uniform<bits = 8>, f32, scale = 0.5, zero_point = 10>> -> tensor<5xf32>
  %1 = potq.dequantize %b : tensor<3x!potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 0.25, zero_point = 128>> -> tensor<3xf32>
  return %0, %1 : tensor<5xf32>, tensor<3xf32>
}

// -----

// Per-channel: row 0 at scale 0.5, row 1 at scale 3.
// CHECK-LABEL: func.func @dequantize_per_channel
// CHECK: arith.constant dense<{{\[}}[5.000000e-01, -5.000000e+00], [9.000000e+00, 2.400000e+01]]> : tensor<2x2xf32>
func.func @dequantize_per_channel() -> tensor<2x2xf32> {
  %q = potq.constant dense<[[1, -10], [3, 8]]> : tensor<2x2xi8>
         -> tensor<2x2x!potq.q<#potq.apot<bits = 4>, f32, axis = 0, scales = [0.5, 3.0]>>
  %f = potq.dequantize %q : tensor<2x2x!potq.q<#potq.apot<bits = 4>, f32, axis = 0, scales = [0.5, 3.0]>>
         -> tensor<2x2xf32>
  return %f : tensor<2x2xf32>
}

// -----

// nhot<2, 5> holds 3 = 2 + 1 and 64 = 32 + 32 in i8.
// The binary32 product is rounded to the expressed type: 3 * 0.1f = 0.3f is
// 0.300048828125 in f16 and 0.30078125 in bf16; 64 * 0.1f = 6.4f is
// 6.3984375 in f16 and 6.40625 in bf16.
// CHECK-LABEL: func.func @dequantize_f16_bf16
// CHECK-DAG: arith.constant dense<[3.000490e-01, 6.398440e+00]> : tensor<2xf16>
// CHECK-DAG: arith.constant dense<[3.007810e-01, 6.406250e+00]> : tensor<2xbf16>
func.func @dequantize_f16_bf16() -> (tensor<2xf16>, tensor<2xbf16>) {
  %a = potq.constant dense<[3, 64]> : tensor<2xi8>
         -> tensor<2x!potq.q<#potq.nhot<terms = 2, max_exp = 5>, f16, scale = 0.1>>
  %b = potq.constant dense<[3, 64]> : tensor<2xi8>
         -> tensor<2x!potq.q<#potq.nhot<terms = 2, max_exp = 5>, bf16, scale = 0.1>>
  %0 = potq.dequantize %a : tensor<2x!potq.q<#potq.nhot<terms = 2, max_exp = 5>, f16, scale = 0.1>> -> tensor<2xf16>
  %1 = potq.dequantize %b : tensor<2x!potq.q<#potq.nhot<terms = 2, max_exp = 5>, bf16, scale = 0.1>> -> tensor<2xbf16>
  return %0, %1 : tensor<2xf16>, tensor<2xbf16>
}

// -----

// dequantize(quantize(constant)) is one arith.constant holding the
// fake-quantized values: 0.3 -> 3.0 -> tie -> 2 -> 0.2f; 0.26 -> 2.6 -> 2;
// -7.0 -> -64; 100.0 -> 64.
// CHECK-LABEL: func.func @fake_quant_constant
// CHECK-NOT: potq.
// CHECK: %[[C:.*]] = arith.constant dense<[2.000000e-01, 2.000000e-01, -6.400000e+00, 6.400000e+00]> : tensor<4xf32>
// CHECK-NOT: potq.
// CHECK: return %[[C]]
func.func @fake_quant_constant() -> tensor<4xf32> {
  %cst = arith.constant dense<[0.3, 0.26, -7.0, 100.0]> : tensor<4xf32>
  %q = potq.quantize %cst : tensor<4xf32> -> tensor<4x!potq.q<#potq.pot<bits = 4>, f32, scale = 0.1>>
  %f = potq.dequantize %q : tensor<4x!potq.q<#potq.pot<bits = 4>, f32, scale = 0.1>> -> tensor<4xf32>
  return %f : tensor<4xf32>
}

// -----

//===----------------------------------------------------------------------===//
// quantize(dequantize(%q)) -> %q
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @quantize_dequantize
// CHECK-SAME: (%[[ARG:[a-z0-9]+]]: tensor
// CHECK-NOT: potq.quantize
// CHECK-NOT: potq.dequantize
// CHECK: return %[[ARG]]
func.func @quantize_dequantize(%q: tensor<4x!potq.q<#potq.apot<bits = 5>, f32, scale = 0.1>>)
    -> tensor<4x!potq.q<#potq.apot<bits = 5>, f32, scale = 0.1>> {
  %f = potq.dequantize %q : tensor<4x!potq.q<#potq.apot<bits = 5>, f32, scale = 0.1>> -> tensor<4xf32>
  %r = potq.quantize %f : tensor<4xf32> -> tensor<4x!potq.q<#potq.apot<bits = 5>, f32, scale = 0.1>>
  return %r : tensor<4x!potq.q<#potq.apot<bits = 5>, f32, scale = 0.1>>
}

// -----

// A different result type is a real projection and does not fold.
// CHECK-LABEL: func.func @quantize_dequantize_other_type
// CHECK: %[[F:.*]] = potq.dequantize
// CHECK: %[[R:.*]] = potq.quantize %[[F]] : tensor<4xf32> -> tensor<4x!potq.q<#potq.apot<bits = 5>, f32, scale = 2.0e-01>>
// CHECK: return %[[R]]
func.func @quantize_dequantize_other_type(%q: tensor<4x!potq.q<#potq.apot<bits = 5>, f32, scale = 0.1>>)
    -> tensor<4x!potq.q<#potq.apot<bits = 5>, f32, scale = 0.2>> {
  %f = potq.dequantize %q : tensor<4x!potq.q<#potq.apot<bits = 5>, f32, scale = 0.1>> -> tensor<4xf32>
  %r = potq.quantize %f : tensor<4xf32> -> tensor<4x!potq.q<#potq.apot<bits = 5>, f32, scale = 0.2>>
  return %r : tensor<4x!potq.q<#potq.apot<bits = 5>, f32, scale = 0.2>>
}

// -----

// Nothing folds without constants.
// CHECK-LABEL: func.func @no_fold
// CHECK: potq.quantize
// CHECK: potq.dequantize
// CHECK: potq.requantize
func.func @no_fold(%x: tensor<4xf32>, %q: tensor<4x!potq.q<#potq.uniform<bits = 16>, f32, scale = 0.01>>)
    -> (tensor<4x!potq.q<#potq.pot<bits = 4>, f32, scale = 0.1>>, tensor<4xf32>,
        tensor<4x!potq.q<#potq.uniform<bits = 8>, f32, scale = 0.1>>) {
  %0 = potq.quantize %x : tensor<4xf32> -> tensor<4x!potq.q<#potq.pot<bits = 4>, f32, scale = 0.1>>
  %1 = potq.dequantize %q : tensor<4x!potq.q<#potq.uniform<bits = 16>, f32, scale = 0.01>> -> tensor<4xf32>
  %2 = potq.requantize %q : tensor<4x!potq.q<#potq.uniform<bits = 16>, f32, scale = 0.01>>
         -> tensor<4x!potq.q<#potq.uniform<bits = 8>, f32, scale = 0.1>>
  return %0, %1, %2 : tensor<4x!potq.q<#potq.pot<bits = 4>, f32, scale = 0.1>>, tensor<4xf32>,
                      tensor<4x!potq.q<#potq.uniform<bits = 8>, f32, scale = 0.1>>
}

// -----

//===----------------------------------------------------------------------===//
// potq.requantize
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @requantize_same_type
// CHECK-SAME: (%[[ARG:[a-z0-9]+]]: tensor
// CHECK-NOT: potq.requantize
// CHECK: return %[[ARG]]
func.func @requantize_same_type(%q: tensor<4x!potq.q<#potq.uniform<bits = 8>, f32, scale = 0.1, zero_point = 3>>)
    -> tensor<4x!potq.q<#potq.uniform<bits = 8>, f32, scale = 0.1, zero_point = 3>> {
  %r = potq.requantize %q : tensor<4x!potq.q<#potq.uniform<bits = 8>, f32, scale = 0.1, zero_point = 3>>
         -> tensor<4x!potq.q<#potq.uniform<bits = 8>, f32, scale = 0.1, zero_point = 3>>
  return %r : tensor<4x!potq.q<#potq.uniform<bits = 8>, f32, scale = 0.1, zero_point = 3>>
}

// -----

// m = 0.25 / 1.0 is a power of two: M = 1, sh = 2, y = (x + 2) >> 2, rounding
// half up: 2 -> 1 (0.5), -2 -> 0 (-0.5), 6 -> 2 (1.5), -6 -> -1 (-1.5),
// 5 -> 1, -7 -> -2 (-1.75), 127 -> 32 (31.75), -128 -> -32.
// CHECK-LABEL: func.func @requantize_power_of_two
// CHECK-NOT: potq.requantize
// CHECK: potq.constant dense<[1, 0, 2, -1, 1, -2, 32, -32]> : tensor<8xi8> -> tensor<8x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>
func.func @requantize_power_of_two() -> tensor<8x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>> {
  %q = potq.constant dense<[2, -2, 6, -6, 5, -7, 127, -128]> : tensor<8xi8>
         -> tensor<8x!potq.q<#potq.uniform<bits = 8>, f32, scale = 0.25>>
  %r = potq.requantize %q : tensor<8x!potq.q<#potq.uniform<bits = 8>, f32, scale = 0.25>>
         -> tensor<8x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>
  return %r : tensor<8x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>
}

// -----

// m = 2.0 / 0.5 = 4 (a left shift), with zero points -3 -> 5:
// y = 5 + 4 * (x + 3): -1 -> 13, -3 -> 5, 27 -> 125, 28 -> 129 -> 127,
// -35 -> -123, -36 -> -127, -40 -> -143 -> -128.
// CHECK-LABEL: func.func @requantize_left_shift
// CHECK: potq.constant dense<[13, 5, 125, 127, -123, -127, -128]> : tensor<7xi8> -> tensor<7x!potq.q<#potq.uniform<bits = 8>, f32, scale = 5.0e-01, zero_point = 5>>
func.func @requantize_left_shift() -> tensor<7x!potq.q<#potq.uniform<bits = 8>, f32, scale = 0.5, zero_point = 5>> {
  %q = potq.constant dense<[-1, -3, 27, 28, -35, -36, -40]> : tensor<7xi8>
         -> tensor<7x!potq.q<#potq.uniform<bits = 8>, f32, scale = 2.0, zero_point = -3>>
  %r = potq.requantize %q : tensor<7x!potq.q<#potq.uniform<bits = 8>, f32, scale = 2.0, zero_point = -3>>
         -> tensor<7x!potq.q<#potq.uniform<bits = 8>, f32, scale = 0.5, zero_point = 5>>
  return %r : tensor<7x!potq.q<#potq.uniform<bits = 8>, f32, scale = 0.5, zero_point = 5>>
}

// -----

// m = 1.5 = 0.75 * 2: M = 3 * 2^29, sh = 30. Exact halves round up (towards
// +inf), unlike the projection: 1 -> 2 (1.5), -1 -> -1 (-1.5), 3 -> 5 (4.5),
// -3 -> -4 (-4.5), 2 -> 3, ±100 -> ±150 -> clamped.
// CHECK-LABEL: func.func @requantize_round_half_up
// CHECK: potq.constant dense<[2, -1, 5, -4, 3, 127, -128]> : tensor<7xi8>
func.func @requantize_round_half_up() -> tensor<7x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>> {
  %q = potq.constant dense<[1, -1, 3, -3, 2, 100, -100]> : tensor<7xi8>
         -> tensor<7x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.5>>
  %r = potq.requantize %q : tensor<7x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.5>>
         -> tensor<7x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>
  return %r : tensor<7x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>
}

// -----

// m = 1/3: M = round(2/3 * 2^31) = 1431655765, sh = 32;
// y = (x * 1431655765 + 2^31) >> 32: 1 -> 0, 2 -> 1, -1 -> 0, -2 -> -1,
// 3 -> 1, -3 -> -1, 127 -> 42, -128 -> -43.
// CHECK-LABEL: func.func @requantize_one_third
// CHECK: potq.constant dense<[0, 1, 0, -1, 1, -1, 42, -43]> : tensor<8xi8>
func.func @requantize_one_third() -> tensor<8x!potq.q<#potq.uniform<bits = 8>, f32, scale = 3.0>> {
  %q = potq.constant dense<[1, 2, -1, -2, 3, -3, 127, -128]> : tensor<8xi8>
         -> tensor<8x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>
  %r = potq.requantize %q : tensor<8x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>
         -> tensor<8x!potq.q<#potq.uniform<bits = 8>, f32, scale = 3.0>>
  return %r : tensor<8x!potq.q<#potq.uniform<bits = 8>, f32, scale = 3.0>>
}

// -----

// m = 0.001f / 0.1f = 0.0100000003 (M = 1374389580, sh = 37) is slightly
// above 1/100, so the decimal halves round away from zero both ways:
// 150 -> 2, -150 -> -2, 50 -> 1, -50 -> -1, 250 -> 3, -250 -> -3;
// 149 -> 1, -151 -> -2, 12700 -> 127, 20000 -> 200 -> 127.
// CHECK-LABEL: func.func @requantize_decimal_scales
// CHECK: potq.constant dense<[2, -2, 1, -1, 3, -3, 1, -2, 127, 127]> : tensor<10xi8>
func.func @requantize_decimal_scales() -> tensor<10x!potq.q<#potq.uniform<bits = 8>, f32, scale = 0.1>> {
  %q = potq.constant dense<[150, -150, 50, -50, 250, -250, 149, -151, 12700, 20000]> : tensor<10xi16>
         -> tensor<10x!potq.q<#potq.uniform<bits = 16>, f32, scale = 0.001>>
  %r = potq.requantize %q : tensor<10x!potq.q<#potq.uniform<bits = 16>, f32, scale = 0.001>>
         -> tensor<10x!potq.q<#potq.uniform<bits = 8>, f32, scale = 0.1>>
  return %r : tensor<10x!potq.q<#potq.uniform<bits = 8>, f32, scale = 0.1>>
}

// -----

// A pot<4> input, m = 0.5 into uniform<4> ([-8, 7]): y = (x + 1) >> 1:
// 64 -> 32 -> 7, -64 -> -32 -> -8, 1 -> 1, -1 -> 0, 2 -> 1, 8 -> 4, -16 -> -8.
// CHECK-LABEL: func.func @requantize_pot_input
// CHECK: potq.constant dense<[7, -8, 1, 0, 1, 4, -8]> : tensor<7xi8> -> tensor<7x!potq.q<#potq.uniform<bits = 4>, f32, scale = 1.0e+00>>
func.func @requantize_pot_input() -> tensor<7x!potq.q<#potq.uniform<bits = 4>, f32, scale = 1.0>> {
  %q = potq.constant dense<[64, -64, 1, -1, 2, 8, -16]> : tensor<7xi8>
         -> tensor<7x!potq.q<#potq.pot<bits = 4>, f32, scale = 0.5>>
  %r = potq.requantize %q : tensor<7x!potq.q<#potq.pot<bits = 4>, f32, scale = 0.5>>
         -> tensor<7x!potq.q<#potq.uniform<bits = 4>, f32, scale = 1.0>>
  return %r : tensor<7x!potq.q<#potq.uniform<bits = 4>, f32, scale = 1.0>>
}

// -----

// Per-channel input, one multiplier per channel: row 0 m = 1 / 0.25 = 4,
// row 1 m = 0.5 / 0.25 = 2, output zero point 1.
// CHECK-LABEL: func.func @requantize_per_channel
// CHECK: potq.constant dense<{{\[}}[5, 9], [9, -15]]> : tensor<2x2xi8> -> tensor<2x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 2.5e-01, zero_point = 1>>
func.func @requantize_per_channel() -> tensor<2x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 0.25, zero_point = 1>> {
  %q = potq.constant dense<[[1, 2], [4, -8]]> : tensor<2x2xi8>
         -> tensor<2x2x!potq.q<#potq.pot<bits = 4>, f32, axis = 0, scales = [1.0, 0.5]>>
  %r = potq.requantize %q : tensor<2x2x!potq.q<#potq.pot<bits = 4>, f32, axis = 0, scales = [1.0, 0.5]>>
         -> tensor<2x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 0.25, zero_point = 1>>
  return %r : tensor<2x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 0.25, zero_point = 1>>
}

// -----

// Unsigned to unsigned: Z 128 -> 8, m = 1/16, y = 8 + ((x - 128 + 8) >> 4)
// clamped to [0, 15]: 255 -> 16 -> 15, 0 -> 0, 128 -> 8, 136 -> 9,
// 120 -> 8 (-0.5 rounds up), 119 -> 7.
// CHECK-LABEL: func.func @requantize_unsigned
// CHECK: potq.constant dense<[15, 0, 8, 9, 8, 7]> : tensor<6xi8> -> tensor<6x!potq.q<#potq.uniform<bits = 4, unsigned>, f32, scale = 1.6e+01, zero_point = 8>>
func.func @requantize_unsigned() -> tensor<6x!potq.q<#potq.uniform<bits = 4, unsigned>, f32, scale = 16.0, zero_point = 8>> {
  %q = potq.constant dense<[255, 0, 128, 136, 120, 119]> : tensor<6xi8>
         -> tensor<6x!potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 1.0, zero_point = 128>>
  %r = potq.requantize %q : tensor<6x!potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 1.0, zero_point = 128>>
         -> tensor<6x!potq.q<#potq.uniform<bits = 4, unsigned>, f32, scale = 16.0, zero_point = 8>>
  return %r : tensor<6x!potq.q<#potq.uniform<bits = 4, unsigned>, f32, scale = 16.0, zero_point = 8>>
}

// -----

// A chain folds all the way: quantize -> requantize -> dequantize.
// 1.0 / 0.125 = 8, then m = 0.125 / 0.5 = 0.25: (8 + 2) >> 2 = 2 -> 1.0;
// -0.3 / 0.125 = -2.4 -> -2 (pot<4>), (-2 + 2) >> 2 = 0 -> 0.0.
// CHECK-LABEL: func.func @chain
// CHECK-NOT: potq.
// CHECK: arith.constant dense<[1.000000e+00, 0.000000e+00]> : tensor<2xf32>
// CHECK-NOT: potq.
func.func @chain() -> tensor<2xf32> {
  %cst = arith.constant dense<[1.0, -0.3]> : tensor<2xf32>
  %q = potq.quantize %cst : tensor<2xf32> -> tensor<2x!potq.q<#potq.pot<bits = 4>, f32, scale = 0.125>>
  %r = potq.requantize %q : tensor<2x!potq.q<#potq.pot<bits = 4>, f32, scale = 0.125>>
         -> tensor<2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 0.5>>
  %f = potq.dequantize %r : tensor<2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 0.5>> -> tensor<2xf32>
  return %f : tensor<2xf32>
}

// -----

// Regression: constants fold only into static shapes; a `?` result keeps
// the op (folding used to build an invalid dynamic-shaped constant).
// CHECK-LABEL: func.func @no_fold_dynamic_result
// CHECK: potq.quantize
// CHECK: potq.requantize
// CHECK: potq.dequantize
func.func @no_fold_dynamic_result() -> (tensor<?x!potq.q<#potq.pot<bits = 4>, f32, axis = 0, scales = [1.0e+00, 2.0e+00, 4.0e+00, 8.0e+00]>>, tensor<?x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>, tensor<?xf32>) {
  %f = arith.constant dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32>
  %q = potq.quantize %f : tensor<4xf32> -> tensor<?x!potq.q<#potq.pot<bits = 4>, f32, axis = 0, scales = [1.0e+00, 2.0e+00, 4.0e+00, 8.0e+00]>>
  %c = potq.constant dense<[1, 2, 4, 8]> : tensor<4xi8> -> tensor<4x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e+00>>
  %r = potq.requantize %c : tensor<4x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e+00>> -> tensor<?x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>
  %d = potq.dequantize %c : tensor<4x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e+00>> -> tensor<?xf32>
  return %q, %r, %d : tensor<?x!potq.q<#potq.pot<bits = 4>, f32, axis = 0, scales = [1.0e+00, 2.0e+00, 4.0e+00, 8.0e+00]>>, tensor<?x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>, tensor<?xf32>
}

// -----

// Regression: quantize(dequantize(%q)) folds to %q only when the real values
// project back exactly: not through f16 rounding (level 2049 -> 2048) or an
// overflow to infinity (2 * 3e38 -> inf -> 64).
// CHECK-LABEL: func.func @no_fold_inexact_round_trip
// CHECK-COUNT-2: potq.quantize
// CHECK-LABEL: func.func @fold_exact_round_trip
// CHECK-NOT: potq.quantize
// CHECK: return %arg0
func.func @no_fold_inexact_round_trip(%q: tensor<1x!potq.q<#potq.uniform<bits = 16>, f16, scale = 1.0e+00>>, %p: tensor<1x!potq.q<#potq.pot<bits = 4>, f32, scale = 3.0e+38>>) -> (tensor<1x!potq.q<#potq.uniform<bits = 16>, f16, scale = 1.0e+00>>, tensor<1x!potq.q<#potq.pot<bits = 4>, f32, scale = 3.0e+38>>) {
  %f = potq.dequantize %q : tensor<1x!potq.q<#potq.uniform<bits = 16>, f16, scale = 1.0e+00>> -> tensor<1xf16>
  %r = potq.quantize %f : tensor<1xf16> -> tensor<1x!potq.q<#potq.uniform<bits = 16>, f16, scale = 1.0e+00>>
  %g = potq.dequantize %p : tensor<1x!potq.q<#potq.pot<bits = 4>, f32, scale = 3.0e+38>> -> tensor<1xf32>
  %s = potq.quantize %g : tensor<1xf32> -> tensor<1x!potq.q<#potq.pot<bits = 4>, f32, scale = 3.0e+38>>
  return %r, %s : tensor<1x!potq.q<#potq.uniform<bits = 16>, f16, scale = 1.0e+00>>, tensor<1x!potq.q<#potq.pot<bits = 4>, f32, scale = 3.0e+38>>
}
func.func @fold_exact_round_trip(%q: tensor<3x!potq.q<#potq.apot<bits = 5>, f32, scale = 3.0e-01>>) -> tensor<3x!potq.q<#potq.apot<bits = 5>, f32, scale = 3.0e-01>> {
  %f = potq.dequantize %q : tensor<3x!potq.q<#potq.apot<bits = 5>, f32, scale = 3.0e-01>> -> tensor<3xf32>
  %r = potq.quantize %f : tensor<3xf32> -> tensor<3x!potq.q<#potq.apot<bits = 5>, f32, scale = 3.0e-01>>
  return %r : tensor<3x!potq.q<#potq.apot<bits = 5>, f32, scale = 3.0e-01>>
}
