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
 *
 * Residuals of the lifting (r' = (r + d_K b - A x) / p, exact division)
 * live in int64 when their bound Rb (dx_lift_init) is below 2^61, in
 * int128 below 2^125, else in GMP mpz allocated once. The two fixed widths
 * compute r' modulo 2^64 (2^128) as (r + d_K b - A x) p^-1: exact, since
 * |r'| <= Rb is below half the modulus.
 *
 * Threads (at most 2): the denominator phase lifts 1-2 columns and is
 * bound by streaming the matrices (A^-1 mod p and the limbs of A, int32)
 * once per step, so one lifting is shared by a team of 2 threads owning a
 * block of rows each (two barriers per step). The numerator phase is
 * compute-bound: two independent liftings on halves of the columns, no
 * barriers. The update of the inverse and the digit conversion are split in
 * two as well. OpenBLAS is used only without AVX2/FMA and by the kernel
 * check (large products).
 */
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <stdatomic.h>
#include <math.h>
#include <time.h>
#include <sched.h>
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

typedef __int128 dx_i128;
typedef unsigned __int128 dx_u128;

#define DX_TWO52 4503599627370496.0            /* 2^52 */
#define DX_MAGIC 6755399441055744.0            /* 1.5 * 2^52: round to integer */
#define DX_MAXT 64                             /* max limbs of A in the lifting */
#define DX_MAXTH 2                             /* threads per lifting team */

static double dx_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double) ts.tv_sec + 1e-9 * (double) ts.tv_nsec;
}

static void *dx_alloc(size_t bytes)
{
    /* 64-byte aligned; NULL on failure */
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
    dx_u128 pinv128;    /* p^-1 mod 2^128 */
    double log2p;
    int simd;           /* use the AVX2 helpers */
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
    md->pinv128 = (dx_u128) inv * (2 - (dx_u128) p * inv);   /* one more Newton step */
    md->log2p = log2((double) p);
    md->simd = 0;
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

static inline int64_t dx_redmpz(mpz_srcptr a, const dx_mod_t *md)
{
    int64_t r = (int64_t) mpz_fdiv_ui(a, md->p);
    return (r > md->h) ? r - (int64_t) md->p : r;
}

/* v any int128: balanced residue */
static inline int64_t dx_red128(dx_i128 v, const dx_mod_t *md)
{
    int64_t r = (int64_t) (v % (dx_i128) md->p);   /* sign of v, |r| < p */
    if (r > md->h) r -= (int64_t) md->p;
    else if (r < -md->h) r += (int64_t) md->p;
    return r;
}

/* a with |a| < 2^127 as an int128 (FLINT gives a modulo 2^128) */
static dx_i128 dx_fmpz_get_i128(const fmpz_t a)
{
    ulong hi, lo;
    fmpz_get_signed_uiui(&hi, &lo, a);
    return (dx_i128) ((dx_u128) hi << 64 | lo);
}

static int64_t dx_invmod(int64_t a, const dx_mod_t *md)
{
    ulong u = (ulong) (a < 0 ? a + (int64_t) md->p : a);
    int64_t r = (int64_t) n_invmod(u, md->p);
    return (r > md->h) ? r - (int64_t) md->p : r;
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define DX_X86 1

/* 4 lanes of dx_redd: q = nearest integer to v/p (+-1), v - q p by one FMA
 * (exact: the true value is an integer below 1.5 p), one correction each
 * side. Valid for |v| <= 2^53. */
__attribute__((target("avx2,fma")))
static inline __m256d dx_red4(__m256d v, __m256d P, __m256d PI, __m256d H, __m256d NH)
{
    __m256d q = _mm256_round_pd(_mm256_mul_pd(v, PI), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m256d r = _mm256_fnmadd_pd(q, P, v);
    r = _mm256_sub_pd(r, _mm256_and_pd(_mm256_cmp_pd(r, H, _CMP_GT_OQ), P));
    r = _mm256_add_pd(r, _mm256_and_pd(_mm256_cmp_pd(r, NH, _CMP_LT_OQ), P));
    return r;
}

__attribute__((target("avx2,fma")))
static void dx_red_array_simd(double *v, slong len, const dx_mod_t *md)
{
    const __m256d P = _mm256_set1_pd(md->pd), PI = _mm256_set1_pd(md->pinv);
    const __m256d H = _mm256_set1_pd(md->hd), NH = _mm256_set1_pd(-md->hd);
    slong i = 0;
    for (; i + 4 <= len; i += 4)
        _mm256_storeu_pd(v + i, dx_red4(_mm256_loadu_pd(v + i), P, PI, H, NH));
    for (; i < len; i++)
        v[i] = dx_redd(v[i], md->pd, md->pinv, md->hd);
}

/* v = (v - f w) mod p.  EXACT: |v| <= h, |f w| <= h^2, so the FMA's true
 * value is below 2^52 and exact */
__attribute__((target("avx2,fma")))
static void dx_axpy_red_simd(double *v, const double *w, double f, slong len, const dx_mod_t *md)
{
    const __m256d P = _mm256_set1_pd(md->pd), PI = _mm256_set1_pd(md->pinv);
    const __m256d H = _mm256_set1_pd(md->hd), NH = _mm256_set1_pd(-md->hd);
    const __m256d F = _mm256_set1_pd(f);
    slong i = 0;
    for (; i + 4 <= len; i += 4) {
        __m256d t = _mm256_fnmadd_pd(F, _mm256_loadu_pd(w + i), _mm256_loadu_pd(v + i));
        _mm256_storeu_pd(v + i, dx_red4(t, P, PI, H, NH));
    }
    for (; i < len; i++)
        v[i] = dx_redd(v[i] - f * w[i], md->pd, md->pinv, md->hd);
}
#endif

static void dx_red_array(double *v, slong len, const dx_mod_t *md)
{
    const double p = md->pd, pinv = md->pinv, h = md->hd;
    slong i;
#ifdef DX_X86
    if (md->simd) { dx_red_array_simd(v, len, md); return; }
#endif
    for (i = 0; i < len; i++)
        v[i] = dx_redd(v[i], p, pinv, h);
}

/* v = (v - f w) mod p, |v|, |f|, |w| <= h.  EXACT: h + h^2 <= 2^52 */
static void dx_axpy_red(double *v, const double *w, double f, slong len, const dx_mod_t *md)
{
    const double p = md->pd, pinv = md->pinv, h = md->hd;
    slong i;
#ifdef DX_X86
    if (md->simd) { dx_axpy_red_simd(v, w, f, len, md); return; }
#endif
    for (i = 0; i < len; i++)
        v[i] = dx_redd(v[i] - f * w[i], p, pinv, h);
}

/* ------------------------------------------------------------------ */
/* packed integer matrices and exact products                          */
/* ------------------------------------------------------------------ */

/* rows x n (rows a multiple of 16), entries integers of magnitude < 2^31.
 * SIMD: int32 in blocks of 16 rows, block-major: entry (i, l) at
 * ((i / 16) n + l) 16 + i % 16, so a block of rows is one contiguous
 * stream. Otherwise: doubles, column-major (ld = rows), for cblas. */
typedef struct {
    slong rows, n;
    int32_t *ai;
    double *ad;
} dx_pm_t;

static int dx_pm_init(dx_pm_t *M, slong rows, slong n, int simd)
{
    M->rows = rows;
    M->n = n;
    M->ai = NULL;
    M->ad = NULL;
    if (simd) {
        M->ai = dx_alloc(sizeof(int32_t) * rows * n);
        if (M->ai) memset(M->ai, 0, sizeof(int32_t) * rows * n);
        return M->ai != NULL;
    }
    M->ad = dx_alloc(sizeof(double) * rows * n);
    if (M->ad) memset(M->ad, 0, sizeof(double) * rows * n);
    return M->ad != NULL;
}

static void dx_pm_clear(dx_pm_t *M) { free(M->ai); free(M->ad); M->ai = NULL; M->ad = NULL; }

static inline void dx_pm_set(dx_pm_t *M, slong i, slong j, double v)
{
    if (M->ai) M->ai[((i >> 4) * M->n + j) * 16 + (i & 15)] = (int32_t) v;
    else M->ad[j * M->rows + i] = v;
}

#ifdef DX_X86
/* Register-blocked AVX2/FMA kernel: (4 RB) rows by KB columns of double
 * accumulators; A (int32, blocks of 16 rows) streamed and converted, X
 * broadcast. Y rows [16 b0, 16 b1) of the blocks given. */
#define DX_KERNEL(RB, KB)                                                      \
__attribute__((target("avx2,fma")))                                           \
static void dx_k_##RB##_##KB(double *Y, slong ldy, const int32_t *A,          \
                             slong nblk, slong n, const double *X, slong ldx)  \
{                                                                              \
    slong b, l;                                                                \
    int r, j, sub;                                                             \
    for (b = 0; b < nblk; b++)                                                 \
    for (sub = 0; sub < 16; sub += 4 * RB) {                                   \
        __m256d acc[RB][KB];                                                   \
        const int32_t *ap = A + b * n * 16 + sub;                              \
        const double *xp = X;                                                  \
        double *yp = Y + b * 16 + sub;                                         \
        _Pragma("GCC unroll 16")                                               \
        for (r = 0; r < RB; r++) {                                             \
            _Pragma("GCC unroll 16")                                           \
            for (j = 0; j < KB; j++) acc[r][j] = _mm256_setzero_pd();          \
        }                                                                      \
        for (l = 0; l < n; l++, ap += 16, xp += ldx) {                         \
            __m256d av[RB];                                                    \
            _Pragma("GCC unroll 16")                                           \
            for (r = 0; r < RB; r++)                                           \
                av[r] = _mm256_cvtepi32_pd(                                    \
                    _mm_load_si128((const __m128i *) (ap + 4 * r)));          \
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
                _mm256_storeu_pd(yp + j * ldy + 4 * r, acc[r][j]);             \
        }                                                                      \
    }                                                                          \
}
DX_KERNEL(4, 1)
DX_KERNEL(4, 2)
DX_KERNEL(2, 3)
DX_KERNEL(2, 4)
DX_KERNEL(2, 5)
DX_KERNEL(2, 6)

static int dx_simd_available(void)
{
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}
#else
static int dx_simd_available(void) { return 0; }
#endif

/* Y[i - r0, j] = sum_l M[i, l] X[l, j] for rows i in [r0, r1) of M
 * (multiples of 16), j < k; Y column j at Y + j ldy. X is n x k row-major
 * with leading dimension ldx. Callers state the exactness bound. */
static void dx_pm_mul_ld(double *Y, slong ldy, const dx_pm_t *M, slong r0, slong r1,
                         const double *X, slong k, slong ldx)
{
    const slong n = M->n, mrows = r1 - r0;
    slong j;
    if (mrows <= 0 || k == 0)
        return;
    if (n == 0) {
        for (j = 0; j < k; j++)
            memset(Y + j * ldy, 0, sizeof(double) * mrows);
        return;
    }
#ifdef DX_X86
    if (M->ai) {
        slong j0 = 0, nb = mrows / 16;
        const int32_t *A = M->ai + (r0 / 16) * n * 16;
        while (j0 < k) {
            slong rem = k - j0;
            /* at most 6 columns per pass: 8 rows x 6 columns of accumulators
             * keep the loop FMA-bound (2 loads of A per 2 KB FMAs) */
            slong kb = (rem <= 6) ? rem : ((rem <= 12) ? (rem + 1) / 2 : 6);
            double *Yb = Y + j0 * ldy;
            const double *Xb = X + j0;
            switch (kb) {
            case 1: dx_k_4_1(Yb, ldy, A, nb, n, Xb, ldx); break;
            case 2: dx_k_4_2(Yb, ldy, A, nb, n, Xb, ldx); break;
            case 3: dx_k_2_3(Yb, ldy, A, nb, n, Xb, ldx); break;
            case 4: dx_k_2_4(Yb, ldy, A, nb, n, Xb, ldx); break;
            case 5: dx_k_2_5(Yb, ldy, A, nb, n, Xb, ldx); break;
            default: dx_k_2_6(Yb, ldy, A, nb, n, Xb, ldx); break;
            }
            j0 += kb;
        }
        return;
    }
#endif
    cblas_dgemm(CblasColMajor, CblasNoTrans, CblasTrans, (int) mrows, (int) k,
                (int) n, 1.0, M->ad + r0, (int) M->rows, X, (int) ldx, 0.0, Y, (int) ldy);
}

static void dx_pm_mul(double *Y, slong ldy, const dx_pm_t *M, slong r0, slong r1,
                      const double *X, slong k)
{
    dx_pm_mul_ld(Y, ldy, M, r0, r1, X, k, k);
}

/* Y (m x nc, row-major, ld pad16(nc)) = A (m x kk, row-major, ld lda)
 * B (kk x nc, row-major, ld ldb), integer entries < 2^31 in magnitude; the
 * caller states the exactness bound. With SIMD: Y^T = B^T A^T on the int32
 * kernel (B^T packed into Bt: pad16(nc) x kk; A^T into At: kk x m), which
 * keeps OpenBLAS's thread pool (and its spinning workers) out of the way. */
typedef struct {
    double *Y;
    slong ldy, ncp, m0, m1, m;
    const dx_pm_t *Bt;
    const double *At;
} dx_gemm_part_t;

static void *dx_gemm_part(void *arg)
{
    dx_gemm_part_t *g = arg;
    dx_pm_mul_ld(g->Y + g->m0 * g->ldy, g->ldy, g->Bt, 0, g->ncp, g->At + g->m0,
                 g->m1 - g->m0, g->m);
    return NULL;
}

static void dx_gemm_rm(double *Y, const double *A, slong lda, const double *B, slong ldb,
                       slong m, slong kk, slong nc, int simd, dx_pm_t *Bt, double *At,
                       int threads)
{
    const slong ncp = dx_pad16(nc);
    slong i, l, c;
    if (m == 0 || nc == 0)
        return;
    if (!simd) {
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int) m, (int) nc, (int) kk,
                    1.0, A, (int) lda, B, (int) ldb, 0.0, Y, (int) ncp);
        return;
    }
    Bt->rows = ncp;
    Bt->n = kk;
    memset(Bt->ai, 0, sizeof(int32_t) * ncp * kk);
    for (l = 0; l < kk; l++)
        for (c = 0; c < nc; c++)
            dx_pm_set(Bt, c, l, B[l * ldb + c]);
    for (i = 0; i < m; i++)
        for (l = 0; l < kk; l++)
            At[l * m + i] = A[i * lda + l];
    {
        /* columns of A^T (rows of Y) split over 2 threads when large */
        dx_gemm_part_t g[2];
        pthread_t th;
        slong half = (threads > 1 && m * nc * kk >= (WORD(1) << 20)) ? m / 2 : m;
        g[0].Y = g[1].Y = Y; g[0].ldy = g[1].ldy = ncp; g[0].ncp = g[1].ncp = ncp;
        g[0].m = g[1].m = m; g[0].Bt = g[1].Bt = Bt; g[0].At = g[1].At = At;
        g[0].m0 = 0; g[0].m1 = half;
        g[1].m0 = half; g[1].m1 = m;
        if (half < m && pthread_create(&th, NULL, dx_gemm_part, g + 1) == 0) {
            dx_gemm_part(g + 0);
            pthread_join(th, NULL);
        } else {
            dx_gemm_part(g + 0);
            if (half < m)
                dx_gemm_part(g + 1);
        }
    }
}

