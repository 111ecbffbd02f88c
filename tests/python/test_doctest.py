"""The examples in the package's docstrings run as written (ctest python.doctest)."""
import doctest

from harness import check, finish

import lmo

failed, attempted = doctest.testmod(lmo, verbose=False)
check(attempted > 0, "the package docstring has examples")
check(failed == 0, "%d of %d docstring examples failed" % (failed, attempted))
finish("python.doctest")
