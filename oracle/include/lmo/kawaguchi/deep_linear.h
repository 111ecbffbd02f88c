/*
 * lmo/kawaguchi/deep_linear.h -- exact critical-point classification for deep
 * linear networks with certificates: Kawaguchi 2016, "Deep Learning without Poor
 * Local Minima", Section 2 (Theorem 2.3, Corollary 2.4), Section 4 (Lemmas
 * 4.1-4.6) and Appendices A-C. Kind `deep_linear` of DESIGN.md.
 *
 * Model (paper Section 2.1, followed exactly): X is dx x m, Y is dy x m,
 * weights W1 ... W(H+1) with Wk of size dk x d(k-1), d0 = dx, d(H+1) = dy,
 * H >= 1 hidden layers, p = min(d1, ..., dH). The loss is the paper's
 *     L(W) = 1/2 || W(H+1) ... W1 X - Y ||_F^2
 * (the factor 1/2 and no 1/m, as in the paper). Parameters are ordered
 *     theta = [vec(W1^T); ...; vec(W(H+1)^T)]
 * i.e. W1 row by row, then W2 row by row, ... (Kawaguchi's vec(Wk^T) blocks),
 * so block k of the gradient is the row-major A_k^T R B_k^T of Lemma 4.1 with
 * A_k = W(H+1)...W(k+1), B_k = W(k-1)...W1 X, R = W(H+1)...W1 X - Y = r^T.
 *
 * Sigma = Y X^T (X X^T)^{-1} X Y^T (Section 2.1). When X X^T is singular the
 * module uses Y Pi Y^T with Pi the orthogonal projector onto the row space
 * of X, which equals the paper's Sigma whenever X X^T is invertible and keeps
 * the global-minimum characterisation below valid in general.
 *
 * Facts used (each is either a statement of the paper or elementary):
 *  - critical  <=>  every gradient block vanishes (Lemma 4.1);
 *  - the Hessian, computed two independent ways (Lemma 4.3 block formulas,
 *    and second derivatives of the polynomial loss by hyper-dual numbers);
 *  - at a critical point, W(H+1)...W1 = P_C Y X^T (X X^T)^{-1} (Lemma 4.2,
 *    C = W(H+1)...W2, P_C the orthogonal projector onto range(C)), hence
 *    L = (tr(Y Y^T) - tr(P_C Sigma)) / 2, while the global minimum value is
 *    L* = (tr(Y Y^T) - S_q) / 2, S_q the sum of the q = min(p, dy) largest
 *    eigenvalues of Sigma (reduced-rank regression; paper Appendix C.1).
 *    By Ky Fan, L = L* iff (a) range(C) is Sigma-invariant, (b) some tau has
 *    Sigma - tau I >= 0 on range(C) and <= 0 on its complement, and (c)
 *    rank(C) = q or Sigma vanishes on the complement. This is decided
 *    exactly: (a) by N^T Sigma B = 0 for bases B of range(C) and N of its
 *    complement; (b) with a rational tau located by arb on the restricted
 *    characteristic polynomials and then verified by exact LDL^T of
 *    B^T (Sigma - tau I) B and N^T (tau I - Sigma) N.
 *
 * Classes (DESIGN.md): not_critical, global_min, strict_saddle (Hessian has
 * a negative eigenvalue; it always has a positive one too, since its
 * diagonal blocks are positive semidefinite), bad_saddle (critical, Hessian
 * >= 0, not a local minimum -- proven by a descent curve -- and not a local
 * maximum -- a positive Hessian eigenvalue or an ascent curve),
 * local_min_not_global (only when proven: Hessian > 0 and not global),
 * local_max (only when proven: Hessian < 0), unknown (with a reason: outside
 * the theorem's hypotheses when no escape is found, or a construction that
 * fails -- which, under the hypotheses, Theorem 2.3 (ii) reports as violated).
 *
 * ---- Escape curves (lmo_deep_linear_escape) ----
 * Strict saddles leave along the negative-curvature vector v (order t^2). At a
 * critical point with Hessian >= 0 that is not a global minimum the curve is
 * built from the proof of Theorem 2.3 (ii), Case III (Appendix B.1), not
 * searched. G = (X r)^T = (W(H+1)...W1 X - Y) X^T is the loss's gradient with
 * respect to the product; G != 0 off the global minima (X r = 0 is a global
 * minimum, Case I). Take f = e_i for the first nonzero column of G, u = G e_i,
 * so u^T G f = |G e_i|^2 > 0.
 *  1. Dead line. If every hidden layer k has b_k with W(k+1) b_k = 0 and a_k
 *     with a_k^T Wk = 0, a_k^T b_k = 1, the straight line
 *         W1 += t b_1 f^T,  Wk += t b_k a_(k-1)^T,  W(H+1) += -+ t u a_H^T
 *     moves the product by exactly -+ t^(H+1) u f^T (every other term of the
 *     expansion holds a factor W(k+1) b_k or a_k^T Wk), so
 *         loss(t) = L -+ t^(H+1) |G e_i|^2 + t^(2H+2) |u f^T X|^2 / 2.
 *     (Issue 19's point X = I, Y = diag(2, 1), W1 = 2 E11, W2 = E11,
 *     W3 = [[1,0],[1,0]], W4 = E11 gives 1/2 - t^4 + t^8/2: layer 3's dead
 *     directions are b = e2 forwards and a = (-1, 1) backwards, a tilted pair
 *     no axis-aligned search finds.)
 *  2. Loss-preserving perturbation, then a gradient step. Let j be the first
 *     hidden layer with A_j = W(H+1)...W(j+1) injective (H + 1 if none). The
 *     perturbation W_k + s F_k (k < j), W_k + s E_k (k > j) with
 *         F_k = b_k a'_(k-1)^T, b_k in ker A_k, a'_0 = f, a'_k = b_k / |b_k|^2,
 *         E_k = c_k a_(k-1)^T, a_(k-1) in ker (W(k-1)...W1)^T,
 *               c_k = a_k / |a_k|^2 (k <= H), c_(H+1) = u,
 *     keeps the product W(H+1)...W1, hence the loss, for every s: the F's lie
 *     in ker A_k (as the proof's perturbation G_k^{-1} [0; M] B_k^+ of eq. 9
 *     does), the E's kill the input's image, and A_j injective makes
 *     ker A_(j-1) = ker W_j, so the two halves do not meet. Along it the
 *     layer-j gradient A_j(s)^T G B_(j-1)(s)^T gains the s^H coefficient
 *     a_j |G e_i|^2 b_(j-1)^T != 0: the perturbed point is not critical (Lemma
 *     4.2 forces rank C = rank of the product at a critical point; the proof's
 *     induction ends in the same contradiction). With M_(j0) its lowest
 *     nonzero coefficient (j0 >= 1 at a critical point), the curve
 *         theta(t) = theta + t D1 -+ t^(j0+1) M_(j0)   (in block j)
 *     has loss(t) = L -+ t^(2 j0 + 1) |M_(j0)|^2 + O(t^(2 j0 + 2)).
 * The rooms both need exist under the hypotheses at every critical point with
 * Hessian >= 0 that is not global: by Lemma 4.6 range(C) is the top-pbar
 * eigenspace with pbar < q (pbar = q would be global), so the product's rank
 * pbar is below every hidden width; a hidden layer with A_k injective and
 * W_k...W1 onto would give the product rank d_k >= p, and with A_j injective
 * a later layer c with W_c...W1 onto would make W_c...W(j+1) bijective and
 * W_j...W1 onto. So every layer before j has ker A_k != 0 and every layer
 * from j on has ker (W_k...W1)^T != 0. The same curves with the other sign
 * rise (ascent curves where the Hessian vanishes). Each curve is verified by
 * expanding the loss along it exactly; the search below is used only outside
 * the hypotheses.
 *
 * ---- Theorem checks (lmo_deep_linear_theorems) ----
 * One lmo_theorem_t per statement (lmo/core/theorem.h), each recomputed along
 * the paper's route, none read off the class. Under failed hypotheses every
 * statement but Corollary 3.2 is not_applicable, naming them (e.g. "dy = 3 >
 * dx = 2"). Otherwise (deterministic statements: a failure is violated):
 *  Theorem 2.3 (i)   non-convex and non-concave: at Appendix B.2's point
 *      W1 = W(H+1) = 0, Wk = E11, the loss along W1 += t e1 e_b^T,
 *      W(H+1) += +-t e_a e1^T ((Y X^T)_ab != 0) starts with t^2 coefficients
 *      of both signs: an indefinite Hessian.
 *  Theorem 2.3 (ii)  not critical, or a negative eigenvalue: holds. Hessian
 *      >= 0 and rank(WH...W2) = p (Cases I/II): X r = 0, or range(C) is the
 *      top-p eigenspace of Sigma with rank C = p (the Lemma 4.6 test below),
 *      and the separator must certify a global minimum. rank < p (Case III):
 *      global, or the constructed descent curve above must descend.
 *  Theorem 2.3 (iii) at a critical non-global point: the descent of (ii) and
 *      an ascent -- C != 0: W1 += t e_(i,j) with (C^T C)_ii (X X^T)_jj > 0, a
 *      diagonal entry of the Hessian's W1 block (Lemma 4.3, proof B.3); C = 0:
 *      the constructed curve aimed upward.
 *  Theorem 2.3 (iv)  rank(WH...W2) = p at a critical non-global point: the
 *      inertia's v has v^T H v = 2 [t^2] L(theta + t v) < 0 (the expansion,
 *      not the LDL factors).
 *  Corollary 2.4     (quoted at corollary_2_4_deep in deep_linear_theorems.c:
 *      "For three-layer networks (i.e., H = 1), the Hessian at any saddle
 *      point has at least one (strictly) negative eigenvalue. In contrast, for
 *      networks deeper than three layers (i.e., H >= 2), there exist saddle
 *      points at which the Hessian does not have any negative eigenvalue.")
 *      H = 1: as (iv). H >= 2: a witness, built from X, Y and the widths: the
 *      proof's W1 = ... = WH = 0 with W(H+1) free (this point's) for H >= 3;
 *      for H = 2 that family's Hessian is zero only when W3 = 0 -- its (W1, W2)
 *      block is (I (x) X)(I (x) r W3) -- so the witness is W = 0. Critical,
 *      Hessian exactly 0, loss tr(YY^T)/2 above L*, and the constructed curves
 *      fall and rise there.
 *  Corollary 3.2     the paths of (1) enumerated one by one with E[Z] = rho =
 *      1/2, q = 2: 1/2 ||E_Z Yhat - Y||^2 must equal the loss (undecided over
 *      2*10^6 path terms).
 *  Lemma 4.4 / Corollary 4.5 at a critical point with Hessian >= 0 or <= 0:
 *      for k = 2..H+1, R((W(k-1)...W2)^T) in R(C^T C) (rank [C; W(k-1)...W2]
 *      = rank C), resp. rank(W(H+1)...Wk) >= rank(W(k-1)...W2), or
 *      X r W(H+1)...W(k+1) = 0.
 *  Lemma 4.6 at a critical point with Hessian >= 0: X r = 0, or range(C) is
 *      Sigma-invariant and a rational tau has every eigenvalue on it above and
 *      every one on its complement below -- counted exactly by Descartes' rule
 *      on the shifted restricted characteristic polynomials (an independent
 *      route from the separator's LDL test).
 *  Appendix C.1 (the proof of Corollary 2.4, checked as printed) at a point with
 *      H >= 2 and W1 = ... = WH = 0: "every diagonal and off-diagonal element of the
 *      Hessian is zero". Holds for H >= 3 and for W(H+1) r = 0; for H = 2 with W3 != 0
 *      the (W1, W2) block is (I (x) X)(I (x) r W3) != 0 and the outcome is violated -- an
 *      erratum of the proof, not of the corollary (whose witness W = 0 is checked above).
 *      The family deep-linear-proof-c1 holds such points. Elsewhere not_applicable.
 * The test hooks LMO_DL_CORRUPT_* feed each check a deliberately wrong
 * intermediate; tests/unit/test_deep_linear.c shows every check violated by
 * one (and tests/unit/test_deep_linear_cli.c the exit status 1).
 *
 * ---- `expect` JSON (lmo_deep_linear_result_to_json) ----
 *   "hypotheses": {"XXt_full_rank", "XYt_full_rank", "dy_le_dx",
 *                  "sigma_distinct_eigenvalues", "hold"}       (booleans)
 *   "critical": bool
 *   "loss": number
 *   "global_min_value": {"q": int, "trace_YYt": number,
 *        "sigma_charpoly": [c0, c1, ..., c_dy] (ascending, monic),
 *        "exact": number or null  (S_q rational: tr(Sigma) when q >= rank
 *                 Sigma, or the q largest roots, once separated by arb, take
 *                 whole irreducible factors of the charpoly; else null),
 *        "enclosure": [lo, hi]    (rationals, lo <= L* <= hi)}
 *      meaning L* = (trace_YYt - sum of the q largest roots of
 *      sigma_charpoly) / 2;
 *   "class": string, "reason": string (present for unknown)
 *   "hessian_inertia": {"positive": int, "negative": int, "zero": int}
 *   "rank_WH_W2": int, "p": int       (H = 1: W1...W2 := I_{d1}, rank d1)
 *   "theorems": [{"statement", "outcome", "reason"}, ...]  (the checks above,
 *      in lmo_dl_statement_t order; the CLI moves it and "reason" to the
 *      vector's `report`: lmo's reading of the paper, not a certified claim)
 *
 * ---- certificate (lmo_deep_linear_cert_to_json) ----
 * Claim "deep_linear", specified in vectors/schema/lmo-cert-1.md ("Deep linear
 * networks"): the class with the parts that prove it (critical / gradient_nonzero,
 * hessian_psd and hessian_negative (lmo_ldl_to_json), descent and ascent curves,
 * global_min, rank_WH_W2, global_min_value), each with the rule lmo-check applies.
 */
