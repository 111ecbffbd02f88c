/*
 * cli/commands.h -- the commands of `lmo` (one table in cli/lmo.c, like git's builtins):
 * the vector commands are the driver (cli/driver.h) with a mode; gen and witness add what
 * is not a vector (a family's inputs; a witness from --widths, the generic-rank table).
 */
#ifndef LMO_CLI_COMMANDS_H
#define LMO_CLI_COMMANDS_H

#include "driver.h"

typedef struct lmo_command {
    const char *name, *summary, *usage;
    unsigned options;               /* LMO_OPT_* the command accepts */
    int (*run)(const struct lmo_command *c, int argc, char **argv);
    lmo_drive_mode_t mode;          /* for the driver */
    const char *const *kinds;       /* the kinds it takes; NULL: every kind */
} lmo_command_t;

/* The driver over FILE...: rank, compare, mnn, patterns, classify, bless, check. */
int lmo_cmd_drive(const lmo_command_t *c, int argc, char **argv);
int lmo_cmd_gen(const lmo_command_t *c, int argc, char **argv);      /* cli/gen.c */
int lmo_cmd_witness(const lmo_command_t *c, int argc, char **argv);  /* cli/witness.c */
/* lmo mnn's --corollary6 and --out, which are not a per-vector run: -1 hands over to the
   driver, anything else is the exit code (cli/corollary6.c) */
int lmo_mnn_corollary6(const lmo_command_t *c, const lmo_cli_opts *o);
int lmo_cmd_merge(const lmo_command_t *c, int argc, char **argv);    /* cli/merge.c */

/* The row of command NAME in the table of cli/lmo.c, or NULL (lmo merge runs it again). */
const lmo_command_t *lmo_command_find(const char *name);
int lmo_cmd_experiment(const lmo_command_t *c, int argc, char **argv); /* cli/experiment.c */

extern const char LMO_USAGE_RANK[], LMO_USAGE_COMPARE[], LMO_USAGE_MNN[], LMO_USAGE_PATTERNS[],
    LMO_USAGE_CLASSIFY[], LMO_USAGE_KHK[], LMO_USAGE_WITNESS[], LMO_USAGE_BLESS[], LMO_USAGE_CHECK[],
    LMO_USAGE_GEN_HEAD[];
extern const char LMO_USAGE_NH[], LMO_USAGE_MERGE[], LMO_USAGE_EXPERIMENT[];

#endif
