"""cmlx.nn against mlx.nn, differentially: every layer is built in both libraries
from the same seed (cmlx's random draws match MLX's bit for bit, so the
initial parameters are compared exactly), then run on the same inputs;
forward outputs, repr, parameter trees (names, order, shapes) and the
gradients of nn.value_and_grad are compared. Likewise every loss (value and
gradient) and initialiser, and the Module API (traversal, update, freeze,
train/eval, save/load).

Tolerances (nnref.TOL): float32 rtol 2e-5 / atol 2e-6 for forward values (the
same formulas, differing only in summation order inside BLAS / reductions);
gradients, which add one more reduction over the batch, use rtol 1e-4 /
atol 1e-5.
"""
import re

import numpy as np
import pytest

import cmlx.core as cm
import cmlx.nn as cnn
import mlx.core as ref
import mlx.nn as rnn
from cmlx.utils import tree_flatten as cm_flatten
from mlx.utils import tree_flatten as ref_flatten
from nnref import assert_close, assert_tree_close, to_numpy

GRAD_TOL = dict(rtol=1e-4, atol=1e-5)


def inputs_for(shapes, seed=1):
    rng = np.random.default_rng(seed)
    out = []
    for s in shapes:
        if isinstance(s, tuple) and s and s[0] == "int":
            out.append(rng.integers(0, s[1], size=s[2]).astype(np.int32))
        else:
            out.append(rng.standard_normal(s).astype(np.float32))
    return out


