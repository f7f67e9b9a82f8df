#!/bin/sh
# The main job: builds capsim if needed and runs the default scenario, writing outputs to ./capsim-out.
set -eu
cd "$(dirname "$0")/.."
./scripts/build.sh
exec ./build/capsim run scenarios/examples/small-cluster.json --out capsim-out --force "$@"
