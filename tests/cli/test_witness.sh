#!/bin/sh
# lmo witness: the Lemma 8 witness of Soudry-Carmon Theorem 5 ((B.3)-(B.6),
# Fact 2), its usage errors, --json, --cert (checked here by an independent
# Python forward pass over exact fractions, tampered copies rejected), vectors
# of kind witness through witness/bless/check/compare/gen, the generic-rank
# table (its invariants recomputed from the widths in Python) and its plot.
. "$(dirname "$0")/lib.sh"
PY=${LMO_PYTHON:-"$LMO_PYTHON"}

expect_exit 0 "$LMO_BIN" --help;          expect_out "witness"
expect_exit 0 "$LMO_BIN" witness --help;  expect_out "--widths"; expect_out "--generic-table"; expect_out "(B.3)-(B.5)"

# the witness, L = 3 and L = 2 (Fact 2), human output
expect_exit 0 "$LMO_BIN" witness --widths 2,3,2,1 --n 6
expect_out "G'_2 (6 x 6) = [I_6]_{1..6}: yes"; expect_out "rank G'_2 = 6 = N"; expect_out "Lemma 8"
expect_out "Soudry–Carmon (B.3)-(B.6): holds: G'_2 = [I]_{1..6}, rank N certified"
expect_exit 0 "$LMO_BIN" witness --widths 3,4,1 --n 12; expect_out "Fact 2"; expect_out "rank G'_1 = 12 = N"
expect_out "Soudry–Carmon Fact 2: holds"
expect_exit 0 "$LMO_BIN" witness --widths 2,2,3,2,1 --n 5 --policy numpy --policy qrcp
expect_out "  numpy        G_identity true, rank 5, full_column_rank true: agree"
expect_out "  qrcp         G_identity true, rank 5, full_column_rank true: agree"
# --generic: Lemma 8's conclusion at a random rational point, certified
expect_exit 0 "$LMO_BIN" witness --generic --widths 2,3,2,2,1 --n 4; expect_out "rank G_3 = 4 = N, as Lemma 8 concludes"
expect_out "Soudry–Carmon Lemma 8: holds: rank G = 4 = N"
expect_exit 0 "$LMO_BIN" witness --generic --json --seed 5 --widths 2,3,4,1 --n 12; cp "$T/out" "$T/gen.out"
expect_exit 0 "$PY" -c "
import json; r = json.loads(open('$T/gen.out').read()); g = r['info']['generic']
assert g['rank'] == 12 and g['differentiable'] is True and int(g['prime']) > 2**28 and r['info']['holds'] is True
t = {x['statement']: x['outcome'] for x in r['report']['theorems']}
assert t == {'Soudry–Carmon (B.3)-(B.6)': 'holds', 'Soudry–Carmon Lemma 8': 'holds'}, t"
expect_exit 2 "$LMO_BIN" witness --generic-table --generic; expect_err "--generic-table takes no"
expect_exit 0 "$LMO_BIN" witness --quiet --widths 1,1,1,1,1,1,1 --n 1
if [ -s "$T/out" ]; then fail "--quiet printed something"; else ok; fi

