// Elementwise arith and math ops on scalars and tensors. Integers wrap to
// their bit width; f32 computes in binary32, f64 in binary64, f16/bf16 round
// every result to their format.

// RUN: potq-run %s --entry=int_wrap --print | FileCheck %s --check-prefix=WRAP
// RUN: potq-run %s --entry=int_div --print | FileCheck %s --check-prefix=DIV
// RUN: potq-run %s --entry=int_bits --print | FileCheck %s --check-prefix=BITS
// RUN: potq-run %s --entry=int_casts --print | FileCheck %s --check-prefix=CASTS
// RUN: potq-run %s --entry=i1_ops --print | FileCheck %s --check-prefix=I1
// RUN: potq-run %s --entry=float_rounding --print | FileCheck %s --check-prefix=FLOAT
// RUN: potq-run %s --entry=half_formats --print | FileCheck %s --check-prefix=HALF
// RUN: potq-run %s --entry=nan_min_max --print | FileCheck %s --check-prefix=NAN
// RUN: potq-run %s --entry=cmpf --print | FileCheck %s --check-prefix=CMPF
// RUN: potq-run %s --entry=float_casts --print | FileCheck %s --check-prefix=FCAST
// RUN: potq-run %s --entry=math_ops --print | FileCheck %s --check-prefix=MATH
// RUN: potq-run %s --entry=scalars --print | FileCheck %s --check-prefix=SCALAR

// i8 wraps: 127 + 1 = -128, -128 - 1 = 127, 100 + 100 = 200 - 256 = -56;
// 16 * 16 = 256 -> 0, -128 * -1 = 128 -> -128, 3 * -43 = -129 -> 127,
// 127 * 127 = 16129 = 63 * 256 + 1 -> 1.
// WRAP: result 0: tensor<4xi8> = [-128, 127, -56, -2]
// WRAP: result 1: tensor<4xi8> = [127, -128, 100, 0]
// WRAP: result 2: tensor<4xi8> = [0, -128, 127, 1]
func.func @int_wrap() -> (tensor<4xi8>, tensor<4xi8>, tensor<4xi8>) {
  %a = arith.constant dense<[127, -128, 100, -1]> : tensor<4xi8>
  %b = arith.constant dense<[1, -1, 100, -1]> : tensor<4xi8>
  %sum = arith.addi %a, %b : tensor<4xi8>
  %c = arith.constant dense<[-128, 127, 100, -1]> : tensor<4xi8>
  %d = arith.constant dense<[1, -1, 0, -1]> : tensor<4xi8>
  %diff = arith.subi %c, %d : tensor<4xi8>
  %e = arith.constant dense<[16, -128, 3, 127]> : tensor<4xi8>
  %f = arith.constant dense<[16, -1, -43, 127]> : tensor<4xi8>
  %prod = arith.muli %e, %f : tensor<4xi8>
  return %sum, %diff, %prod : tensor<4xi8>, tensor<4xi8>, tensor<4xi8>
}

