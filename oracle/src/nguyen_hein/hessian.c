/* The block Hessian of Phi (1) in balls by hyper-dual numbers, and its non-degeneracy by a ball
 * LDL^T (Nguyen & Hein 2017, Definitions 3.6-3.7, Theorem 3.8, Corollary 3.9;
 * lmo/nguyen_hein/nguyen_hein.h). */
#include <stdio.h>
#include <string.h>
#include "lmo/nguyen_hein/nguyen_hein.h"

/* a hyper-dual number a + b e1 + c e2 + d e1 e2 (e1^2 = e2^2 = 0): d carries d^2/dp dq */
typedef struct { arb_struct a, b, c, d; } hd;

static void hd_init(hd *x) { arb_init(&x->a), arb_init(&x->b), arb_init(&x->c), arb_init(&x->d); }
static void hd_clear(hd *x) { arb_clear(&x->a), arb_clear(&x->b), arb_clear(&x->c), arb_clear(&x->d); }

/* z += x y (z distinct from x, y) */
static void hd_addmul(hd *z, const hd *x, const hd *y, arb_t t, slong prec)
{
    arb_addmul(&z->a, &x->a, &y->a, prec);
    arb_addmul(&z->b, &x->a, &y->b, prec), arb_addmul(&z->b, &x->b, &y->a, prec);
    arb_addmul(&z->c, &x->a, &y->c, prec), arb_addmul(&z->c, &x->c, &y->a, prec);
    arb_addmul(&z->d, &x->a, &y->d, prec), arb_addmul(&z->d, &x->d, &y->a, prec);
    arb_mul(t, &x->b, &y->c, prec), arb_add(&z->d, &z->d, t, prec);
    arb_mul(t, &x->c, &y->b, prec), arb_add(&z->d, &z->d, t, prec);
}

/* s0 = sigma(t), s1 = sigma'(t), s2 = sigma''(t) */
static void sigma012(arb_t s0, arb_t s1, arb_t s2, const arb_t t, const lmo_nh_input_struct *in,
                     slong prec)
{
    arb_t u, a;
    arb_init(u), arb_init(a);
    lmo_nh_sigma(s0, t, in->act, in->alpha, prec);
    if (in->act == LMO_NH_TANH) {          /* 1 - tanh^2, -2 tanh (1 - tanh^2) */
        arb_sqr(u, s0, prec), arb_sub_ui(u, u, 1, prec), arb_neg(s1, u);
        arb_mul(s2, s0, s1, prec), arb_mul_2exp_si(s2, s2, 1), arb_neg(s2, s2);
    } else if (in->act == LMO_NH_SOFTPLUS) { /* sig(alpha t), alpha sig (1 - sig) */
        arb_set_fmpq(a, in->alpha, prec);
        arb_mul(u, a, t, prec), arb_neg(u, u), arb_exp(u, u, prec), arb_add_ui(u, u, 1, prec);
        arb_inv(s1, u, prec);
        arb_sub_ui(u, s1, 1, prec), arb_neg(u, u), arb_mul(s2, s1, u, prec), arb_mul(s2, s2, a, prec);
    } else {                               /* s (1 - s), s (1 - s) (1 - 2 s) */
        arb_sub_ui(u, s0, 1, prec), arb_neg(u, u), arb_mul(s1, s0, u, prec);
        arb_mul_2exp_si(u, s0, 1), arb_sub_ui(u, u, 1, prec), arb_neg(u, u);
        arb_mul(s2, s1, u, prec);
    }
    arb_clear(u), arb_clear(a);
}

/* parameter p of the block (layers with blk[l], ascending; W_l row-major, then b_l) */
static void param_of(slong *l, slong *r, slong *s, slong p, const lmo_nh_input_struct *in,
                     const int *blk)
{
    for (slong q = 1; q <= in->L; q++) {
        if (!blk[q]) continue;
        slong nw = in->n[q - 1] * in->n[q];
        if (p < nw) { *l = q, *r = p / in->n[q], *s = p % in->n[q]; return; }
        p -= nw;
        if (p < in->n[q]) { *l = q, *r = -1, *s = p; return; }
        p -= in->n[q];
    }
}

slong lmo_nh_block_size(const lmo_nh_input_t in, const int *blk)
{
    slong P = 0;
    for (slong l = 1; l <= in->L; l++) if (blk[l]) P += (in->n[l - 1] + 1) * in->n[l];
    return P;
}

