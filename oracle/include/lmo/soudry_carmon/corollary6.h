/*
 * lmo/soudry_carmon/corollary6.h -- Soudry & Carmon (2016), Corollary 6, on one network.
 *
 * The statement: "For N <= d_{L-2} d_{L-1}, let w be a differentiable local minimum of the
 * MSE (eq. 3.2). Consider a new weight vector w~ = w + delta w, where delta w has i.i.d.
 * Gaussian (or uniform) entries with arbitrarily small variance. Then, (X, E_1, ..., E_{L-1})
 * almost everywhere and with probability 1 w.r.t. delta w, if W~_1, ..., W~_{L-2} are held
 * fixed, all differentiable local minima of the MSE as a function of W_{L-1} and W_L are
 * also global minima, with MSE = 0."
 *
 * What makes it so (the proof of Theorem 5, (B.1)-(B.2)): with W~_1..W~_{L-2} fixed, every
 * pattern p of layer L-1 gives G^p_{L-1} = A^p_{L-1} o V_{L-2}, V_{L-2} the (fixed) output
 * of layer L-2 and A^p_{L-1} = E_{L-1} times the slopes of p; if each has rank N, every DLM in
 * (W_{L-1}, W_L) has e = 0. That is Lemma 3's computation with X := V_{L-2}, E1 := E_{L-1},
 * width d_{L-1} -- the mnn_patterns kind, certified pattern by pattern (a bundle that
 * lmo-check verifies). lmo draws delta w exactly: each entry of W_1..W_{L-2} moves by
 * +-k / 2^bits, k uniform in 1..1023 (uniform noise of arbitrarily small size, as the
 * statement allows), from a seed.
 */
#ifndef LMO_SOUDRY_CARMON_COROLLARY6_H
#define LMO_SOUDRY_CARMON_COROLLARY6_H

#include <jansson.h>
#include "lmo/core/common.h"
#include "lmo/soudry_carmon/mnn.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The noise: entries of size at most 1023 / 2^LMO_COROLLARY6_BITS. */
#define LMO_COROLLARY6_BITS 40

/* The input of an mnn_patterns vector for the network IN perturbed as above with SEED:
 * {"X": V_{L-2}, "dropout": [E_{L-1}], "slope": s, "width": d_{L-1}, "mode": "exhaustive"
 * when d_{L-1} N <= 24, else "realizable" (the patterns W_{L-1} can produce on V_{L-2})}.
 * *perturbed gets the weights [W~_1, ..., W~_{L-2}] (new references). L < 3 is LMO_EINPUT. */
int lmo_sc_corollary6_patterns(json_t **input, json_t **perturbed, const lmo_mnn_input_t in,
                               ulong seed, lmo_err_t *err);

#ifdef __cplusplus
}
#endif
#endif
