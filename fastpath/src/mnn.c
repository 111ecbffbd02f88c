/*
 * mnn.c -- the fast tier of the Soudry-Carmon network (see lmo_fast/mnn.h):
 * plain double arithmetic in the order a straightforward implementation
 * uses, ranks by LAPACK under a policy.
 */
#include "lmo_fast/mnn.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define EPS 0x1p-52

void lmo_fast_mnn_result_init(lmo_fast_mnn_result_t *res)
{
    memset(res, 0, sizeof *res);
    lmo_fast_rank_init(&res->rank_Gall);
    lmo_fast_rank_init(&res->rank_A1X);
    lmo_fast_rank_init(&res->rank_thm5);
}

static void free_list(double **p, long n)
{
    if (p == NULL) return;
    for (long i = 0; i < n; i++) free(p[i]);
    free(p);
}

void lmo_fast_mnn_result_clear(lmo_fast_mnn_result_t *res)
{
    long L = res->L;
    free_list(res->U, L); free_list(res->V, L); free_list(res->A, L);
    free_list(res->Delta, L); free_list(res->G, L);
    free(res->Gall); free(res->e); free(res->grad); free(res->d);
    if (res->rank_G)
        for (long l = 0; l < L; l++) lmo_fast_rank_clear(res->rank_G + l);
    free(res->rank_G);
    lmo_fast_rank_clear(&res->rank_Gall);
    lmo_fast_rank_clear(&res->rank_A1X);
    lmo_fast_rank_clear(&res->rank_thm5);
    lmo_fast_mnn_result_init(res);
}

/* G (da*db x N) = A (da x N) o B (db x N): G[i*db + j][n] = A[i][n] B[j][n]. */
static void khatri_rao(double *G, const double *A, long da, const double *B, long db, long N)
{
    for (long i = 0; i < da; i++)
        for (long j = 0; j < db; j++)
            for (long n = 0; n < N; n++) G[(i * db + j) * N + n] = A[i * N + n] * B[j * N + n];
}

