//===- LevelTable.cpp - Code -> level tables from the numerics mapping ----===//

#include "potq/Runtime/LevelTable.h"
#include "potq/Numerics/Packing.h"

using namespace potq;

std::optional<std::vector<int32_t>>
runtime::levelTable(const numerics::Encoding &enc) {
  unsigned bits = numerics::codeBits(enc);
  if (bits > 8)
    return std::nullopt;
  const numerics::LevelSet &set = numerics::LevelSet::get(enc);
  std::vector<int32_t> table(size_t(1) << bits, 0);
  for (uint32_t c = 0; c < table.size(); ++c)
    if (std::optional<int64_t> level = numerics::decodeLevel(set, c)) {
      if (*level < INT32_MIN || *level > INT32_MAX)
        return std::nullopt;
      table[c] = int32_t(*level);
    }
  return table;
}
