#!/usr/bin/env python3
"""truth.py -- an independent truth evaluator for lmo's golden vectors and certificates.

The differential soundness fuzzer feeds structurally mutated (vector, certificate) pairs to
lmo-check; whenever lmo-check ACCEPTS, this program decides, from the vector's INPUT alone and
with its own exact arithmetic, whether every claim is really true:

  * every member of the vector's "expect" (not "report", "fast", "flags", "source");
  * the certificate's own verdicts ("rank" of a rank certificate, the members of a bundle,
    "class"/"critical" of a deep_linear certificate, the network of a witness certificate).

Other certificate members (minors, kernels, LDL factors, tau, ...) are evidence, not claims, and
are not read, except that a deep_linear certificate's "descent_curve"/"ascent_curve" are
re-expanded here to confirm a bad_saddle.

It is written from the paper definitions (Soudry & Carmon 2016 (3.1)-(5.5), Lemma 3, Lemma 8;
Kawaguchi 2016 Section 2), DESIGN.md's number and vector formats and the certificate formats of
vectors/schema/lmo-cert-1.md (which members are claims), NOT from lmo's C code
(numbers: tests/lib/exact.py, the Python tests' one reader, itself written apart from it).
All linear algebra is exact: Python integers and fractions.Fraction.  sympy is used only to
factor the characteristic polynomial of Sigma and to isolate/refine its real roots exactly.
Two kinds go further: khk through tests/khk/khk_ref.py (fractions, from Kawaguchi, Huang &
Kaelbling 2019), and nguyen_hein, whose rank [F_k, 1] is transcendental: mpmath's singular
values at growing precision, decided only when they split with a wide gap, else UNDECIDED.

usage: truth.py [--jobs N] [--timeout S] [--max-patterns K] FILE...

Each FILE is a JSON object {"vector": V, "certificate": C} (C may be null when V embeds a
"certificate", or when V is itself a stand-alone witness certificate), or a vector (with an
embedded certificate), or a stand-alone witness certificate.  One line per file:

  TRUE file
  FALSE file: <member>: <why>         a claim is decidedly false
  UNDECIDED file: <member>: <why>     cannot be decided within the limits, or malformed input

then a summary line.  Exit 1 if any file is FALSE, else 0 (2 on a usage error).

Importable: evaluate(vector, cert) -> (status, member, why), status in TRUE/FALSE/UNDECIDED.
"""

import math
import os
import re
import sys
from fractions import Fraction

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import exact  # noqa: E402  (tests/lib/exact.py, see "numbers" below)

try:
    sys.set_int_max_str_digits(0)  # numbers up to MAX_BITS bits are allowed; we guard sizes ourselves
except AttributeError:  # Python < 3.11
    pass

# ---------------------------------------------------------------------------------------------
# limits (a mutated file must not hang or exhaust the evaluator)
MAX_BITS = 100000            # bits of one input number (numerator + denominator)
MAX_ENTRIES = 10 ** 6        # entries of one matrix, and of any derived matrix we build
MAX_DIM = 100000             # one dimension
MAX_PATTERNS = 1 << 16       # exhaustive activation patterns we are willing to enumerate
MAX_PARAMS = 1000            # deep_linear parameters (Hessian is n x n)
MAX_CURVE_TERMS = 64         # D1, D2, ... of a descent / ascent curve
MAX_REFINE_ROUNDS = 60       # root-interval refinement rounds (each shrinks by >= 2^16)
MAX_DEPTH = 64               # layers of a network

STATUS_TRUE, STATUS_FALSE, STATUS_UNDECIDED = "TRUE", "FALSE", "UNDECIDED"


class Undecided(Exception):
    """A claim (member) that cannot be decided; why says why."""

    def __init__(self, member, why):
        Exception.__init__(self, member, why)
        self.member = member
        self.why = why


def sint(v):
    """An integer for a message (huge ones summarised)."""
    return str(v) if v.bit_length() <= 200 else "<%d-bit integer>" % v.bit_length()


def malformed(member, why):
    return Undecided(member, "malformed: " + why)


def short(x, n=60):
    """A short printable rendering of a value for messages."""
    if isinstance(x, Fraction):
        if x.numerator.bit_length() + x.denominator.bit_length() > 400:
            return "<%d-bit number>" % (x.numerator.bit_length() + x.denominator.bit_length())
        s = str(x)
    else:
        try:
            s = repr(x)
        except Exception:  # pragma: no cover
            s = "<value>"
    s = "".join(c if 32 <= ord(c) < 127 else "?" for c in s)
    return s if len(s) <= n else s[:n - 3] + "..."


# ---------------------------------------------------------------------------------------------
# numbers (DESIGN.md "Numbers"): JSON integers, or strings: "12", "-3/7", "0.1", "-2.5e-3",
# "1E3", ".5", "5.", "0x1.8p-3", "0x10", each with an optional sign -- read by tests/lib/exact.py,
# the one reader of the Python tests. That keeps this evaluator independent where it must be:
# exact.py is Python written apart from lmo's and lmo-check's C parsers, and checker.numbers
# holds it against lmo-check's on every spelling; the size guard (MAX_BITS, 9-digit exponents)
# is exact.py's, decided from the spelling before a number is built.


def _big(path):
    return Undecided(path, "number beyond %d bits" % MAX_BITS)


def number(x, path):
    """The exact Fraction a JSON value denotes; raises Undecided (malformed) otherwise."""
    try:
        return exact.value(x, max_bits=MAX_BITS)
    except exact.TooBig:
        raise _big(path)
    except exact.NotExact as e:
        raise malformed(path, str(e))


def integer(x, path, lo=None):
    """A claim that must be an integer (JSON integer or an integral number string)."""
    v = number(x, path)
    if v.denominator != 1:
        raise malformed(path, "not an integer: %s" % short(x))
    v = v.numerator
    if lo is not None and v < lo:
        raise malformed(path, "out of range: %d" % v)
    return v


def dim(x, path, lo=0):
    """A dimension: a JSON integer in [lo, MAX_DIM]."""
    if type(x) is not int:
        raise malformed(path, "dimension is not a JSON integer: %s" % short(x))
    if x < lo:
        raise malformed(path, "dimension %d < %d" % (x, lo))
    if x > MAX_DIM:
        raise Undecided(path, "dimension %d beyond %d" % (x, MAX_DIM))
    return x


def boolean(x, path):
    if type(x) is not bool:
        raise malformed(path, "not a JSON boolean: %s" % short(x))
    return x


def need(obj, key, path):
    if not isinstance(obj, dict):
        raise malformed(path, "not an object")
    if key not in obj:
        raise malformed(path + "." + key, "missing")
    return obj[key]


class Mat:
    """A dense matrix of Fractions: r rows, c columns, a[i][j]."""
    __slots__ = ("r", "c", "a")

    def __init__(self, r, c, a):
        self.r, self.c, self.a = r, c, a

    def col(self, j):
        return [row[j] for row in self.a]

    def T(self):
        return Mat(self.c, self.r, [list(col) for col in zip(*self.a)] if self.r else
                   [[] for _ in range(self.c)])

    def __eq__(self, other):
        return isinstance(other, Mat) and self.r == other.r and self.c == other.c and self.a == other.a

    __hash__ = None


def check_entries(n, path):
    if n > MAX_ENTRIES:
        raise Undecided(path, "%d entries beyond %d" % (n, MAX_ENTRIES))


def matrix(obj, path):
    """Parse {"rows","cols","data"} (row-major) into a Mat."""
    if not isinstance(obj, dict):
        raise malformed(path, "matrix is not an object")
    r = dim(need(obj, "rows", path), path + ".rows")
    c = dim(need(obj, "cols", path), path + ".cols")
    check_entries(r * c, path)
    data = need(obj, "data", path)
    if not isinstance(data, list) or len(data) != r:
        raise malformed(path + ".data", "has %s rows but rows = %d"
                        % (len(data) if isinstance(data, list) else "no", r))
    a = []
    for i, row in enumerate(data):
        if not isinstance(row, list) or len(row) != c:
            raise malformed("%s.data[%d]" % (path, i), "row does not have cols = %d entries" % c)
        a.append([number(x, "%s.data[%d][%d]" % (path, i, j)) for j, x in enumerate(row)])
    return Mat(r, c, a)


def matrix_list(obj, path, allow_single=False):
    if allow_single and isinstance(obj, dict):
        return [matrix(obj, path)]
    if not isinstance(obj, list):
        raise malformed(path, "not a list of matrices")
    if len(obj) > MAX_DEPTH:
        raise Undecided(path, "more than %d matrices" % MAX_DEPTH)
    return [matrix(m, "%s[%d]" % (path, k)) for k, m in enumerate(obj)]


def vector_of_numbers(obj, path):
    if not isinstance(obj, list):
        raise malformed(path, "not a list")
    check_entries(len(obj), path)
    return [number(x, "%s[%d]" % (path, k)) for k, x in enumerate(obj)]


# ---------------------------------------------------------------------------------------------
# exact linear algebra
def zeros(r, c):
    return Mat(r, c, [[Fraction(0)] * c for _ in range(r)])


def ones(r, c):
    return Mat(r, c, [[Fraction(1)] * c for _ in range(r)])


def eye(n):
    return Mat(n, n, [[Fraction(int(i == j)) for j in range(n)] for i in range(n)])


def matmul(A, B):
    if A.c != B.r:
        raise ValueError("shape mismatch %dx%d * %dx%d" % (A.r, A.c, B.r, B.c))
    check_entries(A.r * B.c, "product")
    Bt = list(zip(*B.a)) if B.r else [()] * B.c
    out = []
    for row in A.a:
        out.append([sum((x * y for x, y in zip(row, col)), Fraction(0)) for col in Bt])
    return Mat(A.r, B.c, out)


def matsub(A, B):
    return Mat(A.r, A.c, [[x - y for x, y in zip(ra, rb)] for ra, rb in zip(A.a, B.a)])


def hadamard(A, B):
    return Mat(A.r, A.c, [[x * y for x, y in zip(ra, rb)] for ra, rb in zip(A.a, B.a)])


def khatri_rao(A, X):
    """Soudry-Carmon (4.4): G[i*d0 + j][n] = A[i][n] * X[j][n]; A is d1 x N, X is d0 x N."""
    if A.c != X.c:
        raise ValueError("Khatri-Rao: A has %d columns, X has %d" % (A.c, X.c))
    check_entries(A.r * X.r * A.c, "Khatri-Rao product")
    rows = []
    for ai in A.a:
        for xj in X.a:
            rows.append([p * q for p, q in zip(ai, xj)])
    return Mat(A.r * X.r, A.c, rows)


