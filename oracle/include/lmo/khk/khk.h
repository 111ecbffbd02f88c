/*
 * lmo/khk/khk.h -- the exact identity L(theta) = J(theta) of Kawaguchi, Huang & Kaelbling
 * (2019), "Effect of Depth and Width on Local Minima in Deep Learning", Section 4 (Theorem 1,
 * equations (4.1), (4.2)), Appendix A (Lemmas 1-3, proof A.1) and Section 3 (Proposition 1,
 * the H = 1 case, in lmo/khk/prop1.h). Kind `khk` of DESIGN.md.
 *
 * Model (paper Section 4.1, rows are samples): X is m x d0, Y is m x d(H+1), weights
 * W(1) ... W(H+1) with W(l) of size d(l-1) x dl, H >= 1 hidden layers,
 *     Phi(0) = X,  Phi(l) = sigma(l)(Phi(l-1) W(l))  (l = 1..H),  Yhat = Phi(H) W(H+1)  (4.1)
 * and one activation per hidden layer: relu max(0, z), leaky:a max(a z, z) with rational
 * a <= 1, abs |z|. The loss is the paper's (2.1), WITH its factor 1/2 and no 1/m:
 *     L(theta) = 1/2 ||Yhat - Y||_F^2.
 * vec is column-major (Section 2.2): vec(Y)[j m + i] = Y[i, j] (0-based), n = m d(H+1).
 *
 * Definition choices (each resolved from the proofs; see also lmo/khk/prop1.h):
 *  - Lambda (Section 4.1): Lambda(l)[i, k] = sigma'(z) at z = (Phi(l-1) W(l))[i, k] when the
 *    derivative exists, else 0 -- so relu: 1 (z > 0), 0 (z <= 0); leaky:a: 1 (z > 0), a
 *    (z < 0), 0 at z = 0 unless a = 1 (then sigma is the identity, differentiable, Lambda 1);
 *    abs: 1, -1, and 0 at z = 0. With this choice sigma(z) = Lambda z for every z, so Lemma 1's
 *    first statement vec(Yhat) = D(l) vec(W(l)) holds at kinks too.
 *  - differentiable: lmo calls theta non-differentiable as soon as one pre-activation of a
 *    relu / abs / leaky (a != 1) unit is exactly 0 (the rule; L itself can still be
 *    differentiable there, e.g. behind a zero weight, so this is conservative), and names the
 *    first such (layer, unit, sample) in the paper's 1-based numbering.
 *  - D_k(l) (Theorem 1): the m d(H+1) x d(l-1) block of d vec(Yhat) / d W(l)[:, k] at fixed
 *    Lambda, i.e. the sum over paths k = k_l, k_(l+1), ..., k_H of
 *    (W(l+1)[k_l, k_(l+1)] ... W(H+1)[k_H, :])^T (x) Lambda(l,k_l) ... Lambda(H,k_H) Phi(l-1),
 *    computed by the backward recursion T(H)_j = Lambda(H) o W(H+1)[:, j]^T,
 *    T(l)_j = (T(l+1)_j W(l+1)^T) o Lambda(l); block row j of D_k(l) is diag(T(l)_j[:, k]) Phi(l-1).
 *    D_1(H+1) = I_d(H+1) (x) Phi(H) (Theorem 1), and d'(H+1) = 1: layer H+1 has ONE block.
 *  - N (Theorem 1 writes N_k(l) := P_N[Qbar_k(l)], which refers to Q_k(l) = N_k(l) D_k(l)
 *    itself): lmo reads it as Proposition 1 and Corollary 1 write it, the Gram-Schmidt order
 *    of the proof of Lemma 3, N_k(l) := P_N[Qbar_(k-1)(l)], Qbar_0(l) := Qbar_d(l-1)(l-1),
 *    N_1(H+1) = P_N[Qbar_dH(H)]. N_1(1) is the identity of size m d(H+1) (the paper writes
 *    I_m: that is the d(H+1) = 1 case of Proposition 1; N acts on vec(Y)).
 *  - J (Section 4.3): J = 1/2 ||Y||_F^2 - sum over the blocks of 1/2 ||P[N_k(l) D_k(l)] vec Y||^2,
 *    the right side of (4.2), with the same 1/2 as L. Appendix C drops the 1/2
 *    (J = ||(I - P[[D D_1(H+1)]]) vec Y||^2); lmo keeps it so that L = J is the theorem's
 *    identity, and computes that Appendix C form too (J_direct, times 1/2) as a cross-check
 *    of Lemma 3 -- the two must agree exactly.
 *  - Projections: P[M] from a basis B of range(M) (pivot columns of an exact rref, full
 *    column rank) and the normal equations (B^T B) c = B^T v -- never the inverse of a
 *    singular matrix. P_N[M] = I - P[M].
 *  - Criticality: the exact gradient at fixed Lambda, dL/dW(l) = Phi(l-1)^T delta(l),
 *    delta(H+1) = Yhat - Y, delta(l) = (delta(l+1) W(l+1)^T) o Lambda(l); "critical" only at
 *    a differentiable point. Theorem 1 is stated for differentiable local minima, but proof
 *    A.1 uses only the first-order condition, so lmo checks L = J at every differentiable
 *    critical point (a superset). J <= L holds everywhere: vec(Yhat) lies in range([D D_1(H+1)])
 *    (Lemma 1), so L = 1/2 ||vec Y - vec Yhat||^2 >= 1/2 ||(I - P) vec Y||^2 = J.
 *  - Definition 1 (weakly separated linear units): unit k of layer l acts linearly when
 *    Phi(l)[:, k] = (Phi(l-1) W(l))[:, k] exactly (every pre-activation >= 0, or leaky:1; the
 *    output layer always). Valid families are closed under union, so there is a largest one,
 *    built top-down: S(H+1) = every output, S(H) = the linear units of layer H, and for
 *    l = H-1 .. 1, S(l) = the linear units of layer l whose weights W(l+1)[k, j] vanish for
 *    every j outside S(l+1) (condition iii). theta is in Theta_(n,t) iff n <= n_max(t) =
 *    min over l = t+1..H+1 of |S(l)|; n_max(H) = dy always (the paper: every theta is in
 *    Theta_(d(H+1), H)).
 */
