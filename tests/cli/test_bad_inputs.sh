#!/bin/sh
# Every file of tests/bad_inputs/ must give its exit code (2 input, 3 limit),
# one line on stderr naming the file and the field, and no output file.
. "$(dirname "$0")/lib.sh"
dir="$LMO_SRC/tests/bad_inputs"
grep -v '^#' "$dir/EXPECT" | while read -r file code text; do
    [ -n "$file" ] || continue
    for cmd in rank compare; do
        expect_exit "$code" "$LMO_BIN" "$cmd" --cert "$T/cert.json" "$dir/$file"
        expect_err "$dir/$file"
        expect_err "$text"
        one_line_err
        if [ -e "$T/cert.json" ] || ls "$T" | grep -q tmp; then fail "$file: output file left behind"; rm -f "$T"/cert.json*; else ok; fi
    done
    echo "$passes $fails" > "$T/tally"
done
read passes fails < "$T/tally"
# every catalogue file is listed in EXPECT (a new defect file must say what it expects)
for f in "$dir"/*.json; do
    grep -q "^$(basename "$f") " "$dir/EXPECT" && ok || fail "$(basename "$f") not in EXPECT"
done
finish
