#!/usr/bin/env python3
"""Each generator family promises something (oracle/include/lmo/core/gen.h); judge
the promise from the blessed verdicts stored in the corpus, which the tiers
computed -- not from the generator. usage: family_promises.py CORPUS_DIR"""
import glob, json, os, re, sys
from decimal import Decimal
from fractions import Fraction
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'lib'))
import exact

problems = 0
seen = {}

def outcome(e, statement):
    """The outcome of the theorem object whose statement ends with STATEMENT."""
    for t in e.get('theorems', []):
        if t['statement'].endswith(statement):
            return t['outcome']
    return None


def reason(e, statement):
    for t in e.get('theorems', []):
        if t['statement'].endswith(statement):
            return t['reason']
    return ''


def bad(f, why):
    global problems
    problems += 1
    print(f'{os.path.basename(f)}: {why}')


def ball(enc):
    """[lo, hi] of an enclosure {mid, rad}, exactly (Fraction of the decimal strings)."""
    m, r = Fraction(Decimal(enc['mid'])), Fraction(Decimal(enc['rad']))
    return m - r, m + r


def near_critical_problem(nc):
    """What is wrong with a near-critical report (lmo/linalg/near_critical.h), or None:
    |grad|^2 > 0 inside its enclosure squared, the certified signs within the exact inertia,
    the enclosures ascending and read as Decimal(mid) +- Decimal(rad)."""
    if not nc:
        return 'no near_critical report at a point that is not critical'
    sq = exact.value(nc['gradient_norm']['squared'])
    lo, hi = ball(nc['gradient_norm']['enclosure'])
    if not (sq > 0 and max(lo, 0) ** 2 <= sq <= hi ** 2):
        return f'|grad|^2 = {sq} outside the square of [{lo}, {hi}]'
    if nc.get('hessian_eigenvalues') is not None:
        sg, inert = nc['hessian_signs'], nc['hessian_inertia']
        n = len(nc['hessian_eigenvalues'])
        if sg['negative'] > inert['negative'] or sg['positive'] > inert['positive']:
            return f'certified signs {sg} contradict the exact inertia {inert}'
        if sg['negative'] + sg['positive'] + sg['undecided'] != n or sum(inert.values()) != n:
            return f'{n} enclosures, signs {sg}, inertia {inert}'
        balls = [ball(x) for x in nc['hessian_eigenvalues']]
        # ascending: no enclosure entirely below the one before (printed decimal balls of
        # two close components may overlap)
        if any(b[1] < a[0] for a, b in zip(balls, balls[1:])):
            return 'enclosures not ascending'
        negs = sum(1 for x in nc['hessian_eigenvalues'] if ball(x)[1] < 0)
        if negs != sg['negative']:
            return f'{negs} enclosures below 0 but {sg["negative"]} counted negative'
    return None

