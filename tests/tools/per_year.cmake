cmake_minimum_required(VERSION 3.25)
# The window's figures per 365-day year, recomputed from timeseries.csv (hourly rows; the federation's
# totals are the rows of site `all`, its carbon the members' rows): facility and IT energy, carbon (each hour's energy at that hour's
# intensity) and allocated GPU-hours from the warm-up on, divided by the window's years, equal `per_year`
# to 1e-9; `window` gives the warm-up and horizon, and `hours_capped_share` the capped hours over the
# window's hours.
set(d ${WORK}/per-year-${NAME})
file(REMOVE_RECURSE ${d})
include(${CMAKE_CURRENT_LIST_DIR}/run_capsim.cmake)
run_capsim(${d} ${SCENARIO} ${EXTRA} --set "outputs.timeseries_interval=1 h")
file(READ ${d}/summary.json s)
string(JSON warmup GET "${s}" warmup_s)
string(JSON horizon GET "${s}" horizon_s)
string(JSON start GET "${s}" window start_s)
string(JSON end GET "${s}" window end_s)
string(JSON days GET "${s}" window days)
string(JSON years GET "${s}" window years)
string(JSON facility GET "${s}" per_year facility_energy_mwh)
string(JSON it GET "${s}" per_year it_energy_mwh)
string(JSON allocated GET "${s}" per_year gpu_hours_allocated)
string(JSON carbon ERROR_VARIABLE no_carbon GET "${s}" per_year carbon_tco2)
if(no_carbon)
  set(carbon "")
endif()
string(JSON capped GET "${s}" power hours_capped)
string(JSON share GET "${s}" power hours_capped_share)
execute_process(COMMAND awk -v a=${start} -v b=${end} -v w=${warmup} -v h=${horizon} -v d=${days} -v y=${years}
                        -v hc=${capped} -v sh=${share} "BEGIN {
    bad = a != w || b != h || (d - (h - w) / 86400) ^ 2 > 1e-18 * d * d || (y - d / 365) ^ 2 > 1e-18 * y * y
    bad = bad || (sh - hc / ((h - w) / 3600)) ^ 2 > 1e-18
    exit bad }" RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "window: summary.json says ${start} to ${end} s, ${days} d, ${years} y, hours capped ${capped} (share ${share}); warm-up ${warmup} s, horizon ${horizon} s")
endif()
execute_process(COMMAND awk -F, -v w=${warmup} -v y=${years} -v f=${facility} -v i=${it} -v g=${allocated} -v c=${carbon} "
    function bad(x, v) { return (x - v > 1e-9 * (v > 1 ? v : 1)) || (v - x > 1e-9 * (v > 1 ? v : 1)) }
    NR == 1 { for (k = 1; k <= NF; k++) col[\$k] = k; fed = (\$1 == \"site\"); next }
    \$(col[\"start_s\"]) < w { next }
    { hours = (\$(col[\"end_s\"]) - \$(col[\"start_s\"])) / 3600 }
    !fed || \$1 == \"all\" {
      F += \$(col[\"facility_power_mw\"]) * hours; I += \$(col[\"it_power_mw\"]) * hours; G += \$(col[\"gpus_allocated\"]) * hours
    }
    !fed || \$1 != \"all\" { C += \$(col[\"facility_power_mw\"]) * hours * \$(col[\"carbon_g_per_kwh\"]) / 1000 }
    END { printf \"facility %.17g MWh, IT %.17g MWh, %.17g GPU-hours, %.17g t CO2 per year\", F / y, I / y, G / y, C / y
          exit bad(F / y, f) || bad(I / y, i) || bad(G / y, g) || (c != \"\" && bad(C / y, c)) || (c == \"\" && C != 0) }"
                ${d}/timeseries.csv RESULT_VARIABLE rc OUTPUT_VARIABLE got)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "per year: summary.json says facility ${facility} MWh, IT ${it} MWh, ${allocated} GPU-hours, ${carbon} t CO2; timeseries.csv gives ${got}")
endif()
message(STATUS "${got}")
