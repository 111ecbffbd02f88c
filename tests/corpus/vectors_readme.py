#!/usr/bin/env python3
"""vectors/README.md documents every kind and every member lmo writes: each kind of the
schema has a section "## `KIND`", and every member name found in the vectors' input,
expect, report and fast (one level deep) appears in backquotes in its kind's section (or
in the common part before the first kind, for report.theorems and fast's `why`).
usage: vectors_readme.py README SCHEMA FILE..."""
import json, re, sys

text = open(sys.argv[1]).read()
schema = json.load(open(sys.argv[2]))
parts = re.split(r'^## ', text, flags=re.M)
common = parts[0] + ''.join('## ' + p for p in parts[1:] if not p.startswith('`'))
sections = {}
for p in parts[1:]:
    m = re.match(r'`([a-z_]+)`', p)
    if m:
        sections[m.group(1)] = p
bad = 0
for k in schema['properties']['kind']['enum']:
    if k not in sections:
        bad += 1
        print(f'vectors/README.md: no section for kind {k}')
seen = set()
for f in sys.argv[3:]:
    v = json.load(open(f))
    sec = sections.get(v['kind'])
    if sec is None:
        continue
    names = [('input', n) for n in v['input']]
    for part in ('expect', 'report'):
        names += [(part, n) for n in v.get(part, {})]
    for pol in v.get('fast', {}).values():
        names += [('fast', n) for n in pol]
    for part, n in names:
        key = (v['kind'], part, n)
        if key in seen:
            continue
        seen.add(key)
        if f'`{n}`' not in sec and not (f'`{n}`' in common and n in ('theorems', 'why')):
            bad += 1
            print(f'vectors/README.md: {v["kind"]} {part}.{n} is not documented')
print(f'{len(seen)} members of {len(sections)} kinds checked, {bad} problems')
sys.exit(1 if bad else 0)
