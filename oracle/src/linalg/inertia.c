/* Exact symmetric inertia and LDL^T certificates (see lmo/linalg/inertia.h). */
#include <stdint.h>
#include <stdlib.h>
#include <pthread.h>
#include <flint/fmpz.h>
#include <flint/fmpz_mat.h>
#include <flint/ulong_extras.h>
#include "lmo/linalg/inertia.h"
#include "lmo/linalg/dixon.h"
#include "lmo/core/vector_io.h"

/* The work matrix is symmetric; only its lower triangle is read and written.
 * Entry (i, j) of S, a T_mat (T = fmpz or fmpq). */
#define SYM_E(T, S, i, j) ((i) >= (j) ? T##_mat_entry(S, i, j) : T##_mat_entry(S, j, i))

static void qvec_zero(fmpq *u, slong n)
{
    for (slong i = 0; i < n; i++) fmpq_zero(u + i);
}

void lmo_ldl_init(lmo_ldl_t F)
{
    F->n = 0;
    F->npos = F->nneg = F->nzero = F->rank = 0;
    F->complete = 0;
    F->perm = NULL;
    fmpq_mat_init(F->L, 0, 0);
    F->D = NULL;
    F->has_witness = 0;
    fmpq_mat_init(F->v, 0, 1);
    fmpq_init(F->vHv);
}

void lmo_ldl_clear(lmo_ldl_t F)
{
    flint_free(F->perm);
    fmpq_mat_clear(F->L);
    if (F->D) _fmpq_vec_clear(F->D, F->n);
    fmpq_mat_clear(F->v);
    fmpq_clear(F->vHv);
}

static void reset(lmo_ldl_t F, slong n, int want_factors)
{
    lmo_ldl_clear(F);
    F->n = n;
    F->npos = F->nneg = F->nzero = F->rank = 0;
    F->complete = 0;
    F->perm = flint_malloc(sizeof(slong) * (n > 0 ? n : 1));
    for (slong i = 0; i < n; i++) F->perm[i] = i;
    fmpq_mat_init(F->L, want_factors ? n : 0, want_factors ? n : 0);
    F->D = _fmpq_vec_init(n > 0 ? n : 1);
    F->has_witness = 0;
    fmpq_mat_init(F->v, n, 1);
    fmpq_init(F->vHv);
}

static int check_symmetric(const fmpq_mat_t H, lmo_err_t *err)
{
    slong n = fmpq_mat_nrows(H);
    if (fmpq_mat_ncols(H) != n)
        return lmo_err_set(err, LMO_EINPUT, "matrix: %ld x %ld is not square",
                           (long) n, (long) fmpq_mat_ncols(H));
    for (slong i = 0; i < n; i++)
        for (slong j = 0; j < i; j++)
            if (!fmpq_equal(fmpq_mat_entry(H, i, j), fmpq_mat_entry(H, j, i)))
                return lmo_err_set(err, LMO_EINPUT, "matrix: not symmetric at [%ld][%ld]",
                                   (long) i, (long) j);
    return LMO_OK;
}

void lmo_quad_form(fmpq_t out, const fmpq_mat_t H, const fmpq_mat_t v)
{
    slong n = fmpq_mat_nrows(H);
    fmpq_t s, t;
    fmpq_init(s);
    fmpq_init(t);
    fmpq_zero(out);
    for (slong i = 0; i < n; i++) {
        if (fmpq_is_zero(fmpq_mat_entry(v, i, 0))) continue;
        fmpq_zero(s);
        for (slong j = 0; j < n; j++)
            fmpq_addmul(s, fmpq_mat_entry(H, i, j), fmpq_mat_entry(v, j, 0));
        fmpq_mul(t, s, fmpq_mat_entry(v, i, 0));
        fmpq_add(out, out, t);
    }
    fmpq_clear(s);
    fmpq_clear(t);
}

/* y with L^T y = u, where only columns < k of L are known and the trailing
 * block of L is still the identity (true at step k of the elimination). */
static void solve_lt(fmpq *y, const fmpq_mat_t L, slong n, slong k, const fmpq *u)
{
    fmpq_t t;
    fmpq_init(t);
    for (slong j = n - 1; j >= 0; j--) {
        fmpq_set(y + j, u + j);
        if (j >= k) continue;
        for (slong i = j + 1; i < n; i++) {
            if (fmpq_is_zero(y + i) || fmpq_is_zero(fmpq_mat_entry(L, i, j))) continue;
            fmpq_mul(t, fmpq_mat_entry(L, i, j), y + i);
            fmpq_sub(y + j, y + j, t);
        }
    }
    fmpq_clear(t);
}

/* Witness from a direction u (in permuted, step-k coordinates) whose value
 * on the current Schur complement is negative; v = P L^{-T} u. */
static int set_witness(lmo_ldl_t F, const fmpq_mat_t H, slong k, const fmpq *u)
{
    slong n = F->n;
    fmpq *y = _fmpq_vec_init(n);
    solve_lt(y, F->L, n, k, u);
    for (slong j = 0; j < n; j++) fmpq_set(fmpq_mat_entry(F->v, F->perm[j], 0), y + j);
    _fmpq_vec_clear(y, n);
    lmo_quad_form(F->vHv, H, F->v);   /* recomputed from H itself, not trusted */
    F->has_witness = fmpq_sgn(F->vHv) < 0;
    return F->has_witness;
}