// Signed division truncates: -7/2 = -3, 7/-2 = -3, -128/3 = -42; remsi has
// the sign of the dividend. ceil/floor variants round toward +inf / -inf.
// Unsigned: -1 is 255, -56 is 200: 255/2 = 127, 200/3 = 66, 7/2 = 3.
// DIV: result 0: tensor<3xi8> = [-3, -3, -42]
// DIV: result 1: tensor<3xi8> = [-1, 1, -2]
// DIV: result 2: tensor<3xi8> = [-3, -3, -42]
// DIV: result 3: tensor<3xi8> = [-4, -4, -43]
// DIV: result 4: tensor<3xi8> = [127, 66, 3]
// DIV: result 5: tensor<3xi8> = [1, 2, 1]
// DIV: result 6: tensor<3xi8> = [-128, 67, 4]
// DIV: result 7: tensor<2xi8> = [0, 0]
func.func @int_div() -> (tensor<3xi8>, tensor<3xi8>, tensor<3xi8>, tensor<3xi8>,
                         tensor<3xi8>, tensor<3xi8>, tensor<3xi8>, tensor<2xi8>) {
  %a = arith.constant dense<[-7, 7, -128]> : tensor<3xi8>
  %b = arith.constant dense<[2, -2, 3]> : tensor<3xi8>
  %0 = arith.divsi %a, %b : tensor<3xi8>
  %1 = arith.remsi %a, %b : tensor<3xi8>
  %2 = arith.ceildivsi %a, %b : tensor<3xi8>
  %3 = arith.floordivsi %a, %b : tensor<3xi8>
  %u = arith.constant dense<[-1, -56, 7]> : tensor<3xi8>
  %v = arith.constant dense<[2, 3, 2]> : tensor<3xi8>
  %4 = arith.divui %u, %v : tensor<3xi8>
  %5 = arith.remui %u, %v : tensor<3xi8>
  %6 = arith.ceildivui %u, %v : tensor<3xi8>
  // min % -1 is 0 (only division by zero is undefined for remsi).
  %m = arith.constant dense<[-128, 5]> : tensor<2xi8>
  %n = arith.constant dense<[-1, -1]> : tensor<2xi8>
  %7 = arith.remsi %m, %n : tensor<2xi8>
  return %0, %1, %2, %3, %4, %5, %6, %7 : tensor<3xi8>, tensor<3xi8>, tensor<3xi8>,
      tensor<3xi8>, tensor<3xi8>, tensor<3xi8>, tensor<3xi8>, tensor<2xi8>
}

// 1 << 7 = 128 -> -128; 3 << 6 = 192 -> -64; -1 << 1 = -2.
// -128 >>s 7 = -1; 64 >>s 3 = 8; 128 >>u 7 = 1; 255 >>u 4 = 15.
// 12 & 10 = 8, 12 | 10 = 14, 12 ^ 10 = 6; -1 & 85 = 85.
// max/min signed vs unsigned: -1 is 255 unsigned.
// BITS: result 0: tensor<3xi8> = [-128, -64, -2]
// BITS: result 1: tensor<3xi8> = [-1, 8, -1]
// BITS: result 2: tensor<3xi8> = [1, 15, 1]
// BITS: result 3: tensor<2xi8> = [8, 85]
// BITS: result 4: tensor<2xi8> = [14, -1]
// BITS: result 5: tensor<2xi8> = [6, -86]
// BITS: result 6: tensor<2xi8> = [3, 5]
// BITS: result 7: tensor<2xi8> = [-1, 5]
// BITS: result 8: tensor<2xi8> = [-1, 3]
// BITS: result 9: tensor<2xi8> = [3, 3]
// BITS: result 10: tensor<2xi1> = [true, false]
// BITS: result 11: tensor<2xi1> = [false, false]
func.func @int_bits() -> (tensor<3xi8>, tensor<3xi8>, tensor<3xi8>, tensor<2xi8>,
                          tensor<2xi8>, tensor<2xi8>, tensor<2xi8>, tensor<2xi8>,
                          tensor<2xi8>, tensor<2xi8>, tensor<2xi1>, tensor<2xi1>) {
  %a = arith.constant dense<[1, 3, -1]> : tensor<3xi8>
  %sa = arith.constant dense<[7, 6, 1]> : tensor<3xi8>
  %0 = arith.shli %a, %sa : tensor<3xi8>
  %b = arith.constant dense<[-128, 64, -1]> : tensor<3xi8>
  %sb = arith.constant dense<[7, 3, 7]> : tensor<3xi8>
  %1 = arith.shrsi %b, %sb : tensor<3xi8>
  %c = arith.constant dense<[-128, -1, 64]> : tensor<3xi8>
  %sc = arith.constant dense<[7, 4, 6]> : tensor<3xi8>
  %2 = arith.shrui %c, %sc : tensor<3xi8>
  %x = arith.constant dense<[12, -1]> : tensor<2xi8>
  %y = arith.constant dense<[10, 85]> : tensor<2xi8>
  %3 = arith.andi %x, %y : tensor<2xi8>
  %4 = arith.ori %x, %y : tensor<2xi8>
  %5 = arith.xori %x, %y : tensor<2xi8>
  %p = arith.constant dense<[-1, 5]> : tensor<2xi8>
  %q = arith.constant dense<[3, 3]> : tensor<2xi8>
  %6 = arith.maxsi %p, %q : tensor<2xi8>
  %7 = arith.maxui %p, %q : tensor<2xi8>
  %8 = arith.minsi %p, %q : tensor<2xi8>
  %9 = arith.minui %p, %q : tensor<2xi8>
  %10 = arith.cmpi slt, %p, %q : tensor<2xi8>
  %11 = arith.cmpi ult, %p, %q : tensor<2xi8>
  return %0, %1, %2, %3, %4, %5, %6, %7, %8, %9, %10, %11
      : tensor<3xi8>, tensor<3xi8>, tensor<3xi8>, tensor<2xi8>, tensor<2xi8>, tensor<2xi8>,
        tensor<2xi8>, tensor<2xi8>, tensor<2xi8>, tensor<2xi8>, tensor<2xi1>, tensor<2xi1>
}

