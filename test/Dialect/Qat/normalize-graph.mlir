// RUN: potq-opt %s -split-input-file -qat-normalize-graph | FileCheck %s
// The pass is idempotent on its output.
// RUN: potq-opt %s -split-input-file -qat-normalize-graph -o %t.1
// RUN: potq-opt %t.1 -split-input-file -qat-normalize-graph -o %t.2
// RUN: diff %t.1 %t.2

// Named elementwise ops become generics (each result has its own use, so
// nothing fuses); linalg.fill stays.
// CHECK-LABEL: func.func @generalize
// CHECK-NOT: linalg.add
// CHECK-NOT: linalg.sub
// CHECK-NOT: linalg.mul
// CHECK-NOT: linalg.div
// CHECK-NOT: linalg.min
// CHECK-NOT: linalg.map
// CHECK-NOT: linalg.elementwise
// CHECK: linalg.fill
// CHECK: linalg.generic
// CHECK: arith.addf
// CHECK: linalg.generic
// CHECK: arith.subf
// CHECK: linalg.generic
// CHECK: arith.mulf
// CHECK: linalg.generic
// CHECK: arith.divf
// CHECK: linalg.generic
// CHECK: arith.minimumf
// CHECK: linalg.generic
// CHECK: arith.negf
// CHECK: linalg.generic
// CHECK: arith.mulf
// CHECK: return
func.func @generalize(%x: tensor<4x8xf32>, %y: tensor<4x8xf32>)
    -> (tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>,
        tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>) {
  %e = tensor.empty() : tensor<4x8xf32>
  %c = arith.constant 0.0 : f32
  %f = linalg.fill ins(%c : f32) outs(%e : tensor<4x8xf32>) -> tensor<4x8xf32>
  %0 = linalg.add ins(%x, %y : tensor<4x8xf32>, tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) -> tensor<4x8xf32>
  %1 = linalg.sub ins(%x, %y : tensor<4x8xf32>, tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) -> tensor<4x8xf32>
  %2 = linalg.mul ins(%x, %y : tensor<4x8xf32>, tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) -> tensor<4x8xf32>
  %3 = linalg.div ins(%x, %y : tensor<4x8xf32>, tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) -> tensor<4x8xf32>
  %4 = linalg.min ins(%x, %y : tensor<4x8xf32>, tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) -> tensor<4x8xf32>
  %5 = linalg.map { arith.negf } ins(%x : tensor<4x8xf32>) outs(%e : tensor<4x8xf32>)
  %6 = linalg.elementwise kind=#linalg.elementwise_kind<mul> ins(%x, %y : tensor<4x8xf32>, tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) -> tensor<4x8xf32>
  return %f, %0, %1, %2, %3, %4, %5, %6 : tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>
}

// -----

// torch-mlir's linear layer: bias broadcast with linalg.broadcast, added
// with the bias as the FIRST operand, then ReLU as linalg.max against a
// splat zero tensor. One generic remains between the matmul and the
// fake_quant: the bias is a 1-D input indexed by the channel loop only, the
// splat is a scalar in the body.
// CHECK-DAG: #[[CH:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @bias_first_relu_max
// CHECK-SAME: %[[X:.*]]: tensor<4x16xf32>, %[[W:.*]]: tensor<16x8xf32>, %[[B:.*]]: tensor<8xf32>
// CHECK-DAG: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[FILL:.*]] = linalg.fill ins(%[[ZERO]] : f32)
// CHECK: %[[MM:.*]] = linalg.matmul ins(%[[X]], %[[W]] : {{.*}}) outs(%[[FILL]] : tensor<4x8xf32>)
// CHECK: %[[EPI:.*]] = linalg.generic {indexing_maps = [#[[CH]], #[[ID]], #[[ID]]], iterator_types = ["parallel", "parallel"]}
// CHECK-SAME: ins(%[[B]], %[[MM]] : tensor<8xf32>, tensor<4x8xf32>)
// CHECK-NEXT: ^bb0(%[[BV:.*]]: f32, %[[MV:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: %[[S:.*]] = arith.addf %[[BV]], %[[MV]] : f32
// CHECK-NEXT: %[[R:.*]] = arith.maximumf %[[S]], %[[ZERO]] : f32
// CHECK-NEXT: linalg.yield %[[R]] : f32
// CHECK: qat.fake_quant %[[EPI]]
// CHECK-NOT: linalg.generic
func.func @bias_first_relu_max(%x: tensor<4x16xf32>, %w: tensor<16x8xf32>, %b: tensor<8xf32>) -> tensor<4x8xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x8xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<4x8xf32>) -> tensor<4x8xf32>
  %mm = linalg.matmul ins(%x, %w : tensor<4x16xf32>, tensor<16x8xf32>) outs(%init : tensor<4x8xf32>) -> tensor<4x8xf32>
  %bb = linalg.broadcast ins(%b : tensor<8xf32>) outs(%e : tensor<4x8xf32>) dimensions = [0]
  %sum = linalg.add ins(%bb, %mm : tensor<4x8xf32>, tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) -> tensor<4x8xf32>
  %zeros = arith.constant dense<0.0> : tensor<4x8xf32>
  %relu = linalg.max ins(%sum, %zeros : tensor<4x8xf32>, tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) -> tensor<4x8xf32>
  %s = arith.constant dense<0.1> : tensor<f32>
  %y = qat.fake_quant %relu, %s {encoding = #potq.uniform<bits = 8, unsigned>} : tensor<4x8xf32>, tensor<f32>
  return %y : tensor<4x8xf32>
}