#ifndef LMO_KHK_KHK_H
#define LMO_KHK_KHK_H

#include <jansson.h>
#include <flint/fmpq.h>
#include <flint/fmpq_mat.h>
#include "lmo/core/common.h"
#include "lmo/core/theorem.h"
#include "lmo/khk/prop2.h"
#include "lmo/khk/thm2.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum { LMO_KHK_RELU = 0, LMO_KHK_LEAKY = 1, LMO_KHK_ABS = 2 } lmo_khk_act_kind_t;

typedef struct {
    lmo_khk_act_kind_t kind;
    fmpq_t a;               /* the leaky slope (a <= 1); 0 for relu, -1 for abs */
} lmo_khk_act_struct;

typedef struct {
    slong H, m;
    slong *d;               /* d[0] = dx, d[1..H], d[H+1] = dy */
    fmpq_mat_t X, Y;        /* m x d0, m x d(H+1) */
    fmpq_mat_struct *W;     /* W + (l-1) is W(l), d(l-1) x dl, l = 1..H+1 */
    lmo_khk_act_struct *act;/* act + (l-1): hidden layer l = 1..H */
} lmo_khk_struct;
typedef lmo_khk_struct lmo_khk_t[1];

/* Zero X, Y, weights of the widths D[0..H+1], m samples; every activation relu. */
void lmo_khk_init(lmo_khk_t net, slong H, const slong *d, slong m);
void lmo_khk_clear(lmo_khk_t net);

/* Parses "relu", "abs", "leaky:A" (A exact, A <= 1); PATH names the field for errors. */
int lmo_khk_act_set_str(lmo_khk_act_struct *act, const char *s, const char *path,
                        const lmo_limits_t *lim, lmo_err_t *err);
