// A static zero-size tensor whose strides overflow int64.
func.func @huge(%x: tensor<0x1099511627776x1099511627776xf32>) -> tensor<0x1099511627776x1099511627776xf32> {
  return %x : tensor<0x1099511627776x1099511627776xf32>
}
