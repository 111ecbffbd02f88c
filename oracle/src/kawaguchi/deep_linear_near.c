/* The near-critical report of a deep linear point that is not critical (issue 20):
 * Lemma 4.1's gradient, Lemma 4.3's Hessian enclosed against its exact inertia, and the
 * gap to the global minimum value L* (lmo/kawaguchi/deep_linear.h, lmo/linalg/near_critical.h). */
#include "lmo/kawaguchi/deep_linear.h"

int lmo_deep_linear_near_critical(lmo_near_critical_t nc, const lmo_deep_linear_t dl,
                                  const lmo_dl_result_t res, slong prec_cap, lmo_err_t *err)
{
    slong n = lmo_deep_linear_nparams(dl);
    fmpq_mat_t g;
    fmpz_mat_t Z;
    fmpz_t den;
    fmpq_t lo, hi;
    fmpq_mat_init(g, n, 1);
    fmpz_mat_init(Z, n, n);
    fmpz_init(den);
    fmpq_init(lo), fmpq_init(hi);
    lmo_deep_linear_gradient(g, dl);
    lmo_deep_linear_hessian_fmpz(Z, den, dl);
    /* loss - L* with L* in [gmin_lo, gmin_hi] (equal when L* is rational) */
    fmpq_sub(lo, res->loss, res->gmin_hi);
    fmpq_sub(hi, res->loss, res->gmin_lo);
    int rc = lmo_near_critical_set(nc, g, Z, den, res->npos, res->nneg, res->nzero, lo, hi,
                                   NULL, prec_cap, err);
    fmpq_mat_clear(g);
    fmpz_mat_clear(Z);
    fmpz_clear(den);
    fmpq_clear(lo), fmpq_clear(hi);
    return rc;
}
