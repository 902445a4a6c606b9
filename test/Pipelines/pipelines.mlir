// RUN: potq-opt %s --potq-qat-to-shift-add | FileCheck %s
// RUN: potq-opt %s --potq-qat-to-shift-add --potq-contraction-stats -o /dev/null | FileCheck %s --check-prefix=STATS
// RUN: potq-opt %s --potq-qat-to-shift-add="fuse=false" --potq-contraction-stats -o /dev/null | FileCheck %s --check-prefix=FLOAT
// RUN: potq-opt %s --potq-qat-to-shift-add --potq-lower-to-llvm | FileCheck %s --check-prefix=LLVM
// Bit-sparsity options (docs/BitSparsity.md), stopping before the lowering.
// RUN: potq-opt %s --potq-qat-to-shift-add="recode=exact lower=false" | FileCheck %s --check-prefix=EXACT
// RUN: potq-opt %s --potq-qat-to-shift-add="recode=nhot nhot-terms=1 nhot-max-exp=3 nhot-granularity=channel recode-report=- cost-report=- lower=false" -o /dev/null | FileCheck %s --check-prefix=NHOT
// RUN: potq-opt %s --potq-qat-to-shift-add="recode=nhot nhot-max-error=0.5 recode-report=-" -o /dev/null | FileCheck %s --check-prefix=MAXERR
// RUN: potq-opt %s --potq-qat-to-shift-add="recode=nhot nhot-term-budget=100 recode-report=-" -o /dev/null | FileCheck %s --check-prefix=MAXERR
// RUN: not potq-opt %s --potq-qat-to-shift-add="recode=bogus" 2>&1 | FileCheck %s --check-prefix=BADRECODE

// The QAT input form of one layer (docs/QatInputForm.md) becomes integer
// shift-add IR: no qat or potq op, no float matmul, integer tensors inside.
// CHECK-LABEL: func.func @main
// CHECK-SAME: (%{{.*}}: tensor<4x3xf32>) -> tensor<4x2xf32>
// CHECK-NOT: qat.
// CHECK-NOT: potq.
// CHECK-NOT: linalg.matmul
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "reduction"]{{.*}}tensor<4x3xi8>, tensor<3x2xi8>, tensor<3x2xi8>
// CHECK: arith.shli
// STATS: potq-contraction-stats: @main: 1 contractions, 0 in float, 0 multiplies in contraction bodies
// FLOAT: potq-contraction-stats: @main: 1 contractions, 1 in float, 1 multiplies in contraction bodies
// EXACT: potq.constant dense<{{\[\[}}8, -16], [16, 8], [-32, 16]]> : tensor<3x2xi8> -> tensor<3x2x!potq.q<#potq.nhot<terms = 1, max_exp = 5>, f32, axis = 1, scales = [6.25e-02, 1.5625e-02]>>
// EXACT: potq.matmul
// NHOT: potq-recode-weights: @main #0 potq.matmul: pot<bits = 4> -> nhot<terms = 1, max_exp = 3>, terms 6 -> 6, mse 0, max abs 0, relative rms 0
// NHOT: potq-cost-report: @main #0 potq.matmul: weight 3x2 nhot<terms = 1, max_exp = 3>, 4 positions, i32 accumulator
// MAXERR: potq-recode-weights: @main #0 potq.matmul: pot<bits = 4> -> nhot<terms = 1, max_exp = 4>, terms 6 -> 6, mse 0
// BADRECODE: for the --recode option: invalid value 'bogus' (expected none, exact or nhot)
// LLVM: llvm.func @main(
// LLVM: llvm.func @_mlir_ciface_main(
func.func @main(%x: tensor<4x3xf32>) -> tensor<4x2xf32> {
  %sx = arith.constant dense<0.25> : tensor<f32>
  %xq = qat.fake_quant %x, %sx {encoding = #potq.uniform<bits = 8, unsigned>} : tensor<4x3xf32>, tensor<f32>
  %w = arith.constant dense<[[0.5, -0.25], [1.0, 0.125], [-2.0, 0.3]]> : tensor<3x2xf32>
  %sw = arith.constant dense<[0.0625, 0.015625]> : tensor<2xf32>
  %wq = qat.fake_quant %w, %sw {encoding = #potq.pot<bits = 4>, axis = 1 : i64, estimator = #qat.estimator<lsq>} : tensor<3x2xf32>, tensor<2xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x2xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<4x2xf32>) -> tensor<4x2xf32>
  %mm = linalg.matmul ins(%xq, %wq : tensor<4x3xf32>, tensor<3x2xf32>) outs(%init : tensor<4x2xf32>) -> tensor<4x2xf32>
  %bias = arith.constant dense<[1.0, -0.3]> : tensor<2xf32>
  %biased = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%mm, %bias : tensor<4x2xf32>, tensor<2xf32>) outs(%e : tensor<4x2xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.addf %a, %b : f32
    linalg.yield %s : f32
  } -> tensor<4x2xf32>
  %relu = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%biased : tensor<4x2xf32>) outs(%e : tensor<4x2xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = arith.maximumf %a, %zero : f32
    linalg.yield %m : f32
  } -> tensor<4x2xf32>
  %sy = arith.constant dense<0.1> : tensor<f32>
  %yq = qat.fake_quant %relu, %sy {encoding = #potq.uniform<bits = 8, unsigned>} : tensor<4x2xf32>, tensor<f32>
  return %yq : tensor<4x2xf32>
}
