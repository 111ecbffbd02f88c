"""numpy arrays and torch tensors give the same exact vector (ctest python.arrays; exit 77
without numpy or torch).

The same values as a list of Python floats, a numpy array and a torch tensor -- float64,
float32 (whose values are doubles too), integers -- must give byte-identical vectors and
ids; a numpy longdouble keeps the bits a double would lose; a transposed view and a
non-contiguous slice are read in their logical order; the rank lmo returns for a matrix
handed over as a tensor is the one for the list. And what floats miss: numpy's own
matrix_rank of the rounded matrix of python.rank's kind says r while lmo says r + 1.
"""
from fractions import Fraction

from harness import check, exact, finish, need, raises

np = need("numpy")
torch = need("torch")

import lmo  # noqa: E402

rs = np.random.RandomState(7)
A = rs.standard_normal((4, 3)) * np.array([1e-300, 1.0, 1e300])
A[0, 0] = -0.0
A[1, 1] = 5e-324
lists = A.tolist()
ref = lmo.dumps(lmo.vector("matrix_rank", M=lists))
check(lmo.dumps(lmo.vector("matrix_rank", M=A)) == ref, "numpy float64 == lists")
check(lmo.dumps(lmo.vector("matrix_rank", M=torch.from_numpy(A))) == ref, "torch float64 == lists")
check(lmo.dumps(lmo.vector("matrix_rank", M=torch.tensor(lists, dtype=torch.float64,
                                                          requires_grad=True))) == ref,
      "a tensor that requires grad == lists")
check(lmo.vector("matrix_rank", M=A)["id"] == lmo.vector("matrix_rank", M=torch.from_numpy(A))["id"],
      "same input, same id")
v = lmo.vector("matrix_rank", M=A)
back = [[float.fromhex(s) for s in row] for row in v["input"]["M"]["data"]]
check(np.array_equal(np.array(back), A) and np.signbit(back[0][0]), "entries read back bit for bit")

B = rs.standard_normal((3, 5)).astype(np.float32)
vn = lmo.dumps(lmo.vector("matrix_rank", M=B))
vt = lmo.dumps(lmo.vector("matrix_rank", M=torch.from_numpy(B)))
vl = lmo.dumps(lmo.vector("matrix_rank", M=B.astype(np.float64).tolist()))
check(vn == vt == vl, "float32: numpy == torch == the float64 values")
check(lmo.dumps(lmo.vector("matrix_rank", M=torch.from_numpy(B).to(torch.bfloat16))) ==
      lmo.dumps(lmo.vector("matrix_rank", M=torch.from_numpy(B).to(torch.bfloat16).double().numpy())),
      "bfloat16 tensor == its float64 values")

I = rs.randint(-2 ** 62, 2 ** 62, size=(3, 3), dtype=np.int64)
check(lmo.dumps(lmo.vector("matrix_rank", M=I)) == lmo.dumps(lmo.vector("matrix_rank", M=torch.from_numpy(I)))
      == lmo.dumps(lmo.vector("matrix_rank", M=I.tolist())), "int64: numpy == torch == ints")
check(all(isinstance(x, int) for row in lmo.vector("matrix_rank", M=I)["input"]["M"]["data"] for x in row),
      "int64 entries stay JSON integers")

C = rs.standard_normal((5, 4))
check(lmo.dumps(lmo.vector("matrix_rank", M=C.T)) == lmo.dumps(lmo.vector("matrix_rank", M=C.T.tolist())),
      "a transposed numpy view in logical order")
check(lmo.dumps(lmo.vector("matrix_rank", M=torch.from_numpy(C).t()[:, ::2])) ==
      lmo.dumps(lmo.vector("matrix_rank", M=C.T[:, ::2].tolist())), "a strided torch view in logical order")

if np.finfo(np.longdouble).nmant > 52:
    third = np.longdouble(1) / np.longdouble(3)
    s = lmo.vector("matrix_rank", M=np.array([[third]], dtype=np.longdouble))["input"]["M"]["data"][0][0]
    p, q = third.as_integer_ratio()
    check(exact.value(s) == Fraction(p, q) and exact.value(s) != Fraction(float(third)),
          "longdouble 1/3 keeps its %d bits: %s" % (np.finfo(np.longdouble).nmant + 1, s))
raises(ValueError, lambda: lmo.vector("matrix_rank", M=np.array([[np.inf]])), "inf refused")
raises(TypeError, lambda: lmo.vector("matrix_rank", M=np.array([[1 + 1j]])), "complex refused")
raises(ValueError, lambda: lmo.vector("matrix_rank", M=np.zeros(3)), "a 1-D array is no matrix")
raises(ValueError, lambda: lmo.vector("matrix_rank", M=torch.zeros(2, 2, 2)), "a 3-D tensor is no matrix")

# rank through a tensor; what floats miss (U V^T of rank 2 plus 2^-60 e1 e3^T: rank 3)
M = [[1, 2, 3], [2, 4, 6], [1, 0, 1]]
P = [[Fraction(x) for x in row] for row in M]
P[0][2] += Fraction(1, 2 ** 60)
r = lmo.rank(P)
check(r["rank"] == 3, "exact rank of the perturbed matrix is 3 (got %s)" % r["rank"])
check(int(np.linalg.matrix_rank(np.array([[float(x) for x in row] for row in P]))) == 2,
      "numpy.linalg.matrix_rank of its doubles says 2")
check(lmo.rank(torch.tensor(M, dtype=torch.float64))["rank"] == lmo.rank(M)["rank"] == 2,
      "rank of the tensor == rank of the list == 2")
finish("python.arrays")
