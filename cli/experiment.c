/*
 * lmo experiment NAME [--quick] --out DIR: a paper's experiment (DESIGN.md, "The lmo
 * program"), CSV + PNG in DIR. The experiments themselves are liblmo_experiments
 * (experiments/): the training in double is the code under test; what is certified at the
 * trained points is computed by liblmo. One table here, one row per experiment.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "commands.h"
#include "lmo_exp/sc_section6.h"

typedef struct {
    const char *name, *summary;
    int (*run)(const lmo_exp_opts_t *o);
    int shardable;   /* runs many independent runs: --shard and lmo merge apply */
} experiment_t;

static const experiment_t EXPERIMENTS[] = {
    {"sc-fig61", "Soudry-Carmon Figure 6.1: final MCE/MSE over d^2/N, certified rank G_{L-1}",
     lmo_exp_sc_fig61, 1},
    {"sc-fig62", "Soudry-Carmon Figure 6.2: min |u| under a decaying rate; exact verdict at the end",
     lmo_exp_sc_fig62, 0},
    {NULL, NULL, NULL, 0}};

const char LMO_USAGE_EXPERIMENT[] =
    "usage: lmo experiment NAME [--quick] --out DIR [options]\n"
    "\n"
    "Runs a paper's experiment: networks trained in double precision (the code under test),\n"
    "their final weights read exactly (a double is a dyadic rational) and checked exactly.\n"
    "Writes DIR/NAME.csv (deterministic: a rerun with the same --seed and build writes the\n"
    "same bytes) and DIR/NAME.png (gnuplot; without gnuplot the script DIR/NAME.gp only).\n"
    "\n"
    "  sc-fig61   Soudry & Carmon Figure 6.1: one and two hidden ReLU layers of width d = d0,\n"
    "             MSE, no dropout, Adam; synthetic data (x ~ N(0,1), y = +-1) and Fashion-MNIST\n"
    "             (classes 0-4 vs 5-9, k x k block means; it stands in for MNIST) over N; per\n"
    "             run the final MCE and MSE, and exactly: differentiable (no u = 0), the MSE,\n"
    "             the certified rank of G_{L-1}, full or not. Also NAME-summary.csv (mean and\n"
    "             std per point). Full: d = 25, 5 repetitions, <= 4000 epochs; --quick: d = 9.\n"
    "  sc-fig62   Soudry & Carmon Figure 6.2: d = 25, N = 100, gradient descent, the rate\n"
    "             decayed by 0.999 per epoch after epoch 5000 to 1e-9; min |u| traced; at the\n"
    "             end, exactly: differentiable, rank G_1, the MSE as a rational, Theorem 4's\n"
    "             outcome (NAME-verdict.json; the final point as an mnn vector,\n"
    "             NAME-point.json). --quick decays by 0.99 after epoch 2000.\n"
    "\n"
    "options:\n"
    "  --out DIR        output directory (created)\n"
    "  --quick          the short run (under a minute on one core)\n"
    "  --seed S         seed of the runs (default 1): run i draws from xoshiro256** seeded\n"
    "                   with splitmix64(S, i)\n"
    "  --shard K/N      sc-fig61: the K-th of N contiguous blocks of the runs, printed as one\n"
    "                   JSON partial on stdout (run lines on stderr; no CSV, summary or PNG\n"
    "                   written; --dump-weights files are); lmo merge of the N partials\n"
    "                   writes the unsharded run's CSV, summary and PNG into --out, byte for\n"
    "                   byte, and prints its lines\n"
    "  --dump-weights   sc-fig61: each run's final point as an mnn vector,\n"
    "                   DIR/sc-fig61-runs/run-I.json (lmo mnn reads it), and the exact facts\n"
    "                   found there, run-I.exact.json\n"
    "  --quiet          print nothing but errors\n"
    "  --help, --version\n"
    "\n"
    "Fashion-MNIST is read from /usr/share/datasets/fashion-mnist (Debian package\n"
    "dataset-fashion-mnist) or $LMO_FASHION_MNIST_DIR.\n"
    "\n"
    "exit: 0 done, 1 a statement is violated, 2 bad usage, a missing data set or an\n"
    "unwritable DIR, 3 internal error.\n";

static void list(FILE *f)
{
    fputs("experiments:", f);
    for (int i = 0; EXPERIMENTS[i].name; i++) fprintf(f, " %s", EXPERIMENTS[i].name);
    fputc('\n', f);
}

/* sc-fig61 sharded: its block of runs, printed as a partial (cli/shard.h) whose one input's
 * part holds the runs' records; or, under lmo merge, the records of all runs from the
 * partials, written as the unsharded run writes them. */