# (layer, constructor args, constructor kwargs, input shapes, differentiable)
LAYERS = [
    ("Linear", (5, 7), {}, [(3, 5)]),
    ("Linear", (5, 7), {"bias": False}, [(2, 3, 5)]),
    ("Bilinear", (3, 4, 5), {}, [(6, 3), (6, 4)]),
    ("Identity", (1, 2), {"x": 3}, [(2, 3)]),
    ("Embedding", (10, 6), {}, [("int", 10, (4, 3))]),
    ("Conv1d", (4, 6, 3), {"stride": 2, "padding": 1, "groups": 2}, [(2, 9, 4)]),
    ("Conv1d", (3, 2, 2), {"dilation": 2, "bias": False}, [(1, 8, 3)]),
    ("Conv2d", (3, 4, (3, 2)), {"stride": (2, 1), "padding": 1}, [(2, 7, 6, 3)]),
    ("Conv3d", (2, 3, 2), {"padding": 1}, [(1, 4, 4, 3, 2)]),
    ("ConvTranspose1d", (4, 3, 3), {"stride": 2, "padding": 1, "output_padding": 1},
     [(2, 5, 4)]),
    ("ConvTranspose2d", (3, 2, 3), {"stride": 2}, [(1, 4, 5, 3)]),
    ("ConvTranspose3d", (2, 2, 2), {}, [(1, 3, 3, 3, 2)]),
    ("LayerNorm", (6,), {}, [(2, 3, 6)]),
    ("LayerNorm", (6,), {"affine": False}, [(4, 6)]),
    ("LayerNorm", (6,), {"bias": False, "eps": 1e-3}, [(4, 6)]),
    ("RMSNorm", (6,), {}, [(2, 3, 6)]),
    ("GroupNorm", (2, 6), {}, [(2, 4, 6)]),
    ("GroupNorm", (3, 6), {"pytorch_compatible": True}, [(2, 2, 3, 6)]),
    ("GroupNorm", (2, 4), {"affine": False}, [(3, 5, 4)]),
    ("BatchNorm", (5,), {}, [(8, 5)]),
    ("BatchNorm", (3,), {"affine": False, "momentum": 0.3}, [(2, 4, 4, 3)]),
    ("BatchNorm", (3,), {"track_running_stats": False}, [(4, 6, 3)]),
    ("InstanceNorm", (4,), {"affine": True}, [(2, 5, 3, 4)]),
    ("InstanceNorm", (3,), {}, [(2, 7, 3)]),
    ("Dropout", (0.3,), {}, [(4, 8)]),
    ("Dropout", (0.0,), {}, [(4, 8)]),
    ("Dropout2d", (0.5,), {}, [(2, 3, 4, 5)]),
    ("Dropout3d", (0.25,), {}, [(2, 2, 3, 4, 5)]),
    ("MaxPool1d", (2,), {}, [(2, 8, 3)]),
    ("AvgPool1d", (3,), {"stride": 1, "padding": 1}, [(2, 7, 3)]),
    ("MaxPool2d", ((2, 3),), {"stride": 1, "padding": 1}, [(1, 5, 6, 2)]),
    ("AvgPool2d", (2,), {}, [(2, 6, 4, 3)]),
    ("MaxPool3d", (2,), {"stride": 2}, [(1, 4, 4, 4, 2)]),
    ("AvgPool3d", (2,), {"stride": 1}, [(1, 3, 4, 3, 2)]),
    ("RoPE", (8,), {}, [(2, 5, 8)]),
    ("RoPE", (6,), {"traditional": True, "base": 100.0, "scale": 0.5}, [(1, 2, 5, 8)]),
    ("SinusoidalPositionalEncoding", (8,), {}, [(3, 5)]),
    ("SinusoidalPositionalEncoding", (6,), {"cos_first": True, "full_turns": True, "scale": 1.0},
     [(7,)]),
    ("ALiBi", (), {}, [(2, 4, 5, 5)]),
    ("RNN", (4, 6), {}, [(2, 5, 4)]),
    ("RNN", (4, 3), {"bias": False, "nonlinearity": "relu"}, [(5, 4)]),
    ("GRU", (4, 5), {}, [(2, 3, 4)]),
    ("GRU", (3, 4), {"bias": False}, [(4, 3)]),
    ("LSTM", (4, 5), {}, [(2, 3, 4)]),
    ("LSTM", (3, 2), {"bias": False}, [(4, 3)]),
    ("MultiHeadAttention", (8, 2), {}, [(2, 5, 8), (2, 6, 8), (2, 6, 8)]),
    ("MultiHeadAttention", (8, 4), {"bias": True, "key_input_dims": 6, "value_dims": 12,
                                    "value_output_dims": 4}, [(1, 3, 8), (1, 4, 6), (1, 4, 6)]),
    ("TransformerEncoderLayer", (8, 2), {}, [(2, 5, 8)]),
    ("TransformerEncoderLayer", (8, 2), {"norm_first": False, "mlp_dims": 16,
                                         "activation": "gelu"}, [(2, 5, 8)]),
    ("TransformerEncoder", (2, 8, 2), {}, [(2, 4, 8)]),
    ("TransformerDecoderLayer", (8, 2), {"norm_first": False}, [(2, 4, 8), (2, 5, 8)]),
    ("Transformer", (8, 2, 1, 2), {}, [(2, 4, 8), (2, 3, 8)]),
    ("Upsample", (2,), {}, [(1, 3, 4, 2)]),
    ("Upsample", (1.5,), {}, [(1, 4, 2)]),
    ("Upsample", ((2, 3),), {"mode": "linear"}, [(1, 3, 2, 2)]),
    ("Upsample", (2,), {"mode": "linear", "align_corners": True}, [(2, 3, 3, 1)]),
    ("Upsample", (2.5,), {"mode": "cubic"}, [(1, 4, 3, 2)]),
    ("Upsample", (2,), {"mode": "cubic", "align_corners": True}, [(1, 4, 2)]),
    ("Upsample", (0.5,), {"mode": "linear", "antialias": True}, [(1, 8, 6, 2)]),
    ("Upsample", (0.5,), {"mode": "cubic", "antialias": True}, [(1, 8, 2)]),
    ("QuantizedLinear", (64, 8), {}, [(3, 64)]),
    ("QuantizedLinear", (128, 4), {"bias": False, "group_size": 32, "bits": 8}, [(2, 128)]),
    ("QuantizedEmbedding", (10, 64), {}, [("int", 10, (2, 3))]),
    ("PReLU", (3,), {"init": 0.1}, [(2, 3)]),
    ("GELU", (), {}, [(3, 4)]),
    ("GELU", (), {"approx": "precise"}, [(3, 4)]),
    ("GELU", (), {"approx": "tanh"}, [(3, 4)]),
    ("GELU", (), {"approx": "fast"}, [(3, 4)]),
    ("GLU", (), {"axis": 0}, [(4, 3)]),
    ("LeakyReLU", (0.2,), {}, [(3, 4)]),
    ("ELU", (0.5,), {}, [(3, 4)]),
    ("CELU", (1.5,), {}, [(3, 4)]),
    ("Softshrink", (0.3,), {}, [(3, 4)]),
    ("HardShrink", (), {}, [(3, 4)]),
    ("Step", (0.1,), {}, [(3, 4)]),
] + [(name, (), {}, [(3, 5)]) for name in (
    "Sigmoid", "Mish", "ReLU", "ReLU2", "ReLU6", "Softmax", "Softplus", "Softsign", "SiLU",
    "LogSoftmax", "LogSigmoid", "Tanh", "Hardswish", "SELU", "HardTanh", "Softmin")]

ACTIVATION_NAMES = {"relu", "gelu"}


def _resolve(kwargs, lib):
    out = dict(kwargs)
    for key in ("nonlinearity", "activation"):
        if out.get(key) in ACTIVATION_NAMES:
            out[key] = getattr(lib, out[key])
    return out


