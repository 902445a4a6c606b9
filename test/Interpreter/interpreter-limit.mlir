// Issue 10 J: the interpreter stores 8 bytes per element, so its limit is
// 2^27 elements (1 GiB, potq/Limits.h); 2^28 elements used to be allowed
// (2 GiB, and up to 8 GB before).
// RUN: not potq-run %s --interpret 2>&1 | FileCheck %s

// CHECK: error: 'tensor.empty' op result of shape [268435456] exceeds the interpreter's limit of 134217728 elements
func.func @main() -> tensor<268435456xf32> {
  %0 = tensor.empty() : tensor<268435456xf32>
  return %0 : tensor<268435456xf32>
}
