#!/usr/bin/python3
"""Each generator family promises something (oracle/include/lmo/core/gen.h); judge
the promise from the blessed verdicts stored in the corpus, which the tiers
computed -- not from the generator. usage: family_promises.py CORPUS_DIR"""
import glob, json, os, re, sys

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
                'deep-linear-bad-saddle': 'bad_saddle', 'deep-linear-not-critical': 'not_critical',
                'deep-linear-proof-c1': 'strict_saddle'}[fam]
        if e['class'] != want:
            bad(f, f"class {e['class']}, constructed as {want}")
        if fam == 'deep-linear-not-critical' and not any(x.get('class') == 'global_min' for x in fast.values()):
            bad(f, 'no float policy is fooled by the 1e-30 gradient')
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
print(', '.join(f'{k}: {n}' for k, n in sorted(seen.items())))
print(f'family promises: {problems} problems')
sys.exit(1 if problems or not seen else 0)
