/*
 * bench/rank -- LAPACK's float rank against lmo's certified exact rank on the
 * same matrices, in one process (issue "Foundation", Performance):
 *   (a) 2500 x 2000 random doubles (full rank): gesdd rank vs certified rank
 *       of the exact rationals those doubles are;
 *   (b) 600 x 500 integer matrix of exact rank 490, B*C with 20-bit entries.
 * Prints both times and one `ratio` line (lmo / LAPACK) per case.
 * Not a test: timings never decide anything in ctest.
 *
 * usage: bench/rank [--small] [--reps K]   (--small: quarter-size, for a quick look)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <math.h>
#include <gmp.h>
#include <flint/fmpq_mat.h>
#include "lmo/linalg/rank.h"
#include "lmo_fast/rank.h"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double) t.tv_sec + 1e-9 * (double) t.tv_nsec;
}

/* best of `reps` runs of LAPACK rank (numpy policy: gesdd) */
static double time_lapack(const double *D, long m, long n, int reps, long *rank)
{
    lmo_fast_policy_t pol;
    lmo_fast_policy_parse(&pol, "numpy");
    double best = 1e300;
    for (int r = 0; r < reps; r++) {
        lmo_fast_rank_t fr;
        lmo_fast_rank_init(&fr);
        double t = now();
        lmo_fast_rank(&fr, D, m, n, &pol);
        t = now() - t;
        if (t < best) best = t;
        *rank = fr.rank;
        lmo_fast_rank_clear(&fr);
    }
    return best;
}

static double time_lmo(const fmpq_mat_t M, int reps, long *rank, int *tries)
{
    double best = 1e300;
    for (int r = 0; r < reps; r++) {
        lmo_rank_t R;
        lmo_err_t err;
        lmo_rank_init(R);
        double t = now();
        if (lmo_rank_certified(R, M, (ulong) r, &err) != LMO_OK) {
            fprintf(stderr, "bench: %s\n", err.msg);
            exit(3);
        }
        t = now() - t;
        if (t < best) best = t;
        *rank = R->rank;
        *tries = R->primes_tried;
        lmo_rank_clear(R);
    }
    return best;
}

/* Time both sides on the same matrix (M exactly, D its doubles) and print the ratio. */
static void run_case(const char *name, const fmpq_mat_t M, const double *D, int reps)
{
    long m = fmpq_mat_nrows(M), n = fmpq_mat_ncols(M), rl, rx;
    int tries;
    double tl = time_lapack(D, m, n, reps, &rl);
    double tx = time_lmo(M, reps, &rx, &tries);
    printf("case %s: %ld x %ld\n", name, m, n);
    printf("  lapack gesdd  rank %-5ld %.3f s\n", rl, tl);
    printf("  lmo certified rank %-5ld %.3f s (%d prime%s)\n", rx, tx, tries, tries > 1 ? "s" : "");
    printf("ratio %s %.2f\n", name, tx / tl);
    fflush(stdout);
}

int main(int argc, char **argv)
{
    int small = 0, reps = 3;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--small") == 0) small = 1;
        else if (strcmp(argv[i], "--reps") == 0 && i + 1 < argc) reps = atoi(argv[++i]);
        else { fprintf(stderr, "usage: %s [--small] [--reps K]\n", argv[0]); return 2; }
    }
    if (reps < 1) reps = 1;
    lmo_rng_t rng;
    lmo_rng_seed(&rng, 42);

    /* (a) random doubles in [-1, 1), every one an exact dyadic rational */
    {
        long m = small ? 625 : 2500, n = small ? 500 : 2000;
        double *D = malloc(sizeof(double) * (size_t) (m * n));
        fmpq_mat_t M;
        fmpq_mat_init(M, m, n);
        mpq_t q;
        mpq_init(q);
        for (long i = 0; i < m * n; i++) {
            D[i] = ldexp((double) (lmo_rng_next(&rng) >> 11), -52) - 1.0;
            mpq_set_d(q, D[i]);   /* exact */
            fmpq_set_mpq(fmpq_mat_entry(M, i / n, i % n), q);
        }
        mpq_clear(q);
        run_case("a", M, D, reps);
        fmpq_mat_clear(M);
        free(D);
    }
    /* (b) B (m x r) * C (r x n), uniform 20-bit signed entries: exact rank r */
    {
        long m = small ? 150 : 600, n = small ? 125 : 500, r = small ? 120 : 490;
        fmpz_mat_t B, C, P;
        fmpz_mat_init(B, m, r); fmpz_mat_init(C, r, n); fmpz_mat_init(P, m, n);
        for (long i = 0; i < m; i++) for (long j = 0; j < r; j++)
            fmpz_set_si(fmpz_mat_entry(B, i, j), (slong) lmo_rng_below(&rng, 1 << 21) - (1 << 20));
        for (long i = 0; i < r; i++) for (long j = 0; j < n; j++)
            fmpz_set_si(fmpz_mat_entry(C, i, j), (slong) lmo_rng_below(&rng, 1 << 21) - (1 << 20));
        fmpz_mat_mul(P, B, C);
        fmpq_mat_t M;
        fmpq_mat_init(M, m, n);
        fmpq_mat_set_fmpz_mat(M, P);
        double *D = malloc(sizeof(double) * (size_t) (m * n));
        for (long i = 0; i < m; i++) for (long j = 0; j < n; j++)
            D[i * n + j] = fmpz_get_d(fmpz_mat_entry(P, i, j));   /* < 2^53: exact */
        run_case("b", M, D, reps);
        free(D);
        fmpq_mat_clear(M);
        fmpz_mat_clear(B); fmpz_mat_clear(C); fmpz_mat_clear(P);
    }
    return 0;
}
