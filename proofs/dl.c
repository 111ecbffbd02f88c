/* dl.c -- claim "deep_linear" (Kawaguchi 2016 Section 2; rules in vectors/schema/lmo-cert-1.md). Loss
 * L = 1/2 ||W(H+1)...W1 X - Y||_F^2, theta = [vec(W1^T); ...] (W1 row by row, then W2 ...).
 * One routine does the calculus: the loss along a polynomial curve theta + t D1 + t^2 D2 +
 * ... in Q[t]; gradient and Hessian entries are its t, t^2 coefficients along e_i, e_i + e_j.
 * The Hessian's inertia is the checker's own congruence S^T H S = diag(d) (Sylvester). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "dl.h"

static int dl_read(lmoc_dl_t *P, lmoc_ctx_t *c, const lmoc_json_t *in)
{
    static const char *const keys[] = {"X", "Y", "weights", NULL};
    lmoc_known(c, LMOC_V, in, "input", keys);
    lmoc_matrix(&P->X, c, LMOC_V, lmoc_json_get(in, "X"), -1, -1, "input.X");
    lmoc_matrix(&P->Y, c, LMOC_V, lmoc_json_get(in, "Y"), -1, -1, "input.Y");
    lmoc_matrices(&P->W, &P->H1, c, LMOC_V, lmoc_json_get(in, "weights"), "input.weights");
    if (!c->rc && (P->H1 < 2 || P->X.rows < 1 || P->X.cols < 1 || P->Y.rows < 1 ||
                   P->Y.cols != P->X.cols))
        return lmoc_fail(c, LMOC_EINPUT, LMOC_V, "field input: needs X (dx x m), Y (dy x m), "
                         "m, dx, dy >= 1, and weights [W1, ..., W(H+1)] with H >= 1");
    for (long k = 0; k < P->H1 && !c->rc; k++) {
        const lmoc_mat_t *W = &P->W[k];
        if (W->rows < 1 || W->cols != (k ? P->W[k - 1].rows : P->X.rows) ||
            (k == P->H1 - 1 && W->rows != P->Y.rows))
            lmoc_fail(c, LMOC_EINPUT, LMOC_V, "field input.weights[%ld]: %ld x %ld does not "
                      "chain from X to Y", k, W->rows, W->cols);
        P->n += W->rows * W->cols; /* each below the entry cap, and H1 <= the file size */
    }
    return c->rc;
}

/* out (1 x (T+1), initialised here) = the loss along theta + t D[0] + ... + t^K D[K-1]
   (each D[k] 1 x n) mod t^(T+1). acc holds the coefficient matrices of the polynomial
   matrix W_k(t)...W1(t) X; coefficient i > 0 of W_k(t) is theta's block k of D[i-1]. */
static int curve(lmoc_mat_t *out, lmoc_ctx_t *c, const lmoc_dl_t *P, const lmoc_mat_t *D, long K,
                 long T)
{
    long da = 0, off = 0, dw = K < T ? K : T, ny = P->Y.rows * P->Y.cols;
    lmoc_mat_t *acc = lmoc_alloc(c, LMOC_V, 1, sizeof *acc, "a loss expansion"), *nx;
    mpq_t t;
    *out = (lmoc_mat_t)LMOC_MAT_NONE;
    if (!acc || lmoc_mat_copy(acc, c, &P->X)) return free(acc), c->rc;
    mpq_init(t);
    for (long k = 0; k < P->H1 && !c->rc; k++) {
        const lmoc_mat_t *W = &P->W[k];
        long dn = da + dw < T ? da + dw : T;
        nx = lmoc_alloc(c, LMOC_V, (size_t)dn + 1, sizeof *nx, "a loss expansion");
        for (long i = 0; nx && i <= dn; i++)
            lmoc_mat_init(&nx[i], c, LMOC_V, W->rows, P->X.cols, "a loss expansion");
        for (long i = 0; !c->rc && i <= dw; i++) {
            lmoc_mat_t Wi = {W->rows, W->cols, i ? D[i - 1].e + off : W->e}; /* a view */
            for (long j = 0; j <= da && i + j <= dn; j++)
                lmoc_muladd(&nx[i + j], &Wi, 0, &acc[j], 0);
        }
        lmoc_mats_clear(acc, da + 1);
        acc = nx, da = dn, off += W->rows * W->cols;
    }
    if (!c->rc && !lmoc_mat_init(out, c, LMOC_V, 1, T + 1, "a loss expansion")) {
        for (long e = 0; e < ny; e++) mpq_sub(acc->e[e], acc->e[e], P->Y.e[e]); /* R = acc - Y */
        for (long i = 0; i <= da; i++) /* L(t) = 1/2 sum over i, j of t^(i+j) <R_i, R_j> */
            for (long j = 0; j <= da && i + j <= T; j++)
                for (long e = 0; e < ny; e++) {
                    mpq_mul(t, acc[i].e[e], acc[j].e[e]);
                    mpq_add(out->e[i + j], out->e[i + j], t);
                }
        for (long i = 0; i <= T; i++) mpq_div_2exp(out->e[i], out->e[i], 1);
    }
    lmoc_mats_clear(acc, acc ? da + 1 : 0);
    mpq_clear(t);
    return c->rc;
}

