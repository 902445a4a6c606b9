//===- Numerics.cpp - Python bindings of potq::numerics -------------------===//
//
// Every public function of include/potq/Numerics/*.h, with NumPy arrays in
// and out. These call the very functions the constant folder, the
// interpreter and the compiled code's constants are computed with, so a
// Python training loop projects values exactly as the compiler will
// (SPEC sections 2, 4, 5). Loops over arrays run without the GIL.
//
//===----------------------------------------------------------------------===//

#include "Arrays.h"
#include "Bindings.h"
#include "Encodings.h"

#include "potq/Numerics/Encoding.h"
#include "potq/Numerics/Packing.h"
#include "potq/Numerics/Projection.h"
#include "potq/Numerics/ScaleSelection.h"

#include <pybind11/stl.h>

#include <cmath>
#include <cstring>

namespace numerics = ::potq::numerics;
using namespace potq::python;

namespace {

const char *kindName(numerics::EncodingKind kind) {
  switch (kind) {
  case numerics::EncodingKind::Uniform:
    return "uniform";
  case numerics::EncodingKind::Pot:
    return "pot";
  case numerics::EncodingKind::Apot:
    return "apot";
  case numerics::EncodingKind::NHot:
    return "nhot";
  }
  return "unknown";
}

const numerics::LevelSet &levelSet(const std::string &encoding) {
  return numerics::LevelSet::get(parseEncoding(encoding));
}

/// Terms as Python (sign, exponent) tuples.
py::list termList(const std::vector<numerics::Term> &terms) {
  py::list result;
  for (const numerics::Term &t : terms)
    result.append(py::make_tuple(t.sign, t.exp));
  return result;
}

/// The zero point of a projection onto `levels`, checked as the
/// !potq.q type verifier checks it: nonzero only for per-tensor uniform
/// encodings, and a level.
void checkZeroPoint(int64_t zeroPoint, const numerics::LevelSet &levels,
                    std::optional<unsigned> axis) {
  if (zeroPoint == 0)
    return;
  if (levels.encoding().kind != numerics::EncodingKind::Uniform)
    throwValueError("zero_point is allowed only with uniform encodings, got "
                    "zero_point = " +
                    std::to_string(zeroPoint) + " with " +
                    encodingSpelling(levels.encoding()));
  if (axis)
    throwValueError("zero_point is allowed only with per-tensor scales");
  if (zeroPoint < levels.min() || zeroPoint > levels.max())
    throwValueError("zero_point = " + std::to_string(zeroPoint) +
                    " is out of range: must be a level of " +
                    encodingSpelling(levels.encoding()) + " in [" +
                    std::to_string(levels.min()) + ", " +
                    std::to_string(levels.max()) + "]");
}

/// The arguments every projection takes, checked.
struct Projection {
  Float32Array x;
  std::vector<int64_t> shape;
  std::optional<unsigned> axis;
  std::vector<float> scales;
  ChannelLayout layout;

  Projection(py::handle xObject, py::handle scale, py::handle axisObject,
             const char *xName)
      : x(float32Array(xObject, xName)), shape(shapeOf(x)),
        axis(channelAxis(axisObject, x.ndim(), xName)),
        scales(scaleList(scale, axis, axis ? shape[*axis] : 1, "scale")),
        layout(shape, axis) {}

