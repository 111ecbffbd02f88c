/*
 * Soudry-Carmon networks, exactly (see lmo/soudry_carmon/mnn.h): forward
 * pass (3.1), gradient matrices (5.2)-(5.5), the Hessian both ways (5.6)-(5.7), Lemma 1
 * under the weights' pattern, and the predictions of Lemma 3, Theorems 4, 5
 * (their hypotheses decided by lmo/soudry_carmon/hypotheses.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <flint/fmpq_mpoly.h>
#include "lmo/core/members.h"
#include "lmo/soudry_carmon/mnn.h"
#include "lmo/soudry_carmon/hypotheses.h"
#include "lmo/linalg/khatri_rao.h"

/* ---------------------------------------------------------------- input */

void lmo_mnn_input_init(lmo_mnn_input_t in, slong L, const slong *d, slong N)
{
    memset(in, 0, sizeof *in);
    in->L = L;
    in->N = N;
    in->d = flint_malloc(sizeof(slong) * (L + 1));
    memcpy(in->d, d, sizeof(slong) * (L + 1));
    fmpq_mat_init(in->X, d[0], N);
    fmpq_mat_init(in->y, 1, N);
    fmpq_init(in->s);
    fmpq_one(in->s);
    in->W = flint_malloc(sizeof(fmpq_mat_struct) * (L + 1));
    for (slong l = 1; l <= L; l++) fmpq_mat_init(in->W + l - 1, d[l], d[l - 1]);
    in->E = flint_malloc(sizeof(fmpq_mat_struct) * (L + 1));
    for (slong l = 1; l < L; l++) {
        fmpq_mat_init(in->E + l - 1, d[l], N);
        for (slong i = 0; i < d[l]; i++)
            for (slong n = 0; n < N; n++) fmpq_one(fmpq_mat_entry(in->E + l - 1, i, n));
    }
}

void lmo_mnn_input_clear(lmo_mnn_input_t in)
{
    _lmo_fmpq_mat_vec_clear(in->W, in->L);
    _lmo_fmpq_mat_vec_clear(in->E, in->L - 1);
    fmpq_mat_clear(in->X);
    fmpq_mat_clear(in->y);
    fmpq_clear(in->s);
    flint_free(in->d);
    memset(in, 0, sizeof *in);
}

static int check_input(const lmo_mnn_input_t in, lmo_err_t *err)
{
    slong L = in->L, N = in->N;
    if (L < 1) return lmo_err_set(err, LMO_EINPUT, "input.weights: needs at least one layer");
    if (in->d[L] != 1) return lmo_err_set(err, LMO_EINPUT, "input.weights[%ld]: the output layer must have d_L = 1 row", (long) (L - 1));
    if (N < 1) return lmo_err_set(err, LMO_EINPUT, "input.X: needs N >= 1 samples");
    if (fmpq_mat_nrows(in->X) != in->d[0] || fmpq_mat_ncols(in->X) != N)
        return lmo_err_set(err, LMO_EINPUT, "input.X: expected d0 x N");
    if (fmpq_mat_ncols(in->y) != N) return lmo_err_set(err, LMO_EINPUT, "input.y: expected N entries");
    for (slong l = 1; l <= L; l++)
        if (fmpq_mat_nrows(in->W + l - 1) != in->d[l] || fmpq_mat_ncols(in->W + l - 1) != in->d[l - 1])
            return lmo_err_set(err, LMO_EINPUT, "input.weights[%ld]: W%ld must be d%ld x d%ld",
                               (long) (l - 1), (long) l, (long) l, (long) (l - 1));
    for (slong l = 1; l < L; l++)
        if (fmpq_mat_nrows(in->E + l - 1) != in->d[l] || fmpq_mat_ncols(in->E + l - 1) != N)
            return lmo_err_set(err, LMO_EINPUT, "input.dropout[%ld]: E%ld must be d%ld x N",
                               (long) (l - 1), (long) l, (long) l);
    if (in->layer < 0 || in->layer > L)
        return lmo_err_set(err, LMO_EINPUT, "input.layer: must be between 1 and L = %ld", (long) L);
    return LMO_OK;
}

/* --------------------------------------------------------------- result */

void lmo_mnn_result_init(lmo_mnn_result_t res)
{
    memset(res, 0, sizeof *res);
}

void lmo_mnn_result_clear(lmo_mnn_result_t res)
{
    if (res->d == NULL) { memset(res, 0, sizeof *res); return; }
    slong L = res->L;
    _lmo_fmpq_mat_vec_clear(res->U, L);
    _lmo_fmpq_mat_vec_clear(res->V, L);
    _lmo_fmpq_mat_vec_clear(res->A, L);
    _lmo_fmpq_mat_vec_clear(res->Delta, L);
    _lmo_fmpq_mat_vec_clear(res->G, L);
    for (slong l = 0; l < L; l++) lmo_rank_clear(res->rank_G + l);
    flint_free(res->rank_G);
    fmpq_mat_clear(res->e);
    fmpq_clear(res->mse);
    flint_free(res->zeros);
    fmpq_mat_clear(res->Gall);
    lmo_rank_clear(res->rank_Gall);
    fmpq_mat_clear(res->grad);
    fmpq_mat_clear(res->H_poly); fmpq_mat_clear(res->H_split); fmpq_mat_clear(res->ELambda);
    fmpq_clear(res->trace_ELambda);
    lmo_lemma1_clear(res->lemma1_min);
    lmo_rank_clear(res->rank_thm5);
    flint_free(res->d);
    memset(res, 0, sizeof *res);
}

