//===- NHot.cpp - Signed-digit recoding of weight levels ------------------===//

#include "potq/Numerics/NHot.h"
#include "potq/Numerics/Projection.h"
#include "potq/Numerics/ScaleSelection.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>

using namespace potq::numerics;

RecodeError potq::numerics::recodeError(const float *original,
                                        const float *recoded, size_t n) {
  RecodeError e;
  if (n == 0)
    return e;
  double sumSq = 0.0, sumOrigSq = 0.0;
  for (size_t i = 0; i < n; ++i) {
    double d = double(original[i]) - double(recoded[i]);
    sumSq += d * d;
    sumOrigSq += double(original[i]) * double(original[i]);
    e.maxAbs = std::max(e.maxAbs, std::fabs(d));
  }
  e.mse = sumSq / double(n);
  e.relativeRmse = sumOrigSq > 0.0 ? std::sqrt(sumSq / sumOrigSq) : 0.0;
  return e;
}

std::optional<Encoding>
potq::numerics::tightestNHot(const std::vector<int64_t> &levels) {
  size_t terms = 1;
  unsigned nafExp = 0;
  for (int64_t level : levels) {
    std::vector<Term> naf = nonAdjacentForm(level);
    terms = std::max(terms, naf.size());
    for (const Term &t : naf)
      nafExp = std::max(nafExp, t.exp);
  }
  if (Encoding::nhot(unsigned(std::min<size_t>(terms, 1000)), nafExp).verify())
    return std::nullopt;
  // The NAF window always works; a smaller one may too (11 = 16 - 4 - 1 =
  // 8 + 2 + 1). Take the smallest that keeps every level's term count.
  for (unsigned e = 0; e < nafExp; ++e) {
    const LevelSet &set = LevelSet::get(Encoding::nhot(unsigned(terms), e));
    bool keeps = std::all_of(levels.begin(), levels.end(), [&](int64_t l) {
      return set.contains(l) &&
             set.decompose(l).size() == nonAdjacentForm(l).size();
    });
    if (keeps)
      return Encoding::nhot(unsigned(terms), e);
  }
  return Encoding::nhot(unsigned(terms), nafExp);
}

/// Per-tensor msqe scale and its squared error on `w`.
static double bestError(const std::vector<float> &w, const LevelSet &levels) {
  float scale = chooseScale(w.data(), w.size(), levels,
                            {ScaleMethod::Msqe, /*powerOfTwo=*/false});
  return quantizationError(w.data(), w.size(), scale, levels);
}

unsigned potq::numerics::chooseMaxExp(const float *w, size_t n,
                                      unsigned terms) {
  constexpr size_t kSample = 16384;
  std::vector<float> sample;
  size_t stride = std::max<size_t>(1, (n + kSample - 1) / kSample);
  for (size_t i = 0; i < n; i += stride)
    if (std::isfinite(w[i]))
      sample.push_back(w[i]);
  unsigned chosen = 0;
  double previous = bestError(sample, LevelSet::get(Encoding::nhot(terms, 0)));
  for (unsigned e = 1; e <= 15; ++e) {
    double current = bestError(sample, LevelSet::get(Encoding::nhot(terms, e)));
    if (!(current < previous * (1.0 - 1e-3)))
      break;
    previous = current;
    chosen = e;
  }
  return chosen;
}

NHotFit potq::numerics::fitNHot(const float *w,
                                const std::vector<int64_t> &shape,
                                const NHotOptions &options) {
  size_t n = 1;
  for (int64_t d : shape)
    n *= size_t(d);
  unsigned maxExp =
      options.maxExp ? *options.maxExp : chooseMaxExp(w, n, options.terms);
  NHotFit fit;
  fit.encoding = Encoding::nhot(options.terms, maxExp);
  assert(!fit.encoding.verify() && "nhot parameters out of range");
  const LevelSet &levels = LevelSet::get(fit.encoding);
  ScaleOptions scaleOptions{ScaleMethod::Msqe, /*powerOfTwo=*/false};
  size_t channelStride = 1, channels = 1;
  if (options.channelAxis) {
    fit.scales = chooseScalesPerChannel(w, shape, *options.channelAxis, levels,
                                        scaleOptions);
    channels = size_t(shape[*options.channelAxis]);
    for (size_t d = *options.channelAxis + 1; d < shape.size(); ++d)
      channelStride *= size_t(shape[d]);
  } else {
    fit.scales = {chooseScale(w, n, levels, scaleOptions)};
  }
  std::vector<float> recoded(n);
  fit.levels.resize(n);
  for (size_t i = 0; i < n; ++i) {
    float scale = fit.scales[(i / channelStride) % channels];
    fit.levels[i] = project(w[i], scale, levels);
    recoded[i] = dequantize(fit.levels[i], scale);
    fit.nonzeroTerms += int64_t(levels.decompose(fit.levels[i]).size());
  }
  fit.error = recodeError(w, recoded.data(), n);
  return fit;
}

std::optional<std::vector<size_t>> potq::numerics::allocateTermBudget(
    const std::vector<std::vector<TermChoice>> &candidates, int64_t budget) {
  std::vector<size_t> chosen(candidates.size(), 0);
  int64_t total = 0;
  for (const auto &layer : candidates) {
    assert(!layer.empty() && "every layer needs a candidate");
    total += layer.front().nonzeroTerms;
  }
  if (total > budget)
    return std::nullopt;
  while (true) {
    // The upgrade (layer, candidate) with the best error decrease per added
    // term; one that adds no term and lowers the error wins outright.
    size_t bestLayer = 0, bestCandidate = 0;
    double bestGain = 0.0;
    for (size_t l = 0; l < candidates.size(); ++l) {
      const TermChoice &current = candidates[l][chosen[l]];
      for (size_t c = chosen[l] + 1; c < candidates[l].size(); ++c) {
        const TermChoice &next = candidates[l][c];
        int64_t added = next.nonzeroTerms - current.nonzeroTerms;
        double decrease = current.error - next.error;
        if (total + added > budget || !(decrease > 0.0))
          continue;
        double gain = added <= 0 ? std::numeric_limits<double>::infinity()
                                 : decrease / double(added);
        if (gain > bestGain) {
          bestGain = gain;
          bestLayer = l;
          bestCandidate = c;
        }
      }
    }
    if (bestGain == 0.0)
      return chosen;
    total += candidates[bestLayer][bestCandidate].nonzeroTerms -
             candidates[bestLayer][chosen[bestLayer]].nonzeroTerms;
    chosen[bestLayer] = bestCandidate;
  }
}
