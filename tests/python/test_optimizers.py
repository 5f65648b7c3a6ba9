"""cmlx.optimizers against mlx.optimizers: each optimizer (with its options) is
stepped several times on the same model and gradients in both libraries; the
parameters and the whole optimizer state (tree names, step, learning rate,
moments) must agree. Schedules, clip_grad_norm, MultiOptimizer, state
save/restore; then MLX-style training scripts (an MLP, a tiny GPT) run
unchanged against both libraries and must reach the same losses.

Tolerances: float32, the same formulas evaluated in the same order; the
remaining differences are ulp-level (sqrt/rsqrt/pow and summation order in
the gradients), which compound over steps: rtol 1e-4 / atol 1e-5 after 5 steps.
"""
import importlib
import math

import numpy as np
import pytest

import cmlx.core as cm
import cmlx.nn as cnn
import cmlx.optimizers as copt
import mlx.core as ref
import mlx.nn as rnn
import mlx.optimizers as ropt
from nnref import assert_close, assert_tree_close

TOL = dict(rtol=1e-4, atol=1e-5)


class _Net:
    """The same small model in either library."""

    @staticmethod
    def build(nnlib):
        class Net(nnlib.Module):
            def __init__(self):
                super().__init__()
                self.l1 = nnlib.Linear(6, 8)
                self.norm = nnlib.LayerNorm(8)
                self.l2 = nnlib.Linear(8, 3)
                self.conv = [nnlib.Conv1d(2, 2, 3, padding=1)]

            def __call__(self, x):
                h = nnlib.gelu(self.norm(self.l1(x)))
                # (no constant shift of the logits: its gradient would be 0 up to rounding
                # noise, which Adam-like optimizers blow up to full-size steps)
                c = self.conv[0](h.reshape(x.shape[0], 4, 2)).reshape(x.shape[0], 8)
                return self.l2(h + c)
        return Net()


def _data(seed=0):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((16, 6)).astype(np.float32), rng.integers(0, 3, 16).astype(np.int32)


def _run(lib, nnlib, optlib, make_opt, steps=5):
    lib.random.seed(0)
    model = _Net.build(nnlib)
    opt = make_opt(optlib)
    x, y = _data()
    x, y = lib.array(x), lib.array(y)

    def loss_fn(m, x, y):
        return nnlib.losses.cross_entropy(m(x), y, reduction="mean")

    grad_fn = nnlib.value_and_grad(model, lambda x, y: loss_fn(model, x, y))
    losses = []
    for _ in range(steps):
        loss, grads = grad_fn(x, y)
        opt.update(model, grads)
        lib.eval(model.parameters(), opt.state)
        losses.append(loss.item())
    return model, opt, losses


OPTIMIZERS = [
    ("SGD", lambda o: o.SGD(0.1)),
    ("SGD-momentum", lambda o: o.SGD(0.1, momentum=0.9, weight_decay=1e-2, dampening=0.1)),
    ("SGD-nesterov", lambda o: o.SGD(0.05, momentum=0.8, nesterov=True)),
    ("RMSprop", lambda o: o.RMSprop(0.01)),
    ("RMSprop-alpha", lambda o: o.RMSprop(0.01, alpha=0.5, eps=1e-6)),
    ("Adagrad", lambda o: o.Adagrad(0.1)),
    ("AdaDelta", lambda o: o.AdaDelta(1.0, rho=0.8)),
    ("Adam", lambda o: o.Adam(0.01)),
    ("Adam-bias-correction", lambda o: o.Adam(0.01, betas=[0.8, 0.9], bias_correction=True)),
    ("AdamW", lambda o: o.AdamW(0.01, weight_decay=0.1)),
    ("AdamW-bias-correction", lambda o: o.AdamW(0.01, bias_correction=True)),
    ("Adamax", lambda o: o.Adamax(0.01)),
    ("Lion", lambda o: o.Lion(0.001, weight_decay=0.1)),
    ("Adafactor", lambda o: o.Adafactor()),
    ("Adafactor-lr", lambda o: o.Adafactor(learning_rate=0.01, relative_step=False, beta_1=0.9,
                                           weight_decay=0.01, warmup_init=True)),
    ("Adafactor-noscale", lambda o: o.Adafactor(scale_parameter=False, warmup_init=True)),
    ("Muon", lambda o: o.Muon(0.02)),
    ("Muon-plain", lambda o: o.Muon(0.02, nesterov=False, weight_decay=0.0, ns_steps=3)),
    ("Adam-cosine", lambda o: o.Adam(o.cosine_decay(0.01, 4, end=0.001))),
    ("SGD-warmup", lambda o: o.SGD(o.join_schedules([o.linear_schedule(0.0, 0.1, 2),
                                                      o.exponential_decay(0.1, 0.5)], [2]))),
    ("RMSprop-step-decay", lambda o: o.RMSprop(o.step_decay(0.01, 0.5, 2))),
    ("Multi", lambda o: o.MultiOptimizer([o.SGD(0.1), o.Adam(0.01)],
                                         [lambda name, g: "bias" in name])),
]


