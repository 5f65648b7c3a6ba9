"""The main job, examples/demo.c (make demo), in a short run with small sizes: it finishes,
the loss drops, it writes a safetensors checkpoint that reloads bit for bit and a PNG loss curve,
and the same seed gives the same losses bit for bit. The Python version of the model,
examples/python/gpt_demo.py, runs with mlx (and with cmlx when cmlx.nn exists)."""

import importlib.util
import os
import struct
import subprocess
import sys
import zlib

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.environ.get("CMLX_BUILD", os.path.join(ROOT, "build"))
DEMO = os.path.join(BUILD, "examples", "demo")
SMALL = ["--steps", "20", "--layers", "2", "--dims", "32", "--heads", "2", "--context", "32", "--batch", "16",
         "--sample-chars", "80", "--device", "cpu"]  # the GPU run: test_devices_gpu.py


def run_demo(tmp_path, name, *extra):
    if not os.path.exists(DEMO):
        pytest.skip(f"{DEMO} is not built (make build)")
    out = tmp_path / f"{name}.safetensors"
    losses = tmp_path / f"{name}_losses.txt"
    proc = subprocess.run([DEMO, *SMALL, "--out", str(out), "--losses", str(losses), *extra], capture_output=True,
                          text=True, errors="replace", timeout=600)
    assert proc.returncode == 0, f"demo failed:\n{proc.stdout}\n{proc.stderr}"
    values = [line.split() for line in losses.read_text().splitlines()]
    return proc.stdout, out, [float.fromhex(v[1]) for v in values]


def read_png(path):
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, chunks = 8, {}
    while pos < len(data):
        (size,) = struct.unpack(">I", data[pos:pos + 4])
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + size]
        (crc,) = struct.unpack(">I", data[pos + 8 + size:pos + 12 + size])
        assert zlib.crc32(kind + body) == crc, kind
        chunks[kind] = chunks.get(kind, b"") + body
        pos += 12 + size
    width, height, depth, color = struct.unpack(">IIBB", chunks[b"IHDR"][:10])
    pixels = zlib.decompress(chunks[b"IDAT"])
    assert (depth, color) == (8, 2) and len(pixels) == (width * 3 + 1) * height
    return width, height, pixels


def test_demo_short_run(tmp_path):
    stdout, ckpt, losses = run_demo(tmp_path, "a", "--quiet")
    assert len(losses) == 20
    assert sum(losses[-5:]) / 5 < losses[0] - 0.5, losses  # it learns (ln 114 = 4.7 at first)
    assert "device: CPU" in stdout
    assert "identical bit for bit" in stdout
    assert ckpt.exists()
    # the checkpoint holds MLX's names and shapes (safetensors header)
    raw = ckpt.read_bytes()
    (header_size,) = struct.unpack("<Q", raw[:8])
    header = raw[8:8 + header_size].decode()
    for name in ("embedding.weight", "layers.1.attention.qkv.weight", "layers.0.fc1.bias", "norm.weight",
                 "head.weight"):
        assert f'"{name}"' in header
    png = tmp_path / "a_loss.png"
    assert f"loss curve: {png}" in stdout
    width, height, pixels = read_png(png)
    assert width > 100 and height > 100
    assert len(set(pixels)) > 3  # something is drawn
    assert "sample (temperature" in stdout


def test_demo_reload_with_mlx(tmp_path):
    """The checkpoint loads in MLX with the parameters the demo trained (bit for bit, through safetensors)."""
    mx = pytest.importorskip("mlx.core")
    _, ckpt, _ = run_demo(tmp_path, "m", "--quiet", "--steps", "3")
    arrays = mx.load(str(ckpt))
    assert arrays["embedding.weight"].shape[1] == 32
    assert arrays["layers.0.attention.qkv.weight"].shape == (96, 32)
    assert arrays["layers.1.fc2.weight"].shape == (32, 128)


