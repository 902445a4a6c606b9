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

using namespace mlir;
using namespace mlir::potq;
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
  if (parser.parseLess() || parser.parseKeyword("bits") ||
      parser.parseEqual() || parser.parseInteger(bits))
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
