//===- FuzzCommon.h - Helpers shared by the fuzz targets --------*- C++ -*-===//
//
// One MLIR context set up like the potq tools (every dialect potq registers,
// the passes potq-opt exposes, LLVM IR translation for the JIT), a parser
// that keeps diagnostics quiet, and a reader that turns fuzz bytes into
// bounded numbers. See docs/Reliability.md, "Fuzzing".
//
//===----------------------------------------------------------------------===//

#ifndef POTQ_FUZZ_FUZZCOMMON_H
#define POTQ_FUZZ_FUZZCOMMON_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/StringRef.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace potq::fuzz {

/// The context for one input; call once at the start of each input. It is
/// recreated every few hundred inputs: a context never frees uniqued
/// attributes and types, so one shared by a whole campaign would grow
/// without bound.
mlir::MLIRContext &contextForInput();

/// Registers potq's passes and pipelines (once; idempotent).
void registerPasses();

/// Parses and verifies `text` as a module, with every diagnostic discarded.
/// Null if it does not parse or verify.
mlir::OwningOpRef<mlir::ModuleOp> parseQuietly(mlir::MLIRContext &context,
                                               llvm::StringRef text);

/// True if `text` may reach a known crash of upstream MLIR 22 that potq
/// cannot fix (docs/Reliability.md, "Known upstream crashes"). The MLIR
/// fuzz targets skip such inputs so that a campaign keeps finding new bugs
/// instead of stopping at the same upstream one.
bool mayHitKnownUpstreamCrash(llvm::StringRef text);

/// Aborts with `what` and, if given, the text that caused it. A fuzz target
/// calls it for a property violation (a wrong answer, not a crash).
[[noreturn]] void fail(llvm::StringRef what, llvm::StringRef text = {});

/// Consumes fuzz bytes from the front; past the end every read returns 0.
class ByteReader {
public:
  ByteReader(const uint8_t *data, size_t size) : data(data), size(size) {}
  uint8_t byte() { return pos < size ? data[pos++] : 0; }
  /// A value in [lo, hi] (inclusive) from one or two bytes.
  int64_t range(int64_t lo, int64_t hi);
  /// Four bytes as a float bit pattern (any value: NaN, inf, denormals).
  float rawFloat();
  bool empty() const { return pos >= size; }
  /// The bytes not consumed yet.
  llvm::StringRef rest() const {
    return pos < size ? llvm::StringRef(reinterpret_cast<const char *>(data) +
                                            pos,
                                        size - pos)
                      : llvm::StringRef();
  }

private:
  const uint8_t *data;
  size_t size;
  size_t pos = 0;
};

} // namespace potq::fuzz

#endif // POTQ_FUZZ_FUZZCOMMON_H
