/*
 * lmo experiment NAME [--quick] --out DIR: a paper's experiment (DESIGN.md, "The lmo
 * program"), CSV + PNG in DIR. The experiments themselves are liblmo_experiments
 * (experiments/): the training in double is the code under test; what is certified at the
 * trained points is computed by liblmo. One table here, one row per experiment.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "commands.h"
#include "lmo_exp/sc_section6.h"

typedef struct {
    const char *name, *summary;
    int (*run)(const lmo_exp_opts_t *o);
} experiment_t;

static const experiment_t EXPERIMENTS[] = {
    {"sc-fig61", "Soudry-Carmon Figure 6.1: final MCE/MSE over d^2/N, certified rank G_{L-1}",
     lmo_exp_sc_fig61},
    {"sc-fig62", "Soudry-Carmon Figure 6.2: min |u| under a decaying rate; exact verdict at the end",
     lmo_exp_sc_fig62},
    {NULL, NULL, NULL}};

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
    "  --shard K/N      only the runs i with i mod N = K-1 (K = 1..N): their rows of the CSV,\n"
    "                   no summary and no PNG\n"
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
    if (o.merge) {
        /* a shard writes CSV rows, not a partial: running again here would recompute it all */
        fprintf(stderr, "lmo merge: experiment shards are not merged by lmo merge (their CSV "
                        "rows are: sort them by run)\n");
    } else if (!e) {
        fprintf(stderr, "lmo experiment: %s \"%s\"; ", o.nfiles == 1 ? "unknown experiment" :
                "expected one NAME, got", o.nfiles == 1 ? o.files[0] : "several");
        list(stderr);
    } else if (!o.out) {
        fprintf(stderr, "lmo experiment: --out DIR is required\n");
    } else if (lmo_cli_make_dir(o.out) != 0) {
        fprintf(stderr, "lmo experiment: --out: cannot create the directory %s: %s\n", o.out,
                strerror(errno));
    } else {
        eo.out = o.out;
        eo.shard_k = o.shard.k;   /* --shard K/N, checked by the option parser; n = 0: all runs */
        eo.shard_n = o.shard.n;
        eo.quick = o.quick;
        eo.seed = o.seed_given ? o.seed : 1;
        eo.dump_weights = o.dump_weights;
        eo.quiet = o.quiet;
        rc = e->run(&eo);
    }
    lmo_cli_opts_clear(&o);
    return rc;
}
