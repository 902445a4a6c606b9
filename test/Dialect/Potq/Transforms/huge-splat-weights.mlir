// Issue 10 E: splat weights of 2^33 elements are never expanded element by
// element. The cost report counts them from their one level; recoding,
// which must expand them, refuses with the op and the size.
// RUN: potq-opt %s --potq-cost-report -o /dev/null 2>/dev/null | FileCheck %s --check-prefix=COST
// RUN: potq-opt %s --potq-recode-weights -split-input-file -verify-diagnostics -o /dev/null

!x = tensor<1x4294967296x!potq.q<#potq.uniform<bits = 2, unsigned>, f32, scale = 1.0e+00>>
!w = tensor<4294967296x2x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e+00>>

// Level 4 = x << 2: one term and one shift per weight; per column
// 2^32 - 1 adds; shared: one x << 2 per row, 2 * (2^32 - 1) adds.
// COST-LABEL: potq-cost-report: @splat #0 potq.matmul: weight 4294967296x2 pot<bits = 4>, 1 position, i64 accumulator
// COST-NEXT: weights 8589934592, nonzero 8589934592, storage 34359738368 bits
// COST-NEXT: terms 8589934592 (binary digits 8589934592)
// COST-NEXT: shift-add: 8589934592 shifts, 8589934590 adds
// COST-NEXT: shared:    4294967296 shifts, 8589934590 adds
func.func @splat(%x: !x) -> tensor<1x2xi64> {
  %w = potq.constant dense<4> : tensor<4294967296x2xi8> -> !w
  // expected-error@+1 {{'potq.matmul' op cannot materialise the weight for potq-recode-weights of 8589934592 elements (32 bytes each): over potq's limit of 1073741824 bytes per tensor}}
  %y = potq.matmul %x, %w : !x, !w -> tensor<1x2xi64>
  return %y : tensor<1x2xi64>
}
