// The potq ops, with expected levels computed by hand from SPEC section 4
// (projection: t = r / s in binary32, NaN -> zero point, nearest level to
// t + Z, ties to the smaller |L - Z|, clamping) and section 6
// (acc = Σ (X - Zx) * W (+ bias); m = sx * sw / sy = M * 2^-sh;
// y = clamp(Zy + ((acc * M + 2^(sh-1)) >> sh), lo, hi)). Quantized results
// print their levels (unsigned encodings print 0..2^B-1).

// RUN: potq-run %s --entry=constants --print | FileCheck %s --check-prefix=CONST
// RUN: potq-run %s --entry=quantize --print | FileCheck %s --check-prefix=QUANT
// RUN: potq-run %s --entry=dequantize --print | FileCheck %s --check-prefix=DEQUANT
// RUN: potq-run %s --entry=requantize --print | FileCheck %s --check-prefix=REQUANT
// RUN: potq-run %s --entry=matmul --print | FileCheck %s --check-prefix=MATMUL
// RUN: potq-run %s --entry=matmul_per_channel --print | FileCheck %s --check-prefix=PERCHAN
// RUN: potq-run %s --entry=batch_matmul --print | FileCheck %s --check-prefix=BATCH
// RUN: potq-run %s --entry=conv_nhwc --print | FileCheck %s --check-prefix=NHWC
// RUN: potq-run %s --entry=conv_nchw --print | FileCheck %s --check-prefix=NCHW

!pot4 = !potq.q<#potq.pot<bits = 4>, f32, scale = 0.125>
!u8z = !potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 0.5, zero_point = 128>

// Levels are read from the storage integers: signed for pot, unsigned for
// unsigned uniform encodings (i8 -56 is level 200).
// CONST: result 0: tensor<2x2x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.25e-01>> = {{\[\[}}1, -2], [0, 64]]
// CONST: result 1: tensor<3x!potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 5.0e-01, zero_point = 128>> = [200, 0, 255]
func.func @constants() -> (tensor<2x2x!pot4>, tensor<3x!u8z>) {
  %0 = potq.constant dense<[[1, -2], [0, 64]]> : tensor<2x2xi8> -> tensor<2x2x!pot4>
  %1 = potq.constant dense<[-56, 0, -1]> : tensor<3xi8> -> tensor<3x!u8z>
  return %0, %1 : tensor<2x2x!pot4>, tensor<3x!u8z>
}

