#!/bin/sh
# Builds capsim and runs the whole test suite (ctest). Tests labelled `long` run only with
# CAPSIM_LONG_TESTS=1. Extra arguments go to ctest (e.g. -L unit).
set -eu
cd "$(dirname "$0")/.."
./scripts/build.sh
cd build
if [ "${CAPSIM_LONG_TESTS:-0}" = 1 ]; then
  exec ctest --output-on-failure -j "$(nproc)" "$@"
fi
exec ctest --output-on-failure -j "$(nproc)" -LE long "$@"
