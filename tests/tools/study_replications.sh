#!/bin/sh
# A study with 3 replications and a baseline. The means and 95 % intervals of comparison.csv, and the
# paired differences of differences.csv, are recomputed from replications.csv alone (t(0.975, 2) = 4.303).
# Common random numbers: replication K of every scenario submits the same number of jobs, and different
# replications do not.
set -u
capsim=$1 study=$2 work=$3
d="$work/study-replications"
rm -rf "$d"
fail() { echo "$1"; exit 1; }
"$capsim" study "$study" --out "$d" --replications 3 --baseline 128-ulsan --jobs 2 --quiet > "$d.stdout" ||
  fail "the study failed"
for f in comparison.csv replications.csv differences.csv; do
  [ -s "$d/$f" ] || fail "no $f"
done
grep -q "^minus 128-ulsan" "$d.stdout" || fail "no table of differences on stdout"

# Column numbers of the metrics checked, from the headers.
col() { head -n 1 "$1" | tr ',' '\n' | grep -nx "$2" | cut -d: -f1; }
for m in wait_mean_s facility_energy_mwh gpu_hours_delivered jobs_submitted; do
  r=$(col "$d/replications.csv" "$m")
  c=$(col "$d/comparison.csv" "$m")
  ci=$(col "$d/comparison.csv" "${m}_ci95")
  dc=$(col "$d/differences.csv" "$m")
  dci=$(col "$d/differences.csv" "${m}_ci95")
  [ -n "$r" ] && [ -n "$c" ] && [ -n "$ci" ] && [ -n "$dc" ] && [ -n "$dci" ] || fail "$m: a column is missing"
  awk -F, -v r="$r" -v c="$c" -v ci="$ci" -v dc="$dc" -v dci="$dci" -v m="$m" '
    function off(x, y,   e, a) { e = x - y; if (e < 0) e = -e; a = (y < 0 ? -y : y); return e > 1e-6 * (a > 1 ? a : 1) }
    function half(sum, sum2, k,   v) { v = (sum2 - sum * sum / k) / (k - 1); return 4.303 * sqrt((v > 0 ? v : 0) / k) }
    FILENAME ~ /replications.csv$/ && FNR > 1 { x[$1, $4] = $r; n[$1]++; names[$1] = 1 }
    FILENAME ~ /comparison.csv$/ && FNR > 1 {
      s = 0; s2 = 0
      for (k = 0; k < 3; k++) { s += x[$1, k]; s2 += x[$1, k] * x[$1, k] }
      if (n[$1] != 3) { print $1 ": " n[$1] " runs in replications.csv"; bad = 1 }
      if (off($c, s / 3) || off($ci, half(s, s2, 3))) { print m " of " $1 ": comparison " $c " +- " $ci ", recomputed " s / 3 " +- " half(s, s2, 3); bad = 1 }
    }
    FILENAME ~ /differences.csv$/ && FNR > 1 {
      s = 0; s2 = 0
      for (k = 0; k < 3; k++) { e = x[$1, k] - x[$2, k]; s += e; s2 += e * e }
      if (off($dc, s / 3) || off($dci, half(s, s2, 3))) { print m " of " $1 " minus " $2 ": " $dc " +- " $dci ", recomputed " s / 3 " +- " half(s, s2, 3); bad = 1 }
      rows++
    }
    END { if (rows != 5) { print rows " rows in differences.csv, expected 5"; bad = 1 } exit bad }
  ' "$d/replications.csv" "$d/comparison.csv" "$d/differences.csv" || fail "$m: recomputed from replications.csv, it differs"
done

# Common random numbers: one job count per replication, three different counts.
j=$(col "$d/replications.csv" jobs_submitted)
awk -F, -v j="$j" 'FNR > 1 { if (($4 in c) && c[$4] != $j) { print "replication " $4 ": " c[$4] " and " $j " jobs"; bad = 1 } c[$4] = $j }
  END { if (c[0] == c[1] || c[1] == c[2]) { print "replications share their jobs"; bad = 1 } exit bad }' "$d/replications.csv" ||
  fail "replications do not share random numbers across scenarios"
# Rerun into the same directory without a baseline: no differences.csv is left from the first run.
"$capsim" study "$study" --out "$d" --force --jobs 2 --quiet --replications 3 --set "horizon=2 d" > /dev/null || fail "the rerun failed"
[ ! -e "$d/differences.csv" ] || fail "differences.csv left from the earlier study"
echo "6 scenarios x 3 replications: means, intervals and differences recomputed from replications.csv"