// pot<4>, s = 1/8: 0.1 -> 0.8 -> 1; 0.2 -> 1.6 -> 2; 0.3 -> 2.4 -> 2;
//   -1 -> -8; 100 -> 64 (clamp); 0.0625 -> 0.5, tie -> 0; -0.1875 -> -1.5,
//   tie -> -1.
// uniform<8>, s = 1: ties to the smaller magnitude, not to even.
// unsigned, s = 0.5, Z = 128: 1.25 -> 130.5 -> 130; -1.25 -> 125.5 -> 126;
//   ±100 clamp to 255 and 0; NaN and -0.0 give the zero point 128.
// apot<4> (±{0,1,2,3,4,6,8,10}), s = 0.5: 2.4 -> 4.8 -> 4; 2.5 -> 5, tie
//   -> 4; -3.5 -> -7, tie -> -6; 6 -> 12 -> 10 (clamp); 1.25 -> 2.5 -> 2.
// nhot<1 term, max_exp 3> (±{0,1,2,4,8}), s = 1: 3 -> tie -> 2; 5 -> 4;
//   6 -> tie -> 4; -100 -> -8.
// per channel (axis 1, scales [1, 0.5]) uniform<4> ([-8, 7]):
//   column 0: 1.2 -> 1, -3 -> -3; column 1: 2.4 -> 2, 10 -> 7 (clamp).
// QUANT: result 0: tensor<8x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.25e-01>> = [0, 1, 2, 2, -8, 64, 0, -1]
// QUANT: result 1: tensor<10x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>> = [2, -2, 3, -3, 0, 0, 126, -127, 127, -128]
// QUANT: result 2: tensor<6x!potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 5.0e-01, zero_point = 128>> = [130, 126, 255, 0, 128, 128]
// QUANT: result 3: tensor<5x!potq.q<#potq.apot<bits = 4>, f32, scale = 5.0e-01>> = [4, 4, -6, 10, 2]
// QUANT: result 4: tensor<4x!potq.q<#potq.nhot<terms = 1, max_exp = 3>, f32, scale = 1.0e+00>> = [2, 4, 4, -8]
// QUANT: result 5: tensor<2x2x!potq.q<#potq.uniform<bits = 4>, f32, axis = 1, scales = [1.0e+00, 5.0e-01]>> = {{\[\[}}1, 2], [-3, 7]]
func.func @quantize()
    -> (tensor<8x!pot4>,
        tensor<10x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>,
        tensor<6x!u8z>,
        tensor<5x!potq.q<#potq.apot<bits = 4>, f32, scale = 0.5>>,
        tensor<4x!potq.q<#potq.nhot<terms = 1, max_exp = 3>, f32, scale = 1.0>>,
        tensor<2x2x!potq.q<#potq.uniform<bits = 4>, f32, axis = 1, scales = [1.0, 0.5]>>) {
  %a = arith.constant dense<[0.0, 0.1, 0.2, 0.3, -1.0, 100.0, 0.0625, -0.1875]> : tensor<8xf32>
  %0 = potq.quantize %a : tensor<8xf32> -> tensor<8x!pot4>
  %b = arith.constant dense<[2.5, -2.5, 3.5, -3.5, 0.5, -0.5, 126.5, -127.5, 127.5, -128.5]> : tensor<10xf32>
  %1 = potq.quantize %b : tensor<10xf32> -> tensor<10x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>
  %c = arith.constant dense<[1.25, -1.25, 100.0, -100.0, 0x7FC00000, -0.0]> : tensor<6xf32>
  %2 = potq.quantize %c : tensor<6xf32> -> tensor<6x!u8z>
  %d = arith.constant dense<[2.4, 2.5, -3.5, 6.0, 1.25]> : tensor<5xf32>
  %3 = potq.quantize %d : tensor<5xf32> -> tensor<5x!potq.q<#potq.apot<bits = 4>, f32, scale = 0.5>>
  %e = arith.constant dense<[3.0, 5.0, 6.0, -100.0]> : tensor<4xf32>
  %4 = potq.quantize %e : tensor<4xf32> -> tensor<4x!potq.q<#potq.nhot<terms = 1, max_exp = 3>, f32, scale = 1.0>>
  %f = arith.constant dense<[[1.2, 1.2], [-3.0, 5.0]]> : tensor<2x2xf32>
  %5 = potq.quantize %f : tensor<2x2xf32> -> tensor<2x2x!potq.q<#potq.uniform<bits = 4>, f32, axis = 1, scales = [1.0, 0.5]>>
  return %0, %1, %2, %3, %4, %5 : tensor<8x!pot4>, tensor<10x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>,
      tensor<6x!u8z>, tensor<5x!potq.q<#potq.apot<bits = 4>, f32, scale = 0.5>>,
      tensor<4x!potq.q<#potq.nhot<terms = 1, max_exp = 3>, f32, scale = 1.0>>,
      tensor<2x2x!potq.q<#potq.uniform<bits = 4>, f32, axis = 1, scales = [1.0, 0.5]>>
}

