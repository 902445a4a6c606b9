// Accumulator overflows of the potq contractions are errors naming the op
// and the result index (SPEC section 6: the accumulator is i32).

// RUN: not potq-run %s --entry=i32_overflow 2>&1 | FileCheck %s --check-prefix=I32
// RUN: not potq-run %s --entry=requantize_overflow 2>&1 | FileCheck %s --check-prefix=REQ
// RUN: not potq-run %s --entry=bias_overflow 2>&1 | FileCheck %s --check-prefix=BIAS
// RUN: potq-run %s --entry=i64_no_overflow | FileCheck %s --check-prefix=I64
// RUN: not potq-run %s --entry=fake_quant_scale 2>&1 | FileCheck %s --check-prefix=SCALE
// RUN: not potq-run %s --entry=runtime_reduction 2>&1 | FileCheck %s --check-prefix=KDIM
// RUN: not potq-run %s --entry=runtime_window 2>&1 | FileCheck %s --check-prefix=WINDOW

!x16 = !potq.q<#potq.uniform<bits = 16>, f32, scale = 1.0>
!wn = !potq.q<#potq.nhot<terms = 4, max_exp = 15>, f32, scale = 1.0>

// 32767 * 131072 = 4294836224 >= 2^31 at index [0, 1].
// I32: potq-errors.mlir:[[@LINE+5]]:8: error: 'potq.matmul' op accumulator 4294836224 at result index [0, 1] overflows the i32 result
// I32: potq-run: error: execution of @i32_overflow failed
func.func @i32_overflow() -> tensor<1x2xi32> {
  %x = potq.constant dense<[[32767]]> : tensor<1x1xi16> -> tensor<1x1x!x16>
  %w = potq.constant dense<[[1, 131072]]> : tensor<1x2xi32> -> tensor<1x2x!wn>
  %0 = potq.matmul %x, %w : tensor<1x1x!x16>, tensor<1x2x!wn> -> tensor<1x2xi32>
  return %0 : tensor<1x2xi32>
}

// The same accumulator widened to i64 is fine.
// I64: result 0: tensor<1x2xi64> = {{\[\[}}32767, 4294836224]]
func.func @i64_no_overflow() -> tensor<1x2xi64> {
  %x = potq.constant dense<[[32767]]> : tensor<1x1xi16> -> tensor<1x1x!x16>
  %w = potq.constant dense<[[1, 131072]]> : tensor<1x2xi32> -> tensor<1x2x!wn>
  %0 = potq.matmul %x, %w : tensor<1x1x!x16>, tensor<1x2x!wn> -> tensor<1x2xi64>
  return %0 : tensor<1x2xi64>
}

// A requantized result needs |acc| < 2^31: -32768 * 65536 = -2^31 fails.
// REQ: error: 'potq.conv_2d_nhwc_hwcf' op accumulator -2147483648 at result index [0, 0, 0, 0] overflows: requantization needs |acc| < 2^31 (SPEC section 6)
func.func @requantize_overflow() -> tensor<1x1x1x1x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>> {
  %x = potq.constant dense<-32768> : tensor<1x1x1x1xi16> -> tensor<1x1x1x1x!x16>
  %w = potq.constant dense<65536> : tensor<1x1x1x1xi32> -> tensor<1x1x1x1x!wn>
  %0 = potq.conv_2d_nhwc_hwcf %x, %w : tensor<1x1x1x1x!x16>, tensor<1x1x1x1x!wn>
      -> tensor<1x1x1x1x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>
  return %0 : tensor<1x1x1x1x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>
}

// The bias is part of the accumulator: 2^31 - 1 + 1 overflows i32.
// BIAS: error: 'potq.batch_matmul' op accumulator 2147483648 at result index [0, 0, 0] overflows the i32 result
func.func @bias_overflow() -> tensor<1x1x1xi32> {
  %x = potq.constant dense<1> : tensor<1x1x1xi16> -> tensor<1x1x1x!x16>
  %w = potq.constant dense<1> : tensor<1x1x1xi32> -> tensor<1x1x1x!wn>
  %b = arith.constant dense<2147483647> : tensor<1xi32>
  %0 = potq.batch_matmul %x, %w bias %b : tensor<1x1x1x!x16>, tensor<1x1x1x!wn>, tensor<1xi32> -> tensor<1x1x1xi32>
  return %0 : tensor<1x1x1xi32>
}

// fake_quant scales must be positive and finite at runtime too.
// SCALE: error: 'qat.fake_quant' op scale[1] = 0.000000e+00 must be positive and finite
func.func @fake_quant_scale() -> tensor<2xf32> {
  %x = arith.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %s = arith.constant dense<[1.0, 0.0]> : tensor<2xf32>
  %0 = qat.fake_quant %x, %s {encoding = #potq.pot<bits = 4>, axis = 0 : i64} : tensor<2xf32>, tensor<2xf32>
  return %0 : tensor<2xf32>
}

// Dynamic sizes are checked at runtime by the op's own shape rule (the one
// its verifier applies to static sizes), through ContractionOpInterface.
// KDIM: error: 'potq.matmul' op reduction sizes differ: input [1, 3] and weight [2, 2]
func.func @runtime_reduction() -> tensor<1x2xi32> {
  %x = potq.constant dense<[[1, 2, 3]]> : tensor<1x3xi16> -> tensor<1x3x!x16>
  %xd = tensor.cast %x : tensor<1x3x!x16> to tensor<1x?x!x16>
  %w = potq.constant dense<1> : tensor<2x2xi32> -> tensor<2x2x!wn>
  %0 = potq.matmul %xd, %w : tensor<1x?x!x16>, tensor<2x2x!wn> -> tensor<1x2xi32>
  return %0 : tensor<1x2xi32>
}

// WINDOW: error: 'potq.depthwise_conv_2d_nhwc_hwc' op input height 2 is smaller than the dilated filter height 3
func.func @runtime_window() -> tensor<1x?x1x1xi32> {
  %x = potq.constant dense<1> : tensor<1x2x3x1xi16> -> tensor<1x2x3x1x!x16>
  %xd = tensor.cast %x : tensor<1x2x3x1x!x16> to tensor<1x?x3x1x!x16>
  %w = potq.constant dense<1> : tensor<3x3x1xi32> -> tensor<3x3x1x!wn>
  %0 = potq.depthwise_conv_2d_nhwc_hwc %xd, %w : tensor<1x?x3x1x!x16>, tensor<3x3x1x!wn> -> tensor<1x?x1x1xi32>
  return %0 : tensor<1x?x1x1xi32>
}
