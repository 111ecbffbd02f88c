/*
 * bench/nh -- lmo's certified rank of [F_k, 1_N] (Nguyen & Hein 2017, kind nguyen_hein) against
 * the float way, in one process (issue 21): N = 200 samples, a tanh layer of n_1 = 256 units
 * (k = 1, L = 2, d = 16, m = 1, small random rational weights), so rank [F_1, 1_N] = N.
 *   float: F_1 by lmo_fast_nh_forward (double, libm) and LAPACK's gesdd SVD rank (numpy's
 *          policy: sigma_max * max(m, n) * eps), as numpy.linalg.matrix_rank does;
 *   lmo:   lmo_nh_rank_Fk1 (F_1 in arb balls, a certified N x N minor, the structural bound).
 * Prints both times (best of --reps) and one `ratio` line (lmo / float); the goal is <= 20.
 * Not a test: timings never decide anything in ctest.
 *
 * usage: bench/nh [--reps K] [--N N] [--width W]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "lmo/core/common.h"
#include "lmo/nguyen_hein/nguyen_hein.h"
#include "lmo_fast/nguyen_hein.h"
#include "lmo_fast/rank.h"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

int main(int argc, char **argv)
{
    long N = 200, width = 256, d = 16, reps = 3;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--reps") && i + 1 < argc) reps = atol(argv[++i]);
        else if (!strcmp(argv[i], "--N") && i + 1 < argc) N = atol(argv[++i]);
        else if (!strcmp(argv[i], "--width") && i + 1 < argc) width = atol(argv[++i]);
        else { fprintf(stderr, "usage: %s [--reps K] [--N N] [--width W]\n", argv[0]); return 2; }
    }
    if (reps < 1) reps = 1;
    slong n[3] = {d, width, 1};
    lmo_nh_input_t in;
    lmo_nh_input_init(in, N, 2, n);
    in->act = LMO_NH_TANH;
    lmo_rng_t rng;
    lmo_rng_seed(&rng, 21);
    /* entries p/8 with |p| <= 8: pre-activations of order 1, no saturation; doubles exact */
    double *X = malloc(sizeof(double) * (size_t)(N * d)), *W = malloc(sizeof(double) * (size_t)(d * width));
    double *b = malloc(sizeof(double) * (size_t)width), *W2 = calloc((size_t)width, sizeof(double)), b2 = 0;
    for (long i = 0; i < N * d; i++) {
        slong p = (slong)lmo_rng_below(&rng, 17) - 8;
        fmpq_set_si(fmpq_mat_entry(in->X, i / d, i % d), p, 8), X[i] = p / 8.0;
    }
    for (long i = 0; i < d * width; i++) {
        slong p = (slong)lmo_rng_below(&rng, 17) - 8;
        fmpq_set_si(fmpq_mat_entry(in->W, i / width, i % width), p, 32), W[i] = p / 32.0;
    }
    for (long j = 0; j < width; j++) {
        slong p = (slong)lmo_rng_below(&rng, 17) - 8;
        fmpq_set_si(fmpq_mat_entry(in->b, 0, j), p, 8), b[j] = p / 8.0;
    }
    long nn[3] = {d, width, 1};
    const double *Ws[2] = {W, W2}, *bs[2] = {b, &b2};
    lmo_fast_nh_input_t f = {.N = N, .L = 2, .n = nn, .X = X, .W = Ws, .b = bs, .act = 1, .alpha = 1};
    lmo_fast_policy_t pol;
    lmo_fast_policy_parse(&pol, "numpy");
    double *F = malloc(sizeof(double) * (size_t)(N * width)), *E = malloc(sizeof(double) * (size_t)(N * (width + 1)));
    double tf = 1e300, tx = 1e300;
    long rf = -1;
    lmo_nh_rank_t R;
    lmo_nh_rank_init(R);
    for (long r = 0; r < reps; r++) {
        double t = now();
        lmo_fast_nh_forward(F, &f, 1);
        for (long i = 0; i < N; i++) {
            memcpy(E + i * (width + 1), F + i * width, sizeof(double) * (size_t)width);
            E[i * (width + 1) + width] = 1.0;
        }
        lmo_fast_rank_t fr;
        lmo_fast_rank_init(&fr);
        lmo_fast_rank(&fr, E, N, width + 1, &pol);
        t = now() - t;
        if (t < tf) tf = t;
        rf = fr.rank;
        lmo_fast_rank_clear(&fr);
        t = now();
        lmo_nh_rank_Fk1(R, in, 1, LMO_NH_DEFAULT_MAX_PREC);
        t = now() - t;
        if (t < tx) tx = t;
    }
    printf("case nh: N = %ld, [F_1, 1_N] %ld x %ld (tanh, d = %ld)\n", N, N, width + 1, d);
    printf("  float forward + gesdd rank %-5ld %.4f s\n", rf, tf);
    printf("  lmo certified rank         %-5ld %.4f s (%s at %ld bits, structure bound %ld)\n",
           (long)R->rank, tx, R->decided ? "certified" : "undecided", (long)R->prec, (long)R->upper);
    printf("ratio nh %.2f\n", tx / tf);
    lmo_nh_rank_clear(R);
    lmo_nh_input_clear(in);
    free(X), free(W), free(b), free(W2), free(F), free(E);
    return 0;
}
