/* The gradient of Phi (1) in balls by Lemma 2.1 of Nguyen & Hein (2017)
 * (lmo/nguyen_hein/nguyen_hein.h, lmo_nh_gradient). */
#include "lmo/nguyen_hein/nguyen_hein.h"

/* y = sigma'(t): sigmoid s (1 - s), tanh 1 - tanh^2, softplus 1 / (1 + e^{-alpha t}) */
static void sigma_prime(arb_t y, const arb_t t, lmo_nh_activation_t act, const fmpq_t alpha,
                        slong prec)
{
    arb_t s, a;
    arb_init(s), arb_init(a);
    if (act == LMO_NH_SOFTPLUS) {
        arb_set_fmpq(a, alpha, prec);
        arb_mul(s, a, t, prec);
        arb_neg(s, s);
        arb_exp(s, s, prec);
        arb_add_ui(s, s, 1, prec);
        arb_inv(y, s, prec);
    } else if (act == LMO_NH_TANH) {
        arb_tanh(s, t, prec);
        arb_sqr(s, s, prec);
        arb_sub_ui(s, s, 1, prec);
        arb_neg(y, s);
    } else {
        lmo_nh_sigma(s, t, act, alpha, prec);
        arb_sub_ui(a, s, 1, prec);
        arb_neg(a, a);
        arb_mul(y, s, a, prec);
    }
    arb_clear(s), arb_clear(a);
}

void lmo_nh_gradient(arb_mat_struct *gW, arb_mat_struct *gb, const lmo_nh_input_t in, slong prec)
{
    slong N = in->N, L = in->L;
    arb_mat_struct *F = flint_malloc(sizeof(arb_mat_struct) * (size_t)(L + 1));
    arb_mat_struct *G = flint_malloc(sizeof(arb_mat_struct) * (size_t)(L + 1));
    arb_mat_t W, D, Dn, Wt, Ft;
    arb_t y;
    arb_init(y);
    /* the forward pass of Section 2, keeping G_l and F_l */
    arb_mat_init(F + 0, N, in->d);
    arb_mat_init(G + 0, N, in->d);
    arb_mat_set_fmpq_mat(F + 0, in->X, prec);
    for (slong l = 1; l <= L; l++) {
        arb_mat_init(F + l, N, in->n[l]);
        arb_mat_init(G + l, N, in->n[l]);
        arb_mat_init(W, in->n[l - 1], in->n[l]);
        arb_mat_set_fmpq_mat(W, in->W + (l - 1), prec);
        arb_mat_mul(G + l, F + (l - 1), W, prec);
        for (slong j = 0; j < in->n[l]; j++) {
            arb_set_fmpq(y, fmpq_mat_entry(in->b + (l - 1), 0, j), prec);
            for (slong i = 0; i < N; i++) {
                arb_add(arb_mat_entry(G + l, i, j), arb_mat_entry(G + l, i, j), y, prec);
                lmo_nh_sigma(arb_mat_entry(F + l, i, j), arb_mat_entry(G + l, i, j), in->act,
                             in->alpha, prec);
            }
        }
        arb_mat_clear(W);
    }
    /* Lemma 2.1: Delta_L = l'(F_L - Y) o sigma'(G_L) (l'(a) = 2a for the squared loss) */
    arb_mat_init(D, N, in->n[L]);
    for (slong i = 0; i < N; i++)
        for (slong j = 0; j < in->n[L]; j++) {
            arb_set_fmpq(y, fmpq_mat_entry(in->Y, i, j), prec);
            arb_sub(y, arb_mat_entry(F + L, i, j), y, prec);
            lmo_nh_ell(NULL, y, y, in, i, j, prec);
            sigma_prime(arb_mat_entry(D, i, j), arb_mat_entry(G + L, i, j), in->act, in->alpha, prec);
            arb_mul(arb_mat_entry(D, i, j), arb_mat_entry(D, i, j), y, prec);
        }
    for (slong l = L; l >= 1; l--) {
        /* grad W_l = F_{l-1}^T Delta_l (X^T Delta_1 for l = 1), grad b_l = Delta_l^T 1_N */
        arb_mat_init(Ft, in->n[l - 1], N);
        arb_mat_transpose(Ft, F + (l - 1));
        arb_mat_mul(gW + (l - 1), Ft, D, prec);
        arb_mat_clear(Ft);
        for (slong j = 0; j < in->n[l]; j++) {
            arb_zero(arb_mat_entry(gb + (l - 1), 0, j));
            for (slong i = 0; i < N; i++)
                arb_add(arb_mat_entry(gb + (l - 1), 0, j), arb_mat_entry(gb + (l - 1), 0, j),
                        arb_mat_entry(D, i, j), prec);
        }
        if (l == 1) break;
        /* Delta_{l-1} = (Delta_l W_l^T) o sigma'(G_{l-1}) */
        arb_mat_init(Wt, in->n[l], in->n[l - 1]);
        arb_mat_init(W, in->n[l - 1], in->n[l]);
        arb_mat_set_fmpq_mat(W, in->W + (l - 1), prec);
        arb_mat_transpose(Wt, W);
        arb_mat_init(Dn, N, in->n[l - 1]);
        arb_mat_mul(Dn, D, Wt, prec);
        for (slong i = 0; i < N; i++)
            for (slong j = 0; j < in->n[l - 1]; j++) {
                sigma_prime(y, arb_mat_entry(G + (l - 1), i, j), in->act, in->alpha, prec);
                arb_mul(arb_mat_entry(Dn, i, j), arb_mat_entry(Dn, i, j), y, prec);
            }
        arb_mat_swap(D, Dn);
        arb_mat_clear(Dn), arb_mat_clear(W), arb_mat_clear(Wt);
    }
    arb_mat_clear(D);
    for (slong l = 0; l <= L; l++) arb_mat_clear(F + l), arb_mat_clear(G + l);
    flint_free(F), flint_free(G);
    arb_clear(y);
}

