/*
 * Certified exact rank (see lmo/linalg/rank.h). Modular first, exact lifting
 * second, exact verification always.
 */
#include <stdlib.h>
#include <string.h>
#include <flint/nmod_mat.h>
#include <flint/ulong_extras.h>
#include "lmo/core/members.h"
#include "lmo/linalg/rank.h"
#include "lmo/linalg/dixon.h"

#define LMO_RANK_MAX_TRIES 24

/* the members lmo_rank_init initialises and lmo_rank_clear clears (lmo/core/members.h);
 * rows, cols and free are allocated by reset() */
#define RANK_MEMBERS(X, R)              \
    X(fmpz_mat, R->kernel_num, 0, 0)    \
    X(fmpz, R->kernel_den)

void lmo_rank_init(lmo_rank_t R)
{
    memset(R, 0, sizeof *R);
    RANK_MEMBERS(LMO_MEMBER_INIT, R)
    fmpz_one(R->kernel_den);
}

static void free_pivots(lmo_rank_t R)
{
    flint_free(R->rows);
    flint_free(R->cols);
    flint_free(R->free);
}

void lmo_rank_clear(lmo_rank_t R)
{
    free_pivots(R);
    RANK_MEMBERS(LMO_MEMBER_CLEAR, R)
    memset(R, 0, sizeof *R);
}

static void reset(lmo_rank_t R, slong m, slong n)
{
    free_pivots(R);
    R->rows = flint_malloc(sizeof(slong) * (FLINT_MIN(m, n) + 1));
    R->cols = flint_malloc(sizeof(slong) * (FLINT_MIN(m, n) + 1));
    R->free = flint_malloc(sizeof(slong) * (n + 1));
    R->m = m; R->n = n; R->rank = 0;
    fmpz_mat_clear(R->kernel_num);
    fmpz_mat_init(R->kernel_num, 0, 0);
    fmpz_one(R->kernel_den);
}

/* A random prime whose square times the inner dimension stays below 2^64,
 * so FLINT's dot products need a single limb (the fast path), yet large
 * enough (>= 2^20) that an unlucky prime is rare. Unlucky primes are still
 * caught by the exact kernel check. */
static ulong random_prime(lmo_rng_t *rng, slong inner)
{
    int lg = 1;
    while ((WORD(1) << lg) <= inner + 1 && lg < 40) lg++;
    int bits = (64 - lg) / 2;
    if (bits < 20) bits = 20;
    if (bits > 31) bits = 31;
    ulong lo = UWORD(1) << (bits - 1);
    return n_nextprime(lo + lmo_rng_below(rng, lo), 1);
}

/* Rank mod p, pivot rows (perm) and pivot columns read off the echelon U of
 * FLINT's packed LU. Returns the rank. */
static slong modular_pivots(slong *rows, slong *cols, const fmpz_mat_t M, ulong p)
{
    slong m = fmpz_mat_nrows(M), n = fmpz_mat_ncols(M);
    nmod_mat_t A;
    nmod_mat_init(A, m, n, p);
    fmpz_mat_get_nmod_mat(A, M);
    slong *P = flint_malloc(sizeof(slong) * (m + 1));
    slong r = (m == 0 || n == 0) ? 0 : nmod_mat_lu(P, A, 0);
    slong c = 0;
    for (slong i = 0; i < r; i++) {
        if (c < i) c = i;
        while (c < n && nmod_mat_entry(A, i, c) == 0) c++;
        if (c >= n) { r = i; break; }   /* not the layout we expect: fewer pivots, caught later */
        rows[i] = P[i];
        cols[i] = c++;
    }
    flint_free(P);
    nmod_mat_clear(A);
    return r;
}

