//===- LinalgOps.cpp - Generic interpretation of linalg structured ops ----===//
//
// Every linalg structured op, named or generic, is evaluated the same way
// through the LinalgOp interface:
//   1. the loop ranges come from the runtime operand shapes through
//      getShapesToLoopsMap();
//   2. the results start as copies of the `outs` operands;
//   3. the iteration space is walked in row-major order; at each point the
//      block arguments are bound to the inputs at their indexing map's
//      position and to the outputs' current values, the body's scalar ops
//      run, and the linalg.yield values are stored at the outputs' positions.
// Named ops carry their body as a region, so they need no special code.
//
//===----------------------------------------------------------------------===//

#include "ScalarProgram.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/AffineExpr.h"
#include "mlir/IR/AffineMap.h"

namespace pi = ::potq::interp;
using namespace mlir;
using namespace pi;
using namespace pi::detail;

//===----------------------------------------------------------------------===//
// Affine expressions
//===----------------------------------------------------------------------===//

namespace {
/// Σ coeffs[d] * d_d + constant.
struct LinearForm {
  SmallVector<int64_t, 8> coeffs;
  int64_t constant = 0;
  bool isConstant() const {
    return llvm::all_of(coeffs, [](int64_t c) { return c == 0; });
  }
};
} // namespace

/// Writes `expr` as a linear form of the dims if it is one.
static bool linearize(AffineExpr expr, unsigned numDims, LinearForm &out) {
  out.coeffs.assign(numDims, 0);
  out.constant = 0;
  if (auto dim = dyn_cast<AffineDimExpr>(expr)) {
    if (dim.getPosition() >= numDims)
      return false;
    out.coeffs[dim.getPosition()] = 1;
    return true;
  }
  if (auto constant = dyn_cast<AffineConstantExpr>(expr)) {
    out.constant = constant.getValue();
    return true;
  }
  auto binary = dyn_cast<AffineBinaryOpExpr>(expr);
  if (!binary)
    return false;
  LinearForm lhs, rhs;
  if (!linearize(binary.getLHS(), numDims, lhs) ||
      !linearize(binary.getRHS(), numDims, rhs))
    return false;
  switch (expr.getKind()) {
  case AffineExprKind::Add:
    for (unsigned d = 0; d < numDims; ++d)
      out.coeffs[d] = lhs.coeffs[d] + rhs.coeffs[d];
    out.constant = lhs.constant + rhs.constant;
    return true;
  case AffineExprKind::Mul: {
    if (!lhs.isConstant() && !rhs.isConstant())
      return false;
    const LinearForm &form = lhs.isConstant() ? rhs : lhs;
    int64_t factor = lhs.isConstant() ? lhs.constant : rhs.constant;
    for (unsigned d = 0; d < numDims; ++d)
      out.coeffs[d] = form.coeffs[d] * factor;
    out.constant = form.constant * factor;
    return true;
  }
  default:
    return false;
  }
}

static int64_t floorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

/// Evaluates `expr` at `dims`; std::nullopt for symbols or a division by a
/// non-positive value.
static std::optional<int64_t> evaluate(AffineExpr expr,
                                       ArrayRef<int64_t> dims) {
  if (auto dim = dyn_cast<AffineDimExpr>(expr)) {
    if (dim.getPosition() >= dims.size())
      return std::nullopt;
    return dims[dim.getPosition()];
  }
  if (auto constant = dyn_cast<AffineConstantExpr>(expr))
    return constant.getValue();
  auto binary = dyn_cast<AffineBinaryOpExpr>(expr);
  if (!binary)
    return std::nullopt;
  std::optional<int64_t> lhs = evaluate(binary.getLHS(), dims);
  std::optional<int64_t> rhs = evaluate(binary.getRHS(), dims);
  if (!lhs || !rhs)
    return std::nullopt;
  switch (expr.getKind()) {
  case AffineExprKind::Add:
    return *lhs + *rhs;
  case AffineExprKind::Mul:
    return *lhs * *rhs;
  case AffineExprKind::Mod:
    if (*rhs <= 0)
      return std::nullopt;
    return *lhs - floorDiv(*lhs, *rhs) * *rhs;
  case AffineExprKind::FloorDiv:
    if (*rhs <= 0)
      return std::nullopt;
    return floorDiv(*lhs, *rhs);
  case AffineExprKind::CeilDiv:
    if (*rhs <= 0)
      return std::nullopt;
    return -floorDiv(-*lhs, *rhs);
  default:
    return std::nullopt;
  }
}

