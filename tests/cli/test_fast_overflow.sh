#!/bin/sh
# lmo compare on an input that does not fit a double (an entry 10^400): for every kind with
# numbers in its input, each policy's entry says "an input overflows double" -- the driver's one
# policy loop (lmo_kind_fast) -- and the exact tier still answers (exit 0 or 1). The bugs this
# caught: the patterns kind lost an overflow of X when its dropout matrix E converted cleanly
# (the second conversion reset the flag) and ranked infinities; the nguyen_hein kind handed
# an infinite coefficient to GLPK, whose assertion aborted lmo (Theorem 5.3's separability LP).
. "$(dirname "$0")/lib.sh"
C=$LMO_SRC/vectors/corpus
for case in matrix-graded-s1-0:M patterns-no-dropout-s1-3:X mnn-random-s1-0:X \
            deep-linear-global-min-s1-0:X khk-random-s1-0:X nh-random-s1-0:X \
            deep-linear-global-min-s1-1:weights khk-random-s1-1:Y kr-generic-s1-0:X; do
    vec=${case%%:*} field=${case#*:}
    "$LMO_PYTHON" -c 'import json, sys
d = json.load(open(sys.argv[1]))
for k in ("expect", "report", "fast", "flags", "certificate"): d.pop(k, None)
m = d["input"][sys.argv[3]]
m = m[-1] if isinstance(m, list) else m          # weights: the last layer
m["data"][0][0] = "1" + "0" * 400
d["id"] = "overflow-" + d["id"]
json.dump(d, open(sys.argv[2], "w"))' "$C/$vec.json" "$T/$vec.json" "$field" || fail "$vec: making the vector"
    "$LMO_BIN" compare "$T/$vec.json" --policy numpy --policy abs:1e-9 --json >"$T/out" 2>"$T/err"
    got=$?
    if [ "$got" -le 1 ] && "$LMO_PYTHON" -c 'import json, sys
j = json.loads(open(sys.argv[1]).read().splitlines()[0])
fast = j["fast"]
assert sorted(fast) == ["abs:1e-9", "numpy"], sorted(fast)
for p, e in fast.items():
    assert e.get("why") == "an input overflows double", (p, e)
    assert e["disagreements"] == ["an input overflows double precision"], (p, e)
assert set(j) - {"fast", "file", "id", "kind", "agree", "info", "report", "problems"}, "no exact verdict: " + ", ".join(j)' "$T/out" 2>"$T/why"
    then ok; else fail "compare $vec ($field = 10^400): exit $got: $(tail -c 300 "$T/why") $(head -c 200 "$T/err")"; fi
done
# lmo nh itself (the GLPK abort was in the exact tier, with or without a policy)
expect_exit 0 "$LMO_BIN" nh "$T/nh-random-s1-0.json"
expect_out "linear separability (Definition 5.1, classes y_ij > 0): rows of F_1 undecided"
finish
