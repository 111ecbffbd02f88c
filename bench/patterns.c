/*
 * bench/patterns -- exhaustive activation-pattern checking for Lemma 3 of
 * Soudry & Carmon (rank of G1^p = A1^p o X for every p), at d0 = 4, d1 = 3,
 * N = 8: 2^24 patterns. Not part of ctest (no timing in tests).
 *
 * Two instances, both with the same integer data X: random rational
 * dropout E1 (Lemma 3 holds: expect no deficient pattern) and plain leaky
 * ReLU E1 = 1 (a rank-one E1, in Lemma 3's exceptional set: many deficient
 * patterns, each with an exact certificate).
 * Beside them, the naive exact rate: build G1^p in rationals and run
 * fmpq_mat_rref per pattern, on a random sample, in the same run.
 *
 * usage: patterns [--naive K] [--seed S] [--list-all]
 * Every deficient pattern's certificate is computed and verified during the
 * walk (minor mod p; kernel vectors solved over Z and checked on every row);
 * --list-all also materialises each as an lmo_rank_t (memory and time).
 * Prints `<rate> patterns/s` per line; times are CPU time of this process.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "lmo/soudry_carmon/patterns.h"

static double cpu_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double) ts.tv_sec + 1e-9 * (double) ts.tv_nsec;
}

static void fill(fmpq_mat_t M, lmo_rng_t *r, slong bound, slong maxden)
{
    for (slong i = 0; i < fmpq_mat_nrows(M); i++)
        for (slong j = 0; j < fmpq_mat_ncols(M); j++) {
            slong v;
            do v = (slong) lmo_rng_below(r, 2 * bound + 1) - bound; while (v == 0);
            fmpq_set_si(fmpq_mat_entry(M, i, j), v, 1 + (slong) lmo_rng_below(r, maxden));
        }
}

static int run(const char *label, lmo_patterns_input_t in)
{
    lmo_patterns_result_t res;
    lmo_err_t err;
    lmo_patterns_result_init(res);
    double t0 = cpu_seconds();
    int rc = lmo_patterns_run(res, in, &err);
    double dt = cpu_seconds() - t0;
    if (rc) { fprintf(stderr, "patterns: %s\n", err.msg); lmo_patterns_result_clear(res); return rc; }
    printf("%-34s %.3g patterns/s  (%lu checked in %.2f s; %lu full rank, %lu deficient, "
           "lowest rank %ld; %lu dependencies confirmed over Z; prime %lu; Lemma 3: %s)\n",
           label, (double) res->checked / dt, (unsigned long) res->checked, dt,
           (unsigned long) res->full_rank, (unsigned long) res->deficient, (long) res->min_rank,
           (unsigned long) res->exact_checks, (unsigned long) res->prime,
           lmo_outcome_name(res->lemma3.outcome));
    lmo_patterns_result_clear(res);
    return 0;
}

/* The naive exact rate: G1^p in rationals and fmpq_mat_rref, per pattern. */
static void naive(const char *label, const lmo_patterns_input_t in, slong K, ulong seed)
{
    slong d0 = fmpq_mat_nrows(in->X), d1 = in->d1, N = fmpq_mat_ncols(in->X);
    fmpq_mat_t G, R;
    fmpq_mat_init(G, d0 * d1, N);
    fmpq_mat_init(R, d0 * d1, N);
    unsigned char *sg = malloc(d1 * N);
    lmo_rng_t rng;
    lmo_rng_seed(&rng, seed);
    slong full = 0;
    double t0 = cpu_seconds();
    for (slong k = 0; k < K; k++) {
        for (slong q = 0; q < d1 * N; q++) sg[q] = lmo_rng_below(&rng, 2);
        lmo_pattern_matrix(G, in->X, in->E, in->s, sg);
        full += fmpq_mat_rref(R, G) == N;
    }
    double dt = cpu_seconds() - t0;
    printf("%-34s %.3g patterns/s  (naive: G1^p in fmpq, fmpq_mat_rref; %ld sampled in %.2f s, %ld full rank)\n",
           label, (double) K / dt, (long) K, dt, (long) full);
    free(sg);
    fmpq_mat_clear(G);
    fmpq_mat_clear(R);
}

int main(int argc, char **argv)
{
    slong K = 20000, list = 16;
    ulong seed = 1;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--naive") == 0 && i + 1 < argc) K = atol(argv[++i]);
        else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc) seed = strtoul(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--list-all") == 0) list = WORD(1) << 24;
        else { fprintf(stderr, "usage: patterns [--naive K] [--seed S] [--list-all]\n"); return 2; }
    }
    slong d0 = 4, d1 = 3, N = 8;
    lmo_rng_t rng;
    lmo_rng_seed(&rng, seed);
    lmo_patterns_input_t gen, one;
    lmo_patterns_input_init(gen, d0, d1, N);
    lmo_patterns_input_init(one, d0, d1, N);
    fill(gen->X, &rng, 9, 1);
    fmpq_mat_set(one->X, gen->X);
    fill(gen->E, &rng, 9, 4);          /* random rational dropout */
    gen->has_dropout = 1;
    fmpq_set_si(gen->s, 1, 10);
    fmpq_set_si(one->s, 1, 10);
    gen->list_cap = one->list_cap = list;
    printf("bench patterns: d0=%ld d1=%ld N=%ld, all 2^%ld = %lu patterns per instance, one core, CPU time\n",
           (long) d0, (long) d1, (long) N, (long) (N * d1), (unsigned long) (UWORD(1) << (N * d1)));
    int rc = run("exhaustive, dropout E1:", gen);
    if (rc == 0) rc = run("exhaustive, E1 = 1 (leaky ReLU):", one);
    naive("naive, dropout E1:", gen, K, seed + 1);
    naive("naive, E1 = 1:", one, K, seed + 2);
    lmo_patterns_input_clear(gen);
    lmo_patterns_input_clear(one);
    flint_cleanup();
    return rc;
}
