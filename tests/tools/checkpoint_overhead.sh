#!/bin/sh
# usage: checkpoint_overhead.sh CAPSIM SCENARIO
# SCENARIO (daly_ettr.json) with no failures: its one job of 72e6 s of work checkpoints every hour, 72 s each,
# with no checkpoint after its last interval, so it runs 72e6 + 19,999 x 72 s exactly, and ETTR is
# 72e6 / that.
set -e
capsim=$1 scenario=$2
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$capsim" run "$scenario" --quiet --out "$out/run" --set 'failures={"node_failures_per_day": 0}' > /dev/null
awk -F, 'NR == 1 { for (i = 1; i <= NF; ++i) col[$i] = i; next }
  {
    want = 72e6 + 19999 * 72; got = $col["end_s"] - $col["start_s"]
    printf "run time %.17g s, by hand %.17g s, interruptions %s\n", got, want, $col["interruptions"]
    if (got != want || $col["interruptions"] != 0) bad = 1
  }
  END { exit bad }' "$out/run/jobs.csv"
grep -q '"ettr": 0.98039311' "$out/run/summary.json" || { echo "FAIL: ETTR is not 72e6 / 73,439,928 = 0.98039311..."; exit 1; }
