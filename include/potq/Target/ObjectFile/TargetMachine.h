//===- TargetMachine.h - Target selection for native code -------*- C++ -*-===//
//
// What potq compiles for: a named preset (x86-64, x86-64-v3, x86-64-v4,
// avx512-vnni, aarch64, native) and explicit triple, CPU and features that
// override it, the way potq-translate's --preset, --target, --mcpu and
// --mattr do (docs/AOT.md). Errors are worded for those flags.
//
//===----------------------------------------------------------------------===//

#ifndef POTQ_TARGET_OBJECTFILE_TARGETMACHINE_H
#define POTQ_TARGET_OBJECTFILE_TARGETMACHINE_H

#include "potq/Support/LLVM.h"

#include "llvm/Support/Error.h"

#include <memory>
#include <string>

namespace llvm {
class TargetMachine;
} // namespace llvm

namespace potq {

/// A target as requested: each field empty unless given.
struct TargetSelection {
  std::string preset;   ///< --preset
  std::string triple;   ///< --target
  std::string cpu;      ///< --mcpu ("native": the host CPU and features)
  std::string features; ///< --mattr, "+a,-b"
};

/// A target with every field decided.
struct ResolvedTarget {
  std::string triple, cpu, features;
};

/// The triple (normalized; default: the host's), CPU (default: generic) and
/// features of `selection`: the preset's values, overridden by explicit
/// ones, with CPU "native" replaced by the host CPU and its features
/// (only for the host architecture).
llvm::Expected<ResolvedTarget> resolveTarget(const TargetSelection &selection);

/// Initializes every target of this LLVM (once; thread-safe).
void initializeLLVMTargets();

/// Creates a position-independent target machine for `target` at code
/// generation level `optLevel` (0..3), with a clear error for an unknown
/// target, a target without a code generator, an unknown CPU or feature, or
/// a feature without '+'/'-'.
llvm::Expected<std::unique_ptr<llvm::TargetMachine>>
createTargetMachine(const ResolvedTarget &target, unsigned optLevel);

/// resolveTarget, then createTargetMachine.
llvm::Expected<std::unique_ptr<llvm::TargetMachine>>
createTargetMachine(const TargetSelection &selection, unsigned optLevel);

} // namespace potq

#endif // POTQ_TARGET_OBJECTFILE_TARGETMACHINE_H
