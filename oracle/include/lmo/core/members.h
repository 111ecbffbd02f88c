/*
 * lmo/core/members.h -- a struct's members listed once, for its _init and its _clear.
 *
 * A FLINT-style struct initialises its members one by one in _init and clears the same
 * members in _clear: two lists that must agree, and a member added to one and forgotten in
 * the other is a leak or a clear of garbage. A file names the members once,
 *
 *     #define THING_MEMBERS(X, t)         \
 *         X(fmpq, t->loss)                \
 *         X(fmpq_mat, t->M, rows, cols)
 *
 * and _init runs THING_MEMBERS(LMO_MEMBER_INIT, t), _clear THING_MEMBERS(LMO_MEMBER_CLEAR, t):
 * X(T, x, args...) is T_init(x, args...) in the one and T_clear(x) in the other, for any T
 * with those two (fmpz, fmpq, arb, fmpq_poly, fmpq_mat, lmo_rank, lmo_ldl, ...). The calls
 * are the ones written out by hand, so the compiler checks each member's type as before.
 *
 * An array member of n matrices (flint_malloc'ed, each initialised) is cleared and freed by
 * _lmo_fmpq_mat_vec_clear(v, n), as FLINT's _fmpq_vec_clear does for numbers.
 */
#ifndef LMO_CORE_MEMBERS_H
#define LMO_CORE_MEMBERS_H

#include <flint/fmpq_mat.h>

#define LMO_MEMBER_INIT(T, ...) T##_init(__VA_ARGS__);
#define LMO_MEMBER_CLEAR(T, ...) T##_clear(LMO_MEMBER_FIRST_(__VA_ARGS__, ~));
#define LMO_MEMBER_FIRST_(x, ...) x

/* clear v[0..n) and free v; n <= 0 (v NULL or unused) only frees */
static inline void _lmo_fmpq_mat_vec_clear(fmpq_mat_struct *v, slong n)
{
    for (slong i = 0; i < n; i++) fmpq_mat_clear(v + i);
    flint_free(v);
}

#endif
