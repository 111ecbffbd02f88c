"""Every kind's input fields, as the package writes them (ctest python.corpus).

For two vectors of each family of the golden corpus, the input is read here into Python
numbers (Fractions, via tests/lib/exact.py), rebuilt with lmo.vector -- so lmo gets the
package's spelling ("p/q", never the corpus's own text) -- and must (1) denote the same
numbers as the corpus input, field by field, (2) validate against
vectors/schema/lmo-vector-1.schema.json, and (3) give, run by lmo with the corpus's expect
attached, expect.matches true: the same exact verdict as the golden vector. A field put in
the wrong place or orientation changes the verdict or is refused. The same once more with
every dyadic number handed over as a Python float (written as hex). Needs jsonschema
(python3-jsonschema; exit 77 without it).
"""
import glob
import json
import os
import re
from fractions import Fraction

from harness import SRC, check, exact, finish, need

jsonschema = need("jsonschema")

import lmo  # noqa: E402

schema = json.load(open(os.path.join(SRC, "vectors", "schema", "lmo-vector-1.schema.json")))
validator = jsonschema.Draft202012Validator(schema)


def rows(m, as_float):
    def num(x):
        q = exact.value(x)
        # a dyadic rational of at most 53 bits is a double: hand it over as one
        if as_float and q.denominator & (q.denominator - 1) == 0 and Fraction(float(q)) == q:
            return float(q)
        return q
    return [[num(x) for x in row] for row in m["data"]]


def python_fields(kind, inp, as_float=False):
    out = {}
    for name, value in inp.items():
        typ = lmo.KINDS[kind][name][0]
        if typ == "matrix":
            # mnn_patterns also accepts [E1] for dropout: the package writes E1 itself
            if isinstance(value, list):
                value = value[0]
            out[name] = rows(value, as_float)
        elif typ == "matrices":
            out[name] = [rows(m, as_float) for m in value]
        elif typ == "vector":
            out[name] = [exact.value(x) for x in value]
        elif typ == "vectors":
            out[name] = [[exact.value(x) for x in b] for b in value]
        elif typ == "number":
            out[name] = exact.value(value)
        else:
            out[name] = value
    return out


def same_numbers(a, b):
    """a and b (JSON values) denote the same numbers, spelling aside."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same_numbers(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same_numbers(x, y) for x, y in zip(a, b))
    if isinstance(a, str) and isinstance(b, str) and not re.match(r"^[+-]?[0-9.x]", a):
        return a == b   # a word (mode)
    try:
        return exact.value(a) == exact.value(b)
    except exact.NotExact:
        return a == b


files = sorted(glob.glob(os.path.join(SRC, "vectors", "corpus", "*.json")))
families = {}
for f in files:
    families.setdefault(re.sub(r"-s[0-9]+-[0-9]+\.json$", "", os.path.basename(f)), []).append(f)
kinds_seen, not_in_package = set(), set()
for family, fs in sorted(families.items()):
    for f in fs[:2]:
        gold = json.load(open(f))
        kind = gold["kind"]
        if kind not in lmo.KINDS:   # a kind newer than the package: a failure, never a skip
            not_in_package.add(kind)
            continue
        kinds_seen.add(kind)
        for as_float in (False, True):
            v = lmo.vector(kind, **python_fields(kind, gold["input"], as_float))
            gin = dict(gold["input"])
            if kind == "mnn_patterns" and isinstance(gin.get("dropout"), list):
                gin["dropout"] = gin["dropout"][0]
            name = "%s%s" % (os.path.basename(f), " (floats)" if as_float else "")
            check(same_numbers(v["input"], gin), "%s: same numbers as the corpus input" % name)
            errs = sorted(validator.iter_errors(v), key=str)
            check(not errs, "%s: schema: %s" % (name, errs[0].message if errs else ""))
            v["expect"] = gold["expect"]
            try:
                r = lmo.run(v)
            except lmo.LmoError as e:
                check(False, "%s: lmo refused it: %s" % (name, e))
                continue
            # exit 1 only where the golden vector records a violated statement (the proof
            # erratum of deep-linear-proof-c1)
            want = 1 if "TheoremViolated" in gold.get("flags", []) else 0
            check(r["expect"]["matches"] and r.status == want,
                  "%s: lmo's verdict is the golden one: %s" % (name, r["expect"]["problems"][:2]))
check(kinds_seen == set(lmo.KINDS), "every kind was rebuilt: %s" % sorted(kinds_seen))
check(not not_in_package, "corpus kinds the package cannot write: %s"
      % ", ".join(sorted(not_in_package)))
finish("python.corpus")
