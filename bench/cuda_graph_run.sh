#!/bin/bash
# CUDA graphs (src/backend/cuda/graph.c) in one run on the GPU machine: build, test_cuda_graph,
# the launch-overhead benchmarks with graphs off/on and PyTorch (eager, torch.cuda.graphs), the
# GPT training step at the larger size with graphs on/off and PyTorch, then the parity suite with
# every capturable run recorded from its first sighting (CMLX_CUDA_GRAPHS=2).
#   bash bench/cuda_graph_run.sh [build-dir] [log-dir]
set -u
B=${1:-build-graph}
LOG=${2:-/tmp/cuda_graph}
mkdir -p "$LOG"
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader
start=$(date +%s)
PARITY="test_cuda_parity test_cuda_norms test_cuda_indexing test_cuda_sdpa"
cmake -S . -B "$B" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMLX_CUDA=ON -DCMLX_BUILD_EXAMPLES=ON \
    -DCMAKE_CUDA_ARCHITECTURES=90a-real >"$LOG/build.log" 2>&1 || { tail -20 "$LOG/build.log"; exit 1; }
# shellcheck disable=SC2086
cmake --build "$B" --target test_cuda_graph $PARITY cuda_bench demo -j "$(nproc)" >>"$LOG/build.log" 2>&1 ||
    { grep -E "error" "$LOG/build.log" | head -20; exit 1; }
echo "build: $(($(date +%s) - start)) s"
CUDNN_LIB=$(python3 -c "import nvidia.cudnn, os; print(os.path.join(list(nvidia.cudnn.__path__)[0], 'lib'))" 2>/dev/null)
[ -n "$CUDNN_LIB" ] && export LD_LIBRARY_PATH="$CUDNN_LIB${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export PYTHONUNBUFFERED=1
status=0
echo "== test_cuda_graph"
timeout 60 "$B/tests/test_cuda_graph" 2>&1 | tee "$LOG/test_cuda_graph.log" | grep -E "^(FAIL|\+|  |graph|test_)" || status=1
grep -q "0 failures" "$LOG/test_cuda_graph.log" || status=1
echo "== launch overhead: cmlx (graphs off / on)"
timeout 60 "$B/bench/cuda_bench" graphs 2>&1 | tee "$LOG/bench.log"
echo "== launch overhead: PyTorch"
timeout 60 python3 bench/cuda_torch.py graphs 2>&1 | tee "$LOG/torch.log"
data=()
[ -d /usr/share/games/fortunes ] || { cat docs/*.md README.md >/tmp/demo_text.txt; data=(--data /tmp/demo_text.txt); }
for g in 1 0; do
    echo "== GPT step --size large, CMLX_CUDA_GRAPHS=$g"
    CMLX_CUDA_GRAPHS=$g timeout 60 "$B/examples/demo" --size large --device gpu --steps ${STEPS:-30} --sample-chars 0 \
        --quiet "${data[@]}" --out /tmp/large.safetensors 2>&1 | tee "$LOG/gpt_$g.log" | grep -iE "step|loss|error"
done
echo "== GPT step --size large, PyTorch"
timeout 60 python3 bench/gpt_step_torch.py --size large --steps ${STEPS:-30} 2>&1 | tee "$LOG/gpt_torch.log" | tail -3
for t in $PARITY; do
    echo "== $t with CMLX_CUDA_GRAPHS=2"
    CMLX_CUDA_GRAPHS=2 timeout ${PARITY_TIMEOUT:-50} "$B/tests/$t" >"$LOG/$t.log" 2>&1 || status=1
    grep -E "^FAIL" "$LOG/$t.log" | head -5
    tail -1 "$LOG/$t.log"
done
SAN=$(command -v compute-sanitizer || ls /usr/local/cuda/bin/compute-sanitizer 2>/dev/null)
if [ -n "$SAN" ]; then
    echo "== test_cuda_graph under compute-sanitizer memcheck"
    timeout ${SAN_TIMEOUT:-90} "$SAN" --tool memcheck --error-exitcode 9 "$B/tests/test_cuda_graph" >"$LOG/memcheck.log" 2>&1
    echo "memcheck exit $?"; grep -E "ERROR SUMMARY|test_cuda_graph:" "$LOG/memcheck.log" | tail -2
fi
echo "total: $(($(date +%s) - start)) s"
exit $status
