/*
 * Khatri-Rao rank generator families (kind khatri_rao_rank; see
 * lmo/core/gen.h, the table is in core/gen.c): G = A o X of Soudry & Carmon (4.4),
 * A leaky-ReLU slopes times dropout factors, N <= d0 d1 as in Lemma 3.
 */
#include <flint/fmpq_mat.h>
#include "lmo/core/vector_io.h"
#include "lmo/soudry_carmon/hypotheses.h"
#include "../core/gen_internal.h"

/* p/q with |p| <= pmax, 1 <= q <= qmax */
static void rand_frac(fmpq_t x, lmo_rng_t *r, slong pmax, slong qmax)
{
    /* two draws in two statements: C leaves the order of a call's arguments unspecified,
     * and a generated vector must not depend on the compiler */
    slong q = lmo_rng_uniform(r, 1, qmax);
    slong p = lmo_rng_uniform(r, -pmax, pmax);
    fmpq_set_si(x, p, (ulong) q);
}

/* leaky-ReLU slope in {1, s} times a dropout factor in (0, 2]: a Soudry-Carmon
 * activation entry */
static void rand_slope(fmpq_t x, lmo_rng_t *r, const fmpq_t s)
{
    fmpq_t e;
    fmpq_init(e);
    fmpq_set_si(e, lmo_rng_uniform(r, 1, 20), 10);
    if (lmo_rng_next(r) & 1) fmpq_mul(x, e, s); else fmpq_set(x, e);
    fmpq_clear(e);
}

static void kr_random(fmpq_mat_t A, fmpq_mat_t X, lmo_rng_t *r)
{
    fmpq_t s;
    fmpq_init(s);
    fmpq_set_si(s, 1, 10);
    for (slong i = 0; i < fmpq_mat_nrows(A); i++)
        for (slong n = 0; n < fmpq_mat_ncols(A); n++) rand_slope(fmpq_mat_entry(A, i, n), r, s);
    for (slong j = 0; j < fmpq_mat_nrows(X); j++)
        for (slong n = 0; n < fmpq_mat_ncols(X); n++) rand_frac(fmpq_mat_entry(X, j, n), r, 9, 4);
    fmpq_clear(s);
}

/* Column N-1 := column N-2 + 2^-70 (a (x) u): exactly independent,
 * numerically not. */
static void kr_near_deficient(fmpq_mat_t A, fmpq_mat_t X, lmo_rng_t *r)
{
    slong d1 = fmpq_mat_nrows(A), d0 = fmpq_mat_nrows(X), N = fmpq_mat_ncols(A);
    fmpq_t d;
    fmpq_init(d);
    for (slong i = 0; i < d1; i++) fmpq_set(fmpq_mat_entry(A, i, N - 1), fmpq_mat_entry(A, i, N - 2));
    for (slong j = 0; j < d0; j++) {
        slong u = lmo_rng_uniform(r, 1, 3);   /* u != 0; the sign drawn after it */
        u *= (lmo_rng_next(r) & 1) ? 1 : -1;
        fmpq_set_si(d, u, 1);
        fmpq_div_2exp(d, d, 70);
        fmpq_add(fmpq_mat_entry(X, j, N - 1), fmpq_mat_entry(X, j, N - 2), d);
    }
    fmpq_clear(d);
}

