// All-zero weights have no shift-add terms. The lowering still emits one
// (exponent, sign = 0) plane pair: the planes are the only operands that
// carry a convolution's kernel-window loops, and without them the generic
// was invalid ("indexing maps are non-invertible"). Found by
// potq-fuzz-differential (docs/Reliability.md). The results are all zero
// levels, in the interpreter and in compiled code alike.
// RUN: potq-opt %s --convert-potq-to-linalg | FileCheck %s
// RUN: potq-run %s --entry=depthwise --jit | FileCheck %s --check-prefix=RUN-DW
// RUN: potq-run %s --entry=depthwise --interpret | FileCheck %s --check-prefix=RUN-DW
// RUN: potq-run %s --entry=nhwc --jit | FileCheck %s --check-prefix=RUN-NHWC
// RUN: potq-run %s --entry=nchw --jit | FileCheck %s --check-prefix=RUN-NCHW

!x = tensor<1x3x4x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 5.0e-01, zero_point = 3>>
!xc = tensor<1x2x3x4x!potq.q<#potq.uniform<bits = 8>, f32, scale = 5.0e-01>>
!wdw = tensor<2x2x2x!potq.q<#potq.apot<bits = 3>, f32, scale = 1.0e+00>>
!whwcf = tensor<2x2x2x3x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e+00>>
!wfchw = tensor<3x2x2x2x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e+00>>

// CHECK-LABEL: func.func @depthwise
// CHECK: arith.constant dense<0> : tensor<2x2x2xi8>
// CHECK: linalg.generic
// CHECK-SAME: iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]
// RUN-DW: result 0: tensor<1x2x3x2xi32> = {{\[\[\[}}[0, 0], [0, 0], [0, 0]], {{\[\[}}0, 0], [0, 0], [0, 0]]]]
func.func @depthwise() -> tensor<1x2x3x2xi32> {
  %x = potq.constant dense<7> : tensor<1x3x4x2xi8> -> !x
  %w = potq.constant dense<0> : tensor<2x2x2xi8> -> !wdw
  %y = potq.depthwise_conv_2d_nhwc_hwc %x, %w {dilations = array<i64: 1, 1>, strides = array<i64: 1, 1>} : !x, !wdw -> tensor<1x2x3x2xi32>
  return %y : tensor<1x2x3x2xi32>
}

// CHECK-LABEL: func.func @nhwc
// CHECK: linalg.generic
// RUN-NHWC: result 0: tensor<1x2x3x3xi32> = {{\[\[\[}}[0, 0, 0], [0, 0, 0], [0, 0, 0]], {{\[\[}}0, 0, 0], [0, 0, 0], [0, 0, 0]]]]
func.func @nhwc() -> tensor<1x2x3x3xi32> {
  %x = potq.constant dense<7> : tensor<1x3x4x2xi8> -> !x
  %w = potq.constant dense<0> : tensor<2x2x2x3xi8> -> !whwcf
  %y = potq.conv_2d_nhwc_hwcf %x, %w {dilations = array<i64: 1, 1>, strides = array<i64: 1, 1>} : !x, !whwcf -> tensor<1x2x3x3xi32>
  return %y : tensor<1x2x3x3xi32>
}

// CHECK-LABEL: func.func @nchw
// CHECK: linalg.generic
// RUN-NCHW: result 0: tensor<1x3x2x3xi32> = {{\[\[\[}}[0, 0, 0], [0, 0, 0]], {{\[\[}}0, 0, 0], [0, 0, 0]], {{\[\[}}0, 0, 0], [0, 0, 0]]]]
func.func @nchw() -> tensor<1x3x2x3xi32> {
  %x = potq.constant dense<7> : tensor<1x2x3x4xi8> -> !xc
  %w = potq.constant dense<0> : tensor<3x2x2x2xi8> -> !wfchw
  %y = potq.conv_2d_nchw_fchw %x, %w {dilations = array<i64: 1, 1>, strides = array<i64: 1, 1>} : !xc, !wfchw -> tensor<1x3x2x3xi32>
  return %y : tensor<1x3x2x3xi32>
}
