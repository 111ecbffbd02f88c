/*
 * lmo_fast/mnn.h -- the double-precision twin of lmo/soudry_carmon/mnn.h and
 * lmo/soudry_carmon/patterns.h: the Soudry-Carmon network computed the way
 * users' code does it (IEEE double, LAPACK ranks under a named policy,
 * tolerances for "zero").
 *
 * Same quantities and conventions as the oracle: forward pass (3.1) with
 * slopes eps (u >= 0) or s*eps (u < 0), e = v_L - y, MSE (3.2); Delta_l
 * (5.2), G_l = Delta_l o V_{l-1} (5.4), G (5.5), gradient (1/N) G e (5.1);
 * A1 o X (4.4) for L = 2 (Lemma 3) and A_{L-1} o V_{L-2} for L >= 3
 * (Theorem 5, (B.2)). Matrices are row-major double arrays; E_l is d_l x N;
 * G_l row i*d_{l-1} + j is the weight W_l[i][j] (DESIGN.md parameter order).
 *
 * Decisions that need a tolerance (documented, reported with the result):
 *   differentiable  every |u_{i,l}^(n)| > u_tol; default u_tol = 0 (the test
 *                   float code does: u == 0.0 is the only kink it sees)
 *   critical        max_a |grad_a| <= grad_tol; default grad_tol =
 *                   sqrt(eps) * max(1, max|G| * max|e|), eps = 2^-52
 *   ranks           lmo_fast_rank under the policy (numpy, qrcp, abs:T, rel:R)
 */
#ifndef LMO_FAST_MNN_H
#define LMO_FAST_MNN_H

#include "lmo_fast/rank.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    long L;                /* weight layers */
    const long *d;         /* d[0..L], d[L] = 1 */
    long N;
    const double *X;       /* d0 x N */
    const double *y;       /* N */
    double s;
    const double *const *W;   /* W[l-1]: d_l x d_{l-1} */
    const double *const *E;   /* E[l-1]: d_l x N, or E == NULL for all ones */
} lmo_fast_mnn_input_t;

typedef struct {
    double u_tol;          /* < 0: default (see above) */
    double grad_tol;       /* < 0: default */
} lmo_fast_mnn_opts_t;

typedef struct {
    long L, N, omega;
    long *d;
    double **U, **V, **A;  /* d_l x N, index l-1 */
    double **Delta, **G;
    double *Gall;          /* omega x N */
    double *e;             /* N */
    double mse;
    double *grad;          /* omega */
    double min_abs_u;      /* smallest |u| over hidden units (INFINITY when none) */
    double u_tol, grad_tol, grad_max;
    long nzero;            /* |u| <= u_tol */
    int differentiable, critical;
    lmo_fast_rank_t *rank_G;   /* L */
    lmo_fast_rank_t rank_Gall;
    int has_A1X, has_thm5;
    lmo_fast_rank_t rank_A1X;  /* L = 2 */
    lmo_fast_rank_t rank_thm5; /* L >= 3 */
} lmo_fast_mnn_result_t;

void lmo_fast_mnn_result_init(lmo_fast_mnn_result_t *res);
void lmo_fast_mnn_result_clear(lmo_fast_mnn_result_t *res);

/* 0 on success, -1 on bad shapes or when LAPACK fails (a rank's info set). */
int lmo_fast_mnn_run(lmo_fast_mnn_result_t *res, const lmo_fast_mnn_input_t *in,
                     const lmo_fast_policy_t *pol, const lmo_fast_mnn_opts_t *opts);

/* Rank of G1^p = A1^p o X under the policy for one pattern (signs d1 x N,
 * 1: u >= 0, slope eps; 0: slope s*eps); E == NULL means all ones. */
int lmo_fast_pattern_rank(lmo_fast_rank_t *out, const double *X, long d0, const double *E,
                          long d1, long N, double s, const unsigned char *signs,
                          const lmo_fast_policy_t *pol);

#ifdef __cplusplus
}
#endif
#endif
