/* mnn.c -- Soudry & Carmon 2016: the checker's own forward pass (3.1)-(3.2) and gradient
 * matrices G_l = Delta_l o V_{l-1} (5.2)-(5.4); claim "witness" (Lemma 8, (B.3)-(B.6):
 * G'_{L-1} = [I]_{1..N}) and claim "bundle" of an mnn vector (rank certificates of G_l, G,
 * A1 o X, A_{L-1} o V_{L-2}, and the members of expect: pattern, error, loss, gradient,
 * Lemma 1's minimiser of (4.2), ...). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lmoc.h"

typedef struct {
    long L, N, ne;          /* ne: how many dropout matrices were read */
    lmoc_mat_t X, y, *W, *E;   /* W[l-1] = W_l (l = 1..L), E[l-1] = E_l (l < L); y: 1 x N */
    lmoc_mat_t *U, *A, *V;  /* U[l], A[l] (l = 1..L-1), V[l] (l = 0..L-1); V[0] = X */
    long zeros;             /* hidden pre-activations u that are exactly 0 */
    mpq_t s;
} net_t;

/* X, slope, weights [W1..WL] (dL = 1), dropout [E1..E(L-1)] (default all ones), and y when
   WITH_Y, of O in document DOC; then the forward pass (3.1): u_l = W_l v_{l-1},
   a_l = eps (u >= 0) or s eps (u < 0), v_l = a_l . u_l, v_0 = x, for l < L. */
static int net_read(net_t *T, lmoc_ctx_t *c, int doc, const lmoc_json_t *o, const char *pre,
                    int with_y)
{
    char f[200];
    long l;
#define FN(key) (snprintf(f, sizeof f, "%s%s", pre, key), f)
    T->L = T->ne = -1;
    lmoc_matrix(&T->X, c, doc, lmoc_json_get(o, "X"), -1, -1, FN("X"));
    /* an mnn input (WITH_Y) may have s = 0, Section 6's plain ReLU; a witness needs s != 0 */
    if (!lmoc_number(T->s, c, doc, lmoc_json_get(o, "slope"), FN("slope")) && !mpq_sgn(T->s) &&
        !with_y)
        lmoc_fail(c, LMOC_EINPUT, doc, "field %s: the slope must not be 0", f);
    lmoc_matrices(&T->W, &T->L, c, doc, lmoc_json_get(o, "weights"), FN("weights"));
    if (lmoc_json_get(o, "dropout"))
        lmoc_matrices(&T->E, &T->ne, c, doc, lmoc_json_get(o, "dropout"), FN("dropout"));
    T->N = T->X.cols;
    if (with_y) lmoc_vector(&T->y, c, doc, lmoc_json_get(o, "y"), T->N, FN("y"));
    if (!c->rc && T->L < 1) lmoc_fail(c, LMOC_EINPUT, doc, "field %sweights: is empty", pre);
    for (l = 0; l < T->L && !c->rc; l++)
        if (T->W[l].cols != (l ? T->W[l - 1].rows : T->X.rows) || T->W[l].rows < 1 ||
            (l == T->L - 1 && T->W[l].rows != 1) || (T->E && (T->ne != T->L - 1 || (l < T->ne &&
            (T->E[l].rows != T->W[l].rows || T->E[l].cols != T->N)))))
            lmoc_fail(c, LMOC_EINPUT, doc, "field %sweights[%ld] or %sdropout[%ld]: shapes do "
                      "not chain from X (d0 x N) to dL = 1", pre, l, pre, l);
    if (c->rc) return c->rc;
    T->U = lmoc_alloc(c, doc, (size_t)T->L, sizeof *T->U, "the forward pass");
    T->A = lmoc_alloc(c, doc, (size_t)T->L, sizeof *T->A, "the forward pass");
    T->V = lmoc_alloc(c, doc, (size_t)T->L, sizeof *T->V, "the forward pass");
    lmoc_mat_copy(&T->V[0], c, &T->X);
    for (T->zeros = 0, l = 1; l < T->L && !c->rc; l++) {
        if (lmoc_mul(&T->U[l], c, &T->W[l - 1], 0, &T->V[l - 1], 0) ||
            lmoc_mat_init(&T->A[l], c, doc, T->U[l].rows, T->N, "the forward pass") ||
            lmoc_mat_init(&T->V[l], c, doc, T->U[l].rows, T->N, "the forward pass"))
            break;
        for (long e = 0; e < T->U[l].rows * T->N; e++) {
            int sg = mpq_sgn(T->U[l].e[e]);
            mpq_t *a = &T->A[l].e[e];
            T->zeros += !sg;
            if (T->E) mpq_set(*a, T->E[l - 1].e[e]); else mpq_set_ui(*a, 1, 1);
            if (sg < 0) mpq_mul(*a, *a, T->s);
            mpq_mul(T->V[l].e[e], T->U[l].e[e], *a);
        }
    }
    return c->rc;
#undef FN
}

