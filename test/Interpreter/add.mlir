// potq.add by hand, in the interpreter and compiled.
// RUN: potq-run %s --print | FileCheck %s
// RUN: potq-run %s --jit --pipeline='builtin.module(convert-potq-to-linalg)' --print | FileCheck %s

// sa = 0.5, sb = 0.25, sy = 1 (both multipliers powers of two, S = 2):
//   3*0.5 + 2*0.25 = 2.0 -> 2;   1*0.5 + 3*0.25 = 1.25 -> 1;
//   1*0.5 + 0 = 0.5 -> 1 (round half up);  -1*0.5 + 0 = -0.5 -> 0;
//   -4*0.5 - 4*0.25 = -3 -> -3, and 0 with the fused ReLU (clamp_min = 0).
// CHECK: result 0: {{.*}} = [2, 1, 1, 0, -3]
// CHECK: result 1: {{.*}} = [2, 1, 1, 0, 0]
// A general multiplier (sb = 0.3): 10*0.5 + 10*0.3 = 8.0000001 -> 8.
// CHECK: result 2: {{.*}} = [8]
!a = !potq.q<#potq.uniform<bits = 8>, f32, scale = 5.0e-01>
!b = !potq.q<#potq.uniform<bits = 8>, f32, scale = 2.5e-01>
!c = !potq.q<#potq.uniform<bits = 8>, f32, scale = 3.0e-01>
!y = !potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>
func.func @main() -> (tensor<5x!y>, tensor<5x!y>, tensor<1x!y>) {
  %a = potq.constant dense<[3, 1, 1, -1, -4]> : tensor<5xi8> -> tensor<5x!a>
  %b = potq.constant dense<[2, 3, 0, 0, -4]> : tensor<5xi8> -> tensor<5x!b>
  %y = potq.add %a, %b : tensor<5x!a>, tensor<5x!b> -> tensor<5x!y>
  %r = potq.add %a, %b {clamp_min = 0 : i64} : tensor<5x!a>, tensor<5x!b> -> tensor<5x!y>
  %p = potq.constant dense<10> : tensor<1xi8> -> tensor<1x!a>
  %q = potq.constant dense<10> : tensor<1xi8> -> tensor<1x!c>
  %g = potq.add %p, %q : tensor<1x!a>, tensor<1x!c> -> tensor<1x!y>
  return %y, %r, %g : tensor<5x!y>, tensor<5x!y>, tensor<1x!y>
}
