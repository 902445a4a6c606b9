//===- Recoding.cpp - Python bindings of potq/Numerics/NHot.h -------------===//
//
// Bit-level sparsity (docs/BitSparsity.md): the exact recoding
// (tightest_nhot), the budgeted one (fit_nhot, choose_max_exp), the error
// measure and the term budget allocation that potq-recode-weights uses.
//
//===----------------------------------------------------------------------===//

#include "Arrays.h"
#include "Bindings.h"
#include "Encodings.h"

#include "potq/Numerics/NHot.h"

#include <pybind11/stl.h>

namespace numerics = ::potq::numerics;
using namespace potq::python;

namespace {

py::dict errorDict(const numerics::RecodeError &e) {
  py::dict d;
  d["mse"] = e.mse;
  d["max_abs"] = e.maxAbs;
  d["relative_rmse"] = e.relativeRmse;
  return d;
}

/// N in [1, 4], as the nhot encodings allow.
void checkTerms(int64_t terms) {
  if (terms < 1 || terms > 4)
    throwValueError("terms = " + std::to_string(terms) +
                    " is out of range: nhot encodings allow terms in [1, 4]");
}

py::dict recodeError(py::handle originalObject, py::handle recodedObject) {
  Float32Array original = float32Array(originalObject, "original");
  Float32Array recoded = float32Array(recodedObject, "recoded");
  if (shapeOf(original) != shapeOf(recoded))
    throwValueError("original and recoded must have the same shape, got " +
                    py::str(original.attr("shape")).cast<std::string>() +
                    " and " +
                    py::str(recoded.attr("shape")).cast<std::string>());
  numerics::RecodeError e;
  {
    py::gil_scoped_release release;
    e = numerics::recodeError(original.data(), recoded.data(),
                              size_t(original.size()));
  }
  return errorDict(e);
}

py::object tightestNHot(py::handle levelsObject) {
  Int64Array levels = int64Array(levelsObject, "levels");
  std::vector<int64_t> values(levels.data(), levels.data() + levels.size());
  std::optional<numerics::Encoding> enc;
  {
    py::gil_scoped_release release;
    enc = numerics::tightestNHot(values);
  }
  if (!enc)
    return py::none();
  return py::str(encodingSpelling(*enc));
}

py::dict fitNHot(py::handle wObject, int64_t terms,
                 std::optional<int64_t> maxExp, py::handle axisObject) {
  Float32Array w = float32Array(wObject, "w");
  checkTerms(terms);
  if (maxExp && (*maxExp < 0 || *maxExp > 15))
    throwValueError("max_exp = " + std::to_string(*maxExp) +
                    " is out of range: nhot encodings allow max_exp in "
                    "[0, 15]");
  numerics::NHotOptions options;
  options.terms = unsigned(terms);
  if (maxExp)
    options.maxExp = unsigned(*maxExp);
  options.channelAxis = channelAxis(axisObject, w.ndim(), "w");
  std::vector<int64_t> shape = shapeOf(w);
  numerics::NHotFit fit;
  {
    py::gil_scoped_release release;
    fit = numerics::fitNHot(w.data(), shape, options);
  }
  Float32Array scales = options.channelAxis
                            ? newArray<float>({int64_t(fit.scales.size())})
                            : newArray<float>({});
  std::copy(fit.scales.begin(), fit.scales.end(), scales.mutable_data());
  Int64Array levels = newArray<int64_t>(shape);
  std::copy(fit.levels.begin(), fit.levels.end(), levels.mutable_data());
  py::dict result;
  result["encoding"] = encodingSpelling(fit.encoding);
  result["scales"] = scales;
  result["levels"] = levels;
  result["error"] = errorDict(fit.error);
  result["nonzero_terms"] = fit.nonzeroTerms;
  return result;
}

unsigned chooseMaxExp(py::handle wObject, int64_t terms) {
  Float32Array w = float32Array(wObject, "w");
  checkTerms(terms);
  py::gil_scoped_release release;
  return numerics::chooseMaxExp(w.data(), size_t(w.size()), unsigned(terms));
}

py::object allocateTermBudget(
    const std::vector<std::vector<std::pair<int64_t, double>>> &candidates,
    int64_t budget) {
  std::vector<std::vector<numerics::TermChoice>> choices;
  for (size_t layer = 0; layer < candidates.size(); ++layer) {
    if (candidates[layer].empty())
      throwValueError("candidates[" + std::to_string(layer) +
                      "] is empty: every layer needs a candidate");
    std::vector<numerics::TermChoice> &list = choices.emplace_back();
    for (auto [terms, error] : candidates[layer]) {
      if (terms < 0)
        throwValueError("candidates[" + std::to_string(layer) +
                        "] holds a negative term count " +
                        std::to_string(terms));
      list.push_back({terms, error});
    }
  }
  std::optional<std::vector<size_t>> chosen =
      numerics::allocateTermBudget(choices, budget);
  if (!chosen)
    return py::none();
  return py::cast(*chosen);
}

} // namespace

void potq::python::bindRecoding(py::module_ &m) {
  m.def("recode_error", &recodeError, py::arg("original"), py::arg("recoded"),
        "The error of replacing float32 `original` by `recoded`: a dict of "
        "mse, max_abs and relative_rmse.");
  m.def("tightest_nhot", &tightestNHot, py::arg("levels"),
        "Exact recoding: the smallest '#potq.nhot<...>' holding every level "
        "with its value and its NAF term count, or None when a level needs "
        "more than 4 terms or an exponent above 15.");
  m.def("fit_nhot", &fitNHot, py::arg("w"), py::arg("terms") = 2,
        py::arg("max_exp") = py::none(), py::arg("axis") = py::none(),
        "Budgeted recoding: projects float32 `w` onto nhot<terms, max_exp> "
        "(max_exp chosen from the data when None) with msqe scales, per "
        "channel along `axis`. A dict of encoding, scales, levels (shaped "
        "like w), error (see recode_error) and nonzero_terms.");
  m.def("choose_max_exp", &chooseMaxExp, py::arg("w"), py::arg("terms"),
        "The exponent window fit_nhot picks for `w` when max_exp is None.");
  m.def("allocate_term_budget", &allocateTermBudget, py::arg("candidates"),
        py::arg("budget"),
        "Per layer, a list of (nonzero_terms, error) candidates by "
        "increasing term count; returns the chosen index per layer within "
        "`budget` total terms, or None when even the first candidates "
        "exceed it.");
}
