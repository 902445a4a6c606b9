//===- LLVM.h - Import MLIR and LLVM names into ::potq ----------*- C++ -*-===//
//
// All potq code lives under one namespace root, `::potq` (the dialect in
// `::potq`, the training dialect in `::potq::qat`, plain C++ libraries in
// `::potq::numerics`, `::potq::interp`, ...). This header imports the MLIR and
// LLVM names that potq code uses unqualified, the way CIRCT's
// `circt/Support/LLVM.h` does, so that code inside `namespace potq` reads like
// code inside `namespace mlir` without a `mlir::potq` / `::potq` split.
//
// Most classes are forward declared, not included: include what you use.
//
//===----------------------------------------------------------------------===//

#ifndef POTQ_SUPPORT_LLVM_H
#define POTQ_SUPPORT_LLVM_H

// MLIR forward declares and imports the common LLVM types; reuse them.
#include "mlir/Support/LLVM.h"

namespace mlir {
class AffineExpr;
class AffineMap;
class ArrayAttr;
class AsmParser;
class AsmPrinter;
class Attribute;
class Block;
class BlockArgument;
class BoolAttr;
class Builder;
class ConversionPatternRewriter;
class ConversionTarget;
class DenseElementsAttr;
class DenseIntElementsAttr;
class Diagnostic;
class Dialect;
class DialectRegistry;
class DictionaryAttr;
class ElementsAttr;
class FloatAttr;
class FloatType;
class FunctionType;
class ImplicitLocOpBuilder;
class InFlightDiagnostic;
class IndexType;
class IntegerAttr;
class IntegerType;
class IRMapping;
class Location;
class LocationAttr;
class MemRefType;
class MLIRContext;
class ModuleOp;
class NamedAttribute;
class OpAsmParser;
class OpAsmPrinter;
class OpBuilder;
class OpFoldResult;
class OpOperand;
class OpResult;
class Operation;
struct OperationState;
class Pass;
class PatternRewriter;
class RankedTensorType;
class Region;
class RewritePatternSet;
class RewriterBase;
class ShapedType;
class StringAttr;
class SymbolRefAttr;
class TensorType;
class Type;
class TypeAttr;
class TypeConverter;
class TypeRange;
class UnitAttr;
class Value;
class ValueRange;
} // namespace mlir

namespace potq {
// LLVM names that MLIR imports into `mlir` (see mlir/Support/LLVM.h).
using mlir::APFloat;
using mlir::APInt;
using mlir::APSInt;
using mlir::ArrayRef;
using mlir::cast;
using mlir::cast_if_present;
using mlir::cast_or_null;
using mlir::DenseMap;
using mlir::DenseMapInfo;
using mlir::DenseSet;
using mlir::dyn_cast;
using mlir::dyn_cast_if_present;
using mlir::dyn_cast_or_null;
using mlir::failed;
using mlir::failure;
using mlir::FailureOr;
using mlir::function_ref;
using mlir::isa;
using mlir::isa_and_nonnull;
using mlir::isa_and_present;
using mlir::iterator_range;
using mlir::LogicalResult;
using mlir::MutableArrayRef;
using mlir::ParseResult;
using mlir::raw_ostream;
using mlir::SetVector;
using mlir::SmallPtrSet;
using mlir::SmallPtrSetImpl;
using mlir::SmallString;
using mlir::SmallVector;
using mlir::SmallVectorImpl;
using mlir::SMLoc;
using mlir::StringLiteral;
using mlir::StringRef;
using mlir::StringSwitch;
using mlir::succeeded;
using mlir::success;
using mlir::Twine;
using mlir::TypeSwitch;

// MLIR's own classes.
using mlir::AffineExpr;
using mlir::AffineMap;
using mlir::ArrayAttr;
using mlir::AsmParser;
using mlir::AsmPrinter;
using mlir::Attribute;
using mlir::Block;
using mlir::BlockArgument;
using mlir::BoolAttr;
using mlir::Builder;
using mlir::ConversionPatternRewriter;
using mlir::ConversionTarget;
using mlir::DenseElementsAttr;
using mlir::DenseIntElementsAttr;
using mlir::Diagnostic;
using mlir::Dialect;
using mlir::DialectRegistry;
using mlir::DictionaryAttr;
using mlir::ElementsAttr;
using mlir::FloatAttr;
using mlir::FloatType;
using mlir::FunctionType;
using mlir::ImplicitLocOpBuilder;
using mlir::IndexType;
using mlir::InFlightDiagnostic;
using mlir::IntegerAttr;
using mlir::IntegerType;
using mlir::IRMapping;
using mlir::Location;
using mlir::LocationAttr;
using mlir::MemRefType;
using mlir::MLIRContext;
using mlir::ModuleOp;
using mlir::NamedAttribute;
using mlir::OpAsmParser;
using mlir::OpAsmPrinter;
using mlir::OpBuilder;
using mlir::Operation;
using mlir::OperationState;
using mlir::OpFoldResult;
using mlir::OpOperand;
using mlir::OpResult;
using mlir::Pass;
using mlir::PatternRewriter;
using mlir::RankedTensorType;
using mlir::Region;
using mlir::RewritePatternSet;
using mlir::RewriterBase;
using mlir::ShapedType;
using mlir::StringAttr;
using mlir::SymbolRefAttr;
using mlir::TensorType;
using mlir::Type;
using mlir::TypeAttr;
using mlir::TypeConverter;
using mlir::TypeRange;
using mlir::UnitAttr;
using mlir::Value;
using mlir::ValueRange;
} // namespace potq

#endif // POTQ_SUPPORT_LLVM_H
