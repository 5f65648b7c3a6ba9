# Writes the MLX 0.32 fixtures of tests/c/test_nn.c and tests/c/test_optim.c:
#   python3 tests/gen/gen_nn_fixtures.py      (writes tests/c/data/{nn,optim}.safetensors)
# Every array is stored under a name the C tests look up; the comments of each
# section say what the C side must do with them. The C tests seed cmlx's
# global key with the same seeds, so random initial values must match exactly.
import math
import os

import mlx.core as mx
import mlx.nn as nn
import mlx.optimizers as optim
from mlx.utils import tree_flatten, tree_unflatten

mx.set_default_device(mx.cpu)
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "c", "data")

nn_fx = {}


def rnd(seed, shape, scale=1.0):
    return mx.random.normal(shape, key=mx.random.key(seed)) * scale


def flat(module):
    return dict(tree_flatten(module.parameters()))


# ---- layers: "layer.<case>.init.<name>" (after mx.random.seed(seed) and the
# constructor), ".param.<name>" (used for the forward), ".x" (inputs), ".y",
# ".cot" and ".grad.<name>" / ".grad.x" of sum(y * cot).
def layer_case(case, seed, make, inputs, perturb=False, call=None):
    mx.random.seed(seed)
    layer = make()
    for k, v in flat(layer).items():
        nn_fx[f"layer.{case}.init.{k}"] = v
    if perturb:  # random weights so that gradients of ones/zeros layers mean something
        layer.update(tree_unflatten([(k, rnd(sum(map(ord, k)) + seed, v.shape)) for k, v in flat(layer).items()]))
    params = dict(tree_flatten(layer.trainable_parameters()))
    for k, v in params.items():
        nn_fx[f"layer.{case}.param.{k}"] = v
    for i, x in enumerate(inputs):
        nn_fx[f"layer.{case}.x{i}"] = x
    call = call or (lambda m, *xs: m(*xs))
    y = call(layer, *inputs)
    cot = rnd(seed + 100, y.shape)
    nn_fx[f"layer.{case}.y"] = y
    nn_fx[f"layer.{case}.cot"] = cot

    def loss(p, x0):
        layer.update(tree_unflatten(list(p.items())))
        return (call(layer, x0, *inputs[1:]) * cot).sum()

    if mx.issubdtype(inputs[0].dtype, mx.floating):
        gp, gx = mx.grad(loss, argnums=(0, 1))(params, inputs[0])
        nn_fx[f"layer.{case}.grad.x"] = gx
    else:
        gp = mx.grad(loss)(params, inputs[0])
    for k, v in gp.items():
        nn_fx[f"layer.{case}.grad.{k}"] = v


layer_case("linear", 1, lambda: nn.Linear(5, 3), [rnd(2, (2, 4, 5))])
layer_case("linear_nobias", 3, lambda: nn.Linear(5, 3, bias=False), [rnd(4, (4, 5))])
layer_case("embedding", 5, lambda: nn.Embedding(10, 6), [mx.array([[1, 7, 3], [9, 0, 7]], dtype=mx.int32)])
layer_case("layer_norm", 6, lambda: nn.LayerNorm(6), [rnd(7, (2, 3, 6), 2.0)], perturb=True)
layer_case("layer_norm_noaffine", 6, lambda: nn.LayerNorm(6, eps=1e-3, affine=False), [rnd(7, (2, 3, 6), 2.0)])
layer_case("rms_norm", 8, lambda: nn.RMSNorm(6), [rnd(9, (4, 6))], perturb=True)
layer_case("group_norm", 10, lambda: nn.GroupNorm(2, 6), [rnd(11, (2, 3, 6))], perturb=True)
layer_case("group_norm_pt", 12, lambda: nn.GroupNorm(3, 6, pytorch_compatible=True), [rnd(13, (2, 2, 2, 6))],
           perturb=True)
layer_case("conv1d", 14, lambda: nn.Conv1d(3, 4, 3, stride=2, padding=1), [rnd(15, (2, 9, 3))])
layer_case("conv1d_groups", 16, lambda: nn.Conv1d(4, 6, 2, dilation=2, groups=2, bias=False), [rnd(17, (1, 7, 4))])
layer_case("conv2d", 18, lambda: nn.Conv2d(2, 3, (2, 3), stride=(1, 2), padding=(1, 0)), [rnd(19, (2, 5, 6, 2))])
layer_case("mha", 20, lambda: nn.MultiHeadAttention(8, 2, bias=True), [rnd(21, (2, 4, 8)), rnd(22, (2, 5, 8)),
           rnd(23, (2, 5, 8))], call=lambda m, q, k, v: m(q, k, v, mask=None))