static void net_clear(net_t *T)
{
    long k = T->U ? T->L : 0;
    lmoc_mat_clear(&T->X), lmoc_mat_clear(&T->y), lmoc_mats_clear(T->W, T->L > 0 ? T->L : 0);
    lmoc_mats_clear(T->E, T->ne > 0 ? T->ne : 0);
    lmoc_mats_clear(T->U, k), lmoc_mats_clear(T->A, k), lmoc_mats_clear(T->V, k);
    mpq_clear(T->s);
}

/* Delta_l by (5.2): Delta_L = 1, Delta_k = A_k . (W_{k+1}^T Delta_{k+1}); G_l = Delta_l o
   V_{l-1} (5.4). */
static int G_layer(lmoc_mat_t *G, lmoc_ctx_t *c, const net_t *T, long l)
{
    lmoc_mat_t D, Dn;
    *G = (lmoc_mat_t)LMOC_MAT_NONE;
    if (lmoc_mat_init(&D, c, LMOC_V, 1, T->N, "Delta_L")) return c->rc;
    for (long n = 0; n < T->N; n++) mpq_set_ui(D.e[n], 1, 1);
    for (long k = T->L - 1; k >= l && !c->rc; k--) {
        if (lmoc_mul(&Dn, c, &T->W[k], 1, &D, 0)) break;
        for (long e = 0; e < Dn.rows * T->N; e++) mpq_mul(Dn.e[e], Dn.e[e], T->A[k].e[e]);
        lmoc_mat_clear(&D);
        D = Dn;
    }
    lmoc_khatri_rao(G, c, &D, &T->V[l - 1]);
    lmoc_mat_clear(&D);
    return c->rc;
}

/* G = [G_1; ...; G_L] (5.5). */
static int G_all(lmoc_mat_t *G, lmoc_ctx_t *c, const net_t *T)
{
    long rows = 0, r = 0;
    lmoc_mat_t *Gl = lmoc_alloc(c, LMOC_V, (size_t)T->L, sizeof *Gl, "G");
    *G = (lmoc_mat_t)LMOC_MAT_NONE;
    for (long l = 1; Gl && l <= T->L && !G_layer(&Gl[l - 1], c, T, l); l++) rows += Gl[l - 1].rows;
    if (!c->rc && !lmoc_mat_init(G, c, LMOC_V, rows, T->N, "G"))
        for (long l = 0; l < T->L; r += Gl[l++].rows * T->N)
            for (long e = 0; e < Gl[l].rows * T->N; e++) mpq_swap(G->e[r + e], Gl[l].e[e]);
    lmoc_mats_clear(Gl, Gl ? T->L : 0);
    return c->rc;
}

/* ---- claim "witness" ---- */

typedef struct {
    const net_t *T;
    lmoc_mat_t *Ac;
    long nA;
} witness_facts_t;

static int w_true(lmoc_ctx_t *c, const lmoc_json_t *val, const char *name, void *st)
{
    (void)st; /* G_identity, differentiable, activations_match, full_column_rank: all proven */
    return lmoc_claim_bool(c, val, name, 1);
}

static int w_rank(lmoc_ctx_t *c, const lmoc_json_t *val, const char *name, void *st)
{
    return lmoc_claim_int(c, val, name, ((witness_facts_t *)st)->T->N);
}

static int w_layer(lmoc_ctx_t *c, const lmoc_json_t *val, const char *name, void *st)
{
    return lmoc_claim_int(c, val, name, ((witness_facts_t *)st)->T->L - 1);
}

