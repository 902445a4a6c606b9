//===- Passes.td - potq dialect transformations ------------*- tablegen -*-===//

#ifndef POTQ_DIALECT_POTQ_TRANSFORMS_PASSES_TD
#define POTQ_DIALECT_POTQ_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def PotqFuseContractions : Pass<"potq-fuse-contractions"> {
  let summary = "Turn dequantize -> float contraction -> quantize into potq "
                "integer contractions";
  let description = [{
    Matches the frozen form of a quantized layer,

        quantize(epilogue(contraction(dequantize(%x), dequantize(%w))))

    and replaces it by one potq contraction on the levels (SPEC section 6)
    with the bias as i32 levels at scale `sx * sw[c]`, a skip connection as
    `residual`, the clamp as `clamp_min`/`clamp_max` and a zero
    `tensor.pad` of a convolution input as `padding`. The epilogue is read
    by what it computes, `clamp(acc + bias[c] + residual, lo, hi)`, from
    the bodies of the elementwise `linalg.generic`s between the contraction
    and the quantize, in any grouping and operand order
    (`docs/QatInputForm.md`):

    - contraction: `linalg.matmul`, `linalg.batch_matmul` (default maps),
      `linalg.conv_2d_nhwc_hwcf`, `linalg.conv_2d_nchw_fchw`,
      `linalg.depthwise_conv_2d_nhwc_hwc` whose init is a zero fill;
    - bias: constants varying along the output channel only, scalar
      offsets, `x * 1.0`;
    - clamp: `maximumf`/`maxnumf`/`minimumf`/`minnumf` with constants, and
      `select` on a `cmpf` of the layer against the same constant.

    Sums of two per-tensor quantized tensors become `potq.add`, pools
    `potq.max_pool_2d_nhwc`/`avg_pool_2d_nhwc`.

    Every other float contraction on quantized operands (a float output
    such as logits, or an epilogue that was not understood) still
    accumulates in integers: an i32 potq contraction followed by
    `float(acc) * (sx * sw[c])`. Every contraction left in float is
    reported with its location and reason, as a remark, and so is an
    epilogue left in float before a quantize; `require-integer` makes both
    errors.
  }];
  let options = [
    Option<"requireInteger", "require-integer", "bool", "false",
           "Fail on every contraction (or requantization) left in float "
           "instead of reporting it as a remark">,
  ];
  let dependentDialects = ["::potq::PotqDialect",
                           "::mlir::tensor::TensorDialect",
                           "::mlir::linalg::LinalgDialect"];
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
    `arith.mulf` ops in the body, and the float contractions (a reduction
    whose body multiplies floats: those that did not become integer), and
    prints one line per function and a total to stdout (or `output-file`):

        potq-contraction-stats: @main: 2 contractions, 0 in float, 0 multiplies in contraction bodies

    After `potq-qat-to-shift-add` the count is zero: weight products are
    shifts and adds. potq contractions count as one multiply per body (they
    denote multiply-accumulates until lowered). The IR is not changed.
  }];
  let options = [
    Option<"outputFile", "output-file", "std::string", "\"-\"",
           "Where to print the statistics ('-' is stdout)">,
  ];
}

def PotqRecodeWeights : Pass<"potq-recode-weights", "ModuleOp"> {
  let summary = "Rewrite contraction weights for bit-level sparsity "
                "(CSD / n-hot)";
  let description = [{
    Re-encodes the `potq.constant` weights of potq contractions so that
    fewer power-of-two terms are needed per product (docs/BitSparsity.md).

    - `mode=exact`: every weight keeps its value; its type becomes the
      tightest `#potq.nhot<terms = N, max_exp = E>` holding its levels in
      their minimal signed-digit (NAF/CSD) form. Weights whose levels need
      more than 4 digits or exponents above 15 are left unchanged with a
      warning.
    - `mode=nhot`: the real weights `s * L` are projected (SPEC section 4)
      onto `#potq.nhot<terms = N, max_exp = E>` with msqe scales, per layer or
      per output channel (`granularity`). `E` is `max-exp`, or chosen from
      the data when `max-exp=-1`. `N` is `terms`, or chosen per layer: the
      fewest terms whose relative RMS error is at most `max-error`, or the
      allocation of N = 1..4 minimising the error within `term-budget` total
      nonzero terms. Constant biases are re-expressed at the new scales.

    Every rewritten layer is reported (terms before and after, MSE, max
    abs error, relative RMS error) to `report-file` when given.
  }];
  let options = [
    Option<"mode", "mode", "::potq::RecodeMode", "::potq::RecodeMode::Exact",
           "exact (values unchanged, CSD form) or nhot (budgeted)",
           "::potq::recodeModeValues()">,
    Option<"terms", "terms", "unsigned", "0",
           "nhot mode: terms per weight N in [1, 4]">,
    Option<"maxExp", "max-exp", "int", "-1",
           "nhot mode: exponent window E in [0, 15]; -1 chooses it from the "
           "data">,
    Option<"granularity", "granularity", "::potq::NHotGranularity",
           "::potq::NHotGranularity::Layer",
           "nhot mode: one scale per layer or per output channel "
           "(layer|channel)",
           "::potq::nhotGranularityValues()">,
    Option<"maxError", "max-error", "double", "0.0",
           "nhot mode: per layer, the fewest terms with relative RMS error "
           "at most this">,
    Option<"termBudget", "term-budget", "int64_t", "0",
           "nhot mode: total nonzero terms allowed over all layers">,
    Option<"reportFile", "report-file", "std::string", "\"\"",
           "Where to print the per-layer report ('-' is stdout, empty for "
           "none)">,
  ];
  let dependentDialects = ["::mlir::arith::ArithDialect"];
}

def PotqCostReport : Pass<"potq-cost-report", "ModuleOp"> {
  let summary = "Print per-layer operation counts, storage and energy of "
                "potq contractions";
  let description = [{
    For every potq contraction with a `potq.constant` weight: weight count,
    storage bits, nonzero weights and terms, shifts, adds/subtracts,
    multiplies (none in the contraction; requantization epilogue multiplies
    counted apart), accumulator width, the same counts with terms shared
    across output channels, and an energy estimate, side by side with the
    same layer computed as int8 and as fp32 multiply-accumulates. Counts are
    per inference, with dynamic dimensions counted as 1. Energies use a
    per-operation table (default: Horowitz, ISSCC 2014, 45 nm) that
    `energy-table` overrides from a JSON object. Definitions are in
    docs/BitSparsity.md. The IR is not changed.
  }];
  let options = [
    Option<"format", "format", "::potq::CostReportFormat",
           "::potq::CostReportFormat::Text", "text or json",
           "::potq::costReportFormatValues()">,
    Option<"outputFile", "output-file", "std::string", "\"-\"",
           "Where to print the report ('-' is stdout)">,
    Option<"energyTable", "energy-table", "std::string", "\"\"",
           "JSON file with per-operation energies in pJ (keys add8, mul8, "
           "add32, mul32, fadd32, fmul32, shift); missing keys keep their "
           "defaults">,
  ];
}

#endif // POTQ_DIALECT_POTQ_TRANSFORMS_PASSES_TD
