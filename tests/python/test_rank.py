"""Exact ranks through the package (ctest python.rank), against an independent rank
computed by tests/lib/qrank.py (fraction-free elimination, written apart from lmo).

Matrices of known rank r by construction, M = U V^T with U = [I_r; B] (m x r) and
V = [I_r; C] (n x r) of small integers (both of full column rank r, so rank M = r exactly),
then M + 2^-60 w z^T: every entry moves by at most a few 2^-60 -- below half an ulp of the
integers, so the doubles a float program gets are M's and its rank is r -- while the exact
rank is r + 1 whenever z is outside the row space (the eliminator decides; it usually is).
lmo.rank must equal the eliminator's rank; under policy numpy lmo's fast tier, fed the
rounded doubles, must say r, and disagree when the exact rank is r + 1 (status 1, no
exception). Khatri-Rao products A o X are built here column by column (a^(n) (x) x^(n)) and
ranked the same way, which pins that samples are the columns of A (d1 x N) and X (d0 x N).
Standard library only.
"""
import os
import random
import sys
from fractions import Fraction

from harness import check, finish

import lmo

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from qrank import rank as rank_q  # noqa: E402

rng = random.Random(2016)


def small(k, lo=-4, hi=4):
    return [rng.randint(lo, hi) for _ in range(k)]


def known_rank(m, n, r):
    U = [[int(i == j) for j in range(r)] for i in range(r)] + [small(r) for _ in range(m - r)]
    V = [[int(i == j) for j in range(r)] for i in range(r)] + [small(r) for _ in range(n - r)]
    rng.shuffle(U)
    rng.shuffle(V)
    return [[sum(U[i][k] * V[j][k] for k in range(r)) for j in range(n)] for i in range(m)]


tiny = Fraction(1, 2 ** 60)
cases = 0
for trial in range(12):
    m, n = rng.randint(3, 7), rng.randint(3, 7)
    r = rng.randint(1, min(m, n) - 1)
    M = known_rank(m, n, r)
    check(rank_q(M) == r, "construction: rank of U V^T is %d" % r)
    res = lmo.rank(M)
    check(res["rank"] == r and res["full_column_rank"] == (r == n),
          "trial %d: lmo rank of a %dx%d matrix of rank %d: %s" % (trial, m, n, r, res["rank"]))
    check(res.status == 0, "lmo rank exit status 0")

    w, z = small(m, 1, 3), small(n, 1, 3)
    P = [[M[i][j] + tiny * w[i] * z[j] for j in range(n)] for i in range(m)]
    want = rank_q(P)
    check(want in (r, r + 1), "a rank-one perturbation moves the rank by at most one")
    res = lmo.rank(P, policy="numpy")
    check(res["rank"] == want, "trial %d: perturbed: lmo %d, fractions %d" % (trial, res["rank"], want))
    fast = res["fast"]["numpy"]["rank"]
    check(fast == r, "trial %d: the doubles are M's, numpy's rule says %d (got %d)" % (trial, r, fast))
    check(res.failed == (want != r) and res["fast"]["numpy"]["agree"] == (want == r),
          "trial %d: disagreement reported as status 1 exactly when the ranks differ" % trial)
    cases += want == r + 1
check(cases >= 6, "the perturbation raised the exact rank in %d of 12 trials" % cases)

# rationals that are not doubles, and a full-rank case
H = [[Fraction(1, i + j + 1) for j in range(5)] for i in range(5)]   # Hilbert: rank 5
check(lmo.rank(H)["rank"] == 5 == rank_q(H), "Hilbert 5x5 has rank 5")

# Khatri-Rao: column n of G is a^(n) (x) x^(n), rows ordered i*d0 + j
for trial in range(8):
    d0, d1 = rng.randint(1, 4), rng.randint(1, 3)
    N = rng.randint(1, d0 * d1 + 1)
    A = [[Fraction(rng.randint(-3, 3), rng.randint(1, 3)) for _ in range(N)] for _ in range(d1)]
    X = [[rng.randint(-2, 2) for _ in range(N)] for _ in range(d0)]
    if trial % 2:   # a dependent column: rank below N on purpose
        for row in A:
            row[-1] = row[0]
        for row in X:
            row[-1] = 2 * row[0]
    G = [[A[i][c] * X[j][c] for c in range(N)] for i in range(d1) for j in range(d0)]
    res = lmo.khatri_rao_rank(A, X)
    check(res["rank"] == rank_q(G), "Khatri-Rao %d: lmo %d, fractions %d"
          % (trial, res["rank"], rank_q(G)))
finish("python.rank")
