"""exact.py -- the one reader of exact numbers for lmo's Python tests (issue 18).

DESIGN.md, "Numbers": a number in a vector or a certificate is a JSON integer or a JSON
string, each string spelling exact:

    integer        "12", "-7", "007"
    fraction       "-3/7", "6/4"                  (decimal digits / non-zero decimal digits)
    decimal        "0.1", ".5", "5.", "-2.5e-3", "1E+3"           (exact, base ten)
    binary float   "0x1.8p-3", "0x10", "0X.8P1", "-0x1p-1074"    (exact, base two)

each with an optional leading "+" or "-", nothing else: no spaces, no "_", no NaN or
infinity, no empty mantissa ("." "0x" "e5"), no empty exponent ("1e" "0x1p"). A JSON real
(Python float: its text is lost by the parser), a bool or null is not a number either.
The grammar is the one oracle/src/core/numbers.c and proofs/number.c accept, written here
apart from both.

    value(v, max_bits=None)   Fraction of a JSON value (int or str)
    parse(s, max_bits=None)   Fraction of a string spelling
    NotExact                  raised for anything else (a ValueError; str() says why)
    TooBig                    raised, with max_bits, for a number of more than about
                              max_bits bits, found from the spelling before the number is
                              built ("1e999999999" costs nothing); and always for an
                              exponent of more than 9 digits. A NotExact too.

Used by tests/checker (checker_tests.py, cert_tests.py, dlref.py), tests/fuzz (truth.py,
test_truth.py) and scripts/score-clients. Its own test: tests/lib/test_exact.py (ctest
unit.exact_py). examples/float-client/numpy_rank.py keeps a copy: it is a user's program
and stands alone.
"""
import math
import re
from fractions import Fraction

__all__ = ["value", "parse", "NotExact", "TooBig"]

_SIGN = r"(?P<sign>[+-]?)"
_FRAC = re.compile(_SIGN + r"(?P<num>[0-9]+)/(?P<den>[0-9]+)", re.ASCII)
_HEX = re.compile(_SIGN + r"0[xX](?P<ip>[0-9a-fA-F]*)(?:\.(?P<fp>[0-9a-fA-F]*))?"
                  r"(?:[pP](?P<exp>[+-]?[0-9]+))?", re.ASCII)
_DEC = re.compile(_SIGN + r"(?P<ip>[0-9]*)(?:\.(?P<fp>[0-9]*))?(?:[eE](?P<exp>[+-]?[0-9]+))?",
                  re.ASCII)


class NotExact(ValueError):
    """Not an exact number of DESIGN.md's format."""


class TooBig(NotExact):
    """An exact number beyond the size the caller allows (max_bits)."""


def _short(s, n=40):
    s = "".join(c if 32 <= ord(c) < 127 else "?" for c in s)
    return repr(s if len(s) <= n else s[:n] + "...")


def value(v, max_bits=None):
    """The Fraction a JSON value denotes: an int (not a bool) or a string spelling."""
    if type(v) is int:  # not bool, a subclass of int
        if max_bits is not None and v.bit_length() > max_bits:
            raise TooBig("integer of %d bits, beyond %d" % (v.bit_length(), max_bits))
        return Fraction(v)
    if isinstance(v, str):
        return parse(v, max_bits)
    if isinstance(v, float):
        raise NotExact("unquoted JSON real %r: quote it as an exact string" % v)
    raise NotExact("not a number: %s" % _short(repr(v)))


def parse(s, max_bits=None):
    """The Fraction a string spelling denotes."""
    if not isinstance(s, str):
        raise NotExact("not a string: %s" % _short(repr(s)))
    if max_bits is not None and len(s) > max_bits // 3 + 64:
        raise TooBig("a spelling of %d characters, beyond %d bits" % (len(s), max_bits))
    m = _FRAC.fullmatch(s)
    if m:
        num, den = int(m["num"]), int(m["den"])
        if den == 0:
            raise NotExact("zero denominator: %s" % _short(s))
        if max_bits is not None and max(num.bit_length(), den.bit_length()) > max_bits:
            raise TooBig("a fraction beyond %d bits: %s" % (max_bits, _short(s)))
        return Fraction(-num if m["sign"] == "-" else num, den)
    hexa = s.lstrip("+-")[:2].lower() == "0x"
    m = (_HEX if hexa else _DEC).fullmatch(s)
    if m is None:
        raise NotExact("not a number: %s" % _short(s))
    ip, fp, ex = m["ip"], m["fp"] or "", m["exp"]
    if not ip and not fp:
        raise NotExact("no digits: %s" % _short(s))
    if ex is not None and len(ex.lstrip("+-").lstrip("0")) > 9:
        raise TooBig("exponent of more than 9 digits: %s" % _short(s))
    base, digit_bits = (2, 4) if hexa else (10, 1)
    e = (int(ex) if ex is not None else 0) - digit_bits * len(fp)   # value = mant * base^e
    mant = int((ip or "0") + fp, 16 if hexa else 10)
    if mant == 0:
        return Fraction(0)
    if max_bits is not None and mant.bit_length() + abs(e) * math.log2(base) > max_bits:
        raise TooBig("a number of about %d bits, beyond %d: %s"
                     % (mant.bit_length() + abs(e) * math.log2(base), max_bits, _short(s)))
    v = Fraction(mant * base ** e) if e >= 0 else Fraction(mant, base ** -e)
    return -v if m["sign"] == "-" else v
