"""Shared pytest fixture: where the potq tools are.

Tests that run potq-opt, potq-run or potq-translate take the `tools`
fixture instead of each finding the binaries its own way. The directory is
$POTQ_TOOLS_DIR (ctest sets it to the build's bin directory), else
build/bin of this checkout. A missing tool fails the test with a message
saying where it was looked for; it is never skipped, so a test run without
the tools cannot pass by testing nothing.
"""

import os
import pathlib

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]


class Tools:
    """`tools.dir`: the tools directory; `tools("potq-opt")`: the path of
    one tool as a str (fails the test when it is not there)."""

    def __init__(self, directory):
        self.dir = pathlib.Path(directory)

    def __call__(self, name):
        path = self.dir / name
        if not path.is_file():
            pytest.fail("%s not found in %s: build it (scripts/build.sh %s) "
                        "or set POTQ_TOOLS_DIR to the directory holding it"
                        % (name, self.dir, name), pytrace=False)
        return str(path)


@pytest.fixture(scope="session")
def tools():
    return Tools(os.environ.get("POTQ_TOOLS_DIR", REPO / "build" / "bin"))
