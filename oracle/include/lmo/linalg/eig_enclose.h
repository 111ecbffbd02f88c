/*
 * lmo/linalg/eig_enclose.h -- certified enclosures of the eigenvalues of a rational
 * symmetric matrix (arb ball arithmetic), with counts of the certainly negative,
 * certainly positive and undecided ones.
 *
 * Mirrors no paper statement: it is the curvature engine behind the near-critical
 * report (lmo/linalg/near_critical.h) of points that are not exactly critical -- the
 * Hessian of Kawaguchi 2016's deep linear loss (Lemma 4.3) and of Soudry-Carmon's MSE
 * (5.6)-(5.7) where it is differentiable.
 *
 * Method, at working precisions prec_start, 2 prec_start, ... up to prec_cap bits:
 *  1. LOCATE (not trusted): cyclic Jacobi rotations on midpoints give a matrix Q whose
 *     columns are approximate eigenvectors of A (re-orthonormalised and refined at each
 *     precision, starting from the previous one's Q). Nothing about Q is assumed: its
 *     entries are exact binary numbers, that is all.
 *  2. BOUND (rigorous): B = Q^{-1} (A Q) by arb_mat_solve in ball arithmetic (which
 *     fails unless it proves Q invertible). B is similar to A, so it has A's
 *     eigenvalues, all real. Gershgorin: every eigenvalue lies in a disc centred at
 *     B_ii of radius sum_{j != i} |B_ij|; a connected component of the union of k discs
 *     holds exactly k eigenvalues (counted with multiplicity). With real centres, the
 *     components are those of the real intervals [B_ii -+ (rad(B_ii) + R_i)] (enlarged
 *     by the balls' radii, which keeps the counting argument: every exact disc lies in
 *     its enlarged one).
 *  3. Each component [lo, hi] of k intervals encloses k eigenvalues: hi < 0 makes them
 *     certainly negative, lo > 0 certainly positive, otherwise (0 in [lo, hi]) they are
 *     undecided. Clustered or multiple eigenvalues share their component's enclosure.
 * The loop stops when nothing (or at most `enough`) is undecided, or at prec_cap. An
 * exact zero eigenvalue is undecided at every precision: this engine never guesses a
 * sign, and its signs never come from the exact inertia (lmo/linalg/inertia.h; the
 * caller may use it only to choose `enough`), so that the two can be compared: a
 * certified sign that contradicts Sylvester's count is a bug (test_eig_enclose.c).
 *
 * The result is deterministic: every step is arb/arf arithmetic (no float library).
 */
#ifndef LMO_LINALG_EIG_ENCLOSE_H
#define LMO_LINALG_EIG_ENCLOSE_H

#include <jansson.h>
#include <arb.h>
#include <arb_mat.h>
#include <flint/fmpq_mat.h>
#include <flint/fmpz_mat.h>
#include "lmo/core/common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    slong n;
    arb_ptr lambda;          /* n enclosures, ascending by component; one component's
                                members share its enclosure */
    slong *multiplicity;     /* multiplicity[i]: how many eigenvalues share lambda[i] */
    slong nneg, npos, nundecided;
    slong prec;              /* working precision of the last attempt (bits) */
    int ok;                  /* 0: no attempt proved Q invertible (everything undecided) */
} lmo_eig_enclose_struct;
typedef lmo_eig_enclose_struct lmo_eig_enclose_t[1];

void lmo_eig_enclose_init(lmo_eig_enclose_t E);
void lmo_eig_enclose_clear(lmo_eig_enclose_t E);

/* Enclose the eigenvalues of the symmetric A = Z / den (Z n x n, den > 0) at
 * precisions prec_start, 2 prec_start, ... <= prec_cap (prec_start >= 32; prec_cap <
 * prec_start means one attempt at prec_start), stopping early once at most `enough`
 * eigenvalues are undecided (a caller that knows A has k exact zero eigenvalues passes
 * k: no precision decides those; it changes when to stop, never a sign). LMO_OK, or
 * LMO_EINPUT (err) when Z is not square and symmetric or den <= 0. */
int lmo_eig_enclose_fmpz(lmo_eig_enclose_t E, const fmpz_mat_t Z, const fmpz_t den,
                         slong prec_start, slong prec_cap, slong enough, lmo_err_t *err);
/* Step 2-3 alone at precision prec with a caller's Q (n x n; any matrix: a poor Q gives
 * wide but still valid enclosures, a singular one E->ok = 0). For tests of the bound
 * independent of the locator. LMO_EINPUT as above, or when Q has the wrong shape. */
int lmo_eig_enclose_with(lmo_eig_enclose_t E, const fmpz_mat_t Z, const fmpz_t den,
                         const arb_mat_t Q, slong prec, lmo_err_t *err);
/* The same for a rational matrix, with enough = 0. */
int lmo_eig_enclose(lmo_eig_enclose_t E, const fmpq_mat_t A, slong prec_start,
                    slong prec_cap, lmo_err_t *err);

/* 1 when no certified sign contradicts the exact inertia (npos, nneg, nzero of the same
 * matrix): certified negatives <= nneg, certified positives <= npos. */
int lmo_eig_enclose_agrees(const lmo_eig_enclose_t E, slong npos, slong nneg, slong nzero);

/* A ball as exact decimal strings: *mid and *rad (malloc'ed, free with flint_free) with
 * [mid - rad, mid + rad] containing x; mid has at least `digits` significant digits, and
 * as many as the ball's relative accuracy needs (at most max_digits), so that rounding mid
 * to decimal does not swamp rad (arb_get_str widens rad to cover the rounding). JSON uses
 * up to 60 digits. */
void lmo_arb_get_mid_rad_str(char **mid, char **rad, const arb_t x, slong digits,
                             slong max_digits);
/* {"mid": "...", "rad": "..."} (new reference), the format of every enclosure in the
 * near-critical report: Python reads it as Decimal(mid) +- Decimal(rad). An unbounded
 * ball is {"mid": "0", "rad": null}. */
json_t *lmo_arb_to_json(const arb_t x, slong digits);
/* [{"mid", "rad"}, ...] for the n eigenvalues, ascending (new reference). */
json_t *lmo_eig_enclose_to_json(const lmo_eig_enclose_t E, slong digits);

#ifdef __cplusplus
}
#endif
#endif
