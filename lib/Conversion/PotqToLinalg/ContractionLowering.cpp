//===- ContractionLowering.cpp - potq contractions -> shift-add generics --===//
//
// A contraction becomes two linalg.generic ops:
//  1. the accumulation, where each weight level W = Σ_t s_t·2^e_t (its
//     canonical decomposition, SPEC section 2) contributes Σ_t s_t·(x << e_t):
//     the weight is stored as one i8 exponent plane and one i8 sign plane per
//     term, and the body only shifts, negates, selects and adds;
//  2. an elementwise epilogue adding the bias and requantizing (SPEC
//     section 6) with clamping, when the result is quantized.
// With kernels=runtime, step 1 of an eligible potq.matmul, batch_matmul,
// conv_2d_nhwc_hwcf or conv_2d_nchw_fchw is instead a call (or, per batch
// slice, calls) into the native kernel runtime (PotqRuntime) on memrefs,
// with the weight packed at compile time into a memref.global; step 2 is
// the same.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"
#include "PatternsInternal.h"

#include "potq/Dialect/Potq/IR/PotqOps.h"
#include "potq/Limits.h"
#include "potq/Runtime/LevelTable.h"
#include "potq/Runtime/Runtime.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Transforms/DialectConversion.h"
#include "llvm/ADT/TypeSwitch.h"

#include <string>
#include <vector>

using namespace mlir;
using namespace potq;
using namespace potq::lowering;
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
/// (exponent, sign) shaped like the weight; splat planes for a splat weight.
/// verifyLowerable() checked the size of the others (potq/Limits.h).
SmallVector<Value> weightPlanes(Operation *op, ConstantOp weight,
                                OpBuilder &b) {
  auto weightType = cast<RankedTensorType>(weight.getType());
  QuantizedType qtype = getQuantizedElementType(weightType);
  const numerics::LevelSet &levels = qtype.getLevelSet();
  bool isSigned = qtype.isStorageSigned();
  auto values = cast<DenseIntElementsAttr>(weight.getValue());
  SmallVector<const std::vector<numerics::Term> *> terms;
  size_t numTerms = 0;
  auto addLevel = [&](const APInt &raw) {
    int64_t level = isSigned ? raw.getSExtValue() : int64_t(raw.getZExtValue());
    terms.push_back(&levels.decompose(level));
    numTerms = std::max(numTerms, terms.back()->size());
  };
  if (values.isSplat())
    addLevel(values.getSplatValue<APInt>()); // one element: a splat plane
  else
    for (const APInt &raw : values.getValues<APInt>())
      addLevel(raw);
  // All-zero weights have no terms, but one (exponent, sign = 0) plane pair
  // is still needed: the planes are the only operands that carry the kernel
  // window's loops, which would otherwise have no bound (invalid generic).
  numTerms = std::max<size_t>(numTerms, 1);
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
  /// One packed K x N matrix, or (batch_matmul) `batch` of them back to
  /// back, each starting `sliceBytes` (a multiple of 64) after the last.
  std::vector<uint8_t> bytes;
  int64_t k = 0, n = 0;
  int64_t batch = 1, sliceBytes = 0;
  /// Convolutions: kernel size and strides.
  int64_t kh = 1, kw = 1, sh = 1, sw = 1;
};

/// Packs the row-major K x N matrix `levels` and appends it to `out`;
/// a one-row dry run of potq_gemm with the requested strategy on the scalar
/// kernels rejects levels the strategy cannot represent. Returns why it
/// cannot (empty if it can).
std::string packMatrix(ArrayRef<int32_t> levels, int64_t k, int64_t n,
                       ArrayRef<int32_t> table, int32_t bits, int64_t zx,
                       const KernelOptions &options,
                       std::vector<uint8_t> &out) {
  int64_t size = 0;
  if (int32_t st = potq_packed_size(k, n, bits, &size))
    return std::string("potq_packed_size: ") + potq_status_string(st);
  size_t at = out.size();
  out.resize(at + size_t(size), 0);
  uint8_t *packed = out.data() + at;
  if (int32_t st = potq_pack_weights(levels.data(), k, n, n, table.data(), bits,
                                     packed, size))
    return std::string("potq_pack_weights: ") + potq_status_string(st);
  std::vector<int8_t> x(size_t(std::max<int64_t>(k, 1)), 0);
  std::vector<int32_t> acc(size_t(std::max<int64_t>(n, 1)), 0);
  if (int32_t st =
          potq_gemm(1, n, k, x.data(), std::max<int64_t>(k, 1), int32_t(zx),
                    packed, acc.data(), std::max<int64_t>(n, 1),
                    int32_t(options.strategy), POTQ_ISA_SCALAR, 1))
    return std::string("potq_gemm rejects the weight: ") +
           potq_status_string(st);
  return "";
}

