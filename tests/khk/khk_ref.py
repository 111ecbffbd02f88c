#!/usr/bin/env python3
"""An independent reference for kind khk, written from Kawaguchi, Huang & Kaelbling (2019)
with nothing but fractions (tests/lib/exact.py reads the exact numbers), compared with
`lmo khk --json` on the corpus's khk vectors and on random small networks.

From the paper, not from lmo's C code:
  - (4.1): Phi(0) = X, Phi(l) = sigma(Phi(l-1) W(l)), Yhat = Phi(H) W(H+1); (2.1): L = 1/2 ||Yhat - Y||_F^2;
  - Section 4.1: Lambda(l,k)_ii = sigma'(z) where it exists, else 0;
  - Theorem 1: D_k(l) = sum over k_(l+1) .. k_H of
        (W(l+1)[k_l, k_(l+1)] ... W(H)[k_(H-1), k_H] W(H+1)[k_H, :])^T (x) Lambda(l,k_l) ... Lambda(H,k_H) Phi(l-1)
    enumerated path by path (itertools.product), D_1(H+1) = I (x) Phi(H), vec column-major
    (Section 2.2); N_k(l) = P_N[Qbar_(k-1)(l)] (Proposition 1's indexing), Q = N D, and
    J = 1/2 ||Y||^2 - sum 1/2 ||P[N_k(l) D_k(l)] vec Y||^2 (Section 4.3, with the 1/2);
  - projections by Gram-Schmidt (orthogonal, unnormalised) over Q;
  - Lemma 1: dL/dvec(W(l)) = D(l)^T vec(Yhat - Y), and for W(H+1) D_1(H+1)^T vec(Yhat - Y);
    critical = that gradient is 0 at a differentiable point;
  - a pre-activation exactly 0 at a relu / abs / leaky (a != 1) unit: not differentiable;
  - Definition 1 by brute force: for each t every family S(t+1), ..., S(H+1) of subsets is
    tried against conditions i-iii; n_max(t) is the largest n some family reaches, and the
    sets reported are the union of all valid families for t = 0 (restricted to n >= 0).
  - Proposition 2 (H = 1): Dtilde = [Lambda(1,1) X ... Lambda(1,d) X] of (B.2), its rank by
    Gram-Schmidt, 1/2 ||(I - P[Dtilde]) Y||^2, the regime (d dx <= m: i, else ii), the Lambda
    condition with delta > 0 (every Lambda_I of |I| = ceil(m/2) of rank d in regime i, every
    |I| = floor(d/2) of full row rank in regime ii; itertools.combinations) and the generic
    rank min over S of (m - |S| + dx rank Lambda_S) (Rado) for m <= 10.
usage: khk_ref.py LMO CORPUS_DIR [--random N]"""
import glob, itertools, json, os, random, subprocess, sys, tempfile
from fractions import Fraction as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'lib'))
import exact  # noqa: E402


def mat(j):
    return [[exact.value(x) for x in row] for row in j['data']]


def act(name):
    """sigma and Lambda of one activation: (s(z), lam(z), kink(z))."""
    if name == 'relu':
        a = F(0)
    elif name == 'abs':
        a = F(-1)
    else:
        a = exact.parse(name.split(':', 1)[1])
    ident = name.startswith('leaky:') and a == 1
    s = lambda z: z if z > 0 else a * z if z < 0 else F(0)
    lam = lambda z: F(1) if z > 0 else a if z < 0 else (F(1) if ident else F(0))
    kink = lambda z: z == 0 and not ident
    return s, lam, kink


def matmul(A, B):
    return [[sum((A[i][t] * B[t][j] for t in range(len(B))), F(0)) for j in range(len(B[0]))]
            for i in range(len(A))]


def dot(u, v):
    return sum((a * b for a, b in zip(u, v)), F(0))


class GS:
    """An orthogonal basis of the columns seen so far."""
    def __init__(self):
        self.u = []

    def reduce(self, v):
        w = list(v)
        for u in self.u:
            c = dot(u, w) / dot(u, u)
            w = [a - c * b for a, b in zip(w, u)]
        return w

    def add(self, v):
        w = self.reduce(v)
        if any(w):
            self.u.append(w)
            return w
        return None


