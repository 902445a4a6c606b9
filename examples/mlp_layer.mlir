// One fully connected layer (8 -> 4, ReLU) of a network trained with 4-bit
// power-of-two weights, written in the potq dialect.
//
// The float weights are projected onto pot<bits = 4> levels with one scale
// per output channel; `potq-opt --canonicalize` folds that projection into a
// `potq.constant` of levels, exactly as SPEC section 4 prescribes. The
// matmul computes in integers (SPEC section 6): i32 accumulation, a
// fixed-point requantization to the output scale, and ReLU fused as
// clamp_min = 0.

func.func @fc_relu(%x: tensor<1x8xf32>) -> tensor<1x4xf32> {
  %w = arith.constant dense<[
      [-0.0768, 0.1534, -0.0678, -0.0945],
      [-0.2790, -0.0640, 0.3336, 0.1272],
      [0.3111, 0.0747, 0.1184, 0.0556],
      [-0.4998, 0.2566, 0.1519, 0.1496],
      [-0.5074, -0.5232, -0.2669, -0.1405],
      [0.0916, -0.0138, 0.1563, -0.1927],
      [0.0926, 0.1182, -0.1983, 0.5153],
      [0.1670, 0.3591, -0.1861, -0.2219]]> : tensor<8x4xf32>
  %w_q = potq.quantize %w : tensor<8x4xf32>
      -> tensor<8x4x!potq.q<#potq.pot<bits = 4>, f32, axis = 1, scales = [7.9281e-03, 8.1750e-03, 5.2125e-03, 8.0516e-03]>>
  %x_q = potq.quantize %x : tensor<1x8xf32> -> tensor<1x8x!potq.q<#potq.uniform<bits = 8>, f32, scale = 2.0e-02>>
  // Bias levels at scale sx * sw[n].
  %bias = arith.constant dense<[12, -40, 0, 7]> : tensor<4xi32>
  %y_q = potq.matmul %x_q, %w_q bias %bias {clamp_min = 0 : i64}
      : tensor<1x8x!potq.q<#potq.uniform<bits = 8>, f32, scale = 2.0e-02>>,
        tensor<8x4x!potq.q<#potq.pot<bits = 4>, f32, axis = 1, scales = [7.9281e-03, 8.1750e-03, 5.2125e-03, 8.0516e-03]>>,
        tensor<4xi32>
      -> tensor<1x4x!potq.q<#potq.uniform<bits = 8>, f32, scale = 5.0e-02>>
  %y = potq.dequantize %y_q : tensor<1x4x!potq.q<#potq.uniform<bits = 8>, f32, scale = 5.0e-02>> -> tensor<1x4xf32>
  return %y : tensor<1x4xf32>
}