#ifndef LMO_KAWAGUCHI_DEEP_LINEAR_H
#define LMO_KAWAGUCHI_DEEP_LINEAR_H

#include <jansson.h>
#include <flint/fmpq.h>
#include <flint/fmpq_mat.h>
#include <flint/fmpq_poly.h>
#include "lmo/core/common.h"
#include "lmo/linalg/near_critical.h"
#include "lmo/core/theorem.h"
#include "lmo/linalg/inertia.h"
#include "lmo/linalg/rank.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- the model ---- */

typedef struct {
    slong H;              /* hidden layers, >= 1 */
    slong *d;             /* d[0..H+1]: d[0] = dx, d[H+1] = dy */
    slong m;              /* samples */
    fmpq_mat_t X, Y;      /* dx x m, dy x m */
    fmpq_mat_struct *W;   /* W[k-1] = Wk, k = 1..H+1 */
} lmo_deep_linear_struct;
typedef lmo_deep_linear_struct lmo_deep_linear_t[1];

/* Initialise to the shape dims[0..H+1] (dims[0] = dx, dims[H+1] = dy), m
 * samples, all entries zero. H >= 1, every dimension >= 1. */
void lmo_deep_linear_init(lmo_deep_linear_t dl, slong H, const slong *dims, slong m);
void lmo_deep_linear_clear(lmo_deep_linear_t dl);
void lmo_deep_linear_set(lmo_deep_linear_t dl, const lmo_deep_linear_t src); /* same shape */

