/* A double-trained Soudry-Carmon network read exactly (lmo/soudry_carmon/trained.h). */
#include <math.h>
#include <stdio.h>
#include <gmp.h>
#include "lmo/core/members.h"
#include "lmo/soudry_carmon/trained.h"

/* the members lmo_sc_trained_init initialises and _clear clears (lmo/core/members.h) */
#define TRAINED_MEMBERS(X, t)   \
    X(fmpq, t->mse)             \
    X(fmpq, t->min_abs_u)       \
    X(lmo_rank, t->rank)

void lmo_sc_trained_init(lmo_sc_trained_t t)
{
    t->differentiable = t->transposed = t->full_rank = t->full_column_rank = 0;
    t->nzero = t->errors = t->rows = 0;
    TRAINED_MEMBERS(LMO_MEMBER_INIT, t)
}

void lmo_sc_trained_clear(lmo_sc_trained_t t)
{
    TRAINED_MEMBERS(LMO_MEMBER_CLEAR, t)
}

/* q := x exactly (mpq_set_d is exact for a finite double) */
static int set_d(fmpq_t q, double x, const char *what, slong a, slong b, lmo_err_t *err)
{
    mpq_t m;
    if (!isfinite(x))
        return lmo_err_set(err, LMO_EINPUT, "%s[%ld][%ld]: not a finite double", what, (long) a, (long) b);
    mpq_init(m);
    mpq_set_d(m, x);
    fmpq_set_mpq(q, m);
    mpq_clear(m);
    return LMO_OK;
}

int lmo_sc_trained_input(lmo_mnn_input_t in, const double *X, const double *y, double s,
                         const double *const *W, lmo_err_t *err)
{
    slong L = in->L, N = in->N, d0 = in->d[0];
    int rc = set_d(in->s, s, "slope", 0, 0, err);
    for (slong n = 0; n < N && !rc; n++) {
        rc = set_d(fmpq_mat_entry(in->y, 0, n), y[n], "y", 0, n, err);
        for (slong j = 0; j < d0 && !rc; j++)
            rc = set_d(fmpq_mat_entry(in->X, j, n), X[n * d0 + j], "X", j, n, err);
    }
    for (slong l = 1; l <= L && !rc; l++) {
        slong r = in->d[l], c = in->d[l - 1];
        char what[24];
        snprintf(what, sizeof what, "W%ld", (long) l);
        for (slong i = 0; i < r && !rc; i++)
            for (slong j = 0; j < c && !rc; j++)
                rc = set_d(fmpq_mat_entry(in->W + l - 1, i, j), W[l - 1][i * c + j], what, i, j, err);
    }
    return rc;
}

int lmo_sc_trained_check(lmo_sc_trained_t t, const lmo_mnn_input_t in, ulong seed,
                         lmo_err_t *err)
{
    slong L = in->L, N = in->N;
    lmo_mnn_result_t res;
    int rc;
    if (L < 2) return lmo_err_set(err, LMO_EINPUT, "input.weights: G_{L-1} needs L >= 2 layers");
    lmo_mnn_result_init(res);
    if ((rc = lmo_mnn_gradient_matrices(res, in, err)) == LMO_OK) {
        const fmpq_mat_struct *G = res->G + L - 2;
        t->differentiable = res->nzero == 0;
        t->nzero = res->nzero;
        fmpq_set(t->mse, res->mse);
        t->errors = 0;
        fmpq_t a;
        fmpq_init(a);
        for (slong l = 0; l < L - 1; l++)
            for (slong i = 0; i < fmpq_mat_nrows(res->U + l); i++)
                for (slong n = 0; n < N; n++) {
                    fmpq_abs(a, fmpq_mat_entry(res->U + l, i, n));
                    if ((l == 0 && i == 0 && n == 0) || fmpq_cmp(a, t->min_abs_u) < 0)
                        fmpq_set(t->min_abs_u, a);
                }
        fmpq_clear(a);
        for (slong n = 0; n < N; n++) {
            int sy = fmpq_sgn(fmpq_mat_entry(in->y, 0, n));
            int sv = fmpq_sgn(fmpq_mat_entry(res->V + L - 1, 0, n));
            t->errors += sy * sv <= 0;
        }
        t->rows = fmpq_mat_nrows(G);
        t->transposed = N > t->rows;
        if (t->transposed) {
            fmpq_mat_t Gt;
            fmpq_mat_init(Gt, N, t->rows);
            fmpq_mat_transpose(Gt, G);
            rc = lmo_rank_certified(t->rank, Gt, seed, err);
            fmpq_mat_clear(Gt);
        } else {
            rc = lmo_rank_certified(t->rank, G, seed, err);
        }
        t->full_rank = t->rank->rank == (N < t->rows ? N : t->rows);
        t->full_column_rank = t->rank->rank == N;
    }
    lmo_mnn_result_clear(res);
    return rc;
}
