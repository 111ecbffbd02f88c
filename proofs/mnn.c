/* mnn.c -- Soudry & Carmon 2016: the checker's own forward pass (3.1) and gradient matrices
 * G_l = Delta_l o V_{l-1} (5.2)-(5.4); claim "witness" (Lemma 8, (B.3)-(B.6): G'_{L-1} =
 * [I]_{1..N}) and claim "bundle" (rank certificates of G_l, G, A_{L-1} o V_{L-2} of an mnn
 * vector, or of G1^p = A1^p o X of a pattern of an mnn_patterns vector, Lemma 3). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lmoc.h"

typedef struct {
    long L, N, ne;          /* ne: how many dropout matrices were read */
    lmoc_mat_t X, *W, *E;   /* W[l-1] = W_l (l = 1..L), E[l-1] = E_l (l < L) */
    lmoc_mat_t *A, *V;      /* A[l] = a_l (l = 1..L-1), V[l] = v_l (l = 0..L-1) */
    mpq_t s;
} net_t;

/* X, slope, weights [W1..WL] (dL = 1), dropout [E1..E(L-1)] (default all ones) of O; then
   the forward pass (3.1): u_l = W_l v_{l-1}, a_l = eps (u >= 0) or s eps (u < 0),
   v_l = a_l . u_l, v_0 = x, for l < L. *zeros counts the u that are exactly 0. */
static int net_read(net_t *T, lmoc_ctx_t *c, const lmoc_json_t *o, const char *pre, long *zeros)
{
    char f[160];
    long l;
#define FN(key) (snprintf(f, sizeof f, "%s%s", pre, key), f)
    T->L = T->ne = -1;
    lmoc_matrix(&T->X, c, lmoc_json_get(o, "X"), -1, -1, FN("X"));
    if (!lmoc_number(T->s, c, lmoc_json_get(o, "slope"), FN("slope")) && !mpq_sgn(T->s))
        lmoc_fail(c, LMOC_EINPUT, "field %s: the slope must not be 0", f);
    lmoc_matrices(&T->W, &T->L, c, lmoc_json_get(o, "weights"), FN("weights"));
    if (lmoc_json_get(o, "dropout"))
        lmoc_matrices(&T->E, &T->ne, c, lmoc_json_get(o, "dropout"), FN("dropout"));
    T->N = T->X.cols;
    for (l = 0; l < T->L && !c->rc; l++)
        if (T->W[l].cols != (l ? T->W[l - 1].rows : T->X.rows) || T->W[l].rows < 1 ||
            (l == T->L - 1 && T->W[l].rows != 1) || (T->E && (T->ne != T->L - 1 || (l < T->ne &&
            (T->E[l].rows != T->W[l].rows || T->E[l].cols != T->N)))))
            lmoc_fail(c, LMOC_EINPUT, "field %sweights[%ld] or %sdropout[%ld]: shapes do not "
                      "chain from X (d0 x N) to dL = 1", pre, l, pre, l);
    if (!c->rc && T->L < 1) lmoc_fail(c, LMOC_EINPUT, "field %sweights: is empty", pre);
    if (c->rc) return c->rc;
    T->A = calloc((size_t)T->L + 1, sizeof *T->A);
    T->V = calloc((size_t)T->L + 1, sizeof *T->V);
    lmoc_mat_init(&T->V[0], T->X.rows, T->N);
    for (long e = 0; e < T->X.rows * T->N; e++) mpq_set(T->V[0].e[e], T->X.e[e]);
    for (*zeros = 0, l = 1; l < T->L; l++) {
        lmoc_mul(&T->V[l], &T->W[l - 1], 0, &T->V[l - 1], 0);
        lmoc_mat_init(&T->A[l], T->V[l].rows, T->N);
        for (long e = 0; e < T->V[l].rows * T->N; e++) {
            int sg = mpq_sgn(T->V[l].e[e]);
            mpq_t *a = &T->A[l].e[e];
            *zeros += !sg;
            if (T->E) mpq_set(*a, T->E[l - 1].e[e]); else mpq_set_ui(*a, 1, 1);
            if (sg < 0) mpq_mul(*a, *a, T->s);
            mpq_mul(T->V[l].e[e], T->V[l].e[e], *a);
        }
    }
    return 0;
}

