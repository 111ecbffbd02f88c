/* dl_sigma.c -- the deep-linear rules about Sigma (Kawaguchi 2016 Section 2.1): the
 * "global_min" certificate part (a separator tau of Sigma's eigenvalues on range(C) and off
 * it), the hypotheses of Theorem 2.3, and the global minimum value
 * L* = (tr YY^T - S_q) / 2, S_q the sum of the q largest eigenvalues of Sigma (with
 * multiplicity), from Sigma's characteristic polynomial chi. Sigma is symmetric, so chi has
 * only real roots; everything below rests on that and on exact arithmetic in Q[x]. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "dl.h"

int lmoc_dl_sigma(lmoc_mat_t *S, lmoc_ctx_t *c, const lmoc_dl_t *P)
{
    lmoc_mat_t R = LMOC_MAT_NONE, G = LMOC_MAT_NONE, K = LMOC_MAT_NONE, K0 = LMOC_MAT_NONE;
    long dx = P->X.rows;
    *S = (lmoc_mat_t)LMOC_MAT_NONE;
    if (!lmoc_mat_copy(&R, c, &P->X)) {
        R.rows = lmoc_rref(&R, NULL); /* a view of the first rank(X) rows ... */
        if (!lmoc_mul(&G, c, &R, 0, &R, 1) && !lmoc_mul(&K, c, &R, 0, &P->Y, 1) &&
            !lmoc_mul(&K0, c, &R, 0, &P->Y, 1)) {
            lmoc_rref(&G, &K); /* K = (R R^T)^-1 R Y^T */
            lmoc_mul(S, c, &K0, 1, &K, 0);
        }
        R.rows = dx; /* ... restored, so that every entry is cleared */
    }
    lmoc_mat_clear(&R), lmoc_mat_clear(&G), lmoc_mat_clear(&K), lmoc_mat_clear(&K0);
    return c->rc;
}

/* op(A) op(B) equals E (E NULL: is 0), else REJECT saying WHY. */
static int prod_is(lmoc_ctx_t *c, const lmoc_mat_t *A, int ta, const lmoc_mat_t *B, int tb,
                   const lmoc_mat_t *E, const char *cn, const char *why)
{
    lmoc_mat_t T;
    long i = 0;
    if (c->rc || lmoc_mul(&T, c, A, ta, B, tb)) return c->rc;
    while (!E && i < T.rows * T.cols && !mpq_sgn(T.e[i]))
        i++;
    if (E ? !lmoc_mat_eq(&T, E) : i < T.rows * T.cols)
        lmoc_fail(c, LMOC_REJECT, LMOC_C, "%sglobal_min: %s", cn, why);
    lmoc_mat_clear(&T);
    return c->rc;
}

/* out = A^T M A (initialised here) */
static int congr(lmoc_mat_t *out, lmoc_ctx_t *c, const lmoc_mat_t *A, const lmoc_mat_t *M)
{
    lmoc_mat_t T = LMOC_MAT_NONE;
    *out = (lmoc_mat_t)LMOC_MAT_NONE;
    if (!lmoc_mul(&T, c, M, 0, A, 0)) lmoc_mul(out, c, A, 1, &T, 0);
    lmoc_mat_clear(&T);
    return c->rc;
}

static long min_q(const lmoc_dl_t *P) /* q = min(d1, ..., dH, dy) */
{
    long q = P->Y.rows;
    for (long k = 0; k + 1 < P->H1; k++) q = P->W[k].rows < q ? P->W[k].rows : q;
    return q;
}

