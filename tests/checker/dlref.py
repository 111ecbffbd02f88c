"""Independent reference computations for lmo-check's deep_linear, witness and bundle tests
(certificate formats: vectors/schema/lmo-cert-1.md).

Written from the papers' formulas with Python fractions (and sympy where noted), never with
lmo's or lmo-check's code:
- deep linear (Kawaguchi 2016 Section 2): loss 1/2 ||W(H+1)...W1 X - Y||_F^2, gradient by
  Lemma 4.1 (block k = A_k^T R B_k^T), loss along a polynomial curve by polynomial-matrix
  products, and (small networks) the Hessian by sympy's symbolic differentiation;
- Soudry-Carmon: forward pass (3.1), Delta_l (5.2), G_l = Delta_l o V_{l-1} (5.4), and the
  witness of (B.3)-(B.5) built from its definition.
"""
import os
import sys
from fractions import Fraction as F

import sympy

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from exact import value as num  # noqa: E402  (the tests' one reader of exact numbers)


def spell(x):
    x = F(x)
    return x.numerator if x.denominator == 1 and abs(x.numerator) < 2**62 else \
        "%d/%d" % (x.numerator, x.denominator)


def mat(j):
    return [[num(v) for v in row] for row in j["data"]]


def mat_json(M, cols=None):
    return {"rows": len(M), "cols": cols if cols is not None else (len(M[0]) if M else 0),
            "data": [[spell(v) for v in row] for row in M]}


def mul(A, B):
    n = len(B[0]) if B else 0
    return [[sum((A[i][k] * B[k][j] for k in range(len(B))), F(0)) for j in range(n)]
            for i in range(len(A))]


def T(A):
    return [list(r) for r in zip(*A)] if A else []


def eye(n):
    return [[F(int(i == j)) for j in range(n)] for i in range(n)]


def det(M):
    A, d = [list(r) for r in M], F(1)
    for k in range(len(A)):
        p = next((i for i in range(k, len(A)) if A[i][k]), None)
        if p is None:
            return F(0)
        if p != k:
            A[k], A[p], d = A[p], A[k], -d
        d *= A[k][k]
        for i in range(k + 1, len(A)):
            f = A[i][k] / A[k][k]
            A[i] = [a - f * b for a, b in zip(A[i], A[k])]
    return d


def inv(M):
    """Gauss-Jordan inverse of an invertible square matrix."""
    n = len(M)
    A = [list(r) + [F(int(i == j)) for j in range(n)] for i, r in enumerate(M)]
    for k in range(n):
        p = next(i for i in range(k, n) if A[i][k])
        A[k], A[p] = A[p], A[k]
        A[k] = [x / A[k][k] for x in A[k]]
        for i in range(n):
            if i != k and A[i][k]:
                f = A[i][k]
                A[i] = [a - f * b for a, b in zip(A[i], A[k])]
    return [r[n:] for r in A]


