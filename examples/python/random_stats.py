"""Sampling statistics of mx.random: moments and a histogram of uniform and normal draws.

    python examples/python/random_stats.py [cmlx.core|mlx.core]
"""

from _module import array_module

mx = array_module()

mx.random.seed(7)
n = 100_000
u = mx.random.uniform(shape=(n,))
z = mx.random.normal((n,), loc=1.0, scale=2.0)
mx.eval(u, z)

print(f"uniform: mean {mx.mean(u).item():.4f} var {mx.var(u).item():.4f} (1/2, 1/12 = 0.0833)")
print(f"uniform: min {mx.min(u).item():.5f} max {mx.max(u).item():.5f}")
print(f"normal: mean {mx.mean(z).item():.4f} std {mx.std(z).item():.4f} (1, 2)")
within = mx.mean((mx.abs(z - 1.0) < 2.0).astype(mx.float32)).item()
print(f"normal: fraction within one sigma {within:.4f} (0.6827)")
edges = mx.linspace(-5.0, 7.0, 7)
counts = mx.sum((mx.expand_dims(z, 1) >= edges[:-1]) & (mx.expand_dims(z, 1) < edges[1:]), axis=0)
print("normal histogram:", " ".join(str(c) for c in counts.tolist()))
