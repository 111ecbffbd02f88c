/*
 * lmo/soudry_carmon/witness.h -- the witness of Soudry & Carmon (2016),
 * appendix B, built and verified exactly, and the generic rank of G_{L-1} it
 * proves.
 *
 * Paper statements mirrored (soudry-carmon-2016-no-bad-local-minima):
 *   Lemma 8   a polynomial matrix M(theta) (a x b, a >= b) with rank b at one
 *             point theta0 has rank b for almost every theta;
 *   (B.1)-(B.2)  G^p_{L-1} = A^p_{L-1} o V^p_{L-2}, polynomial in
 *             (X, E_1..E_{L-1}, W_1..W_{L-2}) for a fixed activation pattern p
 *             (w_L absorbed, i.e. W_L = 1_{1 x d_{L-1}});
 *   (B.3)     x'^(n)_i = 1, a'^(n)_{i,l} = 1 for l < L-2;
 *   (B.4)     W'_l = [1_{d_l x 1}, 0_{d_l x (d_{l-1}-1)}] for l <= L-2;
 *   (B.5)     A'_{L-2} = [1_{1 x d_{L-1}} (x) I_{d_{L-2}}]_{1..N},
 *             A'_{L-1} = [I_{d_{L-1}} (x) 1_{1 x d_{L-2}}]_{1..N};
 *   (B.6)     V'_{L-2} = A'_{L-2} and G'_{L-1} = [I_{d_{L-2} d_{L-1}}]_{1..N},
 *             so rank G'_{L-1} = N for every N <= d_{L-2} d_{L-1};
 *   Fact 2    the case L = 2: X' = [1_{1 x d1} (x) I_{d0}]_{1..N},
 *             A'_1 = [I_{d1} (x) 1_{1 x d0}]_{1..N};
 *   remarks after Theorem 5: with E_1..E_{L-3} = 1 the condition stays
 *             N <= d_{L-2} d_{L-1}; with E_{L-2} = 1 too it becomes
 *             N <= d_{L-1} min_{l <= L-2} d_l.
 * [M]_{1..N} is the first N columns of M. Index convention
 * (lmo/soudry_carmon/mnn.h, lmo/linalg/khatri_rao.h): row i*d_{L-2} + j of G_{L-1} is unit i of layer L-1
 * times unit j of layer L-2; column n of A'_{L-2} is e_{n mod d_{L-2}}, of
 * A'_{L-1} is e_{n div d_{L-2}}, so column n of G' is e_n.
 *
 * The witness as a network (kind `mnn` conventions, run through the exact
 * forward pass lmo_mnn_forward, not a shortcut): the paper fixes the pattern
 * and names A' directly; "any value of A^p is obtained with some choice of
 * E'". Here every pre-activation of the witness is > 0, so a_l = eps_l and
 * the dropout matrices ARE the activations: E'_l = A'_l for l < L. The two
 * top layers, which the paper leaves free, are W'_{L-1} = 1_{d_{L-1} x
 * d_{L-2}} (so u_{L-1} = 1 > 0) and W'_L = 1_{1 x d_{L-1}} (w_L = 1, as in
 * the proof). The slope is s = 1/10; it never acts (no u < 0). The target y
 * is 0 (it does not enter G). For any other pattern q the dropout E'^q =
 * A' / (slope factor of q) gives the same A' and the same G'.
 *
 * Witness certificate (lmo_witness_cert_to_json): claim "witness", specified in
 * vectors/schema/lmo-cert-1.md ("The Lemma 8 witness"). It carries the whole network;
 * lmo-check re-runs its own forward pass, rebuilds G_{L-1} by (5.2), (5.4) and checks
 * G_{L-1} = [I]_{1..N}: rank G_{L-1} = N (proofs/coq: witness_check_rank), and by
 * Lemma 8 rank G^p_{L-1} = N for almost every (X, E, W_1..W_{L-2}) of this pattern.
 */
#ifndef LMO_SOUDRY_CARMON_WITNESS_H
#define LMO_SOUDRY_CARMON_WITNESS_H

#include <jansson.h>
#include <flint/fmpq_mat.h>
#include "lmo/core/common.h"
#include "lmo/core/theorem.h"
#include "lmo/linalg/rank.h"
#include "lmo/soudry_carmon/mnn.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------ shapes */

/* Validate a width list d[0..nw-1] (L = nw - 1) and N. `wfield` and `nfield`
 * name the two inputs in messages ("--widths", "--n" or "input.widths",
 * "input.N"). LMO_EINPUT: fewer than 3 widths (L >= 2 is needed: G_{L-1}
 * has no meaning for L = 1), a width < 1, dL != 1, N < 1, or N >
 * d_{L-2} d_{L-1} (no witness can exist: G_{L-1} has that many rows).
 * LMO_ELIMIT: a matrix of the witness would exceed lim (NULL: defaults). */
