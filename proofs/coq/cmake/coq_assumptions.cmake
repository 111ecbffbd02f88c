# ctest proofs.coq_assumptions: every main theorem must be declared in a .v,
# documented in README.md, and "Closed under the global context" under
# Print Assumptions (no axiom, no admitted lemma, no disabled kernel check).
# Needs the .vo files made by proofs.coq_compile (ctest fixture).
# Arguments: -DCOQC=<coqc> -DSRC=<proofs/coq> -DOUT=<build dir>
#            -DFILES=a.v,b.v,... -DTHEOREMS=name1,name2,...
cmake_minimum_required(VERSION 3.18)
foreach(v COQC SRC OUT FILES THEOREMS)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "coq_assumptions.cmake: -D${v}=... is required")
  endif()
endforeach()
string(REPLACE "," ";" files "${FILES}")
string(REPLACE "," ";" theorems "${THEOREMS}")
set(coq_flags -q -w -notation-overridden,-ambiguous-paths)
set(ident "A-Za-z0-9_'")
set(dir ${OUT}/assumptions)
file(REMOVE_RECURSE ${dir})
file(MAKE_DIRECTORY ${dir})

# Runs coqc on ${vfile}, which prints "LMO-THEOREM <name>" before each
# Print Assumptions; sets ${out} to the list of names that are not closed
# (or to "coqc failed" if coqc fails).
function(lmo_coq_unclosed vfile names out)
  execute_process(COMMAND ${COQC} ${coq_flags} -Q ${OUT} Lmo ${vfile}
                  WORKING_DIRECTORY ${dir}
                  RESULT_VARIABLE rc OUTPUT_VARIABLE log ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    set(${out} "coqc failed (exit ${rc}): ${log} ${err}" PARENT_SCOPE)
    return()
  endif()
  file(WRITE ${vfile}.log "${log}")
  set(bad "")
  foreach(name IN LISTS names)
    # The chunk of output between this theorem's marker and the next one.
    string(FIND "${log}" "LMO-THEOREM ${name}\n" start)
    if(start EQUAL -1)
      list(APPEND bad "${name}(no output)")
      continue()
    endif()
    string(SUBSTRING "${log}" ${start} -1 chunk)
    string(LENGTH "LMO-THEOREM ${name}\n" mlen)
    string(SUBSTRING "${chunk}" ${mlen} -1 chunk)
    string(FIND "${chunk}" "LMO-THEOREM " next)
    if(NOT next EQUAL -1)
      string(SUBSTRING "${chunk}" 0 ${next} chunk)
    endif()
    string(STRIP "${chunk}" chunk)
    if(NOT chunk STREQUAL "Closed under the global context")
      list(APPEND bad "${name}")
    endif()
  endforeach()
  set(${out} "${bad}" PARENT_SCOPE)
endfunction()

function(lmo_coq_print_file vfile header names)
  set(text "${header}")
  foreach(name IN LISTS names)
    string(APPEND text "Goal True. idtac \"LMO-THEOREM ${name}\". Abort.\n"
                       "Print Assumptions ${name}.\n")
  endforeach()
  file(WRITE ${vfile} "${text}")
endfunction()

# Self-test: a lemma proved from an axiom must be reported, a closed one not.
lmo_coq_print_file(${dir}/SelfTest.v
  "Axiom lmo_selftest_ax : False.\nLemma lmo_selftest_bad : 0 = 1.\nProof. destruct lmo_selftest_ax. Qed.\nLemma lmo_selftest_good : 0 = 0.\nProof. reflexivity. Qed.\n"
  "lmo_selftest_bad;lmo_selftest_good")
lmo_coq_unclosed(${dir}/SelfTest.v "lmo_selftest_bad;lmo_selftest_good" bad)
if(NOT bad STREQUAL "lmo_selftest_bad")
  message(FATAL_ERROR "self-test: expected exactly lmo_selftest_bad to be reported "
                      "as depending on an axiom, got '${bad}'")
endif()

# Each theorem: declared in a .v and named in README.md.
file(READ ${SRC}/README.md readme)
set(sources "")
foreach(f IN LISTS files)
  file(READ ${SRC}/${f} t)
  string(APPEND sources "${t}\n")
endforeach()
set(missing "")
foreach(name IN LISTS theorems)
  if(NOT sources MATCHES "(Theorem|Lemma|Corollary)[ \t\n]+${name}([^${ident}]|$)")
    string(APPEND missing "  ${name}: not declared as Theorem/Lemma/Corollary in a .v\n")
  endif()
  if(NOT readme MATCHES "(^|[^${ident}])${name}([^${ident}]|$)")
    string(APPEND missing "  ${name}: not documented in README.md\n")
  endif()
endforeach()
if(missing)
  message(FATAL_ERROR "main theorem list (LMO_COQ_THEOREMS) out of sync:\n${missing}")
endif()

set(modules "")
foreach(f IN LISTS files)
  string(REGEX REPLACE "\\.v$" "" m "${f}")
  string(APPEND modules " ${m}")
endforeach()
lmo_coq_print_file(${dir}/LmoPrintAssumptions.v
  "From Lmo Require Import${modules}.\n" "${theorems}")
lmo_coq_unclosed(${dir}/LmoPrintAssumptions.v "${theorems}" bad)
if(bad)
  message(FATAL_ERROR "not closed under the global context: ${bad}\n"
                      "(full output: ${dir}/LmoPrintAssumptions.v.log)")
endif()
list(LENGTH theorems n)
message(STATUS "${n} theorems: Closed under the global context")
