//===- ScalarOps.cpp - Element semantics of arith and math ops ------------===//
//
// Integers wrap to their bit width (two's complement). Floats: f32 computes
// in binary32, f64 in binary64, every other format (f16, bf16, f8...) in
// double followed by a single rounding to the format, which is exact for
// +, -, *, / and sqrt because double has more than 2p + 2 bits for those
// formats. Undefined behaviour and poison are reported, never computed.
//
//===----------------------------------------------------------------------===//

#include "ScalarOps.h"

#include "potq/TensorIO/Tensor.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/TypeUtilities.h"
#include "llvm/ADT/APSInt.h"
#include "llvm/ADT/bit.h"

#include <cmath>
#include <limits>

namespace pi = ::potq::interp;
using namespace mlir;
using namespace pi;
using namespace pi::detail;

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

static uint64_t lowMask(unsigned width) {
  return width >= 64 ? ~uint64_t(0) : (uint64_t(1) << width) - 1;
}

int64_t pi::detail::normalizeInt(uint64_t raw, unsigned width) {
  if (width >= 64)
    return int64_t(raw);
  raw &= lowMask(width);
  if (width == 1)
    return int64_t(raw);
  if (raw & (uint64_t(1) << (width - 1)))
    raw |= ~lowMask(width);
  return int64_t(raw);
}

int64_t pi::detail::toSigned(int64_t stored, unsigned width) {
  if (width == 1)
    return stored ? -1 : 0;
  return stored;
}

uint64_t pi::detail::toUnsigned(int64_t stored, unsigned width) {
  return uint64_t(stored) & lowMask(width);
}

static int64_t minSigned(unsigned width) {
  return width >= 64 ? std::numeric_limits<int64_t>::min()
                     : -(int64_t(1) << (width - 1));
}

/// An APFloat of `semantics` holding `value` (which it represents exactly).
static llvm::APFloat toAPFloat(double value,
                               const llvm::fltSemantics &semantics) {
  llvm::APFloat x(value);
  bool losesInfo;
  x.convert(semantics, llvm::RoundingMode::NearestTiesToEven, &losesInfo);
  return x;
}

static double fromAPFloat(llvm::APFloat x) {
  bool losesInfo;
  x.convert(llvm::APFloat::IEEEdouble(), llvm::RoundingMode::NearestTiesToEven,
            &losesInfo);
  return x.convertToDouble();
}

static llvm::RoundingMode toLLVM(arith::RoundingMode mode) {
  switch (mode) {
  case arith::RoundingMode::to_nearest_even:
    return llvm::RoundingMode::NearestTiesToEven;
  case arith::RoundingMode::downward:
    return llvm::RoundingMode::TowardNegative;
  case arith::RoundingMode::upward:
    return llvm::RoundingMode::TowardPositive;
  case arith::RoundingMode::toward_zero:
    return llvm::RoundingMode::TowardZero;
  case arith::RoundingMode::to_nearest_away:
    return llvm::RoundingMode::NearestTiesToAway;
  }
  return llvm::RoundingMode::NearestTiesToEven;
}

//===----------------------------------------------------------------------===//
// Description
//===----------------------------------------------------------------------===//

namespace {
/// Op class -> kind, for the ops without extra attributes.
template <typename OpTy>
bool matchKind(Operation *op, ScalarKind kind, ScalarKind &out) {
  if (!isa<OpTy>(op))
    return false;
  out = kind;
  return true;
}
} // namespace