/* expect.witness: the parameters, equal to the certificate's */
static int w_params(lmoc_ctx_t *c, const lmoc_json_t *val, const char *name, void *st)
{
    static const char *const keys[] = {"X", "weights", "dropout", "slope", "activations", NULL};
    witness_facts_t *F = st;
    const net_t *T = F->T;
    const lmoc_mat_t *mats[3] = {T->W, T->E, F->Ac};
    long counts[3] = {T->L, T->ne, F->nA};
    char f[220];
    if (val->type != LMOC_J_OBJ)
        return lmoc_fail(c, LMOC_EINPUT, LMOC_V, "field %s: expected an object", name);
    lmoc_known(c, LMOC_V, val, name, keys);
    snprintf(f, sizeof f, "%s.X", name);
    lmoc_claim_matrix(c, lmoc_json_get(val, "X"), f, &T->X);
    snprintf(f, sizeof f, "%s.slope", name);
    lmoc_claim_num(c, lmoc_json_get(val, "slope"), f, T->s);
    for (int i = 1; i < 5 && !c->rc; i++) {
        const lmoc_json_t *a = lmoc_json_get(val, keys[i]);
        if (i == 3) continue;
        snprintf(f, sizeof f, "%s.%s", name, keys[i]);
        if (!a || a->type != LMOC_J_ARR || (long)a->n != counts[i - 1 - (i > 3)])
            lmoc_fail(c, LMOC_REJECT, LMOC_V, "%s is not the certificate's list of %ld matrices",
                      f, counts[i - 1 - (i > 3)]);
        for (long k = 0; !c->rc && k < counts[i - 1 - (i > 3)]; k++) {
            snprintf(f, sizeof f, "%s.%s[%ld]", name, keys[i], k);
            lmoc_claim_matrix(c, &a->kid[k], f, &mats[i - 1 - (i > 3)][k]);
        }
    }
    return c->rc;
}

static const lmoc_member_t witness_members[] = {
    {"G_identity", w_true}, {"differentiable", w_true}, {"activations_match", w_true},
    {"full_column_rank", w_true}, {"rank", w_rank}, {"layer", w_layer}, {"witness", w_params},
    {NULL, NULL}};

int lmoc_check_witness(lmoc_ctx_t *c, const lmoc_json_t *cert, const char *cn,
                       const lmoc_json_t *vec, char *what, size_t wlen)
{
    static const char *const keys[] = {"format", "claim", "vector", "widths", "N", "layer",
                                       "slope", "X", "weights", "dropout", "activations", "rank",
                                       NULL};
    static const char *const in_keys[] = {"widths", "N", NULL};
    const lmoc_json_t *in = lmoc_json_get(vec, "input"), *w;
    const char *key[4] = {"widths", "N", "layer", "rank"};
    net_t T;
    witness_facts_t F = {&T, NULL, 0};
    lmoc_mat_t G = LMOC_MAT_NONE;
    long L, N, v;
    char f[200];
    memset(&T, 0, sizeof T);
    mpq_init(T.s);
    snprintf(f, sizeof f, "%s", *cn ? "certificate" : "");
    lmoc_known(c, LMOC_C, cert, f, keys);
    if (vec) lmoc_known(c, LMOC_V, in, "input", in_keys);
    net_read(&T, c, LMOC_C, cert, cn, 0);
    /* an mnn input may omit dropout (all ones); a witness certificate carries its whole
       network (lmo-cert-1.md), so a missing one is malformed, not "ones" */
    if (!c->rc && !lmoc_json_get(cert, "dropout"))
        lmoc_fail(c, LMOC_EINPUT, LMOC_C, "field %sdropout: missing", cn);
    L = T.L, N = T.N, F.nA = L - 1;
    if (!c->rc && L < 2) lmoc_fail(c, LMOC_REJECT, LMOC_C, "a witness needs L >= 2 layers");
    /* the certificate's widths, N, layer, rank; then the vector's widths and N, which a
       witness vector must state (its input has no layer or rank) */
    for (int i = 0; i < (vec ? 8 : 4) && !c->rc; i++) {
        int doc = i < 4 ? LMOC_C : LMOC_V;
        long want = i % 4 == 2 ? L - 1 : N;
        snprintf(f, sizeof f, "%s%s", i < 4 ? cn : "input.", key[i % 4]);
        if (!(w = lmoc_json_get(i < 4 ? cert : in, key[i % 4])) && i >= 6) continue;
        if (i % 4) lmoc_int(&v, c, doc, w, want, want, LMOC_REJECT, f);
        if (!(i % 4) && (!w || w->type != LMOC_J_ARR || (long)w->n != L + 1))
            lmoc_fail(c, LMOC_REJECT, doc, "%s is not the network's [d0, ..., dL]", f);
        for (long l = 0; !(i % 4) && l <= L && !c->rc; l++) { /* widths = the shapes of W */
            long d = l ? T.W[l - 1].rows : T.X.rows;
            snprintf(f, sizeof f, "%s%s[%ld]", i < 4 ? cn : "input.", key[i % 4], l);
            lmoc_int(&v, c, doc, &w->kid[l], d, d, LMOC_REJECT, f);
        }
    }
    if (!c->rc && (N < 1 || N > T.W[L - 2].cols * T.W[L - 2].rows))
        lmoc_fail(c, LMOC_REJECT, LMOC_C, "%sN = %ld is not in [1, d_{L-2} d_{L-1}]", cn, N);
    snprintf(f, sizeof f, "%sactivations", cn);
    lmoc_matrices(&F.Ac, &F.nA, c, LMOC_C, lmoc_json_get(cert, "activations"), f);
    if (!c->rc && T.zeros)
        lmoc_fail(c, LMOC_REJECT, LMOC_C, "%ld hidden pre-activations u are 0: not interior",
                  T.zeros);
    for (long l = 1; l < L && !c->rc; l++)
        if (!lmoc_mat_eq(&T.A[l], &F.Ac[l - 1]))
            lmoc_fail(c, LMOC_REJECT, LMOC_C, "%s[%ld] is not the forward pass's a_%ld", f, l - 1,
                      l);
    if (!c->rc && !G_layer(&G, c, &T, L - 1))
        for (long i = 0; i < G.rows * N && !c->rc; i++) /* G'_{L-1} == [I]_{1..N} */
            if (mpq_cmp_ui(G.e[i], i / N == i % N, 1))
                lmoc_fail(c, LMOC_REJECT, LMOC_C, "G'_{L-1}[%ld][%ld] is not %d: (B.6) fails",
                          i / N, i % N, i / N == i % N);
    lmoc_expect(c, lmoc_json_get(vec, "expect"), witness_members, &F);
    snprintf(what, wlen, "witness: rank G'_{L-1} = N = %ld proven (L = %ld)", N, L);
    lmoc_mats_clear(F.Ac, F.Ac ? F.nA : 0), lmoc_mat_clear(&G), net_clear(&T);
    return c->rc;
}

