/* Exact inertia by symmetric LDL^T (lmo/linalg/inertia.h), cross-checked against
 * Descartes' rule of signs on the characteristic polynomial: for a real
 * symmetric matrix every root of det(xI - H) is real, so the number of sign
 * changes of its coefficients is exactly the number of positive eigenvalues
 * (with multiplicity), and that of det(-xI - H)'s coefficients the number of
 * negative ones. Certificates are re-checked, and tampered ones rejected. */
#include <stdio.h>
#include <stdlib.h>
#include <flint/fmpq_poly.h>
#include <flint/ulong_extras.h>
#include "lmo/linalg/inertia.h"
#include "lmo_test.h"
#include "lmo_test_q.h"

static int n_indef = 0, n_incomplete = 0, n_singular = 0;

/* Inertia by Descartes on charpoly (independent of the LDL code). */
static void descartes(slong *pos, slong *neg, slong *zero, const fmpq_mat_t H)
{
    fmpq_poly_t f;
    fmpq_poly_init(f);
    fmpq_mat_charpoly(f, H);
    slong z = 0;
    fmpq_t c;
    fmpq_init(c);
    for (;; z++) {
        fmpq_poly_get_coeff_fmpq(c, f, z);
        if (!fmpq_is_zero(c)) break;
    }
    fmpq_clear(c);
    *zero = z;
    *pos = lmo_test_sign_changes(f, 0);
    *neg = lmo_test_sign_changes(f, 1);
    fmpq_poly_clear(f);
}

static void rand_q(fmpq_t x, flint_rand_t st, int bits)
{
    fmpz_randtest(fmpq_numref(x), st, bits);
    fmpz_randtest_not_zero(fmpq_denref(x), st, 3);
    fmpz_abs(fmpq_denref(x), fmpq_denref(x));
    fmpq_canonicalise(x);
}

/* A random symmetric matrix of one of several kinds. */
static void make(fmpq_mat_t H, slong n, int kind, flint_rand_t st)
{
    fmpq_mat_zero(H);
    if (kind == 0) {                 /* dense random */
        for (slong i = 0; i < n; i++)
            for (slong j = 0; j <= i; j++) {
                rand_q(fmpq_mat_entry(H, i, j), st, 6);
                fmpq_set(fmpq_mat_entry(H, j, i), fmpq_mat_entry(H, i, j));
            }
    } else if (kind <= 3) {          /* B diag(s) B^T: rank r, chosen signs */
        slong r = n_randint(st, n + 1);
        fmpq_mat_t B, BD, Bt;
        fmpq_mat_init(B, n, r);
        fmpq_mat_init(BD, n, r);
        fmpq_mat_init(Bt, r, n);
        for (slong i = 0; i < n; i++)
            for (slong j = 0; j < r; j++) rand_q(fmpq_mat_entry(B, i, j), st, 4);
        for (slong j = 0; j < r; j++) {
            int s = kind == 1 ? 1 : kind == 2 ? -1 : (n_randint(st, 2) ? 1 : -1);
            for (slong i = 0; i < n; i++)
                fmpq_mul_si(fmpq_mat_entry(BD, i, j), fmpq_mat_entry(B, i, j), s);
        }
        fmpq_mat_transpose(Bt, B);
        fmpq_mat_mul(H, BD, Bt);
        fmpq_mat_clear(B);
        fmpq_mat_clear(BD);
        fmpq_mat_clear(Bt);
    } else if (kind == 4) {          /* zero diagonal, sparse off-diagonal */
        for (slong i = 0; i < n; i++)
            for (slong j = 0; j < i; j++)
                if (n_randint(st, 3) == 0) {
                    rand_q(fmpq_mat_entry(H, i, j), st, 4);
                    fmpq_set(fmpq_mat_entry(H, j, i), fmpq_mat_entry(H, i, j));
                }
    } else {                         /* small integers, many zeros (singular) */
        for (slong i = 0; i < n; i++)
            for (slong j = 0; j <= i; j++) {
                fmpq_set_si(fmpq_mat_entry(H, i, j), (slong) n_randint(st, 3) - 1, 1);
                fmpq_set(fmpq_mat_entry(H, j, i), fmpq_mat_entry(H, i, j));
            }
    }
}