// extsi/extui of i8 -1 and 127; trunci keeps the low bits (300 -> 44,
// -129 -> 127); index_cast sign-extends/truncates, index_castui zero-extends.
// CASTS: result 0: tensor<2xi32> = [-1, 127]
// CASTS: result 1: tensor<2xi32> = [255, 127]
// CASTS: result 2: tensor<2xi8> = [44, 127]
// CASTS: result 3: tensor<2xindex> = [-1, 127]
// CASTS: result 4: tensor<2xindex> = [255, 127]
// CASTS: result 5: tensor<2xi8> = [44, 127]
func.func @int_casts() -> (tensor<2xi32>, tensor<2xi32>, tensor<2xi8>, tensor<2xindex>,
                           tensor<2xindex>, tensor<2xi8>) {
  %a = arith.constant dense<[-1, 127]> : tensor<2xi8>
  %0 = arith.extsi %a : tensor<2xi8> to tensor<2xi32>
  %1 = arith.extui %a : tensor<2xi8> to tensor<2xi32>
  %b = arith.constant dense<[300, -129]> : tensor<2xi32>
  %2 = arith.trunci %b : tensor<2xi32> to tensor<2xi8>
  %3 = arith.index_cast %a : tensor<2xi8> to tensor<2xindex>
  %4 = arith.index_castui %a : tensor<2xi8> to tensor<2xindex>
  %i = arith.constant dense<[300, -129]> : tensor<2xindex>
  %5 = arith.index_cast %i : tensor<2xindex> to tensor<2xi8>
  return %0, %1, %2, %3, %4, %5 : tensor<2xi32>, tensor<2xi32>, tensor<2xi8>,
      tensor<2xindex>, tensor<2xindex>, tensor<2xi8>
}

// i1 holds 0/1 and prints as false/true: true + true wraps to false,
// extsi(true) = -1, extui(true) = 1, sitofp(true) = -1.0.
// I1: result 0: tensor<2xi1> = [false, true]
// I1: result 1: tensor<2xi8> = [-1, 0]
// I1: result 2: tensor<2xi8> = [1, 0]
// I1: result 3: tensor<2xf32> = [-1, 0]
// I1: result 4: tensor<2xf32> = [1, 0]
func.func @i1_ops() -> (tensor<2xi1>, tensor<2xi8>, tensor<2xi8>, tensor<2xf32>, tensor<2xf32>) {
  %a = arith.constant dense<[true, false]> : tensor<2xi1>
  %b = arith.constant dense<[true, true]> : tensor<2xi1>
  %0 = arith.addi %a, %b : tensor<2xi1>
  %1 = arith.extsi %a : tensor<2xi1> to tensor<2xi8>
  %2 = arith.extui %a : tensor<2xi1> to tensor<2xi8>
  %3 = arith.sitofp %a : tensor<2xi1> to tensor<2xf32>
  %4 = arith.uitofp %a : tensor<2xi1> to tensor<2xf32>
  return %0, %1, %2, %3, %4 : tensor<2xi1>, tensor<2xi8>, tensor<2xi8>, tensor<2xf32>, tensor<2xf32>
}

