#!/bin/sh
# usage: highway_transfer.sh CAPSIM SCENARIO SWF TOGETHER BYTES BPS LATENCY_S
# Runs SCENARIO (a two-member federation whose jobs' data crosses one link) on trace SWF, whose TOGETHER jobs
# arrive at once. Each job's staged_s must be TOGETHER x BYTES x 8 / BPS + LATENCY_S (max-min sharing of the
# link, then its latency) within 1e-9 relative, and the job may start no earlier (it holds no GPUs meanwhile).
set -e
capsim=$1 scenario=$2 swf=$3 together=$4 bytes=$5 bps=$6 latency=$7
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
rmdir "$out"
"$capsim" run "$scenario" --quiet --out "$out" --set workload.path="$swf" > /dev/null
awk -F, -v n="$together" -v b="$bytes" -v bps="$bps" -v lat="$latency" '
  NR == 1 { for (i = 1; i <= NF; ++i) col[$i] = i; next }
  {
    want = n * b * 8 / bps + lat; got = $col["staged_s"]; rows++
    d = got - want; if (d < 0) d = -d
    printf "job %s: staged %s s, closed form %.9g s, start %s s\n", $col["id"], got, want, $col["start_s"]
    if (got == "" || d > 1e-9 * want) { print "FAIL: staged_s"; bad = 1 }
    if ($col["start_s"] + 0 < $col["submit_s"] + got - 1e-9) { print "FAIL: started before its data arrived"; bad = 1 }
  }
  END { if (rows != n) { print "FAIL: expected " n " jobs, found " rows; bad = 1 } exit bad }' "$out/jobs.csv"