/* ---- claim "bundle" of an mnn vector ---- */

typedef struct {
    net_t T;
    long layer;                 /* input.layer, 0 when absent */
    long *rank_l, rank_all, rank_a1x, rank_thm5;   /* proven ranks; -1: no bundle member */
    lmoc_mat_t G, e, grad;      /* G (5.5), e = v_L - y, (1/N) G e */
    mpq_t mse;
} mnn_facts_t;

/* The matrix a bundle member names: G_l, G, A1 o X, A_{L-1} o V_{L-2}. */
static int named(lmoc_mat_t *M, long **slot, lmoc_ctx_t *c, mnn_facts_t *F, const char *name)
{
    const net_t *T = &F->T;
    long l = 0;
    int k = 0;
    *M = (lmoc_mat_t)LMOC_MAT_NONE;
    if ((!strcmp(name, "A1 o X") || !strcmp(name, "A_{L-1} o V_{L-2}")) && T->L >= 2) {
        l = name[1] == '1' ? 1 : T->L - 1;
        *slot = l == 1 && name[1] == '1' ? &F->rank_a1x : &F->rank_thm5;
        return lmoc_khatri_rao(M, c, &T->A[l], &T->V[l - 1]);
    }
    if (!strcmp(name, "G")) return *slot = &F->rank_all, lmoc_mat_copy(M, c, &F->G);
    if (name[0] == 'G' && name[1] == '_' && name[2] >= '1' && name[2] <= '9' &&
        sscanf(name, "G_%ld%n", &l, &k) == 1 && !name[k] && l <= T->L) /* canonical G_l */
        return *slot = &F->rank_l[l - 1], G_layer(M, c, T, l);
    return lmoc_fail(c, LMOC_REJECT, LMOC_C, "a bundle member is about \"%.60s\", not a matrix "
                     "of this network", name);
}

static int need_rank(lmoc_ctx_t *c, long r, const char *name, const char *member)
{
    if (r < 0)
        lmoc_fail(c, LMOC_REJECT, LMOC_V, "%s: not verifiable without the bundle member \"%s\"",
                  name, member);
    return c->rc;
}

static int m_pattern(lmoc_ctx_t *c, const lmoc_json_t *val, const char *name, void *st)
{
    const net_t *T = &((mnn_facts_t *)st)->T;
    if (val->type != LMOC_J_ARR || (long)val->n != T->L - 1)
        return lmoc_fail(c, LMOC_EINPUT, LMOC_V, "field %s: expected one list per hidden layer",
                         name);
    for (long l = 1; l < T->L && !c->rc; l++) {
        const lmoc_json_t *lay = &val->kid[l - 1];
        if (lay->type != LMOC_J_ARR || (long)lay->n != T->U[l].rows)
            lmoc_fail(c, LMOC_EINPUT, LMOC_V, "field %s[%ld]: expected %ld strings", name, l - 1,
                      T->U[l].rows);
        for (long i = 0; i < T->U[l].rows && !c->rc; i++) {
            const lmoc_json_t *s = &lay->kid[i];
            if (s->type != LMOC_J_STR || (long)s->len != T->N)
                lmoc_fail(c, LMOC_EINPUT, LMOC_V, "field %s[%ld][%ld]: expected a string of %ld "
                          "signs", name, l - 1, i, T->N);
            for (long n = 0; n < T->N && !c->rc; n++) { /* '+' u > 0, '0' u = 0, '-' u < 0 */
                int sg = mpq_sgn(LMOC_E(&T->U[l], i, n));
                if (s->s[n] != (sg > 0 ? '+' : sg < 0 ? '-' : '0'))
                    lmoc_fail(c, LMOC_REJECT, LMOC_V, "%s[%ld][%ld][%ld] is not the sign of "
                              "u_{%ld,%ld}^(%ld)", name, l - 1, i, n, i + 1, l, n + 1);
            }
        }
    }
    return c->rc;
}

/* No hidden u = 0; or w = 0 with L >= 3 (Soudry-Carmon Section 5): v_L is then a product of
 * L >= 3 zero weight layers, the MSE const + O(|w|^3), differentiable with gradient 0. */
static int m_differentiable(lmoc_ctx_t *c, const lmoc_json_t *val, const char *name, void *st)
{
    const net_t *T = &((mnn_facts_t *)st)->T;
    int zero_w = T->L >= 3;
    for (long l = 0; l < T->L && zero_w; l++)
        for (long k = 0; k < T->W[l].rows * T->W[l].cols && zero_w; k++)
            zero_w = mpq_sgn(T->W[l].e[k]) == 0;
    return lmoc_claim_bool(c, val, name, T->zeros == 0 || zero_w);
}

static int m_zeros(lmoc_ctx_t *c, const lmoc_json_t *val, const char *name, void *st)
{
    static const char *const keys[] = {"l", "i", "n", NULL};
    const net_t *T = &((mnn_facts_t *)st)->T;
    size_t z = 0;
    char f[220];
    if (val->type != LMOC_J_ARR || (long)val->n != T->zeros)
        return lmoc_fail(c, LMOC_REJECT, LMOC_V, "%s does not list the %ld zero pre-activations",
                         name, T->zeros);
    for (long l = 1; l < T->L && !c->rc; l++) /* in the order l, i, n, 1-based */
        for (long e = 0; e < T->U[l].rows * T->N && !c->rc; e++) {
            if (mpq_sgn(T->U[l].e[e])) continue;
            long want[3] = {l, e / T->N + 1, e % T->N + 1};
            snprintf(f, sizeof f, "%s[%zu]", name, z);
            lmoc_known(c, LMOC_V, &val->kid[z], f, keys);
            for (int k = 0; k < 3 && !c->rc; k++) {
                snprintf(f, sizeof f, "%s[%zu].%s", name, z, keys[k]);
                lmoc_claim_int(c, lmoc_json_get(&val->kid[z], keys[k]), f, want[k]);
            }
            z++;
        }
    return c->rc;
}

static int m_loss(lmoc_ctx_t *c, const lmoc_json_t *val, const char *name, void *st)
{
    return lmoc_claim_num(c, val, name, ((mnn_facts_t *)st)->mse);
}

static int m_error(lmoc_ctx_t *c, const lmoc_json_t *val, const char *name, void *st)
{
    return lmoc_claim_nums(c, val, name, &((mnn_facts_t *)st)->e);
}

static int m_gradient(lmoc_ctx_t *c, const lmoc_json_t *val, const char *name, void *st)
{
    return lmoc_claim_nums(c, val, name, &((mnn_facts_t *)st)->grad);
}

static int m_critical(lmoc_ctx_t *c, const lmoc_json_t *val, const char *name, void *st)
{
    const lmoc_mat_t *g = &((mnn_facts_t *)st)->grad;
    long i = 0;
    while (i < g->rows * g->cols && !mpq_sgn(g->e[i])) i++;
    return lmoc_claim_bool(c, val, name, i == g->rows * g->cols);
}

