/*
 * dixon_internal.h -- the shared parts of the Dixon solver of
 * lmo/linalg/dixon.h (dixon_*.c in this folder): the modular and
 * packed-matrix types, the lifting state, the digit tables and the exact
 * reductions used in every inner loop. Not installed; only the dixon_*.c
 * files include it.
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
 * live in int64 when their bound Rb (lmo_dx_lift_init) is below 2^61, in
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
 *
 * The files, one phase each:
 *   dixon_modp.c       arithmetic modulo p, packed integer matrices, exact products
 *   dixon_inverse.c    C = A^-1 mod p (blocked Gauss-Jordan)              step 1
 *   dixon_lift.c       one lifting: residuals in int64 / int128 / GMP, the
 *                      three phases of a step, the combination digits
 *   dixon_team.c       a lifting run by a team of (at most) 2 threads
 *   dixon_padic.c      balanced base-p digits <-> integers, the rational
 *                      reconstruction that stops steps 2 and 3
 *   dixon_solve.c      the solver: prime and limbs of A, caps, steps 2 and 3,
 *                      minimal denominator, FLINT fallback
 *   dixon_kernel.c     the exact kernel check L X + den R == 0
 */
#ifndef LMO_LINALG_DIXON_INTERNAL_H
#define LMO_LINALG_DIXON_INTERNAL_H

#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <stdatomic.h>
#include <time.h>
#include <gmp.h>
#include <flint/flint.h>
#include <flint/fmpz.h>
#include <flint/fmpz_mat.h>
#include <flint/ulong_extras.h>
#include "lmo/linalg/dixon.h"

typedef __int128 dx_i128;
typedef unsigned __int128 dx_u128;

#define DX_TWO52 4503599627370496.0            /* 2^52 */
#define DX_MAGIC 6755399441055744.0            /* 1.5 * 2^52: round to integer */
#define DX_MAXT 64                             /* max limbs of A in the lifting */
#define DX_MAXTH 2                             /* threads per lifting team */
#define DX_MAXCH 8                             /* chunks per phase of a step */

static inline double dx_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double) ts.tv_sec + 1e-9 * (double) ts.tv_nsec;
}

static inline void *dx_alloc(size_t bytes)
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

static inline slong dx_pad16(slong n) { return (n + 15) & ~(slong) 15; }

/* ------------------------------------------------------------------ */
/* arithmetic modulo p (dixon_modp.c)                                  */
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

void lmo_dx_mod_init(dx_mod_t *md, ulong p);

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
static inline dx_i128 dx_fmpz_get_i128(const fmpz_t a)
{
    ulong hi, lo;
    fmpz_get_signed_uiui(&hi, &lo, a);
    return (dx_i128) ((dx_u128) hi << 64 | lo);
}

static inline int64_t dx_invmod(int64_t a, const dx_mod_t *md)
{
    ulong u = (ulong) (a < 0 ? a + (int64_t) md->p : a);
    int64_t r = (int64_t) n_invmod(u, md->p);
    return (r > md->h) ? r - (int64_t) md->p : r;
}

/* v[i] mod p (balanced) for |v[i]| <= 2^52 */
void lmo_dx_red_array(double *v, slong len, const dx_mod_t *md);
/* v = (v - f w) mod p, |v|, |f|, |w| <= h.  EXACT: h + h^2 <= 2^52 */
void lmo_dx_axpy_red(double *v, const double *w, double f, slong len, const dx_mod_t *md);
/* 1 when the AVX2/FMA kernels can run on this machine */
int lmo_dx_simd_available(void);

/* ------------------------------------------------------------------ */
/* packed integer matrices and exact products (dixon_modp.c)           */
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

/* 1 on success, 0 out of memory; zero entries */
int lmo_dx_pm_init(dx_pm_t *M, slong rows, slong n, int simd);
void lmo_dx_pm_clear(dx_pm_t *M);

static inline void dx_pm_set(dx_pm_t *M, slong i, slong j, double v)
{
    if (M->ai) M->ai[((i >> 4) * M->n + j) * 16 + (i & 15)] = (int32_t) v;
    else M->ad[j * M->rows + i] = v;
}

/* Y[i - r0, j] = sum_l M[i, l] X[l, j] for rows i in [r0, r1) of M
 * (multiples of 16), j < k; Y column j at Y + j ldy. X is n x k row-major.
 * Callers state the exactness bound. */
void lmo_dx_pm_mul(double *Y, slong ldy, const dx_pm_t *M, slong r0, slong r1,
                   const double *X, slong k);
/* Y (m x nc, row-major, ld pad16(nc)) = A (m x kk, row-major, ld lda)
 * B (kk x nc, row-major, ld ldb), integer entries < 2^31 in magnitude; the
 * caller states the exactness bound. With SIMD: Y^T = B^T A^T on the int32
 * kernel (B^T packed into Bt: pad16(nc) x kk; A^T into At: kk x m), which
 * keeps OpenBLAS's thread pool (and its spinning workers) out of the way. */
