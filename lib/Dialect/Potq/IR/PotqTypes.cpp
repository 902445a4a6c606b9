//===- PotqTypes.cpp - potq quantized element type ------------------------===//

#include "potq/Dialect/Potq/IR/PotqTypes.h"
#include "potq/Dialect/Potq/IR/PotqDialect.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

using namespace mlir;
using namespace potq;
namespace numerics = ::potq::numerics;

#define GET_TYPEDEF_CLASSES
#include "potq/Dialect/Potq/IR/PotqOpsTypes.cpp.inc"

void PotqDialect::registerTypes() {
  addTypes<
#define GET_TYPEDEF_LIST
#include "potq/Dialect/Potq/IR/PotqOpsTypes.cpp.inc"
      >();
}

//===----------------------------------------------------------------------===//
// Scale spelling
//===----------------------------------------------------------------------===//

/// Prints `value` as the shortest `D.DDDe±XX` literal that reads back as the
/// same binary32 value. Always has a '.' so the MLIR lexer sees a float.
static void printScale(AsmPrinter &printer, float value) {
  char buffer[32];
  for (int digits = 1; digits <= 9; ++digits) {
    std::snprintf(buffer, sizeof(buffer), "%.*e", digits, double(value));
    // The parser reads a double and rounds it to float once: check the
    // spelling the same way (strtof would round differently in rare cases).
    if (float(std::strtod(buffer, nullptr)) == value)
      break;
  }
  printer << buffer;
}

/// Parses a scale literal and rounds it to binary32. Range checks are the
/// verifier's job, except that a finite literal must not overflow binary32.
static ParseResult parseScale(AsmParser &parser, float &result) {
  SMLoc loc = parser.getCurrentLocation();
  double value;
  if (parser.parseFloat(value))
    return failure();
  result = float(value);
  if (std::isfinite(value) && !std::isfinite(result))
    return parser.emitError(loc)
           << "scale " << value << " is not representable as f32";
  if (value != 0.0 && result == 0.0f)
    return parser.emitError(loc)
           << "scale " << value << " underflows to zero in f32";
  return success();
}

//===----------------------------------------------------------------------===//
// QuantizedType
//===----------------------------------------------------------------------===//

// `<` encoding `,` float-type `,`
//     ( `scale` `=` F (`,` `zero_point` `=` INT)?
//     | `axis` `=` INT `,` `scales` `=` `[` F (`,` F)* `]` ) `>`
Type QuantizedType::parse(AsmParser &parser) {
  MLIRContext *ctx = parser.getContext();
  Attribute encodingAttr;
  Type expressed;
  if (parser.parseLess())
    return {};
  SMLoc encodingLoc = parser.getCurrentLocation();
  if (parser.parseAttribute(encodingAttr))
    return {};
  auto encoding = dyn_cast<EncodingAttrInterface>(encodingAttr);
  if (!encoding) {
    parser.emitError(encodingLoc)
        << "expected a potq encoding attribute (#potq.uniform, #potq.pot, "
           "#potq.apot or #potq.nhot), got "
        << encodingAttr;
    return {};
  }
  SMLoc expressedLoc;
  if (parser.parseComma() ||
      (expressedLoc = parser.getCurrentLocation(), parser.parseType(expressed)))
    return {};
  auto floatType = dyn_cast<FloatType>(expressed);
  if (!floatType) {
    parser.emitError(expressedLoc)
        << "expressed type must be f32, f16 or bf16, got " << expressed;
    return {};
  }
  if (parser.parseComma())
    return {};

  SmallVector<float> scales;
  std::optional<int64_t> axis;
  int64_t zeroPoint = 0;
  SMLoc keyLoc = parser.getCurrentLocation();
  StringRef key;
  if (parser.parseKeyword(&key))
    return {};
  if (key == "scale") {
    float scale;
    if (parser.parseEqual() || parseScale(parser, scale))
      return {};
    scales.push_back(scale);
    if (succeeded(parser.parseOptionalComma())) {
      if (parser.parseKeyword("zero_point") || parser.parseEqual() ||
          parser.parseInteger(zeroPoint))
        return {};
    }
  } else if (key == "axis") {
    int64_t axisValue;
    if (parser.parseEqual() || parser.parseInteger(axisValue) ||
        parser.parseComma() || parser.parseKeyword("scales") ||
        parser.parseEqual())
      return {};
    axis = axisValue;
    if (parser.parseCommaSeparatedList(AsmParser::Delimiter::Square, [&] {
          return parseScale(parser, scales.emplace_back());
        }))
      return {};
  } else {
    parser.emitError(keyLoc)
        << "expected 'scale' (per tensor) or 'axis' (per channel), got '" << key
        << "'";
    return {};
  }
  if (parser.parseGreater())
    return {};
  return getChecked([&] { return parser.emitError(parser.getNameLoc()); }, ctx,
                    encoding, floatType, DenseF32ArrayAttr::get(ctx, scales),
                    axis, zeroPoint);
}

