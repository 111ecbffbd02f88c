#!/usr/bin/env python3
"""The trust boundary of lmo-check (issue 17): one part per class of defect that fooled it.
Each builds its own hostile inputs and requires the refusal it must get -- exit code AND the
one-line diagnostic naming the file at fault and the JSON path -- never a crash.

  overflow     integers from JSON are range-checked before any arithmetic (width, shapes,
               counts, indices, n_params, d1 N): no empty matrix accepted as "rank 0"
  alloc        huge claimed sizes are exit 3 with one line (alloc_ulimit: under ulimit -v)
  claims       every member of expect and every certificate member is verified or refused
               by name ("not verifiable"); false claims of each kind are rejected
  patterns     each listed pattern bound to its own certificate, no duplicates; counts over
               all patterns only with the full_rank modulus covering every other pattern
  diagnostics  the file at fault (vector or certificate) and the JSON path are named
  cli          --version (the project's, $LMO_VERSION), --help standing alone, "-" for
               standard input

usage: trust_tests.py PART LMO-CHECK WORKDIR   (LMO_SRC: the source tree; LMO_VERSION: the
       project version, for part cli)
"""
import copy
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import rankcert as rc  # noqa: E402  (independent certificates: fractions + sympy)
import checkrun as cr  # noqa: E402  (write, run, expect, finish: tests/lib/checkrun.py)
from checkrun import FAILS, write, run, expect, finish  # noqa: E402

SRC = None


def fixture(name):
    """A hand-written vector from tests/checker/fixtures."""
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures", name),
              encoding="utf-8") as f:
        return json.load(f)

def corpus(name):
    with open(os.path.join(SRC, "vectors", "corpus", name + ".json"), encoding="utf-8") as f:
        return json.load(f)


def rank_vector(vid, M, prime=rc.P31):
    """A matrix_rank vector with an independent certificate (rankcert.py)."""
    n = len(M[0]) if M else 0
    cert = rc.certificate(vid, M, n, prime)
    inp = {"M": {"rows": len(M), "cols": n, "data": [[str(x) for x in row] for row in M]}}
    return rc.vector(vid, "matrix_rank", inp, cert["rank"], n, cert)


def pattern_vector():
    """A genuine mnn_patterns vector from the corpus with deficient patterns listed."""
    return corpus("patterns-no-dropout-s1-11")