def reference(inp):
    X, Y = mat(inp['X']), mat(inp['Y'])
    W = [mat(w) for w in inp['weights']]
    acts = [act(a) for a in inp['activations']]
    H, m, dy = len(W) - 1, len(X), len(Y[0])
    Phi, Lam, kink = [X], [], None
    for l in range(1, H + 1):
        G = matmul(Phi[-1], W[l - 1])
        s, lam, kk = acts[l - 1]
        Phi.append([[s(z) for z in row] for row in G])
        Lam.append([[lam(z) for z in row] for row in G])
        for k in range(len(G[0])):
            for i in range(m):
                if kink is None and kk(G[i][k]):
                    kink = {'layer': l, 'unit': k + 1, 'sample': i + 1}
    Yhat = matmul(Phi[H], W[H])
    loss = sum(((Yhat[i][j] - Y[i][j]) ** 2 for i in range(m) for j in range(dy)), F(0)) / 2
    vecY = [Y[i][j] for j in range(dy) for i in range(m)]
    vecR = [Yhat[i][j] - Y[i][j] for j in range(dy) for i in range(m)]
    d = [len(X[0])] + [len(w[0]) for w in W]
    blocks = []   # (layer, columns) in (4.2)'s order
    for l in range(1, H + 1):
        for k in range(d[l]):
            cols = [[F(0)] * (m * dy) for _ in range(d[l - 1])]
            # paths k = k_l -> k_(l+1) -> ... -> k_H
            for path in itertools.product(*[range(d[q]) for q in range(l + 1, H + 1)]):
                ks = (k,) + path
                w = F(1)
                for q in range(len(ks) - 1):           # W(l+1+q)[k_(l+q), k_(l+q+1)]
                    w *= W[l + q][ks[q]][ks[q + 1]]
                for j in range(dy):
                    c = w * W[H][ks[-1]][j]
                    if c == 0:
                        continue
                    for i in range(m):
                        lp = F(1)
                        for q, kq in enumerate(ks):      # Lambda(l+q, k_(l+q))_ii
                            lp *= Lam[l + q - 1][i][kq]
                        for a in range(d[l - 1]):
                            cols[a][j * m + i] += c * lp * Phi[l - 1][i][a]
            blocks.append((l, cols))
    last = []
    for j in range(dy):
        for a in range(d[H]):
            col = [F(0)] * (m * dy)
            for i in range(m):
                col[j * m + i] = Phi[H][i][a]
            last.append(col)
    blocks.append((H + 1, last))
    # gradient (Lemma 1) and (4.2)
    grad2 = sum((dot(c, vecR) ** 2 for _, cols in blocks for c in cols), F(0))
    span, terms = GS(), [[] for _ in range(H + 1)]
    for l, cols in blocks:
        Q = [span.reduce(c) for c in cols]            # Q_k(l) = N_k(l) D_k(l)
        own, t = GS(), F(0)
        for q in Q:
            u = own.add(q)
            if u is not None:
                t += dot(u, vecY) ** 2 / dot(u, u)
        for c in cols:
            span.add(c)
        terms[l - 1].append(t / 2)
    J = dot(vecY, vecY) / 2 - sum((t for row in terms for t in row), F(0))
    # Definition 1, by brute force over every family of subsets
    def linear(l, k):          # condition ii (l = H+1: the output layer is linear)
        if l == H + 1:
            return True
        G = [sum((Phi[l - 1][i][a] * W[l - 1][a][k] for a in range(d[l - 1])), F(0)) for i in range(m)]
        return all(Phi[l][i][k] == G[i] for i in range(m))
    def subsets(n):
        return [frozenset(c) for r in range(n + 1) for c in itertools.combinations(range(n), r)]
    n_max, union = [], [set() for _ in range(H + 2)]
    for t in range(H + 1):
        best = -1
        layers = list(range(t + 1, H + 2))
        cands = [[s for s in subsets(d[l]) if all(linear(l, k) for k in s)] for l in layers]
        for fam in itertools.product(*cands):
            S = dict(zip(layers, fam))
            ok = all(W[l][kp][k] == 0 for l in layers if l <= H - 1
                     for kp in S[l] for k in range(d[l + 1]) if k not in S[l + 1])
            if ok:
                best = max(best, min(len(s) for s in fam))
                if t == 0:
                    for l in layers:
                        union[l] |= S[l]
        n_max.append(best)
    sets = [sorted(k + 1 for k in union[l]) for l in range(1, H + 1)]
    prop2 = prop2_reference(Lam[0], X, Y) if H == 1 else None
    diff = kink is None
    thm2 = None
    if diff and grad2 == 0:
        thm2 = thm2_reference(X, Y, W, Phi, Lam, d, H, m, dy, blocks, n_max, union, loss, linear, subsets)
    return {'prop2': prop2, 'differentiable': diff, 'kink': kink, 'critical': (grad2 == 0) if diff else None,
            'loss': loss, 'J': J, 'loss_minus_J': loss - J, 'path_rank': len(span.u),
            'patterns': Lam, 'terms': terms,
            'weakly_separated': {'sets': sets, 'n_max': n_max}, 'thm2': thm2,
            'blocks': blocks, 'vecY': vecY}   # for tests/checker/khk_cert_tests.py


