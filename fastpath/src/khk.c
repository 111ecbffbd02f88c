/* The double twin of Kawaguchi-Huang-Kaelbling 2019 (4.1), (4.2): lmo_fast/khk.h. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <lapacke.h>
#include "lmo_fast/khk.h"

void lmo_fast_khk_init(lmo_fast_khk_t *f, long H, const long *d, long m)
{
    f->H = H, f->m = m;
    f->d = malloc(sizeof(long) * (size_t)(H + 2));
    memcpy(f->d, d, sizeof(long) * (size_t)(H + 2));
    f->X = calloc((size_t)(m * d[0]) + 1, sizeof(double));
    f->Y = calloc((size_t)(m * d[H + 1]) + 1, sizeof(double));
    f->W = malloc(sizeof(double *) * (size_t)(H + 1));
    for (long l = 0; l <= H; l++) f->W[l] = calloc((size_t)(d[l] * d[l + 1]) + 1, sizeof(double));
    f->a = calloc((size_t)H + 1, sizeof(double));
    f->linear = calloc((size_t)H + 1, sizeof(int));
}

void lmo_fast_khk_clear(lmo_fast_khk_t *f)
{
    for (long l = 0; l <= f->H; l++) free(f->W[l]);
    free(f->W), free(f->X), free(f->Y), free(f->a), free(f->linear), free(f->d);
}

void lmo_fast_khk_result_init(lmo_fast_khk_result_t *r)
{
    memset(r, 0, sizeof *r);
    lmo_fast_rank_init(&r->rank);
}

void lmo_fast_khk_result_clear(lmo_fast_khk_result_t *r)
{
    lmo_fast_rank_clear(&r->rank);
}

/* C (p x q) = A (p x s) B (s x q), row-major */
static void mul(double *C, const double *A, const double *B, long p, long s, long q)
{
    for (long i = 0; i < p; i++)
        for (long j = 0; j < q; j++) {
            double t = 0;
            for (long k = 0; k < s; k++) t += A[i * s + k] * B[k * q + j];
            C[i * q + j] = t;
        }
}

/* M (m x d(l+1)) -> (M W^T) o Lam (m x dl), W = d(l) x d(l+1); into out */
static void back(double *out, const double *M, const double *W, const double *Lam, long m, long dl,
                 long dn)
{
    for (long i = 0; i < m; i++)
        for (long k = 0; k < dl; k++) {
            double t = 0;
            for (long j = 0; j < dn; j++) t += M[i * dn + j] * W[k * dn + j];
            out[i * dl + k] = t * Lam[i * dl + k];
        }
}

