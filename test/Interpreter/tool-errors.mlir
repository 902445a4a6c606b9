// Every error path of potq-run: a message on stderr and exit code 1.

// RUN: %python %S/Inputs/make_npy.py %t.good.npy '<f4' 2,3 1 2 3 4 5 6

// A missing .mlir file.
// RUN: not potq-run %t.does-not-exist.mlir 2>&1 | FileCheck %s --check-prefix=NOMLIR
// NOMLIR: potq-run: error: cannot open input file '{{.*}}does-not-exist.mlir': No such file or directory

// A module that does not parse or verify.
// RUN: echo 'func.func @f() -> i32 { %c = arith.constant 1 : i64 return %c : i32 }' > %t.bad.mlir
// RUN: not potq-run %t.bad.mlir 2>&1 | FileCheck %s --check-prefix=PARSE
// PARSE: error:
// PARSE: potq-run: error: cannot parse or verify '{{.*}}bad.mlir'

// No entry function: several public functions and no main; an unknown name.
// RUN: not potq-run %s 2>&1 | FileCheck %s --check-prefix=NOENTRY
// NOENTRY: potq-run: error: the module has 4 public functions and none is named 'main'; choose one with --entry=NAME
// RUN: not potq-run %s --entry=nope 2>&1 | FileCheck %s --check-prefix=UNKNOWN
// UNKNOWN: potq-run: error: no function named 'nope' in the module

// Wrong numbers of inputs and outputs.
// RUN: not potq-run %s --entry=f32_arg 2>&1 | FileCheck %s --check-prefix=NINPUTS
// NINPUTS: potq-run: error: @f32_arg takes 1 argument(s), but 0 --input file(s) were given
// RUN: not potq-run %s --entry=f32_arg --input=%t.good.npy --input=%t.good.npy 2>&1 | FileCheck %s --check-prefix=NINPUTS2
// NINPUTS2: potq-run: error: @f32_arg takes 1 argument(s), but 2 --input file(s) were given
// RUN: not potq-run %s --entry=f32_arg --input=%t.good.npy --output=%t.o1 --output=%t.o2 2>&1 | FileCheck %s --check-prefix=NOUTPUTS
// NOUTPUTS: potq-run: error: @f32_arg returns 1 result(s), but 2 --output file(s) were given

// A missing .npy file.
// RUN: not potq-run %s --entry=f32_arg --input=%t.missing.npy 2>&1 | FileCheck %s --check-prefix=NONPY
// NONPY: potq-run: error: input #0: {{.*}}missing.npy: cannot read: {{[Nn]}}o such file or directory

// Broken .npy files.
// RUN: %python %S/Inputs/make_npy.py %t.magic.npy '<f4' 2,3 1 2 3 4 5 6 --corrupt=magic
// RUN: not potq-run %s --entry=f32_arg --input=%t.magic.npy 2>&1 | FileCheck %s --check-prefix=MAGIC
// MAGIC: potq-run: error: input #0: {{.*}}magic.npy: not a .npy file (bad magic string)
// RUN: %python %S/Inputs/make_npy.py %t.trunc.npy '<f4' 2,3 1 2 3 4 5 6 --corrupt=truncated
// RUN: not potq-run %s --entry=f32_arg --input=%t.trunc.npy 2>&1 | FileCheck %s --check-prefix=TRUNC
// TRUNC: potq-run: error: input #0: {{.*}}trunc.npy: truncated data: shape (2, 3) of <f4 needs 24 bytes, got 23
// RUN: %python %S/Inputs/make_npy.py %t.header.npy '<f4' 2,3 1 2 3 4 5 6 --corrupt=header
// RUN: not potq-run %s --entry=f32_arg --input=%t.header.npy 2>&1 | FileCheck %s --check-prefix=HEADER
// HEADER: potq-run: error: input #0: {{.*}}header.npy: malformed header: expected '{' at offset 0
// RUN: %python %S/Inputs/make_npy.py %t.fortran.npy '<f4' 2,3 1 2 3 4 5 6 --corrupt=fortran
// RUN: not potq-run %s --entry=f32_arg --input=%t.fortran.npy 2>&1 | FileCheck %s --check-prefix=FORTRAN
// FORTRAN: potq-run: error: input #0: {{.*}}fortran.npy: Fortran-order arrays are not supported
// RUN: %python %S/Inputs/make_npy.py %t.version.npy '<f4' 2,3 1 2 3 4 5 6 --corrupt=version
// RUN: not potq-run %s --entry=f32_arg --input=%t.version.npy 2>&1 | FileCheck %s --check-prefix=VERSION
// VERSION: potq-run: error: input #0: {{.*}}version.npy: unsupported .npy version 9.0
// RUN: %python %S/Inputs/make_npy.py %t.trailing.npy '<f4' 2,3 1 2 3 4 5 6 --corrupt=trailing
// RUN: not potq-run %s --entry=f32_arg --input=%t.trailing.npy 2>&1 | FileCheck %s --check-prefix=TRAILING
// TRAILING: potq-run: error: input #0: {{.*}}trailing.npy: unexpected 1 trailing bytes after the data

