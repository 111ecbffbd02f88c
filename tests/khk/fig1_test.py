#!/usr/bin/env python3
"""ctest python.khk_fig1 (and python.khk_fig1_full, label slow): runs
examples/khk-fig1/khk_fig1.py into a temporary directory, then checks its output
independently of the script:
  - the CSV has one row per (cell, phase) of the grid asked for, cells numbered in order;
  - every cell's exact J and L (lmo's strings, read as Fractions) satisfy 0 <= J <= L
    (Kawaguchi-Huang-Kaelbling 2019: vec(Yhat) lies in range([D D_1(H+1)]), so J <= L at every
    point), J_exact_double is the double nearest J, sqrt_2J_over_m matches the exact J;
  - both heat maps are PNG files;
  - sharding: the Fashion-MNIST grid run as --shard 1/2 and --shard 2/2 (separate processes)
    writes two lmo partials, each holding exactly its contiguous block of cells (0-1, 2-3:
    lmo's rule, written out here); `lmo merge` of them prints the unsharded CSV byte for byte,
    and --merge writes it and the maps; one partial alone is refused (exit 2).
Default: the synthetic default grid (H = 1..3 x width 2, 4, 8) and Fashion-MNIST on
H = 1..2 x width 2, 4. --full: both data sets on the paper's grid (H = 1..4 x width 2..16):
tens of minutes. Exit 77 (skip) when torch, gnuplot or the Fashion-MNIST files are missing
(the script's own 77), 1 on a failure."""
import csv
import filecmp
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
from fractions import Fraction

src = os.environ.get("LMO_SRC", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
script = os.path.join(src, "examples", "khk-fig1", "khk_fig1.py")
full = "--full" in sys.argv
tmp = tempfile.mkdtemp(prefix="khk_fig1.")
bad = []


def run(name, args):
    out = os.path.join(tmp, name)
    p = subprocess.run([sys.executable, "-B", script, "--out", out] + args, capture_output=True, text=True)
    print(f"{name}: {p.stdout.strip()}")
    if p.returncode == 77:
        shutil.rmtree(tmp)
        sys.exit(77)
    if p.returncode != 0:
        bad.append(f"{name}: khk_fig1.py exit {p.returncode}: {p.stdout[-300:]} {p.stderr[-800:]}")
    return out


def check(name, out, depths, widths, csv_name="khk_fig1.csv", cells=None, pngs=True):
    path = os.path.join(out, csv_name)
    rows = list(csv.DictReader(open(path))) if os.path.exists(path) else []
    grid = [(H, d) for H in depths for d in widths]
    want = {(i, ph, H, d) for i, (H, d) in enumerate(grid) if cells is None or i in cells
            for ph in ("initial", "trained")}
    got = {(int(r["cell"]), r["phase"], int(r["H"]), int(r["width"])) for r in rows}
    if got != want or len(rows) != len(want):
        bad.append(f"{name}: {len(rows)} rows, cells {sorted(got ^ want)[:6]} missing or extra")
    for r in rows:
        J, L, m = Fraction(r["J_exact"]), Fraction(r["L_exact"]), int(r["m"])
        where = f"{name} {r['phase']} H={r['H']} d={r['width']}"
        if not 0 <= J <= L:
            bad.append(f"{where}: J = {J} > L = {L} or J < 0")
        if float(r["J_exact_double"]) != float(J):
            bad.append(f"{where}: J_exact_double is not the double nearest J")
        if abs(float(r["sqrt_2J_over_m"]) - math.sqrt(float(2 * J / m))) > 1e-12 * (1 + math.sqrt(float(2 * J / m))):
            bad.append(f"{where}: sqrt column does not match J")
    for png in ("fig1_initial.png", "fig1_trained.png") if pngs else ():
        f = os.path.join(out, png)
        if not os.path.exists(f) or open(f, "rb").read(8) != b"\x89PNG\r\n\x1a\n":
            bad.append(f"{name}: {png} missing or not a PNG")
    return len(rows)


if full:
    D, Wd = [1, 2, 3, 4], list(range(2, 17))
    n = check("synthetic-full", run("synthetic-full", ["--full"]), D, Wd)
    n += check("fashion-full", run("fashion-full", ["--data", "fashion", "--full"]), D, Wd)
else:
    n = check("synthetic", run("synthetic", []), [1, 2, 3], [2, 4, 8])
    grid = ["--data", "fashion", "--depths", "1,2", "--widths", "2,4"]
    whole = run("fashion", grid)
    n += check("fashion", whole, [1, 2], [2, 4])
    shards = [run(f"fashion-shard{k}", grid + ["--shard", f"{k}/2"]) for k in (1, 2)]
    parts = [os.path.join(s, f"khk_fig1.part-{k}-of-2.json") for k, s in zip((1, 2), shards)]
    for k, part, want in zip((1, 2), parts, ([0, 1], [2, 3])):
        try:
            doc = json.load(open(part))
            got = [c["index"] for c in doc["inputs"][0]["part"]["cells"]]
            nrows = [len(c["rows"]) for c in doc["inputs"][0]["part"]["cells"]]
        except (OSError, ValueError, KeyError, IndexError, TypeError) as e:
            got, nrows = f"unreadable partial: {e}", []
        if got != want or nrows != [2, 2]:
            bad.append(f"shard {k}/2: cells {got} with {nrows} rows, want {want} with 2 each")
    p = subprocess.run([sys.executable, "-B", os.path.join(src, "tests", "cli", "check_partials.py")] + parts,
                       capture_output=True, text=True)
    if p.returncode != 0:
        bad.append(f"check_partials.py: {p.stdout[-400:]} {p.stderr[-400:]}")
    lmo_bin = os.environ.get("LMO")
    if lmo_bin:
        p = subprocess.run([lmo_bin, "merge"] + parts, capture_output=True)
        if p.returncode != 0 or p.stdout != open(os.path.join(whole, "khk_fig1.csv"), "rb").read():
            bad.append(f"lmo merge of the two partials (exit {p.returncode}) is not the unsharded CSV")
        p = subprocess.run([lmo_bin, "merge", parts[0]], capture_output=True, text=True)
        if p.returncode != 2 or "shard 2 of 2 is missing" not in p.stderr:
            bad.append(f"lmo merge of shard 1 alone: exit {p.returncode}, {p.stderr.strip()}")
    else:
        bad.append("LMO is not set: lmo merge cannot be run")
    merged = run("fashion-merged", ["--merge"] + parts)
    if not filecmp.cmp(os.path.join(whole, "khk_fig1.csv"), os.path.join(merged, "khk_fig1.csv"), shallow=False):
        bad.append("the merge of shards 1/2 and 2/2 differs from the unsharded CSV")
    check("fashion-merged", merged, [1, 2], [2, 4])
for b in bad:
    print("FAIL", b)
print(f"khk_fig1: {n} rows checked, {len(bad)} problems (output in {tmp})")
if not bad:
    shutil.rmtree(tmp)
sys.exit(1 if bad else 0)
