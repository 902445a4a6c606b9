"""potq.compile against the tools: the same results, bit for bit.

CompiledModule runs potq-opt's pipeline, potq-run's JIT and interpreter and
potq-translate's emitters in process; here the tools themselves (the
`tools` fixture of conftest.py, run as subprocesses in this test only)
compute the reference on the same inputs.
"""

import pathlib
import subprocess

import numpy as np
import pytest

import potq

REPO = pathlib.Path(__file__).resolve().parents[2]
MLP = REPO / "examples" / "fashion_mnist" / "mlp_pot4.mlir"
LAYER = REPO / "examples" / "mlp_layer.mlir"
RNG_SEED = 1301

# acc = 8 * 32767 * 16384 needs more than i32 (test/Integration/
# wide-accumulator.mlir): with {wide_accumulator} it is exact, without it
# the interpreter and potq-verify-accumulators refuse it.
WIDE = """
!x = !potq.q<#potq.uniform<bits = 16>, f32, scale = 1.0e+00>
!w = !potq.q<#potq.pot<bits = 5>, f32, scale = 1.0e+00>
!y1 = !potq.q<#potq.uniform<bits = 8>, f32, scale = 6.7108864e+07>
!y2 = !potq.q<#potq.uniform<bits = 8>, f32, scale = 5.0331648e+07>
func.func @main() -> (tensor<1x1x!y1>, tensor<1x1x!y2>) {
  %x = potq.constant dense<32767> : tensor<1x8xi16> -> tensor<1x8x!x>
  %w = potq.constant dense<16384> : tensor<8x1xi16> -> tensor<8x1x!w>
  %a = potq.matmul %x, %w ATTR : tensor<1x8x!x>, tensor<8x1x!w> -> tensor<1x1x!y1>
  %b = potq.matmul %x, %w ATTR : tensor<1x8x!x>, tensor<8x1x!w> -> tensor<1x1x!y2>
  return %a, %b : tensor<1x1x!y1>, tensor<1x1x!y2>
}
"""


