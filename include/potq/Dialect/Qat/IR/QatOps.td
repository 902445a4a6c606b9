//===- QatOps.td - qat operations and attributes -----------*- tablegen -*-===//

#ifndef POTQ_DIALECT_QAT_IR_QATOPS_TD
#define POTQ_DIALECT_QAT_IR_QATOPS_TD

include "potq/Dialect/Qat/IR/QatDialect.td"
include "potq/Dialect/Potq/IR/PotqAttrs.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

//===----------------------------------------------------------------------===//
// Estimators
//===----------------------------------------------------------------------===//

def Qat_EstimatorKind : I32EnumAttr<"EstimatorKind",
    "gradient estimator used to train through a fake quantization", [
  I32EnumAttrCase<"STE", 0, "ste">,
  I32EnumAttrCase<"ClippedSTE", 1, "clipped_ste">,
  I32EnumAttrCase<"LSQ", 2, "lsq">,
  I32EnumAttrCase<"LGLSQ", 3, "lg_lsq">,
  I32EnumAttrCase<"QErrorAware", 4, "qerror_aware">,
  I32EnumAttrCase<"MSQE", 5, "msqe">,
  I32EnumAttrCase<"StochasticPartial", 6, "stochastic_partial">,
  I32EnumAttrCase<"NHotTwoStage", 7, "nhot_two_stage">,
]> {
  let cppNamespace = "::potq::qat";
  let genSpecializedAttr = 0;
}

def Qat_EstimatorAttr : AttrDef<Qat_Dialect, "Estimator"> {
  let mnemonic = "estimator";
  let summary = "The gradient estimator of a fake quantization and its parameters";
  let description = [{
    Recorded from training and preserved through freezing; it does not
    change the forward semantics. `docs/Qat.md` gives each estimator's
    backward rule and `docs/Estimators.md` its equations and parameters.
    The optional dictionary holds the estimator's hyperparameters as
    trained; each kind accepts a fixed set of names and types
    (`potq::qat::estimatorParameters`), checked by the verifier.

    ```mlir
    #qat.estimator<ste>
    #qat.estimator<lsq, {grad_scale = 1.250000e-02 : f64}>
    #qat.estimator<stochastic_partial, {mode = "filter", ratio = 5.000000e-01 : f64}>
    ```
  }];
  let parameters = (ins EnumParameter<Qat_EstimatorKind>:$kind,
                        OptionalParameter<"::mlir::DictionaryAttr">:$params);
  let assemblyFormat = "`<` $kind (`,` $params^)? `>`";
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// The parameter `name`, or null when the dictionary does not set it.
    ::mlir::Attribute getParameter(::llvm::StringRef name) const;
  }];
}

//===----------------------------------------------------------------------===//
// FakeQuantOp
//===----------------------------------------------------------------------===//

def Qat_FakeQuantOp : Qat_Op<"fake_quant",
    [Pure, AllTypesMatch<["input", "result"]>]> {
  let summary = "Projects onto an encoding's levels and back to reals";
  let description = [{
    The forward pass of quantization-aware training (SPEC section 7):
    `y = s * (P(x) - Z)` with `P` the projection of SPEC section 4 onto the
    levels of `encoding`, scale `s` and zero point `Z` (default 0, uniform
    encodings only). The scale is an f32 tensor: rank 0 (or one element) per
    tensor, or one value per index of dimension `axis` of the input. The
    result is computed in binary32 and rounded to the input element type.

    ```mlir
    %wq = qat.fake_quant %w, %s {encoding = #potq.apot<bits = 4>, axis = 1 : i64,
                                 estimator = #qat.estimator<lsq>}
        : tensor<16x8xf32>, tensor<8xf32>
    ```

    The op has no constant folder: a fake-quantized constant is a weight
    whose quantization `convert-qat-to-potq` must see, so canonicalization
    keeps it (`docs/Qat.md`).
  }];
  let arguments = (ins RankedTensorOf<[F32, F16, BF16]>:$input,
                       RankedTensorOf<[F32]>:$scale,
                       Potq_EncodingAttrInterface:$encoding,
                       OptionalAttr<I64Attr>:$axis,
                       DefaultValuedAttr<I64Attr, "0">:$zero_point,
                       OptionalAttr<Qat_EstimatorAttr>:$estimator);
  let results = (outs RankedTensorOf<[F32, F16, BF16]>:$result);
  let assemblyFormat = [{
    $input `,` $scale attr-dict `:` type($input) `,` type($scale)
  }];
  let hasVerifier = 1;
}

#endif // POTQ_DIALECT_QAT_IR_QATOPS_TD
