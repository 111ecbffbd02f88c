/* dixon_inverse.c -- step 1 of the Dixon solver: C = A^-1 mod p by blocked
 * Gauss-Jordan on [A | I], every product exact in doubles (dixon_internal.h). */
#include "dixon_internal.h"

/* v = (v - u) mod p for len entries, |v - u| <= 2^52 */
static void dx_sub_red(double *v, const double *u, slong len, const dx_mod_t *md)
{
    slong i;
    for (i = 0; i < len; i++)
        v[i] -= u[i];
    lmo_dx_red_array(v, len, md);
}

/* Inverse of the kb x kb matrix T (row-major, balanced) by plain
 * Gauss-Jordan; returns 0 if singular mod p, -1 out of memory. */
static int dx_small_inverse(double *Ti, const double *T, slong kb, const dx_mod_t *md)
{
    slong w = 2 * kb, i, j, c;
    double *G = dx_alloc(sizeof(double) * kb * w);
    const double p = md->pd, pinv = md->pinv, h = md->hd;
    if (G == NULL)
        return -1;
    for (i = 0; i < kb; i++) {
        for (j = 0; j < kb; j++) {
            G[i * w + j] = T[i * kb + j];
            G[i * w + kb + j] = (i == j) ? 1.0 : 0.0;
        }
    }
    for (c = 0; c < kb; c++) {
        slong piv = -1;
        double inv;
        for (i = c; i < kb; i++)
            if (G[i * w + c] != 0.0) { piv = i; break; }
        if (piv < 0) { free(G); return 0; }
        if (piv != c)
            for (j = 0; j < w; j++) {
                double t = G[c * w + j]; G[c * w + j] = G[piv * w + j]; G[piv * w + j] = t;
            }
        inv = (double) dx_invmod((int64_t) G[c * w + c], md);
        /* EXACT: h * h <= 2^52 */
        for (j = c; j < w; j++)
            G[c * w + j] = dx_redd(G[c * w + j] * inv, p, pinv, h);
        for (i = 0; i < kb; i++) {
            if (i == c || G[i * w + c] == 0.0)
                continue;
            lmo_dx_axpy_red(G + i * w + c, G + c * w + c, G[i * w + c], w - c, md);
        }
    }
    for (i = 0; i < kb; i++)
        memcpy(Ti + i * kb, G + i * w + kb, sizeof(double) * kb);
    free(G);
    return 1;
}

/* Am: n x n row-major balanced residues of A. On success (1) C holds
 * A^-1 mod p (balanced). 0: A is singular mod p. -1: out of memory.
 * Requires (n + 1) h^2 <= 2^52 (guaranteed by the choice of p). */