/* ---- what both eliminations share (Bareiss on integers, and fractions) ---- */

/* The operations on the work matrix S that depend on its number type. */
typedef struct {
    flint_bitcnt_t (*bits)(const void *S, slong i, slong j);   /* 0 exactly for a zero entry */
    int (*sgn)(const void *S, slong i, slong j);
    /* indices a and b exchanged, in the trailing block from k */
    void (*swap)(void *S, slong a, slong b, slong k, slong n);
    /* congruence: index bj := bj + bi, so its diagonal becomes 2 s_ij (s_ii = s_jj = 0) */
    void (*congruence)(void *S, slong k, slong n, slong bi, slong bj);
} sym_ops_t;

/* One definition of the type-generic operations for T = fmpz and T = fmpq. */
#define SYM_OPS_TEMPLATE(T)                                                              \
static int T##_sym_sgn(const void *S, slong i, slong j)                                  \
{                                                                                        \
    return T##_sgn(T##_mat_entry((const T##_mat_struct *) S, i, j));                     \
}                                                                                        \
static void T##_sym_swap(void *M, slong a, slong b, slong k, slong n)                    \
{                                                                                        \
    T##_mat_struct *S = M;                                                               \
    for (slong x = k; x < n; x++)                                                        \
        if (x != a && x != b) T##_swap(SYM_E(T, S, a, x), SYM_E(T, S, b, x));            \
    T##_swap(T##_mat_entry(S, a, a), T##_mat_entry(S, b, b));                            \
}                                                                                        \
static void T##_sym_congruence(void *M, slong k, slong n, slong bi, slong bj)            \
{                                                                                        \
    T##_mat_struct *S = M;                                                               \
    T##_t t;                                                                             \
    T##_init(t);                                                                         \
    T##_mul_2exp(t, T##_mat_entry(S, bi, bj), 1);                                        \
    T##_add(t, t, T##_mat_entry(S, bj, bj));                                             \
    T##_add(t, t, T##_mat_entry(S, bi, bi));                                             \
    for (slong x = k; x < n; x++)                                                        \
        if (x != bj) T##_add(SYM_E(T, S, bj, x), SYM_E(T, S, bj, x), SYM_E(T, S, bi, x)); \
    T##_swap(T##_mat_entry(S, bj, bj), t);                                               \
    T##_clear(t);                                                                        \
}
SYM_OPS_TEMPLATE(fmpz)
SYM_OPS_TEMPLATE(fmpq)

static flint_bitcnt_t zbits(const void *S, slong i, slong j)
{
    return fmpz_bits(fmpz_mat_entry((const fmpz_mat_struct *) S, i, j));
}

static flint_bitcnt_t qbits(const void *S, slong i, slong j)
{
    const fmpq *e = fmpq_mat_entry((const fmpq_mat_struct *) S, i, j);
    return fmpq_is_zero(e) ? 0 : fmpz_bits(fmpq_numref(e)) + fmpz_bits(fmpq_denref(e));
}

static const sym_ops_t ZOPS = { zbits, fmpz_sym_sgn, fmpz_sym_swap, fmpz_sym_congruence };
static const sym_ops_t QOPS = { qbits, fmpq_sym_sgn, fmpq_sym_swap, fmpq_sym_congruence };

/* Pivot of step k: the index i >= k whose non-zero diagonal entry has the
 * fewest bits (the first on ties). When every diagonal entry is zero: -1,
 * and (*bi, *bj) the first non-zero entry below the diagonal of the trailing
 * block, row by row (*bi = -1: the block is zero). */
static slong choose_pivot(const void *S, const sym_ops_t *ops, slong k, slong n, slong *bi, slong *bj)
{
    slong piv = -1;
    flint_bitcnt_t best = 0;
    for (slong i = k; i < n; i++) {
        flint_bitcnt_t b = ops->bits(S, i, i);
        if (b != 0 && (piv < 0 || b < best)) { piv = i; best = b; }
    }
    *bi = *bj = -1;
    for (slong i = k + 1; i < n && piv < 0 && *bi < 0; i++)
        for (slong j = k; j < i; j++)
            if (ops->bits(S, i, j) != 0) { *bi = i; *bj = j; break; }
    return piv;
}

/* The witness e_a + c e_b (b < 0: e_a) in step-k coordinates: LMO_OK, or an
 * internal error when its value on H is not negative. u: n scratch entries. */
static int witness_from(lmo_ldl_t F, const fmpq_mat_t H, slong k, fmpq *u, slong a, slong b, int c,
                        lmo_err_t *err)
{
    qvec_zero(u, F->n);
    fmpq_one(u + a);
    if (b >= 0) fmpq_set_si(u + b, c, 1);
    if (set_witness(F, H, k, u)) return LMO_OK;
    return lmo_err_set(err, LMO_ELIMIT, "internal: LDL witness is not negative");
}

