/* Lemma 4.3 of Nguyen & Hein (2017), its proof built (lmo/nguyen_hein/nguyen_hein.h,
 * lmo_nh_lemma43): layers below k as given (their rows must be distinct: the proof's
 * induction, checked here), then layer k from a direction a with distinct projections (2). */
#include <stdio.h>
#include <stdlib.h>
#include <flint/fmpq_vec.h>
#include "lmo/nguyen_hein/nguyen_hein.h"

static const fmpq *P_sort; /* qsort has no context argument */

static int by_projection(const void *a, const void *b)
{
    return fmpq_cmp(P_sort + *(const slong *)a, P_sort + *(const slong *)b);
}

/* The projections z_i^T a of the rows z_i of F_{k-1}. k = 1: z_i = x_i, p exact. k > 1: F (the
 * enclosure of F_{k-1} at prec) gives balls P, p gets their midpoints (exact dyadics). Returns 1
 * when the projections are certified pairwise distinct. */
static int project(fmpq *p, const lmo_nh_input_t in, slong k, const fmpq *a, const arb_mat_t F,
                   slong prec)
{
    slong N = in->N, w = in->n[k - 1];
    int distinct = 1;
    fmpq_t x;
    fmpq_init(x);
    if (k == 1) {
        for (slong i = 0; i < N; i++) {
            fmpq_zero(p + i);
            for (slong c = 0; c < w; c++) {
                fmpq_mul(x, fmpq_mat_entry(in->X, i, c), a + c);
                fmpq_add(p + i, p + i, x);
            }
        }
        for (slong i = 0; i < N && distinct; i++)
            for (slong j = 0; j < i && distinct; j++) distinct = !fmpq_equal(p + i, p + j);
    } else {
        arb_ptr P = _arb_vec_init(N);
        arb_t ac, dif;
        arb_init(ac), arb_init(dif);
        for (slong i = 0; i < N; i++) {
            for (slong c = 0; c < w; c++) {
                arb_set_fmpq(ac, a + c, prec);
                arb_addmul(P + i, arb_mat_entry(F, i, c), ac, prec);
            }
            arf_get_fmpq(p + i, arb_midref(P + i));
        }
        for (slong i = 0; i < N && distinct; i++)
            for (slong j = 0; j < i && distinct; j++) {
                arb_sub(dif, P + i, P + j, prec);
                distinct = !arb_contains_zero(dif);
            }
        _arb_vec_clear(P, N);
        arb_clear(ac), arb_clear(dif);
    }
    fmpq_clear(x);
    return distinct;
}

int lmo_nh_lemma43(fmpq_t alpha_out, lmo_nh_input_t in, slong k, slong max_prec)
{
    slong N = in->N, w, nk;
    int ok = -1, found = 0;
    if (k < 1 || k > in->L) return -1;
    w = in->n[k - 1], nk = in->n[k];
    if (nk < N - 1) return -1;
    fmpq *p = _fmpq_vec_init(N), *a = _fmpq_vec_init(w);
    fmpq_t alpha, x;
    fmpq_init(alpha), fmpq_init(x);
    slong *ord = flint_malloc(sizeof(slong) * (size_t)N);
    arb_mat_t F;
    arb_mat_init(F, N, w);
    /* (2): a = (1, t, t^2, ...) with a^T (z_i - z_j) != 0 for all i != j; each pair of distinct
     * rows excludes at most w - 1 values of t. k > 1: the rows of F_{k-1} must be distinct
     * (the induction of the proof), certified in balls, the precision growing */
    slong tmax = (w - 1) * N * (N - 1) / 2 + 1;
    for (slong prec = 128; !found; prec *= 2) {
        if (k > 1) lmo_nh_forward(F, in, k - 1, prec);
        for (slong t = 1; t <= tmax && !found; t++) {
            fmpq_one(a);
            for (slong c = 1; c < w; c++) fmpq_mul_si(a + c, a + c - 1, t);
            found = project(p, in, k, a, F, prec);
        }
        if (k == 1 || 2 * prec > max_prec) break;
    }
    if (found) {
        /* z_1, ..., z_N: the samples in increasing order of z^T a */
        for (slong i = 0; i < N; i++) ord[i] = i;
        P_sort = p;
        qsort(ord, (size_t)N, sizeof(slong), by_projection);
        lmo_nh_rank_t R;
        lmo_nh_rank_init(R);
        /* w_j = -alpha a, v_j = alpha z_j^T a + beta (beta = 0; for k > 1 z_j^T a is the
         * midpoint of its ball), j in [N - 1]; alpha doubled until rank [F_k, 1_N] = N */
        for (slong e = 0; e <= 20 && ok; e++) {
            fmpq_set_si(alpha, WORD(1) << e, 1);
            for (slong j = 0; j + 1 < N; j++) {
                for (slong c = 0; c < w; c++) {
                    fmpq_mul(x, alpha, a + c);
                    fmpq_neg(fmpq_mat_entry(in->W + (k - 1), c, j), x);
                }
                fmpq_mul(fmpq_mat_entry(in->b + (k - 1), 0, j), alpha, p + ord[j]);
            }
            lmo_nh_rank_Fk1(R, in, k, max_prec);
            if (R->decided && R->rank == N) ok = 0, fmpq_set(alpha_out, alpha);
        }
        lmo_nh_rank_clear(R);
    }
    arb_mat_clear(F);
    flint_free(ord);
    _fmpq_vec_clear(p, N), _fmpq_vec_clear(a, w);
    fmpq_clear(alpha), fmpq_clear(x);
    return ok;
}

