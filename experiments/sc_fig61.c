/*
 * lmo experiment sc-fig61: Soudry & Carmon's Figure 6.1 (lmo_exp/sc_section6.h) with the
 * certified rank of G_{L-1} at every run's final weights.
 *
 * The paper: 30 repetitions per point, Adam (beta1 0.9, beta2 0.99, eps 1e-8), at most 4000
 * epochs, stopping when MCE = 0, "different learning rates and mini-batch sizes [...] for
 * each dataset and architecture" (not given). Here: the full run uses d = 25 and 4000
 * epochs with 5 repetitions, the quick run d = 9, fewer epochs and 3 repetitions; both with
 * the learning rate and batch size of CONFIGS below, the same for every dataset.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "lmo/core/vector_io.h"
#include "lmo/soudry_carmon/trained.h"
#include "lmo_exp/data.h"
#include "lmo_exp/net.h"
#include "lmo_exp/sc_section6.h"

#define MAX_N 8

typedef struct {
    int k;                  /* d = d0 = k^2 (Fashion-MNIST: k x k block means) */
    int nN;
    long N[MAX_N];
    int reps;
    long max_epochs;
    double lr;
    long batch;
} cfg_t;

static const cfg_t QUICK = {3, 5, {20, 40, 81, 162, 324}, 3, 1000, 0.01, 16};
static const cfg_t FULL = {5, 6, {156, 312, 469, 625, 938, 1250}, 5, 4000, 0.003, 32};

static const char *const DATASETS[2] = {"synthetic", "fashion-mnist"};

typedef struct {       /* one point of the figure: (dataset, hidden layers, N) */
    double sum, sumsq, mse_sum;
    int runs, full_rank, differentiable;
} point_t;

/* run i -> (dataset, hidden layers, N index, repetition) */
static void decode(long i, const cfg_t *c, int *ds, int *hidden, int *ni, int *rep)
{
    *rep = (int) (i % c->reps);
    i /= c->reps;
    *ni = (int) (i % c->nN);
    i /= c->nN;
    *hidden = 1 + (int) (i % 2);
    *ds = (int) (i / 2);
}

static int dump(const lmo_exp_opts_t *o, const lmo_mnn_input_t in, const lmo_sc_trained_t t,
                long i, ulong run_seed)
{
    char name[600];
    lmo_err_t err;
    int rc;
    lmo_err_clear(&err);
    char id[64], source[300];
    snprintf(id, sizeof id, "sc-fig61-run-%04ld", i);
    snprintf(source, sizeof source, "lmo experiment sc-fig61: run %ld (seed %lu): the double "
             "weights after training, read exactly", i, (unsigned long) run_seed);
    json_t *v = lmo_exp_mnn_vector(in, id, source);
    snprintf(name, sizeof name, "%s/sc-fig61-runs/run-%04ld.json", o->out, i);
    rc = lmo_json_write_file(v, name, &err);
    json_decref(v);
    json_t *x = json_pack("{s:s, s:o, s:o, s:I, s:I, s:I, s:b, s:I}", "id", "exact facts at the run's final weights",
                          "mse", lmo_json_from_q(t->mse), "min_abs_u", lmo_json_from_q(t->min_abs_u), "errors", (json_int_t) t->errors,
                          "rank_G", (json_int_t) t->rank->rank, "rows_G", (json_int_t) t->rows,
                          "differentiable", t->differentiable,
                          "zero_preactivations", (json_int_t) t->nzero);
    snprintf(name, sizeof name, "%s/sc-fig61-runs/run-%04ld.exact.json", o->out, i);
    if (!rc) rc = lmo_json_write_file(x, name, &err);
    json_decref(x);
    if (rc) fprintf(stderr, "lmo experiment: %s\n", err.msg);
    return rc;
}

static int one_run(long i, const cfg_t *c, const lmo_exp_fashion_t *fm, const lmo_exp_opts_t *o,
                   FILE *csv, point_t *pt)
{
    int ds, hidden, ni, rep, L, d[4];
    decode(i, c, &ds, &hidden, &ni, &rep);
    long N = c->N[ni];
    int D = c->k * c->k;
    ulong run_seed = lmo_exp_run_seed(o->seed, i);
    lmo_rng_t r;
    lmo_rng_seed(&r, run_seed);
    double *X = malloc(sizeof(double) * (size_t) (N * D)), *y = malloc(sizeof(double) * (size_t) N);
    if (!X || !y) abort();
    if (ds == 0) lmo_exp_synthetic(X, y, D, N, &r);
    else lmo_exp_fashion_subset(X, y, fm, N, &r);
    L = hidden + 1;
    for (int l = 0; l < L; l++) d[l] = D;
    d[L] = 1;
    lmo_exp_net_t net;
    lmo_exp_opt_t opt = {1, c->lr, 0.9, 0.99, 1e-8, c->batch};
    lmo_exp_net_init(&net, L, d, 0.0, &r);
    double mse, mce, mu;
    long epochs = 0;
    lmo_exp_net_eval(&net, X, y, N, &mse, &mce, &mu);
    while (epochs < c->max_epochs && mce > 0) {
        lmo_exp_net_epoch(&net, &opt, X, y, N, &r);
        epochs++;
        lmo_exp_net_eval(&net, X, y, N, &mse, &mce, &mu);
    }
    if (!isfinite(mse)) {
        fprintf(stderr, "lmo experiment: sc-fig61 run %ld: training diverged (the MSE is not finite)\n", i);
        lmo_exp_net_clear(&net);
        free(X);
        free(y);
        return LMO_ELIMIT;
    }
    /* the exact part, at the rational point the doubles are */
    slong sd[4];
    for (int l = 0; l <= L; l++) sd[l] = d[l];
    lmo_mnn_input_t in;
    lmo_sc_trained_t t;
    lmo_err_t err;
    lmo_err_clear(&err);
    lmo_mnn_input_init(in, L, sd, N);
    lmo_sc_trained_init(t);
    int rc = lmo_sc_trained_input(in, X, y, 0.0, (const double *const *) net.W, &err);
    if (!rc) rc = lmo_sc_trained_check(t, in, run_seed, &err);
    if (rc) {
        fprintf(stderr, "lmo experiment: sc-fig61 run %ld: %s\n", i, err.msg);
    } else {
        char mse_exact[64], mu_exact[64];
        double ratio = (double) D * D / (double) N;
        lmo_exp_q_decimal(mse_exact, sizeof mse_exact, t->mse);
        lmo_exp_q_decimal(mu_exact, sizeof mu_exact, t->min_abs_u);
        fprintf(csv, "%ld,%s,%d,%d,%ld,%.4f,%d,%lu,%ld,%.17g,%.17g,%.17g,%.17g,%s,%s,%d,%ld,%ld,%ld,%d,%d\n",
                i, DATASETS[ds], hidden, D, N, ratio, rep, (unsigned long) run_seed, epochs, mce,
                mse, mu, (double) t->errors / (double) N, mse_exact, mu_exact, t->differentiable,
                (long) t->nzero, (long) t->rank->rank, (long) t->rows, t->full_rank,
                t->full_column_rank);
        pt->sum += mce;
        pt->sumsq += mce * mce;
        pt->mse_sum += mse;
        pt->runs++;
        pt->full_rank += t->full_rank;
        pt->differentiable += t->differentiable;
        if (!o->quiet)
            printf("run %ld: %s, %d hidden, d = %d, N = %ld: %ld epochs, MCE %.4g, MSE %.4g; exactly: "
                   "%s, rank G_%d = %ld of min(%ld, %ld)%s\n", i, DATASETS[ds], hidden, D, N, epochs,
                   mce, mse, t->differentiable ? "differentiable" : "NOT differentiable", L - 1,
                   (long) t->rank->rank, (long) t->rows, N, t->full_rank ? " (full)" : " (deficient)");
        if (o->dump_weights) rc = dump(o, in, t, i, run_seed);
    }
    lmo_sc_trained_clear(t);
    lmo_mnn_input_clear(in);
    lmo_exp_net_clear(&net);
    free(X);
    free(y);
    return rc;
}

static const char PLOT[] =
    "set output 'sc-fig61.png'\n"
    "set datafile separator ','\n"
    "set multiplot layout 2,2 title 'Soudry-Carmon Figure 6.1 (lmo experiment sc-fig61): final MCE; "
    "filled: G_{L-1} certified full rank, open red: not'\n"
    "set logscale x\nset xlabel 'd^2/N'\nset ylabel 'MCE'\nset yrange [-0.01:*]\n"
    "set arrow from 1, graph 0 to 1, graph 1 nohead dt 2 lc rgb 'black'\n"
    "set key top right\n";

