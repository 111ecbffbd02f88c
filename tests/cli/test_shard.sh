#!/bin/sh
# Sharded sweeps (cli/shard.h): for lmo patterns (exhaustive, sampled, realizable, several
# inputs), lmo witness --generic-table and lmo gen, the merge of N = 1..4 shards is the
# unsharded run's output byte for byte (text and --json, --cert, --out files); the shards
# partition the items (check_partials.py, written apart: numpy's array_split blocks, each
# item once, each listed pattern's signs spelled by its item number, the listing the
# unsharded run's); lmo merge refuses foreign, missing, duplicated and wrong-N partials with
# exit 2 and one line; progress goes to stderr only, and only with LMO_PROGRESS=1 here.
. "$(dirname "$0")/lib.sh"
PY=${LMO_PYTHON:-python3}
C=$LMO_SRC/vectors/corpus
CHECK="$LMO_SRC/tests/cli/check_partials.py"
cp "$C/patterns-exceptional-s1-3.json" "$T/e.json"   # exhaustive, 1536 deficient of 4096
cp "$C/patterns-exceptional-s1-1.json" "$T/a.json"   # exhaustive, 640 deficient of 1024
"$PY" -c "
import json
d = json.load(open('$T/e.json'))
for k in ('expect', 'report', 'fast', 'flags', 'certificate'): d.pop(k, None)
d['input'].update(mode='sampled', count=1001, seed=11); d['id'] = 'shard-sampled'
json.dump(d, open('$T/s.json', 'w'))
d['input']['mode'] = 'realizable'; del d['input']['count']; d['id'] = 'shard-realizable'
json.dump(d, open('$T/r.json', 'w'))" || fail "making the sampled and realizable vectors"

# shards N of: CMD... --shard K/N > $T/part-N-K.json for K = 1..N, each exiting SHARD_EXIT
# (0 unless set)
shards() {
    n=$1; shift
    rm -f "$T"/part-*.json
    for k in $(seq 1 "$n"); do
        "$@" --shard "$k/$n" >"$T/part-$n-$k.json" 2>"$T/err"; got=$?
        [ "$got" -eq "${SHARD_EXIT:-0}" ] || fail "shard $k/$n exit $got: $* :: $(head -c 200 "$T/err")"
    done
}
# same_merge N UNSHARDED_OUT: lmo merge of the N partials prints exactly UNSHARDED_OUT
same_merge() {
    "$LMO_BIN" merge "$T"/part-"$1"-*.json >"$T/merged" 2>"$T/err"; got=$?
    if cmp -s "$T/merged" "$2" && [ "$got" -eq "$3" ]; then ok
    else fail "merge of $1 shards (exit $got, want $3) differs from $2 ($4): $(head -c 200 "$T/err")"; fi
}

cd "$T" || exit 3
for args in "e.json" "e.json --json" "a.json --list 1000" "a.json --json --list 1000" "s.json --json" \
            "s.json --list 5" "r.json --json" "r.json" "e.json a.json s.json --json"; do
    # shellcheck disable=SC2086 # args is a word list
    "$LMO_BIN" patterns $args >"$T/unsharded" 2>/dev/null; code=$?  # (expect_exit sets want)
    for n in 1 2 3 4; do
        # shellcheck disable=SC2086
        shards "$n" "$LMO_BIN" patterns $args
        same_merge "$n" "$T/unsharded" "$code" "$args"
        case $args in *--json*)
            expect_exit 0 "$PY" "$CHECK" --unsharded "$T/unsharded" "$T"/part-"$n"-*.json;;
        esac
    done
done
# --cert: the merge writes the unsharded run's certificate; the shards write none
"$LMO_BIN" patterns e.json --cert "$T/c-un.json" >/dev/null
shards 3 "$LMO_BIN" patterns e.json --cert "$T/c.json"
if [ -e "$T/c.json" ]; then fail "a shard wrote --cert"; else ok; fi
expect_exit 0 "$LMO_BIN" merge "$T"/part-3-*.json
if cmp -s "$T/c.json" "$T/c-un.json"; then ok; else fail "merged --cert differs"; fi
# the merge reads the vectors from the partials: the files may be gone
shards 2 "$LMO_BIN" patterns a.json --json; mv a.json a.moved
"$LMO_BIN" merge "$T"/part-2-*.json >"$T/merged"; mv a.moved a.json
"$LMO_BIN" patterns a.json --json >"$T/unsharded"
if cmp -s "$T/merged" "$T/unsharded"; then ok; else fail "merge needs the vector file"; fi
# more shards than items: empty blocks, still the same output
"$LMO_BIN" patterns "$C/patterns-no-dropout-s1-10.json" --json >"$T/unsharded"
shards 7 "$LMO_BIN" patterns "$C/patterns-no-dropout-s1-10.json" --json
same_merge 7 "$T/unsharded" 0 "7 shards of 4 patterns"
expect_exit 0 "$PY" "$CHECK" "$T"/part-7-*.json
# an input that fails: the merge says what the unsharded run says, with its exit code
"$LMO_BIN" patterns e.json missing.json >"$T/unsharded" 2>"$T/err-un"
SHARD_EXIT=2; shards 2 "$LMO_BIN" patterns e.json missing.json; SHARD_EXIT=0
expect_exit 2 "$LMO_BIN" merge "$T"/part-2-*.json
if cmp -s "$T/out" "$T/unsharded" && cmp -s "$T/err" "$T/err-un"; then ok; else fail "merge of a failing input"; fi

