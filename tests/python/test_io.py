"""cmlx's mx.load / save / savez / savez_compressed / save_safetensors /
save_gguf against MLX 0.32 and the reference readers and writers: files
cmlx writes load in mlx, safetensors, numpy and gguf; files they write load
in cmlx; values bit-identical. Also MLX's errors, metadata, file objects
and pathlib paths.

Run: PYTHONPATH=python python -m pytest tests/python/test_io.py
"""

import io
import pathlib
import struct

import numpy as np
import pytest

import mlx.core as ref
import cmlx.core as cm

safetensors_numpy = pytest.importorskip("safetensors.numpy")
gguf = pytest.importorskip("gguf")
from gguf import quants  # noqa: E402

ST_DTYPES = ["bool_", "uint8", "uint16", "uint32", "uint64", "int8", "int16", "int32", "int64",
             "float16", "bfloat16", "float32", "complex64"]
NPY_DTYPES = ST_DTYPES + ["float64"]


def sample(mod, dtype, shape=(3, 4)):
    n = int(np.prod(shape))
    x = mod.arange(n).reshape(shape)
    if dtype == "bool_":
        return (x % 3) == 1
    x = x.astype(mod.float32) * 1.25 - 3
    if dtype == "complex64":
        return x.astype(mod.complex64) + 1j * x.astype(mod.complex64)
    if dtype.startswith("uint"):
        x = mod.abs(x)
    return x.astype(getattr(mod, dtype))


def raw(a):
    """Bytes and shape of an array of either library (bfloat16 via uint16 bits)."""
    if a.dtype == type(a.dtype).__class__ and False:
        pass
    name = str(a.dtype).split(".")[-1]
    if name == "bfloat16":
        a = a.view(type(a).__module__ == "cmlx.core" and cm.uint16 or ref.uint16)
    return np.asarray(a).tobytes(), tuple(a.shape), name


def same(a, b):
    assert raw(a) == raw(b)


# ---- safetensors -------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", ST_DTYPES)
def test_safetensors_cmlx_to_mlx(tmp_path, dtype):
    path = str(tmp_path / "a.safetensors")
    cm.save_safetensors(path, {"x": sample(cm, dtype), "s": sample(cm, dtype, ())}, metadata={"k": "v"})
    got, meta = ref.load(path, return_metadata=True)
    assert meta == {"k": "v"}
    same(got["x"], sample(ref, dtype))
    same(got["s"], sample(ref, dtype, ()))


@pytest.mark.parametrize("dtype", ST_DTYPES)
def test_safetensors_mlx_to_cmlx(tmp_path, dtype):
    path = str(tmp_path / "a.safetensors")
    ref.save_safetensors(path, {"x": sample(ref, dtype), "e": ref.zeros((0, 3))}, metadata={"a": "é\n\""})
    got, meta = cm.load(path, return_metadata=True)
    assert meta == {"a": "é\n\""}
    same(got["x"], sample(ref, dtype))
    assert got["e"].shape == (0, 3)


def test_safetensors_interop_with_safetensors_package(tmp_path):
    rng = np.random.default_rng(0)
    arrays = {"w": rng.standard_normal((5, 7)).astype(np.float32), "i": np.arange(9, dtype=np.int64),
              "h": rng.standard_normal(4).astype(np.float16), "b": np.array([True, False])}
    path = str(tmp_path / "np.safetensors")
    safetensors_numpy.save_file(arrays, path, metadata={"format": "np"})
    got, meta = cm.load(path, return_metadata=True)
    assert meta == {"format": "np"}
    for k, v in arrays.items():
        assert np.array_equal(np.array(got[k]), v) and np.array(got[k]).dtype == v.dtype
    out = str(tmp_path / "cm.safetensors")
    cm.save_safetensors(out, {k: cm.array(v) for k, v in arrays.items()})
    back = safetensors_numpy.load_file(out)
    for k, v in arrays.items():
        assert np.array_equal(back[k], v) and back[k].dtype == v.dtype