// The header is read and checked before the data: an endless file that is
// not .npy, and headers announcing more data than the file holds or the
// interpreter takes, fail without reading (they once ran out of memory).
// RUN: not potq-run %s --entry=f32_arg --input=/dev/zero 2>&1 | FileCheck %s --check-prefix=DEVZERO
// DEVZERO: potq-run: error: input #0: /dev/zero: not a .npy file (bad magic string)
// RUN: %python %S/Inputs/make_npy.py %t.nodata.npy '<f4' 100000000 --corrupt=nodata
// RUN: not potq-run %s --entry=f32_arg --input=%t.nodata.npy 2>&1 | FileCheck %s --check-prefix=NODATA
// NODATA: potq-run: error: input #0: {{.*}}nodata.npy: truncated data: shape (100000000,) of <f4 needs 400000000 bytes, got 0
// RUN: %python %S/Inputs/make_npy.py %t.huge.npy '<f4' 1099511627776 --corrupt=nodata
// RUN: not potq-run %s --entry=f32_arg --input=%t.huge.npy 2>&1 | FileCheck %s --check-prefix=HUGE
// HUGE: potq-run: error: input #0: {{.*}}huge.npy: shape (1099511627776,) has 1099511627776 elements, more than the limit of {{[0-9]+}}

// Unsupported dtypes.
// RUN: %python %S/Inputs/make_npy.py %t.be.npy '>f4' 0
// RUN: not potq-run %s --entry=f32_arg --input=%t.be.npy 2>&1 | FileCheck %s --check-prefix=BIGENDIAN
// BIGENDIAN: potq-run: error: input #0: {{.*}}be.npy: unsupported dtype '>f4': big-endian data is not supported
// RUN: %python %S/Inputs/make_npy.py %t.c8.npy '<c8' 0
// RUN: not potq-run %s --entry=f32_arg --input=%t.c8.npy 2>&1 | FileCheck %s --check-prefix=COMPLEX
// COMPLEX: potq-run: error: input #0: {{.*}}c8.npy: unsupported dtype '<c8' (supported: <f2 <f4 <f8 |i1 <i2 <i4 <i8 |u1 <u2 <u4 <u8 |b1)

// Type and shape mismatches.
// RUN: %python %S/Inputs/make_npy.py %t.i4.npy '<i4' 2,3 1 2 3 4 5 6
// RUN: not potq-run %s --entry=f32_arg --input=%t.i4.npy 2>&1 | FileCheck %s --check-prefix=DTYPE
// DTYPE: potq-run: error: input #0 ({{.*}}i4.npy): expected dtype '<f4' for tensor<2x3xf32>, got '<i4'
// RUN: %python %S/Inputs/make_npy.py %t.f8.npy '<f8' 2,3 1 2 3 4 5 6
// RUN: not potq-run %s --entry=f32_arg --input=%t.f8.npy 2>&1 | FileCheck %s --check-prefix=DTYPE64
// DTYPE64: expected dtype '<f4' for tensor<2x3xf32>, got '<f8'
// RUN: %python %S/Inputs/make_npy.py %t.shape.npy '<f4' 3,2 1 2 3 4 5 6
// RUN: not potq-run %s --entry=f32_arg --input=%t.shape.npy 2>&1 | FileCheck %s --check-prefix=SHAPE
// SHAPE: potq-run: error: input #0 ({{.*}}shape.npy): shape (3, 2) does not match tensor<2x3xf32>
// RUN: %python %S/Inputs/make_npy.py %t.rank.npy '<f4' 6 1 2 3 4 5 6
// RUN: not potq-run %s --entry=f32_arg --input=%t.rank.npy 2>&1 | FileCheck %s --check-prefix=RANK
// RANK: shape (6,) does not match tensor<2x3xf32>

// Quantized inputs must hold levels; bf16 inputs must be representable.
// RUN: %python %S/Inputs/make_npy.py %t.levels.npy '|i1' 2,2 1 2 3 4
// RUN: not potq-run %s --entry=levels_arg --input=%t.levels.npy 2>&1 | FileCheck %s --check-prefix=LEVEL
// LEVEL: potq-run: error: input #0 ({{.*}}levels.npy): value 3 at index [1, 0] is not a level of pot<bits = 4>
// RUN: %python %S/Inputs/make_npy.py %t.f22.npy '<f4' 2,2 1 2 4 8
// RUN: not potq-run %s --entry=levels_arg --input=%t.f22.npy 2>&1 | FileCheck %s --check-prefix=LEVELDTYPE
// LEVELDTYPE: expected an integer dtype holding levels for tensor<2x2x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e+00>>, got '<f4'
// RUN: %python %S/Inputs/make_npy.py %t.bf.npy '<f4' 2,3 1 2 3 4 5 1.001
// RUN: not potq-run %s --entry=bf16_arg --input=%t.bf.npy 2>&1 | FileCheck %s --check-prefix=BF16
// BF16: potq-run: error: input #0 ({{.*}}bf.npy): value 1.00100005 at index [1, 2] is not representable in bf16

// An op the interpreter does not support.
// RUN: not potq-run %s --entry=unsupported_op --input=%t.good.npy 2>&1 | FileCheck %s --check-prefix=UNSUPPOP
// UNSUPPOP: tool-errors.mlir:[[@LINE+4]]:8: error: potq-run --interpret does not support 'math.exp'
// UNSUPPOP: potq-run: error: execution of @unsupported_op failed

func.func @unsupported_op(%a: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = math.exp %a : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

func.func @f32_arg(%a: tensor<2x3xf32>) -> tensor<2x3xf32> {
  return %a : tensor<2x3xf32>
}

func.func @levels_arg(%a: tensor<2x2x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0>>)
    -> tensor<2x2x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0>> {
  return %a : tensor<2x2x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0>>
}

func.func @bf16_arg(%a: tensor<2x3xbf16>) -> tensor<2x3xbf16> {
  return %a : tensor<2x3xbf16>
}
