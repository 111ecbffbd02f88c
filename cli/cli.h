/*
 * cli/cli.h -- the `lmo` program's shared plumbing (DESIGN.md, "The lmo program"):
 * options declared per command, diagnostics with the exit codes 0 pass, 1 check failed,
 * 2 bad input or usage, 3 limit or internal error, and the output helpers every command
 * uses (one JSON object per input, one text style, progress on a terminal).
 *
 * A command is one row of the table in cli/lmo.c: its name, its options (cli/options.c
 * checks that only those are given), and a function. The vector commands are all the
 * driver of cli/driver.h with a mode; each vector kind is one file under cli/kinds/.
 */
#ifndef LMO_CLI_H
#define LMO_CLI_H

#include <stdio.h>
#include <jansson.h>
#include <flint/fmpq.h>
#include <flint/fmpq_mat.h>
#include "lmo/core/common.h"
#include "lmo/core/theorem.h"
#include "lmo/core/vector_io.h"
#include "lmo_fast/rank.h"
#include "shard.h"

#define LMO_CLI_MAX_POLICIES 16

/* The options of every command; a command accepts only those of its row (cli/lmo.c). */
enum {
    LMO_OPT_JSON = 1 << 0, LMO_OPT_QUIET = 1 << 1, LMO_OPT_CERT = 1 << 2, LMO_OPT_SEED = 1 << 3,
    LMO_OPT_POLICY = 1 << 4, LMO_OPT_CAPS = 1 << 5, LMO_OPT_OUT = 1 << 6, LMO_OPT_COUNT = 1 << 7,
    LMO_OPT_LIST = 1 << 8, LMO_OPT_WITNESS = 1 << 9, /* --widths --n --generic --generic-table
                                                       --max-width --max-layers */
    LMO_OPT_COROLLARY6 = 1 << 10, LMO_OPT_SHARD = 1 << 11, /* --shard K/N (sweeps, cli/shard.h) */
    LMO_OPT_EXPERIMENT = 1 << 12  /* --quick --dump-weights */
};

typedef struct {
    int json;                 /* --json: one JSON object per input on stdout */
    int quiet;                /* --quiet: no human-readable report */
    const char *cert;         /* --cert FILE (a directory for several inputs) */
    ulong seed;               /* --seed S: drives the oracle's random primes */
    int seed_given;
    int npolicies;            /* --policy P, repeatable */
    lmo_fast_policy_t policies[LMO_CLI_MAX_POLICIES];
    lmo_limits_t lim;         /* --max-entries, --max-bits, --max-dim */
    const char *out;          /* --out DIR or FILE (gen, bless, witness --generic-table) */
    slong count;              /* --count K (gen), default 1 */
    slong list;               /* --list K (patterns): deficient patterns listed */
    const char *widths, *n;   /* witness --widths, --n */
    int generic, generic_table;
    int corollary6;           /* mnn --corollary6 */
    int quick, dump_weights;  /* experiment --quick, --dump-weights */
    const char *max_width, *max_layers;
    int explain;              /* lmo compare: the exact tier also computes what explains a
                                 disagreement (certified singular values, every pattern) */
    int nfiles;
    char **files;             /* positional arguments */
    lmo_shard_t shard;        /* --shard K/N; n = 0 when not given */
    int argc;                 /* the command's arguments (argv[0] its name): what a partial */
    char *const *argv;        /* records as the arguments that determine the work */
    const lmo_shard_merge_t *merge; /* lmo merge is running this command again; else NULL */
    const json_t *const *merge_parts; /* set by a sweep's loop: one input's parts, by K */
} lmo_cli_opts;

/* The common start of a command: parse argv (argv[0] the command name) against the
 * options ALLOWED (LMO_OPT_*), with --help (USAGE on stdout) and --version. Returns -1 to go
 * on, else the exit code to return (0 after --help / --version). An option of another
 * command is exit 2 naming the valid ones. NEED_FILES: at least one FILE. */
int lmo_cli_start(lmo_cli_opts *o, int argc, char **argv, const char *usage, unsigned allowed,
                  int need_files);
void lmo_cli_opts_clear(lmo_cli_opts *o);
/* --policy given, else the defaults: numpy and qrcp (compare), numpy, qrcp, abs:1e-10 (the
 * policies recorded in a vector's fast). Returns how many were written to out. */
int lmo_cli_policies(lmo_fast_policy_t *out, const lmo_cli_opts *o, int for_vectors);

