//===- ContractionLowering.cpp - potq contractions -> shift-add generics --===//
//
// A contraction becomes two linalg.generic ops:
//  1. the accumulation, where each weight level W = Σ_t s_t·2^e_t (its
//     canonical decomposition, SPEC section 2) contributes Σ_t s_t·(x << e_t):
//     the weight is stored as one i8 exponent plane and one i8 sign plane per
//     term, and the body only shifts, negates, selects and adds;
//  2. an elementwise epilogue adding the bias and requantizing (SPEC
//     section 6) with clamping, when the result is quantized.
// With kernels=runtime, step 1 of an eligible potq.matmul is instead a call
// into the native kernel runtime (PotqRuntime) on memrefs, with the weight
// packed at compile time into a memref.global; step 2 is the same.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"
#include "PatternsInternal.h"

#include "potq/Dialect/Potq/IR/PotqOps.h"
#include "potq/Runtime/LevelTable.h"
#include "potq/Runtime/Runtime.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Transforms/DialectConversion.h"
#include "llvm/ADT/TypeSwitch.h"

#include <string>
#include <vector>

using namespace mlir;
using namespace mlir::potq;
using namespace mlir::potq::lowering;
namespace numerics = ::potq::numerics;

namespace {

/// Loop structure of a contraction: indexing maps of input, weight and
/// output, and the iterator types.
struct ContractionMaps {
  AffineMap input, weight, output;
  SmallVector<utils::IteratorType> iterators;
};

SmallVector<utils::IteratorType> iterators(unsigned parallel,
                                           unsigned reduction) {
  SmallVector<utils::IteratorType> result(parallel,
                                          utils::IteratorType::parallel);
  result.append(reduction, utils::IteratorType::reduction);
  return result;
}

// (m, n, k): x[m, k] * w[k, n] -> y[m, n].
ContractionMaps contractionMaps(MatmulOp op) {
  MLIRContext *ctx = op.getContext();
  AffineExpr m, n, k;
  bindDims(ctx, m, n, k);
  return {AffineMap::get(3, 0, {m, k}, ctx), AffineMap::get(3, 0, {k, n}, ctx),
          AffineMap::get(3, 0, {m, n}, ctx), iterators(2, 1)};
}

// (b, m, n, k): x[b, m, k] * w[b, k, n] -> y[b, m, n].
ContractionMaps contractionMaps(BatchMatmulOp op) {
  MLIRContext *ctx = op.getContext();
  AffineExpr b, m, n, k;
  bindDims(ctx, b, m, n, k);
  return {AffineMap::get(4, 0, {b, m, k}, ctx),
          AffineMap::get(4, 0, {b, k, n}, ctx),
          AffineMap::get(4, 0, {b, m, n}, ctx), iterators(3, 1)};
}

// (n, oh, ow, f, kh, kw, c):
//   x[n, oh*sh + kh*dh, ow*sw + kw*dw, c] * w[kh, kw, c, f] -> y[n, oh, ow, f].
ContractionMaps contractionMaps(Conv2DNhwcHwcfOp op) {
  MLIRContext *ctx = op.getContext();
  AffineExpr n, oh, ow, f, kh, kw, c;
  bindDims(ctx, n, oh, ow, f, kh, kw, c);
  SmallVector<int64_t, 2> s = op.getStrideValues(), d = op.getDilationValues();
  return {AffineMap::get(
              7, 0, {n, oh * s[0] + kh * d[0], ow * s[1] + kw * d[1], c}, ctx),
          AffineMap::get(7, 0, {kh, kw, c, f}, ctx),
          AffineMap::get(7, 0, {n, oh, ow, f}, ctx), iterators(4, 3)};
}

// (n, f, oh, ow, c, kh, kw):
//   x[n, c, oh*sh + kh*dh, ow*sw + kw*dw] * w[f, c, kh, kw] -> y[n, f, oh, ow].
ContractionMaps contractionMaps(Conv2DNchwFchwOp op) {
  MLIRContext *ctx = op.getContext();
  AffineExpr n, f, oh, ow, c, kh, kw;
  bindDims(ctx, n, f, oh, ow, c, kh, kw);
  SmallVector<int64_t, 2> s = op.getStrideValues(), d = op.getDilationValues();
  return {AffineMap::get(
              7, 0, {n, c, oh * s[0] + kh * d[0], ow * s[1] + kw * d[1]}, ctx),
          AffineMap::get(7, 0, {f, c, kh, kw}, ctx),
          AffineMap::get(7, 0, {n, f, oh, ow}, ctx), iterators(4, 3)};
}

// (n, oh, ow, c, kh, kw):
//   x[n, oh*sh + kh*dh, ow*sw + kw*dw, c] * w[kh, kw, c] -> y[n, oh, ow, c].
ContractionMaps contractionMaps(DepthwiseConv2DNhwcHwcOp op) {
  MLIRContext *ctx = op.getContext();
  AffineExpr n, oh, ow, c, kh, kw;
  bindDims(ctx, n, oh, ow, c, kh, kw);
  SmallVector<int64_t, 2> s = op.getStrideValues(), d = op.getDilationValues();
  return {AffineMap::get(
              6, 0, {n, oh * s[0] + kh * d[0], ow * s[1] + kw * d[1], c}, ctx),
          AffineMap::get(6, 0, {kh, kw, c}, ctx),
          AffineMap::get(6, 0, {n, oh, ow, c}, ctx), iterators(4, 2)};
}

/// Result dimensions whose dynamic size equals the input's dimension of the
/// same index (batch dimensions and matmul rows).
unsigned leadingInputDims(MatmulOp) { return 1; }
unsigned leadingInputDims(BatchMatmulOp) { return 2; }
unsigned leadingInputDims(Conv2DNhwcHwcfOp) { return 1; }
unsigned leadingInputDims(Conv2DNchwFchwOp) { return 1; }
unsigned leadingInputDims(DepthwiseConv2DNhwcHwcOp) { return 1; }

/// The weight's decomposition as `2 * terms` i8 constant planes
/// (exponent, sign) shaped like the weight.
SmallVector<Value> weightPlanes(Operation *op, ConstantOp weight,
                                OpBuilder &b) {
  auto weightType = cast<RankedTensorType>(weight.getType());
  QuantizedType qtype = getQuantizedElementType(weightType);
  const numerics::LevelSet &levels = qtype.getLevelSet();
  bool isSigned = qtype.isStorageSigned();
  SmallVector<const std::vector<numerics::Term> *> terms;
  size_t numTerms = 0;
  for (const APInt &raw :
       cast<DenseIntElementsAttr>(weight.getValue()).getValues<APInt>()) {
    int64_t level = isSigned ? raw.getSExtValue() : int64_t(raw.getZExtValue());
    terms.push_back(&levels.decompose(level));
    numTerms = std::max(numTerms, terms.back()->size());
  }
  auto planeType = weightType.clone(b.getI8Type());
  SmallVector<Value> planes;
  for (size_t t = 0; t < numTerms; ++t) {
    SmallVector<int8_t> exps, signs;
    for (const auto *decomposition : terms) {
      bool has = t < decomposition->size();
      exps.push_back(has ? int8_t((*decomposition)[t].exp) : 0);
      signs.push_back(has ? int8_t((*decomposition)[t].sign) : 0);
    }
    for (ArrayRef<int8_t> plane :
         {ArrayRef<int8_t>(exps), ArrayRef<int8_t>(signs)})
      planes.push_back(arith::ConstantOp::create(
          b, op->getLoc(), planeType,
          DenseIntElementsAttr::get(planeType, plane)));
  }
  return planes;
}

/// Body of the accumulation: acc + Σ_t s_t · ((x - Zx) << e_t), without any
/// multiply. `args` = [x, e_0, s_0, e_1, s_1, ..., acc].
Value shiftAddBody(OpBuilder &b, Location loc, ValueRange args,
                   bool inputSigned, int64_t inputZeroPoint) {
  Value acc = args.back();
  Type accType = acc.getType();
  Value x = castInteger(b, loc, args.front(), accType, inputSigned);
  if (inputZeroPoint != 0)
    x = arith::SubIOp::create(b, loc, x,
                              intConstant(b, loc, accType, inputZeroPoint));
  Value zero = intConstant(b, loc, accType, 0);
  Value zeroI8 = intConstant(b, loc, b.getI8Type(), 0);
  ValueRange planes = args.drop_front().drop_back();
  for (size_t t = 0; t + 1 < planes.size(); t += 2) {
    Value exp = castInteger(b, loc, planes[t], accType, /*isSigned=*/false);
    Value sign = planes[t + 1];
    Value shifted = arith::ShLIOp::create(b, loc, x, exp);
    Value negated = arith::SubIOp::create(b, loc, zero, shifted);
    Value isNegative =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, sign, zeroI8);
    Value isZero =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, sign, zeroI8);
    Value term = arith::SelectOp::create(b, loc, isNegative, negated, shifted);
    term = arith::SelectOp::create(b, loc, isZero, zero, term);
    acc = arith::AddIOp::create(b, loc, acc, term);
  }
  return acc;
}

