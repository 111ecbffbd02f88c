/* The exact forward pass, Lambda, gradient, the blocks D_k(l), J of (4.2) and the checks of
 * Theorem 1, Lemma 1 and Lemma 3 (Kawaguchi-Huang-Kaelbling 2019). Definitions and their
 * reading of the paper: lmo/khk/khk.h. */
#include <string.h>
#include <flint/fmpq_vec.h>
#include "lmo/khk/khk.h"
#include "lmo/khk/prop1.h"
#include "lmo/core/vector_io.h"

static const char THM1[] = "Kawaguchi–Huang–Kaelbling 2019 Theorem 1";
static const char LEMMA1[] = "Kawaguchi–Huang–Kaelbling 2019 Lemma 1";
static const char LEMMA3[] = "Kawaguchi–Huang–Kaelbling 2019 Lemma 3";
static const char PROP1[] = "Kawaguchi–Huang–Kaelbling 2019 Proposition 1";

void lmo_khk_result_init(lmo_khk_result_t r)
{
    memset(r, 0, sizeof *r);
    fmpq_init(r->grad_norm2), fmpq_init(r->loss), fmpq_init(r->J), fmpq_init(r->J_direct);
    fmpq_init(r->J_prop1);
    lmo_khk_prop2_init(r->prop2);
    lmo_khk_thm2_init(r->thm2);
}

void lmo_khk_result_clear(lmo_khk_result_t r)
{
    if (r->ready) {
        for (slong l = 0; l <= r->H + 1; l++) fmpq_mat_clear(r->Phi + l);
        for (slong l = 0; l < r->H; l++) fmpq_mat_clear(r->Lam + l);
        for (slong l = 0; l <= r->H; l++) fmpq_mat_clear(r->grad + l);
        flint_free(r->Phi), flint_free(r->Lam), flint_free(r->grad), flint_free(r->d);
        if (r->terms) _fmpq_vec_clear(r->terms, r->nblocks);
        flint_free(r->block_layer), flint_free(r->block_unit), flint_free(r->term_rank);
        flint_free(r->def1), flint_free(r->n_max);
    }
    fmpq_clear(r->grad_norm2), fmpq_clear(r->loss), fmpq_clear(r->J), fmpq_clear(r->J_direct);
    fmpq_clear(r->J_prop1);
    lmo_khk_prop2_clear(r->prop2);
    lmo_khk_thm2_clear(r->thm2);
    memset(r, 0, sizeof *r);
}

/* Phi(0..H+1), Lambda(1..H), the first kink, the loss. */
static void forward(lmo_khk_result_t r, const lmo_khk_t net)
{
    slong H = net->H, m = net->m;
    fmpq_t s, lam;
    fmpq_init(s), fmpq_init(lam);
    r->H = H, r->m = m, r->dy = net->d[H + 1], r->n = m * net->d[H + 1];
    r->d = flint_malloc(sizeof(slong) * (size_t) (H + 2));
    memcpy(r->d, net->d, sizeof(slong) * (size_t) (H + 2));
    r->Phi = flint_malloc(sizeof(fmpq_mat_struct) * (size_t) (H + 2));
    r->Lam = flint_malloc(sizeof(fmpq_mat_struct) * (size_t) H);
    r->grad = flint_malloc(sizeof(fmpq_mat_struct) * (size_t) (H + 1));
    fmpq_mat_init(r->Phi, m, net->d[0]);
    fmpq_mat_set(r->Phi, net->X);
    r->differentiable = 1;
    for (slong l = 1; l <= H + 1; l++) {
        fmpq_mat_init(r->Phi + l, m, net->d[l]);
        fmpq_mat_mul(r->Phi + l, r->Phi + l - 1, net->W + l - 1);  /* G(l) = Phi(l-1) W(l) */
        if (l == H + 1) break;
        fmpq_mat_init(r->Lam + l - 1, m, net->d[l]);
        /* the kink reported is the first in (layer, unit, sample) order */
        for (slong k = 0; k < net->d[l]; k++)
            for (slong i = 0; i < m; i++) {
                fmpq *z = fmpq_mat_entry(r->Phi + l, i, k);
                if (lmo_khk_act_eval(s, lam, net->act + l - 1, z) && r->differentiable) {
                    r->differentiable = 0;
                    r->kink_layer = l, r->kink_unit = k + 1, r->kink_sample = i + 1;
                }
                fmpq_set(z, s);
                fmpq_set(fmpq_mat_entry(r->Lam + l - 1, i, k), lam);
            }
    }
    fmpq_zero(lam);   /* the loss, accumulated locally (GCC 12 misjudges r's size) */
    for (slong i = 0; i < m; i++)
        for (slong j = 0; j < r->dy; j++) {
            fmpq_sub(s, fmpq_mat_entry(r->Phi + H + 1, i, j), fmpq_mat_entry(net->Y, i, j));
            fmpq_addmul(lam, s, s);
        }
    fmpq_div_2exp(lam, lam, 1);
    fmpq_swap(r->loss, lam);
    fmpq_clear(s), fmpq_clear(lam);
}