static void result_alloc(lmo_mnn_result_t res, const lmo_mnn_input_t in)
{
    lmo_mnn_result_clear(res);
    slong L = in->L, N = in->N, hidden = 0;
    const slong *d = in->d;
    res->L = L; res->N = N;
    res->d = flint_malloc(sizeof(slong) * (L + 1));
    memcpy(res->d, d, sizeof(slong) * (L + 1));
    res->omega = 0;
    for (slong l = 1; l <= L; l++) res->omega += d[l] * d[l - 1];
    for (slong l = 1; l < L; l++) hidden += d[l];
    res->U = flint_malloc(sizeof(fmpq_mat_struct) * L);
    res->V = flint_malloc(sizeof(fmpq_mat_struct) * L);
    res->A = flint_malloc(sizeof(fmpq_mat_struct) * L);
    res->Delta = flint_malloc(sizeof(fmpq_mat_struct) * L);
    res->G = flint_malloc(sizeof(fmpq_mat_struct) * L);
    res->rank_G = flint_malloc(sizeof(lmo_rank_struct) * L);
    for (slong l = 1; l <= L; l++) {
        fmpq_mat_init(res->U + l - 1, d[l], N);
        fmpq_mat_init(res->V + l - 1, d[l], N);
        fmpq_mat_init(res->A + l - 1, d[l], N);
        fmpq_mat_init(res->Delta + l - 1, d[l], N);
        fmpq_mat_init(res->G + l - 1, d[l] * d[l - 1], N);
        lmo_rank_init(res->rank_G + l - 1);
    }
    fmpq_mat_init(res->e, 1, N);
    fmpq_init(res->mse);
    res->zeros = flint_malloc(sizeof(slong) * (3 * hidden * N + 1));
    fmpq_mat_init(res->Gall, res->omega, N);
    lmo_rank_init(res->rank_Gall);
    fmpq_mat_init(res->grad, res->omega, 1);
    fmpq_mat_init(res->H_poly, 0, 0);
    fmpq_mat_init(res->H_split, 0, 0);
    fmpq_mat_init(res->ELambda, 0, 0);
    fmpq_init(res->trace_ELambda);
    res->has_lemma1 = (L == 2);
    lmo_lemma1_init(res->lemma1_min, L == 2 ? d[0] : 0, L == 2 ? d[1] : 0, L == 2 ? N : 0);
    lmo_rank_init(res->rank_thm5);
}

/* ---------------------------------------------------------- forward pass */

static void div_si(fmpq_t q, slong c)
{
    fmpz_t z;
    fmpz_init_set_si(z, c);
    fmpq_div_fmpz(q, q, z);
    fmpz_clear(z);
}

int lmo_mnn_forward(lmo_mnn_result_t res, const lmo_mnn_input_t in, lmo_err_t *err)
{
    if (check_input(in, err)) return err->code;
    result_alloc(res, in);
    slong L = in->L, N = in->N;
    const slong *d = in->d;
    res->nzero = 0;
    for (slong l = 1; l <= L; l++) {
        fmpq_mat_struct *U = res->U + l - 1, *V = res->V + l - 1, *A = res->A + l - 1;
        fmpq_mat_mul(U, in->W + l - 1, l == 1 ? in->X : res->V + l - 2);
        for (slong i = 0; i < d[l]; i++)
            for (slong n = 0; n < N; n++) {
                fmpq *a = fmpq_mat_entry(A, i, n);
                const fmpq *u = fmpq_mat_entry(U, i, n);
                if (l == L) fmpq_one(a);               /* a_L = 1 */
                else {
                    fmpq_set(a, fmpq_mat_entry(in->E + l - 1, i, n));
                    if (fmpq_sgn(u) < 0) fmpq_mul(a, a, in->s);
                    if (fmpq_is_zero(u)) {
                        res->zeros[3 * res->nzero] = l;
                        res->zeros[3 * res->nzero + 1] = i + 1;
                        res->zeros[3 * res->nzero + 2] = n + 1;
                        res->nzero++;
                    }
                }
                fmpq_mul(fmpq_mat_entry(V, i, n), a, u);
            }
    }
    /* No u = 0 means differentiable (Section 4: "a point can be non-differentiable only if
     * some u = 0"). Section 5 adds one point with zeros: "when w = 0 and L >= 3, we get G = 0
     * so we are at a differentiable critical point (note G is well defined, even though
     * for all l, n: u_l^(n) = 0)" -- v_L is a product of L >= 3 weight layers, so the MSE is
     * const + O(|w|^3) near w = 0: gradient and Hessian exist and vanish. */
    res->zero_weights = L >= 3;
    for (slong l = 0; l < L && res->zero_weights; l++) res->zero_weights = fmpq_mat_is_zero(in->W + l);
    res->differentiable = res->nzero == 0 || res->zero_weights;
    fmpq_t t, acc;
    fmpq_init(t); fmpq_init(acc);
    for (slong n = 0; n < N; n++) {
        fmpq_sub(fmpq_mat_entry(res->e, 0, n), fmpq_mat_entry(res->V + L - 1, 0, n),
                 fmpq_mat_entry(in->y, 0, n));
        fmpq_mul(t, fmpq_mat_entry(res->e, 0, n), fmpq_mat_entry(res->e, 0, n));
        fmpq_add(acc, acc, t);
    }
    div_si(acc, 2 * N);
    fmpq_swap(res->mse, acc);
    fmpq_clear(t); fmpq_clear(acc);
    return LMO_OK;
}

/* ------------------------------------------------------ gradient, G_l */

/* Delta_L = 1; Delta_l = A_l . (W_{l+1}^T Delta_{l+1}) (5.2); G_l = Delta_l o V_{l-1} (5.4). */
static void gradient_matrices(lmo_mnn_result_t res, const lmo_mnn_input_t in)
{
    slong L = in->L, N = in->N;
    const slong *d = in->d;
    for (slong n = 0; n < N; n++) fmpq_one(fmpq_mat_entry(res->Delta + L - 1, 0, n));
    for (slong l = L - 1; l >= 1; l--) {
        fmpq_mat_t Wt, T;
        fmpq_mat_init(Wt, d[l], d[l + 1]);
        fmpq_mat_init(T, d[l], N);
        fmpq_mat_transpose(Wt, in->W + l);
        fmpq_mat_mul(T, Wt, res->Delta + l);
        for (slong i = 0; i < d[l]; i++)
            for (slong n = 0; n < N; n++)
                fmpq_mul(fmpq_mat_entry(res->Delta + l - 1, i, n), fmpq_mat_entry(res->A + l - 1, i, n),
                         fmpq_mat_entry(T, i, n));
        fmpq_mat_clear(Wt);
        fmpq_mat_clear(T);
    }
    for (slong l = 1; l <= L; l++)
        lmo_khatri_rao(res->G + l - 1, res->Delta + l - 1, l == 1 ? in->X : res->V + l - 2);
}

