/*
 * test_dixon.c -- lmo_dixon_solve against FLINT's fraction-free solver (a
 * different algorithm: Bareiss elimination over Z), and lmo_zmat_check_kernel
 * against L X + den R computed with fmpz_mat_mul. Deterministic seeds; a few
 * seconds.
 *
 * `test_dixon --slow` (ctest unit.test_dixon_slow, label slow): larger systems,
 * verified independently of the solver: A Xnum == den B by fmpz_mat_mul, den > 0
 * and gcd(den, entries of Xnum) = 1 (together: Xnum / den is THE solution with the
 * minimal denominator, A being non-singular by FLINT's rank). Includes the issue-2
 * matrix (600 x 500, rank 490, 21-bit factors) through modular pivots, and
 * lmo_zmat_check_kernel on all its rows.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <flint/fmpz.h>
#include <flint/fmpz_mat.h>
#include <flint/fmpq.h>
#include <flint/fmpq_mat.h>
#include <flint/nmod_mat.h>
#include <flint/ulong_extras.h>
#include "lmo/core/common.h"
#include "lmo/linalg/dixon.h"
#include "lmo_test.h"

/* uniform in [-(2^bits - 1), 2^bits - 1] (bits >= 1) */
static void rand_fmpz(fmpz_t x, lmo_rng_t *rng, int bits)
{
    int done = 0;
    fmpz_zero(x);
    while (done < bits) {
        int w = (bits - done >= 32) ? 32 : bits - done;
        fmpz_mul_2exp(x, x, (ulong) w);
        fmpz_add_ui(x, x, lmo_rng_next(rng) & ((UWORD(1) << w) - 1));
        done += w;
    }
    if (lmo_rng_next(rng) & 1)
        fmpz_neg(x, x);
}

static void rand_mat(fmpz_mat_t M, lmo_rng_t *rng, int bits)
{
    for (slong i = 0; i < fmpz_mat_nrows(M); i++)
        for (slong j = 0; j < fmpz_mat_ncols(M); j++)
            rand_fmpz(fmpz_mat_entry(M, i, j), rng, bits);
}

/* Compare (Xnum, den) with FLINT's fraction-free solution: same rational
 * matrix, and den = lcm of its denominators. Returns 1 if it matches. */
static int matches_reference(const fmpz_mat_t Xnum, const fmpz_t den,
                             const fmpz_mat_t A, const fmpz_mat_t B)
{
    slong r = fmpz_mat_nrows(A), k = fmpz_mat_ncols(B);
    fmpq_mat_t Xq;
    fmpz_t l, t;
    int ok = 1;
    fmpq_mat_init(Xq, r, k);
    fmpz_init(l); fmpz_init(t);
    if (!fmpq_mat_solve_fmpz_mat_fraction_free(Xq, A, B))
        ok = 0;
    fmpz_one(l);
    for (slong i = 0; ok && i < r; i++)
        for (slong j = 0; j < k; j++) {
            fmpz_lcm(l, l, fmpq_mat_entry_den(Xq, i, j));
            /* Xnum_ij / den == num / d  <=>  Xnum_ij d == num den */
            fmpz_mul(t, fmpz_mat_entry(Xnum, i, j), fmpq_mat_entry_den(Xq, i, j));
            fmpz_submul(t, fmpq_mat_entry_num(Xq, i, j), den);
            if (!fmpz_is_zero(t)) ok = 0;
        }
    if (ok && !fmpz_equal(l, den)) ok = 0;
    fmpq_mat_clear(Xq);
    fmpz_clear(l); fmpz_clear(t);
    return ok;
}

/* solve with options and compare with the reference; returns the rc */
static int solve_and_compare(const fmpz_mat_t A, const fmpz_mat_t B, ulong seed,
                             const lmo_dixon_opts_t *opts, lmo_dixon_stats_t *st,
                             const char *what)
{
    slong r = fmpz_mat_nrows(A), k = fmpz_mat_ncols(B);
    fmpz_mat_t X;
    fmpz_t den;
    lmo_dixon_stats_t st_local;
    fmpz_mat_init(X, r, k);
    fmpz_init(den);
    lmo_dixon_stats_t *s = st ? st : &st_local;
    int rc = lmo_dixon_solve_opts(X, den, A, B, seed, opts, s);
    CHECKF(rc == LMO_OK, "%s: r=%ld k=%ld rc=%d", what, r, k, rc);
    /* the FLINT fallback would mask a wrong lifting: it must not be needed
     * unless forced, or provoked by no_multiplier */
    if (opts == NULL || (!opts->force_fallback && !opts->no_multiplier))
        CHECKF(!s->fallback, "%s: r=%ld k=%ld fell back to FLINT", what, r, k);
    if (rc == LMO_OK) {
        CHECKF(fmpz_sgn(den) > 0, "%s: den <= 0", what);
        CHECKF(matches_reference(X, den, A, B), "%s: r=%ld k=%ld differs from fraction-free",
               what, r, k);
    }
    fmpz_mat_clear(X);
    fmpz_clear(den);
    return rc;
}

