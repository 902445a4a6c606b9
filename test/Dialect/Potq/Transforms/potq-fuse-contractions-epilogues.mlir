// RUN: potq-opt %s -split-input-file -verify-diagnostics --potq-fuse-contractions | FileCheck %s

// Epilogues are read by what they compute (EpilogueAnalysis.h): one fused
// generic, any operand order, select-ReLU, splat operands, x * 1.0,
// scalar offsets. Each function's result must be one potq contraction.

!x = !potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 2.5e-01>
!w = !potq.q<#potq.pot<bits = 4>, f32, axis = 1, scales = [5.0e-01, 1.25e-01]>
!y = !potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 1.0e+00>

#id = affine_map<(d0, d1) -> (d0, d1)>
#ch = affine_map<(d0, d1) -> (d1)>

// Bias and ReLU in one generic, the bias first; ReLU as cmpf ugt + select.
// Bias levels b / (sx * sw[c]): 1.0 / 0.125 = 8, -0.3 / 0.03125 -> -10.
// CHECK-LABEL: func.func @fused_bias_select_relu
// CHECK: %[[B:.*]] = arith.constant dense<[8, -10]> : tensor<2xi32>
// CHECK: %[[Y:.*]] = potq.matmul %arg0, %arg1 bias %[[B]] {clamp_min = 0 : i64}
// CHECK-NOT: linalg
// CHECK: return %[[Y]]
func.func @fused_bias_select_relu(%x: tensor<4x3x!x>, %w: tensor<3x2x!w>) -> tensor<4x2x!y> {
  %xd = potq.dequantize %x : tensor<4x3x!x> -> tensor<4x3xf32>
  %wd = potq.dequantize %w : tensor<3x2x!w> -> tensor<3x2xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x2xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<4x2xf32>) -> tensor<4x2xf32>
  %mm = linalg.matmul ins(%xd, %wd : tensor<4x3xf32>, tensor<3x2xf32>) outs(%init : tensor<4x2xf32>) -> tensor<4x2xf32>
  %bias = arith.constant dense<[1.0, -0.3]> : tensor<2xf32>
  %r = linalg.generic {indexing_maps = [#ch, #id, #id], iterator_types = ["parallel", "parallel"]} ins(%bias, %mm : tensor<2xf32>, tensor<4x2xf32>) outs(%e : tensor<4x2xf32>) {
  ^bb0(%b: f32, %a: f32, %o: f32):
    %s = arith.addf %b, %a : f32
    %c = arith.cmpf ugt, %s, %zero : f32
    %m = arith.select %c, %s, %zero : f32
    linalg.yield %m : f32
  } -> tensor<4x2xf32>
  %y = potq.quantize %r : tensor<4x2xf32> -> tensor<4x2x!y>
  return %y : tensor<4x2x!y>
}

// -----

!x = !potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 2.5e-01>
!w = !potq.q<#potq.pot<bits = 4>, f32, axis = 1, scales = [5.0e-01, 1.25e-01]>
!y = !potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>

#id = affine_map<(d0, d1) -> (d0, d1)>

// aten.add style `x + 1.0 * b` with the bias broadcast to the full shape
// as a constant, a scalar offset 0.5 (levels 4 and 16 more), and the
// mirrored select `0 < x ? 0 : x`, which is min(x, 0): clamp_max = 0.
// CHECK-LABEL: func.func @alpha_broadcast_offset_min
// CHECK: %[[B:.*]] = arith.constant dense<[12, 6]> : tensor<2xi32>
// CHECK: potq.matmul %arg0, %arg1 bias %[[B]] {clamp_max = 0 : i64}
// CHECK-NOT: linalg
func.func @alpha_broadcast_offset_min(%x: tensor<4x3x!x>, %w: tensor<3x2x!w>) -> tensor<4x2x!y> {
  %xd = potq.dequantize %x : tensor<4x3x!x> -> tensor<4x3xf32>
  %wd = potq.dequantize %w : tensor<3x2x!w> -> tensor<3x2xf32>
  %zero = arith.constant 0.0 : f32
  %one = arith.constant 1.0 : f32
  %half = arith.constant 0.5 : f32
  %e = tensor.empty() : tensor<4x2xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<4x2xf32>) -> tensor<4x2xf32>
  %mm = linalg.matmul ins(%xd, %wd : tensor<4x3xf32>, tensor<3x2xf32>) outs(%init : tensor<4x2xf32>) -> tensor<4x2xf32>
  %bias = arith.constant dense<[[1.0, -0.3], [1.0, -0.3], [1.0, -0.3], [1.0, -0.3]]> : tensor<4x2xf32>
  %r = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]} ins(%mm, %bias : tensor<4x2xf32>, tensor<4x2xf32>) outs(%e : tensor<4x2xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %scaled = arith.mulf %one, %b : f32
    %s = arith.addf %a, %scaled : f32
    %t = arith.addf %s, %half : f32
    %c = arith.cmpf olt, %zero, %t : f32
    %m = arith.select %c, %zero, %t : f32
    linalg.yield %m : f32
  } -> tensor<4x2xf32>
  %y = potq.quantize %r : tensor<4x2xf32> -> tensor<4x2x!y>
  return %y : tensor<4x2x!y>
}

