"""Vectors: the lmo-vector/1 JSON object of DESIGN.md, built from arrays without rounding.

Every matrix is written as {"rows": m, "cols": n, "data": [[row 0], ...]} (row-major), every
number by lmo._numbers.number (a double as its exact hex string, a Fraction as "p/q").
Arrays are taken in the orientation of the kind's paper, as they are: nothing here
transposes or guesses (lmo.from_torch does the conversion from torch's layout, and says so).
"""
import hashlib
import json
import numbers
import os
import re

from ._numbers import hexfloat, number

__all__ = ["KINDS", "vector", "dumps", "write", "load", "matrix", "numbers_list"]

_MAT, _MATS, _VEC, _NUM, _INT, _INTS, _STR, _STRS = "matrix", "matrices", "vector", "number", \
    "integer", "integers", "string", "strings"
_VECS, _OBJ = "vectors", "object"

# Each kind's `input` fields (DESIGN.md kinds table; the readers in oracle/src): name ->
# (type, required). Orientation is each paper's: columns of X are samples (Soudry-Carmon,
# Kawaguchi 2016), rows are samples in khk (Kawaguchi-Huang-Kaelbling 2019) and nguyen_hein.
KINDS = {
    "matrix_rank": {"M": (_MAT, True)},
    "khatri_rao_rank": {"A": (_MAT, True), "X": (_MAT, True)},
    "mnn": {"X": (_MAT, True), "y": (_VEC, True), "slope": (_NUM, True),
            "weights": (_MATS, True), "dropout": (_MATS, False), "layer": (_INT, False)},
    "mnn_patterns": {"X": (_MAT, True), "slope": (_NUM, True), "width": (_INT, True),
                     "dropout": (_MAT, False), "mode": (_STR, False), "count": (_INT, False),
                     "seed": (_INT, False)},
    "deep_linear": {"X": (_MAT, True), "Y": (_MAT, True), "weights": (_MATS, True)},
    "witness": {"widths": (_INTS, True), "N": (_INT, True)},
    "khk": {"X": (_MAT, True), "Y": (_MAT, True), "weights": (_MATS, True),
            "activations": (_STRS, True)},
    "nguyen_hein": {"X": (_MAT, True), "Y": (_MAT, True), "activation": (_STR, True),
                    "alpha": (_NUM, False), "weights": (_MATS, True), "biases": (_VECS, True),
                    "k": (_INT, False), "loss": (_STR, False), "construction": (_OBJ, False)},
}

_ID = re.compile(r"[a-z0-9-]+")


def _rows(a, name):
    """The rows of a 2-D array-like as lists of scalars (torch, numpy, nested sequences)."""
    mod = type(a).__module__ or ""
    if mod.startswith("torch") and hasattr(a, "detach"):
        if a.dim() != 2:
            raise ValueError("%s: expected a 2-D tensor, got %d-D" % (name, a.dim()))
        if a.is_complex():
            raise TypeError("%s: a complex tensor has no exact rational entries" % name)
        # tolist() gives Python floats, exact for float16/bfloat16/32/64 (all doubles)
        return a.detach().cpu().tolist()
    if hasattr(a, "ndim") and hasattr(a, "tolist"):   # numpy arrays and the like
        if a.ndim != 2:
            raise ValueError("%s: expected a 2-D array, got %d-D" % (name, a.ndim))
        return a.tolist()   # longdouble entries stay numpy scalars: number() keeps their bits
    if isinstance(a, dict) and "data" in a:   # a JSON matrix, e.g. from a loaded vector
        a = a["data"]
    if isinstance(a, (str, bytes)) or not hasattr(a, "__iter__"):
        raise TypeError("%s: expected a matrix (2-D array, tensor or list of rows), got %s"
                        % (name, type(a).__name__))
    rows = [list(r) if hasattr(r, "__iter__") and not isinstance(r, str) else None for r in a]
    if any(r is None for r in rows):
        raise ValueError("%s: expected a list of rows (a 2-D array)" % name)
    return rows


