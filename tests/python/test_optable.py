"""The op table covers the whole public C API: every function declared in
include/cmlx/ops.h, random.h and the headers of optable.AREAS is exercised by an entry of
optable.OPS (its c_names) or listed as having no MLX Python counterpart.
Needs neither cmlx nor MLX to be importable."""

import os
import re

from optable import AREAS, NO_MLX_PYTHON_NAME, OPS

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DECL = re.compile(r"^MX_API\s+[\w\s\*]+?\b(mx_\w+)\s*\(", re.M)


def c_functions():
    names = []
    for header in ("ops.h", "random.h", *(f"{area}.h" for area in AREAS)):
        with open(os.path.join(ROOT, "include", "cmlx", header)) as f:
            names += DECL.findall(f.read())
    return names


def test_headers_parse():
    names = c_functions()
    assert "mx_add" in names and "mx_random_normal" in names and len(names) > 100


def test_every_c_function_is_in_the_table():
    covered = set(re.findall(r"mx_\w+", " ".join(o.c_names for o in OPS))) | set(NO_MLX_PYTHON_NAME)
    missing = [n for n in c_functions() if n not in covered]
    assert not missing, f"C functions with no entry in tests/python/optable.py: {missing}"


def test_table_names_are_unique():
    names = [o.name for o in OPS]
    assert len(names) == len(set(names))
