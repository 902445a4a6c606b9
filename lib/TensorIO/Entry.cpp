//===- Entry.cpp - The function a module is run through -------------------===//

#include "potq/TensorIO/Entry.h"

using namespace mlir;

func::FuncOp potq::findEntryFunction(ModuleOp module, StringRef entry,
                                     StringRef entryHint, std::string &error) {
  if (!entry.empty()) {
    auto func = module.lookupSymbol<func::FuncOp>(entry);
    if (!func)
      error = "no function named '" + entry.str() + "' in the module";
    else if (func.isExternal())
      error = "function '" + entry.str() + "' has no body";
    return func && !func.isExternal() ? func : nullptr;
  }
  SmallVector<func::FuncOp> publicFuncs;
  for (auto func : module.getOps<func::FuncOp>())
    if (func.isPublic() && !func.isExternal())
      publicFuncs.push_back(func);
  if (publicFuncs.size() == 1)
    return publicFuncs.front();
  if (auto main = module.lookupSymbol<func::FuncOp>("main"))
    if (!main.isExternal())
      return main;
  if (publicFuncs.empty())
    error = "the module has no public function with a body";
  else
    error = "the module has " + std::to_string(publicFuncs.size()) +
            " public functions and none is named 'main'; choose one with " +
            entryHint.str();
  return nullptr;
}
