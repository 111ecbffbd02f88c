/* Exact orthogonal projections (Kawaguchi-Huang-Kaelbling 2019, Section 2.2) and Lemma 3's
 * Gram-Schmidt decomposition (proof of Lemma 3, proof A.1). See lmo/khk/khk.h: a projector
 * is applied through a full-column-rank basis and its normal equations, never through the
 * inverse of a singular matrix. */
#include "lmo/khk/khk.h"

slong lmo_khk_colspace_basis(fmpq_mat_t B, const fmpq_mat_t A)
{
    slong n = fmpq_mat_nrows(A), c = fmpq_mat_ncols(A), r = 0;
    if (n == 0 || c == 0) {
        fmpq_mat_init(B, n, 0);
        return 0;
    }
    fmpq_mat_t R;
    fmpq_mat_init(R, n, c);
    slong rank = fmpq_mat_rref(R, A);
    slong *piv = flint_malloc(sizeof(slong) * (size_t) (rank > 0 ? rank : 1));
    for (slong i = 0, j = 0; i < rank; i++) {
        while (j < c && fmpq_is_zero(fmpq_mat_entry(R, i, j))) j++;
        piv[r++] = j++;
    }
    fmpq_mat_init(B, n, rank);
    for (slong i = 0; i < n; i++)
        for (slong k = 0; k < rank; k++) fmpq_set(fmpq_mat_entry(B, i, k), fmpq_mat_entry(A, i, piv[k]));
    flint_free(piv);
    fmpq_mat_clear(R);
    return rank;
}

/* C := B (B^T B)^{-1} B^T V for a full-column-rank B (r >= 1 columns); 0, or -1. */
static int project_basis(fmpq_mat_t PV, const fmpq_mat_t B, const fmpq_mat_t V)
{
    slong r = fmpq_mat_ncols(B), s = fmpq_mat_ncols(V);
    fmpq_mat_t Bt, G, rhs, c;
    fmpq_mat_init(Bt, r, fmpq_mat_nrows(B));
    fmpq_mat_init(G, r, r);
    fmpq_mat_init(rhs, r, s);
    fmpq_mat_init(c, r, s);
    fmpq_mat_transpose(Bt, B);
    fmpq_mat_mul(G, Bt, B);
    fmpq_mat_mul(rhs, Bt, V);
    int ok = fmpq_mat_solve_fraction_free(c, G, rhs);
    if (ok) fmpq_mat_mul(PV, B, c);
    fmpq_mat_clear(Bt), fmpq_mat_clear(G), fmpq_mat_clear(rhs), fmpq_mat_clear(c);
    return ok ? 0 : -1;
}

slong lmo_khk_project(fmpq_mat_t PV, const fmpq_mat_t A, const fmpq_mat_t V)
{
    fmpq_mat_t B;
    slong r = lmo_khk_colspace_basis(B, A);
    if (r == 0) fmpq_mat_zero(PV);
    else if (project_basis(PV, B, V)) r = -1;
    fmpq_mat_clear(B);
    return r;
}

slong lmo_khk_null_project(fmpq_mat_t NV, const fmpq_mat_t A, const fmpq_mat_t V)
{
    fmpq_mat_t PV;
    fmpq_mat_init(PV, fmpq_mat_nrows(V), fmpq_mat_ncols(V));
    slong r = lmo_khk_project(PV, A, V);
    fmpq_mat_sub(NV, V, PV);
    fmpq_mat_clear(PV);
    return r;
}

slong lmo_khk_proj_norm2(fmpq_t out, const fmpq_mat_t A, const fmpq_mat_t v)
{
    fmpq_mat_t PV;
    fmpq_mat_init(PV, fmpq_mat_nrows(v), 1);
    slong r = lmo_khk_project(PV, A, v);
    fmpq_zero(out);
    /* ||P v||^2 = v^T P v (P symmetric, idempotent); summed as |Pv|^2 directly */
    for (slong i = 0; i < fmpq_mat_nrows(v); i++)
        fmpq_addmul(out, fmpq_mat_entry(PV, i, 0), fmpq_mat_entry(PV, i, 0));
    fmpq_mat_clear(PV);
    return r;
}

/* [A B] into C (initialised here). */
static void concat(fmpq_mat_t C, const fmpq_mat_t A, const fmpq_mat_t B)
{
    slong n = fmpq_mat_nrows(A), a = fmpq_mat_ncols(A), b = fmpq_mat_ncols(B);
    fmpq_mat_init(C, n, a + b);
    for (slong i = 0; i < n; i++) {
        for (slong j = 0; j < a; j++) fmpq_set(fmpq_mat_entry(C, i, j), fmpq_mat_entry(A, i, j));
        for (slong j = 0; j < b; j++) fmpq_set(fmpq_mat_entry(C, i, a + j), fmpq_mat_entry(B, i, j));
    }
}

int lmo_khk_decompose(fmpq *terms, slong *ranks, fmpq_t total, const fmpq_mat_struct *blocks,
                      slong nb, const fmpq_mat_t v)
{
    slong n = fmpq_mat_nrows(v);
    int rc = 0;
    fmpq_mat_t U, all;      /* U: a basis of range(Qbar) so far; all: [A_1 ... A_b] */
    fmpq_mat_init(U, n, 0);
    fmpq_mat_init(all, n, 0);
    fmpq_t t;
    fmpq_init(t);
    for (slong b = 0; b < nb && rc == 0; b++) {
        const fmpq_mat_struct *A = blocks + b;
        fmpq_mat_t Q, UQ, Unew, all2;
        fmpq_mat_init(Q, n, fmpq_mat_ncols(A));
        if (fmpq_mat_ncols(U) == 0) fmpq_mat_set(Q, A);          /* N_1 = I */
        else if (lmo_khk_null_project(Q, U, A) < 0) rc = -1;     /* Q_b = P_N[Qbar_(b-1)] A_b */
        slong rq = lmo_khk_proj_norm2(t, Q, v);
        if (rq < 0) rc = -1;
        if (terms) fmpq_set(terms + b, t);
        if (ranks) ranks[b] = rq;
        concat(UQ, U, Q);
        fmpq_mat_clear(U);
        lmo_khk_colspace_basis(Unew, UQ);
        fmpq_mat_init(U, n, fmpq_mat_ncols(Unew));
        fmpq_mat_swap(U, Unew);
        fmpq_mat_clear(Unew), fmpq_mat_clear(UQ), fmpq_mat_clear(Q);
        concat(all2, all, A);
        fmpq_mat_swap(all, all2);
        fmpq_mat_clear(all2);
    }
    if (rc == 0 && lmo_khk_proj_norm2(total, all, v) < 0) rc = -1;
    fmpq_clear(t);
    fmpq_mat_clear(U), fmpq_mat_clear(all);
    return rc;
}

void lmo_khk_vec(fmpq_mat_t v, const fmpq_mat_t M)
{
    slong r = fmpq_mat_nrows(M), c = fmpq_mat_ncols(M);
    fmpq_mat_init(v, r * c, 1);
    for (slong j = 0; j < c; j++)
        for (slong i = 0; i < r; i++) fmpq_set(fmpq_mat_entry(v, j * r + i, 0), fmpq_mat_entry(M, i, j));
}
