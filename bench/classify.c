/* bench/classify -- exact deep-linear classification with certificates vs the
 * float path on the same point (issue 5, "Performance"). Not a test: run by
 * hand. Prints the times and `ratio <x>` = exact / LAPACK dsyevd on the same
 * Hessian (goal <= 10); also the ratio against the whole float
 * classification (gradient, Hessian, dsyevd, Sigma).
 *
 * usage: classify [H d0 d1 ... d(H+1) [m [seed [kind]]]]
 *   default: a generated global minimum with H = 2, widths 12,10,10,8
 *   (300 parameters), m = 14; kind 0 global_min, 1 strict_saddle, 2 bad_saddle.
 * Times are wall clock, best of 5 runs on each side; CPU times are printed
 * too, as the machine may be shared. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <gmp.h>
#include <cblas.h>
#include "lmo/kawaguchi/deep_linear.h"
#include "lmo_fast/deep_linear.h"
#include "lmo_fast/rank.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

static double cpu(void)   /* process CPU time: less sensitive to a shared machine */
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

static void mat2d(double *out, const fmpq_mat_t A)
{
    mpq_t t;
    mpq_init(t);
    for (slong i = 0; i < fmpq_mat_nrows(A); i++)
        for (slong j = 0; j < fmpq_mat_ncols(A); j++) {
            int ovf;
            fmpq_get_mpq(t, fmpq_mat_entry(A, i, j));
            out[i * fmpq_mat_ncols(A) + j] = lmo_fast_d_from_mpq(t, &ovf);
        }
    mpq_clear(t);
}

int main(int argc, char **argv)
{
    /* one BLAS thread for both tiers: on a shared 2-core machine OpenBLAS's
     * spinning threads cost more than they give at these sizes */
    openblas_set_num_threads(1);
    slong H = 2, dims[16] = {12, 10, 10, 8}, m = 14;
    ulong seed = 1;
    int kind = 0;
    if (argc > 1) {
        H = atol(argv[1]);
        if (H < 1 || H > 12 || argc < H + 4) {
            fprintf(stderr, "usage: classify [H d0 ... d(H+1) [m [seed [kind]]]]\n");
            return 2;
        }
        for (slong k = 0; k <= H + 1; k++) dims[k] = atol(argv[2 + k]);
        if (argc > H + 4) m = atol(argv[H + 4]);
        if (argc > H + 5) seed = strtoul(argv[H + 5], NULL, 10);
        if (argc > H + 6) kind = atoi(argv[H + 6]);
    }
    lmo_deep_linear_t dl;
    lmo_err_t err;
    int rc = kind == 1 ? lmo_deep_linear_gen_strict_saddle(dl, H, dims, m, seed, &err)
           : kind == 2 ? lmo_deep_linear_gen_bad_saddle(dl, H, dims, m, seed, &err)
           : lmo_deep_linear_gen_global_min(dl, H, dims, m, seed, &err);
    if (rc) { fprintf(stderr, "classify: %s\n", err.msg); return 2; }
    slong n = lmo_deep_linear_nparams(dl);

    /* exact: classification with certificate data, then the certificate JSON;
     * best of 5 like the float side (the first run also pays for page
     * faults and FLINT's first-use caches) */
    lmo_dl_result_t r;
    lmo_dl_result_init(r);
    lmo_dl_opts_t o;
    lmo_dl_opts_default(&o);
    double t_cls = 1e30, t_json = 1e30, c_best = 1e30;
    for (int rep = 0; rep < 5; rep++) {
        double c0 = cpu(), t0 = now();
        lmo_dl_result_clear(r);
        lmo_dl_result_init(r);
        if (lmo_deep_linear_classify(r, dl, &o, NULL, &err)) {
            fprintf(stderr, "classify: %s\n", err.msg);
            return 3;
        }
        double t1 = now();
        json_t *cert = lmo_deep_linear_cert_to_json(r, "bench");
        double t2 = now(), c2 = cpu();
        json_decref(cert);
        if (t2 - t0 < t_cls + t_json) { t_cls = t1 - t0; t_json = t2 - t1; }
        if (c2 - c0 < c_best) c_best = c2 - c0;
    }

    /* float: the same point, correctly rounded */
    lmo_fast_dl_t f;
    long fd[16];
    for (slong k = 0; k <= H + 1; k++) fd[k] = dims[k];
    lmo_fast_dl_init(&f, H, fd, m);
    mat2d(f.X, dl->X);
    mat2d(f.Y, dl->Y);
    for (slong k = 0; k <= H; k++) mat2d(f.W[k], dl->W + k);
    double *Hs = malloc(sizeof(double) * n * n), *A = malloc(sizeof(double) * n * n),
           *w = malloc(sizeof(double) * n);
    lmo_fast_dl_hessian(Hs, &f);
    double best_eig = 1e30, best_fast = 1e30, best_eig_cpu = 1e30;
    for (int rep = 0; rep < 5; rep++) {
        for (slong i = 0; i < n * n; i++) A[i] = Hs[i];
        double a = now(), ac = cpu();
        lmo_fast_dl_eigvalsh(w, A, n);
        double b = now(), bc = cpu();
        if (b - a < best_eig) best_eig = b - a;
        if (bc - ac < best_eig_cpu) best_eig_cpu = bc - ac;
        lmo_fast_dl_result_t fr;
        a = now();
        lmo_fast_dl_classify(&fr, &f, NULL);
        b = now();
        if (b - a < best_fast) best_fast = b - a;
    }
    lmo_fast_dl_result_t fr;
    lmo_fast_dl_classify(&fr, &f, NULL);

    double exact = t_cls + t_json;
    printf("point: H=%ld widths", (long) H);
    for (slong k = 0; k <= H + 1; k++) printf(" %ld", (long) dims[k]);
    printf(" m=%ld seed=%lu params=%ld\n", (long) m, (unsigned long) seed, (long) n);
    printf("exact class: %s  inertia (+%ld, -%ld, 0:%ld)\n", lmo_dl_class_name(r->cls),
           (long) r->npos, (long) r->nneg, (long) r->nzero);
    printf("fast class:  %s  inertia (+%ld, -%ld, 0:%ld)\n", lmo_fast_dl_class_name(fr.cls),
           fr.npos, fr.nneg, fr.nzero);
    printf("exact classify+certificate: %.4f s (classify %.4f s, certificate JSON %.4f s)\n",
           exact, t_cls, t_json);
    printf("exact cpu time %.4f s; LAPACK dsyevd cpu time %.6f s (ratio_cpu %.1f)\n", c_best,
           best_eig_cpu, c_best / best_eig_cpu);
    printf("LAPACK dsyevd on the Hessian: %.6f s\n", best_eig);
    printf("float classification (grad, Hessian, dsyevd, Sigma): %.6f s\n", best_fast);
    printf("ratio_vs_float_classify %.1f\n", exact / best_fast);
    printf("ratio %.1f\n", exact / best_eig);
    free(Hs);
    free(A);
    free(w);
    lmo_fast_dl_clear(&f);
    lmo_dl_result_clear(r);
    lmo_deep_linear_clear(dl);
    flint_cleanup();
    return 0;
}
