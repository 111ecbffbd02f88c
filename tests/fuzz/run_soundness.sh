#!/bin/sh
# run_soundness.sh FUZZER LIMIT WORKDIR SEEDDIR PYTHON TRUTH [WORKERS [resume]]
# The differential soundness check of lmo-check (issue 17): fuzz_soundness mutates
# (vector, certificate) pairs structurally and writes every pair lmo-check accepts, once,
# to WORKDIR/accepted; then TRUTH (tests/fuzz/truth.py, written apart from oracle and
# checker) must find every claim of every accepted pair true. LIMIT is seconds ("60s"), or
# a total number of executions ("10000000"), run as back-to-back 30-minute chunks on the
# same corpus (one long libFuzzer run drifts onto the slowest units, see README.md). Fails
# on a crash or sanitizer report, on a FALSE claim lmo-check accepted, and when the fuzzer
# ran no input at all.
# With "resume" the WORKDIR of an earlier run is continued: its corpus, accepted pairs and
# logs are kept, chunks are numbered on, and LIMIT counts every chunk's executions -- so a
# 10^7 run can be spread over several sittings. WORKDIR/binaries lists, per chunk, the
# sha256 of the fuzzer that ran it and the checker id: a sha256 of the checker's source
# (proofs/*.c, *.h) and of the harness that runs it in-process. LIMIT counts only the chunks
# run on the current checker id -- a total summed over different checkers would claim
# executions the checker under test never had. (The binary's own hash changes with any
# oracle or toolchain change that leaves the checker untouched, so it is recorded, not used.)
set -u
fuzzer=$1 limit=$2 work=$3 seeds=$4 python=$5 truth=$6 workers=${7:-1} resume=${8:-}
[ "$resume" = resume ] || rm -rf "$work/accepted" "$work"/log* "$work"/fuzz-*.log "$work/binaries"
mkdir -p "$work/corpus" "$work/accepted" || exit 1
[ -d "$seeds" ] || { echo "run_soundness: no seeds in $seeds" >&2; exit 1; }
"$python" -c 'import sympy' 2>/dev/null || { echo "run_soundness: python3-sympy missing"; exit 77; }
export LMO_SOUNDNESS_DIR="$work/accepted"
here=$(cd "$(dirname "$0")" && pwd)
checker_id=${LMO_CHECKER_ID:-$(cat "$here"/../../proofs/*.c "$here"/../../proofs/*.h \
    "$here"/fuzz_soundness.c "$here"/lmoc_embed.c "$here"/fuzz_common.c "$here"/lmo_fuzz.h |
    sha256sum | cut -c1-16)}
# The checker's caps, small: every corpus pair fits far below them (16,384 entries, 1,024
# rows, 2,048 bits), and a mutant that claims a huge size is refused at once (exit 3)
# instead of costing seconds under ASan. The caps themselves are tested by the trust tests.
export LMO_MAX_ENTRIES="${LMO_MAX_ENTRIES:-16384}" LMO_MAX_DIM="${LMO_MAX_DIM:-1024}"
export LMO_MAX_BITS="${LMO_MAX_BITS:-2048}"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}"
jobs=""
[ "$workers" -gt 1 ] && jobs="-jobs=$workers -workers=$workers"
# Executions: with several workers a chunk's log.N repeats each worker's final stats, so such
# a chunk is counted by its workers' own logs (log.N.fuzz-K.log); a one-worker chunk by log.N.
# A chunk cut short (killed) printed no final stats and counts 0: the total never overstates.
# `executed ID` counts the chunks whose binaries line names checker ID; `executed` all chunks.
executed() {
    for f in "$work"/log.*; do
        if [ -n "${1:-}" ]; then
            n=${f##*/log.}; n=${n%%.*}
            grep -q "^chunk $n .* checker=$1 " "$work/binaries" 2>/dev/null || continue
        fi
        case "$f" in
        *.fuzz-*.log) cat "$f" ;;
        *) ls "$f".fuzz-*.log >/dev/null 2>&1 || cat "$f" ;;
        esac
    done 2>/dev/null | grep -h '^stat::number_of_executed_units' | awk '{s += $2} END {print s + 0}'
}
start=$(date +%s) rc=0 chunk=0
# resume: number on after the last chunk of the earlier sittings
for f in "$work"/log.*; do
    n=${f##*/log.}; n=${n%%.*}
    case "$n" in *[!0-9]*|'') ;; *) [ "$n" -gt "$chunk" ] && chunk=$n ;; esac
done
case "$limit" in *s) secs=${limit%s} total=0 ;; *) secs=1800 total=$limit ;; esac
while :; do
    chunk=$((chunk + 1))
    echo "chunk $chunk $(sha256sum "$fuzzer" | cut -c1-16) checker=$checker_id $(date -u +%FT%TZ)" \
        >> "$work/binaries"
    # shellcheck disable=SC2086
    (cd "$work" && "$fuzzer" -max_total_time="$secs" $jobs -max_len=65536 -timeout=60         -rss_limit_mb=3072 -print_final_stats=1 -artifact_prefix="$work/" corpus "$seeds"         >"$work/log.$chunk" 2>&1)
    rc=$?
    for f in "$work"/fuzz-*.log; do [ -f "$f" ] && mv "$f" "$work/log.$chunk.${f##*/}"; done
    [ "$rc" -eq 0 ] && [ "$total" -gt 0 ] && [ "$(executed "$checker_id")" -lt "$total" ] || break
done
end=$(date +%s)
cat "$work"/log.* 2>/dev/null > "$work/all.log"
execs=$(executed "$checker_id") all=$(executed)
naccepted=$(find "$work/accepted" -name '*.json' | wc -l)
echo "soundness: $execs executions on checker $checker_id ($all in all) in $((end - start)) s ($workers worker(s), $chunk run(s)), $naccepted distinct accepted pairs"
if [ "$rc" -ne 0 ]; then
    grep -hE '^(==[0-9]+==|SUMMARY|lmo-fuzz|.*runtime error)' "$work/all.log" | head -20
    echo "run_soundness: fuzzer exit $rc; artifacts in $work" >&2
    exit 1   # not $rc: libFuzzer reports a crash with exit 77, which ctest would show as skipped
fi
[ "$execs" -gt 0 ] || { echo "run_soundness: no input was run" >&2; exit 1; }
find "$work/accepted" -name '*.json' -print0 | sort -z |
    xargs -0 -r "$python" "$truth" --jobs 2 > "$work/truth.log"
trc=$?   # xargs may split the files over several runs: count the verdict lines of all
for v in TRUE FALSE UNDECIDED; do
    printf '%s %s  ' "$(grep -c "^$v " "$work/truth.log")" "$v"
done
echo "(truth.py on every accepted pair)"
grep -E '^(FALSE|UNDECIDED)' "$work/truth.log" | head -20
[ "$trc" -eq 0 ] || { echo "run_soundness: lmo-check accepted a false claim (see $work/truth.log)" >&2; exit 1; }
exit 0
