# Runs one vector test for lmo_add_vector_tests (cmake -P): the user's
# program LMO_CMD (|-separated) on LMO_VECTOR; its first output token must
# equal LMO_WANT, the exact verdict.
string(REPLACE "|" ";" _cmd "${LMO_CMD}")
execute_process(COMMAND ${_cmd} "${LMO_VECTOR}" OUTPUT_VARIABLE _out ERROR_VARIABLE _errout
                RESULT_VARIABLE _rc)
if(NOT _rc EQUAL 0)
  message(FATAL_ERROR "${LMO_VECTOR}: the program failed (${_rc}): ${_errout}")
endif()
string(STRIP "${_out}" _out)
string(REGEX REPLACE "[ \t\r\n].*" "" _got "${_out}")
if(NOT "${_got}" STREQUAL "${LMO_WANT}")
  message(FATAL_ERROR "${LMO_VECTOR}: the program decided '${_got}', the exact verdict is '${LMO_WANT}'")
endif()
message(STATUS "decided ${_got}, as the exact verdict")
