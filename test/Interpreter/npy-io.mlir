// Inputs from .npy files, outputs to .npy files, and the dtype mapping.
// make_npy.py writes .npy files with the Python standard library and dumps
// them back as text.

// RUN: %python %S/Inputs/make_npy.py %t.a.npy '<f4' 2,3 1 2 3 4 5 6.5
// RUN: %python %S/Inputs/make_npy.py %t.b.npy '<i4' 3 10 -20 30
// RUN: potq-run %s --entry=mixed --input=%t.a.npy --input=%t.b.npy --output=%t.o0.npy --output=%t.o1.npy
// RUN: %python %S/Inputs/make_npy.py --dump %t.o0.npy | FileCheck %s --check-prefix=MIXED0
// RUN: %python %S/Inputs/make_npy.py --dump %t.o1.npy | FileCheck %s --check-prefix=MIXED1
// RUN: potq-run %s --entry=mixed --input=%t.a.npy --input=%t.b.npy --output=%t.o0.npy --output=%t.o1.npy --print | FileCheck %s --check-prefix=MIXEDPRINT
// MIXED0: descr=<f4 shape=(2, 3) values=[2.0, 4.0, 6.0, 8.0, 10.0, 13.0]
// MIXED1: descr=<i8 shape=(3,) values=[20, -40, 60]
// MIXEDPRINT: result 0: tensor<2x3xf32> = {{\[\[}}2, 4, 6], [8, 10, 13]]
// MIXEDPRINT: result 1: tensor<3xi64> = [20, -40, 60]
func.func @mixed(%a: tensor<2x3xf32>, %b: tensor<3xi32>) -> (tensor<2x3xf32>, tensor<3xi64>) {
  %0 = arith.addf %a, %a : tensor<2x3xf32>
  %e = arith.extsi %b : tensor<3xi32> to tensor<3xi64>
  %1 = arith.addi %e, %e : tensor<3xi64>
  return %0, %1 : tensor<2x3xf32>, tensor<3xi64>
}

// A dynamic dimension takes the file's size; zero-size arrays work.
// RUN: potq-run %s --entry=dynamic --input=%t.a.npy --print | FileCheck %s --check-prefix=DYN
// RUN: %python %S/Inputs/make_npy.py %t.empty.npy '<f4' 0,3
// RUN: potq-run %s --entry=dynamic --input=%t.empty.npy --output=%t.empty.out.npy --output=%t.n.npy --print | FileCheck %s --check-prefix=EMPTY
// RUN: %python %S/Inputs/make_npy.py --dump %t.empty.out.npy | FileCheck %s --check-prefix=EMPTYDUMP
// DYN: result 0: tensor<2x3xf32> = {{\[\[}}-1, -2, -3], [-4, -5, -6.5]]
// DYN: result 1: index = 2
// EMPTY: result 0: tensor<0x3xf32> = []
// EMPTY: result 1: index = 0
// EMPTYDUMP: descr=<f4 shape=(0, 3) values=[]
func.func @dynamic(%a: tensor<?x3xf32>) -> (tensor<?x3xf32>, index) {
  %0 = arith.negf %a : tensor<?x3xf32>
  %c0 = arith.constant 0 : index
  %1 = tensor.dim %a, %c0 : tensor<?x3xf32>
  return %0, %1 : tensor<?x3xf32>, index
}

// Quantized arguments take levels from any integer dtype; unsigned results
// are written as unsigned dtypes of the storage width.
// RUN: %python %S/Inputs/make_npy.py %t.q.npy '|u1' 3 200 0 255
// RUN: %python %S/Inputs/make_npy.py %t.p.npy '<i4' 2 -64 16
// RUN: potq-run %s --entry=quantized --input=%t.q.npy --input=%t.p.npy --output=%t.q0.npy --output=%t.q1.npy --output=%t.q2.npy
// RUN: %python %S/Inputs/make_npy.py --dump %t.q0.npy | FileCheck %s --check-prefix=QUANT0
// RUN: %python %S/Inputs/make_npy.py --dump %t.q1.npy | FileCheck %s --check-prefix=QUANT1
// RUN: %python %S/Inputs/make_npy.py --dump %t.q2.npy | FileCheck %s --check-prefix=QUANT2
// QUANT0: descr=|u1 shape=(3,) values=[200, 0, 255]
// QUANT1: descr=<f4 shape=(3,) values=[36.0, -64.0, 63.5]
// QUANT2: descr=|i1 shape=(2,) values=[-64, 16]
!u8 = !potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 0.5, zero_point = 128>
!p5 = !potq.q<#potq.pot<bits = 4>, f32, scale = 1.0>
func.func @quantized(%q: tensor<3x!u8>, %p: tensor<2x!p5>) -> (tensor<3x!u8>, tensor<3xf32>, tensor<2x!p5>) {
  %0 = potq.dequantize %q : tensor<3x!u8> -> tensor<3xf32>
  return %q, %0, %p : tensor<3x!u8>, tensor<3xf32>, tensor<2x!p5>
}

