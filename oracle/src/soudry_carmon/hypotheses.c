/* The hypotheses of Soudry & Carmon's Lemma 3, Theorems 4 and 5 and the
 * remark after Theorem 5, decided in one place (see
 * lmo/soudry_carmon/hypotheses.h for the statements quoted). */
#include "lmo/soudry_carmon/hypotheses.h"

const char *lmo_pred_name(lmo_pred_t p)
{
    switch (p) {
    case LMO_PRED_HOLDS: return "holds";
    case LMO_PRED_VIOLATED: return "violated";
    default: return "not_applicable";
    }
}

static int no_zero_entry(const fmpq_mat_t M)
{
    for (slong i = 0; i < fmpq_mat_nrows(M); i++)
        for (slong j = 0; j < fmpq_mat_ncols(M); j++)
            if (fmpq_is_zero(fmpq_mat_entry(M, i, j))) return 0;
    return 1;
}

int lmo_dropout_is_nontrivial(const fmpq_mat_t E)
{
    slong d1 = fmpq_mat_nrows(E), N = fmpq_mat_ncols(E);
    if (d1 == 0 || N == 0) return 0;
    if (!no_zero_entry(E)) return 0;
    /* no zero entry: rank one iff every 2x2 minor through entry (0,0) vanishes */
    int rank2 = 0;
    fmpq_t a, b;
    fmpq_init(a); fmpq_init(b);
    for (slong i = 1; i < d1 && !rank2; i++)
        for (slong n = 1; n < N && !rank2; n++) {
            fmpq_mul(a, fmpq_mat_entry(E, i, n), fmpq_mat_entry(E, 0, 0));
            fmpq_mul(b, fmpq_mat_entry(E, i, 0), fmpq_mat_entry(E, 0, n));
            rank2 = !fmpq_equal(a, b);
        }
    fmpq_clear(a); fmpq_clear(b);
    return rank2;
}

slong lmo_sc_lemma3_max_samples(slong d0, slong d1)
{
    return d0 * d1;
}

lmo_sc_hypothesis_t lmo_sc_lemma3_hypotheses(slong d0, slong d1, slong N, const fmpq_mat_t E1)
{
    if (N > lmo_sc_lemma3_max_samples(d0, d1)) return LMO_SC_TOO_MANY_SAMPLES;
    if (!lmo_dropout_is_nontrivial(E1)) return LMO_SC_TRIVIAL_DROPOUT;
    return LMO_SC_APPLIES;
}

slong lmo_sc_theorem5_max_samples(const slong *d, slong L)
{
    return d[L - 2] * d[L - 1];
}

lmo_sc_hypothesis_t lmo_sc_theorem5_hypotheses(const slong *d, slong L, slong N, const fmpq_mat_t X,
                                               const fmpq_mat_struct *W, const fmpq_mat_struct *E)
{
    if (L < 3) return LMO_SC_DEPTH;
    if (N > lmo_sc_theorem5_max_samples(d, L)) return LMO_SC_TOO_MANY_SAMPLES;
    if (!lmo_dropout_is_nontrivial(E + L - 2) || !lmo_dropout_is_nontrivial(E + L - 3))
        return LMO_SC_TRIVIAL_DROPOUT;
    int generic = no_zero_entry(X);
    for (slong l = 1; l <= L - 2 && generic; l++) generic = no_zero_entry(W + l - 1);
    for (slong l = 1; l <= L - 3 && generic; l++) generic = no_zero_entry(E + l - 1);
    return generic ? LMO_SC_APPLIES : LMO_SC_NOT_GENERIC;
}

slong lmo_sc_theorem5_fixed_dropout_max_samples(const slong *d, slong L)
{
    slong m = d[0];
    for (slong l = 1; l <= L - 2; l++) m = FLINT_MIN(m, d[l]);
    return d[L - 1] * m;
}
