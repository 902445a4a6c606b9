//===- TensorOps.cpp - Interpretation of tensor dialect ops ---------------===//
//
// Shape manipulation and element access. Dynamic sizes, offsets and strides
// come from index values; out-of-bounds accesses, which are undefined
// behaviour in the tensor dialect, are reported as errors.
//
//===----------------------------------------------------------------------===//

#include "ScalarProgram.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinTypes.h"

namespace pi = ::potq::interp;
using namespace mlir;
using namespace pi;
using namespace pi::detail;

/// Resolves the dynamic dimensions of `type` from `sizes` (one per dynamic
/// dimension, in order).
static SmallVector<int64_t, 4>
resolveShape(RankedTensorType type, const Frame &frame, ValueRange sizes) {
  SmallVector<int64_t, 4> shape(type.getShape());
  auto it = sizes.begin();
  for (int64_t &dim : shape)
    if (ShapedType::isDynamic(dim))
      dim = getIndexValue(frame, *it++);
  return shape;
}

/// Checks a runtime `shape` against the static dimensions of `type`.
static LogicalResult checkShapeMatches(Operation *op, ArrayRef<int64_t> shape,
                                       Type type, StringRef what) {
  auto ranked = dyn_cast<RankedTensorType>(type);
  if (!ranked)
    return success();
  bool ok = ranked.getRank() == int64_t(shape.size());
  for (size_t d = 0; ok && d < shape.size(); ++d)
    ok = ranked.isDynamicDim(d) || ranked.getDimSize(d) == shape[d];
  if (!ok)
    return op->emitOpError()
           << what << " has runtime shape " << formatIndex(shape)
           << ", which does not match " << type;
  return success();
}

static LogicalResult checkNonNegative(Operation *op, ArrayRef<int64_t> shape) {
  for (int64_t dim : shape)
    if (dim < 0)
      return op->emitOpError()
             << "negative size in shape " << formatIndex(shape)
             << " (undefined behaviour)";
  return success();
}

/// A strided box of `source`: offsets, sizes, strides per dimension.
struct Box {
  SmallVector<int64_t, 4> offsets, sizes, strides;
};

static FailureOr<Box> getBox(Operation *op,
                             OffsetSizeAndStrideOpInterface iface,
                             const Frame &frame, ArrayRef<int64_t> shape,
                             StringRef what) {
  Box box;
  for (OpFoldResult ofr : iface.getMixedOffsets())
    box.offsets.push_back(getIndexValue(frame, ofr));
  for (OpFoldResult ofr : iface.getMixedSizes())
    box.sizes.push_back(getIndexValue(frame, ofr));
  for (OpFoldResult ofr : iface.getMixedStrides())
    box.strides.push_back(getIndexValue(frame, ofr));
  if (box.offsets.size() != shape.size())
    return op->emitOpError("slice rank does not match the tensor rank");
  for (size_t d = 0; d < shape.size(); ++d) {
    if (box.sizes[d] < 0)
      return op->emitOpError()
             << "negative slice size " << box.sizes[d] << " in dimension " << d;
    if (box.sizes[d] == 0)
      continue;
    // In 128 bits: offsets, sizes and strides are arbitrary index values.
    __int128 first = box.offsets[d];
    __int128 last = first + __int128(box.sizes[d] - 1) * box.strides[d];
    if (first < 0 || first >= shape[d] || last < 0 || last >= shape[d])
      return op->emitOpError()
             << "slice [offset " << box.offsets[d] << ", size " << box.sizes[d]
             << ", stride " << box.strides[d] << "] of dimension " << d
             << " is out of bounds of the " << what << " of shape "
             << formatIndex(shape);
  }
  return box;
}

/// Calls `fn(boxLinear, tensorLinear)` for every element of `box` inside a
/// tensor of `shape`, in row-major order of the box.
template <typename Fn>
static void forEachInBox(const Box &box, ArrayRef<int64_t> shape, Fn fn) {
  std::optional<int64_t> count = getElementCount(box.sizes);
  if (!count || *count == 0)
    return;
  SmallVector<int64_t, 4> strides = getRowMajorStrides(shape);
  SmallVector<int64_t, 4> index(box.sizes.size(), 0);
  for (int64_t i = 0; i < *count; ++i) {
    int64_t linear = 0;
    for (size_t d = 0; d < index.size(); ++d)
      linear += (box.offsets[d] + index[d] * box.strides[d]) * strides[d];
    fn(i, linear);
    incrementIndex(index, box.sizes);
  }
}