/* g_i = [t] L(theta + t e_i); with H: H_ii = 2 [t^2] L(theta + t e_i) and, by polarisation,
   H_ij = [t^2] L(theta + t (e_i + e_j)) - H_ii / 2 - H_jj / 2. */
static int derivs(lmoc_mat_t *g, lmoc_mat_t *H, lmoc_ctx_t *c, const lmoc_dl_t *P)
{
    lmoc_mat_t v, o;
    lmoc_mat_init(&v, c, LMOC_V, 1, P->n, "the gradient");
    lmoc_mat_init(g, c, LMOC_V, 1, P->n, "the gradient");
    if (H) lmoc_mat_init(H, c, LMOC_V, P->n, P->n, "the Hessian");
    for (long i = 0; i < P->n && !c->rc; i++) {
        for (long j = i; j >= 0 && (H || j == i) && !c->rc; j--) { /* j = i first: e_i alone */
            mpq_set_ui(v.e[i], 1, 1), mpq_set_ui(v.e[j], 1, 1);
            if (curve(&o, c, P, &v, 1, H ? 2 : 1)) break;
            if (j == i) {
                mpq_set(g->e[i], o.e[1]);
                if (H) mpq_set(LMOC_E(H, i, i), o.e[2]); /* H_ii / 2 until the end */
            } else {
                mpq_sub(o.e[2], o.e[2], LMOC_E(H, i, i));
                mpq_sub(LMOC_E(H, i, j), o.e[2], LMOC_E(H, j, j));
                mpq_set(LMOC_E(H, j, i), LMOC_E(H, i, j));
            }
            mpq_set_ui(v.e[j], 0, 1), mpq_set_ui(v.e[i], 0, 1);
            lmoc_mat_clear(&o);
        }
    }
    for (long i = 0; H && !c->rc && i < P->n; i++)
        mpq_mul_2exp(LMOC_E(H, i, i), LMOC_E(H, i, i), 1);
    lmoc_mat_clear(&v);
    return c->rc;
}

