"""The README's Python snippet runs as written (with `images` supplied)."""

import os
import pathlib
import re

import numpy as np

README = pathlib.Path(__file__).resolve().parents[2] / "README.md"


def readme_snippet():
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(), re.S)
    assert len(blocks) == 1, "expected one ```python block in README.md"
    return blocks[0]


def test_readme_snippet_runs(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    images = np.random.default_rng(0).random((3, 1, 28, 28), np.float32)
    scope = {"images": images}
    exec(compile(readme_snippet(), str(README), "exec"), scope)
    assert scope["logits"].shape == (3, 10)
    assert scope["logits"].dtype == np.float32
    assert os.path.getsize("net.o") > 0
    assert "net.h" in os.listdir(".")
