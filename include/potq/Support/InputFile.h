//===- InputFile.h - Reading input files with a size bound ------*- C++ -*-===//
//
// mlir::openInputFile reads a device or a pipe to its end: `potq-opt
// /dev/zero` never returns and exhausts memory. The potq tools and passes
// that read files (IR, the cost report's energy table) open them here: a
// regular file is checked against the bound before it is mapped; stdin,
// pipes and devices are read in chunks and refused once past the bound.
//
//===----------------------------------------------------------------------===//

#ifndef POTQ_SUPPORT_INPUTFILE_H
#define POTQ_SUPPORT_INPUTFILE_H

#include "potq/Support/LLVM.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"

#include <cstdint>
#include <memory>
#include <string>

namespace potq {

/// Opens `path` ("-" for stdin) for reading, refusing more than `maxBytes`
/// bytes. Returns null and sets `error` to the reason (without the file
/// name, which the caller's message gives) on failure.
std::unique_ptr<llvm::MemoryBuffer> openBoundedInputFile(llvm::StringRef path,
                                                         uint64_t maxBytes,
                                                         std::string &error);

/// Appends what `file` holds to `bytes` until `bytes` holds `size` bytes or
/// the file ends, in reads of at most 1 MiB, so that memory grows with what
/// the file holds, not with `size` (which may come from an untrusted header
/// or be a bound). Fails with the system's reason; `bytes` keeps what was
/// read.
llvm::Error readUpTo(llvm::sys::fs::file_t file, uint64_t size,
                     std::string &bytes);

} // namespace potq

#endif // POTQ_SUPPORT_INPUTFILE_H
