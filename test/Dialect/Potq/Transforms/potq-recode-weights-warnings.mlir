// RUN: potq-opt %s --potq-recode-weights --split-input-file -verify-diagnostics | FileCheck %s

!x = tensor<1x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e-01>>
!y = tensor<1x2xi32>
!w16 = tensor<2x2x!potq.q<#potq.uniform<bits = 16>, f32, scale = 1.0e+00>>

// 341 = 101010101b has five nonzero signed digits: no nhot encoding holds it.
// CHECK-LABEL: func.func @too_many_digits
// CHECK: #potq.uniform<bits = 16>
func.func @too_many_digits(%x: !x) -> !y {
  %w = potq.constant dense<[[341, 1], [2, 3]]> : tensor<2x2xi16> -> !w16
  // expected-warning @+1 {{potq-recode-weights: @too_many_digits #0 potq.matmul: some level needs more than 4 signed digits or an exponent above 15; left unchanged}}
  %y = potq.matmul %x, %w : !x, !w16 -> !y
  return %y : !y
}

// -----

!x = tensor<1x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e-01>>
!y = tensor<1x2xi32>
!w = tensor<2x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>

// CHECK-LABEL: func.func @shared
// CHECK: #potq.uniform<bits = 8>
func.func @shared(%x: !x) -> (!y, !y) {
  %w = potq.constant dense<[[3, 1], [2, 3]]> : tensor<2x2xi8> -> !w
  // expected-warning @+1 {{potq-recode-weights: @shared #0 potq.matmul: the weight is shared with other ops; left unchanged}}
  %a = potq.matmul %x, %w : !x, !w -> !y
  // expected-warning @+1 {{potq-recode-weights: @shared #1 potq.matmul: the weight is shared with other ops; left unchanged}}
  %b = potq.matmul %x, %w : !x, !w -> !y
  return %a, %b : !y, !y
}

