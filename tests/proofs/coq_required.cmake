# ctest proofs.coq_required: with LMO_PROOFS=ON (the default) a machine without coqc, or
# with coqc but without MathComp, must fail to configure with a message naming the Debian
# packages and -DLMO_PROOFS=OFF (proofs/coq/CMakeLists.txt) -- never leave the proofs
# silently unchecked. Configures proofs/coq alone in two scratch projects: one where no
# search path holds a coqc, one whose coqc (a stub) reports a library without MathComp.
# Arguments: -DSRC=<proofs/coq> -DWORK=<scratch directory> -DGEN=<generator> -DMAKE=<its program>
cmake_minimum_required(VERSION 3.18)
if(NOT DEFINED SRC OR NOT DEFINED WORK OR NOT DEFINED GEN OR NOT DEFINED MAKE)
  message(FATAL_ERROR "coq_required.cmake: -DSRC= -DWORK= -DGEN= -DMAKE= are required")
endif()
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK}/proj ${WORK}/bin ${WORK}/coqlib)
file(WRITE ${WORK}/proj/CMakeLists.txt
     "cmake_minimum_required(VERSION 3.18)\nproject(coq_required NONE)\n"
     "add_subdirectory(\"${SRC}\" coq)\n")
file(WRITE ${WORK}/bin/coqc "#!/bin/sh\necho '${WORK}/coqlib'\n")
file(CHMOD ${WORK}/bin/coqc PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE)

set(failures 0)
# configure_case NAME MUST... -- ARGS: configure must fail, its output naming each MUST
function(configure_case name)
  cmake_parse_arguments(C "" "" "MUST;ARGS" ${ARGN})
  execute_process(COMMAND ${CMAKE_COMMAND} -S ${WORK}/proj -B ${WORK}/build-${name}
                          -G ${GEN} -DCMAKE_MAKE_PROGRAM=${MAKE}
                          -DCMAKE_FIND_USE_CMAKE_SYSTEM_PATH=OFF
                          -DCMAKE_FIND_USE_SYSTEM_ENVIRONMENT_PATH=OFF ${C_ARGS}
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  set(all "${out}${err}")
  if(rc EQUAL 0)
    message(STATUS "FAIL ${name}: configure succeeded:\n${all}")
    math(EXPR failures "${failures} + 1")
  endif()
  foreach(m IN LISTS C_MUST)
    string(FIND "${all}" "${m}" at)
    if(at LESS 0)
      message(STATUS "FAIL ${name}: the message does not name ${m}:\n${all}")
      math(EXPR failures "${failures} + 1")
    endif()
  endforeach()
  set(failures ${failures} PARENT_SCOPE)
endfunction()

configure_case(no-coqc MUST "'coq'" "'libcoq-mathcomp-algebra'" "-DLMO_PROOFS=OFF")
configure_case(no-mathcomp MUST "'libcoq-mathcomp-algebra'" "-DLMO_PROOFS=OFF"
               ARGS -DCMAKE_PROGRAM_PATH=${WORK}/bin)
if(failures)
  message(FATAL_ERROR "coq_required: ${failures} failure(s)")
endif()
message(STATUS "coq_required: both configurations refused, naming the Debian packages")
