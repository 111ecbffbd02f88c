/* Proposition 1 (Kawaguchi-Huang-Kaelbling 2019, (3.2)) by Gram-Schmidt in R^m: the
 * independent H = 1 implementation described in lmo/khk/prop1.h. */
#include <flint/fmpq_vec.h>
#include "lmo/khk/prop1.h"

typedef struct {
    slong m, count;
    fmpq **u;        /* orthogonal basis vectors (length m each) */
    fmpq *uu;        /* their squared norms */
} gs_t;

static int vec_is_zero(const fmpq *w, slong m)
{
    for (slong i = 0; i < m; i++) if (!fmpq_is_zero(w + i)) return 0;
    return 1;
}

/* Reduces the column v against the basis; if something is left, adds it and returns
 * (u.y)^2 / (u.u) in gain (else 0). */
static void gs_add(gs_t *g, fmpq_t gain, const fmpq *v, const fmpq *y)
{
    fmpq_t c, t;
    fmpq_init(c), fmpq_init(t);
    fmpq *w = _fmpq_vec_init(g->m);
    for (slong i = 0; i < g->m; i++) fmpq_set(w + i, v + i);
    for (slong j = 0; j < g->count; j++) {
        _fmpq_vec_dot(c, g->u[j], v, g->m);   /* classical GS on the original v: exact */
        fmpq_div(c, c, g->uu + j);
        for (slong i = 0; i < g->m; i++) fmpq_submul(w + i, c, g->u[j] + i);
    }
    fmpq_zero(gain);
    if (!vec_is_zero(w, g->m)) {
        g->u[g->count] = w;
        _fmpq_vec_dot(g->uu + g->count, w, w, g->m);
        _fmpq_vec_dot(t, w, y, g->m);
        fmpq_mul(gain, t, t);
        fmpq_div(gain, gain, g->uu + g->count);
        g->count++;
    } else {
        _fmpq_vec_clear(w, g->m);
    }
    fmpq_clear(c), fmpq_clear(t);
}

int lmo_khk_prop1_J(fmpq_t J, fmpq *terms, const lmo_khk_t net)
{
    if (net->H != 1 || net->d[2] != 1) return -1;
    slong m = net->m, dx = net->d[0], d = net->d[1];
    const lmo_khk_act_struct *act = net->act;
    /* at most m basis vectors can be added */
    gs_t g = {m, 0, flint_malloc(sizeof(fmpq *) * (size_t) (m + 1)), _fmpq_vec_init(m + 1)};
    fmpq *y = _fmpq_vec_init(m), *col = _fmpq_vec_init(m), *phi = _fmpq_vec_init(m * d);
    fmpq *lam = _fmpq_vec_init(m * d);
    fmpq_t z, gain, block;
    fmpq_init(z), fmpq_init(gain), fmpq_init(block);
    for (slong i = 0; i < m; i++) fmpq_set(y + i, fmpq_mat_entry(net->Y, i, 0));
    /* the hidden layer, from the definitions of Section 3.2 */
    for (slong i = 0; i < m; i++)
        for (slong k = 0; k < d; k++) {
            fmpq_zero(z);
            for (slong a = 0; a < dx; a++)
                fmpq_addmul(z, fmpq_mat_entry(net->X, i, a), fmpq_mat_entry(net->W, a, k));
            fmpq *p = phi + i * d + k, *l = lam + i * d + k;
            if (fmpq_sgn(z) > 0) fmpq_set(p, z), fmpq_one(l);
            else if (fmpq_sgn(z) < 0) {
                if (act->kind == LMO_KHK_RELU) fmpq_zero(p), fmpq_zero(l);
                else if (act->kind == LMO_KHK_ABS) fmpq_neg(p, z), fmpq_set_si(l, -1, 1);
                else fmpq_mul(p, act->a, z), fmpq_set(l, act->a);
            } else {
                fmpq_zero(p);
                if (act->kind == LMO_KHK_LEAKY && fmpq_is_one(act->a)) fmpq_one(l);
                else fmpq_zero(l);
            }
        }
    fmpq_zero(J);
    _fmpq_vec_dot(J, y, y, m);
    /* D_k(1) = W(2)_k Lambda(1,k) X, column a: W(2)_k * Lambda(1,k)_ii * X_ia */
    for (slong k = 0; k <= d; k++) {
        fmpq_zero(block);
        slong ncol = k < d ? dx : d;
        for (slong a = 0; a < ncol; a++) {
            for (slong i = 0; i < m; i++) {
                if (k < d) {
                    fmpq_mul(col + i, fmpq_mat_entry(net->W + 1, k, 0), lam + i * d + k);
                    fmpq_mul(col + i, col + i, fmpq_mat_entry(net->X, i, a));
                } else {
                    fmpq_set(col + i, phi + i * d + a);   /* N_1(2) Phi(1), column a */
                }
            }
            gs_add(&g, gain, col, y);
            fmpq_add(block, block, gain);
        }
        fmpq_div_2exp(block, block, 1);
        if (terms) fmpq_set(terms + k, block);
        fmpq_mul_2exp(block, block, 1);
        fmpq_sub(J, J, block);
    }
    fmpq_div_2exp(J, J, 1);
    for (slong j = 0; j < g.count; j++) _fmpq_vec_clear(g.u[j], m);
    flint_free(g.u);
    _fmpq_vec_clear(g.uu, m + 1);
    _fmpq_vec_clear(y, m), _fmpq_vec_clear(col, m), _fmpq_vec_clear(phi, m * d);
    _fmpq_vec_clear(lam, m * d);
    fmpq_clear(z), fmpq_clear(gain), fmpq_clear(block);
    return 0;
}
