//===- InputFile.cpp - Reading input files with a size bound --------------===//

#include "potq/Support/InputFile.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/Errc.h"
#include "llvm/Support/FileSystem.h"

using namespace llvm;

namespace {

std::string overBound(uint64_t maxBytes) {
  return ("larger than potq's input limit of " + Twine(maxBytes) + " bytes")
      .str();
}

/// Reads a stream (stdin, a pipe, a device) in chunks, stopping one byte
/// past the bound.
std::unique_ptr<MemoryBuffer> readStream(sys::fs::file_t fd, StringRef path,
                                         uint64_t maxBytes,
                                         std::string &error) {
  constexpr size_t kChunk = size_t(1) << 20;
  SmallVector<char, 0> data;
  while (true) {
    size_t used = data.size();
    data.resize_for_overwrite(used + kChunk);
    Expected<size_t> n =
        sys::fs::readNativeFile(fd, MutableArrayRef<char>(data).drop_front(used));
    if (!n) {
      error = toString(n.takeError());
      return nullptr;
    }
    data.truncate(used + *n);
    if (*n == 0)
      break;
    if (data.size() > maxBytes) {
      error = overBound(maxBytes);
      return nullptr;
    }
  }
  return MemoryBuffer::getMemBufferCopy(StringRef(data.data(), data.size()),
                                        path == "-" ? "<stdin>" : path);
}

} // namespace

std::unique_ptr<MemoryBuffer>
potq::openBoundedInputFile(StringRef path, uint64_t maxBytes,
                           std::string &error) {
  if (path == "-")
    return readStream(sys::fs::getStdinHandle(), path, maxBytes, error);

  sys::fs::file_status status;
  if (std::error_code ec = sys::fs::status(path, status)) {
    error = ec.message();
    return nullptr;
  }
  if (status.type() == sys::fs::file_type::directory_file) {
    error = "is a directory";
    return nullptr;
  }
  if (status.type() == sys::fs::file_type::regular_file) {
    if (status.getSize() > maxBytes) {
      error = overBound(maxBytes);
      return nullptr;
    }
    ErrorOr<std::unique_ptr<MemoryBuffer>> file = MemoryBuffer::getFile(path);
    if (!file) {
      error = file.getError().message();
      return nullptr;
    }
    return std::move(*file);
  }

  Expected<sys::fs::file_t> fd = sys::fs::openNativeFileForRead(path);
  if (!fd) {
    error = toString(fd.takeError());
    return nullptr;
  }
  std::unique_ptr<MemoryBuffer> buffer =
      readStream(*fd, path, maxBytes, error);
  sys::fs::closeFile(*fd);
  return buffer;
}