// s * (L - Z) in binary32, then rounded to the expressed type: with f16,
// 3 * 0.1f = 0.300000012 rounds to the f16 value 0.300048828.
// DEQUANT: result 0: tensor<4xf32> = [0.125, -0.25, 0, 8]
// DEQUANT: result 1: tensor<3xf32> = [1, -64, 63.5]
// DEQUANT: result 2: tensor<2xf16> = [0.300048828, -12.796875]
// DEQUANT: result 3: tensor<2x2xf32> = {{\[\[}}1, -1], [0.5, 2]]
func.func @dequantize() -> (tensor<4xf32>, tensor<3xf32>, tensor<2xf16>, tensor<2x2xf32>) {
  %a = potq.constant dense<[1, -2, 0, 64]> : tensor<4xi8> -> tensor<4x!pot4>
  %0 = potq.dequantize %a : tensor<4x!pot4> -> tensor<4xf32>
  %b = potq.constant dense<[-126, 0, -1]> : tensor<3xi8> -> tensor<3x!u8z>
  %1 = potq.dequantize %b : tensor<3x!u8z> -> tensor<3xf32>
  %c = potq.constant dense<[3, -128]> : tensor<2xi8> -> tensor<2x!potq.q<#potq.uniform<bits = 8>, f16, scale = 0.1>>
  %2 = potq.dequantize %c : tensor<2x!potq.q<#potq.uniform<bits = 8>, f16, scale = 0.1>> -> tensor<2xf16>
  %d = potq.constant dense<[[1, -1], [1, 4]]> : tensor<2x2xi8>
      -> tensor<2x2x!potq.q<#potq.pot<bits = 3>, f32, axis = 0, scales = [1.0, 0.5]>>
  %3 = potq.dequantize %d : tensor<2x2x!potq.q<#potq.pot<bits = 3>, f32, axis = 0, scales = [1.0, 0.5]>>
      -> tensor<2x2xf32>
  return %0, %1, %2, %3 : tensor<4xf32>, tensor<3xf32>, tensor<2xf16>, tensor<2x2xf32>
}

// m = 0.25 / 1.0 is a power of two: y = 3 + ((x + 2) >> 2), round half up:
//   5 -> 1.25 -> 1; 6 -> 1.5 -> 2; -6 -> -1.5 -> -1; -5 -> -1.25 -> -1;
//   -7 -> -1.75 -> -2; ±1000 clamp to 127 / -128 after adding Z = 3.
// m = 0.75 / 1.0 = 1610612736 * 2^-31 with Zin = -2: x - Zin = 2 -> 1.5 -> 2,
//   -2 -> -1.5 -> -1, 1 -> 0.75 -> 1, -1 -> -0.75 -> -1, 10 -> 7.5 -> 8.
// Per-channel input (axis 1, scales [0.5, 2]): column 0 halves (1 -> 0.5
//   -> 1, -1 -> -0.5 -> 0), column 1 doubles (a left shift).
// REQUANT: result 0: tensor<7x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00, zero_point = 3>> = [4, 5, 2, 2, 1, 127, -128]
// REQUANT: result 1: tensor<5x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>> = [2, -1, 1, -1, 8]
// REQUANT: result 2: tensor<2x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>> = {{\[\[}}1, 8], [0, -8]]
func.func @requantize()
    -> (tensor<7x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0, zero_point = 3>>,
        tensor<5x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>,
        tensor<2x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>) {
  %a = potq.constant dense<[5, 6, -6, -5, -7, 1000, -1000]> : tensor<7xi16>
      -> tensor<7x!potq.q<#potq.uniform<bits = 16>, f32, scale = 0.25>>
  %0 = potq.requantize %a : tensor<7x!potq.q<#potq.uniform<bits = 16>, f32, scale = 0.25>>
      -> tensor<7x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0, zero_point = 3>>
  %b = potq.constant dense<[0, -4, -1, -3, 8]> : tensor<5xi16>
      -> tensor<5x!potq.q<#potq.uniform<bits = 16>, f32, scale = 0.75, zero_point = -2>>
  %1 = potq.requantize %b : tensor<5x!potq.q<#potq.uniform<bits = 16>, f32, scale = 0.75, zero_point = -2>>
      -> tensor<5x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>
  %c = potq.constant dense<[[1, 4], [-1, -4]]> : tensor<2x2xi8>
      -> tensor<2x2x!potq.q<#potq.pot<bits = 3>, f32, axis = 1, scales = [0.5, 2.0]>>
  %2 = potq.requantize %c : tensor<2x2x!potq.q<#potq.pot<bits = 3>, f32, axis = 1, scales = [0.5, 2.0]>>
      -> tensor<2x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>
  return %0, %1, %2 : tensor<7x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0, zero_point = 3>>,
      tensor<5x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>,
      tensor<2x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>
}

