// RUN: potq-opt %s | potq-opt | FileCheck %s
// RUN: potq-opt %s --mlir-print-op-generic | potq-opt | FileCheck %s

// Round trip of the encoding attributes, the !potq.q type and every potq op.
// Scales print in the shortest `D.DDDe±XX` spelling that reads back as the
// same binary32 value.

//===----------------------------------------------------------------------===//
// Encoding attributes
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @uniform_encodings
// CHECK-SAME: tensor<4x!potq.q<#potq.uniform<bits = 2>, f32, scale = 1.0e+00>>
// CHECK-SAME: tensor<4x!potq.q<#potq.uniform<bits = 16>, f32, scale = 1.0e+00>>
// CHECK-SAME: tensor<4x!potq.q<#potq.uniform<bits = 2, unsigned>, f32, scale = 1.0e+00>>
// CHECK-SAME: tensor<4x!potq.q<#potq.uniform<bits = 16, unsigned>, f32, scale = 1.0e+00>>
// CHECK-SAME: tensor<4x!potq.q<#potq.uniform<bits = 2, narrow>, f32, scale = 1.0e+00>>
// CHECK-SAME: tensor<4x!potq.q<#potq.uniform<bits = 16, narrow>, f32, scale = 1.0e+00>>
func.func @uniform_encodings(
    %a: tensor<4x!potq.q<#potq.uniform<bits = 2>, f32, scale = 1.0>>,
    %b: tensor<4x!potq.q<#potq.uniform<bits = 16>, f32, scale = 1.0>>,
    %c: tensor<4x!potq.q<#potq.uniform<bits = 2, unsigned>, f32, scale = 1.0>>,
    %d: tensor<4x!potq.q<#potq.uniform<bits = 16, unsigned>, f32, scale = 1.0>>,
    %e: tensor<4x!potq.q<#potq.uniform<bits = 2, narrow>, f32, scale = 1.0>>,
    %f: tensor<4x!potq.q<#potq.uniform<bits = 16, narrow>, f32, scale = 1.0>>) {
  return
}

// CHECK-LABEL: func.func @pot_encodings
// CHECK-SAME: tensor<4x!potq.q<#potq.pot<bits = 2>, f32, scale = 1.0e+00>>
// CHECK-SAME: tensor<4x!potq.q<#potq.pot<bits = 3>, f32, scale = 1.0e+00>>
// CHECK-SAME: tensor<4x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e+00>>
// CHECK-SAME: tensor<4x!potq.q<#potq.pot<bits = 5>, f32, scale = 1.0e+00>>
func.func @pot_encodings(
    %a: tensor<4x!potq.q<#potq.pot<bits = 2>, f32, scale = 1.0>>,
    %b: tensor<4x!potq.q<#potq.pot<bits = 3>, f32, scale = 1.0>>,
    %c: tensor<4x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0>>,
    %d: tensor<4x!potq.q<#potq.pot<bits = 5>, f32, scale = 1.0>>) {
  return
}

// CHECK-LABEL: func.func @apot_encodings
// CHECK-SAME: tensor<4x!potq.q<#potq.apot<bits = 3>, f32, scale = 1.0e+00>>
// CHECK-SAME: tensor<4x!potq.q<#potq.apot<bits = 4>, f32, scale = 1.0e+00>>
// CHECK-SAME: tensor<4x!potq.q<#potq.apot<bits = 5>, f32, scale = 1.0e+00>>
// CHECK-SAME: tensor<4x!potq.q<#potq.apot<bits = 6>, f32, scale = 1.0e+00>>
// CHECK-SAME: tensor<4x!potq.q<#potq.apot<bits = 7>, f32, scale = 1.0e+00>>
func.func @apot_encodings(
    %a: tensor<4x!potq.q<#potq.apot<bits = 3>, f32, scale = 1.0>>,
    %b: tensor<4x!potq.q<#potq.apot<bits = 4>, f32, scale = 1.0>>,
    %c: tensor<4x!potq.q<#potq.apot<bits = 5>, f32, scale = 1.0>>,
    %d: tensor<4x!potq.q<#potq.apot<bits = 6>, f32, scale = 1.0>>,
    %e: tensor<4x!potq.q<#potq.apot<bits = 7>, f32, scale = 1.0>>) {
  return
}

// CHECK-LABEL: func.func @nhot_encodings
// CHECK-SAME: tensor<4x!potq.q<#potq.nhot<terms = 1, max_exp = 0>, f32, scale = 1.0e+00>>
// CHECK-SAME: tensor<4x!potq.q<#potq.nhot<terms = 2, max_exp = 7>, f32, scale = 1.0e+00>>
// CHECK-SAME: tensor<4x!potq.q<#potq.nhot<terms = 4, max_exp = 15>, f32, scale = 1.0e+00>>
func.func @nhot_encodings(
    %a: tensor<4x!potq.q<#potq.nhot<terms = 1, max_exp = 0>, f32, scale = 1.0>>,
    %b: tensor<4x!potq.q<#potq.nhot<terms = 2, max_exp = 7>, f32, scale = 1.0>>,
    %c: tensor<4x!potq.q<#potq.nhot<terms = 4, max_exp = 15>, f32, scale = 1.0>>) {
  return
}