# ------------------------------------------------------------------ class 1: overflow
def part_overflow():
    v = pattern_vector()
    c = v["certificate"]["certificates"][0]
    # the old defect: a huge or negative width built an empty G and "rank 0" was accepted
    for width, code, msg in ((2**40, 3, "input.width"), (-1, 2, "input.width"),
                             (2**62, 3, "input.width"), (2**63 - 1, 3, "input.width"),
                             (0, 2, "input")):
        t = copy.deepcopy(v)
        t["input"]["width"] = width
        t["expect"] = {}
        t["certificate"]["certificates"] = [dict(c, rank=0, minor={"prime": "7", "rows": [],
                                                                    "cols": []})]
        expect("patterns width %d, rank 0 claimed" % width, [write("w.json", t)], code, msg)
    # sizes and indices of rank certificates: 2^63 - 1, negative, 2^40
    base = rank_vector("ov", [[1, 2], [2, 4]])
    for field, val, code, msg in (("rows", 2**63 - 1, 1, "shape"), ("cols", -5, 1, "shape"),
                                  ("rank", 2**62, 1, "impossible"), ("rank", -1, 1, "impossible")):
        t = copy.deepcopy(base)
        t["certificate"][field] = val
        expect("rank certificate %s = %d" % (field, val), [write("r.json", t)], code, msg)
    for idx in (2**40, -1, 2**63 - 1):
        t = copy.deepcopy(base)
        t["certificate"]["minor"]["rows"] = [idx]
        expect("minor row %d" % idx, [write("r.json", t)], 1, "out of range")
        t = copy.deepcopy(base)
        t["certificate"]["kernel"]["free"] = [idx]
        expect("kernel free %d" % idx, [write("r.json", t)], 1, "out of range")
    # matrix shapes: beyond int64, beyond the dimension cap, negative
    for rows, code in ((2**40, 3), (-2, 2), ("9" * 30, 2)):
        t = copy.deepcopy(base)
        t["input"]["M"]["rows"] = rows
        expect("input.M.rows = %s" % rows, [write("r.json", t)], code, "input.M.rows")
    # a Khatri-Rao product whose size d1 d0 overflows 32 bits, of empty factors (N = 0)
    t = {"format": "lmo-vector/1", "kind": "khatri_rao_rank", "id": "kr", "input": {
        "A": {"rows": 70000, "cols": 0, "data": [[]] * 70000},
        "X": {"rows": 70000, "cols": 0, "data": [[]] * 70000}},
        "certificate": {"format": "lmo-cert/1", "claim": "rank", "vector": "kr", "rows": 0,
                        "cols": 0, "rank": 0, "minor": {"prime": "7", "rows": [], "cols": []},
                        "kernel": {"free": [], "vectors": []}}}
    expect("A o X of 70000 * 70000 rows", [write("kr.json", t)], 3, "LMO_MAX_ENTRIES")
    # deep linear: n_params far beyond the network's
    d = corpus("deep-linear-global-min-s1-0")
    for n in (2**63 - 1, -1):
        t = copy.deepcopy(d)
        t["certificate"]["n_params"] = n
        expect("deep_linear n_params %d" % n, [write("d.json", t)], 1, "n_params")
    t = copy.deepcopy(d)
    t["certificate"]["gradient_nonzero"] = {"index": 2**62, "value": 1}
    expect("deep_linear gradient index 2^62", [write("d.json", t)], 1, "gradient_nonzero.index")
    # an exhaustive count over d1 N = 30 bits
    t = copy.deepcopy(v)
    t["input"]["width"] = 10
    t["input"]["X"] = {"rows": 1, "cols": 3, "data": [[1, 2, 3]]}
    t["certificate"] = {"format": "lmo-cert/1", "claim": "bundle", "vector": t["id"],
                        "certificates": [], "full_rank": {"prime": "1000003"}}
    t["expect"] = {"patterns_checked": 2**30}
    expect("patterns d1 N = 30", [write("p.json", t)], 3, "d1 N = 30")
    return finish("checker.trust_overflow", 20)


# ------------------------------------------------------------------ class 2: allocation
def part_alloc():
    base = rank_vector("al", [[1, 2], [2, 4]])
    # the old crash: an X with 0 rows and 2^31 columns (nothing to read, everything to allocate)
    t = copy.deepcopy(base)
    t["kind"] = "khatri_rao_rank"
    t["input"] = {"A": {"rows": 0, "cols": 2**31, "data": []},
                  "X": {"rows": 0, "cols": 2**31, "data": []}}
    expect("X 0 x 2^31", [write("a.json", t)], 3, "input.A.cols", "a.json")
    v = pattern_vector()
    t = copy.deepcopy(v)
    t["input"]["width"] = 2**40
    expect("patterns width 2^40", [write("a.json", t)], 3, "input.width", "cap")
    # kernel claimed for 2^20 columns of an empty matrix: k * n beyond the entry cap
    t = copy.deepcopy(base)
    t["input"]["M"] = {"rows": 0, "cols": 2**20, "data": []}
    t["certificate"].update(rows=0, cols=2**20, rank=0,
                            minor={"prime": "7", "rows": [], "cols": []},
                            kernel={"free": list(range(2**20)), "vectors": [[]] * 2**20})
    expect("kernel of 2^20 x 2^20", [write("a.json", t)], 1, "kernel.vectors[0]")
    # an object of 50,000 members with one key twice, far apart: found (sorted, n log n),
    # and without the repeat it is read (it is in report, which is not a claim)
    members = ", ".join('"k%d": %d' % (i, i) for i in range(50000))
    t = json.dumps(base)[:-1] + ', "report": {%s, "k17": 0}}' % members
    expect("a key repeated among 50,000", [write("big.json", t)], 2, "duplicate key")
    t = json.dumps(base)[:-1] + ', "report": {%s}}' % members
    expect("50,000 distinct keys", [write("big.json", t)], 0)
    return finish("checker.trust_alloc", 5)


