// Undefined behaviour and poison are reported at the op instead of
// producing a value, and potq-run exits with code 1.

// RUN: not potq-run %s --entry=div_zero 2>&1 | FileCheck %s --check-prefix=DIVZERO
// RUN: not potq-run %s --entry=rem_zero 2>&1 | FileCheck %s --check-prefix=REMZERO
// RUN: not potq-run %s --entry=div_overflow 2>&1 | FileCheck %s --check-prefix=DIVOVF
// RUN: not potq-run %s --entry=shift_width 2>&1 | FileCheck %s --check-prefix=SHIFT
// RUN: not potq-run %s --entry=shift_negative 2>&1 | FileCheck %s --check-prefix=SHIFTNEG
// RUN: not potq-run %s --entry=nsw_overflow 2>&1 | FileCheck %s --check-prefix=NSW
// RUN: not potq-run %s --entry=fptosi_range 2>&1 | FileCheck %s --check-prefix=FPTOSI
// RUN: not potq-run %s --entry=extract_oob 2>&1 | FileCheck %s --check-prefix=OOB
// RUN: not potq-run %s --entry=generic_div_zero 2>&1 | FileCheck %s --check-prefix=GENERIC

// DIVZERO: arith-errors.mlir:[[@LINE+4]]:8: error: 'arith.divsi' op division by zero is undefined behaviour at element [1]
// DIVZERO: potq-run: error: execution of @div_zero failed
func.func @div_zero() -> tensor<2xi32> {
  %b = arith.constant dense<[1, 0]> : tensor<2xi32>
  %0 = arith.divsi %b, %b : tensor<2xi32>
  return %0 : tensor<2xi32>
}

// REMZERO: 'arith.remui' op remainder by zero is undefined behaviour
func.func @rem_zero() -> i8 {
  %a = arith.constant 7 : i8
  %z = arith.constant 0 : i8
  %0 = arith.remui %a, %z : i8
  return %0 : i8
}

// DIVOVF: 'arith.divsi' op signed division overflow (-128 / -1) is undefined behaviour
func.func @div_overflow() -> i8 {
  %a = arith.constant -128 : i8
  %b = arith.constant -1 : i8
  %0 = arith.divsi %a, %b : i8
  return %0 : i8
}

// SHIFT: 'arith.shli' op shift amount 8 is not less than the bit width 8 (poison, undefined behaviour)
func.func @shift_width() -> i8 {
  %a = arith.constant 1 : i8
  %b = arith.constant 8 : i8
  %0 = arith.shli %a, %b : i8
  return %0 : i8
}

// A negative shift amount is a huge unsigned one.
// SHIFTNEG: 'arith.shrsi' op shift amount 255 is not less than the bit width 8
func.func @shift_negative() -> i8 {
  %a = arith.constant 1 : i8
  %b = arith.constant -1 : i8
  %0 = arith.shrsi %a, %b : i8
  return %0 : i8
}

// NSW: 'arith.addi' op result is poison (signed overflow with nsw), which is undefined behaviour
func.func @nsw_overflow() -> i8 {
  %a = arith.constant 127 : i8
  %b = arith.constant 1 : i8
  %0 = arith.addi %a, %b overflow<nsw> : i8
  return %0 : i8
}

// FPTOSI: 'arith.fptosi' op value 300 does not fit the result type (poison)
func.func @fptosi_range() -> i8 {
  %a = arith.constant 300.0 : f32
  %0 = arith.fptosi %a : f32 to i8
  return %0 : i8
}

// OOB: 'tensor.extract' op index [3] is out of bounds of a tensor of shape [3]
func.func @extract_oob() -> i8 {
  %t = arith.constant dense<[1, 2, 3]> : tensor<3xi8>
  %i = arith.constant 3 : index
  %0 = tensor.extract %t[%i] : tensor<3xi8>
  return %0 : i8
}

// In a linalg body the error names the iteration point.
// GENERIC: 'arith.divsi' op division by zero is undefined behaviour at iteration [2]
func.func @generic_div_zero() -> tensor<3xi32> {
  %a = arith.constant dense<[6, 4, 2]> : tensor<3xi32>
  %b = arith.constant dense<[3, 2, 0]> : tensor<3xi32>
  %init = tensor.empty() : tensor<3xi32>
  %0 = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>],
                       iterator_types = ["parallel"]}
      ins(%a, %b : tensor<3xi32>, tensor<3xi32>) outs(%init : tensor<3xi32>) {
  ^bb0(%x: i32, %y: i32, %out: i32):
    %q = arith.divsi %x, %y : i32
    linalg.yield %q : i32
  } -> tensor<3xi32>
  return %0 : tensor<3xi32>
}
