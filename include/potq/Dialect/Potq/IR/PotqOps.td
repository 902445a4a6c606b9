//===- PotqOps.td - potq operations ------------------------*- tablegen -*-===//

#ifndef POTQ_DIALECT_POTQ_IR_POTQOPS_TD
#define POTQ_DIALECT_POTQ_IR_POTQOPS_TD

include "potq/Dialect/Potq/IR/PotqInterfaces.td"
include "potq/Dialect/Potq/IR/PotqTypes.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/IR/BuiltinAttributes.td"

//===----------------------------------------------------------------------===//
// Type constraints
//===----------------------------------------------------------------------===//

def Potq_QuantizedTensor : RankedTensorOf<[Potq_QuantizedType]>;
def Potq_FloatTensor : RankedTensorOf<[F32, F16, BF16]>;
def Potq_BiasTensor : RankedTensorOf<[I32]>;
/// A contraction result: requantized levels, or the raw i32/i64 accumulator.
def Potq_ContractionResult : RankedTensorOf<[Potq_QuantizedType, I32, I64]>;

//===----------------------------------------------------------------------===//
// Conversions
//===----------------------------------------------------------------------===//

def Potq_QuantizeOp : Potq_Op<"quantize", [Pure]> {
  let summary = "Projects a float tensor onto the levels of a quantized type";
  let description = [{
    Each element `r` becomes the level of SPEC section 4: `t = r / s` as a
    binary32 division, NaN to the zero point, the level nearest to `t + Z`
    with ties to the smaller magnitude `|L - Z|`, clamped to the extremes.
    The input element type must be the expressed type of the result.

    ```mlir
    %q = potq.quantize %x : tensor<4x8xf32>
           -> tensor<4x8x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.25e-01>>
    ```

    Folds a constant input to a `potq.constant`, and
    `potq.quantize(potq.dequantize(%q))` to `%q` when the types match.
  }];
  let arguments = (ins Potq_FloatTensor:$input);
  let results = (outs Potq_QuantizedTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Potq_DequantizeOp : Potq_Op<"dequantize", [Pure]> {
  let summary = "Converts levels to their real values";
  let description = [{
    Each level `L` becomes `scale * (L - zero_point)`, computed in binary32
    and rounded to the result element type (the expressed type).

    ```mlir
    %x = potq.dequantize %q
           : tensor<4x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.25e-01>>
           -> tensor<4xf32>
    ```

    Folds a `potq.constant` input to an `arith.constant` of the real values.
  }];
  let arguments = (ins Potq_QuantizedTensor:$input);
  let results = (outs Potq_FloatTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Potq_ConstantOp : Potq_Op<"constant", [ConstantLike, Pure]> {
  let summary = "A constant tensor of levels";
  let description = [{
    Holds levels in the storage integer type of the quantized element type
    (read unsigned for unsigned uniform encodings, signed otherwise). Every
    value must be a level of the encoding.

    ```mlir
    %w = potq.constant dense<[[1, -2], [0, 64]]> : tensor<2x2xi8>
           -> tensor<2x2x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e-02>>
    ```
  }];
  let arguments = (ins ElementsAttr:$value);
  let results = (outs Potq_QuantizedTensor:$result);
  let assemblyFormat = "$value attr-dict `->` type($result)";
  let hasVerifier = 1;
  let hasFolder = 1;
  let builders = [
    // A constant of type `type` holding `levels` (row-major), or a splat of
    // its one level.
    OpBuilder<(ins "::mlir::RankedTensorType":$type,
                   "::llvm::ArrayRef<int64_t>":$levels), [{
      build($_builder, $_state, type,
            ::potq::getQuantizedElementType(type).encodeLevels(
                type.getShape(), levels));
    }]>,
  ];
  let extraClassDeclaration = [{
    /// The quantized element type of the result.
    ::potq::QuantizedType getQuantizedType() {
      return ::mlir::cast<::potq::QuantizedType>(
          getResult().getType().getElementType());
    }
    /// The storage integers (verified to be a dense integer tensor).
    ::mlir::DenseIntElementsAttr getCodes() {
      return ::mlir::cast<::mlir::DenseIntElementsAttr>(getValue());
    }
    /// The levels in row-major order, decoded from the storage integers as
    /// they are read. A splat repeats its level: check the element count
    /// against potq/Limits.h before expanding, or use getSplatLevel().
    auto getLevels() { return getQuantizedType().decodeLevels(getCodes()); }
    /// The level of a splat constant, else std::nullopt.
    std::optional<int64_t> getSplatLevel() {
      ::mlir::DenseIntElementsAttr codes = getCodes();
      if (!codes.isSplat())
        return std::nullopt;
      return getQuantizedType().decodeLevel(
          codes.getSplatValue<::llvm::APInt>());
    }
  }];
}

def Potq_RequantizeOp : Potq_Op<"requantize", [Pure]> {
  let summary = "Converts levels to another uniform quantized type in integers";
  let description = [{
    SPEC section 6 on each element: with `m = s_in / s_out` (per channel when
    the input is per-channel) represented as `M * 2^-sh`,
    `y = clamp(Z_out + round_shift((x - Z_in) * M, sh), lo, hi)` where
    `round_shift(v, sh) = (v + 2^(sh-1)) >> sh` and `[lo, hi]` are the
    extremes of the result encoding. A power-of-two `m` is a pure shift.
    The result must be a per-tensor uniform type.

    ```mlir
    %y = potq.requantize %x
           : tensor<8x!potq.q<#potq.uniform<bits = 16>, f32, scale = 1.0e-03>>
           -> tensor<8x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e-01>>
    ```
  }];
  let arguments = (ins Potq_QuantizedTensor:$input);
  let results = (outs Potq_QuantizedTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Contractions
//===----------------------------------------------------------------------===//

/// A contraction (ContractionOpInterface, PotqInterfaces.td): the operands
/// and attributes below, the output-channel dimensions of the weight and
/// the result, and, defined in PotqOps.cpp, the indexing maps and the shape
/// rule (`inferResultShape`) that the interface verifier calls.
class Potq_ContractionOp<string mnemonic, int weightChannelAxis,
                         int resultChannelAxis, string shapes, string example>
    : Potq_Op<mnemonic, [Pure, AttrSizedOperandSegments,
                         Potq_ContractionOpInterface]> {
  let description = shapes # [{
The integer semantics of SPEC section 6. The input is a per-tensor
uniform quantized tensor with zero point `Zx`; the weight uses any
encoding, per tensor or per output channel. The accumulator is
`acc = Σ_k (X[k] - Zx) * W[k] (+ bias)` with the optional bias given as
i32 levels at scale `sx * sw` (one per output channel).

With a quantized result (per-tensor uniform, scale `sy`, zero point `Zy`)
the accumulator is requantized: `m = sx * sw / sy` as `M * 2^-sh`,
`y = clamp(Zy + round_shift(acc * M, sh), lo, hi)`, where `[lo, hi]` are
the result extremes narrowed by the optional `clamp_min`/`clamp_max`
(levels of the result; a fused ReLU is `clamp_min = Zy`). With an i32 or
i64 result the raw accumulator is returned and no clamp is allowed.
All quantized operands share one expressed type.

An optional `residual` (a per-tensor quantized tensor shaped like the
result, e.g. the skip connection of a residual block) is added in
accumulator units before requantization:
`acc += round_shift((R - Zr) * Mr, shr)` with `Mr * 2^-shr` the fixed-point
form of `sr / (sx * sw[c])`; a fused ReLU then applies after the addition,
as in `relu(conv(x) + b + skip)`.

`wide_accumulator` (set by `potq-verify-accumulators{widen-i64=true}` when
the i32 bound of SPEC section 6 cannot be proven) accumulates in i64 and
requantizes in 128-bit arithmetic; the result is the same formula without
the i32 limit.

}] # "\n\n```mlir\n" # example # "\n```";
  let assemblyFormat = [{
    $input `,` $weight (`bias` $bias^)?
    (`residual` `(` $residual^ `:` type($residual) `)`)? attr-dict `:`
    type($input) `,` type($weight) (`,` type($bias)^)? `->` type($result)
  }];
  let arguments = (ins Potq_QuantizedTensor:$input,
                       Potq_QuantizedTensor:$weight,
                       Optional<Potq_BiasTensor>:$bias,
                       Optional<Potq_QuantizedTensor>:$residual,
                       OptionalAttr<I64Attr>:$clamp_min,
                       OptionalAttr<I64Attr>:$clamp_max,
                       UnitAttr:$wide_accumulator);
  let results = (outs Potq_ContractionResult:$result);
  code commonExtraDeclaration = [{
    /// The weight dimension indexed by output channels.
    int64_t getWeightChannelAxis() {
      return }] # !cast<string>(weightChannelAxis) # [{;
    }
    /// The result dimension indexed by output channels.
    int64_t getResultChannelAxis() {
      return }] # !cast<string>(resultChannelAxis) # [{;
    }
    /// The indexing maps of the input, weight and result (PotqOps.cpp).
    ::llvm::SmallVector<::mlir::AffineMap, 3> getIndexingMaps();
    /// The result shape implied by the input and weight shapes, or failure
    /// after an error at the op (PotqOps.cpp).
    ::mlir::FailureOr<::llvm::SmallVector<int64_t>>
    inferResultShape(::llvm::ArrayRef<int64_t> inputShape,
                     ::llvm::ArrayRef<int64_t> weightShape);
  }];
  let extraClassDeclaration = commonExtraDeclaration;
}