// -----

// ReLU written as cmpf ugt + select (StableHLO -> linalg) after a bias add
// generic: fused, the comparison and the select survive.
// CHECK-LABEL: func.func @select_relu
// CHECK: linalg.matmul
// CHECK: linalg.generic
// CHECK: arith.addf
// CHECK-NEXT: %[[GT:.*]] = arith.cmpf ugt
// CHECK-NEXT: arith.select %[[GT]]
// CHECK-NEXT: linalg.yield
// CHECK-NOT: linalg.generic
func.func @select_relu(%x: tensor<4x16xf32>, %w: tensor<16x8xf32>, %b: tensor<8xf32>) -> tensor<4x8xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x8xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<4x8xf32>) -> tensor<4x8xf32>
  %mm = linalg.matmul ins(%x, %w : tensor<4x16xf32>, tensor<16x8xf32>) outs(%init : tensor<4x8xf32>) -> tensor<4x8xf32>
  %sum = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]}
      ins(%mm, %b : tensor<4x8xf32>, tensor<8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %s = arith.addf %a, %c : f32
    linalg.yield %s : f32
  } -> tensor<4x8xf32>
  %relu = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]}
      ins(%sum : tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %gt = arith.cmpf ugt, %a, %zero : f32
    %r = arith.select %gt, %a, %zero : f32
    linalg.yield %r : f32
  } -> tensor<4x8xf32>
  %s = arith.constant dense<0.1> : tensor<f32>
  %y = qat.fake_quant %relu, %s {encoding = #potq.uniform<bits = 8, unsigned>} : tensor<4x8xf32>, tensor<f32>
  return %y : tensor<4x8xf32>
}

// -----

// A residual block's epilogue: bias add, `x + 1.0 * r` residual (the
// multiply by one folds), ReLU6 as max/min against splats. One generic with
// the bias, the matmul and the residual as inputs.
// CHECK-LABEL: func.func @residual_relu6
// CHECK-SAME: %[[X:.*]]: tensor<4x16xf32>, %{{.*}}: tensor<16x8xf32>, %[[B:.*]]: tensor<8xf32>, %[[R:.*]]: tensor<4x8xf32>
// CHECK-DAG: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK-DAG: %[[SIX:.*]] = arith.constant 6.000000e+00 : f32
// CHECK: %[[MM:.*]] = linalg.matmul
// CHECK: %[[EPI:.*]] = linalg.generic
// CHECK-SAME: ins(%[[MM]], %[[B]], %[[R]] : tensor<4x8xf32>, tensor<8xf32>, tensor<4x8xf32>)
// CHECK-NEXT: ^bb0(%[[MV:.*]]: f32, %[[BV:.*]]: f32, %[[RV:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: %[[S0:.*]] = arith.addf %[[MV]], %[[BV]] : f32
// CHECK-NEXT: %[[S1:.*]] = arith.addf %[[S0]], %[[RV]] : f32
// CHECK-NEXT: %[[LO:.*]] = arith.maximumf %[[S1]], %[[ZERO]] : f32
// CHECK-NEXT: %[[HI:.*]] = arith.minimumf %[[LO]], %[[SIX]] : f32
// CHECK-NEXT: linalg.yield %[[HI]] : f32
// CHECK: qat.fake_quant %[[EPI]]
func.func @residual_relu6(%x: tensor<4x16xf32>, %w: tensor<16x8xf32>, %b: tensor<8xf32>, %r: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x8xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<4x8xf32>) -> tensor<4x8xf32>
  %mm = linalg.matmul ins(%x, %w : tensor<4x16xf32>, tensor<16x8xf32>) outs(%init : tensor<4x8xf32>) -> tensor<4x8xf32>
  %bb = linalg.broadcast ins(%b : tensor<8xf32>) outs(%e : tensor<4x8xf32>) dimensions = [0]
  %sum = linalg.add ins(%mm, %bb : tensor<4x8xf32>, tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) -> tensor<4x8xf32>
  %ones = arith.constant dense<1.0> : tensor<4x8xf32>
  %scaled = linalg.mul ins(%ones, %r : tensor<4x8xf32>, tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) -> tensor<4x8xf32>
  %res = linalg.add ins(%sum, %scaled : tensor<4x8xf32>, tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) -> tensor<4x8xf32>
  %zeros = arith.constant dense<0.0> : tensor<4x8xf32>
  %sixes = arith.constant dense<6.0> : tensor<4x8xf32>
  %lo = linalg.max ins(%res, %zeros : tensor<4x8xf32>, tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) -> tensor<4x8xf32>
  %hi = linalg.min ins(%lo, %sixes : tensor<4x8xf32>, tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) -> tensor<4x8xf32>
  %s = arith.constant dense<0.1> : tensor<f32>
  %y = qat.fake_quant %hi, %s {encoding = #potq.uniform<bits = 8, unsigned>} : tensor<4x8xf32>, tensor<f32>
  return %y : tensor<4x8xf32>
}