// Scalars take 0-d arrays; i1 results are written as bools, f16/bf16 as
// '<f4'; a version 2.0 header reads too; f16 takes '<f2' or exact '<f4',
// bf16 exact '<f4'.
// RUN: %python %S/Inputs/make_npy.py %t.s.npy '<f4' scalar 1.5 --version=2
// RUN: %python %S/Inputs/make_npy.py %t.h.npy '<f2' 2 0.1 -2
// RUN: %python %S/Inputs/make_npy.py %t.bf.npy '<f4' 2 1.0078125 -3
// RUN: potq-run %s --entry=scalars --input=%t.s.npy --input=%t.h.npy --input=%t.bf.npy --output=%t.s0.npy --output=%t.s1.npy --output=%t.s2.npy --output=%t.s3.npy
// RUN: %python %S/Inputs/make_npy.py --dump %t.s0.npy | FileCheck %s --check-prefix=SCAL0
// RUN: %python %S/Inputs/make_npy.py --dump %t.s1.npy | FileCheck %s --check-prefix=SCAL1
// RUN: %python %S/Inputs/make_npy.py --dump %t.s2.npy | FileCheck %s --check-prefix=SCAL2
// RUN: %python %S/Inputs/make_npy.py --dump %t.s3.npy | FileCheck %s --check-prefix=SCAL3
// SCAL0: descr=<f4 shape=() values=[3.0]
// SCAL1: descr=|b1 shape=(2,) values=[True, False]
// SCAL2: descr=<f4 shape=(2,) values=[0.199951171875, -4.0]
// SCAL3: descr=<f4 shape=(2,) values=[2.015625, -6.0]
func.func @scalars(%s: f32, %h: tensor<2xf16>, %b: tensor<2xbf16>) -> (f32, tensor<2xi1>, tensor<2xf16>, tensor<2xbf16>) {
  %0 = arith.addf %s, %s : f32
  %z = arith.constant dense<0.0> : tensor<2xf16>
  %1 = arith.cmpf ogt, %h, %z : tensor<2xf16>
  %2 = arith.addf %h, %h : tensor<2xf16>
  %3 = arith.addf %b, %b : tensor<2xbf16>
  return %0, %1, %2, %3 : f32, tensor<2xi1>, tensor<2xf16>, tensor<2xbf16>
}

// Integer widths map to their dtypes: i1 '|b1', i8 '|i1', i16 '<i2', index
// '<i8'.
// RUN: %python %S/Inputs/make_npy.py %t.i1.npy '|b1' 2 true false
// RUN: %python %S/Inputs/make_npy.py %t.i8.npy '|i1' 2 -128 127
// RUN: %python %S/Inputs/make_npy.py %t.i16.npy '<i2' 2 -32768 7
// RUN: %python %S/Inputs/make_npy.py %t.idx.npy '<i8' 1,1 9223372036854775807
// RUN: potq-run %s --entry=ints --input=%t.i1.npy --input=%t.i8.npy --input=%t.i16.npy --input=%t.idx.npy | FileCheck %s --check-prefix=INTS
// INTS: result 0: tensor<2xi1> = [true, false]
// INTS: result 1: tensor<2xi8> = [-128, 127]
// INTS: result 2: tensor<2xi16> = [-32768, 7]
// INTS: result 3: tensor<1x1xindex> = {{\[\[}}9223372036854775807]]
func.func @ints(%a: tensor<2xi1>, %b: tensor<2xi8>, %c: tensor<2xi16>, %d: tensor<1x1xindex>)
    -> (tensor<2xi1>, tensor<2xi8>, tensor<2xi16>, tensor<1x1xindex>) {
  return %a, %b, %c, %d : tensor<2xi1>, tensor<2xi8>, tensor<2xi16>, tensor<1x1xindex>
}
