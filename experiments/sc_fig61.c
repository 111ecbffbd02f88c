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

/* What run i leaves behind: its CSV row, its text line and what the summary sums. A shard
 * carries records in its partial and lmo merge hands them back, so that the unsharded run,
 * a shard and a merge write one run through the one function emit(). */
typedef struct {
    char row[1024], line[1024];   /* without the newline */
    double mce, mse;
    int full_rank, differentiable;
} record_t;

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
                   record_t *rec)
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
        snprintf(rec->row, sizeof rec->row,
                 "%ld,%s,%d,%d,%ld,%.4f,%d,%lu,%ld,%.17g,%.17g,%.17g,%.17g,%s,%s,%d,%ld,%ld,%ld,%d,%d",
                 i, DATASETS[ds], hidden, D, N, ratio, rep, (unsigned long) run_seed, epochs, mce,
                 mse, mu, (double) t->errors / (double) N, mse_exact, mu_exact, t->differentiable,
                 (long) t->nzero, (long) t->rank->rank, (long) t->rows, t->full_rank,
                 t->full_column_rank);
        snprintf(rec->line, sizeof rec->line,
                 "run %ld: %s, %d hidden, d = %d, N = %ld: %ld epochs, MCE %.4g, MSE %.4g; exactly: "
                 "%s, rank G_%d = %ld of min(%ld, %ld)%s", i, DATASETS[ds], hidden, D, N, epochs,
                 mce, mse, t->differentiable ? "differentiable" : "NOT differentiable", L - 1,
                 (long) t->rank->rank, (long) t->rows, N, t->full_rank ? " (full)" : " (deficient)");
        rec->mce = mce;
        rec->mse = mse;
        rec->full_rank = t->full_rank;
        rec->differentiable = t->differentiable;
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

/* Record REC of run i: its row to CSV (NULL in a shard), its line to OUT (NULL: quiet), its
 * numbers to its point of the figure. */
static void emit(const record_t *rec, long i, const cfg_t *c, FILE *csv, FILE *out, point_t *pts)
{
    int ds, hidden, ni, rep;
    decode(i, c, &ds, &hidden, &ni, &rep);
    point_t *pt = pts + (ds * 2 + hidden - 1) * c->nN + ni;
    if (csv) fprintf(csv, "%s\n", rec->row);
    if (out) fprintf(out, "%s\n", rec->line);
    pt->sum += rec->mce;
    pt->sumsq += rec->mce * rec->mce;
    pt->mse_sum += rec->mse;
    pt->runs++;
    pt->full_rank += rec->full_rank;
    pt->differentiable += rec->differentiable;
}

/* The record as a shard carries it; the doubles as C99 hex, which read back exactly. */
static json_t *record_json(const record_t *rec, long i)
{
    char mce[40], mse[40];
    snprintf(mce, sizeof mce, "%a", rec->mce);
    snprintf(mse, sizeof mse, "%a", rec->mse);
    return json_pack("{s:I, s:s, s:s, s:s, s:s, s:b, s:b}", "index", (json_int_t) i, "line",
                     rec->line, "row", rec->row, "mce", mce, "mse", mse, "full_rank",
                     rec->full_rank, "differentiable", rec->differentiable);
}

/* A line of text from a partial: a string that fits and holds no line break. */
static int text_of(char *buf, size_t cap, const json_t *v)
{
    const char *t = json_string_value(v);
    if (!t || strlen(t) >= cap || strchr(t, '\n') || strchr(t, '\r')) return -1;
    strcpy(buf, t);
    return 0;
}

/* A finite, non-negative double written by record_json. */
static int double_of(double *x, const json_t *v)
{
    const char *t = json_string_value(v);
    char *end;
    if (!t || !*t) return -1;
    *x = strtod(t, &end);
    return *end || !isfinite(*x) || *x < 0 ? -1 : 0;
}

/* The record of run i from a partial: 0, or 2 with one line naming the member. The partial
 * is input like any file: a malformed record is refused, never half-used. */
static int record_from_json(record_t *rec, const json_t *r, long i, long shard, long j)
{
    const char *bad = NULL;
    json_int_t index = json_integer_value(json_object_get(r, "index"));
    if (!json_is_integer(json_object_get(r, "index")) || index != i) bad = "index";
    else if (text_of(rec->row, sizeof rec->row, json_object_get(r, "row"))) bad = "row";
    else if (text_of(rec->line, sizeof rec->line, json_object_get(r, "line"))) bad = "line";
    else if (double_of(&rec->mce, json_object_get(r, "mce"))) bad = "mce";
    else if (double_of(&rec->mse, json_object_get(r, "mse"))) bad = "mse";
    else if (!json_is_boolean(json_object_get(r, "full_rank"))) bad = "full_rank";
    else if (!json_is_boolean(json_object_get(r, "differentiable"))) bad = "differentiable";
    if (bad) {
        fprintf(stderr, "lmo merge: shard %ld: inputs[0].part.runs[%ld].%s: %s\n", shard, j, bad,
                !strcmp(bad, "index") ? "not the next run" :
                !strcmp(bad, "row") || !strcmp(bad, "line") ? "not one line of text" :
                !strcmp(bad, "mce") || !strcmp(bad, "mse") ? "not a finite double >= 0 (C99 hex)" :
                "not true or false");
        return LMO_EINPUT;
    }
    rec->full_rank = json_is_true(json_object_get(r, "full_rank"));
    rec->differentiable = json_is_true(json_object_get(r, "differentiable"));
    return 0;
}

