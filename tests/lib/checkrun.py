"""checkrun.py -- running lmo-check from the Python tests of tests/checker (issue 18: one
harness): writing the inputs, running the checker, requiring its exit code and its one-line
diagnostic, and the summary, in one place for checker_tests.py, cert_tests.py and
trust_tests.py.

    setup(check, work)   the lmo-check program, and the work directory (emptied)
    write(name, obj)     work/name holding obj as JSON (a str as it is); returns the path
    run(args, prefix=(), stdin=None, limit_kb=None)
                         lmo-check ARGS (after PREFIX, e.g. valgrind or env), stdin text,
                         under ulimit -v LIMIT_KB; counted in RUNS
    expect(what, args, code, *msgs, msg=None, prefix=(), stdin=None, limit_kb=None)
                         run; the exit code must be CODE; a refusal (CODE != 0) must be one
                         line, on stderr, containing every msg (so the check that failed is
                         the intended one); for CODE 0 the msgs are looked for on stdout.
                         Each failure is appended to FAILS. Returns the CompletedProcess.
    finish(label, minimum_runs)
                         prints the count and the failures; 1 if any failure or fewer runs
                         than minimum_runs (a part that ran nothing cannot pass), else 0
    CHECK, WORK          the program and directory of setup (CHECK may be changed, e.g. to
                         valgrind with lmo-check in the prefix)
    FAILS, RUNS          the failures, and [number of runs]
"""
import json
import os
import resource
import shutil
import subprocess

CHECK = WORK = None
FAILS, RUNS = [], [0]


def setup(check, work):
    global CHECK, WORK
    CHECK, WORK = os.path.abspath(check), os.path.abspath(work)
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(WORK)


def write(name, obj):
    path = os.path.join(WORK, name)
    with open(path, "w", encoding="utf-8") as f:
        f.write(obj if isinstance(obj, str) else json.dumps(obj, ensure_ascii=False))
    return path


def run(args, prefix=(), stdin=None, limit_kb=None):
    RUNS[0] += 1

    def pre():
        if limit_kb:
            resource.setrlimit(resource.RLIMIT_AS, (limit_kb * 1024, limit_kb * 1024))
    return subprocess.run(list(prefix) + [CHECK] + list(args), capture_output=True, text=True,
                          timeout=300, input=stdin, preexec_fn=pre if limit_kb else None)


def expect(what, args, code, *msgs, msg=None, prefix=(), stdin=None, limit_kb=None):
    p = run(args, prefix, stdin, limit_kb)
    out = (p.stdout + p.stderr).strip()
    if p.returncode != code:
        FAILS.append("%s: expected exit %d, got %d: %s" % (what, code, p.returncode, out[:400]))
    elif code and (len(out.splitlines()) != 1 or not p.stderr):
        FAILS.append("%s: expected one diagnostic line on stderr: %r" % (what, out[:400]))
    else:
        for m in [m for m in msgs + (msg,) if m]:
            if m not in (p.stderr if code else p.stdout):
                FAILS.append("%s: output does not mention %r: %s" % (what, m, out[:400]))
    return p


def finish(label, minimum_runs):
    print("%s: %d lmo-check runs, %d failures" % (label, RUNS[0], len(FAILS)))
    for f in FAILS[:40]:
        print("FAIL", f)
    if RUNS[0] < minimum_runs:
        print("FAIL: only %d runs, expected at least %d" % (RUNS[0], minimum_runs))
        return 1
    return 1 if FAILS else 0