def strong_family_ok(t, S, Phi, W, d, H, m, dy, linear):
    """Definition 2 for the sets S[l] (0-based units), l = t+1..H+1, straight from the paper."""
    for l in range(t + 1, H + 2):
        if len(S[l]) < dy or not all(linear(l, k) for k in S[l]):        # i, ii
            return False
        if l <= H - 1 and any(W[l][kp][k] != 0 for kp in S[l] for k in range(d[l + 1]) if k not in S[l + 1]):
            return False                                                  # iii
        if l <= H - 1:                                                    # l not in {H, H+1}
            for k in S[l + 1]:
                for i in range(m):
                    full = sum((Phi[l][i][kp] * W[l][kp][k] for kp in range(d[l])), F(0))
                    part = sum((Phi[l][i][kp] * W[l][kp][k] for kp in S[l]), F(0))
                    if full != part:
                        return False
    return True


def thm2_reference(X, Y, W, Phi, Lam, d, H, m, dy, blocks, n_max, union, loss, linear, subsets):
    cols = lambda A: [[A[i][a] for i in range(m)] for a in range(len(A[0]))]
    # the pattern region's least loss: every path's mask
    span, masks = GS(), set()
    for path in itertools.product(*[range(d[l]) for l in range(1, H + 1)]):
        mu = [F(1)] * m
        for l, k in enumerate(path):
            mu = [mu[i] * Lam[l][i][k] for i in range(m)]
        if any(mu):
            masks.add(tuple(mu))
        for a in range(d[0]):
            span.add([mu[i] * X[i][a] for i in range(m)])
    lp = F(0)
    for y in cols(Y):
        lp += dot(y, y) - sum((dot(u, y) ** 2 / dot(u, u) for u in span.u), F(0))
    lp /= 2
    t_weak = min(t for t in range(H + 1) if n_max[t] >= dy)
    t_strong = None
    for t in range(H + 1):
        layers = list(range(t + 1, H + 1))
        for fam in itertools.product(*[subsets(d[l]) for l in layers]):
            S = dict(zip(layers, fam))
            S[H + 1] = frozenset(range(dy))
            if strong_family_ok(t, S, Phi, W, d, H, m, dy, linear):
                t_strong = t
                break
        if t_strong is not None:
            break
    vecY = [Y[i][j] for j in range(dy) for i in range(m)]
    bounds = []
    layers = list(range(t_weak, H + 1))
    for bits in range(1 << len(layers)):
        S = [layers[q] for q in range(len(layers)) if bits >> q & 1]
        phis = [c for l in S for c in cols(Phi[l])]
        g = GS()
        for c in phis:
            g.add(c)
        basis = F(0)
        for y in cols(Y):
            basis += dot(y, y) - sum((dot(u, y) ** 2 / dot(u, u) for u in g.u), F(0))
        basis /= 2
        # [Phibar^(S) D] in R^(m dy): I (x) Phi(l) columns, then every D_k(l), l <= H
        def bound_of(dcols):
            big = GS()
            for j in range(dy):
                for c in phis:
                    v = [F(0)] * (m * dy)
                    v[j * m:(j + 1) * m] = c
                    big.add(v)
            for c in dcols:
                big.add(c)
            r = big.reduce(vecY)
            return dot(r, r) / 2
        D = [c for (l, cs) in blocks if l <= H for c in cs]
        # Dhat: for l >= t_weak + 2, unit k outside S(l): only the columns j outside S(l-1)
        Dhat, unit = [], {}
        for (l, cs) in blocks:
            if l > H:
                continue
            k = unit.get(l, 0)
            unit[l] = k + 1
            cut = l >= t_weak + 2 and k not in union[l]
            Dhat += [c for a, c in enumerate(cs) if not (cut and a in union[l - 1])]
        b, b1 = bound_of(D), bound_of(Dhat)
        bounds.append({'S': S, 'basis': basis, 'improvement': basis - b, 'bound': b, 'bound_cor1': b1})
    return {'local_minimum': loss == lp, 'loss_pattern': lp, 'pattern_masks': len(masks),
            'pattern_rank': len(span.u), 't_weak': t_weak, 't_strong': t_strong, 'bounds': bounds}