/* A random matrix that is non-singular (checked by FLINT's rank) */
static void rand_nonsingular(fmpz_mat_t A, lmo_rng_t *rng, int bits)
{
    slong r = fmpz_mat_nrows(A);
    do {
        rand_mat(A, rng, bits);
        /* small bit sizes: make the diagonal dominant now and then */
        if (bits <= 2 && (lmo_rng_next(rng) & 1))
            for (slong i = 0; i < r; i++)
                fmpz_add_si(fmpz_mat_entry(A, i, i), fmpz_mat_entry(A, i, i), 3 * r);
    } while (fmpz_mat_rank(A) < r);
}

static void test_random_shapes(void)
{
    static const slong rs[] = {1, 2, 3, 4, 5, 7, 8, 12, 16, 17, 23, 31, 33, 47, 60};
    static const int bitsv[] = {1, 2, 5, 10, 21, 30, 45, 62, 64, 100, 200};
    lmo_rng_t rng;
    lmo_rng_seed(&rng, 1);
    int n_cases = 0;
    for (size_t a = 0; a < sizeof rs / sizeof rs[0]; a++)
        for (slong k = 0; k <= 5; k++) {
            slong r = rs[a];
            /* big entries only on small systems (the multiprecision residual
             * path is slower), all sizes on the fast path */
            int bits = bitsv[(a * 7 + (size_t) k * 3) % (sizeof bitsv / sizeof bitsv[0])];
            if (r > 20 && bits > 64) bits = 30;
            if (r > 40 && (k == 0 || k == 4)) continue;
            fmpz_mat_t A, B;
            fmpz_mat_init(A, r, r);
            fmpz_mat_init(B, r, k);
            rand_nonsingular(A, &rng, bits);
            rand_mat(B, &rng, 1 + (int) (lmo_rng_next(&rng) % (ulong) bits));
            char what[64];
            snprintf(what, sizeof what, "random r=%ld k=%ld bits=%d", r, k, bits);
            solve_and_compare(A, B, 100 + n_cases, NULL, NULL, what);
            n_cases++;
            fmpz_mat_clear(A);
            fmpz_mat_clear(B);
        }
    printf("random shapes: %d systems\n", n_cases);
}

static void test_singular(void)
{
    lmo_rng_t rng;
    lmo_rng_seed(&rng, 2);
    static const slong rs[] = {1, 2, 3, 6, 20, 40};
    for (size_t a = 0; a < sizeof rs / sizeof rs[0]; a++) {
        slong r = rs[a];
        for (int kind = 0; kind < 3; kind++) {
            fmpz_mat_t A, B, X;
            fmpz_t den;
            fmpz_mat_init(A, r, r); fmpz_mat_init(B, r, 2); fmpz_mat_init(X, r, 2);
            fmpz_init(den);
            rand_mat(A, &rng, 20);
            rand_mat(B, &rng, 20);
            if (kind == 0) {                     /* zero matrix */
                fmpz_mat_zero(A);
            } else if (kind == 1) {              /* last row = sum of two rows */
                for (slong j = 0; j < r; j++)
                    fmpz_add(fmpz_mat_entry(A, r - 1, j), fmpz_mat_entry(A, 0, j),
                             fmpz_mat_entry(A, r > 2 ? 1 : 0, j));
                if (r == 1) fmpz_zero(fmpz_mat_entry(A, 0, 0));
            } else {                             /* a column times 3 */
                for (slong i = 0; i < r; i++)
                    fmpz_mul_ui(fmpz_mat_entry(A, i, r - 1), fmpz_mat_entry(A, i, 0), 3);
                if (r == 1) fmpz_zero(fmpz_mat_entry(A, 0, 0));
            }
            CHECKF(fmpz_mat_rank(A) < r, "singular construction r=%ld kind=%d", r, kind);
            int rc = lmo_dixon_solve(X, den, A, B, 5 + kind);
            CHECKF(rc == LMO_EFAIL, "singular r=%ld kind=%d: rc=%d", r, kind, rc);
            /* k = 0 must still report singularity */
            fmpz_mat_t B0, X0;
            fmpz_mat_init(B0, r, 0); fmpz_mat_init(X0, r, 0);
            rc = lmo_dixon_solve(X0, den, A, B0, 9);
            CHECKF(rc == LMO_EFAIL, "singular r=%ld kind=%d k=0: rc=%d", r, kind, rc);
            fmpz_mat_clear(B0); fmpz_mat_clear(X0);
            fmpz_mat_clear(A); fmpz_mat_clear(B); fmpz_mat_clear(X);
            fmpz_clear(den);
        }
    }
}

