//===- PotqToLinalg.h - potq -> integer linalg/arith ------------*- C++ -*-===//

#ifndef POTQ_CONVERSION_POTQTOLINALG_POTQTOLINALG_H
#define POTQ_CONVERSION_POTQTOLINALG_POTQTOLINALG_H

#include "potq/Runtime/Runtime.h"
#include "potq/Support/EnumOption.h"
#include "potq/Support/LLVM.h"

#include "mlir/Transforms/DialectConversion.h"

#include <cstdint>

namespace potq {

/// How contractions accumulate (`kernels`).
enum class ContractionKernels {
  Loops,  ///< shift-add linalg.generic loops
  Runtime ///< calls into the native kernel runtime where eligible
};

/// The runtime's kernel strategy (`strategy`): potq_gemm's POTQ_STRATEGY_*.
enum class KernelStrategy : int32_t {
  Auto = POTQ_STRATEGY_AUTO,
  Dot = POTQ_STRATEGY_DOT,
  ShiftAdd = POTQ_STRATEGY_SHIFT_ADD
};

/// The instruction set of the runtime's kernels (`isa`): potq_gemm's
/// POTQ_ISA_*, named as the runtime's potq_isa_name spells them.
enum class KernelIsa : int32_t {
  Auto = POTQ_ISA_AUTO,
  Scalar = POTQ_ISA_SCALAR,
  Avx2 = POTQ_ISA_AVX2,
  AvxVnni = POTQ_ISA_AVXVNNI,
  Avx512 = POTQ_ISA_AVX512,
  Neon = POTQ_ISA_NEON
};

} // namespace potq

POTQ_ENUM_OPTION_PARSER(potq::ContractionKernels)
POTQ_ENUM_OPTION_PARSER(potq::KernelStrategy)
POTQ_ENUM_OPTION_PARSER(potq::KernelIsa)

namespace potq {

/// The words of `kernels` (convert-potq-to-linalg, potq-qat-to-shift-add,
/// potq-translate --kernels).
inline llvm::cl::ValuesClass contractionKernelsValues() {
  return llvm::cl::values(
      clEnumValN(ContractionKernels::Loops, "loops",
                 "shift-add linalg.generic loops"),
      clEnumValN(ContractionKernels::Runtime, "runtime",
                 "calls into the PotqRuntime kernels where eligible"));
}

/// The words of `strategy` (and potq-translate --kernel-strategy).
inline llvm::cl::ValuesClass kernelStrategyValues() {
  return llvm::cl::values(
      clEnumValN(KernelStrategy::Auto, "auto",
                 "the runtime's cost model (potq_select_strategy)"),
      clEnumValN(KernelStrategy::Dot, "dot",
                 "decode codes to int8, integer dot products"),
      clEnumValN(KernelStrategy::ShiftAdd, "shift-add",
                 "multiplierless: sums of +-(x << e) terms"));
}

/// The words of `isa` (and potq-translate --kernel-isa): the runtime's
/// names (potq_isa_name).
inline llvm::cl::ValuesClass kernelIsaValues() {
  auto value = [](KernelIsa isa, llvm::StringRef help) {
    return llvm::cl::OptionEnumValue{potq_isa_name(int32_t(isa)), int(isa),
                                     help};
  };
  return llvm::cl::values(
      value(KernelIsa::Auto, "POTQ_ISA, else the best of the host running the "
                             "code"),
      value(KernelIsa::Scalar, "portable C++"), value(KernelIsa::Avx2, "AVX2"),
      value(KernelIsa::AvxVnni, "AVX2 + AVX-VNNI"),
      value(KernelIsa::Avx512, "AVX-512 F/BW/VL/VBMI/VNNI"),
      value(KernelIsa::Neon, "AArch64 NEON"));
}

/// How convert-potq-to-linalg lowers the accumulation of contractions.
struct ContractionKernelOptions {
  ContractionKernels kernels = ContractionKernels::Loops;
  /// kernels=runtime: potq_gemm's strategy, isa and threads (<= 0:
  /// POTQ_NUM_THREADS, else the hardware concurrency).
  KernelStrategy strategy = KernelStrategy::Auto;
  KernelIsa isa = KernelIsa::Auto;
  int32_t threads = 0;
  /// A remark per contraction: runtime call, or why it keeps the loops.
  bool report = false;
};

/// Converts `tensor<... x !potq.q<...>>` to `tensor<... x iN>` (the storage
/// integer type); every other type is legal as is.
class PotqStorageTypeConverter : public mlir::TypeConverter {
public:
  PotqStorageTypeConverter();
};

/// Patterns lowering every potq op to integer linalg/arith/tensor IR, the
/// contractions' accumulation as `kernels` says.
void populatePotqToLinalgPatterns(const mlir::TypeConverter &converter,
                                  mlir::RewritePatternSet &patterns,
                                  const ContractionKernelOptions &kernels = {});

} // namespace potq

#endif // POTQ_CONVERSION_POTQTOLINALG_POTQTOLINALG_H
