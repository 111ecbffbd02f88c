/* Double-precision deep linear networks (see lmo_fast/deep_linear.h). */
#include "lmo_fast/deep_linear.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cblas.h>
#include <lapacke.h>

#define EPS 0x1p-52

int lmo_fast_dl_init(lmo_fast_dl_t *f, long H, const long *dims, long m)
{
    memset(f, 0, sizeof *f);
    if (H < 1 || m < 1) return -1;
    for (long k = 0; k <= H + 1; k++) if (dims[k] < 1) return -1;
    f->H = H;
    f->m = m;
    f->d = malloc(sizeof(long) * (H + 2));
    f->W = calloc(H + 1, sizeof(double *));
    f->X = calloc(dims[0] * m, sizeof(double));
    f->Y = calloc(dims[H + 1] * m, sizeof(double));
    int ok = f->d && f->W && f->X && f->Y;
    if (f->d) memcpy(f->d, dims, sizeof(long) * (H + 2));
    for (long k = 1; ok && k <= H + 1; k++)
        ok = (f->W[k - 1] = calloc(dims[k] * dims[k - 1], sizeof(double))) != NULL;
    if (!ok) { lmo_fast_dl_clear(f); return -1; }
    return 0;
}

void lmo_fast_dl_clear(lmo_fast_dl_t *f)
{
    if (f->W) for (long k = 0; k <= f->H; k++) free(f->W[k]);
    free(f->W);
    free(f->d);
    free(f->X);
    free(f->Y);
    memset(f, 0, sizeof *f);
}

long lmo_fast_dl_nparams(const lmo_fast_dl_t *f)
{
    long n = 0;
    for (long k = 1; k <= f->H + 1; k++) n += f->d[k] * f->d[k - 1];
    return n;
}

/* C (m x n) = op(A) op(B), row-major; ta/tb: use the transpose. */
static void mm(double *C, const double *A, const double *B, long m, long k, long n,
               int ta, int tb)
{
    if (m == 0 || n == 0) return;
    if (k == 0) { memset(C, 0, sizeof(double) * m * n); return; }
    cblas_dgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans,
                (int) m, (int) n, (int) k, 1.0, A, ta ? (int) m : (int) k,
                B, tb ? (int) k : (int) n, 0.0, C, (int) n);
}

/* Bp[k] = W(k-1)...W1 X (d(k-1) x m), k = 1..H+2; A[k] = W(H+1)...W(k+1)
 * (dy x dk), k = 0..H+1; R = Bp[H+2] - Y. */
typedef struct { long H; double **Bp, **A, *R; } prods_t;

static void prods_free(prods_t *P)
{
    if (P->Bp) for (long k = 1; k <= P->H + 2; k++) free(P->Bp[k]);
    if (P->A) for (long k = 0; k <= P->H + 1; k++) free(P->A[k]);
    free(P->Bp);
    free(P->A);
    free(P->R);
}

static int prods(prods_t *P, const lmo_fast_dl_t *f)
{
    long H = f->H, *d = f->d, m = f->m, dy = d[H + 1];
    P->H = H;
    P->Bp = calloc(H + 3, sizeof(double *));
    P->A = calloc(H + 2, sizeof(double *));
    P->R = malloc(sizeof(double) * dy * m);
    if (!P->Bp || !P->A || !P->R) { prods_free(P); return -1; }
    for (long k = 1; k <= H + 2; k++)
        if (!(P->Bp[k] = malloc(sizeof(double) * d[k - 1] * m))) { prods_free(P); return -1; }
    for (long k = 0; k <= H + 1; k++)
        if (!(P->A[k] = malloc(sizeof(double) * dy * d[k]))) { prods_free(P); return -1; }
    memcpy(P->Bp[1], f->X, sizeof(double) * d[0] * m);
    for (long k = 2; k <= H + 2; k++) mm(P->Bp[k], f->W[k - 2], P->Bp[k - 1], d[k - 1], d[k - 2], m, 0, 0);
    memset(P->A[H + 1], 0, sizeof(double) * dy * dy);
    for (long i = 0; i < dy; i++) P->A[H + 1][i * dy + i] = 1.0;
    for (long k = H; k >= 0; k--) mm(P->A[k], P->A[k + 1], f->W[k], dy, d[k + 1], d[k], 0, 0);
    for (long i = 0; i < dy * m; i++) P->R[i] = P->Bp[H + 2][i] - f->Y[i];
    return 0;
}

