//===- Npy.cpp - NumPy .npy file reading and writing ----------------------===//

#include "potq/TensorIO/Npy.h"

#include "potq/Limits.h"

#include "potq/Support/InputFile.h"

#include "llvm/ADT/APFloat.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cstring>

using namespace potq::npy;
using llvm::StringRef;
namespace endian = llvm::support::endian;

static const char kMagic[] = "\x93NUMPY";
static constexpr size_t kMagicSize = 6;

static llvm::Error makeError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

//===----------------------------------------------------------------------===//
// DType
//===----------------------------------------------------------------------===//

StringRef potq::npy::getDescr(DType dtype) {
  switch (dtype) {
  case DType::Bool:
    return "|b1";
  case DType::Int8:
    return "|i1";
  case DType::Int16:
    return "<i2";
  case DType::Int32:
    return "<i4";
  case DType::Int64:
    return "<i8";
  case DType::UInt8:
    return "|u1";
  case DType::UInt16:
    return "<u2";
  case DType::UInt32:
    return "<u4";
  case DType::UInt64:
    return "<u8";
  case DType::Float16:
    return "<f2";
  case DType::Float32:
    return "<f4";
  case DType::Float64:
    return "<f8";
  }
  return "";
}

unsigned potq::npy::getItemSize(DType dtype) {
  switch (dtype) {
  case DType::Bool:
  case DType::Int8:
  case DType::UInt8:
    return 1;
  case DType::Int16:
  case DType::UInt16:
  case DType::Float16:
    return 2;
  case DType::Int32:
  case DType::UInt32:
  case DType::Float32:
    return 4;
  case DType::Int64:
  case DType::UInt64:
  case DType::Float64:
    return 8;
  }
  return 1;
}

bool potq::npy::isFloat(DType dtype) {
  return dtype == DType::Float16 || dtype == DType::Float32 ||
         dtype == DType::Float64;
}

bool potq::npy::isSignedInt(DType dtype) {
  return dtype == DType::Int8 || dtype == DType::Int16 ||
         dtype == DType::Int32 || dtype == DType::Int64;
}

bool potq::npy::isUnsignedInt(DType dtype) {
  return dtype == DType::UInt8 || dtype == DType::UInt16 ||
         dtype == DType::UInt32 || dtype == DType::UInt64;
}

llvm::Expected<DType> potq::npy::parseDescr(StringRef descr) {
  if (descr.size() < 3)
    return makeError("unsupported dtype '" + descr + "'");
  char order = descr[0];
  StringRef kind = descr.drop_front();
  static const struct {
    const char *name;
    DType dtype;
  } kTypes[] = {
      {"b1", DType::Bool},    {"i1", DType::Int8},    {"i2", DType::Int16},
      {"i4", DType::Int32},   {"i8", DType::Int64},   {"u1", DType::UInt8},
      {"u2", DType::UInt16},  {"u4", DType::UInt32},  {"u8", DType::UInt64},
      {"f2", DType::Float16}, {"f4", DType::Float32}, {"f8", DType::Float64}};
  for (const auto &entry : kTypes) {
    if (kind != entry.name)
      continue;
    unsigned size = getItemSize(entry.dtype);
    // '|' means "not applicable" and is how NumPy spells one-byte types;
    // '=' is native order, little-endian on every supported host.
    if (order == '<' || order == '=' || (order == '|' && size == 1))
      return entry.dtype;
    if (order == '>' && size == 1)
      return entry.dtype;
    if (order == '>')
      return makeError("unsupported dtype '" + descr +
                       "': big-endian data is not supported");
    return makeError("unsupported dtype '" + descr + "'");
  }
  return makeError("unsupported dtype '" + descr +
                   "' (supported: <f2 <f4 <f8 |i1 <i2 <i4 <i8 |u1 <u2 <u4 "
                   "<u8 |b1)");
}

//===----------------------------------------------------------------------===//
// Array
//===----------------------------------------------------------------------===//

Array::Array(DType dtype, std::vector<int64_t> shape)
    : dtype(dtype), shape(std::move(shape)) {
  data.assign(size_t(*::potq::checkedElementCount(this->shape)) *
                  getItemSize(dtype),
              0);
}

int64_t Array::getNumElements() const {
  return data.size() / getItemSize(dtype);
}

