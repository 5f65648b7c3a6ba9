"""The device and stream API of cmlx.core (python/gen/devices.py, python/src/devices.c) against
mlx.core's: names, reprs, stream indices, contexts, the errors of a build without a GPU, and the
`stream=` argument of ops and array methods. On a machine without a GPU both libraries are
CPU-only, so every answer must be MLX's; on a GPU machine the GPU-specific checks are in
test_devices_gpu.py (MLX is not installed there: the comparisons skip)."""

import importlib
import os
import threading

import numpy as np
import pytest

cx = importlib.import_module(os.environ.get("CMLX_CORE_MODULE", "cmlx.core"))
GPU = cx.is_available(cx.gpu)


def mlx_or_skip():
    mx = pytest.importorskip("mlx.core")
    if GPU or mx.is_available(mx.gpu):
        pytest.skip("compares the answers of two CPU-only builds")
    return mx


def outcome(fn):
    """(repr of the result, None) or (None, (exception type name, message))."""
    try:
        return repr(fn()), None
    except Exception as e:  # noqa: BLE001 - the exception is the answer
        return None, (type(e).__name__, str(e))


@pytest.fixture(autouse=True)
def restore_default_device():
    yield
    cx.set_default_device(cx.cpu)


EXPRESSIONS = [
    "m.cpu", "m.gpu", "m.Device(m.cpu)", "m.Device(m.gpu, 1)", "m.Device(m.cpu) == m.cpu", "m.cpu == m.Device(m.cpu)",
    "m.default_device()", "m.is_available(m.cpu)", "m.is_available(m.gpu)", "m.is_available(m.Device(m.cpu, 1))",
    "m.device_count(m.cpu)", "m.device_count(m.gpu)", "m.cuda.is_available()", "m.metal.is_available()",
    "m.device_info(m.gpu)", "sorted(m.device_info())", "m.device_info(m.cpu) == m.device_info()",
    "m.set_default_device(m.cpu)", "m.set_default_device(m.Device(m.cpu))", "m.synchronize()",
    "m.synchronize(m.cpu)", "m.synchronize(m.Device(m.cpu))", "m.synchronize(m.new_stream(m.cpu))",
    "m.default_stream(m.cpu).device", "m.new_stream(m.cpu).device", "m.stream(m.cpu).__enter__()",
    "m.new_thread_local_stream(m.cpu).device", "m.new_thread_unsafe_stream(m.cpu).device",
    "m.default_stream(m.cpu) == m.default_stream(m.cpu)", "m.new_stream(m.cpu) == m.new_stream(m.cpu)",
    "m.add(1, 2, stream=m.cpu)", "m.add(1, 2, stream=m.Device(m.cpu))", "m.add(1, 2, stream=m.new_stream(m.cpu))",
    "m.add(1, 2, stream=m.new_thread_local_stream(m.cpu))", "m.arange(3).astype(m.float32, stream=m.cpu)",
    "m.arange(6).reshape(2, 3, stream=m.cpu)", "m.arange(6).reshape(2, 3).transpose(1, 0, stream=m.cpu)",
    "m.arange(3).sum(stream=m.cpu)",
    # errors of a build without a GPU backend, and of wrong types
    "m.set_default_device(m.gpu)", "m.default_stream(m.gpu)", "m.new_stream(m.gpu)", "m.synchronize(m.gpu)",
    "m.new_thread_unsafe_stream(m.gpu)", "m.add(1, 2, stream=m.gpu)", "m.add(1, 2, stream=m.Device(m.gpu))",
    "m.arange(3).astype(m.float32, stream=m.gpu)", "m.arange(6).reshape(2, 3, stream=m.gpu)",
    "m.arange(3).sum(stream=m.gpu)", "m.stream(m.gpu).__enter__()", "m.Device('cpu')", "m.Device(m.cpu, 'x')",
    "m.device_count(m.Device(m.cpu))", "m.is_available('gpu')", "m.set_default_stream(m.cpu)",
    "m.add(1, 2, stream='cpu')", "m.add(1, 2, stream=5)", "m.stream('cpu')", "m.default_stream()",
    "m.new_stream()", "m.Stream(0, m.cpu)",
]


