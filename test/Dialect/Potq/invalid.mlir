// RUN: potq-opt %s -split-input-file -verify-diagnostics

// One case per diagnostic of the potq dialect: the encoding parameters, the
// !potq.q type, and the op verifiers (plus the ODS-generated constraints of a
// few ops). Messages name the parameter or operand and the allowed range.

//===----------------------------------------------------------------------===//
// Encoding parameters
//===----------------------------------------------------------------------===//

// expected-error@+1 {{bits = 1 is out of range: uniform encodings allow bits in [2, 16]}}
func.func private @f(tensor<!potq.q<#potq.uniform<bits = 1>, f32, scale = 1.0>>)

// -----

// expected-error@+1 {{bits = 17 is out of range: uniform encodings allow bits in [2, 16]}}
func.func private @f(tensor<!potq.q<#potq.uniform<bits = 17>, f32, scale = 1.0>>)

// -----

// expected-error@+1 {{bits = 1 is out of range: pot encodings allow bits in [2, 5]}}
func.func private @f(tensor<!potq.q<#potq.pot<bits = 1>, f32, scale = 1.0>>)

// -----

// expected-error@+1 {{bits = 6 is out of range: pot encodings allow bits in [2, 5]}}
func.func private @f(tensor<!potq.q<#potq.pot<bits = 6>, f32, scale = 1.0>>)

// -----

// expected-error@+1 {{bits = 2 is out of range: apot encodings allow bits in [3, 7]}}
func.func private @f(tensor<!potq.q<#potq.apot<bits = 2>, f32, scale = 1.0>>)

// -----

// expected-error@+1 {{bits = 8 is out of range: apot encodings allow bits in [3, 7]}}
func.func private @f(tensor<!potq.q<#potq.apot<bits = 8>, f32, scale = 1.0>>)

// -----

// expected-error@+1 {{terms = 0 is out of range: nhot encodings allow terms in [1, 4]}}
func.func private @f(tensor<!potq.q<#potq.nhot<terms = 0, max_exp = 3>, f32, scale = 1.0>>)

// -----

// expected-error@+1 {{terms = 5 is out of range: nhot encodings allow terms in [1, 4]}}
func.func private @f(tensor<!potq.q<#potq.nhot<terms = 5, max_exp = 3>, f32, scale = 1.0>>)

// -----

// expected-error@+1 {{max_exp = 16 is out of range: nhot encodings allow max_exp in [0, 15]}}
func.func private @f(tensor<!potq.q<#potq.nhot<terms = 2, max_exp = 16>, f32, scale = 1.0>>)

// -----

// expected-error@+1 {{'narrow' applies only to signed uniform encodings}}
func.func private @f(tensor<!potq.q<#potq.uniform<bits = 8, unsigned, narrow>, f32, scale = 1.0>>)

// -----

// expected-error@+1 {{option 'unsigned' given twice}}
func.func private @f(tensor<!potq.q<#potq.uniform<bits = 8, unsigned, unsigned>, f32, scale = 1.0>>)

// -----

// expected-error@+1 {{unknown uniform encoding option 'signed': expected 'unsigned' or 'narrow'}}
func.func private @f(tensor<!potq.q<#potq.uniform<bits = 8, signed>, f32, scale = 1.0>>)

// -----

// expected-error@+1 {{integer value too large}}
func.func private @f(tensor<!potq.q<#potq.uniform<bits = 99999999999999999999>, f32, scale = 1.0>>)

// -----

// The verifier also runs on an encoding outside a type.
// expected-error@+1 {{bits = 9 is out of range: pot encodings allow bits in [2, 5]}}
func.func private @f() attributes {encoding = #potq.pot<bits = 9>}

// -----

//===----------------------------------------------------------------------===//
// The quantized type
//===----------------------------------------------------------------------===//

// expected-error@+1 {{expected a potq encoding attribute (#potq.uniform, #potq.pot, #potq.apot or #potq.nhot), got "uniform"}}
func.func private @f(tensor<!potq.q<"uniform", f32, scale = 1.0>>)

// -----

// expected-error@+1 {{expressed type must be f32, f16 or bf16, got 'i8'}}
func.func private @f(tensor<!potq.q<#potq.pot<bits = 4>, i8, scale = 1.0>>)

// -----

// expected-error@+1 {{expressed type must be f32, f16 or bf16, got 'f64'}}
func.func private @f(tensor<!potq.q<#potq.pot<bits = 4>, f64, scale = 1.0>>)

// -----

// expected-note@+2 {{add a trailing dot to make the literal a float}}
// expected-error@+1 {{unexpected decimal integer literal for a floating point value}}
func.func private @f(tensor<!potq.q<#potq.pot<bits = 4>, f32, scale = 1>>)

// -----

// expected-error@+1 {{scale 1.000000e+40 is not representable as f32}}
func.func private @f(tensor<!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e40>>)

// -----

// expected-error@+1 {{scale = 0.000000e+00 must be positive and finite}}
func.func private @f(tensor<!potq.q<#potq.pot<bits = 4>, f32, scale = 0.0>>)

// -----

// expected-error@+1 {{scale = -5.000000e-01 must be positive and finite}}
func.func private @f(tensor<!potq.q<#potq.pot<bits = 4>, f32, scale = -0.5>>)

// -----

// A hexadecimal literal gives the bits of an f64: +inf.
// expected-error@+1 {{scale = INF must be positive and finite}}
func.func private @f(tensor<!potq.q<#potq.pot<bits = 4>, f32, scale = 0x7FF0000000000000>>)

// -----

// A quiet NaN.
// expected-error@+1 {{scale = nan must be positive and finite}}
func.func private @f(tensor<!potq.q<#potq.pot<bits = 4>, f32, scale = 0x7FF8000000000000>>)

// -----

// expected-error@+1 {{scales[1] = -1.000000e+00 must be positive and finite}}
func.func private @f(tensor<2x!potq.q<#potq.apot<bits = 4>, f32, axis = 0, scales = [1.0, -1.0]>>)

// -----

// expected-error@+1 {{scales[2] = 0.000000e+00 must be positive and finite}}
func.func private @f(tensor<3x!potq.q<#potq.apot<bits = 4>, f32, axis = 0, scales = [1.0, 2.0, 0.0]>>)

// -----

// expected-error@+1 {{expected at least one scale}}
func.func private @f(tensor<2x!potq.q<#potq.apot<bits = 4>, f32, axis = 0, scales = []>>)

// -----

// expected-error@+1 {{axis = -1 must be non-negative}}
func.func private @f(tensor<2x!potq.q<#potq.apot<bits = 4>, f32, axis = -1, scales = [1.0, 1.0]>>)

// -----

// expected-error@+1 {{zero_point is allowed only with uniform encodings, got zero_point = 1 with #potq.pot<bits = 4>}}
func.func private @f(tensor<!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0, zero_point = 1>>)

// -----

// expected-error@+1 {{zero_point = 8 is out of range: must be a level of #potq.uniform<bits = 4> in [-8, 7]}}
func.func private @f(tensor<!potq.q<#potq.uniform<bits = 4>, f32, scale = 1.0, zero_point = 8>>)

// -----

// expected-error@+1 {{zero_point = -1 is out of range: must be a level of #potq.uniform<bits = 8, unsigned> in [0, 255]}}
func.func private @f(tensor<!potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 1.0, zero_point = -1>>)

// -----

// expected-error@+1 {{zero_point = -128 is out of range: must be a level of #potq.uniform<bits = 8, narrow> in [-127, 127]}}
func.func private @f(tensor<!potq.q<#potq.uniform<bits = 8, narrow>, f32, scale = 1.0, zero_point = -128>>)

// -----

// expected-error@+1 {{expected 'scale' (per tensor) or 'axis' (per channel), got 'scales'}}
func.func private @f(tensor<!potq.q<#potq.uniform<bits = 8>, f32, scales = 1.0>>)

// -----

// expected-error@+1 {{expected 'scale' (per tensor) or 'axis' (per channel), got 'zero_point'}}
func.func private @f(tensor<!potq.q<#potq.uniform<bits = 8>, f32, zero_point = 1, scale = 1.0>>)

// -----

//===----------------------------------------------------------------------===//
// potq.quantize, potq.dequantize
//===----------------------------------------------------------------------===//

// The ODS type constraints.
func.func @f(%x: tensor<4xi32>) {
  // expected-error@+1 {{'potq.quantize' op operand #0 must be ranked tensor of 32-bit float or 16-bit float or bfloat16 type values, but got 'tensor<4xi32>'}}
  %0 = potq.quantize %x : tensor<4xi32> -> tensor<4x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>
  return
}

// -----

func.func @f(%x: tensor<4xf32>) {
  // expected-error@+1 {{'potq.quantize' op result #0 must be ranked tensor of}}
  %0 = potq.quantize %x : tensor<4xf32> -> tensor<4xi8>
  return
}

// -----

func.func @f(%x: tensor<4xf32>) {
  // expected-error@+1 {{'potq.dequantize' op operand #0 must be ranked tensor of}}
  %0 = potq.dequantize %x : tensor<4xf32> -> tensor<4xf32>
  return
}

// -----

func.func @f(%x: tensor<4xf16>) {
  // expected-error@+1 {{'potq.quantize' op float element type 'f16' does not match the expressed type 'f32' of '!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>'}}
  %0 = potq.quantize %x : tensor<4xf16> -> tensor<4x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>
  return
}

// -----

func.func @f(%x: tensor<4x!potq.q<#potq.pot<bits = 4>, f16, scale = 1.0>>) {
  // expected-error@+1 {{'potq.dequantize' op float element type 'bf16' does not match the expressed type 'f16' of '!potq.q<#potq.pot<bits = 4>, f16, scale = 1.0e+00>'}}
  %0 = potq.dequantize %x : tensor<4x!potq.q<#potq.pot<bits = 4>, f16, scale = 1.0>> -> tensor<4xbf16>
  return
}

// -----

func.func @f(%x: tensor<4x2xf32>) {
  // expected-error@+1 {{'potq.quantize' op input shape [4, 2] and result shape [4, 3] differ}}
  %0 = potq.quantize %x : tensor<4x2xf32> -> tensor<4x3x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>
  return
}

// -----

func.func @f(%x: tensor<4xf32>) {
  // expected-error@+1 {{'potq.quantize' op input shape [4] and result shape [4, 1] differ}}
  %0 = potq.quantize %x : tensor<4xf32> -> tensor<4x1x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>
  return
}

// -----

func.func @f(%x: tensor<2xf32>) {
  // expected-error@+1 {{'potq.quantize' op quantized type axis = 1 is out of range for a tensor of rank 1}}
  %0 = potq.quantize %x : tensor<2xf32> -> tensor<2x!potq.q<#potq.pot<bits = 4>, f32, axis = 1, scales = [1.0, 1.0]>>
  return
}

// -----

func.func @f(%x: tensor<4x!potq.q<#potq.pot<bits = 4>, f32, axis = 0, scales = [1.0, 2.0]>>) {
  // expected-error@+1 {{'potq.dequantize' op quantized type has 2 scales but dimension 0 has size 4}}
  %0 = potq.dequantize %x : tensor<4x!potq.q<#potq.pot<bits = 4>, f32, axis = 0, scales = [1.0, 2.0]>> -> tensor<4xf32>
  return
}

// -----

// A zero-size channel dimension has no scales, but a type needs one.
func.func @f(%x: tensor<0xf32>) {
  // expected-error@+1 {{'potq.quantize' op quantized type has 1 scales but dimension 0 has size 0}}
  %0 = potq.quantize %x : tensor<0xf32> -> tensor<0x!potq.q<#potq.pot<bits = 4>, f32, axis = 0, scales = [1.0]>>
  return
}

// -----

//===----------------------------------------------------------------------===//
// potq.constant
//===----------------------------------------------------------------------===//

// 3 is not a power of two; the index is the multi-dimensional one.
func.func @f() {
  // expected-error@+1 {{'potq.constant' op value 3 at index [1, 0] is not a level of #potq.pot<bits = 4>}}
  %0 = potq.constant dense<[[1, 2], [3, 64]]> : tensor<2x2xi8>
         -> tensor<2x2x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0>>
  return
}

// -----

func.func @f() {
  // expected-error@+1 {{'potq.constant' op value 5 at index [2] is not a level of #potq.apot<bits = 4>}}
  %0 = potq.constant dense<[4, 6, 5, 8]> : tensor<4xi8>
         -> tensor<4x!potq.q<#potq.apot<bits = 4>, f32, scale = 1.0>>
  return
}

// -----

func.func @f() {
  // expected-error@+1 {{'potq.constant' op value -128 at index [1] is not a level of #potq.uniform<bits = 8, narrow>}}
  %0 = potq.constant dense<[127, -128]> : tensor<2xi8>
         -> tensor<2x!potq.q<#potq.uniform<bits = 8, narrow>, f32, scale = 1.0>>
  return
}

// -----

// 11 = 8 + 2 + 1 needs three terms (and 16 - 4 - 1 has 16 > 2^3).
func.func @f() {
  // expected-error@+1 {{'potq.constant' op value 11 at index [] is not a level of #potq.nhot<terms = 2, max_exp = 3>}}
  %0 = potq.constant dense<11> : tensor<i8>
         -> tensor<!potq.q<#potq.nhot<terms = 2, max_exp = 3>, f32, scale = 1.0>>
  return
}

// -----

func.func @f() {
  // expected-error@+1 {{'potq.constant' op value element type 'i16' must be the storage type 'i8' of '!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e+00>'}}
  %0 = potq.constant dense<[1, 2]> : tensor<2xi16>
         -> tensor<2x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0>>
  return
}

// -----

func.func @f() {
  // expected-error@+1 {{'potq.constant' op value element type 'i8' must be the storage type 'i16' of '!potq.q<#potq.uniform<bits = 16, unsigned>, f32, scale = 1.0e+00>'}}
  %0 = potq.constant dense<[1, 2]> : tensor<2xi8>
         -> tensor<2x!potq.q<#potq.uniform<bits = 16, unsigned>, f32, scale = 1.0>>
  return
}

// -----

// Storage types are signless.
func.func @f() {
  // expected-error@+1 {{'potq.constant' op value element type 'ui8' must be the storage type 'i8'}}
  %0 = potq.constant dense<[1, 255]> : tensor<2xui8>
         -> tensor<2x!potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 1.0>>
  return
}

// -----

func.func @f() {
  // expected-error@+1 {{'potq.constant' op value shape [2] does not match the result shape [3]}}
  %0 = potq.constant dense<[1, 2]> : tensor<2xi8>
         -> tensor<3x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0>>
  return
}

// -----

func.func @f() {
  // expected-error@+1 {{'potq.constant' op value shape [2] does not match the result shape [?]}}
  %0 = potq.constant dense<[1, 2]> : tensor<2xi8>
         -> tensor<?x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0>>
  return
}

// -----

func.func @f() {
  // expected-error@+1 {{'potq.constant' op value must be a dense integer elements attribute}}
  %0 = potq.constant dense<[1.0, 2.0]> : tensor<2xf32>
         -> tensor<2x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0>>
  return
}

// -----

func.func @f() {
  // expected-error@+1 {{'potq.constant' op result type axis = 1 is out of range for a tensor of rank 1}}
  %0 = potq.constant dense<[1, 2]> : tensor<2xi8>
         -> tensor<2x!potq.q<#potq.pot<bits = 4>, f32, axis = 1, scales = [1.0]>>
  return
}

// -----

func.func @f() {
  // expected-error@+1 {{'potq.constant' op result type has 3 scales but dimension 0 has size 2}}
  %0 = potq.constant dense<[1, 2]> : tensor<2xi8>
         -> tensor<2x!potq.q<#potq.pot<bits = 4>, f32, axis = 0, scales = [1.0, 1.0, 1.0]>>
  return
}

// -----

//===----------------------------------------------------------------------===//
// potq.requantize
//===----------------------------------------------------------------------===//

func.func @f(%x: tensor<4x!potq.q<#potq.uniform<bits = 16>, f32, scale = 1.0>>) {
  // expected-error@+1 {{'potq.requantize' op result must be a per-tensor uniform quantized type, got '!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e+00>'}}
  %0 = potq.requantize %x : tensor<4x!potq.q<#potq.uniform<bits = 16>, f32, scale = 1.0>>
         -> tensor<4x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0>>
  return
}

// -----

func.func @f(%x: tensor<4x!potq.q<#potq.uniform<bits = 16>, f32, scale = 1.0>>) {
  // expected-error@+1 {{'potq.requantize' op result must be a per-tensor uniform quantized type, got '!potq.q<#potq.uniform<bits = 8>, f32, axis = 0, scales = [1.0e+00, 1.0e+00, 1.0e+00, 1.0e+00]>'}}
  %0 = potq.requantize %x : tensor<4x!potq.q<#potq.uniform<bits = 16>, f32, scale = 1.0>>
         -> tensor<4x!potq.q<#potq.uniform<bits = 8>, f32, axis = 0, scales = [1.0, 1.0, 1.0, 1.0]>>
  return
}

// -----

func.func @f(%x: tensor<4x!potq.q<#potq.uniform<bits = 16>, f32, scale = 1.0>>) {
  // expected-error@+1 {{'potq.requantize' op input shape [4] and result shape [5] differ}}
  %0 = potq.requantize %x : tensor<4x!potq.q<#potq.uniform<bits = 16>, f32, scale = 1.0>>
         -> tensor<5x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>
  return
}

// -----

func.func @f(%x: tensor<4x!potq.q<#potq.pot<bits = 4>, f32, axis = 0, scales = [1.0, 2.0]>>) {
  // expected-error@+1 {{'potq.requantize' op input type has 2 scales but dimension 0 has size 4}}
  %0 = potq.requantize %x : tensor<4x!potq.q<#potq.pot<bits = 4>, f32, axis = 0, scales = [1.0, 2.0]>>
         -> tensor<4x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>
  return
}

// -----

func.func @f(%x: tensor<4x!potq.q<#potq.pot<bits = 4>, f32, axis = 3, scales = [1.0]>>) {
  // expected-error@+1 {{'potq.requantize' op input type axis = 3 is out of range for a tensor of rank 1}}
  %0 = potq.requantize %x : tensor<4x!potq.q<#potq.pot<bits = 4>, f32, axis = 3, scales = [1.0]>>
         -> tensor<4x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>
  return
}

// -----

// m = 2^32 / 1.
func.func @f(%x: tensor<4x!potq.q<#potq.uniform<bits = 16>, f32, scale = 4294967296.0>>) {
  // expected-error@+1 {{'potq.requantize' op requantization multiplier is unsupported: multiplier m = 4294967296 is out of range: multipliers must be in [2^-62, 2^31]}}
  %0 = potq.requantize %x : tensor<4x!potq.q<#potq.uniform<bits = 16>, f32, scale = 4294967296.0>>
         -> tensor<4x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>
  return
}

// -----

// Per-channel input: the diagnostic names the channel.
func.func @f(%x: tensor<2x!potq.q<#potq.pot<bits = 4>, f32, axis = 0, scales = [1.0, 1.0e-30]>>) {
  // expected-error@+1 {{'potq.requantize' op requantization multiplier of channel 1 is unsupported: multiplier m = 1.0000000031710769e-30 is out of range: multipliers must be in [2^-62, 2^31]}}
  %0 = potq.requantize %x : tensor<2x!potq.q<#potq.pot<bits = 4>, f32, axis = 0, scales = [1.0, 1.0e-30]>>
         -> tensor<2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>
  return
}

// -----

// m = 3 / 99999997952 (1.0e11 in binary32): too small for M in [2^30, 2^31)
// with a shift of at most 62, and not a power of two.
func.func @f(%x: tensor<4x!potq.q<#potq.uniform<bits = 16>, f32, scale = 3.0>>) {
  // expected-error@+1 {{'potq.requantize' op requantization multiplier is unsupported: multiplier m = 3.0000000614400013e-11 is out of range: multipliers that are not a power of two must be in [2^-32, 2^31)}}
  %0 = potq.requantize %x : tensor<4x!potq.q<#potq.uniform<bits = 16>, f32, scale = 3.0>>
         -> tensor<4x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e11>>
  return
}

// -----

//===----------------------------------------------------------------------===//
// Contractions
//===----------------------------------------------------------------------===//

func.func @f(%x: tensor<4x16x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0>>,
             %w: tensor<16x8x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0>>) {
  // expected-error@+1 {{'potq.matmul' op input must be a per-tensor uniform quantized type, got '!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e+00>'}}
  %0 = potq.matmul %x, %w
         : tensor<4x16x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0>>,
           tensor<16x8x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0>>
         -> tensor<4x8xi32>
  return
}

// -----

func.func @f(%x: tensor<2x2x!potq.q<#potq.uniform<bits = 8>, f32, axis = 1, scales = [1.0, 2.0]>>,
             %w: tensor<2x8x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0>>) {
  // expected-error@+1 {{'potq.matmul' op input must be a per-tensor uniform quantized type, got '!potq.q<#potq.uniform<bits = 8>, f32, axis = 1, scales =}}
  %0 = potq.matmul %x, %w
         : tensor<2x2x!potq.q<#potq.uniform<bits = 8>, f32, axis = 1, scales = [1.0, 2.0]>>,
           tensor<2x8x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0>>
         -> tensor<2x8xi32>
  return
}

// -----

// The ODS type constraints: a weight of plain integers.
func.func @f(%x: tensor<4x16x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>,
             %w: tensor<16x8xi8>) {
  // expected-error@+1 {{'potq.matmul' op operand #1 must be ranked tensor of}}
  %0 = potq.matmul %x, %w
         : tensor<4x16x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>,
           tensor<16x8xi8>
         -> tensor<4x8xi32>
  return
}

// -----

func.func @f(%x: tensor<4x16x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>,
             %w: tensor<16x8x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0>>) {
  // expected-error@+1 {{'potq.matmul' op result #0 must be ranked tensor of}}
  %0 = potq.matmul %x, %w
         : tensor<4x16x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>,
           tensor<16x8x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0>>
         -> tensor<4x8xf32>
  return
}

// -----

func.func @f(%x: tensor<4x16x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>,
             %w: tensor<16x8x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0>>,
             %b: tensor<8xi64>) {
  // expected-error@+1 {{'potq.matmul' op operand #2 must be ranked tensor of 32-bit signless integer values, but got 'tensor<8xi64>'}}
  %0 = potq.matmul %x, %w bias %b
         : tensor<4x16x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>,
           tensor<16x8x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0>>,
           tensor<8xi64>
         -> tensor<4x8xi32>
  return
}

// -----

func.func @f(%x: tensor<4x16x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>,
             %w: tensor<16x8x1x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0>>) {
  // expected-error@+1 {{'potq.matmul' op expected an input of rank 2 and a weight of rank 2, got ranks 2 and 3}}
  %0 = potq.matmul %x, %w
         : tensor<4x16x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>,
           tensor<16x8x1x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0>>
         -> tensor<4x8xi32>
  return
}

// -----

func.func @f(%x: tensor<4x16x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>,
             %w: tensor<2x16x8x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0>>) {
  // expected-error@+1 {{'potq.batch_matmul' op expected an input of rank 3 and a weight of rank 3, got ranks 2 and 3}}
  %0 = potq.batch_matmul %x, %w
         : tensor<4x16x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>,
           tensor<2x16x8x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0>>
         -> tensor<2x4x8xi32>
  return
}

// -----

func.func @f(%x: tensor<8x8x3x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>,
             %w: tensor<3x3x3x8x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0>>) {
  // expected-error@+1 {{'potq.conv_2d_nhwc_hwcf' op expected an input of rank 4 and a weight of rank 4, got ranks 3 and 4}}
  %0 = potq.conv_2d_nhwc_hwcf %x, %w
         : tensor<8x8x3x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>,
           tensor<3x3x3x8x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0>>
         -> tensor<6x6x8xi32>
  return
}

// -----

func.func @f(%x: tensor<4x16x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>,
             %w: tensor<16x8x!potq.q<#potq.pot<bits = 4>, bf16, scale = 1.0>>) {
  // expected-error@+1 {{'potq.matmul' op quantized operands and result must share one expressed type}}
  %0 = potq.matmul %x, %w
         : tensor<4x16x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>,
           tensor<16x8x!potq.q<#potq.pot<bits = 4>, bf16, scale = 1.0>>
         -> tensor<4x8xi32>
  return
}

// -----

// The result's expressed type too.
func.func @f(%x: tensor<4x16x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>,
             %w: tensor<16x8x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0>>) {
  // expected-error@+1 {{'potq.matmul' op quantized operands and result must share one expressed type}}
  %0 = potq.matmul %x, %w
         : tensor<4x16x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>,
           tensor<16x8x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0>>
         -> tensor<4x8x!potq.q<#potq.uniform<bits = 8>, f16, scale = 1.0>>
  return
}

// -----

func.func @f(%x: tensor<4x16x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>,
             %w: tensor<16x2x!potq.q<#potq.pot<bits = 4>, f32, axis = 0, scales = [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0]>>) {
  // expected-error@+1 {{'potq.matmul' op per-channel weight scales must use the output-channel axis 1, got axis 0}}
  %0 = potq.matmul %x, %w
         : tensor<4x16x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>,
           tensor<16x2x!potq.q<#potq.pot<bits = 4>, f32, axis = 0, scales = [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0]>>
         -> tensor<4x2xi32>
  return
}

// -----

func.func @f(%x: tensor<1x2x4x4x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>,
             %w: tensor<2x2x1x2x!potq.q<#potq.pot<bits = 4>, f32, axis = 3, scales = [1.0, 2.0]>>) {
  // expected-error@+1 {{'potq.conv_2d_nchw_fchw' op per-channel weight scales must use the output-channel axis 0, got axis 3}}
  %0 = potq.conv_2d_nchw_fchw %x, %w
         : tensor<1x2x4x4x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>,
           tensor<2x2x1x2x!potq.q<#potq.pot<bits = 4>, f32, axis = 3, scales = [1.0, 2.0]>>
         -> tensor<1x2x4x3xi32>
  return
}

// -----

func.func @f(%x: tensor<4x16x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>,
             %w: tensor<16x2x!potq.q<#potq.pot<bits = 4>, f32, axis = 1, scales = [1.0, 1.0, 1.0]>>) {
  // expected-error@+1 {{'potq.matmul' op weight type has 3 scales but dimension 1 has size 2}}
  %0 = potq.matmul %x, %w
         : tensor<4x16x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>,
           tensor<16x2x!potq.q<#potq.pot<bits = 4>, f32, axis = 1, scales = [1.0, 1.0, 1.0]>>
         -> tensor<4x2xi32>
  return
}

// -----

func.func @f(%x: tensor<4x16x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>,
             %w: tensor<15x8x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0>>) {
  // expected-error@+1 {{'potq.matmul' op reduction sizes differ: input [4, 16] and weight [15, 8]}}
  %0 = potq.matmul %x, %w
         : tensor<4x16x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>,
           tensor<15x8x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0>>
         -> tensor<4x8xi32>
  return
}

// -----

func.func @f(%x: tensor<2x4x16x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>,
             %w: tensor<2x8x8x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0>>) {
  // expected-error@+1 {{'potq.batch_matmul' op reduction sizes differ: input [2, 4, 16] and weight [2, 8, 8]}}
  %0 = potq.batch_matmul %x, %w
         : tensor<2x4x16x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>,
           tensor<2x8x8x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0>>
         -> tensor<2x4x8xi32>
  return
}

// -----

func.func @f(%x: tensor<2x4x16x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>,
             %w: tensor<3x16x8x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0>>) {
  // expected-error@+1 {{'potq.batch_matmul' op input batch size 2 does not match weight batch size 3}}
  %0 = potq.batch_matmul %x, %w
         : tensor<2x4x16x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>,
           tensor<3x16x8x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0>>
         -> tensor<2x4x8xi32>
  return
}

// -----

func.func @f(%x: tensor<1x8x8x3x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>,
             %w: tensor<3x3x4x8x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0>>) {
  // expected-error@+1 {{'potq.conv_2d_nhwc_hwcf' op input channels 3 do not match filter input channels 4}}
  %0 = potq.conv_2d_nhwc_hwcf %x, %w
         : tensor<1x8x8x3x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>,
           tensor<3x3x4x8x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0>>
         -> tensor<1x6x6x8xi32>
  return
}

// -----

func.func @f(%x: tensor<1x3x8x8x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>,
             %w: tensor<4x2x3x3x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0>>) {
  // expected-error@+1 {{'potq.conv_2d_nchw_fchw' op input channels 3 do not match filter input channels 2}}
  %0 = potq.conv_2d_nchw_fchw %x, %w
         : tensor<1x3x8x8x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>,
           tensor<4x2x3x3x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0>>
         -> tensor<1x4x6x6xi32>
  return
}

// -----

// Dilation 4 spreads a 3-tap filter over 4 * 2 + 1 = 9 rows.
func.func @f(%x: tensor<1x8x8x3x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>,
             %w: tensor<3x3x3x8x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0>>) {
  // expected-error@+1 {{'potq.conv_2d_nhwc_hwcf' op input height 8 is smaller than the dilated filter height 9}}
  %0 = potq.conv_2d_nhwc_hwcf %x, %w {dilations = array<i64: 4, 1>}
         : tensor<1x8x8x3x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>,
           tensor<3x3x3x8x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0>>
         -> tensor<1x1x6x8xi32>
  return
}

// -----

func.func @f(%x: tensor<1x3x8x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>,
             %w: tensor<4x3x3x3x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0>>) {
  // expected-error@+1 {{'potq.conv_2d_nchw_fchw' op input width 2 is smaller than the dilated filter width 3}}
  %0 = potq.conv_2d_nchw_fchw %x, %w
         : tensor<1x3x8x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>,
           tensor<4x3x3x3x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0>>
         -> tensor<1x4x6x1xi32>
  return
}

// -----

func.func @f(%x: tensor<1x8x8x3x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>,
             %w: tensor<3x3x3x8x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0>>) {
  // expected-error@+1 {{'potq.conv_2d_nhwc_hwcf' op strides must be two positive values [height, width], got [0, 1]}}
  %0 = potq.conv_2d_nhwc_hwcf %x, %w {strides = array<i64: 0, 1>}
         : tensor<1x8x8x3x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>,
           tensor<3x3x3x8x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0>>
         -> tensor<1x6x6x8xi32>
  return
}

// -----

func.func @f(%x: tensor<1x8x8x3x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>,
             %w: tensor<3x3x3x8x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0>>) {
  // expected-error@+1 {{'potq.conv_2d_nhwc_hwcf' op strides must be two positive values [height, width], got [2]}}
  %0 = potq.conv_2d_nhwc_hwcf %x, %w {strides = array<i64: 2>}
         : tensor<1x8x8x3x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>,
           tensor<3x3x3x8x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0>>
         -> tensor<1x3x3x8xi32>
  return
}

// -----

func.func @f(%x: tensor<1x3x8x8x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>,
             %w: tensor<4x3x3x3x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0>>) {
  // expected-error@+1 {{'potq.conv_2d_nchw_fchw' op dilations must be two positive values [height, width], got [1, -1]}}
  %0 = potq.conv_2d_nchw_fchw %x, %w {dilations = array<i64: 1, -1>}
         : tensor<1x3x8x8x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>,
           tensor<4x3x3x3x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0>>
         -> tensor<1x4x6x6xi32>
  return
}

// -----

func.func @f(%x: tensor<1x3x8x8x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>,
             %w: tensor<4x3x3x3x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0>>) {
  // expected-error@+1 {{'potq.conv_2d_nchw_fchw' op dilations must be two positive values [height, width], got [1, 1, 1]}}
  %0 = potq.conv_2d_nchw_fchw %x, %w {dilations = array<i64: 1, 1, 1>}
         : tensor<1x3x8x8x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>,
           tensor<4x3x3x3x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0>>
         -> tensor<1x4x6x6xi32>
  return
}

// -----

// Zero-point padding: [top, left, bottom, right], none negative; the
// padded input sets the result shape.
func.func @f(%x: tensor<1x8x8x3x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>,
             %w: tensor<3x3x3x8x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0>>) {
  // expected-error@+1 {{'potq.conv_2d_nhwc_hwcf' op padding must have 4 values [top, left, bottom, right], got [1, 1]}}
  %0 = potq.conv_2d_nhwc_hwcf %x, %w {padding = array<i64: 1, 1>}
         : tensor<1x8x8x3x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>,
           tensor<3x3x3x8x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0>>
         -> tensor<1x8x8x8xi32>
  return
}

// -----

func.func @f(%x: tensor<1x6x6x3x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>,
             %w: tensor<3x3x3x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0>>) {
  // expected-error@+1 {{'potq.depthwise_conv_2d_nhwc_hwc' op padding must be non-negative, got [1, -1, 1, 1]}}
  %0 = potq.depthwise_conv_2d_nhwc_hwc %x, %w {padding = array<i64: 1, -1, 1, 1>}
         : tensor<1x6x6x3x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>,
           tensor<3x3x3x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0>>
         -> tensor<1x6x4x3xi32>
  return
}

// -----

// H: (8 + 1 + 1 - 3) / 2 + 1 = 4, not the unpadded 3; W: (8 + 0 + 1 - 3) / 2 + 1 = 4.
func.func @f(%x: tensor<1x3x8x8x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>,
             %w: tensor<4x3x3x3x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0>>) {
  // expected-error@+1 {{'potq.conv_2d_nchw_fchw' op result shape [1, 4, 3, 4] does not match the expected shape [1, 4, 4, 4]}}
  %0 = potq.conv_2d_nchw_fchw %x, %w {strides = array<i64: 2, 2>, padding = array<i64: 1, 0, 1, 1>}
         : tensor<1x3x8x8x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>,
           tensor<4x3x3x3x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0>>
         -> tensor<1x4x3x4xi32>
  return
}

// -----

// Dilation 3 spreads a 3-tap filter over 7 columns; 4 + 1 + 1 is too few.
func.func @f(%x: tensor<1x4x4x3x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>,
             %w: tensor<3x3x3x8x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0>>) {
  // expected-error@+1 {{'potq.conv_2d_nhwc_hwcf' op padded input width 6 (4 + 1 + 1) is smaller than the dilated filter width 7}}
  %0 = potq.conv_2d_nhwc_hwcf %x, %w {dilations = array<i64: 1, 3>, padding = array<i64: 1, 1, 1, 1>}
         : tensor<1x4x4x3x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>,
           tensor<3x3x3x8x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0>>
         -> tensor<1x4x1x8xi32>
  return
}

// -----

func.func @f(%x: tensor<1x4x4x3x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>,
             %w: tensor<3x3x3x8x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0>>) {
  // expected-error@+1 {{'potq.conv_2d_nhwc_hwcf' op padded input height overflows 64 bits}}
  %0 = potq.conv_2d_nhwc_hwcf %x, %w {padding = array<i64: 9223372036854775807, 0, 1, 0>}
         : tensor<1x4x4x3x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>,
           tensor<3x3x3x8x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0>>
         -> tensor<1x4x2x8xi32>
  return
}

// -----

func.func @f(%x: tensor<4x16x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>,
             %w: tensor<16x8x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0>>) {
  // expected-error@+1 {{'potq.matmul' op result shape [4, 7] does not match the expected shape [4, 8]}}
  %0 = potq.matmul %x, %w
         : tensor<4x16x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>,
           tensor<16x8x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0>>
         -> tensor<4x7xi32>
  return
}

// -----

func.func @f(%x: tensor<4x16x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>,
             %w: tensor<16x8x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0>>) {
  // expected-error@+1 {{'potq.matmul' op result shape [4, 8, 1] does not match the expected shape [4, 8]}}
  %0 = potq.matmul %x, %w
         : tensor<4x16x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>,
           tensor<16x8x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0>>
         -> tensor<4x8x1xi32>
  return
}

// -----

func.func @f(%x: tensor<1x8x8x3x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>,
             %w: tensor<3x3x3x8x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0>>) {
  // expected-error@+1 {{'potq.conv_2d_nhwc_hwcf' op result shape [1, 6, 5, 8] does not match the expected shape [1, 6, 6, 8]}}
  %0 = potq.conv_2d_nhwc_hwcf %x, %w
         : tensor<1x8x8x3x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>,
           tensor<3x3x3x8x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0>>
         -> tensor<1x6x5x8xi32>
  return
}

// -----

// (8 - 3) / 3 + 1 = 2 rows, (8 - 3) / 2 + 1 = 3 columns.
func.func @f(%x: tensor<?x3x8x8x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>,
             %w: tensor<4x3x3x3x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0>>) {
  // expected-error@+1 {{'potq.conv_2d_nchw_fchw' op result shape [?, 4, 3, 3] does not match the expected shape [?, 4, 2, 3]}}
  %0 = potq.conv_2d_nchw_fchw %x, %w {strides = array<i64: 3, 2>}
         : tensor<?x3x8x8x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>,
           tensor<4x3x3x3x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0>>
         -> tensor<?x4x3x3xi32>
  return
}

// -----

func.func @f(%x: tensor<4x16x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>,
             %w: tensor<16x8x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0>>,
             %b: tensor<4xi32>) {
  // expected-error@+1 {{'potq.matmul' op bias must hold one i32 level per output channel (8), got 'tensor<4xi32>'}}
  %0 = potq.matmul %x, %w bias %b
         : tensor<4x16x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>,
           tensor<16x8x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0>>,
           tensor<4xi32>
         -> tensor<4x8xi32>
  return
}

// -----

func.func @f(%x: tensor<1x8x8x3x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>,
             %w: tensor<3x3x3x8x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0>>,
             %b: tensor<1x8xi32>) {
  // expected-error@+1 {{'potq.conv_2d_nhwc_hwcf' op bias must hold one i32 level per output channel (8), got 'tensor<1x8xi32>'}}
  %0 = potq.conv_2d_nhwc_hwcf %x, %w bias %b
         : tensor<1x8x8x3x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>,
           tensor<3x3x3x8x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0>>,
           tensor<1x8xi32>
         -> tensor<1x6x6x8xi32>
  return
}

// -----

func.func @f(%x: tensor<4x16x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>,
             %w: tensor<16x8x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0>>) {
  // expected-error@+1 {{'potq.matmul' op clamp_min/clamp_max need a quantized result; an integer result is the raw accumulator}}
  %0 = potq.matmul %x, %w {clamp_min = 0 : i64}
         : tensor<4x16x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>,
           tensor<16x8x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0>>
         -> tensor<4x8xi32>
  return
}

// -----

func.func @f(%x: tensor<4x16x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>,
             %w: tensor<16x8x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0>>) {
  // expected-error@+1 {{'potq.matmul' op clamp_min/clamp_max need a quantized result; an integer result is the raw accumulator}}
  %0 = potq.matmul %x, %w {clamp_max = 0 : i64}
         : tensor<4x16x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>,
           tensor<16x8x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0>>
         -> tensor<4x8xi64>
  return
}

// -----

func.func @f(%x: tensor<4x16x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>,
             %w: tensor<16x8x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0>>) {
  // expected-error@+1 {{'potq.matmul' op attribute 'clamp_min' failed to satisfy constraint: 64-bit signless integer attribute}}
  %0 = potq.matmul %x, %w {clamp_min = 0 : i32}
         : tensor<4x16x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>,
           tensor<16x8x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0>>
         -> tensor<4x8x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>
  return
}

// -----

func.func @f(%x: tensor<4x16x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>,
             %w: tensor<16x8x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0>>) {
  // expected-error@+1 {{'potq.matmul' op clamp bound -129 is not a level of the result in [-128, 127]}}
  %0 = potq.matmul %x, %w {clamp_min = -129 : i64}
         : tensor<4x16x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>,
           tensor<16x8x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0>>
         -> tensor<4x8x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>
  return
}

// -----

func.func @f(%x: tensor<4x16x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>,
             %w: tensor<16x8x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0>>) {
  // expected-error@+1 {{'potq.matmul' op clamp bound 256 is not a level of the result in [0, 255]}}
  %0 = potq.matmul %x, %w {clamp_max = 256 : i64}
         : tensor<4x16x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>,
           tensor<16x8x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0>>
         -> tensor<4x8x!potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 1.0, zero_point = 128>>
  return
}

// -----

func.func @f(%x: tensor<4x16x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>,
             %w: tensor<16x8x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0>>) {
  // expected-error@+1 {{'potq.matmul' op clamp_min = 5 exceeds clamp_max = 4}}
  %0 = potq.matmul %x, %w {clamp_min = 5 : i64, clamp_max = 4 : i64}
         : tensor<4x16x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>,
           tensor<16x8x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0>>
         -> tensor<4x8x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>
  return
}

// -----

func.func @f(%x: tensor<4x16x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>,
             %w: tensor<16x8x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0>>) {
  // expected-error@+1 {{'potq.matmul' op result must be a per-tensor uniform quantized type, got '!potq.q<#potq.apot<bits = 5>, f32, scale = 1.0e+00>'}}
  %0 = potq.matmul %x, %w
         : tensor<4x16x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>,
           tensor<16x8x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0>>
         -> tensor<4x8x!potq.q<#potq.apot<bits = 5>, f32, scale = 1.0>>
  return
}

// -----

func.func @f(%x: tensor<4x16x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>,
             %w: tensor<16x8x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0>>) {
  // expected-error@+1 {{'potq.matmul' op requantization multiplier is unsupported: multiplier m = 9.999999968289232e+29 is out of range: multipliers must be in [2^-62, 2^31]}}
  %0 = potq.matmul %x, %w
         : tensor<4x16x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>,
           tensor<16x8x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0>>
         -> tensor<4x8x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e-30>>
  return
}

// -----

func.func @f(%x: tensor<1x4x16x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>,
             %w: tensor<1x16x2x!potq.q<#potq.pot<bits = 4>, f32, axis = 2, scales = [1.0, 2.0e-12]>>) {
  // expected-error@+1 {{'potq.batch_matmul' op requantization multiplier of channel 1 is unsupported: multiplier m = 1.9999999920083944e-12 is out of range: multipliers that are not a power of two must be in [2^-32, 2^31)}}
  %0 = potq.batch_matmul %x, %w
         : tensor<1x4x16x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>,
           tensor<1x16x2x!potq.q<#potq.pot<bits = 4>, f32, axis = 2, scales = [1.0, 2.0e-12]>>
         -> tensor<1x4x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0>>
  return
}

// -----

// Regression: the dilated filter span must not wrap around 64 bits.
func.func @conv_dilation_overflow(%x: tensor<1x8x8x1x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>, %w: tensor<3x3x1x1x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e+00>>) -> tensor<1x1x1x1xi32> {
  // expected-error@+1 {{dilated filter height overflows 64 bits (dilation 4611686018427387904, filter height 3)}}
  %y = potq.conv_2d_nhwc_hwcf %x, %w {dilations = array<i64: 4611686018427387904, 1>, strides = array<i64: 4611686018427387904, 1>} : tensor<1x8x8x1x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>, tensor<3x3x1x1x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e+00>> -> tensor<1x1x1x1xi32>
  return %y : tensor<1x1x1x1xi32>
}

// -----

func.func @conv_zero_filter(%x: tensor<1x8x8x1x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>, %w: tensor<0x3x1x1x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e+00>>) -> tensor<1x9x6x1xi32> {
  // expected-error@+1 {{filter height must be positive, got 0}}
  %y = potq.conv_2d_nhwc_hwcf %x, %w : tensor<1x8x8x1x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>, tensor<0x3x1x1x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e+00>> -> tensor<1x9x6x1xi32>
  return %y : tensor<1x9x6x1xi32>
}

// -----

// expected-error@+1 {{scale 1.000000e-46 underflows to zero in f32}}
func.func private @scale_underflow(tensor<!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e-46>>)

// -----

func.func @constant_vector_value() -> tensor<2x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e+00>> {
  // expected-error@+1 {{value must be a ranked tensor, got 'vector<2xi8>'}}
  %c = potq.constant dense<[1, 2]> : vector<2xi8> -> tensor<2x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e+00>>
  return %c : tensor<2x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e+00>>
}

// -----

// Regression: dequantize names its own input and result shapes.
func.func @dequantize_shape_names(%q: tensor<4x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e+00>>) -> tensor<3xf32> {
  // expected-error@+1 {{input shape [4] and result shape [3] differ}}
  %d = potq.dequantize %q : tensor<4x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e+00>> -> tensor<3xf32>
  return %d : tensor<3xf32>
}

// -----

func.func @matmul_weight_zero_point(%x: tensor<1x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>, %w: tensor<2x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00, zero_point = 3>>) -> tensor<1x2xi32> {
  // expected-error@+1 {{weights must have zero point 0 (SPEC section 6 accumulates (X - Zx) * W)}}
  %y = potq.matmul %x, %w : tensor<1x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>, tensor<2x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00, zero_point = 3>> -> tensor<1x2xi32>
  return %y : tensor<1x2xi32>
}

// -----

func.func @max_pool_type_change(%x: tensor<1x4x4x1x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>) -> tensor<1x2x2x1x!potq.q<#potq.uniform<bits = 8>, f32, scale = 2.0e+00>> {
  // expected-error@+1 {{input and result must have the same quantized type}}
  %y = potq.max_pool_2d_nhwc %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x4x4x1x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>> -> tensor<1x2x2x1x!potq.q<#potq.uniform<bits = 8>, f32, scale = 2.0e+00>>
  return %y : tensor<1x2x2x1x!potq.q<#potq.uniform<bits = 8>, f32, scale = 2.0e+00>>
}

// -----

func.func @max_pool_rank(%x: tensor<4x4x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>) -> tensor<2x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>> {
  // expected-error@+1 {{expected NHWC input and result of rank 4}}
  %y = potq.max_pool_2d_nhwc %x {kernel = array<i64: 2, 2>} : tensor<4x4x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>> -> tensor<2x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>
  return %y : tensor<2x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>
}

// -----

func.func @max_pool_axis(%x: tensor<1x2x2x2x!potq.q<#potq.pot<bits = 4>, f32, axis = 1, scales = [1.0e+00, 2.0e+00]>>) -> tensor<1x1x1x2x!potq.q<#potq.pot<bits = 4>, f32, axis = 1, scales = [1.0e+00, 2.0e+00]>> {
  // expected-error@+1 {{per-channel scales must use the channel axis 3, got axis 1}}
  %y = potq.max_pool_2d_nhwc %x {kernel = array<i64: 2, 2>} : tensor<1x2x2x2x!potq.q<#potq.pot<bits = 4>, f32, axis = 1, scales = [1.0e+00, 2.0e+00]>> -> tensor<1x1x1x2x!potq.q<#potq.pot<bits = 4>, f32, axis = 1, scales = [1.0e+00, 2.0e+00]>>
  return %y : tensor<1x1x1x2x!potq.q<#potq.pot<bits = 4>, f32, axis = 1, scales = [1.0e+00, 2.0e+00]>>
}

// -----

func.func @max_pool_kernel(%x: tensor<1x4x4x1x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>) -> tensor<1x2x2x1x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>> {
  // expected-error@+1 {{kernel must be two positive values [height, width], got [0, 2]}}
  %y = potq.max_pool_2d_nhwc %x {kernel = array<i64: 0, 2>} : tensor<1x4x4x1x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>> -> tensor<1x2x2x1x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>
  return %y : tensor<1x2x2x1x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>
}

// -----

func.func @max_pool_shape(%x: tensor<1x4x4x1x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>) -> tensor<1x3x2x1x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>> {
  // expected-error@+1 {{result shape [1, 3, 2, 1] does not match the expected shape [1, 2, 2, 1]}}
  %y = potq.max_pool_2d_nhwc %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x4x4x1x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>> -> tensor<1x3x2x1x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>
  return %y : tensor<1x3x2x1x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>
}

// -----

func.func @wide_i32_result(%x: tensor<1x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>, %w: tensor<2x2x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e+00>>) -> tensor<1x2xi32> {
  // expected-error@+1 {{wide_accumulator needs a quantized or i64 result; an i32 result holds the raw i32 accumulator}}
  %y = potq.matmul %x, %w {wide_accumulator} : tensor<1x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>, tensor<2x2x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e+00>> -> tensor<1x2xi32>
  return %y : tensor<1x2xi32>
}

// -----

func.func @depthwise_channels(%x: tensor<1x5x5x3x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>, %w: tensor<3x3x2x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e+00>>) -> tensor<1x3x3x3xi32> {
  // expected-error@+1 {{input channels 3 do not match filter channels 2}}
  %y = potq.depthwise_conv_2d_nhwc_hwc %x, %w : tensor<1x5x5x3x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>, tensor<3x3x2x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e+00>> -> tensor<1x3x3x3xi32>
  return %y : tensor<1x3x3x3xi32>
}

// -----

func.func @depthwise_axis(%x: tensor<1x5x5x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>, %w: tensor<3x3x2x!potq.q<#potq.pot<bits = 4>, f32, axis = 0, scales = [1.0e+00, 1.0e+00, 1.0e+00]>>) -> tensor<1x3x3x2xi32> {
  // expected-error@+1 {{per-channel weight scales must use the output-channel axis 2, got axis 0}}
  %y = potq.depthwise_conv_2d_nhwc_hwc %x, %w : tensor<1x5x5x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>, tensor<3x3x2x!potq.q<#potq.pot<bits = 4>, f32, axis = 0, scales = [1.0e+00, 1.0e+00, 1.0e+00]>> -> tensor<1x3x3x2xi32>
  return %y : tensor<1x3x3x2xi32>
}

// -----

func.func @residual_integer_result(%x: tensor<1x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>, %w: tensor<2x2x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e+00>>, %r: tensor<1x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>) -> tensor<1x2xi32> {
  // expected-error@+1 {{a residual needs a quantized result}}
  %y = potq.matmul %x, %w residual(%r : tensor<1x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>) : tensor<1x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>, tensor<2x2x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e+00>> -> tensor<1x2xi32>
  return %y : tensor<1x2xi32>
}

// -----

func.func @residual_per_channel(%x: tensor<1x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>, %w: tensor<2x2x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e+00>>, %r: tensor<1x2x!potq.q<#potq.pot<bits = 4>, f32, axis = 1, scales = [1.0e+00, 2.0e+00]>>) -> tensor<1x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>> {
  // expected-error@+1 {{residual must be per-tensor quantized}}
  %y = potq.matmul %x, %w residual(%r : tensor<1x2x!potq.q<#potq.pot<bits = 4>, f32, axis = 1, scales = [1.0e+00, 2.0e+00]>>) : tensor<1x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>, tensor<2x2x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e+00>> -> tensor<1x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>
  return %y : tensor<1x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>
}

// -----

func.func @residual_shape(%x: tensor<1x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>, %w: tensor<2x2x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e+00>>, %r: tensor<2x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>) -> tensor<1x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>> {
  // expected-error@+1 {{residual shape [2, 2] differs from the result shape [1, 2]}}
  %y = potq.matmul %x, %w residual(%r : tensor<2x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>) : tensor<1x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>, tensor<2x2x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e+00>> -> tensor<1x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>
  return %y : tensor<1x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>
}

// -----

func.func @avg_pool_per_channel(%x: tensor<1x2x2x2x!potq.q<#potq.pot<bits = 4>, f32, axis = 3, scales = [1.0e+00, 2.0e+00]>>) -> tensor<1x1x1x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>> {
  // expected-error@+1 {{input must be per-tensor quantized}}
  %y = potq.avg_pool_2d_nhwc %x {kernel = array<i64: 2, 2>} : tensor<1x2x2x2x!potq.q<#potq.pot<bits = 4>, f32, axis = 3, scales = [1.0e+00, 2.0e+00]>> -> tensor<1x1x1x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>
  return %y : tensor<1x1x1x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>
}

// -----

func.func @avg_pool_non_uniform_result(%x: tensor<1x2x2x1x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>) -> tensor<1x1x1x1x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e+00>> {
  // expected-error@+1 {{result must be a per-tensor uniform quantized type}}
  %y = potq.avg_pool_2d_nhwc %x {kernel = array<i64: 2, 2>} : tensor<1x2x2x1x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>> -> tensor<1x1x1x1x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e+00>>
  return %y : tensor<1x1x1x1x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e+00>>
}

// -----

func.func @add_per_channel(%a: tensor<2x!potq.q<#potq.pot<bits = 4>, f32, axis = 0, scales = [1.0e+00, 2.0e+00]>>, %b: tensor<2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>) -> tensor<2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>> {
  // expected-error@+1 {{operands must be per-tensor quantized}}
  %y = potq.add %a, %b : tensor<2x!potq.q<#potq.pot<bits = 4>, f32, axis = 0, scales = [1.0e+00, 2.0e+00]>>, tensor<2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>> -> tensor<2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>
  return %y : tensor<2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>
}

// -----

func.func @add_shape(%a: tensor<2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>, %b: tensor<3x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>) -> tensor<2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>> {
  // expected-error@+1 {{input shape [3] and result shape [2] differ}}
  %y = potq.add %a, %b : tensor<2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>, tensor<3x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>> -> tensor<2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>
  return %y : tensor<2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>
}

// -----

func.func @add_alignment(%a: tensor<2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.048576e+06>>, %b: tensor<2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 3.0e-10>>) -> tensor<2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>> {
  // expected-error@+1 {{operand scales differ too much to align in 128-bit arithmetic}}
  %y = potq.add %a, %b : tensor<2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.048576e+06>>, tensor<2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 3.0e-10>> -> tensor<2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>
  return %y : tensor<2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>
}

// -----

func.func @add_clamp(%a: tensor<2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>) -> tensor<2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>> {
  // expected-error@+1 {{clamp_min = 5 exceeds clamp_max = 4}}
  %y = potq.add %a, %a {clamp_min = 5 : i64, clamp_max = 4 : i64} : tensor<2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>, tensor<2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>> -> tensor<2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>
  return %y : tensor<2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>
}

// -----

func.func @add_clamp_level(%a: tensor<2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>) -> tensor<2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>> {
  // expected-error@+1 {{clamp bound 300 is not a level of the result in [-128, 127]}}
  %y = potq.add %a, %a {clamp_max = 300 : i64} : tensor<2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>, tensor<2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>> -> tensor<2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>
  return %y : tensor<2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>
}

// -----

func.func @add_expressed(%a: tensor<2x!potq.q<#potq.uniform<bits = 8>, f16, scale = 1.0e+00>>) -> tensor<2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>> {
  // expected-error@+1 {{quantized operands and result must share one expressed type}}
  %y = potq.add %a, %a : tensor<2x!potq.q<#potq.uniform<bits = 8>, f16, scale = 1.0e+00>>, tensor<2x!potq.q<#potq.uniform<bits = 8>, f16, scale = 1.0e+00>> -> tensor<2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>
  return %y : tensor<2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>
}

// -----

func.func @add_multiplier(%a: tensor<2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+10>>) -> tensor<2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>> {
  // expected-error@+1 {{requantization multiplier is unsupported: multiplier m = 10000000000 is out of range}}
  %y = potq.add %a, %a : tensor<2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+10>>, tensor<2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+10>> -> tensor<2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>
  return %y : tensor<2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>
}

// -----

func.func @avg_pool_multiplier(%x: tensor<1x2x2x1x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+10>>) -> tensor<1x1x1x1x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>> {
  // expected-error@+1 {{requantization multiplier is unsupported}}
  %y = potq.avg_pool_2d_nhwc %x {kernel = array<i64: 2, 2>} : tensor<1x2x2x1x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+10>> -> tensor<1x1x1x1x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>
  return %y : tensor<1x1x1x1x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>
}

// -----

func.func @residual_expressed(%x: tensor<1x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>, %w: tensor<2x2x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e+00>>, %r: tensor<1x2x!potq.q<#potq.uniform<bits = 8>, f16, scale = 1.0e+00>>) -> tensor<1x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>> {
  // expected-error@+1 {{quantized operands and result must share one expressed type}}
  %y = potq.matmul %x, %w residual(%r : tensor<1x2x!potq.q<#potq.uniform<bits = 8>, f16, scale = 1.0e+00>>) : tensor<1x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>, tensor<2x2x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e+00>> -> tensor<1x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>
  return %y : tensor<1x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>
}

// -----

func.func @residual_multiplier(%x: tensor<1x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>, %w: tensor<2x2x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e+00>>, %r: tensor<1x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+10>>) -> tensor<1x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>> {
  // expected-error@+1 {{requantization multiplier is unsupported: multiplier m = 10000000000}}
  %y = potq.matmul %x, %w residual(%r : tensor<1x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+10>>) : tensor<1x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>, tensor<2x2x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e+00>> -> tensor<1x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>
  return %y : tensor<1x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>
}

// -----

// Regression: a negative parameter is reported as written, not wrapped.
// expected-error@+1 {{bits = -1 is out of range: expected a small non-negative integer}}
func.func private @negative_bits(tensor<!potq.q<#potq.pot<bits = -1>, f32, scale = 1.0e+00>>)

// -----

// expected-error@+1 {{max_exp = -3 is out of range: expected a small non-negative integer}}
func.func private @negative_max_exp(tensor<!potq.q<#potq.nhot<terms = 2, max_exp = -3>, f32, scale = 1.0e+00>>)

// -----

// expected-error@+1 {{bits = 99999999999 is out of range: expected a small non-negative integer}}
func.func private @huge_bits(tensor<!potq.q<#potq.uniform<bits = 99999999999>, f32, scale = 1.0e+00>>)
