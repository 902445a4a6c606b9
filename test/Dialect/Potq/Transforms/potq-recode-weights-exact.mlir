// RUN: potq-opt %s --potq-recode-weights="report-file=-" | FileCheck %s
// RUN: potq-opt %s --potq-recode-weights="report-file=-" -o /dev/null | FileCheck %s --check-prefix=REPORT
// RUN: potq-opt %s --potq-recode-weights 2>&1 >/dev/null | FileCheck %s --check-prefix=NOREPORT --allow-empty

// Exact mode: every level keeps its value; the type becomes the tightest
// nhot encoding of the levels in their minimal signed-digit (NAF) form.
// NOREPORT-NOT: potq-recode-weights

!x = tensor<2x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e-01>>
!y = tensor<2x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 5.0e-01>>
// 3 = 4 - 1, 7 = 8 - 1 and -120 = -128 + 8 need two digits; 120 needs 2^7.
// CHECK-LABEL: func.func @uniform
// CHECK: potq.constant dense<{{\[\[}}3, 7], [-120, 0]]> : tensor<2x2xi16> -> tensor<2x2x!potq.q<#potq.nhot<terms = 2, max_exp = 7>, f32, scale = 2.5e-01>>
func.func @uniform(%x: !x) -> !y {
  %w = potq.constant dense<[[3, 7], [-120, 0]]> : tensor<2x2xi8> -> tensor<2x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 2.5e-01>>
  %y = potq.matmul %x, %w : !x, tensor<2x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 2.5e-01>> -> !y
  return %y : !y
}
// APoT construction terms (7 = 4 + 2 + 1) become CSD (7 = 8 - 1): 12 -> 10 terms.
// CHECK-LABEL: func.func @apot
// CHECK: -> tensor<2x2x!potq.q<#potq.nhot<terms = 3, max_exp = 6>, f32, axis = 1, scales = [1.0e-01, 2.0e-01]>>
func.func @apot(%x: !x) -> !y {
  %w = potq.constant dense<[[7, 21], [-14, 69]]> : tensor<2x2xi8> -> tensor<2x2x!potq.q<#potq.apot<bits = 6>, f32, axis = 1, scales = [1.0e-01, 2.0e-01]>>
  %y = potq.matmul %x, %w : !x, tensor<2x2x!potq.q<#potq.apot<bits = 6>, f32, axis = 1, scales = [1.0e-01, 2.0e-01]>> -> !y
  return %y : !y
}

// REPORT: potq-recode-weights: @uniform #0 potq.matmul: uniform<bits = 8> -> nhot<terms = 2, max_exp = 7>, terms 6 -> 6, mse 0, max abs 0, relative rms 0
// REPORT: potq-recode-weights: @apot #0 potq.matmul: apot<bits = 6> -> nhot<terms = 3, max_exp = 6>, terms 12 -> 10, mse 0, max abs 0, relative rms 0
// REPORT: potq-recode-weights: total: 2 layers, terms 18 -> 16
