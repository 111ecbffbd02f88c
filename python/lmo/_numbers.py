"""Exact numbers in, exact numbers out: the spelling of every number lmo reads or writes.

DESIGN.md, "Numbers": a number in a vector is a JSON integer within int64 or a JSON string
that spells it exactly -- "-3/7", "0.1" (exactly 1/10), "0x1.8p-3" (a binary float). This
module turns Python, numpy and torch scalars into such spellings without rounding anything,
and reads lmo's spellings back into Fractions. It never compares or rounds a number.
"""
import math
import numbers
import re
from decimal import Decimal
from fractions import Fraction

__all__ = ["number", "fraction", "hexfloat"]

_INT64_MIN, _INT64_MAX = -(2 ** 63), 2 ** 63 - 1


def hexfloat(x):
    """The exact hex spelling of a finite double, e.g. 0.1 -> "0x1.999999999999ap-4".

    ``float.fromhex(hexfloat(x)) == x`` for every finite double, subnormals and -0.0
    included (float.hex() writes every bit of the significand). NaN and infinities have no
    rational value and raise ValueError.
    """
    x = float(x)
    if not math.isfinite(x):
        raise ValueError("%r has no exact rational value (NaN and infinities are not numbers "
                         "in a vector)" % x)
    return x.hex()


def _fraction_spelling(q):
    # An integer stays an integer (a JSON integer within int64, else its decimal string);
    # anything else is "p/q" in lowest terms, which Fraction already keeps.
    if q.denominator == 1:
        n = q.numerator
        return n if _INT64_MIN <= n <= _INT64_MAX else str(n)
    return "%d/%d" % (q.numerator, q.denominator)


def number(x):
    """The exact JSON spelling of one number: an int, or a string lmo reads exactly.

    - ``int`` (and numpy/torch integer scalars): itself when it fits int64, else its
      decimal string ("12345678901234567890").
    - ``float`` (and numpy float16/32/64, whose values are all doubles): its exact hex
      string, ``float.hex()`` ("0x1.999999999999ap-4" for 0.1, "-0x0.0p+0" for -0.0).
    - numpy ``longdouble`` (wider than a double): "p/q" from ``as_integer_ratio()``, so no
      bit is lost.
    - ``Fraction``, ``Decimal`` and other ``numbers.Rational``: "p/q" (an integer stays an
      integer).
    - ``str``: passed through unchanged; lmo checks its spelling ("1/3", "0.1", "1e-30",
      "0x1.8p-3") and reports a bad one as an input error.
    - a 0-d torch tensor: its ``item()``, as above.

    bool, complex, NaN, infinities and anything else raise TypeError or ValueError: they
    have no exact rational value.
    """
    if isinstance(x, bool) or type(x).__name__ == "bool_":
        raise TypeError("a bool is not a number in a vector: %r" % (x,))
    if isinstance(x, str):
        return x
    if (type(x).__module__ or "").startswith("torch") and hasattr(x, "item"):
        if x.numel() != 1 or x.dim() != 0:
            raise TypeError("a tensor of shape %s is not one number" % (tuple(x.shape),))
        return number(x.item())   # item() is a Python float or int, exact for every dtype
    if isinstance(x, Fraction):
        return _fraction_spelling(x)
    if isinstance(x, numbers.Integral):
        n = int(x)
        return n if _INT64_MIN <= n <= _INT64_MAX else str(n)
    if isinstance(x, float):   # Python float (numpy float64 is a subclass)
        return hexfloat(x)
    if isinstance(x, Decimal):
        if not x.is_finite():
            raise ValueError("%r has no exact rational value" % x)
        return _fraction_spelling(Fraction(x))
    if isinstance(x, numbers.Rational):
        return _fraction_spelling(Fraction(x.numerator, x.denominator))
    # numpy scalars that are not Python floats: float16 and float32 values are doubles, so
    # float(x) is exact; a longdouble is wider, and as_integer_ratio() keeps every bit.
    if isinstance(x, numbers.Real) and hasattr(x, "as_integer_ratio"):
        if getattr(x, "itemsize", 8) <= 8:
            return hexfloat(float(x))
        try:
            p, q = x.as_integer_ratio()
        except (OverflowError, ValueError):
            raise ValueError("%r has no exact rational value (NaN and infinities are not "
                             "numbers in a vector)" % (x,)) from None
        return _fraction_spelling(Fraction(p, q))
    if isinstance(x, numbers.Complex):
        raise TypeError("a complex number is not a number in a vector: %r" % (x,))
    raise TypeError("not a number: %r (%s)" % (x, type(x).__name__))


_FRAC = re.compile(r"([+-]?)([0-9]+)/([0-9]+)")
_HEX = re.compile(r"([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?(?:[pP]([+-]?[0-9]+))?")
_DEC = re.compile(r"[+-]?[0-9]*\.?[0-9]*(?:[eE][+-]?[0-9]+)?")


def fraction(v):
    """The Fraction an exact number of lmo's output denotes: an int or a string spelling.

    Reads "p/q", decimal ("0.1", "1e-30": exact base ten) and hex-float ("0x1.8p-3")
    spellings, as lmo writes them in ``--json`` output and vectors. A Python float or bool
    raises TypeError: it is not an exact spelling. This only reads numbers; lmo decides.
    """
    if isinstance(v, bool) or isinstance(v, float):
        raise TypeError("not an exact number spelling: %r" % (v,))
    if isinstance(v, int):
        return Fraction(v)
    if not isinstance(v, str):
        raise TypeError("not an exact number spelling: %r" % (v,))
    m = _FRAC.fullmatch(v)
    if m:
        if int(m.group(3)) == 0:
            raise ValueError("zero denominator: %r" % v)
        q = Fraction(int(m.group(2)), int(m.group(3)))
        return -q if m.group(1) == "-" else q
    body = v.lstrip("+-")
    if body[:2].lower() == "0x":
        # float.fromhex would round a spelling longer than 53 bits: read it exactly
        m = _HEX.fullmatch(v)
        if not m or not (m.group(2) or m.group(3)):
            raise ValueError("not an exact number spelling: %r" % v)
        fp = m.group(3) or ""
        mant = int((m.group(2) or "0") + fp, 16)
        e = int(m.group(4) or 0) - 4 * len(fp)
        q = Fraction(mant * 2 ** e) if e >= 0 else Fraction(mant, 2 ** -e)
        return -q if m.group(1) == "-" else q
    if not _DEC.fullmatch(v) or not any(c.isdigit() for c in v):
        raise ValueError("not an exact number spelling: %r" % v)
    return Fraction(Decimal(v))   # exact: a Decimal holds the spelling's digits as they are

