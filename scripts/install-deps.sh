#!/usr/bin/env bash
# Installs what cmlx needs on a fresh Debian/Ubuntu machine. Idempotent:
# only missing pieces are installed.
#   scripts/install-deps.sh build   - compiler, CMake, OpenBLAS's OpenMP build (for make / make demo)
#   scripts/install-deps.sh test    - the above plus the Python test references (mlx[cpu], numpy)
set -euo pipefail
what=${1:-build}
here=$(cd "$(dirname "$0")/.." && pwd)

apt_packages=(build-essential cmake pkg-config libopenblas-dev libopenblas-openmp-dev)
missing=()
for p in "${apt_packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: apt packages missing: ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}"
fi

if [ "$what" = "test" ]; then
  python=${PYTHON:-python3}
  if ! "$python" -c "import mlx.core, numpy" >/dev/null 2>&1; then
    echo "install-deps: installing the Python test references (requirements-test.txt)"
    "$python" -m pip install -q -r "$here/requirements-test.txt"
  fi
fi
