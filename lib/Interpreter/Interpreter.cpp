//===- Interpreter.cpp - The potq reference interpreter -------------------===//
//
// The driver of the interpreter: function activations, the op dispatch,
// func/scf control flow, arith constants and elementwise arith/math ops on
// scalars and tensors. The other op families live in TensorOps.cpp,
// LinalgOps.cpp and PotqOps.cpp.
//
//===----------------------------------------------------------------------===//

#include "InterpreterImpl.h"

#include "potq/Dialect/Potq/IR/PotqTypes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/TypeUtilities.h"
#include "llvm/Support/raw_ostream.h"

namespace pi = ::potq::interp;
using namespace mlir;
using namespace pi;
using namespace pi::detail;

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

std::string pi::detail::formatIndex(ArrayRef<int64_t> index) {
  std::string result = "[";
  llvm::raw_string_ostream os(result);
  llvm::interleaveComma(index, os);
  os << "]";
  return result;
}

SmallVector<int64_t, 4> pi::detail::delinearize(int64_t linear,
                                                ArrayRef<int64_t> shape) {
  SmallVector<int64_t, 4> index(shape.size(), 0);
  for (int64_t d = int64_t(shape.size()) - 1; d >= 0; --d) {
    if (shape[d] == 0)
      continue;
    index[d] = linear % shape[d];
    linear /= shape[d];
  }
  return index;
}

LogicalResult Interpreter::unsupported(Operation *op) {
  return op->emitError() << options.modeName << " does not support '"
                         << op->getName() << "'";
}

LogicalResult Interpreter::checkSize(Operation *op, ArrayRef<int64_t> shape) {
  std::optional<int64_t> count = getElementCount(shape);
  if (!count || *count > options.maxElements)
    return op->emitOpError() << "result of shape " << formatIndex(shape)
                             << " exceeds the interpreter's limit of "
                             << options.maxElements << " elements";
  return success();
}

int64_t Interpreter::getIndex(const Frame &frame, OpFoldResult ofr) {
  if (auto attr = dyn_cast<Attribute>(ofr))
    return cast<IntegerAttr>(attr).getInt();
  return getIndex(frame, cast<Value>(ofr));
}

//===----------------------------------------------------------------------===//
// Arguments
//===----------------------------------------------------------------------===//

/// Checks that runtime value `value` fits the static type `type`; returns an
/// error message otherwise.
static std::optional<std::string> checkValueType(const Tensor &value,
                                                 Type type) {
  std::string message;
  llvm::raw_string_ostream os(message);
  if (auto ranked = dyn_cast<RankedTensorType>(type)) {
    if (value.isScalar() || value.getElementType() != ranked.getElementType() ||
        value.getRank() != ranked.getRank()) {
      os << "expected " << type << ", got " << value.getType();
      return message;
    }
    for (auto [expected, actual] :
         llvm::zip_equal(ranked.getShape(), value.getShape())) {
      if (!ShapedType::isDynamic(expected) && expected != actual) {
        os << "expected " << type << ", got " << value.getType();
        return message;
      }
    }
    return std::nullopt;
  }
  if (auto unranked = dyn_cast<UnrankedTensorType>(type)) {
    if (value.isScalar() ||
        value.getElementType() != unranked.getElementType()) {
      os << "expected " << type << ", got " << value.getType();
      return message;
    }
    return std::nullopt;
  }
  if (isa<ShapedType>(type)) {
    os << "values of type " << type << " are not supported";
    return message;
  }
  if (!value.isScalar() || value.getElementType() != type) {
    os << "expected " << type << ", got " << value.getType();
    return message;
  }
  return std::nullopt;
}

LogicalResult pi::checkArguments(func::FuncOp func, ArrayRef<Tensor> args) {
  FunctionType type = func.getFunctionType();
  if (type.getNumInputs() != args.size())
    return func.emitError()
           << "function @" << func.getSymName() << " takes "
           << type.getNumInputs() << " arguments, got " << args.size();
  for (auto [index, arg] : llvm::enumerate(args)) {
    if (!arg)
      return func.emitError() << "argument #" << index << " has no value";
    if (std::optional<std::string> error =
            checkValueType(arg, type.getInput(index)))
      return func.emitError() << "argument #" << index << " of @"
                              << func.getSymName() << ": " << *error;
  }
  return success();
}

//===----------------------------------------------------------------------===//
// Functions and blocks
//===----------------------------------------------------------------------===//