/* Step k takes index piv: the permutation and the rows of L computed so far
 * follow the swap of the work matrix. */
static void pivot_swap(lmo_ldl_t F, slong k, slong piv)
{
    slong tp = F->perm[k]; F->perm[k] = F->perm[piv]; F->perm[piv] = tp;
    if (F->complete)
        for (slong j = 0; j < k; j++)
            fmpq_swap(fmpq_mat_entry(F->L, k, j), fmpq_mat_entry(F->L, piv, j));
}

/* Step k: the pivot of choose_pivot, or, without a diagonal one, a
 * congruence on the first non-zero pair (i, j) after recording its witness
 * z = e_i - sgn(s_ij / scale) e_j, z^T (S / scale) z = -2 |s_ij / scale|
 * (sgp: the sign of the scale of S); the pivot is then brought to position
 * k. 1: done; 0: the trailing block (the Schur complement) is zero; -1: an
 * internal error (err set). */
static int pivot_step(lmo_ldl_t F, const fmpq_mat_t H, void *S, const sym_ops_t *ops, slong k,
                      int sgp, fmpq *u, lmo_err_t *err)
{
    slong n = F->n, bi, bj, piv = choose_pivot(S, ops, k, n, &bi, &bj);
    if (piv < 0) {
        if (bi < 0) return 0;
        int sg = ops->sgn(S, bi, bj) * sgp;
        if (F->complete && !F->has_witness && witness_from(F, H, k, u, bi, bj, -sg, err)) return -1;
        F->complete = 0;
        ops->congruence(S, k, n, bi, bj);
        piv = bj;
    }
    if (piv != k) {
        ops->swap(S, k, piv, k, n);
        pivot_swap(F, k, piv);
    }
    return 1;
}

/* The elimination stopped at step k (the rest is zero). */
static void ldl_finish(lmo_ldl_t F, slong k, int want)
{
    F->nzero = F->n - F->rank;
    if (F->complete)
        for (slong i = k; i < F->n; i++) fmpq_one(fmpq_mat_entry(F->L, i, i));
    if (!want) F->complete = 0;
}

static int ldl_core(lmo_ldl_t F, const fmpq_mat_t H, int want, lmo_err_t *err)
{
    if (check_symmetric(H, err)) return err->code;
    slong n = fmpq_mat_nrows(H);
    reset(F, n, want);
    F->complete = want;   /* until a congruence step is needed */

    fmpz_mat_t S;
    fmpz_t den, prev, t, sq;
    fmpz_mat_init(S, n, n);
    fmpz_init(den);
    fmpz_init(prev);
    fmpz_init(t);
    fmpz_init(sq);
    fmpq_mat_get_fmpz_mat_matwise(S, den, H);   /* S = den * H, den > 0 */
    fmpz_one(prev);
    fmpq *u = _fmpq_vec_init(n > 0 ? n : 1);
    int rc = LMO_OK;

    slong k;
    for (k = 0; k < n; k++) {
        int st = pivot_step(F, H, S, &ZOPS, k, fmpz_sgn(prev), u, err);   /* S = prev * Schur */
        if (st < 0) { rc = err->code; goto done; }
        if (st == 0) break;
        fmpz *p = fmpz_mat_entry(S, k, k);
        int sgn = fmpz_sgn(p) * fmpz_sgn(prev);
        if (sgn > 0) F->npos++; else F->nneg++;
        F->rank++;
        if (F->complete) {
            fmpz_mul(t, prev, den);
            fmpq_set_fmpz_frac(F->D + k, p, t);
            fmpq_one(fmpq_mat_entry(F->L, k, k));
            for (slong i = k + 1; i < n; i++)
                fmpq_set_fmpz_frac(fmpq_mat_entry(F->L, i, k), fmpz_mat_entry(S, i, k), p);
            if (sgn < 0 && !F->has_witness && witness_from(F, H, k, u, k, -1, 0, err)) {
                rc = err->code;
                goto done;
            }
        }
        /* Bareiss step: s_ij <- (p s_ij - s_ik s_jk) / prev, exact */
        for (slong i = k + 1; i < n; i++) {
            fmpz *sik = fmpz_mat_entry(S, i, k);
            for (slong j = k + 1; j <= i; j++) {
                fmpz *sij = fmpz_mat_entry(S, i, j);
                fmpz_mul(sij, sij, p);
                fmpz_submul(sij, sik, fmpz_mat_entry(S, j, k));
                if (!fmpz_is_one(prev)) fmpz_divexact(sij, sij, prev);
            }
        }
        fmpz_set(prev, p);
    }
    ldl_finish(F, k, want);

done:
    _fmpq_vec_clear(u, n > 0 ? n : 1);
    fmpz_mat_clear(S);
    fmpz_clear(den);
    fmpz_clear(prev);
    fmpz_clear(t);
    fmpz_clear(sq);
    return rc;
}

/* The same elimination on canonical fractions: S_ij -= l_i S_jk with
 * l_i = S_ik / S_kk. The Schur complements of structured matrices (Gram-like
 * Hessians) are often far smaller as reduced fractions than the Bareiss
 * minors, which carry every common factor of the leading block. */