# usage errors: exit 2, one line naming the option
expect_exit 2 "$LMO_BIN" witness --widths 2,3,2,1 --n 7; expect_err "--n: N = 7 exceeds"; expect_err "no witness exists"; one_line_err
expect_exit 2 "$LMO_BIN" witness --widths 2,0,2,1 --n 1; expect_err "--widths: d1 = 0"; one_line_err
expect_exit 2 "$LMO_BIN" witness --widths 2,3,2 --n 1;   expect_err "--widths: the output width dL must be 1"; one_line_err
expect_exit 2 "$LMO_BIN" witness --widths 3 --n 1;       expect_err "--widths: needs at least 3 widths"; one_line_err
expect_exit 2 "$LMO_BIN" witness --widths 3,1 --n 1;     expect_err "--widths: needs at least 3 widths"; one_line_err
expect_exit 2 "$LMO_BIN" witness --widths 2,x,1 --n 1;   expect_err "--widths: expected comma-separated"; one_line_err
expect_exit 2 "$LMO_BIN" witness --widths 2,3,1 --n 0;   expect_err "--n"; one_line_err
expect_exit 2 "$LMO_BIN" witness --widths 2,3,1 --n -1;  expect_err "--n"; one_line_err
expect_exit 2 "$LMO_BIN" witness --widths 2,3,1;         expect_err "--n: required"
expect_exit 2 "$LMO_BIN" witness --n 3;                  expect_err "--widths: required"
expect_exit 2 "$LMO_BIN" witness --widths;               expect_err "needs a value"
expect_exit 2 "$LMO_BIN" witness;                        expect_err "--widths"
expect_exit 2 "$LMO_BIN" witness --max-width 3;          expect_err "--generic-table"
expect_exit 2 "$LMO_BIN" witness --generic-table --max-width 0; expect_err "--max-width"
expect_exit 2 "$LMO_BIN" witness --generic-table --max-layers 1; expect_err "--max-layers"
expect_exit 2 "$LMO_BIN" witness --generic-table --widths 2,3,1; expect_err "--generic-table"
expect_exit 2 "$LMO_BIN" witness --bogus;                expect_err "unknown option"
expect_exit 3 env LMO_MAX_ENTRIES=10 "$LMO_BIN" witness --widths 2,3,2,1 --n 6; expect_err "cap"

# --json and --cert; an independent checker of the certificate (rules of
# vectors/schema/lmo-cert-1.md) over exact fractions
expect_exit 0 "$LMO_BIN" witness --json --cert "$T/w.cert.json" --widths 2,3,2,2,1 --n 4
cp "$T/out" "$T/w.jsonl"
cat > "$T/wcheck.py" <<'EOF'
import json, sys
from fractions import Fraction as F

def num(x):
    if isinstance(x, bool): raise ValueError("bool")
    if isinstance(x, int): return F(x)
    return F(x)          # "p/q" and integers as strings (lmo writes canonical numbers)

def mat(m, r, c):
    assert m["rows"] == r and m["cols"] == c, (m["rows"], m["cols"], r, c)
    assert len(m["data"]) == r and all(len(row) == c for row in m["data"])
    return [[num(x) for x in row] for row in m["data"]]

def check(c, widths, N):
    """1 accepted, 0 rejected (rules 1-5 of the witness certificate)."""
    try:
        assert c["format"] == "lmo-cert/1" and c["claim"] == "witness"
        d = c["widths"]; L = len(d) - 1
        assert d == widths and c["N"] == N and L >= 2 and d[L] == 1 and min(d) >= 1
        assert 1 <= N <= d[L-2] * d[L-1] and c["layer"] == L - 1 and c["rank"] == N
        s = num(c["slope"]); assert s != 0
        X = mat(c["X"], d[0], N)
        W = [mat(c["weights"][l-1], d[l], d[l-1]) for l in range(1, L+1)]
        E = [mat(c["dropout"][l-1], d[l], N) for l in range(1, L)]
        A = [mat(c["activations"][l-1], d[l], N) for l in range(1, L)]
        assert len(c["weights"]) == L and len(c["dropout"]) == L-1 and len(c["activations"]) == L-1
        for n in range(N):
            v = [X[j][n] for j in range(d[0])]
            vlow = v if L == 2 else None
            for l in range(1, L):
                u = [sum(W[l-1][i][j] * v[j] for j in range(d[l-1])) for i in range(d[l])]
                assert all(x != 0 for x in u), "u = 0"
                a = [E[l-1][i][n] * (1 if u[i] > 0 else s) for i in range(d[l])]
                assert a == [A[l-1][i][n] for i in range(d[l])], "activations"
                v = [a[i] * u[i] for i in range(d[l])]
                if l == L - 2: vlow = v
                if l == L - 1: alast = a
            for i in range(d[L-1]):
                for j in range(d[L-2]):
                    g = alast[i] * W[L-1][0][i] * vlow[j]
                    assert g == (1 if i * d[L-2] + j == n else 0), "G"
        return 1
    except (AssertionError, KeyError, IndexError, TypeError, ValueError, ZeroDivisionError):
        return 0
