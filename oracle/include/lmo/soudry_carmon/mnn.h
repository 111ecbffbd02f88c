/*
 * lmo/soudry_carmon/mnn.h -- the multilayer network of Soudry & Carmon 2016,
 * exactly.
 *
 * Mirrors, with the paper's notation (layers l = 1..L, samples n = 1..N):
 *   (3.1)  u_l = W_l v_{l-1}, v_l = diag(a_l) u_l, v_0 = x; a_{i,l} =
 *          eps_{i,l} (u >= 0) or s eps_{i,l} (u < 0) for l < L, a_L = 1
 *   (3.2)  e = v_L - y, MSE = |e|^2 / (2N)
 *   (5.2)  delta_l = diag(a_l) W_{l+1}^T diag(a_{l+1}) ... W_L^T
 *   (5.4)  G_l = Delta_l o V_{l-1} (column n: delta_l^(n) (x) v_{l-1}^(n))
 *   (5.5)  G = [G_1; ...; G_L]; (5.1)/(5.3) gradient = (1/N) G e; critical iff G e = 0
 *   (5.6)-(5.7) H = E[e Lambda] + (1/N) G G^T, tr E[e Lambda] = 0
 *   (4.2), Lemma 1 (L = 2): min over W~1 of MSE under a fixed pattern, with
 *          G1 = A1 o X (4.4); MSE = 0 when rank(G1) = N
 *   Lemma 3 / Theorem 4 (L = 2), Theorem 5 (L >= 3, via G^p_{L-1} =
 *          A_{L-1} o V_{L-2} of (B.2), w_L absorbed as in its proof)
 * The dropout matrices E_l are d_l x N (eps_l^(n) is column n), as in section 3.
 *
 * Parameter order (DESIGN.md): theta = [vec(W1^T); ...; vec(WL^T)], i.e.
 * W_l row by row; entry (i, j) of W_l is row i*d_{l-1} + j of G_l, matching
 * delta (x) v.
 *
 * The Hessian is computed twice, independently: (left) the loss as an exact
 * polynomial in the weights under the fixed pattern (FLINT fmpq_mpoly),
 * differentiated twice and evaluated; (right) from (5.6)-(5.7). They must be
 * equal; the trace of E[e Lambda] is taken from the left side.
 *
 * Theorem outcomes (lmo/core/theorem.h), each with its reason; the hypotheses of
 * Lemma 3, Theorem 4 and Theorem 5 are decided by lmo/soudry_carmon/hypotheses.h:
 *   lemma1   (deterministic) L = 2, rank(A1 o X) = N under the weights' pattern: the
 *            minimiser of (4.2) has MSE 0, and if the point is differentiable with
 *            (A1 o X) e = 0 then e = 0. A failure is "violated".
 *   lemma3   (a.e.) L = 2, N <= d0 d1: rank(A1 o X) = N; a lower rank is
 *            "exceptional", with the genericity of (X, E1) that fails named.
 *   theorem4 (a.e.) L = 2, N <= d0 d1, at a differentiable point with (A1 o X) e = 0
 *            (what every differentiable local minimum of (4.1) satisfies): MSE = 0;
 *            MSE > 0 there is "exceptional" when rank(A1 o X) < N, "violated" (Lemma 1)
 *            when rank(A1 o X) = N. At another point the statement claims nothing.
 *   theorem5_rank (a.e., the proof's step (B.2)) L >= 3, N <= d_{L-2} d_{L-1}:
 *            rank(A_{L-1} o V_{L-2}) = N; a lower rank is "exceptional".
 *   theorem5 (a.e.) the conclusion, from the weights: at a differentiable point with
 *            G_{L-1} e = 0 and G_L e = 0 (every DLM in (W_{L-1}, W_L) has them) the MSE is
 *            0; MSE > 0 there is "violated" when rank G_{L-1} = N (then e = 0 is forced),
 *            "exceptional" otherwise. At another point it claims nothing.
 * The test hooks LMO_MNN_CORRUPT_* (field `corrupt` of the input) feed the deterministic
 * branches of Lemma 1, Theorem 4 and Theorem 5's conclusion a deliberately wrong input;
 * tests/unit/test_mnn.c shows each check violated by one (and tests/unit/test_mnn_cli.c
 * the exit status 1 of lmo mnn).
 */
