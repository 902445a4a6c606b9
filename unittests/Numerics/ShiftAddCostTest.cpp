//===- ShiftAddCostTest.cpp - Hand counts of shift-add costs --------------===//

#include "potq/Numerics/ShiftAddCost.h"

#include "gtest/gtest.h"

#include <cstdint>
#include <utility>
#include <vector>

using namespace potq::numerics;

namespace {

TEST(ShiftAddCost, PotMatrixHandCounts) {
  // Rows are inputs, columns output channels.
  const int64_t levels[] = {1,  4, 4,  //
                            -2, 0, 8}; //
  ShiftAddCounts c =
      countShiftAdd(LevelSet::get(Encoding::pot(4)), levels, 2, 3, true);
  EXPECT_EQ(c.weights, 6);
  EXPECT_EQ(c.nonzeroWeights, 5);
  EXPECT_EQ(c.terms, 5);
  EXPECT_EQ(c.binaryTerms, 5);
  EXPECT_EQ(c.shifts, 4); // every term but the 1
  EXPECT_EQ(c.adds, 2);   // columns with 2, 1, 2 terms
  // Shared: row 0 needs x << 2 once, row 1 needs x << 1 and x << 3.
  EXPECT_EQ(c.sharedShifts, 3);
  EXPECT_EQ(c.sharedAdds, 2);
}

TEST(ShiftAddCost, SharedFundamentals) {
  // uniform NAF: 3 = 4 - 1, 6 = 8 - 2, 7 = 8 - 1.
  const int64_t levels[] = {3, 6, 7};
  const LevelSet &set = LevelSet::get(Encoding::uniform(5));
  ShiftAddCounts c = countShiftAdd(set, levels, 1, 3, true);
  EXPECT_EQ(c.terms, 6);
  EXPECT_EQ(c.binaryTerms, 7);
  EXPECT_EQ(c.shifts, 4);
  EXPECT_EQ(c.adds, 3);
  // 3x = (x << 2) - x once, for both 3 and 6 = 3x << 1; 7x = (x << 3) - x.
  EXPECT_EQ(c.sharedAdds, 2);
  EXPECT_EQ(c.sharedShifts, 3); // x << 2, x << 3, 3x << 1
  // Without shared inputs (depthwise) nothing is shared.
  ShiftAddCounts d = countShiftAdd(set, levels, 1, 3, false);
  EXPECT_EQ(d.sharedAdds, d.adds);
  EXPECT_EQ(d.sharedShifts, d.shifts);
}

TEST(ShiftAddCost, EmptyAndZeroMatrices) {
  const LevelSet &set = LevelSet::get(Encoding::uniform(8));
  ShiftAddCounts empty = countShiftAdd(set, nullptr, 0, 4, true);
  EXPECT_EQ(empty.weights, 0);
  EXPECT_EQ(empty.adds, 0);
  const int64_t zeros[] = {0, 0, 0, 0};
  ShiftAddCounts z = countShiftAdd(set, zeros, 2, 2, true);
  EXPECT_EQ(z.weights, 4);
  EXPECT_EQ(z.terms, 0);
  EXPECT_EQ(z.adds, 0);
  EXPECT_EQ(z.sharedAdds, 0);
  EXPECT_EQ(z.sharedShifts, 0);
}

TEST(ShiftAddCost, ScalingAndEnergy) {
  const int64_t levels[] = {3, 6, 7};
  ShiftAddCounts c =
      countShiftAdd(LevelSet::get(Encoding::uniform(5)), levels, 1, 3, true);
  ShiftAddCounts twice = c;
  twice += c;
  EXPECT_EQ(twice.adds, c.scaled(2).adds);
  EXPECT_EQ(twice.sharedShifts, c.scaled(2).sharedShifts);
  EnergyTable t;
  EXPECT_DOUBLE_EQ(int8MacEnergy(t, 10), 10 * (0.2 + 0.1));
  EXPECT_DOUBLE_EQ(fp32MacEnergy(t, 10), 10 * (3.7 + 0.9));
  EXPECT_DOUBLE_EQ(shiftAddEnergy(t, 4, 3, 32), 4 * 0.03 + 3 * 0.1);
  EXPECT_DOUBLE_EQ(shiftAddEnergy(t, 0, 3, 64), 3 * 0.2);
  EXPECT_EQ(EnergyTable::fields().size(), 7u);
}

// Issue 10 E: a splat weight is counted from its one level, exactly as the
// expanded matrix, and huge ones saturate instead of wrapping.
TEST(ShiftAddCost, SplatMatchesExpandedMatrix) {
  const LevelSet &uniform = LevelSet::get(Encoding::uniform(5));
  const LevelSet &pot = LevelSet::get(Encoding::pot(4));
  for (const LevelSet *set : {&uniform, &pot})
    for (int64_t level : {int64_t(0), int64_t(1), int64_t(-4), int64_t(7)}) {
      if (!set->contains(level))
        continue;
      for (auto [rows, cols] : {std::pair<int64_t, int64_t>{1, 1},
                                {3, 1},
                                {1, 4},
                                {3, 5},
                                {0, 2}})
        for (bool share : {true, false}) {
          std::vector<int64_t> levels(size_t(rows * cols), level);
          ShiftAddCounts a =
              countShiftAdd(*set, levels.data(), rows, cols, share);
          ShiftAddCounts b = countShiftAddSplat(*set, level, rows, cols, share);
          SCOPED_TRACE(testing::Message() << "level " << level << ", " << rows
                                          << "x" << cols << ", share "
                                          << share);
          EXPECT_EQ(a.weights, b.weights);
          EXPECT_EQ(a.nonzeroWeights, b.nonzeroWeights);
          EXPECT_EQ(a.terms, b.terms);
          EXPECT_EQ(a.binaryTerms, b.binaryTerms);
          EXPECT_EQ(a.shifts, b.shifts);
          EXPECT_EQ(a.adds, b.adds);
          EXPECT_EQ(a.sharedShifts, b.sharedShifts);
          EXPECT_EQ(a.sharedAdds, b.sharedAdds);
        }
    }
  ShiftAddCounts huge = countShiftAddSplat(uniform, 7, int64_t(1) << 40,
                                           int64_t(1) << 40, true);
  EXPECT_EQ(huge.weights, INT64_MAX);
  EXPECT_EQ(huge.terms, INT64_MAX);
  EXPECT_EQ(huge.scaled(3).adds, INT64_MAX);
}

} // namespace
