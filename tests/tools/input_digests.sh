#!/bin/sh
# The inputs are part of a scenario's identity: the trace's SHA-256 and size recorded in the resolved
# scenario and summary.json agree with sha256sum and stat; rerunning the resolved file gives the same
# results; an edited trace is refused (exit 2) and changes scenario_sha256 once its record is dropped with
# --set workload.path.
set -u
capsim=$1 work=$2
dir="$work/input-digests"
rm -rf "$dir"
mkdir -p "$dir"
fail() { echo "$1"; exit 1; }
field() { sed -n "s/.*\"$2\": *\"\\{0,1\\}\\([^\",}]*\\).*/\\1/p" "$1" | head -n 1; }

cat > "$dir/trace.swf" <<'SWF'
; MaxProcs: 16
1 0 0 3600 4 -1 -1 4 3600 -1 1 1 1 -1 1 -1 -1 -1
2 60 0 1800 8 -1 -1 8 1800 -1 1 1 1 -1 1 -1 -1 -1
3 120 0 7200 16 -1 -1 16 7200 -1 1 1 1 -1 1 -1 -1 -1
SWF
cat > "$dir/scenario.json" <<'JSON'
{ "capsim": 1, "name": "digests", "horizon": "1 d", "seed": 3,
  "cluster": { "node_type": "h100-sxm-8", "nodes": 2 },
  "workload": { "source": "swf", "path": "trace.swf" } }
JSON
"$capsim" run "$dir/scenario.json" --out "$dir/a" --quiet >/dev/null || fail "first run failed"
tr -d ' \n' < "$dir/a/scenario.resolved.json" > "$dir/resolved.flat"
want_sha=$(sha256sum "$dir/trace.swf" | cut -d ' ' -f 1)
want_size=$(stat -c %s "$dir/trace.swf")
grep -q "\"$dir/trace.swf\":{\"sha256\":\"$want_sha\",\"size_bytes\":$want_size}" "$dir/resolved.flat" ||
  fail "scenario.resolved.json does not record the trace as sha256sum ($want_sha) and stat ($want_size bytes) see it"
tr -d ' \n' < "$dir/a/summary.json" | grep -q "\"sha256\":\"$want_sha\",\"size_bytes\":$want_size" ||
  fail "summary.json does not record the trace's digest"
sha_a=$(field "$dir/a/summary.json" scenario_sha256)

"$capsim" run "$dir/a/scenario.resolved.json" --out "$dir/b" --quiet >/dev/null || fail "rerunning the resolved scenario failed"
cmp -s "$dir/a/summary.json" "$dir/b/summary.json" || fail "the resolved scenario gives other results"
cmp -s "$dir/a/jobs.csv" "$dir/b/jobs.csv" || fail "the resolved scenario gives another schedule"

echo "4 180 0 600 2 -1 -1 2 600 -1 1 1 1 -1 1 -1 -1 -1" >> "$dir/trace.swf"
"$capsim" run "$dir/a/scenario.resolved.json" --out "$dir/c" --quiet >/dev/null 2>"$dir/c.err"
rc=$?
[ "$rc" -eq 2 ] || fail "an edited trace: expected exit code 2, found $rc"
[ -e "$dir/c" ] && fail "an edited trace left an output folder"
grep -q "inputs.\"$dir/trace.swf\": expected sha256 $want_sha and $want_size bytes (recorded when the scenario was resolved), found sha256 $(sha256sum "$dir/trace.swf" | cut -d ' ' -f 1) and $(stat -c %s "$dir/trace.swf") bytes" "$dir/c.err" ||
  fail "an edited trace: unexpected message: $(head -n 1 "$dir/c.err")"
"$capsim" validate "$dir/a/scenario.resolved.json" >/dev/null 2>&1 && fail "validate accepted an edited trace"

"$capsim" run "$dir/a/scenario.resolved.json" --set "workload.path=$dir/trace.swf" --out "$dir/d" --quiet >/dev/null ||
  fail "--set workload.path did not drop the recorded digest"
sha_d=$(field "$dir/d/summary.json" scenario_sha256)
[ -n "$sha_a" ] && [ "$sha_a" != "$sha_d" ] || fail "the edited trace kept scenario_sha256 $sha_a"
[ "$(field "$dir/d/summary.json" submitted)" = 4 ] || fail "the run with the edited trace did not read its 4 jobs"
echo "input digests: recorded, checked and dropped as documented"
