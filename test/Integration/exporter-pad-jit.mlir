// Exporters pad convolution and pooling inputs with tensor.pad (0.0 before a
// convolution, -inf before a max pool). Compiled, such a graph needs no
// runtime library: the JIT equals the interpreter bit for bit, and the
// object file links with libc and libm alone.

// RUN: %python %S/Inputs/random_npy.py --shape 1x2x5x5 --special --seed 7 -o %t.x.npy
// RUN: potq-run %s --interpret --input=%t.x.npy --output=%t.ref0.npy --output=%t.ref1.npy
// RUN: potq-run %s --jit --pipeline= --input=%t.x.npy --output=%t.jit0.npy --output=%t.jit1.npy
// RUN: cmp %t.ref0.npy %t.jit0.npy
// RUN: cmp %t.ref1.npy %t.jit1.npy
// RUN: potq-translate %s --emit=obj -o %t.o
// RUN: llvm-nm-22 --undefined-only %t.o | FileCheck %s
// CHECK-NOT: memrefCopy

func.func @forward(%x: tensor<1x2x5x5xf32>) -> (tensor<1x2x5x5xf32>, tensor<1x2x3x3xf32>) {
  %zero = arith.constant 0.000000e+00 : f32
  %ninf = arith.constant 0xFF800000 : f32
  %padded = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%a: index, %b: index, %c: index, %d: index):
    tensor.yield %zero : f32
  } : tensor<1x2x5x5xf32> to tensor<1x2x7x7xf32>
  %w = arith.constant dense<0.5> : tensor<2x2x3x3xf32>
  %e = tensor.empty() : tensor<1x2x5x5xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x2x5x5xf32>) -> tensor<1x2x5x5xf32>
  %conv = linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>} ins(%padded, %w : tensor<1x2x7x7xf32>, tensor<2x2x3x3xf32>) outs(%init : tensor<1x2x5x5xf32>) -> tensor<1x2x5x5xf32>
  %padded_0 = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%a: index, %b: index, %c: index, %d: index):
    tensor.yield %ninf : f32
  } : tensor<1x2x5x5xf32> to tensor<1x2x7x7xf32>
  %win = tensor.empty() : tensor<3x3xf32>
  %e1 = tensor.empty() : tensor<1x2x3x3xf32>
  %init1 = linalg.fill ins(%ninf : f32) outs(%e1 : tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32>
  %pool = linalg.pooling_nchw_max {dilations = dense<1> : vector<2xi64>, strides = dense<2> : vector<2xi64>} ins(%padded_0, %win : tensor<1x2x7x7xf32>, tensor<3x3xf32>) outs(%init1 : tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32>
  return %conv, %pool : tensor<1x2x5x5xf32>, tensor<1x2x3x3xf32>
}