def _call(module, lib, name, xs):
    if name in ("TransformerEncoderLayer", "TransformerEncoder"):
        causal = (rnn if lib is ref else cnn).MultiHeadAttention
        return module(xs[0], causal.create_additive_causal_mask(xs[0].shape[1]))
    if name == "TransformerDecoderLayer":
        causal = (rnn if lib is ref else cnn).MultiHeadAttention
        return module(xs[0], xs[1], causal.create_additive_causal_mask(xs[0].shape[1]), None)
    if name == "Transformer":
        causal = (rnn if lib is ref else cnn).MultiHeadAttention
        return module(xs[0], xs[1], None, causal.create_additive_causal_mask(xs[1].shape[1]), None)
    if name == "MultiHeadAttention":
        return module(*xs, mask=None)
    if name == "RoPE":
        return module(xs[0], offset=3)
    return module(*xs)


def _case_id(case):
    name, args, kwargs, _ = case
    return f"{name}{args}{kwargs}".replace(" ", "")


@pytest.mark.parametrize("case", LAYERS, ids=_case_id)
def test_layer(case):
    name, args, kwargs, shapes = case
    ref.random.seed(0)
    r = getattr(rnn, name)(*args, **_resolve(kwargs, rnn))
    cm.random.seed(0)
    c = getattr(cnn, name)(*args, **_resolve(kwargs, cnn))

    # the same parameter tree, drawn identically from the same seed
    assert [(k, v.shape, str(v.dtype)) for k, v in ref_flatten(r.parameters())] == \
        [(k, v.shape, str(v.dtype).replace("cmlx", "mlx")) for k, v in cm_flatten(c.parameters())]
    assert_tree_close(c.parameters(), r.parameters(), rtol=0, atol=0)
    assert [k for k, _ in cm_flatten(c.trainable_parameters())] == \
        [k for k, _ in ref_flatten(r.trainable_parameters())]
    # function reprs (RNN's nonlinearity) carry addresses, and MLX's activations are
    # mx.compile objects (cmlx has no compile yet): compare with them blanked out
    assert re.sub(r"<[^>]*>", "<fn>", repr(c)) == re.sub(r"<[^>]*>", "<fn>", repr(r))

    np_inputs = inputs_for(shapes)
    rx = [ref.array(a) for a in np_inputs]
    cx = [cm.array(a) for a in np_inputs]

    for mode in ("train", "eval"):
        getattr(r, mode)()
        getattr(c, mode)()
        ref.random.seed(5)
        want = _call(r, ref, name, rx)
        cm.random.seed(5)
        got = _call(c, cm, name, cx)
        assert_tree_close(got, want)
        assert_tree_close(c.parameters(), r.parameters())  # e.g. BatchNorm's running stats

    if name == "Step" or (not ref_flatten(r.trainable_parameters()) and
                          not np.issubdtype(np_inputs[0].dtype, np.floating)):
        return  # nothing differentiable (an integer output, or integer inputs and no parameters)
    # gradients with respect to the trainable parameters and the float inputs
    r.train()
    c.train()
    out_probe = _call(r, ref, name, rx)
    weights = [np.random.default_rng(7).standard_normal(o.shape).astype(np.float32)
               for _, o in ref_flatten(out_probe)] if not isinstance(out_probe, ref.array) else \
        [np.random.default_rng(7).standard_normal(out_probe.shape).astype(np.float32)]

    def loss_of(lib, module, nnlib, xs):
        ws = [lib.array(w) for w in weights]

        def loss(*inputs):
            out = _call(module, lib, name, list(inputs))
            outs = [out] if isinstance(out, lib.array) else [o for o in out]
            return sum(((o * w).sum() for o, w in zip(outs, ws)), lib.array(0.0))

        if ref_flatten(r.trainable_parameters()):
            return nnlib.value_and_grad(module, loss)(*xs)
        return lib.value_and_grad(loss)(*xs)  # parameterless: the gradient wrt the input

    ref.random.seed(5)
    rv, rg = loss_of(ref, r, rnn, rx)
    cm.random.seed(5)
    cv, cg = loss_of(cm, c, cnn, cx)
    assert_close(cv, rv, rtol=1e-4, atol=1e-4)
    assert_tree_close(cg, rg, **GRAD_TOL)


@pytest.mark.parametrize("name", sorted(
    n for n in dir(rnn.layers.activations) if n[0].islower() and not n.startswith("_")
    and callable(getattr(rnn.layers.activations, n)) and n not in ("partial",)
    and getattr(getattr(rnn.layers.activations, n), "__module__", "").startswith("mlx")))