def Potq_MatmulOp : Potq_ContractionOp<"matmul", 1, 1, [{
Input `[M, K]`, weight `[K, N]`, result `[M, N]`; per-channel weight
scales use axis 1.
}], [{
%y = potq.matmul %x, %w bias %b {clamp_min = -128 : i64}
       : tensor<4x16x!potq.q<#potq.uniform<bits = 8>, f32, scale = 5.0e-02, zero_point = -128>>,
         tensor<16x8x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0e-02>>,
         tensor<8xi32>
       -> tensor<4x8x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e-01, zero_point = -128>>
}]> {
  let summary = "Quantized matrix multiplication [M, K] x [K, N] -> [M, N]";
}

def Potq_BatchMatmulOp : Potq_ContractionOp<"batch_matmul", 2, 2, [{
Input `[B, M, K]`, weight `[B, K, N]`, result `[B, M, N]`; per-channel
weight scales use axis 2.
}], [{
%y = potq.batch_matmul %x, %w
       : tensor<2x4x16x!potq.q<#potq.uniform<bits = 8>, f32, scale = 5.0e-02>>,
         tensor<2x16x8x!potq.q<#potq.apot<bits = 4>, f32, scale = 1.0e-02>>
       -> tensor<2x4x8xi32>
}]> {
  let summary = "Quantized batched matrix multiplication [B, M, K] x [B, K, N]";
}