/* G = [G_1; ...; G_L] (5.5) and the gradient (1/N) G e, after gradient_matrices. */
static void backward(lmo_mnn_result_t res, const lmo_mnn_input_t in)
{
    slong L = in->L, N = in->N;
    const slong *d = in->d;
    slong row = 0;
    gradient_matrices(res, in);
    for (slong l = 1; l <= L; l++) {
        for (slong r = 0; r < d[l] * d[l - 1]; r++, row++)
            for (slong n = 0; n < N; n++)
                fmpq_set(fmpq_mat_entry(res->Gall, row, n), fmpq_mat_entry(res->G + l - 1, r, n));
    }
    /* gradient of the MSE: (1/N) G e (5.1), (5.3) */
    fmpq_mat_t et;
    fmpq_mat_init(et, N, 1);
    fmpq_mat_transpose(et, res->e);
    fmpq_mat_mul(res->grad, res->Gall, et);
    fmpz_t z;
    fmpz_init_set_si(z, N);
    fmpq_mat_scalar_div_fmpz(res->grad, res->grad, z);
    fmpz_clear(z);
    fmpq_mat_clear(et);
    res->critical = fmpq_mat_is_zero(res->grad);
}

int lmo_mnn_gradient_matrices(lmo_mnn_result_t res, const lmo_mnn_input_t in, lmo_err_t *err)
{
    if (lmo_mnn_forward(res, in, err)) return err->code;
    gradient_matrices(res, in);
    return LMO_OK;
}

/* ------------------------------------------------------------ Hessian */

int lmo_mnn_hessian_poly(fmpq_mat_t H, const lmo_mnn_input_t in, const lmo_mnn_result_t res)
{
    slong L = in->L, N = in->N, omega = res->omega;
    const slong *d = in->d;
    if (omega > LMO_MNN_HESSIAN_MAX_OMEGA) return 0;
    /* terms of e_n: at most the number of input-to-output paths (+1) */
    double paths = 1;
    for (slong l = 0; l < L; l++) paths *= (double) d[l];
    if ((paths + 1) * (paths + 1) > (double) LMO_MNN_HESSIAN_MAX_TERMS) return 0;

    fmpq_mpoly_ctx_t ctx;
    fmpq_mpoly_ctx_init(ctx, omega, ORD_LEX);
    slong *off = flint_malloc(sizeof(slong) * (L + 1));
    off[0] = 0;
    for (slong l = 1; l <= L; l++) off[l] = off[l - 1] + d[l] * d[l - 1];
    fmpq **vals = flint_malloc(sizeof(fmpq *) * (omega + 1));
    for (slong l = 1; l <= L; l++)
        for (slong i = 0; i < d[l]; i++)
            for (slong j = 0; j < d[l - 1]; j++)
                vals[off[l - 1] + i * d[l - 1] + j] = fmpq_mat_entry(in->W + l - 1, i, j);
    slong dmax = 1;
    for (slong l = 0; l <= L; l++) dmax = FLINT_MAX(dmax, d[l]);
    fmpq_mpoly_struct *v = flint_malloc(sizeof(fmpq_mpoly_struct) * dmax);
    fmpq_mpoly_struct *u = flint_malloc(sizeof(fmpq_mpoly_struct) * dmax);
    for (slong i = 0; i < dmax; i++) { fmpq_mpoly_init(v + i, ctx); fmpq_mpoly_init(u + i, ctx); }
    fmpq_mpoly_t loss, t, w, D1, D2;
    fmpq_mpoly_init(loss, ctx); fmpq_mpoly_init(t, ctx); fmpq_mpoly_init(w, ctx);
    fmpq_mpoly_init(D1, ctx); fmpq_mpoly_init(D2, ctx);

    for (slong n = 0; n < N; n++) {
        for (slong j = 0; j < d[0]; j++) fmpq_mpoly_set_fmpq(v + j, fmpq_mat_entry(in->X, j, n), ctx);
        for (slong l = 1; l <= L; l++) {
            for (slong i = 0; i < d[l]; i++) {
                fmpq_mpoly_zero(u + i, ctx);
                for (slong j = 0; j < d[l - 1]; j++) {
                    fmpq_mpoly_gen(w, off[l - 1] + i * d[l - 1] + j, ctx);
                    fmpq_mpoly_mul(t, w, v + j, ctx);
                    fmpq_mpoly_add(u + i, u + i, t, ctx);
                }
            }
            /* the fixed pattern: v_l = diag(a_l) u_l with the slopes of res->A */
            for (slong i = 0; i < d[l]; i++)
                fmpq_mpoly_scalar_mul_fmpq(v + i, u + i, fmpq_mat_entry(res->A + l - 1, i, n), ctx);
        }
        fmpq_mpoly_sub_fmpq(t, v + 0, fmpq_mat_entry(in->y, 0, n), ctx);   /* e_n */
        fmpq_mpoly_mul(w, t, t, ctx);
        fmpq_mpoly_add(loss, loss, w, ctx);
    }
    fmpq_t c;
    fmpq_init(c);
    fmpq_set_si(c, 1, (ulong) (2 * N));
    fmpq_mpoly_scalar_mul_fmpq(loss, loss, c, ctx);   /* MSE = |e|^2 / (2N) */
    for (slong a = 0; a < omega; a++) {
        fmpq_mpoly_derivative(D1, loss, a, ctx);
        for (slong b = a; b < omega; b++) {
            fmpq_mpoly_derivative(D2, D1, b, ctx);
            fmpq_mpoly_evaluate_all_fmpq(c, D2, vals, ctx);
            fmpq_set(fmpq_mat_entry(H, a, b), c);
            fmpq_set(fmpq_mat_entry(H, b, a), c);
        }
    }
    fmpq_clear(c);
    for (slong i = 0; i < dmax; i++) { fmpq_mpoly_clear(v + i, ctx); fmpq_mpoly_clear(u + i, ctx); }
    fmpq_mpoly_clear(loss, ctx); fmpq_mpoly_clear(t, ctx); fmpq_mpoly_clear(w, ctx);
    fmpq_mpoly_clear(D1, ctx); fmpq_mpoly_clear(D2, ctx);
    flint_free(v); flint_free(u); flint_free(vals); flint_free(off);
    fmpq_mpoly_ctx_clear(ctx);
    return 1;
}