/* The Hessian of each output v_L^(n) under the fixed pattern has a zero diagonal: v_L is
   affine in every single weight (each weight sits in one W_l, and v_L is linear in W_l), so
   tr E[e Lambda] of (5.7) is 0 at every point. */
static int m_trace(lmoc_ctx_t *c, const lmoc_json_t *val, const char *name, void *st)
{
    mpq_t z;
    (void)st;
    mpq_init(z);
    lmoc_claim_num(c, val, name, z);
    mpq_clear(z);
    return c->rc;
}

static int m_rank_G(lmoc_ctx_t *c, const lmoc_json_t *val, const char *name, void *st)
{
    mnn_facts_t *F = st;
    char f[220], member[32];
    if (val->type != LMOC_J_ARR || (long)val->n != F->T.L)
        return lmoc_fail(c, LMOC_EINPUT, LMOC_V, "field %s: expected %ld ranks", name, F->T.L);
    for (long l = 0; l < F->T.L && !c->rc; l++) {
        snprintf(f, sizeof f, "%s[%ld]", name, l);
        snprintf(member, sizeof member, "G_%ld", l + 1);
        if (!need_rank(c, F->rank_l[l], f, member)) lmoc_claim_int(c, &val->kid[l], f, F->rank_l[l]);
    }
    return c->rc;
}

static int m_rank_all(lmoc_ctx_t *c, const lmoc_json_t *val, const char *name, void *st)
{
    mnn_facts_t *F = st;
    if (need_rank(c, F->rank_all, name, "G")) return c->rc;
    return lmoc_claim_int(c, val, name, F->rank_all);
}

/* {"rank", "full_column_rank"} of a bundle member with N columns */
static int rank_obj(lmoc_ctx_t *c, const lmoc_json_t *val, const char *name, long r, long N,
                    const char *member)
{
    static const char *const keys[] = {"rank", "full_column_rank", NULL};
    char f[220];
    if (need_rank(c, r, name, member)) return c->rc;
    if (val->type != LMOC_J_OBJ)
        return lmoc_fail(c, LMOC_EINPUT, LMOC_V, "field %s: expected an object", name);
    lmoc_known(c, LMOC_V, val, name, keys);
    snprintf(f, sizeof f, "%s.rank", name);
    lmoc_claim_int(c, lmoc_json_get(val, "rank"), f, r);
    snprintf(f, sizeof f, "%s.full_column_rank", name);
    lmoc_claim_bool(c, lmoc_json_get(val, "full_column_rank"), f, r == N);
    return c->rc;
}

static int m_rank_a1x(lmoc_ctx_t *c, const lmoc_json_t *val, const char *name, void *st)
{
    mnn_facts_t *F = st;
    return rank_obj(c, val, name, F->rank_a1x, F->T.N, "A1 o X");
}

static int m_rank_thm5(lmoc_ctx_t *c, const lmoc_json_t *val, const char *name, void *st)
{
    mnn_facts_t *F = st;
    return rank_obj(c, val, name, F->rank_thm5, F->T.N, "A_{L-1} o V_{L-2}");
}

static int m_layer(lmoc_ctx_t *c, const lmoc_json_t *val, const char *name, void *st)
{
    mnn_facts_t *F = st;
    if (!F->layer)
        return lmoc_fail(c, LMOC_REJECT, LMOC_V, "%s is claimed, but the input has no layer",
                         name);
    return lmoc_claim_int(c, val, name, F->layer);
}

static int layer_rank(lmoc_ctx_t *c, mnn_facts_t *F, const char *name, long *r)
{
    char member[32];
    if (!F->layer)
        return lmoc_fail(c, LMOC_REJECT, LMOC_V, "%s is claimed, but the input has no layer",
                         name);
    snprintf(member, sizeof member, "G_%ld", F->layer);
    *r = F->rank_l[F->layer - 1];
    return need_rank(c, *r, name, member);
}

static int m_rank_layer(lmoc_ctx_t *c, const lmoc_json_t *val, const char *name, void *st)
{
    long r = -1;
    if (layer_rank(c, st, name, &r)) return c->rc;
    return lmoc_claim_int(c, val, name, r);
}

static int m_full_layer(lmoc_ctx_t *c, const lmoc_json_t *val, const char *name, void *st)
{
    long r = -1;
    if (layer_rank(c, st, name, &r)) return c->rc;
    return lmoc_claim_bool(c, val, name, r == ((mnn_facts_t *)st)->T.N);
}

