// RUN: potq-opt %s --potq-contraction-stats -o /dev/null | FileCheck %s
// RUN: potq-opt %s --convert-potq-to-linalg --potq-contraction-stats -o /dev/null | FileCheck %s --check-prefix=LOWERED
// RUN: not potq-opt %s --potq-contraction-stats=output-file=/nonexistent/dir/stats.txt -o /dev/null 2>&1 | FileCheck %s --check-prefix=BADFILE

// A float matmul has one mulf in its body; a potq.matmul counts as one
// multiply until lowered; the shift-add lowering leaves none. Pooling
// reduces without multiplying.
// CHECK: potq-contraction-stats: @float_layer: 2 contractions, 1 in float, 1 multiplies in contraction bodies
// CHECK: potq-contraction-stats: @integer_layer: 1 contractions, 0 in float, 1 multiplies in contraction bodies
// CHECK: potq-contraction-stats: total: 3 contractions, 1 in float, 2 multiplies in contraction bodies
// LOWERED: potq-contraction-stats: @integer_layer: 1 contractions, 0 in float, 0 multiplies in contraction bodies
// BADFILE: error: potq-contraction-stats: {{.*}}/nonexistent/dir/stats.txt

func.func @float_layer(%x: tensor<2x3xf32>, %w: tensor<3x4xf32>, %p: tensor<1x4x4x1xf32>) -> (tensor<2x4xf32>, tensor<1x2x2x1xf32>) {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x4xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<2x4xf32>) -> tensor<2x4xf32>
  %y = linalg.matmul ins(%x, %w : tensor<2x3xf32>, tensor<3x4xf32>) outs(%init : tensor<2x4xf32>) -> tensor<2x4xf32>
  %win = tensor.empty() : tensor<2x2xf32>
  %pe = tensor.empty() : tensor<1x2x2x1xf32>
  %pool = linalg.pooling_nhwc_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%p, %win : tensor<1x4x4x1xf32>, tensor<2x2xf32>) outs(%pe : tensor<1x2x2x1xf32>) -> tensor<1x2x2x1xf32>
  return %y, %pool : tensor<2x4xf32>, tensor<1x2x2x1xf32>
}

func.func @integer_layer(%x: tensor<2x3x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>) -> tensor<2x4xi32> {
  %w = potq.constant dense<2> : tensor<3x4xi8> -> tensor<3x4x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e+00>>
  %y = potq.matmul %x, %w : tensor<2x3x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>, tensor<3x4x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e+00>> -> tensor<2x4xi32>
  return %y : tensor<2x4xi32>
}
