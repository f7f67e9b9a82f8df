cmake_minimum_required(VERSION 3.25)
# Demand is accounted for: recomputed from jobs.csv alone (jobs submitted after the warm-up: work_gpu_s of
# each, done_gpu_s, and why the rest was not done, from status), offered, served and each unserved part of
# summary.json agree to 1e-9, in total and for every class, and served + unserved = offered.
set(d ${WORK}/demand-${NAME})
file(REMOVE_RECURSE ${d})
include(${CMAKE_CURRENT_LIST_DIR}/run_capsim.cmake)
run_capsim(${d} ${SCENARIO} ${EXTRA})
file(READ ${d}/summary.json s)
string(JSON warmup GET "${s}" warmup_s)
function(check label block)
  string(JSON offered GET "${block}" offered_gpu_s)
  string(JSON served GET "${block}" served_gpu_s)
  string(JSON unserved GET "${block}" unserved_gpu_s)
  string(JSON ns GET "${block}" unserved not_started_gpu_s)
  string(JSON rr GET "${block}" unserved running_remainder_gpu_s)
  string(JSON rj GET "${block}" unserved rejected_gpu_s)
  execute_process(COMMAND awk -F, -v w=${warmup} -v cls=${label} -v o=${offered} -v s=${served} -v u=${unserved}
                          -v ns=${ns} -v rr=${rr} -v rj=${rj} "
    function bad(x, y) { return (x - y > 1e-9 * (y > 0 ? y : 1)) || (y - x > 1e-9 * (y > 0 ? y : 1)) }
    NR > 1 && $4 >= w && (cls == \"*\" || $3 == cls) {
      O += $11; S += $12
      if ($10 == \"queued\") NS += $11; else if ($10 == \"running\") RR += $11 - $12; else if ($10 == \"rejected\") RJ += $11
    }
    END { printf \"offered %.17g served %.17g not started %.17g running %.17g rejected %.17g\", O, S, NS, RR, RJ
          exit bad(o, O) || bad(s, S) || bad(ns, NS) || bad(rr, RR) || bad(rj, RJ) || bad(s + u, o) || bad(u, ns + rr + rj) }"
                  ${d}/jobs.csv RESULT_VARIABLE rc OUTPUT_VARIABLE got)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "demand (${label}): summary.json says offered ${offered}, served ${served}, unserved ${unserved} (${ns} not started, ${rr} running, ${rj} rejected); jobs.csv gives ${got}")
  endif()
  message(STATUS "${label}: ${got}")
endfunction()
string(JSON total GET "${s}" demand)
check("*" "${total}")
string(JSON n LENGTH "${s}" classes)
math(EXPR last "${n} - 1")
foreach(i RANGE ${last})
  string(JSON name MEMBER "${s}" classes ${i})
  string(JSON block GET "${s}" classes ${name} demand)
  check(${name} "${block}")
endforeach()

# Capacity integrated from timeseries.csv (reference GPUs in service, interval by interval, from the
# warm-up on; the federation's totals are the rows of site `all`) equals the closed form from the tranches.
string(JSON capacity GET "${s}" demand capacity_gpu_s)
execute_process(COMMAND awk -F, -v w=${warmup} -v c=${capacity} "
    NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; fed = (\$1 == \"site\"); next }
    (!fed || \$1 == \"all\") && \$(col[\"start_s\"]) >= w { C += \$(col[\"capacity_gpus\"]) * (\$(col[\"end_s\"]) - \$(col[\"start_s\"])) }
    END { printf \"%.17g\", C; d = C - c; exit (d > 1e-9 * c || -d > 1e-9 * c) }" ${d}/timeseries.csv
                RESULT_VARIABLE rc OUTPUT_VARIABLE got)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "capacity: summary.json says ${capacity} reference GPU-seconds; timeseries.csv integrates to ${got}")
endif()
message(STATUS "capacity: ${got}")

# Censored waits recomputed from jobs.csv: every job submitted after the warm-up and not rejected waits
# start - submit, or horizon - submit if still queued; percentiles interpolate between ranks.
string(JSON horizon GET "${s}" horizon_s)
function(check_waits label p50 p95 share weighted)
  execute_process(COMMAND awk -F, -v w=${warmup} -v h=${horizon} -v cls=${label}
                          "NR > 1 && $4 >= w && $10 != \"rejected\" && (cls == \"*\" || $3 == cls) {
                             printf \"%.17g %s %s\\n\", ($10 == \"queued\" ? h : $5) - $4, $11, $10 }" ${d}/jobs.csv
                  COMMAND sort -g -k1,1
                  COMMAND awk -v p50=${p50} -v p95=${p95} -v share=${share} -v ww=${weighted} "
    function bad(x, y) { if (y == \"\") return 0; return (x - y > 1e-9 * (y > 1 ? y : 1)) || (y - x > 1e-9 * (y > 1 ? y : 1)) }
    function pct(p,  r, i) { r = p / 100 * (n - 1); i = int(r); return i + 1 < n ? v[i] + (r - i) * (v[i + 1] - v[i]) : v[i] }
    { v[n++] = $1; W += $2; WW += $2 * $1; if ($3 == \"queued\") q++ }
    END { printf \"p50 %.17g p95 %.17g not started %.17g work-weighted %.17g\", pct(50), pct(95), q / n, WW / W
          exit bad(pct(50), p50) || bad(pct(95), p95) || bad(q / n, share) || bad(WW / W, ww) }"
                  RESULT_VARIABLE rc OUTPUT_VARIABLE got)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "censored waits (${label}): summary.json says p50 ${p50}, p95 ${p95}, not started ${share}, work-weighted ${weighted}; jobs.csv gives ${got}")
  endif()
  message(STATUS "${label} waits: ${got}")
endfunction()
string(JSON p50 GET "${s}" wait_censored_s p50)
string(JSON p95 GET "${s}" wait_censored_s p95)
string(JSON ww GET "${s}" wait_censored_s work_weighted_mean)
check_waits("*" ${p50} ${p95} "" ${ww})
foreach(i RANGE ${last})
  string(JSON name MEMBER "${s}" classes ${i})
  string(JSON p50 GET "${s}" classes ${name} wait_censored_s p50)
  string(JSON p95 GET "${s}" classes ${name} wait_censored_s p95)
  string(JSON share GET "${s}" classes ${name} not_started_share)
  check_waits(${name} ${p50} ${p95} ${share} "")
endforeach()

# `validate` states the offered load the run then finds (the same jobs: same seed and source).
execute_process(COMMAND ${CAPSIM} validate ${SCENARIO} ${EXTRA} OUTPUT_VARIABLE v RESULT_VARIABLE rc)
string(REGEX MATCH "offered load ([0-9.]+)" _ "${v}")
string(JSON load GET "${s}" demand offered_load)
execute_process(COMMAND awk -v a=${CMAKE_MATCH_1} -v b=${load} "BEGIN { exit sprintf(\"%.2f\", b) != a }" RESULT_VARIABLE same)
if(NOT rc EQUAL 0 OR NOT same EQUAL 0)
  message(FATAL_ERROR "validate says offered load ${CMAKE_MATCH_1}, the run ${load}: ${v}")
endif()