double lmo_fast_dl_loss(const lmo_fast_dl_t *f)
{
    prods_t P;
    memset(&P, 0, sizeof P);
    if (prods(&P, f)) return NAN;
    double s = 0;
    for (long i = 0; i < f->d[f->H + 1] * f->m; i++) s += P.R[i] * P.R[i];
    prods_free(&P);
    return 0.5 * s;
}

void lmo_fast_dl_gradient(double *g, const lmo_fast_dl_t *f)
{
    long H = f->H, *d = f->d, m = f->m, dy = d[H + 1], off = 0;
    prods_t P;
    memset(&P, 0, sizeof P);
    if (prods(&P, f)) { for (long i = 0; i < lmo_fast_dl_nparams(f); i++) g[i] = NAN; return; }
    for (long k = 1; k <= H + 1; k++) {
        double *T = malloc(sizeof(double) * d[k] * m);
        mm(T, P.A[k], P.R, d[k], dy, m, 1, 0);                 /* A_k^T R */
        mm(g + off, T, P.Bp[k], d[k], m, d[k - 1], 0, 1);      /* (A_k^T R) B_k^T */
        off += d[k] * d[k - 1];
        free(T);
    }
    prods_free(&P);
}

void lmo_fast_dl_hessian(double *Hs, const lmo_fast_dl_t *f)
{
    long H = f->H, *d = f->d, m = f->m, dy = d[H + 1], n = lmo_fast_dl_nparams(f);
    long *off = malloc(sizeof(long) * (H + 3));
    off[1] = 0;
    for (long k = 1; k <= H + 1; k++) off[k + 1] = off[k] + d[k] * d[k - 1];
    prods_t P;
    memset(&P, 0, sizeof P);
    if (prods(&P, f)) {
        for (long i = 0; i < n * n; i++) Hs[i] = NAN;
        free(off);
        return;
    }
    for (long j = 1; j <= H + 1; j++) {
        /* M = W(k-1)...W(j+1), d(k-1) x dj, starting from I_dj */
        double *M = calloc(d[j] * d[j], sizeof(double));
        for (long i = 0; i < d[j]; i++) M[i * d[j] + i] = 1.0;
        for (long k = j; k <= H + 1; k++) {
            if (k >= j + 2) {
                double *Mn = malloc(sizeof(double) * d[k - 1] * d[j]);
                mm(Mn, f->W[k - 2], M, d[k - 1], d[k - 2], d[j], 0, 0);
                free(M);
                M = Mn;
            }
            double *AA = malloc(sizeof(double) * d[j] * d[k]);
            double *BB = malloc(sizeof(double) * d[j - 1] * d[k - 1]);
            mm(AA, P.A[j], P.A[k], d[j], dy, d[k], 1, 0);        /* A_j^T A_k */
            mm(BB, P.Bp[j], P.Bp[k], d[j - 1], m, d[k - 1], 0, 1); /* B_j B_k^T */
            double *G = NULL;
            if (k > j) {
                double *AR = malloc(sizeof(double) * d[k] * m);
                G = malloc(sizeof(double) * d[k] * d[j - 1]);
                mm(AR, P.A[k], P.R, d[k], dy, m, 1, 0);          /* A_k^T R */
                mm(G, AR, P.Bp[j], d[k], m, d[j - 1], 0, 1);     /* A_k^T R B_j^T */
                free(AR);
            }
            for (long a = 0; a < d[j]; a++)
                for (long b = 0; b < d[j - 1]; b++) {
                    long row = off[j] + a * d[j - 1] + b;
                    for (long c = 0; c < d[k]; c++)
                        for (long e = 0; e < d[k - 1]; e++) {
                            long col = off[k] + c * d[k - 1] + e;
                            if (k == j && col < row) continue;
                            double v = AA[a * d[k] + c] * BB[b * d[k - 1] + e];
                            if (G) v += M[e * d[j] + a] * G[c * d[j - 1] + b];
                            Hs[row * n + col] = v;
                            Hs[col * n + row] = v;
                        }
                }
            free(AA);
            free(BB);
            free(G);
        }
        free(M);
    }
    prods_free(&P);
    free(off);
}

