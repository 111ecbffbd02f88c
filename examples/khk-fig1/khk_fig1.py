#!/usr/bin/env python3
"""Kawaguchi, Huang & Kaelbling (2019), Figure 1 at lmo's scale: sqrt(J(theta)) over depth H
and width d_l, at the initial random weights and after float training, with J computed
EXACTLY by `lmo compare` at the float weights (every double read exactly as a rational: the
lmo package writes float.hex) and the float J of lmo's fast tier (Appendix C's recipe: the
projection onto range([D D_1(H+1)]) with numpy's singular-value cutoff) beside it.

Data (--data):
  synthetic  the paper's ground truth (Section 4.3, Appendix C): x ~ N(0, I_dx), a tanh
             network of --gt-depth hidden layers (7) of width --gt-width (50), W entries
             ~ N(0, (2/sqrt(d_l))^2) (Appendix C's "normalized standard deviation"), scalar
             output scaled to unit RMS (the paper does not say; the raw |y| ~ 14 makes lr 0.01
             diverge); dx = --dx (2: the paper's 10 inputs make every cell J = 0 at m = 12);
  fashion    Fashion-MNIST (Debian's dataset-fashion-mnist, /usr/share/datasets/fashion-mnist,
             IDX files): the first m training images of classes 0 (T-shirt/top, target -1) and
             1 (Trouser, +1), center-cropped to 24x24 and average-pooled to --pool x --pool
             gray inputs (the paper's MNIST recipe: crop 24x24, shrink to 8x8), pixels / 255;
  digits     scikit-learn's 8x8 digits (python3-sklearn): classes 0 and 1, pixels / 16,
             2x2-pooled to 16 inputs, target +1 / -1.
Networks: bias-free ReLU, H hidden layers of width d, scalar output, He-normal init,
trained in float64 by full-batch SGD with momentum (Appendix C: lr 0.01, momentum 0.9 for
the synthetic set, 0.5 for images; full batch because m is small), --steps steps, loss
1/2 ||Yhat - Y||^2 / m. The paper's J drops the 1/2 (Appendix C); lmo's J keeps it, so
sqrt(2 J) is the paper's sqrt(J) -- the CSV has lmo's exact J and L, the maps sqrt(2 J / m).

Grid cells are numbered i = 0, 1, ... in order (H outer, width inner); each cell draws its
weights from its own generator (seed, i), torch runs on one thread, so a cell's row does not
depend on which other cells run. --shard K/N (1-based) runs the K-th of N contiguous blocks
of cells (lmo's rule: cells (K-1)q + min(K-1, r) up to the next shard's first, T = qN + r
cells) and writes OUT/khk_fig1.part-K-of-N.json only: an lmo partial ("format":
"lmo-partial/1") of the table kind, the CSV header and each cell's two rows as the unsharded
run writes them. `lmo merge` of the N partials prints the unsharded CSV byte for byte; --merge
PARTIAL... does that into OUT/khk_fig1.csv and draws the maps. Seconds per cell go to
OUT/khk_fig1_seconds.csv (timings are not reproducible, so they are kept out of the CSV).

Writes OUT/khk_fig1.csv (one row per (cell, phase): exact J, L as "p/q" strings and as
doubles, the float J, sqrt(2 J / m), exact and float path ranks, differentiability, J <= L)
and OUT/fig1_initial.png, OUT/fig1_trained.png (gnuplot heat maps of sqrt(2 J / m)).

Default: H = 1..3 x width 2, 4, 8, m = 12, 200 steps (seconds). --full: the paper's grid
H = 1..4 x width 2..16 (every width; tens of minutes, see README.md). --depths / --widths
choose any grid ("1,2" and "2,4").
Exit 0, 1 when some cell has exact J > L (a bug) or lmo failed, 2 on bad usage, 77 without
torch or gnuplot (or the Fashion-MNIST files for --data fashion).

Usage: PYTHONPATH=<src>/python LMO=<build>/lmo python3 khk_fig1.py [--out DIR]
       [--data synthetic|fashion|digits] [--m M] [--dx DX] [--pool P] [--steps K] [--seed S]
       [--full | --depths LIST --widths LIST] [--shard K/N] [--merge PARTIAL...]
"""
import argparse
import csv
import gzip
import io
import json
import math
import os
import shutil
import subprocess
import sys
import time

try:
    import torch
except ImportError:
    print("torch is not installed (Debian: python3-torch)")
    sys.exit(77)