static int ldl_rational_core(lmo_ldl_t F, const fmpq_mat_t H, int want, lmo_err_t *err)
{
    if (check_symmetric(H, err)) return err->code;
    slong n = fmpq_mat_nrows(H);
    reset(F, n, want);
    F->complete = want;

    fmpq_mat_t S;
    fmpq_mat_init(S, n, n);
    for (slong i = 0; i < n; i++)
        for (slong j = 0; j <= i; j++) fmpq_set(fmpq_mat_entry(S, i, j), fmpq_mat_entry(H, i, j));
    fmpq *u = _fmpq_vec_init(n > 0 ? n : 1), *l = _fmpq_vec_init(n > 0 ? n : 1);
    int rc = LMO_OK;
    slong k;
    for (k = 0; k < n; k++) {
        int st = pivot_step(F, H, S, &QOPS, k, 1, u, err);   /* S = the Schur complement */
        if (st < 0) { rc = err->code; goto done; }
        if (st == 0) break;
        fmpq *d = fmpq_mat_entry(S, k, k);
        int sgn = fmpq_sgn(d);
        if (sgn > 0) F->npos++; else F->nneg++;
        F->rank++;
        for (slong i = k + 1; i < n; i++) fmpq_div(l + i, fmpq_mat_entry(S, i, k), d);
        if (F->complete) {
            fmpq_set(F->D + k, d);
            fmpq_one(fmpq_mat_entry(F->L, k, k));
            for (slong i = k + 1; i < n; i++) fmpq_set(fmpq_mat_entry(F->L, i, k), l + i);
            if (sgn < 0 && !F->has_witness && witness_from(F, H, k, u, k, -1, 0, err)) {
                rc = err->code;
                goto done;
            }
        }
        for (slong i = k + 1; i < n; i++) {
            if (fmpq_is_zero(l + i)) continue;
            for (slong j = k + 1; j <= i; j++) {
                fmpq *sjk = fmpq_mat_entry(S, j, k);
                if (fmpq_is_zero(sjk)) continue;
                fmpq_submul(fmpq_mat_entry(S, i, j), l + i, sjk);
            }
        }
    }
    ldl_finish(F, k, want);
done:
    _fmpq_vec_clear(u, n > 0 ? n : 1);
    _fmpq_vec_clear(l, n > 0 ? n : 1);
    fmpq_mat_clear(S);
    return rc;
}

/* ---- modular pivots, exact factors ----
 * 1. Symmetric elimination of Z = den * H modulo a 21-bit prime p, with
 *    diagonal pivots taken in index order, gives a pivot sequence I
 *    (|I| = r) whose leading minors are nonzero mod p, hence nonzero
 *    integers: A = H[I,I] is nonsingular over Q and has an LDL^T in that
 *    order without pivoting. (Index order, not the smallest entry: on the
 *    deep-linear Hessians it gives X below 50-bit entries where the
 *    smallest-diagonal rule gave 144-bit ones, and so smaller certificates.)
 * 2. Over Q: A = L_A D_A L_A^T (no pivoting), X = A^{-1} H[I,J] (the p-adic
 *    solver of lmo/linalg/dixon.h, which proves A X = H[I,J] before it returns),
 *    L21 = X^T L_A, and the Schur complement H[J,J] - H[J,I] X is checked
 *    to be zero (exact integer product). Then
 *    P^T H P = [[L_A, 0], [L21, I]] diag(D_A, 0) [[L_A, 0], [L21, I]]^T
 *    exactly: the top blocks by construction, the bottom-right one by the
 *    check. Nothing is trusted from the modular steps but the order.
 * Returns 1 on success, 0 if the caller must fall back to full elimination
 * (a zero Schur diagonal mod p with a nonzero off-diagonal, or a prime that
 * kept failing), -1 on an internal error. */
/* gcc vectorises the update loop below only at -O3 (a 3x difference) */
#if defined(__GNUC__) && !defined(__clang__)
#define LMO_VECTORISE __attribute__((optimize("O3")))
#else
#define LMO_VECTORISE
#endif

/* Symmetric elimination of Z mod p (p < 2^21) with diagonal pivots taken
 * in index order: returns r, with order[0..r) the pivots (the leading
 * minors of Z[order, order] are nonzero mod p, so nonzero integers) and
 * order[r..n) the rest, increasing; -1 when a remaining block has a zero
 * diagonal but a nonzero entry (no diagonal pivot exists). Entries stay
 * unreduced in uint64: an update adds (p - l) s < 2^42, at most once per
 * step, so n < 2^21 steps cannot overflow; the 32 x 32-bit products
 * vectorise. Only multipliers, the pivot row and diagonals are reduced. */