#ifndef LMO_SOUDRY_CARMON_MNN_H
#define LMO_SOUDRY_CARMON_MNN_H

#include <jansson.h>
#include <flint/fmpq.h>
#include <flint/fmpq_mat.h>
#include "lmo/core/common.h"
#include "lmo/linalg/near_critical.h"
#include "lmo/core/theorem.h"
#include "lmo/linalg/rank.h"
#include "lmo/soudry_carmon/patterns.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    slong L;               /* weight layers, >= 1 */
    slong *d;              /* widths d[0..L], d[L] = 1 */
    slong N;
    fmpq_mat_t X;          /* d0 x N */
    fmpq_mat_t y;          /* 1 x N */
    fmpq_t s;              /* slope, != 0 */
    fmpq_mat_struct *W;    /* W[l-1] is W_l, d_l x d_{l-1} */
    fmpq_mat_struct *E;    /* E[l-1] is E_l, d_l x N, l < L (all ones without dropout) */
    int has_dropout;
    slong layer;           /* 0, or the layer l of input field `layer` */
    int corrupt;           /* LMO_MNN_CORRUPT_* bits: tests only (0 after init and set_json) */
} lmo_mnn_input_struct;
typedef lmo_mnn_input_struct lmo_mnn_input_t[1];

/* Deliberately wrong inputs to the theorem checks, for the tests that show each check
 * failing (tests/unit/test_mnn.c; lmo mnn reads them from the environment variable
 * LMO_MNN_CORRUPT, a comma-separated list of the names in brackets). Never set otherwise;
 * with 0 (the default) no check does any extra work. */
enum {
    LMO_MNN_CORRUPT_MINIMISER = 1, /* [minimiser] Lemma 1 reads the MSE of (4.2) at W~1 + E_11
                                      (entry (1, 1) moved by 1), not at the minimiser W~1 */
    LMO_MNN_CORRUPT_RESIDUAL = 2   /* [residual] the conclusions "e = 0" / "MSE = 0" of Lemma 1,
                                      Theorem 4 and Theorem 5 are read off e + e_1 (sample 1's
                                      error moved by 1); their hypotheses (A1 o X) e = 0,
                                      G_{L-1} e = G_L e = 0 still see the true e */
};
/* The bits named in a comma-separated list ("minimiser,residual"); -1 on an unknown name. */
int lmo_mnn_corrupt_parse(const char *list);

/* Zero weights, X, y; E all ones; s = 1; corrupt = 0. d has L+1 entries with d[L] = 1. */
void lmo_mnn_input_init(lmo_mnn_input_t in, slong L, const slong *d, slong N);
void lmo_mnn_input_clear(lmo_mnn_input_t in);

/* Read the `input` object of kind mnn (DESIGN.md): X, y, slope, weights
 * [W1 ... WL], optional dropout [E1 ... E(L-1)], optional layer. `in` must
 * be initialised (any size). Shape errors name the field, e.g.
 * "input.weights[1]: W2 has 3 columns but W1 has 4 rows (d1)". */
int lmo_mnn_input_set_json(lmo_mnn_input_t in, const json_t *input,
                           const lmo_limits_t *lim, lmo_err_t *err);

/* Lemma 1 / Theorem 4 for L = 2 and one activation pattern. */
typedef struct {
    fmpq_mat_t A1X;        /* G1 = A1 o X, d1 d0 x N (4.4) */
    lmo_rank_t rank;       /* its certified rank */
    fmpq_mat_t Wt;         /* a minimiser W~1 of (4.2) under the pattern, d1 x d0 */
    fmpq_t mse;            /* its MSE: the minimum of (4.2); 0 whenever rank = N */
    int reproduces;        /* W1, W2 below realise the pattern strictly (no u = 0) */
    fmpq_mat_t W1, W2;     /* d1 x d0, 1 x d1 with diag(W2) W1 = W~1 (or a witness row where W~1's row is 0) */
} lmo_lemma1_struct;
typedef lmo_lemma1_struct lmo_lemma1_t[1];

