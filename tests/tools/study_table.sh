#!/bin/sh
# The Korea study's quick form (the README's main command, shortened by --set) prints the table it
# writes. Every cell of the printed table, in both parts (the scenarios, then minus the baseline), is
# read back and must equal the matching cell of comparison.csv or differences.csv, converted to the
# row's unit and rounded to 2 decimals. The unit of each row comes from its label, and the check
# recomputes it from the label alone. A compute or energy row's prefix must keep its largest value
# below 1,000 and at least 1, unless no smaller prefix exists.
set -u
capsim=$1 study=$2 work=$3
shift 3
d="$work/korea-quick"
rm -rf "$d"
fail() { echo "$1"; exit 1; }
"$capsim" study "$study" --out "$d" --quiet --jobs 2 "$@" > "$d.stdout" 2> "$d.stderr" || fail "the study failed: $(cat "$d.stderr")"

# Each part of the table, checked against its CSV.
check() {  # $1: table text, $2: CSV, $3: what
  printf '%s\n' "$1" | awk -v csv="$2" -v what="$3" '
    function trim(s) { sub(/^ +/, "", s); sub(/ +$/, "", s); return s }
    function abs(x) { return x < 0 ? -x : x }
    BEGIN {
      FS = ","
      while ((getline line < csv) > 0) {
        n = split(line, fld, ",")
        if (!header_read) { for (i = 1; i <= n; i++) col[fld[i]] = i; header_read = 1; continue }
        for (i = 1; i <= n; i++) value[fld[1], i] = fld[i]
      }
      # label -> column, and the factor from the column to the label unit (prefix rows: below)
      split("GPUs=gpus=1;utilisation=utilization_allocated=100;offered load=offered_load=1;unserved (M GPU-h)=unserved_gpu_hours=1e-6;mean wait (h)=wait_mean_s=2.7777777777777778e-4;p95 wait (h)=wait_p95_s=2.7777777777777778e-4;window (days)=window_days=1;facility peak (MW)=facility_peak_mw=1;hours power-capped (%)=hours_capped_share=100;PUE=pue_mean=1;carbon per year (kt CO2)=carbon_tco2_per_year=1e-3;capex (M USD)=capex_usd=1e-6;cost per year (M USD)=total_cost_per_year_usd=1e-6;USD per GPU-hour=cost_per_physical_gpu_hour_usd=1;USD per reference GPU-hour=cost_per_reference_gpu_hour_usd=1;fabric capex (M USD)=network_capex_usd=1e-6;fabric power (MW)=network_power_kw=1e-3;comm slowdown mean=comm_slowdown_mean=1;comm slowdown p95=comm_slowdown_p95=1;input data staging mean (h)=staged_mean_s=2.7777777777777778e-4;input data staging p95 (h)=staged_p95_s=2.7777777777777778e-4;failures=failures=1;nodes in repair (mean)=nodes_in_repair_mean=1;useful work (M ref. GPU-h)=useful_gpu_hours=1e-6;lost to failures (M GPU-h)=gpu_hours_lost=1e-6;ETTR=ettr=1;ETTR of jobs over 4,096 GPUs=ettr_largest_jobs=1", rows, ";")
      for (r in rows) { split(rows[r], p, "="); column[p[1]] = p[2]; factor[p[1]] = p[3] }
      prefix["EFLOP"] = 1; prefix["ZFLOP"] = 1e-3; prefix["YFLOP"] = 1e-6; prefix["RFLOP"] = 1e-9
      prefix["MWh"] = 1; prefix["GWh"] = 1e-3; prefix["TWh"] = 1e-6
      FS = "\n"
    }
    # Names are right-aligned in columns of width + 1: the ends of the first two give both widths.
    NR == 1 {
      ncols = split(trim($0), names, / +/)
      match($0, /[^ ]+/); e1 = RSTART + RLENGTH - 1
      if (ncols > 1) { rest = substr($0, e1 + 1); match(rest, /[^ ]+/); step = RSTART + RLENGTH - 1 } else step = length(names[1]) + 1
      width = step - 1
      label_width = e1 - step
      next
    }
    { gsub(/±/, "~") }  # one column, one byte
    {
      label = trim(substr($0, 1, label_width))
      c = ""; f = 0; unit = ""
      if (label in column) { c = column[label]; f = factor[label] }
      else if (match(label, /^delivered FLOP per year \(([A-Z]FLOP)\)$/)) { c = "delivered_exaflop_per_year"; unit = substr(label, 26, 5) }
      else if (match(label, /^facility energy per year \(([MGT]Wh)\)$/)) { c = "facility_energy_mwh_per_year"; unit = substr(label, 27, 3) }
      else if (match(label, / wait p(50|95) \(h\)$/)) { c = substr(label, 1, RSTART - 1) "_wait_censored_p" substr(label, RSTART + 7, 2) "_s"; f = 1 / 3600 }
      else if (match(label, / not started \(%\)$/)) { c = substr(label, 1, RSTART - 1) "_not_started_share"; f = 100 }
      else if (match(label, / comm slowdown mean$/)) { c = substr(label, 1, RSTART - 1) "_comm_slowdown_mean"; f = 1 }
      else { print what ": row \"" label "\" has no known column"; bad = 1; next }
      if (unit != "") {
        if (!(unit in prefix)) { print what ": unknown prefix " unit; bad = 1; next }
        f = prefix[unit]
      }
      if (!(c in col)) { print what ": row \"" label "\": no column " c " in " csv; bad = 1; next }
      largest = 0
      for (k = 1; k <= ncols; k++) {
        cell = trim(substr($0, label_width + 1 + (k - 1) * (width + 1), width + 1))
        sub(/ ~.*/, "", cell)
        v = value[names[k], col[c]]
        if (v == "") { if (cell != "-") { print what ": " label " of " names[k] ": table " cell ", CSV empty"; bad = 1 }; continue }
        want = v * f
        if (abs(want) > largest) largest = abs(want)
        if (abs(cell - want) > 0.005 + 1e-9 * abs(want)) { print what ": " label " of " names[k] ": table " cell ", CSV " v " = " want; bad = 1 }
        checked++
      }
      if (unit != "" && (largest >= 1000 || (largest < 1 && f < 1))) { print what ": " label ": largest value " largest " in that prefix"; bad = 1 }
    }
    END { if (checked < 100) { print what ": only " checked " cells checked"; bad = 1 } else print what ": " checked " cells equal"; exit bad }'
}
table=$(awk '/^$/ || /^outputs:/ { exit } { print }' "$d.stdout")
differences=$(sed -n '/^minus /,/^outputs:/p' "$d.stdout" | sed '1d;$d')
check "$table" "$d/comparison.csv" "scenarios" || fail "the printed table differs from comparison.csv"
if [ -s "$d/differences.csv" ]; then
  [ -n "$differences" ] || fail "differences.csv but no table of differences"
  check "$differences" "$d/differences.csv" "differences" || fail "the printed differences differ from differences.csv"
fi