int lmo_fast_mnn_run(lmo_fast_mnn_result_t *res, const lmo_fast_mnn_input_t *in,
                     const lmo_fast_policy_t *pol, const lmo_fast_mnn_opts_t *opts)
{
    long L = in->L, N = in->N;
    const long *d = in->d;
    lmo_fast_mnn_result_clear(res);
    if (L < 1 || N < 1 || d[L] != 1) return -1;
    res->L = L; res->N = N;
    res->d = malloc(sizeof(long) * (size_t) (L + 1));
    memcpy(res->d, d, sizeof(long) * (size_t) (L + 1));
    res->omega = 0;
    for (long l = 1; l <= L; l++) res->omega += d[l] * d[l - 1];
    long omega = res->omega;
    res->U = calloc((size_t) L, sizeof(double *));
    res->V = calloc((size_t) L, sizeof(double *));
    res->A = calloc((size_t) L, sizeof(double *));
    res->Delta = calloc((size_t) L, sizeof(double *));
    res->G = calloc((size_t) L, sizeof(double *));
    res->rank_G = calloc((size_t) L, sizeof(lmo_fast_rank_t));
    for (long l = 0; l < L; l++) lmo_fast_rank_init(res->rank_G + l);
    res->e = calloc((size_t) N, sizeof(double));
    res->grad = calloc((size_t) omega + 1, sizeof(double));
    res->Gall = calloc((size_t) (omega * N) + 1, sizeof(double));

    /* forward pass (3.1) */
    res->min_abs_u = INFINITY;
    for (long l = 1; l <= L; l++) {
        long dl = d[l], dp = d[l - 1];
        const double *Vp = l == 1 ? in->X : res->V[l - 2];
        double *U = res->U[l - 1] = calloc((size_t) (dl * N) + 1, sizeof(double));
        double *V = res->V[l - 1] = calloc((size_t) (dl * N) + 1, sizeof(double));
        double *A = res->A[l - 1] = calloc((size_t) (dl * N) + 1, sizeof(double));
        for (long i = 0; i < dl; i++)
            for (long n = 0; n < N; n++) {
                double u = 0;
                for (long j = 0; j < dp; j++) u += in->W[l - 1][i * dp + j] * Vp[j * N + n];
                double a = 1;
                if (l < L) {
                    double eps = in->E ? in->E[l - 1][i * N + n] : 1.0;
                    a = u >= 0 ? eps : in->s * eps;
                    if (fabs(u) < res->min_abs_u) res->min_abs_u = fabs(u);
                }
                U[i * N + n] = u; A[i * N + n] = a; V[i * N + n] = a * u;
            }
    }
    res->u_tol = (opts && opts->u_tol >= 0) ? opts->u_tol : 0.0;
    res->nzero = 0;
    for (long l = 1; l < L; l++)
        for (long k = 0; k < d[l] * N; k++) res->nzero += fabs(res->U[l - 1][k]) <= res->u_tol;
    res->differentiable = res->nzero == 0;
    double se = 0, emax = 0;
    for (long n = 0; n < N; n++) {
        res->e[n] = res->V[L - 1][n] - in->y[n];
        se += res->e[n] * res->e[n];
        if (fabs(res->e[n]) > emax) emax = fabs(res->e[n]);
    }
    res->mse = se / (2.0 * (double) N);

    /* backward (5.2), G_l (5.4), G (5.5), gradient (5.1) */
    for (long l = L; l >= 1; l--) {
        long dl = d[l];
        double *D = res->Delta[l - 1] = calloc((size_t) (dl * N) + 1, sizeof(double));
        if (l == L) { for (long n = 0; n < N; n++) D[n] = 1.0; continue; }
        long dn = d[l + 1];
        for (long i = 0; i < dl; i++)
            for (long n = 0; n < N; n++) {
                double t = 0;
                for (long k = 0; k < dn; k++) t += in->W[l][k * dl + i] * res->Delta[l][k * N + n];
                D[i * N + n] = res->A[l - 1][i * N + n] * t;
            }
    }
    double gmax = 0;
    long row = 0;
    for (long l = 1; l <= L; l++) {
        long m = d[l] * d[l - 1];
        res->G[l - 1] = calloc((size_t) (m * N) + 1, sizeof(double));
        khatri_rao(res->G[l - 1], res->Delta[l - 1], d[l], l == 1 ? in->X : res->V[l - 2], d[l - 1], N);
        memcpy(res->Gall + row * N, res->G[l - 1], sizeof(double) * (size_t) (m * N));
        row += m;
    }
    res->grad_max = 0;
    for (long a = 0; a < omega; a++) {
        double g = 0;
        for (long n = 0; n < N; n++) {
            g += res->Gall[a * N + n] * res->e[n];
            if (fabs(res->Gall[a * N + n]) > gmax) gmax = fabs(res->Gall[a * N + n]);
        }
        res->grad[a] = g / (double) N;
        if (fabs(res->grad[a]) > res->grad_max) res->grad_max = fabs(res->grad[a]);
    }
    double scale = gmax * emax > 1 ? gmax * emax : 1;
    res->grad_tol = (opts && opts->grad_tol >= 0) ? opts->grad_tol : sqrt(EPS) * scale;
    res->critical = res->grad_max <= res->grad_tol;

    int rc = 0;
    for (long l = 1; l <= L && rc == 0; l++)
        rc = lmo_fast_rank(res->rank_G + l - 1, res->G[l - 1], d[l] * d[l - 1], N, pol);
    if (rc == 0) rc = lmo_fast_rank(&res->rank_Gall, res->Gall, omega, N, pol);
    if (rc == 0 && L == 2) {
        double *K = calloc((size_t) (d[1] * d[0] * N) + 1, sizeof(double));
        khatri_rao(K, res->A[0], d[1], in->X, d[0], N);
        rc = lmo_fast_rank(&res->rank_A1X, K, d[1] * d[0], N, pol);
        res->has_A1X = 1;
        free(K);
    }
    if (rc == 0 && L >= 3) {
        double *K = calloc((size_t) (d[L - 1] * d[L - 2] * N) + 1, sizeof(double));
        khatri_rao(K, res->A[L - 2], d[L - 1], res->V[L - 3], d[L - 2], N);
        rc = lmo_fast_rank(&res->rank_thm5, K, d[L - 1] * d[L - 2], N, pol);
        res->has_thm5 = 1;
        free(K);
    }
    return rc == 0 ? 0 : -1;
}

int lmo_fast_pattern_rank(lmo_fast_rank_t *out, const double *X, long d0, const double *E,
                          long d1, long N, double s, const unsigned char *signs,
                          const lmo_fast_policy_t *pol)
{
    double *A = malloc(sizeof(double) * (size_t) (d1 * N + 1));
    double *G = malloc(sizeof(double) * (size_t) (d1 * d0 * N + 1));
    for (long i = 0; i < d1; i++)
        for (long n = 0; n < N; n++) {
            double eps = E ? E[i * N + n] : 1.0;
            A[i * N + n] = signs[i * N + n] ? eps : s * eps;
        }
    khatri_rao(G, A, d1, X, d0, N);
    int rc = lmo_fast_rank(out, G, d1 * d0, N, pol);
    free(A);
    free(G);
    return rc;
}
