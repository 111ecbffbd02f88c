# Shared helpers for the CLI tests (POSIX sh). Needs LMO_BIN, LMO_CHECK, LMO_SRC.
set -u
fails=0; passes=0
T=$(mktemp -d /tmp/lmo-cli-test.XXXXXX)
trap 'rm -rf "$T"' EXIT
ok()   { passes=$((passes + 1)); }
fail() { fails=$((fails + 1)); echo "FAIL: $*" >&2; }
# expect_exit CODE CMD... : run CMD, stdout -> $T/out, stderr -> $T/err
expect_exit() {
    want=$1; shift
    "$@" >"$T/out" 2>"$T/err"; got=$?
    if [ "$got" -eq "$want" ]; then ok; else fail "exit $got (want $want): $* :: $(head -c 300 "$T/err")"; fi
}
expect_out()  { if grep -qF -- "$1" "$T/out"; then ok; else fail "stdout lacks '$1': $(head -c 500 "$T/out")"; fi; }
expect_err()  { if grep -qF -- "$1" "$T/err"; then ok; else fail "stderr lacks '$1': $(head -c 300 "$T/err")"; fi; }
one_line_err() { n=$(wc -l <"$T/err"); if [ "$n" -eq 1 ]; then ok; else fail "stderr has $n lines (want 1)"; fi; }
finish() { echo "$passes passed, $fails failed"; [ "$fails" -eq 0 ]; }
