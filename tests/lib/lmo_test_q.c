/* lmo_test_q.c -- random exact data shared by the unit tests (lmo_test_q.h). */
#include <stdio.h>
#include <gmp.h>
#include "lmo_test.h"
#include "lmo_test_q.h"
#include "lmo_fast/rank.h"

void lmo_test_rand_q(fmpq_t q, lmo_rng_t *rng, slong bound, slong maxden, int nonzero)
{
    do {
        slong num = (slong) lmo_rng_below(rng, 2 * bound + 1) - bound;
        fmpq_set_si(q, num, 1 + lmo_rng_below(rng, maxden));
    } while (nonzero && fmpq_is_zero(q));
}

void lmo_test_rand_qmat(fmpq_mat_t M, lmo_rng_t *rng, slong bound, slong maxden, int nonzero)
{
    for (slong i = 0; i < fmpq_mat_nrows(M); i++)
        for (slong j = 0; j < fmpq_mat_ncols(M); j++) {
            fmpq *q = fmpq_mat_entry(M, i, j);
            if (nonzero != LMO_TEST_NONZERO_NUM) {
                lmo_test_rand_q(q, rng, bound, maxden, nonzero);
                continue;
            }
            slong v;
            do v = (slong) lmo_rng_below(rng, 2 * bound + 1) - bound; while (v == 0);
            fmpq_set_si(q, v, 1 + lmo_rng_below(rng, maxden));
        }
}

void lmo_test_rand_dl_init(lmo_deep_linear_t dl, flint_rand_t st)
{
    slong H = 1 + n_randint(st, 3), dims[6], m = 1 + n_randint(st, 4);
    for (slong k = 0; k <= H + 1; k++) dims[k] = 1 + n_randint(st, 3);
    lmo_deep_linear_init(dl, H, dims, m);
}

double lmo_test_q_get_d(const fmpq_t q)
{
    mpq_t t;
    mpq_init(t);
    fmpq_get_mpq(t, q);
    int overflow = 0;
    double d = lmo_fast_d_from_mpq(t, &overflow);
    mpq_clear(t);
    return d;
}

void lmo_test_qmat_get_d(double *out, const fmpq_mat_t M)
{
    for (slong i = 0; i < fmpq_mat_nrows(M); i++)
        for (slong j = 0; j < fmpq_mat_ncols(M); j++)
            out[i * fmpq_mat_ncols(M) + j] = lmo_test_q_get_d(fmpq_mat_entry(M, i, j));
}

slong lmo_test_sign_changes(const fmpq_poly_t f, int flip_odd)
{
    slong changes = 0;
    int last = 0;
    fmpq_t c;
    fmpq_init(c);
    for (slong i = 0; i <= fmpq_poly_degree(f); i++) {
        fmpq_poly_get_coeff_fmpq(c, f, i);
        int s = fmpq_sgn(c);
        if (flip_odd && (i & 1)) s = -s;
        if (s == 0) continue;
        if (last != 0 && s != last) changes++;
        last = s;
    }
    fmpq_clear(c);
    return changes;
}

void lmo_test_trials(lmo_rng_t *rng, int n, void (*trial)(lmo_rng_t *rng, int t))
{
    for (int t = 0; t < n; t++) {
        int before = lmo_test_failures();
        trial(rng, t);
        if (lmo_test_failures() > before) fprintf(stderr, "  (in trial %d of %d)\n", t, n);
    }
}