def test_safetensors_header_matches_mlx_for_one_array(tmp_path):
    a, b = str(tmp_path / "a.safetensors"), str(tmp_path / "b.safetensors")
    cm.save_safetensors(a, {"w": cm.arange(6).reshape(2, 3)}, {"k": "v"})
    ref.save_safetensors(b, {"w": ref.arange(6).reshape(2, 3)}, {"k": "v"})
    da, db = open(a, "rb").read(), open(b, "rb").read()
    ha, hb = struct.unpack("<Q", da[:8])[0], struct.unpack("<Q", db[:8])[0]
    assert da[8:8 + ha].rstrip(b" ") == db[8:8 + hb]  # cmlx pads the header to 8 bytes
    assert da[8 + ha:] == db[8 + hb:]


def test_safetensors_errors_match_mlx(tmp_path):
    with pytest.raises(ValueError):
        ref.save_safetensors(str(tmp_path / "m"), {"a": ref.ones(2)}, metadata={"a": 1})
    with pytest.raises(ValueError):
        cm.save_safetensors(str(tmp_path / "m"), {"a": cm.ones(2)}, metadata={"a": 1})
    for mod in (ref, cm):
        with pytest.raises(RuntimeError):
            mod.save_safetensors(str(tmp_path / "f64"), {"a": mod.ones(2, dtype=mod.float64)})
    safetensors_numpy.save_file({"x": np.arange(3, dtype=np.float64)}, str(tmp_path / "f64.safetensors"))
    for mod in (ref, cm):
        with pytest.raises(RuntimeError):
            mod.load(str(tmp_path / "f64.safetensors"))


def test_safetensors_load_is_lazy_and_survives_the_dict(tmp_path):
    path = str(tmp_path / "lazy.safetensors")
    cm.save_safetensors(path, {"x": cm.arange(1000, dtype=cm.float32)})
    x = cm.load(path)["x"]  # the dict is gone; the mapping lives on in x
    assert float(x.sum()) == float(np.arange(1000, dtype=np.float32).sum())
    y = x + 1  # arrays that alias the mapping are never written
    assert float(x[0]) == 0.0 and float(y[0]) == 1.0


# ---- npy / npz ----------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", NPY_DTYPES)
def test_npy_bytes_identical_to_mlx(tmp_path, dtype):
    for shape, transpose in [((3, 4), False), ((3, 4), True), ((5,), False), ((), False), ((2, 3, 2), False)]:
        a_cm, a_ref = sample(cm, dtype, shape), sample(ref, dtype, shape)
        if transpose:
            a_cm, a_ref = a_cm.T, a_ref.T
        cm.save(str(tmp_path / "c.npy"), a_cm)
        ref.save(str(tmp_path / "r.npy"), a_ref)
        assert open(tmp_path / "c.npy", "rb").read() == open(tmp_path / "r.npy", "rb").read()
        same(cm.load(str(tmp_path / "r.npy")), a_ref)
        same(ref.load(str(tmp_path / "c.npy")), a_ref)


@pytest.mark.parametrize("descr", ["<f4", ">f4", ">i8", "<u2", ">f2", "|b1", "<c8", "|i1", ">u4"])
@pytest.mark.parametrize("fortran", [False, True])
def test_npy_written_by_numpy(tmp_path, descr, fortran):
    x = (np.arange(24).reshape(2, 3, 4) % 7).astype(descr)
    if fortran:
        x = np.asfortranarray(x)
    np.save(tmp_path / "n.npy", x)
    got, want = cm.load(str(tmp_path / "n.npy")), ref.load(str(tmp_path / "n.npy"))
    same(got, want)


def test_npy_unsupported_descr(tmp_path):
    np.save(tmp_path / "u.npy", np.array(["a"]))
    for mod in (ref, cm):
        with pytest.raises(ValueError):
            mod.load(str(tmp_path / "u.npy"))


def test_npy_numpy_reads_cmlx(tmp_path):
    for dtype in ["float32", "int16", "uint64", "complex64", "float16", "float64", "bool_"]:
        a = sample(cm, dtype, (4, 5))
        cm.save(str(tmp_path / "x"), a.T)  # ".npy" appended; Fortran order
        assert np.array_equal(np.load(tmp_path / "x.npy"), np.array(a.T))


