//===- FixedPoint.cpp - Python bindings of potq/Numerics/FixedPoint.h -----===//
//
// SPEC section 6: the fixed-point multiplier M * 2^-shift of a real
// requantization factor and the integer requantization the compiled code
// performs, so that Python can simulate a layer's integer output exactly.
// The library's preconditions (accumulator ranges, alignment shifts) are
// checked here and raise ValueError.
//
//===----------------------------------------------------------------------===//

#include "Arrays.h"
#include "Bindings.h"

#include "potq/Numerics/FixedPoint.h"

#include <pybind11/stl.h>

namespace numerics = ::potq::numerics;
using namespace potq::python;

namespace {

constexpr int64_t kOne = 1;

numerics::FixedPointMultiplier makeMultiplier(int64_t multiplier, int shift) {
  bool normalized = multiplier >= (kOne << 30) && multiplier < (kOne << 31) &&
                    shift >= 0 && shift <= 62;
  bool powerOfTwo = multiplier == 1 && shift >= -31 && shift <= 62;
  if (!normalized && !powerOfTwo)
    throwValueError("a fixed-point multiplier is M in [2^30, 2^31) with shift "
                    "in [0, 62], or M = 1 with shift in [-31, 62]; got M = " +
                    std::to_string(multiplier) +
                    ", shift = " + std::to_string(shift));
  return {multiplier, shift};
}

/// Applies `op` to an int (returning an int) or to each element of an
/// integer array (returning an int64 array of its shape). Every value must
/// lie strictly within +-2^`bound`.
template <typename Op>
py::object mapAccumulators(py::handle acc, int bound, Op op) {
  auto check = [bound](int64_t v) {
    if (v <= -(kOne << bound) || v >= (kOne << bound))
      throwValueError("acc = " + std::to_string(v) +
                      " is out of range: |acc| "
                      "must be below 2^" +
                      std::to_string(bound));
  };
  if (PyLong_Check(acc.ptr()) && !PyBool_Check(acc.ptr())) {
    int overflow = 0;
    long long v = PyLong_AsLongLongAndOverflow(acc.ptr(), &overflow);
    if (overflow)
      throwValueError("acc does not fit int64");
    check(v);
    return py::int_(op(v));
  }
  Int64Array in = int64Array(acc, "acc");
  const int64_t *data = in.data();
  for (int64_t i = 0, n = in.size(); i < n; ++i)
    check(data[i]);
  Int64Array out = newArray<int64_t>(shapeOf(in));
  int64_t *result = out.mutable_data();
  {
    py::gil_scoped_release release;
    for (int64_t i = 0, n = in.size(); i < n; ++i)
      result[i] = op(data[i]);
  }
  return std::move(out);
}

void checkBounds(int64_t lo, int64_t hi) {
  if (lo > hi)
    throwValueError("lo = " + std::to_string(lo) +
                    " is above hi = " + std::to_string(hi));
}

} // namespace

void potq::python::bindFixedPoint(py::module_ &m) {
  py::class_<numerics::FixedPointMultiplier>(
      m, "FixedPointMultiplier",
      "A positive real m as M * 2**-shift: M in [2**30, 2**31), or M = 1 "
      "for an exact power of two (SPEC section 6).")
      .def(py::init(&makeMultiplier), py::arg("multiplier"), py::arg("shift"))
      .def_readonly("multiplier", &numerics::FixedPointMultiplier::multiplier)
      .def_readonly("shift", &numerics::FixedPointMultiplier::shift)
      .def_property_readonly("is_power_of_two",
                             &numerics::FixedPointMultiplier::isPowerOfTwo)
      .def("__eq__",
           [](const numerics::FixedPointMultiplier &a,
              const numerics::FixedPointMultiplier &b) {
             return a.multiplier == b.multiplier && a.shift == b.shift;
           })
      .def("__repr__", [](const numerics::FixedPointMultiplier &fp) {
        return "FixedPointMultiplier(multiplier=" +
               std::to_string(fp.multiplier) +
               ", shift=" + std::to_string(fp.shift) + ")";
      });

  m.def(
      "to_fixed_point",
      [](double value) {
        std::string error;
        std::optional<numerics::FixedPointMultiplier> fp =
            numerics::toFixedPoint(value, &error);
        if (!fp)
          throwValueError(error);
        return *fp;
      },
      py::arg("m"),
      "The fixed-point form of a positive finite multiplier m (computed in "
      "double, e.g. sx * sw / sy).");
  m.def(
      "apply_fixed_point",
      [](py::handle acc, const numerics::FixedPointMultiplier &fp) {
        return mapAccumulators(acc, 31, [fp](int64_t v) {
          return numerics::applyFixedPoint(v, fp);
        });
      },
      py::arg("acc"), py::arg("multiplier"),
      "round_shift(acc * M, shift) on int64, rounding half up; `acc` an int "
      "or an integer array with |acc| < 2**31.");
  m.def(
      "requantize",
      [](py::handle acc, const numerics::FixedPointMultiplier &fp,
         int64_t zeroPoint, int64_t lo, int64_t hi) {
        checkBounds(lo, hi);
        return mapAccumulators(acc, 62, [=](int64_t v) {
          return numerics::requantize(v, fp, zeroPoint, lo, hi);
        });
      },
      py::arg("acc"), py::arg("multiplier"), py::arg("zero_point"),
      py::arg("lo"), py::arg("hi"),
      "clamp(zero_point + round_shift(acc * M, shift), lo, hi) in 128-bit "
      "arithmetic; `acc` an int or an integer array with |acc| < 2**62.");
  m.def("add_shifts_supported", &numerics::addShiftsSupported, py::arg("a"),
        py::arg("b"),
        "Whether add_requantized can align multipliers `a` and `b` (each "
        "alignment shift at most 60).");
  m.def(
      "add_requantized",
      [](int64_t va, const numerics::FixedPointMultiplier &ma, int64_t vb,
         const numerics::FixedPointMultiplier &mb, int64_t zeroPoint,
         int64_t lo, int64_t hi) {
        checkBounds(lo, hi);
        if (!numerics::addShiftsSupported(ma, mb))
          throwValueError("the multipliers' shifts are too far apart to align "
                          "(add_shifts_supported is False)");
        for (int64_t v : {va, vb})
          if (v <= -(kOne << 17) || v >= (kOne << 17))
            throwValueError("operand " + std::to_string(v) +
                            " is out of range: |v| must be below 2^17");
        return numerics::addRequantized(va, ma, vb, mb, zeroPoint, lo, hi);
      },
      py::arg("va"), py::arg("ma"), py::arg("vb"), py::arg("mb"),
      py::arg("zero_point"), py::arg("lo"), py::arg("hi"),
      "The sum of two quantized values (levels minus their zero points, "
      "each with its multiplier to the output scale) rounded once, as "
      "potq.add computes it.");
}
