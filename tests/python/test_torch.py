"""lmo.from_torch puts the network in the papers' orientation (ctest python.torch; exit 77
without torch).

The network's output is recomputed here from the vector alone, in Python fractions, the
papers' way -- Kawaguchi: W(H+1) ... W1 X with X = dx x m; Soudry-Carmon (3.1):
u_l = W_l v_(l-1), v_l = a_l * u_l with a = E_l (u >= 0) or s E_l (u < 0) -- and set
against torch's forward pass in float64: bit for bit on dyadic weights and data (where
float64 is exact), within 1e-12 on random float32 ones. lmo's own loss must be the loss of
that recomputation, exactly (so lmo read the network as it was meant). What the kinds
cannot represent raises ValueError. The slope written is the one torch applies (float32
rounding for float32 tensors), checked against torch's leaky_relu itself.
"""
from fractions import Fraction

from harness import check, exact, finish, need, raises

torch = need("torch")
nn = torch.nn

import lmo  # noqa: E402

torch.manual_seed(3)


def mat(m):
    return [[exact.value(x) for x in row] for row in m["data"]]


def matmul(A, B):
    return [[sum((A[i][k] * B[k][j] for k in range(len(B))), Fraction(0)) for j in range(len(B[0]))]
            for i in range(len(A))]


def deep_linear_out(v):
    """W(H+1) ... W1 X, from the vector (dy x m)."""
    out = mat(v["input"]["X"])
    for W in v["input"]["weights"]:
        out = matmul(mat(W), out)
    return out


def mnn_out(v):
    """Soudry-Carmon (3.1) from the vector: the 1 x N output v_L."""
    inp = v["input"]
    s = exact.value(inp["slope"])
    V = mat(inp["X"])
    Ws = inp["weights"]
    for l, W in enumerate(Ws):
        U = matmul(mat(W), V)
        if l == len(Ws) - 1:
            return U
        E = mat(inp["dropout"][l]) if "dropout" in inp else [[1] * len(U[0]) for _ in U]
        V = [[u * (e if u >= 0 else s * e) for u, e in zip(ur, er)] for ur, er in zip(U, E)]


def dyadic(*shape):
    return (torch.randint(-8, 9, shape) / 8).double()


def set_weights(model, gen):
    with torch.no_grad():
        for m in model:
            if isinstance(m, nn.Linear):
                m.weight.copy_(gen(*m.weight.shape))


# deep linear, non-square layers so a transposition could not go unnoticed
for widths, dyad in (([3, 4, 2], True), ([2, 3, 3, 1], True), ([4, 2, 3], False)):
    layers = [nn.Linear(a, b, bias=False) for a, b in zip(widths, widths[1:])]
    model = nn.Sequential(*layers).double()
    m = 5
    if dyad:
        set_weights(model, dyadic)
        X, Y = dyadic(m, widths[0]), dyadic(m, widths[-1])
    else:
        model = model.float()
        X, Y = torch.randn(m, widths[0]), torch.randn(m, widths[-1])
    v = lmo.from_torch(model, X, Y if widths[-1] > 1 else Y[:, 0])
    check(v["kind"] == "deep_linear", "Linear-only -> deep_linear")
    check(v["input"]["X"]["rows"] == widths[0] and v["input"]["X"]["cols"] == m, "X is dx x m")
    ours = deep_linear_out(v)
    with torch.no_grad():
        theirs = model.double()(X.double()).t().tolist()
    if dyad:
        check(ours == [[Fraction(x) for x in row] for row in theirs],
              "widths %s: W(H+1)...W1 X == model(X)^T bit for bit" % widths)
    else:
        check(all(abs(float(a) - b) <= 1e-12 * (1 + abs(b)) for ra, rb in zip(ours, theirs)
                  for a, b in zip(ra, rb)), "widths %s: == model(X)^T within 1e-12" % widths)
    Yv = mat(v["input"]["Y"])
    loss = sum((a - b) ** 2 for ra, rb in zip(ours, Yv) for a, b in zip(ra, rb)) / 2
    r = lmo.run(v)
    check(exact.value(r["loss"]) == loss, "widths %s: lmo's loss is 1/2||W X - Y||^2 of the "
          "recomputation" % widths)

