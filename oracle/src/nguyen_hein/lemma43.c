/* Lemma 4.3 of Nguyen & Hein (2017), its proof built for k = 1
 * (lmo/nguyen_hein/nguyen_hein.h, lmo_nh_lemma43). */
#include <stdlib.h>
#include <flint/fmpq_vec.h>
#include "lmo/nguyen_hein/nguyen_hein.h"

static const fmpq *P_sort; /* qsort has no context argument */

static int by_projection(const void *a, const void *b)
{
    return fmpq_cmp(P_sort + *(const slong *)a, P_sort + *(const slong *)b);
}

int lmo_nh_lemma43(fmpq_t alpha_out, lmo_nh_input_t in, slong max_prec)
{
    slong N = in->N, d = in->d, n1 = in->n[1];
    int ok = -1;
    if (n1 < N - 1) return -1;
    fmpq *p = _fmpq_vec_init(N);
    fmpz_t t, tc;
    fmpq_t alpha, x;
    fmpz_init(t), fmpz_init(tc);
    fmpq_init(alpha), fmpq_init(x);
    slong *ord = flint_malloc(sizeof(slong) * (size_t)N);
    /* (2): a = (1, t, t^2, ...) with a^T (x_i - x_j) != 0 for all i != j; each pair excludes at
     * most d - 1 values of t when x_i != x_j */
    int distinct = 0;
    slong tmax = (d - 1) * N * (N - 1) / 2 + 1;
    for (slong tt = 1; tt <= tmax && !distinct; tt++) {
        fmpz_set_si(t, tt);
        for (slong i = 0; i < N; i++) {
            fmpq_zero(p + i);
            fmpz_one(tc);
            for (slong c = 0; c < d; c++) {
                fmpq_mul_fmpz(x, fmpq_mat_entry(in->X, i, c), tc);
                fmpq_add(p + i, p + i, x);
                fmpz_mul(tc, tc, t);
            }
        }
        distinct = 1;
        for (slong i = 0; i < N && distinct; i++)
            for (slong j = 0; j < i && distinct; j++) distinct = !fmpq_equal(p + i, p + j);
    }
    if (!distinct) goto done; /* identical rows of X: Assumption 3.2.1 fails */
    /* z_1, ..., z_N: the samples in increasing order of z^T a */
    for (slong i = 0; i < N; i++) ord[i] = i;
    P_sort = p;
    qsort(ord, (size_t)N, sizeof(slong), by_projection);
    lmo_nh_rank_t R;
    lmo_nh_rank_init(R);
    /* w_j = -alpha a, v_j = alpha z_j^T a + beta, beta = 0, j in [N - 1]; alpha doubled until
     * rank [F_1, 1_N] = N is certified */
    for (slong e = 0; e <= 20 && ok; e++) {
        fmpq_set_si(alpha, WORD(1) << e, 1);
        for (slong j = 0; j + 1 < N; j++) {
            fmpz_one(tc);
            for (slong c = 0; c < d; c++) {
                fmpq_mul_fmpz(x, alpha, tc);
                fmpq_neg(fmpq_mat_entry(in->W, c, j), x);
                fmpz_mul(tc, tc, t);
            }
            fmpq_mul(fmpq_mat_entry(in->b, 0, j), alpha, p + ord[j]);
        }
        lmo_nh_rank_Fk1(R, in, 1, max_prec);
        if (R->decided && R->rank == N) ok = 0, fmpq_set(alpha_out, alpha);
    }
    lmo_nh_rank_clear(R);
done:
    flint_free(ord);
    _fmpq_vec_clear(p, N);
    fmpz_clear(t), fmpz_clear(tc);
    fmpq_clear(alpha), fmpq_clear(x);
    return ok;
}
