// RUN: potq-opt %s -split-input-file --potq-verify-accumulators=widen-i64=true -verify-diagnostics | FileCheck %s

// With widen-i64, a quantized contraction whose i32 bound fails gets an i64
// accumulator instead of an error: 8 * 32767 * 16384 >= 2^31.
// CHECK-LABEL: func.func @widened
// CHECK: potq.matmul {{.*}} {wide_accumulator}
func.func @widened(%x: tensor<1x8x!potq.q<#potq.uniform<bits = 16>, f32, scale = 1.0e+00>>) -> tensor<1x1x!potq.q<#potq.uniform<bits = 8>, f32, scale = 6.7108864e+07>> {
  %w = potq.constant dense<16384> : tensor<8x1xi16> -> tensor<8x1x!potq.q<#potq.pot<bits = 5>, f32, scale = 1.0e+00>>
  %y = potq.matmul %x, %w : tensor<1x8x!potq.q<#potq.uniform<bits = 16>, f32, scale = 1.0e+00>>, tensor<8x1x!potq.q<#potq.pot<bits = 5>, f32, scale = 1.0e+00>> -> tensor<1x1x!potq.q<#potq.uniform<bits = 8>, f32, scale = 6.7108864e+07>>
  return %y : tensor<1x1x!potq.q<#potq.uniform<bits = 8>, f32, scale = 6.7108864e+07>>
}

// -----

// A bound that fits keeps the i32 accumulator.
// CHECK-LABEL: func.func @fits
// CHECK-NOT: wide_accumulator
func.func @fits(%x: tensor<1x8x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>) -> tensor<1x1x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>> {
  %w = potq.constant dense<64> : tensor<8x1xi8> -> tensor<8x1x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e+00>>
  %y = potq.matmul %x, %w : tensor<1x8x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>, tensor<8x1x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e+00>> -> tensor<1x1x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>
  return %y : tensor<1x1x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>
}

// -----

// An i32 result is the raw i32 accumulator: widening cannot help.
func.func @raw_i32(%x: tensor<1x8x!potq.q<#potq.uniform<bits = 16>, f32, scale = 1.0e+00>>) -> tensor<1x1xi32> {
  %w = potq.constant dense<16384> : tensor<8x1xi16> -> tensor<8x1x!potq.q<#potq.pot<bits = 5>, f32, scale = 1.0e+00>>
  // expected-error@+1 {{accumulator may overflow i32: output channel 0 can reach 4294967296 (max |x - Zx| = 32768 times Σ|W| = 131072}}
  %y = potq.matmul %x, %w : tensor<1x8x!potq.q<#potq.uniform<bits = 16>, f32, scale = 1.0e+00>>, tensor<8x1x!potq.q<#potq.pot<bits = 5>, f32, scale = 1.0e+00>> -> tensor<1x1xi32>
  return %y : tensor<1x1xi32>
}
