#!/usr/bin/env python3
"""ctest driver for lmo-check's claim "khk" (Kawaguchi, Huang & Kaelbling 2019; label checker).

usage: khk_cert_tests.py LMO_CHECK LMO WORKDIR

Genuine certificates come from lmo (lmo gen of the four khk families, lmo khk --cert) and
must be accepted, also as CERT VECTOR. Independent certificates are built here from
tests/khk/khk_ref.py (fractions, written from the paper, not from lmo's C code): the path
matrix by path enumeration and least-squares coefficients from the normal equations with
every free variable set to 1 -- a different c than lmo's wherever A is rank-deficient, which
lmo-check must accept too (lsq_residual_unique). Every tampering is counted only where the
reference shows the tampered claim false or the tampered certificate invalid, and must then
be rejected with exit 1 naming the member.
"""
import copy
import json
import glob
import os
import random
import subprocess
import sys
from fractions import Fraction as F

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "lib"))
sys.path.insert(0, os.path.join(HERE, "..", "khk"))
import checkrun as cr  # noqa: E402
from checkrun import FAILS, write, expect  # noqa: E402
import exact  # noqa: E402
import khk_ref  # noqa: E402


def q(x):
    x = F(x)
    return int(x) if x.denominator == 1 else str(x)


def columns(ref):
    """The path matrix A as a list of columns, blocks in (4.2)'s order."""
    return [c for _, cols in ref["blocks"] for c in cols]


def prefixes(ref):
    """The column count at the end of each block."""
    out, n = [], 0
    for _, cols in ref["blocks"]:
        n += len(cols)
        out.append(n)
    return out


def solve_free_one(M, b):
    """A solution of M x = b (M square, consistent) by Gauss-Jordan, free variables = 1."""
    n = len(M)
    R = [list(M[i]) + [b[i]] for i in range(n)]
    piv, r = [], 0
    for j in range(n):
        p = next((i for i in range(r, n) if R[i][j] != 0), None)
        if p is None:
            continue
        R[r], R[p] = R[p], R[r]
        R[r] = [v / R[r][j] for v in R[r]]
        for i in range(n):
            if i != r and R[i][j] != 0:
                R[i] = [a - R[i][j] * c for a, c in zip(R[i], R[r])]
        piv.append(j)
        r += 1
    x = [F(1)] * n
    for i, j in enumerate(piv):  # x_j = rhs - sum over free k of R[i][k] * 1
        x[j] = R[i][n] - sum((R[i][k] for k in range(n) if k not in piv), F(0))
    return x


def normal_ok(cols, y, c):
    """A^T (y - A c) = 0 for the columns COLS."""
    r = [yi - sum((c[j] * cols[j][i] for j in range(len(cols))), F(0)) for i, yi in enumerate(y)]
    return all(khk_ref.dot(col, r) == 0 for col in cols)


def own_projection(ref):
    A, y, out = columns(ref), ref["vecY"], []
    for p in prefixes(ref):
        cols = A[:p]
        M = [[khk_ref.dot(a, b) for b in cols] for a in cols]
        c = solve_free_one(M, [khk_ref.dot(a, y) for a in cols])
        if not normal_ok(cols, y, c):
            FAILS.append("the test's own least-squares solution is wrong")
        out.append([q(x) for x in c])
    return out


def reference_of(v):
    return khk_ref.reference(v["input"])


APPLIED = {}


def tamper(v, name, fn, valid, *msgs):
    """Apply FN to a copy of V; count it where VALID(copy) is False (the reference says the
    tampered vector/certificate is wrong), and require exit 1 with MSGS."""
    t = copy.deepcopy(v)
    if not fn(t) or valid(t):
        return
    APPLIED[name] = APPLIED.get(name, 0) + 1
    k = sum(APPLIED.values())
    expect("%s on %s" % (name, v["id"]), [write("t%d.json" % k, t)], 1, *msgs)


