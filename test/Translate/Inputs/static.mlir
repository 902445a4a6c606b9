// Static-shape functions for potq-translate: potq ops (lowered by
// convert-potq-to-linalg first), a quantized result (its storage type in C)
// and a vectorizable elementwise loop.
func.func @quant(%x: tensor<64xf32>) -> (tensor<64x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e-01, zero_point = -5>>, tensor<64xf32>) {
  %q = potq.quantize %x : tensor<64xf32> -> tensor<64x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e-01, zero_point = -5>>
  %d = potq.dequantize %q : tensor<64x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e-01, zero_point = -5>> -> tensor<64xf32>
  return %q, %d : tensor<64x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e-01, zero_point = -5>>, tensor<64xf32>
}

func.func @add(%a: tensor<16x64xf32>, %b: tensor<16x64xf32>) -> tensor<16x64xf32> {
  %s = arith.addf %a, %b : tensor<16x64xf32>
  return %s : tensor<16x64xf32>
}

func.func private @helper(%a: tensor<4xf32>) -> tensor<4xf32> {
  return %a : tensor<4xf32>
}
