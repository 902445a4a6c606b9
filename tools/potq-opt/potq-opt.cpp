//===- potq-opt.cpp - The potq optimizer driver ---------------------------===//
//
// mlir-opt for potq: parses, verifies, transforms and prints IR of the potq
// dialect and the upstream dialects potq graphs are written in. The input is
// read with potq's size bound (potq/Support/InputFile.h), so that a device or
// an endless pipe is refused instead of read until memory runs out.
//
//===----------------------------------------------------------------------===//

#include "potq/InitAllDialects.h"
#include "potq/InitAllPasses.h"
#include "potq/Limits.h"
#include "potq/Support/InputFile.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  potq::registerAllDialects(registry);
  potq::registerAllPasses();
  auto [inputFilename, outputFilename] = mlir::registerAndParseCLIOptions(
      argc, argv, "potq optimizer driver\n", registry);

  mlir::MlirOptMainConfig config = mlir::MlirOptMainConfig::createFromCLOptions();
  // These print and exit without reading the input.
  if (config.shouldShowDialects() || config.shouldListPasses())
    return mlir::asMainReturnCode(
        mlir::MlirOptMain(argc, argv, inputFilename, outputFilename, registry));

  std::string error;
  std::unique_ptr<llvm::MemoryBuffer> input = potq::openBoundedInputFile(
      inputFilename, potq::kMaxInputFileBytes, error);
  if (!input) {
    llvm::errs() << "potq-opt: error: cannot open input file '"
                 << inputFilename << "': " << error << "\n";
    return 1;
  }
  std::unique_ptr<llvm::ToolOutputFile> output =
      mlir::openOutputFile(outputFilename, &error);
  if (!output) {
    llvm::errs() << "potq-opt: error: " << error << "\n";
    return 1;
  }
  if (mlir::failed(
          mlir::MlirOptMain(output->os(), std::move(input), registry, config)))
    return 1;
  output->keep();
  return 0;
}