/* Its canonical spelling (flint_free the result). */
char *lmo_khk_act_get_str(const lmo_khk_act_struct *act);
/* sigma(z) and Lambda (the derivative, 0 where it does not exist); returns 1 at a kink. */
int lmo_khk_act_eval(fmpq_t s, fmpq_t lam, const lmo_khk_act_struct *act, const fmpq_t z);

/* The vector's input {"X", "Y", "weights", "activations"}: NET must not be initialised;
 * on LMO_OK it is and must be cleared. Shapes, caps and the activation names are checked. */
int lmo_khk_input_set_json(lmo_khk_t net, const json_t *input, const lmo_limits_t *lim,
                           lmo_err_t *err);
json_t *lmo_khk_input_to_json(const lmo_khk_t net);

/* ---- projections (Section 2.2), exact ---- */

/* B := the pivot columns of A (a basis of range(A), full column rank); returns the rank.
 * B must not be initialised; it is initialised to rows(A) x rank (0 columns allowed). */
slong lmo_khk_colspace_basis(fmpq_mat_t B, const fmpq_mat_t A);
/* PV := P[A] V (P[A] the orthogonal projector onto range(A)); returns rank(A). PV has the
 * shape of V and is initialised by the caller. Returns -1 if the normal equations of the
 * basis are singular (cannot happen: an internal error). */
slong lmo_khk_project(fmpq_mat_t PV, const fmpq_mat_t A, const fmpq_mat_t V);
/* NV := P_N[A] V = V - P[A] V. */
slong lmo_khk_null_project(fmpq_mat_t NV, const fmpq_mat_t A, const fmpq_mat_t V);
/* *out := ||P[A] v||^2 for the column v; returns rank(A). */
slong lmo_khk_proj_norm2(fmpq_t out, const fmpq_mat_t A, const fmpq_mat_t v);

/* Lemma 3's decomposition (proof A.1 with [D D_1(H+1)]) for any ordered blocks A_1..A_nb
 * (all n rows) and a column v: terms[b] := ||P[N_b A_b] v||^2 with N_1 = I and
 * N_b = P_N[[Q_1 ... Q_(b-1)]], Q_b = N_b A_b; ranks[b] := rank(Q_b) (either may be NULL);
 * *total := ||P[[A_1 ... A_nb]] v||^2 computed directly. Returns 0, or -1 on an internal
 * error. Lemma 3 says sum(terms) = *total. */
int lmo_khk_decompose(fmpq *terms, slong *ranks, fmpq_t total, const fmpq_mat_struct *blocks,
                      slong nb, const fmpq_mat_t v);

/* vec(M) (column-major), a rows*cols x 1 matrix initialised here. */
void lmo_khk_vec(fmpq_mat_t v, const fmpq_mat_t M);

/* ---- the result ---- */

enum { LMO_KHK_THM_1, LMO_KHK_LEMMA_1, LMO_KHK_LEMMA_3, LMO_KHK_PROP_1, LMO_KHK_PROP_2, LMO_KHK_NTHM };