if shutil.which("gnuplot") is None:
    print("gnuplot is not installed (Debian: gnuplot-nox)")
    sys.exit(77)
import lmo

torch.set_default_dtype(torch.float64)
torch.set_num_threads(1)   # one thread: the same float training in every shard (and polite)

FASHION = "/usr/share/datasets/fashion-mnist"
HEADER = ["cell", "data", "phase", "H", "width", "m", "d_theta", "J_exact", "L_exact", "J_exact_double",
          "L_exact_double", "J_float", "sqrt_2J_over_m", "path_rank", "path_rank_float", "differentiable",
          "J_le_L"]


def synthetic(m, dx, depth, width, seed):
    gen = torch.Generator().manual_seed(seed)
    X = torch.randn(m, dx, generator=gen)
    h, dims = X, [dx] + [width] * depth
    for l in range(depth):
        h = torch.tanh(h @ (torch.randn(dims[l], dims[l + 1], generator=gen) * (2 / math.sqrt(dims[l + 1]))))
    Y = h @ (torch.randn(width, 1, generator=gen) * 2.0)
    return X, Y / Y.pow(2).mean().sqrt()   # unit RMS: raw |y| ~ 14 makes lr 0.01 diverge


def idx(path):
    """An IDX file (Fashion-MNIST's format): big-endian magic, dimensions, then uint8 data."""
    with gzip.open(path, "rb") as f:
        raw = f.read()
    nd = raw[3]
    dims = [int.from_bytes(raw[4 + 4 * k:8 + 4 * k], "big") for k in range(nd)]
    return torch.frombuffer(bytearray(raw[4 + 4 * nd:]), dtype=torch.uint8).reshape(dims)


def fashion(m, pool):
    img, lab = (os.path.join(FASHION, f"train-{k}-idx{n}-ubyte.gz") for k, n in (("images", 3), ("labels", 1)))
    if not (os.path.exists(img) and os.path.exists(lab)):
        print(f"Fashion-MNIST not found in {FASHION} (Debian: dataset-fashion-mnist)")
        sys.exit(77)
    labels = idx(lab)
    keep = [i for i in range(len(labels)) if int(labels[i]) in (0, 1)][:m]
    x = idx(img)[keep, 2:26, 2:26].to(torch.float64) / 255.0          # center 24 x 24
    b = 24 // pool
    X = x.reshape(len(keep), pool, b, pool, b).mean(dim=(2, 4)).reshape(len(keep), pool * pool)
    Y = torch.tensor([[1.0 if int(labels[i]) == 1 else -1.0] for i in keep])
    return X, Y


def digits(m):
    from sklearn.datasets import load_digits
    d = load_digits()
    keep = [i for i in range(len(d.target)) if d.target[i] in (0, 1)][:m]
    img = torch.tensor(d.images[keep], dtype=torch.float64) / 16.0
    X = img.reshape(len(keep), 4, 2, 4, 2).mean(dim=(2, 4)).reshape(len(keep), 16)
    Y = torch.tensor([[1.0 if d.target[i] == 1 else -1.0] for i in keep])
    return X, Y


def init_weights(dims, gen):
    return [torch.randn(dims[l], dims[l + 1], generator=gen) * math.sqrt(2.0 / dims[l])
            for l in range(len(dims) - 1)]


def forward(X, W):
    h = X
    for w in W[:-1]:
        h = torch.relu(h @ w)
    return h @ W[-1]


def train(X, Y, W, steps, momentum):
    W = [w.clone().requires_grad_(True) for w in W]
    opt = torch.optim.SGD(W, lr=0.01, momentum=momentum)
    m = X.shape[0]
    for _ in range(steps):
        opt.zero_grad()
        loss = 0.5 * ((forward(X, W) - Y) ** 2).sum() / m
        loss.backward()
        opt.step()
    return [w.detach() for w in W]


def exact_cell(X, Y, W):
    """lmo compare --policy numpy on the point: exact J, L and the fast tier's J."""
    v = lmo.vector("khk", X=X.numpy(), Y=Y.numpy(), weights=[w.numpy() for w in W],
                   activations=["relu"] * (len(W) - 1))
    r = lmo.compare(v, policy="numpy", options=["--max-entries", 10 ** 8])
    J, L = lmo.fraction(r["J"]), lmo.fraction(r["loss"])
    fJ = float.fromhex(r["fast"]["numpy"]["detail"]["J"])
    return J, L, fJ, r["path_rank"], r["fast"]["numpy"]["path_rank"], r["differentiable"]


