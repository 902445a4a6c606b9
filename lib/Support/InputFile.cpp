//===- InputFile.cpp - Reading input files with a size bound --------------===//

#include "potq/Support/InputFile.h"

#include "llvm/Support/Errc.h"
#include "llvm/Support/FileSystem.h"

#include <algorithm>

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
  std::string data;
  uint64_t probe = maxBytes == UINT64_MAX ? maxBytes : maxBytes + 1;
  if (Error err = potq::readUpTo(fd, probe, data)) {
    error = toString(std::move(err));
    return nullptr;
  }
  if (data.size() > maxBytes) {
    error = overBound(maxBytes);
    return nullptr;
  }
  return MemoryBuffer::getMemBufferCopy(data, path == "-" ? "<stdin>" : path);
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

Error potq::readUpTo(sys::fs::file_t file, uint64_t size, std::string &bytes) {
  constexpr size_t kChunk = size_t(1) << 20;
  while (bytes.size() < size) {
    size_t old = bytes.size();
    bytes.resize(old + std::min<uint64_t>(kChunk, size - old));
    Expected<size_t> got = sys::fs::readNativeFile(
        file, MutableArrayRef<char>(bytes).drop_front(old));
    if (!got) {
      bytes.resize(old);
      return got.takeError();
    }
    bytes.resize(old + *got);
    if (*got == 0)
      break;
  }
  return Error::success();
}