static void check_one(const fmpq_mat_t H, const char *what)
{
    slong n = fmpq_mat_nrows(H), p, q, z;
    lmo_ldl_t F;
    lmo_err_t err;
    lmo_ldl_init(F);
    CHECKF(lmo_ldl(F, H, &err) == LMO_OK, "%s: lmo_ldl failed: %s", what, err.msg);
    descartes(&p, &q, &z, H);
    {   /* the integer entry point on (den H, den) gives the same inertia */
        fmpz_mat_t Z;
        fmpz_t den;
        lmo_ldl_t G;
        fmpz_mat_init(Z, n, n);
        fmpz_init(den);
        fmpq_mat_get_fmpz_mat_matwise(Z, den, H);
        lmo_ldl_init(G);
        CHECKF(lmo_ldl_fmpz(G, Z, den, &err) == LMO_OK, "%s: lmo_ldl_fmpz failed", what);
        CHECKF(G->npos == p && G->nneg == q && G->nzero == z, "%s: lmo_ldl_fmpz inertia "
               "(%ld,%ld,%ld) != Descartes", what, (long) G->npos, (long) G->nneg, (long) G->nzero);
        if (G->complete) CHECKF(lmo_ldl_verify(G, H), "%s: lmo_ldl_fmpz: P^T H P != L D L^T", what);
        if (G->nneg > 0) CHECKF(G->has_witness && fmpq_sgn(G->vHv) < 0, "%s: lmo_ldl_fmpz: "
                                "no negative witness", what);
        lmo_ldl_clear(G);
        fmpz_mat_clear(Z);
        fmpz_clear(den);
    }
    CHECKF(F->npos == p && F->nneg == q && F->nzero == z,
           "%s n=%ld: LDL inertia (%ld,%ld,%ld) != Descartes (%ld,%ld,%ld)", what, (long) n,
           (long) F->npos, (long) F->nneg, (long) F->nzero, (long) p, (long) q, (long) z);
    if (F->nneg == 0) CHECKF(F->complete, "%s: PSD but no complete factorisation", what);
    if (F->complete) {
        CHECKF(lmo_ldl_verify(F, H), "%s: P^T H P != L D L^T", what);
        fmpq_mat_t K, HK;
        lmo_ldl_kernel(K, F);
        fmpq_mat_init(HK, n, fmpq_mat_ncols(K));
        fmpq_mat_mul(HK, H, K);
        CHECKF(fmpq_mat_is_zero(HK), "%s: kernel vectors not in ker H", what);
        fmpq_mat_t E;
        fmpq_mat_init(E, n, fmpq_mat_ncols(K));
        CHECKF(fmpq_mat_rref(E, K) == z, "%s: kernel basis has the wrong rank", what);
        fmpq_mat_clear(E);
        fmpq_mat_clear(K);
        fmpq_mat_clear(HK);
    }
    if (F->nneg > 0) {
        CHECKF(F->has_witness, "%s: indefinite without a witness", what);
        /* recompute v^T H v by a plain double loop */
        fmpq_t s, t;
        fmpq_init(s);
        fmpq_init(t);
        for (slong i = 0; i < n; i++)
            for (slong j = 0; j < n; j++) {
                fmpq_mul(t, fmpq_mat_entry(F->v, i, 0), fmpq_mat_entry(F->v, j, 0));
                fmpq_addmul(s, t, fmpq_mat_entry(H, i, j));
            }
        CHECKF(fmpq_sgn(s) < 0 && fmpq_equal(s, F->vHv), "%s: witness v^T H v not < 0", what);
        fmpq_clear(s);
        fmpq_clear(t);
    } else {
        CHECKF(!F->has_witness, "%s: PSD matrix with a witness", what);
    }
    n_indef += F->nneg > 0;
    n_incomplete += !F->complete;
    n_singular += F->nzero > 0;
    /* the other two eliminations: same inertia, valid factors */
    for (int meth = LMO_LDL_RATIONAL; meth <= LMO_LDL_BAREISS; meth++) {
        lmo_ldl_t G;
        lmo_ldl_init(G);
        CHECKF(lmo_ldl_method(G, H, meth, &err) == LMO_OK, "%s: method %d failed", what, meth);
        CHECKF(G->npos == p && G->nneg == q && G->nzero == z, "%s: method %d inertia differs",
               what, meth);
        if (G->complete) CHECKF(lmo_ldl_verify(G, H), "%s: method %d factors invalid", what, meth);
        if (G->nneg > 0) CHECKF(G->has_witness && fmpq_sgn(G->vHv) < 0, "%s: method %d witness",
                                what, meth);
        lmo_ldl_clear(G);
    }
    /* the inertia-only entry point agrees */
    slong a, b, c;
    CHECKF(lmo_inertia(&a, &b, &c, H, &err) == LMO_OK && a == p && b == q && c == z,
           "%s: lmo_inertia disagrees", what);
    lmo_ldl_clear(F);
}