int lmo_fast_dl_eigvalsh(double *w, double *A, long n)
{
    if (n == 0) return 0;
    return (int) LAPACKE_dsyevd(LAPACK_ROW_MAJOR, 'N', 'U', (lapack_int) n, A, (lapack_int) n, w);
}

static const char *names[] = {
    "not_critical", "global_min", "strict_saddle", "bad_saddle",
    "local_min_not_global", "local_max", "unknown"
};

const char *lmo_fast_dl_class_name(int cls)
{
    return (cls >= 0 && cls <= LMO_FAST_DL_UNKNOWN) ? names[cls] : "unknown";
}

static double frob(const double *A, long len)
{
    double s = 0;
    for (long i = 0; i < len; i++) s += A[i] * A[i];
    return sqrt(s);
}

/* L* in doubles; -1 with *info on a LAPACK failure. */
static int global_min_value(double *gmin, const lmo_fast_dl_t *f, int *info)
{
    long H = f->H, *d = f->d, m = f->m, dx = d[0], dy = d[H + 1];
    long p = d[1];
    for (long k = 2; k <= H; k++) if (d[k] < p) p = d[k];
    long q = p < dy ? p : dy;
    double *XXt = malloc(sizeof(double) * dx * dx), *XYt = malloc(sizeof(double) * dx * dy),
           *Z = malloc(sizeof(double) * dx * dy), *S = malloc(sizeof(double) * dy * dy),
           *w = malloc(sizeof(double) * (dx > dy ? dx : dy)), *C = malloc(sizeof(double) * dx * dx);
    int rc = 0;
    mm(XXt, f->X, f->X, dx, m, dx, 0, 1);
    mm(XYt, f->X, f->Y, dx, m, dy, 0, 1);
    memcpy(C, XXt, sizeof(double) * dx * dx);
    memcpy(Z, XYt, sizeof(double) * dx * dy);
    lapack_int inf = LAPACKE_dposv(LAPACK_ROW_MAJOR, 'U', (lapack_int) dx, (lapack_int) dy, C,
                                   (lapack_int) dx, Z, (lapack_int) dy);
    if (inf > 0) {
        /* X X^T not positive definite: pseudo-inverse by eigenvalues */
        memcpy(C, XXt, sizeof(double) * dx * dx);
        inf = LAPACKE_dsyevd(LAPACK_ROW_MAJOR, 'V', 'U', (lapack_int) dx, C, (lapack_int) dx, w);
        if (inf == 0) {
            double cut = (dx > 0 ? fabs(w[dx - 1]) : 0) * dx * EPS;
            double *T = malloc(sizeof(double) * dx * dy);
            mm(T, C, XYt, dx, dx, dy, 1, 0);               /* V^T XY^T */
            for (long i = 0; i < dx; i++)
                for (long j = 0; j < dy; j++) T[i * dy + j] = w[i] > cut ? T[i * dy + j] / w[i] : 0;
            mm(Z, C, T, dx, dx, dy, 0, 0);                 /* V diag(1/w) V^T XY^T */
            free(T);
        }
    }
    if (inf != 0) { *info = (int) inf; rc = -1; goto out; }
    mm(S, XYt, Z, dy, dx, dy, 1, 0);                       /* Sigma = (XY^T)^T Z */
    for (long i = 0; i < dy; i++)                          /* symmetrise roundoff */
        for (long j = 0; j < i; j++) S[i * dy + j] = S[j * dy + i] = 0.5 * (S[i * dy + j] + S[j * dy + i]);
    inf = LAPACKE_dsyevd(LAPACK_ROW_MAJOR, 'N', 'U', (lapack_int) dy, S, (lapack_int) dy, w);
    if (inf != 0) { *info = (int) inf; rc = -1; goto out; }
    double top = 0, tr = 0;
    for (long i = 0; i < q; i++) top += w[dy - 1 - i];
    for (long i = 0; i < dy * m; i++) tr += f->Y[i] * f->Y[i];
    *gmin = 0.5 * (tr - top);
out:
    free(XXt); free(XYt); free(Z); free(S); free(w); free(C);
    return rc;
}