/// A 2-D convolution: a contraction with two window dimensions, whose
/// `strides` and `dilations` (default 1) and `padding` (default 0) the
/// interfaces read.
class Potq_Conv2DOp<string mnemonic, int weightChannelAxis,
                    int resultChannelAxis, string shapes, string example>
    : Potq_ContractionOp<mnemonic, weightChannelAxis, resultChannelAxis,
                         shapes, example> {
  let arguments = (ins Potq_QuantizedTensor:$input,
                       Potq_QuantizedTensor:$weight,
                       Optional<Potq_BiasTensor>:$bias,
                       Optional<Potq_QuantizedTensor>:$residual,
                       OptionalAttr<I64Attr>:$clamp_min,
                       OptionalAttr<I64Attr>:$clamp_max,
                       UnitAttr:$wide_accumulator,
                       OptionalAttr<DenseI64ArrayAttr>:$strides,
                       OptionalAttr<DenseI64ArrayAttr>:$dilations,
                       OptionalAttr<DenseI64ArrayAttr>:$padding);
  let results = (outs Potq_ContractionResult:$result);
  let extraClassDeclaration = commonExtraDeclaration # [{
    /// [height, width].
    unsigned getNumWindowDims() { return 2; }
  }];
}

def Potq_Conv2DNhwcHwcfOp : Potq_Conv2DOp<"conv_2d_nhwc_hwcf", 3, 3, [{
Input `[N, H, W, C]`, filter `[KH, KW, C, F]`, result `[N, OH, OW, F]`
with `OH = (H + pt + pb - dh * (KH - 1) - 1) / sh + 1` (likewise `OW`).
The optional `padding = array<i64: pt, pl, pb, pr>` (top, left, bottom,
right; default 0) pads the input with its zero point `Zx`, so padded
positions contribute `(Zx - Zx) * W = 0`: "same" padding needs no
`tensor.pad`. Per-channel weight scales use axis 3.

}], [{
%y = potq.conv_2d_nhwc_hwcf %x, %w {strides = array<i64: 2, 2>,
                                    padding = array<i64: 1, 1, 1, 1>}
       : tensor<1x9x9x3x!potq.q<#potq.uniform<bits = 8>, f32, scale = 5.0e-02>>,
         tensor<3x3x3x8x!potq.q<#potq.pot<bits = 4>, f32, axis = 3,
           scales = [1.0e-02, 1.0e-02, 2.0e-02, 1.0e-02, 1.0e-02, 1.0e-02, 1.0e-02, 1.0e-02]>>
       -> tensor<1x5x5x8xi32>
}]> {
  let summary = "Quantized 2-D convolution, input NHWC, filter HWCF";
}

