#!/usr/bin/env python3
"""Validate vector files against vectors/schema/lmo-vector-1.schema.json, and
show that the schema rejects broken vectors (so the check can fail): every kind
has a branch, and an mnn_patterns vector with a field of the wrong type fails.
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
# every kind the schema names has a branch of its own (if kind == K then ...)
kinds = set(schema['properties']['kind']['enum'])
branches = {b['if']['properties']['kind']['const'] for b in schema.get('allOf', [])
            if 'kind' in b.get('if', {}).get('properties', {})}
for k in sorted(kinds - branches):
    bad += 1
    print(f"schema has no branch for kind {k}")
# mnn_patterns: a field of the wrong type must be refused, in input, expect and fast
p = next((x for x in docs if x['kind'] == 'mnn_patterns'), None)
if p is None:
    bad += 1
    print("no mnn_patterns vector among the files: its branch is not exercised")
else:
    m = copy.deepcopy(p); m['input']['width'] = str(m['input']['width']); mutants.append(('mnn_patterns input.width', m))
    m = copy.deepcopy(p); m['input']['slope'] = 0.1; mutants.append(('mnn_patterns input.slope', m))
    m = copy.deepcopy(p); m['input']['mode'] = 'all'; mutants.append(('mnn_patterns input.mode', m))
    m = copy.deepcopy(p); m['input']['dropout'] = [m['input']['X'], m['input']['X']]
    mutants.append(('mnn_patterns input.dropout', m))
    m = copy.deepcopy(p); m['expect']['deficient_patterns'] = [{'signs': ['+-'], 'rank': '2'}]
    mutants.append(('mnn_patterns expect.deficient_patterns[].rank', m))
    m = copy.deepcopy(p); m['expect']['deficient_patterns'] = [{'signs': '+-', 'rank': 2}]
    mutants.append(('mnn_patterns expect.deficient_patterns[].signs', m))
    m = copy.deepcopy(p); m['expect']['deficient'] = True; mutants.append(('mnn_patterns expect.deficient', m))
    m = copy.deepcopy(p); m['expect']['mode'] = 'sampled'; m['expect'].update(deficient=0, patterns_checked=1,
        full_rank=1, min_rank=1, rank_counts=[0, 1], deficient_listed_all=True)
    mutants.append(('mnn_patterns expect counts outside exhaustive mode', m))
    m = copy.deepcopy(p); next(iter(m['fast'].values()))['deficient'] = '0'; mutants.append(('mnn_patterns fast.deficient', m))
for name, m in mutants:
    if v.is_valid(m):
        bad += 1
        print(f"schema accepts a vector with a broken {name}")
print(f"{len(docs)} vectors validated, {len(mutants)} mutants refused, {bad} problems")
sys.exit(1 if bad else 0)