causal = nn.MultiHeadAttention.create_additive_causal_mask(4)
nn_fx["layer.mha_causal.mask"] = causal
layer_case("mha_causal", 24, lambda: nn.MultiHeadAttention(8, 4, value_dims=12, value_output_dims=6),
           [rnd(25, (2, 4, 8))], call=lambda m, x: m(x, x, x, mask=causal))
layer_case("rope", 26, lambda: nn.RoPE(4), [rnd(27, (1, 2, 5, 6))], call=lambda m, x: m(x, offset=3))
layer_case("rope_traditional", 28, lambda: nn.RoPE(6, traditional=True, base=500.0, scale=0.5),
           [rnd(29, (2, 5, 6))])

# BatchNorm: training step (outputs and new running statistics), then eval.
mx.random.seed(30)
bn = nn.BatchNorm(4)
bn.update(tree_unflatten([("weight", rnd(31, (4,))), ("bias", rnd(32, (4,)))]))
x = rnd(33, (3, 5, 4), 2.0)
nn_fx["bn.weight"], nn_fx["bn.bias"], nn_fx["bn.x"] = bn.weight, bn.bias, x
bn.train()
nn_fx["bn.y_train"] = bn(x)
nn_fx["bn.running_mean"], nn_fx["bn.running_var"] = bn.running_mean, bn.running_var
bn.eval()
nn_fx["bn.y_eval"] = bn(x)

# Dropout with the global key: mx.random.seed(34) then Dropout(0.3) in training.
mx.random.seed(34)
nn_fx["dropout.x"] = rnd(35, (4, 6))
mx.random.seed(34)
nn_fx["dropout.y"] = nn.Dropout(0.3)(nn_fx["dropout.x"])

# ---- activations: "act.<name>.y" and ".dx" (grad of sum(f(x) * cot)) on act.x.
ax = mx.concatenate([rnd(40, (40,), 3.0), mx.array([0.0, -0.0, 1.0, -1.0, 3.0, -3.0, 6.0, 0.5])]).reshape(6, 8)
acot = rnd(41, ax.shape)
alpha = rnd(42, (8,)) * 0.3
nn_fx["act.x"], nn_fx["act.cot"], nn_fx["act.alpha"] = ax, acot, alpha
ACTS = {
    "sigmoid": nn.sigmoid, "relu": nn.relu, "relu2": nn.relu2, "relu6": nn.relu6,
    "leaky_relu": lambda x: nn.leaky_relu(x, 0.1), "log_softmax": nn.log_softmax,
    "log_softmax0": lambda x: nn.log_softmax(x, axis=0), "elu": lambda x: nn.elu(x, 0.7),
    "softmax": nn.softmax, "softplus": nn.softplus, "softsign": nn.softsign,
    "softshrink": lambda x: nn.softshrink(x, 0.6), "celu": lambda x: nn.celu(x, 1.3), "silu": nn.silu,
    "log_sigmoid": nn.log_sigmoid, "gelu": nn.gelu, "gelu_approx": nn.gelu_approx,
    "gelu_fast_approx": nn.gelu_fast_approx, "glu": nn.glu, "selu": nn.selu,
    "prelu": lambda x: nn.prelu(x, alpha), "mish": nn.mish, "hardswish": nn.hardswish,
    "hard_tanh": lambda x: nn.hard_tanh(x, -0.5, 2.0), "hard_shrink": lambda x: nn.hard_shrink(x, 0.7),
    "softmin": nn.softmin, "tanh": nn.tanh,
}
for name, f in ACTS.items():
    y = f(ax)
    nn_fx[f"act.{name}.y"] = y
    nn_fx[f"act.{name}.dx"] = mx.grad(lambda x: (f(x) * rnd(41, y.shape)).sum())(ax)
nn_fx["act.step.y"] = nn.step(ax, 0.5)

