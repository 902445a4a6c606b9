//===- fuzz-npy.cpp - Fuzz the .npy reader --------------------------------===//
//
// Input: the bytes of a .npy file. npy::parse must reject malformed files
// with an error (never crash or allocate what the file merely claims), and
// an array it accepts must serialize and parse back to the same array.
//
//===----------------------------------------------------------------------===//

#include "FuzzCommon.h"

#include "potq/TensorIO/Npy.h"

#include <cmath>
#include <cstring>

using namespace potq;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  llvm::StringRef bytes(reinterpret_cast<const char *>(data), size);
  llvm::Expected<npy::Array> array = npy::parse(bytes);
  if (!array) {
    llvm::consumeError(array.takeError());
    return 0;
  }
  int64_t n = array->getNumElements();
  if (n < 0 || uint64_t(n) * npy::getItemSize(array->dtype) !=
                   array->data.size())
    fuzz::fail("accepted array's data size does not match its shape");
  // Every element reads back (exercises the dtype decoders).
  for (int64_t i = 0; i < n; ++i) {
    if (npy::isFloat(array->dtype))
      (void)array->getFloat(i);
    else
      (void)array->getInt(i);
  }
  std::string again = npy::serialize(*array);
  llvm::Expected<npy::Array> reparsed = npy::parse(again);
  if (!reparsed)
    fuzz::fail("serialized array does not parse: " +
               llvm::toString(reparsed.takeError()));
  if (reparsed->dtype != array->dtype || reparsed->shape != array->shape ||
      reparsed->data != array->data)
    fuzz::fail("array changed across serialize/parse");
  return 0;
}
