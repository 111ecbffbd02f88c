# ctest proofs.coq_no_admit: fail if any .v in proofs/coq contains an
# unfinished proof or a new assumption.  Flagged (case-sensitive, whole
# words): Admitted, admit, Admit (Admit Obligations), Axiom(s),
# Parameter(s), Conjecture(s), Hypothesis/Hypotheses, and the commands that
# switch off kernel checks.  Comments are not exempt: reword a comment rather
# than weaken the scan.  Sections use Variable, which Coq discharges; a
# top-level Variable would show up in proofs.coq_assumptions.
# Arguments: -DSRC=<proofs/coq>
cmake_minimum_required(VERSION 3.18)
if(NOT DEFINED SRC)
  message(FATAL_ERROR "coq_no_admit.cmake: -DSRC=... is required")
endif()

set(word_chars "A-Za-z0-9_'")
set(bad_words Admitted admit Admit Axiom Axioms Parameter Parameters
              Conjecture Conjectures Hypothesis Hypotheses)
set(bad_phrases "Unset Guard Checking" "Unset Positivity Checking"
                "Unset Universe Checking" "Set Type In Type" "bypass_check")

# Sets ${out} to a description of the first offending word, or "" if clean.
function(lmo_coq_scan text out)
  set(hit "")
  foreach(w IN LISTS bad_words)
    if(text MATCHES "(^|[^${word_chars}])${w}([^${word_chars}]|$)")
      set(hit "'${w}'")
      break()
    endif()
  endforeach()
  if(NOT hit)
    foreach(p IN LISTS bad_phrases)
      string(FIND "${text}" "${p}" pos)
      if(NOT pos EQUAL -1)
        set(hit "'${p}'")
        break()
      endif()
    endforeach()
  endif()
  set(${out} "${hit}" PARENT_SCOPE)
endfunction()

# Self-test: each bad sample must be caught, each good one must pass.
set(bad_samples
  "Lemma x : False.\nProof. Admitted."
  "Lemma x : False.\nProof.\n  admit.\nQed."
  "Axiom x : False."
  "  Parameter p : nat."
  "Conjecture c : 0 = 1."
  "Hypothesis h : False."
  "Unset Guard Checking.")
set(good_samples
  "(* the hypothesis is discharged; nothing admitted *)\nLemma x : True.\nProof. by []. Qed."
  "Variable F : fieldType.\nLemma admitsx : True. Proof. exact I. Qed.")
foreach(s IN LISTS bad_samples)
  lmo_coq_scan("${s}" hit)
  if(NOT hit)
    message(FATAL_ERROR "self-test: the scan missed a forbidden command in:\n${s}")
  endif()
endforeach()
foreach(s IN LISTS good_samples)
  lmo_coq_scan("${s}" hit)
  if(hit)
    message(FATAL_ERROR "self-test: the scan flagged ${hit} in a clean sample:\n${s}")
  endif()
endforeach()

file(GLOB vfiles ${SRC}/*.v)
if(NOT vfiles)
  message(FATAL_ERROR "no .v files found in ${SRC}")
endif()
set(failed "")
foreach(f IN LISTS vfiles)
  file(READ ${f} text)
  lmo_coq_scan("${text}" hit)
  if(hit)
    string(APPEND failed "  ${f}: ${hit}\n")
  endif()
endforeach()
if(failed)
  message(FATAL_ERROR "forbidden commands in the Coq sources:\n${failed}")
endif()
list(LENGTH vfiles n)
message(STATUS "${n} .v files scanned: no Admitted/admit/Axiom/Parameter/Conjecture/Hypothesis")
