"""The GPU through Python (needs cmlx built with CUDA and a CUDA device; skipped otherwise):
ops with stream=mx.gpu give what they give with stream=mx.cpu (a few dozen ops in several
dtypes, matmul, softmax, reductions, fast.*), the GPU really holds the results, default-device
switching, streams and contexts, the gradient of an MLP loss and nn.Linear training steps with
cmlx.optimizers on either device, the memory functions, errors, and the demos on the GPU.

Tolerances: integer, boolean and data-movement results must be equal; float32 results agree
within a few ulps element-wise (rtol 2e-5) plus, for sums, 2e-5 of the largest magnitude (the
GPU sums in another order); float16/bfloat16 matmuls within 1e-2. Run directly
(python3 tests/python/test_devices_gpu.py) it prints SKIP and the reason on a machine without
a GPU."""

import importlib
import os
import subprocess
import sys

import numpy as np
import pytest

cx = importlib.import_module(os.environ.get("CMLX_CORE_MODULE", "cmlx.core"))
GPU = cx.is_available(cx.gpu)
SKIP_REASON = ("no GPU: cmlx.core reports mx.is_available(mx.gpu) == False (built without CUDA, "
               "or no CUDA device/driver on this machine)")
pytestmark = pytest.mark.skipif(not GPU, reason=SKIP_REASON)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
rng = np.random.default_rng(7)
X = rng.standard_normal((64, 96)).astype(np.float32)
Y = rng.standard_normal((64, 96)).astype(np.float32)
POS = (np.abs(X) + 0.1).astype(np.float32)
W = rng.standard_normal((96, 48)).astype(np.float32)
I = rng.integers(-1000, 1000, (32, 40)).astype(np.int32)
J = rng.integers(1, 50, (32, 40)).astype(np.int32)
K = rng.standard_normal((8, 3, 96)).astype(np.float32) * 0.1  # conv1d weight (out, width, in)


@pytest.fixture(autouse=True)
def back_to_cpu():
    yield
    if GPU:
        cx.set_default_device(cx.cpu)


def a(v):
    return cx.array(v)


