#!/bin/sh
# The bad-input catalogue for kinds other than the rank kinds (issue 8):
# tests/bad_inputs/CMD/ holds defect files of the kind `lmo CMD` reads, with
# an EXPECT table in the format of tests/bad_inputs/EXPECT. Each file must
# give its exit code (2 input, 3 limit), one line on stderr naming the file
# and the field, and no output file (--cert). (tests/cli/test_bad_inputs.sh
# runs the top-level files with `lmo rank` and `lmo compare`.)
. "$LMO_SRC/tests/cli/lib.sh"
ndirs=0
for sub in "$LMO_SRC"/tests/bad_inputs/*/; do
    [ -f "$sub/EXPECT" ] || continue
    cmd=$(basename "$sub")
    ndirs=$((ndirs + 1))
    if ! "$LMO_BIN" "$cmd" --help >/dev/null 2>&1; then
        fail "tests/bad_inputs/$cmd/: lmo $cmd is not a command"
        continue
    fi
    grep -v '^#' "$sub/EXPECT" | while read -r file code text; do
        [ -n "$file" ] || continue
        expect_exit "$code" "$LMO_BIN" "$cmd" --cert "$T/cert.json" "$sub$file"
        expect_err "$sub$file"
        expect_err "$text"
        one_line_err
        if [ -e "$T/cert.json" ] || ls "$T" | grep -q tmp; then fail "$cmd/$file: output file left behind"; rm -f "$T"/cert.json*; else ok; fi
        echo "$passes $fails" > "$T/tally"
    done
    [ -f "$T/tally" ] && read passes fails < "$T/tally"
    for f in "$sub"*.json; do
        grep -q "^$(basename "$f") " "$sub/EXPECT" && ok || fail "$cmd/$(basename "$f") not in EXPECT"
    done
done
if [ $ndirs -gt 0 ]; then ok; else fail "no tests/bad_inputs/CMD/EXPECT found"; fi
finish