static std::optional<ScalarKind> classify(Operation *op) {
  ScalarKind k;
#define KIND(OP, KIND)                                                         \
  if (matchKind<OP>(op, ScalarKind::KIND, k))                                  \
    return k;
  KIND(arith::AddIOp, AddI)
  KIND(arith::SubIOp, SubI)
  KIND(arith::MulIOp, MulI)
  KIND(arith::DivSIOp, DivSI)
  KIND(arith::DivUIOp, DivUI)
  KIND(arith::CeilDivSIOp, CeilDivSI)
  KIND(arith::CeilDivUIOp, CeilDivUI)
  KIND(arith::FloorDivSIOp, FloorDivSI)
  KIND(arith::RemSIOp, RemSI)
  KIND(arith::RemUIOp, RemUI)
  KIND(arith::ShLIOp, ShLI)
  KIND(arith::ShRSIOp, ShRSI)
  KIND(arith::ShRUIOp, ShRUI)
  KIND(arith::AndIOp, AndI)
  KIND(arith::OrIOp, OrI)
  KIND(arith::XOrIOp, XOrI)
  KIND(arith::MaxSIOp, MaxSI)
  KIND(arith::MinSIOp, MinSI)
  KIND(arith::MaxUIOp, MaxUI)
  KIND(arith::MinUIOp, MinUI)
  KIND(arith::CmpIOp, CmpI)
  KIND(math::AbsIOp, AbsI)
  KIND(math::CountLeadingZerosOp, CtLz)
  KIND(math::CountTrailingZerosOp, CtTz)
  KIND(math::CtPopOp, CtPop)
  KIND(arith::ExtSIOp, ExtSI)
  KIND(arith::ExtUIOp, ExtUI)
  KIND(arith::TruncIOp, TruncI)
  KIND(arith::IndexCastOp, IndexCast)
  KIND(arith::IndexCastUIOp, IndexCastUI)
  KIND(arith::SIToFPOp, SIToFP)
  KIND(arith::UIToFPOp, UIToFP)
  KIND(arith::FPToSIOp, FPToSI)
  KIND(arith::FPToUIOp, FPToUI)
  KIND(arith::ExtFOp, ExtF)
  KIND(arith::TruncFOp, TruncF)
  KIND(arith::BitcastOp, Bitcast)
  KIND(arith::AddFOp, AddF)
  KIND(arith::SubFOp, SubF)
  KIND(arith::MulFOp, MulF)
  KIND(arith::DivFOp, DivF)
  KIND(arith::RemFOp, RemF)
  KIND(arith::MaximumFOp, MaximumF)
  KIND(arith::MinimumFOp, MinimumF)
  KIND(arith::MaxNumFOp, MaxNumF)
  KIND(arith::MinNumFOp, MinNumF)
  KIND(arith::CmpFOp, CmpF)
  KIND(math::CopySignOp, CopySign)
  KIND(arith::NegFOp, NegF)
  KIND(math::AbsFOp, AbsF)
  KIND(math::SqrtOp, Sqrt)
  KIND(math::CeilOp, Ceil)
  KIND(math::FloorOp, Floor)
  KIND(math::TruncOp, Trunc)
  KIND(math::RoundOp, Round)
  KIND(math::RoundEvenOp, RoundEven)
  KIND(math::IsNaNOp, IsNaN)
  KIND(math::IsInfOp, IsInf)
  KIND(math::IsFiniteOp, IsFinite)
  KIND(arith::SelectOp, Select)
#undef KIND
  return std::nullopt;
}

bool pi::detail::isScalarOp(Operation *op) { return classify(op).has_value(); }

