// RUN: potq-opt %s --potq-recode-weights="mode=nhot terms=1" -verify-diagnostics

// A bias that is not a constant cannot follow new weight scales.
!x = tensor<1x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e-01>>
!y = tensor<1x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 5.0e-01>>
!w = tensor<2x2x!potq.q<#potq.uniform<bits = 4>, f32, scale = 1.0e+00>>

func.func @bias_argument(%x: !x, %b: tensor<2xi32>) -> !y {
  %w = potq.constant dense<[[3, 5], [7, 1]]> : tensor<2x2xi8> -> !w
  // expected-error @+1 {{potq-recode-weights: @bias_argument #0 potq.matmul: the bias is not a constant, so it cannot follow the new weight scales}}
  %y = potq.matmul %x, %w bias %b : !x, !w, tensor<2xi32> -> !y
  return %y : !y
}
