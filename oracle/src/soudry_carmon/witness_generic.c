/*
 * What Lemma 8 concludes from the witness: the generic rank of G_{L-1} of
 * Soudry-Carmon Theorem 5, at random rational points, in the three dropout
 * cases of the remarks after Theorem 5 (see lmo/soudry_carmon/witness.h).
 */
#include <string.h>
#include "lmo/soudry_carmon/witness.h"
#include "lmo/soudry_carmon/hypotheses.h"

const char *lmo_witness_case_name(lmo_witness_case_t c)
{
    return c == LMO_WITNESS_CASE_ALL ? "i" : c == LMO_WITNESS_CASE_TOP2 ? "ii" : "iii";
}

static slong min_width_below(const slong *d, slong L)   /* min_{l <= L-2} d_l */
{
    slong m = d[0];
    for (slong l = 1; l <= L - 2; l++) m = FLINT_MIN(m, d[l]);
    return m;
}

slong lmo_witness_threshold(const slong *d, slong L, lmo_witness_case_t c)
{
    if (c == LMO_WITNESS_CASE_TOP1) return lmo_sc_theorem5_fixed_dropout_max_samples(d, L);
    return lmo_sc_theorem5_max_samples(d, L);
}

/* non-zero p/q, 1 <= |p| <= 2^20, 1 <= q <= 2^10; positive when pos */
static void rand_q(fmpq_t x, lmo_rng_t *r, int pos)
{
    slong p = 1 + (slong) lmo_rng_below(r, UWORD(1) << 20);
    ulong q = 1 + lmo_rng_below(r, UWORD(1) << 10);
    if (!pos && (lmo_rng_next(r) & 1)) p = -p;
    fmpq_set_si(x, p, q);
}

static void rand_mat(fmpq_mat_t M, lmo_rng_t *r, int pos)
{
    for (slong i = 0; i < fmpq_mat_nrows(M); i++)
        for (slong j = 0; j < fmpq_mat_ncols(M); j++) rand_q(fmpq_mat_entry(M, i, j), r, pos);
}

/* Is E_l random in case c? (i) every l; (ii) l >= L-2; (iii) l = L-1. */
static int dropout_random(slong l, slong L, lmo_witness_case_t c)
{
    if (c == LMO_WITNESS_CASE_ALL) return 1;
    if (c == LMO_WITNESS_CASE_TOP2) return l >= L - 2;
    return l >= L - 1;
}

void lmo_witness_random_net(lmo_mnn_input_t in, const slong *d, slong L, slong N,
                            lmo_witness_case_t c, int active, lmo_rng_t *rng)
{
    lmo_mnn_input_init(in, L, d, N);     /* E all ones */
    fmpq_set_si(in->s, 1, 10);
    in->has_dropout = 1;
    rand_mat(in->X, rng, active);
    for (slong l = 1; l <= L; l++) rand_mat(in->W + l - 1, rng, active);
    for (slong l = 1; l < L; l++)
        if (dropout_random(l, L, c)) rand_mat(in->E + l - 1, rng, 1);  /* dropout factors > 0 */
}

int lmo_witness_random_G(fmpq_mat_t G, int *differentiable, const slong *d, slong L, slong N,
                         lmo_witness_case_t c, int active, lmo_rng_t *rng, lmo_err_t *err)
{
    lmo_mnn_input_t in;
    lmo_mnn_result_t fwd;
    fmpq_mat_t Delta;
    lmo_witness_random_net(in, d, L, N, c, active, rng);
    lmo_mnn_result_init(fwd);
    fmpq_mat_init(G, d[L - 2] * d[L - 1], N);
    int rc = lmo_mnn_forward(fwd, in, err);
    if (rc == LMO_OK) {
        fmpq_mat_init(Delta, d[L - 1], N);
        lmo_witness_G_layer(Delta, G, fwd, in);
        fmpq_mat_clear(Delta);
        *differentiable = fwd->differentiable;
    }
    lmo_mnn_result_clear(fwd);
    lmo_mnn_input_clear(in);
    return rc;
}

