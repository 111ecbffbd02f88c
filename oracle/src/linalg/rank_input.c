/* The matrix of a rank-kind vector (see lmo_rank_matrix_from_input). */
#include <string.h>
#include "lmo/linalg/rank.h"
#include "lmo/linalg/khatri_rao.h"
#include "lmo/core/vector_io.h"

int lmo_rank_matrix_from_input(fmpq_mat_t G, const char *kind, const json_t *input,
                               const lmo_limits_t *lim, lmo_err_t *err)
{
    if (strcmp(kind, "matrix_rank") == 0) {
        const json_t *M = lmo_json_require(input, "M", "input", err);
        return M ? lmo_mat_set_json(G, M, "input.M", lim, err) : err->code;
    }
    if (strcmp(kind, "khatri_rao_rank") != 0)
        return lmo_err_set(err, LMO_EINPUT, "kind: \"%s\" has no rank matrix "
                           "(expected matrix_rank or khatri_rao_rank)", kind);
    const json_t *ja = lmo_json_require(input, "A", "input", err);
    if (ja == NULL) return err->code;
    const json_t *jx = lmo_json_require(input, "X", "input", err);
    if (jx == NULL) return err->code;
    fmpq_mat_t A, X;
    if (lmo_mat_set_json(A, ja, "input.A", lim, err)) return err->code;
    if (lmo_mat_set_json(X, jx, "input.X", lim, err)) { fmpq_mat_clear(A); return err->code; }
    slong d1 = fmpq_mat_nrows(A), d0 = fmpq_mat_nrows(X), N = fmpq_mat_ncols(A);
    int rc = LMO_OK;
    if (fmpq_mat_ncols(X) != N)
        rc = lmo_err_set(err, LMO_EINPUT, "input.X: has %ld columns but input.A has %ld (both are N)",
                         (long) fmpq_mat_ncols(X), (long) N);
    else if (d0 != 0 && d1 > lim->max_dim / d0)
        rc = lmo_err_set(err, LMO_ELIMIT, "input: A o X would have %ld x %ld rows, over the cap",
                         (long) d1, (long) d0);
    else if (N != 0 && d1 * d0 > lim->max_entries / N)
        rc = lmo_err_set(err, LMO_ELIMIT, "input: A o X would have %ld x %ld entries, over the cap "
                         "(LMO_MAX_ENTRIES)", (long) (d1 * d0), (long) N);
    if (rc == LMO_OK) {
        fmpq_mat_init(G, d1 * d0, N);
        lmo_khatri_rao(G, A, X);
    }
    fmpq_mat_clear(A);
    fmpq_mat_clear(X);
    return rc;
}