//===----------------------------------------------------------------------===//
// Runtime kernels (kernels=runtime)
//===----------------------------------------------------------------------===//

/// Name of the external function computing a matmul's accumulators
/// (C interface `_mlir_ciface_potq_rt_matmul_i8`, lib/Runtime/MlirEntryPoints).
constexpr llvm::StringLiteral kMatmulEntry = "potq_rt_matmul_i8";
/// The same for potq.conv_2d_nhwc_hwcf (`_mlir_ciface_potq_rt_conv2d_nhwc_i8`).
constexpr llvm::StringLiteral kConvEntry = "potq_rt_conv2d_nhwc_i8";

/// A weight packed for the runtime, with what the call needs.
struct PackedWeight {
  std::vector<uint8_t> bytes;
  int64_t k = 0, n = 0;
};

/// Why `op` cannot call the runtime (empty if it can); packs the weight into
/// `packed` when it can. Packing and a one-row dry run of potq_gemm with the
/// requested strategy on the scalar kernels check, at compile time, that the
/// levels are representable, so the call cannot fail at run time on them.
std::string runtimeIneligibility(Operation *op, const KernelOptions &options,
                                 PackedWeight &packed) {
  auto matmul = dyn_cast<MatmulOp>(op);
  auto conv = dyn_cast<Conv2DNhwcHwcfOp>(op);
  if (!matmul && !conv)
    return "only potq.matmul and potq.conv_2d_nhwc_hwcf call the runtime";
  if (op->hasAttr("wide_accumulator"))
    return "wide (i64) accumulator";
  auto resultType = cast<RankedTensorType>(op->getResult(0).getType());
  if (resultType.getElementType().isInteger(64))
    return "i64 accumulator result";
  Value inputValue = matmul ? matmul.getInput() : conv.getInput();
  Value weightValue = matmul ? matmul.getWeight() : conv.getWeight();
  auto inputType = cast<RankedTensorType>(inputValue.getType());
  QuantizedType in = getQuantizedElementType(inputType);
  if (!in || in.getStorageType().getWidth() != 8)
    return "input storage is not 8-bit";
  int64_t zx = in.getZeroPoint();
  if (!in.isStorageSigned())
    zx -= 128; // the call sees x - 128 (see accumulateWithRuntime)
  if (zx < -128 || zx > 127)
    return "input zero point out of range";
  auto weight = weightValue.getDefiningOp<ConstantOp>();
  if (!weight)
    return "weight is not a potq.constant";
  auto weightType = cast<RankedTensorType>(weight.getType());
  if (!weightType.hasStaticShape())
    return "weight shape is not static";
  if (matmul && ShapedType::isDynamic(inputType.getShape()[1]))
    return "dynamic K";
  if (conv) {
    if (llvm::any_of(conv.getDilationValues(),
                     [](int64_t d) { return d != 1; }))
      return "dilated convolution";
    if (llvm::any_of(inputType.getShape().drop_front(), ShapedType::isDynamic))
      return "dynamic H, W or C";
  }
  QuantizedType w = getQuantizedElementType(weightType);
  std::optional<std::vector<int32_t>> table =
      ::potq::runtime::levelTable(w.getEncoding().getEncoding());
  if (!table)
    return "weight codes wider than 8 bits";
  int32_t bits = 0;
  while ((size_t(1) << bits) < table->size())
    ++bits;
  if (bits < 1)
    bits = 1, table->resize(2, 0);
  // HWCF weights are the K x N matrix with K = KH*KW*C, N = F (row
  // (kh*KW + kw)*C + c), which is their row-major order.
  int64_t n = weightType.getShape().back();
  int64_t k = 1;
  for (int64_t d : weightType.getShape().drop_back())
    k *= d;
  std::vector<int32_t> levels;
  levels.reserve(size_t(k * n));
  bool isSigned = w.isStorageSigned();
  for (const APInt &raw :
       cast<DenseIntElementsAttr>(weight.getValue()).getValues<APInt>()) {
    int64_t level = isSigned ? raw.getSExtValue() : int64_t(raw.getZExtValue());
    if (level < INT16_MIN || level > INT16_MAX)
      return "a weight level does not fit int16";
    levels.push_back(int32_t(level));
  }
  int64_t size = 0;
  if (int32_t st = potq_packed_size(k, n, bits, &size))
    return std::string("potq_packed_size: ") + potq_status_string(st);
  packed.bytes.assign(size_t(size), 0);
  if (int32_t st = potq_pack_weights(levels.data(), k, n, n, table->data(),
                                     bits, packed.bytes.data(), size))
    return std::string("potq_pack_weights: ") + potq_status_string(st);
  packed.k = k;
  packed.n = n;
  // Dry run on one row: rejects levels the strategy cannot represent.
  std::vector<int8_t> x(size_t(std::max<int64_t>(k, 1)), 0);
  std::vector<int32_t> acc(size_t(std::max<int64_t>(n, 1)), 0);
  if (int32_t st =
          potq_gemm(1, n, k, x.data(), std::max<int64_t>(k, 1), int32_t(zx),
                    packed.bytes.data(), acc.data(), std::max<int64_t>(n, 1),
                    options.strategy, POTQ_ISA_SCALAR, 1))
    return std::string("potq_gemm rejects the weight: ") +
           potq_status_string(st);
  return "";
}

