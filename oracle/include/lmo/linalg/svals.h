/*
 * lmo/linalg/svals.h -- certified enclosures of the singular values of a rational
 * matrix, and the exact answer to the question a float rank policy asks:
 * how many singular values exceed this threshold? (DESIGN.md, "Fast-tier
 * policies", last paragraph.)
 *
 * sigma_1 >= ... >= sigma_q (q = min(m, n)) are the square roots of the
 * eigenvalues of the smaller Gram matrix S = G^T G or G G^T. These are the
 * roots of S's exact characteristic polynomial over Q; arb isolates each root
 * of each squarefree factor in a ball that provably contains it. The root 0
 * is exact (its multiplicity is q - rank, S being symmetric), so a zero
 * singular value is reported as exactly zero, never as a tiny ball.
 */
#ifndef LMO_LINALG_SVALS_H
#define LMO_LINALG_SVALS_H

#include <arb.h>
#include <flint/fmpq_mat.h>
#include "lmo/core/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Largest min(m, n) for which lmo_svals_enclose runs (its cost grows like
 * q^4 in the worst case through the characteristic polynomial). */
#define LMO_SVALS_MAX_Q 80

/* sv (length min(m,n), initialised by the caller) gets the singular values in
 * descending order as balls of relative accuracy about `prec` bits.
 * *zeros is the number that are exactly 0. LMO_ELIMIT when min(m,n) exceeds
 * LMO_SVALS_MAX_Q or the isolation fails. */
int lmo_svals_enclose(arb_ptr sv, slong *zeros, const fmpq_mat_t G, slong prec,
                      lmo_err_t *err);

/* Given certified singular values, the number that are certainly > T, and in
 * *ambiguous the number that lie within `band` of T (|sigma - T| <= band,
 * possibly): the float decision for those may legitimately go either way. */
slong lmo_svals_count_above(slong *ambiguous, arb_srcptr sv, slong q,
                            const arb_t T, const arb_t band, slong prec);

#ifdef __cplusplus
}
#endif
#endif
