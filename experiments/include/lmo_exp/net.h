/*
 * lmo_exp/net.h -- a Soudry-Carmon network trained in double precision: the code under
 * test of lmo's experiments (like a user's training code), never an exact decision.
 *
 * The model of Soudry & Carmon (2016), (3.1)-(3.2), without dropout: u_l = W_l v_{l-1},
 * v_l = a_l . u_l with a = 1 where u >= 0 and s where u < 0 (s = 0: plain ReLU), v_0 = x,
 * a linear output layer (d_L = 1), no biases, e = v_L - y, MSE = sum e^2 / (2N).
 * Section 6's training: weights "uniform with mean zero and variance 2/d" (here d = the
 * fan-in d_{l-1}: U(-sqrt(6/d), sqrt(6/d))), Adam with beta1 = 0.9, beta2 = 0.99,
 * eps = 1e-8 over mini-batches of a random permutation each epoch, or plain (full batch)
 * gradient descent. Deterministic: every random number comes from lmo_rng_t
 * (xoshiro256**); sums run in a fixed order, so a rerun of the same build gives the same
 * doubles.
 */
#ifndef LMO_EXP_NET_H
#define LMO_EXP_NET_H

#include <stddef.h>
#include "lmo/core/common.h"

#define LMO_EXP_MAX_LAYERS 4

typedef struct {
    int L;                              /* weight layers */
    int d[LMO_EXP_MAX_LAYERS + 1];      /* widths, d[L] = 1 */
    double s;                           /* slope where u < 0 */
    double *W[LMO_EXP_MAX_LAYERS];      /* W_l row-major, d_l x d_{l-1} */
    /* optimiser state and scratch */
    double *g[LMO_EXP_MAX_LAYERS], *m[LMO_EXP_MAX_LAYERS], *v[LMO_EXP_MAX_LAYERS];
    double *u[LMO_EXP_MAX_LAYERS + 1], *a[LMO_EXP_MAX_LAYERS + 1], *act[LMO_EXP_MAX_LAYERS + 1],
        *delta[LMO_EXP_MAX_LAYERS + 1];
    long t;                             /* Adam steps taken */
    size_t *perm;
    long nperm;
} lmo_exp_net_t;

typedef struct {
    int adam;           /* 1 Adam, 0 plain gradient descent */
    double lr, beta1, beta2, eps;
    long batch;         /* mini-batch size; >= N: full batch (no permutation is drawn) */
} lmo_exp_opt_t;

/* Uniform double in [0, 1) (53 random bits) and a standard normal (Marsaglia's polar
 * method: libm's log and sqrt, so reruns agree on one machine). */
double lmo_exp_uniform(lmo_rng_t *r);
double lmo_exp_normal(lmo_rng_t *r);

/* Widths d[0..L] with d[L] = 1; weights drawn as in Section 6 from R. */
void lmo_exp_net_init(lmo_exp_net_t *net, int L, const int *d, double s, lmo_rng_t *r);
void lmo_exp_net_clear(lmo_exp_net_t *net);

/* On the N samples (X sample-major, N x d0; y): MSE, MCE (fraction with y v_L <= 0) and the
 * smallest |u| over every hidden unit and sample. Any output pointer may be NULL. */
void lmo_exp_net_eval(lmo_exp_net_t *net, const double *X, const double *y, long N,
                      double *mse, double *mce, double *min_abs_u);

/* One epoch: a random permutation from R (unless full batch), then one step per batch of
 * the gradient of sum_batch e^2 / (2 B). */
void lmo_exp_net_epoch(lmo_exp_net_t *net, const lmo_exp_opt_t *opt, const double *X,
                       const double *y, long N, lmo_rng_t *r);

#endif
