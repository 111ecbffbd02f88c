/*
 * lmo/soudry_carmon/patterns.h -- rank of the gradient matrix G1^p = A1^p o X
 * over the activation patterns p of a one-hidden-layer leaky-ReLU network
 * with dropout: Soudry & Carmon 2016, Lemma 3 and its proof (appendix A, with the
 * pattern enumeration p in {1..2^(N d1)} and Fact 7), eq. (4.4) for o.
 *
 * A pattern is a d1 x N sign matrix: signs[i*N + n] = 1 when u_i^(n) >= 0
 * (slope a_i^(n) = eps_i^(n)), 0 when u_i^(n) < 0 (slope s * eps_i^(n)), as
 * in the activation rule of section 3. Column n of G1^p is a^(n) (x) x^(n).
 *
 * Modes (kind mnn_patterns of DESIGN.md):
 *   exhaustive  every one of the 2^(N d1) patterns (N d1 <= 24);
 *   sampled     `count` patterns drawn with the seeded lmo_rng_t;
 *   realizable  the patterns some differentiable W1 actually produces: per
 *               unit, the sign vectors of the open cells (topes) of the
 *               central hyperplane arrangement {w : w.x^(n) = 0}, each with
 *               an exact witness w; the d1 units combine independently.
 *
 * How (exact, certified): ranks modulo a word-size prime p, columns added one
 * at a time with fraction-free modular elimination; the exhaustive mode is a
 * depth-first walk over columns (sibling patterns differ in one column, the
 * eliminated state of the shared prefix is reused, nothing is allocated per
 * pattern). Rank mod p <= rank over Q, so rank N mod p proves full rank. A
 * column that becomes dependent mod p is confirmed exactly: the pivot system
 * is solved over Z (Bareiss) and the dependency checked on every row; the
 * checked dependencies are the kernel vectors of the certificate (rank <= r),
 * the pivot rows/columns and p its minor (rank >= r). A failed check means an
 * unlucky prime: the whole run is redone with another prime.
 *
 * Lemma 3 (lmo/core/theorem.h outcome): if N <= d0 d1 (its one hypothesis, decided by
 * lmo_sc_lemma3_hypotheses), every pattern has rank N for almost every (X, E1): "holds"
 * when every checked pattern has rank N, else "exceptional" with the genericity of
 * (X, E1) that fails named (lmo_sc_genericity, lmo/soudry_carmon/hypotheses.h).
 */
#ifndef LMO_SOUDRY_CARMON_PATTERNS_H
#define LMO_SOUDRY_CARMON_PATTERNS_H

#include <jansson.h>
#include <flint/fmpq.h>
#include <flint/fmpq_mat.h>
#include "lmo/core/common.h"
#include "lmo/linalg/rank.h"
#include "lmo/core/theorem.h"
#include "lmo/soudry_carmon/hypotheses.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    LMO_PATTERNS_EXHAUSTIVE = 0,
    LMO_PATTERNS_SAMPLED = 1,
    LMO_PATTERNS_REALIZABLE = 2
} lmo_patterns_mode_t;

#define LMO_PATTERNS_MAX_EXHAUSTIVE_BITS 24   /* N * d1 for mode exhaustive */
#define LMO_PATTERNS_MAX_CHECKED (WORD(1) << 26)
/* The refusal of s = 0, said once (the reader and lmo_patterns_run both refuse it). */
#define LMO_PATTERNS_SLOPE_ZERO "input.slope: must be non-zero: Lemma 3's patterns need s != 0; " \
                                "a plain ReLU network (s = 0, Section 6) is read by lmo mnn"
#define LMO_PATTERNS_DEFAULT_LIST 64

/* ---- realizable sign vectors of one unit ---- */

/* The open cells of the central arrangement {w in Q^d0 : w.x^(n) = 0},
 * n < N <= 64. Cell t has sign mask masks[t] (bit n set iff w.x^(n) > 0)
 * and witness row t of W (count x d0) with exactly those strict signs.
 * Sorted by mask. No cell exists when some x^(n) = 0 (every w has u = 0). */
