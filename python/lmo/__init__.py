"""lmo from Python: numpy arrays and torch models in, exact vectors out, lmo's verdicts back.

This package only transports. It writes every number exactly (a double as its hex string
``float.hex()``, a Fraction as "p/q"), runs the ``lmo`` program with ``--json`` and returns
what lmo printed, as dicts. It decides nothing numerically: every rank, class and verdict
is lmo's (DESIGN.md, of python/: "it never decides anything numerically").

    >>> import lmo
    >>> r = lmo.rank([[1, 1], [1, 1 + 2**-52]], policy="numpy")
    >>> r["rank"], r["fast"]["numpy"]["rank"], r.failed    # exact 2; numpy's rule says 1
    (2, 1, True)

Entry points:

- ``rank``, ``khatri_rao_rank``, ``mnn``, ``patterns``, ``classify_deep_linear``,
  ``witness``: build the kind's vector from arrays and run lmo's command for it;
- ``compare``: the exact tier beside the float policies (``lmo compare``);
- ``run``: the kind's command on any vector (dict or file);
- ``vector``, ``dumps``, ``write``, ``load``: vectors as dicts and files;
- ``from_torch``: the vector of a torch nn.Sequential (deep linear or leaky-ReLU);
- ``number``, ``hexfloat``, ``fraction``: exact spellings of numbers, both ways;
- ``find_lmo``, ``invoke``: the program itself.

Exit status 1 (a disagreement, a violated statement, a mismatch with expect) is a result:
the returned Result has ``status == 1`` and ``failed``. Exit 2 raises LmoInputError, 3
LmoLimitError (both LmoError), with lmo's one-line message.
numpy and torch are optional: they are imported only by the functions that need them.
"""
import os

from ._numbers import fraction, hexfloat, number
from ._run import (LmoError, LmoInputError, LmoLimitError, LmoNotFoundError, Result, find_lmo,
                   invoke)
from ._torch import from_torch
from ._vector import KINDS, dumps, load, matrix, vector, write

__all__ = ["rank", "khatri_rao_rank", "compare", "run", "mnn", "patterns",
           "classify_deep_linear", "witness", "vector", "dumps", "write", "load", "matrix",
           "from_torch", "number", "hexfloat", "fraction", "find_lmo", "invoke", "Result",
           "LmoError", "LmoInputError", "LmoLimitError", "LmoNotFoundError", "KINDS",
           "COMMANDS"]

# The lmo command that checks each kind (DESIGN.md, "The lmo program").
COMMANDS = {"matrix_rank": "rank", "khatri_rao_rank": "rank", "mnn": "mnn",
            "mnn_patterns": "patterns", "deep_linear": "classify", "witness": "witness",
            "khk": "khk", "nguyen_hein": "nh"}


def _policies(policy):
    if policy is None:
        return []
    if isinstance(policy, str):
        policy = [policy]
    out = []
    for p in policy:
        out += ["--policy", str(p)]
    return out


def _lmo_call(command, vec, policy_args, cert, prime_seed, options):
    if isinstance(vec, dict):
        stdin, target = dumps(vec), "-"
    elif isinstance(vec, (str, os.PathLike)):
        stdin, target = None, os.fspath(vec)
    else:
        raise TypeError("expected a vector (dict) or the path of a vector file, got %s"
                        % type(vec).__name__)
    args = [command, "--json"] + policy_args
    if cert is not None:
        args += ["--cert", os.fspath(cert)]
    if prime_seed is not None:
        args += ["--seed", str(int(prime_seed))]
    args += [str(o) for o in options] + [target]
    results = invoke(args, stdin=stdin)
    if len(results) != 1:
        raise LmoError("lmo %s printed %d JSON objects for one input" % (command, len(results)),
                       results[0].status if results else None)
    return results[0]


def run(vec, policy=None, *, cert=None, prime_seed=None, options=()):
    """Run lmo on one vector with the command of its kind; return lmo's JSON as a Result.

    ``vec`` is a vector dict (lmo.vector, lmo.from_torch) or the path of a vector file.
    The command is the kind's (COMMANDS: ``rank``, ``mnn``, ``patterns``, ``classify``,
    ``witness``); with ``policy`` (a name such as "numpy", "qrcp", "abs:1e-10", "rel:1e-8",
    or a list of them) it is ``lmo compare`` instead, and the Result has ``fast.<policy>``
    and ``agree``. ``cert``: a path where lmo writes the certificate (``--cert``).
    ``prime_seed``: lmo's ``--seed`` (only the certificate's primes depend on it).
    ``options``: further command-line options, e.g. ``["--max-dim", 2000]`` or
    ``["--corollary6"]`` for mnn.

    The Result's keys are lmo's: the verdict members as in the kind's ``expect`` (``rank``,
    ``class``, ...), ``report`` (theorem outcomes with reasons), ``info``, and ``expect``
    (``matches``, ``problems``) when the vector has an expect. ``status`` is 1 when lmo's
    check failed. Raises LmoInputError (exit 2) and LmoLimitError (exit 3).
    """
    if isinstance(vec, dict):
        kind = vec.get("kind")
    elif isinstance(vec, (str, os.PathLike)):
        try:
            kind = load(vec).get("kind")
        except (OSError, ValueError, AttributeError):
            kind = None   # unreadable: lmo says why, naming the file (LmoInputError)
    else:
        raise TypeError("expected a vector (dict) or the path of a vector file, got %s"
                        % type(vec).__name__)
    if policy is not None:
        return _lmo_call("compare", vec, _policies(policy), cert, prime_seed, options)
    command = COMMANDS.get(kind)
    if command is None:   # lmo names the bad kind (exit 2) better than a guess here
        command = "rank"
    return _lmo_call(command, vec, [], cert, prime_seed, options)