/* v = (v - u) mod p for len entries, |v - u| <= 2^52 */
static void dx_sub_red(double *v, const double *u, slong len, const dx_mod_t *md)
{
    slong i;
    for (i = 0; i < len; i++)
        v[i] -= u[i];
    dx_red_array(v, len, md);
}

/* ------------------------------------------------------------------ */
/* A^-1 mod p by blocked Gauss-Jordan on [A | I]                        */
/* ------------------------------------------------------------------ */

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
            dx_axpy_red(G + i * w + c, G + c * w + c, G[i * w + c], w - c, md);
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
static int dx_inverse(dx_pm_t *C, const double *Am, slong n, const dx_mod_t *md, int threads)
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
                dx_axpy_red(Q + i * kb + jj + 1, Q + jj * kb + jj + 1, f, kb - jj - 1, md);
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
        dx_gemm_rm(S, Ti, kb, W + k0 * w + c0, w, kb, kb, nc, md->simd, &Bt, At, 1);
        for (i = 0; i < kb; i++)
            dx_red_array(S + i * ncp, nc, md);
        /* other rows: W[i, c0:w] -= W[i, k0:k0+kb] S.
         * EXACT: |W| <= h, so h + kb h^2 <= (n + 1) h^2 <= 2^52 */
        for (i = 0; i < k0; i++)
            memcpy(F + i * kb, W + i * w + k0, sizeof(double) * kb);
        for (i = c0; i < n; i++)
            memcpy(F + (i - kb) * kb, W + i * w + k0, sizeof(double) * kb);
        dx_gemm_rm(U, F, kb, S, ncp, n - kb, kb, nc, md->simd, &Bt, At, threads);
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

