//===- PotqAttrs.td - potq encoding attributes -------------*- tablegen -*-===//

#ifndef POTQ_DIALECT_POTQ_IR_POTQATTRS_TD
#define POTQ_DIALECT_POTQ_IR_POTQATTRS_TD

include "potq/Dialect/Potq/IR/PotqDialect.td"
include "mlir/IR/AttrTypeBase.td"

def Potq_EncodingAttrInterface : AttrInterface<"EncodingAttrInterface"> {
  let cppNamespace = "::potq";
  let description = [{
    An attribute naming a potq encoding: a finite set of integer levels
    (SPEC section 2). Every encoding attribute converts to the plain C++
    `potq::numerics::Encoding` that the numerics library computes with.
  }];
  let methods = [
    InterfaceMethod<"The numerics-library description of this encoding.",
      "::potq::numerics::Encoding", "getEncoding">,
  ];
  let extraSharedClassDeclaration = [{
    /// The (cached) level set of this encoding.
    const ::potq::numerics::LevelSet &getLevelSet() const {
      return ::potq::numerics::LevelSet::get($_attr.getEncoding());
    }
  }];
}

class Potq_EncodingAttr<string name, string attrMnemonic>
    : AttrDef<Potq_Dialect, name,
              [DeclareAttrInterfaceMethods<Potq_EncodingAttrInterface>]> {
  let mnemonic = attrMnemonic;
  let genVerifyDecl = 1;
}

def Potq_UniformAttr : Potq_EncodingAttr<"Uniform", "uniform"> {
  let summary = "Uniform integer levels";
  let description = [{
    `#potq.uniform<bits = B>` is the signed range `[-2^(B-1), 2^(B-1)-1]`
    with B in [2, 16]. The keyword `narrow` drops the most negative level
    (`[-(2^(B-1)-1), 2^(B-1)-1]`); `unsigned` gives `[0, 2^B-1]`. The two
    keywords are exclusive.

    ```mlir
    #potq.uniform<bits = 8>
    #potq.uniform<bits = 8, unsigned>
    #potq.uniform<bits = 4, narrow>
    ```
  }];
  let parameters = (ins "unsigned":$bits,
                        DefaultValuedParameter<"bool", "false">:$isUnsigned,
                        DefaultValuedParameter<"bool", "false">:$narrow);
  let hasCustomAssemblyFormat = 1;
}

def Potq_PotAttr : Potq_EncodingAttr<"Pot", "pot"> {
  let summary = "Power-of-two levels";
  let description = [{
    `#potq.pot<bits = B>`, B in [2, 5] including the sign bit, is
    `{0} ∪ {±2^e : 0 <= e <= 2^(B-1)-2}`: B = 2 is ternary `{0, ±1}`, B = 4
    is `{0, ±1, ±2, ..., ±64}`. Every nonzero level is a single shift.

    ```mlir
    #potq.pot<bits = 4>
    ```
  }];
  let parameters = (ins "unsigned":$bits);
  let hasCustomAssemblyFormat = 1;
}

def Potq_ApotAttr : Potq_EncodingAttr<"Apot", "apot"> {
  let summary = "Additive power-of-two levels";
  let description = [{
    `#potq.apot<bits = B>`, B in [3, 7] including the sign bit, is `±M(B)`,
    the magnitude sets of the APoT reference construction (Li, Dong, Wang,
    ICLR 2020) scaled to integers; e.g. `M(4) = {0,1,2,3,4,6,8,10}`. Each
    level is a sum of at most `ceil((B-1)/2)` shifts.

    ```mlir
    #potq.apot<bits = 4>
    ```
  }];
  let parameters = (ins "unsigned":$bits);
  let hasCustomAssemblyFormat = 1;
}

def Potq_NHotAttr : Potq_EncodingAttr<"NHot", "nhot"> {
  let summary = "Signed-digit levels with at most N terms";
  let description = [{
    `#potq.nhot<terms = N, max_exp = E>`, N in [1, 4], E in [0, 15], is the
    set of sums of N terms `s * 2^e` with `s` in {-1, 0, +1} and `0 <= e <= E`
    (subtraction allowed; Sakuma et al. 2021).

    ```mlir
    #potq.nhot<terms = 2, max_exp = 7>
    ```
  }];
  let parameters = (ins "unsigned":$terms, "unsigned":$maxExp);
  let hasCustomAssemblyFormat = 1;
}

#endif // POTQ_DIALECT_POTQ_IR_POTQATTRS_TD