def thm2_same(ref, got, inp):
    """lmo's expect.thm2 against the reference (the strong family: re-checked, not compared)."""
    rt, gt = ref['thm2'], got.get('thm2')
    if rt is None or gt is None:
        return [] if rt is None and gt is None else [f'thm2: reference {rt is not None}, lmo {gt is not None}']
    bad = []
    for key in ('local_minimum', 'pattern_masks', 'pattern_rank', 't_weak', 't_strong'):
        if rt[key] != gt.get(key):
            bad.append(f'thm2.{key}: reference {rt[key]}, lmo {gt.get(key)}')
    if inp is not None and (gt.get('t_strong') is None) != (gt.get('strong_sets') is None):
        bad.append('thm2.strong_sets: present exactly when t_strong is')
    elif inp is not None and gt.get('strong_sets') is not None and \
            not strong_ok_json(inp, gt['t_strong'], gt['strong_sets']):
        bad.append(f'thm2.strong_sets {gt["strong_sets"]} fail Definition 2')
    if gt['loss_pattern'] is None or exact.value(gt['loss_pattern']) != rt['loss_pattern']:
        bad.append(f'thm2.loss_pattern: reference {rt["loss_pattern"]}, lmo {gt["loss_pattern"]}')
    if [b['S'] for b in gt['bounds']] != [b['S'] for b in rt['bounds']]:
        bad.append('thm2.bounds: the subsequences S differ')
    else:
        for rb, gb in zip(rt['bounds'], gt['bounds']):
            for key in ('basis', 'improvement', 'bound', 'bound_cor1'):
                if exact.value(gb[key]) != rb[key]:
                    bad.append(f'thm2 S = {rb["S"]}: {key} reference {rb[key]}, lmo {gb[key]}')
    return bad


def rank_of(rows):
    g = GS()
    for r in rows:
        g.add(r)
    return len(g.u)


def prop2_reference(Lam, X, Y):
    m, d, dx = len(X), len(Lam[0]), len(X[0])
    Dt = [[Lam[i][k] * X[i][j] for k in range(d) for j in range(dx)] for i in range(m)]
    span = GS()
    for c in range(d * dx):
        span.add([Dt[i][c] for i in range(m)])
    proj = F(0)
    for c in range(len(Y[0])):
        y = [Y[i][c] for i in range(m)]
        proj += dot(y, y) - sum(dot(u, y) ** 2 / dot(u, u) for u in span.u)
    regime = 'i' if d * dx <= m else 'ii'
    size = (m + 1) // 2 if regime == 'i' else min(d // 2, m)
    need = d if regime == 'i' else size
    witness = next((list(i + 1 for i in I) for I in itertools.combinations(range(m), size)
                    if rank_of([Lam[i] for i in I]) < need), None)
    ok = witness is None
    generic = None
    if m <= 10:
        generic = min(m - len(S) + dx * rank_of([Lam[i] for i in S])
                      for n in range(m + 1) for S in itertools.combinations(range(m), n))
    return {'rank': len(span.u), 'max_rank': min(m, d * dx), 'regime': regime,
            'lambda_condition': ok, 'witness': witness, 'generic_rank': generic,
            'loss_proj': proj / 2}


