/* The loss along a polynomial curve theta + t D1 + t^2 D2 + ..., expanded
 * exactly in Q[t] (the escape certificates of DESIGN.md: "not a local
 * minimum"). See lmo/kawaguchi/deep_linear.h. */
#include "lmo/kawaguchi/deep_linear.h"

/* matrix with entries in Q[t], row-major */
typedef struct {
    slong r, c;
    fmpq_poly_struct *e;
} pmat_t;

static void pmat_init(pmat_t *P, slong r, slong c)
{
    P->r = r;
    P->c = c;
    P->e = flint_malloc(sizeof(fmpq_poly_struct) * (r * c > 0 ? r * c : 1));
    for (slong i = 0; i < r * c; i++) fmpq_poly_init(P->e + i);
}

static void pmat_clear(pmat_t *P)
{
    for (slong i = 0; i < P->r * P->c; i++) fmpq_poly_clear(P->e + i);
    flint_free(P->e);
}

static void pmat_mul(pmat_t *out, const pmat_t *A, const pmat_t *B)
{
    fmpq_poly_t t;
    fmpq_poly_init(t);
    for (slong i = 0; i < A->r; i++)
        for (slong j = 0; j < B->c; j++) {
            fmpq_poly_struct *o = out->e + i * out->c + j;
            fmpq_poly_zero(o);
            for (slong k = 0; k < A->c; k++) {
                const fmpq_poly_struct *a = A->e + i * A->c + k, *b = B->e + k * B->c + j;
                if (fmpq_poly_is_zero(a) || fmpq_poly_is_zero(b)) continue;
                fmpq_poly_mul(t, a, b);
                fmpq_poly_add(o, o, t);
            }
        }
    fmpq_poly_clear(t);
}

void lmo_deep_linear_curve_loss(fmpq_poly_t out, const lmo_deep_linear_t dl,
                                const fmpq_mat_struct *D, slong ndir)
{
    slong H = dl->H, *d = dl->d, m = dl->m, off = 0;
    pmat_t F, W, T;
    pmat_init(&F, d[0], m);
    for (slong i = 0; i < d[0]; i++)
        for (slong j = 0; j < m; j++)
            fmpq_poly_set_fmpq(F.e + i * m + j, fmpq_mat_entry(dl->X, i, j));
    for (slong k = 1; k <= H + 1; k++) {
        pmat_init(&W, d[k], d[k - 1]);
        for (slong a = 0; a < d[k]; a++)
            for (slong b = 0; b < d[k - 1]; b++, off++) {
                fmpq_poly_struct *w = W.e + a * d[k - 1] + b;
                fmpq_poly_set_fmpq(w, fmpq_mat_entry(dl->W + k - 1, a, b));
                for (slong i = 0; i < ndir; i++)
                    fmpq_poly_set_coeff_fmpq(w, i + 1, fmpq_mat_entry(D + i, off, 0));
            }
        pmat_init(&T, d[k], m);
        pmat_mul(&T, &W, &F);
        pmat_clear(&W);
        pmat_clear(&F);
        F = T;
    }
    fmpq_poly_t r, s;
    fmpq_poly_init(r);
    fmpq_poly_init(s);
    fmpq_poly_zero(out);
    for (slong i = 0; i < d[H + 1]; i++)
        for (slong j = 0; j < m; j++) {
            fmpq_poly_set(r, F.e + i * m + j);
            fmpq_poly_set_coeff_fmpq(s, 0, fmpq_mat_entry(dl->Y, i, j));
            fmpq_poly_sub(r, r, s);
            fmpq_poly_mul(s, r, r);
            fmpq_poly_add(out, out, s);
            fmpq_poly_zero(s);
        }
    fmpq_poly_scalar_div_si(out, out, 2);
    fmpq_poly_clear(r);
    fmpq_poly_clear(s);
    pmat_clear(&F);
}

int lmo_poly_leading_change(slong *order, const fmpq_poly_t f)
{
    fmpq_t c;
    fmpq_init(c);
    int sg = 0;
    for (slong i = 1; i <= fmpq_poly_degree(f); i++) {
        fmpq_poly_get_coeff_fmpq(c, f, i);
        if (!fmpq_is_zero(c)) {
            sg = fmpq_sgn(c);
            if (order) *order = i;
            break;
        }
    }
    if (sg == 0 && order) *order = 0;
    fmpq_clear(c);
    return sg;
}
