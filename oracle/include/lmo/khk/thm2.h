/*
 * lmo/khk/thm2.h -- Section 5 of Kawaguchi, Huang & Kaelbling (2019): Theorem 2, Corollaries
 * 1 and 2, Definitions 1 and 2, at a point of kind khk (model and notation: lmo/khk/khk.h).
 *
 * The paper (quoted):
 *   Definition 1. theta induces (n, t) weakly separated linear units on X if there exist sets
 *     S(t+1), ..., S(H+1) such that for all l in {t+1, ..., H+1}: (i) S(l) subset of {1..dl},
 *     |S(l)| >= n; (ii) Phi(l)[:, k] = Phi(l-1) W(l)[:, k] for all k in S(l); (iii)
 *     W(l+1)[k', k] = 0 for all (k', k) in S(l) x ({1..d(l+1)} \ S(l+1)) if l <= H - 1.
 *   Theorem 2. For any t in {0..H}, every differentiable local minimum theta in
 *     Theta_(d(H+1), t) of L satisfies, for any subsequence S of {t, ..., H} (S empty included),
 *       L <= 1/2 ||P_N[Phi^(S)] Y||_F^2
 *            - sum_(l=1..H) sum_(k=1..dl) 1/2 ||P[N_k(l) P_N[Phibar^(S)] D_k(l)] vec Y||^2   (5.1)
 *     Phi^(S) = [Phi(l)]_(l in S), Phibar^(S) = [I_d(H+1) (x) Phi(l)]_(l in S), N and Q as in
 *     Theorem 1 with Q_k(l) = N_k(l) P_N[Phibar^(S)] D_k(l).
 *   Corollary 1. The same for every differentiable local minimum theta in Theta_(d(H+1), t) of
 *     L restricted to I = {theta' : W(l+1)[k', k] = 0 for l in {t+1..H-1}, (k', k) in
 *     S(l) x complement S(l+1)}, with D_k(l) replaced by Dhat_k(l): Dhat = D for l <= t+1 and
 *     for k in S(l); for l >= t+2, k not in S(l), Dhat_k(l) is D_k(l) with Phi(l-1) cut to its
 *     columns j not in S(l-1) (the derivative in the free weights only).          (5.2)
 *   Definition 2 (strongly separated): Definition 1 and, for l not in {H, H+1},
 *     Phi(l) W(l+1)[:, k] = sum_(k' in S(l)) Phi(l)[:, k'] W(l+1)[k', k] for all k in S(l+1).
 *   Corollary 2. For any t, every differentiable local minimum theta in Theta^strong_(d(H+1), t)
 *     of L satisfies (5.1) for any S subset of (t, H).
 *
 * What lmo decides, exactly (choices):
 *  - Local minimality is CERTIFIED, never assumed: at a differentiable point (no pre-activation
 *    0) the activation pattern is constant on a neighbourhood, and there every column of Yhat
 *    lies in range(M), M = [diag(mu) X]_mu over the distinct non-zero products mu =
 *    Lambda(1)[:, k1] o ... o Lambda(H)[:, kH] along the paths (sigma(z) = Lambda z). So
 *    L >= L_pattern := 1/2 sum_j ||(I - P[M]) Y[:, j]||^2 near theta, and L = L_pattern
 *    certifies a local minimum (of L, hence of L restricted to I). L < L_pattern is impossible
 *    (a bug: violated). L > L_pattern leaves the question open (the point may still be a local
 *    minimum): the outcomes are then not_applicable, with both numbers. Only differentiable
 *    critical points are examined (a necessary condition), and at most LMO_KHK_THM2_MASKS masks.
 *  - Definition 1: the largest family of lmo/khk/khk.h; theta is in Theta_(dy, t) iff
 *    n_max(t) >= dy, always for t = H; t_weak is the least such t and (5.1) is checked for every
 *    subsequence S of {t_weak..H} (those of larger t are among them). Corollary 1 uses I of
 *    the largest family at t_weak.
 *  - Definition 2: t_strong is the least t with a strong family of sets of size >= dy, by
 *    exhaustive search over subsets of the largest weak sets (a strong family is a weak one),
 *    top-down, at most LMO_KHK_THM2_NODES nodes (else t_strong = -1: undecided). The family
 *    found is reported. Corollary 2 is checked for every S subset of {t', H}, t' >= t_strong.
 *  - Each side is exact: basis = 1/2 ||P_N[Phi^(S)] Y||_F^2 column by column in R^m;
 *    improvement by Lemma 3's Gram-Schmidt (lmo_khk_decompose) on the blocks
 *    P_N[Phibar^(S)] D_k(l), whose sum must equal the direct projection (Lemma 3 with S).
 */
