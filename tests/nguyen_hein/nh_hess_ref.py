#!/usr/bin/env python3
"""Cross-check of lmo's block Hessian and Theorem 3.8 / Corollary 3.9 (Nguyen & Hein 2017,
kind nguyen_hein) against methods written here apart from lmo's hyper-dual forward passes:

  * on random small instances (squared loss (1)), every entry of info.hessian_upper (the
    Hessian of Phi over (W_l, b_l), l in [k+1, L], W_l row-major then b_l, as arb balls) must
    contain the central second difference of nh_ref.py's Decimal Phi at 80 digits,
    (Phi(+h,+h) - Phi(+h,-h) - Phi(-h,+h) + Phi(-h,-h)) / 4h^2, h = 10^-20 (error ~ 10^-38),
    up to 10^-30;
  * a point critical by construction (sigmoid, W_2 = 0, b_2 = 0, Y = 1/2: F_2 = Y, Phi = 0):
    there the Hessian over (W_2, b_2) is the Gauss-Newton matrix 2 J^T J, J = sigma'(0) [F_1, 1]
    (F_1 by the Decimal forward pass), positive definite when rank [F_1, 1] = 3, so Theorem 3.8
    holds with I = {2}; W_2 = 0 makes the Hessian's W_1 rows exactly 0, so Corollary 3.9 is
    not_applicable; and the degenerate mutant (two equal units: rank [F_1, 1] = 2, the block
    Hessian singular) must never come out `holds`;
  * a mutant: lmo's Hessian compared against the differences of a W_2 changed by 1/1000 must
    fail, so the check can fail.
usage: nh_hess_ref.py LMO"""
import os, random, sys, tempfile
from decimal import Decimal
from fractions import Fraction

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from nh_ref import ball, dec, fr, forward, outcome, params, phi, run_vector  # noqa: E402

H_STEP = Decimal(10) ** -20
TOL = Decimal(10) ** -30


def block_params(inp, Ws, bs, k):
    """(vector, index) of each block parameter, in lmo's order."""
    out = []
    for l in range(k, len(Ws)):
        for r in range(len(Ws[l])):
            for s in range(len(Ws[l][r])):
                out.append((Ws[l][r], s))
        for s in range(len(bs[l])):
            out.append((bs[l], s))
    return out


def second_differences(inp, k):
    Ws, bs = params(inp)
    ps = block_params(inp, Ws, bs, k)
    H = [[None] * len(ps) for _ in ps]
    for a, (va, ia) in enumerate(ps):
        for b in range(a, len(ps)):
            vb, ib = ps[b]
            vals = []
            for sa, sb in ((1, 1), (1, -1), (-1, 1), (-1, -1)):
                va[ia] += sa * H_STEP
                vb[ib] += sb * H_STEP
                vals.append(phi(inp, Ws, bs))
                va[ia] -= sa * H_STEP
                vb[ib] -= sb * H_STEP
            H[a][b] = H[b][a] = (vals[0] - vals[1] - vals[2] + vals[3]) / (4 * H_STEP * H_STEP)
    return H


def compare(name, got, want):
    bad = 0
    if len(got) != len(want):
        print(f'{name}: lmo\'s Hessian is {len(got)} x {len(got)}, the reference {len(want)}')
        return 1
    for i, row in enumerate(got):
        for j, s in enumerate(row):
            mid, rad = ball(s)
            if abs(want[i][j] - mid) > rad + TOL:
                bad += 1
                if bad <= 3:
                    print(f'{name}: H[{i}][{j}] = {want[i][j]:.25e} outside {s}')
    return bad


def mat(rows):
    return {'rows': len(rows), 'cols': len(rows[0]), 'data': [[fr(Fraction(x)) for x in r] for r in rows]}


def vector(vid, X, Y, Ws, bs, act='sigmoid', k=None):
    inp = {'X': mat(X), 'Y': mat(Y), 'activation': act, 'weights': [mat(w) for w in Ws],
           'biases': [[fr(Fraction(x)) for x in b] for b in bs]}
    if k:
        inp['k'] = k
    return {'format': 'lmo-vector/1', 'kind': 'nguyen_hein', 'id': vid,
            'source': 'tests/nguyen_hein/nh_hess_ref.py', 'input': inp}


