/*
 * Deep-linear generator families (Kawaguchi 2016, Theorem 2.3): critical
 * points of each class made by the constructors of lmo/kawaguchi/deep_linear.h, at
 * widths drawn so the data satisfy the theorem's hypotheses (dy <= dx,
 * m >= dx). Sizes stay small (a few dozen parameters) so the corpus replays
 * in seconds. The class is what the construction guarantees; `expect` is
 * still computed by the classifier when the vector is blessed.
 */
#include "lmo/kawaguchi/deep_linear.h"
#include "../core/gen_internal.h"

enum { DL_GLOBAL, DL_STRICT, DL_BAD, DL_NOTCRIT, DL_C1, DL_NEAR };
static const char *const DL_FLAG[] = { "GlobalMin", "StrictSaddle", "BadSaddle", "TinyGradient",
                                        "StrictSaddle", "NearCritical" };

/* The input of vector `index` of class cls; flags gets the class's flag. */
static json_t *make(lmo_rng_t *r, slong index, json_t *flags, int cls)
{
    /* odd bad-saddle vectors: Theorem 2.3 (ii)'s Case III in tilted bases (the constructor
     * makes one when q = min(p, dy) >= 2 and its seed is a multiple of 3) */
    int case3 = cls == DL_BAD && (index & 1);
    /* near-critical vectors: even indices a global minimum, odd ones a strict saddle, each
     * moved by 2^-30 (issue 20: the shape of a float-trained point) */
    int saddle = cls == DL_NEAR && (index & 1);
    json_array_append_new(flags, json_string(DL_FLAG[cls]));
    for (int attempt = 0; attempt < 64; attempt++) {
        slong H = cls == DL_C1 ? 2 : cls == DL_BAD ? lmo_rng_uniform(r, 2, 3) : lmo_rng_uniform(r, 1, 3);
        slong dims[8];
        slong dx = lmo_rng_uniform(r, cls == DL_STRICT || case3 || saddle ? 2 : 1, 4);
        slong dy = lmo_rng_uniform(r, cls == DL_STRICT || case3 || saddle ? 2 : 1, dx);
        dims[0] = dx;
        dims[H + 1] = dy;
        for (slong k = 1; k <= H; k++) dims[k] = lmo_rng_uniform(r, case3 ? 2 : 1, 4);
        if ((cls == DL_STRICT || saddle) && H >= 2) {   /* p < dy; one draw per statement: C leaves the order of
                                               the two sides of = unspecified */
            slong k = lmo_rng_uniform(r, 1, H);
            dims[k] = lmo_rng_uniform(r, 1, dy - 1);
        }
        slong m = lmo_rng_uniform(r, dx, dx + 3);
        ulong seed = lmo_rng_next(r);
        if (case3) seed -= seed % 3;
        lmo_deep_linear_t dl;
        lmo_err_t err;
        int rc;
        switch (cls) {
        case DL_GLOBAL: rc = lmo_deep_linear_gen_global_min(dl, H, dims, m, seed, &err); break;
        case DL_STRICT: rc = lmo_deep_linear_gen_strict_saddle(dl, H, dims, m, seed, &err); break;
        case DL_BAD:    rc = lmo_deep_linear_gen_bad_saddle(dl, H, dims, m, seed, &err); break;
        case DL_C1:     rc = lmo_deep_linear_gen_proof_c1(dl, H, dims, m, seed, &err); break;
        case DL_NEAR:   rc = lmo_deep_linear_gen_near_critical(dl, H, dims, m, seed, saddle, 30, &err); break;
        default:        rc = lmo_deep_linear_gen_not_critical(dl, H, dims, m, seed, 30, &err); break;
        }
        if (rc != LMO_OK) continue;   /* widths that cannot host the class: draw again */
        json_t *in = lmo_deep_linear_input_to_json(dl);
        lmo_deep_linear_clear(dl);
        return in;
    }
    return NULL;
}

json_t *lmo_gen_dl_global_min(lmo_rng_t *r, slong i, json_t *f) { return make(r, i, f, DL_GLOBAL); }
json_t *lmo_gen_dl_strict_saddle(lmo_rng_t *r, slong i, json_t *f) { return make(r, i, f, DL_STRICT); }
json_t *lmo_gen_dl_bad_saddle(lmo_rng_t *r, slong i, json_t *f) { return make(r, i, f, DL_BAD); }
json_t *lmo_gen_dl_not_critical(lmo_rng_t *r, slong i, json_t *f) { return make(r, i, f, DL_NOTCRIT); }
json_t *lmo_gen_dl_proof_c1(lmo_rng_t *r, slong i, json_t *f) { return make(r, i, f, DL_C1); }
json_t *lmo_gen_dl_near_critical(lmo_rng_t *r, slong i, json_t *f) { return make(r, i, f, DL_NEAR); }