static void tamper_tests(flint_rand_t st)
{
    /* a PSD matrix with a nontrivial factorisation */
    slong n = 5;
    fmpq_mat_t H;
    fmpq_mat_init(H, n, n);
    make(H, n, 1, st);
    for (slong i = 0; i < n; i++)   /* make it positive definite */
        fmpq_add_si(fmpq_mat_entry(H, i, i), fmpq_mat_entry(H, i, i), 1);
    lmo_ldl_t F;
    lmo_err_t err;
    lmo_ldl_init(F);
    lmo_ldl(F, H, &err);
    CHECKF(lmo_ldl_is_pd(F) && lmo_ldl_verify(F, H), "tamper: base certificate invalid");
    fmpq_t keep;
    fmpq_init(keep);
    /* flip one entry of L below the diagonal */
    fmpq_set(keep, fmpq_mat_entry(F->L, 3, 1));
    fmpq_add_si(fmpq_mat_entry(F->L, 3, 1), keep, 1);
    CHECKF(!lmo_ldl_verify(F, H), "tamper: changed L accepted");
    fmpq_set(fmpq_mat_entry(F->L, 3, 1), keep);
    /* a nonzero above the diagonal */
    fmpq_one(fmpq_mat_entry(F->L, 0, 2));
    CHECKF(!lmo_ldl_verify(F, H), "tamper: non-triangular L accepted");
    fmpq_zero(fmpq_mat_entry(F->L, 0, 2));
    /* one pivot changed */
    fmpq_set(keep, F->D + 2);
    fmpq_mul_si(F->D + 2, keep, 2);
    CHECKF(!lmo_ldl_verify(F, H), "tamper: changed D accepted");
    fmpq_set(F->D + 2, keep);
    /* two indices of the permutation exchanged / duplicated */
    slong t = F->perm[0];
    F->perm[0] = F->perm[4];
    F->perm[4] = t;
    CHECKF(!lmo_ldl_verify(F, H), "tamper: swapped permutation accepted");
    F->perm[4] = F->perm[0];
    CHECKF(!lmo_ldl_verify(F, H), "tamper: non-permutation accepted");
    fmpq_clear(keep);
    lmo_ldl_clear(F);
    fmpq_mat_clear(H);
}

static void fixed_cases(void)
{
    lmo_ldl_t F;
    lmo_err_t err;
    lmo_ldl_init(F);
    fmpq_mat_t H;
    /* [[0,1],[1,0]]: eigenvalues +1, -1; no 1x1 pivot exists */
    fmpq_mat_init(H, 2, 2);
    fmpq_one(fmpq_mat_entry(H, 0, 1));
    fmpq_one(fmpq_mat_entry(H, 1, 0));
    CHECKF(lmo_ldl(F, H, &err) == LMO_OK && F->npos == 1 && F->nneg == 1 && F->nzero == 0 &&
           F->has_witness && !F->complete, "swap matrix");
    fmpq_mat_clear(H);
    /* A prime that under-reports the rank, caught only by an off-diagonal
     * block of the Schur complement: H = diag(1, p1 S) with p1 the first
     * modular prime (n_nextprime(2^20)) and S = e_0 e_48^T + e_48 e_0^T on
     * the 49 indices after the first. Mod p1 the rank is 1, so the Schur
     * complement p1 S must be found nonzero, in its (0, 2) block of 3 x 3;
     * the true inertia is (2, 1, 47). */
    {
        fmpq_mat_t G;
        fmpq_mat_init(G, 50, 50);
        fmpq_one(fmpq_mat_entry(G, 0, 0));
        fmpq_set_si(fmpq_mat_entry(G, 1, 49), (slong) n_nextprime(UWORD(1) << 20, 1), 1);
        fmpq_set(fmpq_mat_entry(G, 49, 1), fmpq_mat_entry(G, 1, 49));
        check_one(G, "bad first prime");
        CHECKF(lmo_ldl(F, G, &err) == LMO_OK && F->npos == 2 && F->nneg == 1 && F->nzero == 47,
               "bad first prime: inertia (%ld,%ld,%ld) != (2,1,47)", (long) F->npos,
               (long) F->nneg, (long) F->nzero);
        fmpq_mat_clear(G);
    }
    /* zero matrix: PSD, rank 0, kernel everything */
    fmpq_mat_init(H, 3, 3);
    CHECKF(lmo_ldl(F, H, &err) == LMO_OK && F->nzero == 3 && lmo_ldl_is_psd(F) &&
           lmo_ldl_verify(F, H), "zero matrix");
    fmpq_mat_clear(H);
    /* not symmetric: input error */
    fmpq_mat_init(H, 2, 2);
    fmpq_one(fmpq_mat_entry(H, 0, 1));
    CHECKF(lmo_ldl(F, H, &err) == LMO_EINPUT, "non-symmetric accepted");
    fmpq_mat_clear(H);
    /* 0 x 0 */
    fmpq_mat_init(H, 0, 0);
    CHECKF(lmo_ldl(F, H, &err) == LMO_OK && F->n == 0 && lmo_ldl_is_pd(F), "empty matrix");
    fmpq_mat_clear(H);
    lmo_ldl_clear(F);
}