void lmo_lemma1_init(lmo_lemma1_t L1, slong d0, slong d1, slong N);
void lmo_lemma1_clear(lmo_lemma1_t L1);
/* For X (d0 x N), targets y (1 x N), dropout E1 (d1 x N), slope s and a
 * pattern (signs[i*N + n] = 1 when u_i^(n) >= 0): least squares on the
 * features A1 o X. The minimiser uses the independent rows of A1 o X found by
 * exact rref (deterministic); W2_i = +-1 flips a unit's signs, W2_i = 0 with
 * a cell witness (lmo_topes_t) covers a zero row. When the pattern is
 * reproduced, (W1, W2) is a point of (4.1) with this pattern and MSE = mse. */
int lmo_lemma1(lmo_lemma1_t L1, const fmpq_mat_t X, const fmpq_mat_t y, const fmpq_mat_t E,
               const fmpq_t s, const unsigned char *signs, ulong seed, lmo_err_t *err);

typedef struct {
    slong L, N, omega;
    slong *d;
    /* forward pass (3.1)-(3.2); index l-1 holds layer l */
    fmpq_mat_struct *U, *V, *A;     /* d_l x N */
    fmpq_mat_t e;                   /* 1 x N */
    fmpq_t mse;
    /* 1: no hidden u = 0 (then the MSE is differentiable, Section 4), or w = 0 with L >= 3
     * (Section 5's differentiable critical point). 0: some u = 0, a possible kink, which
     * the paper's DLMs exclude -- not a proof that the MSE has no derivative there (at
     * w = 0 with L = 2 it has one, but no Hessian). */
    int differentiable;
    int zero_weights;               /* w = 0 and L >= 3: differentiable by Section 5 */
    slong nzero;
    slong *zeros;                   /* nzero triples (l, i, n), 1-based as in the paper */
    /* gradient matrices (5.2)-(5.5) */
    fmpq_mat_struct *Delta;         /* d_l x N */
    fmpq_mat_struct *G;             /* G_l, d_{l-1} d_l x N */
    fmpq_mat_t Gall;                /* omega x N */
    lmo_rank_struct *rank_G;        /* L certified ranks */
    lmo_rank_t rank_Gall;
    fmpq_mat_t grad;                /* omega x 1 */
    int critical;
    /* Hessian (5.6)-(5.7) */
    int hessian_done;               /* 0 when over the polynomial cap (see note) */
    char hessian_note[160];
    fmpq_mat_t H_poly;              /* left side */
    fmpq_mat_t H_split;             /* right side */
    fmpq_mat_t ELambda;             /* E[e Lambda] by (5.7) */
    fmpq_t trace_ELambda;           /* tr(H_poly - (1/N) G G^T) */
    int hessian_identity;           /* H_poly == H_split and trace 0 */
    /* L = 2: Lemma 1 under the pattern of the weights */
    int has_lemma1;
    lmo_lemma1_t lemma1_min;        /* A1 o X, its rank, the minimiser of (4.2), ... */
    int critical_tilde;             /* (A1 o X) e = 0, eq. (4.5) */
    /* L >= 3: Theorem 5 */
    int has_thm5;
    lmo_rank_t rank_thm5;           /* rank of A_{L-1} o V_{L-2} */
    lmo_theorem_t lemma1, lemma3, theorem4, theorem5_rank, theorem5;
} lmo_mnn_result_struct;
typedef lmo_mnn_result_struct lmo_mnn_result_t[1];

void lmo_mnn_result_init(lmo_mnn_result_t res);
void lmo_mnn_result_clear(lmo_mnn_result_t res);

/* Caps of the polynomial Hessian: at most this many parameters, and at most
 * this many terms summed over the squared per-sample errors. */
#define LMO_MNN_HESSIAN_MAX_OMEGA 96
#define LMO_MNN_HESSIAN_MAX_TERMS 400000

