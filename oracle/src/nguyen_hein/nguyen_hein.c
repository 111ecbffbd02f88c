/* The Nguyen-Hein network in balls and the certified rank of [F_k, 1_N]
 * (lmo/nguyen_hein/nguyen_hein.h). */
#include <stdio.h>
#include <string.h>
#include "lmo/nguyen_hein/nguyen_hein.h"
#include "lmo/linalg/rank.h"

void lmo_nh_sigma(arb_t y, const arb_t t, lmo_nh_activation_t act, const fmpq_t alpha, slong prec)
{
    arb_t u, a;
    arb_init(u), arb_init(a);
    switch (act) {
    case LMO_NH_TANH: /* sigma_2(t) = tanh(t) */
        arb_tanh(y, t, prec);
        break;
    case LMO_NH_SOFTPLUS: /* sigma_3(t) = (1/alpha) log(1 + e^{alpha t}) */
        arb_set_fmpq(a, alpha, prec);
        arb_mul(u, a, t, prec);
        arb_exp(u, u, prec);
        arb_log1p(u, u, prec);
        arb_div(y, u, a, prec);
        break;
    default: /* sigma_1(t) = 1 / (1 + e^{-t}) */
        arb_neg(u, t);
        arb_exp(u, u, prec);
        arb_add_ui(u, u, 1, prec);
        arb_inv(y, u, prec);
        break;
    }
    arb_clear(u), arb_clear(a);
}

/* F <- sigma(F_prev W + 1 b^T) */
static void layer(arb_mat_t F, const arb_mat_t Fprev, const lmo_nh_input_t in, slong l, slong prec)
{
    arb_mat_t W;
    arb_t bj;
    arb_mat_init(W, in->n[l - 1], in->n[l]);
    arb_init(bj);
    arb_mat_set_fmpq_mat(W, in->W + (l - 1), prec);
    arb_mat_mul(F, Fprev, W, prec);
    for (slong j = 0; j < in->n[l]; j++) {
        arb_set_fmpq(bj, fmpq_mat_entry(in->b + (l - 1), 0, j), prec);
        for (slong i = 0; i < in->N; i++) {
            arb_add(arb_mat_entry(F, i, j), arb_mat_entry(F, i, j), bj, prec);
            lmo_nh_sigma(arb_mat_entry(F, i, j), arb_mat_entry(F, i, j), in->act, in->alpha, prec);
        }
    }
    arb_clear(bj);
    arb_mat_clear(W);
}

void lmo_nh_forward(arb_mat_t F, const lmo_nh_input_t in, slong l, slong prec)
{
    arb_mat_t prev, cur;
    arb_mat_init(prev, in->N, in->d);
    arb_mat_set_fmpq_mat(prev, in->X, prec);
    for (slong q = 1; q <= l; q++) {
        arb_mat_init(cur, in->N, in->n[q]);
        layer(cur, prev, in, q, prec);
        arb_mat_swap(prev, cur);
        arb_mat_clear(cur);
    }
    arb_mat_set(F, prev);
    arb_mat_clear(prev);
}

void lmo_nh_ell(arb_t l, arb_t dl, const arb_t a, const lmo_nh_input_t in, slong i, slong j,
                slong prec)
{
    arb_t c;
    arb_init(c);
    if (in->loss == LMO_NH_LOSS_SQUARED) {
        arb_set(c, a);
    } else { /* l_1 uses min(a, 0) (true class), l_2 max(a, 0): c^2 and 2c */
        arb_zero(c);
        if (fmpq_sgn(fmpq_mat_entry(in->Y, i, j)) > 0) arb_min(c, a, c, prec);
        else arb_max(c, a, c, prec);
    }
    if (dl) arb_mul_2exp_si(dl, c, 1);
    if (l) arb_sqr(l, c, prec);
    arb_clear(c);
}

