#!/bin/sh
# End-to-end benchmark: prints wall time, peak memory and SimGrid activity counts for the pinned workload
# (bench/year-100k-gpus.json: 100,000 GPUs, one year, ~1,000,000 jobs, EASY, energy on, all outputs), and
# the same year with node failures and checkpointing, with the failure catalog, technicians and maintenance,
# with a reserved training run, and the platform build time of a 1,000,000-GPU
# cluster. Then the microbenchmarks.
set -eu
cd "$(dirname "$0")/.."
./scripts/build.sh
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
field() { sed -n "s/.*\"$1\": \([0-9.e+-]*\).*/\1/p" "$2" | head -1; }
show() {  # name, run.json
  printf '%-26s wall %7.2f s   peak memory %5.0f MB   platform build %.3f s   SimGrid execs %s   worker actors %s   scheduler wake-ups %s\n' \
    "$1" "$(field wall_s "$2")" "$(field peak_memory_mb "$2")" "$(field platform_build_s "$2")" \
    "$(field simgrid_execs "$2")" "$(field worker_actors "$2")" "$(field scheduler_wakeups "$2")"
}
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -m)"
./build/capsim run bench/year-100k-gpus.json --out "$out/year" --quiet >/dev/null
show "year, 100k GPUs, 1M jobs" "$out/year/run.json"
# Failures at Llama 3's rate (3.79 per 1,000 node-days: about 17,000 in the year), checkpoints every 30 min,
# against the same job stream with rate 0 and the same checkpointing.
ckpt='workload.classes.0.checkpoint={"interval": "fixed", "every": "30 min", "cost": "30 s", "restart": "2 min"}'
./build/capsim run bench/year-100k-gpus.json --out "$out/rate0" --quiet --set 'failures={"node_failures_per_day": 0}' --set "$ckpt" >/dev/null
show "year, failures rate 0" "$out/rate0/run.json"
./build/capsim run bench/year-100k-gpus.json --out "$out/failures" --quiet --set 'failures={"node_failures_per_day": 0.00379}' --set "$ckpt" >/dev/null
show "year, Llama 3 failures" "$out/failures/run.json"
# The built-in catalog's six classes with 60 technicians (nearly always all busy: manual repairs wait about 2.5 days) and every rack maintained once a quarter.
./build/capsim run bench/year-100k-gpus.json --out "$out/pipeline" --quiet --set "$ckpt" \
  --set 'failures={"technicians": 60, "maintenance": {"every": "90 d", "duration": "8 h", "notice": "1 d"}}' >/dev/null
show "year, catalog + upkeep" "$out/pipeline/run.json"
# A frontier run of 1e26 FLOP on 32,768 GPUs with a reservation from day 60, declared a week ahead.
./build/capsim run bench/year-100k-gpus.json --out "$out/training" --quiet \
  --set 'training_runs=[{"name": "frontier", "submit": "2026-02-23T00:00:00Z", "flop": 1e26, "gpus": 32768, "reservation": {"start": "2026-03-02T00:00:00Z"}}]' >/dev/null
show "year, + a reserved run" "$out/training/run.json"
./build/capsim run bench/platform-1m-gpus.json --out "$out/platform" --quiet >/dev/null
show "platform, 1M GPUs" "$out/platform/run.json"
printf '%-26s %s\n' "fabric, 1M GPUs" "$(./build/capsim topology bench/fabric-1m-gpus.json 2>&1 >/dev/null | tail -1)"
./build/bench/capsim_bench --benchmark_min_time=0.5
