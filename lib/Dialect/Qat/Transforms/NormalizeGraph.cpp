//===- NormalizeGraph.cpp - Exporter layer forms to potq's canonical form -===//
//
// qat-normalize-graph. Exporters (torch-mlir, StableHLO -> linalg, IREE's
// import, linalg's own fusion) write one layer in many forms; the fusion
// recognises one. The rewrites run in three greedy phases, because each
// needs the previous one's output:
//
//   1. structure: named elementwise ops become generics, matmuls get their
//      default maps, contraction inits become a zero fill plus an add;
//   2. epilogue: elementwise generics fuse into one (upstream fusion);
//   3. weights: layout generics move below fake quantization of constants
//      and fold.
//
// A new exporter variant is one pattern added to the `populate*` function of
// the phase whose output it needs, and one line in docs/QatInputForm.md
// ("Normalisation").
//
//===----------------------------------------------------------------------===//

#include "potq/Dialect/Qat/Transforms/Passes.h"
#include "potq/Limits.h"

#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace potq {
#define GEN_PASS_DEF_QATNORMALIZEGRAPH
#include "potq/Dialect/Qat/Transforms/Passes.h.inc"
} // namespace potq

using namespace mlir;

namespace {

bool isAllParallel(linalg::LinalgOp op) {
  return op.getNumParallelLoops() == op.getNumLoops();
}

/// A generic that only moves data: one input, one init, a body yielding the
/// input element, a projected permutation (transpose and/or broadcast) into
/// a permutation of the result.
bool isLayoutOnly(linalg::GenericOp op) {
  if (!op.hasPureTensorSemantics() || op.getNumDpsInputs() != 1 ||
      op.getNumDpsInits() != 1 || !isAllParallel(op))
    return false;
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  Block &body = op.getRegion().front();
  return maps[0].isProjectedPermutation() && maps[1].isPermutation() &&
         llvm::hasSingleElement(body) &&
         body.getTerminator()->getOperand(0) == body.getArgument(0);
}

/// A tensor.empty of the shape of `like` (dynamic sizes taken from it), with
/// its dimensions permuted: result dimension i is dimension `perm[i]`.
Value createEmptyLike(OpBuilder &b, Location loc, Value like,
                      ArrayRef<int64_t> perm = {}) {
  SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(b, loc, like);
  if (!perm.empty())
    sizes = llvm::map_to_vector(perm, [&](int64_t d) { return sizes[d]; });
  Type element = cast<RankedTensorType>(like.getType()).getElementType();
  return tensor::EmptyOp::create(b, loc, sizes, element);
}

//===----------------------------------------------------------------------===//
// Phase 1: structure
//===----------------------------------------------------------------------===//

/// linalg.add/sub/mul/div/max/min/broadcast/transpose/elementwise/map/...:
/// every named op whose loops are all parallel, except linalg.fill (the
/// zero init the fusion looks for), becomes a linalg.generic.
struct GeneralizeElementwiseOp : OpInterfaceRewritePattern<linalg::LinalgOp> {
  using OpInterfaceRewritePattern::OpInterfaceRewritePattern;

