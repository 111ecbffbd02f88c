/*
 * lmo_fast/khk.h -- the double-precision twin of lmo/khk/khk.h (Kawaguchi, Huang & Kaelbling
 * 2019, (4.1), (4.2)): what a user's numpy code computes, with the paper's own numerical
 * recipe for J (Appendix C: J from the direct projection onto range([D D_1(H+1)]) with a
 * singular-value cutoff, not the sum of (4.2) "which may accumulate positive numerical errors").
 *
 * Inputs are the correctly rounded doubles of the exact ones; matrices row-major. Policy
 * (DESIGN.md, "Fast-tier policies"), named by the lmo_fast_policy_t it is given:
 *   - rank of A = [D D_1(H+1)] (n = m dy rows, d_theta columns) by lmo_fast_rank under the
 *     policy (numpy, qrcp, abs:T, rel:R); J = 1/2 (||vec Y||^2 - sum_{i <= rank} (u_i . vec Y)^2)
 *     with u_i the left singular vectors of A (LAPACK gesdd), whatever policy chose the rank;
 *   - differentiable: no pre-activation of a relu / abs / leaky (a != 1) unit is 0.0 exactly
 *     (what `z == 0` sees in float);
 *   - critical: ||grad||_F <= grad_tol = 1e-8 * max(1, ||X||_F ||Y||_F) (deep_linear's rule).
 */
#ifndef LMO_FAST_KHK_H
#define LMO_FAST_KHK_H

#include "lmo_fast/rank.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    long H, m;
    long *d;         /* d[0..H+1] */
    double *X, *Y;   /* m x d0, m x dy */
    double **W;      /* W[l], l = 0..H: W(l+1), d[l] x d[l+1] */
    double *a;       /* a[l]: slope of hidden layer l+1 for z < 0 (relu 0, abs -1, leaky a) */
    int *linear;     /* linear[l]: leaky:1, the identity (never a kink) */
} lmo_fast_khk_t;

/* Zero matrices of the widths d[0..H+1], m samples, relu everywhere. */
void lmo_fast_khk_init(lmo_fast_khk_t *f, long H, const long *d, long m);
void lmo_fast_khk_clear(lmo_fast_khk_t *f);

typedef struct {
    int differentiable;
    long kink_layer, kink_unit, kink_sample;  /* 1-based, 0 when none */
    double loss, J, grad_norm, grad_tol;
    int critical;
    lmo_fast_rank_t rank;                     /* of [D D_1(H+1)] under the policy */
    int info;                                 /* LAPACK info of gesdd when it failed */
} lmo_fast_khk_result_t;

void lmo_fast_khk_result_init(lmo_fast_khk_result_t *r);
void lmo_fast_khk_result_clear(lmo_fast_khk_result_t *r);

/* 0, or -1 when LAPACK failed (r->info, r->rank.info) or memory ran out. */
int lmo_fast_khk(lmo_fast_khk_result_t *r, const lmo_fast_khk_t *f, const lmo_fast_policy_t *pol);

#ifdef __cplusplus
}
#endif
#endif