# ---- losses: "loss.<case>.a/b/c" inputs, ".y", ".da" = grad of sum(loss) in a.
logits = rnd(50, (4, 5), 2.0)
idx = mx.array([0, 3, 4, 1], dtype=mx.int32)
probs = mx.softmax(rnd(51, (4, 5)), axis=-1)
w4 = mx.abs(rnd(52, (4,)))
pred, targ = rnd(53, (3, 4)), rnd(54, (3, 4))
LOSSES = {
    "ce_idx": (lambda a, b: nn.losses.cross_entropy(a, b), [logits, idx]),
    "ce_smooth": (lambda a, b, c: nn.losses.cross_entropy(a, b, weights=c, label_smoothing=0.1, reduction="mean"),
                  [logits, idx, w4]),
    "ce_probs": (lambda a, b: nn.losses.cross_entropy(a, b, reduction="sum"), [logits, probs]),
    "ce_axis0": (lambda a, b: nn.losses.cross_entropy(a, b, axis=0), [logits.T, idx]),
    "bce_logits": (lambda a, b: nn.losses.binary_cross_entropy(a, b), [pred, (targ > 0).astype(mx.float32)]),
    "bce_probs": (lambda a, b, c: nn.losses.binary_cross_entropy(a, b, weights=c, with_logits=False,
                                                                 reduction="none"),
                  [mx.sigmoid(pred), mx.sigmoid(targ), mx.abs(rnd(55, (3, 4)))]),
    "l1": (lambda a, b: nn.losses.l1_loss(a, b), [pred, targ]),
    "mse": (lambda a, b: nn.losses.mse_loss(a, b, reduction="sum"), [pred, targ]),
    "nll": (lambda a, b: nn.losses.nll_loss(a, b, reduction="mean"), [nn.log_softmax(logits), idx]),
    "gaussian_nll": (lambda a, b, c: nn.losses.gaussian_nll_loss(a, b, c, full=True), [pred, targ,
                     mx.abs(rnd(56, (3, 4)))]),
    "kl_div": (lambda a, b: nn.losses.kl_div_loss(a, b, reduction="sum"), [nn.log_softmax(logits),
               nn.log_softmax(rnd(57, (4, 5)))]),
    "smooth_l1": (lambda a, b: nn.losses.smooth_l1_loss(a, b, beta=0.5), [pred, targ]),
    "triplet": (lambda a, b, c: nn.losses.triplet_loss(a, b, c), [pred, targ, rnd(58, (3, 4))]),
    "triplet_p1": (lambda a, b, c: nn.losses.triplet_loss(a, b, c, p=1, margin=0.5, reduction="mean"),
                   [pred, targ, rnd(58, (3, 4))]),
    "hinge": (lambda a, b: nn.losses.hinge_loss(a, b), [pred, mx.sign(targ)]),
    "huber": (lambda a, b: nn.losses.huber_loss(a, b, delta=0.7), [pred, targ]),
    "log_cosh": (lambda a, b: nn.losses.log_cosh_loss(a, b, reduction="mean"), [pred, targ]),
    "cosine": (lambda a, b: nn.losses.cosine_similarity_loss(a, b), [pred, targ]),
    "margin_ranking": (lambda a, b, c: nn.losses.margin_ranking_loss(a, b, c, margin=0.2),
                       [pred, targ, mx.sign(rnd(59, (3, 4)))]),
}
for case, (f, args) in LOSSES.items():
    for name, a in zip("abc", args):
        nn_fx[f"loss.{case}.{name}"] = a
    nn_fx[f"loss.{case}.y"] = f(*args)
    nn_fx[f"loss.{case}.da"] = mx.grad(lambda a: f(a, *args[1:]).sum())(args[0])

# ---- initialisers: mx.random.seed(60 + i) then the initialiser on a zeros array.
INITS = [
    ("constant", lambda: nn.init.constant(0.25)(mx.zeros((2, 3)))),
    ("normal", lambda: nn.init.normal(0.5, 2.0)(mx.zeros((3, 4)))),
    ("uniform", lambda: nn.init.uniform(-1.0, 2.0)(mx.zeros((5,)))),
    ("identity", lambda: nn.init.identity()(mx.zeros((4, 4)))),
    ("glorot_normal", lambda: nn.init.glorot_normal()(mx.zeros((3, 4, 5)), gain=1.5)),
    ("glorot_uniform", lambda: nn.init.glorot_uniform()(mx.zeros((4, 6)))),
    ("he_normal", lambda: nn.init.he_normal()(mx.zeros((4, 3, 2)), mode="fan_out")),
    ("he_uniform", lambda: nn.init.he_uniform()(mx.zeros((6, 5)), gain=2.0)),
]
for i, (name, f) in enumerate(INITS):
    mx.random.seed(60 + i)
    nn_fx[f"init.{name}"] = f()

# ---- an MLP trained 5 steps with AdamW (mx.random.seed(70), Linear(6, 16),
# Linear(16, 3), gelu; cross entropy mean); losses per step and final params.
mx.random.seed(70)
mlp = nn.Sequential(nn.Linear(6, 16), nn.GELU(), nn.Linear(16, 3))
mx_ = rnd(71, (32, 6))
my = mx.argmax(mx_[:, :3] + 0.5 * mx_[:, 3:], axis=1).astype(mx.int32)
nn_fx["mlp.x"], nn_fx["mlp.y"] = mx_, my
for k, v in flat(mlp).items():
    nn_fx[f"mlp.init.{k}"] = v
