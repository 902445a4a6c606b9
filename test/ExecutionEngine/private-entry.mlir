// The JIT calls the C interface that potq-prepare-c-abi gives public
// functions: a private entry is an error (it once crashed, calling a wrapper
// whose results had become out-parameters), a public one runs.
// RUN: not potq-run %s --jit --pipeline= --entry=seven 2>&1 | FileCheck %s --check-prefix=PRIVATE
// RUN: potq-run %s --jit --pipeline= --entry=main --print | FileCheck %s

// PRIVATE: error: compiled execution calls public functions only, but 'seven' is private
// CHECK: result 0: tensor<2xi32> = [7, 7]
func.func private @seven() -> tensor<2xi32> {
  %c = arith.constant dense<7> : tensor<2xi32>
  return %c : tensor<2xi32>
}

func.func @main() -> tensor<2xi32> {
  %c = func.call @seven() : () -> tensor<2xi32>
  return %c : tensor<2xi32>
}
