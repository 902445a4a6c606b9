//===- CostReport.cpp - Operation counts, storage and energy per layer ----===//
//
// docs/BitSparsity.md defines every count. The numbers come from
// numerics::countShiftAdd on the weight matrix of each contraction, scaled
// by the number of output positions that apply it.
//
//===----------------------------------------------------------------------===//

#include "ContractionWeights.h"

#include "potq/Dialect/Potq/IR/PotqOps.h"
#include "potq/Dialect/Potq/Transforms/Passes.h"
#include "potq/Limits.h"
#include "potq/Numerics/FixedPoint.h"
#include "potq/Numerics/Packing.h"
#include "potq/Numerics/ShiftAddCost.h"
#include "potq/Support/InputFile.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/ToolOutputFile.h"

#include <cmath>

namespace potq {
#define GEN_PASS_DEF_POTQCOSTREPORT
#include "potq/Dialect/Potq/Transforms/Passes.h.inc"
} // namespace potq

using namespace mlir;
using namespace potq;
namespace numerics = ::potq::numerics;

namespace {

struct LayerCost {
  std::string name, weightShape, encoding;
  int64_t positions = 1;
  bool dynamic = false;
  unsigned accumulatorBits = 32, codeBits = 0;
  /// One application of the weights: its weight, nonzero and term counts
  /// are properties of the weight tensor.
  numerics::ShiftAddCounts tensor;
  /// Operations per inference (shifts and adds, direct and shared).
  numerics::ShiftAddCounts counts;
  int64_t macs = 0;
  int64_t requantMultiplies = 0;
  int64_t storageBits = 0;
  double direct = 0, shared = 0, int8 = 0, fp32 = 0; // energies in pJ

