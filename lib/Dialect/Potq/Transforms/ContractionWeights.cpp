//===- ContractionWeights.cpp - Constant weights of potq contractions -----===//

#include "ContractionWeights.h"

#include "potq/Limits.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace potq;

template <typename OpTy> static ContractionView viewOf(OpTy op) {
  ContractionView view;
  view.op = op;
  view.input = op.getInput();
  view.weight = op.getWeight();
  view.bias = op.getBias();
  view.result = op.getResult();
  view.weightChannelAxis = op.getWeightChannelAxis();
  view.channelsShareInput = !isa<DepthwiseConv2DNhwcHwcOp>(op.getOperation());
  view.groupDims = isa<BatchMatmulOp>(op.getOperation()) ? 1 : 0;
  bool wide = op.getWideAccumulator() ||
              op.getResult().getType().getElementType().isInteger(64);
  view.accumulatorBits = wide ? 64 : 32;
  return view;
}

std::optional<ContractionView> potq::getContractionView(Operation *op) {
  return TypeSwitch<Operation *, std::optional<ContractionView>>(op)
      .Case<MatmulOp, BatchMatmulOp, Conv2DNhwcHwcfOp, Conv2DNchwFchwOp,
            DepthwiseConv2DNhwcHwcOp>([](auto c) { return viewOf(c); })
      .Default([](Operation *) { return std::nullopt; });
}

void potq::walkContractions(
    Operation *root,
    llvm::function_ref<void(const ContractionView &, const std::string &)> fn) {
  llvm::DenseMap<Operation *, unsigned> countInFunction;
  root->walk([&](Operation *op) {
    std::optional<ContractionView> view = getContractionView(op);
    if (!view)
      return;
    auto func = op->getParentOfType<func::FuncOp>();
    std::string name =
        func ? "@" + func.getSymName().str() + " " : std::string();
    name += "#" + std::to_string(countInFunction[func]++) + " " +
            op->getName().getStringRef().str();
    fn(*view, name);
  });
}

std::vector<int64_t> potq::readLevels(ConstantOp constant) {
  QuantizedType type = getQuantizedElementType(constant.getType());
  bool isSigned = type.isStorageSigned();
  std::vector<int64_t> levels;
  for (const APInt &raw :
       cast<DenseIntElementsAttr>(constant.getValue()).getValues<APInt>())
    levels.push_back(isSigned ? raw.getSExtValue()
                              : int64_t(raw.getZExtValue()));
  return levels;
}

WeightMatrix potq::toWeightMatrix(const ContractionView &view,
                                  const std::vector<int64_t> &levels) {
  auto type = cast<RankedTensorType>(view.weight.getType());
  ArrayRef<int64_t> shape = type.getShape();
  int64_t axis = view.weightChannelAxis;
  WeightMatrix m;
  for (unsigned d = 0; d < view.groupDims; ++d)
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

WeightMatrix potq::weightMatrixShape(const ContractionView &view) {
  ArrayRef<int64_t> shape =
      cast<RankedTensorType>(view.weight.getType()).getShape();
  WeightMatrix m;
  m.channels = shape[view.weightChannelAxis];
  m.rows = 1;
  for (auto [d, size] : llvm::enumerate(shape)) {
    if (d < view.groupDims)
      m.groups = ::potq::mulSat(m.groups, size);
    else if (int64_t(d) != view.weightChannelAxis)
      m.rows = ::potq::mulSat(m.rows, size);
  }
  if (m.channels == 0 || m.groups == 0)
    m.rows = 0; // as toWeightMatrix counts an empty weight
  return m;
}
