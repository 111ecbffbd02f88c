"""The harness of the Python package's tests (ctest label python).

check(cond, what) records a failure without stopping; finish() exits 0 when every check
passed and 1 otherwise; need(module) imports an optional module or exits 77 (ctest's
SKIP_RETURN_CODE: shown skipped, never passed). The package is imported from the source
tree (LMO_SRC/python) and runs the lmo of the build tree ($LMO, set by ctest); tests read
lmo's exact numbers with tests/lib/exact.py, written apart from the package's own reader.
"""
import importlib
import os
import sys

sys.dont_write_bytecode = True
_SRC = os.environ.get("LMO_SRC") or os.path.abspath(os.path.join(os.path.dirname(__file__),
                                                                  "..", ".."))
sys.path.insert(0, os.path.join(_SRC, "python"))
sys.path.insert(0, os.path.join(_SRC, "tests", "lib"))

import exact  # noqa: E402  (re-exported for the tests)

__all__ = ["SRC", "exact", "check", "raises", "need", "finish"]

SRC = _SRC
_failures = []
_checks = [0]


def check(cond, what):
    """Record one check; print what failed."""
    _checks[0] += 1
    if not cond:
        _failures.append(what)
        print("FAIL:", what, flush=True)
    return bool(cond)


def raises(exc, fn, what):
    """Check that fn() raises exc; return the exception (or None)."""
    try:
        fn()
    except exc as e:
        check(True, what)
        return e
    except Exception as e:   # the wrong exception is a failure, shown
        check(False, "%s: raised %s: %s, not %s" % (what, type(e).__name__, e, exc.__name__))
        return None
    check(False, "%s: raised nothing (expected %s)" % (what, exc.__name__))
    return None


def need(module):
    """Import an optional module, or skip the whole test (exit 77)."""
    try:
        return importlib.import_module(module)
    except ImportError as e:
        print("SKIP: %s is not importable (%s)" % (module, e))
        sys.exit(77)


def finish(name):
    """Exit 0 if every check passed, else 1."""
    if _checks[0] == 0:
        print("FAIL: %s ran no checks" % name)
        sys.exit(1)
    print("%s: %d checks, %d failed" % (name, _checks[0], len(_failures)))
    sys.exit(1 if _failures else 0)
