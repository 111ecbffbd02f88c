/* Rank generator families (see lmo/gen.h; the table is in gen.c). */
#include <string.h>
#include <flint/fmpq_mat.h>
#include "lmo/gen.h"
#include "lmo/vector_io.h"
#include "gen_internal.h"

static slong uniform(lmo_rng_t *r, slong lo, slong hi)   /* in [lo, hi] */
{
    return lo + (slong) lmo_rng_below(r, (ulong) (hi - lo + 1));
}

/* p/q with |p| <= pmax, 1 <= q <= qmax */
static void rand_frac(fmpq_t x, lmo_rng_t *r, slong pmax, slong qmax)
{
    fmpq_set_si(x, uniform(r, -pmax, pmax), (ulong) uniform(r, 1, qmax));
}

/* leaky-ReLU slope in {1, s} times a dropout factor in (0, 2]: a Soudry-Carmon
 * activation entry */
static void rand_slope(fmpq_t x, lmo_rng_t *r, const fmpq_t s)
{
    fmpq_t e;
    fmpq_init(e);
    fmpq_set_si(e, uniform(r, 1, 20), 10);
    if (lmo_rng_next(r) & 1) fmpq_mul(x, e, s); else fmpq_set(x, e);
    fmpq_clear(e);
}

static json_t *kr_input(const fmpq_mat_t A, const fmpq_mat_t X)
{
    json_t *in = json_object();
    json_object_set_new(in, "A", lmo_json_from_mat(A));
    json_object_set_new(in, "X", lmo_json_from_mat(X));
    return in;
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

json_t *lmo_gen_kr_generic(lmo_rng_t *r, slong index, json_t *flags)
{
    (void) index; (void) flags;
    slong d0 = uniform(r, 1, 6), d1 = uniform(r, 1, 5), N = uniform(r, 1, d0 * d1);
    fmpq_mat_t A, X;
    fmpq_mat_init(A, d1, N); fmpq_mat_init(X, d0, N);
    kr_random(A, X, r);
    json_t *in = kr_input(A, X);
    fmpq_mat_clear(A); fmpq_mat_clear(X);
    return in;
}

json_t *lmo_gen_kr_near_deficient(lmo_rng_t *r, slong index, json_t *flags)
{
    (void) index;
    slong d0 = uniform(r, 2, 6), d1 = uniform(r, 1, 4), N = uniform(r, 2, d0 * d1);
    fmpq_mat_t A, X;
    fmpq_mat_init(A, d1, N); fmpq_mat_init(X, d0, N);
    kr_random(A, X, r);
    /* column N-1 := column N-2 + 2^-70 (a (x) u): exactly independent, numerically not */
    fmpq_t d;
    fmpq_init(d);
    for (slong i = 0; i < d1; i++) fmpq_set(fmpq_mat_entry(A, i, N - 1), fmpq_mat_entry(A, i, N - 2));
    for (slong j = 0; j < d0; j++) {
        slong u = uniform(r, 1, 3) * ((lmo_rng_next(r) & 1) ? 1 : -1);   /* u != 0 */
        fmpq_set_si(d, u, 1);
        fmpq_div_2exp(d, d, 70);
        fmpq_add(fmpq_mat_entry(X, j, N - 1), fmpq_mat_entry(X, j, N - 2), d);
    }
    fmpq_clear(d);
    json_array_append_new(flags, json_string("NearRankDeficient"));
    json_t *in = kr_input(A, X);
    fmpq_mat_clear(A); fmpq_mat_clear(X);
    return in;
}

json_t *lmo_gen_kr_hidden_deficient(lmo_rng_t *r, slong index, json_t *flags)
{
    (void) index;
    slong d0 = uniform(r, 2, 6), d1 = uniform(r, 2, 4), N = uniform(r, 3, d0 * d1);
    fmpq_mat_t A, X;
    fmpq_mat_init(A, d1, N); fmpq_mat_init(X, d0, N);
    kr_random(A, X, r);
    /* large magnitudes: X scaled by 10^18 */
    fmpz_t big;
    fmpz_init(big);
    fmpz_set_ui(big, 10);
    fmpz_pow_ui(big, big, 18);
    fmpq_mat_scalar_mul_fmpz(X, X, big);
    fmpz_clear(big);
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
    json_array_append_new(flags, json_string("HiddenDeficient"));
    json_t *in = kr_input(A, X);
    fmpq_mat_clear(A); fmpq_mat_clear(X);
    return in;
}

static json_t *matrix_input(const fmpq_mat_t M)
{
    json_t *in = json_object();
    json_object_set_new(in, "M", lmo_json_from_mat(M));
    return in;
}

json_t *lmo_gen_kahan(lmo_rng_t *r, slong index, json_t *flags)
{
    (void) index;
    slong n = uniform(r, 12, 32);
    /* c = (1 - t^2)/(1 + t^2), s = 2t/(1 + t^2) with t = a/b in (0.2, 0.5]:
     * s in (0.38, 0.8], where numpy's tolerance starts to misjudge the rank
     * for n in this range; small b keeps the vector small */
    slong b = uniform(r, 6, 16), a = uniform(r, b / 5 + 1, b / 2);
    fmpq_t c, s, sp, t, u;
    fmpq_init(c); fmpq_init(s); fmpq_init(sp); fmpq_init(t); fmpq_init(u);
    fmpq_set_si(c, b * b - a * a, (ulong) (b * b + a * a));
    fmpq_set_si(s, 2 * a * b, (ulong) (b * b + a * a));
    fmpq_mat_t M;
    fmpq_mat_init(M, n, n);
    fmpq_one(sp);
    for (slong i = 0; i < n; i++) {
        fmpq_set(fmpq_mat_entry(M, i, i), sp);
        fmpq_mul(u, sp, c);
        fmpq_neg(u, u);
        for (slong j = i + 1; j < n; j++) fmpq_set(fmpq_mat_entry(M, i, j), u);
        fmpq_mul(sp, sp, s);
    }
    json_array_append_new(flags, json_string("Kahan"));
    json_t *in = matrix_input(M);
    fmpq_mat_clear(M);
    fmpq_clear(c); fmpq_clear(s); fmpq_clear(sp); fmpq_clear(t); fmpq_clear(u);
    return in;
}

json_t *lmo_gen_graded(lmo_rng_t *r, slong index, json_t *flags)
{
    (void) index;
    slong m = uniform(r, 3, 12), n = uniform(r, 2, m), k = uniform(r, 2, 6), l = uniform(r, 0, 3);
    fmpq_mat_t M;
    fmpq_mat_init(M, m, n);
    fmpz_t p;
    fmpz_init(p);
    for (slong i = 0; i < m; i++)
        for (slong j = 0; j < n; j++) {
            fmpz_set_ui(p, 10);
            fmpz_pow_ui(p, p, (ulong) (k * i + l * j));
            fmpz_set_si(fmpq_mat_entry_num(M, i, j), uniform(r, -99, 99));
            fmpz_set(fmpq_mat_entry_den(M, i, j), p);
            fmpq_canonicalise(fmpq_mat_entry(M, i, j));
        }
    fmpz_clear(p);
    json_array_append_new(flags, json_string("Graded"));
    json_t *in = matrix_input(M);
    fmpq_mat_clear(M);
    return in;
}

