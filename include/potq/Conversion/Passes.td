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
    `potq.constant`s (run `--canonicalize` first to fold quantized constant
    weights); quantize to a non-uniform encoding is supported on constants
    only (folded away by canonicalization).
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::linalg::LinalgDialect",
                           "::mlir::tensor::TensorDialect",
                           "::mlir::math::MathDialect"];
}

#endif // POTQ_CONVERSION_PASSES_TD