  LayerCost &operator+=(const LayerCost &o) {
    tensor += o.tensor;
    counts += o.counts;
    macs += o.macs;
    requantMultiplies += o.requantMultiplies;
    dynamic |= o.dynamic;
    storageBits += o.storageBits;
    direct += o.direct;
    shared += o.shared;
    int8 += o.int8;
    fp32 += o.fp32;
    return *this;
  }
};

std::string shapeString(ArrayRef<int64_t> shape) {
  std::string s;
  for (auto [i, d] : llvm::enumerate(shape))
    s += (i ? "x" : "") + (ShapedType::isDynamic(d) ? "?" : std::to_string(d));
  return s;
}

/// The cost of one layer, or failure (reported) if its weight is too large
/// to expand: a splat weight is counted from its one level.
FailureOr<LayerCost> costOf(ContractionOpInterface op, ConstantOp weight,
                            const std::string &name,
                            const numerics::EnergyTable &table) {
  QuantizedType w = weight.getQuantizedType();
  auto weightType = cast<RankedTensorType>(weight.getType());
  auto resultType = cast<RankedTensorType>(op.getResult().getType());
  bool channelsShareInput = op.channelsShareInput();
  WeightMatrix m;
  numerics::ShiftAddCounts once;
  if (std::optional<int64_t> level = weight.getSplatLevel()) {
    m = weightMatrixShape(op);
    once = numerics::countShiftAddSplat(w.getLevelSet(), *level, m.rows,
                                        m.channels, channelsShareInput)
               .scaled(m.groups);
  } else {
    // The levels and toWeightMatrix: two int64 copies of the weight.
    int64_t count = weight.getCodes().getNumElements();
    if (!::potq::fitsMaterializationLimit(count, 2 * sizeof(int64_t)))
      return emitOverLimitError(op, "the weight matrix for the cost report",
                                count, 2 * sizeof(int64_t));
    auto levels = weight.getLevels();
    m = toWeightMatrix(op, std::vector<int64_t>(levels.begin(), levels.end()));
    int64_t groupSize = m.rows * m.channels; // m.rows counts one group
    for (int64_t g = 0; g < m.groups; ++g)
      once += numerics::countShiftAdd(w.getLevelSet(),
                                      m.levels.data() + g * groupSize, m.rows,
                                      m.channels, channelsShareInput);
  }
  LayerCost cost;
  cost.name = name;
  cost.weightShape = shapeString(weightType.getShape());
  cost.encoding = w.getEncoding().getEncoding().str();
  cost.accumulatorBits = op.hasI64Accumulator() ? 64 : 32;
  cost.codeBits = numerics::codeBits(w.getEncoding().getEncoding());
  // Sizes saturate at INT64_MAX (huge shapes are valid IR).
  int64_t resultElements = 1;
  for (int64_t d : resultType.getShape()) {
    cost.dynamic |= ShapedType::isDynamic(d);
    resultElements =
        ::potq::mulSat(resultElements, ShapedType::isDynamic(d) ? 1 : d);
  }
  int64_t perApplication = ::potq::mulSat(m.groups, m.channels);
  cost.positions = perApplication ? resultElements / perApplication : 0;

  cost.tensor = once;
  cost.counts = once.scaled(cost.positions);
  cost.macs = cost.counts.weights;
  cost.storageBits = ::potq::mulSat(once.weights, int64_t(cost.codeBits));

  if (auto out = dyn_cast<QuantizedType>(resultType.getElementType())) {
    // One multiplier per weight scale; a per-tensor scale serves every
    // channel.
    double sx = op.getInputQuantizedType().getScale();
    int64_t perScale = ::potq::mulSat(cost.positions, m.groups);
    if (!w.isPerChannel())
      perScale = ::potq::mulSat(perScale, m.channels);
    for (float sw : w.getScales().asArrayRef()) {
      auto fp =
          numerics::toFixedPoint(sx * double(sw) / double(out.getScale()));
      if (fp && !fp->isPowerOfTwo())
        cost.requantMultiplies =
            ::potq::addSat(cost.requantMultiplies, perScale);
    }
  }
  cost.direct = numerics::shiftAddEnergy(
      table, cost.counts.shifts, cost.counts.adds, cost.accumulatorBits);
  cost.shared =
      numerics::shiftAddEnergy(table, cost.counts.sharedShifts,
                               cost.counts.sharedAdds, cost.accumulatorBits);
  cost.int8 = numerics::int8MacEnergy(table, cost.macs);
  cost.fp32 = numerics::fp32MacEnergy(table, cost.macs);
  return cost;
}

llvm::json::Object toJson(const LayerCost &c, bool isTotal) {
  const numerics::ShiftAddCounts &n = c.counts;
  llvm::json::Object o{
      {"weights", c.tensor.weights},
      {"nonzero_weights", c.tensor.nonzeroWeights},
      {"storage_bits", c.storageBits},
      {"terms", c.tensor.terms},
      {"binary_terms", c.tensor.binaryTerms},
      {"multiplies", 0},
      {"requantization_multiplies", c.requantMultiplies},
      {"direct", llvm::json::Object{{"shifts", n.shifts},
                                    {"adds", n.adds},
                                    {"energy_pj", c.direct}}},
      {"shared", llvm::json::Object{{"shifts", n.sharedShifts},
                                    {"adds", n.sharedAdds},
                                    {"energy_pj", c.shared}}},
      {"int8_mac", llvm::json::Object{{"multiplies", c.macs},
                                      {"adds", c.macs},
                                      {"storage_bits", c.tensor.weights * 8},
                                      {"energy_pj", c.int8}}},
      {"fp32_mac", llvm::json::Object{{"multiplies", c.macs},
                                      {"adds", c.macs},
                                      {"storage_bits", c.tensor.weights * 32},
                                      {"energy_pj", c.fp32}}},
      {"dynamic_dims_counted_as_1", c.dynamic},
  };
  if (!isTotal) {
    o["name"] = c.name;
    o["weight_shape"] = c.weightShape;
    o["encoding"] = c.encoding;
    o["positions"] = c.positions;
    o["code_bits"] = c.codeBits;
    o["accumulator_bits"] = c.accumulatorBits;
  }
  return o;
}

void printText(llvm::raw_ostream &os, const LayerCost &c, bool isTotal) {
  const numerics::ShiftAddCounts &n = c.counts;
  os << "potq-cost-report: ";
  if (isTotal)
    os << "total";
  else
    os << c.name << ": weight " << c.weightShape << " " << c.encoding << ", "
       << c.positions << (c.positions == 1 ? " position" : " positions")
       << ", i" << c.accumulatorBits << " accumulator";
  os << (c.dynamic ? " (dynamic dimensions counted as 1)" : "") << "\n";
  os << llvm::formatv("  weights {0}, nonzero {1}, storage {2} bits "
                      "(int8 {3}, fp32 {4})\n",
                      c.tensor.weights, c.tensor.nonzeroWeights, c.storageBits,
                      c.tensor.weights * 8, c.tensor.weights * 32);
  os << llvm::formatv("  terms {0} (binary digits {1}); per inference: "
                      "multiplies 0 (+{2} in requantization)\n",
                      c.tensor.terms, c.tensor.binaryTerms,
                      c.requantMultiplies);
  os << llvm::formatv("  shift-add: {0} shifts, {1} adds, {2:F2} pJ\n",
                      n.shifts, n.adds, c.direct);
  os << llvm::formatv("  shared:    {0} shifts, {1} adds, {2:F2} pJ\n",
                      n.sharedShifts, n.sharedAdds, c.shared);
  os << llvm::formatv("  int8 MAC:  {0} multiplies, {0} adds, {1:F2} pJ\n",
                      c.macs, c.int8);
  os << llvm::formatv("  fp32 MAC:  {0} multiplies, {0} adds, {1:F2} pJ\n",
                      c.macs, c.fp32);
  if (c.direct > 0)
    os << llvm::formatv("  energy vs shift-add: int8 {0:F2}x, fp32 {1:F2}x\n",
                        c.int8 / c.direct, c.fp32 / c.direct);
}

struct PotqCostReportPass : potq::impl::PotqCostReportBase<PotqCostReportPass> {
  using Base::Base;

