//===- Bindings.h - The parts of the potq._potq module ----------*- C++ -*-===//
//
// One function per source file adds its part of the extension module
// (Module.cpp calls them in order).
//
//===----------------------------------------------------------------------===//

#ifndef POTQ_PYTHON_BINDINGS_H
#define POTQ_PYTHON_BINDINGS_H

#include <pybind11/pybind11.h>

namespace potq::python {

/// Encodings, projection, scale selection and packing (Numerics.cpp).
void bindNumerics(pybind11::module_ &m);
/// Signed-digit and n-hot recoding (Recoding.cpp).
void bindRecoding(pybind11::module_ &m);
/// Fixed-point requantization (FixedPoint.cpp).
void bindFixedPoint(pybind11::module_ &m);
/// Shift-add operation counts and energy (ShiftAddCost.cpp).
void bindShiftAddCost(pybind11::module_ &m);
/// potq.compile's module: the pipeline, the JIT, the interpreter and the
/// emitters (Compiler.cpp).
void bindCompiler(pybind11::module_ &m);

} // namespace potq::python

#endif // POTQ_PYTHON_BINDINGS_H