def prop2_same(rp, gp):
    """lmo's expect.prop2 GP against the reference RP (generic_rank only where computed)."""
    if rp is None or gp is None:
        return rp is None and gp is None
    keys = ('rank', 'max_rank', 'regime', 'lambda_condition', 'witness')
    return (all(rp[k] == gp.get(k) for k in keys) and exact.value(gp['loss_proj']) == rp['loss_proj']
            and (rp['generic_rank'] is None or rp['generic_rank'] == gp.get('generic_rank')))


def same(ref, got):
    bad = []
    rp, gp = ref['prop2'], got.get('prop2')
    if (rp is None) != (gp is None):
        bad.append(f'prop2: reference {rp}, lmo {gp}')
    elif rp is not None:
        for key in ('rank', 'max_rank', 'regime', 'lambda_condition', 'witness'):
            if rp[key] != gp.get(key):
                bad.append(f'prop2.{key}: reference {rp[key]}, lmo {gp.get(key)}')
        if rp['generic_rank'] is not None and rp['generic_rank'] != gp.get('generic_rank'):
            bad.append(f'prop2.generic_rank: reference {rp["generic_rank"]}, lmo {gp.get("generic_rank")}')
        if rp['loss_proj'] != exact.value(gp['loss_proj']):
            bad.append(f'prop2.loss_proj: reference {rp["loss_proj"]}, lmo {gp["loss_proj"]}')
        if rp['generic_rank'] is not None and rp['rank'] > rp['generic_rank']:
            bad.append('the reference itself has rank Dtilde above the generic rank')
    bad += thm2_same(ref, got, None)
    for key in ('differentiable', 'kink', 'critical', 'path_rank', 'weakly_separated'):
        if ref[key] != got.get(key):
            bad.append(f'{key}: reference {ref[key]}, lmo {got.get(key)}')
    for key in ('loss', 'J', 'loss_minus_J'):
        if ref[key] != exact.value(got[key]):
            bad.append(f'{key}: reference {ref[key]}, lmo {got[key]}')
    if [[exact.value(x) for x in row] for row in got['terms']] != ref['terms']:
        bad.append('terms differ')
    if [mat(p) for p in got['patterns']] != ref['patterns']:
        bad.append('patterns differ')
    return bad


def strong_ok_json(inp, t, sets):
    """Definition 2 for lmo's reported family, recomputing Phi from the input."""
    X, W = mat(inp['X']), [mat(w) for w in inp['weights']]
    acts = [act(a) for a in inp['activations']]
    H, m, dy = len(W) - 1, len(X), len(W[-1][0])
    d = [len(X[0])] + [len(w[0]) for w in W]
    Phi = [X]
    for l in range(1, H + 1):
        Phi.append([[acts[l - 1][0](z) for z in row] for row in matmul(Phi[-1], W[l - 1])])
    def linear(l, k):
        if l == H + 1:
            return True
        return all(Phi[l][i][k] == sum((Phi[l - 1][i][a] * W[l - 1][a][k] for a in range(d[l - 1])), F(0))
                   for i in range(m))
    S = {t + 1 + q: frozenset(k - 1 for k in s) for q, s in enumerate(sets)}
    S[H + 1] = frozenset(range(dy))
    return strong_family_ok(t, S, Phi, W, d, H, m, dy, linear)


def qs(x):
    return str(x) if x.denominator != 1 else int(x)


def rand_input(rng):
    H = rng.randint(1, 3)
    d = [rng.randint(1, 3) for _ in range(H + 1)] + [rng.randint(1, 2)]
    m = rng.randint(1, 5)
    small = rng.random() < 0.5       # small integers: kinks and rank deficiencies
    def q():
        return F(rng.randint(-2, 2)) if small else F(rng.randint(-9, 9), rng.randint(1, 4))
    def M(r, c):
        return {'rows': r, 'cols': c, 'data': [[qs(q()) for _ in range(c)] for _ in range(r)]}
    return {'X': M(m, d[0]), 'Y': M(m, d[H + 1]),
            'weights': [M(d[l], d[l + 1]) for l in range(H + 1)],
            'activations': [rng.choice(['relu', 'abs', 'leaky:1/5', 'leaky:-3', 'leaky:1'])
                            for _ in range(H)]}


