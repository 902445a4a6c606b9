//===- Passes.td - potq dialect transformations ------------*- tablegen -*-===//

#ifndef POTQ_DIALECT_POTQ_TRANSFORMS_PASSES_TD
#define POTQ_DIALECT_POTQ_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def PotqFuseContractions : Pass<"potq-fuse-contractions"> {
  let summary = "Turn dequantize -> float contraction -> quantize into potq "
                "integer contractions";
  let description = [{
    Matches the frozen form of a quantized layer,

        quantize([clamp]([bias-add](contraction(dequantize(%x), dequantize(%w)))))

    and replaces it by one potq contraction on the levels (SPEC section 6)
    with the bias as i32 levels at scale `sx * sw[c]` and the clamp fused
    into `clamp_min`/`clamp_max`. Recognised forms (`docs/QatInputForm.md`):

    - contraction: `linalg.matmul`, `linalg.batch_matmul`,
      `linalg.conv_2d_nhwc_hwcf`, `linalg.conv_2d_nchw_fchw` whose init is a
      zero `linalg.fill` (or zero constant);
    - bias: a `linalg.generic` adding a constant 1-D tensor indexed by the
      output-channel dimension;
    - clamp: a `linalg.generic` applying `arith.maximumf`/`arith.maxnumf`
      with a constant lower bound and/or `arith.minimumf`/`arith.minnumf`
      with a constant upper bound (ReLU, ReLU6).

    The input must be per-tensor uniform, the result quantization per-tensor
    uniform. Every intermediate value must have this chain as its only use.
    Anything else is left in float.
  }];
  let dependentDialects = ["::mlir::potq::PotqDialect"];
}

def PotqVerifyAccumulators : Pass<"potq-verify-accumulators"> {
  let summary = "Prove that every contraction accumulator fits in i32";
  let description = [{
    SPEC section 6: for each potq contraction with a `potq.constant` weight,
    bounds the accumulator of every output channel by
    `max|X - Zx| * Σ_k |W[k, c]| + |bias[c]|` (exact weight sums; the bias
    counted at its largest magnitude when not constant) and by the level
    extremes for other weights. An op whose bound reaches 2^31 and whose
    result is not an i64 accumulator is reported with the bound and the
    offending channel — or, with `widen-i64`, given a `wide_accumulator`
    (i64 accumulation, 128-bit requantization) when its result is quantized
    and the bound stays below 2^62.
  }];
  let options = [
    Option<"widenI64", "widen-i64", "bool", "false",
           "Accumulate in i64 where i32 cannot be proven, instead of "
           "reporting an error">,
  ];
}

def PotqContractionStats : Pass<"potq-contraction-stats", "ModuleOp"> {
  let summary = "Print the multiplies left in contraction bodies";
  let description = [{
    For every linalg structured op with a reduction loop (a contraction:
    named ops such as `linalg.matmul` included, through their implicit
    bodies) and every potq contraction, counts the `arith.muli` and
    `arith.mulf` ops in the body, and prints one line per function and a
    total to stdout (or `output-file`):

        potq-contraction-stats: @main: 2 contractions, 0 multiplies in contraction bodies

    After `potq-qat-to-shift-add` the count is zero: weight products are
    shifts and adds. potq contractions count as one multiply per body (they
    denote multiply-accumulates until lowered). The IR is not changed.
  }];
  let options = [
    Option<"outputFile", "output-file", "std::string", "\"-\"",
           "Where to print the statistics ('-' is stdout)">,
  ];
}

#endif // POTQ_DIALECT_POTQ_TRANSFORMS_PASSES_TD
