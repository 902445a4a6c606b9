// potq-specialize-dynamic-dims: every dynamic dimension of a public
// function's tensor arguments gets the size, static shapes propagate, and
// results follow where every returned value is one static type.
// RUN: potq-opt %s '--potq-specialize-dynamic-dims=size=3' | FileCheck %s

// The dynamic batch of a network: the cast, the tensor.dim and the dynamic
// tensor.empty fold away; the result becomes static.
// CHECK-LABEL: func.func @scale
// CHECK-SAME: (%[[X:.*]]: tensor<3x8xf32>) -> tensor<3x8xf32>
// CHECK-NOT: tensor.cast
// CHECK-NOT: tensor.dim
// CHECK: %[[E:.*]] = tensor.empty() : tensor<3x8xf32>
// CHECK: linalg.generic {{.*}} ins(%[[X]], %{{.*}} : tensor<3x8xf32>, tensor<8xf32>) outs(%[[E]] : tensor<3x8xf32>)
// CHECK: return %{{.*}} : tensor<3x8xf32>
func.func @scale(%x: tensor<?x8xf32>) -> tensor<?x8xf32> {
  %two = arith.constant dense<2.0> : tensor<8xf32>
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?x8xf32>
  %e = tensor.empty(%n) : tensor<?x8xf32>
  %y = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%x, %two : tensor<?x8xf32>, tensor<8xf32>) outs(%e : tensor<?x8xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %m = arith.mulf %a, %b : f32
    linalg.yield %m : f32
  } -> tensor<?x8xf32>
  return %y : tensor<?x8xf32>
}

// A result whose size does not follow from the arguments stays dynamic.
// CHECK-LABEL: func.func @grow
// CHECK-SAME: (%{{.*}}: tensor<3xf32>, %{{.*}}: tensor<index>) -> tensor<?xf32>
func.func @grow(%x: tensor<?xf32>, %n: tensor<index>) -> tensor<?xf32> {
  %k = tensor.extract %n[] : tensor<index>
  %e = tensor.empty(%k) : tensor<?xf32>
  return %e : tensor<?xf32>
}

// Every dynamic dimension, every return.
// CHECK-LABEL: func.func @branches
// CHECK-SAME: (%{{.*}}: i1, %[[A:.*]]: tensor<3x3xf32>, %[[B:.*]]: tensor<3x3xf32>) -> tensor<3x3xf32>
// CHECK: return %[[A]] : tensor<3x3xf32>
// CHECK: return %[[B]] : tensor<3x3xf32>
func.func @branches(%c: i1, %x: tensor<?x?xf32>, %y: tensor<?x?xf32>) -> tensor<?x?xf32> {
  cf.cond_br %c, ^a, ^b
^a:
  return %x : tensor<?x?xf32>
^b:
  return %y : tensor<?x?xf32>
}

// One return of a static type and one dynamic: the result stays dynamic,
// and the body sees the argument through a cast.
// CHECK-LABEL: func.func @mixed
// CHECK-SAME: (%{{.*}}: i1, %[[X:.*]]: tensor<3xf32>, %{{.*}}: index) -> tensor<?xf32>
// CHECK: %[[C:.*]] = tensor.cast %[[X]] : tensor<3xf32> to tensor<?xf32>
// CHECK: return %[[C]] : tensor<?xf32>
// CHECK: return %{{.*}} : tensor<?xf32>
func.func @mixed(%c: i1, %x: tensor<?xf32>, %n: index) -> tensor<?xf32> {
  cf.cond_br %c, ^a, ^b
^a:
  return %x : tensor<?xf32>
^b:
  %e = tensor.empty(%n) : tensor<?xf32>
  return %e : tensor<?xf32>
}

// Unranked tensors, scalars, static shapes, private functions and
// declarations are left alone.
// CHECK-LABEL: func.func @unranked
// CHECK-SAME: (%{{.*}}: tensor<*xf32>, %{{.*}}: f32) -> tensor<*xf32>
func.func @unranked(%x: tensor<*xf32>, %s: f32) -> tensor<*xf32> {
  return %x : tensor<*xf32>
}

// CHECK-LABEL: func.func @static
// CHECK-SAME: (%{{.*}}: tensor<5x2xi8>) -> tensor<5x2xi8>
func.func @static(%x: tensor<5x2xi8>) -> tensor<5x2xi8> {
  return %x : tensor<5x2xi8>
}

// CHECK-LABEL: func.func private @helper
// CHECK-SAME: (%{{.*}}: tensor<?xf32>) -> tensor<?xf32>
func.func private @helper(%x: tensor<?xf32>) -> tensor<?xf32> {
  return %x : tensor<?xf32>
}

// CHECK: func.func private @decl(tensor<?xf32>) -> tensor<?xf32>
func.func private @decl(tensor<?xf32>) -> tensor<?xf32>
