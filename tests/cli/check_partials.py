#!/usr/bin/env python3
"""check_partials.py [--unsharded OUT.json] PARTIAL...: are the partials lmo-partial/1
documents (vectors/schema/lmo-partial-1.schema.json, when jsonschema is installed), and do they of one sharded sweep
partition its work? Written apart from cli/shard.c: the blocks are numpy.array_split's, each
item must be done by exactly one shard, inside its block, and (lmo patterns, exhaustive) each
listed pattern's signs must be those its item number spells (column n of unit i = bit i of
base-2^d1 digit N-1-n), and with --unsharded the deficient patterns the shards list together
must be the unsharded run's, in its order. Exit 0 when all holds, 1 with the reasons."""
import json
import sys

import numpy as np

args = sys.argv[1:]
unsharded = None
if args[:1] == ["--unsharded"]:
    unsharded = [json.loads(line) for line in open(args[1])]
    args = args[2:]
docs = [json.load(open(f)) for f in args]
bad = []
try:
    import os
    from jsonschema import Draft202012Validator
    here = os.path.dirname(os.path.abspath(__file__))
    schema = json.load(open(os.path.join(here, "..", "..", "vectors", "schema", "lmo-partial-1.schema.json")))
    Draft202012Validator.check_schema(schema)
    for f, d in zip(args, docs):
        bad.extend(f"{f}: schema: {e.message}" for e in Draft202012Validator(schema).iter_errors(d))
except ImportError:
    pass
if bad:  # the rest reads the documents as the schema describes them
    print("\n".join("FAIL: " + b for b in bad))
    sys.exit(1)
n = docs[0]["shard"]["n"]
ks = sorted(d["shard"]["k"] for d in docs)
if ks != list(range(1, n + 1)):
    bad.append(f"shards {ks}, want 1..{n} once each")
docs.sort(key=lambda d: d["shard"]["k"])
for d in docs:
    if (d["format"], d["command"], d["args"]) != ("lmo-partial/1", docs[0]["command"], docs[0]["args"]):
        bad.append(f"shard {d['shard']['k']}: another sweep")
for i, in0 in enumerate(docs[0]["inputs"]):
    total = in0["part"]["items"]["total"]
    blocks = np.array_split(np.arange(total), n)
    done = []
    for d, blk in zip(docs, blocks):
        part = d["inputs"][i]["part"]
        it = part["items"]
        lo, hi = (int(blk[0]), int(blk[-1]) + 1) if len(blk) else (it["first"], it["first"])
        if it["total"] != total or (it["first"], it["end"]) != (lo, hi):
            bad.append(f"input {i} shard {d['shard']['k']}: items {it}, want [{lo}, {hi}) of {total}")
        if "checked" in part:  # lmo patterns: every item of the block checked, once
            if part["checked"] != hi - lo or sum(part["rank_counts"]) != hi - lo:
                bad.append(f"input {i} shard {d['shard']['k']}: {part['checked']} checked, block has {hi - lo}")
            done.extend(range(lo, hi))
            idx = [e["index"] for e in part["listed"]]
            if idx != sorted(set(idx)) or any(not lo <= x < hi for x in idx):
                bad.append(f"input {i} shard {d['shard']['k']}: listed items {idx[:5]}... outside [{lo}, {hi}) or repeated")
        else:  # witness --generic-table rows, gen vectors, experiment runs, table cells: one per item
            items = next(part[k] for k in ("rows", "vectors", "runs", "cells") if k in part)
            idx = [e["index"] for e in items]
            if idx != list(range(lo, hi)):
                bad.append(f"input {i} shard {d['shard']['k']}: items {idx[:5]}... are not [{lo}, {hi}) in order")
            done.extend(idx)
    if sorted(done) != list(range(total)):
        bad.append(f"input {i}: the shards do {len(done)} items, {len(set(done))} distinct, of {total}")
    if "checked" not in in0["part"]:
        continue
    vec = in0["vector"]["input"]
    d1, N = vec["width"], vec["X"]["cols"]
    listed = [e for d in docs for e in d["inputs"][i]["part"]["listed"]]
    if vec.get("mode", "exhaustive") == "exhaustive":
        for e in listed:
            digits = [(e["index"] >> (d1 * (N - 1 - c))) & ((1 << d1) - 1) for c in range(N)]
            want = "".join(str((digits[c] >> u) & 1) for u in range(d1) for c in range(N))
            if e["signs"] != want:
                bad.append(f"input {i}: item {e['index']} has signs {e['signs']}, its number spells {want}")
    if unsharded:
        out = unsharded[i]
        dp = out.get("deficient_patterns", out.get("report", {}).get("deficient_patterns"))
        got = ["".join("".join("1" if ch == "+" else "0" for ch in u) for u in p["signs"]) for p in dp]
        if [e["signs"] for e in listed[: len(got)]] != got:
            bad.append(f"input {i}: the shards' first {len(got)} deficient patterns are not the unsharded run's")
        defi = out.get("deficient", out.get("report", {}).get("deficient"))
        if defi is not None and sum(d["inputs"][i]["part"]["deficient"] for d in docs) != defi:
            bad.append(f"input {i}: the shards count another number of deficient patterns than {defi}")
for b in bad:
    print("FAIL:", b)
sys.exit(1 if bad else 0)