# (name, f(s) -> array or list of arrays, kind): kind "exact", "f32", "sum" (order-dependent sums), "half"
CASES = [
    *[(op, lambda s, op=op: getattr(cx, op)(a(X), stream=s), "f32")
      for op in ("exp", "sin", "cos", "tanh", "sigmoid", "erf", "abs", "negative", "square", "expm1", "arctan")],
    *[(op, lambda s, op=op: getattr(cx, op)(a(POS), stream=s), "f32") for op in ("log", "sqrt", "rsqrt", "log1p")],
    *[(op, lambda s, op=op: getattr(cx, op)(a(X * 4), stream=s), "exact") for op in ("floor", "ceil", "sign")],
    *[(op, lambda s, op=op: getattr(cx, op)(a(X), a(Y), stream=s), "f32")
      for op in ("add", "subtract", "multiply", "maximum", "minimum", "arctan2", "logaddexp")],
    ("divide", lambda s: cx.divide(a(X), a(POS), stream=s), "f32"),
    ("power", lambda s: cx.power(a(POS), a(Y), stream=s), "f32"),
    ("scalar operand", lambda s: cx.multiply(a(X), 2.5, stream=s), "f32"),
    ("broadcast", lambda s: cx.add(a(X), a(Y[:1]), stream=s), "f32"),
    ("greater", lambda s: cx.greater(a(X), a(Y), stream=s), "exact"),
    ("equal", lambda s: cx.equal(a(X > 0), a(Y > 0), stream=s), "exact"),
    ("where", lambda s: cx.where(a(X > 0), a(X), a(Y), stream=s), "exact"),
    *[(f"int32 {op}", lambda s, op=op: getattr(cx, op)(a(I), a(J), stream=s), "exact")
      for op in ("add", "multiply", "floor_divide", "remainder", "bitwise_and", "maximum")],
    ("astype float16", lambda s: cx.astype(a(X), cx.float16, stream=s), "exact"),
    ("astype bfloat16", lambda s: cx.astype(a(X), cx.bfloat16, stream=s), "exact"),
    ("astype int32", lambda s: cx.astype(a(X * 100), cx.int32, stream=s), "exact"),
    ("transpose copy", lambda s: cx.reshape(cx.transpose(a(X), stream=s), (48, 128), stream=s), "exact"),
    ("strided view", lambda s: cx.exp(a(X)[::2, 1::3], stream=s), "f32"),
    *[(f"sum axis={ax}", lambda s, ax=ax: cx.sum(a(X), axis=ax, stream=s), "sum") for ax in (None, 0, 1)],
    ("sum keepdims", lambda s: cx.sum(a(X), axis=1, keepdims=True, stream=s), "sum"),
    ("mean", lambda s: cx.mean(a(X), axis=0, stream=s), "sum"),
    ("prod", lambda s: cx.prod(a(1 + X / 100), axis=1, stream=s), "sum"),
    ("max", lambda s: cx.max(a(X), axis=1, stream=s), "exact"),
    ("min", lambda s: cx.min(a(X), axis=0, stream=s), "exact"),
    ("argmax", lambda s: cx.argmax(a(X), axis=1, stream=s), "exact"),
    ("argmin", lambda s: cx.argmin(a(X), axis=0, stream=s), "exact"),
    ("logsumexp", lambda s: cx.logsumexp(a(X), axis=-1, stream=s), "sum"),
    ("var", lambda s: cx.var(a(X), axis=1, stream=s), "sum"),
    ("std", lambda s: cx.std(a(X), axis=0, ddof=1, stream=s), "sum"),
    ("all/any", lambda s: [cx.all(a(X > -3), axis=1, stream=s), cx.any(a(X > 2), axis=0, stream=s)], "exact"),
    ("int sum", lambda s: cx.sum(a(I), axis=1, stream=s), "exact"),
    ("softmax", lambda s: cx.softmax(a(X), axis=-1, stream=s), "sum"),
    ("softmax axis 0", lambda s: cx.softmax(a(X), axis=0, stream=s), "sum"),
    ("matmul", lambda s: cx.matmul(a(X), a(W), stream=s), "sum"),
    ("matmul transposed", lambda s: cx.matmul(a(X).T, a(X), stream=s), "sum"),
    ("matmul batched", lambda s: cx.matmul(a(X.reshape(4, 16, 96)), a(W), stream=s), "sum"),
    ("matmul vector", lambda s: cx.matmul(a(X), a(W[:, 0]), stream=s), "sum"),
    ("matmul float16", lambda s: cx.matmul(a(X).astype(cx.float16), a(W).astype(cx.float16), stream=s), "half"),
    ("matmul bfloat16", lambda s: cx.matmul(a(X).astype(cx.bfloat16), a(W).astype(cx.bfloat16), stream=s),
     "half"),
    ("addmm", lambda s: cx.addmm(a(Y[:, :48]), a(X), a(W), alpha=0.5, beta=2.0, stream=s), "sum"),
    ("cumsum", lambda s: cx.cumsum(a(X), axis=1, stream=s), "sum"),
    ("sort", lambda s: cx.sort(a(X), axis=-1, stream=s), "exact"),
    ("argsort", lambda s: cx.argsort(a(X), axis=0, stream=s), "exact"),
    ("take", lambda s: cx.take(a(X), a(np.array([3, 0, 63, 5], np.int32)), axis=0, stream=s), "exact"),
    ("take_along_axis", lambda s: cx.take_along_axis(a(X), cx.argmax(a(X), axis=1, keepdims=True), axis=1,
                                                     stream=s), "exact"),
    ("concatenate", lambda s: cx.concatenate([a(X), a(Y)], axis=1, stream=s), "exact"),
    ("stack", lambda s: cx.stack([a(X), a(Y)], stream=s), "exact"),
    ("pad", lambda s: cx.pad(a(X), [(1, 2), (0, 3)], stream=s), "exact"),
    ("layer_norm", lambda s: cx.fast.layer_norm(a(X), a(Y[0]), a(W[:, 0]), 1e-5, stream=s), "sum"),
    ("rms_norm", lambda s: cx.fast.rms_norm(a(X), a(Y[0]), 1e-5, stream=s), "sum"),
    ("rope", lambda s: cx.fast.rope(a(X.reshape(1, 4, 16, 96)), 96, traditional=False, base=10000.0, scale=1.0,
                                    offset=0, stream=s), "f32"),
    ("sdpa causal", lambda s: cx.fast.scaled_dot_product_attention(
        a(X.reshape(1, 4, 16, 96)), a(Y.reshape(1, 4, 16, 96)), a(X.reshape(1, 4, 16, 96)[:, ::-1]), scale=0.1,
        mask="causal", stream=s), "sum"),
    ("conv1d", lambda s: cx.conv1d(a(X.reshape(4, 16, 96)), a(K), padding=1, stream=s), "sum"),
    ("random.normal", lambda s: cx.random.normal((8, 5), key=cx.random.key(3), stream=s), "exact"),
    ("random.uniform", lambda s: cx.random.uniform(shape=(7,), key=cx.random.key(4), stream=s), "exact"),
]


