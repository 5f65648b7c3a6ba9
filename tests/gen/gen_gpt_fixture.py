"""Writes tests/c/data/gpt_golden.safetensors, the llm.c-style golden fixture of the demo's GPT
(examples/demo.c, examples/gpt/gpt_model.c), computed by MLX:

    python3 tests/gen/gen_gpt_fixture.py        # needs mlx (pip install 'mlx[cpu]'); about 2 s

The model is written here as an MLX user writes it (mlx.nn modules, nn.value_and_grad, optim.AdamW with
join_schedules, optim.clip_grad_norm), the same model as examples/python/gpt_demo.py, with the C demo's
parameter names. The fixture holds, for a small configuration (CONFIG below):

    init.<name>      the initial parameters (mx.random.seed(SEED), then the constructors)
    x, y             one batch (BATCH, CONTEXT) int32: windows of TEXT and the next character of each
    logits           (BATCH, CONTEXT, vocab) of the initial model on x
    loss             () the mean cross-entropy of logits against y
    grad.<name>      the gradient of loss for every parameter (before clipping)
    grad_norm        () the gradients' global norm (the clipping's input)
    steps.x, steps.y (STEPS, BATCH, CONTEXT) int32: the batches of the training steps (steps.x[0] is x)
    steps.loss       (STEPS,) the loss of each step, before its update
    steps.lr         (STEPS,) the learning rate each update used
    final.<name>     the parameters after the STEPS updates

The training steps are the demo's: AdamW (weight decay 0.01, MLX's betas and eps, no bias correction),
learning rate rising linearly from 0 over the warm-up (10% of the steps, at least 1) then a cosine down
to lr / 10 at the last step, gradients clipped to global norm 1. The metadata records the MLX version
and the configuration. MLX's CPU results do not change between runs of the same version on the same
machine, so rerunning rewrites the same file; another MLX version may differ in the last bits.
"""

import json
import math
import os
import random

import mlx.core as mx
import mlx.nn as nn
import mlx.optimizers as optim
from mlx.utils import tree_flatten

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "c", "data", "gpt_golden.safetensors")

SEED = 7
LAYERS, DIMS, HEADS, CONTEXT, BATCH = 2, 32, 4, 32, 4
STEPS, LR = 10, 1e-2

# A few lines of text, as the demo trains on (the vocabulary is the set of its bytes).
TEXT = (b"The quick brown fox jumps over the lazy dog, and the dog sleeps on.\n"
        b"%\n"
        b"Pack my box with five dozen liquor jugs; then bring the box home.\n"
        b"%\n"
        b"How vexingly quick daft zebras jump! Sphinx of black quartz, judge my vow.\n"
        b"%\n")