static int classify_body(lmo_fast_dl_result_t *r, const lmo_fast_dl_t *f,
                         const lmo_fast_dl_policy_t *pol);

/* One BLAS thread: OpenBLAS splits dsyevd's sums by thread count, so the
 * last bits of the eigenvalues, and the `fast` values stored in vectors,
 * would otherwise depend on the number of cores of the machine that replays
 * them (found by the corpus replay under OPENBLAS_NUM_THREADS=1). */
int lmo_fast_dl_classify(lmo_fast_dl_result_t *r, const lmo_fast_dl_t *f,
                         const lmo_fast_dl_policy_t *pol)
{
    int threads = openblas_get_num_threads();
    openblas_set_num_threads(1);
    int rc = classify_body(r, f, pol);
    openblas_set_num_threads(threads);
    return rc;
}

static int classify_body(lmo_fast_dl_result_t *r, const lmo_fast_dl_t *f,
                         const lmo_fast_dl_policy_t *pol)
{
    lmo_fast_dl_policy_t dflt = {0, 0, 0, 0};
    if (!pol) pol = &dflt;
    memset(r, 0, sizeof *r);
    long n = lmo_fast_dl_nparams(f), dx = f->d[0], dy = f->d[f->H + 1];
    r->n = n;
    r->cls = LMO_FAST_DL_UNKNOWN;
    double *g = malloc(sizeof(double) * (n > 0 ? n : 1));
    double *Hs = malloc(sizeof(double) * (n > 0 ? n * n : 1));
    double *w = malloc(sizeof(double) * (n > 0 ? n : 1));
    if (!g || !Hs || !w) { free(g); free(Hs); free(w); return -1; }
    r->loss = lmo_fast_dl_loss(f);
    lmo_fast_dl_gradient(g, f);
    r->grad_norm = frob(g, n);
    r->grad_tol = (pol->g_rel > 0 ? pol->g_rel : 1e-8) *
                  fmax(1.0, frob(f->X, dx * f->m) * frob(f->Y, dy * f->m));
    lmo_fast_dl_hessian(Hs, f);
    int info = lmo_fast_dl_eigvalsh(w, Hs, n);
    int rc = 0;
    if (info != 0) { r->info = info; rc = -1; goto out; }
    r->eig_min = n ? w[0] : 0;
    r->eig_max = n ? w[n - 1] : 0;
    double amax = fmax(fabs(r->eig_min), fabs(r->eig_max));
    r->eig_tol = pol->eig_tol > 0 ? pol->eig_tol
               : pol->eig_rel > 0 ? pol->eig_rel * amax : amax * (double) n * EPS;
    for (long i = 0; i < n; i++) {
        if (w[i] < -r->eig_tol) r->nneg++;
        else if (w[i] > r->eig_tol) r->npos++;
        else r->nzero++;
    }
    if (global_min_value(&r->gmin, f, &r->info)) { rc = -1; goto out; }
    r->loss_tol = (pol->l_rel > 0 ? pol->l_rel : 1e-8) * fmax(1.0, fabs(r->gmin));
    if (r->grad_norm > r->grad_tol) r->cls = LMO_FAST_DL_NOT_CRITICAL;
    else if (r->nneg > 0) r->cls = r->npos == 0 ? LMO_FAST_DL_LOCAL_MAX : LMO_FAST_DL_STRICT_SADDLE;
    else if (fabs(r->loss - r->gmin) <= r->loss_tol) r->cls = LMO_FAST_DL_GLOBAL_MIN;
    else if (r->nzero == 0) r->cls = LMO_FAST_DL_LOCAL_MIN_NOT_GLOBAL;
    else r->cls = LMO_FAST_DL_BAD_SADDLE;
out:
    free(g);
    free(Hs);
    free(w);
    return rc;
}