/// memref<?x...xT, strided<[?, ...], offset: ?>>: the type of the runtime
/// entry points' memref arguments.
MemRefType dynamicStridedMemRef(Type element, ArrayRef<int64_t> shape) {
  MLIRContext *ctx = element.getContext();
  SmallVector<int64_t> strides(shape.size(), ShapedType::kDynamic);
  return MemRefType::get(
      shape, element,
      StridedLayoutAttr::get(ctx, ShapedType::kDynamic, strides));
}

/// Declares `func.func private @name(types) attributes
/// {llvm.emit_c_interface}` in the module once.
FlatSymbolRefAttr declareEntry(ConversionPatternRewriter &rewriter,
                               ModuleOp module, StringRef name,
                               TypeRange types) {
  MLIRContext *ctx = module.getContext();
  if (!module.lookupSymbol(name)) {
    OpBuilder::InsertionGuard guard(rewriter);
    rewriter.setInsertionPointToStart(module.getBody());
    auto decl = func::FuncOp::create(rewriter, module.getLoc(), name,
                                     FunctionType::get(ctx, types, {}));
    decl.setPrivate();
    decl->setAttr(LLVM::LLVMDialect::getEmitCWrapperAttrName(),
                  UnitAttr::get(ctx));
  }
  return FlatSymbolRefAttr::get(ctx, name);
}