void lmo_mnn_hessian_split(fmpq_mat_t H, fmpq_mat_t ELambda, const lmo_mnn_input_t in,
                           const lmo_mnn_result_t res)
{
    slong L = in->L, N = in->N, omega = res->omega;
    const slong *d = in->d;
    slong *off = flint_malloc(sizeof(slong) * (L + 1));
    off[0] = 0;
    for (slong l = 1; l <= L; l++) off[l] = off[l - 1] + d[l] * d[l - 1];
    fmpq_mat_zero(ELambda);
    fmpq_t c, t;
    fmpq_init(c); fmpq_init(t);
    for (slong n = 0; n < N; n++) {
        if (fmpq_is_zero(fmpq_mat_entry(res->e, 0, n))) continue;
        fmpq_set(c, fmpq_mat_entry(res->e, 0, n));
        div_si(c, N);                                     /* E^ = (1/N) sum over n */
        for (slong l = 1; l < L; l++) {
            /* M = (prod_{l'=l+1}^{m-1} diag(a_l') W_l') diag(a_l), d_{m-1} x d_l, m = l+1.. */
            fmpq_mat_t M, T;
            fmpq_mat_init(M, d[l], d[l]);
            for (slong k = 0; k < d[l]; k++)
                fmpq_set(fmpq_mat_entry(M, k, k), fmpq_mat_entry(res->A + l - 1, k, n));
            for (slong m = l + 1; m <= L; m++) {
                if (m > l + 1) {
                    fmpq_mat_init(T, d[m - 1], d[l]);
                    fmpq_mat_mul(T, in->W + m - 2, M);
                    for (slong j = 0; j < d[m - 1]; j++)
                        for (slong k = 0; k < d[l]; k++)
                            fmpq_mul(fmpq_mat_entry(T, j, k), fmpq_mat_entry(T, j, k),
                                     fmpq_mat_entry(res->A + m - 2, j, n));
                    fmpq_mat_swap(M, T);
                    fmpq_mat_clear(T);
                }
                /* Lambda_ml = delta_m (x) M (x) v_{l-1}^T (5.7) */
                const fmpq_mat_struct *Vl = l == 1 ? in->X : res->V + l - 2;
                for (slong i = 0; i < d[m]; i++) {
                    const fmpq *di = fmpq_mat_entry(res->Delta + m - 1, i, n);
                    if (fmpq_is_zero(di)) continue;
                    for (slong j = 0; j < d[m - 1]; j++)
                        for (slong k = 0; k < d[l]; k++) {
                            if (fmpq_is_zero(fmpq_mat_entry(M, j, k))) continue;
                            for (slong q = 0; q < d[l - 1]; q++) {
                                fmpq_mul(t, di, fmpq_mat_entry(M, j, k));
                                fmpq_mul(t, t, fmpq_mat_entry(Vl, q, n));
                                fmpq_mul(t, t, c);
                                slong r = off[m - 1] + i * d[m - 1] + j, col = off[l - 1] + k * d[l - 1] + q;
                                fmpq_add(fmpq_mat_entry(ELambda, r, col), fmpq_mat_entry(ELambda, r, col), t);
                                fmpq_add(fmpq_mat_entry(ELambda, col, r), fmpq_mat_entry(ELambda, col, r), t);
                            }
                        }
                }
            }
            fmpq_mat_clear(M);
        }
    }
    /* + (1/N) G G^T */
    fmpq_mat_t Gt;
    fmpq_mat_init(Gt, N, omega);
    fmpq_mat_transpose(Gt, res->Gall);
    fmpq_mat_mul(H, res->Gall, Gt);
    fmpz_t z;
    fmpz_init_set_si(z, N);
    fmpq_mat_scalar_div_fmpz(H, H, z);
    fmpz_clear(z);
    fmpq_mat_add(H, H, ELambda);
    fmpq_mat_clear(Gt);
    fmpq_clear(c); fmpq_clear(t);
    flint_free(off);
}

static void hessian(lmo_mnn_result_t res, const lmo_mnn_input_t in)
{
    slong omega = res->omega;
    fmpq_mat_clear(res->H_poly);
    fmpq_mat_init(res->H_poly, omega, omega);
    res->hessian_done = lmo_mnn_hessian_poly(res->H_poly, in, res);
    if (!res->hessian_done) {
        fmpq_mat_clear(res->H_poly);
        fmpq_mat_init(res->H_poly, 0, 0);
        snprintf(res->hessian_note, sizeof res->hessian_note,
                 "skipped: %ld parameters or the loss polynomial exceeds the cap "
                 "(%d parameters, %d terms)", (long) omega, LMO_MNN_HESSIAN_MAX_OMEGA,
                 LMO_MNN_HESSIAN_MAX_TERMS);
        return;
    }
    fmpq_mat_clear(res->H_split);
    fmpq_mat_clear(res->ELambda);
    fmpq_mat_init(res->H_split, omega, omega);
    fmpq_mat_init(res->ELambda, omega, omega);
    lmo_mnn_hessian_split(res->H_split, res->ELambda, in, res);
    /* tr E[e Lambda] from the left side: tr H_poly - tr (1/N) G G^T */
    fmpq_t t, g;
    fmpq_init(t); fmpq_init(g);
    fmpq_mat_trace(res->trace_ELambda, res->H_poly);
    for (slong r = 0; r < omega; r++)
        for (slong n = 0; n < res->N; n++) {
            fmpq_mul(t, fmpq_mat_entry(res->Gall, r, n), fmpq_mat_entry(res->Gall, r, n));
            fmpq_add(g, g, t);
        }
    div_si(g, res->N);
    fmpq_sub(res->trace_ELambda, res->trace_ELambda, g);
    fmpq_clear(t); fmpq_clear(g);
    res->hessian_identity = fmpq_mat_equal(res->H_poly, res->H_split) && fmpq_is_zero(res->trace_ELambda);
    snprintf(res->hessian_note, sizeof res->hessian_note, "%s",
             res->hessian_identity ? "H from the loss polynomial equals E[e Lambda] + (1/N) G G^T; trace 0"
             : "MISMATCH between the polynomial Hessian and (5.6)-(5.7)");
}

/* ---------------------------------------------------- Lemma 1, L = 2 */

/* Lemma 1 under the slopes A1 of the pattern `signs` (1: u >= 0): A1 o X,
 * its certified rank, the minimiser of (4.2) and weights of (4.1) with
 * that pattern, strictly, when the minimiser allows them. */

