"""The workloads of bench/cuda_bench.c in PyTorch, on the same GPU, timed the
same way (median of 10 after 3 warm-ups, synchronising after each run).
Run on the GPU machine: python3 bench/cuda_torch.py"""
import statistics
import sys
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


def norm_vjps(dev, xn, w, b, dtype, shape, with_forward=False):
    """rms_norm's vjp (autograd: forward + backward) and layer_norm's backward
    alone (aten.native_layer_norm_backward from saved statistics: what cmlx's
    fused vjp computes)."""
    F = torch.nn.functional
    L = xn.shape[-1]
    ct = torch.randn_like(xn)
    xg = xn.clone().requires_grad_(True)
    wg, bg = w.clone().requires_grad_(True), b.clone().requires_grad_(True)
    if with_forward:
        def ln_vjp():
            y = F.layer_norm(xg, (L,), wg, bg, 1e-5)
            return torch.autograd.grad(y, (xg, wg, bg), ct)

        s = time_it(ln_vjp)
        row(f"layer_norm vjp {shape}", dtype, s, 3 * xn.nbytes / s / 1e9, "GB/s")

    def rms_vjp():
        y = F.rms_norm(xg, (L,), wg, 1e-5)
        return torch.autograd.grad(y, (xg, wg), ct)

    s = time_it(rms_vjp)
    row(f"rms_norm vjp {shape} (+fwd)", dtype, s, 3 * xn.nbytes / s / 1e9, "GB/s")
    _, mean, rstd = torch.ops.aten.native_layer_norm(xn, [L], w, b, 1e-5)
    s = time_it(lambda: torch.ops.aten.native_layer_norm_backward(ct, xn, [L], mean, rstd, w, b,
                                                                  [True, True, True]))
    row(f"layer_norm bwd only {shape}", dtype, s, 3 * xn.nbytes / s / 1e9, "GB/s")


def norm_benchmarks(dev, with_forward_4096):
    """The norm backward workloads of cuda_bench.c's norm section (python3 bench/cuda_torch.py norms)."""
    for L in (4096, 384):  # 384: the GPT step's shape (batch 64 x context 256)
        for dtype in (torch.float32, torch.bfloat16):
            xn = torch.randn(16384, L, device=dev).to(dtype)
            w = torch.randn(L, device=dev).to(dtype)
            b = torch.randn(L, device=dev).to(dtype)
            norm_vjps(dev, xn, w, b, dtype, f"(16384, {L})", with_forward=L != 4096 or with_forward_4096)


def indexing(dev):
    """take / scatter_add of an embedding table, cumsum (as cuda_bench.c)."""
    vocab, dim, nids = 50000, 1024, 65536
    ids = torch.randint(0, vocab, (nids,), device=dev, dtype=torch.int32)
    for dtype in (torch.float32, torch.bfloat16):
        table = torch.randn(vocab, dim, device=dev).to(dtype)
        s = time_it(lambda: torch.index_select(table, 0, ids))
        out_bytes = nids * dim * table.element_size()
        row("take rows (50000,1024)[65536]", dtype, s, 2 * out_bytes / s / 1e9, "GB/s")
        upd = torch.randn(nids, dim, device=dev).to(dtype)
        s = time_it(lambda: table.index_add(0, ids, upd))
        row("scatter_add rows (65536,1,1024)", dtype, s, (out_bytes + 2 * table.nbytes) / s / 1e9, "GB/s")
    x = torch.randn(16384, 4096, device=dev)
    s = time_it(lambda: torch.cumsum(x, 1))
    row("cumsum rows (16384, 4096)", torch.float32, s, 2 * x.nbytes / s / 1e9, "GB/s")
    s = time_it(lambda: torch.cumsum(x, 0))
    row("cumsum columns (16384, 4096)", torch.float32, s, 2 * x.nbytes / s / 1e9, "GB/s")
    for name, shape in (("(1024, 4096)", (1024, 4096)), ("(16, 1Mi)", (16, 1 << 20))):
        x = torch.randn(*shape, device=dev)
        s = time_it(lambda: torch.sort(x, dim=1, stable=True))
        row(f"sort rows {name}", torch.float32, s, 2 * x.nbytes / s / 1e9, "GB/s")
        if name == "(1024, 4096)":
            s = time_it(lambda: torch.argsort(x, dim=1, stable=True))
            row(f"argsort rows {name}", torch.float32, s, 2 * x.nbytes / s / 1e9, "GB/s")
