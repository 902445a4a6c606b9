//===- PrepareCAbi.cpp - The C ABI of compiled potq functions -------------===//

#include "potq/Transforms/Passes.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/BuiltinOps.h"

namespace potq {
#define GEN_PASS_DEF_POTQPREPARECABI
#include "potq/Transforms/Passes.h.inc"
} // namespace potq

using namespace mlir;

namespace {
struct PrepareCAbiPass : potq::impl::PotqPrepareCAbiBase<PrepareCAbiPass> {
  void runOnOperation() override {
    MLIRContext *context = &getContext();
    for (auto func : getOperation().getOps<func::FuncOp>()) {
      if (!func.isPublic() || func.isExternal())
        continue;
      func->setAttr(LLVM::LLVMDialect::getEmitCWrapperAttrName(),
                    UnitAttr::get(context));
      for (unsigned i = 0, e = func.getNumArguments(); i < e; ++i)
        if (isa<TensorType>(func.getArgument(i).getType()))
          func.setArgAttr(
              i, bufferization::BufferizationDialect::kWritableAttrName,
              BoolAttr::get(context, false));
    }
  }
};
} // namespace