LMO_VECTORISE static slong sym_order(slong *order, const fmpz_mat_t Z, ulong p)
{
    slong n = fmpz_mat_nrows(Z), r = 0;
    if (n >= (WORD(1) << 21)) return -1;   /* the overflow bound; far over the caps */
    uint64_t *S = flint_malloc(sizeof(uint64_t) * (n * n > 0 ? n * n : 1));
    uint32_t *row = flint_malloc(sizeof(uint32_t) * (n > 0 ? n : 1));
    char *alive = flint_malloc(n > 0 ? n : 1);
    for (slong i = 0; i < n; i++) {
        alive[i] = 1;
        for (slong j = 0; j <= i; j++)
            S[i * n + j] = S[j * n + i] = fmpz_fdiv_ui(fmpz_mat_entry(Z, i, j), p);
    }
    for (;;) {
        slong q = -1;
        for (slong i = 0; i < n && q < 0; i++)
            if (alive[i] && (S[i * n + i] %= p) != 0) q = i;
        if (q < 0) {
            for (slong i = 0; i < n && r >= 0; i++)
                for (slong j = 0; j < n && alive[i]; j++)
                    if (alive[j] && S[i * n + j] % p != 0) { r = -1; break; }
            break;
        }
        alive[q] = 0;
        order[r++] = q;
        for (slong j = 0; j < n; j++) row[j] = alive[j] ? (uint32_t) (S[q * n + j] % p) : 0;
        ulong dinv = n_invmod(S[q * n + q], p);
        for (slong i = 0; i < n; i++) {
            if (!alive[i] || row[i] == 0) continue;   /* row[i] = S[i][q] mod p */
            uint32_t m = (uint32_t) (p - n_mulmod2(row[i], dinv, p));
            uint64_t *Si = S + i * n;
            for (slong j = 0; j < n; j++) Si[j] += (uint64_t) m * row[j];
        }
    }
    if (r >= 0)
        for (slong i = 0, k = r; i < n; i++) if (alive[i]) order[k++] = i;
    flint_free(S);
    flint_free(row);
    flint_free(alive);
    return r;
}

static void zsub(fmpz_mat_t out, const fmpz_mat_t Z, const slong *rows, slong nr,
                 const slong *cols, slong nc)
{
    fmpz_mat_init(out, nr, nc);
    for (slong i = 0; i < nr; i++)
        for (slong j = 0; j < nc; j++)
            fmpz_set(fmpz_mat_entry(out, i, j), fmpz_mat_entry(Z, rows[i], cols[j]));
}

/* LDL^T of the r x r block Z[I,I] in the given order, no pivoting; 0 if a
 * pivot vanishes (cannot happen for a sequence found modulo p). */
static int ldl_fixed(fmpq_mat_t LA, fmpq *dA, const fmpz_mat_t Z, const slong *I, slong r)
{
    fmpq_mat_t S;
    fmpq_mat_init(S, r, r);
    for (slong i = 0; i < r; i++)
        for (slong j = 0; j <= i; j++)
            fmpz_set(fmpq_numref(fmpq_mat_entry(S, i, j)), fmpz_mat_entry(Z, I[i], I[j]));
    fmpq *l = _fmpq_vec_init(r > 0 ? r : 1);
    int ok = 1;
    for (slong k = 0; k < r && ok; k++) {
        fmpq *d = fmpq_mat_entry(S, k, k);
        if (fmpq_is_zero(d)) { ok = 0; break; }
        fmpq_set(dA + k, d);
        fmpq_one(fmpq_mat_entry(LA, k, k));
        for (slong i = k + 1; i < r; i++) {
            fmpq_div(l + i, fmpq_mat_entry(S, i, k), d);
            fmpq_set(fmpq_mat_entry(LA, i, k), l + i);
        }
        for (slong i = k + 1; i < r; i++) {
            if (fmpq_is_zero(l + i)) continue;
            for (slong j = k + 1; j <= i; j++)
                if (!fmpq_is_zero(fmpq_mat_entry(S, j, k)))
                    fmpq_submul(fmpq_mat_entry(S, i, j), l + i, fmpq_mat_entry(S, j, k));
        }
    }
    _fmpq_vec_clear(l, r > 0 ? r : 1);
    fmpq_mat_clear(S);
    return ok;
}

static void fmpq_mat_set_fmpz_mat_den(fmpq_mat_t H, const fmpz_mat_t Z, const fmpz_t den)
{
    fmpq_mat_init(H, fmpz_mat_nrows(Z), fmpz_mat_ncols(Z));
    for (slong i = 0; i < fmpz_mat_nrows(Z); i++)
        for (slong j = 0; j < fmpz_mat_ncols(Z); j++)
            fmpq_set_fmpz_frac(fmpq_mat_entry(H, i, j), fmpz_mat_entry(Z, i, j), den);
}

/* 1 iff Bt Xn - dx C = 0, where Bt Xn = dx B^T A^{-1} B (A symmetric) and C
 * are symmetric, so the difference is too: its block upper triangle (3 x 3
 * blocks) decides, at 2/3 of the cost of the full product. Cm = -C. */