// -----

!x = !potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>
!w = !potq.q<#potq.apot<bits = 4>, f32, scale = 5.0e-01>
!y = !potq.q<#potq.uniform<bits = 8>, f32, scale = 5.0e-01, zero_point = -10>

#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>

// ReLU6 against splat tensor operands (linalg.max/linalg.min generalised),
// and "same" padding written as tensor.pad with 0.0: padding [1, 1, 1, 1].
// CHECK-LABEL: func.func @relu6_splats_padding
// CHECK: %[[Y:.*]] = potq.conv_2d_nhwc_hwcf %arg0, %arg1 {clamp_max = 2 : i64, clamp_min = -10 : i64, dilations = array<i64: 1, 1>, padding = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>}
// CHECK-NOT: linalg
// CHECK-NOT: tensor.pad
// CHECK: return %[[Y]]
func.func @relu6_splats_padding(%x: tensor<1x4x4x2x!x>, %w: tensor<3x3x2x4x!w>) -> tensor<1x4x4x4x!y> {
  %xd = potq.dequantize %x : tensor<1x4x4x2x!x> -> tensor<1x4x4x2xf32>
  %wd = potq.dequantize %w : tensor<3x3x2x4x!w> -> tensor<3x3x2x4xf32>
  %zero = arith.constant 0.0 : f32
  %padded = tensor.pad %xd low[0, 1, 1, 0] high[0, 1, 1, 0] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %zero : f32
  } : tensor<1x4x4x2xf32> to tensor<1x6x6x2xf32>
  %e = tensor.empty() : tensor<1x4x4x4xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  %conv = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%padded, %wd : tensor<1x6x6x2xf32>, tensor<3x3x2x4xf32>) outs(%init : tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  %zeros = arith.constant dense<0.0> : tensor<1x4x4x4xf32>
  %sixes = arith.constant dense<6.0> : tensor<1x4x4x4xf32>
  %lo = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%conv, %zeros : tensor<1x4x4x4xf32>, tensor<1x4x4x4xf32>) outs(%e : tensor<1x4x4x4xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %m = arith.maximumf %a, %b : f32
    linalg.yield %m : f32
  } -> tensor<1x4x4x4xf32>
  %hi = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%sixes, %lo : tensor<1x4x4x4xf32>, tensor<1x4x4x4xf32>) outs(%e : tensor<1x4x4x4xf32>) {
  ^bb0(%b: f32, %a: f32, %o: f32):
    %m = arith.minimumf %b, %a : f32
    linalg.yield %m : f32
  } -> tensor<1x4x4x4xf32>
  %y = potq.quantize %hi : tensor<1x4x4x4xf32> -> tensor<1x4x4x4x!y>
  return %y : tensor<1x4x4x4x!y>
}

// -----

!x = !potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 2.0e-02>
!w = !potq.q<#potq.pot<bits = 4>, f32, scale = 2.5e-01>
!y = !potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 4.0e-02>

#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#ch = affine_map<(d0, d1, d2, d3) -> (d1)>

// A residual block in one generic: relu(skip + (bias + conv)), NCHW.
// CHECK-LABEL: func.func @residual_one_generic
// CHECK: potq.conv_2d_nchw_fchw %arg0, %arg1 bias %{{.*}} residual(%arg0 : {{.*}}) {clamp_min = 0 : i64
// CHECK-NOT: linalg
func.func @residual_one_generic(%x: tensor<1x4x3x3x!x>, %w: tensor<4x4x1x1x!w>) -> tensor<1x4x3x3x!y> {
  %xd = potq.dequantize %x : tensor<1x4x3x3x!x> -> tensor<1x4x3x3xf32>
  %wd = potq.dequantize %w : tensor<4x4x1x1x!w> -> tensor<4x4x1x1xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x4x3x3xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x4x3x3xf32>) -> tensor<1x4x3x3xf32>
  %conv = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%xd, %wd : tensor<1x4x3x3xf32>, tensor<4x4x1x1xf32>) outs(%init : tensor<1x4x3x3xf32>) -> tensor<1x4x3x3xf32>
  %bias = arith.constant dense<[0.01, -0.02, 0.03, 0.0]> : tensor<4xf32>
  %r = linalg.generic {indexing_maps = [#id, #ch, #id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%xd, %bias, %conv : tensor<1x4x3x3xf32>, tensor<4xf32>, tensor<1x4x3x3xf32>) outs(%e : tensor<1x4x3x3xf32>) {
  ^bb0(%skip: f32, %b: f32, %a: f32, %o: f32):
    %s = arith.addf %b, %a : f32
    %t = arith.addf %skip, %s : f32
    %m = arith.maxnumf %t, %zero : f32
    linalg.yield %m : f32
  } -> tensor<1x4x3x3xf32>
  %y = potq.quantize %r : tensor<1x4x3x3xf32> -> tensor<1x4x3x3x!y>
  return %y : tensor<1x4x3x3x!y>
}