def Potq_Conv2DNchwFchwOp : Potq_Conv2DOp<"conv_2d_nchw_fchw", 0, 1, [{
Input `[N, C, H, W]`, filter `[F, C, KH, KW]`, result `[N, F, OH, OW]`
(`OH`, `OW` and the optional zero-point `padding` as for
`conv_2d_nhwc_hwcf`). Per-channel weight scales use axis 0.

}], [{
%y = potq.conv_2d_nchw_fchw %x, %w
       : tensor<1x3x8x8x!potq.q<#potq.uniform<bits = 8>, f32, scale = 5.0e-02>>,
         tensor<4x3x3x3x!potq.q<#potq.apot<bits = 5>, f32, axis = 0,
           scales = [1.0e-02, 1.0e-02, 2.0e-02, 1.0e-02]>>
       -> tensor<1x4x6x6x!potq.q<#potq.uniform<bits = 8>, f32, scale = 1.0e-01>>
}]> {
  let summary = "Quantized 2-D convolution, input NCHW, filter FCHW";
}

def Potq_DepthwiseConv2DNhwcHwcOp
    : Potq_Conv2DOp<"depthwise_conv_2d_nhwc_hwc", 2, 3, [{
Input `[N, H, W, C]`, filter `[KH, KW, C]`, result `[N, OH, OW, C]`: each
channel is convolved with its own filter (no channel reduction; `OH`, `OW`
and the optional zero-point `padding` as for `conv_2d_nhwc_hwcf`).
Per-channel weight scales use axis 2.
}], [{
%y = potq.depthwise_conv_2d_nhwc_hwc %x, %w {strides = array<i64: 1, 1>}
       : tensor<1x6x6x4x!potq.q<#potq.uniform<bits = 8>, f32, scale = 5.0e-02>>,
         tensor<3x3x4x!potq.q<#potq.pot<bits = 4>, f32, axis = 2,
           scales = [1.0e-02, 2.0e-02, 1.0e-02, 1.0e-02]>>
       -> tensor<1x4x4x4xi32>
}]> {
  let summary = "Quantized depthwise 2-D convolution, input NHWC, filter HWC";
}

//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

