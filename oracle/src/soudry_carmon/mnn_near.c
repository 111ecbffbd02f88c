/* The near-critical report of a Soudry-Carmon point that is differentiable but not
 * critical (issue 20): the gradient (5.1), the Hessian (5.6) enclosed against its exact
 * inertia (lmo/soudry_carmon/mnn.h, lmo/linalg/near_critical.h). */
#include "lmo/linalg/inertia.h"
#include "lmo/soudry_carmon/mnn.h"

int lmo_mnn_near_critical(lmo_near_critical_t nc, const lmo_mnn_result_t res, slong prec_cap,
                          lmo_err_t *err)
{
    if (!res->differentiable || res->critical)
        return lmo_err_set(err, LMO_EINPUT, "near-critical report: the point is %s",
                           res->critical ? "critical" : "not differentiable");
    if (!res->hessian_done)
        return lmo_near_critical_set(nc, res->grad, NULL, NULL, 0, 0, 0, NULL, NULL,
                                     res->hessian_note, prec_cap, err);
    slong n = res->omega, npos, nneg, nzero;
    int rc = lmo_inertia(&npos, &nneg, &nzero, res->H_poly, err);
    if (rc) return rc;
    fmpz_mat_t Z;
    fmpz_t den;
    fmpz_mat_init(Z, n, n);
    fmpz_init(den);
    fmpq_mat_get_fmpz_mat_matwise(Z, den, res->H_poly);
    rc = lmo_near_critical_set(nc, res->grad, Z, den, npos, nneg, nzero, NULL, NULL, NULL,
                               prec_cap, err);
    fmpz_mat_clear(Z);
    fmpz_clear(den);
    return rc;
}