int lmoc_dl_ldl(lmoc_ctx_t *c, const lmoc_json_t *j, const char *name, const lmoc_mat_t *H,
                int strict)
{
    static const char *const keys[] = {"perm", "L", "D", NULL};
    long n = H->rows, *p = NULL;
    lmoc_mat_t L = LMOC_MAT_NONE, D = LMOC_MAT_NONE;
    char f[2][200];
    mpq_t s, t;
    if (!c->rc && !j) lmoc_fail(c, LMOC_REJECT, LMOC_C, "no %s: definiteness unproven", name);
    if (!c->rc && j->type != LMOC_J_OBJ)
        lmoc_fail(c, LMOC_EINPUT, LMOC_C, "field %s: expected an object", name);
    lmoc_known(c, LMOC_C, j, name, keys);
    snprintf(f[0], sizeof f[0], "%s.L", name);
    snprintf(f[1], sizeof f[1], "%s.D", name);
    lmoc_matrix(&L, c, LMOC_C, lmoc_json_get(j, "L"), n, n, f[0]);
    lmoc_vector(&D, c, LMOC_C, lmoc_json_get(j, "D"), n, f[1]);
    lmoc_indices(&p, c, lmoc_json_get(j, "perm"), n, n, name, ".perm"); /* distinct: a perm */
    mpq_inits(s, t, NULL);
    for (long i = 0; i < n * n && !c->rc; i++) {
        long a = i / n, b = i % n;
        if (a == b && mpq_sgn(D.e[a]) < strict)
            lmoc_fail(c, LMOC_REJECT, LMOC_C, "%s[%ld] is %s", f[1], a,
                      strict ? "not > 0" : "negative");
        if (b >= a && mpq_cmp_ui(LMOC_E(&L, a, b), a == b, 1))
            lmoc_fail(c, LMOC_REJECT, LMOC_C, "%s is not unit lower triangular at (%ld,%ld)",
                      f[0], a, b);
        mpq_set_ui(s, 0, 1);
        for (long k = 0; k <= a && k <= b; k++) {
            mpq_mul(t, LMOC_E(&L, a, k), LMOC_E(&L, b, k));
            mpq_mul(t, t, D.e[k]);
            mpq_add(s, s, t);
        }
        if (!c->rc && !mpq_equal(s, LMOC_E(H, p[a], p[b])))
            lmoc_fail(c, LMOC_REJECT, LMOC_C, "%s: (P^T H P)[%ld][%ld] != (L D L^T)[%ld][%ld]",
                      name, a, b, a, b);
    }
    mpq_clears(s, t, NULL);
    lmoc_mat_clear(&L), lmoc_mat_clear(&D), free(p);
    return c->rc;
}

/* "descent_curve" (SIGN -1) / "ascent_curve" (SIGN 1): the claimed loss_poly must be the
   checker's own full expansion, whose first non-zero coefficient after t^0 has sign SIGN:
   not a local minimum / maximum (proofs/coq LmoCurve.v curve_not_local_min). */
static int escape(lmoc_ctx_t *c, const lmoc_json_t *j, const char *name, const lmoc_dl_t *P,
                  int sign)
{
    static const char *const keys[] = {"D", "loss_poly", NULL};
    const lmoc_json_t *dj = lmoc_json_get(j, "D");
    long K = dj && dj->type == LMOC_J_ARR ? (long)dj->n : 0, i, T = 0;
    lmoc_mat_t *D = NULL, lp = LMOC_MAT_NONE, o = LMOC_MAT_NONE;
    char f[200];
    mpq_t z;
    lmoc_known(c, LMOC_C, j, name, keys);
    if (!c->rc && !K) lmoc_fail(c, LMOC_EINPUT, LMOC_C, "field %s.D: expected a non-empty array",
                                name);
    /* the whole polynomial has degree 2 (H + 1) K: both factors are below the caps */
    if (!c->rc && (K > c->caps.max_dim || lmoc_entries(&T, c, LMOC_C, 2 * P->H1, K, name)))
        lmoc_fail(c, LMOC_ELIMIT, LMOC_C, "field %s.D: %ld directions exceed the caps", name, K);
    if (!c->rc) D = lmoc_alloc(c, LMOC_C, (size_t)K, sizeof *D, name);
    for (i = 0; i < K && !c->rc; i++) {
        snprintf(f, sizeof f, "%s.D[%ld]", name, i);
        lmoc_vector(&D[i], c, LMOC_C, &dj->kid[i], P->n, f);
    }
    snprintf(f, sizeof f, "%s.loss_poly", name);
    mpq_init(z);
    if (!lmoc_vector(&lp, c, LMOC_C, lmoc_json_get(j, "loss_poly"), -1, f) &&
        !curve(&o, c, P, D, K, T)) {
        for (i = 0; i < o.cols || i < lp.cols; i++) /* a missing coefficient is 0 */
            if (!mpq_equal(i < o.cols ? o.e[i] : z, i < lp.cols ? lp.e[i] : z)) break;
        long k = 1;
        while (k < o.cols && !mpq_sgn(o.e[k]))
            k++;
        if (i < o.cols || i < lp.cols)
            lmoc_fail(c, LMOC_REJECT, LMOC_C, "%s differs from the loss expansion at t^%ld", f, i);
        else if (k == o.cols || mpq_sgn(o.e[k]) != sign)
            lmoc_fail(c, LMOC_REJECT, LMOC_C, "%s: the first non-zero coefficient after t^0 is "
                      "not %s", f, sign < 0 ? "negative" : "positive");
    }
    mpq_clear(z);
    lmoc_mats_clear(D, D ? K : 0), lmoc_mat_clear(&lp), lmoc_mat_clear(&o);
    return c->rc;
}

