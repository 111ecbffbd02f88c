/*
 * Certified singular values (oracle/svals) against values known in closed
 * form, against the exact rank (number of exact zeros = min(m,n) - rank by
 * fmpq_mat_rank), and against LAPACK on well-conditioned random matrices
 * (a loose float cross-check: the balls must lie within 1e-9 relative of
 * gesdd's values).
 */
#include <stdio.h>
#include <stdlib.h>
#include <math.h>
#include <gmp.h>
#include <flint/fmpq_mat.h>
#include "lmo/linalg/svals.h"
#include "lmo_fast/rank.h"
#include "lmo_test.h"

#define PREC 128

int main(void)
{
    lmo_err_t err;
    /* diagonal (padded with a zero row): sigma = |d| sorted, one exact zero */
    {
        fmpq_mat_t G; fmpq_mat_init(G, 4, 3);
        fmpq_set_si(fmpq_mat_entry(G, 0, 0), -1, 3);
        fmpq_set_si(fmpq_mat_entry(G, 1, 1), 5, 1);
        slong zeros;
        arb_ptr sv = _arb_vec_init(3);
        CHECKF(lmo_svals_enclose(sv, &zeros, G, PREC, &err) == LMO_OK, "diag: %s", err.msg);
        arb_t w; arb_init(w);
        arb_set_si(w, 5);
        CHECKF(arb_contains(sv + 0, w), "diag: sigma_1 != 5");
        arb_set_si(w, 1); arb_div_si(w, w, 3, PREC);
        CHECKF(arb_overlaps(sv + 1, w) && arb_rel_accuracy_bits(sv + 1) > 100, "diag: sigma_2 != 1/3");
        CHECKF(arb_is_zero(sv + 2) && zeros == 1, "diag: sigma_3 not exactly 0");
        arb_clear(w);
        _arb_vec_clear(sv, 3);
        fmpq_mat_clear(G);
    }
    /* [[1,1],[0,1]]: sigma^2 = (3 +- sqrt 5)/2, i.e. sigma = golden ratio and its inverse */
    {
        fmpq_mat_t G; fmpq_mat_init(G, 2, 2);
        fmpq_one(fmpq_mat_entry(G, 0, 0)); fmpq_one(fmpq_mat_entry(G, 0, 1)); fmpq_one(fmpq_mat_entry(G, 1, 1));
        slong zeros;
        arb_ptr sv = _arb_vec_init(2);
        CHECKF(lmo_svals_enclose(sv, &zeros, G, PREC, &err) == LMO_OK, "golden: %s", err.msg);
        arb_t phi; arb_init(phi);
        arb_sqrt_ui(phi, 5, PREC); arb_add_ui(phi, phi, 1, PREC); arb_mul_2exp_si(phi, phi, -1);
        CHECKF(arb_overlaps(sv + 0, phi), "golden: sigma_1 != phi");
        arb_inv(phi, phi, PREC);
        CHECKF(arb_overlaps(sv + 1, phi), "golden: sigma_2 != 1/phi");
        arb_clear(phi);
        _arb_vec_clear(sv, 2);
        fmpq_mat_clear(G);
    }
    /* the numpy-hard example: sigma_2 = det / sigma_1 with det = 2^-52 */
    {
        fmpq_mat_t G; fmpq_mat_init(G, 2, 2);
        fmpq_one(fmpq_mat_entry(G, 0, 0)); fmpq_one(fmpq_mat_entry(G, 0, 1)); fmpq_one(fmpq_mat_entry(G, 1, 0));
        fmpz_one(fmpq_mat_entry_num(G, 1, 1)); fmpz_mul_2exp(fmpq_mat_entry_num(G, 1, 1), fmpq_mat_entry_num(G, 1, 1), 52);
        fmpz_add_ui(fmpq_mat_entry_num(G, 1, 1), fmpq_mat_entry_num(G, 1, 1), 1);
        fmpz_one(fmpq_mat_entry_den(G, 1, 1)); fmpz_mul_2exp(fmpq_mat_entry_den(G, 1, 1), fmpq_mat_entry_den(G, 1, 1), 52);
        slong zeros;
        arb_ptr sv = _arb_vec_init(2);
        CHECKF(lmo_svals_enclose(sv, &zeros, G, PREC, &err) == LMO_OK, "hard: %s", err.msg);
        arb_t p; arb_init(p);
        arb_mul(p, sv + 0, sv + 1, PREC);   /* product of singular values = |det| */
        arb_t d; arb_init(d); arb_one(d); arb_mul_2exp_si(d, d, -52);
        CHECKF(arb_overlaps(p, d) && zeros == 0, "hard: sigma_1 sigma_2 != 2^-52");
        arb_clear(p); arb_clear(d);
        _arb_vec_clear(sv, 2);
        fmpq_mat_clear(G);
    }
    /* random low-rank rational matrices: zeros = q - rank; sum of sigma^2 = ||G||_F^2;
     * and agreement with gesdd to 1e-9 relative on the non-zero values */
    lmo_rng_t rng;
    lmo_rng_seed(&rng, 7);
    for (int t = 0; t < 60; t++) {
        slong m = 1 + lmo_rng_below(&rng, 9), n = 1 + lmo_rng_below(&rng, 9), q = FLINT_MIN(m, n);
        slong r = lmo_rng_below(&rng, q + 1);
        fmpq_mat_t B, C, G;
        fmpq_mat_init(B, m, r); fmpq_mat_init(C, r, n); fmpq_mat_init(G, m, n);
        for (slong i = 0; i < m; i++) for (slong j = 0; j < r; j++)
            fmpq_set_si(fmpq_mat_entry(B, i, j), (slong) lmo_rng_below(&rng, 19) - 9, 1 + lmo_rng_below(&rng, 4));
        for (slong i = 0; i < r; i++) for (slong j = 0; j < n; j++)
            fmpq_set_si(fmpq_mat_entry(C, i, j), (slong) lmo_rng_below(&rng, 19) - 9, 1);
        if (r > 0) fmpq_mat_mul(G, B, C);
        fmpq_mat_t E; fmpq_mat_init(E, m, n);
        slong rank = fmpq_mat_rref(E, G), zeros;
        fmpq_mat_clear(E);
        arb_ptr sv = _arb_vec_init(q);
        CHECKF(lmo_svals_enclose(sv, &zeros, G, PREC, &err) == LMO_OK, "random %d: %s", t, err.msg);
        CHECKF(zeros == q - rank, "random %d: %ld exact zeros, rank %ld of %ld", t, (long) zeros, (long) rank, (long) q);
        arb_t s, f; arb_init(s); arb_init(f);
        for (slong i = 0; i < q; i++) { arb_t x; arb_init(x); arb_sqr(x, sv + i, PREC); arb_add(s, s, x, PREC); arb_clear(x); }
        fmpq_t fro, e; fmpq_init(fro); fmpq_init(e);
        for (slong i = 0; i < m; i++) for (slong j = 0; j < n; j++) {
            fmpq_mul(e, fmpq_mat_entry(G, i, j), fmpq_mat_entry(G, i, j));
            fmpq_add(fro, fro, e);
        }
        arb_set_fmpq(f, fro, PREC);
        CHECKF(arb_overlaps(s, f), "random %d: sum sigma^2 != ||G||_F^2", t);
        fmpq_clear(fro); fmpq_clear(e); arb_clear(s); arb_clear(f);
        /* LAPACK */
        double *D = malloc(sizeof(double) * (size_t) (m * n));
        mpq_t qq; mpq_init(qq);
        for (slong i = 0; i < m; i++) for (slong j = 0; j < n; j++) {
            int of; fmpq_get_mpq(qq, fmpq_mat_entry(G, i, j)); D[i * n + j] = lmo_fast_d_from_mpq(qq, &of);
        }
        mpq_clear(qq);
        lmo_fast_policy_t pol; lmo_fast_policy_parse(&pol, "numpy");
        lmo_fast_rank_t fr; lmo_fast_rank_init(&fr);
        lmo_fast_rank(&fr, D, m, n, &pol);
        for (slong i = 0; i < rank; i++) {
            double x = arf_get_d(arb_midref(sv + i), ARF_RND_NEAR);
            CHECKF(fabs(x - fr.sv[i]) <= 1e-9 * fr.sv[0], "random %d: sigma_%ld %g vs gesdd %g", t, (long) i + 1, x, fr.sv[i]);
        }
        lmo_fast_rank_clear(&fr);
        free(D);
        _arb_vec_clear(sv, q);
        fmpq_mat_clear(B); fmpq_mat_clear(C); fmpq_mat_clear(G);
    }
    /* over the size cap: a limit, not a crash */
    {
        fmpq_mat_t G; fmpq_mat_init(G, LMO_SVALS_MAX_Q + 1, LMO_SVALS_MAX_Q + 1);
        slong zeros; arb_ptr sv = _arb_vec_init(LMO_SVALS_MAX_Q + 1);
        CHECKF(lmo_svals_enclose(sv, &zeros, G, PREC, &err) == LMO_ELIMIT, "cap not enforced");
        _arb_vec_clear(sv, LMO_SVALS_MAX_Q + 1);
        fmpq_mat_clear(G);
    }
    return lmo_test_finish();
}
