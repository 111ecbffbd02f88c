"""qrank.py -- the exact rank over Q of a small matrix, for lmo's Python tests.

    rank(M)   the rank of M, a list of rows of ints and/or Fractions (or anything
              Fraction() reads exactly): each row scaled to integers by the lcm of its
              denominators (which keeps the rank), then fraction-free (Bareiss)
              elimination, every division exact

Written apart from lmo (no oracle, checker or package code): the second opinion that
tests/python/test_rank.py and tests/cli/experiment_crosscheck.py hold lmo's certified
ranks against. Its own test: tests/lib/test_qrank.py (ctest unit.qrank_py), against the
largest non-zero minor.
"""
import math
from fractions import Fraction

__all__ = ["rank"]


def _int_row(row):
    row = [Fraction(x) for x in row]
    den = 1
    for q in row:
        den = den * q.denominator // math.gcd(den, q.denominator)
    return [int(q * den) for q in row]


def rank(M):
    """Exact rank over Q of the matrix M (rows)."""
    M = [_int_row(row) for row in M]
    m, n = len(M), len(M[0]) if M else 0
    r, prev = 0, 1
    for c in range(n):
        p = next((i for i in range(r, m) if M[i][c] != 0), None)
        if p is None:
            continue
        M[r], M[p] = M[p], M[r]
        for i in range(r + 1, m):
            for j in range(c + 1, n):
                M[i][j] = (M[r][c] * M[i][j] - M[i][c] * M[r][j]) // prev
            M[i][c] = 0
        prev = M[r][c]
        r += 1
        if r == m:
            break
    return r
