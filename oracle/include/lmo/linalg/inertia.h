/*
 * lmo/linalg/inertia.h -- exact inertia of a rational symmetric matrix, with the
 * definiteness certificates of DESIGN.md ("Certificates"):
 *   H >= 0 / H > 0 : a permutation P, a unit lower-triangular L and a diagonal
 *                    D >= 0 / D > 0 with P^T H P = L D L^T exactly;
 *   H has a negative eigenvalue : a rational v with v^T H v < 0.
 *
 * Mirrors no single paper statement: it is the definiteness engine behind
 * Kawaguchi 2016 (Theorem 2.3 (iv), Corollary 2.4: "the Hessian has a negative
 * eigenvalue", Lemma 4.6's semidefinite conditions) and the Soudry-Carmon
 * Hessians. By Sylvester's law of inertia, the signs of the pivots of any
 * congruence P^T H P = L D L^T (L nonsingular) count the positive, negative
 * and zero eigenvalues of H exactly.
 *
 * Algorithm: symmetric Gaussian elimination with symmetric diagonal pivoting
 * (the nonzero diagonal of smallest size), exact over Q -- on reduced
 * fractions by default, or fraction-free (Bareiss) on the integer matrix
 * den * H, where every division is exact. When the remaining Schur complement
 * has a zero diagonal but a nonzero off-diagonal entry s_ij (then it is
 * indefinite: e_i - sgn(s_ij) e_j is a negative direction), index j is
 * replaced by j + i (a unimodular congruence of the trailing block, which
 * keeps the elimination exact) so that its diagonal 2 s_ij is a usable pivot.
 * From then on the inertia is still exact but the factors no longer have the
 * form P^T H P = L D L^T, so `complete` is 0; this only happens for
 * indefinite matrices, whose certificate is v.
 */
#ifndef LMO_LINALG_INERTIA_H
#define LMO_LINALG_INERTIA_H

#include <jansson.h>
#include <flint/fmpq.h>
#include <flint/fmpq_mat.h>
#include <flint/fmpz_mat.h>
#include "lmo/core/common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    slong n;
    slong npos, nneg, nzero;   /* the inertia of H */
    slong rank;                /* npos + nneg */
    int complete;    /* 1: P^T H P = L diag(D) L^T holds with perm, L, D below */
    slong *perm;     /* P: (P^T H P)[i][j] = H[perm[i]][perm[j]] */
    fmpq_mat_t L;    /* n x n unit lower triangular (meaningful when complete) */
    fmpq *D;         /* n pivots; the first `rank` nonzero, the rest 0 */
    int has_witness; /* 1 when v below satisfies v^T H v = vHv < 0 */
    fmpq_mat_t v;    /* n x 1 */
    fmpq_t vHv;
} lmo_ldl_struct;
typedef lmo_ldl_struct lmo_ldl_t[1];

void lmo_ldl_init(lmo_ldl_t F);
void lmo_ldl_clear(lmo_ldl_t F);

/* Factor the symmetric matrix H (inertia, L, D, P and, when H is not positive
 * semidefinite, a witness v). Returns LMO_OK, or LMO_EINPUT (err filled) when
 * H is not square or not symmetric. */
int lmo_ldl(lmo_ldl_t F, const fmpq_mat_t H, lmo_err_t *err);

/* The elimination comes in three exact variants with the same output
 * contract (their pivots may differ, so may L and D; the inertia cannot):
 *  LMO_LDL_MODULAR (lmo_ldl's choice): rank r and an order I of r indices
 *    in which the principal block A = H[I,I] has nonzero leading minors,
 *    from a symmetric elimination of den * H modulo a 21-bit prime with
 *    diagonal pivots; then over Q the LDL^T of A,
 *    X = A^{-1} H[I,J] by the p-adic solver of lmo/linalg/dixon.h (which proves
 *    A X = H[I,J]), L21 = X^T L_A, and an exact check that the Schur
 *    complement H[J,J] - H[J,I] X vanishes (so the modular steps are
 *    trusted for nothing but the order). Falls back to LMO_LDL_RATIONAL
 *    when the elimination of A meets a zero diagonal with a nonzero
 *    off-diagonal entry, or when three primes fail.
 *  LMO_LDL_RATIONAL: elimination on reduced fractions;
 *  LMO_LDL_BAREISS: fraction-free elimination on den * H. */
enum { LMO_LDL_MODULAR = 0, LMO_LDL_RATIONAL = 1, LMO_LDL_BAREISS = 2 };
int lmo_ldl_method(lmo_ldl_t F, const fmpq_mat_t H, int method, lmo_err_t *err);

/* lmo_ldl of H = Z / den (Z square integer, den > 0): the same factors
 * without the rational matrix, for callers that build H over Z (the deep
 * linear Hessian). LMO_EINPUT when Z is not square and symmetric or
 * den <= 0. */
int lmo_ldl_fmpz(lmo_ldl_t F, const fmpz_mat_t Z, const fmpz_t den, lmo_err_t *err);

/* Same, for the inertia only: L is not written and no witness is kept
 * (cheaper for large H). */
int lmo_inertia(slong *npos, slong *nneg, slong *nzero, const fmpq_mat_t H,
                lmo_err_t *err);

/* H >= 0 (resp. H > 0) proven by F: complete, no negative pivot (resp. no
 * zero pivot either). */
int lmo_ldl_is_psd(const lmo_ldl_t F);
int lmo_ldl_is_pd(const lmo_ldl_t F);

/* Re-check exactly, independently of how F was computed: perm is a
 * permutation, L is unit lower triangular, P^T H P == L diag(D) L^T.
 * Returns 1 when all hold. Used by tests; the independent checker is
 * proofs/lmo-check. */
int lmo_ldl_verify(const lmo_ldl_t F, const fmpq_mat_t H);

/* out = v^T H v for an n x 1 vector v. */
void lmo_quad_form(fmpq_t out, const fmpq_mat_t H, const fmpq_mat_t v);

/* When F is complete: K (initialised here to n x (n - rank)) gets a basis of
 * ker H, column t = P L^{-T} e_{rank+t}. Returns 0, or -1 if F is not
 * complete (K is then initialised to n x 0). */
int lmo_ldl_kernel(fmpq_mat_t K, const lmo_ldl_t F);

/* The LDL part of a certificate (new reference; vectors/schema/lmo-cert-1.md,
 * "hessian_psd"): P^T H P = L diag(D) L^T. Returns NULL if F is not complete. */
json_t *lmo_ldl_to_json(const lmo_ldl_t F);
/* {"v": [..n numbers..], "vHv": number} ; NULL without a witness. */
json_t *lmo_ldl_witness_to_json(const lmo_ldl_t F);

#ifdef __cplusplus
}
#endif
#endif
