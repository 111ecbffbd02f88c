/*
 * cli/kinds/kind.h -- one vector kind as the driver (cli/driver.h) sees it: its exact tier,
 * its fast tier under a policy, and how both are shown. Each kind is one file of this
 * folder filling an lmo_kind_t, declared below and listed in the table of common.c.
 *
 * The verdict a kind returns has the members of DESIGN.md's `expect` for that kind; its
 * `split` moves what lmo-check cannot certify (theorem outcomes, notes) to `report`, so the
 * driver writes and compares both the same way for every kind.
 */
#ifndef LMO_CLI_KIND_H
#define LMO_CLI_KIND_H

#include "../cli.h"
#include "lmo/linalg/near_critical.h"

typedef struct {
    const char *kind;
    size_t state_size;     /* the driver allocates the state zeroed, and frees it */
    /* Read the vector's input and compute the exact tier into st (o->explain: also what
     * explains a disagreement). st must be clearable by `clear` whatever exact returns. */
    int (*exact)(void *st, const lmo_vector_t v, const lmo_cli_opts *o, lmo_err_t *err);
    void (*clear)(void *st);
    /* The exact verdict: the members of expect and report (split by `split`). */
    json_t *(*verdict)(const void *st);
    /* Further facts for --json ("info": shapes, primes tried, ...); NULL: none. */
    json_t *(*info)(const void *st);
    /* The certificate document for --cert and lmo bless, or NULL. */
    json_t *(*certificate)(const void *st, const char *id);
    /* 1 when lmo finds a statement violated or its own cross-check failing (exit 1). */
    int (*failed)(const void *st);
    /* The fast tier, which lmo_kind_fast runs under each policy (one loop for every kind).
     * fast_policy decides under one policy and adds its entry to out with
     * lmo_kind_fast_entry: {<decision keys, as in expect>, "detail": {the doubles behind the
     * decision}, "disagreements": [each disagreement with the exact verdict, explained]};
     * LMO_KIND_OVERFLOW (nothing added) when a number of the input overflows double;
     * LMO_ELIMIT with err when LAPACK fails. NULL: no fast tier. Optional, for what the
     * policies share (a forward pass, a walk over patterns): fast_input makes it once into
     * *in (LMO_OK, LMO_KIND_OVERFLOW, or an error code with err), fast_clear frees it
     * whatever fast_input returned. */
    int (*fast_policy)(json_t *out, const void *st, void *in, const lmo_fast_policy_t *pol,
                       lmo_err_t *err);
    int (*fast_input)(void **in, const void *st, const lmo_fast_policy_t *pols, int npol,
                      lmo_err_t *err);
    void (*fast_clear)(void *in, const void *st);
    /* Text for a person: the exact verdict, after the line "ID (KIND, SHAPE)". */
    void (*shape)(FILE *f, const void *st);
    void (*text)(FILE *f, const void *st, const lmo_cli_opts *o);
    /* Flags a vector gets from its verdict and decisions (bless); may be NULL. */
    void (*flags)(json_t *flags, const json_t *verdict, const json_t *fast);
    /* lmo's findings that lmo-check does not certify ("key" or "key.sub"), moved from the
     * verdict to report; NULL: none. */
    const char *const *report;
    /* Moves those that depend on the verdict (mode, listing) too; NULL: none. */
    void (*split)(json_t *expect, json_t *report);
    /* A kind whose exact tier is a sweep (cli/shard.h); NULL: none. With o->shard, exact
     * computes only its shard's items and `partial` gives them ({"items", ...}); with
     * o->merge_parts, exact puts the state together from the N parts instead. */
    json_t *(*partial)(const void *st);
} lmo_kind_t;

/* The kinds, one per file of this folder. */
extern const lmo_kind_t lmo_kind_matrix_rank, lmo_kind_khatri_rao_rank, lmo_kind_mnn,
    lmo_kind_mnn_patterns, lmo_kind_deep_linear, lmo_kind_witness, lmo_kind_khk,
    lmo_kind_nguyen_hein;

/* The kind of that name, or NULL. */
const lmo_kind_t *lmo_kind_find(const char *kind);

/* Moves each member named by PATHS ("key" or "key.sub", NULL-terminated) from expect to
 * the same place in report. */
void lmo_kind_move_members(json_t *expect, json_t *report, const char *const *paths);

/* One policy's entry of a kind's fast output: DECISION (stolen), DETAIL (stolen, may be
 * NULL), an empty list of disagreements; returns the list, to append explanations. */
json_t *lmo_kind_fast_entry(json_t *out, const char *policy, json_t *decision, json_t *detail);

/* fast_input's answer when the doubles of the input do not exist. */
#define LMO_KIND_OVERFLOW (-1)

/* Kind K's fast tier on state ST under each of the NPOL policies: *out = {policy: entry}
 * (see lmo_kind_t.fast_policy). LMO_OK, or an error code with err and *out NULL. */
int lmo_kind_fast(json_t **out, const lmo_kind_t *k, const void *st, const lmo_fast_policy_t *pols,
                  int npol, lmo_err_t *err);

/* FloatDisagrees when some policy's decision differs from the verdict on one of KEYS. */
void lmo_kind_flag_disagreement(json_t *flags, const json_t *verdict, const json_t *fast,
                                const char *const *keys);

/* TheoremViolated / Exceptional when some member of the verdict's "theorems" (every kind's
 * theorem objects, lmo/core/theorem.h) has that outcome. */
void lmo_kind_flag_theorems(json_t *flags, const json_t *verdict);

/* Explanation of a float rank that differs from the exact rank R under policy P: which
 * value sits how far on which side of which threshold. */
void lmo_kind_explain_rank(char *out, size_t cap, const char *what, const lmo_fast_rank_t *fr,
                           slong r, const lmo_fast_policy_t *p);

/* Explanation of a float gradient test (NORM <= TOL) that differs from the exact one:
 * CRITICAL is the exact answer, WHY_NOT what shows the exact gradient non-zero. */
void lmo_kind_explain_gradient(char *out, size_t cap, double norm, double tol, int critical,
                               const char *why_not);

/* The text of a near-critical report (lmo/linalg/near_critical.h), each line indented by
 * four spaces under a "  near-critical:" line: gradient norm, certified eigenvalue
 * signs beside the exact inertia, the lowest enclosures, the loss gap, the verdict. */
void lmo_kind_print_near_critical(FILE *f, const lmo_near_critical_struct *nc);

#endif
