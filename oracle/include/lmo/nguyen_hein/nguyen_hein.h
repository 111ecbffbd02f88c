/*
 * lmo/nguyen_hein/nguyen_hein.h -- the network of Nguyen & Hein (2017), "The loss surface of
 * deep and wide neural networks", in ball arithmetic from exact rational parameters, and the
 * certified rank of [F_k, 1_N] (kind nguyen_hein).
 *
 * The paper's orientation (Section 2): rows are samples. X = [x_1, ..., x_N]^T in R^{N x d},
 * Y = [y_1, ..., y_N]^T in R^{N x m}, weights W_l in R^{n_{l-1} x n_l}, biases b_l in R^{n_l},
 * n_0 = d, n_L = m, and
 *     "f_0(x) = x, f_k(x) = sigma(g_k(x)), g_k(x) = W_k^T f_{k-1}(x) + b_k"       (Section 2)
 *     "F_1 = sigma(X W_1 + 1_N b_1^T),  F_k = sigma(F_{k-1} W_k + 1_N b_k^T), k in [2, L]"
 * so every layer, the output layer included, applies sigma (F_L = sigma(G_L)). The loss is
 *     "Phi((W_k, b_k)_{k=1}^L) = sum_{i=1}^N sum_{j=1}^m l(f_{Lj}(x_i) - y_ij)"      (1)
 * with the squared loss "l(alpha) = alpha^2" (no 1/2).
 * Activations (Lemma 3.3): sigmoid sigma_1(t) = 1/(1 + e^{-t}), sigma_2(t) = tanh(t), softplus
 * sigma_3(t) = (1/alpha) log(1 + e^{alpha t}), alpha > 0.
 *
 * Statements mirrored:
 *   Assumption 3.2.1  "There are no identical training samples, i.e. x_i != x_j for all i != j"
 *   Lemma 4.4  "If the Assumptions 3.2 hold and n_k >= N - 1 for some k in [L - 1] then the set
 *              S := {(W_l, b_l)_{l=1}^k | rank([F_k, 1_N]) < N} has Lebesgue measure zero."
 *              Outcome on an instance: holds (rank N certified), exceptional (rank < N proven:
 *              the instance lies in S), not_applicable (a hypothesis fails), undecided.
 *   Lemma 4.3  "If the Assumptions 3.2 hold and n_k >= N - 1 for some k in [L - 1], then there
 *              exists at least one set of parameters (W_l, b_l)_{l=1}^k such that
 *              rank([F_k, 1_N]) = N." Its proof is built by lmo_nh_lemma43: rows of F_{k-1}
 *              distinct, a direction a with distinct projections (2), the rows ordered by
 *              z^T a, "w_j = -alpha a, v_j = alpha z_j^T a + beta" for j in [N - 1].
 *   Theorem 3.4 "If the training samples are linearly independent, that is rank([X, 1_N]) = N,
 *              then every critical point (W_l, b_l)_{l=1}^L of Phi for which the weight
 *              matrices (W_l)_{l=2}^L have full column rank ... is a global minimum."
 *   Lemma 3.5  "Assume there is some k in [L-1] s.t. 1. rank([F_k, 1_N]) = N 2. rank(W_l) = n_l,
 *              l in [k+2, L] 3. grad_{W_{k+1}} Phi = 0, grad_{b_{k+1}} Phi = 0 then
 *              (W_l, b_l)_{l=1}^L is a global minimum."
 *              Both need a critical point, which balls never certify: the outcome is
 *              not_applicable (a hypothesis fails, or a gradient entry's ball excludes 0) or
 *              undecided (every hypothesis holds or is undecided and the gradient's balls all
 *              contain 0), never holds -- and never violated.
 *   the rank conditions "rank(W_l) = n_l" per layer, exactly over Q.
 *   Theorem 3.8 "Let Phi : P -> R be defined as in (1) and let the Assumptions 3.2 hold. Suppose
 *              n_k >= N - 1 for some k in [L - 1]. Then every critical point (W_l*, b_l*)_{l=1}^L
 *              of Phi which satisfies the following conditions 1. (W_l*, b_l*)_{l=1}^L is
 *              non-degenerate on {(W_l, b_l) | l in I}, for some subset I subset {k+1, ..., L}
 *              satisfying {k+1} in I, 2. (W_l*)_{l=k+2}^L has full column rank, that is,
 *              rank(W_l*) = n_l for l in [k+2, L], is a global minimum of Phi."
 *   Corollary 3.9 "... Then every non-degenerate local minimum (W_l*, b_l*)_{l=1}^L of Phi for
 *              which (W_l*)_{l=k+2}^L has full column rank, that is rank(W_l*) = n_l, is a
 *              global minimum of Phi."
 *              Condition 1 by lmo_nh_nondegenerate on the blocks I containing k + 1, smallest
 *              first; "non-degenerate local minimum" as a positive definite full Hessian (all
 *              LDL^T pivots > 0 in balls). As for Lemma 3.5, a critical point is never
 *              certified by balls: not_applicable (a hypothesis fails, a gradient ball
 *              excludes 0, a block proven singular, a negative pivot for 3.9), holds only when
 *              Phi = 0 exactly, else undecided.
 *   Assumptions 5.2 "1. sigma in C^1(R) and strictly monotonically increasing. 2. l_1 : R -> R_+,
 *              l_1 in C^1, l_1(a) = 0 <=> a >= 0, l_1'(a) = 0 <=> a >= 0 and l_1'(a) < 0 for all
 *              a < 0 3. l_2 : R -> R_+, l_2 in C^1, l_2(a) = 0 <=> a <= 0, l_2'(a) = 0 <=> a <= 0
 *              and l_2'(a) > 0 for all a > 0" -- sigmoid, tanh and softplus satisfy 1; the
 *              loss squared_hinge (Section 5's example) satisfies 2 and 3, squared does not.
 *   Theorem 5.3 "Let Phi : P -> R_+ be defined as in (4) and let the Assumptions 5.2 hold. Then
 *              it follows: 1. Every critical point of Phi for which the feature vectors
 *              contained in the rows of F_k are linearly separable and all the weight matrices
 *              (W_l)_{l=k+2}^L have full column rank is a global minimum. 2. If the training
 *              inputs are linearly separable then every critical point of Phi for which all the
 *              weight matrices (W_l)_{l=2}^L have full column rank is a global minimum."
 *              Separability (Definition 5.1) by lmo/nguyen_hein/separable.h: of X exactly, of
 *              F_k in balls. The proof shows a critical point has Delta_L = 0, so Phi = 0 (l_1,
 *              l_2 vanish with their derivatives). Outcome: not_applicable (a hypothesis fails,
 *              or a gradient ball excludes 0), holds (hypotheses certified and Phi = 0 exactly --
 *              then every gradient entry is 0 too: a critical point and a global minimum),
 *              undecided otherwise (balls never certify a critical point with Phi > 0, which the
 *              theorem excludes anyway).
 *
 * The certified rank of E = [F_k, 1_N] (never a float decision):
 *   lower bound r: an r x r minor proven non-singular -- first located in double (complete
 *     pivoting on the midpoints) and proven by ||R M - I||_inf < 1 in balls for an approximate
 *     inverse R (lmo_nh_minor_located); when that falls short of the upper bound, Gaussian
 *     elimination in balls with complete pivoting on the largest certified |pivot| picks the
 *     minor and its ball determinant (arb_mat_det) must exclude 0;
 *   upper bound u, from exact structure only: N rows, of which only the distinct rows of
 *     G_1 = X W_1 + 1_N b_1^T give distinct rows of F_k; and columns: units of layer l are grouped into classes of identical
 *     columns of F_l (equal bias and equal summed weights from each class of layer l-1; layer 0:
 *     identical columns of X), a class receiving zero weight from every non-constant class of
 *     the layer below is a constant column, in the span of 1_N; and for tanh (odd) with b_l = 0
 *     for l in [2, k], P pairs of opposite rows of G_1 and z zero rows give rows (f, 1), (-f, 1),
 *     (0, 1) of [F_k, 1_N] spanning at most P + 1 dimensions; so u = min(the row bound,
 *     #non-constant classes of layer k + 1).
 *   The rank is stated only when r = u; the precision grows 64, 128, ... up to a cap; at the
 *   cap with r < u the answer is "undecided at precision P".
 *   lmo-check's certificate (lmo-cert-1.md, claim nguyen_hein): the minor of either route with
 *   a near inverse R proven by lmo_nh_minor_inverse at the same precision; lmo-check re-proves
 *   ||I - R M||_inf < 1 in MPFR intervals and recomputes u itself.
 */
