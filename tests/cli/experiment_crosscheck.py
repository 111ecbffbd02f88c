#!/usr/bin/env python3
"""Cross-check of `lmo experiment sc-fig61 --dump-weights`, written apart from the C code.

Usage: experiment_crosscheck.py OUTDIR

For each dumped run (OUTDIR/sc-fig61-runs/run-I.json, an mnn vector of the final doubles)
with N <= 81 this script recomputes with Python fractions (tests/lib/exact.py reads the
numbers): the forward pass of Soudry & Carmon (3.1) with ReLU, the exact MSE (3.2), the
number of hidden pre-activations exactly 0 (differentiable iff none), the classification
errors (y v_L <= 0), and G_{L-1} = Delta_{L-1} o V_{L-2} (5.2), (5.4) from its definition:
column n is delta^(n) (x) v^(n), delta_{L-1} = a_{L-1} . W_L^T. Its rank:
  - N <= 40: exactly, by fraction-free (Bareiss) elimination (tests/lib/qrank.py) on the
    integer matrix 2^k G;
  - 40 < N <= 81: modulo the prime 2^61 - 1, a lower bound of the rank over Q; equal to
    lmo's certified rank it confirms it (lmo's certificate proves the upper bound).
Each is compared with the CSV row (mse_exact, min_abs_u_exact, mce_exact, differentiable,
zero_preactivations,
rank_G, rows_G, full_rank, full_column_rank) and the exact MSE of run-I.exact.json.
Exit 0 when everything agrees and at least 10 runs were checked, 1 otherwise.
"""
import csv
import json
import os
import sys
from fractions import Fraction

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import exact  # noqa: E402
import qrank  # noqa: E402


def mat(m):
    return [[exact.value(v) for v in row] for row in m["data"]]


def forward(X, y, Ws):
    """X as rows d0 x N. Returns (per layer u and a lists [l][i][n]), outputs."""
    N = len(y)
    L = len(Ws)
    v = X
    us, acts = [], []
    for l, W in enumerate(Ws):
        u = [[sum(W[i][j] * v[j][n] for j in range(len(v))) for n in range(N)] for i in range(len(W))]
        if l == L - 1:
            return us, acts, u[0]
        a = [[1 if u[i][n] >= 0 else 0 for n in range(N)] for i in range(len(u))]
        us.append(u)
        acts.append(a)
        v = [[a[i][n] * u[i][n] for n in range(N)] for i in range(len(u))]
    raise AssertionError("unreachable")


def g_last(X, Ws, us, acts):
    """G_{L-1}: rows (i, j) over units i of layer L-1 and j of layer L-2, columns n."""
    L = len(Ws)
    N = len(X[0])
    if L == 2:
        vprev = X
    else:
        u, a = us[L - 3], acts[L - 3]
        vprev = [[a[i][n] * u[i][n] for n in range(N)] for i in range(len(u))]
    wL = Ws[L - 1][0]
    a = acts[L - 2]
    delta = [[a[i][n] * wL[i] for n in range(N)] for i in range(len(wL))]
    return [[delta[i][n] * vprev[j][n] for n in range(N)]
            for i in range(len(delta)) for j in range(len(vprev))]


def to_int(G):
    den = 1
    for row in G:
        for q in row:
            den = den * q.denominator // __import__("math").gcd(den, q.denominator)
    return [[int(q * den) for q in row] for row in G]


def rank_mod(M, p=(1 << 61) - 1):
    M = [[x % p for x in row] for row in M]
    m, n = len(M), len(M[0]) if M else 0
    r = 0
    for c in range(n):
        piv = next((i for i in range(r, m) if M[i][c]), None)
        if piv is None:
            continue
        M[r], M[piv] = M[piv], M[r]
        inv = pow(M[r][c], p - 2, p)
        for i in range(r + 1, m):
            f = M[i][c] * inv % p
            if f:
                M[i] = [(x - f * y) % p for x, y in zip(M[i], M[r])]
        r += 1
    return r


def main():
    out = sys.argv[1]
    rows = {int(r["run"]): r for r in csv.DictReader(open(os.path.join(out, "sc-fig61.csv")))}
    checked, bad, exact_ranks, deficient = 0, 0, 0, 0
    for i, row in sorted(rows.items()):
        N = int(row["N"])
        if N > 81:
            continue
        v = json.load(open(os.path.join(out, "sc-fig61-runs", "run-%04d.json" % i)))
        facts = json.load(open(os.path.join(out, "sc-fig61-runs", "run-%04d.exact.json" % i)))
        inp = v["input"]
        X, y = mat(inp["X"]), [exact.value(t) for t in inp["y"]]
        Ws = [mat(W) for W in inp["weights"]]
        assert exact.value(inp["slope"]) == 0
        us, acts, out_ = forward(X, y, Ws)
        mse = sum((o - t) ** 2 for o, t in zip(out_, y)) / (2 * N)
        zeros = sum(1 for u in us for ui in u for x in ui if x == 0)
        min_u = min(abs(x) for u in us for ui in u for x in ui)
        errors = sum(1 for o, t in zip(out_, y) if o * t <= 0)
        G = to_int(g_last(X, Ws, us, acts))
        if N <= 40:
            rank = qrank.rank(G)
            exact_ranks += 1
        else:
            rank = rank_mod(G)
        full = rank == min(len(G), N)
        want = {
            "mse_exact": float(mse) == float(row["mse_exact"]),
            "exact.json mse": exact.value(facts["mse"]) == mse,
            "exact.json min_abs_u": exact.value(facts["min_abs_u"]) == min_u,
            "min_abs_u_exact": float(min_u) == float(row["min_abs_u_exact"]),
            "mce_exact": Fraction(errors, N) == Fraction(row["mce_exact"]) or
            float(Fraction(errors, N)) == float(row["mce_exact"]),
            "differentiable": int(row["differentiable"]) == (zeros == 0),
            "zero_preactivations": int(row["zero_preactivations"]) == zeros,
            "rank_G": int(row["rank_G"]) == rank,
            "rows_G": int(row["rows_G"]) == len(G),
            "full_rank": int(row["full_rank"]) == full,
            "full_column_rank": int(row["full_column_rank"]) == (rank == N),
        }
        for k, okk in want.items():
            if not okk:
                bad += 1
                print("run %d: %s differs (python: mse %s, zeros %d, errors %d, rank %d of %d x %d)"
                      % (i, k, float(mse), zeros, errors, rank, len(G), N))
        checked += 1
        deficient += not full
    print("%d runs checked (%d ranks exactly, the others mod 2^61-1), %d not full rank, %d differences"
          % (checked, exact_ranks, deficient, bad))
    return 0 if bad == 0 and checked >= 10 else 1


if __name__ == "__main__":
    sys.exit(main())