static char *plot_text(const cfg_t *c)
{
    size_t cap = 8192, k;
    char *s = malloc(cap);
    k = (size_t) snprintf(s, cap, "%s", PLOT);
    for (int ds = 0; ds < 2; ds++)
        for (int h = 1; h <= 2; h++)
            k += (size_t) snprintf(s + k, cap - k,
                "set title '%s, %d hidden layer%s, d = d0 = %d'\n"
                "plot 'sc-fig61-summary.csv' every ::1 using (strcol(1) eq '%s' && $2 == %d ? $5 : 1/0):6:7 "
                "with yerrorlines lc rgb 'black' title 'mean +- std', \\\n"
                "  'sc-fig61.csv' every ::1 using (strcol(2) eq '%s' && $3 == %d && $20 == 1 ? $6 : 1/0):10 "
                "with points pt 7 ps 0.8 lc rgb 'blue' title 'full rank', \\\n"
                "  'sc-fig61.csv' every ::1 using (strcol(2) eq '%s' && $3 == %d && $20 == 0 ? $6 : 1/0):10 "
                "with points pt 6 ps 1.2 lc rgb 'red' title 'not full rank'\n",
                DATASETS[ds], h, h > 1 ? "s" : "", c->k * c->k, DATASETS[ds], h, DATASETS[ds], h,
                DATASETS[ds], h);
    snprintf(s + k, cap - k, "unset multiplot\n");
    return s;
}

int lmo_exp_sc_fig61(const lmo_exp_opts_t *o)
{
    const cfg_t *c = o->quick ? &QUICK : &FULL;
    long R = 2L * 2 * c->nN * c->reps;
    int rc = 0, sharded = o->shard_n > 0;
    lmo_exp_fashion_t fm;
    lmo_err_t err;
    lmo_err_clear(&err);
    if (lmo_exp_fashion_load(&fm, NULL, c->k, &err)) {
        fprintf(stderr, "lmo experiment: sc-fig61: %s\n", err.msg);
        return LMO_EINPUT;
    }
    if (o->dump_weights) {
        char dir[600];
        snprintf(dir, sizeof dir, "%s/sc-fig61-runs", o->out);
        if (lmo_exp_make_dir(dir)) { lmo_exp_fashion_clear(&fm); return LMO_EINPUT; }
    }
    FILE *csv = lmo_exp_open(o->out, "sc-fig61.csv");
    if (!csv) { lmo_exp_fashion_clear(&fm); return LMO_EINPUT; }
    fputs("run,dataset,hidden_layers,d,N,d2_over_N,rep,run_seed,epochs,mce,mse,min_abs_u,mce_exact,"
          "mse_exact,min_abs_u_exact,differentiable,zero_preactivations,rank_G,rows_G,full_rank,full_column_rank\n", csv);
    point_t *pts = calloc((size_t) (4 * c->nN), sizeof(point_t));
    for (long i = 0; i < R && rc == 0; i++) {
        if (sharded && i % o->shard_n != o->shard_k - 1) continue;
        int ds, hidden, ni, rep;
        decode(i, c, &ds, &hidden, &ni, &rep);
        rc = one_run(i, c, &fm, o, csv, pts + (ds * 2 + hidden - 1) * c->nN + ni);
        fflush(csv);
    }
    fclose(csv);
    if (rc == 0 && !sharded) {
        FILE *s = lmo_exp_open(o->out, "sc-fig61-summary.csv");
        if (!s) rc = LMO_EINPUT;
        else {
            fputs("dataset,hidden_layers,d,N,d2_over_N,mce_mean,mce_std,mse_mean,runs,full_rank_runs,"
                  "differentiable_runs\n", s);
            for (int g = 0; g < 4 * c->nN; g++) {
                const point_t *p = pts + g;
                long N = c->N[g % c->nN];
                int D = c->k * c->k;
                double m = p->sum / p->runs, var = p->sumsq / p->runs - m * m;
                fprintf(s, "%s,%d,%d,%ld,%.4f,%.17g,%.17g,%.17g,%d,%d,%d\n", DATASETS[g / (2 * c->nN)],
                        1 + (g / c->nN) % 2, D, N, (double) D * D / (double) N, m,
                        sqrt(var > 0 ? var : 0), p->mse_sum / p->runs, p->runs, p->full_rank,
                        p->differentiable);
            }
            fclose(s);
            char *text = plot_text(c);
            lmo_exp_gnuplot(o->out, "sc-fig61.gp", text);
            free(text);
        }
    }
    free(pts);
    lmo_exp_fashion_clear(&fm);
    return rc;
}
