/*
 * Soudry-Carmon generator families (kinds mnn and mnn_patterns):
 *   mnn-random            L in {2, 3}, random rational dropout (entries k/10, 1 <= k <= 20),
 *                         N <= d_(L-2) d_(L-1): the setting of Lemma 3 / Theorem 5.
 *   mnn-exact-zero        a pre-activation exactly 0 that doubles see as +-5.55e-17
 *                         (u = 3 * 1/10 - 3/10): not differentiable exactly, smooth in float.
 *   patterns-dropout      exhaustive patterns, N d1 <= 12, random rational dropout with
 *                         d1, N >= 2 (so E1 may have rank >= 2): Lemma 3 holds, every
 *                         pattern has full rank.
 *   patterns-no-dropout   exhaustive patterns with E = 1 (plain leaky ReLU): deficient
 *                         patterns exist (the constant pattern gives rank <= d0) and are
 *                         listed with certificates: Lemma 3 "exceptional" (E1 = 1) when
 *                         N <= d0 d1.
 *   patterns-exceptional  exhaustive patterns with dropout and two samples parallel in X
 *                         and E1: Lemma 3 "exceptional", the samples named.
 *   patterns-too-many-samples  N > d0 d1: Lemma 3 "not_applicable".
 * As for every family, `expect` is computed by the oracle when the vector is blessed.
 */
#include "lmo/core/vector_io.h"
#include "lmo/soudry_carmon/hypotheses.h"
#include "../core/gen_internal.h"

/* M (initialised) filled with p/q, |p| <= pmax, 1 <= q <= qmax; zero entries avoided when nz */
static void rand_qmat(fmpq_mat_t M, lmo_rng_t *r, slong pmax, slong qmax, int nz)
{
    for (slong i = 0; i < fmpq_mat_nrows(M); i++)
        for (slong j = 0; j < fmpq_mat_ncols(M); j++) {
            slong p;
            do p = lmo_rng_uniform(r, -pmax, pmax); while (nz && p == 0);
            fmpq_set_si(fmpq_mat_entry(M, i, j), p, (ulong) lmo_rng_uniform(r, 1, qmax));
        }
}

/* a d x n matrix of p/q, |p| <= pmax, 1 <= q <= qmax; zero entries avoided when nz */
static json_t *rand_mat(lmo_rng_t *r, slong d, slong n, slong pmax, slong qmax, int nz)
{
    fmpq_mat_t M;
    fmpq_mat_init(M, d, n);
    rand_qmat(M, r, pmax, qmax, nz);
    json_t *j = lmo_json_from_mat(M);
    fmpq_mat_clear(M);
    return j;
}

/* dropout: positive rationals in [1/10, 2], rank >= 2 with overwhelming odds */
static json_t *rand_dropout(lmo_rng_t *r, slong d, slong n)
{
    fmpq_mat_t M;
    fmpq_mat_init(M, d, n);
    for (slong i = 0; i < d; i++)
        for (slong j = 0; j < n; j++)
            fmpq_set_si(fmpq_mat_entry(M, i, j), lmo_rng_uniform(r, 1, 20), 10);
    json_t *j = lmo_json_from_mat(M);
    fmpq_mat_clear(M);
    return j;
}

static json_t *rand_vec(lmo_rng_t *r, slong n)
{
    json_t *m = rand_mat(r, 1, n, 9, 2, 0);
    json_t *v = json_deep_copy(json_array_get(json_object_get(m, "data"), 0));
    json_decref(m);
    return v;
}

