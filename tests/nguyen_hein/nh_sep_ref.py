#!/usr/bin/env python3
"""Cross-check of lmo's Theorem 5.3 (Nguyen & Hein 2017, kind nguyen_hein): linear
separability (Definition 5.1) of the rows of X and of F_k, and the theorem's outcomes, against
methods written here apart from lmo:

  * separability of X decided a second way: scipy.optimize.linprog (HiGHS) on the LP
    s_i (a_j . x_i + b_j) >= 1, whose answer must agree with lmo's status;
  * lmo's certificates verified exactly with fractions: every margin s_i <h_j, (x_i, 1)> > 0
    for a separator; y >= 0, sum y = 1, sum_i y_i s_i (x_i, 1) = 0 for Gordan's y;
  * lmo's separator of F_k verified on F_k recomputed in Decimal at 80 digits (nh_ref.py's
    forward pass, Section 2), every margin > 10^-60;
  * instances whose answer is known by construction: labels from a rational hyperplane with no
    point on it (separable); XOR (not separable); rows of X made equal in G_1 = X W_1 + 1 b_1^T
    but in different classes (F_k not separable); [F_k, 1_N] of rank N (F_k separable, as
    linearly independent vectors are); and Phi (4) = 0 (theorem 5.3 holds) built with
    +-1/2 labels and saturating weights, checked by the Decimal forward pass;
  * mutants that must be caught: a separator with one entry changed, a Gordan y with one entry
    changed, and a label flipped in a separable-by-construction instance turning it into XOR.
usage: nh_sep_ref.py LMO   (exit 77 without scipy)"""
import json, os, random, sys, tempfile
from decimal import Decimal
from fractions import Fraction

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'lib'))
import exact  # noqa: E402
try:
    import numpy as np
    from scipy.optimize import linprog
except ImportError:
    print('nh_sep_ref: scipy missing (Debian python3-scipy): skipped')
    sys.exit(77)

from nh_ref import forward, outcome, run_vector  # noqa: E402  (the Decimal forward pass, Section 2)


def fr(q):
    return q.numerator if q.denominator == 1 else f'{q.numerator}/{q.denominator}'


def mat(rows):
    return {'rows': len(rows), 'cols': len(rows[0]), 'data': [[fr(Fraction(x)) for x in r] for r in rows]}


def vector(vid, X, Y, Ws, bs, act='tanh', loss='squared_hinge', k=None):
    inp = {'X': mat(X), 'Y': mat(Y), 'activation': act, 'weights': [mat(w) for w in Ws],
           'biases': [[fr(Fraction(x)) for x in b] for b in bs], 'loss': loss}
    if k:
        inp['k'] = k
    return {'format': 'lmo-vector/1', 'kind': 'nguyen_hein', 'id': vid,
            'source': 'tests/nguyen_hein/nh_sep_ref.py', 'input': inp}


def classes(Y):
    return [[Fraction(y) > 0 for y in row] for row in Y]


def verify_separator(rows, cls, H, tol=0):
    """1 when every margin s_i <h_j, (row_i, 1)> exceeds tol (rows: Fractions or Decimals)."""
    for j, h in enumerate(H):
        h = [exact.value(x) for x in h]
        for i, r in enumerate(rows):
            if isinstance(r[0], Decimal):
                m = sum(Decimal(q.numerator) / Decimal(q.denominator) * x for q, x in zip(h, r))
                m += Decimal(h[-1].numerator) / Decimal(h[-1].denominator)
            else:
                m = sum(q * x for q, x in zip(h, r)) + h[-1]
            if (m if cls[i][j] else -m) <= tol:
                return 0
    return 1


def verify_gordan(rows, cls, j, y):
    y = [exact.value(x) for x in y]
    if any(t < 0 for t in y) or sum(y) != 1:
        return 0
    s = [1 if cls[i][j] else -1 for i in range(len(rows))]
    for c in range(len(rows[0])):
        if sum(y[i] * s[i] * rows[i][c] for i in range(len(rows))) != 0:
            return 0
    return int(sum(y[i] * s[i] for i in range(len(rows))) == 0)


def linprog_separable(rows, cls):
    """The second method: HiGHS on s_i (h . (x_i, 1)) >= 1, one LP per class."""
    A = np.array([[float(x) for x in r] + [1.0] for r in rows])
    for j in range(len(cls[0])):
        s = np.array([1.0 if c[j] else -1.0 for c in cls])
        res = linprog(np.zeros(A.shape[1]), A_ub=-(s[:, None] * A), b_ub=-np.ones(len(rows)),
                      bounds=[(None, None)] * A.shape[1], method='highs')
        if res.status == 2:
            return False
        if res.status != 0:
            raise RuntimeError(f'linprog: {res.message}')
    return True


