// One function per exporter spelling of a quantized layer (the forms
// torch-mlir, StableHLO->linalg, IREE's import and linalg's own fusion
// write; docs/QatInputForm.md). Under require-integer every contraction
// must become its potq op with the epilogue fused, and a --canonicalize
// before the pipeline must change nothing.
// RUN: potq-opt %s --potq-qat-to-shift-add="lower=false require-integer=true" | FileCheck %s
// RUN: potq-opt %s --canonicalize | potq-opt --potq-qat-to-shift-add="lower=false require-integer=true" | FileCheck %s
// RUN: potq-opt %s --potq-qat-to-shift-add="lower=false require-integer=true" --potq-contraction-stats -o /dev/null | FileCheck %s --check-prefix=STATS
// STATS: potq-contraction-stats: total: 12 contractions, 0 in float, 12 multiplies in contraction bodies

#id2 = affine_map<(d0, d1) -> (d0, d1)>
#ch2 = affine_map<(d0, d1) -> (d1)>
#id4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#c1 = affine_map<(d0, d1, d2, d3) -> (d1)>
#c3 = affine_map<(d0, d1, d2, d3) -> (d3)>
// Bias add and ReLU in one linalg.generic.
// CHECK-LABEL: func.func @fused_bias_relu
// CHECK-NOT: linalg.matmul
// CHECK: arith.constant dense<[64, -77]> : tensor<2xi32>
// CHECK: potq.matmul {{.*}}bias {{.*}}{clamp_min = 0 : i64}
// CHECK-NOT: linalg.matmul
func.func @fused_bias_relu(%x: tensor<4x3xf32>) -> tensor<4x2xf32> {
  %s_xq = arith.constant dense<0.25> : tensor<f32>
  %xq = qat.fake_quant %x, %s_xq {encoding = #potq.uniform<bits = 8, unsigned>} : tensor<4x3xf32>, tensor<f32>
  %w = arith.constant dense<[[0.5, -0.25], [1.0, 0.125], [-2.0, 0.25]]> : tensor<3x2xf32>
  %sw = arith.constant dense<[0.0625, 0.015625]> : tensor<2xf32>
  %wq = qat.fake_quant %w, %sw {encoding = #potq.pot<bits = 4>, axis = 1 : i64} : tensor<3x2xf32>, tensor<2xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x2xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<4x2xf32>) -> tensor<4x2xf32>
  %mm = linalg.matmul ins(%xq, %wq : tensor<4x3xf32>, tensor<3x2xf32>) outs(%init : tensor<4x2xf32>) -> tensor<4x2xf32>
  %bias = arith.constant dense<[1.0, -0.3]> : tensor<2xf32>
  %r = linalg.generic {indexing_maps = [#id2, #ch2, #id2], iterator_types = ["parallel", "parallel"]} ins(%mm, %bias : tensor<4x2xf32>, tensor<2xf32>) outs(%e : tensor<4x2xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %t = arith.addf %a, %b : f32
    %m = arith.maximumf %t, %zero : f32
    linalg.yield %m : f32
  } -> tensor<4x2xf32>
  %s_yq = arith.constant dense<0.1> : tensor<f32>
  %yq = qat.fake_quant %r, %s_yq {encoding = #potq.uniform<bits = 8, unsigned>} : tensor<4x2xf32>, tensor<f32>
  return %yq : tensor<4x2xf32>
}

// ReLU written as cmpf ugt + select.
// CHECK-LABEL: func.func @select_relu
// CHECK-NOT: linalg.matmul
// CHECK: arith.constant dense<[64, -77]> : tensor<2xi32>
// CHECK: potq.matmul {{.*}}bias {{.*}}{clamp_min = 0 : i64}
// CHECK-NOT: linalg.matmul
func.func @select_relu(%x: tensor<4x3xf32>) -> tensor<4x2xf32> {
  %s_xq = arith.constant dense<0.25> : tensor<f32>
  %xq = qat.fake_quant %x, %s_xq {encoding = #potq.uniform<bits = 8, unsigned>} : tensor<4x3xf32>, tensor<f32>
  %w = arith.constant dense<[[0.5, -0.25], [1.0, 0.125], [-2.0, 0.25]]> : tensor<3x2xf32>
  %sw = arith.constant dense<[0.0625, 0.015625]> : tensor<2xf32>
  %wq = qat.fake_quant %w, %sw {encoding = #potq.pot<bits = 4>, axis = 1 : i64} : tensor<3x2xf32>, tensor<2xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x2xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<4x2xf32>) -> tensor<4x2xf32>
  %mm = linalg.matmul ins(%xq, %wq : tensor<4x3xf32>, tensor<3x2xf32>) outs(%init : tensor<4x2xf32>) -> tensor<4x2xf32>
  %bias = arith.constant dense<[1.0, -0.3]> : tensor<2xf32>
  %b1 = linalg.generic {indexing_maps = [#id2, #ch2, #id2], iterator_types = ["parallel", "parallel"]} ins(%mm, %bias : tensor<4x2xf32>, tensor<2xf32>) outs(%e : tensor<4x2xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %t = arith.addf %a, %b : f32
    linalg.yield %t : f32
  } -> tensor<4x2xf32>
  %r = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]} ins(%b1 : tensor<4x2xf32>) outs(%e : tensor<4x2xf32>) {
  ^bb0(%a: f32, %o: f32):
    %c = arith.cmpf ugt, %a, %zero : f32
    %m = arith.select %c, %a, %zero : f32
    linalg.yield %m : f32
  } -> tensor<4x2xf32>
  %s_yq = arith.constant dense<0.1> : tensor<f32>
  %yq = qat.fake_quant %r, %s_yq {encoding = #potq.uniform<bits = 8, unsigned>} : tensor<4x2xf32>, tensor<f32>
  return %yq : tensor<4x2xf32>
}

// Bias via linalg.broadcast + linalg.add; ReLU as linalg.max against a splat tensor.
// CHECK-LABEL: func.func @broadcast_add_max_splat
// CHECK-NOT: linalg.matmul
// CHECK: arith.constant dense<[64, -77]> : tensor<2xi32>
// CHECK: potq.matmul {{.*}}bias {{.*}}{clamp_min = 0 : i64}
// CHECK-NOT: linalg.matmul
func.func @broadcast_add_max_splat(%x: tensor<4x3xf32>) -> tensor<4x2xf32> {
  %s_xq = arith.constant dense<0.25> : tensor<f32>
  %xq = qat.fake_quant %x, %s_xq {encoding = #potq.uniform<bits = 8, unsigned>} : tensor<4x3xf32>, tensor<f32>
  %w = arith.constant dense<[[0.5, -0.25], [1.0, 0.125], [-2.0, 0.25]]> : tensor<3x2xf32>
  %sw = arith.constant dense<[0.0625, 0.015625]> : tensor<2xf32>
  %wq = qat.fake_quant %w, %sw {encoding = #potq.pot<bits = 4>, axis = 1 : i64} : tensor<3x2xf32>, tensor<2xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x2xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<4x2xf32>) -> tensor<4x2xf32>
  %mm = linalg.matmul ins(%xq, %wq : tensor<4x3xf32>, tensor<3x2xf32>) outs(%init : tensor<4x2xf32>) -> tensor<4x2xf32>
  %bias = arith.constant dense<[1.0, -0.3]> : tensor<2xf32>
  %bb = linalg.broadcast ins(%bias : tensor<2xf32>) outs(%e : tensor<4x2xf32>) dimensions = [0]
  %sum = linalg.add ins(%mm, %bb : tensor<4x2xf32>, tensor<4x2xf32>) outs(%e : tensor<4x2xf32>) -> tensor<4x2xf32>
  %zeros = arith.constant dense<0.0> : tensor<4x2xf32>
  %r = linalg.max ins(%sum, %zeros : tensor<4x2xf32>, tensor<4x2xf32>) outs(%e : tensor<4x2xf32>) -> tensor<4x2xf32>
  %s_yq = arith.constant dense<0.1> : tensor<f32>
  %yq = qat.fake_quant %r, %s_yq {encoding = #potq.uniform<bits = 8, unsigned>} : tensor<4x2xf32>, tensor<f32>
  return %yq : tensor<4x2xf32>
}

// Bias broadcast by a generic, then added as the first operand; ReLU as maximumf.
// CHECK-LABEL: func.func @broadcast_generic_bias_first
// CHECK-NOT: linalg.matmul
// CHECK: arith.constant dense<[64, -77]> : tensor<2xi32>
// CHECK: potq.matmul {{.*}}bias {{.*}}{clamp_min = 0 : i64}
// CHECK-NOT: linalg.matmul
func.func @broadcast_generic_bias_first(%x: tensor<4x3xf32>) -> tensor<4x2xf32> {
  %s_xq = arith.constant dense<0.25> : tensor<f32>
  %xq = qat.fake_quant %x, %s_xq {encoding = #potq.uniform<bits = 8, unsigned>} : tensor<4x3xf32>, tensor<f32>
  %w = arith.constant dense<[[0.5, -0.25], [1.0, 0.125], [-2.0, 0.25]]> : tensor<3x2xf32>
  %sw = arith.constant dense<[0.0625, 0.015625]> : tensor<2xf32>
  %wq = qat.fake_quant %w, %sw {encoding = #potq.pot<bits = 4>, axis = 1 : i64} : tensor<3x2xf32>, tensor<2xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x2xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<4x2xf32>) -> tensor<4x2xf32>
  %mm = linalg.matmul ins(%xq, %wq : tensor<4x3xf32>, tensor<3x2xf32>) outs(%init : tensor<4x2xf32>) -> tensor<4x2xf32>
  %bias = arith.constant dense<[1.0, -0.3]> : tensor<2xf32>
  %bb = linalg.generic {indexing_maps = [#ch2, #id2], iterator_types = ["parallel", "parallel"]} ins(%bias : tensor<2xf32>) outs(%e : tensor<4x2xf32>) {
  ^bb0(%b: f32, %o: f32):
    linalg.yield %b : f32
  } -> tensor<4x2xf32>
  %sum = linalg.generic {indexing_maps = [#id2, #id2, #id2], iterator_types = ["parallel", "parallel"]} ins(%bb, %mm : tensor<4x2xf32>, tensor<4x2xf32>) outs(%e : tensor<4x2xf32>) {
  ^bb0(%b: f32, %a: f32, %o: f32):
    %t = arith.addf %b, %a : f32
    linalg.yield %t : f32
  } -> tensor<4x2xf32>
  %r = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]} ins(%sum : tensor<4x2xf32>) outs(%e : tensor<4x2xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = arith.maximumf %a, %zero : f32
    linalg.yield %m : f32
  } -> tensor<4x2xf32>
  %s_yq = arith.constant dense<0.1> : tensor<f32>
  %yq = qat.fake_quant %r, %s_yq {encoding = #potq.uniform<bits = 8, unsigned>} : tensor<4x2xf32>, tensor<f32>
  return %yq : tensor<4x2xf32>
}

// The bias broadcast into the contraction init (torch-mlir conv/linear).
// CHECK-LABEL: func.func @bias_in_init
// CHECK-NOT: linalg.matmul
// CHECK: arith.constant dense<[64, -77]> : tensor<2xi32>
// CHECK: potq.matmul {{.*}}bias {{.*}}{clamp_min = 0 : i64}
// CHECK-NOT: linalg.matmul
func.func @bias_in_init(%x: tensor<4x3xf32>) -> tensor<4x2xf32> {
  %s_xq = arith.constant dense<0.25> : tensor<f32>
  %xq = qat.fake_quant %x, %s_xq {encoding = #potq.uniform<bits = 8, unsigned>} : tensor<4x3xf32>, tensor<f32>
  %w = arith.constant dense<[[0.5, -0.25], [1.0, 0.125], [-2.0, 0.25]]> : tensor<3x2xf32>
  %sw = arith.constant dense<[0.0625, 0.015625]> : tensor<2xf32>
  %wq = qat.fake_quant %w, %sw {encoding = #potq.pot<bits = 4>, axis = 1 : i64} : tensor<3x2xf32>, tensor<2xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x2xf32>
  %bias = arith.constant dense<[1.0, -0.3]> : tensor<2xf32>
  %init = linalg.broadcast ins(%bias : tensor<2xf32>) outs(%e : tensor<4x2xf32>) dimensions = [0]
  %mm = linalg.matmul ins(%xq, %wq : tensor<4x3xf32>, tensor<3x2xf32>) outs(%init : tensor<4x2xf32>) -> tensor<4x2xf32>
  %r = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]} ins(%mm : tensor<4x2xf32>) outs(%e : tensor<4x2xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = arith.maximumf %a, %zero : f32
    linalg.yield %m : f32
  } -> tensor<4x2xf32>
  %s_yq = arith.constant dense<0.1> : tensor<f32>
  %yq = qat.fake_quant %r, %s_yq {encoding = #potq.uniform<bits = 8, unsigned>} : tensor<4x2xf32>, tensor<f32>
  return %yq : tensor<4x2xf32>
}

// torch aten.add: x + 1.0 * b.
// CHECK-LABEL: func.func @aten_add_alpha
// CHECK-NOT: linalg.matmul
// CHECK: arith.constant dense<[64, -77]> : tensor<2xi32>
// CHECK: potq.matmul {{.*}}bias {{.*}}{clamp_min = 0 : i64}
// CHECK-NOT: linalg.matmul
func.func @aten_add_alpha(%x: tensor<4x3xf32>) -> tensor<4x2xf32> {
  %s_xq = arith.constant dense<0.25> : tensor<f32>
  %xq = qat.fake_quant %x, %s_xq {encoding = #potq.uniform<bits = 8, unsigned>} : tensor<4x3xf32>, tensor<f32>
  %w = arith.constant dense<[[0.5, -0.25], [1.0, 0.125], [-2.0, 0.25]]> : tensor<3x2xf32>
  %sw = arith.constant dense<[0.0625, 0.015625]> : tensor<2xf32>
  %wq = qat.fake_quant %w, %sw {encoding = #potq.pot<bits = 4>, axis = 1 : i64} : tensor<3x2xf32>, tensor<2xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x2xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<4x2xf32>) -> tensor<4x2xf32>
  %mm = linalg.matmul ins(%xq, %wq : tensor<4x3xf32>, tensor<3x2xf32>) outs(%init : tensor<4x2xf32>) -> tensor<4x2xf32>
  %bias = arith.constant dense<[1.0, -0.3]> : tensor<2xf32>
  %one = arith.constant 1.0 : f32
  %r = linalg.generic {indexing_maps = [#id2, #ch2, #id2], iterator_types = ["parallel", "parallel"]} ins(%mm, %bias : tensor<4x2xf32>, tensor<2xf32>) outs(%e : tensor<4x2xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %sb = arith.mulf %b, %one : f32
    %t = arith.addf %a, %sb : f32
    %m = arith.maximumf %t, %zero : f32
    linalg.yield %m : f32
  } -> tensor<4x2xf32>
  %s_yq = arith.constant dense<0.1> : tensor<f32>
  %yq = qat.fake_quant %r, %s_yq {encoding = #potq.uniform<bits = 8, unsigned>} : tensor<4x2xf32>, tensor<f32>
  return %yq : tensor<4x2xf32>
}

// nn.Linear weight [N, K], transposed, then fake-quantized on axis 1.
// CHECK-LABEL: func.func @transpose_before_fake_quant
// CHECK-NOT: linalg.matmul
// CHECK: arith.constant dense<[64, -77]> : tensor<2xi32>
// CHECK: potq.matmul {{.*}}bias {{.*}}{clamp_min = 0 : i64}
// CHECK-NOT: linalg.matmul
func.func @transpose_before_fake_quant(%x: tensor<4x3xf32>) -> tensor<4x2xf32> {
  %s_xq = arith.constant dense<0.25> : tensor<f32>
  %xq = qat.fake_quant %x, %s_xq {encoding = #potq.uniform<bits = 8, unsigned>} : tensor<4x3xf32>, tensor<f32>
  %wnk = arith.constant dense<[[0.5, 1.0, -2.0], [-0.25, 0.125, 0.25]]> : tensor<2x3xf32>
  %et = tensor.empty() : tensor<3x2xf32>
  %w = linalg.transpose ins(%wnk : tensor<2x3xf32>) outs(%et : tensor<3x2xf32>) permutation = [1, 0]
  %sw = arith.constant dense<[0.0625, 0.015625]> : tensor<2xf32>
  %wq = qat.fake_quant %w, %sw {encoding = #potq.pot<bits = 4>, axis = 1 : i64} : tensor<3x2xf32>, tensor<2xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x2xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<4x2xf32>) -> tensor<4x2xf32>
  %mm = linalg.matmul ins(%xq, %wq : tensor<4x3xf32>, tensor<3x2xf32>) outs(%init : tensor<4x2xf32>) -> tensor<4x2xf32>
  %bias = arith.constant dense<[1.0, -0.3]> : tensor<2xf32>
  %r = linalg.generic {indexing_maps = [#id2, #ch2, #id2], iterator_types = ["parallel", "parallel"]} ins(%mm, %bias : tensor<4x2xf32>, tensor<2xf32>) outs(%e : tensor<4x2xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %t = arith.addf %a, %b : f32
    %m = arith.maximumf %t, %zero : f32
    linalg.yield %m : f32
  } -> tensor<4x2xf32>
  %s_yq = arith.constant dense<0.1> : tensor<f32>
  %yq = qat.fake_quant %r, %s_yq {encoding = #potq.uniform<bits = 8, unsigned>} : tensor<4x2xf32>, tensor<f32>
  return %yq : tensor<4x2xf32>
}

// nn.Linear weight [N, K] fake-quantized on axis 0, then transposed.
// CHECK-LABEL: func.func @transpose_after_fake_quant
// CHECK-NOT: linalg.matmul
// CHECK: arith.constant dense<[64, -77]> : tensor<2xi32>
// CHECK: potq.matmul {{.*}}bias {{.*}}{clamp_min = 0 : i64}
// CHECK-NOT: linalg.matmul
func.func @transpose_after_fake_quant(%x: tensor<4x3xf32>) -> tensor<4x2xf32> {
  %s_xq = arith.constant dense<0.25> : tensor<f32>
  %xq = qat.fake_quant %x, %s_xq {encoding = #potq.uniform<bits = 8, unsigned>} : tensor<4x3xf32>, tensor<f32>
  %wnk = arith.constant dense<[[0.5, 1.0, -2.0], [-0.25, 0.125, 0.25]]> : tensor<2x3xf32>
  %sw = arith.constant dense<[0.0625, 0.015625]> : tensor<2xf32>
  %wqnk = qat.fake_quant %wnk, %sw {encoding = #potq.pot<bits = 4>, axis = 0 : i64} : tensor<2x3xf32>, tensor<2xf32>
  %et = tensor.empty() : tensor<3x2xf32>
  %wq = linalg.transpose ins(%wqnk : tensor<2x3xf32>) outs(%et : tensor<3x2xf32>) permutation = [1, 0]
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x2xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<4x2xf32>) -> tensor<4x2xf32>
  %mm = linalg.matmul ins(%xq, %wq : tensor<4x3xf32>, tensor<3x2xf32>) outs(%init : tensor<4x2xf32>) -> tensor<4x2xf32>
  %bias = arith.constant dense<[1.0, -0.3]> : tensor<2xf32>
  %r = linalg.generic {indexing_maps = [#id2, #ch2, #id2], iterator_types = ["parallel", "parallel"]} ins(%mm, %bias : tensor<4x2xf32>, tensor<2xf32>) outs(%e : tensor<4x2xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %t = arith.addf %a, %b : f32
    %m = arith.maximumf %t, %zero : f32
    linalg.yield %m : f32
  } -> tensor<4x2xf32>
  %s_yq = arith.constant dense<0.1> : tensor<f32>
  %yq = qat.fake_quant %r, %s_yq {encoding = #potq.uniform<bits = 8, unsigned>} : tensor<4x2xf32>, tensor<f32>
  return %yq : tensor<4x2xf32>
}

// linalg.matmul with indexing_maps reading the [N, K] weight transposed.
// CHECK-LABEL: func.func @matmul_indexing_maps
// CHECK-NOT: linalg.matmul
// CHECK: arith.constant dense<[64, -77]> : tensor<2xi32>
// CHECK: potq.matmul {{.*}}bias {{.*}}{clamp_min = 0 : i64}
// CHECK-NOT: linalg.matmul
func.func @matmul_indexing_maps(%x: tensor<4x3xf32>) -> tensor<4x2xf32> {
  %s_xq = arith.constant dense<0.25> : tensor<f32>
  %xq = qat.fake_quant %x, %s_xq {encoding = #potq.uniform<bits = 8, unsigned>} : tensor<4x3xf32>, tensor<f32>
  %wnk = arith.constant dense<[[0.5, 1.0, -2.0], [-0.25, 0.125, 0.25]]> : tensor<2x3xf32>
  %sw = arith.constant dense<[0.0625, 0.015625]> : tensor<2xf32>
  %wq = qat.fake_quant %wnk, %sw {encoding = #potq.pot<bits = 4>, axis = 0 : i64} : tensor<2x3xf32>, tensor<2xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x2xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<4x2xf32>) -> tensor<4x2xf32>
  %mm = linalg.matmul indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>] ins(%xq, %wq : tensor<4x3xf32>, tensor<2x3xf32>) outs(%init : tensor<4x2xf32>) -> tensor<4x2xf32>
  %bias = arith.constant dense<[1.0, -0.3]> : tensor<2xf32>
  %r = linalg.generic {indexing_maps = [#id2, #ch2, #id2], iterator_types = ["parallel", "parallel"]} ins(%mm, %bias : tensor<4x2xf32>, tensor<2xf32>) outs(%e : tensor<4x2xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %t = arith.addf %a, %b : f32
    %m = arith.maximumf %t, %zero : f32
    linalg.yield %m : f32
  } -> tensor<4x2xf32>
  %s_yq = arith.constant dense<0.1> : tensor<f32>
  %yq = qat.fake_quant %r, %s_yq {encoding = #potq.uniform<bits = 8, unsigned>} : tensor<4x2xf32>, tensor<f32>
  return %yq : tensor<4x2xf32>
}

// An unquantized final output (float logits): integer accumulation, float rescale and bias.
// CHECK-LABEL: func.func @float_logits
// CHECK-NOT: linalg.matmul
// CHECK: potq.matmul {{.*}} -> tensor<4x2xi32>
// CHECK: arith.sitofp
// CHECK-NOT: linalg.matmul
func.func @float_logits(%x: tensor<4x3xf32>) -> tensor<4x2xf32> {
  %s_xq = arith.constant dense<0.25> : tensor<f32>
  %xq = qat.fake_quant %x, %s_xq {encoding = #potq.uniform<bits = 8, unsigned>} : tensor<4x3xf32>, tensor<f32>
  %w = arith.constant dense<[[0.5, -0.25], [1.0, 0.125], [-2.0, 0.25]]> : tensor<3x2xf32>
  %sw = arith.constant dense<[0.0625, 0.015625]> : tensor<2xf32>
  %wq = qat.fake_quant %w, %sw {encoding = #potq.pot<bits = 4>, axis = 1 : i64} : tensor<3x2xf32>, tensor<2xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x2xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<4x2xf32>) -> tensor<4x2xf32>
  %mm = linalg.matmul ins(%xq, %wq : tensor<4x3xf32>, tensor<3x2xf32>) outs(%init : tensor<4x2xf32>) -> tensor<4x2xf32>
  %bias = arith.constant dense<[1.0, -0.3]> : tensor<2xf32>
  %r = linalg.generic {indexing_maps = [#id2, #ch2, #id2], iterator_types = ["parallel", "parallel"]} ins(%mm, %bias : tensor<4x2xf32>, tensor<2xf32>) outs(%e : tensor<4x2xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %t = arith.addf %a, %b : f32
    linalg.yield %t : f32
  } -> tensor<4x2xf32>
  return %r : tensor<4x2xf32>
}

// torch-mlir convolution: "same" padding as tensor.pad of 0.0, the bias broadcast into the init, select-ReLU.
// CHECK-LABEL: func.func @conv_nchw_same_padding
// CHECK-NOT: linalg.conv
// CHECK: potq.conv_2d_nchw_fchw {{.*}}bias {{.*}}{clamp_min = 0 : i64, {{.*}}padding = array<i64: 1, 1, 1, 1>
// CHECK-NOT: linalg.conv
// CHECK-NOT: tensor.pad
func.func @conv_nchw_same_padding(%x: tensor<1x2x4x4xf32>) -> tensor<1x3x4x4xf32> {
  %s_xq = arith.constant dense<0.25> : tensor<f32>
  %xq = qat.fake_quant %x, %s_xq {encoding = #potq.uniform<bits = 8, unsigned>} : tensor<1x2x4x4xf32>, tensor<f32>
  %w = arith.constant dense<0.5> : tensor<3x2x3x3xf32>
  %sw = arith.constant dense<[0.0625, 0.125, 0.25]> : tensor<3xf32>
  %wq = qat.fake_quant %w, %sw {encoding = #potq.pot<bits = 4>, axis = 0 : i64} : tensor<3x2x3x3xf32>, tensor<3xf32>
  %zero = arith.constant 0.0 : f32
  %padded = tensor.pad %xq low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %zero : f32
  } : tensor<1x2x4x4xf32> to tensor<1x2x6x6xf32>
  %bias = arith.constant dense<[0.1, -0.2, 0.3]> : tensor<3xf32>
  %e = tensor.empty() : tensor<1x3x4x4xf32>
  %init = linalg.generic {indexing_maps = [#c1, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%bias : tensor<3xf32>) outs(%e : tensor<1x3x4x4xf32>) {
  ^bb0(%b: f32, %o: f32):
    linalg.yield %b : f32
  } -> tensor<1x3x4x4xf32>
  %conv = linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>} ins(%padded, %wq : tensor<1x2x6x6xf32>, tensor<3x2x3x3xf32>) outs(%init : tensor<1x3x4x4xf32>) -> tensor<1x3x4x4xf32>
  %r = linalg.generic {indexing_maps = [#id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%conv : tensor<1x3x4x4xf32>) outs(%e : tensor<1x3x4x4xf32>) {
  ^bb0(%a: f32, %o: f32):
    %c = arith.cmpf ugt, %a, %zero : f32
    %m = arith.select %c, %a, %zero : f32
    linalg.yield %m : f32
  } -> tensor<1x3x4x4xf32>
  %s_yq = arith.constant dense<0.1> : tensor<f32>
  %yq = qat.fake_quant %r, %s_yq {encoding = #potq.uniform<bits = 8, unsigned>} : tensor<1x3x4x4xf32>, tensor<f32>
  return %yq : tensor<1x3x4x4xf32>
}

// MobileNet depthwise convolution with padding, bias in the init, ReLU6 as linalg.max/linalg.min against splat tensors.
// CHECK-LABEL: func.func @depthwise_relu6_named_ops
// CHECK-NOT: linalg.depthwise
// CHECK: potq.depthwise_conv_2d_nhwc_hwc {{.*}}bias {{.*}}{clamp_max = 60 : i64, clamp_min = 0 : i64, {{.*}}padding = array<i64: 1, 1, 1, 1>
// CHECK-NOT: linalg.depthwise
// CHECK-NOT: tensor.pad
func.func @depthwise_relu6_named_ops(%x: tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32> {
  %s_xq = arith.constant dense<0.25> : tensor<f32>
  %xq = qat.fake_quant %x, %s_xq {encoding = #potq.uniform<bits = 8, unsigned>} : tensor<1x4x4x2xf32>, tensor<f32>
  %w = arith.constant dense<0.5> : tensor<3x3x2xf32>
  %sw = arith.constant dense<[0.0625, 0.125]> : tensor<2xf32>
  %wq = qat.fake_quant %w, %sw {encoding = #potq.pot<bits = 4>, axis = 2 : i64} : tensor<3x3x2xf32>, tensor<2xf32>
  %zero = arith.constant 0.0 : f32
  %padded = tensor.pad %xq low[0, 1, 1, 0] high[0, 1, 1, 0] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %zero : f32
  } : tensor<1x4x4x2xf32> to tensor<1x6x6x2xf32>
  %bias = arith.constant dense<[0.1, -0.2]> : tensor<2xf32>
  %e = tensor.empty() : tensor<1x4x4x2xf32>
  %init = linalg.broadcast ins(%bias : tensor<2xf32>) outs(%e : tensor<1x4x4x2xf32>) dimensions = [0, 1, 2]
  %conv = linalg.depthwise_conv_2d_nhwc_hwc {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%padded, %wq : tensor<1x6x6x2xf32>, tensor<3x3x2xf32>) outs(%init : tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32>
  %zeros = arith.constant dense<0.0> : tensor<1x4x4x2xf32>
  %sixes = arith.constant dense<6.0> : tensor<1x4x4x2xf32>
  %lo = linalg.max ins(%conv, %zeros : tensor<1x4x4x2xf32>, tensor<1x4x4x2xf32>) outs(%e : tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32>
  %hi = linalg.min ins(%lo, %sixes : tensor<1x4x4x2xf32>, tensor<1x4x4x2xf32>) outs(%e : tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32>
  %s_yq = arith.constant dense<0.1> : tensor<f32>
  %yq = qat.fake_quant %hi, %s_yq {encoding = #potq.uniform<bits = 8, unsigned>} : tensor<1x4x4x2xf32>, tensor<f32>
  return %yq : tensor<1x4x4x2xf32>
}

