/* Linear separability (Definition 5.1) located by GLPK, proven in FLINT/arb
 * (lmo/nguyen_hein/separable.h). */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <glpk.h>
#include "lmo/nguyen_hein/separable.h"

void lmo_nh_sep_init(lmo_nh_sep_t S)
{
    memset(S, 0, sizeof *S);
    S->cls = -1;
    fmpq_mat_init(S->H, 0, 0);
    fmpq_init(S->min_margin_q);
    arb_init(S->min_margin);
}

void lmo_nh_sep_clear(lmo_nh_sep_t S)
{
    fmpq_mat_clear(S->H);
    if (S->y) _fmpq_vec_clear(S->y, S->N);
    fmpq_clear(S->min_margin_q);
    arb_clear(S->min_margin);
}

/* GLPK aborts the process (an assertion) on a coefficient beyond DBL_MAX, so an LP with
 * one is never handed to it: an entry of 10^400 is input lmo must answer, not crash on. */
static int all_finite(const double *D, slong k)
{
    for (slong i = 0; i < k; i++)
        if (!isfinite(D[i])) return 0;
    return 1;
}

/* The LP "s_i <h, a~_i> >= 1 for all i", h free, on the doubles D (N x n, row-major), by
 * GLPK's float simplex, then (exact) its exact rational simplex from the float basis.
 * 1: feasible, h (n + 1 doubles) set; 0: infeasible; -1: GLPK gave no answer; -2: an entry
 * of D is not finite. */
static int lp_separator(double *h, const double *D, slong N, slong n, const int *s, int exact)
{
    if (!all_finite(D, N * n)) return -2;
    glp_prob *P = glp_create_prob();
    int *ind = flint_malloc(sizeof(int) * (size_t)(n + 2));
    double *val = flint_malloc(sizeof(double) * (size_t)(n + 2));
    glp_smcp parm;
    int res = -1;
    glp_add_rows(P, (int)N);
    glp_add_cols(P, (int)(n + 1));
    for (slong c = 0; c <= n; c++) glp_set_col_bnds(P, (int)c + 1, GLP_FR, 0.0, 0.0);
    for (slong i = 0; i < N; i++) {
        for (slong c = 0; c < n; c++) ind[c + 1] = (int)c + 1, val[c + 1] = D[i * n + c];
        ind[n + 1] = (int)n + 1, val[n + 1] = 1.0;
        glp_set_mat_row(P, (int)i + 1, (int)n + 1, ind, val);
        if (s[i] > 0) glp_set_row_bnds(P, (int)i + 1, GLP_LO, 1.0, 0.0);
        else glp_set_row_bnds(P, (int)i + 1, GLP_UP, 0.0, -1.0);
    }
    glp_init_smcp(&parm);
    parm.msg_lev = GLP_MSG_OFF;
    parm.presolve = GLP_OFF;
    if (glp_simplex(P, &parm) == 0 || glp_get_status(P) != GLP_UNDEF) {
        if (exact) glp_exact(P, &parm); /* the exact simplex from the float basis */
        int st = glp_get_status(P);
        if (st == GLP_OPT || st == GLP_FEAS) {
            for (slong c = 0; c <= n; c++) h[c] = glp_get_col_prim(P, (int)c + 1);
            res = 1;
        } else if (st == GLP_NOFEAS) {
            res = 0;
        }
    }
    flint_free(ind), flint_free(val);
    glp_delete_prob(P);
    return res;
}

/* Gordan's LP "sum_i y_i s_i a~_i = 0, sum y = 1, y >= 0" on D: basic[i] = 1 for the columns
 * GLPK's simplex (float, then exact with `exact`) left basic. 1 on an optimal basis, else 0. */