/* Kernel from the pivot subsystem; 1 if it verifies on every row. */
static int exact_kernel(lmo_rank_t R, const fmpz_mat_t M, ulong seed)
{
    slong m = R->m, n = R->n, r = R->rank, k = n - r;
    char *is_piv = flint_calloc(n + 1, 1);
    for (slong i = 0; i < r; i++) is_piv[R->cols[i]] = 1;
    for (slong j = 0, f = 0; j < n; j++) if (!is_piv[j]) R->free[f++] = j;

    fmpz_mat_clear(R->kernel_num);
    fmpz_mat_init(R->kernel_num, n, k);
    fmpz_one(R->kernel_den);
    if (k == 0) { flint_free(is_piv); return 1; }

    fmpz_mat_t A, B, X, L, F;
    fmpz_mat_init(A, r, r); fmpz_mat_init(B, r, k); fmpz_mat_init(X, r, k);
    for (slong i = 0; i < r; i++) {
        for (slong j = 0; j < r; j++)
            fmpz_set(fmpz_mat_entry(A, i, j), fmpz_mat_entry(M, R->rows[i], R->cols[j]));
        for (slong j = 0; j < k; j++)
            fmpz_neg(fmpz_mat_entry(B, i, j), fmpz_mat_entry(M, R->rows[i], R->free[j]));
    }
    int ok = (r == 0) || lmo_dixon_solve(X, R->kernel_den, A, B, seed) == LMO_OK;
    if (ok) {
        /* The pivot rows satisfy M[p,piv] X + den M[p,free] = 0 by the solver's
         * own exact proof (lmo_dixon_solve returns only proven solutions). The
         * other rows are where an unlucky prime shows: check them exactly. */
        char *is_pivrow = flint_calloc(m + 1, 1);
        for (slong i = 0; i < r; i++) is_pivrow[R->rows[i]] = 1;
        fmpz_mat_init(L, m - r, r); fmpz_mat_init(F, m - r, k);
        for (slong i = 0, t = 0; i < m; i++) {
            if (is_pivrow[i]) continue;
            for (slong j = 0; j < r; j++)
                fmpz_set(fmpz_mat_entry(L, t, j), fmpz_mat_entry(M, i, R->cols[j]));
            for (slong j = 0; j < k; j++)
                fmpz_set(fmpz_mat_entry(F, t, j), fmpz_mat_entry(M, i, R->free[j]));
            t++;
        }
        ok = m == r || lmo_zmat_check_kernel(L, X, R->kernel_den, F);
        fmpz_mat_clear(L); fmpz_mat_clear(F);
        flint_free(is_pivrow);
    }
    if (ok) {
        for (slong i = 0; i < r; i++)
            for (slong j = 0; j < k; j++)
                fmpz_set(fmpz_mat_entry(R->kernel_num, R->cols[i], j), fmpz_mat_entry(X, i, j));
        for (slong j = 0; j < k; j++)
            fmpz_set(fmpz_mat_entry(R->kernel_num, R->free[j], j), R->kernel_den);
    }
    fmpz_mat_clear(A); fmpz_mat_clear(B); fmpz_mat_clear(X);
    flint_free(is_piv);
    return ok;
}

static int certified(lmo_rank_t R, const fmpz_mat_t M, const fmpz *rowden,
                     ulong first_prime, ulong seed, lmo_err_t *err)
{
    slong m = fmpz_mat_nrows(M), n = fmpz_mat_ncols(M);
    lmo_rng_t rng;
    lmo_rng_seed(&rng, seed ^ UWORD(0x6c6d6f2d72616e6b));   /* "lmo-rank" */
    reset(R, m, n);
    for (int t = 1; t <= LMO_RANK_MAX_TRIES; t++) {
        ulong p = (t == 1 && first_prime) ? first_prime : random_prime(&rng, FLINT_MIN(m, n));
        int divides = 0;   /* p must divide no denominator (certificate rule) */
        for (slong i = 0; rowden && i < m && !divides; i++)
            divides = fmpz_fdiv_ui(rowden + i, p) == 0;
        if (divides) continue;
        R->prime = p;
        R->primes_tried = t;
        R->rank = modular_pivots(R->rows, R->cols, M, p);
        if (exact_kernel(R, M, lmo_rng_next(&rng))) return LMO_OK;
    }
    return lmo_err_set(err, LMO_ELIMIT, "rank: no verified result after %d primes (internal error)",
                       LMO_RANK_MAX_TRIES);
}

