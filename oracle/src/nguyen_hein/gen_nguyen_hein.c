/*
 * Nguyen-Hein generator families (kind nguyen_hein; lmo/nguyen_hein/nguyen_hein.h):
 *   nh-lemma43          Lemma 4.3's construction on random X with distinct rows, at k = 1
 *                       (even vectors) or k = 2 of L = 3 (odd), n_k in {N - 1, N}: rank
 *                       [F_k, 1_N] = N certified (alpha doubled until it is; alpha recorded in
 *                       input.construction).
 *   nh-random           random rational parameters, a hidden layer with n_k >= N - 1: Lemma
 *                       4.4 holds (a.e.).
 *   nh-saturated        sigmoid or tanh, weights ~100: sigma saturates, doubles round F_1 to its
 *                       limits and lose rank; the balls keep it (certified at a few hundred
 *                       bits) -- or say undecided, never guess.
 *   nh-duplicate-units  two identical units of layer 1 (equal columns of W_1 and entries of
 *                       b_1) with n_1 = N - 1: rank N - 1 < N, Lemma 4.4 exceptional.
 * As for every family, `expect` is computed by the oracle when the vector is blessed.
 */
#include "lmo/core/vector_io.h"
#include "lmo/nguyen_hein/nguyen_hein.h"
#include "../core/gen_internal.h"

/* entries p/q, 0 < |p| <= pmax (no zero weight: no unit constant by accident) */
static void rand_qmat(fmpq_mat_t M, lmo_rng_t *r, slong pmax, slong qmax)
{
    for (slong i = 0; i < fmpq_mat_nrows(M); i++)
        for (slong j = 0; j < fmpq_mat_ncols(M); j++) {
            slong p = lmo_rng_uniform(r, 1, pmax);
            fmpq_set_si(fmpq_mat_entry(M, i, j), lmo_rng_below(r, 2) ? p : -p,
                        (ulong)lmo_rng_uniform(r, 1, qmax));
        }
}

/* X with distinct rows (redrawn until they are) */
static void rand_distinct_X(fmpq_mat_t X, lmo_rng_t *r)
{
    slong N = fmpq_mat_nrows(X), d = fmpq_mat_ncols(X);
    for (slong i = 0; i < N; i++)
        for (int again = 1; again;) {
            for (slong c = 0; c < d; c++)
                fmpq_set_si(fmpq_mat_entry(X, i, c), lmo_rng_uniform(r, -6, 6),
                            (ulong)lmo_rng_uniform(r, 1, 3));
            again = 0;
            for (slong j = 0; j < i && !again; j++) {
                int same = 1;
                for (slong c = 0; c < d; c++)
                    same &= fmpq_equal(fmpq_mat_entry(X, i, c), fmpq_mat_entry(X, j, c));
                again = same;
            }
        }
}

/* a random network with L layers, widths n, random parameters and data */
static void rand_net(lmo_nh_input_t in, lmo_rng_t *r, slong N, slong L, const slong *n,
                     slong pmax, slong qmax)
{
    lmo_nh_input_init(in, N, L, n);
    rand_distinct_X(in->X, r);
    rand_qmat(in->Y, r, 2, 2);
    for (slong l = 0; l < L; l++) rand_qmat(in->W + l, r, pmax, qmax), rand_qmat(in->b + l, r, pmax, qmax);
    in->act = (lmo_nh_activation_t)lmo_rng_below(r, 3);
    if (in->act == LMO_NH_SOFTPLUS) fmpq_set_si(in->alpha, lmo_rng_uniform(r, 1, 4), 2);
}

static json_t *finish(lmo_nh_input_t in)
{
    json_t *j = lmo_nh_input_to_json(in);
    lmo_nh_input_clear(in);
    return j;
}