static int lp_gordan(int *basic, const double *D, slong N, slong n, const int *s, int exact)
{
    if (!all_finite(D, N * n)) return 0;
    glp_prob *P = glp_create_prob();
    int *ind = flint_malloc(sizeof(int) * (size_t)(n + 3));
    double *val = flint_malloc(sizeof(double) * (size_t)(n + 3));
    glp_smcp parm;
    int res = 0;
    glp_add_rows(P, (int)(n + 2));
    glp_add_cols(P, (int)N);
    for (slong r = 0; r <= n; r++) glp_set_row_bnds(P, (int)r + 1, GLP_FX, 0.0, 0.0);
    glp_set_row_bnds(P, (int)n + 2, GLP_FX, 1.0, 1.0);
    for (slong i = 0; i < N; i++) {
        for (slong c = 0; c < n; c++) ind[c + 1] = (int)c + 1, val[c + 1] = s[i] * D[i * n + c];
        ind[n + 1] = (int)n + 1, val[n + 1] = s[i];
        ind[n + 2] = (int)n + 2, val[n + 2] = 1.0;
        glp_set_mat_col(P, (int)i + 1, (int)n + 2, ind, val);
        glp_set_col_bnds(P, (int)i + 1, GLP_LO, 0.0, 0.0);
    }
    glp_init_smcp(&parm);
    parm.msg_lev = GLP_MSG_OFF;
    parm.presolve = GLP_OFF;
    glp_simplex(P, &parm);
    if (exact) glp_exact(P, &parm);
    if (glp_get_status(P) == GLP_OPT || glp_get_status(P) == GLP_FEAS) {
        for (slong i = 0; i < N; i++) basic[i] = glp_get_col_stat(P, (int)i + 1) == GLP_BS;
        res = 1;
    }
    flint_free(ind), flint_free(val);
    glp_delete_prob(P);
    return res;
}

/* y exactly from GLPK's basis: rref of [M | e_{n+1}] restricted to the basic columns, the free
 * ones 0; then y >= 0, sum y = 1, sum_i y_i s_i a~_i = 0 checked exactly over every row. 1 when
 * y (N entries, initialised) is a Gordan certificate. */
static int exact_gordan(fmpq *y, const fmpq_mat_t A, const int *s, const int *basic)
{
    slong N = fmpq_mat_nrows(A), n = fmpq_mat_ncols(A), nb = 0;
    slong *col = flint_malloc(sizeof(slong) * (size_t)(N + 1));
    for (slong i = 0; i < N; i++) if (basic[i]) col[nb++] = i;
    fmpq_mat_t M, R;
    fmpq_t t;
    fmpq_init(t);
    fmpq_mat_init(M, n + 2, nb + 1);
    fmpq_mat_init(R, n + 2, nb + 1);
    for (slong b = 0; b < nb; b++) {
        for (slong c = 0; c < n; c++) {
            fmpq_set(fmpq_mat_entry(M, c, b), fmpq_mat_entry(A, col[b], c));
            if (s[col[b]] < 0) fmpq_neg(fmpq_mat_entry(M, c, b), fmpq_mat_entry(M, c, b));
        }
        fmpq_set_si(fmpq_mat_entry(M, n, b), s[col[b]], 1);
        fmpq_one(fmpq_mat_entry(M, n + 1, b));
    }
    fmpq_one(fmpq_mat_entry(M, n + 1, nb));
    slong rk = fmpq_mat_rref(R, M);
    int ok = 1;
    for (slong i = 0; i < N; i++) fmpq_zero(y + i);
    for (slong r = 0; r < rk && ok; r++) {
        slong p = 0;
        while (p <= nb && fmpq_is_zero(fmpq_mat_entry(R, r, p))) p++;
        if (p == nb) ok = 0; /* a pivot in the right-hand side: inconsistent */
        else fmpq_set(y + col[p], fmpq_mat_entry(R, r, nb));
    }
    /* the proof, independent of how y was found */
    for (slong i = 0; i < N && ok; i++) ok = fmpq_sgn(y + i) >= 0;
    for (slong c = 0; c <= n + 1 && ok; c++) {
        fmpq_zero(t);
        for (slong i = 0; i < N; i++) {
            if (fmpq_is_zero(y + i)) continue;
            if (c < n) {
                if (s[i] > 0) fmpq_addmul(t, y + i, fmpq_mat_entry(A, i, c));
                else fmpq_submul(t, y + i, fmpq_mat_entry(A, i, c));
            } else if (c == n) {
                if (s[i] > 0) fmpq_add(t, t, y + i); else fmpq_sub(t, t, y + i);
            } else {
                fmpq_add(t, t, y + i);
            }
        }
        ok = c <= n ? fmpq_is_zero(t) : fmpq_is_one(t);
    }
    fmpq_mat_clear(M), fmpq_mat_clear(R);
    fmpq_clear(t);
    flint_free(col);
    return ok;
}

static void set_not(lmo_nh_sep_t S, slong j, slong N)
{
    S->status = LMO_NH_SEP_NOT;
    S->cls = j;
    S->N = N;
}

