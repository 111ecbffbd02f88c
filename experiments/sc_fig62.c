/*
 * lmo experiment sc-fig62: Soudry & Carmon's Figure 6.2 (lmo_exp/sc_section6.h): d = 25,
 * N = 100, one hidden layer, plain ReLU, synthetic data, full-batch gradient descent at a
 * constant rate for 5000 epochs, then the rate multiplied by 0.999 each epoch until it is
 * about 1e-9; the smallest |u| over all hidden units and samples traced; at the end the
 * final doubles read exactly and given to lmo_mnn_run (lmo/soudry_carmon/mnn.h): whether
 * the point is differentiable, rank G_1 certified, its exact MSE, and Theorem 4's outcome.
 *
 * The paper gives no initial rate; LR0 below. The quick run is the same experiment with a
 * faster decay (0.99 per epoch after 2000 epochs), so it ends in seconds.
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

#define D 25
#define N 100
#define LR0 0.2
#define LR_END 1e-9

static void print_theorem(const lmo_theorem_t *t)
{
    if (t->statement) printf("  %s: %s: %s\n", t->statement, lmo_outcome_name(t->outcome), t->reason);
}

/* digits of |x| in base 10 (for the text report of a long rational) */
static long digits(const fmpz_t x)
{
    return (long) fmpz_sizeinbase(x, 10);
}

