// RUN: potq-opt %s --potq-recode-weights="mode=nhot terms=1 max-exp=3 report-file=%t.report" | FileCheck %s --check-prefix=N1
// RUN: FileCheck %s --check-prefix=N1-REPORT < %t.report
// RUN: potq-opt %s --potq-recode-weights="mode=nhot max-error=0.01" | FileCheck %s --check-prefix=ERR
// RUN: potq-opt %s --potq-recode-weights="mode=nhot term-budget=8" | FileCheck %s --check-prefix=BUDGET8
// RUN: potq-opt %s --potq-recode-weights="mode=nhot term-budget=11" | FileCheck %s --check-prefix=BUDGET11
// RUN: potq-opt %s --potq-recode-weights="mode=nhot terms=1 max-exp=3 granularity=channel" | FileCheck %s --check-prefix=CHANNEL

// Budgeted n-hot: real weights s * L are projected onto nhot<N, E> with msqe
// scales; constant biases follow the new scales.

!x = tensor<1x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e-01>>
!y = tensor<1x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 5.0e-01>>
!wpot = tensor<2x2x!potq.q<#potq.pot<bits = 4>, f32, scale = 5.0e-01>>
!wuni = tensor<2x2x!potq.q<#potq.uniform<bits = 4>, f32, scale = 1.0e+00>>

// Already one term each: exact at the same scale; the bias is unchanged.
// N1-LABEL: func.func @on_grid
// N1: potq.constant dense<{{\[\[}}1, 2], [4, 8]]> : tensor<2x2xi8> -> tensor<2x2x!potq.q<#potq.nhot<terms = 1, max_exp = 3>, f32, scale = 5.0e-01>>
// N1: %[[B:.*]] = arith.constant dense<[10, -6]> : tensor<2xi32>
// N1: potq.matmul %{{.*}}, %{{.*}} bias %[[B]]
// ERR-LABEL: func.func @on_grid
// ERR: nhot<terms = 1, max_exp = 3>, f32, scale = 5.0e-01
// CHANNEL-LABEL: func.func @on_grid
// CHANNEL: potq.constant dense<{{\[\[}}2, 2], [8, 8]]> : tensor<2x2xi8> -> tensor<2x2x!potq.q<#potq.nhot<terms = 1, max_exp = 3>, f32, axis = 1, scales = [2.5e-01, 5.0e-01]>>
// CHANNEL: arith.constant dense<[20, -6]> : tensor<2xi32>
func.func @on_grid(%x: !x) -> !y {
  %w = potq.constant dense<[[1, 2], [4, 8]]> : tensor<2x2xi8> -> !wpot
  %b = arith.constant dense<[10, -6]> : tensor<2xi32>
  %y = potq.matmul %x, %w bias %b : !x, !wpot, tensor<2xi32> -> !y
  return %y : !y
}

// 3, 5, 7 need two terms: one term per weight loses precision, two are
// exact (7 = 8 - 1). With one term the scale grows and the bias 8 * 0.1 * 1.0
// becomes 11 levels at 0.1 * 0.7517241.
// N1-LABEL: func.func @odd
// N1: potq.constant dense<{{\[\[}}4, 8], [8, 1]]> : tensor<2x2xi8> -> tensor<2x2x!potq.q<#potq.nhot<terms = 1, max_exp = 3>, f32, scale = 7.517241e-01>>
// N1: %[[B:.*]] = arith.constant dense<11> : tensor<2xi32>
// N1-NOT: arith.constant dense<8>
// N1: potq.matmul %{{.*}}, %{{.*}} bias %[[B]]
// ERR-LABEL: func.func @odd
// ERR: potq.constant dense<{{\[\[}}3, 5], [7, 1]]> : tensor<2x2xi8> -> tensor<2x2x!potq.q<#potq.nhot<terms = 2, max_exp = 3>, f32, scale = 1.0e+00>>
// ERR: arith.constant dense<8> : tensor<2xi32>
// BUDGET8-LABEL: func.func @odd
// BUDGET8: nhot<terms = 1, max_exp = 3>
// BUDGET11-LABEL: func.func @odd
// BUDGET11: nhot<terms = 2, max_exp = 3>, f32, scale = 1.0e+00
// CHANNEL-LABEL: func.func @odd
// CHANNEL: potq.constant dense<{{\[\[}}4, 8], [8, 2]]> : tensor<2x2xi8> -> tensor<2x2x!potq.q<#potq.nhot<terms = 1, max_exp = 3>, f32, axis = 1, scales = [8.5e-01, 6.1764705e-01]>>
// CHANNEL: arith.constant dense<[9, 13]> : tensor<2xi32>
func.func @odd(%x: !x) -> !y {
  %w = potq.constant dense<[[3, 5], [7, 1]]> : tensor<2x2xi8> -> !wuni
  %b = arith.constant dense<8> : tensor<2xi32>
  %y = potq.matmul %x, %w bias %b : !x, !wuni, tensor<2xi32> -> !y
  return %y : !y
}

// N1-REPORT: potq-recode-weights: @on_grid #0 potq.matmul: pot<bits = 4> -> nhot<terms = 1, max_exp = 3>, terms 4 -> 4, mse 0, max abs 0, relative rms 0
// N1-REPORT: potq-recode-weights: @odd #0 potq.matmul: uniform<bits = 4> -> nhot<terms = 1, max_exp = 3>, terms 7 -> 4, mse 0.515517, max abs 1.01379, relative rms 0.156679
// N1-REPORT: potq-recode-weights: total: 2 layers, terms 11 -> 8