/* M := (M W^T) o Lam, M in place (m x d(l+1) -> m x dl). */
static void back_step(fmpq_mat_t M, const fmpq_mat_t W, const fmpq_mat_t Lam)
{
    fmpq_mat_t Wt, N;
    fmpq_mat_init(Wt, fmpq_mat_ncols(W), fmpq_mat_nrows(W));
    fmpq_mat_init(N, fmpq_mat_nrows(M), fmpq_mat_nrows(W));
    fmpq_mat_transpose(Wt, W);
    fmpq_mat_mul(N, M, Wt);
    for (slong i = 0; i < fmpq_mat_nrows(N); i++)
        for (slong k = 0; k < fmpq_mat_ncols(N); k++)
            fmpq_mul(fmpq_mat_entry(N, i, k), fmpq_mat_entry(N, i, k), fmpq_mat_entry(Lam, i, k));
    fmpq_mat_swap(M, N);
    fmpq_mat_clear(N), fmpq_mat_clear(Wt);
}

/* The gradient dL/dW(l) = Phi(l-1)^T delta(l) (backpropagation at fixed Lambda). */
static void gradient(lmo_khk_result_t r, const lmo_khk_t net)
{
    slong H = r->H;
    fmpq_mat_t delta, Pt;
    fmpq_mat_init(delta, r->m, r->dy);
    fmpq_mat_sub(delta, r->Phi + H + 1, net->Y);
    fmpq_t g2;
    fmpq_init(g2);
    for (slong l = H + 1; l >= 1; l--) {
        if (l <= H) back_step(delta, net->W + l, r->Lam + l - 1);
        fmpq_mat_init(Pt, net->d[l - 1], r->m);
        fmpq_mat_transpose(Pt, r->Phi + l - 1);
        fmpq_mat_init(r->grad + l - 1, net->d[l - 1], net->d[l]);
        fmpq_mat_mul(r->grad + l - 1, Pt, delta);
        fmpq_mat_clear(Pt);
        for (slong a = 0; a < net->d[l - 1]; a++)
            for (slong k = 0; k < net->d[l]; k++)
                fmpq_addmul(g2, fmpq_mat_entry(r->grad + l - 1, a, k),
                            fmpq_mat_entry(r->grad + l - 1, a, k));
    }
    fmpq_swap(r->grad_norm2, g2);
    fmpq_clear(g2);
    r->critical = r->differentiable && fmpq_is_zero(r->grad_norm2);
    fmpq_mat_clear(delta);
}

/* T[j] = T(l)_j (m x dl) for the layer l, j = 0..dy-1: column k, row i is the sum over the
 * paths from unit k of layer l to output j of the weights times the Lambdas of sample i. */
static fmpq_mat_struct *path_gains(const lmo_khk_result_t r, const lmo_khk_t net, slong l)
{
    slong H = r->H;
    fmpq_mat_struct *T = flint_malloc(sizeof(fmpq_mat_struct) * (size_t) r->dy);
    for (slong j = 0; j < r->dy; j++) {
        fmpq_mat_init(T + j, r->m, net->d[H]);
        for (slong i = 0; i < r->m; i++)     /* T(H)_j = Lambda(H) o W(H+1)[:, j]^T */
            for (slong k = 0; k < net->d[H]; k++)
                fmpq_mul(fmpq_mat_entry(T + j, i, k), fmpq_mat_entry(r->Lam + H - 1, i, k),
                         fmpq_mat_entry(net->W + H, k, j));
        for (slong q = H - 1; q >= l; q--) back_step(T + j, net->W + q, r->Lam + q - 1);
    }
    return T;
}

