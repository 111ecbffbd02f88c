#!/bin/sh
# The lmo program: help, usage errors, rank, compare, --json, --cert, stdin.
. "$(dirname "$0")/lib.sh"
EX="$LMO_SRC/vectors/examples"

expect_exit 0 "$LMO_BIN" --help;          expect_out "compare"; expect_out "exit codes"
expect_exit 0 "$LMO_BIN" rank --help;     expect_out "--cert"; expect_out "--json"; expect_out "--max-bits"
expect_exit 0 "$LMO_BIN" compare --help;  expect_out "--policy"; expect_out "abs:T"; expect_out "qrcp"
# Lemma 3's prediction as the code decides it (issue 19): the paper has no "non-trivial"
# dropout; E1 = 1 is in the a.e. statement's exceptional set, not outside its hypotheses
expect_exit 0 "$LMO_BIN" patterns --help; expect_out "exceptional"; expect_out "E1 = 1, plain leaky ReLU"
if grep -qiE "non-trivial|claims nothing" "$T/out"; then fail "lmo patterns --help: stale non-trivial dropout text"; else ok; fi
# the checker's mnn fixtures are vectors lmo replays too: their stored verdict is current
for f in "$LMO_SRC"/tests/checker/fixtures/mnn-*.json; do
    expect_exit 0 "$LMO_BIN" mnn "$f"
    if grep -q MISMATCH "$T/out"; then fail "$(basename "$f"): stale expect or report"; else ok; fi
done
expect_exit 2 "$LMO_BIN";                 expect_err "usage"
expect_exit 2 "$LMO_BIN" frobnicate;      expect_err "unknown command"
expect_exit 2 "$LMO_BIN" rank --bogus x;  expect_err "unknown option"
# each command takes only its own options: another command's is exit 2 naming the valid ones
expect_exit 2 "$LMO_BIN" rank --policy numpy "$EX/numpy-hard.json"; expect_err "no option --policy"
expect_err "(valid: --help, --version, --json, --quiet, --cert, --seed, --max-entries"; one_line_err
expect_exit 2 "$LMO_BIN" mnn --list 3 x.json;     expect_err "lmo mnn: no option --list"
expect_exit 2 "$LMO_BIN" check --cert c x.json;   expect_err "lmo check: no option --cert"
expect_exit 2 "$LMO_BIN" gen --json;              expect_err "lmo gen: no option --json"
expect_exit 2 "$LMO_BIN" classify --widths 2,1;   expect_err "no option --widths"
# --version, for lmo and for each command (the project() version)
version=$(sed -n 's/^project(lmo VERSION \([0-9.]*\).*/\1/p' "$LMO_SRC/CMakeLists.txt")
expect_exit 0 "$LMO_BIN" --version;               expect_out "lmo $version"
for c in rank compare mnn patterns classify witness gen bless check; do
    expect_exit 0 "$LMO_BIN" "$c" --version;      expect_out "lmo $version"
done
expect_exit 2 "$LMO_BIN" rank;            expect_err "no input"
expect_exit 2 "$LMO_BIN" compare --policy tol:3 "$EX/numpy-hard.json"; expect_err "unknown policy"
expect_exit 2 "$LMO_BIN" rank "$T/does-not-exist.json"; expect_err "does-not-exist.json"; one_line_err

# rank: the hand-checked expectations of the examples (sympy-verified when written)
expect_exit 0 "$LMO_BIN" rank "$EX/numpy-hard.json";          expect_out "rank 2, full column rank"
expect_exit 0 "$LMO_BIN" rank "$EX/kr-constant-pattern.json"; expect_out "(khatri_rao_rank, 4 x 4)"; expect_out "  rank 2 (certified"
expect_exit 0 "$LMO_BIN" rank "$EX/large-thirds.json";        expect_out "rank 1"

# stdin
expect_exit 0 sh -c "'$LMO_BIN' rank - < '$EX/graded.json'";   expect_out "rank 2"

# --json is one object per input that Python reads, with the expect keys
expect_exit 0 "$LMO_BIN" rank --json "$EX/numpy-hard.json" "$EX/kr-dropout-pattern.json"
cp "$T/out" "$T/rank.jsonl"
expect_exit 0 "$LMO_PYTHON" -c "
import json, sys
rows = [json.loads(l) for l in open('$T/rank.jsonl')]
assert len(rows) == 2, rows
assert rows[0]['id'] == 'example-numpy-hard' and rows[0]['rank'] == 2 and rows[0]['full_column_rank'] is True
assert rows[1]['rank'] == 4 and rows[1]['kind'] == 'khatri_rao_rank'
"

# a mismatch with expect.rank is a failed check
sed 's/"rank": 2/"rank": 1/' "$EX/numpy-hard.json" > "$T/wrong.json"
expect_exit 1 "$LMO_BIN" rank "$T/wrong.json"; expect_out "MISMATCH"

