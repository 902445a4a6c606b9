// Several results of different element types and ranks: a new buffer, an
// argument returned as is, a constant and a rank-0 tensor. The generated
// entry point must copy each and free only what the compiled code malloc'd.
func.func @multi(%a: tensor<4x5xf32>, %b: tensor<3xi8>, %s: tensor<f32>)
    -> (tensor<4x5xf32>, tensor<3xi8>, tensor<2xi32>, tensor<5x4xf32>, tensor<f32>) {
  %sum = arith.addf %a, %a : tensor<4x5xf32>
  %c = arith.constant dense<[7, -9]> : tensor<2xi32>
  %e = tensor.empty() : tensor<5x4xf32>
  %t = linalg.transpose ins(%a : tensor<4x5xf32>) outs(%e : tensor<5x4xf32>) permutation = [1, 0]
  %one = arith.constant dense<1.5> : tensor<f32>
  %s1 = arith.mulf %s, %one : tensor<f32>
  return %sum, %b, %c, %t, %s1 : tensor<4x5xf32>, tensor<3xi8>, tensor<2xi32>, tensor<5x4xf32>, tensor<f32>
}

// A second public function in the same header: an i16 -> i64 widening.
func.func @widen(%x: tensor<6xi16>) -> tensor<6xi64> {
  %y = arith.extsi %x : tensor<6xi16> to tensor<6xi64>
  return %y : tensor<6xi64>
}
