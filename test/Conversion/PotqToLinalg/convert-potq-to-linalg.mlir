// RUN: potq-opt %s -split-input-file --convert-potq-to-linalg | FileCheck %s

// potq.constant becomes a constant of storage integers; the function
// signature converts quantized tensors to their storage tensors.
// CHECK-LABEL: func.func @constant
// CHECK-SAME: () -> tensor<3xi8>
// CHECK: %[[C:.*]] = arith.constant dense<[1, -2, 64]> : tensor<3xi8>
// CHECK: return %[[C]] : tensor<3xi8>
func.func @constant() -> tensor<3x!potq.q<#potq.pot<bits = 4>, f32, scale = 5.0e-01>> {
  %c = potq.constant dense<[1, -2, 64]> : tensor<3xi8> -> tensor<3x!potq.q<#potq.pot<bits = 4>, f32, scale = 5.0e-01>>
  return %c : tensor<3x!potq.q<#potq.pot<bits = 4>, f32, scale = 5.0e-01>>
}

// -----

// dequantize: float(L - Z) * s, rounded once; unsigned storage zero-extends.
// CHECK-LABEL: func.func @dequantize
// CHECK-SAME: (%[[ARG:.*]]: tensor<4xi8>) -> tensor<4xf32>
// CHECK: %[[S:.*]] = arith.constant 2.500000e-01 : f32
// CHECK: linalg.generic
// CHECK-SAME: ins(%[[ARG]] : tensor<4xi8>)
// CHECK: ^bb0(%[[L:.*]]: i8, %{{.*}}: f32):
// CHECK:   %[[E:.*]] = arith.extui %[[L]] : i8 to i32
// CHECK:   %[[Z:.*]] = arith.constant 128 : i32
// CHECK:   %[[C:.*]] = arith.subi %[[E]], %[[Z]] : i32
// CHECK:   %[[F:.*]] = arith.sitofp %[[C]] : i32 to f32
// CHECK:   %[[R:.*]] = arith.mulf %[[F]], %[[S]] : f32
// CHECK:   linalg.yield %[[R]] : f32
func.func @dequantize(%q: tensor<4x!potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 2.5e-01, zero_point = 128>>) -> tensor<4xf32> {
  %d = potq.dequantize %q : tensor<4x!potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 2.5e-01, zero_point = 128>> -> tensor<4xf32>
  return %d : tensor<4xf32>
}

// -----

// Per-channel dequantize to f16 reads its scales from a tensor indexed by
// the channel dimension, computes in f32 and rounds to f16.
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[CH:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @dequantize_per_channel
// CHECK: %[[S:.*]] = arith.constant dense<[1.000000e+00, 5.000000e-01, 2.500000e-01]> : tensor<3xf32>
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[CH]], #[[ID]]]
// CHECK-SAME: ins(%{{.*}}, %[[S]] : tensor<2x3xi8>, tensor<3xf32>)
// CHECK: arith.extsi
// CHECK: arith.sitofp
// CHECK: arith.mulf
// CHECK: arith.truncf %{{.*}} : f32 to f16
func.func @dequantize_per_channel(%q: tensor<2x3x!potq.q<#potq.apot<bits = 4>, f16, axis = 1, scales = [1.0e+00, 5.0e-01, 2.5e-01]>>) -> tensor<2x3xf16> {
  %d = potq.dequantize %q : tensor<2x3x!potq.q<#potq.apot<bits = 4>, f16, axis = 1, scales = [1.0e+00, 5.0e-01, 2.5e-01]>> -> tensor<2x3xf16>
  return %d : tensor<2x3xf16>
}

// -----