static void test_special(void)
{
    lmo_rng_t rng;
    lmo_rng_seed(&rng, 3);
    /* identity: X = B exactly, den = 1 */
    for (slong r = 1; r <= 70; r += 23) {
        fmpz_mat_t A, B, X;
        fmpz_t den;
        fmpz_mat_init(A, r, r); fmpz_mat_init(B, r, 3); fmpz_mat_init(X, r, 3);
        fmpz_init(den);
        fmpz_mat_one(A);
        rand_mat(B, &rng, 40);
        CHECKF(lmo_dixon_solve(X, den, A, B, 1) == LMO_OK, "identity r=%ld", r);
        CHECKF(fmpz_is_one(den) && fmpz_mat_equal(X, B), "identity r=%ld: X != B", r);
        /* B = 0: X = 0, den = 1 */
        fmpz_mat_zero(B);
        rand_nonsingular(A, &rng, 10);
        CHECKF(lmo_dixon_solve(X, den, A, B, 2) == LMO_OK, "B=0 r=%ld", r);
        CHECKF(fmpz_is_one(den) && fmpz_mat_is_zero(X), "B=0 r=%ld: X != 0 or den != 1", r);
        fmpz_mat_clear(A); fmpz_mat_clear(B); fmpz_mat_clear(X);
        fmpz_clear(den);
    }
    /* huge entries */
    {
        static const int hb[] = {300, 1000};
        for (int a = 0; a < 2; a++) {
            fmpz_mat_t A, B;
            fmpz_mat_init(A, 4, 4); fmpz_mat_init(B, 4, 2);
            rand_nonsingular(A, &rng, hb[a]);
            rand_mat(B, &rng, hb[a] / 2);
            solve_and_compare(A, B, 7, NULL, NULL, "huge entries");
            fmpz_mat_clear(A); fmpz_mat_clear(B);
        }
    }
    /* unimodular with one huge entry: integer solution */
    {
        fmpz_mat_t A, B;
        fmpz_mat_init(A, 6, 6); fmpz_mat_init(B, 6, 2);
        fmpz_mat_one(A);
        rand_fmpz(fmpz_mat_entry(A, 0, 5), &rng, 400);
        rand_fmpz(fmpz_mat_entry(A, 3, 1), &rng, 30);
        rand_mat(B, &rng, 50);
        solve_and_compare(A, B, 8, NULL, NULL, "unimodular huge");
        fmpz_mat_clear(A); fmpz_mat_clear(B);
    }
    /* 1 x 1 systems, including negative and even entries */
    {
        static const slong av[] = {1, -1, 2, -6, 7, 1024, -3 * 5 * 7 * 11 * 13};
        for (size_t a = 0; a < sizeof av / sizeof av[0]; a++) {
            fmpz_mat_t A, B;
            fmpz_mat_init(A, 1, 1); fmpz_mat_init(B, 1, 3);
            fmpz_set_si(fmpz_mat_entry(A, 0, 0), av[a]);
            fmpz_set_si(fmpz_mat_entry(B, 0, 0), 1);
            fmpz_set_si(fmpz_mat_entry(B, 0, 1), -35);
            fmpz_set_si(fmpz_mat_entry(B, 0, 2), 1001);
            solve_and_compare(A, B, 9, NULL, NULL, "1x1");
            fmpz_mat_clear(A); fmpz_mat_clear(B);
        }
    }
    /* r = 0 and mismatched dimensions */
    {
        fmpz_mat_t A, B, X;
        fmpz_t den;
        fmpz_init(den);
        fmpz_mat_init(A, 0, 0); fmpz_mat_init(B, 0, 3); fmpz_mat_init(X, 0, 3);
        CHECKF(lmo_dixon_solve(X, den, A, B, 1) == LMO_OK && fmpz_is_one(den), "r = 0");
        fmpz_mat_clear(A); fmpz_mat_clear(B); fmpz_mat_clear(X);
        fmpz_mat_init(A, 3, 3); fmpz_mat_init(B, 3, 2); fmpz_mat_init(X, 3, 3);
        fmpz_mat_one(A);
        CHECKF(lmo_dixon_solve(X, den, A, B, 1) == LMO_EINPUT, "X has wrong shape");
        fmpz_mat_clear(A); fmpz_mat_clear(B); fmpz_mat_clear(X);
        fmpz_mat_init(A, 3, 4); fmpz_mat_init(B, 3, 2); fmpz_mat_init(X, 3, 2);
        CHECKF(lmo_dixon_solve(X, den, A, B, 1) == LMO_EINPUT, "A not square");
        fmpz_mat_clear(A); fmpz_mat_clear(B); fmpz_mat_clear(X);
        fmpz_clear(den);
    }
}

