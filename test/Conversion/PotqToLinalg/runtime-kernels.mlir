// RUN: potq-opt %s -split-input-file --convert-potq-to-linalg="kernels=runtime" | FileCheck %s
// RUN: potq-opt %s -split-input-file --convert-potq-to-linalg="kernels=runtime strategy=shift-add isa=avx512 threads=4" | FileCheck %s --check-prefix=OPTS
// RUN: potq-opt %s -split-input-file --convert-potq-to-linalg="kernels=runtime strategy=dot report-kernels=true" 2>&1 >/dev/null | FileCheck %s --check-prefix=REMARK
// RUN: potq-opt %s -split-input-file --convert-potq-to-linalg | FileCheck %s --check-prefix=LOOPS

// kernels=runtime: the accumulation of an eligible potq.matmul is a call
// into PotqRuntime; the weight is packed at compile time into an aligned
// private constant global (header "POTQPW01"); the epilogue is unchanged.

// CHECK-DAG: func.func private @potq_rt_matmul_i8(memref<?x?xi8, strided<[?, ?], offset: ?>>, memref<?xi8>, memref<?x?xi32, strided<[?, ?], offset: ?>>, i32, i32, i32, i32) attributes {llvm.emit_c_interface}
// CHECK-DAG: memref.global "private" constant @__potq_packed_0 : memref<[[BYTES:[0-9]+]]xi8> = dense<"0x504F5451505730310300000000000000020000000000000004000000{{[0-9A-F]+}}"> {alignment = 64 : i64}
// CHECK-LABEL: func.func @matmul_bias_relu
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xi8>) -> tensor<2x2xi8>
// CHECK-NOT: linalg.generic
// CHECK: %[[XB:.*]] = bufferization.to_buffer %[[X]] read_only : tensor<2x3xi8> to memref<2x3xi8, strided<[?, ?], offset: ?>>
// CHECK: %[[XC:.*]] = memref.cast %[[XB]] : memref<2x3xi8, strided<[?, ?], offset: ?>> to memref<?x?xi8, strided<[?, ?], offset: ?>>
// CHECK: %[[W:.*]] = memref.get_global @__potq_packed_0 : memref<[[BYTES]]xi8>
// CHECK: %[[WC:.*]] = memref.cast %[[W]] : memref<[[BYTES]]xi8> to memref<?xi8>
// CHECK: %[[ACC:.*]] = memref.alloc() {alignment = 64 : i64} : memref<2x2xi32>
// CHECK: %[[AC:.*]] = memref.cast %[[ACC]] : memref<2x2xi32> to memref<?x?xi32, strided<[?, ?], offset: ?>>
// CHECK: call @potq_rt_matmul_i8(%[[XC]], %[[WC]], %[[AC]], %[[ZX:.*]], %[[ST:.*]], %[[ISA:.*]], %[[TH:.*]]) :
// CHECK: %[[T:.*]] = bufferization.to_tensor %[[ACC]] restrict : memref<2x2xi32> to tensor<2x2xi32>
// CHECK: linalg.generic
// CHECK-SAME: ins(%[[T]], %{{.*}} : tensor<2x2xi32>, tensor<2xi32>)
// CHECK: arith.addi
// CHECK: arith.maxsi
// CHECK: arith.minsi
// CHECK: return
// OPTS-LABEL: func.func @matmul_bias_relu
// OPTS: %[[C0:.*]] = arith.constant 0 : i32
// OPTS: %[[C2:.*]] = arith.constant 2 : i32
// OPTS: %[[ISA:.*]] = arith.constant 4 : i32
// OPTS: %[[TH:.*]] = arith.constant 4 : i32
// OPTS: call @potq_rt_matmul_i8(%{{.*}}, %{{.*}}, %{{.*}}, %[[C0]], %[[C2]], %[[ISA]], %[[TH]])
// REMARK: remark: contraction calls the runtime (potq_rt_matmul_i8, {{[0-9]+}} bytes of packed weights)
// LOOPS-LABEL: func.func @matmul_bias_relu
// LOOPS-NOT: call
// LOOPS-NOT: memref
// LOOPS: arith.shli
func.func @matmul_bias_relu(%x: tensor<2x3x!potq.q<#potq.uniform<bits = 8>, f32, scale = 5.0e-01>>) -> tensor<2x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.25e-01>> {
  %w = potq.constant dense<[[1, -2], [0, 64], [-1, 8]]> : tensor<3x2xi8> -> tensor<3x2x!potq.q<#potq.pot<bits = 4>, f32, scale = 2.5e-01>>
  %b = arith.constant dense<[3, -7]> : tensor<2xi32>
  %y = potq.matmul %x, %w bias %b {clamp_min = 0 : i64} : tensor<2x3x!potq.q<#potq.uniform<bits = 8>, f32, scale = 5.0e-01>>, tensor<3x2x!potq.q<#potq.pot<bits = 4>, f32, scale = 2.5e-01>>, tensor<2xi32> -> tensor<2x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.25e-01>>
  return %y : tensor<2x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.25e-01>>
}

