// RUN: potq-opt %s --potq-recode-weights="mode=nhot terms=1" --split-input-file -verify-diagnostics | FileCheck %s

// New weight scales would change what a raw accumulator means: such layers
// keep their weights.
!x = tensor<1x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e-01>>
!w = tensor<2x2x!potq.q<#potq.uniform<bits = 4>, f32, scale = 1.0e+00>>

// CHECK-LABEL: func.func @raw_accumulator
// CHECK: #potq.uniform<bits = 4>
func.func @raw_accumulator(%x: !x) -> tensor<1x2xi32> {
  %w = potq.constant dense<[[3, 5], [7, 1]]> : tensor<2x2xi8> -> !w
  // expected-warning @+1 {{potq-recode-weights: @raw_accumulator #0 potq.matmul: the result is a raw accumulator, whose scale would change with the weights; left unchanged}}
  %y = potq.matmul %x, %w : !x, !w -> tensor<1x2xi32>
  return %y : tensor<1x2xi32>
}

// -----

// Real weights scale * level overflow binary32.
!x = tensor<1x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e-01>>
!y = tensor<1x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 3.0e+38>>
!w = tensor<2x2x!potq.q<#potq.pot<bits = 4>, f32, scale = 3.0e+38>>

func.func @not_finite(%x: !x) -> !y {
  %w = potq.constant dense<[[64, 1], [2, 4]]> : tensor<2x2xi8> -> !w
  // expected-error @+1 {{potq-recode-weights: @not_finite #0 potq.matmul: weight is not finite}}
  %y = potq.matmul %x, %w : !x, !w -> !y
  return %y : !y
}
