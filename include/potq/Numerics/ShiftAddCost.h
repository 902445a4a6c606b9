//===- ShiftAddCost.h - Operation counts and energy of shift-add layers -*-===//
//
// Counts what a layer with frozen weight levels costs when every product
// x * L is computed as Σ_t s_t * (x << e_t) (SPEC section 2), with and
// without sharing terms across output channels, and turns counts into an
// energy estimate from a configurable per-operation table. Definitions and
// the default table are in docs/BitSparsity.md.
//
//===----------------------------------------------------------------------===//

#ifndef POTQ_NUMERICS_SHIFTADDCOST_H
#define POTQ_NUMERICS_SHIFTADDCOST_H

#include "potq/Numerics/Encoding.h"

#include <cstdint>
#include <utility>
#include <vector>

namespace potq::numerics {

/// Operation counts for one application of a weight matrix (one output
/// position: one row of a matmul, one pixel of a convolution).
struct ShiftAddCounts {
  int64_t weights = 0;
  int64_t nonzeroWeights = 0;
  /// Nonzero terms of the canonical decompositions (what potq computes).
  int64_t terms = 0;
  /// Σ popcount(|L|): terms of a plain binary shift-add, for comparison.
  int64_t binaryTerms = 0;
  /// Direct form: one shift per term with a nonzero exponent, and per
  /// output channel one add/subtract per term after the first.
  int64_t shifts = 0;
  int64_t adds = 0;
  /// Shared form (transposed, as multiple-constant-multiplication adder
  /// graphs do): per input, each distinct odd fundamental f of the levels it
  /// meets is built once from its CSD digits (csd(f) - 1 adds, one shift per
  /// distinct digit exponent), each distinct f << s once (one shift), and
  /// every output channel adds one product per nonzero weight. Equal to the
  /// direct form when output channels do not share inputs (depthwise).
  int64_t sharedShifts = 0;
  int64_t sharedAdds = 0;

  ShiftAddCounts &operator+=(const ShiftAddCounts &o);
  ShiftAddCounts scaled(int64_t factor) const;
};

/// Counts for the weight matrix `levels` (row-major `rows` x `cols`): each
/// row is one reduction index (one input element), each column one output
/// channel. Levels must be in `levelSet`. `columnsShareInput` is false when
/// each column reads its own input (depthwise convolutions): nothing is then
/// shared across columns.
ShiftAddCounts countShiftAdd(const LevelSet &levelSet, const int64_t *levels,
                             int64_t rows, int64_t cols,
                             bool columnsShareInput);

/// countShiftAdd of a `rows` x `cols` matrix whose levels all equal `level`
/// (a splat weight), without expanding it. Counts saturate at INT64_MAX, as
/// do sums and scalings of ShiftAddCounts.
ShiftAddCounts countShiftAddSplat(const LevelSet &levelSet, int64_t level,
                                  int64_t rows, int64_t cols,
                                  bool columnsShareInput);

/// Energy per operation in picojoules. Defaults: 45 nm figures of Horowitz,
/// "Computing's energy problem", ISSCC 2014. Horowitz gives no shifter
/// figure; `shift` defaults to the 8-bit add.
struct EnergyTable {
  double add8 = 0.03;
  double mul8 = 0.2;
  double add32 = 0.1;
  double mul32 = 3.1;
  double fadd32 = 0.9;
  double fmul32 = 3.7;
  double shift = 0.03;

  /// The table's fields by name, for reading and printing them.
  static const std::vector<std::pair<const char *, double EnergyTable::*>> &
  fields();
  /// One add at an accumulator of `bits` (32 or 64; 64 counts as two 32-bit
  /// adds).
  double accumulatorAdd(unsigned bits) const;
};

/// Energies in picojoules of `macs` multiply-accumulates and of shift-add
/// counts (direct or shared form) with accumulators of `accBits`.
double int8MacEnergy(const EnergyTable &table, int64_t macs);
double fp32MacEnergy(const EnergyTable &table, int64_t macs);
double shiftAddEnergy(const EnergyTable &table, int64_t shifts, int64_t adds,
                      unsigned accBits);

} // namespace potq::numerics

#endif // POTQ_NUMERICS_SHIFTADDCOST_H