// -----

// Unsigned input storage: the levels are shifted to int8 (x ^ 0x80 is
// x - 128) and so is the zero point (130 - 128 = 2); a dynamic M sizes the
// accumulator buffer; a raw i32 result is the accumulator tensor itself.
// CHECK-LABEL: func.func @unsigned_dynamic
// CHECK-SAME: (%[[X:.*]]: tensor<?x5xi8>) -> tensor<?x3xi32>
// CHECK: %[[FLIP:.*]] = arith.constant -128 : i8
// CHECK: %[[S:.*]] = linalg.generic
// CHECK-SAME: ins(%[[X]] : tensor<?x5xi8>)
// CHECK: arith.xori %{{.*}}, %[[FLIP]] : i8
// CHECK: bufferization.to_buffer %[[S]] read_only
// CHECK: %[[M:.*]] = tensor.dim %[[S]], %{{.*}} : tensor<?x5xi8>
// CHECK: %[[ACC:.*]] = memref.alloc(%[[M]]) {alignment = 64 : i64} : memref<?x3xi32>
// CHECK: %[[ZX:.*]] = arith.constant 2 : i32
// CHECK: call @potq_rt_matmul_i8(%{{.*}}, %{{.*}}, %{{.*}}, %[[ZX]],
// CHECK: %[[T:.*]] = bufferization.to_tensor %[[ACC]] restrict : memref<?x3xi32> to tensor<?x3xi32>
// CHECK-NEXT: return %[[T]] : tensor<?x3xi32>
// REMARK: remark: contraction calls the runtime
func.func @unsigned_dynamic(%x: tensor<?x5x!potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 5.0e-01, zero_point = 130>>) -> tensor<?x3xi32> {
  %w = potq.constant dense<[[1, -2, 4], [0, 64, -64], [-1, 8, 2], [16, 32, -4], [0, 0, 1]]> : tensor<5x3xi8> -> tensor<5x3x!potq.q<#potq.pot<bits = 4>, f32, scale = 2.5e-01>>
  %y = potq.matmul %x, %w : tensor<?x5x!potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 5.0e-01, zero_point = 130>>, tensor<5x3x!potq.q<#potq.pot<bits = 4>, f32, scale = 2.5e-01>> -> tensor<?x3xi32>
  return %y : tensor<?x3xi32>
}

// -----

// Ineligible: 16-bit input storage keeps the shift-add loops.
// CHECK-LABEL: func.func @input_i16
// CHECK-NOT: call
// CHECK: linalg.generic
// CHECK: arith.shli
// REMARK: remark: contraction keeps the shift-add loops: input storage is not 8-bit
func.func @input_i16(%x: tensor<1x2x!potq.q<#potq.uniform<bits = 16>, f32, scale = 5.0e-01>>) -> tensor<1x2xi32> {
  %w = potq.constant dense<[[4, -2], [1, 8]]> : tensor<2x2xi8> -> tensor<2x2x!potq.q<#potq.pot<bits = 4>, f32, scale = 2.5e-01>>
  %y = potq.matmul %x, %w : tensor<1x2x!potq.q<#potq.uniform<bits = 16>, f32, scale = 5.0e-01>>, tensor<2x2x!potq.q<#potq.pot<bits = 4>, f32, scale = 2.5e-01>> -> tensor<1x2xi32>
  return %y : tensor<1x2xi32>
}

