#!/usr/bin/python3
"""check_export.py for networks whose weights are #potq.nhot<...>.

check_export.py reads every potq encoding through the potq package
(potq.encodings.Encoding.parse), #potq.nhot<terms = N, max_exp = E>
included; this name is kept for the commands in docs/BitSparsity.md:

    PYTHONPATH=build/python_packages /usr/bin/python3 \\
        examples/fashion_mnist/check_export_nhot.py \\
        examples/fashion_mnist/mlp_nhot1e7.mlir
"""

import sys

import check_export

if __name__ == "__main__":
    sys.exit(check_export.main())
