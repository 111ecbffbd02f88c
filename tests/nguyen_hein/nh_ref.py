#!/usr/bin/env python3
"""Cross-check of lmo's ball forward pass (kind nguyen_hein) against a reference written from
Nguyen & Hein (2017), Section 2, in Python's decimal arithmetic at 80 digits:

    F_1 = sigma(X W_1 + 1_N b_1^T),  F_k = sigma(F_{k-1} W_k + 1_N b_k^T)
    sigmoid sigma_1(t) = 1/(1 + e^{-t}), tanh sigma_2(t) = (e^{2t} - 1)/(e^{2t} + 1),
    softplus sigma_3(t) = (1/alpha) log(1 + e^{alpha t})                      (Lemma 3.3)

and, for the loss, (1) with l(a) = a^2: Phi = sum_i sum_j (f_Lj(x_i) - y_ij)^2 (or (4) with
Section 5's l_1(a) = min(a, 0)^2 for y_ij > 0, l_2(a) = max(a, 0)^2 otherwise); its gradient
by central differences (Phi(theta + h e) - Phi(theta - h e)) / 2h, h = 10^-25 (error about
h^2 = 10^-50), against lmo's Lemma 2.1 in balls (info.grad_W, info.grad_b).
Inputs: random small instances made here (exact fractions, rows distinct), plus any vector
files given. For each, `lmo nh --json` prints info.F_k, the enclosures "[mid +/- rad]" of F_k;
every reference value must lie in its ball (the reference's own error, below 1e-70, is allowed
for), report.loss {mid, rad} must contain Phi, and each gradient ball the central difference (up
to 1e-40). A mutant (one entry of W_1 changed by 1/1000
after the reference is computed) must be caught, so the check can fail.
usage: nh_ref.py LMO [FILE...]"""
import json, os, random, subprocess, sys, tempfile
from decimal import Decimal, getcontext
from fractions import Fraction

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'lib'))
import exact  # noqa: E402

getcontext().prec = 80
TOL = Decimal(10) ** -70


def dec(q):
    return Decimal(q.numerator) / Decimal(q.denominator)


def sigma(t, act, alpha):
    if act == 'sigmoid':
        return 1 / (1 + (-t).exp())
    if act == 'tanh':
        e = (2 * t).exp()
        return (e - 1) / (e + 1)
    return (1 + (alpha * t).exp()).ln() / alpha


def params(inp):
    """The weights and biases as Decimals: ([W_1, ...], [b_1, ...])."""
    Ws = [[[dec(exact.value(x)) for x in row] for row in w['data']] for w in inp['weights']]
    bs = [[dec(exact.value(x)) for x in b] for b in inp['biases']]
    return Ws, bs


def forward(inp, k, Ws=None, bs=None):
    """F_k as a list of rows of Decimals (rows are samples)."""
    X = [[dec(exact.value(x)) for x in row] for row in inp['X']['data']]
    act = inp['activation']
    alpha = dec(exact.value(inp['alpha'])) if act == 'softplus' else None
    if Ws is None:
        Ws, bs = params(inp)
    F = X
    for l in range(k):
        W, b = Ws[l], bs[l]
        F = [[sigma(sum(f[c] * W[c][j] for c in range(len(f))) + b[j], act, alpha)
              for j in range(len(b))] for f in F]
    return F


def phi(inp, Ws, bs):
    FL = forward(inp, len(Ws), Ws, bs)
    Y = [[dec(exact.value(x)) for x in row] for row in inp['Y']['data']]
    hinge = inp.get('loss') == 'squared_hinge'

    def ell(a, y):   # (1): a^2; (4): l_1(a) = min(a, 0)^2 (x_i in C_j: y > 0), l_2(a) = max(a, 0)^2
        if hinge:
            a = min(a, 0) if y > 0 else max(a, 0)
        return a * a
    return sum(ell(FL[i][j] - Y[i][j], Y[i][j]) for i in range(len(Y)) for j in range(len(Y[0])))


def gradient_problems(path, inp, info):
    """Entries of lmo's gradient balls that miss the central difference."""
    Ws, bs = params(inp)
    h, bad = Decimal(10) ** -25, 0

    def fd(vec, idx):
        old = vec[idx]
        vec[idx] = old + h
        up = phi(inp, Ws, bs)
        vec[idx] = old - h
        down = phi(inp, Ws, bs)
        vec[idx] = old
        return (up - down) / (2 * h)

    for l in range(len(Ws)):
        for r in range(len(Ws[l])):
            for s in range(len(Ws[l][r])):
                g = fd(Ws[l][r], s)
                mid, rad = ball(info['grad_W'][l][r][s])
                if abs(g - mid) > rad + Decimal(10) ** -40:
                    bad += 1
                    print(f'{path}: dPhi/d(W_{l + 1})[{r}][{s}] = {g:.25e} outside {info["grad_W"][l][r][s]}')
        for s in range(len(bs[l])):
            g = fd(bs[l], s)
            mid, rad = ball(info['grad_b'][l][s])
            if abs(g - mid) > rad + Decimal(10) ** -40:
                bad += 1
                print(f'{path}: dPhi/d(b_{l + 1})[{s}] = {g:.25e} outside {info["grad_b"][l][s]}')
    return bad