// quantize: binary32 division, rounding half toward the zero point,
// clamping in float before the conversion, NaN to the zero point.
// CHECK-LABEL: func.func @quantize
// CHECK: linalg.generic
// CHECK: ^bb0(%[[X:.*]]: f32, %{{.*}}: i8):
// CHECK:   %[[T:.*]] = arith.divf %[[X]], %{{.*}} : f32
// CHECK:   %[[NAN:.*]] = arith.cmpf uno, %[[T]], %[[T]] : f32
// CHECK:   %[[A:.*]] = math.absf %[[T]] : f32
// CHECK:   %[[H:.*]] = arith.subf %[[A]], %{{.*}} : f32
// CHECK:   %[[CEIL:.*]] = math.ceil %[[H]] : f32
// CHECK:   %[[SGN:.*]] = math.copysign %[[CEIL]], %[[T]] : f32
// CHECK:   arith.constant -1.230000e+02 : f32
// CHECK:   arith.maximumf
// CHECK:   arith.constant 1.320000e+02 : f32
// CHECK:   arith.minimumf
// CHECK:   arith.select %[[NAN]]
// CHECK:   arith.fptosi %{{.*}} : f32 to i32
// CHECK:   arith.constant -5 : i32
// CHECK:   arith.addi
// CHECK:   arith.trunci %{{.*}} : i32 to i8
func.func @quantize(%x: tensor<4xf32>) -> tensor<4x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e-01, zero_point = -5>> {
  %q = potq.quantize %x : tensor<4xf32> -> tensor<4x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e-01, zero_point = -5>>
  return %q : tensor<4x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e-01, zero_point = -5>>
}

// -----

// A power-of-two requantization (m = 0.25) is a pure rounding shift.
// CHECK-LABEL: func.func @requantize_pot
// CHECK: linalg.generic
// CHECK-NOT: arith.muli
// CHECK: arith.extsi %{{.*}} : i16 to i64
// CHECK: %[[R:.*]] = arith.constant 2 : i64
// CHECK: arith.addi
// CHECK: %[[SH:.*]] = arith.constant 2 : i64
// CHECK: arith.shrsi %{{.*}}, %[[SH]] : i64
// CHECK: arith.maxsi
// CHECK: arith.minsi
// CHECK: arith.trunci %{{.*}} : i64 to i8
// CHECK: linalg.yield
func.func @requantize_pot(%x: tensor<8x!potq.q<#potq.uniform<bits = 16>, f32, scale = 2.5e-01>>) -> tensor<8x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>> {
  %y = potq.requantize %x : tensor<8x!potq.q<#potq.uniform<bits = 16>, f32, scale = 2.5e-01>> -> tensor<8x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>
  return %y : tensor<8x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>
}

// -----

// A general multiplier m = float(0.3) = M * 2^-sh with M in [2^30, 2^31).
// CHECK-LABEL: func.func @requantize_general
// CHECK: linalg.generic
// CHECK: arith.constant 1288490240 : i64
// CHECK: arith.muli
// CHECK: arith.constant 2147483648 : i64
// CHECK: arith.addi
// CHECK: arith.constant 32 : i64
// CHECK: arith.shrsi
func.func @requantize_general(%x: tensor<8x!potq.q<#potq.uniform<bits = 16>, f32, scale = 3.0e-01>>) -> tensor<8x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>> {
  %y = potq.requantize %x : tensor<8x!potq.q<#potq.uniform<bits = 16>, f32, scale = 3.0e-01>> -> tensor<8x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>
  return %y : tensor<8x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>
}

// -----

// Matmul with POT weights: the accumulation has one exponent plane and one
// sign plane, shifts instead of multiplies; the power-of-two multiplier
// (0.5 * 0.25 / 0.125 = 1) needs no multiply either.
// CHECK-DAG: #[[X:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[W:.*]] = affine_map<(d0, d1, d2) -> (d2, d1)>
// CHECK-DAG: #[[Y:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func.func @matmul_pot
// CHECK-SAME: (%[[IN:.*]]: tensor<2x3xi8>)
// CHECK-DAG: %[[EXP:.*]] = arith.constant dense<{{\[}}[0, 1], [0, 6], [0, 3]]> : tensor<3x2xi8>
// CHECK-DAG: %[[SIGN:.*]] = arith.constant dense<{{\[}}[1, -1], [0, 1], [-1, 1]]> : tensor<3x2xi8>
// CHECK: %[[FILL:.*]] = linalg.fill ins(%{{.*}} : i32) outs(%{{.*}} : tensor<2x2xi32>)
// CHECK: %[[ACC:.*]] = linalg.generic {indexing_maps = [#[[X]], #[[W]], #[[W]], #[[Y]]], iterator_types = ["parallel", "parallel", "reduction"]}
// CHECK-SAME: ins(%[[IN]], %[[EXP]], %[[SIGN]] : tensor<2x3xi8>, tensor<3x2xi8>, tensor<3x2xi8>) outs(%[[FILL]] : tensor<2x2xi32>)
// CHECK-NOT: arith.muli
// CHECK-NOT: arith.mulf
// CHECK: arith.shli
// CHECK-NOT: arith.muli
// CHECK: linalg.yield
// CHECK: linalg.generic
// CHECK-SAME: ins(%[[ACC]]
// CHECK-NOT: arith.muli
// CHECK: arith.maxsi
// CHECK: arith.minsi
// CHECK: linalg.yield
func.func @matmul_pot(%x: tensor<2x3x!potq.q<#potq.uniform<bits = 8>, f32, scale = 5.0e-01>>) -> tensor<2x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.25e-01>> {
  %w = potq.constant dense<[[1, -2], [0, 64], [-1, 8]]> : tensor<3x2xi8> -> tensor<3x2x!potq.q<#potq.pot<bits = 4>, f32, scale = 2.5e-01>>
  %y = potq.matmul %x, %w : tensor<2x3x!potq.q<#potq.uniform<bits = 8>, f32, scale = 5.0e-01>>, tensor<3x2x!potq.q<#potq.pot<bits = 4>, f32, scale = 2.5e-01>> -> tensor<2x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.25e-01>>
  return %y : tensor<2x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.25e-01>>
}

