/* Helpers shared by the deep_linear*.c files of this folder (not installed;
 * see lmo/kawaguchi/deep_linear.h for the module). */
#ifndef LMO_KAWAGUCHI_DEEP_LINEAR_INTERNAL_H
#define LMO_KAWAGUCHI_DEEP_LINEAR_INTERNAL_H

#include <flint/fmpq_mat.h>
#include "lmo/kawaguchi/deep_linear.h"

/* out (initialised here) = A B, A^T B and A B^T, exactly: every product here is a new
 * matrix, so the callers do not repeat its shape. */
void lmo_dl_mul(fmpq_mat_t out, const fmpq_mat_t A, const fmpq_mat_t B);
void lmo_dl_mul_tn(fmpq_mat_t out, const fmpq_mat_t A, const fmpq_mat_t B);
void lmo_dl_mul_nt(fmpq_mat_t out, const fmpq_mat_t A, const fmpq_mat_t B);

/* M (initialised here) = W_hi ... W_lo, d(hi) x d(lo-1); the identity of size d(lo-1) when
 * hi = lo - 1 (the paper's convention W_k ... W_k' = I when k < k'). */
void lmo_dl_chain(fmpq_mat_t M, const lmo_deep_linear_t dl, slong lo, slong hi);

/* K (initialised here, ncols(A) x nullity) = a basis of ker A (identity on the free columns
 * of rref A); returns the nullity. */
slong lmo_dl_kernel(fmpq_mat_t K, const fmpq_mat_t A);

/* G (initialised here, dy x dx) = (W(H+1)...W1 X - Y) X^T = (X r)^T, r the paper's error
 * matrix: the gradient of the loss with respect to the product W(H+1)...W1. */
void lmo_dl_residual_gram(fmpq_mat_t G, const lmo_deep_linear_t dl);

#endif