/* "global_min": the loss equals L* = (tr YY^T - S_q) / 2 (Coq: global_min_rule). */
int lmoc_dl_global_min(lmoc_ctx_t *c, const lmoc_json_t *g, const char *cn, const lmoc_dl_t *P,
                       const mpq_t loss)
{
    enum { SG, SC, G, C, B, S, N, T, U, NMAT };
    static const char *const part[] = {"range_basis", "range_coeffs", "complement_basis"};
    static const char *const keys[] = {"sigma", "q", "rank_C", "range_basis", "range_coeffs",
                                       "complement_basis", "tau", "strict", "range_ldl",
                                       "complement_ldl", NULL};
    lmoc_mat_t m[NMAT];
    long dy = P->Y.rows, q = min_q(P), qc = 0, pb = 0;
    const lmoc_json_t *st = lmoc_json_get(g, "strict");
    char f[200], *fe = f + snprintf(f, sizeof f, "%sglobal_min.", cn);
#define GM(key) (snprintf(fe, sizeof f - (size_t)(fe - f), "%s", key), lmoc_json_get(g, key))
    mpq_t tau, t, y;
    for (int i = 0; i < NMAT; i++) m[i] = (lmoc_mat_t)LMOC_MAT_NONE;
    mpq_inits(tau, t, y, NULL);
    {
        char gname[200];
        snprintf(gname, sizeof gname, "%sglobal_min", cn);
        lmoc_known(c, LMOC_C, g, gname, keys);
    }
    lmoc_int(&qc, c, LMOC_C, GM("q"), q, q, LMOC_REJECT, f);
    lmoc_int(&pb, c, LMOC_C, GM("rank_C"), 0, dy, LMOC_REJECT, f);
    lmoc_number(tau, c, LMOC_C, GM("tau"), f);
    if (!c->rc && !lmoc_is_bool(st))
        lmoc_fail(c, LMOC_EINPUT, LMOC_C, "field %sglobal_min.strict: expected true or false", cn);
    if (!lmoc_dl_sigma(&m[SG], c, P) &&
        !lmoc_matrix(&m[SC], c, LMOC_C, GM("sigma"), -1, -1, f) && !lmoc_mat_eq(&m[SC], &m[SG]))
        lmoc_fail(c, LMOC_REJECT, LMOC_C, "%s is not Sigma = Y X^T (X X^T)^-1 X Y^T", f);
    for (int i = 0; i < 3; i++) /* B: dy x pb, S: d1 x pb, N: dy x (dy - pb) */
        lmoc_matrix(&m[B + i], c, LMOC_C, GM(part[i]), i == 1 ? P->W[0].rows : dy,
                    i == 2 ? dy - pb : pb, f);
    if (c->rc || lmoc_dl_chain(&m[C], c, P, 1, P->H1 - 1)) goto done; /* C = W(H+1)...W2 */
    prod_is(c, &m[C], 0, &m[S], 0, &m[B], cn, "C * range_coeffs != range_basis");
    prod_is(c, &m[C], 1, &m[N], 0, NULL, cn, "C^T * complement_basis != 0");
    if (!c->rc && !lmoc_mat_init(&m[T], c, LMOC_C, dy, dy, "[B N]")) { /* [B N] */
        for (long i = 0; i < dy * dy; i++)
            mpq_set(m[T].e[i], i % dy < pb ? LMOC_E(&m[B], i / dy, i % dy)
                                           : LMOC_E(&m[N], i / dy, i % dy - pb));
        if (lmoc_rref(&m[T], NULL) != dy)
            lmoc_fail(c, LMOC_REJECT, LMOC_C, "%sglobal_min: [range_basis complement_basis] is "
                      "singular", cn);
    }
    if (!c->rc && !lmoc_mul(&m[U], c, &m[SG], 0, &m[B], 0))
        prod_is(c, &m[N], 1, &m[U], 0, NULL, cn, "N^T Sigma B != 0: range(C) is not "
                "Sigma-invariant");
    if (pb != q) prod_is(c, &m[SG], 0, &m[N], 0, NULL, cn, "rank_C != q and Sigma N != 0");
    lmoc_mat_clear(&m[T]), lmoc_mat_clear(&m[U]); /* tr(P_C Sigma) = tr((B^T B)^-1 B^T Sigma B) */
    if (c->rc || congr(&m[T], c, &m[B], &m[SG]) || lmoc_mul(&m[U], c, &m[B], 1, &m[B], 0))
        goto done;
    lmoc_rref(&m[U], &m[T]);
    mpq_mul_2exp(t, loss, 1); /* 2 L + tr(P_C Sigma) - tr YY^T must be 0 */
    for (long i = 0; i < pb; i++) mpq_add(t, t, LMOC_E(&m[T], i, i));
    for (long e = 0; e < dy * P->Y.cols; e++) mpq_mul(y, P->Y.e[e], P->Y.e[e]), mpq_sub(t, t, y);
    if (mpq_sgn(t))
        lmoc_fail(c, LMOC_REJECT, LMOC_C, "%sglobal_min: the loss is not (tr YY^T - tr(P_C "
                  "Sigma)) / 2", cn);
    lmoc_mat_clear(&m[T]), lmoc_mat_clear(&m[U]);
    for (long i = 0; i < dy; i++) /* Sigma - tau I; its negative on the complement */
        mpq_sub(LMOC_E(&m[SG], i, i), LMOC_E(&m[SG], i, i), tau);
    if (c->rc || congr(&m[T], c, &m[B], &m[SG]) || congr(&m[U], c, &m[N], &m[SG])) goto done;
    for (long e = 0; e < m[U].rows * m[U].cols; e++) mpq_neg(m[U].e[e], m[U].e[e]);
    lmoc_dl_ldl(c, GM("range_ldl"), f, &m[T], st->type == LMOC_J_TRUE);
    lmoc_dl_ldl(c, GM("complement_ldl"), f, &m[U], 0);
done:
    for (int i = 0; i < NMAT; i++) lmoc_mat_clear(&m[i]);
    mpq_clears(tau, t, y, NULL);
    return c->rc;
#undef GM
}