int lmo_nh_lemma43_is_construction(const lmo_nh_input_t in, slong k, const fmpq_t alpha,
                                   char *why, size_t cap)
{
    slong N = in->N, w = in->n[k - 1];
    const fmpq_mat_struct *W = in->W + (k - 1), *b = in->b + (k - 1);
    int ok = 1;
    if (in->n[k] < N - 1) {
        snprintf(why, cap, "n_%ld = %ld < N - 1 = %ld", (long)k, (long)in->n[k], (long)(N - 1));
        return 0;
    }
    if (N < 2) return 1;
    fmpq *a = _fmpq_vec_init(w), *p = _fmpq_vec_init(N);
    fmpq_t x;
    fmpq_init(x);
    slong *ord = flint_malloc(sizeof(slong) * (size_t)N), prec = 256;
    arb_mat_t F;
    arb_mat_init(F, N, w);
    for (slong c = 0; c < w; c++) { /* a = -w_1 / alpha */
        fmpq_div(a + c, fmpq_mat_entry(W, c, 0), alpha);
        fmpq_neg(a + c, a + c);
    }
    for (slong j = 1; j + 1 < N && ok; j++)
        for (slong c = 0; c < w && ok; c++)
            if (!fmpq_equal(fmpq_mat_entry(W, c, j), fmpq_mat_entry(W, c, 0))) {
                snprintf(why, cap, "column %ld of W_%ld differs from column 0 (w_j = -alpha a for "
                         "every j in [N - 1])", (long)j, (long)k);
                ok = 0;
            }
    if (k > 1) lmo_nh_forward(F, in, k - 1, prec);
    if (ok && !project(p, in, k, a, F, prec)) {
        snprintf(why, cap, "the projections a^T z_i are not certified distinct: (2) fails%s",
                 k > 1 ? " (or is not decided at 256 bits)" : "");
        ok = 0;
    }
    for (slong i = 0; i < N; i++) ord[i] = i;
    P_sort = p;
    qsort(ord, (size_t)N, sizeof(slong), by_projection);
    for (slong j = 0; j + 1 < N && ok; j++) {
        fmpq_div(x, fmpq_mat_entry(b, 0, j), alpha);
        fmpq_sub(x, x, p + ord[j]);
        /* k = 1: v_j = alpha z_j^T a exactly; k > 1: within 2^-100 of it (a ball's midpoint) */
        fmpq_abs(x, x);
        int close = fmpq_is_zero(x) ||
                    (k > 1 && fmpz_bits(fmpq_denref(x)) > fmpz_bits(fmpq_numref(x)) + 100);
        if (!close) {
            snprintf(why, cap, "b_%ld[%ld] != alpha z_%ld^T a (beta = 0)", (long)k, (long)j, (long)(j + 1));
            ok = 0;
        }
    }
    arb_mat_clear(F);
    flint_free(ord);
    _fmpq_vec_clear(a, w), _fmpq_vec_clear(p, N);
    fmpq_clear(x);
    return ok;
}
