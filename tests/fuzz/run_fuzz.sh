#!/bin/sh
# run_fuzz.sh FUZZER SECONDS MAX_LEN WORKDIR SEEDDIR [libFuzzer options...]
# Fuzzes for SECONDS (one process, one core) starting from the seeds plus
# whatever an earlier run left in WORKDIR/corpus. A crash, leak, UB report,
# property failure or timeout makes libFuzzer exit non-zero: the input is
# kept as WORKDIR/crash-*, leak-*, timeout-* ... for replay (FUZZER FILE).
set -u
fuzzer=$1 secs=$2 maxlen=$3 work=$4 seeds=$5
shift 5
mkdir -p "$work/corpus" || exit 1
[ -d "$seeds" ] || { echo "run_fuzz: no seed corpus $seeds (build target lmo_fuzz_seeds)" >&2; exit 1; }
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}"
export OPENBLAS_NUM_THREADS=1   # one core per fuzzer; BLAS threads only spin on tiny matrices
"$fuzzer" -max_total_time="$secs" -max_len="$maxlen" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$work/" "$@" "$work/corpus" "$seeds" 2>"$work/log"
rc=$?
grep -E '^(stat::|Done|==[0-9]+==|SUMMARY|lmo-fuzz)' "$work/log"
[ "$rc" -eq 0 ] || { tail -n 60 "$work/log"; echo "run_fuzz: $fuzzer exit $rc; artifacts in $work" >&2; }
exit "$rc"
