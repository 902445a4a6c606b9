//===- Encoding.cpp - potq encodings and level sets -----------------------===//
//
// Level sets and canonical decompositions of SPEC section 2. Every set is
// built once, by plain enumeration, and cached for the life of the process.
//
//===----------------------------------------------------------------------===//

#include "potq/Numerics/Encoding.h"

#include <algorithm>
#include <cassert>
#include <map>
#include <mutex>
#include <tuple>

using namespace potq::numerics;

//===----------------------------------------------------------------------===//
// Encoding
//===----------------------------------------------------------------------===//

Encoding Encoding::uniform(unsigned bits, bool isUnsigned, bool narrow) {
  Encoding enc;
  enc.kind = EncodingKind::Uniform;
  enc.bits = bits;
  enc.isUnsigned = isUnsigned;
  enc.narrow = narrow;
  return enc;
}

Encoding Encoding::pot(unsigned bits) {
  Encoding enc;
  enc.kind = EncodingKind::Pot;
  enc.bits = bits;
  return enc;
}

Encoding Encoding::apot(unsigned bits) {
  Encoding enc;
  enc.kind = EncodingKind::Apot;
  enc.bits = bits;
  return enc;
}

Encoding Encoding::nhot(unsigned terms, unsigned maxExp) {
  Encoding enc;
  enc.kind = EncodingKind::NHot;
  // `bits` has no meaning for nhot; zero makes that visible when debugging.
  enc.bits = 0;
  enc.terms = terms;
  enc.maxExp = maxExp;
  return enc;
}

static const char *kindName(EncodingKind kind) {
  switch (kind) {
  case EncodingKind::Uniform:
    return "uniform";
  case EncodingKind::Pot:
    return "pot";
  case EncodingKind::Apot:
    return "apot";
  case EncodingKind::NHot:
    return "nhot";
  }
  return "unknown";
}

/// "<param> = <value> is out of range: <kind> encodings allow <param> in
/// [<lo>, <hi>]", or nullopt when `value` is in range.
static std::optional<std::string> checkRange(const char *param, unsigned value,
                                             EncodingKind kind, unsigned lo,
                                             unsigned hi) {
  if (value >= lo && value <= hi)
    return std::nullopt;
  return std::string(param) + " = " + std::to_string(value) +
         " is out of range: " + kindName(kind) + " encodings allow " + param +
         " in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]";
}

std::optional<std::string> Encoding::verify() const {
  switch (kind) {
  case EncodingKind::Uniform:
    if (auto err = checkRange("bits", bits, kind, 2, 16))
      return err;
    if (isUnsigned && narrow)
      return std::string("'narrow' applies only to signed uniform encodings");
    return std::nullopt;
  case EncodingKind::Pot:
    if (auto err = checkRange("bits", bits, kind, 2, 5))
      return err;
    break;
  case EncodingKind::Apot:
    if (auto err = checkRange("bits", bits, kind, 3, 7))
      return err;
    break;
  case EncodingKind::NHot:
    if (auto err = checkRange("terms", terms, kind, 1, 4))
      return err;
    if (auto err = checkRange("max_exp", maxExp, kind, 0, 15))
      return err;
    break;
  }
  // Only uniform encodings reach here with a return above.
  if (isUnsigned)
    return std::string("'unsigned' applies only to uniform encodings");
  if (narrow)
    return std::string("'narrow' applies only to signed uniform encodings");
  return std::nullopt;
}

std::string Encoding::str() const {
  std::string s = std::string(kindName(kind)) + "<";
  if (kind == EncodingKind::NHot)
    return s + "terms = " + std::to_string(terms) +
           ", max_exp = " + std::to_string(maxExp) + ">";
  s += "bits = " + std::to_string(bits);
  if (kind == EncodingKind::Uniform && isUnsigned)
    s += ", unsigned";
  if (kind == EncodingKind::Uniform && narrow)
    s += ", narrow";
  return s + ">";
}

namespace potq::numerics {
bool operator==(const Encoding &a, const Encoding &b) {
  if (a.kind != b.kind)
    return false;
  switch (a.kind) {
  case EncodingKind::Uniform:
    return a.bits == b.bits && a.isUnsigned == b.isUnsigned &&
           a.narrow == b.narrow;
  case EncodingKind::Pot:
  case EncodingKind::Apot:
    return a.bits == b.bits;
  case EncodingKind::NHot:
    return a.terms == b.terms && a.maxExp == b.maxExp;
  }
  return false;
}
} // namespace potq::numerics