int lmoc_dl_chain(lmoc_mat_t *M, lmoc_ctx_t *c, const lmoc_dl_t *P, long lo, long hi)
{
    lmoc_mat_t T;
    if (lmoc_mat_init(M, c, LMOC_V, P->W[lo].cols, P->W[lo].cols, "a weight product"))
        return c->rc;
    for (long i = 0; i < M->rows; i++) mpq_set_ui(LMOC_E(M, i, i), 1, 1);
    for (long k = lo; k <= hi && !lmoc_mul(&T, c, &P->W[k], 0, M, 0); k++)
        lmoc_mat_clear(M), *M = T;
    return c->rc;
}

/* ---- the inertia: Sylvester's law of inertia on the checker's own congruence ---- */

/* Row and column I of A (symmetric) minus F times row and column K; column I of S too. */
static void sym_axpy(lmoc_mat_t *A, lmoc_mat_t *S, long i, long k, const mpq_t f)
{
    long n = A->rows;
    mpq_t t;
    mpq_init(t);
    for (long j = 0; j < n; j++) {
        mpq_mul(t, f, LMOC_E(A, k, j)), mpq_sub(LMOC_E(A, i, j), LMOC_E(A, i, j), t);
        mpq_mul(t, f, LMOC_E(S, j, k)), mpq_sub(LMOC_E(S, j, i), LMOC_E(S, j, i), t);
    }
    for (long j = 0; j < n; j++)
        mpq_mul(t, f, LMOC_E(A, j, k)), mpq_sub(LMOC_E(A, j, i), LMOC_E(A, j, i), t);
    mpq_clear(t);
}

static void sym_swap(lmoc_mat_t *A, lmoc_mat_t *S, long i, long k)
{
    for (long j = 0; j < A->rows; j++)
        mpq_swap(LMOC_E(A, i, j), LMOC_E(A, k, j)), mpq_swap(LMOC_E(S, j, i), LMOC_E(S, j, k));
    for (long j = 0; j < A->rows; j++) mpq_swap(LMOC_E(A, j, i), LMOC_E(A, j, k));
}

/* inertia[0..2] = (#positive, #negative, #zero) eigenvalues of the symmetric H. The search
   (symmetric elimination; a zero diagonal with A_ij != 0 is repaired by adding index i to
   index j, whose diagonal becomes 2 A_ij) is not trusted: S^T H S = diag(d) and rank S = n
   are checked exactly, and then the signs of d are the inertia (Coq: congruence_inertia). */
static int inertia(long in[3], lmoc_ctx_t *c, const lmoc_mat_t *H)
{
    long n = H->rows, k, p, i, j;
    lmoc_mat_t A = LMOC_MAT_NONE, S = LMOC_MAT_NONE, T = LMOC_MAT_NONE, U = LMOC_MAT_NONE;
    mpq_t f, one;
    mpq_inits(f, one, NULL);
    mpq_set_si(one, -1, 1); /* sym_axpy subtracts: -(-1) adds */
    in[0] = in[1] = in[2] = 0;
    lmoc_mat_copy(&A, c, H);
    lmoc_mat_init(&S, c, LMOC_V, n, n, "the Hessian's congruence");
    for (i = 0; i < n && !c->rc; i++) mpq_set_ui(LMOC_E(&S, i, i), 1, 1);
    for (k = 0; k < n && !c->rc; k++) {
        for (p = k; p < n && !mpq_sgn(LMOC_E(&A, p, p)); p++)
            ;
        for (i = k; p == n && i < n; i++) /* no diagonal pivot: an off-diagonal one */
            for (j = i + 1; p == n && j < n; j++)
                if (mpq_sgn(LMOC_E(&A, i, j))) sym_axpy(&A, &S, j, i, one), p = j;
        if (p == n) break; /* the rest of A is zero */
        sym_swap(&A, &S, k, p);
        for (i = k + 1; i < n; i++)
            if (mpq_sgn(LMOC_E(&A, i, k))) {
                mpq_div(f, LMOC_E(&A, i, k), LMOC_E(&A, k, k));
                sym_axpy(&A, &S, i, k, f);
            }
    }
    if (!c->rc && !lmoc_mul(&T, c, H, 0, &S, 0) && !lmoc_mul(&U, c, &S, 1, &T, 0)) {
        for (i = 0; i < n * n && !c->rc; i++) /* S^T H S = diag(d), d the diagonal of A */
            if (!mpq_equal(U.e[i], i / n == i % n ? A.e[i] : (mpq_set_ui(f, 0, 1), f)))
                lmoc_fail(c, LMOC_ELIMIT, LMOC_V, "internal error: the Hessian's congruence "
                          "does not check");
        if (!c->rc && lmoc_rank(c, &S) != n)
            lmoc_fail(c, LMOC_ELIMIT, LMOC_V, "internal error: the congruence is singular");
        for (i = 0; i < n && !c->rc; i++) {
            int s = mpq_sgn(LMOC_E(&A, i, i));
            in[s > 0 ? 0 : s < 0 ? 1 : 2]++;
        }
    }
    mpq_clears(f, one, NULL);
    lmoc_mat_clear(&A), lmoc_mat_clear(&S), lmoc_mat_clear(&T), lmoc_mat_clear(&U);
    return c->rc;
}