/* Number of parameters sum_k dk d(k-1); offset of block k (1-based) in theta. */
slong lmo_deep_linear_nparams(const lmo_deep_linear_t dl);
slong lmo_deep_linear_offset(const lmo_deep_linear_t dl, slong k);
/* p = min(d1, ..., dH). */
slong lmo_deep_linear_p(const lmo_deep_linear_t dl);

/* theta <-> weights (theta is n x 1). */
void lmo_deep_linear_get_theta(fmpq_mat_t theta, const lmo_deep_linear_t dl);
void lmo_deep_linear_set_theta(lmo_deep_linear_t dl, const fmpq_mat_t theta);

/* Read the `input` object of a deep_linear vector (fields X, Y, weights);
 * dl must NOT be initialised; on LMO_OK it is and must be cleared. Shapes
 * that do not chain are LMO_EINPUT naming the field, e.g.
 *   input.weights[2]: 3 x 5 does not chain after 4 x 6 (needs 4 columns) */
int lmo_deep_linear_input_set_json(lmo_deep_linear_t dl, const json_t *input,
                                   const lmo_limits_t *lim, lmo_err_t *err);
/* The `input` object for dl (new reference). */
json_t *lmo_deep_linear_input_to_json(const lmo_deep_linear_t dl);

/* ---- exact quantities ---- */