#ifndef LMO_NGUYEN_HEIN_NGUYEN_HEIN_H
#define LMO_NGUYEN_HEIN_NGUYEN_HEIN_H

#include <jansson.h>
#include <arb.h>
#include <arb_mat.h>
#include <flint/fmpq.h>
#include <flint/fmpq_mat.h>
#include "lmo/core/common.h"
#include "lmo/core/theorem.h"
#include "lmo/nguyen_hein/separable.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum { LMO_NH_SIGMOID = 0, LMO_NH_TANH = 1, LMO_NH_SOFTPLUS = 2 } lmo_nh_activation_t;

/* squared: (1) with l(a) = a^2. squared_hinge: (4), Section 5's example of Assumptions 5.2,
 * "l_1(a) = a^2 for a <= 0, 0 for a >= 0; l_2(a) = 0 for a <= 0, a^2 for a >= 0", l_1 on
 * (i, j) with x_i in C_j, l_2 otherwise; lmo's classes: x_i in C_j iff y_ij > 0 (one-hot and
 * {+1, -1} encodings alike). */
typedef enum { LMO_NH_LOSS_SQUARED = 0, LMO_NH_LOSS_SQUARED_HINGE = 1 } lmo_nh_loss_t;

/* "sigmoid", "tanh", "softplus". */
const char *lmo_nh_activation_name(lmo_nh_activation_t a);

