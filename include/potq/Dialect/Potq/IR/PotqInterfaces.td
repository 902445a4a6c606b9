//===- PotqInterfaces.td - potq op interfaces --------------*- tablegen -*-===//
//
// What passes, the interpreter and the lowering ask of potq ops, so that
// none of them lists op types: a new contraction is one ODS definition (its
// channel axes and window dimensions) plus its indexing maps and shape rule
// (lib/Dialect/Potq/IR/PotqOps.cpp). The model is Linalg's
// LinalgInterfaces.td: a contraction is described by the indexing maps of
// its input, weight and result over one loop nest.
//
//===----------------------------------------------------------------------===//

#ifndef POTQ_DIALECT_POTQ_IR_POTQINTERFACES_TD
#define POTQ_DIALECT_POTQ_IR_POTQINTERFACES_TD

include "mlir/IR/OpBase.td"

//===----------------------------------------------------------------------===//
// SlidingWindowOpInterface
//===----------------------------------------------------------------------===//

def Potq_SlidingWindowOpInterface : OpInterface<"SlidingWindowOpInterface"> {
  let description = [{
    An op that slides a window over the spatial dimensions of its input
    (convolutions, pooling): optional `strides` and `dilations` attributes,
    one positive value per window dimension, default 1. Convolutions also
    have an optional `padding` (the low padding of each window dimension,
    then the high padding; default 0) whose positions read the input zero
    point. Ops without window dimensions (matmuls) have none and return
    empty lists.
  }];
  let cppNamespace = "::potq";
  let methods = [
    InterfaceMethod<[{
        The number of window (spatial) dimensions: 2 for the 2-D
        convolutions and poolings, 0 for ops without a window.
      }], "unsigned", "getNumWindowDims", (ins), [{}], [{ return 0; }]>,
    InterfaceMethod<[{
        The `strides` attribute, or 1 for every window dimension.
      }], "::llvm::SmallVector<int64_t, 2>", "getStrideValues", (ins), [{}], [{
        return ::potq::detail::windowValues(
            $_op->template getAttrOfType<::mlir::DenseI64ArrayAttr>("strides"),
            $_op.getNumWindowDims());
      }]>,
    InterfaceMethod<[{
        The `dilations` attribute, or 1 for every window dimension.
      }], "::llvm::SmallVector<int64_t, 2>", "getDilationValues", (ins), [{}],
      [{
        return ::potq::detail::windowValues(
            $_op->template getAttrOfType<::mlir::DenseI64ArrayAttr>("dilations"),
            $_op.getNumWindowDims());
      }]>,
    InterfaceMethod<[{
        The `padding` attribute, `[low..., high...]` with one value per
        window dimension each (`[top, left, bottom, right]` in 2-D), or 0
        for each of them when absent (pooling has none).
      }], "::llvm::SmallVector<int64_t, 4>", "getPaddingValues", (ins), [{}],
      [{
        return ::potq::detail::paddingValues(
            $_op->template getAttrOfType<::mlir::DenseI64ArrayAttr>("padding"),
            $_op.getNumWindowDims());
      }]>,
  ];

  let extraClassDeclaration = [{
    /// The padding before each window dimension ([top, left] in 2-D).
    ::llvm::SmallVector<int64_t, 2> getLowPadding() {
      ::llvm::SmallVector<int64_t, 4> padding = getPaddingValues();
      return ::llvm::SmallVector<int64_t, 2>(
          ::llvm::ArrayRef<int64_t>(padding).take_front(getNumWindowDims()));
    }
    /// The padding after each window dimension ([bottom, right] in 2-D).
    ::llvm::SmallVector<int64_t, 2> getHighPadding() {
      ::llvm::SmallVector<int64_t, 4> padding = getPaddingValues();
      return ::llvm::SmallVector<int64_t, 2>(
          ::llvm::ArrayRef<int64_t>(padding).drop_front(getNumWindowDims()));
    }
    /// Whether any padding value is nonzero.
    bool hasPadding() {
      return ::llvm::any_of(getPaddingValues(),
                            [](int64_t p) { return p != 0; });
    }
  }];
}

//===----------------------------------------------------------------------===//
// ContractionOpInterface
//===----------------------------------------------------------------------===//

