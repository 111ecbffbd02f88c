/*
 * cli/kinds.h -- what `lmo bless`, `lmo gen` and `lmo check` do per vector
 * kind. Each kind gives its exact verdict (the `expect` object, keys as in
 * DESIGN.md's kind table, and its certificate) and its fast-tier decisions
 * per policy (the `fast` object, one member per policy name).
 */
#ifndef LMO_CLI_KINDS_H
#define LMO_CLI_KINDS_H

#include "cli.h"

typedef struct {
    const char *kind;
    /* exact tier: new references in *expect and *cert (cert may be NULL);
     * returns LMO_OK or an error code with err filled */
    int (*exact)(json_t **expect, json_t **cert, const lmo_vector_t v,
                 const lmo_cli_opts *o, lmo_err_t *err);
    /* fast tier under each policy: *fast = {policy name: decision} */
    int (*fast)(json_t **fast, const lmo_vector_t v, const lmo_fast_policy_t *pols,
                int npol, const lmo_cli_opts *o, lmo_err_t *err);
    /* flags derived from the two verdicts, appended to flags (may be NULL) */
    void (*flags)(json_t *flags, const json_t *expect, const json_t *fast);
    /* moves from the exact verdict to `report` what lmo-check cannot certify
     * (theorem outcomes and their reasons, notes, lmo's own cross-checks),
     * so that every member left in `expect` is a claim lmo-check verifies
     * (proofs/README.md); NULL: everything is certified */
    void (*split)(json_t *expect, json_t *report);
    /* for `lmo compare`: 1 when one policy's decision (a member of fast)
     * disagrees with the exact verdict, with a one-line explanation in why;
     * NULL means: disagree when a key the two share has different values */
    int (*disagrees)(const json_t *expect, const json_t *decision, char *why, size_t cap);
} lmo_kind_ops_t;

/* Moves each member named by PATHS ("key" or "key.sub", NULL-terminated)
 * from expect to the same place in report. */
void lmo_kind_move_members(json_t *expect, json_t *report, const char *const *paths);

/* The exact verdict of kind ops split into *expect (certified) and a new
 * *report (possibly empty). */
void lmo_kind_split(const lmo_kind_ops_t *ops, json_t *expect, json_t **report);

/* The default of `disagrees`: compares the keys expect and decision share. */
int lmo_kind_disagrees_shared(const json_t *expect, const json_t *decision, char *why, size_t cap);

/* NULL when lmo cannot yet compute verdicts for this kind. */
const lmo_kind_ops_t *lmo_kind_ops(const char *kind);

/* The policies to record: the user's --policy list, else numpy, qrcp,
 * abs:1e-10. Returns how many were written to out (at most max). */
int lmo_kind_policies(lmo_fast_policy_t *out, int max, const lmo_cli_opts *o);

#endif
