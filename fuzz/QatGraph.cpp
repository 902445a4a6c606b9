//===- QatGraph.cpp - Random small QAT graphs from fuzz bytes -------------===//

#include "QatGraph.h"

#include <cmath>
#include <cstring>

namespace potq::fuzz {

namespace {

/// Writes the function body line by line.
struct Writer {
  std::string body;
  int next = 0;
  std::string name(const char *base) {
    return "%" + std::string(base) + std::to_string(next++);
  }
  void line(const std::string &s) { body += "  " + s + "\n"; }
};

std::string shapeStr(const std::vector<int64_t> &shape) {
  std::string s;
  for (int64_t d : shape)
    s += std::to_string(d) + "x";
  return s;
}

std::string tensorType(const std::vector<int64_t> &shape) {
  return "tensor<" + shapeStr(shape) + "f32>";
}

int64_t count(const std::vector<int64_t> &shape) {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

/// dense<"0x..."> with the little-endian bytes of `values`: exact for every
/// float, NaN and infinity included.
std::string hexDense(const std::vector<float> &values) {
  static const char digits[] = "0123456789ABCDEF";
  std::string s = "dense<\"0x";
  for (float v : values) {
    uint32_t bits;
    std::memcpy(&bits, &v, 4);
    for (int b = 0; b < 4; ++b) {
      uint8_t byte = uint8_t(bits >> (8 * b));
      s += digits[byte >> 4];
      s += digits[byte & 15];
    }
  }
  return s + "\">";
}

/// A positive scale 2^e * (1 + f/256), now and then something odd (zero,
/// negative, tiny, huge) that the passes must reject or survive.
float scale(ByteReader &in) {
  uint8_t kind = in.byte();
  if (kind == 255)
    return in.rawFloat();
  int e = int(in.range(-14, 3));
  return std::ldexp(1.0f + float(in.byte()) / 256.0f, e);
}

std::string weightEncoding(ByteReader &in, float &levelMax) {
  switch (in.byte() % 4) {
  case 0: {
    int bits = int(in.range(2, 5));
    levelMax = std::ldexp(1.0f, (1 << (bits - 1)) - 2);
    return "#potq.pot<bits = " + std::to_string(bits) + ">";
  }
  case 1: {
    int bits = int(in.range(3, 7));
    levelMax = 10.0f * float(1 << (bits - 4 > 0 ? bits - 4 : 0));
    return "#potq.apot<bits = " + std::to_string(bits) + ">";
  }
  case 2: {
    int bits = int(in.range(2, 8));
    levelMax = float((1 << (bits - 1)) - 1);
    return "#potq.uniform<bits = " + std::to_string(bits) + ", narrow>";
  }
  default: {
    int bits = int(in.range(2, 8));
    levelMax = float((1 << (bits - 1)) - 1);
    return "#potq.uniform<bits = " + std::to_string(bits) + ">";
  }
  }
}

/// The activation encoding (8-bit uniform, signed or unsigned) with an
/// optional zero point in its range.
std::string activationEncoding(ByteReader &in) {
  uint8_t b = in.byte();
  bool isUnsigned = b & 1;
  std::string enc = isUnsigned ? "#potq.uniform<bits = 8, unsigned>"
                               : "#potq.uniform<bits = 8>";
  std::string attrs = "encoding = " + enc;
  if (b & 2) {
    int64_t zp = isUnsigned ? in.range(0, 255) : in.range(-128, 127);
    attrs += ", zero_point = " + std::to_string(zp) + " : i64";
  }
  return attrs;
}

std::string fakeQuantScalar(Writer &w, const std::string &x,
                            const std::vector<int64_t> &shape, float s,
                            const std::string &attrs) {
  std::string sv = w.name("s");
  w.line(sv + " = arith.constant " + hexDense({s}) + " : tensor<f32>");
  std::string v = w.name("fq");
  w.line(v + " = qat.fake_quant " + x + ", " + sv + " {" + attrs + "} : " +
         tensorType(shape) + ", tensor<f32>");
  return v;
}

/// The fake-quantized weight constant; `typical` is the magnitude of its
/// largest level (first channel's scale times the largest level).
std::string weight(Writer &w, ByteReader &in, const std::vector<int64_t> &shape,
                   int axis, float &typical) {
  float levelMax = 1;
  std::string enc = weightEncoding(in, levelMax);
  bool perChannel = in.byte() & 1;
  int64_t channels = perChannel ? shape[axis] : 1;
  std::vector<float> scales(channels);
  for (float &s : scales)
    s = scale(in);
  typical = scales[0] * levelMax;
  int64_t stride = 1;
  for (size_t d = axis + 1; d < shape.size(); ++d)
    stride *= shape[d];
  // Values spread around the level range, ties and clamping included.
  std::vector<float> values(count(shape));
  for (size_t i = 0; i < values.size(); ++i) {
    int64_t ch = perChannel ? (int64_t(i) / stride) % shape[axis] : 0;
    values[i] = scales[ch] * levelMax * float(int8_t(in.byte())) / 100.0f;
  }
  std::string c = w.name("w");
  w.line(c + " = arith.constant " + hexDense(values) + " : " +
         tensorType(shape));
  std::string v = w.name("wq");
  if (!perChannel)
    return fakeQuantScalar(w, c, shape, scales[0], "encoding = " + enc);
  std::string sv = w.name("ws");
  w.line(sv + " = arith.constant " + hexDense(scales) + " : tensor<" +
         std::to_string(channels) + "xf32>");
  w.line(v + " = qat.fake_quant " + c + ", " + sv + " {encoding = " + enc +
         ", axis = " + std::to_string(axis) + " : i64} : " +
         tensorType(shape) + ", tensor<" + std::to_string(channels) + "xf32>");
  return v;
}

std::string identityMap(size_t rank) {
  std::string dims;
  for (size_t i = 0; i < rank; ++i)
    dims += (i ? ", d" : "d") + std::to_string(i);
  return "affine_map<(" + dims + ") -> (" + dims + ")>";
}

std::string parallel(size_t rank) {
  std::string s;
  for (size_t i = 0; i < rank; ++i)
    s += i ? ", \"parallel\"" : "\"parallel\"";
  return s;
}

/// out = x + bias[channel] along dimension `channelDim`.
std::string biasAdd(Writer &w, ByteReader &in, const std::string &x,
                    const std::vector<int64_t> &shape, int channelDim,
                    const std::string &e, float biasScale) {
  int64_t n = shape[channelDim];
  std::vector<float> bias(n);
  for (float &b : bias)
    b = biasScale * float(int8_t(in.byte()));
  std::string bv = w.name("b");
  w.line(bv + " = arith.constant " + hexDense(bias) + " : tensor<" +
         std::to_string(n) + "xf32>");
  size_t rank = shape.size();
  std::string dims;
  for (size_t i = 0; i < rank; ++i)
    dims += (i ? ", d" : "d") + std::to_string(i);
  std::string channelMap = "affine_map<(" + dims + ") -> (d" +
                           std::to_string(channelDim) + ")>";
  std::string t = tensorType(shape), v = w.name("bias");
  w.line(v + " = linalg.generic {indexing_maps = [" + identityMap(rank) +
         ", " + channelMap + ", " + identityMap(rank) +
         "], iterator_types = [" + parallel(rank) + "]} ins(" + x + ", " +
         bv + " : " + t + ", tensor<" + std::to_string(n) + "xf32>) outs(" +
         e + " : " + t + ") {");
  w.line("^bb0(%a: f32, %c: f32, %o: f32):");
  w.line("  %r = arith.addf %a, %c : f32");
  w.line("  linalg.yield %r : f32");
  w.line("} -> " + t);
  return v;
}

std::string relu(Writer &w, const std::string &x,
                 const std::vector<int64_t> &shape, const std::string &e) {
  size_t rank = shape.size();
  std::string t = tensorType(shape), v = w.name("relu");
  w.line(v + " = linalg.generic {indexing_maps = [" + identityMap(rank) +
         ", " + identityMap(rank) + "], iterator_types = [" + parallel(rank) +
         "]} ins(" + x + " : " + t + ") outs(" + e + " : " + t + ") {");
  w.line("^bb0(%a: f32, %o: f32):");
  w.line("  %z = arith.constant 0.0 : f32");
  w.line("  %r = arith.maximumf %a, %z : f32");
  w.line("  linalg.yield %r : f32");
  w.line("} -> " + t);
  return v;
}

/// tensor.empty and a zero fill of `shape`.
std::pair<std::string, std::string> zeros(Writer &w,
                                          const std::vector<int64_t> &shape) {
  std::string t = tensorType(shape), e = w.name("e"), z = w.name("zero"),
              f = w.name("init");
  w.line(z + " = arith.constant 0.0 : f32");
  w.line(e + " = tensor.empty() : " + t);
  w.line(f + " = linalg.fill ins(" + z + " : f32) outs(" + e + " : " + t +
         ") -> " + t);
  return {e, f};
}

} // namespace

QatGraph buildQatGraph(ByteReader &in) {
  QatGraph g;
  Writer w;
  // The contractions potq fuses (docs/QatInputForm.md), weights on the
  // output-channel axis the freezing pass expects.
  enum Kind { Matmul, ConvNhwc, ConvNchw, Depthwise, BatchMatmul };
  Kind kind = Kind(in.byte() % 5);
  std::vector<int64_t> outShape, wShape;
  int axis, channelDim;
  int64_t stride = 1;
  // Convolutions: "same"-style zero padding (tensor.pad of 0.0, as
  // exporters write it) [top, left, bottom, right], a quarter of the time.
  int64_t pad[4] = {0, 0, 0, 0};
  if (kind == Matmul || kind == BatchMatmul) {
    int64_t B = kind == BatchMatmul ? in.range(1, 3) : 0;
    int64_t M = in.range(1, 4), K = in.range(1, 24), N = in.range(1, 8);
    g.inputShape = {M, K};
    wShape = {K, N};
    outShape = {M, N};
    if (B) {
      g.inputShape.insert(g.inputShape.begin(), B);
      wShape.insert(wShape.begin(), B);
      outShape.insert(outShape.begin(), B);
    }
    axis = channelDim = int(outShape.size()) - 1;
  } else {
    int64_t H = in.range(1, 6), W = in.range(1, 6), C = in.range(1, 4),
            F = kind == Depthwise ? C : in.range(1, 4);
    int64_t kh = in.range(1, H < 3 ? H : 3), kw = in.range(1, W < 3 ? W : 3);
    stride = in.range(1, 2);
    if (in.byte() % 4 == 0)
      for (int64_t &p : pad)
        p = in.range(0, 2);
    int64_t OH = (H + pad[0] + pad[2] - kh) / stride + 1,
            OW = (W + pad[1] + pad[3] - kw) / stride + 1;
    if (kind == ConvNchw) {
      g.inputShape = {1, C, H, W};
      wShape = {F, C, kh, kw};
      outShape = {1, F, OH, OW};
      axis = 0;
      channelDim = 1;
    } else {
      g.inputShape = {1, H, W, C};
      wShape = kind == Depthwise ? std::vector<int64_t>{kh, kw, C}
                                 : std::vector<int64_t>{kh, kw, C, F};
      outShape = {1, OH, OW, F};
      axis = int(wShape.size()) - 1;
      channelDim = 3;
    }
  }

  float sx = scale(in);
  std::string x =
      fakeQuantScalar(w, "%x", g.inputShape, sx, activationEncoding(in));
  float wTypical = 1;
  std::string wq = weight(w, in, wShape, axis, wTypical);
  auto [e, init] = zeros(w, outShape);
  std::string acc = w.name("acc");
  std::string inT = tensorType(g.inputShape), wT = tensorType(wShape),
              outT = tensorType(outShape);
  if (pad[0] || pad[1] || pad[2] || pad[3]) {
    // The window dimensions: H, W of NHWC (1, 2) or of NCHW (2, 3).
    int h = kind == ConvNchw ? 2 : 1;
    std::vector<int64_t> low(4, 0), high(4, 0), padded = g.inputShape;
    for (int d = 0; d < 2; ++d) {
      low[h + d] = pad[d];
      high[h + d] = pad[2 + d];
      padded[h + d] += pad[d] + pad[2 + d];
    }
    auto list = [](const std::vector<int64_t> &v) {
      std::string s;
      for (int64_t x : v)
        s += (s.empty() ? "" : ", ") + std::to_string(x);
      return "[" + s + "]";
    };
    std::string zero = w.name("pz"), xp = w.name("xp");
    w.line(zero + " = arith.constant 0.0 : f32");
    w.line(xp + " = tensor.pad " + x + " low" + list(low) + " high" +
           list(high) + " {");
    w.line("^bb0(%i0: index, %i1: index, %i2: index, %i3: index):");
    w.line("  tensor.yield " + zero + " : f32");
    w.line("} : " + inT + " to " + tensorType(padded));
    x = xp;
    inT = tensorType(padded);
  }
  static const char *const opNames[] = {
      "linalg.matmul", "linalg.conv_2d_nhwc_hwcf", "linalg.conv_2d_nchw_fchw",
      "linalg.depthwise_conv_2d_nhwc_hwc", "linalg.batch_matmul"};
  std::string convAttrs;
  if (kind != Matmul && kind != BatchMatmul)
    convAttrs = " {dilations = dense<1> : tensor<2xi64>, strides = dense<" +
                std::to_string(stride) + "> : tensor<2xi64>}";
  w.line(acc + " = " + opNames[kind] + convAttrs + " ins(" + x + ", " + wq +
         " : " + inT + ", " + wT + ") outs(" + init + " : " + outT + ") -> " +
         outT);
  uint8_t flags = in.byte();
  std::string y = acc;
  if (flags & 1)
    y = biasAdd(w, in, y, outShape, channelDim, e, sx / 8.0f);
  if (flags & 2)
    y = relu(w, y, outShape, e);
  // An output scale near the accumulator's spread keeps the result away
  // from all-zero or all-saturated levels, so that compares are telling.
  int64_t reduction = count(wShape) / wShape[axis];
  float spread = std::fabs(sx * wTypical) * 32.0f *
                 std::sqrt(float(reduction)) / 128.0f;
  float sy = in.byte() < 32 ? scale(in)
                            : spread * std::ldexp(1.0f + in.byte() / 256.0f,
                                                  int(in.range(-4, 1)));
  if (!(sy > 0) || !std::isfinite(sy))
    sy = scale(in);
  y = fakeQuantScalar(w, y, outShape, sy, activationEncoding(in));

  g.text = "func.func @main(%x: " + tensorType(g.inputShape) + ") -> " + outT +
           " {\n" + w.body + "  return " + y + " : " + outT + "\n}\n";

  // Inputs around the quantization grid, now and then a special value.
  static const float specials[] = {0.0f,      -0.0f,   INFINITY, -INFINITY,
                                   NAN,       1e30f,   -1e30f,   1e-40f};
  g.input.resize(count(g.inputShape));
  for (float &v : g.input) {
    uint8_t b = in.byte();
    v = b >= 248 ? specials[b - 248] : sx * float(int8_t(in.byte())) * 1.25f;
  }
  return g;
}

} // namespace potq::fuzz
