// RUN: potq-opt %s -split-input-file -canonicalize | FileCheck %s

// Issue 10 E: splats of 2^32 elements fold to splats, instantly and without
// expanding them; a splat whose channels disagree is too large to expand
// (potq/Limits.h) and stays unfolded.

// 0.3 / 0.1f -> 2 (pot<4>).
// CHECK-LABEL: func.func @quantize_splat
// CHECK: potq.constant dense<2> : tensor<4294967296xi8> -> tensor<4294967296x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e-01>>
// CHECK-NOT: potq.quantize
func.func @quantize_splat() -> tensor<4294967296x!potq.q<#potq.pot<bits = 4>, f32, scale = 0.1>> {
  %cst = arith.constant dense<0.3> : tensor<4294967296xf32>
  %q = potq.quantize %cst : tensor<4294967296xf32> -> tensor<4294967296x!potq.q<#potq.pot<bits = 4>, f32, scale = 0.1>>
  return %q : tensor<4294967296x!potq.q<#potq.pot<bits = 4>, f32, scale = 0.1>>
}

// -----

// -2 * 0.5 = -1.0.
// CHECK-LABEL: func.func @dequantize_splat
// CHECK: arith.constant dense<-1.000000e+00> : tensor<65536x65536xf32>
// CHECK-NOT: potq.dequantize
func.func @dequantize_splat() -> tensor<65536x65536xf32> {
  %c = potq.constant dense<-2> : tensor<65536x65536xi8> -> tensor<65536x65536x!potq.q<#potq.pot<bits = 4>, f32, scale = 0.5>>
  %f = potq.dequantize %c : tensor<65536x65536x!potq.q<#potq.pot<bits = 4>, f32, scale = 0.5>> -> tensor<65536x65536xf32>
  return %f : tensor<65536x65536xf32>
}

// -----

// 100 * (0.5 / 0.25) = 200, clamped to 127.
// CHECK-LABEL: func.func @requantize_splat
// CHECK: potq.constant dense<127> : tensor<4294967296xi8>
// CHECK-NOT: potq.requantize
func.func @requantize_splat() -> tensor<4294967296x!potq.q<#potq.uniform<bits = 8>, f32, scale = 0.25>> {
  %c = potq.constant dense<100> : tensor<4294967296xi8> -> tensor<4294967296x!potq.q<#potq.uniform<bits = 8>, f32, scale = 0.5>>
  %r = potq.requantize %c : tensor<4294967296x!potq.q<#potq.uniform<bits = 8>, f32, scale = 0.5>> -> tensor<4294967296x!potq.q<#potq.uniform<bits = 8>, f32, scale = 0.25>>
  return %r : tensor<4294967296x!potq.q<#potq.uniform<bits = 8>, f32, scale = 0.25>>
}

// -----

// Per-channel scales that agree on the splat (0.0 is level 0 for both)
// still fold to a splat.
// CHECK-LABEL: func.func @per_channel_splat_agrees
// CHECK: potq.constant dense<0> : tensor<2x2147483648xi8>
// CHECK-NOT: potq.quantize
func.func @per_channel_splat_agrees() -> tensor<2x2147483648x!potq.q<#potq.pot<bits = 4>, f32, axis = 0, scales = [1.0, 0.5]>> {
  %cst = arith.constant dense<0.0> : tensor<2x2147483648xf32>
  %q = potq.quantize %cst : tensor<2x2147483648xf32> -> tensor<2x2147483648x!potq.q<#potq.pot<bits = 4>, f32, axis = 0, scales = [1.0, 0.5]>>
  return %q : tensor<2x2147483648x!potq.q<#potq.pot<bits = 4>, f32, axis = 0, scales = [1.0, 0.5]>>
}

// -----

// 1.0 is level 1 at scale 1 and level 2 at scale 0.5: not a splat, and 2^32
// elements are over the limit, so the quantize stays.
// CHECK-LABEL: func.func @per_channel_splat_too_large
// CHECK: potq.quantize
func.func @per_channel_splat_too_large() -> tensor<2x2147483648x!potq.q<#potq.pot<bits = 4>, f32, axis = 0, scales = [1.0, 0.5]>> {
  %cst = arith.constant dense<1.0> : tensor<2x2147483648xf32>
  %q = potq.quantize %cst : tensor<2x2147483648xf32> -> tensor<2x2147483648x!potq.q<#potq.pot<bits = 4>, f32, axis = 0, scales = [1.0, 0.5]>>
  return %q : tensor<2x2147483648x!potq.q<#potq.pot<bits = 4>, f32, axis = 0, scales = [1.0, 0.5]>>
}

// -----

// The same splat with few elements is expanded per channel.
// CHECK-LABEL: func.func @per_channel_splat_small
// CHECK: potq.constant dense<{{\[}}[1, 1], [2, 2]]> : tensor<2x2xi8>
func.func @per_channel_splat_small() -> tensor<2x2x!potq.q<#potq.pot<bits = 4>, f32, axis = 0, scales = [1.0, 0.5]>> {
  %cst = arith.constant dense<1.0> : tensor<2x2xf32>
  %q = potq.quantize %cst : tensor<2x2xf32> -> tensor<2x2x!potq.q<#potq.pot<bits = 4>, f32, axis = 0, scales = [1.0, 0.5]>>
  return %q : tensor<2x2x!potq.q<#potq.pot<bits = 4>, f32, axis = 0, scales = [1.0, 0.5]>>
}

// -----

// qat.fake_quant of a splat with a splat scale tensor: it has no folder
// (docs/Qat.md), so canonicalization keeps it without expanding anything.
// CHECK-LABEL: func.func @fake_quant_splat
// CHECK: qat.fake_quant %{{.*}}, %{{.*}} {{.*}} : tensor<4294967296xf32>, tensor<4294967296xf32>
func.func @fake_quant_splat() -> tensor<4294967296xf32> {
  %x = arith.constant dense<0.3> : tensor<4294967296xf32>
  %s = arith.constant dense<0.1> : tensor<4294967296xf32>
  %y = qat.fake_quant %x, %s {encoding = #potq.pot<bits = 4>, axis = 0 : i64, estimator = #qat.estimator<ste>} : tensor<4294967296xf32>, tensor<4294967296xf32>
  return %y : tensor<4294967296xf32>
}