def Potq_ContractionOpInterface
    : OpInterface<"ContractionOpInterface", [Potq_SlidingWindowOpInterface]> {
  let description = [{
    An integer contraction of SPEC section 6: `acc = Σ (X - Zx) * W
    (+ bias) (+ residual)` over one loop nest, optionally requantized.

    The loop nest is given by three indexing maps (input, weight, result)
    over the same loops: the result map is the identity on the leading
    (parallel) loops and every other loop is a reduction, as in
    `linalg.generic`. From the maps and the channel axes follow the
    reduction size, the weight's group dimensions (batch_matmul's batch)
    and whether output channels share their input (not in a depthwise
    convolution).

    Operands and attributes are those of the `Potq_ContractionOp` ODS class
    (input, weight, optional bias and residual, clamp bounds,
    `wide_accumulator`); the ops' generated accessors implement those
    methods. The interface verifier checks everything contractions have in
    common and calls `inferResultShape` for the op-specific shape rule.
  }];
  let cppNamespace = "::potq";
  let methods = [
    // Operands and attributes (the ops' generated accessors).
    InterfaceMethod<"The per-tensor uniform quantized input `X`.",
      "::mlir::Value", "getInput">,
    InterfaceMethod<"The quantized weight `W` (zero point 0).",
      "::mlir::Value", "getWeight">,
    InterfaceMethod<[{
        The i32 bias, one level per output channel at scale `sx * sw[c]`,
        or null.
      }], "::mlir::Value", "getBias">,
    InterfaceMethod<[{
        The per-tensor quantized residual shaped like the result, or null.
      }], "::mlir::Value", "getResidual">,
    InterfaceMethod<"The result: quantized levels, or the raw i32/i64 "
      "accumulator.", "::mlir::Value", "getResult">,
    InterfaceMethod<"The lower clamp bound (a result level), if any.",
      "::std::optional<uint64_t>", "getClampMin">,
    InterfaceMethod<"The upper clamp bound (a result level), if any.",
      "::std::optional<uint64_t>", "getClampMax">,
    InterfaceMethod<"Whether `wide_accumulator` is set.",
      "bool", "getWideAccumulator">,
    InterfaceMethod<"Sets or removes `wide_accumulator`.",
      "void", "setWideAccumulator", (ins "bool":$value)>,

    // Structure, given by each op.
    InterfaceMethod<"The weight dimension indexed by output channels.",
      "int64_t", "getWeightChannelAxis">,
    InterfaceMethod<"The result dimension indexed by output channels.",
      "int64_t", "getResultChannelAxis">,
    InterfaceMethod<[{
        The indexing maps of the input, weight and result, in this order,
        over one loop nest whose leading loops are the result dimensions
        (parallel) and whose other loops are reductions. Convolution maps
        include the strides and dilations and index the input padded by
        `getInputPadding()`.
      }], "::llvm::SmallVector<::mlir::AffineMap, 3>", "getIndexingMaps">,
    InterfaceMethod<[{
        The op's shape rule: checks the input and weight shapes (static
        sizes or `?`) against each other and returns the result shape they
        imply (`?` where unknown), or emits an error at the op and fails.
        The verifier calls it with the operand types' shapes, the
        interpreter with runtime shapes. Ranks are already checked against
        the indexing maps.
      }], "::mlir::FailureOr<::llvm::SmallVector<int64_t>>",
      "inferResultShape",
      (ins "::llvm::ArrayRef<int64_t>":$inputShape,
           "::llvm::ArrayRef<int64_t>":$weightShape)>,

    // Derived from the maps; an op may override them.
    InterfaceMethod<[{
        The iterator type of each loop: parallel for the loops the result
        map uses, reduction for the others.
      }], "::llvm::SmallVector<::mlir::utils::IteratorType>",
      "getIteratorTypes", (ins), [{}], [{
        return ::potq::detail::getContractionIteratorTypes(
            $_op.getOperation());
      }]>,
    InterfaceMethod<[{
        The number of leading weight dimensions that index independent
        weight matrices (parallel loops other than the output channel, such
        as the batch of batch_matmul), else 0.
      }], "unsigned", "getNumGroupDims", (ins), [{}], [{
        return ::potq::detail::getContractionNumGroupDims(
            $_op.getOperation());
      }]>,
    InterfaceMethod<[{
        Whether output channels read the same input elements, so that they
        can share work on them: false when the input map uses the output
        channel loop (a depthwise convolution).
      }], "bool", "channelsShareInput", (ins), [{}], [{
        return ::potq::detail::contractionChannelsShareInput(
            $_op.getOperation());
      }]>,
    InterfaceMethod<[{
        The number of weight elements summed into one accumulator for a
        weight of shape `weightShape`: the product of the weight dimensions
        that reduction loops index (saturating at INT64_MAX), or `?`
        (ShapedType::kDynamic) if one of them is dynamic.
      }], "int64_t", "getReductionSize",
      (ins "::llvm::ArrayRef<int64_t>":$weightShape), [{}], [{
        return ::potq::detail::getContractionReductionSize(
            $_op.getOperation(), weightShape);
      }]>,
  ];

  let extraClassDeclaration = [{
    /// The input's quantized element type (per-tensor uniform).
    ::potq::QuantizedType getInputQuantizedType();
    /// The weight's quantized element type.
    ::potq::QuantizedType getWeightQuantizedType();
    /// The result's quantized element type, or null for a raw accumulator.
    ::potq::QuantizedType getResultQuantizedType();
    /// Whether the accumulator is i64: `wide_accumulator`, or an i64 result.
    bool hasI64Accumulator();
    /// The clamp bounds of a quantized result: its extremes narrowed by
    /// clamp_min/clamp_max.
    std::pair<int64_t, int64_t> getClampBounds();
    /// The padding of each input dimension, low and high: the padding of
    /// a window dimension (getPaddingValues) at the input dimension that
    /// its window loop indexes, 0 elsewhere. The input indexing map reads
    /// the input padded so; padded positions hold the zero point Zx.
    std::pair<::llvm::SmallVector<int64_t, 4>, ::llvm::SmallVector<int64_t, 4>>
    getInputPadding();
    /// The reduction size for the weight's static type.
    int64_t getReductionSize() {
      return getReductionSize(
          ::mlir::cast<::mlir::ShapedType>(getWeight().getType()).getShape());
    }
  }];

  let verify = [{ return ::potq::detail::verifyContractionOp($_op); }];
}

#endif // POTQ_DIALECT_POTQ_IR_POTQINTERFACES_TD