double Array::getFloat(int64_t i) const {
  const uint8_t *p = data.data() + i * getItemSize(dtype);
  switch (dtype) {
  case DType::Float16: {
    uint16_t bits = endian::read16le(p);
    llvm::APFloat value(llvm::APFloat::IEEEhalf(), llvm::APInt(16, bits));
    bool losesInfo;
    value.convert(llvm::APFloat::IEEEdouble(),
                  llvm::RoundingMode::NearestTiesToEven, &losesInfo);
    return value.convertToDouble();
  }
  case DType::Float32:
    return double(llvm::bit_cast<float>(endian::read32le(p)));
  case DType::Float64:
    return llvm::bit_cast<double>(endian::read64le(p));
  default:
    return double(*getInt(i));
  }
}

std::optional<int64_t> Array::getInt(int64_t i) const {
  const uint8_t *p = data.data() + i * getItemSize(dtype);
  switch (dtype) {
  case DType::Bool:
  case DType::UInt8:
    return int64_t(*p);
  case DType::Int8:
    return int64_t(int8_t(*p));
  case DType::Int16:
    return int64_t(int16_t(endian::read16le(p)));
  case DType::UInt16:
    return int64_t(endian::read16le(p));
  case DType::Int32:
    return int64_t(int32_t(endian::read32le(p)));
  case DType::UInt32:
    return int64_t(endian::read32le(p));
  case DType::Int64:
    return int64_t(endian::read64le(p));
  case DType::UInt64: {
    uint64_t value = endian::read64le(p);
    if (value > uint64_t(INT64_MAX))
      return std::nullopt;
    return int64_t(value);
  }
  default:
    return std::nullopt;
  }
}

void Array::setFloat(int64_t i, double value) {
  uint8_t *p = data.data() + i * getItemSize(dtype);
  switch (dtype) {
  case DType::Float16: {
    llvm::APFloat x(value);
    bool losesInfo;
    x.convert(llvm::APFloat::IEEEhalf(), llvm::RoundingMode::NearestTiesToEven,
              &losesInfo);
    endian::write16le(p, uint16_t(x.bitcastToAPInt().getZExtValue()));
    return;
  }
  case DType::Float32:
    endian::write32le(p, llvm::bit_cast<uint32_t>(float(value)));
    return;
  case DType::Float64:
    endian::write64le(p, llvm::bit_cast<uint64_t>(value));
    return;
  default:
    setInt(i, int64_t(value));
    return;
  }
}

void Array::setInt(int64_t i, int64_t value) {
  uint8_t *p = data.data() + i * getItemSize(dtype);
  switch (dtype) {
  case DType::Bool:
    *p = value != 0;
    return;
  case DType::Int8:
  case DType::UInt8:
    *p = uint8_t(value);
    return;
  case DType::Int16:
  case DType::UInt16:
    endian::write16le(p, uint16_t(value));
    return;
  case DType::Int32:
  case DType::UInt32:
    endian::write32le(p, uint32_t(value));
    return;
  case DType::Int64:
  case DType::UInt64:
    endian::write64le(p, uint64_t(value));
    return;
  default:
    setFloat(i, double(value));
    return;
  }
}

std::string potq::npy::formatShape(const std::vector<int64_t> &shape) {
  std::string result = "(";
  for (size_t d = 0; d < shape.size(); ++d) {
    if (d)
      result += ", ";
    result += std::to_string(shape[d]);
  }
  if (shape.size() == 1)
    result += ",";
  return result + ")";
}

//===----------------------------------------------------------------------===//
// Header parsing
//===----------------------------------------------------------------------===//

namespace {
/// A parser for the Python dict literal of a .npy header.
class HeaderParser {
public:
  explicit HeaderParser(StringRef text) : text(text) {}

