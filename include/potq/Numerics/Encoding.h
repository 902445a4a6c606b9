//===- Encoding.h - potq encodings and their integer level sets -*- C++ -*-===//
//
// Plain C++17, no MLIR or LLVM dependency: the numerics library is shared by
// the dialect's folders, the reference interpreter, runtimes and Python.
//
// An encoding (SPEC section 2) defines a finite set of integer levels. This
// header describes encodings, validates their parameters, and exposes the
// level set and the canonical signed power-of-two decomposition of each level.
//
//===----------------------------------------------------------------------===//

#ifndef POTQ_NUMERICS_ENCODING_H
#define POTQ_NUMERICS_ENCODING_H

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace potq::numerics {

enum class EncodingKind { Uniform, Pot, Apot, NHot };

/// One of the four encodings of SPEC section 2. Plain value type; construct
/// through the named factories and check with `verify()` before use.
struct Encoding {
  EncodingKind kind = EncodingKind::Uniform;
  /// Bit width for uniform/pot/apot (sign bit included for pot/apot).
  unsigned bits = 8;
  /// Uniform only: level set [0, 2^B-1].
  bool isUnsigned = false;
  /// Uniform only: drops the most negative level, [-(2^(B-1)-1), 2^(B-1)-1].
  bool narrow = false;
  /// NHot only: at most `terms` signed power-of-two terms, exponents in
  /// [0, maxExp].
  unsigned terms = 0;
  unsigned maxExp = 0;

  static Encoding uniform(unsigned bits, bool isUnsigned = false,
                          bool narrow = false);
  static Encoding pot(unsigned bits);
  static Encoding apot(unsigned bits);
  static Encoding nhot(unsigned terms, unsigned maxExp);

  /// Returns an error message naming the bad parameter and the allowed range,
  /// or std::nullopt if the parameters are valid.
  std::optional<std::string> verify() const;

  /// A short human-readable spelling, e.g. "pot<bits = 4>".
  std::string str() const;

  friend bool operator==(const Encoding &a, const Encoding &b);
  friend bool operator!=(const Encoding &a, const Encoding &b) {
    return !(a == b);
  }
};

/// A signed power-of-two term: sign * 2^exp with sign in {-1, +1}.
struct Term {
  int sign;
  unsigned exp;
  friend bool operator==(const Term &a, const Term &b) {
    return a.sign == b.sign && a.exp == b.exp;
  }
};

/// The level set of a valid encoding, sorted ascending, plus the canonical
/// decomposition of each level. Built once per encoding and cached
/// (`LevelSet::get` is thread-safe); cheap to share by reference.
class LevelSet {
public:
  /// Returns the cached level set of `enc`. `enc` must verify.
  static const LevelSet &get(const Encoding &enc);

  const Encoding &encoding() const { return enc; }
  /// All levels, sorted ascending, no duplicates.
  const std::vector<int64_t> &levels() const { return sorted; }
  size_t size() const { return sorted.size(); }
  int64_t min() const { return sorted.front(); }
  int64_t max() const { return sorted.back(); }
  /// True if every integer in [min, max] is a level (uniform encodings).
  bool isContiguous() const { return contiguous; }
  bool contains(int64_t level) const;

  /// Index of `level` in `levels()`, or std::nullopt if it is not a level.
  std::optional<size_t> indexOf(int64_t level) const;

  /// The canonical signed power-of-two decomposition of `level` (SPEC
  /// section 2): construction terms for pot/apot, minimal terms for nhot,
  /// NAF for uniform. Sum of sign*2^exp equals `level`; empty for 0.
  /// `level` must be in the set.
  const std::vector<Term> &decompose(int64_t level) const;

  /// Largest number of terms of any level's decomposition.
  unsigned maxTerms() const { return maxTermCount; }

  explicit LevelSet(const Encoding &enc);

private:
  Encoding enc;
  std::vector<int64_t> sorted;
  std::vector<std::vector<Term>> decompositions; // parallel to `sorted`
  bool contiguous = false;
  unsigned maxTermCount = 0;
};

/// The APoT magnitude set M(B) of SPEC section 2 for B in [3, 7], ascending.
std::vector<int64_t> apotMagnitudes(unsigned bits);

/// The non-adjacent form of `value`: minimal nonzero signed binary digits,
/// no two adjacent. Terms ordered by descending exponent.
std::vector<Term> nonAdjacentForm(int64_t value);

/// Sum of sign * 2^exp over `terms`.
int64_t evaluateTerms(const std::vector<Term> &terms);

/// Storage integer of a level set (SPEC section 3): the smallest of 8/16/32
/// bits holding every level. Unsigned encodings are stored unsigned
/// (zero-extended), all others signed (sign-extended).
struct StorageInfo {
  unsigned width;
  bool isSigned;
};
StorageInfo storageInfo(const Encoding &enc);

} // namespace potq::numerics

#endif // POTQ_NUMERICS_ENCODING_H