int lmo_dx_inverse(dx_pm_t *C, const double *Am, slong n, const dx_mod_t *md, int threads)
{
    /* panels of bs columns; every buffer below is sized by bs, so a small
     * matrix gets small buffers (ASan faults in fresh pages for each) */
    const slong w = 2 * n, bs = FLINT_MIN(64, n);
    slong k0, kb, i, j, jj;
    int ret = 1;
    double *W = dx_alloc(sizeof(double) * n * w);
    double *Q = dx_alloc(sizeof(double) * n * bs);
    double *T = dx_alloc(sizeof(double) * bs * bs);
    double *Ti = dx_alloc(sizeof(double) * bs * bs);
    double *S = dx_alloc(sizeof(double) * bs * (w + 16));
    double *F = dx_alloc(sizeof(double) * n * bs);
    double *U = dx_alloc(sizeof(double) * n * (w + 16));
    double *At = dx_alloc(sizeof(double) * n * bs);
    double *Wt = dx_alloc(sizeof(double) * w);
    dx_pm_t Bt;
    slong *rowid = flint_malloc(sizeof(slong) * (n + 1));
    slong *where = flint_malloc(sizeof(slong) * (n + 1));
    slong *at = flint_malloc(sizeof(slong) * (n + 1));
    const double p = md->pd, pinv = md->pinv, h = md->hd;

    Bt.ai = NULL;
    Bt.ad = NULL;
    if (md->simd)
        Bt.ai = dx_alloc(sizeof(int32_t) * (w + 16) * bs);
    if (!W || !Q || !T || !Ti || !S || !F || !U || !At || !Wt || (md->simd && !Bt.ai)) {
        ret = -1;
        goto done;
    }
    for (i = 0; i < n; i++) {
        memcpy(W + i * w, Am + i * n, sizeof(double) * n);
        memset(W + i * w + n, 0, sizeof(double) * n);
        W[i * w + n + i] = 1.0;
    }
    for (k0 = 0; k0 < n; k0 += kb) {
        slong nr = n - k0, c0, nc, ncp;
        kb = FLINT_MIN(bs, nr);
        /* choose kb pivot rows among rows k0..n-1: LU with any non-zero
         * pivot on a copy of the panel */
        for (i = 0; i < nr; i++) {
            rowid[i] = k0 + i;
            memcpy(Q + i * kb, W + (k0 + i) * w + k0, sizeof(double) * kb);
        }
        for (jj = 0; jj < kb; jj++) {
            slong piv = -1;
            double inv;
            for (i = jj; i < nr; i++)
                if (Q[i * kb + jj] != 0.0) { piv = i; break; }
            if (piv < 0) { ret = 0; goto done; }
            if (piv != jj) {
                slong t = rowid[piv]; rowid[piv] = rowid[jj]; rowid[jj] = t;
                for (j = 0; j < kb; j++) {
                    double s = Q[jj * kb + j]; Q[jj * kb + j] = Q[piv * kb + j]; Q[piv * kb + j] = s;
                }
            }
            inv = (double) dx_invmod((int64_t) Q[jj * kb + jj], md);
            for (i = jj + 1; i < nr; i++) {
                double f = Q[i * kb + jj];
                if (f == 0.0)
                    continue;
                /* EXACT: h * h <= 2^52 */
                f = dx_redd(f * inv, p, pinv, h);
                lmo_dx_axpy_red(Q + i * kb + jj + 1, Q + jj * kb + jj + 1, f, kb - jj - 1, md);
            }
        }
        /* bring the chosen rows rowid[0..kb) to positions k0..k0+kb-1 by
         * swaps (where/at: row <-> position, relative to k0) */
        for (i = 0; i < nr; i++)
            where[i] = at[i] = i;
        for (jj = 0; jj < kb; jj++) {
            slong src = where[rowid[jj] - k0], dst = jj;
            if (src != dst) {
                slong ra = at[dst];
                memcpy(Wt, W + (k0 + dst) * w, sizeof(double) * w);
                memcpy(W + (k0 + dst) * w, W + (k0 + src) * w, sizeof(double) * w);
                memcpy(W + (k0 + src) * w, Wt, sizeof(double) * w);
                at[dst] = rowid[jj] - k0; where[rowid[jj] - k0] = dst;
                at[src] = ra; where[ra] = src;
            }
        }

        for (i = 0; i < kb; i++)
            memcpy(T + i * kb, W + (k0 + i) * w + k0, sizeof(double) * kb);
        j = dx_small_inverse(Ti, T, kb, md);
        if (j <= 0) { ret = j; goto done; }   /* 0 cannot happen: T has full rank */

        c0 = k0 + kb;
        nc = w - c0;
        ncp = dx_pad16(nc);
        /* S = T^-1 W[k0:k0+kb, c0:w] (ld ncp).  EXACT: kb h^2 <= 2^52 */
        lmo_dx_gemm_rm(S, Ti, kb, W + k0 * w + c0, w, kb, kb, nc, md->simd, &Bt, At, 1);
        for (i = 0; i < kb; i++)
            lmo_dx_red_array(S + i * ncp, nc, md);
        /* other rows: W[i, c0:w] -= W[i, k0:k0+kb] S.
         * EXACT: |W| <= h, so h + kb h^2 <= (n + 1) h^2 <= 2^52 */
        for (i = 0; i < k0; i++)
            memcpy(F + i * kb, W + i * w + k0, sizeof(double) * kb);
        for (i = c0; i < n; i++)
            memcpy(F + (i - kb) * kb, W + i * w + k0, sizeof(double) * kb);
        lmo_dx_gemm_rm(U, F, kb, S, ncp, n - kb, kb, nc, md->simd, &Bt, At, threads);
        for (i = 0; i < n; i++) {
            if (i >= k0 && i < c0)
                memcpy(W + i * w + c0, S + (i - k0) * ncp, sizeof(double) * nc);
            else
                dx_sub_red(W + i * w + c0, U + (i < k0 ? i : i - kb) * ncp, nc, md);
            for (j = k0; j < c0; j++)
                W[i * w + j] = (i == j) ? 1.0 : 0.0;
        }
    }
    /* W = [I | A^-1] */
    for (i = 0; i < n; i++)
        for (j = 0; j < n; j++)
            dx_pm_set(C, i, j, W[i * w + n + j]);
done:
    free(W); free(Q); free(T); free(Ti); free(S); free(F); free(U); free(At); free(Wt);
    free(Bt.ai);
    flint_free(rowid); flint_free(where); flint_free(at);
    return ret;
}