EOF
expect_exit 0 "$PY" - "$T" <<'EOF'
import json, sys, copy
sys.path.insert(0, sys.argv[1]); from wcheck import check
T = sys.argv[1]
r = json.loads(open(T + "/w.jsonl").read())
assert r["id"] == "cli" and r["info"]["widths"] == [2, 3, 2, 2, 1] and r["info"]["N"] == 4
assert r["G_identity"] is True and r["rank"] == 4 and r["full_column_rank"] is True and r["layer"] == 3
assert r["differentiable"] and r["activations_match"] and r["info"]["holds"]
w = r["witness"]
# (B.3)-(B.5) read back: X' = 1, W'_1 = W'_2 = [1 0 ...], A'_2 = [1 (x) I_2]_{1..4}, A'_3 = [I_2 (x) 1]_{1..4}
assert all(x == 1 for row in w["X"]["data"] for x in row)
assert w["weights"][0]["data"] == [[1, 0]] * 3 and w["weights"][1]["data"] == [[1, 0, 0]] * 2
assert w["activations"][1]["data"] == [[1, 0, 1, 0], [0, 1, 0, 1]]
assert w["activations"][2]["data"] == [[1, 1, 0, 0], [0, 0, 1, 1]]
c = json.load(open(T + "/w.cert.json"))
assert c["vector"] == "cli"
assert check(c, [2, 3, 2, 2, 1], 4) == 1
# tampered certificates are rejected
def t(f):
    x = copy.deepcopy(c); f(x); return check(x, [2, 3, 2, 2, 1], 4)
assert t(lambda x: x["weights"][3]["data"][0].__setitem__(0, 2)) == 0          # w_L
assert t(lambda x: x["dropout"][2]["data"][0].__setitem__(0, "1/2")) == 0       # E'_{L-1}
assert t(lambda x: x["activations"][1]["data"][0].__setitem__(0, 0)) == 0       # claimed A'
assert t(lambda x: x["X"]["data"][0].__setitem__(0, 0)) == 0                   # u_1 = 0
assert t(lambda x: x["weights"].pop()) == 0                                     # a layer dropped
assert t(lambda x: x.__setitem__("N", 3)) == 0
assert check(c, [2, 3, 2, 2, 1], 3) == 0
EOF

# every admissible N of a few width lists: the certificate checks out, and
# nothing beyond d_{L-2} d_{L-1}
for wl in 2,3,1 1,4,1 3,2,2,1 2,1,3,2,1 1,2,1,2,2,2,1; do
    rows=$(echo "$wl" | awk -F, '{ print $(NF-2) * $(NF-1) }')
    n=1
    while [ "$n" -le "$rows" ]; do
        expect_exit 0 "$LMO_BIN" witness --quiet --cert "$T/c-$wl-$n.json" --widths "$wl" --n "$n"
        n=$((n + 1))
    done
    expect_exit 2 "$LMO_BIN" witness --widths "$wl" --n "$n"; expect_err "exceeds"
done
expect_exit 0 "$PY" - "$T" <<'EOF'
import json, sys, glob
sys.path.insert(0, sys.argv[1]); from wcheck import check
files = glob.glob(sys.argv[1] + "/c-*.json")
assert len(files) == 6 + 4 + 4 + 6 + 4, len(files)
for f in files:
    c = json.load(open(f))
    assert check(c, c["widths"], c["N"]) == 1, f
EOF

# vectors of kind witness: lmo witness FILE, bless, check, compare
mkdir "$T/v"
cat > "$T/v/w1.json" <<'EOF'
{"format": "lmo-vector/1", "kind": "witness", "id": "test-witness-1",
 "source": "tests/cli/test_witness.sh", "input": {"widths": [2, 3, 2, 1], "N": 5}}
EOF
cat > "$T/v/bad.json" <<'EOF'
{"format": "lmo-vector/1", "kind": "witness", "id": "test-witness-bad",
 "source": "tests/cli/test_witness.sh", "input": {"widths": [2, 3, 2, 1], "N": 9}}
