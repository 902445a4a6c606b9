#!/usr/bin/python3
"""check_export.py for networks whose weights are #potq.nhot<...>.

check_export.py reads the encodings it knows (pot, apot, uniform); this
wrapper adds `#potq.nhot<terms = N, max_exp = E>` (qat.Encoding.nhot) and
runs the same checks: the weight levels, bias levels and scales potq-opt
freezes against the ones qat.py computes.

    /usr/bin/python3 examples/fashion_mnist/check_export_nhot.py \\
        examples/fashion_mnist/mlp_nhot1e7.mlir
"""

import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import check_export  # noqa: E402
import qat  # noqa: E402

_base = check_export.encoding_from_attr


def encoding_from_attr(attrs):
    m = re.search(r'#potq\.nhot<terms = (\d+), max_exp = (\d+)>', attrs)
    if m:
        return qat.Encoding.nhot(int(m.group(1)), int(m.group(2)))
    return _base(attrs)


check_export.encoding_from_attr = encoding_from_attr

if __name__ == "__main__":
    check_export.main()