#ifndef LMO_KHK_THM2_H
#define LMO_KHK_THM2_H

#include <flint/fmpq.h>
#include <flint/fmpq_mat.h>
#include <jansson.h>
#include "lmo/core/common.h"
#include "lmo/core/theorem.h"

#ifdef __cplusplus
extern "C" {
#endif

#define LMO_KHK_THM2_MASKS 4096     /* cap on the distinct path masks of M */
#define LMO_KHK_THM2_NODES 1000000  /* cap on the Definition 2 search */
#define LMO_KHK_THM2_LAYERS 10      /* cap on |{t_weak..H}|: 2^10 subsequences */

enum { LMO_KHK_T2_THM2, LMO_KHK_T2_COR1, LMO_KHK_T2_COR2, LMO_KHK_T2_N };

typedef struct {
    ulong S;                        /* bit l: layer l in the subsequence, l = 0..H */
    fmpq_t basis, improvement, bound;        /* (5.1): bound = basis - improvement */
    fmpq_t improvement_cor1, bound_cor1;     /* (5.2), Dhat */
} lmo_khk_bound_struct;

typedef struct {
    int done;               /* examined: a differentiable critical point */
    int lm;                 /* 1 certified local minimum, 0 not certified, -1 over the mask cap */
    fmpq_t loss;            /* L, copied */
    fmpq_t loss_pattern;    /* L_pattern (above) */
    slong npatterns, pattern_rank;
    slong t_weak, t_strong; /* t_strong -1: search over the cap */
    slong H;
    slong *strong;          /* strong[l] (l = t_strong+1..H): bitmask of the family found */
    slong nS;
    lmo_khk_bound_struct *S;
    int lemma3_ok;          /* Lemma 3 with every S (both Dhat and D) */
    lmo_theorem_t thm[LMO_KHK_T2_N];
    int violation;
} lmo_khk_thm2_struct;
typedef lmo_khk_thm2_struct lmo_khk_thm2_t[1];

/* M := [diag(mu) X]_mu over the distinct non-zero path masks mu of LAM (Lambda(1..H), m x dl
 * each; widths D[0..H]), initialised here (m x 0 over the cap). Returns the number of masks,
 * or -1 over LMO_KHK_THM2_MASKS. */
int lmo_khk_pattern_matrix(fmpq_mat_t M, const fmpq_mat_struct *Lam, slong H, const slong *d,
                           const fmpq_mat_t X);

void lmo_khk_thm2_init(lmo_khk_thm2_t T);
void lmo_khk_thm2_clear(lmo_khk_thm2_t T);

/* Everything above at NET (an lmo_khk_struct *) whose RESULT (an lmo_khk_result_struct *)
 * has the forward pass, Lambda, the gradient, def1 and n_max; BLOCKS are D_1(1) ... D_dH(H)
 * of (4.2)'s order. Returns LMO_OK: over LIM's entry cap (n^2 > max_entries) the three
 * statements are undecided, not an error (Theorem 1's check stands). */
int lmo_khk_thm2(lmo_khk_thm2_t T, const void *result, const void *net,
                 const fmpq_mat_struct *blocks, const lmo_limits_t *lim, lmo_err_t *err);

/* {"examined", "local_minimum", "loss_pattern", "pattern_masks", "pattern_rank", "t_weak",
 * "t_strong", "strong_sets", "bounds": [{"S", "basis", "improvement", "bound",
 * "bound_cor1"}]}, or null when not examined (a new reference). */
json_t *lmo_khk_thm2_to_json(const lmo_khk_thm2_t T);

#ifdef __cplusplus
}
#endif
#endif