int lmo_witness_check_shape(const slong *d, slong nw, slong N, const char *wfield,
                            const char *nfield, const lmo_limits_t *lim, lmo_err_t *err);

/* Read {"widths": [d0, ..., dL], "N": N} (the input of kind witness). *d is
 * flint_malloc'ed (flint_free it) with *L + 1 entries; errors name
 * input.widths[i] / input.N. */
int lmo_witness_input_set_json(slong **d, slong *L, slong *N, const json_t *input,
                               const lmo_limits_t *lim, lmo_err_t *err);

/* ----------------------------------------------------------- the witness */

typedef struct {
    slong L, N;
    slong *d;                /* d[0..L], d[L] = 1 */
    lmo_mnn_input_t net;     /* X', slope, W'_1..W'_L, E'_1..E'_{L-1} = A'_l, y = 0 */
    fmpq_mat_struct *A;      /* A[l-1] = A'_l of (B.3)/(B.5), l = 1..L-1 */
    int built;
} lmo_witness_struct;
typedef lmo_witness_struct lmo_witness_t[1];

void lmo_witness_init(lmo_witness_t w);
void lmo_witness_clear(lmo_witness_t w);

/* Build the witness of (B.3)-(B.5) (Fact 2 for L = 2) for widths d[0..L].
 * Validates with lmo_witness_check_shape (fields "widths", "N"). */
int lmo_witness_build(lmo_witness_t w, const slong *d, slong L, slong N, lmo_err_t *err);

typedef struct {
    lmo_mnn_result_t fwd;    /* the exact forward pass (lmo_mnn_forward) */
    fmpq_mat_t Delta;        /* Delta_{L-1}, d_{L-1} x N, (5.2) */
    fmpq_mat_t G;            /* G'_{L-1} = Delta_{L-1} o V_{L-2}, (5.4) */
    int activations_match;   /* the forward pass's a_l equal A'_l, l < L */
    int differentiable;      /* no hidden u = 0 */
    int identity;            /* G'_{L-1} == [I]_{1..N} exactly */
    slong bad_row, bad_col;  /* first entry that differs, else -1 */
    int certified;           /* rank below was computed */
    lmo_rank_t rank;         /* certified rank of G'_{L-1} */
    int holds;               /* all of the above, and rank = N */
    /* The construction as a paper statement (lmo/core/theorem.h): "Soudry–Carmon Fact 2"
     * (L = 2) or "Soudry–Carmon (B.3)-(B.6)" (L >= 3). Deterministic: it holds for every
     * widths and N <= d_{L-2} d_{L-1}, so a failure is `violated` (a bug in lmo or the paper). */
    lmo_theorem_t construction;
} lmo_witness_result_struct;
typedef lmo_witness_result_struct lmo_witness_result_t[1];

void lmo_witness_result_init(lmo_witness_result_t r);
void lmo_witness_result_clear(lmo_witness_result_t r);

/* Run the witness network forward exactly, form G'_{L-1}, compare with
 * [I]_{1..N}; with certify = 1 also its certified rank (lmo_rank_certified,
 * primes from seed). r->holds says whether (B.6) is confirmed. */
int lmo_witness_verify(lmo_witness_result_t r, const lmo_witness_t w, int certify, ulong seed,
                       lmo_err_t *err);

/* Lemma 8's conclusion at one random rational point (lmo_witness_random_G, its own
 * activation pattern): "Soudry–Carmon Lemma 8". The hypothesis is a point of rank N for the
 * pattern -- the witness r, which serves every pattern (E'^q = A' / slope factor of q);
 * without it, not_applicable. rank = N: holds. rank < N: exceptional, an almost-everywhere
 * statement failing on its null set (every N x N minor of G_{L-1} vanishes here, or a hidden
 * pre-activation is 0 when differentiable = 0), never violated. */
void lmo_witness_lemma8(lmo_theorem_t *t, const lmo_witness_result_t r, slong N, slong grank,
                        int differentiable);

/* G_{L-1} of any network (kind mnn input, L >= 2) after lmo_mnn_forward:
 * Delta (d_{L-1} x N) and G (d_{L-2} d_{L-1} x N), initialised by the caller,
 * by (5.2) with a_L = 1 and (5.4). */
void lmo_witness_G_layer(fmpq_mat_t Delta, fmpq_mat_t G, const lmo_mnn_result_t fwd,
                         const lmo_mnn_input_t in);

/* {"X", "slope", "weights", "dropout", "activations"} of the witness. */
json_t *lmo_witness_params_to_json(const lmo_witness_t w);
/* The exact verdict of kind witness (the `expect` keys): widths, N, layer,
 * witness (the parameters above), differentiable, activations_match,
 * G_identity, rank, full_column_rank. Needs a verified result (certify = 1). */
