// potq-specialize-dynamic-dims needs a positive size.
// RUN: potq-opt %s --potq-specialize-dynamic-dims -verify-diagnostics
// RUN: not potq-opt %s '--potq-specialize-dynamic-dims=size=-5' 2>&1 | FileCheck %s --check-prefix=NEG
// NEG: error: potq-specialize-dynamic-dims size must be positive, got -5

// expected-error@+1 {{potq-specialize-dynamic-dims size must be positive, got 0}}
module {
  func.func @f(%x: tensor<?xf32>) -> tensor<?xf32> {
    return %x : tensor<?xf32>
  }
}
