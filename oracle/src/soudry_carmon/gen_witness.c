/* Generator family witness-lemma8 (see lmo/soudry_carmon/witness.h and
 * lmo/core/gen.h): only the input {"widths", "N"}; the witness itself is
 * built and verified by bless. */
#include "lmo/soudry_carmon/witness.h"
#include "lmo/soudry_carmon/hypotheses.h"

json_t *lmo_gen_witness_lemma8(lmo_rng_t *rng, slong index, json_t *flags)
{
    (void) index;
    (void) flags;
    slong L = 2 + (slong) lmo_rng_below(rng, 3);           /* 2..4 */
    json_t *w = json_array();
    slong d[5];
    for (slong l = 0; l < L; l++) {
        d[l] = 1 + (slong) lmo_rng_below(rng, 5);          /* 1..5 */
        json_array_append_new(w, json_integer(d[l]));
    }
    json_array_append_new(w, json_integer(1));              /* dL = 1 */
    slong N = 1 + (slong) lmo_rng_below(rng, (ulong) lmo_sc_theorem5_max_samples(d, L));
    return json_pack("{s:o, s:I}", "widths", w, "N", (json_int_t) N);
}