void lmo_dx_gemm_rm(double *Y, const double *A, slong lda, const double *B, slong ldb,
                    slong m, slong kk, slong nc, int simd, dx_pm_t *Bt, double *At,
                    int threads);

/* ------------------------------------------------------------------ */
/* A^-1 mod p (dixon_inverse.c)                                        */
/* ------------------------------------------------------------------ */

/* Am: n x n row-major balanced residues of A. On success (1) C holds
 * A^-1 mod p (balanced). 0: A is singular mod p. -1: out of memory.
 * Requires (n + 1) h^2 <= 2^52 (guaranteed by the choice of p). */
int lmo_dx_inverse(dx_pm_t *C, const double *Am, slong n, const dx_mod_t *md, int threads);

/* ------------------------------------------------------------------ */
/* lifting context: prime, inverse, limbs of A (dixon_solve.c)         */
/* ------------------------------------------------------------------ */

typedef struct {
    slong n, npad;
    dx_mod_t md;
    dx_pm_t C;          /* A^-1 mod p, npad x n */
    dx_pm_t Al;         /* limbs of A stacked: (T npad) x n */
    int T, gam;         /* A = sum_t 2^(gam t) A_t, balanced limbs */
    fmpz_t amax;        /* max |A_ij| */
} dx_ctx_t;

/* ------------------------------------------------------------------ */
/* the team's schedule (dixon_team.c): the rows of a step are cut in   */
/* chunks, claimed by CAS on (epoch, next chunk)                       */
/* ------------------------------------------------------------------ */

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

/* ------------------------------------------------------------------ */
/* the lifter (dixon_lift.c)                                           */
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

/* b = columns [j0, j0 + kg) of B (comb NULL) or b = B comb (k x kg). 0 on
 * success, -1 out of memory. */
int lmo_dx_lift_init(dx_lift_t *L, const dx_ctx_t *cx, const fmpz_mat_t B,
                     slong j0, slong kg, const fmpz_mat_t comb,
                     const int32_t *inj, slong ninj, int keep_digits,
                     int ncomb, lmo_rng_t *rng, int force_generic, int force_wide,
                     int nth);
void lmo_dx_lift_clear(dx_lift_t *L);
/* is column j of the residual zero (j < 0: all columns)? between phases */
int lmo_dx_lift_zero(const dx_lift_t *L, slong j);
/* the phases of step K on row chunk ch: A, rm = (r + d_K b) mod p; B, the
 * digit x = C rm mod p; C, the residual update (then A of step K + 1) */
void lmo_dx_phase_a(dx_lift_t *L, int ch, slong K);
void lmo_dx_phase_b(dx_lift_t *L, int ch, slong K);
void lmo_dx_phase_c(dx_lift_t *L, int ch, slong K);
/* control point of step K (main thread, between phases): fold the
 * combination digit K - 1 */
void lmo_dx_comb_fold(dx_lift_t *L, slong K);

/* ------------------------------------------------------------------ */
/* balanced base-p digits <-> integers (dixon_padic.c)                 */
/* ------------------------------------------------------------------ */

typedef struct {
    ulong p;
    double log2p;
    slong len;              /* pw[j] = p^(2^j), j < len */
    mp_limb_t **pw;
    slong *pn;
} dx_pow_t;

void lmo_dx_pow_init(dx_pow_t *P, ulong p);
void lmo_dx_pow_clear(dx_pow_t *P);
/* extend the table to cover K <= Kmax (single-threaded callers only) */
void lmo_dx_pow_ensure(dx_pow_t *P, slong Kmax);

typedef struct {
    uint32_t *u;
    mp_ptr out, sc, pK;
    slong cap, K, npK;
} dx_cbuf_t;

void lmo_dx_cbuf_init(dx_cbuf_t *B);
void lmo_dx_cbuf_clear(dx_cbuf_t *B);

/* balanced base-p digits of D > 0 (flint_free them), *len of them */
int32_t *lmo_dx_digits_of(slong *len, const fmpz_t D, const dx_mod_t *md);

/* entries [e0, e1) of Y (n x kg) from the K digits kept by a lifting */
typedef struct {
    const dx_lift_t *L;
    const dx_pow_t *P;
    fmpz_mat_struct *Y;
    slong e0, e1;
} dx_conv_job_t;
void *lmo_dx_conv_main(void *arg);
void *lmo_dx_conv_thread(void *arg);   /* lmo_dx_conv_main, then FLINT's thread cleanup */

/* ------------------------------------------------------------------ */
/* steps 2 (denominator) and 3 (numerators): one job each           */
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

/* control, thread 0, at state K (K digits done): the stopping rule of the
 * step (rational reconstruction, zero residual, cap). Returns 1 to stop. */
int lmo_dx_control(dx_job_t *J, slong K);
/* run the lifting of J to its stop, with a helper thread when J->L.nth > 1 */
void lmo_dx_run_job(dx_job_t *J);

#endif