/// `memref.global "private" constant @__potq_packed_<i>` holding `bytes`,
/// 64-byte aligned.
memref::GlobalOp packedGlobal(ConversionPatternRewriter &rewriter,
                              ModuleOp module, Location loc,
                              ArrayRef<uint8_t> bytes) {
  MLIRContext *ctx = module.getContext();
  std::string name;
  for (unsigned i = 0;; ++i) {
    name = "__potq_packed_" + std::to_string(i);
    if (!module.lookupSymbol(name))
      break;
  }
  auto type =
      MemRefType::get({int64_t(bytes.size())}, IntegerType::get(ctx, 8));
  auto tensorType =
      RankedTensorType::get({int64_t(bytes.size())}, IntegerType::get(ctx, 8));
  ArrayRef<int8_t> data(reinterpret_cast<const int8_t *>(bytes.data()),
                        bytes.size());
  OpBuilder::InsertionGuard guard(rewriter);
  rewriter.setInsertionPointToStart(module.getBody());
  return memref::GlobalOp::create(
      rewriter, loc, name, rewriter.getStringAttr("private"), type,
      DenseElementsAttr::get(tensorType, data), /*constant=*/true,
      rewriter.getI64IntegerAttr(64));
}

/// The i32 accumulators of `op` computed by the runtime: the input tensor
/// (storage levels; unsigned levels are shifted to int8 by flipping the top
/// bit, with the zero point shifted alike) is read as a memref, the call
/// writes a fresh buffer, which becomes the result tensor.
Value accumulateWithRuntime(Operation *op, Value input,
                            const PackedWeight &packed,
                            const KernelOptions &options,
                            ConversionPatternRewriter &rewriter) {
  Location loc = op->getLoc();
  auto module = op->getParentOfType<ModuleOp>();
  auto conv = dyn_cast<Conv2DNhwcHwcfOp>(op);
  QuantizedType in = getQuantizedElementType(
      cast<RankedTensorType>(op->getOperand(0).getType()));
  Type i8 = rewriter.getI8Type(), i32 = rewriter.getI32Type();
  auto inputType = cast<RankedTensorType>(input.getType());
  int64_t zx = in.getZeroPoint();
  if (!in.isStorageSigned()) {
    // x - zx == (x - 128) - (zx - 128), and x - 128 is x ^ 0x80 read as int8.
    Value flip = intConstant(rewriter, loc, i8, -128);
    input = buildElementwise(
        rewriter, loc, ValueRange{input}, inputType, ValueRange{},
        /*channelDim=*/0,
        [&](OpBuilder &b, Location l, ValueRange values, ValueRange) {
          return Value(arith::XOrIOp::create(b, l, values[0], flip));
        });
    zx -= 128;
  }
  // Input: read-only buffer (any layout), cast to the entry's type.
  int64_t rank = inputType.getRank();
  SmallVector<int64_t> dynamicShape(rank, ShapedType::kDynamic);
  MemRefType dynInput = dynamicStridedMemRef(i8, dynamicShape);
  MemRefType inputBufferType = dynamicStridedMemRef(i8, inputType.getShape());
  Value x = bufferization::ToBufferOp::create(rewriter, loc, inputBufferType,
                                              input, /*read_only=*/true);
  x = memref::CastOp::create(rewriter, loc, dynInput, x);
  // Packed weight.
  memref::GlobalOp global = packedGlobal(rewriter, module, loc, packed.bytes);
  Value w = memref::GetGlobalOp::create(rewriter, loc, global.getType(),
                                        global.getSymName());
  auto dyn1i8 = MemRefType::get({ShapedType::kDynamic}, i8);
  w = memref::CastOp::create(rewriter, loc, dyn1i8, w);
  // Accumulators, shaped like the result.
  auto resultType = cast<RankedTensorType>(op->getResult(0).getType());
  auto accType = MemRefType::get(resultType.getShape(), i32);
  SmallVector<Value> dynamicSizes;
  if (accType.isDynamicDim(0))
    dynamicSizes.push_back(tensor::DimOp::create(rewriter, loc, input, 0));
  Value acc = memref::AllocOp::create(rewriter, loc, accType, dynamicSizes,
                                      rewriter.getI64IntegerAttr(64));
  MemRefType dynAcc = dynamicStridedMemRef(i32, dynamicShape);
  Value accArg = memref::CastOp::create(rewriter, loc, dynAcc, acc);
  SmallVector<Value> args{x, w, accArg, intConstant(rewriter, loc, i32, zx)};
  StringRef entry = kMatmulEntry;
  if (conv) {
    entry = kConvEntry;
    auto weightType = cast<RankedTensorType>(conv.getWeight().getType());
    SmallVector<int64_t, 2> strides = conv.getStrideValues();
    for (int64_t v : {weightType.getShape()[0], weightType.getShape()[1],
                      strides[0], strides[1]})
      args.push_back(intConstant(rewriter, loc, i32, v));
  }
  for (int32_t v : {options.strategy, options.isa, options.threads})
    args.push_back(intConstant(rewriter, loc, i32, v));
  SmallVector<Type> argTypes;
  for (Value arg : args)
    argTypes.push_back(arg.getType());
  FlatSymbolRefAttr callee = declareEntry(rewriter, module, entry, argTypes);
  func::CallOp::create(rewriter, loc, callee, TypeRange{}, args);
  return bufferization::ToTensorOp::create(rewriter, loc, resultType.clone(i32),
                                           acc, /*restrict=*/true);
}

