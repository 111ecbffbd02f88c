/* dl.c -- claim "deep_linear" (Kawaguchi 2016 Section 2; rules in proofs/README.md). Loss
 * L = 1/2 ||W(H+1)...W1 X - Y||_F^2, theta = [vec(W1^T); ...] (W1 row by row, then W2 ...).
 * One routine does the calculus: the loss along a polynomial curve theta + t D1 + t^2 D2 +
 * ... in Q[t]; gradient and Hessian entries are its t, t^2 coefficients along e_i, e_i + e_j. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lmoc.h"

typedef struct {
    long H1, n;         /* H + 1 weight matrices, n parameters */
    lmoc_mat_t X, Y, *W;
} dl_t;

static int dl_read(dl_t *P, lmoc_ctx_t *c, const lmoc_json_t *in)
{
    lmoc_matrix(&P->X, c, lmoc_json_get(in, "X"), -1, -1, "input.X");
    lmoc_matrix(&P->Y, c, lmoc_json_get(in, "Y"), -1, -1, "input.Y");
    lmoc_matrices(&P->W, &P->H1, c, lmoc_json_get(in, "weights"), "input.weights");
    if (!c->rc && (P->H1 < 2 || P->X.rows < 1 || P->X.cols < 1 || P->Y.rows < 1 ||
                   P->Y.cols != P->X.cols))
        return lmoc_fail(c, LMOC_EINPUT, "field input: needs X (dx x m), Y (dy x m), m, dx, dy "
                         ">= 1, and weights [W1, ..., W(H+1)] with H >= 1");
    for (long k = 0; k < P->H1 && !c->rc; k++) {
        const lmoc_mat_t *W = &P->W[k];
        if (W->rows < 1 || W->cols != (k ? P->W[k - 1].rows : P->X.rows) ||
            (k == P->H1 - 1 && W->rows != P->Y.rows))
            lmoc_fail(c, LMOC_EINPUT, "field input.weights[%ld]: %ld x %ld does not chain from "
                      "X to Y", k, W->rows, W->cols);
        P->n += W->rows * W->cols;
    }
    return c->rc;
}

/* out (1 x (T+1), initialised here) = the loss along theta + t D[0] + ... + t^K D[K-1]
   (each D[k] 1 x n) mod t^(T+1). acc holds the coefficient matrices of the polynomial
   matrix W_k(t)...W1(t) X; coefficient i > 0 of W_k(t) is theta's block k of D[i-1]. */
static void curve(lmoc_mat_t *out, const dl_t *P, const lmoc_mat_t *D, long K, long T)
{
    long da = 0, off = 0, dw = K < T ? K : T, ny = P->Y.rows * P->Y.cols;
    lmoc_mat_t *acc = calloc(1, sizeof *acc), *nx;
    mpq_t t;
    mpq_init(t);
    lmoc_mat_init(acc, P->X.rows, P->X.cols);
    for (long e = 0; e < P->X.rows * P->X.cols; e++) mpq_set(acc->e[e], P->X.e[e]);
    for (long k = 0; k < P->H1; k++) {
        const lmoc_mat_t *W = &P->W[k];
        long dn = da + dw < T ? da + dw : T;
        nx = calloc((size_t)dn + 1, sizeof *nx);
        for (long i = 0; i <= dn; i++) lmoc_mat_init(&nx[i], W->rows, P->X.cols);
        for (long i = 0; i <= dw; i++) {
            lmoc_mat_t Wi = {W->rows, W->cols, i ? D[i - 1].e + off : W->e}; /* a view */
            for (long j = 0; j <= da && i + j <= dn; j++)
                lmoc_muladd(&nx[i + j], &Wi, 0, &acc[j], 0);
        }
        lmoc_mats_clear(acc, da + 1);
        acc = nx, da = dn, off += W->rows * W->cols;
    }
    for (long e = 0; e < ny; e++) mpq_sub(acc->e[e], acc->e[e], P->Y.e[e]); /* R(t) = acc - Y */
    lmoc_mat_init(out, 1, T + 1);
    for (long i = 0; i <= da; i++) /* L(t) = 1/2 sum over i, j of t^(i+j) <R_i, R_j> */
        for (long j = 0; j <= da && i + j <= T; j++)
            for (long e = 0; e < ny; e++) {
                mpq_mul(t, acc[i].e[e], acc[j].e[e]);
                mpq_add(out->e[i + j], out->e[i + j], t);
            }
    for (long i = 0; i <= T; i++) mpq_div_2exp(out->e[i], out->e[i], 1);
    lmoc_mats_clear(acc, da + 1);
    mpq_clear(t);
}

