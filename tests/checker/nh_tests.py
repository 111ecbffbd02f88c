#!/usr/bin/env python3
"""ctest driver for lmo-check's claim nguyen_hein (Nguyen-Hein 2017, rank [F_k, 1_N]).

usage: nh_tests.py PART LMO_CHECK LMO IV_PROBE WORKDIR
PART:
  accept     every nh-* corpus vector (embedded and separate), and certificates built here:
             F_k by a forward pass written from the paper in mpmath at 100 digits, the minor by
             complete pivoting there, R its inverse rounded to 2^-90 -- accepted; the numeric
             rank (mpmath SVD) must equal the corpus's rank_Fk1
  tamper     tamperings of the corpus's certificates and expect, each rejected with its exit
             code and diagnostic; an R tampering counts only where mpmath shows a row sum of
             |I - R M| >= 1
  structure  instances whose rank [F_k, 1_N] < N is proven only by the structural bound
             (duplicate units, duplicate rows, tanh's oddness), their rank known by
             construction and confirmed by mpmath's SVD; accepted, and rejected with a
             smaller or larger rank; an undecided rank (precision cap 2 bits) stays in report
  sigma      lmo-check's interval sigma (proofs/interval.c, via iv_probe) at 24, 53, 200 bits
             against mpmath at 300 digits: lo <= sigma(t) <= hi and hi - lo small; a shifted
             reference must fall outside (the comparison can fail)
Exit 77 without mpmath (python3-mpmath).
"""
import copy
import glob
import json
import os
import subprocess
import sys
from fractions import Fraction as Fr

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import checkrun as cr  # noqa: E402
import exact  # noqa: E402
from checkrun import FAILS, write, expect  # noqa: E402

try:
    import mpmath
    from mpmath import mp
except ImportError:
    print("SKIP: python3-mpmath is not installed")
    sys.exit(77)