/* Large magnitudes, and three columns sharing a: exactly deficient. */
static void kr_hidden_deficient(fmpq_mat_t A, fmpq_mat_t X)
{
    /* X scaled by 10^18 */
    fmpz_t big;
    fmpz_init(big);
    fmpz_set_ui(big, 10);
    fmpz_pow_ui(big, big, 18);
    fmpq_mat_scalar_mul_fmpz(X, X, big);
    fmpz_clear(big);
    slong d1 = fmpq_mat_nrows(A), d0 = fmpq_mat_nrows(X), N = fmpq_mat_ncols(A);
    /* three columns share a; x^(N) = (x^(N-2) + x^(N-1)) / 3, so
     * g_N = (g_(N-2) + g_(N-1)) / 3 exactly. Dividing by 3 is not exact in
     * binary: an entry that is not a multiple of 3 (one is forced) rounds, and
     * the rounding noise, of order 1e18 * 2^-53, is what a float sees. */
    slong c1 = N - 3, c2 = N - 2, c3 = N - 1;
    for (slong i = 0; i < d1; i++) {
        fmpq_set(fmpq_mat_entry(A, i, c2), fmpq_mat_entry(A, i, c1));
        fmpq_set(fmpq_mat_entry(A, i, c3), fmpq_mat_entry(A, i, c1));
    }
    fmpq_t third, sum;
    fmpq_init(third); fmpq_init(sum);
    fmpq_set_si(third, 1, 3);
    for (slong j = 0; j < d0; j++) {
        fmpq_add(sum, fmpq_mat_entry(X, j, c1), fmpq_mat_entry(X, j, c2));
        if (j == 0) {   /* make the first entry's sum an integer = 1 mod 6: sum/3 is not dyadic */
            fmpz_fdiv_q_ui(fmpq_numref(sum), fmpq_numref(sum), 6);
            fmpz_mul_ui(fmpq_numref(sum), fmpq_numref(sum), 6);
            fmpz_add_ui(fmpq_numref(sum), fmpq_numref(sum), 1);
            fmpz_one(fmpq_denref(sum));
            fmpq_sub(fmpq_mat_entry(X, j, c1), sum, fmpq_mat_entry(X, j, c2));
        }
        fmpq_mul(fmpq_mat_entry(X, j, c3), sum, third);
    }
    fmpq_clear(third); fmpq_clear(sum);
}

enum { KR_GENERIC, KR_NEAR_DEFICIENT, KR_HIDDEN_DEFICIENT };

/* d0 in [d0lo, 6], d1 in [d1lo, d1hi], N in [nlo, d0 d1] (Lemma 3's bound),
 * drawn in that order, then A (d1 x N) and X (d0 x N), then the variant. */
static json_t *kr_family(lmo_rng_t *r, slong index, json_t *flags, int variant)
{
    (void) index;
    static const slong lim[3][4] = { { 1, 1, 5, 1 }, { 2, 1, 4, 2 }, { 2, 2, 4, 3 } };
    const slong *b = lim[variant];   /* d0lo, d1lo, d1hi, nlo */
    slong d0 = lmo_rng_uniform(r, b[0], 6), d1 = lmo_rng_uniform(r, b[1], b[2]);
    slong N = lmo_rng_uniform(r, b[3], lmo_sc_lemma3_max_samples(d0, d1));
    fmpq_mat_t A, X;
    fmpq_mat_init(A, d1, N); fmpq_mat_init(X, d0, N);
    kr_random(A, X, r);
    if (variant == KR_NEAR_DEFICIENT) {
        kr_near_deficient(A, X, r);
        json_array_append_new(flags, json_string("NearRankDeficient"));
    } else if (variant == KR_HIDDEN_DEFICIENT) {
        kr_hidden_deficient(A, X);
        json_array_append_new(flags, json_string("HiddenDeficient"));
    }
    json_t *in = json_object();
    json_object_set_new(in, "A", lmo_json_from_mat(A));
    json_object_set_new(in, "X", lmo_json_from_mat(X));
    fmpq_mat_clear(A); fmpq_mat_clear(X);
    return in;
}

json_t *lmo_gen_kr_generic(lmo_rng_t *r, slong i, json_t *f) { return kr_family(r, i, f, KR_GENERIC); }
json_t *lmo_gen_kr_near_deficient(lmo_rng_t *r, slong i, json_t *f) { return kr_family(r, i, f, KR_NEAR_DEFICIENT); }
json_t *lmo_gen_kr_hidden_deficient(lmo_rng_t *r, slong i, json_t *f) { return kr_family(r, i, f, KR_HIDDEN_DEFICIENT); }