def main():
    lmo, corpus = sys.argv[1], sys.argv[2]
    nrand = int(sys.argv[sys.argv.index('--random') + 1]) if '--random' in sys.argv else 60
    files = sorted(glob.glob(os.path.join(corpus, 'khk-*.json')))
    tmp = tempfile.mkdtemp(prefix='khk_ref.')
    rng = random.Random(2019)
    for n in range(nrand):
        f = os.path.join(tmp, f'r{n}.json')
        json.dump({'format': 'lmo-vector/1', 'kind': 'khk', 'id': f'khk-ref-{n}',
                   'source': 'tests/khk/khk_ref.py', 'input': rand_input(rng)}, open(f, 'w'))
        files.append(f)
    if not files:
        print('no khk vectors')
        return 1
    p = subprocess.run([lmo, 'khk', '--json'] + files, capture_output=True, text=True)
    if p.returncode != 0:
        print(f'lmo khk exit {p.returncode}: {p.stderr[:500]}')
        return 1
    # prop2 and thm2 are lmo's findings (report), the rest its certified verdict
    out = [{**o.get('report', {}), **o} for o in map(json.loads, p.stdout.splitlines())]
    problems, kinds = 0, {'critical': 0, 'not critical': 0, 'kink': 0, 'linear units': 0,
                          'certified local min': 0, 'critical, not certified': 0, 't_weak < t_strong': 0,
                          'bound fails, not certified': 0}
    for f, got in zip(files, out):
        ref = reference(json.load(open(f))['input'])
        kinds['linear units'] += any(ref['weakly_separated']['sets'])
        kinds['kink' if not ref['differentiable'] else
              'critical' if ref['critical'] else 'not critical'] += 1
        # Theorem 1 and J <= L on the reference's own numbers
        if ref['prop2'] and ref['prop2']['loss_proj'] > ref['J']:
            print(f'{os.path.basename(f)}: the reference has Lemma 5\'s projection above J')
            problems += 1
        if ref['J'] > ref['loss'] or (ref['critical'] and ref['J'] != ref['loss']):
            print(f'{os.path.basename(f)}: the reference itself contradicts Theorem 1')
            problems += 1
        t2 = ref['thm2']
        if t2:
            kinds['certified local min' if t2['local_minimum'] else 'critical, not certified'] += 1
            kinds['t_weak < t_strong'] += t2['t_weak'] < t2['t_strong']
            # a critical point where (5.1) fails is no local minimum (by Theorem 2): lmo must not
            # have certified it, and such points must exist for the hypothesis to be tested
            if any(ref['loss'] > b['bound'] for b in t2['bounds']):
                kinds['bound fails, not certified'] += 1
            if t2['loss_pattern'] > ref['loss']:
                print(f'{os.path.basename(f)}: the reference has L below the pattern region\'s least loss')
                problems += 1
            # Theorem 2 / Corollary 1 (every S) and Corollary 2 (S within {t', H}, t' >= t_strong)
            H = len(ref['patterns'])
            for b in t2['bounds'] if t2['local_minimum'] else []:
                low = [l for l in b['S'] if l != H]
                cor2 = len(low) == 0 or (len(low) == 1 and low[0] >= t2['t_strong'])
                if ref['loss'] > b['bound'] or ref['loss'] > b['bound_cor1']:
                    print(f'{os.path.basename(f)}: the reference contradicts Theorem 2 / Corollary 1 at S = {b["S"]}'
                          f'{" (and Corollary 2)" if cor2 else ""}')
                    problems += 1
            gt = got.get('thm2') or {}
            if gt.get('strong_sets') is not None:   # lmo's family must satisfy Definition 2
                inp = json.load(open(f))['input']
                ok = strong_ok_json(inp, gt['t_strong'], gt['strong_sets'])
                if not ok:
                    print(f'{os.path.basename(f)}: lmo\'s strong family {gt["strong_sets"]} fails Definition 2')
                    problems += 1
        for b in same(ref, got):
            print(f'{os.path.basename(f)}: {b}')
            problems += 1
    if len(out) != len(files):
        print(f'{len(out)} results for {len(files)} files')
        problems += 1
    print(f'khk reference: {len(files)} instances ({kinds}), {problems} problems')
    if problems == 0:
        for f in glob.glob(os.path.join(tmp, '*.json')):
            os.remove(f)
        os.rmdir(tmp)
    return 1 if problems or min(kinds.values()) == 0 else 0


if __name__ == '__main__':
    sys.exit(main())