def test_activation_function(name):
    rng = np.random.default_rng(3)
    x = (rng.standard_normal((4, 6)) * 3).astype(np.float32)
    args = ()
    if name == "prelu":
        args = (np.full((6,), 0.2, np.float32),)
    rfn, cfn = getattr(rnn, name), getattr(cnn, name)
    want = rfn(ref.array(x), *(ref.array(a) for a in args))
    got = cfn(cm.array(x), *(cm.array(a) for a in args))
    assert_close(got, want)
    if name == "step":
        return
    rg = ref.grad(lambda t: rfn(t, *(ref.array(a) for a in args)).sum())(ref.array(x))
    cg = cm.grad(lambda t: cfn(t, *(cm.array(a) for a in args)).sum())(cm.array(x))
    assert_close(cg, rg, **GRAD_TOL)
    for dtype in ("float16", "bfloat16"):
        want = rfn(ref.array(x).astype(getattr(ref, dtype)),
                   *(ref.array(a).astype(getattr(ref, dtype)) for a in args))
        got = cfn(cm.array(x).astype(getattr(cm, dtype)),
                  *(cm.array(a).astype(getattr(cm, dtype)) for a in args))
        assert_close(got, want, dtype=dtype)


def test_nn_namespace_matches_mlx():
    public = {n for n in dir(rnn) if not n.startswith("_")}
    # the distributed layers need mx.distributed, which cmlx does not have yet;
    # QQLinear needs mx.qqmm (nvfp4/mxfp8 activations), not in cmlx.core
    absent = {"AllToShardedLinear", "FullyShardedModule", "QuantizedAllToShardedLinear",
              "QuantizedShardedToAllLinear", "ShardedToAllLinear", "fully_shard", "QQLinear",
              "average_gradients", "layers", "utils", "distributed"}
    assert sorted(public - set(dir(cnn)) - absent) == []
    assert sorted(n for n in dir(rnn.losses) if not n.startswith("_") and n[0].islower()
                  and n not in dir(cnn.losses)) == []
    assert sorted(n for n in dir(rnn.init) if not n.startswith("_") and n[0].islower()
                  and n not in dir(cnn.init)) == []


# ---- losses --------------------------------------------------------------------------------
def _f(*shape, seed=0, scale=1.0, positive=False):
    a = np.random.default_rng(seed).standard_normal(shape).astype(np.float32) * scale
    return np.abs(a) + 0.1 if positive else a


def _probs(*shape, seed=0):
    a = np.random.default_rng(seed).random(shape).astype(np.float32)
    return a / a.sum(-1, keepdims=True)


def _logprobs(*shape, seed=0):
    x = _f(*shape, seed=seed)
    return (x - np.log(np.exp(x).sum(-1, keepdims=True))).astype(np.float32)


LOSSES = [
    ("cross_entropy", [_f(4, 5), np.array([0, 4, 2, 1], np.int32)], {}),
    ("cross_entropy", [_f(4, 5), np.array([0, 4, 2, 1], np.int32)],
     {"label_smoothing": 0.1, "reduction": "mean"}),
    ("cross_entropy", [_f(4, 5), _probs(4, 5)], {"reduction": "sum"}),
    ("cross_entropy", [_f(3, 4), np.array([1, 0, 2, 2], np.int32)], {"axis": 0}),
    ("cross_entropy", [_f(4, 5), np.array([0, 4, 2, 1], np.int32)],
     {"weights": _f(4, seed=2, positive=True)}),
    ("binary_cross_entropy", [_f(6), (_f(6, seed=1) > 0).astype(np.float32)], {}),
    ("binary_cross_entropy", [np.random.default_rng(0).random(6).astype(np.float32),
                              (_f(6, seed=1) > 0).astype(np.float32)],
     {"with_logits": False, "reduction": "none"}),
    ("binary_cross_entropy", [_f(2, 3), _probs(2, 3)], {"weights": _f(2, 3, positive=True),
                                                        "reduction": "sum"}),
    ("l1_loss", [_f(3, 4), _f(3, 4, seed=1)], {}),
    ("l1_loss", [_f(3, 4), _f(3, 4, seed=1)], {"reduction": "none"}),
    ("mse_loss", [_f(3, 4), _f(3, 4, seed=1)], {}),
    ("mse_loss", [_f(3, 4), _f(3, 4, seed=1)], {"reduction": "sum"}),
    ("nll_loss", [_logprobs(4, 5), np.array([0, 4, 2, 1], np.int32)], {}),
    ("nll_loss", [_logprobs(4, 5), np.array([0, 4, 2, 1], np.int32)], {"reduction": "mean"}),
    ("gaussian_nll_loss", [_f(3, 4), _f(3, 4, seed=1), _f(3, 4, seed=2, positive=True)], {}),
    ("gaussian_nll_loss", [_f(3, 4), _f(3, 4, seed=1), _f(3, 4, seed=2, positive=True)],
     {"full": True, "reduction": "sum"}),
    ("kl_div_loss", [_logprobs(3, 5), _logprobs(3, 5, seed=1)], {}),
    ("kl_div_loss", [_logprobs(3, 5), _logprobs(3, 5, seed=1)], {"reduction": "mean"}),
    ("smooth_l1_loss", [_f(3, 4, scale=2), _f(3, 4, seed=1)], {}),
    ("smooth_l1_loss", [_f(3, 4, scale=2), _f(3, 4, seed=1)], {"beta": 0.5, "reduction": "none"}),
    ("triplet_loss", [_f(4, 6), _f(4, 6, seed=1), _f(4, 6, seed=2)], {}),
    ("triplet_loss", [_f(4, 6), _f(4, 6, seed=1), _f(4, 6, seed=2)],
     {"p": 1, "margin": 2.0, "reduction": "mean"}),
    ("hinge_loss", [_f(5), np.sign(_f(5, seed=1))], {}),
    ("hinge_loss", [_f(5), np.sign(_f(5, seed=1))], {"reduction": "mean"}),
    ("huber_loss", [_f(3, 4, scale=2), _f(3, 4, seed=1)], {}),
    ("huber_loss", [_f(3, 4, scale=2), _f(3, 4, seed=1)], {"delta": 0.5, "reduction": "sum"}),
    ("log_cosh_loss", [_f(3, 4, scale=3), _f(3, 4, seed=1)], {}),
    ("log_cosh_loss", [_f(3, 4), _f(3, 4, seed=1)], {"reduction": "mean"}),
    ("cosine_similarity_loss", [_f(3, 4), _f(3, 4, seed=1)], {}),
    ("cosine_similarity_loss", [_f(3, 4), _f(3, 4, seed=1)], {"axis": 0, "reduction": "mean"}),
    ("margin_ranking_loss", [_f(5), _f(5, seed=1), np.sign(_f(5, seed=2))], {}),
    ("margin_ranking_loss", [_f(5), _f(5, seed=1), np.sign(_f(5, seed=2))],
     {"margin": 0.5, "reduction": "sum"}),
]