/* D_k(l) into D (n x d(l-1), initialised here) from the path gains T of layer l. */
static void D_from_gains(fmpq_mat_t D, const lmo_khk_result_t r, const fmpq_mat_struct *T,
                         slong l, slong k)
{
    const fmpq_mat_struct *P = r->Phi + l - 1;
    fmpq_mat_init(D, r->n, fmpq_mat_ncols(P));
    for (slong j = 0; j < r->dy; j++)
        for (slong i = 0; i < r->m; i++)
            for (slong a = 0; a < fmpq_mat_ncols(P); a++)
                fmpq_mul(fmpq_mat_entry(D, j * r->m + i, a), fmpq_mat_entry(T + j, i, k - 1),
                         fmpq_mat_entry(P, i, a));
}

/* D_1(H+1) = I_dy (x) Phi(H). */
static void D_last(fmpq_mat_t D, const lmo_khk_result_t r)
{
    const fmpq_mat_struct *P = r->Phi + r->H;
    slong c = fmpq_mat_ncols(P);
    fmpq_mat_init(D, r->n, c * r->dy);
    for (slong j = 0; j < r->dy; j++)
        for (slong i = 0; i < r->m; i++)
            for (slong a = 0; a < c; a++)
                fmpq_set(fmpq_mat_entry(D, j * r->m + i, j * c + a), fmpq_mat_entry(P, i, a));
}

static void gains_clear(fmpq_mat_struct *T, slong dy)
{
    for (slong j = 0; j < dy; j++) fmpq_mat_clear(T + j);
    flint_free(T);
}

void lmo_khk_D_block(fmpq_mat_t D, const lmo_khk_t net, slong l, slong k)
{
    lmo_khk_result_struct *r = flint_malloc(sizeof *r);
    lmo_khk_result_init(r);
    forward(r, net);
    gradient(r, net);
    r->ready = 1;
    if (l == net->H + 1) {
        D_last(D, r);
    } else {
        fmpq_mat_struct *T = path_gains(r, net, l);
        D_from_gains(D, r, T, l, k);
        gains_clear(T, r->dy);
    }
    lmo_khk_result_clear(r);
    flint_free(r);
}

/* Definition 1: the largest family S(H+1) ... S(1) and n_max(t) (lmo/khk/khk.h). */
static void weakly_separated(lmo_khk_result_t r, const lmo_khk_t net)
{
    slong H = r->H, tot = 0, *off = flint_malloc(sizeof(slong) * (size_t) (H + 2));
    for (slong l = 1; l <= H; l++) off[l] = tot, tot += net->d[l];
    r->def1 = flint_calloc((size_t) tot + 1, sizeof(int));
    r->n_max = flint_malloc(sizeof(slong) * (size_t) (H + 1));
    slong *size = flint_malloc(sizeof(slong) * (size_t) (H + 2));
    size[H + 1] = r->dy;
    fmpq_t z;
    fmpq_init(z);
    for (slong l = H; l >= 1; l--) {
        size[l] = 0;
        for (slong k = 0; k < net->d[l]; k++) {
            int in = 1;
            /* (ii): Phi(l)[:, k] = (Phi(l-1) W(l))[:, k] */
            for (slong i = 0; i < r->m && in; i++) {
                fmpq_zero(z);
                for (slong a = 0; a < net->d[l - 1]; a++)
                    fmpq_addmul(z, fmpq_mat_entry(r->Phi + l - 1, i, a), fmpq_mat_entry(net->W + l - 1, a, k));
                in = fmpq_equal(z, fmpq_mat_entry(r->Phi + l, i, k));
            }
            /* (iii), l <= H-1: no weight from k to a unit of layer l+1 outside S(l+1) */
            for (slong j = 0; j < net->d[l + 1] && in && l <= H - 1; j++)
                if (!r->def1[off[l + 1] + j] && !fmpq_is_zero(fmpq_mat_entry(net->W + l, k, j))) in = 0;
            r->def1[off[l] + k] = in;
            size[l] += in;
        }
    }
    for (slong t = H; t >= 0; t--)
        r->n_max[t] = t == H ? size[H + 1] : FLINT_MIN(r->n_max[t + 1], size[t + 1]);
    fmpq_clear(z);
    flint_free(size), flint_free(off);
}