  LogicalResult matchAndRewrite(linalg::LinalgOp op,
                                PatternRewriter &rewriter) const override {
    if (isa<linalg::GenericOp, linalg::FillOp>(op) ||
        !op.hasPureTensorSemantics() || !isAllParallel(op))
      return failure();
    return linalg::generalizeNamedOp(rewriter, op);
  }
};

/// The permutation that makes an operand indexed by `userMap` one indexed by
/// `defaultMap` (result dimension i of the transposed operand is dimension
/// perm[i] of the operand), or failure if `userMap` is not a permutation of
/// `defaultMap`'s results (a broadcast, an expression).
FailureOr<SmallVector<int64_t>> permutationTo(AffineMap userMap,
                                              AffineMap defaultMap) {
  if (userMap.getNumResults() != defaultMap.getNumResults())
    return failure();
  SmallVector<int64_t> perm;
  for (AffineExpr expr : defaultMap.getResults()) {
    std::optional<unsigned> pos = userMap.getResultPosition(expr);
    if (!pos)
      return failure();
    perm.push_back(*pos);
  }
  return perm;
}

/// `linalg.matmul indexing_maps = [A^T or B^T maps]` (and batch_matmul):
/// the default-map op on operands transposed by linalg.transpose, which the
/// generalisation turns into a permutation generic and phase 3 folds for
/// constant and fake-quantized constant weights. Maps with a broadcast and
/// a permuted result map are left alone.
template <typename OpTy>
struct DefaultContractionMaps : OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;

  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    if (!op.hasUserDefinedMaps() || !op.hasPureTensorSemantics())
      return failure();
    SmallVector<AffineMap> maps = op.getIndexingMapsArray();
    SmallVector<AffineMap> defaults =
        OpTy::getDefaultIndexingMaps(op.getContext());
    if (maps.back() != defaults.back())
      return rewriter.notifyMatchFailure(op, "result map is not the default");
    SmallVector<SmallVector<int64_t>> perms;
    for (int i = 0; i < 2; ++i) {
      FailureOr<SmallVector<int64_t>> perm =
          permutationTo(maps[i], defaults[i]);
      if (failed(perm))
        return rewriter.notifyMatchFailure(op, "operand map is no permutation");
      perms.push_back(std::move(*perm));
    }
    SmallVector<Value> inputs = llvm::to_vector(op.getDpsInputs());
    for (int i = 0; i < 2; ++i) {
      if (isIdentityPermutation(perms[i]))
        continue;
      Location loc = op.getLoc();
      Value init = createEmptyLike(rewriter, loc, inputs[i], perms[i]);
      inputs[i] =
          linalg::TransposeOp::create(rewriter, loc, inputs[i], init, perms[i])
              ->getResult(0);
    }
    rewriter.modifyOpInPlace(op, [&] {
      op->setOperands(0, 2, inputs);
      op.setIndexingMapsAttr(rewriter.getAffineMapArrayAttr(defaults));
    });
    return success();
  }
};

/// Whether `op`'s body accumulates by `out + f(inputs)` in floats, so that
/// its init can be added after the reduction instead of before it.
bool accumulatesByAddf(linalg::LinalgOp op) {
  Block *body = op.getBlock();
  auto add =
      body->getTerminator()->getOperand(0).getDefiningOp<arith::AddFOp>();
  Value out = body->getArgument(op.getNumDpsInputs());
  return add && (add.getLhs() == out) != (add.getRhs() == out);
}

/// A contraction or convolution accumulating into a non-zero init (a bias
/// broadcast, as torch-mlir writes convolution bias) runs on a zero fill,
/// and a generic adds the old init to its result:
///   C = conv(x, w, init)  ->  C = conv(x, w, 0) + init
/// The float sum then adds the init last instead of first. A tensor.empty
/// init holds nothing to preserve and is left alone.
struct MoveInitToEpilogue : OpInterfaceRewritePattern<linalg::LinalgOp> {
  using OpInterfaceRewritePattern::OpInterfaceRewritePattern;

  LogicalResult matchAndRewrite(linalg::LinalgOp op,
                                PatternRewriter &rewriter) const override {
    if (isa<linalg::GenericOp>(op) ||
        !isa<linalg::ContractionOpInterface, linalg::ConvolutionOpInterface>(
            op.getOperation()) ||
        !op.hasPureTensorSemantics() || op.getNumDpsInits() != 1 ||
        !accumulatesByAddf(op))
      return failure();
    OpOperand *init = op.getDpsInitOperand(0);
    Value oldInit = init->get();
    auto type = dyn_cast<RankedTensorType>(oldInit.getType());
    if (!type || !isa<FloatType>(type.getElementType()) ||
        oldInit.getDefiningOp<tensor::EmptyOp>())
      return failure();
    if (auto fill = oldInit.getDefiningOp<linalg::FillOp>();
        fill && matchPattern(fill.value(), m_AnyZeroFloat()))
      return failure();
    if (matchPattern(oldInit, m_AnyZeroFloat()))
      return failure();

    Location loc = op.getLoc();
    Value empty = createEmptyLike(rewriter, loc, oldInit);
    Value zero = arith::ConstantOp::create(
        rewriter, loc, rewriter.getZeroAttr(type.getElementType()));
    Value zeroInit =
        linalg::FillOp::create(rewriter, loc, zero, empty)->getResult(0);
    rewriter.modifyOpInPlace(op, [&] { init->set(zeroInit); });

    rewriter.setInsertionPointAfter(op);
    Value sum = op->getResult(0);
    AffineMap identity = rewriter.getMultiDimIdentityMap(type.getRank());
    auto add = linalg::GenericOp::create(
        rewriter, loc, type, ValueRange{sum, oldInit}, ValueRange{empty},
        SmallVector<AffineMap>(3, identity),
        SmallVector<utils::IteratorType>(type.getRank(),
                                         utils::IteratorType::parallel),
        [](OpBuilder &b, Location l, ValueRange args) {
          Value s = arith::AddFOp::create(b, l, args[0], args[1]);
          linalg::YieldOp::create(b, l, s);
        });
    rewriter.replaceAllUsesExcept(sum, add.getResult(0), add);
    return success();
  }
};

