# lmo_add_vector_tests(PREFIX name DIR dir [POLICY p] [KEY key] [KINDS kind...]
#                      [TIMEOUT seconds] COMMAND cmd args...)
#
# One ctest `<PREFIX>.<vector id>` per vector file in DIR: it runs
# `cmd args... VECTOR` -- the user's own float program, which reads the
# vector and prints its decision on stdout -- through lmo-vector-run.
#
# The test FAILS whenever the program
#   - is killed by a signal (a crash), or exits with a non-zero status;
#   - runs longer than TIMEOUT seconds (default 60; 0: no limit): it is
#     killed, with everything it started (ctest's TIMEOUT property is set
#     30 s above, as a backstop);
#   - prints nothing on stdout, or something that is not a decision: the
#     first whitespace-separated token of stdout must parse as a value of the
#     expected value's JSON type -- a non-negative integer for rank-like keys
#     (rank, rank_G_all, ...: the name contains "rank"), another integer
#     key an integer, true/false for booleans (Python's True/False too), for
#     `class` one of not_critical, global_min, strict_saddle, bad_saddle,
#     local_min_not_global, local_max, unknown, another string key that very
#     token; for an array or object value, the first JSON value on stdout;
#   - decides otherwise than the expected answer, which is
#       with POLICY p:  fast.<p>.<KEY>, lmo's own fast-tier decision under
#                       policy p stored in the vector (e.g. numpy: what
#                       numpy.linalg.matrix_rank decides on these doubles);
#       without POLICY: expect.<KEY>, the exact verdict.
# Nothing is inverted (no WILL_FAIL): with POLICY numpy the suite is green
# exactly when the program decides like lmo's numpy twin, including on the
# vectors where that twin misses the exact verdict, and a crashing, failing
# or babbling program is red on every vector.
#
# KEY defaults by kind: class (deep_linear), rank (every other kind). KINDS
# keeps the vectors of those kinds (e.g. matrix_rank khatri_rao_rank for a
# rank program); default: every kind. A vector without the member compared
# (fast.<p>.<KEY> with POLICY, else expect.<KEY>), or where it is null, gets
# no test; configure reports how many were skipped, and fails when no
# vector is left. The expected member is read again at test time, by
# lmo-vector-run from the vector itself.
#
# A failing test prints, one per line: the program's answer or why there is
# none (signal name, exit status, timeout, empty output, the unparsable
# text), the exact verdict expect.<KEY>, the policy's decision fast.<p>.<KEY>
# (with POLICY), and for matrix_rank / khatri_rao_rank vectors the output of
# `lmo compare [--policy p] VECTOR`: the certified singular values and where
# each policy's threshold falls among them.
#
# Needs LMO_VECTOR_RUN_EXECUTABLE (set by find_package(lmo)) or, inside
# lmo's own build, the target lmo-vector-run.
function(lmo_add_vector_tests)
  cmake_parse_arguments(ARG "" "PREFIX;DIR;POLICY;KEY;TIMEOUT" "COMMAND;KINDS" ${ARGN})
  if(NOT ARG_PREFIX OR NOT ARG_DIR OR NOT ARG_COMMAND)
    message(FATAL_ERROR "lmo_add_vector_tests: PREFIX, DIR and COMMAND are required")
  endif()
  if(ARG_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "lmo_add_vector_tests: unknown arguments ${ARG_UNPARSED_ARGUMENTS} "
                        "(arguments of the program go after COMMAND)")
  endif()
  if(NOT DEFINED ARG_TIMEOUT)
    set(ARG_TIMEOUT 60)
  elseif(NOT ARG_TIMEOUT MATCHES "^[0-9]+$")
    message(FATAL_ERROR "lmo_add_vector_tests: TIMEOUT wants whole seconds, not '${ARG_TIMEOUT}'")
  endif()
  if(LMO_VECTOR_RUN_EXECUTABLE)
    set(_run "${LMO_VECTOR_RUN_EXECUTABLE}")
  elseif(TARGET lmo-vector-run)
    set(_run "$<TARGET_FILE:lmo-vector-run>")
  else()
    message(FATAL_ERROR "lmo_add_vector_tests: no lmo-vector-run (find_package(lmo) sets "
                        "LMO_VECTOR_RUN_EXECUTABLE)")
  endif()
  set(_opts --timeout ${ARG_TIMEOUT})
  if(ARG_POLICY)
    list(APPEND _opts --policy "${ARG_POLICY}")
  endif()
  if(LMO_EXECUTABLE)
    list(APPEND _opts --lmo "${LMO_EXECUTABLE}")
  endif()
  if(ARG_TIMEOUT EQUAL 0)
    set(_ctest_timeout 0)
  else()
    math(EXPR _ctest_timeout "${ARG_TIMEOUT} + 30")
  endif()

  file(GLOB _vectors "${ARG_DIR}/*.json")
  if(NOT _vectors)
    message(FATAL_ERROR "lmo_add_vector_tests: no *.json vectors in ${ARG_DIR}")
  endif()
  set(_n 0)
  set(_skipped 0)
  foreach(_v IN LISTS _vectors)
    file(READ "${_v}" _json)
    string(JSON _id ERROR_VARIABLE _err GET "${_json}" id)
    if(NOT _err)
      string(JSON _kind ERROR_VARIABLE _err GET "${_json}" kind)
    endif()
    if(_err)
      message(FATAL_ERROR "lmo_add_vector_tests: ${_v} is not a vector (no id and kind): ${_err}")
    endif()
    if(ARG_KINDS AND NOT _kind IN_LIST ARG_KINDS)
      continue()
    endif()
    set(_key "${ARG_KEY}")
    if(NOT _key)
      if(_kind STREQUAL "deep_linear")
        set(_key class)
      else()
        set(_key rank)
      endif()
    endif()
    if(ARG_POLICY)
      string(JSON _type ERROR_VARIABLE _err TYPE "${_json}" fast ${ARG_POLICY} ${_key})
    else()
      string(JSON _type ERROR_VARIABLE _err TYPE "${_json}" expect ${_key})
    endif()
    if(_err OR _type STREQUAL "NULL")
      math(EXPR _skipped "${_skipped} + 1")
      continue()
    endif()
    add_test(NAME "${ARG_PREFIX}.${_id}"
             COMMAND "${_run}" --key "${_key}" ${_opts} "${_v}" -- ${ARG_COMMAND})
    set_tests_properties("${ARG_PREFIX}.${_id}" PROPERTIES TIMEOUT ${_ctest_timeout} LABELS lmo-vectors)
    math(EXPR _n "${_n} + 1")
  endforeach()
  if(ARG_POLICY)
    set(_member "fast.${ARG_POLICY}.<KEY>")
  else()
    set(_member "expect.<KEY>")
  endif()
  message(STATUS "lmo_add_vector_tests(${ARG_PREFIX}): ${_n} vectors from ${ARG_DIR}"
                 " (${_skipped} skipped: no ${_member})")
  if(_n EQUAL 0)
    message(FATAL_ERROR "lmo_add_vector_tests(${ARG_PREFIX}): no vector in ${ARG_DIR} has ${_member}"
                        " (blessed vectors have expect; `lmo bless` also fills fast)")
  endif()
endfunction()
