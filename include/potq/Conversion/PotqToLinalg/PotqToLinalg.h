//===- PotqToLinalg.h - potq -> integer linalg/arith ------------*- C++ -*-===//

#ifndef POTQ_CONVERSION_POTQTOLINALG_POTQTOLINALG_H
#define POTQ_CONVERSION_POTQTOLINALG_POTQTOLINALG_H

#include "potq/Support/LLVM.h"

#include "mlir/Transforms/DialectConversion.h"

namespace potq {

/// Converts `tensor<... x !potq.q<...>>` to `tensor<... x iN>` (the storage
/// integer type); every other type is legal as is.
class PotqStorageTypeConverter : public mlir::TypeConverter {
public:
  PotqStorageTypeConverter();
};

/// Patterns lowering every potq op to integer linalg/arith/tensor IR.
void populatePotqToLinalgPatterns(const mlir::TypeConverter &converter,
                                  mlir::RewritePatternSet &patterns);

} // namespace potq

#endif // POTQ_CONVERSION_POTQTOLINALG_POTQTOLINALG_H
