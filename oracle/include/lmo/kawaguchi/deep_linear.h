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
 * local_max (only when proven: Hessian < 0), unknown (with a reason, e.g. no
 * descent curve was found at a Hessian >= 0 non-global critical point).
 *
 * Escape curves (saddles): strict saddles use the negative-curvature vector
 * v (order t^2). At a Hessian >= 0 the search tries straight lines in
 * ker(Hessian), then t D1 + t^2 D2 with both in the kernel (quartic order),
 * then "path" directions through one unit per layer (the way Kawaguchi's
 * Case III saddles are left: every layer along a dead unit, order t^(H+1)).
 * W = 0 with H >= 2 has a cubic (or higher) one. Each candidate is verified by
 * expanding the loss exactly in Q[t]; when none works the class is unknown.
 *
 * Note on Corollary 2.4's proof (Appendix C.1): it takes W1 = ... = WH = 0 with
 * W(H+1) free and says the Hessian vanishes. That holds for H >= 3; for H = 2
 * the (W1, W2) block is W3^T (-Y) X^T-shaped, so with W3 != 0 and Y X^T != 0
 * the point is a strict saddle (the class this module reports). All-zero
 * weights are bad saddles for every H >= 2.
 *
 * Theorem checks (Theorem 2.3 / Corollary 2.4, when the hypotheses hold):
 * (ii) no local_min_not_global; (iii) no local_max; (iv) rank(WH...W2) = p
 * and critical and not global => the Hessian has a negative eigenvalue;
 * Corollary 2.4: H = 1, critical, not global => negative eigenvalue. A
 * failure of any is a theorem_violation (exit 1 in the CLI).
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
 *   "theorem_consistency": {"applicable": bool, "ii": s, "iii": s, "iv": s,
 *        "corollary_2_4": s, "violation": bool}
 *      with s one of "holds", "violated", "not_applicable"
 *      ("not_applicable": the hypotheses fail or the statement's premise
 *      does not apply to this point).
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

enum { LMO_DL_HOLDS = 0, LMO_DL_VIOLATED = 1, LMO_DL_NA = 2 };

typedef struct {
    ulong seed;        /* drives the escape-curve search and the rank primes */
    int want_cert;     /* keep the certificate data (LDL factors, bases) */
    slong search;      /* random candidates in the escape search (default 24) */
} lmo_dl_opts_t;
void lmo_dl_opts_default(lmo_dl_opts_t *o);

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
    /* ranks and theorem */
    slong rank_mid;         /* rank(WH...W2), exact */
    int have_rank_cert;     /* rank_cert below is valid (lmo_rank_certified succeeded) */
    lmo_rank_t rank_cert;   /* certificate of rank_mid */
    lmo_dl_class_t cls;
    char reason[256];
    int thm_applicable;
    int thm_ii, thm_iii, thm_iv, thm_cor24;
    int violation;
} lmo_dl_result_struct;
typedef lmo_dl_result_struct lmo_dl_result_t[1];

void lmo_dl_result_init(lmo_dl_result_t r);
void lmo_dl_result_clear(lmo_dl_result_t r);

/* Theorem 2.3 (ii)-(iv) and Corollary 2.4 held against the verdict in res
 * (hyp, cls, critical, is_global, nneg, rank_mid, p): sets thm_applicable,
 * thm_ii, thm_iii, thm_iv, thm_cor24 and violation. Called by
 * lmo_deep_linear_classify; separate so that its verdicts can be tested on
 * results no true input produces. */
void lmo_deep_linear_theorem_checks(lmo_dl_result_t res, slong H);

/* Classify the point dl into a freshly initialised res (do not reuse one
 * result for two points). LMO_OK, or LMO_ELIMIT (Hessian over the caps of lim,
 * or an internal inconsistency, err filled). lim may be NULL (defaults). */
int lmo_deep_linear_classify(lmo_dl_result_t res, const lmo_deep_linear_t dl,
                             const lmo_dl_opts_t *opts, const lmo_limits_t *lim,
                             lmo_err_t *err);

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
/* bad saddle (H >= 2): all weights zero; for H >= 3 and odd seed, W(H+1)
 * random and the others zero (Corollary 2.4's family). Hessian = 0,
 * critical, loss = tr(YY^T)/2 > L*. */
int lmo_deep_linear_gen_bad_saddle(lmo_deep_linear_t dl, slong H, const slong *dims,
                                   slong m, ulong seed, lmo_err_t *err);
/* not critical: a global minimum with one entry (a, b) of W1 moved by
 * delta = 10^-exp10 (exp10 >= 1, e.g. 30), where column a of C and row b of
 * X are nonzero; the W1 gradient block becomes delta C^T C E_ab X X^T != 0. */
int lmo_deep_linear_gen_not_critical(lmo_deep_linear_t dl, slong H, const slong *dims,
                                     slong m, ulong seed, slong exp10, lmo_err_t *err);

#ifdef __cplusplus
}
#endif
#endif