/* L(W) = 1/2 ||W(H+1)...W1 X - Y||_F^2. */
void lmo_deep_linear_loss(fmpq_t loss, const lmo_deep_linear_t dl);
/* Gradient (n x 1, initialised by the caller), Lemma 4.1. */
void lmo_deep_linear_gradient(fmpq_mat_t g, const lmo_deep_linear_t dl);
/* Hessian (n x n, initialised by the caller) from the block formulas of
 * Lemma 4.3: diagonal blocks A_k^T A_k (x) B_k B_k^T, and for j < k the
 * (j, k) block is Lemma 4.3's (1, k) formula applied to the sub-network
 * W(H+1)...Wj with input W(j-1)...W1 X:
 *   (A_j^T A_k) (x) (B_j B_k^T)  +  [M^T (x) B_j] [I (x) (r A_k)_{.,1} ...
 *   I (x) (r A_k)_{.,dk}],   M = W(k-1)...W(j+1) (identity if k = j + 1),
 * i.e. entry ((a,b),(c,e)) gets M[e][a] (A_k^T R B_j^T)[c][b]. */
void lmo_deep_linear_hessian(fmpq_mat_t Hs, const lmo_deep_linear_t dl);
/* The same Hessian as Z / den (Z n x n, initialised by the caller; den > 0
 * initialised by the caller): computed over Z, block by block, which is how
 * lmo_deep_linear_hessian gets it too. */