/// `enc` with every field that is meaningless for its kind reset, so that
/// equal encodings (operator==) share one cache entry and one spelling.
static Encoding canonicalize(const Encoding &enc) {
  switch (enc.kind) {
  case EncodingKind::Uniform:
    return Encoding::uniform(enc.bits, enc.isUnsigned, enc.narrow);
  case EncodingKind::Pot:
    return Encoding::pot(enc.bits);
  case EncodingKind::Apot:
    return Encoding::apot(enc.bits);
  case EncodingKind::NHot:
    return Encoding::nhot(enc.terms, enc.maxExp);
  }
  return enc;
}

//===----------------------------------------------------------------------===//
// Terms
//===----------------------------------------------------------------------===//

std::vector<Term> potq::numerics::nonAdjacentForm(int64_t value) {
  // Work on the magnitude in uint64 so that INT64_MIN and INT64_MAX do not
  // overflow; NAF(-v) is NAF(v) with every sign flipped.
  int sign = value < 0 ? -1 : 1;
  uint64_t mag = value < 0 ? uint64_t(0) - uint64_t(value) : uint64_t(value);
  std::vector<Term> terms;
  for (unsigned exp = 0; mag != 0; ++exp, mag >>= 1) {
    if ((mag & 1) == 0)
      continue;
    // ...11 -> digit -1 (carry up), ...01 -> digit +1: next digit is zero.
    if ((mag & 3) == 3) {
      terms.push_back({-sign, exp});
      mag += 1;
    } else {
      terms.push_back({sign, exp});
      mag -= 1;
    }
  }
  std::reverse(terms.begin(), terms.end());
  return terms;
}

int64_t potq::numerics::evaluateTerms(const std::vector<Term> &terms) {
  // Modular uint64 arithmetic: well defined even for a 2^63 term.
  uint64_t sum = 0;
  for (const Term &t : terms) {
    uint64_t p = uint64_t(1) << t.exp;
    sum = t.sign > 0 ? sum + p : sum - p;
  }
  return int64_t(sum);
}

/// Sorts terms by descending exponent, positive first on equal exponents (a
/// minimal decomposition never holds +2^e and -2^e, but a total order keeps
/// the result independent of the sort algorithm).
static void sortTerms(std::vector<Term> &terms) {
  std::sort(terms.begin(), terms.end(), [](const Term &a, const Term &b) {
    return a.exp != b.exp ? a.exp > b.exp : a.sign > b.sign;
  });
}

static unsigned log2Exact(int64_t pow) {
  unsigned e = 0;
  while ((int64_t(1) << e) < pow)
    ++e;
  assert((int64_t(1) << e) == pow && "not a power of two");
  return e;
}

//===----------------------------------------------------------------------===//
// Level set construction
//===----------------------------------------------------------------------===//

namespace {
/// A level and its canonical decomposition, before sorting.
struct Entry {
  int64_t level;
  std::vector<Term> terms;
};
} // namespace

static std::vector<Entry> buildUniform(const Encoding &enc) {
  int64_t lo, hi;
  if (enc.isUnsigned) {
    lo = 0;
    hi = (int64_t(1) << enc.bits) - 1;
  } else {
    hi = (int64_t(1) << (enc.bits - 1)) - 1;
    lo = enc.narrow ? -hi : -hi - 1;
  }
  std::vector<Entry> entries;
  entries.reserve(size_t(hi - lo + 1));
  for (int64_t v = lo; v <= hi; ++v)
    entries.push_back({v, nonAdjacentForm(v)});
  return entries;
}

static std::vector<Entry> buildPot(const Encoding &enc) {
  unsigned maxE = (1u << (enc.bits - 1)) - 2;
  std::vector<Entry> entries{{0, {}}};
  for (unsigned e = 0; e <= maxE; ++e) {
    entries.push_back({int64_t(1) << e, {{1, e}}});
    entries.push_back({-(int64_t(1) << e), {{-1, e}}});
  }
  return entries;
}

