/*
 * bench/dixon.c -- scratch timing of the exact solver behind the certified
 * rank (issue 2): M = B0 C0, 600 x 500, rank 490, B0 and C0 with uniform
 * 21-bit signed entries. Prints gesdd's time on M next to ours in the same
 * run. Not a test: numbers depend on the machine and its load.
 *
 *   dixon [--reps R] [--threads T] [--flint] [--generic] [--m M --n N --r R --bits B]
 *
 * --generic forces multiprecision (mpz) residuals (lmo_dixon_opts_t.force_generic), to time
 * them against the int64 / int128 paths the bounds would pick.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <flint/fmpz_mat.h>
#include <flint/fmpq_mat.h>
#include <flint/nmod_mat.h>
#include <flint/ulong_extras.h>
#include <lapacke.h>
#include "lmo/core/common.h"
#include "lmo/linalg/dixon.h"
#include "lmo/linalg/rank.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double) ts.tv_sec + 1e-9 * (double) ts.tv_nsec;
}

static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double) ts.tv_sec + 1e-9 * (double) ts.tv_nsec;
}

static void rand_mat(fmpz_mat_t X, lmo_rng_t *rng, int bits)
{
    for (slong i = 0; i < fmpz_mat_nrows(X); i++)
        for (slong j = 0; j < fmpz_mat_ncols(X); j++)
            fmpz_set_si(fmpz_mat_entry(X, i, j),
                        (slong) lmo_rng_below(rng, UWORD(1) << bits) - (WORD(1) << (bits - 1)));
}

int main(int argc, char **argv)
{
    slong m = 600, n = 500, r0 = 490;
    int bits = 21, reps = 3, threads = 0, flint = 0, generic = 0;
    for (int a = 1; a < argc; a++) {
        if (!strcmp(argv[a], "--reps") && a + 1 < argc) reps = atoi(argv[++a]);
        else if (!strcmp(argv[a], "--threads") && a + 1 < argc) threads = atoi(argv[++a]);
        else if (!strcmp(argv[a], "--flint")) flint = 1;
        else if (!strcmp(argv[a], "--generic")) generic = 1;
        else if (!strcmp(argv[a], "--m") && a + 1 < argc) m = atol(argv[++a]);
        else if (!strcmp(argv[a], "--n") && a + 1 < argc) n = atol(argv[++a]);
        else if (!strcmp(argv[a], "--r") && a + 1 < argc) r0 = atol(argv[++a]);
        else if (!strcmp(argv[a], "--bits") && a + 1 < argc) bits = atoi(argv[++a]);
        else { fprintf(stderr, "usage: %s [--reps R] [--threads T] [--flint] [--generic] [--m M --n N --r R --bits B]\n", argv[0]); return 2; }
    }
    lmo_rng_t rng;
    lmo_rng_seed(&rng, 2);
    fmpz_mat_t B0, C0, M;
    fmpz_mat_init(B0, m, r0); fmpz_mat_init(C0, r0, n); fmpz_mat_init(M, m, n);
    rand_mat(B0, &rng, bits);
    rand_mat(C0, &rng, bits);
    fmpz_mat_mul(M, B0, C0);
    printf("M = B0 C0: %ld x %ld, rank %ld, entries of B0, C0: %d-bit signed; max |M| %ld bits\n",
           m, n, r0, bits, (long) fmpz_mat_max_bits(M) < 0 ? -fmpz_mat_max_bits(M) : fmpz_mat_max_bits(M));

    /* gesdd (singular values only), best of reps */
    double *Md = malloc(sizeof(double) * m * n), *s = malloc(sizeof(double) * n), tg = 1e9;
    for (int rep = 0; rep < reps; rep++) {
        for (slong i = 0; i < m; i++)
            for (slong j = 0; j < n; j++)
                Md[i * n + j] = fmpz_get_d(fmpz_mat_entry(M, i, j));
        double t = now();
        LAPACKE_dgesdd(LAPACK_ROW_MAJOR, 'N', (int) m, (int) n, Md, (int) n, s, NULL, (int) n, NULL, (int) n);
        t = now() - t;
        if (t < tg) tg = t;
    }
    printf("gesdd                      %8.4f s\n", tg);

    /* modular rank and pivots, as lmo_rank does */
    ulong p = n_nextprime(UWORD(1) << 26, 1);
    double t = now();
    nmod_mat_t Mp;
    nmod_mat_init(Mp, m, n, p);
    fmpz_mat_get_nmod_mat(Mp, M);
    slong *P = flint_malloc(sizeof(slong) * m), *rows = flint_malloc(sizeof(slong) * m),
          *cols = flint_malloc(sizeof(slong) * n), *fr = flint_malloc(sizeof(slong) * n);
    slong r = nmod_mat_lu(P, Mp, 0), c = 0;
    for (slong i = 0; i < r; i++) {
        if (c < i) c = i;
        while (c < n && nmod_mat_entry(Mp, i, c) == 0) c++;
        rows[i] = P[i];
        cols[i] = c++;
    }
    double tlu = now() - t;
    printf("rank mod p (nmod_mat_lu)   %8.4f s   rank %ld\n", tlu, r);
    char *isp = calloc(n, 1), *isr = calloc(m, 1);
    for (slong i = 0; i < r; i++) { isp[cols[i]] = 1; isr[rows[i]] = 1; }
    slong k = 0;
    for (slong j = 0; j < n; j++) if (!isp[j]) fr[k++] = j;
    fmpz_mat_t A, B, X, L, R, Ln, Rn;
    fmpz_mat_init(A, r, r); fmpz_mat_init(B, r, k); fmpz_mat_init(X, r, k);
    fmpz_mat_init(L, m, r); fmpz_mat_init(R, m, k);
    fmpz_mat_init(Ln, m - r, r); fmpz_mat_init(Rn, m - r, k);
    for (slong i = 0; i < r; i++) {
        for (slong j = 0; j < r; j++) fmpz_set(fmpz_mat_entry(A, i, j), fmpz_mat_entry(M, rows[i], cols[j]));
        for (slong j = 0; j < k; j++) fmpz_neg(fmpz_mat_entry(B, i, j), fmpz_mat_entry(M, rows[i], fr[j]));
    }
    for (slong i = 0, q = 0; i < m; i++) {
        for (slong j = 0; j < r; j++) fmpz_set(fmpz_mat_entry(L, i, j), fmpz_mat_entry(M, i, cols[j]));
        for (slong j = 0; j < k; j++) fmpz_set(fmpz_mat_entry(R, i, j), fmpz_mat_entry(M, i, fr[j]));
        if (!isr[i]) {
            for (slong j = 0; j < r; j++) fmpz_set(fmpz_mat_entry(Ln, q, j), fmpz_mat_entry(M, i, cols[j]));
            for (slong j = 0; j < k; j++) fmpz_set(fmpz_mat_entry(Rn, q, j), fmpz_mat_entry(M, i, fr[j]));
            q++;
        }
    }

    fmpz_t den;
    fmpz_init(den);
    lmo_dixon_opts_t opts;
    lmo_dixon_opts_init(&opts);
    opts.threads = threads;
    opts.force_generic = generic;
    double ts = 1e9, tca = 1e9, tcn = 1e9;
    int okall = 0, oknp = 0;
    for (int rep = 0; rep < reps; rep++) {
        lmo_dixon_stats_t st;
        double c0 = cpu_now();
        t = now();
        int rc = lmo_dixon_solve_opts(X, den, A, B, 7 + rep, &opts, &st);
        t = now() - t;
        c0 = cpu_now() - c0;
        printf("solve rep %d: wall %.4f s, process cpu %.4f s\n", rep, t, c0);
        if (t < ts) ts = t;
        printf("solve rep %d: rc %d  %.4f s  (inverse %.4f, den %.4f [%ld steps], num %.4f [%ld steps], recon %.4f, convert %.4f) p=%lu threads %d generic %d wide %d fallback %d repairs %ld; den %ld bits, max |Xnum| %ld bits\n",
               rep, rc, t, st.t_inverse, st.t_den, st.steps_den, st.t_num, st.steps_num, st.t_recon, st.t_convert,
               st.prime, st.threads, st.generic, st.wide, st.fallback, st.repairs, (long) fmpz_bits(den),
               (long) FLINT_ABS(fmpz_mat_max_bits(X)));
        t = now();
        okall = lmo_zmat_check_kernel(L, X, den, R);
        t = now() - t;
        if (t < tca) tca = t;
        t = now();
        oknp = lmo_zmat_check_kernel(Ln, X, den, Rn);
        t = now() - t;
        if (t < tcn) tcn = t;
    }
    printf("lmo_dixon_solve            %8.4f s   (best of %d)\n", ts, reps);
    printf("check, all %4ld rows       %8.4f s   -> %d\n", m, tca, okall);
    printf("check, %4ld non-pivot rows %8.4f s   -> %d\n", m - r, tcn, oknp);
    fmpz_add_ui(fmpz_mat_entry(R, m - 1, k - 1), fmpz_mat_entry(R, m - 1, k - 1), 1);
    printf("check, perturbed           -> %d (must be 0)\n", lmo_zmat_check_kernel(L, X, den, R));
    printf("ratio (solve + non-pivot check + mod-p rank) / gesdd = %.1f\n", (ts + tcn + tlu) / tg);
    printf("ratio (solve + all-rows check + mod-p rank) / gesdd  = %.1f\n", (ts + tca + tlu) / tg);

    {
        lmo_rank_t Rk;
        lmo_err_t err;
        lmo_rank_init(Rk);
        t = now();
        int rc = lmo_rank_certified_fmpz(Rk, M, 1, &err);
        t = now() - t;
        printf("lmo_rank_certified_fmpz    %8.4f s   rc %d rank %ld  (%.1fx gesdd)\n", t, rc, Rk->rank, t / tg);
        lmo_rank_clear(Rk);
    }
    if (flint) {
        fmpq_mat_t Xq;
        fmpq_mat_init(Xq, r, k);
        t = now();
        fmpq_mat_solve_fmpz_mat_dixon(Xq, A, B);
        printf("FLINT fmpq_mat_solve_fmpz_mat_dixon %8.4f s\n", now() - t);
        fmpq_mat_clear(Xq);
    }
    fmpz_clear(den);
    fmpz_mat_clear(A); fmpz_mat_clear(B); fmpz_mat_clear(X); fmpz_mat_clear(L); fmpz_mat_clear(R);
    fmpz_mat_clear(Ln); fmpz_mat_clear(Rn);
    fmpz_mat_clear(B0); fmpz_mat_clear(C0); fmpz_mat_clear(M);
    nmod_mat_clear(Mp);
    flint_free(P); flint_free(rows); flint_free(cols); flint_free(fr);
    free(isp); free(isr); free(Md); free(s);
    flint_cleanup_master();
    return 0;
}
