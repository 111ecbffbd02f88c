#!/usr/bin/python3
"""Each generator family promises something (oracle/include/lmo/core/gen.h); judge
the promise from the blessed verdicts stored in the corpus, which the tiers
computed -- not from the generator. usage: family_promises.py CORPUS_DIR"""
import glob, json, os, re, sys
from fractions import Fraction

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

for f in sorted(glob.glob(os.path.join(sys.argv[1], '*.json'))):
    v = json.load(open(f))
    fam = re.sub(r'-s\d+-\d+$', '', v['id'])
    seen[fam] = seen.get(fam, 0) + 1
    # the promises are about lmo's whole verdict: the certified part (expect) and its
    # further findings (report: theorem outcomes, counts the certificate cannot prove)
    e, fast, inp = {**v.get('report', {}), **v.get('expect', {})}, v.get('fast', {}), v['input']
    if fam in ('kr-generic', 'kr-near-deficient', 'kr-hidden-deficient'):
        n = inp['A']['cols']
        if fam == 'kr-near-deficient' and not (e['rank'] == n and fast['numpy']['rank'] < n):
            bad(f, 'not exactly full rank with a numpy-deficient float rank')
        if fam == 'kr-hidden-deficient' and not (e['rank'] < n and fast['abs:1e-10']['rank'] == n):
            bad(f, 'not exactly deficient with abs:1e-10 calling it full')
    elif fam in ('matrix-kahan', 'matrix-graded'):
        if not e['full_column_rank']:
            bad(f, 'not of full column rank')
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
                'deep-linear-bad-saddle': 'bad_saddle', 'deep-linear-not-critical': 'not_critical'}[fam]
        if e['class'] != want:
            bad(f, f"class {e['class']}, constructed as {want}")
        if fam == 'deep-linear-not-critical' and not any(x.get('class') == 'global_min' for x in fast.values()):
            bad(f, 'no float policy is fooled by the 1e-30 gradient')
        # Theorem 2.3's hypotheses hold by construction: every statement has an outcome and
        # none is violated (Kawaguchi 2016 Theorem 2.3, Corollaries 2.4, 3.2, Lemmas 4.4-4.6)
        th = e.get('theorems', [])
        if len(th) != 9 or any(t['outcome'] == 'violated' or (t['outcome'] == 'not_applicable' and
                               t['statement'].endswith(('(i)', '(ii)', '3.2'))) for t in th):
            bad(f, 'theorem outcomes: %s' % [(t['statement'], t['outcome']) for t in th])
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
print(', '.join(f'{k}: {n}' for k, n in sorted(seen.items())))
print(f'family promises: {problems} problems')
sys.exit(1 if problems or not seen else 0)