def compare(x, policy=None, *, cert=None, prime_seed=None, options=()):
    """``lmo compare``: the exact verdict beside each float policy's decision, every
    disagreement explained.

    ``x`` is a vector dict, the path of a vector file, or a 2-D array (then a matrix_rank
    vector of it). ``policy``: a policy name or a list ("numpy", "qrcp", "abs:T", "rel:R");
    None gives lmo's default (numpy and qrcp). Result: the exact verdict members,
    ``fast.<policy>`` (decision, ``agree``, ``disagreements``, the doubles behind them as
    hex strings) and ``agree``; ``status`` 1 and ``failed`` when a policy disagrees.
    ``cert``, ``prime_seed``, ``options`` as for run.
    """
    if not isinstance(x, (dict, str, os.PathLike)):
        x = vector("matrix_rank", M=x)
    return _lmo_call("compare", x, _policies(policy), cert, prime_seed, options)


def rank(array, policy=None, **kw):
    """The certified exact rank of a matrix (``lmo rank``; with ``policy``, ``lmo compare``).

    ``array``: numpy array, torch tensor or list of rows; entries exactly as given (doubles
    as their exact binary value, Fractions, ints, or exact strings like "1/3", "0.1").
    Result keys: ``rank``, ``full_column_rank``, ``info`` (rows, cols, the certificate's
    prime); with ``policy`` also ``fast.<policy>.rank`` and ``agree``, and ``status`` 1 when
    a policy's rank is wrong. Keyword arguments as for run.
    """
    return run(vector("matrix_rank", M=array), policy, **kw)


def khatri_rao_rank(A, X, policy=None, **kw):
    """The certified rank of the Khatri-Rao product G = A o X (Soudry-Carmon (4.4)):
    A is d1 x N, X is d0 x N (samples as columns), column n of G is a^(n) (x) x^(n)."""
    return run(vector("khatri_rao_rank", A=A, X=X), policy, **kw)


def classify_deep_linear(weights, X, Y, policy=None, **kw):
    """Kawaguchi 2016: the exact class of the point ``weights`` of a deep linear network
    (``lmo classify``): ``class`` (not_critical, global_min, strict_saddle, bad_saddle,
    local_min_not_global, local_max, unknown), ``critical``, ``loss``,
    ``global_min_value``, ``hessian_inertia``, ``hypotheses``, ``rank_WH_W2``, ``p``, and
    ``report.theorems`` (Theorem 2.3 (i)-(iv), Corollaries 2.4, 3.2, Lemmas 4.4-4.6).

    Paper orientation: X is dx x m and Y is dy x m (samples as columns), weights
    [W1 ... W(H+1)] with Wk of size dk x d(k-1) (torch's nn.Linear weight layout); the loss
    is 1/2 ||W(H+1)...W1 X - Y||_F^2. For a torch model use lmo.from_torch, which
    transposes X and Y. With ``policy``, ``lmo compare``.
    """
    return run(vector("deep_linear", X=X, Y=Y, weights=weights), policy, **kw)


def mnn(weights, X, y, slope, dropout=None, layer=None, policy=None, **kw):
    """Soudry-Carmon 2016: the network at ``weights`` exactly (``lmo mnn``): forward pass,
    ``pattern``, ``differentiable``, ranks of G_l, ``gradient``, ``critical``, ``loss`` (the
    MSE |e|^2 / (2N)), Lemma 1's minimiser, and ``report.theorems`` (Lemma 1, Lemma 3,
    Theorems 4 and 5).

    X is d0 x N (samples as columns), y has N entries, weights [W1 ... WL] with Wl of size
    dl x d(l-1) and dL = 1, ``slope`` the leaky-ReLU slope s, ``dropout`` [E1 ... E(L-1)]
    with El of size dl x N. For a torch model use lmo.from_torch. With ``policy``,
    ``lmo compare``.
    """
    return run(vector("mnn", X=X, y=y, slope=slope, weights=weights, dropout=dropout,
                      layer=layer), policy, **kw)


def patterns(X, slope, width, mode="exhaustive", dropout=None, count=None, seed=None,
             policy=None, **kw):
    """Soudry-Carmon Lemma 3 over activation patterns (``lmo patterns``): the rank of
    A1^p o X for the patterns of ``mode`` ("exhaustive", "sampled" with ``count`` and
    ``seed``, "realizable"), with ``deficient`` patterns listed and certified.
    X is d0 x N, ``width`` is d1, ``dropout`` E1 is d1 x N. ``seed`` is the vector's
    sampling seed; lmo's prime seed is ``prime_seed``. With ``policy``, ``lmo compare``.
    """
    return run(vector("mnn_patterns", X=X, slope=slope, width=width, mode=mode,
                      dropout=dropout, count=count, seed=seed), policy, **kw)


def witness(widths, N, policy=None, **kw):
    """Soudry-Carmon Lemma 8: the witness point (B.3)-(B.6) for widths [d0 ... dL] and N
    samples, built and verified by ``lmo witness`` (``G_identity``, ``rank``,
    ``full_column_rank``, ``witness``). With ``policy``, ``lmo compare``."""
    return run(vector("witness", widths=widths, N=N), policy, **kw)
