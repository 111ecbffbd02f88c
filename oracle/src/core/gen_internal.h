/* The makers of lmo's generator families (table in core/gen.c; see
 * lmo/core/gen.h). Private to oracle/src. */
#ifndef LMO_CORE_GEN_INTERNAL_H
#define LMO_CORE_GEN_INTERNAL_H
#include "lmo/core/gen.h"

/* soudry_carmon/gen_khatri_rao.c */
json_t *lmo_gen_kr_generic(lmo_rng_t *r, slong index, json_t *flags);
json_t *lmo_gen_kr_near_deficient(lmo_rng_t *r, slong index, json_t *flags);
json_t *lmo_gen_kr_hidden_deficient(lmo_rng_t *r, slong index, json_t *flags);
/* linalg/gen_matrix.c */
json_t *lmo_gen_kahan(lmo_rng_t *r, slong index, json_t *flags);
json_t *lmo_gen_graded(lmo_rng_t *r, slong index, json_t *flags);
/* kawaguchi/gen_deep_linear.c */
json_t *lmo_gen_dl_global_min(lmo_rng_t *r, slong index, json_t *flags);
json_t *lmo_gen_dl_strict_saddle(lmo_rng_t *r, slong index, json_t *flags);
json_t *lmo_gen_dl_bad_saddle(lmo_rng_t *r, slong index, json_t *flags);
json_t *lmo_gen_dl_not_critical(lmo_rng_t *r, slong index, json_t *flags);
json_t *lmo_gen_dl_proof_c1(lmo_rng_t *r, slong index, json_t *flags);
json_t *lmo_gen_dl_near_critical(lmo_rng_t *r, slong index, json_t *flags);
/* soudry_carmon/gen_mnn.c */
json_t *lmo_gen_mnn_random(lmo_rng_t *r, slong index, json_t *flags);
json_t *lmo_gen_mnn_exact_zero(lmo_rng_t *r, slong index, json_t *flags);
json_t *lmo_gen_patterns_dropout(lmo_rng_t *r, slong index, json_t *flags);
json_t *lmo_gen_patterns_no_dropout(lmo_rng_t *r, slong index, json_t *flags);
json_t *lmo_gen_patterns_exceptional(lmo_rng_t *r, slong index, json_t *flags);
json_t *lmo_gen_patterns_too_many_samples(lmo_rng_t *r, slong index, json_t *flags);
/* soudry_carmon/gen_mnn_near.c */
json_t *lmo_gen_mnn_near_critical(lmo_rng_t *r, slong index, json_t *flags);
/* soudry_carmon/gen_witness.c */
json_t *lmo_gen_witness_lemma8(lmo_rng_t *r, slong index, json_t *flags);
/* khk/gen_khk.c */
json_t *lmo_gen_khk_critical(lmo_rng_t *r, slong index, json_t *flags);
json_t *lmo_gen_khk_random(lmo_rng_t *r, slong index, json_t *flags);
json_t *lmo_gen_khk_kink(lmo_rng_t *r, slong index, json_t *flags);
json_t *lmo_gen_khk_separated(lmo_rng_t *r, slong index, json_t *flags);
/* nguyen_hein/gen_nguyen_hein.c */
json_t *lmo_gen_nh_lemma43(lmo_rng_t *r, slong index, json_t *flags);
json_t *lmo_gen_nh_random(lmo_rng_t *r, slong index, json_t *flags);
json_t *lmo_gen_nh_saturated(lmo_rng_t *r, slong index, json_t *flags);
json_t *lmo_gen_nh_duplicate_units(lmo_rng_t *r, slong index, json_t *flags);

#endif
