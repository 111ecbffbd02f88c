/*
 * cli/cli.h -- shared plumbing of the `lmo` program (DESIGN.md, "The lmo
 * program"): common options, error reporting with the exit codes
 * 0 pass, 1 check failed, 2 bad input or usage, 3 limit or internal error.
 *
 * A command is `int lmo_cmd_NAME(int argc, char **argv)` where argv[0] is
 * the command name; it returns the exit code. Register it in cli/lmo.c.
 */
#ifndef LMO_CLI_H
#define LMO_CLI_H

#include <stdio.h>
#include <jansson.h>
#include "lmo/common.h"
#include "lmo/vector_io.h"
#include "lmo_fast/rank.h"

#define LMO_CLI_MAX_POLICIES 16

typedef struct {
    int json;                 /* --json: one JSON object per input on stdout */
    int quiet;                /* --quiet: no human-readable report */
    const char *cert;         /* --cert FILE (a directory for several inputs) */
    ulong seed;               /* --seed S: drives the oracle's random primes */
    int npolicies;            /* --policy P, repeatable */
    lmo_fast_policy_t policies[LMO_CLI_MAX_POLICIES];
    lmo_limits_t lim;
    const char *out;          /* --out DIR (gen, bless) */
    slong count;              /* --count K (gen), default 1 */
    int seed_given;           /* --seed was given */
    int nfiles;
    char **files;             /* positional arguments */
} lmo_cli_opts;

/* Parse the common options; `extra` lists further accepted option names
 * the caller handles itself (NULL-terminated, may be NULL): they are left
 * in files[] in order, with their value when `extra_takes_value`. Returns
 * -1 when --help was given (usage printed), or an exit code 2 on a usage
 * error (message printed), else 0. `usage` is printed for --help. */
int lmo_cli_parse(lmo_cli_opts *o, int argc, char **argv, const char *usage);
void lmo_cli_opts_clear(lmo_cli_opts *o);

/* lmo_cli_parse, then (need_files) the "no input FILE" check: -1 means go
 * on; anything else is the exit code to return (0 after --help). */
int lmo_cli_start(lmo_cli_opts *o, int argc, char **argv, const char *usage, int need_files);

/* Write certificate c (the reference is stolen) where --cert says for
 * input `id`; a no-op without --cert. 0, or the reported error code. */
int lmo_cli_write_cert(json_t *c, const char *id, const char *file, const lmo_cli_opts *o);

/* One line "what.key: stored X, now Y" in problems per member of want
 * that differs from got (numbers compared canonically); 1 when none. */
int lmo_cli_diff_members(json_t *problems, const json_t *want, const json_t *got, const char *what);

/* Print "lmo: FILE: message" on stderr and return err->code. */
int lmo_cli_report(const char *file, const lmo_err_t *err);

/* Print a canonical JSON object on one line per input (--json output). */
void lmo_cli_print_json(json_t *obj);

/* Correctly rounded double matrix of an exact one (row-major, malloc'ed).
 * *overflow is set when an entry does not fit a double. */
double *lmo_cli_mat_to_double(const fmpq_mat_t M, int *overflow);

/* Out of memory in FLINT, GMP or jansson (e.g. under ulimit -v) ends the
 * program with exit 3 and one line "lmo: FILE: out of memory ..." instead of
 * FLINT's or GMP's abort() (exit 134). Called once at the start of main. */
void lmo_cli_oom_guard(void);
/* The input named in that line (lmo_cli_parse sets the first FILE). */
void lmo_cli_set_input(const char *file);

/* Progress on stderr, only when stderr is a terminal. */
void lmo_cli_progress(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Path of lmo-check: $LMO_CHECK, else next to this program. Caller frees. */
char *lmo_cli_checker_path(void);

int lmo_cmd_rank(int argc, char **argv);
int lmo_cmd_compare(int argc, char **argv);
int lmo_cmd_gen(int argc, char **argv);
int lmo_cmd_bless(int argc, char **argv);
int lmo_cmd_check(int argc, char **argv);
int lmo_cmd_mnn(int argc, char **argv);
int lmo_cmd_patterns(int argc, char **argv);
int lmo_cmd_classify(int argc, char **argv);
int lmo_cmd_witness(int argc, char **argv);

/* `lmo compare` for kinds that explain their own disagreements; 0 agree,
 * 1 some disagreement, 2/3 errors (reported). */
int lmo_compare_mnn(const lmo_vector_t v, const char *file, const lmo_cli_opts *o);
int lmo_compare_patterns(const lmo_vector_t v, const char *file, const lmo_cli_opts *o);
int lmo_compare_deep_linear(const lmo_vector_t v, const char *file, const lmo_cli_opts *o);
int lmo_compare_witness(const lmo_vector_t v, const char *file, const lmo_cli_opts *o);

#endif
