/*
 * lmo/core/gen.h -- deterministic generator families for golden vectors
 * (`lmo gen FAMILY --seed S --count K`). Only the `input` of each vector is
 * made here; its `expect`, `fast` and `certificate` are computed afterwards
 * by the tiers themselves (`lmo bless`), never assumed from the
 * construction. Randomness is lmo_rng_t seeded from (family, seed, index):
 * the same arguments give the same vector on every machine.
 *
 * Rank families (Soudry & Carmon (4.4): G = A o X, A = leaky-ReLU slopes
 * times dropout, Lemma 3's full-column-rank claim):
 *   kr-generic          random rational A, X with N <= d0*d1: full rank.
 *   kr-near-deficient   exactly full rank, two columns of G differ by
 *                       2^-70 * (a (x) u): smallest singular value far below
 *                       numpy's tolerance.
 *   kr-hidden-deficient exactly deficient: three columns share a, and
 *                       x^(N) = (x^(N-2) + x^(N-1)) / 3, entries near 1e18:
 *                       rounding the thirds leaves noise far above an
 *                       absolute tolerance such as abs:1e-10.
 *   matrix-kahan        Kahan's matrix diag(1, s, ..., s^(n-1)) (I - c U),
 *                       c^2 + s^2 = 1 rational: full rank, det = s^(n(n-1)/2),
 *                       smallest singular value tiny.
 *   matrix-graded       diag(10^(-k i)) B diag(10^(-l j)), B random integer:
 *                       full rank, scales spanning beyond 1e16.
 */
#ifndef LMO_CORE_GEN_H
#define LMO_CORE_GEN_H

#include <jansson.h>
#include "lmo/core/common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    const char *name;     /* family name, e.g. "kr-generic" */
    const char *kind;     /* vector kind it produces */
    const char *summary;  /* one line for --help */
    /* new reference to the `input` object of vector `index`; flags gets the
     * family's own flags appended (array, may stay empty) */
    json_t *(*make)(lmo_rng_t *rng, slong index, json_t *flags);
    /* the paper statement the family exercises, in the paper's own words (short), with the
     * outcome its vectors get; part of each vector's `source`. NULL for the numerical
     * families that exercise no statement (matrix-*, kr-near-deficient, ...) */
    const char *statement;
} lmo_gen_family_t;

/* NULL-terminated table of the families. */
const lmo_gen_family_t *lmo_gen_families(void);
const lmo_gen_family_t *lmo_gen_family_find(const char *name);

/* The PRNG state for (family, seed, index): splitmix of an FNV-1a hash of
 * the family name, the seed and the index. */
void lmo_gen_rng(lmo_rng_t *rng, const char *family, ulong seed, slong index);

#ifdef __cplusplus
}
#endif
#endif
