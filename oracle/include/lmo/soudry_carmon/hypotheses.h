/*
 * lmo/soudry_carmon/hypotheses.h -- when a statement of Soudry & Carmon
 * (2016) claims something, decided in one place. lmo/soudry_carmon/mnn.h,
 * lmo/soudry_carmon/patterns.h, lmo/soudry_carmon/witness.h and the
 * generator families call these functions; none of them re-derives a
 * threshold or a hypothesis. Each caller words its own reason (the words are
 * part of its output), from the code returned here.
 *
 * The paper's statements (soudry-carmon-2016-no-bad-local-minima.md):
 *   Lemma 3    "For L = 2, if N <= d1 d0, then simultaneously for every w,
 *              rank(G1) = rank(A1 o X) = N, (X, E1) almost everywhere."
 *   Theorem 4  "If N <= d1 d0, then all differentiable local minima of
 *              eq. (4.1) are global minima with MSE = 0, (X, E1) almost
 *              everywhere."
 *   Theorem 5  "For N <= d_{L-2} d_{L-1} and fixed values of W_1, ...,
 *              W_{L-2}, any differentiable local minimum of the MSE (eq. 3.2)
 *              as a function of W_{L-1} and W_L, is also a global minimum,
 *              with MSE = 0, (X, E_1, ..., E_{L-1}, W_1, ..., W_{L-2})
 *              almost everywhere."
 *   remark after Theorem 5  "the proof of Theorem 5 holds (with a trivial
 *              adjustment) when E_1, ..., E_{L-3} are fixed to have identical
 *              nonzero entries [...]. The result continues to hold even when
 *              E_{L-2} is fixed as well, but then the condition
 *              N <= d_{L-2} d_{L-1} has to be weakened to
 *              N <= d_{L-1} min_{l <= L-2} d_l."  (l <= L-2 in the text with
 *              the appendix; the clean main text writes l < L-2)
 *
 * lmo's reading of "almost everywhere" on one exact instance (the
 * definitions are lmo's, kept as they are; see each function):
 *   non-trivial dropout  E has no zero entry and rank(E) >= 2. A rank-one
 *              E = r t^T rescales rows and columns of every G^p, so it behaves
 *              exactly as plain leaky ReLU (E = 1), where the constant pattern
 *              has rank <= d0 and the theorem claims nothing; a zero entry is
 *              discrete dropout, outside the Lebesgue "almost everywhere".
 *              (For d1 = 1 every E is of rank one.)
 *   generic point        (Theorem 5) no zero entry in X, W_1..W_{L-2},
 *              E_1..E_{L-3}: the almost-everywhere proxy of "random".
 */
#ifndef LMO_SOUDRY_CARMON_HYPOTHESES_H
#define LMO_SOUDRY_CARMON_HYPOTHESES_H

#include <flint/fmpq_mat.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Outcome of a paper's prediction on one instance (lmo/soudry_carmon/mnn.h,
 * lmo/soudry_carmon/patterns.h). */
typedef enum {
    LMO_PRED_NOT_APPLICABLE = 0,
    LMO_PRED_HOLDS = 1,
    LMO_PRED_VIOLATED = 2
} lmo_pred_t;
const char *lmo_pred_name(lmo_pred_t p);   /* "not_applicable", "holds", "violated" */

/* Which hypothesis of a statement fails first, in the order listed. */
typedef enum {
    LMO_SC_APPLIES = 0,            /* every hypothesis holds: the statement claims its conclusion */
    LMO_SC_DEPTH = 1,              /* L is not the depth the statement is about */
    LMO_SC_TOO_MANY_SAMPLES = 2,   /* N exceeds the statement's bound */
    LMO_SC_TRIVIAL_DROPOUT = 3,    /* a dropout matrix it needs random is trivial */
    LMO_SC_NOT_GENERIC = 4         /* a zero entry in the data or lower weights */
} lmo_sc_hypothesis_t;

/* 1 when E (d x N) is non-trivial dropout in the sense above: d, N >= 1, no
 * zero entry, rank >= 2. */
int lmo_dropout_is_nontrivial(const fmpq_mat_t E);

/* Lemma 3 (and Theorem 4, which assumes the same): the bound d0 d1 of
 * "N <= d1 d0". */
slong lmo_sc_lemma3_max_samples(slong d0, slong d1);

/* Lemma 3's hypotheses for a one-hidden-layer network (L = 2 is the
 * caller's: the statement's setting) with widths d0, d1, N samples and
 * dropout E1 (d1 x N): LMO_SC_TOO_MANY_SAMPLES when N > d0 d1, else
 * LMO_SC_TRIVIAL_DROPOUT when E1 is not non-trivial, else LMO_SC_APPLIES. */
lmo_sc_hypothesis_t lmo_sc_lemma3_hypotheses(slong d0, slong d1, slong N, const fmpq_mat_t E1);

/* Theorem 5: the bound d_{L-2} d_{L-1} of "N <= d_{L-2} d_{L-1}" for widths
 * d[0..L], L >= 2. For L = 2 it is Lemma 3's d0 d1 (the witness of Fact 2,
 * the rows of G_{L-1} = A_{L-1} o V_{L-2} in every case). */
slong lmo_sc_theorem5_max_samples(const slong *d, slong L);

/* Theorem 5's hypotheses for the network with widths d[0..L], N samples,
 * data X (d0 x N), weights W[l-1] = W_l and dropout E[l-1] = E_l (l < L):
 * LMO_SC_DEPTH when L < 3, else LMO_SC_TOO_MANY_SAMPLES when
 * N > d_{L-2} d_{L-1}, else LMO_SC_TRIVIAL_DROPOUT when E_{L-1} or E_{L-2}
 * is not non-trivial, else LMO_SC_NOT_GENERIC when X, W_1..W_{L-2} or
 * E_1..E_{L-3} has a zero entry, else LMO_SC_APPLIES. */
lmo_sc_hypothesis_t lmo_sc_theorem5_hypotheses(const slong *d, slong L, slong N, const fmpq_mat_t X,
                                               const fmpq_mat_struct *W, const fmpq_mat_struct *E);

/* The remark after Theorem 5 with E_1, ..., E_{L-2} fixed (all ones): the
 * bound d_{L-1} min_{l <= L-2} d_l, L >= 2 (the minimum over l = 0..L-2). */
slong lmo_sc_theorem5_fixed_dropout_max_samples(const slong *d, slong L);

#ifdef __cplusplus
}
#endif
#endif