static int schur_zero(const fmpz_mat_t Bt, const fmpz_mat_t Xn, const fmpz_t dx,
                      const fmpz_mat_t Cm)
{
    slong nj = fmpz_mat_nrows(Cm), r = fmpz_mat_ncols(Bt), nb = nj >= 48 ? 3 : 1;
    int ok = 1;
    for (slong a = 0; a < nb && ok; a++)
        for (slong b = a; b < nb && ok; b++) {
            slong r0 = nj * a / nb, r1 = nj * (a + 1) / nb, c0 = nj * b / nb,
                  c1 = nj * (b + 1) / nb;
            fmpz_mat_t L, X, R;
            fmpz_mat_window_init(L, Bt, r0, 0, r1, r);
            fmpz_mat_window_init(X, Xn, 0, c0, r, c1);
            fmpz_mat_window_init(R, Cm, r0, c0, r1, c1);
            ok = lmo_zmat_check_kernel(L, X, dx, R);
            fmpz_mat_window_clear(L);
            fmpz_mat_window_clear(X);
            fmpz_mat_window_clear(R);
        }
    return ok;
}

/* L21 = X^T L_A with X = Xn / dx, L_A = Ln diag(1/cden) column-wise */
typedef struct {
    fmpq_mat_struct *L21;
    const fmpq_mat_struct *LA;
    const fmpz_mat_struct *Xn;
    const fmpz *dx;
} l21_job_t;

static void l21_main(l21_job_t *J)
{
    slong r = fmpq_mat_nrows(J->LA), nj = fmpq_mat_nrows(J->L21);
    fmpz *cden = _fmpz_vec_init(r);
    fmpz_mat_t Ln, Xt, T;
    fmpz_mat_init(Ln, r, r);
    fmpq_mat_get_fmpz_mat_colwise(Ln, cden, J->LA);
    fmpz_mat_init(Xt, nj, r);
    fmpz_mat_transpose(Xt, J->Xn);
    fmpz_mat_init(T, nj, r);
    fmpz_mat_mul(T, Xt, Ln);
    fmpz_t q;
    fmpz_init(q);
    for (slong j = 0; j < r; j++) {
        fmpz_mul(q, J->dx, cden + j);
        for (slong i = 0; i < nj; i++)
            fmpq_set_fmpz_frac(fmpq_mat_entry(J->L21, i, j), fmpz_mat_entry(T, i, j), q);
    }
    fmpz_clear(q);
    fmpz_mat_clear(T);
    fmpz_mat_clear(Xt);
    fmpz_mat_clear(Ln);
    _fmpz_vec_clear(cden, r);
}

static void *l21_thread(void *arg)
{
    l21_main(arg);
    flint_cleanup();   /* this thread's FLINT caches */
    return NULL;
}

/* H = Z / den (den > 0); Hq is H as rationals when the caller has it, else
 * NULL (then built only if a witness needs it). */
static int ldl_modular(lmo_ldl_t F, const fmpz_mat_t Z, const fmpz_t den, const fmpq_mat_t Hq,
                       lmo_err_t *err)
{
    slong n = fmpz_mat_nrows(Z);
    slong *order = flint_malloc(sizeof(slong) * (n > 0 ? n : 1));
    int done = 0;
    for (int attempt = 0; attempt < 3 && done == 0; attempt++) {
        /* three primes in [2^20, 2^21), as sym_order needs */
        ulong p = n_nextprime((UWORD(1) << 20) + 300007 * (ulong) attempt, 1);
        slong r = sym_order(order, Z, p);
        if (r < 0) break;   /* a zero Schur diagonal with a nonzero off-diagonal: full elimination */
        slong *I = order, *J = order + r, nj = n - r;
        fmpq_mat_t LA, L21;
        fmpq_mat_init(LA, r, r);
        fmpq_mat_init(L21, nj, r);
        fmpq *dA = _fmpq_vec_init(r > 0 ? r : 1);
        int ok = ldl_fixed(LA, dA, Z, I, r);   /* Z[I,I] = L_A (den D_A) L_A^T */
        if (ok && nj > 0) {
            fmpz_mat_t A, B, C, Xn, Bt;
            fmpz_t dx;
            fmpz_init(dx);
            zsub(A, Z, I, r, I, r);
            zsub(B, Z, I, r, J, nj);
            zsub(C, Z, J, nj, J, nj);
            fmpz_mat_init(Xn, r, nj);
            if (r == 0) {
                ok = fmpz_mat_is_zero(C);
            } else {
                /* X = A^{-1} B = Xn / dx: lmo_dixon_solve proves A Xn = dx B
                 * (zero residual of its exact invariant, or FLINT's solver as
                 * its fallback); the Schur complement is checked here:
                 * B^T Xn - dx C = 0 */
                ok = lmo_dixon_solve(Xn, dx, A, B, p) == LMO_OK;
                if (ok) {
                    /* the Schur check and L21 are independent: L21 in a
                     * second thread when the blocks are large enough to pay
                     * for it (its result is discarded if the check fails) */
                    l21_job_t job = {L21, LA, Xn, dx};
                    pthread_t th;
                    int threaded = nj * r >= 4096 &&
                                   pthread_create(&th, NULL, l21_thread, &job) == 0;
                    fmpz_mat_init(Bt, nj, r);
                    fmpz_mat_transpose(Bt, B);
                    fmpz_mat_neg(C, C);
                    ok = schur_zero(Bt, Xn, dx, C);
                    fmpz_mat_clear(Bt);
                    if (threaded) pthread_join(th, NULL);
                    else if (ok) l21_main(&job);
                }
            }
            fmpz_mat_clear(A); fmpz_mat_clear(B); fmpz_mat_clear(C); fmpz_mat_clear(Xn);
            fmpz_clear(dx);
        }
        if (ok) {
            reset(F, n, 1);
            F->complete = 1;
            for (slong i = 0; i < n; i++) F->perm[i] = order[i];
            for (slong i = 0; i < r; i++) {
                for (slong j = 0; j <= i; j++)
                    fmpq_swap(fmpq_mat_entry(F->L, i, j), fmpq_mat_entry(LA, i, j));
                fmpq_div_fmpz(F->D + i, dA + i, den);
                if (fmpq_sgn(dA + i) > 0) F->npos++; else F->nneg++;
            }
            for (slong i = 0; i < nj; i++) {
                for (slong j = 0; j < r; j++)
                    fmpq_swap(fmpq_mat_entry(F->L, r + i, j), fmpq_mat_entry(L21, i, j));
                fmpq_one(fmpq_mat_entry(F->L, r + i, r + i));
            }
            F->rank = r;
            F->nzero = nj;
            done = 1;
            for (slong k = 0; k < r; k++)
                if (fmpq_sgn(F->D + k) < 0) {
                    fmpq *u = _fmpq_vec_init(n);
                    fmpq_one(u + k);
                    /* L is complete here: solve_lt with k = n uses all of it */
                    fmpq_mat_t Hb;
                    if (!Hq) fmpq_mat_set_fmpz_mat_den(Hb, Z, den);
                    if (!set_witness(F, Hq ? Hq : Hb, n, u)) {
                        lmo_err_set(err, LMO_ELIMIT, "internal: LDL witness is not negative");
                        done = -1;
                    }
                    if (!Hq) fmpq_mat_clear(Hb);
                    _fmpq_vec_clear(u, n);
                    break;
                }
        }
        _fmpq_vec_clear(dA, r > 0 ? r : 1);
        fmpq_mat_clear(LA);
        fmpq_mat_clear(L21);
    }
    flint_free(order);
    return done;   /* 1 done, 0 fall back, -1 internal error (err set) */
}