class Attention(nn.Module):
    def __init__(self, dims, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dims, 3 * dims, bias=False)
        self.out = nn.Linear(dims, dims, bias=False)
        self.rope = nn.RoPE(dims // heads)

    def __call__(self, x):
        B, T, D = x.shape
        q, k, v = mx.split(self.qkv(x), 3, axis=-1)
        q, k, v = (a.reshape(B, T, self.heads, -1).transpose(0, 2, 1, 3) for a in (q, k, v))
        q, k = self.rope(q), self.rope(k)
        o = mx.fast.scaled_dot_product_attention(q, k, v, scale=1 / math.sqrt(q.shape[-1]), mask="causal")
        return self.out(o.transpose(0, 2, 1, 3).reshape(B, T, D))


class Block(nn.Module):
    def __init__(self, dims, heads):
        super().__init__()
        self.norm1 = nn.LayerNorm(dims)
        self.attention = Attention(dims, heads)
        self.norm2 = nn.LayerNorm(dims)
        self.fc1 = nn.Linear(dims, 4 * dims)
        self.fc2 = nn.Linear(4 * dims, dims)

    def __call__(self, x):
        x = x + self.attention(self.norm1(x))
        return x + self.fc2(nn.gelu(self.fc1(self.norm2(x))))


class GPT(nn.Module):
    def __init__(self, vocab, dims, heads, layers):
        super().__init__()
        self.embedding = nn.Embedding(vocab, dims)
        self.layers = [Block(dims, heads) for _ in range(layers)]
        self.norm = nn.LayerNorm(dims)
        self.head = nn.Linear(dims, vocab, bias=False)

    def __call__(self, x):
        x = self.embedding(x)
        for layer in self.layers:
            x = layer(x)
        return self.head(self.norm(x))


def loss_fn(model, x, y):
    return nn.losses.cross_entropy(model(x), y, reduction="mean")


def main():
    mx.set_default_device(mx.cpu)
    chars = sorted(set(TEXT))
    index = {c: i for i, c in enumerate(chars)}
    tokens = [index[c] for c in TEXT]
    rng = random.Random(SEED)

    def batch():
        starts = [rng.randrange(0, len(tokens) - CONTEXT - 1) for _ in range(BATCH)]
        return ([tokens[s:s + CONTEXT] for s in starts], [tokens[s + 1:s + CONTEXT + 1] for s in starts])

    batches = [batch() for _ in range(STEPS)]
    steps_x = mx.array([b[0] for b in batches], dtype=mx.int32)
    steps_y = mx.array([b[1] for b in batches], dtype=mx.int32)

    mx.random.seed(SEED)
    model = GPT(len(chars), DIMS, HEADS, LAYERS)
    mx.eval(model.parameters())
    out = {f"init.{k}": v for k, v in tree_flatten(model.parameters())}

    x, y = steps_x[0], steps_y[0]
    out["x"], out["y"] = x, y
    out["logits"] = model(x)
    loss_and_grad = nn.value_and_grad(model, loss_fn)
    loss, grads = loss_and_grad(model, x, y)
    out["loss"] = loss
    out.update({f"grad.{k}": v for k, v in tree_flatten(grads)})
    _, out["grad_norm"] = optim.clip_grad_norm(grads, 1.0)

    # the demo's optimizer (examples/gpt/gpt_model.c, gpt_optimizer_new; gpt_demo.py)
    warmup = max(1, min(100, STEPS // 10))
    schedule = optim.join_schedules([optim.linear_schedule(0.0, LR, warmup),
                                     optim.cosine_decay(LR, max(1, STEPS - warmup), LR / 10)], [warmup])
    optimizer = optim.AdamW(learning_rate=schedule, weight_decay=0.01)
    losses, lrs = [], []
    for step in range(STEPS):
        loss, grads = loss_and_grad(model, steps_x[step], steps_y[step])
        grads, _ = optim.clip_grad_norm(grads, 1.0)
        optimizer.update(model, grads)
        mx.eval(model.parameters(), optimizer.state, loss)
        losses.append(loss)
        lrs.append(optimizer.learning_rate)
    out["steps.x"], out["steps.y"] = steps_x, steps_y
    out["steps.loss"] = mx.stack(losses)
    out["steps.lr"] = mx.stack(lrs).astype(mx.float32)
    out.update({f"final.{k}": v for k, v in tree_flatten(model.parameters())})

    config = {"vocab": len(chars), "layers": LAYERS, "dims": DIMS, "heads": HEADS, "context": CONTEXT,
              "batch": BATCH, "steps": STEPS, "warmup": warmup, "lr": LR, "seed": SEED}
    metadata = {"mlx_version": mx.__version__, "config": json.dumps(config),
                "generator": "tests/gen/gen_gpt_fixture.py"}
    # plain C-readable numbers too: "vocab layers dims heads context batch steps warmup"
    metadata["sizes"] = " ".join(str(config[k]) for k in
                                 ("vocab", "layers", "dims", "heads", "context", "batch", "steps", "warmup"))
    metadata["lr seed"] = f"{LR!r} {SEED}"
    mx.eval(out)
    mx.save_safetensors(OUT, out, metadata=metadata)
    size = os.path.getsize(OUT)
    print(f"{os.path.relpath(OUT)}: {len(out)} arrays, {size / 1e3:.0f} kB; MLX {mx.__version__}; "
          f"loss {losses[0].item():.4f} -> {losses[-1].item():.4f}, grad norm {out['grad_norm'].item():.3f}")


if __name__ == "__main__":
    main()
