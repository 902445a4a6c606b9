//===- FuzzCommon.cpp - Helpers shared by potq's libFuzzer targets --------===//

#include "FuzzCommon.h"

#include "potq/InitAllDialects.h"
#include "potq/InitAllPasses.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "llvm/Support/raw_ostream.h"

#include <cctype>
#include <cstdlib>
#include <cstring>

using namespace mlir;

namespace potq::fuzz {

/// Inputs run in one context before it is replaced.
constexpr unsigned kInputsPerContext = 500;

MLIRContext &contextForInput() {
  static std::unique_ptr<MLIRContext> context;
  static unsigned uses = 0;
  if (!context || ++uses >= kInputsPerContext) {
    uses = 0;
    DialectRegistry registry;
    potq::registerAllDialects(registry);
    registerBuiltinDialectTranslation(registry);
    registerLLVMDialectTranslation(registry);
    // Threads would make a crash depend on scheduling and slow every input.
    context = std::make_unique<MLIRContext>(registry,
                                            MLIRContext::Threading::DISABLED);
    context->loadAllAvailableDialects();
    context->printOpOnDiagnostic(false);
    context->printStackTraceOnDiagnostic(false);
  }
  return *context;
}

void registerPasses() {
  static bool done = [] {
    potq::registerAllPasses();
    return true;
  }();
  (void)done;
}

OwningOpRef<ModuleOp> parseQuietly(MLIRContext &context,
                                   llvm::StringRef text) {
  ScopedDiagnosticHandler quiet(&context, [](Diagnostic &) { return success(); });
  // A std::string gives the lexer the terminating NUL it looks for.
  std::string copy = text.str();
  return parseSourceString<ModuleOp>(copy, ParserConfig(&context));
}

/// True if `s` starts with `[`, integers of at most 18 digits separated by
/// commas, and `]` (what DenseI64ArrayAttr::parse accepts).
static bool isIntegerList(llvm::StringRef s) {
  if (!s.consume_front("["))
    return false;
  if (s.consume_front("]"))
    return true;
  while (true) {
    s.consume_front("-");
    size_t digits = 0;
    while (digits < s.size() && isdigit(static_cast<unsigned char>(s[digits])))
      ++digits;
    if (digits == 0 || digits > 18)
      return false;
    s = s.drop_front(digits);
    if (s.consume_front("]"))
      return true;
    if (!s.consume_front(","))
      return false;
  }
}

/// True if `s` starts with a list of "name" strings or
/// #linalg.iterator_type<name> attributes (what linalg.generic's parser can
/// name in its error message).
static bool isIteratorList(llvm::StringRef s) {
  if (!s.consume_front("["))
    return false;
  while (!s.consume_front("]")) {
    if (s.consume_front("\"")) {
      s = s.drop_while([](char c) { return isalpha(c) || c == '_'; });
      if (!s.consume_front("\""))
        return false;
    } else if (s.consume_front("#linalg.iterator_type<")) {
      s = s.drop_while([](char c) { return isalpha(c) || c == '_'; });
      if (!s.consume_front(">"))
        return false;
    } else {
      return false;
    }
    if (!s.starts_with("]") && !s.consume_front(","))
      return false;
  }
  return true;
}

bool mayHitKnownUpstreamCrash(llvm::StringRef text) {
  std::string compact;
  for (char c : text)
    if (!isspace(static_cast<unsigned char>(c)))
      compact += c;
  llvm::StringRef s(compact);
  // 1. `array<index: ...>`: parseDenseArrayAttr asks an index type for its
  //    bit width (null dereference in FloatType::getWidth).
  // 2. `tensor.from_elements %a : tensor<4294967296xf32>`: the custom parser
  //    builds one result type per element ("SmallVector unable to grow", or
  //    gigabytes for smaller huge types) before checking the operand count.
  // 3. `linalg.transpose ... permutation = [x]` (also linalg.broadcast and
  //    linalg.reduce `dimensions = [...]`): a list that is not all integers
  //    leaves a null attribute in the op state (SEGV in
  //    Attribute::getContext).
  // 4. `linalg.generic {..., iterator_types = ["parallel", 5]}`: an element
  //    that is neither a string nor #linalg.iterator_type is cast to a
  //    string for the error message (garbage read, out of memory or SEGV).
  if (s.contains("array<index") || s.contains("from_elements"))
    return true;
  for (size_t at = s.find("iterator_types=["); at != llvm::StringRef::npos;
       at = s.find("iterator_types=[", at + 1))
    if (!isIteratorList(s.substr(at + strlen("iterator_types="))))
      return true;
  for (llvm::StringRef key : {"permutation=", "dimensions="}) {
    for (size_t at = s.find(key); at != llvm::StringRef::npos;
         at = s.find(key, at + 1))
      if (!isIntegerList(s.substr(at + key.size())))
        return true;
  }
  return false;
}

void fail(llvm::StringRef what, llvm::StringRef text) {
  llvm::errs() << "potq-fuzz: " << what << "\n";
  if (!text.empty())
    llvm::errs() << "---- input ----\n" << text << "\n---- end ----\n";
  llvm::errs().flush();
  std::abort();
}

int64_t ByteReader::range(int64_t lo, int64_t hi) {
  uint64_t span = uint64_t(hi - lo) + 1;
  uint64_t v = byte();
  if (span > 256)
    v = v << 8 | byte();
  return lo + int64_t(v % span);
}

float ByteReader::rawFloat() {
  uint32_t bits = 0;
  for (int i = 0; i < 4; ++i)
    bits = bits << 8 | byte();
  float f;
  std::memcpy(&f, &bits, sizeof f);
  return f;
}

} // namespace potq::fuzz
