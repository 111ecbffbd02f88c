/* Helpers shared by the deep_linear*.c files of this folder (not installed;
 * see lmo/kawaguchi/deep_linear.h for the module). */
#ifndef LMO_KAWAGUCHI_DEEP_LINEAR_INTERNAL_H
#define LMO_KAWAGUCHI_DEEP_LINEAR_INTERNAL_H

#include <flint/fmpq_mat.h>

/* out = A^T B and out = A B^T, exactly; out initialised to the shape. */
void lmo_dl_mul_tn(fmpq_mat_t out, const fmpq_mat_t A, const fmpq_mat_t B);
void lmo_dl_mul_nt(fmpq_mat_t out, const fmpq_mat_t A, const fmpq_mat_t B);

#endif