/// The integer bases of the APoT reference construction (`build_power_value`
/// of Li, Dong, Wang, ICLR 2020, with b = B-1 magnitude bits). A magnitude is
/// the sum of exactly one value of each base; every base value is 0 or a
/// power of two, and all sums are distinct.
static std::vector<std::vector<int64_t>> apotBases(unsigned bits) {
  switch (bits) {
  case 3:
    return {{0, 1, 2, 4}};
  case 4:
    return {{0, 8, 4, 1}, {0, 2}};
  case 5:
    return {{0, 32, 8, 2}, {0, 16, 4, 1}};
  case 6:
    return {{0, 64, 16, 2}, {0, 32, 8, 1}, {0, 4}};
  case 7:
    return {{0, 256, 32, 4}, {0, 128, 16, 2}, {0, 64, 8, 1}};
  default:
    assert(false && "apot bits out of range");
    return {};
  }
}

/// Magnitudes of M(B) with their construction terms (all positive).
static std::vector<Entry> apotMagnitudeEntries(unsigned bits) {
  std::vector<Entry> entries{{0, {}}};
  for (const std::vector<int64_t> &base : apotBases(bits)) {
    std::vector<Entry> next;
    for (const Entry &partial : entries) {
      for (int64_t value : base) {
        Entry e = partial;
        if (value != 0) {
          e.level += value;
          e.terms.push_back({1, log2Exact(value)});
        }
        next.push_back(std::move(e));
      }
    }
    entries = std::move(next);
  }
  for (Entry &e : entries)
    sortTerms(e.terms);
  std::sort(entries.begin(), entries.end(),
            [](const Entry &a, const Entry &b) { return a.level < b.level; });
  return entries;
}

std::vector<int64_t> potq::numerics::apotMagnitudes(unsigned bits) {
  std::vector<int64_t> mags;
  for (const Entry &e : apotMagnitudeEntries(bits))
    mags.push_back(e.level);
  return mags;
}

static std::vector<Entry> buildApot(const Encoding &enc) {
  std::vector<Entry> entries;
  for (const Entry &m : apotMagnitudeEntries(enc.bits)) {
    entries.push_back(m);
    if (m.level == 0)
      continue;
    Entry neg{-m.level, m.terms};
    for (Term &t : neg.terms)
      t.sign = -1;
    entries.push_back(std::move(neg));
  }
  return entries;
}

static std::vector<Entry> buildNHot(const Encoding &enc) {
  const int64_t range = int64_t(enc.terms) << enc.maxExp;
  const int E = int(enc.maxExp);
  // dist[v + range]: fewest terms summing to v, or -1 if more than N needed.
  std::vector<int8_t> dist(size_t(2 * range + 1), -1);
  auto at = [&](int64_t v) -> int8_t & { return dist[size_t(v + range)]; };

  // Breadth-first layers: layer k holds the values needing exactly k terms.
  // Every value of layer k <= N lies within k * 2^E, so `range` never cuts a
  // reachable value.
  std::vector<int64_t> layer{0};
  at(0) = 0;
  for (int k = 1; k <= int(enc.terms); ++k) {
    std::vector<int64_t> next;
    for (int64_t v : layer) {
      for (int e = 0; e <= E; ++e) {
        for (int64_t u : {v + (int64_t(1) << e), v - (int64_t(1) << e)}) {
          if (u < -range || u > range || at(u) >= 0)
            continue;
          at(u) = int8_t(k);
          next.push_back(u);
        }
      }
    }
    layer = std::move(next);
  }

  std::vector<Entry> entries;
  for (int64_t v = -range; v <= range; ++v) {
    if (at(v) < 0)
      continue;
    // Walk back one layer at a time. Trying the largest exponent first, and
    // +2^e before -2^e, makes the minimal decomposition canonical.
    Entry entry{v, {}};
    int64_t rest = v;
    for (int d = at(v); d > 0; --d) {
      bool found = false;
      for (int e = E; e >= 0 && !found; --e) {
        for (int sign : {1, -1}) {
          int64_t u = rest - sign * (int64_t(1) << e);
          if (u < -range || u > range || at(u) != d - 1)
            continue;
          entry.terms.push_back({sign, unsigned(e)});
          rest = u;
          found = true;
          break;
        }
      }
      assert(found && "BFS layers are inconsistent");
      (void)found;
    }
    sortTerms(entry.terms);
    entries.push_back(std::move(entry));
  }
  return entries;
}

