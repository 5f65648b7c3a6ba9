"""One training step side by side: cmlx from C, cmlx from Python, MLX (CPU) and PyTorch (CPU).

    python3 bench/train_step.py [--build build] [--rounds 3] [--steps 20] [--warmup 5]
                                [--models mlp,gpt] [--frameworks cmlx-c,cmlx-py,mlx,torch]

A step is forward + backward + optimizer update, evaluated (mx.eval of the parameters, the
optimizer state and the loss; PyTorch: loss.backward(), optimizer.step(), loss.item()):
  mlp  784-512-512-10 ReLU MLP, batch 128, cross-entropy, AdamW (lr 1e-3, weight decay 0.01)
  gpt  the demo's GPT (`make demo`): 4 layers, 128 dims, 4 heads, context 64, batch 32, vocabulary
       of the fortunes' distinct characters, AdamW (lr 1.5e-3, weight decay 0.01), gradients
       clipped to norm 1 (the demo's step, at a constant learning rate)
cmlx from C is the demo's own model and step (examples/gpt/gpt_model.c, with its warm-up/cosine
learning rate); the others use a constant rate. The data is one random batch, drawn once. Each framework runs in its own process (no two thread
pools in one process); the processes are interleaved, round after round, so a change of the
machine's load (it is shared) hits every framework alike. A process warms up, then times --steps
steps; the table gives the median over every round's steps, and the ratios to MLX and PyTorch
(> 1: slower than them). --threads N (default: the CPUs available) goes to every process as
CMLX_NUM_THREADS, OMP_NUM_THREADS, OPENBLAS_NUM_THREADS and MKL_NUM_THREADS, and to PyTorch as
torch.set_num_threads (MLX has no thread setting of its own; its BLAS follows OPENBLAS_NUM_THREADS).
"""

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
FORTUNES = "/usr/share/games/fortunes"
GPT = dict(layers=4, dims=128, heads=4, context=64, batch=32)


def cpu_threads():
    """cmlx's thread count: CMLX_NUM_THREADS, else OMP_NUM_THREADS, else the affinity mask."""
    for var in ("CMLX_NUM_THREADS", "OMP_NUM_THREADS"):
        value = os.environ.get(var, "").split(",")[0]
        if value.isdigit() and int(value) > 0:
            return int(value)
    return len(os.sched_getaffinity(0))


def fortunes_vocab():
    """Distinct bytes of the demo's text (examples/python/gpt_demo.py's read_corpus)."""
    if not os.path.isdir(FORTUNES):
        return 100
    chars = set()
    for n in sorted(os.listdir(FORTUNES)):
        path = os.path.join(FORTUNES, n)
        if "." not in n and not n.endswith("-o") and os.path.isfile(path) and not os.path.islink(path):
            chars |= set(open(path, "rb").read())
    return len(chars)


# ---- the workers: one framework, one model, in this process --------------------------------------
def mx_worker(name, model_name, steps, warmup, vocab):
    import importlib
    mx = importlib.import_module(f"{name}.core")
    nn = importlib.import_module(f"{name}.nn")
    optim = importlib.import_module(f"{name}.optimizers")
    if name == "mlx":
        mx.set_default_device(mx.cpu)
    mx.random.seed(0)

    if model_name == "mlp":
        class Model(nn.Module):
            def __init__(self):
                super().__init__()
                self.l1, self.l2, self.l3 = nn.Linear(784, 512), nn.Linear(512, 512), nn.Linear(512, 10)

            def __call__(self, x):
                return self.l3(nn.relu(self.l2(nn.relu(self.l1(x)))))

        model = Model()
        x = mx.random.normal((128, 784))
        y = mx.random.randint(0, 10, (128,)).astype(mx.int32)
        optimizer = optim.AdamW(learning_rate=1e-3, weight_decay=0.01)
        clip = False
    else:
        sys.path.insert(0, os.path.join(ROOT, "examples", "python"))
        from gpt_model import model_classes  # the demo's model (examples/python/gpt_demo.py)
        GPTModel, _ = model_classes(mx, nn)

        model = GPTModel(vocab, GPT["dims"], GPT["heads"], GPT["layers"])
        shape = (GPT["batch"], GPT["context"])
        x = mx.random.randint(0, vocab, shape).astype(mx.int32)
        y = mx.random.randint(0, vocab, shape).astype(mx.int32)
        optimizer = optim.AdamW(learning_rate=1.5e-3, weight_decay=0.01)
        clip = True
    mx.eval(model.parameters(), x, y)

    def loss_fn(model, x, y):
        return nn.losses.cross_entropy(model(x), y, reduction="mean")

    loss_and_grad = nn.value_and_grad(model, loss_fn)
    times, loss_value = [], float("nan")
    for i in range(warmup + steps):
        t0 = time.perf_counter()
        loss, grads = loss_and_grad(model, x, y)
        if clip:
            grads, _ = optim.clip_grad_norm(grads, 1.0)
        optimizer.update(model, grads)
        mx.eval(model.parameters(), optimizer.state, loss)
        loss_value = loss.item()
        if i >= warmup:
            times.append(1e3 * (time.perf_counter() - t0))
    return {"model": model_name, "loss": loss_value, "step_ms": times}