json_t *lmo_gen_mnn_random(lmo_rng_t *r, slong index, json_t *flags)
{
    (void) index; (void) flags;
    slong L = lmo_rng_uniform(r, 2, 3), d[4];
    d[0] = lmo_rng_uniform(r, 2, 4);
    for (slong l = 1; l < L; l++) d[l] = lmo_rng_uniform(r, 2, 3);
    d[L] = 1;
    /* N <= d_{L-2} d_{L-1} (for L = 2, d0 d1: Lemma 3's bound) */
    slong N = lmo_rng_uniform(r, 1, lmo_sc_theorem5_max_samples(d, L));
    json_t *in = json_object(), *W = json_array(), *E = json_array();
    json_object_set_new(in, "X", rand_mat(r, d[0], N, 9, 4, 1));
    json_object_set_new(in, "y", rand_vec(r, N));
    for (slong l = 1; l <= L; l++) json_array_append_new(W, rand_mat(r, d[l], d[l - 1], 5, 3, 1));
    for (slong l = 1; l < L; l++) json_array_append_new(E, rand_dropout(r, d[l], N));
    json_object_set_new(in, "slope", json_string("1/10"));
    json_object_set_new(in, "weights", W);
    json_object_set_new(in, "dropout", E);
    return in;
}

json_t *lmo_gen_mnn_exact_zero(lmo_rng_t *r, slong index, json_t *flags)
{
    (void) index;
    /* L = 2, d0 = 2: sample 0 is x = (k/10, 3k/10), unit 0 has w = (3, -1): u = 0 exactly */
    slong d1 = lmo_rng_uniform(r, 1, 3), N = lmo_rng_uniform(r, 1, 2 * d1);
    fmpq_mat_t X, W1;
    fmpq_mat_init(X, 2, N); fmpq_mat_init(W1, d1, 2);
    for (slong n = 0; n < N; n++) {
        fmpq_set_si(fmpq_mat_entry(X, 0, n), lmo_rng_uniform(r, 1, 9), 10);
        fmpq_set_si(fmpq_mat_entry(X, 1, n), lmo_rng_uniform(r, 1, 9), 10);
    }
    slong k = lmo_rng_uniform(r, 1, 3);
    fmpq_set_si(fmpq_mat_entry(X, 0, 0), k, 10);
    fmpq_set_si(fmpq_mat_entry(X, 1, 0), 3 * k, 10);
    for (slong i = 0; i < d1; i++) {
        fmpq_set_si(fmpq_mat_entry(W1, i, 0), lmo_rng_uniform(r, 1, 5), 1);
        fmpq_set_si(fmpq_mat_entry(W1, i, 1), -lmo_rng_uniform(r, 1, 5), 1);
    }
    fmpq_set_si(fmpq_mat_entry(W1, 0, 0), 3, 1);
    fmpq_set_si(fmpq_mat_entry(W1, 0, 1), -1, 1);
    json_t *in = json_object(), *W = json_array();
    json_object_set_new(in, "X", lmo_json_from_mat(X));
    json_object_set_new(in, "y", rand_vec(r, N));
    json_array_append_new(W, lmo_json_from_mat(W1));
    json_array_append_new(W, rand_mat(r, 1, d1, 5, 2, 1));
    json_object_set_new(in, "slope", json_string("1/5"));
    json_object_set_new(in, "weights", W);
    json_array_append_new(flags, json_string("ExactZeroPreactivation"));
    fmpq_mat_clear(X); fmpq_mat_clear(W1);
    return in;
}

static json_t *patterns(lmo_rng_t *r, int dropout)
{
    /* with dropout, d1 >= 2 and N >= 2: a 1 x N (or d1 x 1) E1 has rank one, which
     * lmo_sc_genericity names as a genericity failure when a pattern is deficient
     * (Lemma 3 "exceptional", not "not_applicable"); this family promises "holds" */
    slong d0 = lmo_rng_uniform(r, 2, 3), d1 = lmo_rng_uniform(r, dropout ? 2 : 1, 3);
    slong nmax = FLINT_MIN(lmo_sc_lemma3_max_samples(d0, d1), 12 / d1);
    slong N = lmo_rng_uniform(r, dropout ? 2 : 1, nmax);   /* N = 1: E1 has rank 1 */
    json_t *in = json_object();
    json_object_set_new(in, "X", rand_mat(r, d0, N, 9, 4, 1));
    json_object_set_new(in, "width", json_integer(d1));
    json_object_set_new(in, "slope", json_string("1/10"));
    if (dropout) {
        json_t *E = json_array();
        json_array_append_new(E, rand_dropout(r, d1, N));
        json_object_set_new(in, "dropout", E);
    }
    json_object_set_new(in, "mode", json_string("exhaustive"));
    return in;
}