#define LMO_NH_DEFAULT_MAX_PREC 4096

typedef struct {
    slong N, d, m, L;
    slong k;                 /* the wide layer, 1 <= k <= L */
    int k_given;             /* input.k present */
    slong *n;                /* n[0] = d, n[1..L] */
    fmpq_mat_t X, Y;         /* N x d, N x m */
    fmpq_mat_struct *W;      /* W[l-1] = W_l, n_{l-1} x n_l */
    fmpq_mat_struct *b;      /* b[l-1] = b_l^T, 1 x n_l */
    lmo_nh_activation_t act;
    lmo_nh_loss_t loss;      /* input.loss, "squared" by default */
    fmpq_t alpha;            /* softplus parameter (1 otherwise) */
    int has_construction;    /* input.construction: {"statement": "...Lemma 4.3", "alpha": q},
                                the parameters claim to be lmo_nh_lemma43's at that alpha */
    fmpq_t construction_alpha;
} lmo_nh_input_struct;
typedef lmo_nh_input_struct lmo_nh_input_t[1];

/* widths n[0..L] (n[0] = d, n[L] = m), N samples; every entry zero, sigmoid, k = 1. */
void lmo_nh_input_init(lmo_nh_input_t in, slong N, slong L, const slong *n);
void lmo_nh_input_clear(lmo_nh_input_t in);

/* Read a vector's input: X, Y, activation, alpha (softplus only), weights, biases, optional k,
 * optional loss ("squared"), optional construction. Unknown members, a width that does not chain, n_L != m, alpha <= 0
 * are LMO_EINPUT naming the field. in must NOT be initialised; on LMO_OK it is. */
int lmo_nh_input_set_json(lmo_nh_input_t in, const json_t *input, const lmo_limits_t *lim,
                          lmo_err_t *err);
/* The input as JSON (what lmo_nh_input_set_json reads back). */
json_t *lmo_nh_input_to_json(const lmo_nh_input_t in);

/* l(a) and l'(a) of the input's loss for entry (i, j) (x_i in C_j iff y_ij > 0), in balls. */
void lmo_nh_ell(arb_t l, arb_t dl, const arb_t a, const lmo_nh_input_t in, slong i, slong j,
                slong prec);

/* y = sigma(t) at precision prec (ball in, ball out). */
void lmo_nh_sigma(arb_t y, const arb_t t, lmo_nh_activation_t act, const fmpq_t alpha, slong prec);

/* F = F_l (N x n_l) at precision prec; F initialised by the caller to N x n_l; l in [0, L]
 * (F_0 = X). */
void lmo_nh_forward(arb_mat_t F, const lmo_nh_input_t in, slong l, slong prec);

/* Phi of (1) (squared loss) or (4) (squared_hinge): an enclosure at precision prec. */
void lmo_nh_loss(arb_t phi, const lmo_nh_input_t in, slong prec);

/* The structural upper bound of rank [F_k, 1_N] (see above); why gets one line naming what
 * limits it. */
slong lmo_nh_rank_upper(const lmo_nh_input_t in, slong k, char *why, size_t cap);

/* A certified lower bound of rank E: the size r of a minor (rows[0..r), cols[0..r), arrays of
 * min(rows, cols) entries) whose ball determinant excludes 0, found by ball elimination with
 * complete pivoting. */
slong lmo_nh_rank_lower(slong *rows, slong *cols, const arb_mat_t E, slong prec);

/* The fast route to the same certificate: complete pivoting on the midpoints in double picks
 * at most `want` rows and columns (a minor M of size r) and R ~ mid(M)^{-1} in double; the proof
 * is ||R M - I||_inf < 1 in balls at prec (so M is non-singular). Returns r with the minor in
 * rows, cols (sorted), or -1 when the proof fails (then lmo_nh_rank_lower is the fallback). */