@pytest.mark.parametrize("name,make", OPTIMIZERS, ids=[n for n, _ in OPTIMIZERS])
def test_optimizer(name, make):
    rmodel, ropt_, rlosses = _run(ref, rnn, ropt, make)
    cmodel, copt_, closses = _run(cm, cnn, copt, make)
    np.testing.assert_allclose(closses, rlosses, **TOL)
    assert_tree_close(cmodel.parameters(), rmodel.parameters(), **TOL)
    assert_tree_close(copt_.state, ropt_.state, **TOL)
    if name != "Multi":
        assert copt_.step.item() == ropt_.step.item() == 5
        assert str(copt_.step.dtype).split(".")[-1] == "uint64"


def test_init_and_state_roundtrip():
    """init() before the first step, then a restored state continues identically."""
    results = []
    for lib, nnlib, optlib in ((ref, rnn, ropt), (cm, cnn, copt)):
        lib.random.seed(0)
        model = _Net.build(nnlib)
        opt = optlib.Adam(0.01)
        opt.init(model.trainable_parameters())
        utils = importlib.import_module(nnlib.__name__.split(".")[0] + ".utils")
        names = sorted(k for k, _ in utils.tree_flatten(opt.state))
        model, opt, _ = _run(lib, nnlib, optlib, lambda o: o.Adam(0.01), steps=2)
        saved = opt.state
        fresh = optlib.Adam(0.01)
        fresh.state = saved
        x, y = (lib.array(a) for a in _data(1))
        grads = nnlib.value_and_grad(model, lambda: nnlib.losses.cross_entropy(
            model(x), y, reduction="mean"))()[1]
        fresh.update(model, grads)
        lib.eval(model.parameters())
        results.append((names, model.parameters(), fresh.state, fresh.learning_rate))
    (rn, rp, rs, rlr), (cn, cp, cs, clr) = results
    assert cn == rn
    assert_tree_close(cp, rp, **TOL)
    assert_tree_close(cs, rs, **TOL)
    assert_close(clr, rlr)


def test_learning_rate_setter_and_validation():
    for lib, optlib in ((ref, ropt), (cm, copt)):
        opt = optlib.SGD(0.1)
        opt.learning_rate = 0.5
        assert opt.learning_rate.item() == 0.5
        multi = optlib.MultiOptimizer([optlib.SGD(0.1), optlib.Adam(0.2)], [lambda n, g: True])
        assert abs(multi.learning_rate.item() - 0.1) < 1e-7
        multi.learning_rate = 0.3
        assert abs(multi.optimizers[1].learning_rate.item() - 0.3) < 1e-7
        for bad in (lambda: optlib.SGD(0.1, nesterov=True),
                    lambda: optlib.Adam(0.1, betas=[1.0, 0.9]),
                    lambda: optlib.Adam(0.1, eps=-1.0),
                    lambda: optlib.RMSprop(0.1, alpha=-1), lambda: optlib.RMSprop(0.1, eps=0),
                    lambda: optlib.Adagrad(0.1, eps=0), lambda: optlib.AdaDelta(0.1, rho=-1),
                    lambda: optlib.Lion(0.1, betas=[0.9, 1.5]),
                    lambda: optlib.MultiOptimizer([optlib.SGD(0.1)], [lambda n, g: True]),
                    lambda: optlib.step_decay(0.1, 0.9, 0), lambda: optlib.cosine_decay(0.1, 0),
                    lambda: optlib.linear_schedule(0, 1, 0), lambda: optlib.join_schedules([], []),
                    lambda: optlib.join_schedules([optlib.linear_schedule(0, 1, 2)], [3])):
            with pytest.raises(ValueError):
                bad()
        with pytest.raises(ValueError, match="Invalid state"):
            multi.state = {"states": []}


