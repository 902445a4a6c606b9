// RUN: potq-opt %s -split-input-file --convert-potq-to-linalg -verify-diagnostics

func.func @weight_not_constant(%x: tensor<1x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>, %w: tensor<2x2x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e+00>>) -> tensor<1x2xi32> {
  // expected-error@+1 {{shift-add lowering needs a constant weight (potq.constant)}}
  %y = potq.matmul %x, %w : tensor<1x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>, tensor<2x2x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e+00>> -> tensor<1x2xi32>
  return %y : tensor<1x2xi32>
}

// -----

func.func @quantize_non_uniform(%x: tensor<4xf32>) -> tensor<4x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e+00>> {
  // expected-error@+1 {{lowering of quantize to the non-uniform encoding #potq.pot<bits = 4> is supported on constants only}}
  %q = potq.quantize %x : tensor<4xf32> -> tensor<4x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e+00>>
  return %q : tensor<4x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e+00>>
}

// -----

func.func @dynamic_height(%x: tensor<1x?x4x1x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>) -> tensor<1x?x3x1xi32> {
  %w = potq.constant dense<1> : tensor<2x2x1x1xi8> -> tensor<2x2x1x1x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e+00>>
  // expected-error@+1 {{shift-add lowering supports dynamic sizes only in batch dimensions; result dimension 1 is dynamic}}
  %y = potq.conv_2d_nhwc_hwcf %x, %w : tensor<1x?x4x1x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>, tensor<2x2x1x1x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e+00>> -> tensor<1x?x3x1xi32>
  return %y : tensor<1x?x3x1xi32>
}

// -----

func.func @pool_dynamic_height(%x: tensor<1x?x4x1x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>) -> tensor<1x?x2x1x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>> {
  // expected-error@+1 {{lowering supports dynamic sizes only in the batch dimension; result dimension 1 is dynamic}}
  %y = potq.max_pool_2d_nhwc %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x?x4x1x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>> -> tensor<1x?x2x1x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>
  return %y : tensor<1x?x2x1x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>
}