def select(dev):
    """topk, searchsorted, masked_scatter, pad and a MoE gather_mm (as cuda_bench.c's select workloads)."""
    for dtype in (torch.float32, torch.bfloat16):
        x = torch.randn(4096, 32000, device=dev).to(dtype)
        s = time_it(lambda: torch.topk(x, 50, dim=1, sorted=False))
        row("topk k=50 (4096, 32000)", dtype, s, x.nbytes / s / 1e9, "GB/s")
    seq = torch.sort(torch.randn(1 << 20, device=dev)).values
    vals = torch.randn(1 << 24, device=dev)
    s = time_it(lambda: torch.searchsorted(seq, vals, out_int32=True))
    row("searchsorted 16Mi in 1Mi", torch.float32, s, 2 * vals.nbytes / s / 1e9, "GB/s")
    x = torch.randn(16384, 4096, device=dev)
    mask = torch.randn(16384, 4096, device=dev) > 0
    src = torch.randn(16384 * 4096, device=dev)
    s = time_it(lambda: x.masked_scatter(mask, src))
    row("masked_scatter (16384, 4096) 50%", torch.float32, s, (2.5 * x.nbytes + mask.nbytes) / s / 1e9, "GB/s")
    s = time_it(lambda: torch.masked_select(x, mask))
    row("masked_select (16384, 4096) 50%", torch.float32, s, (1.5 * x.nbytes + mask.nbytes) / s / 1e9, "GB/s")
    img = torch.randn(8, 64, 224, 224, device=dev)
    s = time_it(lambda: torch.nn.functional.pad(img, (1, 1, 1, 1)))
    row("pad (8,64,224,224) HW by 1", torch.float32, s, 2 * img.nbytes / s / 1e9, "GB/s")
    tokens, topk, experts, k, n = 4096, 2, 64, 2048, 1408
    xt = torch.randn(tokens, k, device=dev, dtype=torch.bfloat16)
    w = torch.randn(experts, k, n, device=dev, dtype=torch.bfloat16)
    lhs = torch.arange(tokens * topk, device=dev) // topk
    flops = 2.0 * tokens * topk * k * n
    for sorted_ in (False, True):
        rhs = torch.randint(0, experts, (tokens * topk,), device=dev)
        if sorted_:
            rhs = torch.sort(rhs).values

        def moe():  # out[i] = x[lhs[i]] @ w[rhs[i]]: sort by expert, grouped GEMM, unsort
            order = torch.argsort(rhs)
            xs = xt[lhs[order]]
            offs = torch.cumsum(torch.bincount(rhs, minlength=experts), 0).to(torch.int32)
            ys = torch._grouped_mm(xs, w, offs=offs)
            out = torch.empty_like(ys)
            out[order] = ys
            return out

        def moe_loop():
            order = torch.argsort(rhs)
            xs = xt[lhs[order]]
            counts = torch.bincount(rhs, minlength=experts).tolist()
            ys, start = [], 0
            for e, c in enumerate(counts):
                ys.append(xs[start:start + c] @ w[e])
                start += c
            out = torch.empty(tokens * topk, n, device=dev, dtype=torch.bfloat16)
            out[order] = torch.cat(ys)
            return out

        name = "gather_mm moe 8192x2048x1408 E64" + (" s" if sorted_ else "")
        try:
            s = time_it(moe)
            row(name, "bf16 _grouped_mm", s, flops / s / 1e12, "TFLOP/s")
        except Exception as e:  # no grouped GEMM in this PyTorch
            print("torch._grouped_mm unavailable:", type(e).__name__, e)
        s = time_it(moe_loop)
        row(name, "bf16 loop", s, flops / s / 1e12, "TFLOP/s")


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


