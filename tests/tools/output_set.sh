#!/bin/sh
# The outputs of a run are one set: a second run into the same --out is refused while the first runs
# (exit 4), also through a symbolic link written with a slash; an interrupted run leaves the previous set
# as it was; a later run removes what killed runs left beside --out; --force keeps files that are not part
# of the set, and refuses a folder it could not keep.
set -u
capsim=$1 small=$2 long=$3 work=$4
out="$work/output-set"
rm -rf "$out" "$out".capsim-* "$work/output-set-link"
fail() { echo "$1"; pkill -9 -f -- "--out $out" 2>/dev/null; exit 1; }

"$capsim" run "$small" --out "$out" --quiet >/dev/null || fail "first run failed"
cp "$out/summary.json" "$work/output-set.first"
mkdir "$out/sub"
"$capsim" run "$small" --out "$out" --force --quiet >/dev/null 2>"$work/output-set.err0"
rc=$?
[ "$rc" -eq 2 ] || fail "a folder inside --out with --force: expected exit code 2, got $rc"
grep -q "holds \`sub\`, which is not a file" "$work/output-set.err0" || fail "folder inside --out: $(cat "$work/output-set.err0")"
rmdir "$out/sub"
ln -s "$out" "$work/output-set-link"
echo "kept" > "$out/notes.txt"
touch "$out/.jobs.csv.tmp-12345"     # left by an older capsim killed while writing
mkdir "$out.capsim-tmp-99999"        # left by a run killed while writing its set

# A long run into it, and a second one while it runs.
"$capsim" run "$long" --out "$out" --force --quiet >/dev/null 2>"$work/output-set.err" &
pid=$!
i=0
while [ ! -e "$out.capsim-lock" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
[ -d "$out.capsim-tmp-99999" ] && fail "a stale temporary folder was not removed"
"$capsim" run "$small" --out "$out" --force --quiet >/dev/null 2>"$work/output-set.err2"
rc=$?
[ "$rc" -eq 4 ] || fail "second run into the same --out: expected exit code 4, got $rc"
grep -q "another capsim run is writing there" "$work/output-set.err2" || fail "second run: $(cat "$work/output-set.err2")"
"$capsim" run "$small" --out "$work/output-set-link/" --force --quiet >/dev/null 2>&1
rc=$?
[ "$rc" -eq 4 ] || fail "second run through a symbolic link with a slash: expected exit code 4, got $rc"
[ -L "$work/output-set-link" ] || fail "the symbolic link was replaced"
sleep 1
kill -INT "$pid"
wait "$pid"
rc=$?
[ "$rc" -eq 130 ] || fail "interrupted run: expected exit code 130, got $rc"
cmp -s "$out/summary.json" "$work/output-set.first" || fail "the interrupted run changed the previous set"
ls "$work" | grep -q "output-set.capsim-tmp" && fail "temporary folder left: $(ls "$work")"

# A run that completes replaces the set, keeps notes.txt, drops the older capsim's temporary file.
"$capsim" run "$small" --out "$out" --force --seed 7 --quiet >/dev/null || fail "last run failed"
grep -q '"seed": 7' "$out/summary.json" || fail "the last run's set was not swapped in"
[ "$(cat "$out/notes.txt")" = "kept" ] || fail "notes.txt was not kept"
[ -e "$out/.jobs.csv.tmp-12345" ] && fail "an older capsim's temporary file was kept"
for f in scenario.resolved.json jobs.csv timeseries.csv run.json summary.json; do [ -s "$out/$f" ] || fail "$f missing"; done
ls -a "$work" | grep -q "output-set.capsim-" && fail "lock or temporary folder left: $(ls -a "$work" | grep output-set)"
rm -f "$work/output-set-link"
echo "outputs swapped in as one set"
