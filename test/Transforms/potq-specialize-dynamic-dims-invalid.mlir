// Each diagnostic of potq-specialize-dynamic-dims.
// RUN: potq-opt %s -split-input-file '--potq-specialize-dynamic-dims=size=4' -verify-diagnostics

// A public function with dynamic arguments that is called within the
// module: its signature cannot change.
// expected-error@+1 {{potq-specialize-dynamic-dims size cannot change the signature of 'inner': it is called within the module}}
func.func @inner(%x: tensor<?xf32>) -> tensor<?xf32> {
  return %x : tensor<?xf32>
}

func.func @outer(%x: tensor<?xf32>) -> tensor<?xf32> {
  %y = func.call @inner(%x) : (tensor<?xf32>) -> tensor<?xf32>
  return %y : tensor<?xf32>
}

// -----

// An element count that overflows int64 (4 * 2^61 = 2^63).
// expected-error@+1 {{potq-specialize-dynamic-dims size=4 makes argument 1 of 'huge' 'tensor<4x2305843009213693952xi8>', whose element count or strides overflow int64}}
func.func @huge(%a: tensor<2xf32>, %x: tensor<?x2305843009213693952xi8>) -> tensor<2xf32> {
  return %a : tensor<2xf32>
}