slong lmo_nh_minor_located(slong *rows, slong *cols, const arb_mat_t E, slong want, slong prec);

/* The lmo-check certificate of a lower bound r (lmo-cert-1.md, claim nguyen_hein): R ~ M^{-1}
 * for the minor M = E[rows, cols], from arb_mat_approx_inv of M's midpoints at prec, its entries
 * exact dyadics (fmpq, r x r, initialised by the function); 1 when ||I - R M||_inf < 1 is proven
 * in balls at prec (so lmo-check, in MPFR intervals at the same precision, can prove it), else 0
 * and R is left empty (0 x 0). */
int lmo_nh_minor_inverse(fmpq_mat_t R, const arb_mat_t E, const slong *rows, const slong *cols,
                         slong r, slong prec);

typedef struct {
    int decided;             /* 1: rank certified (lower = upper) */
    slong rank;              /* when decided, else -1 */
    slong lower, upper;
    slong prec;              /* the precision of the last attempt */
    slong *rows, *cols;      /* the lower bound's minor, lower entries each */
    char upper_why[256];
    int checkable;           /* decided, and inverse proves the minor (lmo_nh_minor_inverse) */
    fmpq_mat_struct *inverse; /* R for lmo-check, when checkable (else NULL) */
} lmo_nh_rank_struct;
typedef lmo_nh_rank_struct lmo_nh_rank_t[1];

void lmo_nh_rank_init(lmo_nh_rank_t R);
void lmo_nh_rank_clear(lmo_nh_rank_t R);

/* rank [F_k, 1_N] certified, the precision growing from 64 to max_prec bits. */
void lmo_nh_rank_Fk1(lmo_nh_rank_t R, const lmo_nh_input_t in, slong k, slong max_prec);

/* The gradient of Phi (1) by Lemma 2.1: "Delta_L = l'(F_L - Y) o sigma'(G_L), Delta_k =
 * (Delta_{k+1} W_{k+1}^T) o sigma'(G_k)", "grad_{W_1} Phi = X^T Delta_1, grad_{W_k} Phi =
 * F_{k-1}^T Delta_k", "grad_{b_k} Phi = Delta_k^T 1_N", with l' of lmo_nh_ell; at precision prec.
 * gW[l-1] (n_{l-1} x n_l) and gb[l-1] (1 x n_l) initialised by the caller. */
void lmo_nh_gradient(arb_mat_struct *gW, arb_mat_struct *gb, const lmo_nh_input_t in, slong prec);

/* Criticality as far as balls decide it: a gradient entry whose ball excludes 0 proves the
 * point is not critical; balls all containing 0 prove nothing (an exact zero is never
 * certified by balls). The precision grows from 128 to max_prec while nothing is proven. */
typedef struct {
    int nonzero;             /* some entry of the gradient excludes 0 */
    char where[64];          /* which, "dPhi/d(W_2)[0][1]" */
    int block_nonzero;       /* some entry of the block (W_{k+1}, b_{k+1}) excludes 0 */
    char block_where[64];
    slong prec;
} lmo_nh_critical_t;

void lmo_nh_critical(lmo_nh_critical_t *c, const lmo_nh_input_t in, slong k, slong max_prec);

/* Definition 3.6 "The Hessian w.r.t. a subset of variables S ... is denoted as nabla_S^2 f(x)";
 * Definition 3.7 "x is non-degenerate for a subset of variables S ... if nabla_S^2 f(x) is
 * non-singular". The block: the parameters (W_l, b_l) of the layers l with blk[l] (blk has
 * L + 1 entries, blk[0] unused), ordered by layer, W_l row-major, then b_l. */
#define LMO_NH_HESS_MAX 96   /* block sizes above it: undecided (P^2 / 2 forward passes) */

/* the number of parameters of the block */
slong lmo_nh_block_size(const lmo_nh_input_t in, const int *blk);

/* H (P x P, initialised by the caller) = nabla_S^2 Phi of (1) (squared loss) at prec, each
 * entry d^2 Phi / dp dq from one forward pass in hyper-dual numbers a + b e1 + c e2 + d e1 e2
 * (sigma, sigma', sigma'' of Lemma 3.3's activations in balls). */
void lmo_nh_block_hessian(arb_mat_t H, const lmo_nh_input_t in, const int *blk, slong prec);

typedef struct {
    int status;              /* 1 non-singular, 0 singular (a row exactly 0), -1 undecided */
    int inertia;             /* 1: pos, neg are the inertia (LDL^T pivots all exclude 0) */
    slong pos, neg, size, prec;
    char how[160];
} lmo_nh_nondeg_t;

