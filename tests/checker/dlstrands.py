"""Critical points of deep linear networks from a strand model, written apart from lmo (Python
fractions only), for the escape-curve tests of cert_tests.py (part dl_escape).

A linear chain R^dx -> R^d1 -> ... -> R^dy is, in suitable bases, a sum of strands: intervals
[a, b] of layers along which one basis vector is carried to the next (a strand born at a is
not reached from below, one dying at b is killed by the next layer). Here X = I, Y = [diag(s) |
0] with distinct s (so Sigma = diag(s^2), P_ols = Y), and the strands are:
- pbar full strands [0, H+1] from input e_i to output e_i (i < pbar, the largest s_i): the
  product is U_pbar U_pbar^T P_ols (Lemma 4.2's form, through the top eigenvectors);
- for every other input e_i a strand [0, b], for every other output e_j a strand [a, H+1]
  with a >= b_j + 2 where b_j is the end of input e_j's strand: then no layer sees both, so
  every gradient block A_k^T G B_(k-1)^T (G = -(I - P_C) Y) vanishes -- a critical point;
- a few interior strands [a, b], 1 <= a <= b <= H.
Each hidden layer's basis is then tilted by a random unimodular matrix G_k (Wk -> G_k Wk
G_(k-1)^{-1}), which keeps the product and hides the strands from any axis-aligned search.
Whether a point is a strict or a bad saddle is not decided here: lmo decides, and the tests
check its certificates with dlref.py."""
import random
from fractions import Fraction as F

from dlref import inv as _inv, mul as _mul




def _unimodular(n, rng):
    L = [[F(int(i == j)) for j in range(n)] for i in range(n)]
    U = [[F(int(i == j)) for j in range(n)] for i in range(n)]
    for i in range(n):
        for j in range(i):
            L[i][j], U[j][i] = F(rng.randint(-1, 1)), F(rng.randint(-1, 1))
    return _mul(L, U)


def _spell(x):
    return x.numerator if x.denominator == 1 else "%d/%d" % (x.numerator, x.denominator)


def _mat(M):
    return {"rows": len(M), "cols": len(M[0]), "data": [[_spell(v) for v in r] for r in M]}


def point(rng, short=True):
    """The input {X, Y, weights} of one critical point, or None when the draw leaves a hidden
    layer no wider than the product's rank (then the draw is repeated by the caller). With
    SHORT, strands are mostly short, which makes points without order-2 escapes (bad saddles)
    common."""
    H = rng.randint(2, 4)
    dy = rng.randint(2, 3)
    dx = rng.randint(dy, 4)
    pbar = rng.randint(0, dy - 1)
    s = sorted(rng.sample(range(1, 3 * dy + 2), dy), reverse=True)
    strands = [(0, H + 1, i, i) for i in range(pbar)]          # (a, b, input, output)
    for i in range(pbar, dx):
        b = rng.randint(0, H - 1 if i < dy else H)
        if short and rng.random() < 0.7:
            b = 0
        strands.append((0, b, i, None))
    for j in range(pbar, dy):
        bj = next(st[1] for st in strands if st[2] == j)
        a = rng.randint(bj + 2, H + 1)
        if short and rng.random() < 0.7:
            a = H + 1
        strands.append((a, H + 1, None, j))
    for _ in range(rng.randint(0, 4)):
        a = rng.randint(1, H)
        b = a if short and rng.random() < 0.6 else rng.randint(a, H)
        strands.append((a, b, None, None))
    d = [dx] + [sum(1 for st in strands if st[0] <= k <= st[1]) for k in range(1, H + 1)] + [dy]
    if min(d[1:H + 1]) <= pbar:
        return None
    pos = []
    for k in range(H + 2):
        alive = [n for n, st in enumerate(strands) if st[0] <= k <= st[1]]
        rng.shuffle(alive)
        pos.append({n: i for i, n in enumerate(alive)})
    pos[0] = {n: st[2] for n, st in enumerate(strands) if st[0] == 0}
    pos[H + 1] = {n: st[3] for n, st in enumerate(strands) if st[1] == H + 1}
    G = [None] + [_unimodular(d[k], rng) for k in range(1, H + 1)]
    W = []
    for k in range(1, H + 2):
        S = [[F(0)] * d[k - 1] for _ in range(d[k])]
        for n, st in enumerate(strands):
            if st[0] <= k - 1 and st[1] >= k:
                full_input = k == 1 and st[2] is not None and st[2] < pbar
                S[pos[k][n]][pos[k - 1][n]] = F(s[st[2]]) if full_input else F(1)
        M = S
        if k <= H:
            M = _mul(G[k], M)
        if k >= 2:
            M = _mul(M, _inv(G[k - 1]))
        W.append(M)
    X = [[F(int(i == j)) for j in range(dx)] for i in range(dx)]
    Y = [[F(s[i]) if i == j else F(0) for j in range(dx)] for i in range(dy)]
    return {"X": _mat(X), "Y": _mat(Y), "weights": [_mat(w) for w in W]}


def vectors(seed, count):
    rng = random.Random(seed)
    out = []
    while len(out) < count:
        inp = point(rng, short=len(out) % 4 != 3)
        if inp is not None:
            vid = "strand-%d-%d" % (seed, len(out))
            out.append({"format": "lmo-vector/1", "kind": "deep_linear", "id": vid,
                        "source": "tests/checker/dlstrands.py (seed %d)" % seed, "input": inp})
    return out