def as_numpy(out):
    outs = out if isinstance(out, (list, tuple)) else [out]
    return [np.array(o.astype(cx.float32) if o.dtype in (cx.float16, cx.bfloat16) else o) for o in outs]


def assert_close(gpu, cpu, kind, name):
    assert gpu.shape == cpu.shape and gpu.dtype == cpu.dtype, name
    if kind == "exact" or cpu.dtype.kind in "biu":
        np.testing.assert_array_equal(gpu, cpu, err_msg=name)
        return
    scale = max(1.0, float(np.abs(cpu).max()))
    rtol, atol = {"f32": (2e-5, 1e-7), "sum": (2e-5, 2e-5 * scale), "half": (1e-2, 1e-2 * scale)}[kind]
    np.testing.assert_allclose(gpu, cpu, rtol=rtol, atol=atol, err_msg=name)


@pytest.mark.parametrize("name,fn,kind", CASES, ids=[c[0] for c in CASES])
def test_op_gpu_matches_cpu(name, fn, kind):
    gpu = fn(cx.gpu)
    cx.eval(gpu)
    assert cx.default_device() == cx.cpu  # stream= restores the default device
    for g, c in zip(as_numpy(gpu), as_numpy(fn(cx.cpu))):
        assert_close(g, c, kind, name)


def gpu_active():
    return cx._device_gpu_memory()["active"]


def test_results_live_on_the_gpu():
    x = a(rng.standard_normal((1 << 20,)).astype(np.float32))
    cx.eval(x)
    before = gpu_active()
    y = cx.exp(x, stream=cx.gpu)
    cx.eval(y)
    assert gpu_active() >= before + 4 * (1 << 20)  # the output is a device buffer
    z = cx.exp(x, stream=cx.cpu)
    cx.eval(z)
    np.testing.assert_allclose(np.array(y), np.array(z), rtol=2e-5)
    assert cx.get_active_memory() >= gpu_active()  # the memory functions count the GPU too
    del y


def test_default_device_switching():
    cx.set_default_device(cx.gpu)
    assert cx.default_device() == cx.Device(cx.gpu, 0) and repr(cx.default_device()) == "Device(gpu, 0)"
    before = gpu_active()
    h = cx.tanh(cx.matmul(a(X), a(W)))
    cx.eval(h)
    assert gpu_active() > before
    cx.set_default_device(cx.cpu)
    assert cx.default_device() == cx.cpu
    np.testing.assert_allclose(np.array(h), np.array(cx.tanh(cx.matmul(a(X), a(W)))), rtol=1e-4, atol=1e-5)
    # a GPU array feeds CPU ops (the data comes back) and converts to Python
    assert h.shape == (64, 48) and isinstance(h[0, 0].item(), float) and len(h.tolist()) == 64