/* Exact ranks of the first N columns of G, N = 1..ncols (certified each). */
static int prefix_ranks(slong *rk, const fmpq_mat_t G, ulong seed, lmo_err_t *err)
{
    slong m = fmpq_mat_nrows(G), n = fmpq_mat_ncols(G);
    for (slong N = 1; N <= n; N++) {
        fmpq_mat_t P;
        lmo_rank_t R;
        fmpq_mat_init(P, m, N);
        for (slong i = 0; i < m; i++)
            for (slong j = 0; j < N; j++) fmpq_set(fmpq_mat_entry(P, i, j), fmpq_mat_entry(G, i, j));
        lmo_rank_init(R);
        int rc = lmo_rank_certified(R, P, seed + (ulong) N, err);
        rk[N - 1] = R->rank;
        lmo_rank_clear(R);
        fmpq_mat_clear(P);
        if (rc) return rc;
    }
    return LMO_OK;
}

int lmo_witness_table_rows(lmo_witness_table_row_t *rows, const slong *d, slong L,
                           lmo_witness_case_t c, lmo_rng_t *rng, int max_tries, ulong seed,
                           lmo_err_t *err)
{
    if (lmo_witness_check_shape(d, L + 1, 1, "widths", "N", NULL, err)) return err->code;
    slong R = d[L - 2] * d[L - 1], B = lmo_witness_threshold(d, L, c);
    /* dimension counting for the all-active pattern (lmo/soudry_carmon/witness.h) */
    slong rankV = c == LMO_WITNESS_CASE_TOP1 ? min_width_below(d, L) : d[L - 2];
    slong *rk = flint_malloc(sizeof(slong) * (size_t) R);
    for (slong N = 1; N <= R; N++) {
        lmo_witness_table_row_t *w = rows + N - 1;
        w->N = N;
        w->threshold = B;
        w->bound = FLINT_MIN(N, B);
        w->rows = R;
        w->upper_active = FLINT_MIN(N, d[L - 1] * rankV);
        w->rank_active = -1;
        w->rank_random = -1;
        w->tries = 0;
    }
    int rc = LMO_OK, tries = 0;
    if (max_tries < 1) max_tries = 1;
    /* all-active pattern: the maximum over draws is a lower bound of the generic rank */
    for (int done = 0; !done && tries < max_tries && rc == LMO_OK; ) {
        fmpq_mat_t G;
        int diff = 0;
        tries++;
        rc = lmo_witness_random_G(G, &diff, d, L, R, c, 1, rng, err);
        if (rc == LMO_OK && diff) rc = prefix_ranks(rk, G, seed, err);
        fmpq_mat_clear(G);
        if (rc || !diff) continue;
        done = 1;
        for (slong N = 1; N <= R; N++) {
            rows[N - 1].rank_active = FLINT_MAX(rows[N - 1].rank_active, rk[N - 1]);
            if (rows[N - 1].rank_active < rows[N - 1].upper_active) done = 0;
        }
    }
    /* one random point of random sign (a random pattern) */
    for (int got = 0, t = 0; !got && t < max_tries && rc == LMO_OK; t++) {
        fmpq_mat_t G;
        int diff = 0;
        rc = lmo_witness_random_G(G, &diff, d, L, R, c, 0, rng, err);
        if (rc == LMO_OK && diff) {
            rc = prefix_ranks(rk, G, seed, err);
            got = 1;
            for (slong N = 1; N <= R; N++) rows[N - 1].rank_random = rk[N - 1];
        }
        fmpq_mat_clear(G);
    }
    for (slong N = 1; N <= R && rc == LMO_OK; N++) {
        lmo_witness_table_row_t *w = rows + N - 1;
        w->tries = tries;
        if (w->rank_active < w->bound || w->rank_random < w->bound) w->status = "below";
        else if (w->rank_random > w->bound) w->status = "beyond_lemma8";
        else w->status = "tight";
    }
    flint_free(rk);
    return rc;
}