FailureOr<SmallVector<Tensor>> Interpreter::callFunction(func::FuncOp func,
                                                         ArrayRef<Tensor> args,
                                                         unsigned depth) {
  if (func.isExternal())
    return func.emitError()
           << "function @" << func.getSymName() << " has no body to interpret";
  if (depth > options.maxCallDepth)
    return func.emitError() << "call depth exceeds " << options.maxCallDepth
                            << " (recursion is limited)";
  if (failed(checkArguments(func, args)))
    return failure();
  Frame frame;
  SmallVector<Tensor> results;
  if (failed(runBlock(func.getBody().front(), args, frame, depth, results)))
    return failure();
  return results;
}

LogicalResult Interpreter::runBlock(Block &block, ArrayRef<Tensor> args,
                                    Frame &frame, unsigned depth,
                                    SmallVectorImpl<Tensor> &results) {
  if (block.getNumArguments() != args.size())
    return block.getParentOp()->emitOpError()
           << "region expects " << block.getNumArguments() << " arguments, got "
           << args.size();
  for (auto [arg, value] : llvm::zip_equal(block.getArguments(), args))
    frame[arg] = value;

  // In a function body, free each value after its last use, so that large
  // networks do not keep every intermediate tensor alive.
  bool isFunctionBody = isa<func::FuncOp>(block.getParentOp());
  llvm::DenseMap<Operation *, SmallVector<Value, 2>> freeAfter;
  if (isFunctionBody) {
    auto note = [&](Value value, Operation *definer) {
      Operation *last = definer;
      for (OpOperand &use : value.getUses()) {
        Operation *user = block.findAncestorOpInBlock(*use.getOwner());
        if (user && (!last || last->isBeforeInBlock(user)))
          last = user;
      }
      if (last && !last->hasTrait<OpTrait::IsTerminator>())
        freeAfter[last].push_back(value);
    };
    for (BlockArgument arg : block.getArguments())
      note(arg, nullptr);
    for (Operation &op : block.without_terminator())
      for (Value result : op.getResults())
        note(result, &op);
  }

  for (Operation &op : block.without_terminator()) {
    if (failed(executeOp(&op, frame, depth)))
      return failure();
    if (isFunctionBody) {
      auto it = freeAfter.find(&op);
      if (it != freeAfter.end())
        for (Value value : it->second)
          frame.erase(value);
    }
  }

  Operation *terminator = block.getTerminator();
  if (!terminator)
    return block.getParentOp()->emitOpError("block has no terminator");
  if (!isa<func::ReturnOp, scf::YieldOp>(terminator))
    return unsupported(terminator);
  results.clear();
  for (Value operand : terminator->getOperands()) {
    auto it = frame.find(operand);
    if (it == frame.end())
      return terminator->emitOpError("operand was not computed");
    results.push_back(it->second);
  }
  return success();
}

//===----------------------------------------------------------------------===//
// Dispatch
//===----------------------------------------------------------------------===//

LogicalResult Interpreter::executeOp(Operation *op, Frame &frame,
                                     unsigned depth) {
  for (auto [index, operand] : llvm::enumerate(op->getOperands()))
    if (!frame.count(operand))
      return op->emitOpError()
             << "operand #" << index << " has no runtime value";

  if (auto call = dyn_cast<func::CallOp>(op)) {
    auto callee = SymbolTable::lookupNearestSymbolFrom<func::FuncOp>(
        op, call.getCalleeAttr());
    if (!callee)
      return op->emitOpError()
             << "callee " << call.getCalleeAttr() << " is not a func.func";
    SmallVector<Tensor> args;
    for (Value operand : call.getOperands())
      args.push_back(frame.find(operand)->second);
    FailureOr<SmallVector<Tensor>> results =
        callFunction(callee, args, depth + 1);
    if (failed(results)) {
      // A short call stack; deep recursion would drown the error.
      if (depth < 4)
        op->emitRemark("called from here");
      return failure();
    }
    if (results->size() != op->getNumResults())
      return op->emitOpError("callee returned the wrong number of results");
    for (auto [result, value] : llvm::zip_equal(op->getResults(), *results))
      frame[result] = std::move(value);
    return success();
  }

  if (auto constant = dyn_cast<arith::ConstantOp>(op)) {
    FailureOr<Tensor> value =
        evaluateConstant(op, constant.getValue(), constant.getType());
    if (failed(value))
      return failure();
    frame[constant.getResult()] = std::move(*value);
    return success();
  }

  if (isScalarOp(op))
    return executeElementwise(op, frame);

  if (auto linalgOp = dyn_cast<linalg::LinalgOp>(op))
    return executeLinalgOp(linalgOp, frame);

  bool handled = false;
  LogicalResult result = executeTensorOp(op, frame, handled);
  if (handled)
    return result;
  result = executePotqOp(op, frame, handled);
  if (handled)
    return result;
  result = executeScfOp(op, frame, depth, handled);
  if (handled)
    return result;
  return unsupported(op);
}