/* A = U diag(s) V with unimodular U, V: den has the small primes of s */
static void unimodular_mix(fmpz_mat_t A, lmo_rng_t *rng, const slong *s)
{
    slong r = fmpz_mat_nrows(A);
    fmpz_mat_zero(A);
    for (slong i = 0; i < r; i++)
        fmpz_set_si(fmpz_mat_entry(A, i, i), s[i]);
    for (int t = 0; t < 6 * r; t++) {
        slong i = (slong) lmo_rng_below(rng, (ulong) r), j = (slong) lmo_rng_below(rng, (ulong) r);
        slong c = (slong) lmo_rng_below(rng, 7) - 3;
        if (i == j || c == 0) continue;
        if (t & 1)   /* row i += c row j */
            for (slong q = 0; q < r; q++)
                fmpz_addmul_si(fmpz_mat_entry(A, i, q), fmpz_mat_entry(A, j, q), c);
        else         /* column i += c column j */
            for (slong q = 0; q < r; q++)
                fmpz_addmul_si(fmpz_mat_entry(A, q, i), fmpz_mat_entry(A, q, j), c);
    }
}

static void test_paths(void)
{
    lmo_rng_t rng;
    lmo_rng_seed(&rng, 4);
    lmo_dixon_opts_t o;
    lmo_dixon_stats_t st;
    int repairs = 0, fallbacks = 0, generic = 0, teams = 0;

    /* small denominators (2, 3, 4, 8, 9, ...): with M = 1 and a single
     * combination a factor is often missed, which the repair must fix */
    for (int t = 0; t < 24; t++) {
        slong r = 5 + t % 7;
        slong s[16];
        for (slong i = 0; i < r; i++) {
            static const slong smalls[] = {1, 1, 2, 3, 4, 6, 8, 9, 12, 16, 27, 1};
            s[i] = smalls[lmo_rng_below(&rng, 12)];
        }
        fmpz_mat_t A, B;
        fmpz_mat_init(A, r, r); fmpz_mat_init(B, r, 1 + t % 3);
        unimodular_mix(A, &rng, s);
        rand_mat(B, &rng, 8);
        lmo_dixon_opts_init(&o);
        o.no_multiplier = 1;
        solve_and_compare(A, B, 300 + t, &o, &st, "no multiplier");
        repairs += st.repairs > 0;
        fallbacks += st.fallback;
        /* the default path on the same system */
        solve_and_compare(A, B, 300 + t, NULL, &st, "small denominators");
        CHECKF(!st.fallback, "small denominators: unexpected fallback");
        fmpz_mat_clear(A); fmpz_mat_clear(B);
    }
    printf("no-multiplier runs: %d repaired, %d fell back\n", repairs, fallbacks);
    CHECKF(repairs > 0, "the repair path never ran");

    /* forced multiprecision residuals, forced fallback, 1 vs 2 threads */
    for (int t = 0; t < 6; t++) {
        slong r = 10 + 11 * t, k = 1 + t % 4;
        fmpz_mat_t A, B, X1, X2;
        fmpz_t d1, d2;
        fmpz_mat_init(A, r, r); fmpz_mat_init(B, r, k);
        fmpz_mat_init(X1, r, k); fmpz_mat_init(X2, r, k);
        fmpz_init(d1); fmpz_init(d2);
        rand_nonsingular(A, &rng, 12 + 5 * t);
        rand_mat(B, &rng, 20);
        lmo_dixon_opts_init(&o);
        o.force_generic = 1;
        o.threads = 1 + t % 2;
        solve_and_compare(A, B, 400 + t, &o, &st, "force generic");
        generic += st.generic;
        lmo_dixon_opts_init(&o);
        o.no_simd = 1;
        o.threads = 1 + t % 2;
        solve_and_compare(A, B, 400 + t, &o, &st, "no simd");
        CHECKF(!st.fallback, "no simd: fell back");
        lmo_dixon_opts_init(&o);
        o.force_fallback = 1;
        solve_and_compare(A, B, 400 + t, &o, &st, "force fallback");
        CHECKF(st.fallback == 1, "force fallback did not fall back");
        lmo_dixon_opts_init(&o);
        o.threads = 1;
        CHECKF(lmo_dixon_solve_opts(X1, d1, A, B, 500 + t, &o, &st) == LMO_OK, "threads 1");
        CHECKF(st.threads == 1 && !st.fallback, "threads 1 used %d, fallback %d", st.threads, st.fallback);
        o.threads = 2;
        CHECKF(lmo_dixon_solve_opts(X2, d2, A, B, 600 + t, &o, &st) == LMO_OK, "threads 2");
        CHECKF(!st.fallback, "threads 2: fell back");
        teams += st.threads == 2;
        CHECKF(fmpz_equal(d1, d2) && fmpz_mat_equal(X1, X2), "1 vs 2 threads differ r=%ld", r);
        CHECKF(matches_reference(X2, d2, A, B), "2 threads r=%ld", r);
        fmpz_mat_clear(A); fmpz_mat_clear(B); fmpz_mat_clear(X1); fmpz_mat_clear(X2);
        fmpz_clear(d1); fmpz_clear(d2);
    }
    CHECKF(generic == 6, "force_generic not honoured (%d)", generic);
    CHECKF(teams > 0, "no run used a 2-thread team");

    /* residual width by entry size: int64, int128 and fmpz each solve the
     * same system as FLINT (matches_reference); force_wide runs int128 on
     * systems that fit int64. Rb ~ n |A| / 2 decides the width. */
    for (int t = 0; t < 10; t++) {
        static const int bits[5] = {20, 70, 100, 118, 160};
        slong r = 6 + 7 * (t % 3), k = 1 + t % 3;
        fmpz_mat_t A, B;
        fmpz_mat_init(A, r, r); fmpz_mat_init(B, r, k);
        rand_nonsingular(A, &rng, bits[t % 5]);
        rand_mat(B, &rng, bits[(t + 2) % 5]);
        lmo_dixon_opts_init(&o);
        o.threads = 1 + t % 2;
        solve_and_compare(A, B, 700 + t, &o, &st, "entry width");
        CHECKF(!st.fallback, "entry width %d: fell back", bits[t % 5]);
        if (bits[t % 5] >= 70 && bits[t % 5] <= 100 && bits[(t + 2) % 5] <= 100)
            CHECKF(st.wide && !st.generic, "%d-bit entries: int128 expected (wide %d, generic %d)",
                   bits[t % 5], st.wide, st.generic);
        if (bits[t % 5] == 160 || bits[(t + 2) % 5] == 160)
            CHECKF(st.generic, "160-bit entries need fmpz residuals");
        lmo_dixon_opts_init(&o);
        o.force_wide = 1;
        solve_and_compare(A, B, 800 + t, &o, &st, "force wide");
        CHECKF(st.wide || st.generic, "force_wide ran int64 residuals");
        if (bits[t % 5] <= 100 && bits[(t + 2) % 5] <= 100)
            CHECKF(st.wide && !st.generic, "force_wide not honoured (%d-bit)", bits[t % 5]);
        fmpz_mat_clear(A); fmpz_mat_clear(B);
    }
}

