//===- PotqTypes.td - potq quantized element type ----------*- tablegen -*-===//

#ifndef POTQ_DIALECT_POTQ_IR_POTQTYPES_TD
#define POTQ_DIALECT_POTQ_IR_POTQTYPES_TD

include "potq/Dialect/Potq/IR/PotqAttrs.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/BuiltinTypeInterfaces.td"

def Potq_QuantizedType : TypeDef<Potq_Dialect, "Quantized"> {
  let mnemonic = "q";
  let summary = "A quantized element: an encoding level with a real scale";
  let description = [{
    A level `L` of the encoding with real value `scale * (L - zero_point)`:

    ```mlir
    !potq.q<#potq.pot<bits = 4>, f32, scale = 1.5e-02>
    !potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 2.0e-02, zero_point = 128>
    !potq.q<#potq.apot<bits = 4>, f32, axis = 1, scales = [1.0e-01, 2.5e-01]>
    ```

    The expressed type is f32, f16 or bf16. Scales are positive finite
    binary32 values and print in the shortest form that reads back exactly.
    A zero point is allowed for uniform encodings only. With `axis`, there is
    one scale per index of that dimension of the enclosing tensor. The storage
    integer (the smallest of i8/i16/i32 holding every level, unsigned for
    unsigned encodings) is derived, never written.
  }];
  let parameters = (ins
    "::potq::EncodingAttrInterface":$encoding,
    "::mlir::FloatType":$expressedType,
    "::mlir::DenseF32ArrayAttr":$scales,
    "std::optional<int64_t>":$axis,
    "int64_t":$zeroPoint);
  let hasCustomAssemblyFormat = 1;
  let genVerifyDecl = 1;
  let builders = [
    TypeBuilderWithInferredContext<(ins
        "::potq::EncodingAttrInterface":$encoding,
        "::mlir::FloatType":$expressedType, "float":$scale,
        CArg<"int64_t", "0">:$zeroPoint), [{
      return $_get(encoding.getContext(), encoding, expressedType,
                   ::mlir::DenseF32ArrayAttr::get(encoding.getContext(), scale),
                   std::nullopt, zeroPoint);
    }]>,
    TypeBuilderWithInferredContext<(ins
        "::potq::EncodingAttrInterface":$encoding,
        "::mlir::FloatType":$expressedType, "int64_t":$axis,
        "::llvm::ArrayRef<float>":$scales), [{
      return $_get(encoding.getContext(), encoding, expressedType,
                   ::mlir::DenseF32ArrayAttr::get(encoding.getContext(), scales),
                   axis, 0);
    }]>,
  ];
  let extraClassDeclaration = [{
    bool isPerChannel() const { return getAxis().has_value(); }
    /// The single scale of a per-tensor type.
    float getScale() const;
    /// The scale applying to index `channel` of the channel axis (or the
    /// per-tensor scale).
    float getScaleFor(int64_t channel) const;
    const ::potq::numerics::LevelSet &getLevelSet() const {
      return getEncoding().getLevelSet();
    }
    /// The storage integer type: i8, i16 or i32 (signless).
    ::mlir::IntegerType getStorageType() const;
    /// Whether storage integers are read sign-extended (all encodings but
    /// unsigned uniform ones).
    bool isStorageSigned() const;

    // Storage casts: a level is stored as a storage integer (its code), the
    // way upstream Quant's types cast between storage and expressed values.
    /// The level that the storage integer `code` holds (sign- or
    /// zero-extended as isStorageSigned() says).
    int64_t decodeLevel(const ::llvm::APInt &code) const;
    /// The storage integer holding `level`.
    ::llvm::APInt encodeLevel(int64_t level) const;
    /// The levels of `codes`, a tensor of storage integers of this type, in
    /// row-major order, decoded as they are read (a splat repeats its one
    /// level; nothing is expanded up front).
    auto decodeLevels(::mlir::DenseIntElementsAttr codes) const {
      return ::llvm::map_range(
          codes.getValues<::llvm::APInt>(),
          [type = *this](const ::llvm::APInt &code) {
            return type.decodeLevel(code);
          });
    }
    /// A tensor of shape `shape` holding the storage integers of `levels`
    /// (row-major), or a splat when `levels` has one element.
    ::mlir::DenseIntElementsAttr
    encodeLevels(::llvm::ArrayRef<int64_t> shape,
                 ::llvm::ArrayRef<int64_t> levels) const;
    bool isUniform() const;
  }];
}

#endif // POTQ_DIALECT_POTQ_IR_POTQTYPES_TD