!x8 = !potq.q<#potq.uniform<bits = 8>, f32, scale = 0.5, zero_point = -1>
!w4 = !potq.q<#potq.pot<bits = 4>, f32, scale = 0.25>
!y8 = !potq.q<#potq.uniform<bits = 8>, f32, scale = 0.5, zero_point = 10>

// X = [[1, 2, 3]] with Zx = -1, so X - Zx = [2, 3, 4]; W = [[1, -2], [4, 0],
// [-1, 64]]: acc = [2 + 12 - 4, -4 + 0 + 256] = [10, 252]; bias [5, -2] ->
// [15, 250].
// Requantized with m = 0.5 * 0.25 / 0.5 = 2^-2 and Zy = 10:
//   15 -> (17 >> 2) = 4 -> 14; 250 -> (252 >> 2) = 63 -> 73; clamp_max = 50
//   caps 73. Fused ReLU (clamp_min = Zy): X = [[-5, -1, -1]] gives X - Zx =
//   [-4, 0, 0], acc = [-4, 8] -> [-1, 2] -> [9, 12] -> [10, 12].
// MATMUL: result 0: tensor<1x2xi32> = {{\[\[}}15, 250]]
// MATMUL: result 1: tensor<1x2xi64> = {{\[\[}}10, 252]]
// MATMUL: result 2: tensor<1x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 5.0e-01, zero_point = 10>> = {{\[\[}}14, 73]]
// MATMUL: result 3: tensor<1x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 5.0e-01, zero_point = 10>> = {{\[\[}}14, 50]]
// MATMUL: result 4: tensor<1x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 5.0e-01, zero_point = 10>> = {{\[\[}}10, 12]]
func.func @matmul() -> (tensor<1x2xi32>, tensor<1x2xi64>, tensor<1x2x!y8>, tensor<1x2x!y8>, tensor<1x2x!y8>) {
  %x = potq.constant dense<[[1, 2, 3]]> : tensor<1x3xi8> -> tensor<1x3x!x8>
  %w = potq.constant dense<[[1, -2], [4, 0], [-1, 64]]> : tensor<3x2xi8> -> tensor<3x2x!w4>
  %b = arith.constant dense<[5, -2]> : tensor<2xi32>
  %0 = potq.matmul %x, %w bias %b : tensor<1x3x!x8>, tensor<3x2x!w4>, tensor<2xi32> -> tensor<1x2xi32>
  %1 = potq.matmul %x, %w : tensor<1x3x!x8>, tensor<3x2x!w4> -> tensor<1x2xi64>
  %2 = potq.matmul %x, %w bias %b : tensor<1x3x!x8>, tensor<3x2x!w4>, tensor<2xi32> -> tensor<1x2x!y8>
  %3 = potq.matmul %x, %w bias %b {clamp_max = 50 : i64}
      : tensor<1x3x!x8>, tensor<3x2x!w4>, tensor<2xi32> -> tensor<1x2x!y8>
  %n = potq.constant dense<[[-5, -1, -1]]> : tensor<1x3xi8> -> tensor<1x3x!x8>
  %4 = potq.matmul %n, %w {clamp_min = 10 : i64} : tensor<1x3x!x8>, tensor<3x2x!w4> -> tensor<1x2x!y8>
  return %0, %1, %2, %3, %4 : tensor<1x2xi32>, tensor<1x2xi64>, tensor<1x2x!y8>, tensor<1x2x!y8>, tensor<1x2x!y8>
}