/* ---------------- lmo_zmat_check_kernel ---------------- */

/* reference: L X + den R == 0 via fmpz_mat_mul */
static int ref_check(const fmpz_mat_t L, const fmpz_mat_t X, const fmpz_t den, const fmpz_mat_t R)
{
    slong m = fmpz_mat_nrows(L), k = fmpz_mat_ncols(X);
    fmpz_mat_t P, Q;
    fmpz_mat_init(P, m, k);
    fmpz_mat_init(Q, m, k);
    fmpz_mat_mul(P, L, X);
    fmpz_mat_scalar_mul_fmpz(Q, R, den);
    fmpz_mat_add(P, P, Q);
    int z = fmpz_mat_is_zero(P);
    fmpz_mat_clear(P);
    fmpz_mat_clear(Q);
    return z;
}

static void perturb(fmpz_mat_t L, fmpz_mat_t X, fmpz_t den, fmpz_mat_t R, lmo_rng_t *rng)
{
    for (;;) {
        int which = (int) lmo_rng_below(rng, 4);
        fmpz_mat_struct *M = which == 0 ? L : which == 1 ? X : R;
        if (which == 3) { fmpz_add_ui(den, den, 1); return; }
        if (fmpz_mat_nrows(M) == 0 || fmpz_mat_ncols(M) == 0) continue;
        slong i = (slong) lmo_rng_below(rng, (ulong) fmpz_mat_nrows(M));
        slong j = (slong) lmo_rng_below(rng, (ulong) fmpz_mat_ncols(M));
        fmpz_add_ui(fmpz_mat_entry(M, i, j), fmpz_mat_entry(M, i, j), 1);
        return;
    }
}