def part_alloc_ulimit():
    """A Hessian of 3,600 parameters needs 13M rationals: under ulimit -v 300 MB, exit 3 with
    one line (the allocation fails, not the kernel's OOM killer)."""
    if "address" in os.environ.get("LMO_SANITIZE", ""):
        print("skipped: ASan reserves terabytes of address space and cannot run under ulimit -v")
        return 77
    d = corpus("deep-linear-strict-saddle-s1-0")
    W = [{"rows": 60, "cols": 30, "data": [[1] * 30] * 60},
         {"rows": 30, "cols": 60, "data": [[0] * 60] * 30}]
    dx, dy = 30, 30
    t = {"format": "lmo-vector/1", "kind": "deep_linear", "id": "big", "input": {
        "X": {"rows": dx, "cols": 2, "data": [[1, 0]] * dx},
        "Y": {"rows": dy, "cols": 2, "data": [[0, 1]] * dy}, "weights": W},
        "expect": {"hessian_inertia": {"positive": 1, "negative": 1, "zero": 3598}},
        "certificate": dict(d["certificate"], vector="big", n_params=3600)}
    for k in ("hessian_negative", "rank_WH_W2", "global_min_value"):
        t["certificate"].pop(k, None)
    t["certificate"]["class"] = "unknown"
    expect("3600-parameter Hessian under ulimit -v", [write("big.json", t)], 3, "out of memory",
           "big.json", limit_kb=300 * 1024)
    return finish("checker.trust_alloc_ulimit", 1)