// -----

!a = !potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 2.0e-02>
!b = !potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 4.0e-02>

// relu(a + b) in one generic is potq.add.
// CHECK-LABEL: func.func @add_relu_one_generic
// CHECK: %[[Y:.*]] = potq.add %arg0, %arg1 {clamp_min = 0 : i64}
// CHECK-NOT: linalg
// CHECK: return %[[Y]]
func.func @add_relu_one_generic(%a: tensor<8x!a>, %b: tensor<8x!b>) -> tensor<8x!b> {
  %ad = potq.dequantize %a : tensor<8x!a> -> tensor<8xf32>
  %bd = potq.dequantize %b : tensor<8x!b> -> tensor<8xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<8xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%ad, %bd : tensor<8xf32>, tensor<8xf32>) outs(%e : tensor<8xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %s = arith.addf %x, %y : f32
    %m = arith.maximumf %s, %zero : f32
    linalg.yield %m : f32
  } -> tensor<8xf32>
  %y = potq.quantize %r : tensor<8xf32> -> tensor<8x!b>
  return %y : tensor<8x!b>
}

// -----

!x = !potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 2.5e-01>
!w = !potq.q<#potq.pot<bits = 4>, f32, axis = 1, scales = [5.0e-01, 1.25e-01]>

#id = affine_map<(d0, d1) -> (d0, d1)>
#ch = affine_map<(d0, d1) -> (d1)>

// Float logits: no quantize after the layer. The matmul accumulates in
// integers and is rescaled by sx * sw[c] = [0.125, 0.03125]; the float bias
// stays as written. No diagnostic: a float output is asked for.
// CHECK-LABEL: func.func @float_logits
// CHECK-DAG: %[[S:.*]] = arith.constant dense<[1.250000e-01, 3.125000e-02]> : tensor<2xf32>
// CHECK-DAG: %[[ACC:.*]] = potq.matmul %arg0, %arg1 : {{.*}} -> tensor<4x2xi32>
// CHECK: %[[F:.*]] = linalg.generic {{.*}} ins(%[[ACC]], %[[S]] : tensor<4x2xi32>, tensor<2xf32>)
// CHECK: linalg.generic {{.*}} ins(%[[F]], %{{.*}} : tensor<4x2xf32>, tensor<2xf32>)
// CHECK-NOT: linalg.matmul
func.func @float_logits(%x: tensor<4x3x!x>, %w: tensor<3x2x!w>) -> tensor<4x2xf32> {
  %xd = potq.dequantize %x : tensor<4x3x!x> -> tensor<4x3xf32>
  %wd = potq.dequantize %w : tensor<3x2x!w> -> tensor<3x2xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x2xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<4x2xf32>) -> tensor<4x2xf32>
  %mm = linalg.matmul ins(%xd, %wd : tensor<4x3xf32>, tensor<3x2xf32>) outs(%init : tensor<4x2xf32>) -> tensor<4x2xf32>
  %bias = arith.constant dense<[1.0, -0.3]> : tensor<2xf32>
  %r = linalg.generic {indexing_maps = [#id, #ch, #id], iterator_types = ["parallel", "parallel"]} ins(%mm, %bias : tensor<4x2xf32>, tensor<2xf32>) outs(%e : tensor<4x2xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.addf %a, %b : f32
    linalg.yield %s : f32
  } -> tensor<4x2xf32>
  return %r : tensor<4x2xf32>
}

// -----

!x = !potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 2.5e-01>
!w = !potq.q<#potq.pot<bits = 4>, f32, scale = 5.0e-01>
!y = !potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 1.0e+00>

#id = affine_map<(d0, d1) -> (d0, d1)>