/* ---- the claim ---- */

static const char *const classes[] = {"not_critical", "global_min", "strict_saddle",
                                      "bad_saddle", "unknown", "local_min_not_global",
                                      "local_max", NULL};

typedef struct {
    const lmoc_dl_t *P;
    const lmoc_json_t *cert, *rank_part;
    const char *cn, *cls;
    int critical;
    long p, rank_mid, inertia[3];   /* rank_mid: -1 without a rank_WH_W2 part */
    mpq_t loss;
    lmoc_dl_sigma_facts_t sf;
} dl_facts_t;

static int m_class(lmoc_ctx_t *c, const lmoc_json_t *val, const char *name, void *st)
{
    const char *cls = ((dl_facts_t *)st)->cls;
    if (val->type != LMOC_J_STR)
        return lmoc_fail(c, LMOC_EINPUT, LMOC_V, "field %s: expected a string", name);
    if (strcmp(val->s, cls))
        lmoc_fail(c, LMOC_REJECT, LMOC_V, "%s is not the certificate's class %s", name, cls);
    return c->rc;
}

static int m_critical(lmoc_ctx_t *c, const lmoc_json_t *val, const char *name, void *st)
{
    return lmoc_claim_bool(c, val, name, ((dl_facts_t *)st)->critical);
}

static int m_loss(lmoc_ctx_t *c, const lmoc_json_t *val, const char *name, void *st)
{
    return lmoc_claim_num(c, val, name, ((dl_facts_t *)st)->loss);
}

static int m_p(lmoc_ctx_t *c, const lmoc_json_t *val, const char *name, void *st)
{
    return lmoc_claim_int(c, val, name, ((dl_facts_t *)st)->p);
}

static int m_rank_mid(lmoc_ctx_t *c, const lmoc_json_t *val, const char *name, void *st)
{
    return lmoc_claim_part_int(c, val, name, ((dl_facts_t *)st)->rank_mid, "rank_WH_W2");
}

static int m_inertia(lmoc_ctx_t *c, const lmoc_json_t *val, const char *name, void *st)
{
    static const char *const keys[] = {"positive", "negative", "zero", NULL};
    char f[220];
    lmoc_known(c, LMOC_V, val, name, keys);
    for (int i = 0; i < 3 && !c->rc; i++) {
        snprintf(f, sizeof f, "%s.%s", name, keys[i]);
        lmoc_claim_int(c, lmoc_json_get(val, keys[i]), f, ((dl_facts_t *)st)->inertia[i]);
    }
    return c->rc;
}

static int m_hypotheses(lmoc_ctx_t *c, const lmoc_json_t *val, const char *name, void *st)
{
    return lmoc_dl_member_hypotheses(c, val, name, &((dl_facts_t *)st)->sf);
}

static int m_gmin_value(lmoc_ctx_t *c, const lmoc_json_t *val, const char *name, void *st)
{
    dl_facts_t *F = st;
    return lmoc_dl_global_min_value(c, val, name, &F->sf,
                                    lmoc_json_get(F->cert, "global_min_value"), F->cn);
}

