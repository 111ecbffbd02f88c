#!/bin/sh
# lmo gen / bless / check: determinism, blessing by the tiers, and every
# kind of replay failure (expect mismatch, rejected certificate, changed
# float decision) detected.
. "$(dirname "$0")/lib.sh"
EX="$LMO_SRC/vectors/examples"

expect_exit 0 "$LMO_BIN" gen --help;  expect_out "kr-hidden-deficient"; expect_out "matrix-kahan"
expect_exit 2 "$LMO_BIN" gen no-such-family --seed 1 --out "$T"; expect_err "unknown family"
expect_exit 2 "$LMO_BIN" gen kr-generic --out "$T";                expect_err "--seed"
# --out DIR is created, with its missing parents; a file in the way is exit 2
expect_exit 0 "$LMO_BIN" gen kr-generic --seed 1 --count 2 --out "$T/new/sub"
[ -f "$T/new/sub/kr-generic-s1-1.json" ] || fail "lmo gen --out did not create $T/new/sub"
: > "$T/plain"
expect_exit 2 "$LMO_BIN" gen kr-generic --seed 1 --out "$T/plain"; expect_err "cannot create the directory"
expect_exit 2 "$LMO_BIN" gen kr-generic --seed 1 --out "$T/plain/x"; expect_err "cannot create the directory"

# the same arguments give byte-identical files; another seed gives others
mkdir "$T/a" "$T/b" "$T/c"
for fam in kr-generic kr-near-deficient kr-hidden-deficient matrix-kahan matrix-graded; do
    expect_exit 0 "$LMO_BIN" gen $fam --seed 7 --count 3 --out "$T/a"
    expect_exit 0 "$LMO_BIN" gen $fam --seed 7 --count 3 --out "$T/b"
    expect_exit 0 "$LMO_BIN" gen $fam --seed 8 --count 1 --out "$T/c"
done
if diff -r "$T/a" "$T/b" >/dev/null; then ok; else fail "gen is not deterministic"; fi
if cmp -s "$T/a/kr-generic-s7-0.json" "$T/c/kr-generic-s8-0.json"; then fail "seed ignored"; else ok; fi
# the vector index does not depend on --count: vector 0 of a run of 3 == a run of 1
mkdir "$T/d"; expect_exit 0 "$LMO_BIN" gen kr-generic --seed 7 --count 1 --out "$T/d"
if cmp -s "$T/a/kr-generic-s7-0.json" "$T/d/kr-generic-s7-0.json"; then ok; else fail "index depends on count"; fi

# every generated vector replays: exact verdict, certificate through lmo-check, fast decisions
expect_exit 0 "$LMO_BIN" check "$T"/a/*.json;  expect_out "15 passed, 0 failed"

# family promises, judged by the replayed verdicts (not by the generator):
# hidden-deficient is exactly deficient and abs:1e-10 calls it full;
# near-deficient is exactly full rank and numpy calls it deficient
expect_exit 0 "$LMO_PYTHON" - "$T/a" <<'PY'
import json, glob, sys
d = sys.argv[1]
for f in glob.glob(d + '/kr-hidden-deficient-*.json'):
    v = json.load(open(f)); n = v['input']['A']['cols']
    assert v['expect']['rank'] < n and v['fast']['abs:1e-10']['rank'] == n, f
for f in glob.glob(d + '/kr-near-deficient-*.json'):
    v = json.load(open(f)); n = v['input']['A']['cols']
    assert v['expect']['rank'] == n and v['fast']['numpy']['rank'] < n, f
    assert 'NearRankDeficient' in v['flags'] and 'FloatDisagrees' in v['flags']
PY

# bless a hand-written vector: expect, fast, flags, certificate appear; input kept
cp "$EX/numpy-hard.json" "$T/h.json"
"$LMO_PYTHON" -c "
import json; v = json.load(open('$T/h.json')); del v['expect']; json.dump(v, open('$T/h.json', 'w'))"
expect_exit 0 "$LMO_BIN" bless "$T/h.json"
expect_exit 0 "$LMO_PYTHON" -c "
import json; v = json.load(open('$T/h.json'))
assert v['expect'] == {'rank': 2, 'full_column_rank': True}, v['expect']
assert v['fast']['numpy']['rank'] == 1 and 'FloatDisagrees' in v['flags']
assert v['certificate']['claim'] == 'rank' and v['input']['M']['data'][1][1] == '4503599627370497/4503599627370496'"
expect_exit 0 "$LMO_BIN" check "$T/h.json"
# blessing twice changes nothing (canonical output)
cp "$T/h.json" "$T/h2.json"; expect_exit 0 "$LMO_BIN" bless "$T/h2.json"
if cmp -s "$T/h.json" "$T/h2.json"; then ok; else fail "bless is not idempotent"; fi

# replay failures, one of each kind
"$LMO_PYTHON" -c "
import json; v = json.load(open('$T/h.json')); v['expect']['rank'] = 1
json.dump(v, open('$T/bad-expect.json', 'w'))"
expect_exit 1 "$LMO_BIN" check "$T/bad-expect.json"; expect_out "expect_mismatch"; expect_out "expect.rank: stored 1, now 2"
"$LMO_PYTHON" -c "
import json; v = json.load(open('$T/h.json')); v['fast']['numpy']['rank'] = 2; v['fast']['numpy']['full_column_rank'] = True
json.dump(v, open('$T/bad-fast.json', 'w'))"
expect_exit 1 "$LMO_BIN" check "$T/bad-fast.json"; expect_out "float_changed"
"$LMO_PYTHON" -c "
import json; v = json.load(open('$T/h.json')); v['certificate']['minor']['rows'] = [0, 0]
json.dump(v, open('$T/bad-cert.json', 'w'))"
expect_exit 1 "$LMO_BIN" check "$T/bad-cert.json"; expect_out "cert_rejected"
expect_exit 1 "$LMO_BIN" check --json "$T/bad-fast.json"
cp "$T/out" "$T/check.json"
expect_exit 0 "$LMO_PYTHON" -c "
import json; r = json.loads(open('$T/check.json').read())
assert r['status'] == 'float_changed' and r['problems'], r"
# without a checker the certificate cannot be verified: a limit, not a pass
expect_exit 3 env LMO_CHECK=/nonexistent/lmo-check "$LMO_BIN" check "$T/h.json"
finish