def test_device_api_with_a_gpu():
    assert cx.is_available(cx.gpu) and cx.device_count(cx.gpu) == 1 and cx.cuda.is_available()
    name = cx.device_info(cx.gpu)["device_name"]
    assert isinstance(name, str) and name
    s = cx.default_stream(cx.gpu)
    assert repr(s).startswith("Stream(Device(gpu, 0), ") and s.device == cx.gpu
    t = cx.new_stream(cx.gpu)
    assert t != s and t.device == cx.Device(cx.gpu)
    np.testing.assert_array_equal(np.array(cx.add(a(I), a(J), stream=t)), I + J)
    cx.synchronize(t)
    cx.synchronize(cx.gpu)
    cx.synchronize()
    with cx.stream(t):
        assert cx.default_device() == cx.gpu and cx.default_stream(cx.gpu) == t
        r = cx.sum(a(I))
    assert cx.default_device() == cx.cpu and cx.default_stream(cx.gpu) == s
    assert r.item() == int(I.sum())
    cx.set_default_stream(t)
    assert cx.default_stream(cx.gpu) == t and cx.default_device() == cx.cpu  # the device does not change
    cx.set_default_stream(s)


def test_errors_with_a_gpu():
    with pytest.raises(ValueError, match="gpu device 1"):
        cx.set_default_device(cx.Device(cx.gpu, 1))
    with pytest.raises(ValueError, match="gpu device 1"):
        cx.add(1, 2, stream=cx.Device(cx.gpu, 1))
    assert cx.default_device() == cx.cpu
    with pytest.raises(ValueError):  # an op's own error: the default device comes back all the same
        cx.add(cx.zeros((2,)), cx.zeros((3,)), stream=cx.gpu)
    assert cx.default_device() == cx.cpu
    with pytest.raises(KeyError):
        with cx.stream(cx.gpu):
            assert cx.default_device() == cx.gpu
            raise KeyError("inside")
    assert cx.default_device() == cx.cpu
    with pytest.raises(TypeError):
        cx.add(1, 2, stream="gpu")


def on(device, fn):
    cx.set_default_device(device)
    try:
        out = fn()
        cx.eval(out)
    finally:
        cx.set_default_device(cx.cpu)
    return out


def test_grad_of_an_mlp_loss():
    x = rng.standard_normal((32, 20)).astype(np.float32)
    labels = rng.integers(0, 10, 32).astype(np.int32)
    params = {"w1": rng.standard_normal((20, 64)).astype(np.float32) * 0.2, "b1": np.zeros(64, np.float32),
              "w2": rng.standard_normal((64, 10)).astype(np.float32) * 0.2}

    def loss(p, x, labels):
        h = cx.maximum(cx.matmul(x, p["w1"]) + p["b1"], 0)
        logits = cx.matmul(h, p["w2"])
        return cx.mean(cx.logsumexp(logits, axis=-1) - cx.take_along_axis(logits, labels[:, None], axis=-1)[:, 0])

    def run():
        value, grads = cx.value_and_grad(loss)({k: a(v) for k, v in params.items()}, a(x), a(labels))
        return [value, grads["w1"], grads["b1"], grads["w2"]]

    for g, c in zip(on(cx.gpu, run), on(cx.cpu, run)):
        np.testing.assert_allclose(np.array(g), np.array(c), rtol=1e-4, atol=1e-6)