def check_x(out, X, cls, path, known=None):
    """lmo's status for X against linprog (and `known`), its certificate verified exactly."""
    rows = [[Fraction(x) for x in r] for r in X]
    sep = out['report']['separability']['X']
    bad = 0
    ref = linprog_separable(rows, cls)
    want = 'separable' if ref else 'not_separable'
    if known is not None and known != ref:
        print(f'{path}: linprog says {ref}, the construction {known}')
        bad += 1
    if sep['status'] != want:
        print(f'{path}: X is {sep["status"]} for lmo, {want} for linprog')
        bad += 1
    elif ref and not verify_separator(rows, cls, sep['separator']):
        print(f'{path}: lmo\'s separator of X fails exact verification')
        bad += 1
    elif not ref and not verify_gordan(rows, cls, sep['class'], sep['gordan_y']):
        print(f'{path}: lmo\'s Gordan y for X fails exact verification')
        bad += 1
    return bad


def check_fk(out, v, cls, path, known=None):
    inp = v['input']
    sep = out['report']['separability']['F_k']
    if known is not None and sep['status'] != known:
        print(f'{path}: F_k is {sep["status"]} for lmo, {known} by construction')
        return 1
    if sep['status'] == 'separable':
        F = forward(inp, out['k'])
        if not verify_separator(F, cls, sep['separator'], Decimal(10) ** -60):
            print(f'{path}: lmo\'s separator of F_k fails in the Decimal forward pass')
            return 1
    return 0


def random_instance(rng, idx, labels):
    N, d, n1 = rng.randint(3, 7), rng.randint(1, 3), rng.randint(2, 8)
    pts = set()
    while len(pts) < N:
        pts.add(tuple(Fraction(rng.randint(-5, 5), rng.randint(1, 3)) for _ in range(d)))
    X = sorted(pts)
    m = rng.randint(1, 2)
    if labels == 'hyperplane':   # separable by construction: a = random, no point on a.x + b = 0
        Y = []
        planes = [([Fraction(rng.randint(-4, 4)) for _ in range(d)], Fraction(1, 7)) for _ in range(m)]
        for x in X:
            Y.append([Fraction(1) if sum(a * t for a, t in zip(A, x)) + b > 0 else Fraction(-1)
                      for A, b in planes])
    else:
        Y = [[Fraction(rng.choice([-1, 1])) for _ in range(m)] for _ in X]
    W1 = [[Fraction(rng.randint(-3, 3), rng.randint(1, 3)) for _ in range(n1)] for _ in range(d)]
    b1 = [Fraction(rng.randint(-3, 3), rng.randint(1, 3)) for _ in range(n1)]
    W2 = [[Fraction(rng.randint(-3, 3), 2) for _ in range(m)] for _ in range(n1)]
    b2 = [Fraction(0)] * m
    act = ['sigmoid', 'tanh', 'softplus'][idx % 3]
    v = vector(f'sep-{labels}-{idx}', X, Y, [W1, W2], [b1, b2], act=act)
    if act == 'softplus':
        v['input']['alpha'] = 1
    return v, X, Y


