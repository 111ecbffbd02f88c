#!/usr/bin/env python3
"""Train a wide tanh network with torch, write its float weights exactly into a nguyen_hein
vector, and let lmo certify what Nguyen & Hein (2017) need at that point.

The network is the paper's (Section 2): every layer applies sigma, here tanh, the output layer
included, f(x) = tanh(W_2^T tanh(W_1^T x + b_1) + b_2), and the loss is (1),
Phi = sum_i (f(x_i) - y_i)^2. N = 16 samples in the plane with targets 0.6 sin(3 x_1) cos(2 x_2),
one hidden layer of n_1 = 24 >= N - 1 units (Lemma 4.4's width), trained in float64 by Adam
for --steps steps from --seed. The trained doubles are exact binary rationals: lmo.vector
writes them as exact hex-float strings, so lmo checks the very point torch holds.

lmo then certifies (`lmo nh`): rank [F_1, 1_N] = N in arb balls (Lemma 4.4 holds at this
point), an enclosure of Phi, and says what it can about Lemma 3.5 / Theorem 3.8 (a trained float
point is not an exact critical point: the gradient's balls show it, so those are
not_applicable, or undecided when every ball holds 0). The example checks, apart from lmo,
that torch's own float64 loss at the same weights lies in lmo's enclosure (up to 1e-12), and
that the certified loss is below 1e-3 (near 0, as the paper's global minima are).

Usage: PYTHONPATH=<src>/python LMO=<build>/lmo python3 train_nh.py [--seed S] [--steps K]
       [--out FILE]    (--out: also write the vector)
Exit 0 when every check passed, 1 when one failed, 2 or 3 on an lmo error, 77 without torch.
"""
import argparse
import sys
from decimal import Decimal

try:
    import torch
except ImportError:
    print("torch is not installed (Debian: python3-torch)")
    sys.exit(77)
import lmo


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--steps", type=int, default=3000)
    ap.add_argument("--out", help="write the vector here")
    a = ap.parse_args()
    torch.manual_seed(a.seed)
    torch.set_default_dtype(torch.float64)
    N, width = 16, 24
    X = torch.rand(N, 2) * 2 - 1
    y = 0.6 * torch.sin(3 * X[:, 0]) * torch.cos(2 * X[:, 1])
    net = torch.nn.Sequential(torch.nn.Linear(2, width), torch.nn.Tanh(), torch.nn.Linear(width, 1),
                              torch.nn.Tanh())
    opt = torch.optim.Adam(net.parameters(), lr=0.01)
    for _ in range(a.steps):
        opt.zero_grad()
        loss = ((net(X)[:, 0] - y) ** 2).sum()   # (1): l(a) = a^2, no 1/2, no 1/N
        loss.backward()
        opt.step()
    with torch.no_grad():
        phi_torch = ((net(X)[:, 0] - y) ** 2).sum().item()
    # the paper's W_l is n_{l-1} x n_l: torch's Linear.weight transposed
    v = lmo.vector("nguyen_hein", id="nh-torch-s%d" % a.seed,
                   source="examples/nh-torch/train_nh.py --seed %d --steps %d" % (a.seed, a.steps),
                   X=X, Y=y[:, None], activation="tanh",
                   weights=[net[0].weight.detach().T, net[2].weight.detach().T],
                   biases=[net[0].bias.detach(), net[2].bias.detach()])
    if a.out:
        lmo.write(v, a.out)
    r = lmo.run(v)
    rep = r["report"]
    enc = rep["loss"]
    mid, rad = Decimal(enc["mid"]), Decimal(enc["rad"])
    print("lmo:", lmo.find_lmo())
    print("tanh network 2-%d-1, N = %d, %d Adam steps: torch Phi %.6g" % (width, N, a.steps, phi_torch))
    print("  lmo: rank [F_1, 1_N] = %s (%s at %s bits), Phi in [%s +/- %s]"
          % (r["rank_Fk1"], rep["rank_Fk1_detail"]["status"], rep["rank_Fk1_detail"]["precision"],
             enc["mid"][:14], enc["rad"]))
    for t in rep["theorems"]:
        print("    %-36s %s" % (t["statement"], t["outcome"]))
    bad = 0
    outcome = {t["statement"].split(" 2017 ")[1]: t["outcome"] for t in rep["theorems"]}
    if r["rank_Fk1"] != N or outcome.get("Lemma 4.4") != "holds":
        print("CHECK: rank [F_1, 1_N] = N is not certified (Lemma 4.4 should hold here)")
        bad += 1
    if abs(Decimal(phi_torch) - mid) > rad + Decimal("1e-12") * (1 + abs(mid)):
        print("CHECK: torch's float64 Phi %r is outside lmo's enclosure" % phi_torch)
        bad += 1
    if mid + rad >= Decimal("1e-3"):
        print("CHECK: the certified Phi is not below 1e-3: training did not get near 0")
        bad += 1
    if any(o in ("holds", "violated") for s, o in outcome.items() if s in ("Lemma 3.5", "Theorem 3.8")):
        print("CHECK: balls cannot certify a float point critical, yet Lemma 3.5 / Theorem 3.8 say so")
        bad += 1
    print("checks: %d failed" % bad)
    return 1 if bad else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except lmo.LmoError as e:
        print(e, file=sys.stderr)
        sys.exit(e.status if e.status in (2, 3) else 3)
