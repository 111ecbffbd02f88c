/*
 * lmo/soudry_carmon/trained.h -- a network trained in double precision, read exactly
 * (Soudry & Carmon 2016, Section 6).
 *
 * Section 6: "if the activations are sufficiently "variable" (formally, G_{L-1} has full
 * rank), then we expect our results to hold even without dropout noise and with the leaky
 * ReLU's replaced with basic ReLU's (s = 0). [...] We note that in all the repetitions in
 * Figure 6.1, for d^2 >= N, the matrix G_{L-1} always had full rank. However, for smaller
 * MNNs than shown in Figure 6.1 (about d <= 20), sometimes G_{L-1} did not have full rank."
 * and (Figure 6.2) "If we are at DLM, then all the activation inputs u_{i,l}^(n) should
 * converge to a distinctly non-zero value".
 *
 * The paper read these facts off floats. Here the trained weights are read exactly: a
 * finite double is a dyadic rational, so the point the float code ended at IS a rational
 * point, and at it lmo decides exactly (lmo/soudry_carmon/mnn.h's forward pass and G_l):
 *   - differentiable: no hidden pre-activation u_{i,l}^(n) is exactly 0 (Section 4: "a
 *     point can be non-differentiable only if some u = 0");
 *   - the MSE (3.2) as a rational, the classification errors (y^(n) v_L^(n) <= 0), and the
 *     smallest |u| exactly (the float code's smallest |u| is rounded);
 *   - the certified rank of G_{L-1} = Delta_{L-1} o V_{L-2} (5.4) (lmo/linalg/rank.h; of
 *     its transpose when N exceeds its d_{L-1} d_{L-2} rows, the same rank with fewer
 *     kernel vectors to prove), and whether it is full: rank = min(rows, N), and full
 *     column rank: rank = N, what Theorems 4 and 5 need (then G_{L-1} e = 0 forces e = 0).
 */
#ifndef LMO_SOUDRY_CARMON_TRAINED_H
#define LMO_SOUDRY_CARMON_TRAINED_H

#include <flint/fmpq.h>
#include "lmo/core/common.h"
#include "lmo/linalg/rank.h"
#include "lmo/soudry_carmon/mnn.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    int differentiable;    /* no hidden u = 0, exactly */
    slong nzero;           /* hidden pre-activations exactly 0 */
    fmpq_t mse;            /* (3.2), exactly */
    fmpq_t min_abs_u;      /* the smallest |u_{i,l}^(n)| over the hidden layers, exactly */
    slong errors;          /* samples with y v_L <= 0 (the MCE is errors / N) */
    lmo_rank_t rank;       /* certified rank of G_{L-1} (or of its transpose: `transposed`) */
    int transposed;
    slong rows;            /* d_{L-1} d_{L-2}, the rows of G_{L-1} */
    int full_rank;         /* rank = min(rows, N) */
    int full_column_rank;  /* rank = N */
} lmo_sc_trained_struct;
typedef lmo_sc_trained_struct lmo_sc_trained_t[1];

void lmo_sc_trained_init(lmo_sc_trained_t t);
void lmo_sc_trained_clear(lmo_sc_trained_t t);

/* Sets the exact input IN (initialised by lmo_mnn_input_init with the network's widths and
 * N) to the doubles of a trained network: X sample-major (x^(n) is X[n d0 .. n d0 + d0 - 1]),
 * y[0..N), slope s, W[l-1] the row-major d_l x d_{l-1} matrix W_l. Every double is read
 * exactly (a dyadic rational); a NaN or infinity is LMO_EINPUT naming it. No dropout. */
int lmo_sc_trained_input(lmo_mnn_input_t in, const double *X, const double *y, double s,
                         const double *const *W, lmo_err_t *err);

/* The exact facts above at the point IN (L >= 2). SEED drives the rank's primes (the rank
 * never depends on it). */
int lmo_sc_trained_check(lmo_sc_trained_t t, const lmo_mnn_input_t in, ulong seed,
                         lmo_err_t *err);

#ifdef __cplusplus
}
#endif
#endif