def ball(s):
    """(mid, rad) of arb's "[mid +/- rad]" or of an exact decimal."""
    s = s.strip()
    if s.startswith('['):
        mid, rad = s[1:-1].split('+/-')   # "[+/- rad]" is a ball around 0
        return Decimal(mid.strip() or '0'), Decimal(rad.strip())
    return Decimal(s), Decimal(0)


def run_lmo(lmo, path):
    p = subprocess.run([lmo, 'nh', '--json', path], capture_output=True, text=True)
    if p.returncode not in (0, 1):
        raise RuntimeError(f'lmo nh {path}: exit {p.returncode}: {p.stderr[:300]}')
    return json.loads(p.stdout)


def run_vector(lmo, tmp, v):
    """lmo nh --json on the vector v, written to tmp/<id>.json."""
    path = os.path.join(tmp, v['id'] + '.json')
    with open(path, 'w') as f:
        json.dump(v, f)
    return run_lmo(lmo, path)


def check(lmo, path, inp=None):
    """Number of entries outside their balls (and a loss outside its ball)."""
    out = run_lmo(lmo, path)
    inp = inp or json.load(open(path))['input']
    k = out['k']
    ref = forward(inp, k)
    bad = 0
    for i, row in enumerate(out['info']['F_k']):
        for j, s in enumerate(row):
            mid, rad = ball(s)
            if abs(ref[i][j] - mid) > rad + TOL:
                bad += 1
                if bad <= 3:
                    print(f'{path}: F_{k}[{i}][{j}] = {ref[i][j]:.30e} outside {s}')
    value = phi(inp, *params(inp))
    enc = out['report']['loss']   # {mid, rad}: exact decimal strings
    mid, rad = Decimal(enc['mid']), Decimal(enc['rad'])
    if abs(value - mid) > rad + TOL:
        bad += 1
        print(f'{path}: Phi = {value:.30e} outside {enc}')
    return bad + gradient_problems(path, inp, out['info'])


def fr(q):
    return q.numerator if q.denominator == 1 else f'{q.numerator}/{q.denominator}'


def random_vector(rng, idx):
    N, L = rng.randint(2, 5), rng.randint(1, 3)
    n = [rng.randint(1, 3)] + [rng.randint(1, 5) for _ in range(L)]
    rows = set()
    while len(rows) < N:
        rows.add(tuple(Fraction(rng.randint(-6, 6), rng.randint(1, 4)) for _ in range(n[0])))
    mat = lambda r, c, b: [[fr(Fraction(rng.randint(-b, b), rng.randint(1, 4))) for _ in range(c)] for _ in range(r)]
    act = ['sigmoid', 'tanh', 'softplus'][idx % 3]
    inp = {'X': {'rows': N, 'cols': n[0], 'data': [[fr(x) for x in r] for r in sorted(rows)]},
           'Y': {'rows': N, 'cols': n[L], 'data': mat(N, n[L], 2)}, 'activation': act,
           'weights': [{'rows': n[l], 'cols': n[l + 1], 'data': mat(n[l], n[l + 1], 3)} for l in range(L)],
           'biases': [mat(1, n[l + 1], 3)[0] for l in range(L)], 'k': rng.randint(1, L)}
    if act == 'softplus':
        inp['alpha'] = fr(Fraction(rng.randint(1, 5), 2))
    if idx % 4 == 3:
        inp['loss'] = 'squared_hinge'
    return {'format': 'lmo-vector/1', 'kind': 'nguyen_hein', 'id': f'nh-ref-{idx}',
            'source': 'tests/nguyen_hein/nh_ref.py', 'input': inp}


def outcome(out, name):
    """The outcome of the theorem of lmo's report whose statement ends with name, or None."""
    for t in out['report']['theorems']:
        if t['statement'].endswith(name):
            return t['outcome']
    return None


def main():
    lmo = sys.argv[1]
    rng = random.Random(21)
    bad = checked = 0
    with tempfile.TemporaryDirectory() as tmp:
        for idx in range(24):
            v = random_vector(rng, idx)
            path = os.path.join(tmp, f'{v["id"]}.json')
            json.dump(v, open(path, 'w'))
            bad += check(lmo, path)
            checked += 1
        # the mutant: lmo computes F_k of a W_1 changed by 1/1000, the reference the original
        v = random_vector(rng, 99)
        orig = json.loads(json.dumps(v['input']))
        w = v['input']['weights'][0]['data']
        w[0][0] = fr(exact.value(w[0][0]) + Fraction(1, 1000))
        v['input']['k'] = 1
        orig['k'] = 1
        path = os.path.join(tmp, 'mutant.json')
        json.dump(v, open(path, 'w'))
        if check(lmo, path, orig) == 0:
            print('the mutant (W_1[0][0] + 1/1000) was not caught')
            bad += 1
        else:
            print('mutant caught (as it must be)')
    for f in sys.argv[2:]:
        bad += check(lmo, f)
        checked += 1
    print(f'nh_ref: {checked} instances, {bad} problems')
    sys.exit(1 if bad or not checked else 0)


if __name__ == '__main__':
    main()
