#!/bin/bash
# The CUDA backend's one command on the GPU machine: build (CUDA on), run the
# parity suite, then the benchmarks of cmlx and of PyTorch on the same card.
#   bash bench/cuda_run.sh [build-dir]
set -u
BUILD=${1:-build-cuda}
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader
cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMLX_CUDA=ON -DCMLX_BUILD_EXAMPLES=OFF >/dev/null || exit 1
cmake --build "$BUILD" --target test_cuda_parity test_cuda_norms test_cuda_sdpa cuda_bench -j "$(nproc)" 2>&1 | grep -E "error|warning" ; true
"$BUILD"/tests/test_cuda_parity; parity=$?
"$BUILD"/tests/test_cuda_norms || parity=1
"$BUILD"/tests/test_cuda_sdpa || parity=1
"$BUILD"/bench/cuda_bench
python3 bench/cuda_torch.py
exit $parity