void lmo_nh_loss(arb_t phi, const lmo_nh_input_t in, slong prec)
{
    arb_mat_t F;
    arb_t y, e;
    arb_mat_init(F, in->N, in->m);
    arb_init(y), arb_init(e);
    lmo_nh_forward(F, in, in->L, prec);
    arb_zero(phi);
    for (slong i = 0; i < in->N; i++)
        for (slong j = 0; j < in->m; j++) { /* l(f_Lj(x_i) - y_ij) */
            arb_set_fmpq(y, fmpq_mat_entry(in->Y, i, j), prec);
            arb_sub(e, arb_mat_entry(F, i, j), y, prec);
            lmo_nh_ell(e, NULL, e, in, i, j, prec);
            arb_add(phi, phi, e, prec);
        }
    arb_clear(y), arb_clear(e);
    arb_mat_clear(F);
}

/* ---- the structural upper bound ---- */

static int rows_equal(const fmpq_mat_t A, slong i, slong j)
{
    for (slong c = 0; c < fmpq_mat_ncols(A); c++)
        if (!fmpq_equal(fmpq_mat_entry(A, i, c), fmpq_mat_entry(A, j, c))) return 0;
    return 1;
}

static int cols_equal(const fmpq_mat_t A, slong i, slong j)
{
    for (slong r = 0; r < fmpq_mat_nrows(A); r++)
        if (!fmpq_equal(fmpq_mat_entry(A, r, i), fmpq_mat_entry(A, r, j))) return 0;
    return 1;
}

/* cls[j] = the class (0, 1, ...) of column j among identical columns of S; returns the count. */
static slong column_classes(slong *cls, const fmpq_mat_t S)
{
    slong nc = 0, n = fmpq_mat_ncols(S);
    for (slong j = 0; j < n; j++) {
        cls[j] = -1;
        for (slong i = 0; i < j && cls[j] < 0; i++)
            if (cols_equal(S, i, j)) cls[j] = cls[i];
        if (cls[j] < 0) cls[j] = nc++;
    }
    return nc;
}

