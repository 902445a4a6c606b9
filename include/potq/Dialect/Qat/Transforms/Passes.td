//===- Passes.td - qat dialect transformations -------------*- tablegen -*-===//

#ifndef POTQ_DIALECT_QAT_TRANSFORMS_PASSES_TD
#define POTQ_DIALECT_QAT_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def QatNormalizeGraph : Pass<"qat-normalize-graph"> {
  let summary = "Rewrite the layer forms exporters write into the one form "
                "potq fuses";
  let description = [{
    Runs on a float QAT graph (a module or a function) before
    `convert-qat-to-potq`, and brings each layer to the canonical form
    `contraction(x, fake_quant(W)) -> one elementwise linalg.generic ->
    fake_quant`, with the contraction on a zero-filled init and the weights
    as constants (`docs/QatInputForm.md`, "Normalisation"):

    - named elementwise ops (every all-parallel linalg op but `linalg.fill`:
      `add`, `max`, `broadcast`, `transpose`, `elementwise`, `map`, ...)
      become `linalg.generic`;
    - `linalg.matmul` / `linalg.batch_matmul` with user-defined indexing
      maps that permute an operand become the default op on an explicitly
      transposed operand;
    - an additive contraction or convolution whose init is not a zero fill
      runs on a zero fill, followed by a generic adding the old init (the
      float summation order changes: the init is added last);
    - chains of elementwise generics fuse into one (upstream elementwise
      fusion, never into or through a contraction or a `qat` op; splat
      constants become scalars in the body);
    - a transpose or broadcast of `qat.fake_quant` of a constant moves
      below the fake quantization (its `axis` follows the permutation), and
      transposes and broadcasts of constants fold within potq's
      materialisation limit.

    Everything else is left as it is; every rewrite preserves the float
    semantics, up to the summation order stated above.
  }];
  let dependentDialects = ["::mlir::affine::AffineDialect",
                           "::mlir::arith::ArithDialect",
                           "::mlir::linalg::LinalgDialect",
                           "::mlir::tensor::TensorDialect"];
}

#endif // POTQ_DIALECT_QAT_TRANSFORMS_PASSES_TD
