"""potq: shift-based quantized networks, from training to integer code.

The package is a thin Python face over potq's C++ libraries (the extension
``potq._potq``): level sets, the SPEC projection, scale selection, packing,
recoding and cost counts are the compiler's own functions, so that what a
training loop computes in Python is bit for bit what the compiled integer
code computes; ``potq.compile`` runs the compiler, the JIT, the reference
interpreter and the emitters of potq-opt, potq-run and potq-translate in
process (docs/Python.md).

``import potq`` needs only NumPy. The PyTorch parts are imported explicitly:
``import potq.nn``, ``import potq.estimators``, ``import potq.export``.
"""

from potq._potq import (
    EnergyTable,
    FixedPointMultiplier,
    ShiftAddCounts,
    add_requantized,
    add_shifts_supported,
    allocate_term_budget,
    apot_magnitudes,
    apply_fixed_point,
    choose_max_exp,
    choose_scale,
    count_shift_add,
    count_shift_add_splat,
    decode_level,
    decompose,
    dequantize,
    encode_level,
    encoding_info,
    evaluate_terms,
    fake_quantize,
    fit_nhot,
    fp32_mac_energy,
    int8_mac_energy,
    levels,
    nearest_level,
    pack_levels,
    project,
    project_to_integer_range,
    quantization_error,
    recode_error,
    requantize,
    shift_add_energy,
    signed_digits,
    tightest_nhot,
    to_fixed_point,
    unpack_levels,
)

from potq.compiler import (
    CompiledModule,
    CompileError,
    ExecutionError,
    compile,
)

__version__ = "0.1.0"

__all__ = [
    "CompileError",
    "CompiledModule",
    "EnergyTable",
    "ExecutionError",
    "FixedPointMultiplier",
    "ShiftAddCounts",
    "__version__",
    "add_requantized",
    "add_shifts_supported",
    "allocate_term_budget",
    "apot_magnitudes",
    "apply_fixed_point",
    "choose_max_exp",
    "choose_scale",
    "compile",
    "count_shift_add",
    "count_shift_add_splat",
    "decode_level",
    "decompose",
    "dequantize",
    "encode_level",
    "encoding_info",
    "evaluate_terms",
    "fake_quantize",
    "fit_nhot",
    "fp32_mac_energy",
    "int8_mac_energy",
    "levels",
    "nearest_level",
    "pack_levels",
    "project",
    "project_to_integer_range",
    "quantization_error",
    "recode_error",
    "requantize",
    "shift_add_energy",
    "signed_digits",
    "tightest_nhot",
    "to_fixed_point",
    "unpack_levels",
]
