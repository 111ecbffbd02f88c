/*
 * lmo_fast/deep_linear.h -- the double-precision twin of
 * lmo/kawaguchi/deep_linear.h: critical-point classification of a deep linear network the way users'
 * float code does it (Kawaguchi 2016, Theorem 2.3 / Corollary 2.4 setting).
 *
 * Same model and conventions as the exact tier: L(W) = 1/2 ||W(H+1)...W1 X
 * - Y||_F^2 (the paper's normalisation), theta = [vec(W1^T); ...;
 * vec(W(H+1)^T)] (each Wk row by row), gradient by Lemma 4.1, Hessian by the
 * block formulas of Lemma 4.3 (diagonal blocks A_k^T A_k (x) B_k B_k^T; block
 * (j,k), j < k: (A_j^T A_k) (x) (B_j B_k^T) plus entry ((a,b),(c,e)) +=
 * M[e][a] (A_k^T R B_j^T)[c][b], M = W(k-1)...W(j+1)), eigenvalues by LAPACK
 * dsyevd. Matrices are row-major double arrays; inputs are the correctly
 * rounded doubles of the exact inputs (lmo_fast_d_from_mpq).
 *
 * Tolerance policy (named, reported with every decision):
 *   critical      ||grad||_2 <= grad_tol,
 *                 grad_tol = g_rel * max(1, ||X||_F ||Y||_F), g_rel = 1e-8;
 *   eigenvalues   lambda < -eig_tol negative, |lambda| <= eig_tol zero,
 *                 eig_tol = max|lambda| * n * eps (DESIGN.md) unless given
 *                 (absolute, or relative to max|lambda|);
 *   global min    |L - L*| <= loss_tol, loss_tol = l_rel * max(1, |L*|),
 *                 l_rel = 1e-8, with L* = (tr(YY^T) - sum of the
 *                 q = min(p, dy) largest eigenvalues of Sigma)/2 in doubles
 *                 (Sigma = Y X^T (X X^T)^{-1} X Y^T via Cholesky dposv;
 *                 eigen pseudo-inverse if X X^T is not positive definite).
 * Classes (the names of the exact tier):
 *   grad > grad_tol                         not_critical
 *   lambda_min < -eig_tol, lambda_max <= tol local_max
 *   lambda_min < -eig_tol                   strict_saddle
 *   |L - L*| <= loss_tol                    global_min
 *   lambda_min > eig_tol                    local_min_not_global
 *   otherwise                               bad_saddle
 */
#ifndef LMO_FAST_DEEP_LINEAR_H
#define LMO_FAST_DEEP_LINEAR_H

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    long H;        /* hidden layers, >= 1 */
    long *d;       /* d[0..H+1] */
    long m;
    double *X;     /* dx x m */
    double *Y;     /* dy x m */
    double **W;    /* W[k-1]: dk x d(k-1), k = 1..H+1 */
} lmo_fast_dl_t;

/* Allocate (zeros). 0 on success, -1 on bad shape or no memory. */
int lmo_fast_dl_init(lmo_fast_dl_t *f, long H, const long *dims, long m);
void lmo_fast_dl_clear(lmo_fast_dl_t *f);
long lmo_fast_dl_nparams(const lmo_fast_dl_t *f);

double lmo_fast_dl_loss(const lmo_fast_dl_t *f);
/* g: n doubles; Hs: n*n doubles (row-major, symmetric). */
void lmo_fast_dl_gradient(double *g, const lmo_fast_dl_t *f);
void lmo_fast_dl_hessian(double *Hs, const lmo_fast_dl_t *f);
/* Eigenvalues (ascending) of the symmetric n x n A by dsyevd; A is
 * overwritten. Returns LAPACK's info (0 on success). */
int lmo_fast_dl_eigvalsh(double *w, double *A, long n);

/* Class numbering matches lmo_dl_class_t of the exact tier. */
enum {
    LMO_FAST_DL_NOT_CRITICAL = 0, LMO_FAST_DL_GLOBAL_MIN, LMO_FAST_DL_STRICT_SADDLE,
    LMO_FAST_DL_BAD_SADDLE, LMO_FAST_DL_LOCAL_MIN_NOT_GLOBAL, LMO_FAST_DL_LOCAL_MAX,
    LMO_FAST_DL_UNKNOWN
};
const char *lmo_fast_dl_class_name(int cls);

typedef struct {
    double g_rel;      /* <= 0: 1e-8 */
    double eig_tol;    /* > 0: this absolute tolerance */
    double eig_rel;    /* > 0 (and eig_tol <= 0): eig_rel * max|lambda|;
                          both <= 0: max|lambda| * n * eps */
    double l_rel;      /* <= 0: 1e-8 */
} lmo_fast_dl_policy_t;

typedef struct {
    int cls;
    long n;
    double loss, grad_norm, grad_tol;
    double eig_min, eig_max, eig_tol;
    long npos, nneg, nzero;        /* eigenvalue counts under eig_tol */
    double gmin, loss_tol;         /* L* and the tolerance on |L - L*| */
    int info;                      /* LAPACK info of the failing call, 0 if none */
} lmo_fast_dl_result_t;

/* Classify under the policy (NULL: defaults). 0 on success, -1 if LAPACK
 * failed (r->info) or memory ran out. */
int lmo_fast_dl_classify(lmo_fast_dl_result_t *r, const lmo_fast_dl_t *f,
                         const lmo_fast_dl_policy_t *pol);

#ifdef __cplusplus
}
#endif
#endif
