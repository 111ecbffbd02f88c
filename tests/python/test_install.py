"""`cmake --install` puts the package where the interpreter finds it and the installed
package runs the installed lmo (ctest python.install).

1. Where a plain install goes (python/install_dir.py, which cmake --install runs): for the
   build's install prefix (default /usr/local) and for the interpreter's own prefix, the
   directory must be on the sys.path of a fresh interpreter started with no PYTHONPATH --
   checked against that interpreter, not against install_dir.py's own answer -- whenever the
   interpreter has a site directory under that prefix at all (Debian's python3 has
   /usr/local/lib/python3.X/dist-packages and /usr/lib/python3/dist-packages).
2. Installs the build tree into a temporary prefix P (a prefix the interpreter does not
   search: the install must say PYTHONPATH=...), then imports lmo from there in a fresh
   interpreter with LMO unset, a PATH without lmo and the working directory outside the
   source tree: find_lmo() must be P/bin/lmo, a rank must come back, and the installed modules
   must be the source's. argv: cmake, build dir, install prefix, LMO_PYTHON_INSTALL_DIR.
"""
import filecmp
import glob
import os
import subprocess
import sys
import tempfile

from harness import SRC, check, finish

cmake, build, default_prefix = sys.argv[1:4]
override = sys.argv[4] if len(sys.argv) > 4 else ""
chooser = os.path.join(SRC, "python", "install_dir.py")
clean = {k: v for k, v in os.environ.items() if k not in ("LMO", "PYTHONPATH", "PYTHONHOME")}


def chosen(prefix):
    p = subprocess.run([sys.executable, "-B", chooser, prefix], capture_output=True, text=True)
    check(p.returncode == 0 and len(p.stdout.split()) == 2, "install_dir.py %s: %s" % (prefix, p.stderr))
    out = p.stdout.split()
    return (out[0], out[1]) if len(out) == 2 else ("", "")


fresh = subprocess.run([sys.executable, "-c", "import sys; print('\\n'.join(sys.path))"], env=clean,
                       capture_output=True, text=True, cwd=tempfile.gettempdir()).stdout.split("\n")
own_prefix = subprocess.run([sys.executable, "-c", "import sys; print(sys.prefix)"], env=clean,
                            capture_output=True, text=True).stdout.strip()
if not override:
    for prefix in sorted({default_prefix, own_prefix}):
        d, where = chosen(prefix)
        has_site = any(x.startswith(prefix.rstrip("/") + "/") and x.endswith(("site-packages", "dist-packages"))
                       for x in fresh)
        if has_site:
            check(d in fresh and where == "on-path",
                  "a plain install under %s goes to %s (%s), which %s's sys.path %s" % (
                      prefix, d, where, sys.executable, "holds" if d in fresh else "does not hold"))
        else:
            check(where == "needs-PYTHONPATH", "%s: no site directory under %s, yet %s" % (sys.executable, prefix, where))
with tempfile.TemporaryDirectory() as tmp:
    prefix = os.path.join(tmp, "prefix")
    p = subprocess.run([cmake, "--install", build, "--prefix", prefix], capture_output=True, text=True)
    check(p.returncode == 0, "cmake --install: %s" % p.stderr[-400:])
    if override:
        site = override if os.path.isabs(override) else os.path.join(prefix, override)
    else:
        site, where = chosen(prefix)
        check(where == "needs-PYTHONPATH" and "PYTHONPATH=" + site in p.stdout,
              "the install into %s says to set PYTHONPATH=%s: %s" % (prefix, site, p.stdout[-300:]))
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