SCHEDULES = [
    lambda o: o.exponential_decay(0.1, 0.9),
    lambda o: o.step_decay(0.1, 0.5, 3),
    lambda o: o.cosine_decay(0.1, 7),
    lambda o: o.cosine_decay(0.1, 5, end=0.01),
    lambda o: o.linear_schedule(0.0, 1.0, 4),
    lambda o: o.join_schedules([o.linear_schedule(0.0, 0.1, 3), o.cosine_decay(0.1, 5)], [3]),
    lambda o: o.join_schedules([o.linear_schedule(0.0, 0.1, 2), o.exponential_decay(0.1, 0.5),
                                o.step_decay(0.05, 0.5, 2)], [2, 5]),
]


@pytest.mark.parametrize("index", range(len(SCHEDULES)))
def test_schedule(index):
    rs, cs = SCHEDULES[index](ropt), SCHEDULES[index](copt)
    for step in range(12):
        assert_close(cs(cm.array(step)), rs(ref.array(step)), rtol=2e-6, atol=1e-7)


@pytest.mark.parametrize("dtype", ["float32", "float16"])
@pytest.mark.parametrize("max_norm", [0.0, 0.5, 100.0])
def test_clip_grad_norm(dtype, max_norm):
    rng = np.random.default_rng(4)
    tree = {"a": rng.standard_normal((3, 4)), "b": [rng.standard_normal(5), {"c": rng.standard_normal(2)}]}

    def build(lib):
        return {"a": lib.array(tree["a"]).astype(getattr(lib, dtype)),
                "b": [lib.array(tree["b"][0]).astype(getattr(lib, dtype)),
                      {"c": lib.array(tree["b"][1]["c"]).astype(getattr(lib, dtype))}]}

    rg, rn = ropt.clip_grad_norm(build(ref), max_norm)
    cg, cn = copt.clip_grad_norm(build(cm), max_norm)
    assert_close(cn, rn, rtol=1e-5, atol=1e-6)
    assert_tree_close(cg, rg, **({"dtype": "float16"} if dtype == "float16" else {}))
    with pytest.raises(ValueError):
        copt.clip_grad_norm(build(cm), -1.0)


def test_namespace_matches_mlx():
    public = {n for n in dir(ropt) if not n.startswith("_") and n[0] != n[0].upper() or
              (n[0].isupper() and not n.startswith("_"))}
    absent = {"Callable", "List", "Optional", "Tuple", "Union", "Module", "math", "mx",
              "optimizers", "schedulers", "tree_flatten", "tree_map", "tree_merge", "tree_reduce",
              "tree_unflatten"}
    assert sorted(public - set(dir(copt)) - absent) == []


# ---- MLX-style training scripts, run unchanged with either library -----------------------
def train_mlp(mx, nn, optim, steps=30):
    """A classic MLX example: an MLP classifier with SGD momentum."""
    class MLP(nn.Module):
        def __init__(self, num_layers, input_dim, hidden_dim, output_dim):
            super().__init__()
            dims = [input_dim] + [hidden_dim] * num_layers + [output_dim]
            self.layers = [nn.Linear(i, o) for i, o in zip(dims[:-1], dims[1:])]

        def __call__(self, x):
            for layer in self.layers[:-1]:
                x = nn.relu(layer(x))
            return self.layers[-1](x)

    mx.random.seed(42)
    X = mx.random.normal((128, 10))
    W = mx.random.normal((10, 4))
    y = mx.argmax(X @ W, axis=1)
    model = MLP(2, 10, 32, 4)
    mx.eval(model.parameters())

    def loss_fn(model, X, y):
        return mx.mean(nn.losses.cross_entropy(model(X), y))

    loss_and_grad_fn = nn.value_and_grad(model, loss_fn)
    optimizer = optim.SGD(learning_rate=0.1, momentum=0.9)
    losses = []
    for _ in range(steps):
        loss, grads = loss_and_grad_fn(model, X, y)
        optimizer.update(model, grads)
        mx.eval(model.parameters(), optimizer.state)
        losses.append(loss.item())
    accuracy = mx.mean(mx.argmax(model(X), axis=1) == y).item()
    return losses, accuracy


