/* Options of the lmo commands (cli/cli.h): one table of every option, each command
 * accepting the ones its row in cli/lmo.c names; any other is exit 2 with the list. */
#include <stdlib.h>
#include <string.h>
#include "cli.h"

#ifndef LMO_VERSION
#error "LMO_VERSION comes from project() in CMakeLists.txt"
#endif

typedef struct {
    const char *name;
    unsigned group;     /* LMO_OPT_* */
    int takes_value;
} option_t;

static const option_t OPTIONS[] = {
    {"--json", LMO_OPT_JSON, 0},          {"--quiet", LMO_OPT_QUIET, 0},
    {"-q", LMO_OPT_QUIET, 0},             {"--cert", LMO_OPT_CERT, 1},
    {"--seed", LMO_OPT_SEED, 1},          {"--policy", LMO_OPT_POLICY, 1},
    {"--max-entries", LMO_OPT_CAPS, 1},   {"--max-bits", LMO_OPT_CAPS, 1},
    {"--max-dim", LMO_OPT_CAPS, 1},       {"--out", LMO_OPT_OUT, 1},
    {"--count", LMO_OPT_COUNT, 1},        {"--list", LMO_OPT_LIST, 1},
    {"--widths", LMO_OPT_WITNESS, 1},     {"--n", LMO_OPT_WITNESS, 1},
    {"--generic", LMO_OPT_WITNESS, 0},    {"--generic-table", LMO_OPT_WITNESS, 0},
    {"--max-width", LMO_OPT_WITNESS, 1},  {"--max-layers", LMO_OPT_WITNESS, 1},
    {"--corollary6", LMO_OPT_COROLLARY6, 0}, {"--shard", LMO_OPT_SHARD, 1},
    {"--quick", LMO_OPT_EXPERIMENT, 0},   {"--dump-weights", LMO_OPT_EXPERIMENT, 0},
    {NULL, 0, 0}};

/* "--json, --cert, ..." for the options in ALLOWED */
static void valid_options(char *out, size_t cap, unsigned allowed)
{
    size_t k = (size_t)snprintf(out, cap, "--help, --version");
    for (const option_t *op = OPTIONS; op->name && k < cap; op++)
        if ((op->group & allowed) && op->name[1] == '-')
            k += (size_t)snprintf(out + k, cap - k, ", %s", op->name);
}

static int parse_ulong(const char *s, ulong *out)
{
    char *end;
    if (*s == '\0' || *s == '-') return -1;
    unsigned long long v = strtoull(s, &end, 0);
    if (*end != '\0') return -1;
    *out = (ulong)v;
    return 0;
}

/* The value of option A (already known to take one). 0, or an exit code. */
static int set_value(lmo_cli_opts *o, const char *cmd, const char *a, const char *val)
{
    ulong u = 0;
    if (!strcmp(a, "--cert")) o->cert = val;
    else if (!strcmp(a, "--out")) o->out = val;
    else if (!strcmp(a, "--widths")) o->widths = val;
    else if (!strcmp(a, "--n")) o->n = val;
    else if (!strcmp(a, "--max-width")) o->max_width = val;
    else if (!strcmp(a, "--max-layers")) o->max_layers = val;
    else if (!strcmp(a, "--shard")) {
        if (lmo_shard_parse(&o->shard, val) == 0) return 0;
        fprintf(stderr, "lmo %s: --shard: expected K/N with 1 <= K <= N <= %d, got \"%s\"\n", cmd,
                LMO_SHARD_MAX, val);
        return LMO_EINPUT;
    }
    else if (!strcmp(a, "--policy")) {
        if (o->npolicies == LMO_CLI_MAX_POLICIES) {
            fprintf(stderr, "lmo %s: at most %d policies\n", cmd, LMO_CLI_MAX_POLICIES);
            return LMO_EINPUT;
        }
        if (lmo_fast_policy_parse(&o->policies[o->npolicies], val) != 0) {
            fprintf(stderr, "lmo %s: --policy: unknown policy \"%s\" (numpy, qrcp, abs:T, rel:R)\n",
                    cmd, val);
            return LMO_EINPUT;
        }
        o->npolicies++;
    } else if (parse_ulong(val, &u) != 0 || (strcmp(a, "--seed") && strcmp(a, "--list") && !u) ||
               (!strcmp(a, "--list") && u > (1UL << 30))) {
        fprintf(stderr, "lmo %s: %s: expected a %s integer, got \"%s\"\n", cmd, a,
                strcmp(a, "--seed") && strcmp(a, "--list") ? "positive" : "non-negative", val);
        return LMO_EINPUT;
    } else if (!strcmp(a, "--seed")) {
        o->seed = u, o->seed_given = 1;
    } else if (!strcmp(a, "--count")) {
        o->count = (slong)u;
    } else if (!strcmp(a, "--list")) {
        o->list = (slong)u;
    } else if (!strcmp(a, "--max-entries")) {
        o->lim.max_entries = (slong)u;
    } else if (!strcmp(a, "--max-bits")) {
        o->lim.max_bits = (slong)u;
    } else {
        o->lim.max_dim = (slong)u;
    }
    return 0;
}

