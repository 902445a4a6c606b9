// RUN: not potq-opt %s --convert-qat-to-potq="weight-scales=median" 2>&1 | FileCheck %s --check-prefix=METHOD --implicit-check-not="current operation"
// RUN: not potq-opt %s --convert-qat-to-potq="pot-scales=true" 2>&1 | FileCheck %s --check-prefix=POT

// METHOD: for the --weight-scales option: invalid value 'median' (expected trained, max or msqe)
// POT: error: convert-qat-to-potq: pot-scales needs weight-scales=max or msqe
func.func @f() {
  return
}
