//===- Module.cpp - The potq._potq extension module -----------------------===//
//
// The C++ half of the `potq` Python package: bindings over potq's own
// libraries, so that Python computes with the compiler's numerics and runs
// the compiler itself (docs/Python.md). The pure-Python half (python/potq)
// re-exports and documents what users call.
//
//===----------------------------------------------------------------------===//

#include "Bindings.h"

PYBIND11_MODULE(_potq, m) {
  m.doc() = "potq's numerics library and compiler (see the potq package)";
  potq::python::bindNumerics(m);
  potq::python::bindRecoding(m);
  potq::python::bindFixedPoint(m);
  potq::python::bindShiftAddCost(m);
  potq::python::bindCompiler(m);
}
