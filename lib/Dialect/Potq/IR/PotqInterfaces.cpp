//===- PotqInterfaces.cpp - potq op interfaces ----------------------------===//
//
// The default methods of ContractionOpInterface derive from the indexing
// maps: a loop the result map uses is parallel, any other is a reduction.
// The interface verifier is in PotqOps.cpp, next to the checks it shares
// with the other ops.
//
//===----------------------------------------------------------------------===//

#include "potq/Dialect/Potq/IR/PotqInterfaces.h"
#include "potq/Support/Saturating.h"

#include <algorithm>

using namespace potq;
using mlir::AffineDimExpr;
using mlir::utils::IteratorType;

#include "potq/Dialect/Potq/IR/PotqInterfaces.cpp.inc"

SmallVector<int64_t, 2>
potq::detail::windowValues(mlir::DenseI64ArrayAttr values, unsigned count) {
  if (values)
    return SmallVector<int64_t, 2>(values.asArrayRef());
  return SmallVector<int64_t, 2>(count, 1);
}

SmallVector<int64_t, 4>
potq::detail::paddingValues(mlir::DenseI64ArrayAttr values, unsigned count) {
  if (values)
    return SmallVector<int64_t, 4>(values.asArrayRef());
  return SmallVector<int64_t, 4>(2 * count, 0);
}

/// The loop that dimension `dim` of `map`'s results indexes directly, if it
/// is a plain loop.
static std::optional<unsigned> loopOf(AffineMap map, unsigned dim) {
  if (auto expr = dyn_cast<AffineDimExpr>(map.getResult(dim)))
    return expr.getPosition();
  return std::nullopt;
}

/// The loop of the output channels.
static std::optional<unsigned> channelLoop(ContractionOpInterface op,
                                           AffineMap resultMap) {
  int64_t axis = op.getResultChannelAxis();
  if (axis < 0 || axis >= int64_t(resultMap.getNumResults()))
    return std::nullopt;
  return loopOf(resultMap, unsigned(axis));
}

SmallVector<IteratorType>
potq::detail::getContractionIteratorTypes(Operation *op) {
  AffineMap resultMap = cast<ContractionOpInterface>(op).getIndexingMaps()[2];
  SmallVector<IteratorType> types(resultMap.getNumDims(),
                                  IteratorType::reduction);
  for (unsigned d = 0, e = resultMap.getNumResults(); d < e; ++d)
    if (std::optional<unsigned> loop = loopOf(resultMap, d))
      types[*loop] = IteratorType::parallel;
  return types;
}

unsigned potq::detail::getContractionNumGroupDims(Operation *op) {
  auto contraction = cast<ContractionOpInterface>(op);
  SmallVector<AffineMap, 3> maps = contraction.getIndexingMaps();
  SmallVector<IteratorType> types = contraction.getIteratorTypes();
  std::optional<unsigned> channel = channelLoop(contraction, maps[2]);
  unsigned groups = 0;
  for (unsigned d = 0, e = maps[1].getNumResults(); d < e; ++d) {
    std::optional<unsigned> loop = loopOf(maps[1], d);
    if (!loop || loop == channel || types[*loop] != IteratorType::parallel)
      break;
    ++groups;
  }
  return groups;
}

bool potq::detail::contractionChannelsShareInput(Operation *op) {
  auto contraction = cast<ContractionOpInterface>(op);
  SmallVector<AffineMap, 3> maps = contraction.getIndexingMaps();
  std::optional<unsigned> channel = channelLoop(contraction, maps[2]);
  return !channel || !maps[0].isFunctionOfDim(*channel);
}

int64_t
potq::detail::getContractionReductionSize(Operation *op,
                                          ArrayRef<int64_t> weightShape) {
  auto contraction = cast<ContractionOpInterface>(op);
  AffineMap weightMap = contraction.getIndexingMaps()[1];
  SmallVector<IteratorType> types = contraction.getIteratorTypes();
  int64_t size = 1;
  for (unsigned d = 0, e = weightMap.getNumResults(); d < e; ++d) {
    std::optional<unsigned> loop = loopOf(weightMap, d);
    if (!loop || types[*loop] != IteratorType::reduction)
      continue;
    if (d >= weightShape.size() || ShapedType::isDynamic(weightShape[d]))
      return ShapedType::kDynamic;
    size = ::potq::mulSat(size, weightShape[d]);
  }
  return size;
}

//===----------------------------------------------------------------------===//
// ContractionOpInterface helpers
//===----------------------------------------------------------------------===//

QuantizedType ContractionOpInterface::getInputQuantizedType() {
  return getQuantizedElementType(getInput().getType());
}

QuantizedType ContractionOpInterface::getWeightQuantizedType() {
  return getQuantizedElementType(getWeight().getType());
}

QuantizedType ContractionOpInterface::getResultQuantizedType() {
  return getQuantizedElementType(getResult().getType());
}

std::pair<SmallVector<int64_t, 4>, SmallVector<int64_t, 4>>
ContractionOpInterface::getInputPadding() {
  AffineMap inputMap = getIndexingMaps()[0];
  unsigned rank = inputMap.getNumResults();
  SmallVector<int64_t, 4> low(rank, 0), high(rank, 0);
  SmallVector<int64_t, 4> padding = getPaddingValues();
  unsigned windows = getNumWindowDims();
  // The window dimensions are the input dimensions indexed by a compound
  // expression (`o * s + k * d`), in order.
  unsigned window = 0;
  for (unsigned d = 0; d < rank && window < windows; ++d) {
    if (isa<AffineDimExpr>(inputMap.getResult(d)))
      continue;
    low[d] = padding[window];
    high[d] = padding[windows + window];
    ++window;
  }
  return {low, high};
}

bool ContractionOpInterface::hasI64Accumulator() {
  return getWideAccumulator() ||
         cast<ShapedType>(getResult().getType()).getElementType().isInteger(64);
}

std::pair<int64_t, int64_t> ContractionOpInterface::getClampBounds() {
  const numerics::LevelSet &levels = getResultQuantizedType().getLevelSet();
  // I64Attr accessors return uint64_t; the bounds are signed levels.
  std::optional<int64_t> clampMin = getClampMin(), clampMax = getClampMax();
  return {std::max(levels.min(), clampMin.value_or(levels.min())),
          std::min(levels.max(), clampMax.value_or(levels.max()))};
}
