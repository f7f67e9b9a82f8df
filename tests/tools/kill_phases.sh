#!/bin/sh
# SIGINT, SIGTERM and SIGKILL at start-up, mid-run and while the outputs are written, each followed by the
# check that --out holds one complete set, the previous one or the new one, never a mix, and by a rerun
# into the same --out. The previous set comes from another seed, so a mix of the two would show.
set -u
capsim=$1 scenario=$2 work=$3
out="$work/kill-phases"
fail() { echo "$1"; pkill -9 -f -- "--out $out" 2>/dev/null; exit 1; }
run() { "$capsim" run "$scenario" --set 'horizon=90 d' --set 'workload.mean_interarrival=2 min' --set cluster.nodes=16 --quiet "$@" >/dev/null; }
start() { exec "$capsim" run "$scenario" --set 'horizon=90 d' --set 'workload.mean_interarrival=2 min' --set cluster.nodes=16 --quiet "$@" >/dev/null; }
rm -rf "$work/kill-ref-"* "$out" "$out".capsim-*
run --seed 1 --out "$work/kill-ref-new" || fail "reference run failed"
run --seed 2 --out "$work/kill-ref-old" || fail "reference run failed"
set_is() {  # the files of --out are exactly those of set $1
  [ "$(ls -A "$out" | sort | tr '\n' ' ')" = "jobs.csv run.json scenario.resolved.json summary.json timeseries.csv " ] || return 1
  for f in jobs.csv scenario.resolved.json summary.json timeseries.csv; do cmp -s "$out/$f" "$work/kill-ref-$1/$f" || return 1; done
  [ "$(tail -c 2 "$out/run.json")" = "}" ] || return 1
}
for sig in INT TERM KILL; do
  for phase in start-up mid-run writing; do
    rm -rf "$out"
    cp -r "$work/kill-ref-old" "$out"
    start --seed 1 --out "$out" --force 2>"$work/kill-phases.err" &  # $! is capsim itself
    pid=$!
    case $phase in
      start-up) sleep 0.1 ;;  # after the dynamic loader: an earlier signal is the system's (exit 128 + N)
      mid-run) sleep 0.5 ;;
      writing)  # as soon as the first output file is in the run's temporary folder
        i=0
        while [ -z "$(ls "$out.capsim-tmp-$pid" 2>/dev/null)" ] && [ $i -lt 20000 ]; do i=$((i + 1)); done
        [ $i -lt 20000 ] || fail "$sig: no output file appeared in $out.capsim-tmp-$pid" ;;
    esac
    kill -"$sig" "$pid" 2>/dev/null
    wait "$pid"
    rc=$?
    case "$sig/$rc" in
      */0) set_is new || fail "$sig $phase: exit 0 but --out does not hold the new set" ;;
      INT/130 | TERM/130 | KILL/137) set_is old || fail "$sig $phase: exit $rc but --out does not hold the previous set: $(ls -A "$out")" ;;
      *) fail "$sig $phase: unexpected exit code $rc: $(head -n 1 "$work/kill-phases.err")" ;;
    esac
    run --seed 1 --out "$out" --force || fail "$sig $phase: the rerun failed"
    set_is new || fail "$sig $phase: the rerun did not leave the new set"
    [ -z "$(ls -d "$out".capsim-tmp-* 2>/dev/null)" ] || fail "$sig $phase: the rerun left $(ls -d "$out".capsim-tmp-*)"
    echo "$sig $phase: exit $rc, then a complete rerun"
  done
done