  LogicalResult readTable(numerics::EnergyTable &table) {
    if (energyTable.empty())
      return success();
    Location loc = getOperation().getLoc();
    // A table is a few lines of JSON; 1 MiB refuses /dev/zero quickly.
    constexpr uint64_t kMaxTableBytes = 1 << 20;
    std::string error;
    std::unique_ptr<llvm::MemoryBuffer> buffer =
        ::potq::openBoundedInputFile(energyTable, kMaxTableBytes, error);
    if (!buffer)
      return emitError(loc) << "potq-cost-report: cannot read energy table '"
                            << energyTable << "': " << error;
    llvm::Expected<llvm::json::Value> json =
        llvm::json::parse(buffer->getBuffer());
    if (!json)
      return emitError(loc)
             << "potq-cost-report: energy table '" << energyTable
             << "' is not valid JSON: " << llvm::toString(json.takeError());
    const llvm::json::Object *object = json->getAsObject();
    if (!object)
      return emitError(loc) << "potq-cost-report: energy table '" << energyTable
                            << "' must be a JSON object";
    for (const auto &entry : *object) {
      StringRef key = entry.first;
      const llvm::json::Value &value = entry.second;
      auto field = llvm::find_if(numerics::EnergyTable::fields(),
                                 [&](const auto &f) { return key == f.first; });
      if (field == numerics::EnergyTable::fields().end())
        return emitError(loc)
               << "potq-cost-report: unknown energy table key '" << key
               << "' (expected add8, mul8, add32, mul32, fadd32, fmul32, "
                  "shift)";
      std::optional<double> pj = value.getAsNumber();
      if (!pj || !std::isfinite(*pj) || *pj < 0.0)
        return emitError(loc) << "potq-cost-report: energy table key '" << key
                              << "' must be a finite non-negative number";
      table.*(field->second) = *pj;
    }
    return success();
  }

  void runOnOperation() override {
    Location loc = getOperation().getLoc();
    numerics::EnergyTable table;
    if (failed(readTable(table)))
      return signalPassFailure();

    std::vector<LayerCost> layers;
    bool ok = true;
    walkContractions(getOperation(), [&](ContractionOpInterface op,
                                         const std::string &name) {
      auto weight = op.getWeight().getDefiningOp<ConstantOp>();
      if (!weight) {
        op->emitWarning() << "potq-cost-report: " << name
                          << ": the weight is not a potq.constant; not "
                             "counted";
        return;
      }
      FailureOr<LayerCost> cost = costOf(op, weight, name, table);
      if (failed(cost)) {
        ok = false;
        return;
      }
      layers.push_back(*cost);
    });
    if (!ok)
      return signalPassFailure();
    LayerCost total;
    for (const LayerCost &c : layers)
      total += c;

    std::string error;
    std::unique_ptr<llvm::ToolOutputFile> file =
        openOutputFile(outputFile, &error);
    if (!file) {
      emitError(loc) << "potq-cost-report: " << error;
      return signalPassFailure();
    }
    if (format == CostReportFormat::Json) {
      llvm::json::Object energy;
      for (const auto &[key, member] : numerics::EnergyTable::fields())
        energy[key] = table.*member;
      llvm::json::Array array;
      for (const LayerCost &c : layers)
        array.push_back(toJson(c, false));
      llvm::json::Value report =
          llvm::json::Object{{"energy_table_pj", std::move(energy)},
                             {"layers", std::move(array)},
                             {"total", toJson(total, true)}};
      file->os() << llvm::formatv("{0:2}", report) << "\n";
    } else {
      file->os() << "potq-cost-report: energy per operation (pJ):";
      for (const auto &[key, member] : numerics::EnergyTable::fields())
        file->os() << llvm::format(" %s %g", key, table.*member);
      file->os() << "\n";
      for (const LayerCost &c : layers)
        printText(file->os(), c, false);
      printText(file->os(), total, true);
    }
    file->keep();
    markAllAnalysesPreserved();
  }
};

} // namespace