  llvm::Error parse(std::string &descr, bool &fortranOrder,
                    std::vector<int64_t> &shape) {
    bool haveDescr = false, haveOrder = false, haveShape = false;
    skipSpace();
    if (!consume('{'))
      return error("expected '{'");
    while (true) {
      skipSpace();
      if (consume('}'))
        break;
      std::string key;
      if (llvm::Error err = parseString(key))
        return err;
      skipSpace();
      if (!consume(':'))
        return error("expected ':' after key '" + key + "'");
      skipSpace();
      if (key == "descr") {
        if (haveDescr)
          return error("duplicate key 'descr'");
        haveDescr = true;
        if (llvm::Error err = parseString(descr))
          return err;
      } else if (key == "fortran_order") {
        if (haveOrder)
          return error("duplicate key 'fortran_order'");
        haveOrder = true;
        if (consumeWord("True"))
          fortranOrder = true;
        else if (consumeWord("False"))
          fortranOrder = false;
        else
          return error("expected True or False for 'fortran_order'");
      } else if (key == "shape") {
        if (haveShape)
          return error("duplicate key 'shape'");
        haveShape = true;
        if (llvm::Error err = parseShape(shape))
          return err;
      } else {
        return error("unexpected key '" + key + "'");
      }
      skipSpace();
      if (consume(','))
        continue;
      if (consume('}'))
        break;
      return error("expected ',' or '}'");
    }
    skipSpace();
    if (pos != text.size())
      return error("unexpected text after the header dictionary");
    if (!haveDescr || !haveOrder || !haveShape)
      return error("the header must have the keys 'descr', 'fortran_order' "
                   "and 'shape'");
    return llvm::Error::success();
  }

private:
  llvm::Error error(const llvm::Twine &message) {
    return makeError("malformed header: " + message + " at offset " +
                     llvm::Twine(pos) + " in \"" + text.trim() + "\"");
  }
  void skipSpace() {
    while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\t' ||
                                 text[pos] == '\n' || text[pos] == '\r'))
      ++pos;
  }
  bool consume(char c) {
    if (pos < text.size() && text[pos] == c) {
      ++pos;
      return true;
    }
    return false;
  }
  bool consumeWord(StringRef word) {
    if (!text.substr(pos).starts_with(word))
      return false;
    size_t end = pos + word.size();
    if (end < text.size() && (llvm::isAlnum(text[end]) || text[end] == '_'))
      return false;
    pos = end;
    return true;
  }
  llvm::Error parseString(std::string &out) {
    if (pos >= text.size() || (text[pos] != '\'' && text[pos] != '"'))
      return error("expected a quoted string");
    char quote = text[pos++];
    out.clear();
    while (pos < text.size() && text[pos] != quote) {
      if (text[pos] == '\\')
        return error("escapes are not supported in strings");
      out += text[pos++];
    }
    if (!consume(quote))
      return error("unterminated string");
    return llvm::Error::success();
  }
  llvm::Error parseShape(std::vector<int64_t> &shape) {
    shape.clear();
    if (!consume('('))
      return error("expected '(' to start the shape tuple");
    bool needSeparator = false, sawComma = false;
    while (true) {
      skipSpace();
      if (consume(')'))
        break;
      if (needSeparator) {
        if (!consume(','))
          return error("expected ',' or ')' in the shape tuple");
        needSeparator = false;
        sawComma = true;
        continue;
      }
      if (pos >= text.size() || !llvm::isDigit(text[pos]))
        return error("expected a non-negative integer in the shape tuple");
      uint64_t value = 0;
      while (pos < text.size() && llvm::isDigit(text[pos])) {
        if (value > (uint64_t(INT64_MAX) - 9) / 10)
          return error("dimension too large");
        value = value * 10 + (text[pos++] - '0');
      }
      consume('L'); // Python 2 long literals.
      shape.push_back(int64_t(value));
      needSeparator = true;
    }
    // A one-element tuple needs its trailing comma in Python; accept "(5)"
    // too, which is what a hand-written header might contain.
    (void)sawComma;
    return llvm::Error::success();
  }

  StringRef text;
  size_t pos = 0;
};
} // namespace

namespace {
/// What the magic string, version and header dictionary of a file say.
struct Header {
  DType dtype = DType::Float32;
  std::vector<int64_t> shape;
  size_t dataOffset = 0; // where the data starts
  int64_t dataSize = 0;  // bytes of data the shape needs
};
} // namespace

/// The magic string, version and header length at the start of `bytes`:
/// sets where the header dictionary starts and how long it is.
static llvm::Error parsePrefix(StringRef bytes, size_t &headerStart,
                               size_t &headerLength) {
  if (bytes.size() < kMagicSize ||
      std::memcmp(bytes.data(), kMagic, kMagicSize) != 0)
    return makeError("not a .npy file (bad magic string)");
  if (bytes.size() < kMagicSize + 2)
    return makeError("truncated header (no version)");
  unsigned major = uint8_t(bytes[6]), minor = uint8_t(bytes[7]);
  if (major == 1) {
    if (bytes.size() < 10)
      return makeError("truncated header (no header length)");
    headerLength =
        endian::read16le(reinterpret_cast<const uint8_t *>(bytes.data() + 8));
    headerStart = 10;
  } else if (major == 2 || major == 3) {
    if (bytes.size() < 12)
      return makeError("truncated header (no header length)");
    headerLength =
        endian::read32le(reinterpret_cast<const uint8_t *>(bytes.data() + 8));
    headerStart = 12;
  } else {
    return makeError("unsupported .npy version " + llvm::Twine(major) + "." +
                     llvm::Twine(minor));
  }
  return llvm::Error::success();
}

