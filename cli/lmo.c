/*
 * lmo -- exact-arithmetic test oracle for loss-landscape theorems.
 * Dispatches to the subcommands of DESIGN.md, "The lmo program".
 */
#include <stdio.h>
#include <string.h>
#include "cli.h"

typedef struct {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} lmo_command;

static const lmo_command COMMANDS[] = {
    { "rank",    lmo_cmd_rank,    "exact rank of a matrix_rank or khatri_rao_rank vector, certified" },
    { "compare", lmo_cmd_compare, "exact tier vs fast tier (LAPACK under a tolerance policy); lists disagreements" },
    { "mnn",     lmo_cmd_mnn,     "Soudry-Carmon network: forward pass, G_l ranks, gradient, Hessian split, Lemma 1/3, Thm 4/5" },
    { "patterns", lmo_cmd_patterns, "Soudry-Carmon Lemma 3: rank of A o X over activation patterns (exhaustive, sampled, realizable)" },
    { "classify", lmo_cmd_classify, "deep linear network (Kawaguchi 2016): critical-point class, Hessian inertia, Thm 2.3 checks" },
    { "witness", lmo_cmd_witness, "Lemma 8 witness of Soudry-Carmon Theorem 5, built and verified; generic-rank tables" },
    { "gen",     lmo_cmd_gen,     "deterministic vector generation from a family (lmo gen --help lists them)" },
    { "bless",   lmo_cmd_bless,   "fill expect, fast, flags and certificate of hand-written vectors" },
    { "check",   lmo_cmd_check,   "replay vectors: exact verdict vs expect, certificate via lmo-check, fast decisions" },
    { NULL, NULL, NULL }
};

static void usage(FILE *out)
{
    fputs("usage: lmo COMMAND [options] FILE...\n"
          "\n"
          "lmo decides the predicates of loss-landscape theorems (ranks, definiteness,\n"
          "critical-point classes) exactly, certifies each verdict for the independent\n"
          "checker lmo-check, and compares with what double-precision code decides.\n"
          "\n"
          "commands:\n", out);
    for (int i = 0; COMMANDS[i].name; i++)
        fprintf(out, "  %-10s %s\n", COMMANDS[i].name, COMMANDS[i].summary);
    fputs("\n"
          "common options: --json, --cert FILE, --quiet, --help (see lmo COMMAND --help)\n"
          "exit codes: 0 the check passed, 1 it failed (disagreement, violated prediction,\n"
          "mismatch with expect), 2 bad input or usage, 3 resource limit or internal error.\n", out);
}

int main(int argc, char **argv)
{
    lmo_cli_oom_guard();
    if (argc < 2) {
        usage(stderr);
        return LMO_EINPUT;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return 0;
    }
    if (strcmp(argv[1], "--version") == 0) {
        puts("lmo 0.1.0");
        return 0;
    }
    for (int i = 0; COMMANDS[i].name; i++)
        if (strcmp(argv[1], COMMANDS[i].name) == 0) {
            int rc = COMMANDS[i].run(argc - 1, argv + 1);
            fflush(stdout);
            return rc;
        }
    fprintf(stderr, "lmo: unknown command \"%s\" (see lmo --help)\n", argv[1]);
    return LMO_EINPUT;
}
