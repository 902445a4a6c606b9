#!/usr/bin/env python3
"""Writes and dumps NumPy .npy files with the standard library only.

Writing:
    make_npy.py OUT DTYPE SHAPE [VALUE ...] [--corrupt=KIND]
  DTYPE is a NumPy descr ('<f4', '|i1', '|b1', ...), SHAPE a comma-separated
  list of dimensions ('2,3'; 'scalar' for a 0-d array; '0' or '2,0' for
  zero-size arrays). VALUEs are integers, floats, nan, inf, -inf, true or
  false, in C order. --corrupt writes a broken file instead:
    magic      a bad magic string
    truncated  drops the last data byte
    header     a header that is not a Python dict
    fortran    'fortran_order': True
    version    format version 9.0
    trailing   one extra byte after the data
    nodata     the header alone (no VALUEs needed): data announced but absent
  --version=2 writes a version 2.0 header.

Dumping (to check --output files):
    make_npy.py --dump FILE
  prints "descr=<f4 shape=(2, 3) values=[...]" with Python's shortest
  round-trip float repr.
"""

import struct
import sys

FORMATS = {
    "<f2": "e", "<f4": "f", "<f8": "d",
    "|i1": "b", "<i2": "h", "<i4": "i", "<i8": "q",
    "|u1": "B", "<u2": "H", "<u4": "I", "<u8": "Q",
    "|b1": "?",
}


def parse_value(text, descr):
    lowered = text.lower()
    if descr[1] == "f":
        return float(lowered)
    if lowered in ("true", "false"):
        return lowered == "true"
    value = int(text, 0)
    return bool(value) if descr == "|b1" else value


def shape_string(shape):
    if len(shape) == 1:
        return "(%d,)" % shape[0]
    return "(" + ", ".join(str(d) for d in shape) + ")"


def build(descr, shape, values, corrupt, version):
    count = 1
    for d in shape:
        count *= d
    if len(values) != count and corrupt != "nodata":
        sys.exit("make_npy.py: shape %s needs %d values, got %d"
                 % (shape_string(shape), count, len(values)))
    fmt = FORMATS[descr]
    data = b"".join(struct.pack("<" + fmt, v) for v in values)
    fortran = "True" if corrupt == "fortran" else "False"
    header = "{'descr': '%s', 'fortran_order': %s, 'shape': %s, }" % (
        descr, fortran, shape_string(shape))
    if corrupt == "header":
        header = "['descr', '%s']" % descr
    prefix = 12 if version == 2 else 10
    total = prefix + len(header) + 1
    header += " " * ((64 - total % 64) % 64) + "\n"
    magic = b"\x93NUMPX" if corrupt == "magic" else b"\x93NUMPY"
    major = 9 if corrupt == "version" else version
    out = magic + bytes([major, 0])
    if version == 2:
        out += struct.pack("<I", len(header))
    else:
        out += struct.pack("<H", len(header))
    out += header.encode("latin1") + data
    if corrupt == "truncated":
        out = out[:-1]
    if corrupt == "trailing":
        out += b"\x00"
    return out


def dump(path):
    with open(path, "rb") as f:
        raw = f.read()
    assert raw[:6] == b"\x93NUMPY", "bad magic"
    if raw[6] == 1:
        (hlen,) = struct.unpack("<H", raw[8:10])
        start = 10
    else:
        (hlen,) = struct.unpack("<I", raw[8:12])
        start = 12
    header = eval(raw[start:start + hlen].decode("latin1"))  # trusted input
    descr, shape = header["descr"], header["shape"]
    fmt = FORMATS[descr]
    size = struct.calcsize(fmt)
    data = raw[start + hlen:]
    values = [struct.unpack("<" + fmt, data[i:i + size])[0]
              for i in range(0, len(data), size)]
    print("descr=%s shape=%s values=[%s]" % (
        descr, shape_string(list(shape)),
        ", ".join(repr(v) for v in values)))


def main(argv):
    if len(argv) == 3 and argv[1] == "--dump":
        dump(argv[2])
        return
    corrupt, version = None, 1
    args = []
    for arg in argv[1:]:
        if arg.startswith("--corrupt="):
            corrupt = arg.split("=", 1)[1]
        elif arg.startswith("--version="):
            version = int(arg.split("=", 1)[1])
        else:
            args.append(arg)
    if len(args) < 3:
        sys.exit(__doc__)
    out, descr, shape_text = args[0], args[1], args[2]
    if descr not in FORMATS:
        # Unsupported dtypes are still written (for error tests) as raw
        # 4-byte little-endian words.
        FORMATS[descr] = "i"
    if shape_text == "scalar":
        shape = []
    else:
        shape = [int(d) for d in shape_text.split(",")]
    values = [parse_value(v, descr) for v in args[3:]]
    with open(out, "wb") as f:
        f.write(build(descr, shape, values, corrupt, version))


if __name__ == "__main__":
    main(sys.argv)