def matrix(a, name="matrix"):
    """The JSON matrix {"rows", "cols", "data"} of a 2-D array-like, entries exact.

    ``a`` is a numpy array, a torch tensor, a list of rows or a JSON matrix (its ``data``
    is used; the shape is recounted); entries are converted by
    lmo.number (doubles as hex strings, Fractions as "p/q", ints as ints). Ragged rows raise
    ValueError naming ``name``.
    """
    rows = _rows(a, name)
    cols = len(rows[0]) if rows else 0
    data = []
    for i, r in enumerate(rows):
        if len(r) != cols:
            raise ValueError("%s: row %d has %d entries, row 0 has %d" % (name, i, len(r), cols))
        try:
            data.append([number(x) for x in r])
        except (TypeError, ValueError) as e:
            raise type(e)("%s: row %d: %s" % (name, i, e)) from None
    return {"rows": len(rows), "cols": cols, "data": data}


def numbers_list(v, name="vector"):
    """The JSON list of a 1-D array-like (numpy, torch, sequence), entries exact."""
    mod = type(v).__module__ or ""
    if mod.startswith("torch") and hasattr(v, "detach"):
        if v.dim() != 1:
            raise ValueError("%s: expected a 1-D tensor, got %d-D" % (name, v.dim()))
        v = v.detach().cpu().tolist()
    elif hasattr(v, "ndim") and hasattr(v, "tolist"):
        if v.ndim != 1:
            raise ValueError("%s: expected a 1-D array, got %d-D" % (name, v.ndim))
        v = v.tolist()
    elif isinstance(v, (str, bytes)) or not hasattr(v, "__iter__"):
        raise TypeError("%s: expected a 1-D array or sequence, got %s" % (name, type(v).__name__))
    try:
        return [number(x) for x in v]
    except (TypeError, ValueError) as e:
        raise type(e)("%s: %s" % (name, e)) from None


def _integer(x, name):
    if isinstance(x, bool) or not isinstance(x, numbers.Integral):
        raise TypeError("%s: expected an integer, got %r" % (name, x))
    return int(x)


def _field(kind, name, typ, value):
    path = "%s.%s" % (kind, name)
    if typ == _MAT:
        return matrix(value, path)
    if typ == _MATS:
        if isinstance(value, (str, bytes)) or not hasattr(value, "__iter__"):
            raise TypeError("%s: expected a list of matrices" % path)
        return [matrix(m, "%s[%d]" % (path, i)) for i, m in enumerate(value)]
    if typ == _VEC:
        return numbers_list(value, path)
    if typ == _NUM:
        return number(value)
    if typ == _INT:
        return _integer(value, path)
    if typ == _INTS:
        return [_integer(x, "%s[%d]" % (path, i)) for i, x in enumerate(value)]
    if typ == _STR:
        if not isinstance(value, str):
            raise TypeError("%s: expected a string, got %r" % (path, value))
        return value
    if typ == _VECS:   # nguyen_hein's biases b_1 .. b_L
        if isinstance(value, (str, bytes)) or not hasattr(value, "__iter__"):
            raise TypeError("%s: expected a list of vectors" % path)
        return [numbers_list(b, "%s[%d]" % (path, i)) for i, b in enumerate(value)]
    if typ == _OBJ:    # nguyen_hein's construction record {statement, alpha}: lmo checks it
        if not isinstance(value, dict):
            raise TypeError("%s: expected an object, got %r" % (path, value))
        return {k: (number(x) if k == "alpha" else x) for k, x in value.items()}
    if typ == _STRS:   # khk's activations, one per hidden layer: "relu", "leaky:1/10", "abs"
        if isinstance(value, str) or not all(isinstance(x, str) for x in value):
            raise TypeError("%s: expected a list of strings, got %r" % (path, value))
        return list(value)
    raise AssertionError(typ)


