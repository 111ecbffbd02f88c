/* Certified singular values (see lmo/linalg/svals.h). */
#include <stdlib.h>
#include <acb.h>
#include <arb_fmpz_poly.h>
#include <flint/fmpq_poly.h>
#include <flint/fmpz_poly_factor.h>
#include "lmo/linalg/svals.h"

static int cmp_desc(const void *a, const void *b)
{
    /* balls of distinct roots are disjoint, so midpoints order them */
    return -arf_cmp(arb_midref((const arb_struct *) a), arb_midref((const arb_struct *) b));
}

int lmo_svals_enclose(arb_ptr sv, slong *zeros, const fmpq_mat_t G, slong prec,
                      lmo_err_t *err)
{
    slong m = fmpq_mat_nrows(G), n = fmpq_mat_ncols(G), q = FLINT_MIN(m, n);
    *zeros = 0;
    if (q == 0) return LMO_OK;
    if (q > LMO_SVALS_MAX_Q)
        return lmo_err_set(err, LMO_ELIMIT, "singular values: min(m, n) = %ld exceeds %d",
                           (long) q, LMO_SVALS_MAX_Q);

    fmpq_mat_t S, T;
    fmpq_mat_init(S, q, q);
    fmpq_mat_init(T, fmpq_mat_ncols(G), fmpq_mat_nrows(G));
    fmpq_mat_transpose(T, G);
    if (n <= m) fmpq_mat_mul(S, T, G);   /* G^T G, n x n */
    else fmpq_mat_mul(S, G, T);          /* G G^T, m x m */
    fmpq_mat_clear(T);

    fmpq_poly_t cp;
    fmpz_poly_t p;
    fmpq_poly_init(cp);
    fmpz_poly_init(p);
    fmpq_mat_charpoly(cp, S);
    fmpq_poly_get_numerator(p, cp);
    fmpq_poly_clear(cp);
    fmpq_mat_clear(S);

    /* the root 0, exactly */
    slong z = 0;
    while (z <= fmpz_poly_degree(p) && fmpz_is_zero(p->coeffs + z)) z++;
    fmpz_poly_shift_right(p, p, z);
    *zeros = z;

    int rc = LMO_OK;
    slong k = 0;   /* positive eigenvalues found */
    fmpz_poly_factor_t fac;
    fmpz_poly_factor_init(fac);
    fmpz_poly_factor_squarefree(fac, p);
    for (slong f = 0; f < fac->num && rc == LMO_OK; f++) {
        slong d = fmpz_poly_degree(fac->p + f);
        acb_ptr roots = _acb_vec_init(d);
        arb_fmpz_poly_complex_roots(roots, fac->p + f, 0, prec);
        for (slong i = 0; i < d; i++) {
            /* S is symmetric positive semidefinite: every root is real and > 0;
             * anything else means the isolation did not succeed */
            if (!arb_is_zero(acb_imagref(roots + i)) || !arb_is_positive(acb_realref(roots + i))) {
                rc = lmo_err_set(err, LMO_ELIMIT, "singular values: root isolation failed");
                break;
            }
            for (slong e = 0; e < fac->exp[f] && k < q; e++)
                arb_sqrtpos(sv + k++, acb_realref(roots + i), prec);
        }
        _acb_vec_clear(roots, d);
    }
    fmpz_poly_factor_clear(fac);
    fmpz_poly_clear(p);
    if (rc == LMO_OK && k + z != q)
        rc = lmo_err_set(err, LMO_ELIMIT, "singular values: found %ld of %ld (internal error)",
                         (long) (k + z), (long) q);
    if (rc == LMO_OK) {
        qsort(sv, (size_t) k, sizeof(arb_struct), cmp_desc);
        for (slong i = k; i < q; i++) arb_zero(sv + i);
    }
    return rc;
}

slong lmo_svals_count_above(slong *ambiguous, arb_srcptr sv, slong q,
                            const arb_t T, const arb_t band, slong prec)
{
    slong above = 0;
    arb_t d;
    arb_init(d);
    *ambiguous = 0;
    for (slong i = 0; i < q; i++) {
        arb_sub(d, sv + i, T, prec);
        arb_abs(d, d);
        if (!arb_gt(d, band)) (*ambiguous)++;   /* possibly within the band */
        if (arb_gt(sv + i, T)) above++;
    }
    arb_clear(d);
    return above;
}
