//===- QatDialect.td - The qat training-side dialect -------*- tablegen -*-===//

#ifndef POTQ_DIALECT_QAT_IR_QATDIALECT_TD
#define POTQ_DIALECT_QAT_IR_QATDIALECT_TD

include "mlir/IR/OpBase.td"

def Qat_Dialect : Dialect {
  let name = "qat";
  let cppNamespace = "::potq::qat";
  let summary = "Quantization-aware training: fake quantization and the "
                "gradient estimators used to train through it";
  let description = [{
    The input form of a network trained with quantization-aware training.
    `qat.fake_quant` projects a float tensor onto the levels of a potq
    encoding and returns their real values, as the forward pass of QAT
    does; its `estimator` attribute records how the gradient was estimated
    in training. The dialect is kept separate from `potq` so that the
    training side (backward IR generation, roadmap item 1) can grow without
    touching the inference dialect.
  }];
  let useDefaultAttributePrinterParser = 1;
  let dependentDialects = ["::potq::PotqDialect",
                           "::mlir::arith::ArithDialect"];
}

class Qat_Op<string mnemonic, list<Trait> traits = []>
    : Op<Qat_Dialect, mnemonic, traits>;

#endif // POTQ_DIALECT_QAT_IR_QATDIALECT_TD