def _canonical(obj):
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def vector(kind, *, id=None, source=None, **fields):
    """The lmo-vector/1 dict of kind ``kind`` with input ``fields``, every number exact.

    Kinds and their fields (DESIGN.md; the paper's orientation, nothing is transposed):

    - ``matrix_rank``: ``M`` (m x n).
    - ``khatri_rao_rank``: ``A`` (d1 x N), ``X`` (d0 x N); lmo ranks G = A o X (Soudry-
      Carmon (4.4)), whose column n is a^(n) (x) x^(n).
    - ``mnn`` (Soudry-Carmon section 3): ``X`` (d0 x N, columns are samples), ``y`` (N),
      ``slope`` s, ``weights`` [W1 ... WL] with Wl of size dl x d(l-1) and dL = 1; optional
      ``dropout`` [E1 ... E(L-1)], El of size dl x N; optional ``layer``.
    - ``mnn_patterns`` (Lemma 3): ``X`` (d0 x N), ``slope``, ``width`` d1; optional
      ``dropout`` E1 (d1 x N), ``mode`` ("exhaustive", "sampled", "realizable"), ``count``,
      ``seed``.
    - ``deep_linear`` (Kawaguchi 2016 section 2): ``X`` (dx x m), ``Y`` (dy x m),
      ``weights`` [W1 ... W(H+1)], Wk of size dk x d(k-1).
    - ``witness`` (Soudry-Carmon Lemma 8): ``widths`` [d0 ... dL], ``N``.

    Matrices may be numpy arrays, torch tensors or lists of rows; numbers are converted by
    lmo.number. ``id`` ([a-z0-9-]+) defaults to "py-KIND-" and 12 hex digits of the
    input's SHA-256, so the same input gets the same id; ``source`` defaults to a note that
    this package wrote it. Unknown or missing fields raise TypeError; shapes are checked by
    lmo when it reads the vector (LmoInputError naming the field).
    """
    if kind not in KINDS:
        raise ValueError("unknown kind %r (kinds: %s)" % (kind, ", ".join(sorted(KINDS))))
    spec = KINDS[kind]
    unknown = sorted(set(fields) - set(spec))
    if unknown:
        raise TypeError("%s: unknown input field(s) %s (fields: %s)"
                        % (kind, ", ".join(unknown), ", ".join(spec)))
    missing = [f for f, (_, req) in spec.items() if req and fields.get(f) is None]
    if missing:
        raise TypeError("%s: missing input field(s) %s" % (kind, ", ".join(missing)))
    inp = {}
    for name, (typ, _) in spec.items():
        if fields.get(name) is not None:
            inp[name] = _field(kind, name, typ, fields[name])
    if id is None:
        id = "py-%s-%s" % (kind.replace("_", "-"),
                           hashlib.sha256(_canonical(inp).encode()).hexdigest()[:12])
    elif not isinstance(id, str) or not _ID.fullmatch(id):
        raise ValueError("id %r: must be a non-empty string of [a-z0-9-]" % (id,))
    if source is None:
        source = "lmo Python package: lmo.vector(%r)" % kind
    return {"format": "lmo-vector/1", "kind": kind, "id": id, "source": source, "input": inp}


def _exact_tree(obj):
    # A float anywhere (a hand-edited vector) is written as its exact hex string, never as
    # a JSON real: lmo refuses those, and their text would round anyway.
    if isinstance(obj, dict):
        return {k: _exact_tree(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_exact_tree(v) for v in obj]
    if isinstance(obj, float):
        return hexfloat(obj)
    if isinstance(obj, (str, int)) or obj is None:   # bool is an int
        return obj
    return number(obj)


def dumps(vec, indent=None):
    """The JSON text of a vector (or any dict), every number exact: floats anywhere are
    written as hex strings, Fractions as "p/q", never as JSON reals."""
    return json.dumps(_exact_tree(vec), indent=indent, ensure_ascii=True)


def write(vec, path, indent=2):
    """Write a vector to ``path`` as JSON (lmo.dumps), with a final newline."""
    with open(os.fspath(path), "w", encoding="utf-8") as f:
        f.write(dumps(vec, indent=indent) + "\n")


def load(path):
    """Read a vector (or any JSON file) as a dict; numbers stay exact spellings."""
    with open(os.fspath(path), encoding="utf-8") as f:
        return json.load(f)