int lmo_exp_sc_fig62(const lmo_exp_opts_t *o)
{
    long hold = o->quick ? 2000 : 5000;
    double decay = o->quick ? 0.99 : 0.999;
    ulong run_seed = lmo_exp_run_seed(o->seed, 0);
    int d[3] = {D, D, 1}, rc = 0;
    double X[N * D], y[N], mse, mce, mu, lr = LR0;
    lmo_rng_t r;
    lmo_exp_net_t net;
    lmo_rng_seed(&r, run_seed);
    lmo_exp_synthetic(X, y, D, N, &r);
    lmo_exp_net_init(&net, 2, d, 0.0, &r);
    lmo_exp_opt_t opt = {0, LR0, 0, 0, 0, N};
    FILE *csv = lmo_exp_open(o->out, "sc-fig62.csv");
    if (!csv) { lmo_exp_net_clear(&net); return LMO_EINPUT; }
    fputs("epoch,lr,mse,mce,min_abs_u\n", csv);
    long epoch = 0;
    for (;;) {
        lmo_exp_net_eval(&net, X, y, N, &mse, &mce, &mu);
        int last = epoch > hold && lr < LR_END;
        if (epoch % 10 == 0 || last) fprintf(csv, "%ld,%.17g,%.17g,%.17g,%.17g\n", epoch, lr, mse, mce, mu);
        if (last) break;
        if (epoch >= hold) lr *= decay;
        opt.lr = lr;
        lmo_exp_net_epoch(&net, &opt, X, y, N, &r);
        epoch++;
    }
    fclose(csv);
    if (!isfinite(mse)) {
        fprintf(stderr, "lmo experiment: sc-fig62: training diverged (the MSE is not finite)\n");
        lmo_exp_net_clear(&net);
        return LMO_ELIMIT;
    }

    /* exact verdict at the final doubles */
    slong sd[3] = {D, D, 1};
    lmo_mnn_input_t in;
    lmo_mnn_result_t res;
    lmo_err_t err;
    lmo_err_clear(&err);
    lmo_mnn_input_init(in, 2, sd, N);
    lmo_mnn_result_init(res);
    rc = lmo_sc_trained_input(in, X, y, 0.0, (const double *const *) net.W, &err);
    if (!rc) rc = lmo_mnn_run(res, in, run_seed, &err);
    if (rc) {
        fprintf(stderr, "lmo experiment: sc-fig62: %s\n", err.msg);
    } else {
        char q[64];
        const lmo_rank_struct *rg = res->rank_G + 0;
        lmo_exp_q_decimal(q, sizeof q, res->mse);
        json_t *v = json_pack("{s:s, s:I, s:I, s:I, s:f, s:s, s:s, s:s, s:o}", "experiment",
                              "sc-fig62", "d", (json_int_t) D, "N", (json_int_t) N, "epochs",
                              (json_int_t) epoch, "final_lr", lr, "mse_float", "", "min_abs_u_float",
                              "", "seed", "", "exact", lmo_mnn_result_to_json(res, in, 0));
        char b[64];
        snprintf(b, sizeof b, "%a", mse);
        json_object_set_new(v, "mse_float", json_string(b));
        snprintf(b, sizeof b, "%a", mu);
        json_object_set_new(v, "min_abs_u_float", json_string(b));
        snprintf(b, sizeof b, "%lu", (unsigned long) run_seed);
        json_object_set_new(v, "seed", json_string(b));
        char path[700];
        snprintf(path, sizeof path, "%s/sc-fig62-verdict.json", o->out);
        if (lmo_json_write_file(v, path, &err)) {
            fprintf(stderr, "lmo experiment: %s\n", err.msg);
            rc = LMO_EINPUT;
        }
        json_decref(v);
        snprintf(b, sizeof b, "%lu", (unsigned long) run_seed);
        char source[200];
        snprintf(source, sizeof source, "lmo experiment sc-fig62%s (run seed %s): the final double "
                 "weights, read exactly", o->quick ? " --quick" : "", b);
        v = lmo_exp_mnn_vector(in, "sc-fig62-point", source);
        snprintf(path, sizeof path, "%s/sc-fig62-point.json", o->out);
        if (rc == 0 && lmo_json_write_file(v, path, &err)) {
            fprintf(stderr, "lmo experiment: %s\n", err.msg);
            rc = LMO_EINPUT;
        }
        json_decref(v);
        if (!o->quiet) {
            printf("sc-fig62: d = %d, N = %d, one hidden layer, ReLU, gradient descent: %ld epochs, "
                   "rate %g for %ld epochs then x%g per epoch to %.3g\n", D, N, epoch, LR0, hold, decay, lr);
            printf("  float: MSE %.6g, MCE %g, smallest |u| %.6g\n", mse, mce, mu);
            printf("  exact, at the final doubles read as rationals:\n");
            if (res->differentiable) printf("  differentiable: yes (no pre-activation is exactly 0)\n");
            else printf("  differentiable: NO (%ld pre-activations exactly 0)\n", (long) res->nzero);
            {
                fmpq_t a, m;
                char qm[64];
                fmpq_init(a);
                fmpq_init(m);
                for (slong i = 0; i < D; i++)
                    for (slong n = 0; n < N; n++) {
                        fmpq_abs(a, fmpq_mat_entry(res->U + 0, i, n));
                        if ((i == 0 && n == 0) || fmpq_cmp(a, m) < 0) fmpq_set(m, a);
                    }
                lmo_exp_q_decimal(qm, sizeof qm, m);
                printf("  smallest |u| = %s exactly (the float code computed %.17g)\n", qm, mu);
                fmpq_clear(a);
                fmpq_clear(m);
            }
            printf("  rank G_1 = %ld of N = %d (certified)%s\n", (long) rg->rank, N,
                   rg->rank == N ? ": full column rank" : ": NOT full column rank");
            printf("  MSE = %ld-digit / %ld-digit rational ≈ %s (exact in sc-fig62-verdict.json, exact.loss)\n",
                   digits(fmpq_numref(res->mse)), digits(fmpq_denref(res->mse)), q);
            printf("  critical: %s\n", res->critical ? "yes" : "no (the exact gradient is not 0: a "
                   "float-trained point is not an exact critical point)");
            print_theorem(&res->lemma1);
            print_theorem(&res->lemma3);
            print_theorem(&res->theorem4);
        }
        if (lmo_mnn_failed(res) && rc == 0) rc = 1;
    }
    if (rc == 0 || rc == 1) {
        char text[2048];
        snprintf(text, sizeof text,
                 "set output 'sc-fig62.png'\nset datafile separator ','\n"
                 "set title 'Soudry-Carmon Figure 6.2 (lmo experiment sc-fig62): d = %d, N = %d, "
                 "gradient descent, rate decayed from epoch %ld'\n"
                 "set logscale y\nset format y '10^{%%L}'\nset xlabel 'epoch'\nset key bottom left\n"
                 "set arrow from %ld, graph 0 to %ld, graph 1 nohead dt 2 lc rgb 'black'\n"
                 "plot 'sc-fig62.csv' every ::1 using 1:5 with lines lw 2 title 'min |u| (float)', \\\n"
                 "  '' every ::1 using 1:3 with lines lw 2 title 'MSE (float)', \\\n"
                 "  '' every ::1 using 1:2 with lines dt 3 title 'learning rate'\n",
                 D, N, hold, hold, hold);
        lmo_exp_gnuplot(o->out, "sc-fig62.gp", text);
    }
    lmo_mnn_result_clear(res);
    lmo_mnn_input_clear(in);
    lmo_exp_net_clear(&net);
    return rc;
}
