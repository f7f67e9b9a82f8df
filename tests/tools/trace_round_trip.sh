#!/bin/sh
# capsim trace convert, then read back: what a trace says survives the round trip through capsim's CSV.
# usage: trace_round_trip.sh CAPSIM TRACE WORKDIR; the hand-made Philly log (tests/traces/README.md) has 20
# jobs kept, 3 of them with several attempts, and 64.6 GPU-hours.
set -eu
capsim=$1 trace=$2 work=$3
mkdir -p "$work"
"$capsim" trace convert "$trace" --out "$work/round_trip.csv" --quiet 2>/dev/null
before=$("$capsim" trace stats "$trace" --json | grep -E '"(jobs|jobs_multi_attempt|gpu_hours|tenants)"')
after=$("$capsim" trace stats "$work/round_trip.csv" --json | grep -E '"(jobs|jobs_multi_attempt|gpu_hours|tenants)"')
[ "$before" = "$after" ] || { echo "before: $before"; echo "after: $after"; exit 1; }
echo "$after" | grep -q '"jobs": 20,' && echo "$after" | grep -q '"jobs_multi_attempt": 3,' || { echo "unexpected: $after"; exit 1; }
