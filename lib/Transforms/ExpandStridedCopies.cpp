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
  return memref &&
         (memref.getLayout().isIdentity() ||
          (memref.hasStaticShape() && memref.getNumElements() > 0 &&
           memref::isStaticShapeAndContiguousRowMajor(memref)));
}

struct PotqExpandStridedCopiesPass
    : potq::impl::PotqExpandStridedCopiesBase<PotqExpandStridedCopiesPass> {
  void runOnOperation() override {
    getOperation().walk([](memref::CopyOp copy) {
      if (lowersToMemcpy(copy.getSource().getType()) &&
          lowersToMemcpy(copy.getTarget().getType()))
        return;
      OpBuilder b(copy);
      linalg::CopyOp::create(b, copy.getLoc(), copy.getSource(),
                             copy.getTarget());
      copy.erase();
    });
  }
};

} // namespace