# ---------------------------------------------------------------- deep linear
class DL:
    def __init__(self, inp):
        self.X, self.Y = mat(inp["X"]), mat(inp["Y"])
        self.W = [mat(w) for w in inp["weights"]]
        self.shapes = [(len(w["data"]), w["cols"]) for w in inp["weights"]]
        self.n = sum(r * c for r, c in self.shapes)

    def theta(self):
        return [v for W in self.W for row in W for v in row]

    def with_theta(self, th):
        out, k = [], 0
        for r, c in self.shapes:
            out.append([th[k + i * c:k + (i + 1) * c] for i in range(r)])
            k += r * c
        return out

    def prod(self, Ws, lo, hi, start):
        P = start
        for k in range(lo, hi):
            P = mul(Ws[k], P)
        return P

    def residual(self, Ws=None):
        Ws = Ws or self.W
        P = self.prod(Ws, 0, len(Ws), self.X)
        return [[P[i][j] - self.Y[i][j] for j in range(len(P[0]))] for i in range(len(P))]

    def loss(self, Ws=None):
        return sum((v * v for row in self.residual(Ws) for v in row), F(0)) / 2

    def gradient(self, Ws=None):
        """Lemma 4.1: dL/dW_k = A_k^T R B_k^T, A_k = W(H+1)...W(k+1), B_k = W(k-1)...W1 X."""
        Ws = Ws or self.W
        R = self.residual(Ws)
        g = []
        for k in range(len(Ws)):
            B = self.prod(Ws, 0, k, self.X)
            A = self.prod(Ws, k + 1, len(Ws), eye(len(Ws[k])))
            G = mul(mul(T(A), R), T(B))
            g += [v for row in G for v in row]
        return g

    def curve(self, D):
        """Coefficients of L(theta + t D[0] + t^2 D[1] + ...) in Q[t], by products of
        matrices of polynomials (lists of coefficients)."""
        def pmul(A, B):
            out = []
            for i in range(len(A)):
                row = []
                for j in range(len(B[0])):
                    acc = []
                    for k in range(len(B)):
                        a, b = A[i][k], B[k][j]
                        for p, x in enumerate(a):
                            for q, y in enumerate(b):
                                while len(acc) <= p + q:
                                    acc.append(F(0))
                                acc[p + q] += x * y
                    row.append(acc)
                out.append(row)
            return out
        th = self.theta()
        polys = [[th[i]] + [F(d[i]) for d in D] for i in range(self.n)]
        Wp = self.with_theta(polys)
        P = [[[v] for v in row] for row in self.X]
        for W in Wp:
            P = pmul(W, P)
        out = []
        for i, row in enumerate(P):
            for j, p in enumerate(row):
                r = list(p)
                r[0] -= self.Y[i][j]
                for a, x in enumerate(r):
                    for b, y in enumerate(r):
                        while len(out) <= a + b:
                            out.append(F(0))
                        out[a + b] += x * y / 2
        while len(out) > 1 and out[-1] == 0:
            out.pop()
        return out

    def _ring_loss(self, names, subs):
        """1/2 ||W(H+1)...W1 X - Y||^2 in sympy's sparse polynomial ring over QQ, with the
        parameters replaced by subs(theta, generators)."""
        R, *gens = sympy.polys.rings.ring(names, sympy.QQ)
        q = lambda v: R(sympy.QQ(v.numerator, v.denominator))  # noqa: E731
        Ws = self.with_theta(subs(self.theta(), gens, q))
        P = [[q(v) for v in row] for row in self.X]
        for W in Ws:
            P = [[sum((W[i][k] * P[k][j] for k in range(len(P))), R(0)) for j in range(len(P[0]))]
                 for i in range(len(W))]
        return sum(((P[i][j] - q(self.Y[i][j])) ** 2 for i in range(len(P))
                    for j in range(len(P[0]))), R(0)) * R(sympy.QQ(1, 2))

    def hessian_sympy(self):
        """Gradient and Hessian by sympy: L(theta + delta) expanded as a polynomial in n
        symbols delta; its degree-1 and degree-2 coefficients (small n only)."""
        L = self._ring_loss(",".join("x%d" % i for i in range(self.n)),
                            lambda th, gens, q: [q(v) + x for v, x in zip(th, gens)])
        g, H = [F(0)] * self.n, [[F(0)] * self.n for _ in range(self.n)]
        for mono, coef in L.terms():
            c = F(int(coef.numerator), int(coef.denominator))
            idx = [i for i, e in enumerate(mono) for _ in range(e)]
            if len(idx) == 1:
                g[idx[0]] = c
            elif len(idx) == 2 and idx[0] == idx[1]:
                H[idx[0]][idx[0]] = 2 * c
            elif len(idx) == 2:
                H[idx[0]][idx[1]] = H[idx[1]][idx[0]] = c
        return g, H

    def curve_sympy(self, D):
        """The curve polynomial again, in sympy's ring QQ[t]."""
        L = self._ring_loss("t", lambda th, gens, q: [
            q(v) + sum((q(F(Dk[i])) * gens[0] ** (j + 1) for j, Dk in enumerate(D)), q(F(0)))
            for i, v in enumerate(th)])
        out = [F(0)] * (L.degree() + 1 if L else 1)
        for (e,), coef in L.terms():
            out[e] = F(int(coef.numerator), int(coef.denominator))
        return out