/* 1 when some entry of layer l's block (W_l, b_l) excludes 0; where names it. */
static int block_nonzero(const arb_mat_struct *gW, const arb_mat_struct *gb, slong l, char *where,
                         size_t cap)
{
    for (slong r = 0; r < arb_mat_nrows(gW + (l - 1)); r++)
        for (slong s = 0; s < arb_mat_ncols(gW + (l - 1)); s++)
            if (!arb_contains_zero(arb_mat_entry(gW + (l - 1), r, s))) {
                snprintf(where, cap, "dPhi/d(W_%ld)[%ld][%ld]", (long)l, (long)r, (long)s);
                return 1;
            }
    for (slong s = 0; s < arb_mat_ncols(gb + (l - 1)); s++)
        if (!arb_contains_zero(arb_mat_entry(gb + (l - 1), 0, s))) {
            snprintf(where, cap, "dPhi/d(b_%ld)[%ld]", (long)l, (long)s);
            return 1;
        }
    return 0;
}

void lmo_nh_critical(lmo_nh_critical_t *c, const lmo_nh_input_t in, slong k, slong max_prec)
{
    slong L = in->L;
    arb_mat_struct *gW = flint_malloc(sizeof(arb_mat_struct) * (size_t)L);
    arb_mat_struct *gb = flint_malloc(sizeof(arb_mat_struct) * (size_t)L);
    for (slong l = 0; l < L; l++) {
        arb_mat_init(gW + l, in->n[l], in->n[l + 1]);
        arb_mat_init(gb + l, 1, in->n[l + 1]);
    }
    c->nonzero = c->block_nonzero = 0;
    c->where[0] = c->block_where[0] = '\0';
    for (slong prec = max_prec < 128 ? max_prec : 128;; prec = 2 * prec < max_prec ? 2 * prec : max_prec) {
        c->prec = prec;
        lmo_nh_gradient(gW, gb, in, prec);
        c->nonzero = 0;
        for (slong l = L; l >= 1 && !c->nonzero; l--)
            c->nonzero = block_nonzero(gW, gb, l, c->where, sizeof c->where);
        c->block_nonzero = k + 1 <= L && block_nonzero(gW, gb, k + 1, c->block_where,
                                                       sizeof c->block_where);
        if ((c->nonzero && (c->block_nonzero || k + 1 > L)) || prec >= max_prec) break;
    }
    for (slong l = 0; l < L; l++) arb_mat_clear(gW + l), arb_mat_clear(gb + l);
    flint_free(gW), flint_free(gb);
}