FailureOr<ScalarOp> pi::detail::describeScalarOp(Operation *op) {
  std::optional<ScalarKind> kind = classify(op);
  if (!kind || op->getNumResults() != 1 || op->getNumOperands() == 0)
    return op->emitOpError("is not an elementwise arith/math op");
  ScalarOp desc;
  desc.op = op;
  desc.kind = *kind;
  // The "data" operand: the first one, or the true value of a select.
  Value dataOperand =
      *kind == ScalarKind::Select ? op->getOperand(1) : op->getOperand(0);
  Type operandType = getElementTypeOrSelf(dataOperand.getType());
  Type resultType = getElementTypeOrSelf(op->getResult(0).getType());

  auto describeType = [&](Type type, unsigned &width, FloatInfo &info,
                          bool &isFloat) -> LogicalResult {
    if (isa<FloatType>(type)) {
      std::optional<FloatInfo> f = getFloatInfo(type);
      if (!f)
        return op->emitOpError() << "element type " << type
                                 << " is not supported by the interpreter "
                                    "(floats wider than f64)";
      info = *f;
      isFloat = true;
      return success();
    }
    if (std::optional<unsigned> w = getIntegerWidth(type)) {
      if (*w > 64 || *w == 0)
        return op->emitOpError() << "element type " << type
                                 << " is not supported by the interpreter "
                                    "(integers wider than 64 bits)";
      width = *w;
      isFloat = false;
      return success();
    }
    // Quantized or other element types flow only through select.
    if (*kind == ScalarKind::Select) {
      isFloat = false;
      return success();
    }
    return op->emitOpError()
           << "element type " << type << " is not supported by the interpreter";
  };
  if (failed(describeType(operandType, desc.width, desc.floatInfo,
                          desc.floatOperands)) ||
      failed(describeType(resultType, desc.resultWidth, desc.resultFloatInfo,
                          desc.floatResult)))
    return failure();

  if (auto flags = dyn_cast<arith::ArithIntegerOverflowFlagsInterface>(op)) {
    desc.nsw = flags.hasNoSignedWrap();
    desc.nuw = flags.hasNoUnsignedWrap();
  }
  if (auto div = dyn_cast<arith::DivSIOp>(op))
    desc.exact = div.getIsExact();
  else if (auto div = dyn_cast<arith::DivUIOp>(op))
    desc.exact = div.getIsExact();
  else if (auto shift = dyn_cast<arith::ShRSIOp>(op))
    desc.exact = shift.getIsExact();
  else if (auto shift = dyn_cast<arith::ShRUIOp>(op))
    desc.exact = shift.getIsExact();
  else if (auto cmp = dyn_cast<arith::CmpIOp>(op))
    desc.predicate = uint64_t(cmp.getPredicate());
  else if (auto cmp = dyn_cast<arith::CmpFOp>(op))
    desc.predicate = uint64_t(cmp.getPredicate());
  else if (auto trunc = dyn_cast<arith::TruncFOp>(op)) {
    if (std::optional<arith::RoundingMode> mode = trunc.getRoundingmode())
      desc.rounding = toLLVM(*mode);
  }
  return desc;
}

//===----------------------------------------------------------------------===//
// Evaluation
//===----------------------------------------------------------------------===//

static bool fail(std::string &error, std::string message) {
  error = std::move(message);
  return false;
}

static bool poison(std::string &error, const char *what) {
  return fail(error, std::string("result is poison (") + what +
                         "), which is undefined behaviour");
}

/// f32 computes in binary32, f64 in binary64, other formats in double with
/// one rounding.
template <typename Fn>
static double floatBinary(const FloatInfo &info, double a, double b, Fn fn) {
  switch (info.format) {
  case FloatFormat::F32:
    return double(fn(float(a), float(b)));
  case FloatFormat::F64:
    return fn(a, b);
  case FloatFormat::Other:
    return roundToFormat(fn(a, b), info);
  }
  return 0.0;
}

static double maximum(double a, double b, bool propagateNaN) {
  if (std::isnan(a) || std::isnan(b)) {
    if (propagateNaN)
      return std::numeric_limits<double>::quiet_NaN();
    return std::isnan(a) ? b : a;
  }
  if (a == b) // +0 > -0
    return std::signbit(a) ? b : a;
  return a > b ? a : b;
}

static double minimum(double a, double b, bool propagateNaN) {
  if (std::isnan(a) || std::isnan(b)) {
    if (propagateNaN)
      return std::numeric_limits<double>::quiet_NaN();
    return std::isnan(a) ? b : a;
  }
  if (a == b) // -0 < +0
    return std::signbit(a) ? a : b;
  return a < b ? a : b;
}

static double roundHalfEven(double a) {
  if (!std::isfinite(a))
    return a;
  double lower = std::floor(a);
  double diff = a - lower; // exact
  if (diff > 0.5)
    return lower + 1.0;
  if (diff < 0.5)
    return lower == 0.0 ? std::copysign(0.0, a) : lower;
  double result = std::fmod(lower, 2.0) == 0.0 ? lower : lower + 1.0;
  return result == 0.0 ? std::copysign(0.0, a) : result;
}

