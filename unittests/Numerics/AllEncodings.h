//===- AllEncodings.h - The encodings the numerics tests sweep --*- C++ -*-===//

#ifndef POTQ_UNITTESTS_NUMERICS_ALLENCODINGS_H
#define POTQ_UNITTESTS_NUMERICS_ALLENCODINGS_H

#include "potq/Numerics/Encoding.h"

#include <vector>

namespace potq::testutil {
using numerics::Encoding;

/// Every valid encoding the tests sweep over: all uniform variants, pot,
/// apot, and nhot for a spread of exponent ranges.
inline std::vector<Encoding> allEncodings() {
  std::vector<Encoding> encs;
  for (unsigned b = 2; b <= 16; ++b) {
    encs.push_back(Encoding::uniform(b));
    encs.push_back(Encoding::uniform(b, /*isUnsigned=*/true));
    encs.push_back(Encoding::uniform(b, /*isUnsigned=*/false, /*narrow=*/true));
  }
  for (unsigned b = 2; b <= 5; ++b)
    encs.push_back(Encoding::pot(b));
  for (unsigned b = 3; b <= 7; ++b)
    encs.push_back(Encoding::apot(b));
  for (unsigned e : {0u, 1u, 3u, 7u, 15u})
    for (unsigned n = 1; n <= 4; ++n)
      encs.push_back(Encoding::nhot(n, e));
  return encs;
}

} // namespace potq::testutil

#endif // POTQ_UNITTESTS_NUMERICS_ALLENCODINGS_H
