//===- Arrays.cpp - Checked NumPy arguments of the potq extension ---------===//

#include "Arrays.h"

#include <cmath>
#include <cstdio>
#include <limits>

namespace potq::python {

void throwValueError(const std::string &message) {
  throw py::value_error(message);
}

void throwTypeError(const std::string &message) {
  throw py::type_error(message);
}

std::string dtypeName(const py::array &array) {
  return py::str(array.dtype()).cast<std::string>();
}

/// `object` as a NumPy array, or a TypeError naming `name`.
static py::array anyArray(py::handle object, const char *name) {
  if (object.is_none())
    throwTypeError(std::string(name) + " must be an array, got None");
  py::array array = py::array::ensure(object);
  if (!array)
    throwTypeError(std::string(name) +
                   " must be an array (anything "
                   "numpy.asarray accepts), got " +
                   py::str(py::type::of(object)).cast<std::string>());
  return array;
}

Float32Array float32Array(py::handle object, const char *name) {
  py::array array = anyArray(object, name);
  if (!array.dtype().is(py::dtype::of<float>()))
    throwTypeError(std::string(name) + " must have dtype float32, got " +
                   dtypeName(array) +
                   " (convert it with .astype(numpy.float32))");
  return Float32Array::ensure(array);
}

Int64Array int64Array(py::handle object, const char *name) {
  py::array array = anyArray(object, name);
  char kind = array.dtype().kind();
  if (kind != 'i' && kind != 'u')
    throwTypeError(std::string(name) + " must have an integer dtype, got " +
                   dtypeName(array));
  if (kind == 'u' && array.itemsize() == 8) {
    auto values = py::array_t<uint64_t, py::array::c_style>::ensure(array);
    const uint64_t *data = values.data();
    for (py::ssize_t i = 0, e = values.size(); i < e; ++i)
      if (data[i] > uint64_t(std::numeric_limits<int64_t>::max()))
        throwValueError(std::string(name) + " holds " +
                        std::to_string(data[i]) + ", which does not fit int64");
  }
  auto result =
      py::array_t<int64_t, py::array::c_style | py::array::forcecast>::ensure(
          array);
  if (!result)
    throw py::error_already_set();
  return result;
}

std::vector<int64_t> shapeOf(const py::array &array) {
  return std::vector<int64_t>(array.shape(), array.shape() + array.ndim());
}

int64_t elementCount(const std::vector<int64_t> &shape) {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

std::optional<unsigned> channelAxis(py::handle axis, int64_t rank,
                                    const char *arrayName) {
  if (axis.is_none())
    return std::nullopt;
  if (PyBool_Check(axis.ptr()) || !PyIndex_Check(axis.ptr()))
    throwTypeError("axis must be an int or None, got " +
                   py::str(py::type::of(axis)).cast<std::string>());
  py::object index =
      py::reinterpret_steal<py::object>(PyNumber_Index(axis.ptr()));
  if (!index)
    throw py::error_already_set();
  int overflow = 0;
  long long value = PyLong_AsLongLongAndOverflow(index.ptr(), &overflow);
  if (overflow || value < -rank || value >= rank)
    throwValueError("axis " + py::str(index).cast<std::string>() +
                    " is out of range for " + arrayName + " of rank " +
                    std::to_string(rank));
  return unsigned(value < 0 ? value + rank : value);
}

/// "name = value must be positive and finite" unless `value` is.
static void checkScale(float value, const std::string &what) {
  if (std::isfinite(value) && value > 0.0f)
    return;
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), "%.9g", double(value));
  throwValueError(what + " = " + buffer +
                  " (as float32) must be positive and finite");
}

std::vector<float> scaleList(py::handle scale, std::optional<unsigned> axis,
                             int64_t channels, const char *name) {
  if (PyFloat_Check(scale.ptr()) ||
      (PyLong_Check(scale.ptr()) && !PyBool_Check(scale.ptr()))) {
    // A Python number is rounded once to binary32, as numpy.float32() does.
    float value = float(py::cast<double>(scale));
    checkScale(value, name);
    return std::vector<float>(axis ? size_t(channels) : 1, value);
  }
  Float32Array array = float32Array(scale, name);
  const float *data = array.data();
  if (!axis) {
    if (array.size() != 1)
      throwValueError(std::string(name) +
                      " must be one value without an axis, got " +
                      std::to_string(array.size()) +
                      " values (pass axis=... for per-channel scales)");
    checkScale(data[0], name);
    return {data[0]};
  }
  if (array.ndim() == 0) {
    checkScale(data[0], name);
    return std::vector<float>(size_t(channels), data[0]);
  }
  if (array.ndim() != 1 || array.size() != channels)
    throwValueError(std::string(name) + " must hold one scale per channel: " +
                    std::to_string(channels) + " along axis " +
                    std::to_string(*axis) + ", got shape " +
                    py::str(array.attr("shape")).cast<std::string>());
  std::vector<float> scales(data, data + channels);
  for (size_t c = 0; c < scales.size(); ++c)
    checkScale(scales[c], std::string(name) + "[" + std::to_string(c) + "]");
  return scales;
}

ChannelLayout::ChannelLayout(const std::vector<int64_t> &shape,
                             std::optional<unsigned> axis) {
  if (!axis)
    return;
  channels = shape[*axis];
  for (size_t d = *axis + 1; d < shape.size(); ++d)
    inner *= shape[d];
  if (channels == 0 || inner == 0) {
    // No element: any layout will do, and it must not divide by zero.
    channels = 1;
    inner = 1;
  }
}

} // namespace potq::python