def heatmap(path, title, rows, depths, widths, m):
    dat = path + ".dat"
    with open(dat, "w") as f:
        for i, H in enumerate(depths):
            for j, d in enumerate(widths):
                J = rows.get((H, d))
                f.write(f"{j} {i} {math.sqrt(float(2 * J / m)):.6g}\n" if J is not None else f"{j} {i} NaN\n")
            f.write("\n")
    xt = ", ".join(f'"{d}" {j}' for j, d in enumerate(widths))
    yt = ", ".join(f'"{H}" {i}' for i, H in enumerate(depths))
    labels = "" if len(widths) > 8 else \
        f", '{dat}' using 1:2:(sprintf('%.3f', $3)) with labels notitle"
    script = f"""set terminal png size {max(640, 60 * len(widths) + 200)},480
set output '{path}'
set title '{title}'
set xlabel 'width d_l'
set ylabel 'depth H'
set xtics ({xt})
set ytics ({yt})
set cblabel 'sqrt(2 J / m), J exact'
set palette defined (0 'white', 1 'red', 2 'dark-red')
set xrange [-0.5:{len(widths) - 0.5}]
set yrange [-0.5:{len(depths) - 0.5}]
plot '{dat}' using 1:2:3 with image notitle{labels}
"""
    subprocess.run(["gnuplot"], input=script, text=True, check=True)
    os.remove(dat)


def ints(s):
    return [int(x) for x in s.split(",") if x.strip()]