// Per-channel apot<4> weights (axis 1, scales [0.25, 0.5]) with sx = 0.5,
// sy = 1: m0 = 2^-3, m1 = 2^-2. X = [[3, -2]], W = [[6, -10], [1, 8]]:
// acc = [18 - 2, -30 - 16] = [16, -46] -> [(16 + 4) >> 3, (-46 + 2) >> 2]
// = [2, -11].
// With a non-power-of-two m = 0.5 * 0.3 / 1 = 0.150000006 (M = 1288490240,
// sh = 33) and nhot weights: X = [[1, 2], [-1, 0]], W = [[7, 33], [12, 0]]
// (nhot<2, 5>: 7 = 8 - 1, 33 = 32 + 1, 12 = 8 + 4): acc = [[31, 33],
// [-7, -33]] -> [[4.65 -> 5, 4.95 -> 5], [-1.05 -> -1, -4.95 -> -5]].
// PERCHAN: result 0: tensor<1x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>> = {{\[\[}}2, -11]]
// PERCHAN: result 1: tensor<2x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>> = {{\[\[}}5, 5], [-1, -5]]
func.func @matmul_per_channel()
    -> (tensor<1x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>,
        tensor<2x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>) {
  %x = potq.constant dense<[[3, -2]]> : tensor<1x2xi8> -> tensor<1x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 0.5>>
  %w = potq.constant dense<[[6, -10], [1, 8]]> : tensor<2x2xi8>
      -> tensor<2x2x!potq.q<#potq.apot<bits = 4>, f32, axis = 1, scales = [0.25, 0.5]>>
  %0 = potq.matmul %x, %w : tensor<1x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 0.5>>,
      tensor<2x2x!potq.q<#potq.apot<bits = 4>, f32, axis = 1, scales = [0.25, 0.5]>>
      -> tensor<1x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>
  %x2 = potq.constant dense<[[1, 2], [-1, 0]]> : tensor<2x2xi8> -> tensor<2x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 0.5>>
  %w2 = potq.constant dense<[[7, 33], [12, 0]]> : tensor<2x2xi8>
      -> tensor<2x2x!potq.q<#potq.nhot<terms = 2, max_exp = 5>, f32, scale = 0.3>>
  %1 = potq.matmul %x2, %w2 : tensor<2x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 0.5>>,
      tensor<2x2x!potq.q<#potq.nhot<terms = 2, max_exp = 5>, f32, scale = 0.3>>
      -> tensor<2x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>
  return %0, %1 : tensor<1x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>,
      tensor<2x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>
}

// Per batch: [1, 2] . [4, -1] = 2 and [-1, 4] . [2, 2] = 6.
// BATCH: result 0: tensor<2x1x1xi32> = {{\[\[\[}}2]], {{\[\[}}6]]]
func.func @batch_matmul() -> tensor<2x1x1xi32> {
  %x = potq.constant dense<[[[1, 2]], [[-1, 4]]]> : tensor<2x1x2xi8>
      -> tensor<2x1x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>
  %w = potq.constant dense<[[[4], [-1]], [[2], [2]]]> : tensor<2x2x1xi8>
      -> tensor<2x2x1x!potq.q<#potq.pot<bits = 3>, f32, scale = 1.0>>
  %0 = potq.batch_matmul %x, %w : tensor<2x1x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>,
      tensor<2x2x1x!potq.q<#potq.pot<bits = 3>, f32, scale = 1.0>> -> tensor<2x1x1xi32>
  return %0 : tensor<2x1x1xi32>
}

