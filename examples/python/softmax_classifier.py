"""Forward pass of a softmax classifier: logits, probabilities, cross-entropy, accuracy.

    python examples/python/softmax_classifier.py [cmlx.core|mlx.core]
"""

from _module import array_module

mx = array_module()

k_x, k_w, k_labels = mx.random.split(mx.random.key(42), 3)
batch, features, classes = 64, 16, 10
x = mx.random.normal((batch, features), key=k_x)
W = 0.1 * mx.random.normal((features, classes), key=k_w)
b = mx.zeros((classes,))
labels = mx.floor(mx.random.uniform(0, classes, (batch,), key=k_labels)).astype(mx.int32)

logits = x @ W + b
probs = mx.softmax(logits, axis=-1)
log_probs = logits - mx.logsumexp(logits, axis=-1, keepdims=True)
picked = mx.take_along_axis(log_probs, mx.expand_dims(labels, -1), axis=-1)
loss = -mx.mean(picked)
accuracy = mx.mean((mx.argmax(logits, axis=-1) == labels).astype(mx.float32))
mx.eval(probs, loss, accuracy)

print("logits shape:", tuple(logits.shape), logits.dtype)
print(f"row sums of probs: min {mx.min(mx.sum(probs, axis=1)).item():.5f} max {mx.max(mx.sum(probs, axis=1)).item():.5f}")
print(f"cross-entropy: {loss.item():.5f}")
print(f"accuracy: {accuracy.item():.4f}")
print("first row probs:", " ".join(f"{p:.4f}" for p in probs[0].tolist()))