/* ---- polynomials in Q[x]: 1 x (deg + 1) matrices, ascending coefficients ---- */

/* chi(x) = det(x I - A), by Faddeev-LeVerrier: M_k = A M_(k-1) + c_(n-k+1) I,
   c_(n-k) = -tr(A M_k) / k. */
static int charpoly(lmoc_mat_t *chi, lmoc_ctx_t *c, const lmoc_mat_t *A)
{
    long n = A->rows;
    lmoc_mat_t M = LMOC_MAT_NONE, AM = LMOC_MAT_NONE;
    if (lmoc_mat_init(chi, c, LMOC_V, 1, n + 1, "a characteristic polynomial") ||
        lmoc_mat_init(&M, c, LMOC_V, n, n, "a characteristic polynomial"))
        return c->rc;
    mpq_set_ui(chi->e[n], 1, 1);
    for (long k = 1; k <= n && !c->rc; k++) {
        for (long i = 0; i < n; i++) mpq_add(LMOC_E(&M, i, i), LMOC_E(&M, i, i), chi->e[n - k + 1]);
        if (lmoc_mul(&AM, c, A, 0, &M, 0)) break;
        for (long i = 0; i < n; i++) mpq_sub(chi->e[n - k], chi->e[n - k], LMOC_E(&AM, i, i));
        mpq_set_ui(M.e[0], (unsigned long)k, 1); /* M.e[0] is overwritten next: a scratch */
        mpq_div(chi->e[n - k], chi->e[n - k], M.e[0]);
        lmoc_mat_clear(&M), M = AM, AM = (lmoc_mat_t)LMOC_MAT_NONE;
    }
    lmoc_mat_clear(&M), lmoc_mat_clear(&AM);
    return c->rc;
}

/* h(x) = f(x + t), in place (repeated synthetic division). */
static void shift(lmoc_mat_t *h, const mpq_t t)
{
    long n = h->cols - 1;
    mpq_t u;
    mpq_init(u);
    for (long i = 0; i < n; i++)
        for (long j = n - 1; j >= i; j--)
            mpq_mul(u, t, h->e[j + 1]), mpq_add(h->e[j], h->e[j], u);
    mpq_clear(u);
}

