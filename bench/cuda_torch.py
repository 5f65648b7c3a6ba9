"""The workloads of bench/cuda_bench.c in PyTorch, on the same GPU, timed the
same way (median of 10 after 3 warm-ups, synchronising after each run).
Run on the GPU machine: python3 bench/cuda_torch.py"""
import statistics
import time

import torch


def time_it(f):
    ts = []
    for i in range(13):
        torch.cuda.synchronize()
        t0 = time.perf_counter()
        f()
        torch.cuda.synchronize()
        if i >= 3:
            ts.append(time.perf_counter() - t0)
    return statistics.median(ts)


def row(name, dtype, s, rate, unit):
    print(f"{name:<34} {str(dtype).replace('torch.', ''):<9} {s * 1e3:9.3f} ms {rate:8.1f} {unit}")


def attention(dev):
    """scaled_dot_product_attention (4, 16, 2048, 128) bf16 on the flash backend: FLOPs as
    FlashAttention counts them (forward 4 B H T^2 D, halved when causal; backward 2.5x)."""
    from torch.nn.attention import SDPBackend, sdpa_kernel
    import torch.nn.functional as F
    shape = (4, 16, 2048, 128)
    q, k, v, g = (torch.randn(shape, device=dev, dtype=torch.bfloat16) for _ in range(4))
    flops = 4.0 * 4 * 16 * 2048 * 2048 * 128
    with sdpa_kernel(SDPBackend.FLASH_ATTENTION):
        for causal in (False, True):
            f = flops / 2 if causal else flops
            s = time_it(lambda: F.scaled_dot_product_attention(q, k, v, is_causal=causal))
            name = "sdpa (4,16,2048,128)" + (" causal" if causal else "")
            row(name + " fwd", torch.bfloat16, s, f / s / 1e12, "TFLOP/s")
            qg, kg, vg = (x.detach().requires_grad_() for x in (q, k, v))

            def step():
                out = F.scaled_dot_product_attention(qg, kg, vg, is_causal=causal)
                out.backward(g)

            s = time_it(step)
            row(name + " fwd+bwd", torch.bfloat16, s, 3.5 * f / s / 1e12, "TFLOP/s")


def main():
    dev = torch.device("cuda")
    print("PyTorch", torch.__version__, "on", torch.cuda.get_device_name(0))
    n = 1 << 26
    for name, f, dtype, reads, writes, two in [
        ("copy (contiguous)", lambda a, b: a.clone(), torch.float32, 1, 1, False),
        ("add", lambda a, b: a + b, torch.float32, 2, 1, True),
        ("add", lambda a, b: a + b, torch.bfloat16, 2, 1, True),
        ("exp", lambda a, b: torch.exp(a), torch.float32, 1, 1, False),
    ]:
        a = torch.randn(n, device=dev).to(dtype)
        b = torch.randn(n, device=dev).to(dtype) if two else a
        s = time_it(lambda: f(a, b))
        row(name, dtype, s, a.nbytes * (reads + writes) / s / 1e9, "GB/s")
    for dtype in (torch.float32, torch.bfloat16):
        x = torch.randn(16384, 4096, device=dev).to(dtype)
        s = time_it(lambda: torch.softmax(x, -1))
        row("softmax (16384, 4096) last axis", dtype, s, 2 * x.nbytes / s / 1e9, "GB/s")
    a = torch.randn(n, device=dev)
    s = time_it(lambda: a.sum())
    row("sum all (64Mi)", torch.float32, s, a.nbytes / s / 1e9, "GB/s")
    x = torch.randn(16384, 4096, device=dev)
    s = time_it(lambda: x.sum(-1))
    row("sum rows (16384, 4096)", torch.float32, s, x.nbytes / s / 1e9, "GB/s")
    s = time_it(lambda: x.sum(0))
    row("sum columns (16384, 4096)", torch.float32, s, x.nbytes / s / 1e9, "GB/s")
    xb = x.to(torch.bfloat16)
    s = time_it(lambda: xb.sum(-1))
    row("sum rows (16384, 4096)", torch.bfloat16, s, xb.nbytes / s / 1e9, "GB/s")
    s = time_it(lambda: x.var(-1, unbiased=False))
    row("var rows (16384, 4096)", torch.float32, s, x.nbytes / s / 1e9, "GB/s")
    s = time_it(lambda: torch.logsumexp(x, -1))
    row("logsumexp rows (16384, 4096)", torch.float32, s, x.nbytes / s / 1e9, "GB/s")
    F = torch.nn.functional
    for dtype in (torch.float32, torch.bfloat16):
        xn = torch.randn(16384, 4096, device=dev).to(dtype)
        w = torch.randn(4096, device=dev).to(dtype)
        b = torch.randn(4096, device=dev).to(dtype)
        s = time_it(lambda: F.layer_norm(xn, (4096,), w, b, 1e-5))
        row("layer_norm (16384, 4096) w b", dtype, s, 2 * xn.nbytes / s / 1e9, "GB/s")
        s = time_it(lambda: F.rms_norm(xn, (4096,), w, 1e-5))
        row("rms_norm (16384, 4096) w", dtype, s, 2 * xn.nbytes / s / 1e9, "GB/s")
        xg = xn.clone().requires_grad_(True)
        wg, bg = w.clone().requires_grad_(True), b.clone().requires_grad_(True)
        ct = torch.randn_like(xn)

        def ln_vjp():
            y = F.layer_norm(xg, (4096,), wg, bg, 1e-5)
            return torch.autograd.grad(y, (xg, wg, bg), ct)

        s = time_it(ln_vjp)  # includes the forward, as cmlx's vjp does
        row("layer_norm vjp (16384, 4096)", dtype, s, 3 * xn.nbytes / s / 1e9, "GB/s")
    # rope: PyTorch has no fused op; the usual composition with cached cos/sin tables
    for dtype in (torch.float32, torch.bfloat16):
        xr = torch.randn(4, 32, 2048, 128, device=dev).to(dtype)
        inv = 1.0 / (10000.0 ** (torch.arange(0, 128, 2, device=dev).float() / 128))
        ang = torch.outer(torch.arange(2048, device=dev).float(), inv)
        emb = torch.cat((ang, ang), -1)
        cos, sin = emb.cos().to(dtype), emb.sin().to(dtype)

        def rope():
            x1, x2 = xr[..., :64], xr[..., 64:]
            return xr * cos + torch.cat((-x2, x1), -1) * sin

        s = time_it(rope)
        row("rope (4, 32, 2048, 128) dims 128", dtype, s, 2 * xr.nbytes / s / 1e9, "GB/s")
    for size, dtype, tf32 in [(8192, torch.bfloat16, False), (8192, torch.float16, False), (8192, torch.float32, True),
                              (4096, torch.float32, False)]:
        torch.backends.cuda.matmul.allow_tf32 = tf32
        a = torch.randn(size, size, device=dev).to(dtype)
        b = torch.randn(size, size, device=dev).to(dtype)
        s = time_it(lambda: a @ b)
        row(f"matmul {size}x{size}x{size}{' tf32' if tf32 else ''}", dtype, s, 2 * size**3 / s / 1e12, "TFLOP/s")
    torch.backends.cuda.matmul.allow_tf32 = False
    attention(dev)
    a = torch.randn(1024, device=dev)
    s = time_it(lambda: a + a)
    print(f"{'add (1024,) eval each':<34} {'float32':<9} {s * 1e6:9.3f} us per op (launch + sync)")


if __name__ == "__main__":
    main()