// Encoding attributes are ordinary attributes outside of a type too.
// CHECK-LABEL: func.func private @bare_encodings()
// CHECK-SAME: a = #potq.uniform<bits = 8, unsigned>
// CHECK-SAME: b = #potq.pot<bits = 4>
// CHECK-SAME: c = #potq.apot<bits = 5>
// CHECK-SAME: d = #potq.nhot<terms = 3, max_exp = 9>
func.func private @bare_encodings() attributes {
  a = #potq.uniform<bits = 8, unsigned>, b = #potq.pot<bits = 4>,
  c = #potq.apot<bits = 5>, d = #potq.nhot<terms = 3, max_exp = 9>}

//===----------------------------------------------------------------------===//
// The quantized type
//===----------------------------------------------------------------------===//

// A zero zero_point is the default and is not printed.
// CHECK-LABEL: func.func @per_tensor
// CHECK-SAME: tensor<2x3x!potq.q<#potq.uniform<bits = 8>, f32, scale = 5.0e-02>>
// CHECK-SAME: tensor<2x3x!potq.q<#potq.uniform<bits = 8>, f32, scale = 5.0e-02>>
// CHECK-SAME: tensor<2x3x!potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 2.0e-02, zero_point = 128>>
// CHECK-SAME: tensor<!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e-01, zero_point = -128>>
// CHECK-SAME: tensor<?x?x!potq.q<#potq.uniform<bits = 16, narrow>, f32, scale = 1.0e-03, zero_point = 32767>>
func.func @per_tensor(
    %a: tensor<2x3x!potq.q<#potq.uniform<bits = 8>, f32, scale = 0.05>>,
    %b: tensor<2x3x!potq.q<#potq.uniform<bits = 8>, f32, scale = 0.05, zero_point = 0>>,
    %c: tensor<2x3x!potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 0.02, zero_point = 128>>,
    %d: tensor<!potq.q<#potq.uniform<bits = 8>, f32, scale = 0.1, zero_point = -128>>,
    %e: tensor<?x?x!potq.q<#potq.uniform<bits = 16, narrow>, f32, scale = 0.001, zero_point = 32767>>) {
  return
}

// CHECK-LABEL: func.func @per_channel
// CHECK-SAME: tensor<3x2x!potq.q<#potq.apot<bits = 4>, f32, axis = 1, scales = [1.0e-01, 2.5e-01]>>
// CHECK-SAME: tensor<3x2x!potq.q<#potq.pot<bits = 4>, f32, axis = 0, scales = [1.0e+00, 2.0e+00, 1.5e+00]>>
// CHECK-SAME: tensor<1x!potq.q<#potq.nhot<terms = 2, max_exp = 7>, f32, axis = 0, scales = [3.0e-01]>>
// CHECK-SAME: tensor<?x4x!potq.q<#potq.uniform<bits = 8>, f32, axis = 0, scales = [1.0e+00, 2.0e+00]>>
func.func @per_channel(
    %a: tensor<3x2x!potq.q<#potq.apot<bits = 4>, f32, axis = 1, scales = [0.1, 0.25]>>,
    %b: tensor<3x2x!potq.q<#potq.pot<bits = 4>, f32, axis = 0, scales = [1.0, 2.0, 1.5]>>,
    %c: tensor<1x!potq.q<#potq.nhot<terms = 2, max_exp = 7>, f32, axis = 0, scales = [0.3]>>,
    %d: tensor<?x4x!potq.q<#potq.uniform<bits = 8>, f32, axis = 0, scales = [1.0, 2.0]>>) {
  return
}

// CHECK-LABEL: func.func @expressed_types
// CHECK-SAME: tensor<4x!potq.q<#potq.pot<bits = 4>, f16, scale = 1.25e-01>>
// CHECK-SAME: tensor<4x!potq.q<#potq.pot<bits = 4>, bf16, scale = 1.25e-01>>
// CHECK-SAME: tensor<4x!potq.q<#potq.uniform<bits = 8>, f16, scale = 1.0e-01, zero_point = 3>>
// CHECK-SAME: tensor<2x!potq.q<#potq.apot<bits = 5>, bf16, axis = 0, scales = [1.0e-01, 2.0e-01]>>
func.func @expressed_types(
    %a: tensor<4x!potq.q<#potq.pot<bits = 4>, f16, scale = 0.125>>,
    %b: tensor<4x!potq.q<#potq.pot<bits = 4>, bf16, scale = 0.125>>,
    %c: tensor<4x!potq.q<#potq.uniform<bits = 8>, f16, scale = 0.1, zero_point = 3>>,
    %d: tensor<2x!potq.q<#potq.apot<bits = 5>, bf16, axis = 0, scales = [0.1, 0.2]>>) {
  return
}

// Scales are rounded to binary32 and print in the shortest form that reads
// back exactly: 0.123456789 is 0.12345679104... in binary32, 16777217 rounds
// to 2^24, 1.0e-40 is a denormal, 1.0e-45 rounds to the smallest denormal
// 2^-149 (1.4e-45), the largest finite f32 and the smallest normal f32
// need 8 digits, 0.1 + 2 ulp needs all 9. Hexadecimal literals are the bits
// of an f64 (0x3FD0000000000000 = 0.25).
// CHECK-LABEL: func.func @scale_spelling
// CHECK-SAME: scale = 1.0e-01>>
// CHECK-SAME: scale = 1.2345679e-01>>
// CHECK-SAME: scale = 2.5e-01>>
// CHECK-SAME: scale = 1.0e-40>>
// CHECK-SAME: scale = 1.4e-45>>
// CHECK-SAME: scale = 1.6777216e+07>>
// CHECK-SAME: scale = 3.4028235e+38>>
// CHECK-SAME: scale = 3.0e-01>>
// CHECK-SAME: scale = 1.0e+00>>
// CHECK-SAME: scale = 1.0e-01>>
// CHECK-SAME: scale = 2.5e-01>>
// CHECK-SAME: scale = 1.0000001e+00>>
// CHECK-SAME: scale = 1.1754944e-38>>
// CHECK-SAME: scale = 1.00000024e-01>>
func.func @scale_spelling(
    %a: tensor<!potq.q<#potq.pot<bits = 4>, f32, scale = 0.1>>,
    %b: tensor<!potq.q<#potq.pot<bits = 4>, f32, scale = 0.123456789>>,
    %c: tensor<!potq.q<#potq.pot<bits = 4>, f32, scale = 0.25>>,
    %d: tensor<!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e-40>>,
    %e: tensor<!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e-45>>,
    %f: tensor<!potq.q<#potq.pot<bits = 4>, f32, scale = 16777217.0>>,
    %g: tensor<!potq.q<#potq.pot<bits = 4>, f32, scale = 3.4028234663852886e38>>,
    %h: tensor<!potq.q<#potq.pot<bits = 4>, f32, scale = 0.30000001192092896>>,
    %i: tensor<!potq.q<#potq.pot<bits = 4>, f32, scale = 1.>>,
    %j: tensor<!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e-1>>,
    %k: tensor<!potq.q<#potq.pot<bits = 4>, f32, scale = 0x3FD0000000000000>>,
    %l: tensor<!potq.q<#potq.pot<bits = 4>, f32, scale = 1.00000011920928955078125>>,
    %m: tensor<!potq.q<#potq.pot<bits = 4>, f32, scale = 1.1754943508222875e-38>>,
    %n: tensor<!potq.q<#potq.pot<bits = 4>, f32, scale = 0.10000002384185791>>) {
  return
}

//===----------------------------------------------------------------------===//
// Conversions
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @quantize
// CHECK: %{{.*}} = potq.quantize %{{.*}} : tensor<4x8xf32> -> tensor<4x8x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.25e-01>>
// CHECK: %{{.*}} = potq.quantize %{{.*}} : tensor<4x8xf32> -> tensor<4x8x!potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 2.0e-02, zero_point = 128>>
// CHECK: %{{.*}} = potq.quantize %{{.*}} : tensor<4x8xf32> -> tensor<4x8x!potq.q<#potq.apot<bits = 4>, f32, axis = 0, scales = [1.0e-01, 2.0e-01, 3.0e-01, 4.0e-01]>>
// CHECK: %{{.*}} = potq.quantize %{{.*}} : tensor<?x8xf32> -> tensor<?x8x!potq.q<#potq.nhot<terms = 2, max_exp = 7>, f32, scale = 1.0e+00>>
// CHECK: %{{.*}} = potq.quantize %{{.*}} : tensor<4x8xf32> -> tensor<?x8x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e+00>>
// CHECK: %{{.*}} = potq.quantize %{{.*}} : tensor<3xf16> -> tensor<3x!potq.q<#potq.pot<bits = 4>, f16, scale = 1.25e-01>>
// CHECK: %{{.*}} = potq.quantize %{{.*}} : tensor<3xbf16> -> tensor<3x!potq.q<#potq.pot<bits = 4>, bf16, scale = 1.25e-01>>
func.func @quantize(%x: tensor<4x8xf32>, %d: tensor<?x8xf32>, %h: tensor<3xf16>, %b: tensor<3xbf16>) {
  %0 = potq.quantize %x : tensor<4x8xf32>
         -> tensor<4x8x!potq.q<#potq.pot<bits = 4>, f32, scale = 0.125>>
  %1 = potq.quantize %x : tensor<4x8xf32>
         -> tensor<4x8x!potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 0.02, zero_point = 128>>
  %2 = potq.quantize %x : tensor<4x8xf32>
         -> tensor<4x8x!potq.q<#potq.apot<bits = 4>, f32, axis = 0, scales = [0.1, 0.2, 0.3, 0.4]>>
  %3 = potq.quantize %d : tensor<?x8xf32>
         -> tensor<?x8x!potq.q<#potq.nhot<terms = 2, max_exp = 7>, f32, scale = 1.0>>
  %4 = potq.quantize %x : tensor<4x8xf32>
         -> tensor<?x8x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0>>
  %5 = potq.quantize %h : tensor<3xf16>
         -> tensor<3x!potq.q<#potq.pot<bits = 4>, f16, scale = 0.125>>
  %6 = potq.quantize %b : tensor<3xbf16>
         -> tensor<3x!potq.q<#potq.pot<bits = 4>, bf16, scale = 0.125>>
  return
}

// CHECK-LABEL: func.func @dequantize
// CHECK: %{{.*}} = potq.dequantize %{{.*}} : tensor<4x8x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.25e-01>> -> tensor<4x8xf32>
// CHECK: %{{.*}} = potq.dequantize %{{.*}} : tensor<2x!potq.q<#potq.uniform<bits = 8>, bf16, axis = 0, scales = [1.0e-01, 2.0e-01]>> -> tensor<2xbf16>
// CHECK: %{{.*}} = potq.dequantize %{{.*}} : tensor<?x!potq.q<#potq.uniform<bits = 4, narrow>, f16, scale = 5.0e-01, zero_point = -7>> -> tensor<?xf16>
func.func @dequantize(
    %a: tensor<4x8x!potq.q<#potq.pot<bits = 4>, f32, scale = 0.125>>,
    %b: tensor<2x!potq.q<#potq.uniform<bits = 8>, bf16, axis = 0, scales = [0.1, 0.2]>>,
    %c: tensor<?x!potq.q<#potq.uniform<bits = 4, narrow>, f16, scale = 0.5, zero_point = -7>>) {
  %0 = potq.dequantize %a : tensor<4x8x!potq.q<#potq.pot<bits = 4>, f32, scale = 0.125>>
         -> tensor<4x8xf32>
  %1 = potq.dequantize %b : tensor<2x!potq.q<#potq.uniform<bits = 8>, bf16, axis = 0, scales = [0.1, 0.2]>>
         -> tensor<2xbf16>
  %2 = potq.dequantize %c : tensor<?x!potq.q<#potq.uniform<bits = 4, narrow>, f16, scale = 0.5, zero_point = -7>>
         -> tensor<?xf16>
  return
}

//===----------------------------------------------------------------------===//
// Constants
//===----------------------------------------------------------------------===//

// The storage type is the smallest of i8/i16/i32 holding every level: pot<4>
// reaches 64 (i8), pot<5> 2^14 (i16), apot<7> 448 (i16), nhot<4, 15>
// 4 * 2^15 (i32), uniform<16, unsigned> 65535 (i16 read unsigned).
// Unsigned levels are stored unsigned: level 255 of uniform<8, unsigned> is
// the i8 bit pattern 0xFF and prints as -1.
// CHECK-LABEL: func.func @constants
// CHECK: potq.constant dense<{{\[}}[1, -2], [0, 64]]> : tensor<2x2xi8> -> tensor<2x2x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e-02>>
// CHECK: potq.constant dense<[16384, -16384, 0]> : tensor<3xi16> -> tensor<3x!potq.q<#potq.pot<bits = 5>, f32, scale = 1.0e-02>>
// CHECK: potq.constant dense<[448, -257, 0]> : tensor<3xi16> -> tensor<3x!potq.q<#potq.apot<bits = 7>, f32, scale = 1.0e-02>>
// CHECK: potq.constant dense<[131072, -131072, 98303]> : tensor<3xi32> -> tensor<3x!potq.q<#potq.nhot<terms = 4, max_exp = 15>, f32, scale = 1.0e-02>>
// CHECK: potq.constant dense<[-1, 0, 127, -128]> : tensor<4xi8> -> tensor<4x!potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 1.0e-01, zero_point = 128>>
// CHECK: potq.constant dense<[-1, 0]> : tensor<2xi16> -> tensor<2x!potq.q<#potq.uniform<bits = 16, unsigned>, f32, scale = 1.0e-01>>
// CHECK: potq.constant dense<[-32767, 32767]> : tensor<2xi16> -> tensor<2x!potq.q<#potq.uniform<bits = 16, narrow>, f32, scale = 1.0e-01>>
// CHECK: potq.constant dense<[-1, 0, 1]> : tensor<3xi8> -> tensor<3x!potq.q<#potq.nhot<terms = 1, max_exp = 0>, bf16, scale = 1.0e+00>>
// CHECK: potq.constant dense<[{{\[}}1, 2], [-4, 0]]> : tensor<2x2xi8> -> tensor<2x2x!potq.q<#potq.apot<bits = 4>, f16, axis = 0, scales = [1.0e-01, 2.0e-01]>>
// CHECK: potq.constant dense<1> : tensor<2x3xi8> -> tensor<2x3x!potq.q<#potq.pot<bits = 2>, f32, scale = 1.0e+00>>
// CHECK: potq.constant dense<> : tensor<0x4xi8> -> tensor<0x4x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e+00>>
// CHECK: potq.constant dense<-8> : tensor<i8> -> tensor<!potq.q<#potq.uniform<bits = 4>, f32, scale = 1.0e+00, zero_point = 7>>
func.func @constants() {
  %0 = potq.constant dense<[[1, -2], [0, 64]]> : tensor<2x2xi8>
         -> tensor<2x2x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e-02>>
  %1 = potq.constant dense<[16384, -16384, 0]> : tensor<3xi16>
         -> tensor<3x!potq.q<#potq.pot<bits = 5>, f32, scale = 1.0e-02>>
  %2 = potq.constant dense<[448, -257, 0]> : tensor<3xi16>
         -> tensor<3x!potq.q<#potq.apot<bits = 7>, f32, scale = 1.0e-02>>
  %3 = potq.constant dense<[131072, -131072, 98303]> : tensor<3xi32>
         -> tensor<3x!potq.q<#potq.nhot<terms = 4, max_exp = 15>, f32, scale = 1.0e-02>>
  %4 = potq.constant dense<[255, 0, 127, 128]> : tensor<4xi8>
         -> tensor<4x!potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 1.0e-01, zero_point = 128>>
  %5 = potq.constant dense<[65535, 0]> : tensor<2xi16>
         -> tensor<2x!potq.q<#potq.uniform<bits = 16, unsigned>, f32, scale = 1.0e-01>>
  %6 = potq.constant dense<[-32767, 32767]> : tensor<2xi16>
         -> tensor<2x!potq.q<#potq.uniform<bits = 16, narrow>, f32, scale = 1.0e-01>>
  %7 = potq.constant dense<[-1, 0, 1]> : tensor<3xi8>
         -> tensor<3x!potq.q<#potq.nhot<terms = 1, max_exp = 0>, bf16, scale = 1.0>>
  %8 = potq.constant dense<[[1, 2], [-4, 0]]> : tensor<2x2xi8>
         -> tensor<2x2x!potq.q<#potq.apot<bits = 4>, f16, axis = 0, scales = [0.1, 0.2]>>
  %9 = potq.constant dense<1> : tensor<2x3xi8>
         -> tensor<2x3x!potq.q<#potq.pot<bits = 2>, f32, scale = 1.0>>
  %10 = potq.constant dense<> : tensor<0x4xi8>
         -> tensor<0x4x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0>>
  %11 = potq.constant dense<-8> : tensor<i8>
         -> tensor<!potq.q<#potq.uniform<bits = 4>, f32, scale = 1.0, zero_point = 7>>
  return
}

//===----------------------------------------------------------------------===//
// Requantization
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @requantize
// CHECK: %{{.*}} = potq.requantize %{{.*}} : tensor<8x!potq.q<#potq.uniform<bits = 16>, f32, scale = 1.0e-03>> -> tensor<8x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e-01>>
// CHECK: %{{.*}} = potq.requantize %{{.*}} : tensor<2x3x!potq.q<#potq.pot<bits = 4>, f32, axis = 0, scales = [1.0e-02, 2.0e-02]>> -> tensor<2x3x!potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 5.0e-02, zero_point = 128>>
// CHECK: %{{.*}} = potq.requantize %{{.*}} : tensor<?x!potq.q<#potq.nhot<terms = 2, max_exp = 7>, bf16, scale = 2.5e-01>> -> tensor<?x!potq.q<#potq.uniform<bits = 4, narrow>, bf16, scale = 1.0e+00>>
func.func @requantize(
    %a: tensor<8x!potq.q<#potq.uniform<bits = 16>, f32, scale = 1.0e-03>>,
    %b: tensor<2x3x!potq.q<#potq.pot<bits = 4>, f32, axis = 0, scales = [0.01, 0.02]>>,
    %c: tensor<?x!potq.q<#potq.nhot<terms = 2, max_exp = 7>, bf16, scale = 0.25>>) {
  %0 = potq.requantize %a
         : tensor<8x!potq.q<#potq.uniform<bits = 16>, f32, scale = 1.0e-03>>
         -> tensor<8x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e-01>>
  %1 = potq.requantize %b
         : tensor<2x3x!potq.q<#potq.pot<bits = 4>, f32, axis = 0, scales = [0.01, 0.02]>>
         -> tensor<2x3x!potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 0.05, zero_point = 128>>
  %2 = potq.requantize %c
         : tensor<?x!potq.q<#potq.nhot<terms = 2, max_exp = 7>, bf16, scale = 0.25>>
         -> tensor<?x!potq.q<#potq.uniform<bits = 4, narrow>, bf16, scale = 1.0>>
  return
}

//===----------------------------------------------------------------------===//
// Contractions
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @matmul
// CHECK: %{{.*}} = potq.matmul %{{.*}}, %{{.*}} : tensor<4x16x!potq.q<#potq.uniform<bits = 8>, f32, scale = 5.0e-02, zero_point = -128>>, tensor<16x8x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e-02>> -> tensor<4x8xi32>
// CHECK: %{{.*}} = potq.matmul %{{.*}}, %{{.*}} : tensor<4x16x!potq.q<#potq.uniform<bits = 8>, f32, scale = 5.0e-02, zero_point = -128>>, tensor<16x8x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e-02>> -> tensor<4x8xi64>
// CHECK: %{{.*}} = potq.matmul %{{.*}}, %{{.*}} bias %{{.*}} : tensor<4x16x!potq.q<#potq.uniform<bits = 8>, f32, scale = 5.0e-02, zero_point = -128>>, tensor<16x8x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e-02>>, tensor<8xi32> -> tensor<4x8xi32>
// CHECK: %{{.*}} = potq.matmul %{{.*}}, %{{.*}} bias %{{.*}} {clamp_min = -128 : i64} : tensor<4x16x!potq.q<#potq.uniform<bits = 8>, f32, scale = 5.0e-02, zero_point = -128>>, tensor<16x8x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e-02>>, tensor<8xi32> -> tensor<4x8x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e-01, zero_point = -128>>
// CHECK: %{{.*}} = potq.matmul %{{.*}}, %{{.*}} {clamp_max = 6 : i64, clamp_min = 0 : i64} : tensor<4x16x!potq.q<#potq.uniform<bits = 8>, f32, scale = 5.0e-02, zero_point = -128>>, tensor<16x8x!potq.q<#potq.apot<bits = 5>, f32, axis = 1, scales = [1.0e-02, 2.0e-02, 1.0e-02, 1.0e-02, 1.0e-02, 1.0e-02, 1.0e-02, 4.0e-02]>> -> tensor<4x8x!potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 1.0e-01>>
// CHECK: %{{.*}} = potq.matmul %{{.*}}, %{{.*}} : tensor<?x?x!potq.q<#potq.uniform<bits = 16>, bf16, scale = 1.0e+00>>, tensor<?x?x!potq.q<#potq.nhot<terms = 2, max_exp = 7>, bf16, scale = 1.0e+00>> -> tensor<?x?xi32>
func.func @matmul(
    %x: tensor<4x16x!potq.q<#potq.uniform<bits = 8>, f32, scale = 5.0e-02, zero_point = -128>>,
    %w: tensor<16x8x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e-02>>,
    %wc: tensor<16x8x!potq.q<#potq.apot<bits = 5>, f32, axis = 1,
           scales = [0.01, 0.02, 0.01, 0.01, 0.01, 0.01, 0.01, 0.04]>>,
    %b: tensor<8xi32>,
    %xd: tensor<?x?x!potq.q<#potq.uniform<bits = 16>, bf16, scale = 1.0>>,
    %wd: tensor<?x?x!potq.q<#potq.nhot<terms = 2, max_exp = 7>, bf16, scale = 1.0>>) {
  %0 = potq.matmul %x, %w
         : tensor<4x16x!potq.q<#potq.uniform<bits = 8>, f32, scale = 5.0e-02, zero_point = -128>>,
           tensor<16x8x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e-02>>
         -> tensor<4x8xi32>
  %1 = potq.matmul %x, %w
         : tensor<4x16x!potq.q<#potq.uniform<bits = 8>, f32, scale = 5.0e-02, zero_point = -128>>,
           tensor<16x8x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e-02>>
         -> tensor<4x8xi64>
  %2 = potq.matmul %x, %w bias %b
         : tensor<4x16x!potq.q<#potq.uniform<bits = 8>, f32, scale = 5.0e-02, zero_point = -128>>,
           tensor<16x8x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e-02>>,
           tensor<8xi32>
         -> tensor<4x8xi32>
  %3 = potq.matmul %x, %w bias %b {clamp_min = -128 : i64}
         : tensor<4x16x!potq.q<#potq.uniform<bits = 8>, f32, scale = 5.0e-02, zero_point = -128>>,
           tensor<16x8x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e-02>>,
           tensor<8xi32>
         -> tensor<4x8x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e-01, zero_point = -128>>
  %4 = potq.matmul %x, %wc {clamp_min = 0 : i64, clamp_max = 6 : i64}
         : tensor<4x16x!potq.q<#potq.uniform<bits = 8>, f32, scale = 5.0e-02, zero_point = -128>>,
           tensor<16x8x!potq.q<#potq.apot<bits = 5>, f32, axis = 1,
             scales = [0.01, 0.02, 0.01, 0.01, 0.01, 0.01, 0.01, 0.04]>>
         -> tensor<4x8x!potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 0.1>>
  %5 = potq.matmul %xd, %wd
         : tensor<?x?x!potq.q<#potq.uniform<bits = 16>, bf16, scale = 1.0>>,
           tensor<?x?x!potq.q<#potq.nhot<terms = 2, max_exp = 7>, bf16, scale = 1.0>>
         -> tensor<?x?xi32>
  return
}

// CHECK-LABEL: func.func @batch_matmul
// CHECK: %{{.*}} = potq.batch_matmul %{{.*}}, %{{.*}} : tensor<2x4x16x!potq.q<#potq.uniform<bits = 8>, f32, scale = 5.0e-02>>, tensor<2x16x8x!potq.q<#potq.apot<bits = 4>, f32, scale = 1.0e-02>> -> tensor<2x4x8xi32>
// CHECK: %{{.*}} = potq.batch_matmul %{{.*}}, %{{.*}} bias %{{.*}} {clamp_max = 100 : i64} : tensor<?x4x16x!potq.q<#potq.uniform<bits = 8>, f32, scale = 5.0e-02>>, tensor<2x16x3x!potq.q<#potq.pot<bits = 3>, f32, axis = 2, scales = [1.0e-02, 2.0e-02, 4.0e-02]>>, tensor<3xi32> -> tensor<?x4x3x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e-01>>
// CHECK: %{{.*}} = potq.batch_matmul %{{.*}}, %{{.*}} : tensor<?x4x16x!potq.q<#potq.uniform<bits = 8>, f32, scale = 5.0e-02>>, tensor<?x16x8x!potq.q<#potq.apot<bits = 4>, f32, scale = 1.0e-02>> -> tensor<?x4x8xi64>
func.func @batch_matmul(
    %x: tensor<2x4x16x!potq.q<#potq.uniform<bits = 8>, f32, scale = 5.0e-02>>,
    %w: tensor<2x16x8x!potq.q<#potq.apot<bits = 4>, f32, scale = 1.0e-02>>,
    %xd: tensor<?x4x16x!potq.q<#potq.uniform<bits = 8>, f32, scale = 5.0e-02>>,
    %wc: tensor<2x16x3x!potq.q<#potq.pot<bits = 3>, f32, axis = 2, scales = [0.01, 0.02, 0.04]>>,
    %wd: tensor<?x16x8x!potq.q<#potq.apot<bits = 4>, f32, scale = 1.0e-02>>,
    %b: tensor<3xi32>) {
  %0 = potq.batch_matmul %x, %w
         : tensor<2x4x16x!potq.q<#potq.uniform<bits = 8>, f32, scale = 5.0e-02>>,
           tensor<2x16x8x!potq.q<#potq.apot<bits = 4>, f32, scale = 1.0e-02>>
         -> tensor<2x4x8xi32>
  %1 = potq.batch_matmul %xd, %wc bias %b {clamp_max = 100 : i64}
         : tensor<?x4x16x!potq.q<#potq.uniform<bits = 8>, f32, scale = 5.0e-02>>,
           tensor<2x16x3x!potq.q<#potq.pot<bits = 3>, f32, axis = 2, scales = [0.01, 0.02, 0.04]>>,
           tensor<3xi32>
         -> tensor<?x4x3x!potq.q<#potq.uniform<bits = 8>, f32, scale = 0.1>>
  %2 = potq.batch_matmul %xd, %wd
         : tensor<?x4x16x!potq.q<#potq.uniform<bits = 8>, f32, scale = 5.0e-02>>,
           tensor<?x16x8x!potq.q<#potq.apot<bits = 4>, f32, scale = 1.0e-02>>
         -> tensor<?x4x8xi64>
  return
}

// Output sizes: (H - d * (K - 1) - 1) / s + 1, e.g. (9 - 2 - 1) / 2 + 1 = 4
// and (9 - 2 * 2 - 1) / 1 + 1 = 5.
// CHECK-LABEL: func.func @conv_2d_nhwc_hwcf
// CHECK: %{{.*}} = potq.conv_2d_nhwc_hwcf %{{.*}}, %{{.*}} : tensor<1x9x9x3x!potq.q<#potq.uniform<bits = 8>, f32, scale = 5.0e-02>>, tensor<3x3x3x8x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e-02>> -> tensor<1x7x7x8xi32>
// CHECK: %{{.*}} = potq.conv_2d_nhwc_hwcf %{{.*}}, %{{.*}} {dilations = array<i64: 1, 2>, strides = array<i64: 2, 1>} : tensor<?x9x9x3x!potq.q<#potq.uniform<bits = 8>, f32, scale = 5.0e-02>>, tensor<3x3x3x8x!potq.q<#potq.pot<bits = 4>, f32, axis = 3, scales = [1.0e-02, 1.0e-02, 2.0e-02, 1.0e-02, 1.0e-02, 1.0e-02, 1.0e-02, 1.0e-02]>> -> tensor<?x4x5x8xi32>
// CHECK: %{{.*}} = potq.conv_2d_nhwc_hwcf %{{.*}}, %{{.*}} bias %{{.*}} {clamp_max = 127 : i64, clamp_min = -128 : i64, strides = array<i64: 2, 2>} : tensor<?x9x9x3x!potq.q<#potq.uniform<bits = 8>, f32, scale = 5.0e-02>>, tensor<3x3x3x8x!potq.q<#potq.pot<bits = 4>, f32, axis = 3, scales = [1.0e-02, 1.0e-02, 2.0e-02, 1.0e-02, 1.0e-02, 1.0e-02, 1.0e-02, 1.0e-02]>>, tensor<8xi32> -> tensor<?x4x4x8x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e-01, zero_point = -128>>
// CHECK: %{{.*}} = potq.conv_2d_nhwc_hwcf %{{.*}}, %{{.*}} : tensor<?x?x?x3x!potq.q<#potq.uniform<bits = 8>, f32, scale = 5.0e-02>>, tensor<3x3x3x8x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e-02>> -> tensor<?x?x?x8xi64>
func.func @conv_2d_nhwc_hwcf(
    %x: tensor<1x9x9x3x!potq.q<#potq.uniform<bits = 8>, f32, scale = 5.0e-02>>,
    %xd: tensor<?x9x9x3x!potq.q<#potq.uniform<bits = 8>, f32, scale = 5.0e-02>>,
    %xs: tensor<?x?x?x3x!potq.q<#potq.uniform<bits = 8>, f32, scale = 5.0e-02>>,
    %w: tensor<3x3x3x8x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e-02>>,
    %wc: tensor<3x3x3x8x!potq.q<#potq.pot<bits = 4>, f32, axis = 3,
           scales = [1.0e-02, 1.0e-02, 2.0e-02, 1.0e-02, 1.0e-02, 1.0e-02, 1.0e-02, 1.0e-02]>>,
    %b: tensor<8xi32>) {
  %0 = potq.conv_2d_nhwc_hwcf %x, %w
         : tensor<1x9x9x3x!potq.q<#potq.uniform<bits = 8>, f32, scale = 5.0e-02>>,
           tensor<3x3x3x8x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e-02>>
         -> tensor<1x7x7x8xi32>
  %1 = potq.conv_2d_nhwc_hwcf %xd, %wc {strides = array<i64: 2, 1>, dilations = array<i64: 1, 2>}
         : tensor<?x9x9x3x!potq.q<#potq.uniform<bits = 8>, f32, scale = 5.0e-02>>,
           tensor<3x3x3x8x!potq.q<#potq.pot<bits = 4>, f32, axis = 3,
             scales = [1.0e-02, 1.0e-02, 2.0e-02, 1.0e-02, 1.0e-02, 1.0e-02, 1.0e-02, 1.0e-02]>>
         -> tensor<?x4x5x8xi32>
  %2 = potq.conv_2d_nhwc_hwcf %xd, %wc bias %b {strides = array<i64: 2, 2>, clamp_min = -128 : i64, clamp_max = 127 : i64}
         : tensor<?x9x9x3x!potq.q<#potq.uniform<bits = 8>, f32, scale = 5.0e-02>>,
           tensor<3x3x3x8x!potq.q<#potq.pot<bits = 4>, f32, axis = 3,
             scales = [1.0e-02, 1.0e-02, 2.0e-02, 1.0e-02, 1.0e-02, 1.0e-02, 1.0e-02, 1.0e-02]>>,
           tensor<8xi32>
         -> tensor<?x4x4x8x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e-01, zero_point = -128>>
  %3 = potq.conv_2d_nhwc_hwcf %xs, %w
         : tensor<?x?x?x3x!potq.q<#potq.uniform<bits = 8>, f32, scale = 5.0e-02>>,
           tensor<3x3x3x8x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e-02>>
         -> tensor<?x?x?x8xi64>
  return
}

// CHECK-LABEL: func.func @conv_2d_nchw_fchw
// CHECK: %{{.*}} = potq.conv_2d_nchw_fchw %{{.*}}, %{{.*}} : tensor<1x3x8x8x!potq.q<#potq.uniform<bits = 8>, f32, scale = 5.0e-02>>, tensor<4x3x3x3x!potq.q<#potq.apot<bits = 5>, f32, axis = 0, scales = [1.0e-02, 1.0e-02, 2.0e-02, 1.0e-02]>> -> tensor<1x4x6x6x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e-01>>
// CHECK: %{{.*}} = potq.conv_2d_nchw_fchw %{{.*}}, %{{.*}} bias %{{.*}} {dilations = array<i64: 2, 3>, strides = array<i64: 3, 2>} : tensor<?x3x8x8x!potq.q<#potq.uniform<bits = 8, unsigned>, f16, scale = 5.0e-02, zero_point = 128>>, tensor<4x3x2x2x!potq.q<#potq.nhot<terms = 2, max_exp = 7>, f16, scale = 1.0e-02>>, tensor<4xi32> -> tensor<?x4x2x3xi32>
func.func @conv_2d_nchw_fchw(
    %x: tensor<1x3x8x8x!potq.q<#potq.uniform<bits = 8>, f32, scale = 5.0e-02>>,
    %w: tensor<4x3x3x3x!potq.q<#potq.apot<bits = 5>, f32, axis = 0,
          scales = [1.0e-02, 1.0e-02, 2.0e-02, 1.0e-02]>>,
    %xd: tensor<?x3x8x8x!potq.q<#potq.uniform<bits = 8, unsigned>, f16, scale = 5.0e-02, zero_point = 128>>,
    %wn: tensor<4x3x2x2x!potq.q<#potq.nhot<terms = 2, max_exp = 7>, f16, scale = 1.0e-02>>,
    %b: tensor<4xi32>) {
  %0 = potq.conv_2d_nchw_fchw %x, %w
         : tensor<1x3x8x8x!potq.q<#potq.uniform<bits = 8>, f32, scale = 5.0e-02>>,
           tensor<4x3x3x3x!potq.q<#potq.apot<bits = 5>, f32, axis = 0,
             scales = [1.0e-02, 1.0e-02, 2.0e-02, 1.0e-02]>>
         -> tensor<1x4x6x6x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e-01>>
  // H: (8 - 2 * 1 - 1) / 3 + 1 = 2; W: (8 - 3 * 1 - 1) / 2 + 1 = 3.
  %1 = potq.conv_2d_nchw_fchw %xd, %wn bias %b {strides = array<i64: 3, 2>, dilations = array<i64: 2, 3>}
         : tensor<?x3x8x8x!potq.q<#potq.uniform<bits = 8, unsigned>, f16, scale = 5.0e-02, zero_point = 128>>,
           tensor<4x3x2x2x!potq.q<#potq.nhot<terms = 2, max_exp = 7>, f16, scale = 1.0e-02>>,
           tensor<4xi32>
         -> tensor<?x4x2x3xi32>
  return
}

// -----

// Regression: a binary32 scale whose shortest decimal spelling double-rounds
// (0x15AE43FD) prints with enough digits to read back exactly.
// CHECK-LABEL: func.func private @scale_double_rounding
// CHECK-SAME: scale = 7.0385307e-26
func.func private @scale_double_rounding(tensor<!potq.q<#potq.pot<bits = 4>, f32, scale = 7.03853069e-26>>)

// CHECK-LABEL: func.func @max_pool_round_trip
// CHECK: potq.max_pool_2d_nhwc %{{.*}} {dilations = array<i64: 1, 2>, kernel = array<i64: 2, 2>, strides = array<i64: 2, 1>} : tensor<?x8x8x4x!potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 2.0e-02>> -> tensor<?x4x6x4x!potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 2.0e-02>>
func.func @max_pool_round_trip(%x: tensor<?x8x8x4x!potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 2.0e-02>>) -> tensor<?x4x6x4x!potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 2.0e-02>> {
  %y = potq.max_pool_2d_nhwc %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 1>, dilations = array<i64: 1, 2>} : tensor<?x8x8x4x!potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 2.0e-02>> -> tensor<?x4x6x4x!potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 2.0e-02>>
  return %y : tensor<?x4x6x4x!potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 2.0e-02>>
}

// CHECK-LABEL: func.func @depthwise_round_trip
// CHECK: potq.depthwise_conv_2d_nhwc_hwc %{{.*}}, %{{.*}} bias %{{.*}} {clamp_min = 0 : i64, strides = array<i64: 2, 2>} : tensor<?x7x7x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 5.0e-02>>, tensor<3x3x2x!potq.q<#potq.pot<bits = 4>, f32, axis = 2, scales = [1.0e-02, 2.0e-02]>>, tensor<2xi32> -> tensor<?x3x3x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e-01>>
func.func @depthwise_round_trip(%x: tensor<?x7x7x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 5.0e-02>>, %w: tensor<3x3x2x!potq.q<#potq.pot<bits = 4>, f32, axis = 2, scales = [1.0e-02, 2.0e-02]>>, %b: tensor<2xi32>) -> tensor<?x3x3x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e-01>> {
  %y = potq.depthwise_conv_2d_nhwc_hwc %x, %w bias %b {strides = array<i64: 2, 2>, clamp_min = 0 : i64} : tensor<?x7x7x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 5.0e-02>>, tensor<3x3x2x!potq.q<#potq.pot<bits = 4>, f32, axis = 2, scales = [1.0e-02, 2.0e-02]>>, tensor<2xi32> -> tensor<?x3x3x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e-01>>
  return %y : tensor<?x3x3x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e-01>>
}

// Zero-point padding [top, left, bottom, right] on each convolution:
// OH = (H + top + bottom - dh * (KH - 1) - 1) / sh + 1.
// CHECK-LABEL: func.func @padding_round_trip
// CHECK: potq.conv_2d_nhwc_hwcf %{{.*}}, %{{.*}} {padding = array<i64: 1, 0, 2, 1>, strides = array<i64: 2, 2>} : tensor<?x5x4x2x!potq.q<{{.*}}>>, tensor<3x3x2x4x!potq.q<{{.*}}>> -> tensor<?x3x2x4xi32>
// CHECK: potq.conv_2d_nchw_fchw %{{.*}}, %{{.*}} {dilations = array<i64: 2, 1>, padding = array<i64: 2, 1, 2, 1>} : tensor<1x2x3x3x!potq.q<{{.*}}>>, tensor<4x2x3x3x!potq.q<{{.*}}>> -> tensor<1x4x3x3xi32>
// CHECK: potq.depthwise_conv_2d_nhwc_hwc %{{.*}}, %{{.*}} {padding = array<i64: 0, 0, 0, 0>} : tensor<1x3x3x2x!potq.q<{{.*}}>>, tensor<3x3x2x!potq.q<{{.*}}>> -> tensor<1x1x1x2xi32>
!x8 = !potq.q<#potq.uniform<bits = 8>, f32, scale = 5.0e-02, zero_point = 3>
!w4 = !potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e-02>
func.func @padding_round_trip(%a: tensor<?x5x4x2x!x8>, %wa: tensor<3x3x2x4x!w4>,
                              %b: tensor<1x2x3x3x!x8>, %wb: tensor<4x2x3x3x!w4>,
                              %c: tensor<1x3x3x2x!x8>, %wc: tensor<3x3x2x!w4>) {
  // H: (5 + 3 - 3) / 2 + 1 = 3; W: (4 + 1 - 3) / 2 + 1 = 2.
  %0 = potq.conv_2d_nhwc_hwcf %a, %wa {strides = array<i64: 2, 2>, padding = array<i64: 1, 0, 2, 1>}
         : tensor<?x5x4x2x!x8>, tensor<3x3x2x4x!w4> -> tensor<?x3x2x4xi32>
  // H: 3 + 4 - 2 * 2 - 1 + 1 = 3; W: 3 + 2 - 3 + 1 = 3.
  %1 = potq.conv_2d_nchw_fchw %b, %wb {dilations = array<i64: 2, 1>, padding = array<i64: 2, 1, 2, 1>}
         : tensor<1x2x3x3x!x8>, tensor<4x2x3x3x!w4> -> tensor<1x4x3x3xi32>
  %2 = potq.depthwise_conv_2d_nhwc_hwc %c, %wc {padding = array<i64: 0, 0, 0, 0>}
         : tensor<1x3x3x2x!x8>, tensor<3x3x2x!w4> -> tensor<1x1x1x2xi32>
  return
}

// CHECK-LABEL: func.func @residual_round_trip
// CHECK: potq.conv_2d_nchw_fchw %{{.*}}, %{{.*}} bias %{{.*}} residual(%{{.*}} : tensor<1x4x3x3x!potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 2.0e-02>>) {clamp_min = 0 : i64} : tensor<1x4x3x3x!potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 2.0e-02>>, tensor<4x4x1x1x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e-02>>, tensor<4xi32> -> tensor<1x4x3x3x!potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 4.0e-02>>
func.func @residual_round_trip(%x: tensor<1x4x3x3x!potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 2.0e-02>>, %w: tensor<4x4x1x1x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e-02>>, %b: tensor<4xi32>) -> tensor<1x4x3x3x!potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 4.0e-02>> {
  %y = potq.conv_2d_nchw_fchw %x, %w bias %b residual(%x : tensor<1x4x3x3x!potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 2.0e-02>>) {clamp_min = 0 : i64} : tensor<1x4x3x3x!potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 2.0e-02>>, tensor<4x4x1x1x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e-02>>, tensor<4xi32> -> tensor<1x4x3x3x!potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 4.0e-02>>
  return %y : tensor<1x4x3x3x!potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 4.0e-02>>
}

// CHECK-LABEL: func.func @avg_pool_round_trip
// CHECK: potq.avg_pool_2d_nhwc %{{.*}} {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x4x4x2x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e-01>> -> tensor<1x2x2x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 5.0e-02>>
func.func @avg_pool_round_trip(%x: tensor<1x4x4x2x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e-01>>) -> tensor<1x2x2x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 5.0e-02>> {
  %y = potq.avg_pool_2d_nhwc %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x4x4x2x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e-01>> -> tensor<1x2x2x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 5.0e-02>>
  return %y : tensor<1x2x2x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 5.0e-02>>
}

// CHECK-LABEL: func.func @add_round_trip
// CHECK: potq.add %{{.*}}, %{{.*}} {clamp_min = 0 : i64} : tensor<4x!potq.q<#potq.uniform<bits = 8>, f32, scale = 5.0e-01>>, tensor<4x!potq.q<#potq.pot<bits = 4>, f32, scale = 2.5e-01>> -> tensor<4x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>
func.func @add_round_trip(%a: tensor<4x!potq.q<#potq.uniform<bits = 8>, f32, scale = 5.0e-01>>, %b: tensor<4x!potq.q<#potq.pot<bits = 4>, f32, scale = 2.5e-01>>) -> tensor<4x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>> {
  %y = potq.add %a, %b {clamp_min = 0 : i64} : tensor<4x!potq.q<#potq.uniform<bits = 8>, f32, scale = 5.0e-01>>, tensor<4x!potq.q<#potq.pot<bits = 4>, f32, scale = 2.5e-01>> -> tensor<4x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>
  return %y : tensor<4x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>
}