# compare: numpy gets the numpy-hard example wrong, and says why
expect_exit 1 "$LMO_BIN" compare --policy numpy "$EX/numpy-hard.json"
expect_out "rank 2, full column rank"; expect_out "DISAGREE"; expect_out "threshold"; expect_out "sigma_max*max(m,n)*eps"
# exact sigma_2 = 2^-52 / sigma_1 = 1.11e-16 sits below the exact numpy threshold too:
# the float SVD answered its question right, the tolerance is what hides rank 2
expect_out "exact singular values (certified): 2.00000 1.11022e-16"; expect_out "Cause: tolerance"
expect_exit 1 "$LMO_BIN" compare --json --policy numpy "$EX/numpy-hard.json"
cp "$T/out" "$T/compare.json"
expect_exit 0 "$LMO_PYTHON" -c "
import json
r = json.loads(open('$T/compare.json').read())
f = r['fast']['numpy']; d = f['detail']
assert r['rank'] == 2 and f['rank'] == 1 and f['agree'] is False and r['agree'] is False
assert len(f['disagreements']) == 1 and 'k=2' in f['disagreements'][0]
# the second float singular value really is below the reported threshold
assert float.fromhex(d['values'][1]) <= float.fromhex(d['threshold'])
assert d['exact_count'] == 1 and d['cause'] == 'tolerance' and len(r['info']['singular_values']) == 2
# the certified singular values as enclosures {mid, rad}, checked with fractions against
# A = [[1, 1], [1, 1 + 2^-52]]: s1^2 + s2^2 = tr(A^T A) = 4 + 2^-51 + 2^-104 and
# s1 s2 = |det A| = 2^-52
from fractions import Fraction as F
from decimal import Decimal
sv = [(F(Decimal(b['mid'])) - F(Decimal(b['rad'])), F(Decimal(b['mid'])) + F(Decimal(b['rad'])))
      for b in r['info']['singular_values']]
assert all(0 <= lo <= hi for lo, hi in sv)
e = F(1, 2**52)
tr, det = 4 + 2 * e + e * e, e
assert sv[0][0]**2 + sv[1][0]**2 <= tr <= sv[0][1]**2 + sv[1][1]**2
assert sv[0][0] * sv[1][0] <= det <= sv[0][1] * sv[1][1]
assert sv[1][1] < F(1, 2**52)   # tight: sigma_2 is about 2^-53
"
# an absolute tolerance misses the hidden deficiency at large magnitudes
expect_exit 1 "$LMO_BIN" compare --policy abs:1e-10 "$EX/large-thirds.json"; expect_out "rounding noise"
expect_out "Cause: rounding"
# the constant-pattern Khatri-Rao product is deficient and every policy sees it
expect_exit 0 "$LMO_BIN" compare --policy numpy --policy qrcp "$EX/kr-constant-pattern.json"; expect_out "agree"

# --cert: the certificate is accepted by the independent checker
expect_exit 0 "$LMO_BIN" rank --quiet --cert "$T/c.json" "$EX/kr-constant-pattern.json"
expect_exit 0 "$LMO_CHECK" "$T/c.json" "$EX/kr-constant-pattern.json"
# ... and rejected against another vector
expect_exit 1 "$LMO_CHECK" "$T/c.json" "$EX/kr-dropout-pattern.json"
# several inputs: --cert DIR gets one certificate per id
mkdir "$T/certs"
expect_exit 0 "$LMO_BIN" rank --quiet --cert "$T/certs" "$EX"/*.json
for f in "$EX"/*.json; do
    id=$("$LMO_PYTHON" -c "import json; print(json.load(open('$f'))['id'])")
    expect_exit 0 "$LMO_CHECK" "$T/certs/$id.cert.json" "$f"
done

# mnn --corollary6 (Soudry-Carmon Corollary 6): the derived mnn_patterns vector, written
# blessed with --out, replays and its bundle is accepted by the independent checker; the
# same seed gives the same vector; L = 2 and --out without --corollary6 are usage errors
C="$LMO_SRC/vectors/corpus"
mkdir "$T/c6" "$T/c6b"
expect_exit 0 "$LMO_BIN" mnn --corollary6 --seed 3 --out "$T/c6" "$C/mnn-random-s1-1.json"
expect_out "Corollary 6 for mnn-random-s1-1"; expect_out "Lemma 3: holds"
expect_exit 0 "$LMO_CHECK" "$T/c6/mnn-random-s1-1-corollary6.json"
expect_exit 0 "$LMO_BIN" check "$T/c6/mnn-random-s1-1-corollary6.json"
expect_exit 0 "$LMO_BIN" mnn --corollary6 --seed 3 --quiet --out "$T/c6b" "$C/mnn-random-s1-1.json"
cmp -s "$T/c6/mnn-random-s1-1-corollary6.json" "$T/c6b/mnn-random-s1-1-corollary6.json" ||
    fail "mnn --corollary6: the same seed gave another derived vector"
expect_exit 2 "$LMO_BIN" mnn --corollary6 "$C/mnn-random-s1-0.json"; expect_err "Corollary 6 needs L >= 3"
one_line_err
expect_exit 2 "$LMO_BIN" mnn --out "$T/c6" "$C/mnn-random-s1-1.json"; expect_err "--out goes with --corollary6"
finish
