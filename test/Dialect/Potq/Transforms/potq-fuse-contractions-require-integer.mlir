// RUN: potq-opt %s -split-input-file -verify-diagnostics --potq-fuse-contractions=require-integer=true

// require-integer: a contraction left in float is an error, not a remark.

!w = !potq.q<#potq.pot<bits = 4>, f32, scale = 5.0e-01>
!y = !potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 1.0e+00>

func.func @float_input(%x: tensor<4x3xf32>, %w: tensor<3x2x!w>) -> tensor<4x2x!y> {
  %wd = potq.dequantize %w : tensor<3x2x!w> -> tensor<3x2xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x2xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<4x2xf32>) -> tensor<4x2xf32>
  // expected-error @below {{stays in float: its input is not quantized (it comes from a block argument, not from a qat.fake_quant)}}
  %mm = linalg.matmul ins(%x, %wd : tensor<4x3xf32>, tensor<3x2xf32>) outs(%init : tensor<4x2xf32>) -> tensor<4x2xf32>
  %y = potq.quantize %mm : tensor<4x2xf32> -> tensor<4x2x!y>
  return %y : tensor<4x2x!y>
}

// -----

// So is a requantization left in float before a quantize.

!x = !potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 2.5e-01>
!w = !potq.q<#potq.pot<bits = 4>, f32, scale = 5.0e-01>
!y = !potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 1.0e+00>

func.func @tanh_epilogue(%x: tensor<4x3x!x>, %w: tensor<3x2x!w>) -> tensor<4x2x!y> {
  %xd = potq.dequantize %x : tensor<4x3x!x> -> tensor<4x3xf32>
  %wd = potq.dequantize %w : tensor<3x2x!w> -> tensor<3x2xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x2xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<4x2xf32>) -> tensor<4x2xf32>
  // expected-error @below {{accumulates in integers, but its epilogue stays in float: 'math.tanh' in the epilogue is not understood}}
  %mm = linalg.matmul ins(%xd, %wd : tensor<4x3xf32>, tensor<3x2xf32>) outs(%init : tensor<4x2xf32>) -> tensor<4x2xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%mm : tensor<4x2xf32>) outs(%e : tensor<4x2xf32>) {
  ^bb0(%a: f32, %o: f32):
    %t = math.tanh %a : f32
    linalg.yield %t : f32
  } -> tensor<4x2xf32>
  %y = potq.quantize %r : tensor<4x2xf32> -> tensor<4x2x!y>
  return %y : tensor<4x2x!y>
}

// -----

// A float output (logits) is not an error: it accumulates in integers.

!x = !potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 2.5e-01>
!w = !potq.q<#potq.pot<bits = 4>, f32, scale = 5.0e-01>

func.func @float_logits(%x: tensor<4x3x!x>, %w: tensor<3x2x!w>) -> tensor<4x2xf32> {
  %xd = potq.dequantize %x : tensor<4x3x!x> -> tensor<4x3xf32>
  %wd = potq.dequantize %w : tensor<3x2x!w> -> tensor<3x2xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x2xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<4x2xf32>) -> tensor<4x2xf32>
  %mm = linalg.matmul ins(%xd, %wd : tensor<4x3xf32>, tensor<3x2xf32>) outs(%init : tensor<4x2xf32>) -> tensor<4x2xf32>
  return %mm : tensor<4x2xf32>
}