static const lmoc_member_t dl_members[] = {
    {"class", m_class}, {"critical", m_critical}, {"loss", m_loss},
    {"hessian_inertia", m_inertia}, {"rank_WH_W2", m_rank_mid}, {"p", m_p},
    {"hypotheses", m_hypotheses}, {"global_min_value", m_gmin_value}, {NULL, NULL}};

int lmoc_check_deep_linear(lmoc_ctx_t *c, const lmoc_json_t *cert, const char *cn,
                           const lmoc_json_t *vec, char *what, size_t wlen)
{
#define PART(k) lmoc_json_get(cert, k)
#define NAME(k) (snprintf(f, sizeof f, "%s%s", cn, k), f)
    static const char *const keys[] = {
        "format", "claim", "vector", "class", "n_params", "theta_order", "critical",
        "gradient_nonzero", "hessian_psd", "hessian_negative", "descent_curve", "ascent_curve",
        "global_min", "global_min_value", "rank_WH_W2", NULL};
    static const char *const gn_keys[] = {"index", "value", NULL}, *const hn_keys[] = {"v", "vHv",
                                                                                     NULL};
    const lmoc_json_t *cl = PART("class"), *cr = PART("critical"), *gn = PART("gradient_nonzero"),
                      *hp = PART("hessian_psd"), *hn = PART("hessian_negative"),
                      *dc = PART("descent_curve"), *ac = PART("ascent_curve"),
                      *gm = PART("global_min"), *rk = PART("rank_WH_W2"),
                      *to = PART("theta_order"), *ex = lmoc_json_get(vec, "expect");
    lmoc_dl_t P = {-1, 0, LMOC_MAT_NONE, LMOC_MAT_NONE, NULL};
    lmoc_mat_t g = LMOC_MAT_NONE, H = LMOC_MAT_NONE, o = LMOC_MAT_NONE, v = LMOC_MAT_NONE, M;
    long np = -1, k = 0, idx = -1, cls = 0, pos = 0;
    int need_h = hp || lmoc_json_get(ex, "hessian_inertia");
    dl_facts_t F;
    char f[200];
    mpq_t x;
    memset(&F, 0, sizeof F);
    mpq_inits(x, F.loss, NULL);
    lmoc_dl_sigma_facts_init(&F.sf);
    F.P = &P, F.cert = cert, F.cn = cn, F.rank_mid = -1;
    snprintf(f, sizeof f, "%.190s", *cn ? "certificate" : "");
    lmoc_known(c, LMOC_C, cert, f, keys);
    dl_read(&P, c, lmoc_json_get(vec, "input"));
    lmoc_int(&np, c, LMOC_C, PART("n_params"), P.n, P.n, LMOC_REJECT, NAME("n_params"));
    if (!c->rc && to && !lmoc_is(to, "vec(Wk^T) blocks, k = 1..H+1"))
        lmoc_fail(c, LMOC_REJECT, LMOC_C, "%stheta_order: not the parameter order lmo-check "
                  "uses (vec(Wk^T) blocks, k = 1..H+1)", cn);
    while (classes[cls] && !lmoc_is(cl, classes[cls])) cls++;
    if (!c->rc && !classes[cls])
        lmoc_fail(c, LMOC_EINPUT, LMOC_C, "field %sclass: not a deep_linear class", cn);
    if (!c->rc && cr && cr->type != LMOC_J_TRUE)
        lmoc_fail(c, LMOC_EINPUT, LMOC_C, "field %scritical: expected true", cn);
    if (!c->rc) derivs(&g, need_h ? &H : NULL, c, &P); /* the gradient: critical or not */
    for (long i = 0; i < P.n && !c->rc; i++) F.critical |= mpq_sgn(g.e[i]) != 0;
    F.critical = !F.critical;
    if (!c->rc && cr && !F.critical) /* critical: the whole gradient is 0 */
        for (long i = 0; i < P.n && !c->rc; i++)
            if (mpq_sgn(g.e[i]))
                lmoc_fail(c, LMOC_REJECT, LMOC_C, "%scritical: gradient entry %ld is not 0", cn,
                          i);
    if (gn && !c->rc) { /* not critical: one non-zero gradient entry */
        lmoc_known(c, LMOC_C, gn, NAME("gradient_nonzero"), gn_keys);
        lmoc_int(&idx, c, LMOC_C, lmoc_json_get(gn, "index"), 0, P.n - 1, LMOC_REJECT,
                 NAME("gradient_nonzero.index"));
        if (!lmoc_number(x, c, LMOC_C, lmoc_json_get(gn, "value"), NAME("gradient_nonzero.value"))
            && (!mpq_equal(x, g.e[idx]) || !mpq_sgn(x)))
            lmoc_fail(c, LMOC_REJECT, LMOC_C, "%s is not gradient entry %ld, or is 0", f, idx);
    }
    if (hp) lmoc_dl_ldl(c, hp, NAME("hessian_psd"), &H, 0);
    for (long i = 0; hp && !c->rc && i < P.n; i++)
        pos |= mpq_sgn(LMOC_E(&H, i, i)) > 0; /* e_i^T H e_i > 0: e_i is an ascent direction */
    if (hn && !c->rc) {
        lmoc_known(c, LMOC_C, hn, NAME("hessian_negative"), hn_keys);
        if (!lmoc_vector(&v, c, LMOC_C, lmoc_json_get(hn, "v"), P.n, NAME("hessian_negative.v")) &&
            !lmoc_number(x, c, LMOC_C, lmoc_json_get(hn, "vHv"), NAME("hessian_negative.vHv")) &&
            !curve(&o, c, &P, &v, 1, 2)) { /* v^T H v = 2 [t^2] L(theta + t v) */
            mpq_mul_2exp(o.e[2], o.e[2], 1);
            if (!mpq_equal(o.e[2], x) || mpq_sgn(x) >= 0)
                lmoc_fail(c, LMOC_REJECT, LMOC_C, "%s is not v^T H v < 0", f);
        }
    }
    if (dc && !c->rc) escape(c, dc, NAME("descent_curve"), &P, -1);
    if (ac && !c->rc) escape(c, ac, NAME("ascent_curve"), &P, 1);
    lmoc_mat_clear(&o);
    if (!c->rc && !curve(&o, c, &P, NULL, 0, 0)) mpq_set(F.loss, o.e[0]); /* the loss at theta */
    if (gm && !c->rc) lmoc_dl_global_min(c, gm, cn, &P, F.loss);
    if (rk && !c->rc && !lmoc_dl_chain(&M, c, &P, 1, P.H1 - 2)) { /* WH...W2 (I when H = 1) */
        lmoc_check_rank(&F.rank_mid, c, rk, NAME("rank_WH_W2."), &M, lmoc_json_get(vec, "id")->s,
                        NULL);
        lmoc_mat_clear(&M);
    }
    /* the parts each class needs (lmo-cert-1.md, deep_linear rule 9) */
    k = cls == 0 ? !gn : cls == 1 ? !cr || !gm : cls == 2 ? !cr || !hn
      : cls == 3 ? !cr || !hp || !dc || (!ac && !pos) : cls == 4 ? 0 : 2;
    if (!c->rc && k)
        lmoc_fail(c, LMOC_REJECT, LMOC_C, "%sclass %s %s", cn, classes[cls], k == 2 ? "cannot be "
                  "proven by any deep_linear certificate part" : "lacks a part it needs");
    /* the facts behind the other members of expect, each computed only when claimed */
    F.cls = classes[cls] ? classes[cls] : "?";
    for (long i = 0; i + 1 < P.H1 && !c->rc; i++) /* p = min(d1, ..., dH) */
        F.p = !i || P.W[i].rows < F.p ? P.W[i].rows : F.p;
    if (!c->rc && lmoc_json_get(ex, "hessian_inertia")) inertia(F.inertia, c, &H);
    if (!c->rc && (lmoc_json_get(ex, "hypotheses") || lmoc_json_get(ex, "global_min_value")))
        lmoc_dl_sigma_facts(&F.sf, c, &P);
    lmoc_expect(c, ex, dl_members, &F);
    snprintf(what, wlen, "deep_linear class %s proven", F.cls);
    lmoc_mats_clear(P.W, P.H1 > 0 ? P.H1 : 0), lmoc_mat_clear(&P.X), lmoc_mat_clear(&P.Y);
    lmoc_mat_clear(&g), lmoc_mat_clear(&H), lmoc_mat_clear(&o), lmoc_mat_clear(&v);
    lmoc_dl_sigma_facts_clear(&F.sf);
    mpq_clears(x, F.loss, NULL);
    return c->rc;
}
