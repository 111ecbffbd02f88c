"""`cmake --install` puts the package where the interpreter finds it and the installed
package runs the installed lmo (ctest python.install).

Installs the build tree into a temporary prefix P, then imports lmo from
P/LMO_PYTHON_INSTALL_DIR in a fresh interpreter with LMO unset, a PATH without lmo and the
working directory outside the source tree: find_lmo() must be P/bin/lmo, a rank must come
back, and the installed modules must be the source's. argv: cmake, build dir, install dir.
"""
import filecmp
import glob
import os
import subprocess
import sys
import tempfile

from harness import SRC, check, finish

cmake, build, pydir = sys.argv[1:4]
if os.path.isabs(pydir):
    print("SKIP: LMO_PYTHON_INSTALL_DIR is absolute (%s): not under a temporary prefix" % pydir)
    sys.exit(77)
with tempfile.TemporaryDirectory() as tmp:
    prefix = os.path.join(tmp, "prefix")
    p = subprocess.run([cmake, "--install", build, "--prefix", prefix], capture_output=True, text=True)
    check(p.returncode == 0, "cmake --install: %s" % p.stderr[-400:])
    site = os.path.join(prefix, pydir)
    for f in glob.glob(os.path.join(SRC, "python", "lmo", "*.py")):
        inst = os.path.join(site, "lmo", os.path.basename(f))
        check(os.path.exists(inst) and filecmp.cmp(f, inst, shallow=False), "installed: %s" % inst)
    env = {k: v for k, v in os.environ.items() if k not in ("LMO", "PYTHONPATH")}
    env["PATH"] = os.pathsep.join(d for d in env.get("PATH", "").split(os.pathsep)
                                  if d and not os.path.exists(os.path.join(d, "lmo")))
    env["PYTHONPATH"] = site
    code = ("import lmo, sys; print(lmo.find_lmo()); print(lmo.__file__); "
            "print(lmo.rank([[1, 2], [2, 4]])['rank'])")
    p = subprocess.run([sys.executable, "-B", "-c", code], cwd=tmp, env=env,
                       capture_output=True, text=True)
    out = p.stdout.split()
    check(p.returncode == 0 and len(out) == 3, "the installed package runs: %s" % p.stderr[-400:])
    if len(out) == 3:
        check(os.path.realpath(out[0]) == os.path.realpath(os.path.join(prefix, "bin", "lmo")),
              "find_lmo() is the installed lmo: %s" % out[0])
        check(out[1].startswith(site), "imported from the install: %s" % out[1])
        check(out[2] == "1", "rank of [[1, 2], [2, 4]] is 1: %s" % out[2])
finish("python.install")
