// RUN: potq-opt %s --potq-cost-report -o /dev/null 2>/dev/null | FileCheck %s
// RUN: potq-opt %s --potq-cost-report="format=json output-file=%t.json" -o /dev/null 2>/dev/null
// RUN: FileCheck %s --check-prefix=JSON < %t.json
// RUN: %python -c "import json,sys; r=json.load(open(sys.argv[1])); assert len(r['layers']) == 5 and r['total']['weights'] == 39, r['total']" %t.json
// RUN: potq-opt %s --potq-cost-report="energy-table=%S/Inputs/energy-table.json" -o /dev/null 2>/dev/null | FileCheck %s --check-prefix=TABLE
// RUN: potq-opt %s --potq-cost-report -o /dev/null 2>&1 >/dev/null | FileCheck %s --check-prefix=WARN

// CHECK: potq-cost-report: energy per operation (pJ): add8 0.03 mul8 0.2 add32 0.1 mul32 3.1 fadd32 0.9 fmul32 3.7 shift 0.03
// TABLE: potq-cost-report: energy per operation (pJ): add8 0.03 mul8 0.2 add32 0.2 mul32 3.1 fadd32 0.9 fmul32 3.7 shift 0

!x = tensor<2x3x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e-01>>
!w = tensor<3x2x!potq.q<#potq.pot<bits = 4>, f32, scale = 5.0e-01>>

// Hand count in docs/BitSparsity.md terms, per application (one row of x):
// 6 weights, 5 nonzero, 5 terms; shifts: all terms but the 1 (4); adds:
// columns with 3 and 2 terms (2 + 1 = 3). Shared: rows need x << 2,
// x << 1, x << 3 and x << 2 (4 shifts). Two rows: twice the operations.
// CHECK-LABEL: potq-cost-report: @matmul #0 potq.matmul: weight 3x2 pot<bits = 4>, 2 positions, i32 accumulator
// CHECK-NEXT: weights 6, nonzero 5, storage 24 bits (int8 48, fp32 192)
// CHECK-NEXT: terms 5 (binary digits 5); per inference: multiplies 0 (+0 in requantization)
// CHECK-NEXT: shift-add: 8 shifts, 6 adds, 0.84 pJ
// CHECK-NEXT: shared:    8 shifts, 6 adds, 0.84 pJ
// CHECK-NEXT: int8 MAC:  12 multiplies, 12 adds, 3.60 pJ
// CHECK-NEXT: fp32 MAC:  12 multiplies, 12 adds, 55.20 pJ
// CHECK-NEXT: energy vs shift-add: int8 4.29x, fp32 65.71x
// JSON: "name": "@matmul #0 potq.matmul"
// TABLE-LABEL: @matmul
// TABLE: shift-add: 8 shifts, 6 adds, 1.20 pJ
// TABLE-NEXT: shared:    8 shifts, 6 adds, 1.20 pJ
// TABLE-NEXT: int8 MAC:  12 multiplies, 12 adds, 4.80 pJ
func.func @matmul(%x: !x) -> tensor<2x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 5.0e-02>> {
  %w = potq.constant dense<[[1, 4], [-2, 0], [8, 4]]> : tensor<3x2xi8> -> !w
  %y = potq.matmul %x, %w : !x, !w -> tensor<2x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 5.0e-02>>
  return %y : tensor<2x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 5.0e-02>>
}

// Shared fundamentals: 3x = (x << 2) - x is built once for 3 and 6 = 3 << 1.
// One application: terms 2 + 2 + 2, adds 3 direct; shared 2 adds
// (3x and 7x) and 3 shifts (x << 2, x << 3, 3x << 1). The output multiplier
// 0.1 * 1.0 / 0.3 is not a power of two: 3 requantization multiplies.
// CHECK-LABEL: @fundamentals #0 potq.matmul: weight 1x3 uniform<bits = 5>, 1 position, i32 accumulator
// CHECK-NEXT: weights 3, nonzero 3, storage 15 bits (int8 24, fp32 96)
// CHECK-NEXT: terms 6 (binary digits 7); per inference: multiplies 0 (+3 in requantization)
// CHECK-NEXT: shift-add: 4 shifts, 3 adds, 0.42 pJ
// CHECK-NEXT: shared:    3 shifts, 2 adds, 0.29 pJ
func.func @fundamentals(%x: tensor<1x1x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e-01>>) -> tensor<1x3x!potq.q<#potq.uniform<bits = 8>, f32, scale = 3.0e-01>> {
  %w = potq.constant dense<[[3, 6, 7]]> : tensor<1x3xi8> -> tensor<1x3x!potq.q<#potq.uniform<bits = 5>, f32, scale = 1.0e+00>>
  %y = potq.matmul %x, %w : tensor<1x1x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e-01>>, tensor<1x3x!potq.q<#potq.uniform<bits = 5>, f32, scale = 1.0e+00>> -> tensor<1x3x!potq.q<#potq.uniform<bits = 8>, f32, scale = 3.0e-01>>
  return %y : tensor<1x3x!potq.q<#potq.uniform<bits = 8>, f32, scale = 3.0e-01>>
}

