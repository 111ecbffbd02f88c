/*
 * lmo/linalg/dixon.h -- exact solution of A X = B over Q (A square, non-singular
 * integer) and the exact kernel check behind the certified rank.
 *
 * Mirrors no paper statement directly: it is the linear-algebra engine of
 * the "rank <= r" certificate of DESIGN.md (n - r kernel vectors in echelon
 * form, M k = 0 exactly), used by lmo/linalg/rank.h.
 *
 * Algorithm (Dixon p-adic lifting, three steps):
 *  1. C = A^-1 mod p for a random prime p < 2^27 small enough that every
 *     product below is a dot product of integers whose partial sums stay
 *     <= 2^53 in magnitude, hence exact in IEEE doubles (bounds stated next
 *     to each product in oracle/src/linalg/dixon_*.c).
 *  2. Denominator: lift z = A^-1 (B c) for two random combinations c of the
 *     columns of B, rational reconstruction of a random combination of the
 *     entries of z (early termination), d = lcm of the denominators.
 *  3. Numerators: lift Y = A^-1 (d M B), M = lcm(1..64), injecting the
 *     base-p digits of d M into the residual. Y is an integer matrix, so its
 *     balanced p-adic expansion terminates: the residual becomes exactly 0.
 *     The loop invariant  d M B = A Y_K + p^K R_K  is kept exactly, so
 *     R_K = 0 *proves* A Y = d M B. Then den = d M / gcd(d M, entries of Y).
 *  A missing denominator factor is detected and repaired; FLINT's Dixon
 *  solver is the last-resort fallback. Nothing is returned unverified.
 */
#ifndef LMO_LINALG_DIXON_H
#define LMO_LINALG_DIXON_H

#include <flint/fmpz.h>
#include <flint/fmpz_mat.h>
#include "lmo/core/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Solve A X = B exactly: A r x r non-singular integer, B r x k integer.
 * On LMO_OK: Xnum (r x k, initialised by caller) and den > 0 with
 * A Xnum = den B, den minimal (lcm of the denominators of X).
 * Returns LMO_EFAIL if A is singular (or singular mod every prime tried),
 * LMO_EINPUT on mismatched dimensions, LMO_ELIMIT on internal failure.
 * seed: deterministic prime and combination choice. The result is proven
 * exactly before returning (zero residual of an exact invariant, or the
 * FLINT fallback). Uses up to 2 threads for large systems. */
int lmo_dixon_solve(fmpz_mat_t Xnum, fmpz_t den, const fmpz_mat_t A,
                    const fmpz_mat_t B, ulong seed);

/* 1 iff L * X + den * R == 0 exactly (L m x r, X r x k, R m x k; all
 * integer); 0 otherwise, including mismatched dimensions.
 * Method: L split in balanced limbs, X in balanced chunks, sized so that
 * r * max|limb| * max|chunk| <= 2^53 (every dot product of the one big
 * dgemm is exact), then the chunk sums are carried in int128 and every
 * base-2^beta digit of L X + den R must vanish: an exact zero test, no
 * modular or floating-point shortcut. Cost ~ m r k bits(X) / 11 flops:
 * pass only the rows that still need checking. */
int lmo_zmat_check_kernel(const fmpz_mat_t L, const fmpz_mat_t X,
                          const fmpz_t den, const fmpz_mat_t R);

/* ---- options and statistics (tests, benchmarks) ---- */

typedef struct {
    int threads;        /* 0: default (2 when the system is large), else 1 or 2 */
    int force_fallback; /* 1: solve with FLINT's Dixon (the last-resort path) */
    int no_multiplier;  /* 1: M = 1 and one combination in phase 2, so a
                           denominator factor is easily missed: exercises the
                           repair path */
    int force_generic;  /* 1: multiprecision residuals even when int64/int128 fit */
    int force_wide;     /* 1: int128 residuals even when int64 fits (GMP
                           when int128 does not fit) */
    int no_simd;        /* 1: portable path (doubles + cblas) even with AVX2 */
} lmo_dixon_opts_t;

typedef struct {
    ulong prime;        /* lifting prime p (0 when the fallback ran) */
    slong primes_tried; /* primes for which A was singular mod p, plus one */
    slong steps_den;    /* lifting steps of phase 2 (denominator), max over threads */
    slong steps_num;    /* lifting steps of phase 3 (numerators), last attempt */
    slong repairs;      /* phase-3 restarts after a missing denominator factor */
    int generic;        /* 1 if residuals were multiprecision (GMP mpz) */
    int wide;           /* 1 if residuals were int128 */
    int fallback;       /* 1 if FLINT's solver produced the answer */
    int threads;        /* threads used in the lifting */
    double t_inverse, t_den, t_num, t_convert; /* seconds (wall clock) */
    double t_recon;     /* part of t_den + t_num spent in reconstructions */
} lmo_dixon_stats_t;

void lmo_dixon_opts_init(lmo_dixon_opts_t *opts);

/* lmo_dixon_solve with options (NULL: defaults) and statistics (NULL: none). */
int lmo_dixon_solve_opts(fmpz_mat_t Xnum, fmpz_t den, const fmpz_mat_t A,
                         const fmpz_mat_t B, ulong seed,
                         const lmo_dixon_opts_t *opts, lmo_dixon_stats_t *stats);

#ifdef __cplusplus
}
#endif
#endif