void lmo_khk_path_matrix(fmpq_mat_t A, const lmo_khk_t net)
{
    slong H = net->H, dtheta = 0, c = 0;
    for (slong l = 1; l <= H + 1; l++) dtheta += net->d[l - 1] * net->d[l];
    lmo_khk_result_struct *r = flint_malloc(sizeof *r);
    lmo_khk_result_init(r);
    forward(r, net);
    gradient(r, net);
    r->ready = 1;
    fmpq_mat_init(A, r->n, dtheta);
    for (slong l = 1; l <= H + 1; l++) {
        fmpq_mat_struct *T = l <= H ? path_gains(r, net, l) : NULL;
        for (slong k = 1; k <= (l <= H ? net->d[l] : 1); k++) {
            fmpq_mat_t D;
            if (l <= H) D_from_gains(D, r, T, l, k);
            else D_last(D, r);
            for (slong i = 0; i < r->n; i++)
                for (slong a = 0; a < fmpq_mat_ncols(D); a++)
                    fmpq_set(fmpq_mat_entry(A, i, c + a), fmpq_mat_entry(D, i, a));
            c += fmpq_mat_ncols(D);
            fmpq_mat_clear(D);
        }
        if (T) gains_clear(T, r->dy);
    }
    lmo_khk_result_clear(r);
    flint_free(r);
}