@pytest.mark.parametrize("case", LOSSES, ids=lambda c: f"{c[0]}{sorted(c[2])}")
def test_loss(case):
    name, args, kwargs = case
    rk = {k: ref.array(v) if isinstance(v, np.ndarray) else v for k, v in kwargs.items()}
    ck = {k: cm.array(v) if isinstance(v, np.ndarray) else v for k, v in kwargs.items()}
    rfn, cfn = getattr(rnn.losses, name), getattr(cnn.losses, name)
    want = rfn(*[ref.array(a) for a in args], **rk)
    got = cfn(*[cm.array(a) for a in args], **ck)
    assert_close(got, want)
    # gradient with respect to the first argument (the prediction)
    rg = ref.grad(lambda x: rfn(x, *[ref.array(a) for a in args[1:]], **rk).sum())(
        ref.array(args[0]))
    cg = cm.grad(lambda x: cfn(x, *[cm.array(a) for a in args[1:]], **ck).sum())(cm.array(args[0]))
    assert_close(cg, rg, **GRAD_TOL)


def test_loss_errors():
    for lib, nnlib in ((ref, rnn), (cm, cnn)):
        with pytest.raises(ValueError, match="Invalid reduction"):
            nnlib.losses.mse_loss(lib.zeros(3), lib.zeros(3), reduction="avg")
        with pytest.raises(ValueError, match="does not match"):
            nnlib.losses.mse_loss(lib.zeros(3), lib.zeros(4))
        with pytest.raises(ValueError, match="Label smoothing"):
            nnlib.losses.cross_entropy(lib.zeros((2, 3)), lib.zeros(2, lib.int32),
                                       label_smoothing=1.0)
        with pytest.raises(ValueError, match="Targets shape"):
            nnlib.losses.cross_entropy(lib.zeros((2, 3)), lib.zeros(3, lib.int32))


# ---- initialisers -------------------------------------------------------------------------
INITS = [
    ("constant", (0.5,), {}, (3, 4), ()),
    ("constant", (2,), {"dtype": "float16"}, (5,), ()),
    ("normal", (), {}, (20, 30), ()),
    ("normal", (1.0, 0.1), {}, (20, 30), ()),
    ("uniform", (), {}, (20, 30), ()),
    ("uniform", (-2.0, 3.0), {"dtype": "bfloat16"}, (20, 30), ()),
    ("identity", (), {}, (4, 4), ()),
    ("glorot_normal", (), {}, (16, 24), ()),
    ("glorot_normal", (), {}, (8, 3, 3, 4), (2.0,)),
    ("glorot_uniform", (), {}, (16, 24), ()),
    ("he_normal", (), {}, (16, 24), ()),
    ("he_normal", (), {}, (16, 2, 24), ("fan_out", 0.5)),
    ("he_uniform", (), {}, (16, 24), ()),
    ("he_uniform", (), {"dtype": "float16"}, (16, 24), ("fan_out",)),
    ("sparse", (0.3,), {}, (10, 12), ()),
    ("sparse", (0.5, 1.0, 0.1), {}, (6, 7), ()),
    ("orthogonal", (), {}, (6, 6), ()),
    ("orthogonal", (2.0,), {}, (4, 7), ()),
    ("orthogonal", (), {}, (7, 3), ()),
]