@pytest.mark.parametrize("compressed", [False, True])
def test_npz_round_trips(tmp_path, compressed):
    save_cm = cm.savez_compressed if compressed else cm.savez
    save_ref = ref.savez_compressed if compressed else ref.savez
    save_cm(str(tmp_path / "c"), sample(cm, "float32"), w=sample(cm, "int8", (9,)), b=sample(cm, "bfloat16"))
    save_ref(str(tmp_path / "r"), sample(ref, "float32"), w=sample(ref, "int8", (9,)), b=sample(ref, "bfloat16"))
    for path in ("c.npz", "r.npz"):
        got, want = cm.load(str(tmp_path / path)), ref.load(str(tmp_path / path))
        assert sorted(got) == sorted(want) == ["arr_0", "b", "w"]
        for k in want:
            same(got[k], want[k])
    with np.load(tmp_path / "c.npz") as z:
        assert np.array_equal(z["arr_0"], np.array(sample(cm, "float32")))
        assert np.array_equal(z["w"], np.array(sample(cm, "int8", (9,))))
    np_save = np.savez_compressed if compressed else np.savez
    np_save(tmp_path / "n.npz", a=np.arange(5.0), m=np.eye(3, dtype=np.int32).T)
    got = cm.load(str(tmp_path / "n.npz"))
    assert np.array_equal(np.array(got["a"]), np.arange(5.0))
    assert np.array_equal(np.array(got["m"]), np.eye(3, dtype=np.int32))


def test_savez_errors_and_metadata(tmp_path):
    for mod in (ref, cm):
        with pytest.raises(ValueError):
            mod.savez(str(tmp_path / "z"), mod.ones(2), arr_0=mod.ones(3))
        mod.savez(str(tmp_path / "z"), a=mod.ones(2))
        with pytest.raises(ValueError):
            mod.load(str(tmp_path / "z.npz"), return_metadata=True)
        mod.save(str(tmp_path / "y.npy"), mod.ones(2))
        with pytest.raises(ValueError):
            mod.load(str(tmp_path / "y.npy"), return_metadata=True)
        with pytest.raises(TypeError):
            mod.save(str(tmp_path / "l.npy"), [1, 2, 3])


# ---- gguf -----------------------------------------------------------------------------------
def write_gguf_with_package(path, rng):
    w = gguf.GGUFWriter(path, "llama")
    w.add_uint32("u32", 7)
    w.add_int32("i32", -3)
    w.add_float32("f32", 1.5)
    w.add_string("s", "hello")
    w.add_bool("b", True)
    w.add_uint8("u8", 5)
    w.add_int16("i16", -2)
    w.add_array("arr_i", [1, 2, 3])
    w.add_array("arr_s", ["a", "bc"])
    w.add_array("arr_f", [1.5, 2.5])
    x = rng.standard_normal((4, 64)).astype(np.float32)
    for qt in (gguf.GGMLQuantizationType.Q4_0, gguf.GGMLQuantizationType.Q4_1, gguf.GGMLQuantizationType.Q8_0):
        w.add_tensor(f"blk.0.{qt.name}.weight", quants.quantize(x, qt), raw_dtype=qt)
    w.add_tensor("blk.attn_q", quants.quantize(x, gguf.GGMLQuantizationType.Q4_0),
                 raw_dtype=gguf.GGMLQuantizationType.Q4_0)
    w.add_tensor("f16", x.astype(np.float16))
    w.add_tensor("f32", rng.standard_normal((2, 3, 5)).astype(np.float32))
    w.add_tensor("bf", quants.quantize(x, gguf.GGMLQuantizationType.BF16), raw_dtype=gguf.GGMLQuantizationType.BF16)
    w.add_tensor("i32t", np.arange(5, dtype=np.int32))
    w.add_tensor("i8t", np.arange(6, dtype=np.int8).reshape(2, 3))
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()


def test_gguf_written_by_gguf_package_matches_mlx(tmp_path):
    path = str(tmp_path / "q.gguf")
    write_gguf_with_package(path, np.random.default_rng(0))
    got, gmeta = cm.load(path, return_metadata=True)
    want, wmeta = ref.load(path, return_metadata=True)
    assert sorted(got) == sorted(want)
    for k in want:
        same(got[k], want[k])
    assert sorted(gmeta) == sorted(wmeta)
    for k, v in wmeta.items():
        if isinstance(v, (str, list)):
            assert gmeta[k] == v
        else:
            same(gmeta[k], v)