/* Non-degeneracy on the block: a ball LDL^T (symmetric pivoting) whose pivots all exclude 0,
 * else a ball LU determinant excluding 0; the precision grows from 128 to max_prec; a pivot
 * and the determinant containing 0 at the cap: undecided at that precision. */
void lmo_nh_nondegenerate(lmo_nh_nondeg_t *r, const lmo_nh_input_t in, const int *blk,
                          slong max_prec);

typedef struct {
    int X_distinct_rows;     /* Assumption 3.2.1 */
    slong rank_X1;           /* rank [X, 1_N] over Q */
    slong *W_rank;           /* W_rank[l-1] = rank W_l over Q, for l in [k+2, L] (else -1) */
    lmo_nh_rank_t Fk1;
    lmo_theorem_t lemma44;
    lmo_theorem_t lemma43;   /* only with input.construction */
    lmo_nh_critical_t crit;  /* the gradient's balls */
    lmo_theorem_t lemma35;   /* Lemma 3.5 (conditions 1-3 at k) */
    lmo_theorem_t theorem34; /* Theorem 3.4 */
    int *cls_of;             /* N x m: x_i in C_j iff y_ij > 0 (Section 5) */
    lmo_nh_sep_t sepF;       /* Definition 5.1 on the rows of F_k (balls) */
    lmo_nh_sep_t sepX;       /* ... and on the rows of X (exact) */
    lmo_theorem_t theorem53_1, theorem53_2; /* Theorem 5.3, parts 1 and 2 */
    lmo_nh_nondeg_t block;   /* Theorem 3.8 condition 1: the first block I found non-degenerate */
    char block_layers[64];   /* I, "{2, 3}" */
    lmo_nh_nondeg_t full;    /* Corollary 3.9: the full Hessian */
    lmo_theorem_t theorem38, corollary39;
} lmo_nh_result_struct;
typedef lmo_nh_result_struct lmo_nh_result_t[1];

void lmo_nh_result_init(lmo_nh_result_t r);
void lmo_nh_result_clear(lmo_nh_result_t r);

/* Every check of this module on in. 0 or an error code. */
int lmo_nh_run(lmo_nh_result_t r, const lmo_nh_input_t in, ulong seed, slong max_prec,
               lmo_err_t *err);

/* Theorem 5.3 (parts 1 and 2) on in: r->cls_of, r->sepF, r->sepX, r->theorem53_1/2; after
 * r->W_rank and r->crit are set (lmo_nh_run calls it). */
void lmo_nh_theorem53(lmo_nh_result_t r, const lmo_nh_input_t in, slong max_prec);

/* Theorem 3.8 and Corollary 3.9 on in: r->block, r->full, r->theorem38, r->corollary39; after
 * r->W_rank and r->crit (lmo_nh_run calls it). */
void lmo_nh_theorem38(lmo_nh_result_t r, const lmo_nh_input_t in, slong max_prec);

/* Lemma 4.3's construction at layer k: n_k >= N - 1; layers below k as in `in` (their rows
 * must be distinct: for k = 1 the rows of X, for k > 1 the rows of F_{k-1}, certified in
 * balls -- the proof's induction); layer k is overwritten: columns j < N - 1 of W_k get
 * -alpha a, b_k[j] = alpha z_j^T a + beta (beta = 0; z_j the rows of F_{k-1} (X for k = 1)
 * ordered by z^T a, a = (1, t, t^2, ...) with the least integer t >= 1 giving distinct
 * projections; for k > 1 z_j^T a is irrational and replaced by the midpoint of its ball, a
 * dyadic rational within 2^-100 of it), the other columns keep what in had. alpha = 1, 2, 4,
 * ... until rank [F_k, 1_N] = N is certified (at most max_prec bits, alpha at most 2^20).
 * Returns 0 and sets alpha_out, or -1 (rows not distinct, n_k < N - 1, or not certified). */
int lmo_nh_lemma43(fmpq_t alpha_out, lmo_nh_input_t in, slong k, slong max_prec);

/* 1 when layer k of in has the form lmo_nh_lemma43 builds at alpha (columns j < N - 1 of W_k
 * equal to -alpha a, b_k[j] = alpha z_j^T a -- exactly for k = 1, within 2^-100 for k > 1 --
 * z_j in strictly increasing order of z^T a); else 0 and why names what differs. */
int lmo_nh_lemma43_is_construction(const lmo_nh_input_t in, slong k, const fmpq_t alpha,
                                   char *why, size_t cap);

#ifdef __cplusplus
}
#endif
#endif
