// RUN: not potq-opt %s --potq-cost-report="format=yaml" 2>&1 | FileCheck %s --check-prefix=FORMAT --implicit-check-not="current operation"
// RUN: not potq-opt %s --potq-cost-report="energy-table=%t.does-not-exist.json" 2>&1 | FileCheck %s --check-prefix=MISSING
// RUN: not potq-opt %s --potq-cost-report="energy-table=/dev/zero" 2>&1 | FileCheck %s --check-prefix=ENDLESS
// RUN: not potq-opt %s --potq-cost-report="energy-table=%S/Inputs/energy-table-broken.json" 2>&1 | FileCheck %s --check-prefix=BROKEN
// RUN: not potq-opt %s --potq-cost-report="energy-table=%S/Inputs/energy-table-array.json" 2>&1 | FileCheck %s --check-prefix=ARRAY
// RUN: not potq-opt %s --potq-cost-report="energy-table=%S/Inputs/energy-table-unknown.json" 2>&1 | FileCheck %s --check-prefix=UNKNOWN
// RUN: not potq-opt %s --potq-cost-report="energy-table=%S/Inputs/energy-table-negative.json" 2>&1 | FileCheck %s --check-prefix=NEGATIVE
// RUN: not potq-opt %s --potq-cost-report="output-file=%t.missing/dir/report" 2>&1 | FileCheck %s --check-prefix=OUTPUT

// FORMAT: for the --format option: invalid value 'yaml' (expected text or json)
// MISSING: error: potq-cost-report: cannot read energy table '{{.*}}does-not-exist.json': No such file or directory
// ENDLESS: error: potq-cost-report: cannot read energy table '/dev/zero': larger than potq's input limit of 1048576 bytes
// BROKEN: error: potq-cost-report: energy table '{{.*}}energy-table-broken.json' is not valid JSON:
// ARRAY: error: potq-cost-report: energy table '{{.*}}energy-table-array.json' must be a JSON object
// UNKNOWN: error: potq-cost-report: unknown energy table key 'div' (expected add8, mul8, add32, mul32, fadd32, fmul32, shift)
// NEGATIVE: error: potq-cost-report: energy table key 'mul8' must be a finite non-negative number
// OUTPUT: error: potq-cost-report: {{.*}}report

func.func @empty() {
  return
}