def expect_tampers(v, ref):
    e = v["expect"]
    rnd = random.Random(v["id"])

    def claim_is(key, val):  # the reference's truth for a member of expect
        r = ref[key]
        if key in ("loss", "J", "loss_minus_J"):
            return exact.value(val) == r
        if key == "terms":
            return [[exact.value(x) for x in row] for row in val] == r
        if key == "patterns":
            return [khk_ref.mat(p) for p in val] == r
        return val == r

    def setter(key, f):
        def fn(t):
            if key not in t["expect"]:
                return False
            t["expect"][key] = f(copy.deepcopy(t["expect"][key]))
            return True
        return fn

    def valid(key):
        return lambda t: claim_is(key, t["expect"][key])

    plus = lambda x: q(exact.value(x) + F(1, 3))  # noqa: E731
    for key in ("loss", "J", "loss_minus_J"):
        tamper(v, key + "+1/3", setter(key, plus), valid(key), "expect." + key)
    tamper(v, "path_rank+1", setter("path_rank", lambda r: r + 1), valid("path_rank"),
           "expect.path_rank")
    tamper(v, "path_rank-1", setter("path_rank", lambda r: r - 1), valid("path_rank"),
           "expect.path_rank")
    tamper(v, "differentiable flipped", setter("differentiable", lambda b: not b),
           valid("differentiable"), "expect.differentiable")

    def crit(c):
        return (not c) if c is not None else True
    tamper(v, "critical flipped", setter("critical", crit), valid("critical"), "expect.critical")
    tamper(v, "kink moved", setter("kink", lambda k: {"layer": 1, "unit": 1, "sample": 1}
                                   if k is None else dict(k, sample=k["sample"] % 9 + 1)),
           valid("kink"), "expect.kink")

    def term(ts):
        row = rnd.randrange(len(ts))
        i = rnd.randrange(len(ts[row]))
        ts[row][i] = plus(ts[row][i])
        return ts
    tamper(v, "a term +1/3", setter("terms", term), valid("terms"), "expect.terms")

    def two_terms_swapped(ts):  # the sum (so J) unchanged: only the per-block rule catches it
        flat = [(r, i) for r in range(len(ts)) for i in range(len(ts[r]))]
        (r1, i1), (r2, i2) = flat[0], flat[-1]
        ts[r1][i1], ts[r2][i2] = ts[r2][i2], ts[r1][i1]
        return ts
    tamper(v, "two terms swapped", setter("terms", two_terms_swapped), valid("terms"),
           "expect.terms")

    def pattern(ps):
        M = ps[rnd.randrange(len(ps))]
        row = M["data"][rnd.randrange(M["rows"])]
        j = rnd.randrange(M["cols"])
        row[j] = q(exact.value(row[j]) + 1)
        return ps
    tamper(v, "a Lambda entry +1", setter("patterns", pattern), valid("patterns"),
           "expect.patterns")

    def unit_added(ws):
        H = len(ws["sets"])
        for l in range(H):
            missing = [k for k in range(1, len(ref["patterns"][l][0]) + 1) if k not in ws["sets"][l]]
            if missing:
                ws["sets"][l] = sorted(ws["sets"][l] + missing[:1])
                return ws
        ws["sets"][0] = ws["sets"][0][1:]
        return ws
    tamper(v, "Definition 1 set changed", setter("weakly_separated", unit_added),
           valid("weakly_separated"), "expect.weakly_separated")
    tamper(v, "n_max+1", setter("weakly_separated", lambda ws: dict(ws, n_max=[n + 1 for n in ws["n_max"]])),
           valid("weakly_separated"), "expect.weakly_separated")
    # a member lmo-check has no rule for (lmo's finding, in report) put back into expect
    tamper(v, "report member in expect", lambda t: t["expect"].setdefault("prop2", 1) == 1,
           lambda t: False, "expect.prop2: not verifiable")


def cert_tampers(v, ref):
    A, y, ends = columns(ref), ref["vecY"], prefixes(ref)
    rnd = random.Random("c" + v["id"])

    def proj_valid(t):
        P = t["certificate"]["projection"]
        if len(P) != len(ends):
            return False
        return all(len(c) == p and normal_ok(A[:p], y, [exact.value(x) for x in c])
                   for c, p in zip(P, ends))

    def entry(t):
        P = t["certificate"]["projection"]
        b = rnd.randrange(len(P))
        i = rnd.randrange(len(P[b]))
        P[b][i] = q(exact.value(P[b][i]) + F(1, 2))
        return True
    tamper(v, "projection entry +1/2", entry, proj_valid, "certificate.projection[")

    def dropped(t):
        t["certificate"]["projection"].pop()
        return True
    tamper(v, "projection vector dropped", dropped, proj_valid, "certificate.projection")

    def no_proj(t):  # then J, terms, loss_minus_J are not verifiable
        return t["certificate"].pop("projection", None) is not None
    tamper(v, "projection part removed", no_proj, lambda t: False,
           "not verifiable without the certificate part projection")

    def no_rank(t):
        return t["certificate"].pop("path_rank", None) is not None
    tamper(v, "path_rank part removed", no_rank, lambda t: False,
           "not verifiable without the certificate part path_rank")

    def rank_claim(t):
        t["certificate"]["path_rank"]["rank"] += 1
        return True
    tamper(v, "path_rank certificate rank+1", rank_claim, lambda t: False, "certificate.path_rank")

    def n_params(t):
        t["certificate"]["n_params"] += 1
        return True
    tamper(v, "n_params+1", n_params, lambda t: False, "certificate.n_params")

    def order(t):
        t["certificate"]["theta_order"] = "vec(W(l)^T), l = 1..H+1"
        return True
    tamper(v, "theta_order", order, lambda t: False, "certificate.theta_order")

    def unknown(t):
        t["certificate"]["J"] = t["expect"].get("J", 0)
        return True
    tamper(v, "unknown certificate member", unknown, lambda t: False,
           "certificate.J: not verifiable")

    def y_moved(t):  # the vector's data changed under the certificate
        row = t["input"]["Y"]["data"][0]
        row[0] = q(exact.value(row[0]) + 1)
        return True
    tamper(v, "Y entry +1", y_moved, lambda t: proj_valid(t) and reference_of(t)["J"] ==
           exact.value(t["expect"]["J"]) and reference_of(t)["loss"] == exact.value(t["expect"]["loss"]),
           "")


