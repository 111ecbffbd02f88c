/*
 * dixon.c -- exact A X = B by p-adic lifting with exact double kernels, and
 * the exact kernel check L X + den R == 0.  See lmo/dixon.h for the outline.
 *
 * Exactness of floating point: every product below multiplies matrices of
 * integers held in doubles. An IEEE double holds every integer of magnitude
 * <= 2^53 exactly, and a sum (or FMA) of such integers whose exact value is
 * <= 2^53 is computed exactly. So a dot product sum_l a_l x_l with
 * n * max|a| * max|x| <= 2^53 is exact in ANY summation order (every partial
 * sum is bounded by the same quantity); this is what each "EXACT:" comment
 * states. Residues modulo p are kept balanced, in [-h, h], h = (p-1)/2.
 * Products that are reduced afterwards use the tighter budget 2^52 so that
 * the reduction dx_redd below is exact in plain double arithmetic.
 */
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <math.h>
#include <time.h>
#include <pthread.h>
#include <gmp.h>
#include <flint/flint.h>
#include <flint/fmpz.h>
#include <flint/fmpz_mat.h>
#include <flint/fmpq.h>
#include <flint/fmpq_mat.h>
#include <flint/ulong_extras.h>
#include "lmo/dixon.h"
#include <cblas.h>   /* last: it pulls in <complex.h> (macro I) */

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define DX_X86 1
#endif

typedef __int128 dx_i128;

#define DX_TWO52 4503599627370496.0            /* 2^52 */
#define DX_MAGIC 6755399441055744.0            /* 1.5 * 2^52: round to integer */
#define DX_MAXT 64                             /* max limbs of A in the lifting */

static double dx_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double) ts.tv_sec + 1e-9 * (double) ts.tv_nsec;
}

static void *dx_alloc(size_t bytes)
{
    /* 64-byte aligned, never NULL on success; callers check */
    void *ptr = NULL;
    if (bytes == 0)
        bytes = 64;
    bytes = (bytes + 63) & ~(size_t) 63;
    if (posix_memalign(&ptr, 64, bytes) != 0)
        return NULL;
    return ptr;
}

static slong dx_pad16(slong n) { return (n + 15) & ~(slong) 15; }

/* ------------------------------------------------------------------ */
/* arithmetic modulo p                                                 */
/* ------------------------------------------------------------------ */

typedef struct {
    ulong p;
    int64_t h;          /* (p - 1) / 2 */
    double pd, hd, pinv;
    uint64_t pinv64;    /* p^-1 mod 2^64 */
    double log2p;
} dx_mod_t;

static void dx_mod_init(dx_mod_t *md, ulong p)
{
    uint64_t inv = p;
    int i;
    md->p = p;
    md->h = (int64_t) ((p - 1) / 2);
    md->pd = (double) p;
    md->hd = (double) md->h;
    md->pinv = 1.0 / (double) p;
    for (i = 0; i < 6; i++)          /* Newton: correct bits double each time */
        inv *= 2 - (uint64_t) p * inv;
    md->pinv64 = inv;
    md->log2p = log2((double) p);
}

/* v an integer with |v| <= 2^52: balanced residue. q is the nearest
 * integer to v/p up to +-1 (|v/p| < 2^51, so the magic constant rounds);
 * |q p| <= |v| + p < 2^53, so v - q p is exact; one correction each side. */
static inline double dx_redd(double v, double p, double pinv, double h)
{
    double q = (v * pinv + DX_MAGIC) - DX_MAGIC;
    double r = v - q * p;
    r = (r > h) ? r - p : r;
    r = (r < -h) ? r + p : r;
    return r;
}

/* v any int64 with |v| < 2^62: balanced residue. (double) v is off by at
 * most 2^9, so q is still within 1 of v/p; q p is computed in int64. */
static inline int64_t dx_red64(int64_t v, const dx_mod_t *md)
{
    double q = ((double) v * md->pinv + DX_MAGIC) - DX_MAGIC;
    int64_t r = v - (int64_t) q * (int64_t) md->p;
    if (r > md->h) r -= (int64_t) md->p;
    else if (r < -md->h) r += (int64_t) md->p;
    return r;
}

static inline int64_t dx_redz(const fmpz_t a, const dx_mod_t *md)
{
    int64_t r = (int64_t) fmpz_fdiv_ui(a, md->p);
    return (r > md->h) ? r - (int64_t) md->p : r;
}

static int64_t dx_invmod(int64_t a, const dx_mod_t *md)
{
    ulong u = (ulong) (a < 0 ? a + (int64_t) md->p : a);
    int64_t r = (int64_t) n_invmod(u, md->p);
    return (r > md->h) ? r - (int64_t) md->p : r;
}

static void dx_red_array(double *v, slong len, const dx_mod_t *md)
{
    const double p = md->pd, pinv = md->pinv, h = md->hd;
    slong i;
    for (i = 0; i < len; i++)
        v[i] = dx_redd(v[i], p, pinv, h);
}

/* ------------------------------------------------------------------ */
/* exact small-integer matrix products                                 */
/* Y (mpad x k, column-major, ld ldy) = A (mpad x n, column-major, ld mpad)
 *                                      * X (n x k, row-major, ld ldx).    */
/* mpad is a multiple of 16. Callers state the exactness bound.        */
/* ------------------------------------------------------------------ */

#ifdef DX_X86
/* Register-blocked AVX2/FMA kernel: RB x 4 rows by KB columns of
 * accumulators, A streamed once, X broadcast from L1. */
#define DX_KERNEL(RB, KB)                                                      \
__attribute__((target("avx2,fma")))                                           \
static void dx_k_##RB##_##KB(double *Y, slong ldy, const double *A,           \
                             slong mpad, slong n, const double *X, slong ldx) \
{                                                                              \
    slong i, l;                                                                \
    int r, j;                                                                  \
    for (i = 0; i < mpad; i += 4 * RB) {                                       \
        __m256d acc[RB][KB];                                                   \
        const double *ap = A + i, *xp = X;                                     \
        _Pragma("GCC unroll 16")                                               \
        for (r = 0; r < RB; r++) {                                             \
            _Pragma("GCC unroll 16")                                           \
            for (j = 0; j < KB; j++) acc[r][j] = _mm256_setzero_pd();          \
        }                                                                      \
        for (l = 0; l < n; l++, ap += mpad, xp += ldx) {                       \
            __m256d av[RB];                                                    \
            _Pragma("GCC unroll 16")                                           \
            for (r = 0; r < RB; r++) av[r] = _mm256_loadu_pd(ap + 4 * r);      \
            _Pragma("GCC unroll 16")                                           \
            for (j = 0; j < KB; j++) {                                         \
                __m256d xv = _mm256_broadcast_sd(xp + j);                      \
                _Pragma("GCC unroll 16")                                       \
                for (r = 0; r < RB; r++)                                       \
                    acc[r][j] = _mm256_fmadd_pd(av[r], xv, acc[r][j]);         \
            }                                                                  \
        }                                                                      \
        _Pragma("GCC unroll 16")                                               \
        for (j = 0; j < KB; j++) {                                             \
            _Pragma("GCC unroll 16")                                           \
            for (r = 0; r < RB; r++)                                           \
                _mm256_storeu_pd(Y + j * ldy + i + 4 * r, acc[r][j]);          \
        }                                                                      \
    }                                                                          \
}
DX_KERNEL(4, 1)
DX_KERNEL(4, 2)
DX_KERNEL(2, 3)
DX_KERNEL(2, 4)
DX_KERNEL(2, 5)
DX_KERNEL(2, 6)
DX_KERNEL(1, 7)
DX_KERNEL(1, 8)
DX_KERNEL(1, 9)
DX_KERNEL(1, 10)

static int dx_simd_available(void)
{
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}
#else
static int dx_simd_available(void) { return 0; }
#endif

