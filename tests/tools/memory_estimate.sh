#!/bin/sh
# The memory estimate that runs are refused on (docs/errors.md) errs high, but not far: on a run dominated
# by pods and one dominated by jobs, run.json's measured peak is at most the estimate and at least half of it.
set -u
capsim=$1 platform=$2 work=$3
fail() { echo "$1"; exit 1; }
num() { sed -n "s/.*\"$2\": *\\([0-9.e+]*\\).*/\\1/p" "$1" | head -n 1; }
check() {
  name=$1
  shift
  "$capsim" run "$@" --out "$work/memory-$name" --force --quiet >/dev/null || fail "$name: the run failed"
  measured=$(num "$work/memory-$name/run.json" peak_memory_mb)
  estimate=$(num "$work/memory-$name/run.json" peak_memory_estimate_mb)
  awk -v m="$measured" -v e="$estimate" 'BEGIN { exit !(m <= e && m >= 0.5 * e) }' ||
    fail "$name: measured peak $measured MB against an estimate of $estimate MB"
  echo "$name: measured $measured MB, estimated $estimate MB"
}
check pods "$platform" --set cluster.pods=62500
check jobs "$platform" --set cluster.nodes=2000 --set 'horizon=20 d' --set 'workload.mean_interarrival=4 s'
