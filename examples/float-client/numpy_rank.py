#!/usr/bin/env python3
"""A user's float rank program: reads an lmo vector (matrix_rank or
khatri_rao_rank), rounds every exact number to the nearest double (Python's
float(Fraction) is correctly rounded, like lmo's fast tier), and prints
numpy.linalg.matrix_rank of the matrix."""
import json, sys
from fractions import Fraction
import numpy as np

def exact(v):
    if isinstance(v, int):
        return Fraction(v)
    s = v.strip()
    neg = s.startswith('-')
    t = s.lstrip('+-')
    if t[:2].lower() == '0x':
        mant, _, exp = t[2:].lower().partition('p')
        ip, _, fp = mant.partition('.')
        x = Fraction(int((ip + fp) or '0', 16), 16 ** len(fp)) * Fraction(2) ** int(exp or 0)
    else:
        x = Fraction(t)          # integers, p/q, decimals with exponents
    return -x if neg else x

def matrix(m):
    return np.array([[float(exact(e)) for e in row] for row in m['data']],
                    dtype=float).reshape(m['rows'], m['cols'])

v = json.load(open(sys.argv[1]))
if v['kind'] == 'matrix_rank':
    G = matrix(v['input']['M'])
else:
    A, X = matrix(v['input']['A']), matrix(v['input']['X'])
    G = np.einsum('in,jn->ijn', A, X).reshape(A.shape[0] * X.shape[0], A.shape[1])
print(np.linalg.matrix_rank(G) if G.size else 0)
