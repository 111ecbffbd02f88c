/* Matrix rank generator families (kind matrix_rank; see lmo/core/gen.h, the
 * table is in core/gen.c): Kahan's matrix and graded matrices. */
#include <flint/fmpq_mat.h>
#include "lmo/core/vector_io.h"
#include "../core/gen_internal.h"

static json_t *matrix_input(const fmpq_mat_t M)
{
    json_t *in = json_object();
    json_object_set_new(in, "M", lmo_json_from_mat(M));
    return in;
}

json_t *lmo_gen_kahan(lmo_rng_t *r, slong index, json_t *flags)
{
    (void) index;
    slong n = lmo_rng_uniform(r, 12, 32);
    /* c = (1 - t^2)/(1 + t^2), s = 2t/(1 + t^2) with t = a/b in (0.2, 0.5]:
     * s in (0.38, 0.8], where numpy's tolerance starts to misjudge the rank
     * for n in this range; small b keeps the vector small */
    slong b = lmo_rng_uniform(r, 6, 16), a = lmo_rng_uniform(r, b / 5 + 1, b / 2);
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
    slong m = lmo_rng_uniform(r, 3, 12), n = lmo_rng_uniform(r, 2, m);
    slong k = lmo_rng_uniform(r, 2, 6), l = lmo_rng_uniform(r, 0, 3);
    fmpq_mat_t M;
    fmpq_mat_init(M, m, n);
    fmpz_t p;
    fmpz_init(p);
    for (slong i = 0; i < m; i++)
        for (slong j = 0; j < n; j++) {
            fmpz_set_ui(p, 10);
            fmpz_pow_ui(p, p, (ulong) (k * i + l * j));
            fmpz_set_si(fmpq_mat_entry_num(M, i, j), lmo_rng_uniform(r, -99, 99));
            fmpz_set(fmpq_mat_entry_den(M, i, j), p);
            fmpq_canonicalise(fmpq_mat_entry(M, i, j));
        }
    fmpz_clear(p);
    json_array_append_new(flags, json_string("Graded"));
    json_t *in = matrix_input(M);
    fmpq_mat_clear(M);
    return in;
}
