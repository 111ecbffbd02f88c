/*
 * bench/height -- the height table of issue 24: the certified rank of a 60 x 60 matrix of
 * rank 30 whose entries are rationals of growing size, against FLINT's fmpq_mat_rref on the
 * same matrix (the rank, uncertified), in one process.
 *
 * The matrix: rows 0..29 random rationals n_ij / d_i, D-digit numerators over one D-digit
 * denominator per row (data scaled row by row); each row 30..59 a small integer combination
 * of two of the first 30 (so rank 30; its entries have about 2D digits over 2D). Prints, per D in 10, 100, 1000: the input size (the entries'
 * decimal text), fmpq_mat_rref's time, lmo_rank_certified's time, the certificate's size
 * (canonical JSON), and one `ratio` line (lmo / rref).
 * Not a test: timings never decide anything in ctest.
 *
 * usage: bench/height [--digits D]... [--seed S]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <flint/fmpq_mat.h>
#include "lmo/core/certificate.h"
#include "lmo/core/vector_io.h"
#include "lmo/linalg/rank.h"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double) t.tv_sec + 1e-9 * (double) t.tv_nsec;
}

/* a random integer of exactly D decimal digits, non-zero */
static void rand_digits(fmpz_t x, flint_rand_t st, long D)
{
    fmpz_t lo;
    fmpz_init(lo);
    fmpz_set_ui(lo, 10);
    fmpz_pow_ui(lo, lo, (ulong) (D - 1));        /* 10^(D-1) */
    fmpz_mul_ui(x, lo, 9);
    fmpz_randm(x, st, x);                         /* [0, 9 * 10^(D-1)) */
    fmpz_add(x, x, lo);                           /* D digits */
    fmpz_clear(lo);
}

static void make_matrix(fmpq_mat_t M, long D, flint_rand_t st)
{
    const long n = 60, r = 30;
    fmpz_t p, q;
    fmpq_t t;
    fmpz_init(p), fmpz_init(q), fmpq_init(t);
    for (long i = 0; i < r; i++) {
        rand_digits(q, st, D);
        for (long j = 0; j < n; j++) {
            rand_digits(p, st, D);
            if (n_randint(st, 2)) fmpz_neg(p, p);
            fmpq_set_fmpz_frac(fmpq_mat_entry(M, i, j), p, q);
        }
    }
    for (long i = r; i < n; i++) {
        long a = (long) n_randint(st, r), b = (long) n_randint(st, r);
        slong ca = (slong) n_randint(st, 7) - 3, cb = 1 + (slong) n_randint(st, 5);
        for (long j = 0; j < n; j++) {
            fmpq_mul_si(t, fmpq_mat_entry(M, a, j), ca);
            fmpq_mul_si(fmpq_mat_entry(M, i, j), fmpq_mat_entry(M, b, j), cb);
            fmpq_add(fmpq_mat_entry(M, i, j), fmpq_mat_entry(M, i, j), t);
        }
    }
    fmpz_clear(p), fmpz_clear(q), fmpq_clear(t);
}

static size_t text_size(const fmpq_mat_t M)
{
    size_t s = 0;
    for (long i = 0; i < fmpq_mat_nrows(M); i++)
        for (long j = 0; j < fmpq_mat_ncols(M); j++) {
            char *x = fmpq_get_str(NULL, 10, fmpq_mat_entry(M, i, j));
            s += strlen(x) + 3;                   /* the quotes and a comma */
            flint_free(x);
        }
    return s;
}

int main(int argc, char **argv)
{
    long digits[8] = {10, 100, 1000}, nd = 3, given = 0;
    ulong seed = 1;
    for (int a = 1; a < argc; a++) {
        if (!strcmp(argv[a], "--digits") && a + 1 < argc && given < 8) {
            digits[given++] = atol(argv[++a]);
            nd = given;
        } else if (!strcmp(argv[a], "--seed") && a + 1 < argc) {
            seed = strtoul(argv[++a], NULL, 10);
        } else {
            fprintf(stderr, "usage: %s [--digits D]... [--seed S]\n", argv[0]);
            return 2;
        }
    }
    printf("height table: 60 x 60, rank 30; rows 30..59 = small combinations of two of rows 0..29\n");
    printf("%6s %10s %12s %12s %14s %8s\n", "digits", "input_B", "rref_s", "lmo_s", "certificate_B",
           "rank");
    for (long k = 0; k < nd; k++) {
        flint_rand_t st;
        fmpq_mat_t M, R;
        lmo_rank_t C;
        lmo_err_t err;
        flint_randinit(st);
        flint_randseed(st, seed + (ulong) digits[k], 7);
        fmpq_mat_init(M, 60, 60);
        fmpq_mat_init(R, 60, 60);
        make_matrix(M, digits[k], st);
        double t = now();
        long rr = fmpq_mat_rref(R, M);
        double t_rref = now() - t;
        lmo_rank_init(C);
        t = now();
        int rc = lmo_rank_certified(C, M, 1, &err);
        double t_lmo = now() - t;
        if (rc) {
            fprintf(stderr, "lmo_rank_certified: %s\n", err.msg);
            return 3;
        }
        json_t *cert = lmo_cert_rank_to_json(C, "height");
        char *text = lmo_json_dumps_canonical(cert);
        printf("%6ld %10zu %12.3f %12.3f %14zu %8ld%s\n", digits[k], text_size(M), t_rref, t_lmo,
               strlen(text), (long) C->rank, rr == C->rank ? "" : "  RANKS DIFFER");
        printf("ratio height-%ld %.2f\n", digits[k], t_lmo / t_rref);
        fflush(stdout);
        free(text);
        json_decref(cert);
        lmo_rank_clear(C);
        fmpq_mat_clear(M);
        fmpq_mat_clear(R);
        flint_randclear(st);
    }
    return 0;
}