// -----

// potq.batch_matmul: the [B, K, N] weight is packed as B K x N matrices in
// one global, each 64-byte aligned (here 2 x 2816 bytes); an scf.for over B
// calls @potq_rt_matmul_i8 on the rank-reduced slices of the input and the
// accumulators and a memref.view of packed slice b; a dynamic M sizes the
// accumulators.
// CHECK-DAG: memref.global "private" constant @__potq_packed_0 : memref<5632xi8> = dense<"0x504F5451505730310300000000000000020000000000000004000000{{[0-9A-F]+}}"> {alignment = 64 : i64}
// CHECK-LABEL: func.func @batch
// CHECK-SAME: (%[[X:.*]]: tensor<2x?x3xi8>) -> tensor<2x?x2xi32>
// CHECK-NOT: linalg.generic
// CHECK: %[[XB:.*]] = bufferization.to_buffer %[[X]] read_only : tensor<2x?x3xi8> to memref<2x?x3xi8, strided<[?, ?, ?], offset: ?>>
// CHECK: %[[W:.*]] = memref.get_global @__potq_packed_0 : memref<5632xi8>
// CHECK: %[[M:.*]] = tensor.dim %[[X]], %{{.*}} : tensor<2x?x3xi8>
// CHECK: %[[ACC:.*]] = memref.alloc(%[[M]]) {alignment = 64 : i64} : memref<2x?x2xi32>
// CHECK-DAG: %[[B:.*]] = arith.constant 2 : index
// CHECK-DAG: %[[STRIDE:.*]] = arith.constant 2816 : index
// CHECK: scf.for %[[I:.*]] = %{{.*}} to %[[B]] step
// CHECK: %[[XS:.*]] = memref.subview %[[XB]][%[[I]], 0, 0] [1, %{{.*}}, 3] [1, 1, 1] : memref<2x?x3xi8, strided<[?, ?, ?], offset: ?>> to memref<?x3xi8, strided<[?, ?], offset: ?>>
// CHECK: %[[XC:.*]] = memref.cast %[[XS]] : memref<?x3xi8, strided<[?, ?], offset: ?>> to memref<?x?xi8, strided<[?, ?], offset: ?>>
// CHECK: %[[AS:.*]] = memref.subview %[[ACC]][%[[I]], 0, 0] [1, %{{.*}}, 2] [1, 1, 1] : memref<2x?x2xi32> to memref<?x2xi32, strided<[2, 1], offset: ?>>
// CHECK: %[[AC:.*]] = memref.cast %[[AS]] : memref<?x2xi32, strided<[2, 1], offset: ?>> to memref<?x?xi32, strided<[?, ?], offset: ?>>
// CHECK: %[[SHIFT:.*]] = arith.muli %[[I]], %[[STRIDE]] : index
// CHECK: %[[WS:.*]] = memref.view %[[W]][%[[SHIFT]]][] : memref<5632xi8> to memref<2816xi8>
// CHECK: %[[WC:.*]] = memref.cast %[[WS]] : memref<2816xi8> to memref<?xi8>
// CHECK: call @potq_rt_matmul_i8(%[[XC]], %[[WC]], %[[AC]],
// CHECK: }
// CHECK: %[[T:.*]] = bufferization.to_tensor %[[ACC]] restrict : memref<2x?x2xi32> to tensor<2x?x2xi32>
// CHECK-NEXT: return %[[T]] : tensor<2x?x2xi32>
// REMARK: remark: contraction calls the runtime (potq_rt_matmul_i8 per batch slice, 2 slices, 5632 bytes of packed weights)
// LOOPS-LABEL: func.func @batch
// LOOPS-NOT: call
// LOOPS: arith.shli
func.func @batch(%x: tensor<2x?x3x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>) -> tensor<2x?x2xi32> {
  %w = potq.constant dense<[[[1, 2], [4, -8], [0, 1]], [[-1, 2], [4, 8], [16, 1]]]> : tensor<2x3x2xi8> -> tensor<2x3x2x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e+00>>
  %y = potq.batch_matmul %x, %w : tensor<2x?x3x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>, tensor<2x3x2x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e+00>> -> tensor<2x?x2xi32>
  return %y : tensor<2x?x2xi32>
}