/* Roots of the real-rooted f at t (multiplicity *mult) and above t (the return value): with
   h(x) = f(x + t) = x^mult (h_mult + ... ), the roots above t are the positive roots of the
   bracket, as many as its coefficients' sign changes -- Descartes' rule of signs, which is
   exact for a polynomial whose roots are all real. -1 on failure. */
static long roots_above(long *mult, lmoc_ctx_t *c, const lmoc_mat_t *f, const mpq_t t)
{
    lmoc_mat_t h;
    long v = 0, m = 0, last = 0;
    if (lmoc_mat_copy(&h, c, f)) return -1;
    shift(&h, t);
    while (m < h.cols && !mpq_sgn(h.e[m])) m++;
    for (long j = m; j < h.cols; j++)
        if (mpq_sgn(h.e[j])) v += last && mpq_sgn(h.e[j]) != last, last = mpq_sgn(h.e[j]);
    lmoc_mat_clear(&h);
    *mult = m;
    return v;
}

/* q = quotient of a / b (b monic) when the division is exact, else LMOC_REJECT. */
static int divide(lmoc_mat_t *quo, lmoc_ctx_t *c, const lmoc_mat_t *a, const lmoc_mat_t *b,
                  const char *name)
{
    long na = a->cols - 1, nb = b->cols - 1;
    lmoc_mat_t r;
    mpq_t t;
    *quo = (lmoc_mat_t)LMOC_MAT_NONE;
    if (nb > na)
        return lmoc_fail(c, LMOC_REJECT, LMOC_C, "%s does not divide Sigma's characteristic "
                         "polynomial", name);
    if (lmoc_mat_copy(&r, c, a) || lmoc_mat_init(quo, c, LMOC_C, 1, na - nb + 1, name))
        return lmoc_mat_clear(&r), c->rc;
    mpq_init(t);
    for (long i = na - nb; i >= 0; i--) {
        mpq_set(quo->e[i], r.e[i + nb]);
        for (long j = 0; j <= nb; j++)
            mpq_mul(t, quo->e[i], b->e[j]), mpq_sub(r.e[i + j], r.e[i + j], t);
    }
    for (long i = 0; i < nb && !c->rc; i++)
        if (mpq_sgn(r.e[i]))
            lmoc_fail(c, LMOC_REJECT, LMOC_C, "%s does not divide Sigma's characteristic "
                      "polynomial", name);
    mpq_clear(t), lmoc_mat_clear(&r);
    return c->rc;
}

/* ---- facts about X, Y and Sigma ---- */

void lmoc_dl_sigma_facts_init(lmoc_dl_sigma_facts_t *F)
{
    memset(F, 0, sizeof *F);
    mpq_init(F->trace_yyt);
}

void lmoc_dl_sigma_facts_clear(lmoc_dl_sigma_facts_t *F)
{
    lmoc_mat_clear(&F->sigma), lmoc_mat_clear(&F->charpoly), mpq_clear(F->trace_yyt);
}