slong lmo_nh_rank_upper(const lmo_nh_input_t in, slong k, char *why, size_t cap)
{
    slong N = in->N, n1 = in->n[1];
    fmpq_mat_t G, S;
    fmpq_t t;
    /* G_1 = X W_1 + 1_N b_1^T exactly: identical rows of G_1 are identical rows of every F_l */
    fmpq_mat_init(G, N, n1);
    fmpq_init(t);
    fmpq_mat_mul(G, in->X, in->W);
    for (slong i = 0; i < N; i++)
        for (slong j = 0; j < n1; j++)
            fmpq_add(fmpq_mat_entry(G, i, j), fmpq_mat_entry(G, i, j), fmpq_mat_entry(in->b, 0, j));
    slong distinct = 0, *rep = flint_malloc(sizeof(slong) * (size_t)(N + 1));
    for (slong i = 0; i < N; i++) {
        int seen = 0;
        for (slong j = 0; j < i && !seen; j++) seen = rows_equal(G, i, j);
        if (!seen) rep[distinct++] = i;
    }
    /* tanh is odd: with b_l = 0 for l in [2, k], rows of G_1 that are opposite give opposite rows
     * of F_k, and a zero row of G_1 a zero row of F_k. The rows (f, 1), (-f, 1) of P opposite
     * pairs and z zero rows (z <= 1 among distinct rows) span at most P + 1 dimensions (inside
     * span{(0, 1), (f_1, 0), ..., (f_P, 0)}) */
    slong rows_bound = distinct, pairs = 0, zero = 0;
    int odd = in->act == LMO_NH_TANH;
    for (slong l = 2; l <= k && odd; l++) odd = fmpq_mat_is_zero(in->b + (l - 1));
    if (odd) {
        for (slong a = 0; a < distinct; a++) {
            int z = 1;
            for (slong j = 0; j < n1 && z; j++) z = fmpq_is_zero(fmpq_mat_entry(G, rep[a], j));
            zero += z;
            for (slong c = a + 1; c < distinct && !z; c++) {
                int opp = 1;
                for (slong j = 0; j < n1 && opp; j++) {
                    fmpq_neg(t, fmpq_mat_entry(G, rep[c], j));
                    opp = fmpq_equal(t, fmpq_mat_entry(G, rep[a], j));
                }
                pairs += opp; /* distinct rows: each row has at most one opposite */
            }
        }
        slong m = 2 * pairs + zero;
        rows_bound = distinct - m + (m < pairs + 1 ? m : pairs + 1);
    }
    flint_free(rep);
    /* column classes of layer 1 from G_1; a constant column of G_1 is a constant unit */
    slong *cls = flint_malloc(sizeof(slong) * (size_t)n1), nc = column_classes(cls, G);
    int *constant = flint_calloc((size_t)nc + 1, sizeof(int));
    for (slong j = 0; j < n1; j++) {
        int c = 1;
        for (slong i = 1; i < N && c; i++)
            c = fmpq_equal(fmpq_mat_entry(G, i, j), fmpq_mat_entry(G, 0, j));
        constant[cls[j]] = c;
    }
    /* layer l >= 2: unit j's signature = (b_l[j], sum over each class c of layer l-1 of
     * W_l[i][j]); equal signatures are identical columns of F_l, zero weight from every
     * non-constant class a constant column */
    for (slong l = 2; l <= k; l++) {
        slong nl = in->n[l], np = in->n[l - 1];
        const fmpq_mat_struct *W = in->W + (l - 1);
        fmpq_mat_init(S, nc + 1, nl);
        for (slong j = 0; j < nl; j++) {
            fmpq_set(fmpq_mat_entry(S, nc, j), fmpq_mat_entry(in->b + (l - 1), 0, j));
            for (slong i = 0; i < np; i++)
                fmpq_add(fmpq_mat_entry(S, cls[i], j), fmpq_mat_entry(S, cls[i], j),
                         fmpq_mat_entry(W, i, j));
        }
        slong *ncls = flint_malloc(sizeof(slong) * (size_t)nl), nnc = column_classes(ncls, S);
        int *ncon = flint_calloc((size_t)nnc + 1, sizeof(int));
        for (slong j = 0; j < nl; j++) {
            int c = 1;
            for (slong q = 0; q < nc && c; q++)
                c = constant[q] || fmpq_is_zero(fmpq_mat_entry(S, q, j));
            ncon[ncls[j]] = c;
        }
        fmpq_mat_clear(S);
        flint_free(cls), flint_free(constant);
        cls = ncls, constant = ncon, nc = nnc;
    }
    slong nonconst = 0;
    for (slong q = 0; q < nc; q++) nonconst += !constant[q];
    slong upper = rows_bound < nonconst + 1 ? rows_bound : nonconst + 1;
    if (why) {
        char odd_note[160] = "";
        if (rows_bound < distinct)
            snprintf(odd_note, sizeof odd_note, ", spanning at most %ld dimensions (tanh odd, b_l = 0 "
                     "for l in [2, k]: %ld opposite pairs%s)", (long)rows_bound, (long)pairs,
                     zero ? " and a zero row" : "");
        snprintf(why, cap, "%ld distinct rows of G_1 = X W_1 + 1 b_1^T (of N = %ld)%s; %ld distinct "
                 "non-constant units of layer %ld (of n_%ld = %ld) plus 1_N", (long)distinct,
                 (long)N, odd_note, (long)nonconst, (long)k, (long)k, (long)in->n[k]);
    }
    flint_free(cls), flint_free(constant);
    fmpq_mat_clear(G);
    fmpq_clear(t);
    return upper;
}

/* ---- the certified lower bound ---- */

static int cmp_slong(const void *a, const void *b)
{
    slong x = *(const slong *)a, y = *(const slong *)b;
    return (x > y) - (x < y);
}