// -----

// torch-mlir's convolution bias: the NCHW conv accumulates into a broadcast
// of the bias. The conv runs on a zero fill; the bias is added afterwards,
// indexed by the channel loop d1.
// CHECK-DAG: #[[C1:.*]] = affine_map<(d0, d1, d2, d3) -> (d1)>
// CHECK-DAG: #[[ID4:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @conv_nchw_bias_in_init
// CHECK-SAME: %{{.*}}: tensor<1x3x8x8xf32>, %{{.*}}: tensor<4x3x3x3xf32>, %[[B:.*]]: tensor<4xf32>
// CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[FILL:.*]] = linalg.fill ins(%[[ZERO]] : f32)
// CHECK: %[[CONV:.*]] = linalg.conv_2d_nchw_fchw {{.*}} outs(%[[FILL]] : tensor<1x4x6x6xf32>)
// CHECK: linalg.generic {indexing_maps = [#[[ID4]], #[[C1]], #[[ID4]]]
// CHECK-SAME: ins(%[[CONV]], %[[B]] : tensor<1x4x6x6xf32>, tensor<4xf32>)
// CHECK-NEXT: ^bb0(%[[CV:.*]]: f32, %[[BV:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: arith.addf %[[CV]], %[[BV]] : f32
// CHECK-NOT: linalg.broadcast
func.func @conv_nchw_bias_in_init(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<4xf32>) -> tensor<1x4x6x6xf32> {
  %e = tensor.empty() : tensor<1x4x6x6xf32>
  %bb = linalg.broadcast ins(%b : tensor<4xf32>) outs(%e : tensor<1x4x6x6xf32>) dimensions = [0, 2, 3]
  %conv = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w : tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) outs(%bb : tensor<1x4x6x6xf32>) -> tensor<1x4x6x6xf32>
  return %conv : tensor<1x4x6x6xf32>
}

// -----

