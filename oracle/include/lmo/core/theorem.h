/*
 * lmo/core/theorem.h -- the outcome of checking one paper statement on one instance
 * (DESIGN.md, "Theorem outcomes"), the same for every paper and kind.
 *
 * Every check reports one theorem object {"statement", "outcome", "reason"}:
 *   holds           the hypotheses hold and the conclusion is verified on this instance;
 *   exceptional     an almost-everywhere statement's conclusion fails here: the instance lies
 *                   in the measure-zero exceptional set, and the reason names the genericity
 *                   that fails. Not a bug;
 *   violated        a statement that claims every instance (Lemma 1, Fact 2, Lemma 8's
 *                   construction, Kawaguchi's Theorem 2.3, ...) fails: a bug in lmo or in
 *                   the paper (lmo exits 1);
 *   not_applicable  a hypothesis fails (named in the reason);
 *   undecided       ball arithmetic could not decide at the precision cap (named).
 * A vector keeps its theorem objects in `report.theorems` (lmo's reading of the paper, not a
 * claim lmo-check certifies).
 */
#ifndef LMO_CORE_THEOREM_H
#define LMO_CORE_THEOREM_H

#include <jansson.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    LMO_OUTCOME_NOT_APPLICABLE = 0,
    LMO_OUTCOME_HOLDS = 1,
    LMO_OUTCOME_EXCEPTIONAL = 2,
    LMO_OUTCOME_VIOLATED = 3,
    LMO_OUTCOME_UNDECIDED = 4
} lmo_outcome_t;

/* "not_applicable", "holds", "exceptional", "violated", "undecided". */
const char *lmo_outcome_name(lmo_outcome_t o);

typedef struct {
    const char *statement;     /* static text, e.g. "Soudry–Carmon Lemma 3"; NULL: unset */
    lmo_outcome_t outcome;
    char reason[384];          /* one line */
} lmo_theorem_t;

/* Sets all three; the reason printf-style. */
void lmo_theorem_set(lmo_theorem_t *t, const char *statement, lmo_outcome_t outcome,
                     const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* {"statement", "outcome", "reason"} (a new reference). */
json_t *lmo_theorem_to_json(const lmo_theorem_t *t);

/* Appends t to the array `theorems` when t->statement is set. */
void lmo_theorems_append(json_t *theorems, const lmo_theorem_t *t);

#ifdef __cplusplus
}
#endif
#endif