// An epilogue that is not a clamp of a sum (x * 2): the matmul still
// accumulates in integers; its requantization stays in float, with a remark.
// CHECK-LABEL: func.func @unknown_epilogue
// CHECK: potq.matmul {{.*}} -> tensor<4x2xi32>
// CHECK: arith.mulf
// CHECK: potq.quantize
func.func @unknown_epilogue(%x: tensor<4x3x!x>, %w: tensor<3x2x!w>) -> tensor<4x2x!y> {
  %xd = potq.dequantize %x : tensor<4x3x!x> -> tensor<4x3xf32>
  %wd = potq.dequantize %w : tensor<3x2x!w> -> tensor<3x2xf32>
  %zero = arith.constant 0.0 : f32
  %two = arith.constant 2.0 : f32
  %e = tensor.empty() : tensor<4x2xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<4x2xf32>) -> tensor<4x2xf32>
  // expected-remark @below {{accumulates in integers, but its epilogue stays in float: 'arith.mulf' scales the layer by a value other than 1}}
  %mm = linalg.matmul ins(%xd, %wd : tensor<4x3xf32>, tensor<3x2xf32>) outs(%init : tensor<4x2xf32>) -> tensor<4x2xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%mm : tensor<4x2xf32>) outs(%e : tensor<4x2xf32>) {
  ^bb0(%a: f32, %o: f32):
    %s = arith.mulf %a, %two : f32
    linalg.yield %s : f32
  } -> tensor<4x2xf32>
  %y = potq.quantize %r : tensor<4x2xf32> -> tensor<4x2x!y>
  return %y : tensor<4x2x!y>
}

// -----

!x = !potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 2.5e-01>
!w = !potq.q<#potq.pot<bits = 4>, f32, scale = 5.0e-01>
!y = !potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 1.0e+00>

#id = affine_map<(d0, d1) -> (d0, d1)>
#ch = affine_map<(d0, d1) -> (d1)>

// A bias added after the ReLU is not a clamp of a sum.
// CHECK-LABEL: func.func @add_after_clamp
// CHECK: potq.matmul {{.*}} -> tensor<4x2xi32>
func.func @add_after_clamp(%x: tensor<4x3x!x>, %w: tensor<3x2x!w>) -> tensor<4x2x!y> {
  %xd = potq.dequantize %x : tensor<4x3x!x> -> tensor<4x3xf32>
  %wd = potq.dequantize %w : tensor<3x2x!w> -> tensor<3x2xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x2xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<4x2xf32>) -> tensor<4x2xf32>
  // expected-remark @below {{accumulates in integers, but its epilogue stays in float: 'arith.addf' adds after the activation (clamp)}}
  %mm = linalg.matmul ins(%xd, %wd : tensor<4x3xf32>, tensor<3x2xf32>) outs(%init : tensor<4x2xf32>) -> tensor<4x2xf32>
  %bias = arith.constant dense<[1.0, -0.3]> : tensor<2xf32>
  %r = linalg.generic {indexing_maps = [#id, #ch, #id], iterator_types = ["parallel", "parallel"]} ins(%mm, %bias : tensor<4x2xf32>, tensor<2xf32>) outs(%e : tensor<4x2xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %m = arith.maximumf %a, %zero : f32
    %s = arith.addf %m, %b : f32
    linalg.yield %s : f32
  } -> tensor<4x2xf32>
  %y = potq.quantize %r : tensor<4x2xf32> -> tensor<4x2x!y>
  return %y : tensor<4x2x!y>
}

// -----

!w = !potq.q<#potq.pot<bits = 4>, f32, scale = 5.0e-01>
!y = !potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 1.0e+00>

// The input is not quantized: the contraction stays in float, with a remark.
// CHECK-LABEL: func.func @float_input
// CHECK: linalg.matmul
func.func @float_input(%x: tensor<4x3xf32>, %w: tensor<3x2x!w>) -> tensor<4x2x!y> {
  %wd = potq.dequantize %w : tensor<3x2x!w> -> tensor<3x2xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x2xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<4x2xf32>) -> tensor<4x2xf32>
  // expected-remark @below {{stays in float: its input is not quantized (it comes from a block argument, not from a qat.fake_quant)}}
  %mm = linalg.matmul ins(%x, %wd : tensor<4x3xf32>, tensor<3x2xf32>) outs(%init : tensor<4x2xf32>) -> tensor<4x2xf32>
  %y = potq.quantize %mm : tensor<4x2xf32> -> tensor<4x2x!y>
  return %y : tensor<4x2x!y>
}

// -----

!x = !potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>
!w = !potq.q<#potq.pot<bits = 4>, f32, scale = 5.0e-01>
!y = !potq.q<#potq.uniform<bits = 8>, f32, scale = 5.0e-01>