  float scaleOf(int64_t i) const { return scales[layout.channelOf(i)]; }
};

/// `f(value, scale)` of every element of `in` (of `shape`), each at its
/// channel's scale, into a new array, without the GIL: the one loop of
/// project, fake_quantize, project_to_integer_range and dequantize.
template <typename Out, typename In, typename F>
py::array_t<Out> mapPerChannel(const In *in, const std::vector<int64_t> &shape,
                               const ChannelLayout &layout,
                               const std::vector<float> &scales, F f) {
  py::array_t<Out> result = newArray<Out>(shape);
  Out *out = result.mutable_data();
  {
    py::gil_scoped_release release;
    for (int64_t i = 0, n = elementCount(shape); i < n; ++i)
      out[i] = f(in[i], scales[layout.channelOf(i)]);
  }
  return result;
}

/// mapPerChannel over the values of a projection.
template <typename Out, typename F>
py::array_t<Out> mapProjection(const Projection &p, F f) {
  return mapPerChannel<Out>(p.x.data(), p.shape, p.layout, p.scales, f);
}

Int64Array project(py::handle x, py::handle scale, const std::string &encoding,
                   int64_t zeroPoint, py::handle axis) {
  Projection p(x, scale, axis, "x");
  const numerics::LevelSet &levels = levelSet(encoding);
  checkZeroPoint(zeroPoint, levels, p.axis);
  return mapProjection<int64_t>(p, [&](float r, float s) {
    return numerics::project(r, s, levels, zeroPoint);
  });
}

Float32Array fakeQuantize(py::handle x, py::handle scale,
                          const std::string &encoding, int64_t zeroPoint,
                          py::handle axis) {
  Projection p(x, scale, axis, "x");
  const numerics::LevelSet &levels = levelSet(encoding);
  checkZeroPoint(zeroPoint, levels, p.axis);
  return mapProjection<float>(p, [&](float r, float s) {
    return numerics::fakeQuantize(r, s, levels, zeroPoint);
  });
}

Int64Array projectToIntegerRange(py::handle x, py::handle scale, int64_t lo,
                                 int64_t hi, py::handle axis) {
  if (lo > hi)
    throwValueError("lo = " + std::to_string(lo) +
                    " is above hi = " + std::to_string(hi));
  Projection p(x, scale, axis, "x");
  return mapProjection<int64_t>(p, [&](float r, float s) {
    return numerics::projectToIntegerRange(r, s, lo, hi);
  });
}

Float32Array dequantize(py::handle levelsObject, py::handle scale,
                        int64_t zeroPoint, py::handle axisObject) {
  Int64Array levels = int64Array(levelsObject, "levels");
  std::vector<int64_t> shape = shapeOf(levels);
  std::optional<unsigned> axis =
      channelAxis(axisObject, levels.ndim(), "levels");
  std::vector<float> scales =
      scaleList(scale, axis, axis ? shape[*axis] : 1, "scale");
  if (zeroPoint != 0 && axis)
    throwValueError("zero_point is allowed only with per-tensor scales");
  // numerics::dequantize computes level - zero_point in int64: refuse the
  // levels for which that overflows instead of leaving it undefined.
  const int64_t *in = levels.data();
  for (int64_t i = 0, n = levels.size(), difference; i < n; ++i)
    if (__builtin_sub_overflow(in[i], zeroPoint, &difference))
      throwValueError("levels[" + std::to_string(i) +
                      "] (flattened) = " + std::to_string(in[i]) +
                      " minus zero_point = " + std::to_string(zeroPoint) +
                      " overflows int64");
  return mapPerChannel<float>(in, shape, ChannelLayout(shape, axis), scales,
                              [&](int64_t level, float s) {
                                return numerics::dequantize(level, s,
                                                            zeroPoint);
                              });
}

int64_t nearestLevel(const std::string &encoding, double target,
                     int64_t zeroPoint) {
  if (std::isnan(target))
    throwValueError("target is NaN: it has no nearest level (project() maps "
                    "NaN to the zero point)");
  const numerics::LevelSet &levels = levelSet(encoding);
  checkZeroPoint(zeroPoint, levels, std::nullopt);
  return numerics::nearestLevel(levels, target, zeroPoint);
}

double quantizationError(py::handle w, py::handle scale,
                         const std::string &encoding, py::handle axis) {
  Projection p(w, scale, axis, "w");
  const numerics::LevelSet &levels = levelSet(encoding);
  const float *data = p.x.data();
  int64_t n = p.x.size();
  py::gil_scoped_release release;
  if (!p.axis)
    return numerics::quantizationError(data, size_t(n), p.scales[0], levels);
  // The same sum, each element at its channel's scale.
  double sum = 0.0;
  for (int64_t i = 0; i < n; ++i)
    sum += numerics::quantizationError(data + i, 1, p.scaleOf(i), levels);
  return sum;
}

Float32Array chooseScale(py::handle wObject, const std::string &encoding,
                         const std::string &method, py::handle axisObject,
                         bool pot) {
  Float32Array w = float32Array(wObject, "w");
  std::vector<int64_t> shape = shapeOf(w);
  std::optional<unsigned> axis = channelAxis(axisObject, w.ndim(), "w");
  numerics::ScaleOptions options;
  if (method == "max")
    options.method = numerics::ScaleMethod::Max;
  else if (method == "msqe")
    options.method = numerics::ScaleMethod::Msqe;
  else
    throwValueError("method must be 'max' or 'msqe', got '" + method + "'");
  options.powerOfTwo = pot;
  const numerics::LevelSet &levels = levelSet(encoding);
  std::vector<float> scales;
  {
    py::gil_scoped_release release;
    if (axis)
      scales = numerics::chooseScalesPerChannel(w.data(), shape, *axis, levels,
                                                options);
    else
      scales = {
          numerics::chooseScale(w.data(), size_t(w.size()), levels, options)};
  }
  Float32Array result =
      axis ? newArray<float>({int64_t(scales.size())}) : newArray<float>({});
  std::copy(scales.begin(), scales.end(), result.mutable_data());
  return result;
}

/// Each value of `values` must be a level of `levels`: ValueError naming
/// the first that is not.
void checkLevels(const numerics::LevelSet &levels, const int64_t *values,
                 int64_t n, const char *name) {
  for (int64_t i = 0; i < n; ++i)
    if (!levels.contains(values[i]))
      throwValueError(std::string(name) + "[" + std::to_string(i) + "] = " +
                      std::to_string(values[i]) + " is not a level of " +
                      encodingSpelling(levels.encoding()));
}

py::bytes packLevels(py::handle levelsObject, const std::string &encoding) {
  Int64Array values = int64Array(levelsObject, "levels");
  const numerics::LevelSet &levels = levelSet(encoding);
  checkLevels(levels, values.data(), values.size(), "levels (flattened)");
  std::vector<uint8_t> bytes;
  {
    std::vector<int64_t> flat(values.data(), values.data() + values.size());
    py::gil_scoped_release release;
    bytes = numerics::packLevels(levels, flat);
  }
  return py::bytes(reinterpret_cast<const char *>(bytes.data()), bytes.size());
}

/// ceil(count * bits / 8) in decimal: up to 2^68 for count < 2^63 and codes
/// of at most 32 bits, so computed in 128 bits.
std::string bytesFor(int64_t count, unsigned bits) {
  unsigned __int128 bytes = ((unsigned __int128)count * bits + 7) / 8;
  std::string digits;
  do {
    digits.insert(digits.begin(), char('0' + unsigned(bytes % 10)));
    bytes /= 10;
  } while (bytes != 0);
  return digits;
}

Int64Array unpackLevels(const py::bytes &data, const std::string &encoding,
                        int64_t count) {
  const numerics::LevelSet &levels = levelSet(encoding);
  std::string_view view = data;
  unsigned bits = numerics::codeBits(levels.encoding());
  if (count < 0)
    throwValueError("count must be non-negative, got " + std::to_string(count));
  // Checked before anything is allocated: a huge count is refused here.
  uint64_t available = uint64_t(view.size()) * 8 / bits;
  if (uint64_t(count) > available)
    throwValueError("count = " + std::to_string(count) + " needs " +
                    bytesFor(count, bits) + " bytes at " +
                    std::to_string(bits) + " bits per code, but data holds " +
                    std::to_string(view.size()));
  std::vector<uint8_t> bytes(view.begin(), view.end());
  std::optional<std::vector<int64_t>> values;
  {
    py::gil_scoped_release release;
    values = numerics::unpackLevels(levels, bytes, size_t(count));
  }
  if (!values)
    throwValueError("data holds a code that names no level of " +
                    encodingSpelling(levels.encoding()));
  Int64Array result = newArray<int64_t>({count});
  std::copy(values->begin(), values->end(), result.mutable_data());
  return result;
}

py::dict encodingInfo(const std::string &spelled) {
  numerics::Encoding enc = parseEncoding(spelled);
  const numerics::LevelSet &levels = numerics::LevelSet::get(enc);
  numerics::StorageInfo storage = numerics::storageInfo(enc);
  py::dict info;
  info["spelling"] = encodingSpelling(enc);
  info["kind"] = kindName(enc.kind);
  bool isNHot = enc.kind == numerics::EncodingKind::NHot;
  info["bits"] = isNHot ? py::object(py::none()) : py::int_(enc.bits);
  info["unsigned"] = enc.isUnsigned;
  info["narrow"] = enc.narrow;
  info["terms"] = isNHot ? py::object(py::int_(enc.terms)) : py::none();
  info["max_exp"] = isNHot ? py::object(py::int_(enc.maxExp)) : py::none();
  info["code_bits"] = numerics::codeBits(enc);
  info["storage_bits"] = storage.width;
  info["storage_signed"] = storage.isSigned;
  info["lo"] = levels.min();
  info["hi"] = levels.max();
  info["num_levels"] = levels.size();
  info["max_terms"] = levels.maxTerms();
  info["contiguous"] = levels.isContiguous();
  return info;
}

} // namespace