//===----------------------------------------------------------------------===//
// arith.constant
//===----------------------------------------------------------------------===//

/// The stored form of an integer attribute value of width <= 64.
static int64_t storedInt(const APInt &value) {
  return normalizeInt(value.getZExtValue(), value.getBitWidth());
}

static double storedFloat(APFloat value) {
  bool losesInfo;
  value.convert(APFloat::IEEEdouble(), APFloat::rmNearestTiesToEven,
                &losesInfo);
  return value.convertToDouble();
}

LogicalResult pi::detail::checkElementTypeSupported(Operation *op, Type type) {
  if (isa<FloatType>(type) && getFloatInfo(type))
    return success();
  if (std::optional<unsigned> width = getIntegerWidth(type))
    if (*width > 0 && *width <= 64)
      return success();
  if (isa<potq::QuantizedType>(type))
    return success();
  return op->emitOpError() << "element type " << type
                           << " is not supported by the interpreter";
}

FailureOr<Tensor> Interpreter::evaluateConstant(Operation *op, Attribute value,
                                                Type type) {
  if (auto tensorType = dyn_cast<RankedTensorType>(type)) {
    Type elementType = tensorType.getElementType();
    if (failed(checkElementTypeSupported(op, elementType)) ||
        failed(checkSize(op, tensorType.getShape())))
      return failure();
    auto elements = dyn_cast<ElementsAttr>(value);
    if (!elements || !tensorType.hasStaticShape())
      return op->emitOpError("unsupported constant attribute");
    Tensor result(elementType, tensorType.getShape());
    int64_t index = 0;
    if (result.isFloat()) {
      auto values = elements.tryGetValues<APFloat>();
      if (!values)
        return op->emitOpError("unsupported float constant attribute");
      for (APFloat v : *values)
        result.setFloat(index++, storedFloat(v));
    } else {
      auto values = elements.tryGetValues<APInt>();
      if (!values)
        return op->emitOpError("unsupported integer constant attribute");
      for (const APInt &v : *values)
        result.setInt(index++, storedInt(v));
    }
    if (index != result.getNumElements())
      return op->emitOpError("constant has the wrong number of elements");
    return result;
  }
  if (isa<ShapedType>(type))
    return op->emitOpError() << "constants of type " << type
                             << " are not supported by the interpreter";
  if (failed(checkElementTypeSupported(op, type)))
    return failure();
  if (auto integer = dyn_cast<IntegerAttr>(value))
    return Tensor::makeScalarInt(type, storedInt(integer.getValue()));
  if (auto floatAttr = dyn_cast<FloatAttr>(value))
    return Tensor::makeScalarFloat(type, storedFloat(floatAttr.getValue()));
  return op->emitOpError("unsupported scalar constant attribute");
}

//===----------------------------------------------------------------------===//
// Elementwise arith/math
//===----------------------------------------------------------------------===//

