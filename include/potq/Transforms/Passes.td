//===- Passes.td - potq's dialect-independent passes -------*- tablegen -*-===//
//
// Passes on func/tensor IR that prepare a module for compilation to native
// code: they know no potq op, so every lowering and emitter may use them.
//
//===----------------------------------------------------------------------===//

#ifndef POTQ_TRANSFORMS_PASSES_TD
#define POTQ_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def PotqSpecializeDynamicDims
    : Pass<"potq-specialize-dynamic-dims", "::mlir::ModuleOp"> {
  let summary = "Give every dynamic dimension of the public functions' tensor "
                "arguments one static size";
  let description = [{
    Each `?` in a tensor argument of a public function definition becomes
    `size` (the body sees the old type through a `tensor.cast`);
    canonicalization then propagates the static shapes, and a dynamic result
    whose returned values are all casts of one static type becomes that type.
    Results whose size does not follow from the arguments stay dynamic. This
    is how a network's dynamic batch becomes a fixed one before it is
    compiled ahead of time (`potq-translate --dynamic-dim-size=N` runs this
    pass, docs/AOT.md):

    ```mlir
    // potq-opt --potq-specialize-dynamic-dims=size=8
    func.func @scale(%x: tensor<?x4xf32>) -> tensor<?x4xf32>
    // becomes
    func.func @scale(%x: tensor<8x4xf32>) -> tensor<8x4xf32>
    ```

    The pass ends with `canonicalize` and `cse` on the whole module. It fails
    on a size that is not positive, on a public function with dynamic
    arguments that is called within the module (its signature cannot
    change), and on a size that makes an argument's element count or strides
    overflow int64.
  }];
  let options = [
    Option<"size", "size", "int64_t", "0",
           "The size of every dynamic dimension (positive)">,
  ];
  let dependentDialects = ["::mlir::tensor::TensorDialect"];
}

def PotqPrepareCAbi : Pass<"potq-prepare-c-abi", "::mlir::ModuleOp"> {
  let summary = "Give public functions a C interface and make their tensor "
                "arguments read-only";
  let description = [{
    The C ABI of compiled potq code, stated once for the JIT
    (`potq-lower-to-llvm`, which runs this pass first) and for ahead-of-time
    compilation (`potq-translate`, whatever its lowering pipeline). Every
    public function definition gets `llvm.emit_c_interface`, so that
    `convert-func-to-llvm` adds the wrapper `_mlir_ciface_<name>` taking
    pointers to memref descriptors; each of its tensor arguments gets
    `bufferization.writable = false`, so that one-shot bufferization never
    writes into the caller's input buffers (a C caller passes
    `const float *`). Private functions and declarations are left alone.

    ```mlir
    func.func @f(%x: tensor<4xf32>, %n: index) -> tensor<4xf32>
    // becomes
    func.func @f(%x: tensor<4xf32> {bufferization.writable = false},
                 %n: index) -> tensor<4xf32>
        attributes {llvm.emit_c_interface}
    ```

    The generated C header (`potq-translate --emit=header`) and the JIT
    runner call these wrappers; docs/AOT.md describes the ABI.
  }];
  let dependentDialects = [
    "::mlir::LLVM::LLVMDialect",
    "::mlir::bufferization::BufferizationDialect",
  ];
}

def PotqExpandStridedCopies
    : Pass<"potq-expand-strided-copies", "::mlir::ModuleOp"> {
  let summary = "Turn memref.copy ops that would call the MLIR runtime into "
                "linalg.copy";
  let description = [{
    `finalize-memref-to-llvm` lowers a `memref.copy` between contiguous
    buffers to a `memcpy`, and any other (e.g. into the interior of a
    padded buffer, from a `tensor.pad`) to a call of `memrefCopy` from
    MLIR's C runner utils, which potq's JIT and objects do not link
    (docs/AOT.md). This pass rewrites exactly those copies into
    `linalg.copy`, which `convert-linalg-to-loops` turns into loops;
    contiguous copies stay `memcpy`. `potq-lower-to-llvm` runs it after
    bufferization.

    ```mlir
    memref.copy %src, %dst : memref<4x4xf32> to memref<4x4xf32, strided<[6, 1], offset: 7>>
    // becomes
    linalg.copy ins(%src : memref<4x4xf32>) outs(%dst : memref<4x4xf32, strided<[6, 1], offset: 7>>)
    ```
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect"];
}

#endif // POTQ_TRANSFORMS_PASSES_TD