/* Everything above. `seed` drives the primes of the rank certificates (the
 * answers never depend on it). LMO_EINPUT on shapes or s = 0. */
int lmo_mnn_run(lmo_mnn_result_t res, const lmo_mnn_input_t in, ulong seed, lmo_err_t *err);

/* The pieces, for tests and for callers that need one of them. */
/* Forward pass and error only (fills U, V, A, e, mse, differentiable, zeros). */
int lmo_mnn_forward(lmo_mnn_result_t res, const lmo_mnn_input_t in, lmo_err_t *err);
/* Forward pass and the matrices Delta_l, G_l (5.2)-(5.4), nothing else (no G, gradient,
 * rank, Hessian or statement): for a large trained point whose G_{L-1} alone is wanted
 * (lmo/soudry_carmon/trained.h). */
int lmo_mnn_gradient_matrices(lmo_mnn_result_t res, const lmo_mnn_input_t in, lmo_err_t *err);
/* Left side of (5.6): Hessian of the MSE polynomial under the slopes res->A
 * (H initialised omega x omega). 0 when over the caps, 1 when done. */
int lmo_mnn_hessian_poly(fmpq_mat_t H, const lmo_mnn_input_t in, const lmo_mnn_result_t res);
/* Right side: E[e Lambda] by (5.7) and H = E[e Lambda] + (1/N) G G^T
 * (both initialised omega x omega; needs the forward pass and G). */
void lmo_mnn_hessian_split(fmpq_mat_t H, fmpq_mat_t ELambda, const lmo_mnn_input_t in,
                           const lmo_mnn_result_t res);

/* Verdict keys of kind mnn: pattern (per hidden layer, one string per unit
 * over the samples: '+' u > 0, '0' u = 0 (slope eps, a kink), '-' u < 0),
 * differentiable, zero_preactivations ([{l, i, n}], 1-based as in the paper),
 * loss (MSE), error, rank_G, rank_G_all, critical, gradient, hessian_identity,
 * trace_ELambda, (L = 2) rank_A1X, critical_tilde, lemma1_minimiser,
 * (L >= 3) rank_A_Lminus1_o_V_Lminus2, (layer given) rank_G_layer and
 * full_column_rank, theorems [Lemma 1, Lemma 3, Theorem 4, Theorem 5] (lmo/core/theorem.h), failed.
 * certs = 1 embeds the rank certificates (their primes depend on the seed;
 * leave them out of `expect`). */
json_t *lmo_mnn_result_to_json(const lmo_mnn_result_t res, const lmo_mnn_input_t in, int certs);

/* All rank certificates as one document, claim "bundle" (vectors/schema/lmo-cert-1.md,
 * "Rank bundles"): G_1 ... G_L, G, and A1 o X (L = 2) or A_{L-1} o V_{L-2} (L >= 3). */
json_t *lmo_mnn_certificates_to_json(const lmo_mnn_result_t res, const char *vector_id);

/* Near-critical report (issue 20; lmo/linalg/near_critical.h) of a point res that is
 * differentiable and not critical: |grad|^2 of the MSE exactly, and certified enclosures
 * of the eigenvalues of the Hessian H_poly (the MSE's, under the point's fixed pattern,
 * which is its Hessian since no u = 0) against its exact inertia; without the Hessian
 * (over the polynomial caps) the gradient and a note. No loss gap: Soudry-Carmon give
 * no global minimum value for a general point (Theorems 4/5 say MSE 0 at differentiable
 * local minima, under hypotheses). LMO_EINPUT when the point is critical or not
 * differentiable; LMO_ELIMIT when a certified sign contradicts the inertia. */
int lmo_mnn_near_critical(lmo_near_critical_t nc, const lmo_mnn_result_t res, slong prec_cap,
                          lmo_err_t *err);

/* 1 when a statement is violated (never an almost-everywhere one) or the two Hessians differ. */
int lmo_mnn_failed(const lmo_mnn_result_t res);

#ifdef __cplusplus
}
#endif
#endif