def train_tiny_gpt(mx, nn, optim, steps=20):
    """A tiny GPT (token + learned position embeddings, pre-norm causal blocks,
    tied head) trained with AdamW, a warm-up + cosine schedule and grad clipping."""
    from importlib import import_module
    tree_flatten = import_module(mx.__name__.split(".")[0] + ".utils").tree_flatten

    vocab, context, dims, heads, layers = 16, 8, 32, 4, 2

    class Block(nn.Module):
        def __init__(self):
            super().__init__()
            self.ln1 = nn.LayerNorm(dims)
            self.attn = nn.MultiHeadAttention(dims, heads, bias=True)
            self.ln2 = nn.LayerNorm(dims)
            self.mlp = nn.Sequential(nn.Linear(dims, 4 * dims), nn.GELU(), nn.Linear(4 * dims, dims))

        def __call__(self, x, mask):
            h = self.ln1(x)
            x = x + self.attn(h, h, h, mask)
            return x + self.mlp(self.ln2(x))

    class GPT(nn.Module):
        def __init__(self):
            super().__init__()
            self.tok = nn.Embedding(vocab, dims)
            self.pos = nn.Embedding(context, dims)
            self.blocks = [Block() for _ in range(layers)]
            self.ln = nn.RMSNorm(dims)

        def __call__(self, idx):
            L = idx.shape[1]
            mask = nn.MultiHeadAttention.create_additive_causal_mask(L)
            x = self.tok(idx) + self.pos(mx.arange(L))
            for block in self.blocks:
                x = block(x, mask)
            return self.tok.as_linear(self.ln(x))

    mx.random.seed(7)
    data = mx.random.randint(0, vocab, (8, context + 1))
    data = (data[:, :1] + mx.arange(context + 1)) % vocab  # a learnable counting sequence
    inputs, targets = data[:, :-1], data[:, 1:]
    model = GPT()
    n_params = sum(v.size for _, v in tree_flatten(model.parameters()))

    def loss_fn(model, x, y):
        return nn.losses.cross_entropy(model(x), y, reduction="mean")

    schedule = optim.join_schedules([optim.linear_schedule(1e-4, 3e-3, 5),
                                     optim.cosine_decay(3e-3, steps)], [5])
    optimizer = optim.AdamW(learning_rate=schedule, weight_decay=0.01)
    loss_and_grad = nn.value_and_grad(model, loss_fn)
    losses = []
    for _ in range(steps):
        loss, grads = loss_and_grad(model, inputs, targets)
        grads, _ = optim.clip_grad_norm(grads, max_norm=1.0)
        optimizer.update(model, grads)
        mx.eval(model.parameters(), optimizer.state)
        losses.append(loss.item())
    return losses, n_params


def test_training_script_mlp():
    rl, racc = train_mlp(ref, rnn, ropt)
    cl, cacc = train_mlp(cm, cnn, copt)
    np.testing.assert_allclose(cl, rl, rtol=1e-4, atol=1e-5)
    assert abs(cacc - racc) <= 1 / 128
    assert cl[-1] < 0.5 * cl[0]


def test_training_script_tiny_gpt():
    rl, rn = train_tiny_gpt(ref, rnn, ropt)
    cl, cn = train_tiny_gpt(cm, cnn, copt)
    assert cn == rn
    # 20 Adam steps through attention: float32 differences compound to ~1e-4 relative
    np.testing.assert_allclose(cl, rl, rtol=5e-4, atol=1e-4)
    assert cl[-1] < 0.7 * cl[0] and not math.isnan(cl[-1])
