#!/usr/bin/python3
"""Validate vector files against vectors/schema/lmo-vector-1.schema.json, and
show that the schema rejects broken vectors (so the check can fail).
usage: validate_schema.py SCHEMA FILE..."""
import copy, json, sys
import jsonschema

schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
v = jsonschema.Draft202012Validator(schema)
bad = 0
docs = []
for f in sys.argv[2:]:
    d = json.load(open(f))
    docs.append(d)
    errs = sorted(v.iter_errors(d), key=str)
    if errs:
        bad += 1
        print(f"{f}: {errs[0].message}")
# mutations the schema must refuse, made from the first rank-kind vector
d = next(x for x in docs if x['kind'] in ('matrix_rank', 'khatri_rao_rank'))
mutants = []
m = copy.deepcopy(d); m['format'] = 'lmo-vector/2'; mutants.append(('format', m))
m = copy.deepcopy(d); m['id'] = 'Upper_Case'; mutants.append(('id', m))
m = copy.deepcopy(d); m['surprise'] = 1; mutants.append(('unknown key', m))
m = copy.deepcopy(d); del m['input']; mutants.append(('no input', m))
key = 'M' if d['kind'] == 'matrix_rank' else 'A'
m = copy.deepcopy(d); m['input'][key]['data'][0][0] = 0.5; mutants.append(('unquoted real', m))
m = copy.deepcopy(d); m['input'][key]['data'][0][0] = '1/2x'; mutants.append(('garbage number', m))
m = copy.deepcopy(d); m['input'][key]['rows'] = -1; mutants.append(('negative rows', m))
for name, m in mutants:
    if v.is_valid(m):
        bad += 1
        print(f"schema accepts a vector with a broken {name}")
print(f"{len(docs)} vectors validated, {len(mutants)} mutants refused, {bad} problems")
sys.exit(1 if bad else 0)