LogicalResult Interpreter::executeElementwise(Operation *op, Frame &frame) {
  FailureOr<ScalarOp> desc = describeScalarOp(op);
  if (failed(desc))
    return failure();
  SmallVector<const Tensor *, 3> operands;
  const Tensor *shapeSource = nullptr;
  for (Value operand : op->getOperands()) {
    const Tensor *value = &frame.find(operand)->second;
    operands.push_back(value);
    if (value->isScalar())
      continue;
    if (!shapeSource)
      shapeSource = value;
    else if (value->getShape() != shapeSource->getShape())
      return op->emitOpError()
             << "operand shapes " << formatIndex(shapeSource->getShape())
             << " and " << formatIndex(value->getShape())
             << " differ at runtime";
  }
  Type resultElementType = getElementTypeOrSelf(op->getResult(0).getType());
  Tensor result;
  if (!shapeSource) {
    result = Tensor::makeScalar(resultElementType);
  } else {
    if (!isa<RankedTensorType>(op->getResult(0).getType()))
      return unsupported(op);
    result = Tensor(resultElementType, shapeSource->getShape());
  }
  SmallVector<Scalar, 3> in(operands.size());
  Scalar out;
  std::string error;
  for (int64_t i = 0, e = result.getNumElements(); i < e; ++i) {
    for (auto [k, operand] : llvm::enumerate(operands))
      in[k] = loadScalar(*operand, operand->isScalar() ? 0 : i);
    if (!evaluateScalarOp(*desc, in.data(), out, error)) {
      InFlightDiagnostic diag = op->emitOpError() << error;
      if (!result.isScalar())
        diag << " at element "
             << formatIndex(delinearize(i, result.getShape()));
      return failure();
    }
    storeScalar(result, i, out);
  }
  frame[op->getResult(0)] = std::move(result);
  return success();
}

//===----------------------------------------------------------------------===//
// scf
//===----------------------------------------------------------------------===//

LogicalResult Interpreter::executeScfOp(Operation *op, Frame &frame,
                                        unsigned depth, bool &handled) {
  handled = true;
  if (auto forOp = dyn_cast<scf::ForOp>(op)) {
    Type ivType = forOp.getInductionVar().getType();
    unsigned width = *getIntegerWidth(ivType);
    int64_t lb = frame.find(forOp.getLowerBound())->second.getInt(0);
    int64_t ub = frame.find(forOp.getUpperBound())->second.getInt(0);
    int64_t step = frame.find(forOp.getStep())->second.getInt(0);
    bool isUnsigned = forOp.getUnsignedCmp();
    if (isUnsigned ? toUnsigned(step, width) == 0 : toSigned(step, width) <= 0)
      return op->emitOpError() << "step " << step << " must be positive";
    SmallVector<Tensor> carried;
    for (Value init : forOp.getInitArgs())
      carried.push_back(frame.find(init)->second);
    int64_t iterations = 0;
    for (int64_t iv = lb;;) {
      bool inRange = isUnsigned ? toUnsigned(iv, width) < toUnsigned(ub, width)
                                : toSigned(iv, width) < toSigned(ub, width);
      if (!inRange)
        break;
      if (++iterations > options.maxIterations)
        return op->emitOpError("too many iterations");
      SmallVector<Tensor> args;
      args.push_back(Tensor::makeScalarInt(ivType, iv));
      llvm::append_range(args, carried);
      SmallVector<Tensor> yielded;
      if (failed(runBlock(*forOp.getBody(), args, frame, depth, yielded)))
        return failure();
      carried = std::move(yielded);
      // Stop if the increment wraps (the loop would not terminate in IR
      // semantics either, but an overflowing induction variable is poison).
      uint64_t next = toUnsigned(iv, width) + toUnsigned(step, width);
      int64_t nextStored = normalizeInt(next, width);
      bool wrapped = isUnsigned
                         ? toUnsigned(nextStored, width) < toUnsigned(iv, width)
                         : toSigned(nextStored, width) < toSigned(iv, width);
      if (wrapped)
        break;
      iv = nextStored;
    }
    for (auto [result, value] : llvm::zip_equal(op->getResults(), carried))
      frame[result] = std::move(value);
    return success();
  }
  if (auto ifOp = dyn_cast<scf::IfOp>(op)) {
    bool condition = frame.find(ifOp.getCondition())->second.getInt(0) != 0;
    Region &region = condition ? ifOp.getThenRegion() : ifOp.getElseRegion();
    SmallVector<Tensor> results;
    if (!region.empty() &&
        failed(runBlock(region.front(), {}, frame, depth, results)))
      return failure();
    if (results.size() != op->getNumResults())
      return op->emitOpError("region yielded the wrong number of values");
    for (auto [result, value] : llvm::zip_equal(op->getResults(), results))
      frame[result] = std::move(value);
    return success();
  }
  handled = false;
  return failure();
}

//===----------------------------------------------------------------------===//
// Entry point
//===----------------------------------------------------------------------===//

FailureOr<SmallVector<Tensor>>
pi::interpret(func::FuncOp func, ArrayRef<Tensor> args,
              const InterpreterOptions &options) {
  Interpreter interpreter(options);
  return interpreter.callFunction(func, args, 0);
}
