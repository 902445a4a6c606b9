// A float graph whose bufferization copies between non-contiguous memrefs:
// tensor.pad ("same" padding before a convolution, as exporters write it)
// copies the input into a subview of the padded buffer, and a returned
// tensor.extract_slice is copied out of a strided window.
func.func @main(%x: tensor<1x4x4x2xf32>) -> (tensor<1x4x4x3xf32>, tensor<1x2x2x2xf32>) {
  %zero = arith.constant 0.0 : f32
  %padded = tensor.pad %x low[0, 1, 1, 0] high[0, 1, 1, 0] {
  ^bb0(%n: index, %h: index, %w: index, %c: index):
    tensor.yield %zero : f32
  } : tensor<1x4x4x2xf32> to tensor<1x6x6x2xf32>
  %filter = arith.constant dense<[[[[1.0, -2.0, 0.5], [0.0, 1.0, 3.0]], [[2.0, 0.0, -1.0], [1.0, 1.0, 1.0]], [[-1.0, 4.0, 0.0], [0.5, -0.5, 2.0]]],
                                  [[[0.0, 1.0, 1.0], [2.0, -1.0, 0.0]], [[1.0, 1.0, 1.0], [-3.0, 0.0, 1.0]], [[0.0, 0.0, 2.0], [1.0, 2.0, -2.0]]],
                                  [[[1.0, 0.0, -1.0], [0.0, 0.0, 1.0]], [[0.5, 2.0, 0.0], [1.0, -1.0, 1.0]], [[2.0, 1.0, 0.0], [0.0, 1.0, 0.25]]]]> : tensor<3x3x2x3xf32>
  %empty = tensor.empty() : tensor<1x4x4x3xf32>
  %init = linalg.fill ins(%zero : f32) outs(%empty : tensor<1x4x4x3xf32>) -> tensor<1x4x4x3xf32>
  %y = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
         ins(%padded, %filter : tensor<1x6x6x2xf32>, tensor<3x3x2x3xf32>)
         outs(%init : tensor<1x4x4x3xf32>) -> tensor<1x4x4x3xf32>
  %window = tensor.extract_slice %x[0, 1, 1, 0] [1, 2, 2, 2] [1, 1, 1, 1] : tensor<1x4x4x2xf32> to tensor<1x2x2x2xf32>
  return %y, %window : tensor<1x4x4x3xf32>, tensor<1x2x2x2xf32>
}