@pytest.mark.parametrize("expr", EXPRESSIONS)
def test_follows_mlx(expr):
    mx = mlx_or_skip()
    ours, our_error = outcome(lambda: eval(expr, {"m": cx}))
    theirs, their_error = outcome(lambda: eval(expr, {"m": mx}))
    if their_error is None:
        assert our_error is None, (expr, our_error)
        assert ours == theirs, expr
    else:
        assert our_error is not None, (expr, ours, their_error)
        assert our_error[0] == their_error[0], (expr, our_error, their_error)
        if their_error[0] == "ValueError":  # MLX's messages for a missing GPU backend
            assert our_error[1] == their_error[1], expr


def test_stream_reprs_and_indices_follow_mlx():
    """Indices count up process-wide in creation order; a device's default stream is made when
    first asked for. Compared as differences, since other tests made streams before."""
    mx = mlx_or_skip()

    def sequence(m):
        first = m.new_stream(m.cpu)
        base = int(repr(first).rsplit(", ", 1)[1][:-1])
        out = [repr(first).replace(f", {base})", ", 0)")]
        for s in (m.new_stream(m.cpu), m.new_thread_unsafe_stream(m.cpu), m.new_stream(m.cpu)):
            index = int(repr(s).rsplit(", ", 1)[1][:-1]) - base
            out.append(repr(s).rsplit(", ", 1)[0] + f", {index})")
        return out

    assert sequence(cx) == sequence(mx)
    assert repr(cx.new_thread_local_stream(cx.cpu)).startswith("ThreadLocalStream(Device(cpu, 0), ")


def test_default_streams_are_per_thread_and_set_default_stream_keeps_the_device():
    s = cx.new_stream(cx.cpu)
    before = cx.default_stream(cx.cpu)
    cx.set_default_stream(s)
    assert cx.default_stream(cx.cpu) == s and cx.default_device() == cx.cpu
    seen = []
    thread = threading.Thread(target=lambda: seen.append(cx.default_stream(cx.cpu)))
    thread.start()
    thread.join()
    assert seen[0] != s  # another thread has its own default stream
    cx.clear_streams()
    assert cx.default_stream(cx.cpu) not in (s, before)  # a fresh default stream
    cx.set_default_stream(before)  # as it was, for the tests that follow


def test_stream_context_sets_and_restores_device_and_stream():
    s = cx.new_stream(cx.cpu)
    before = cx.default_stream(cx.cpu)
    with cx.stream(s) as inside:
        assert inside is None  # as MLX's
        assert cx.default_stream(cx.cpu) == s and cx.default_device() == cx.cpu
    assert cx.default_stream(cx.cpu) == before
    with pytest.raises(RuntimeError):
        with cx.stream(cx.cpu):
            raise RuntimeError("inside")
    assert cx.default_device() == cx.cpu and cx.default_stream(cx.cpu) == before


def test_stream_argument_does_not_change_results_or_default():
    a = cx.array(np.arange(12, dtype=np.float32).reshape(3, 4))
    for s in (None, cx.cpu, cx.Device(cx.cpu), cx.default_stream(cx.cpu), cx.new_stream(cx.cpu)):
        np.testing.assert_array_equal(np.array(cx.matmul(a, a.T, stream=s)), np.array(cx.matmul(a, a.T)))
        assert cx.default_device() == cx.cpu
    # an error inside an op with stream= leaves the default device as it was
    with pytest.raises(ValueError):
        cx.add(cx.zeros((2,)), cx.zeros((3,)), stream=cx.cpu)
    assert cx.default_device() == cx.cpu


def test_memory_functions_without_gpu_are_the_host_allocator():
    if GPU:
        pytest.skip("with a GPU the memory functions add the GPU allocator (test_devices_gpu.py)")
    before = cx.get_active_memory()
    a = cx.zeros((1 << 20,))
    cx.eval(a)
    assert cx.get_active_memory() >= before + (4 << 20)
    assert cx.get_memory_limit() > 0
    del a


def test_submodules_are_importable():
    import importlib as il

    assert il.import_module(f"{cx.__name__}.cuda").is_available() == GPU
    assert il.import_module(f"{cx.__name__}.metal").is_available() is False