/// Runs a `tensor.pad`/`tensor.generate` body for the element at `index`.
static LogicalResult runIndexBody(ScalarProgram &program,
                                  ArrayRef<int64_t> index, Scalar &result) {
  SmallVector<Scalar, 4> args(index.size());
  for (auto [arg, value] : llvm::zip_equal(args, index))
    arg.i = value;
  SmallVector<Scalar, 1> results;
  if (failed(program.run(args.data(), index, results)))
    return failure();
  result = results.front();
  return success();
}

FailureOr<Tensor> pi::detail::evalOp(tensor::EmptyOp empty, const Frame &frame,
                                     const Context &ctx) {
  Operation *op = empty;
  SmallVector<int64_t, 4> shape =
      resolveShape(empty.getType(), frame, empty.getDynamicSizes());
  if (failed(checkNonNegative(op, shape)) || failed(ctx.checkSize(op, shape)))
    return failure();
  if (failed(checkElementTypeSupported(op, empty.getType().getElementType())))
    return failure();
  return Tensor(empty.getType().getElementType(), shape);
}

FailureOr<Tensor> pi::detail::evalOp(tensor::SplatOp splat, const Frame &frame,
                                     const Context &ctx) {
  Operation *op = splat;
  auto type = cast<RankedTensorType>(splat.getType());
  SmallVector<int64_t, 4> shape =
      resolveShape(type, frame, splat.getDynamicSizes());
  if (failed(checkNonNegative(op, shape)) || failed(ctx.checkSize(op, shape)))
    return failure();
  const Tensor &element = valueOf(frame, splat.getInput());
  Tensor result(type.getElementType(), shape);
  for (int64_t i = 0, e = result.getNumElements(); i < e; ++i)
    result.copyElement(i, element, 0);
  return result;
}

FailureOr<Tensor> pi::detail::evalOp(tensor::FromElementsOp fromElements,
                                     const Frame &frame, const Context &ctx) {
  Operation *op = fromElements;
  auto type = fromElements.getType();
  if (failed(ctx.checkSize(op, type.getShape())))
    return failure();
  Tensor result(type.getElementType(), type.getShape());
  for (auto [i, element] : llvm::enumerate(fromElements.getElements()))
    result.copyElement(i, valueOf(frame, element), 0);
  return result;
}

FailureOr<Tensor> pi::detail::evalOp(tensor::ExtractOp extract,
                                     const Frame &frame, const Context &ctx) {
  Operation *op = extract;
  const Tensor &source = valueOf(frame, extract.getTensor());
  SmallVector<int64_t, 4> index;
  for (Value v : extract.getIndices())
    index.push_back(getIndexValue(frame, v));
  int64_t linear = 0;
  SmallVector<int64_t, 4> strides = source.getStrides();
  for (auto [d, i] : llvm::enumerate(index)) {
    if (i < 0 || i >= source.getShape()[d])
      return op->emitOpError() << "index " << formatIndex(index)
                               << " is out of bounds of a tensor of shape "
                               << formatIndex(source.getShape());
    linear += i * strides[d];
  }
  Tensor result = Tensor::makeScalar(extract.getType());
  result.copyElement(0, source, linear);
  return result;
}

FailureOr<Tensor> pi::detail::evalOp(tensor::InsertOp insert,
                                     const Frame &frame, const Context &ctx) {
  Operation *op = insert;
  Tensor result = valueOf(frame, insert.getDest());
  SmallVector<int64_t, 4> index;
  for (Value v : insert.getIndices())
    index.push_back(getIndexValue(frame, v));
  int64_t linear = 0;
  SmallVector<int64_t, 4> strides = result.getStrides();
  for (auto [d, i] : llvm::enumerate(index)) {
    if (i < 0 || i >= result.getShape()[d])
      return op->emitOpError() << "index " << formatIndex(index)
                               << " is out of bounds of a tensor of shape "
                               << formatIndex(result.getShape());
    linear += i * strides[d];
  }
  result.copyElement(linear, valueOf(frame, insert.getScalar()), 0);
  return result;
}

FailureOr<Tensor> pi::detail::evalOp(tensor::ExtractSliceOp slice,
                                     const Frame &frame, const Context &ctx) {
  Operation *op = slice;
  const Tensor &source = valueOf(frame, slice.getSource());
  FailureOr<Box> box = getBox(op, slice, frame, source.getShape(), "source");
  if (failed(box))
    return failure();
  // Drop the unit dimensions a rank-reducing slice removes.
  llvm::SmallBitVector dropped = slice.getDroppedDims();
  SmallVector<int64_t, 4> shape;
  for (auto [d, size] : llvm::enumerate(box->sizes))
    if (!dropped.test(d))
      shape.push_back(size);
  if (failed(ctx.checkSize(op, shape)) ||
      failed(checkShapeMatches(op, shape, slice.getType(), "result")))
    return failure();
  Tensor result(source.getElementType(), shape);
  forEachInBox(*box, source.getShape(), [&](int64_t i, int64_t linear) {
    result.copyElement(i, source, linear);
  });
  return result;
}

