//===- ContractionWeights.cpp - Weight matrices of potq contractions ------===//

#include "ContractionWeights.h"

#include "potq/Limits.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

using namespace mlir;
using namespace potq;

void potq::walkContractions(
    Operation *root,
    function_ref<void(ContractionOpInterface, const std::string &)> fn) {
  llvm::DenseMap<Operation *, unsigned> countInFunction;
  root->walk([&](ContractionOpInterface op) {
    auto func = op->getParentOfType<func::FuncOp>();
    std::string name =
        func ? "@" + func.getSymName().str() + " " : std::string();
    name += "#" + std::to_string(countInFunction[func]++) + " " +
            op->getName().getStringRef().str();
    fn(op, name);
  });
}

WeightMatrix potq::toWeightMatrix(ContractionOpInterface op,
                                  const std::vector<int64_t> &levels) {
  ArrayRef<int64_t> shape =
      cast<RankedTensorType>(op.getWeight().getType()).getShape();
  int64_t axis = op.getWeightChannelAxis();
  WeightMatrix m;
  for (unsigned d = 0, e = op.getNumGroupDims(); d < e; ++d)
    m.groups *= shape[d];
  m.channels = shape[axis];
  int64_t inner = 1; // elements of one channel slice below the axis
  for (size_t d = axis + 1; d < shape.size(); ++d)
    inner *= shape[d];
  int64_t total = int64_t(levels.size());
  m.rows = m.channels * m.groups == 0 ? 0 : total / (m.channels * m.groups);
  m.levels.resize(levels.size());
  // Element i has channel (i / inner) % channels; the rest of its index,
  // in row-major order, is its row (groups lead, so they stay contiguous).
  for (int64_t i = 0; i < total; ++i) {
    int64_t channel = (i / inner) % m.channels;
    int64_t row = (i / (inner * m.channels)) * inner + i % inner;
    m.levels[size_t(row * m.channels + channel)] = levels[size_t(i)];
  }
  return m;
}

WeightMatrix potq::weightMatrixShape(ContractionOpInterface op) {
  ArrayRef<int64_t> shape =
      cast<RankedTensorType>(op.getWeight().getType()).getShape();
  int64_t axis = op.getWeightChannelAxis();
  unsigned groupDims = op.getNumGroupDims();
  WeightMatrix m;
  m.channels = shape[axis];
  m.rows = 1;
  for (auto [d, size] : llvm::enumerate(shape)) {
    if (d < groupDims)
      m.groups = ::potq::mulSat(m.groups, size);
    else if (int64_t(d) != axis)
      m.rows = ::potq::mulSat(m.rows, size);
  }
  if (m.channels == 0 || m.groups == 0)
    m.rows = 0; // as toWeightMatrix counts an empty weight
  return m;
}
