#!/usr/bin/env bash
# Installs cmlx from a build tree into a temporary prefix, then builds and
# runs the README's example against it twice: with pkg-config and with
# CMake's find_package(cmlx). Usage: check_install.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$1
src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cmake --install "$build" --prefix "$work/prefix" >/dev/null
# the first ```c block of the README is the example
awk '/^```c$/{on=1; next} /^```$/{if(on) exit} on' "$src/README.md" > "$work/example.c"
[ -s "$work/example.c" ] || { echo "no C example found in README.md"; exit 1; }

libdir=$(ls -d "$work/prefix"/lib*/ | head -n 1)
export PKG_CONFIG_PATH="$libdir/pkgconfig"
cc -std=c11 -Wall -Wextra -Werror "$work/example.c" $(pkg-config --cflags --libs cmlx) -o "$work/example_pc"
LD_LIBRARY_PATH="$libdir" "$work/example_pc" > "$work/out_pc.txt" 2> "$work/err_pc.txt"
echo "pkg-config build: $(cat "$work/out_pc.txt") | stderr: $(cat "$work/err_pc.txt")"

mkdir -p "$work/consumer"
cp "$work/example.c" "$work/consumer/"
cat > "$work/consumer/CMakeLists.txt" <<'CM'
cmake_minimum_required(VERSION 3.20)
project(consumer C)
find_package(cmlx REQUIRED)
add_executable(example example.c)
target_link_libraries(example PRIVATE cmlx::cmlx)
CM
cmake -S "$work/consumer" -B "$work/consumer/build" -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
cmake --build "$work/consumer/build" >/dev/null
LD_LIBRARY_PATH="$libdir" "$work/consumer/build/example" > "$work/out_cm.txt" 2>/dev/null
cmp "$work/out_pc.txt" "$work/out_cm.txt"
# the example must print results and report the matmul shape error
grep -q "matmul" "$work/err_pc.txt"
echo "find_package build: same output"