/// Why `op` cannot call the runtime (empty if it can); packs the weight into
/// `packed` when it can. Packing and a one-row dry run of potq_gemm with the
/// requested strategy on the scalar kernels check, at compile time, that the
/// levels are representable, so the call cannot fail at run time on them.
std::string runtimeIneligibility(Operation *op, const KernelOptions &options,
                                 PackedWeight &packed) {
  if (!isa<MatmulOp, BatchMatmulOp, Conv2DNhwcHwcfOp, Conv2DNchwFchwOp>(op))
    return "only potq.matmul, potq.batch_matmul, potq.conv_2d_nhwc_hwcf and "
           "potq.conv_2d_nchw_fchw call the runtime";
  auto batched = dyn_cast<BatchMatmulOp>(op);
  auto nchw = dyn_cast<Conv2DNchwFchwOp>(op);
  bool conv = isa<Conv2DNhwcHwcfOp, Conv2DNchwFchwOp>(op);
  if (op->hasAttr("wide_accumulator"))
    return "wide (i64) accumulator";
  auto resultType = cast<RankedTensorType>(op->getResult(0).getType());
  if (resultType.getElementType().isInteger(64))
    return "i64 accumulator result";
  // All four take (input, weight, ...).
  Value inputValue = op->getOperand(0);
  Value weightValue = op->getOperand(1);
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
  ArrayRef<int64_t> ws = weightType.getShape();
  if (!conv && ShapedType::isDynamic(inputType.getShape().back()))
    return "dynamic K";
  if (batched && (ws[0] == 0 || ws[1] == 0))
    return "empty batch or K = 0";
  if (conv) {
    SmallVector<int64_t, 2> dilations =
        nchw ? nchw.getDilationValues()
             : cast<Conv2DNhwcHwcfOp>(op).getDilationValues();
    if (llvm::any_of(dilations, [](int64_t d) { return d != 1; }))
      return "dilated convolution";
    if (llvm::any_of(inputType.getShape().drop_front(), ShapedType::isDynamic))
      return "dynamic H, W or C";
    SmallVector<int64_t, 2> strides =
        nchw ? nchw.getStrideValues()
             : cast<Conv2DNhwcHwcfOp>(op).getStrideValues();
    packed.sh = strides[0];
    packed.sw = strides[1];
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
  // Packing expands even a splat weight (potq/Limits.h): a larger one keeps
  // the shift-add loops, whose planes stay splats.
  if (!::potq::fitsMaterializationLimit(weightType.getNumElements(),
                                        sizeof(int32_t)))
    return "weight of " + std::to_string(weightType.getNumElements()) +
           " elements is too large to pack";
  std::vector<int32_t> levels;
  levels.reserve(size_t(weightType.getNumElements()));
  bool isSigned = w.isStorageSigned();
  for (const APInt &raw :
       cast<DenseIntElementsAttr>(weight.getValue()).getValues<APInt>()) {
    int64_t level = isSigned ? raw.getSExtValue() : int64_t(raw.getZExtValue());
    if (level < INT16_MIN || level > INT16_MAX)
      return "a weight level does not fit int16";
    levels.push_back(int32_t(level));
  }
  // Each packed matrix is K x N in row-major order. Matmul: the [K, N]
  // weight; batch_matmul: each [K, N] slice of [B, K, N]; HWCF: K =
  // KH*KW*C, N = F (row (kh*KW + kw)*C + c), its row-major order; FCHW is
  // re-laid out as HWCF.
  if (nchw) {
    int64_t f = ws[0], c = ws[1], kh = ws[2], kw = ws[3];
    std::vector<int32_t> hwcf(levels.size());
    for (int64_t o = 0; o < f; ++o)
      for (int64_t i = 0; i < c; ++i)
        for (int64_t y = 0; y < kh; ++y)
          for (int64_t x = 0; x < kw; ++x)
            hwcf[size_t(((y * kw + x) * c + i) * f + o)] =
                levels[size_t(((o * c + i) * kh + y) * kw + x)];
    levels = std::move(hwcf);
    packed.kh = kh;
    packed.kw = kw;
    packed.n = f;
    packed.k = kh * kw * c;
  } else {
    if (conv) {
      packed.kh = ws[0];
      packed.kw = ws[1];
    }
    packed.n = ws.back();
    packed.k = batched ? ws[1] : 1;
    if (!batched)
      for (int64_t d : ws.drop_back())
        packed.k *= d;
    packed.batch = batched ? ws[0] : 1;
  }
  size_t slice = size_t(packed.k * packed.n);
  for (int64_t b = 0; b < packed.batch; ++b) {
    std::string reason =
        packMatrix(ArrayRef<int32_t>(levels).slice(size_t(b) * slice, slice),
                   packed.k, packed.n, *table, bits, zx, options, packed.bytes);
    if (!reason.empty())
      return reason;
    if (!batched)
      continue;
    // Slices start 64-byte aligned (the global is).
    if (b == 0)
      packed.sliceBytes = int64_t(llvm::alignTo(packed.bytes.size(), 64));
    packed.bytes.resize(size_t((b + 1) * packed.sliceBytes), 0);
  }
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

/// `input` with its dimensions permuted (result dimension i is input
/// dimension perm[i]): a linalg.transpose on tensors.
Value transposeTensor(OpBuilder &b, Location loc, Value input,
                      ArrayRef<int64_t> perm) {
  auto type = cast<RankedTensorType>(input.getType());
  SmallVector<int64_t> shape;
  SmallVector<Value> dynamicSizes;
  for (int64_t d : perm) {
    shape.push_back(type.getShape()[d]);
    if (type.isDynamicDim(d))
      dynamicSizes.push_back(tensor::DimOp::create(b, loc, input, d));
  }
  Value init = tensor::EmptyOp::create(b, loc, shape, type.getElementType(),
                                       dynamicSizes);
  return linalg::TransposeOp::create(b, loc, input, init, perm).getResult()[0];
}

/// A rank-reduced [M, X] slice `index` of the [B, M, X] memref `source`,
/// cast to the entry points' dynamic strided type.
Value batchSlice(OpBuilder &b, Location loc, Value source, Value index) {
  auto type = cast<MemRefType>(source.getType());
  SmallVector<OpFoldResult> offsets{index, b.getIndexAttr(0),
                                    b.getIndexAttr(0)};
  SmallVector<OpFoldResult> sizes{b.getIndexAttr(1)};
  for (int64_t d : {1, 2})
    sizes.push_back(
        type.isDynamicDim(d)
            ? OpFoldResult(memref::DimOp::create(b, loc, source, d).getResult())
            : OpFoldResult(b.getIndexAttr(type.getDimSize(d))));
  SmallVector<OpFoldResult> strides(3, b.getIndexAttr(1));
  MemRefType sliceType = memref::SubViewOp::inferRankReducedResultType(
      type.getShape().drop_front(), type, offsets, sizes, strides);
  Value slice = memref::SubViewOp::create(b, loc, sliceType, source, offsets,
                                          sizes, strides);
  SmallVector<int64_t> dynamicShape(2, ShapedType::kDynamic);
  return memref::CastOp::create(
      b, loc, dynamicStridedMemRef(type.getElementType(), dynamicShape), slice);
}

/// The i32 accumulators of `op` computed by the runtime: the input tensor
/// (storage levels; unsigned levels are shifted to int8 by flipping the top
/// bit, with the zero point shifted alike) is read as a memref, the call
/// writes a fresh buffer, which becomes the result tensor. NCHW
/// convolutions transpose the input to NHWC and the accumulators back;
/// batch matmuls call the matmul entry point once per batch slice (an
/// scf.for over the packed slices of one global).
Value accumulateWithRuntime(Operation *op, Value input,
                            const PackedWeight &packed,
                            const KernelOptions &options,
                            ConversionPatternRewriter &rewriter) {
  Location loc = op->getLoc();
  auto module = op->getParentOfType<ModuleOp>();
  bool nchw = isa<Conv2DNchwFchwOp>(op);
  bool conv = nchw || isa<Conv2DNhwcHwcfOp>(op);
  bool batched = isa<BatchMatmulOp>(op);
  QuantizedType in = getQuantizedElementType(
      cast<RankedTensorType>(op->getOperand(0).getType()));
  Type i8 = rewriter.getI8Type(), i32 = rewriter.getI32Type();
  int64_t zx = in.getZeroPoint();
  if (!in.isStorageSigned()) {
    // x - zx == (x - 128) - (zx - 128), and x - 128 is x ^ 0x80 read as int8.
    Value flip = intConstant(rewriter, loc, i8, -128);
    input = buildElementwise(
        rewriter, loc, ValueRange{input},
        cast<RankedTensorType>(input.getType()), ValueRange{},
        /*channelDim=*/0,
        [&](OpBuilder &b, Location l, ValueRange values, ValueRange) {
          return Value(arith::XOrIOp::create(b, l, values[0], flip));
        });
    zx -= 128;
  }
  if (nchw)
    input = transposeTensor(rewriter, loc, input, {0, 2, 3, 1});
  auto inputType = cast<RankedTensorType>(input.getType());
  // Input: read-only buffer (any layout), cast to the entry's type.
  int64_t rank = inputType.getRank();
  SmallVector<int64_t> dynamicShape(rank, ShapedType::kDynamic);
  MemRefType inputBufferType = dynamicStridedMemRef(i8, inputType.getShape());
  Value x = bufferization::ToBufferOp::create(rewriter, loc, inputBufferType,
                                              input, /*read_only=*/true);
  if (!batched)
    x = memref::CastOp::create(rewriter, loc,
                               dynamicStridedMemRef(i8, dynamicShape), x);
  // Packed weight.
  memref::GlobalOp global = packedGlobal(rewriter, module, loc, packed.bytes);
  Value w = memref::GetGlobalOp::create(rewriter, loc, global.getType(),
                                        global.getSymName());
  auto dyn1i8 = MemRefType::get({ShapedType::kDynamic}, i8);
  if (!batched)
    w = memref::CastOp::create(rewriter, loc, dyn1i8, w);
  // Accumulators, shaped like the (NHWC) result; dynamic dimensions are
  // leading ones, equal to the input's.
  auto resultType = cast<RankedTensorType>(op->getResult(0).getType());
  SmallVector<int64_t> accShape(resultType.getShape());
  if (nchw)
    accShape = {accShape[0], accShape[2], accShape[3], accShape[1]};
  auto accType = MemRefType::get(accShape, i32);
  SmallVector<Value> dynamicSizes;
  for (int64_t d = 0; d < accType.getRank(); ++d)
    if (accType.isDynamicDim(d))
      dynamicSizes.push_back(tensor::DimOp::create(rewriter, loc, input, d));
  Value acc = memref::AllocOp::create(rewriter, loc, accType, dynamicSizes,
                                      rewriter.getI64IntegerAttr(64));
  // Calls `entry` with `args` followed by (strategy, isa, threads).
  auto call = [&](OpBuilder &b, StringRef entry, SmallVector<Value> args) {
    for (int32_t v :
         {int32_t(options.strategy), int32_t(options.isa), options.threads})
      args.push_back(intConstant(b, loc, i32, v));
    SmallVector<Type> argTypes;
    for (Value arg : args)
      argTypes.push_back(arg.getType());
    FlatSymbolRefAttr callee = declareEntry(rewriter, module, entry, argTypes);
    func::CallOp::create(b, loc, callee, TypeRange{}, args);
  };
  if (batched && accType.getDimSize(1) != 0 && accType.getDimSize(2) != 0) {
    // for b in [0, B): matmul(x[b], packed slice b, acc[b]). (Skipped when
    // the result is statically empty: a subview could not index it.)
    Value lb = arith::ConstantIndexOp::create(rewriter, loc, 0);
    Value ub = arith::ConstantIndexOp::create(rewriter, loc, packed.batch);
    // A dynamic input batch must equal the weight's; bound the loop by both
    // so that a mismatch cannot read or write out of bounds.
    if (inputType.isDynamicDim(0))
      ub = arith::MinSIOp::create(rewriter, loc, ub,
                                  memref::DimOp::create(rewriter, loc, x, 0));
    Value one = arith::ConstantIndexOp::create(rewriter, loc, 1);
    Value sliceBytes =
        arith::ConstantIndexOp::create(rewriter, loc, packed.sliceBytes);
    auto loop = scf::ForOp::create(rewriter, loc, lb, ub, one);
    OpBuilder::InsertionGuard guard(rewriter);
    rewriter.setInsertionPoint(loop.getBody()->getTerminator());
    Value b = loop.getInductionVar();
    Value xb = batchSlice(rewriter, loc, x, b);
    Value accb = batchSlice(rewriter, loc, acc, b);
    Value shift = arith::MulIOp::create(rewriter, loc, b, sliceBytes);
    Value wb = memref::ViewOp::create(rewriter, loc,
                                      MemRefType::get({packed.sliceBytes}, i8),
                                      w, shift, ValueRange{});
    wb = memref::CastOp::create(rewriter, loc, dyn1i8, wb);
    call(rewriter, kMatmulEntry,
         {xb, wb, accb, intConstant(rewriter, loc, i32, zx)});
  } else if (!batched) {
    Value accArg = memref::CastOp::create(
        rewriter, loc, dynamicStridedMemRef(i32, dynamicShape), acc);
    SmallVector<Value> args{x, w, accArg, intConstant(rewriter, loc, i32, zx)};
    if (conv)
      for (int64_t v : {packed.kh, packed.kw, packed.sh, packed.sw})
        args.push_back(intConstant(rewriter, loc, i32, v));
    call(rewriter, conv ? kConvEntry : kMatmulEntry, args);
  }
  Value result = bufferization::ToTensorOp::create(
      rewriter, loc, RankedTensorType::get(accShape, i32), acc,
      /*restrict=*/true);
  if (nchw)
    result = transposeTensor(rewriter, loc, result, {0, 3, 1, 2});
  return result;
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
    if (kernels.kernels != ContractionKernels::Runtime)
      return nullptr;
    PackedWeight packed;
    std::string reason = runtimeIneligibility(op, kernels, packed);
    if (!reason.empty()) {
      if (kernels.report)
        op.emitRemark() << "contraction keeps the shift-add loops: " << reason;
      return nullptr;
    }
    if (kernels.report) {
      bool conv = isa<Conv2DNhwcHwcfOp, Conv2DNchwFchwOp>(op.getOperation());
      InFlightDiagnostic remark = op.emitRemark()
                                  << "contraction calls the runtime ("
                                  << (conv ? kConvEntry : kMatmulEntry);
      if (isa<BatchMatmulOp>(op.getOperation()))
        remark << " per batch slice, " << packed.batch << " slices";
      if (isa<Conv2DNchwFchwOp>(op.getOperation()))
        remark << " on the input transposed to NHWC";
      remark << ", " << packed.bytes.size() << " bytes of packed weights)";
    }
    return accumulateWithRuntime(op, adaptor.getInput(), packed, kernels,
                                 rewriter);
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
  auto weight = op.getWeight().template getDefiningOp<ConstantOp>();
  if (!weight)
    return op.emitOpError(
        "shift-add lowering needs a constant weight (potq.constant); run "
        "--canonicalize to fold quantized constant weights");
  // weightPlanes() expands a non-splat weight: a decomposition pointer per
  // element, then byte planes.
  auto values = cast<DenseIntElementsAttr>(weight.getValue());
  if (!values.isSplat() && !::potq::fitsMaterializationLimit(
                               values.getNumElements(), sizeof(void *)))
    return emitOverLimitError(op, "the weight's exponent and sign planes",
                              values.getNumElements(), sizeof(void *));
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

namespace potq::lowering {
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
} // namespace potq::lowering
