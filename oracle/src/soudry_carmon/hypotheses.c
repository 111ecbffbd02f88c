/* The hypotheses of Soudry & Carmon's Lemma 3, Theorems 4 and 5 and the
 * remark after Theorem 5, decided in one place (see
 * lmo/soudry_carmon/hypotheses.h for the statements quoted). */
#include <stdio.h>
#include "lmo/soudry_carmon/hypotheses.h"

static int zero_column(const fmpq_mat_t M, slong n)
{
    for (slong i = 0; i < fmpq_mat_nrows(M); i++)
        if (!fmpq_is_zero(fmpq_mat_entry(M, i, n))) return 0;
    return 1;
}

/* The 2 x 2 minor of M on rows i, k and columns n, m vanishes. */
static int minor2_zero(const fmpq_mat_t M, slong i, slong k, slong n, slong m)
{
    fmpq_t a, b;
    fmpq_init(a);
    fmpq_init(b);
    fmpq_mul(a, fmpq_mat_entry(M, i, n), fmpq_mat_entry(M, k, m));
    fmpq_mul(b, fmpq_mat_entry(M, k, n), fmpq_mat_entry(M, i, m));
    int zero = fmpq_equal(a, b);
    fmpq_clear(a);
    fmpq_clear(b);
    return zero;
}

/* Columns n and m of M are parallel (rank of the pair <= 1). */
static int parallel(const fmpq_mat_t M, slong n, slong m)
{
    for (slong i = 0; i < fmpq_mat_nrows(M); i++)
        for (slong k = i + 1; k < fmpq_mat_nrows(M); k++)
            if (!minor2_zero(M, i, k, n, m)) return 0;
    return 1;
}

/* rank(M) <= 1: every entry's 2 x 2 minor with a non-zero pivot entry vanishes. */
static int rank_at_most_one(const fmpq_mat_t M)
{
    slong i0 = -1, n0 = -1, d = fmpq_mat_nrows(M), N = fmpq_mat_ncols(M);
    for (slong i = 0; i < d && i0 < 0; i++)
        for (slong n = 0; n < N && i0 < 0; n++)
            if (!fmpq_is_zero(fmpq_mat_entry(M, i, n))) i0 = i, n0 = n;
    if (i0 < 0) return 1;   /* M = 0 */
    for (slong i = 0; i < d; i++)
        for (slong n = 0; n < N; n++)
            if (!minor2_zero(M, i, i0, n, n0)) return 0;
    return 1;
}

static int all_ones(const fmpq_mat_t M)
{
    for (slong i = 0; i < fmpq_mat_nrows(M); i++)
        for (slong n = 0; n < fmpq_mat_ncols(M); n++)
            if (!fmpq_is_one(fmpq_mat_entry(M, i, n))) return 0;
    return 1;
}

int lmo_sc_genericity(char *why, size_t cap, const fmpq_mat_t X, const fmpq_mat_t A,
                      const char *xname, const char *aname)
{
    slong N = fmpq_mat_ncols(X);
    for (slong n = 0; n < N; n++) /* a zero sample makes its column of A o X zero */
        if (zero_column(X, n) || zero_column(A, n)) {
            snprintf(why, cap, "column %ld of %s is zero", (long) n + 1,
                     zero_column(X, n) ? xname : aname);
            return 1;
        }
    /* rank one where a generic A has rank >= 2: with A = r t^T, A o X = (r (x) I) X diag(t)
     * has rank at most d0 */
    if (N >= 2 && fmpq_mat_nrows(A) >= 2 && rank_at_most_one(A)) {
        if (all_ones(A))
            snprintf(why, cap, "%s = 1, no dropout (Section 6: \"without dropout, this analysis is "
                     "not guaranteed to hold\")", aname);
        else
            snprintf(why, cap, "%s has rank one, a rescaled %s = 1", aname, aname);
        return 1;
    }
    for (slong n = 0; n < N; n++)
        for (slong m = n + 1; m < N; m++)
            if (parallel(X, n, m) && parallel(A, n, m)) {
                snprintf(why, cap, "samples %ld and %ld are parallel in %s and in %s", (long) n + 1,
                         (long) m + 1, xname, aname);
                return 1;
            }
    snprintf(why, cap, "every N x N minor of %s o %s vanishes here, a polynomial condition of "
             "measure zero", aname, xname);
    return 0;
}

slong lmo_sc_lemma3_max_samples(slong d0, slong d1)
{
    return d0 * d1;
}

lmo_sc_hypothesis_t lmo_sc_lemma3_hypotheses(slong d0, slong d1, slong N, const fmpq_t s)
{
    if (N > lmo_sc_lemma3_max_samples(d0, d1)) return LMO_SC_TOO_MANY_SAMPLES;
    return fmpq_is_zero(s) ? LMO_SC_RELU : LMO_SC_APPLIES;
}

slong lmo_sc_theorem5_max_samples(const slong *d, slong L)
{
    return d[L - 2] * d[L - 1];
}

lmo_sc_hypothesis_t lmo_sc_theorem5_hypotheses(const slong *d, slong L, slong N, const fmpq_t s)
{
    if (L < 3) return LMO_SC_DEPTH;
    if (N > lmo_sc_theorem5_max_samples(d, L)) return LMO_SC_TOO_MANY_SAMPLES;
    return fmpq_is_zero(s) ? LMO_SC_RELU : LMO_SC_APPLIES;
}

slong lmo_sc_theorem5_fixed_dropout_max_samples(const slong *d, slong L)
{
    slong m = d[0];
    for (slong l = 1; l <= L - 2; l++) m = FLINT_MIN(m, d[l]);
    return d[L - 1] * m;
}