static void test_check(void)
{
    lmo_rng_t rng;
    lmo_rng_seed(&rng, 5);
    int zeros = 0, nonzeros = 0;
    for (int t = 0; t < 120; t++) {
        slong m = (slong) lmo_rng_below(&rng, 40), r = (slong) lmo_rng_below(&rng, 40);
        slong k = (slong) lmo_rng_below(&rng, 6);
        int bl = 1 + (int) lmo_rng_below(&rng, 70), bx = 1 + (int) lmo_rng_below(&rng, (t % 5 == 0) ? 3000 : 200);
        if (t % 17 == 0) r = 300 + (slong) lmo_rng_below(&rng, 300);
        fmpz_mat_t L, X, X0, R;
        fmpz_t den;
        fmpz_mat_init(L, m, r); fmpz_mat_init(X, r, k); fmpz_mat_init(X0, r, k);
        fmpz_mat_init(R, m, k);
        fmpz_init(den);
        rand_mat(L, &rng, bl);
        rand_mat(X0, &rng, bx);
        rand_fmpz(den, &rng, 1 + (int) lmo_rng_below(&rng, 100));
        if (fmpz_is_zero(den)) fmpz_one(den);
        if (t % 3 == 0) fmpz_abs(den, den);
        /* X = den X0, R = -L X0: L X + den R = 0 */
        fmpz_mat_scalar_mul_fmpz(X, X0, den);
        fmpz_mat_mul(R, L, X0);
        fmpz_mat_neg(R, R);
        int ref = ref_check(L, X, den, R), got = lmo_zmat_check_kernel(L, X, den, R);
        CHECKF(ref == 1 && got == 1, "check zero instance t=%d m=%ld r=%ld k=%ld: ref %d got %d",
               t, m, r, k, ref, got);
        zeros += got;
        /* one entry + 1 */
        perturb(L, X, den, R, &rng);
        ref = ref_check(L, X, den, R);
        got = lmo_zmat_check_kernel(L, X, den, R);
        CHECKF(ref == got, "check perturbed t=%d m=%ld r=%ld k=%ld: ref %d got %d", t, m, r, k, ref, got);
        nonzeros += !got;
        /* unrelated random matrices */
        rand_mat(R, &rng, bl + bx);
        ref = ref_check(L, X, den, R);
        got = lmo_zmat_check_kernel(L, X, den, R);
        CHECKF(ref == got, "check random t=%d: ref %d got %d", t, ref, got);
        fmpz_mat_clear(L); fmpz_mat_clear(X); fmpz_mat_clear(X0); fmpz_mat_clear(R);
        fmpz_clear(den);
    }
    printf("kernel check: %d zero instances, %d perturbed detected\n", zeros, nonzeros);
    CHECKF(nonzeros > 60, "too few perturbations detected (%d)", nonzeros);

    /* kernels of rank-deficient matrices, solved by lmo_dixon_solve */
    for (int t = 0; t < 6; t++) {
        slong r0 = 8 + 9 * t, m = r0 + 7, n = r0 + 3, k = n - r0;
        fmpz_mat_t B0, C0, M, A, Bm, X, L, R;
        fmpz_t den;
        fmpz_mat_init(B0, m, r0); fmpz_mat_init(C0, r0, n); fmpz_mat_init(M, m, n);
        rand_mat(B0, &rng, 10); rand_mat(C0, &rng, 10);
        fmpz_mat_mul(M, B0, C0);
        /* pivots: a leading r0 x r0 block that is non-singular */
        fmpz_mat_init(A, r0, r0); fmpz_mat_init(Bm, r0, k); fmpz_mat_init(X, r0, k);
        fmpz_mat_init(L, m, r0); fmpz_mat_init(R, m, k);
        fmpz_init(den);
        for (slong i = 0; i < m; i++) {
            for (slong j = 0; j < r0; j++) {
                fmpz_set(fmpz_mat_entry(L, i, j), fmpz_mat_entry(M, i, j));
                if (i < r0) fmpz_set(fmpz_mat_entry(A, i, j), fmpz_mat_entry(M, i, j));
            }
            for (slong j = 0; j < k; j++) {
                fmpz_set(fmpz_mat_entry(R, i, j), fmpz_mat_entry(M, i, r0 + j));
                if (i < r0) fmpz_neg(fmpz_mat_entry(Bm, i, j), fmpz_mat_entry(M, i, r0 + j));
            }
        }
        if (fmpz_mat_rank(A) == r0) {
            CHECKF(lmo_dixon_solve(X, den, A, Bm, 11 + t) == LMO_OK, "kernel solve t=%d", t);
            CHECKF(matches_reference(X, den, A, Bm), "kernel solve t=%d: reference", t);
            CHECKF(lmo_zmat_check_kernel(L, X, den, R) == 1 && ref_check(L, X, den, R) == 1,
                   "kernel of rank-%ld matrix rejected", r0);
            fmpz_add_ui(fmpz_mat_entry(L, m - 1, 0), fmpz_mat_entry(L, m - 1, 0), 1);
            CHECKF(lmo_zmat_check_kernel(L, X, den, R) == ref_check(L, X, den, R),
                   "kernel perturbed t=%d", t);
            CHECKF(lmo_zmat_check_kernel(L, X, den, R) == 0, "perturbed kernel accepted t=%d", t);
        }
        fmpz_mat_clear(B0); fmpz_mat_clear(C0); fmpz_mat_clear(M); fmpz_mat_clear(A);
        fmpz_mat_clear(Bm); fmpz_mat_clear(X); fmpz_mat_clear(L); fmpz_mat_clear(R);
        fmpz_clear(den);
    }

    /* edge cases */
    {
        fmpz_mat_t L, X, R;
        fmpz_t den;
        fmpz_init(den);
        fmpz_one(den);
        fmpz_mat_init(L, 3, 0); fmpz_mat_init(X, 0, 2); fmpz_mat_init(R, 3, 2);
        CHECKF(lmo_zmat_check_kernel(L, X, den, R) == 1, "r = 0, R = 0");
        fmpz_one(fmpz_mat_entry(R, 2, 1));
        CHECKF(lmo_zmat_check_kernel(L, X, den, R) == 0, "r = 0, R != 0");
        fmpz_zero(den);
        CHECKF(lmo_zmat_check_kernel(L, X, den, R) == 1, "r = 0, den = 0");
        fmpz_mat_clear(L); fmpz_mat_clear(X); fmpz_mat_clear(R);
        fmpz_mat_init(L, 3, 2); fmpz_mat_init(X, 3, 2); fmpz_mat_init(R, 3, 2);
        CHECKF(lmo_zmat_check_kernel(L, X, den, R) == 0, "mismatched dimensions");
        fmpz_mat_clear(L); fmpz_mat_clear(X); fmpz_mat_clear(R);
        fmpz_mat_init(L, 0, 4); fmpz_mat_init(X, 4, 2); fmpz_mat_init(R, 0, 2);
        CHECKF(lmo_zmat_check_kernel(L, X, den, R) == 1, "m = 0");
        fmpz_mat_clear(L); fmpz_mat_clear(X); fmpz_mat_clear(R);
        fmpz_clear(den);
    }
}

