cmake_minimum_required(VERSION 3.25)
# What a cap strands: 25,000 GPUs behind 15 MW switch pods off. stranded.gpus is the switched-off
# GPU-hours over the window's hours, and stranded.capex_usd the node and network capex in proportion to
# them among the GPU-hours in service (one node type, all in service from the start: gpus_installed x hours).
set(d ${WORK}/stranded)
file(REMOVE_RECURSE ${d})
include(${CMAKE_CURRENT_LIST_DIR}/run_capsim.cmake)
run_capsim(${d} ${SCENARIO} --set "horizon=20 d" --set "warmup=2 d" --set facility.cap_at_grid_limit=false --set "facility.power_cap=15 MW" --set cluster.nodes=3125 --set cluster.tranches=[])
file(READ ${d}/summary.json s)
string(JSON off GET "${s}" power switched_off_gpu_hours)
string(JSON gpus GET "${s}" stranded gpus)
string(JSON capex GET "${s}" stranded capex_usd)
string(JSON hardware GET "${s}" cost usd capex_hardware)
string(JSON installed GET "${s}" gpus_installed)
# CMake has no floating point: compare through awk.
execute_process(COMMAND awk -v off=${off} -v g=${gpus} -v c=${capex} -v hw=${hardware} -v n=${installed}
                "BEGIN { h = 18 * 24; e1 = g * h / off - 1; e2 = c / (hw * off / (n * h)) - 1;
                         ok = off > 0 && e1 < 1e-9 && e1 > -1e-9 && e2 < 1e-9 && e2 > -1e-9; print e1, e2; exit !ok }"
                RESULT_VARIABLE rc OUTPUT_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "stranded: gpus ${gpus}, capex_usd ${capex} against ${off} GPU-h off, ${hardware} USD of hardware (relative errors ${err})")
endif()
message(STATUS "stranded ${gpus} GPUs of ${installed}, ${capex} USD")