/* The MSE of (4.2) with U = W X: sum_n (a1^(n)T u^(n) - y_n)^2 / (2N), through the model
 * itself (Lemma 1's minimiser, and the test hook that moves it). */
static void model42_mse(fmpq_t mse, const fmpq_mat_t A1, const fmpq_mat_t U, const fmpq_mat_t y)
{
    slong d1 = fmpq_mat_nrows(U), N = fmpq_mat_ncols(U);
    fmpq_t o, t;
    fmpq_init(o); fmpq_init(t);
    fmpq_zero(mse);
    for (slong n = 0; n < N; n++) {
        fmpq_zero(o);
        for (slong i = 0; i < d1; i++) {
            fmpq_mul(t, fmpq_mat_entry(A1, i, n), fmpq_mat_entry(U, i, n));
            fmpq_add(o, o, t);
        }
        fmpq_sub(o, o, fmpq_mat_entry(y, 0, n));
        fmpq_mul(t, o, o);
        fmpq_add(mse, mse, t);
    }
    div_si(mse, 2 * N);
    fmpq_clear(o); fmpq_clear(t);
}

static int lemma1_core(lmo_lemma1_struct *L1, const fmpq_mat_t A1, const unsigned char *signs,
                       const fmpq_mat_t X, const fmpq_mat_t y, ulong seed, lmo_err_t *err)
{
    slong N = fmpq_mat_ncols(X), d0 = fmpq_mat_nrows(X), d1 = fmpq_mat_nrows(A1), m = d0 * d1;
    lmo_khatri_rao(L1->A1X, A1, X);
    if (lmo_rank_certified(L1->rank, L1->A1X, seed, err)) return err->code;

    /* least squares on the features: min |F^T w - y|, F = A1 o X. The pivot
     * columns P of rref(F^T) are independent rows of F spanning its row space
     * (chosen by exact rref, so the minimiser does not depend on any prime),
     * so F_P^T has full column rank and w_P = (F_P F_P^T)^{-1} F_P y^T. */
    slong r;
    slong *P = flint_malloc(sizeof(slong) * (m + 1));
    {
        fmpq_mat_t Ft, Rr;
        fmpq_mat_init(Ft, N, m); fmpq_mat_init(Rr, N, m);
        fmpq_mat_transpose(Ft, L1->A1X);
        r = fmpq_mat_rref(Rr, Ft);
        for (slong a = 0, c = 0; a < r; a++) {
            while (fmpq_is_zero(fmpq_mat_entry(Rr, a, c))) c++;
            P[a] = c++;
        }
        fmpq_mat_clear(Ft); fmpq_mat_clear(Rr);
    }
    if (r != L1->rank->rank) {
        flint_free(P);
        return lmo_err_set(err, LMO_ELIMIT, "lemma 1: rref rank %ld differs from the certified rank %ld "
                           "(internal error)", (long) r, (long) L1->rank->rank);
    }
    fmpq_mat_t FP, FPt, Gram, rhs, wP, yt;
    fmpq_mat_init(FP, r, N); fmpq_mat_init(FPt, N, r); fmpq_mat_init(Gram, r, r);
    fmpq_mat_init(rhs, r, 1); fmpq_mat_init(wP, r, 1); fmpq_mat_init(yt, N, 1);
    for (slong a = 0; a < r; a++)
        for (slong n = 0; n < N; n++)
            fmpq_set(fmpq_mat_entry(FP, a, n), fmpq_mat_entry(L1->A1X, P[a], n));
    fmpq_mat_transpose(FPt, FP);
    fmpq_mat_transpose(yt, y);
    fmpq_mat_mul(Gram, FP, FPt);
    fmpq_mat_mul(rhs, FP, yt);
    int ok = r == 0 || fmpq_mat_solve_fraction_free(wP, Gram, rhs);
    fmpq_mat_zero(L1->Wt);
    for (slong a = 0; a < r && ok; a++) {
        slong row = P[a];
        fmpq_set(fmpq_mat_entry(L1->Wt, row / d0, row % d0), fmpq_mat_entry(wP, a, 0));
    }
    fmpq_mat_clear(FP); fmpq_mat_clear(FPt); fmpq_mat_clear(Gram);
    fmpq_mat_clear(rhs); fmpq_mat_clear(wP); fmpq_mat_clear(yt);
    flint_free(P);
    if (!ok) return lmo_err_set(err, LMO_ELIMIT, "lemma 1: singular Gram matrix on independent rows (internal error)");

    /* residual of the minimiser, through the model (4.2) itself: a1^T W~1 x */
    fmpq_mat_t Ut;
    fmpq_mat_init(Ut, d1, N);
    fmpq_mat_mul(Ut, L1->Wt, X);
    model42_mse(L1->mse, A1, Ut, y);

    /* weights of (4.1) with W~1 = diag(w2) W1 and the pattern of the given
     * weights, strictly: per unit w2_i = +1 or -1, or w2_i = 0 with W1_i a
     * witness of that unit's sign row when the minimiser's row is zero. */
    lmo_topes_t T;
    int have_topes = 0;
    L1->reproduces = 1;
    for (slong i = 0; i < d1 && L1->reproduces; i++) {
        int pos = 1, neg = 1, zero = 1;
        ulong mask = 0;
        for (slong n = 0; n < N; n++) {
            int want = signs[i * N + n] != 0;
            int sg = fmpq_sgn(fmpq_mat_entry(Ut, i, n));
            if (want && n < 64) mask |= UWORD(1) << n;
            pos &= want ? sg > 0 : sg < 0;
            neg &= want ? sg < 0 : sg > 0;
        }
        for (slong j = 0; j < d0; j++) zero &= fmpq_is_zero(fmpq_mat_entry(L1->Wt, i, j));
        if (pos || neg) {
            fmpq_set_si(fmpq_mat_entry(L1->W2, 0, i), pos ? 1 : -1, 1);
            for (slong j = 0; j < d0; j++) {
                if (pos) fmpq_set(fmpq_mat_entry(L1->W1, i, j), fmpq_mat_entry(L1->Wt, i, j));
                else fmpq_neg(fmpq_mat_entry(L1->W1, i, j), fmpq_mat_entry(L1->Wt, i, j));
            }
        } else if (zero && N <= 64) {
            lmo_err_t e2;
            if (!have_topes) {
                lmo_topes_init(T);
                have_topes = 1;
                if (lmo_topes_enumerate(T, X, &e2) != LMO_OK) T->count = 0;
            }
            slong c = lmo_topes_find(T, mask);
            if (c < 0) L1->reproduces = 0;
            else {
                fmpq_zero(fmpq_mat_entry(L1->W2, 0, i));
                for (slong j = 0; j < d0; j++)
                    fmpq_set(fmpq_mat_entry(L1->W1, i, j), fmpq_mat_entry(T->W, c, j));
            }
        } else {
            L1->reproduces = 0;
        }
    }
    if (have_topes) lmo_topes_clear(T);
    fmpq_mat_clear(Ut);
    return LMO_OK;
}

