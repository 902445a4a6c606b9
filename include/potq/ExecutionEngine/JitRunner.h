//===- JitRunner.h - Compile a function and run it --------------*- C++ -*-===//
//
// The compiled counterpart of the reference interpreter: lowers a module
// through a potq pipeline and potq-lower-to-llvm, JIT-compiles it with
// mlir::ExecutionEngine and calls one function on interpreter tensors, so
// both execution modes can be compared bit for bit on the same data. Used by
// potq-run --jit and the Python package's CompiledModule.run.
//
//===----------------------------------------------------------------------===//

#ifndef POTQ_EXECUTIONENGINE_JITRUNNER_H
#define POTQ_EXECUTIONENGINE_JITRUNNER_H

#include "potq/Support/LLVM.h"

#include "potq/TensorIO/Tensor.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Support/LLVM.h"

#include <memory>
#include <string>

namespace mlir {
class ExecutionEngine;
} // namespace mlir

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

/// Function `entry` of a module compiled to native code, callable any
/// number of times (the Python package compiles once and runs many
/// batches). It keeps the MLIR types of the function's signature: the
/// module's context must outlive it.
class CompiledFunction {
public:
  /// Compiles `module` (which is not modified) through `options.pipeline`
  /// and potq-lower-to-llvm and JIT-compiles it. Diagnostics are emitted on
  /// the module.
  static mlir::FailureOr<std::unique_ptr<CompiledFunction>>
  create(mlir::ModuleOp module, llvm::StringRef entry,
         const JitOptions &options);

  /// Runs the function on `args`, whose types must match its original
  /// signature: quantized tensors carry levels. Results come back with the
  /// function's original result types. Diagnostics are emitted at the
  /// function's location. Safe to call from several threads at once.
  mlir::FailureOr<llvm::SmallVector<interp::Tensor>>
  call(llvm::ArrayRef<interp::Tensor> args) const;

  mlir::FunctionType getSignature() const { return signature; }

  ~CompiledFunction();

private:
  CompiledFunction(std::unique_ptr<mlir::ExecutionEngine> engine,
                   mlir::FunctionType signature, mlir::Location loc,
                   std::string entry);

  std::unique_ptr<mlir::ExecutionEngine> engine;
  mlir::FunctionType signature;
  mlir::Location loc;
  std::string entry;
};

/// CompiledFunction::create, then one call: compiles `module` (which is not
/// modified) and runs function `entry` on `args`.
mlir::FailureOr<llvm::SmallVector<interp::Tensor>>
runCompiled(mlir::ModuleOp module, llvm::StringRef entry,
            llvm::ArrayRef<interp::Tensor> args, const JitOptions &options);

} // namespace potq::jit

#endif // POTQ_EXECUTIONENGINE_JITRUNNER_H
