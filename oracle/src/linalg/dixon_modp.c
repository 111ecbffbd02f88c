/*
 * dixon_modp.c -- arithmetic modulo p and exact products of packed integer
 * matrices held in doubles (AVX2/FMA kernels, else cblas), for the Dixon
 * solver (see dixon_internal.h for the exactness argument).
 */
#include <math.h>
#include <pthread.h>
#include "dixon_internal.h"
#include <cblas.h>   /* last: it pulls in <complex.h> (macro I) */

void lmo_dx_mod_init(dx_mod_t *md, ulong p)
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

void lmo_dx_red_array(double *v, slong len, const dx_mod_t *md)
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
void lmo_dx_axpy_red(double *v, const double *w, double f, slong len, const dx_mod_t *md)
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

int lmo_dx_pm_init(dx_pm_t *M, slong rows, slong n, int simd)
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

void lmo_dx_pm_clear(dx_pm_t *M) { free(M->ai); free(M->ad); M->ai = NULL; M->ad = NULL; }

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

int lmo_dx_simd_available(void)
{
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}
#else
int lmo_dx_simd_available(void) { return 0; }
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

void lmo_dx_pm_mul(double *Y, slong ldy, const dx_pm_t *M, slong r0, slong r1,
                   const double *X, slong k)
{
    dx_pm_mul_ld(Y, ldy, M, r0, r1, X, k, k);
}

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

void lmo_dx_gemm_rm(double *Y, const double *A, slong lda, const double *B, slong ldb,
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
