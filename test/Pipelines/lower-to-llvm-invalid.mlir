// potq-lower-to-llvm lowers IR without !potq.q types: each op that still
// defines one is a located error, and the pipeline fails (it once exited 0
// and printed IR that did not parse again).
// RUN: potq-opt %s -split-input-file --potq-lower-to-llvm -verify-diagnostics

// expected-error@+1 {{type '(tensor<4x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e+00>>) -> tensor<4xf32>' has !potq.q elements, which potq-lower-to-llvm cannot lower (run convert-potq-to-linalg first)}}
func.func private @ext(tensor<4x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0>>) -> tensor<4xf32>

// -----

// expected-error@+1 {{type '(tensor<4xf32>) -> tensor<4x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e+00>>' has !potq.q elements}}
func.func private @ext(tensor<4xf32>) -> tensor<4x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0>>

func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error@+1 {{type 'tensor<4x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e+00>>' has !potq.q elements}}
  %q = func.call @ext(%x) : (tensor<4xf32>) -> tensor<4x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0>>
  return %x : tensor<4xf32>
}

// -----

// expected-error@+1 {{type '(tensor<4x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e+00>>) -> tensor<4xf32>' has !potq.q elements}}
func.func private @ext(tensor<4x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0>>) -> tensor<4xf32>

// expected-error@+1 {{type '(tensor<4x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e+00>>) -> tensor<4xf32>' has !potq.q elements}}
func.func @main(%x: tensor<4x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0>>) -> tensor<4xf32> {
  %y = func.call @ext(%x) : (tensor<4x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0>>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error@+1 {{type 'tensor<4x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>' has !potq.q elements}}
  %q = potq.quantize %x : tensor<4xf32> -> tensor<4x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>
  %d = potq.dequantize %q : tensor<4x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>> -> tensor<4xf32>
  return %d : tensor<4xf32>
}