sys.set_int_max_str_digits(0)   # R entries and probe endpoints can have many digits
SRC = os.environ.get("LMO_SRC", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
LMO = PROBE = None
mp.dps = 100


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def corpus():
    return sorted(glob.glob(os.path.join(SRC, "vectors", "corpus", "nh-*.json")))


def q(v):
    return exact.value(v)


def mpq(f):
    return mpmath.mpf(f.numerator) / f.denominator


# ---------------------------------------------------------------- the paper's network
def sigma(t, act, alpha):
    """Lemma 3.3: sigmoid 1/(1 + e^-t), tanh, softplus (1/alpha) log(1 + e^(alpha t))."""
    if act == "sigmoid":
        return 1 / (1 + mpmath.exp(-t))
    if act == "tanh":
        return mpmath.tanh(t)
    return mpmath.log1p(mpmath.exp(alpha * t)) / alpha


def k_of(inp):
    """input.k, else lmo's documented default: the first hidden n_k >= N - 1, else the widest."""
    if "k" in inp:
        return inp["k"]
    n = [inp["X"]["cols"]] + [w["cols"] for w in inp["weights"]]
    L, N, k = len(inp["weights"]), inp["X"]["rows"], 1
    for l in range(1, L):
        if n[l] > n[k]:
            k = l
    for l in range(L - 1, 0, -1):
        if n[l] >= N - 1:
            k = l
    return k


def digits(inp):
    """Working digits: saturated units differ from their limit by about e^-|t|, so 100 digits
    plus twice the largest |pre-activation| (a bound from the exact parameters) in digits."""
    act, big = inp["activation"], Fr(0)
    B = [max(abs(q(x)) for x in row) for row in inp["X"]["data"]]
    prev = max(B)
    for l in range(k_of(inp)):
        W, b = inp["weights"][l]["data"], inp["biases"][l]
        t = max(sum(abs(q(W[c][j])) for c in range(len(W))) * prev + abs(q(b[j])) for j in range(len(b)))
        big = max(big, t)
        prev = 1 if act != "softplus" else t + 1
    return 100 + 4 * int(big / Fr(23, 10) + 1)   # tanh: 1 - tanh(t) ~ 2 e^-2t


def E_matrix(inp):
    """[F_k, 1_N] in mpmath: F_1 = sigma(X W_1 + 1 b_1^T), F_l = sigma(F_{l-1} W_l + 1 b_l^T)."""
    mp.dps = digits(inp)
    act = inp["activation"]
    alpha = mpq(q(inp["alpha"])) if act == "softplus" else None
    F = [[mpq(q(x)) for x in row] for row in inp["X"]["data"]]
    for l in range(k_of(inp)):
        W = [[mpq(q(x)) for x in row] for row in inp["weights"][l]["data"]]
        b = [mpq(q(x)) for x in inp["biases"][l]]
        F = [[sigma(mpmath.fsum(f[c] * W[c][j] for c in range(len(f))) + b[j], act, alpha)
              for j in range(len(b))] for f in F]
    return [row + [mpmath.mpf(1)] for row in F]


def numeric_rank(E):
    s = mpmath.svd_r(mpmath.matrix(E), compute_uv=False)   # at E_matrix's digits
    return sum(1 for x in s if x > mpmath.mpf(10) ** -(3 * mp.dps // 4))


def pivot_minor(E, r):
    """rows, cols of r steps of complete pivoting, and R = M^-1 (its mpf entries, exact dyadics)."""
    A = [row[:] for row in E]
    rows, cols = list(range(len(A))), list(range(len(A[0])))
    for s in range(r):
        i, j = max(((i, j) for i in range(s, len(A)) for j in range(s, len(A[0]))),
                   key=lambda ij: abs(A[rows[ij[0]]][cols[ij[1]]]))
        rows[s], rows[i] = rows[i], rows[s]
        cols[s], cols[j] = cols[j], cols[s]
        p = A[rows[s]][cols[s]]
        for i2 in range(s + 1, len(A)):
            f = A[rows[i2]][cols[s]] / p
            for j2 in range(s, len(A[0])):
                A[rows[i2]][cols[j2]] -= f * A[rows[s]][cols[j2]]
    ri, ci = sorted(rows[:r]), sorted(cols[:r])
    Minv = mpmath.inverse(mpmath.matrix([[E[i][j] for j in ci] for i in ri]))
    R = [[str((-1 if Minv[i, j] < 0 else 1) * Fr(int(Minv[i, j].man)) * Fr(2) ** int(Minv[i, j].exp))
          for j in range(r)] for i in range(r)]
    return ri, ci, R


def max_row_sum(inp, cert):
    """max_i sum_j |(I - R M)_ij| in mpmath (100 digits) for the certificate's minor and R."""
    E, mi = E_matrix(inp), cert["minor"]
    R = [[mpq(q(x)) for x in row] for row in mi["inverse"]["data"]]
    r = len(mi["rows"])
    return max(mpmath.fsum(abs((i == j) - mpmath.fsum(R[i][p] * E[mi["rows"][p]][mi["cols"][j]]
                                                      for p in range(r))) for j in range(r))
               for i in range(r))


# ---------------------------------------------------------------- parts
def part_accept():
    for p in corpus():
        v = load(p)
        expect("corpus " + os.path.basename(p), [p], 0, "nguyen_hein rank [F_")
        c = v.pop("certificate")
        expect("corpus %s (separate)" % os.path.basename(p),
               [write(os.path.basename(p) + ".c.json", c), write(os.path.basename(p), v)], 0)
        # a certificate made here, from the paper's forward pass alone
        E = E_matrix(v["input"])
        r = numeric_rank(E)
        if r != v["expect"].get("rank_Fk1"):
            FAILS.append("%s: mpmath's rank %d, expect.rank_Fk1 %s" % (p, r, v["expect"].get("rank_Fk1")))
            continue
        ri, ci, R = pivot_minor(E, r)
        own = {"format": "lmo-cert/1", "claim": "nguyen_hein", "vector": v["id"], "rank": r,
               "minor": {"precision": min(4096, 64 + 4 * mp.dps), "rows": ri, "cols": ci,
                         "inverse": {"rows": r, "cols": r, "data": R}}}
        v["certificate"] = own
        expect("python-built certificate " + os.path.basename(p),
               [write("own-" + os.path.basename(p), v)], 0, "= %d proven" % r)
    return cr.finish("checker.nh_accept", 70)


def tampers(v):
    """(name, fn(vec, cert) -> applied?, exit code, diagnostic)."""
    r = v["certificate"]["rank"]

    def rank_to(d):
        def f(vec, c):
            c["rank"] = r + d
            vec["expect"]["rank_Fk1"] = r + d
            return True
        return f

    def setp(path, val, doc="c"):
        def f(vec, c):
            o = c if doc == "c" else vec
            for k in path[:-1]:
                o = o[k]
            o[path[-1]] = val(o[path[-1]]) if callable(val) else val
            return True
        return f

    def dup_index(key):
        def f(vec, c):
            ix = c["minor"][key]
            if len(ix) < 2:
                return False
            ix[1] = ix[0]
            return True
        return f

    def drop(path):
        def f(vec, c):
            o = c
            for k in path[:-1]:
                o = o[k]
            del o[path[-1]]
            return True
        return f

    def wfull(field, val):
        def f(vec, c):
            w = vec["expect"]["W_full_column_rank"]
            if not w:
                return False
            w[0][field] = val(w[0][field])
            return True
        return f

    big = "%d" % (3 ** 90000)   # beyond LMO_MAX_BITS = 2^17 bits
    return [
        ("rank r+1", rank_to(1), 1, "so rank >= %d is false" % (r + 1)),
        ("rank r-1", rank_to(-1), 1, "so rank <= %d is unproven" % (r - 1)),
        ("minor rows repeat", dup_index("rows"), 1, "minor.rows repeats index"),
        ("minor cols repeat", dup_index("cols"), 1, "minor.cols repeats index"),
        ("minor row out of range", setp(["minor", "rows", 0], 10 ** 6), 1, "minor.rows[0]"),
        ("R entry +1000", setp(["minor", "inverse", "data", 0, 0], lambda x: str(q(x) + 1000)),
         1, "of |I - R M| sums to"),
        ("R entry negated", setp(["minor", "inverse", "data", 0, 0], lambda x: str(-q(x))),
         1, "of |I - R M| sums to"),
        ("R entry huge", setp(["minor", "inverse", "data", 0, 0], "1e5000"), 1,
         "of |I - R M| sums to"),
        ("R entry beyond the bit cap", setp(["minor", "inverse", "data", 0, 0], big), 3,
         "inverse.data[0][0]"),
        ("R entry not a number", setp(["minor", "inverse", "data", 0, 0], "abc"), 2,
         "inverse.data[0][0]"),
        ("R entry a boolean", setp(["minor", "inverse", "data", 0, 0], True), 2,
         "inverse.data[0][0]"),
        ("R wrong shape", setp(["minor", "inverse", "rows"], r + 1), 1, "minor.inverse is"),
        ("P = 0", setp(["minor", "precision"], 0), 2, "minor.precision"),
        ("P = -64", setp(["minor", "precision"], -64), 2, "minor.precision"),
        ("P over the cap", setp(["minor", "precision"], 4097), 3, "exceed the cap of 4096"),
        ("P a string", setp(["minor", "precision"], "64"), 2, "minor.precision"),
        ("no minor", drop(["minor"]), 1, "rank >= %d is unproven" % r),
        ("no rank", drop(["rank"]), 1, "minor without"),
        ("unknown member of the certificate", setp(["extra"], 1), 1, "extra: not verifiable"),
        ("unknown member of the minor", setp(["minor", "det"], "1"), 1, "det: not verifiable"),
        ("unknown member of expect", setp(["expect", "rank_F1"], 3, "v"), 1,
         "expect.rank_F1: not verifiable"),
        ("unknown member of input", setp(["input", "gamma"], 1, "v"), 1,
         "input.gamma: not verifiable"),
        ("expect.rank_Fk1 null", setp(["expect", "rank_Fk1"], None, "v"), 1,
         "null (undecided) is not a claim"),
        ("expect.rank_Fk1 off by one", setp(["expect", "rank_Fk1"], r - 1, "v"), 1,
         "expect.rank_Fk1 is %d, but the checker proves %d" % (r - 1, r)),
        ("expect.rank_X1 +1", setp(["expect", "rank_X1"], lambda x: x + 1, "v"), 1,
         "expect.rank_X1 is"),
        ("expect.X_distinct_rows false", setp(["expect", "X_distinct_rows"], False, "v"), 1,
         "expect.X_distinct_rows is false"),
        ("expect.k changed", setp(["expect", "k"], lambda x: x + 1, "v"), 1, "expect.k is"),
        ("W_full_column_rank rank", wfull("rank", lambda x: x - 1), 1,
         "W_full_column_rank[0].rank is"),
        ("W_full_column_rank full", wfull("full", lambda x: not x), 1,
         "W_full_column_rank[0].full is"),
        ("W_full_column_rank extra layer",
         setp(["expect", "W_full_column_rank"], lambda w: w + [{"layer": 9, "rank": 1, "cols": 1,
                                                                "full": True}], "v"),
         1, "W_full_column_rank has"),
        ("activation changed", setp(["input", "activation"],
                                    lambda a: "tanh" if a != "tanh" else "sigmoid", "v"),
         1, None),
    ]


def part_tamper():
    applied = {}
    for p in corpus():
        v = load(p)
        for name, fn, code, msg in tampers(v):
            if applied.get(name, 0) >= 3:
                continue
            t = copy.deepcopy(v)
            if not fn(t, t["certificate"]):
                continue
            if name.startswith("R entry") and code == 1 and max_row_sum(t["input"], t["certificate"]) < 1:
                continue  # not a tampering that breaks the certificate
            if name == "activation changed":  # counted only where the paper's network disagrees
                if v["input"]["activation"] == "softplus":
                    continue
                if numeric_rank(E_matrix(t["input"])) == v["certificate"]["rank"] and \
                        max_row_sum(t["input"], t["certificate"]) < 1:
                    continue
                code, msg = 1, ""
            applied[name] = applied.get(name, 0) + 1
            expect("%s on %s" % (name, os.path.basename(p)),
                   [write("t-%s-%d.json" % (name.replace(" ", "_"), applied[name]), t)], code,
                   msg=msg or None)
    # a singular minor: two identical units (nh-duplicate-units) both chosen as columns
    n = 0
    for p in [p for p in corpus() if "duplicate-units" in p]:
        v = load(p)
        E, c = E_matrix(v["input"]), v["certificate"]
        cols = c["minor"]["cols"]
        for j in range(len(E[0]) - 1):
            twin = [i for i in cols if i != j and all(E[s][i] == E[s][j] for s in range(len(E)))]
            if j not in cols and twin and len([i for i in cols if i not in twin]) > 0:
                t = copy.deepcopy(v)
                other = [i for i in cols if i not in twin][0]
                t["certificate"]["minor"]["cols"] = sorted([i for i in cols if i != other] + [j])
                n += 1
                expect("singular minor (identical columns) on " + os.path.basename(p),
                       [write("t-singular-%d.json" % n, t)], 1, "of |I - R M| sums to")
                break
    if not n:
        FAILS.append("no duplicate-units vector gave a singular minor")
    missing = [name for name, *_ in tampers(load(corpus()[0])) if name not in applied]
    if missing:
        FAILS.append("tamper kinds never applied: %s" % missing)
    return cr.finish("checker.nh_tamper (%d kinds)" % len(applied), 60)


def m(rows):
    return {"rows": len(rows), "cols": len(rows[0]), "data": rows}


STRUCTURE = {
    # two identical units (columns 0 and 2 of W_1, equal biases): 3 distinct units + 1_N
    "dup-units": {"activation": "sigmoid", "X": m([[0, 1], [1, 0], [2, 1], ["1/2", -1], [3, 3], [-2, 1]]),
                  "Y": m([[0]] * 6), "weights": [m([[1, 2, 1, -1], ["1/3", -1, "1/3", 2]]), m([[1], [1], [1], [1]])],
                  "biases": [["1/2", 0, "1/2", 1], [0]], "k": 1, "want": 4},
    # rows 0 and 3 of X W_1 + 1 b_1^T equal (W_1 maps x_0 - x_3 to 0): 4 distinct rows
    "dup-rows": {"activation": "tanh", "X": m([[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 1], [2, -1, 1]]),
                 "Y": m([[0]] * 5), "weights": [m([[1, 2, "1/2", 1, -1, 0], [1, -1, 1, 0, 2, 1], [-1, 1, -1, 0, -2, -1]]),
                                                m([[1]] * 6)],
                 "biases": [[0, "1/3", 1, -1, "1/2", 2], [0]], "k": 1, "want": 4},
    # tanh, zero biases above layer 1, x and -x: rows (f, 1), (-f, 1), (0, 1) span P + 1 = 3
    "tanh-pairs": {"activation": "tanh", "X": m([[1, 0], [-1, 0], [0, 1], [0, -1], [0, 0]]),
                   "Y": m([[0]] * 5), "weights": [m([[1, "1/2", -1, 2], ["1/3", 1, 1, -1]]), m([[1, -1, 2, 1], [0, 1, 1, -2],
                                                  ["1/2", 0, -1, 1], [1, 1, 0, 0]]), m([[1]] * 4)],
                   "biases": [[0, 0, 0, 0], [0, 0, 0, 0], [0]], "k": 2, "want": 3},
}


def part_structure():
    for name, spec in STRUCTURE.items():
        inp = {k: val for k, val in spec.items() if k != "want"}
        E = E_matrix(inp)
        r = numeric_rank(E)
        if r != spec["want"] or r >= len(E):
            FAILS.append("%s: mpmath's rank %d, the construction says %d < N" % (name, r, spec["want"]))
        path = write(name + ".json", {"format": "lmo-vector/1", "kind": "nguyen_hein", "id": name,
                                      "source": "tests/checker/nh_tests.py: " + name, "input": inp})
        p = subprocess.run([LMO, "bless", "--quiet", path], capture_output=True, text=True)
        if p.returncode:
            FAILS.append("lmo bless %s: %s" % (name, p.stderr[:300]))
            continue
        v = load(path)
        if v["expect"].get("rank_Fk1") != spec["want"]:
            FAILS.append("%s: lmo's expect.rank_Fk1 = %s, want %d" % (name, v["expect"].get("rank_Fk1"), spec["want"]))
        expect(name + " accepted", [path], 0, "= %d proven" % spec["want"])
        for d, msg in ((-1, "is unproven"), (1, "is false")):
            t = copy.deepcopy(v)
            t["certificate"]["rank"] += d
            t["expect"]["rank_Fk1"] = t["certificate"]["rank"]
            expect("%s with rank %+d" % (name, d), [write("%s%+d.json" % (name, d), t)], 1,
                   "the structural bound is %d" % spec["want"], msg)
    # undecided: a 2-bit precision cap cannot locate a proof; rank_Fk1 goes to report
    inp = {k: val for k, val in STRUCTURE["dup-units"].items() if k != "want"}
    inp["X"] = m([[0, 1], [1, 0], [2, 1], ["1/2", -1], [3, 3], [-2, 1]])
    path = write("undecided.json", {"format": "lmo-vector/1", "kind": "nguyen_hein",
                                    "id": "undecided", "source": "nh_tests.py", "input": inp})
    env = dict(os.environ, LMO_NH_MAX_PREC="2")
    p = subprocess.run([LMO, "bless", "--quiet", path], capture_output=True, text=True, env=env)
    v = load(path)
    if p.returncode or "rank_Fk1" in v.get("expect", {}) or v.get("report", {}).get("rank_Fk1", 0) is not None \
            or "rank" in v.get("certificate", {}):
        FAILS.append("undecided at 2 bits: expect %s, report.rank_Fk1 %s, certificate %s" % (
            v.get("expect"), v.get("report", {}).get("rank_Fk1"), v.get("certificate")))
    else:
        expect("undecided: the other members verified", [path], 0, "no rank [F_k, 1_N] claimed")
        v["expect"]["rank_Fk1"] = None
        expect("undecided with a null claim", [write("undecided-null.json", v)], 1,
               "expect.rank_Fk1: null (undecided) is not a claim")
        v["expect"]["rank_Fk1"] = 4
        expect("undecided with a rank claim", [write("undecided-4.json", v)], 1,
               "expect.rank_Fk1: not verifiable (the certificate proves no rank)")
    return cr.finish("checker.nh_structure", 12)


def part_sigma():
    mp.dps = 300
    pts = ["-1000000", "-1000", "-50", "-3/2", "-1/3", "0", "1/7", "2", "30", "1000", "1000000",
           "123456789/1000"]
    checked = 0
    for prec in (24, 53, 200):
        for act, alpha in ((0, "1"), (1, "1"), (2, "1/2"), (2, "3")):
            p = subprocess.run([PROBE, str(prec), str(act), alpha] + pts, capture_output=True,
                               text=True)
            if p.returncode:
                FAILS.append("iv_probe %d %d: exit %d" % (prec, act, p.returncode))
                continue
            name = ["sigmoid", "tanh", "softplus"][act]
            for t, line in zip(pts, p.stdout.split("\n")):
                z = line.split()
                lo, hi = [mpmath.mpf(z[i]) if "inf" in z[i] else
                          mpmath.ldexp(mpmath.mpf(int(z[i])), int(z[i + 1])) for i in (0, 2)]
                true = sigma(mpq(Fr(t)), name, mpq(Fr(alpha)))
                checked += 1
                tol = mpmath.mpf(2) ** (4 - prec) * max(1, abs(true))
                if not lo <= true <= hi:
                    FAILS.append("%s(%s) at %d bits: %s not in [%s, %s]" % (name, t, prec, true, lo, hi))
                if hi - lo > tol:
                    FAILS.append("%s(%s) at %d bits: width %s > %s" % (name, t, prec, hi - lo, tol))
                # the comparison can fail: a reference shifted by 16 ulps is outside
                off = mpmath.mpf(2) ** (4 - prec) * max(mpmath.mpf(2) ** -prec, abs(true))
                if lo <= true + off <= hi and lo <= true - off <= hi:
                    FAILS.append("%s(%s) at %d bits: both shifted references inside" % (name, t, prec))
    print("sigma: %d enclosures checked against mpmath at 300 digits" % checked)
    cr.RUNS[0] += checked
    return cr.finish("checker.nh_sigma", 3 * 4 * len(pts))


def main():
    global LMO, PROBE
    if len(sys.argv) != 6:
        print(__doc__)
        return 2
    part, check, LMO, PROBE, work = sys.argv[1:]
    cr.setup(check, work)
    return {"accept": part_accept, "tamper": part_tamper, "structure": part_structure,
            "sigma": part_sigma}[part]()


if __name__ == "__main__":
    sys.exit(main())
