#!/usr/bin/env python3
"""Proposition 2's Dtilde (B.2) where numpy's rank rule is wrong: samples 1 and 2 are
x1 = (1, 2) and x2 = (1 + 2^-45, 2), both with activation pattern (1, 1) (leaky:1/2, W(1) = I),
so rows 1, 2 of Dtilde are [x1 x1] and [x2 x2]: independent exactly (rank Dtilde = 4 = m),
but 2^-45 apart, below numpy's cutoff sigma_max * max(m, n) * eps. `lmo compare --policy
numpy` must report the exact rank 4, the float rank 3, explain the disagreement, and
exit 1 with agree false; the Lambda condition of regime i (d dx = 4 = m) fails at I = {1, 2} (equal
rows of Lambda). usage: prop2_float.py LMO"""
import json
import os
import subprocess
import sys
import tempfile

v = {"format": "lmo-vector/1", "kind": "khk", "id": "prop2-float", "source": "tests/khk/prop2_float.py",
     "input": {"X": {"rows": 4, "cols": 2, "data": [[1, 2], [f"{2**45 + 1}/{2**45}", 2], [3, -1], [-2, 5]]},
               "Y": {"rows": 4, "cols": 1, "data": [[1], [2], [3], [4]]},
               "weights": [{"rows": 2, "cols": 2, "data": [[1, 0], [0, 1]]},
                           {"rows": 2, "cols": 1, "data": [[1], [1]]}],
               "activations": ["leaky:1/2"]}}
fd, path = tempfile.mkstemp(suffix=".json")
with os.fdopen(fd, "w") as f:
    json.dump(v, f)
p = subprocess.run([sys.argv[1], "compare", "--policy", "numpy", "--json", path], capture_output=True, text=True)
os.remove(path)
bad = []
try:
    d = json.loads(p.stdout)
except ValueError:
    print(f"lmo compare exit {p.returncode}: {p.stderr[:400]}")
    sys.exit(1)
p2, fast = d.get("report", {}).get("prop2") or {}, d["fast"]["numpy"]  # prop2: lmo's finding
if p2.get("rank") != 4 or p2.get("max_rank") != 4 or p2.get("generic_rank") != 4:
    bad.append(f"exact prop2 {p2}, want rank = max_rank = generic_rank = 4")
if p2.get("lambda_condition") is not False or p2.get("witness") != [1, 2] or p2.get("regime") != "i":
    bad.append(f"Lambda condition {p2.get('lambda_condition')} witness {p2.get('witness')}, want false at [1, 2]")
if p2.get("loss_proj") != 0:
    bad.append(f"loss_proj {p2.get('loss_proj')}: Dtilde has rank m, the projection of Y is Y")
if fast.get("prop2") != 3 or fast.get("agree") is not False:
    bad.append(f"float prop2 {fast.get('prop2')} agree {fast.get('agree')}, want 3 and a disagreement")
if not any("Dtilde" in s for s in fast.get("disagreements", [])):
    bad.append("no explanation naming Dtilde")
if d.get("agree") is not False or p.returncode != 1:
    bad.append(f"agree {d.get('agree')}, exit {p.returncode}: want false and exit 1 (a disagreement)")
for b in bad:
    print("FAIL", b)
print(f"prop2_float: {len(bad)} problems")
sys.exit(1 if bad else 0)
