"""potq.compile: compile a QAT graph and run it, in process.

Everything happens in potq's C++ libraries through the extension, with the
code paths of the tools (no subprocess):

==========================  ==============================================
``compile(source)``         ``potq-opt --pass-pipeline=...``
``CompiledModule.run``      ``potq-run --jit --pipeline=...`` (JIT once,
                            then one native call per ``run``)
``CompiledModule.interpret``  ``potq-run --interpret`` on the source module
``save_object``             ``potq-translate --emit=obj``
``save_header``             ``potq-translate --emit=header``
==========================  ==============================================

so their results equal the tools' bit for bit (python/tests/test_compile.py
checks it).
"""

import os
import pathlib
import sys

from potq import _potq

#: What ``pipeline=None`` runs: the QAT graph to integer shift-add code whose
#: contractions call the native kernel runtime (docs/Runtime.md), i.e.
#: ``potq-opt --potq-qat-to-shift-add="kernels=runtime"``.
DEFAULT_PIPELINE = "builtin.module(potq-qat-to-shift-add{kernels=runtime})"

CompileError = _potq.CompileError
CompileError.__doc__ = (
    "The compiler failed (parsing, the pipeline, lowering, the JIT or an "
    "emitter); the message holds MLIR's diagnostics, file:line:col first.")
ExecutionError = _potq.ExecutionError
ExecutionError.__doc__ = (
    "Running a function failed (e.g. the interpreter's overflow or "
    "undefined-behaviour checks); the message holds the diagnostics.")


class CompiledModule:
    """A module compiled by :func:`compile`.

    Attributes:
        mlir:         the IR after the pipeline, as text.
        source_mlir:  the module as given, as text.
        entry:        the name of the function ``run`` and ``interpret`` call.
        pipeline:     the pass pipeline that was run.
        diagnostics:  remarks and warnings the compiler reported.
    """

    def __init__(self, module, source_name):
        self._module = module
        self._source_name = source_name

    @property
    def mlir(self):
        return self._module.mlir

    @property
    def source_mlir(self):
        return self._module.source_mlir

    @property
    def entry(self):
        return self._module.entry

    @property
    def pipeline(self):
        return self._module.pipeline

    @property
    def diagnostics(self):
        return self._module.diagnostics

    def signature(self, compiled=True):
        """(argument types, result types) of the entry function as MLIR text,
        in the compiled module (what ``run`` takes) or the source (what
        ``interpret`` takes)."""
        return self._module.signature(compiled)

    def run(self, *arrays):
        """Runs the compiled code natively, like ``potq-run --jit``.

        ``arrays`` are NumPy arrays, one per argument, of the dtype the
        argument's type asks for (float32 for f32, int8 for i8, ...; any
        integer dtype holding levels for quantized tensors; a dynamic
        dimension takes the array's size). Returns one array, or a tuple
        when the function returns several. A wrong count, shape or dtype
        raises ValueError or TypeError naming the argument.
        """
        return self._module.run(*arrays)

    def interpret(self, *arrays):
        """Evaluates the module as given (before the pipeline) with the
        reference interpreter, like ``potq-run --interpret`` on the source:
        for a QAT graph the float graph with exact fake quantization, for a
        module of potq ops the integer semantics the compiled code must
        match. Arguments and results as for :meth:`run`."""
        return self._module.interpret(*arrays)

    def object_bytes(self, dynamic_dim_size=None, *, preset="", target="",
                     cpu="", features="", opt_level=2):
        """The relocatable object file of :meth:`save_object`, as bytes."""
        _check_dynamic_dim_size(dynamic_dim_size)
        if opt_level not in (0, 1, 2, 3):
            raise ValueError("opt_level must be 0, 1, 2 or 3, got %r"
                             % (opt_level,))
        return self._module.object_file(dynamic_dim_size, preset, target, cpu,
                                        features, opt_level)

    def save_object(self, path, dynamic_dim_size=None, **target):
        """Writes a relocatable object of the compiled module, like
        ``potq-translate --emit=obj``: the C interface
        ``_mlir_ciface_<entry>`` (docs/AOT.md). Code lowered with
        kernels=runtime (the default pipeline) links against
        libPotqRuntime.a and libPotqNumerics.a.

        dynamic_dim_size: gives every dynamic dimension of the public
            functions' arguments this size first (``--dynamic-dim-size``).
        target: ``preset``, ``target`` (triple), ``cpu``, ``features``
            (``+a,-b``) and ``opt_level`` as potq-translate's ``--preset``,
            ``--target``, ``--mcpu``, ``--mattr``, ``--opt-level``.
        """
        data = self.object_bytes(dynamic_dim_size, **target)
        pathlib.Path(path).write_bytes(data)

    def header_text(self, dynamic_dim_size=None, header_name="-"):
        """The C header of :meth:`save_header`, as text."""
        _check_dynamic_dim_size(dynamic_dim_size)
        return self._module.c_header(dynamic_dim_size, str(header_name),
                                     self._source_name)

    def save_header(self, path, dynamic_dim_size=None):
        """Writes the C99 header declaring the entry points of the object,
        like ``potq-translate --emit=header`` (static shapes only: pass
        ``dynamic_dim_size`` for a dynamic batch)."""
        path = pathlib.Path(path)
        path.write_text(self.header_text(dynamic_dim_size, path.name))

    def __repr__(self):
        return "<potq.CompiledModule @%s of %s>" % (self.entry,
                                                    self._source_name)


