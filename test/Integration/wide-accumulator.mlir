// A wide accumulator end to end: the interpreter (SPEC section 6 formula
// without the i32 limit) and the compiled code (i64 accumulation, i128
// requantization) agree with the hand-computed levels.
// RUN: potq-run %s --print | FileCheck %s
// RUN: potq-run %s --jit --pipeline='builtin.module(convert-potq-to-linalg)' --print | FileCheck %s
// RUN: potq-opt %s --convert-potq-to-linalg | FileCheck %s --check-prefix=IR

// acc = 8 * 32767 * 16384 = 4294705152 (beyond i32).
// m = 1 / 2^26 (a power of two: a rounding shift): (acc + 2^25) >> 26 = 64.
// m = 1 / (3 * 2^24) (M * 2^-sh): round(acc / 50331648) = round(85.33) = 85.
// CHECK: result 0: {{.*}} = {{\[\[}}64]]
// CHECK: result 1: {{.*}} = {{\[\[}}85]]
// IR: arith.extsi %{{.*}} : i64 to i128
// IR: arith.muli %{{.*}} : i128

!x = !potq.q<#potq.uniform<bits = 16>, f32, scale = 1.0e+00>
!w = !potq.q<#potq.pot<bits = 5>, f32, scale = 1.0e+00>
!y1 = !potq.q<#potq.uniform<bits = 8>, f32, scale = 6.7108864e+07>
!y2 = !potq.q<#potq.uniform<bits = 8>, f32, scale = 5.0331648e+07>
func.func @main() -> (tensor<1x1x!y1>, tensor<1x1x!y2>) {
  %x = potq.constant dense<32767> : tensor<1x8xi16> -> tensor<1x8x!x>
  %w = potq.constant dense<16384> : tensor<8x1xi16> -> tensor<8x1x!w>
  %a = potq.matmul %x, %w {wide_accumulator} : tensor<1x8x!x>, tensor<8x1x!w> -> tensor<1x1x!y1>
  %b = potq.matmul %x, %w {wide_accumulator} : tensor<1x8x!x>, tensor<8x1x!w> -> tensor<1x1x!y2>
  return %a, %b : tensor<1x1x!y1>, tensor<1x1x!y2>
}