def quantized(dev):
    """cuda_bench.c's quantized workloads. PyTorch has no int4 GEMV: the same (N, K) products in bfloat16
    (x @ w.T, the weight bytes are 3.6x cmlx's 4-bit + scales + biases); quantize / dequantize composed of
    element-wise ops (MLX's 4-bit group-64 affine layout). Each run does one op per weight copy (copies
    cover >= 256 MB, past the L2) and synchronises once; the time is per op."""
    def per_op(f, copies):
        return time_it(lambda: [f(c) for c in range(copies)]) / copies

    shifts = torch.arange(0, 32, 4, device=dev, dtype=torch.int32)
    for n, k in ((4096, 4096), (14336, 4096), (4096, 14336)):
        wbytes = n * k * 2
        copies = max(1, min(32, -(-256_000_000 // wbytes)))
        ws = [torch.randn(n, k, device=dev, dtype=torch.bfloat16) for _ in range(copies)]
        for m in (1, 512):
            x = torch.randn(m, k, device=dev, dtype=torch.bfloat16)
            s = per_op(lambda c: x @ ws[c].T, copies)
            name = f"bf16 matmul M{m} N{n} K{k}"
            if m == 1:
                print(f"{name:<34} {'bfloat16':<9} {s * 1e3:9.4f} ms {wbytes / s / 1e9:8.1f} GB/s "
                      f"(weights {wbytes / 1e6:.1f} MB)")
            else:
                print(f"{name:<34} {'bfloat16':<9} {s * 1e3:9.4f} ms {2 * m * n * k / s / 1e12:8.1f} TFLOP/s")
        if (n, k) == (14336, 4096):
            def quantize(c):
                g = ws[c].view(n, k // 64, 64).float()
                lo, hi = g.amin(-1, keepdim=True), g.amax(-1, keepdim=True)
                scale = ((hi - lo) / 15).clamp_min(1e-7)
                q = torch.round((g - lo) / scale).clamp(0, 15).to(torch.int32).view(n, k // 8, 8)
                return (q << shifts).sum(-1, dtype=torch.int32), scale.bfloat16(), lo.bfloat16()
            packed = [quantize(c) for c in range(copies)]
            qbytes = n * k / 2 + 2 * 2 * n * (k // 64)
            s = per_op(quantize, copies)
            print(f"{'quantize 4bit gs64 (composed)':<34} {'bfloat16':<9} {s * 1e3:9.4f} ms "
                  f"{(wbytes + qbytes) / s / 1e9:8.1f} GB/s")

            def dequantize(c):
                p, sc, b = packed[c]
                q = ((p.unsqueeze(-1) >> shifts) & 15).view(n, k // 64, 64).to(torch.bfloat16)
                return (q * sc + b).view(n, k)
            s = per_op(dequantize, copies)
            print(f"{'dequantize 4bit gs64 (composed)':<34} {'bfloat16':<9} {s * 1e3:9.4f} ms "
                  f"{(wbytes + qbytes) / s / 1e9:8.1f} GB/s")
        del ws


def main():
    dev = torch.device("cuda")
    print("PyTorch", torch.__version__, "on", torch.cuda.get_device_name(0))
    if sys.argv[1:] == ["quantized"]:  # only the quantized section
        quantized(dev)
        return
    if len(sys.argv) > 1 and sys.argv[1] == "select":  # only the select workloads
        select(dev)
        return
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

        s = time_it(ln_vjp)  # includes the forward (cmlx's fused vjp does not run it)
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
    indexing(dev)
    norm_benchmarks(dev, False)
    quantized(dev)
    select(dev)
    attention(dev)
    a = torch.randn(1024, device=dev)
    s = time_it(lambda: a + a)
    print(f"{'add (1024,) eval each':<34} {'float32':<9} {s * 1e6:9.3f} us per op (launch + sync)")
    cudaconv()


def conv2d(name, n, hw, cin, cout, k, stride, pad, dtype, backward):
    dev = torch.device("cuda")
    x = torch.randn(n, cin, hw, hw, device=dev).to(dtype).to(memory_format=torch.channels_last)
    w = torch.randn(cout, cin, k, k, device=dev).to(dtype).to(memory_format=torch.channels_last)
    o = (hw + 2 * pad - k) // stride + 1
    flops = 2.0 * n * o * o * cout * k * k * cin
    for bench in (False, True):
        torch.backends.cudnn.benchmark = bench
        tag = " (cudnn.benchmark)" if bench else ""
        s = time_it(lambda: torch.nn.functional.conv2d(x, w, stride=stride, padding=pad))
        row(name + tag, dtype, s, flops / s / 1e12, "TFLOP/s")
        if backward:
            xg, wg = x.detach().requires_grad_(), w.detach().requires_grad_()
            cot = torch.randn(n, cout, o, o, device=dev).to(dtype).to(memory_format=torch.channels_last)

            def step():
                y = torch.nn.functional.conv2d(xg, wg, stride=stride, padding=pad)
                torch.autograd.grad(y, (xg, wg), cot)

            s = time_it(step)
            row(name + " fwd+dx+dw" + tag, dtype, s, 3 * flops / s / 1e12, "TFLOP/s")
            # dx and dw alone (what cuda_bench's "dx+dw" row times: one vjp, no forward)
            s = time_it(lambda: torch.ops.aten.convolution_backward(
                cot, x, w, None, [stride] * 2, [pad] * 2, [1, 1], False, [0, 0], 1, [True, True, False]))
            row(name + " dx+dw" + tag, dtype, s, 2 * flops / s / 1e12, "TFLOP/s")
    torch.backends.cudnn.benchmark = False


def graph_time(f):
    """f replayed from a CUDA graph (captured once after warm-up)."""
    s = torch.cuda.Stream()
    s.wait_stream(torch.cuda.current_stream())
    with torch.cuda.stream(s):
        for _ in range(3):
            f()
    torch.cuda.current_stream().wait_stream(s)
    g = torch.cuda.CUDAGraph()
    with torch.cuda.graph(g):
        f()
    return time_it(g.replay)


def conv_rows():
    """The conv rows of cuda_bench.c (`python3 bench/cuda_torch.py conv` runs only these)."""
    torch.backends.cudnn.allow_tf32 = False  # cmlx: float32 without TF32 unless asked
    conv2d("conv2d N8 56x56x64->64 3x3", 8, 56, 64, 64, 3, 1, 1, torch.float32, False)
    conv2d("conv2d N8 56x56x64->64 3x3", 8, 56, 64, 64, 3, 1, 1, torch.float16, False)
    conv2d("conv2d N8 56x56x64->64 3x3", 8, 56, 64, 64, 3, 1, 1, torch.bfloat16, True)
    conv2d("r50 stem N32 224x224x3->64 7x7/2", 32, 224, 3, 64, 7, 2, 3, torch.bfloat16, False)
    conv2d("r50 res3 N32 28x28x128->128 3x3", 32, 28, 128, 128, 3, 1, 1, torch.bfloat16, True)
    conv2d("r50 res4 N32 28x28x256->256 3x3/2", 32, 28, 256, 256, 3, 2, 1, torch.bfloat16, True)
    conv2d("r50 res4 N32 14x14x1024->256 1x1", 32, 14, 1024, 256, 1, 1, 0, torch.bfloat16, True)


def cudaconv():
    dev = torch.device("cuda")
    conv_rows()
    for m, k, n, dtype in [(8192, 4096, 4096, torch.bfloat16), (4096, 4096, 4096, torch.float32),
                           (64, 512, 2048, torch.float32)]:
        a = torch.randn(m, k, device=dev).to(dtype)
        b = torch.randn(k, n, device=dev).to(dtype)
        c = torch.randn(n, device=dev).to(dtype)
        fused = time_it(lambda: torch.addmm(c, a, b))
        unfused = time_it(lambda: a @ b + c)
        print(f"{f'addmm bias {m}x{k}x{n}':<34} {str(dtype).replace('torch.', ''):<9} {fused * 1e3:9.3f} ms "
              f"{2 * m * n * k / fused / 1e12:8.1f} TFLOP/s (matmul + add: {unfused * 1e3:.3f} ms)")
    launch_overhead(dev)


def launch_overhead(dev):
    """cuda_bench.c's launch_overhead: eager and torch.cuda.graphs."""
    a = torch.randn(1024, device=dev)
    b = torch.randn(1024, device=dev)

    def chain():
        y = a.clone()
        for i in range(100):
            y = y * b if i % 2 else y + b
        return y

    s = time_it(chain)
    print(f"{'chain of 100 ops (1024,)':<34} {'float32':<9} {s * 1e6:9.3f} us per run ({s * 1e4:.2f} us per op), eager")
    s = graph_time(chain)
    print(f"{'chain of 100 ops (1024,)':<34} {'float32':<9} {s * 1e6:9.3f} us per replay, torch.cuda.graphs")
    dims = [512, 2048, 2048, 512]
    ws = [torch.randn(dims[i], dims[i + 1], device=dev) for i in range(3)]
    bs = [torch.randn(dims[i + 1], device=dev) for i in range(3)]
    x = torch.randn(64, 512, device=dev)

    def mlp():
        h = x
        for i in range(3):
            h = torch.addmm(bs[i], h, ws[i])
            if i < 2:
                h = torch.relu(h)
        return h

    s = time_it(mlp)
    print(f"{'MLP fwd 64x512-2048-2048-512':<34} {'float32':<9} {s * 1e6:9.3f} us per run, eager")
    s = graph_time(mlp)
    print(f"{'MLP fwd 64x512-2048-2048-512':<34} {'float32':<9} {s * 1e6:9.3f} us per replay, torch.cuda.graphs")
    params = [w.clone().requires_grad_() for w in ws] + [b.clone().requires_grad_() for b in bs]
    y = torch.randn(64, 512, device=dev)

    def train_step():
        h = x
        for i in range(3):
            h = torch.addmm(params[3 + i], h, params[i])
            if i < 2:
                h = torch.relu(h)
        loss = ((h - y) ** 2).mean()
        grads = torch.autograd.grad(loss, params)
        with torch.no_grad():
            for p, g in zip(params, grads):
                p.sub_(1e-3 * g)
        return loss

    s = time_it(train_step)
    print(f"{'MLP train step (fwd+bwd+SGD)':<34} {'float32':<9} {s * 1e6:9.3f} us per step, eager")
    try:
        s = graph_time(train_step)
        print(f"{'MLP train step (fwd+bwd+SGD)':<34} {'float32':<9} {s * 1e6:9.3f} us per replay, torch.cuda.graphs")
    except Exception as e:  # noqa: BLE001 - report and go on
        print(f"MLP train step: torch.cuda.graphs capture failed: {e}")


def graphs_only():
    """Only the launch-overhead workloads (cuda_bench graphs)."""
    torch.backends.cuda.matmul.allow_tf32 = False
    launch_overhead(torch.device("cuda"))


def complex_fft(dev):
    """complex64 multiply / sum / matmul and cuFFT transforms (as cuda_bench.c's complex_benchmarks);
    fft GFLOP/s: 5 N log2 N per complex transform, 2.5 N log2 N per real one."""
    import math
    n = 1 << 25
    a = torch.complex(torch.randn(n, device=dev), torch.randn(n, device=dev))
    b = torch.complex(torch.randn(n, device=dev), torch.randn(n, device=dev))
    s = time_it(lambda: a * b)
    row("multiply (32Mi)", torch.complex64, s, 3 * a.nbytes / s / 1e9, "GB/s")
    s = time_it(lambda: torch.sum(a))
    row("sum all (32Mi)", torch.complex64, s, a.nbytes / s / 1e9, "GB/s")
    del a, b
    m = torch.complex(torch.randn(4096, 4096, device=dev), torch.randn(4096, 4096, device=dev))
    s = time_it(lambda: m @ m)
    row("matmul 4096x4096x4096", torch.complex64, s, 8 * 4096**3 / s / 1e12, "TFLOP/s")
    del m

    def fft_row(name, f, x, points, batch, real, nbytes):
        s = time_it(f)
        flops = (2.5 if real else 5.0) * points * math.log2(points) * batch
        print(f"{name:<34} {str(x.dtype).replace('torch.', ''):<9} {s * 1e3:9.3f} ms "
              f"{flops / s / 1e9:8.1f} GFLOP/s {nbytes / s / 1e9:8.1f} GB/s")

    x = torch.complex(torch.randn(256, 4096, device=dev), torch.randn(256, 4096, device=dev))
    fft_row("fft (256, 4096) last axis", lambda: torch.fft.fft(x), x, 4096, 256, False, 2 * x.nbytes)
    fft_row("ifft (256, 4096) last axis", lambda: torch.fft.ifft(x), x, 4096, 256, False, 2 * x.nbytes)
    r = torch.randn(1024, 1024, device=dev)
    fft_row("rfft2 (1024, 1024)", lambda: torch.fft.rfft2(r), r, 1024 * 1024, 1, True, r.nbytes + 1024 * 513 * 8)
    h = torch.complex(torch.randn(1024, 513, device=dev), torch.randn(1024, 513, device=dev))
    fft_row("irfft2 (1024, 513) -> (1024, 1024)", lambda: torch.fft.irfft2(h), h, 1024 * 1024, 1, True,
            h.nbytes + 1024 * 1024 * 4)


if __name__ == "__main__":
    import sys

    if sys.argv[1:] == ["graphs"]:  # the launch-overhead workloads only
        graphs_only()
        sys.exit(0)
    if sys.argv[1:] == ["norms"]:  # the norm backward rows only
        print(f"PyTorch {torch.__version__} norm backward on {torch.cuda.get_device_name()}")
        norm_benchmarks(torch.device("cuda"), True)
        sys.exit(0)
    if sys.argv[1:] == ["conv"]:  # the conv rows only
        print("PyTorch", torch.__version__, "on", torch.cuda.get_device_name(0))
        conv_rows()
        sys.exit(0)
    if sys.argv[1:] == ["complex"]:  # the reductions and the complex64/fft section only
        dev = torch.device("cuda")
        print("PyTorch", torch.__version__, "on", torch.cuda.get_device_name(0))
        a = torch.randn(1 << 26, device=dev)
        s = time_it(lambda: torch.sum(a))
        row("sum all (64Mi)", torch.float32, s, a.nbytes / s / 1e9, "GB/s")
        x = torch.randn(16384, 4096, device=dev)
        s = time_it(lambda: torch.sum(x, -1))
        row("sum rows (16384, 4096)", torch.float32, s, x.nbytes / s / 1e9, "GB/s")
        s = time_it(lambda: torch.sum(x, 0))
        row("sum columns (16384, 4096)", torch.float32, s, x.nbytes / s / 1e9, "GB/s")
        del a, x
    else:
        main()
    complex_fft(torch.device("cuda"))
