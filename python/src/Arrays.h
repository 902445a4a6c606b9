//===- Arrays.h - Checked NumPy arguments of the potq extension -*- C++ -*-===//
//
// Every binding takes NumPy arrays through these helpers, so that a wrong
// dtype, an axis out of range or a scale list of the wrong length is a
// TypeError or ValueError naming the argument, never a crash, and so that
// the numerics library always sees C-contiguous data of exactly the type it
// computes with (float32 values, int64 levels): no silent conversions.
//
//===----------------------------------------------------------------------===//

#ifndef POTQ_PYTHON_ARRAYS_H
#define POTQ_PYTHON_ARRAYS_H

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace potq::python {

namespace py = pybind11;

using Float32Array = py::array_t<float, py::array::c_style>;
using Int64Array = py::array_t<int64_t, py::array::c_style>;

/// `object` as a C-contiguous float32 array. Anything NumPy turns into an
/// array is accepted, but its dtype must be float32: a float64 value would
/// be rounded to binary32 before the SPEC's binary32 division, which the
/// caller should do knowingly. TypeError naming `name` otherwise.
Float32Array float32Array(py::handle object, const char *name);

/// `object` as a C-contiguous int64 array: any integer dtype (not bool) whose
/// values fit int64. TypeError or ValueError naming `name` otherwise.
Int64Array int64Array(py::handle object, const char *name);

/// The shape of `array` as the numerics library takes it.
std::vector<int64_t> shapeOf(const py::array &array);

/// The product of `shape`.
int64_t elementCount(const std::vector<int64_t> &shape);

/// A new C-contiguous array of `shape` (NumPy-owned, uninitialised).
template <typename T>
py::array_t<T> newArray(const std::vector<int64_t> &shape) {
  std::vector<py::ssize_t> dims(shape.begin(), shape.end());
  return py::array_t<T>(dims);
}

/// The channel axis `axis` (None or an int, negative counting from the end)
/// of an array of rank `rank`: std::nullopt for None, ValueError when out
/// of range, TypeError for anything but an int.
std::optional<unsigned> channelAxis(py::handle axis, int64_t rank,
                                    const char *arrayName);

/// The scales of a projection: a Python number or a float32 array. Without
/// `axis` exactly one scale (a number, a 0-d or a one-element array); with
/// `axis` a number (the same scale for every channel) or a 1-D array of
/// `channels` scales. Every scale must be positive and finite. Errors name
/// `name`.
std::vector<float> scaleList(py::handle scale, std::optional<unsigned> axis,
                             int64_t channels, const char *name);

/// How a row-major tensor of `shape` is split along `axis`: element i is in
/// channel (i / inner) % channels. One channel of all elements without an
/// axis.
struct ChannelLayout {
  int64_t inner = 1;
  int64_t channels = 1;

  ChannelLayout(const std::vector<int64_t> &shape,
                std::optional<unsigned> axis);
  int64_t channelOf(int64_t index) const {
    return channels == 1 ? 0 : (index / inner) % channels;
  }
};

/// A ValueError with `message`.
[[noreturn]] void throwValueError(const std::string &message);
/// A TypeError with `message`.
[[noreturn]] void throwTypeError(const std::string &message);

/// The NumPy name of the dtype of `array`, e.g. "float64".
std::string dtypeName(const py::array &array);

} // namespace potq::python

#endif // POTQ_PYTHON_ARRAYS_H
