/* Soudry & Carmon's Corollary 6 on one network (lmo/soudry_carmon/corollary6.h). */
#include "lmo/soudry_carmon/corollary6.h"
#include "lmo/core/vector_io.h"
#include "lmo/soudry_carmon/patterns.h"

int lmo_sc_corollary6_patterns(json_t **input, json_t **perturbed, const lmo_mnn_input_t in,
                               ulong seed, lmo_err_t *err)
{
    slong L = in->L, N = in->N;
    *input = *perturbed = NULL;
    if (L < 3)
        return lmo_err_set(err, LMO_EINPUT, "input.weights: Corollary 6 needs L >= 3 (a layer "
                           "below W_{L-1} to perturb and hold fixed), here L = %ld", (long) L);
    lmo_mnn_input_t p;
    lmo_mnn_input_init(p, L, in->d, N);
    fmpq_mat_set(p->X, in->X);
    fmpq_mat_set(p->y, in->y);
    fmpq_set(p->s, in->s);
    p->has_dropout = in->has_dropout;
    for (slong l = 1; l < L; l++) fmpq_mat_set(p->E + l - 1, in->E + l - 1);
    for (slong l = 1; l <= L; l++) fmpq_mat_set(p->W + l - 1, in->W + l - 1);
    lmo_rng_t rng;
    lmo_rng_seed(&rng, seed ^ UWORD(0x636f726f6c6c6136));   /* "corolla6" */
    fmpq_t delta;
    fmpq_init(delta);
    for (slong l = 1; l <= L - 2; l++) /* W~_l = W_l + delta W_l, l <= L-2 */
        for (slong i = 0; i < in->d[l]; i++)
            for (slong j = 0; j < in->d[l - 1]; j++) {
                slong k = lmo_rng_uniform(&rng, 1, 1023);
                if (lmo_rng_next(&rng) & 1) k = -k;
                fmpq_set_si(delta, k, 1);
                fmpq_div_2exp(delta, delta, LMO_COROLLARY6_BITS);
                fmpq_add(fmpq_mat_entry(p->W + l - 1, i, j), fmpq_mat_entry(p->W + l - 1, i, j), delta);
            }
    fmpq_clear(delta);
    lmo_mnn_result_t r;
    lmo_mnn_result_init(r);
    int rc = lmo_mnn_forward(r, p, err);
    if (rc == LMO_OK) {
        slong dl = in->d[L - 1];
        json_t *E = json_array(), *W = json_array();
        json_array_append_new(E, lmo_json_from_mat(in->E + L - 2));
        *input = json_pack("{s:o, s:o, s:o, s:I, s:s}", "X", lmo_json_from_mat(r->V + L - 3),
                           "dropout", E, "slope", lmo_json_from_q(in->s), "width", (json_int_t) dl,
                           "mode", dl * N <= LMO_PATTERNS_MAX_EXHAUSTIVE_BITS ? "exhaustive"
                                                                             : "realizable");
        for (slong l = 1; l <= L - 2; l++) json_array_append_new(W, lmo_json_from_mat(p->W + l - 1));
        *perturbed = W;
    }
    lmo_mnn_result_clear(r);
    lmo_mnn_input_clear(p);
    return rc;
}
