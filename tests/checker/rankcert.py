"""Independent generator of rank certificates for lmo-check's tests, in the format of
vectors/schema/lmo-cert-1.md ("The rank certificate").

Everything here is derived with Python's fractions and sympy, never with lmo's code:
rank and pivots from sympy's exact rref, a non-singular minor from the pivot columns and
then the pivot rows of that column block, the kernel from sympy's nullspace (echelon form:
1 at its own free column, 0 at the other free columns). The Khatri-Rao product is written
from its definition G[i*d0 + j][n] = A[i][n] * X[j][n] (Soudry-Carmon (4.4)).
"""
from fractions import Fraction as F
import random

import sympy

P31 = 2**31 - 1
P62 = int(sympy.prevprime(2**62))
P63_BELOW = int(sympy.prevprime(2**63))  # largest prime on the native 64-bit path
P63_ABOVE = int(sympy.nextprime(2**63))  # smallest prime on the mpz path
P64 = int(sympy.nextprime(2**64))
P127 = int(sympy.nextprime(2**127))
PRIMES = [P31, P62, P63_BELOW, P63_ABOVE, P64, P127]


# ---- spelling exact numbers in the ways DESIGN.md allows ----
def spell(x, style):
    """A JSON value whose exact value is the Fraction x, written in the given style
    (falling back to "a/b" when the style cannot express x)."""
    x = F(x)
    if style == "int" and x.denominator == 1 and -2**63 <= x.numerator < 2**63:
        return x.numerator
    if style == "hex" and x.denominator & (x.denominator - 1) == 0:
        e = x.denominator.bit_length() - 1
        s = "-" if x < 0 else ""
        return "%s0x%xp-%d" % (s, abs(x.numerator), e)
    if style == "dec":
        d, k2, k5 = x.denominator, 0, 0
        while d % 2 == 0:
            d, k2 = d // 2, k2 + 1
        while d % 5 == 0:
            d, k5 = d // 5, k5 + 1
        if d == 1:  # x = a / 10^k exactly
            k = max(k2, k5)
            a = x.numerator * 10**k // x.denominator
            s = "-" if a < 0 else ""
            digits = str(abs(a)).rjust(k + 1, "0")
            return s + digits[:len(digits) - k] + ("." + digits[len(digits) - k:] if k else "")
    if style == "exp" and x.denominator in (1,) + tuple(10**k for k in range(1, 40)):
        k = len(str(x.denominator)) - 1
        return "%de-%d" % (x.numerator, k)
    if x.denominator == 1:
        return str(x.numerator)
    return "%d/%d" % (x.numerator, x.denominator)


def matrix_json(rows, ncols, style="mixed", rng=None):
    styles = ["int", "frac", "dec", "hex", "exp"]
    data = []
    for i, r in enumerate(rows):
        row = []
        for j, x in enumerate(r):
            st = styles[(i * 7 + j * 3) % len(styles)] if style == "mixed" else style
            row.append(spell(x, st))
        data.append(row)
    return {"rows": len(rows), "cols": ncols, "data": data}


def khatri_rao(A, X):
    d1, d0 = len(A), len(X)
    N = len(A[0]) if d1 else (len(X[0]) if d0 else 0)
    return [[A[i][n] * X[j][n] for n in range(N)] for i in range(d1) for j in range(d0)]


# ---- the certificate, derived independently ----
def rank_data(G, ncols):
    """rank, minor rows, minor cols, free columns, kernel vectors (Fractions)."""
    m, n = len(G), ncols
    if m == 0 or n == 0:
        free = list(range(n))
        kern = [[F(int(i == j)) for i in range(n)] for j in range(n)]
        return 0, [], [], free, kern
    M = sympy.Matrix(m, n, lambda i, j: sympy.Rational(G[i][j].numerator, G[i][j].denominator))
    _, piv = M.rref()
    r = M.rank()
    assert r == len(piv)
    cols = list(piv)
    if r:
        _, rpiv = M.extract(list(range(m)), cols).T.rref()
        rows = list(rpiv)
        assert len(rows) == r and M.extract(rows, cols).det() != 0
    else:
        rows = []
    free = [j for j in range(n) if j not in piv]
    kern = []
    for v in M.nullspace():
        kern.append([F(int(sympy.fraction(e)[0]), int(sympy.fraction(e)[1])) for e in v])
    assert len(kern) == len(free)
    for a, v in enumerate(kern):  # echelon form, as the certificate format requires
        for b, f in enumerate(free):
            assert v[f] == (1 if a == b else 0)
        for i in range(m):
            assert sum(G[i][j] * v[j] for j in range(n)) == 0
    return r, rows, cols, free, kern


