#!/bin/sh
# Trace readers: wall time, peak memory and parse throughput of `capsim trace stats` and `capsim trace
# convert` on generated traces (docs/traces.md): a 10-million-job job log sorted by submit time, the same
# unsorted (read through the index), and one million jobs in each line-based format.
set -eu
cd "$(dirname "$0")/.."
./scripts/build.sh
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
jobs=${1:-10000000}
# Helios-style job log: submit every ~3 s over a year, sizes 1-64, durations 1 s - 3 d.
awk -v n="$jobs" '
# YYYY-MM-DD HH:MM:SS of Unix time t, UTC (civil from days, Howard Hinnant; mawk has no strftime).
function stamp(t,   z, era, doe, yoe, y, doy, mp, d, m, s) {
  s = t % 86400; z = int(t / 86400) + 719468; era = int(z / 146097); doe = z - era * 146097
  yoe = int((doe - int(doe / 1460) + int(doe / 36524) - int(doe / 146096)) / 365); y = yoe + era * 400
  doy = doe - (365 * yoe + int(yoe / 4) - int(yoe / 100)); mp = int((5 * doy + 2) / 153)
  d = doy - int((153 * mp + 2) / 5) + 1; m = mp < 10 ? mp + 3 : mp - 9; if (m <= 2) y++
  return sprintf("%04d-%02d-%02d %02d:%02d:%02d", y, m, d, int(s / 3600), int(s % 3600 / 60), s % 60) }
BEGIN { srand(1); print "job_id,user,vc,gpu_num,cpu_num,node_num,state,submit_time,start_time,end_time,duration,queue";
  t = 1577836800; for (i = 1; i <= n; i++) { t += int(rand() * 6); g = 2 ^ int(rand() * 7); d = int(exp(rand() * 12.4));
    s = stamp(t); printf "%d,u%d,vc%d,%d,%d,1,COMPLETED,%s,%s,%s,%d,0\n", i, i % 500, i % 20, g, 4 * g, s, s, s, d } }' > "$dir/sorted.csv"
# The same rows, in another order: sorted on a column unrelated to time.
{ head -1 "$dir/sorted.csv"; tail -n +2 "$dir/sorted.csv" | sort -t, -k11,11n -S 1G; } > "$dir/unsorted.csv"
measure() {  # name, input file, command...
  name=$1; size=$(stat -c %s "$2"); shift 2
  /usr/bin/time -f "%e %M" -o "$dir/time" "$@" > /dev/null 2> "$dir/err" || { cat "$dir/err"; exit 1; }
  set -- $(cat "$dir/time")
  awk -v n="$name" -v s="$size" -v t="$1" -v m="$2" 'BEGIN { printf "%-34s %7.2f s  %6.0f MB peak  %6.1f MB/s\n", n, t, m / 1024, s / 1048576 / (t > 0 ? t : 1e-9) }'
}
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); $jobs jobs"
measure "stats, job_log sorted" "$dir/sorted.csv" ./build/capsim trace stats "$dir/sorted.csv" --format job_log
measure "convert, job_log sorted" "$dir/sorted.csv" ./build/capsim trace convert "$dir/sorted.csv" --format job_log --out "$dir/sorted.capsim.csv"
measure "stats, job_log unsorted" "$dir/unsorted.csv" ./build/capsim trace stats "$dir/unsorted.csv" --format job_log
measure "convert, job_log unsorted (index)" "$dir/unsorted.csv" ./build/capsim trace convert "$dir/unsorted.csv" --format job_log --out "$dir/unsorted.capsim.csv"
measure "stats, capsim_csv" "$dir/sorted.capsim.csv" ./build/capsim trace stats "$dir/sorted.capsim.csv" --format capsim_csv
# One million jobs in the other line-based formats, converted from the first million of the log.
head -1000001 "$dir/sorted.csv" | awk -F, 'NR == 1 { print "timestamp,duration,num_gpus,gpu_time,cluster"; next } { print $8 "," $11 "," $4 "," $4 * $11 "," $3 }' > "$dir/philly.csv"
head -1000001 "$dir/sorted.csv" | awk -F, 'NR == 1 { print "name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time"; next }
  { printf "pod-%d,8000,16384,%d,%d,,LS,Succeeded,%d,%d,%d\n", $1, ($4 > 8 ? 8 : $4), ($4 == 1 ? 500 : 1000), NR * 3, NR * 3 + $11, NR * 3 }' > "$dir/openb.csv"
measure "stats, philly_csv (1M, held)" "$dir/philly.csv" ./build/capsim trace stats "$dir/philly.csv" --format philly_csv
measure "stats, openb (1M, held)" "$dir/openb.csv" ./build/capsim trace stats "$dir/openb.csv" --format openb