// conv_2d_nhwc_hwcf: X - Zx = [[0, 1, 2], [3, 4, 5], [6, 7, 8]] (Zx = 1);
// filter 0 = [[1, 0], [0, 1]], filter 1 = [[-1, 2], [4, 0]], bias [1, -1]:
//   f0 = v[i][j] + v[i+1][j+1] + 1 = [[5, 7], [11, 13]],
//   f1 = -v[i][j] + 2 v[i][j+1] + 4 v[i+1][j] - 1 = [[13, 18], [28, 33]].
// Requantized per channel (weight scales [0.5, 0.25], sx = 0.5, sy = 1):
//   f0 with m = 2^-2: 5 -> 1, 7 -> 2, 11 -> 3, 13 -> 3;
//   f1 with m = 2^-3: 13 -> 2, 18 -> 2, 28 -> 4, 33 -> 4.
// With strides [2, 2] only the top-left window remains.
// NHWC: result 0: tensor<1x2x2x2xi32> = {{\[\[\[\[}}5, 13], [7, 18]], {{\[\[}}11, 28], [13, 33]]]]
// NHWC: result 1: tensor<1x2x2x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>> = {{\[\[\[\[}}1, 2], [2, 2]], {{\[\[}}3, 4], [3, 4]]]]
// NHWC: result 2: tensor<1x1x1x2xi32> = {{\[\[\[\[}}5, 13]]]]
!cx = !potq.q<#potq.uniform<bits = 8>, f32, scale = 0.5, zero_point = 1>
!cw = !potq.q<#potq.pot<bits = 3>, f32, axis = 3, scales = [0.5, 0.25]>
func.func @conv_nhwc() -> (tensor<1x2x2x2xi32>, tensor<1x2x2x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>,
                           tensor<1x1x1x2xi32>) {
  %x = potq.constant dense<[[[[1], [2], [3]], [[4], [5], [6]], [[7], [8], [9]]]]> : tensor<1x3x3x1xi8>
      -> tensor<1x3x3x1x!cx>
  %w = potq.constant dense<[[[[1, -1]], [[0, 2]]], [[[0, 4]], [[1, 0]]]]> : tensor<2x2x1x2xi8>
      -> tensor<2x2x1x2x!cw>
  %b = arith.constant dense<[1, -1]> : tensor<2xi32>
  %0 = potq.conv_2d_nhwc_hwcf %x, %w bias %b : tensor<1x3x3x1x!cx>, tensor<2x2x1x2x!cw>, tensor<2xi32>
      -> tensor<1x2x2x2xi32>
  %1 = potq.conv_2d_nhwc_hwcf %x, %w bias %b : tensor<1x3x3x1x!cx>, tensor<2x2x1x2x!cw>, tensor<2xi32>
      -> tensor<1x2x2x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>
  %2 = potq.conv_2d_nhwc_hwcf %x, %w bias %b {strides = array<i64: 2, 2>}
      : tensor<1x3x3x1x!cx>, tensor<2x2x1x2x!cw>, tensor<2xi32> -> tensor<1x1x1x2xi32>
  return %0, %1, %2 : tensor<1x2x2x2xi32>, tensor<1x2x2x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>,
      tensor<1x1x1x2xi32>
}

// conv_2d_nchw_fchw with dilations [2, 2] on v = 4r + c and the nhot filter
// [[1, 3], [-2, 6]]: out = v + 3 (v + 2) - 2 (v + 8) + 6 (v + 10) + bias 100
// = 8 v + 150 at v = 0, 1, 4, 5.
// NCHW: result 0: tensor<1x1x2x2xi64> = {{\[\[\[\[}}150, 158], [182, 190]]]]
func.func @conv_nchw() -> tensor<1x1x2x2xi64> {
  %x = potq.constant dense<[[[[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11], [12, 13, 14, 15]]]]> : tensor<1x1x4x4xi8>
      -> tensor<1x1x4x4x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>
  %w = potq.constant dense<[[[[1, 3], [-2, 6]]]]> : tensor<1x1x2x2xi8>
      -> tensor<1x1x2x2x!potq.q<#potq.nhot<terms = 2, max_exp = 3>, f32, scale = 1.0>>
  %b = arith.constant dense<[100]> : tensor<1xi32>
  %0 = potq.conv_2d_nchw_fchw %x, %w bias %b {dilations = array<i64: 2, 2>}
      : tensor<1x1x4x4x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>,
        tensor<1x1x2x2x!potq.q<#potq.nhot<terms = 2, max_exp = 3>, f32, scale = 1.0>>, tensor<1xi32>
      -> tensor<1x1x2x2xi64>
  return %0 : tensor<1x1x2x2xi64>
}
