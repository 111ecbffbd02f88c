/* The outcome of one paper statement on one instance (lmo/core/theorem.h). */
#include <stdarg.h>
#include <stdio.h>
#include "lmo/core/theorem.h"

const char *lmo_outcome_name(lmo_outcome_t o)
{
    switch (o) {
    case LMO_OUTCOME_HOLDS: return "holds";
    case LMO_OUTCOME_EXCEPTIONAL: return "exceptional";
    case LMO_OUTCOME_VIOLATED: return "violated";
    case LMO_OUTCOME_UNDECIDED: return "undecided";
    default: return "not_applicable";
    }
}

void lmo_theorem_set(lmo_theorem_t *t, const char *statement, lmo_outcome_t outcome,
                     const char *fmt, ...)
{
    va_list ap;
    t->statement = statement;
    t->outcome = outcome;
    va_start(ap, fmt);
    vsnprintf(t->reason, sizeof t->reason, fmt, ap);
    va_end(ap);
}

json_t *lmo_theorem_to_json(const lmo_theorem_t *t)
{
    return json_pack("{s:s, s:s, s:s}", "statement", t->statement ? t->statement : "",
                     "outcome", lmo_outcome_name(t->outcome), "reason", t->reason);
}

void lmo_theorems_append(json_t *theorems, const lmo_theorem_t *t)
{
    if (t->statement) json_array_append_new(theorems, lmo_theorem_to_json(t));
}
