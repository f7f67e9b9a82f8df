# run_capsim(OUT ARGS...): `capsim run ARGS --out OUT --quiet`, failing the test with capsim's message if it fails.
function(run_capsim out)
  execute_process(COMMAND ${CAPSIM} run ${ARGN} --out ${out} --quiet RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "capsim run ${ARGN} failed (${rc}): ${err}")
  endif()
endfunction()