def test_gguf_cmlx_to_mlx_and_package(tmp_path):
    arrays = {"tok.weight": sample(cm, "float32", (6, 4)), "h": sample(cm, "float16", (3, 2, 4)),
              "i": sample(cm, "int32", (5,)), "j": sample(cm, "int8", (2, 3)), "k": sample(cm, "int16", (7,))}
    meta = {"general.name": "tiny", "toks": ["<s>", "x"], "n": cm.array(3), "f": cm.array([1.5, 2.5]),
            "u8": cm.array(3, dtype=cm.uint8), "flag": cm.array(True)}
    path = str(tmp_path / "c.gguf")
    cm.save_gguf(path, arrays, meta)
    got, gmeta = ref.load(path, return_metadata=True)
    for k, v in arrays.items():
        same(got[k], ref.array(np.array(v)))
    assert gmeta["general.name"] == "tiny" and gmeta["toks"] == ["<s>", "x"]
    same(gmeta["f"], ref.array([1.5, 2.5]))
    same(gmeta["u8"], ref.array(3, dtype=ref.uint8))
    r = gguf.GGUFReader(path)
    assert {t.name for t in r.tensors} == set(arrays)
    for t in r.tensors:
        assert np.array_equal(np.asarray(t.data).reshape(arrays[t.name].shape), np.array(arrays[t.name]))
    back, bmeta = cm.load(path, return_metadata=True)
    for k, v in arrays.items():
        same(back[k], v)
    assert bmeta["toks"] == ["<s>", "x"]


def test_gguf_errors_match_mlx(tmp_path):
    for mod in (ref, cm):
        with pytest.raises(RuntimeError):
            mod.save_gguf(str(tmp_path / "b"), {"a": mod.ones(2, dtype=mod.bfloat16)}, {})
        with pytest.raises(RuntimeError):
            mod.save_gguf(str(tmp_path / "b"), {"a": mod.ones(2)}, {"x": mod.ones((2, 2))})
        with pytest.raises(RuntimeError):
            mod.save_gguf(str(tmp_path / "b"), {"a": mod.ones(2)}, {"x": 3})
        with pytest.raises(ValueError):
            mod.save_gguf(io.BytesIO(), {"a": mod.ones(2)}, {})


# ---- files, paths, formats ---------------------------------------------------------------------
def test_paths_file_objects_and_formats(tmp_path):
    cm.save(tmp_path / "p.npy", cm.arange(3))  # pathlib.Path
    same(cm.load(tmp_path / "p.npy"), ref.arange(3))
    for fmt, save in [("npy", lambda f: cm.save(f, cm.arange(4))),
                      ("npz", lambda f: cm.savez(f, a=cm.arange(4))),
                      ("safetensors", lambda f: cm.save_safetensors(f, {"a": cm.arange(4)}))]:
        buf = io.BytesIO()
        save(buf)
        buf.seek(0)
        got = cm.load(buf, format=fmt)
        same(got if fmt == "npy" else got["a"], ref.arange(4))
        buf.seek(0)
        theirs = ref.load(buf, format=fmt)
        same(theirs if fmt == "npy" else theirs["a"], ref.arange(4))
    with open(tmp_path / "f.safetensors", "wb") as f:
        cm.save_safetensors(f, {"a": cm.ones(2)})
    with open(tmp_path / "f.safetensors", "rb") as f:  # format from file.name
        same(cm.load(f)["a"], ref.ones(2))
    for mod in (ref, cm):
        with pytest.raises(ValueError):
            mod.load(str(tmp_path / "p.xyz"))
        with pytest.raises(ValueError):
            mod.load(str(tmp_path / "p.npy"), format="bin")
        with pytest.raises(RuntimeError):
            mod.load(str(tmp_path / "missing.npy"))
        with pytest.raises(AttributeError):
            mod.load(io.BytesIO(b"x"))
    cm.save_safetensors(str(tmp_path / "noext"), {"a": cm.ones(1)})
    cm.save_gguf(str(tmp_path / "noext"), {"a": cm.ones(1)}, {})
    assert (tmp_path / "noext.safetensors").exists() and (tmp_path / "noext.gguf").exists()


def test_corrupt_files_raise(tmp_path):
    good = tmp_path / "g.safetensors"
    cm.save_safetensors(str(good), {"a": cm.arange(10)})
    data = good.read_bytes()
    for i, bad in enumerate([data[:5], data[:20], b"\xff" * 8 + data[8:], data[:-4]]):
        p = tmp_path / f"bad{i}.safetensors"
        p.write_bytes(bad)
        with pytest.raises(RuntimeError, match=f"bad{i}.safetensors"):
            cm.load(str(p))["a"].sum().item()