# Soudry-Carmon, two hidden layers, with and without dropout masks
for slope, dyad, drop in ((0.25, True, False), (0.25, True, True), (0.1, False, True),
                          (None, True, False)):
    act = (lambda: nn.ReLU()) if slope is None else (lambda: nn.LeakyReLU(slope))
    model = nn.Sequential(nn.Linear(3, 4, bias=False), act(), nn.Linear(4, 2, bias=False), act(),
                          nn.Linear(2, 1, bias=False)).double()
    N = 6
    if dyad:
        set_weights(model, dyadic)
        X, y = dyadic(N, 3), dyadic(N)
    else:
        model = model.float()
        X, y = torch.randn(N, 3), torch.randn(N)
    masks = [(torch.randint(1, 5, (N, 4)) / 4).to(X.dtype),
             (torch.randint(1, 5, (N, 2)) / 4).to(X.dtype)] if drop else None
    v = lmo.from_torch(model, X, y, dropout=masks)
    check(v["kind"] == "mnn", "Linear + activations -> mnn")
    ours = mnn_out(v)[0]
    with torch.no_grad():   # torch's forward, the masks multiplying each activation's output
        h = X.double()
        lin = [m for m in model if isinstance(m, nn.Linear)]
        for l, L in enumerate(lin):
            h = h @ L.weight.double().t()
            if l < len(lin) - 1:
                h = nn.functional.leaky_relu(h, exact.value(v["input"]["slope"]).__float__())
                if masks:
                    h = h * masks[l].double()
        theirs = h[:, 0].tolist()
        if not drop:
            check(theirs == model.double()(X.double())[:, 0].tolist(), "the replay is model(X)")
    what = "slope %s, dropout %s" % (slope, drop)
    if dyad:
        check(ours == [Fraction(x) for x in theirs], "%s: (3.1) == torch bit for bit" % what)
    else:
        check(all(abs(float(a) - b) <= 1e-12 * (1 + abs(b)) for a, b in zip(ours, theirs)),
              "%s: (3.1) == torch within 1e-12" % what)
    yv = [exact.value(t) for t in v["input"]["y"]]
    mse = sum((a - b) ** 2 for a, b in zip(ours, yv)) / (2 * N)
    r = lmo.run(v)
    check(exact.value(r["loss"]) == mse, "%s: lmo's loss is |e|^2/(2N) of the recomputation" % what)

# the slope torch applies
for dt in (torch.float32, torch.float64):
    model = nn.Sequential(nn.Linear(2, 2, bias=False), nn.LeakyReLU(0.1),
                          nn.Linear(2, 1, bias=False)).to(dt)
    s = exact.value(lmo.from_torch(model, torch.ones(1, 2, dtype=dt), [0])["input"]["slope"])
    applied = -nn.functional.leaky_relu(torch.tensor([-1.0], dtype=dt), 0.1).item()
    check(s == Fraction(applied), "%s: slope %s is what leaky_relu applies (%r)" % (dt, s, applied))
check(lmo.from_torch(nn.Sequential(nn.Linear(2, 2, bias=False), nn.ReLU(), nn.Linear(2, 1, bias=False)),
                     torch.ones(1, 2), [0])["input"]["slope"] == 0, "ReLU is slope 0")

# what cannot be represented
L = lambda a, b, bias=False: nn.Linear(a, b, bias=bias)  # noqa: E731
X3, y3 = torch.ones(4, 3), torch.zeros(4)
bad = [
    (nn.Sequential(L(3, 2, True), L(2, 1)), "a bias"),
    (nn.Sequential(L(3, 2), nn.LeakyReLU(0.1), L(2, 2), nn.LeakyReLU(0.2), L(2, 1)), "mixed slopes"),
    (nn.Sequential(L(3, 2), nn.LeakyReLU(0.1), L(2, 2), nn.ReLU(), L(2, 1)), "ReLU mixed with leaky"),
    (nn.Sequential(L(3, 2), nn.Tanh(), L(2, 1)), "tanh"),
    (nn.Sequential(L(3, 2), nn.LeakyReLU(0.1), L(2, 1), nn.LeakyReLU(0.1)), "activation after the output"),
    (nn.Sequential(L(3, 2), nn.LeakyReLU(0.1), L(2, 2)), "two outputs in mnn"),
    (nn.Sequential(L(3, 2), L(2, 2), nn.LeakyReLU(0.1), L(2, 1)), "two Linear in a row among activations"),
    (nn.Sequential(L(3, 1)), "one Linear layer"),
    (nn.Sequential(L(2, 2), L(2, 1)), "X of the wrong width"),
    (nn.Sequential(L(3, 2), nn.Dropout(0.5), nn.LeakyReLU(0.1), L(2, 1)).train(), "training-mode dropout"),
]
for model, what in bad:
    raises(ValueError, lambda: lmo.from_torch(model, X3, y3), "refused: " + what)
raises(ValueError, lambda: lmo.from_torch(nn.Sequential(L(3, 2), L(2, 2)), X3, y3),
       "deep linear y of the wrong shape")
ok = nn.Sequential(L(3, 2), nn.Dropout(0.5), nn.LeakyReLU(0.1), nn.Identity(), L(2, 1)).eval()
check(lmo.from_torch(ok, X3, y3)["kind"] == "mnn", "eval-mode Dropout and Identity are skipped")
finish("python.torch")