//===----------------------------------------------------------------------===//
// Structured ops
//===----------------------------------------------------------------------===//

namespace {
/// How one operand is addressed at an iteration point.
struct Access {
  const Tensor *tensor = nullptr; // inputs; outputs use the result buffers
  AffineMap map;
  SmallVector<int64_t, 4> shape, strides;
  /// Linear maps: offset = Σ perLoop[d] * i_d + base.
  bool linear = true;
  SmallVector<int64_t, 8> perLoop;
  int64_t base = 0;
};
} // namespace

FailureOr<SmallVector<Tensor>> pi::detail::evalOp(linalg::LinalgOp linalgOp,
                                                  const Frame &frame,
                                                  const Context &ctx) {
  Operation *op = linalgOp.getOperation();
  if (!linalgOp.hasPureTensorSemantics())
    return op->emitOpError("operates on memrefs; the interpreter supports "
                           "linalg ops on tensors only");
  unsigned numOperands = op->getNumOperands();
  unsigned numInputs = linalgOp.getNumDpsInputs();
  Block *body = linalgOp.getBlock();
  if (!body || body->getNumArguments() != numOperands)
    return op->emitOpError("has no body with one argument per operand");

  // Loop ranges from the runtime shapes.
  SmallVector<int64_t> flatSizes;
  for (Value operand : op->getOperands())
    llvm::append_range(flatSizes, valueOf(frame, operand).getShape());
  AffineMap shapesToLoops = linalgOp.getShapesToLoopsMap();
  if (!shapesToLoops || shapesToLoops.getNumDims() != flatSizes.size())
    return op->emitOpError("cannot infer the loop ranges from the operand "
                           "shapes (the indexing maps are not invertible)");
  unsigned numLoops = linalgOp.getNumLoops();
  if (shapesToLoops.getNumResults() != numLoops)
    return op->emitOpError("cannot infer the loop ranges from the operand "
                           "shapes");
  SmallVector<int64_t, 8> ranges;
  for (AffineExpr expr : shapesToLoops.getResults()) {
    std::optional<int64_t> range = evaluate(expr, flatSizes);
    if (!range || *range < 0)
      return op->emitOpError("cannot infer the loop ranges from the operand "
                             "shapes");
    ranges.push_back(*range);
  }
  std::optional<int64_t> points = getElementCount(ranges);
  int64_t maxIterations = ctx.getOptions().maxIterations;
  if (!points || *points > maxIterations)
    return op->emitOpError() << "iteration space " << formatIndex(ranges)
                             << " exceeds the interpreter's limit of "
                             << maxIterations << " points";

  // Operand addressing, with the bounds checked once for linear maps.
  SmallVector<AffineMap> maps = linalgOp.getIndexingMapsArray();
  SmallVector<Access> accesses(numOperands);
  for (unsigned k = 0; k < numOperands; ++k) {
    Access &access = accesses[k];
    const Tensor &tensor = valueOf(frame, op->getOperand(k));
    access.tensor = &tensor;
    access.map = maps[k];
    access.shape.assign(tensor.getShape().begin(), tensor.getShape().end());
    access.strides = tensor.getStrides();
    if (access.map.getNumResults() != access.shape.size() ||
        access.map.getNumDims() != numLoops)
      return op->emitOpError()
             << "indexing map #" << k << " " << AffineMapAttr::get(access.map)
             << " does not match operand #" << k << " of shape "
             << formatIndex(access.shape);
    access.perLoop.assign(numLoops, 0);
    for (auto [j, expr] : llvm::enumerate(access.map.getResults())) {
      if (auto dim = dyn_cast<AffineDimExpr>(expr)) {
        if (access.shape[j] != ranges[dim.getPosition()])
          return op->emitOpError()
                 << "operand #" << k << " has size " << access.shape[j]
                 << " in dimension " << j << " but loop d" << dim.getPosition()
                 << " has extent " << ranges[dim.getPosition()];
      }
      LinearForm form;
      if (!linearize(expr, numLoops, form)) {
        access.linear = false;
        continue;
      }
      if (*points > 0) {
        int64_t lo = form.constant, hi = form.constant;
        for (unsigned d = 0; d < numLoops; ++d) {
          int64_t extreme = form.coeffs[d] * (ranges[d] - 1);
          (extreme < 0 ? lo : hi) += extreme;
        }
        if (lo < 0 || hi >= access.shape[j])
          return op->emitOpError()
                 << "indexing map #" << k << " "
                 << AffineMapAttr::get(access.map) << " accesses [" << lo
                 << ", " << hi << "] in dimension " << j << " of operand #" << k
                 << " of shape " << formatIndex(access.shape)
                 << " (out of bounds)";
      }
      for (unsigned d = 0; d < numLoops; ++d)
        access.perLoop[d] += form.coeffs[d] * access.strides[j];
      access.base += form.constant * access.strides[j];
    }
  }

  // Results start as copies of the inits.
  SmallVector<Tensor> results;
  for (unsigned k = numInputs; k < numOperands; ++k)
    results.push_back(*accesses[k].tensor);

  FailureOr<ScalarProgram> program =
      ScalarProgram::compile(*body, numLoops, ctx, frame);
  if (failed(program))
    return failure();
  if (program->getNumResults() != results.size())
    return op->emitOpError("yields the wrong number of values");

  auto offsetOf = [&](const Access &access, ArrayRef<int64_t> index,
                      int64_t &offset) -> LogicalResult {
    if (access.linear) {
      offset = access.base;
      for (size_t d = 0; d < index.size(); ++d)
        offset += access.perLoop[d] * index[d];
      return success();
    }
    offset = 0;
    for (auto [j, expr] : llvm::enumerate(access.map.getResults())) {
      std::optional<int64_t> value = evaluate(expr, index);
      if (!value || *value < 0 || *value >= access.shape[j])
        return op->emitOpError()
               << "indexing map " << AffineMapAttr::get(access.map)
               << " is out of bounds of " << formatIndex(access.shape)
               << " at iteration " << formatIndex(index);
      offset += *value * access.strides[j];
    }
    return success();
  };

  SmallVector<int64_t, 8> index(numLoops, 0);
  SmallVector<int64_t, 8> offsets(numOperands, 0);
  SmallVector<Scalar, 8> args(numOperands);
  SmallVector<Scalar, 2> yielded;
  for (int64_t p = 0; p < *points; ++p) {
    for (unsigned k = 0; k < numOperands; ++k) {
      if (failed(offsetOf(accesses[k], index, offsets[k])))
        return failure();
      args[k] = k < numInputs ? loadScalar(*accesses[k].tensor, offsets[k])
                              : loadScalar(results[k - numInputs], offsets[k]);
    }
    if (failed(program->run(args.data(), index, yielded)))
      return failure();
    for (auto [j, value] : llvm::enumerate(yielded))
      storeScalar(results[j], offsets[numInputs + j], value);
    incrementIndex(index, ranges);
  }

  if (op->getNumResults() != results.size())
    return op->emitOpError("has a result count that differs from its inits");
  return results;
}