typedef struct {
    slong d0, N, count;
    ulong *masks;
    fmpq_mat_t W;
} lmo_topes_struct;
typedef lmo_topes_struct lmo_topes_t[1];

void lmo_topes_init(lmo_topes_t T);
void lmo_topes_clear(lmo_topes_t T);
/* LMO_ELIMIT when N > 64. */
int lmo_topes_enumerate(lmo_topes_t T, const fmpq_mat_t X, lmo_err_t *err);
/* Index of `mask` in T, or -1. */
slong lmo_topes_find(const lmo_topes_t T, ulong mask);

typedef struct {
    fmpq_mat_t X;          /* d0 x N */
    fmpq_mat_t E;          /* d1 x N, dropout E1 (all ones when has_dropout = 0) */
    fmpq_t s;              /* slope s != 0 */
    slong d1;
    int has_dropout;
    lmo_patterns_mode_t mode;
    ulong count;           /* sampled: how many; realizable: 0 = all, else at most this many (drawn) */
    ulong seed;
    slong list_cap;        /* deficient patterns listed with certificates */
    ulong first_prime;     /* 0: random primes from seed; else the first prime tried
                              (a prime < 2^50; tests force an unlucky one with it) */
    /* Told now and then (every 4096 patterns) how many of how many are checked; NULL:
     * nobody asks. A run that meets an unlucky prime starts the count again. */
    void (*progress)(void *arg, ulong done, ulong total);
    void *progress_arg;
    /* Items [first, end) of the mode's sequence only (a shard of a sweep, cli/shard.h);
     * end = 0: to the end. The sequence is unchanged: sampled and drawn modes still draw
     * the items before `first` (and skip them), so item t is the same pattern in every
     * run of the same input. Exhaustive items are numbered in the walk's order (below). */
    ulong first, end;
} lmo_patterns_input_struct;
typedef lmo_patterns_input_struct lmo_patterns_input_t[1];

/* X zero d0 x N, E all ones d1 x N, s = 1, mode exhaustive, list_cap 64. */
void lmo_patterns_input_init(lmo_patterns_input_t in, slong d0, slong d1, slong N);
void lmo_patterns_input_clear(lmo_patterns_input_t in);

/* Read the `input` object of kind mnn_patterns: X (d0 x N), optional dropout
 * E1 (d1 x N; also accepted as a one-element list [E1]), slope, width d1,
 * mode, count, seed. `in` must be initialised (any size); it is resized.
 * Bad shapes or values: LMO_EINPUT naming the field. */
int lmo_patterns_input_set_json(lmo_patterns_input_t in, const json_t *input,
                                const lmo_limits_t *lim, lmo_err_t *err);

typedef struct {
    ulong index;           /* its item number in the run's sequence (0-based) */
    unsigned char *signs;  /* d1*N, see above */
    lmo_rank_t cert;       /* exact rank of G1^p with its certificate */
} lmo_pattern_entry_struct;

typedef struct {
    slong d0, d1, N;
    lmo_patterns_mode_t mode;
    ulong checked, full_rank, deficient;
    slong min_rank;            /* over the checked patterns; N when none is deficient */
    ulong *rank_count;         /* N+1 entries: patterns per rank */
    /* realizable mode */
    ulong cells_per_unit;      /* topes of the arrangement of one unit */
    int realizable_drawn;      /* 1 when `count` tuples were drawn instead of all */
    /* listing, in enumeration order */
    slong nlisted, list_cap;
    lmo_pattern_entry_struct *listed;
    /* Lemma 3 */
    lmo_theorem_t lemma3;
    /* how */
    ulong prime;
    int primes_tried;
    ulong exact_checks;        /* dependencies confirmed over Z */
} lmo_patterns_result_struct;
typedef lmo_patterns_result_struct lmo_patterns_result_t[1];

void lmo_patterns_result_init(lmo_patterns_result_t res);
void lmo_patterns_result_clear(lmo_patterns_result_t res);

