cmake_minimum_required(VERSION 3.25)
# Runs CAPSIM with ARGS; passes if it exits 0 and its stdout matches PATTERN.
execute_process(COMMAND ${CAPSIM} ${ARGS} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "expected exit code 0, got ${rc}: ${err}")
endif()
if(NOT out MATCHES "${PATTERN}")
  message(FATAL_ERROR "stdout does not match ${PATTERN}: ${out}")
endif()
