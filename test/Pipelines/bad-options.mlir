// potq-qat-to-shift-add's word-valued options take the words of the passes
// they forward to (one list each, next to the enum): a bad word is rejected
// when the pipeline is parsed, with the allowed words, before any pass runs
// and without printing the module.
// RUN: not potq-opt %s --potq-qat-to-shift-add="weight-scales=mean" 2>&1 | FileCheck %s --check-prefix=SCALES --implicit-check-not="current operation"
// RUN: not potq-opt %s --potq-qat-to-shift-add="recode=csd" 2>&1 | FileCheck %s --check-prefix=RECODE --implicit-check-not="current operation"
// RUN: not potq-opt %s --potq-qat-to-shift-add="recode=nhot nhot-terms=1 nhot-granularity=tensor" 2>&1 | FileCheck %s --check-prefix=GRANULARITY --implicit-check-not="current operation"
// RUN: not potq-opt %s --potq-qat-to-shift-add="kernels=gpu" 2>&1 | FileCheck %s --check-prefix=KERNELS --implicit-check-not="current operation"
// RUN: not potq-opt %s --potq-qat-to-shift-add="kernels=runtime strategy=mac" 2>&1 | FileCheck %s --check-prefix=STRATEGY --implicit-check-not="current operation"
// RUN: not potq-opt %s --potq-qat-to-shift-add="kernels=runtime isa=sse2" 2>&1 | FileCheck %s --check-prefix=ISA --implicit-check-not="current operation"
// RUN: not potq-opt %s --pass-pipeline="builtin.module(potq-qat-to-shift-add{isa=avx})" 2>&1 | FileCheck %s --check-prefix=ISA2 --implicit-check-not="current operation"

// SCALES: for the --weight-scales option: invalid value 'mean' (expected trained, max or msqe)
// RECODE: for the --recode option: invalid value 'csd' (expected none, exact or nhot)
// GRANULARITY: for the --nhot-granularity option: invalid value 'tensor' (expected layer or channel)
// KERNELS: for the --kernels option: invalid value 'gpu' (expected loops or runtime)
// STRATEGY: for the --strategy option: invalid value 'mac' (expected auto, dot or shift-add)
// ISA: for the --isa option: invalid value 'sse2' (expected auto, scalar, avx2, avxvnni, avx512 or neon)
// ISA2: for the --isa option: invalid value 'avx' (expected auto, scalar, avx2, avxvnni, avx512 or neon)
func.func @main(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  return %x : tensor<1x2xf32>
}