// -----

// APoT weights have up to two terms (10 = 8 + 2, 3 = 2 + 1): two plane pairs.
// The input zero point is subtracted before shifting.
// CHECK-LABEL: func.func @matmul_apot_i32
// CHECK-DAG: arith.constant dense<{{\[}}[3, 1], [0, 0]]> : tensor<2x2xi8>
// CHECK-DAG: arith.constant dense<{{\[}}[-1, 1], [0, 1]]> : tensor<2x2xi8>
// CHECK-DAG: arith.constant dense<{{\[}}[1, 0], [0, 0]]> : tensor<2x2xi8>
// CHECK-DAG: arith.constant dense<{{\[}}[-1, 1], [0, 0]]> : tensor<2x2xi8>
// CHECK: linalg.generic
// CHECK-SAME: ins(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} : tensor<1x2xi8>, tensor<2x2xi8>, tensor<2x2xi8>, tensor<2x2xi8>, tensor<2x2xi8>)
// CHECK: arith.constant 3 : i32
// CHECK: arith.subi
// CHECK-NOT: arith.muli
// CHECK: arith.shli
// CHECK-NOT: arith.muli
// CHECK: arith.shli
// CHECK-NOT: arith.muli
// CHECK: linalg.yield
// CHECK-NOT: linalg.generic
// CHECK: return %{{.*}} : tensor<1x2xi32>
func.func @matmul_apot_i32(%x: tensor<1x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 5.0e-01, zero_point = 3>>) -> tensor<1x2xi32> {
  %w = potq.constant dense<[[-10, 3], [0, 1]]> : tensor<2x2xi8> -> tensor<2x2x!potq.q<#potq.apot<bits = 4>, f32, scale = 2.5e-01>>
  %y = potq.matmul %x, %w : tensor<1x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 5.0e-01, zero_point = 3>>, tensor<2x2x!potq.q<#potq.apot<bits = 4>, f32, scale = 2.5e-01>> -> tensor<1x2xi32>
  return %y : tensor<1x2xi32>
}

// -----

// Per-channel weights, bias and a fused ReLU: per-channel multipliers and
// the bias are channel inputs of the epilogue; the clamp starts at Zy.
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[CH:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @matmul_per_channel_bias_relu
// CHECK-SAME: (%[[IN:.*]]: tensor<1x2xi8>, %[[B:.*]]: tensor<2xi32>)
// CHECK: %[[ACC:.*]] = linalg.generic
// CHECK: %[[M:.*]] = arith.constant dense<[1, 1288490240]> : tensor<2xi64>
// CHECK: %[[SH:.*]] = arith.constant dense<[1, 32]> : tensor<2xi64>
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[CH]], #[[CH]], #[[CH]], #[[ID]]]
// CHECK-SAME: ins(%[[ACC]], %[[B]], %[[M]], %[[SH]] : tensor<1x2xi32>, tensor<2xi32>, tensor<2xi64>, tensor<2xi64>)
// CHECK: arith.addi
// CHECK: arith.muli
// CHECK: arith.shrsi
// CHECK: arith.constant -10 : i64
// CHECK: arith.addi
// CHECK: arith.constant -10 : i64
// CHECK: arith.maxsi
// CHECK: arith.constant 100 : i64
// CHECK: arith.minsi
func.func @matmul_per_channel_bias_relu(%x: tensor<1x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>, %b: tensor<2xi32>) -> tensor<1x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00, zero_point = -10>> {
  %w = potq.constant dense<[[1, 2], [4, -1]]> : tensor<2x2xi8> -> tensor<2x2x!potq.q<#potq.pot<bits = 4>, f32, axis = 1, scales = [5.0e-01, 3.0e-01]>>
  %y = potq.matmul %x, %w bias %b {clamp_min = -10 : i64, clamp_max = 100 : i64} : tensor<1x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>, tensor<2x2x!potq.q<#potq.pot<bits = 4>, f32, axis = 1, scales = [5.0e-01, 3.0e-01]>>, tensor<2xi32> -> tensor<1x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00, zero_point = -10>>
  return %y : tensor<1x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00, zero_point = -10>>
}

