//===- ShiftAddCost.cpp - Operation counts and energy of shift-add layers -===//

#include "potq/Numerics/ShiftAddCost.h"
#include "potq/Support/Saturating.h"

#include <algorithm>
#include <bitset>
#include <cstdint>
#include <cstdlib>
#include <set>
#include <utility>

using namespace potq::numerics;
using potq::addSat;
using potq::mulSat;

/// Every count, so that sums and scalings cannot miss a field.
static constexpr int64_t ShiftAddCounts::*kCountFields[] = {
    &ShiftAddCounts::weights,      &ShiftAddCounts::nonzeroWeights,
    &ShiftAddCounts::terms,        &ShiftAddCounts::binaryTerms,
    &ShiftAddCounts::shifts,       &ShiftAddCounts::adds,
    &ShiftAddCounts::sharedShifts, &ShiftAddCounts::sharedAdds};

// Counts are non-negative and saturate at INT64_MAX (potq::mulSat/addSat):
// huge (splat) weights times many output positions must not wrap around.

ShiftAddCounts &ShiftAddCounts::operator+=(const ShiftAddCounts &o) {
  for (int64_t ShiftAddCounts::*field : kCountFields)
    this->*field = addSat(this->*field, o.*field);
  return *this;
}

ShiftAddCounts ShiftAddCounts::scaled(int64_t factor) const {
  ShiftAddCounts s = *this;
  for (int64_t ShiftAddCounts::*field : kCountFields)
    s.*field = mulSat(s.*field, factor);
  return s;
}

static int64_t magnitude(int64_t level) { return level < 0 ? -level : level; }

/// Shifts and adds of the shared form for one row: the distinct nonzero
/// magnitudes the row's weights take.
static std::pair<int64_t, int64_t>
sharedRowCost(const std::set<int64_t> &magnitudes) {
  std::set<unsigned> digitExps;               // x << e feeding fundamentals
  std::set<std::pair<int64_t, int>> products; // f << s with s > 0
  std::set<int64_t> fundamentals;
  for (int64_t m : magnitudes) {
    int s = 0;
    while ((m & 1) == 0) {
      m >>= 1;
      ++s;
    }
    fundamentals.insert(m);
    if (s > 0)
      products.insert({m, s});
  }
  int64_t adds = 0;
  for (int64_t f : fundamentals) {
    if (f == 1)
      continue;
    std::vector<Term> csd = nonAdjacentForm(f);
    adds += int64_t(csd.size()) - 1;
    for (const Term &t : csd)
      if (t.exp > 0)
        digitExps.insert(t.exp);
  }
  return {int64_t(digitExps.size() + products.size()), adds};
}

ShiftAddCounts potq::numerics::countShiftAdd(const LevelSet &levelSet,
                                             const int64_t *levels,
                                             int64_t rows, int64_t cols,
                                             bool columnsShareInput) {
  ShiftAddCounts c;
  std::vector<int64_t> termsPerColumn(size_t(cols), 0);
  std::vector<int64_t> nonzeroPerColumn(size_t(cols), 0);
  for (int64_t r = 0; r < rows; ++r) {
    std::set<int64_t> magnitudes;
    for (int64_t col = 0; col < cols; ++col) {
      int64_t level = levels[r * cols + col];
      const std::vector<Term> &terms = levelSet.decompose(level);
      ++c.weights;
      c.terms += int64_t(terms.size());
      c.binaryTerms +=
          int64_t(std::bitset<64>(uint64_t(magnitude(level))).count());
      for (const Term &t : terms)
        c.shifts += t.exp > 0;
      termsPerColumn[size_t(col)] += int64_t(terms.size());
      if (level != 0) {
        ++c.nonzeroWeights;
        ++nonzeroPerColumn[size_t(col)];
        magnitudes.insert(magnitude(level));
      }
    }
    if (columnsShareInput) {
      auto [shifts, adds] = sharedRowCost(magnitudes);
      c.sharedShifts += shifts;
      c.sharedAdds += adds;
    }
  }
  for (int64_t col = 0; col < cols; ++col) {
    c.adds += std::max<int64_t>(termsPerColumn[size_t(col)] - 1, 0);
    c.sharedAdds += std::max<int64_t>(nonzeroPerColumn[size_t(col)] - 1, 0);
  }
  if (!columnsShareInput) {
    c.sharedShifts = c.shifts;
    c.sharedAdds = c.adds;
  }
  return c;
}

ShiftAddCounts potq::numerics::countShiftAddSplat(const LevelSet &levelSet,
                                                  int64_t level, int64_t rows,
                                                  int64_t cols,
                                                  bool columnsShareInput) {
  if (rows <= 0 || cols <= 0)
    return {};
  // One weight: its terms, shifts, and (as a row of its own) the shared
  // form's cost of building it. Every row of the matrix is the same.
  ShiftAddCounts one =
      countShiftAdd(levelSet, &level, 1, 1, /*columnsShareInput=*/true);
  ShiftAddCounts c = one.scaled(rows).scaled(cols);
  int64_t nonzero = level != 0;
  // Per column: one add per term after the first, one add per nonzero
  // product after the first in the shared form.
  c.adds = mulSat(cols, std::max<int64_t>(mulSat(rows, one.terms) - 1, 0));
  c.sharedShifts = mulSat(rows, one.sharedShifts);
  c.sharedAdds = addSat(mulSat(rows, one.sharedAdds),
                        mulSat(cols, std::max<int64_t>(rows * nonzero - 1, 0)));
  if (!columnsShareInput) {
    c.sharedShifts = c.shifts;
    c.sharedAdds = c.adds;
  }
  return c;
}

const std::vector<std::pair<const char *, double EnergyTable::*>> &
EnergyTable::fields() {
  static const std::vector<std::pair<const char *, double EnergyTable::*>> all =
      {{"add8", &EnergyTable::add8},     {"mul8", &EnergyTable::mul8},
       {"add32", &EnergyTable::add32},   {"mul32", &EnergyTable::mul32},
       {"fadd32", &EnergyTable::fadd32}, {"fmul32", &EnergyTable::fmul32},
       {"shift", &EnergyTable::shift}};
  return all;
}

double EnergyTable::accumulatorAdd(unsigned bits) const {
  return bits > 32 ? 2.0 * add32 : add32;
}

double potq::numerics::int8MacEnergy(const EnergyTable &table, int64_t macs) {
  return double(macs) * (table.mul8 + table.add32);
}

double potq::numerics::fp32MacEnergy(const EnergyTable &table, int64_t macs) {
  return double(macs) * (table.fmul32 + table.fadd32);
}

double potq::numerics::shiftAddEnergy(const EnergyTable &table, int64_t shifts,
                                      int64_t adds, unsigned accBits) {
  return double(shifts) * table.shift +
         double(adds) * table.accumulatorAdd(accBits);
}
