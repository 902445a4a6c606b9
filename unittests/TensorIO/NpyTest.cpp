//===- NpyTest.cpp - .npy reading, writing and type mapping ---------------===//
//
// Round trips for every dtype and odd shapes (0-d, zero-size, 1x7x3), the
// exact header bytes NumPy expects, hand-written headers, every error path
// of the parser, and the strict mapping of arrays to function argument types.
//
//===----------------------------------------------------------------------===//

#include "potq/TensorIO/Npy.h"
#include "potq/TensorIO/TensorIO.h"

#include "potq/Dialect/Potq/IR/PotqDialect.h"
#include "potq/Dialect/Potq/IR/PotqTypes.h"

#include "mlir/AsmParser/AsmParser.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include "gtest/gtest.h"

#include <cmath>
#include <csignal>
#include <cstring>
#include <limits>
#include <random>
#include <thread>

#include <unistd.h>

namespace npy = ::potq::npy;
namespace interp = ::potq::interp;
using npy::Array;
using npy::DType;

namespace {

const DType kAllDTypes[] = {DType::Bool,    DType::Int8,    DType::Int16,
                            DType::Int32,   DType::Int64,   DType::UInt8,
                            DType::UInt16,  DType::UInt32,  DType::UInt64,
                            DType::Float16, DType::Float32, DType::Float64};

/// Builds a .npy file from a raw header string and data bytes.
std::string makeFile(const std::string &header, const std::string &data = "",
                     int major = 1) {
  std::string out("\x93NUMPY", 6);
  out += char(major);
  out += char(0);
  uint32_t length = header.size();
  if (major == 1) {
    out += char(length & 0xff);
    out += char(length >> 8);
  } else {
    for (int i = 0; i < 4; ++i)
      out += char((length >> (8 * i)) & 0xff);
  }
  return out + header + data;
}

std::string errorOf(llvm::StringRef bytes) {
  llvm::Expected<Array> array = npy::parse(bytes);
  if (array)
    return "<no error>";
  return llvm::toString(array.takeError());
}

/// Fills `array` with values that exercise the dtype's range.
void fill(Array &array, std::mt19937 &rng) {
  for (int64_t i = 0; i < array.getNumElements(); ++i) {
    switch (array.dtype) {
    case DType::Bool:
      array.setInt(i, rng() & 1);
      break;
    case DType::Float16:
    case DType::Float32:
    case DType::Float64:
      array.setFloat(i, std::ldexp(double(int32_t(rng())), -int(rng() % 40)));
      break;
    default:
      array.setInt(i, int64_t(uint64_t(rng()) << 32 | rng()));
      break;
    }
  }
}

TEST(Npy, RoundTripEveryDTypeAndShape) {
  std::mt19937 rng(1234);
  const std::vector<std::vector<int64_t>> shapes = {
      {}, {0}, {5}, {2, 0, 3}, {1, 7, 3}, {3, 1}, {2, 2, 2, 2}};
  for (DType dtype : kAllDTypes) {
    for (const auto &shape : shapes) {
      Array array(dtype, shape);
      fill(array, rng);
      std::string bytes = npy::serialize(array);
      llvm::Expected<Array> parsed = npy::parse(bytes);
      ASSERT_TRUE(bool(parsed)) << llvm::toString(parsed.takeError());
      EXPECT_EQ(parsed->dtype, dtype) << npy::getDescr(dtype).str();
      EXPECT_EQ(parsed->shape, shape);
      EXPECT_EQ(parsed->data, array.data) << npy::getDescr(dtype).str();
      // The data starts at a multiple of 64 bytes, as NumPy writes it.
      EXPECT_EQ((bytes.size() - array.data.size()) % 64, 0u);
    }
  }
}

TEST(Npy, HeaderBytes) {
  Array array(DType::Float32, {2, 3});
  std::string bytes = npy::serialize(array);
  ASSERT_GE(bytes.size(), 10u);
  EXPECT_EQ(bytes.substr(0, 8), std::string("\x93NUMPY\x01\x00", 8));
  // 10 bytes of prefix + a 60-character dict, padded to 128 bytes.
  std::string header = bytes.substr(10, 118);
  EXPECT_EQ(header.rfind("{'descr': '<f4', 'fortran_order': False, 'shape': "
                         "(2, 3), }",
                         0),
            0u);
  EXPECT_EQ(header.back(), '\n');
  EXPECT_EQ(bytes.size(), 128u + 24u);

  Array scalar(DType::Int8, {});
  std::string scalarBytes = npy::serialize(scalar);
  EXPECT_NE(scalarBytes.find("'descr': '|i1'"), std::string::npos);
  EXPECT_NE(scalarBytes.find("'shape': ()"), std::string::npos);
  Array vector(DType::Bool, {5});
  EXPECT_NE(npy::serialize(vector).find("'shape': (5,)"), std::string::npos);
}

TEST(Npy, ElementValues) {
  Array f(DType::Float32, {4});
  f.setFloat(0, 1.5);
  f.setFloat(1, -0.0);
  f.setFloat(2, std::numeric_limits<double>::infinity());
  f.setFloat(3, std::nan(""));
  EXPECT_EQ(f.getFloat(0), 1.5);
  EXPECT_TRUE(std::signbit(f.getFloat(1)));
  EXPECT_TRUE(std::isinf(f.getFloat(2)));
  EXPECT_TRUE(std::isnan(f.getFloat(3)));
  // Little-endian bytes of 1.5f = 0x3FC00000.
  EXPECT_EQ(f.data[0], 0x00);
  EXPECT_EQ(f.data[3], 0x3F);
  EXPECT_EQ(f.data[2], 0xC0);

  Array h(DType::Float16, {1});
  h.setFloat(0, 0.1);
  EXPECT_EQ(h.getFloat(0), 0.0999755859375);

  Array i(DType::Int64, {2});
  i.setInt(0, std::numeric_limits<int64_t>::min());
  i.setInt(1, -1);
  EXPECT_EQ(*i.getInt(0), std::numeric_limits<int64_t>::min());
  EXPECT_EQ(*i.getInt(1), -1);

  Array u(DType::UInt64, {2});
  u.setInt(0, -1); // 2^64 - 1
  u.setInt(1, 42);
  EXPECT_FALSE(u.getInt(0).has_value());
  EXPECT_EQ(*u.getInt(1), 42);

  Array u8(DType::UInt8, {1});
  u8.setInt(0, 255);
  EXPECT_EQ(*u8.getInt(0), 255);
  Array i8(DType::Int8, {1});
  i8.setInt(0, 255);
  EXPECT_EQ(*i8.getInt(0), -1);
}

TEST(Npy, HandWrittenHeaders) {
  // Other key orders, double quotes, extra spaces, no trailing comma,
  // Python 2 long literals, and '<' spellings of one-byte types.
  struct Case {
    const char *header;
    DType dtype;
    std::vector<int64_t> shape;
  } cases[] = {
      {"{'shape': (2,), 'fortran_order': False, 'descr': '<i2'}",
       DType::Int16,
       {2}},
      {"{\"descr\": \"<f8\", \"fortran_order\": False, \"shape\": (1, 1)}  \n",
       DType::Float64,
       {1, 1}},
      {"{ 'descr' : '|u1' , 'fortran_order' : False , 'shape' : ( 3 , ) , }",
       DType::UInt8,
       {3}},
      {"{'descr': '<i1', 'fortran_order': False, 'shape': (2L, 1L), }",
       DType::Int8,
       {2, 1}},
      {"{'descr': '=u2', 'fortran_order': False, 'shape': (), }",
       DType::UInt16,
       {}},
      {"{'descr': '|b1', 'fortran_order': False, 'shape': (4), }",
       DType::Bool,
       {4}},
  };
  for (const Case &c : cases) {
    int64_t count = 1;
    for (int64_t d : c.shape)
      count *= d;
    std::string data(count * npy::getItemSize(c.dtype), '\0');
    llvm::Expected<Array> parsed = npy::parse(makeFile(c.header, data));
    ASSERT_TRUE(bool(parsed))
        << c.header << ": " << llvm::toString(parsed.takeError());
    EXPECT_EQ(parsed->dtype, c.dtype) << c.header;
    EXPECT_EQ(parsed->shape, c.shape) << c.header;
  }
  // Versions 2.0 and 3.0 have a 4-byte header length.
  std::string header = "{'descr': '<i4', 'fortran_order': False, 'shape': "
                       "(1,), }";
  for (int major : {2, 3}) {
    llvm::Expected<Array> parsed =
        npy::parse(makeFile(header, std::string("\x07\0\0\0", 4), major));
    ASSERT_TRUE(bool(parsed)) << llvm::toString(parsed.takeError());
    EXPECT_EQ(*parsed->getInt(0), 7);
  }
}

TEST(Npy, Errors) {
  auto header = [](const std::string &descr, const std::string &shape,
                   const char *order = "False") {
    return "{'descr': '" + descr + "', 'fortran_order': " + order +
           ", 'shape': " + shape + ", }";
  };
  auto contains = [](const std::string &haystack, const char *needle) {
    return haystack.find(needle) != std::string::npos;
  };
  EXPECT_TRUE(contains(errorOf(""), "bad magic"));
  EXPECT_TRUE(contains(errorOf("PK\x03\x04 a zip file"), "bad magic"));
  EXPECT_TRUE(contains(errorOf("\x93NUMPY"), "truncated header"));
  EXPECT_TRUE(contains(errorOf(std::string("\x93NUMPY\x01\x00\x05", 9)),
                       "truncated header"));
  EXPECT_TRUE(contains(errorOf(std::string("\x93NUMPY\x01\x00\x50\x00{", 11)),
                       "truncated header: expected 80 header bytes, got 1"));
  EXPECT_TRUE(contains(errorOf(makeFile(header("<f4", "()"), "", 4)),
                       "unsupported .npy version 4.0"));
  EXPECT_TRUE(contains(errorOf(makeFile(header("<f4", "(2,)"), "abcd")),
                       "truncated data: shape (2,) of <f4 needs 8 bytes, got "
                       "4"));
  EXPECT_TRUE(contains(errorOf(makeFile(header("|i1", "(2,)"), "abc")),
                       "unexpected 1 trailing bytes"));
  EXPECT_TRUE(contains(errorOf(makeFile(header("<f4", "(1,)", "True"), "abcd")),
                       "Fortran-order arrays are not supported"));
  EXPECT_TRUE(contains(errorOf(makeFile(header(">f4", "(1,)"), "abcd")),
                       "big-endian data is not supported"));
  EXPECT_TRUE(contains(errorOf(makeFile(header("<c8", "(1,)"), "abcdabcd")),
                       "unsupported dtype '<c8'"));
  EXPECT_TRUE(contains(errorOf(makeFile(header("O", "(1,)"), "abcdabcd")),
                       "unsupported dtype 'O'"));
  EXPECT_TRUE(contains(errorOf(makeFile(header("|b1", "(1,)"), "\x02")),
                       "invalid bool value 2"));
  EXPECT_TRUE(contains(errorOf(makeFile("not a dict")), "expected '{'"));
  EXPECT_TRUE(contains(errorOf(makeFile("{'descr': '<f4', 'shape': ()}")),
                       "must have the keys"));
  EXPECT_TRUE(
      contains(errorOf(makeFile("{'descr': '<f4', 'descr': '<f4', "
                                "'fortran_order': False, 'shape': ()}")),
               "duplicate key 'descr'"));
  EXPECT_TRUE(contains(errorOf(makeFile("{'descr': '<f4', 'fortran_order': "
                                        "False, 'shape': (), 'x': 1}")),
                       "unexpected key 'x'"));
  EXPECT_TRUE(contains(errorOf(makeFile(header("<f4", "(-1,)"))),
                       "expected a non-negative integer"));
  EXPECT_TRUE(contains(errorOf(makeFile(header("<f4", "(1 2)"))),
                       "expected ',' or ')'"));
  EXPECT_TRUE(
      contains(errorOf(makeFile(header("<f4", "[1]"))), "expected '('"));
  EXPECT_TRUE(contains(errorOf(makeFile("{'descr': '<f4', 'fortran_order': "
                                        "Maybe, 'shape': ()}")),
                       "expected True or False"));
  EXPECT_TRUE(contains(errorOf(makeFile(header("<f4", "()") + " extra")),
                       "unexpected text after the header dictionary"));
  EXPECT_TRUE(
      contains(errorOf(makeFile("{'descr: '<f4'")), "malformed header"));
  EXPECT_TRUE(
      contains(errorOf(makeFile(header("<f8", "(4294967296, 4294967296, 4)"))),
               "is too large"));
  EXPECT_TRUE(
      contains(errorOf(makeFile(header("<f4", "(99999999999999999999,)"))),
               "dimension too large"));
}

TEST(Npy, Files) {
  llvm::SmallString<128> path;
  ASSERT_FALSE(llvm::sys::fs::createTemporaryFile("npy-test", "npy", path));
  Array array(DType::Int32, {1, 7, 3});
  for (int64_t i = 0; i < array.getNumElements(); ++i)
    array.setInt(i, i * 1000 - 5000);
  ASSERT_FALSE(bool(npy::write(path, array)));
  llvm::Expected<Array> read = npy::read(path);
  ASSERT_TRUE(bool(read)) << llvm::toString(read.takeError());
  EXPECT_EQ(read->shape, array.shape);
  EXPECT_EQ(read->data, array.data);
  llvm::sys::fs::remove(path);

  llvm::Expected<Array> missing = npy::read(path);
  ASSERT_FALSE(bool(missing));
  std::string message = llvm::toString(missing.takeError());
  EXPECT_NE(message.find(path.str().str()), std::string::npos);
  EXPECT_NE(message.find("cannot read"), std::string::npos);

  llvm::Error error = npy::write("/nonexistent-dir/x.npy", array);
  ASSERT_TRUE(bool(error));
  EXPECT_NE(llvm::toString(std::move(error)).find("cannot open for writing"),
            std::string::npos);
}

/// Writes `bytes` into a pipe, then zeros until the reader closes it when
/// `endless`; returns the read end as a path. Like a device or a stream, a
/// pipe tells no size.
class PipeInput {
public:
  PipeInput(std::string bytes, bool endless) {
    int fds[2];
    EXPECT_EQ(::pipe(fds), 0);
    readFd = fds[0];
    // The reader closes its end early: fail writes, do not raise SIGPIPE.
    ::signal(SIGPIPE, SIG_IGN);
    writer = std::thread([bytes = std::move(bytes), endless, fd = fds[1]] {
      bool ok =
          ::write(fd, bytes.data(), bytes.size()) == ssize_t(bytes.size());
      std::string zeros(1 << 16, '\0');
      while (ok && endless)
        ok = ::write(fd, zeros.data(), zeros.size()) > 0;
      ::close(fd);
    });
  }
  ~PipeInput() {
    ::close(readFd);
    writer.join();
  }
  std::string path() const { return "/dev/fd/" + std::to_string(readFd); }

private:
  int readFd = -1;
  std::thread writer;
};

// The header comes first: what is not .npy, truncated or too large is
// refused before its data is read (npy::read once read /dev/zero to the end
// of memory).
TEST(Npy, ReadChecksTheHeaderFirst) {
  auto readError = [](llvm::StringRef path, int64_t maxElements = INT64_MAX) {
    llvm::Expected<Array> array = npy::read(path, maxElements);
    if (array)
      return std::string("<no error>");
    return llvm::toString(array.takeError());
  };
  EXPECT_EQ(readError("/dev/zero"),
            "/dev/zero: not a .npy file (bad magic string)");

  // Regular files: the data size is checked against the file's size.
  llvm::SmallString<128> path;
  ASSERT_FALSE(llvm::sys::fs::createTemporaryFile("npy-test", "npy", path));
  auto writeFile = [&](const std::string &bytes) {
    std::error_code ec;
    llvm::raw_fd_ostream os(path, ec);
    ASSERT_FALSE(ec);
    os << bytes;
  };
  writeFile(makeFile("{'descr': '<f4', 'fortran_order': False, "
                     "'shape': (1099511627776,), }"));
  EXPECT_EQ(readError(path, 1000),
            path.str().str() + ": shape (1099511627776,) has 1099511627776 "
                               "elements, more than the limit of 1000");
  EXPECT_EQ(readError(path), path.str().str() +
                                 ": truncated data: shape (1099511627776,) of "
                                 "<f4 needs 4398046511104 bytes, got 0");
  writeFile(makeFile("{'descr': '|i1', 'fortran_order': False, "
                     "'shape': (2,), }",
                     std::string(3000000, '\1')));
  EXPECT_EQ(readError(path),
            path.str().str() +
                ": unexpected 2999998 trailing bytes after the data");
  llvm::sys::fs::remove(path);

  // Streams: read in chunks up to what the header announces.
  std::string header = makeFile("{'descr': '<f4', 'fortran_order': False, "
                                "'shape': (2, 3), }");
  {
    PipeInput endless(header + std::string(24, '\0'), /*endless=*/true);
    EXPECT_EQ(readError(endless.path()),
              endless.path() + ": unexpected trailing bytes after the data "
                               "(more than 1048576)");
  }
  {
    PipeInput truncated(header + std::string(10, '\0'), /*endless=*/false);
    EXPECT_EQ(readError(truncated.path()),
              truncated.path() + ": truncated data: shape (2, 3) of <f4 "
                                 "needs 24 bytes, got 10");
  }
  {
    PipeInput exact(header + std::string(24, '\0'), /*endless=*/false);
    llvm::Expected<Array> array = npy::read(exact.path());
    ASSERT_TRUE(bool(array)) << llvm::toString(array.takeError());
    EXPECT_EQ(array->shape, (std::vector<int64_t>{2, 3}));
    EXPECT_EQ(array->data, std::vector<uint8_t>(24, 0));
  }
}

//===----------------------------------------------------------------------===//
// Mapping to argument types
//===----------------------------------------------------------------------===//

class NpyTypes : public ::testing::Test {
protected:
  NpyTypes() { ctx.loadDialect<potq::PotqDialect>(); }
  mlir::Type type(llvm::StringRef spelling) {
    mlir::Type t = mlir::parseType(spelling, &ctx);
    EXPECT_TRUE(bool(t)) << spelling.str();
    return t;
  }
  std::string convertError(const Array &array, llvm::StringRef spelling) {
    llvm::Expected<interp::Tensor> tensor =
        interp::tensorFromNpy(array, type(spelling));
    if (tensor)
      return "<no error>";
    return llvm::toString(tensor.takeError());
  }
  mlir::MLIRContext ctx;
};

TEST_F(NpyTypes, StrictDTypes) {
  struct Case {
    const char *type;
    DType dtype;
  } matching[] = {
      {"tensor<2xf32>", DType::Float32},  {"tensor<2xf64>", DType::Float64},
      {"tensor<2xf16>", DType::Float16},  {"tensor<2xf16>", DType::Float32},
      {"tensor<2xbf16>", DType::Float32}, {"tensor<2xi1>", DType::Bool},
      {"tensor<2xi8>", DType::Int8},      {"tensor<2xi16>", DType::Int16},
      {"tensor<2xi32>", DType::Int32},    {"tensor<2xi64>", DType::Int64},
      {"tensor<2xindex>", DType::Int64},  {"tensor<2xi4>", DType::Int8},
  };
  for (const Case &c : matching) {
    Array array(c.dtype, {2});
    EXPECT_EQ(convertError(array, c.type), "<no error>") << c.type;
  }
  EXPECT_NE(convertError(Array(DType::Float64, {2}), "tensor<2xf32>")
                .find("expected dtype '<f4' for tensor<2xf32>, got '<f8'"),
            std::string::npos);
  EXPECT_NE(convertError(Array(DType::Int64, {2}), "tensor<2xi32>")
                .find("expected dtype '<i4'"),
            std::string::npos);
  EXPECT_NE(convertError(Array(DType::UInt8, {2}), "tensor<2xi8>")
                .find("expected dtype '|i1'"),
            std::string::npos);
  EXPECT_NE(convertError(Array(DType::Int8, {2}), "tensor<2xi1>")
                .find("expected dtype '|b1'"),
            std::string::npos);
  EXPECT_NE(convertError(Array(DType::Float16, {2}), "tensor<2xbf16>")
                .find("expected dtype '<f4'"),
            std::string::npos);
}

TEST_F(NpyTypes, ShapesAndValues) {
  // Dynamic dimensions take the file's size, static ones must match.
  Array array(DType::Float32, {2, 3});
  EXPECT_EQ(convertError(array, "tensor<?x3xf32>"), "<no error>");
  EXPECT_EQ(convertError(array, "tensor<?x?xf32>"), "<no error>");
  EXPECT_EQ(convertError(array, "tensor<*xf32>"), "<no error>");
  EXPECT_NE(convertError(array, "tensor<3x?xf32>")
                .find("shape (2, 3) does not match tensor<3x?xf32>"),
            std::string::npos);
  EXPECT_NE(convertError(array, "tensor<6xf32>").find("does not match"),
            std::string::npos);
  EXPECT_NE(convertError(array, "f32").find("shape (2, 3) does not match f32"),
            std::string::npos);
  EXPECT_EQ(convertError(Array(DType::Float32, {}), "f32"), "<no error>");
  EXPECT_EQ(convertError(Array(DType::Float32, {0, 3}), "tensor<?x3xf32>"),
            "<no error>");

  // bf16 and f16 from '<f4' need exactly representable values.
  Array f(DType::Float32, {2});
  f.setFloat(0, 1.0078125);
  f.setFloat(1, std::nan(""));
  EXPECT_EQ(convertError(f, "tensor<2xbf16>"), "<no error>");
  f.setFloat(1, 1.001);
  EXPECT_NE(convertError(f, "tensor<2xbf16>")
                .find("at index [1] is not representable in bf16"),
            std::string::npos);

  // i4 values must fit 4 bits.
  Array small(DType::Int8, {2});
  small.setInt(0, -8);
  small.setInt(1, 8);
  EXPECT_NE(convertError(small, "tensor<2xi4>")
                .find("value 8 at index [1] does not fit i4"),
            std::string::npos);

  // Vectors and memrefs are not arguments potq-run supports.
  EXPECT_NE(convertError(Array(DType::Float32, {2}), "vector<2xf32>")
                .find("not supported"),
            std::string::npos);
}

TEST_F(NpyTypes, QuantizedLevels) {
  const char *pot =
      "tensor<2x2x!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0>>";
  for (DType dtype :
       {DType::Int8, DType::Int16, DType::Int32, DType::Int64, DType::UInt8,
        DType::UInt16, DType::UInt32, DType::UInt64}) {
    Array array(dtype, {2, 2});
    array.setInt(0, 0);
    array.setInt(1, 1);
    array.setInt(2, 64);
    array.setInt(3, 2);
    EXPECT_EQ(convertError(array, pot), "<no error>")
        << npy::getDescr(dtype).str();
  }
  Array bad(DType::Int32, {2, 2});
  bad.setInt(3, 3);
  EXPECT_NE(convertError(bad, pot).find(
                "value 3 at index [1, 1] is not a level of pot<bits = 4>"),
            std::string::npos);
  Array huge(DType::UInt64, {2, 2});
  huge.setInt(1, -1);
  EXPECT_NE(convertError(huge, pot).find(
                "value 18446744073709551615 at index [0, 1] is not a level"),
            std::string::npos);
  EXPECT_NE(convertError(Array(DType::Float32, {2, 2}), pot)
                .find("expected an integer dtype holding levels"),
            std::string::npos);
  EXPECT_NE(convertError(Array(DType::Bool, {2, 2}), pot)
                .find("expected an integer dtype holding levels"),
            std::string::npos);
}

TEST_F(NpyTypes, ResultDTypes) {
  struct Case {
    const char *type;
    DType dtype;
  } cases[] = {
      {"f32", DType::Float32},
      {"f16", DType::Float32},
      {"bf16", DType::Float32},
      {"f64", DType::Float64},
      {"i1", DType::Bool},
      {"i8", DType::Int8},
      {"i4", DType::Int8},
      {"i16", DType::Int16},
      {"i32", DType::Int32},
      {"i64", DType::Int64},
      {"index", DType::Int64},
      {"!potq.q<#potq.pot<bits = 4>, f32, scale = 1.0>", DType::Int8},
      {"!potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 1.0>",
       DType::UInt8},
      {"!potq.q<#potq.uniform<bits = 9, unsigned>, f32, scale = 1.0>",
       DType::UInt16},
      {"!potq.q<#potq.pot<bits = 5>, f32, scale = 1.0>", DType::Int16},
      {"!potq.q<#potq.nhot<terms = 4, max_exp = 15>, f32, scale = 1.0>",
       DType::Int32},
  };
  for (const Case &c : cases) {
    llvm::Expected<DType> dtype = interp::getResultDType(type(c.type));
    ASSERT_TRUE(bool(dtype)) << c.type;
    EXPECT_EQ(*dtype, c.dtype) << c.type;
  }

  // Quantized results keep their levels, unsigned ones in unsigned dtypes.
  mlir::Type u8 =
      type("!potq.q<#potq.uniform<bits = 8, unsigned>, f32, scale = 1.0>");
  interp::Tensor tensor(u8, {3});
  tensor.setInt(0, 0);
  tensor.setInt(1, 200);
  tensor.setInt(2, 255);
  llvm::Expected<Array> array = interp::tensorToNpy(tensor);
  ASSERT_TRUE(bool(array));
  EXPECT_EQ(array->dtype, DType::UInt8);
  EXPECT_EQ(*array->getInt(1), 200);
  llvm::Expected<interp::Tensor> back =
      interp::tensorFromNpy(*array, mlir::RankedTensorType::get({3}, u8));
  ASSERT_TRUE(bool(back));
  EXPECT_EQ(*back, tensor);

  // A 0-d result of a scalar.
  interp::Tensor scalar =
      interp::Tensor::makeScalarFloat(mlir::Float16Type::get(&ctx), 0.5);
  llvm::Expected<Array> scalarArray = interp::tensorToNpy(scalar);
  ASSERT_TRUE(bool(scalarArray));
  EXPECT_EQ(scalarArray->dtype, DType::Float32);
  EXPECT_TRUE(scalarArray->shape.empty());
  EXPECT_EQ(scalarArray->getFloat(0), 0.5);
}

TEST_F(NpyTypes, Printing) {
  auto print = [](const interp::Tensor &t) {
    std::string s;
    llvm::raw_string_ostream os(s);
    interp::printValue(os, t);
    return s;
  };
  interp::Tensor f(mlir::Float32Type::get(&ctx), {2, 0});
  EXPECT_EQ(print(f), "[[], []]");
  interp::Tensor g(mlir::Float32Type::get(&ctx), {0, 2});
  EXPECT_EQ(print(g), "[]");
  interp::Tensor h(mlir::Float32Type::get(&ctx), {1, 3});
  h.setFloat(0, 0.1f);
  h.setFloat(1, -std::numeric_limits<double>::infinity());
  h.setFloat(2, std::nan(""));
  EXPECT_EQ(print(h), "[[0.100000001, -inf, nan]]");
  interp::Tensor d(mlir::Float64Type::get(&ctx), {});
  d.setFloat(0, 0.1);
  EXPECT_EQ(print(d), "0.10000000000000001");
  interp::Tensor b(mlir::IntegerType::get(&ctx, 1), {2});
  b.setInt(0, 1);
  EXPECT_EQ(print(b), "[true, false]");
}

} // namespace
