#!/bin/sh
# A study killed with SIGKILL leaves no run behind: each child stops once its parent is gone.
set -u
capsim=$1 study=$2 work=$3
out="$work/kill-study"
rm -rf "$out"
"$capsim" study "$study" --out "$out" --force --quiet --jobs 2 >/dev/null 2>&1 &
pid=$!
sleep 2
if ! pgrep -f -- "--out $out/runs" >/dev/null; then echo "no study run was running after 2 s"; kill -9 "$pid"; exit 1; fi
kill -9 "$pid"
wait "$pid" 2>/dev/null
for i in 1 2 3 4 5 6 7 8 9 10; do
  pgrep -f -- "--out $out/runs" >/dev/null || { echo "no run left behind"; exit 0; }
  sleep 0.5
done
echo "runs still alive 5 s after the study was killed:"; pgrep -af -- "--out $out/runs"
pkill -9 -f -- "--out $out/runs"
exit 1