/* ---- diagnostics (cli/output.c) ---- */
/* Print "lmo: FILE: message" on stderr and return err->code. */
int lmo_cli_report(const char *file, const lmo_err_t *err);
/* Out of memory in FLINT, GMP or jansson ends the program with exit 3 and one line naming
 * the input (lmo_cli_set_input) instead of an abort. Called once at the start of main. */
void lmo_cli_oom_guard(void);
void lmo_cli_set_input(const char *file);

/* ---- output (cli/output.c) ---- */
/* One canonical JSON object on one line (--json). */
void lmo_cli_print_json(json_t *obj);
/* An exact number as a person reads it: the integer, or the fraction with its correctly
 * rounded decimal approximation ("3/7 ≈ 0.4285714"); a fraction longer than a line is
 * abbreviated ("31415926…(57 digits)/…"), the full value being in --json. */
void lmo_cli_print_q(FILE *f, const fmpq_t x);
/* "4 positive, 0 negative, 1 zero" */
void lmo_cli_print_inertia(FILE *f, slong npos, slong nneg, slong nzero);
/* A double as an exact hex-float string, "0x1p-53", for --json. */
json_t *lmo_cli_hexd(double x);

/* Correctly rounded double matrix of an exact one (row-major): into DST, or malloc'ed.
 * *overflow is set to 1 when an entry does not fit a double, and never cleared, so that
 * one flag can collect the overflows of several conversions. lmo_cli_q_to_d: one number. */
void lmo_cli_mat_into_double(double *dst, const fmpq_mat_t M, int *overflow);
double *lmo_cli_mat_to_double(const fmpq_mat_t M, int *overflow);
double lmo_cli_q_to_d(const fmpq_t q, int *overflow);
/* The N matrices M[0..N) so (a network's layers): an array of N malloc'ed doubles, freed
 * with lmo_cli_mats_free. */
double **lmo_cli_mats_to_double(const fmpq_mat_struct *M, slong n, int *overflow);
void lmo_cli_mats_free(double **D, slong n);
/* A network's point -- data X, Y and weights W[0..NW) -- into the doubles of its fast-tier
 * struct (whose arrays have the shapes of the exact ones): 1 when an entry overflows. */
int lmo_cli_point_into_double(double *X, double *Y, double *const *W, const fmpq_mat_struct *eX,
                              const fmpq_mat_struct *eY, const fmpq_mat_struct *eW, slong nW);

/* Progress on stderr, never stdout: "what: count/total, rate/s, ETA". On a terminal, one
 * line rewritten in place once the run has lasted a second, erased by
 * lmo_cli_progress_done. With LMO_PROGRESS=1 in the environment (a batch job's output
 * file), whatever stderr is: a line every 10 s and a last line "what: done/total in T s,
 * rate/s" from lmo_cli_progress_done. Otherwise nothing. */
typedef struct { const char *what; double start, last; long total, done; } lmo_cli_progress_t;
void lmo_cli_progress_start(lmo_cli_progress_t *p, const char *what, long total);
void lmo_cli_progress(lmo_cli_progress_t *p, long done);
void lmo_cli_progress_done(lmo_cli_progress_t *p);

/* Write certificate c (the reference is stolen) where --cert says for input `id`:
 * o->cert itself for one input, o->cert/ID.cert.json for several or when it is a
 * directory; a no-op without --cert. 0, or the reported error code. */
int lmo_cli_write_cert(json_t *c, const char *id, const char *file, const lmo_cli_opts *o);

/* One line "what.key: stored X, now Y" in problems per member of want that differs from
 * got (numbers compared canonically); 1 when none. */
int lmo_cli_diff_members(json_t *problems, const json_t *want, const json_t *got,
                         const char *what);

/* Path of lmo-check: $LMO_CHECK, else next to this program. Caller frees. */
char *lmo_cli_checker_path(void);

/* One paper statement's outcome, one line: "  STATEMENT: outcome: reason" (VIOLATED and
 * EXCEPTIONAL in capitals, to be seen); nothing when the statement is unset. */
void lmo_cli_print_theorem(FILE *f, const lmo_theorem_t *t);
/* " d0,d1,...,d(n-1)": the widths of a network, after the word "widths". */
void lmo_cli_print_widths(FILE *f, const slong *d, slong n);
/* "H=H, widths d0,...,d(H+1), m=M": a network of H hidden layers on M samples (the deep
 * linear and KHK kinds' shape line) */
void lmo_cli_print_depth_widths(FILE *f, slong H, const slong *d, slong m);

/* mkdir -p: PATH and its missing parents (mode 0777 & ~umask). 0 when PATH is a directory
 * afterwards, else -1 with errno set (ENOTDIR when it exists as something else). */
int lmo_cli_make_dir(const char *path);

#endif
