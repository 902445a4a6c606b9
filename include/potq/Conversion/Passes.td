//===- Passes.td - potq conversion passes ------------------*- tablegen -*-===//

#ifndef POTQ_CONVERSION_PASSES_TD
#define POTQ_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertPotqToLinalg : Pass<"convert-potq-to-linalg", "ModuleOp"> {
  let summary = "Lower potq ops to integer shift-add linalg/arith on tensors";
  let description = [{
    Replaces every potq op and `!potq.q` type by integer IR on builtin
    tensors (levels in their storage integer type):

    - `potq.constant` becomes an `arith.constant` of storage integers;
    - `potq.quantize` (uniform encodings), `potq.dequantize` and
      `potq.requantize` become elementwise `linalg.generic` ops computing the
      bit-exact SPEC semantics;
    - each contraction becomes a `linalg.generic` whose body computes every
      weight product as `Σ_t s_t · (x << e_t)` from the canonical
      decomposition of the weight level (constant sign/exponent planes, one
      per term), so no `arith.muli` or `arith.mulf` remains in it, followed
      by an elementwise epilogue adding the bias and requantizing (a pure
      rounding shift when the multiplier is a power of two) and clamping.

    Function signatures are converted too: quantized arguments and results
    become their storage integer tensors. Contraction weights must be
    `potq.constant`s: a weight computed at run time (a function argument,
    a transposed or otherwise computed tensor) is an error naming its
    producer; a `potq.quantize` of a float constant folds into a
    `potq.constant` under `--canonicalize`, which the error then suggests.
    Quantize to a non-uniform encoding is supported on constants only
    (folded away by canonicalization).

    With `kernels=runtime`, the accumulation of each eligible contraction
    (`potq.matmul` with static K and N, or undilated
    `potq.conv_2d_nhwc_hwcf` with static H, W, C; 8-bit input storage,
    constant weight with levels in int16 and codes of at most 8 bits, i32
    accumulator) is a call to the native kernel runtime (`PotqRuntime`,
    docs/Runtime.md) instead of the shift-add generic: the weight is packed
    at compile time by `potq_pack_weights` into a 64-byte aligned
    `memref.global` constant, and `@potq_rt_matmul_i8` or
    `@potq_rt_conv2d_nhwc_i8` (C interfaces `_mlir_ciface_...`, in
    `PotqRuntime`) write the i32 accumulators into a `memref.alloc`; the
    epilogue is unchanged. Other
    contractions keep the shift-add loops (`report-kernels` says which and
    why). `strategy`, `isa` and `threads` are passed to `potq_gemm`.
  }];
  let options = [
    Option<"kernels", "kernels", "::potq::ContractionKernels",
           "::potq::ContractionKernels::Loops",
           "Contraction accumulation: loops (shift-add linalg.generic) or "
           "runtime (calls into the PotqRuntime kernels)",
           "::potq::contractionKernelsValues()">,
    Option<"strategy", "strategy", "::potq::KernelStrategy",
           "::potq::KernelStrategy::Auto",
           "kernels=runtime: potq_gemm strategy auto, dot or shift-add",
           "::potq::kernelStrategyValues()">,
    Option<"isa", "isa", "::potq::KernelIsa", "::potq::KernelIsa::Auto",
           "kernels=runtime: instruction set auto, scalar, avx2, avxvnni, "
           "avx512 or neon (auto: POTQ_ISA, else the best of the running host)",
           "::potq::kernelIsaValues()">,
    Option<"threads", "threads", "int", "0",
           "kernels=runtime: threads per call (0: POTQ_NUM_THREADS, else the "
           "hardware concurrency)">,
    Option<"reportKernels", "report-kernels", "bool", "false",
           "Emit a remark per contraction saying whether it calls the "
           "runtime or keeps the loops (and why)">,
  ];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::bufferization::BufferizationDialect",
                           "::mlir::func::FuncDialect",
                           "::mlir::linalg::LinalgDialect",
                           "::mlir::memref::MemRefDialect",
                           "::mlir::scf::SCFDialect",
                           "::mlir::tensor::TensorDialect",
                           "::mlir::math::MathDialect"];
}

def ConvertQatToPotq : Pass<"convert-qat-to-potq", "ModuleOp"> {
  let summary = "Freeze qat.fake_quant ops into potq quantize/constant ops";
  let description = [{
    Replaces each `qat.fake_quant` by its exact potq equivalent:

    - on a constant input (a trained weight), a `potq.constant` holding the
      projected levels followed by `potq.dequantize`;
    - on any other input (an activation), `potq.quantize` followed by
      `potq.dequantize`.

    Scales come from the op's constant scale tensor (the trained scales), or
    are chosen per SPEC section 5 for weights when `weight-scales` is `max`
    or `msqe` (per channel when the op has an `axis`, else per tensor), and
    may be restricted to powers of two with `pot-scales`. The estimator
    attribute is training-only and is dropped. Values and scales are
    unchanged by freezing with trained scales: the result computes exactly
    what the fake quantization computed.

    Non-constant or non-positive scales are reported with the op's location.
  }];
  let options = [
    Option<"weightScales", "weight-scales", "::potq::WeightScales",
           "::potq::WeightScales::Trained",
           "Scales of constant weights: trained (from the graph), max or msqe",
           "::potq::weightScalesValues()">,
    Option<"potScales", "pot-scales", "bool", "false",
           "Restrict chosen weight scales to powers of two">,
  ];
  let dependentDialects = ["::potq::PotqDialect"];
}

#endif // POTQ_CONVERSION_PASSES_TD
