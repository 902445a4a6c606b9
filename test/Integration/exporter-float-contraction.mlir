// A contraction whose input is not fake-quantized cannot run in integers.
// Under require-integer=true, potq-qat-to-shift-add fails with an error at
// the contraction that names it and the reason; without it, the pipeline
// remarks on the contraction, leaves it in float, still makes the next
// (quantized) convolution integer, and the result runs: compiled equals the
// interpreter bit for bit.

// RUN: not potq-opt %s '--potq-qat-to-shift-add=lower=false require-integer=true' -o /dev/null 2>&1 | FileCheck %s --check-prefix=ERR
// RUN: potq-opt %s '--potq-qat-to-shift-add=lower=false' -o %t.potq.mlir 2>&1 | FileCheck %s --check-prefix=REMARK
// RUN: FileCheck %s --check-prefix=IR --input-file=%t.potq.mlir
// RUN: potq-opt %t.potq.mlir --potq-contraction-stats -o /dev/null | FileCheck %s --check-prefix=STATS
// RUN: %python %S/Inputs/random_npy.py --shape 1x4x6x6 --special --seed 3 -o %t.x.npy
// RUN: potq-run %s --interpret --input=%t.x.npy --output=%t.float.npy
// RUN: potq-run %t.potq.mlir --interpret --input=%t.x.npy --output=%t.ref.npy
// RUN: potq-run %t.potq.mlir --jit --input=%t.x.npy --output=%t.jit.npy
// RUN: cmp %t.ref.npy %t.jit.npy

// ERR-NOT: error:
// REMARK-NOT: remark:
// IR: linalg.conv_2d_nchw_fchw
// IR-NOT: linalg.conv_2d_nchw_fchw
// IR: potq.conv_2d_nchw_fchw
// IR-NOT: conv_2d_nchw_fchw
// STATS: total: 2 contractions, 1 in float,

func.func @forward(%arg0: tensor<1x4x6x6xf32>) -> tensor<1x4x4x4xf32> {
  %cst = arith.constant 0.000000e+00 : f32
  %w0 = arith.constant dense<[[[[0.5]], [[-0.25]], [[0.125]], [[1.0]]], [[[-1.0]], [[0.5]], [[0.25]], [[-0.125]]], [[[0.25]], [[0.25]], [[-0.5]], [[0.5]]], [[[1.0]], [[-1.0]], [[0.0625]], [[0.25]]]]> : tensor<4x4x1x1xf32>
  %sw0 = arith.constant dense<[1.250000e-01, 1.250000e-01, 6.250000e-02, 1.250000e-01]> : tensor<4xf32>
  %wq0 = qat.fake_quant %w0, %sw0 {encoding = #potq.pot<bits = 4>, axis = 0 : i64} : tensor<4x4x1x1xf32>, tensor<4xf32>
  %e0 = tensor.empty() : tensor<1x4x6x6xf32>
  %init0 = linalg.fill ins(%cst : f32) outs(%e0 : tensor<1x4x6x6xf32>) -> tensor<1x4x6x6xf32>
  // The input %arg0 is not fake-quantized: this convolution stays in float.
  // ERR: [[@LINE+5]]:{{[0-9]+}}: error: contraction 'linalg.conv_2d_nchw_fchw' stays in float: its input is not quantized (it comes from a block argument, not from a qat.fake_quant)
  // ERR: note: see current operation:
  // ERR-NEXT: "linalg.conv_2d_nchw_fchw"
  // REMARK: [[@LINE+2]]:{{[0-9]+}}: remark: contraction 'linalg.conv_2d_nchw_fchw' stays in float: its input is not quantized (it comes from a block argument, not from a qat.fake_quant)
  // REMARK: note: see current operation: {{.*}} = linalg.conv_2d_nchw_fchw
  %c0 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>} ins(%arg0, %wq0 : tensor<1x4x6x6xf32>, tensor<4x4x1x1xf32>) outs(%init0 : tensor<1x4x6x6xf32>) -> tensor<1x4x6x6xf32>
  %r0 = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%c0 : tensor<1x4x6x6xf32>) outs(%e0 : tensor<1x4x6x6xf32>) {
  ^bb0(%in: f32, %out: f32):
    %p = arith.cmpf ugt, %in, %cst : f32
    %s = arith.select %p, %in, %cst : f32
    linalg.yield %s : f32
  } -> tensor<1x4x6x6xf32>
  %sa = arith.constant dense<1.5625e-02> : tensor<f32>
  %q0 = qat.fake_quant %r0, %sa {encoding = #potq.uniform<bits = 8, unsigned>} : tensor<1x4x6x6xf32>, tensor<f32>
  // A quantized 3x3 convolution (no padding) with bias: integer.
  %w1 = arith.constant dense<0.25> : tensor<4x4x3x3xf32>
  %sw1 = arith.constant dense<6.250000e-02> : tensor<f32>
  %wq1 = qat.fake_quant %w1, %sw1 {encoding = #potq.pot<bits = 4>} : tensor<4x4x3x3xf32>, tensor<f32>
  %b1 = arith.constant dense<[0.5, -0.5, 0.25, 0.0]> : tensor<4xf32>
  %e1 = tensor.empty() : tensor<1x4x4x4xf32>
  %init1 = linalg.fill ins(%cst : f32) outs(%e1 : tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  %c1 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>} ins(%q0, %wq1 : tensor<1x4x6x6xf32>, tensor<4x4x3x3xf32>) outs(%init1 : tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  %a1 = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d1)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%c1, %b1 : tensor<1x4x4x4xf32>, tensor<4xf32>) outs(%e1 : tensor<1x4x4x4xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %s = arith.addf %in, %in_0 : f32
    linalg.yield %s : f32
  } -> tensor<1x4x4x4xf32>
  %sy = arith.constant dense<1.250000e-01> : tensor<f32>
  %y = qat.fake_quant %a1, %sy {encoding = #potq.uniform<bits = 8, unsigned>} : tensor<1x4x4x4xf32>, tensor<f32>
  return %y : tensor<1x4x4x4xf32>
}
// ERR-NOT: error:
// REMARK-NOT: remark:
