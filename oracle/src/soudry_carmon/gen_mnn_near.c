/*
 * Soudry-Carmon generator family mnn-near-critical (kind mnn): the point a float trainer
 * hands over near a global minimum. An interpolating network first -- L = 2, no dropout,
 * leaky ReLU slope 1/10, and y := W2 f(W1 X) exactly, so the error e is 0 and with it
 * every gradient entry (each is linear in e, (4.1)-(4.3)) -- then every weight moved by
 * +-2^-30: not critical, with a gradient certified small against the Hessian's scale (the
 * near-critical report, lmo/linalg/near_critical.h). W1 and the moved W1 are re-drawn while
 * a pre-activation of either is exactly 0, so the point stays differentiable.
 */
#include "lmo/core/vector_io.h"
#include "../core/gen_internal.h"

/* M filled with p/q, 1 <= |p| <= 9, 1 <= q <= 4 */
static void rand_nonzero(fmpq_mat_t M, lmo_rng_t *r)
{
    for (slong i = 0; i < fmpq_mat_nrows(M); i++)
        for (slong j = 0; j < fmpq_mat_ncols(M); j++) {
            slong p = lmo_rng_uniform(r, 1, 9) * (lmo_rng_uniform(r, 0, 1) ? 1 : -1);
            fmpq_set_si(fmpq_mat_entry(M, i, j), p, (ulong) lmo_rng_uniform(r, 1, 4));
        }
}

/* every entry of M moved by +-2^-k */
static void move(fmpq_mat_t M, lmo_rng_t *r, ulong k)
{
    fmpq_t eps;
    fmpq_init(eps);
    fmpz_one(fmpq_denref(eps));
    fmpz_mul_2exp(fmpq_denref(eps), fmpq_denref(eps), k);
    fmpz_one(fmpq_numref(eps));
    for (slong i = 0; i < fmpq_mat_nrows(M); i++)
        for (slong j = 0; j < fmpq_mat_ncols(M); j++) {
            if (lmo_rng_uniform(r, 0, 1)) fmpq_add(fmpq_mat_entry(M, i, j), fmpq_mat_entry(M, i, j), eps);
            else fmpq_sub(fmpq_mat_entry(M, i, j), fmpq_mat_entry(M, i, j), eps);
        }
    fmpq_clear(eps);
}

/* H := f(W X) with slope s; 0 when a pre-activation is exactly 0 (re-draw), else 1 */
static int hidden(fmpq_mat_t H, const fmpq_mat_t W, const fmpq_mat_t X, const fmpq_t s)
{
    fmpq_mat_mul(H, W, X);
    for (slong i = 0; i < fmpq_mat_nrows(H); i++)
        for (slong j = 0; j < fmpq_mat_ncols(H); j++) {
            fmpq *u = fmpq_mat_entry(H, i, j);
            if (fmpq_is_zero(u)) return 0;
            if (fmpq_sgn(u) < 0) fmpq_mul(u, u, s);
        }
    return 1;
}

json_t *lmo_gen_mnn_near_critical(lmo_rng_t *r, slong index, json_t *flags)
{
    (void) index; (void) flags;
    slong d0 = lmo_rng_uniform(r, 2, 3), d1 = lmo_rng_uniform(r, 2, 3);
    slong N = lmo_rng_uniform(r, 2, d0 * d1);
    fmpq_mat_t X, W1, W2, H, y, M1;
    fmpq_t s;
    fmpq_init(s);
    fmpq_set_si(s, 1, 10);
    fmpq_mat_init(X, d0, N), fmpq_mat_init(W1, d1, d0), fmpq_mat_init(W2, 1, d1);
    fmpq_mat_init(H, d1, N), fmpq_mat_init(y, 1, N), fmpq_mat_init(M1, d1, d0);
    rand_nonzero(X, r);
    rand_nonzero(W2, r);
    do {
        rand_nonzero(W1, r);
        fmpq_mat_set(M1, W1);
        move(M1, r, 30);
    } while (!hidden(H, M1, X, s) || !hidden(H, W1, X, s));
    fmpq_mat_mul(y, W2, H);            /* the network reproduces y exactly: e = 0 */
    move(W2, r, 30);
    json_t *in = json_object(), *W = json_array(), *ym = lmo_json_from_mat(y);
    json_object_set_new(in, "X", lmo_json_from_mat(X));
    json_object_set(in, "y", json_array_get(json_object_get(ym, "data"), 0));
    json_decref(ym);
    json_array_append_new(W, lmo_json_from_mat(M1));
    json_array_append_new(W, lmo_json_from_mat(W2));
    json_object_set_new(in, "slope", json_string("1/10"));
    json_object_set_new(in, "weights", W);
    fmpq_mat_clear(X), fmpq_mat_clear(W1), fmpq_mat_clear(W2);
    fmpq_mat_clear(H), fmpq_mat_clear(y), fmpq_mat_clear(M1);
    fmpq_clear(s);
    return in;
}
