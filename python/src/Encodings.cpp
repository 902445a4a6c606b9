//===- Encodings.cpp - Encoding attributes spelled as Python strings ------===//

#include "Encodings.h"

#include "potq/Dialect/Potq/IR/PotqAttrs.h"
#include "potq/Dialect/Potq/IR/PotqDialect.h"

#include "mlir/AsmParser/AsmParser.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Location.h"
#include "mlir/IR/MLIRContext.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/raw_ostream.h"

#include <pybind11/pybind11.h>

#include <map>
#include <mutex>

namespace py = pybind11;
namespace numerics = ::potq::numerics;

namespace {

/// The context encodings are parsed in: the potq dialect only, no threads
/// (parsing an attribute needs none, and a process that forks, as PyTorch's
/// data loaders do, is better off without an idle thread pool).
struct EncodingContext {
  mlir::MLIRContext context{mlir::MLIRContext::Threading::DISABLED};
  /// Spellings already parsed; a training loop names the same few
  /// encodings millions of times.
  std::map<std::string, numerics::Encoding, std::less<>> cache;
  std::mutex mutex;

  EncodingContext() { context.getOrLoadDialect<potq::PotqDialect>(); }

  static EncodingContext &get() {
    // Never destroyed: Python may still call in while the interpreter exits.
    static EncodingContext *instance = new EncodingContext();
    return *instance;
  }
};

} // namespace

numerics::Encoding potq::python::parseEncoding(const std::string &text) {
  EncodingContext &state = EncodingContext::get();
  std::lock_guard<std::mutex> lock(state.mutex);
  if (auto it = state.cache.find(text); it != state.cache.end())
    return it->second;

  // "pot<bits = 4>" (numerics::Encoding::str()) is short for
  // "#potq.pot<bits = 4>"; columns in diagnostics count in what was given.
  llvm::StringRef spelled = llvm::StringRef(text).ltrim();
  bool shortForm = !spelled.empty() && llvm::isAlpha(spelled.front());
  std::string prefix = shortForm ? "#potq." : "";
  std::string attrText = prefix + spelled.str();
  int64_t columnOffset =
      int64_t(text.size() - spelled.size()) - int64_t(prefix.size());
  std::string messages;
  mlir::Attribute attr;
  {
    mlir::ScopedDiagnosticHandler handler(
        &state.context, [&](mlir::Diagnostic &diag) {
          if (!messages.empty())
            messages += "; ";
          if (auto loc =
                  llvm::dyn_cast<mlir::FileLineColLoc>(diag.getLocation()))
            messages +=
                "column " +
                std::to_string(int64_t(loc.getColumn()) + columnOffset) + ": ";
          messages += diag.str();
          return mlir::success();
        });
    attr = mlir::parseAttribute(attrText, &state.context);
  }
  if (!attr)
    throw py::value_error("invalid encoding '" + text + "': " +
                          (messages.empty() ? "cannot parse it" : messages));
  auto encodingAttr = llvm::dyn_cast<potq::EncodingAttrInterface>(attr);
  if (!encodingAttr) {
    std::string printed;
    llvm::raw_string_ostream os(printed);
    attr.print(os);
    throw py::value_error("'" + text + "' is " + printed +
                          ", not a potq encoding (#potq.uniform, #potq.pot, "
                          "#potq.apot or #potq.nhot)");
  }
  numerics::Encoding encoding = encodingAttr.getEncoding();
  state.cache.emplace(text, encoding);
  return encoding;
}

std::string potq::python::encodingSpelling(const numerics::Encoding &encoding) {
  EncodingContext &state = EncodingContext::get();
  std::lock_guard<std::mutex> lock(state.mutex);
  mlir::MLIRContext *ctx = &state.context;
  mlir::Attribute attr;
  switch (encoding.kind) {
  case numerics::EncodingKind::Uniform:
    attr = potq::UniformAttr::get(ctx, encoding.bits, encoding.isUnsigned,
                                  encoding.narrow);
    break;
  case numerics::EncodingKind::Pot:
    attr = potq::PotAttr::get(ctx, encoding.bits);
    break;
  case numerics::EncodingKind::Apot:
    attr = potq::ApotAttr::get(ctx, encoding.bits);
    break;
  case numerics::EncodingKind::NHot:
    attr = potq::NHotAttr::get(ctx, encoding.terms, encoding.maxExp);
    break;
  }
  std::string printed;
  llvm::raw_string_ostream os(printed);
  attr.print(os);
  return printed;
}