def _check_dynamic_dim_size(size):
    if size is None:
        return
    if isinstance(size, bool) or not isinstance(size, int):
        raise TypeError("dynamic_dim_size must be an int or None, got %s"
                        % type(size).__name__)
    if size <= 0:
        raise ValueError("dynamic_dim_size must be positive, got %d" % size)


def _is_torch_module(source):
    torch = sys.modules.get("torch")
    return torch is not None and isinstance(source, torch.nn.Module)


def compile(source, *, pipeline=None, entry=None, example_inputs=None):
    """Compiles ``source`` with potq's pass pipelines.

    source: MLIR text (``str``), a path to a ``.mlir`` or ``.mlirbc`` file
        (``pathlib.Path`` or any ``os.PathLike``), or a ``torch.nn.Module``
        (exported first with ``potq.export.to_mlir(source, example_inputs)``).
        A ``str`` is always text, never a path, so that no string changes
        meaning with the files that happen to exist; a ``str`` that fails to
        parse and names a file raises ValueError saying to pass a Path.
        Files are read as ``potq-opt`` reads its input (potq's bounded
        reader): one that cannot be read raises OSError (FileNotFoundError,
        NotADirectoryError, IsADirectoryError, PermissionError, ...) with
        potq-opt's message.
    pipeline: pass pipeline text as ``potq-opt --pass-pipeline`` takes it,
        anchored on ``builtin.module``; None runs :data:`DEFAULT_PIPELINE`,
        ``""`` none.
    entry: the function ``run`` and ``interpret`` call; None picks the only
        public function, else ``main`` (potq-run's rule).
    example_inputs: the inputs a ``torch.nn.Module`` is traced with.

    Raises CompileError with the diagnostics when parsing or the pipeline
    fails, ValueError for an entry the module does not have.
    """
    if pipeline is None:
        pipeline = DEFAULT_PIPELINE
    if not isinstance(pipeline, str):
        raise TypeError("pipeline must be a str or None, got %s"
                        % type(pipeline).__name__)
    if entry is not None and not isinstance(entry, str):
        raise TypeError("entry must be a str or None, got %s"
                        % type(entry).__name__)
    entry = entry or ""
    if isinstance(source, str):
        return CompiledModule(_compile_text(source, pipeline, entry),
                              "<string>")
    if isinstance(source, os.PathLike):
        path = os.fspath(source)
        # The C++ reader takes the file system's bytes; names are shown
        # decoded.
        module = _potq._CompiledModule.from_file(os.fsencode(path), pipeline,
                                                 entry)
        return CompiledModule(module, os.fsdecode(path))
    if _is_torch_module(source):
        if example_inputs is None:
            raise ValueError("compiling a torch.nn.Module needs "
                             "example_inputs to trace it with")
        from potq import export
        name = "<%s>" % type(source).__name__
        module = _potq._CompiledModule(
            export.to_mlir(source, example_inputs), name, pipeline, entry)
        return CompiledModule(module, name)
    raise TypeError("source must be MLIR text (str), a path to a .mlir "
                    "file (pathlib.Path) or a torch.nn.Module, got %s"
                    % type(source).__name__)


def _compile_text(text, pipeline, entry):
    """Compiles MLIR text; a file name passed as text is the likely mistake
    behind a parse error, so that error says so."""
    try:
        return _potq._CompiledModule(text, "<string>", pipeline, entry)
    except CompileError as error:
        if (str(error).startswith("cannot parse") and "\n" not in text
                and os.path.isfile(text)):
            raise ValueError(
                "source %r is a str, which compile() reads as MLIR text, and "
                "it does not parse as MLIR; it names a file: pass "
                "pathlib.Path(%r) to compile the file" % (text, text)) \
                from error
        raise