def main():
    if len(sys.argv) != 4:
        print(__doc__)
        return 2
    check, lmo, work = sys.argv[1:]
    cr.setup(check, work)
    out = os.path.join(cr.WORK, "gen")
    for fam in ("khk-critical", "khk-random", "khk-kink", "khk-separated"):
        p = subprocess.run([lmo, "gen", fam, "--seed", "7", "--count", "3", "--out", out],
                           capture_output=True, text=True, timeout=600)
        if p.returncode:
            FAILS.append("lmo gen %s: exit %d %s" % (fam, p.returncode, p.stderr[:300]))
    vecs = sorted(glob.glob(os.path.join(out, "*.json")))
    if len(vecs) != 12:
        FAILS.append("expected 12 generated khk vectors, got %d" % len(vecs))
    kinds = {"kink": 0, "critical": 0, "rank_deficient": 0}
    for path in vecs:
        v = json.load(open(path))
        ref = reference_of(v)
        # lmo's own certificate: accepted, embedded and as CERT VECTOR
        expect("lmo's certificate " + v["id"], [path], 0, "khk")
        c = copy.deepcopy(v)
        cert = c.pop("certificate")
        expect("lmo's certificate (separate) " + v["id"],
               [write(v["id"] + ".c.json", cert), write(v["id"] + ".v.json", c)], 0)
        # the expect lmo wrote is the reference's truth
        for key in ("differentiable", "kink", "critical", "path_rank", "weakly_separated"):
            if v["expect"].get(key) != ref[key]:
                FAILS.append("%s: expect.%s is %r, the reference says %r" % (v["id"], key,
                             v["expect"].get(key), ref[key]))
        for key in ("loss", "J", "loss_minus_J"):
            if exact.value(v["expect"][key]) != ref[key]:
                FAILS.append("%s: expect.%s differs from the reference" % (v["id"], key))
        # an independent certificate: the test's own least-squares coefficients
        mine = copy.deepcopy(v)
        mine["certificate"]["projection"] = own_projection(ref)
        expect("independent projection " + v["id"], [write(v["id"] + ".own.json", mine)], 0)
        kinds["kink"] += not ref["differentiable"]
        kinds["critical"] += bool(ref["critical"])
        kinds["rank_deficient"] += ref["path_rank"] < len(columns(ref))
        expect_tampers(v, ref)
        cert_tampers(v, ref)
    # lmo khk --cert writes the same certificate the vector embeds
    if vecs:
        v = json.load(open(vecs[0]))
        c = os.path.join(cr.WORK, "khk.cert.json")
        plain = copy.deepcopy(v)
        plain.pop("certificate")
        p = subprocess.run([lmo, "khk", write("plain.json", plain), "--cert", c],
                           capture_output=True, text=True, timeout=600)
        if p.returncode != 0:
            FAILS.append("lmo khk --cert: exit %d %s" % (p.returncode, p.stderr[:300]))
        else:
            expect("lmo khk --cert", [c, write("plain2.json", plain)], 0)
    # a certificate of the other new claim is refused by the kind it is about (exit 2)
    nh = sorted(glob.glob(os.path.join(os.environ.get("LMO_SRC", os.path.join(HERE, "..", "..")),
                                       "vectors", "corpus", "nh-random-*.json")))
    if vecs and nh:
        kv, nv = json.load(open(vecs[0])), json.load(open(nh[0]))
        kv["certificate"], nv["certificate"] = nv["certificate"], kv["certificate"]
        for v in (kv, nv):
            v["certificate"]["vector"] = v["id"]
            expect("a %s certificate on a %s vector" % (v["certificate"]["claim"], v["kind"]),
                   [write(v["id"] + ".swapped.json", v)], 2, "is not about a vector of kind")
    else:
        FAILS.append("no generated khk or corpus nh vector for the swapped-claim check")
    print("instances: %s; tamper kinds applied (%d): %s" % (kinds, len(APPLIED), ", ".join(
        "%s x%d" % kv for kv in sorted(APPLIED.items()))))
    if min(kinds.values()) == 0:
        FAILS.append("the generated vectors lack a kind of instance: %s" % kinds)
    if len(APPLIED) < 20:
        FAILS.append("only %d tamper kinds applied, need 20" % len(APPLIED))
    return cr.finish("checker.khk", 60)


if __name__ == "__main__":
    sys.exit(main())
