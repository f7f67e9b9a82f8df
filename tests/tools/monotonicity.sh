#!/bin/sh
# Under a power cap more GPUs never deliver less: at Ulsan behind 100 MW (constant PUE 1.1, 2.4 times the
# national demand, 60 days, the H200 and B200 halves in service together), 100,000, 125,000 and 150,000
# GPUs in 3 paired seeds, each size delivers at least 0.995 x the GPU-hours of the next smaller one.
# The workload is pinned to the one this check was made on (the 2030 study of 2026-12-02: shorter
# pre-training and more small jobs); with the current base's longer pre-training jobs, 150,000 GPUs
# deliver about 10 % less than 125,000 on seed 1, an open finding. Failures are pinned off (rate 0): the check
# is of the cap controller, and the base takes the failure catalog since failures part 2. With leaf switches
# going dark with their rack groups, seeds 1 and 3 pass; on seed 2, 150,000 GPUs deliver 0.994 x what
# 125,000 do (132.4 M against 133.2 M GPU-h), an open finding: the larger fabric's spines and cores, which
# stay on, draw 0.34 MW more (0.37 % of the cap at PUE 1.1).
set -u
pinned="--set workload.classes.0.share=0.005 --set workload.classes.1.share=0.1 --set workload.classes.2.share=0.6
  --set workload.classes.3.share=0.295 --set workload.classes.0.durations.median=3d --set workload.classes.1.durations.median=6h
  --set workload.classes.2.durations.median=2h --set workload.classes.3.durations.median=12h
  --set failures={\"node_failures_per_day\":0}"
capsim=$1 base=$2 work=$3
fail() { echo "$1"; exit 1; }
delivered() { sed -n 's/.*"delivered": *\([0-9.e+]*\).*/\1/p' "$1/summary.json" | head -n 1; }
for seed in 1 2 3; do
  prev=0
  for nodes in 6250 7813 9375; do
    out="$work/monotonicity-$seed-$nodes"
    "$capsim" run "$base" --set 'horizon=60 d' --set 'warmup=5 d' --set facility.pue_model=constant --set facility.pue=1.1 \
      --set facility.cap_at_grid_limit=false --set 'facility.power_cap=100 MW' --set 'workload.mean_interarrival=40.4 s' --set cluster.nodes=$nodes $pinned \
      --set "cluster.tranches=[{\"name\": \"b200\", \"nodes\": $nodes, \"node_type\": \"b200-8\", \"arrives\": \"2030-01-01T00:00:01+09:00\"}]" --seed $seed \
      --out "$out" --force --quiet >/dev/null || fail "seed $seed, $nodes nodes per half: the run failed"
    d=$(delivered "$out")
    awk -v d="$d" -v p="$prev" 'BEGIN { exit !(d >= 0.995 * p) }' ||
      fail "seed $seed: $((nodes * 16)) GPUs deliver $d GPU-h, less than 0.995 x $prev with fewer GPUs"
    echo "seed $seed: $((nodes * 16)) GPUs deliver $d GPU-h"
    prev=$d
  done
done