# ------------------------------------------------------------------ class 3: claims
def part_claims():
    def false_claim(what, name, fn, *msgs, code=1):
        t = copy.deepcopy(corpus(name))
        fn(t)
        expect(what, [write("c.json", t)], code, *msgs)

    def setx(path, val):
        def f(t):
            o = t
            for k in path[:-1]:
                o = o[k]
            o[path[-1]] = val(o[path[-1]]) if callable(val) else val
        return f

    # mnn: rank_G / rank_G_all / rank_A1X (never compared before)
    mn = "mnn-random-s1-0"
    false_claim("mnn rank_G[0] + 1", mn, setx(["expect", "rank_G", 0], lambda r: r + 1),
                "expect.rank_G[0]")
    false_claim("mnn rank_G_all + 1", mn, setx(["expect", "rank_G_all"], lambda r: r + 1),
                "expect.rank_G_all")
    false_claim("mnn rank_A1X.rank - 1", mn, setx(["expect", "rank_A1X", "rank"], lambda r: r - 1),
                "expect.rank_A1X.rank")
    false_claim("mnn loss + 1", mn, setx(["expect", "loss"], "1/3"), "expect.loss")
    false_claim("mnn gradient[0] changed", mn, setx(["expect", "gradient", 0], "5/7"),
                "expect.gradient[0]")
    false_claim("mnn differentiable flipped", "mnn-exact-zero-s1-0",
                setx(["expect", "differentiable"], True), "expect.differentiable")
    false_claim("mnn zero pre-activation dropped", "mnn-exact-zero-s1-0",
                setx(["expect", "zero_preactivations"], []), "expect.zero_preactivations")
    false_claim("mnn pattern sign flipped", mn,
                setx(["expect", "pattern", 0, 0], lambda s: ("+" if s[0] == "-" else "-") + s[1:]),
                "expect.pattern")
    false_claim("mnn lemma1 mse changed", mn, setx(["expect", "lemma1_minimiser", "mse"], 1),
                "expect.lemma1_minimiser")
    false_claim("mnn trace_ELambda 1", mn, setx(["expect", "trace_ELambda"], 1),
                "expect.trace_ELambda")
    # deep_linear: critical, hessian_inertia and loss when class is absent
    for name in ("deep-linear-bad-saddle-s1-0", "deep-linear-not-critical-s1-0"):
        def noclass(f):
            def g(t):
                t["expect"].pop("class")
                f(t)
            return g
        false_claim("%s: critical flipped, no class" % name, name,
                    noclass(setx(["expect", "critical"], lambda b: not b)), "expect.critical")
        false_claim("%s: inertia moved, no class" % name, name, noclass(setx(
            ["expect", "hessian_inertia"], lambda h: dict(h, zero=h["zero"] + 1,
                                                          positive=h["positive"] - 1
                                                          if h["positive"] else h["positive"]))),
            "expect.hessian_inertia")
        false_claim("%s: loss + 1, no class" % name, name,
                    noclass(setx(["expect", "loss"], "12345/7")), "expect.loss")
    dl = "deep-linear-global-min-s1-0"
    false_claim("deep_linear p + 1", dl, setx(["expect", "p"], lambda p: p + 1), "expect.p")
    false_claim("deep_linear hypotheses.dy_le_dx flipped", dl,
                setx(["expect", "hypotheses", "dy_le_dx"], lambda b: not b),
                "expect.hypotheses.dy_le_dx")
    false_claim("deep_linear global_min_value.exact + 1", dl,
                setx(["expect", "global_min_value", "exact"], "987654321"),
                "expect.global_min_value.exact")
    false_claim("deep_linear sigma_charpoly changed", dl,
                setx(["expect", "global_min_value", "sigma_charpoly", 0], lambda c: 1),
                "expect.global_min_value.sigma_charpoly")
    # rank_WH_W2 claimed when its part is absent
    def no_rank_part(t):
        t["certificate"].pop("rank_WH_W2")
    false_claim("rank_WH_W2 without its part", dl, no_rank_part, "expect.rank_WH_W2",
                "not verifiable")
    # witness: rank and G_identity
    w = "witness-lemma8-s1-0"
    false_claim("witness rank + 1", w, setx(["expect", "rank"], lambda r: r + 1), "expect.rank")
    false_claim("witness G_identity false", w, setx(["expect", "G_identity"], False),
                "expect.G_identity")
    false_claim("witness vector without input.N", w, lambda t: t["input"].pop("N"), "input.N",
                code=2)
    false_claim("witness parameters changed", w,
                setx(["expect", "witness", "X", "data", 0, 0], "2/3"), "expect.witness.X")
    # unknown members: in expect, in the certificate, in a certificate part, in the input
    false_claim("unknown expect member", mn, setx(["expect", "rank_of_everything"], 1),
                "expect.rank_of_everything: not verifiable")
    false_claim("unknown certificate member", dl, setx(["certificate", "proof_of_riemann"], True),
                "proof_of_riemann: not verifiable")
    false_claim("unknown member of a part", dl,
                setx(["certificate", "global_min", "also_local_max"], True),
                "global_min.also_local_max: not verifiable")
    false_claim("unknown input member", mn, setx(["input", "bias"], [1]), "input.bias: not verifiable")
    false_claim("old mnn expect (theorem outcomes) is refused", mn,
                setx(["expect", "predictions"], {"lemma1": {"outcome": "holds"}}),
                "expect.predictions: not verifiable")
    false_claim("unknown top-level member", mn, setx(["claims"], {}), "claims: not verifiable")
    # the global minimum value when L* is irrational: an enclosure proven by breakpoints
    # (Sigma = [[5, 3], [3, 2]]: L* = (7 - (7 + sqrt 45)/2) / 2), hand-written, blessed by lmo
    irr = fixture("irrational-global-min-value.json")
    expect("irrational L*: genuine", [write("irr.json", irr)], 0)
    t = copy.deepcopy(irr)
    lo, hi = t["expect"]["global_min_value"]["enclosure"]
    t["expect"]["global_min_value"]["enclosure"] = [hi, hi]  # a point above L*
    expect("irrational L*: enclosure shrunk to its upper end", [write("irr.json", t)], 1,
           "expect.global_min_value.enclosure")
    t = copy.deepcopy(irr)
    t["certificate"]["global_min_value"]["breaks"] = t["certificate"]["global_min_value"]["breaks"][:2]
    expect("irrational L*: the breaks above the largest root dropped", [write("irr.json", t)], 1,
           "roots lie above the last break")
    t = copy.deepcopy(irr)
    t["certificate"]["global_min_value"]["breaks"].reverse()
    expect("irrational L*: breaks not increasing", [write("irr.json", t)], 1, "not increasing")
    t = copy.deepcopy(irr)
    t["expect"]["global_min_value"]["exact"] = "1/2"
    t["certificate"]["global_min_value"] = {"factor": [-3, 1], "tau": 3}
    expect("irrational L*: a rational factor that does not divide", [write("irr.json", t)], 1,
           "does not divide")
    # Soudry-Carmon Section 5: w = 0 with L >= 3 is a differentiable critical point although
    # every u = 0 (the MSE is const + O(|w|^3)); with L = 2 lmo does not claim it
    w0 = fixture("mnn-w0-l3.json")
    expect("w = 0, L = 3: differentiable, genuine", [write("w0.json", w0)], 0)
    t = copy.deepcopy(w0)
    t["expect"]["differentiable"] = False
    expect("w = 0, L = 3: claimed not differentiable", [write("w0.json", t)], 1,
           "expect.differentiable")
    # differentiability is proven by two rules only (no u = 0; w = 0 with L >= 3): another
    # point with u = 0 (here W3 != 0, every u still 0, all ranks and the loss unchanged) is
    # refused, whatever the truth
    t = copy.deepcopy(w0)
    t["input"]["weights"][2]["data"][0][0] = 1
    expect("W3 != 0 with every u = 0: differentiable refused", [write("w0.json", t)], 1,
           "expect.differentiable")
    # Section 6's plain ReLU (s = 0) is an mnn input lmo-check reads; a witness still needs s != 0
    relu = fixture("mnn-relu-s0.json")
    expect("s = 0: genuine", [write("relu.json", relu)], 0)
    t = copy.deepcopy(relu)
    t["expect"]["loss"] = "1"
    expect("s = 0: a false loss", [write("relu.json", t)], 1, "expect.loss")
    # a member may be refused, but a genuine vector still passes
    for name in (mn, dl, w, "patterns-dropout-s1-0", "kr-generic-s1-0", "matrix-graded-s1-0"):
        expect("genuine %s" % name, [os.path.join(SRC, "vectors", "corpus", name + ".json")], 0)
    return finish("checker.trust_claims", 47)


