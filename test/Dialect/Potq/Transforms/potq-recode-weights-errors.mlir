// Option and budget diagnostics of potq-recode-weights.
// RUN: not potq-opt %s --potq-recode-weights="mode=fast" 2>&1 | FileCheck %s --check-prefix=MODE --implicit-check-not="current operation"
// RUN: not potq-opt %s --potq-recode-weights="mode=none" 2>&1 | FileCheck %s --check-prefix=MODENONE --implicit-check-not="current operation"
// RUN: not potq-opt %s --potq-recode-weights="mode=nhot terms=1 granularity=row" 2>&1 | FileCheck %s --check-prefix=GRANULARITY --implicit-check-not="current operation"
// RUN: not potq-opt %s --potq-recode-weights="mode=exact terms=2" 2>&1 | FileCheck %s --check-prefix=EXACT
// RUN: not potq-opt %s --potq-recode-weights="mode=nhot" 2>&1 | FileCheck %s --check-prefix=TARGETS
// RUN: not potq-opt %s --potq-recode-weights="mode=nhot terms=2 max-error=0.1" 2>&1 | FileCheck %s --check-prefix=TARGETS
// RUN: not potq-opt %s --potq-recode-weights="mode=nhot terms=5" 2>&1 | FileCheck %s --check-prefix=TERMS
// RUN: not potq-opt %s --potq-recode-weights="mode=nhot terms=1 max-exp=16" 2>&1 | FileCheck %s --check-prefix=MAXEXP
// RUN: not potq-opt %s --potq-recode-weights="mode=nhot max-error=-0.5" 2>&1 | FileCheck %s --check-prefix=MAXERROR
// RUN: not potq-opt %s --potq-recode-weights="mode=nhot term-budget=-3" 2>&1 | FileCheck %s --check-prefix=NEGBUDGET
// RUN: not potq-opt %s --potq-recode-weights="mode=nhot term-budget=3" 2>&1 | FileCheck %s --check-prefix=BUDGET
// RUN: not potq-opt %s --potq-recode-weights="mode=nhot max-error=1e-9 max-exp=0" 2>&1 | FileCheck %s --check-prefix=UNMET
// RUN: not potq-opt %s --potq-recode-weights="report-file=%t.missing/dir/report" 2>&1 | FileCheck %s --check-prefix=REPORT

// MODE: for the --mode option: invalid value 'fast' (expected exact or nhot)
// MODENONE: for the --mode option: invalid value 'none' (expected exact or nhot)
// GRANULARITY: for the --granularity option: invalid value 'row' (expected layer or channel)
// EXACT: error: potq-recode-weights: terms, max-exp, granularity, max-error and term-budget apply to mode=nhot only
// TARGETS: error: potq-recode-weights: mode=nhot needs exactly one of terms, max-error and term-budget
// TERMS: error: potq-recode-weights: terms must be in [1, 4], got 5
// MAXEXP: error: potq-recode-weights: max-exp must be in [0, 15] or -1 (from the data), got 16
// MAXERROR: error: potq-recode-weights: max-error must be a positive finite relative error
// NEGBUDGET: error: potq-recode-weights: term-budget must be positive, got -3
// BUDGET: error: potq-recode-weights: term-budget 3 cannot be met: one term per weight already needs 4 nonzero terms
// UNMET: error: potq-recode-weights: @odd #0 potq.matmul: max-error 1.000000e-09 cannot be met with at most 4 terms; the smallest relative RMS error is
// REPORT: error: potq-recode-weights: {{.*}}report

!x = tensor<1x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e-01>>
!y = tensor<1x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 5.0e-01>>
!w = tensor<2x2x!potq.q<#potq.uniform<bits = 4>, f32, scale = 1.0e+00>>

func.func @odd(%x: !x) -> !y {
  %w = potq.constant dense<[[3, 5], [7, 1]]> : tensor<2x2xi8> -> !w
  %y = potq.matmul %x, %w : !x, !w -> !y
  return %y : !y
}