static bool compareInts(arith::CmpIPredicate predicate, int64_t sa, int64_t sb,
                        uint64_t ua, uint64_t ub) {
  switch (predicate) {
  case arith::CmpIPredicate::eq:
    return ua == ub;
  case arith::CmpIPredicate::ne:
    return ua != ub;
  case arith::CmpIPredicate::slt:
    return sa < sb;
  case arith::CmpIPredicate::sle:
    return sa <= sb;
  case arith::CmpIPredicate::sgt:
    return sa > sb;
  case arith::CmpIPredicate::sge:
    return sa >= sb;
  case arith::CmpIPredicate::ult:
    return ua < ub;
  case arith::CmpIPredicate::ule:
    return ua <= ub;
  case arith::CmpIPredicate::ugt:
    return ua > ub;
  case arith::CmpIPredicate::uge:
    return ua >= ub;
  }
  return false;
}

bool pi::detail::evaluateScalarOp(const ScalarOp &d, const Scalar *in,
                                  Scalar &out, std::string &error) {
  using K = ScalarKind;
  const unsigned w = d.width;
  // Integer views of the first two operands (unused for float ops).
  auto sv = [&](int k) { return toSigned(in[k].i, w); };
  auto uv = [&](int k) { return toUnsigned(in[k].i, w); };

  switch (d.kind) {
  // Integer arithmetic.
  case K::AddI: {
    out.i = normalizeInt(uv(0) + uv(1), w);
    if (d.nsw && __int128(sv(0)) + sv(1) != toSigned(out.i, w))
      return poison(error, "signed overflow with nsw");
    if (d.nuw && (unsigned __int128)(uv(0)) + uv(1) != toUnsigned(out.i, w))
      return poison(error, "unsigned overflow with nuw");
    return true;
  }
  case K::SubI: {
    out.i = normalizeInt(uv(0) - uv(1), w);
    if (d.nsw && __int128(sv(0)) - sv(1) != toSigned(out.i, w))
      return poison(error, "signed overflow with nsw");
    if (d.nuw && uv(0) < uv(1))
      return poison(error, "unsigned overflow with nuw");
    return true;
  }
  case K::MulI: {
    out.i = normalizeInt(uv(0) * uv(1), w);
    if (d.nsw && __int128(sv(0)) * sv(1) != toSigned(out.i, w))
      return poison(error, "signed overflow with nsw");
    if (d.nuw && (unsigned __int128)(uv(0)) * uv(1) != toUnsigned(out.i, w))
      return poison(error, "unsigned overflow with nuw");
    return true;
  }
  case K::DivSI:
  case K::CeilDivSI:
  case K::FloorDivSI: {
    int64_t a = sv(0), b = sv(1);
    if (b == 0)
      return fail(error, "division by zero is undefined behaviour");
    if (a == minSigned(w) && b == -1)
      return fail(error, "signed division overflow (" + std::to_string(a) +
                             " / -1) is undefined behaviour");
    int64_t q = a / b, r = a % b;
    if (d.kind == K::DivSI && d.exact && r != 0)
      return poison(error, "inexact division with 'exact'");
    if (d.kind == K::CeilDivSI && r != 0 && ((a < 0) == (b < 0)))
      ++q;
    if (d.kind == K::FloorDivSI && r != 0 && ((a < 0) != (b < 0)))
      --q;
    out.i = normalizeInt(uint64_t(q), w);
    return true;
  }
  case K::DivUI:
  case K::CeilDivUI: {
    uint64_t a = uv(0), b = uv(1);
    if (b == 0)
      return fail(error, "division by zero is undefined behaviour");
    uint64_t q = a / b;
    if (d.kind == K::DivUI && d.exact && a % b != 0)
      return poison(error, "inexact division with 'exact'");
    if (d.kind == K::CeilDivUI && a % b != 0)
      ++q;
    out.i = normalizeInt(q, w);
    return true;
  }
  case K::RemSI: {
    int64_t a = sv(0), b = sv(1);
    if (b == 0)
      return fail(error, "remainder by zero is undefined behaviour");
    // min % -1 is 0 (arith only makes division by zero undefined).
    out.i = b == -1 ? 0 : normalizeInt(uint64_t(a % b), w);
    return true;
  }
  case K::RemUI: {
    uint64_t a = uv(0), b = uv(1);
    if (b == 0)
      return fail(error, "remainder by zero is undefined behaviour");
    out.i = normalizeInt(a % b, w);
    return true;
  }
  case K::ShLI:
  case K::ShRSI:
  case K::ShRUI: {
    uint64_t amount = uv(1);
    if (amount >= w)
      return fail(error, "shift amount " + std::to_string(amount) +
                             " is not less than the bit width " +
                             std::to_string(w) +
                             " (poison, undefined behaviour)");
    if (d.kind == K::ShLI) {
      out.i = normalizeInt(uv(0) << amount, w);
      if (d.nsw && (toSigned(out.i, w) >> amount) != sv(0))
        return poison(error, "signed overflow with nsw");
      if (d.nuw && (toUnsigned(out.i, w) >> amount) != uv(0))
        return poison(error, "unsigned overflow with nuw");
      return true;
    }
    if (d.exact && (uv(0) & lowMask(amount)) != 0)
      return poison(error, "nonzero bits shifted out with 'exact'");
    if (d.kind == K::ShRSI)
      out.i = normalizeInt(uint64_t(sv(0) >> amount), w);
    else
      out.i = normalizeInt(uv(0) >> amount, w);
    return true;
  }
  case K::AndI:
    out.i = normalizeInt(uv(0) & uv(1), w);
    return true;
  case K::OrI:
    out.i = normalizeInt(uv(0) | uv(1), w);
    return true;
  case K::XOrI:
    out.i = normalizeInt(uv(0) ^ uv(1), w);
    return true;
  case K::MaxSI:
    out.i = sv(0) >= sv(1) ? in[0].i : in[1].i;
    return true;
  case K::MinSI:
    out.i = sv(0) <= sv(1) ? in[0].i : in[1].i;
    return true;
  case K::MaxUI:
    out.i = uv(0) >= uv(1) ? in[0].i : in[1].i;
    return true;
  case K::MinUI:
    out.i = uv(0) <= uv(1) ? in[0].i : in[1].i;
    return true;
  case K::CmpI:
    out.i = compareInts(arith::CmpIPredicate(d.predicate), sv(0), sv(1), uv(0),
                        uv(1));
    return true;
  case K::AbsI:
    out.i = sv(0) < 0 ? normalizeInt(0 - uv(0), w) : in[0].i;
    return true;
  case K::CtLz:
    out.i = uv(0) == 0 ? w : llvm::countl_zero(uv(0)) - (64 - w);
    return true;
  case K::CtTz:
    out.i = uv(0) == 0 ? w : llvm::countr_zero(uv(0));
    return true;
  case K::CtPop:
    out.i = llvm::popcount(uv(0));
    return true;

  // Casts.
  case K::ExtSI:
  case K::IndexCast:
    out.i = normalizeInt(uint64_t(sv(0)), d.resultWidth);
    return true;
  case K::ExtUI:
  case K::IndexCastUI:
    out.i = normalizeInt(uv(0), d.resultWidth);
    return true;
  case K::TruncI:
    out.i = normalizeInt(uv(0), d.resultWidth);
    if (d.nsw && toSigned(out.i, d.resultWidth) != sv(0))
      return poison(error, "truncated bits differ from the sign with nsw");
    if (d.nuw && (uv(0) >> d.resultWidth) != 0)
      return poison(error, "nonzero truncated bits with nuw");
    return true;
  case K::SIToFP:
  case K::UIToFP: {
    llvm::APFloat x(*d.resultFloatInfo.semantics);
    x.convertFromAPInt(llvm::APInt(w, uv(0)), d.kind == K::SIToFP,
                       llvm::RoundingMode::NearestTiesToEven);
    out.f = fromAPFloat(x);
    return true;
  }
  case K::FPToSI:
  case K::FPToUI: {
    bool isUnsigned = d.kind == K::FPToUI;
    llvm::APSInt result(d.resultWidth, isUnsigned);
    bool isExact;
    llvm::APFloat x(in[0].f);
    llvm::APFloat::opStatus status =
        x.convertToInteger(result, llvm::RoundingMode::TowardZero, &isExact);
    if (status & llvm::APFloat::opInvalidOp) {
      char buffer[64];
      std::snprintf(buffer, sizeof(buffer), "%.17g", in[0].f);
      return fail(error, std::string("value ") + buffer +
                             " does not fit the result type (poison)");
    }
    out.i = normalizeInt(result.getZExtValue(), d.resultWidth);
    return true;
  }
  case K::ExtF:
    out.f = in[0].f;
    return true;
  case K::TruncF:
    out.f = roundToFormat(in[0].f, d.resultFloatInfo, d.rounding);
    return true;
  case K::Bitcast: {
    llvm::APInt bits;
    if (d.floatOperands)
      bits = toAPFloat(in[0].f, *d.floatInfo.semantics).bitcastToAPInt();
    else
      bits = llvm::APInt(w, uv(0));
    if (d.floatResult)
      out.f = fromAPFloat(llvm::APFloat(*d.resultFloatInfo.semantics, bits));
    else
      out.i = normalizeInt(bits.getZExtValue(), d.resultWidth);
    return true;
  }

  // Float arithmetic.
  case K::AddF:
    out.f = floatBinary(d.floatInfo, in[0].f, in[1].f,
                        [](auto a, auto b) { return a + b; });
    return true;
  case K::SubF:
    out.f = floatBinary(d.floatInfo, in[0].f, in[1].f,
                        [](auto a, auto b) { return a - b; });
    return true;
  case K::MulF:
    out.f = floatBinary(d.floatInfo, in[0].f, in[1].f,
                        [](auto a, auto b) { return a * b; });
    return true;
  case K::DivF:
    out.f = floatBinary(d.floatInfo, in[0].f, in[1].f,
                        [](auto a, auto b) { return a / b; });
    return true;
  case K::RemF:
    // fmod is exact in every format.
    out.f = std::fmod(in[0].f, in[1].f);
    return true;
  case K::MaximumF:
    out.f = maximum(in[0].f, in[1].f, /*propagateNaN=*/true);
    return true;
  case K::MinimumF:
    out.f = minimum(in[0].f, in[1].f, /*propagateNaN=*/true);
    return true;
  case K::MaxNumF:
    out.f = maximum(in[0].f, in[1].f, /*propagateNaN=*/false);
    return true;
  case K::MinNumF:
    out.f = minimum(in[0].f, in[1].f, /*propagateNaN=*/false);
    return true;
  case K::CmpF:
    out.i = arith::applyCmpPredicate(arith::CmpFPredicate(d.predicate),
                                     llvm::APFloat(in[0].f),
                                     llvm::APFloat(in[1].f));
    return true;
  case K::CopySign:
    out.f = std::copysign(in[0].f, in[1].f);
    return true;
  case K::NegF:
    out.f = -in[0].f;
    return true;
  case K::AbsF:
    out.f = std::fabs(in[0].f);
    return true;
  case K::Sqrt:
    if (d.floatInfo.format == FloatFormat::F32)
      out.f = double(std::sqrt(float(in[0].f)));
    else
      out.f = roundToFormat(std::sqrt(in[0].f), d.floatInfo);
    return true;
  case K::Ceil:
    out.f = std::ceil(in[0].f);
    return true;
  case K::Floor:
    out.f = std::floor(in[0].f);
    return true;
  case K::Trunc:
    out.f = std::trunc(in[0].f);
    return true;
  case K::Round:
    out.f = std::round(in[0].f);
    return true;
  case K::RoundEven:
    out.f = roundHalfEven(in[0].f);
    return true;
  case K::IsNaN:
    out.i = std::isnan(in[0].f);
    return true;
  case K::IsInf:
    out.i = std::isinf(in[0].f);
    return true;
  case K::IsFinite:
    out.i = std::isfinite(in[0].f);
    return true;
  case K::Select:
    out = in[0].i ? in[1] : in[2];
    return true;
  }
  return fail(error, "unhandled op kind");
}