def random_vector(rng, idx):
    L = rng.randint(2, 3)
    n = [rng.randint(1, 2)] + [rng.randint(1, 3) for _ in range(L)]
    N = rng.randint(2, 4)
    rows = set()
    while len(rows) < N:
        rows.add(tuple(Fraction(rng.randint(-4, 4), rng.randint(1, 3)) for _ in range(n[0])))
    q = lambda: Fraction(rng.randint(-3, 3), rng.randint(1, 3))
    Ws = [[[q() for _ in range(n[l + 1])] for _ in range(n[l])] for l in range(L)]
    bs = [[q() for _ in range(n[l + 1])] for l in range(L)]
    Y = [[q() for _ in range(n[L])] for _ in range(N)]
    act = ['sigmoid', 'tanh', 'softplus'][idx % 3]
    v = vector(f'hess-{idx}', sorted(rows), Y, Ws, bs, act=act, k=rng.randint(1, L - 1))
    if act == 'softplus':
        v['input']['alpha'] = fr(Fraction(rng.randint(1, 4), 2))
    return v


def main():
    lmo = sys.argv[1]
    rng = random.Random(38)
    bad = checked = 0
    with tempfile.TemporaryDirectory() as tmp:
        for idx in range(12):
            v = random_vector(rng, idx)
            out = run_vector(lmo, tmp, v)
            if 'hessian_upper' not in out['info']:
                print(f'{v["id"]}: no info.hessian_upper')
                bad += 1
                continue
            bad += compare(v['id'], out['info']['hessian_upper'], second_differences(v['input'], out['k']))
            checked += 1
        # the mutant: the reference at W_L + 1/1000
        v = random_vector(rng, 99)
        out = run_vector(lmo, tmp, v)
        w = v['input']['weights'][-1]['data']
        w[0][0] = fr(Fraction(w[0][0]) + Fraction(1, 1000))
        if compare('mutant', out['info']['hessian_upper'], second_differences(v['input'], out['k'])) == 0:
            print('the mutant (W_L[0][0] + 1/1000) was not caught')
            bad += 1
        else:
            print('mutant caught (as it must be)')
        # critical by construction: Phi = 0, Hessian over (W_2, b_2) = 2 J^T J
        X, Y = [[0], [1], [2]], [[Fraction(1, 2)]] * 3
        v = vector('crit', X, Y, [[[1, -1]], [[0], [0]]], [[0, Fraction(1, 2)], [0]])
        out = run_vector(lmo, tmp, v)
        F1 = forward(v['input'], 1)
        J = [[Decimal(1) / 4 * f for f in row] + [Decimal(1) / 4] for row in F1]   # sigma'(0) = 1/4
        GN = [[2 * sum(J[i][a] * J[i][b] for i in range(3)) for b in range(3)] for a in range(3)]
        bad += compare('crit', out['info']['hessian_upper'], GN)
        if outcome(out, 'Theorem 3.8') != 'holds':
            print(f'crit: Theorem 3.8 is {outcome(out, "Theorem 3.8")}, holds by construction')
            bad += 1
        if outcome(out, 'Corollary 3.9') != 'not_applicable':
            print(f'crit: Corollary 3.9 is {outcome(out, "Corollary 3.9")}, not_applicable by '
                  'construction (the W_1 rows of the Hessian are 0)')
            bad += 1
        # degenerate: two equal hidden units, the block Hessian 2 J^T J of rank 2 < 3
        v = vector('crit-degenerate', X, Y, [[[1, 1]], [[0], [0]]], [[0, 0], [0]])
        out = run_vector(lmo, tmp, v)
        if outcome(out, 'Theorem 3.8') == 'holds':
            print('crit-degenerate: Theorem 3.8 holds on a singular block Hessian')
            bad += 1
        checked += 2
    print(f'nh_hess_ref: {checked} instances, {bad} problems')
    sys.exit(1 if bad or not checked else 0)


if __name__ == '__main__':
    main()