static int run_sharded(const experiment_t *e, lmo_exp_opts_t *eo, const lmo_cli_opts *o,
                       int argc, char **argv)
{
    ulong R = (ulong)lmo_exp_sc_fig61_runs(eo->quick), first, end, total;
    lmo_err_t err;
    int rc;
    lmo_err_clear(&err);
    if (o->merge) {
        const json_t **parts = calloc((size_t)o->merge->n, sizeof *parts);
        json_t *list = json_array();
        if (!parts || !list) abort();
        size_t ninputs = json_array_size(json_object_get(o->merge->parts[0], "inputs"));
        if (ninputs != 1)
            rc = lmo_err_set(&err, LMO_EINPUT, "inputs: an experiment's partial has one input, not %zu",
                             ninputs);
        else if ((rc = lmo_shard_merge_input(parts, &total, o->merge, 0, &err)) == 0 && total != R)
            rc = lmo_err_set(&err, LMO_EINPUT, "part.items.total: %lu runs, %s%s has %lu",
                             (unsigned long)total, e->name, eo->quick ? " --quick" : "", (unsigned long)R);
        if (rc) fprintf(stderr, "lmo merge: %s\n", err.msg);
        for (slong k = 0; rc == 0 && k < o->merge->n; k++) json_array_append(list, (json_t *)parts[k]);
        eo->merged_runs = list;
        if (rc == 0) rc = e->run(eo);
        json_decref(list);
        free(parts);
        return rc;
    }
    lmo_shard_range(&first, &end, R, &o->shard);
    eo->run_first = (long)first, eo->run_end = (long)end;
    eo->shard_runs = json_array();
    if (!eo->shard_runs) abort();
    rc = e->run(eo);
    if (rc == 0) { /* the partial only when every run of the block is done */
        json_t *partial = lmo_shard_partial_new("experiment", argc, argv, &o->shard);
        json_array_append_new(json_object_get(partial, "inputs"), json_pack(
            "{s:s, s:{s:o, s:O}}", "file", e->name, "part", "items", lmo_shard_items_json(R, &o->shard),
            "runs", eo->shard_runs));
        lmo_cli_print_json(partial);
        json_decref(partial);
    }
    json_decref(eo->shard_runs);
    eo->shard_runs = NULL;
    return rc;
}

static void progress(void *ctx, long done, long total)
{
    lmo_cli_progress_t *p = ctx;
    p->total = total;
    lmo_cli_progress(p, done);
}

int lmo_cmd_experiment(const lmo_command_t *c, int argc, char **argv)
{
    lmo_cli_opts o;
    int rc = lmo_cli_start(&o, argc, argv, c->usage, c->options, 1);
    const experiment_t *e = NULL;
    lmo_exp_opts_t eo = {0};
    if (rc >= 0) return rc;
    for (int i = 0; o.nfiles == 1 && EXPERIMENTS[i].name; i++)
        if (!strcmp(o.files[0], EXPERIMENTS[i].name)) e = &EXPERIMENTS[i];
    rc = LMO_EINPUT;
    if (!e) {
        fprintf(stderr, "lmo %s: %s \"%s\"; ", o.merge ? "merge" : "experiment",
                o.nfiles == 1 ? "unknown experiment" : "expected one NAME, got",
                o.nfiles == 1 ? o.files[0] : "several");
        list(stderr);
    } else if ((o.shard.n || o.merge) && !e->shardable) {
        fprintf(stderr, "lmo %s: %s is one run: --shard does not apply (it is for sc-fig61)\n",
                o.merge ? "merge" : "experiment", e->name);
    } else if (!o.out) {
        fprintf(stderr, "lmo experiment: --out DIR is required\n");
    } else if (lmo_cli_make_dir(o.out) != 0) {
        fprintf(stderr, "lmo experiment: --out: cannot create the directory %s: %s\n", o.out,
                strerror(errno));
    } else {
        eo.out = o.out;
        eo.quick = o.quick;
        eo.seed = o.seed_given ? o.seed : 1;
        eo.dump_weights = o.dump_weights;
        eo.quiet = o.quiet;
        /* progress (on a terminal; always with LMO_PROGRESS=1, as in a Slurm job), unless the
         * run lines already go to a terminal, where a progress line would break into them */
        lmo_cli_progress_t pr;
        lmo_cli_progress_start(&pr, o.shard.n ? "lmo experiment (shard)" : "lmo experiment", 0);
        if (!o.merge && (o.quiet || !isatty(STDERR_FILENO))) eo.progress = progress, eo.progress_ctx = &pr;
        rc = o.shard.n || o.merge ? run_sharded(e, &eo, &o, argc, argv) : e->run(&eo);
        if (eo.progress) lmo_cli_progress_done(&pr);
    }
    lmo_cli_opts_clear(&o);
    return rc;
}