def tool(tools, name, *args):
    result = subprocess.run([tools(name)] + [str(a) for a in args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout


def potq_run(tools, tmp_path, source, arrays, *flags):
    inputs = []
    for i, a in enumerate(arrays):
        np.save(tmp_path / ("in%d.npy" % i), a)
        inputs.append("--input=%s" % (tmp_path / ("in%d.npy" % i)))
    out = tmp_path / "out.npy"
    tool(tools, "potq-run", source, *flags, *inputs, "--output=%s" % out)
    return np.load(out)


def assert_bitwise_equal(a, b):
    assert a.dtype == b.dtype and a.shape == b.shape
    assert a.tobytes() == b.tobytes()


def pixels(rng, batch):
    x = rng.integers(0, 256, size=(batch, 784)).astype(np.float32) / 255
    x[0, :7] = [np.nan, np.inf, -np.inf, -3.0, 1e30, 0.5, -0.0]
    return x.astype(np.float32)


@pytest.fixture(scope="module")
def mlp():
    return potq.compile(MLP)


def test_compile_prints_what_potq_opt_prints(tools, mlp):
    expected = tool(tools, "potq-opt", MLP, "--pass-pipeline=" +
                    potq.compiler.DEFAULT_PIPELINE)
    assert mlp.mlir == expected
    assert "call @potq_rt_" in mlp.mlir  # kernels=runtime by default
    assert mlp.entry == "main" and mlp.pipeline == \
        potq.compiler.DEFAULT_PIPELINE
    assert mlp.signature() == (["tensor<?x784xf32>"], ["tensor<?x10xf32>"])


def test_run_and_interpret_equal_potq_run(tools, mlp, tmp_path):
    rng = np.random.default_rng(RNG_SEED)
    for batch in (5, 1):  # one JIT, two shapes of the dynamic batch
        x = pixels(rng, batch)
        got = mlp.run(x)
        assert got.dtype == np.float32 and got.shape == (batch, 10)
        assert_bitwise_equal(got, potq_run(
            tools, tmp_path, MLP, [x], "--jit",
            "--pipeline=" + potq.compiler.DEFAULT_PIPELINE))
        assert_bitwise_equal(mlp.interpret(x), potq_run(
            tools, tmp_path, MLP, [x], "--interpret"))


def test_custom_pipeline_and_text_source(tools, tmp_path):
    text = MLP.read_text()
    fused = "builtin.module(potq-qat-to-shift-add{fuse=false})"
    module = potq.compile(text, pipeline=fused)
    assert "qat." not in module.mlir and "linalg" in module.mlir
    x = pixels(np.random.default_rng(RNG_SEED), 2)
    assert_bitwise_equal(module.run(x), potq_run(
        tools, tmp_path, MLP, [x], "--jit", "--pipeline=" + fused))
    # The float QAT graph compiled exactly equals its interpretation.
    assert_bitwise_equal(module.run(x), module.interpret(x))


def test_integer_module_run_equals_interpret(tools, tmp_path):
    layer = potq.compile(LAYER)
    assert layer.entry == "fc_relu"  # the only public function
    rng = np.random.default_rng(RNG_SEED)
    for _ in range(5):
        x = rng.normal(0, 1.5, size=(1, 8)).astype(np.float32)
        got = layer.run(x)
        assert_bitwise_equal(got, layer.interpret(x))
        assert_bitwise_equal(got, potq_run(
            tools, tmp_path, LAYER, [x], "--jit",
            "--pipeline=" + potq.compiler.DEFAULT_PIPELINE))


def test_several_quantized_results():
    module = potq.compile(WIDE.replace("ATTR", "{wide_accumulator}"),
                          pipeline="builtin.module(convert-potq-to-linalg)")
    a, b = module.run()
    assert a.dtype == np.int8 and a.tolist() == [[64]] and b.tolist() == [[85]]
    ia, ib = module.interpret()
    assert_bitwise_equal(a, ia)
    assert_bitwise_equal(b, ib)


def test_save_object_and_header_link_into_a_c_program(tools, mlp,
                                                     tmp_path):
    build = tools.dir.parent
    mlp.save_object(tmp_path / "net.o", dynamic_dim_size=3)
    mlp.save_header(tmp_path / "net.h", dynamic_dim_size=3)
    header = (tmp_path / "net.h").read_text()
    assert "static inline int potq_main(const float *in0, float *out0)" in \
        header
    symbols = subprocess.run(["llvm-nm-22", str(tmp_path / "net.o")],
                             stdout=subprocess.PIPE, text=True,
                             check=True).stdout
    assert " T _mlir_ciface_main" in symbols
    (tmp_path / "driver.c").write_text("""
#include "net.h"
#include <stdio.h>
int main(int argc, char **argv) {
  static float in[3 * 784], out[3 * 10];
  FILE *f = fopen(argv[1], "rb");
  if (!f || fread(in, sizeof(float), 3 * 784, f) != 3 * 784) return 2;
  fclose(f);
  if (potq_main(in, out) != 0) return 3;
  f = fopen(argv[2], "wb");
  if (!f || fwrite(out, sizeof(float), 3 * 10, f) != 3 * 10) return 4;
  return fclose(f);
}
""")
    subprocess.run(
        ["clang-22", "-std=c99", "-O1", "-Wall", "-Werror", "-I", tmp_path,
         tmp_path / "driver.c", tmp_path / "net.o",
         build / "lib" / "Runtime" / "libPotqRuntime.a",
         build / "lib" / "Numerics" / "libPotqNumerics.a",
         "-lstdc++", "-lpthread", "-lm", "-o", tmp_path / "driver"],
        check=True)
    x = pixels(np.random.default_rng(RNG_SEED), 3)
    x.tofile(tmp_path / "x.bin")
    subprocess.run([tmp_path / "driver", tmp_path / "x.bin",
                    tmp_path / "y.bin"], check=True)
    y = np.fromfile(tmp_path / "y.bin", np.float32).reshape(3, 10)
    assert_bitwise_equal(y, mlp.run(x))
    # The same bytes as potq-translate writes for the compiled IR.
    (tmp_path / "int.mlir").write_text(mlp.mlir)
    tool(tools, "potq-translate", tmp_path / "int.mlir", "--emit=obj",
         "--dynamic-dim-size=3", "-o", tmp_path / "tool.o")
    assert (tmp_path / "tool.o").read_bytes() == \
        (tmp_path / "net.o").read_bytes()


def test_compile_errors_carry_the_diagnostics():
    with pytest.raises(potq.CompileError,
                       match=r"<string>:2:1: error: custom op 'bogus'"):
        potq.compile("func.func @main() {\nbogus\n}")
    with pytest.raises(potq.CompileError, match="invalid pipeline 'nope'"):
        potq.compile(LAYER, pipeline="nope")
    with pytest.raises(potq.CompileError, match="anchored on builtin.module"):
        potq.compile(LAYER, pipeline="func.func(canonicalize)")
    with pytest.raises(potq.CompileError,
                       match=r"<string>:\d+:\d+: error: .*accumulat"):
        potq.compile(WIDE.replace("ATTR", ""),
                     pipeline="builtin.module(potq-verify-accumulators)")
    with pytest.raises(ValueError, match="no function named 'f'"):
        potq.compile(LAYER, entry="f")
    with pytest.raises(TypeError, match="source must be MLIR text"):
        potq.compile(42)


def test_execution_errors():
    module = potq.compile(WIDE.replace("ATTR", ""), pipeline="")
    with pytest.raises(potq.ExecutionError, match=r"<string>:\d+:\d+: error"):
        module.interpret()


def test_argument_errors_name_the_argument(mlp):
    with pytest.raises(ValueError, match="@main takes 1 argument"):
        mlp.run()
    with pytest.raises(ValueError,
                       match="argument 0 of @main: expected dtype '<f4'"):
        mlp.run(np.zeros((2, 784)))
    with pytest.raises(ValueError,
                       match=r"argument 0 of @main: shape \(2, 783\)"):
        mlp.interpret(np.zeros((2, 783), np.float32))
    with pytest.raises(TypeError, match="argument 0 of @main"):
        mlp.run(np.zeros(2, np.complex64))
    with pytest.raises(ValueError, match="dynamic_dim_size must be positive"):
        mlp.save_object("/dev/null", dynamic_dim_size=0)
    with pytest.raises(potq.CompileError, match="pass dynamic_dim_size=N"):
        mlp.header_text()
    with pytest.raises(potq.CompileError, match="unknown-cpu"):
        mlp.object_bytes(cpu="unknown-cpu")


def test_torch_modules_are_exported_first():
    import torch  # a declared dependency (scripts/setup.sh)

    import potq.export

    torch.manual_seed(RNG_SEED)
    net = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(16, 4),
                              torch.nn.ReLU())
    example = torch.randn(2, 1, 4, 4)
    module = potq.compile(net, example_inputs=example)
    text = potq.compile(potq.export.to_mlir(net, example))
    assert module.source_mlir == text.source_mlir
    assert module.mlir == text.mlir
    x = np.random.default_rng(RNG_SEED).normal(
        size=(3, 1, 4, 4)).astype(np.float32)
    assert_bitwise_equal(module.interpret(x), text.interpret(x))
    with pytest.raises(ValueError, match="needs example_inputs"):
        potq.compile(net)


def test_a_str_is_text_and_a_file_name_gets_a_hint(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "net.mlir").write_text(LAYER.read_text())
    for name in ["net.mlir", str(tmp_path / "net.mlir")]:
        with pytest.raises(ValueError, match=r"source '.*net\.mlir' is a str, "
                           r"which compile\(\) reads as MLIR text.*pass "
                           r"pathlib\.Path\('.*net\.mlir'\)") as error:
            potq.compile(name)
        assert isinstance(error.value.__cause__, potq.CompileError)
    # A str naming no file stays a parse error; a Path is the file.
    with pytest.raises(potq.CompileError, match="<string>:1:1: error"):
        potq.compile("other.mlir")
    assert potq.compile(pathlib.Path("net.mlir")).entry == "fc_relu"


def test_paths_are_read_as_potq_opt_reads_them(tools, tmp_path,
                                               monkeypatch):
    # A file of 2 GiB + 1 bytes (sparse: nothing is written) is refused
    # before it is read, as by potq-opt.
    huge = tmp_path / "huge.mlir"
    with open(huge, "wb") as f:
        f.truncate((2 << 30) + 1)
    for path, error in [(tmp_path / "missing.mlir", FileNotFoundError),
                        (huge / "x", NotADirectoryError),
                        (tmp_path, IsADirectoryError),
                        (huge, OSError)]:
        result = subprocess.run([tools("potq-opt"), str(path)],
                                stderr=subprocess.PIPE, text=True)
        assert result.returncode == 1
        message = result.stderr.strip()
        assert message.startswith("potq-opt: error: cannot open input file")
        with pytest.raises(error) as raised:
            potq.compile(path)
        assert type(raised.value) is error
        assert str(raised.value) == message[len("potq-opt: error: "):]
    # Bytecode is read like text (the reader does not care).
    bytecode = tmp_path / "layer.mlirbc"
    tool(tools, "potq-opt", LAYER, "--emit-bytecode", "-o", bytecode)
    assert potq.compile(bytecode).mlir == potq.compile(LAYER).mlir
    # "-" is a file here, not stdin; diagnostics name it.
    monkeypatch.chdir(tmp_path)
    with pytest.raises(FileNotFoundError, match="file '-': No such file"):
        potq.compile(pathlib.Path("-"))
    (tmp_path / "-").write_text(LAYER.read_text())
    assert potq.compile(pathlib.Path("-")).entry == "fc_relu"
    (tmp_path / "-").write_text("bogus")
    with pytest.raises(potq.CompileError, match=r"(?m)^\./-:1:1: error"):
        potq.compile(pathlib.Path("-"))


def test_emitters_work_on_a_copy_and_name_what_failed(mlp):
    before = mlp.mlir
    assert "?x784" in before
    # Each call specializes its own copy: the second size is not the first.
    for size in (3, 5, 3):
        assert "#define POTQ_MAIN_IN0_ELEMENTS %d\n" % (size * 784) in \
            mlp.header_text(size)
    assert mlp.object_bytes(3) != mlp.object_bytes(5)
    assert mlp.object_bytes(3) == mlp.object_bytes(3)
    assert mlp.mlir == before
    with pytest.raises(potq.CompileError, match=r"^emitting the C header "
                       r"failed:\n(.|\n)*pass dynamic_dim_size=N"):
        mlp.header_text()
    with pytest.raises(potq.CompileError, match=r"^emitting the object file "
                       r"failed:\n(.|\n)*unknown-cpu"):
        mlp.object_bytes(cpu="unknown-cpu")