/// The header of `bytes`, which holds at least the whole header (the data
/// may be missing).
static llvm::Expected<Header> parseHeader(StringRef bytes) {
  size_t headerStart = 0, headerLength = 0;
  if (llvm::Error err = parsePrefix(bytes, headerStart, headerLength))
    return std::move(err);
  if (bytes.size() - headerStart < headerLength)
    return makeError("truncated header: expected " + llvm::Twine(headerLength) +
                     " header bytes, got " +
                     llvm::Twine(bytes.size() - headerStart));
  StringRef dict = bytes.substr(headerStart, headerLength);
  std::string descr;
  bool fortranOrder = false;
  Header header;
  if (llvm::Error err =
          HeaderParser(dict).parse(descr, fortranOrder, header.shape))
    return std::move(err);
  llvm::Expected<DType> dtype = parseDescr(descr);
  if (!dtype)
    return dtype.takeError();
  header.dtype = *dtype;
  if (fortranOrder)
    return makeError("Fortran-order arrays are not supported (save the "
                     "array in C order)");
  std::optional<int64_t> count = ::potq::checkedElementCount(header.shape);
  if (!count || llvm::MulOverflow(*count, int64_t(getItemSize(header.dtype)),
                                  header.dataSize))
    return makeError("shape " + formatShape(header.shape) + " is too large");
  header.dataOffset = headerStart + headerLength;
  return header;
}

/// Checks that `available` bytes after the header are exactly the data.
static llvm::Error checkDataSize(const Header &header, uint64_t available) {
  if (available < uint64_t(header.dataSize))
    return makeError("truncated data: shape " + formatShape(header.shape) +
                     " of " + getDescr(header.dtype) + " needs " +
                     llvm::Twine(header.dataSize) + " bytes, got " +
                     llvm::Twine(available));
  if (available > uint64_t(header.dataSize))
    return makeError("unexpected " +
                     llvm::Twine(available - uint64_t(header.dataSize)) +
                     " trailing bytes after the data");
  return llvm::Error::success();
}

/// The array of `header` holding `data` (exactly its size).
static llvm::Expected<Array> makeArray(Header header, StringRef data) {
  Array array;
  array.dtype = header.dtype;
  array.shape = std::move(header.shape);
  array.data.assign(data.bytes_begin(), data.bytes_end());
  if (array.dtype == DType::Bool)
    for (auto [i, byte] : llvm::enumerate(array.data))
      if (byte > 1)
        return makeError("invalid bool value " + llvm::Twine(unsigned(byte)) +
                         " at flat index " + llvm::Twine(i));
  return array;
}

/// Checks the element count of `header` against `maxElements`.
static llvm::Error checkElementLimit(const Header &header,
                                     int64_t maxElements) {
  int64_t count = *::potq::checkedElementCount(header.shape);
  if (count > maxElements)
    return makeError("shape " + formatShape(header.shape) + " has " +
                     llvm::Twine(count) + " elements, more than the limit of " +
                     llvm::Twine(maxElements));
  return llvm::Error::success();
}

llvm::Expected<Array> potq::npy::parse(StringRef bytes) {
  llvm::Expected<Header> header = parseHeader(bytes);
  if (!header)
    return header.takeError();
  StringRef data = bytes.substr(header->dataOffset);
  if (llvm::Error err = checkDataSize(*header, data.size()))
    return std::move(err);
  return makeArray(std::move(*header), data);
}

/// Reads from `file` until `bytes` holds `size` bytes or the file ends, in
/// chunks (potq/Support/InputFile.h), so that memory grows with what the file
/// holds, not with what a header claims.
static llvm::Error readBytes(llvm::sys::fs::file_t file, uint64_t size,
                             std::string &bytes) {
  if (llvm::Error err = ::potq::readUpTo(file, size, bytes))
    return makeError("cannot read: " + llvm::toString(std::move(err)));
  return llvm::Error::success();
}

