#!/usr/bin/env python3
"""Every corpus vector's --json output against vectors/schema/lmo-output-1.schema.json: the
command of its kind (rank, mnn, patterns, classify, witness), lmo check, and lmo compare on a
few vectors of each family; then mutants the schema must refuse, so the check can fail.
usage: validate_output.py LMO SCHEMA CORPUS_DIR"""
import collections, copy, glob, json, os, subprocess, sys
import jsonschema

lmo, schema_path, corpus = sys.argv[1:4]
v = jsonschema.Draft202012Validator(json.load(open(schema_path)))
COMMAND = {"matrix_rank": "rank", "khatri_rao_rank": "rank", "mnn": "mnn",
           "mnn_patterns": "patterns", "deep_linear": "classify", "witness": "witness", "khk": "khk",
           "nguyen_hein": "nh"}
by_kind, by_family = collections.defaultdict(list), collections.defaultdict(list)
for f in sorted(glob.glob(os.path.join(corpus, "*.json"))):
    by_kind[json.load(open(f))["kind"]].append(f)
    by_family[os.path.basename(f).rsplit("-s", 1)[0]].append(f)
bad, lines = 0, []


def run(args, files):
    p = subprocess.run([lmo] + args + ["--json"] + files, capture_output=True, text=True)
    if p.returncode not in (0, 1):
        print("lmo %s: exit %d: %s" % (" ".join(args), p.returncode, p.stderr[:300]))
        return []
    out = [json.loads(l) for l in p.stdout.splitlines()]
    if len(out) != len(files):
        print("lmo %s: %d objects for %d files" % (" ".join(args), len(out), len(files)))
    return out


for kind, files in sorted(by_kind.items()):
    lines += run([COMMAND[kind]], files)
lines += run(["check"], sorted(sum(by_kind.values(), [])))
sample = sorted(f for fam in by_family.values() for f in fam[:2])
lines += run(["compare"], sample)
for obj in lines:
    errs = sorted(v.iter_errors(obj), key=str)
    if errs:
        bad += 1
        print("%s (%s): %s" % (obj.get("id"), obj.get("kind"), errs[0].message[:300]))
# the same names for the same things: every verdict member of a result is a member the kind's
# expect may hold (the vector's expect ∪ report), checked on the corpus itself
for obj in lines:
    if "status" in obj:
        continue
    stored = json.load(open(obj["file"]))
    allowed = set(stored.get("expect", {})) | {"id", "file", "kind", "report", "info", "expect",
                                                "fast", "agree"}
    extra = set(obj) - allowed
    if extra:
        bad += 1
        print("%s: members %s are not in the vector's expect" % (obj["id"], sorted(extra)))
# mutants the schema must refuse
r = next(o for o in lines if o.get("kind") == "matrix_rank" and "status" not in o)
mutants = []
m = copy.deepcopy(r); m["rank"] = "2"; mutants.append(("rank as a string", m))
m = copy.deepcopy(r); m["expect_rank"] = 2; mutants.append(("a per-command key", m))
m = copy.deepcopy(r); m["expect"] = {"matches": True}; mutants.append(("expect without problems", m))
m = copy.deepcopy(r); m["kind"] = "tensor_rank"; mutants.append(("unknown kind", m))
c = next(o for o in lines if "status" in o)
m = copy.deepcopy(c); m["status"] = "fine"; mutants.append(("unknown status", m))
d = next(o for o in lines if o.get("kind") == "deep_linear" and "status" not in o)
m = copy.deepcopy(d); m["hessian_inertia"]["zero"] = -1; mutants.append(("negative inertia", m))
n = next((o for o in lines if "near_critical" in o.get("report", {})), None)
if n is None:
    bad += 1
    print("no result carries a near_critical report")
else:
    m = copy.deepcopy(n); m["report"]["near_critical"]["hessian_signs"]["undecided"] = -1
    mutants.append(("a negative undecided count", m))
    m = copy.deepcopy(n); m["report"]["near_critical"]["gradient_norm"]["enclosure"]["mid"] = "about 3"
    mutants.append(("an enclosure that is not a decimal", m))
    m = copy.deepcopy(n); del m["report"]["near_critical"]["verdict"]
    mutants.append(("a near_critical report without verdict", m))
t = next(o for o in lines if o.get("kind") == "mnn_patterns" and "status" not in o)
m = copy.deepcopy(t); m["report"]["theorems"][0]["outcome"] = "maybe"; mutants.append(("an unknown outcome", m))
m = copy.deepcopy(t); del m["report"]["theorems"][0]["reason"]; mutants.append(("a theorem without reason", m))
for name, m in mutants:
    if v.is_valid(m):
        bad += 1
        print("the schema accepts %s" % name)
kinds = collections.Counter(o.get("kind") for o in lines)
print("%d JSON objects validated (%s), %d mutants refused, %d problems"
      % (len(lines), ", ".join("%s %d" % kv for kv in sorted(kinds.items())), len(mutants), bad))
sys.exit(1 if bad or not lines else 0)
