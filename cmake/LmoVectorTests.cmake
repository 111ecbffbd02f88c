# lmo_add_vector_tests(PREFIX name DIR dir [POLICY p] [KEY key] [KINDS kind...]
#                      COMMAND cmd args...)
#
# One ctest per vector file in DIR: runs `cmd args... VECTOR` -- the user's
# own float program, which reads the vector and prints its decision on
# stdout -- and compares the first token printed with the vector's exact
# verdict expect.<KEY>. KEY defaults by kind: rank (matrix_rank,
# khatri_rao_rank, witness), class (deep_linear).
#
# KINDS restricts the tests to vectors of those kinds (e.g. matrix_rank
# khatri_rao_rank for a rank program); default: every kind.
#
# With POLICY p, a vector on which lmo's reference float implementation of
# policy p already disagrees with the exact verdict (fast.<p>.<KEY> differs
# from expect.<KEY>) is marked WILL_FAIL: the suite is green exactly when
# the user's program decides like that reference, and any change in either
# direction -- a new float failure or a fixed one -- turns a test red.
set(_LMO_VECTOR_RUN "${CMAKE_CURRENT_LIST_DIR}/LmoVectorRun.cmake")

function(lmo_add_vector_tests)
  cmake_parse_arguments(ARG "" "PREFIX;DIR;POLICY;KEY" "COMMAND;KINDS" ${ARGN})
  if(NOT ARG_PREFIX OR NOT ARG_DIR OR NOT ARG_COMMAND)
    message(FATAL_ERROR "lmo_add_vector_tests: PREFIX, DIR and COMMAND are required")
  endif()
  file(GLOB _vectors "${ARG_DIR}/*.json")
  if(NOT _vectors)
    message(FATAL_ERROR "lmo_add_vector_tests: no *.json vectors in ${ARG_DIR}")
  endif()
  string(REPLACE ";" "|" _cmd "${ARG_COMMAND}")
  set(_n 0)
  foreach(_v IN LISTS _vectors)
    file(READ "${_v}" _json)
    string(JSON _id GET "${_json}" id)
    string(JSON _kind GET "${_json}" kind)
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
    string(JSON _want ERROR_VARIABLE _err GET "${_json}" expect ${_key})
    if(_err)
      continue()   # not blessed, or no such verdict for this kind
    endif()
    set(_will_fail FALSE)
    if(ARG_POLICY)
      string(JSON _fast ERROR_VARIABLE _err2 GET "${_json}" fast ${ARG_POLICY} ${_key})
      if(NOT _err2 AND NOT "${_fast}" STREQUAL "${_want}")
        set(_will_fail TRUE)
      endif()
    endif()
    add_test(NAME "${ARG_PREFIX}.${_id}"
             COMMAND ${CMAKE_COMMAND} "-DLMO_CMD=${_cmd}" "-DLMO_VECTOR=${_v}" "-DLMO_WANT=${_want}"
                     -P "${_LMO_VECTOR_RUN}")
    set_tests_properties("${ARG_PREFIX}.${_id}" PROPERTIES WILL_FAIL ${_will_fail} LABELS lmo-vectors)
    math(EXPR _n "${_n} + 1")
  endforeach()
  message(STATUS "lmo_add_vector_tests(${ARG_PREFIX}): ${_n} vectors from ${ARG_DIR}")
endfunction()