FailureOr<Tensor> pi::detail::evalOp(tensor::InsertSliceOp insertSlice,
                                     const Frame &frame, const Context &ctx) {
  Operation *op = insertSlice;
  const Tensor &source = valueOf(frame, insertSlice.getSource());
  Tensor result = valueOf(frame, insertSlice.getDest());
  FailureOr<Box> box =
      getBox(op, insertSlice, frame, result.getShape(), "destination");
  if (failed(box))
    return failure();
  if (getElementCount(box->sizes) != source.getNumElements())
    return op->emitOpError()
           << "source of shape " << formatIndex(source.getShape())
           << " does not fill the slice of sizes " << formatIndex(box->sizes);
  forEachInBox(*box, result.getShape(), [&](int64_t i, int64_t linear) {
    result.copyElement(linear, source, i);
  });
  return result;
}

FailureOr<Tensor> pi::detail::evalOp(tensor::CollapseShapeOp collapse,
                                     const Frame &frame, const Context &ctx) {
  Operation *op = collapse;
  Tensor result = valueOf(frame, collapse.getSrc());
  SmallVector<int64_t, 4> shape;
  for (const ReassociationIndices &group : collapse.getReassociationIndices()) {
    int64_t size = 1;
    for (int64_t d : group)
      size *= result.getShape()[d];
    shape.push_back(size);
  }
  if (failed(checkShapeMatches(op, shape, collapse.getType(), "result")))
    return failure();
  result.reshape(shape);
  return result;
}

FailureOr<Tensor> pi::detail::evalOp(tensor::ExpandShapeOp expand,
                                     const Frame &frame, const Context &ctx) {
  Operation *op = expand;
  Tensor result = valueOf(frame, expand.getSrc());
  SmallVector<int64_t, 4> shape;
  for (OpFoldResult ofr : expand.getMixedOutputShape())
    shape.push_back(getIndexValue(frame, ofr));
  if (failed(checkNonNegative(op, shape)))
    return failure();
  for (auto [sourceDim, group] :
       llvm::enumerate(expand.getReassociationIndices())) {
    SmallVector<int64_t, 4> groupShape;
    for (int64_t d : group)
      groupShape.push_back(shape[d]);
    if (getElementCount(groupShape) != result.getShape()[sourceDim])
      return op->emitOpError() << "output shape " << formatIndex(shape)
                               << " does not expand the source shape "
                               << formatIndex(result.getShape());
  }
  result.reshape(shape);
  return result;
}

FailureOr<Tensor> pi::detail::evalOp(tensor::ReshapeOp reshape,
                                     const Frame &frame, const Context &ctx) {
  Operation *op = reshape;
  Tensor result = valueOf(frame, reshape.getSource());
  const Tensor &shapeTensor = valueOf(frame, reshape.getShape());
  SmallVector<int64_t, 4> shape(shapeTensor.ints().begin(),
                                shapeTensor.ints().end());
  if (failed(checkNonNegative(op, shape)) ||
      failed(checkShapeMatches(op, shape, reshape.getType(), "result")))
    return failure();
  if (getElementCount(shape) != result.getNumElements())
    return op->emitOpError()
           << "cannot reshape " << formatIndex(result.getShape()) << " to "
           << formatIndex(shape);
  result.reshape(shape);
  return result;
}

FailureOr<Tensor> pi::detail::evalOp(tensor::CastOp cast, const Frame &frame,
                                     const Context &ctx) {
  Operation *op = cast;
  const Tensor &source = valueOf(frame, cast.getSource());
  if (failed(
          checkShapeMatches(op, source.getShape(), cast.getType(), "source")))
    return failure();
  return source;
}

FailureOr<Tensor> pi::detail::evalOp(tensor::DimOp dim, const Frame &frame,
                                     const Context &ctx) {
  Operation *op = dim;
  const Tensor &source = valueOf(frame, dim.getSource());
  int64_t index = getIndexValue(frame, dim.getIndex());
  if (index < 0 || index >= source.getRank())
    return op->emitOpError()
           << "dimension " << index << " is out of range for a tensor of rank "
           << source.getRank();
  return Tensor::makeScalarInt(IndexType::get(op->getContext()),
                               source.getShape()[index]);
}

