cmake_minimum_required(VERSION 3.25)
# Runs CAPSIM with ARGS (a ;-list); passes if it exits with EXPECT_RC, the first line of its stderr equals
# the first line of EXPECTED_FILE (with @SRC@ standing for the source directory), and stdout is empty.
# STDOUT_FILE, if given, receives stdout (e.g. /dev/full, to check that a failed write is an error).
if(DEFINED STDOUT_FILE)
  execute_process(COMMAND ${CAPSIM} ${ARGS} WORKING_DIRECTORY ${SRC} OUTPUT_FILE ${STDOUT_FILE}
                  RESULT_VARIABLE rc ERROR_VARIABLE err)
  set(out "")
else()
  execute_process(COMMAND ${CAPSIM} ${ARGS}
                  WORKING_DIRECTORY ${SRC}
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
endif()
function(first_line text var)
  string(FIND "${text}" "\n" nl)
  if(nl GREATER_EQUAL 0)
    string(SUBSTRING "${text}" 0 ${nl} text)
  endif()
  set(${var} "${text}" PARENT_SCOPE)
endfunction()
file(READ ${EXPECTED_FILE} expected_all)
first_line("${expected_all}" expected)
string(REPLACE "@SRC@" "${SRC}" expected "${expected}")
first_line("${err}" first)
if(NOT rc EQUAL EXPECT_RC)
  message(FATAL_ERROR "expected exit code ${EXPECT_RC}, got ${rc}\nstderr: ${err}")
endif()
if(NOT first STREQUAL expected)
  message(FATAL_ERROR "first line of stderr differs\n  expected: ${expected}\n  found:    ${first}")
endif()
if(NOT out STREQUAL "")
  message(FATAL_ERROR "expected nothing on stdout, found: ${out}")
endif()