// -----

// Convolutions index the input with strides and dilations.
// CHECK-DAG: #[[IN:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1 * 2 + d4 * 3, d2 + d5, d6)>
// CHECK-DAG: #[[F:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d4, d5, d6, d3)>
// CHECK-DAG: #[[OUT:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @conv_nhwc_hwcf
// CHECK-SAME: (%[[ARG:.*]]: tensor<?x9x9x2xi8>)
// CHECK: %[[N:.*]] = tensor.dim %[[ARG]], %{{.*}} : tensor<?x9x9x2xi8>
// CHECK: tensor.empty(%[[N]]) : tensor<?x3x8x3xi32>
// CHECK: linalg.generic {indexing_maps = [#[[IN]], #[[F]], #[[F]], #[[OUT]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
// CHECK-NOT: arith.muli
// CHECK: return %{{.*}} : tensor<?x3x8x3xi32>
func.func @conv_nhwc_hwcf(%x: tensor<?x9x9x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 5.0e-02>>) -> tensor<?x3x8x3xi32> {
  %w = potq.constant dense<1> : tensor<2x2x2x3xi8> -> tensor<2x2x2x3x!potq.q<#potq.pot<bits = 3>, f32, scale = 1.0e-02>>
  %y = potq.conv_2d_nhwc_hwcf %x, %w {strides = array<i64: 2, 1>, dilations = array<i64: 3, 1>} : tensor<?x9x9x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 5.0e-02>>, tensor<2x2x2x3x!potq.q<#potq.pot<bits = 3>, f32, scale = 1.0e-02>> -> tensor<?x3x8x3xi32>
  return %y : tensor<?x3x8x3xi32>
}

// -----

// CHECK-DAG: #[[IN:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d4, d2 + d5, d3 + d6)>
// CHECK-DAG: #[[F:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d1, d4, d5, d6)>
// CHECK-DAG: #[[OUT:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @conv_nchw_fchw
// CHECK: linalg.generic {indexing_maps = [#[[IN]], #[[F]], #[[F]], #[[F]], #[[F]], #[[OUT]]]
// CHECK-NOT: arith.muli
// CHECK: linalg.yield
// CHECK: return %{{.*}} : tensor<1x2x3x3xi64>
func.func @conv_nchw_fchw(%x: tensor<1x1x4x4x!potq.q<#potq.uniform<bits = 8>, f32, scale = 5.0e-02>>) -> tensor<1x2x3x3xi64> {
  %w = potq.constant dense<[[[[7, -3], [0, 1]]], [[[15, 0], [-16, 2]]]]> : tensor<2x1x2x2xi8> -> tensor<2x1x2x2x!potq.q<#potq.nhot<terms = 2, max_exp = 4>, f32, scale = 1.0e-02>>
  %y = potq.conv_2d_nchw_fchw %x, %w : tensor<1x1x4x4x!potq.q<#potq.uniform<bits = 8>, f32, scale = 5.0e-02>>, tensor<2x1x2x2x!potq.q<#potq.nhot<terms = 2, max_exp = 4>, f32, scale = 1.0e-02>> -> tensor<1x2x3x3xi64>
  return %y : tensor<1x2x3x3xi64>
}

// -----