static void net_clear(net_t *T)
{
    lmoc_mat_clear(&T->X), lmoc_mats_clear(T->W, T->L), lmoc_mats_clear(T->E, T->ne);
    lmoc_mats_clear(T->A, T->A ? T->L : 0), lmoc_mats_clear(T->V, T->V ? T->L : 0);
    mpq_clear(T->s);
}

/* G_l = Delta_l o V_{l-1} (5.4), Delta_L = 1, Delta_k = A_k . (W_{k+1}^T Delta_{k+1}) (5.2). */
static int G_layer(lmoc_mat_t *G, lmoc_ctx_t *c, const net_t *T, long l)
{
    lmoc_mat_t D, Dn;
    lmoc_mat_init(&D, 1, T->N);
    for (long n = 0; n < T->N; n++) mpq_set_ui(D.e[n], 1, 1);
    for (long k = T->L - 1; k >= l; k--) {
        lmoc_mul(&Dn, &T->W[k], 1, &D, 0);
        for (long e = 0; e < Dn.rows * T->N; e++) mpq_mul(Dn.e[e], Dn.e[e], T->A[k].e[e]);
        lmoc_mat_clear(&D);
        D = Dn;
    }
    lmoc_khatri_rao(G, c, &D, &T->V[l - 1]);
    lmoc_mat_clear(&D);
    return c->rc;
}

int lmoc_check_witness(lmoc_ctx_t *c, const lmoc_json_t *cert, const char *cn,
                       const lmoc_json_t *vec, char *what, size_t wlen)
{
    const lmoc_json_t *in = lmoc_json_get(vec, "input"), *w;
    const char *key[4] = {"widths", "N", "layer", "rank"};
    net_t T;
    lmoc_mat_t *Ac = NULL, G = {0, 0, NULL};
    long zeros = 0, L, N, v, nA;
    char f[120];
    memset(&T, 0, sizeof T);
    mpq_init(T.s);
    net_read(&T, c, cert, cn, &zeros);
    L = T.L, N = T.N, nA = L - 1;
    if (!c->rc && L < 2) lmoc_fail(c, LMOC_REJECT, "a witness needs L >= 2 layers");
    for (int i = 0; i < 8 && !c->rc; i++) { /* the certificate's, then the vector's fields */
        snprintf(f, sizeof f, "%s%s", i < 4 ? cn : "input.", key[i % 4]);
        if (!(w = lmoc_json_get(i < 4 ? cert : in, key[i % 4])) && i >= 4) continue;
        if (i % 4 && !lmoc_int(&v, c, w, f) && v != (i % 4 == 2 ? L - 1 : N))
            lmoc_fail(c, LMOC_REJECT, "%s = %ld, expected %ld", f, v, i % 4 == 2 ? L - 1 : N);
        if (!(i % 4) && (!w || w->type != LMOC_J_ARR || (long)w->n != L + 1))
            lmoc_fail(c, LMOC_REJECT, "%s is not the network's [d0, ..., dL]", f);
        for (long l = 0; !(i % 4) && l <= L && !c->rc; l++) /* widths = the shapes of W */
            if (!lmoc_int(&v, c, &w->kid[l], f) && v != (l ? T.W[l - 1].rows : T.X.rows))
                lmoc_fail(c, LMOC_REJECT, "%s[%ld] = %ld is not the network's d%ld", f, l, v, l);
    }
    if (!c->rc && (N < 1 || N > T.W[L - 2].cols * T.W[L - 2].rows))
        lmoc_fail(c, LMOC_REJECT, "%sN = %ld is not in [1, d_{L-2} d_{L-1}]", cn, N);
    snprintf(f, sizeof f, "%sactivations", cn);
    lmoc_matrices(&Ac, &nA, c, lmoc_json_get(cert, "activations"), f);
    if (!c->rc && zeros)
        lmoc_fail(c, LMOC_REJECT, "%ld hidden pre-activations u are 0: not interior", zeros);
    for (long l = 1; l < L && !c->rc; l++)
        if (!lmoc_mat_eq(&T.A[l], &Ac[l - 1]))
            lmoc_fail(c, LMOC_REJECT, "%s[%ld] is not the forward pass's a_%ld", f, l - 1, l);
    if (!c->rc && !G_layer(&G, c, &T, L - 1))
        for (long i = 0; i < G.rows * N && !c->rc; i++) /* G'_{L-1} == [I]_{1..N} */
            if (mpq_cmp_ui(G.e[i], i / N == i % N, 1))
                lmoc_fail(c, LMOC_REJECT, "G'_{L-1}[%ld][%ld] is not %d: (B.6) fails", i / N,
                          i % N, i / N == i % N);
    snprintf(what, wlen, "witness: rank G'_{L-1} = N = %ld proven (L = %ld)", N, L);
    lmoc_mats_clear(Ac, nA), lmoc_mat_clear(&G), net_clear(&T);
    return c->rc;
}

