"""install_dir.py PREFIX -- where `cmake --install --prefix PREFIX` puts the package lmo for
the interpreter that runs this script (python/CMakeLists.txt runs it at install time).

The shortest site directory on the interpreter's own sys.path that lies under PREFIX, so that
a plain install is imported with no PYTHONPATH -- on Debian's python3, PREFIX /usr gives
/usr/lib/python3/dist-packages and PREFIX /usr/local gives /usr/local/lib/python3.X/
dist-packages. Under any other prefix, the interpreter's own layout there
(PREFIX/lib/python3.X/site-packages), which needs PYTHONPATH. Prints the absolute directory
on one line and, on a second, "on-path" or "needs-PYTHONPATH".
"""
import os
import sys
import sysconfig


def install_dir(prefix):
    prefix = os.path.abspath(prefix).rstrip("/") or "/"
    site = [d for d in sys.path if d and os.path.basename(d) in ("site-packages", "dist-packages")
            and os.path.abspath(d).startswith(prefix.rstrip("/") + "/")]
    if site:
        return min(site, key=len), True
    path = sysconfig.get_path("purelib", "posix_prefix", vars={"base": prefix, "platbase": prefix})
    return path, False


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__.strip().split("\n")[0], file=sys.stderr)
        sys.exit(2)
    d, on_path = install_dir(sys.argv[1])
    print(d)
    print("on-path" if on_path else "needs-PYTHONPATH")