/* Run the mode of `in`. LMO_EINPUT for a bad input (s = 0, shapes),
 * LMO_ELIMIT when the mode's enumeration exceeds its cap. Exhaustive item t (the walk's
 * order) sets column n's signs of unit i to bit i of digit N-1-n of t in base 2^d1. */
int lmo_patterns_run(lmo_patterns_result_t res, const lmo_patterns_input_t in, lmo_err_t *err);

/* Lemma 3's outcome from res's counts: what lmo_patterns_run does last, for a result put
 * together from the shards of a sweep (lmo merge). */
void lmo_patterns_result_finish(lmo_patterns_result_t res, const lmo_patterns_input_t in);
/* res (initialised) ready for d0, d1, N, mode, list_cap: counts zero, no pattern listed. */
void lmo_patterns_result_start(lmo_patterns_result_t res, slong d0, slong d1, slong N,
                               lmo_patterns_mode_t mode, slong list_cap);

/* The expect keys of kind mnn_patterns: mode, patterns_checked, full_rank,
 * deficient, min_rank, rank_counts, deficient_patterns [{signs, rank}] (the
 * first list_cap, with "certificate" when certs = 1), deficient_listed_all,
 * cells_per_unit and realizable_drawn (mode realizable), theorems
 * [Lemma 3 with its outcome and reason] (lmo/core/theorem.h).
 * Signs are one string per unit, '+' for u >= 0 and '-' for u < 0. */
json_t *lmo_patterns_result_to_json(const lmo_patterns_result_t res, const char *vector_id, int certs);

/* The certificates (claim "bundle", vectors/schema/lmo-cert-1.md "Rank bundles"): one
 * listed pattern's member, a rank certificate of G1^p with its "matrix" and "pattern";
 * then all listed members, with the part "full_rank" in exhaustive mode when every
 * deficient pattern is listed. */
json_t *lmo_pattern_cert_to_json(const lmo_pattern_entry_struct *e, const lmo_patterns_result_struct *res,
                                  const char *vector_id);
json_t *lmo_patterns_certificates_to_json(const lmo_patterns_result_t res, const char *vector_id);

/* The sequence of patterns a mode checks, in lmo_patterns_run's order for
 * sampled and realizable (exhaustive: every pattern once, bit i*N + n of the
 * index t is signs[i*N + n]). For the fast tier's replay of the same set. */
typedef struct {
    lmo_patterns_mode_t mode;
    slong d1, N;
    ulong total, next;
    int drawn;
    lmo_rng_t rng;
    lmo_topes_struct T[1];
} lmo_patterns_iter_struct;
typedef lmo_patterns_iter_struct lmo_patterns_iter_t[1];

/* Same validation and caps as lmo_patterns_run; clear it even on error. */
int lmo_patterns_iter_init(lmo_patterns_iter_t it, const lmo_patterns_input_t in, lmo_err_t *err);
/* Writes the next pattern (d1*N signs); 0 when the sequence is done. */
int lmo_patterns_iter_next(lmo_patterns_iter_t it, unsigned char *signs);
void lmo_patterns_iter_clear(lmo_patterns_iter_t it);

/* Certified exact rank of G1^p for one pattern, by the same modular engine. */
int lmo_pattern_rank(lmo_rank_t R, const fmpq_mat_t X, const fmpq_mat_t E, const fmpq_t s,
                     const unsigned char *signs, ulong seed, lmo_err_t *err);

/* A1^p (d1 x N) and G1^p = A1^p o X (d1*d0 x N, initialised by the caller). */
void lmo_pattern_slopes(fmpq_mat_t A, const fmpq_mat_t E, const fmpq_t s,
                        const unsigned char *signs);
void lmo_pattern_matrix(fmpq_mat_t G, const fmpq_mat_t X, const fmpq_mat_t E,
                        const fmpq_t s, const unsigned char *signs);

#ifdef __cplusplus
}
#endif
#endif
