//===- EpilogueAnalysis.h - What a float layer epilogue does ----*- C++ -*-===//
//
// Reads the elementwise float ops between a contraction (or quantized
// tensors) and a quantize as one formula,
//
//   y = clamp(acc + bias[c] + r1 + r2, lo, hi),
//
// by evaluating the bodies of the linalg.generics on the way symbolically:
// it recognises layers by what they compute, not by how the ops are grouped
// or ordered (docs/QatInputForm.md, "Epilogues"). A new exporter spelling
// of the same arithmetic is one more case in evaluateScalar.
//
//===----------------------------------------------------------------------===//

#ifndef POTQ_LIB_DIALECT_POTQ_TRANSFORMS_EPILOGUEANALYSIS_H
#define POTQ_LIB_DIALECT_POTQ_TRANSFORMS_EPILOGUEANALYSIS_H

#include "potq/Support/LLVM.h"

#include "mlir/IR/Operation.h"
#include "mlir/IR/Value.h"

#include <limits>
#include <optional>
#include <string>

namespace potq {

/// The formula of a float epilogue. Every intermediate tensor it reads
/// through has this epilogue as its only use.
struct Epilogue {
  /// The float contraction whose accumulator the formula starts from, or
  /// null (a sum of quantized tensors).
  mlir::Operation *contraction = nullptr;
  /// Per-channel bias along loop `biasDim` of the result (empty: none).
  /// Scalar offsets are folded into it (one value per channel).
  llvm::SmallVector<float> bias;
  int64_t biasDim = -1;
  /// A scalar offset not yet spread over channels.
  float offset = 0.0f;
  /// Levels of per-tensor quantized tensors added to the sum (the inputs
  /// of their potq.dequantize).
  llvm::SmallVector<mlir::Value, 2> residuals;
  /// The clamp on the sum; infinite where absent.
  float lo = -std::numeric_limits<float>::infinity();
  float hi = std::numeric_limits<float>::infinity();
  bool clamped = false;
};

/// The result of analysing an epilogue: the formula, or why the ops do not
/// compute one. `contraction` is set in both cases once found, so that a
/// failure can be reported at the contraction it concerns.
struct EpilogueMatch {
  Epilogue epilogue;
  std::string failure; // empty on success
  mlir::Operation *failedAt = nullptr;
  bool succeeded() const { return failure.empty(); }
};

/// Where the integer form of a linalg contraction has its channels.
struct ContractionLayout {
  /// The result dimension (and loop) of the output channels.
  int64_t resultChannelDim;
  /// The weight dimension of the output channels (per-channel weight
  /// scales must use it).
  int64_t weightChannelAxis;
  /// The input dimensions a convolution window slides over (empty for
  /// matmuls): the only ones a folded tensor.pad may pad.
  llvm::SmallVector<int64_t, 2> windowInputDims;
};

/// The layout of `op` if it is a linalg contraction potq has an integer
/// form for (matmul, batch_matmul, the NHWC/NCHW/depthwise 2-D
/// convolutions): the one list of those ops.
std::optional<ContractionLayout> contractionLayout(mlir::Operation *op);

/// True if `op` has a contractionLayout.
inline bool isFusibleContraction(mlir::Operation *op) {
  return contractionLayout(op).has_value();
}

/// True if `op` is a float contraction: a linalg op with a reduction loop
/// whose body multiplies floats (pools and sums are not).
bool isFloatContraction(mlir::Operation *op);

/// Where `value` comes from, for diagnostics: `'op.name'` or "a block
/// argument".
std::string describeProducer(mlir::Value value);

/// Analyses the float value `value` (the input of a quantize) as an
/// epilogue formula.
EpilogueMatch analyzeEpilogue(mlir::Value value);

} // namespace potq

#endif // POTQ_LIB_DIALECT_POTQ_TRANSFORMS_EPILOGUEANALYSIS_H
