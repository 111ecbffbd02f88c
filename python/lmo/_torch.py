"""torch models to vectors: nn.Sequential of bias-free Linear layers, with or without
leaky-ReLU activations, in the orientation of the paper that studies them.

torch stores nn.Linear(in, out).weight as an (out, in) matrix and feeds samples as the rows
of X (N, in): layer output = X @ W.T. Both papers feed samples as the columns of X and
multiply W on the left (u = W x). So the weight matrices are taken as they are (out x in is
the papers' dl x d(l-1)) and X, Y are transposed. torch is imported only when this is used.
"""
from ._vector import _rows, vector

__all__ = ["from_torch"]


def _columns(a, name):
    # samples are rows in torch and columns in the papers
    rows = _rows(a, name)
    width = len(rows[0]) if rows else 0
    if any(len(r) != width for r in rows):
        raise ValueError("%s: ragged rows" % name)
    return [list(c) for c in zip(*rows)] if rows else []


def _layers(model, nn):
    """The model's modules in order, nested Sequentials flattened, Identity skipped."""
    out = []
    for i, m in enumerate(model if isinstance(model, nn.Sequential) else [model]):
        if isinstance(m, nn.Sequential):
            out.extend(_layers(m, nn))
        elif isinstance(m, nn.Identity):
            continue
        elif isinstance(m, nn.Dropout) and not m.training:
            continue   # identity in eval mode
        elif isinstance(m, nn.Dropout):
            raise ValueError("layer %d: nn.Dropout in training mode draws a random mask at "
                             "every call; call model.eval() and pass the masks you mean as "
                             "from_torch(..., dropout=[M1, ...]) instead" % i)
        else:
            out.append(m)
    return out


def _slope(act, dtype, torch, nn):
    if isinstance(act, nn.ReLU):
        return 0
    # torch's CPU kernel applies the slope in the tensor's type, and in float for
    # float16/bfloat16: the slope of the network torch computes is that rounding.
    t = torch.float64 if dtype == torch.float64 else torch.float32
    return torch.tensor(act.negative_slope, dtype=t).item()