json_t *lmo_gen_nh_lemma43(lmo_rng_t *r, slong index, json_t *flags)
{
    for (int attempt = 0; attempt < 16; attempt++) {
        slong N = lmo_rng_uniform(r, 2, 6), k = index % 2 ? 2 : 1, L = k == 2 ? 3 : lmo_rng_uniform(r, 2, 3);
        slong n[4] = {lmo_rng_uniform(r, 1, 3), lmo_rng_uniform(r, 1, 3), 2, 1};
        n[k] = N - 1 + lmo_rng_uniform(r, 0, 1);
        n[L] = lmo_rng_uniform(r, 1, 2);
        lmo_nh_input_t in;
        fmpq_t alpha;
        rand_net(in, r, N, L, n, 3, 3);
        in->k = k, in->k_given = 1;
        fmpq_init(alpha);
        if (lmo_nh_lemma43(alpha, in, k, LMO_NH_DEFAULT_MAX_PREC) == 0) {
            in->has_construction = 1;
            fmpq_set(in->construction_alpha, alpha);
            json_t *j = finish(in);
            fmpq_clear(alpha);
            json_array_append_new(flags, json_string("Lemma43"));
            return j;
        }
        fmpq_clear(alpha);
        lmo_nh_input_clear(in);
    }
    return NULL;
}

json_t *lmo_gen_nh_random(lmo_rng_t *r, slong index, json_t *flags)
{
    (void)index, (void)flags;
    slong N = lmo_rng_uniform(r, 2, 6), L = lmo_rng_uniform(r, 2, 3);
    slong n[4] = {lmo_rng_uniform(r, 1, 3), 0, 0, 0};
    for (slong l = 1; l < L; l++) n[l] = lmo_rng_uniform(r, 1, N + 1);
    n[lmo_rng_uniform(r, 1, L - 1)] = N - 1 + lmo_rng_uniform(r, 0, 2); /* a wide layer */
    if (n[1] == 0) n[1] = 1;
    n[L] = lmo_rng_uniform(r, 1, 2);
    lmo_nh_input_t in;
    rand_net(in, r, N, L, n, 3, 4);
    return finish(in);
}

json_t *lmo_gen_nh_saturated(lmo_rng_t *r, slong index, json_t *flags)
{
    slong N = lmo_rng_uniform(r, 3, 5);
    slong n[3] = {1, N - 1 + lmo_rng_uniform(r, 0, 1), 1};
    lmo_nh_input_t in;
    rand_net(in, r, N, 2, n, 2, 2);
    in->act = index % 2 ? LMO_NH_TANH : LMO_NH_SIGMOID;
    for (slong i = 0; i < N; i++) fmpq_set_si(fmpq_mat_entry(in->X, i, 0), i, 1);
    /* pre-activations 100 w i + b with w in 1..5, b in 150..300: all far in the flat tail */
    for (slong j = 0; j < n[1]; j++) {
        fmpq_set_si(fmpq_mat_entry(in->W, 0, j), 100 * lmo_rng_uniform(r, 1, 5), 1);
        fmpq_set_si(fmpq_mat_entry(in->b, 0, j), lmo_rng_uniform(r, 150, 300), 1);
    }
    json_array_append_new(flags, json_string("Saturated"));
    return finish(in);
}

json_t *lmo_gen_nh_duplicate_units(lmo_rng_t *r, slong index, json_t *flags)
{
    (void)index;
    slong N = lmo_rng_uniform(r, 3, 6);
    slong n[3] = {lmo_rng_uniform(r, 1, 3), N - 1, 1};
    lmo_nh_input_t in;
    rand_net(in, r, N, 2, n, 3, 3);
    slong j = lmo_rng_uniform(r, 1, N - 2), i = lmo_rng_uniform(r, 0, j - 1);
    for (slong c = 0; c < n[0]; c++) fmpq_set(fmpq_mat_entry(in->W, c, j), fmpq_mat_entry(in->W, c, i));
    fmpq_set(fmpq_mat_entry(in->b, 0, j), fmpq_mat_entry(in->b, 0, i));
    json_array_append_new(flags, json_string("DuplicateUnits"));
    return finish(in);
}