template <typename OpTy>
struct ContractionLowering : OpConversionPattern<OpTy> {
  using OpAdaptor = typename OpConversionPattern<OpTy>::OpAdaptor;

  ContractionLowering(const TypeConverter &converter, MLIRContext *ctx,
                      const KernelOptions &kernels)
      : OpConversionPattern<OpTy>(converter, ctx), kernels(kernels) {}

  KernelOptions kernels;

  /// Step 1 with the runtime, or null to use the loops.
  Value accumulateRuntime(OpTy op, OpAdaptor adaptor,
                          ConversionPatternRewriter &rewriter) const {
    if (!kernels.runtime)
      return nullptr;
    PackedWeight packed;
    std::string reason = runtimeIneligibility(op, kernels, packed);
    if (!reason.empty()) {
      if (kernels.report)
        op.emitRemark() << "contraction keeps the shift-add loops: " << reason;
      return nullptr;
    }
    if constexpr (std::is_same_v<OpTy, MatmulOp> ||
                  std::is_same_v<OpTy, Conv2DNhwcHwcfOp>) {
      if (kernels.report)
        op.emitRemark() << "contraction calls the runtime ("
                        << (std::is_same_v<OpTy, MatmulOp> ? kMatmulEntry
                                                           : kConvEntry)
                        << ", " << packed.bytes.size()
                        << " bytes of packed weights)";
      return accumulateWithRuntime(op, adaptor.getInput(), packed, kernels,
                                   rewriter);
    }
    return nullptr;
  }

