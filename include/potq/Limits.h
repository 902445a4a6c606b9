//===- Limits.h - How much data potq materialises from IR -------*- C++ -*-===//
//
// IR describes a splat of 2^62 elements in a few bytes. Every path that
// expands data from IR into memory (the folders, potq-verify-accumulators,
// the shift-add lowering, recoding and the cost report, the interpreter,
// constants handed to the JIT and the emitters) checks the size against this
// one limit before allocating, and refuses with a diagnostic naming the op
// and the size instead of aborting or exhausting memory
// (docs/Reliability.md, "Resource limits").
//
//===----------------------------------------------------------------------===//

#ifndef POTQ_LIMITS_H
#define POTQ_LIMITS_H

#include "potq/Support/LLVM.h"

#include "potq/Support/Saturating.h"

#include "mlir/IR/BuiltinAttributeInterfaces.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Operation.h"

#include <algorithm>
#include <cstdint>
#include <optional>

namespace potq {

/// The most bytes one tensor potq materialises may take: 1 GiB. Far above
/// the largest weight tensor of a network potq targets (tens of MB) and the
/// interpreter's inputs (a 10,000-image test set is 63 MB of doubles), yet
/// a few such buffers at once still fit a CI machine's memory.
constexpr int64_t kMaxMaterializedBytes = int64_t(1) << 30;

/// The largest input file (IR text or bytecode) the tools read: 2 GiB, the
/// hex text of one tensor at kMaxMaterializedBytes. Devices and pipes are
/// read up to it and refused past it (potq/Support/InputFile.h).
constexpr int64_t kMaxInputFileBytes = int64_t(2) << 30;

/// The element count of `shape`, or std::nullopt if a dimension is negative
/// (dynamic) or the product overflows int64.
inline std::optional<int64_t>
checkedElementCount(llvm::ArrayRef<int64_t> shape) {
  int64_t count = 1;
  for (int64_t d : shape)
    if (d < 0 || __builtin_mul_overflow(count, d, &count))
      return std::nullopt;
  return count;
}

/// True if `count` elements of `elementBytes` bytes each fit the limit.
inline bool fitsMaterializationLimit(int64_t count, int64_t elementBytes) {
  return count >= 0 && elementBytes > 0 &&
         count <= kMaxMaterializedBytes / elementBytes;
}

} // namespace potq

namespace potq {

/// The error for `op` refusing to materialise `what` (`count` elements of
/// `elementBytes` bytes each; a negative count: more than int64 holds).
inline InFlightDiagnostic emitOverLimitError(Operation *op, const Twine &what,
                                             int64_t count,
                                             int64_t elementBytes) {
  InFlightDiagnostic diag = op->emitOpError()
                            << "cannot materialise " << what << " of ";
  if (count < 0)
    diag << "more than 2^63";
  else
    diag << count;
  diag << " elements (" << elementBytes << " bytes each): over potq's limit of "
       << ::potq::kMaxMaterializedBytes << " bytes per tensor";
  return diag;
}

/// Bytes of one element of `type` in memory (at least one).
inline int64_t elementBytes(Type type) {
  if (type.isIntOrIndexOrFloat())
    return type.isIndex()
               ? 8
               : std::max<int64_t>(1, (type.getIntOrFloatBitWidth() + 7) / 8);
  return 8;
}

/// Checks every elements attribute of every op under `root` (constants,
/// globals) against the limit: what the JIT and the emitters would copy
/// into LLVM IR and object code. Reports each offender.
inline LogicalResult checkMaterializationLimits(Operation *root) {
  bool ok = true;
  root->walk([&](Operation *op) {
    for (NamedAttribute attr : op->getAttrs()) {
      auto elements = dyn_cast<ElementsAttr>(attr.getValue());
      if (!elements)
        continue;
      ShapedType type = elements.getShapedType();
      std::optional<int64_t> count =
          ::potq::checkedElementCount(type.getShape());
      int64_t bytes = elementBytes(type.getElementType());
      if (count && ::potq::fitsMaterializationLimit(*count, bytes))
        continue;
      emitOverLimitError(op, "constant '" + attr.getName().strref() + "'",
                         count.value_or(-1), bytes);
      ok = false;
    }
  });
  return success(ok);
}

} // namespace potq

#endif // POTQ_LIMITS_H