def test_demo_deterministic(tmp_path):
    _, ckpt1, losses1 = run_demo(tmp_path, "r1", "--quiet", "--seed", "7")
    _, ckpt2, losses2 = run_demo(tmp_path, "r2", "--quiet", "--seed", "7")
    assert losses1 == losses2  # float.fromhex of %a: bitwise
    assert ckpt1.read_bytes() == ckpt2.read_bytes()
    _, _, losses3 = run_demo(tmp_path, "r3", "--quiet", "--seed", "8")
    assert losses3 != losses1


def test_demo_own_data(tmp_path):
    text = tmp_path / "text.txt"
    text.write_text("the quick brown fox jumps over the lazy dog.\n%\n" * 200)
    stdout, _, losses = run_demo(tmp_path, "d", "--quiet", "--data", str(text))
    assert f"data: {text}" in stdout
    assert losses[-1] < losses[0]


def test_demo_bad_option():
    if not os.path.exists(DEMO):
        pytest.skip(f"{DEMO} is not built (make build)")
    proc = subprocess.run([DEMO, "--dims", "30", "--heads", "4"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and "bad option" in proc.stderr


def test_demo_device_option():
    if not os.path.exists(DEMO):
        pytest.skip(f"{DEMO} is not built (make build)")
    proc = subprocess.run([DEMO, "--device", "tpu"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and "--device cpu|gpu" in proc.stderr
    gpu = subprocess.run([DEMO, *SMALL[:-2], "--device", "gpu", "--steps", "1", "--sample-chars", "0", "--quiet"],
                         capture_output=True, text=True, timeout=600)
    if gpu.returncode == 2:  # no GPU here: MLX's error, and nothing ran
        assert "Cannot set gpu device without gpu backend" in gpu.stderr and gpu.stdout == ""
    else:
        assert gpu.returncode == 0 and "device: GPU, " in gpu.stdout, gpu.stdout + gpu.stderr


SCRIPT = os.path.join(ROOT, "examples", "python", "gpt_demo.py")


@pytest.mark.parametrize("backend", ["mlx", "cmlx"])
def test_python_gpt_demo(tmp_path, backend):
    if importlib.util.find_spec(f"{backend}.nn") is None or importlib.util.find_spec(
            f"{backend}.optimizers") is None:
        pytest.skip(f"{backend}.nn / {backend}.optimizers are not available")
    env = dict(os.environ, PYTHONPATH=os.path.join(ROOT, "python") + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.run([sys.executable, SCRIPT, "--backend", backend, "--quiet", "--steps", "8", "--layers", "1",
                           "--dims", "32", "--heads", "2", "--context", "16", "--batch", "8", "--sample-chars", "20",
                           "--out", str(tmp_path / "py.safetensors")], capture_output=True, text=True, errors="replace",
                          timeout=600, env=env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "(identical)" in proc.stdout
    assert (tmp_path / "py.safetensors").exists()


@pytest.mark.parametrize("backend", ["mlx", "cmlx"])
def test_python_loads_c_checkpoint(tmp_path, backend):
    """The C demo's checkpoint loads into the Python model (same names and shapes, strict
    load_weights), and the trained weights predict better than chance from the first step."""
    if importlib.util.find_spec(f"{backend}.nn") is None:
        pytest.skip(f"{backend}.nn is not available")
    _, ckpt, c_losses = run_demo(tmp_path, "c", "--quiet", "--steps", "40")
    sizes = ["--layers", "2", "--dims", "32", "--heads", "2", "--context", "32", "--batch", "16"]
    env = dict(os.environ, PYTHONPATH=os.path.join(ROOT, "python") + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.run([sys.executable, SCRIPT, "--backend", backend, "--quiet", "--steps", "1", *sizes,
                           "--init", str(ckpt), "--sample-chars", "0", "--out", str(tmp_path / "p.safetensors")],
                          capture_output=True, text=True, errors="replace", timeout=600, env=env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    first = float(proc.stdout.split("loss ")[1].split()[0])
    assert first < c_losses[0] - 1.0, (first, c_losses[:3])  # untrained: ~ln(114) = 4.7