def from_torch(model, X, y, *, dropout=None, id=None, source=None):
    """The vector of a torch network at its current weights, with data X (N x d0) and
    targets y; no lmo run (pass it to lmo.run, lmo.compare, lmo.write).

    Two shapes of ``torch.nn.Sequential`` are understood; every nn.Linear must have
    ``bias=False`` (neither paper's model has biases; append a constant-1 feature to X to
    emulate one). Nested Sequentials are flattened, nn.Identity and eval-mode nn.Dropout
    skipped.

    **Linear layers only** -> kind ``deep_linear`` (Kawaguchi 2016, section 2), at least two
    layers (H >= 1 hidden layer): W1 ... W(H+1) are the layers' ``weight`` matrices as
    torch stores them, (out, in) = dk x d(k-1); X (m x dx, samples as rows, torch's layout)
    becomes the paper's X = X^T (dx x m); y (m x dy, or m for dy = 1) becomes Y = y^T
    (dy x m). So W(H+1) ... W1 X = model(X)^T. lmo's loss is the paper's
    1/2 ||W(H+1)...W1 X - Y||_F^2 = MSELoss(reduction="sum")(model(X), y) / 2.

    **Linear, activation, Linear, ..., Linear** with nn.LeakyReLU or nn.ReLU activations ->
    kind ``mnn`` (Soudry-Carmon 2016, section 3): Wl = layer l's ``weight`` (dl x d(l-1)),
    the last layer must have one output (dL = 1) and no activation after it; X becomes
    X^T (d0 x N); y (N, or N x 1) the list y; ``slope`` s is LeakyReLU's negative_slope as
    torch applies it (rounded to float32 unless the weights are float64) and 0 for ReLU
    (lmo then reports the theorems as not applicable: they need s != 0). Every activation
    must have the same slope (the model has one s). lmo's loss is the paper's
    MSE = |e|^2 / (2N) = MSELoss()(model(X).squeeze(1), y) / 2.
    ``dropout``, optional: a list of L-1 fixed masks M1 ... M(L-1), Ml of shape (N, dl),
    multiplying the output of activation l sample by sample (h_l * Ml in torch); written as
    the paper's El = Ml^T (dl x N), which multiplies the activation's slopes a_l.

    Every number is written exactly (float32/64 weights and data as hex strings). What the
    kinds cannot represent raises ValueError: biases, other layers, mixed slopes, an
    activation after the output layer, two Linear layers in a row among activations, a
    multi-output mnn, shapes that do not match X or y.
    """
    import torch
    from torch import nn

    layers = _layers(model, nn)
    acts = (nn.LeakyReLU, nn.ReLU)
    desc = []
    for i, m in enumerate(layers):
        if isinstance(m, nn.Linear):
            if m.bias is not None:
                raise ValueError("layer %d: %r has a bias; neither Kawaguchi's deep linear "
                                 "model nor Soudry-Carmon's network has biases: use "
                                 "bias=False (a bias is a constant-1 feature of X)" % (i, m))
            desc.append("Linear %d->%d" % (m.in_features, m.out_features))
        elif isinstance(m, acts):
            desc.append(repr(m))
        else:
            raise ValueError("layer %d: %r cannot be represented: only nn.Linear(bias=False), "
                             "nn.LeakyReLU and nn.ReLU (and Identity, eval-mode Dropout)"
                             % (i, m))
    linears = [m for m in layers if isinstance(m, nn.Linear)]
    if not linears:
        raise ValueError("the model has no nn.Linear layer")
    weights = [m.weight for m in linears]
    dtype = weights[0].dtype
    Xc = _columns(X, "X")
    N = len(Xc[0]) if Xc else 0
    if len(Xc) != linears[0].in_features:
        raise ValueError("X has %d features per sample (columns), the first Linear expects %d"
                         % (len(Xc), linears[0].in_features))
    if source is None:
        source = "lmo.from_torch: %s (%s), N = %d" % (", ".join(desc), str(dtype), N)

    if len(linears) == len(layers):   # no activation: a deep linear network
        if len(linears) < 2:
            raise ValueError("one Linear layer is no deep linear network: Kawaguchi's model "
                             "needs H >= 1 hidden layer, i.e. at least two Linear layers")
        if dropout is not None:
            raise ValueError("dropout: the deep_linear kind has no dropout")
        yr = _rows(y, "y") if _ndim(y) == 2 else [[v] for v in _flat(y, "y")]
        dy = linears[-1].out_features
        if len(yr) != N or any(len(r) != dy for r in yr):
            raise ValueError("y: expected %d samples of %d targets (shape (%d, %d)%s)"
                             % (N, dy, N, dy, " or (%d,)" % N if dy == 1 else ""))
        return vector("deep_linear", id=id, source=source, X=Xc,
                      Y=[list(c) for c in zip(*yr)], weights=weights)

    # Soudry-Carmon: Linear (act Linear)*
    for i, m in enumerate(layers):
        want = nn.Linear if i % 2 == 0 else acts
        if not isinstance(m, want):
            raise ValueError("layer %d: %r: Soudry-Carmon's network alternates Linear and "
                             "activation layers and ends with a Linear layer (%s)"
                             % (i, m, ", ".join(desc)))
    if len(layers) % 2 == 0:
        raise ValueError("the model ends with an activation; Soudry-Carmon's output layer "
                         "is linear (a_L = 1)")
    slopes = [_slope(a, dtype, torch, nn) for a in layers[1::2]]
    if len(set(slopes)) != 1:
        raise ValueError("the activations have slopes %s; Soudry-Carmon's network has one "
                         "slope s" % ", ".join(map(repr, slopes)))
    if linears[-1].out_features != 1:
        raise ValueError("the output layer has %d outputs; Soudry-Carmon's network has one "
                         "(dL = 1)" % linears[-1].out_features)
    if _ndim(y) == 2:
        yr = _rows(y, "y")
        if any(len(r) != 1 for r in yr):
            raise ValueError("y: expected shape (N,) or (N, 1)")
        yv = [r[0] for r in yr]
    else:
        yv = _flat(y, "y")
    if len(yv) != N:
        raise ValueError("y has %d targets, X has %d samples" % (len(yv), N))
    E = None
    if dropout is not None:
        if len(dropout) != len(linears) - 1:
            raise ValueError("dropout: expected %d masks (one per hidden layer), got %d"
                             % (len(linears) - 1, len(dropout)))
        E = []
        for l, (M, lin) in enumerate(zip(dropout, linears)):
            Mc = _columns(M, "dropout[%d]" % l)
            if len(Mc) != lin.out_features or any(len(c) != N for c in Mc):
                raise ValueError("dropout[%d]: expected shape (N, d%d) = (%d, %d)"
                                 % (l, l + 1, N, lin.out_features))
            E.append(Mc)
    return vector("mnn", id=id, source=source, X=Xc, y=yv,
                  slope=slopes[0], weights=weights, dropout=E)


def _ndim(a):
    if hasattr(a, "dim") and callable(a.dim):
        return a.dim()
    if hasattr(a, "ndim"):
        return a.ndim
    return 2 if len(a) and hasattr(a[0], "__iter__") else 1


def _flat(a, name):
    mod = type(a).__module__ or ""
    if mod.startswith("torch") and hasattr(a, "detach"):
        return a.detach().cpu().tolist()
    if hasattr(a, "tolist"):
        return a.tolist()
    return list(a)
