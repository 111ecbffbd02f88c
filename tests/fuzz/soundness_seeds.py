#!/usr/bin/env python3
"""Seeds of fuzz_soundness: every (vector, certificate) pair of the given vector files, as
CERT NUL VECTOR and as a vector with its certificate embedded (a stand-alone witness
certificate too). report, fast, flags and source are dropped: they are not claims, so
mutating them teaches nothing. usage: soundness_seeds.py OUTDIR FILE..."""
import hashlib
import json
import os
import sys

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
n = 0
for path in sys.argv[2:]:
    try:
        v = json.load(open(path, encoding="utf-8"))
    except (OSError, ValueError):
        continue
    cert = v.pop("certificate", None) if isinstance(v, dict) else None
    if not cert:
        continue
    for k in ("report", "fast", "flags", "source"):
        v.pop(k, None)
    seeds = [json.dumps(cert).encode() + b"\0" + json.dumps(v).encode(),
             json.dumps(dict(v, certificate=cert)).encode()]
    if cert.get("claim") == "witness":
        seeds.append(json.dumps(cert).encode())
    for s in seeds:
        with open(os.path.join(out, hashlib.sha1(s).hexdigest()), "wb") as f:
            f.write(s)
        n += 1
print("soundness seeds: %d from %d files" % (n, len(sys.argv) - 2))