int lmo_cli_start(lmo_cli_opts *o, int argc, char **argv, const char *usage, unsigned allowed,
                  int need_files)
{
    const char *cmd = argv[0];
    char valid[600];
    memset(o, 0, sizeof *o);
    lmo_limits_default(&o->lim);
    o->count = 1;
    o->list = -1;
    o->argc = argc, o->argv = argv;
    o->merge = lmo_shard_merge_get();
    if (!(o->files = malloc(sizeof(char *) * (size_t)(argc + 1)))) return LMO_ELIMIT;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const option_t *op = OPTIONS;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(usage, stdout);
            return lmo_cli_opts_clear(o), 0;
        }
        if (!strcmp(a, "--version")) {
            printf("lmo %s\n", LMO_VERSION);
            return lmo_cli_opts_clear(o), 0;
        }
        if (a[0] != '-' || !a[1]) { /* a FILE, or - for standard input */
            o->files[o->nfiles++] = argv[i];
            continue;
        }
        while (op->name && strcmp(op->name, a)) op++;
        if (!op->name || !(op->group & allowed)) {
            valid_options(valid, sizeof valid, allowed);
            fprintf(stderr, "lmo %s: %s option %s (valid: %s)\n", cmd,
                    op->name ? "no" : "unknown", a, valid);
            return lmo_cli_opts_clear(o), LMO_EINPUT;
        }
        if (!op->takes_value) {
            if (op->group == LMO_OPT_JSON) o->json = 1;
            else if (op->group == LMO_OPT_QUIET) o->quiet = 1;
            else if (!strcmp(a, "--generic")) o->generic = 1;
            else if (!strcmp(a, "--corollary6")) o->corollary6 = 1;
            else if (!strcmp(a, "--quick")) o->quick = 1;
            else if (!strcmp(a, "--dump-weights")) o->dump_weights = 1;
            else o->generic_table = 1;
            continue;
        }
        if (i + 1 >= argc) {
            fprintf(stderr, "lmo %s: option %s needs a value\n", cmd, a);
            return lmo_cli_opts_clear(o), LMO_EINPUT;
        }
        int rc = set_value(o, cmd, a, argv[++i]);
        if (rc) return lmo_cli_opts_clear(o), rc;
    }
    if (o->nfiles > 0) lmo_cli_set_input(o->files[0]);
    if (need_files && o->nfiles == 0) {
        fprintf(stderr, "lmo %s: no input FILE (see lmo %s --help)\n", cmd, cmd);
        return lmo_cli_opts_clear(o), LMO_EINPUT;
    }
    return -1;
}

void lmo_cli_opts_clear(lmo_cli_opts *o)
{
    free(o->files);
    o->files = NULL;
}

int lmo_cli_policies(lmo_fast_policy_t *out, const lmo_cli_opts *o, int for_vectors)
{
    static const char *const compare[] = {"numpy", "qrcp", NULL};
    static const char *const vectors[] = {"numpy", "qrcp", "abs:1e-10", NULL};
    const char *const *names = for_vectors ? vectors : compare;
    int n = 0;
    if (o->npolicies > 0) {
        memcpy(out, o->policies, sizeof(lmo_fast_policy_t) * (size_t)o->npolicies);
        return o->npolicies;
    }
    for (; names[n]; n++) lmo_fast_policy_parse(&out[n], names[n]);
    return n;
}