int lmoc_dl_sigma_facts(lmoc_dl_sigma_facts_t *F, lmoc_ctx_t *c, const lmoc_dl_t *P)
{
    long dx = P->X.rows, dy = P->Y.rows, d2;
    lmoc_mat_t A = LMOC_MAT_NONE, K = LMOC_MAT_NONE, Pw = LMOC_MAT_NONE, T = LMOC_MAT_NONE;
    mpq_t y;
    mpq_init(y);
    F->q = min_q(P), F->dy_le_dx = dy <= dx;
    for (long e = 0; e < dy * P->Y.cols; e++)
        mpq_mul(y, P->Y.e[e], P->Y.e[e]), mpq_add(F->trace_yyt, F->trace_yyt, y);
    if (!lmoc_mul(&A, c, &P->X, 0, &P->X, 1)) F->xxt_full = lmoc_rank(c, &A) == dx;
    lmoc_mat_clear(&A);
    if (!lmoc_mul(&A, c, &P->X, 0, &P->Y, 1)) F->xyt_full = lmoc_rank(c, &A) == (dx < dy ? dx : dy);
    lmoc_dl_sigma(&F->sigma, c, P);
    charpoly(&F->charpoly, c, &F->sigma);
    /* Sigma is symmetric, hence diagonalisable: its eigenvalues are distinct iff its minimal
       polynomial has degree dy iff I, Sigma, ..., Sigma^(dy-1) are linearly independent */
    if (!lmoc_entries(&d2, c, LMOC_V, dy, dy, "Sigma's Krylov matrix") &&
        !lmoc_mat_init(&K, c, LMOC_V, dy, d2, "Sigma's Krylov matrix") &&
        !lmoc_mat_init(&Pw, c, LMOC_V, dy, dy, "Sigma's Krylov matrix")) {
        for (long i = 0; i < dy; i++) mpq_set_ui(LMOC_E(&Pw, i, i), 1, 1);
        for (long k = 0; k < dy && !c->rc; k++) {
            for (long e = 0; e < d2; e++) mpq_set(LMOC_E(&K, k, e), Pw.e[e]);
            if (k + 1 < dy && !lmoc_mul(&T, c, &F->sigma, 0, &Pw, 0))
                lmoc_mat_clear(&Pw), Pw = T, T = (lmoc_mat_t)LMOC_MAT_NONE;
        }
        F->distinct = !c->rc && lmoc_rref(&K, NULL) == dy;
    }
    lmoc_mat_clear(&A), lmoc_mat_clear(&K), lmoc_mat_clear(&Pw), lmoc_mat_clear(&T);
    mpq_clear(y);
    return c->rc;
}

int lmoc_dl_member_hypotheses(lmoc_ctx_t *c, const lmoc_json_t *val, const char *name, void *st)
{
    static const char *const keys[] = {"XXt_full_rank", "XYt_full_rank", "dy_le_dx",
                                       "sigma_distinct_eigenvalues", "hold", NULL};
    const lmoc_dl_sigma_facts_t *F = st;
    int truth[5] = {F->xxt_full, F->xyt_full, F->dy_le_dx, F->distinct, 0};
    char f[220];
    truth[4] = truth[0] && truth[1] && truth[2] && truth[3];
    if (val->type != LMOC_J_OBJ)
        return lmoc_fail(c, LMOC_EINPUT, LMOC_V, "field %s: expected an object", name);
    lmoc_known(c, LMOC_V, val, name, keys);
    for (int i = 0; i < 5 && !c->rc; i++) {
        snprintf(f, sizeof f, "%s.%s", name, keys[i]);
        if (lmoc_json_get(val, keys[i])) lmoc_claim_bool(c, lmoc_json_get(val, keys[i]), f,
                                                         truth[i]);
    }
    return c->rc;
}

/* ---- the global minimum value ---- */

/* S_q exactly, from the part {"factor": f, "tau": tau}: f monic of degree q divides chi, and
   every real root of f is >= tau >= every real root of g = chi / f. Then the q roots of f are
   the q largest roots of chi (all real), and S_q = -f_(q-1). The root tests need no
   Descartes: if (-1)^(q-j) [x^j] f(x + tau) >= 0 for all j, then (-1)^q f(tau - y) >= y^q > 0
   for y > 0; if [x^j] g(x + tau) >= 0 for all j, then g(tau + y) >= y^deg > 0 for y > 0. */
