//===- ShiftAddCost.cpp - Python bindings of potq/Numerics/ShiftAddCost.h -===//
//
// The operation counts and energy estimates of potq-cost-report, for a
// weight matrix of levels held in Python (docs/BitSparsity.md defines them).
//
//===----------------------------------------------------------------------===//

#include "Arrays.h"
#include "Bindings.h"
#include "Encodings.h"

#include "potq/Numerics/ShiftAddCost.h"

#include <pybind11/stl.h>

#include <string>
#include <utility>
#include <vector>

namespace numerics = ::potq::numerics;
using namespace potq::python;

namespace {

using Counts = numerics::ShiftAddCounts;

/// `value`, a count: ValueError naming `name` when negative.
int64_t nonNegative(int64_t value, const char *name) {
  if (value < 0)
    throwValueError(std::string(name) + " must be non-negative, got " +
                    std::to_string(value));
  return value;
}

/// An accumulator width potq lowers to (potq-cost-report's 32, or 64 with
/// wide_accumulator): ValueError naming `name` otherwise.
unsigned accumulatorBits(int64_t bits, const char *name) {
  if (bits != 32 && bits != 64)
    throwValueError(std::string(name) + " must be 32 or 64, got " +
                    std::to_string(bits));
  return unsigned(bits);
}

/// The counts by their Python names (attributes and repr), in declaration
/// order.
const std::vector<std::pair<const char *, int64_t Counts::*>> &countFields() {
  static const std::vector<std::pair<const char *, int64_t Counts::*>> all = {
      {"weights", &Counts::weights},
      {"nonzero_weights", &Counts::nonzeroWeights},
      {"terms", &Counts::terms},
      {"binary_terms", &Counts::binaryTerms},
      {"shifts", &Counts::shifts},
      {"adds", &Counts::adds},
      {"shared_shifts", &Counts::sharedShifts},
      {"shared_adds", &Counts::sharedAdds}};
  return all;
}

std::string countsRepr(const Counts &c) {
  std::string text = "ShiftAddCounts(";
  const char *separator = "";
  for (const auto &[name, field] : countFields()) {
    text += separator + std::string(name) + "=" + std::to_string(c.*field);
    separator = ", ";
  }
  return text + ")";
}

Counts countShiftAdd(py::handle levelsObject, const std::string &encoding,
                     bool columnsShareInput) {
  Int64Array levels = int64Array(levelsObject, "levels");
  if (levels.ndim() != 2)
    throwValueError("levels must be a matrix (rows = reduction, columns = "
                    "output channels), got rank " +
                    std::to_string(levels.ndim()));
  const numerics::LevelSet &set =
      numerics::LevelSet::get(parseEncoding(encoding));
  const int64_t *data = levels.data();
  for (int64_t i = 0, n = levels.size(); i < n; ++i)
    if (!set.contains(data[i]))
      throwValueError("levels holds " + std::to_string(data[i]) +
                      ", which is not a level of " +
                      encodingSpelling(set.encoding()));
  int64_t rows = levels.shape(0), cols = levels.shape(1);
  py::gil_scoped_release release;
  return numerics::countShiftAdd(set, data, rows, cols, columnsShareInput);
}

Counts countShiftAddSplat(const std::string &encoding, int64_t level,
                          int64_t rows, int64_t cols, bool columnsShareInput) {
  const numerics::LevelSet &set =
      numerics::LevelSet::get(parseEncoding(encoding));
  if (!set.contains(level))
    throwValueError(std::to_string(level) + " is not a level of " +
                    encodingSpelling(set.encoding()));
  if (rows < 0 || cols < 0)
    throwValueError("rows and cols must be non-negative, got " +
                    std::to_string(rows) + " x " + std::to_string(cols));
  return numerics::countShiftAddSplat(set, level, rows, cols,
                                      columnsShareInput);
}

} // namespace

void potq::python::bindShiftAddCost(py::module_ &m) {
  py::class_<Counts> counts(m, "ShiftAddCounts",
                            "Operation counts of one application of a weight "
                            "matrix (docs/BitSparsity.md).");
  counts.def(py::init<>())
      .def("__iadd__", &Counts::operator+=)
      .def("__add__",
           [](const Counts &a, const Counts &b) {
             Counts sum = a;
             sum += b;
             return sum;
           })
      .def(
          "scaled",
          [](const Counts &c, int64_t factor) {
            return c.scaled(nonNegative(factor, "factor"));
          },
          py::arg("factor"),
          "Every count times `factor` (>= 0), saturating at 2**63 - 1.")
      .def("__repr__", &countsRepr);
  // Counts are non-negative: a negative one would turn the saturating sums
  // and the energies into nonsense, so the setters refuse it.
  for (const auto &[name, field] : countFields())
    counts.def_property(
        name, [field = field](const Counts &c) { return c.*field; },
        [field = field, name = name](Counts &c, int64_t value) {
          c.*field = nonNegative(value, name);
        });

  py::class_<numerics::EnergyTable> table(
      m, "EnergyTable",
      "Energy per operation in picojoules (defaults: Horowitz, ISSCC 2014, "
      "45 nm; shift = the 8-bit add).");
  table.def(py::init<>());
  for (const auto &[name, field] : numerics::EnergyTable::fields())
    table.def_readwrite(name, field);
  table.def(
      "accumulator_add",
      [](const numerics::EnergyTable &t, int64_t bits) {
        return t.accumulatorAdd(accumulatorBits(bits, "bits"));
      },
      py::arg("bits"),
      "One add at a `bits`-bit accumulator, 32 or 64 (64 counts as two "
      "32-bit adds).");

  m.def("count_shift_add", &countShiftAdd, py::arg("levels"),
        py::arg("encoding"), py::arg("columns_share_input") = true,
        "Counts for an integer matrix of levels, rows = reduction index, "
        "columns = output channels (columns_share_input=False for "
        "depthwise layers).");
  m.def("count_shift_add_splat", &countShiftAddSplat, py::arg("encoding"),
        py::arg("level"), py::arg("rows"), py::arg("cols"),
        py::arg("columns_share_input") = true,
        "count_shift_add of a rows x cols matrix of one level.");
  m.def(
      "int8_mac_energy",
      [](const numerics::EnergyTable &t, int64_t macs) {
        return numerics::int8MacEnergy(t, nonNegative(macs, "macs"));
      },
      py::arg("table"), py::arg("macs"),
      "pJ of `macs` (>= 0) int8 multiply-accumulates.");
  m.def(
      "fp32_mac_energy",
      [](const numerics::EnergyTable &t, int64_t macs) {
        return numerics::fp32MacEnergy(t, nonNegative(macs, "macs"));
      },
      py::arg("table"), py::arg("macs"),
      "pJ of `macs` (>= 0) fp32 multiply-accumulates.");
  m.def(
      "shift_add_energy",
      [](const numerics::EnergyTable &t, int64_t shifts, int64_t adds,
         int64_t accBits) {
        return numerics::shiftAddEnergy(t, nonNegative(shifts, "shifts"),
                                        nonNegative(adds, "adds"),
                                        accumulatorBits(accBits, "acc_bits"));
      },
      py::arg("table"), py::arg("shifts"), py::arg("adds"),
      py::arg("acc_bits") = 32,
      "pJ of shift-add counts (>= 0) with `acc_bits` (32 or 64) "
      "accumulators.");
}
