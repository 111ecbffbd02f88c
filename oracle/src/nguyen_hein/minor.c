/* A float-located, ball-verified non-singular minor of a ball matrix (lmo_nh_minor_located,
 * lmo/nguyen_hein/nguyen_hein.h): doubles only choose the rows and columns and an approximate
 * inverse R; the proof is ||R M - I||_inf < 1 in arb balls (then R M, so M, is non-singular),
 * one ball matrix product instead of an elimination in balls whose radii grow step by step. */
#include <math.h>
#include <string.h>
#include "lmo/nguyen_hein/nguyen_hein.h"

static int cmp_slong(const void *a, const void *b)
{
    slong x = *(const slong *)a, y = *(const slong *)b;
    return (x > y) - (x < y);
}

/* Gauss-Jordan with partial pivoting: R = A^{-1} (n x n, row-major, A destroyed); 0 when a
 * pivot is 0 */
static int dinv(double *R, double *A, slong n)
{
    for (slong i = 0; i < n; i++)
        for (slong j = 0; j < n; j++) R[i * n + j] = i == j;
    for (slong s = 0; s < n; s++) {
        slong p = s;
        for (slong i = s + 1; i < n; i++) if (fabs(A[i * n + s]) > fabs(A[p * n + s])) p = i;
        if (A[p * n + s] == 0) return 0;
        if (p != s)
            for (slong j = 0; j < n; j++) {
                double t = A[s * n + j]; A[s * n + j] = A[p * n + j], A[p * n + j] = t;
                t = R[s * n + j]; R[s * n + j] = R[p * n + j], R[p * n + j] = t;
            }
        double inv = 1.0 / A[s * n + s];
        for (slong j = 0; j < n; j++) A[s * n + j] *= inv, R[s * n + j] *= inv;
        for (slong i = 0; i < n; i++) {
            double f = A[i * n + s];
            if (i == s || f == 0) continue;
            for (slong j = 0; j < n; j++) A[i * n + j] -= f * A[s * n + j], R[i * n + j] -= f * R[s * n + j];
        }
    }
    return 1;
}