EOF
expect_exit 0 "$LMO_BIN" witness "$T/v/w1.json"; expect_out "test-witness-1 (witness, L=3, widths 2,3,2,1, N=5"
expect_exit 2 "$LMO_BIN" witness "$T/v/bad.json"; expect_err "input.N: N = 9 exceeds"; one_line_err
expect_exit 0 "$LMO_BIN" bless "$T/v/w1.json"
expect_exit 0 "$PY" - "$T" <<'EOF'
import json, sys
sys.path.insert(0, sys.argv[1]); from wcheck import check
v = json.load(open(sys.argv[1] + "/v/w1.json"))
e = v["expect"]
assert e["G_identity"] is True and e["rank"] == 5 and e["full_column_rank"] is True and e["layer"] == 2
assert set(v["fast"]) == {"numpy", "qrcp", "abs:1e-10"}
assert all(f == {"G_identity": True, "rank": 5, "full_column_rank": True} for f in v["fast"].values())
assert "FloatDisagrees" not in v["flags"]
assert check(v["certificate"], [2, 3, 2, 1], 5) == 1 and v["certificate"]["vector"] == "test-witness-1"
EOF
expect_exit 0 "$LMO_BIN" witness "$T/v/w1.json"                 # agrees with its expect
expect_exit 0 "$LMO_BIN" witness --json "$T/v/w1.json"; cp "$T/out" "$T/w1.out"
expect_exit 0 "$PY" -c "import json; r = json.loads(open('$T/w1.out').read()); assert r['expect']['matches'] is True and r['id'] == 'test-witness-1'"
# replay; lmo-check verifies witness certificates once it has the rule, so
# the stored certificate is replayed only when this lmo-check accepts it
"$PY" -c "
import json; v = json.load(open('$T/v/w1.json')); del v['certificate']; json.dump(v, open('$T/v/w1-nocert.json', 'w'))"
expect_exit 0 "$LMO_BIN" check "$T/v/w1-nocert.json"; expect_out "1 passed, 0 failed"
if "$LMO_CHECK" "$T/v/w1.json" >/dev/null 2>&1; then
    expect_exit 0 "$LMO_BIN" check "$T/v/w1.json"; expect_out "1 passed, 0 failed"
fi
# a changed expect is a mismatch
"$PY" -c "
import json; v = json.load(open('$T/v/w1-nocert.json')); v['expect']['rank'] = 4; json.dump(v, open('$T/v/w1-wrong.json', 'w'))"
expect_exit 1 "$LMO_BIN" witness "$T/v/w1-wrong.json"; expect_out "MISMATCH expect.rank"
expect_exit 1 "$LMO_BIN" check "$T/v/w1-wrong.json"; expect_out "expect_mismatch"
# compare: the exact verdict beside each policy
expect_exit 0 "$LMO_BIN" compare --policy numpy --policy qrcp "$T/v/w1.json"
expect_out "G'_2 (6 x 5) = [I_6]_{1..5}: yes"; expect_out "rank G'_2 = 5 = N"; expect_out "agree"
expect_exit 0 "$LMO_BIN" compare --json --policy numpy "$T/v/w1.json"; cp "$T/out" "$T/cmp.out"
expect_exit 0 "$PY" -c "
import json; r = json.loads(open('$T/cmp.out').read())
assert r['agree'] is True and r['rank'] == 5 and r['G_identity'] is True
f = r['fast']['numpy']; assert f['rank'] == 5 and f['agree'] is True and float.fromhex(f['detail']['max_dev']) == 0.0"