/// A transpose or broadcast of a splat constant is the splat in the result
/// shape, at any size. Folded before fusion, which would otherwise turn it
/// into a generic yielding a scalar.
struct FoldSplatLayout : OpRewritePattern<linalg::GenericOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(linalg::GenericOp op,
                                PatternRewriter &rewriter) const override {
    SplatElementsAttr input;
    if (!isLayoutOnly(op) ||
        !matchPattern(op.getDpsInputOperand(0)->get(), m_Constant(&input)))
      return failure();
    auto type = cast<RankedTensorType>(op.getResultTypes()[0]);
    if (!type.hasStaticShape())
      return failure();
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(op, input.resizeSplat(type));
    return success();
  }
};

void populateStructurePatterns(RewritePatternSet &patterns) {
  patterns.add<GeneralizeElementwiseOp, MoveInitToEpilogue, FoldSplatLayout,
               DefaultContractionMaps<linalg::MatmulOp>,
               DefaultContractionMaps<linalg::BatchMatmulOp>>(
      patterns.getContext());
}

//===----------------------------------------------------------------------===//
// Phase 2: epilogue
//===----------------------------------------------------------------------===//

/// Fuses an all-parallel producer generic into an all-parallel consumer
/// generic when the consumer is its only user: never into a contraction
/// (named, or a generic with a reduction), and never a value that is also
/// used elsewhere (upstream would then keep it as a second result of the
/// fused op). qat ops are not generics, so nothing fuses through them.
bool fusesIntoEpilogue(OpOperand *operand) {
  auto producer = operand->get().getDefiningOp<linalg::GenericOp>();
  auto consumer = dyn_cast<linalg::GenericOp>(operand->getOwner());
  return producer && consumer && producer->getNumResults() == 1 &&
         isAllParallel(producer) && isAllParallel(consumer) &&
         llvm::all_of(producer->getUsers(),
                      [&](Operation *user) { return user == consumer; });
}

void populateEpiloguePatterns(RewritePatternSet &patterns) {
  // Also folds splat constants and fills into scalars in the body, and
  // drops operands the fused body no longer reads.
  linalg::populateElementwiseOpsFusionPatterns(patterns, fusesIntoEpilogue);
}

//===----------------------------------------------------------------------===//
// Phase 3: weights
//===----------------------------------------------------------------------===//

