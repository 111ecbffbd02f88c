/* The makers of lmo's generator families (table in gen.c; see lmo/gen.h). */
#ifndef LMO_GEN_INTERNAL_H
#define LMO_GEN_INTERNAL_H
#include "lmo/gen.h"

/* gen_rank.c */
json_t *lmo_gen_kr_generic(lmo_rng_t *r, slong index, json_t *flags);
json_t *lmo_gen_kr_near_deficient(lmo_rng_t *r, slong index, json_t *flags);
json_t *lmo_gen_kr_hidden_deficient(lmo_rng_t *r, slong index, json_t *flags);
json_t *lmo_gen_kahan(lmo_rng_t *r, slong index, json_t *flags);
json_t *lmo_gen_graded(lmo_rng_t *r, slong index, json_t *flags);
/* gen_deep_linear.c */
json_t *lmo_gen_dl_global_min(lmo_rng_t *r, slong index, json_t *flags);
json_t *lmo_gen_dl_strict_saddle(lmo_rng_t *r, slong index, json_t *flags);
json_t *lmo_gen_dl_bad_saddle(lmo_rng_t *r, slong index, json_t *flags);
json_t *lmo_gen_dl_not_critical(lmo_rng_t *r, slong index, json_t *flags);
/* gen_mnn.c */
json_t *lmo_gen_mnn_random(lmo_rng_t *r, slong index, json_t *flags);
json_t *lmo_gen_mnn_exact_zero(lmo_rng_t *r, slong index, json_t *flags);
json_t *lmo_gen_patterns_dropout(lmo_rng_t *r, slong index, json_t *flags);
json_t *lmo_gen_patterns_no_dropout(lmo_rng_t *r, slong index, json_t *flags);
/* gen_witness.c */
json_t *lmo_gen_witness_lemma8(lmo_rng_t *r, slong index, json_t *flags);

#endif