/* (A1 o X) e = 0, eq. (4.5), L = 2 */
static int a1x_times(lmoc_mat_t *out, lmoc_ctx_t *c, const mnn_facts_t *F, const lmoc_mat_t *v)
{
    lmoc_mat_t G = LMOC_MAT_NONE;
    *out = (lmoc_mat_t)LMOC_MAT_NONE;
    if (F->T.L != 2)
        return lmoc_fail(c, LMOC_REJECT, LMOC_V, "A1 o X is claimed about, but L = %ld != 2",
                         F->T.L);
    if (!lmoc_khatri_rao(&G, c, &F->T.A[1], &F->T.X)) lmoc_mul(out, c, &G, 0, v, 1);
    lmoc_mat_clear(&G);
    return c->rc;
}

static int m_critical_tilde(lmoc_ctx_t *c, const lmoc_json_t *val, const char *name, void *st)
{
    lmoc_mat_t P;
    long i = 0;
    if (a1x_times(&P, c, st, &((mnn_facts_t *)st)->e)) return c->rc;
    while (i < P.rows && !mpq_sgn(P.e[i])) i++;
    lmoc_claim_bool(c, val, name, i == P.rows);
    lmoc_mat_clear(&P);
    return c->rc;
}

/* Lemma 1 (L = 2): W_tilde minimises (4.2), the MSE of sum_ij a_i W~_ij x_j under the fixed
   pattern, iff the residual r = (A1 o X)^T vec(W~) - y satisfies the normal equations
   (A1 o X) r = 0 (a convex quadratic); its MSE is |r|^2 / (2N). */
static int m_lemma1(lmoc_ctx_t *c, const lmoc_json_t *val, const char *name, void *st)
{
    static const char *const keys[] = {"W_tilde", "mse", NULL};
    mnn_facts_t *F = st;
    lmoc_mat_t W = LMOC_MAT_NONE, G = LMOC_MAT_NONE, r = LMOC_MAT_NONE, P = LMOC_MAT_NONE;
    char f[220];
    mpq_t m, t;
    mpq_inits(m, t, NULL);
    if (val->type != LMOC_J_OBJ)
        lmoc_fail(c, LMOC_EINPUT, LMOC_V, "field %s: expected an object", name);
    lmoc_known(c, LMOC_V, val, name, keys);
    snprintf(f, sizeof f, "%s.W_tilde", name);
    if (!c->rc && F->T.L != 2)
        lmoc_fail(c, LMOC_REJECT, LMOC_V, "%s: Lemma 1 is about L = 2", name);
    if (!lmoc_matrix(&W, c, LMOC_V, lmoc_json_get(val, "W_tilde"), F->T.W[0].rows, F->T.X.rows, f)
        && !lmoc_khatri_rao(&G, c, &F->T.A[1], &F->T.X)) {
        W.rows = 1, W.cols = G.rows; /* vec(W~), row i*d0 + j: a view */
        if (!lmoc_mul(&r, c, &W, 0, &G, 0)) {
            for (long n = 0; n < F->T.N; n++) mpq_sub(r.e[n], r.e[n], F->T.y.e[n]);
            if (!lmoc_mul(&P, c, &G, 0, &r, 1))
                for (long i = 0; i < P.rows && !c->rc; i++)
                    if (mpq_sgn(P.e[i]))
                        lmoc_fail(c, LMOC_REJECT, LMOC_V, "%s does not minimise (4.2): the "
                                  "normal equations fail in row %ld", f, i);
            for (long n = 0; n < F->T.N; n++) mpq_mul(t, r.e[n], r.e[n]), mpq_add(m, m, t);
            mpq_set_si(t, 2 * F->T.N, 1), mpq_div(m, m, t);
            snprintf(f, sizeof f, "%s.mse", name);
            lmoc_claim_num(c, lmoc_json_get(val, "mse"), f, m);
        }
        W.rows = F->T.W[0].rows, W.cols = F->T.X.rows;
    }
    lmoc_mat_clear(&W), lmoc_mat_clear(&G), lmoc_mat_clear(&r), lmoc_mat_clear(&P);
    mpq_clears(m, t, NULL);
    return c->rc;
}

static const lmoc_member_t mnn_members[] = {
    {"pattern", m_pattern}, {"differentiable", m_differentiable},
    {"zero_preactivations", m_zeros}, {"loss", m_loss}, {"error", m_error},
    {"rank_G", m_rank_G}, {"rank_G_all", m_rank_all}, {"layer", m_layer},
    {"rank_G_layer", m_rank_layer}, {"full_column_rank", m_full_layer},
    {"critical", m_critical}, {"gradient", m_gradient}, {"trace_ELambda", m_trace},
    {"rank_A1X", m_rank_a1x}, {"critical_tilde", m_critical_tilde},
    {"lemma1_minimiser", m_lemma1}, {"rank_A_Lminus1_o_V_Lminus2", m_rank_thm5},
    {NULL, NULL}};