def test_linear_training_steps_with_optimizers():
    nn = importlib.import_module("cmlx.nn")
    optim = importlib.import_module("cmlx.optimizers")
    from cmlx.utils import tree_flatten

    x = rng.standard_normal((64, 16)).astype(np.float32)
    y = rng.integers(0, 4, 64).astype(np.int32)

    def train():
        cx.random.seed(11)  # same initial parameters on both devices (the same random bits)
        model = nn.Sequential(nn.Linear(16, 32), nn.ReLU(), nn.Linear(32, 4))
        optimizer = optim.AdamW(learning_rate=1e-2, weight_decay=0.01)
        step = nn.value_and_grad(model, lambda m, x, y: nn.losses.cross_entropy(m(x), y, reduction="mean"))
        losses = []
        for _ in range(4):
            loss, grads = step(model, a(x), a(y))
            grads, _ = optim.clip_grad_norm(grads, 1.0)
            optimizer.update(model, grads)
            cx.eval(model.parameters(), optimizer.state, loss)
            losses.append(loss)
        return losses + [v for _, v in tree_flatten(model.parameters())]

    gpu, cpu = on(cx.gpu, train), on(cx.cpu, train)
    assert np.array(gpu[3]) < np.array(gpu[0])  # it learns
    for g, c in zip(gpu, cpu):
        np.testing.assert_allclose(np.array(g), np.array(c), rtol=1e-4, atol=1e-5)


def test_memory_functions_with_a_gpu():
    old = cx.set_memory_limit(1 << 34)
    assert cx.get_memory_limit() == 1 << 34
    assert cx.set_memory_limit(old) == 1 << 34 and cx.get_memory_limit() == old
    cx.reset_peak_memory()
    big = cx.exp(a(np.ones((1 << 22,), np.float32)), stream=cx.gpu)
    cx.eval(big)
    assert cx.get_peak_memory() >= 16 << 20 and cx.get_active_memory() >= 16 << 20
    del big
    assert cx.get_cache_memory() >= 0
    cx.clear_cache()
    assert cx._device_gpu_memory()["cache"] == 0


DEMO = os.path.join(os.environ.get("CMLX_BUILD", os.path.join(ROOT, "build")), "examples", "demo")
SMALL = ["--steps", "6", "--layers", "2", "--dims", "32", "--heads", "2", "--context", "32", "--batch", "16",
         "--sample-chars", "40", "--quiet"]
# a text file for machines without Debian's fortunes (the demos' --data)
DATA = ["--data", os.environ["CMLX_DEMO_DATA"]] if os.environ.get("CMLX_DEMO_DATA") else []


def run_demo(tmp_path, device):
    if not os.path.exists(DEMO):
        pytest.skip(f"{DEMO} is not built")
    losses = tmp_path / f"{device}.txt"
    proc = subprocess.run([DEMO, *SMALL, *DATA, "--device", device, "--out", str(tmp_path / f"{device}.safetensors"),
                           "--losses", str(losses)], capture_output=True, text=True, errors="replace", timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout, [float.fromhex(line.split()[1]) for line in losses.read_text().splitlines()]


def test_c_demo_on_the_gpu(tmp_path):
    out, gpu = run_demo(tmp_path, "gpu")
    assert f"device: GPU, {cx.device_info(cx.gpu)['device_name']}" in out
    assert "identical bit for bit" in out and "step time: median" in out
    _, cpu = run_demo(tmp_path, "cpu")
    np.testing.assert_allclose(gpu, cpu, rtol=2e-3)  # the same training, up to float32 rounding


def test_python_demo_on_the_gpu(tmp_path):
    env = dict(os.environ, PYTHONPATH=os.path.join(ROOT, "python") + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.run([sys.executable, os.path.join(ROOT, "examples", "python", "gpt_demo.py"), *DATA,
                           "--device", "gpu",
                           "--quiet", "--steps", "5", "--layers", "1", "--dims", "32", "--heads", "2", "--context",
                           "16", "--batch", "8", "--sample-chars", "20", "--out", str(tmp_path / "py.safetensors")],
                          capture_output=True, text=True, errors="replace", timeout=600, env=env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "on Device(gpu, 0)" in proc.stdout and "(identical)" in proc.stdout


if __name__ == "__main__":
    if not GPU:
        print(f"SKIP: {SKIP_REASON}")
        sys.exit(0)
    sys.exit(pytest.main([__file__, "-q", "-p", "no:cacheprovider"]))
