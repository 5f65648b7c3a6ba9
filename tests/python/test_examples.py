"""The MLX-style programs of examples/python run unchanged with cmlx.core and
mlx.core (only the module differs) and print the same results, numbers
within 1e-3 relative (float32 sums over thousands of terms in another order)."""

import os
import re
import subprocess
import sys

import pytest

from conftest import CM, UNAVAILABLE

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXAMPLES = os.path.join(ROOT, "examples", "python")
# gpt_demo.py trains a model (its own test: test_gpt_demo.py; gpt_model.py is its model, a module), the
# others print comparable numbers
PROGRAMS = sorted(f for f in os.listdir(EXAMPLES)
                  if f.endswith(".py") and not f.startswith("_") and f not in ("gpt_demo.py", "gpt_model.py"))
NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")


def run(program, module):
    out = subprocess.run([sys.executable, os.path.join(EXAMPLES, program), module], capture_output=True,
                         text=True, timeout=300)
    assert out.returncode == 0, f"{program} with {module} failed:\n{out.stderr}"
    return out.stdout.replace("cmlx.core.", "mlx.core.")


def test_examples_exist():
    assert len(PROGRAMS) >= 3


@pytest.mark.parametrize("program", PROGRAMS)
def test_example_matches_mlx(program):
    if CM is None:
        pytest.skip(UNAVAILABLE)
    ref, got = run(program, "mlx.core"), run(program, CM.__name__)
    ref_lines, got_lines = ref.splitlines(), got.splitlines()
    assert len(ref_lines) == len(got_lines), f"{program}: MLX printed\n{ref}\ncmlx printed\n{got}"
    for r, g in zip(ref_lines, got_lines):
        assert NUMBER.sub("#", r) == NUMBER.sub("#", g), f"{program}: {g!r} != {r!r}"
        for a, b in zip(NUMBER.findall(g), NUMBER.findall(r)):
            assert abs(float(a) - float(b)) <= 1e-4 + 1e-3 * abs(float(b)), f"{program}: {g!r} vs MLX {r!r}"
