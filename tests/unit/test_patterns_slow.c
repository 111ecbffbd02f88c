/*
 * Larger sweeps of lmo/patterns.h and lmo/mnn.h (label slow, not in the
 * default ctest run):
 *  - exhaustive counts at 2^16 and 2^18 patterns against brute force
 *    (G1^p entry by entry, fmpq_mat_rref), E1 = 1 and dropout;
 *  - the bench instance d0 = 4, d1 = 3, N = 8 (2^24 patterns) with
 *    non-trivial dropout: Lemma 3 predicts no deficient pattern, and a sample
 *    of its patterns is re-ranked by brute force;
 *  - cell counts of generic arrangements up to d0 = 5, N = 12 against
 *    2 * sum_{k < d0} C(N-1, k);
 *  - the Hessian identity (5.6)-(5.7) on deeper/wider random networks.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lmo/patterns.h"
#include "lmo/mnn.h"

static int failures = 0;
#define CHECK(c) do { if (!(c)) { failures++; fprintf(stderr, "%s:%d: CHECK failed: %s\n", \
                                   __FILE__, __LINE__, #c); } } while (0)

static void rand_mat(fmpq_mat_t M, lmo_rng_t *r, slong bound, slong maxden, int nonzero)
{
    for (slong i = 0; i < fmpq_mat_nrows(M); i++)
        for (slong j = 0; j < fmpq_mat_ncols(M); j++) {
            slong v;
            do v = (slong) lmo_rng_below(r, 2 * bound + 1) - bound; while (nonzero && v == 0);
            fmpq_set_si(fmpq_mat_entry(M, i, j), v, 1 + lmo_rng_below(r, maxden));
        }
}

static slong brute_rank(const fmpq_mat_t X, const fmpq_mat_t E, const fmpq_t s, const unsigned char *sg)
{
    slong d0 = fmpq_mat_nrows(X), d1 = fmpq_mat_nrows(E), N = fmpq_mat_ncols(X);
    fmpq_mat_t G, R;
    fmpq_t a;
    fmpq_mat_init(G, d1 * d0, N); fmpq_mat_init(R, d1 * d0, N);
    fmpq_init(a);
    for (slong n = 0; n < N; n++)
        for (slong i = 0; i < d1; i++) {
            fmpq_set(a, fmpq_mat_entry(E, i, n));
            if (!sg[i * N + n]) fmpq_mul(a, a, s);
            for (slong j = 0; j < d0; j++) fmpq_mul(fmpq_mat_entry(G, i * d0 + j, n), a, fmpq_mat_entry(X, j, n));
        }
    slong r = fmpq_mat_rref(R, G);
    fmpq_clear(a);
    fmpq_mat_clear(G); fmpq_mat_clear(R);
    return r;
}

static void exhaustive_vs_brute(slong d0, slong d1, slong N, int dropout, ulong seed)
{
    lmo_rng_t rng;
    lmo_rng_seed(&rng, seed);
    lmo_patterns_input_t in;
    lmo_patterns_input_init(in, d0, d1, N);
    rand_mat(in->X, &rng, 7, 3, 0);
    if (dropout) { rand_mat(in->E, &rng, 5, 4, 1); in->has_dropout = 1; }
    fmpq_set_si(in->s, -1, 3);
    in->list_cap = 0;
    lmo_patterns_result_t res;
    lmo_patterns_result_init(res);
    lmo_err_t err;
    CHECK(lmo_patterns_run(res, in, &err) == LMO_OK);
    ulong total = UWORD(1) << (N * d1), *hist = calloc(N + 1, sizeof(ulong));
    unsigned char *sg = malloc(d1 * N);
    for (ulong idx = 0; idx < total; idx++) {
        for (slong q = 0; q < d1 * N; q++) sg[q] = (idx >> q) & 1;
        hist[brute_rank(in->X, in->E, in->s, sg)]++;
    }
    for (slong r = 0; r <= N; r++) CHECK(res->rank_count[r] == hist[r]);
    CHECK(res->checked == total);
    if (dropout && N <= d0 * d1) CHECK(res->lemma3 == (hist[N] == total ? LMO_PRED_HOLDS : LMO_PRED_VIOLATED));
    printf("  d0=%ld d1=%ld N=%ld %s: %lu patterns, %lu deficient (brute force agrees)\n", (long) d0, (long) d1,
           (long) N, dropout ? "dropout" : "E1 = 1", (unsigned long) total, (unsigned long) res->deficient);
    free(hist); free(sg);
    lmo_patterns_result_clear(res);
    lmo_patterns_input_clear(in);
}

static void bench_instance(void)
{
    slong d0 = 4, d1 = 3, N = 8;
    lmo_rng_t rng;
    lmo_rng_seed(&rng, 1);
    lmo_patterns_input_t in;
    lmo_patterns_input_init(in, d0, d1, N);
    rand_mat(in->X, &rng, 9, 1, 1);
    rand_mat(in->E, &rng, 9, 4, 1);
    in->has_dropout = 1;
    fmpq_set_si(in->s, 1, 10);
    lmo_patterns_result_t res;
    lmo_patterns_result_init(res);
    lmo_err_t err;
    CHECK(lmo_patterns_run(res, in, &err) == LMO_OK);
    CHECK(res->checked == UWORD(1) << 24);
    CHECK(res->lemma3 == (res->deficient ? LMO_PRED_VIOLATED : LMO_PRED_HOLDS));
    /* a brute-force sample of the same instance */
    unsigned char sg[24];
    ulong def = 0;
    for (int k = 0; k < 3000; k++) {
        for (int q = 0; q < 24; q++) sg[q] = lmo_rng_below(&rng, 2);
        def += brute_rank(in->X, in->E, in->s, sg) < N;
    }
    CHECK(res->deficient > 0 || def == 0);
    printf("  bench instance with dropout: %lu patterns, %lu deficient, Lemma 3 %s\n",
           (unsigned long) res->checked, (unsigned long) res->deficient, lmo_pred_name(res->lemma3));
    lmo_patterns_result_clear(res);
    lmo_patterns_input_clear(in);
}

