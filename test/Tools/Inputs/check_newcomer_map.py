"""Checks README.md's newcomer map against the tools.

Every potq pass, pipeline and translation that `potq-opt --help` and
`potq-translate --help` list must have a row in the map, and every path the
map names must exist. A file name without a folder is taken from the folder
of the path before it in the same cell.

usage: check_newcomer_map.py SOURCE_ROOT OPT_HELP TRANSLATE_HELP
"""
import glob
import os
import re
import sys

OUR_FLAG = re.compile(r"^\s+--((?:potq|convert-potq|convert-qat|export)-[\w-]+)\s")


def tool_flags(help_file):
    with open(help_file) as f:
        return {m.group(1) for m in map(OUR_FLAG.match, f) if m}


def map_rows(readme):
    text = open(readme).read()
    start = text.index("## Newcomer map")
    end = text.index("\n## ", start + 1)
    for line in text[start:end].splitlines():
        if line.startswith("| `--"):
            yield [c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]]


def main(root, opt_help, translate_help):
    errors = []
    mapped = set()
    for cells in map_rows(os.path.join(root, "README.md")):
        mapped |= set(re.findall(r"`--([\w-]+)`", cells[0]))
        for cell in cells[1:]:
            folder = ""
            for path in re.findall(r"`([^`]+)`", cell):
                if "/" not in path:
                    path = os.path.join(folder, path)
                folder = path if path.endswith("/") else os.path.dirname(path)
                if not glob.glob(os.path.join(root, path)):
                    errors.append(f"the map names `{path}`, which does not exist")
    for flag in sorted((tool_flags(opt_help) | tool_flags(translate_help)) - mapped):
        errors.append(f"--{flag} has no row in the map")
    for e in errors:
        print("README.md newcomer map: " + e)
    print(f"checked {len(mapped)} flags: {'FAIL' if errors else 'OK'}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
