/*
 * lmo/linalg/rank.h -- the certified exact rank of a rational matrix.
 *
 * Certificate (format and rules: vectors/schema/lmo-cert-1.md, "The rank certificate"):
 *   rank >= r : an r x r submatrix (rows, cols) and a prime p dividing no
 *               denominator of its entries, with det != 0 mod p;
 *   rank <= r : n - r kernel vectors in echelon form: vector j is 1 at free
 *               column free[j], 0 at the other free columns, and M k = 0.
 *
 * Algorithm: rank and pivots modulo a random word-size prime (FLINT nmod_mat
 * LU), then the kernel exactly from the pivot subsystem (p-adic lifting and
 * rational reconstruction), proven exactly on the pivot rows by the solver
 * (lmo/linalg/dixon.h), then M k = 0 checked exactly on every other row. If that
 * check fails the prime was unlucky (rank mod p < rank over Q) and the
 * computation is retried with a fresh prime; an unverified answer is never
 * returned.
 */
#ifndef LMO_LINALG_RANK_H
#define LMO_LINALG_RANK_H

#include <flint/fmpz_mat.h>
#include <flint/fmpq_mat.h>
#include <jansson.h>
#include "lmo/core/common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    slong m, n, rank;
    /* rank >= rank: minor rows[0..rank), cols[0..rank), prime */
    slong *rows;
    slong *cols;
    ulong prime;
    /* rank <= rank: kernel vectors, column j of (kernel_num / kernel_den) is
     * the j-th vector; free[j] is the free column where it is 1.
     * kernel_num is n x (n - rank), integer; kernel_den > 0 common. */
    slong *free;
    fmpz_mat_t kernel_num;
    fmpz_t kernel_den;
    int primes_tried;   /* 1 unless an unlucky prime was detected */
} lmo_rank_struct;
typedef lmo_rank_struct lmo_rank_t[1];

void lmo_rank_init(lmo_rank_t R);
void lmo_rank_clear(lmo_rank_t R);

/* Certified rank of M. `seed` drives the choice of primes (deterministic).
 * Returns LMO_OK, or LMO_ELIMIT on an internal failure (err filled). */
int lmo_rank_certified(lmo_rank_t R, const fmpq_mat_t M, ulong seed, lmo_err_t *err);

/* Same, trying `first_prime` (a prime < 2^63) first: lets tests force an
 * unlucky prime and watch it being detected and replaced. */
int lmo_rank_certified_prime(lmo_rank_t R, const fmpq_mat_t M, ulong first_prime,
                             ulong seed, lmo_err_t *err);

/* Same for an integer matrix (no denominators: saves a copy). */
int lmo_rank_certified_fmpz(lmo_rank_t R, const fmpz_mat_t M, ulong seed, lmo_err_t *err);

/* Re-verify R against M exactly (minor mod p and M k = 0); 1 if valid. Used
 * by tests; the independent checker is proofs/lmo-check. */
int lmo_rank_verify(const lmo_rank_t R, const fmpq_mat_t M);

/* Rank only, exact (same algorithm, no certificate kept); -1 on an
 * internal failure. */
slong lmo_rank(const fmpq_mat_t M, ulong seed);

/* The matrix whose rank a vector of kind matrix_rank (input.M) or
 * khatri_rao_rank (G = A o X from input.A, input.X; Soudry-Carmon (4.4))
 * asks for. G must NOT be initialised; on LMO_OK it is and must be cleared.
 * (A vector of another kind is an LMO_EINPUT.) */
int lmo_rank_matrix_from_input(fmpq_mat_t G, const char *kind, const json_t *input,
                               const lmo_limits_t *lim, lmo_err_t *err);

#ifdef __cplusplus
}
#endif
#endif