# ------------------------------------------------------------------ class 4: patterns
def part_patterns():
    v = pattern_vector()
    certs = v["certificate"]["certificates"]
    assert len(certs) >= 2 and v["input"]["mode"] == "exhaustive"

    def case(what, fn, code, *msgs):
        t = copy.deepcopy(v)
        fn(t)
        expect(what, [write("p.json", t)], code, *msgs)

    case("genuine", lambda t: None, 0)
    # duplicates: the same pattern twice, once with its expect entry duplicated too
    def dup(t):
        t["certificate"]["certificates"].append(copy.deepcopy(certs[0]))
        t["expect"]["deficient_patterns"].append(copy.deepcopy(t["expect"]["deficient_patterns"][0]))
        t["expect"]["deficient"] += 1
    case("a pattern listed twice", dup, 1, "same pattern")
    # a member bound to the wrong pattern: the first member's certificate, the second's pattern
    def wrong(t):
        t["certificate"]["certificates"][0]["pattern"] = certs[1]["pattern"]
    case("certificate of one pattern under another's signs", wrong, 1)
    # expect lists a pattern the bundle does not cover (signs of a full-rank pattern)
    def unlisted(t):
        s = t["expect"]["deficient_patterns"][0]["signs"]
        t["expect"]["deficient_patterns"][0]["signs"] = ["+" * len(s[0])] * len(s)
    case("expect lists a pattern without its member", unlisted, 1, "expect.deficient_patterns")
    # an empty bundle cannot certify "every pattern has full rank"
    def empty(t):
        t["certificate"]["certificates"] = []
        t["certificate"].pop("full_rank")
        N = t["input"]["X"]["cols"]
        total = 2 ** (t["input"]["width"] * N)
        t["expect"] = {"mode": "exhaustive", "deficient_patterns": [], "deficient": 0,
                       "full_rank": total, "patterns_checked": total, "min_rank": N,
                       "rank_counts": [0] * N + [total], "deficient_listed_all": True}
    case("empty bundle claiming every pattern has full rank", empty, 1, "full_rank",
         "not proven")
    # with the modulus, an empty list still fails: the deficient patterns have no minor
    def empty_mod(t):
        empty(t)
        t["certificate"]["full_rank"] = copy.deepcopy(v["certificate"]["full_rank"])
    case("empty bundle with the full_rank modulus", empty_mod, 1, "no non-singular")
    # one deficient pattern dropped from both lists: the counts are now false
    def drop_one(t):
        t["certificate"]["certificates"].pop(0)
        t["expect"]["deficient_patterns"].pop(0)
        t["expect"]["deficient"] -= 1
    case("a deficient pattern dropped from bundle and expect", drop_one, 1, "no non-singular")
    # counts moved by one, bundle intact
    for key, delta in (("deficient", 1), ("full_rank", -1), ("patterns_checked", 1),
                       ("min_rank", 1)):
        case("%s %+d" % (key, delta), lambda t, k=key, d=delta: t["expect"].__setitem__(
            k, t["expect"][k] + d), 1, "expect." + key)
    case("rank_counts moved", lambda t: t["expect"]["rank_counts"].__setitem__(
        0, t["expect"]["rank_counts"][0] + 1), 1, "expect.rank_counts")
    # a listed "deficient" pattern that has rank N: its member proves rank N
    case("listed rank claimed lower", lambda t: t["expect"]["deficient_patterns"][0].__setitem__(
        "rank", t["expect"]["deficient_patterns"][0]["rank"] - 1), 1, "expect.deficient_patterns")
    # counts in a mode whose pattern set the bundle cannot prove
    for mode in ("sampled", "realizable"):
        case("counts in mode %s" % mode, lambda t, m=mode: (t["input"].__setitem__("mode", m),
                                                            t["input"].__setitem__("count", 5),
                                                            t["expect"].__setitem__("mode", m)),
             1, "not verifiable in mode " + mode)
    case("deficient_listed_all false", lambda t: t["expect"].__setitem__(
        "deficient_listed_all", False), 1, "not verifiable")
    # "every deficient pattern is listed" is about expect's list: without it, nothing to verify
    case("deficient_listed_all without deficient_patterns", lambda t: t["expect"].pop(
        "deficient_patterns"), 1, "expect.deficient_listed_all: not verifiable without")
    # the modulus must be coprime to every denominator: 2 divides the slope's
    case("full_rank prime dividing a denominator", lambda t: t["certificate"]["full_rank"].__setitem__(
        "prime", "2") if "/2" in json.dumps(t["input"]) or "/10" in json.dumps(t["input"]) else
        t["input"].__setitem__("slope", "1/2"), 1)
    return finish("checker.trust_patterns", 18)


