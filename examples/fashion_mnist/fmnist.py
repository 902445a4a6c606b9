"""Fashion-MNIST loading (IDX format, gzip) for the potq example network.

The data comes from the Debian package `dataset-fashion-mnist`, which
installs the four IDX files under /usr/share/datasets/fashion-mnist/.
Set POTQ_FASHION_MNIST_DIR to read them from another directory.
"""

import gzip
import os
import struct

import numpy as np

DEFAULT_DIR = "/usr/share/datasets/fashion-mnist"

_FILES = {
    ("train", "images"): "train-images-idx3-ubyte.gz",
    ("train", "labels"): "train-labels-idx1-ubyte.gz",
    ("test", "images"): "t10k-images-idx3-ubyte.gz",
    ("test", "labels"): "t10k-labels-idx1-ubyte.gz",
}

# IDX element type codes (http://yann.lecun.com/exdb/mnist/).
_IDX_DTYPES = {0x08: ">u1", 0x09: ">i1", 0x0B: ">i2", 0x0C: ">i4",
               0x0D: ">f4", 0x0E: ">f8"}

CLASS_NAMES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
               "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]


class DatasetMissingError(FileNotFoundError):
    pass


def data_dir():
    return os.environ.get("POTQ_FASHION_MNIST_DIR", DEFAULT_DIR)


def _path(split, kind, directory=None):
    if (split, kind) not in _FILES:
        raise ValueError("split must be 'train' or 'test', kind 'images' or "
                         "'labels' (got %r, %r)" % (split, kind))
    path = os.path.join(directory or data_dir(), _FILES[(split, kind)])
    if not os.path.isfile(path):
        raise DatasetMissingError(
            "Fashion-MNIST file not found: %s\n"
            "Install the Debian package dataset-fashion-mnist "
            "(apt-get install dataset-fashion-mnist), which provides "
            "%s/*-ubyte.gz, or set POTQ_FASHION_MNIST_DIR to a directory "
            "holding the four IDX .gz files." % (path, DEFAULT_DIR))
    return path


def read_idx(path):
    """Reads one gzip-compressed IDX file into a numpy array."""
    with gzip.open(path, "rb") as f:
        data = f.read()
    if len(data) < 4:
        raise ValueError("%s: truncated IDX header" % path)
    zero, dtype_code, ndim = struct.unpack(">HBB", data[:4])
    if zero != 0 or dtype_code not in _IDX_DTYPES:
        raise ValueError("%s: not an IDX file (magic %02x %02x)"
                         % (path, zero, dtype_code))
    header = 4 + 4 * ndim
    shape = struct.unpack(">" + "I" * ndim, data[4:header])
    dtype = np.dtype(_IDX_DTYPES[dtype_code])
    count = int(np.prod(shape)) if ndim else 1
    if len(data) - header != count * dtype.itemsize:
        raise ValueError("%s: expected %d bytes of data for shape %s, found %d"
                         % (path, count * dtype.itemsize, shape,
                            len(data) - header))
    array = np.frombuffer(data, dtype=dtype, offset=header).reshape(shape)
    return array.astype(dtype.newbyteorder("="))


def load_raw(split, directory=None):
    """Returns (images uint8 [N, 28, 28], labels uint8 [N])."""
    images = read_idx(_path(split, "images", directory))
    labels = read_idx(_path(split, "labels", directory))
    if images.ndim != 3 or labels.ndim != 1 or len(images) != len(labels):
        raise ValueError("unexpected Fashion-MNIST shapes %s / %s"
                         % (images.shape, labels.shape))
    return images, labels


def load(split, directory=None, limit=None):
    """Returns (images float32 [N, 784] = pixel / 255 in binary32,
    labels int64 [N]).

    The images are exactly `np.float32(pixel) / np.float32(255)`, the values
    the example's first fake quantization (uniform<bits = 8, unsigned>,
    scale 1/255) maps back onto the pixel levels.
    """
    images, labels = load_raw(split, directory)
    if limit is not None:
        images, labels = images[:limit], labels[:limit]
    x = images.reshape(len(images), -1).astype(np.float32) / np.float32(255)
    return x.astype(np.float32), labels.astype(np.int64)
