/* khk.c -- Kawaguchi, Huang & Kaelbling 2019, "Effect of Depth and Width on Local Minima in
 * Deep Learning": claim "khk" (lmo-cert-1.md, "khk").
 *
 * The network (Section 4.1, rows are samples): Phi(0) = X, Phi(l) = sigma(Phi(l-1) W(l)) for
 * the hidden layers l = 1..H (relu, leaky:a with a <= 1, abs), Yhat = Phi(H) W(H+1), and
 * L(theta) = 1/2 ||Yhat - Y||_F^2 (2.1). Lambda(l) is sigma' at the pre-activation where it
 * exists and 0 at a kink, so sigma(z) = Lambda z everywhere and Yhat is linear in each W(l) at
 * fixed Lambda (Lemma 1).
 *
 * The checker builds the path matrix A = [D D_1(H+1)] (Theorem 1) as the Jacobian of vec(Yhat)
 * (column-major) in vec(W(1)), ..., vec(W(H+1)) (each column-major) at fixed Lambda, by forward
 * mode -- one directional derivative per weight -- where lmo sums over paths backwards. Then:
 *   gradient = A^T (vec Yhat - vec Y) (at a differentiable point Lambda is locally constant);
 *   J (4.2) and its terms from least-squares certificates: for each prefix A_b of A's column
 *     blocks (block D_k(l) = the columns of W(l)[:, k]; D_1(H+1) = all of W(H+1)), a vector c_b
 *     with A_b^T (y - A_b c_b) = 0, y = vec Y. Then r_b = y - A_b c_b = (I - P[A_b]) y
 *     (Coq lsq_residual_min, lsq_residual_unique), term_b = 1/2 ||P[N_b D_b] y||^2 =
 *     1/2 (||r_(b-1)||^2 - ||r_b||^2) with r_0 = y (lsq_prefix_term_exists, lsq_same_range:
 *     the Gram-Schmidt step of Lemma 3), and J = 1/2 ||y||^2 - sum of the terms = 1/2 ||r_last||^2;
 *   path_rank = rank A from a rank certificate (rank.c);
 *   Definition 1's largest weakly separated sets, top down (valid families are closed under
 *     union, so the largest one exists), and n_max(t) = min over l > t of |S(l)|. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lmoc.h"

enum { RELU, LEAKY, ABS };

typedef struct {
    long H, m, dy, n, np;    /* n = m dy rows of A, np = its columns (all weights) */
    long *d;                 /* d[0] = dx, d[1..H], d[H+1] = dy */
    lmoc_mat_t X, Y, *W;     /* W[l-1] = W(l), d(l-1) x d(l) */
    int *act;                /* act[l-1]: hidden layer l */
    mpq_t *a;                /* a[l-1]: sigma(z) = a z for z < 0 (relu 0, abs -1) */
    lmoc_mat_t *G, *Phi, *Lam; /* G[l-1] = Phi(l-1) W(l); Phi[0..H+1]; Lam[l-1] = Lambda(l) */
    long kink[3];            /* the first kink (layer, unit, sample), 1-based; 0 when none */
    lmoc_mat_t A, res;       /* the path matrix; res = vec(Yhat) - vec(Y), n x 1 */
    mpq_t loss;
} khk_t;

/* out = 1/2 ||v||^2 of the entries of V. */
static void half_norm2(mpq_t out, const lmoc_mat_t *v)
{
    mpq_t sq;
    mpq_init(sq);
    mpq_set_ui(out, 0, 1);
    for (long i = 0; i < v->rows * v->cols; i++)
        mpq_mul(sq, v->e[i], v->e[i]), mpq_add(out, out, sq);
    mpq_div_2exp(out, out, 1);
    mpq_clear(sq);
}

/* An activation "relu", "abs" or "leaky:A" (A an exact number <= 1). */
static int act_read(khk_t *T, lmoc_ctx_t *c, const lmoc_json_t *j, long l, const char *name)
{
    if (lmoc_is(j, "relu") || lmoc_is(j, "abs")) {
        T->act[l] = lmoc_is(j, "relu") ? RELU : ABS;
        mpq_set_si(T->a[l], T->act[l] == RELU ? 0 : -1, 1);
        return 0;
    }
    if (!j || j->type != LMOC_J_STR || strncmp(j->s, "leaky:", 6))
        return lmoc_fail(c, LMOC_EINPUT, LMOC_V, "field %s: expected \"relu\", \"abs\" or "
                         "\"leaky:A\"", name);
    lmoc_json_t num = *j;
    num.s = j->s + 6, num.len = j->len - 6;
    if (lmoc_number(T->a[l], c, LMOC_V, &num, name)) return c->rc;
    T->act[l] = LEAKY;
    if (mpq_cmp_si(T->a[l], 1, 1) > 0)
        lmoc_fail(c, LMOC_EINPUT, LMOC_V, "field %s: the leaky slope must be <= 1 (Section 4.1)",
                  name);
    return c->rc;
}

/* The input {X, Y, weights, activations}, then the forward pass with Lambda and the kink. */
static int khk_read(khk_t *T, lmoc_ctx_t *c, const lmoc_json_t *in)
{
    static const char *const keys[] = {"X", "Y", "weights", "activations", NULL};
    const lmoc_json_t *ja = lmoc_json_get(in, "activations");
    char f[80];
    long L = -1;
    if (!in || in->type != LMOC_J_OBJ)
        return lmoc_fail(c, LMOC_EINPUT, LMOC_V, "field input: expected an object");
    lmoc_known(c, LMOC_V, in, "input", keys);
    lmoc_matrix(&T->X, c, LMOC_V, lmoc_json_get(in, "X"), -1, -1, "input.X");
    lmoc_matrix(&T->Y, c, LMOC_V, lmoc_json_get(in, "Y"), T->X.rows, -1, "input.Y");
    lmoc_matrices(&T->W, &L, c, LMOC_V, lmoc_json_get(in, "weights"), "input.weights");
    T->H = L - 1, T->m = T->X.rows, T->dy = T->Y.cols;
    if (!c->rc && (L < 2 || T->m < 1 || T->X.cols < 1 || T->dy < 1))
        return lmoc_fail(c, LMOC_EINPUT, LMOC_V, "field input: needs m >= 1 samples, dx, dy >= 1 "
                         "and at least 2 weight matrices (H >= 1 hidden layers)");
    if (!c->rc && (!ja || ja->type != LMOC_J_ARR || (long)ja->n != T->H))
        return lmoc_fail(c, LMOC_EINPUT, LMOC_V, "field input.activations: expected %ld strings, "
                         "one per hidden layer", T->H);
    if (c->rc) return c->rc;
    T->d = lmoc_alloc(c, LMOC_V, (size_t)L + 1, sizeof *T->d, "the widths");
    T->act = lmoc_alloc(c, LMOC_V, (size_t)T->H, sizeof *T->act, "the activations");
    T->a = lmoc_alloc(c, LMOC_V, (size_t)T->H, sizeof *T->a, "the activations");
    if (c->rc) return c->rc;
    for (long l = 0; l < T->H; l++) mpq_init(T->a[l]);
    T->d[0] = T->X.cols;
    for (long l = 1; l <= L && !c->rc; l++) {
        T->d[l] = T->W[l - 1].cols;
        if (T->W[l - 1].rows != T->d[l - 1] || T->d[l] < 1 || (l == L && T->d[l] != T->dy))
            lmoc_fail(c, LMOC_EINPUT, LMOC_V, "field input.weights[%ld]: %ld x %ld does not chain "
                      "from X (m x dx) to Y (m x dy)", l - 1, T->W[l - 1].rows, T->W[l - 1].cols);
    }
    for (long l = 0; l < T->H && !c->rc; l++)
        act_read(T, c, &ja->kid[l], l, (snprintf(f, sizeof f, "input.activations[%ld]", l), f));
    if (!c->rc) lmoc_entries(&T->n, c, LMOC_V, T->m, T->dy, "vec(Y)");
    T->G = lmoc_alloc(c, LMOC_V, (size_t)L, sizeof *T->G, "the forward pass");
    T->Phi = lmoc_alloc(c, LMOC_V, (size_t)L + 1, sizeof *T->Phi, "the forward pass");
    T->Lam = lmoc_alloc(c, LMOC_V, (size_t)T->H, sizeof *T->Lam, "the forward pass");
    if (c->rc) return c->rc;
    lmoc_mat_copy(&T->Phi[0], c, &T->X);
    for (long l = 1; l <= L && !c->rc; l++) {
        if (lmoc_mul(&T->G[l - 1], c, &T->Phi[l - 1], 0, &T->W[l - 1], 0) ||
            lmoc_mat_copy(&T->Phi[l], c, &T->G[l - 1]) || l == L ||
            lmoc_mat_init(&T->Lam[l - 1], c, LMOC_V, T->m, T->d[l], "Lambda"))
            continue;
        int identity = T->act[l - 1] == LEAKY && !mpq_cmp_si(T->a[l - 1], 1, 1);
        for (long k = 0; k < T->d[l]; k++) /* (layer, unit, sample) order for the first kink */
            for (long i = 0; i < T->m; i++) {
                mpq_t *z = &LMOC_E(&T->Phi[l], i, k), *lam = &LMOC_E(&T->Lam[l - 1], i, k);
                int sg = mpq_sgn(*z);
                if (sg > 0 || identity) mpq_set_ui(*lam, 1, 1);
                else if (sg < 0) mpq_set(*lam, T->a[l - 1]);
                else if (!T->kink[0]) T->kink[0] = l, T->kink[1] = k + 1, T->kink[2] = i + 1;
                mpq_mul(*z, *z, *lam); /* sigma(z) = Lambda z, also at z = 0 */
            }
    }
    if (c->rc || lmoc_mat_init(&T->res, c, LMOC_V, T->n, 1, "vec(Yhat) - vec(Y)")) return c->rc;
    for (long j = 0; j < T->dy; j++) /* vec is column-major (Section 2.2) */
        for (long i = 0; i < T->m; i++)
            mpq_sub(T->res.e[j * T->m + i], LMOC_E(&T->Phi[L], i, j), LMOC_E(&T->Y, i, j));
    half_norm2(T->loss, &T->res);
    return c->rc;
}

static void khk_clear(khk_t *T)
{
    long L = T->H + 1;
    if (T->a)
        for (long l = 0; l < T->H; l++) mpq_clear(T->a[l]);
    free(T->a), free(T->act), free(T->d);
    lmoc_mat_clear(&T->X), lmoc_mat_clear(&T->Y), lmoc_mats_clear(T->W, L > 0 ? L : 0);
    lmoc_mats_clear(T->G, T->G ? L : 0), lmoc_mats_clear(T->Phi, T->Phi ? L + 1 : 0);
    lmoc_mats_clear(T->Lam, T->Lam ? T->H : 0);
    lmoc_mat_clear(&T->A), lmoc_mat_clear(&T->res);
    mpq_clear(T->loss);
}

/* A, column by column: the weight W(l)[a, b] moves G(l)[:, b] by Phi(l-1)[:, a]; every later
   layer multiplies by Lambda (entrywise) and then by the next weight matrix. */
static int path_matrix(khk_t *T, lmoc_ctx_t *c)
{
    long col = 0;
    T->np = 0;
    for (long l = 1; l <= T->H + 1 && !c->rc; l++) {
        long w;
        if (!lmoc_entries(&w, c, LMOC_V, T->d[l - 1], T->d[l], "the weights") &&
            __builtin_add_overflow(T->np, w, &T->np))
            lmoc_fail(c, LMOC_ELIMIT, LMOC_V, "the weights: too many parameters");
    }
    if (c->rc || lmoc_mat_init(&T->A, c, LMOC_V, T->n, T->np, "the path matrix [D D_1(H+1)]"))
        return c->rc;
    for (long l = 1; l <= T->H + 1; l++)
        for (long b = 0; b < T->d[l]; b++)        /* vec(W(l)) is column-major */
            for (long a = 0; a < T->d[l - 1]; a++, col++) {
                lmoc_mat_t dP, next;
                if (lmoc_mat_init(&dP, c, LMOC_V, T->m, T->d[l], "a column of the path matrix"))
                    return c->rc;
                for (long i = 0; i < T->m; i++) mpq_set(LMOC_E(&dP, i, b), LMOC_E(&T->Phi[l - 1], i, a));
                for (long k = l; k <= T->H; k++) { /* dPhi(k) = Lambda(k) o dG(k); dG(k+1) = dPhi(k) W(k+1) */
                    for (long e = 0; e < dP.rows * dP.cols; e++) mpq_mul(dP.e[e], dP.e[e], T->Lam[k - 1].e[e]);
                    int rc = lmoc_mul(&next, c, &dP, 0, &T->W[k], 0);
                    lmoc_mat_clear(&dP);
                    if (rc) return c->rc;
                    dP = next;
                }
                for (long j = 0; j < T->dy; j++) /* dP = d Yhat, m x dy */
                    for (long i = 0; i < T->m; i++) mpq_swap(LMOC_E(&T->A, j * T->m + i, col), LMOC_E(&dP, i, j));
                lmoc_mat_clear(&dP);
            }
    return c->rc;
}

/* The least-squares certificates of the part "projection": for each prefix b = 1..nb of the
   blocks of A, c_b with A_b^T (y - A_b c_b) = 0; rr[b] = ||r_b||^2 (rr[0] = ||y||^2). */
static int projections(mpq_t *rr, khk_t *T, lmoc_ctx_t *c, const lmoc_json_t *pj, long nb,
                       const char *cn)
{
    char f[220];
    lmoc_mat_t cb = LMOC_MAT_NONE, r = LMOC_MAT_NONE;
    mpq_t t;
    long b = 0, width = 0;
    if (!pj || pj->type != LMOC_J_ARR || (long)pj->n != nb)
        return lmoc_fail(c, LMOC_REJECT, LMOC_C, "%sprojection: expected %ld coefficient vectors, "
                         "one per prefix of the blocks D_k(l)", cn, nb);
    if (lmoc_mat_init(&r, c, LMOC_C, T->n, 1, "a residual")) return c->rc;
    mpq_init(t);
    for (long i = 0; i < T->n; i++) /* r_0 = y = vec(Y), column-major */
        mpq_set(r.e[i], LMOC_E(&T->Y, i % T->m, i / T->m));
    half_norm2(rr[0], &r), mpq_mul_2exp(rr[0], rr[0], 1);
    for (long l = 1; l <= T->H + 1 && !c->rc; l++)
        for (long k = 0; k < (l <= T->H ? T->d[l] : 1) && !c->rc; k++) {
            width += l <= T->H ? T->d[l - 1] : T->np - width; /* the prefix ends here */
            snprintf(f, sizeof f, "%sprojection[%ld]", cn, b);
            if (lmoc_vector(&cb, c, LMOC_C, &pj->kid[b], width, f)) break;
            for (long i = 0; i < T->n; i++) { /* r = y - A_b c_b */
                mpq_set(r.e[i], LMOC_E(&T->Y, i % T->m, i / T->m));
                for (long j = 0; j < width; j++)
                    mpq_mul(t, LMOC_E(&T->A, i, j), cb.e[j]), mpq_sub(r.e[i], r.e[i], t);
            }
            for (long j = 0; j < width && !c->rc; j++) { /* A_b^T r = 0 */
                mpq_t s;
                mpq_init(s);
                for (long i = 0; i < T->n; i++) mpq_mul(t, LMOC_E(&T->A, i, j), r.e[i]), mpq_add(s, s, t);
                if (mpq_sgn(s))
                    lmoc_fail(c, LMOC_REJECT, LMOC_C, "%s: A_b^T (y - A_b c) is not 0 in entry %ld: "
                              "A_b c is not the projection of vec(Y) onto range(A_b)", f, j);
                mpq_clear(s);
            }
            half_norm2(rr[++b], &r), mpq_mul_2exp(rr[b], rr[b], 1);
            lmoc_mat_clear(&cb);
        }
    lmoc_mat_clear(&cb), lmoc_mat_clear(&r);
    mpq_clear(t);
    return c->rc;
}

/* Definition 1, the largest sets top down: S(H+1) = every output; unit k of hidden layer l
   is in S(l) when it acts linearly on X (Phi(l)[:, k] = G(l)[:, k], condition ii) and, for
   l <= H-1, sends no non-zero weight to a unit of layer l+1 outside S(l+1) (iii). in[l][k]
   marks S(l) (l = 1..H+1); size[l] = |S(l)|. */