/* The matrix a bundle member names: G_l, G = [G_1; ...; G_L], A1 o X, A_{L-1} o V_{L-2}. */
static int named(lmoc_mat_t *M, lmoc_ctx_t *c, const net_t *T, const char *name)
{
    long l = 0;
    int k = 0;
    lmoc_mat_t Gl;
    if ((!strcmp(name, "A1 o X") || !strcmp(name, "A_{L-1} o V_{L-2}")) && T->L >= 2) {
        l = name[1] == '1' ? 1 : T->L - 1;
        return lmoc_khatri_rao(M, c, &T->A[l], &T->V[l - 1]);
    }
    if (!strcmp(name, "G")) {
        lmoc_mat_init(M, 0, T->N);
        for (l = 1; l <= T->L && !G_layer(&Gl, c, T, l); l++) { /* stack G_l below */
            M->e = realloc(M->e, (size_t)((M->rows + Gl.rows) * T->N + 1) * sizeof *M->e);
            memcpy(M->e + M->rows * T->N, Gl.e, (size_t)(Gl.rows * T->N) * sizeof *M->e);
            M->rows += Gl.rows;
            free(Gl.e); /* its entries now belong to M */
        }
        return c->rc;
    }
    if (name[0] == 'G' && name[1] == '_' && name[2] >= '1' && name[2] <= '9' &&
        sscanf(name, "G_%ld%n", &l, &k) == 1 && !name[k] && l <= T->L) /* canonical G_l */
        return G_layer(M, c, T, l);
    return lmoc_fail(c, LMOC_REJECT, "a bundle member is about \"%.60s\", not a matrix of this "
                     "network", name);
}

/* G1^p = A1^p o X, A1^p[i][n] = E1[i][n] (1 if sign '+', s if '-') (Lemma 3, (4.4)). */
static int pattern(lmoc_mat_t *G, lmoc_ctx_t *c, const net_t *T, long d1, const lmoc_json_t *p,
                   const char *f)
{
    lmoc_mat_t A;
    lmoc_mat_init(&A, d1, T->N);
    for (long i = 0; i < d1 * T->N && !c->rc; i++) {
        const lmoc_json_t *row = p && p->type == LMOC_J_ARR && (long)p->n == d1
                                 ? &p->kid[i / T->N] : NULL;
        char ch = row && row->type == LMOC_J_STR && (long)row->len == T->N ? row->s[i % T->N] : 0;
        if (ch != '+' && ch != '-')
            lmoc_fail(c, LMOC_EINPUT, "field %spattern: expected %ld strings of %ld '+' / '-'", f,
                      d1, T->N);
        if (T->E->e) mpq_set(A.e[i], T->E->e[i]); else mpq_set_ui(A.e[i], 1, 1);
        if (ch == '-') mpq_mul(A.e[i], A.e[i], T->s);
    }
    lmoc_khatri_rao(G, c, &A, &T->X);
    lmoc_mat_clear(&A);
    return c->rc;
}