static void dx_mul(double *Y, slong ldy, const double *A, slong mpad, slong n,
                   const double *X, slong k, int simd)
{
    slong j;
    if (mpad == 0 || k == 0)
        return;
    if (n == 0) {
        for (j = 0; j < k; j++)
            memset(Y + j * ldy, 0, sizeof(double) * mpad);
        return;
    }
#ifdef DX_X86
    if (simd) {
        slong j0 = 0;
        while (j0 < k) {
            slong rem = k - j0;
            slong kb = (rem <= 10) ? rem : ((rem <= 20) ? (rem + 1) / 2 : 10);
            double *Yb = Y + j0 * ldy;
            const double *Xb = X + j0;
            switch (kb) {
            case 1: dx_k_4_1(Yb, ldy, A, mpad, n, Xb, k); break;
            case 2: dx_k_4_2(Yb, ldy, A, mpad, n, Xb, k); break;
            case 3: dx_k_2_3(Yb, ldy, A, mpad, n, Xb, k); break;
            case 4: dx_k_2_4(Yb, ldy, A, mpad, n, Xb, k); break;
            case 5: dx_k_2_5(Yb, ldy, A, mpad, n, Xb, k); break;
            case 6: dx_k_2_6(Yb, ldy, A, mpad, n, Xb, k); break;
            case 7: dx_k_1_7(Yb, ldy, A, mpad, n, Xb, k); break;
            case 8: dx_k_1_8(Yb, ldy, A, mpad, n, Xb, k); break;
            case 9: dx_k_1_9(Yb, ldy, A, mpad, n, Xb, k); break;
            default: dx_k_1_10(Yb, ldy, A, mpad, n, Xb, k); break;
            }
            j0 += kb;
        }
        return;
    }
#endif
    (void) simd;
    cblas_dgemm(CblasColMajor, CblasNoTrans, CblasTrans, (int) mpad, (int) k,
                (int) n, 1.0, A, (int) mpad, X, (int) k, 0.0, Y, (int) ldy);
}

/* ------------------------------------------------------------------ */
/* A^-1 mod p by blocked Gauss-Jordan on [A | I]                        */
/* ------------------------------------------------------------------ */

/* Inverse of the kb x kb matrix T (row-major, balanced) by plain
 * Gauss-Jordan; returns 0 if singular mod p. */
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
            double f;
            if (i == c || G[i * w + c] == 0.0)
                continue;
            f = G[i * w + c];
            /* EXACT: h + h * h <= 2^52 */
            for (j = c; j < w; j++)
                G[i * w + j] = dx_redd(G[i * w + j] - f * G[c * w + j], p, pinv, h);
        }
    }
    for (i = 0; i < kb; i++)
        memcpy(Ti + i * kb, G + i * w + kb, sizeof(double) * kb);
    free(G);
    return 1;
}

/* Am: n x n row-major balanced residues of A. On success (1) Cpk holds
 * A^-1 mod p packed column-major (mpad x n, zero padding rows). 0: A is
 * singular mod p. -1: out of memory.
 * Requires (n + 1) h^2 <= 2^52 (guaranteed by the choice of p). */
static int dx_inverse(double *Cpk, slong mpad, const double *Am, slong n, const dx_mod_t *md)
{
    const slong w = 2 * n, bs = 64;
    slong k0, kb, i, j, jj;
    int ret = 1;
    double *W = dx_alloc(sizeof(double) * n * w);
    double *Q = dx_alloc(sizeof(double) * n * bs);
    double *T = dx_alloc(sizeof(double) * bs * bs);
    double *Ti = dx_alloc(sizeof(double) * bs * bs);
    double *S = dx_alloc(sizeof(double) * bs * w);
    double *F = dx_alloc(sizeof(double) * n * bs);
    double *Wt = dx_alloc(sizeof(double) * n * w);
    slong *rowid = flint_malloc(sizeof(slong) * (n + 1));
    const double p = md->pd, pinv = md->pinv, h = md->hd;

    if (!W || !Q || !T || !Ti || !S || !F || !Wt) { ret = -1; goto done; }
    for (i = 0; i < n; i++) {
        memcpy(W + i * w, Am + i * n, sizeof(double) * n);
        memset(W + i * w + n, 0, sizeof(double) * n);
        W[i * w + n + i] = 1.0;
    }
    for (k0 = 0; k0 < n; k0 += kb) {
        slong nr = n - k0, c0, nc;
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
                /* EXACT: h * h and h + h * h <= 2^52 */
                f = dx_redd(f * inv, p, pinv, h);
                for (j = jj + 1; j < kb; j++)
                    Q[i * kb + j] = dx_redd(Q[i * kb + j] - f * Q[jj * kb + j], p, pinv, h);
            }
        }
        /* physically reorder rows k0..n-1 as rowid */
        for (i = 0; i < nr; i++)
            memcpy(Wt + i * w, W + rowid[i] * w, sizeof(double) * w);
        memcpy(W + k0 * w, Wt, sizeof(double) * nr * w);

        for (i = 0; i < kb; i++)
            memcpy(T + i * kb, W + (k0 + i) * w + k0, sizeof(double) * kb);
        j = dx_small_inverse(Ti, T, kb, md);
        if (j <= 0) { ret = j; goto done; }   /* cannot happen: T has full rank */

        c0 = k0 + kb;
        nc = w - c0;
        /* S = T^-1 W[k0:k0+kb, c0:w].  EXACT: kb h^2 <= 2^52 */
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int) kb, (int) nc,
                    (int) kb, 1.0, Ti, (int) kb, W + k0 * w + c0, (int) w, 0.0,
                    S, (int) nc);
        dx_red_array(S, kb * nc, md);
        /* other rows: W[i, c0:w] -= W[i, k0:k0+kb] S.
         * EXACT: |W| <= h, so h + kb h^2 <= (n + 1) h^2 <= 2^52 */
        for (i = 0; i < k0; i++)
            memcpy(F + i * kb, W + i * w + k0, sizeof(double) * kb);
        for (i = c0; i < n; i++)
            memcpy(F + (i - kb) * kb, W + i * w + k0, sizeof(double) * kb);
        if (k0 > 0)
            cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int) k0, (int) nc,
                        (int) kb, -1.0, F, (int) kb, S, (int) nc, 1.0, W + c0, (int) w);
        if (n - c0 > 0)
            cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int) (n - c0),
                        (int) nc, (int) kb, -1.0, F + k0 * kb, (int) kb, S, (int) nc,
                        1.0, W + c0 * w + c0, (int) w);
        for (i = 0; i < n; i++) {
            if (i >= k0 && i < c0)
                memcpy(W + i * w + c0, S + (i - k0) * nc, sizeof(double) * nc);
            else
                dx_red_array(W + i * w + c0, nc, md);
            for (j = k0; j < c0; j++)
                W[i * w + j] = (i == j) ? 1.0 : 0.0;
        }
    }
    /* W = [I | A^-1]: pack column-major */
    memset(Cpk, 0, sizeof(double) * mpad * n);
    for (i = 0; i < n; i++)
        for (j = 0; j < n; j++)
            Cpk[j * mpad + i] = W[i * w + n + j];
done:
    free(W); free(Q); free(T); free(Ti); free(S); free(F); free(Wt);
    flint_free(rowid);
    return ret;
}

/* ------------------------------------------------------------------ */
/* lifting context: prime, inverse, limbs of A                          */
/* ------------------------------------------------------------------ */

typedef struct {
    slong n, npad;
    dx_mod_t md;
    double *C;          /* A^-1 mod p, npad x n column-major */
    double *Al;         /* limbs of A stacked: (T npad) x n column-major */
    int T, gam;         /* A = sum_t 2^(gam t) A_t, balanced limbs */
    double Lmax;        /* max |limb| */
    int simd;
    fmpz_t amax;        /* max |A_ij| */
} dx_ctx_t;

/* balanced split of a into T limbs of gam bits (top limb unbounded) */
static void dx_split_fmpz(double *out, slong stride, const fmpz_t a, int gam, int T, fmpz_t t, fmpz_t q)
{
    int s;
    fmpz_set(t, a);
    for (s = 0; s < T - 1; s++) {
        slong lo;
        fmpz_fdiv_r_2exp(q, t, gam);               /* 0 <= q < 2^gam */
        lo = fmpz_get_si(q);
        if (lo >= (WORD(1) << (gam - 1)))
            lo -= (WORD(1) << gam);
        out[s * stride] = (double) lo;
        fmpz_sub_si(t, t, lo);
        fmpz_fdiv_q_2exp(t, t, gam);               /* exact */
    }
    out[(T - 1) * stride] = fmpz_get_d(t);          /* |t| < 2^53 by choice of T */
}

/* Choose T, gam to minimise (1 + T) / log2 p subject to the bounds; sets
 * ctx->T, ctx->gam and returns h_max (0 if no admissible choice). */
