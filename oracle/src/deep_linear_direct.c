/* Gradient and Hessian of the deep linear loss by generic exact
 * differentiation (hyper-dual numbers), the second method the Lemma 4.1 /
 * Lemma 4.3 formulas are tested against. Knows nothing of those formulas:
 * it evaluates L(theta + s e_a + t e_b) in Q[s, t] / (s^2, t^2) by plain
 * matrix products and reads off coefficients. See lmo/deep_linear.h. */
#include "lmo/deep_linear.h"

/* A matrix over Q[s,t]/(s^2,t^2): c[0] + s c[1] + t c[2] + s t c[3];
 * nz[i] says whether part i may be nonzero (to skip work). */
typedef struct {
    fmpq_mat_t c[4];
    int nz[4];
} jet_t;

static void jet_init(jet_t *J, slong r, slong c)
{
    for (int i = 0; i < 4; i++) { fmpq_mat_init(J->c[i], r, c); J->nz[i] = 0; }
}

static void jet_clear(jet_t *J)
{
    for (int i = 0; i < 4; i++) fmpq_mat_clear(J->c[i]);
}

/* out = A * B over the jet algebra (out distinct from A and B). */
static void jet_mul(jet_t *out, const jet_t *A, const jet_t *B)
{
    /* products contributing to each part: (i, j) with i | j == part, i & j == 0 */
    static const int pairs[4][4][2] = {
        {{0, 0}, {-1, -1}, {-1, -1}, {-1, -1}},
        {{0, 1}, {1, 0}, {-1, -1}, {-1, -1}},
        {{0, 2}, {2, 0}, {-1, -1}, {-1, -1}},
        {{0, 3}, {3, 0}, {1, 2}, {2, 1}},
    };
    fmpq_mat_t T;
    fmpq_mat_init(T, fmpq_mat_nrows(out->c[0]), fmpq_mat_ncols(out->c[0]));
    for (int part = 0; part < 4; part++) {
        fmpq_mat_zero(out->c[part]);
        out->nz[part] = 0;
        for (int q = 0; q < 4; q++) {
            int i = pairs[part][q][0], j = pairs[part][q][1];
            if (i < 0 || !A->nz[i] || !B->nz[j]) continue;
            fmpq_mat_mul(T, A->c[i], B->c[j]);
            fmpq_mat_add(out->c[part], out->c[part], T);
            out->nz[part] = 1;
        }
    }
    fmpq_mat_clear(T);
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

/* R(s,t) = (W(H+1)+..)...(W1+..) X - Y with unit perturbations at parameters
 * a (coefficient s) and b (coefficient t); a or b may be -1 (absent). */
static void residual_jet(jet_t *R, const lmo_deep_linear_t dl, slong a, slong b)
{
    slong ka = -1, ra = 0, ca = 0, kb = -1, rb = 0, cb = 0;
    if (a >= 0) locate(&ka, &ra, &ca, dl, a);
    if (b >= 0) locate(&kb, &rb, &cb, dl, b);
    jet_t F, W, T;
    jet_init(&F, dl->d[0], dl->m);
    fmpq_mat_set(F.c[0], dl->X);
    F.nz[0] = 1;
    for (slong k = 1; k <= dl->H + 1; k++) {
        jet_init(&W, dl->d[k], dl->d[k - 1]);
        fmpq_mat_set(W.c[0], dl->W + k - 1);
        W.nz[0] = 1;
        if (k == ka) { fmpq_one(fmpq_mat_entry(W.c[1], ra, ca)); W.nz[1] = 1; }
        if (k == kb) { fmpq_one(fmpq_mat_entry(W.c[2], rb, cb)); W.nz[2] = 1; }
        jet_init(&T, dl->d[k], dl->m);
        jet_mul(&T, &W, &F);
        jet_clear(&W);
        jet_clear(&F);
        F = T;
    }
    fmpq_mat_sub(F.c[0], F.c[0], dl->Y);
    *R = F;
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
    slong n = lmo_deep_linear_nparams(dl);
    for (slong a = 0; a < n; a++) {
        jet_t R;
        residual_jet(&R, dl, a, -1);
        /* [s] 1/2 sum (R0 + s R1)^2 = sum R0 R1 */
        dot(fmpq_mat_entry(g, a, 0), R.c[0], R.c[1]);
        jet_clear(&R);
    }
}

void lmo_deep_linear_hessian_direct(fmpq_mat_t Hs, const lmo_deep_linear_t dl)
{
    slong n = lmo_deep_linear_nparams(dl);
    fmpq_t u, w;
    fmpq_init(u);
    fmpq_init(w);
    for (slong a = 0; a < n; a++)
        for (slong b = a; b < n; b++) {
            jet_t R;
            residual_jet(&R, dl, a, b);
            /* [st] 1/2 sum R^2 = sum (R0 R3 + R1 R2); with a == b this is the
             * pure second derivative, since (s + t)^2 = 2 s t here */
            dot(u, R.c[0], R.c[3]);
            dot(w, R.c[1], R.c[2]);
            fmpq_add(u, u, w);
            fmpq_set(fmpq_mat_entry(Hs, a, b), u);
            fmpq_set(fmpq_mat_entry(Hs, b, a), u);
            jet_clear(&R);
        }
    fmpq_clear(u);
    fmpq_clear(w);
}
