#!/usr/bin/env python3
"""lmo_standin.py -- a stand-in for lmo's sharded sweeps in the Slurm test (issue 23).

It has lmo's sweep interface (DESIGN.md: `--shard K/N`, `lmo merge PART...` prints what
the unsharded run prints, progress on stderr when LMO_PROGRESS=1) over a toy exhaustive
sweep, so tests/cluster/slurm_sweep.py can check the Slurm plumbing (scripts/slurm/) on
its own: that array task T runs shard T+1 of N, that every shard runs once, that the merge
job waits for the array and that progress reaches each task's output file.

usage: lmo_standin.py sweep BITS [--shard K/N]
           every pattern p of BITS bits (as lmo patterns' exhaustive mode): a line
           "pattern BITS popcount VALUE"; shard K of N takes the p with p mod N = K-1 and
           starts with a header "# shard K/N of 2^BITS, array task ID" (the task id from
           SLURM_ARRAY_TASK_ID, so the merge can check the task-to-shard mapping)
       lmo_standin.py merge PART...
           the parts' lines in pattern order, after checking that they are shards 1..N of
           one sweep, each once, each from array task K-1 and complete
"""
import os
import re
import sys

HEADER = re.compile(r"^# shard (\d+)/(\d+) of 2\^(\d+), array task (\S+)$")


def line_of(p, bits):
    # A deterministic, non-trivial value per pattern, unrelated to the shard layout.
    return "pattern %s %d %d" % (format(p, "0%db" % bits), bin(p).count("1"), (p * p + 7) % 101)


def sweep(argv):
    if len(argv) not in (1, 3) or (len(argv) == 3 and argv[1] != "--shard"):
        raise SystemExit(2)
    bits = int(argv[0])
    k, n = 1, 1
    if len(argv) == 3:
        m = re.fullmatch(r"(\d+)/(\d+)", argv[2])
        if not m or not 1 <= int(m.group(1)) <= int(m.group(2)):
            print("lmo_standin: bad --shard %r" % argv[2], file=sys.stderr)
            return 2
        k, n = int(m.group(1)), int(m.group(2))
        print("# shard %d/%d of 2^%d, array task %s"
              % (k, n, bits, os.environ.get("SLURM_ARRAY_TASK_ID", "-")))
    progress = os.environ.get("LMO_PROGRESS") == "1"
    mine = [p for p in range(2 ** bits) if p % n == k - 1]
    for i, p in enumerate(mine, 1):
        print(line_of(p, bits))
        if progress:
            print("lmo_standin: progress %d/%d" % (i, len(mine)), file=sys.stderr)
    return 0


def merge(parts):
    seen, lines, sweeps = {}, [], set()
    for path in parts:
        try:
            with open(path) as f:
                text = f.read().splitlines()
        except OSError as e:
            print("lmo_standin: %s" % e, file=sys.stderr)
            return 2
        m = HEADER.match(text[0]) if text else None
        if not m:
            print("lmo_standin: %s: no shard header" % path, file=sys.stderr)
            return 2
        k, n, bits, task = int(m.group(1)), int(m.group(2)), int(m.group(3)), m.group(4)
        if task != str(k - 1):
            print("lmo_standin: %s: shard %d ran as array task %s" % (path, k, task),
                  file=sys.stderr)
            return 2
        if k in seen:
            print("lmo_standin: shard %d twice (%s, %s)" % (k, seen[k], path), file=sys.stderr)
            return 2
        seen[k] = path
        sweeps.add((n, bits))
        want = [line_of(p, bits) for p in range(2 ** bits) if p % n == k - 1]
        if text[1:] != want:
            print("lmo_standin: %s: not the lines of shard %d/%d" % (path, k, n), file=sys.stderr)
            return 2
        lines += text[1:]
    if len(sweeps) != 1:
        print("lmo_standin: parts of different sweeps: %s" % sorted(sweeps), file=sys.stderr)
        return 2
    n, bits = sweeps.pop()
    if sorted(seen) != list(range(1, n + 1)):
        print("lmo_standin: shards %s of %d" % (sorted(seen), n), file=sys.stderr)
        return 2
    lines.sort(key=lambda l: int(l.split()[1], 2))
    for l in lines:
        print(l)
    return 0


def main():
    if len(sys.argv) >= 2 and sys.argv[1] == "sweep":
        return sweep(sys.argv[2:])
    if len(sys.argv) >= 3 and sys.argv[1] == "merge":
        return merge(sys.argv[2:])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