// Padding with a value other than the zero point's 0.0 stays in float.
// CHECK-LABEL: func.func @pad_not_zero
// CHECK: tensor.pad
// CHECK: linalg.conv_2d_nhwc_hwcf
func.func @pad_not_zero(%x: tensor<1x4x4x2x!x>, %w: tensor<3x3x2x4x!w>) -> tensor<1x4x4x4x!y> {
  %xd = potq.dequantize %x : tensor<1x4x4x2x!x> -> tensor<1x4x4x2xf32>
  %wd = potq.dequantize %w : tensor<3x3x2x4x!w> -> tensor<3x3x2x4xf32>
  %zero = arith.constant 0.0 : f32
  %one = arith.constant 1.0 : f32
  %padded = tensor.pad %xd low[0, 1, 1, 0] high[0, 1, 1, 0] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %one : f32
  } : tensor<1x4x4x2xf32> to tensor<1x6x6x2xf32>
  %e = tensor.empty() : tensor<1x4x4x4xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  // expected-remark @below {{stays in float: its input is padded with a value other than 0.0 (the zero point)}}
  %conv = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%padded, %wd : tensor<1x6x6x2xf32>, tensor<3x3x2x4xf32>) outs(%init : tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  %y = potq.quantize %conv : tensor<1x4x4x4xf32> -> tensor<1x4x4x4x!y>
  return %y : tensor<1x4x4x4x!y>
}

// -----

!x = !potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>
!w = !potq.q<#potq.pot<bits = 4>, f32, axis = 0, scales = [5.0e-01, 2.5e-01]>
!y = !potq.q<#potq.uniform<bits = 8>, f32, scale = 5.0e-01>

// Per-channel weight scales along the reduction axis.
// CHECK-LABEL: func.func @wrong_axis
// CHECK: linalg.matmul
func.func @wrong_axis(%x: tensor<4x2x!x>, %w: tensor<2x3x!w>) -> tensor<4x3x!y> {
  %xd = potq.dequantize %x : tensor<4x2x!x> -> tensor<4x2xf32>
  %wd = potq.dequantize %w : tensor<2x3x!w> -> tensor<2x3xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x3xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<4x3xf32>) -> tensor<4x3xf32>
  // expected-remark @below {{stays in float: its weight is quantized per channel along axis 0, but its output channels are along axis 1}}
  %mm = linalg.matmul ins(%xd, %wd : tensor<4x2xf32>, tensor<2x3xf32>) outs(%init : tensor<4x3xf32>) -> tensor<4x3xf32>
  %y = potq.quantize %mm : tensor<4x3xf32> -> tensor<4x3x!y>
  return %y : tensor<4x3x!y>
}

// -----

!x = !potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>
!y = !potq.q<#potq.uniform<bits = 8>, f32, scale = 5.0e-01>

// Both operands quantized at run time (an attention product): the lowering
// needs a constant weight, so the product stays in float.
// CHECK-LABEL: func.func @runtime_weight
// CHECK: linalg.batch_matmul
func.func @runtime_weight(%q: tensor<2x4x3xf32>, %k: tensor<2x3x4xf32>) -> tensor<2x4x4x!y> {
  %ql = potq.quantize %q : tensor<2x4x3xf32> -> tensor<2x4x3x!x>
  %kl = potq.quantize %k : tensor<2x3x4xf32> -> tensor<2x3x4x!x>
  %qd = potq.dequantize %ql : tensor<2x4x3x!x> -> tensor<2x4x3xf32>
  %kd = potq.dequantize %kl : tensor<2x3x4x!x> -> tensor<2x3x4xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x4x4xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<2x4x4xf32>) -> tensor<2x4x4xf32>
  // expected-remark @below {{stays in float: its weight is quantized at run time (a fake_quant of a block argument); potq compiles contractions with constant weights only}}
  %mm = linalg.batch_matmul ins(%qd, %kd : tensor<2x4x3xf32>, tensor<2x3x4xf32>) outs(%init : tensor<2x4x4xf32>) -> tensor<2x4x4xf32>
  %y = potq.quantize %mm : tensor<2x4x4xf32> -> tensor<2x4x4x!y>
  return %y : tensor<2x4x4x!y>
}

// -----

!x = !potq.q<#potq.uniform<bits = 8, unsigned>, f16, scale = 1.000000e-02>
!w = !potq.q<#potq.pot<bits = 4>, f16, scale = 1.000000e-02>

// An f16 float output rescales in f32 (an f16 accumulator would overflow at
// 65504) and rounds once to f16.
// CHECK-LABEL: func.func @f16_logits
// CHECK: potq.matmul {{.*}} -> tensor<1x1xi32>
// CHECK: arith.sitofp %{{.*}} : i32 to f32
// CHECK: arith.mulf %{{.*}}, %{{.*}} : f32
// CHECK: arith.truncf %{{.*}} : f32 to f16
func.func @f16_logits(%x: tensor<1x512x!x>, %w: tensor<512x1x!w>) -> tensor<1x1xf16> {
  %xd = potq.dequantize %x : tensor<1x512x!x> -> tensor<1x512xf16>
  %wd = potq.dequantize %w : tensor<512x1x!w> -> tensor<512x1xf16>
  %zero = arith.constant 0.0 : f16
  %e = tensor.empty() : tensor<1x1xf16>
  %init = linalg.fill ins(%zero : f16) outs(%e : tensor<1x1xf16>) -> tensor<1x1xf16>
  %mm = linalg.matmul ins(%xd, %wd : tensor<1x512xf16>, tensor<512x1xf16>) outs(%init : tensor<1x1xf16>) -> tensor<1x1xf16>
  return %mm : tensor<1x1xf16>
}