def Potq_AddOp : Potq_Op<"add", [Pure]> {
  let summary = "Elementwise sum of two quantized tensors, requantized once";
  let description = [{
    `y = s_a (A - Za) + s_b (B - Zb)` in integers with one rounding: with
    `M * 2^-sh` the fixed-point forms of `s_a / s_y` and `s_b / s_y` and
    `S = max(sh_a, sh_b, 0)`,
    `y = clamp(Zy + round_shift(Ta + Tb, S), lo, hi)` where
    `T = (X - Zx) * M * 2^(S - sh)` (128-bit arithmetic). `[lo, hi]` are the
    result extremes narrowed by `clamp_min`/`clamp_max` (a fused ReLU is
    `clamp_min = Zy`). Operands are per-tensor quantized tensors of the same
    shape; the result is per-tensor uniform.

    ```mlir
    %y = potq.add %a, %b {clamp_min = 0 : i64}
           : tensor<1x8x!potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 2.0e-02>>,
             tensor<1x8x!potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 3.0e-02>>
           -> tensor<1x8x!potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 4.0e-02>>
    ```
  }];
  let arguments = (ins Potq_QuantizedTensor:$lhs, Potq_QuantizedTensor:$rhs,
                       OptionalAttr<I64Attr>:$clamp_min,
                       OptionalAttr<I64Attr>:$clamp_max);
  let results = (outs Potq_QuantizedTensor:$result);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` type($lhs) `,` type($rhs) `->` type($result)
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// The clamp bounds: the result extremes narrowed by clamp_min/max.
    std::pair<int64_t, int64_t> getBounds();
  }];
}

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

def Potq_MaxPool2DNhwcOp
    : Potq_Op<"max_pool_2d_nhwc", [Pure, Potq_SlidingWindowOpInterface]> {
  let summary = "2-D max pooling of levels, NHWC";
  let description = [{
    Each output element is the largest level in its `kernel` window
    (`[KH, KW]`, with optional `strides` and `dilations`, default `[1, 1]`;
    no padding), so `OH = (H - dh * (KH - 1) - 1) / sh + 1`. The real value
    `s * (L - Z)` increases with the level, so this is exactly max pooling of
    the real values, with no conversion. Input and result have the same
    quantized type (per-channel scales only along the channel axis 3).

    ```mlir
    %y = potq.max_pool_2d_nhwc %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>}
           : tensor<1x8x8x4x!potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 2.0e-02>>
           -> tensor<1x4x4x4x!potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 2.0e-02>>
    ```
  }];
  let arguments = (ins Potq_QuantizedTensor:$input,
                       DenseI64ArrayAttr:$kernel,
                       OptionalAttr<DenseI64ArrayAttr>:$strides,
                       OptionalAttr<DenseI64ArrayAttr>:$dilations);
  let results = (outs Potq_QuantizedTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// [height, width]: `strides` and `dilations` (SlidingWindowOpInterface,
    /// default [1, 1]).
    unsigned getNumWindowDims() { return 2; }
  }];
}

def Potq_AvgPool2DNhwcOp
    : Potq_Op<"avg_pool_2d_nhwc", [Pure, Potq_SlidingWindowOpInterface]> {
  let summary = "2-D average pooling of levels, NHWC";
  let description = [{
    Sums `X - Zx` over each `kernel` window (`[KH, KW]`, optional `strides`
    and `dilations`, no padding) in integers, then requantizes the sum like
    SPEC section 6: with `m = sx / (sy * KH * KW)` as `M * 2^-sh`,
    `y = clamp(Zy + round_shift(sum * M, sh), lo, hi)`. The input is a
    per-tensor quantized tensor of any encoding, the result per-tensor
    uniform.

    ```mlir
    %y = potq.avg_pool_2d_nhwc %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>}
           : tensor<1x8x8x4x!potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 2.0e-02>>
           -> tensor<1x4x4x4x!potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 2.0e-02>>
    ```
  }];
  let arguments = (ins Potq_QuantizedTensor:$input,
                       DenseI64ArrayAttr:$kernel,
                       OptionalAttr<DenseI64ArrayAttr>:$strides,
                       OptionalAttr<DenseI64ArrayAttr>:$dilations);
  let results = (outs Potq_QuantizedTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// [height, width]: `strides` and `dilations` (SlidingWindowOpInterface,
    /// default [1, 1]).
    unsigned getNumWindowDims() { return 2; }
    /// m = sx / (sy * KH * KW), the requantization multiplier of the sum.
    double getMultiplier();
  }];
}

#endif // POTQ_DIALECT_POTQ_IR_POTQOPS_TD