// -----

// A statically empty batch matmul (M = 0) needs no call.
// CHECK-LABEL: func.func @batch_empty
// CHECK-NOT: call
// CHECK-NOT: scf.for
// CHECK: memref.alloc() {alignment = 64 : i64} : memref<3x0x2xi32>
// CHECK-NOT: call
// CHECK: return
// REMARK: remark: contraction calls the runtime (potq_rt_matmul_i8 per batch slice, 3 slices,
func.func @batch_empty(%x: tensor<3x0x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>) -> tensor<3x0x2xi32> {
  %w = potq.constant dense<1> : tensor<3x2x2xi8> -> tensor<3x2x2x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e+00>>
  %y = potq.batch_matmul %x, %w : tensor<3x0x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>, tensor<3x2x2x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e+00>> -> tensor<3x0x2xi32>
  return %y : tensor<3x0x2xi32>
}

// -----

// Ineligible: depthwise convolutions keep the loops.
// CHECK-LABEL: func.func @depthwise
// CHECK-NOT: call
// CHECK: arith.shli
// REMARK: remark: contraction keeps the shift-add loops: only potq.matmul, potq.batch_matmul, potq.conv_2d_nhwc_hwcf and potq.conv_2d_nchw_fchw call the runtime
func.func @depthwise(%x: tensor<1x3x3x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>) -> tensor<1x2x2x2xi32> {
  %w = potq.constant dense<1> : tensor<2x2x2xi8> -> tensor<2x2x2x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e+00>>
  %y = potq.depthwise_conv_2d_nhwc_hwc %x, %w : tensor<1x3x3x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e+00>>, tensor<2x2x2x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e+00>> -> tensor<1x2x2x2xi32>
  return %y : tensor<1x2x2x2xi32>
}

// -----

// Levels outside int8 (pot5: up to 2^14) call the runtime with the
// shift-add kernels, but strategy=dot cannot represent them: loops.
// CHECK-LABEL: func.func @pot5
// CHECK: call @potq_rt_matmul_i8
// REMARK: remark: contraction keeps the shift-add loops: potq_gemm rejects the weight: levels not supported by the strategy
func.func @pot5(%x: tensor<1x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 5.0e-01>>) -> tensor<1x2xi32> {
  %w = potq.constant dense<[[16384, -2], [1, -4096]]> : tensor<2x2xi16> -> tensor<2x2x!potq.q<#potq.pot<bits = 5>, f32, scale = 2.5e-01>>
  %y = potq.matmul %x, %w : tensor<1x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 5.0e-01>>, tensor<2x2x!potq.q<#potq.pot<bits = 5>, f32, scale = 2.5e-01>> -> tensor<1x2xi32>
  return %y : tensor<1x2xi32>
}

// -----

