#!/bin/sh
# SIGINT or SIGTERM at any moment of a run's start-up once capsim has its handlers (loading, platform
# build, engine start, first events) exits 130 with the message and leaves no output file, never 1, 134,
# 139 or 143. (Before its handlers exist the process is not yet capsim's: a shell's background job ignores
# SIGINT, and SIGTERM takes its default action.)
set -u
capsim=$1 scenario=$2 work=$3
shift 3  # the rest: options for the run (e.g. a --set that makes the platform build long)
for sig in INT TERM; do
  for delay in 0 0.02 0.05 0.1 0.2 0.3; do
    out="$work/interrupt-startup"
    rm -rf "$out"
    "$capsim" run "$scenario" --out "$out" --quiet "$@" >/dev/null 2>"$work/interrupt-startup.err" &
    pid=$!
    # Wait until SIGINT (bit 1) and SIGTERM (bit 14) are caught.
    while kill -0 "$pid" 2>/dev/null; do
      mask=$(sed -n 's/^SigCgt:[[:space:]]*//p' "/proc/$pid/status" 2>/dev/null)
      [ -n "$mask" ] && [ $(( 0x$mask & 0x4002 )) -eq $(( 0x4002 )) ] && break
    done
    sleep "$delay"
    kill -"$sig" "$pid"
    wait "$pid"
    rc=$?
    if [ "$rc" -ne 130 ]; then echo "SIG$sig after $delay s: expected exit code 130, got $rc"; cat "$work/interrupt-startup.err"; exit 1; fi
    if [ -n "$(ls -A "$out" 2>/dev/null)" ]; then echo "SIG$sig after $delay s: files left: $(ls -A "$out")"; exit 1; fi
    if ! grep -q "^capsim: interrupted" "$work/interrupt-startup.err"; then echo "SIG$sig after $delay s: no message"; cat "$work/interrupt-startup.err"; exit 1; fi
  done
done
echo "interrupted cleanly at every moment tried"