slong lmo_nh_minor_located(slong *rows, slong *cols, const arb_mat_t E, slong want, slong prec)
{
    slong m = arb_mat_nrows(E), n = arb_mat_ncols(E), mn = m < n ? m : n, r = 0;
    if (want > mn) want = mn;
    if (want <= 0) return 0;
    double *D = flint_malloc(sizeof(double) * (size_t)(m * n));
    slong *rp = flint_malloc(sizeof(slong) * (size_t)m), *cp = flint_malloc(sizeof(slong) * (size_t)n);
    for (slong i = 0; i < m * n; i++) {
        D[i] = arf_get_d(arb_midref(arb_mat_entry(E, i / n, i % n)), ARF_RND_NEAR);
        if (!isfinite(D[i])) { flint_free(D), flint_free(rp), flint_free(cp); return -1; }
    }
    for (slong i = 0; i < m; i++) rp[i] = i;
    for (slong j = 0; j < n; j++) cp[j] = j;
    /* locate: complete pivoting in double, want steps at most */
    for (slong s = 0; s < want; s++) {
        slong bi = s, bj = s;
        double best = 0;
        for (slong i = s; i < m; i++)
            for (slong j = s; j < n; j++)
                if (fabs(D[rp[i] * n + cp[j]]) > best) best = fabs(D[rp[i] * n + cp[j]]), bi = i, bj = j;
        if (best == 0) break;
        slong t = rp[s]; rp[s] = rp[bi], rp[bi] = t;
        t = cp[s]; cp[s] = cp[bj], cp[bj] = t;
        double piv = D[rp[s] * n + cp[s]];
        for (slong i = s + 1; i < m; i++) {
            double f = D[rp[i] * n + cp[s]] / piv;
            if (f == 0) continue;
            for (slong j = s + 1; j < n; j++) D[rp[i] * n + cp[j]] -= f * D[rp[s] * n + cp[j]];
        }
        r++;
    }
    flint_free(D);
    /* verify: M = E[rows, cols], R ~ mid(M)^{-1}, ||R M - I||_inf < 1 in balls */
    slong ok = -1;
    qsort(rp, (size_t)r, sizeof(slong), cmp_slong);
    qsort(cp, (size_t)r, sizeof(slong), cmp_slong);
    double *A = flint_malloc(sizeof(double) * (size_t)(r * r + 1));
    double *R = flint_malloc(sizeof(double) * (size_t)(r * r + 1));
    for (slong i = 0; i < r; i++)
        for (slong j = 0; j < r; j++)
            A[i * r + j] = arf_get_d(arb_midref(arb_mat_entry(E, rp[i], cp[j])), ARF_RND_NEAR);
    if (r > 0 && dinv(R, A, r)) {
        arb_mat_t M, Rb, C;
        mag_t b;
        arb_mat_init(M, r, r), arb_mat_init(Rb, r, r), arb_mat_init(C, r, r);
        mag_init(b);
        for (slong i = 0; i < r; i++)
            for (slong j = 0; j < r; j++) {
                arb_set(arb_mat_entry(M, i, j), arb_mat_entry(E, rp[i], cp[j]));
                arb_set_d(arb_mat_entry(Rb, i, j), R[i * r + j]); /* exact */
            }
        arb_mat_mul(C, Rb, M, prec);
        for (slong i = 0; i < r; i++) arb_sub_ui(arb_mat_entry(C, i, i), arb_mat_entry(C, i, i), 1, prec);
        arb_mat_bound_inf_norm(b, C);
        if (mag_cmp_2exp_si(b, 0) < 0) {
            ok = r;
            for (slong i = 0; i < r; i++) rows[i] = rp[i], cols[i] = cp[i];
        }
        mag_clear(b);
        arb_mat_clear(M), arb_mat_clear(Rb), arb_mat_clear(C);
    }
    flint_free(A), flint_free(R), flint_free(rp), flint_free(cp);
    return ok;
}

int lmo_nh_minor_inverse(fmpq_mat_t R, const arb_mat_t E, const slong *rows, const slong *cols,
                         slong r, slong prec)
{
    arb_mat_t M, A, C, Mid;
    mag_t b;
    int ok = 0;
    arb_mat_init(M, r, r), arb_mat_init(A, r, r), arb_mat_init(C, r, r), arb_mat_init(Mid, r, r);
    mag_init(b);
    for (slong i = 0; i < r; i++)
        for (slong j = 0; j < r; j++) {
            arb_set(arb_mat_entry(M, i, j), arb_mat_entry(E, rows[i], cols[j]));
            arb_get_mid_arb(arb_mat_entry(Mid, i, j), arb_mat_entry(M, i, j));
        }
    if (arb_mat_approx_inv(A, Mid, prec)) {
        for (slong i = 0; i < r * r; i++) /* exact midpoints: R is these dyadics */
            mag_zero(arb_radref(arb_mat_entry(A, i / r, i % r)));
        arb_mat_mul(C, A, M, prec);
        for (slong i = 0; i < r; i++) arb_sub_ui(arb_mat_entry(C, i, i), arb_mat_entry(C, i, i), 1, prec);
        arb_mat_bound_inf_norm(b, C);
        ok = mag_cmp_2exp_si(b, 0) < 0;
        for (slong i = 0; ok && i < r * r; i++)
            ok = arf_is_finite(arb_midref(arb_mat_entry(A, i / r, i % r)));
    }
    fmpq_mat_init(R, ok ? r : 0, ok ? r : 0);
    for (slong i = 0; ok && i < r * r; i++)
        arf_get_fmpq(fmpq_mat_entry(R, i / r, i % r), arb_midref(arb_mat_entry(A, i / r, i % r)));
    mag_clear(b);
    arb_mat_clear(M), arb_mat_clear(A), arb_mat_clear(C), arb_mat_clear(Mid);
    return ok;
}