// binary32: 2^24 + 1 = 2^24 (ties to even), 0.1 + 0.2 = 0.300000012,
// 1 / 3 = 0.333333343, 3.0e38 * 10 overflows to inf, 0 / 0 = nan, 1 / 0 =
// inf; binary64 keeps 2^24 + 1 and prints 17 significant digits.
// FLOAT: result 0: tensor<3xf32> = [16777216, 0.300000012, 4]
// FLOAT: result 1: tensor<3xf32> = [0.333333343, nan, inf]
// FLOAT: result 2: tensor<2xf32> = [inf, 1.21000004]
// FLOAT: result 3: tensor<3xf64> = [16777217, 0.30000000000000004, 0.33333333333333331]
// FLOAT: result 4: tensor<3xf32> = [-1.5, 0.5, -0]
// FLOAT: result 5: tensor<2xf32> = [1, -1.5]
func.func @float_rounding() -> (tensor<3xf32>, tensor<3xf32>, tensor<2xf32>,
                                tensor<3xf64>, tensor<3xf32>, tensor<2xf32>) {
  %a = arith.constant dense<[16777216.0, 0.1, 1.0]> : tensor<3xf32>
  %b = arith.constant dense<[1.0, 0.2, 3.0]> : tensor<3xf32>
  %sum = arith.addf %a, %b : tensor<3xf32>
  %c = arith.constant dense<[1.0, 0.0, 1.0]> : tensor<3xf32>
  %d = arith.constant dense<[3.0, 0.0, 0.0]> : tensor<3xf32>
  %div = arith.divf %c, %d : tensor<3xf32>
  %e = arith.constant dense<[3.0e38, 1.1]> : tensor<2xf32>
  %f = arith.constant dense<[10.0, 1.1]> : tensor<2xf32>
  %mul = arith.mulf %e, %f : tensor<2xf32>
  %x = arith.constant dense<[16777216.0, 0.1, 1.0]> : tensor<3xf64>
  %y = arith.constant dense<[1.0, 0.2, 3.0]> : tensor<3xf64>
  %xs = arith.addf %x, %y : tensor<3xf64>
  %xd = arith.divf %x, %y : tensor<3xf64>
  %i2 = arith.constant 2 : index
  %q = tensor.extract %xd[%i2] : tensor<3xf64>
  %r3 = tensor.insert %q into %xs[%i2] : tensor<3xf64>
  %p = arith.constant dense<[1.5, -0.5, 0.0]> : tensor<3xf32>
  %r4 = arith.negf %p : tensor<3xf32>
  %g = arith.constant dense<[4.0, -1.5]> : tensor<2xf32>
  %h = arith.constant dense<[3.0, 2.0]> : tensor<2xf32>
  %r5 = arith.remf %g, %h : tensor<2xf32>
  return %sum, %div, %mul, %r3, %r4, %r5
      : tensor<3xf32>, tensor<3xf32>, tensor<2xf32>, tensor<3xf64>, tensor<3xf32>, tensor<2xf32>
}