/* the members lmo_lemma1_init initialises and _clear clears (lmo/core/members.h) */
#define LEMMA1_MEMBERS(X, L1)               \
    X(fmpq_mat, L1->A1X, d1 * d0, N)        \
    X(lmo_rank, L1->rank)                   \
    X(fmpq_mat, L1->Wt, d1, d0)             \
    X(fmpq, L1->mse)                        \
    X(fmpq_mat, L1->W1, d1, d0)             \
    X(fmpq_mat, L1->W2, 1, d1)

void lmo_lemma1_init(lmo_lemma1_t L1, slong d0, slong d1, slong N)
{
    LEMMA1_MEMBERS(LMO_MEMBER_INIT, L1)
    L1->reproduces = 0;
}

void lmo_lemma1_clear(lmo_lemma1_t L1)
{
    LEMMA1_MEMBERS(LMO_MEMBER_CLEAR, L1)
}

int lmo_lemma1(lmo_lemma1_t L1, const fmpq_mat_t X, const fmpq_mat_t y, const fmpq_mat_t E,
               const fmpq_t s, const unsigned char *signs, ulong seed, lmo_err_t *err)
{
    slong d0 = fmpq_mat_nrows(X), N = fmpq_mat_ncols(X), d1 = fmpq_mat_nrows(E);
    if (fmpq_is_zero(s)) return lmo_err_set(err, LMO_EINPUT, "slope: must be non-zero");
    if (fmpq_mat_ncols(E) != N || fmpq_mat_ncols(y) != N || fmpq_mat_nrows(y) != 1
        || fmpq_mat_nrows(L1->A1X) != d1 * d0 || fmpq_mat_ncols(L1->A1X) != N)
        return lmo_err_set(err, LMO_EINPUT, "lemma 1: shapes of X (d0 x N), y (1 x N), E1 (d1 x N) "
                           "and the initialised result differ");
    fmpq_mat_t A1;
    fmpq_mat_init(A1, d1, N);
    lmo_pattern_slopes(A1, E, s, signs);
    int rc = lemma1_core(L1, A1, signs, X, y, seed, err);
    fmpq_mat_clear(A1);
    return rc;
}

/* Lemma 1 at the pattern of the given weights, and (4.5) at the point. */
static int lemma1(lmo_mnn_result_t res, const lmo_mnn_input_t in, ulong seed, lmo_err_t *err)
{
    slong N = in->N, d1 = in->d[1];
    unsigned char *sg = flint_malloc(d1 * N + 1);
    for (slong i = 0; i < d1; i++)
        for (slong n = 0; n < N; n++) sg[i * N + n] = fmpq_sgn(fmpq_mat_entry(res->U + 0, i, n)) >= 0;
    int rc = lemma1_core(res->lemma1_min, res->A + 0, sg, in->X, in->y, seed, err);
    flint_free(sg);
    if (rc) return rc;
    fmpq_mat_t et, Ge;
    fmpq_mat_init(et, N, 1); fmpq_mat_init(Ge, fmpq_mat_nrows(res->lemma1_min->A1X), 1);
    fmpq_mat_transpose(et, res->e);
    fmpq_mat_mul(Ge, res->lemma1_min->A1X, et);
    res->critical_tilde = fmpq_mat_is_zero(Ge);
    fmpq_mat_clear(et); fmpq_mat_clear(Ge);
    return LMO_OK;
}

/* ------------------------------------------------------- predictions */

int lmo_mnn_corrupt_parse(const char *list)
{
    static const char *const names[] = {"minimiser", "residual", NULL};
    return lmo_names_to_bits(list, names);
}

/* The test hook LMO_MNN_CORRUPT_MINIMISER: the MSE of (4.2), sum_n (a1^(n)T W x^(n) - y_n)^2
 * / (2N), at W = W~1 + E_11 instead of the minimiser W~1 -- through the model itself, as
 * lemma1_core evaluates it. */
static void corrupt_minimiser_mse(fmpq_t mse, const fmpq_mat_t A1, const fmpq_mat_t Wt,
                                  const fmpq_mat_t X, const fmpq_mat_t y)
{
    fmpq_mat_t W, U;
    fmpq_mat_init_set(W, Wt);
    fmpq_mat_init(U, fmpq_mat_nrows(Wt), fmpq_mat_ncols(X));
    fmpq_add_si(fmpq_mat_entry(W, 0, 0), fmpq_mat_entry(W, 0, 0), 1);
    fmpq_mat_mul(U, W, X);
    model42_mse(mse, A1, U, y);
    fmpq_mat_clear(W); fmpq_mat_clear(U);
}

/* e = 0, as the conclusions read it: the true e, or e + e_1 under LMO_MNN_CORRUPT_RESIDUAL. */
static int conclusion_e_zero(const lmo_mnn_result_t res, int corrupt)
{
    if (!(corrupt & LMO_MNN_CORRUPT_RESIDUAL)) return fmpq_is_zero(res->mse);
    int zero = 1;
    fmpq_t t;
    fmpq_init(t);
    for (slong n = 0; n < fmpq_mat_ncols(res->e) && zero; n++) {
        fmpq_set(t, fmpq_mat_entry(res->e, 0, n));
        if (n == 0) fmpq_add_si(t, t, 1);
        zero = fmpq_is_zero(t);
    }
    fmpq_clear(t);
    return zero;
}

#define LEMMA1 "Soudry–Carmon Lemma 1"
#define LEMMA3 "Soudry–Carmon Lemma 3"
#define THEOREM4 "Soudry–Carmon Theorem 4"
#define THEOREM5 "Soudry–Carmon Theorem 5"
#define THEOREM5_RANK "Soudry–Carmon Theorem 5, step (B.2): rank G_{L-1} = N"

