#!/usr/bin/env python3
"""Test of tests/lib/qrank.py, the Python tests' exact rank (ctest unit.qrank_py).

Its rank against a second method written apart: the largest k with a non-zero k x k minor,
each determinant by Laplace expansion over Fractions, on every small random matrix here
(integers, fractions, forced repeated and zero rows, up to 4 x 4), plus shapes by hand
(empty, a zero matrix, full rank). Exit 0 pass, 1 fail.
"""
import itertools
import os
import random
import sys
from fractions import Fraction as F

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import qrank  # noqa: E402


def det(A):
    if not A:
        return F(1)
    return sum((-1) ** j * A[0][j] * det([row[:j] + row[j + 1:] for row in A[1:]])
               for j in range(len(A)) if A[0][j] != 0)


def rank_minors(M):
    m, n = len(M), len(M[0]) if M else 0
    for k in range(min(m, n), 0, -1):
        for rows in itertools.combinations(range(m), k):
            for cols in itertools.combinations(range(n), k):
                if det([[F(M[i][j]) for j in cols] for i in rows]) != 0:
                    return k
    return 0


failures = 0
checked = 0


def check(M, want, what):
    global failures, checked
    checked += 1
    got = qrank.rank(M)
    if got != want:
        failures += 1
        print("FAIL %s: qrank.rank %d, want %d: %s" % (what, got, want, M))


check([], 0, "empty")
check([[0, 0], [0, 0]], 0, "zero 2x2")
check([[1, 2], [3, 4]], 2, "full 2x2")
check([[F(1, 3), F(2, 3)], [1, 2]], 1, "proportional rows with fractions")
check([[1, 2, 3]], 1, "one row")
rng = random.Random(18)
for t in range(400):
    m, n = rng.randint(1, 4), rng.randint(1, 4)
    M = [[F(rng.randint(-3, 3), rng.randint(1, 3)) if t % 2 else rng.randint(-2, 2) for _ in range(n)]
         for _ in range(m)]
    if m > 1 and t % 3 == 0:   # a repeated row, scaled
        M[1] = [2 * x for x in M[0]]
    if t % 5 == 0:
        M[-1] = [0] * n
    check(M, rank_minors(M), "random %d" % t)
print("qrank: %d checks, %d failed" % (checked, failures))
sys.exit(1 if failures or checked == 0 else 0)
