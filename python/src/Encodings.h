//===- Encodings.h - Encodings spelled as Python strings --------*- C++ -*-===//
//
// Python names an encoding by its MLIR spelling, "#potq.pot<bits = 4>", so
// that what a user writes in Python is what the IR says. The spelling is
// parsed by the potq dialect itself (its parser and verifier, on a context
// private to the extension) and read through the encoding attribute
// interface: there is no second parser to drift from the dialect.
//
//===----------------------------------------------------------------------===//

#ifndef POTQ_PYTHON_ENCODINGS_H
#define POTQ_PYTHON_ENCODINGS_H

#include "potq/Numerics/Encoding.h"

#include <string>

namespace potq::python {

/// The encoding `text` spells: "#potq.pot<bits = 4>" (or without the
/// "#potq." prefix, as numerics::Encoding::str() writes it). Raises
/// ValueError with the dialect's diagnostic for a malformed or invalid
/// spelling, or for an attribute that is not a potq encoding.
numerics::Encoding parseEncoding(const std::string &text);

/// The MLIR spelling of a valid `encoding`, as the dialect prints it.
std::string encodingSpelling(const numerics::Encoding &encoding);

} // namespace potq::python

#endif // POTQ_PYTHON_ENCODINGS_H