void lmo_deep_linear_hessian_fmpz(fmpz_mat_t Z, fmpz_t den, const lmo_deep_linear_t dl);
/* The same two quantities by a second, independent method: generic exact
 * differentiation of the polynomial loss with hyper-dual numbers
 * (H_ab = coefficient of s t in L(theta + s e_a + t e_b), s^2 = t^2 = 0).
 * O(n^2) products: meant for tests and small instances. */
void lmo_deep_linear_hessian_direct(fmpq_mat_t Hs, const lmo_deep_linear_t dl);
void lmo_deep_linear_gradient_direct(fmpq_mat_t g, const lmo_deep_linear_t dl);

/* Sigma (dy x dy, initialised by the caller); see above for singular XX^T. */
void lmo_deep_linear_sigma(fmpq_mat_t Sigma, const lmo_deep_linear_t dl);
/* C = W(H+1)...W2 (dy x d1), and WH...W2 (dH x d1; the identity if H = 1).
 * Both initialised here. */
void lmo_deep_linear_C(fmpq_mat_t C, const lmo_deep_linear_t dl);
void lmo_deep_linear_middle(fmpq_mat_t M, const lmo_deep_linear_t dl);

/* Exact rank (FLINT rref over Q), no certificate. */
slong lmo_deep_linear_qrank(const fmpq_mat_t A);

/* Loss along a polynomial curve theta(t) = theta + t D[0] + t^2 D[1] + ...
 * + t^ndir D[ndir-1] (each D[i] n x 1), expanded exactly in Q[t]. */
void lmo_deep_linear_curve_loss(fmpq_poly_t out, const lmo_deep_linear_t dl,
                                const fmpq_mat_struct *D, slong ndir);
/* Sign of the first nonzero coefficient of degree >= 1 (0 if none); its
 * degree in *order when order != NULL. */
int lmo_poly_leading_change(slong *order, const fmpq_poly_t f);

/* ---- hypotheses of Theorem 2.3 ---- */
typedef struct {
    int xxt_full_rank;      /* rank(X X^T) = dx */
    int xyt_full_rank;      /* rank(X Y^T) = min(dx, dy) */
    int dy_le_dx;
    int sigma_distinct;     /* charpoly(Sigma) squarefree */
    int hold;               /* all four */
} lmo_dl_hyp_t;
void lmo_deep_linear_hypotheses(lmo_dl_hyp_t *h, const lmo_deep_linear_t dl);

/* ---- classification ---- */

typedef enum {
    LMO_DL_NOT_CRITICAL = 0,
    LMO_DL_GLOBAL_MIN,
    LMO_DL_STRICT_SADDLE,
    LMO_DL_BAD_SADDLE,
    LMO_DL_LOCAL_MIN_NOT_GLOBAL,
    LMO_DL_LOCAL_MAX,
    LMO_DL_UNKNOWN
} lmo_dl_class_t;

const char *lmo_dl_class_name(lmo_dl_class_t c);
/* -1 if the name is not a class. */
int lmo_dl_class_from_name(const char *name);

/* The paper statements checked on every point, in this order (statement names
 * "Kawaguchi 2016 Theorem 2.3 (i)", ...). */