# Issue 19's Evidence: a family's `source` quotes the paper statement it exercises (the
# paper's words, here as the papers in shared papers/ print them), and the four outcomes
# holds, exceptional, violated, not_applicable each appear in a family for the statement its
# source quotes. family -> (statement the outcome is read from, words of the paper).
LEMMA3 = 'if N <= d1 d0, then simultaneously for every w, rank(G1) = rank(A1 o X) = N, (X, E1) almost everywhere'
QUOTES = {
    'kr-generic': ('Lemma 3', LEMMA3),
    'patterns-dropout': ('Lemma 3', LEMMA3),
    'patterns-no-dropout': ('Lemma 3', 'without dropout, this analysis is not guaranteed to hold'),
    'patterns-exceptional': ('Lemma 3', LEMMA3),
    'patterns-too-many-samples': ('Lemma 3', LEMMA3),
    'mnn-random': ('Lemma 3', LEMMA3),
    'mnn-exact-zero': ('Theorem 4', 'all differentiable local minima of eq. (4.1) are global minima with MSE = 0'),
    'witness-lemma8': ('Fact 2', 'Then, for almost every theta, we have rank(M(theta)) = b.'),
    'deep-linear-global-min': ('Theorem 2.3 (ii)', 'Every local minimum is a global minimum.'),
    'deep-linear-strict-saddle': ('Theorem 2.3 (iv)', 'the Hessian at any saddle point has at least one (strictly) negative eigenvalue'),
    'deep-linear-bad-saddle': ('Corollary 2.4', 'there exist saddle points at which the Hessian does not have any negative eigenvalue'),
    'deep-linear-not-critical': ('Theorem 2.3 (iii)', 'W is a critical point of L(W) if and only if'),
    'deep-linear-near-critical': ('Theorem 2.3 (iii)', 'Every critical point that is not a global minimum is a saddle point.'),
    'deep-linear-proof-c1': ('Appendix C.1 (proof of Corollary 2.4)', 'every diagonal and off-diagonal element of the Hessian is zero'),
    'khk-critical': ('Theorem 1', 'Every differentiable local minimum theta of L satisfies that'),
    'khk-random': ('Theorem 1', 'Every differentiable local minimum theta of L satisfies that'),
    'khk-kink': ('Theorem 1', 'Every differentiable local minimum theta of L satisfies that'),
    'khk-separated': ('Theorem 2', 'every differentiable local minimum theta in Theta_{d_{H+1},t} of L satisfies'),
    'nh-lemma43': ('Lemma 4.3', 'there exists at least one set of parameters'),
    'nh-random': ('Lemma 4.4', 'has Lebesgue measure zero'),
    'nh-saturated': ('Lemma 4.4', 'has Lebesgue measure zero'),
    'nh-duplicate-units': ('Lemma 4.4', 'has Lebesgue measure zero'),
}
quoted_outcomes = {}   # outcome -> families where the quoted statement had it