opt = optim.AdamW(learning_rate=0.05)
lg = nn.value_and_grad(mlp, lambda m, x, y: nn.losses.cross_entropy(m(x), y, reduction="mean"))
losses = []
for _ in range(5):
    loss, grads = lg(mlp, mx_, my)
    opt.update(mlp, grads)
    mx.eval(mlp.parameters(), opt.state)
    losses.append(loss.item())
nn_fx["mlp.losses"] = mx.array(losses)
for k, v in flat(mlp).items():
    nn_fx[f"mlp.final.{k}"] = v

mx.save_safetensors(os.path.join(OUT, "nn.safetensors"), nn_fx)

# ---- optimizers: "opt.<case>.p.<name>" initial params, ".g<step>.<name>" the
# gradient of each step, ".final.<name>" the params after the steps and
# ".state.<key>" the flattened optimizer state.
opt_fx = {}
P0 = {"w": rnd(80, (3, 4)), "b": rnd(81, (4,))}
STEPS = 4
GRADS = [{"w": rnd(90 + s, (3, 4)), "b": rnd(95 + s, (4,)) * 0.1} for s in range(STEPS)]
OPTS = {
    "sgd": lambda: optim.SGD(0.1),
    "sgd_momentum": lambda: optim.SGD(0.1, momentum=0.9, weight_decay=0.01, dampening=0.1),
    "sgd_nesterov": lambda: optim.SGD(0.05, momentum=0.8, nesterov=True),
    "rmsprop": lambda: optim.RMSprop(0.01),
    "adagrad": lambda: optim.Adagrad(0.1),
    "adadelta": lambda: optim.AdaDelta(1.0),
    "adam": lambda: optim.Adam(0.01),
    "adam_bc": lambda: optim.Adam(0.01, betas=[0.8, 0.99], bias_correction=True),
    "adamw": lambda: optim.AdamW(0.01),
    "adamw_bc": lambda: optim.AdamW(0.02, weight_decay=0.1, bias_correction=True),
    "adamax": lambda: optim.Adamax(0.02),
    "lion": lambda: optim.Lion(0.01, weight_decay=0.1),
    "adafactor": lambda: optim.Adafactor(),
    "adafactor_lr": lambda: optim.Adafactor(learning_rate=0.01, relative_step=False, beta_1=0.9,
                                            weight_decay=0.1, warmup_init=False, scale_parameter=False),
    "adafactor_warmup": lambda: optim.Adafactor(warmup_init=True, clip_threshold=0.5),
    "adam_cosine": lambda: optim.Adam(optim.cosine_decay(0.1, 3, 0.01)),
    "sgd_join": lambda: optim.SGD(optim.join_schedules([optim.linear_schedule(0.0, 0.1, 2),
                                                        optim.exponential_decay(0.1, 0.5)], [2])),
}
for case, make in OPTS.items():
    o = make()
    params = dict(P0)
    for s in range(STEPS):
        params = dict(tree_flatten(o.apply_gradients(GRADS[s], params)))
        mx.eval(params, o.state)
    for k, v in P0.items():
        opt_fx[f"opt.{case}.p.{k}"] = v
    for s in range(STEPS):
        for k, v in GRADS[s].items():
            opt_fx[f"opt.{case}.g{s}.{k}"] = v
    for k, v in params.items():
        opt_fx[f"opt.{case}.final.{k}"] = v
    for k, v in tree_flatten(o.state):
        opt_fx[f"opt.{case}.state.{k}"] = v

# ---- schedules: "sched.<case>" the learning rate at steps 0..11.
SCHEDS = {
    "exponential": optim.exponential_decay(0.1, 0.9),
    "step": optim.step_decay(0.1, 0.5, 3),
    "cosine": optim.cosine_decay(0.1, 8),
    "cosine_end": optim.cosine_decay(0.1, 8, 0.02),
    "linear": optim.linear_schedule(0.0, 0.1, 5),
    "join": optim.join_schedules([optim.linear_schedule(0.0, 0.1, 4), optim.cosine_decay(0.1, 5, 0.01)], [4]),
}
steps = mx.arange(12).astype(mx.uint64)
for case, f in SCHEDS.items():
    opt_fx[f"sched.{case}"] = mx.stack([f(s) for s in steps])

# ---- clip_grad_norm of GRADS[0] at max_norm 1.5 and 100.
for case, max_norm in (("clip", 1.5), ("noclip", 100.0)):
    clipped, norm = optim.clip_grad_norm(GRADS[0], max_norm)
    for k, v in clipped.items():
        opt_fx[f"{case}.{k}"] = v
    opt_fx[f"{case}.norm"] = norm

mx.save_safetensors(os.path.join(OUT, "optim.safetensors"), opt_fx)
print(len(nn_fx), "nn arrays,", len(opt_fx), "optim arrays")
