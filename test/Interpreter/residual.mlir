// A contraction with a residual, by hand, in the interpreter and compiled.
// RUN: potq-run %s --print | FileCheck %s
// RUN: potq-run %s --jit --pipeline='builtin.module(convert-potq-to-linalg)' --print | FileCheck %s

// acc = [1, 2] . [[1, 1], [2, -1]] = [5, -1] at scale sx * sw = 1.
// Residual R = [3, 3]: with sr = 2, (R - 0) * 2 = 6 -> [11, 5];
// with sr = 0.5, round_shift(3 * 0.5) = 1.5 -> 2 (round half up) -> [7, 1];
// the fused ReLU (clamp_min = 0) applies after the addition: with R = [0, 0]
// the second output -1 clamps to 0.
// CHECK: result 0: {{.*}} = {{\[\[}}11, 5]]
// CHECK: result 1: {{.*}} = {{\[\[}}7, 1]]
// CHECK: result 2: {{.*}} = {{\[\[}}5, 0]]
!x = !potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>
!w = !potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e+00>
!r2 = !potq.q<#potq.uniform<bits = 8>, f32, scale = 2.0e+00>
!rh = !potq.q<#potq.uniform<bits = 8>, f32, scale = 5.0e-01>
func.func @main() -> (tensor<1x2x!x>, tensor<1x2x!x>, tensor<1x2x!x>) {
  %x = potq.constant dense<[[1, 2]]> : tensor<1x2xi8> -> tensor<1x2x!x>
  %w = potq.constant dense<[[1, 1], [2, -1]]> : tensor<2x2xi8> -> tensor<2x2x!w>
  %r2 = potq.constant dense<3> : tensor<1x2xi8> -> tensor<1x2x!r2>
  %rh = potq.constant dense<3> : tensor<1x2xi8> -> tensor<1x2x!rh>
  %r0 = potq.constant dense<0> : tensor<1x2xi8> -> tensor<1x2x!rh>
  %a = potq.matmul %x, %w residual(%r2 : tensor<1x2x!r2>) : tensor<1x2x!x>, tensor<2x2x!w> -> tensor<1x2x!x>
  %b = potq.matmul %x, %w residual(%rh : tensor<1x2x!rh>) : tensor<1x2x!x>, tensor<2x2x!w> -> tensor<1x2x!x>
  %c = potq.matmul %x, %w residual(%r0 : tensor<1x2x!rh>) {clamp_min = 0 : i64} : tensor<1x2x!x>, tensor<2x2x!w> -> tensor<1x2x!x>
  return %a, %b, %c : tensor<1x2x!x>, tensor<1x2x!x>, tensor<1x2x!x>
}