int lmo_ldl_method(lmo_ldl_t F, const fmpq_mat_t H, int method, lmo_err_t *err)
{
    if (method == LMO_LDL_BAREISS) return ldl_core(F, H, 1, err);
    if (method == LMO_LDL_RATIONAL) return ldl_rational_core(F, H, 1, err);
    if (check_symmetric(H, err)) return err->code;
    slong n = fmpq_mat_nrows(H);
    fmpz_mat_t Z;
    fmpz_t den;
    fmpz_mat_init(Z, n, n);
    fmpz_init(den);
    fmpq_mat_get_fmpz_mat_matwise(Z, den, H);   /* Z = den H: same X, same Schur test */
    int d = ldl_modular(F, Z, den, H, err);
    fmpz_mat_clear(Z);
    fmpz_clear(den);
    if (d < 0) return err->code;
    if (d == 1) return LMO_OK;
    return ldl_rational_core(F, H, 1, err);
}

int lmo_ldl_fmpz(lmo_ldl_t F, const fmpz_mat_t Z, const fmpz_t den, lmo_err_t *err)
{
    slong n = fmpz_mat_nrows(Z);
    if (fmpz_mat_ncols(Z) != n)
        return lmo_err_set(err, LMO_EINPUT, "matrix: %ld x %ld is not square",
                           (long) n, (long) fmpz_mat_ncols(Z));
    if (fmpz_sgn(den) <= 0)
        return lmo_err_set(err, LMO_EINPUT, "matrix: denominator is not positive");
    for (slong i = 0; i < n; i++)
        for (slong j = 0; j < i; j++)
            if (!fmpz_equal(fmpz_mat_entry(Z, i, j), fmpz_mat_entry(Z, j, i)))
                return lmo_err_set(err, LMO_EINPUT, "matrix: not symmetric at [%ld][%ld]",
                                   (long) i, (long) j);
    int d = ldl_modular(F, Z, den, NULL, err);
    if (d < 0) return err->code;
    if (d == 1) return LMO_OK;
    fmpq_mat_t H;
    fmpq_mat_set_fmpz_mat_den(H, Z, den);
    int rc = ldl_rational_core(F, H, 1, err);
    fmpq_mat_clear(H);
    return rc;
}

int lmo_ldl(lmo_ldl_t F, const fmpq_mat_t H, lmo_err_t *err)
{
    return lmo_ldl_method(F, H, LMO_LDL_MODULAR, err);
}

int lmo_inertia(slong *npos, slong *nneg, slong *nzero, const fmpq_mat_t H, lmo_err_t *err)
{
    lmo_ldl_t F;
    lmo_ldl_init(F);
    int rc = lmo_ldl(F, H, err);   /* the factors are a by-product of the fast path */
    if (rc == LMO_OK) { *npos = F->npos; *nneg = F->nneg; *nzero = F->nzero; }
    lmo_ldl_clear(F);
    return rc;
}