json_t *lmo_witness_expect_to_json(const lmo_witness_t w, const lmo_witness_result_t r);
/* The witness certificate documented above (vector_id NULL: "cli"). */
json_t *lmo_witness_cert_to_json(const lmo_witness_t w, const char *vector_id);

/* ------------------------------------------------- genericity (Lemma 8) */

/* Which dropout matrices are random (the rest are all ones), as in the
 * remarks after Theorem 5. */
typedef enum {
    LMO_WITNESS_CASE_ALL = 0,   /* (i)   E_1..E_{L-1} random */
    LMO_WITNESS_CASE_TOP2 = 1,  /* (ii)  E_1..E_{L-3} = 1; E_{L-2}, E_{L-1} random */
    LMO_WITNESS_CASE_TOP1 = 2   /* (iii) E_1..E_{L-2} = 1; E_{L-1} random */
} lmo_witness_case_t;

const char *lmo_witness_case_name(lmo_witness_case_t c);   /* "i", "ii", "iii" */

/* The paper's threshold B of the case: N <= B guarantees rank G_{L-1} = N
 * almost everywhere. (i), (ii): d_{L-2} d_{L-1} (lmo_sc_theorem5_max_samples);
 * (iii): d_{L-1} min_{l <= L-2} d_l (lmo_sc_theorem5_fixed_dropout_max_samples,
 * lmo/soudry_carmon/hypotheses.h). */
slong lmo_witness_threshold(const slong *d, slong L, lmo_witness_case_t c);

/* A random rational network (kind mnn input, initialised here; clear it):
 * widths d, N samples, slope 1/10, E_l random positive for the case's random
 * layers and 1 elsewhere. active = 1: X, W, E > 0, so every unit is active
 * (the all-active pattern, a = eps); active = 0: X, W of random sign (a
 * random pattern). Entries p/q, |p| <= 2^20, q <= 2^10, non-zero. */
void lmo_witness_random_net(lmo_mnn_input_t in, const slong *d, slong L, slong N,
                            lmo_witness_case_t c, int active, lmo_rng_t *rng);

/* G_{L-1} of a random network as above (G initialised here, clear it);
 * *differentiable says whether no hidden u was 0. */
int lmo_witness_random_G(fmpq_mat_t G, int *differentiable, const slong *d, slong L, slong N,
                         lmo_witness_case_t c, int active, lmo_rng_t *rng, lmo_err_t *err);

/* One row of the generic-rank table: widths d, N samples, one case.
 *   bound        = min(N, B): the rank the paper guarantees (N when N <= B;
 *                  for N > B, B, by dropping samples);
 *   rank_active  = the largest exact rank of G_{L-1} seen at random points of
 *                  the all-active pattern: a proven lower bound of that
 *                  pattern's generic rank (Lemma 8: generic = maximal);
 *   upper_active = min(N, d_{L-2} d_{L-1}) in (i), (ii) (rows of G);
 *                  min(N, d_{L-1} min_{l<=L-2} d_l) in (iii), by dimension
 *                  counting: with E_l = 1 and every unit active,
 *                  V_{L-2} = W_{L-2}...W_1 X has rank <= min_{l<=L-2} d_l
 *                  and the columns delta (x) v lie in R^{d_{L-1}} (x) range V;
 *   rank_random  = the exact rank at a random point of random sign (its own
 *                  pattern): a lower bound of that pattern's generic rank;
 *   status       "tight" (rank_active = upper_active = bound, rank_random =
 *                  bound), "beyond_lemma8" (rank_random > bound: that
 *                  pattern's generic rank is above what Lemma 8's witness
 *                  (B.3)-(B.6) proves -- the paper's condition is sufficient,
 *                  not necessary; not an anomaly), "below" (a rank under the
 *                  bound: unlucky draws or a counterexample; never expected). */
typedef struct {
    slong N, threshold, bound, rows;
    slong rank_active, upper_active, rank_random;
    int tries;
    const char *status;
} lmo_witness_table_row_t;

/* rows[N-1] for N = 1..Nmax, Nmax = d_{L-2} d_{L-1}: one random point with
 * Nmax samples per kind (active, random), prefixes for smaller N (samples are
 * independent); active points are redrawn (at most max_tries in all) while a
 * rank is below upper_active. Ranks by lmo_rank_certified (primes from seed). */
int lmo_witness_table_rows(lmo_witness_table_row_t *rows, const slong *d, slong L,
                           lmo_witness_case_t c, lmo_rng_t *rng, int max_tries, ulong seed,
                           lmo_err_t *err);

/* ------------------------------------------------------- lmo gen family */

/* Family "witness-lemma8" (lmo/core/gen.h signature): random widths d0..dL with
 * 2 <= L <= 4, widths in 1..5, dL = 1, and N uniform in 1..d_{L-2} d_{L-1}. */
json_t *lmo_gen_witness_lemma8(lmo_rng_t *rng, slong index, json_t *flags);

#ifdef __cplusplus
}
#endif
#endif
