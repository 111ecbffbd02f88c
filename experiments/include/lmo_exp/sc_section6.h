/*
 * lmo_exp/sc_section6.h -- Soudry & Carmon (2016), Section 6, reproduced with exact
 * verdicts at the trained points (lmo experiment sc-fig61, sc-fig62).
 *
 * Figure 6.1: "We trained standard MNNs with one or two hidden layers (with widths equal to
 * d = d0), a single output, (non-leaky) ReLU activations, MSE loss, and no dropout, on two
 * datasets: (1) a synthetic random dataset [...] (2) binary classification (between digits
 * 0 - 4 and 5 - 9) on N sized subsets of the MNIST dataset [...] "We note that in all the
 * repetitions in Figure 6.1, for d^2 >= N, the matrix G_{L-1} always had full rank."
 * Figure 6.2: "we trained a MNN with a single hidden layer, as in Fig. 6.1, with d = 25, on
 * the synthetic random data (N = 100) until convergence with gradient descent (so each epoch
 * is a gradient step). Then, starting from epoch 5000 (dashed line), we gradually decreased
 * the learning rate (multiplying it by 0.999 each epoch) until it was about 10^-9. We see
 * that the activation inputs converged to values above 10^-5, while the final MSE was about
 * 10^-31."
 *
 * Training is double precision (lmo_exp/net.h, the code under test); the final weights are
 * read exactly (lmo/soudry_carmon/trained.h, lmo/soudry_carmon/mnn.h) and what is certified
 * there is exact: differentiability, the MSE as a rational, the rank of G_{L-1}, and (Figure
 * 6.2) the outcome of Theorem 4. Runs are indexed i = 0..R-1; run i draws everything from
 * xoshiro256** seeded with a hash of (seed, i), so a run's results do not depend on which
 * other runs are done: `--shard K/N` runs a block of them and hands each run's record (its
 * CSV row, its text line, what the summary needs) to the caller, and `lmo merge` hands the
 * records of all R runs back, which are written exactly as the unsharded run writes them.
 */
#ifndef LMO_EXP_SC_SECTION6_H
#define LMO_EXP_SC_SECTION6_H

#include <stdio.h>
#include <jansson.h>
#include "lmo/core/common.h"
#include "lmo/soudry_carmon/mnn.h"

typedef struct {
    const char *out;        /* existing directory */
    int quick;              /* the short run (< 1 minute on one core) */
    ulong seed;
    int dump_weights;       /* write each run's final point as an mnn vector */
    int quiet;
    /* Sharded (sc-fig61): only runs [run_first, run_end) are done, nothing but their
     * dumps is written to out, their text lines go to stderr, and each run's record
     * {"index", "line", "row", "mce", "mse", "full_rank", "differentiable"} is appended
     * to shard_runs. NULL: every run. */
    json_t *shard_runs;
    long run_first, run_end;
    /* lmo merge (sc-fig61): the shards' parts in the order of K, each {"items", "runs": the
     * records its shard_runs held}, together runs 0..R-1 in order (checked); nothing is
     * trained, the outputs are written from the records. NULL: train. */
    const json_t *merged_runs;
    /* Called after each run trained (sc-fig61) with the runs done so far and to do: the
     * caller's progress line (count/total, rate, ETA). NULL: none. */
    void (*progress)(void *ctx, long done, long total);
    void *progress_ctx;
} lmo_exp_opts_t;

/* R, the number of runs of sc-fig61 (quick or full): the items a shard takes a block of. */
long lmo_exp_sc_fig61_runs(int quick);

/* 0 done (and, sc-fig62, no statement violated); 1 a statement is violated; 2 a data set
 * is missing (one line on stderr naming it), a file cannot be written or a merged record
 * is malformed (the line names its JSON path); 3 internal. sc-fig62 is one run: it takes
 * no shard_runs or merged_runs. */
int lmo_exp_sc_fig61(const lmo_exp_opts_t *o);
int lmo_exp_sc_fig62(const lmo_exp_opts_t *o);

/* The seed of run i (splitmix64 of seed and i): what seeds run i's xoshiro256**. */
ulong lmo_exp_run_seed(ulong seed, long i);

/* ---- shared by the experiments (experiments/output.c) ---- */
/* The exact rational q as "%.17g" of its correctly rounded double (for a CSV column). */
void lmo_exp_q_decimal(char *buf, size_t cap, const void *q /* fmpq_t */);
/* Write DIR/NAME, the gnuplot script TEXT (file names relative to DIR) after a "set
 * terminal pngcairo" line (png when pngcairo fails), and run it in DIR. 0 the PNG was made;
 * 1 gnuplot is missing or failed (the script stays; a note on stderr). */
int lmo_exp_gnuplot(const char *dir, const char *name, const char *text);
/* fopen(dir/name, "w") with an error line on failure */
FILE *lmo_exp_open(const char *dir, const char *name);
/* The kind-mnn vector (input only) of the network IN: what `lmo mnn` replays. */
json_t *lmo_exp_mnn_vector(const lmo_mnn_input_t in, const char *id, const char *source);
/* mkdir PATH (its parent exists); 0 when it is there afterwards, else 1 with a line */
int lmo_exp_make_dir(const char *path);

#endif