slong lmo_nh_rank_lower(slong *rows, slong *cols, const arb_mat_t E, slong prec)
{
    slong m = arb_mat_nrows(E), n = arb_mat_ncols(E), r = 0, mn = m < n ? m : n;
    arb_mat_t A, M;
    arb_t f, det;
    arf_t lb, best;
    slong *rp = flint_malloc(sizeof(slong) * (size_t)(m + 1));
    slong *cp = flint_malloc(sizeof(slong) * (size_t)(n + 1));
    arb_mat_init(A, m, n);
    arb_mat_set(A, E);
    arb_init(f), arb_init(det);
    arf_init(lb), arf_init(best);
    for (slong i = 0; i < m; i++) rp[i] = i;
    for (slong j = 0; j < n; j++) cp[j] = j;
    /* elimination in balls, complete pivoting on the largest certified |pivot| */
    for (slong s = 0; s < mn; s++) {
        slong bi = -1, bj = -1;
        arf_zero(best);
        for (slong i = s; i < m; i++)
            for (slong j = s; j < n; j++) {
                arb_get_abs_lbound_arf(lb, arb_mat_entry(A, i, j), prec);
                if (arf_cmp(lb, best) > 0) arf_set(best, lb), bi = i, bj = j;
            }
        if (bi < 0) break;
        if (bi != s) {
            arb_ptr tmp = A->rows[s];
            A->rows[s] = A->rows[bi], A->rows[bi] = tmp;
            slong t = rp[s]; rp[s] = rp[bi], rp[bi] = t;
        }
        if (bj != s) {
            for (slong i = 0; i < m; i++) arb_swap(arb_mat_entry(A, i, s), arb_mat_entry(A, i, bj));
            slong t = cp[s]; cp[s] = cp[bj], cp[bj] = t;
        }
        for (slong i = s + 1; i < m; i++) {
            arb_div(f, arb_mat_entry(A, i, s), arb_mat_entry(A, s, s), prec);
            for (slong j = s + 1; j < n; j++)
                arb_submul(arb_mat_entry(A, i, j), f, arb_mat_entry(A, s, j), prec);
            arb_zero(arb_mat_entry(A, i, s));
        }
        r++;
    }
    /* the proof: the chosen minor's determinant in balls (arb_mat_det) excludes 0 */
    for (; r > 0; r--) {
        arb_mat_init(M, r, r);
        for (slong i = 0; i < r; i++)
            for (slong j = 0; j < r; j++)
                arb_set(arb_mat_entry(M, i, j), arb_mat_entry(E, rp[i], cp[j]));
        arb_mat_det(det, M, prec);
        arb_mat_clear(M);
        if (!arb_contains_zero(det)) break;
    }
    qsort(rp, (size_t)r, sizeof(slong), cmp_slong);
    qsort(cp, (size_t)r, sizeof(slong), cmp_slong);
    for (slong i = 0; i < r; i++) rows[i] = rp[i], cols[i] = cp[i];
    flint_free(rp), flint_free(cp);
    arb_clear(f), arb_clear(det);
    arf_clear(lb), arf_clear(best);
    arb_mat_clear(A);
    return r;
}

void lmo_nh_rank_init(lmo_nh_rank_t R)
{
    memset(R, 0, sizeof *R);
    R->rank = -1;
}

void lmo_nh_rank_clear(lmo_nh_rank_t R)
{
    flint_free(R->rows), flint_free(R->cols);
    R->rows = R->cols = NULL;
    if (R->inverse) fmpq_mat_clear(R->inverse), flint_free(R->inverse);
    R->inverse = NULL;
}

void lmo_nh_rank_Fk1(lmo_nh_rank_t R, const lmo_nh_input_t in, slong k, slong max_prec)
{
    slong N = in->N, nk = in->n[k], mn = N < nk + 1 ? N : nk + 1;
    arb_mat_t F, E;
    lmo_nh_rank_clear(R);
    lmo_nh_rank_init(R);
    R->rows = flint_malloc(sizeof(slong) * (size_t)mn);
    R->cols = flint_malloc(sizeof(slong) * (size_t)mn);
    R->upper = lmo_nh_rank_upper(in, k, R->upper_why, sizeof R->upper_why);
    arb_mat_init(F, N, nk);
    arb_mat_init(E, N, nk + 1);
    if (max_prec < 2) max_prec = 2;
    for (slong prec = max_prec < 64 ? max_prec : 64;; prec = 2 * prec < max_prec ? 2 * prec : max_prec) {
        R->prec = prec;
        lmo_nh_forward(F, in, k, prec);
        for (slong i = 0; i < N; i++) {
            for (slong j = 0; j < nk; j++) arb_set(arb_mat_entry(E, i, j), arb_mat_entry(F, i, j));
            arb_one(arb_mat_entry(E, i, nk));
        }
        /* the float-located minor first (one ball product); the ball elimination if short */
        slong loc = lmo_nh_minor_located(R->rows, R->cols, E, R->upper, prec);
        R->lower = loc >= R->upper ? loc : lmo_nh_rank_lower(R->rows, R->cols, E, prec);
        if (R->lower >= R->upper || prec >= max_prec) break;
    }
    /* lower > upper would mean a wrong ball or a wrong structural bound: never a rank */
    R->decided = R->lower == R->upper;
    R->rank = R->decided ? R->lower : -1;
    /* lmo-check's certificate of the lower bound: a near inverse of the minor, proven here at
       the same precision (either route above found the minor) */
    if (R->decided) {
        R->inverse = flint_malloc(sizeof(fmpq_mat_struct));
        R->checkable = lmo_nh_minor_inverse(R->inverse, E, R->rows, R->cols, R->lower, R->prec);
    }
    arb_mat_clear(F), arb_mat_clear(E);
}

