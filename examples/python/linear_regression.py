"""Linear regression by gradient descent with hand-written gradients.

    python examples/python/linear_regression.py [cmlx.core|mlx.core]
"""

from _module import array_module

mx = array_module()  # i.e. `import cmlx.core as mx` or `import mlx.core as mx`

key = mx.random.key(0)
k_x, k_noise = mx.random.split(key)
n, d = 256, 4
true_w = mx.array([2.0, -3.0, 0.5, 1.0])
true_b = 0.25
X = mx.random.normal((n, d), key=k_x)
y = X @ true_w + true_b + 0.01 * mx.random.normal((n,), key=k_noise)

w = mx.zeros((d,))
b = mx.array(0.0)
lr = 0.1
for step in range(101):
    pred = X @ w + b
    err = pred - y
    loss = mx.mean(err * err)
    grad_w = 2.0 * (X.T @ err) / n  # d loss / d w
    grad_b = 2.0 * mx.mean(err)     # d loss / d b
    w = w - lr * grad_w
    b = b - lr * grad_b
    mx.eval(w, b, loss)
    if step % 25 == 0:
        print(f"step {step}: loss {loss.item():.6f}")

print("w:", " ".join(f"{v:.4f}" for v in w.tolist()))
print(f"b: {b.item():.4f}")
print(f"max |w - true_w|: {mx.max(mx.abs(w - true_w)).item():.4f}")