  /// Step 1 with shifts and adds: a linalg.generic over the weight's
  /// exponent/sign planes.
  Value accumulateLoops(OpTy op, OpAdaptor adaptor, ConstantOp weight,
                        Type accType,
                        ConversionPatternRewriter &rewriter) const {
    Location loc = op.getLoc();
    RankedTensorType resultType = op.getResult().getType();
    QuantizedType in = getQuantizedElementType(op.getInput().getType());
    SmallVector<Value> planes = weightPlanes(op, weight, rewriter);
    ContractionMaps maps = contractionMaps(op);
    SmallVector<Value> inputs{adaptor.getInput()};
    SmallVector<AffineMap> indexingMaps{maps.input};
    for (Value plane : planes) {
      inputs.push_back(plane);
      indexingMaps.push_back(maps.weight);
    }
    indexingMaps.push_back(maps.output);
    Value init = emptyLike(rewriter, loc, resultType.getShape(), accType,
                           adaptor.getInput());
    Value zero = intConstant(rewriter, loc, accType, 0);
    init = linalg::FillOp::create(rewriter, loc, zero, init).getResult(0);
    bool inputSigned = in.isStorageSigned();
    int64_t inputZeroPoint = in.getZeroPoint();
    auto accumulate = linalg::GenericOp::create(
        rewriter, loc, TypeRange{init.getType()}, inputs, ValueRange{init},
        indexingMaps, maps.iterators,
        [&](OpBuilder &b, Location l, ValueRange args) {
          linalg::YieldOp::create(
              b, l, shiftAddBody(b, l, args, inputSigned, inputZeroPoint));
        });
    return accumulate.getResult(0);
  }