// -----

!x = !potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 2.5e-01>
!w = !potq.q<#potq.pot<bits = 4>, f32, scale = 5.0e-01>
!y = !potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>

#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (0, d1)>

// max(x, +inf) is +inf everywhere: the lower bound is kept (the largest
// level), not dropped. The bias is a [1, C] constant read by a
// (0, d1) map (a `view(1, C)` broadcast).
// CHECK-LABEL: func.func @infinite_bound_row_bias
// CHECK: %[[B:.*]] = arith.constant dense<[8, -2]> : tensor<2xi32>
// CHECK: potq.matmul %arg0, %arg1 bias %[[B]] {clamp_min = 127 : i64}
func.func @infinite_bound_row_bias(%x: tensor<4x3x!x>, %w: tensor<3x2x!w>) -> tensor<4x2x!y> {
  %xd = potq.dequantize %x : tensor<4x3x!x> -> tensor<4x3xf32>
  %wd = potq.dequantize %w : tensor<3x2x!w> -> tensor<3x2xf32>
  %zero = arith.constant 0.0 : f32
  %inf = arith.constant 0x7F800000 : f32
  %e = tensor.empty() : tensor<4x2xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<4x2xf32>) -> tensor<4x2xf32>
  %mm = linalg.matmul ins(%xd, %wd : tensor<4x3xf32>, tensor<3x2xf32>) outs(%init : tensor<4x2xf32>) -> tensor<4x2xf32>
  %bias = arith.constant dense<[[1.0, -0.25]]> : tensor<1x2xf32>
  %r = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]} ins(%mm, %bias : tensor<4x2xf32>, tensor<1x2xf32>) outs(%e : tensor<4x2xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.addf %a, %b : f32
    %m = arith.maximumf %s, %inf : f32
    linalg.yield %m : f32
  } -> tensor<4x2xf32>
  %y = potq.quantize %r : tensor<4x2xf32> -> tensor<4x2x!y>
  return %y : tensor<4x2x!y>
}

// -----

!x = !potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 2.5e-01>
!w = !potq.q<#potq.pot<bits = 4>, f32, scale = 5.0e-01>
!y = !potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 1.0e+00>

#id = affine_map<(d0, d1) -> (d0, d1)>
#ch = affine_map<(d0, d1) -> (d1)>

// A bias computed at run time, read before the contraction's operand: the
// failure is still reported at the contraction.
// CHECK-LABEL: func.func @runtime_bias_first
// CHECK: potq.matmul {{.*}} -> tensor<4x2xi32>
func.func @runtime_bias_first(%x: tensor<4x3x!x>, %w: tensor<3x2x!w>, %b: tensor<2xf32>) -> tensor<4x2x!y> {
  %xd = potq.dequantize %x : tensor<4x3x!x> -> tensor<4x3xf32>
  %wd = potq.dequantize %w : tensor<3x2x!w> -> tensor<3x2xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x2xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<4x2xf32>) -> tensor<4x2xf32>
  // expected-remark @below {{accumulates in integers, but its epilogue stays in float: operand #0 of 'linalg.generic' is broadcast or transposed and not a constant}}
  %mm = linalg.matmul ins(%xd, %wd : tensor<4x3xf32>, tensor<3x2xf32>) outs(%init : tensor<4x2xf32>) -> tensor<4x2xf32>
  %r = linalg.generic {indexing_maps = [#ch, #id, #id], iterator_types = ["parallel", "parallel"]} ins(%b, %mm : tensor<2xf32>, tensor<4x2xf32>) outs(%e : tensor<4x2xf32>) {
  ^bb0(%bb: f32, %a: f32, %o: f32):
    %s = arith.addf %bb, %a : f32
    linalg.yield %s : f32
  } -> tensor<4x2xf32>
  %y = potq.quantize %r : tensor<4x2xf32> -> tensor<4x2x!y>
  return %y : tensor<4x2x!y>
}

// -----

!x = !potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 2.5e-01>
!w = !potq.q<#potq.pot<bits = 4>, f32, scale = 5.0e-01>

