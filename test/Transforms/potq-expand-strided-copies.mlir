// RUN: potq-opt %s --potq-expand-strided-copies | FileCheck %s

// A copy into a strided view (what tensor.pad bufferizes into) would call
// MLIR's memrefCopy: it becomes linalg.copy. Contiguous copies stay.
// CHECK-LABEL: func.func @into_view
// CHECK: linalg.copy ins(%arg0 : memref<4x4xf32>) outs(%{{.*}} : memref<4x4xf32, strided<[6, 1], offset: 7>>)
// CHECK-NOT: memref.copy
func.func @into_view(%src: memref<4x4xf32>, %dst: memref<6x6xf32>) {
  %view = memref.subview %dst[1, 1] [4, 4] [1, 1] : memref<6x6xf32> to memref<4x4xf32, strided<[6, 1], offset: 7>>
  memref.copy %src, %view : memref<4x4xf32> to memref<4x4xf32, strided<[6, 1], offset: 7>>
  return
}

// CHECK-LABEL: func.func @contiguous
// CHECK: memref.copy %arg0, %arg1 : memref<4x4xf32> to memref<4x4xf32>
// CHECK: memref.copy %{{.*}}, %{{.*}} : memref<2x6xf32, strided<[6, 1], offset: 6>> to memref<2x6xf32>
// CHECK-NOT: linalg.copy
func.func @contiguous(%src: memref<4x4xf32>, %dst: memref<4x4xf32>, %big: memref<6x6xf32>, %rows: memref<2x6xf32>) {
  memref.copy %src, %dst : memref<4x4xf32> to memref<4x4xf32>
  %view = memref.subview %big[1, 0] [2, 6] [1, 1] : memref<6x6xf32> to memref<2x6xf32, strided<[6, 1], offset: 6>>
  memref.copy %view, %rows : memref<2x6xf32, strided<[6, 1], offset: 6>> to memref<2x6xf32>
  return
}

// Dynamic shapes with a non-identity layout: no memcpy form, so linalg.copy.
// CHECK-LABEL: func.func @dynamic_view
// CHECK: linalg.copy
func.func @dynamic_view(%src: memref<?x?xf32, strided<[?, 1], offset: ?>>, %dst: memref<?x?xf32>) {
  memref.copy %src, %dst : memref<?x?xf32, strided<[?, 1], offset: ?>> to memref<?x?xf32>
  return
}
