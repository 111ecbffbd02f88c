"""Exact numbers out (ctest python.hex): every double the package writes reads back as the
same double -- float.fromhex(s) == x with the sign of zero, and the exact reader of
tests/lib/exact.py gives Fraction(x) -- for random bit patterns (normal, subnormal, huge),
the edge values, and numbers that are not doubles (Fractions, big ints, Decimal). Then lmo
reads them: the exact kernel vector in lmo's certificate for the matrix [x, 1] is
[-1/x, 1], so lmo got the very value. Standard library only.
"""
import json
import math
import os
import random
import struct
import tempfile
from decimal import Decimal
from fractions import Fraction

from harness import check, exact, finish, raises

import lmo

rng = random.Random(20)


def from_bits(b):
    return struct.unpack("<d", struct.pack("<Q", b))[0]


EDGES = [0.0, -0.0, 1.0, -1.0, 0.1, 1 / 3, 5e-324, -5e-324, 2.2250738585072014e-308,
         math.nextafter(2.2250738585072014e-308, 0), 1.7976931348623157e308,
         -1.7976931348623157e308, 2.0 ** -1022, 2.0 ** 1023, 1 + 2 ** -52, 1e300, 1e-300,
         9007199254740993.0]
doubles = list(EDGES)
while len(doubles) < 3000:
    kind = rng.randrange(3)
    if kind == 0:     # any finite bit pattern
        b = rng.getrandbits(64)
    elif kind == 1:   # subnormal: exponent bits 0
        b = (rng.getrandbits(1) << 63) | rng.getrandbits(52)
    else:             # huge or tiny normal
        e = rng.choice([1, 2, 3, 2045, 2046])
        b = (rng.getrandbits(1) << 63) | (e << 52) | rng.getrandbits(52)
    x = from_bits(b)
    if math.isfinite(x):
        doubles.append(x)

bad = 0
for x in doubles:
    s = lmo.number(x)
    ok = isinstance(s, str) and float.fromhex(s) == x \
        and math.copysign(1, float.fromhex(s)) == math.copysign(1, x) \
        and exact.value(s) == Fraction(x) and lmo.fraction(s) == Fraction(x)
    if not ok:
        bad += 1
        if bad <= 5:
            check(False, "double %r written as %r does not read back" % (x, s))
check(bad == 0, "%d of %d doubles round-trip exactly" % (len(doubles) - bad, len(doubles)))
check(lmo.number(0.1) == "0x1.999999999999ap-4", "0.1 is written 0x1.999999999999ap-4")
check(lmo.number(-0.0) == "-0x0.0p+0", "-0.0 keeps its sign")

# numbers that are not doubles stay exact
check(lmo.number(Fraction(-6, 4)) == "-3/2", "Fraction -6/4 -> -3/2")
check(lmo.number(Fraction(5, 1)) == 5, "an integral Fraction is an integer")
check(lmo.number(2 ** 63 - 1) == 2 ** 63 - 1, "int64 max stays a JSON integer")
check(lmo.number(2 ** 63) == "9223372036854775808", "beyond int64: a decimal string")
check(lmo.number(-2 ** 200) == str(-2 ** 200), "a big negative integer as a string")
check(exact.value(lmo.number(Decimal("0.1"))) == Fraction(1, 10), "Decimal 0.1 is exactly 1/10")
check(lmo.number("1/3") == "1/3", "strings pass through for lmo to read")
for v in (math.nan, math.inf, -math.inf):
    raises(ValueError, lambda: lmo.number(v), "%r is refused" % v)
raises(TypeError, lambda: lmo.number(True), "a bool is refused")
raises(TypeError, lambda: lmo.number(1j), "a complex is refused")
raises(TypeError, lambda: lmo.fraction(0.5), "fraction() refuses a float (not exact text)")

# dumps never writes a JSON real, even for floats put into a vector by hand
v = lmo.vector("matrix_rank", M=[[1]])
v["input"]["M"]["data"][0][0] = 0.1
check('"0x1.999999999999ap-4"' in lmo.dumps(v), "dumps writes a hand-put float as hex")

# lmo reads the very value: the certificate of rank [x, 1] = 1 has the exact kernel vector
# [-1/x, 1] (for x = 0: [1, 0]), so -1/k0 must be Fraction(x), to the last bit
with tempfile.TemporaryDirectory() as tmp:
    cert = os.path.join(tmp, "c.json")
    for x in EDGES + rng.sample(doubles, 60):
        r = lmo.rank([[x, 1]], cert=cert)
        with open(cert) as f:
            kernel = json.load(f)["kernel"]["vectors"]
        if x == 0:
            got = kernel == [[1, 0]]
        else:
            got = len(kernel) == 1 and exact.value(kernel[0][1]) == 1 \
                and -1 / exact.value(kernel[0][0]) == Fraction(x)
        check(r["rank"] == 1 and got, "lmo read %r exactly (kernel %.60s)" % (x, kernel))
finish("python.hex")
