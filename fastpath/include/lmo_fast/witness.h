/*
 * lmo_fast/witness.h -- the double-precision twin of
 * lmo/soudry_carmon/witness.h: the witness of Soudry & Carmon (2016), appendix B, (B.3)-(B.5) (Fact 2 for
 * L = 2), built in double, run through the fast forward pass of
 * lmo_fast/mnn.h, G'_{L-1} = Delta_{L-1} o V_{L-2} ((5.2), (5.4)) formed in
 * double, and the two predicates of (B.6) decided the way float code does:
 *   G' = [I_{d_{L-2} d_{L-1}}]_{1..N}   max |G' - [I]_{1..N}| <= tol,
 *                                       tol = max(rows, N) * eps, eps = 2^-52
 *   rank G' = N                         lmo_fast_rank under a policy.
 * Same network as the oracle: X', W'_1..W'_{L-2} of (B.3)-(B.4), W'_{L-1} and
 * W'_L all ones, dropout E'_l = A'_l of (B.3)/(B.5), slope 1/10, y = 0.
 * Matrices are row-major double arrays.
 */
#ifndef LMO_FAST_WITNESS_H
#define LMO_FAST_WITNESS_H

#include "lmo_fast/rank.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    long L, N;
    long *d;             /* d[0..L], d[L] = 1 */
    double s;            /* slope */
    double *X;           /* d0 x N */
    double **W;          /* W[l-1]: d_l x d_{l-1}, l = 1..L */
    double **E;          /* E[l-1]: d_l x N, l = 1..L-1 */
} lmo_fast_witness_t;

/* Build it; -1 (nothing allocated) when L < 2, a width < 1, d[L] != 1, or
 * N outside 1..d_{L-2} d_{L-1}. */
int lmo_fast_witness_build(lmo_fast_witness_t *w, const long *d, long L, long N);
void lmo_fast_witness_clear(lmo_fast_witness_t *w);

typedef struct {
    long rows, N;        /* G' is rows x N, rows = d_{L-2} d_{L-1} */
    double *G;
    double max_dev;      /* max |G' - [I]_{1..N}| */
    double tol;
    int identity;        /* max_dev <= tol */
    int differentiable;  /* no hidden u == 0.0 */
    lmo_fast_rank_t rank;
} lmo_fast_witness_result_t;

void lmo_fast_witness_result_init(lmo_fast_witness_result_t *r);
void lmo_fast_witness_result_clear(lmo_fast_witness_result_t *r);

/* Forward pass, G', the identity test and the policy's rank. 0 on success,
 * -1 when LAPACK fails (r->rank.info says why). */
int lmo_fast_witness_run(lmo_fast_witness_result_t *r, const lmo_fast_witness_t *w,
                         const lmo_fast_policy_t *pol);

#ifdef __cplusplus
}
#endif
#endif
