"""PyTorch's training step of the demo's GPT (examples/demo.c), for the ratio of issue 7's
"GPT training step of the main job at a larger size" benchmark.

The same model, shapes and ops as the demo: token embedding; pre-norm blocks
  x + out(SDPA(RoPE(q), RoPE(k), v, causal)) of LayerNorm(x), then x + fc2(gelu(fc1(LayerNorm(x))))
with qkv and out without bias, fc1/fc2 with bias, RoPE as MLX's nn.RoPE(head_dim) (not
traditional, base 10000), exact (erf) GELU; a final LayerNorm and a linear head without bias;
mean cross-entropy; gradient clipping at norm 1; AdamW (weight decay 0.01). float32 throughout,
TF32 off (cmlx's float32 matmuls do not use TF32 unless asked). Each step ends by reading the
loss, as the demo's does.

    python3 bench/gpt_step_torch.py [--size large] [--device cuda|cpu] [--steps N]
                                    [--layers L --dims D --heads H --context T --batch B --vocab V]

Prints the median step time (after --warmup steps) and tokens per second. Compare with
    ./build/examples/demo --size large --device gpu --steps N --sample-chars 0 --quiet
("step time: median ... ms").
"""

import argparse
import math
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

SIZES = {"small": dict(layers=4, dims=128, heads=4, context=64, batch=32),
         "large": dict(layers=6, dims=384, heads=6, context=256, batch=64)}

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--size", choices=SIZES, default="large")
parser.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
parser.add_argument("--steps", type=int, default=30, help="timed steps")
parser.add_argument("--warmup", type=int, default=5)
parser.add_argument("--profile", action="store_true",
                    help="after the timing, profile 10 steps (torch.profiler) and print the top CUDA kernels")
parser.add_argument("--vocab", type=int, default=114, help="the fortunes' distinct bytes (the demo prints it)")
for name in ("layers", "dims", "heads", "context", "batch"):
    parser.add_argument(f"--{name}", type=int)
args = parser.parse_args()
cfg = dict(SIZES[args.size])
cfg.update({k: getattr(args, k) for k in cfg if getattr(args, k) is not None})

torch.backends.cuda.matmul.allow_tf32 = False
torch.backends.cudnn.allow_tf32 = False
device = torch.device(args.device)


class RoPE(nn.Module):
    """MLX's nn.RoPE(dims) (traditional=False): rotates the halves of the last axis."""

    def __init__(self, dims, base=10000.0):
        super().__init__()
        self.register_buffer("inv_freq", base ** (-torch.arange(0, dims, 2, dtype=torch.float32) / dims))

    def forward(self, x):  # (B, H, T, D)
        t = torch.arange(x.shape[-2], device=x.device, dtype=torch.float32)
        theta = t[:, None] * self.inv_freq[None, :]
        cos, sin = theta.cos(), theta.sin()
        x1, x2 = x.chunk(2, dim=-1)
        return torch.cat([x1 * cos - x2 * sin, x1 * sin + x2 * cos], dim=-1)


class Attention(nn.Module):
    def __init__(self, dims, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dims, 3 * dims, bias=False)
        self.out = nn.Linear(dims, dims, bias=False)
        self.rope = RoPE(dims // heads)

    def forward(self, x):
        B, T, D = x.shape
        q, k, v = self.qkv(x).split(D, dim=-1)
        q, k, v = (a.reshape(B, T, self.heads, -1).transpose(1, 2) for a in (q, k, v))
        q, k = self.rope(q), self.rope(k)
        o = F.scaled_dot_product_attention(q, k, v, is_causal=True, scale=1 / math.sqrt(q.shape[-1]))
        return self.out(o.transpose(1, 2).reshape(B, T, D))


class Block(nn.Module):
    def __init__(self, dims, heads):
        super().__init__()
        self.norm1 = nn.LayerNorm(dims, eps=1e-5)
        self.attention = Attention(dims, heads)
        self.norm2 = nn.LayerNorm(dims, eps=1e-5)
        self.fc1 = nn.Linear(dims, 4 * dims)
        self.fc2 = nn.Linear(4 * dims, dims)

    def forward(self, x):
        x = x + self.attention(self.norm1(x))
        return x + self.fc2(F.gelu(self.fc1(self.norm2(x))))


class GPT(nn.Module):
    def __init__(self, vocab, dims, heads, layers):
        super().__init__()
        self.embedding = nn.Embedding(vocab, dims)
        self.layers = nn.ModuleList(Block(dims, heads) for _ in range(layers))
        self.norm = nn.LayerNorm(dims, eps=1e-5)
        self.head = nn.Linear(dims, vocab, bias=False)

    def forward(self, x):
        x = self.embedding(x)
        for layer in self.layers:
            x = layer(x)
        return self.head(self.norm(x))


torch.manual_seed(0)
model = GPT(args.vocab, cfg["dims"], cfg["heads"], cfg["layers"]).to(device)
optimizer = torch.optim.AdamW(model.parameters(), lr=1.5e-3, weight_decay=0.01)
B, T = cfg["batch"], cfg["context"]
tokens = torch.randint(0, args.vocab, (args.warmup + args.steps, B, T + 1), device=device)


def step(i):
    x, y = tokens[i, :, :-1], tokens[i, :, 1:]
    logits = model(x)
    loss = F.cross_entropy(logits.reshape(-1, args.vocab), y.reshape(-1))
    optimizer.zero_grad(set_to_none=True)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    optimizer.step()
    return loss.item()  # waits for the step, as the demo's loss read does


times = []
for i in range(args.warmup + args.steps):
    start = time.perf_counter()
    loss = step(i)
    if i >= args.warmup:
        times.append(time.perf_counter() - start)
median = statistics.median(times)
name = torch.cuda.get_device_name(device) if device.type == "cuda" else "CPU"
params = sum(p.numel() for p in model.parameters())
print(f"torch {torch.__version__} on {name}: {cfg['layers']} layers, {cfg['dims']} dims, {cfg['heads']} heads, "
      f"context {T}, batch {B}, vocab {args.vocab}, {params / 1e6:.2f}M parameters, float32 (TF32 off)")
print(f"step time: median {1e3 * median:.1f} ms over {len(times)} steps after {args.warmup} warm-up "
      f"({B * T / median:.0f} tokens/s); last loss {loss:.3f}")

if args.profile:  # the GPU time by kernel, to compare with cmlx's CMLX_CUDA_PROFILE table
    from torch.profiler import ProfilerActivity, profile
    with profile(activities=[ProfilerActivity.CUDA]) as prof:
        for i in range(10):
            step(i)
    print(prof.key_averages().table(sort_by="cuda_time_total", row_limit=25, max_name_column_width=60))