// potq.conv_2d_nhwc_hwcf calls @potq_rt_conv2d_nhwc_i8 with the HWCF weight
// packed as the (KH*KW*C) x F matrix, the kernel size, the strides and the
// zero-point padding [top, left, bottom, right] (the runtime pads, no
// tensor.pad): H (5 + 1 - 2) / 2 + 1 = 3, W (6 + 2 - 3) / 1 + 1 = 6.
// CHECK-DAG: func.func private @potq_rt_conv2d_nhwc_i8(memref<?x?x?x?xi8, strided<[?, ?, ?, ?], offset: ?>>, memref<?xi8>, memref<?x?x?x?xi32, strided<[?, ?, ?, ?], offset: ?>>, i32, i32, i32, i32, i32, i32, i32, i32, i32, i32, i32, i32) attributes {llvm.emit_c_interface}
// CHECK-LABEL: func.func @conv
// CHECK-NOT: tensor.pad
// CHECK: %[[ACC:.*]] = memref.alloc(%{{.*}}) {alignment = 64 : i64} : memref<?x3x6x3xi32>
// CHECK: %[[KH:.*]] = arith.constant 2 : i32
// CHECK: %[[KW:.*]] = arith.constant 3 : i32
// CHECK: %[[SH:.*]] = arith.constant 2 : i32
// CHECK: %[[SW:.*]] = arith.constant 1 : i32
// CHECK: %[[PT:.*]] = arith.constant 1 : i32
// CHECK: %[[PL:.*]] = arith.constant 0 : i32
// CHECK: %[[PB:.*]] = arith.constant 0 : i32
// CHECK: %[[PR:.*]] = arith.constant 2 : i32
// CHECK: call @potq_rt_conv2d_nhwc_i8(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %[[KH]], %[[KW]], %[[SH]], %[[SW]], %[[PT]], %[[PL]], %[[PB]], %[[PR]],
// CHECK: bufferization.to_tensor %[[ACC]] restrict : memref<?x3x6x3xi32> to tensor<?x3x6x3xi32>
// REMARK: remark: contraction calls the runtime (potq_rt_conv2d_nhwc_i8,
// LOOPS-LABEL: func.func @conv
// LOOPS: tensor.pad %{{.*}} low[0, 1, 0, 0] high[0, 0, 2, 0]
func.func @conv(%x: tensor<?x5x6x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 5.0e-02>>) -> tensor<?x3x6x3xi32> {
  %w = potq.constant dense<1> : tensor<2x3x2x3xi8> -> tensor<2x3x2x3x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e-02>>
  %y = potq.conv_2d_nhwc_hwcf %x, %w {strides = array<i64: 2, 1>, padding = array<i64: 1, 0, 0, 2>} : tensor<?x5x6x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 5.0e-02>>, tensor<2x3x2x3x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e-02>> -> tensor<?x3x6x3xi32>
  return %y : tensor<?x3x6x3xi32>
}

// -----

// Dilated convolutions keep the loops.
// CHECK-LABEL: func.func @dilated
// CHECK-NOT: call
// CHECK: arith.shli
// REMARK: remark: contraction keeps the shift-add loops: dilated convolution
func.func @dilated(%x: tensor<1x9x9x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 5.0e-02>>) -> tensor<1x3x8x3xi32> {
  %w = potq.constant dense<1> : tensor<2x2x2x3xi8> -> tensor<2x2x2x3x!potq.q<#potq.pot<bits = 3>, f32, scale = 1.0e-02>>
  %y = potq.conv_2d_nhwc_hwcf %x, %w {strides = array<i64: 2, 1>, dilations = array<i64: 3, 1>} : tensor<1x9x9x2x!potq.q<#potq.uniform<bits = 8>, f32, scale = 5.0e-02>>, tensor<2x2x2x3x!potq.q<#potq.pot<bits = 3>, f32, scale = 1.0e-02>> -> tensor<1x3x8x3xi32>
  return %y : tensor<1x3x8x3xi32>
}

// -----