// f16 (11 bits): 2048 + 1 = 2048 (tie to even), 0.1 is 0.0999755859 and
// 0.1 * 3 rounds to 0.299804688; 60000 + 10000 overflows to inf.
// bf16 (8 bits): 256 + 1 = 256, 1 + 2^-8 = 1 (tie to even).
// Results of f16/bf16 print their exact values with %.9g.
// HALF: result 0: tensor<4xf16> = [2048, 0.0999755859, 0.299804688, inf]
// HALF: result 1: tensor<2xbf16> = [256, 1]
// HALF: result 2: tensor<4xf16> = [inf, 1, 0.333251953, -0]
// HALF: result 3: tensor<3xbf16> = [1, 1.015625, 1.0078125]
// HALF: result 4: tensor<2xf32> = [0.0999755859, 1.015625]
func.func @half_formats() -> (tensor<4xf16>, tensor<2xbf16>, tensor<4xf16>, tensor<3xbf16>, tensor<2xf32>) {
  %a = arith.constant dense<[2048.0, 0.0, 0.1, 60000.0]> : tensor<4xf16>
  %b = arith.constant dense<[1.0, 0.1, 3.0, 10000.0]> : tensor<4xf16>
  %s = arith.addf %a, %b : tensor<4xf16>
  %m = arith.mulf %a, %b : tensor<4xf16>
  %i2 = arith.constant 2 : index
  %m2 = tensor.extract %m[%i2] : tensor<4xf16>
  %r0 = tensor.insert %m2 into %s[%i2] : tensor<4xf16>
  %c = arith.constant dense<[256.0, 1.0]> : tensor<2xbf16>
  %d = arith.constant dense<[1.0, 0.00390625]> : tensor<2xbf16>
  %r1 = arith.addf %c, %d : tensor<2xbf16>
  %e = arith.constant dense<[65520.0, 1.0, 0.333333343, -0.0]> : tensor<4xf32>
  %r2 = arith.truncf %e : tensor<4xf32> to tensor<4xf16>
  %f = arith.constant dense<[1.00390625, 1.01171875, 1.01171875]> : tensor<3xf32>
  %t = arith.truncf %f : tensor<3xf32> to tensor<3xbf16>
  %f2 = tensor.extract %f[%i2] : tensor<3xf32>
  %down = arith.truncf %f2 downward : f32 to bf16
  %r3 = tensor.insert %down into %t[%i2] : tensor<3xbf16>
  %i1 = arith.constant 1 : index
  %tenth = arith.constant 0.1 : f16
  %t1 = tensor.extract %t[%i1] : tensor<3xbf16>
  %g = arith.extf %tenth : f16 to f32
  %h = arith.extf %t1 : bf16 to f32
  %r4 = tensor.from_elements %g, %h : tensor<2xf32>
  return %r0, %r1, %r2, %r3, %r4 : tensor<4xf16>, tensor<2xbf16>, tensor<4xf16>, tensor<3xbf16>, tensor<2xf32>
}

// maximumf/minimumf propagate NaN and order -0 < +0; maxnumf/minnumf return
// the other operand when one is NaN.
// NAN: result 0: tensor<4xf32> = [nan, nan, 0, 2]
// NAN: result 1: tensor<4xf32> = [nan, nan, -0, 1]
// NAN: result 2: tensor<4xf32> = [1, nan, 0, 2]
// NAN: result 3: tensor<4xf32> = [1, nan, -0, 1]
func.func @nan_min_max() -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %a = arith.constant dense<[0x7FC00000, 0x7FC00000, -0.0, 1.0]> : tensor<4xf32>
  %b = arith.constant dense<[1.0, 0x7FC00000, 0.0, 2.0]> : tensor<4xf32>
  %0 = arith.maximumf %a, %b : tensor<4xf32>
  %1 = arith.minimumf %a, %b : tensor<4xf32>
  %2 = arith.maxnumf %a, %b : tensor<4xf32>
  %3 = arith.minnumf %a, %b : tensor<4xf32>
  return %0, %1, %2, %3 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}