def ldl(H):
    """P^T H P = L D L^T by symmetric pivoting (largest |diagonal|); None if a zero diagonal
    meets a non-zero off-diagonal entry (then H is indefinite)."""
    n = len(H)
    A = [list(r) for r in H]
    perm = list(range(n))
    L = eye(n)
    D = [F(0)] * n
    for k in range(n):
        p = max(range(k, n), key=lambda i: abs(A[i][i]))
        if A[p][p] == 0:
            if any(A[i][j] for i in range(k, n) for j in range(k, n)):
                return None
            break
        A[k], A[p] = A[p], A[k]  # symmetric swap of rows and columns k, p
        for r in A:
            r[k], r[p] = r[p], r[k]
        perm[k], perm[p] = perm[p], perm[k]
        for j in range(k):
            L[k][j], L[p][j] = L[p][j], L[k][j]
        D[k] = A[k][k]
        for i in range(k + 1, n):
            L[i][k] = A[i][k] / D[k]
        for i in range(k + 1, n):
            for j in range(k + 1, n):
                A[i][j] -= L[i][k] * D[k] * L[j][k]
        for i in range(k + 1, n):
            A[i][k] = A[k][i] = F(0)
    return perm, L, D


def ldl_holds(H, perm, L, D):
    n = len(H)
    return all(sum((L[a][k] * D[k] * L[b][k] for k in range(n)), F(0)) == H[perm[a]][perm[b]]
               for a in range(n) for b in range(n))


# ---------------------------------------------------------------- Soudry-Carmon
def khatri_rao(A, X):
    N = len(A[0]) if A else (len(X[0]) if X else 0)
    return [[A[i][n] * X[j][n] for n in range(N)] for i in range(len(A)) for j in range(len(X))]


def forward(X, Ws, Es, s):
    """(3.1) for l < L: a = eps (u >= 0) or s eps (u < 0); returns (A list, V list, #zeros)."""
    V, A, zeros = [X], [None], 0
    for l in range(1, len(Ws)):
        U = mul(Ws[l - 1], V[-1])
        E = Es[l - 1] if Es else [[F(1)] * len(U[0]) for _ in U]
        a = [[E[i][n] * (1 if U[i][n] >= 0 else s) for n in range(len(U[0]))]
             for i in range(len(U))]
        zeros += sum(1 for row in U for v in row if v == 0)
        A.append(a)
        V.append([[a[i][n] * U[i][n] for n in range(len(U[0]))] for i in range(len(U))])
    return A, V, zeros


def G_layer(Ws, A, V, l):
    """(5.2): Delta_L = 1, Delta_k = A_k . (W_{k+1}^T Delta_{k+1}); (5.4): G_l = Delta_l o V_{l-1}."""
    N = len(V[0][0])
    D = [[F(1)] * N]
    for k in range(len(Ws) - 1, l - 1, -1):
        Dn = mul(T(Ws[k]), D)
        D = [[Dn[i][n] * A[k][i][n] for n in range(N)] for i in range(len(Dn))]
    return khatri_rao(D, V[l - 1])


def witness(d, N):
    """(B.3)-(B.5) (Fact 2 for L = 2), realised as lmo/soudry_carmon/witness.h describes: X' = 1 (L >= 3)
    or [1_{1 x d1} (x) I_{d0}]_{1..N} (L = 2); W'_l = [1, 0, ..., 0] columns for l <= L-2,
    W'_{L-1} = 1, W'_L = 1; dropout = the activations A'_l (every u > 0); slope 1/10."""
    L = len(d) - 1
    one = lambda r, c: [[F(1)] * c for _ in range(r)]
    if L == 2:
        X = [[F(int(n % d[0] == j)) for n in range(N)] for j in range(d[0])]
    else:
        X = one(d[0], N)
    Ws = []
    for l in range(1, L + 1):
        if l <= L - 2:
            Ws.append([[F(int(j == 0)) for j in range(d[l - 1])] for _ in range(d[l])])
        else:
            Ws.append(one(d[l], d[l - 1]))
    A = []
    for l in range(1, L):
        if l < L - 2:
            A.append(one(d[l], N))
        elif l == L - 2:
            A.append([[F(int(n % d[l] == i)) for n in range(N)] for i in range(d[l])])
        else:
            A.append([[F(int(n // d[L - 2] == i)) for n in range(N)] for i in range(d[l])])
    return X, Ws, A


def witness_cert(d, N, vector="cli"):
    X, Ws, A = witness(d, N)
    return {"format": "lmo-cert/1", "claim": "witness", "vector": vector, "widths": list(d),
            "N": N, "layer": len(d) - 2, "slope": "1/10", "X": mat_json(X, N),
            "weights": [mat_json(W, d[l]) for l, W in enumerate(Ws)],
            "dropout": [mat_json(a, N) for a in A], "activations": [mat_json(a, N) for a in A],
            "rank": N}
