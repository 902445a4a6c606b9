# -*- Python -*-
# lit configuration for the potq test suite.

import os

import lit.formats
from lit.llvm import llvm_config

config.name = "POTQ"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.potq_obj_root, "test")
config.excludes = ["CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py", "Inputs"]

llvm_config.use_default_substitutions()
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
llvm_config.add_tool_substitutions(["potq-opt", "potq-run"], [config.potq_tools_dir])
config.substitutions.append(("%python", "/usr/bin/python3"))
config.substitutions.append(("%potq_tools", config.potq_tools_dir))