static int separated(int **in, long *size, khk_t *T, lmoc_ctx_t *c)
{
    for (long l = T->H + 1; l >= 1 && !c->rc; l--) {
        if (!(in[l] = lmoc_alloc(c, LMOC_V, (size_t)T->d[l], sizeof **in, "Definition 1")))
            break;
        size[l] = 0;
        for (long k = 0; k < T->d[l]; k++) {
            int lin = 1;
            for (long i = 0; l <= T->H && i < T->m && lin; i++)
                lin = mpq_equal(LMOC_E(&T->Phi[l], i, k), LMOC_E(&T->G[l - 1], i, k));
            for (long j = 0; l <= T->H - 1 && j < T->d[l + 1] && lin; j++)
                lin = in[l + 1][j] || !mpq_sgn(LMOC_E(&T->W[l], k, j));
            size[l] += in[l][k] = lin;
        }
    }
    return c->rc;
}

typedef struct {
    khk_t *T;
    int critical, have_proj, **in;
    long nb, rank, *size;       /* rank: -1 without the part path_rank */
    mpq_t *rr, J;               /* rr[b] = ||r_b||^2, b = 0..nb; J = rr[nb] / 2 */
} khk_facts_t;

static int m_differentiable(lmoc_ctx_t *c, const lmoc_json_t *val, const char *name, void *st)
{
    return lmoc_claim_bool(c, val, name, !((khk_facts_t *)st)->T->kink[0]);
}

static int m_kink(lmoc_ctx_t *c, const lmoc_json_t *val, const char *name, void *st)
{
    static const char *const keys[] = {"layer", "unit", "sample", NULL};
    const long *kink = ((khk_facts_t *)st)->T->kink;
    char f[220];
    if (!kink[0] || val->type == LMOC_J_NULL) /* null: no kink */
        return val->type == LMOC_J_NULL && !kink[0] ? 0 : lmoc_fail(c, LMOC_REJECT, LMOC_V,
               "%s: the checker finds %s", name, kink[0] ? "a kink" : "no kink (differentiable)");
    if (lmoc_known(c, LMOC_V, val, name, keys)) return c->rc;
    for (int i = 0; i < 3 && !c->rc; i++)
        lmoc_claim_int(c, lmoc_json_get(val, keys[i]), (snprintf(f, sizeof f, "%s.%s", name,
                       keys[i]), f), kink[i]);
    return c->rc;
}

static int m_critical(lmoc_ctx_t *c, const lmoc_json_t *val, const char *name, void *st)
{
    khk_facts_t *F = st;
    if (F->T->kink[0]) /* not differentiable: no gradient, the claim must be null */
        return val->type == LMOC_J_NULL ? 0 : lmoc_fail(c, LMOC_REJECT, LMOC_V, "%s: the point "
               "is not differentiable, so criticality is null", name);
    return lmoc_claim_bool(c, val, name, F->critical);
}

static int m_loss(lmoc_ctx_t *c, const lmoc_json_t *val, const char *name, void *st)
{
    return lmoc_claim_num(c, val, name, ((khk_facts_t *)st)->T->loss);
}

static int m_patterns(lmoc_ctx_t *c, const lmoc_json_t *val, const char *name, void *st)
{
    khk_t *T = ((khk_facts_t *)st)->T;
    char f[220];
    if (val->type != LMOC_J_ARR || (long)val->n != T->H)
        return lmoc_fail(c, LMOC_REJECT, LMOC_V, "%s: expected %ld matrices Lambda(l)", name, T->H);
    for (long l = 0; l < T->H && !c->rc; l++)
        lmoc_claim_matrix(c, &val->kid[l], (snprintf(f, sizeof f, "%s[%ld]", name, l), f),
                          &T->Lam[l]);
    return c->rc;
}

static int m_J(lmoc_ctx_t *c, const lmoc_json_t *val, const char *name, void *st)
{
    khk_facts_t *F = st;
    if (lmoc_need_part(c, F->have_proj, name, "projection")) return c->rc;
    return lmoc_claim_num(c, val, name, F->J);
}