# ------------------------------------------------------------------ class 5: diagnostics
def part_diagnostics():
    v = rank_vector("dg", [[1, 2, 3], [2, 4, 7]])
    c = v.pop("certificate")
    # separate files: a fault in the certificate names the certificate file and its path
    t = copy.deepcopy(c)
    t["minor"]["prime"] = "12x"
    expect("bad prime in the certificate file", [write("dc.json", t), write("dv.json", v)], 2,
           "dc.json", "minor.prime")
    t = copy.deepcopy(c)
    t["kernel"]["vectors"] = []
    expect("kernel short in the certificate file", [write("dc.json", t), write("dv.json", v)], 1,
           "REJECT", "dc.json", "kernel.vectors")
    # a fault in the vector names the vector file
    t = copy.deepcopy(v)
    t["input"]["M"]["data"][0][0] = "1/0"
    expect("zero denominator in the vector file", [write("dc.json", c), write("dv.json", t)], 2,
           "dv.json", "input.M.data[0][0]", "zero denominator")
    t = copy.deepcopy(v)
    t["expect"]["rank"] = 1
    p = expect("expect.rank false, separate files", [write("dc.json", c), write("dv.json", t)], 1,
               "dv.json", "expect.rank")
    if "dc.json" in p.stderr:
        FAILS.append("expect mismatch blamed on the certificate file: " + p.stderr)
    # embedded: the path says certificate.
    t = copy.deepcopy(v)
    t["certificate"] = copy.deepcopy(c)
    t["certificate"]["minor"]["cols"] = [0, 0]
    expect("embedded certificate, repeated column", [write("de.json", t)], 1, "de.json",
           "certificate.minor.cols")
    # JSON syntax errors name line and byte
    expect("truncated certificate", [write("dc.json", json.dumps(c)[:40]), write("dv.json", v)],
           2, "dc.json", "JSON error at line 1")
    # a deep-linear part nested two levels down keeps its full path
    d = corpus("deep-linear-global-min-s1-0")
    d["certificate"]["global_min"]["range_ldl"]["D"] = ["-1"] + d["certificate"]["global_min"][
        "range_ldl"]["D"][1:]
    expect("nested path", [write("dd.json", d)], 1, "certificate.global_min.range_ldl.D[0]")
    return finish("checker.trust_diagnostics", 7)