int lmo_rank_certified_fmpz(lmo_rank_t R, const fmpz_mat_t M, ulong seed, lmo_err_t *err)
{
    return certified(R, M, NULL, 0, seed, err);
}

int lmo_rank_certified_prime(lmo_rank_t R, const fmpq_mat_t M, ulong first_prime,
                             ulong seed, lmo_err_t *err)
{
    slong m = fmpq_mat_nrows(M), n = fmpq_mat_ncols(M);
    fmpz_mat_t Z;
    fmpz *den = _fmpz_vec_init(m + 1);
    fmpz_mat_init(Z, m, n);
    /* row i scaled by the lcm of its denominators: same rank, same kernel */
    if (m > 0 && n > 0) fmpq_mat_get_fmpz_mat_rowwise(Z, den, M);
    else for (slong i = 0; i < m; i++) fmpz_one(den + i);
    int rc = certified(R, Z, den, first_prime, seed, err);
    fmpz_mat_clear(Z);
    _fmpz_vec_clear(den, m + 1);
    return rc;
}

int lmo_rank_certified(lmo_rank_t R, const fmpq_mat_t M, ulong seed, lmo_err_t *err)
{
    return lmo_rank_certified_prime(R, M, 0, seed, err);
}

slong lmo_rank(const fmpq_mat_t M, ulong seed)
{
    lmo_rank_t R;
    lmo_err_t err;
    lmo_rank_init(R);
    slong r = lmo_rank_certified(R, M, seed, &err) == LMO_OK ? R->rank : -1;
    lmo_rank_clear(R);
    return r;
}

int lmo_rank_verify(const lmo_rank_t R, const fmpq_mat_t M)
{
    slong m = fmpq_mat_nrows(M), n = fmpq_mat_ncols(M), r = R->rank, k = n - r;
    if (R->m != m || R->n != n || r < 0 || r > FLINT_MIN(m, n)) return 0;
    if (fmpz_mat_nrows(R->kernel_num) != n || fmpz_mat_ncols(R->kernel_num) != k) return 0;
    int ok = 1;
    /* minor: distinct in-range indices, p divides no denominator, det != 0 mod p */
    nmod_mat_t S;
    nmod_mat_init(S, r, r, R->prime);
    for (slong i = 0; i < r && ok; i++)
        for (slong j = 0; j < r && ok; j++) {
            if (R->rows[i] < 0 || R->rows[i] >= m || R->cols[j] < 0 || R->cols[j] >= n) { ok = 0; break; }
            const fmpq *q = fmpq_mat_entry(M, R->rows[i], R->cols[j]);
            ulong d = fmpz_fdiv_ui(fmpq_denref(q), R->prime);
            if (d == 0) { ok = 0; break; }
            ulong a = fmpz_fdiv_ui(fmpq_numref(q), R->prime);
            nmod_mat_entry(S, i, j) = nmod_mul(a, n_invmod(d, R->prime), S->mod);
        }
    if (ok && r > 0) ok = nmod_mat_rank(S) == r;
    nmod_mat_clear(S);
    /* kernel: echelon on the free columns, M k = 0 */
    for (slong j = 0; j < k && ok; j++)
        for (slong i = 0; i < k && ok; i++) {
            if (R->free[i] < 0 || R->free[i] >= n) { ok = 0; break; }
            const fmpz *e = fmpz_mat_entry(R->kernel_num, R->free[i], j);
            ok = (i == j) ? fmpz_equal(e, R->kernel_den) : fmpz_is_zero(e);
        }
    if (ok && k > 0) {
        fmpq_mat_t K, P;
        fmpq_mat_init(K, n, k); fmpq_mat_init(P, m, k);
        fmpq_mat_set_fmpz_mat_div_fmpz(K, R->kernel_num, R->kernel_den);
        fmpq_mat_mul(P, M, K);
        ok = fmpq_mat_is_zero(P);
        fmpq_mat_clear(K); fmpq_mat_clear(P);
    }
    return ok;
}