# lmo witness --generic-table: CSV on stdout, or --out FILE
"$LMO_BIN" witness --generic-table --max-width 2 --max-layers 3 >"$T/unsharded"; code=$?
for n in 1 2 3 4; do
    shards "$n" "$LMO_BIN" witness --generic-table --max-width 2 --max-layers 3
    same_merge "$n" "$T/unsharded" "$code" "witness --generic-table"
    expect_exit 0 "$PY" "$CHECK" "$T"/part-"$n"-*.json
done
"$LMO_BIN" witness --generic-table --max-width 2 --max-layers 3 --out "$T/table-un.csv" >"$T/unsharded"
shards 3 "$LMO_BIN" witness --generic-table --max-width 2 --max-layers 3 --out "$T/table.csv"
if [ -e "$T/table.csv" ]; then fail "a shard wrote --out"; else ok; fi
expect_exit 0 "$LMO_BIN" merge "$T"/part-3-*.json
if cmp -s "$T/table.csv" "$T/table-un.csv" && sed 's/table\.csv/table-un.csv/' "$T/out" | cmp -s - "$T/unsharded"
then ok; else fail "witness --out merged differs"; fi

# lmo gen: the same vector files (the shards write none)
"$LMO_BIN" gen patterns-exceptional --seed 3 --count 5 --out "$T/gen-un" >"$T/unsharded"
for n in 1 2 3 4; do
    rm -rf "$T/gen"
    shards "$n" "$LMO_BIN" gen patterns-exceptional --seed 3 --count 5 --out "$T/gen"
    if [ -e "$T/gen" ]; then fail "a gen shard wrote files"; else ok; fi
    expect_exit 0 "$PY" "$CHECK" "$T"/part-"$n"-*.json
    expect_exit 0 "$LMO_BIN" merge "$T"/part-"$n"-*.json
    if diff -r "$T/gen" "$T/gen-un" >/dev/null && sed 's/gen$/gen-un/' "$T/out" | cmp -s - "$T/unsharded"
    then ok; else fail "gen merged from $n shards differs"; fi
done

# refusals: exit 2, one line
shards 3 "$LMO_BIN" patterns e.json --json
cp "$T/part-3-1.json" "$T/p1"; cp "$T/part-3-2.json" "$T/p2"; cp "$T/part-3-3.json" "$T/p3"
expect_exit 2 "$LMO_BIN" merge "$T/p1" "$T/p2";           one_line_err; expect_err "shard 3 of 3 is missing"
expect_exit 2 "$LMO_BIN" merge "$T/p1" "$T/p2" "$T/p2";   one_line_err; expect_err "k = 2 twice"
shards 2 "$LMO_BIN" patterns e.json --json
expect_exit 2 "$LMO_BIN" merge "$T/p1" "$T/part-2-2.json" "$T/p3"; one_line_err; expect_err "n = 2, but"
shards 3 "$LMO_BIN" patterns e.json
expect_exit 2 "$LMO_BIN" merge "$T/p1" "$T/p2" "$T/part-3-3.json"; one_line_err; expect_err "another sweep"
shards 3 "$LMO_BIN" patterns a.json --json
expect_exit 2 "$LMO_BIN" merge "$T/p1" "$T/p2" "$T/part-3-3.json"; one_line_err; expect_err "another sweep"
shards 3 "$LMO_BIN" witness --generic-table --max-width 2 --max-layers 2
expect_exit 2 "$LMO_BIN" merge "$T/p1" "$T/p2" "$T/part-3-3.json"; one_line_err; expect_err "another sweep"
expect_exit 2 "$LMO_BIN" merge "$T/p1" "$T/p2" e.json;    one_line_err; expect_err "not an lmo-partial/1 partial"
expect_exit 2 "$LMO_BIN" merge;                            one_line_err
sed 's/"first":1366/"first":1365/' "$T/p2" >"$T/p2x"       # blocks that do not tile the items
expect_exit 2 "$LMO_BIN" merge "$T/p1" "$T/p2x" "$T/p3";  one_line_err; expect_err "does not follow"
for bad in 0/2 3/2 1/0 x 1/2/3 -1/2 2; do
    expect_exit 2 "$LMO_BIN" patterns e.json --shard "$bad"; one_line_err; expect_err "--shard: expected K/N"