static void theorems(lmo_khk_result_t r, int lemma3_ok)
{
    fmpq_t gap;
    fmpq_init(gap);
    fmpq_sub(gap, r->loss, r->J);
    char *L = lmo_q_get_str(r->loss), *J = lmo_q_get_str(r->J), *G = lmo_q_get_str(gap);
    char *N = lmo_q_get_str(r->grad_norm2);
    lmo_theorem_t *t = r->thm;
    if (r->lemma1_ok)
        lmo_theorem_set(t + LMO_KHK_LEMMA_1, LEMMA1, LMO_OUTCOME_HOLDS, "vec(Yhat) = D(l) vec(W(l)) "
                        "for every l = 1..%ld (Lambda = 0 at kinks)", (long) r->H);
    else
        lmo_theorem_set(t + LMO_KHK_LEMMA_1, LEMMA1, LMO_OUTCOME_VIOLATED, "vec(Yhat) != D(l) "
                        "vec(W(l)) for some l: the blocks D_k(l) are wrong");
    if (lemma3_ok)
        lmo_theorem_set(t + LMO_KHK_LEMMA_3, LEMMA3, LMO_OUTCOME_HOLDS, "sum over the %ld blocks "
                        "of ||P[N_k(l) D_k(l)] vec Y||^2 = ||P[[D D_1(H+1)]] vec Y||^2 (rank %ld), "
                        "as in proof A.1", (long) r->nblocks, (long) r->path_rank);
    else
        lmo_theorem_set(t + LMO_KHK_LEMMA_3, LEMMA3, LMO_OUTCOME_VIOLATED, "the Gram-Schmidt sum "
                        "of (4.2) differs from the direct projection ||P[[D D_1(H+1)]] vec Y||^2");
    if (fmpq_sgn(gap) < 0)
        lmo_theorem_set(t + LMO_KHK_THM_1, THM1, LMO_OUTCOME_VIOLATED, "J = %.60s > L = %.60s, "
                        "but vec(Yhat) lies in range([D D_1(H+1)]) (Lemma 1), so J <= L always", J, L);
    else if (!r->differentiable)
        lmo_theorem_set(t + LMO_KHK_THM_1, THM1, LMO_OUTCOME_NOT_APPLICABLE, "not differentiable: "
                        "unit %ld of hidden layer %ld has pre-activation 0 at sample %ld; J <= L "
                        "holds (L - J = %.60s)", (long) r->kink_unit, (long) r->kink_layer,
                        (long) r->kink_sample, G);
    else if (!r->critical)
        lmo_theorem_set(t + LMO_KHK_THM_1, THM1, LMO_OUTCOME_NOT_APPLICABLE, "not a critical point "
                        "(squared gradient norm %.60s); J <= L holds, L - J = %.60s",
                        N, G);
    else if (fmpq_is_zero(gap))
        lmo_theorem_set(t + LMO_KHK_THM_1, THM1, LMO_OUTCOME_HOLDS, "differentiable critical "
                        "point (the first-order condition proof A.1 uses): L = J = %.60s", L);
    else
        lmo_theorem_set(t + LMO_KHK_THM_1, THM1, LMO_OUTCOME_VIOLATED, "differentiable critical "
                        "point but L = %.60s != J = %.60s", L, J);
    if (!r->prop1_done) {
        lmo_theorem_set(t + LMO_KHK_PROP_1, PROP1, LMO_OUTCOME_NOT_APPLICABLE, "needs one hidden "
                        "layer and scalar output (Section 3); here H = %ld, dy = %ld", (long) r->H,
                        (long) r->dy);
    } else if (!fmpq_equal(r->J_prop1, r->J)) {
        char *P = lmo_q_get_str(r->J_prop1);
        lmo_theorem_set(t + LMO_KHK_PROP_1, PROP1, LMO_OUTCOME_VIOLATED, "(3.2) by Gram-Schmidt "
                        "on R^m gives %.60s but (4.2) gives J = %.60s", P, J);
        flint_free(P);
    } else if (!r->differentiable || !r->critical) {
        lmo_theorem_set(t + LMO_KHK_PROP_1, PROP1, LMO_OUTCOME_NOT_APPLICABLE, "not a "
                        "differentiable critical point; (3.2)'s right side = J = %.60s <= L", J);
    } else {
        lmo_theorem_set(t + LMO_KHK_PROP_1, PROP1, fmpq_is_zero(gap) ? LMO_OUTCOME_HOLDS :
                        LMO_OUTCOME_VIOLATED, "differentiable critical point: L = %.60s, (3.2)'s "
                        "right side = %.60s", L, J);
    }
    if (!r->prop2_done) {
        lmo_theorem_set(t + LMO_KHK_PROP_2, LMO_KHK_PROP2_STATEMENT, LMO_OUTCOME_NOT_APPLICABLE,
                        "needs one hidden layer (Section 3.2, (B.2)); here H = %ld", (long) r->H);
    } else {
        /* loss_proj <= J always (range([D D_1(2)]) lies in I_dy (x) range(Dtilde)); equal when
         * dy = 1 and every entry of W(2) is non-zero (then the ranges agree): lmo/khk/prop2.h */
        t[LMO_KHK_PROP_2] = r->prop2->thm;
        int c = fmpq_cmp(r->prop2->loss_proj, r->J);
        if (c > 0 || (c != 0 && r->dy == 1 && r->w2_rows_nonzero)) {
            char *P = lmo_q_get_str(r->prop2->loss_proj);
            lmo_theorem_set(t + LMO_KHK_PROP_2, LMO_KHK_PROP2_STATEMENT, LMO_OUTCOME_VIOLATED,
                            "Lemma 5's 1/2 ||(I - P[Dtilde]) Y||^2 = %.60s %s J = %.60s", P,
                            c > 0 ? ">" : "!=", J);
            flint_free(P);
        }
    }
    for (int i = 0; i < LMO_KHK_NTHM; i++) r->violation |= t[i].outcome == LMO_OUTCOME_VIOLATED;
    flint_free(L), flint_free(J), flint_free(G), flint_free(N);
    fmpq_clear(gap);
}