def main():
    lmo = sys.argv[1]
    rng = random.Random(53)
    bad = checked = 0
    seen = {}
    with tempfile.TemporaryDirectory() as tmp:
        # random labels (either answer) and hyperplane labels (separable by construction)
        for idx in range(30):
            labels = 'hyperplane' if idx % 2 else 'random'
            v, X, Y = random_instance(rng, idx, labels)
            out = run_vector(lmo, tmp, v)
            cls = classes(Y)
            bad += check_x(out, X, cls, v['id'], True if labels == 'hyperplane' else None)
            bad += check_fk(out, v, cls, v['id'])
            for part in ('X', 'F_k'):
                key = part + ' ' + out['report']['separability'][part]['status']
                seen[key] = seen.get(key, 0) + 1
            if out['rank_Fk1'] == len(X) and out['report']['separability']['F_k']['status'] != 'separable':
                print(f'{v["id"]}: rank [F_k, 1_N] = N but F_k not proven separable')
                bad += 1
            checked += 1
        # XOR: X not separable; F_1 of a 4-unit tanh layer of rank 4, so separable
        X = [[0, 0], [0, 1], [1, 0], [1, 1]]
        W1 = [[1, -1, 2, Fraction(1, 3)], [1, 1, -1, Fraction(2, 5)]]
        b1 = [0, Fraction(-1, 2), 1, Fraction(1, 7)]
        Yx = [[-1], [1], [1], [-1]]
        v = vector('xor', X, Yx, [W1, [[1], [2], [-1], [1]]], [b1, [0]])
        out = run_vector(lmo, tmp, v)
        bad += check_x(out, X, classes(Yx), 'xor', False)
        bad += check_fk(out, v, classes(Yx), 'xor', 'separable' if out['rank_Fk1'] == 4 else None)
        if outcome(out, 'Theorem 5.3.2') != 'not_applicable':
            print('xor: Theorem 5.3.2 must be not_applicable (X not separable)')
            bad += 1
        checked += 1
        # the mutants: a changed separator, a changed y must fail verification
        rows = [[Fraction(x) for x in r] for r in X]
        y = list(out['report']['separability']['X']['gordan_y'])
        y[0] = fr(exact.value(y[0]) + Fraction(1, 1000))
        y[1] = fr(exact.value(y[1]) - Fraction(1, 1000))
        if verify_gordan(rows, classes(Yx), 0, y):
            print('mutant Gordan y (+-1/1000) not caught')
            bad += 1
        Ya = [[-1], [-1], [-1], [1]]   # AND: separable
        out = run_vector(lmo, tmp, vector('and', X, Ya, [W1, [[1], [2], [-1], [1]]], [b1, [0]]))
        bad += check_x(out, X, classes(Ya), 'and', True)
        H = json.loads(json.dumps(out['report']['separability']['X']['separator']))
        H[0][-1] = fr(exact.value(H[0][-1]) + 1000)
        if verify_separator(rows, classes(Ya), H):
            print('mutant separator (b + 1000) not caught')
            bad += 1
        Yf = [[-1], [1], [-1], [1]]     # the label flip of AND's row 1 is separable (x_2 > 1/2)...
        Yf2 = [[-1], [1], [1], [-1]]    # ...flipping rows 1, 2 and 3 of AND gives XOR: must refute
        out = run_vector(lmo, tmp, vector('and-flip', X, Yf2, [W1, [[1], [2], [-1], [1]]], [b1, [0]]))
        if out['report']['separability']['X']['status'] != 'not_separable':
            print('mutant labels (AND -> XOR) not caught')
            bad += 1
        out = run_vector(lmo, tmp, vector('and-flip1', X, Yf, [W1, [[1], [2], [-1], [1]]], [b1, [0]]))
        bad += check_x(out, X, classes(Yf), 'and-flip1', True)
        checked += 3
        # F_k not separable by structure: x_0, x_1 differ only where W_1's row is 0
        Xd = [[0, 1], [5, 1], [2, 3]]
        Wd = [[0, 0, 0], [1, -2, Fraction(1, 2)]]
        v = vector('dup', Xd, [[1], [-1], [1]], [Wd, [[1], [1], [1]]], [[0, 1, 2], [0]])
        out = run_vector(lmo, tmp, v)
        bad += check_fk(out, v, classes([[1], [-1], [1]]), 'dup', 'not_separable')
        if outcome(out, 'Theorem 5.3.1') != 'not_applicable':
            print('dup: Theorem 5.3.1 must be not_applicable (F_1 not separable)')
            bad += 1
        checked += 1
        # Phi (4) = 0: AND with +-1/2 labels, f_L within 10^-3 of +-1 (checked below): holds
        Yh = [[Fraction(-1, 2)], [Fraction(-1, 2)], [Fraction(-1, 2)], [Fraction(1, 2)]]
        v = vector('and-zero', X, Yh, [[[10, 1], [10, 2]], [[10], [0]]], [[-15, 0], [0]])
        FL = forward(v['input'], 2)
        if not all((FL[i][0] > Decimal('0.5')) == (Yh[i][0] > 0) and abs(FL[i][0]) > Decimal('0.5')
                   for i in range(4)):
            print('and-zero: the construction does not give Phi = 0')
            bad += 1
        out = run_vector(lmo, tmp, v)
        for name in ('Theorem 5.3.1', 'Theorem 5.3.2'):
            if outcome(out, name) != 'holds':
                print(f'and-zero: {name} is {outcome(out, name)}, holds by construction')
                bad += 1
        # the same point under the squared loss (1): Assumptions 5.2 fail
        v['input']['loss'] = 'squared'
        v['id'] = 'and-zero-squared'
        out = run_vector(lmo, tmp, v)
        if outcome(out, 'Theorem 5.3.2') != 'not_applicable':
            print('and-zero-squared: Theorem 5.3.2 must be not_applicable (squared loss)')
            bad += 1
        checked += 2
    # the random instances must reach both answers for X, or the comparison proves little
    if not seen.get('X separable') or not seen.get('X not_separable'):
        print(f'random instances reach only {seen}')
        bad += 1
    print(f'random instances: {dict(sorted(seen.items()))}')
    print(f'nh_sep_ref: {checked} instances, {bad} problems')
    sys.exit(1 if bad or not checked else 0)


main()
