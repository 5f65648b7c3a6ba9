"""The demo's GPT, written once for any MLX-compatible backend.

`model_classes(mx, nn)` defines the model over the given modules (cmlx.core/cmlx.nn or mlx.core/mlx.nn)
and returns (GPT, loss_fn). Used by gpt_demo.py, bench/train_step.py and tests/python/test_gpt_golden.py,
so the benchmark and the golden test run the very model the demo trains. It is the same architecture as
the C demo (examples/gpt/gpt_model.c): token embedding, pre-norm blocks (LayerNorm, causal attention with
RoPE, GELU MLP), final LayerNorm, untied head.
"""

import math


def model_classes(mx, nn):
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

    return GPT, loss_fn
