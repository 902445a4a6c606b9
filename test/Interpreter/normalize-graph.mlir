// qat-normalize-graph preserves the float semantics: the reference
// interpreter gives the same results before and after it. Every value is a
// small multiple of 1/4, so the changed summation order (the bias added last
// instead of first) is exact here.

// RUN: potq-run %s --print | FileCheck %s
// RUN: potq-opt %s -qat-normalize-graph -o %t
// RUN: potq-run %t --print | FileCheck %s
// RUN: FileCheck %s --input-file=%t --check-prefix=IR

// The rewrites did happen: default maps, no bias in an init, no named
// elementwise op left, the weight transposed below its fake_quant.
// IR-NOT: indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d1, d2)>
// IR-NOT: linalg.broadcast
// IR-NOT: linalg.add
// IR-NOT: linalg.min
// IR: qat.fake_quant %{{.*}}, %{{.*}} {axis = 1 : i64, encoding = #potq.pot<bits = 4>} : tensor<4x3xf32>, tensor<3xf32>

// Linear layer: x [2, 4] times W^T (W [3, 4] per row; 3 -> 2 by the tie
// rule), bias [0.5, -1, 2] in the init, select-ReLU, fake_quant by 1/4.
// CHECK: result 0: tensor<2x3xf32> = {{\[\[}}6.5, 0, 2.5], [0, 0, 1.25]]
// NCHW convolution with its bias in the init, a residual added first and a
// min against a splat 6.
// CHECK: result 1: tensor<1x2x2x2xf32> = {{\[\[\[\[}}6, 6], [6, 6]], {{\[\[}}-1, 1.5], [1, 2]]]]
func.func @main() -> (tensor<2x3xf32>, tensor<1x2x2x2xf32>) {
  %x = arith.constant dense<[[1.0, 2.0, 3.0, 4.0], [-1.0, 0.0, 2.0, -2.0]]> : tensor<2x4xf32>
  %w = arith.constant dense<[[1.0, 0.0, -1.0, 3.0], [0.5, 1.0, 0.0, -0.5], [0.25, 0.5, -0.25, 0.0]]> : tensor<3x4xf32>
  %sw = arith.constant dense<[1.0, 0.5, 0.25]> : tensor<3xf32>
  %wq = qat.fake_quant %w, %sw {encoding = #potq.pot<bits = 4>, axis = 0 : i64} : tensor<3x4xf32>, tensor<3xf32>
  %b = arith.constant dense<[0.5, -1.0, 2.0]> : tensor<3xf32>
  %e = tensor.empty() : tensor<2x3xf32>
  %bb = linalg.broadcast ins(%b : tensor<3xf32>) outs(%e : tensor<2x3xf32>) dimensions = [0]
  %mm = linalg.matmul indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>,
                                       affine_map<(d0, d1, d2) -> (d1, d2)>,
                                       affine_map<(d0, d1, d2) -> (d0, d1)>]
      ins(%x, %wq : tensor<2x4xf32>, tensor<3x4xf32>) outs(%bb : tensor<2x3xf32>) -> tensor<2x3xf32>
  %zero = arith.constant 0.0 : f32
  %relu = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]}
      ins(%mm : tensor<2x3xf32>) outs(%e : tensor<2x3xf32>) {
  ^bb0(%a: f32, %o: f32):
    %gt = arith.cmpf ugt, %a, %zero : f32
    %r = arith.select %gt, %a, %zero : f32
    linalg.yield %r : f32
  } -> tensor<2x3xf32>
  %sy = arith.constant dense<0.25> : tensor<f32>
  %y = qat.fake_quant %relu, %sy {encoding = #potq.uniform<bits = 8, unsigned>} : tensor<2x3xf32>, tensor<f32>

  %img = arith.constant dense<[[[[1.0, 2.0, 0.0], [0.0, 1.0, -1.0], [2.0, 0.0, 1.0]]]]> : tensor<1x1x3x3xf32>
  %k = arith.constant dense<[[[[1.0, 1.0], [1.0, 1.0]]], [[[0.5, 0.0], [0.0, -0.5]]]]> : tensor<2x1x2x2xf32>
  %cb = arith.constant dense<[1.0, -2.0]> : tensor<2xf32>
  %ec = tensor.empty() : tensor<1x2x2x2xf32>
  %cbb = linalg.broadcast ins(%cb : tensor<2xf32>) outs(%ec : tensor<1x2x2x2xf32>) dimensions = [0, 2, 3]
  %conv = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%img, %k : tensor<1x1x3x3xf32>, tensor<2x1x2x2xf32>) outs(%cbb : tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  %res = arith.constant dense<[[[[4.0, 4.0], [4.0, 4.0]], [[1.0, 2.0], [3.0, 4.0]]]]> : tensor<1x2x2x2xf32>
  %sum = linalg.add ins(%res, %conv : tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>) outs(%ec : tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  %sixes = arith.constant dense<6.0> : tensor<1x2x2x2xf32>
  %clamped = linalg.min ins(%sum, %sixes : tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>) outs(%ec : tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  return %y, %clamped : tensor<2x3xf32>, tensor<1x2x2x2xf32>
}
