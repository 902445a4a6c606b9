func.func @fq(%x: tensor<4xf32>) -> tensor<4xf32> {
  %s = arith.constant dense<1.0e-01> : tensor<f32>
  %y = qat.fake_quant %x, %s {encoding = #potq.uniform<bits = 8>} : tensor<4xf32>, tensor<f32>
  return %y : tensor<4xf32>
}
