//===- JitRunner.h - Compile a function and run it --------------*- C++ -*-===//
//
// The compiled counterpart of the reference interpreter: lowers a module
// through a potq pipeline and potq-lower-to-llvm, JIT-compiles it with
// mlir::ExecutionEngine and calls one function on interpreter tensors, so
// both execution modes can be compared bit for bit on the same data.
//
//===----------------------------------------------------------------------===//

#ifndef POTQ_EXECUTIONENGINE_JITRUNNER_H
#define POTQ_EXECUTIONENGINE_JITRUNNER_H

#include "potq/Support/LLVM.h"

#include "potq/TensorIO/Tensor.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Support/LLVM.h"

#include <string>

namespace potq::jit {

struct JitOptions {
  /// Textual pass pipeline run before potq-lower-to-llvm (e.g.
  /// "builtin.module(potq-qat-to-shift-add)"); empty runs none.
  std::string pipeline = "builtin.module(potq-qat-to-shift-add)";
  /// What diagnostics call `pipeline`: a tool names its flag (potq-run says
  /// "--pipeline").
  std::string pipelineName = "pass pipeline";
  /// LLVM optimization level (0-3).
  unsigned optLevel = 2;
};

/// Compiles `module` (which is not modified) and runs function `entry` on
/// `args`, whose types must match the function's original signature:
/// quantized tensors carry levels. Results come back with the function's
/// original result types. Diagnostics are emitted on the module.
mlir::FailureOr<llvm::SmallVector<interp::Tensor>>
runCompiled(mlir::ModuleOp module, llvm::StringRef entry,
            llvm::ArrayRef<interp::Tensor> args, const JitOptions &options);

} // namespace potq::jit

#endif // POTQ_EXECUTIONENGINE_JITRUNNER_H