@pytest.mark.parametrize("case", INITS, ids=lambda c: f"{c[0]}{c[1]}{c[3]}")
def test_init(case):
    """The same seed gives the same draws: exact for everything drawn directly
    (cmlx's threefry/normal match MLX's bits), float32 rounding for orthogonal
    (a LAPACK QR), plus a statistical check of the distribution."""
    name, args, kwargs, shape, call_args = case
    rkw = {k: getattr(ref, v) if k == "dtype" else v for k, v in kwargs.items()}
    ckw = {k: getattr(cm, v) if k == "dtype" else v for k, v in kwargs.items()}
    ref.random.seed(11)
    want = getattr(rnn.init, name)(*args, **rkw)(ref.zeros(shape), *call_args)
    cm.random.seed(11)
    got = getattr(cnn.init, name)(*args, **ckw)(cm.zeros(shape), *call_args)
    if name == "orthogonal":
        assert_close(got, want, rtol=1e-4, atol=1e-5)
        q = to_numpy(got).astype(np.float64) / (args[0] if args else 1.0)
        small = min(q.shape)
        gram = q.T @ q if q.shape[0] >= q.shape[1] else q @ q.T
        np.testing.assert_allclose(gram, np.eye(small), atol=1e-5)
    else:
        assert_close(got, want, rtol=0, atol=0, dtype=kwargs.get("dtype", "float32"))
    values = to_numpy(got).astype(np.float64)
    if name in ("glorot_uniform", "he_uniform") and not call_args:
        fan_in, fan_out = shape[-1], shape[0]
        limit = np.sqrt(6 / (fan_in + fan_out)) if name == "glorot_uniform" else np.sqrt(3 / fan_in)
        assert np.abs(values).max() <= limit
        assert abs(values.std() - limit / np.sqrt(3)) < 0.1 * limit  # U(-l, l): std l/sqrt(3)
    if name in ("glorot_normal", "he_normal") and not call_args:
        std = np.sqrt(2 / (shape[-1] + shape[0])) if name == "glorot_normal" else \
            1 / np.sqrt(shape[-1])
        assert abs(values.std() - std) < 0.1 * std
    if name == "sparse":
        zeros_per_row = (values == 0).sum(axis=1)
        assert (zeros_per_row >= int(np.ceil(args[0] * shape[1]))).all()


def test_init_errors():
    for lib, nnlib in ((ref, rnn), (cm, cnn)):
        with pytest.raises(ValueError, match="square"):
            nnlib.init.identity()(lib.zeros((2, 3)))
        with pytest.raises(ValueError, match="at least 2"):
            nnlib.init.glorot_normal()(lib.zeros((3,)))
        with pytest.raises(ValueError, match="Invalid mode"):
            nnlib.init.he_normal()(lib.zeros((3, 3)), mode="fan")


# ---- the Module API -----------------------------------------------------------------------
def _model(nnlib):
    class Block(nnlib.Module):
        def __init__(self):
            super().__init__()
            self.layers = [nnlib.Linear(4, 8), nnlib.ReLU(), nnlib.Linear(8, 4, bias=False)]
            self.norms = {"pre": nnlib.LayerNorm(4), "post": nnlib.RMSNorm(4)}
            self.scale = nnlib.init.constant(1.5)(nnlib.Linear(1, 4).bias)
            self._private = nnlib.Linear(1, 1).weight
            self.config = 3

        def __call__(self, x):
            x = self.norms["pre"](x)
            for layer in self.layers:
                x = layer(x)
            return self.norms["post"](x) * self.scale

    class Model(nnlib.Module):
        def __init__(self):
            super().__init__()
            self.embed = nnlib.Embedding(10, 4)
            self.blocks = [Block(), Block()]
            self.head = nnlib.Sequential(nnlib.Dropout(0.1), nnlib.Linear(4, 3))
            self.bn = nnlib.BatchNorm(4)

        def __call__(self, tokens):
            x = self.embed(tokens)
            for block in self.blocks:
                x = x + block(x)
            return self.head(self.bn(x.reshape(-1, 4)))

    return Model()


def _pair():
    ref.random.seed(3)
    r = _model(rnn)
    cm.random.seed(3)
    c = _model(cnn)
    return r, c


def _names(tree, flatten):
    return [k for k, _ in flatten(tree)]


