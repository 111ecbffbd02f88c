"""lmo's errors as Python exceptions, lmo's failures as results (ctest python.errors).

Exit 2 (bad input) raises LmoInputError carrying lmo's own one-line message -- the same
line lmo prints when run by hand on the same vector text; exit 3 (a limit) raises
LmoLimitError; exit 1 (a disagreement, a mismatch with expect) returns a Result with status
1; an lmo that dies or babbles raises LmoError; no lmo raises LmoNotFoundError. What the
package itself refuses (NaN, ragged rows, unknown kinds and fields, a bad id) raises
ValueError or TypeError before lmo runs. Standard library only.
"""
import os
import stat
import subprocess
import tempfile

from harness import SRC, check, finish, raises

import lmo

LMO = lmo.find_lmo()


def by_hand(args, text):
    p = subprocess.run([LMO] + args, input=text, capture_output=True, text=True)
    return p.returncode, p.stderr.strip()


check(issubclass(lmo.LmoInputError, lmo.LmoError) and issubclass(lmo.LmoInputError, ValueError),
      "LmoInputError is an LmoError and a ValueError")
check(issubclass(lmo.LmoLimitError, lmo.LmoError), "LmoLimitError is an LmoError")

# exit 2: the message is lmo's, word for word
bad = [([[1, "1/0"]], "input.M.data[0][1]", "zero denominator"),
       ([[1, "0.1.2"]], "input.M.data[0][1]", None),
       ([[1, 2], ["x", 3]], "input.M.data[1][0]", None)]
for M, field, words in bad:
    e = raises(lmo.LmoInputError, lambda: lmo.rank(M), "bad entry %r" % M)
    if e is None:
        continue
    rc, line = by_hand(["rank", "--json", "-"], lmo.dumps(lmo.vector("matrix_rank", M=M)))
    check(rc == 2 and e.message == line == str(e), "message is lmo's line: %r vs %r" % (e.message, line))
    check(field in e.message and (words is None or words in e.message),
          "message names the field: %r" % e.message)
    check(e.status == 2 and e.command[0] == LMO, "status 2, command recorded")

v = lmo.vector("mnn", X=[[1, 2]], y=[1, 2], slope="1/10", weights=[[[1, 2]], [[1]]])
e = raises(lmo.LmoInputError, lambda: lmo.run(v), "weights that do not chain")
check(e is not None and "input.weights[0]" in e.message, "names input.weights[0]: %s" % e)
e = raises(lmo.LmoInputError, lambda: lmo.compare([[1]], "bogus"), "unknown policy")
check(e is not None and "bogus" in e.message, "names the policy: %s" % e)
e = raises(lmo.LmoInputError, lambda: lmo.classify_deep_linear([[[2]]], [[1, 2]], [[1, 3]]),
           "one weight matrix is no deep linear network")
check(e is not None and "input.weights" in e.message, "names input.weights: %s" % e)

# exit 3
e = raises(lmo.LmoLimitError, lambda: lmo.rank([[1, 2], [3, 4]], options=["--max-dim", 1]),
           "a dimension over the cap")
check(e is not None and e.status == 3 and "cap" in e.message, "limit message: %s" % e)

# exit 1 is a result
r = lmo.rank([[1, 1], [1, 1 + 2 ** -52]], policy="numpy")
check(r.status == 1 and r.failed and r["rank"] == 2 and r["fast"]["numpy"]["rank"] == 1,
      "numpy-hard: exact 2, numpy 1, status 1 returned")
v = lmo.vector("matrix_rank", M=[[1, 0], [0, 1]])
v["expect"] = {"rank": 1, "full_column_rank": False}
r = lmo.run(v)
check(r.status == 1 and r["expect"]["matches"] is False and r["rank"] == 2,
      "a wrong expect: status 1, expect.matches false")
r = lmo.run(os.path.join(SRC, "vectors", "examples", "numpy-hard.json"))
check(r.status == 0 and r["id"] == "example-numpy-hard" and r["expect"]["matches"],
      "a vector file by path")

with tempfile.TemporaryDirectory() as tmp:
    missing = os.path.join(tmp, "missing.json")
    e = raises(lmo.LmoInputError, lambda: lmo.run(missing), "a missing vector file")
    check(e is not None and missing in e.message and "cannot open" in e.message,
          "lmo names the missing file: %s" % e)
    broken = os.path.join(tmp, "broken.json")
    with open(broken, "w") as f:
        f.write("{bad")
    e = raises(lmo.LmoInputError, lambda: lmo.run(broken), "a file that is not JSON")
    check(e is not None and broken in e.message, "lmo names the broken file: %s" % e)

# refused before lmo runs
raises(ValueError, lambda: lmo.rank([[1.0, float("nan")]]), "NaN entry")
raises(ValueError, lambda: lmo.rank([[1, 2], [3]]), "ragged rows")
raises(ValueError, lambda: lmo.vector("nope", M=[[1]]), "unknown kind")
raises(TypeError, lambda: lmo.vector("matrix_rank", N=[[1]]), "unknown field")
raises(TypeError, lambda: lmo.vector("deep_linear", X=[[1]]), "missing fields")
raises(ValueError, lambda: lmo.vector("matrix_rank", id="Bad_Id", M=[[1]]), "a bad id")
raises(TypeError, lambda: lmo.vector("witness", widths=[2, 1, 1], N=True), "a bool as N")

# an lmo that is missing, dies, or prints no JSON
with tempfile.TemporaryDirectory() as tmp:
    def script(name, body):
        path = os.path.join(tmp, name)
        with open(path, "w") as f:
            f.write("#!/bin/sh\n" + body + "\n")
        os.chmod(path, os.stat(path).st_mode | stat.S_IXUSR)
        return path
    old = os.environ.get("LMO")
    try:
        os.environ["LMO"] = os.path.join(tmp, "no-such-lmo")
        raises(lmo.LmoNotFoundError, lambda: lmo.rank([[1]]), "LMO names a missing file")
        os.environ["LMO"] = script("dies", "kill -SEGV $$")
        e = raises(lmo.LmoError, lambda: lmo.rank([[1]]), "lmo killed by a signal")
        check(e is not None and not isinstance(e, (lmo.LmoInputError, lmo.LmoLimitError))
              and "signal" in e.message, "a signal is a plain LmoError: %s" % e)
        os.environ["LMO"] = script("babbles", "echo 'not json'; exit 0")
        raises(lmo.LmoError, lambda: lmo.rank([[1]]), "output that is not JSON")
        os.environ["LMO"] = script("exit5", "echo 'lmo: odd' >&2; exit 5")
        e = raises(lmo.LmoError, lambda: lmo.rank([[1]]), "an unknown exit status")
        check(e is not None and e.status == 5 and "lmo: odd" in e.message, "status 5 kept: %s" % e)
    finally:
        if old is None:
            os.environ.pop("LMO", None)
        else:
            os.environ["LMO"] = old
finish("python.errors")
