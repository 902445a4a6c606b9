//===- PotqDialect.td - The potq dialect -------------------*- tablegen -*-===//

#ifndef POTQ_DIALECT_POTQ_IR_POTQDIALECT_TD
#define POTQ_DIALECT_POTQ_IR_POTQDIALECT_TD

include "mlir/IR/OpBase.td"

def Potq_Dialect : Dialect {
  let name = "potq";
  let cppNamespace = "::potq";
  let summary = "Quantized tensors with power-of-two, APoT, n-hot and uniform "
                "encodings, and the integer contractions computed on them";
  let description = [{
    The `potq` dialect makes shift-friendly weight encodings first-class IR.
    An encoding attribute (`#potq.uniform`, `#potq.pot`, `#potq.apot`,
    `#potq.nhot`) defines a finite set of integer levels; the element type
    `!potq.q<ENCODING, EXPRESSED, scale = S>` gives a level `L` the real value
    `S * (L - zero_point)`. Ops quantize and dequantize tensors with the
    bit-exact projection of the potq specification, hold constant weight
    levels, requantize between types with integer fixed-point arithmetic, and
    express the quantized contractions (matmul, batch matmul, 2-D
    convolutions) that potq lowers to shift-add code.
  }];
  let useDefaultAttributePrinterParser = 1;
  let useDefaultTypePrinterParser = 1;
  let hasConstantMaterializer = 1;
  let dependentDialects = ["::mlir::arith::ArithDialect"];
  let extraClassDeclaration = [{
    // Defined next to the storage classes, which registration needs.
    void registerAttributes();
    void registerTypes();
  }];
}

class Potq_Op<string mnemonic, list<Trait> traits = []>
    : Op<Potq_Dialect, mnemonic, traits>;

#endif // POTQ_DIALECT_POTQ_IR_POTQDIALECT_TD