// The same for a depthwise NHWC convolution, and for a matmul whose init is
// an arbitrary tensor (a residual written into the init); the dynamic batch
// size of the new init comes from the old one.
// CHECK-LABEL: func.func @depthwise_and_dynamic_init
// CHECK-SAME: %{{.*}}: tensor<1x8x8x3xf32>, %{{.*}}: tensor<3x3x3xf32>, %[[B:.*]]: tensor<3xf32>, %{{.*}}: tensor<?x16xf32>, %{{.*}}: tensor<16x8xf32>, %[[R:.*]]: tensor<?x8xf32>
// CHECK: %[[C0:.*]] = arith.constant 0 : index
// CHECK: %[[DW:.*]] = linalg.depthwise_conv_2d_nhwc_hwc {{.*}} outs(%{{.*}} : tensor<1x6x6x3xf32>)
// CHECK: linalg.generic
// CHECK-SAME: ins(%[[DW]], %[[B]] : tensor<1x6x6x3xf32>, tensor<3xf32>)
// CHECK: %[[N:.*]] = tensor.dim %[[R]], %[[C0]] : tensor<?x8xf32>
// CHECK: %[[E:.*]] = tensor.empty(%[[N]]) : tensor<?x8xf32>
// CHECK: %[[FILL:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%[[E]] : tensor<?x8xf32>)
// CHECK: %[[MM:.*]] = linalg.matmul {{.*}} outs(%[[FILL]] : tensor<?x8xf32>)
// CHECK: linalg.generic
// CHECK-SAME: ins(%[[MM]], %[[R]] : tensor<?x8xf32>, tensor<?x8xf32>)
func.func @depthwise_and_dynamic_init(%x: tensor<1x8x8x3xf32>, %w: tensor<3x3x3xf32>, %b: tensor<3xf32>,
    %a: tensor<?x16xf32>, %v: tensor<16x8xf32>, %r: tensor<?x8xf32>) -> (tensor<1x6x6x3xf32>, tensor<?x8xf32>) {
  %e = tensor.empty() : tensor<1x6x6x3xf32>
  %bb = linalg.broadcast ins(%b : tensor<3xf32>) outs(%e : tensor<1x6x6x3xf32>) dimensions = [0, 1, 2]
  %dw = linalg.depthwise_conv_2d_nhwc_hwc {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w : tensor<1x8x8x3xf32>, tensor<3x3x3xf32>) outs(%bb : tensor<1x6x6x3xf32>) -> tensor<1x6x6x3xf32>
  %mm = linalg.matmul ins(%a, %v : tensor<?x16xf32>, tensor<16x8xf32>) outs(%r : tensor<?x8xf32>) -> tensor<?x8xf32>
  return %dw, %mm : tensor<1x6x6x3xf32>, tensor<?x8xf32>
}

// -----