static int64_t dx_choose_limbs(dx_ctx_t *cx, slong n, const fmpz_t amax)
{
    /* C r: n h^2 <= 2^52 and the inverse needs (n+1) h^2 <= 2^52 */
    double hC = floor(sqrt(DX_TWO52 / (double) (n + 1)));
    slong bA = fmpz_bits(amax);
    double best = 1e300;
    int T, gam, bestT = 0, bestg = 0;
    int64_t besth = 0;
    while (hC * hC * (double) (n + 1) > DX_TWO52) hC -= 1.0;
    for (T = 1; T <= DX_MAXT; T++) {
        int g0 = (int) ((bA + 1 + T - 1) / T);
        for (gam = g0 - 3; gam <= g0 + 1; gam++) {
            double Lm, hA, h, cost;
            fmpz_t top;
            if (gam < 2 || gam > 50)
                continue;
            if (T > 1 && (slong) gam * (T - 1) >= bA + 1 && gam != g0)
                continue;
            fmpz_init(top);
            fmpz_fdiv_q_2exp(top, amax, (ulong) gam * (T - 1));
            fmpz_add_ui(top, top, 1);
            Lm = (T == 1) ? 0.0 : ldexp(1.0, gam - 1);
            if (fmpz_bits(top) > 52) { fmpz_clear(top); continue; }
            Lm = FLINT_MAX(Lm, (double) fmpz_get_si(top));
            fmpz_clear(top);
            /* A x: n Lm h <= 2^53 */
            hA = floor(2.0 * DX_TWO52 / ((double) n * Lm));
            h = FLINT_MIN(hC, hA);
            if (h < 4096.0)
                continue;
            cost = (1.0 + T) / log2(2.0 * h + 1.0);
            if (cost < best) { best = cost; bestT = T; bestg = gam; besth = (int64_t) h; }
        }
        if (bestT > 0 && T > bestT + 2)
            break;
    }
    cx->T = bestT;
    cx->gam = bestg;
    return besth;
}

static void dx_ctx_clear(dx_ctx_t *cx)
{
    free(cx->C);
    free(cx->Al);
    cx->C = cx->Al = NULL;
    fmpz_clear(cx->amax);
}

