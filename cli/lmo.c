/*
 * lmo -- exact-arithmetic test oracle for loss-landscape theorems.
 * One table of commands (DESIGN.md, "The lmo program"); adding a command is one row.
 */
#include <stdio.h>
#include <string.h>
#include "commands.h"

#define VECTOR_OPTS (LMO_OPT_JSON | LMO_OPT_QUIET | LMO_OPT_CERT | LMO_OPT_SEED | LMO_OPT_CAPS)

static const char *const RANK_KINDS[] = {"matrix_rank", "khatri_rao_rank", NULL};
static const char *const MNN_KINDS[] = {"mnn", NULL};
static const char *const PATTERN_KINDS[] = {"mnn_patterns", NULL};
static const char *const DL_KINDS[] = {"deep_linear", NULL};
static const char *const KHK_KINDS[] = {"khk", NULL};
static const char *const NH_KINDS[] = {"nguyen_hein", NULL};

static const lmo_command_t COMMANDS[] = {
    {"rank", "exact rank of a matrix_rank or khatri_rao_rank vector, certified", LMO_USAGE_RANK,
     VECTOR_OPTS, lmo_cmd_drive, LMO_DRIVE_EXACT, RANK_KINDS},
    {"compare", "exact tier vs fast tier (LAPACK under a tolerance policy); disagreements explained",
     LMO_USAGE_COMPARE, VECTOR_OPTS | LMO_OPT_POLICY, lmo_cmd_drive, LMO_DRIVE_COMPARE, NULL},
    {"mnn", "Soudry-Carmon network: forward pass, G_l ranks, gradient, Hessian split, Lemma 1/3, "
     "Thm 4/5, Corollary 6", LMO_USAGE_MNN, VECTOR_OPTS | LMO_OPT_COROLLARY6 | LMO_OPT_OUT,
     lmo_cmd_drive, LMO_DRIVE_EXACT, MNN_KINDS},
    {"patterns", "Soudry-Carmon Lemma 3: rank of A o X over activation patterns (exhaustive, "
     "sampled, realizable)", LMO_USAGE_PATTERNS, VECTOR_OPTS | LMO_OPT_LIST | LMO_OPT_SHARD, lmo_cmd_drive,
     LMO_DRIVE_EXACT, PATTERN_KINDS},
    {"classify", "deep linear network (Kawaguchi 2016): critical-point class, Hessian inertia, "
     "Thm 2.3 checks", LMO_USAGE_CLASSIFY, VECTOR_OPTS, lmo_cmd_drive, LMO_DRIVE_EXACT, DL_KINDS},
    {"khk", "Kawaguchi-Huang-Kaelbling 2019: exact L and J of (4.2), Theorems 1 and 2, Lemmas 1 and 3, "
     "Propositions 1-2, Corollaries 1-2", LMO_USAGE_KHK, LMO_OPT_JSON | LMO_OPT_QUIET | LMO_OPT_CERT | LMO_OPT_CAPS, lmo_cmd_drive,
     LMO_DRIVE_EXACT, KHK_KINDS},
    {"witness", "Lemma 8 witness of Soudry-Carmon Theorem 5, built and verified; generic-rank "
     "tables", LMO_USAGE_WITNESS, VECTOR_OPTS | LMO_OPT_POLICY | LMO_OPT_WITNESS | LMO_OPT_OUT | LMO_OPT_SHARD,
     lmo_cmd_witness, LMO_DRIVE_EXACT, NULL},
    {"nh", "Nguyen-Hein 2017: rank [X,1] exact, rank [F_k,1] certified in balls, Lemma 4.4, "
     "Theorems 3.8, 5.3",
     LMO_USAGE_NH, VECTOR_OPTS | LMO_OPT_POLICY, lmo_cmd_drive, LMO_DRIVE_EXACT, NH_KINDS},
    {"experiment", "a paper's experiment (sc-fig61, sc-fig62): trained in double, final points "
     "certified exactly; CSV + PNG", LMO_USAGE_EXPERIMENT, LMO_OPT_EXPERIMENT | LMO_OPT_SHARD |
     LMO_OPT_OUT | LMO_OPT_SEED | LMO_OPT_QUIET, lmo_cmd_experiment, LMO_DRIVE_EXACT, NULL},
    {"gen", "deterministic vector generation from a family (lmo gen --help lists them)",
     LMO_USAGE_GEN_HEAD, LMO_OPT_SEED | LMO_OPT_COUNT | LMO_OPT_OUT | LMO_OPT_POLICY | LMO_OPT_QUIET |
     LMO_OPT_SHARD,
     lmo_cmd_gen, LMO_DRIVE_BLESS, NULL},
    {"bless", "fill expect, report, fast, flags and certificate of hand-written vectors",
     LMO_USAGE_BLESS, LMO_OPT_OUT | LMO_OPT_POLICY | LMO_OPT_SEED | LMO_OPT_QUIET | LMO_OPT_CAPS,
     lmo_cmd_drive, LMO_DRIVE_BLESS, NULL},
    {"check", "replay vectors: exact verdict vs expect, certificate via lmo-check, fast decisions",
     LMO_USAGE_CHECK, LMO_OPT_JSON | LMO_OPT_QUIET | LMO_OPT_SEED | LMO_OPT_CAPS, lmo_cmd_drive,
     LMO_DRIVE_CHECK, NULL},
    {"merge", "combine the partials of a sweep's --shard K/N runs into the unsharded output",
     LMO_USAGE_MERGE, 0, lmo_cmd_merge, LMO_DRIVE_EXACT, NULL},
    {NULL, NULL, NULL, 0, NULL, LMO_DRIVE_EXACT, NULL}};

const lmo_command_t *lmo_command_find(const char *name)
{
    for (int i = 0; COMMANDS[i].name; i++)
        if (!strcmp(name, COMMANDS[i].name)) return &COMMANDS[i];
    return NULL;
}

int lmo_cmd_drive(const lmo_command_t *c, int argc, char **argv)
{
    lmo_cli_opts o;
    lmo_drive_t d = {c->name, c->mode, c->kinds};
    int rc = lmo_cli_start(&o, argc, argv, c->usage, c->options, 1);
    if (rc >= 0) return rc;
    o.explain = c->mode == LMO_DRIVE_COMPARE;
    rc = c->options & LMO_OPT_COROLLARY6 ? lmo_mnn_corollary6(c, &o) : -1;
    if (rc < 0) rc = lmo_drive(&d, &o);
    lmo_cli_opts_clear(&o);
    return rc;
}

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
          "Each command takes its own options (lmo COMMAND --help); --json, --quiet, --help and\n"
          "--version are common.\n"
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
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return 0;
    }
    if (!strcmp(argv[1], "--version")) {
        puts("lmo " LMO_VERSION);
        return 0;
    }
    for (int i = 0; COMMANDS[i].name; i++)
        if (!strcmp(argv[1], COMMANDS[i].name)) {
            int rc = COMMANDS[i].run(&COMMANDS[i], argc - 1, argv + 1);
            fflush(stdout);
            return rc;
        }
    fprintf(stderr, "lmo: unknown command \"%s\" (see lmo --help)\n", argv[1]);
    return LMO_EINPUT;
}