// Nothing to move: a zero fill, a zero constant, an empty init, and a max
// pooling (its init is the max's identity, not a sum's).
// CHECK-LABEL: func.func @init_stays
// CHECK-DAG: %[[ZC:.*]] = arith.constant dense<0.000000e+00> : tensor<4x8xf32>
// CHECK-DAG: %[[E:.*]] = tensor.empty() : tensor<4x8xf32>
// CHECK-NOT: linalg.generic
// CHECK: %[[F:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%arg2 : tensor<4x8xf32>)
// CHECK: linalg.matmul {{.*}} outs(%[[F]] : tensor<4x8xf32>)
// CHECK: linalg.matmul {{.*}} outs(%[[ZC]] : tensor<4x8xf32>)
// CHECK: linalg.matmul {{.*}} outs(%[[E]] : tensor<4x8xf32>)
// CHECK: linalg.pooling_nhwc_max
// CHECK-NOT: linalg.generic
func.func @init_stays(%x: tensor<4x16xf32>, %w: tensor<16x8xf32>, %zf: tensor<4x8xf32>, %img: tensor<1x4x4x2xf32>)
    -> (tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<1x2x2x2xf32>) {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x8xf32>
  %fill = linalg.fill ins(%zero : f32) outs(%zf : tensor<4x8xf32>) -> tensor<4x8xf32>
  %0 = linalg.matmul ins(%x, %w : tensor<4x16xf32>, tensor<16x8xf32>) outs(%fill : tensor<4x8xf32>) -> tensor<4x8xf32>
  %zc = arith.constant dense<0.0> : tensor<4x8xf32>
  %1 = linalg.matmul ins(%x, %w : tensor<4x16xf32>, tensor<16x8xf32>) outs(%zc : tensor<4x8xf32>) -> tensor<4x8xf32>
  %2 = linalg.matmul ins(%x, %w : tensor<4x16xf32>, tensor<16x8xf32>) outs(%e : tensor<4x8xf32>) -> tensor<4x8xf32>
  %ninf = arith.constant 0xFF800000 : f32
  %pe = tensor.empty() : tensor<1x2x2x2xf32>
  %pinit = linalg.fill ins(%ninf : f32) outs(%pe : tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  %win = tensor.empty() : tensor<2x2xf32>
  %3 = linalg.pooling_nhwc_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
      ins(%img, %win : tensor<1x4x4x2xf32>, tensor<2x2xf32>) outs(%pinit : tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  return %0, %1, %2, %3 : tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<1x2x2x2xf32>
}

// -----

// An elementwise result with two uses is not fused into either user (the
// fused op would otherwise carry it as a second result): the bias add fuses
// into the ReLU, whose result feeds both the fake_quant and a later add.
// CHECK-LABEL: func.func @two_uses
// CHECK: %[[MM:.*]] = linalg.matmul
// CHECK: %[[RELU:.*]] = linalg.generic {{.*}} ins(%[[MM]], %{{.*}} : tensor<4x8xf32>, tensor<8xf32>)
// CHECK: arith.addf
// CHECK-NEXT: arith.maximumf
// CHECK-NEXT: linalg.yield
// CHECK-NEXT: } -> tensor<4x8xf32>
// CHECK: %[[Q:.*]] = qat.fake_quant %[[RELU]]
// CHECK: %[[ADD:.*]] = linalg.generic {{.*}} ins(%[[RELU]], %{{.*}} : tensor<4x8xf32>, tensor<4x8xf32>)
// CHECK-NEXT: ^bb0
// CHECK-NEXT: arith.addf
// CHECK-NEXT: linalg.yield
// CHECK: return %[[Q]], %[[ADD]]
func.func @two_uses(%x: tensor<4x16xf32>, %w: tensor<16x8xf32>, %b: tensor<8xf32>, %y: tensor<4x8xf32>) -> (tensor<4x8xf32>, tensor<4x8xf32>) {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x8xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<4x8xf32>) -> tensor<4x8xf32>
  %mm = linalg.matmul ins(%x, %w : tensor<4x16xf32>, tensor<16x8xf32>) outs(%init : tensor<4x8xf32>) -> tensor<4x8xf32>
  %bb = linalg.broadcast ins(%b : tensor<8xf32>) outs(%e : tensor<4x8xf32>) dimensions = [0]
  %sum = linalg.add ins(%mm, %bb : tensor<4x8xf32>, tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) -> tensor<4x8xf32>
  %zeros = arith.constant dense<0.0> : tensor<4x8xf32>
  %relu = linalg.max ins(%sum, %zeros : tensor<4x8xf32>, tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) -> tensor<4x8xf32>
  %s = arith.constant dense<0.1> : tensor<f32>
  %q = qat.fake_quant %relu, %s {encoding = #potq.uniform<bits = 8, unsigned>} : tensor<4x8xf32>, tensor<f32>
  %add = linalg.add ins(%relu, %y : tensor<4x8xf32>, tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) -> tensor<4x8xf32>
  return %q, %add : tensor<4x8xf32>, tensor<4x8xf32>
}

// -----

// Nothing fuses into a contraction written as a generic with a reduction,
// nor through a fake_quant.
// CHECK-LABEL: func.func @no_fusion_into_reduction
// CHECK: %[[SCALED:.*]] = linalg.generic
// CHECK: arith.mulf
// CHECK: %[[Q:.*]] = qat.fake_quant %[[SCALED]]
// CHECK: %[[WS:.*]] = linalg.generic
// CHECK: arith.mulf
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "reduction"]
// CHECK-SAME: ins(%[[Q]], %[[WS]] : tensor<4x16xf32>, tensor<16x8xf32>)
func.func @no_fusion_into_reduction(%x: tensor<4x16xf32>, %w: tensor<16x8xf32>) -> tensor<4x8xf32> {
  %zero = arith.constant 0.0 : f32
  %e16 = tensor.empty() : tensor<4x16xf32>
  %twos = arith.constant dense<2.0> : tensor<4x16xf32>
  %scaled = linalg.mul ins(%x, %twos : tensor<4x16xf32>, tensor<4x16xf32>) outs(%e16 : tensor<4x16xf32>) -> tensor<4x16xf32>
  %s = arith.constant dense<0.1> : tensor<f32>
  %q = qat.fake_quant %scaled, %s {encoding = #potq.uniform<bits = 8>} : tensor<4x16xf32>, tensor<f32>
  %ew = tensor.empty() : tensor<16x8xf32>
  %halves = arith.constant dense<0.5> : tensor<16x8xf32>
  %ws = linalg.mul ins(%w, %halves : tensor<16x8xf32>, tensor<16x8xf32>) outs(%ew : tensor<16x8xf32>) -> tensor<16x8xf32>
  %e = tensor.empty() : tensor<4x8xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<4x8xf32>) -> tensor<4x8xf32>
  %mm = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d2, d1)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%q, %ws : tensor<4x16xf32>, tensor<16x8xf32>) outs(%init : tensor<4x8xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %p = arith.mulf %a, %c : f32
    %s2 = arith.addf %o, %p : f32
    linalg.yield %s2 : f32
  } -> tensor<4x8xf32>
  return %mm : tensor<4x8xf32>
}
