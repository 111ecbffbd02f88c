#!/usr/bin/env python3
"""readme_tour.py -- the README's examples are what lmo prints.

Each fenced block of README.md whose lines start with "$ " is a session: every "$ COMMAND"
(build/lmo, build/lmo-check or cat, with the paths of the source tree) is run in a scratch
directory that links vectors/ and tests/ of the source tree and build/ to the build tree,
and its output must be the lines that follow it, up to the next "$ " line or the end of the
block. A line "  ..." ends the comparison of that command's output early (the rest is long);
text after "  # " on a command line is a comment. Outputs are compared line by line, exactly.

usage: readme_tour.py SRC BUILD           check (exit 1 on a difference)
       readme_tour.py SRC BUILD --update  rewrite README.md's outputs from the programs
"""
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

ALLOWED = ("build/lmo", "build/lmo-check", "cat")


def sessions(lines):
    """(start, end) line ranges of the fenced blocks that hold "$ " commands."""
    out, i = [], 0
    while i < len(lines):
        if lines[i].startswith("```"):
            j = i + 1
            while j < len(lines) and not lines[j].startswith("```"):
                j += 1
            if any(l.startswith("$ ") for l in lines[i + 1:j]):
                out.append((i + 1, j))
            i = j + 1
        else:
            i += 1
    return out


def command_of(line):
    cmd = line[2:]
    cmd = re.sub(r"\s+#\s.*$", "", cmd)  # "  # from lmo gen ..." is a comment
    words = shlex.split(cmd)
    if not words or words[0] not in ALLOWED:
        raise SystemExit("readme_tour: README runs %r: only %s are allowed" % (cmd, ALLOWED))
    return cmd


def run(cmd, cwd):
    env = dict(os.environ, LC_ALL="C.UTF-8")
    p = subprocess.run(cmd, shell=True, cwd=cwd, env=env, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, timeout=600)
    return p.stdout.decode("utf-8").splitlines()


def main():
    if len(sys.argv) < 3:
        print(__doc__)
        return 2
    src, build, update = sys.argv[1], sys.argv[2], "--update" in sys.argv[3:]
    path = os.path.join(src, "README.md")
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    work = tempfile.mkdtemp(prefix="lmo-readme-")
    for name, target in (("vectors", os.path.join(src, "vectors")),
                         ("tests", os.path.join(src, "tests")), ("build", build)):
        os.symlink(os.path.abspath(target), os.path.join(work, name))
    bad, ran, new = 0, 0, []
    pos = 0
    for start, end in sessions(lines):
        new.extend(lines[pos:start])
        i = start
        while i < end:
            if not lines[i].startswith("$ "):
                new.append(lines[i])  # text before the first command
                i += 1
                continue
            j = i + 1
            while j < end and not lines[j].startswith("$ "):
                j += 1
            want = lines[i + 1:j]
            got = run(command_of(lines[i]), work)
            ran += 1
            cut = want.index("  ...") if "  ..." in want else None
            if cut is not None:
                keep = got[:cut] + ["  ..."]
            else:
                keep = got
            if keep != want:
                bad += 1
                if not update:
                    print("README.md:%d: %s" % (i + 1, lines[i]))
                    for k in range(max(len(want), len(keep))):
                        w = want[k] if k < len(want) else "<none>"
                        g = keep[k] if k < len(keep) else "<none>"
                        if w != g:
                            print("  line %d\n    README: %s\n    lmo:    %s" % (k + 1, w, g))
                            break
            new.append(lines[i])
            new.extend(keep)
            i = j
        pos = end
    new.extend(lines[pos:])
    shutil.rmtree(work)
    if update and bad:
        with open(path, "w", encoding="utf-8") as f:
            f.write("\n".join(new))
        print("readme_tour: %d of %d outputs rewritten" % (bad, ran))
        return 0
    if ran == 0:
        print("readme_tour: no command found in README.md")
        return 1
    print("readme_tour: %d commands, %d differ" % (ran, bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
