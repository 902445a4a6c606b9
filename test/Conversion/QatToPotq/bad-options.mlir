// RUN: not potq-opt %s --convert-qat-to-potq="weight-scales=median" 2>&1 | FileCheck %s --check-prefix=METHOD
// RUN: not potq-opt %s --convert-qat-to-potq="pot-scales=true" 2>&1 | FileCheck %s --check-prefix=POT

// METHOD: error: convert-qat-to-potq: weight-scales must be 'trained', 'max' or 'msqe', got 'median'
// POT: error: convert-qat-to-potq: pot-scales needs weight-scales=max or msqe
func.func @f() {
  return
}
