"""The model of bench/grad_memory.c in MLX: peak memory (and time) of one
training step of a deep MLP, loss = sum(x_L^2) with x_{i+1} = tanh(x_i W_i),
through mx.value_and_grad, evaluated together.

    python3 bench/grad_memory_mlx.py [layers=100] [width=256] [batch=256] [checkpoint=0]

Prints the peak memory of the step above what was live before it (the
parameters and the input), what the results keep, and the median time of 5
steps; checkpoint=k wraps each run of k layers in mx.checkpoint.
"""
import sys
import time

import mlx.core as mx


def main():
    args = [int(a) for a in sys.argv[1:]]
    layers, width, batch, ckpt = (args + [100, 256, 256, 0][len(args):])[:4]
    mx.set_default_device(mx.cpu)
    keys = mx.random.split(mx.random.key(0), layers + 1)
    x = mx.random.normal((batch, width), key=keys[0])
    params = [mx.random.normal((width, width), key=keys[i + 1]) * (1.0 / width ** 0.5) for i in range(layers)]
    mx.eval(x, params)

    def span(x, *ws):
        for w in ws:
            x = mx.tanh(x @ w)
        return x

    step_fn = mx.checkpoint(span) if ckpt else span

    def loss(params, x):
        k = ckpt if ckpt else layers
        for s in range(0, layers, k):
            x = step_fn(x, *params[s:s + k])
        return (x * x).sum()

    vg = mx.value_and_grad(loss)
    times = []
    for _ in range(5):
        mx.clear_cache()
        before = mx.get_active_memory()
        mx.reset_peak_memory()
        t0 = time.perf_counter()
        value, grads = vg(params, x)
        mx.eval(value, grads)
        times.append(time.perf_counter() - t0)
        peak = mx.get_peak_memory() - before
        kept = mx.get_active_memory() - before
        del value, grads
    times.sort()
    mib = 1024.0 * 1024.0
    print("MLX %s MLP layers=%d width=%d batch=%d checkpoint=%d: peak %.1f MiB above the %.1f MiB of inputs "
          "(results keep %.1f MiB), %.1f ms a step" % (mx.__version__, layers, width, batch, ckpt, peak / mib,
                                                      before / mib, kept / mib, times[2] * 1e3))


if __name__ == "__main__":
    main()
