//===- QatGraph.h - Random small QAT graphs from fuzz bytes -----*- C++ -*-===//
//
// Builds the text of one QAT layer in potq's input form
// (docs/QatInputForm.md) from fuzz bytes: a matmul, batch matmul, NHWC,
// NCHW or depthwise convolution with random shapes, weight encoding,
// per-channel or per-tensor scales, optional bias and ReLU, quantized input
// and output, and an input tensor.
//
//===----------------------------------------------------------------------===//

#ifndef POTQ_FUZZ_QATGRAPH_H
#define POTQ_FUZZ_QATGRAPH_H

#include "FuzzCommon.h"

#include <string>
#include <vector>

namespace potq::fuzz {

struct QatGraph {
  /// A module with one function @main(%x) -> tensor.
  std::string text;
  /// Shape and values of %x.
  std::vector<int64_t> inputShape;
  std::vector<float> input;
};

QatGraph buildQatGraph(ByteReader &in);

} // namespace potq::fuzz

#endif // POTQ_FUZZ_QATGRAPH_H
