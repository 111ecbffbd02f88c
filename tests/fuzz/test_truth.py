#!/usr/bin/env python3
"""Tests of tests/fuzz/truth.py, the independent truth evaluator of the soundness fuzzer.

From corpus vectors (vectors/corpus), build FALSE claims by changing ONE expect member or one
certificate verdict at a time, and assert that truth.py says FALSE for each (naming the changed
member), and TRUE for the untouched originals.  Also runs the command line once over a temporary
directory (exit status, one line per file, the summary line).

usage: test_truth.py [CORPUS_DIR]      exit 0 pass, 1 fail, 77 skipped (sympy missing)
"""
import copy
import glob
import json
import os
import subprocess
import sys
import tempfile
from fractions import Fraction as F

HERE = os.path.dirname(os.path.abspath(__file__))

try:
    import sympy  # noqa: F401  (truth.py needs it for the eigenvalues of Sigma)
except ImportError:
    print("test_truth: SKIP: python3-sympy is not installed")
    sys.exit(77)

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, HERE)
import truth  # noqa: E402

CORPUS = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "..", "vectors", "corpus")


def load(name):
    with open(os.path.join(CORPUS, name + ".json")) as fh:
        return json.load(fh)


def corpus_files():
    return sorted(glob.glob(os.path.join(CORPUS, "*.json")))


def first(pred):
    """The first corpus vector satisfying pred (vectors are loaded once)."""
    for path in corpus_files():
        v = CACHE.setdefault(path, json.load(open(path)))
        try:
            if pred(v):
                return copy.deepcopy(v), os.path.basename(path)
        except (KeyError, TypeError, IndexError):
            continue
    raise LookupError("no corpus vector for this mutation")


CACHE = {}


def num(x):
    return F(truth.number(x, "test"))


def spell(x):
    x = F(x)
    return x.numerator if x.denominator == 1 else "%d/%d" % (x.numerator, x.denominator)


def kind(k):
    return lambda v: v["kind"] == k


# ---------------------------------------------------------------------------------------------
# mutations: (name, selector, mutate(v) -> v, member prefix truth.py must name)
def m_set(path, fn):
    """Mutate v at a dotted path ("expect.rank", "certificate.certificates.G_1.rank", ...)."""
    def mut(v):
        obj = v
        keys = path.split(".")
        for k in keys[:-1]:
            obj = obj[int(k)] if isinstance(obj, list) else obj[k]
        last = keys[-1]
        if isinstance(obj, list):
            last = int(last)
        obj[last] = fn(obj[last])
        return v
    return mut


def inc(d):
    return lambda x: spell(num(x) + d)


def flip(x):
    return not x


def flip_sign_char(s, k=0):
    return s[:k] + ("-" if s[k] in "+0" else "+") + s[k + 1:]


def mnn_pattern_flip(v):
    p = v["expect"]["pattern"]
    p[0][0] = flip_sign_char(p[0][0])
    return v


def mnn_zero_add(v):
    # claim a zero pre-activation where u != 0 (first unit/sample not in the list)
    zs = v["expect"]["zero_preactivations"]
    cand = {"l": 1, "i": 1, "n": 1}
    if cand in zs:
        zs.remove(cand)
    else:
        zs.insert(0, cand)
    return v


def mnn_wtilde(v):
    """Change one entry of W_tilde whose row of G1 = A1 o X is non-zero: the MSE of (4.2) then
    grows by delta^2 |row|^2 / (2N) > 0, so W_tilde is no longer a minimiser."""
    inp = v["input"]
    X = [[num(x) for x in r] for r in inp["X"]["data"]]
    W1 = [[num(x) for x in r] for r in inp["weights"][0]["data"]]
    s = num(inp["slope"])
    N, d0, d1 = len(X[0]), len(X), len(W1)
    E = ([[num(x) for x in r] for r in inp["dropout"][0]["data"]] if inp.get("dropout")
         else [[F(1)] * N for _ in range(d1)])
    for i in range(d1):
        for j in range(d0):
            row = []
            for n in range(N):
                u = sum(W1[i][k] * X[k][n] for k in range(d0))
                a = E[i][n] * (1 if u >= 0 else s)
                row.append(a * X[j][n])
            if any(row):
                Wt = v["expect"]["lemma1_minimiser"]["W_tilde"]["data"]
                Wt[i][j] = spell(num(Wt[i][j]) + F(3, 2))
                return v
    raise LookupError("G1 = 0")