int lmo_khk_compute(lmo_khk_result_t r, const lmo_khk_t net, const lmo_limits_t *lim,
                    lmo_err_t *err)
{
    slong H = net->H, dtheta = 0, n = net->m * net->d[H + 1];
    for (slong l = 1; l <= H + 1; l++) dtheta += net->d[l - 1] * net->d[l];
    if (lim && n * dtheta > lim->max_entries)
        return lmo_err_set(err, LMO_ELIMIT, "[D D_1(H+1)] is %ld x %ld, over the entry cap",
                           (long) n, (long) dtheta);
    forward(r, net);
    gradient(r, net);
    r->ready = 1;
    weakly_separated(r, net);
    r->nblocks = 1;
    for (slong l = 1; l <= H; l++) r->nblocks += net->d[l];
    r->terms = _fmpq_vec_init(r->nblocks);
    r->block_layer = flint_malloc(sizeof(slong) * (size_t) r->nblocks);
    r->block_unit = flint_malloc(sizeof(slong) * (size_t) r->nblocks);
    r->term_rank = flint_malloc(sizeof(slong) * (size_t) r->nblocks);
    fmpq_mat_struct *blocks = flint_malloc(sizeof(fmpq_mat_struct) * (size_t) r->nblocks);
    fmpq_mat_t y, yhat, acc;
    lmo_khk_vec(y, net->Y);
    lmo_khk_vec(yhat, r->Phi + H + 1);
    fmpq_mat_init(acc, n, 1);
    r->lemma1_ok = 1;
    slong b = 0;
    for (slong l = 1; l <= H; l++) {
        fmpq_mat_struct *T = path_gains(r, net, l);
        fmpq_mat_zero(acc);
        for (slong k = 1; k <= net->d[l]; k++, b++) {
            D_from_gains(blocks + b, r, T, l, k);
            r->block_layer[b] = l, r->block_unit[b] = k;
            /* Lemma 1: vec(Yhat) = sum_k D_k(l) W(l)[:, k] */
            fmpq_mat_t wk, t;
            fmpq_mat_init(wk, net->d[l - 1], 1);
            fmpq_mat_init(t, n, 1);
            for (slong a = 0; a < net->d[l - 1]; a++)
                fmpq_set(fmpq_mat_entry(wk, a, 0), fmpq_mat_entry(net->W + l - 1, a, k - 1));
            fmpq_mat_mul(t, blocks + b, wk);
            fmpq_mat_add(acc, acc, t);
            fmpq_mat_clear(wk), fmpq_mat_clear(t);
        }
        r->lemma1_ok &= fmpq_mat_equal(acc, yhat);
        gains_clear(T, r->dy);
    }
    D_last(blocks + b, r);
    r->block_layer[b] = H + 1, r->block_unit[b] = 1;
    fmpq_t total, sum, half;
    fmpq_init(total), fmpq_init(sum), fmpq_init(half);
    int rc = LMO_OK;
    if (lmo_khk_decompose(r->terms, r->term_rank, total, blocks, r->nblocks, y))
        rc = lmo_err_set(err, LMO_ELIMIT, "khk: singular normal equations of a column basis "
                         "(internal error)");
    /* rank of [D D_1(H+1)] = the sum of the ranks of the Q blocks (they are orthogonal) */
    r->path_rank = 0;
    for (slong i = 0; i < r->nblocks; i++) r->path_rank += r->term_rank[i];
    for (slong i = 0; i < r->nblocks; i++) {
        fmpq_add(sum, sum, r->terms + i);
        fmpq_div_2exp(r->terms + i, r->terms + i, 1);
    }
    fmpq_zero(half);
    for (slong i = 0; i < n; i++) fmpq_addmul(half, fmpq_mat_entry(y, i, 0), fmpq_mat_entry(y, i, 0));
    fmpq_sub(r->J, half, sum);
    fmpq_div_2exp(r->J, r->J, 1);                 /* (4.2) */
    fmpq_sub(r->J_direct, half, total);
    fmpq_div_2exp(r->J_direct, r->J_direct, 1);   /* Appendix C, with the 1/2 */
    if (rc == LMO_OK && H == 1 && r->dy == 1) {
        r->prop1_done = 1;
        if (lmo_khk_prop1_J(r->J_prop1, NULL, net)) r->prop1_done = 0;
    }
    if (rc == LMO_OK && H == 1) {
        rc = lmo_khk_prop2(r->prop2, r->Lam, net->X, net->Y, err);
        r->prop2_done = rc == LMO_OK;
        r->w2_rows_nonzero = 1;
        for (slong k = 0; k < net->d[1]; k++) {
            int nz = 0;
            for (slong j = 0; j < r->dy; j++) nz |= !fmpq_is_zero(fmpq_mat_entry(net->W + 1, k, j));
            r->w2_rows_nonzero &= nz;
        }
    }
    theorems(r, fmpq_equal(sum, total));
    if (rc == LMO_OK) rc = lmo_khk_thm2(r->thm2, r, net, blocks, lim, err);
    r->violation |= r->thm2->violation;
    for (slong i = 0; i < r->nblocks; i++) fmpq_mat_clear(blocks + i);
    flint_free(blocks);
    fmpq_mat_clear(y), fmpq_mat_clear(yhat), fmpq_mat_clear(acc);
    fmpq_clear(total), fmpq_clear(sum), fmpq_clear(half);
    return rc;
}

