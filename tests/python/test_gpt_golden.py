"""The golden test of the demo's GPT at the Python level: the model classes of
examples/python/gpt_demo.py (Attention, Block, GPT, loss_fn, from examples/python/gpt_model.py,
which the script imports, so the test runs that very code) with --backend cmlx's modules (cmlx.core, cmlx.nn, cmlx.optimizers), against
the MLX fixture of tests/c/test_gpt_golden.c (tests/c/data/gpt_golden.safetensors, written by
tests/gen/gen_gpt_fixture.py): the initial parameters from the seed, the logits, the loss, every
gradient, 10 training steps with the demo's optimizer (each step's loss, the final parameters).
The same test with the mlx backend checks the harness itself. Tolerances: those of
tests/c/test_gpt_golden.c, which justifies them."""

import importlib
import json
import os
import struct
import sys

import numpy as np
import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCRIPT = os.path.join(ROOT, "examples", "python", "gpt_demo.py")
FIXTURE = os.path.join(ROOT, "tests", "c", "data", "gpt_golden.safetensors")

FORWARD_TOL = 1e-5  # rtol, and atol as a fraction of the tensor's largest magnitude
GRAD_TOL = 1e-5
STEP_LOSS_RTOL = 1e-5
FINAL_RTOL, FINAL_LR_FRACTION = 1e-4, 1e-3


def modules(backend):
    names = [f"{backend}.core", f"{backend}.nn", f"{backend}.optimizers", f"{backend}.utils"]
    try:
        return [importlib.import_module(n) for n in names]
    except ImportError as e:
        pytest.skip(f"{backend} is not available: {e}")


def demo_model(mx, nn):
    """gpt_demo.py's model classes and loss (examples/python/gpt_model.py), over the given modules."""
    sys.path.insert(0, os.path.dirname(SCRIPT))
    from gpt_model import model_classes
    return model_classes(mx, nn)


def fixture_metadata():
    with open(FIXTURE, "rb") as f:
        (size,) = struct.unpack("<Q", f.read(8))
        return json.loads(f.read(size))["__metadata__"]


def check_close(name, got, want, rtol, scale_tol=0.0, atol=0.0):
    got, want = np.asarray(got, dtype=np.float64), np.asarray(want, dtype=np.float64)
    assert got.shape == want.shape, f"{name}: shape {got.shape}, MLX {want.shape}"
    allowed = atol + rtol * np.abs(want) + scale_tol * (np.abs(want).max() if want.size else 0.0)
    bad = ~(np.abs(got - want) <= allowed)
    assert not bad.any(), (f"{name}: {bad.sum()} of {want.size} elements differ; first at "
                           f"{np.argwhere(bad)[0].tolist()}: {got[bad][0]!r}, MLX {want[bad][0]!r}")


@pytest.mark.parametrize("backend", ["cmlx", "mlx"])
def test_gpt_golden(backend):
    mx, nn, optim, utils = modules(backend)
    GPT, loss_fn = demo_model(mx, nn)
    config = json.loads(fixture_metadata()["config"])
    fx = mx.load(FIXTURE)

    # the initial parameters from the seed, exactly (random bits are MLX's)
    mx.random.seed(config["seed"])
    model = GPT(config["vocab"], config["dims"], config["heads"], config["layers"])
    params = dict(utils.tree_flatten(model.parameters()))
    assert sorted(params) == sorted(k[len("init."):] for k in fx if k.startswith("init."))
    for name, value in params.items():
        assert np.array_equal(np.asarray(value), np.asarray(fx[f"init.{name}"])), name
    model.load_weights([(name, fx[f"init.{name}"]) for name in params])

    # forward, loss, gradients (nn.value_and_grad, as gpt_demo.py trains)
    check_close("logits", model(fx["x"]), fx["logits"], FORWARD_TOL, FORWARD_TOL)
    loss_and_grad = nn.value_and_grad(model, loss_fn)
    loss, grads = loss_and_grad(model, fx["x"], fx["y"])
    check_close("loss", loss, fx["loss"], FORWARD_TOL)
    grads = dict(utils.tree_flatten(grads))
    assert sorted(grads) == sorted(params)
    for name, g in grads.items():
        check_close(f"grad.{name}", g, fx[f"grad.{name}"], GRAD_TOL, GRAD_TOL)

    # the training steps, with gpt_demo.py's optimizer
    steps, warmup, lr = config["steps"], config["warmup"], config["lr"]
    schedule = optim.join_schedules([optim.linear_schedule(0.0, lr, warmup),
                                     optim.cosine_decay(lr, max(1, steps - warmup), lr / 10)], [warmup])
    optimizer = optim.AdamW(learning_rate=schedule, weight_decay=0.01)
    losses = []
    for step in range(steps):
        loss, grads = loss_and_grad(model, fx["steps.x"][step], fx["steps.y"][step])
        grads, _ = optim.clip_grad_norm(grads, 1.0)
        optimizer.update(model, grads)
        mx.eval(model.parameters(), optimizer.state, loss)
        losses.append(loss.item())
    check_close("steps.loss", losses, fx["steps.loss"], STEP_LOSS_RTOL)
    atol = FINAL_LR_FRACTION * float(np.asarray(fx["steps.lr"], dtype=np.float64).sum())
    final = dict(utils.tree_flatten(model.parameters()))
    assert sorted(final) == sorted(params)
    for name, value in final.items():
        check_close(f"final.{name}", value, fx[f"final.{name}"], FINAL_RTOL, atol=atol)