void potq::python::bindNumerics(py::module_ &m) {
  m.def(
      "levels",
      [](const std::string &encoding) { return levelSet(encoding).levels(); },
      py::arg("encoding"),
      "The sorted level set of an encoding spelled as in MLIR, e.g. "
      "'#potq.pot<bits = 4>' (SPEC section 2).");
  m.def("encoding_info", &encodingInfo, py::arg("encoding"),
        "A dict describing an encoding: spelling (canonical), kind, bits, "
        "unsigned, narrow, terms, max_exp, code_bits (packed code width), "
        "storage_bits and storage_signed (the storage integer), lo, hi, "
        "num_levels, max_terms, contiguous.");
  m.def(
      "decompose",
      [](const std::string &encoding, int64_t level) {
        const numerics::LevelSet &levels = levelSet(encoding);
        if (!levels.contains(level))
          throwValueError(std::to_string(level) + " is not a level of " +
                          encodingSpelling(levels.encoding()));
        return termList(levels.decompose(level));
      },
      py::arg("encoding"), py::arg("level"),
      "The canonical signed power-of-two decomposition of a level: a list "
      "of (sign, exponent), descending exponents.");
  m.def(
      "apot_magnitudes",
      [](unsigned bits) {
        if (bits < 3 || bits > 7)
          throwValueError("bits = " + std::to_string(bits) +
                          " is out of range: apot encodings allow bits in "
                          "[3, 7]");
        return numerics::apotMagnitudes(bits);
      },
      py::arg("bits"), "The APoT magnitude set M(bits), ascending.");
  m.def(
      "signed_digits",
      [](int64_t value) { return termList(numerics::nonAdjacentForm(value)); },
      py::arg("value"),
      "The non-adjacent form of an integer: minimal nonzero signed binary "
      "digits as (sign, exponent), descending exponents.");
  m.def(
      "evaluate_terms",
      [](const std::vector<std::pair<int, unsigned>> &terms) {
        std::vector<numerics::Term> list;
        for (auto [sign, exp] : terms) {
          if ((sign != 1 && sign != -1) || exp > 63)
            throwValueError("a term is (sign, exponent) with sign +1 or -1 "
                            "and exponent in [0, 63], got (" +
                            std::to_string(sign) + ", " + std::to_string(exp) +
                            ")");
          list.push_back({sign, exp});
        }
        return numerics::evaluateTerms(list);
      },
      py::arg("terms"),
      "The sum of sign * 2**exponent over (sign, exponent) terms, modulo "
      "2**64 as an int64.");

  m.def("project", &project, py::arg("x"), py::arg("scale"),
        py::arg("encoding"), py::arg("zero_point") = 0,
        py::arg("axis") = py::none(),
        "SPEC section 4: the levels of float32 `x` at `scale` (a number, or "
        "one float32 scale per channel along `axis`), as int64. NaN -> "
        "zero_point, +-inf clamp, ties to the smaller |L - zero_point|.");
  m.def("fake_quantize", &fakeQuantize, py::arg("x"), py::arg("scale"),
        py::arg("encoding"), py::arg("zero_point") = 0,
        py::arg("axis") = py::none(),
        "project() then dequantize(): scale * (L - zero_point) in float32, "
        "the forward value of qat.fake_quant.");
  m.def("dequantize", &dequantize, py::arg("levels"), py::arg("scale"),
        py::arg("zero_point") = 0, py::arg("axis") = py::none(),
        "scale * (level - zero_point) in float32 for integer `levels`.");
  m.def("project_to_integer_range", &projectToIntegerRange, py::arg("x"),
        py::arg("scale"), py::arg("lo"), py::arg("hi"),
        py::arg("axis") = py::none(),
        "The SPEC section 4 projection onto the integers [lo, hi] (zero "
        "point 0): bias levels at scale sx * sw.");
  m.def("nearest_level", &nearestLevel, py::arg("encoding"), py::arg("target"),
        py::arg("zero_point") = 0,
        "The level nearest to `target` (already divided by the scale, zero "
        "point added), ties to the smaller |L - zero_point|.");
  m.def("choose_scale", &chooseScale, py::arg("w"), py::arg("encoding"),
        py::arg("method") = "max", py::arg("axis") = py::none(),
        py::arg("pot") = false,
        "SPEC section 5: the scale of float32 weights `w` ('max' or 'msqe', "
        "a power of two with pot=True), shape () or (C,) with `axis`.");
  m.def("quantization_error", &quantizationError, py::arg("w"),
        py::arg("scale"), py::arg("encoding"), py::arg("axis") = py::none(),
        "Sum of (w - fake_quantize(w))**2 in double (NaN or inf when `w` "
        "holds non-finite values).");

  m.def(
      "encode_level",
      [](const std::string &encoding, int64_t level) {
        const numerics::LevelSet &levels = levelSet(encoding);
        checkLevels(levels, &level, 1, "level");
        return numerics::encodeLevel(levels, level);
      },
      py::arg("encoding"), py::arg("level"),
      "The packed code of a level (code_bits wide).");
  m.def(
      "decode_level",
      [](const std::string &encoding, uint32_t code) {
        const numerics::LevelSet &levels = levelSet(encoding);
        std::optional<int64_t> level = numerics::decodeLevel(levels, code);
        if (!level)
          throwValueError("code " + std::to_string(code) +
                          " names no level of " +
                          encodingSpelling(levels.encoding()));
        return *level;
      },
      py::arg("encoding"), py::arg("code"), "The level of a packed code.");
  m.def("pack_levels", &packLevels, py::arg("levels"), py::arg("encoding"),
        "Levels (flattened, C order) packed LSB-first at code_bits each.");
  m.def("unpack_levels", &unpackLevels, py::arg("data"), py::arg("encoding"),
        py::arg("count"), "The first `count` levels packed in `data`.");
}
