#!/usr/bin/env python3
"""README.md's "How float clients fare" table is what scripts/score-clients
computes now: regenerate it into a copy of README.md and diff.
usage: readme_table.py SRC_DIR SCORE_ARGS...   (SCORE_ARGS: --eigen PATH or --no-eigen)
Exit 0 up to date, 1 stale (the diff is printed), 77 skipped: a client cannot
run here (torch, scipy, numpy or Eigen's program missing)."""
import difflib, os, shutil, subprocess, sys, tempfile

src, score_args = sys.argv[1], sys.argv[2:]
readme = os.path.join(src, 'README.md')
with tempfile.TemporaryDirectory() as tmp:
    copy = os.path.join(tmp, 'README.md')
    shutil.copyfile(readme, copy)
    r = subprocess.run([sys.executable, '-B', os.path.join(src, 'scripts', 'score-clients'),
                        '--markdown', copy] + score_args + [os.path.join(src, 'vectors', 'corpus')])
    if r.returncode == 77:
        print('SKIP: a client cannot run here (see above)')
        sys.exit(77)
    if r.returncode != 0:
        print('score-clients --markdown failed: exit %d' % r.returncode)
        sys.exit(1)
    old, new = open(readme).read(), open(copy).read()
if old != new:
    sys.stdout.writelines(difflib.unified_diff(old.splitlines(True), new.splitlines(True),
                                               'README.md', 'README.md (score-clients now)'))
    print('README.md is stale: run scripts/score-clients --markdown README.md '
          '--eigen build/tests/clients/eigen_rank vectors/corpus')
    sys.exit(1)
print('README.md score table is up to date')