def minor_det(G, rows, cols):
    if not rows:
        return F(1)
    M = sympy.Matrix(len(rows), len(cols),
                     lambda a, b: sympy.Rational(G[rows[a]][cols[b]].numerator,
                                                 G[rows[a]][cols[b]].denominator))
    d = sympy.Rational(M.det())
    return F(int(d.p), int(d.q))


def prime_ok(G, rows, cols, p):
    """The rank >= r rule, evaluated from its definition: p coprime to every denominator of
    the minor, and the rational determinant non-zero mod p."""
    for i in rows:
        for j in cols:
            if sympy.gcd(G[i][j].denominator, p) != 1:
                return False
    d = minor_det(G, rows, cols)
    return d.numerator % p != 0


def good_prime(G, rows, cols, start):
    p = start if sympy.isprime(start) else int(sympy.nextprime(start))
    while not prime_ok(G, rows, cols, p):
        p = int(sympy.nextprime(p))
    return p


def certificate(vid, G, ncols, prime, style="mixed"):
    r, rows, cols, free, kern = rank_data(G, ncols)
    p = good_prime(G, rows, cols, prime)
    styles = ["frac", "dec", "hex", "exp", "int"]
    vecs = [[spell(x, styles[(a + j) % 5] if style == "mixed" else style)
             for j, x in enumerate(v)] for a, v in enumerate(kern)]
    return {"format": "lmo-cert/1", "claim": "rank", "vector": vid, "rows": len(G),
            "cols": ncols, "rank": r,
            "minor": {"prime": str(p), "rows": rows, "cols": cols},
            "kernel": {"free": free, "vectors": vecs}}


def set_den_prime(G, cert):
    """A tampering: the minor's prime set to a prime factor of a denominator of the minor's
    entries of G (so the minor is not defined mod p). False where every entry is an integer."""
    mi = cert["minor"]
    dens = [G[i][j].denominator for i in mi["rows"] for j in mi["cols"] if G[i][j].denominator > 1]
    if not dens:
        return False
    mi["prime"] = str(max(sympy.factorint(dens[0])))
    return True


def vector(vid, kind, inp, rank, ncols, cert=None):
    v = {"format": "lmo-vector/1", "kind": kind, "id": vid,
         "source": "tests/checker generator (python fractions + sympy)",
         "input": inp, "expect": {"rank": rank, "full_column_rank": rank == ncols}}
    if cert is not None:
        v["certificate"] = cert
    return v


# ---- the test matrices ----
def rand_frac(rng, num=9, den=(1, 1, 1, 2, 3, 4, 5, 7, 8, 10, 16, 1000)):
    return F(rng.randint(-num, num), rng.choice(den))


def low_rank(rng, m, n, r, gen):
    L = [[gen() for _ in range(r)] for _ in range(m)]
    R = [[gen() for _ in range(n)] for _ in range(r)]
    return [[sum(L[i][k] * R[k][j] for k in range(r)) for j in range(n)] for i in range(m)]