/* random prime p <= 2 hmax + 1 from the top sixteenth of the range */
static ulong dx_random_prime(lmo_rng_t *rng, int64_t hmax, ulong avoid)
{
    ulong pmax = 2 * (ulong) hmax + 1, lo = pmax - pmax / 16, x;
    int tries;
    for (tries = 0; tries < 1000; tries++) {
        x = lo + lmo_rng_below(rng, pmax - lo + 1);
        x |= 1;
        while (x > lo && (x > pmax || !n_is_prime(x) || x == avoid))
            x -= 2;
        if (x > lo && n_is_prime(x) && x != avoid && x <= pmax)
            return x;
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* the lifter                                                          */
/* ------------------------------------------------------------------ */

typedef struct {
    const dx_ctx_t *cx;
    slong kg, N;            /* columns, N = n kg entries (row-major n x kg) */
    int fast;
    int64_t *r, *b;         /* fast path: residual and right-hand side */
    fmpz *rz, *bz;          /* generic path */
    double *bm;             /* b mod p, balanced */
    const int32_t *inj;     /* injected multiplier digits (or NULL) */
    slong ninj;
    double *rm, *yc, *xd, *ya;
    int32_t *dig;           /* K x N digits, when keep_digits */
    slong K, dig_cap;
    int keep_digits;
    int ncomb;              /* combinations of the digits kept (<= 2) */
    int64_t *u;             /* ncomb x N weights */
    int32_t *cdig[2];
    dx_i128 ccarry[2];
    slong cdig_cap;
    fmpz_t t1, t2;
    int oom;
} dx_lift_t;

/* b: r x k integer matrix columns [j0, j0 + kg) times weights (NULL: the
 * columns themselves; else comb is k x kg and b = B comb). */
static int dx_lift_init(dx_lift_t *L, const dx_ctx_t *cx, const fmpz_mat_t B,
                        slong j0, slong kg, const fmpz_mat_t comb,
                        const int32_t *inj, slong ninj, int keep_digits,
                        int ncomb, lmo_rng_t *rng, int force_generic)
{
    slong n = cx->n, N = n * kg, e, l, j, c;
    fmpz_t bmax, t, Rb;
    memset(L, 0, sizeof(*L));
    L->cx = cx;
    L->kg = kg;
    L->N = N;
    L->inj = inj;
    L->ninj = inj ? ninj : 0;
    L->keep_digits = keep_digits;
    L->ncomb = ncomb;
    fmpz_init(L->t1);
    fmpz_init(L->t2);
    L->bz = _fmpz_vec_init(N);
    for (l = 0; l < n; l++)
        for (j = 0; j < kg; j++) {
            fmpz *dst = L->bz + l * kg + j;
            if (comb == NULL)
                fmpz_set(dst, fmpz_mat_entry(B, l, j0 + j));
            else {
                slong q;
                for (q = 0; q < fmpz_mat_ncols(B); q++)
                    fmpz_addmul(dst, fmpz_mat_entry(B, l, q), fmpz_mat_entry(comb, q, j));
            }
        }
    /* residual bound: |r_{i+1}| <= (|r_i| + h |b| [inj] + n |A| h) / p, so
     * |r| <= Rb = max(|b|, ceil((h |b| [inj] + n |A| h) / (p - 1))) for ever */
    fmpz_init(bmax); fmpz_init(t); fmpz_init(Rb);
    for (e = 0; e < N; e++)
        if (fmpz_cmpabs(L->bz + e, bmax) > 0)
            fmpz_abs(bmax, L->bz + e);
    fmpz_mul_ui(t, cx->amax, (ulong) n);
    if (inj)
        fmpz_add(t, t, bmax);
    fmpz_mul_ui(t, t, (ulong) cx->md.h);
    fmpz_cdiv_q_ui(Rb, t, cx->md.p - 1);
    if (fmpz_cmp(Rb, bmax) < 0)
        fmpz_set(Rb, bmax);
    L->fast = !force_generic && fmpz_bits(Rb) <= 61;
    fmpz_clear(bmax); fmpz_clear(t); fmpz_clear(Rb);

    L->bm = dx_alloc(sizeof(double) * (N + 1));
    L->rm = dx_alloc(sizeof(double) * (N + 1));
    L->xd = dx_alloc(sizeof(double) * (N + 1));
    L->yc = dx_alloc(sizeof(double) * (cx->npad * kg + 1));
    L->ya = dx_alloc(sizeof(double) * (cx->T * cx->npad * kg + 1));
    if (!L->bm || !L->rm || !L->xd || !L->yc || !L->ya)
        return -1;
    for (e = 0; e < N; e++)
        L->bm[e] = (double) dx_redz(L->bz + e, &cx->md);
    if (L->fast) {
        L->r = dx_alloc(sizeof(int64_t) * (N + 1));
        L->b = dx_alloc(sizeof(int64_t) * (N + 1));
        if (!L->r || !L->b)
            return -1;
        /* r_0 = b without injection (D = 1 implicitly); r_0 = 0 with
         * injection, so that D_0 b = A X_0 + r_0 holds with D_0 = X_0 = 0 */
        for (e = 0; e < N; e++) {
            L->b[e] = (int64_t) fmpz_get_si(L->bz + e);
            L->r[e] = inj ? 0 : L->b[e];
        }
        _fmpz_vec_clear(L->bz, N);
        L->bz = NULL;
    } else {
        L->rz = _fmpz_vec_init(N);
        if (!inj)
            _fmpz_vec_set(L->rz, L->bz, N);
    }
    if (ncomb > 0) {
        /* weights in [-2^15, 2^15]: |sum u x| <= N 2^15 h < 2^62 */
        L->u = dx_alloc(sizeof(int64_t) * ncomb * N + 8);
        L->cdig_cap = 64;
        if (!L->u)
            return -1;
        for (c = 0; c < ncomb; c++) {
            L->cdig[c] = flint_malloc(sizeof(int32_t) * L->cdig_cap);
            L->ccarry[c] = 0;
            for (e = 0; e < N; e++)
                L->u[c * N + e] = (int64_t) lmo_rng_below(rng, 65537) - 32768;
        }
    }
    if (keep_digits) {
        L->dig_cap = 16;
        L->dig = flint_malloc(sizeof(int32_t) * L->dig_cap * (N + 1));
    }
    return 0;
}

static void dx_lift_clear(dx_lift_t *L)
{
    int c;
    if (L->bz) _fmpz_vec_clear(L->bz, L->N);
    if (L->rz) _fmpz_vec_clear(L->rz, L->N);
    free(L->r); free(L->b); free(L->bm); free(L->rm); free(L->xd);
    free(L->yc); free(L->ya); free(L->u);
    for (c = 0; c < L->ncomb; c++)
        flint_free(L->cdig[c]);
    if (L->dig) flint_free(L->dig);
    fmpz_clear(L->t1);
    fmpz_clear(L->t2);
    memset(L, 0, sizeof(*L));
}

static int dx_lift_res_zero(const dx_lift_t *L)
{
    slong e;
    if (L->fast) {
        int64_t acc = 0;
        for (e = 0; e < L->N; e++)
            acc |= L->r[e];
        return acc == 0;
    }
    for (e = 0; e < L->N; e++)
        if (!fmpz_is_zero(L->rz + e))
            return 0;
    return 1;
}

/* Is column j of the residual zero? (phase 2 of single columns) */
static int dx_lift_col_zero(const dx_lift_t *L, slong j)
{
    slong l;
    for (l = 0; l < L->cx->n; l++) {
        slong e = l * L->kg + j;
        if (L->fast ? (L->r[e] != 0) : !fmpz_is_zero(L->rz + e))
            return 0;
    }
    return 1;
}

/* One lifting step: digit x = C (r + d_K b) mod p, r <- (r + d_K b - A x) / p.
 * Invariant (exact): D_K b = A X_K + p^K r_K, X_K = sum_{t<K} x_t p^t,
 * D_K = sum_{t<K} d_t p^t, r_0 = 0 (with injection); without injection
 * d_t = 0 and r_0 = b, i.e. b = A X_K + p^K r_K. */
static void dx_lift_step(dx_lift_t *L)
{
    const dx_ctx_t *cx = L->cx;
    const dx_mod_t *md = &cx->md;
    const slong n = cx->n, npad = cx->npad, kg = L->kg, N = L->N;
    const slong lda = (slong) cx->T * npad;
    const double p = md->pd, pinv = md->pinv, h = md->hd;
    const int64_t dt = (L->inj && L->K < L->ninj) ? L->inj[L->K] : 0;
    const double dtd = (double) dt;
    slong e, l, j;
    int t;

    /* 1. rm = (r + d_K b) mod p.  EXACT: |r mod p| + |d_K| |b mod p| <= h + h^2 <= 2^52 */
    if (L->fast) {
        for (e = 0; e < N; e++)
            L->rm[e] = dx_redd((double) dx_red64(L->r[e], md) + dtd * L->bm[e], p, pinv, h);
    } else {
        for (e = 0; e < N; e++)
            L->rm[e] = dx_redd((double) dx_redz(L->rz + e, md) + dtd * L->bm[e], p, pinv, h);
    }
    /* 2. yc = C rm.  EXACT: n h^2 <= 2^52 (choice of h) */
    dx_mul(L->yc, npad, cx->C, npad, n, L->rm, kg, cx->simd);
    /* 3. digits */
    if (L->keep_digits && L->K >= L->dig_cap) {
        L->dig_cap *= 2;
        L->dig = flint_realloc(L->dig, sizeof(int32_t) * L->dig_cap * (N + 1));
    }
    for (l = 0; l < n; l++)
        for (j = 0; j < kg; j++)
            L->xd[l * kg + j] = dx_redd(L->yc[j * npad + l], p, pinv, h);
    if (L->keep_digits) {
        int32_t *dg = L->dig + L->K * N;
        for (e = 0; e < N; e++)
            dg[e] = (int32_t) L->xd[e];
    }
    /* 4. ya = [A_0; ...; A_{T-1}] x.  EXACT: n Lmax h <= 2^53 (choice of h) */
    dx_mul(L->ya, lda, cx->Al, lda, n, L->xd, kg, cx->simd);
    /* 5. residual */
    if (L->fast) {
        /* The new residual satisfies |r'| <= Rb < 2^62 (dx_lift_init), and
         * r + d_K b - A x = p r' exactly; computing the left side modulo
         * 2^64 and multiplying by p^-1 mod 2^64 therefore gives r' exactly. */
        const uint64_t pinv64 = md->pinv64;
        for (l = 0; l < n; l++)
            for (j = 0; j < kg; j++) {
                uint64_t y = 0;
                const double *yp = L->ya + j * lda + l;
                e = l * kg + j;
                for (t = 0; t < cx->T; t++) {
                    int sh = cx->gam * t;
                    if (sh < 64)
                        y += (uint64_t) (int64_t) yp[t * npad] << sh;
                }
                L->r[e] = (int64_t) (((uint64_t) L->r[e] + (uint64_t) dt * (uint64_t) L->b[e]
                                      - y) * pinv64);
            }
    } else {
        for (l = 0; l < n; l++)
            for (j = 0; j < kg; j++) {
                const double *yp = L->ya + j * lda + l;
                fmpz *re = L->rz + l * kg + j;
                e = l * kg + j;
                fmpz_set_si(L->t1, (slong) (int64_t) yp[(cx->T - 1) * npad]);
                for (t = cx->T - 2; t >= 0; t--) {
                    fmpz_mul_2exp(L->t1, L->t1, cx->gam);
                    fmpz_add_si(L->t1, L->t1, (slong) (int64_t) yp[t * npad]);
                }
                if (dt != 0)
                    fmpz_addmul_si(re, L->bz + e, (slong) dt);
                fmpz_sub(re, re, L->t1);
                fmpz_divexact_ui(re, re, md->p);
            }
    }
    /* 6. running combinations, carried into balanced base-p digits */
    if (L->ncomb > 0 && L->K >= L->cdig_cap) {
        int c;
        L->cdig_cap *= 2;
        for (c = 0; c < L->ncomb; c++)
            L->cdig[c] = flint_realloc(L->cdig[c], sizeof(int32_t) * L->cdig_cap);
    }
    {
        int c;
        for (c = 0; c < L->ncomb; c++) {
            const int64_t *u = L->u + c * N;
            dx_i128 v, q;
            int64_t dgt;
            if (N <= (WORD(1) << 20)) {
                int64_t s = 0;       /* |s| <= N 2^15 h < 2^62 */
                for (e = 0; e < N; e++)
                    s += u[e] * (int64_t) L->xd[e];
                v = (dx_i128) s;
            } else {
                v = 0;
                for (e = 0; e < N; e++)
                    v += (dx_i128) (u[e] * (int64_t) L->xd[e]);
            }
            v += L->ccarry[c];
            dgt = (int64_t) (v % (dx_i128) md->p);
            if (dgt > md->h) dgt -= (int64_t) md->p;
            else if (dgt < -md->h) dgt += (int64_t) md->p;
            q = (v - dgt) / (dx_i128) md->p;
            L->ccarry[c] = q;
            L->cdig[c][L->K] = (int32_t) dgt;
        }
    }
    L->K++;
}

/* ------------------------------------------------------------------ */
/* balanced base-p digits -> integers                                   */
/* ------------------------------------------------------------------ */

typedef struct {
    ulong p;
    slong len;          /* pw[j] = p^(2^j), j < len */
    fmpz *pw;
} dx_pow_t;

static void dx_pow_init(dx_pow_t *P, ulong p, slong Kmax)
{
    slong j;
    P->p = p;
    P->len = 1;
    while ((WORD(1) << P->len) < Kmax + 1)
        P->len++;
    P->pw = _fmpz_vec_init(P->len);
    fmpz_set_ui(P->pw + 0, p);
    for (j = 1; j < P->len; j++)
        fmpz_mul(P->pw + j, P->pw + j - 1, P->pw + j - 1);
}

static void dx_pow_clear(dx_pow_t *P) { _fmpz_vec_clear(P->pw, P->len); }

/* extend the table to cover K <= Kmax (single-threaded callers only) */
static void dx_pow_ensure(dx_pow_t *P, slong Kmax)
{
    slong len = P->len, j;
    while ((WORD(1) << len) < Kmax + 1)
        len++;
    if (len == P->len)
        return;
    P->pw = flint_realloc(P->pw, sizeof(fmpz) * len);
    for (j = P->len; j < len; j++) {
        fmpz_init(P->pw + j);
        fmpz_mul(P->pw + j, P->pw + j - 1, P->pw + j - 1);
    }
    P->len = len;
}

static void dx_set_i128(fmpz_t f, dx_i128 v)
{
    unsigned __int128 u = (unsigned __int128) v;
    fmpz_set_signed_uiui(f, (ulong) (u >> 64), (ulong) u);
}

/* out = sum_{t<K} dig[t stride] p^t; tmp has >= log2(K) + 2 entries */
static void dx_conv(fmpz_t out, const int32_t *dig, slong stride, slong K,
                    const dx_pow_t *P, fmpz *tmp)
{
    slong hl;
    int j;
    if (K <= 4) {
        dx_i128 v = 0;
        slong t;
        for (t = K - 1; t >= 0; t--)       /* |v| < p^4 / 2 < 2^108 */
            v = v * (dx_i128) P->p + (dx_i128) dig[t * stride];
        dx_set_i128(out, v);
        return;
    }
    hl = 4; j = 2;
    while (2 * hl < K) { hl *= 2; j++; }
    dx_conv(out, dig, stride, hl, P, tmp + 1);
    dx_conv(tmp, dig + hl * stride, stride, K - hl, P, tmp + 1);
    fmpz_addmul(out, tmp, P->pw + j);
}

/* value of combination c modulo p^K, in [0, p^K) */
static void dx_comb_value(fmpz_t a, fmpz_t pK, const dx_lift_t *L, int c, const dx_pow_t *P)
{
    fmpz *tmp = _fmpz_vec_init(70);
    dx_conv(a, L->cdig[c], 1, L->K, P, tmp);
    _fmpz_vec_clear(tmp, 70);
    fmpz_set_ui(pK, P->p);
    fmpz_pow_ui(pK, pK, (ulong) L->K);
    fmpz_mod(a, a, pK);
}

/* ------------------------------------------------------------------ */
/* phase 2 (denominator) and phase 3 (numerators) workers              */
/* ------------------------------------------------------------------ */

typedef struct {
    dx_lift_t L;
    const dx_pow_t *P;
    slong K_cap, K_first;
    fmpz_t d;           /* out: lcm of denominators found (phase 2), or the
                           missing factor e (phase 3, status 1) */
    int status;         /* 0 done, 1 repair needed (phase 3), -1 cap/oom */
    int phase;          /* 2 or 3 */
} dx_job_t;

/* phase 2: columns are random combinations; combination c weights only the
 * entries of column c. Done when every column has a denominator. */
static void dx_run_den(dx_job_t *J)
{
    dx_lift_t *L = &J->L;
    const slong n = L->cx->n, kg = L->kg;
    slong next_try = J->K_first, c, l;
    int done[2] = {0, 0};
    fmpz_t a, m, Nb, nn, dd;
    fmpz_init(a); fmpz_init(m); fmpz_init(Nb); fmpz_init(nn); fmpz_init(dd);
    fmpz_one(J->d);
    /* combination c only looks at column c */
    for (c = 0; c < L->ncomb; c++)
        for (l = 0; l < n; l++) {
            slong j;
            for (j = 0; j < kg; j++)
                if (j != c)
                    L->u[c * L->N + l * kg + j] = 0;
        }
    for (;;) {
        int all = 1;
        for (c = 0; c < kg; c++) {
            if (!done[c] && dx_lift_col_zero(L, c))
                done[c] = 1;             /* z integral: denominator 1 */
            all &= done[c];
        }
        if (all) { J->status = 0; break; }
        if (L->K >= next_try) {
            for (c = 0; c < kg; c++) {
                if (done[c])
                    continue;
                dx_comb_value(a, m, L, (int) c, J->P);
                /* bounds N = D = sqrt(p^K / 2^67): unique (2ND < p^K) and
                 * with a 2^66 margin against accidental small fractions */
                fmpz_fdiv_q_2exp(Nb, m, 67);
                fmpz_sqrt(Nb, Nb);
                if (fmpz_is_zero(Nb))
                    continue;
                if (_fmpq_reconstruct_fmpz_2(nn, dd, a, m, Nb, Nb)) {
                    fmpz_lcm(J->d, J->d, dd);
                    done[c] = 1;
                }
            }
            next_try = L->K + FLINT_MAX(4, L->K / 8);
            continue;
        }
        if (L->K >= J->K_cap) { J->status = -1; break; }
        dx_lift_step(L);
    }
    fmpz_clear(a); fmpz_clear(m); fmpz_clear(Nb); fmpz_clear(nn); fmpz_clear(dd);
}

/* phase 3: lift Y = D A^-1 B; done when all of D is injected and the
 * residual is exactly zero. From K_first on, look for a denominator of the
 * combinations (small denominators, <= 2^64): if one is > 1, D misses it. */
static void dx_run_num(dx_job_t *J)
{
    dx_lift_t *L = &J->L;
    slong next_check = J->K_first;
    int c;
    fmpz_t a, m, Nb, Db, nn, dd;
    fmpz_init(a); fmpz_init(m); fmpz_init(Nb); fmpz_init(Db); fmpz_init(nn); fmpz_init(dd);
    fmpz_one(J->d);
    fmpz_one(Db);
    fmpz_mul_2exp(Db, Db, 64);
    for (;;) {
        if (L->K >= L->ninj && dx_lift_res_zero(L)) { J->status = 0; break; }
        if (L->K >= next_check) {
            int found = 0;
            for (c = 0; c < L->ncomb; c++) {
                dx_comb_value(a, m, L, c, J->P);
                fmpz_fdiv_q_2exp(Nb, m, 131);      /* 2 Nb Db <= p^K / 2^66 */
                if (fmpz_is_zero(Nb))
                    continue;
                if (_fmpq_reconstruct_fmpz_2(nn, dd, a, m, Nb, Db) && !fmpz_is_one(dd)) {
                    fmpz_lcm(J->d, J->d, dd);
                    found = 1;
                }
            }
            if (found) { J->status = 1; break; }
            next_check = L->K + FLINT_MAX(4, L->K / 8);
        }
        if (L->K >= J->K_cap) { J->status = -1; break; }
        dx_lift_step(L);
    }
    fmpz_clear(a); fmpz_clear(m); fmpz_clear(Nb); fmpz_clear(Db); fmpz_clear(nn); fmpz_clear(dd);
}

static void *dx_job_main(void *arg)
{
    dx_job_t *J = arg;
    if (J->phase == 2)
        dx_run_den(J);
    else
        dx_run_num(J);
    return NULL;
}

/* pthread entry: a thread that touched fmpz must release FLINT's
 * thread-local caches before it exits */
static void *dx_job_thread(void *arg)
{
    dx_job_main(arg);
    flint_cleanup();
    return NULL;
}

/* run jobs, in parallel if threads > 1 */
static void dx_run_jobs(dx_job_t *jobs, slong njobs, int threads)
{
    slong i;
    if (threads <= 1 || njobs <= 1) {
        for (i = 0; i < njobs; i++)
            dx_job_main(jobs + i);
        return;
    }
    {
        pthread_t *th = flint_malloc(sizeof(pthread_t) * njobs);
        int *ok = flint_malloc(sizeof(int) * njobs);
        for (i = 1; i < njobs; i++)
            ok[i] = pthread_create(th + i, NULL, dx_job_thread, jobs + i) == 0;
        dx_job_main(jobs + 0);
        for (i = 1; i < njobs; i++) {
            if (ok[i])
                pthread_join(th[i], NULL);
            else
                dx_job_main(jobs + i);   /* no thread: run here */
        }
        flint_free(th);
        flint_free(ok);
    }
}

/* ------------------------------------------------------------------ */
/* bounds for the caps (log2, generous; a cap only triggers a fallback) */
/* ------------------------------------------------------------------ */

/* log2 of the Euclidean norm of column j of M (rows 0..r-1), upper bound */
static double dx_log2_colnorm(const fmpz_mat_t M, slong j)
{
    slong i, r = fmpz_mat_nrows(M), e = 0;
    double s = 0.0;
    for (i = 0; i < r; i++)
        e = FLINT_MAX(e, (slong) fmpz_bits(fmpz_mat_entry(M, i, j)));
    if (e == 0)
        return -1e300;
    for (i = 0; i < r; i++) {
        slong ex;
        double m = fmpz_get_d_2exp(&ex, fmpz_mat_entry(M, i, j));
        double v = ldexp(fabs(m), (int) (ex - e));
        s += v * v;
    }
    return (double) e + 0.5 * log2(s) + 1e-6;
}

/* log2 H_A (Hadamard bound of A) and log2 H_X (bound on |det A_ij|, A with
 * one column replaced by a column of B) */
static void dx_hadamard(double *lHA, double *lHX, const fmpz_mat_t A, const fmpz_mat_t B)
{
    slong r = fmpz_mat_nrows(A), j;
    double sum = 0.0, mn = 1e300, bmax = -1e300;
    for (j = 0; j < r; j++) {
        double v = dx_log2_colnorm(A, j);
        sum += v;
        mn = FLINT_MIN(mn, v);
    }
    for (j = 0; j < fmpz_mat_ncols(B); j++)
        bmax = FLINT_MAX(bmax, dx_log2_colnorm(B, j));
    *lHA = sum;
    *lHX = (bmax < -1e299) ? 0.0 : sum - mn + FLINT_MAX(bmax, mn);
    if (*lHA < 0) *lHA = 0;
    if (*lHX < 0) *lHX = 0;
}

/* ------------------------------------------------------------------ */
/* fallback: FLINT's Dixon solver                                      */
/* ------------------------------------------------------------------ */

static int dx_fallback(fmpz_mat_t Xnum, fmpz_t den, const fmpz_mat_t A, const fmpz_mat_t B)
{
    slong r = fmpz_mat_nrows(A), k = fmpz_mat_ncols(B), i, j;
    fmpq_mat_t Xq;
    int ok;
    fmpq_mat_init(Xq, r, k);
    ok = fmpq_mat_solve_fmpz_mat_dixon(Xq, A, B);
    if (!ok) {
        fmpq_mat_clear(Xq);
        return LMO_EFAIL;
    }
    fmpz_one(den);
    for (i = 0; i < r; i++)
        for (j = 0; j < k; j++)
            fmpz_lcm(den, den, fmpq_mat_entry_den(Xq, i, j));
    for (i = 0; i < r; i++)
        for (j = 0; j < k; j++) {
            fmpz *x = fmpz_mat_entry(Xnum, i, j);
            fmpz_divexact(x, den, fmpq_mat_entry_den(Xq, i, j));
            fmpz_mul(x, x, fmpq_mat_entry_num(Xq, i, j));
        }
    fmpq_mat_clear(Xq);
    return LMO_OK;
}

/* ------------------------------------------------------------------ */
/* the solver                                                          */
/* ------------------------------------------------------------------ */

void lmo_dixon_opts_init(lmo_dixon_opts_t *opts)
{
    memset(opts, 0, sizeof(*opts));
}

/* balanced base-p digits of D > 0 */
static int32_t *dx_digits_of(slong *len, const fmpz_t D, const dx_mod_t *md)
{
    slong cap = (slong) (fmpz_bits(D) / (md->log2p - 1.0)) + 4, K = 0;
    int32_t *dg = flint_malloc(sizeof(int32_t) * cap);
    fmpz_t t;
    fmpz_init_set(t, D);
    while (!fmpz_is_zero(t)) {
        int64_t x = dx_redz(t, md);
        if (K >= cap) { cap *= 2; dg = flint_realloc(dg, sizeof(int32_t) * cap); }
        dg[K++] = (int32_t) x;
        fmpz_sub_si(t, t, (slong) x);
        fmpz_divexact_ui(t, t, md->p);
    }
    fmpz_clear(t);
    *len = K;
    return dg;
}

typedef struct {
    const dx_lift_t *L;
    const dx_pow_t *P;
    fmpz_mat_struct *Y;
    slong col0, e0, e1;
} dx_conv_job_t;

static void *dx_conv_main(void *arg);

static void *dx_conv_thread(void *arg)
{
    dx_conv_main(arg);
    flint_cleanup();
    return NULL;
}

static void *dx_conv_main(void *arg)
{
    dx_conv_job_t *C = arg;
    const dx_lift_t *L = C->L;
    fmpz *tmp = _fmpz_vec_init(70);
    slong e;
    for (e = C->e0; e < C->e1; e++) {
        slong l = e / L->kg, j = e % L->kg;
        dx_conv(fmpz_mat_entry(C->Y, l, C->col0 + j), L->dig + e, L->N, L->K, C->P, tmp);
    }
    _fmpz_vec_clear(tmp, 70);
    return NULL;
}

int lmo_dixon_solve_opts(fmpz_mat_t Xnum, fmpz_t den, const fmpz_mat_t A,
                         const fmpz_mat_t B, ulong seed,
                         const lmo_dixon_opts_t *opts_in, lmo_dixon_stats_t *stats_in)
{
    const slong n = fmpz_mat_nrows(A), k = fmpz_mat_ncols(B);
    lmo_dixon_opts_t opts;
    lmo_dixon_stats_t stats_local, *stats = stats_in ? stats_in : &stats_local;
    lmo_rng_t rng;
    dx_ctx_t cx;
    double *Am = NULL, lHA, lHX, t0;
    int64_t hmax;
    ulong p = 0;
    int ret = LMO_ELIMIT, threads, attempt, ok;
    slong i, j;
    fmpz_t D, tmpz;
    fmpz_mat_t comb;
    dx_pow_t P;
    int have_pow = 0;

    if (opts_in) opts = *opts_in; else lmo_dixon_opts_init(&opts);
    memset(stats, 0, sizeof(*stats));
    if (fmpz_mat_ncols(A) != n || fmpz_mat_nrows(B) != n
        || fmpz_mat_nrows(Xnum) != n || fmpz_mat_ncols(Xnum) != k)
        return LMO_EINPUT;
    if (n == 0) {
        fmpz_one(den);
        return LMO_OK;
    }
    if (opts.force_fallback) {
        stats->fallback = 1;
        return dx_fallback(Xnum, den, A, B);
    }

    lmo_rng_seed(&rng, seed ^ UWORD(0x5d1c0a7e3b9f2461));
    memset(&cx, 0, sizeof(cx));
    fmpz_init(cx.amax);
    fmpz_init(D);
    fmpz_init(tmpz);
    fmpz_mat_init(comb, FLINT_MAX(k, 1), 2);
    cx.n = n;
    cx.npad = dx_pad16(n);
    cx.simd = dx_simd_available();
    for (i = 0; i < n; i++)
        for (j = 0; j < n; j++)
            if (fmpz_cmpabs(fmpz_mat_entry(A, i, j), cx.amax) > 0)
                fmpz_abs(cx.amax, fmpz_mat_entry(A, i, j));
    if (fmpz_is_zero(cx.amax)) { ret = LMO_EFAIL; goto out; }
    hmax = dx_choose_limbs(&cx, n, cx.amax);
    if (hmax <= 0) goto out;
    threads = opts.threads > 0 ? FLINT_MIN(opts.threads, 2) : (n >= 96 ? 2 : 1);
    stats->threads = threads;

    /* limbs of A (balanced, gam bits each), column-major stacked */
    {
        const slong ld = (slong) cx.T * cx.npad;
        fmpz_t t, q;
        double lm = 0.0;
        cx.Al = dx_alloc(sizeof(double) * ld * n);
        cx.C = dx_alloc(sizeof(double) * cx.npad * n);
        Am = dx_alloc(sizeof(double) * n * n);
        if (!cx.Al || !cx.C || !Am) goto out;
        memset(cx.Al, 0, sizeof(double) * ld * n);
        fmpz_init(t); fmpz_init(q);
        for (j = 0; j < n; j++)
            for (i = 0; i < n; i++) {
                double *dst = cx.Al + j * ld + i;
                int s;
                dx_split_fmpz(dst, cx.npad, fmpz_mat_entry(A, i, j), cx.gam, cx.T, t, q);
                for (s = 0; s < cx.T; s++)
                    lm = FLINT_MAX(lm, fabs(dst[s * cx.npad]));
            }
        fmpz_clear(t); fmpz_clear(q);
        cx.Lmax = lm;
        /* recheck the A x bound with the actual limbs: n Lmax h <= 2^53 */
        while ((double) n * lm * (double) hmax > 2.0 * DX_TWO52)
            hmax--;
    }

    /* prime with A invertible mod p */
    t0 = dx_now();
    for (attempt = 0; attempt < 4; attempt++) {
        p = dx_random_prime(&rng, hmax, p);
        if (p == 0) goto out;
        dx_mod_init(&cx.md, p);
        stats->primes_tried = attempt + 1;
        for (i = 0; i < n; i++)
            for (j = 0; j < n; j++)
                Am[i * n + j] = (double) dx_redz(fmpz_mat_entry(A, i, j), &cx.md);
        ok = dx_inverse(cx.C, cx.npad, Am, n, &cx.md);
        if (ok < 0) goto out;
        if (ok == 1) break;
    }
    stats->t_inverse = dx_now() - t0;
    if (attempt == 4) { ret = LMO_EFAIL; goto out; }
    stats->prime = p;
    if (k == 0) { fmpz_one(den); ret = LMO_OK; goto out; }

    dx_hadamard(&lHA, &lHX, A, B);
    dx_pow_init(&P, p, 16);
    have_pow = 1;

    /* ---- phase 2: denominator from random combinations ---- */
    t0 = dx_now();
    {
        int ncol = (opts.no_multiplier || k == 1) ? 1 : 2;
        int njobs = (threads > 1 && ncol == 2) ? 2 : 1;
        dx_job_t jobs[2];
        /* w = u^T B c: den_w <= |det A| <= H_A and |num_w| <= |u|_1 |c|_1 H_X
         * with |u|_1 <= 2^15 n, |c|_1 <= 2^7 k; reconstruction with the 2^67
         * margin surely succeeds once p^K > 2^70 max(...)^2 */
        double capb = 2.0 * FLINT_MAX(lHA, lHX + 22.0 + log2((double) n) + log2((double) k)) + 80.0;
        for (j = 0; j < ncol; j++)
            for (i = 0; i < k; i++)
                fmpz_set_si(fmpz_mat_entry(comb, i, j),
                            (k == 1) ? 1 : (slong) lmo_rng_below(&rng, 257) - 128);
        memset(jobs, 0, sizeof(jobs));
        for (i = 0; i < njobs; i++) {
            fmpz_mat_t cw;
            slong jj, kg = (njobs == 2) ? 1 : ncol;
            fmpz_mat_init(cw, k, kg);
            for (jj = 0; jj < kg; jj++) {
                slong q;
                for (q = 0; q < k; q++)
                    fmpz_set(fmpz_mat_entry(cw, q, jj), fmpz_mat_entry(comb, q, i + jj));
            }
            fmpz_init(jobs[i].d);
            jobs[i].phase = 2;
            jobs[i].P = &P;
            jobs[i].K_cap = (slong) (capb / cx.md.log2p) + 8;
            jobs[i].K_first = (slong) (70.0 / cx.md.log2p) + 1;
            dx_pow_ensure(&P, jobs[i].K_cap + 1);
            ok = dx_lift_init(&jobs[i].L, &cx, B, 0, kg, cw, NULL, 0, 0, (int) kg, &rng,
                              opts.force_generic);
            fmpz_mat_clear(cw);
            if (ok != 0) jobs[i].status = -2;
        }
        if (jobs[0].status == 0 && (njobs == 1 || jobs[1].status == 0))
            dx_run_jobs(jobs, njobs, threads);
        ok = 1;
        fmpz_one(D);
        for (i = 0; i < njobs; i++) {
            if (jobs[i].status != 0) ok = 0;
            fmpz_lcm(D, D, jobs[i].d);
            stats->steps_den = FLINT_MAX(stats->steps_den, jobs[i].L.K);
            stats->generic |= !jobs[i].L.fast;
            dx_lift_clear(&jobs[i].L);
            fmpz_clear(jobs[i].d);
        }
        stats->t_den = dx_now() - t0;
        if (!ok) goto fallback;
    }

    /* ---- phase 3: numerators, with the multiplier M = lcm(1..64) ---- */
    if (!opts.no_multiplier) {
        ulong q;
        for (q = 2; q <= 64; q++) {
            fmpz_set_ui(tmpz, q);
            fmpz_lcm(D, D, tmpz);
        }
    }
    t0 = dx_now();
    for (attempt = 0; attempt < 5; attempt++) {
        slong ninj, njobs = FLINT_MIN((slong) threads, k), col0 = 0;
        int32_t *dD = dx_digits_of(&ninj, D, &cx.md);
        dx_job_t jobs[2];
        int status = 0;
        double capb = (double) fmpz_bits(D) + lHX + 64.0;
        fmpz_t E;
        fmpz_init(E);
        fmpz_one(E);
        memset(jobs, 0, sizeof(jobs));
        for (i = 0; i < njobs; i++) {
            slong kg = k / njobs + (i < k % njobs);
            fmpz_init(jobs[i].d);
            jobs[i].phase = 3;
            jobs[i].P = &P;
            jobs[i].K_cap = (slong) (capb / cx.md.log2p) + 8;
            jobs[i].K_first = (slong) (((double) fmpz_bits(D) + 160.0) / cx.md.log2p) + 1;
            dx_pow_ensure(&P, jobs[i].K_cap + 1);
            ok = dx_lift_init(&jobs[i].L, &cx, B, col0, kg, NULL, dD, ninj, 1,
                              opts.no_multiplier ? 1 : 2, &rng, opts.force_generic);
            if (ok != 0) jobs[i].status = -2;
            col0 += kg;
        }
        if (jobs[0].status == 0 && (njobs == 1 || jobs[1].status == 0))
            dx_run_jobs(jobs, njobs, threads);
        for (i = 0; i < njobs; i++) {
            if (jobs[i].status < 0) status = -1;
            else if (jobs[i].status == 1 && status == 0) status = 1;
            if (jobs[i].status == 1)
                fmpz_lcm(E, E, jobs[i].d);
            stats->steps_num = FLINT_MAX(stats->steps_num, jobs[i].L.K);
            stats->generic |= !jobs[i].L.fast;
        }
        stats->t_num = dx_now() - t0;
        if (status == 0) {
            /* proven: D B = A Y exactly (zero residual of the invariant) */
            double t1 = dx_now();
            col0 = 0;
            if (njobs == 2 && threads > 1) {
                dx_conv_job_t cj[2];
                pthread_t th;
                int okt;
                cj[0].L = &jobs[0].L; cj[0].P = &P; cj[0].Y = Xnum; cj[0].col0 = 0;
                cj[0].e0 = 0; cj[0].e1 = jobs[0].L.N;
                cj[1].L = &jobs[1].L; cj[1].P = &P; cj[1].Y = Xnum; cj[1].col0 = jobs[0].L.kg;
                cj[1].e0 = 0; cj[1].e1 = jobs[1].L.N;
                okt = pthread_create(&th, NULL, dx_conv_thread, cj + 1) == 0;
                dx_conv_main(cj + 0);
                if (okt) pthread_join(th, NULL); else dx_conv_main(cj + 1);
            } else {
                for (i = 0; i < njobs; i++) {
                    dx_conv_job_t cj;
                    cj.L = &jobs[i].L; cj.P = &P; cj.Y = Xnum; cj.col0 = col0;
                    cj.e0 = 0; cj.e1 = jobs[i].L.N;
                    dx_conv_main(&cj);
                    col0 += jobs[i].L.kg;
                }
            }
            /* minimal denominator: g = gcd(D, all entries); den = D / g */
            fmpz_set(tmpz, D);
            for (i = 0; i < n && !fmpz_is_one(tmpz); i++)
                for (j = 0; j < k && !fmpz_is_one(tmpz); j++)
                    fmpz_gcd(tmpz, tmpz, fmpz_mat_entry(Xnum, i, j));
            fmpz_divexact(den, D, tmpz);
            if (!fmpz_is_one(tmpz))
                for (i = 0; i < n; i++)
                    for (j = 0; j < k; j++)
                        fmpz_divexact(fmpz_mat_entry(Xnum, i, j), fmpz_mat_entry(Xnum, i, j), tmpz);
            stats->t_convert = dx_now() - t1;
            ret = LMO_OK;
        } else if (status == 1) {
            fmpz_mul(D, D, E);
            stats->repairs++;
        }
        for (i = 0; i < njobs; i++) {
            dx_lift_clear(&jobs[i].L);
            fmpz_clear(jobs[i].d);
        }
        flint_free(dD);
        fmpz_clear(E);
        if (status <= 0)
            break;
    }
    if (ret == LMO_OK)
        goto out;

fallback:
    stats->fallback = 1;
    ret = dx_fallback(Xnum, den, A, B);

out:
    if (have_pow) dx_pow_clear(&P);
    free(Am);
    dx_ctx_clear(&cx);
    fmpz_clear(D);
    fmpz_clear(tmpz);
    fmpz_mat_clear(comb);
    return ret;
}

int lmo_dixon_solve(fmpz_mat_t Xnum, fmpz_t den, const fmpz_mat_t A,
                    const fmpz_mat_t B, ulong seed)
{
    return lmo_dixon_solve_opts(Xnum, den, A, B, seed, NULL, NULL);
}

/* ------------------------------------------------------------------ */
/* exact kernel check  L X + den R == 0                                 */
/* ------------------------------------------------------------------ */

/* |x| split in balanced chunks of w bits: x = sum_t out[t stride] 2^(w t),
 * |out| <= 2^(w-1); T must be >= (bits(x) + 1) / w rounded up. */
static void dx_chunks(double *out, slong stride, const fmpz_t x, int w, slong T)
{
    const mp_limb_t *d;
    mp_limb_t small;
    slong nl, t;
    int neg = fmpz_sgn(x) < 0;
    int64_t carry = 0;
    const int64_t half = (int64_t) 1 << (w - 1), full = (int64_t) 1 << w;
    if (!COEFF_IS_MPZ(*x)) {
        slong v = *x;
        small = (mp_limb_t) (v < 0 ? -(ulong) v : (ulong) v);
        d = &small;
        nl = (small != 0);
    } else {
        __mpz_struct *z = COEFF_TO_PTR(*x);
        d = z->_mp_d;
        nl = FLINT_ABS(z->_mp_size);
    }
    for (t = 0; t < T; t++) {
        ulong bit = (ulong) t * (ulong) w;
        slong li = (slong) (bit / FLINT_BITS);
        int sh = (int) (bit % FLINT_BITS);
        uint64_t raw = 0;
        int64_t c;
        if (li < nl) {
            raw = d[li] >> sh;
            if (sh + w > FLINT_BITS && li + 1 < nl)
                raw |= d[li + 1] << (FLINT_BITS - sh);
            raw &= (uint64_t) full - 1;
        }
        c = (int64_t) raw + carry;
        /* the top chunk keeps the carry: T >= (bits + 1) / w makes it
         * <= 2^(w-1) in magnitude */
        if (c >= half && t + 1 < T) { c -= full; carry = 1; } else carry = 0;
        out[t * stride] = (double) (neg ? -c : c);
    }
}

int lmo_zmat_check_kernel(const fmpz_mat_t L, const fmpz_mat_t X,
                          const fmpz_t den, const fmpz_mat_t R)
{
    const slong m = fmpz_mat_nrows(L), r = fmpz_mat_ncols(L), k = fmpz_mat_ncols(X);
    slong i, j, bL = 0, bX = 0, bE = 0;
    int result = 1;
    if (fmpz_mat_nrows(X) != r || fmpz_mat_nrows(R) != m || fmpz_mat_ncols(R) != k)
        return 0;
    if (m == 0 || k == 0)
        return 1;
    for (i = 0; i < m; i++)
        for (j = 0; j < r; j++)
            bL = FLINT_MAX(bL, (slong) fmpz_bits(fmpz_mat_entry(L, i, j)));
    for (i = 0; i < r; i++)
        for (j = 0; j < k; j++)
            bX = FLINT_MAX(bX, (slong) fmpz_bits(fmpz_mat_entry(X, i, j)));
    for (i = 0; i < m; i++)
        for (j = 0; j < k; j++)
            bE = FLINT_MAX(bE, (slong) fmpz_bits(fmpz_mat_entry(R, i, j)));
    bE += fmpz_bits(den);
    if (r == 0 || bL == 0 || bX == 0) {
        /* L X = 0: need den R = 0 */
        if (fmpz_is_zero(den))
            return 1;
        for (i = 0; i < m; i++)
            for (j = 0; j < k; j++)
                if (!fmpz_is_zero(fmpz_mat_entry(R, i, j)))
                    return 0;
        return 1;
    }
    {
        /* Choose gamma (limb width of L, TL limbs) and beta (chunk width of
         * X, TX chunks) minimising TL * TX subject to
         *   r * Lm * 2^(beta-1) <= 2^53,  Lm = max |limb of L|,
         * which makes every dot product of the dgemm below exact. */
        int gam, bestg = 0, bestb = 0, beta;
        slong TL = 0, TX = 0, bestcost = WORD_MAX, lg2r = 0, TE, PP, mb, TLb = 0;
        while ((WORD(1) << lg2r) < r) lg2r++;
        for (gam = 2; gam <= 52; gam++) {
            slong tl = (bL + 1 + gam - 1) / gam, tx, cost;
            /* lower limbs <= 2^(gam-1); the top limb is < 2^(bL - gam (tl-1))
             * plus a carry, <= 2^(gam - 1) since bL + 1 <= gam tl */
            int lmb = (tl == 1) ? (int) bL : gam - 1;  /* Lm <= 2^lmb */
            beta = 53 - lmb - (int) lg2r + 1;           /* r 2^lmb 2^(beta-1) <= 2^53 */
            if (beta < 2)
                continue;
            beta = FLINT_MIN(beta, 52);
            tx = (bX + 1 + beta - 1) / beta + 1;
            cost = tl * tx;
            if (cost < bestcost) { bestcost = cost; bestg = gam; bestb = beta; TLb = tl; }
        }
        if (bestg == 0)
            return 0;   /* r >= 2^51: not reachable with the caps */
        gam = bestg; beta = bestb; TL = TLb;
        TX = (bX + 1 + beta - 1) / beta + 1;
        TE = (bE + 1 + beta - 1) / beta + 1;
        {
            slong offmax = (gam * (TL - 1)) / beta;
            PP = FLINT_MAX(TX + offmax + 1, TE) + 1;
        }
        mb = FLINT_MAX(1, FLINT_MIN(m, (WORD(1) << 20) / FLINT_MAX(1, TL * k * TX)));
        mb = FLINT_MAX(mb, FLINT_MIN(m, 8));
        {
            double *Xc = dx_alloc(sizeof(double) * r * k * TX);
            double *Ls = dx_alloc(sizeof(double) * TL * mb * r);
            double *S = dx_alloc(sizeof(double) * TL * mb * k * TX);
            double *Ec = dx_alloc(sizeof(double) * TE);
            fmpz_t e, t, q;
            slong i0, kT = k * TX, a;
            int *off = flint_malloc(sizeof(int) * TL), *sh = flint_malloc(sizeof(int) * TL);
            if (!Xc || !Ls || !S || !Ec) { result = 0; goto chk_done; }
            fmpz_init(e); fmpz_init(t); fmpz_init(q);
            for (a = 0; a < TL; a++) {
                off[a] = (int) ((gam * a) / beta);
                sh[a] = (int) ((gam * a) % beta);
            }
            for (i = 0; i < r; i++)
                for (j = 0; j < k; j++)
                    dx_chunks(Xc + i * kT + j * TX, 1, fmpz_mat_entry(X, i, j), beta, TX);
            for (i0 = 0; i0 < m && result; i0 += mb) {
                slong rows = FLINT_MIN(mb, m - i0);
                /* Ls: limb a of row i at row a*rows + i */
                for (i = 0; i < rows; i++)
                    for (j = 0; j < r; j++)
                        dx_chunks(Ls + i * r + j, rows * r, fmpz_mat_entry(L, i0 + i, j), gam, TL);
                /* EXACT: r * max|limb| * max|chunk| <= 2^53 (choice of gam, beta) */
                cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int) (TL * rows),
                            (int) kT, (int) r, 1.0, Ls, (int) r, Xc, (int) kT, 0.0, S, (int) kT);
                for (i = 0; i < rows && result; i++)
                    for (j = 0; j < k && result; j++) {
                        dx_i128 carry = 0;
                        slong pos;
                        const dx_i128 mask = ((dx_i128) 1 << beta) - 1;
                        fmpz_mul(e, den, fmpz_mat_entry(R, i0 + i, j));
                        dx_chunks(Ec, 1, e, beta, TE);
                        for (pos = 0; pos < PP; pos++) {
                            dx_i128 acc = carry;
                            if (pos < TE)
                                acc += (dx_i128) (int64_t) Ec[pos];
                            for (a = 0; a < TL; a++) {
                                slong tt = pos - off[a];
                                if (tt >= 0 && tt < TX)
                                    acc += (dx_i128) (int64_t) S[(a * rows + i) * kT + j * TX + tt]
                                           << sh[a];
                            }
                            if ((acc & mask) != 0) { result = 0; break; }
                            carry = acc / ((dx_i128) 1 << beta);
                        }
                        if (result && carry != 0)
                            result = 0;
                    }
            }
            fmpz_clear(e); fmpz_clear(t); fmpz_clear(q);
chk_done:
            free(Xc); free(Ls); free(S); free(Ec);
            flint_free(off); flint_free(sh);
        }
    }
    return result;
}
