/* dl.h -- internal to the checker's deep-linear rules (dl.c, dl_sigma.c): the network of
 * Kawaguchi 2016 Section 2, L = 1/2 ||W(H+1)...W1 X - Y||_F^2, theta = [vec(W1^T); ...]. */
#ifndef LMOC_DL_H
#define LMOC_DL_H

#include "lmoc.h"

typedef struct {
    long H1, n;         /* H + 1 weight matrices, n parameters */
    lmoc_mat_t X, Y, *W;
} lmoc_dl_t;

/* M = W[hi] ... W[lo] (0-based), the identity when hi < lo. */
int lmoc_dl_chain(lmoc_mat_t *M, lmoc_ctx_t *c, const lmoc_dl_t *P, long lo, long hi);
/* Sigma = (R Y^T)^T (R R^T)^-1 (R Y^T), R a row basis of X: Y Pi Y^T, Pi the orthogonal
   projector onto the row space of X (the paper's Y X^T (X X^T)^-1 X Y^T when X X^T is
   invertible). */
int lmoc_dl_sigma(lmoc_mat_t *S, lmoc_ctx_t *c, const lmoc_dl_t *P);
/* P^T H P = L diag(D) L^T, P a permutation, L unit lower triangular, D >= 0 (> 0 when
   STRICT): H >= 0 (> 0). J is the certificate part named NAME. */
int lmoc_dl_ldl(lmoc_ctx_t *c, const lmoc_json_t *j, const char *name, const lmoc_mat_t *H,
                int strict);
/* The "global_min" part: the loss LOSS is the global minimum value (lmo-cert-1.md, "The global minimum part"). */
int lmoc_dl_global_min(lmoc_ctx_t *c, const lmoc_json_t *g, const char *cn, const lmoc_dl_t *P,
                       const mpq_t loss);

/* Facts about X, Y and Sigma, for the members hypotheses and global_min_value. */
typedef struct {
    int xxt_full, xyt_full, dy_le_dx, distinct;
    long q;               /* min(d1, ..., dH, dy) */
    mpq_t trace_yyt;
    lmoc_mat_t sigma, charpoly;   /* charpoly: 1 x (dy + 1), ascending, monic */
} lmoc_dl_sigma_facts_t;
void lmoc_dl_sigma_facts_init(lmoc_dl_sigma_facts_t *F);
int lmoc_dl_sigma_facts(lmoc_dl_sigma_facts_t *F, lmoc_ctx_t *c, const lmoc_dl_t *P);
void lmoc_dl_sigma_facts_clear(lmoc_dl_sigma_facts_t *F);
lmoc_member_fn lmoc_dl_member_hypotheses;   /* state: lmoc_dl_sigma_facts_t */
/* expect.global_min_value against the facts and the certificate part GV (may be NULL). */
int lmoc_dl_global_min_value(lmoc_ctx_t *c, const lmoc_json_t *val, const char *name,
                             const lmoc_dl_sigma_facts_t *F, const lmoc_json_t *gv,
                             const char *cn);

#endif