# gen: the family witness-lemma8 is deterministic and every vector replays
mkdir "$T/g1" "$T/g2"
expect_exit 0 "$LMO_BIN" gen witness-lemma8 --seed 3 --count 6 --out "$T/g1"
expect_exit 0 "$LMO_BIN" gen witness-lemma8 --seed 3 --count 6 --out "$T/g2"
if diff -r "$T/g1" "$T/g2" >/dev/null; then ok; else fail "gen witness-lemma8 is not deterministic"; fi
expect_exit 0 "$LMO_BIN" witness "$T"/g1/*.json
expect_exit 0 "$PY" - "$T" <<'EOF'
import json, sys, glob
sys.path.insert(0, sys.argv[1]); from wcheck import check
fs = sorted(glob.glob(sys.argv[1] + "/g1/*.json")); assert len(fs) == 6
for f in fs:
    v = json.load(open(f)); d = v["input"]["widths"]; N = v["input"]["N"]; L = len(d) - 1
    assert 2 <= L <= 4 and d[-1] == 1 and 1 <= N <= d[L-2] * d[L-1]
    assert v["expect"]["rank"] == N and v["expect"]["G_identity"] is True
    assert check(v["certificate"], d, N) == 1
    del v["certificate"]; json.dump(v, open(f, "w"))
EOF
expect_exit 0 "$LMO_BIN" check "$T"/g1/*.json; expect_out "6 passed, 0 failed"

# the generic-rank table: invariants recomputed from the widths
expect_exit 0 "$LMO_BIN" witness --generic-table --max-width 2 --max-layers 3
cp "$T/out" "$T/t.csv"
expect_exit 0 "$LMO_BIN" witness --generic-table --max-width 3 --max-layers 4 --out "$T/t3.csv"
expect_out "rows in $T/t3.csv"
if ls "$T"/t3.csv.tmp.* >/dev/null 2>&1; then fail "--out left a temporary file"; else ok; fi
expect_exit 0 "$PY" - "$T" <<'EOF'
import csv, sys, itertools
T = sys.argv[1]
for name, K, maxL in (("t.csv", 2, 3), ("t3.csv", 3, 4)):
    rows = list(csv.DictReader(open(T + "/" + name)))
    want = 0
    for L in range(2, maxL + 1):
        for d in itertools.product(range(1, K + 1), repeat=L):
            want += 3 * d[L-2] * d[L-1]
    assert len(rows) == want, (name, len(rows), want)
    cases = set()
    for r in rows:
        d = [int(x) for x in r["widths"].split("-")]; L = len(d) - 1; N = int(r["N"]); c = r["case"]
        cases.add(c)
        assert int(r["L"]) == L and d[-1] == 1 and max(d) <= K and int(r["rows"]) == d[L-2] * d[L-1]
        # the paper: N <= d_{L-2} d_{L-1} in (i), (ii); N <= d_{L-1} min_{l <= L-2} d_l in (iii)
        thr = d[L-2] * d[L-1] if c in ("i", "ii") else d[L-1] * min(d[:L-1])
        assert int(r["threshold"]) == thr and int(r["bound"]) == min(N, thr), r
        ra, ua, rr = int(r["rank_active"]), int(r["upper_active"]), int(r["rank_random"])
        assert ra == ua == min(N, thr), r
        assert min(N, thr) <= rr <= min(N, d[L-2] * d[L-1]), r
        assert r["status"] == ("beyond_lemma8" if rr > min(N, thr) else "tight"), r
        if c != "iii" or L == 2: assert r["status"] == "tight", r
    assert cases == {"i", "ii", "iii"}
    if name == "t3.csv": assert any(r["status"] == "beyond_lemma8" for r in rows)
EOF
# same seed, same table
expect_exit 0 "$LMO_BIN" witness --generic-table --max-width 2 --max-layers 3
if cmp -s "$T/out" "$T/t.csv"; then ok; else fail "the table is not deterministic"; fi

# the plot
if command -v gnuplot >/dev/null 2>&1; then
    expect_exit 0 sh "$LMO_SRC/scripts/witness-plot" "$T/t3.csv" "$T/t3.png"
    expect_exit 0 "$PY" -c "
assert open('$T/t3.png', 'rb').read(8) == b'\x89PNG\r\n\x1a\n'"
    expect_exit 0 sh "$LMO_SRC/scripts/witness-plot" --widths 2-3-2-1 "$T/t3.csv" "$T/t3b.png"
    expect_out "widths 2-3-2-1"
    expect_exit 2 sh "$LMO_SRC/scripts/witness-plot" --widths 9-9-1 "$T/t3.csv" "$T/x.png"
    expect_exit 2 sh "$LMO_SRC/scripts/witness-plot" "$T/w.jsonl" "$T/x.png"; expect_err "header"
    expect_exit 2 sh "$LMO_SRC/scripts/witness-plot" "$T/t3.csv"
else
    fail "gnuplot not installed (Debian package gnuplot-nox)"
fi
finish
