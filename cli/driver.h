/*
 * cli/driver.h -- the one loop every vector command runs (DESIGN.md, "The lmo program"):
 * read the vector, run its kind's exact tier, the fast tier under the policies, compare,
 * write the certificate, print text or one JSON object, fold the exit code.
 *
 *   exact    lmo rank / mnn / patterns / classify / witness FILE...: the verdict, its
 *            certificate (--cert), the comparison with the vector's expect and report;
 *            exit 1 on a mismatch or a violated statement (with --policy also a disagreement)
 *   compare  lmo compare: the verdict beside each policy's decision, every disagreement
 *            explained; exit 1 on a disagreement
 *   bless    lmo bless / gen: expect, report, fast, flags and certificate written back
 *   check    lmo check: the stored verdict, certificate (lmo-check) and decisions replayed
 *
 * The JSON object of one input (vectors/schema/lmo-output-1.schema.json): "id", "file",
 * "kind", the verdict members as in expect, "report" (lmo's findings, when any), "info"
 * (shapes and the like, when any), "expect" {"matches", "problems"} (when the vector has
 * one), and in compare mode "fast" {policy: {decision, "detail", "agree",
 * "disagreements"}} and "agree".
 */
#ifndef LMO_CLI_DRIVER_H
#define LMO_CLI_DRIVER_H

#include "kinds/kind.h"

typedef enum { LMO_DRIVE_EXACT, LMO_DRIVE_COMPARE, LMO_DRIVE_BLESS, LMO_DRIVE_CHECK } lmo_drive_mode_t;

typedef struct {
    const char *command;          /* "rank", "compare", ...: for messages */
    lmo_drive_mode_t mode;
    const char *const *kinds;     /* the kinds the command takes; NULL: every kind */
} lmo_drive_t;

/* Every FILE of o through the loop; returns the worst exit code. */
int lmo_drive(const lmo_drive_t *d, const lmo_cli_opts *o);

/* The loop on one vector already read (lmo gen, lmo witness --widths): FILE names it in
 * messages. Returns its exit code. */
int lmo_drive_vector(const lmo_drive_t *d, lmo_vector_t v, const char *file,
                     const lmo_cli_opts *o);

/* lmo bless on one vector: expect, report, fast, flags and certificate set into v. */
int lmo_drive_bless(lmo_vector_t v, const lmo_cli_opts *o, lmo_err_t *err);

#endif