def cases():
    """(id, kind, input, G, ncols): matrix_rank and khatri_rao_rank, edge cases first."""
    rng = random.Random(20240611)
    out = []

    def mat(vid, rows, n, style="mixed"):
        out.append((vid, "matrix_rank", {"M": matrix_json(rows, n, style)},
                    [[F(x) for x in r] for r in rows], n))

    def kr(vid, A, X, style="mixed"):
        N = len(A[0]) if A else len(X[0]) if X else 0
        inp = {"A": matrix_json(A, N, style), "X": matrix_json(X, N, style)}
        out.append((vid, "khatri_rao_rank", inp, khatri_rao(A, X), N))

    mat("m-0x3", [], 3)
    mat("m-3x0", [[], [], []], 0)
    mat("m-0x0", [], 0)
    mat("m-zero-3x4", [[F(0)] * 4 for _ in range(3)], 4)
    mat("m-1x1-zero", [[F(0)]], 1)
    mat("m-1x1", [[F(-5, 7)]], 1, "frac")
    u = [F(1, 2), F(-3), F(7, 10)]
    w = [F(2), F(0), F(-1, 4), F(5, 8)]
    mat("m-rank-one", [[a * b for b in w] for a in u], 4)
    mat("m-identity-5", [[F(int(i == j)) for j in range(5)] for i in range(5)], 5, "int")
    mat("m-full-rank-int", [[F(rng.randint(-20, 20)) for _ in range(6)] for _ in range(4)], 6, "int")
    mat("m-tall-full-col", [[rand_frac(rng) for _ in range(3)] for _ in range(7)], 3)
    mat("m-wide", [[rand_frac(rng) for _ in range(7)] for _ in range(2)], 7)
    mat("m-low-rank-6x5", low_rank(rng, 6, 5, 3, lambda: F(rng.randint(-4, 4))), 5, "int")
    mat("m-low-rank-rational", low_rank(rng, 5, 6, 2, lambda: rand_frac(rng)), 6)
    mat("m-decimals", low_rank(rng, 4, 4, 3, lambda: F(rng.randint(-999, 999), 100)), 4, "dec")
    mat("m-hexfloats", low_rank(rng, 4, 5, 3, lambda: F(rng.randint(-99, 99), 2**rng.randint(0, 60))), 5, "hex")
    mat("m-exp", [[F(1, 10**30), F(3)], [F(2, 10**30), F(6)]], 2, "exp")
    mat("m-hilbert-4", [[F(1, i + j + 1) for j in range(4)] for i in range(4)], 4, "frac")
    big = 2**100 + 277
    mat("m-bigint", [[F(big), F(big + 1)], [F(big - 1), F(big)], [F(1), F(1)]], 2)
    mat("m-int64-edge", [[F(2**63 - 1), F(-2**63)], [F(1), F(-1)]], 2, "int")
    mat("m-zero-row", [[F(1), F(2)], [F(0), F(0)], [F(3), F(4)]], 2)
    mat("m-dup-cols", [[F(1), F(2), F(1), F(2)], [F(3), F(4), F(3), F(4)], [F(5), F(6), F(5), F(6)]], 4)
    kr("kr-generic", [[rand_frac(rng) for _ in range(3)] for _ in range(2)],
       [[rand_frac(rng) for _ in range(3)] for _ in range(3)])
    kr("kr-wide", [[F(rng.randint(-5, 5)) for _ in range(5)] for _ in range(2)],
       [[F(rng.randint(-5, 5)) for _ in range(5)] for _ in range(2)], "int")
    a = [[F(1), F(2), F(1), F(0)], [F(3), F(-1), F(3), F(0)]]
    x = [[F(1, 2), F(1), F(1, 2), F(4)], [F(0), F(5), F(0), F(1)], [F(2), F(2), F(2), F(-1)]]
    kr("kr-repeated-col", a, x)  # columns 0 and 2 coincide, A has a zero column
    kr("kr-n0", [[], []], [[], [], []])
    kr("kr-d1-0", [], [[F(1), F(2), F(3)], [F(4), F(5), F(6)]])
    kr("kr-decimal-hex", [[F(1, 4), F(-3, 8)], [F(5, 2), F(1, 16)]],
       [[F(1, 10), F(7, 100)], [F(-2, 5), F(3)]], "dec")
    kr("kr-rank-deficient", low_rank(rng, 3, 6, 1, lambda: F(rng.randint(-3, 3))),
       [[F(rng.randint(-3, 3)) for _ in range(6)] for _ in range(2)], "int")
    return out