FailureOr<Tensor> pi::detail::evalOp(tensor::RankOp rank, const Frame &frame,
                                     const Context &ctx) {
  Operation *op = rank;
  return Tensor::makeScalarInt(IndexType::get(op->getContext()),
                               valueOf(frame, rank.getTensor()).getRank());
}

FailureOr<Tensor> pi::detail::evalOp(tensor::PadOp pad, const Frame &frame,
                                     const Context &ctx) {
  Operation *op = pad;
  const Tensor &source = valueOf(frame, pad.getSource());
  SmallVector<int64_t, 4> low, high, shape;
  for (OpFoldResult ofr : pad.getMixedLowPad())
    low.push_back(getIndexValue(frame, ofr));
  for (OpFoldResult ofr : pad.getMixedHighPad())
    high.push_back(getIndexValue(frame, ofr));
  for (int64_t d = 0; d < source.getRank(); ++d) {
    if (low[d] < 0 || high[d] < 0)
      return op->emitOpError() << "negative padding in dimension " << d;
    int64_t size;
    if (__builtin_add_overflow(low[d], source.getShape()[d], &size) ||
        __builtin_add_overflow(size, high[d], &size))
      return op->emitOpError()
             << "padded size of dimension " << d << " overflows";
    shape.push_back(size);
  }
  if (failed(ctx.checkSize(op, shape)) ||
      failed(checkShapeMatches(op, shape, pad.getType(), "result")))
    return failure();
  FailureOr<ScalarProgram> body =
      ScalarProgram::compile(pad.getRegion().front(), 0, ctx, frame);
  if (failed(body))
    return failure();
  Tensor result(source.getElementType(), shape);
  bool ok = forEachPaddedPosition(
      source.getShape(), source.getStrides(), low, shape,
      [&](int64_t i, ArrayRef<int64_t> index, std::optional<int64_t> at) {
        if (at) {
          result.copyElement(i, source, *at);
          return true;
        }
        Scalar padding;
        if (failed(runIndexBody(*body, index, padding)))
          return false;
        storeScalar(result, i, padding);
        return true;
      });
  if (!ok)
    return failure();
  return result;
}

FailureOr<Tensor> pi::detail::evalOp(tensor::GenerateOp generate,
                                     const Frame &frame, const Context &ctx) {
  Operation *op = generate;
  auto type = generate.getType();
  SmallVector<int64_t, 4> shape =
      resolveShape(type, frame, generate.getDynamicExtents());
  if (failed(checkNonNegative(op, shape)) || failed(ctx.checkSize(op, shape)))
    return failure();
  FailureOr<ScalarProgram> body =
      ScalarProgram::compile(generate.getBody().front(), 0, ctx, frame);
  if (failed(body))
    return failure();
  Tensor result(type.getElementType(), shape);
  SmallVector<int64_t, 4> index(shape.size(), 0);
  for (int64_t i = 0, e = result.getNumElements(); i < e; ++i) {
    Scalar element;
    if (failed(runIndexBody(*body, index, element)))
      return failure();
    storeScalar(result, i, element);
    incrementIndex(index, shape);
  }
  return result;
}

FailureOr<Tensor> pi::detail::evalOp(tensor::ConcatOp concat,
                                     const Frame &frame, const Context &ctx) {
  Operation *op = concat;
  int64_t axis = concat.getDim();
  SmallVector<const Tensor *> inputs;
  for (Value input : concat.getInputs())
    inputs.push_back(&valueOf(frame, input));
  SmallVector<int64_t, 4> shape(inputs.front()->getShape());
  shape[axis] = 0;
  for (const Tensor *input : inputs) {
    for (int64_t d = 0; d < input->getRank(); ++d)
      if (d != axis && input->getShape()[d] != shape[d])
        return op->emitOpError()
               << "input shapes differ outside the concatenated dimension";
    shape[axis] += input->getShape()[axis];
  }
  if (failed(ctx.checkSize(op, shape)) ||
      failed(checkShapeMatches(op, shape, concat.getType(), "result")))
    return failure();
  Tensor result(concat.getType().getElementType(), shape);
  int64_t offset = 0;
  for (const Tensor *input : inputs) {
    Box box;
    box.offsets.assign(shape.size(), 0);
    box.offsets[axis] = offset;
    box.sizes.assign(input->getShape().begin(), input->getShape().end());
    box.strides.assign(shape.size(), 1);
    forEachInBox(box, shape, [&](int64_t i, int64_t linear) {
      result.copyElement(linear, *input, i);
    });
    offset += input->getShape()[axis];
  }
  return result;
}
