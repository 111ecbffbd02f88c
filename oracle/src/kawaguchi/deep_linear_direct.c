/* Gradient and Hessian of the deep linear loss by generic exact
 * differentiation (hyper-dual numbers), the second method the Lemma 4.1 /
 * Lemma 4.3 formulas are tested against. Knows nothing of those formulas:
 * it evaluates L(theta + s e_a + t e_b) in Q[s, t] / (s^2, t^2) by plain
 * matrix products and reads off coefficients. See lmo/kawaguchi/deep_linear.h.
 *
 * The evaluations share work without changing what is evaluated: the
 * s^0 t^0 part of every partial product is the unperturbed product
 * P_k = W_k ... W_1 X, computed once; the product up to the layer below
 * b's depends on a only, computed once per a; and the buffers are
 * allocated once (the fuzz target calls this on every input, where
 * allocation was most of its cost). */
#include "lmo/core/members.h"
#include "lmo/kawaguchi/deep_linear.h"

/* A matrix over Q[s,t]/(s^2,t^2): c[0] + s c[1] + t c[2] + s t c[3].
 * c[0] is borrowed (an unperturbed product, or a weight matrix); c[1..3]
 * are owned. nz[i] says whether part i may be nonzero (to skip work). */
typedef struct {
    fmpq_mat_struct *c[4];
    fmpq_mat_t own[3];
    int nz[4];
} jet_t;

static void jet_init(jet_t *J, fmpq_mat_struct *c0, slong r, slong c)
{
    J->c[0] = c0;
    J->nz[0] = 1;
    for (int i = 1; i < 4; i++) {
        fmpq_mat_init(J->own[i - 1], r, c);
        J->c[i] = J->own[i - 1];
        J->nz[i] = 0;
    }
}

static void jet_clear(jet_t *J)
{
    for (int i = 0; i < 3; i++) fmpq_mat_clear(J->own[i]);
}

/* C = A B; FLINT 2.9's fmpq_mat_mul always clears denominators into
 * fresh fmpz matrices, which costs more than the product at these sizes */
static void mat_mul(fmpq_mat_t C, const fmpq_mat_t A, const fmpq_mat_t B)
{
    if (fmpq_mat_nrows(A) * fmpq_mat_ncols(A) * fmpq_mat_ncols(B) <= 4096)
        fmpq_mat_mul_direct(C, A, B);
    else
        fmpq_mat_mul(C, A, B);
}

/* Parts 1..3 of out = A * B over the jet algebra; part 0 of out must
 * already be A.c[0] B.c[0] (it is the unperturbed product). T is scratch of
 * out's shape. */
static void jet_mul(jet_t *out, const jet_t *A, const jet_t *B, fmpq_mat_t T)
{
    /* products contributing to each part: (i, j) with i | j == part, i & j == 0 */
    static const int pairs[4][4][2] = {
        {{0, 0}, {-1, -1}, {-1, -1}, {-1, -1}},
        {{0, 1}, {1, 0}, {-1, -1}, {-1, -1}},
        {{0, 2}, {2, 0}, {-1, -1}, {-1, -1}},
        {{0, 3}, {3, 0}, {1, 2}, {2, 1}},
    };
    for (int part = 1; part < 4; part++) {
        out->nz[part] = 0;
        for (int q = 0; q < 4; q++) {
            int i = pairs[part][q][0], j = pairs[part][q][1];
            if (i < 0 || !A->nz[i] || !B->nz[j]) continue;
            if (!out->nz[part]) {
                mat_mul(out->c[part], A->c[i], B->c[j]);
                out->nz[part] = 1;
            } else {
                mat_mul(T, A->c[i], B->c[j]);
                fmpq_mat_add(out->c[part], out->c[part], T);
            }
        }
        if (!out->nz[part]) fmpq_mat_zero(out->c[part]);
    }
}

/* Locate parameter index a: layer k (1-based) and entry (row, col). */
static void locate(slong *k, slong *row, slong *col, const lmo_deep_linear_t dl, slong a)
{
    slong off = 0;
    for (slong l = 1; l <= dl->H + 1; l++) {
        slong sz = dl->d[l] * dl->d[l - 1];
        if (a < off + sz) {
            *k = l;
            *row = (a - off) / dl->d[l - 1];
            *col = (a - off) % dl->d[l - 1];
            return;
        }
        off += sz;
    }
    *k = -1; *row = *col = 0;
}

/* Buffers for all evaluations, indexed by layer k = 0..H+1:
 * P[k] = W_k ... W_1 X, E = P[H+1] - Y (the residual at theta),
 * W[k] = W_k + s (unit at a) + t (unit at b) (parts 1, 2 toggled per use),
 * G[k] = the product through layer k perturbed at a only,
 * F[k] = the product through layer k perturbed at a and b, T[k] scratch. */
typedef struct {
    slong L;
    fmpq_mat_struct *P, *T;
    fmpq_mat_t E;
    jet_t *W, *G, *F;
} direct_t;