//===----------------------------------------------------------------------===//
// LevelSet
//===----------------------------------------------------------------------===//

LevelSet::LevelSet(const Encoding &encoding) : enc(canonicalize(encoding)) {
  assert(!enc.verify() && "LevelSet of an invalid encoding");
  std::vector<Entry> entries;
  switch (enc.kind) {
  case EncodingKind::Uniform:
    entries = buildUniform(enc);
    break;
  case EncodingKind::Pot:
    entries = buildPot(enc);
    break;
  case EncodingKind::Apot:
    entries = buildApot(enc);
    break;
  case EncodingKind::NHot:
    entries = buildNHot(enc);
    break;
  }
  std::sort(entries.begin(), entries.end(),
            [](const Entry &a, const Entry &b) { return a.level < b.level; });
  sorted.reserve(entries.size());
  decompositions.reserve(entries.size());
  for (Entry &e : entries) {
    assert((sorted.empty() || sorted.back() < e.level) && "duplicate level");
    sorted.push_back(e.level);
    maxTermCount = std::max(maxTermCount, unsigned(e.terms.size()));
    decompositions.push_back(std::move(e.terms));
  }
  contiguous = max() - min() + 1 == int64_t(sorted.size());
}

const LevelSet &LevelSet::get(const Encoding &enc) {
  using Key = std::tuple<int, unsigned, bool, bool, unsigned, unsigned>;
  // Leaked on purpose: references stay valid through static destruction.
  static std::mutex *mutex = new std::mutex;
  static std::map<Key, const LevelSet *> *cache =
      new std::map<Key, const LevelSet *>;

  Encoding c = canonicalize(enc);
  Key key{int(c.kind), c.bits, c.isUnsigned, c.narrow, c.terms, c.maxExp};
  std::lock_guard<std::mutex> lock(*mutex);
  const LevelSet *&slot = (*cache)[key];
  if (!slot)
    slot = new LevelSet(c);
  return *slot;
}

std::optional<size_t> LevelSet::indexOf(int64_t level) const {
  auto it = std::lower_bound(sorted.begin(), sorted.end(), level);
  if (it == sorted.end() || *it != level)
    return std::nullopt;
  return size_t(it - sorted.begin());
}

bool LevelSet::contains(int64_t level) const {
  return std::binary_search(sorted.begin(), sorted.end(), level);
}

const std::vector<Term> &LevelSet::decompose(int64_t level) const {
  std::optional<size_t> index = indexOf(level);
  assert(index && "decompose of a value that is not a level");
  return decompositions[*index];
}

//===----------------------------------------------------------------------===//
// Storage
//===----------------------------------------------------------------------===//

StorageInfo potq::numerics::storageInfo(const Encoding &enc) {
  assert(!enc.verify() && "storageInfo of an invalid encoding");
  // The extremes in closed form, so that no level set has to be built.
  int64_t lo = 0, hi = 0;
  switch (enc.kind) {
  case EncodingKind::Uniform:
    if (enc.isUnsigned) {
      hi = (int64_t(1) << enc.bits) - 1;
    } else {
      hi = (int64_t(1) << (enc.bits - 1)) - 1;
      lo = enc.narrow ? -hi : -hi - 1;
    }
    break;
  case EncodingKind::Pot:
    hi = int64_t(1) << ((1u << (enc.bits - 1)) - 2);
    lo = -hi;
    break;
  case EncodingKind::Apot:
    hi = apotMagnitudes(enc.bits).back();
    lo = -hi;
    break;
  case EncodingKind::NHot:
    hi = int64_t(enc.terms) << enc.maxExp;
    lo = -hi;
    break;
  }
  bool isSigned = !(enc.kind == EncodingKind::Uniform && enc.isUnsigned);
  for (unsigned width : {8u, 16u, 32u}) {
    bool fits = isSigned ? lo >= -(int64_t(1) << (width - 1)) &&
                               hi <= (int64_t(1) << (width - 1)) - 1
                         : hi <= (int64_t(1) << width) - 1;
    if (fits)
      return {width, isSigned};
  }
  assert(false && "no potq level set needs more than 32 bits");
  return {32, isSigned};
}
