/* Khatri-Rao product, Soudry & Carmon (4.4); see lmo/linalg/khatri_rao.h. */
#include "lmo/linalg/khatri_rao.h"

void lmo_khatri_rao(fmpq_mat_t G, const fmpq_mat_t A, const fmpq_mat_t X)
{
    slong d1 = fmpq_mat_nrows(A), d0 = fmpq_mat_nrows(X), N = fmpq_mat_ncols(A);
    for (slong i = 0; i < d1; i++)
        for (slong j = 0; j < d0; j++)
            for (slong n = 0; n < N; n++)
                fmpq_mul(fmpq_mat_entry(G, i * d0 + j, n),
                         fmpq_mat_entry(A, i, n), fmpq_mat_entry(X, j, n));
}
