//===- ExpandStridedCopies.cpp - memref.copy that needs no runtime --------===//
//
// potq-expand-strided-copies: a memref.copy that finalize-memref-to-llvm
// would lower to a call of MLIR's `memrefCopy` becomes a linalg.copy.
//
//===----------------------------------------------------------------------===//

#include "potq/Transforms/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/MemRef/Utils/MemRefUtils.h"
#include "mlir/IR/BuiltinOps.h"

namespace potq {
#define GEN_PASS_DEF_POTQEXPANDSTRIDEDCOPIES
#include "potq/Transforms/Passes.h.inc"
} // namespace potq

using namespace mlir;

namespace {

/// The condition under which finalize-memref-to-llvm lowers a copy of (or
/// into) `type` to a memcpy.
bool lowersToMemcpy(Type type) {
  auto memref = dyn_cast<MemRefType>(type);
  return memref && (memref.getLayout().isIdentity() ||
                    (memref.hasStaticShape() && memref.getNumElements() > 0 &&
                     memref::isStaticShapeAndContiguousRowMajor(memref)));
}

struct PotqExpandStridedCopiesPass
    : potq::impl::PotqExpandStridedCopiesBase<PotqExpandStridedCopiesPass> {
  void runOnOperation() override {
    WalkResult result = getOperation().walk([](memref::CopyOp copy) {
      Type source = copy.getSource().getType();
      Type target = copy.getTarget().getType();
      if (lowersToMemcpy(source) && lowersToMemcpy(target))
        return WalkResult::advance();
      // linalg.copy has no loops over an unranked memref.
      if (!isa<MemRefType>(source) || !isa<MemRefType>(target)) {
        copy.emitOpError("copies an unranked memref, which needs MLIR's "
                         "memrefCopy runtime function; potq code does not "
                         "link it");
        return WalkResult::interrupt();
      }
      OpBuilder b(copy);
      linalg::CopyOp::create(b, copy.getLoc(), copy.getSource(),
                             copy.getTarget());
      copy.erase();
      return WalkResult::advance();
    });
    if (result.wasInterrupted())
      signalPassFailure();
  }
};

} // namespace