  LogicalResult
  matchAndRewrite(OpTy op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    // verifyContractionLowerable() reported unsupported cases already.
    auto weight = op.getWeight().template getDefiningOp<ConstantOp>();
    if (!weight)
      return rewriter.notifyMatchFailure(op, "weight is not a potq.constant");
    RankedTensorType resultType = op.getResult().getType();
    QuantizedType in = getQuantizedElementType(op.getInput().getType());
    QuantizedType w = getQuantizedElementType(op.getWeight().getType());
    QuantizedType out = getQuantizedElementType(resultType);
    bool wide =
        op.getWideAccumulator() || resultType.getElementType().isInteger(64);
    Type accType =
        wide ? Type(rewriter.getI64Type()) : Type(rewriter.getI32Type());

    // 1. Accumulate: a runtime call, or shifts and adds.
    Value acc = accType.isInteger(32) ? accumulateRuntime(op, adaptor, rewriter)
                                      : Value();
    if (!acc)
      acc = accumulateLoops(op, adaptor, weight, accType, rewriter);

    // 2. Epilogue: bias, residual, requantization, clamp.
    Value bias = adaptor.getBias();
    Value residual = adaptor.getResidual();
    if (!out && !bias) {
      rewriter.replaceOp(op, acc);
      return success();
    }
    SmallVector<Value> channelInputs;
    if (bias)
      channelInputs.push_back(bias);
    EpilogueMultipliers multipliers, residualMultipliers;
    int64_t lo = 0, hi = 0;
    Type resultElement = accType;
    QuantizedType rt = residual
                           ? getQuantizedElementType(op.getResidual().getType())
                           : nullptr;
    if (out) {
      SmallVector<double> ratios, residualRatios;
      for (float sw : w.getScales().asArrayRef()) {
        double accScale = double(in.getScale()) * double(sw);
        ratios.push_back(accScale / double(out.getScale()));
        if (rt)
          residualRatios.push_back(double(rt.getScale()) / accScale);
      }
      multipliers = addMultiplierInputs(rewriter, loc, toFixedPoint(ratios),
                                        channelInputs);
      if (rt)
        residualMultipliers = addMultiplierInputs(
            rewriter, loc, toFixedPoint(residualRatios), channelInputs);
      const numerics::LevelSet &levels = out.getLevelSet();
      // I64Attr accessors return uint64_t; the bounds are signed levels.
      std::optional<int64_t> clampMin = op.getClampMin();
      std::optional<int64_t> clampMax = op.getClampMax();
      lo = std::max(levels.min(), clampMin.value_or(levels.min()));
      hi = std::min(levels.max(), clampMax.value_or(levels.max()));
      resultElement = out.getStorageType();
    }
    auto epilogueType = resultType.clone(resultElement);
    bool hasBias = bool(bias);
    int64_t outZeroPoint = out ? out.getZeroPoint() : 0;
    SmallVector<Value> epilogueInputs{acc};
    if (residual)
      epilogueInputs.push_back(residual);
    Value result = buildElementwise(
        rewriter, loc, epilogueInputs, epilogueType, channelInputs,
        op.getResultChannelAxis(),
        [&](OpBuilder &b, Location l, ValueRange values, ValueRange channels) {
          Value value = values[0];
          if (!out) // integer result: acc + bias
            return Value(arith::AddIOp::create(
                b, l, value,
                castInteger(b, l, channels[0], accType, /*isSigned=*/true)));
          // i64 suffices for an i32 accumulator (|acc * M| < 2^62); a wide
          // accumulator requantizes in i128.
          Type math = wide ? b.getIntegerType(128) : b.getI64Type();
          Value sum = castInteger(b, l, value, math, /*isSigned=*/true);
          if (hasBias)
            sum = arith::AddIOp::create(
                b, l, sum,
                castInteger(b, l, channels[0], math, /*isSigned=*/true));
          if (rt) {
            // The residual in accumulator units: (R - Zr) * sr / (sx * sw).
            Value r = castInteger(b, l, values[1], math, rt.isStorageSigned());
            if (rt.getZeroPoint() != 0)
              r = arith::SubIOp::create(
                  b, l, r, intConstant(b, l, math, rt.getZeroPoint()));
            r = residualMultipliers.buildRescale(b, l, r, channels);
            sum = arith::AddIOp::create(b, l, sum, r);
          }
          Value y =
              multipliers.build(b, l, sum, channels, outZeroPoint, lo, hi);
          return castInteger(b, l, y, resultElement, /*isSigned=*/true);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// Reports why `op` cannot be lowered, if it cannot.
template <typename OpTy> LogicalResult verifyLowerable(OpTy op) {
  if (!op.getWeight().template getDefiningOp<ConstantOp>())
    return op.emitOpError(
        "shift-add lowering needs a constant weight (potq.constant); run "
        "--canonicalize to fold quantized constant weights");
  unsigned leading = leadingInputDims(op);
  for (auto [dim, size] : llvm::enumerate(op.getResult().getType().getShape()))
    if (ShapedType::isDynamic(size) && dim >= leading)
      return op.emitOpError()
             << "shift-add lowering supports dynamic sizes only in batch "
                "dimensions; result dimension "
             << dim << " is dynamic";
  return success();
}

} // namespace

namespace mlir::potq::lowering {
LogicalResult verifyContractionLowerable(Operation *op) {
  return TypeSwitch<Operation *, LogicalResult>(op)
      .Case<MatmulOp, BatchMatmulOp, Conv2DNhwcHwcfOp, Conv2DNchwFchwOp,
            DepthwiseConv2DNhwcHwcOp>(
          [](auto contraction) { return verifyLowerable(contraction); })
      .Default([](Operation *) { return success(); });
}

void populateContractionLoweringPatterns(const TypeConverter &converter,
                                         RewritePatternSet &patterns,
                                         const KernelOptions &kernels) {
  patterns
      .add<ContractionLowering<MatmulOp>, ContractionLowering<BatchMatmulOp>,
           ContractionLowering<Conv2DNhwcHwcfOp>,
           ContractionLowering<Conv2DNchwFchwOp>,
           ContractionLowering<DepthwiseConv2DNhwcHwcOp>>(
          converter, patterns.getContext(), kernels);
}
} // namespace mlir::potq::lowering
