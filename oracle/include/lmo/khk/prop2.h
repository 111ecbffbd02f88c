/*
 * lmo/khk/prop2.h -- Proposition 2 of Kawaguchi, Huang & Kaelbling (2019), Section 3.2, and
 * the rank statement it rests on (Lemma 6, Appendix B): for a FIXED activation-pattern matrix
 * Lambda (m x d, column k the diagonal of Lambda(1,k)) and X (m x dx), the matrix
 *     Dtilde = [Lambda(1,1) X  Lambda(1,2) X ... Lambda(1,d) X]              (B.2)
 * (m x d dx; row i is Lambda[i, :] (x) X[i, :], the row-wise Khatri-Rao product) has, with
 * high probability over a gaussian X, the largest possible rank min(m, d dx):
 *   regime i  (d dx <= m): rank = d dx  when s_min(Lambda_I) >= delta for every |I| >= m/2;
 *   regime ii (d dx >  m): rank = m     when s_min(Lambda_I) >= delta for every |I| <= d/2;
 * and then L = 1/2 ||Y||^2 - 1/2 ||P[Dtilde] Y||^2 at differentiable local minima (Lemma 5).
 *
 * What lmo decides exactly (choices documented here):
 *  - rank: the certified exact rank of Dtilde (lmo/linalg/rank.h).
 *  - the Lambda condition in its qualitative form, delta > 0: every Lambda_I has full column
 *    rank d (regime i; it suffices to test |I| = ceil(m/2), the condition is monotone) or full
 *    row rank |I| (regime ii; |I| = floor(d/2)), by exact ranks of every such I, when there
 *    are at most LMO_KHK_PROP2_SUBSETS of them (else "not checked"). The first failing I is
 *    reported. The size conditions m >= 64 ln^2(dx d m / delta^2) dx d (i) and
 *    d dx >= 2 m ln^2(m d / delta) (ii) are sufficient conditions for the probability bound;
 *    at lmo's sizes they never hold, and lmo does not evaluate them (no float decision).
 *  - generic_rank: the rank of Dtilde for Zariski-generic X with this Lambda, by Rado's
 *    theorem on independent transversals (row i is a generic vector of the subspace
 *    Lambda[i, :] (x) R^dx, and the span of rows S is Lambda_S's row space (x) R^dx):
 *        generic_rank = min over S subset of {1..m} of (m - |S| + dx rank(Lambda_S)),
 *    by brute force over the 2^m subsets when m <= LMO_KHK_PROP2_GENERIC_M (else -1). The
 *    exact rank is <= generic_rank for EVERY X (a violation is a bug in lmo), with equality
 *    outside a measure-zero set of X.
 *  - Outcome of "Kawaguchi–Huang–Kaelbling 2019 Proposition 2" (its rank conclusion):
 *    not_applicable when the Lambda condition fails, or when generic_rank < min(m, d dx)
 *    (then NO X reaches the predicted rank: the excluded size conditions matter, the named S
 *    shows why); holds when rank = min(m, d dx); exceptional when rank < min(m, d dx) =
 *    generic_rank (X in the measure-zero exceptional set); undecided when the Lambda condition
 *    or the generic rank was not computed (too many subsets) and the rank is short; violated
 *    when rank > generic_rank.
 *  - loss_proj = 1/2 ||(I - P[Dtilde]) Y||_F^2 (Lemma 5's right side, column by column).
 *    For H = 1, range([D D_1(2)]) lies in I_dy (x) range(Dtilde), so loss_proj <= J <= L at
 *    every point, with loss_proj = J when dy = 1 and every entry of W(2) is non-zero (for
 *    dy > 1, D_k(1) spans only W(2)[k, :]^T (x) range(Lambda(1,k) X): J can be larger).
 */
#ifndef LMO_KHK_PROP2_H
#define LMO_KHK_PROP2_H

#include <flint/fmpq.h>
#include <flint/fmpq_mat.h>
#include "lmo/core/common.h"
#include "lmo/core/theorem.h"

#ifdef __cplusplus
extern "C" {
#endif

#define LMO_KHK_PROP2_SUBSETS 20000   /* cap on the index sets I tested exactly */
#define LMO_KHK_PROP2_GENERIC_M 14    /* cap on m for the 2^m subsets of generic_rank */
#define LMO_KHK_PROP2_STATEMENT "Kawaguchi–Huang–Kaelbling 2019 Proposition 2"

typedef struct {
    fmpq_t loss_proj;    /* 1/2 ||(I - P[Dtilde]) Y||_F^2 */
    slong m, d, dx;
    slong rank;          /* certified exact rank of Dtilde */
    slong max_rank;      /* min(m, d dx) */
    slong generic_rank;  /* Rado's formula, -1 when m > LMO_KHK_PROP2_GENERIC_M */
    slong generic_set[64]; slong generic_set_n; /* a minimising S (1-based) */
    int regime;          /* 1: d dx <= m, 2: d dx > m */
    int lambda_ok;       /* 1 holds, 0 fails (witness), -1 not checked */
    slong witness[64]; slong witness_n;   /* the first failing I (1-based) */
    lmo_theorem_t thm;
    int violation;       /* rank > generic_rank: a bug */
} lmo_khk_prop2_struct;
typedef lmo_khk_prop2_struct lmo_khk_prop2_t[1];

void lmo_khk_prop2_init(lmo_khk_prop2_t p);
void lmo_khk_prop2_clear(lmo_khk_prop2_t p);

/* Dtilde of (B.2), initialised here: m x d dx, column k dx + j = Lambda[:, k] o X[:, j]. */
void lmo_khk_dtilde(fmpq_mat_t Dt, const fmpq_mat_t Lam, const fmpq_mat_t X);

/* Rado's generic rank (above); -1 when m > LMO_KHK_PROP2_GENERIC_M. S (may be NULL, room
 * for m entries) receives a minimising set, 1-based, *ns its size. */
slong lmo_khk_generic_rank(const fmpq_mat_t Lam, slong dx, slong *S, slong *ns);

/* Everything above for LAMBDA (m x d), X (m x dx), Y (m x dy; may be NULL: loss_proj 0).
 * LMO_OK, or an error of the rank module. */
int lmo_khk_prop2(lmo_khk_prop2_t p, const fmpq_mat_t Lam, const fmpq_mat_t X, const fmpq_mat_t Y,
                  lmo_err_t *err);

#ifdef __cplusplus
}
#endif
#endif
