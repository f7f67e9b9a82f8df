#!/bin/sh
# Installs what is missing, then configures and builds capsim in ./build (Release).
set -eu
cd "$(dirname "$0")/.."
./scripts/setup.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DCAPSIM_BUILD_TESTS=ON -DCAPSIM_BUILD_BENCHMARKS=ON >/dev/null
cmake --build build -j "$(nproc)" >/dev/null