// A dynamic number of output channels: stays in float, with that reason.
// CHECK-LABEL: func.func @dynamic_channels
// CHECK: linalg.matmul
func.func @dynamic_channels(%x: tensor<4x3x!x>, %w: tensor<3x?x!w>, %init: tensor<4x?xf32>) -> tensor<4x?xf32> {
  %xd = potq.dequantize %x : tensor<4x3x!x> -> tensor<4x3xf32>
  %wd = potq.dequantize %w : tensor<3x?x!w> -> tensor<3x?xf32>
  %zero = arith.constant 0.0 : f32
  %z = linalg.fill ins(%zero : f32) outs(%init : tensor<4x?xf32>) -> tensor<4x?xf32>
  // expected-remark @below {{stays in float: its number of output channels is dynamic}}
  %mm = linalg.matmul ins(%xd, %wd : tensor<4x3xf32>, tensor<3x?xf32>) outs(%z : tensor<4x?xf32>) -> tensor<4x?xf32>
  return %mm : tensor<4x?xf32>
}

// -----

// One case per remaining reason a contraction or its epilogue stays float.

!x = !potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 2.5e-01>
!w = !potq.q<#potq.pot<bits = 4>, f32, scale = 5.0e-01>
!y = !potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 1.0e+00>
!yc = !potq.q<#potq.uniform<bits = 8, unsigned>, f32, axis = 1, scales = [1.0, 2.0]>

#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0)>

// CHECK-LABEL: func.func @transposed_maps
func.func @transposed_maps(%x: tensor<4x3x!x>, %w: tensor<2x3x!w>) -> tensor<4x2x!y> {
  %xd = potq.dequantize %x : tensor<4x3x!x> -> tensor<4x3xf32>
  %wd = potq.dequantize %w : tensor<2x3x!w> -> tensor<2x3xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x2xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<4x2xf32>) -> tensor<4x2xf32>
  // expected-remark @below {{stays in float: its operands are transposed by indexing maps (qat-normalize-graph makes them explicit)}}
  %mm = linalg.matmul indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>] ins(%xd, %wd : tensor<4x3xf32>, tensor<2x3xf32>) outs(%init : tensor<4x2xf32>) -> tensor<4x2xf32>
  %y = potq.quantize %mm : tensor<4x2xf32> -> tensor<4x2x!y>
  return %y : tensor<4x2x!y>
}

// CHECK-LABEL: func.func @nonzero_init
func.func @nonzero_init(%x: tensor<4x3x!x>, %w: tensor<3x2x!w>, %init: tensor<4x2xf32>) -> tensor<4x2x!y> {
  %xd = potq.dequantize %x : tensor<4x3x!x> -> tensor<4x3xf32>
  %wd = potq.dequantize %w : tensor<3x2x!w> -> tensor<3x2xf32>
  // expected-remark @below {{stays in float: its init tensor is not zero, e.g. a bias broadcast into it (qat-normalize-graph moves it into an addition)}}
  %mm = linalg.matmul ins(%xd, %wd : tensor<4x3xf32>, tensor<3x2xf32>) outs(%init : tensor<4x2xf32>) -> tensor<4x2xf32>
  %y = potq.quantize %mm : tensor<4x2xf32> -> tensor<4x2x!y>
  return %y : tensor<4x2x!y>
}

// CHECK-LABEL: func.func @generic_contraction
func.func @generic_contraction(%x: tensor<4x3x!x>, %w: tensor<3x2x!w>) -> tensor<4x2x!y> {
  %xd = potq.dequantize %x : tensor<4x3x!x> -> tensor<4x3xf32>
  %wd = potq.dequantize %w : tensor<3x2x!w> -> tensor<3x2xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x2xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<4x2xf32>) -> tensor<4x2xf32>
  // expected-remark @below {{stays in float: 'linalg.generic' has no integer form in potq}}
  %mm = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d2, d1)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]} ins(%xd, %wd : tensor<4x3xf32>, tensor<3x2xf32>) outs(%init : tensor<4x2xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %p = arith.mulf %a, %b : f32
    %s = arith.addf %o, %p : f32
    linalg.yield %s : f32
  } -> tensor<4x2xf32>
  %y = potq.quantize %mm : tensor<4x2xf32> -> tensor<4x2x!y>
  return %y : tensor<4x2x!y>
}

