//===- RuntimeKernels.cpp - potq contractions -> native kernel calls ------===//
//
// kernels=runtime: the accumulation (step 1 of ContractionLowering.cpp) of
// an eligible potq.matmul, batch_matmul, conv_2d_nhwc_hwcf or
// conv_2d_nchw_fchw becomes a call (or, per batch slice, calls) into the
// native kernel runtime (PotqRuntime) on memrefs, with the weight packed at
// compile time into a memref.global. Kept apart from the shift-add loops
// as IREE keeps its ukernel lowering apart: only these ops have kernels,
// and eligibility, packing and the call ABI are the runtime's business.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"
#include "PatternsInternal.h"

#include "potq/Dialect/Potq/IR/PotqOps.h"
#include "potq/Limits.h"
#include "potq/Runtime/LevelTable.h"
#include "potq/Runtime/MlirEntryPoints.h"
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

#include <string>
#include <vector>

using namespace mlir;
using namespace potq;
using namespace potq::lowering;

namespace {

/// Name of the external function computing a matmul's accumulators
/// (C interface `_mlir_ciface_potq_rt_matmul_i8`,
/// potq/Runtime/MlirEntryPoints.h).
constexpr llvm::StringLiteral kMatmulEntry = POTQ_RT_MATMUL_I8_NAME;
/// The same for potq.conv_2d_nhwc_hwcf (`_mlir_ciface_potq_rt_conv2d_nhwc_i8`).
constexpr llvm::StringLiteral kConvEntry = POTQ_RT_CONV2D_NHWC_I8_NAME;

/// A weight packed for the runtime, with what the call needs.
struct PackedWeight {
  /// One packed K x N matrix, or (batch_matmul) `batch` of them back to
  /// back, each starting `sliceBytes` (a multiple of 64) after the last.
  std::vector<uint8_t> bytes;
  int64_t k = 0, n = 0;
  int64_t batch = 1, sliceBytes = 0;
  /// Convolutions: kernel size, strides and zero-point padding [top, left,
  /// bottom, right].
  int64_t kh = 1, kw = 1, sh = 1, sw = 1;
  SmallVector<int64_t, 4> padding{0, 0, 0, 0};
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
std::string runtimeIneligibility(ContractionOpInterface op,
                                 const KernelOptions &options,
                                 PackedWeight &packed) {
  if (!isa<MatmulOp, BatchMatmulOp, Conv2DNhwcHwcfOp, Conv2DNchwFchwOp>(op))
    return "only potq.matmul, potq.batch_matmul, potq.conv_2d_nhwc_hwcf and "
           "potq.conv_2d_nchw_fchw call the runtime";
  bool batched = isa<BatchMatmulOp>(op);
  bool nchw = isa<Conv2DNchwFchwOp>(op);
  bool conv = isa<Conv2DNhwcHwcfOp, Conv2DNchwFchwOp>(op);
  if (op.getWideAccumulator())
    return "wide (i64) accumulator";
  if (op.hasI64Accumulator())
    return "i64 accumulator result";
  auto inputType = cast<RankedTensorType>(op.getInput().getType());
  QuantizedType in = getQuantizedElementType(inputType);
  if (!in || in.getStorageType().getWidth() != 8)
    return "input storage is not 8-bit";
  int64_t zx = in.getZeroPoint();
  if (!in.isStorageSigned())
    zx -= 128; // the call sees x - 128 (see accumulateWithRuntime)
  if (zx < -128 || zx > 127)
    return "input zero point out of range";
  auto weight = op.getWeight().getDefiningOp<ConstantOp>();
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
    if (llvm::any_of(op.getDilationValues(), [](int64_t d) { return d != 1; }))
      return "dilated convolution";
    if (llvm::any_of(inputType.getShape().drop_front(), ShapedType::isDynamic))
      return "dynamic H, W or C";
    SmallVector<int64_t, 2> strides = op.getStrideValues();
    packed.sh = strides[0];
    packed.sw = strides[1];
    // The entry point takes i32 pads; the runtime reads padding as zx.
    packed.padding = op.getPaddingValues();
    if (llvm::any_of(packed.padding, [](int64_t p) { return p > INT32_MAX; }))
      return "padding does not fit int32";
  }
  QuantizedType w = weight.getQuantizedType();
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
  for (int64_t level : weight.getLevels()) {
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
Value accumulateWithRuntime(ContractionOpInterface op, Value input,
                            const PackedWeight &packed,
                            const KernelOptions &options,
                            ConversionPatternRewriter &rewriter) {
  Location loc = op->getLoc();
  auto module = op->getParentOfType<ModuleOp>();
  bool nchw = isa<Conv2DNchwFchwOp>(op);
  bool conv = nchw || isa<Conv2DNhwcHwcfOp>(op);
  bool batched = isa<BatchMatmulOp>(op);
  QuantizedType in = op.getInputQuantizedType();
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
  auto resultType = cast<RankedTensorType>(op.getResult().getType());
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
    if (conv) {
      for (int64_t v : {packed.kh, packed.kw, packed.sh, packed.sw})
        args.push_back(intConstant(rewriter, loc, i32, v));
      // NCHW pads the same window dimensions of the transposed input.
      for (int64_t v : packed.padding)
        args.push_back(intConstant(rewriter, loc, i32, v));
    }
    call(rewriter, conv ? kConvEntry : kMatmulEntry, args);
  }
  Value result = bufferization::ToTensorOp::create(
      rewriter, loc, RankedTensorType::get(accShape, i32), acc,
      /*restrict=*/true);
  if (nchw)
    result = transposeTensor(rewriter, loc, result, {0, 3, 1, 2});
  return result;
}

} // namespace

Value potq::lowering::accumulateWithRuntimeKernels(
    ContractionOpInterface op, Value input, const KernelOptions &kernels,
    ConversionPatternRewriter &rewriter) {
  PackedWeight packed;
  std::string reason = runtimeIneligibility(op, kernels, packed);
  if (!reason.empty()) {
    if (kernels.report)
      op.emitRemark() << "contraction keeps the shift-add loops: " << reason;
    return nullptr;
  }
  if (kernels.report) {
    bool conv = isa<Conv2DNhwcHwcfOp, Conv2DNchwFchwOp>(op);
    InFlightDiagnostic remark = op.emitRemark()
                                << "contraction calls the runtime ("
                                << (conv ? kConvEntry : kMatmulEntry);
    if (isa<BatchMatmulOp>(op))
      remark << " per batch slice, " << packed.batch << " slices";
    if (isa<Conv2DNchwFchwOp>(op))
      remark << " on the input transposed to NHWC";
    remark << ", " << packed.bytes.size() << " bytes of packed weights)";
  }
  return accumulateWithRuntime(op, input, packed, kernels, rewriter);
}