// Depthwise: each channel reads its own input, so nothing is shared; a 3x3
// kernel over a 4x4 image gives 2x2 = 4 positions.
// CHECK-LABEL: @depthwise #0 potq.depthwise_conv_2d_nhwc_hwc: weight 3x3x2 uniform<bits = 4>, 4 positions, i32 accumulator
// CHECK-NEXT: weights 18, nonzero 18, storage 72 bits (int8 144, fp32 576)
// CHECK-NEXT: terms 36 (binary digits 36)
// CHECK-NEXT: shift-add: 72 shifts, 136 adds, 15.76 pJ
// CHECK-NEXT: shared:    72 shifts, 136 adds, 15.76 pJ
// CHECK-NEXT: int8 MAC:  72 multiplies, 72 adds, 21.60 pJ
func.func @depthwise(%x: tensor<1x4x4x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e-01>>) -> tensor<1x2x2x2xi32> {
  %w = potq.constant dense<3> : tensor<3x3x2xi8> -> tensor<3x3x2x!potq.q<#potq.uniform<bits = 4>, f32, scale = 1.0e+00>>
  %y = potq.depthwise_conv_2d_nhwc_hwc %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>} : tensor<1x4x4x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e-01>>, tensor<3x3x2x!potq.q<#potq.uniform<bits = 4>, f32, scale = 1.0e+00>> -> tensor<1x2x2x2xi32>
  return %y : tensor<1x2x2x2xi32>
}

// Batch matmul: each batch has its own weight matrix, so accumulations do
// not cross batches. Batch 0: [[1, 2], [4, 0]] (3 terms, shifts 2, adds 1);
// batch 1: [[-8, 1], [2, 2]] (4 terms, shifts 3, adds 2). Shared: one shift
// per distinct (row, exponent): 2 + 2.
// CHECK-LABEL: @batch #0 potq.batch_matmul: weight 2x2x2 pot<bits = 4>, 1 position, i32 accumulator
// CHECK-NEXT: weights 8, nonzero 7, storage 32 bits (int8 64, fp32 256)
// CHECK-NEXT: terms 7 (binary digits 7)
// CHECK-NEXT: shift-add: 5 shifts, 3 adds, 0.45 pJ
// CHECK-NEXT: shared:    4 shifts, 3 adds, 0.42 pJ
func.func @batch(%x: tensor<2x1x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e-01>>) -> tensor<2x1x2xi32> {
  %w = potq.constant dense<[[[1, 2], [4, 0]], [[-8, 1], [2, 2]]]> : tensor<2x2x2xi8> -> tensor<2x2x2x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e+00>>
  %y = potq.batch_matmul %x, %w : tensor<2x1x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e-01>>, tensor<2x2x2x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e+00>> -> tensor<2x1x2xi32>
  return %y : tensor<2x1x2xi32>
}

// Dynamic batch: counted as 1.
// CHECK-LABEL: @dynamic #0 potq.matmul: weight 2x2 pot<bits = 4>, 1 position, i32 accumulator (dynamic dimensions counted as 1)
// CHECK-NEXT: weights 4, nonzero 3
// CHECK-NOT: @dynamic #1
// CHECK-LABEL: potq-cost-report: total (dynamic dimensions counted as 1)
// CHECK-NEXT: weights 39, nonzero 36, storage 159 bits (int8 312, fp32 1248)
// WARN: warning: potq-cost-report: @dynamic #1 potq.matmul: the weight is not a potq.constant; not counted
// JSON: "name": "@dynamic #0 potq.matmul"
// JSON: "total": {
// JSON: "dynamic_dims_counted_as_1": true
func.func @dynamic(%x: tensor<?x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e-01>>, %w2: tensor<2x2x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e+00>>) -> (tensor<?x2xi32>, tensor<?x2xi32>) {
  %w = potq.constant dense<[[1, 2], [0, -4]]> : tensor<2x2xi8> -> tensor<2x2x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e+00>>
  %y = potq.matmul %x, %w : tensor<?x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e-01>>, tensor<2x2x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e+00>> -> tensor<?x2xi32>
  %z = potq.matmul %x, %w2 : tensor<?x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e-01>>, tensor<2x2x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e+00>> -> tensor<?x2xi32>
  return %y, %z : tensor<?x2xi32>, tensor<?x2xi32>
}