typedef enum {
    LMO_DL_THM_I = 0,      /* Theorem 2.3 (i): non-convex and non-concave */
    LMO_DL_THM_II,         /* Theorem 2.3 (ii): every local minimum is global */
    LMO_DL_THM_III,        /* Theorem 2.3 (iii): a non-global critical point is a saddle */
    LMO_DL_THM_IV,         /* Theorem 2.3 (iv): rank(WH...W2) = p: a saddle's Hessian has a
                              negative eigenvalue */
    LMO_DL_COR_2_4,        /* Corollary 2.4: H = 1 as (iv); H >= 2 bad saddles exist */
    LMO_DL_COR_3_2,        /* Corollary 3.2: the nonlinear model's expected loss is this one */
    LMO_DL_LEM_4_4,        /* Lemma 4.4 (Hessian semidefinite) */
    LMO_DL_COR_4_5,        /* Corollary 4.5 */
    LMO_DL_LEM_4_6,        /* Lemma 4.6 (Hessian >= 0) */
    LMO_DL_PROOF_C1,       /* Appendix C.1, the proof of Corollary 2.4: at W1 = ... = WH = 0
                              (H >= 2, W(H+1) free) the Hessian is zero -- false for H = 2 */
    LMO_DL_NTHM
} lmo_dl_statement_t;

/* Deliberately wrong intermediates, for the tests that show each check failing
 * (tests/unit/test_deep_linear.c; lmo reads them from the environment variable
 * LMO_DL_CORRUPT, a comma-separated list of the names in brackets). Never set otherwise. */
enum {
    LMO_DL_CORRUPT_ESCAPE = 1,    /* [escape]   the constructed descent curve aims upward */
    LMO_DL_CORRUPT_ASCENT = 2,    /* [ascent]   Theorem 2.3 (iii)'s ascent evidence aims down */
    LMO_DL_CORRUPT_SIGMA = 4,     /* [sigma]    Lemma 4.6 and Case I/II see -Sigma */
    LMO_DL_CORRUPT_RESIDUAL = 8,  /* [residual] Lemmas 4.4/4.5 see X r + e1 e1^T */
    LMO_DL_CORRUPT_INERTIA = 16,  /* [inertia]  (iv)/Corollary 2.4 test v = 0 for v^T H v < 0 */
    LMO_DL_CORRUPT_WITNESS = 32,  /* [witness]  Theorem 2.3 (i): the second line not mirrored */
    LMO_DL_CORRUPT_COR24 = 64,    /* [cor24]    Corollary 2.4 for H = 2 with W3 != 0 (the
                                     paper's unrestricted zero-Hessian claim) */
    LMO_DL_CORRUPT_PATHS = 128    /* [paths]    Corollary 3.2: one nonzero path of (1) dropped */
};
/* The bits named in a comma-separated list ("escape,sigma"); -1 on an unknown name. */
int lmo_dl_corrupt_parse(const char *list);

typedef struct {
    ulong seed;        /* drives the rank primes, and the escape search outside the hypotheses */
    int want_cert;     /* keep the certificate data (LDL factors, bases) */
    slong search;      /* random candidates in that search (default 24) */
    int corrupt;       /* LMO_DL_CORRUPT_* bits: tests only (default 0) */
} lmo_dl_opts_t;
void lmo_dl_opts_default(lmo_dl_opts_t *o);

/* ---- escape curves built from the proof (see "Escape curves" above) ---- */
enum { LMO_DL_ESCAPE_NONE = 0, LMO_DL_ESCAPE_PATH, LMO_DL_ESCAPE_GAUGE, LMO_DL_ESCAPE_SEARCH,
       LMO_DL_ESCAPE_NEGATIVE };
typedef struct {
    int method;               /* LMO_DL_ESCAPE_* (NONE: nothing could be built) */
    slong nd;                 /* theta(t) = theta + t D[0] + ... + t^nd D[nd-1] */
    fmpq_mat_struct *D;
    fmpq_poly_t poly;         /* the loss along it, exactly */
    int sign;                 /* sign of its first change (0: none) */
    slong order;              /* at t^order */
    slong junction;           /* GAUGE: the layer j whose gradient the perturbation wakes */
} lmo_dl_escape_t;
void lmo_dl_escape_init(lmo_dl_escape_t *e);
void lmo_dl_escape_clear(lmo_dl_escape_t *e);
/* Build the curve at the critical point dl along which the loss should first fall (want =
 * -1) or rise (+1): the dead-direction line if every hidden layer has one, else the
 * loss-preserving perturbation and gradient step. Returns 1 when its exact expansion moves
 * first with sign want (e holds it either way when method != NONE). negate != 0 aims the
 * construction the wrong way (the test hook LMO_DL_CORRUPT_ESCAPE / _ASCENT). */
int lmo_deep_linear_escape(lmo_dl_escape_t *e, const lmo_deep_linear_t dl, int want, int negate);

