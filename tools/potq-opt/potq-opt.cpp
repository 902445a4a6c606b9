//===- potq-opt.cpp - The potq optimizer driver ---------------------------===//
//
// mlir-opt for potq: parses, verifies, transforms and prints IR of the potq
// dialect and the upstream dialects potq graphs are written in.
//
//===----------------------------------------------------------------------===//

#include "potq/InitAllDialects.h"
#include "potq/InitAllPasses.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  mlir::potq::registerAllDialects(registry);
  mlir::potq::registerAllPasses();
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "potq optimizer driver\n", registry));
}