/// layout(fake_quant(W, s {axis = a})) -> fake_quant(layout(W), s {axis =
/// a'}) for a constant W, where a' is the result dimension that dimension a
/// of W moves to; then layout(W) folds. Projection is elementwise, so this
/// is exact. PyTorch's nn.Linear weight [N, K] with per-channel axis 0
/// becomes the [K, N] weight the matmul wants, with axis 1.
struct PushLayoutThroughFakeQuant : OpRewritePattern<linalg::GenericOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(linalg::GenericOp op,
                                PatternRewriter &rewriter) const override {
    if (!isLayoutOnly(op))
      return failure();
    Value input = op.getDpsInputOperand(0)->get();
    auto fakeQuant = input.getDefiningOp<potq::qat::FakeQuantOp>();
    if (!fakeQuant || !matchPattern(fakeQuant.getInput(), m_Constant()))
      return failure();
    IntegerAttr axis;
    if (std::optional<int64_t> oldAxis = fakeQuant.getAxis()) {
      SmallVector<AffineMap> maps = op.getIndexingMapsArray();
      AffineExpr loop = rewriter.getAffineDimExpr(
          maps[0].getDimPosition(static_cast<unsigned>(*oldAxis)));
      axis = rewriter.getI64IntegerAttr(*maps[1].getResultPosition(loop));
    }
    IRMapping mapping;
    mapping.map(input, fakeQuant.getInput());
    Operation *layout = rewriter.clone(*op, mapping);
    rewriter.replaceOpWithNewOp<potq::qat::FakeQuantOp>(
        op, op.getResultTypes()[0], layout->getResult(0), fakeQuant.getScale(),
        fakeQuant.getEncodingAttr(), axis, fakeQuant.getZeroPointAttr(),
        fakeQuant.getEstimatorAttr());
    return success();
  }
};

/// A broadcasting layout generic of a float constant becomes the broadcast
/// constant, expanded within potq/Limits.h. Permutations are upstream's
/// constant folding; splats were folded in phase 1.
struct FoldConstantBroadcast : OpRewritePattern<linalg::GenericOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(linalg::GenericOp op,
                                PatternRewriter &rewriter) const override {
    DenseFPElementsAttr input;
    if (!isLayoutOnly(op) ||
        !matchPattern(op.getDpsInputOperand(0)->get(), m_Constant(&input)))
      return failure();
    SmallVector<AffineMap> maps = op.getIndexingMapsArray();
    auto type = cast<RankedTensorType>(op.getResultTypes()[0]);
    if (maps[0].isPermutation() || !type.hasStaticShape())
      return failure();
    int64_t count = type.getNumElements();
    if (!potq::fitsMaterializationLimit(count, sizeof(APFloat)))
      return rewriter.notifyMatchFailure(op, "over potq's limit");

    // Walk the result in row-major order, keeping the loop indices.
    SmallVector<int64_t> loops(op.getNumLoops(), 0);
    ArrayRef<int64_t> inputShape = input.getType().getShape();
    auto values = input.getValues<APFloat>();
    SmallVector<APFloat> result;
    result.reserve(count);
    SmallVector<int64_t> index(type.getRank(), 0);
    for (int64_t n = 0; n < count; ++n) {
      for (int64_t d = 0, e = type.getRank(); d < e; ++d)
        loops[maps[1].getDimPosition(d)] = index[d];
      int64_t linear = 0;
      for (int64_t d = 0, e = input.getType().getRank(); d < e; ++d)
        linear = linear * inputShape[d] + loops[maps[0].getDimPosition(d)];
      result.push_back(values.begin()[linear]);
      for (int64_t d = type.getRank() - 1; d >= 0; --d) {
        if (++index[d] < type.getDimSize(d))
          break;
        index[d] = 0;
      }
    }
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(
        op, DenseFPElementsAttr::get(type, result));
    return success();
  }
};

void populateWeightPatterns(RewritePatternSet &patterns) {
  patterns.add<PushLayoutThroughFakeQuant, FoldConstantBroadcast>(
      patterns.getContext());
  // Transposes (permutation generics) of constants.
  linalg::populateConstantFoldLinalgOperations(
      patterns, [](OpOperand *operand) {
        auto type = cast<ShapedType>(operand->getOwner()->getResultTypes()[0]);
        return potq::fitsMaterializationLimit(type.getNumElements(),
                                              sizeof(APFloat));
      });
}

struct NormalizeGraphPass
    : potq::impl::QatNormalizeGraphBase<NormalizeGraphPass> {
  void runOnOperation() override {
    for (auto populate : {populateStructurePatterns, populateEpiloguePatterns,
                          populateWeightPatterns}) {
      RewritePatternSet patterns(&getContext());
      populate(patterns);
      if (failed(applyPatternsGreedily(getOperation(), std::move(patterns)))) {
        getOperation()->emitError("qat-normalize-graph did not converge");
        return signalPassFailure();
      }
    }
  }
};

} // namespace
