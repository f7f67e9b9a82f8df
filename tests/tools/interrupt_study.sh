#!/bin/sh
# SIGTERM stops a study: its runs are told to stop, it exits 130 and no run is left behind.
set -u
capsim=$1 study=$2 work=$3
out="$work/interrupt-study"
rm -rf "$out"
"$capsim" study "$study" --out "$out" --jobs 2 --replications 1 --quiet >/dev/null 2>"$work/interrupt-study.err" &
pid=$!
sleep 2
kill -TERM "$pid"
wait "$pid"
rc=$?
if [ "$rc" -ne 130 ]; then echo "expected exit code 130, got $rc"; cat "$work/interrupt-study.err"; exit 1; fi
if ! grep -q "^capsim: study interrupted" "$work/interrupt-study.err"; then cat "$work/interrupt-study.err"; exit 1; fi
sleep 1
left=$(ps -eo args | grep -c "^$capsim run .*$out/runs/")
if [ "$left" -ne 0 ]; then echo "$left runs still going"; exit 1; fi
for e in "$out"/runs/*/stderr.txt; do
  grep -q "^capsim: interrupted" "$e" || { echo "$e: the run was not interrupted"; cat "$e"; exit 1; }
done
echo "study interrupted cleanly"