def test_module_traversal():
    r, c = _pair()
    assert repr(c) == repr(r)
    assert_tree_close(c.parameters(), r.parameters(), rtol=0, atol=0)
    for method in ("parameters", "trainable_parameters"):
        assert _names(getattr(c, method)(), cm_flatten) == _names(getattr(r, method)(), ref_flatten)
    for method in ("children", "leaf_modules"):
        cr = cm_flatten(getattr(c, method)(), is_leaf=cnn.Module.is_module)
        rr = ref_flatten(getattr(r, method)(), is_leaf=rnn.Module.is_module)
        assert [(k, type(v).__name__) for k, v in cr] == [(k, type(v).__name__) for k, v in rr]
    assert [(k, type(m).__name__) for k, m in c.named_modules()] == \
        [(k, type(m).__name__) for k, m in r.named_modules()]
    assert [type(m).__name__ for m in c.modules()] == [type(m).__name__ for m in r.modules()]
    assert c.blocks[0].config == 3
    assert "config" not in c.blocks[0] and "_private" in c.blocks[0]
    assert c.state is c and c.training
    with pytest.raises(AttributeError):
        c.missing_attribute


def test_module_freeze_unfreeze():
    r, c = _pair()
    calls = [lambda m: m.freeze(),
             lambda m: m.unfreeze(keys="bias"),
             lambda m: m.blocks[0].unfreeze(recurse=False),
             lambda m: m.freeze(keys=["weight"], strict=True),
             lambda m: m.unfreeze(),
             lambda m: m.blocks[1].freeze(recurse=False),
             lambda m: m.head.freeze(keys="bias", recurse=True),
             lambda m: m.bn.unfreeze()]
    for call in calls:
        call(r)
        call(c)
        assert _names(c.trainable_parameters(), cm_flatten) == \
            _names(r.trainable_parameters(), ref_flatten)
    for m in (r, c):
        with pytest.raises(KeyError):
            m.freeze(keys="nothing", strict=True)
        with pytest.raises(KeyError):
            m.blocks[0].unfreeze(keys="bias", recurse=False, strict=True)


def test_module_update_apply_and_errors():
    r, c = _pair()
    for m, lib in ((r, ref), (c, cm)):
        m.update({"head": {"layers": [{}, {"bias": lib.ones(3)}]}})
        m.apply(lambda x: x * 2, filter_fn=lambda mod, k, v: k != "weight" and
                type(mod).valid_parameter_filter(mod, k, v))
        m.set_dtype(lib.float16)
    assert_tree_close(c.parameters(), r.parameters(), rtol=0, atol=0, dtype="float16")
    for m, lib in ((r, ref), (c, cm)):
        with pytest.raises(ValueError, match="does not have parameter"):
            m.update({"nope": lib.ones(1)})
        with pytest.raises(ValueError, match="invalid type"):
            m.update({"head": {"layers": [{}, {"bias": 3}]}})
        with pytest.raises(ValueError, match="out of bounds"):
            m.update({"blocks": [{}, {}, {}]})
        m.update({"nope": lib.ones(1), "blocks": [{}, {}, {}]}, strict=False)
        new_head = (rnn if lib is ref else cnn).Linear(4, 3)
        m.update_modules({"head": new_head, "blocks": [{"layers": [{}, {}, {}]}]})
        assert m.head is new_head
        with pytest.raises(ValueError, match="sub-module"):
            m.update_modules({"nope": new_head})
    assert _names(c.parameters(), cm_flatten) == _names(r.parameters(), ref_flatten)


def test_module_train_eval():
    r, c = _pair()
    for m in (r, c):
        m.eval()
    assert [m.training for m in c.modules()] == [False] * len(c.modules())
    tokens = np.array([[1, 2, 3], [4, 5, 9]], np.int32)
    assert_close(c(cm.array(tokens)), r(ref.array(tokens)), rtol=1e-4, atol=1e-5)
    for m in (r, c):
        m.train()
    ref.random.seed(9)
    want = r(ref.array(tokens))
    cm.random.seed(9)
    got = c(cm.array(tokens))
    assert_close(got, want, rtol=1e-4, atol=1e-5)
    assert_tree_close(c.bn.parameters(), r.bn.parameters())


@pytest.mark.parametrize("ext", ["npz", "safetensors"])
def test_save_load_weights(tmp_path, ext):
    r, c = _pair()
    ref_file, cm_file = str(tmp_path / f"r.{ext}"), str(tmp_path / f"c.{ext}")
    r.save_weights(ref_file)
    c.save_weights(cm_file)
    ref.random.seed(100)
    r2 = _model(rnn).load_weights(cm_file)  # cmlx's file in mlx
    cm.random.seed(100)
    c2 = _model(cnn).load_weights(ref_file)  # mlx's file in cmlx
    assert_tree_close(c2.parameters(), r.parameters(), rtol=0, atol=0)
    assert_tree_close(c.parameters(), r2.parameters(), rtol=0, atol=0)
    # weight lists, strict errors
    flat = cm_flatten(c.parameters())
    with pytest.raises(ValueError, match="Missing 1 parameters"):
        c2.load_weights(flat[1:])
    with pytest.raises(ValueError, match="not in model"):
        c2.load_weights(flat + [("extra.w", cm.ones(1))])
    with pytest.raises(ValueError, match="Expected shape"):
        c2.load_weights([(k, cm.ones((1,)) if k == "head.layers.1.bias" else v) for k, v in flat])
    c2.load_weights([("head.layers.1.bias", cm.full((3,), 7.0))], strict=False)
    assert (np.array(c2.head.layers[1].bias) == 7).all()
    with pytest.raises(ValueError, match="Unsupported file extension"):
        c.save_weights(str(tmp_path / "w.bin"))