/* (G e)_r = sum_n G[r][n] e[n] = 0 for every row r: one layer's block of the gradient. */
static int block_is_zero(const fmpq_mat_t G, const fmpq_mat_t e)
{
    int zero = 1;
    fmpq_t acc, t;
    fmpq_init(acc);
    fmpq_init(t);
    for (slong r = 0; r < fmpq_mat_nrows(G) && zero; r++) {
        fmpq_zero(acc);
        for (slong n = 0; n < fmpq_mat_ncols(G); n++) {
            fmpq_mul(t, fmpq_mat_entry(G, r, n), fmpq_mat_entry(e, 0, n));
            fmpq_add(acc, acc, t);
        }
        zero = fmpq_is_zero(acc);
    }
    fmpq_clear(acc);
    fmpq_clear(t);
    return zero;
}

static void predictions(lmo_mnn_result_t res, const lmo_mnn_input_t in)
{
    slong L = in->L, N = in->N;
    const slong *d = in->d;
    int e_zero = conclusion_e_zero(res, in->corrupt);
    char why[256];
    if (L != 2) {
        lmo_theorem_set(&res->lemma1, LEMMA1, LMO_OUTCOME_NOT_APPLICABLE,
                        "L = %ld: Lemma 1 is about one hidden layer (L = 2)", (long) L);
        lmo_theorem_set(&res->lemma3, LEMMA3, LMO_OUTCOME_NOT_APPLICABLE,
                        "L = %ld: Lemma 3 is about one hidden layer (L = 2)", (long) L);
        lmo_theorem_set(&res->theorem4, THEOREM4, LMO_OUTCOME_NOT_APPLICABLE,
                        "L = %ld: Theorem 4 is about one hidden layer (L = 2)", (long) L);
    } else {
        slong r = res->lemma1_min->rank->rank;
        int min_zero = fmpq_is_zero(res->lemma1_min->mse);
        if (in->corrupt & LMO_MNN_CORRUPT_MINIMISER) {
            fmpq_t m;
            fmpq_init(m);
            corrupt_minimiser_mse(m, res->A + 0, res->lemma1_min->Wt, in->X, in->y);
            min_zero = fmpq_is_zero(m);
            fmpq_clear(m);
        }
        if (r < N)
            lmo_theorem_set(&res->lemma1, LEMMA1, LMO_OUTCOME_NOT_APPLICABLE,
                            "rank(A1 o X) = %ld < N = %ld under this pattern", (long) r, (long) N);
        else if (!min_zero)
            lmo_theorem_set(&res->lemma1, LEMMA1, LMO_OUTCOME_VIOLATED,
                            "rank(A1 o X) = N but the minimiser of (4.2) has MSE > 0");
        else if (res->differentiable && res->critical_tilde && !e_zero)
            lmo_theorem_set(&res->lemma1, LEMMA1, LMO_OUTCOME_VIOLATED,
                            "rank(A1 o X) = N and (A1 o X) e = 0 but e != 0");
        else
            lmo_theorem_set(&res->lemma1, LEMMA1, LMO_OUTCOME_HOLDS,
                            "rank(A1 o X) = N: the minimiser of (4.2) under this pattern has MSE 0%s",
                            res->differentiable && res->critical_tilde ? ", and this critical point has e = 0" : "");
        /* named once, for Lemma 3 and Theorem 4: in (X, E1), else in this pattern's A1 */
        if (r < N && !lmo_sc_genericity(why, sizeof why, in->X, in->E + 0, "X", "E1"))
            lmo_sc_genericity(why, sizeof why, in->X, res->A + 0, "X", "A1");
        if (lmo_sc_lemma3_hypotheses(d[0], d[1], N, in->s) == LMO_SC_TOO_MANY_SAMPLES)
            lmo_theorem_set(&res->lemma3, LEMMA3, LMO_OUTCOME_NOT_APPLICABLE, "N = %ld > d0*d1 = %ld",
                            (long) N, (long) lmo_sc_lemma3_max_samples(d[0], d[1]));
        else if (r == N)
            lmo_theorem_set(&res->lemma3, LEMMA3, LMO_OUTCOME_HOLDS, "N <= d0*d1: rank(A1 o X) = N at this point's pattern");
        else
            lmo_theorem_set(&res->lemma3, LEMMA3, LMO_OUTCOME_EXCEPTIONAL,
                            "N <= d0*d1, yet rank(A1 o X) = %ld < N = %ld: (X, E1) lies in the "
                            "exceptional null set: %s", (long) r, (long) N, why);
        if (res->lemma3.outcome == LMO_OUTCOME_NOT_APPLICABLE)
            lmo_theorem_set(&res->theorem4, THEOREM4, LMO_OUTCOME_NOT_APPLICABLE,
                            "hypothesis of Lemma 3 fails: %s", res->lemma3.reason);
        else if (!res->differentiable)
            lmo_theorem_set(&res->theorem4, THEOREM4, LMO_OUTCOME_NOT_APPLICABLE,
                            "not a differentiable point: %ld zero pre-activations", (long) res->nzero);
        else if (!res->critical_tilde)
            lmo_theorem_set(&res->theorem4, THEOREM4, LMO_OUTCOME_NOT_APPLICABLE,
                            "(A1 o X) e != 0: W~1 is not critical for (4.2), so this is no "
                            "differentiable local minimum of (4.1)");
        else if (e_zero)
            lmo_theorem_set(&res->theorem4, THEOREM4, LMO_OUTCOME_HOLDS,
                            "differentiable, (A1 o X) e = 0, and MSE = 0");
        else if (r == N)
            lmo_theorem_set(&res->theorem4, THEOREM4, LMO_OUTCOME_VIOLATED,
                            "differentiable, (A1 o X) e = 0 and rank(A1 o X) = N, yet MSE > 0");
        else
            lmo_theorem_set(&res->theorem4, THEOREM4, LMO_OUTCOME_EXCEPTIONAL,
                            "a differentiable local minimum with MSE > 0: rank(A1 o X) = %ld < N, "
                            "(X, E1) lies in the exceptional null set: %s", (long) r, why);
    }
    lmo_sc_hypothesis_t h5 = lmo_sc_theorem5_hypotheses(d, L, N, in->s);
    slong r5 = res->rank_thm5->rank;
    if (h5 == LMO_SC_DEPTH || h5 == LMO_SC_TOO_MANY_SAMPLES) {
        char hyp[128];
        if (h5 == LMO_SC_DEPTH) snprintf(hyp, sizeof hyp, "L = %ld: Theorem 5 needs L >= 3", (long) L);
        else snprintf(hyp, sizeof hyp, "N = %ld > d_{L-2} d_{L-1} = %ld", (long) N,
                      (long) lmo_sc_theorem5_max_samples(d, L));
        lmo_theorem_set(&res->theorem5_rank, THEOREM5_RANK, LMO_OUTCOME_NOT_APPLICABLE, "%s", hyp);
        lmo_theorem_set(&res->theorem5, THEOREM5, LMO_OUTCOME_NOT_APPLICABLE, "%s", hyp);
    } else {
        /* the proof's step: G^p_{L-1} = A_{L-1} o V_{L-2} (B.2) has rank N almost everywhere
         * (Lemma 8 with the witness (B.3)-(B.6)) */
        if (r5 == N)
            lmo_theorem_set(&res->theorem5_rank, THEOREM5_RANK, LMO_OUTCOME_HOLDS,
                            "rank(A_{L-1} o V_{L-2}) = N = %ld", (long) N);
        else {
            lmo_sc_genericity(why, sizeof why, res->V + L - 3, res->A + L - 2, "V_{L-2}", "A_{L-1}");
            lmo_theorem_set(&res->theorem5_rank, THEOREM5_RANK, LMO_OUTCOME_EXCEPTIONAL,
                            "rank(A_{L-1} o V_{L-2}) = %ld < N = %ld: (X, E, W_1..W_{L-2}) lies in "
                            "the exceptional null set: %s", (long) r5, (long) N, why);
        }
        /* the conclusion, from the weights: at a differentiable local minimum in (W_{L-1},
         * W_L) the blocks G_{L-1} e and G_L e of the gradient vanish (5.3); with
         * rank G_{L-1} = N that forces e = 0, i.e. MSE = 0 */
        slong rG = res->rank_G[L - 2].rank;
        int crit = block_is_zero(res->G + L - 2, res->e) && block_is_zero(res->G + L - 1, res->e);
        if (!res->differentiable)
            lmo_theorem_set(&res->theorem5, THEOREM5, LMO_OUTCOME_NOT_APPLICABLE,
                            "not a differentiable point: %ld zero pre-activations", (long) res->nzero);
        else if (!crit)
            lmo_theorem_set(&res->theorem5, THEOREM5, LMO_OUTCOME_NOT_APPLICABLE,
                            "G_{L-1} e or G_L e != 0: no differentiable local minimum in (W_{L-1}, W_L)");
        else if (e_zero)
            lmo_theorem_set(&res->theorem5, THEOREM5, LMO_OUTCOME_HOLDS,
                            "critical in (W_{L-1}, W_L) and MSE = 0 (rank G_{L-1} = %ld)", (long) rG);
        else if (rG == N)
            lmo_theorem_set(&res->theorem5, THEOREM5, LMO_OUTCOME_VIOLATED,
                            "G_{L-1} e = 0 and rank G_{L-1} = N, yet e != 0");
        else {
            if (!lmo_sc_genericity(why, sizeof why, res->V + L - 3, res->A + L - 2, "V_{L-2}", "A_{L-1}"))
                snprintf(why, sizeof why, "rank G_{L-1} = %ld < N", (long) rG);
            lmo_theorem_set(&res->theorem5, THEOREM5, LMO_OUTCOME_EXCEPTIONAL,
                            "a differentiable critical point in (W_{L-1}, W_L) with MSE > 0: "
                            "(X, E, W_1..W_{L-2}) lies in the exceptional null set: %s", why);
        }
    }
    /* s = 0: the statements' model fails (LMO_SC_RELU); what they would conclude is kept in
     * the reason, checked as the paper's Section 6 does */
    lmo_theorem_t *ae[4] = {&res->lemma3, &res->theorem4, &res->theorem5_rank, &res->theorem5};
    for (int k = 0; k < 4 && fmpq_is_zero(in->s); k++) {
        lmo_theorem_t *t = ae[k];
        if (t->outcome == LMO_OUTCOME_NOT_APPLICABLE) continue;
        char was[sizeof t->reason];
        snprintf(was, sizeof was, "%s", t->reason);
        lmo_theorem_set(t, t->statement, LMO_OUTCOME_NOT_APPLICABLE, "s = 0 (plain ReLU): the model "
                        "has a slope s != 0; checked anyway as in Section 6: it would be %s: %s",
                        lmo_outcome_name(t->outcome), was);
    }
}