/* ------------------------------------------------ the slow part (--slow) */

/* A X == den B, den > 0, gcd(den, X) == 1 */
static int verify(const fmpz_mat_t X, const fmpz_t den, const fmpz_mat_t A, const fmpz_mat_t B)
{
    slong r = fmpz_mat_nrows(A), k = fmpz_mat_ncols(B);
    fmpz_mat_t P, Q;
    fmpz_t g;
    int ok;
    if (fmpz_sgn(den) <= 0)
        return 0;
    fmpz_mat_init(P, r, k);
    fmpz_mat_init(Q, r, k);
    fmpz_init(g);
    fmpz_mat_mul(P, A, X);
    fmpz_mat_scalar_mul_fmpz(Q, B, den);
    ok = fmpz_mat_equal(P, Q);
    fmpz_set(g, den);
    for (slong i = 0; i < r && !fmpz_is_one(g); i++)
        for (slong j = 0; j < k && !fmpz_is_one(g); j++)
            fmpz_gcd(g, g, fmpz_mat_entry(X, i, j));
    ok = ok && fmpz_is_one(g);
    fmpz_mat_clear(P);
    fmpz_mat_clear(Q);
    fmpz_clear(g);
    return ok;
}

static void test_issue2(void)
{
    const slong m = 600, n = 500, r0 = 490;
    lmo_rng_t rng;
    lmo_rng_seed(&rng, 2);
    fmpz_mat_t B0, C0, M;
    fmpz_mat_init(B0, m, r0); fmpz_mat_init(C0, r0, n); fmpz_mat_init(M, m, n);
    rand_mat(B0, &rng, 20);    /* |entries| < 2^20: 21-bit signed */
    rand_mat(C0, &rng, 20);
    fmpz_mat_mul(M, B0, C0);

    /* pivots mod p */
    ulong p = n_nextprime(UWORD(1) << 40, 1);
    nmod_mat_t Mp;
    nmod_mat_init(Mp, m, n, p);
    fmpz_mat_get_nmod_mat(Mp, M);
    slong *P = flint_malloc(sizeof(slong) * m), *rows = flint_malloc(sizeof(slong) * m);
    slong *cols = flint_malloc(sizeof(slong) * n), *fr = flint_malloc(sizeof(slong) * n);
    slong r = nmod_mat_lu(P, Mp, 0), c = 0, k = 0;
    CHECKF(r == r0, "issue2: rank mod p %ld", r);
    for (slong i = 0; i < r; i++) {
        if (c < i) c = i;
        while (c < n && nmod_mat_entry(Mp, i, c) == 0) c++;
        rows[i] = P[i];
        cols[i] = c++;
    }
    char *isp = calloc((size_t) n, 1);
    for (slong i = 0; i < r; i++) isp[cols[i]] = 1;
    for (slong j = 0; j < n; j++) if (!isp[j]) fr[k++] = j;
    fmpz_mat_t A, B, X, L, R;
    fmpz_mat_init(A, r, r); fmpz_mat_init(B, r, k); fmpz_mat_init(X, r, k);
    fmpz_mat_init(L, m, r); fmpz_mat_init(R, m, k);
    for (slong i = 0; i < r; i++) {
        for (slong j = 0; j < r; j++) fmpz_set(fmpz_mat_entry(A, i, j), fmpz_mat_entry(M, rows[i], cols[j]));
        for (slong j = 0; j < k; j++) fmpz_neg(fmpz_mat_entry(B, i, j), fmpz_mat_entry(M, rows[i], fr[j]));
    }
    for (slong i = 0; i < m; i++) {
        for (slong j = 0; j < r; j++) fmpz_set(fmpz_mat_entry(L, i, j), fmpz_mat_entry(M, i, cols[j]));
        for (slong j = 0; j < k; j++) fmpz_set(fmpz_mat_entry(R, i, j), fmpz_mat_entry(M, i, fr[j]));
    }
    fmpz_t den;
    fmpz_init(den);
    lmo_dixon_stats_t st;
    lmo_dixon_opts_t o;
    for (int th = 1; th <= 2; th++) {
        lmo_dixon_opts_init(&o);
        o.threads = th;
        int rc = lmo_dixon_solve_opts(X, den, A, B, 17 + th, &o, &st);
        CHECKF(rc == LMO_OK, "issue2 threads %d: rc %d", th, rc);
        CHECKF(!st.fallback, "issue2 threads %d: fell back", th);
        printf("issue2 threads %d: p=%lu steps %ld + %ld, den %ld bits\n", th, st.prime,
               st.steps_den, st.steps_num, (long) fmpz_bits(den));
        CHECKF(verify(X, den, A, B), "issue2 threads %d: A X != den B or den not minimal", th);
        CHECKF(lmo_zmat_check_kernel(L, X, den, R) == 1, "issue2: kernel check rejects");
    }
    /* perturbations must be caught */
    fmpz_add_ui(fmpz_mat_entry(R, m - 1, 3), fmpz_mat_entry(R, m - 1, 3), 1);
    CHECKF(lmo_zmat_check_kernel(L, X, den, R) == 0, "issue2: perturbed R accepted");
    fmpz_sub_ui(fmpz_mat_entry(R, m - 1, 3), fmpz_mat_entry(R, m - 1, 3), 1);
    fmpz_add_ui(fmpz_mat_entry(X, 100, 7), fmpz_mat_entry(X, 100, 7), 1);
    CHECKF(lmo_zmat_check_kernel(L, X, den, R) == 0, "issue2: perturbed X accepted");
    fmpz_sub_ui(fmpz_mat_entry(X, 100, 7), fmpz_mat_entry(X, 100, 7), 1);
    fmpz_add_ui(den, den, 1);
    CHECKF(lmo_zmat_check_kernel(L, X, den, R) == 0, "issue2: perturbed den accepted");

    fmpz_clear(den);
    fmpz_mat_clear(A); fmpz_mat_clear(B); fmpz_mat_clear(X); fmpz_mat_clear(L); fmpz_mat_clear(R);
    fmpz_mat_clear(B0); fmpz_mat_clear(C0); fmpz_mat_clear(M);
    nmod_mat_clear(Mp);
    flint_free(P); flint_free(rows); flint_free(cols); flint_free(fr);
    free(isp);
}