typedef struct {
    /* shape */
    slong n, H, p, dy;
    lmo_dl_hyp_t hyp;
    /* first order */
    int critical;
    fmpq_t loss;
    slong grad_index;       /* not critical: first nonzero gradient entry */
    fmpq_t grad_value;
    /* second order */
    lmo_ldl_t hess;         /* factors of the Hessian (complete when >= 0) */
    slong npos, nneg, nzero;
    /* global minimum */
    slong q;                /* min(p, dy) */
    fmpq_t trace_yyt;
    fmpq_poly_t sigma_charpoly;
    int gmin_rational;      /* gmin_value below is exact */
    fmpq_t gmin_value;
    fmpq_t gmin_lo, gmin_hi;
    /* its certificate: gmin_rational: chi = factor * g, factor monic of degree q,
     * every root of factor >= gmin_tau >= every root of g (S_q = the roots of
     * factor); else gmin_breaks t_0 < ... < t_(nbreaks-1) bounding the roots */
    fmpq_poly_t gmin_factor;
    fmpq_t gmin_tau;
    slong gmin_nbreaks;
    fmpq *gmin_breaks;
    int is_global;          /* 1 proven global, 0 proven not, -1 undecided */
    fmpq_mat_t sigma, B, S, N;
    slong rank_c;
    fmpq_t tau;
    int tau_strict;
    lmo_ldl_t ldl_range, ldl_compl;
    /* escape curves */
    slong ndesc, nasc;      /* number of directions (0: none) */
    fmpq_mat_struct *desc, *asc;
    fmpq_poly_t desc_poly, asc_poly;
    int desc_method, asc_method;   /* LMO_DL_ESCAPE_* */
    slong desc_junction;    /* desc_method GAUGE: the layer whose gradient it wakes */
    /* ranks and theorem */
    slong rank_mid;         /* rank(WH...W2), exact */
    int have_rank_cert;     /* rank_cert below is valid (lmo_rank_certified succeeded) */
    lmo_rank_t rank_cert;   /* certificate of rank_mid */
    lmo_dl_class_t cls;
    char reason[256];
    lmo_theorem_t thm[LMO_DL_NTHM];   /* the statements, in lmo_dl_statement_t order */
    int violation;          /* some statement is violated */
} lmo_dl_result_struct;
typedef lmo_dl_result_struct lmo_dl_result_t[1];

void lmo_dl_result_init(lmo_dl_result_t r);
void lmo_dl_result_clear(lmo_dl_result_t r);

/* The statements (res->thm, res->violation) at the point dl, whose verdict res holds
 * (see "Theorem checks" above). Called by lmo_deep_linear_classify; opts->corrupt
 * applies the test hooks. LMO_OK or LMO_ELIMIT (over the caps of lim). */
int lmo_deep_linear_theorems(lmo_dl_result_t res, const lmo_deep_linear_t dl,
                             const lmo_dl_opts_t *opts, lmo_err_t *err);

/* Classify the point dl into a freshly initialised res (do not reuse one
 * result for two points). LMO_OK, or LMO_ELIMIT (Hessian over the caps of lim,
 * or an internal inconsistency, err filled). lim may be NULL (defaults). */
int lmo_deep_linear_classify(lmo_dl_result_t res, const lmo_deep_linear_t dl,
                             const lmo_dl_opts_t *opts, const lmo_limits_t *lim,
                             lmo_err_t *err);

/* ---- near-critical report (issue 20; lmo/linalg/near_critical.h) ----
 * At a point res classified as not critical: the gradient of Lemma 4.1 (|grad|^2 exact),
 * certified enclosures of the Lemma 4.3 Hessian's eigenvalues checked against res's exact
 * inertia, and loss - L* (L* the global minimum value above: exact when rational, else
 * res's enclosure). Enclosures up to prec_cap bits. LMO_OK, or LMO_ELIMIT (err) when a
 * certified sign contradicts the inertia. The CLI puts it in `report.near_critical`. */
int lmo_deep_linear_near_critical(lmo_near_critical_t nc, const lmo_deep_linear_t dl,
                                  const lmo_dl_result_t res, slong prec_cap, lmo_err_t *err);

/* `expect` keys (see above) as a new JSON object. */
json_t *lmo_deep_linear_result_to_json(const lmo_dl_result_t res);
/* The certificate (see above); needs opts.want_cert. */
json_t *lmo_deep_linear_cert_to_json(const lmo_dl_result_t res, const char *vector_id);