def write_csv(path, rows):
    with open(path, "w", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(HEADER)
        for r in rows:
            w.writerow(r)


def draw_maps(out, rows, data):
    """The two heat maps from CSV rows (strings, as read back), over the grid they cover."""
    depths = sorted({int(r[3]) for r in rows})
    widths = sorted({int(r[4]) for r in rows})
    m = int(rows[0][5]) if rows else 1
    for phase in ("initial", "trained"):
        table = {(int(r[3]), int(r[4])): lmo.fraction(r[7]) for r in rows if r[2] == phase}
        heatmap(os.path.join(out, f"fig1_{phase}.png"),
                f"KHK19 Fig. 1 ({data}, m = {m}): {phase} weights", table, depths, widths, m)


def csv_line(row):
    """ROW as write_csv writes it, without the line break."""
    f = io.StringIO()
    csv.writer(f, lineterminator="\n").writerow(row)
    return f.getvalue()[:-1]


def block(total, K, N):
    """Shard K of N's cells [first, end): lmo's rule (cli/shard.h), so lmo merge checks it."""
    q, r = divmod(total, N)
    first = (K - 1) * q + min(K - 1, r)
    return first, first + q + (K - 1 < r)


def sweep_args(a, depths, widths):
    """What names the sweep, in one spelling: partials of different sweeps are refused."""
    return ["--data", a.data, "--m", str(a.m), "--dx", str(a.dx), "--gt-depth", str(a.gt_depth),
            "--gt-width", str(a.gt_width), "--pool", str(a.pool), "--steps", str(a.steps),
            "--seed", str(a.seed), "--depths", ",".join(map(str, depths)),
            "--widths", ",".join(map(str, widths))]


def write_partial(path, args, K, N, total, first, end, data, rows):
    cells = [{"index": i, "rows": [csv_line(r) for r in rows if r[0] == i]} for i in range(first, end)]
    doc = {"format": "lmo-partial/1", "command": "khk_fig1.py", "args": args,
           "shard": {"k": K, "n": N}, "table": {"header": csv_line(HEADER)},
           "inputs": [{"file": data, "part": {"items": {"total": total, "first": first, "end": end},
                                              "cells": cells}}]}
    with open(path + ".tmp", "w") as fh:
        json.dump(doc, fh, sort_keys=True)
        fh.write("\n")
    os.replace(path + ".tmp", path)


def merge(out, files):
    """lmo merge checks the partials (one sweep, every shard once, the blocks tiling the cells)
    and prints the unsharded CSV; it is written to OUT/khk_fig1.csv and the maps drawn."""
    cmd = [lmo.find_lmo(), "merge"] + files
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        print(p.stderr.strip() or f"lmo merge: exit {p.returncode}")
        return 2
    os.makedirs(out, exist_ok=True)
    path = os.path.join(out, "khk_fig1.csv")
    with open(path + ".tmp", "w", newline="") as fh:
        fh.write(p.stdout)
    os.replace(path + ".tmp", path)
    with open(path, newline="") as fh:
        rows = list(csv.reader(fh))[1:]
    draw_maps(out, rows, rows[0][1] if rows else "")
    bad = sum(r[16] != "True" for r in rows)
    print(f"merged {len(files)} partials, {len(rows)} rows into {out}/khk_fig1.csv; {bad} cells with J > L")
    return 1 if bad else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default="khk-fig1-out")
    ap.add_argument("--data", choices=["synthetic", "fashion", "digits"], default="synthetic")
    ap.add_argument("--m", type=int, default=12)
    ap.add_argument("--dx", type=int, default=2)
    ap.add_argument("--gt-depth", type=int, default=7)
    ap.add_argument("--gt-width", type=int, default=50)
    ap.add_argument("--pool", type=int, default=2, choices=[1, 2, 3, 4, 6, 8])
    ap.add_argument("--steps", type=int, default=200)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--full", action="store_true", help="H = 1..4 x width 2..16 (tens of minutes)")
    ap.add_argument("--depths", default="1,2,3")
    ap.add_argument("--widths", default="2,4,8")
    ap.add_argument("--shard", default=None, help="K/N: the K-th of N contiguous blocks of cells")
    ap.add_argument("--merge", nargs="+", default=None, metavar="PARTIAL")
    a = ap.parse_args()
    if a.merge:
        return merge(a.out, a.merge)
    K, N = 1, 1
    if a.shard:
        try:
            K, N = (int(x) for x in a.shard.split("/"))
        except ValueError:
            K = N = 0
        if not 1 <= K <= N:
            print(f"--shard {a.shard}: want K/N with 1 <= K <= N")
            return 2
    depths, widths = ([1, 2, 3, 4], list(range(2, 17))) if a.full else (ints(a.depths), ints(a.widths))
    if a.data == "synthetic":
        X, Y = synthetic(a.m, a.dx, a.gt_depth, a.gt_width, a.seed)
    elif a.data == "fashion":
        X, Y = fashion(a.m, a.pool)
    else:
        X, Y = digits(a.m)
    m, momentum = X.shape[0], 0.9 if a.data == "synthetic" else 0.5
    os.makedirs(a.out, exist_ok=True)
    cells = [(H, d) for H in depths for d in widths]
    first, end = block(len(cells), K, N)
    rows, seconds, bad = [], [], 0
    for i, (H, d) in enumerate(cells):
        if not first <= i < end:
            continue
        dims = [X.shape[1]] + [d] * H + [1]
        dtheta = sum(dims[l] * dims[l + 1] for l in range(H + 1))
        W0 = init_weights(dims, torch.Generator().manual_seed(a.seed * 1000003 + i))
        for phase, Wp in (("initial", W0), ("trained", train(X, Y, W0, a.steps, momentum))):
            t0 = time.time()
            J, L, fJ, pr, fpr, diff = exact_cell(X, Y, Wp)
            seconds.append([i, phase, H, d, f"{time.time() - t0:.2f}"])
            ok = J <= L
            bad += not ok
            rows.append([i, a.data, phase, H, d, m, dtheta, str(J), str(L), repr(float(J)), repr(float(L)),
                         repr(fJ), repr(math.sqrt(float(2 * J / m))), pr, fpr, diff, ok])
    name = f"khk_fig1.part-{K}-of-{N}.json" if a.shard else "khk_fig1.csv"
    if a.shard:
        write_partial(os.path.join(a.out, name), sweep_args(a, depths, widths), K, N, len(cells),
                      first, end, a.data, rows)
    else:
        write_csv(os.path.join(a.out, name), rows)
    with open(os.path.join(a.out, "khk_fig1_seconds.csv" if not a.shard else f"khk_fig1_seconds.shard-{K}-of-{N}.csv"),
              "w", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["cell", "phase", "H", "width", "lmo_seconds"])
        w.writerows(seconds)
    if not a.shard:
        with open(os.path.join(a.out, name), newline="") as fh:
            draw_maps(a.out, list(csv.reader(fh))[1:], a.data)
    print(f"wrote {a.out}/{name}" + ("" if a.shard else " and fig1_initial.png, fig1_trained.png") +
          f"; {len(rows)} rows, {bad} with J > L")
    return 1 if bad else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except lmo.LmoError as e:
        print(f"lmo: {e}")
        sys.exit(1)
