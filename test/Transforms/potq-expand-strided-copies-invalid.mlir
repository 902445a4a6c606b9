// RUN: potq-opt %s --potq-expand-strided-copies -verify-diagnostics

// An unranked copy has no loop form: an error, not a silent drop.
func.func @unranked(%src: memref<*xf32>, %dst: memref<*xf32>) {
  // expected-error @below {{copies an unranked memref, which needs MLIR's memrefCopy runtime function; potq code does not link it}}
  memref.copy %src, %dst : memref<*xf32> to memref<*xf32>
  return
}
