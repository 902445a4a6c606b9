//===- ScalarProgram.cpp - Compiled scalar region bodies ------------------===//

#include "ScalarProgram.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

namespace pi = ::potq::interp;
using namespace mlir;
using namespace pi;
using namespace pi::detail;

FailureOr<ScalarProgram> ScalarProgram::compile(Block &block, unsigned numLoops,
                                                const Context &ctx,
                                                const Frame &frame) {
  ScalarProgram program;
  llvm::DenseMap<Value, int> slotOf;
  program.numArgs = block.getNumArguments();
  for (BlockArgument arg : block.getArguments()) {
    if (isa<ShapedType>(arg.getType()))
      return block.getParentOp()->emitOpError(
          "has a body with tensor arguments, which is not supported");
    slotOf[arg] = program.slots.size();
    program.slots.emplace_back();
  }
  auto newSlot = [&](Value v, Scalar init) {
    int slot = program.slots.size();
    program.slots.push_back(init);
    slotOf[v] = slot;
    return slot;
  };
  // The slot of `v`, capturing scalars from the enclosing frame.
  auto slotFor = [&](Operation *user, Value v) -> FailureOr<int> {
    auto it = slotOf.find(v);
    if (it != slotOf.end())
      return it->second;
    auto outer = frame.find(v);
    if (outer == frame.end())
      return user->emitOpError("uses a value that has no runtime value");
    if (!outer->second.isScalar())
      return user->emitOpError("uses a tensor from the enclosing scope as a "
                               "scalar, which is not supported");
    return newSlot(v, loadScalar(outer->second, 0));
  };

  for (Operation &op : block.without_terminator()) {
    if (auto constant = dyn_cast<arith::ConstantOp>(op)) {
      if (isa<ShapedType>(constant.getType()))
        return ctx.unsupported(&op);
      FailureOr<Tensor> value =
          evalConstant(&op, constant.getValue(), constant.getType(), ctx);
      if (failed(value))
        return failure();
      newSlot(constant.getResult(), loadScalar(*value, 0));
      continue;
    }
    Instr instr;
    instr.op = &op;
    if (auto index = dyn_cast<linalg::IndexOp>(op)) {
      if (index.getDim() >= numLoops)
        return op.emitOpError()
               << "dimension " << index.getDim() << " is out of range of the "
               << numLoops << " loops";
      instr.kind = InstrKind::Index;
      instr.dim = index.getDim();
    } else if (auto extract = dyn_cast<tensor::ExtractOp>(op)) {
      auto outer = frame.find(extract.getTensor());
      if (outer == frame.end())
        return op.emitOpError("extracts from a tensor defined in the body, "
                              "which is not supported");
      instr.kind = InstrKind::Extract;
      instr.tensor = &outer->second;
      instr.strides = outer->second.getStrides();
      for (Value index : extract.getIndices()) {
        FailureOr<int> slot = slotFor(&op, index);
        if (failed(slot))
          return failure();
        instr.operands.push_back(*slot);
      }
    } else if (isScalarOp(&op)) {
      for (Type type : op.getOperandTypes())
        if (isa<ShapedType>(type))
          return ctx.unsupported(&op);
      FailureOr<ScalarOp> desc = describeScalarOp(&op);
      if (failed(desc))
        return failure();
      instr.kind = InstrKind::Op;
      instr.desc = *desc;
      for (Value operand : op.getOperands()) {
        FailureOr<int> slot = slotFor(&op, operand);
        if (failed(slot))
          return failure();
        instr.operands.push_back(*slot);
      }
    } else {
      return ctx.unsupported(&op);
    }
    if (op.getNumResults() != 1)
      return ctx.unsupported(&op);
    instr.result = newSlot(op.getResult(0), Scalar());
    program.instrs.push_back(std::move(instr));
  }

  Operation *terminator = block.getTerminator();
  for (Value operand : terminator->getOperands()) {
    FailureOr<int> slot = slotFor(terminator, operand);
    if (failed(slot))
      return failure();
    program.resultSlots.push_back(*slot);
  }
  return program;
}

LogicalResult ScalarProgram::run(const Scalar *args, ArrayRef<int64_t> indices,
                                 SmallVectorImpl<Scalar> &results) {
  for (unsigned i = 0; i < numArgs; ++i)
    slots[i] = args[i];
  std::string error;
  Scalar operands[3];
  for (const Instr &instr : instrs) {
    switch (instr.kind) {
    case InstrKind::Op: {
      for (auto [k, slot] : llvm::enumerate(instr.operands))
        operands[k] = slots[slot];
      if (!evaluateScalarOp(instr.desc, operands, slots[instr.result], error)) {
        InFlightDiagnostic diag = instr.op->emitOpError() << error;
        if (!indices.empty())
          diag << " at iteration " << formatIndex(indices);
        return failure();
      }
      break;
    }
    case InstrKind::Index:
      slots[instr.result] = Scalar();
      slots[instr.result].i = indices[instr.dim];
      break;
    case InstrKind::Extract: {
      const Tensor &tensor = *instr.tensor;
      int64_t linear = 0;
      for (auto [d, slot] : llvm::enumerate(instr.operands)) {
        int64_t i = slots[slot].i;
        if (i < 0 || i >= tensor.getShape()[d]) {
          SmallVector<int64_t, 4> index;
          for (int s : instr.operands)
            index.push_back(slots[s].i);
          return instr.op->emitOpError()
                 << "index " << formatIndex(index)
                 << " is out of bounds of a tensor of shape "
                 << formatIndex(tensor.getShape());
        }
        linear += i * instr.strides[d];
      }
      slots[instr.result] = loadScalar(tensor, linear);
      break;
    }
    }
  }
  results.clear();
  for (int slot : resultSlots)
    results.push_back(slots[slot]);
  return success();
}
