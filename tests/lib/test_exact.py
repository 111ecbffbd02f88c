#!/usr/bin/env python3
"""Test of tests/lib/exact.py, the Python tests' reader of exact numbers (ctest unit.exact_py).

Every accepted spelling against the Fraction it denotes, written out by hand here; every
binary float a double holds exactly also against float.fromhex, and every decimal also
against Python's own Fraction(str) (second opinions from code written apart); every
rejected spelling raises NotExact; the size guard raises TooBig before building a number.
Exit 0 pass, 1 fail.
"""
import os
import sys
from fractions import Fraction as F

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import exact  # noqa: E402

ACCEPT = [
    (0, F(0)), (7, F(7)), (-7, F(-7)), (2**63 - 1, F(2**63 - 1)), (-2**63, F(-2**63)),
    (2**200, F(2**200)),
    ("12", F(12)), ("+12", F(12)), ("-12", F(-12)), ("007", F(7)), ("-0", F(0)),
    ("12345678901234567890123", F(12345678901234567890123)),
    ("-3/7", F(-3, 7)), ("+3/7", F(3, 7)), ("6/4", F(3, 2)), ("0/5", F(0)), ("-0/5", F(0)),
    ("-98765432109876543210/3", F(-98765432109876543210, 3)),
    ("0.1", F(1, 10)), ("-0.1", F(-1, 10)), ("+0.25", F(1, 4)), (".5", F(1, 2)),
    ("5.", F(5)), ("-2.5e-3", F(-1, 400)), ("1e-30", F(1, 10**30)), ("1E3", F(1000)),
    ("1e+3", F(1000)), ("2.5e1", F(25)), ("0.0001e4", F(1)), ("123.456e-2", F(123456, 100000)),
    ("1e0", F(1)), ("-0e5", F(0)), ("1e0000000005", F(10**5)), ("-.5E-1", F(-1, 20)),
    ("3.14159", F(314159, 100000)),
    ("0x1.8p-3", F(3, 16)), ("0x10", F(16)), ("-0x10", F(-16)), ("0X1P4", F(16)),
    ("0x.8p1", F(1)), ("0x1.p0", F(1)), ("0xff", F(255)), ("0xAbC.dEp-8", F(0xABCDE, 2**16)),
    ("0x1p-1074", F(1, 2**1074)), ("0x1.fffffffffffffp+1023", F(2**53 - 1) * 2**971),
    ("0x1e3", F(0x1E3)), ("+0x1p0", F(1)), ("0x0.0000001p+28", F(1)), ("-0x1P-1", F(-1, 2)),
    ("0x123456789abcdef0123456789p-200", F(0x123456789ABCDEF0123456789, 2**200)),
    ("0x1p+100000", F(2**100000)), ("1e100", F(10**100)), ("0x0p99999", F(0)),
]

REJECT = ["", " ", " 12", "12 ", "1_000", "+", "-", ".", "e5", "1e", "1e+", "1.2.3", "--1",
          "+-1", "1/", "/2", "1/0", "-3/-7", "3/+7", "1/2/3", "1.5/2", "0x", "0x.", "0xp1",
          "0x1p", "0x1.8q3", "0x1e+3", "0x1g", "x10", "1x10", "0b101", "nan", "NaN", "-nan",
          "inf", "-inf", "Infinity", "+Inf", "nan(0x1)", "\u0661", "1\u0660", "12\n", "0x1p2.5",
          "1e2.5", 0.5, 1e300, float("nan"), float("inf"), True, False, None, [1], {"1": 1}]


def main():
    fails = []
    for spelling, want in ACCEPT:
        try:
            got = exact.value(spelling)
        except exact.NotExact as e:
            fails.append("%r rejected: %s" % (spelling, e))
            continue
        if got != want or type(got) is not F:
            fails.append("%r: %r, want %r" % (spelling, got, want))
        if isinstance(spelling, str):
            low = spelling.lower()
            if "x" in low:   # a second opinion where a double holds the value exactly
                try:
                    d = float.fromhex(spelling)
                except (OverflowError, ValueError):
                    d = None
                if d is not None and F(d) == want and F(d) != got:
                    fails.append("%r: %r, float.fromhex says %r" % (spelling, got, F(d)))
            elif spelling == spelling.strip() and "_" not in spelling:
                if F(spelling) != got:
                    fails.append("%r: %r, Fraction(str) says %r" % (spelling, got, F(spelling)))
    fromhex = sum(1 for s, _ in ACCEPT if isinstance(s, str) and "x" in s.lower())
    for spelling in REJECT:
        try:
            got = exact.value(spelling)
            fails.append("%r accepted as %r" % (spelling, got))
        except exact.NotExact:
            pass
    # the size guard: refused from the spelling, before any big number is built
    for spelling in ("1e999999999", "-0x1p-999999999", "1e1234567890", "9" * 40000,
                     "1/" + "7" * 40000, 2**100001):
        try:
            exact.value(spelling, max_bits=100000)
            fails.append("%s... accepted under max_bits=100000" % str(spelling)[:20])
        except exact.TooBig:
            pass
    for spelling in ("1e30000", "0x1p99999", "2/3"):
        try:
            exact.value(spelling, max_bits=100000)
        except exact.NotExact as e:
            fails.append("%s refused under max_bits=100000: %s" % (spelling, e))
    print("test_exact: %d spellings accepted (%d with a float.fromhex second opinion), %d "
          "rejected, %d failures" % (len(ACCEPT), fromhex, len(REJECT), len(fails)))
    for f in fails:
        print("FAIL", f)
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
