#!/bin/sh
# usage: failure_counts.sh CAPSIM SCENARIO SEEDS
# SCENARIO (failure_counts.json): jobs on 1, 4 and 16 nodes run the whole horizon T while nodes fail at rate
# lambda, spares stand in at once and restarts cost nothing, so each job's interruptions are Poisson with
# mean N lambda T. Over SEEDS seeds, for each N: the mean is within 3 standard errors of N lambda T, the
# variance over the mean is in [0.8, 1.2], and the mean time between interruptions is 1/N that of one node
# (within 3 standard errors).
set -e
capsim=$1 scenario=$2 seeds=$3
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
seed=1
while [ "$seed" -le "$seeds" ]; do
  "$capsim" run "$scenario" --quiet --seed "$seed" --out "$out/run" --force > /dev/null
  tail -n +2 "$out/run/jobs.csv" >> "$out/all.csv"
  head -1 "$out/run/jobs.csv" > "$out/header.csv"
  seed=$((seed + 1))
done
awk -F, -v T=8640000 -v mtbf=864000 -v seeds="$seeds" '
  NR == FNR { for (i = 1; i <= NF; ++i) col[$i] = i; next }
  {
    n = $col["nodes"]; k = $col["interruptions"]
    if ($col["status"] != "running" || $col["start_s"] != 0) { print "FAIL: job " $col["id"] " did not run the whole horizon"; bad = 1 }
    cnt[n]++; sum[n] += k; sq[n] += k * k
  }
  END {
    for (n in cnt) {
      m = sum[n] / cnt[n]; v = (sq[n] - cnt[n] * m * m) / (cnt[n] - 1); want = n * T / mtbf; se = sqrt(v / cnt[n])
      d = m - want; if (d < 0) d = -d
      printf "%2d nodes: %d jobs, interruptions mean %.3f (N lambda T %.3f, 3 SE %.3f), variance / mean %.3f, MTBI %.3f h\n", n, cnt[n], m, want, 3 * se, v / m, T / m / 3600
      if (cnt[n] != seeds) { print "FAIL: expected one job of " n " nodes per seed"; bad = 1 }
      if (d > 3 * se) { print "FAIL: mean interruptions"; bad = 1 }
      if (v / m < 0.8 || v / m > 1.2) { print "FAIL: variance / mean"; bad = 1 }
      mtbi[n] = T / m; rse[n] = 1 / sqrt(sum[n])
    }
    for (n in cnt) if (n != 1) {
      r = mtbi[1] / mtbi[n] / n; e = 3 * sqrt(rse[1] * rse[1] + rse[n] * rse[n])
      printf "MTBI(1) / MTBI(%d) / %d = %.4f (1 within %.4f)\n", n, n, r, e
      if (r - 1 > e || 1 - r > e) { print "FAIL: MTBI does not scale as 1/N"; bad = 1 }
    }
    exit bad
  }' "$out/header.csv" "$out/all.csv"