static int top_sum_factor(mpq_t S, lmoc_ctx_t *c, const lmoc_dl_sigma_facts_t *F,
                          const lmoc_json_t *gv, const char *pre)
{
    lmoc_mat_t f = LMOC_MAT_NONE, g = LMOC_MAT_NONE;
    long q = F->q;
    char name[220];
    mpq_t tau;
    mpq_init(tau);
    snprintf(name, sizeof name, "%s.tau", pre);
    lmoc_number(tau, c, LMOC_C, lmoc_json_get(gv, "tau"), name);
    snprintf(name, sizeof name, "%s.factor", pre);
    if (!lmoc_vector(&f, c, LMOC_C, lmoc_json_get(gv, "factor"), q + 1, name) &&
        mpq_cmp_ui(f.e[q], 1, 1))
        lmoc_fail(c, LMOC_REJECT, LMOC_C, "%s is not monic", name);
    if (!c->rc && !divide(&g, c, &F->charpoly, &f, name)) {
        shift(&f, tau), shift(&g, tau);
        for (long j = 0; j <= q && !c->rc; j++)
            if (mpq_sgn(f.e[j]) * ((q - j) % 2 ? -1 : 1) < 0)
                lmoc_fail(c, LMOC_REJECT, LMOC_C, "%s may have a root below %s.tau", name, pre);
        for (long j = 0; j < g.cols && !c->rc; j++)
            if (mpq_sgn(g.e[j]) < 0)
                lmoc_fail(c, LMOC_REJECT, LMOC_C, "Sigma's characteristic polynomial / %s may have "
                          "a root above %s.tau", name, pre);
        mpq_set_ui(S, 0, 1); /* -f_(q-1) is the sum of f's roots; the shift moved each by tau */
        if (q > 0) mpq_set_si(S, (long)q, 1), mpq_mul(S, S, tau), mpq_sub(S, S, f.e[q - 1]);
    }
    lmoc_mat_clear(&f), lmoc_mat_clear(&g), mpq_clear(tau);
    return c->rc;
}

/* Bounds lo <= S_q <= hi from the part {"breaks": [t_0 < ... < t_K]}: exact root counts of
   chi at and above each t_j (roots_above); from the top down, the q largest roots are placed
   at a t_j or in some (t_(j-1), t_j), which bounds each of them. */
static int top_sum_bounds(mpq_t lo, mpq_t hi, lmoc_ctx_t *c, const lmoc_dl_sigma_facts_t *F,
                          const lmoc_json_t *gv, const char *pre)
{
    lmoc_mat_t t = LMOC_MAT_NONE;
    long need = F->q, K, above = 0, mult = 0, below_above = 0, below_mult = 0, k;
    char name[220];
    mpq_t u;
    mpq_init(u);
    snprintf(name, sizeof name, "%s.breaks", pre);
    mpq_set_ui(lo, 0, 1), mpq_set_ui(hi, 0, 1);
    if (lmoc_vector(&t, c, LMOC_C, lmoc_json_get(gv, "breaks"), -1, name)) goto done;
    if ((K = t.cols - 1) < 0)
        lmoc_fail(c, LMOC_REJECT, LMOC_C, "%s is empty", name);
    for (long j = 1; j <= K && !c->rc; j++)
        if (mpq_cmp(t.e[j - 1], t.e[j]) >= 0)
            lmoc_fail(c, LMOC_REJECT, LMOC_C, "%s is not increasing", name);
    if (!c->rc && (above = roots_above(&mult, c, &F->charpoly, t.e[K])) != 0 && !c->rc)
        lmoc_fail(c, LMOC_REJECT, LMOC_C, "%s: %ld roots lie above the last break", name, above);
    for (long j = K; j >= 0 && need > 0 && !c->rc; j--) {
        k = mult < need ? mult : need; /* roots exactly at t_j */
        mpq_set_si(u, k, 1), mpq_mul(u, u, t.e[j]), mpq_add(lo, lo, u), mpq_add(hi, hi, u);
        need -= k;
        if (j == 0 || need == 0) break;
        below_above = roots_above(&below_mult, c, &F->charpoly, t.e[j - 1]);
        k = below_above - above - mult; /* roots in (t_(j-1), t_j) */
        k = k < need ? k : need;
        mpq_set_si(u, k, 1), mpq_mul(u, u, t.e[j - 1]), mpq_add(lo, lo, u);
        mpq_set_si(u, k, 1), mpq_mul(u, u, t.e[j]), mpq_add(hi, hi, u);
        need -= k, above = below_above, mult = below_mult;
    }
    if (!c->rc && need > 0)
        lmoc_fail(c, LMOC_REJECT, LMOC_C, "%s: the q largest roots are not all above the first "
                  "break", name);
done:
    lmoc_mat_clear(&t), mpq_clear(u);
    return c->rc;
}