/* d^2 Phi / dp dq by one hyper-dual forward pass from F_{from} (layers <= from not in the block) */
static void second(arb_t out, const lmo_nh_input_struct *in, const arb_mat_t Ffrom, slong from,
                   slong lp, slong rp, slong sp, slong lq, slong rq, slong sq, slong prec)
{
    slong N = in->N;
    hd *F = flint_malloc(sizeof(hd) * (size_t)(N * in->n[from] + 1)), *G, w;
    arb_t t, s0, s1, s2;
    arb_init(t), arb_init(s0), arb_init(s1), arb_init(s2);
    hd_init(&w);
    for (slong i = 0; i < N * in->n[from]; i++) {
        hd_init(F + i);
        arb_set(&F[i].a, arb_mat_entry(Ffrom, i / in->n[from], i % in->n[from]));
    }
    for (slong l = from + 1; l <= in->L; l++) {
        slong np = in->n[l - 1], nl = in->n[l];
        G = flint_malloc(sizeof(hd) * (size_t)(N * nl + 1));
        for (slong i = 0; i < N; i++)
            for (slong s = 0; s < nl; s++) {
                hd *g = G + i * nl + s;
                hd_init(g);
                for (slong r = -1; r < np; r++) { /* r = -1: the bias, times 1 */
                    arb_set_fmpq(&w.a, r < 0 ? fmpq_mat_entry(in->b + (l - 1), 0, s)
                                             : fmpq_mat_entry(in->W + (l - 1), r, s), prec);
                    arb_set_ui(&w.b, l == lp && r == rp && s == sp);
                    arb_set_ui(&w.c, l == lq && r == rq && s == sq);
                    if (r < 0) {
                        arb_add(&g->a, &g->a, &w.a, prec), arb_add(&g->b, &g->b, &w.b, prec);
                        arb_add(&g->c, &g->c, &w.c, prec);
                    } else {
                        hd_addmul(g, F + i * np + r, &w, t, prec);
                    }
                }
                /* sigma of a hyper-dual: s0 + s1 (b e1 + c e2) + (s1 d + s2 b c) e1 e2 */
                sigma012(s0, s1, s2, &g->a, in, prec);
                arb_mul(t, &g->b, &g->c, prec), arb_mul(t, t, s2, prec);
                arb_mul(&g->d, &g->d, s1, prec), arb_add(&g->d, &g->d, t, prec);
                arb_mul(&g->b, &g->b, s1, prec), arb_mul(&g->c, &g->c, s1, prec);
                arb_set(&g->a, s0);
            }
        for (slong i = 0; i < N * np; i++) hd_clear(F + i);
        flint_free(F);
        F = G;
    }
    /* Phi = sum (f - y)^2: its e1 e2 part is sum 2 (e d + b c) */
    arb_zero(out);
    for (slong i = 0; i < N; i++)
        for (slong j = 0; j < in->m; j++) {
            hd *f = F + i * in->m + j;
            arb_set_fmpq(t, fmpq_mat_entry(in->Y, i, j), prec);
            arb_sub(t, &f->a, t, prec);
            arb_addmul(out, t, &f->d, prec);
            arb_addmul(out, &f->b, &f->c, prec);
        }
    arb_mul_2exp_si(out, out, 1);
    for (slong i = 0; i < N * in->m; i++) hd_clear(F + i);
    flint_free(F);
    hd_clear(&w);
    arb_clear(t), arb_clear(s0), arb_clear(s1), arb_clear(s2);
}

void lmo_nh_block_hessian(arb_mat_t H, const lmo_nh_input_t in, const int *blk, slong prec)
{
    slong P = lmo_nh_block_size(in, blk), from = 0;
    while (from < in->L && !blk[from + 1]) from++;
    arb_mat_t Ff;
    arb_mat_init(Ff, in->N, in->n[from]);
    lmo_nh_forward(Ff, in, from, prec);
    for (slong p = 0; p < P; p++)
        for (slong q = p; q < P; q++) {
            slong lp, rp, sp, lq, rq, sq;
            param_of(&lp, &rp, &sp, p, in, blk);
            param_of(&lq, &rq, &sq, q, in, blk);
            second(arb_mat_entry(H, p, q), in, Ff, from, lp, rp, sp, lq, rq, sq, prec);
            arb_set(arb_mat_entry(H, q, p), arb_mat_entry(H, p, q));
        }
    arb_mat_clear(Ff);
}

