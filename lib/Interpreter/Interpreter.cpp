//===- Interpreter.cpp - The potq reference interpreter -------------------===//
//
// The driver of the interpreter: function activations, the one dispatcher
// (an llvm::TypeSwitch from each op to its evaluation function, Ops.h), and
// the ops that run regions: func.call, scf.for and scf.if. Every other op is
// evaluated by a function of its family's file that only reads its operands
// and returns its results.
//
//===----------------------------------------------------------------------===//

#include "Ops.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/SymbolTable.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/raw_ostream.h"

namespace pi = ::potq::interp;
using namespace mlir;
using namespace pi;
using namespace pi::detail;

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

namespace {
/// One run of `interpret`: the options, and the call depth of each
/// activation.
class Interpreter {
public:
  explicit Interpreter(const InterpreterOptions &options)
      : options(options), ctx(options) {}

  /// Runs `func` on `args`.
  FailureOr<SmallVector<Tensor>>
  callFunction(func::FuncOp func, ArrayRef<Tensor> args, unsigned depth);

private:
  /// Runs the ops of `block` after binding its arguments to `args`; the
  /// terminator's operand values are returned in `results`.
  LogicalResult runBlock(Block &block, ArrayRef<Tensor> args, Frame &frame,
                         unsigned depth, SmallVectorImpl<Tensor> &results);

  /// Evaluates `op` and binds its results in `frame`.
  LogicalResult executeOp(Operation *op, Frame &frame, unsigned depth);

  // The ops that run regions.
  LogicalResult executeCall(func::CallOp call, Frame &frame, unsigned depth);
  LogicalResult executeFor(scf::ForOp forOp, Frame &frame, unsigned depth);
  LogicalResult executeIf(scf::IfOp ifOp, Frame &frame, unsigned depth);

  const InterpreterOptions &options;
  Context ctx;
};
} // namespace

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
    return ctx.unsupported(terminator);
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

/// Binds the result of a single-result op.
static LogicalResult bind(Operation *op, Frame &frame,
                          FailureOr<Tensor> value) {
  if (failed(value))
    return failure();
  frame[op->getResult(0)] = std::move(*value);
  return success();
}

/// Binds the results of an op with one value per result.
static LogicalResult bind(Operation *op, Frame &frame,
                          FailureOr<SmallVector<Tensor>> values) {
  if (failed(values))
    return failure();
  for (auto [result, value] : llvm::zip_equal(op->getResults(), *values))
    frame[result] = std::move(value);
  return success();
}

LogicalResult Interpreter::executeOp(Operation *op, Frame &frame,
                                     unsigned depth) {
  for (auto [index, operand] : llvm::enumerate(op->getOperands()))
    if (!frame.count(operand))
      return op->emitOpError()
             << "operand #" << index << " has no runtime value";

  return llvm::TypeSwitch<Operation *, LogicalResult>(op)
      .Case([&](func::CallOp call) { return executeCall(call, frame, depth); })
      .Case([&](scf::ForOp forOp) { return executeFor(forOp, frame, depth); })
      .Case([&](scf::IfOp ifOp) { return executeIf(ifOp, frame, depth); })
      .Case<arith::ConstantOp, tensor::CastOp, tensor::CollapseShapeOp,
            tensor::ConcatOp, tensor::DimOp, tensor::EmptyOp,
            tensor::ExpandShapeOp, tensor::ExtractOp, tensor::ExtractSliceOp,
            tensor::FromElementsOp, tensor::GenerateOp, tensor::InsertOp,
            tensor::InsertSliceOp, tensor::PadOp, tensor::RankOp,
            tensor::ReshapeOp, tensor::SplatOp, potq::AddOp,
            potq::AvgPool2DNhwcOp, potq::ConstantOp, potq::DequantizeOp,
            potq::MaxPool2DNhwcOp, potq::QuantizeOp, potq::RequantizeOp,
            potq::qat::FakeQuantOp>([&](auto typed) {
        return bind(op, frame, evalOp(typed, frame, ctx));
      })
      .Case([&](potq::ContractionOpInterface contraction) {
        return bind(op, frame, evalOp(contraction, frame, ctx));
      })
      .Case([&](linalg::LinalgOp linalgOp) {
        return bind(op, frame, evalOp(linalgOp, frame, ctx));
      })
      .Default([&](Operation *) {
        if (isScalarOp(op))
          return bind(op, frame, evalElementwiseOp(op, frame, ctx));
        return ctx.unsupported(op);
      });
}

//===----------------------------------------------------------------------===//
// func.call, scf.for, scf.if
//===----------------------------------------------------------------------===//

LogicalResult Interpreter::executeCall(func::CallOp call, Frame &frame,
                                       unsigned depth) {
  Operation *op = call;
  auto callee = SymbolTable::lookupNearestSymbolFrom<func::FuncOp>(
      op, call.getCalleeAttr());
  if (!callee)
    return op->emitOpError()
           << "callee " << call.getCalleeAttr() << " is not a func.func";
  SmallVector<Tensor> args;
  for (Value operand : call.getOperands())
    args.push_back(valueOf(frame, operand));
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

LogicalResult Interpreter::executeFor(scf::ForOp forOp, Frame &frame,
                                      unsigned depth) {
  Operation *op = forOp;
  Type ivType = forOp.getInductionVar().getType();
  unsigned width = *getIntegerWidth(ivType);
  int64_t lb = getIndexValue(frame, forOp.getLowerBound());
  int64_t ub = getIndexValue(frame, forOp.getUpperBound());
  int64_t step = getIndexValue(frame, forOp.getStep());
  bool isUnsigned = forOp.getUnsignedCmp();
  if (isUnsigned ? toUnsigned(step, width) == 0 : toSigned(step, width) <= 0)
    return op->emitOpError() << "step " << step << " must be positive";
  SmallVector<Tensor> carried;
  for (Value init : forOp.getInitArgs())
    carried.push_back(valueOf(frame, init));
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

LogicalResult Interpreter::executeIf(scf::IfOp ifOp, Frame &frame,
                                     unsigned depth) {
  Operation *op = ifOp;
  bool condition = valueOf(frame, ifOp.getCondition()).getInt(0) != 0;
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

//===----------------------------------------------------------------------===//
// Entry point
//===----------------------------------------------------------------------===//

FailureOr<SmallVector<Tensor>>
pi::interpret(func::FuncOp func, ArrayRef<Tensor> args,
              const InterpreterOptions &options) {
  Interpreter interpreter(options);
  return interpreter.callFunction(func, args, 0);
}
