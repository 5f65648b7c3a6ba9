#!/bin/bash
# compute-sanitizer over every GPU parity test that bench/cuda_run.sh runs (its TESTS list), on
# the GPU machine; one line per (tool, test) and a verdict: "sanitizer: clean" (exit 0) or
# "sanitizer: NOT clean" (exit 1).
#   bash bench/cuda_sanitize.sh [build-dir] [tools]
# tools: "memcheck" by default; e.g. "memcheck racecheck initcheck synccheck".
# Environment: CMLX_SANITIZE_TIMEOUT (seconds per test, default 240: a test cut off by it counts as
# not clean), CMLX_SANITIZE_TESTS (a subset of the list), CMLX_SANITIZE_JOBS (tests at once,
# default 6: each run is mostly host-side instrumentation), CMLX_SANITIZE_LOGS (where the full
# logs go, default $BUILD/sanitize), CMLX_SANITIZE_NOBUILD=1 (use the build as it is).
# The tests run at their own sizes (the largest operand is a few MiB: memcheck's 10-100x slowdown
# of the kernels stays within the timeout).
# initcheck runs with --check-bulk-copy yes: without it, it does not see stores made through
# Hopper's bulk copy engine (TMA), which cuBLASLt's kernels use, and reports every download of a
# matmul output as a read of uninitialized memory (docs/cuda.md "## sanitizer").
set -u
BUILD=${1:-build-cuda}
TOOLS=${2:-memcheck}
TIMEOUT=${CMLX_SANITIZE_TIMEOUT:-240}
JOBS=${CMLX_SANITIZE_JOBS:-6}
LOGS=${CMLX_SANITIZE_LOGS:-$BUILD/sanitize}
TESTS=${CMLX_SANITIZE_TESTS:-$(sed -n 's/^TESTS="\(.*\)"$/\1/p' bench/cuda_run.sh)}
SAN=$(command -v compute-sanitizer || echo /usr/local/cuda/bin/compute-sanitizer)
if [ ! -x "$SAN" ]; then
    echo "sanitizer: compute-sanitizer not found (looked on the PATH and in /usr/local/cuda/bin)"
    exit 1
fi
nvidia-smi --query-gpu=name,driver_version --format=csv,noheader
"$SAN" --version | tail -1
if [ -z "${CMLX_SANITIZE_NOBUILD:-}" ]; then
    cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMLX_CUDA=ON -DCMLX_BUILD_EXAMPLES=OFF >/dev/null ||
        exit 1
    # shellcheck disable=SC2086
    cmake --build "$BUILD" --target $TESTS -j "$(nproc)" 2>&1 | grep -E "error|warning"
fi
# cuDNN from PyTorch's pip wheel, as bench/cuda_run.sh finds it
CUDNN_LIB=$(python3 -c "import nvidia.cudnn, os; print(os.path.join(list(nvidia.cudnn.__path__)[0], 'lib'))" 2>/dev/null)
[ -n "$CUDNN_LIB" ] && export LD_LIBRARY_PATH="$CUDNN_LIB${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
mkdir -p "$LOGS"

run_one() { # tool test
    local log="$LOGS/$1-$2.log" start rc extra=()
    [ "$1" = initcheck ] && extra=(--check-bulk-copy yes)
    start=$(date +%s)
    timeout "$TIMEOUT" "$SAN" --tool "$1" ${extra[@]+"${extra[@]}"} --error-exitcode 99 --print-limit 50 "$BUILD/tests/$2" \
        >"$log" 2>&1
    rc=$?
    echo "rc $rc seconds $(($(date +%s) - start))" >>"$log"
}

running=0
for tool in $TOOLS; do
    for t in $TESTS; do
        run_one "$tool" "$t" &
        running=$((running + 1))
        if [ "$running" -ge "$JOBS" ]; then
            wait -n
            running=$((running - 1))
        fi
    done
done
wait

clean=1
for tool in $TOOLS; do
    for t in $TESTS; do
        log="$LOGS/$tool-$t.log"
        rc=$(sed -n 's/^rc \([0-9]*\) seconds.*/\1/p' "$log" | tail -1)
        secs=$(sed -n 's/^rc [0-9]* seconds \([0-9]*\)/\1/p' "$log" | tail -1)
        summary=$(grep -m1 -E "ERROR SUMMARY|RACECHECK SUMMARY" "$log" | sed 's/^========= //')
        result=$(grep -E "cases, [0-9]+ failures" "$log" | tail -1)
        case "$rc" in
        0) verdict="clean" ;;
        124) verdict="TIMED OUT after ${TIMEOUT}s" ;;
        99) verdict="ERRORS" ;;
        *) verdict="exit $rc (test failures or a crash)" ;;
        esac
        [ "$rc" = 0 ] || clean=0
        printf '%-10s %-20s %-40s %4ss  %s  [%s]\n' "$tool" "$t" "$verdict" "$secs" "${summary:-no summary}" \
            "${result:-}"
        if [ "$rc" = 99 ]; then # the first reports, for the log of the run
            grep -m 12 -E "^========= (Invalid|Program hit|Uninitialized|Race|Error|    at|Barrier)" "$log" |
                sed 's/^/    /'
        fi
    done
done
if [ "$clean" = 1 ]; then
    echo "sanitizer: clean ($TOOLS over: $TESTS)"
    exit 0
fi
echo "sanitizer: NOT clean (logs in $LOGS)"
exit 1