typedef struct {
    slong H, m, dy, n;              /* n = m dy */
    slong *d;                       /* copy of the widths */
    fmpq_mat_struct *Phi;           /* Phi + l = Phi(l), l = 0..H+1 (Phi(H+1) = Yhat) */
    fmpq_mat_struct *Lam;           /* Lam + (l-1) = Lambda(l), m x dl: column k holds the
                                       diagonal of Lambda(l,k) */
    int differentiable;
    slong kink_layer, kink_unit, kink_sample; /* the first kink, 1-based; 0 when none */
    fmpq_mat_struct *grad;          /* grad + (l-1) = dL/dW(l), the shape of W(l) */
    int critical;                   /* differentiable and every gradient entry 0 */
    fmpq_t grad_norm2;              /* the sum of the squared gradient entries */
    fmpq_t loss;                    /* (2.1) */
    slong nblocks;                  /* sum_l dl (l <= H) + 1 */
    slong *block_layer, *block_unit;/* 1-based (layer, unit) of each block of (4.2) */
    fmpq *terms;                    /* 1/2 ||P[N_k(l) D_k(l)] vec Y||^2 per block */
    slong *term_rank;               /* rank(Q_k(l)) */
    fmpq_t J;                       /* (4.2): 1/2 ||Y||^2 - sum(terms) */
    fmpq_t J_direct;                /* Appendix C: 1/2 ||(I - P[[D D_1(H+1)]]) vec Y||^2 */
    slong path_rank;                /* rank([D D_1(H+1)]) */
    int lemma1_ok;                  /* vec(Yhat) = D(l) vec(W(l)), every l (Lemma 1) */
    int *def1;                      /* def1[off(l) + k]: unit k+1 of layer l in the largest S(l),
                                       l = 1..H, off(l) = d1 + ... + d(l-1) */
    slong *n_max;                   /* n_max[t], t = 0..H (Definition 1) */
    int prop1_done;                 /* H = 1 and dy = 1: Proposition 1 computed */
    fmpq_t J_prop1;                 /* (3.2)'s right side by lmo/khk/prop1.h */
    int prop2_done;                 /* H = 1: Proposition 2 / Lemma 6 on Lambda(1), X (prop2.h) */
    lmo_khk_prop2_t prop2;
    int w2_rows_nonzero;            /* every row of W(2) non-zero (H = 1): loss_proj = J */
    lmo_khk_thm2_t thm2;            /* Theorem 2, Corollaries 1, 2 (lmo/khk/thm2.h) */
    lmo_theorem_t thm[LMO_KHK_NTHM];
    int violation;                  /* some statement violated or a cross-check failed */
    int ready;
} lmo_khk_result_struct;
typedef lmo_khk_result_struct lmo_khk_result_t[1];

void lmo_khk_result_init(lmo_khk_result_t r);
void lmo_khk_result_clear(lmo_khk_result_t r);

/* Everything above for NET: forward pass, Lambda, kink, loss, gradient, the blocks D_k(l),
 * J both ways, Lemma 1, Lemma 3, Proposition 1 (when H = 1, dy = 1) and Theorem 1's outcome.
 * LMO_ELIMIT when the n x d_theta matrix [D D_1(H+1)] exceeds lim's entry cap. */
int lmo_khk_compute(lmo_khk_result_t r, const lmo_khk_t net, const lmo_limits_t *lim,
                    lmo_err_t *err);

/* D_k(l) (1-based l in 1..H+1, k in 1..dl; k = 1 when l = H+1) at NET, into D (initialised
 * here, n x d(l-1), or n x dH dy for l = H+1). Recomputes the forward pass: for tests. */
void lmo_khk_D_block(fmpq_mat_t D, const lmo_khk_t net, slong l, slong k);

/* A := [D D_1(H+1)] = [D_1(1) ... D_d1(1) ... D_dH(H) D_1(H+1)], n x d_theta, the blocks in
 * (4.2)'s order (initialised here); its columns follow vec(W(l)) column-major, layer by layer. */
void lmo_khk_path_matrix(fmpq_mat_t A, const lmo_khk_t net);

/* The certificate of claim "khk" (vectors/schema/lmo-cert-1.md): for each prefix of the
 * blocks of A = [D D_1(H+1)] (the order of (4.2)) coefficients c with A_p^T (vec Y - A_p c) = 0,
 * which prove J and its terms, and a rank certificate of A (path_rank). NULL with err on an
 * internal error. */
json_t *lmo_khk_cert_to_json(const lmo_khk_t net, const char *vector_id, lmo_err_t *err);

/* The verdict: differentiable, kink, critical, loss, J, loss_minus_J, path_rank, patterns,
 * terms, weakly_separated {sets, n_max}, thm2 (lmo/khk/thm2.h; null unless a differentiable
 * critical point), prop2 (H = 1, else null: rank, max_rank,
 * generic_rank, regime, lambda_condition, witness, loss_proj), theorems (new reference). */
json_t *lmo_khk_result_to_json(const lmo_khk_result_t r);

#ifdef __cplusplus
}
#endif
#endif
