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

namespace numerics = ::potq::numerics;
using namespace potq::python;

namespace {

using Counts = numerics::ShiftAddCounts;

std::string countsRepr(const Counts &c) {
  return "ShiftAddCounts(weights=" + std::to_string(c.weights) +
         ", nonzero_weights=" + std::to_string(c.nonzeroWeights) +
         ", terms=" + std::to_string(c.terms) +
         ", binary_terms=" + std::to_string(c.binaryTerms) +
         ", shifts=" + std::to_string(c.shifts) +
         ", adds=" + std::to_string(c.adds) +
         ", shared_shifts=" + std::to_string(c.sharedShifts) +
         ", shared_adds=" + std::to_string(c.sharedAdds) + ")";
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
  py::class_<Counts>(m, "ShiftAddCounts",
                     "Operation counts of one application of a weight "
                     "matrix (docs/BitSparsity.md).")
      .def(py::init<>())
      .def_readwrite("weights", &Counts::weights)
      .def_readwrite("nonzero_weights", &Counts::nonzeroWeights)
      .def_readwrite("terms", &Counts::terms)
      .def_readwrite("binary_terms", &Counts::binaryTerms)
      .def_readwrite("shifts", &Counts::shifts)
      .def_readwrite("adds", &Counts::adds)
      .def_readwrite("shared_shifts", &Counts::sharedShifts)
      .def_readwrite("shared_adds", &Counts::sharedAdds)
      .def("__iadd__", &Counts::operator+=)
      .def("__add__",
           [](const Counts &a, const Counts &b) {
             Counts sum = a;
             sum += b;
             return sum;
           })
      .def("scaled", &Counts::scaled, py::arg("factor"),
           "Every count times `factor`, saturating at 2**63 - 1.")
      .def("__repr__", &countsRepr);

  py::class_<numerics::EnergyTable> table(
      m, "EnergyTable",
      "Energy per operation in picojoules (defaults: Horowitz, ISSCC 2014, "
      "45 nm; shift = the 8-bit add).");
  table.def(py::init<>());
  for (const auto &[name, field] : numerics::EnergyTable::fields())
    table.def_readwrite(name, field);
  table.def("accumulator_add", &numerics::EnergyTable::accumulatorAdd,
            py::arg("bits"),
            "One add at a `bits`-bit accumulator (64 counts as two 32-bit "
            "adds).");

  m.def("count_shift_add", &countShiftAdd, py::arg("levels"),
        py::arg("encoding"), py::arg("columns_share_input") = true,
        "Counts for an integer matrix of levels, rows = reduction index, "
        "columns = output channels (columns_share_input=False for "
        "depthwise layers).");
  m.def("count_shift_add_splat", &countShiftAddSplat, py::arg("encoding"),
        py::arg("level"), py::arg("rows"), py::arg("cols"),
        py::arg("columns_share_input") = true,
        "count_shift_add of a rows x cols matrix of one level.");
  m.def("int8_mac_energy", &numerics::int8MacEnergy, py::arg("table"),
        py::arg("macs"), "pJ of `macs` int8 multiply-accumulates.");
  m.def("fp32_mac_energy", &numerics::fp32MacEnergy, py::arg("table"),
        py::arg("macs"), "pJ of `macs` fp32 multiply-accumulates.");
  m.def("shift_add_energy", &numerics::shiftAddEnergy, py::arg("table"),
        py::arg("shifts"), py::arg("adds"), py::arg("acc_bits") = 32,
        "pJ of shift-add counts with `acc_bits` accumulators.");
}