/* the shared loop: D the doubles of A; exact rows Aq or ball rows Ab */
static void separate(lmo_nh_sep_t S, const fmpq_mat_struct *Aq, const arb_mat_struct *Ab,
                     const slong *dup, const int *cls_of, slong m, slong prec)
{
    slong N = Aq ? fmpq_mat_nrows(Aq) : arb_mat_nrows(Ab);
    slong n = Aq ? fmpq_mat_ncols(Aq) : arb_mat_ncols(Ab);
    double *D = flint_malloc(sizeof(double) * (size_t)(N * n + 1));
    double *h = flint_malloc(sizeof(double) * (size_t)(n + 2));
    int *s = flint_malloc(sizeof(int) * (size_t)(N + 1));
    int *basic = flint_malloc(sizeof(int) * (size_t)(N + 1));
    fmpq_t q, mq, cq;
    arb_t t, a, mb, cb;
    arf_t f;
    fmpq_init(q), fmpq_init(mq), fmpq_init(cq);
    arb_init(t), arb_init(a), arb_init(mb), arb_init(cb);
    arf_init(f);
    S->exact = Aq != NULL;
    S->N = N;
    S->status = LMO_NH_SEP_SEPARABLE;
    fmpq_mat_clear(S->H);
    fmpq_mat_init(S->H, n + 1, m);
    for (slong i = 0; i < N; i++)
        for (slong c = 0; c < n; c++)
            if (Aq) { /* rational rows centred on row 0, exactly, before rounding: rows closer
                         than an ulp of their size stay apart (the bias absorbs the shift) */
                fmpq_sub(q, fmpq_mat_entry(Aq, i, c), fmpq_mat_entry(Aq, 0, c));
                D[i * n + c] = fmpq_get_d(q);
            } else {
                D[i * n + c] = arf_get_d(arb_midref(arb_mat_entry(Ab, i, c)), ARF_RND_NEAR);
            }
    /* structure first (ball rows): equal rows in different classes */
    for (slong i = 0; dup && i < N && S->status == LMO_NH_SEP_SEPARABLE; i++)
        for (slong i2 = 0; i2 < i && S->status == LMO_NH_SEP_SEPARABLE; i2++)
            for (slong j = 0; j < m && dup[i] == dup[i2]; j++)
                if (cls_of[i * m + j] != cls_of[i2 * m + j]) {
                    set_not(S, j, N);
                    S->y = _fmpq_vec_init(N);
                    fmpq_set_si(S->y + i, 1, 2), fmpq_set_si(S->y + i2, 1, 2);
                    snprintf(S->why, sizeof S->why, "rows %ld and %ld are equal (equal rows of G_1 = "
                             "X W_1 + 1 b_1^T) but only one is in class %ld: y = (e_%ld + e_%ld)/2 "
                             "is a Gordan certificate", (long)i2, (long)i, (long)j, (long)i2, (long)i);
                    break;
                }
    /* class by class: GLPK's float simplex; on rational rows, when its answer fails the exact
     * proof, once more with GLPK's exact simplex (slow on long doubles: never for balls) */
    for (slong j = 0; j < m && S->status == LMO_NH_SEP_SEPARABLE; j++) {
        for (slong i = 0; i < N; i++) s[i] = cls_of[i * m + j] ? 1 : -1;
        for (int exact = 0; exact <= (Aq != NULL); exact++) {
            S->status = LMO_NH_SEP_SEPARABLE;
            if (S->y) _fmpq_vec_clear(S->y, N), S->y = NULL;
            int lp = lp_separator(h, D, N, n, s, exact);
            if (lp < 0) {
                S->status = LMO_NH_SEP_UNDECIDED, S->cls = j;
                snprintf(S->why, sizeof S->why, "class %ld: %s", (long)j, lp == -2 ?
                         "an entry of the rows overflows double, so GLPK cannot locate a separator" :
                         "GLPK's simplex gave no answer");
                continue;
            }
            if (lp == 0) {
                if (!Aq) {
                    S->status = LMO_NH_SEP_UNDECIDED, S->cls = j;
                    snprintf(S->why, sizeof S->why, "class %ld: the LP on the midpoints finds no "
                             "separator, and balls cannot prove an exact Gordan identity", (long)j);
                } else if (!lp_gordan(basic, D, N, n, s, exact) || (S->y = _fmpq_vec_init(N),
                           !exact_gordan(S->y, Aq, s, basic))) {
                    S->status = LMO_NH_SEP_UNDECIDED, S->cls = j;
                    snprintf(S->why, sizeof S->why, "class %ld: the LP is infeasible on the data's "
                             "doubles but no exact Gordan certificate was found", (long)j);
                } else {
                    set_not(S, j, N);
                    slong sup = 0;
                    for (slong i = 0; i < N; i++) sup += !fmpq_is_zero(S->y + i);
                    snprintf(S->why, sizeof S->why, "class %ld: y >= 0 on %ld rows, sum y = 1, "
                             "sum_i y_i s_i (a_i, 1) = 0 exactly (Gordan: no separator exists)",
                             (long)j, (long)sup);
                    break;
                }
                continue;
            }
            /* h's doubles are exact dyadic rationals: prove every margin positive */
            for (slong c = 0; c <= n; c++) {
                arf_set_d(f, h[c]);
                arf_get_fmpq(fmpq_mat_entry(S->H, c, j), f);
            }
            for (slong c = 0; Aq && c < n; c++) /* undo the centring: b -= <a, row 0> */
                fmpq_submul(fmpq_mat_entry(S->H, n, j), fmpq_mat_entry(S->H, c, j),
                            fmpq_mat_entry(Aq, 0, c));
            for (slong i = 0; i < N && S->status == LMO_NH_SEP_SEPARABLE; i++) {
                if (Aq) {
                    fmpq_set(q, fmpq_mat_entry(S->H, n, j));
                    for (slong c = 0; c < n; c++)
                        fmpq_addmul(q, fmpq_mat_entry(S->H, c, j), fmpq_mat_entry(Aq, i, c));
                    if (s[i] < 0) fmpq_neg(q, q);
                    if (i == 0 || fmpq_cmp(q, cq) < 0) fmpq_set(cq, q);
                    arb_set_fmpq(a, q, prec);
                } else {
                    arb_set_fmpq(a, fmpq_mat_entry(S->H, n, j), prec);
                    for (slong c = 0; c < n; c++) {
                        arb_set_fmpq(t, fmpq_mat_entry(S->H, c, j), prec);
                        arb_addmul(a, t, arb_mat_entry(Ab, i, c), prec);
                    }
                    if (s[i] < 0) arb_neg(a, a);
                }
                if (i == 0) arb_set(cb, a);
                else arb_min(cb, cb, a, prec);
                if (!(Aq ? fmpq_sgn(q) > 0 : arb_is_positive(a))) {
                    S->status = LMO_NH_SEP_UNDECIDED, S->cls = j;
                    snprintf(S->why, sizeof S->why, "class %ld: the LP's separator has margin %s at "
                             "row %ld", (long)j, Aq ? "<= 0 exactly" : "whose ball contains 0", (long)i);
                }
            }
            if (S->status == LMO_NH_SEP_SEPARABLE) {
                /* this class proven: fold its least margin into the overall one */
                if (j == 0 || fmpq_cmp(cq, mq) < 0) fmpq_set(mq, cq);
                if (j == 0) arb_set(mb, cb);
                else arb_min(mb, mb, cb, prec);
                break;
            }
        }
    }
    if (S->status == LMO_NH_SEP_SEPARABLE) {
        fmpq_set(S->min_margin_q, mq);
        arb_set(S->min_margin, mb);
        snprintf(S->why, sizeof S->why, "a separator h_1..h_%ld with every margin s_i <h_j, (a_i, 1)> "
                 "%s", (long)m, Aq ? "> 0 exactly" : "in a ball > 0");
    } else {
        fmpq_mat_clear(S->H);
        fmpq_mat_init(S->H, 0, 0);
    }
    fmpq_clear(q), fmpq_clear(mq), fmpq_clear(cq);
    arb_clear(t), arb_clear(a), arb_clear(mb), arb_clear(cb);
    arf_clear(f);
    flint_free(D), flint_free(h), flint_free(s), flint_free(basic);
}

void lmo_nh_separable_fmpq(lmo_nh_sep_t S, const fmpq_mat_t A, const int *cls_of, slong m)
{
    separate(S, A, NULL, NULL, cls_of, m, 128);
}

void lmo_nh_separable_arb(lmo_nh_sep_t S, const arb_mat_t A, const slong *dup, const int *cls_of,
                          slong m, slong prec)
{
    separate(S, NULL, A, dup, cls_of, m, prec);
}
