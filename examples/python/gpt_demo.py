"""The demo's character-level GPT (examples/demo.c) written as an MLX user writes it.

    python examples/python/gpt_demo.py [--backend cmlx|mlx] [--device cpu|gpu] [--steps N] [--data FILE]
                                       [--out PATH] [--seed S] [--quiet] [--init CHECKPOINT] [--layers L]
                                       [--dims D] [--heads H] [--context T] [--batch B] [--lr LR] [--sample-chars N]

--backend picks the modules: cmlx.core / cmlx.nn / cmlx.optimizers, or mlx.core / mlx.nn /
mlx.optimizers; nothing else differs. --device picks the default device (default: the GPU when
the backend has one, mx.set_default_device). The parameter names are the C demo's, so a checkpoint
written by either loads into the other (model.load_weights).
"""

import argparse
import importlib
import os
import random
import sys
import time

from gpt_model import model_classes

FORTUNES = "/usr/share/games/fortunes"

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--backend", choices=["cmlx", "mlx"], default="cmlx")
parser.add_argument("--device", choices=["cpu", "gpu"], help="default: the GPU when there is one")
parser.add_argument("--steps", type=int, default=1000)
parser.add_argument("--data", help="a text file (default: Debian's fortunes)")
parser.add_argument("--out", default="build/gpt_demo_py.safetensors")
parser.add_argument("--init", help="start from a checkpoint (for instance the C demo's build/gpt_demo.safetensors)")
parser.add_argument("--seed", type=int, default=0)
parser.add_argument("--quiet", action="store_true")
parser.add_argument("--layers", type=int, default=4)
parser.add_argument("--dims", type=int, default=128)
parser.add_argument("--heads", type=int, default=4)
parser.add_argument("--context", type=int, default=64)
parser.add_argument("--batch", type=int, default=32)
parser.add_argument("--lr", type=float, default=1.5e-3)
parser.add_argument("--sample-chars", type=int, default=400)
parser.add_argument("--temperature", type=float, default=0.8)
args = parser.parse_args()

mx = importlib.import_module(f"{args.backend}.core")
nn = importlib.import_module(f"{args.backend}.nn")
optim = importlib.import_module(f"{args.backend}.optimizers")
device = args.device or ("gpu" if mx.is_available(mx.gpu) else "cpu")
mx.set_default_device(mx.gpu if device == "gpu" else mx.cpu)  # raises when there is no GPU


# ---- data: bytes of the fortunes (or --data), the last 5% held out
def read_corpus():
    if args.data:
        return open(args.data, "rb").read()
    names = sorted(n for n in os.listdir(FORTUNES)
                   if "." not in n and not n.endswith("-o") and os.path.isfile(os.path.join(FORTUNES, n))
                   and not os.path.islink(os.path.join(FORTUNES, n)))
    return b"".join(open(os.path.join(FORTUNES, n), "rb").read() for n in names)


text = read_corpus()
chars = sorted(set(text))
index = {c: i for i, c in enumerate(chars)}
tokens = [index[c] for c in text]
train_size = len(tokens) - len(tokens) // 20
rng = random.Random(args.seed)


def batch(lo, hi, generator):
    T = args.context
    starts = [generator.randrange(lo, hi - T - 1) for _ in range(args.batch)]
    x = mx.array([tokens[s:s + T] for s in starts], dtype=mx.int32)
    y = mx.array([tokens[s + 1:s + T + 1] for s in starts], dtype=mx.int32)
    return x, y


# ---- model (examples/python/gpt_model.py, shared with bench/train_step.py and the golden test)
GPT, loss_fn = model_classes(mx, nn)


mx.random.seed(args.seed)
model = GPT(len(chars), args.dims, args.heads, args.layers)
if args.init:
    model.load_weights(args.init)
mx.eval(model.parameters())
device_name = f" ({mx.device_info().get('device_name', '?')})" if device == "gpu" else ""
print(f"{args.backend} GPT demo on {mx.default_device()}{device_name}: {len(text) / 1e6:.2f} MB, {len(chars)} characters, "
      f"{args.layers} layers, {args.dims} dims, {args.heads} heads, context {args.context}")

warmup = max(1, min(100, args.steps // 10))
schedule = optim.join_schedules([optim.linear_schedule(0.0, args.lr, warmup),
                                 optim.cosine_decay(args.lr, max(1, args.steps - warmup), args.lr / 10)], [warmup])
optimizer = optim.AdamW(learning_rate=schedule, weight_decay=0.01)
loss_and_grad = nn.value_and_grad(model, loss_fn)

losses, step_seconds = [], []
start = time.time()
for step in range(1, args.steps + 1):
    step_start = time.time()
    x, y = batch(0, train_size, rng)
    loss, grads = loss_and_grad(model, x, y)
    grads, _ = optim.clip_grad_norm(grads, 1.0)
    optimizer.update(model, grads)
    mx.eval(model.parameters(), optimizer.state, loss)
    losses.append(loss.item())
    step_seconds.append(time.time() - step_start)
    if not args.quiet:
        elapsed = time.time() - start
        eta = elapsed / step * (args.steps - step)
        bar = "#" * (24 * step // args.steps)
        print(f"\r[{bar:.<24}] step {step}/{args.steps}  loss {losses[-1]:.3f}  "
              f"{step * args.batch * args.context / elapsed:.0f} tok/s  eta {eta:.0f}s ", end="", flush=True)
elapsed = time.time() - start
print(f"\ntrained {args.steps} steps in {elapsed:.1f} s; loss {losses[0]:.3f} at first, "
      f"{sum(losses[-20:]) / len(losses[-20:]):.3f} over the last {len(losses[-20:])} steps")
timed = sorted(step_seconds[1:] or step_seconds)  # the first step allocates (and warms a GPU up)
median = timed[len(timed) // 2]
print(f"step time: median {1e3 * median:.1f} ms over {len(timed)} steps "
      f"({args.batch * args.context / median:.0f} tokens/s)")

# ---- checkpoint: save, load into a fresh model, same held-out loss
vx, vy = batch(train_size, len(tokens), random.Random(args.seed + 1))
held_out = loss_fn(model, vx, vy).item()
os.makedirs(os.path.dirname(args.out) or ".", exist_ok=True)
model.save_weights(args.out)
fresh = GPT(len(chars), args.dims, args.heads, args.layers)
fresh.load_weights(args.out)
reloaded = loss_fn(fresh, vx, vy).item()
print(f"held-out loss {held_out:.4f}; checkpoint {args.out} reloaded: {reloaded:.4f}"
      f" ({'identical' if reloaded == held_out else 'DIFFERENT'})")
assert reloaded == held_out

# ---- sample
if args.sample_chars:
    key = mx.random.key(args.seed + 1)
    out = list(b"%\n")
    for _ in range(args.sample_chars):
        window = [index.get(c, 0) for c in out[-args.context:]]
        logits = fresh(mx.array([window], dtype=mx.int32))[0, -1]
        key, sub = mx.random.split(key)
        out.append(chars[mx.random.categorical(logits * (1 / args.temperature), key=sub).item()])
    print("-" * 64)
    print(bytes(out[2:]).decode("utf-8", errors="replace"))
    print("-" * 64)
