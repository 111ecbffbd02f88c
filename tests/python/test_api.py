"""The convenience functions are wired to the right command, fields and options (ctest
python.api).

Each of rank, khatri_rao_rank, mnn, patterns, classify_deep_linear and witness must return
what lmo's own command prints for the same vector run by hand (the JSON object, key for key,
file name aside); a policy list becomes lmo compare with those policies; cert writes lmo's
certificate; prime_seed and options reach the command line; invoke returns one Result per
input. Standard library only.
"""
import json
import os
import subprocess
import tempfile
from fractions import Fraction as F

from harness import SRC, check, finish

import lmo

LMO = lmo.find_lmo()


def by_hand(command, vec, *opts):
    p = subprocess.run([LMO, command, "--json"] + list(opts) + ["-"], input=lmo.dumps(vec),
                       capture_output=True, text=True)
    return p.returncode, json.loads(p.stdout)


X = [[1, 2, F(1, 3)], [0, -1, 1]]           # d0 = 2, N = 3
W = [[[1, F(-1, 2)], [2, 1], [0, 1]], [[1, -1, F(1, 4)]]]
cases = [
    ("rank", lambda: lmo.rank([[1, 2], [2, 4]]), lmo.vector("matrix_rank", M=[[1, 2], [2, 4]])),
    ("rank", lambda: lmo.khatri_rao_rank([[1, 2, 3]], X), lmo.vector("khatri_rao_rank", A=[[1, 2, 3]], X=X)),
    ("mnn", lambda: lmo.mnn(W, X, [1, 0, -1], F(1, 10)),
     lmo.vector("mnn", X=X, y=[1, 0, -1], slope=F(1, 10), weights=W)),
    ("mnn", lambda: lmo.mnn(W, X, [1, 0, -1], F(1, 10), dropout=[[[1, 2, 1], [1, 1, 1], [2, 1, 1]]], layer=1),
     lmo.vector("mnn", X=X, y=[1, 0, -1], slope=F(1, 10), weights=W,
                dropout=[[[1, 2, 1], [1, 1, 1], [2, 1, 1]]], layer=1)),
    ("patterns", lambda: lmo.patterns(X, F(1, 10), 2, mode="sampled", count=7, seed=5),
     lmo.vector("mnn_patterns", X=X, slope=F(1, 10), width=2, mode="sampled", count=7, seed=5)),
    ("patterns", lambda: lmo.patterns(X, F(1, 10), 2, dropout=[[1, 2, 3], [3, 2, 1]]),
     lmo.vector("mnn_patterns", X=X, slope=F(1, 10), width=2, mode="exhaustive",
                dropout=[[1, 2, 3], [3, 2, 1]])),
    ("classify", lambda: lmo.classify_deep_linear([[[1, 0]], [[2], [1]]], X[:2], [[1, 0, 1], [0, 1, 1]]),
     lmo.vector("deep_linear", X=X[:2], Y=[[1, 0, 1], [0, 1, 1]], weights=[[[1, 0]], [[2], [1]]])),
    ("witness", lambda: lmo.witness([3, 2, 1], 4), lmo.vector("witness", widths=[3, 2, 1], N=4)),
]
for command, call, vec in cases:
    r = call()
    rc, want = by_hand(command, vec)
    check(dict(r) == want and r.status == rc, "lmo.%s == lmo %s --json by hand (%s)"
          % (vec["kind"], command, vec["id"]))
    check(r["kind"] == vec["kind"] and r["id"] == vec["id"], "%s: kind and id" % vec["id"])

# a policy list: lmo compare with exactly those policies
r = lmo.mnn(W, X, [1, 0, -1], F(1, 10), policy=["numpy", "abs:1e-3"])
check(sorted(r["fast"]) == ["abs:1e-3", "numpy"], "policies numpy and abs:1e-3: %s" % sorted(r["fast"]))
r = lmo.compare(os.path.join(SRC, "vectors", "examples", "large-thirds.json"))
check(sorted(r["fast"]) == ["numpy", "qrcp"], "compare without policy: lmo's default numpy, qrcp")

with tempfile.TemporaryDirectory() as tmp:
    cert = os.path.join(tmp, "c.json")
    r = lmo.rank([[1, 2], [2, 4]], cert=cert, prime_seed=11)
    c = json.load(open(cert))
    check(c.get("format") == "lmo-cert/1" and c.get("rank") == 1, "cert written: %s" % c.get("claim"))
    check(r["info"]["prime"] == c["minor"]["prime"], "the certificate is this run's")
    primes = {lmo.rank([[1, 2], [2, 4]], prime_seed=s)["info"]["prime"] for s in range(1, 6)}
    check(len(primes) > 1, "prime_seed reaches --seed: primes %s" % sorted(primes))
    check(r.command[1:3] == ["rank", "--json"] and "--seed" in r.command, "command line: %s" % r.command)

# invoke: one Result per input
files = [os.path.join(SRC, "vectors", "examples", f) for f in ("graded.json", "numpy-hard.json")]
rs = lmo.invoke(["rank", "--json"] + files)
check([r["id"] for r in rs] == ["example-graded", "example-numpy-hard"] and
      all(isinstance(r, lmo.Result) and r.status == 0 for r in rs), "invoke: two inputs, two Results")
finish("python.api")
