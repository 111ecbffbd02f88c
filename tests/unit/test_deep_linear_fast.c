/* The fast tier of deep linear networks (lmo_fast/deep_linear.h) against the
 * exact tier: same gradient and Hessian up to rounding on random instances,
 * and the expected classes on constructed points -- including the designed
 * disagreement: a point 10^-30 away from a global minimum is not critical
 * exactly, while the float tier calls it a global minimum. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <gmp.h>
#include "lmo/kawaguchi/deep_linear.h"
#include "lmo_fast/deep_linear.h"
#include "lmo_fast/rank.h"
#include "lmo_test.h"
#include "lmo_test_q.h"

static void to_fast(lmo_fast_dl_t *f, const lmo_deep_linear_t dl)
{
    long dims[8];
    for (slong k = 0; k <= dl->H + 1; k++) dims[k] = dl->d[k];
    lmo_fast_dl_init(f, dl->H, dims, dl->m);
    lmo_test_qmat_get_d(f->X, dl->X);
    lmo_test_qmat_get_d(f->Y, dl->Y);
    for (slong k = 0; k <= dl->H; k++) lmo_test_qmat_get_d(f->W[k], dl->W + k);
}

static void rand_mat(fmpq_mat_t A, flint_rand_t st)
{
    for (slong i = 0; i < fmpq_mat_nrows(A); i++)
        for (slong j = 0; j < fmpq_mat_ncols(A); j++) {
            fmpq *x = fmpq_mat_entry(A, i, j);
            fmpz_set_si(fmpq_numref(x), (slong) n_randint(st, 9) - 4);
            fmpz_set_si(fmpq_denref(x), 1 << n_randint(st, 3));   /* dyadic: exact in double */
            fmpq_canonicalise(x);
        }
}

static void test_formulas(flint_rand_t st)
{
    for (int it = 0; it < 30; it++) {
        lmo_deep_linear_t dl;
        lmo_test_rand_dl_init(dl, st);
        slong H = dl->H;
        rand_mat(dl->X, st);
        rand_mat(dl->Y, st);
        for (slong k = 0; k <= H; k++) rand_mat(dl->W + k, st);
        slong n = lmo_deep_linear_nparams(dl);
        lmo_fast_dl_t f;
        to_fast(&f, dl);
        CHECKF(lmo_fast_dl_nparams(&f) == n, "nparams");
        fmpq_mat_t g, Hs;
        fmpq_mat_init(g, n, 1);
        fmpq_mat_init(Hs, n, n);
        /* the exact second method, so the float code is compared with the
         * hyper-dual reference rather than with its own formulas' twin */
        lmo_deep_linear_gradient_direct(g, dl);
        lmo_deep_linear_hessian_direct(Hs, dl);
        double *gf = malloc(sizeof(double) * n), *Hf = malloc(sizeof(double) * n * n);
        lmo_fast_dl_gradient(gf, &f);
        lmo_fast_dl_hessian(Hf, &f);
        double scale = 1;
        for (slong i = 0; i < n * n; i++) scale = fmax(scale, fabs(Hf[i]));
        for (slong i = 0; i < n; i++) scale = fmax(scale, fabs(gf[i]));
        double err = 0;
        for (slong i = 0; i < n; i++) err = fmax(err, fabs(gf[i] - lmo_test_q_get_d(fmpq_mat_entry(g, i, 0))));
        for (slong i = 0; i < n; i++)
            for (slong j = 0; j < n; j++)
                err = fmax(err, fabs(Hf[i * n + j] - lmo_test_q_get_d(fmpq_mat_entry(Hs, i, j))));
        CHECKF(err <= 1e-12 * scale, "iter %d: float gradient/Hessian off by %g (scale %g)",
               it, err, scale);
        fmpq_t L;
        fmpq_init(L);
        lmo_deep_linear_loss(L, dl);
        CHECKF(fabs(lmo_fast_dl_loss(&f) - lmo_test_q_get_d(L)) <= 1e-12 * fmax(1, fabs(lmo_test_q_get_d(L))), "loss");
        fmpq_clear(L);
        free(gf);
        free(Hf);
        fmpq_mat_clear(g);
        fmpq_mat_clear(Hs);
        lmo_fast_dl_clear(&f);
        lmo_deep_linear_clear(dl);
    }
}

static void test_classes(void)
{
    slong dims[4] = {4, 3, 2, 3};
    struct { int which; int exact, fast; } cases[] = {
        {0, LMO_DL_GLOBAL_MIN, LMO_FAST_DL_GLOBAL_MIN},
        {1, LMO_DL_STRICT_SADDLE, LMO_FAST_DL_STRICT_SADDLE},
        {2, LMO_DL_BAD_SADDLE, LMO_FAST_DL_BAD_SADDLE},
        {3, LMO_DL_NOT_CRITICAL, LMO_FAST_DL_GLOBAL_MIN},   /* the disagreement */
    };
    for (int c = 0; c < 4; c++) {
        lmo_deep_linear_t dl;
        lmo_err_t err;
        int rc = cases[c].which == 0 ? lmo_deep_linear_gen_global_min(dl, 2, dims, 5, 3, &err)
               : cases[c].which == 1 ? lmo_deep_linear_gen_strict_saddle(dl, 2, dims, 5, 3, &err)
               : cases[c].which == 2 ? lmo_deep_linear_gen_bad_saddle(dl, 2, dims, 5, 3, &err)
               : lmo_deep_linear_gen_not_critical(dl, 2, dims, 5, 3, 30, &err);
        CHECKF(rc == LMO_OK, "gen %d: %s", c, err.msg);
        if (rc) continue;
        lmo_dl_result_t r;
        lmo_dl_result_init(r);
        CHECKF(lmo_deep_linear_classify(r, dl, NULL, NULL, &err) == LMO_OK, "classify %s", err.msg);
        CHECKF((int) r->cls == cases[c].exact, "case %d exact: %s", c, lmo_dl_class_name(r->cls));
        lmo_fast_dl_t f;
        lmo_fast_dl_result_t fr;
        to_fast(&f, dl);
        CHECKF(lmo_fast_dl_classify(&fr, &f, NULL) == 0, "fast classify info %d", fr.info);
        CHECKF(fr.cls == cases[c].fast, "case %d fast: %s (grad %g tol %g, eig [%g, %g] tol %g, "
               "L - L* = %g)", c, lmo_fast_dl_class_name(fr.cls), fr.grad_norm, fr.grad_tol,
               fr.eig_min, fr.eig_max, fr.eig_tol, fr.loss - fr.gmin);
        /* counts agree with the exact inertia except where the float tier
         * cannot see the sign (not_critical case still agrees: its Hessian
         * is that of the nearby global minimum up to 1e-30) */
        if (cases[c].which != 3)
            CHECKF(fr.nneg == r->nneg && fr.npos == r->npos && fr.nzero == r->nzero,
                   "case %d: float inertia (%ld,%ld,%ld) vs exact (%ld,%ld,%ld)", c,
                   fr.npos, fr.nneg, fr.nzero, (long) r->npos, (long) r->nneg, (long) r->nzero);
        lmo_fast_dl_clear(&f);
        lmo_dl_result_clear(r);
        lmo_deep_linear_clear(dl);
    }
}

int main(void)
{
    flint_rand_t st;
    flint_randinit(st);
    test_formulas(st);
    test_classes();
    flint_randclear(st);
    flint_cleanup();
    return lmo_test_finish();
}