long lmo_exp_sc_fig61_runs(int quick)
{
    const cfg_t *c = quick ? &QUICK : &FULL;
    return 2L * 2 * c->nN * c->reps;
}

/* lmo merge: every run's record from the shards' parts, in order, through emit(). */
static int merge_runs(const lmo_exp_opts_t *o, const cfg_t *c, long R, FILE *csv, point_t *pts)
{
    long i = 0;
    record_t rec;
    for (size_t k = 0; k < json_array_size(o->merged_runs); k++) {
        const json_t *runs = json_object_get(json_array_get(o->merged_runs, k), "runs");
        if (!json_is_array(runs)) {
            fprintf(stderr, "lmo merge: shard %zu: inputs[0].part.runs: missing\n", k + 1);
            return LMO_EINPUT;
        }
        for (size_t j = 0; j < json_array_size(runs); j++, i++) {
            if (i >= R || record_from_json(&rec, json_array_get(runs, j), i, (long) k + 1, (long) j)) {
                if (i >= R) fprintf(stderr, "lmo merge: shard %zu: inputs[0].part.runs: more than "
                                    "the %ld runs of sc-fig61\n", k + 1, R);
                return LMO_EINPUT;
            }
            emit(&rec, i, c, csv, o->quiet ? NULL : stdout, pts);
        }
    }
    if (i != R) {
        fprintf(stderr, "lmo merge: the shards hold %ld runs of sc-fig61's %ld\n", i, R);
        return LMO_EINPUT;
    }
    return 0;
}

int lmo_exp_sc_fig61(const lmo_exp_opts_t *o)
{
    const cfg_t *c = o->quick ? &QUICK : &FULL;
    long R = lmo_exp_sc_fig61_runs(o->quick);
    long first = o->shard_runs ? o->run_first : 0, end = o->shard_runs ? o->run_end : R;
    int rc = 0;
    lmo_exp_fashion_t fm = {0};
    lmo_err_t err;
    lmo_err_clear(&err);
    if (!o->merged_runs && lmo_exp_fashion_load(&fm, NULL, c->k, &err)) {
        fprintf(stderr, "lmo experiment: sc-fig61: %s\n", err.msg);
        return LMO_EINPUT;
    }
    if (o->dump_weights && !o->merged_runs) {   /* a merge's runs were dumped by their shards */
        char dir[600];
        snprintf(dir, sizeof dir, "%s/sc-fig61-runs", o->out);
        if (lmo_exp_make_dir(dir)) { lmo_exp_fashion_clear(&fm); return LMO_EINPUT; }
    }
    /* A shard writes no CSV: shards may share one --out, and the merge writes it whole. The
     * CSV is written under a temporary name and renamed when complete. */
    FILE *csv = NULL;
    if (!o->shard_runs) {
        csv = lmo_exp_open(o->out, "sc-fig61.csv.tmp");
        if (!csv) { lmo_exp_fashion_clear(&fm); return LMO_EINPUT; }
        fputs("run,dataset,hidden_layers,d,N,d2_over_N,rep,run_seed,epochs,mce,mse,min_abs_u,mce_exact,"
              "mse_exact,min_abs_u_exact,differentiable,zero_preactivations,rank_G,rows_G,full_rank,"
              "full_column_rank\n", csv);
    }
    point_t *pts = calloc((size_t) (4 * c->nN), sizeof(point_t));
    if (!pts) abort();
    if (o->merged_runs) {
        rc = merge_runs(o, c, R, csv, pts);
    } else {
        FILE *text = o->quiet ? NULL : o->shard_runs ? stderr : stdout;
        for (long i = first; i < end && rc == 0; i++) {
            record_t rec;
            rc = one_run(i, c, &fm, o, &rec);
            if (rc) break;
            emit(&rec, i, c, csv, text, pts);
            if (o->shard_runs) json_array_append_new(o->shard_runs, record_json(&rec, i));
            if (csv) fflush(csv);
            if (o->progress) o->progress(o->progress_ctx, i + 1 - first, end - first);
        }
    }
    if (csv) {
        char tmp[600], final[600];
        snprintf(tmp, sizeof tmp, "%s/sc-fig61.csv.tmp", o->out);
        snprintf(final, sizeof final, "%s/sc-fig61.csv", o->out);
        if (fclose(csv) != 0 && rc == 0) rc = LMO_EINPUT;
        if (rc == 0 && rename(tmp, final) != 0) {
            fprintf(stderr, "lmo experiment: %s: cannot write\n", final);
            rc = LMO_EINPUT;
        }
        if (rc) remove(tmp);
    }
    if (rc == 0 && !o->shard_runs) {
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
    if (!o->merged_runs) lmo_exp_fashion_clear(&fm);
    return rc;
}