/* ------------------------------------------------------------------ */
/* lifting context: prime, inverse, limbs of A                          */
/* ------------------------------------------------------------------ */

typedef struct {
    slong n, npad;
    dx_mod_t md;
    dx_pm_t C;          /* A^-1 mod p, npad x n */
    dx_pm_t Al;         /* limbs of A stacked: (T npad) x n */
    int T, gam;         /* A = sum_t 2^(gam t) A_t, balanced limbs */
    fmpz_t amax;        /* max |A_ij| */
} dx_ctx_t;

/* balanced split of a into T limbs of gam bits (the top limb takes the
 * rest; |top| < 2^31 by the choice of T, gam) */
static void dx_split_fmpz(double *out, const fmpz_t a, int gam, int T, fmpz_t t, fmpz_t q)
{
    int s;
    if (!COEFF_IS_MPZ(*a)) {
        /* word-size entry: the same balanced split in slong arithmetic */
        slong v = *a;
        const slong full = WORD(1) << gam, half = full >> 1;
        for (s = 0; s < T - 1; s++) {
            slong lo = v & (full - 1);            /* v mod 2^gam, two's complement */
            if (lo >= half)
                lo -= full;
            out[s] = (double) lo;
            v = (v - lo) / full;                  /* exact */
        }
        out[T - 1] = (double) v;
        return;
    }
    fmpz_set(t, a);
    for (s = 0; s < T - 1; s++) {
        slong lo;
        fmpz_fdiv_r_2exp(q, t, gam);               /* 0 <= q < 2^gam */
        lo = fmpz_get_si(q);
        if (lo >= (WORD(1) << (gam - 1)))
            lo -= (WORD(1) << gam);
        out[s] = (double) lo;
        fmpz_sub_si(t, t, lo);
        fmpz_fdiv_q_2exp(t, t, gam);               /* exact */
    }
    out[T - 1] = (double) fmpz_get_si(t);
}

/* Choose T, gam to minimise (1 + T) / log2 p subject to the exactness
 * bounds and |limbs| < 2^31; sets cx->T, cx->gam, returns h_max (0: none). */
