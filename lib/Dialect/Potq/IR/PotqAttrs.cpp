//===- PotqAttrs.cpp - potq encoding attributes ---------------------------===//
//
// The encoding attributes are thin views of `potq::numerics::Encoding`: the
// numerics library owns the level sets and the parameter ranges, so the
// verifier diagnostics here are exactly the library's messages.
//
//===----------------------------------------------------------------------===//

#include "potq/Dialect/Potq/IR/PotqAttrs.h"
#include "potq/Dialect/Potq/IR/PotqDialect.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

#include <limits>

using namespace mlir;
using namespace potq;
namespace numerics = ::potq::numerics;

#include "potq/Dialect/Potq/IR/PotqAttrInterfaces.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "potq/Dialect/Potq/IR/PotqOpsAttrs.cpp.inc"

void PotqDialect::registerAttributes() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "potq/Dialect/Potq/IR/PotqOpsAttrs.cpp.inc"
      >();
}

/// Reports the numerics library's verdict on `enc` through `emitError`.
static LogicalResult
verifyEncoding(function_ref<InFlightDiagnostic()> emitError,
               const numerics::Encoding &enc) {
  if (std::optional<std::string> message = enc.verify())
    return emitError() << *message;
  return success();
}

/// Parses `name = INT` into a non-negative `value`. Integers are read as
/// int64_t first so that a negative or huge value is reported as such rather
/// than wrapping around in an unsigned parameter.
static ParseResult parseParameter(AsmParser &parser, StringRef name,
                                  unsigned &value) {
  SMLoc loc;
  int64_t raw;
  if (parser.parseKeyword(name) || parser.parseEqual() ||
      (loc = parser.getCurrentLocation(), parser.parseInteger(raw)))
    return failure();
  if (raw < 0 || raw > std::numeric_limits<unsigned>::max())
    return parser.emitError(loc)
           << name << " = " << raw << " is out of range: expected a small "
           << "non-negative integer";
  value = unsigned(raw);
  return success();
}

//===----------------------------------------------------------------------===//
// UniformAttr
//===----------------------------------------------------------------------===//

numerics::Encoding UniformAttr::getEncoding() const {
  return numerics::Encoding::uniform(getBits(), getIsUnsigned(), getNarrow());
}

LogicalResult UniformAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                                  unsigned bits, bool isUnsigned, bool narrow) {
  return verifyEncoding(emitError,
                        numerics::Encoding::uniform(bits, isUnsigned, narrow));
}

// `<` `bits` `=` INT (`,` (`unsigned` | `narrow`))* `>`
Attribute UniformAttr::parse(AsmParser &parser, Type) {
  unsigned bits = 0;
  bool isUnsigned = false, narrow = false;
  if (parser.parseLess() || parseParameter(parser, "bits", bits))
    return {};
  while (succeeded(parser.parseOptionalComma())) {
    SMLoc loc = parser.getCurrentLocation();
    StringRef keyword;
    if (parser.parseKeyword(&keyword))
      return {};
    bool *flag = keyword == "unsigned" ? &isUnsigned
                 : keyword == "narrow" ? &narrow
                                       : nullptr;
    if (!flag) {
      parser.emitError(loc) << "unknown uniform encoding option '" << keyword
                            << "': expected 'unsigned' or 'narrow'";
      return {};
    }
    if (*flag) {
      parser.emitError(loc) << "option '" << keyword << "' given twice";
      return {};
    }
    *flag = true;
  }
  if (parser.parseGreater())
    return {};
  return getChecked([&] { return parser.emitError(parser.getNameLoc()); },
                    parser.getContext(), bits, isUnsigned, narrow);
}

void UniformAttr::print(AsmPrinter &printer) const {
  printer << "<bits = " << getBits();
  if (getIsUnsigned())
    printer << ", unsigned";
  if (getNarrow())
    printer << ", narrow";
  printer << ">";
}

//===----------------------------------------------------------------------===//
// PotAttr, ApotAttr, NHotAttr
//===----------------------------------------------------------------------===//

/// `<` `bits` `=` INT `>` for pot and apot.
static std::optional<unsigned> parseBits(AsmParser &parser) {
  unsigned bits;
  if (parser.parseLess() || parseParameter(parser, "bits", bits) ||
      parser.parseGreater())
    return std::nullopt;
  return bits;
}

Attribute PotAttr::parse(AsmParser &parser, Type) {
  std::optional<unsigned> bits = parseBits(parser);
  if (!bits)
    return {};
  return getChecked([&] { return parser.emitError(parser.getNameLoc()); },
                    parser.getContext(), *bits);
}

void PotAttr::print(AsmPrinter &printer) const {
  printer << "<bits = " << getBits() << ">";
}

Attribute ApotAttr::parse(AsmParser &parser, Type) {
  std::optional<unsigned> bits = parseBits(parser);
  if (!bits)
    return {};
  return getChecked([&] { return parser.emitError(parser.getNameLoc()); },
                    parser.getContext(), *bits);
}

void ApotAttr::print(AsmPrinter &printer) const {
  printer << "<bits = " << getBits() << ">";
}

// `<` `terms` `=` INT `,` `max_exp` `=` INT `>`
Attribute NHotAttr::parse(AsmParser &parser, Type) {
  unsigned terms, maxExp;
  if (parser.parseLess() || parseParameter(parser, "terms", terms) ||
      parser.parseComma() || parseParameter(parser, "max_exp", maxExp) ||
      parser.parseGreater())
    return {};
  return getChecked([&] { return parser.emitError(parser.getNameLoc()); },
                    parser.getContext(), terms, maxExp);
}

void NHotAttr::print(AsmPrinter &printer) const {
  printer << "<terms = " << getTerms() << ", max_exp = " << getMaxExp() << ">";
}

numerics::Encoding PotAttr::getEncoding() const {
  return numerics::Encoding::pot(getBits());
}

LogicalResult PotAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                              unsigned bits) {
  return verifyEncoding(emitError, numerics::Encoding::pot(bits));
}

numerics::Encoding ApotAttr::getEncoding() const {
  return numerics::Encoding::apot(getBits());
}

LogicalResult ApotAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                               unsigned bits) {
  return verifyEncoding(emitError, numerics::Encoding::apot(bits));
}

numerics::Encoding NHotAttr::getEncoding() const {
  return numerics::Encoding::nhot(getTerms(), getMaxExp());
}

LogicalResult NHotAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                               unsigned terms, unsigned maxExp) {
  return verifyEncoding(emitError, numerics::Encoding::nhot(terms, maxExp));
}
