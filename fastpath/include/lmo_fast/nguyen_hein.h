/*
 * lmo_fast/nguyen_hein.h -- the double-precision twin of lmo/nguyen_hein/nguyen_hein.h: the
 * forward pass of Nguyen & Hein (2017), Section 2, "F_1 = sigma(X W_1 + 1_N b_1^T),
 * F_k = sigma(F_{k-1} W_k + 1_N b_k^T)", in double with libm's exp, tanh and log1p, the way
 * users' code computes it; the rank of [F_k, 1_N] is then decided by lmo_fast_rank under a
 * policy (lmo_fast/rank.h). Where sigma saturates, F's entries round to its limits and the
 * float rank drops although the exact rank does not.
 */
#ifndef LMO_FAST_NGUYEN_HEIN_H
#define LMO_FAST_NGUYEN_HEIN_H

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    long N, L;
    const long *n;               /* n[0] = d, ..., n[L] */
    const double *X;             /* N x d, row-major */
    const double *const *W;      /* W[l-1]: n[l-1] x n[l], row-major */
    const double *const *b;      /* b[l-1]: n[l] */
    int act;                     /* 0 sigmoid, 1 tanh, 2 softplus (lmo_nh_activation_t) */
    double alpha;                /* softplus */
} lmo_fast_nh_input_t;

/* sigma(t) in double. */
double lmo_fast_nh_sigma(double t, int act, double alpha);

/* F (N x n[l], row-major, allocated by the caller) = F_l in double; l in [0, L]. */
void lmo_fast_nh_forward(double *F, const lmo_fast_nh_input_t *in, long l);

#ifdef __cplusplus
}
#endif
#endif