int lmoc_check_bundle(lmoc_ctx_t *c, const lmoc_json_t *cert, const char *cn,
                      const lmoc_json_t *vec, char *what, size_t wlen)
{
    const lmoc_json_t *in = lmoc_json_get(vec, "input"), *ms = lmoc_json_get(cert, "certificates"),
                      *ed = lmoc_json_get(lmoc_json_get(vec, "expect"), "deficient_patterns"),
                      *ej = lmoc_json_get(in, "dropout"), *m;
    int pat = lmoc_is(lmoc_json_get(vec, "kind"), "mnn_patterns");
    long d1 = 0, r = 0, seen = 0;
    net_t T;
    lmoc_mat_t M;
    char f[160];
    memset(&T, 0, sizeof T);
    mpq_init(T.s);
    if (!ms || ms->type != (pat ? LMOC_J_ARR : LMOC_J_OBJ))
        lmoc_fail(c, LMOC_EINPUT, "field %scertificates: expected an %s", cn,
                  pat ? "array" : "object");
    if (pat) { /* X, E1 (or [E1]), slope, width d1 */
        lmoc_matrix(&T.X, c, lmoc_json_get(in, "X"), -1, -1, "input.X");
        if (!lmoc_number(T.s, c, lmoc_json_get(in, "slope"), "input.slope") && !mpq_sgn(T.s))
            lmoc_fail(c, LMOC_EINPUT, "field input.slope: must not be 0");
        lmoc_int(&d1, c, lmoc_json_get(in, "width"), "input.width");
        T.N = T.X.cols, T.ne = 1; /* the one E, freed by net_clear */
        if (ej && ej->type == LMOC_J_ARR) ej = ej->n == 1 ? &ej->kid[0] : NULL; /* [E1] */
        T.E = calloc(1, sizeof *T.E);
        if (lmoc_json_get(in, "dropout")) lmoc_matrix(T.E, c, ej, -1, -1, "input.dropout");
        if (!c->rc && T.E->e && (T.E->rows != d1 || T.E->cols != T.N))
            lmoc_fail(c, LMOC_EINPUT, "field input.dropout: is not width x N");
        if (!c->rc && ed && (ed->type != LMOC_J_ARR || ed->n != ms->n)) /* all listed ones */
            lmoc_fail(c, LMOC_REJECT, "the bundle has not one member per "
                      "expect.deficient_patterns");
    } else {
        net_read(&T, c, in, "input.", &r);
    }
    for (size_t t = 0; t < (c->rc ? 0 : ms->n) && !c->rc; t++) {
        const char *want = pat ? "G1^p = A1^p o X" : ms->kid[t].key;
        m = &ms->kid[t], M = (lmoc_mat_t){0, 0, NULL}; /* untouched when building it fails */
        if (pat) snprintf(f, sizeof f, "%scertificates[%zu].", cn, t);
        else snprintf(f, sizeof f, "%scertificates.%s.", cn, want);
        if (!lmoc_is(lmoc_json_get(m, "matrix"), want))
            lmoc_fail(c, LMOC_REJECT, "%smatrix is not \"%s\"", f, want);
        else if (!(pat ? pattern(&M, c, &T, d1, lmoc_json_get(m, "pattern"), f)
                       : named(&M, c, &T, want)))
            lmoc_check_rank(&r, c, m, f, &M, lmoc_json_get(vec, "id")->s);
        seen += !pat && want[0] == 'G' && (!want[1] || want[1] == '_');
        lmoc_mat_clear(&M);
    }
    if (!c->rc && !pat && seen != T.L + 1) /* keys are distinct: G, G_1 ... G_L */
        lmoc_fail(c, LMOC_REJECT, "the bundle lacks some of G_1 ... G_%ld and G", T.L);
    snprintf(what, wlen, "bundle of %zu rank certificates proven", ms ? ms->n : 0);
    net_clear(&T);
    return c->rc;
}
