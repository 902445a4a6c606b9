/*===- MlirEntryPoints.h - Runtime entry points for compiled MLIR -*- C -*-===//
 *
 * The functions that code compiled with `convert-potq-to-linalg
 * {kernels=runtime}` calls: the C interface (`_mlir_ciface_<name>`) of
 * `func.func private @<name>(memref..., i32...) attributes
 * {llvm.emit_c_interface}`, which takes pointers to memref descriptors.
 * They validate the descriptors, call potq_gemm / potq_conv2d_nhwc, and on a
 * non-OK status print `potq runtime: <function>: <status>` to stderr and
 * abort (the compiler checked everything it could, so a failure is a bug or
 * a missing ISA).
 *
 * The names below are the ones the compiler declares (POTQ_RT_*_NAME) and a
 * JIT resolves (potq::runtime::registerRuntimeSymbols). The descriptor
 * structs and their include guards are those of the C headers potq-translate
 * generates (--emit=header), so both headers go into one C99 translation
 * unit.
 *
 *===----------------------------------------------------------------------===*/

#ifndef POTQ_RUNTIME_MLIRENTRYPOINTS_H
#define POTQ_RUNTIME_MLIRENTRYPOINTS_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The prefix of a C interface symbol: _mlir_ciface_<name>. */
#define POTQ_RT_CIFACE_PREFIX "_mlir_ciface_"
/* The entry points' names, as convert-potq-to-linalg declares them. */
#define POTQ_RT_MATMUL_I8_NAME "potq_rt_matmul_i8"
#define POTQ_RT_CONV2D_NHWC_I8_NAME "potq_rt_conv2d_nhwc_i8"

/* Ranked memref descriptors as MLIR's LLVM lowering lays them out
 * (StridedMemRefType<T, N> of mlir/ExecutionEngine/CRunnerUtils.h). */
#ifndef POTQ_MEMREF_1D_I8_DEFINED
#define POTQ_MEMREF_1D_I8_DEFINED
typedef struct {
  int8_t *allocated;
  int8_t *aligned;
  int64_t offset;
  int64_t sizes[1];
  int64_t strides[1];
} potq_memref_1d_i8;
#endif

#ifndef POTQ_MEMREF_2D_I8_DEFINED
#define POTQ_MEMREF_2D_I8_DEFINED
typedef struct {
  int8_t *allocated;
  int8_t *aligned;
  int64_t offset;
  int64_t sizes[2];
  int64_t strides[2];
} potq_memref_2d_i8;
#endif

#ifndef POTQ_MEMREF_2D_I32_DEFINED
#define POTQ_MEMREF_2D_I32_DEFINED
typedef struct {
  int32_t *allocated;
  int32_t *aligned;
  int64_t offset;
  int64_t sizes[2];
  int64_t strides[2];
} potq_memref_2d_i32;
#endif

#ifndef POTQ_MEMREF_4D_I8_DEFINED
#define POTQ_MEMREF_4D_I8_DEFINED
typedef struct {
  int8_t *allocated;
  int8_t *aligned;
  int64_t offset;
  int64_t sizes[4];
  int64_t strides[4];
} potq_memref_4d_i8;
#endif

#ifndef POTQ_MEMREF_4D_I32_DEFINED
#define POTQ_MEMREF_4D_I32_DEFINED
typedef struct {
  int32_t *allocated;
  int32_t *aligned;
  int64_t offset;
  int64_t sizes[4];
  int64_t strides[4];
} potq_memref_4d_i32;
#endif

/* func.func private @potq_rt_matmul_i8(
 *     %x: memref<?x?xi8, strided<[?, ?], offset: ?>>,  (M x K, int8 levels)
 *     %packed: memref<?xi8>,                          (potq_pack_weights)
 *     %acc: memref<?x?xi32, strided<[?, ?], offset: ?>>, (M x N, written)
 *     %zx: i32, %strategy: i32, %isa: i32, %threads: i32)
 * acc = sum_k (x - zx) * W (potq_gemm). */
void _mlir_ciface_potq_rt_matmul_i8(potq_memref_2d_i8 *x,
                                    potq_memref_1d_i8 *packed,
                                    potq_memref_2d_i32 *acc, int32_t zx,
                                    int32_t strategy, int32_t isa,
                                    int32_t threads);

/* func.func private @potq_rt_conv2d_nhwc_i8(
 *     %x: memref<?x?x?x?xi8, strided<...>>,    (N x H x W x C, int8 levels)
 *     %packed: memref<?xi8>,                   (HWCF as (KH*KW*C) x F)
 *     %acc: memref<?x?x?x?xi32, strided<...>>, (N x OH x OW x F, written)
 *     %zx: i32, %kh: i32, %kw: i32, %stride_h: i32, %stride_w: i32,
 *     %pad_top: i32, %pad_left: i32, %pad_bottom: i32, %pad_right: i32,
 *     %strategy: i32, %isa: i32, %threads: i32)
 * acc = the convolution of (x - zx) with W, the input padded with zx
 * (padded positions add 0), OH = (H + pad_top + pad_bottom - kh) /
 * stride_h + 1 (potq_conv2d_nhwc). */
void _mlir_ciface_potq_rt_conv2d_nhwc_i8(
    potq_memref_4d_i8 *x, potq_memref_1d_i8 *packed, potq_memref_4d_i32 *acc,
    int32_t zx, int32_t kh, int32_t kw, int32_t stride_h, int32_t stride_w,
    int32_t pad_top, int32_t pad_left, int32_t pad_bottom, int32_t pad_right,
    int32_t strategy, int32_t isa, int32_t threads);

#ifdef __cplusplus
}

namespace potq::runtime {

/// Calls `define(symbol, address)` for the C interface of every entry point
/// (symbol: "_mlir_ciface_<name>"), e.g. to add them to a JIT's symbol table
/// (potq::jit::runCompiled). `define` takes (const char *, void *).
template <typename Define> void registerRuntimeSymbols(Define &&define) {
  define(POTQ_RT_CIFACE_PREFIX POTQ_RT_MATMUL_I8_NAME,
         reinterpret_cast<void *>(&_mlir_ciface_potq_rt_matmul_i8));
  define(POTQ_RT_CIFACE_PREFIX POTQ_RT_CONV2D_NHWC_I8_NAME,
         reinterpret_cast<void *>(&_mlir_ciface_potq_rt_conv2d_nhwc_i8));
}

} // namespace potq::runtime
#endif

#endif /* POTQ_RUNTIME_MLIRENTRYPOINTS_H */
