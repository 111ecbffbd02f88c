#!/bin/sh
# run_soundness.sh's bookkeeping with a stand-in fuzzer (no clang needed): LIMIT as a total of
# executions over back-to-back chunks, "resume" continuing an earlier work dir, a killed chunk
# counting 0, and a failing fuzzer's exit passed on. Usage: test_run_soundness.sh SCRIPT PYTHON
set -u
script=$1 python=$2
"$python" -c 'import sympy' 2>/dev/null || { echo "python3-sympy missing"; exit 77; }
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
mkdir "$T/seeds"
# the stand-in: 5 executions per chunk, or none (as if killed) when $T/kill exists
cat > "$T/fuzzer" <<EOS
#!/bin/sh
[ -e "$T/kill" ] && exit 0
[ -e "$T/crash" ] && { echo "==1==ERROR: AddressSanitizer: stand-in"; exit 77; }
echo "stat::number_of_executed_units: 5"
EOS
chmod +x "$T/fuzzer"
: > "$T/truth.py"
out=$(sh "$script" "$T/fuzzer" 12 "$T/w" "$T/seeds" "$python" "$T/truth.py" 1)
case "$out" in *"15 executions"*"3 run(s)"*) ;; *) fail "12 executions: $out" ;; esac
[ "$(wc -l < "$T/w/binaries")" -eq 3 ] || fail "binaries lists $(wc -l < "$T/w/binaries") chunks"
# resume: 15 done, 25 wanted -> chunks 4 and 5
out=$(sh "$script" "$T/fuzzer" 25 "$T/w" "$T/seeds" "$python" "$T/truth.py" 1 resume)
case "$out" in *"25 executions"*"5 run(s)"*) ;; *) fail "resume to 25: $out" ;; esac
[ -f "$T/w/log.5" ] && [ -f "$T/w/log.1" ] || fail "resume lost or misnumbered the logs"
# a chunk run on another checker source does not count towards LIMIT: with checker B,
# 25 executions on checker A leave 10 wanted on B -> chunks 6 and 7
out=$(LMO_CHECKER_ID=B sh "$script" "$T/fuzzer" 10 "$T/w" "$T/seeds" "$python" "$T/truth.py" 1 resume)
case "$out" in *"10 executions on checker B (35 in all)"*"7 run(s)"*) ;; *) fail "checker B: $out" ;; esac
[ "$(grep -c ' checker=B ' "$T/w/binaries")" -eq 2 ] || fail "binaries does not name checker B twice"
# without resume the dir starts afresh
out=$(sh "$script" "$T/fuzzer" 5 "$T/w" "$T/seeds" "$python" "$T/truth.py" 1)
case "$out" in *"5 executions"*"1 run(s)"*) ;; *) fail "fresh run: $out" ;; esac
# a chunk cut short prints no final stats: it counts 0, and the run says so (no input run)
touch "$T/kill"
sh "$script" "$T/fuzzer" 5s "$T/k" "$T/seeds" "$python" "$T/truth.py" 1 >/dev/null 2>&1
[ $? -eq 1 ] || fail "a run with no counted execution did not fail"
rm "$T/kill"
# a crash is a failure (exit 1): libFuzzer's crash exit is 77, which ctest would show as a skip
touch "$T/crash"
sh "$script" "$T/fuzzer" 5s "$T/c" "$T/seeds" "$python" "$T/truth.py" 1 >/dev/null 2>&1
[ $? -eq 1 ] || fail "a crashing fuzzer (exit 77) did not make the run fail with 1"
[ "$fails" -eq 0 ] && echo "run_soundness bookkeeping: ok"
exit $((fails > 0))