// Zero-point padding: the storage input is padded with Zx (unsigned 200 is
// the i8 bit pattern -56) by tensor.pad on the window dimensions; the
// generic reads the padded tensor with the unchanged maps. NCHW pads
// dimensions 2 and 3: H (4 + 1 + 2 - 2) / 2 + 1 = 3, W 4 + 0 + 1 - 1 = 4.
// CHECK-DAG: #[[IN:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d4, d2 * 2 + d5, d3 + d6)>
// CHECK-LABEL: func.func @conv_nchw_padded
// CHECK-SAME: (%[[ARG:.*]]: tensor<?x1x4x4xi8>)
// CHECK: %[[ZX:.*]] = arith.constant -56 : i8
// CHECK: %[[PAD:.*]] = tensor.pad %[[ARG]] low[0, 0, 1, 0] high[0, 0, 2, 1] {
// CHECK: tensor.yield %[[ZX]] : i8
// CHECK: } : tensor<?x1x4x4xi8> to tensor<?x1x7x5xi8>
// CHECK: %[[N:.*]] = tensor.dim %[[PAD]], %{{.*}} : tensor<?x1x7x5xi8>
// CHECK: tensor.empty(%[[N]]) : tensor<?x2x3x4xi32>
// CHECK: linalg.generic {indexing_maps = [#[[IN]], {{.*}}]
// CHECK-SAME: ins(%[[PAD]], {{.*}} : tensor<?x1x7x5xi8>,
// CHECK: arith.subi %{{.*}}, %{{.*}} : i32
// CHECK-NOT: arith.muli
// CHECK: return %{{.*}} : tensor<?x2x3x4xi32>
func.func @conv_nchw_padded(%x: tensor<?x1x4x4x!potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 5.0e-02, zero_point = 200>>) -> tensor<?x2x3x4xi32> {
  %w = potq.constant dense<1> : tensor<2x1x2x2xi8> -> tensor<2x1x2x2x!potq.q<#potq.pot<bits = 3>, f32, scale = 1.0e-02>>
  %y = potq.conv_2d_nchw_fchw %x, %w {strides = array<i64: 2, 1>, padding = array<i64: 1, 0, 2, 1>} : tensor<?x1x4x4x!potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 5.0e-02, zero_point = 200>>, tensor<2x1x2x2x!potq.q<#potq.pot<bits = 3>, f32, scale = 1.0e-02>> -> tensor<?x2x3x4xi32>
  return %y : tensor<?x2x3x4xi32>
}

// -----

// Shape-only tensor ops on quantized tensors move storage integers; a
// dynamic row count of a batch matmul comes from the input.
// CHECK-LABEL: func.func @reshape_then_batch_matmul
// CHECK-SAME: (%[[X:.*]]: tensor<1x?xi8>)
// CHECK: %[[E:.*]] = tensor.expand_shape %[[X]] {{\[}}[0], [1, 2]] output_shape [1, %{{.*}}, 2] : tensor<1x?xi8> into tensor<1x?x2xi8>
// CHECK: %[[M:.*]] = tensor.dim %[[E]], %{{.*}} : tensor<1x?x2xi8>
// CHECK: tensor.empty(%[[M]]) : tensor<1x?x2xi32>
// CHECK: return %{{.*}} : tensor<1x?x2xi32>
func.func @reshape_then_batch_matmul(%x: tensor<1x?x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>) -> tensor<1x?x2xi32> {
  %w = potq.constant dense<1> : tensor<1x2x2xi8> -> tensor<1x2x2x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e+00>>
  %c1 = arith.constant 1 : index
  %n = tensor.dim %x, %c1 : tensor<1x?x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>
  %c2 = arith.constant 2 : index
  %rows = arith.divui %n, %c2 : index
  %x3 = tensor.expand_shape %x [[0], [1, 2]] output_shape [1, %rows, 2] : tensor<1x?x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>> into tensor<1x?x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>
  %y = potq.batch_matmul %x3, %w : tensor<1x?x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>, tensor<1x2x2x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e+00>> -> tensor<1x?x2xi32>
  return %y : tensor<1x?x2xi32>
}

// -----