static int m_gap(lmoc_ctx_t *c, const lmoc_json_t *val, const char *name, void *st)
{
    khk_facts_t *F = st;
    mpq_t g;
    if (lmoc_need_part(c, F->have_proj, name, "projection")) return c->rc;
    mpq_init(g);
    mpq_sub(g, F->T->loss, F->J);
    lmoc_claim_num(c, val, name, g);
    mpq_clear(g);
    return c->rc;
}

/* terms[l-1][k-1] = 1/2 ||P[N_k(l) D_k(l)] vec Y||^2 = (rr[b-1] - rr[b]) / 2 (lsq_prefix_term) */
static int m_terms(lmoc_ctx_t *c, const lmoc_json_t *val, const char *name, void *st)
{
    khk_facts_t *F = st;
    khk_t *T = F->T;
    char f[220];
    mpq_t t;
    if (lmoc_need_part(c, F->have_proj, name, "projection")) return c->rc;
    if (val->type != LMOC_J_ARR || (long)val->n != T->H + 1)
        return lmoc_fail(c, LMOC_REJECT, LMOC_V, "%s: expected %ld lists, one per layer", name,
                         T->H + 1);
    mpq_init(t);
    for (long l = 1, b = 1; l <= T->H + 1 && !c->rc; l++) {
        const lmoc_json_t *row = &val->kid[l - 1];
        long nk = l <= T->H ? T->d[l] : 1;
        if (row->type != LMOC_J_ARR || (long)row->n != nk) {
            lmoc_fail(c, LMOC_REJECT, LMOC_V, "%s[%ld]: expected %ld terms", name, l - 1, nk);
            break;
        }
        for (long k = 0; k < nk && !c->rc; k++, b++) {
            mpq_sub(t, F->rr[b - 1], F->rr[b]), mpq_div_2exp(t, t, 1);
            lmoc_claim_num(c, &row->kid[k], (snprintf(f, sizeof f, "%s[%ld][%ld]", name, l - 1,
                           k), f), t);
        }
    }
    mpq_clear(t);
    return c->rc;
}

static int m_path_rank(lmoc_ctx_t *c, const lmoc_json_t *val, const char *name, void *st)
{
    return lmoc_claim_part_int(c, val, name, ((khk_facts_t *)st)->rank, "path_rank");
}

/* weakly_separated {sets: S(1..H) as ascending 1-based units, n_max: n_max(0..H)} */
static int m_separated(lmoc_ctx_t *c, const lmoc_json_t *val, const char *name, void *st)
{
    static const char *const keys[] = {"sets", "n_max", NULL};
    khk_facts_t *F = st;
    khk_t *T = F->T;
    const lmoc_json_t *sets = lmoc_json_get(val, "sets"), *nm = lmoc_json_get(val, "n_max");
    char f[220];
    long n = 0;
    if (lmoc_known(c, LMOC_V, val, name, keys)) return c->rc;
    if (!sets || sets->type != LMOC_J_ARR || (long)sets->n != T->H || !nm ||
        nm->type != LMOC_J_ARR || (long)nm->n != T->H + 1)
        return lmoc_fail(c, LMOC_REJECT, LMOC_V, "%s: expected sets (%ld lists) and n_max (%ld "
                         "integers)", name, T->H, T->H + 1);
    for (long l = 1; l <= T->H && !c->rc; l++) {
        const lmoc_json_t *s = &sets->kid[l - 1];
        long j = 0;
        if (s->type != LMOC_J_ARR || (long)s->n != F->size[l]) {
            lmoc_fail(c, LMOC_REJECT, LMOC_V, "%s.sets[%ld]: the largest S(%ld) has %ld units",
                      name, l - 1, l, F->size[l]);
            break;
        }
        for (long k = 0; k < T->d[l] && !c->rc; k++)
            if (F->in[l][k])
                lmoc_claim_int(c, &s->kid[j], (snprintf(f, sizeof f, "%s.sets[%ld][%ld]", name,
                               l - 1, j), f), k + 1), j++;
    }
    for (long t = T->H; t >= 0 && !c->rc; t--) { /* n_max(t) = min over l = t+1..H+1 of |S(l)| */
        n = t == T->H || F->size[t + 1] < n ? F->size[t + 1] : n;
        lmoc_claim_int(c, &nm->kid[t], (snprintf(f, sizeof f, "%s.n_max[%ld]", name, t), f), n);
    }
    return c->rc;
}