def test_value_and_grad_model_and_checkpoint():
    r, c = _pair()
    tokens = np.array([[1, 2, 3], [4, 5, 9]], np.int32)
    labels = np.array([0, 1, 2, 0, 1, 2], np.int32)
    for m in (r, c):
        m.eval()
        m.blocks[0].freeze()

    def run(lib, nnlib, m):
        def loss(x, y):
            return nnlib.losses.cross_entropy(m(x), y, reduction="mean")
        return nnlib.value_and_grad(m, loss)(lib.array(tokens), lib.array(labels))

    rv, rg = run(ref, rnn, r)
    cv, cg = run(cm, cnn, c)
    assert_close(cv, rv, rtol=1e-5, atol=1e-6)
    assert_tree_close(cg, rg, **GRAD_TOL)
    # nn.checkpoint gives the same gradients as the plain call
    def ck_loss(lib, nnlib, m):
        block = nnlib.utils.checkpoint(m.blocks[1])

        def loss(x):
            return (block(x) ** 2).sum()
        return nnlib.value_and_grad(m, loss)(lib.ones((2, 4)))

    rv, rg = ck_loss(ref, rnn, r)
    cv, cg = ck_loss(cm, cnn, c)
    assert_close(cv, rv, rtol=1e-5, atol=1e-5)
    assert_tree_close(cg, rg, **GRAD_TOL)


def test_quantize_model():
    r, c = _pair()
    rnn.quantize(r, group_size=32, bits=4, class_predicate=lambda p, m: isinstance(m, rnn.Linear)
                 and m.weight.shape[-1] % 32 == 0)
    cnn.quantize(c, group_size=32, bits=4, class_predicate=lambda p, m: isinstance(m, cnn.Linear)
                 and m.weight.shape[-1] % 32 == 0)
    assert repr(c) == repr(r)
    ref.random.seed(1)
    r2 = rnn.Sequential(rnn.Linear(64, 8), rnn.Embedding(10, 64))
    cm.random.seed(1)
    c2 = cnn.Sequential(cnn.Linear(64, 8), cnn.Embedding(10, 64))
    rnn.quantize(r2, bits=8)
    cnn.quantize(c2, bits=8)
    assert repr(c2) == repr(r2)
    assert_tree_close(c2.parameters(), r2.parameters(), rtol=0, atol=0)
    assert _names(c2.trainable_parameters(), cm_flatten) == \
        _names(r2.trainable_parameters(), ref_flatten)
    x = np.random.default_rng(0).standard_normal((2, 64)).astype(np.float32)
    assert_close(c2.layers[0](cm.array(x)), r2.layers[0](ref.array(x)), rtol=1e-4, atol=1e-5)
    assert_close(c2.layers[1].as_linear(cm.array(x)), r2.layers[1].as_linear(ref.array(x)),
                 rtol=1e-4, atol=1e-5)


def test_layer_errors():
    for nnlib in (rnn, cnn):
        for build in (lambda: nnlib.Dropout(1.0), lambda: nnlib.LayerNorm(3, eps=0),
                      lambda: nnlib.GroupNorm(4, 6), lambda: nnlib.Conv1d(3, 4, 2, groups=2),
                      lambda: nnlib.MultiHeadAttention(6, 4), lambda: nnlib.GELU("x"),
                      lambda: nnlib.Upsample(2, mode="area"),
                      lambda: nnlib.Upsample(2, mode="nearest", antialias=True),
                      lambda: nnlib.SinusoidalPositionalEncoding(3),
                      lambda: nnlib.MaxPool2d((1, 2, 3)), lambda: nnlib.AvgPool1d(0),
                      lambda: nnlib.QuantizedLinear(64, 4, mode="int3")):
            with pytest.raises(ValueError):
                build()
    for lib, nnlib in ((ref, rnn), (cm, cnn)):
        with pytest.raises(ValueError, match="3 or 4"):
            nnlib.Dropout2d()(lib.zeros((2, 3)))
        with pytest.raises(ValueError, match="more than one value"):
            nnlib.BatchNorm(3)(lib.zeros((1, 3)))
        with pytest.raises(ValueError, match="at least 3"):
            nnlib.InstanceNorm(3)(lib.zeros((2, 3)))