// Ordered predicates are false with a NaN operand, unordered ones true.
// CMPF: result 0: tensor<3xi1> = [false, false, true]
// CMPF: result 1: tensor<3xi1> = [true, true, true]
// CMPF: result 2: tensor<3xi1> = [false, true, false]
// CMPF: result 3: tensor<3xi1> = [true, false, false]
func.func @cmpf() -> (tensor<3xi1>, tensor<3xi1>, tensor<3xi1>, tensor<3xi1>) {
  %a = arith.constant dense<[0x7FC00000, 1.0, -0.0]> : tensor<3xf32>
  %b = arith.constant dense<[1.0, 2.0, 0.0]> : tensor<3xf32>
  %0 = arith.cmpf oeq, %a, %b : tensor<3xf32>
  %1 = arith.cmpf ule, %a, %b : tensor<3xf32>
  %2 = arith.cmpf olt, %a, %b : tensor<3xf32>
  %3 = arith.cmpf uno, %a, %a : tensor<3xf32>
  return %0, %1, %2, %3 : tensor<3xi1>, tensor<3xi1>, tensor<3xi1>, tensor<3xi1>
}

// sitofp rounds to nearest even: 16777217 -> 16777216; uitofp reads i8 -1 as
// 255; fptosi/fptoui truncate toward zero; bitcast reinterprets the bits.
// FCAST: result 0: tensor<3xf32> = [16777216, -5, 2.14748365e+09]
// FCAST: result 1: tensor<2xf32> = [255, 128]
// FCAST: result 2: tensor<3xi32> = [-2, 2, -2147483648]
// FCAST: result 3: tensor<2xi8> = [2, -1]
// FCAST: result 4: tensor<2xi32> = [1065353216, -1082130432]
// FCAST: result 5: tensor<2xf32> = [1, -1]
func.func @float_casts() -> (tensor<3xf32>, tensor<2xf32>, tensor<3xi32>, tensor<2xi8>,
                             tensor<2xi32>, tensor<2xf32>) {
  %a = arith.constant dense<[16777217, -5, 2147483647]> : tensor<3xi32>
  %0 = arith.sitofp %a : tensor<3xi32> to tensor<3xf32>
  %b = arith.constant dense<[-1, -128]> : tensor<2xi8>
  %1 = arith.uitofp %b : tensor<2xi8> to tensor<2xf32>
  %c = arith.constant dense<[-2.7, 2.7, -2147483648.0]> : tensor<3xf32>
  %2 = arith.fptosi %c : tensor<3xf32> to tensor<3xi32>
  %d = arith.constant dense<[2.9, 255.5]> : tensor<2xf32>
  %3 = arith.fptoui %d : tensor<2xf32> to tensor<2xi8>
  %e = arith.constant dense<[1.0, -1.0]> : tensor<2xf32>
  %4 = arith.bitcast %e : tensor<2xf32> to tensor<2xi32>
  %5 = arith.bitcast %4 : tensor<2xi32> to tensor<2xf32>
  return %0, %1, %2, %3, %4, %5 : tensor<3xf32>, tensor<2xf32>, tensor<3xi32>, tensor<2xi8>,
      tensor<2xi32>, tensor<2xf32>
}

