//===- TargetMachine.cpp - Target selection for native code ---------------===//

#include "potq/Target/ObjectFile/TargetMachine.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/CodeGen.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/Target/TargetOptions.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/Triple.h"

#include <cassert>
#include <mutex>
#include <optional>

using namespace potq;

namespace {

/// A named target (--preset). The order is the one --preset's error lists.
struct TargetPreset {
  const char *name;
  const char *triple; ///< "" stands for the host triple.
  const char *cpu;
  const char *features;
};

const TargetPreset presets[] = {
    {"x86-64", "x86_64-unknown-linux-gnu", "x86-64", ""},
    {"x86-64-v3", "x86_64-unknown-linux-gnu", "x86-64-v3", ""},
    {"x86-64-v4", "x86_64-unknown-linux-gnu", "x86-64-v4", ""},
    {"avx512-vnni", "x86_64-unknown-linux-gnu", "x86-64-v4", "+avx512vnni"},
    {"aarch64", "aarch64-unknown-linux-gnu", "generic", "+neon"},
    {"native", "", "native", ""},
};

llvm::Error error(const Twine &message) {
  return llvm::createStringError(message.str());
}

/// The host's CPU features as "+a,-b,...".
std::string hostFeatures() {
  SmallVector<std::string> list;
  for (const auto &feature : llvm::sys::getHostCPUFeatures())
    list.push_back((feature.second ? "+" : "-") + feature.first().str());
  llvm::sort(list);
  return llvm::join(list, ",");
}

} // namespace

llvm::Expected<ResolvedTarget>
potq::resolveTarget(const TargetSelection &selection) {
  ResolvedTarget target{llvm::sys::getDefaultTargetTriple(), "generic", ""};
  if (!selection.preset.empty()) {
    const TargetPreset *preset = nullptr;
    for (const TargetPreset &p : presets)
      if (selection.preset == p.name)
        preset = &p;
    if (!preset) {
      SmallVector<StringRef> names;
      for (const TargetPreset &p : presets)
        names.push_back(p.name);
      return error("unknown --preset '" + selection.preset +
                   "' (known: " + llvm::join(names, ", ") + ")");
    }
    if (*preset->triple)
      target.triple = preset->triple;
    target.cpu = preset->cpu;
    target.features = preset->features;
  }
  if (!selection.triple.empty())
    target.triple = selection.triple;
  if (!selection.cpu.empty())
    target.cpu = selection.cpu;
  if (!selection.features.empty())
    target.features = selection.features;
  target.triple = llvm::Triple::normalize(target.triple);
  if (target.cpu == "native") {
    if (llvm::Triple(target.triple).getArch() !=
        llvm::Triple(llvm::sys::getProcessTriple()).getArch())
      return error("--mcpu=native needs the host architecture, but the "
                   "target is '" +
                   target.triple + "'");
    target.cpu = llvm::sys::getHostCPUName().str();
    std::string host = hostFeatures();
    target.features = target.features.empty() ? host
                      : host.empty()          ? target.features
                                              : host + "," + target.features;
  }
  return target;
}

void potq::initializeLLVMTargets() {
  static std::once_flag once;
  std::call_once(once, [] {
    llvm::InitializeAllTargetInfos();
    llvm::InitializeAllTargets();
    llvm::InitializeAllTargetMCs();
    llvm::InitializeAllAsmPrinters();
  });
}

llvm::Expected<std::unique_ptr<llvm::TargetMachine>>
potq::createTargetMachine(const ResolvedTarget &c, unsigned optLevel) {
  initializeLLVMTargets();
  std::string message;
  llvm::Triple triple(c.triple);
  const llvm::Target *target =
      llvm::TargetRegistry::lookupTarget(triple, message);
  if (target && !target->hasTargetMachine())
    message = "no code generator for it in this LLVM";
  if (!target || !target->hasTargetMachine())
    return error("unknown target '" + c.triple + "': " + message);
  std::unique_ptr<llvm::MCSubtargetInfo> sti(
      target->createMCSubtargetInfo(triple, "", ""));
  // Every target with a code generator has subtarget information.
  assert(sti && "a code generator without subtarget information");
  if (!sti->isCPUStringValid(c.cpu))
    return error("unknown CPU '" + c.cpu + "' for target '" + c.triple +
                 "' (llc-22 -mtriple=" + c.triple + " -mcpu=help lists them)");
  llvm::StringSet<> known;
  for (const llvm::SubtargetFeatureKV &kv : sti->getAllProcessorFeatures())
    known.insert(kv.Key);
  SmallVector<StringRef> features;
  StringRef(c.features).split(features, ',', -1, /*KeepEmpty=*/false);
  for (StringRef feature : features) {
    feature = feature.trim();
    if (!feature.starts_with("+") && !feature.starts_with("-"))
      return error("target feature '" + feature +
                   "' must start with '+' (enable) or '-' (disable)");
    if (!known.contains(feature.drop_front()))
      return error("unknown target feature '" + feature.drop_front() +
                   "' for target '" + c.triple + "' (llc-22 -mtriple=" +
                   c.triple + " -mattr=help lists them)");
  }
  if (optLevel > 3)
    return error("--opt-level must be 0, 1, 2 or 3, got " + Twine(optLevel));
  llvm::CodeGenOptLevel level = llvm::CodeGenOpt::getLevel(optLevel).value_or(
      llvm::CodeGenOptLevel::Default);
  llvm::TargetOptions options;
  std::unique_ptr<llvm::TargetMachine> machine(
      target->createTargetMachine(triple, c.cpu, c.features, options,
                                  llvm::Reloc::PIC_, std::nullopt, level));
  // Only null for targets without a code generator, rejected above.
  assert(machine && "no target machine for a code generator");
  return std::move(machine);
}

llvm::Expected<std::unique_ptr<llvm::TargetMachine>>
potq::createTargetMachine(const TargetSelection &selection, unsigned optLevel) {
  llvm::Expected<ResolvedTarget> target = resolveTarget(selection);
  if (!target)
    return target.takeError();
  return createTargetMachine(*target, optLevel);
}
