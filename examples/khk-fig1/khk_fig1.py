#!/usr/bin/env python3
"""Kawaguchi, Huang & Kaelbling (2019), Figure 1 at lmo's scale: sqrt(J(theta)) over depth H
and width d_l, at the initial random weights and after float training, with J computed
EXACTLY by `lmo khk` at the float weights (every double read exactly as a rational: the lmo
package writes float.hex) and the float J of lmo's fast tier (Appendix C's recipe: the
projection onto range([D D_1(H+1)]) with numpy's singular-value cutoff) beside it.

Data (--data):
  synthetic  the paper's ground truth (Section 4.3, Appendix C): x ~ N(0, I_dx), a tanh
             network with one hidden layer of width dx, W entries ~ N(0, (2/sqrt(d_l))^2)
             (Appendix C's "normalized standard deviation"), scalar output;
  digits     scikit-learn's 8x8 digits (sklearn.datasets.load_digits, shipped by Debian's
             python3-sklearn): the first m images of classes 0 and 1, pixels / 16, the 64
             pixels averaged in 2x2 blocks to 16 inputs, target +1 / -1.
Networks: bias-free ReLU, H hidden layers of width d, scalar output, He-normal init,
trained in float64 by full-batch SGD with momentum 0.9, lr 0.01 (Appendix C's optimiser,
full batch because m <= 200), --steps steps, loss 1/2 ||Yhat - Y||^2 / m.
The paper's J drops the 1/2 (Appendix C); lmo's J keeps it, so sqrt(2 J) is the paper's
sqrt(J) -- the CSV has lmo's exact J and L, and the maps show sqrt(2 J / m) (the paper
plots per-sample values after normalisation; any fixed scale gives the same picture).

Writes OUT/khk_fig1.csv (one row per (phase, H, d): exact J, L as "p/q" strings and as
doubles, the float J, the path rank, whether J <= L, and the seconds lmo took) and
OUT/fig1_initial.png, OUT/fig1_trained.png (gnuplot heat maps of sqrt(2 J / m)).

Default: depth H = 1..3 x width 2, 4, 8, m = 12 synthetic samples, dx = 2, 200 steps: about
15-20 seconds. --full: the paper's grid H = 1..4 x width 2, 4, 8, 16 (a few minutes at
m = 12: the exact projections of the 216..848-column path matrices of 53-bit doubles, whose
products over H + 1 layers have hundreds of bits, dominate; the cost grows steeply with m).
Exit 0, 1 when some cell has exact J > L (a bug) or lmo failed, 77 without torch or gnuplot.

Usage: PYTHONPATH=<src>/python LMO=<build>/lmo python3 khk_fig1.py [--out DIR]
       [--data synthetic|digits] [--m M] [--dx DX] [--steps K] [--seed S] [--full]
"""
import argparse
import csv
import math
import os
import shutil
import subprocess
import sys
import time
from fractions import Fraction

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


def synthetic(m, dx, gen):
    X = torch.randn(m, dx, generator=gen)
    W1 = torch.randn(dx, dx, generator=gen) * (2 / math.sqrt(dx))
    W2 = torch.randn(dx, 1, generator=gen) * 2.0
    return X, torch.tanh(X @ W1) @ W2


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


def train(X, Y, W, steps):
    W = [w.clone().requires_grad_(True) for w in W]
    opt = torch.optim.SGD(W, lr=0.01, momentum=0.9)
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
    t0 = time.time()
    r = lmo.compare(v, policy="numpy", options=["--max-entries", 10 ** 7])
    sec = time.time() - t0
    J, L = lmo.fraction(r["J"]), lmo.fraction(r["loss"])
    fJ = float.fromhex(r["fast"]["numpy"]["detail"]["J"])
    return J, L, fJ, r["path_rank"], r["fast"]["numpy"]["path_rank"], r["differentiable"], sec


def heatmap(path, title, rows, depths, widths, m):
    dat = path + ".dat"
    with open(dat, "w") as f:
        for i, H in enumerate(depths):
            for j, d in enumerate(widths):
                J = rows[(H, d)]
                f.write(f"{j} {i} {math.sqrt(float(2 * J / m)):.6g}\n")
            f.write("\n")
    xt = ", ".join(f'"{d}" {j}' for j, d in enumerate(widths))
    yt = ", ".join(f'"{H}" {i}' for i, H in enumerate(depths))
    script = f"""set terminal png size 640,480
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
plot '{dat}' using 1:2:3 with image notitle, '{dat}' using 1:2:(sprintf('%.3f', $3)) with labels notitle
"""
    subprocess.run(["gnuplot"], input=script, text=True, check=True)
    os.remove(dat)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default="khk-fig1-out")
    ap.add_argument("--data", choices=["synthetic", "digits"], default="synthetic")
    ap.add_argument("--m", type=int, default=None)
    ap.add_argument("--dx", type=int, default=2)
    ap.add_argument("--steps", type=int, default=None)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--full", action="store_true", help="H = 1..4 x width 2..16 (minutes)")
    a = ap.parse_args()
    m = a.m or 12
    steps = a.steps or 200
    depths, widths = ([1, 2, 3, 4], [2, 4, 8, 16]) if a.full else ([1, 2, 3], [2, 4, 8])
    gen = torch.Generator().manual_seed(a.seed)
    X, Y = synthetic(m, a.dx, gen) if a.data == "synthetic" else digits(m)
    m = X.shape[0]
    os.makedirs(a.out, exist_ok=True)
    csv_path = os.path.join(a.out, "khk_fig1.csv")
    bad, table = 0, {"initial": {}, "trained": {}}
    with open(csv_path, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["data", "phase", "H", "width", "m", "d_theta", "J_exact", "L_exact", "J_exact_double",
                    "L_exact_double", "J_float", "sqrt_2J_over_m", "path_rank", "path_rank_float",
                    "differentiable", "J_le_L", "lmo_seconds"])
        for H in depths:
            for d in widths:
                dims = [X.shape[1]] + [d] * H + [1]
                dtheta = sum(dims[l] * dims[l + 1] for l in range(H + 1))
                W0 = init_weights(dims, gen)
                for phase, Wp in (("initial", W0), ("trained", train(X, Y, W0, steps))):
                    J, L, fJ, pr, fpr, diff, sec = exact_cell(X, Y, Wp)
                    ok = J <= L
                    bad += not ok
                    table[phase][(H, d)] = J
                    w.writerow([a.data, phase, H, d, m, dtheta, str(J), str(L), float(J), float(L),
                                fJ, math.sqrt(float(2 * J / m)), pr, fpr, diff, ok, f"{sec:.2f}"])
                    fh.flush()
    for phase in ("initial", "trained"):
        heatmap(os.path.join(a.out, f"fig1_{phase}.png"),
                f"KHK19 Fig. 1 ({a.data}, m = {m}): {phase} weights", table[phase], depths, widths, m)
    print(f"wrote {csv_path} and {a.out}/fig1_initial.png, fig1_trained.png; {bad} cells with J > L")
    return 1 if bad else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except lmo.LmoError as e:
        print(f"lmo: {e}")
        sys.exit(1)