def torch_worker(model_name, steps, warmup, vocab, threads):
    import torch
    import torch.nn as tnn
    import torch.nn.functional as F
    torch.set_num_threads(threads)
    torch.manual_seed(0)

    if model_name == "mlp":
        model = tnn.Sequential(tnn.Linear(784, 512), tnn.ReLU(), tnn.Linear(512, 512), tnn.ReLU(),
                               tnn.Linear(512, 10))
        x, y = torch.randn(128, 784), torch.randint(0, 10, (128,))
        lr, clip = 1e-3, False
    else:
        dims, heads, T = GPT["dims"], GPT["heads"], GPT["context"]
        hd = dims // heads
        inv_freq = 10000.0 ** (-torch.arange(0, hd // 2, dtype=torch.float32) / (hd // 2))
        angles = torch.arange(T, dtype=torch.float32)[:, None] * inv_freq[None, :]
        cos, sin = angles.cos(), angles.sin()

        def rope(a):  # MLX's nn.RoPE(traditional=False): the two halves rotate together
            a1, a2 = a[..., :hd // 2], a[..., hd // 2:]
            return torch.cat([a1 * cos - a2 * sin, a1 * sin + a2 * cos], dim=-1)

        class Block(tnn.Module):
            def __init__(self):
                super().__init__()
                self.norm1, self.norm2 = tnn.LayerNorm(dims), tnn.LayerNorm(dims)
                self.qkv = tnn.Linear(dims, 3 * dims, bias=False)
                self.out = tnn.Linear(dims, dims, bias=False)
                self.fc1, self.fc2 = tnn.Linear(dims, 4 * dims), tnn.Linear(4 * dims, dims)

            def forward(self, x):
                B, T_, D = x.shape
                q, k, v = self.qkv(self.norm1(x)).split(D, dim=-1)
                q, k, v = (a.reshape(B, T_, heads, hd).transpose(1, 2) for a in (q, k, v))
                o = F.scaled_dot_product_attention(rope(q), rope(k), v, is_causal=True, scale=1 / math.sqrt(hd))
                x = x + self.out(o.transpose(1, 2).reshape(B, T_, D))
                return x + self.fc2(F.gelu(self.fc1(self.norm2(x))))

        class Model(tnn.Module):
            def __init__(self):
                super().__init__()
                self.embedding = tnn.Embedding(vocab, dims)
                self.layers = tnn.ModuleList(Block() for _ in range(GPT["layers"]))
                self.norm = tnn.LayerNorm(dims)
                self.head = tnn.Linear(dims, vocab, bias=False)

            def forward(self, x):
                x = self.embedding(x)
                for layer in self.layers:
                    x = layer(x)
                return self.head(self.norm(x)).reshape(-1, vocab)

        model = Model()
        x = torch.randint(0, vocab, (GPT["batch"], T))
        y = torch.randint(0, vocab, (GPT["batch"], T)).reshape(-1)
        lr, clip = 1.5e-3, True
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01)
    times, loss_value = [], float("nan")
    for i in range(warmup + steps):
        t0 = time.perf_counter()
        optimizer.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        if clip:
            tnn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        loss_value = loss.item()
        if i >= warmup:
            times.append(1e3 * (time.perf_counter() - t0))
    return {"model": model_name, "loss": loss_value, "step_ms": times,
            "threads": f"torch {torch.__version__}, {torch.get_num_threads()} threads"}


def worker_main(args):
    if args.worker == "torch":
        out = torch_worker(args.model, args.steps, args.warmup, args.vocab, cpu_threads())
    else:
        out = mx_worker(args.worker, args.model, args.steps, args.warmup, args.vocab)
    print(json.dumps(out))


# ---- the driver ------------------------------------------------------------------------------
def command(fw, model, args, vocab):
    common = ["--steps", str(args.steps), "--warmup", str(args.warmup), "--vocab", str(vocab)]
    if fw == "cmlx-c":
        return [os.path.join(args.build, "bench", "train_step"), model] + common
    worker = {"cmlx-py": "cmlx", "mlx": "mlx", "torch": "torch"}[fw]
    return [sys.executable, os.path.abspath(__file__), "--worker", worker, "--model", model] + common


def run_one(cmd, threads):
    env = dict(os.environ)
    for var in ("CMLX_NUM_THREADS", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        env[var] = str(threads)
    env["PYTHONPATH"] = os.path.join(ROOT, "python") + os.pathsep + env.get("PYTHONPATH", "")
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=1800)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed (exit status {proc.returncode}):\n{proc.stderr[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--build", default=os.path.join(ROOT, "build"))
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--steps", type=int, default=20)
    p.add_argument("--warmup", type=int, default=5)
    p.add_argument("--models", default="mlp,gpt")
    p.add_argument("--frameworks", default="cmlx-c,cmlx-py,mlx,torch")
    p.add_argument("--threads", type=int, default=cpu_threads(),
                   help="threads of every framework: CMLX_NUM_THREADS, OMP_NUM_THREADS, OPENBLAS_NUM_THREADS, "
                        "MKL_NUM_THREADS and torch.set_num_threads (default: the CPUs available)")
    p.add_argument("--json", help="write every step time here")
    p.add_argument("--worker", help=argparse.SUPPRESS)
    p.add_argument("--model", help=argparse.SUPPRESS)
    p.add_argument("--vocab", type=int, default=0, help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.worker:
        return worker_main(args)

    models, frameworks = args.models.split(","), args.frameworks.split(",")
    vocab = fortunes_vocab()
    threads = args.threads
    print(f"train_step: {threads} threads (CMLX_NUM_THREADS, OMP/OPENBLAS/MKL_NUM_THREADS, torch.set_num_threads); "
          f"{len(os.sched_getaffinity(0))} CPUs; "
          f"GPT vocabulary {vocab}; {args.rounds} rounds x {args.steps} steps after {args.warmup} warm-up steps")
    times = {(m, f): [] for m in models for f in frameworks}
    loads = []
    for r in range(args.rounds):
        for m in models:
            for f in frameworks:
                before = os.getloadavg()[0]
                out = run_one(command(f, m, args, vocab), threads)
                times[(m, f)] += out["step_ms"]
                loads.append(before)
                print(f"  round {r + 1} {m:4} {f:8} median {statistics.median(out['step_ms']):8.2f} ms "
                      f"(loss {out['loss']:.3f}; load average {before:.1f})", flush=True)
    print(f"\nmachine load (1-minute average) during the runs: {min(loads):.1f} to {max(loads):.1f} "
          f"on {os.cpu_count()} CPUs\n")
    header = f"{'model':5} {'framework':9} {'median ms':>10} {'p10..p90 ms':>17} {'vs MLX':>7} {'vs torch':>8}"
    print(header)
    print("-" * len(header))
    for m in models:
        med = {f: statistics.median(times[(m, f)]) for f in frameworks}
        for f in frameworks:
            t = sorted(times[(m, f)])
            p10, p90 = t[len(t) // 10], t[(9 * len(t)) // 10]
            vs_mlx = f"{med[f] / med['mlx']:.2f}x" if "mlx" in med else "-"
            vs_torch = f"{med[f] / med['torch']:.2f}x" if "torch" in med else "-"
            print(f"{m:5} {f:9} {med[f]:10.2f} {p10:8.2f}..{p90:<8.2f} {vs_mlx:>7} {vs_torch:>8}")
    if args.json:
        with open(args.json, "w") as fh:
            json.dump({f"{m}/{f}": v for (m, f), v in times.items()}, fh)


if __name__ == "__main__":
    main()