json_t *lmo_gen_patterns_dropout(lmo_rng_t *r, slong index, json_t *flags)
{
    (void) index; (void) flags;
    return patterns(r, 1);
}

json_t *lmo_gen_patterns_no_dropout(lmo_rng_t *r, slong index, json_t *flags)
{
    (void) index;
    json_array_append_new(flags, json_string("NoDropout"));
    return patterns(r, 0);
}

/* Lemma 3's exceptional set on purpose: exhaustive patterns with dropout, and the last
 * sample parallel to the first in X (times 2) and in E1 (times 3), so every pattern with
 * equal signs on the two samples has two parallel columns: rank < N, "exceptional" with
 * the two samples named. */
json_t *lmo_gen_patterns_exceptional(lmo_rng_t *r, slong index, json_t *flags)
{
    (void) index; (void) flags;
    slong d0 = lmo_rng_uniform(r, 2, 3), d1 = lmo_rng_uniform(r, 2, 3);
    /* N >= 3: with two samples E1 would have rank one, the first genericity named */
    slong N = lmo_rng_uniform(r, 3, FLINT_MIN(lmo_sc_lemma3_max_samples(d0, d1), 12 / d1));
    fmpq_mat_t X, E;
    fmpq_mat_init(X, d0, N);
    fmpq_mat_init(E, d1, N);
    rand_qmat(X, r, 9, 4, 1);
    for (slong i = 0; i < d1; i++)
        for (slong n = 0; n < N; n++) {
            slong p = lmo_rng_uniform(r, 1, 20);
            fmpq_set_si(fmpq_mat_entry(E, i, n), p, 10);
        }
    for (slong j = 0; j < d0; j++) fmpq_mul_si(fmpq_mat_entry(X, j, N - 1), fmpq_mat_entry(X, j, 0), 2);
    for (slong i = 0; i < d1; i++) fmpq_mul_si(fmpq_mat_entry(E, i, N - 1), fmpq_mat_entry(E, i, 0), 3);
    json_t *in = json_object(), *Es = json_array();
    json_object_set_new(in, "X", lmo_json_from_mat(X));
    json_object_set_new(in, "width", json_integer(d1));
    json_object_set_new(in, "slope", json_string("1/10"));
    json_array_append_new(Es, lmo_json_from_mat(E));
    json_object_set_new(in, "dropout", Es);
    json_object_set_new(in, "mode", json_string("exhaustive"));
    fmpq_mat_clear(X);
    fmpq_mat_clear(E);
    return in;
}

/* Lemma 3's hypothesis N <= d0 d1 fails: d0 d1 < N <= d0 d1 + 3, sampled patterns. */
json_t *lmo_gen_patterns_too_many_samples(lmo_rng_t *r, slong index, json_t *flags)
{
    (void) index; (void) flags;
    slong d0 = lmo_rng_uniform(r, 1, 2), d1 = lmo_rng_uniform(r, 1, 2);
    slong N = lmo_sc_lemma3_max_samples(d0, d1) + lmo_rng_uniform(r, 1, 3);
    json_t *in = json_object(), *Es = json_array();
    json_object_set_new(in, "X", rand_mat(r, d0, N, 9, 4, 1));
    json_object_set_new(in, "width", json_integer(d1));
    json_object_set_new(in, "slope", json_string("1/10"));
    json_array_append_new(Es, rand_dropout(r, d1, N));
    json_object_set_new(in, "dropout", Es);
    json_object_set_new(in, "mode", json_string("exhaustive"));
    return in;
}
