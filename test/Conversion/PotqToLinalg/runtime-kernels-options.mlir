// Bad values of convert-potq-to-linalg's kernel options, of the pipeline's
// and of potq-translate's: rejected when the pipeline is parsed, with the
// allowed values, without printing the module.
// RUN: not potq-opt %s --convert-potq-to-linalg="kernels=simd" 2>&1 | FileCheck %s --check-prefix=KERNELS --implicit-check-not="current operation"
// RUN: not potq-opt %s --convert-potq-to-linalg="kernels=runtime strategy=mac" 2>&1 | FileCheck %s --check-prefix=STRATEGY --implicit-check-not="current operation"
// RUN: not potq-opt %s --convert-potq-to-linalg="kernels=runtime isa=sse4" 2>&1 | FileCheck %s --check-prefix=ISA --implicit-check-not="current operation"
// RUN: not potq-opt %s --pass-pipeline="builtin.module(convert-potq-to-linalg{isa=AVX2})" 2>&1 | FileCheck %s --check-prefix=ISACASE --implicit-check-not="current operation"
// RUN: not potq-opt %s --convert-potq-to-linalg="kernels=runtime threads=-2" 2>&1 | FileCheck %s --check-prefix=THREADS --implicit-check-not="current operation"
// RUN: not potq-opt %s --potq-qat-to-shift-add="kernels=runtime strategy=fast" 2>&1 | FileCheck %s --check-prefix=STRATEGY2 --implicit-check-not="current operation"
// RUN: not potq-translate %s --emit=llvmir --kernels=gpu -o /dev/null 2>&1 | FileCheck %s --check-prefix=TRANSLATE
// RUN: not potq-translate %s --emit=llvmir --kernels=runtime --kernel-strategy=mac -o /dev/null 2>&1 | FileCheck %s --check-prefix=TSTRATEGY
// RUN: not potq-translate %s --emit=llvmir --kernels=runtime --kernel-isa="avx2 x}" -o /dev/null 2>&1 | FileCheck %s --check-prefix=WORD
// RUN: not potq-translate %s --emit=llvmir --kernels=runtime --kernel-threads=-2 -o /dev/null 2>&1 | FileCheck %s --check-prefix=THREADS

// KERNELS: for the --kernels option: invalid value 'simd' (expected loops or runtime)
// STRATEGY: for the --strategy option: invalid value 'mac' (expected auto, dot or shift-add)
// ISA: for the --isa option: invalid value 'sse4' (expected auto, scalar, avx2, avxvnni, avx512 or neon)
// ISACASE: for the --isa option: invalid value 'AVX2' (expected auto, scalar, avx2, avxvnni, avx512 or neon)
// ISACASE: failed to add `convert-potq-to-linalg` with options `isa=AVX2`
// THREADS: error: convert-potq-to-linalg: invalid threads=-2 (expected >= 0)
// STRATEGY2: for the --strategy option: invalid value 'fast' (expected auto, dot or shift-add)
// TRANSLATE: for the --kernels option: invalid value 'gpu' (expected loops or runtime)
// TSTRATEGY: potq-translate: for the --kernel-strategy option: invalid value 'mac' (expected auto, dot or shift-add)
// WORD: potq-translate: for the --kernel-isa option: invalid value 'avx2 x}' (expected auto, scalar, avx2, avxvnni, avx512 or neon)

func.func @matmul(%x: tensor<1x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 5.0e-01>>) -> tensor<1x2xi32> {
  %w = potq.constant dense<[[4, -2], [1, 8]]> : tensor<2x2xi8> -> tensor<2x2x!potq.q<#potq.pot<bits = 4>, f32, scale = 2.5e-01>>
  %y = potq.matmul %x, %w : tensor<1x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 5.0e-01>>, tensor<2x2x!potq.q<#potq.pot<bits = 4>, f32, scale = 2.5e-01>> -> tensor<1x2xi32>
  return %y : tensor<1x2xi32>
}