def pat_rank_counts_move(v):
    rc = v["expect"]["rank_counts"]
    r = max(k for k, c in enumerate(rc) if c)
    rc[r] -= 1
    rc[r - 1] += 1
    return v


def pat_duplicate(v):
    dp = v["expect"]["deficient_patterns"]
    dp.append(copy.deepcopy(dp[0]))
    return v


def pat_drop_listed(v):
    v["expect"]["deficient_patterns"].pop()
    return v


def pat_add_full_rank(v):
    """List a pattern as deficient that truth's own rank says is of full rank -- cross-checked here
    with sympy, independently of truth.rank."""
    inp = v["input"]
    X = [[num(x) for x in r] for r in inp["X"]["data"]]
    d1, s = inp["width"], num(inp["slope"])
    N, d0 = len(X[0]), len(X)
    listed = {tuple(p["signs"]) for p in v["expect"]["deficient_patterns"]}
    E = inp.get("dropout")
    if isinstance(E, list):
        E = E[0]
    E = [[num(x) for x in r] for r in E["data"]] if E else [[F(1)] * N for _ in range(d1)]
    for code in range(2 ** (d1 * N)):
        signs = tuple("".join("+" if (code >> (i * N + n)) & 1 else "-" for n in range(N)) for i in range(d1))
        if signs in listed:
            continue
        G = sympy.Matrix(d1 * d0, N, lambda r, n: sympy.nsimplify(
            E[r // d0][n] * (1 if signs[r // d0][n] == "+" else s) * X[r % d0][n]))
        if G.rank() == N:
            v["expect"]["deficient_patterns"].append({"rank": N - 1, "signs": list(signs)})
            return v
    raise LookupError("no full-rank pattern")


def pat_cert_drop(v):
    v["certificate"]["certificates"].pop(0)
    return v


def inertia_move(a, b):
    """A mutation: one Hessian eigenvalue moved from count a to count b (from b to a when a is
    0), the total unchanged."""
    def move(v):
        h = v["expect"]["hessian_inertia"]
        src, dst = (a, b) if h[a] > 0 else (b, a)
        h[src] -= 1
        h[dst] += 1
        return v
    return move


def dl_enclosure_shift(v):
    g = v["expect"]["global_min_value"]
    g["enclosure"] = [spell(num(g["enclosure"][1]) + F(1, 1000)), spell(num(g["enclosure"][1]) + 1)]
    return v


def set_value(x):
    return lambda _old: x


def cls_is(c):
    return lambda v: v["kind"] == "deep_linear" and v["expect"]["class"] == c


def witness_activation(v):
    A = v["certificate"]["activations"][0]["data"]
    A[0][0] = spell(num(A[0][0]) * 3)
    return v


def witness_weight_zero_u(v):
    # W1 := 0 makes every hidden pre-activation 0 (and G_{L-1} no longer [I])
    W = v["certificate"]["weights"][0]
    W["data"] = [[0] * W["cols"] for _ in range(W["rows"])]
    return v


def witness_X(v):
    X = v["certificate"]["X"]["data"]
    X[0][0] = spell(num(X[0][0]) + 2)
    return v


def witness_expect_slope(v):
    v["expect"]["witness"]["slope"] = spell(num(v["expect"]["witness"]["slope"]) + F(1, 7))
    return v


MUTATIONS = [
    # matrix_rank
    ("matrix rank +1", kind("matrix_rank"), m_set("expect.rank", inc(1)), "expect.rank"),
    ("matrix full_column_rank flipped", kind("matrix_rank"), m_set("expect.full_column_rank", flip),
     "expect.full_column_rank"),
    ("matrix certificate rank -1", lambda v: v["kind"] == "matrix_rank" and v["certificate"]["rank"] > 0,
     m_set("certificate.rank", inc(-1)), "certificate.rank"),
    # khatri_rao_rank
    ("khatri-rao rank -1", lambda v: v["kind"] == "khatri_rao_rank" and v["expect"]["rank"] > 0,
     m_set("expect.rank", inc(-1)), "expect.rank"),
    ("khatri-rao full_column_rank flipped (deficient vector)",
     lambda v: v["kind"] == "khatri_rao_rank" and not v["expect"]["full_column_rank"],
     m_set("expect.full_column_rank", flip), "expect.full_column_rank"),
    ("khatri-rao certificate rank +1", kind("khatri_rao_rank"), m_set("certificate.rank", inc(1)),
     "certificate.rank"),
    # khk (Kawaguchi-Huang-Kaelbling 2019)
    ("khk J moved", kind("khk"), m_set("expect.J", inc(F(1, 7))), "expect.J"),
    ("khk critical flipped", lambda v: v["kind"] == "khk" and v["expect"]["critical"] is not None,
     m_set("expect.critical", flip), "expect.critical"),
    ("khk kink unit moved", lambda v: v["kind"] == "khk" and v["expect"]["kink"] is not None,
     m_set("expect.kink.unit", lambda u: u + 1), "expect.kink"),
    # nguyen_hein (Nguyen-Hein 2017): rank [F_k, 1] by mpmath at many digits, the rest exact
    ("nh rank_Fk1 -1", lambda v: v["kind"] == "nguyen_hein" and "rank_Fk1" in v["expect"],
     m_set("expect.rank_Fk1", inc(-1)), "expect.rank_Fk1"),
    ("nh rank_X1 +1", kind("nguyen_hein"), m_set("expect.rank_X1", inc(1)), "expect.rank_X1"),
    ("nh X_distinct_rows flipped", kind("nguyen_hein"), m_set("expect.X_distinct_rows", flip),
     "expect.X_distinct_rows"),
    ("nh k +1", kind("nguyen_hein"), m_set("expect.k", inc(1)), "expect.k"),
    ("nh certificate rank +1", lambda v: v["kind"] == "nguyen_hein" and "rank" in v.get("certificate", {}),
     m_set("certificate.rank", lambda r: str(int(r) + 1)), "certificate.rank"),
    # witness
    ("witness G_identity flipped", kind("witness"), m_set("expect.G_identity", flip), "expect.G_identity"),
    ("witness rank +1", kind("witness"), m_set("expect.rank", inc(1)), "expect.rank"),
    ("witness layer +1", kind("witness"), m_set("expect.layer", inc(1)), "expect.layer"),
    ("witness differentiable flipped", kind("witness"), m_set("expect.differentiable", flip),
     "expect.differentiable"),
    ("witness activations_match flipped", kind("witness"), m_set("expect.activations_match", flip),
     "expect.activations_match"),
    ("witness expect.witness slope changed", kind("witness"), witness_expect_slope, "expect.witness"),
    ("witness certificate activation changed", kind("witness"), witness_activation, "certificate"),
    ("witness certificate W1 zeroed (u = 0, G != I)", kind("witness"), witness_weight_zero_u, "certificate"),
    ("witness certificate X changed", kind("witness"), witness_X, "certificate"),
    ("witness certificate N +1", kind("witness"), m_set("certificate.N", inc(1)), "certificate"),
    ("witness certificate rank +1", kind("witness"), m_set("certificate.rank", inc(1)), "certificate"),
    ("witness certificate widths changed", kind("witness"), m_set("certificate.widths.0", inc(1)),
     "certificate.widths"),
    ("witness input N + 1", kind("witness"), m_set("input.N", inc(1)), "input.N"),
    ("witness input widths changed", kind("witness"), m_set("input.widths.1", inc(1)), "input.widths"),
    # mnn
    ("mnn loss + 1/7", kind("mnn"), m_set("expect.loss", inc(F(1, 7))), "expect.loss"),
    ("mnn error[0] + 1", kind("mnn"), m_set("expect.error.0", inc(1)), "expect.error"),
    ("mnn gradient entry changed", kind("mnn"), m_set("expect.gradient.0", inc(F(1, 3))), "expect.gradient"),
    ("mnn pattern sign flipped", kind("mnn"), mnn_pattern_flip, "expect.pattern"),
    ("mnn critical flipped", kind("mnn"), m_set("expect.critical", flip), "expect.critical"),
    ("mnn differentiable flipped", kind("mnn"), m_set("expect.differentiable", flip), "expect.differentiable"),
    ("mnn zero_preactivations changed", kind("mnn"), mnn_zero_add, "expect.zero_preactivations"),
    ("mnn rank_G[0] - 1", kind("mnn"), m_set("expect.rank_G.0", inc(-1)), "expect.rank_G"),
    ("mnn rank_G_all + 1", kind("mnn"), m_set("expect.rank_G_all", inc(1)), "expect.rank_G_all"),
    ("mnn trace_ELambda non-zero", kind("mnn"), m_set("expect.trace_ELambda", set_value("1/2")),
     "expect.trace_ELambda"),
    ("mnn rank_A1X.rank + 1", lambda v: v["kind"] == "mnn" and "rank_A1X" in v["expect"],
     m_set("expect.rank_A1X.rank", inc(1)), "expect.rank_A1X"),
    ("mnn rank_A1X.full_column_rank flipped", lambda v: v["kind"] == "mnn" and "rank_A1X" in v["expect"],
     m_set("expect.rank_A1X.full_column_rank", flip), "expect.rank_A1X"),
    ("mnn critical_tilde flipped", lambda v: v["kind"] == "mnn" and "critical_tilde" in v["expect"],
     m_set("expect.critical_tilde", flip), "expect.critical_tilde"),
    ("mnn lemma1 mse + 1", lambda v: v["kind"] == "mnn" and "lemma1_minimiser" in v["expect"],
     m_set("expect.lemma1_minimiser.mse", inc(1)), "expect.lemma1_minimiser"),
    ("mnn lemma1 W_tilde not a minimiser", lambda v: v["kind"] == "mnn" and "lemma1_minimiser" in v["expect"],
     mnn_wtilde, "expect.lemma1_minimiser"),
    ("mnn rank_A_Lminus1_o_V_Lminus2 - 1",
     lambda v: v["kind"] == "mnn" and "rank_A_Lminus1_o_V_Lminus2" in v["expect"],
     m_set("expect.rank_A_Lminus1_o_V_Lminus2.rank", inc(-1)), "expect.rank_A_Lminus1_o_V_Lminus2"),
    ("mnn certificate G_1 rank + 1", kind("mnn"), m_set("certificate.certificates.G_1.rank", inc(1)),
     "certificate.certificates.G_1"),
    ("mnn certificate G rank - 1", kind("mnn"), m_set("certificate.certificates.G.rank", inc(-1)),
     "certificate.certificates.G"),
    ("mnn certificate A1 o X rank + 1", lambda v: v["kind"] == "mnn" and "A1 o X" in v["certificate"]["certificates"],
     m_set("certificate.certificates.A1 o X.rank", inc(1)), "certificate.certificates.A1 o X"),
    # mnn_patterns
    ("patterns deficient + 1", lambda v: v["kind"] == "mnn_patterns" and "deficient" in v["expect"],
     m_set("expect.deficient", inc(1)), "expect.deficient"),
    ("patterns full_rank - 1", lambda v: v["kind"] == "mnn_patterns" and v["expect"].get("full_rank", 0) > 0,
     m_set("expect.full_rank", inc(-1)), "expect.full_rank"),
    ("patterns rank_counts moved", lambda v: v["kind"] == "mnn_patterns" and "rank_counts" in v["expect"],
     pat_rank_counts_move, "expect.rank_counts"),
    ("patterns min_rank + 1", lambda v: v["kind"] == "mnn_patterns" and "min_rank" in v["expect"],
     m_set("expect.min_rank", inc(1)), "expect.min_rank"),
    ("patterns patterns_checked doubled", lambda v: v["kind"] == "mnn_patterns" and "patterns_checked" in v["expect"],
     m_set("expect.patterns_checked", lambda x: 2 * x), "expect.patterns_checked"),
    ("patterns deficient_listed_all flipped",
     lambda v: v["kind"] == "mnn_patterns" and "deficient_listed_all" in v["expect"],
     m_set("expect.deficient_listed_all", flip), "expect.deficient_listed_all"),
    ("patterns deficient pattern rank + 1",
     lambda v: v["kind"] == "mnn_patterns" and v["expect"]["deficient_patterns"],
     m_set("expect.deficient_patterns.0.rank", inc(1)), "expect.deficient_patterns"),
    ("patterns deficient pattern listed twice",
     lambda v: v["kind"] == "mnn_patterns" and v["expect"]["deficient_patterns"],
     pat_duplicate, "expect.deficient_patterns"),
    ("patterns deficient pattern dropped (listed_all true)",
     lambda v: v["kind"] == "mnn_patterns" and v["expect"]["deficient_patterns"]
     and v["expect"].get("deficient_listed_all") is True,
     pat_drop_listed, "expect.deficient_listed_all"),
    ("patterns full-rank pattern listed as deficient",
     lambda v: v["kind"] == "mnn_patterns" and "deficient_listed_all" in v["expect"]
     and v["input"]["width"] * v["input"]["X"]["cols"] <= 8,
     pat_add_full_rank, "expect.deficient_patterns"),
    ("patterns mode changed", kind("mnn_patterns"), m_set("expect.mode", set_value("sampled")), "expect.mode"),
    ("patterns certificate member rank + 1",
     lambda v: v["kind"] == "mnn_patterns" and v["certificate"]["certificates"],
     m_set("certificate.certificates.0.rank", inc(1)), "certificate.certificates[0]"),
    ("patterns certificate member dropped under full_rank",
     lambda v: v["kind"] == "mnn_patterns" and v["certificate"]["certificates"] and "full_rank" in v["certificate"],
     pat_cert_drop, "certificate.full_rank"),
    # deep_linear
    ("deep-linear class global_min -> strict_saddle", cls_is("global_min"),
     m_set("expect.class", set_value("strict_saddle")), "expect.class"),
    ("deep-linear class strict_saddle -> global_min", cls_is("strict_saddle"),
     m_set("expect.class", set_value("global_min")), "expect.class"),
    ("deep-linear class strict_saddle -> bad_saddle", cls_is("strict_saddle"),
     m_set("expect.class", set_value("bad_saddle")), "expect.class"),
    ("deep-linear class bad_saddle -> global_min", cls_is("bad_saddle"),
     m_set("expect.class", set_value("global_min")), "expect.class"),
    ("deep-linear class bad_saddle -> local_max", cls_is("bad_saddle"),
     m_set("expect.class", set_value("local_max")), "expect.class"),
    ("deep-linear class global_min -> local_min_not_global", cls_is("global_min"),
     m_set("expect.class", set_value("local_min_not_global")), "expect.class"),
    ("deep-linear class not_critical -> global_min", cls_is("not_critical"),
     m_set("expect.class", set_value("global_min")), "expect.class"),
    ("deep-linear certificate class changed", cls_is("global_min"),
     m_set("certificate.class", set_value("not_critical")), "certificate.class"),
    ("deep-linear certificate critical flipped", lambda v: v["kind"] == "deep_linear" and "critical" in v["certificate"],
     m_set("certificate.critical", flip), "certificate.critical"),
    ("deep-linear certificate rank_WH_W2 + 1", kind("deep_linear"),
     m_set("certificate.rank_WH_W2.rank", inc(1)), "certificate.rank_WH_W2"),
    ("deep-linear loss + 1/7", kind("deep_linear"), m_set("expect.loss", inc(F(1, 7))), "expect.loss"),
    ("deep-linear critical flipped", kind("deep_linear"), m_set("expect.critical", flip), "expect.critical"),
    ("deep-linear inertia: positive/zero moved", cls_is("global_min"), inertia_move("zero", "positive"),
     "expect.hessian_inertia"),
    ("deep-linear inertia: negative moved", cls_is("strict_saddle"), inertia_move("positive", "negative"),
     "expect.hessian_inertia"),
    ("deep-linear rank_WH_W2 + 1", kind("deep_linear"), m_set("expect.rank_WH_W2", inc(1)), "expect.rank_WH_W2"),
    ("deep-linear p + 1", kind("deep_linear"), m_set("expect.p", inc(1)), "expect.p"),
    ("deep-linear hypotheses.hold flipped", kind("deep_linear"), m_set("expect.hypotheses.hold", flip),
     "expect.hypotheses"),
    ("deep-linear hypotheses.sigma_distinct_eigenvalues flipped", kind("deep_linear"),
     m_set("expect.hypotheses.sigma_distinct_eigenvalues", flip), "expect.hypotheses"),
    ("deep-linear hypotheses.XXt_full_rank flipped", kind("deep_linear"),
     m_set("expect.hypotheses.XXt_full_rank", flip), "expect.hypotheses"),
    ("deep-linear exact L* + 1", lambda v: v["kind"] == "deep_linear" and v["expect"]["global_min_value"]["exact"] is not None,
     m_set("expect.global_min_value.exact", inc(1)), "expect.global_min_value"),
    ("deep-linear enclosure shifted off L*", kind("deep_linear"), dl_enclosure_shift, "expect.global_min_value"),
    ("deep-linear q + 1", kind("deep_linear"), m_set("expect.global_min_value.q", inc(1)), "expect.global_min_value"),
    ("deep-linear trace_YYt + 1", kind("deep_linear"), m_set("expect.global_min_value.trace_YYt", inc(1)),
     "expect.global_min_value"),
    ("deep-linear sigma_charpoly[0] + 1", kind("deep_linear"),
     m_set("expect.global_min_value.sigma_charpoly.0", inc(1)), "expect.global_min_value"),
]

# an irrational L* (Sigma's characteristic polynomial x^2 - 7x + 1 is irreducible): the enclosure
# must be confirmed, and an enclosure shifted by 10^-30 refuted, by exact root refinement
IRRATIONAL = {
    "format": "lmo-vector/1", "kind": "deep_linear", "id": "truth-irrational", "source": "test_truth.py",
    "input": {"X": {"rows": 2, "cols": 2, "data": [[1, 0], [0, 1]]},
              "Y": {"rows": 2, "cols": 2, "data": [[1, 1], [1, 2]]},
              "weights": [{"rows": 1, "cols": 2, "data": [[0, 0]]}, {"rows": 2, "cols": 1, "data": [[0], [0]]}]},
    # L* = (7 - (7 + sqrt 45)/2)/2 = (7 - sqrt 45)/4 = 0.07294901687515772769...
    "expect": {"global_min_value": {"q": 1, "trace_YYt": 7, "sigma_charpoly": [1, -7, 1], "exact": None,
                                    "enclosure": ["729490168751577/10000000000000000",
                                                  "729490168751578/10000000000000000"]},
               "loss": "7/2", "critical": True, "p": 1},
}

# a bad saddle where Theorem 2.3's hypotheses fail (dy = 2 > dx = 1): only the re-expanded
# descent_curve (not a local minimum) and ascent_curve (not a local maximum) confirm the class
BAD_SADDLE_CURVES = json.loads(r'''{"format": "lmo-vector/1", "kind": "deep_linear", "id": "dl-hyp", "source": "test_truth.py (blessed by lmo bless; dy > dx, so only the curves decide)", "input": {"X": {"cols": 2, "data": [[1, 2]], "rows": 1}, "Y": {"cols": 2, "data": [[1, 3], [2, -1]], "rows": 2}, "weights": [{"cols": 1, "data": [[0]], "rows": 1}, {"cols": 1, "data": [[0]], "rows": 1}, {"cols": 1, "data": [[0], [0]], "rows": 2}]}, "expect": {"class": "bad_saddle", "critical": true, "global_min_value": {"enclosure": ["13/5", "13/5"], "exact": "13/5", "q": 1, "sigma_charpoly": [0, "-49/5", 1], "trace_YYt": 15}, "hessian_inertia": {"negative": 0, "positive": 0, "zero": 4}, "hypotheses": {"XXt_full_rank": true, "XYt_full_rank": true, "dy_le_dx": false, "hold": false, "sigma_distinct_eigenvalues": true}, "loss": "15/2", "p": 1, "rank_WH_W2": 0}, "certificate": {"format": "lmo-cert/1", "ascent_curve": {"D": [[-1, 1, 2, -2]], "loss_poly": ["15/2", 0, 0, 14, 0, 0, 20]}, "claim": "deep_linear", "class": "bad_saddle", "critical": true, "descent_curve": {"D": [[1, -1, -2, 2]], "loss_poly": ["15/2", 0, 0, -14, 0, 0, 20]}, "global_min_value": {"factor": ["-49/5", 1], "tau": 0}, "n_params": 4, "rank_WH_W2": {"format": "lmo-cert/1", "claim": "rank", "cols": 1, "kernel": {"free": [0], "vectors": [[1]]}, "minor": {"cols": [], "prime": "1642293967", "rows": []}, "rank": 0, "rows": 1, "vector": "dl-hyp"}, "theta_order": "vec(Wk^T) blocks, k = 1..H+1", "vector": "dl-hyp"}}''')


# kinds whose verdicts have no certificate and no lmo-check rule yet (none since issue 21)
NO_CERTIFICATE_YET = ()


def main():
    failures = []
    kinds_seen = set()
    files = corpus_files()
    if not files:
        print("test_truth: FAIL: no corpus vectors in %s" % CORPUS)
        return 1
    # 1. every original is TRUE: an UNDECIDED one would be a corpus pair the fuzzer's judge
    #    cannot judge, a hole in the soundness fuzzer, so it fails too
    # (a kind without an lmo-check certificate makes no claim the soundness fuzzer judges:
    #  not evaluated, and said so)
    uncertified = set()
    for path in files:
        v = CACHE.setdefault(path, json.load(open(path)))
        if v.get("kind") in NO_CERTIFICATE_YET:
            uncertified.add(v["kind"])
            continue
        st, mem, why = truth.evaluate(v, None)
        if st == "FALSE":
            failures.append("%s: original is FALSE: %s: %s" % (os.path.basename(path), mem, why))
        elif st == "UNDECIDED":
            failures.append("%s: original is UNDECIDED: %s: %s" % (os.path.basename(path), mem, why))
    if uncertified:
        print("test_truth: NOTE: not evaluated (no certificate yet): %s" % ", ".join(sorted(uncertified)))
    # 2. each mutation is FALSE, naming the mutated member
    for name, sel, mut, prefix in MUTATIONS:
        try:
            v, fname = first(sel)
            v = mut(v)
        except LookupError as e:
            failures.append("%s: no vector to mutate (%s)" % (name, e))
            continue
        st, mem, why = truth.evaluate(v, None)
        if st != "FALSE":
            failures.append("%s (%s): truth says %s: %s: %s" % (name, fname, st, mem, why))
        elif not mem.startswith(prefix):
            failures.append("%s (%s): FALSE but names %s (expected %s...): %s" % (name, fname, mem, prefix, why))
        else:
            kinds_seen.add(name)
            print("ok   FALSE  %-58s %s: %s" % (name, mem, why[:70]))
    # 3. the certificate passed separately ({"vector": V, "certificate": C} form) is the one used
    v, _ = first(kind("matrix_rank"))
    c = v.pop("certificate")
    if truth.evaluate(v, c)[0] != "TRUE":
        failures.append("separate certificate: original not TRUE")
    c2 = copy.deepcopy(c)
    c2["rank"] += 1
    if truth.evaluate(v, c2)[0] != "FALSE":
        failures.append("separate certificate: rank + 1 not FALSE")
    # 4. a stand-alone witness certificate
    v, _ = first(kind("witness"))
    wc = v["certificate"]
    if truth.evaluate(wc, None)[0] != "TRUE":
        failures.append("stand-alone witness certificate not TRUE")
    wc2 = witness_weight_zero_u({"certificate": copy.deepcopy(wc)})["certificate"]
    if truth.evaluate(wc2, None)[0] != "FALSE":
        failures.append("stand-alone witness certificate with W1 = 0 not FALSE")
    # 5. irrational L*
    st = truth.evaluate(copy.deepcopy(IRRATIONAL), None)
    if st[0] != "TRUE":
        failures.append("irrational L*: original enclosure not TRUE: %s" % (st,))
    bad = copy.deepcopy(IRRATIONAL)
    lo, hi = bad["expect"]["global_min_value"]["enclosure"]
    bad["expect"]["global_min_value"]["enclosure"] = [spell(num(hi) + F(1, 10 ** 30)), spell(num(hi) + F(1, 10 ** 29))]
    st = truth.evaluate(bad, None)
    if st[0] != "FALSE":
        failures.append("irrational L*: enclosure shifted by 1e-30 not FALSE: %s" % (st,))
    else:
        kinds_seen.add("irrational enclosure shifted")
    bad = copy.deepcopy(IRRATIONAL)
    bad["expect"]["global_min_value"]["exact"] = "7294901687515772769/100000000000000000000"
    st = truth.evaluate(bad, None)
    if st[0] != "FALSE":
        failures.append("irrational L*: a rational exact value not FALSE: %s" % (st,))
    else:
        kinds_seen.add("irrational exact claimed rational")
    # 5b. Soudry-Carmon Section 5: w = 0 with L >= 3 is differentiable although every u = 0
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "..", "checker", "fixtures", "mnn-w0-l3.json")) as fh:
        w0 = json.load(fh)
    st = truth.evaluate(copy.deepcopy(w0), None)
    if st[0] != "TRUE":
        failures.append("w = 0, L = 3: not TRUE: %s" % (st,))
    bad = copy.deepcopy(w0)
    bad["expect"]["differentiable"] = False
    st = truth.evaluate(bad, None)
    if st[0] != "FALSE":
        failures.append("w = 0, L = 3, claimed not differentiable: not FALSE: %s" % (st,))
    else:
        kinds_seen.add("w = 0 claimed not differentiable")
    # 5c. Section 6's plain ReLU (s = 0): the network's claims are still decided
    with open(os.path.join(here, "..", "checker", "fixtures", "mnn-relu-s0.json")) as fh:
        relu = json.load(fh)
    st = truth.evaluate(copy.deepcopy(relu), None)
    if st[0] != "TRUE":
        failures.append("s = 0: not TRUE: %s" % (st,))
    # 6. bad_saddle confirmed by the curves alone; without them UNDECIDED (never TRUE); a negated
    #    descent curve that ascends does not confirm it either
    bs = copy.deepcopy(BAD_SADDLE_CURVES)
    st = truth.evaluate(bs, None)
    if st[0] != "TRUE":
        failures.append("bad_saddle by curves: original not TRUE: %s" % (st,))
    for what, fn in (("ascent_curve removed", lambda c: c.pop("ascent_curve")),
                     ("descent_curve removed", lambda c: c.pop("descent_curve")),
                     ("descent_curve negated", lambda c: c["descent_curve"].update(
                         D=[[spell(-num(x)) for x in D] for D in c["descent_curve"]["D"]]))):
        bs = copy.deepcopy(BAD_SADDLE_CURVES)
        fn(bs["certificate"])
        st = truth.evaluate(bs, None)
        if st[0] != "UNDECIDED" or st[1] not in ("expect.class", "certificate.class"):
            failures.append("bad_saddle by curves, %s: expected UNDECIDED, got %s" % (what, st))
    bs = copy.deepcopy(BAD_SADDLE_CURVES)
    bs["expect"]["class"] = "global_min"
    st = truth.evaluate(bs, None)
    if st[0] != "FALSE":
        failures.append("bad_saddle by curves -> global_min: not FALSE: %s" % (st,))
    else:
        kinds_seen.add("bad_saddle (hypotheses fail) -> global_min")
    # 7. junk never raises, and is UNDECIDED
    for junk in (None, [], 3, "x", {"kind": "matrix_rank"}, {"kind": "matrix_rank", "input": {"M": 5}},
                 {"kind": "deep_linear", "input": {"X": {"rows": 1, "cols": 1, "data": [["1e999999999"]]}}}):
        st = truth.evaluate(junk, None)
        if st[0] != "UNDECIDED":
            failures.append("junk %r: %s" % (junk, st))
    # 8. the command line: one line per file, summary, exit 1 on a FALSE
    with tempfile.TemporaryDirectory() as tmp:
        good = os.path.join(tmp, "good.json")
        badf = os.path.join(tmp, "bad.json")
        pair = os.path.join(tmp, "pair.json")
        junkf = os.path.join(tmp, "junk.json")
        v, _ = first(kind("khatri_rao_rank"))
        json.dump(v, open(good, "w"))
        v2 = copy.deepcopy(v)
        v2["expect"]["rank"] += 1
        json.dump(v2, open(badf, "w"))
        c = v.pop("certificate")
        json.dump({"vector": v, "certificate": c}, open(pair, "w"))
        open(junkf, "w").write("{not json")
        cmd = [sys.executable, os.path.join(HERE, "truth.py"), "--jobs", "2", "--timeout", "60"]
        r = subprocess.run(cmd + [good, badf, pair, junkf], capture_output=True, text=True)
        lines = r.stdout.splitlines()
        if (r.returncode != 1 or len(lines) != 5 or lines[0] != "TRUE " + good
                or not lines[1].startswith("FALSE %s: expect.rank: " % badf) or lines[2] != "TRUE " + pair
                or not lines[3].startswith("UNDECIDED %s: " % junkf) or "Traceback" in r.stderr):
            failures.append("command line: exit %d, stdout %r, stderr %r" % (r.returncode, r.stdout, r.stderr[-300:]))
        r = subprocess.run(cmd + [good, pair], capture_output=True, text=True)
        if r.returncode != 0:
            failures.append("command line: all TRUE but exit %d" % r.returncode)
    print("test_truth: %d originals, %d FALSE kinds detected (%d corpus mutations + 3 hand-made cases)"
          % (len(files), len(kinds_seen), len(MUTATIONS)))
    for f in failures:
        print("FAIL " + f)
    if failures:
        print("test_truth: FAILED (%d)" % len(failures))
        return 1
    print("test_truth: PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