static void direct_init(direct_t *D, const lmo_deep_linear_t dl)
{
    slong L = dl->H + 1, m = dl->m;
    D->L = L;
    D->P = flint_malloc(sizeof(fmpq_mat_struct) * (L + 1));
    D->T = flint_malloc(sizeof(fmpq_mat_struct) * (L + 1));
    D->W = flint_malloc(sizeof(jet_t) * (L + 1));
    D->G = flint_malloc(sizeof(jet_t) * (L + 1));
    D->F = flint_malloc(sizeof(jet_t) * (L + 1));
    for (slong k = 0; k <= L; k++) {
        fmpq_mat_init(D->P + k, dl->d[k], m);
        fmpq_mat_init(D->T + k, dl->d[k], m);
        if (k == 0) fmpq_mat_set(D->P, dl->X);
        else mat_mul(D->P + k, dl->W + k - 1, D->P + k - 1);
        jet_init(D->G + k, D->P + k, dl->d[k], m);
        jet_init(D->F + k, D->P + k, dl->d[k], m);
        /* layer 0 has no weight; W[0] is never used */
        jet_init(D->W + k, k ? (fmpq_mat_struct *) (dl->W + k - 1) : D->P, k ? dl->d[k] : 1,
                 k ? dl->d[k - 1] : 1);
    }
    fmpq_mat_init(D->E, dl->d[L], m);
    fmpq_mat_sub(D->E, D->P + L, dl->Y);
}

static void direct_clear(direct_t *D)
{
    for (slong k = 0; k <= D->L; k++) {
        jet_clear(D->G + k);
        jet_clear(D->F + k);
        jet_clear(D->W + k);
    }
    _lmo_fmpq_mat_vec_clear(D->P, D->L + 1);
    _lmo_fmpq_mat_vec_clear(D->T, D->L + 1);
    fmpq_mat_clear(D->E);
    flint_free(D->W);
    flint_free(D->G);
    flint_free(D->F);
}

/* set (v = 1) or clear (v = 0) the unit perturbation of part `part` (1 = s,
 * 2 = t) of W[k] at (r, c) */
static void direct_unit(direct_t *D, slong k, int part, slong r, slong c, int v)
{
    fmpq_set_si(fmpq_mat_entry(D->W[k].c[part], r, c), v, 1);
    D->W[k].nz[part] = v;
}

/* G[k] for k >= ka: the product perturbed by s at parameter (ka, ra, ca);
 * below ka it is P[k] (G's part 1 is zero there). */
static void direct_chain_a(direct_t *D, slong ka, slong ra, slong ca)
{
    for (slong k = 0; k < ka; k++)
        D->G[k].nz[1] = D->G[k].nz[2] = D->G[k].nz[3] = 0;
    direct_unit(D, ka, 1, ra, ca, 1);
    for (slong k = ka; k <= D->L; k++) jet_mul(D->G + k, D->W + k, D->G + k - 1, D->T + k);
    direct_unit(D, ka, 1, ra, ca, 0);
}

static void dot(fmpq_t out, const fmpq_mat_t A, const fmpq_mat_t B)
{
    fmpq_zero(out);
    for (slong i = 0; i < fmpq_mat_nrows(A); i++)
        for (slong j = 0; j < fmpq_mat_ncols(A); j++)
            fmpq_addmul(out, fmpq_mat_entry(A, i, j), fmpq_mat_entry(B, i, j));
}

void lmo_deep_linear_gradient_direct(fmpq_mat_t g, const lmo_deep_linear_t dl)
{
    slong n = lmo_deep_linear_nparams(dl), ka, ra, ca;
    direct_t D;
    direct_init(&D, dl);
    for (slong a = 0; a < n; a++) {
        locate(&ka, &ra, &ca, dl, a);
        direct_chain_a(&D, ka, ra, ca);
        /* [s] 1/2 sum (E + s R1)^2 = sum E R1 */
        dot(fmpq_mat_entry(g, a, 0), D.E, D.G[D.L].c[1]);
    }
    direct_clear(&D);
}

void lmo_deep_linear_hessian_direct(fmpq_mat_t Hs, const lmo_deep_linear_t dl)
{
    slong n = lmo_deep_linear_nparams(dl), L = dl->H + 1, ka, ra, ca, kb, rb, cb;
    direct_t D;
    fmpq_t u, w;
    fmpq_init(u);
    fmpq_init(w);
    direct_init(&D, dl);
    for (slong a = 0; a < n; a++) {
        locate(&ka, &ra, &ca, dl, a);
        direct_chain_a(&D, ka, ra, ca);
        for (slong b = a; b < n; b++) {
            locate(&kb, &rb, &cb, dl, b);   /* kb >= ka: parameters go layer by layer */
            /* below layer kb nothing depends on t: start from G[kb - 1] */
            direct_unit(&D, kb, 2, rb, cb, 1);
            if (kb == ka) direct_unit(&D, ka, 1, ra, ca, 1);
            const jet_t *prev = D.G + kb - 1;
            for (slong k = kb; k <= L; k++) {
                jet_mul(D.F + k, D.W + k, prev, D.T + k);
                prev = D.F + k;
            }
            direct_unit(&D, kb, 2, rb, cb, 0);
            if (kb == ka) direct_unit(&D, ka, 1, ra, ca, 0);
            /* [st] 1/2 sum R^2 = sum (R0 R3 + R1 R2) with R0 = E; with a == b
             * this is the pure second derivative, since (s + t)^2 = 2 s t here */
            const jet_t *R = D.F + L;
            fmpq_zero(u);
            fmpq_zero(w);
            if (R->nz[3]) dot(u, D.E, R->c[3]);
            if (R->nz[1] && R->nz[2]) dot(w, R->c[1], R->c[2]);
            fmpq_add(u, u, w);
            fmpq_set(fmpq_mat_entry(Hs, a, b), u);
            fmpq_set(fmpq_mat_entry(Hs, b, a), u);
        }
    }
    direct_clear(&D);
    fmpq_clear(u);
    fmpq_clear(w);
}
