#!/bin/sh
# The main job: builds capsim if needed and runs the Korea study (scenarios/korea/study.json): 50,000 versus
# 100,000 GPUs at three Korean sites, a simulated year each, side by side. Outputs go to ./capsim-korea.
set -eu
cd "$(dirname "$0")/.."
./scripts/build.sh
exec ./build/capsim study scenarios/korea/study.json --out capsim-korea --force "$@"