/* ---- every check ---- */

void lmo_nh_result_init(lmo_nh_result_t r)
{
    memset(r, 0, sizeof *r);
    lmo_nh_rank_init(r->Fk1);
    lmo_nh_sep_init(r->sepF), lmo_nh_sep_init(r->sepX);
}

void lmo_nh_result_clear(lmo_nh_result_t r)
{
    lmo_nh_rank_clear(r->Fk1);
    lmo_nh_sep_clear(r->sepF), lmo_nh_sep_clear(r->sepX);
    flint_free(r->W_rank), flint_free(r->cls_of);
    r->W_rank = NULL, r->cls_of = NULL;
}

int lmo_nh_run(lmo_nh_result_t r, const lmo_nh_input_t in, ulong seed, slong max_prec,
               lmo_err_t *err)
{
    slong N = in->N, L = in->L, k = in->k;
    fmpq_mat_t X1;
    /* Assumption 3.2.1 */
    r->X_distinct_rows = 1;
    for (slong i = 0; i < N && r->X_distinct_rows; i++)
        for (slong j = 0; j < i && r->X_distinct_rows; j++)
            if (rows_equal(in->X, i, j)) r->X_distinct_rows = 0;
    /* rank [X, 1_N] over Q (Theorem 3.4's hypothesis) */
    fmpq_mat_init(X1, N, in->d + 1);
    for (slong i = 0; i < N; i++) {
        for (slong j = 0; j < in->d; j++)
            fmpq_set(fmpq_mat_entry(X1, i, j), fmpq_mat_entry(in->X, i, j));
        fmpq_one(fmpq_mat_entry(X1, i, in->d));
    }
    r->rank_X1 = lmo_rank(X1, seed);
    fmpq_mat_clear(X1);
    if (r->rank_X1 < 0) return lmo_err_set(err, LMO_ELIMIT, "rank [X, 1_N]: internal failure");
    /* rank W_l, l in [2, L] (Theorem 3.4; l in [k+2, L]: Lemma 3.5 and Theorem 3.8 condition 2) */
    r->W_rank = flint_malloc(sizeof(slong) * (size_t)L);
    for (slong l = 1; l <= L; l++) {
        r->W_rank[l - 1] = -1;
        if (l >= 2 && (r->W_rank[l - 1] = lmo_rank(in->W + (l - 1), seed)) < 0)
            return lmo_err_set(err, LMO_ELIMIT, "rank W_%ld: internal failure", (long)l);
    }
    lmo_nh_rank_Fk1(r->Fk1, in, k, max_prec);

    /* Lemma 4.4 on this instance */
    const char *st = "Nguyen–Hein 2017 Lemma 4.4";
    const lmo_nh_rank_struct *R = r->Fk1;
    if (!r->X_distinct_rows)
        lmo_theorem_set(&r->lemma44, st, LMO_OUTCOME_NOT_APPLICABLE, "Assumption 3.2.1 fails: X has "
                        "identical rows (identical training samples)");
    else if (k > L - 1)
        lmo_theorem_set(&r->lemma44, st, LMO_OUTCOME_NOT_APPLICABLE, "k = %ld is not in [L - 1] = "
                        "[1, %ld]: the wide layer must be a hidden layer", (long)k, (long)(L - 1));
    else if (in->n[k] < N - 1)
        lmo_theorem_set(&r->lemma44, st, LMO_OUTCOME_NOT_APPLICABLE, "n_k = n_%ld = %ld < N - 1 = %ld",
                        (long)k, (long)in->n[k], (long)(N - 1));
    else if (R->lower > R->upper)
        lmo_theorem_set(&r->lemma44, st, LMO_OUTCOME_VIOLATED, "lmo contradicts itself: a certified "
                        "%ld x %ld minor but a structural bound %ld (%s)", (long)R->lower,
                        (long)R->lower, (long)R->upper, R->upper_why);
    else if (R->decided && R->rank == N)
        lmo_theorem_set(&r->lemma44, st, LMO_OUTCOME_HOLDS, "rank [F_%ld, 1_N] = N = %ld: an N x N "
                        "minor is proven non-singular in balls at %ld bits", (long)k, (long)N,
                        (long)R->prec);
    else if (R->decided)
        lmo_theorem_set(&r->lemma44, st, LMO_OUTCOME_EXCEPTIONAL, "rank [F_%ld, 1_N] = %ld < N = %ld: "
                        "these parameters lie in the measure-zero set S (%s)", (long)k,
                        (long)R->rank, (long)N, R->upper_why);
    else
        lmo_theorem_set(&r->lemma44, st, LMO_OUTCOME_UNDECIDED, "undecided at precision %ld bits: "
                        "rank [F_%ld, 1_N] is between %ld (a certified minor) and %ld (%s)",
                        (long)R->prec, (long)k, (long)R->lower, (long)R->upper, R->upper_why);

    /* Theorem 3.4 and Lemma 3.5: their hypotheses, and criticality as far as balls decide */
    lmo_nh_critical(&r->crit, in, k, max_prec);
    {
        const char *s34 = "Nguyen–Hein 2017 Theorem 3.4", *s35 = "Nguyen–Hein 2017 Lemma 3.5";
        slong bad = 0;
        for (slong l = 2; l <= L && !bad; l++) if (r->W_rank[l - 1] != in->n[l]) bad = l;
        if (in->loss != LMO_NH_LOSS_SQUARED)
            lmo_theorem_set(&r->theorem34, s34, LMO_OUTCOME_NOT_APPLICABLE, "Assumption 3.2.3 fails: "
                            "the squared hinge l_1, l_2 of (4) are C^1, not C^2");
        else if (!r->X_distinct_rows)
            lmo_theorem_set(&r->theorem34, s34, LMO_OUTCOME_NOT_APPLICABLE, "Assumption 3.2.1 fails: "
                            "X has identical rows");
        else if (r->rank_X1 != N)
            lmo_theorem_set(&r->theorem34, s34, LMO_OUTCOME_NOT_APPLICABLE, "rank [X, 1_N] = %ld != N "
                            "= %ld: the samples are not linearly independent", (long)r->rank_X1, (long)N);
        else if (bad)
            lmo_theorem_set(&r->theorem34, s34, LMO_OUTCOME_NOT_APPLICABLE, "rank W_%ld = %ld < n_%ld = "
                            "%ld", (long)bad, (long)r->W_rank[bad - 1], (long)bad, (long)in->n[bad]);
        else if (r->crit.nonzero)
            lmo_theorem_set(&r->theorem34, s34, LMO_OUTCOME_NOT_APPLICABLE, "not a critical point: "
                            "%s excludes 0 (Lemma 2.1 in balls, %ld bits)", r->crit.where,
                            (long)r->crit.prec);
        else
            lmo_theorem_set(&r->theorem34, s34, LMO_OUTCOME_UNDECIDED, "the hypotheses hold, and "
                            "every gradient ball contains 0 at %ld bits: balls cannot certify a "
                            "critical point", (long)r->crit.prec);
        bad = 0;
        for (slong l = k + 2; l <= L && !bad; l++) if (r->W_rank[l - 1] != in->n[l]) bad = l;
        const lmo_nh_rank_struct *R = r->Fk1;
        if (in->loss != LMO_NH_LOSS_SQUARED)
            lmo_theorem_set(&r->lemma35, s35, LMO_OUTCOME_NOT_APPLICABLE, "Assumption 3.2.3 fails: "
                            "the squared hinge l_1, l_2 of (4) are C^1, not C^2");
        else if (k > L - 1)
            lmo_theorem_set(&r->lemma35, s35, LMO_OUTCOME_NOT_APPLICABLE, "k = %ld is not in [L - 1]",
                            (long)k);
        else if (R->decided && R->rank < N)
            lmo_theorem_set(&r->lemma35, s35, LMO_OUTCOME_NOT_APPLICABLE, "condition 1 fails: rank "
                            "[F_%ld, 1_N] = %ld < N = %ld", (long)k, (long)R->rank, (long)N);
        else if (bad)
            lmo_theorem_set(&r->lemma35, s35, LMO_OUTCOME_NOT_APPLICABLE, "condition 2 fails: rank "
                            "W_%ld = %ld < n_%ld = %ld", (long)bad, (long)r->W_rank[bad - 1],
                            (long)bad, (long)in->n[bad]);
        else if (r->crit.block_nonzero)
            lmo_theorem_set(&r->lemma35, s35, LMO_OUTCOME_NOT_APPLICABLE, "condition 3 fails: %s "
                            "excludes 0 (Lemma 2.1 in balls, %ld bits)", r->crit.block_where,
                            (long)r->crit.prec);
        else
            lmo_theorem_set(&r->lemma35, s35, LMO_OUTCOME_UNDECIDED, "condition 1 %s, condition 2 "
                            "holds, and the balls of grad_{W_%ld}, grad_{b_%ld} all contain 0 at %ld "
                            "bits: balls cannot certify condition 3", R->decided ? "holds" :
                            "is undecided", (long)(k + 1), (long)(k + 1), (long)r->crit.prec);
    }

    lmo_nh_theorem53(r, in, max_prec);
    lmo_nh_theorem38(r, in, max_prec);

    /* Lemma 4.3, when the input says it is the proof's construction (at layer k) */
    if (in->has_construction) {
        const char *s3 = "Nguyen–Hein 2017 Lemma 4.3";
        char why[256] = "";
        char *al = fmpq_get_str(NULL, 10, in->construction_alpha);
        if (!r->X_distinct_rows)
            lmo_theorem_set(&r->lemma43, s3, LMO_OUTCOME_NOT_APPLICABLE, "Assumption 3.2.1 fails: X "
                            "has identical rows");
        else if (k > L - 1)
            lmo_theorem_set(&r->lemma43, s3, LMO_OUTCOME_NOT_APPLICABLE, "k = %ld is not in [L - 1]",
                            (long)k);
        else if (!lmo_nh_lemma43_is_construction(in, k, in->construction_alpha, why, sizeof why))
            lmo_theorem_set(&r->lemma43, s3, LMO_OUTCOME_NOT_APPLICABLE, "layer %ld is not the "
                            "proof's construction at alpha = %s: %s", (long)k, al, why);
        else if (R->decided && R->rank == N)
            lmo_theorem_set(&r->lemma43, s3, LMO_OUTCOME_HOLDS, "the proof's construction at layer "
                            "%ld (w_j = -alpha a, v_j = alpha z_j^T a%s, beta = 0) at alpha = %s gives "
                            "rank [F_%ld, 1_N] = N = %ld, certified at %ld bits", (long)k,
                            k > 1 ? " to within 2^-100" : "", al, (long)k, (long)N, (long)R->prec);
        else if (R->decided)
            lmo_theorem_set(&r->lemma43, s3, LMO_OUTCOME_EXCEPTIONAL, "the construction at alpha = "
                            "%s gives rank %ld < N = %ld: alpha is below the proof's alpha_0", al,
                            (long)R->rank, (long)N);
        else
            lmo_theorem_set(&r->lemma43, s3, LMO_OUTCOME_UNDECIDED, "the construction at alpha = %s: "
                            "rank [F_k, 1_N] undecided at precision %ld bits", al, (long)R->prec);
        flint_free(al);
    }
    return LMO_OK;
}