/* Large enough for the blocked Schur check and L21 in its own thread
 * (nj r >= 4096): B diag(s) B^T, n = 140, rank 70, small integer B; once
 * positive semidefinite, once indefinite. */
static void large_cases(flint_rand_t st)
{
    for (int kind = 0; kind < 2; kind++) {
        slong n = 140, r = 70;
        fmpq_mat_t B, BD, Bt, H;
        fmpq_mat_init(B, n, r);
        fmpq_mat_init(BD, n, r);
        fmpq_mat_init(Bt, r, n);
        fmpq_mat_init(H, n, n);
        for (slong i = 0; i < n; i++)
            for (slong j = 0; j < r; j++) {
                fmpq_set_si(fmpq_mat_entry(B, i, j), (slong) n_randint(st, 7) - 3, 1);
                fmpq_mul_si(fmpq_mat_entry(BD, i, j), fmpq_mat_entry(B, i, j),
                            kind == 1 && j % 3 == 0 ? -1 : 1);
            }
        fmpq_mat_transpose(Bt, B);
        fmpq_mat_mul(H, BD, Bt);
        /* not check_one: its rational and Bareiss eliminations take ~10 s
         * here; the certificate re-check and Descartes decide alone */
        slong p, q, z;
        lmo_ldl_t F;
        lmo_err_t err;
        lmo_ldl_init(F);
        descartes(&p, &q, &z, H);
        CHECKF(lmo_ldl(F, H, &err) == LMO_OK, "large %d: lmo_ldl failed", kind);
        CHECKF(F->npos == p && F->nneg == q && F->nzero == z && z == n - r,
               "large %d: inertia (%ld,%ld,%ld) != Descartes (%ld,%ld,%ld)", kind,
               (long) F->npos, (long) F->nneg, (long) F->nzero, (long) p, (long) q, (long) z);
        CHECKF(F->complete && lmo_ldl_verify(F, H), "large %d: P^T H P != L D L^T", kind);
        if (kind == 1)
            CHECKF(F->has_witness && fmpq_sgn(F->vHv) < 0, "large indefinite: no witness");
        lmo_ldl_clear(F);
        fmpq_mat_clear(B);
        fmpq_mat_clear(BD);
        fmpq_mat_clear(Bt);
        fmpq_mat_clear(H);
    }
}

int main(void)
{
    flint_rand_t st;
    flint_randinit(st);
    fixed_cases();
    large_cases(st);
    tamper_tests(st);
    char what[64];
    for (int it = 0; it < 300; it++) {
        slong n = 1 + n_randint(st, 9);
        int kind = it % 6;
        fmpq_mat_t H;
        fmpq_mat_init(H, n, n);
        make(H, n, kind, st);
        snprintf(what, sizeof what, "iter %d kind %d", it, kind);
        check_one(H, what);
        fmpq_mat_clear(H);
    }
    flint_randclear(st);
    flint_cleanup();
    /* the sweep must exercise every branch, or it proves little */
    CHECKF(n_indef > 50 && n_incomplete > 5 && n_singular > 50,
           "coverage: %d indefinite, %d needing a congruence step, %d singular",
           n_indef, n_incomplete, n_singular);
    printf("test_inertia: %d indefinite, %d congruence steps, %d singular\n",
           n_indef, n_incomplete, n_singular);
    return lmo_test_finish();
}