# ------------------------------------------------------------------ cli
def part_cli():
    # the version of project(lmo VERSION ...), which ctest passes as LMO_VERSION
    p = run(["--version"])
    want = "lmo-check %s (" % os.environ["LMO_VERSION"]
    if p.returncode or not p.stdout.startswith(want) or "GMP" not in p.stdout:
        FAILS.append("--version: %d %r, want %r..." % (p.returncode, p.stdout, want))
    p = run(["--help"])
    for word in ("usage:", "rank", "deep_linear", "witness", "bundle", "not verifiable",
                 "exit status", "standard input", "LMO_MAX_ENTRIES"):
        if word not in p.stdout:
            FAILS.append("--help lacks %r" % word)
    if p.returncode:
        FAILS.append("--help exit %d" % p.returncode)
    expect("unknown option", ["--frobnicate"], 2)
    expect("no arguments", [], 2)
    expect("both files from standard input", ["-", "-"], 2)
    v = rank_vector("st", [[1, 2], [3, 4]])
    text = json.dumps(v)
    expect("vector on standard input", ["-"], 0, "OK -", stdin=text)
    c = v.pop("certificate")
    expect("certificate on standard input", ["-", write("sv.json", v)], 0, stdin=json.dumps(c))
    expect("vector on standard input, certificate file", [write("sc.json", c), "-"], 0,
           stdin=json.dumps(v))
    expect("garbage on standard input", ["-"], 2, "-: JSON error", stdin="{")
    return finish("checker.trust_cli", 8)


def main():
    global SRC
    SRC = os.environ["LMO_SRC"]
    cr.setup(sys.argv[2], sys.argv[3])
    return globals()["part_" + sys.argv[1]]()


if __name__ == "__main__":
    sys.exit(main())