/* ball LDL^T with symmetric pivoting on the largest certified |diagonal|: 1 when every pivot
 * excludes 0 (pos, neg counted: the inertia, by Sylvester), 0 at a step whose remaining
 * diagonal balls all contain 0 */
static int ldlt(slong *pos, slong *neg, const arb_mat_t H, slong prec)
{
    slong n = arb_mat_nrows(H);
    arb_mat_t A;
    arb_t f;
    arf_t lb, best;
    int ok = 1;
    arb_mat_init(A, n, n);
    arb_mat_set(A, H);
    arb_init(f), arf_init(lb), arf_init(best);
    *pos = *neg = 0;
    for (slong s = 0; s < n && ok; s++) {
        slong bi = -1;
        arf_zero(best);
        for (slong i = s; i < n; i++) {
            arb_get_abs_lbound_arf(lb, arb_mat_entry(A, i, i), prec);
            if (arf_cmp(lb, best) > 0) arf_set(best, lb), bi = i;
        }
        if (bi < 0) { ok = 0; break; }
        if (bi != s) { /* P A P^T */
            arb_mat_swap_rows(A, NULL, s, bi);
            for (slong i = 0; i < n; i++) arb_swap(arb_mat_entry(A, i, s), arb_mat_entry(A, i, bi));
        }
        if (arb_is_positive(arb_mat_entry(A, s, s))) (*pos)++; else (*neg)++;
        for (slong i = s + 1; i < n; i++) {
            arb_div(f, arb_mat_entry(A, i, s), arb_mat_entry(A, s, s), prec);
            for (slong j = s + 1; j < n; j++)
                arb_submul(arb_mat_entry(A, i, j), f, arb_mat_entry(A, s, j), prec);
        }
    }
    arb_clear(f), arf_clear(lb), arf_clear(best);
    arb_mat_clear(A);
    return ok;
}

void lmo_nh_nondegenerate(lmo_nh_nondeg_t *r, const lmo_nh_input_t in, const int *blk,
                          slong max_prec)
{
    slong P = lmo_nh_block_size(in, blk);
    memset(r, 0, sizeof *r);
    r->size = P;
    r->status = -1;
    if (P > LMO_NH_HESS_MAX) {
        snprintf(r->how, sizeof r->how, "%ld parameters, over the cap %d", (long)P, LMO_NH_HESS_MAX);
        return;
    }
    arb_mat_t H;
    arb_t det;
    arb_mat_init(H, P, P);
    arb_init(det);
    for (slong prec = max_prec < 128 ? max_prec : 128;; prec = 2 * prec < max_prec ? 2 * prec : max_prec) {
        r->prec = prec;
        lmo_nh_block_hessian(H, in, blk, prec);
        /* a row of exact zeros proves singularity */
        for (slong i = 0; i < P && r->status < 0; i++) {
            slong j = 0;
            while (j < P && arb_is_zero(arb_mat_entry(H, i, j))) j++;
            if (j == P) {
                r->status = 0;
                snprintf(r->how, sizeof r->how, "row %ld of the block Hessian is exactly 0", (long)i);
            }
        }
        if (r->status >= 0) break;
        if (ldlt(&r->pos, &r->neg, H, prec)) {
            r->status = 1, r->inertia = 1;
            snprintf(r->how, sizeof r->how, "ball LDL^T: %ld positive and %ld negative pivots, all "
                     "excluding 0, at %ld bits", (long)r->pos, (long)r->neg, (long)prec);
            break;
        }
        arb_mat_det(det, H, prec);
        if (!arb_contains_zero(det)) {
            r->status = 1;
            snprintf(r->how, sizeof r->how, "an LDL^T pivot contains 0 but the ball LU determinant "
                     "excludes 0 at %ld bits", (long)prec);
            break;
        }
        if (prec >= max_prec) {
            snprintf(r->how, sizeof r->how, "undecided at precision %ld: an LDL^T pivot and the "
                     "determinant contain 0", (long)prec);
            break;
        }
    }
    arb_clear(det);
    arb_mat_clear(H);
}
