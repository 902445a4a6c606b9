//===- FloatFormat.cpp - How float element types compute ------------------===//

#include "potq/TensorIO/FloatFormat.h"

#include "mlir/IR/BuiltinTypes.h"

namespace pi = ::potq::interp;
using namespace mlir;
using pi::FloatFormat;
using pi::FloatInfo;

std::optional<FloatInfo> pi::getFloatInfo(Type type) {
  auto floatType = dyn_cast<FloatType>(type);
  if (!floatType || floatType.getWidth() > 64)
    return std::nullopt;
  FloatInfo info;
  info.semantics = &floatType.getFloatSemantics();
  if (floatType.isF32())
    info.format = FloatFormat::F32;
  else if (floatType.isF64())
    info.format = FloatFormat::F64;
  else
    info.format = FloatFormat::Other;
  return info;
}

double pi::roundToFormat(double value, const FloatInfo &info,
                         llvm::RoundingMode mode) {
  if (info.format == FloatFormat::F64)
    return value;
  if (info.format == FloatFormat::F32 &&
      mode == llvm::RoundingMode::NearestTiesToEven)
    return double(float(value));
  llvm::APFloat x(value);
  bool losesInfo;
  x.convert(*info.semantics, mode, &losesInfo);
  x.convert(llvm::APFloat::IEEEdouble(), llvm::RoundingMode::NearestTiesToEven,
            &losesInfo);
  return x.convertToDouble();
}
