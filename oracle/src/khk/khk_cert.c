/* The certificate of kind khk (claim "khk", vectors/schema/lmo-cert-1.md): least-squares
 * coefficients for every prefix of the blocks of A = [D D_1(H+1)], which prove J of (4.2)
 * and its terms, and a rank certificate of A (path_rank). */
#include "lmo/khk/khk.h"
#include "lmo/core/certificate.h"
#include "lmo/core/vector_io.h"

/* c with A_p^T (y - A_p c) = 0 for the first P columns A_p of A, from the pivot columns of
 * A among them (PIV, ascending, NPIV of them): (B^T B) x = B^T y for their basis B, full
 * column rank, and c = x on the pivots, 0 elsewhere. */
static json_t *prefix_coefficients(const fmpq_mat_t A, const fmpq_mat_t y, slong p,
                                   const slong *piv, slong npiv)
{
    slong n = fmpq_mat_nrows(A), k = 0;
    while (k < npiv && piv[k] < p) k++;
    json_t *out = json_array();
    fmpq_mat_t B, BtB, Bty, Bt, x;
    fmpq_mat_init(B, n, k), fmpq_mat_init(Bt, k, n), fmpq_mat_init(BtB, k, k);
    fmpq_mat_init(Bty, k, 1), fmpq_mat_init(x, k, 1);
    for (slong i = 0; i < n; i++)
        for (slong j = 0; j < k; j++) fmpq_set(fmpq_mat_entry(B, i, j), fmpq_mat_entry(A, i, piv[j]));
    fmpq_mat_transpose(Bt, B);
    fmpq_mat_mul(BtB, Bt, B);
    fmpq_mat_mul(Bty, Bt, y);
    if (k && !fmpq_mat_solve(x, BtB, Bty)) { /* independent columns: B^T B is invertible */
        json_decref(out);
        out = NULL;
    }
    for (slong j = 0, q = 0; out && j < p; j++) {
        fmpq_t z;
        fmpq_init(z);
        json_array_append_new(out, lmo_json_from_q(q < k && piv[q] == j ? fmpq_mat_entry(x, q++, 0) : z));
        fmpq_clear(z);
    }
    fmpq_mat_clear(B), fmpq_mat_clear(Bt), fmpq_mat_clear(BtB), fmpq_mat_clear(Bty), fmpq_mat_clear(x);
    return out;
}

json_t *lmo_khk_cert_to_json(const lmo_khk_t net, const char *vector_id, lmo_err_t *err)
{
    fmpq_mat_t A, R, y;
    lmo_rank_t rank;
    lmo_khk_path_matrix(A, net);
    slong n = fmpq_mat_nrows(A), np = fmpq_mat_ncols(A), npiv = 0;
    slong *piv = flint_malloc(sizeof(slong) * (size_t) (np + 1));
    fmpq_mat_init(R, n, np);
    slong rk = fmpq_mat_rref(R, A);
    for (slong i = 0, j = 0; i < rk; i++) { /* the pivot of row i: its first non-zero */
        while (fmpq_is_zero(fmpq_mat_entry(R, i, j))) j++;
        piv[npiv++] = j;
    }
    lmo_khk_vec(y, net->Y);
    json_t *proj = json_array(), *cert = NULL;
    for (slong l = 1, p = 0; proj && l <= net->H + 1; l++)
        for (slong k = 0; proj && k < (l <= net->H ? net->d[l] : 1); k++) {
            p += l <= net->H ? net->d[l - 1] : np - p;
            json_t *cb = prefix_coefficients(A, y, p, piv, npiv);
            if (cb) json_array_append_new(proj, cb);
            else json_decref(proj), proj = NULL;
        }
    lmo_rank_init(rank);
    if (!proj)
        lmo_err_set(err, LMO_ELIMIT, "khk certificate: the normal equations of a basis are "
                    "singular");
    else if (lmo_rank_certified(rank, A, 22, err) == LMO_OK)
        cert = json_pack("{s:s, s:s, s:s, s:I, s:s, s:o, s:o}", "format", "lmo-cert/1", "claim",
                         "khk", "vector", vector_id, "n_params", (json_int_t) np, "theta_order",
                         "vec(W(l)) column-major, l = 1..H+1", "projection", proj, "path_rank",
                         lmo_cert_rank_to_json(rank, vector_id));
    if (!cert && proj) json_decref(proj);
    lmo_rank_clear(rank);
    fmpq_mat_clear(A), fmpq_mat_clear(R), fmpq_mat_clear(y);
    flint_free(piv);
    return cert;
}
