#!/usr/bin/env bash
# One run on a GPU machine for the Python device API and the demo on the GPU (docs/devices.md):
# builds the Python extension with CUDA (and the demo in the same CMake tree), runs
# tests/python/test_devices_gpu.py + test_devices.py, a short GPU demo, and the large GPT
# training step in cmlx (examples/demo --size large) and in PyTorch (bench/gpt_step_torch.py).
#   bash bench/devices_gpu_run.sh [OUTDIR]     (OUTDIR: logs; default /tmp/devices_gpu)
# Without Debian's fortunes, put the text in $CMLX_DEMO_DATA (the demos' --data).
set -u
out=${1:-/tmp/devices_gpu}
mkdir -p "$out"
jobs=$(nproc)
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader | tee "$out/gpu.txt"

start=$(date +%s)
export CMAKE_BUILD_PARALLEL_LEVEL=$jobs
export CMLX_CMAKE_ARGS="-G Ninja -DCMLX_CUDA=ON -DCMAKE_CUDA_ARCHITECTURES=${CUDA_ARCHS:-90a-real}"
python3 python/setup.py build_ext --inplace >"$out/build.log" 2>&1
python_ok=$?
[ $python_ok -ne 0 ] && { echo "Python extension build FAILED"; grep -E "error|Error" "$out/build.log" | head -20; }
# the demo from the same CMake tree (libcmlx is built already)
lib=$(ls -d python/build/temp*/libcmlx | head -1)
cmake -S . -B "$lib" -DCMLX_BUILD_EXAMPLES=ON >>"$out/build.log" 2>&1 &&
  cmake --build "$lib" --target demo -j "$jobs" >>"$out/build.log" 2>&1 || { tail -40 "$out/build.log"; exit 1; }
echo "build: $(($(date +%s) - start)) s"

data=()
[ -n "${CMLX_DEMO_DATA:-}" ] && data=(--data "$CMLX_DEMO_DATA")
export PYTHONPATH=python CMLX_BUILD=$lib PYTHONUNBUFFERED=1
[ $python_ok -eq 0 ] && timeout ${PYTEST_TIMEOUT:-120} python3 -m pytest tests/python/test_devices_gpu.py tests/python/test_devices.py -q -rs -p no:cacheprovider \
  2>&1 | tee "$out/pytest.log" | tail -40

echo "== large GPT training step: cmlx on the GPU"
timeout 80 "$lib/examples/demo" --size large --device gpu --steps ${LARGE_STEPS:-8} --sample-chars 0 --quiet \
  "${data[@]}" --out /tmp/large.safetensors 2>&1 | tee "$out/large_cmlx.log"
echo "== large GPT training step: PyTorch on the GPU"
timeout 45 python3 bench/gpt_step_torch.py --size large --steps 20 2>&1 | tee "$out/large_torch.log"
echo "== demo on the GPU (50 steps)"
timeout 45 "$lib/examples/demo" --device gpu --steps 50 --sample-chars 200 --quiet "${data[@]}" \
  --out /tmp/demo.safetensors 2>&1 | tee "$out/demo_gpu.log"
echo "total: $(($(date +%s) - start)) s"