static void test_sweep(void)
{
    lmo_rng_t rng;
    lmo_rng_seed(&rng, 7);
    int fallbacks = 0, cases = 0;
    for (int t = 0; t < 160; t++) {
        slong r = 1 + (slong) lmo_rng_below(&rng, (t % 4 == 0) ? 200 : 90);
        slong k = (slong) lmo_rng_below(&rng, 13);
        int bits = 1 + (int) lmo_rng_below(&rng, (t % 3 == 0) ? 120 : 50);
        fmpz_mat_t A, B, X;
        fmpz_t den;
        fmpz_mat_init(A, r, r); fmpz_mat_init(B, r, k); fmpz_mat_init(X, r, k);
        fmpz_init(den);
        do rand_mat(A, &rng, bits); while (fmpz_mat_rank(A) < r);
        rand_mat(B, &rng, 1 + (int) lmo_rng_below(&rng, 80));
        lmo_dixon_opts_t o;
        lmo_dixon_stats_t st;
        lmo_dixon_opts_init(&o);
        o.threads = 1 + t % 2;
        int rc = lmo_dixon_solve_opts(X, den, A, B, (ulong) t, &o, &st);
        CHECKF(rc == LMO_OK, "sweep t=%d r=%ld k=%ld bits=%d: rc %d", t, r, k, bits, rc);
        if (rc == LMO_OK)
            CHECKF(verify(X, den, A, B), "sweep t=%d r=%ld k=%ld bits=%d: wrong", t, r, k, bits);
        fallbacks += st.fallback;
        cases++;
        fmpz_mat_clear(A); fmpz_mat_clear(B); fmpz_mat_clear(X);
        fmpz_clear(den);
    }
    printf("sweep: %d systems, %d fallbacks\n", cases, fallbacks);
    CHECKF(fallbacks == 0, "default path fell back %d times", fallbacks);
}

int main(int argc, char **argv)
{
    if (lmo_test_slow(argc, argv)) {
        test_issue2();
        test_sweep();
    } else {
        test_random_shapes();
        test_singular();
        test_special();
        test_paths();
        test_check();
    }
    flint_cleanup_master();
    return lmo_test_finish();
}
