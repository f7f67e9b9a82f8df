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
