# ctest proofs.coq_compile: copy the .v files into the build tree and compile
# them in dependency order with coqc (logical prefix Lmo), so the source tree
# gets no .vo/.glob files.
# Arguments: -DCOQC=<coqc> -DSRC=<proofs/coq> -DOUT=<build dir> -DFILES=a.v,b.v,...
cmake_minimum_required(VERSION 3.18)
foreach(v COQC SRC OUT FILES)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "coq_compile.cmake: -D${v}=... is required")
  endif()
endforeach()
string(REPLACE "," ";" files "${FILES}")
set(coq_flags -q -w -notation-overridden,-ambiguous-paths)

# Every .v in the source directory must be in the ordered list, and back.
file(GLOB present RELATIVE ${SRC} ${SRC}/*.v)
foreach(f IN LISTS present)
  if(NOT f IN_LIST files)
    message(FATAL_ERROR "${SRC}/${f} is not listed in LMO_COQ_FILES "
                        "(proofs/coq/CMakeLists.txt), so it would never be compiled")
  endif()
endforeach()
foreach(f IN LISTS files)
  if(NOT f IN_LIST present)
    message(FATAL_ERROR "LMO_COQ_FILES lists ${f}, which is not in ${SRC}")
  endif()
endforeach()

# Self-test: a false statement must make coqc fail, or this test proves nothing.
set(st ${OUT}/selftest)
file(REMOVE_RECURSE ${st})
file(MAKE_DIRECTORY ${st})
file(WRITE ${st}/SelfTestFalse.v
  "From mathcomp Require Import ssreflect ssrnat.\n"
  "Lemma lmo_selftest_false : 1 + 1 = 3.\nProof. by []. Qed.\n")
execute_process(COMMAND ${COQC} ${coq_flags} -Q ${st} LmoSelfTest ${st}/SelfTestFalse.v
                WORKING_DIRECTORY ${st} RESULT_VARIABLE rc OUTPUT_QUIET ERROR_QUIET)
if(rc EQUAL 0)
  message(FATAL_ERROR "self-test: coqc accepted a false lemma (exit 0); "
                      "this test cannot detect a broken proof")
endif()
file(REMOVE_RECURSE ${st})

# Fresh copy, so a deleted or renamed .v cannot leave a stale .vo behind.
file(GLOB stale ${OUT}/*.v ${OUT}/*.vo ${OUT}/*.vos ${OUT}/*.vok ${OUT}/*.glob)
if(stale)
  file(REMOVE ${stale})
endif()
file(MAKE_DIRECTORY ${OUT})
foreach(f IN LISTS files)
  file(COPY ${SRC}/${f} DESTINATION ${OUT})
  message(STATUS "coqc ${f}")
  execute_process(COMMAND ${COQC} ${coq_flags} -Q ${OUT} Lmo ${OUT}/${f}
                  WORKING_DIRECTORY ${OUT}
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  string(REGEX REPLACE "\\.v$" ".vo" vo "${f}")
  if(NOT rc EQUAL 0 OR NOT EXISTS ${OUT}/${vo})
    message(FATAL_ERROR "coqc failed on ${f} (exit ${rc}):\n${out}\n${err}")
  endif()
endforeach()
message(STATUS "compiled ${FILES}")
