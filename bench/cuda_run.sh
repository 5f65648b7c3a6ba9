#!/bin/bash
# The CUDA backend's one command on the GPU machine: build (CUDA on), run the
# parity suites, then the benchmarks of cmlx and of PyTorch on the same card.
#   bash bench/cuda_run.sh [build-dir]
set -u
BUILD=${1:-build-cuda}
# Every GPU parity test (each prints SKIP without a GPU); add new ones here.
TESTS="test_cuda_graph test_cuda_parity test_cuda_norms test_cuda_conv test_cuda_addmm test_cuda_indexing test_cuda_sdpa test_cuda_complex test_cuda_quantized test_cuda_select test_cuda_norm_vjp"
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader
cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMLX_CUDA=ON -DCMLX_BUILD_EXAMPLES=OFF >/dev/null || exit 1
# shellcheck disable=SC2086
cmake --build "$BUILD" --target $TESTS cuda_bench -j "$(nproc)" 2>&1 | grep -E "error|warning" ; true
# cuDNN from PyTorch's pip wheel (nvidia-cudnn-cu13) loads its sub-libraries from the loader's path
CUDNN_LIB=$(python3 -c "import nvidia.cudnn, os; print(os.path.join(list(nvidia.cudnn.__path__)[0], 'lib'))" 2>/dev/null)
[ -n "$CUDNN_LIB" ] && export LD_LIBRARY_PATH="$CUDNN_LIB${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
parity=0
for t in $TESTS; do
    "$BUILD"/tests/$t || parity=1
done
"$BUILD"/bench/cuda_bench
python3 bench/cuda_torch.py
exit $parity
