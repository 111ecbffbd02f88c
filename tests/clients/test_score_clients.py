#!/usr/bin/env python3
"""scripts/score-clients judges clients against `expect`, on hand-made vectors whose
answers follow from the mathematics, not from lmo or the script:

  numpy-hard      [[1, 1], [1, 1 + 2^-52]]: det 2^-52, exact rank 2; sigma_min ~ 2^-53 is under
                  numpy's threshold sigma_max * 2 * eps ~ 2^-50, so numpy says 1: wrong.
  pat-right       X = [1 2] (d0 = 1, N = 2), width 1: G1^p is 1 x 2, rank 1 < N for each
                  of the 4 patterns; expect lists all 4 with rank 1: every client right.
  pat-tampered    the same, expect claiming rank 2 for the pattern ["+-"]: wrong there.
  pat-unlisted    the same, expect saying every deficient pattern is listed but leaving
                  out ["++"]: a client finds it deficient (rank 1, exactly "rank 2" = N).
  dl-saddle       X = I, Y = diag(1, 2), W1 = 0 (1 x 2), W2 = 0 (2 x 1): critical, and
                  L(t W1', t W2') = L(0) - t^2 (W2' W1' : Y) + O(t^4) takes both signs:
                  a strict saddle; torch's answer "saddle" is right.
  dl-notcrit      W1 = [1 0], W2 = 0: dL/dW2 = (W2 W1 X - Y)(W1 X)^T = -[1; 0] != 0:
                  not critical, and torch says so.
usage: test_score_clients.py SRC_DIR [--eigen PATH | --no-eigen]
Exit 77 when numpy, torch or Eigen's client (--no-eigen) is missing and nothing failed."""
import json, os, subprocess, sys, tempfile

src, score_args = sys.argv[1], sys.argv[2:]
try:
    import numpy  # noqa: F401
except ImportError:
    print('SKIP: numpy not importable')
    sys.exit(77)
try:
    import torch  # noqa: F401
    have_torch = True
except ImportError:
    have_torch = False


def vec(id_, kind, inp, exp):
    return {'format': 'lmo-vector/1', 'kind': kind, 'id': id_, 'source': 'test', 'input': inp,
            'expect': exp}


def mat(rows):
    return {'rows': len(rows), 'cols': len(rows[0]) if rows else 0, 'data': rows}


pats = [['--'], ['+-'], ['-+'], ['++']]
pin = {'X': mat([[1, 2]]), 'width': 1, 'slope': '1/2', 'mode': 'exhaustive'}
counts = {'patterns_checked': 4, 'full_rank': 0, 'min_rank': 1, 'rank_counts': [0, 4, 0],
          'deficient_listed_all': True}
vectors = [
    vec('numpy-hard-s1-0', 'matrix_rank', {'M': mat([[1, 1], [1, '0x1.0000000000001p0']])},
        {'rank': 2, 'full_column_rank': True}),
    vec('pat-right-s1-0', 'mnn_patterns', pin,
        dict(counts, mode='exhaustive', deficient=4,
             deficient_patterns=[{'signs': s, 'rank': 1} for s in pats])),
    vec('pat-tampered-s1-0', 'mnn_patterns', pin,
        dict(counts, mode='exhaustive', deficient=4,
             deficient_patterns=[{'signs': s, 'rank': 2 if s == ['+-'] else 1} for s in pats])),
    vec('pat-unlisted-s1-0', 'mnn_patterns', pin,
        dict(counts, mode='exhaustive', deficient=3, full_rank=1, rank_counts=[0, 3, 1],
             deficient_patterns=[{'signs': s, 'rank': 1} for s in pats[:3]])),
    vec('dl-saddle-s1-0', 'deep_linear',
        {'X': mat([[1, 0], [0, 1]]), 'Y': mat([[1, 0], [0, 2]]),
         'weights': [mat([[0, 0]]), mat([[0], [0]])]}, {'class': 'strict_saddle'}),
    vec('dl-notcrit-s1-0', 'deep_linear',
        {'X': mat([[1, 0], [0, 1]]), 'Y': mat([[1, 0], [0, 2]]),
         'weights': [mat([[1, 0]]), mat([[0], [0]])]}, {'class': 'not_critical'}),
]
bad = 0


def check(cond, what):
    global bad
    if not cond:
        bad += 1
        print('FAIL:', what)


with tempfile.TemporaryDirectory() as tmp:
    for v in vectors:
        json.dump(v, open(os.path.join(tmp, v['id'] + '.json'), 'w'))
    r = subprocess.run([sys.executable, '-B', os.path.join(src, 'scripts', 'score-clients'), '--json']
                       + score_args + [tmp], capture_output=True, text=True)
    print(r.stderr, end='')
    check(r.returncode == 0, 'score-clients exit %d' % r.returncode)
    res = json.loads(r.stdout.splitlines()[-1])
    # every client unable to run (numpy, torch, scipy not importable; no Eigen): --assert is a
    # skip (77), not a failure -- it said 'no client was scored' and exited 1 once
    shims = os.path.join(tmp, 'shims')
    os.mkdir(shims)
    for mod in ('numpy', 'torch', 'scipy'):
        open(os.path.join(shims, mod + '.py'), 'w').write('raise ImportError("hidden by the test")\n')
    env = dict(os.environ, PYTHONPATH=shims + os.pathsep + os.environ.get('PYTHONPATH', ''))
    r = subprocess.run([sys.executable, '-B', os.path.join(src, 'scripts', 'score-clients'), '--assert',
                        '--no-eigen', tmp], capture_output=True, text=True, env=env)
    check(r.returncode == 77, 'score-clients --assert with no client able to run: exit %d (want 77): %s'
          % (r.returncode, r.stdout[-200:]))

np_ = res.get('numpy.linalg.matrix_rank', {})
check(np_.get('numpy-hard') == {'applies': 1, 'wrong': 1,
                                'example': ['numpy-hard-s1-0', 'rank 1', 'rank 2']},
      'numpy on [[1, 1], [1, 1 + 2^-52]]: %s' % np_.get('numpy-hard'))
for c, fams in res.items():
    if c.startswith('torch hessian'):
        continue
    check(fams.get('pat-right', {}).get('wrong') == 0, '%s pat-right: %s' % (c, fams.get('pat-right')))
    t = fams.get('pat-tampered', {})
    check(t.get('wrong') == 1 and t['example'][1].startswith('pattern [+-] rank 1')
          and t['example'][2].startswith('rank 2'), '%s pat-tampered: %s' % (c, t))
    u = fams.get('pat-unlisted', {})
    check(u.get('wrong') == 1 and u['example'][1].startswith('pattern [++] rank 1')
          and u['example'][2].startswith('rank 2'), '%s pat-unlisted: %s' % (c, u))
if have_torch:
    dl = res.get('torch hessian + eigvalsh', {})
    check(dl.get('dl-saddle') == {'applies': 1, 'wrong': 0, 'example': None}, 'dl-saddle: %s' % dl.get('dl-saddle'))
    check(dl.get('dl-notcrit') == {'applies': 1, 'wrong': 0, 'example': None}, 'dl-notcrit: %s' % dl.get('dl-notcrit'))
print('%d clients checked, %d problems' % (len(res), bad))
if bad:
    sys.exit(1)
if '--eigen' in score_args:
    check(len([c for c in res if c.startswith('Eigen')]) == 3, 'the three Eigen clients were scored')
sys.exit(0 if have_torch and '--no-eigen' not in score_args else 77)