/* ---- constructors (lmo gen deep-linear-...) ----
 * All deterministic in the seed; dl must NOT be initialised (it is on
 * LMO_OK). dims[0..H+1] as in init, with dy <= dx and m >= dx samples, so the
 * data satisfy Theorem 2.3's hypotheses. Data: X = Dx * Q[0:dx, :] (rows orthogonal, Q an m x m Cayley
 * orthogonal matrix), Y = M Q[0:dx, :] + Z Q[dx:m, :] with
 * M = U diag(s) V^T, U, V Cayley orthogonal, s distinct positive integers,
 * so Sigma = U diag(s^2) U^T has rational eigenvectors U and distinct
 * eigenvalues. Layer weights chain through random unimodular integer
 * matrices G_k:  W1 = G1 [U_I^T P_ols ; junk (H >= 2 only, else 0)],
 * Wk = Gk E E^T G(k-1)^{-1},
 * W(H+1) = U_I E^T GH^{-1}, with U_I the eigenvectors of an index set I,
 * P_ols = Y X^T (X X^T)^{-1}. Such a point is critical (Lemma 4.1, since
 * Sigma U_I = U_I Lambda_I) with product U_I U_I^T P_ols.
 * Return LMO_EINPUT (err) when the widths cannot host the class. */

/* global minimum: I = the q = min(p, dy) largest eigenvalues. */
int lmo_deep_linear_gen_global_min(lmo_deep_linear_t dl, slong H, const slong *dims,
                                   slong m, ulong seed, lmo_err_t *err);
/* strict saddle: I = a random set of s eigenvector indices other than the
 * q largest: for H >= 2, s = p < dy, which makes rank(WH...W2) = p, so
 * Theorem 2.3 (iv) guarantees a negative eigenvalue; for H = 1 any
 * 1 <= s <= min(q, dy - 1) (Corollary 2.4). Needs dy >= 2. */
int lmo_deep_linear_gen_strict_saddle(lmo_deep_linear_t dl, slong H, const slong *dims,
                                      slong m, ulong seed, lmo_err_t *err);
/* bad saddle (H >= 2): when q = min(p, dy) >= 2 and the seed is a multiple of 3,
 * Theorem 2.3 (ii)'s Case III in tilted bases: I = the s top eigenvectors,
 * 1 <= s < q, no junk rows (critical, not global, Hessian >= 0 and != 0: the
 * points issue 19 found classified unknown); otherwise all weights zero, or for
 * H >= 3 and odd seed W(H+1) random and the others zero (Corollary 2.4's
 * family): Hessian = 0, critical, loss = tr(YY^T)/2 > L*. */
int lmo_deep_linear_gen_bad_saddle(lmo_deep_linear_t dl, slong H, const slong *dims,
                                   slong m, ulong seed, lmo_err_t *err);
/* Appendix C.1's set for H = 2 (family deep-linear-proof-c1): W1 = W2 = 0 and W3 a random
 * nonzero integer matrix (entry (1, 1) nonzero). Critical by Lemma 4.1; a strict saddle, and
 * the proof's zero-Hessian claim fails there. Needs H = 2. */
int lmo_deep_linear_gen_proof_c1(lmo_deep_linear_t dl, slong H, const slong *dims, slong m,
                                 ulong seed, lmo_err_t *err);
/* not critical: a global minimum with one entry (a, b) of W1 moved by
 * delta = 10^-exp10 (exp10 >= 1, e.g. 30), where column a of C and row b of
 * X are nonzero; the W1 gradient block becomes delta C^T C E_ab X X^T != 0. */
int lmo_deep_linear_gen_not_critical(lmo_deep_linear_t dl, slong H, const slong *dims,
                                     slong m, ulong seed, slong exp10, lmo_err_t *err);

/* near-critical (issue 20): a global minimum (saddle = 0) or a strict saddle (saddle =
 * 1, needs dy >= 2) of the constructors above with entry (a, b) of W1 moved by
 * delta = 2^-exp2 (1 <= exp2 <= 1000), a the first nonzero column of C and b drawn from
 * the seed; LMO_EINPUT when the moved point is still critical. The gradient is
 * O(delta): a float-trained point's shape. */
int lmo_deep_linear_gen_near_critical(lmo_deep_linear_t dl, slong H, const slong *dims,
                                      slong m, ulong seed, int saddle, slong exp2,
                                      lmo_err_t *err);

#ifdef __cplusplus
}
#endif
#endif