// Max pooling runs on the levels: signed storage uses pooling_nhwc_max,
// unsigned storage pooling_nhwc_max_unsigned, from the lowest level.
// CHECK-LABEL: func.func @max_pool
// CHECK: %[[LOW:.*]] = arith.constant -64 : i8
// CHECK: %[[INIT:.*]] = linalg.fill ins(%[[LOW]] : i8)
// CHECK: linalg.pooling_nhwc_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%{{.*}}, %{{.*}} : tensor<1x4x4x2xi8>, tensor<2x2xi8>) outs(%[[INIT]] : tensor<1x2x2x2xi8>)
// CHECK: %[[ZERO:.*]] = arith.constant 0 : i8
// CHECK: linalg.fill ins(%[[ZERO]] : i8)
// CHECK: linalg.pooling_nhwc_max_unsigned
func.func @max_pool(%x: tensor<1x4x4x2x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e+00>>, %u: tensor<1x4x4x2x!potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 1.0e+00>>) -> (tensor<1x2x2x2x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e+00>>, tensor<1x3x3x2x!potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 1.0e+00>>) {
  %y = potq.max_pool_2d_nhwc %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x4x4x2x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e+00>> -> tensor<1x2x2x2x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e+00>>
  %z = potq.max_pool_2d_nhwc %u {kernel = array<i64: 2, 2>} : tensor<1x4x4x2x!potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 1.0e+00>> -> tensor<1x3x3x2x!potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 1.0e+00>>
  return %y, %z : tensor<1x2x2x2x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e+00>>, tensor<1x3x3x2x!potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 1.0e+00>>
}

// -----

// Depthwise convolution: no channel reduction, the channel indexes input,
// filter and output alike.
// CHECK-DAG: #[[IN:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1 + d4, d2 + d5, d3)>
// CHECK-DAG: #[[F:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d4, d5, d3)>
// CHECK-DAG: #[[OUT:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @depthwise
// CHECK: linalg.generic {indexing_maps = [#[[IN]], #[[F]], #[[F]], #[[OUT]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]}
// CHECK-NOT: arith.muli
// CHECK: return %{{.*}} : tensor<1x2x2x2xi32>
func.func @depthwise(%x: tensor<1x3x3x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>) -> tensor<1x2x2x2xi32> {
  %w = potq.constant dense<[[[1, -2], [4, 0]], [[0, 8], [-1, 1]]]> : tensor<2x2x2xi8> -> tensor<2x2x2x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e+00>>
  %y = potq.depthwise_conv_2d_nhwc_hwc %x, %w : tensor<1x3x3x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>, tensor<2x2x2x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e+00>> -> tensor<1x2x2x2xi32>
  return %y : tensor<1x2x2x2xi32>
}

// -----

// Average pooling: centre the levels in i32, sum with pooling_nhwc_sum,
// requantize with m = sx / (sy * 4) = 1/4: a pure rounding shift by 2.
// CHECK-LABEL: func.func @avg_pool
// CHECK: linalg.generic
// CHECK: arith.extui %{{.*}} : i8 to i32
// CHECK: linalg.pooling_nhwc_sum {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%{{.*}}, %{{.*}} : tensor<1x4x4x1xi32>, tensor<2x2xi32>)
// CHECK: linalg.generic
// CHECK-NOT: arith.muli
// CHECK: arith.shrsi
func.func @avg_pool(%x: tensor<1x4x4x1x!potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 1.0e+00>>) -> tensor<1x2x2x1x!potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 1.0e+00>> {
  %y = potq.avg_pool_2d_nhwc %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x4x4x1x!potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 1.0e+00>> -> tensor<1x2x2x1x!potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 1.0e+00>>
  return %y : tensor<1x2x2x1x!potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 1.0e+00>>
}

// -----

// potq.add: both operands aligned to one fixed point in i128, one rounding.
// CHECK-LABEL: func.func @add
// CHECK: linalg.generic
// CHECK: arith.extsi %{{.*}} : i8 to i128
// CHECK: arith.shli
// CHECK: arith.extsi %{{.*}} : i8 to i128
// CHECK: arith.addi
// CHECK: arith.shrsi
// CHECK: arith.trunci %{{.*}} : i128 to i8
func.func @add(%a: tensor<4x!potq.q<#potq.uniform<bits = 8>, f32, scale = 5.0e-01>>, %b: tensor<4x!potq.q<#potq.uniform<bits = 8>, f32, scale = 2.5e-01>>) -> tensor<4x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>> {
  %y = potq.add %a, %b : tensor<4x!potq.q<#potq.uniform<bits = 8>, f32, scale = 5.0e-01>>, tensor<4x!potq.q<#potq.uniform<bits = 8>, f32, scale = 2.5e-01>> -> tensor<4x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>
  return %y : tensor<4x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>
}