// CHECK-LABEL: func.func @bias_along_rows
func.func @bias_along_rows(%x: tensor<4x3x!x>, %w: tensor<3x2x!w>) -> tensor<4x2x!y> {
  %xd = potq.dequantize %x : tensor<4x3x!x> -> tensor<4x3xf32>
  %wd = potq.dequantize %w : tensor<3x2x!w> -> tensor<3x2xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x2xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<4x2xf32>) -> tensor<4x2xf32>
  // expected-remark @below {{accumulates in integers, but its epilogue stays in float: the bias is not indexed by the output channel}}
  %mm = linalg.matmul ins(%xd, %wd : tensor<4x3xf32>, tensor<3x2xf32>) outs(%init : tensor<4x2xf32>) -> tensor<4x2xf32>
  %bias = arith.constant dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32>
  %r = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]} ins(%mm, %bias : tensor<4x2xf32>, tensor<4xf32>) outs(%e : tensor<4x2xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.addf %a, %b : f32
    linalg.yield %s : f32
  } -> tensor<4x2xf32>
  %y = potq.quantize %r : tensor<4x2xf32> -> tensor<4x2x!y>
  return %y : tensor<4x2x!y>
}

// CHECK-LABEL: func.func @two_skips
func.func @two_skips(%x: tensor<4x3x!x>, %w: tensor<3x2x!w>, %a: tensor<4x2x!y>, %b: tensor<4x2x!y>) -> tensor<4x2x!y> {
  %xd = potq.dequantize %x : tensor<4x3x!x> -> tensor<4x3xf32>
  %wd = potq.dequantize %w : tensor<3x2x!w> -> tensor<3x2xf32>
  %ad = potq.dequantize %a : tensor<4x2x!y> -> tensor<4x2xf32>
  %bd = potq.dequantize %b : tensor<4x2x!y> -> tensor<4x2xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x2xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<4x2xf32>) -> tensor<4x2xf32>
  // expected-remark @below {{accumulates in integers, but its epilogue stays in float: the epilogue adds two quantized tensors}}
  %mm = linalg.matmul ins(%xd, %wd : tensor<4x3xf32>, tensor<3x2xf32>) outs(%init : tensor<4x2xf32>) -> tensor<4x2xf32>
  %r = linalg.generic {indexing_maps = [#id, #id, #id, #id], iterator_types = ["parallel", "parallel"]} ins(%mm, %ad, %bd : tensor<4x2xf32>, tensor<4x2xf32>, tensor<4x2xf32>) outs(%e : tensor<4x2xf32>) {
  ^bb0(%m: f32, %p: f32, %q: f32, %o: f32):
    %s = arith.addf %m, %p : f32
    %t = arith.addf %s, %q : f32
    linalg.yield %t : f32
  } -> tensor<4x2xf32>
  %y = potq.quantize %r : tensor<4x2xf32> -> tensor<4x2x!y>
  return %y : tensor<4x2x!y>
}

// CHECK-LABEL: func.func @per_channel_result
func.func @per_channel_result(%x: tensor<4x3x!x>, %w: tensor<3x2x!w>) -> tensor<4x2x!yc> {
  %xd = potq.dequantize %x : tensor<4x3x!x> -> tensor<4x3xf32>
  %wd = potq.dequantize %w : tensor<3x2x!w> -> tensor<3x2xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x2xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<4x2xf32>) -> tensor<4x2xf32>
  // expected-remark @below {{accumulates in integers, but its epilogue stays in float: its result is not quantized per tensor and uniform}}
  %mm = linalg.matmul ins(%xd, %wd : tensor<4x3xf32>, tensor<3x2xf32>) outs(%init : tensor<4x2xf32>) -> tensor<4x2xf32>
  %y = potq.quantize %mm : tensor<4x2xf32> -> tensor<4x2x!yc>
  return %y : tensor<4x2x!yc>
}

// -----

!x = !potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>
!w = !potq.q<#potq.pot<bits = 4>, f32, scale = 5.0e-01>
!y = !potq.q<#potq.uniform<bits = 8>, f32, scale = 5.0e-01>

// Padding the channel dimension cannot be a conv's padding.
// CHECK-LABEL: func.func @pad_channels
func.func @pad_channels(%x: tensor<1x4x4x2x!x>, %w: tensor<1x1x4x4x!w>) -> tensor<1x4x4x4x!y> {
  %xd = potq.dequantize %x : tensor<1x4x4x2x!x> -> tensor<1x4x4x2xf32>
  %wd = potq.dequantize %w : tensor<1x1x4x4x!w> -> tensor<1x1x4x4xf32>
  %zero = arith.constant 0.0 : f32
  %padded = tensor.pad %xd low[0, 0, 0, 1] high[0, 0, 0, 1] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %zero : f32
  } : tensor<1x4x4x2xf32> to tensor<1x4x4x4xf32>
  %e = tensor.empty() : tensor<1x4x4x4xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  // expected-remark @below {{stays in float: its input padding is dynamic or pads a non-window dimension}}
  %conv = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%padded, %wd : tensor<1x4x4x4xf32>, tensor<1x1x4x4xf32>) outs(%init : tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  %y = potq.quantize %conv : tensor<1x4x4x4xf32> -> tensor<1x4x4x4x!y>
  return %y : tensor<1x4x4x4x!y>
}