static void topes_generic(void)
{
    lmo_rng_t rng;
    lmo_rng_seed(&rng, 5);
    for (slong d0 = 2; d0 <= 5; d0++)
        for (slong N = d0; N <= 12; N += 3) {
            fmpq_mat_t X;
            fmpq_mat_init(X, d0, N);
            rand_mat(X, &rng, 1000, 97, 1);
            lmo_topes_t T;
            lmo_topes_init(T);
            lmo_err_t err;
            CHECK(lmo_topes_enumerate(T, X, &err) == LMO_OK);
            ulong want = 0, b = 1;
            for (slong k = 0; k < d0; k++) {   /* b = C(N-1, k) */
                want += b;
                b = b * (N - 1 - k) / (k + 1);
            }
            CHECK(T->count == (slong) (2 * want));
            lmo_topes_clear(T);
            fmpq_mat_clear(X);
        }
}

static void hessian_sweep(void)
{
    lmo_rng_t rng;
    lmo_rng_seed(&rng, 77);
    for (int trial = 0; trial < 40; trial++) {
        slong L = 2 + lmo_rng_below(&rng, 3), d[6];
        for (slong l = 0; l < L; l++) d[l] = 1 + lmo_rng_below(&rng, 4);
        d[L] = 1;
        slong N = 1 + lmo_rng_below(&rng, 8);
        lmo_mnn_input_t in;
        lmo_mnn_input_init(in, L, d, N);
        rand_mat(in->X, &rng, 9, 5, 0);
        rand_mat(in->y, &rng, 9, 5, 0);
        for (slong l = 0; l < L; l++) rand_mat(in->W + l, &rng, 9, 7, 0);
        for (slong l = 0; l + 1 < L; l++) rand_mat(in->E + l, &rng, 9, 7, 1);
        in->has_dropout = 1;
        fmpq_set_si(in->s, 2, 7);
        lmo_mnn_result_t res;
        lmo_mnn_result_init(res);
        lmo_err_t err;
        CHECK(lmo_mnn_run(res, in, trial, &err) == LMO_OK);
        CHECK(res->hessian_done && res->hessian_identity && fmpq_is_zero(res->trace_ELambda));
        lmo_mnn_result_clear(res);
        lmo_mnn_input_clear(in);
    }
}

int main(void)
{
    exhaustive_vs_brute(4, 2, 8, 0, 1);   /* N = d0 d1: E1 = 1 */
    exhaustive_vs_brute(4, 2, 8, 1, 2);   /* same sizes with dropout */
    exhaustive_vs_brute(2, 3, 6, 0, 3);
    exhaustive_vs_brute(3, 3, 6, 1, 4);
    bench_instance();
    topes_generic();
    hessian_sweep();
    flint_cleanup();
    if (failures) { fprintf(stderr, "%d failures\n", failures); return 1; }
    printf("test_patterns_slow: ok\n");
    return 0;
}