// potq.conv_2d_nchw_fchw: the FCHW weight is re-laid out as HWCF and packed
// like an NHWC convolution's; the (here unsigned, so first flipped) input is
// transposed NCHW -> NHWC, @potq_rt_conv2d_nhwc_i8 writes NHWC
// accumulators, which are transposed back to NCHW before the unchanged
// epilogue (bias indexed by the channel dimension 1).
// CHECK-DAG: func.func private @potq_rt_conv2d_nhwc_i8(
// CHECK-DAG: memref.global "private" constant @__potq_packed_0 : memref<[[BYTES:[0-9]+]]xi8> = dense<"0x504F5451505730310C00000000000000030000000000000004000000{{[0-9A-F]+}}"> {alignment = 64 : i64}
// CHECK-DAG: #[[CHANNEL:.*]] = affine_map<(d0, d1, d2, d3) -> (d1)>
// CHECK-LABEL: func.func @nchw
// CHECK-SAME: (%[[X:.*]]: tensor<?x2x5x6xi8>, %[[BIAS:.*]]: tensor<3xi32>) -> tensor<?x3x2x4xi8>
// CHECK: %[[S:.*]] = linalg.generic
// CHECK: arith.xori
// CHECK: %[[XT0:.*]] = tensor.empty(%{{.*}}) : tensor<?x5x6x2xi8>
// CHECK: %[[XT:.*]] = linalg.transpose ins(%[[S]] : tensor<?x2x5x6xi8>) outs(%[[XT0]] : tensor<?x5x6x2xi8>) permutation = [0, 2, 3, 1]
// CHECK: bufferization.to_buffer %[[XT]] read_only : tensor<?x5x6x2xi8> to memref<?x5x6x2xi8, strided<[?, ?, ?, ?], offset: ?>>
// CHECK: %[[ACC:.*]] = memref.alloc(%{{.*}}) {alignment = 64 : i64} : memref<?x2x4x3xi32>
// CHECK-DAG: %[[ZX:.*]] = arith.constant -125 : i32
// CHECK-DAG: %[[KH:.*]] = arith.constant 2 : i32
// CHECK-DAG: %[[KW:.*]] = arith.constant 3 : i32
// CHECK-DAG: %[[SH:.*]] = arith.constant 2 : i32
// CHECK-DAG: %[[SW:.*]] = arith.constant 1 : i32
// CHECK: call @potq_rt_conv2d_nhwc_i8(%{{.*}}, %{{.*}}, %{{.*}}, %[[ZX]], %[[KH]], %[[KW]], %[[SH]], %[[SW]],
// CHECK: %[[T:.*]] = bufferization.to_tensor %[[ACC]] restrict : memref<?x2x4x3xi32> to tensor<?x2x4x3xi32>
// CHECK: %[[YT0:.*]] = tensor.empty(%{{.*}}) : tensor<?x3x2x4xi32>
// CHECK: %[[YT:.*]] = linalg.transpose ins(%[[T]] : tensor<?x2x4x3xi32>) outs(%[[YT0]] : tensor<?x3x2x4xi32>) permutation = [0, 3, 1, 2]
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[CHANNEL]], #{{.*}}]
// CHECK-SAME: ins(%[[YT]], %[[BIAS]] : tensor<?x3x2x4xi32>, tensor<3xi32>)
// CHECK: arith.trunci
// REMARK: remark: contraction calls the runtime (potq_rt_conv2d_nhwc_i8 on the input transposed to NHWC, {{[0-9]+}} bytes of packed weights)
// LOOPS-LABEL: func.func @nchw
// LOOPS-NOT: call
// LOOPS: arith.shli
func.func @nchw(%x: tensor<?x2x5x6x!potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 5.0e-02, zero_point = 3>>, %b: tensor<3xi32>) -> tensor<?x3x2x4x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e-01>> {
  %w = potq.constant dense<1> : tensor<3x2x2x3xi8> -> tensor<3x2x2x3x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e-02>>
  %y = potq.conv_2d_nchw_fchw %x, %w bias %b {strides = array<i64: 2, 1>} : tensor<?x2x5x6x!potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 5.0e-02, zero_point = 3>>, tensor<3x2x2x3x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e-02>>, tensor<3xi32> -> tensor<?x3x2x4x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e-01>>
  return %y : tensor<?x3x2x4x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e-01>>
}