/// Reads and parses the .npy data of `file`: the magic string, version and
/// header first, so that nothing more is read from what is not a .npy file
/// (e.g. /dev/zero), then the data the header announces, whose size is
/// checked against the file's before it is read where the file has one.
static llvm::Expected<Array> readFile(llvm::sys::fs::file_t file,
                                      int64_t maxElements) {
  std::string bytes;
  // The longest prefix (version 2 and 3): magic, version, 4-byte length.
  if (llvm::Error err = readBytes(file, kMagicSize + 6, bytes))
    return std::move(err);
  size_t headerStart = 0, headerLength = 0;
  if (llvm::Error err = parsePrefix(bytes, headerStart, headerLength))
    return std::move(err);
  if (llvm::Error err = readBytes(file, headerStart + headerLength, bytes))
    return std::move(err);
  llvm::Expected<Header> header = parseHeader(bytes);
  if (!header)
    return header.takeError();
  if (llvm::Error err = checkElementLimit(*header, maxElements))
    return std::move(err);

  // A regular file tells its size: check it before reading the data.
  llvm::sys::fs::file_status status;
  if (!llvm::sys::fs::status(file, status) &&
      status.type() == llvm::sys::fs::file_type::regular_file &&
      status.getSize() >= header->dataOffset) {
    if (llvm::Error err =
            checkDataSize(*header, status.getSize() - header->dataOffset))
      return std::move(err);
    bytes.reserve(status.getSize());
  }

  // The data, and a little of what follows to report trailing bytes (a
  // stream may not end).
  constexpr uint64_t kTrailingProbe = uint64_t(1) << 20;
  uint64_t dataEnd = header->dataOffset + uint64_t(header->dataSize);
  if (llvm::Error err = readBytes(file, dataEnd + kTrailingProbe + 1, bytes))
    return std::move(err);
  if (bytes.size() > dataEnd + kTrailingProbe)
    return makeError("unexpected trailing bytes after the data (more than " +
                     llvm::Twine(kTrailingProbe) + ")");
  StringRef data = StringRef(bytes).substr(header->dataOffset);
  if (llvm::Error err = checkDataSize(*header, data.size()))
    return std::move(err);
  return makeArray(std::move(*header), data);
}

llvm::Expected<Array> potq::npy::read(StringRef path, int64_t maxElements) {
  llvm::sys::fs::file_t file;
  if (path == "-") {
    file = llvm::sys::fs::getStdinHandle();
  } else {
    llvm::Expected<llvm::sys::fs::file_t> opened =
        llvm::sys::fs::openNativeFileForRead(path);
    if (!opened)
      return makeError(path +
                       ": cannot read: " + llvm::toString(opened.takeError()));
    file = *opened;
  }
  llvm::Expected<Array> array = readFile(file, maxElements);
  if (path != "-")
    llvm::sys::fs::closeFile(file);
  if (!array)
    return makeError(path + ": " + llvm::toString(array.takeError()));
  return array;
}

//===----------------------------------------------------------------------===//
// Writing
//===----------------------------------------------------------------------===//

std::string potq::npy::serialize(const Array &array) {
  std::string dict =
      "{'descr': '" + getDescr(array.dtype).str() +
      "', 'fortran_order': False, 'shape': " + formatShape(array.shape) + ", }";
  // Pad with spaces and a final newline so that the data starts at a
  // multiple of 64 bytes, like NumPy.
  bool v2 = false;
  size_t prefix = kMagicSize + 2 + 2;
  size_t total = prefix + dict.size() + 1;
  size_t padded = (total + 63) / 64 * 64;
  if (padded - prefix > 65535) {
    v2 = true;
    prefix += 2;
    total = prefix + dict.size() + 1;
    padded = (total + 63) / 64 * 64;
  }
  size_t headerLength = padded - prefix;
  std::string header = dict;
  header.append(headerLength - dict.size() - 1, ' ');
  header += '\n';

  std::string out(kMagic, kMagicSize);
  out += char(v2 ? 2 : 1);
  out += char(0);
  uint8_t length[4];
  if (v2) {
    endian::write32le(length, uint32_t(headerLength));
    out.append(reinterpret_cast<char *>(length), 4);
  } else {
    endian::write16le(length, uint16_t(headerLength));
    out.append(reinterpret_cast<char *>(length), 2);
  }
  out += header;
  out.append(array.data.begin(), array.data.end());
  return out;
}

llvm::Error potq::npy::write(StringRef path, const Array &array) {
  std::error_code ec;
  llvm::ToolOutputFile file(path, ec, llvm::sys::fs::OF_None);
  if (ec)
    return makeError(path + ": cannot open for writing: " + ec.message());
  file.os() << serialize(array);
  file.os().flush();
  if (file.os().has_error()) {
    std::error_code error = file.os().error();
    file.os().clear_error();
    return makeError(path + ": write error: " + error.message());
  }
  file.keep();
  return llvm::Error::success();
}