def _int_row(row):
    """The row scaled by the lcm of its denominators to integers (a non-zero scaling)."""
    den = 1
    for x in row:
        d = x.denominator
        if d != 1:
            den = den * d // math.gcd(den, d)
    return [x.numerator * (den // x.denominator) for x in row]


def _reduce(v, basis):
    """Reduce integer vector v against an echelon basis [(pivot, vec)], fraction-free.
    Each basis vector is zero at the pivots of the earlier ones, so after the loop v is zero at
    every pivot; v is in the span iff it ends up zero.  Returns the reduced v (content removed)."""
    for p, b in basis:
        x = v[p]
        if x:
            y = b[p]
            v = [vi * y - bi * x for vi, bi in zip(v, b)]
            g = math.gcd(*v)
            if g > 1:
                v = [vi // g for vi in v]
    return v


def _first_nonzero(v):
    for k, x in enumerate(v):
        if x:
            return k
    return -1


def _bareiss(rows):
    """Fraction-free Gaussian elimination (Bareiss) of a list of Fraction rows.  Returns
    (rank, indices of the pivot rows): the pivot rows are linearly independent and span the row
    space.  Each row is first scaled to integers (a non-zero scaling).  After k pivots, every
    remaining entry is the (k+1)x(k+1) minor on the pivot rows and columns plus its own row and
    column (Sylvester's identity), so the division by the previous pivot is exact and entries stay
    as small as minors.  Columns are taken in increasing bit size and the pivot is the smallest
    candidate, so a few huge entries do not spread through the matrix."""
    m = len(rows)
    n = len(rows[0]) if m else 0
    if m == 0 or n == 0:
        return 0, []
    ints = [_int_row(r) for r in rows]
    order = sorted(range(n), key=lambda j: max(ints[i][j].bit_length() for i in range(m)))
    M = [[r[j] for j in order] for r in ints]
    idx = list(range(m))
    prev, r = 1, 0
    for c in range(n):
        if r == m:
            break
        cand = [i for i in range(r, m) if M[i][c]]
        if not cand:
            continue
        piv = min(cand, key=lambda i: M[i][c].bit_length())
        M[r], M[piv] = M[piv], M[r]
        idx[r], idx[piv] = idx[piv], idx[r]
        prow = M[r]
        p = prow[c]
        for i in range(r + 1, m):
            row = M[i]
            a = row[c]
            for k in range(c + 1, n):
                row[k] = (p * row[k] - a * prow[k]) // prev
            row[c] = 0
        prev = p
        r += 1
    return r, sorted(idx[:r])


def independent_rows(rows):
    """Indices of a maximal set of linearly independent rows."""
    return _bareiss(rows)[1]


def rank(M):
    """Exact rank of a Mat (or list of Fraction rows)."""
    if isinstance(M, Mat):
        r, c, a = M.r, M.c, M.a
    else:
        a = M
        r, c = len(a), (len(a[0]) if a else 0)
    if r == 0 or c == 0:
        return 0
    if c > r:  # rank(M) = rank(M^T): eliminate along the shorter side
        a = [list(col) for col in zip(*a)]
    return _bareiss(a)[0]


def solve(A, B):
    """Solve A Z = B for square invertible A (Fractions, Gauss-Jordan)."""
    n = A.r
    aug = [list(A.a[i]) + list(B.a[i]) for i in range(n)]
    for c in range(n):
        p = next((i for i in range(c, n) if aug[i][c] != 0), None)
        if p is None:
            raise ValueError("singular system")
        aug[c], aug[p] = aug[p], aug[c]
        pv = aug[c][c]
        rowc = [x / pv for x in aug[c]]
        aug[c] = rowc
        for i in range(n):
            if i != c and aug[i][c] != 0:
                f = aug[i][c]
                aug[i] = [x - f * y for x, y in zip(aug[i], rowc)]
    return Mat(n, B.c, [row[n:] for row in aug])


def _size(x):
    return x.numerator.bit_length() + x.denominator.bit_length()


def inertia(H):
    """(positive, negative, zero) of a symmetric rational matrix by congruence (Sylvester's law of
    inertia): symmetric Gaussian elimination (Schur complements, exact Fractions) with the
    smallest non-zero diagonal entry as pivot; when every remaining diagonal entry is zero but
    some off-diagonal a_ij is not, replace e_i by e_i + e_j (a congruence), which makes the (i,i)
    entry a_ii + 2 a_ij + a_jj = 2 a_ij != 0.  (Reduced fractions keep the Schur complements
    small; a fraction-free variant carries whole minors and was far slower on huge entries.)"""
    n = len(H)
    a = [list(row) for row in H]
    active = list(range(n))
    pos = neg = 0
    while active:
        cands = [i for i in active if a[i][i] != 0]
        if cands:
            piv = min(cands, key=lambda i: _size(a[i][i]))
        else:
            pair = next(((i, j) for i in active for j in active if i != j and a[i][j] != 0), None)
            if pair is None:
                break  # the remaining block is zero
            i, j = pair
            for k in active:  # row i += row j, then column i += column j
                a[i][k] += a[j][k]
            for k in active:
                a[k][i] += a[k][j]
            piv = i
        d = a[piv][piv]
        if d > 0:
            pos += 1
        else:
            neg += 1
        active.remove(piv)
        rowp = a[piv]
        for x, i in enumerate(active):
            f = a[i][piv]
            if f:
                f = f / d
                ri = a[i]
                for j in active[x:]:
                    if rowp[j]:
                        v = ri[j] - f * rowp[j]
                        ri[j] = v
                        a[j][i] = v
    return pos, neg, n - pos - neg


# ---------------------------------------------------------------------------------------------
# polynomials in one variable: ascending lists of Fractions
def ptrim(p):
    while p and p[-1] == 0:
        p.pop()
    return p


def padd(p, q):
    if len(p) < len(q):
        p, q = q, p
    out = list(p)
    for k, x in enumerate(q):
        out[k] += x
    return out


def pmul(p, q):
    if not p or not q:
        return []
    out = [Fraction(0)] * (len(p) + len(q) - 1)
    for i, x in enumerate(p):
        if x:
            for j, y in enumerate(q):
                if y:
                    out[i + j] += x * y
    return out


def pdivmod(p, q):
    p = ptrim(list(p))
    q = ptrim(list(q))
    quo = [Fraction(0)] * max(len(p) - len(q) + 1, 0)
    while len(p) >= len(q) and p:
        f = p[-1] / q[-1]
        k = len(p) - len(q)
        quo[k] = f
        for i, y in enumerate(q):
            p[i + k] -= f * y
        ptrim(p)
    return quo, p


def pgcd(p, q):
    p, q = ptrim(list(p)), ptrim(list(q))
    while q:
        _, r = pdivmod(p, q)
        p, q = q, r
    return p


def charpoly(A):
    """Ascending coefficients of det(x I - A) (Faddeev-LeVerrier, exact over Q)."""
    n = A.r
    c = [Fraction(0)] * (n + 1)
    c[n] = Fraction(1)
    M = zeros(n, n)
    for k in range(1, n + 1):
        AM = matmul(A, M) if k > 1 else zeros(n, n)
        M = Mat(n, n, [[AM.a[i][j] + (c[n - k + 1] if i == j else 0) for j in range(n)]
                       for i in range(n)])
        AM = matmul(A, M)
        c[n - k] = -sum(AM.a[i][i] for i in range(n)) / k
    return c


# ---------------------------------------------------------------------------------------------
# claim bookkeeping
class Verdict:
    """Collects the outcome of every claim; FALSE wins over UNDECIDED wins over TRUE."""

    def __init__(self):
        self.false = None
        self.undecided = None
        self.checked = 0

    def truth(self, member, ok, why):
        self.checked += 1
        if not ok and self.false is None:
            self.false = (member, why)

    def undecide(self, member, why):
        if self.undecided is None:
            self.undecided = (member, why)

    def run(self, member, fn):
        """fn() returns (ok, why) or raises Undecided."""
        try:
            ok, why = fn()
        except Undecided as u:
            if u.member and u.member.split(".")[0].split("[")[0] in ("expect", "certificate", "input"):
                self.undecide(u.member, u.why)  # a full path: more specific
            else:
                self.undecide(member, ("%s: %s" % (u.member, u.why)) if u.member else u.why)
            return
        except (ValueError, TypeError, KeyError, IndexError, AttributeError, ZeroDivisionError) as e:
            self.undecide(member, "malformed: %s" % short(str(e), 120))
            return
        self.truth(member, ok, why)

    def run_rule(self, member, rules, key):
        """Run rules[key] for member, or leave member undecided: no rule for the claim key."""
        if key in rules:
            self.run(member, rules[key])
        else:
            self.undecide(member, "no rule for this claim")

    def claim_is(self, cert, want, kind):
        """True when the certificate claims `want`; otherwise certificate.claim is undecided."""
        claim = cert.get("claim")
        if claim == want:
            return True
        self.undecide("certificate.claim", "claim %s not understood for kind %s" % (short(claim), kind))
        return False

    def result(self):
        if self.false is not None:
            return (STATUS_FALSE,) + self.false
        if self.undecided is not None:
            return (STATUS_UNDECIDED,) + self.undecided
        return (STATUS_TRUE, "", "")


def members_all(val, mem, rules):
    """An object's claims, each member k checked by rules[k](value) -> (ok, why), in order:
    the first false one, or (True, ""); a member without a rule is undecided."""
    if not isinstance(val, dict):
        raise malformed(mem, "not an object")
    for k, v in val.items():
        if k not in rules:
            raise Undecided(mem + "." + k, "no rule for this claim")
        ok, why = rules[k](v)
        if not ok:
            return False, why
    return True, ""


def eq_number(claim, truth, path, what):
    """A numeric claim (JSON value) against the exact truth (Fraction)."""
    v = number(claim, path)
    return v == truth, "%s: claimed %s, true %s" % (what, short(v), short(truth))


def eq_int(claim, truth, path, what):
    v = integer(claim, path)
    return v == truth, "%s: claimed %s, true %s" % (what, sint(v), sint(truth))


def eq_bool(claim, truth, path, what):
    v = boolean(claim, path)
    return v == truth, "%s: claimed %s, true %s" % (what, str(v).lower(), str(truth).lower())


def eq_numbers(claim, truth, path, what):
    vals = vector_of_numbers(claim, path)
    if len(vals) != len(truth):
        return False, "%s: %d entries claimed, %d true" % (what, len(vals), len(truth))
    for k, (v, t) in enumerate(zip(vals, truth)):
        if v != t:
            return False, "%s[%d]: claimed %s, true %s" % (what, k, short(v), short(t))
    return True, ""


def eq_matrix(claim, truth, path, what):
    M = matrix(claim, path)
    if (M.r, M.c) != (truth.r, truth.c):
        return False, "%s: shape %dx%d claimed, %dx%d true" % (what, M.r, M.c, truth.r, truth.c)
    for i in range(M.r):
        for j in range(M.c):
            if M.a[i][j] != truth.a[i][j]:
                return False, "%s[%d][%d]: claimed %s, true %s" % (
                    what, i, j, short(M.a[i][j]), short(truth.a[i][j]))
    return True, ""


# ---------------------------------------------------------------------------------------------
# kind matrix_rank / khatri_rao_rank
def eval_rank_kind(V, kind, inp, expect, cert):
    if kind == "matrix_rank":
        M = matrix(need(inp, "M", "input"), "input.M")
        what = "rank M"
    else:
        A = matrix(need(inp, "A", "input"), "input.A")
        X = matrix(need(inp, "X", "input"), "input.X")
        if A.c != X.c:
            raise malformed("input.X", "A has %d columns, X has %d" % (A.c, X.c))
        M = khatri_rao(A, X)
        what = "rank A o X"
    r = rank(M)
    for key, val in expect.items():
        mem = "expect." + key
        if key == "rank":
            V.run(mem, lambda: eq_int(val, r, mem, what))
        elif key == "full_column_rank":
            V.run(mem, lambda: eq_bool(val, r == M.c, mem, "%s == cols (%d)" % (what, M.c)))
        else:
            V.undecide(mem, "no rule for this claim")
    if cert is not None and V.claim_is(cert, "rank", kind):
        V.run("certificate.rank", lambda: eq_int(need(cert, "rank", "certificate"), r,
                                                 "certificate.rank", what))


# ---------------------------------------------------------------------------------------------
# Soudry-Carmon networks: forward pass (3.1), Delta_l and G_l (5.3)-(5.4)
class Net:
    """X (d0 x N), slope s, weights W1..WL (d_L = 1), dropout E1..E_{L-1}.
    Forward pass with the slopes a_l[i][n] = E_l[i][n] if u_l[i][n] >= 0 else s E_l[i][n]."""

    def __init__(self, X, s, Ws, Es, path):
        L = len(Ws)
        if L < 1:
            raise malformed(path + ".weights", "no layers")
        if L > MAX_DEPTH:
            raise Undecided(path + ".weights", "more than %d layers" % MAX_DEPTH)
        N = X.c
        prev = X.r
        for l, W in enumerate(Ws, 1):
            if W.c != prev:
                raise malformed("%s.weights[%d]" % (path, l - 1),
                                "W%d is %dx%d but d%d = %d" % (l, W.r, W.c, l - 1, prev))
            prev = W.r
        if Ws[-1].r != 1:
            raise malformed("%s.weights[%d]" % (path, L - 1), "d_L = %d, not 1" % Ws[-1].r)
        if Es is None:
            Es = [ones(W.r, N) for W in Ws[:-1]]
        if len(Es) != L - 1:
            raise malformed(path + ".dropout", "%d matrices for %d hidden layers" % (len(Es), L - 1))
        for l, (E, W) in enumerate(zip(Es, Ws), 1):
            if (E.r, E.c) != (W.r, N):
                raise malformed("%s.dropout[%d]" % (path, l - 1),
                                "E%d is %dx%d, expected %dx%d" % (l, E.r, E.c, W.r, N))
        total = sum(W.r * W.c for W in Ws)
        check_entries(total * max(N, 1), path + ".weights")
        self.X, self.s, self.Ws, self.Es, self.L, self.N = X, s, Ws, Es, L, N
        self.widths = [X.r] + [W.r for W in Ws]
        # forward pass
        self.U, self.A, self.V = [None], [None], [X]   # 1-based lists
        v = X
        for l in range(1, L):
            u = matmul(Ws[l - 1], v)
            E = Es[l - 1]
            a = Mat(u.r, N, [[E.a[i][n] if u.a[i][n] >= 0 else s * E.a[i][n] for n in range(N)]
                             for i in range(u.r)])
            v = hadamard(a, u)
            self.U.append(u)
            self.A.append(a)
            self.V.append(v)
        self.out = matmul(Ws[L - 1], v)  # 1 x N, no activation
        # Delta_L = 1, Delta_k = A_k o (W_{k+1}^T Delta_{k+1})
        D = [None] * (L + 1)
        D[L] = ones(1, N)
        for k in range(L - 1, 0, -1):
            D[k] = hadamard(self.A[k], matmul(Ws[k].T(), D[k + 1]))
        self.Delta = D
        self._G = {}

    def G(self, l):
        """G_l = Delta_l o V_{l-1} (rows i*d_{l-1} + j), l = 1..L."""
        if l not in self._G:
            self._G[l] = khatri_rao(self.Delta[l], self.V[l - 1])
        return self._G[l]

    def zero_preactivations(self):
        out = []
        for l in range(1, self.L):
            for i, row in enumerate(self.U[l].a):
                for n, x in enumerate(row):
                    if x == 0:
                        out.append((l, i + 1, n + 1))
        return out

    def differentiable(self):
        """No hidden u = 0 (Soudry-Carmon Section 4); or w = 0 with L >= 3 (Section 5: "when
        w = 0 and L >= 3, we get G = 0 so we are at a differentiable critical point")."""
        zero_w = self.L >= 3 and all(x == 0 for W in self.Ws for row in W.a for x in row)
        return zero_w or not self.zero_preactivations()

    def pattern(self):
        return [["".join("+" if x > 0 else "0" if x == 0 else "-" for x in row) for row in self.U[l].a]
                for l in range(1, self.L)]


# ---------------------------------------------------------------------------------------------
# kind witness (Soudry-Carmon Lemma 8 / (B.3)-(B.6))
def witness_network(obj, path):
    """Parse the network members of a witness certificate (or of expect.witness)."""
    X = matrix(need(obj, "X", path), path + ".X")
    s = number(need(obj, "slope", path), path + ".slope")
    Ws = matrix_list(need(obj, "weights", path), path + ".weights")
    Es = matrix_list(need(obj, "dropout", path), path + ".dropout")
    As = matrix_list(need(obj, "activations", path), path + ".activations")
    return X, s, Ws, Es, As


def eval_witness(V, inp, expect, cert):
    if cert is not None and not V.claim_is(cert, "witness", "witness"):
        cert = None
    if cert is None and not expect:
        return  # no claims
    if cert is not None:
        src, spath = cert, "certificate"
    elif isinstance(expect, dict) and isinstance(expect.get("witness"), dict):
        src, spath = expect["witness"], "expect.witness"
    else:
        raise Undecided("certificate", "no witness network to evaluate")
    X, s, Ws, Es, As = witness_network(src, spath)
    L = len(Ws)
    if L < 2:
        raise malformed(spath + ".weights", "a witness needs L >= 2 layers, has %d" % L)
    net = Net(X, s, Ws, Es, spath)
    N = X.c
    G = net.G(L - 1)
    rG = rank(G)
    is_identity = N <= G.r and all(G.a[i][n] == (1 if i == n else 0) for i in range(G.r) for n in range(N))
    differentiable = net.differentiable()
    act_match = len(As) == L - 1 and all(A == net.A[l] for l, A in enumerate(As, 1))
    widths_true = net.widths

    def act_why():
        if len(As) != L - 1:
            return "%d activation matrices for %d hidden layers" % (len(As), L - 1)
        for l, A in enumerate(As, 1):
            if (A.r, A.c) != (net.A[l].r, net.A[l].c):
                return "A%d is %dx%d, forward pass %dx%d" % (l, A.r, A.c, net.A[l].r, net.A[l].c)
            for i in range(A.r):
                for n in range(A.c):
                    if A.a[i][n] != net.A[l].a[i][n]:
                        return "A%d[%d][%d] = %s, forward pass slope %s" % (
                            l, i, n, short(A.a[i][n]), short(net.A[l].a[i][n]))
        return ""

    if cert is not None:
        c = cert
        V.truth("certificate", differentiable,
                "a hidden pre-activation is 0 at (l,i,n) = %s" % (net.zero_preactivations()[:1],))
        V.truth("certificate.activations", act_match, act_why())
        V.truth("certificate", is_identity, "G_%d is not [I]_{1..N}" % (L - 1))
        V.truth("certificate", rG == N, "rank G_%d = %d, N = %d" % (L - 1, rG, N))
        V.run("certificate.rank", lambda: eq_int(need(c, "rank", "certificate"), rG, "certificate.rank",
                                                 "rank G_%d" % (L - 1)))
        V.run("certificate.N", lambda: eq_int(need(c, "N", "certificate"), N, "certificate.N", "N (columns of X)"))
        V.run("certificate.layer", lambda: eq_int(need(c, "layer", "certificate"), L - 1,
                                                  "certificate.layer", "L-1"))

        def widths_ok():
            w = need(c, "widths", "certificate")
            if not isinstance(w, list):
                raise malformed("certificate.widths", "not a list")
            wv = [integer(x, "certificate.widths[%d]" % k) for k, x in enumerate(w)]
            return wv == widths_true, "widths %s claimed, shapes give %s" % (short(wv), short(widths_true))
        V.run("certificate.widths", widths_ok)
        bound = widths_true[L - 2] * widths_true[L - 1]
        V.truth("certificate.N", 1 <= N <= bound, "N = %d not in [1, d_{L-2} d_{L-1} = %d]" % (N, bound))

    if isinstance(inp, dict):  # the vector's input describes the network (certificate or expect.witness)
        for key, val in inp.items():
            mem = "input." + key
            if key == "widths":
                def f(val=val, mem=mem):
                    if not isinstance(val, list):
                        raise malformed(mem, "not a list")
                    wv = [integer(x, "%s[%d]" % (mem, k)) for k, x in enumerate(val)]
                    return wv == widths_true, "input widths %s, the network's %s" % (short(wv), short(widths_true))
                V.run(mem, f)
            elif key == "N":
                V.run(mem, lambda val=val, mem=mem: eq_int(val, N, mem, "input N vs the network's"))
            # other input members are not claims

    for key, val in (expect or {}).items():
        mem = "expect." + key
        if key == "G_identity":
            V.run(mem, lambda val=val, mem=mem: eq_bool(val, is_identity, mem, "G_%d == [I]_{1..N}" % (L - 1)))
        elif key == "activations_match":
            V.run(mem, lambda val=val, mem=mem: eq_bool(val, act_match, mem, "activations == forward pass"))
        elif key == "differentiable":
            V.run(mem, lambda val=val, mem=mem: eq_bool(val, differentiable, mem, "no hidden u = 0"))
        elif key == "full_column_rank":
            V.run(mem, lambda val=val, mem=mem: eq_bool(val, rG == N, mem, "rank G_%d == N" % (L - 1)))
        elif key == "layer":
            V.run(mem, lambda val=val, mem=mem: eq_int(val, L - 1, mem, "L-1"))
        elif key == "rank":
            V.run(mem, lambda val=val, mem=mem: eq_int(val, rG, mem, "rank G_%d" % (L - 1)))
        elif key == "witness":
            if cert is None:
                continue  # the network itself; nothing to compare it with
            def f(val=val, mem=mem):
                if not isinstance(val, dict):
                    raise malformed(mem, "not an object")
                for k2, v2 in val.items():
                    m2 = mem + "." + k2
                    if k2 == "X":
                        ok, why = eq_matrix(v2, X, m2, "X")
                    elif k2 == "slope":
                        ok, why = eq_number(v2, s, m2, "slope")
                    elif k2 in ("weights", "dropout", "activations"):
                        truth = {"weights": Ws, "dropout": Es, "activations": As}[k2]
                        got = matrix_list(v2, m2)
                        ok, why = got == truth, "differs from the certificate's %s" % k2
                    else:
                        raise Undecided(m2, "no rule for this claim")
                    if not ok:
                        return False, why
                return True, ""
            V.run(mem, f)
        else:
            V.undecide(mem, "no rule for this claim")


# ---------------------------------------------------------------------------------------------
# kind mnn (Soudry-Carmon Section 3-5)
def least_squares_min(G, y):
    """min over w of |G^T w - y|^2 (G is D x N): |y - proj_{rowspace G} y|^2."""
    idx = independent_rows(G.a)
    if not idx:
        return sum(v * v for v in y)
    Q = Mat(len(idx), G.c, [G.a[i] for i in idx])
    QQt = matmul(Q, Q.T())
    Qy = Mat(Q.r, 1, [[sum((a * b for a, b in zip(row, y)), Fraction(0))] for row in Q.a])
    c = solve(QQt, Qy)
    proj = [sum((Q.a[k][n] * c.a[k][0] for k in range(Q.r)), Fraction(0)) for n in range(G.c)]
    return sum((yn - pn) ** 2 for yn, pn in zip(y, proj))


def eval_mnn(V, inp, expect, cert):
    X = matrix(need(inp, "X", "input"), "input.X")
    y = vector_of_numbers(need(inp, "y", "input"), "input.y")
    s = number(need(inp, "slope", "input"), "input.slope")
    Ws = matrix_list(need(inp, "weights", "input"), "input.weights")
    Es = matrix_list(inp["dropout"], "input.dropout") if inp.get("dropout") is not None else None
    N = X.c
    if len(y) != N:
        raise malformed("input.y", "%d entries, N = %d" % (len(y), N))
    if N == 0:
        raise malformed("input.X", "N = 0")
    net = Net(X, s, Ws, Es, "input")
    L = net.L
    e = [net.out.a[0][n] - y[n] for n in range(N)]
    loss = sum(x * x for x in e) / (2 * N)
    G = [None] + [net.G(l) for l in range(1, L + 1)]
    # gradient of the MSE with the slopes fixed: d v_L^(n) / d W_l[i][j] = Delta_l[i][n] v_{l-1}[j][n]
    grad = []
    for l in range(1, L + 1):
        for row in G[l].a:
            grad.append(sum((g * en for g, en in zip(row, e)), Fraction(0)) / N)
    zp = net.zero_preactivations()
    cache = {}

    def rank_of(name):
        if name in cache:
            return cache[name]
        m = re.fullmatch(r"G_([0-9]+)", name)
        if m:
            l = int(m.group(1))
            if not 1 <= l <= L:
                raise Undecided(name, "no layer %d (L = %d)" % (l, L))
            r = rank(G[l])
        elif name == "G":
            r = rank([row for l in range(1, L + 1) for row in G[l].a])
        elif name == "A1 o X":
            if L < 2:
                raise Undecided(name, "no hidden layer")
            r = rank(khatri_rao(net.A[1], X))
        elif name == "A_{L-1} o V_{L-2}":
            if L < 2:
                raise Undecided(name, "no hidden layer")
            r = rank(khatri_rao(net.A[L - 1], net.V[L - 2]))
        else:
            raise Undecided(name, "unknown matrix name")
        cache[name] = r
        return r

    def layer_in():
        if "layer" not in inp:
            raise Undecided("input.layer", "no input.layer")
        l = integer(inp["layer"], "input.layer")
        if not 1 <= l <= L:
            raise Undecided("input.layer", "layer %d not in 1..%d" % (l, L))
        return l

    def rank_pair(val, mem, name):
        if not isinstance(val, dict):
            raise malformed(mem, "not an object")
        r = rank_of(name)
        return members_all(val, mem, {
            "rank": lambda v: eq_int(v, r, mem + ".rank", "rank " + name),
            "full_column_rank": lambda v: eq_bool(v, r == N, mem + ".full_column_rank",
                                                  "rank %s (%d) == N (%d)" % (name, r, N)),
        })

    def f_pattern(val, mem):
        truth = net.pattern()
        if not isinstance(val, list):
            raise malformed(mem, "not a list")
        if len(val) != len(truth):
            return False, "%d hidden layers claimed, %d true" % (len(val), len(truth))
        for l, (cl, tl) in enumerate(zip(val, truth), 1):
            if not isinstance(cl, list) or not all(isinstance(x, str) for x in cl):
                raise malformed("%s[%d]" % (mem, l - 1), "not a list of strings")
            if cl != tl:
                for i in range(max(len(cl), len(tl))):
                    a = cl[i] if i < len(cl) else None
                    b = tl[i] if i < len(tl) else None
                    if a != b:
                        return False, "layer %d unit %d: claimed %s, true %s" % (l, i + 1, short(a), short(b))
        return True, ""

    def f_zero(val, mem):
        if not isinstance(val, list):
            raise malformed(mem, "not a list")
        got = []
        for k, z in enumerate(val):
            if not isinstance(z, dict) or set(z) != {"l", "i", "n"}:
                raise malformed("%s[%d]" % (mem, k), "not an {l, i, n} object")
            got.append(tuple(integer(z[c], "%s[%d].%s" % (mem, k, c)) for c in ("l", "i", "n")))
        return got == zp, "claimed %s, true %s" % (short(got), short(zp))

    def f_lemma1(val, mem):
        if L < 2:
            raise Undecided(mem, "no hidden layer")
        if not isinstance(val, dict):
            raise malformed(mem, "not an object")
        G1 = khatri_rao(net.A[1], X)  # yhat_n = sum_{i,j} a1[i][n] W~[i][j] x[j][n] = (G1^T vec W~)_n
        best = least_squares_min(G1, y) / (2 * N)

        def w_tilde(v2):
            Wt = matrix(v2, mem + ".W_tilde")
            d1, d0 = net.widths[1], net.widths[0]
            if (Wt.r, Wt.c) != (d1, d0):
                return False, "W_tilde is %dx%d, expected %dx%d" % (Wt.r, Wt.c, d1, d0)
            w = [x for row in Wt.a for x in row]
            yhat = [sum((G1.a[r][n] * w[r] for r in range(G1.r)), Fraction(0)) for n in range(N)]
            mse = sum((a - b) ** 2 for a, b in zip(yhat, y)) / (2 * N)
            return mse == best, "MSE(W_tilde) = %s but the minimum of (4.2) is %s" % (short(mse), short(best))
        return members_all(val, mem, {
            "mse": lambda v2: eq_number(v2, best, mem + ".mse", "min of (4.2)"),
            "W_tilde": w_tilde,
        })

    def f_critical_tilde(val, mem):
        if L < 2:
            raise Undecided(mem, "no hidden layer")
        G1 = khatri_rao(net.A[1], X)
        zero = all(sum((g * en for g, en in zip(row, e)), Fraction(0)) == 0 for row in G1.a)
        return eq_bool(val, zero, mem, "(A1 o X) e == 0")

    def f_rank_list(val, mem):
        if not isinstance(val, list):
            raise malformed(mem, "not a list")
        got = [integer(x, "%s[%d]" % (mem, k)) for k, x in enumerate(val)]
        if len(got) != L:
            return False, "%d ranks claimed for L = %d" % (len(got), L)
        for l in range(1, L + 1):
            r = rank_of("G_%d" % l)
            if got[l - 1] != r:
                return False, "rank G_%d: claimed %s, true %d" % (l, sint(got[l - 1]), r)
        return True, ""

    for key, val in (expect or {}).items():
        mem = "expect." + key
        rules = {
            "pattern": lambda val=val, mem=mem: f_pattern(val, mem),
            "differentiable": lambda val=val, mem=mem: eq_bool(val, net.differentiable(), mem,
                                                               "no hidden u = 0, or w = 0 with L >= 3"),
            "zero_preactivations": lambda val=val, mem=mem: f_zero(val, mem),
            "loss": lambda val=val, mem=mem: eq_number(val, loss, mem, "MSE"),
            "error": lambda val=val, mem=mem: eq_numbers(val, e, mem, "e"),
            "gradient": lambda val=val, mem=mem: eq_numbers(val, grad, mem, "gradient"),
            "critical": lambda val=val, mem=mem: eq_bool(val, not any(grad), mem, "gradient == 0"),
            # v_L is affine in each single parameter (slopes fixed): every d^2 v / d theta_k^2 = 0
            "trace_ELambda": lambda val=val, mem=mem: eq_number(val, Fraction(0), mem, "trace E[e Lambda]"),
            "rank_G": lambda val=val, mem=mem: f_rank_list(val, mem),
            "rank_G_all": lambda val=val, mem=mem: eq_int(val, rank_of("G"), mem, "rank G"),
            "layer": lambda val=val, mem=mem: eq_int(val, layer_in(), mem, "input.layer"),
            "rank_G_layer": lambda val=val, mem=mem: eq_int(val, rank_of("G_%d" % layer_in()), mem,
                                                             "rank G_layer"),
            "full_column_rank": lambda val=val, mem=mem: eq_bool(val, rank_of("G_%d" % layer_in()) == N, mem,
                                                                  "rank G_layer == N"),
            "rank_A1X": lambda val=val, mem=mem: rank_pair(val, mem, "A1 o X"),
            "critical_tilde": lambda val=val, mem=mem: f_critical_tilde(val, mem),
            "lemma1_minimiser": lambda val=val, mem=mem: f_lemma1(val, mem),
            "rank_A_Lminus1_o_V_Lminus2": lambda val=val, mem=mem: rank_pair(val, mem, "A_{L-1} o V_{L-2}"),
        }
        V.run_rule(mem, rules, key)

    if cert is not None:
        if not V.claim_is(cert, "bundle", "mnn"):
            return
        members = need(cert, "certificates", "certificate")
        if not isinstance(members, dict):
            raise malformed("certificate.certificates", "not an object")
        for name, sub in members.items():
            mem = "certificate.certificates.%s.rank" % (short(name, 80) if not isinstance(name, str) else name)

            def f(name=name, sub=sub, mem=mem):
                if not isinstance(sub, dict):
                    raise malformed(mem, "not an object")
                claimed = integer(need(sub, "rank", mem), mem)
                names = [name]
                if "matrix" in sub and sub["matrix"] != name:
                    names.append(sub["matrix"])
                oks = []
                for nm in names:
                    if not isinstance(nm, str):
                        raise malformed(mem, "matrix name is not a string")
                    oks.append(rank_of(nm) == claimed)
                if all(oks):
                    return True, ""
                if not any(oks):
                    return False, "rank %s: claimed %s, true %d" % (short(name), sint(claimed), rank_of(names[0]))
                raise Undecided(mem, "key %s and matrix %s name different matrices" % (short(name), short(sub["matrix"])))
            V.run(mem, f)


# ---------------------------------------------------------------------------------------------
# kind mnn_patterns (Soudry-Carmon Lemma 3)
def eval_patterns(V, inp, expect, cert, max_patterns):
    X = matrix(need(inp, "X", "input"), "input.X")
    d1 = dim(need(inp, "width", "input"), "input.width", 1)
    s = number(need(inp, "slope", "input"), "input.slope")
    N, d0 = X.c, X.r
    if inp.get("dropout") is not None:
        Es = matrix_list(inp["dropout"], "input.dropout", allow_single=True)
        if len(Es) != 1:
            raise malformed("input.dropout", "%d matrices, expected E1" % len(Es))
        E = Es[0]
        if (E.r, E.c) != (d1, N):
            raise malformed("input.dropout", "E1 is %dx%d, expected %dx%d" % (E.r, E.c, d1, N))
    else:
        E = ones(d1, N)
    check_entries(d1 * d0 * N, "input")
    mode = inp.get("mode", "exhaustive")
    if mode not in ("exhaustive", "sampled", "realizable"):
        raise malformed("input.mode", "unknown mode %s" % short(mode))

    def parse_pattern(p, path):
        if not isinstance(p, list) or len(p) != d1 or not all(
                isinstance(r, str) and len(r) == N and set(r) <= {"+", "-"} for r in p):
            raise malformed(path, "not %d strings of %d signs +/-" % (d1, N))
        return tuple(p)

    def G_of(p):
        A = Mat(d1, N, [[E.a[i][n] * (1 if p[i][n] == "+" else s) for n in range(N)] for i in range(d1)])
        return khatri_rao(A, X)

    rank_cache = {}

    def prank(p):
        if p not in rank_cache:
            rank_cache[p] = rank(G_of(p))
        return rank_cache[p]

    # the listed deficient patterns
    listed = None
    if expect and "deficient_patterns" in expect:
        mem = "expect.deficient_patterns"

        def f():
            val = expect["deficient_patterns"]
            if not isinstance(val, list):
                raise malformed(mem, "not a list")
            seen = set()
            for k, item in enumerate(val):
                m2 = "%s[%d]" % (mem, k)
                if not isinstance(item, dict) or set(item) != {"signs", "rank"}:
                    raise malformed(m2, "not a {signs, rank} object")
                p = parse_pattern(item["signs"], m2 + ".signs")
                r = integer(item["rank"], m2 + ".rank")
                if p in seen:
                    return False, "pattern %s listed twice" % short(list(p))
                seen.add(p)
                t = prank(p)
                if r != t:
                    return False, "[%d] %s: rank claimed %s, true %d" % (k, short(list(p)), sint(r), t)
                if t >= N:
                    return False, "[%d] %s has full rank %d = N: not deficient" % (k, short(list(p)), t)
            return True, ""
        V.run(mem, f)
        try:
            val = expect["deficient_patterns"]
            listed = set(parse_pattern(item["signs"], "") for item in val)
        except Exception:
            listed = None

    # certificate members
    cert_patterns = None
    want_full_rank = False
    if cert is not None:
        if V.claim_is(cert, "bundle", "mnn_patterns"):
            members = need(cert, "certificates", "certificate")
            if not isinstance(members, list):
                raise malformed("certificate.certificates", "not a list")
            cert_patterns = set()
            for k, sub in enumerate(members):
                mem = "certificate.certificates[%d].rank" % k

                def f(sub=sub, mem=mem):
                    if not isinstance(sub, dict):
                        raise malformed(mem, "not an object")
                    p = parse_pattern(need(sub, "pattern", mem), mem.replace(".rank", ".pattern"))
                    claimed = integer(need(sub, "rank", mem), mem)
                    t = prank(p)
                    return claimed == t, "pattern %s: rank claimed %s, true %d" % (short(list(p)), sint(claimed), t)
                V.run(mem, f)
                try:
                    cert_patterns.add(parse_pattern(sub["pattern"], ""))
                except Exception:
                    pass
            if "full_rank" in cert:
                want_full_rank = True

    counts_keys = ("patterns_checked", "deficient", "full_rank", "min_rank", "rank_counts",
                   "deficient_listed_all")
    need_enum = want_full_rank or (mode == "exhaustive" and expect and any(k in expect for k in counts_keys))
    stats = None
    if need_enum:
        total = 2 ** (d1 * N) if d1 * N < 64 else None
        if total is None or total > max_patterns:
            why = "2^%d patterns to enumerate (limit %d)" % (d1 * N, max_patterns)
            if want_full_rank:
                V.undecide("certificate.full_rank", why)
            for k in counts_keys:
                if expect and k in expect and mode == "exhaustive":
                    V.undecide("expect." + k, why)
        else:
            stats = enumerate_patterns(X, E, s, d1, listed, cert_patterns if want_full_rank else None)
    if want_full_rank and stats is not None:
        bad = stats["unlisted_deficient"]
        V.truth("certificate.full_rank", bad is None,
                "pattern %s has rank %s < N = %d and no certificate member"
                % (short(list(bad[0])) if bad else "", bad[1] if bad else "", N))

    for key, val in (expect or {}).items():
        mem = "expect." + key
        if key == "mode":
            V.run(mem, lambda val=val: (val == mode, "mode %s claimed, input %s" % (short(val), mode)))
        elif key == "deficient_patterns":
            continue
        elif key in counts_keys:
            if mode != "exhaustive":
                V.undecide(mem, "depends on the %s draw (mode %s)" % (mode, mode))
                continue
            if stats is None:
                continue  # already undecided above
            total = 2 ** (d1 * N)
            rc = stats["rank_counts"]
            if key == "patterns_checked":
                V.run(mem, lambda val=val, mem=mem: eq_int(val, total, mem, "2^(d1 N)"))
            elif key == "deficient":
                V.run(mem, lambda val=val, mem=mem: eq_int(val, total - rc[N], mem, "patterns with rank < N"))
            elif key == "full_rank":
                V.run(mem, lambda val=val, mem=mem: eq_int(val, rc[N], mem, "patterns with rank N"))
            elif key == "min_rank":
                V.run(mem, lambda val=val, mem=mem: eq_int(val, min(r for r in range(N + 1) if rc[r]), mem,
                                                            "minimum rank"))
            elif key == "rank_counts":
                V.run(mem, lambda val=val, mem=mem: eq_numbers(val, [Fraction(x) for x in rc], mem, "rank_counts"))
            elif key == "deficient_listed_all":
                if listed is None:
                    V.undecide(mem, "expect.deficient_patterns unreadable")
                else:
                    V.run(mem, lambda val=val, mem=mem: eq_bool(val, stats["unlisted_by_expect"] is None, mem,
                                                                "every deficient pattern listed"))
        else:
            V.undecide(mem, "no rule for this claim")


def enumerate_patterns(X, E, s, d1, listed, cert_listed):
    """All 2^(d1 N) patterns by depth-first search over the columns: column n of G1^p is
    a^(n) (x) x^(n), where a^(n) depends only on the signs of column n of p (2^d1 choices), so the
    echelon basis of the first n columns is shared by all patterns with the same first n columns.
    Columns are scaled to integers (a non-zero scaling keeps the rank)."""
    N, d0 = X.c, X.r
    variants = []  # variants[n][mask] = (integer column, signs of the column as a string)
    for n in range(N):
        vs = []
        for mask in range(1 << d1):
            signs = "".join("+" if (mask >> i) & 1 else "-" for i in range(d1))
            a = [E.a[i][n] * (1 if signs[i] == "+" else s) for i in range(d1)]
            col = [a[i] * X.a[j][n] for i in range(d1) for j in range(d0)]
            vs.append((_int_row(col), signs))
        variants.append(vs)
    rank_counts = [0] * (N + 1)
    state = {"unlisted_by_expect": None, "unlisted_deficient": None}
    cols = [None] * N

    def pattern_of():
        return tuple("".join(cols[n][i] for n in range(N)) for i in range(d1))

    def dfs(n, basis):
        if n == N:
            r = len(basis)
            rank_counts[r] += 1
            if r < N:
                want_e = listed is not None and state["unlisted_by_expect"] is None
                want_c = cert_listed is not None and state["unlisted_deficient"] is None
                if want_e or want_c:
                    p = pattern_of()
                    if want_e and p not in listed:
                        state["unlisted_by_expect"] = (p, r)
                    if want_c and p not in cert_listed:
                        state["unlisted_deficient"] = (p, r)
            return
        for v0, signs in variants[n]:
            cols[n] = signs
            v = _reduce(v0, basis)
            p = _first_nonzero(v)
            if p >= 0:
                g = math.gcd(*v)
                if g > 1:
                    v = [x // g for x in v]
                dfs(n + 1, basis + [(p, v)])
            else:
                dfs(n + 1, basis)

    dfs(0, [])
    return {"rank_counts": rank_counts, **state}


# ---------------------------------------------------------------------------------------------
# kind deep_linear (Kawaguchi 2016 Section 2)
class DeepLinear:
    """loss(W) = 1/2 || W_{H+1} ... W_1 X - Y ||_F^2, theta = W1 row by row, then W2, ..."""

    def __init__(self, X, Y, Ws):
        K = len(Ws)
        if K < 2:
            raise malformed("input.weights", "H >= 1 needs at least 2 weight matrices, got %d" % K)
        if K > MAX_DEPTH:
            raise Undecided("input.weights", "more than %d layers" % MAX_DEPTH)
        if X.c != Y.c:
            raise malformed("input.Y", "X has %d columns, Y has %d" % (X.c, Y.c))
        d = [X.r]
        for k, W in enumerate(Ws):
            if W.c != d[-1]:
                raise malformed("input.weights[%d]" % k, "W%d is %dx%d but d%d = %d" % (k + 1, W.r, W.c, k, d[-1]))
            d.append(W.r)
        if d[-1] != Y.r:
            raise malformed("input.weights[%d]" % (K - 1), "d_{H+1} = %d but dy = %d" % (d[-1], Y.r))
        self.n = sum(W.r * W.c for W in Ws)
        if self.n > MAX_PARAMS:
            raise Undecided("input.weights", "%d parameters beyond %d" % (self.n, MAX_PARAMS))
        self.X, self.Y, self.Ws, self.K, self.d = X, Y, Ws, K, d
        self.off = []
        o = 0
        for W in Ws:
            self.off.append(o)
            o += W.r * W.c
        # M_k = W_{k-1} ... W_0 X (d_k x m); A_k = W_{K-1} ... W_{k+1} (dy x d_{k+1})
        M = [X]
        for k in range(K - 1):
            M.append(matmul(Ws[k], M[-1]))
        A = [None] * K
        A[K - 1] = eye(d[K])
        for k in range(K - 2, -1, -1):
            A[k] = matmul(A[k + 1], Ws[k + 1])
        self.M, self.A = M, A
        self.R = matsub(matmul(Ws[K - 1], M[K - 1]), Y)
        self.loss = sum(x * x for row in self.R.a for x in row) / 2

    def gradient(self):
        g = []
        for k in range(self.K):
            Gk = matmul(matmul(self.A[k].T(), self.R), self.M[k].T())  # A_k^T R M_k^T
            g.extend(x for row in Gk.a for x in row)
        return g

    def hessian(self):
        """H[(k,a,b),(l,c,d)] = (A_k^T A_l)[a][c] (M_k M_l^T)[b][d]
                               + [k < l] C_lk[d][a] (M_k R^T A_l)[b][c]   (C_lk = W_{l-1}...W_{k+1})
        (second derivative of 1/2<R,R>: <dR_i, dR_j> + <R, d^2 R_ij>)."""
        n, K, d, Ws = self.n, self.K, self.d, self.Ws
        check_entries(n * n, "Hessian")
        H = [[Fraction(0)] * n for _ in range(n)]
        Rt = self.R.T()
        for k in range(K):
            for l in range(k, K):
                AA = matmul(self.A[k].T(), self.A[l])          # d_{k+1} x d_{l+1}
                MM = matmul(self.M[k], self.M[l].T())          # d_k x d_l
                if l > k:
                    C = eye(d[k + 1])
                    for j in range(k + 1, l):
                        C = matmul(Ws[j], C)                   # d_l x d_{k+1}
                    MRA = matmul(matmul(self.M[k], Rt), self.A[l])  # d_k x d_{l+1}
                rk, ck = d[k + 1], d[k]
                rl, cl = d[l + 1], d[l]
                for a in range(rk):
                    for b in range(ck):
                        i = self.off[k] + a * ck + b
                        for c in range(rl):
                            for dd in range(cl):
                                j = self.off[l] + c * cl + dd
                                v = AA.a[a][c] * MM.a[b][dd]
                                if l > k:
                                    v += C.a[dd][a] * MRA.a[b][c]
                                H[i][j] = v
                                H[j][i] = v
        return H

    def curve_loss(self, Ds):
        """loss(theta + t D1 + t^2 D2 + ...) as an exact polynomial in t (ascending)."""
        n = self.n
        polyW = []
        for k, W in enumerate(self.Ws):
            P = []
            for a in range(W.r):
                row = []
                for b in range(W.c):
                    i = self.off[k] + a * W.c + b
                    p = [W.a[a][b]] + [D[i] for D in Ds]
                    row.append(ptrim(p))
                P.append(row)
            polyW.append(P)
        cur = [[[x] if x else [] for x in row] for row in self.X.a]  # d0 x m
        for P in polyW:
            nxt = []
            for prow in P:
                out = []
                for j in range(len(cur[0]) if cur else 0):
                    acc = []
                    for q, pe in enumerate(prow):
                        if pe and cur[q][j]:
                            acc = padd(acc, pmul(pe, cur[q][j]))
                    out.append(ptrim(acc))
                nxt.append(out)
            cur = nxt
        total = []
        for i, row in enumerate(cur):
            for j, p in enumerate(row):
                r = padd(p, [-self.Y.a[i][j]])
                total = padd(total, pmul(r, r))
        return [x / 2 for x in ptrim(total)]


class SigmaRoots:
    """The eigenvalues of Sigma (symmetric PSD, dy x dy), from its characteristic polynomial:
    factored over Q (sympy); roots of linear factors are exact rationals, the others get
    isolating intervals refined until all roots are ordered.  S_q = sum of the q largest
    eigenvalues (with multiplicity) = exact rational part + sum of a few interval roots."""

    def __init__(self, cp, member):
        try:
            import sympy
        except ImportError:
            raise Undecided(member, "sympy is not installed")
        self.sympy = sympy
        self.member = member
        x = sympy.Symbol("x")
        f = sympy.Poly([sympy.Rational(c.numerator, c.denominator) for c in reversed(cp)], x, domain="QQ")
        _, facs = f.factor_list()
        items = []  # [lo, hi, mult, poly or None]; lo == hi exact for rational roots
        for g, m in facs:
            deg = g.degree()
            if deg == 1:
                c1, c0 = g.all_coeffs()
                r = -Fraction(int(c0.p), int(c0.q)) / Fraction(int(c1.p), int(c1.q))
                items.append([r, r, m, None])
            elif deg > 1:
                ivs = g.intervals()
                if len(ivs) != deg:
                    raise Undecided(member, "Sigma's characteristic polynomial has non-real roots")
                for (a, b), _k in ivs:
                    items.append([Fraction(int(a.p), int(a.q)), Fraction(int(b.p), int(b.q)), m, g])
        self.items = items
        for _ in range(MAX_REFINE_ROUNDS):
            overlap = set()
            for i in range(len(items)):
                for j in range(i + 1, len(items)):
                    if items[i][0] <= items[j][1] and items[j][0] <= items[i][1]:
                        overlap.add(i)
                        overlap.add(j)
            if not overlap:
                break
            for i in overlap:
                self.refine(items[i])
        else:
            raise Undecided(member, "eigenvalues of Sigma not separated after refining")
        items.sort(key=lambda it: it[0], reverse=True)
        self.count = sum(it[2] for it in items)

    def refine(self, it):
        if it[3] is None:
            return
        S = self.sympy
        a, b = it[0], it[1]
        eps = (b - a) / 65536
        s, t = it[3].refine_root(S.Rational(a.numerator, a.denominator), S.Rational(b.numerator, b.denominator),
                                 eps=S.Rational(eps.numerator, eps.denominator))
        it[0], it[1] = Fraction(int(s.p), int(s.q)), Fraction(int(t.p), int(t.q))

    def top(self, q):
        """(exact rational part, [(count, item)] irrational part) of S_q."""
        left = q
        taken = []
        for it in self.items:
            if left <= 0:
                break
            c = min(left, it[2])
            taken.append((c, it))
            left -= c
        exact = Fraction(0)
        partial = []
        by_poly = {}
        for c, it in taken:
            if it[3] is None:
                exact += c * it[0]
            else:
                by_poly.setdefault(id(it[3]), []).append((c, it))
        for group in by_poly.values():
            g = group[0][1][3]
            m = group[0][1][2]
            if sum(c for c, _ in group) == g.degree() * m:
                # every root of the irreducible factor g, m times each: m * (sum of the roots of g)
                cs = g.all_coeffs()
                lead, nxt = cs[0], cs[1]
                exact += m * -Fraction(int(nxt.p), int(nxt.q)) / Fraction(int(lead.p), int(lead.q))
            else:
                partial.extend(group)
        return exact, partial

    def compare(self, q, c):
        """sign(S_q - c) in {-1, 0, 1}; Undecided when refining cannot separate."""
        exact, partial = self.top(q)
        target = c - exact
        if not partial:
            return (exact > c) - (exact < c)
        for _ in range(MAX_REFINE_ROUNDS):
            lo = sum(k * it[0] for k, it in partial)
            hi = sum(k * it[1] for k, it in partial)
            if hi < target:
                return -1
            if lo > target:
                return 1
            for _k, it in partial:
                self.refine(it)
        raise Undecided(self.member, "S_%d (irrational eigenvalues) not separated from %s after refining"
                        % (q, short(c)))


def first_nonzero_after_constant(p):
    for x in p[1:]:
        if x != 0:
            return x
    return Fraction(0)


def eval_deep_linear(V, inp, expect, cert):
    X = matrix(need(inp, "X", "input"), "input.X")
    Y = matrix(need(inp, "Y", "input"), "input.Y")
    Ws = matrix_list(need(inp, "weights", "input"), "input.weights")
    net = DeepLinear(X, Y, Ws)
    dx, dy, d, H = X.r, Y.r, net.d, net.K - 1
    loss = net.loss
    lazy = {}

    def get(name):
        if name in lazy:
            return lazy[name]
        if name == "grad":
            v = net.gradient()
        elif name == "critical":
            v = not any(get("grad"))
        elif name == "inertia":
            v = inertia(net.hessian())
        elif name == "rank_WH_W2":
            if H == 1:
                v = d[1]
            else:
                P = Ws[1]
                for k in range(2, H):
                    P = matmul(Ws[k], P)
                v = rank(P)
        elif name == "p":
            v = min(d[1:H + 1])
        elif name == "q":
            v = min(get("p"), dy)
        elif name == "trace":
            v = sum(x * x for row in Y.a for x in row)
        elif name == "Sigma":
            idx = independent_rows(X.a)
            if not idx:
                v = zeros(dy, dy)
            else:
                B = Mat(len(idx), X.c, [X.a[i] for i in idx])
                YBt = matmul(Y, B.T())                      # dy x r
                Z = solve(matmul(B, B.T()), YBt.T())        # (B B^T)^{-1} B Y^T
                v = matmul(YBt, Z)                          # Y Pi Y^T
        elif name == "charpoly":
            v = charpoly(get("Sigma"))
        elif name == "distinct":
            cp = get("charpoly")
            deriv = [k * c for k, c in enumerate(cp)][1:]
            v = len(pgcd(cp, deriv)) == 1
        elif name == "hyp":
            XXt = matmul(X, X.T())
            XYt = matmul(X, Y.T())
            v = {"XXt_full_rank": rank(XXt) == dx,
                 "XYt_full_rank": rank(XYt) == min(dx, dy),
                 "dy_le_dx": dy <= dx,
                 "sigma_distinct_eigenvalues": get("distinct")}
            v["hold"] = all(v.values())
        elif name == "roots":
            v = SigmaRoots(get("charpoly"), "eigenvalues of Sigma")
        else:
            raise KeyError(name)
        lazy[name] = v
        return v

    def cmp_Lstar(c):
        """sign(L* - c) where L* = (tr YY^T - S_q)/2: L* > c  <=>  S_q < tr - 2c."""
        return -get("roots").compare(get("q"), get("trace") - 2 * c)

    def class_truth(cls, mem, curves):
        if cls == "not_critical":
            return not get("critical"), "the gradient is zero"
        if cls == "unknown":
            return True, ""
        if cls in ("local_min_not_global", "local_max"):
            return False, "class %s can never be proven by a certificate" % cls
        if cls not in ("global_min", "strict_saddle", "bad_saddle"):
            raise malformed(mem, "unknown class %s" % short(cls))
        if not get("critical"):
            return False, "not a critical point (gradient non-zero)"
        if cls == "global_min":
            sg = cmp_Lstar(loss)
            return sg == 0, "loss %s %s L*" % (short(loss), ">" if sg < 0 else "<")
        pos, neg, _z = get("inertia")
        if cls == "strict_saddle":
            return neg > 0, "the Hessian has no negative eigenvalue"
        # bad_saddle
        if neg > 0:
            return False, "the Hessian has a negative eigenvalue (a strict saddle)"
        not_min = not_max = False
        reasons = []
        dc = curves.get("descent_curve")
        if dc is not None:
            p = curve_poly(dc, "certificate.descent_curve")
            if p is not None and first_nonzero_after_constant(p) < 0:
                not_min = True
            else:
                reasons.append("descent_curve does not descend")
        if not not_min:
            if not get("hyp")["hold"]:
                reasons.append("Theorem 2.3's hypotheses fail")
            elif cmp_Lstar(loss) < 0:
                not_min = True  # Theorem 2.3 (ii): every local minimum is global
            else:
                reasons.append("loss is not above L*")
        if pos > 0:
            not_max = True
        else:
            ac = curves.get("ascent_curve")
            if ac is not None:
                p = curve_poly(ac, "certificate.ascent_curve")
                if p is not None and first_nonzero_after_constant(p) > 0:
                    not_max = True
                else:
                    reasons.append("ascent_curve does not ascend")
            else:
                reasons.append("no positive Hessian eigenvalue and no ascent_curve")
        if not_min and not_max:
            return True, ""
        raise Undecided(mem, "bad_saddle not confirmed: " + "; ".join(reasons or ["no descent evidence"]))

    def curve_poly(obj, path):
        if not isinstance(obj, dict):
            raise malformed(path, "not an object")
        Ds = need(obj, "D", path)
        if not isinstance(Ds, list) or not Ds:
            raise malformed(path + ".D", "not a non-empty list")
        if len(Ds) > MAX_CURVE_TERMS:
            raise Undecided(path + ".D", "more than %d terms" % MAX_CURVE_TERMS)
        vs = []
        for k, D in enumerate(Ds):
            v = vector_of_numbers(D, "%s.D[%d]" % (path, k))
            if len(v) != net.n:
                raise malformed("%s.D[%d]" % (path, k), "%d entries for %d parameters" % (len(v), net.n))
            vs.append(v)
        return net.curve_loss(vs)

    curves = {}
    if cert is not None:
        for k in ("descent_curve", "ascent_curve"):
            if k in cert:
                curves[k] = cert[k]

    def f_gmv(val, mem):
        if not isinstance(val, dict):
            raise malformed(mem, "not an object")
        for k2, v2 in val.items():
            m2 = mem + "." + k2
            if k2 == "q":
                ok, why = eq_int(v2, get("q"), m2, "min(p, dy)")
            elif k2 == "trace_YYt":
                ok, why = eq_number(v2, get("trace"), m2, "tr(Y Y^T)")
            elif k2 == "sigma_charpoly":
                ok, why = eq_numbers(v2, get("charpoly"), m2, "det(xI - Sigma)")
            elif k2 == "exact":
                if v2 is None:
                    continue
                c = number(v2, m2)
                sg = cmp_Lstar(c)
                ok, why = sg == 0, "L* %s %s" % (">" if sg > 0 else "<", short(c))
            elif k2 == "enclosure":
                if not isinstance(v2, list) or len(v2) != 2:
                    raise malformed(m2, "not [lo, hi]")
                lo, hi = number(v2[0], m2 + "[0]"), number(v2[1], m2 + "[1]")
                if cmp_Lstar(lo) < 0:
                    return False, "L* < lo = %s" % short(lo)
                if cmp_Lstar(hi) > 0:
                    return False, "L* > hi = %s" % short(hi)
                ok, why = True, ""
            else:
                raise Undecided(m2, "no rule for this claim")
            if not ok:
                return False, why
        return True, ""

    def f_hyp(val, mem):
        if not isinstance(val, dict):
            raise malformed(mem, "not an object")
        h = get("hyp")
        return members_all(val, mem, {k2: (lambda v2, k2=k2: eq_bool(v2, h[k2], mem + "." + k2, k2))
                                      for k2 in h})

    def f_inertia(val, mem):
        if not isinstance(val, dict) or set(val) != {"positive", "negative", "zero"}:
            raise malformed(mem, "not a {positive, negative, zero} object")
        t = get("inertia")
        got = tuple(integer(val[k], mem + "." + k) for k in ("positive", "negative", "zero"))
        return got == t, "claimed (+%s, -%s, 0:%s), true (+%d, -%d, 0:%d)" % (tuple(sint(x) for x in got) + t)

    for key, val in (expect or {}).items():
        mem = "expect." + key
        rules = {
            "critical": lambda val=val, mem=mem: eq_bool(val, get("critical"), mem, "gradient == 0"),
            "loss": lambda val=val, mem=mem: eq_number(val, loss, mem, "loss"),
            "hessian_inertia": lambda val=val, mem=mem: f_inertia(val, mem),
            "rank_WH_W2": lambda val=val, mem=mem: eq_int(val, get("rank_WH_W2"), mem, "rank W_H...W_2"),
            "p": lambda val=val, mem=mem: eq_int(val, get("p"), mem, "min(d1..dH)"),
            "hypotheses": lambda val=val, mem=mem: f_hyp(val, mem),
            "global_min_value": lambda val=val, mem=mem: f_gmv(val, mem),
            "class": lambda val=val, mem=mem: class_truth(val, mem, curves),
        }
        V.run_rule(mem, rules, key)

    if cert is not None:
        if not V.claim_is(cert, "deep_linear", "deep_linear"):
            return
        if "class" in cert:
            V.run("certificate.class", lambda: class_truth(cert["class"], "certificate.class", curves))
        if "critical" in cert:
            V.run("certificate.critical", lambda: eq_bool(cert["critical"], get("critical"), "certificate.critical",
                                                          "gradient == 0"))
        if "rank_WH_W2" in cert:
            def f():
                sub = cert["rank_WH_W2"]
                if not isinstance(sub, dict):
                    raise malformed("certificate.rank_WH_W2", "not an object")
                return eq_int(need(sub, "rank", "certificate.rank_WH_W2"), get("rank_WH_W2"),
                              "certificate.rank_WH_W2.rank", "rank W_H...W_2")
            V.run("certificate.rank_WH_W2.rank", f)


# ---------------------------------------------------------------------------------------------
# khk: Kawaguchi-Huang-Kaelbling 2019 (4.1), (4.2), by tests/khk/khk_ref.py (fractions only,
# written from the paper apart from lmo's C code). Certificate: claim khk (lmo-cert-1.md).
def eval_khk(V, inp, expect, cert):
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "khk"))
    import khk_ref
    try:
        ref = khk_ref.reference(inp)
    except (KeyError, TypeError, IndexError, ValueError, ZeroDivisionError) as e:
        raise malformed("input", short(str(e), 120))
    for key, val in expect.items():
        mem = "expect." + key
        if key in ("loss", "J", "loss_minus_J"):
            V.run(mem, lambda val=val, key=key, mem=mem: eq_number(val, ref[key], mem, key))
        elif key == "terms":
            V.run(mem, lambda val=val: ([[number(x, mem) for x in row] for row in val] == ref["terms"],
                                        "the halves of (4.2) per unit"))
        elif key == "patterns":
            V.run(mem, lambda val=val: ([matrix(p, mem).a for p in val] == ref["patterns"],
                                        "Lambda per hidden layer"))
        elif key in ("differentiable", "kink", "critical", "path_rank", "weakly_separated"):
            V.run(mem, lambda val=val, key=key: (val == ref[key], "%s is %s" % (key, short(ref[key]))))
        elif key == "prop2":
            V.run(mem, lambda val=val: (khk_ref.prop2_same(ref["prop2"], val),
                                        "Proposition 2's Dtilde (B.2): %s" % short(str(ref["prop2"]))))
        elif key == "thm2":
            V.run(mem, lambda val=val: (not khk_ref.thm2_same(ref, {"thm2": val}, inp),
                                        "Section 5 (certificate, Definitions 1-2, bounds): %s"
                                        % short("; ".join(khk_ref.thm2_same(ref, {"thm2": val}, inp)))))
        else:
            V.undecide(mem, "no rule for this claim")
    if cert is not None:  # claim khk: projection and the path_rank part's minor, kernel are
        # evidence; the one claim in it is path_rank.rank = rank [D D_1(H+1)]
        if cert.get("claim") != "khk":
            V.undecide("certificate.claim", "claim %s not understood for kind khk" % short(cert.get("claim")))
            return
        if "path_rank" in cert:
            def f():
                sub = cert["path_rank"]
                if not isinstance(sub, dict):
                    raise malformed("certificate.path_rank", "not an object")
                return eq_int(need(sub, "rank", "certificate.path_rank"), ref["path_rank"],
                              "certificate.path_rank.rank", "rank [D D_1(H+1)]")
            V.run("certificate.path_rank.rank", f)


# ---------------------------------------------------------------------------------------------
# nguyen_hein: Nguyen & Hein 2017, Section 2 (rows are samples): F_1 = sigma(X W_1 + 1 b_1^T),
# F_l = sigma(F_(l-1) W_l + 1 b_l^T), sigma of Lemma 3.3. rank [X, 1], the distinct rows of X,
# rank W_l and k are rational: exact. rank [F_k, 1] is transcendental: mpmath's singular values
# at many digits decide it only when they split with a wide gap (every value above 10^-(d/8) or
# below 10^-(3d/4)); in between, UNDECIDED -- never a guess. Written from the paper and
# lmo-cert-1.md, apart from lmo's arb code and the checker's MPFR intervals.
def eval_nguyen_hein(V, inp, expect, cert):
    X = matrix(need(inp, "X", "input"), "input.X")
    Ws = matrix_list(need(inp, "weights", "input"), "input.weights")
    bs = need(inp, "biases", "input")
    act = need(inp, "activation", "input")
    if act not in ("sigmoid", "tanh", "softplus") or not isinstance(bs, list) or len(bs) != len(Ws) \
            or not Ws:
        raise malformed("input", "activation, weights or biases")
    alpha = number(need(inp, "alpha", "input"), "input.alpha") if act == "softplus" else None
    N, L = X.r, len(Ws)
    n = [X.c] + [W.c for W in Ws]
    bias = [vector_of_numbers(b, "input.biases[%d]" % l) for l, b in enumerate(bs)]
    for l in range(L):
        if Ws[l].r != n[l] or len(bias[l]) != n[l + 1]:
            raise malformed("input.weights[%d]" % l, "does not chain")
    k = integer(inp["k"], "input.k") if "k" in inp else None
    if k is None:  # lmo's documented default (DESIGN.md): first n_k >= N - 1, else the widest
        k = next((l for l in range(1, L) if n[l] >= N - 1), None)
        k = k if k is not None else max(range(1, L), key=lambda l: (n[l], -l), default=1)
    if not 1 <= k <= max(L - 1, 1):
        raise malformed("input.k", "outside 1..L-1")
    X1 = Mat(N, X.c + 1, [row + [Fraction(1)] for row in X.a])

    memo = []   # rank [F_k, 1] is asked for by expect and by the certificate: compute it once

    def rank_Fk1():
        if not memo:
            memo.append(rank_Fk1_svd())
        return memo[0]

    def rank_Fk1_svd():
        try:
            import mpmath
        except ImportError:
            raise Undecided("expect.rank_Fk1", "python3-mpmath is not installed")
        # |pre-activations| <= t; a saturated unit differs from its limit by about e^-t, so
        # the working digits grow with the largest t (e^-t needs t / 2.3 digits)
        bound, big = max([abs(x) for row in X.a for x in row] + [Fraction(1)]), Fraction(0)
        for l in range(k):
            t = sum(abs(x) for row in Ws[l].a for x in row) * bound + sum(abs(b) for b in bias[l])
            big, bound = max(big, t), (Fraction(1) if act != "softplus" else t + 1)
        mp, d = mpmath.mp, 100 + int(big)
        if d > 16000:
            raise Undecided("expect.rank_Fk1", "pre-activations up to %s: more than 16000 digits"
                            % short(big))
        while d <= 16000:  # more digits until the singular values split with a wide gap
            mp.dps = d
            f = lambda t: (1 / (1 + mpmath.exp(-t)) if act == "sigmoid" else mpmath.tanh(t)  # noqa: E731
                           if act == "tanh" else mpmath.log1p(mpmath.exp(mpq(alpha) * t)) / mpq(alpha))
            F = [[mpq(x) for x in row] for row in X.a]
            for l in range(k):
                F = [[f(mpmath.fsum(row[c] * mpq(Ws[l].a[c][j]) for c in range(n[l])) + mpq(bias[l][j]))
                      for j in range(n[l + 1])] for row in F]
            sv = mpmath.svd_r(mpmath.matrix([row + [mpmath.mpf(1)] for row in F]), compute_uv=False)
            hi, lo = mpmath.mpf(10) ** -(d // 3), mpmath.mpf(10) ** -(3 * d // 4)
            if not any(lo <= x <= hi for x in sv):
                return sum(1 for x in sv if x > hi)
            d *= 2
        raise Undecided("expect.rank_Fk1", "the singular values of [F_k, 1] do not split at %d digits" % (d // 2))

    def mpq(x):
        import mpmath
        return mpmath.mpf(x.numerator) / x.denominator

    def w_full(val, mem):
        if not isinstance(val, list):
            raise malformed(mem, "not a list")
        want = [{"layer": l + 1, "rank": rank(Ws[l]), "cols": n[l + 1], "full": rank(Ws[l]) == n[l + 1]}
                for l in range(k + 1, L)]
        return val == want, "rank W_l for l = k+2..L: %s" % short(str(want))

    rules = {
        "rank_X1": lambda val, mem: eq_int(val, rank(X1), mem, "rank [X, 1]"),
        "X_distinct_rows": lambda val, mem: eq_bool(val, len(set(map(tuple, X.a))) == N, mem, "distinct rows"),
        "k": lambda val, mem: eq_int(val, k, mem, "k"),
        "W_full_column_rank": w_full,
        "rank_Fk1": lambda val, mem: eq_int(val, rank_Fk1(), mem, "rank [F_k, 1]"),
    }
    for key, val in expect.items():
        mem = "expect." + key
        if key in rules:
            V.run(mem, lambda val=val, mem=mem, key=key: rules[key](val, mem))
        else:
            V.undecide(mem, "no rule for this claim")
    if cert is not None:  # claim nguyen_hein: its rank is a claim, the minor and R are evidence
        if cert.get("claim") != "nguyen_hein":
            V.undecide("certificate.claim", "claim %s not understood for kind nguyen_hein"
                       % short(cert.get("claim")))
        elif "rank" in cert:
            V.run("certificate.rank", lambda: eq_int(cert["rank"], rank_Fk1(), "certificate.rank",
                                                     "rank [F_k, 1]"))


# ---------------------------------------------------------------------------------------------
# entry points
# kind -> its evaluator, called as (V, kind, input, expect, certificate, max_patterns)
EVALUATORS = {
    "matrix_rank": lambda V, k, i, e, c, mp: eval_rank_kind(V, k, i, e, c),
    "khatri_rao_rank": lambda V, k, i, e, c, mp: eval_rank_kind(V, k, i, e, c),
    "witness": lambda V, k, i, e, c, mp: eval_witness(V, i, e, c),
    "mnn": lambda V, k, i, e, c, mp: eval_mnn(V, i, e, c),
    "mnn_patterns": lambda V, k, i, e, c, mp: eval_patterns(V, i, e, c, mp),
    "deep_linear": lambda V, k, i, e, c, mp: eval_deep_linear(V, i, e, c),
    "khk": lambda V, k, i, e, c, mp: eval_khk(V, i, e, c),
    "nguyen_hein": lambda V, k, i, e, c, mp: eval_nguyen_hein(V, i, e, c),
}
KINDS = tuple(EVALUATORS)


def _evaluate(vector, cert, max_patterns):
    V = Verdict()
    if not isinstance(vector, dict):
        raise malformed("vector", "not a JSON object")
    if cert is not None and not isinstance(cert, dict):
        raise malformed("certificate", "not a JSON object")
    if vector.get("format") == "lmo-cert/1":
        # a stand-alone certificate: only a witness certificate carries what it is about
        if cert is not None:
            raise malformed("vector", "a certificate where a vector was expected")
        if vector.get("claim") != "witness":
            raise Undecided("certificate.claim", "a stand-alone %s certificate has no vector to evaluate"
                            % short(vector.get("claim")))
        eval_witness(V, None, None, vector)
        return V
    if cert is None:
        cert = vector.get("certificate")
        if cert is not None and not isinstance(cert, dict):
            raise malformed("certificate", "not a JSON object")
    kind = vector.get("kind")
    if kind not in KINDS:
        raise Undecided("kind", "unsupported kind %s" % short(kind))
    inp = vector.get("input")
    if not isinstance(inp, dict):
        raise malformed("input", "not an object")
    expect = vector.get("expect", {})
    if expect is None:
        expect = {}
    if not isinstance(expect, dict):
        raise malformed("expect", "not an object")
    EVALUATORS[kind](V, kind, inp, expect, cert, max_patterns)
    return V


def evaluate(vector, cert=None, max_patterns=MAX_PATTERNS):
    """(status, member, why): status TRUE (every claim holds), FALSE (member is a false claim),
    UNDECIDED (member cannot be decided, or the input is malformed).  Never raises."""
    try:
        V = _evaluate(vector, cert, max_patterns)
        st = V.result()
        if st[0] == STATUS_TRUE and V.checked == 0 and V.undecided is None:
            return STATUS_TRUE, "", "no claims"
        return st
    except Undecided as u:
        return STATUS_UNDECIDED, u.member, u.why
    except MemoryError:
        return STATUS_UNDECIDED, "", "out of memory"
    except RecursionError:
        return STATUS_UNDECIDED, "", "malformed: nesting too deep"
    except Exception as e:  # a bug or junk we did not foresee: never a traceback
        return STATUS_UNDECIDED, "", "malformed: %s: %s" % (type(e).__name__, short(str(e), 120))


def _no_duplicates(pairs):
    d = {}
    for k, v in pairs:
        if k in d:
            raise ValueError("duplicate key %s" % short(k))
        d[k] = v
    return d


def _bad_constant(name):
    raise ValueError("non-finite JSON number %s" % name)


def load_json_text(text):
    return __import__("json").loads(text, object_pairs_hook=_no_duplicates, parse_constant=_bad_constant)


MAX_FILE_BYTES = 64 << 20


def evaluate_file(path, max_patterns=MAX_PATTERNS):
    try:
        with open(path, "rb") as fh:
            raw = fh.read(MAX_FILE_BYTES + 1)
        if len(raw) > MAX_FILE_BYTES:
            return STATUS_UNDECIDED, "", "file beyond %d bytes" % MAX_FILE_BYTES
        doc = load_json_text(raw.decode("utf-8"))
    except RecursionError:
        return STATUS_UNDECIDED, "", "malformed: nesting too deep"
    except MemoryError:
        return STATUS_UNDECIDED, "", "out of memory"
    except Exception as e:
        return STATUS_UNDECIDED, "", "malformed: %s" % short(str(e), 120)
    if isinstance(doc, dict) and "vector" in doc and "format" not in doc:
        extra = set(doc) - {"vector", "certificate"}
        if extra:
            return STATUS_UNDECIDED, "", "malformed: unknown top-level members %s" % short(sorted(extra))
        return evaluate(doc["vector"], doc.get("certificate"), max_patterns)
    return evaluate(doc, None, max_patterns)


def _limit_memory():
    try:
        import resource
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        lim = 4 << 30
        if hard == resource.RLIM_INFINITY or hard > lim:
            resource.setrlimit(resource.RLIMIT_AS, (lim, hard))
    except Exception:
        pass


def _worker(conn, max_patterns):
    """A long-lived evaluator process: receives (index, path), sends (index, result).  The parent
    kills it when a file exceeds its time limit and starts a fresh one."""
    _limit_memory()
    while True:
        try:
            msg = conn.recv()
        except (EOFError, OSError):
            break
        if msg is None:
            break
        i, path = msg
        try:
            res = evaluate_file(path, max_patterns)
        except BaseException as e:  # pragma: no cover
            res = (STATUS_UNDECIDED, "", "evaluator error: %s" % short(str(e)))
        try:
            conn.send((i, tuple(res)))
        except (OSError, ValueError):
            break
    conn.close()


def format_line(status, path, member, why):
    clean = lambda s: "".join(c if 32 <= ord(c) < 127 else "?" for c in str(s))
    if status == STATUS_TRUE:
        return "TRUE %s" % path
    return "%s %s: %s: %s" % (status, path, clean(member or "-"), clean(why))


def main(argv=None):
    import argparse
    import multiprocessing as mp
    import time
    from multiprocessing.connection import wait

    ap = argparse.ArgumentParser(prog="truth.py", description="independent truth evaluator for lmo claims")
    ap.add_argument("--jobs", type=int, default=1, help="files evaluated in parallel (default 1)")
    ap.add_argument("--timeout", type=float, default=60.0, help="seconds per file (default 60)")
    ap.add_argument("--max-patterns", type=int, default=MAX_PATTERNS,
                    help="most activation patterns enumerated (default %d)" % MAX_PATTERNS)
    ap.add_argument("files", nargs="+")
    args = ap.parse_args(argv)
    jobs = max(1, min(args.jobs, len(args.files)))
    ctx = mp.get_context("fork")
    results = [None] * len(args.files)
    pending = list(range(len(args.files)))[::-1]
    workers = []  # dicts: proc, conn, task (index, deadline) or None
    next_out = 0
    counts = {STATUS_TRUE: 0, STATUS_FALSE: 0, STATUS_UNDECIDED: 0}

    def spawn():
        parent, child = ctx.Pipe(duplex=True)
        p = ctx.Process(target=_worker, args=(child, args.max_patterns), daemon=True)
        p.start()
        child.close()
        return {"proc": p, "conn": parent, "task": None}

    def retire(w, why):
        i = w["task"][0]
        w["proc"].kill()
        w["proc"].join()
        w["conn"].close()
        results[i] = (STATUS_UNDECIDED, "", why)
        workers[workers.index(w)] = spawn() if pending else None

    stdout_ok = [True]

    def out(line):
        if stdout_ok[0]:
            try:
                print(line, flush=True)
            except BrokenPipeError:  # e.g. piped into head: keep going for the exit status
                stdout_ok[0] = False
                try:
                    import os
                    fd = os.open(os.devnull, os.O_WRONLY)
                    os.dup2(fd, sys.stdout.fileno())
                except OSError:
                    pass

    def flush():
        nonlocal next_out
        while next_out < len(results) and results[next_out] is not None:
            st, mem, why = results[next_out]
            counts[st] += 1
            out(format_line(st, args.files[next_out], mem, why))
            next_out += 1

    workers = [spawn() for _ in range(jobs)]
    while True:
        workers = [w for w in workers if w is not None]
        for k, w in enumerate(workers):
            if w["task"] is None and pending:
                i = pending.pop()
                try:
                    w["conn"].send((i, args.files[i]))
                except (OSError, ValueError):  # the idle worker died: replace it
                    w["proc"].join()
                    w = workers[k] = spawn()
                    w["conn"].send((i, args.files[i]))
                w["task"] = (i, time.monotonic() + args.timeout)
        busy = [w for w in workers if w["task"] is not None]
        if not busy:
            break
        tmo = max(0.0, min(w["task"][1] for w in busy) - time.monotonic())
        ready = wait([w["conn"] for w in busy], timeout=tmo)
        for w in busy:
            if w["conn"] in ready:
                try:
                    i, res = w["conn"].recv()
                    results[i] = res
                    w["task"] = None
                except (EOFError, OSError):
                    w["proc"].join()
                    retire(w, "evaluator process died (exit %s)" % w["proc"].exitcode)
            elif time.monotonic() >= w["task"][1]:
                retire(w, "timeout after %g s" % args.timeout)
        flush()
    for w in workers:
        if w is not None:
            try:
                w["conn"].send(None)
            except OSError:
                pass
            w["proc"].join(5)
            if w["proc"].is_alive():
                w["proc"].kill()
                w["proc"].join()
    flush()
    out("truth: %d files: %d TRUE, %d FALSE, %d UNDECIDED"
        % (len(args.files), counts[STATUS_TRUE], counts[STATUS_FALSE], counts[STATUS_UNDECIDED]))
    return 1 if counts[STATUS_FALSE] else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
