// RUN: potq-opt %s -split-input-file --convert-potq-to-linalg -verify-diagnostics

func.func @weight_not_constant(%x: tensor<1x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>, %w: tensor<2x2x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e+00>>) -> tensor<1x2xi32> {
  // expected-error@+1 {{'potq.matmul' op shift-add lowering needs a constant weight (potq.constant), but the weight operand is a block argument; only constant weights are lowered}}
  %y = potq.matmul %x, %w : tensor<1x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>, tensor<2x2x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e+00>> -> tensor<1x2xi32>
  return %y : tensor<1x2xi32>
}

// -----

// A transposed weight is not a constant: the error names its producer and
// does not suggest canonicalize.
func.func @weight_transposed(%x: tensor<1x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>) -> tensor<1x2xi32> {
  %c = potq.constant dense<[[1, 2], [4, 8]]> : tensor<2x2xi8> -> tensor<2x2x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e+00>>
  %e = tensor.empty() : tensor<2x2x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e+00>>
  %w = linalg.transpose ins(%c : tensor<2x2x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e+00>>) outs(%e : tensor<2x2x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e+00>>) permutation = [1, 0]
  // expected-error-re@+1 {{'potq.matmul' op shift-add lowering needs a constant weight (potq.constant), but the weight operand is produced by 'linalg.transpose'; only constant weights are lowered{{$}}}}
  %y = potq.matmul %x, %w : tensor<1x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>, tensor<2x2x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e+00>> -> tensor<1x2xi32>
  return %y : tensor<1x2xi32>
}

// -----

// A quantize of a float constant folds: the error suggests canonicalize.
func.func @weight_quantize_constant(%x: tensor<1x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>) -> tensor<1x2xi32> {
  %c = arith.constant dense<[[1.0, 2.0], [4.0, -8.0]]> : tensor<2x2xf32>
  %w = potq.quantize %c : tensor<2x2xf32> -> tensor<2x2x!potq.q<#potq.uniform<bits = 4>, f32, scale = 1.0e+00>>
  // expected-error@+1 {{'potq.matmul' op shift-add lowering needs a constant weight (potq.constant), but the weight operand is produced by 'potq.quantize'; only constant weights are lowered (run --canonicalize first to fold the potq.quantize of a constant into a potq.constant)}}
  %y = potq.matmul %x, %w : tensor<1x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>, tensor<2x2x!potq.q<#potq.uniform<bits = 4>, f32, scale = 1.0e+00>> -> tensor<1x2xi32>
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