int lmo_ldl_is_psd(const lmo_ldl_t F) { return F->complete && F->nneg == 0; }
int lmo_ldl_is_pd(const lmo_ldl_t F) { return F->complete && F->nneg == 0 && F->nzero == 0; }

int lmo_ldl_verify(const lmo_ldl_t F, const fmpq_mat_t H)
{
    slong n = F->n;
    if (fmpq_mat_nrows(H) != n || fmpq_mat_ncols(H) != n) return 0;
    if (fmpq_mat_nrows(F->L) != n || fmpq_mat_ncols(F->L) != n) return 0;
    char *seen = flint_calloc(n > 0 ? n : 1, 1);
    int ok = 1;
    for (slong i = 0; i < n && ok; i++) {
        slong p = F->perm[i];
        if (p < 0 || p >= n || seen[p]) ok = 0; else seen[p] = 1;
    }
    flint_free(seen);
    for (slong i = 0; i < n && ok; i++)
        for (slong j = i; j < n && ok; j++)
            if (j == i ? !fmpq_is_one(fmpq_mat_entry(F->L, i, j))
                       : !fmpq_is_zero(fmpq_mat_entry(F->L, i, j))) ok = 0;
    if (!ok) return 0;
    /* (L D L^T)[i][j] = sum_k L[i][k] D[k] L[j][k], compared entrywise */
    fmpq_t s, t;
    fmpq_init(s);
    fmpq_init(t);
    for (slong i = 0; i < n && ok; i++)
        for (slong j = 0; j <= i && ok; j++) {
            fmpq_zero(s);
            for (slong k = 0; k <= j; k++) {
                if (fmpq_is_zero(F->D + k)) continue;
                fmpq_mul(t, fmpq_mat_entry(F->L, i, k), fmpq_mat_entry(F->L, j, k));
                fmpq_addmul(s, t, F->D + k);
            }
            if (!fmpq_equal(s, fmpq_mat_entry(H, F->perm[i], F->perm[j])) ||
                !fmpq_equal(s, fmpq_mat_entry(H, F->perm[j], F->perm[i]))) ok = 0;
        }
    fmpq_clear(s);
    fmpq_clear(t);
    return ok;
}

int lmo_ldl_kernel(fmpq_mat_t K, const lmo_ldl_t F)
{
    slong n = F->n, r = F->rank;
    if (!F->complete) { fmpq_mat_init(K, n, 0); return -1; }
    fmpq_mat_init(K, n, n - r);
    fmpq *u = _fmpq_vec_init(n > 0 ? n : 1), *y = _fmpq_vec_init(n > 0 ? n : 1);
    for (slong c = 0; c < n - r; c++) {
        qvec_zero(u, n);
        fmpq_one(u + r + c);
        /* trailing block of L is the identity: solve_lt with k = r is exact */
        solve_lt(y, F->L, n, r, u);
        for (slong j = 0; j < n; j++) fmpq_set(fmpq_mat_entry(K, F->perm[j], c), y + j);
    }
    _fmpq_vec_clear(u, n > 0 ? n : 1);
    _fmpq_vec_clear(y, n > 0 ? n : 1);
    return 0;
}

json_t *lmo_ldl_to_json(const lmo_ldl_t F)
{
    if (!F->complete) return NULL;
    json_t *o = json_object(), *perm = json_array(), *D = json_array();
    for (slong i = 0; i < F->n; i++) {
        json_array_append_new(perm, json_integer(F->perm[i]));
        json_array_append_new(D, lmo_json_from_q(F->D + i));
    }
    json_object_set_new(o, "perm", perm);
    /* L as lmo_json_from_mat writes it, but its many 0s and 1s share one
     * (immutable) JSON value each: n^2 allocations fewer */
    json_t *L = json_object(), *data = json_array(), *zero = json_integer(0),
           *one = json_integer(1);
    json_object_set_new(L, "rows", json_integer(F->n));
    json_object_set_new(L, "cols", json_integer(F->n));
    for (slong i = 0; i < F->n; i++) {
        json_t *row = json_array();
        for (slong j = 0; j < F->n; j++) {
            const fmpq *x = fmpq_mat_entry(F->L, i, j);
            if (fmpq_is_zero(x)) json_array_append(row, zero);
            else if (fmpq_is_one(x)) json_array_append(row, one);
            else json_array_append_new(row, lmo_json_from_q(x));
        }
        json_array_append_new(data, row);
    }
    json_decref(zero);
    json_decref(one);
    json_object_set_new(L, "data", data);
    json_object_set_new(o, "L", L);
    json_object_set_new(o, "D", D);
    return o;
}

json_t *lmo_ldl_witness_to_json(const lmo_ldl_t F)
{
    if (!F->has_witness) return NULL;
    json_t *o = json_object(), *v = json_array();
    for (slong i = 0; i < F->n; i++)
        json_array_append_new(v, lmo_json_from_q(fmpq_mat_entry(F->v, i, 0)));
    json_object_set_new(o, "v", v);
    json_object_set_new(o, "vHv", lmo_json_from_q(F->vHv));
    return o;
}
