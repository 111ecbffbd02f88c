/*
 * lmo/linalg/khatri_rao.h -- the Khatri-Rao product of Soudry & Carmon, eq. (4.4).
 *
 * For A (d1 x N) and X (d0 x N), G = A o X is the d1*d0 x N matrix whose
 * n-th column is a^(n) (x) x^(n) (Kronecker product of the n-th columns):
 *     G[i*d0 + j][n] = A[i][n] * X[j][n].
 * Lemma 3 of the paper concerns the column rank of this matrix.
 */
#ifndef LMO_LINALG_KHATRI_RAO_H
#define LMO_LINALG_KHATRI_RAO_H

#include <flint/fmpq_mat.h>

#ifdef __cplusplus
extern "C" {
#endif

/* G must be initialised with d1*d0 rows and N columns; A and X must have
 * the same number of columns N. */
void lmo_khatri_rao(fmpq_mat_t G, const fmpq_mat_t A, const fmpq_mat_t X);

#ifdef __cplusplus
}
#endif
#endif