int lmo_fast_khk(lmo_fast_khk_result_t *r, const lmo_fast_khk_t *f, const lmo_fast_policy_t *pol)
{
    long H = f->H, m = f->m, dy = f->d[H + 1], n = m * dy, dmax = 1, dtheta = 0;
    for (long l = 0; l <= H + 1; l++) dmax = f->d[l] > dmax ? f->d[l] : dmax;
    for (long l = 1; l <= H + 1; l++) dtheta += f->d[l - 1] * f->d[l];
    double **Phi = calloc((size_t)(H + 2), sizeof(double *)), **Lam = calloc((size_t)(H + 1), sizeof(double *));
    double *A = calloc((size_t)(n * dtheta) + 1, sizeof(double));
    double *T = calloc((size_t)(m * dmax) + 1, sizeof(double)), *T2 = calloc((size_t)(m * dmax) + 1, sizeof(double));
    int rc = 0;
    /* forward pass (4.1), Lambda, the first exact 0.0 */
    Phi[0] = f->X;
    r->differentiable = 1;
    for (long l = 1; l <= H + 1; l++) {
        long dp = f->d[l - 1], dl = f->d[l];
        Phi[l] = malloc(sizeof(double) * (size_t)(m * dl + 1));
        mul(Phi[l], Phi[l - 1], f->W[l - 1], m, dp, dl);
        if (l == H + 1) break;
        Lam[l - 1] = malloc(sizeof(double) * (size_t)(m * dl + 1));
        for (long k = 0; k < dl; k++)
            for (long i = 0; i < m; i++) {
                double z = Phi[l][i * dl + k];
                double lam = z > 0 ? 1 : z < 0 ? f->a[l - 1] : (f->linear[l - 1] ? 1 : 0);
                if (z == 0 && !f->linear[l - 1] && r->differentiable)
                    r->differentiable = 0, r->kink_layer = l, r->kink_unit = k + 1, r->kink_sample = i + 1;
                Lam[l - 1][i * dl + k] = lam;
                Phi[l][i * dl + k] = z * lam;
            }
    }
    double loss = 0, g2 = 0, nx = 0, ny = 0;
    for (long i = 0; i < m * dy; i++) {
        double e = Phi[H + 1][i] - f->Y[i];
        loss += e * e;
        ny += f->Y[i] * f->Y[i];
    }
    for (long i = 0; i < m * f->d[0]; i++) nx += f->X[i] * f->X[i];
    r->loss = loss / 2;
    /* the columns of A: D_k(l) block row j, sample i, input a = T(l)_j[i][k] Phi(l-1)[i][a] */
    long col = 0;
    for (long l = 1; l <= H; l++) {
        long dp = f->d[l - 1], dl = f->d[l];
        for (long j = 0; j < dy; j++) {
            for (long i = 0; i < m; i++)          /* T(H)_j = Lambda(H) o W(H+1)[:, j]^T */
                for (long k = 0; k < f->d[H]; k++)
                    T[i * f->d[H] + k] = Lam[H - 1][i * f->d[H] + k] * f->W[H][k * dy + j];
            for (long q = H - 1; q >= l; q--) {
                back(T2, T, f->W[q], Lam[q - 1], m, f->d[q], f->d[q + 1]);
                double *t = T; T = T2; T2 = t;
            }
            for (long k = 0; k < dl; k++)
                for (long i = 0; i < m; i++)
                    for (long a = 0; a < dp; a++)
                        A[(j * m + i) * dtheta + col + k * dp + a] = T[i * dl + k] * Phi[l - 1][i * dp + a];
        }
        col += dl * dp;
    }
    for (long j = 0; j < dy; j++)                 /* D_1(H+1) = I (x) Phi(H) */
        for (long i = 0; i < m; i++)
            for (long a = 0; a < f->d[H]; a++)
                A[(j * m + i) * dtheta + col + j * f->d[H] + a] = Phi[H][i * f->d[H] + a];
    /* gradient = A^T vec(Yhat - Y) (Lemma 1) */
    for (long c = 0; c < dtheta; c++) {
        double t = 0;
        for (long j = 0; j < dy; j++)
            for (long i = 0; i < m; i++) t += A[(j * m + i) * dtheta + c] * (Phi[H + 1][i * dy + j] - f->Y[i * dy + j]);
        g2 += t * t;
    }
    r->grad_norm = sqrt(g2);
    r->grad_tol = 1e-8 * fmax(1.0, sqrt(nx) * sqrt(ny));
    r->critical = r->differentiable && r->grad_norm <= r->grad_tol;
    /* rank under the policy; J by the left singular vectors (Appendix C) */
    if (lmo_fast_rank(&r->rank, A, n, dtheta, pol) != 0) rc = -1;
    long k = n < dtheta ? n : dtheta;
    double *U = malloc(sizeof(double) * (size_t)(n * (k > 0 ? k : 1))), *S = malloc(sizeof(double) * (size_t)(k + 1));
    double *Vt = malloc(sizeof(double) * (size_t)(k * dtheta + 1)), *Ac = malloc(sizeof(double) * (size_t)(n * dtheta + 1));
    if (rc == 0 && k > 0) {
        memcpy(Ac, A, sizeof(double) * (size_t)(n * dtheta));
        r->info = LAPACKE_dgesdd(LAPACK_ROW_MAJOR, 'S', n, dtheta, Ac, dtheta, S, U, k, Vt, dtheta);
        if (r->info != 0) rc = -1;
    }
    if (rc == 0) {
        double p = 0;
        /* vec(Y)[j m + i] = Y[i][j] */
        for (long c = 0; c < r->rank.rank && c < k; c++) {
            double t = 0;
            for (long j = 0; j < dy; j++)
                for (long i = 0; i < m; i++) t += U[(j * m + i) * k + c] * f->Y[i * dy + j];
            p += t * t;
        }
        r->J = (ny - p) / 2;
    }
    free(U), free(S), free(Vt), free(Ac);
    for (long l = 1; l <= H + 1; l++) free(Phi[l]);
    for (long l = 0; l < H; l++) free(Lam[l]);
    free(Phi), free(Lam), free(A), free(T), free(T2);
    return rc;
}
