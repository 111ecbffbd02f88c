/*
 * witness.c -- the fast tier of the Soudry-Carmon witness (see
 * lmo_fast/witness.h): the same construction in double, the fast forward
 * pass and backward step of lmo_fast/mnn.h, a LAPACK rank under a policy.
 */
#include "lmo_fast/witness.h"
#include "lmo_fast/mnn.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define EPS 0x1p-52

int lmo_fast_witness_build(lmo_fast_witness_t *w, const long *d, long L, long N)
{
    memset(w, 0, sizeof *w);
    if (L < 2 || d[L] != 1) return -1;
    for (long l = 0; l <= L; l++)
        if (d[l] < 1) return -1;
    long db = d[L - 2];
    if (N < 1 || N > db * d[L - 1]) return -1;
    w->L = L; w->N = N; w->s = 0.1;
    w->d = malloc(sizeof(long) * (size_t) (L + 1));
    memcpy(w->d, d, sizeof(long) * (size_t) (L + 1));
    w->X = calloc((size_t) (d[0] * N), sizeof(double));
    w->W = calloc((size_t) L, sizeof(double *));
    w->E = calloc((size_t) L, sizeof(double *));
    for (long l = 1; l <= L; l++) w->W[l - 1] = calloc((size_t) (d[l] * d[l - 1]), sizeof(double));
    for (long l = 1; l < L; l++) w->E[l - 1] = calloc((size_t) (d[l] * N), sizeof(double));
    /* E'_{L-1} = A'_{L-1}: column n is e_{n / d_{L-2}} (B.5) */
    for (long n = 0; n < N; n++) w->E[L - 2][(n / db) * N + n] = 1.0;
    if (L == 2) {
        for (long n = 0; n < N; n++) w->X[(n % db) * N + n] = 1.0;   /* Fact 2 */
    } else {
        for (long k = 0; k < d[0] * N; k++) w->X[k] = 1.0;          /* (B.3) */
        for (long l = 1; l <= L - 2; l++)                            /* (B.4) */
            for (long i = 0; i < d[l]; i++) w->W[l - 1][i * d[l - 1]] = 1.0;
        for (long l = 1; l < L - 2; l++)
            for (long k = 0; k < d[l] * N; k++) w->E[l - 1][k] = 1.0;
        for (long n = 0; n < N; n++) w->E[L - 3][(n % db) * N + n] = 1.0;   /* (B.5) */
    }
    for (long l = L - 1; l <= L; l++)
        for (long k = 0; k < d[l] * d[l - 1]; k++) w->W[l - 1][k] = 1.0;
    return 0;
}

void lmo_fast_witness_clear(lmo_fast_witness_t *w)
{
    if (w->W)
        for (long l = 0; l < w->L; l++) free(w->W[l]);
    if (w->E)
        for (long l = 0; l + 1 < w->L; l++) free(w->E[l]);
    free(w->W); free(w->E); free(w->X); free(w->d);
    memset(w, 0, sizeof *w);
}

void lmo_fast_witness_result_init(lmo_fast_witness_result_t *r)
{
    memset(r, 0, sizeof *r);
    lmo_fast_rank_init(&r->rank);
}

void lmo_fast_witness_result_clear(lmo_fast_witness_result_t *r)
{
    free(r->G);
    lmo_fast_rank_clear(&r->rank);
    lmo_fast_witness_result_init(r);
}

int lmo_fast_witness_run(lmo_fast_witness_result_t *r, const lmo_fast_witness_t *w,
                         const lmo_fast_policy_t *pol)
{
    long L = w->L, N = w->N, rows = w->d[L - 2] * w->d[L - 1];
    lmo_fast_witness_result_clear(r);
    double *y = calloc((size_t) N, sizeof(double));
    lmo_fast_mnn_input_t in = { L, w->d, N, w->X, y, w->s, (const double *const *) w->W,
                                (const double *const *) w->E };
    lmo_fast_mnn_result_t f;
    lmo_fast_mnn_result_init(&f);
    int rc = lmo_fast_mnn_run(&f, &in, pol, NULL);
    r->rows = rows;
    r->N = N;
    if (f.G != NULL && f.G[L - 2] != NULL) {
        r->G = malloc(sizeof(double) * (size_t) (rows * N));
        memcpy(r->G, f.G[L - 2], sizeof(double) * (size_t) (rows * N));
        r->max_dev = 0;
        for (long i = 0; i < rows; i++)
            for (long n = 0; n < N; n++) {
                double dev = fabs(r->G[i * N + n] - (i == n ? 1.0 : 0.0));
                if (!(dev <= r->max_dev)) r->max_dev = dev;   /* NaN propagates */
            }
        r->tol = (double) (rows > N ? rows : N) * EPS;
        r->identity = r->max_dev <= r->tol;
        r->differentiable = f.differentiable;
    }
    /* the policy's rank of G_{L-1}, decided by lmo_fast_mnn_run */
    if (rc == 0 && f.rank_G != NULL) {
        lmo_fast_rank_t *src = f.rank_G + (L - 2);
        r->rank = *src;
        r->rank.sv = malloc(sizeof(double) * (size_t) (src->nsv + 1));
        if (src->nsv > 0) memcpy(r->rank.sv, src->sv, sizeof(double) * (size_t) src->nsv);
    } else {
        r->rank.rank = -1;
    }
    lmo_fast_mnn_result_clear(&f);
    free(y);
    return rc == 0 ? 0 : -1;
}