/* g_i = [t] L(theta + t e_i); with H: H_ii = 2 [t^2] L(theta + t e_i) and, by polarisation,
   H_ij = [t^2] L(theta + t (e_i + e_j)) - H_ii / 2 - H_jj / 2. */
static void derivs(lmoc_mat_t *g, lmoc_mat_t *H, const dl_t *P)
{
    lmoc_mat_t v, o;
    lmoc_mat_init(&v, 1, P->n);
    lmoc_mat_init(g, 1, P->n);
    if (H) lmoc_mat_init(H, P->n, P->n);
    for (long i = 0; i < P->n; i++) {
        for (long j = i; j >= 0 && (H || j == i); j--) { /* j = i first: along e_i alone */
            mpq_set_ui(v.e[i], 1, 1), mpq_set_ui(v.e[j], 1, 1);
            curve(&o, P, &v, 1, H ? 2 : 1);
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
    for (long i = 0; H && i < P->n; i++) mpq_mul_2exp(LMOC_E(H, i, i), LMOC_E(H, i, i), 1);
    lmoc_mat_clear(&v);
}

/* P^T H P = L diag(D) L^T, P a permutation, L unit lower triangular, D >= 0 (> 0 when
   STRICT) proves H >= 0 (> 0): proofs/coq LmoLDL.v ldl_certificate_psd / _pd. */
static int ldl(lmoc_ctx_t *c, const lmoc_json_t *j, const char *name, const lmoc_mat_t *H,
               int strict)
{
    long n = H->rows, *p = NULL;
    lmoc_mat_t L = {0, 0, NULL}, D = {0, 0, NULL};
    char f[2][120];
    mpq_t s, t;
    if (!c->rc && !j) lmoc_fail(c, LMOC_REJECT, "no %s: definiteness unproven", name);
    snprintf(f[0], sizeof f[0], "%s.L", name);
    snprintf(f[1], sizeof f[1], "%s.D", name);
    lmoc_matrix(&L, c, lmoc_json_get(j, "L"), n, n, f[0]);
    lmoc_vector(&D, c, lmoc_json_get(j, "D"), n, f[1]);
    lmoc_indices(&p, c, lmoc_json_get(j, "perm"), n, n, name, ".perm"); /* distinct: a perm */
    mpq_inits(s, t, NULL);
    for (long i = 0; i < n * n && !c->rc; i++) {
        long a = i / n, b = i % n;
        if (a == b && mpq_sgn(D.e[a]) < strict)
            lmoc_fail(c, LMOC_REJECT, "%s[%ld] is %s", f[1], a, strict ? "not > 0" : "negative");
        if (b >= a && mpq_cmp_ui(LMOC_E(&L, a, b), a == b, 1))
            lmoc_fail(c, LMOC_REJECT, "%s is not unit lower triangular at (%ld,%ld)", f[0], a, b);
        mpq_set_ui(s, 0, 1);
        for (long k = 0; k <= a && k <= b; k++) {
            mpq_mul(t, LMOC_E(&L, a, k), LMOC_E(&L, b, k));
            mpq_mul(t, t, D.e[k]);
            mpq_add(s, s, t);
        }
        if (!c->rc && !mpq_equal(s, LMOC_E(H, p[a], p[b])))
            lmoc_fail(c, LMOC_REJECT, "%s: (P^T H P)[%ld][%ld] != (L D L^T)[%ld][%ld]", name, a,
                      b, a, b);
    }
    mpq_clears(s, t, NULL);
    lmoc_mat_clear(&L), lmoc_mat_clear(&D), free(p);
    return c->rc;
}

/* "descent_curve" (SIGN -1) / "ascent_curve" (SIGN 1): the claimed loss_poly must be the
   checker's own full expansion, whose first non-zero coefficient after t^0 has sign SIGN:
   not a local minimum / maximum (proofs/coq LmoCurve.v curve_not_local_min). */
static int escape(lmoc_ctx_t *c, const lmoc_json_t *j, const char *name, const dl_t *P,
                  int sign)
{
    const lmoc_json_t *dj = lmoc_json_get(j, "D");
    long K = dj && dj->type == LMOC_J_ARR ? (long)dj->n : 0, i;
    lmoc_mat_t *D = calloc((size_t)K + 1, sizeof *D), lp = {0, 0, NULL}, o = {0, 0, NULL};
    char f[120];
    mpq_t z;
    if (!K) lmoc_fail(c, LMOC_EINPUT, "field %s.D: expected a non-empty array", name);
    for (i = 0; i < K && !c->rc; i++) {
        snprintf(f, sizeof f, "%s.D[%ld]", name, i);
        lmoc_vector(&D[i], c, &dj->kid[i], P->n, f);
    }
    snprintf(f, sizeof f, "%s.loss_poly", name);
    mpq_init(z);
    if (!lmoc_vector(&lp, c, lmoc_json_get(j, "loss_poly"), -1, f)) {
        curve(&o, P, D, K, 2 * P->H1 * K); /* the whole polynomial: degree 2 (H+1) K */
        for (i = 0; i < o.cols || i < lp.cols; i++) /* a missing coefficient is 0 */
            if (!mpq_equal(i < o.cols ? o.e[i] : z, i < lp.cols ? lp.e[i] : z)) break;
        long k = 1;
        while (k < o.cols && !mpq_sgn(o.e[k]))
            k++;
        if (i < o.cols || i < lp.cols)
            lmoc_fail(c, LMOC_REJECT, "%s differs from the loss expansion at t^%ld", f, i);
        else if (k == o.cols || mpq_sgn(o.e[k]) != sign)
            lmoc_fail(c, LMOC_REJECT, "%s: the first non-zero coefficient after t^0 is not %s",
                      f, sign < 0 ? "negative" : "positive");
    }
    mpq_clear(z);
    lmoc_mats_clear(D, K), lmoc_mat_clear(&lp), lmoc_mat_clear(&o);
    return c->rc;
}

/* M = W[hi] ... W[lo] (0-based), the identity when hi < lo. */
static void chain(lmoc_mat_t *M, const dl_t *P, long lo, long hi)
{
    lmoc_mat_t T;
    lmoc_mat_init(M, P->W[lo].cols, P->W[lo].cols);
    for (long i = 0; i < M->rows; i++) mpq_set_ui(LMOC_E(M, i, i), 1, 1);
    for (long k = lo; k <= hi; k++) lmoc_mul(&T, &P->W[k], 0, M, 0), lmoc_mat_clear(M), *M = T;
}

/* op(A) op(B) equals E (E NULL: is 0), else REJECT saying WHY. */
static int prod_is(lmoc_ctx_t *c, const lmoc_mat_t *A, int ta, const lmoc_mat_t *B, int tb,
                   const lmoc_mat_t *E, const char *cn, const char *why)
{
    lmoc_mat_t T;
    long i = 0;
    if (c->rc) return c->rc;
    lmoc_mul(&T, A, ta, B, tb);
    while (!E && i < T.rows * T.cols && !mpq_sgn(T.e[i]))
        i++;
    if (E ? !lmoc_mat_eq(&T, E) : i < T.rows * T.cols)
        lmoc_fail(c, LMOC_REJECT, "%sglobal_min: %s", cn, why);
    lmoc_mat_clear(&T);
    return c->rc;
}

/* out = A^T M A (initialised here) */
static void congr(lmoc_mat_t *out, const lmoc_mat_t *A, const lmoc_mat_t *M)
{
    lmoc_mat_t T;
    lmoc_mul(&T, M, 0, A, 0), lmoc_mul(out, A, 1, &T, 0), lmoc_mat_clear(&T);
}

/* "global_min": the loss equals L* = (tr YY^T - S_q) / 2, S_q the sum of the q = min(p, dy)
   largest eigenvalues of Sigma = Y Pi Y^T (Pi the projector onto the row space of X); the
   rules and why they prove it: proofs/README.md. */
static int global_min(lmoc_ctx_t *c, const lmoc_json_t *g, const char *cn, const dl_t *P,
                      const mpq_t loss)
{
    enum { SG, SC, K, K0, G, C, B, S, N, T, U, NMAT };
    static const char *const part[] = {"range_basis", "range_coeffs", "complement_basis"};
    lmoc_mat_t m[NMAT];
    long dy = P->Y.rows, q = dy, qc = 0, pb = 0, dx = P->X.rows;
    const lmoc_json_t *st = lmoc_json_get(g, "strict");
    char f[160], *fe = f + snprintf(f, sizeof f, "%sglobal_min.", cn);
#define GM(key) (snprintf(fe, sizeof f - (size_t)(fe - f), "%s", key), lmoc_json_get(g, key))
    mpq_t tau, t, y;
    memset(m, 0, sizeof m);
    mpq_inits(tau, t, y, NULL);
    for (long k = 0; k + 1 < P->H1; k++) q = P->W[k].rows < q ? P->W[k].rows : q;
    if (!lmoc_int(&qc, c, GM("q"), f) && qc != q)
        lmoc_fail(c, LMOC_REJECT, "%s = %ld, but min(d1, ..., dH, dy) = %ld", f, qc, q);
    if (!lmoc_int(&pb, c, GM("rank_C"), f) && (pb < 0 || pb > dy))
        lmoc_fail(c, LMOC_REJECT, "%s = %ld is impossible for dy = %ld", f, pb, dy);
    lmoc_number(tau, c, GM("tau"), f);
    if (!c->rc && (!st || (st->type != LMOC_J_TRUE && st->type != LMOC_J_FALSE)))
        lmoc_fail(c, LMOC_EINPUT, "field %sglobal_min.strict: expected true or false", cn);
    /* Sigma = (R Y^T)^T (R R^T)^-1 (R Y^T), R the non-zero rows of rref(X), a row basis */
    lmoc_mat_init(&m[T], dx, P->X.cols);
    for (long e = 0; e < dx * P->X.cols; e++) mpq_set(m[T].e[e], P->X.e[e]);
    m[T].rows = lmoc_rref(&m[T], NULL); /* a view of the first rank(X) rows ... */
    lmoc_mul(&m[G], &m[T], 0, &m[T], 1);
    lmoc_mul(&m[K], &m[T], 0, &P->Y, 1);
    lmoc_mul(&m[K0], &m[T], 0, &P->Y, 1);
    m[T].rows = dx, lmoc_mat_clear(&m[T]); /* ... restored, so that every entry is cleared */
    lmoc_rref(&m[G], &m[K]);
    lmoc_mul(&m[SG], &m[K0], 1, &m[K], 0);
    if (!lmoc_matrix(&m[SC], c, GM("sigma"), -1, -1, f) && !lmoc_mat_eq(&m[SC], &m[SG]))
        lmoc_fail(c, LMOC_REJECT, "%s is not Sigma = Y X^T (X X^T)^-1 X Y^T", f);
    for (int i = 0; i < 3; i++) /* B: dy x pb, S: d1 x pb, N: dy x (dy - pb) */
        lmoc_matrix(&m[B + i], c, GM(part[i]), i == 1 ? P->W[0].rows : dy, i == 2 ? dy - pb : pb,
                    f);
    if (c->rc) goto done;
    chain(&m[C], P, 1, P->H1 - 1); /* C = W(H+1)...W2, dy x d1 */
    prod_is(c, &m[C], 0, &m[S], 0, &m[B], cn, "C * range_coeffs != range_basis");
    prod_is(c, &m[C], 1, &m[N], 0, NULL, cn, "C^T * complement_basis != 0");
    lmoc_mat_init(&m[T], dy, dy); /* [B N] */
    for (long i = 0; i < dy * dy; i++)
        mpq_set(m[T].e[i], i % dy < pb ? LMOC_E(&m[B], i / dy, i % dy)
                                       : LMOC_E(&m[N], i / dy, i % dy - pb));
    if (!c->rc && lmoc_rref(&m[T], NULL) != dy)
        lmoc_fail(c, LMOC_REJECT, "%sglobal_min: [range_basis complement_basis] is singular", cn);
    lmoc_mul(&m[U], &m[SG], 0, &m[B], 0);
    prod_is(c, &m[N], 1, &m[U], 0, NULL, cn, "N^T Sigma B != 0: range(C) is not Sigma-invariant");
    if (pb != q) prod_is(c, &m[SG], 0, &m[N], 0, NULL, cn, "rank_C != q and Sigma N != 0");
    lmoc_mat_clear(&m[T]), lmoc_mat_clear(&m[U]); /* tr(P_C Sigma) = tr((B^T B)^-1 B^T Sigma B) */
    congr(&m[T], &m[B], &m[SG]);
    lmoc_mul(&m[U], &m[B], 1, &m[B], 0);
    lmoc_rref(&m[U], &m[T]);
    mpq_mul_2exp(t, loss, 1); /* 2 L + tr(P_C Sigma) - tr YY^T must be 0 */
    for (long i = 0; i < pb; i++) mpq_add(t, t, LMOC_E(&m[T], i, i));
    for (long e = 0; e < dy * P->Y.cols; e++) mpq_mul(y, P->Y.e[e], P->Y.e[e]), mpq_sub(t, t, y);
    if (!c->rc && mpq_sgn(t))
        lmoc_fail(c, LMOC_REJECT, "%sglobal_min: the loss is not (tr YY^T - tr(P_C Sigma)) / 2",
                  cn);
    lmoc_mat_clear(&m[T]), lmoc_mat_clear(&m[U]);
    for (long i = 0; i < dy; i++) /* Sigma - tau I; its negative on the complement */
        mpq_sub(LMOC_E(&m[SG], i, i), LMOC_E(&m[SG], i, i), tau);
    congr(&m[T], &m[B], &m[SG]);
    congr(&m[U], &m[N], &m[SG]);
    for (long e = 0; e < m[U].rows * m[U].cols; e++) mpq_neg(m[U].e[e], m[U].e[e]);
    ldl(c, GM("range_ldl"), f, &m[T], st->type == LMOC_J_TRUE);
    ldl(c, GM("complement_ldl"), f, &m[U], 0);
done:
    for (int i = 0; i < NMAT; i++) lmoc_mat_clear(&m[i]);
    mpq_clears(tau, t, y, NULL);
    return c->rc;
}

static const char *const classes[] = {"not_critical", "global_min", "strict_saddle",
                                      "bad_saddle", "unknown", "local_min_not_global",
                                      "local_max"};

int lmoc_check_deep_linear(lmoc_ctx_t *c, const lmoc_json_t *cert, const char *cn,
                           const lmoc_json_t *vec, char *what, size_t wlen)
{
#define PART(k) lmoc_json_get(cert, k)
#define NAME(k) (snprintf(f, sizeof f, "%s%s", cn, k), f)
    const lmoc_json_t *cl = PART("class"), *cr = PART("critical"), *gn = PART("gradient_nonzero"),
                      *hp = PART("hessian_psd"), *hn = PART("hessian_negative"),
                      *dc = PART("descent_curve"), *ac = PART("ascent_curve"),
                      *gm = PART("global_min"), *rk = PART("rank_WH_W2"),
                      *ex = lmoc_json_get(vec, "expect"), *er = lmoc_json_get(ex, "rank_WH_W2");
    dl_t P = {-1, 0, {0, 0, NULL}, {0, 0, NULL}, NULL};
    lmoc_mat_t g = {0, 0, NULL}, H = {0, 0, NULL}, o = {0, 0, NULL}, v = {0, 0, NULL}, M;
    long np = -1, k = 0, idx = -1, r = -1, erv = -1, cls = 0, pos = 0;
    char f[160];
    mpq_t x;
    mpq_init(x);
    dl_read(&P, c, lmoc_json_get(vec, "input"));
    if (!lmoc_int(&np, c, PART("n_params"), NAME("n_params")) && np != P.n)
        lmoc_fail(c, LMOC_REJECT, "%s = %ld, but the network has %ld parameters", f, np, P.n);
    while (cls < 7 && !lmoc_is(cl, classes[cls])) cls++;
    if (!c->rc && cls == 7) lmoc_fail(c, LMOC_EINPUT, "field %sclass: not a deep_linear class", cn);
    if (!c->rc && cr && cr->type != LMOC_J_TRUE)
        lmoc_fail(c, LMOC_EINPUT, "field %scritical: expected true", cn);
    if (!c->rc && (cr || gn || hp)) derivs(&g, hp ? &H : NULL, &P);
    for (long i = 0; cr && i < P.n && !c->rc; i++) /* critical: the whole gradient is 0 */
        if (mpq_sgn(g.e[i]))
            lmoc_fail(c, LMOC_REJECT, "%scritical: gradient entry %ld is not 0", cn, i);
    if (gn && !lmoc_int(&idx, c, lmoc_json_get(gn, "index"), NAME("gradient_nonzero.index")) &&
        (idx < 0 || idx >= P.n)) /* not critical: one non-zero gradient entry */
        lmoc_fail(c, LMOC_REJECT, "%s = %ld is out of range [0, %ld)", f, idx, P.n);
    if (gn && !lmoc_number(x, c, lmoc_json_get(gn, "value"), NAME("gradient_nonzero.value")) &&
        (!mpq_equal(x, g.e[idx]) || !mpq_sgn(x)))
        lmoc_fail(c, LMOC_REJECT, "%s is not gradient entry %ld, or is 0", f, idx);
    if (hp) ldl(c, hp, NAME("hessian_psd"), &H, 0);
    for (long i = 0; hp && !c->rc && i < P.n; i++)
        pos |= mpq_sgn(LMOC_E(&H, i, i)) > 0; /* e_i^T H e_i > 0: e_i is an ascent direction */
    if (hn && !lmoc_vector(&v, c, lmoc_json_get(hn, "v"), P.n, NAME("hessian_negative.v")) &&
        !lmoc_number(x, c, lmoc_json_get(hn, "vHv"), NAME("hessian_negative.vHv"))) {
        curve(&o, &P, &v, 1, 2); /* v^T H v = 2 [t^2] L(theta + t v) */
        mpq_mul_2exp(o.e[2], o.e[2], 1);
        if (!mpq_equal(o.e[2], x) || mpq_sgn(x) >= 0)
            lmoc_fail(c, LMOC_REJECT, "%s is not v^T H v < 0", f);
    }
    if (dc && !c->rc) escape(c, dc, NAME("descent_curve"), &P, -1);
    if (ac && !c->rc) escape(c, ac, NAME("ascent_curve"), &P, 1);
    if (gm && !c->rc) {
        lmoc_mat_clear(&o);
        curve(&o, &P, NULL, 0, 0); /* the loss at theta */
        global_min(c, gm, cn, &P, o.e[0]);
    }
    if (rk && !c->rc) { /* a rank certificate of WH...W2 (d1 x d1 identity when H = 1) */
        chain(&M, &P, 1, P.H1 - 2);
        lmoc_check_rank(&r, c, rk, NAME("rank_WH_W2."), &M, lmoc_json_get(vec, "id")->s);
        lmoc_mat_clear(&M);
        if (er && !lmoc_int(&erv, c, er, "expect.rank_WH_W2") && erv != r)
            lmoc_fail(c, LMOC_REJECT, "expect.rank_WH_W2 is %ld, the certificate proves %ld",
                      erv, r);
    }
    /* the parts each class needs (proofs/README.md) */
    k = cls == 0 ? !gn : cls == 1 ? !cr || !gm : cls == 2 ? !cr || !hn
      : cls == 3 ? !cr || !hp || !dc || (!ac && !pos) : cls == 4 ? 0 : 2;
    if (!c->rc && k)
        lmoc_fail(c, LMOC_REJECT, "%sclass %s %s", cn, classes[cls], k == 2 ? "cannot be "
                  "proven by any deep_linear certificate part" : "lacks a part it needs");
    if (!c->rc && lmoc_json_get(ex, "class") && !lmoc_is(lmoc_json_get(ex, "class"), cl->s))
        lmoc_fail(c, LMOC_REJECT, "expect.class is not the certificate's class %s", cl->s);
    snprintf(what, wlen, "deep_linear class %s proven", cls < 7 ? classes[cls] : "?");
    lmoc_mats_clear(P.W, P.H1), lmoc_mat_clear(&P.X), lmoc_mat_clear(&P.Y), lmoc_mat_clear(&g);
    lmoc_mat_clear(&H), lmoc_mat_clear(&o), lmoc_mat_clear(&v), mpq_clear(x);
    return c->rc;
}
