#!/usr/bin/env python3
"""ctest python.khk_fig1: runs examples/khk-fig1/khk_fig1.py at its small default into a
temporary directory, then checks its output independently of the script: the CSV has one
row per (phase, H, width) of the default grid, every cell's exact J and L (lmo's strings,
read as Fractions) satisfy 0 <= J <= L (Kawaguchi-Huang-Kaelbling 2019: vec(Yhat) lies in
range([D D_1(H+1)]), so J <= L at every point), sqrt_2J_over_m matches the exact J, and
both heat maps are non-empty PNG files. Exit 77 (skip) when torch or gnuplot is missing
(the script's own 77), 1 on a failure."""
import csv
import math
import os
import subprocess
import sys
import tempfile
from fractions import Fraction

src = os.environ.get("LMO_SRC", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
script = os.path.join(src, "examples", "khk-fig1", "khk_fig1.py")
out = tempfile.mkdtemp(prefix="khk_fig1.")
p = subprocess.run([sys.executable, "-B", script, "--out", out], capture_output=True, text=True)
print(p.stdout.strip())
if p.returncode == 77:
    sys.exit(77)
bad = []
if p.returncode != 0:
    bad.append(f"khk_fig1.py exit {p.returncode}: {p.stderr[-800:]}")
rows = list(csv.DictReader(open(os.path.join(out, "khk_fig1.csv")))) if p.returncode in (0, 1) else []
cells = {(r["phase"], int(r["H"]), int(r["width"])) for r in rows}
want = {(ph, H, d) for ph in ("initial", "trained") for H in (1, 2, 3) for d in (2, 4, 8)}
if cells != want or len(rows) != len(want):
    bad.append(f"{len(rows)} rows, cells {sorted(cells ^ want)} missing or extra")
for r in rows:
    J, L, m = Fraction(r["J_exact"]), Fraction(r["L_exact"]), int(r["m"])
    if not 0 <= J <= L:
        bad.append(f"{r['phase']} H={r['H']} d={r['width']}: J = {J} > L = {L} or J < 0")
    if abs(float(r["sqrt_2J_over_m"]) - math.sqrt(float(2 * J / m))) > 1e-9 * (1 + math.sqrt(float(2 * J / m))):
        bad.append(f"{r['phase']} H={r['H']} d={r['width']}: sqrt column does not match J")
for png in ("fig1_initial.png", "fig1_trained.png"):
    f = os.path.join(out, png)
    if not os.path.exists(f) or os.path.getsize(f) == 0 or open(f, "rb").read(8) != b"\x89PNG\r\n\x1a\n":
        bad.append(f"{png} missing, empty or not a PNG")
for b in bad:
    print("FAIL", b)
print(f"khk_fig1: {len(rows)} cells checked, {len(bad)} problems (output in {out})")
if not bad:
    for f in os.listdir(out):
        os.remove(os.path.join(out, f))
    os.rmdir(out)
sys.exit(1 if bad else 0)