json_t *lmo_khk_result_to_json(const lmo_khk_result_t r)
{
    fmpq_t gap;
    fmpq_init(gap);
    fmpq_sub(gap, r->loss, r->J);
    json_t *pat = json_array(), *terms = json_array(), *thm = json_array();
    for (slong l = 0; l < r->H; l++) json_array_append_new(pat, lmo_json_from_mat(r->Lam + l));
    for (slong l = 1, b = 0; l <= r->H + 1; l++) {
        json_t *row = json_array();
        for (; b < r->nblocks && r->block_layer[b] == l; b++)
            json_array_append_new(row, lmo_json_from_q(r->terms + b));
        json_array_append_new(terms, row);
    }
    for (int i = 0; i < LMO_KHK_NTHM; i++) lmo_theorems_append(thm, r->thm + i);
    for (int i = 0; i < LMO_KHK_T2_N; i++) lmo_theorems_append(thm, r->thm2->thm + i);
    json_t *sets = json_array(), *nmax = json_array();
    for (slong l = 1, o = 0; l <= r->H; o += r->d[l], l++) {
        json_t *s = json_array();
        for (slong k = 0; k < r->d[l]; k++)
            if (r->def1[o + k]) json_array_append_new(s, json_integer(k + 1));
        json_array_append_new(sets, s);
    }
    for (slong t = 0; t <= r->H; t++) json_array_append_new(nmax, json_integer(r->n_max[t]));
    json_t *kink = r->differentiable ? json_null() :
        json_pack("{s:I, s:I, s:I}", "layer", (json_int_t) r->kink_layer, "unit",
                  (json_int_t) r->kink_unit, "sample", (json_int_t) r->kink_sample);
    json_t *p2 = json_null();
    if (r->prop2_done) {
        const lmo_khk_prop2_struct *q = r->prop2;
        json_t *w = json_null();
        if (q->lambda_ok == 0) {
            w = json_array();
            for (slong a = 0; a < q->witness_n; a++) json_array_append_new(w, json_integer(q->witness[a]));
        }
        p2 = json_pack("{s:I, s:I, s:o, s:s, s:o, s:o, s:o}", "rank", (json_int_t) q->rank,
                       "max_rank", (json_int_t) q->max_rank, "generic_rank", q->generic_rank < 0 ?
                       json_null() : json_integer(q->generic_rank), "regime", q->regime == 1 ? "i" : "ii",
                       "lambda_condition", q->lambda_ok < 0 ? json_null() : json_boolean(q->lambda_ok),
                       "witness", w, "loss_proj", lmo_json_from_q(q->loss_proj));
    }
    json_t *o = json_pack("{s:b, s:o, s:o, s:o, s:o, s:o, s:I, s:o, s:o, s:o, s:{s:o, s:o}, s:o}",
                          "differentiable", r->differentiable, "kink", kink, "critical",
                          r->differentiable ? json_boolean(r->critical) : json_null(),
                          "loss", lmo_json_from_q(r->loss), "J", lmo_json_from_q(r->J),
                          "loss_minus_J", lmo_json_from_q(gap), "path_rank",
                          (json_int_t) r->path_rank, "patterns", pat, "terms", terms,
                          "theorems", thm, "weakly_separated", "sets", sets, "n_max", nmax,
                          "prop2", p2);
    json_object_set_new(o, "thm2", lmo_khk_thm2_to_json(r->thm2));
    fmpq_clear(gap);
    return o;
}