static int64_t dx_choose_limbs(dx_ctx_t *cx, slong n, const fmpz_t amax)
{
    /* C r: n h^2 <= 2^52 and the inverse needs (n+1) h^2 <= 2^52 */
    double hC = floor(sqrt(DX_TWO52 / (double) (n + 1)));
    slong bA = fmpz_bits(amax);
    double best = 1e300;
    int T, gam, bestT = 0, bestg = 0;
    int64_t besth = 0;
    fmpz_t top;
    fmpz_init(top);
    while (hC * hC * (double) (n + 1) > DX_TWO52) hC -= 1.0;
    for (T = 1; T <= DX_MAXT; T++) {
        int g0 = (int) ((bA + 1 + T - 1) / T);
        for (gam = g0 - 3; gam <= g0 + 1; gam++) {
            double Lm, hA, h, cost;
            if (gam < 2 || gam > 31)
                continue;
            /* top limb <= |A| / 2^(gam (T-1)) + 1 */
            fmpz_fdiv_q_2exp(top, amax, (ulong) gam * (T - 1));
            fmpz_add_ui(top, top, 1);
            if (fmpz_bits(top) > 31)
                continue;
            Lm = (T == 1) ? 0.0 : ldexp(1.0, gam - 1);
            Lm = FLINT_MAX(Lm, (double) fmpz_get_si(top));
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
    fmpz_clear(top);
    cx->T = bestT;
    cx->gam = bestg;
    return besth;
}

static void dx_ctx_clear(dx_ctx_t *cx)
{
    dx_pm_clear(&cx->C);
    dx_pm_clear(&cx->Al);
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
        while (x > lo && (x > pmax || x == avoid || !n_is_prime(x)))
            x -= 2;
        if (x > lo && x <= pmax && x != avoid && n_is_prime(x))
            return x;
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* dynamic team: the rows of a step are cut in chunks, claimed by CAS on  */
/* (epoch, next chunk). A helper that is descheduled simply claims none: */
/* the main thread never waits for a thread that holds no chunk, which  */
/* matters on an oversubscribed machine.                                */
/* ------------------------------------------------------------------ */

#define DX_MAXCH 8                             /* chunks per phase */

typedef struct {
    _Atomic uint64_t state;     /* epoch << 32 | next chunk to claim */
    atomic_int done;            /* chunks finished in this epoch */
    atomic_int quit;
    atomic_int solo;            /* helper retired: the main thread works alone */
    int nchunks;
    int phase;                  /* 1: digits (B), 2: residual (C, then A) */
    slong K;
    double t_work, t_wait;      /* main thread: time in phases, time waiting */
    slong phases;
} dx_sched_t;

static void dx_spin_pause(int *spins)
{
    if (++*spins > 2000) {
        sched_yield();
        *spins = 0;
    }
}

/* ------------------------------------------------------------------ */
/* the lifter                                                          */
/* ------------------------------------------------------------------ */

typedef struct dx_job_s dx_job_t;

typedef struct {
    const dx_ctx_t *cx;
    slong kg, N;            /* columns, N = n kg entries (row-major n x kg) */
    int fast, wide;         /* residuals in int64, in int128, else GMP mpz */
    int64_t *r, *b;         /* fast path: residual and right-hand side */
    dx_i128 *rw, *bw;       /* wide path */
    fmpz *bz;               /* b, until a path takes it over */
    __mpz_struct *rg, *bg;  /* generic path: mpz, allocated once for the
                               whole lifting (FLINT's fmpz would promote and
                               demote, and reallocate, at every step) */
    __mpz_struct yg[DX_MAXCH];   /* generic path: scratch per chunk */
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
    /* team */
    int nth, nch;                       /* threads, row chunks */
    slong rowc[DX_MAXCH + 1];           /* padded row chunks, multiples of 16 */
    dx_sched_t sc;
    dx_i128 part[2][DX_MAXCH][2];       /* [digit parity][chunk][comb] */
    int *nz;                            /* [chunk][kg]: residual column non-zero */
} dx_lift_t;

/* b = columns [j0, j0 + kg) of B (comb NULL) or b = B comb (k x kg). */
static int dx_lift_init(dx_lift_t *L, const dx_ctx_t *cx, const fmpz_mat_t B,
                        slong j0, slong kg, const fmpz_mat_t comb,
                        const int32_t *inj, slong ninj, int keep_digits,
                        int ncomb, lmo_rng_t *rng, int force_generic, int force_wide,
                        int nth)
{
    slong n = cx->n, N = n * kg, e, l, j, c;
    fmpz_t bmax, t, Rb;
    mp_bitcnt_t cap_bits;
    memset(L, 0, sizeof(*L));
    L->cx = cx;
    L->kg = kg;
    L->N = N;
    L->inj = inj;
    L->ninj = inj ? ninj : 0;
    L->keep_digits = keep_digits;
    L->ncomb = ncomb;
    L->nth = (nth > 1 && cx->npad >= 64) ? FLINT_MIN(nth, DX_MAXTH) : 1;
    {
        /* chunks of whole 16-row blocks; 4 per thread balance a late helper */
        slong nblk = cx->npad / 16;
        L->nch = (L->nth > 1) ? (int) FLINT_MIN(nblk, 4 * L->nth) : 1;
        for (c = 0; c <= L->nch; c++)
            L->rowc[c] = 16 * ((nblk * c) / L->nch);
    }
    /* epoch 0 is exhausted from the start: nothing to claim before the
     * main thread publishes the first phase */
    atomic_init(&L->sc.state, (uint64_t) L->nch);
    atomic_init(&L->sc.done, 0);
    atomic_init(&L->sc.quit, 0);
    atomic_init(&L->sc.solo, 0);
    L->sc.nchunks = L->nch;
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
    L->fast = !force_generic && !force_wide && fmpz_bits(Rb) <= 61;
    L->wide = !force_generic && !L->fast && fmpz_bits(Rb) <= 125;
    /* generic: r, b <= Rb, |A x| <= n |A| h, |d_K b| <= h |b|; room for all */
    cap_bits = (mp_bitcnt_t) (FLINT_MAX(fmpz_bits(Rb), fmpz_bits(cx->amax)) + 3 * FLINT_BITS);
    fmpz_clear(bmax); fmpz_clear(t); fmpz_clear(Rb);

    L->bm = dx_alloc(sizeof(double) * N);
    L->rm = dx_alloc(sizeof(double) * N);
    L->xd = dx_alloc(sizeof(double) * N);
    L->yc = dx_alloc(sizeof(double) * cx->npad * kg);
    L->ya = dx_alloc(sizeof(double) * cx->T * cx->npad * kg);
    L->nz = flint_calloc(DX_MAXCH * kg + 1, sizeof(int));
    if (!L->bm || !L->rm || !L->xd || !L->yc || !L->ya)
        return -1;
    for (e = 0; e < N; e++)
        L->bm[e] = (double) dx_redz(L->bz + e, &cx->md);
    /* r_0 = b without injection (then b = A X_K + p^K r_K); r_0 = 0 with
     * injection, so that D_0 b = A X_0 + r_0 holds with D_0 = X_0 = 0 */
    if (L->fast) {
        L->r = dx_alloc(sizeof(int64_t) * N);
        L->b = dx_alloc(sizeof(int64_t) * N);
        if (!L->r || !L->b)
            return -1;
        for (e = 0; e < N; e++) {
            L->b[e] = (int64_t) fmpz_get_si(L->bz + e);
            L->r[e] = inj ? 0 : L->b[e];
        }
        _fmpz_vec_clear(L->bz, N);
        L->bz = NULL;
    } else if (L->wide) {
        L->rw = dx_alloc(sizeof(dx_i128) * N);
        L->bw = dx_alloc(sizeof(dx_i128) * N);
        if (!L->rw || !L->bw)
            return -1;
        for (e = 0; e < N; e++) {
            L->bw[e] = dx_fmpz_get_i128(L->bz + e);
            L->rw[e] = inj ? 0 : L->bw[e];
        }
        _fmpz_vec_clear(L->bz, N);
        L->bz = NULL;
    } else {
        L->rg = flint_malloc(sizeof(__mpz_struct) * N);
        L->bg = flint_malloc(sizeof(__mpz_struct) * N);
        for (e = 0; e < N; e++) {
            mpz_init2(L->rg + e, cap_bits);
            mpz_init2(L->bg + e, cap_bits);
            fmpz_get_mpz(L->bg + e, L->bz + e);
            if (!inj)
                mpz_set(L->rg + e, L->bg + e);
        }
        for (c = 0; c < DX_MAXCH; c++)
            mpz_init2(L->yg + c, cap_bits);
        _fmpz_vec_clear(L->bz, N);
        L->bz = NULL;
    }
    /* residual column flags of the initial state, all on chunk slot 0 */
    for (e = 0; e < N; e++)
        if (L->fast ? L->r[e] != 0 : L->wide ? L->rw[e] != 0 : mpz_sgn(L->rg + e) != 0)
            L->nz[e % kg] = 1;
    if (ncomb > 0) {
        /* weights in [-2^15, 2^15] */
        L->u = dx_alloc(sizeof(int64_t) * ncomb * N);
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
        L->dig_cap = 64;
        L->dig = flint_malloc(sizeof(int32_t) * L->dig_cap * N);
    }
    return 0;
}

static void dx_lift_clear(dx_lift_t *L)
{
    int c;
    slong e;
    if (L->bz) _fmpz_vec_clear(L->bz, L->N);
    if (L->rg) {
        for (e = 0; e < L->N; e++) {
            mpz_clear(L->rg + e);
            mpz_clear(L->bg + e);
        }
        for (c = 0; c < DX_MAXCH; c++)
            mpz_clear(L->yg + c);
        flint_free(L->rg);
        flint_free(L->bg);
    }
    free(L->r); free(L->b); free(L->rw); free(L->bw); free(L->bm); free(L->rm); free(L->xd);
    free(L->yc); free(L->ya); free(L->u);
    flint_free(L->nz);
    for (c = 0; c < L->ncomb; c++)
        flint_free(L->cdig[c]);
    if (L->dig) flint_free(L->dig);
    memset(L, 0, sizeof(*L));
}

/* is column j of the residual zero (j < 0: all columns)? between phases */
static int dx_lift_zero(const dx_lift_t *L, slong j)
{
    slong t, c;
    for (t = 0; t < DX_MAXCH; t++)
        for (c = 0; c < L->kg; c++)
            if ((j < 0 || c == j) && L->nz[t * L->kg + c])
                return 0;
    return 1;
}

/* rows of chunk ch: padded [R0, R1), real [l0, l1) */
#define DX_ROWS(L, ch, R0, R1, l0, l1)                                        \
    slong R0 = (L)->rowc[ch], R1 = (L)->rowc[(ch) + 1];                        \
    slong l0 = FLINT_MIN(R0, (L)->cx->n), l1 = FLINT_MIN(R1, (L)->cx->n)

/* phase A of step K: rm = (r + d_K b) mod p on the chunk's rows.
 * EXACT: |r mod p| + |d_K| |b mod p| <= h + h^2 <= 2^52 */
static void dx_phase_a(dx_lift_t *L, int ch, slong K)
{
    const dx_mod_t *md = &L->cx->md;
    const double p = md->pd, pinv = md->pinv, h = md->hd;
    const double dt = (L->inj && K < L->ninj) ? (double) L->inj[K] : 0.0;
    DX_ROWS(L, ch, R0, R1, l0, l1);
    slong e, e0 = l0 * L->kg, e1 = l1 * L->kg;
    (void) R0; (void) R1;
    if (L->fast) {
        for (e = e0; e < e1; e++)
            L->rm[e] = dx_redd((double) dx_red64(L->r[e], md) + dt * L->bm[e], p, pinv, h);
    } else if (L->wide) {
        for (e = e0; e < e1; e++)
            L->rm[e] = dx_redd((double) dx_red128(L->rw[e], md) + dt * L->bm[e], p, pinv, h);
    } else {
        for (e = e0; e < e1; e++)
            L->rm[e] = dx_redd((double) dx_redmpz(L->rg + e, md) + dt * L->bm[e], p, pinv, h);
    }
}

/* phase B: digit x = C rm mod p on the chunk's rows; partial sums of the
 * combinations */
static void dx_phase_b(dx_lift_t *L, int ch, slong K)
{
    const dx_ctx_t *cx = L->cx;
    const dx_mod_t *md = &cx->md;
    const double p = md->pd, pinv = md->pinv, h = md->hd;
    const slong npad = cx->npad, kg = L->kg, N = L->N;
    DX_ROWS(L, ch, R0, R1, l0, l1);
    slong l, j, e;
    int c;
    /* EXACT: n h^2 <= 2^52 (choice of h) */
    dx_pm_mul(L->yc + R0, npad, &cx->C, R0, R1, L->rm, kg);
    if (md->simd) {
        for (j = 0; j < kg; j++)
            dx_red_array(L->yc + j * npad + l0, l1 - l0, md);
        for (l = l0; l < l1; l++)
            for (j = 0; j < kg; j++)
                L->xd[l * kg + j] = L->yc[j * npad + l];
    } else {
        for (l = l0; l < l1; l++)
            for (j = 0; j < kg; j++)
                L->xd[l * kg + j] = dx_redd(L->yc[j * npad + l], p, pinv, h);
    }
    if (L->keep_digits) {
        int32_t *dg = L->dig + K * N;
        for (e = l0 * kg; e < l1 * kg; e++)
            dg[e] = (int32_t) L->xd[e];
    }
    for (c = 0; c < L->ncomb; c++) {
        const int64_t *u = L->u + c * N;
        dx_i128 s = 0;
        int64_t s64 = 0;
        slong cnt = 0;
        /* int64 blocks of 2^20 terms: |u x| <= 2^15 2^26, so a block sum
         * stays below 2^61 */
        for (e = l0 * kg; e < l1 * kg; e++) {
            s64 += u[e] * (int64_t) L->xd[e];
            if (++cnt == (WORD(1) << 20)) { s += s64; s64 = 0; cnt = 0; }
        }
        L->part[K & 1][ch][c] = s + s64;
    }
}

/* phase C: residual update on the chunk's rows, then phase A of step K + 1
 * on the same rows (it needs nothing else).
 * EXACT: n Lmax h <= 2^53 (choice of h) for the products A_t x. */
static void dx_phase_c(dx_lift_t *L, int ch, slong K)
{
    const dx_ctx_t *cx = L->cx;
    const dx_mod_t *md = &cx->md;
    const slong npad = cx->npad, kg = L->kg, lda = (slong) cx->T * npad;
    const int64_t dt = (L->inj && K < L->ninj) ? L->inj[K] : 0;
    DX_ROWS(L, ch, R0, R1, l0, l1);
    slong l, j;
    int t;
    int *nz = L->nz + ch * kg;
    for (t = 0; t < cx->T; t++)
        dx_pm_mul(L->ya + t * npad + R0, lda, &cx->Al, t * npad + R0, t * npad + R1, L->xd, kg);
    for (j = 0; j < kg; j++)
        nz[j] = 0;
    /* int64 / int128: the new residual satisfies |r'| <= Rb < 2^61 (2^125,
     * dx_lift_init), and r + d_K b - A x = p r' exactly; computing the left
     * side modulo 2^64 (2^128) and multiplying by p^-1 modulo the same power
     * therefore gives r' exactly. UT, ST: unsigned and signed types of W bits. */
#define DX_RESIDUAL_FIXED(UT, ST, W, R, B, PINV)                               \
    for (l = l0; l < l1; l++)                                                  \
        for (j = 0; j < kg; j++) {                                             \
            const slong e = l * kg + j;                                        \
            const double *yp = L->ya + j * lda + l;                            \
            UT y = 0;                                                          \
            ST rn;                                                             \
            for (t = 0; t < cx->T; t++) {                                      \
                int sh = cx->gam * t;                                          \
                if (sh < (W))                                                  \
                    y += (UT) (ST) (int64_t) yp[t * npad] << sh;               \
            }                                                                  \
            rn = (ST) (((UT) (R)[e] + (UT) (ST) dt * (UT) (B)[e] - y) * (PINV)); \
            (R)[e] = rn;                                                       \
            nz[j] |= (rn != 0);                                                \
        }
    if (L->fast) {
        DX_RESIDUAL_FIXED(uint64_t, int64_t, 64, L->r, L->b, md->pinv64);
    } else if (L->wide) {
        DX_RESIDUAL_FIXED(dx_u128, dx_i128, 128, L->rw, L->bw, md->pinv128);
    } else {
        /* in place in the preallocated mpz: no allocation in the loop */
        mpz_ptr y = L->yg + ch;
        for (l = l0; l < l1; l++)
            for (j = 0; j < kg; j++) {
                const slong e = l * kg + j;
                const double *yp = L->ya + j * lda + l;
                mpz_ptr re = L->rg + e;
                mpz_set_si(y, (slong) (int64_t) yp[(cx->T - 1) * npad]);
                for (t = cx->T - 2; t >= 0; t--) {
                    int64_t v = (int64_t) yp[t * npad];
                    mpz_mul_2exp(y, y, (mp_bitcnt_t) cx->gam);
                    if (v >= 0) mpz_add_ui(y, y, (ulong) v);
                    else mpz_sub_ui(y, y, (ulong) -v);
                }
                if (dt > 0)
                    mpz_addmul_ui(re, L->bg + e, (ulong) dt);
                else if (dt < 0)
                    mpz_submul_ui(re, L->bg + e, (ulong) -dt);
                mpz_sub(re, re, y);
                mpz_divexact_ui(re, re, md->p);
                nz[j] |= (mpz_sgn(re) != 0);
            }
    }
#undef DX_RESIDUAL_FIXED
    dx_phase_a(L, ch, K + 1);
}

/* control point of step K (main thread, between phases): fold the
 * combination digit K - 1 */
static void dx_comb_fold(dx_lift_t *L, slong K)
{
    const dx_mod_t *md = &L->cx->md;
    int c, t;
    if (K == 0)
        return;
    if (K - 1 >= L->cdig_cap) {
        L->cdig_cap *= 2;
        for (c = 0; c < L->ncomb; c++)
            L->cdig[c] = flint_realloc(L->cdig[c], sizeof(int32_t) * L->cdig_cap);
    }
    for (c = 0; c < L->ncomb; c++) {
        dx_i128 v = L->ccarry[c], q;
        int64_t dgt;
        for (t = 0; t < L->nch; t++)
            v += L->part[(K - 1) & 1][t][c];
        dgt = (int64_t) (v % (dx_i128) md->p);
        if (dgt > md->h) dgt -= (int64_t) md->p;
        else if (dgt < -md->h) dgt += (int64_t) md->p;
        q = (v - dgt) / (dx_i128) md->p;
        L->ccarry[c] = q;
        L->cdig[c][K - 1] = (int32_t) dgt;
    }
}

/* ------------------------------------------------------------------ */
/* balanced base-p digits -> integers                                   */
/* ------------------------------------------------------------------ */

typedef struct {
    ulong p;
    double log2p;
    slong len;              /* pw[j] = p^(2^j), j < len */
    mp_limb_t **pw;
    slong *pn;
} dx_pow_t;

static void dx_pow_init(dx_pow_t *P, ulong p)
{
    P->p = p;
    P->log2p = log2((double) p);
    P->len = 1;
    P->pw = flint_malloc(sizeof(mp_limb_t *));
    P->pn = flint_malloc(sizeof(slong));
    P->pw[0] = flint_malloc(sizeof(mp_limb_t));
    P->pw[0][0] = p;
    P->pn[0] = 1;
}

static void dx_pow_clear(dx_pow_t *P)
{
    slong j;
    for (j = 0; j < P->len; j++)
        flint_free(P->pw[j]);
    flint_free(P->pw);
    flint_free(P->pn);
}

/* extend the table to cover K <= Kmax (single-threaded callers only) */
static void dx_pow_ensure(dx_pow_t *P, slong Kmax)
{
    slong len = P->len, j;
    while ((WORD(1) << len) < Kmax + 1)
        len++;
    if (len == P->len)
        return;
    P->pw = flint_realloc(P->pw, sizeof(mp_limb_t *) * len);
    P->pn = flint_realloc(P->pn, sizeof(slong) * len);
    for (j = P->len; j < len; j++) {
        slong a = P->pn[j - 1], s = 2 * a;
        P->pw[j] = flint_malloc(sizeof(mp_limb_t) * s);
        mpn_sqr(P->pw[j], P->pw[j - 1], a);
        while (s > 0 && P->pw[j][s - 1] == 0) s--;
        P->pn[j] = s;
    }
    P->len = len;
}

/* limbs needed for a K-digit number, with slack */
static slong dx_room(const dx_pow_t *P, slong K)
{
    return (slong) ((double) K * P->log2p / FLINT_BITS) + 4;
}

/* U = sum_{t<K} u_t p^t, 0 <= u_t < p; returns the limb count of U (in
 * out); sc: scratch of >= 6 dx_room(K) + 64 limbs */
static slong dx_convu(mp_ptr out, const uint32_t *u, slong K, const dx_pow_t *P, mp_ptr sc)
{
    slong hl, nlo, nhi, np, szh, n;
    int j;
    mp_ptr hi, prod;
    if (K <= 32) {
        /* Horner, two digits at a time: acc = acc p^2 + (u_t p + u_{t-1}),
         * each factor < p^2 < 2^54 fits a limb */
        const mp_limb_t p = P->p, p2 = p * p;
        slong t = K - 1;
        mp_limb_t cy;
        n = 0;
        if (K & 1) {
            out[0] = u[K - 1];
            n = (out[0] != 0);
            t = K - 2;
        }
        for (; t >= 1; t -= 2) {
            mp_limb_t v = (mp_limb_t) u[t] * p + u[t - 1];
            if (n > 0) {
                cy = mpn_mul_1(out, out, n, p2);
                if (cy) out[n++] = cy;
                cy = mpn_add_1(out, out, n, v);
                if (cy) out[n++] = cy;
            } else if (v != 0) {
                out[0] = v;
                n = 1;
            }
        }
        return n;
    }
    hl = 32; j = 5;
    while (2 * hl < K) { hl *= 2; j++; }
    nlo = dx_convu(out, u, hl, P, sc);
    szh = dx_room(P, K - hl);
    hi = sc;
    nhi = dx_convu(hi, u + hl, K - hl, P, sc + szh);
    if (nhi == 0) {
        if (nlo == 0) return 0;
        return nlo;
    }
    prod = sc + szh;
    if (P->pn[j] >= nhi)
        mpn_mul(prod, P->pw[j], P->pn[j], hi, nhi);
    else
        mpn_mul(prod, hi, nhi, P->pw[j], P->pn[j]);
    np = P->pn[j] + nhi;
    if (nlo > 0)
        out[np] = mpn_add(out, prod, np, out, nlo);   /* lo < p^hl <= prod */
    else {
        mpn_copyi(out, prod, np);
        out[np] = 0;
    }
    n = np + 1;
    while (n > 0 && out[n - 1] == 0) n--;
    return n;
}

typedef struct {
    uint32_t *u;
    mp_ptr out, sc, pK;
    slong cap, K, npK;
} dx_cbuf_t;

static void dx_cbuf_init(dx_cbuf_t *B) { memset(B, 0, sizeof(*B)); }

static void dx_cbuf_clear(dx_cbuf_t *B)
{
    flint_free(B->u); flint_free(B->out); flint_free(B->sc); flint_free(B->pK);
    memset(B, 0, sizeof(*B));
}

static void dx_cbuf_fit(dx_cbuf_t *B, const dx_pow_t *P, slong K)
{
    slong room = dx_room(P, K);
    if (K > B->cap) {
        B->cap = K;
        B->u = flint_realloc(B->u, sizeof(uint32_t) * (K + 1));
        B->out = flint_realloc(B->out, sizeof(mp_limb_t) * (room + 8));
        B->sc = flint_realloc(B->sc, sizeof(mp_limb_t) * (6 * room + 64));
        B->pK = flint_realloc(B->pK, sizeof(mp_limb_t) * (room + 8));
        B->K = -1;
    }
    if (B->K != K) {
        /* p^K as limbs, by the binary expansion of K */
        fmpz_t a, b;
        slong j;
        fmpz_init(a); fmpz_init(b);
        fmpz_one(a);
        for (j = 0; j < P->len; j++)
            if ((K >> j) & 1) {
                fmpz_set_ui_array(b, P->pw[j], P->pn[j]);
                fmpz_mul(a, a, b);
            }
        B->npK = fmpz_size(a);
        fmpz_get_ui_array(B->pK, B->npK, a);
        fmpz_clear(a); fmpz_clear(b);
        B->K = K;
    }
}

/* out = U - [neg] p^K with U = sum_{t<K} u[t] p^t, 0 <= u[t] < p; if mod
 * is set, out = U (the value mod p^K) */
static void dx_udigits_get(fmpz_t out, const uint32_t *u, int neg, slong K,
                           const dx_pow_t *P, dx_cbuf_t *B, int mod)
{
    slong n;
    if (K == 0) { fmpz_zero(out); return; }
    dx_cbuf_fit(B, P, K);
    n = dx_convu(B->out, u, K, P, B->sc);
    if (!neg || mod) {
        fmpz_set_ui_array(out, B->out, n);
        return;
    }
    /* negative: |value| = p^K - U, U < p^K */
    if (n < B->npK)
        memset(B->out + n, 0, sizeof(mp_limb_t) * (B->npK - n));
    mpn_sub_n(B->out, B->pK, B->out, B->npK);
    n = B->npK;
    while (n > 0 && B->out[n - 1] == 0) n--;
    fmpz_set_ui_array(out, B->out, n);
    fmpz_neg(out, out);
}

/* out = sum_{t<K} dig[t stride] p^t (balanced digits), exactly; if mod is
 * set, out = that value mod p^K in [0, p^K) instead */
static void dx_digits_get(fmpz_t out, const int32_t *dig, slong stride, slong K,
                          const dx_pow_t *P, dx_cbuf_t *B, int mod)
{
    slong t, n;
    int64_t borrow = 0;
    if (K == 0) { fmpz_zero(out); return; }
    dx_cbuf_fit(B, P, K);
    /* to digits in [0, p): value = U - borrow_out p^K */
    for (t = 0; t < K; t++) {
        int64_t v = (int64_t) dig[t * stride] + borrow;
        if (v < 0) { v += (int64_t) P->p; borrow = -1; } else borrow = 0;
        B->u[t] = (uint32_t) v;
    }
    n = dx_convu(B->out, B->u, K, P, B->sc);
    if (borrow == 0 || mod) {
        fmpz_set_ui_array(out, B->out, n);
        return;
    }
    /* negative: |value| = p^K - U, U < p^K */
    if (n < B->npK)
        memset(B->out + n, 0, sizeof(mp_limb_t) * (B->npK - n));
    mpn_sub_n(B->out, B->pK, B->out, B->npK);
    n = B->npK;
    while (n > 0 && B->out[n - 1] == 0) n--;
    fmpz_set_ui_array(out, B->out, n);
    fmpz_neg(out, out);
}

/* ------------------------------------------------------------------ */
/* phase 2 (denominator) and phase 3 (numerators)                      */
/* ------------------------------------------------------------------ */

struct dx_job_s {
    dx_lift_t L;
    const dx_pow_t *P;
    dx_cbuf_t cb;
    slong K_cap, K_first, next;
    fmpz_t d;           /* out: lcm of the denominators found (phase 2), or
                           the missing factor (phase 3, status 1) */
    int status;         /* 0 done, 1 repair needed (phase 3), -1 cap */
    int phase;          /* 2 or 3 */
    int done[2];
    double t_recon;
};

/* control, thread 0, at state K (K digits done). Returns 1 to stop. */
static int dx_control(dx_job_t *J, slong K)
{
    dx_lift_t *L = &J->L;
    int c, stop = 0;
    L->K = K;
    dx_comb_fold(L, K);
    if (J->phase == 2) {
        /* columns are random combinations; combination c looks at column c */
        int all = 1;
        for (c = 0; c < L->kg; c++) {
            if (!J->done[c] && dx_lift_zero(L, c))
                J->done[c] = 1;              /* z integral: denominator 1 */
            all &= J->done[c];
        }
        if (!all && (K >= J->next || K >= J->K_cap)) {
            double t0 = dx_now();
            fmpz_t a, m, Nb, nn, dd;
            fmpz_init(a); fmpz_init(m); fmpz_init(Nb); fmpz_init(nn); fmpz_init(dd);
            all = 1;
            for (c = 0; c < L->kg; c++) {
                if (!J->done[c]) {
                    dx_digits_get(a, L->cdig[c], 1, K, J->P, &J->cb, 1);
                    fmpz_set_ui_array(m, J->cb.pK, J->cb.npK);
                    /* bounds N = D = sqrt(p^K / 2^67): the answer is unique
                     * (2ND < p^K) with a 2^66 margin against accidental
                     * small fractions */
                    fmpz_fdiv_q_2exp(Nb, m, 67);
                    fmpz_sqrt(Nb, Nb);
                    if (!fmpz_is_zero(Nb) && _fmpq_reconstruct_fmpz_2(nn, dd, a, m, Nb, Nb)) {
                        fmpz_lcm(J->d, J->d, dd);
                        J->done[c] = 1;
                    }
                }
                all &= J->done[c];
            }
            fmpz_clear(a); fmpz_clear(m); fmpz_clear(Nb); fmpz_clear(nn); fmpz_clear(dd);
            J->next = K + FLINT_MAX(4, K / 8);
            J->t_recon += dx_now() - t0;
        }
        if (all) { J->status = 0; stop = 1; }
        else if (K >= J->K_cap) { J->status = -1; stop = 1; }
    } else {
        /* D B = A Y_K + p^K R_K exactly; R_K = 0 with all of D injected
         * proves A Y_K = D B */
        if (K >= L->ninj && dx_lift_zero(L, -1)) { J->status = 0; stop = 1; }
        else if (K >= J->next || K >= J->K_cap) {
            /* look for a small denominator (<= 2^64) of the combinations */
            fmpz_t a, m, Nb, Db, nn, dd;
            int found = 0;
            double t0 = dx_now();
            fmpz_init(a); fmpz_init(m); fmpz_init(Nb); fmpz_init(Db); fmpz_init(nn); fmpz_init(dd);
            fmpz_one(Db);
            fmpz_mul_2exp(Db, Db, 64);
            for (c = 0; c < L->ncomb; c++) {
                dx_digits_get(a, L->cdig[c], 1, K, J->P, &J->cb, 1);
                fmpz_set_ui_array(m, J->cb.pK, J->cb.npK);
                fmpz_fdiv_q_2exp(Nb, m, 131);        /* 2 Nb Db <= p^K / 2^66 */
                if (!fmpz_is_zero(Nb) && _fmpq_reconstruct_fmpz_2(nn, dd, a, m, Nb, Db)
                    && !fmpz_is_one(dd)) {
                    fmpz_lcm(J->d, J->d, dd);
                    found = 1;
                }
            }
            fmpz_clear(a); fmpz_clear(m); fmpz_clear(Nb); fmpz_clear(Db); fmpz_clear(nn); fmpz_clear(dd);
            J->next = K + FLINT_MAX(4, K / 8);
            J->t_recon += dx_now() - t0;
            if (found) { J->status = 1; stop = 1; }
        }
        if (!stop && K >= J->K_cap) { J->status = -1; stop = 1; }
    }
    return stop;
}

static void dx_do_chunk(dx_lift_t *L, int phase, int ch, slong K)
{
    if (phase == 1)
        dx_phase_b(L, ch, K);
    else
        dx_phase_c(L, ch, K);
}

/* main thread: publish a phase, take chunks until none is left, wait for
 * the chunks a helper took */
static void dx_run_phase(dx_lift_t *L, int phase, slong K)
{
    dx_sched_t *S = &L->sc;
    uint64_t st, ep;
    int spins = 0;
    double t0, t1;
    if (L->nth <= 1 || atomic_load_explicit(&S->solo, memory_order_relaxed)) {
        int ch;
        for (ch = 0; ch < L->nch; ch++)
            dx_do_chunk(L, phase, ch, K);
        return;
    }
    t0 = dx_now();
    S->phase = phase;
    S->K = K;
    atomic_store_explicit(&S->done, 0, memory_order_relaxed);
    ep = (atomic_load_explicit(&S->state, memory_order_relaxed) >> 32) + 1;
    atomic_store_explicit(&S->state, ep << 32, memory_order_release);
    for (;;) {
        st = atomic_load_explicit(&S->state, memory_order_acquire);
        if ((int) (st & 0xffffffffu) >= S->nchunks)
            break;
        if (atomic_compare_exchange_weak_explicit(&S->state, &st, st + 1,
                                                  memory_order_acq_rel, memory_order_acquire)) {
            dx_do_chunk(L, phase, (int) (st & 0xffffffffu), K);
            atomic_fetch_add_explicit(&S->done, 1, memory_order_release);
        }
    }
    t1 = dx_now();
    while (atomic_load_explicit(&S->done, memory_order_acquire) < S->nchunks)
        dx_spin_pause(&spins);
    /* A helper that keeps the main thread waiting (it was descheduled
     * holding a chunk: the machine is oversubscribed) costs more than it
     * brings once the waits pass half of the phase time (alone, the main
     * thread would need work_main + work_helper <= 2 (1 - f) t): check every
     * 64 phases, retire it above 45%. Who computes a chunk never changes
     * the result. */
    S->t_wait += dx_now() - t1;
    S->t_work += dx_now() - t0;
    if (++S->phases % 64 == 0) {
        if (S->t_wait > 0.45 * S->t_work)
            atomic_store_explicit(&S->solo, 1, memory_order_release);
        S->t_wait = S->t_work = 0.0;
    }
}

/* helper thread: take chunks of whatever phase is published */
static void *dx_helper_main(void *arg)
{
    dx_lift_t *L = arg;
    dx_sched_t *S = &L->sc;
    int spins = 0;
    while (!atomic_load_explicit(&S->quit, memory_order_acquire)) {
        uint64_t st = atomic_load_explicit(&S->state, memory_order_acquire);
        if (atomic_load_explicit(&S->solo, memory_order_acquire)) {
            /* retired: stay out of the way until the lifting ends */
            struct timespec ts = {0, 200000};
            nanosleep(&ts, NULL);
            continue;
        }
        if ((int) (st & 0xffffffffu) < S->nchunks
            && atomic_compare_exchange_weak_explicit(&S->state, &st, st + 1,
                                                     memory_order_acq_rel, memory_order_acquire)) {
            /* phase and K were written before the epoch was published */
            dx_do_chunk(L, S->phase, (int) (st & 0xffffffffu), S->K);
            atomic_fetch_add_explicit(&S->done, 1, memory_order_release);
            spins = 0;
        } else
            dx_spin_pause(&spins);
    }
    flint_cleanup();   /* FLINT's thread-local caches (generic path) */
    return NULL;
}

static void dx_run_job(dx_job_t *J)
{
    dx_lift_t *L = &J->L;
    pthread_t th;
    int helper = 0;
    slong K = 0;
    int ch;
    if (L->nth > 1)
        helper = pthread_create(&th, NULL, dx_helper_main, L) == 0;
    if (!helper) {
        L->nth = 1;             /* no thread: the main thread takes every chunk */
    }
    for (ch = 0; ch < L->nch; ch++)
        dx_phase_a(L, ch, 0);
    for (;;) {
        dx_run_phase(L, 1, K);
        if (dx_control(J, K))
            break;
        /* room for digit K + 1 (nobody touches the digits now) */
        if (L->keep_digits && K + 2 > L->dig_cap) {
            L->dig_cap *= 2;
            L->dig = flint_realloc(L->dig, sizeof(int32_t) * L->dig_cap * L->N);
        }
        dx_run_phase(L, 2, K);
        K++;
    }
    if (helper) {
        atomic_store_explicit(&L->sc.quit, 1, memory_order_release);
        pthread_join(th, NULL);
    }
}

/* ------------------------------------------------------------------ */
/* bounds for the caps (log2, generous; a cap only triggers a fallback) */
/* ------------------------------------------------------------------ */

/* log2 of the Euclidean norm of column j of M, upper bound */
static double dx_log2_colnorm(const fmpz_mat_t M, slong j)
{
    slong i, r = fmpz_mat_nrows(M), e = 0;
    double s = 0.0;
    int small = 1;
    for (i = 0; i < r && small; i++) {
        slong v = *fmpz_mat_entry(M, i, j);
        if (COEFF_IS_MPZ(v) || FLINT_ABS(v) >= (WORD(1) << 52))
            small = 0;
        else
            s += (double) v * (double) v;       /* relative error ~ r 2^-53 */
    }
    if (small)
        return (s == 0.0) ? -1e300 : 0.5 * log2(s) + 1e-6;
    s = 0.0;
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
    slong cap = (slong) ((double) fmpz_bits(D) / (md->log2p - 1.0)) + 4, K = 0;
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
    slong e0, e1;
} dx_conv_job_t;

static void *dx_conv_main(void *arg)
{
    /* entries in blocks of 64: the digits of step t for 64 consecutive
     * entries are 4 cache lines (a column walk would miss on every digit) */
    enum { BLK = 64 };
    dx_conv_job_t *C = arg;
    const dx_lift_t *L = C->L;
    const slong K = L->K, N = L->N;
    const int64_t p = (int64_t) C->P->p;
    dx_cbuf_t cb;
    uint32_t *u = flint_malloc(sizeof(uint32_t) * BLK * (K + 1));
    slong e0, e, t;
    dx_cbuf_init(&cb);
    for (e0 = C->e0; e0 < C->e1; e0 += BLK) {
        slong nb = FLINT_MIN(BLK, C->e1 - e0), b;
        int64_t borrow[BLK];
        for (b = 0; b < nb; b++)
            borrow[b] = 0;
        /* digits to [0, p) with borrows: value = U - [borrow] p^K */
        for (t = 0; t < K; t++) {
            const int32_t *dg = L->dig + t * N + e0;
            for (b = 0; b < nb; b++) {
                int64_t v = (int64_t) dg[b] + borrow[b];
                borrow[b] = (v < 0) ? -1 : 0;
                u[b * K + t] = (uint32_t) (v < 0 ? v + p : v);
            }
        }
        for (b = 0; b < nb; b++) {
            e = e0 + b;
            dx_udigits_get(fmpz_mat_entry(C->Y, e / L->kg, e % L->kg), u + b * K,
                           borrow[b] != 0, K, C->P, &cb, 0);
        }
    }
    flint_free(u);
    dx_cbuf_clear(&cb);
    return NULL;
}

static void *dx_conv_thread(void *arg)
{
    dx_conv_main(arg);
    flint_cleanup();
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
    int ret = LMO_ELIMIT, threads, attempt, ok, simd;
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
    simd = !opts.no_simd && dx_simd_available();
    for (i = 0; i < n; i++)
        for (j = 0; j < n; j++)
            if (fmpz_cmpabs(fmpz_mat_entry(A, i, j), cx.amax) > 0)
                fmpz_abs(cx.amax, fmpz_mat_entry(A, i, j));
    if (fmpz_is_zero(cx.amax)) { ret = LMO_EFAIL; goto out; }
    hmax = dx_choose_limbs(&cx, n, cx.amax);
    if (hmax <= 0) goto fallback;
    threads = opts.threads > 0 ? FLINT_MIN(opts.threads, DX_MAXTH) : (n >= 96 ? 2 : 1);
    stats->threads = threads;

    /* limbs of A (balanced, gam bits each), stacked */
    {
        fmpz_t t, q;
        double lm = 0.0, limb[DX_MAXT];
        Am = dx_alloc(sizeof(double) * n * n);
        if (!Am || !dx_pm_init(&cx.Al, cx.T * cx.npad, n, simd)
            || !dx_pm_init(&cx.C, cx.npad, n, simd))
            goto out;
        fmpz_init(t); fmpz_init(q);
        for (j = 0; j < n; j++)
            for (i = 0; i < n; i++) {
                int s;
                dx_split_fmpz(limb, fmpz_mat_entry(A, i, j), cx.gam, cx.T, t, q);
                for (s = 0; s < cx.T; s++) {
                    dx_pm_set(&cx.Al, s * cx.npad + i, j, limb[s]);
                    lm = FLINT_MAX(lm, fabs(limb[s]));
                }
            }
        fmpz_clear(t); fmpz_clear(q);
        /* recheck the A x bound with the actual limbs: n Lmax h <= 2^53 */
        while ((double) n * lm * (double) hmax > 2.0 * DX_TWO52)
            hmax--;
    }

    /* prime with A invertible mod p */
    t0 = dx_now();
    for (attempt = 0; attempt < 4; attempt++) {
        p = dx_random_prime(&rng, hmax, p);
        if (p == 0) goto fallback;
        dx_mod_init(&cx.md, p);
        cx.md.simd = simd;
        stats->primes_tried = attempt + 1;
        for (i = 0; i < n; i++)
            for (j = 0; j < n; j++)
                Am[i * n + j] = (double) dx_redz(fmpz_mat_entry(A, i, j), &cx.md);
        ok = dx_inverse(&cx.C, Am, n, &cx.md, threads);
        if (ok < 0) goto out;
        if (ok == 1) break;
    }
    stats->t_inverse = dx_now() - t0;
    if (attempt == 4) { ret = LMO_EFAIL; goto out; }
    stats->prime = p;
    if (k == 0) { fmpz_one(den); ret = LMO_OK; goto out; }

    dx_hadamard(&lHA, &lHX, A, B);
    dx_pow_init(&P, p);
    have_pow = 1;

    /* ---- phase 2: denominator from random combinations ---- */
    t0 = dx_now();
    {
        int ncol = (opts.no_multiplier || k == 1) ? 1 : 2;
        dx_job_t J;
        /* w = u^T z, z = A^-1 B c: den_w <= |det A| <= H_A and
         * |num_w| <= |u|_1 |c|_1 H_X with |u|_1 <= 2^15 n, |c|_1 <= 2^7 k;
         * reconstruction with the 2^67 margin surely succeeds once
         * p^K > 2^70 max(...)^2 */
        double capb = 2.0 * FLINT_MAX(lHA, lHX + 22.0 + log2((double) n) + log2((double) k)) + 80.0;
        for (j = 0; j < ncol; j++)
            for (i = 0; i < k; i++)
                fmpz_set_si(fmpz_mat_entry(comb, i, j),
                            (k == 1) ? 1 : (slong) lmo_rng_below(&rng, 257) - 128);
        memset(&J, 0, sizeof(J));
        fmpz_init(J.d);
        fmpz_one(J.d);
        dx_cbuf_init(&J.cb);
        J.phase = 2;
        J.P = &P;
        J.K_cap = (slong) (capb / cx.md.log2p) + 8;
        J.K_first = J.next = (slong) (70.0 / cx.md.log2p) + 1;
        dx_pow_ensure(&P, J.K_cap + 1);
        {
            fmpz_mat_t cw;
            fmpz_mat_window_init(cw, comb, 0, 0, k, ncol);
            ok = dx_lift_init(&J.L, &cx, B, 0, ncol, cw, NULL, 0, 0, ncol, &rng,
                              opts.force_generic, opts.force_wide, threads);
            fmpz_mat_window_clear(cw);
        }
        if (ok == 0) {
            /* combination c looks only at column c */
            slong l, c;
            for (c = 0; c < ncol; c++)
                for (l = 0; l < n; l++)
                    for (j = 0; j < ncol; j++)
                        if (j != c)
                            J.L.u[c * J.L.N + l * ncol + j] = 0;
            dx_run_job(&J);
        } else
            J.status = -2;
        stats->steps_den = J.L.K;
        stats->t_recon += J.t_recon;
        stats->generic |= !J.L.fast && !J.L.wide;
        stats->wide |= J.L.wide;
        stats->threads = J.L.nth;
        fmpz_set(D, J.d);
        ok = (J.status == 0);
        dx_lift_clear(&J.L);
        dx_cbuf_clear(&J.cb);
        fmpz_clear(J.d);
        stats->t_den = dx_now() - t0;
        if (!ok) goto fallback;
    }

    /* ---- phase 3: numerators, with D = d M, M = lcm(1..64): a factor
     * q^a of den missed by d (likely only for small q) is covered when
     * q^a divides M (a product, not an lcm: d may hold part of q's power) */
    if (!opts.no_multiplier) {
        ulong q;
        fmpz_one(tmpz);
        for (q = 2; q <= 64; q++) {
            fmpz_t t;
            fmpz_init_set_ui(t, q);
            fmpz_lcm(tmpz, tmpz, t);
            fmpz_clear(t);
        }
        fmpz_mul(D, D, tmpz);
    }
    t0 = dx_now();
    for (attempt = 0; attempt < 5; attempt++) {
        /* one lifting of all k columns; its rows are shared by the team */
        slong ninj;
        int32_t *dD = dx_digits_of(&ninj, D, &cx.md);
        dx_job_t J;
        int status;
        /* If D is a multiple of den, |Y| <= D H_X and Y terminates once
         * p^K > 2 D H_X. Otherwise a combination (|u|_1 <= 2^15 N) has a
         * denominator e; it is found once p^K > 2^131 |num| e, |num e| <=
         * 2^15 k n D H_X 2^64 (e <= 2^64). The cap covers both. */
        double capb = (double) fmpz_bits(D) + lHX + 15.0 + log2((double) (n * k)) + 200.0;
        memset(&J, 0, sizeof(J));
        fmpz_init(J.d);
        fmpz_one(J.d);
        dx_cbuf_init(&J.cb);
        J.phase = 3;
        J.P = &P;
        J.K_cap = (slong) (capb / cx.md.log2p) + 8;
        J.K_first = J.next = (slong) (((double) fmpz_bits(D) + 160.0) / cx.md.log2p) + 1;
        dx_pow_ensure(&P, J.K_cap + 1);
        ok = dx_lift_init(&J.L, &cx, B, 0, k, NULL, dD, ninj, 1, 2, &rng,
                          opts.force_generic, opts.force_wide, threads);
        if (ok == 0)
            dx_run_job(&J);
        else
            J.status = -2;
        status = (J.status < 0) ? -1 : J.status;
        stats->steps_num = J.L.K;
        stats->t_recon += J.t_recon;
        stats->generic |= !J.L.fast && !J.L.wide;
        stats->wide |= J.L.wide;
        stats->threads = FLINT_MAX(stats->threads, J.L.nth);
        stats->t_num = dx_now() - t0;
        if (status == 0) {
            /* proven: D B = A Y exactly (zero residual of the invariant) */
            double t1 = dx_now();
            dx_conv_job_t cj[2];
            cj[0].L = cj[1].L = &J.L;
            cj[0].e0 = 0; cj[0].e1 = J.L.N / 2;
            cj[1].e0 = J.L.N / 2; cj[1].e1 = J.L.N;
            cj[0].P = cj[1].P = &P;
            cj[0].Y = cj[1].Y = Xnum;
            if (threads > 1 && n * k >= 64) {
                pthread_t th;
                int okt = pthread_create(&th, NULL, dx_conv_thread, cj + 1) == 0;
                dx_conv_main(cj + 0);
                if (okt) pthread_join(th, NULL); else dx_conv_main(cj + 1);
            } else {
                dx_conv_main(cj + 0);
                dx_conv_main(cj + 1);
            }
            /* minimal denominator: g = gcd(D, all entries); den = D / g.
             * Usually gcd(D, Y_00, Y_01) is already g: check that it divides
             * every entry (cheap) before the full gcd loop. */
            fmpz_gcd(tmpz, D, fmpz_mat_entry(Xnum, 0, 0));
            if (k > 1)
                fmpz_gcd(tmpz, tmpz, fmpz_mat_entry(Xnum, 0, 1));
            for (i = 0; i < n && !fmpz_is_one(tmpz); i++)
                for (j = 0; j < k && !fmpz_is_one(tmpz); j++)
                    if (!fmpz_divisible(fmpz_mat_entry(Xnum, i, j), tmpz))
                        fmpz_gcd(tmpz, tmpz, fmpz_mat_entry(Xnum, i, j));
            fmpz_divexact(den, D, tmpz);
            if (!fmpz_is_one(tmpz))
                for (i = 0; i < n; i++)
                    for (j = 0; j < k; j++)
                        fmpz_divexact(fmpz_mat_entry(Xnum, i, j), fmpz_mat_entry(Xnum, i, j), tmpz);
            stats->t_convert = dx_now() - t1;
            ret = LMO_OK;
        } else if (status == 1) {
            /* J.d = lcm of the missing factors found */
            fmpz_mul(D, D, J.d);
            stats->repairs++;
        }
        dx_lift_clear(&J.L);
        dx_cbuf_clear(&J.cb);
        fmpz_clear(J.d);
        flint_free(dD);
        fmpz_one(tmpz);
        if (status != 1)
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
                                           * ((dx_i128) 1 << sh[a]);   /* a << of a negative value is UB */
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