void QuantizedType::print(AsmPrinter &printer) const {
  printer << "<";
  printer.printAttribute(getEncoding());
  printer << ", " << getExpressedType() << ", ";
  if (std::optional<int64_t> axis = getAxis()) {
    printer << "axis = " << *axis << ", scales = [";
    llvm::interleaveComma(getScales().asArrayRef(), printer,
                          [&](float s) { printScale(printer, s); });
    printer << "]";
  } else {
    printer << "scale = ";
    printScale(printer, getScale());
    if (getZeroPoint() != 0)
      printer << ", zero_point = " << getZeroPoint();
  }
  printer << ">";
}

LogicalResult
QuantizedType::verify(function_ref<InFlightDiagnostic()> emitError,
                      EncodingAttrInterface encoding, FloatType expressedType,
                      DenseF32ArrayAttr scales, std::optional<int64_t> axis,
                      int64_t zeroPoint) {
  if (!encoding)
    return emitError() << "missing encoding";
  if (!expressedType || !(expressedType.isF32() || expressedType.isF16() ||
                          expressedType.isBF16()))
    return emitError() << "expressed type must be f32, f16 or bf16, got "
                       << expressedType;
  if (!scales || scales.empty())
    return emitError() << "expected at least one scale";
  if (axis) {
    if (*axis < 0)
      return emitError() << "axis = " << *axis << " must be non-negative";
  } else if (scales.size() != 1) {
    return emitError() << "a per-tensor type has exactly one scale, got "
                       << scales.size();
  }
  for (auto [index, scale] : llvm::enumerate(scales.asArrayRef())) {
    if (!(std::isfinite(scale) && scale > 0.0f)) {
      InFlightDiagnostic diag = emitError();
      if (axis)
        diag << "scales[" << index << "]";
      else
        diag << "scale";
      return diag << " = " << double(scale) << " must be positive and finite";
    }
  }
  numerics::Encoding enc = encoding.getEncoding();
  if (zeroPoint != 0) {
    if (enc.kind != numerics::EncodingKind::Uniform)
      return emitError() << "zero_point is allowed only with uniform "
                            "encodings, got zero_point = "
                         << zeroPoint << " with " << encoding;
    if (axis)
      return emitError() << "zero_point is allowed only with per-tensor "
                            "scales";
    const numerics::LevelSet &levels = numerics::LevelSet::get(enc);
    if (zeroPoint < levels.min() || zeroPoint > levels.max())
      return emitError() << "zero_point = " << zeroPoint
                         << " is out of range: must be a level of " << encoding
                         << " in [" << levels.min() << ", " << levels.max()
                         << "]";
  }
  return success();
}

float QuantizedType::getScale() const {
  assert(!isPerChannel() && "per-channel type has no single scale");
  return getScales()[0];
}

float QuantizedType::getScaleFor(int64_t channel) const {
  return isPerChannel() ? getScales()[channel] : getScales()[0];
}

IntegerType QuantizedType::getStorageType() const {
  numerics::StorageInfo info =
      numerics::storageInfo(getEncoding().getEncoding());
  return IntegerType::get(getContext(), info.width);
}

bool QuantizedType::isStorageSigned() const {
  return numerics::storageInfo(getEncoding().getEncoding()).isSigned;
}

int64_t QuantizedType::decodeLevel(const APInt &code) const {
  return isStorageSigned() ? code.getSExtValue() : int64_t(code.getZExtValue());
}

APInt QuantizedType::encodeLevel(int64_t level) const {
  return APInt(getStorageType().getWidth(), uint64_t(level), isStorageSigned());
}

DenseIntElementsAttr
QuantizedType::encodeLevels(ArrayRef<int64_t> shape,
                            ArrayRef<int64_t> levels) const {
  SmallVector<APInt> codes;
  codes.reserve(levels.size());
  for (int64_t level : levels)
    codes.push_back(encodeLevel(level));
  return DenseIntElementsAttr::get(
      RankedTensorType::get(shape, getStorageType()), codes);
}

bool QuantizedType::isUniform() const {
  return isa<UniformAttr>(getEncoding());
}

QuantizedType potq::getQuantizedElementType(Type type) {
  if (auto shaped = dyn_cast<ShapedType>(type))
    return dyn_cast<QuantizedType>(shaped.getElementType());
  return {};
}