for f in sorted(glob.glob(os.path.join(sys.argv[1], '*.json'))):
    v = json.load(open(f))
    fam = re.sub(r'-s\d+-\d+$', '', v['id'])
    seen[fam] = seen.get(fam, 0) + 1
    # the promises are about lmo's whole verdict: the certified part (expect) and its
    # further findings (report: theorem outcomes, counts the certificate cannot prove)
    e, fast, inp = {**v.get('report', {}), **v.get('expect', {})}, v.get('fast', {}), v['input']
    if fam in QUOTES:
        st, words = QUOTES[fam]
        if words not in v['source']:
            bad(f, f'source does not quote the paper statement it exercises ({st}: "{words}")')
        elif outcome(e, st) is not None:
            quoted_outcomes.setdefault(outcome(e, st), set()).add(fam)
    if fam in ('kr-generic', 'kr-near-deficient', 'kr-hidden-deficient'):
        n = inp['A']['cols']
        if fam == 'kr-near-deficient' and not (e['rank'] == n and fast['numpy']['rank'] < n):
            bad(f, 'not exactly full rank with a numpy-deficient float rank')
        if fam == 'kr-hidden-deficient' and not (e['rank'] < n and fast['abs:1e-10']['rank'] == n):
            bad(f, 'not exactly deficient with abs:1e-10 calling it full')
    elif fam in ('matrix-kahan', 'matrix-graded'):
        if not e['full_column_rank']:
            bad(f, 'not of full column rank')
    elif fam == 'mnn-random':
        # a differentiable point that is not critical gets the near-critical report
        if e['differentiable'] and not e['critical']:
            why = near_critical_problem(e.get('near_critical'))
            if why:
                bad(f, why)
        elif 'near_critical' in e:
            bad(f, 'a near_critical report at a critical or non-differentiable point')
    elif fam == 'mnn-near-critical':
        # an interpolating net (L = 2, no dropout) with every weight moved by 2^-30: recomputed
        # here in fractions, the error e = W2 f(W1 X) - y is non-zero but below 2^-20 in every
        # sample; lmo must call the point differentiable, not critical, with a valid
        # near-critical report whose gradient is certified small (no 'not certified small')
        X = [[exact.value(x) for x in row] for row in inp['X']['data']]
        W1, W2 = ([[exact.value(x) for x in row] for row in w['data']] for w in inp['weights'])
        s, y = exact.value(inp['slope']), [exact.value(t) for t in inp['y']]
        N = len(y)
        u = [[sum(W1[i][k] * X[k][n] for k in range(len(X))) for n in range(N)] for i in range(len(W1))]
        err = [sum(W2[0][i] * (u[i][n] if u[i][n] > 0 else s * u[i][n]) for i in range(len(W1))) - y[n]
               for n in range(N)]
        if len(inp['weights']) != 2 or 'dropout' in inp or any(x == 0 for row in u for x in row):
            bad(f, 'not an L = 2 net without dropout and zero pre-activations')
        elif not (any(err) and max(abs(x) for x in err) < Fraction(1, 2 ** 20)):
            bad(f, f'the error is not non-zero and below 2^-20: {[float(x) for x in err]}')
        nc = e.get('near_critical') or {}
        why = near_critical_problem(nc)
        if why or not e['differentiable'] or e['critical']:
            bad(f, why or 'not a differentiable, non-critical point')
        elif 'not certified small' in nc.get('verdict', '') or \
                not 0 < exact.value(nc['gradient_norm']['squared']) < Fraction(1, 2 ** 30):
            bad(f, 'the gradient is not certified small: ' + nc.get('verdict', ''))
    elif fam == 'mnn-exact-zero':
        if e['differentiable'] or not fast['numpy']['differentiable']:
            bad(f, 'the exact zero pre-activation is not seen exactly / floats see it')
    elif fam == 'patterns-dropout':
        if outcome(e, 'Lemma 3') != 'holds' or e['deficient'] != 0:
            bad(f, f"Lemma 3 {outcome(e, 'Lemma 3')}, {e['deficient']} deficient")
    elif fam == 'patterns-no-dropout':
        d0, d1, N = inp['X']['rows'], inp['width'], inp['X']['cols']
        # the constant pattern makes G = [s^k X; ...], rank <= d0 < N
        if N > d0 and e['deficient'] == 0:
            bad(f, 'N > d0 but no deficient pattern (the constant pattern is one)')
        # E1 = 1 is one realisation of E1: Lemma 3 applies when N <= d0 d1, and a deficient
        # pattern puts the instance in its exceptional set (never "violated")
        want = 'not_applicable' if N > d0 * d1 else 'exceptional' if e['deficient'] else 'holds'
        if outcome(e, 'Lemma 3') != want:
            bad(f, f"Lemma 3 {outcome(e, 'Lemma 3')}, want {want}")
    elif fam == 'patterns-exceptional':
        N = inp['X']['cols']
        if outcome(e, 'Lemma 3') != 'exceptional' or e['deficient'] == 0:
            bad(f, f"Lemma 3 {outcome(e, 'Lemma 3')}, {e['deficient']} deficient; want exceptional")
        elif f'samples 1 and {N} are parallel in X and in E1' not in reason(e, 'Lemma 3'):
            bad(f, 'the parallel samples are not named: ' + reason(e, 'Lemma 3'))
    elif fam == 'patterns-too-many-samples':
        d0, d1, N = inp['X']['rows'], inp['width'], inp['X']['cols']
        if not N > d0 * d1 or outcome(e, 'Lemma 3') != 'not_applicable':
            bad(f, f"N = {N}, d0 d1 = {d0 * d1}: Lemma 3 {outcome(e, 'Lemma 3')}")
    elif fam == 'witness-lemma8':
        w, N = inp['widths'], inp['N']
        if not (N <= w[-3] * w[-2] and e['G_identity'] and e['rank'] == N):
            bad(f, "the witness does not give G' = [I]_(1..N) with rank N")
        name = 'Fact 2' if len(w) == 3 else '(B.3)-(B.6)'
        if outcome(e, name) != 'holds':
            bad(f, f"the construction's statement {name}: {outcome(e, name)}")
    elif fam.startswith('deep-linear-'):
        want = {'deep-linear-global-min': 'global_min', 'deep-linear-strict-saddle': 'strict_saddle',
                'deep-linear-bad-saddle': 'bad_saddle', 'deep-linear-not-critical': 'not_critical',
                'deep-linear-proof-c1': 'strict_saddle', 'deep-linear-near-critical': 'not_critical'}[fam]
        if e['class'] != want:
            bad(f, f"class {e['class']}, constructed as {want}")
        if fam == 'deep-linear-not-critical' and not any(x.get('class') == 'global_min' for x in fast.values()):
            bad(f, 'no float policy is fooled by the 1e-30 gradient')
        if e['class'] == 'not_critical':
            nc = e.get('near_critical')
            why = near_critical_problem(nc)
            if why:
                bad(f, why)
            elif 'exact' not in nc.get('loss_gap', {}) or exact.value(nc['loss_gap']['exact']) <= 0:
                bad(f, f"loss gap {nc.get('loss_gap')}: not exact and positive (L* is rational here)")
        elif 'near_critical' in e:
            bad(f, 'a near_critical report at a critical point')
        if fam == 'deep-linear-near-critical':
            # a global minimum (even index) or a strict saddle (odd) moved by 2^-30: |grad| tiny,
            # and the moved saddle keeps its certified negative curvature
            nc = e.get('near_critical') or {}
            sq = exact.value(nc.get('gradient_norm', {}).get('squared', 1))
            if not 0 < sq < Fraction(1, 2 ** 30):
                bad(f, f'|grad|^2 = {float(sq):.3g} is not below 2^-30')
            if int(v['id'].rsplit('-', 1)[1]) % 2 == 1 and not (
                    nc.get('hessian_signs', {}).get('negative', 0) > 0
                    and 'not a minimum-like point' in nc.get('verdict', '')):
                bad(f, 'a moved strict saddle without its certified negative curvature')
        # Theorem 2.3's hypotheses hold by construction: every statement has an outcome and
        # none is violated (Kawaguchi 2016 Theorem 2.3, Corollaries 2.4, 3.2, Lemmas 4.4-4.6)
        # -- except the proof of Corollary 2.4 as printed (Appendix C.1), which the family
        # deep-linear-proof-c1 exists to show violated: H = 2, W1 = W2 = 0, W3 != 0, a Hessian
        # that is not zero, while Corollary 2.4 itself holds
        th = e.get('theorems', [])
        c1 = 'Kawaguchi 2016 Appendix C.1 (proof of Corollary 2.4)'
        if len(th) != 10 or any((t['outcome'] == 'violated') != (fam == 'deep-linear-proof-c1' and
                                                                t['statement'] == c1)
                                or (t['outcome'] == 'not_applicable' and
                                    t['statement'].endswith(('(i)', '(ii)', '3.2'))) for t in th):
            bad(f, 'theorem outcomes: %s' % [(t['statement'], t['outcome']) for t in th])
        if fam == 'deep-linear-proof-c1' and (outcome(e, 'Corollary 2.4') != 'holds'
                                              or 'TheoremViolated' not in v.get('flags', [])):
            bad(f, 'Corollary 2.4 must hold and the vector be flagged TheoremViolated')
        if fam == 'deep-linear-bad-saddle' and int(v['id'].rsplit('-', 1)[1]) % 2 == 1:
            # odd vectors: Case III in tilted bases -- rank(WH...W2) < p, Hessian >= 0 but not
            # 0, and Theorem 2.3 (ii) holds through the constructed escape
            ii = next((t for t in th if t['statement'].endswith('2.3 (ii)')), {})
            if not (0 < e['rank_WH_W2'] < e['p'] and e['hessian_inertia']['positive'] > 0
                    and ii.get('outcome') == 'holds' and 'Case III' in ii.get('reason', '')):
                bad(f, 'not a Case III saddle left by the constructed escape')
    elif fam.startswith('khk-'):
        # Kawaguchi-Huang-Kaelbling 2019: J <= L always; Lemmas 1 and 3 hold everywhere
        if Fraction(e['loss_minus_J']) < 0 or Fraction(e['loss']) - Fraction(e['J']) != Fraction(e['loss_minus_J']):
            bad(f, f"L - J = {e['loss_minus_J']}")
        for name in ('Lemma 1', 'Lemma 3'):
            if outcome(e, name) != 'holds':
                bad(f, f'{name}: {outcome(e, name)}')
        thm1 = outcome(e, 'Theorem 1')
        if fam == 'khk-critical' and not (e['differentiable'] and e['critical'] and
                                          e['loss'] == e['J'] and thm1 == 'holds'):
            bad(f, f"planted critical point: differentiable {e['differentiable']}, critical "
                   f"{e['critical']}, L = {e['loss']}, J = {e['J']}, Theorem 1 {thm1}")
        if fam == 'khk-random' and not (e['differentiable'] and thm1 in ('holds', 'not_applicable')
                                        and (e['critical'] or Fraction(e['loss_minus_J']) > 0)):
            bad(f, f"random point: critical {e['critical']}, L - J = {e['loss_minus_J']}")
        if fam == 'khk-kink' and not (not e['differentiable'] and e['kink']['layer'] == 1 and
                                      thm1 == 'not_applicable' and 'pre-activation 0' in reason(e, 'Theorem 1')):
            bad(f, f"kink not reported: {e['kink']}, Theorem 1 {thm1}")
        if fam == 'khk-kink' and int(v['id'].rsplit('-', 1)[1]) % 2 == 1 and \
                not all(x.get('differentiable') for x in fast.values()):
            bad(f, 'the decimal kink 3/10 - 3/10 is seen as 0.0 by some float policy')
        if inp['weights'][0]['cols'] and len(inp['weights']) == 2 and inp['Y']['cols'] == 1:
            if outcome(e, 'Proposition 1') == 'violated':
                bad(f, 'Proposition 1 (independent Gram-Schmidt) disagrees with Theorem 1')
    elif fam.startswith('nh-'):
        # Nguyen-Hein: a certified rank is never above the structure's bound nor a guess;
        # nh-lemma43 certified rank N with Lemmas 4.3 and 4.4 holding; nh-saturated rank N or
        # undecided (null), never less, and numpy loses rank where it is certified;
        # nh-duplicate-units rank < N, Lemma 4.4 exceptional
        N, r, det = inp['X']['rows'], e['rank_Fk1'], e['rank_Fk1_detail']
        if r is not None and not (det['status'] == 'certified' and det['lower'] == r == det['upper']):
            bad(f, f'rank_Fk1 {r} without lower = upper: {det}')
        if r is None and not (det['status'] == 'undecided' and outcome(e, 'Lemma 4.4') == 'undecided'):
            bad(f, f'undecided rank without an undecided Lemma 4.4: {det}')
        if fam == 'nh-lemma43' and not (r == N and outcome(e, 'Lemma 4.3') == 'holds'
                                        and outcome(e, 'Lemma 4.4') == 'holds'):
            bad(f, f"rank {r}, Lemma 4.3 {outcome(e, 'Lemma 4.3')}, 4.4 {outcome(e, 'Lemma 4.4')}")
        if fam == 'nh-saturated' and (r not in (N, None) or (r == N and fast['numpy']['rank_Fk1'] >= N)):
            bad(f, f"rank {r}, numpy {fast['numpy']['rank_Fk1']}")
        if fam == 'nh-duplicate-units' and not (r is not None and r < N
                                                and outcome(e, 'Lemma 4.4') == 'exceptional'):
            bad(f, f"rank {r}, Lemma 4.4 {outcome(e, 'Lemma 4.4')}")
        if fam == 'nh-random' and outcome(e, 'Lemma 4.4') not in ('holds', 'undecided', 'not_applicable'):
            bad(f, f"Lemma 4.4 {outcome(e, 'Lemma 4.4')} at random parameters")
for want in ('holds', 'exceptional', 'violated', 'not_applicable'):
    if want not in quoted_outcomes:
        problems += 1
        print(f'no family whose source quotes its statement has the outcome {want}')
    else:
        print(f'{want}: ' + ', '.join(sorted(quoted_outcomes[want])))
print(', '.join(f'{k}: {n}' for k, n in sorted(seen.items())))
print(f'family promises: {problems} problems')
sys.exit(1 if problems or not seen else 0)
