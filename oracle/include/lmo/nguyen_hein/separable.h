/*
 * lmo/nguyen_hein/separable.h -- linear separability (Nguyen & Hein 2017, Definition 5.1) of
 * the rows of a matrix, for Theorem 5.3: exact on rational rows (X), certified in balls on
 * transcendental rows (F_k).
 *
 *   Definition 5.1 "A set of vectors (x_i)_{i=1}^N in R^d from m classes (C_j)_{j=1}^m is
 *   called linearly separable if there exist m vectors (a_j)_{j=1}^m in R^d and m scalars
 *   (b_j)_{j=1}^m in R so that a_j^T x_i + b_j > 0 for x_i in C_j and a_j^T x_i + b_j < 0 for
 *   x_i not in C_j for every i in [N], j in [m]."
 *   Theorem 5.3's proof writes h_j = (a_j, b_j) in R^{n_k + 1} and F~_k = [F_k, 1_N]:
 *   "<h_j, (F~_k)_{i,:}> > 0 for x_i in C_j and < 0 for x_i not in C_j".
 *
 * Class j is one problem: s_i = +1 when x_i in C_j, -1 otherwise, a~_i = (a_i, 1); separable
 * iff some h has s_i <h, a~_i> > 0 for all i, iff (scaling) the LP s_i <h, a~_i> >= 1 is
 * feasible; by Gordan's alternative, iff there is NO y >= 0, y != 0, sum_i y_i s_i a~_i = 0.
 *
 * GLPK only locates, on doubles (rational rows centred on row 0 exactly first, so rows closer
 * than an ulp stay apart; the bias absorbs the shift): glp_simplex finds h or, when the LP is
 * infeasible, a basic solution y of "sum_i y_i s_i a~_i = 0, sum_i y_i = 1, y >= 0"; on
 * rational rows, when that
 * answer fails the proof below, glp_exact (GLPK's exact rational simplex on the doubles nearest
 * the data, from the float basis) tries once more -- never on ball rows, where it is slow on
 * 53-bit midpoints and proves nothing more. Nothing GLPK says is trusted:
 *   h: its doubles, read as exact dyadic rationals, must give margins s_i <h, a~_i> proven
 *      positive -- exactly in FLINT for rational rows, by arb balls excluding 0 for ball rows;
 *   y: the basic columns GLPK chose are re-solved exactly in FLINT (rref of the rational
 *      system) and y >= 0, sum y = 1, sum_i y_i s_i a~_i = 0 are checked exactly -- a Farkas
 *      (Gordan) certificate, only for rational rows: balls never prove an exact identity.
 * For ball rows non-separability is proven only by structure: two rows of G_1 = X W_1 + 1 b_1^T
 * equal exactly (so equal in every F_k) but in different classes (y = (e_i + e_i') / 2).
 */
#ifndef LMO_NGUYEN_HEIN_SEPARABLE_H
#define LMO_NGUYEN_HEIN_SEPARABLE_H

#include <arb.h>
#include <arb_mat.h>
#include <flint/fmpq.h>
#include <flint/fmpq_mat.h>

#ifdef __cplusplus
extern "C" {
#endif

#define LMO_NH_SEP_NOT 0
#define LMO_NH_SEP_SEPARABLE 1
#define LMO_NH_SEP_UNDECIDED (-1)

typedef struct {
    int status;              /* LMO_NH_SEP_* ; 0 before any call */
    slong cls;               /* NOT / UNDECIDED: the first class j whose problem fails; else -1 */
    fmpq_mat_t H;            /* SEPARABLE: (n + 1) x m, column j = h_j (last entry: b_j) */
    fmpq *y;                 /* NOT: Gordan's y (N entries) for class cls */
    slong N;
    int exact;               /* rational rows: margins exact (min_margin_q) */
    fmpq_t min_margin_q;     /* SEPARABLE, exact: min_{i,j} s_ij <h_j, a~_i> */
    arb_t min_margin;        /* SEPARABLE: its enclosure (ball rows: certified > 0) */
    char why[256];           /* one line: how it was decided, or why not */
} lmo_nh_sep_struct;
typedef lmo_nh_sep_struct lmo_nh_sep_t[1];

void lmo_nh_sep_init(lmo_nh_sep_t S);
void lmo_nh_sep_clear(lmo_nh_sep_t S);

/* cls_of[i * m + j] = 1 when row i is in class j. Rational rows A (N x n): decided exactly
 * (SEPARABLE with H, or NOT with y), UNDECIDED only when GLPK fails or its answer fails exact
 * verification (named in why). */
void lmo_nh_separable_fmpq(lmo_nh_sep_t S, const fmpq_mat_t A, const int *cls_of, slong m);

/* Ball rows A (N x n) at prec: SEPARABLE when the margins' balls are all > 0; NOT only when
 * dup (N entries or NULL) shows rows known exactly equal (dup[i] = dup[i'] iff equal) in
 * different classes; UNDECIDED otherwise. */
void lmo_nh_separable_arb(lmo_nh_sep_t S, const arb_mat_t A, const slong *dup, const int *cls_of,
                          slong m, slong prec);

#ifdef __cplusplus
}
#endif
#endif
