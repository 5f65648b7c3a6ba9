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
