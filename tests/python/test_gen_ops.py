"""The generator itself: a function added to the C headers reaches Python with
no glue (default signature, binary operands, axis variants), and a spec that
disagrees with the headers fails the build with a message naming the function."""
import os
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "python", "gen"))
import gen_ops  # noqa: E402
import ops_spec  # noqa: E402


@pytest.fixture
def extra_header(tmp_path, monkeypatch):
    """gen_ops with one more header, include/cmlx/ops.h's conventions."""
    path = tmp_path / "new_ops.h"

    def write(text):
        path.write_text(text)
        monkeypatch.setattr(gen_ops, "HEADERS", gen_ops.HEADERS + [str(path)])
        real = gen_ops.funcs_in

        def funcs_in(p):  # the new header counts as part of ops.h
            names = real(p)
            return names + real(str(path)) if p.endswith("include/cmlx/ops.h") else names

        monkeypatch.setattr(gen_ops, "funcs_in", funcs_in)

    return write


def test_new_c_ops_appear_without_glue(extra_header):
    extra_header("MX_API mx_array mx_hypot(mx_array a, mx_array b);\n"
                 "MX_API mx_array mx_cumrange(mx_array a, bool keepdims);\n"
                 "MX_API mx_array mx_cumrange_axis(mx_array a, int axis, bool keepdims);\n")
    text = gen_ops.emit_file(gen_ops.generate())
    assert "py_core_hypot(" in text and "cmlx_binary_operands(argv[0], argv[1], &v_a, &v_b)" in text
    assert '"hypot($module, a, b, /, *, stream=None)' in text
    cumrange = text[text.index("py_core_cumrange("):]
    assert "mx_cumrange(v_a, v_keepdims)" in cumrange and "mx_cumrange_axis(v_a, v_axis.v[0], v_keepdims)" in cumrange
    assert '{"hypot", (PyCFunction)' in text and '{"cumrange", (PyCFunction)' in text


def test_spec_and_header_mismatch_fails(monkeypatch):
    monkeypatch.setattr(ops_spec, "OPS", ops_spec.OPS + [ops_spec.Op("sum2(a, /, bogus=1)", c="mx_sum")])
    with pytest.raises(gen_ops.GenError, match="bogus"):
        gen_ops.generate()


def test_unreachable_c_function_fails(extra_header):
    extra_header("MX_API mx_status mx_weird(mx_array a, mx_array *out);\n")
    with pytest.raises(gen_ops.GenError, match="mx_weird"):
        gen_ops.generate()


def test_generated_file_is_written(tmp_path):
    out = tmp_path / "ops.c"
    assert gen_ops.main(["gen_ops.py", str(out)]) == 0
    text = out.read_text()
    assert "int cmlx_init_ops(PyObject *module)" in text and not (tmp_path / "ops.c.tmp").exists()