int lmoc_dl_global_min_value(lmoc_ctx_t *c, const lmoc_json_t *val, const char *name,
                             const lmoc_dl_sigma_facts_t *F, const lmoc_json_t *gv,
                             const char *cn)
{
    static const char *const keys[] = {"q", "trace_YYt", "sigma_charpoly", "exact", "enclosure",
                                       NULL};
    static const char *const gv_keys[] = {"factor", "tau", "breaks", NULL};
    const lmoc_json_t *ex = lmoc_json_get(val, "exact"), *en = lmoc_json_get(val, "enclosure");
    char f[220], pre[200];
    mpq_t lo, hi, a, b, v;
    mpq_inits(lo, hi, a, b, v, NULL);
    snprintf(pre, sizeof pre, "%sglobal_min_value", cn);
    if (val->type != LMOC_J_OBJ)
        lmoc_fail(c, LMOC_EINPUT, LMOC_V, "field %s: expected an object", name);
    lmoc_known(c, LMOC_V, val, name, keys);
    if (lmoc_json_get(val, "q"))
        snprintf(f, sizeof f, "%s.q", name), lmoc_claim_int(c, lmoc_json_get(val, "q"), f, F->q);
    if (lmoc_json_get(val, "trace_YYt"))
        snprintf(f, sizeof f, "%s.trace_YYt", name),
            lmoc_claim_num(c, lmoc_json_get(val, "trace_YYt"), f, F->trace_yyt);
    if (lmoc_json_get(val, "sigma_charpoly"))
        snprintf(f, sizeof f, "%s.sigma_charpoly", name),
            lmoc_claim_nums(c, lmoc_json_get(val, "sigma_charpoly"), f, &F->charpoly);
    if ((ex && ex->type != LMOC_J_NULL) || en) { /* a value of L* is claimed: it needs a part */
        if (!c->rc && !gv)
            lmoc_fail(c, LMOC_REJECT, LMOC_V, "%s: the value is not verifiable without the "
                      "certificate part global_min_value", name);
        lmoc_known(c, LMOC_C, gv, pre, gv_keys);
    }
    if (ex && ex->type != LMOC_J_NULL && !c->rc) { /* L* = (tr YY^T - S_q) / 2 exactly */
        snprintf(f, sizeof f, "%s.exact", name);
        if (!top_sum_factor(a, c, F, gv, pre)) {
            mpq_sub(v, F->trace_yyt, a), mpq_div_2exp(v, v, 1);
            lmoc_claim_num(c, ex, f, v);
            mpq_set(lo, v), mpq_set(hi, v);
        }
    } else if (en && !c->rc && !top_sum_bounds(a, b, c, F, gv, pre)) {
        mpq_sub(lo, F->trace_yyt, b), mpq_div_2exp(lo, lo, 1); /* the largest S gives the least */
        mpq_sub(hi, F->trace_yyt, a), mpq_div_2exp(hi, hi, 1);
    }
    if (en && !c->rc) { /* [lo, hi], the proven bounds of L*, lies inside the claim */
        snprintf(f, sizeof f, "%s.enclosure", name);
        if (en->type != LMOC_J_ARR || en->n != 2)
            lmoc_fail(c, LMOC_EINPUT, LMOC_V, "field %s: expected [lo, hi]", f);
        else if (!lmoc_number(a, c, LMOC_V, &en->kid[0], f) &&
                 !lmoc_number(b, c, LMOC_V, &en->kid[1], f) &&
                 (mpq_cmp(a, lo) > 0 || mpq_cmp(hi, b) > 0))
            lmoc_fail(c, LMOC_REJECT, LMOC_V, "%s is not proven: the certificate bounds L* only "
                      "to a wider interval", f);
    }
    mpq_clears(lo, hi, a, b, v, NULL);
    return c->rc;
}
