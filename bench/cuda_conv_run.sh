#!/bin/bash
# The conv part of bench/cuda_run.sh, on the GPU machine: build, test_cuda_conv, then the conv
# rows of cmlx (graph API; with "compare", also the legacy API and autotuned engines) and of
# PyTorch on the same card.
#   bash bench/cuda_conv_run.sh [build-dir] [compare]
# With "compare" it also runs test_cuda_conv with CMLX_CONV_DIAG=1 under each cuDNN route
# (graph, legacy, graph without the backward-data route, graph with reduced-precision
# reductions allowed), four at once, logs in $CMLX_CONV_LOGS (default $BUILD/conv-logs), and
# PyTorch's float16 conv_transpose2d against float64 (the test's geometry).
set -u
BUILD=${1:-build-cuda}
MODE=${2:-}
LOGS=${CMLX_CONV_LOGS:-$BUILD/conv-logs}
mkdir -p "$LOGS"
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader
cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMLX_CUDA=ON -DCMLX_BUILD_EXAMPLES=OFF >/dev/null || exit 1
cmake --build "$BUILD" --target test_cuda_conv cuda_bench -j "$(nproc)" 2>&1 | grep -E "error|warning"
CUDNN_LIB=$(python3 -c "import nvidia.cudnn, os; print(os.path.join(list(nvidia.cudnn.__path__)[0], 'lib'))" 2>/dev/null)
[ -n "$CUDNN_LIB" ] && export LD_LIBRARY_PATH="$CUDNN_LIB${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
python3 -c "import torch; print('torch', torch.__version__, 'cudnn', torch.backends.cudnn.version())"
status=0
if [ "$MODE" = compare ]; then
    (CMLX_CUDNN_VERBOSE=1 CMLX_CONV_DIAG=1 timeout 150 "$BUILD"/tests/test_cuda_conv >"$LOGS/graph.log" 2>&1) &
    (CMLX_CUDNN_API=legacy CMLX_CONV_DIAG=1 timeout 150 "$BUILD"/tests/test_cuda_conv >"$LOGS/legacy.log" 2>&1) &
    (CMLX_CUDNN_NO_BWD_DATA=1 CMLX_CONV_DIAG=1 timeout 150 "$BUILD"/tests/test_cuda_conv >"$LOGS/padded.log" 2>&1) &
    (CMLX_CUDNN_ALLOW_REDUCED=1 CMLX_CUDNN_VERBOSE=1 CMLX_CONV_DIAG=1 timeout 150 "$BUILD"/tests/test_cuda_conv \
        >"$LOGS/reduced.log" 2>&1) &
    wait
    for v in graph legacy padded reduced; do
        echo "== test_cuda_conv, route $v: $(grep -E 'cases, [0-9]+ failures' "$LOGS/$v.log")"
        grep -E "^FAIL" "$LOGS/$v.log" | head -8
        grep -A1 "DIAG conv_transpose2d s2 p1 op(1,0) float16" "$LOGS/$v.log"
        # the five largest GPU-vs-exact errors per half dtype
        for t in float16 bfloat16; do
            grep "^DIAG conv.* $t " "$LOGS/$v.log" | sed -E 's/ +/ /g' |
                awk '{for (i = 1; i < NF; i++) if ($i == "gpu-exact") print $(i + 1), $0}' | sort -g -r | head -3 |
                cut -d' ' -f2- | sed 's/^/   /'
        done
    done
    grep -c "no engine" "$LOGS/graph.log" | sed 's/^/problems without a graph engine: /'
    grep -o "engine [0-9]* notes 0x[0-9a-f]*" "$LOGS/graph.log" | sort | uniq -c | sort -rn | head -12
    python3 - <<'EOF'
import torch
torch.manual_seed(0)
for dt in (torch.float16, torch.bfloat16):
    for cl in (False, True):
        x = (torch.rand(2, 8, 7, 9, dtype=torch.float64) * 6 - 3).to(dt)
        w = (torch.rand(8, 6, 3, 3, dtype=torch.float64) * 6 - 3).to(dt)
        ref = torch.nn.functional.conv_transpose2d(x.double(), w.double(), stride=2, padding=1, output_padding=(1, 0))
        xg, wg = x.cuda(), w.cuda()
        if cl:
            xg, wg = xg.to(memory_format=torch.channels_last), wg.to(memory_format=torch.channels_last)
        y = torch.nn.functional.conv_transpose2d(xg, wg, stride=2, padding=1, output_padding=(1, 0)).double().cpu()
        print(f"torch conv_transpose2d {dt} channels_last={cl}: rel err vs float64 "
              f"{((y - ref).norm() / ref.norm()).item():.3e}")
EOF
else
    "$BUILD"/tests/test_cuda_conv || status=1
fi
echo "== conv rows: cmlx (graph API)"
"$BUILD"/bench/cuda_bench conv
if [ "$MODE" = compare ]; then
    echo "== conv rows: cmlx (legacy API)"
    CMLX_CUDNN_API=legacy "$BUILD"/bench/cuda_bench conv
    echo "== conv rows: cmlx (graph API, CMLX_CUDNN_AUTOTUNE=1)"
    CMLX_CUDNN_AUTOTUNE=1 CMLX_CUDNN_VERBOSE=1 "$BUILD"/bench/cuda_bench conv 2>"$LOGS/autotune.log"
fi
echo "== conv rows: PyTorch"
python3 bench/cuda_torch.py conv
exit $status