// Exact math ops: absf, absi (the minimum wraps to itself), sqrt in binary32,
// ceil/floor/trunc, round (half away from zero), roundeven (half to even),
// copysign, ctlz/cttz/ctpop on i8.
// MATH: result 0: tensor<3xf32> = [1.5, 0, inf]
// MATH: result 1: tensor<3xi8> = [5, -128, 0]
// MATH: result 2: tensor<3xf32> = [1.41421354, 3, nan]
// MATH: result 3: tensor<4xf32> = [-2, 3, -2, 3]
// MATH: result 4: tensor<4xf32> = [-3, 2, -3, 2]
// MATH: result 5: tensor<4xf32> = [-2, 2, -2, 2]
// MATH: result 6: tensor<4xf32> = [-3, 3, -3, 3]
// MATH: result 7: tensor<4xf32> = [-2, 2, -2, 2]
// MATH: result 8: tensor<3xf32> = [-1.5, 0, -inf]
// MATH: result 9: tensor<3xi8> = [4, 8, 0]
// MATH: result 10: tensor<3xi8> = [3, 8, 7]
// MATH: result 11: tensor<3xi8> = [2, 0, 8]
func.func @math_ops() -> (tensor<3xf32>, tensor<3xi8>, tensor<3xf32>, tensor<4xf32>,
                          tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>,
                          tensor<3xf32>, tensor<3xi8>, tensor<3xi8>, tensor<3xi8>) {
  %a = arith.constant dense<[-1.5, -0.0, 0xFF800000]> : tensor<3xf32>
  %0 = math.absf %a : tensor<3xf32>
  %b = arith.constant dense<[-5, -128, 0]> : tensor<3xi8>
  %1 = math.absi %b : tensor<3xi8>
  %c = arith.constant dense<[2.0, 9.0, -1.0]> : tensor<3xf32>
  %2 = math.sqrt %c : tensor<3xf32>
  %d = arith.constant dense<[-2.5, 2.5, -2.5, 2.5]> : tensor<4xf32>
  %3 = math.ceil %d : tensor<4xf32>
  %4 = math.floor %d : tensor<4xf32>
  %5 = math.trunc %d : tensor<4xf32>
  %6 = math.round %d : tensor<4xf32>
  %7 = math.roundeven %d : tensor<4xf32>
  %f = arith.constant dense<[1.5, 0.0, 0x7F800000]> : tensor<3xf32>
  %g = arith.constant dense<[-1.0, 1.0, -0.0]> : tensor<3xf32>
  %8 = math.copysign %f, %g : tensor<3xf32>
  %h = arith.constant dense<[8, 0, -128]> : tensor<3xi8>
  %9 = math.ctlz %h : tensor<3xi8>
  %10 = math.cttz %h : tensor<3xi8>
  %k = arith.constant dense<[3, 0, -1]> : tensor<3xi8>
  %11 = math.ctpop %k : tensor<3xi8>
  return %0, %1, %2, %3, %4, %5, %6, %7, %8, %9, %10, %11
      : tensor<3xf32>, tensor<3xi8>, tensor<3xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>,
        tensor<4xf32>, tensor<4xf32>, tensor<3xf32>, tensor<3xi8>, tensor<3xi8>, tensor<3xi8>
}

// Scalars, select with a scalar condition on tensors, and an elementwise
// select with a tensor condition.
// SCALAR: result 0: i32 = -2147483648
// SCALAR: result 1: f64 = 0.10000000000000001
// SCALAR: result 2: tensor<2xi32> = [3, 4]
// SCALAR: result 3: tensor<2xi32> = [1, 4]
// SCALAR: result 4: index = 7
func.func @scalars() -> (i32, f64, tensor<2xi32>, tensor<2xi32>, index) {
  %max = arith.constant 2147483647 : i32
  %one = arith.constant 1 : i32
  %0 = arith.addi %max, %one : i32
  %1 = arith.constant 0.1 : f64
  %x = arith.constant dense<[1, 2]> : tensor<2xi32>
  %y = arith.constant dense<[3, 4]> : tensor<2xi32>
  %false = arith.constant false
  %2 = arith.select %false, %x, %y : tensor<2xi32>
  %cond = arith.constant dense<[true, false]> : tensor<2xi1>
  %3 = arith.select %cond, %x, %y : tensor<2xi1>, tensor<2xi32>
  %a = arith.constant 3 : index
  %b = arith.constant 4 : index
  %4 = arith.addi %a, %b : index
  return %0, %1, %2, %3, %4 : i32, f64, tensor<2xi32>, tensor<2xi32>, index
}