/* ------------------------------------------------------------- run */

int lmo_mnn_run(lmo_mnn_result_t res, const lmo_mnn_input_t in, ulong seed, lmo_err_t *err)
{
    if (lmo_mnn_forward(res, in, err)) return err->code;
    slong L = in->L;
    backward(res, in);
    for (slong l = 1; l <= L; l++)
        if (lmo_rank_certified(res->rank_G + l - 1, res->G + l - 1, seed + l, err)) return err->code;
    if (lmo_rank_certified(res->rank_Gall, res->Gall, seed, err)) return err->code;
    hessian(res, in);
    if (L == 2 && lemma1(res, in, seed, err)) return err->code;
    if (L >= 3) {
        fmpq_mat_t K;
        fmpq_mat_init(K, in->d[L - 1] * in->d[L - 2], in->N);
        lmo_khatri_rao(K, res->A + L - 2, res->V + L - 3);
        int rc = lmo_rank_certified(res->rank_thm5, K, seed, err);
        fmpq_mat_clear(K);
        if (rc) return rc;
        res->has_thm5 = 1;
    }
    predictions(res, in);
    return LMO_OK;
}

int lmo_mnn_failed(const lmo_mnn_result_t res)
{
    if (res->hessian_done && !res->hessian_identity) return 1;
    return res->lemma1.outcome == LMO_OUTCOME_VIOLATED || res->lemma3.outcome == LMO_OUTCOME_VIOLATED
        || res->theorem4.outcome == LMO_OUTCOME_VIOLATED || res->theorem5.outcome == LMO_OUTCOME_VIOLATED
        || res->theorem5_rank.outcome == LMO_OUTCOME_VIOLATED;
}
