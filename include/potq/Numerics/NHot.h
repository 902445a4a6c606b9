//===- NHot.h - Signed-digit recoding of weight levels ----------*- C++ -*-===//
//
// Bit-level sparsity (docs/BitSparsity.md): the cost of a shift-add layer is
// its number of nonzero power-of-two terms. Two recodings lower it:
//
// - exact: every level keeps its value and is re-encoded in its minimal
//   signed-digit form (NAF/CSD), as the tightest `nhot<terms, max_exp>`
//   encoding holding all levels in use;
// - budgeted: real weights are projected (SPEC section 4) onto
//   `nhot<terms = N, max_exp = E>` with scales minimising the squared error,
//   E chosen from the data unless given.
//
// Plain C++17, like the rest of the numerics library.
//
//===----------------------------------------------------------------------===//

#ifndef POTQ_NUMERICS_NHOT_H
#define POTQ_NUMERICS_NHOT_H

#include "potq/Numerics/Encoding.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace potq::numerics {

/// The induced error of replacing `original` by `recoded` (same length).
struct RecodeError {
  double mse = 0.0;    ///< mean of (original - recoded)^2
  double maxAbs = 0.0; ///< largest |original - recoded|
  /// sqrt(mse) / sqrt(mean(original^2)); 0 when `original` is all zero.
  double relativeRmse = 0.0;
};
RecodeError recodeError(const float *original, const float *recoded, size_t n);

/// Exact mode: the smallest `nhot<terms = N, max_exp = E>` holding every
/// level of `levels` with its value unchanged and its minimal number of
/// terms: N is the largest NAF weight (nonzero signed digits) and E the
/// smallest window in which every level keeps its NAF weight (a window too
/// small holds a level only with more terms: 120 = 128 - 8 = 64+32+16+8).
/// std::nullopt when some level needs more than 4 terms or an exponent
/// above 15 (outside the nhot parameter range).
std::optional<Encoding> tightestNHot(const std::vector<int64_t> &levels);

/// Budgeted mode parameters.
struct NHotOptions {
  /// N, in [1, 4].
  unsigned terms = 2;
  /// E, in [0, 15]; chosen by `chooseMaxExp` when absent.
  std::optional<unsigned> maxExp;
  /// One scale per slice along this axis (per output channel); one scale
  /// for the whole tensor when absent.
  std::optional<unsigned> channelAxis;
};

/// The result of projecting weights onto an nhot encoding.
struct NHotFit {
  Encoding encoding;
  /// One scale, or one per channel along `NHotOptions::channelAxis`.
  std::vector<float> scales;
  /// The projected levels, row-major like the weights.
  std::vector<int64_t> levels;
  RecodeError error;
  /// Sum over levels of their number of nonzero terms.
  int64_t nonzeroTerms = 0;
};

/// Budgeted mode: projects the row-major weights `w` of `shape` onto
/// `nhot<terms, max_exp>` with msqe scales (SPEC section 5).
NHotFit fitNHot(const float *w, const std::vector<int64_t> &shape,
                const NHotOptions &options);

/// The exponent window chosen from the data: the smallest E whose best
/// (msqe) squared error the next E does not lower by more than 0.1%. The
/// error never grows with E (nhot<N, E+1> holds 2 * nhot<N, E>), so larger
/// windows only cost shifter range. Searched on at most 16384 evenly
/// strided weights.
unsigned chooseMaxExp(const float *w, size_t n, unsigned terms);

/// One candidate of a layer for `allocateTermBudget`.
struct TermChoice {
  int64_t nonzeroTerms;
  /// Any error measure comparable across layers; smaller is better.
  double error;
};

/// Chooses one candidate per layer (`candidates[layer]` ordered by
/// increasing term count, e.g. N = 1..4) so that the total nonzero terms stay
/// within `budget`: starts from each layer's first candidate and greedily
/// takes the upgrade with the largest error decrease per added term that
/// still fits. Returns the chosen index per layer, or std::nullopt when even
/// the first candidates exceed the budget.
std::optional<std::vector<size_t>>
allocateTermBudget(const std::vector<std::vector<TermChoice>> &candidates,
                   int64_t budget);

} // namespace potq::numerics

#endif // POTQ_NUMERICS_NHOT_H
