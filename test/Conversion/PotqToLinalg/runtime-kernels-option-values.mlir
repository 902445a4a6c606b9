// Every word of convert-potq-to-linalg's typed `strategy` and `isa` options
// reaches the runtime call as its POTQ_STRATEGY_* / POTQ_ISA_* value, and
// prints back as the same word; the pipeline forwards its typed options to
// the passes it builds.
// RUN: potq-opt %s --convert-potq-to-linalg="kernels=runtime strategy=auto" | FileCheck %s -DSTRATEGY=0 -DISA=0
// RUN: potq-opt %s --convert-potq-to-linalg="kernels=runtime strategy=dot" | FileCheck %s -DSTRATEGY=1 -DISA=0
// RUN: potq-opt %s --convert-potq-to-linalg="kernels=runtime strategy=shift-add" | FileCheck %s -DSTRATEGY=2 -DISA=0
// RUN: potq-opt %s --convert-potq-to-linalg="kernels=runtime isa=auto" | FileCheck %s -DSTRATEGY=0 -DISA=0
// RUN: potq-opt %s --convert-potq-to-linalg="kernels=runtime isa=scalar" | FileCheck %s -DSTRATEGY=0 -DISA=1
// RUN: potq-opt %s --convert-potq-to-linalg="kernels=runtime isa=avx2" | FileCheck %s -DSTRATEGY=0 -DISA=2
// RUN: potq-opt %s --convert-potq-to-linalg="kernels=runtime isa=avxvnni" | FileCheck %s -DSTRATEGY=0 -DISA=3
// RUN: potq-opt %s --convert-potq-to-linalg="kernels=runtime isa=avx512" | FileCheck %s -DSTRATEGY=0 -DISA=4
// RUN: potq-opt %s --convert-potq-to-linalg="kernels=runtime isa=neon strategy=dot" | FileCheck %s -DSTRATEGY=1 -DISA=5
// RUN: potq-opt %s --convert-potq-to-linalg="kernels=loops" | FileCheck %s --check-prefix=LOOPS
// RUN: potq-opt %s --convert-potq-to-linalg="kernels=runtime strategy=shift-add isa=avxvnni" --dump-pass-pipeline -o /dev/null 2>&1 | FileCheck %s --check-prefix=PRINT
// RUN: potq-opt %s --potq-qat-to-shift-add="weight-scales=msqe recode=nhot nhot-terms=1 nhot-granularity=channel kernels=runtime strategy=dot isa=neon" --dump-pass-pipeline -o /dev/null 2>&1 | FileCheck %s --check-prefix=PIPELINE
// RUN: potq-opt %s --potq-qat-to-shift-add="weight-scales=max recode=exact" --dump-pass-pipeline -o /dev/null 2>&1 | FileCheck %s --check-prefix=PIPELINE2
// RUN: potq-opt %s --potq-qat-to-shift-add="recode=none" --dump-pass-pipeline -o /dev/null 2>&1 | FileCheck %s --check-prefix=NORECODE

// CHECK-LABEL: func.func @matmul
// CHECK:      %[[ZX:.*]] = arith.constant 0 : i32
// CHECK-NEXT: %[[S:.*]] = arith.constant [[STRATEGY]] : i32
// CHECK-NEXT: %[[I:.*]] = arith.constant [[ISA]] : i32
// CHECK-NEXT: %[[T:.*]] = arith.constant 0 : i32
// CHECK-NEXT: call @potq_rt_matmul_i8(%{{.*}}, %{{.*}}, %{{.*}}, %[[ZX]], %[[S]], %[[I]], %[[T]])

// LOOPS-LABEL: func.func @matmul
// LOOPS-NOT: call
// LOOPS: arith.shli

// PRINT: convert-potq-to-linalg{isa=avxvnni kernels=runtime report-kernels=false strategy=shift-add threads=0}

// PIPELINE: convert-qat-to-potq{pot-scales=false weight-scales=msqe}
// PIPELINE: potq-recode-weights{granularity=channel {{.*}}mode=nhot {{.*}}terms=1}
// PIPELINE: convert-potq-to-linalg{isa=neon kernels=runtime report-kernels=false strategy=dot threads=0}

// PIPELINE2: convert-qat-to-potq{pot-scales=false weight-scales=max}
// PIPELINE2: potq-recode-weights{granularity=layer {{.*}}mode=exact {{.*}}}
// PIPELINE2: convert-potq-to-linalg{isa=auto kernels=loops report-kernels=false strategy=auto threads=0}

// NORECODE: convert-qat-to-potq{pot-scales=false weight-scales=trained}
// NORECODE-NOT: potq-recode-weights
// NORECODE: convert-potq-to-linalg

func.func @matmul(%x: tensor<1x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 5.0e-01>>) -> tensor<1x2xi32> {
  %w = potq.constant dense<[[4, -2], [1, 8]]> : tensor<2x2xi8> -> tensor<2x2x!potq.q<#potq.pot<bits = 4>, f32, scale = 2.5e-01>>
  %y = potq.matmul %x, %w : tensor<1x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 5.0e-01>>, tensor<2x2x!potq.q<#potq.pot<bits = 4>, f32, scale = 2.5e-01>> -> tensor<1x2xi32>
  return %y : tensor<1x2xi32>
}