int lmoc_check_mnn(lmoc_ctx_t *c, const lmoc_json_t *cert, const char *cn,
                   const lmoc_json_t *vec, char *what, size_t wlen)
{
    static const char *const keys[] = {"format", "claim", "vector", "certificates", NULL};
    static const char *const in_keys[] = {"X", "y", "slope", "weights", "dropout", "layer", NULL};
    static const char *const extra[] = {"matrix", NULL};
    const lmoc_json_t *in = lmoc_json_get(vec, "input"), *ms = lmoc_json_get(cert, "certificates");
    mnn_facts_t F;
    lmoc_mat_t M;
    long r = 0, *slot = NULL;
    char f[200];
    memset(&F, 0, sizeof F);
    mpq_inits(F.T.s, F.mse, NULL);
    F.rank_all = F.rank_a1x = F.rank_thm5 = -1;
    snprintf(f, sizeof f, "%s", *cn ? "certificate" : "");
    lmoc_known(c, LMOC_C, cert, f, keys);
    lmoc_known(c, LMOC_V, in, "input", in_keys);
    if (!c->rc && (!ms || ms->type != LMOC_J_OBJ))
        lmoc_fail(c, LMOC_EINPUT, LMOC_C, "field %scertificates: expected an object", cn);
    net_read(&F.T, c, LMOC_V, in, "input.", 1);
    if (lmoc_json_get(in, "layer"))
        lmoc_int(&F.layer, c, LMOC_V, lmoc_json_get(in, "layer"), 1, F.T.L, LMOC_EINPUT,
                 "input.layer");
    if (!c->rc && (F.rank_l = lmoc_alloc(c, LMOC_V, (size_t)F.T.L, sizeof *F.rank_l, "ranks")))
        for (long l = 0; l < F.T.L; l++) F.rank_l[l] = -1;
    /* the output layer (3.2): e = v_L - y, MSE = |e|^2 / (2N); gradient (1/N) G e (5.1) */
    if (!c->rc && !G_all(&F.G, c, &F.T) &&
        !lmoc_mul(&F.e, c, &F.T.W[F.T.L - 1], 0, &F.T.V[F.T.L - 1], 0)) {
        mpq_t t;
        mpq_init(t);
        for (long n = 0; n < F.T.N; n++) {
            mpq_sub(F.e.e[n], F.e.e[n], F.T.y.e[n]);
            mpq_mul(t, F.e.e[n], F.e.e[n]), mpq_add(F.mse, F.mse, t);
        }
        mpq_set_si(t, 2 * F.T.N, 1), mpq_div(F.mse, F.mse, t);
        if (!lmoc_mul(&F.grad, c, &F.G, 0, &F.e, 1))
            for (long i = 0; i < F.grad.rows; i++)
                mpq_set_si(t, F.T.N, 1), mpq_div(F.grad.e[i], F.grad.e[i], t);
        mpq_clear(t);
    }
    for (size_t t = 0; t < (c->rc ? 0 : ms->n) && !c->rc; t++) { /* every member, checked */
        const char *want = ms->kid[t].key;
        M = (lmoc_mat_t)LMOC_MAT_NONE;
        snprintf(f, sizeof f, "%scertificates.%.60s.", cn, want);
        if (!lmoc_is(lmoc_json_get(&ms->kid[t], "matrix"), want))
            lmoc_fail(c, LMOC_REJECT, LMOC_C, "%smatrix is not \"%.60s\"", f, want);
        else if (!named(&M, &slot, c, &F, want))
            lmoc_check_rank(slot, c, &ms->kid[t], f, &M, lmoc_json_get(vec, "id")->s, extra);
        lmoc_mat_clear(&M);
        r++;
    }
    lmoc_expect(c, lmoc_json_get(vec, "expect"), mnn_members, &F);
    snprintf(what, wlen, "bundle of %ld rank certificates and the network's verdicts proven", r);
    net_clear(&F.T), free(F.rank_l);
    lmoc_mat_clear(&F.G), lmoc_mat_clear(&F.e), lmoc_mat_clear(&F.grad), mpq_clear(F.mse);
    return c->rc;
}