done
expect_exit 2 "$LMO_BIN" rank e.json --shard 1/2;          one_line_err; expect_err "no option --shard"
expect_exit 2 "$LMO_BIN" witness --widths 2,2,1 --n 2 --shard 1/2; one_line_err

# table partials (a sweep outside lmo writing one CSV, examples/khk-fig1): lmo merge prints the
# header and each item's rows in item order -- the expected CSV is written out here by hand --
# and refuses, printing nothing, a foreign header, a wrong index, a row with a line break, a
# block with too few cells and a missing header.
table() { # table FILE K HEADER CELLS-JSON FIRST END
    printf '{"format": "lmo-partial/1", "command": "t.py", "args": ["--m", "3"], "shard": {"k": %s, "n": 2}, "table": {"header": "%s"}, "inputs": [{"part": {"items": {"total": 3, "first": %s, "end": %s}, "cells": %s}}]}\n' \
        "$2" "$3" "$5" "$6" "$4" >"$T/$1"
}
table t1 1 'cell,x' '[{"index": 0, "rows": ["0,a", "0,b"]}, {"index": 1, "rows": []}]' 0 2
table t2 2 'cell,x' '[{"index": 2, "rows": ["2,\"c,d\""]}]' 2 3
printf 'cell,x\n0,a\n0,b\n2,"c,d"\n' >"$T/t-want"
expect_exit 0 "$LMO_BIN" merge "$T/t2" "$T/t1"
if cmp -s "$T/out" "$T/t-want"; then ok; else fail "table merge: $(cat "$T/out")"; fi
table t2h 2 'cell,y' '[{"index": 2, "rows": ["2,c"]}]' 2 3
table t2i 2 'cell,x' '[{"index": 1, "rows": ["2,c"]}]' 2 3
table t2n 2 'cell,x' '[{"index": 2, "rows": ["2,c\n3,e"]}]' 2 3
table t2c 2 'cell,x' '[]' 2 3
for bad in "t2h:table: not shard 1" "t2i:cells[0].index: not 2" "t2n:cells[0].rows[0]: not one line" \
           "t2c:cells: not one per item"; do
    expect_exit 2 "$LMO_BIN" merge "$T/t1" "$T/${bad%%:*}"; one_line_err; expect_err "${bad#*:}"
    if [ ! -s "$T/out" ]; then ok; else fail "a refused table merge printed $(head -c 100 "$T/out")"; fi
done
for t in t1 t2; do   # a second input would be ignored: refused
    sed 's/"inputs": \[{/"inputs": [{"part": {}}, {/' "$T/$t" >"$T/${t}i"
done
expect_exit 2 "$LMO_BIN" merge "$T/t1i" "$T/t2i"; one_line_err; expect_err "a table partial has one input, not 2"
sed 's/"header": "cell,x"/"head": 1/' "$T/t1" >"$T/t1x"
expect_exit 2 "$LMO_BIN" merge "$T/t1x" "$T/t2"; one_line_err; expect_err "table.header: not one line"

# progress: nothing on a non-terminal stderr without LMO_PROGRESS; with LMO_PROGRESS=1 lines
# on stderr, stdout unchanged
env -u LMO_PROGRESS "$LMO_BIN" patterns e.json a.json --json >"$T/plain" 2>"$T/plain-err"
if [ ! -s "$T/plain-err" ]; then ok; else fail "progress without LMO_PROGRESS: $(head -c 200 "$T/plain-err")"; fi
LMO_PROGRESS=1 "$LMO_BIN" patterns e.json a.json --json >"$T/prog" 2>"$T/prog-err"
if cmp -s "$T/plain" "$T/prog"; then ok; else fail "LMO_PROGRESS=1 changed stdout"; fi
if grep -q "^patterns-exceptional-s1-3: 4096/4096 done in .* s, .*/s$" "$T/prog-err" &&
   grep -q "^patterns-exceptional-s1-1: 4096/4096 done in" "$T/prog-err" &&
   grep -q "^patterns: 2/2 done in" "$T/prog-err"; then ok
else fail "LMO_PROGRESS=1: no progress lines on stderr: $(head -c 300 "$T/prog-err")"; fi
LMO_PROGRESS=1 "$LMO_BIN" witness --generic-table --max-width 2 --max-layers 2 >"$T/prog" 2>"$T/prog-err"
if grep -q "^lmo witness --generic-table: 4/4 done in" "$T/prog-err" && ! grep -q done "$T/prog"; then ok
else fail "LMO_PROGRESS=1 witness table: $(head -c 300 "$T/prog-err")"; fi
finish
