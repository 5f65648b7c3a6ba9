#!/usr/bin/env bash
# Installs what cmlx needs on a fresh Debian/Ubuntu machine. Idempotent:
# only missing pieces are installed.
#   scripts/install-deps.sh build   - compiler, CMake, OpenBLAS (its pthread build; for make / make demo)
#   scripts/install-deps.sh test    - the above plus the Python test references (mlx[cpu], numpy)
set -euo pipefail
what=${1:-build}
here=$(cd "$(dirname "$0")/.." && pwd)

apt_packages=(build-essential cmake pkg-config libopenblas-dev libopenblas-pthread-dev zlib1g-dev fortunes)
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
  # the Python extension needs the interpreter's headers and pip
  if ! "$python" -c "import sysconfig, os, sys; sys.exit(not os.path.exists(os.path.join(sysconfig.get_paths()['include'], 'Python.h')))" 2>/dev/null \
     || ! "$python" -m pip --version >/dev/null 2>&1; then
    echo "install-deps: installing python3-dev and python3-pip"
    sudo_cmd=""
    [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq python3-dev python3-pip
  fi
  if ! "$python" -c "import mlx.core, numpy, pytest, hypothesis, setuptools, safetensors, gguf" >/dev/null 2>&1; then
    echo "install-deps: installing the Python test references (requirements-test.txt)"
    # Debian's own python3 refuses pip installs (PEP 668) unless told otherwise
    "$python" -m pip install -q -r "$here/requirements-test.txt" \
      || "$python" -m pip install -q --break-system-packages -r "$here/requirements-test.txt"
  fi
fi