static const lmoc_member_t khk_members[] = {
    {"differentiable", m_differentiable}, {"kink", m_kink}, {"critical", m_critical},
    {"loss", m_loss}, {"patterns", m_patterns}, {"J", m_J}, {"loss_minus_J", m_gap},
    {"terms", m_terms}, {"path_rank", m_path_rank}, {"weakly_separated", m_separated},
    {NULL, NULL}};

int lmoc_check_khk(lmoc_ctx_t *c, const lmoc_json_t *cert, const char *cn,
                   const lmoc_json_t *vec, char *what, size_t wlen)
{
    static const char *const keys[] = {"format", "claim", "vector", "n_params", "theta_order",
                                       "projection", "path_rank", NULL};
    const lmoc_json_t *pj = lmoc_json_get(cert, "projection"), *rk = lmoc_json_get(cert, "path_rank"),
                      *to = lmoc_json_get(cert, "theta_order");
    khk_t T;
    khk_facts_t F;
    lmoc_mat_t g = LMOC_MAT_NONE;
    long np = -1;
    char f[220];
    memset(&T, 0, sizeof T), memset(&F, 0, sizeof F);
    mpq_init(T.loss), mpq_init(F.J);
    F.T = &T, F.rank = -1, T.H = -1;
    lmoc_known(c, LMOC_C, cert, *cn ? "certificate" : "", keys);
    khk_read(&T, c, lmoc_json_get(vec, "input"));
    path_matrix(&T, c);
    lmoc_int(&np, c, LMOC_C, lmoc_json_get(cert, "n_params"), T.np, T.np, LMOC_REJECT,
             (snprintf(f, sizeof f, "%sn_params", cn), f));
    if (!c->rc && to && !lmoc_is(to, "vec(W(l)) column-major, l = 1..H+1"))
        lmoc_fail(c, LMOC_REJECT, LMOC_C, "%stheta_order: not the parameter order lmo-check uses "
                  "(vec(W(l)) column-major, l = 1..H+1)", cn);
    if (!c->rc && !T.kink[0] && !lmoc_mul(&g, c, &T.A, 1, &T.res, 0)) { /* A^T (Yhat - Y) */
        F.critical = 1;
        for (long i = 0; i < g.rows; i++) F.critical &= !mpq_sgn(g.e[i]);
    }
    for (long l = 1; !c->rc && l <= T.H; l++) F.nb += T.d[l];
    F.nb++;
    if (!c->rc) F.rr = lmoc_alloc(c, LMOC_C, (size_t)F.nb + 1, sizeof *F.rr, "the residuals");
    for (long b = 0; F.rr && b <= F.nb; b++) mpq_init(F.rr[b]);
    if (!c->rc && pj && !projections(F.rr, &T, c, pj, F.nb, cn)) {
        F.have_proj = 1;
        mpq_div_2exp(F.J, F.rr[F.nb], 1);
    }
    if (!c->rc && rk)
        lmoc_check_rank(&F.rank, c, rk, (snprintf(f, sizeof f, "%spath_rank.", cn), f), &T.A,
                        lmoc_json_get(vec, "id")->s, NULL);
    if (!c->rc) {
        F.in = lmoc_alloc(c, LMOC_V, (size_t)T.H + 2, sizeof *F.in, "Definition 1");
        F.size = lmoc_alloc(c, LMOC_V, (size_t)T.H + 2, sizeof *F.size, "Definition 1");
    }
    if (!c->rc) separated(F.in, F.size, &T, c);
    lmoc_expect(c, lmoc_json_get(vec, "expect"), khk_members, &F);
    snprintf(what, wlen, "khk %s, L%s proven (m = %ld, H = %ld)", T.kink[0] ?
             "not differentiable" : F.critical ? "critical" : "not critical",
             F.have_proj ? ", J and L - J" : "", T.m, T.H);
    for (long l = 0; F.in && l <= T.H + 1; l++) free(F.in[l]);
    free(F.in), free(F.size);
    for (long b = 0; F.rr && b <= F.nb; b++) mpq_clear(F.rr[b]);
    free(F.rr);
    lmoc_mat_clear(&g), mpq_clear(F.J);
    khk_clear(&T);
    return c->rc;
}
