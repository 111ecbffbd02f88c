#!/bin/sh
# scripts/sweep-parallel: N shards through GNU parallel, then lmo merge, print what the
# unsharded run prints, byte for byte, with its exit code (skipped without GNU parallel).
. "$(dirname "$0")/lib.sh"
command -v parallel >/dev/null 2>&1 || { echo "GNU parallel not installed: skipped"; exit 77; }
SP="$LMO_SRC/scripts/sweep-parallel"
C=$LMO_SRC/vectors/corpus
E="$C/patterns-exceptional-s1-3.json"
for args in "patterns $E --json" "patterns $E $C/patterns-exceptional-s1-1.json" \
            "witness --generic-table --max-width 2 --max-layers 3"; do
    # shellcheck disable=SC2086 # args is a word list
    "$LMO_BIN" $args >"$T/unsharded"; code=$?
    for n in 1 2 3; do
        # shellcheck disable=SC2086
        "$SP" "$n" -- "$LMO_BIN" $args >"$T/par" 2>"$T/err"; got=$?
        if [ "$got" -eq "$code" ] && cmp -s "$T/par" "$T/unsharded"; then ok
        else fail "sweep-parallel $n -- $args: exit $got (want $code), output differs: $(head -c 200 "$T/err")"; fi
    done
done
# an argument with a space reaches the shards as one argument
mkdir -p "$T/a dir"; cp "$E" "$T/a dir/v.json"
"$LMO_BIN" patterns "$T/a dir/v.json" --json >"$T/unsharded"
expect_exit 0 "$SP" 2 -- "$LMO_BIN" patterns "$T/a dir/v.json" --json
if cmp -s "$T/out" "$T/unsharded"; then ok; else fail "a path with a space"; fi
# bad usage: exit 2 with one line; a shard's usage error is shown
expect_exit 2 "$SP" 0 -- "$LMO_BIN" patterns "$E"; one_line_err
expect_exit 2 "$SP" 2 "$LMO_BIN" patterns "$E";    one_line_err
expect_exit 2 "$SP" 2 -- "$LMO_BIN" patterns "$E" --bogus; expect_err "shard 1: lmo patterns: unknown option --bogus"
finish
