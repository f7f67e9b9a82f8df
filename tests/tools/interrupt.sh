#!/bin/sh
# usage: interrupt.sh CAPSIM SCENARIO WORK [--set PATH=VALUE]...
# SIGINT stops a run with exit code 130 and leaves no output file behind.
set -u
capsim=$1 scenario=$2 work=$3
shift 3
out="$work/interrupt$$"
rm -rf "$out"
"$capsim" run "$scenario" --out "$out" --quiet "$@" >/dev/null 2>"$work/interrupt$$.err" &
pid=$!
sleep 1
kill -INT "$pid"
wait "$pid"
rc=$?
if [ "$rc" -ne 130 ]; then echo "expected exit code 130, got $rc"; cat "$work/interrupt$$.err"; exit 1; fi
if [ -n "$(ls -A "$out" 2>/dev/null)" ]; then echo "output files left behind: $(ls -A "$out")"; exit 1; fi
if ! grep -q "^capsim: interrupted" "$work/interrupt$$.err"; then echo "no message"; cat "$work/interrupt$$.err"; exit 1; fi
echo "interrupted cleanly"
