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
 * "Almost everywhere", in the paper's own words (Section 3, "Measure-theoretic
 * terminology"): "(C1, ..., Ck)-almost everywhere [...] is taken to mean, almost
 * everywhere with respect of the Lebesgue measure on all of the entries of C1, ..., Ck. A
 * property hold a.e. with respect to some measure, if the set of objects for which it
 * doesn't hold has measure 0. In particular, our results hold with probability 1 whenever
 * (E1, ..., E_{L-1}) is taken to have i.i.d. Gaussian entries".
 * So the paper has no notion of "trivial" dropout: E = 1 (no dropout, plain leaky ReLU)
 * is one realisation of E, and the hypotheses of Lemma 3 and Theorem 4 are L = 2 and
 * N <= d1 d0 only, those of Theorem 5 L >= 3 and N <= d_{L-2} d_{L-1}. When such a
 * statement's conclusion fails on an exact instance, the instance lies in the measure-zero
 * exceptional set (outcome "exceptional", lmo/core/theorem.h), and lmo names the
 * genericity that fails (lmo_sc_genericity): a zero sample, a rank-one dropout matrix
 * (E = 1 among them: Section 6, "without dropout, this analysis is not guaranteed to
 * hold"), two parallel samples, or else the polynomial condition itself.
 */
#ifndef LMO_SOUDRY_CARMON_HYPOTHESES_H
#define LMO_SOUDRY_CARMON_HYPOTHESES_H

#include <flint/fmpq_mat.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Which hypothesis of a statement fails first, in the order listed. */
typedef enum {
    LMO_SC_APPLIES = 0,            /* every hypothesis holds: the statement claims its conclusion */
    LMO_SC_DEPTH = 1,              /* L is not the depth the statement is about */
    LMO_SC_TOO_MANY_SAMPLES = 2,   /* N exceeds the statement's bound */
    LMO_SC_RELU = 3                /* s = 0: the model's "fixed slope s != 0" fails (Section 3);
                                      Section 6 checks this plain ReLU case empirically */
} lmo_sc_hypothesis_t;

/* Names the first genericity condition that fails for the Khatri-Rao matrix A o X of the
 * samples X (d0 x N) and A (d1 x N) -- the columns a^(n) (x) x^(n) of G1 (4.4), or of
 * A_{L-1} o V_{L-2} (B.2) -- into WHY, with XNAME and ANAME the matrices' names: a zero
 * column of X or of A, A of rank one (all ones: no dropout), two samples parallel in both;
 * returns 1. When none of these fails it writes the condition itself (every N x N minor of
 * A o X vanishes) and returns 0. Called only after a rank below N was found. */
int lmo_sc_genericity(char *why, size_t cap, const fmpq_mat_t X, const fmpq_mat_t A,
                      const char *xname, const char *aname);

/* Lemma 3 (and Theorem 4, which assumes the same): the bound d0 d1 of
 * "N <= d1 d0". */
slong lmo_sc_lemma3_max_samples(slong d0, slong d1);

/* Lemma 3's hypotheses for a one-hidden-layer network (L = 2 is the caller's: the
 * statement's setting) with widths d0, d1, N samples and slope s: LMO_SC_TOO_MANY_SAMPLES
 * when N > d0 d1, else LMO_SC_RELU when s = 0, else LMO_SC_APPLIES. */
lmo_sc_hypothesis_t lmo_sc_lemma3_hypotheses(slong d0, slong d1, slong N, const fmpq_t s);

/* Theorem 5: the bound d_{L-2} d_{L-1} of "N <= d_{L-2} d_{L-1}" for widths
 * d[0..L], L >= 2. For L = 2 it is Lemma 3's d0 d1 (the witness of Fact 2,
 * the rows of G_{L-1} = A_{L-1} o V_{L-2} in every case). */
slong lmo_sc_theorem5_max_samples(const slong *d, slong L);

/* Theorem 5's hypotheses for the network with widths d[0..L], N samples and slope s:
 * LMO_SC_DEPTH when L < 3, else LMO_SC_TOO_MANY_SAMPLES when N > d_{L-2} d_{L-1}, else
 * LMO_SC_RELU when s = 0, else LMO_SC_APPLIES. */
lmo_sc_hypothesis_t lmo_sc_theorem5_hypotheses(const slong *d, slong L, slong N, const fmpq_t s);

/* The remark after Theorem 5 with E_1, ..., E_{L-2} fixed (all ones): the
 * bound d_{L-1} min_{l <= L-2} d_l, L >= 2 (the minimum over l = 0..L-2). */
slong lmo_sc_theorem5_fixed_dropout_max_samples(const slong *d, slong L);

#ifdef __cplusplus
}
#endif
#endif
