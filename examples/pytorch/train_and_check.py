#!/usr/bin/env python3
"""Train two tiny networks with torch, export them with lmo.from_torch, check them with lmo.

1. A deep linear network (Kawaguchi 2016): nn.Sequential(Linear(3, 4), Linear(4, 2)), no
   biases, trained on the paper's loss 1/2 ||W2 W1 X - Y||_F^2.
2. A leaky-ReLU network (Soudry & Carmon 2016): Linear(3, 5), LeakyReLU(0.1), Linear(5, 1),
   no biases, trained on the paper's MSE |e|^2 / (2N), with a fixed dropout mask E1.

Each is trained for --steps steps (default 2000: about a second on 10 samples) of
full-batch gradient descent from --seed, exported at its final weights, and handed to lmo: the exact class / loss / gradient
(`lmo classify`, `lmo mnn`), then `lmo compare --policy numpy`, which says what
double-precision code with numpy's tolerances decides at the same point. A trained float
point is almost never an exact critical point: expect lmo to say "not critical" where the
float tolerance says "critical" (for the deep linear network once the float gradient is
below numpy's tolerance, after a thousand steps or so) -- that is the point, not a failure.

Usage: PYTHONPATH=<src>/python LMO=<build>/lmo python3 train_and_check.py [--seed S]
       [--steps K] [--out DIR]    (--out: also write the two vectors as JSON)
Exit 0 when both networks were checked (whatever lmo found), 2 or 3 on an lmo error, 77
without torch.
"""
import argparse
import os
import sys

try:
    import torch
except ImportError:
    print("torch is not installed (Debian: python3-torch)")
    sys.exit(77)
import lmo


def train(model, loss_fn, steps, lr):
    opt = torch.optim.SGD(model.parameters(), lr=lr)
    for _ in range(steps):
        opt.zero_grad()
        loss = loss_fn()
        loss.backward()
        opt.step()
    return loss_fn().item()


def show_theorems(result):
    for t in result.get("report", {}).get("theorems", []):
        print("    %-42s %s" % (t["statement"], t["outcome"]))


def show_compare(result, keys):
    for policy, fast in result["fast"].items():
        said = ", ".join("%s %s" % (k, fast[k]) for k in keys if k in fast)
        print("  %s says: %s -> %s" % (policy, said, "agrees" if fast["agree"] else "DISAGREES"))
        for d in fast.get("disagreements", []):
            print("    " + (d if isinstance(d, str) else d.get("explanation", str(d))))


def show_near_critical(r):
    """A point trained in float is almost never exactly critical: lmo's certified
    near-critical report (exact gradient norm, Hessian eigenvalue enclosures) says what it is."""
    nc = (r.get("report") or {}).get("near_critical") or r.get("near_critical")
    if nc:
        print("  near-critical:", nc["verdict"])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--steps", type=int, default=2000)
    ap.add_argument("--out", help="directory for the two vectors")
    a = ap.parse_args()
    torch.manual_seed(a.seed)
    torch.set_default_dtype(torch.float64)
    print("lmo:", lmo.find_lmo())

    # 1. deep linear network, Kawaguchi's loss (no 1/m)
    m = 10
    X = torch.randn(m, 3)
    Y = X @ torch.randn(3, 2) + 0.1 * torch.randn(m, 2)
    net = torch.nn.Sequential(torch.nn.Linear(3, 4, bias=False), torch.nn.Linear(4, 2, bias=False))
    final = train(net, lambda: 0.5 * ((net(X) - Y) ** 2).sum(), a.steps, 0.01)
    v = lmo.from_torch(net, X, Y)
    r = lmo.run(v)
    print("\ndeep linear network %s, %d steps: torch loss %.12g" % (v["id"], a.steps, final))
    print("  lmo: class %s, critical %s, loss %.12g, global minimum %.12g"
          % (r["class"], r["critical"], float(lmo.fraction(r["loss"])),
             float(lmo.fraction(r["global_min_value"]["exact"]))
             if isinstance(r.get("global_min_value"), dict) and "exact" in r["global_min_value"]
             else float("nan")))
    show_theorems(r)
    show_near_critical(r)
    show_compare(lmo.compare(v, "numpy"), ["class", "critical"])

    # 2. leaky-ReLU network with a fixed dropout mask, Soudry-Carmon's MSE
    N = 8
    X = torch.randn(N, 3)
    y = torch.sin(X.sum(1))
    mask = torch.randint(1, 4, (N, 5)).double() / 2   # E1^T: one multiplier per sample and unit
    net = torch.nn.Sequential(torch.nn.Linear(3, 5, bias=False), torch.nn.LeakyReLU(0.1),
                              torch.nn.Linear(5, 1, bias=False))

    def out():
        return net[2](net[1](net[0](X)) * mask)[:, 0]
    final = train(net, lambda: ((out() - y) ** 2).sum() / (2 * N), a.steps, 0.1)
    v2 = lmo.from_torch(net, X, y, dropout=[mask])
    r = lmo.run(v2)
    print("\nleaky-ReLU network %s, %d steps: torch MSE %.12g" % (v2["id"], a.steps, final))
    print("  lmo: MSE %.12g, differentiable %s, critical %s, rank G = %s of N = %d"
          % (float(lmo.fraction(r["loss"])), r["differentiable"], r["critical"],
             r["rank_G_all"], N))
    show_theorems(r)
    show_near_critical(r)
    show_compare(lmo.compare(v2, "numpy"), ["differentiable", "critical", "rank_G_all"])

    if a.out:
        os.makedirs(a.out, exist_ok=True)
        for vec in (v, v2):
            lmo.write(vec, os.path.join(a.out, vec["id"] + ".json"))
        print("\nvectors written to", a.out)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except lmo.LmoError as e:
        print(e, file=sys.stderr)
        sys.exit(e.status if e.status in (2, 3) else 3)
