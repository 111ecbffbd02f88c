"""Running the `lmo` program: where it is, how it is called, what its exit status means.

DESIGN.md, "The lmo program": exit 0 the check passed, 1 it failed (a disagreement, a
violated prediction, a mismatch with expect), 2 bad input or usage, 3 a resource limit or an
internal error; 2 and 3 come with one line on stderr naming the file and the field. Exit 1 is
an answer, so it is returned (``Result.status``); 2 and 3 are raised.
"""
import json
import os
import shutil
import subprocess

__all__ = ["LmoError", "LmoInputError", "LmoLimitError", "LmoNotFoundError", "Result",
           "find_lmo", "invoke"]


class LmoError(Exception):
    """lmo could not answer. ``message`` is lmo's one-line message (stderr), ``status`` its
    exit status (None when it could not be started), ``command`` the command line."""

    def __init__(self, message, status=None, command=None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.command = list(command) if command else []


class LmoInputError(LmoError, ValueError):
    """lmo exited with status 2: bad input or usage. The message names the field, e.g.
    ``lmo: -: input.M.data[1][1]: unquoted JSON real 0.5: ...``."""


class LmoLimitError(LmoError):
    """lmo exited with status 3: a resource limit (dimension, bit size, memory; raise it
    with ``--max-dim``, ``--max-entries``, ``--max-bits``) or an internal error."""


class LmoNotFoundError(LmoError, FileNotFoundError):
    """No `lmo` program was found (see find_lmo)."""


class Result(dict):
    """One JSON object of ``lmo --json``, as a dict, exactly as lmo wrote it.

    Numbers stay lmo's exact spellings (ints, "p/q", hex-float strings); read them with
    lmo.fraction or float.fromhex. Attributes:

    - ``status``: lmo's exit status, 0 (the check passed) or 1 (it failed: a tier
      disagreement, a violated statement, a mismatch with the vector's expect);
    - ``failed``: ``status == 1``;
    - ``stderr``: what lmo wrote on stderr (empty unless it warned);
    - ``command``: the command line that ran.
    """

    def __init__(self, obj, status, stderr="", command=None):
        super().__init__(obj)
        self.status = status
        self.failed = status == 1
        self.stderr = stderr
        self.command = list(command) if command else []

    def __repr__(self):
        return "Result(status=%d, %s)" % (self.status, dict.__repr__(self))


_PKG_DIR = os.path.dirname(os.path.abspath(__file__))


def _installed_bindir():
    # Written by `cmake --install` (python/CMakeLists.txt): where lmo went, relative to here.
    try:
        from . import _installed
    except ImportError:
        return None
    return os.path.normpath(os.path.join(_PKG_DIR, _installed.BINDIR))


def find_lmo():
    """The path of the `lmo` program this package runs.

    In this order: the ``LMO`` environment variable; the ``lmo`` installed beside this
    package by ``cmake --install`` (PREFIX/bin); ``lmo`` on ``PATH``; the build tree of this
    source checkout (``<src>/build/lmo``, for ``PYTHONPATH=<src>/python``). Raises
    LmoNotFoundError naming every place looked at.
    """
    env = os.environ.get("LMO")
    if env:
        if os.path.isfile(env) and os.access(env, os.X_OK):
            return env
        raise LmoNotFoundError("LMO=%s is not an executable file" % env)
    tried = []
    bindir = _installed_bindir()
    candidates = []
    if bindir:
        candidates.append(os.path.join(bindir, "lmo"))
    on_path = shutil.which("lmo")
    if on_path:
        candidates.append(on_path)
    tried.append("PATH")
    candidates.append(os.path.join(os.path.dirname(os.path.dirname(_PKG_DIR)), "build", "lmo"))
    for c in candidates:
        if os.path.isfile(c) and os.access(c, os.X_OK):
            return c
        tried.append(c)
    raise LmoNotFoundError("no lmo program found (set LMO=/path/to/lmo); looked at: "
                           + ", ".join(tried))


def invoke(args, stdin=None, lmo=None):
    """Run ``lmo ARGS...`` with ``--json`` among ARGS; return the list of Results, one per
    JSON object lmo printed (one per input).

    ``stdin`` is text fed to lmo (an input named ``-``). Exit 0 and 1 return; exit 2 raises
    LmoInputError, 3 LmoLimitError, anything else (a signal, an unknown status, output that
    is not JSON) LmoError, each carrying lmo's message.
    """
    cmd = [lmo or find_lmo()] + [str(a) for a in args]
    try:
        p = subprocess.run(cmd, input=stdin, capture_output=True, text=True)
    except OSError as e:
        raise LmoNotFoundError("cannot run %s: %s" % (cmd[0], e), None, cmd) from e
    msg = p.stderr.strip()
    if p.returncode == 2:
        raise LmoInputError(msg or "lmo: exit status 2 (bad input or usage)", 2, cmd)
    if p.returncode == 3:
        raise LmoLimitError(msg or "lmo: exit status 3 (limit or internal error)", 3, cmd)
    if p.returncode not in (0, 1):
        what = ("killed by signal %d" % -p.returncode if p.returncode < 0
                else "exit status %d" % p.returncode)
        raise LmoError("lmo: %s%s" % (what, ": " + msg if msg else ""), p.returncode, cmd)
    dec = json.JSONDecoder()
    out, i, results = p.stdout, 0, []
    while True:
        while i < len(out) and out[i].isspace():
            i += 1
        if i == len(out):
            break
        try:
            obj, i = dec.raw_decode(out, i)
        except ValueError as e:
            raise LmoError("lmo printed something that is not JSON (%s): %r"
                           % (e, out[i:i + 80]), p.returncode, cmd) from e
        results.append(Result(obj, p.returncode, p.stderr, cmd))
    return results
