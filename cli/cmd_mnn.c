/*
 * `lmo mnn`: the Soudry-Carmon network of a vector of kind mnn, exactly
 * (lmo/mnn.h), and its fast-tier twin (lmo_fast/mnn.h) for `lmo compare`,
 * `lmo bless` and `lmo check`.
 *
 * Entry points for the dispatcher (cli/lmo.c) and the kind table
 * (cli/kinds.c):
 *   int lmo_cmd_mnn(int argc, char **argv);
 *   int lmo_compare_mnn(const lmo_vector_t v, const char *file, const lmo_cli_opts *o);
 *   int lmo_kind_mnn_exact(json_t **expect, json_t **cert, const lmo_vector_t v,
 *                          const lmo_cli_opts *o, lmo_err_t *err);
 *   int lmo_kind_mnn_fast(json_t **fast, const lmo_vector_t v, const lmo_fast_policy_t *pols,
 *                         int npol, const lmo_cli_opts *o, lmo_err_t *err);
 *   void lmo_kind_mnn_flags(json_t *flags, const json_t *expect, const json_t *fast);
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "kinds.h"
#include "lmo/mnn.h"
#include "lmo_fast/mnn.h"

int lmo_cmd_mnn(int argc, char **argv);
int lmo_compare_mnn(const lmo_vector_t v, const char *file, const lmo_cli_opts *o);
int lmo_kind_mnn_exact(json_t **expect, json_t **cert, const lmo_vector_t v,
                       const lmo_cli_opts *o, lmo_err_t *err);
int lmo_kind_mnn_fast(json_t **fast, const lmo_vector_t v, const lmo_fast_policy_t *pols,
                      int npol, const lmo_cli_opts *o, lmo_err_t *err);
void lmo_kind_mnn_flags(json_t *flags, const json_t *expect, const json_t *fast);

static const char MNN_USAGE[] =
"usage: lmo mnn [options] FILE...\n"
"\n"
"The multilayer network of Soudry & Carmon (2016) for each vector of kind mnn,\n"
"in exact rational arithmetic: forward pass (3.1) with leaky-ReLU slope s and\n"
"dropout E_l, error and MSE (3.2), whether the point is differentiable (and the\n"
"zero pre-activations if not), Delta_l and G_l = Delta_l o V_{l-1} (5.4) with\n"
"certified ranks, the gradient (5.1) and whether it is 0, the Hessian computed\n"
"twice (loss polynomial vs (5.6)-(5.7)), Lemma 1's minimiser of (4.2) under the\n"
"weights' pattern (L = 2), and the predictions of Lemma 1, Lemma 3, Theorem 4\n"
"(L = 2) and Theorem 5 (L >= 3). FILE may be - for stdin.\n"
"\n"
"options:\n"
"  --json           one JSON object per input on stdout (the expect keys of kind\n"
"                   mnn, certificates included)\n"
"  --cert FILE      write all rank certificates (one lmo-cert/1 bundle)\n"
"  --seed S         seed of the certificates' primes (answers never depend on it)\n"
"  --quiet          print nothing but errors\n"
"  --max-entries N, --max-bits N, --max-dim N: input caps (exit 3 beyond)\n"
"\n"
"exit: 0 every applicable prediction holds (and the result matches expect when\n"
"present), 1 a prediction is violated, the two Hessians differ, or a mismatch\n"
"with expect; 2 bad input or usage; 3 limit or internal error.\n";

/* ------------------------------------------------------------ helpers */

static int load_input(lmo_mnn_input_t in, const lmo_vector_t v, const lmo_cli_opts *o, lmo_err_t *err)
{
    if (strcmp(v->kind, "mnn") != 0)
        return lmo_err_set(err, LMO_EINPUT, "kind: \"%s\" is not mnn", v->kind);
    return lmo_mnn_input_set_json(in, v->input, &o->lim, err);
}

static void empty_input(lmo_mnn_input_t in)
{
    slong d[2] = { 1, 1 };
    lmo_mnn_input_init(in, 1, d, 1);
}

static const char *pred_word(lmo_pred_t p)
{
    return p == LMO_PRED_HOLDS ? "holds" : p == LMO_PRED_VIOLATED ? "VIOLATED" : "not applicable";
}

static void print_human(const lmo_vector_t v, const lmo_mnn_input_t in, const lmo_mnn_result_t r)
{
    slong L = in->L, N = in->N;
    printf("%s: mnn L=%ld N=%ld widths", v->id, (long) L, (long) N);
    for (slong l = 0; l <= L; l++) printf("%s%ld", l ? "," : " ", (long) in->d[l]);
    printf(", %ld weights%s\n", (long) r->omega, in->has_dropout ? ", dropout" : "");
    char *ms = lmo_q_get_str(r->mse);
    printf("  MSE %s; %s", ms, r->differentiable ? "differentiable" : "NOT differentiable");
    flint_free(ms);
    if (!r->differentiable) {
        printf(" (u = 0 at");
        for (slong z = 0; z < r->nzero && z < 8; z++)
            printf(" (l=%ld,i=%ld,n=%ld)", (long) r->zeros[3 * z], (long) r->zeros[3 * z + 1],
                   (long) r->zeros[3 * z + 2]);
        if (r->nzero > 8) printf(" ... %ld in all", (long) r->nzero);
        printf(")");
    }
    printf("; %s\n", r->critical ? "critical (G e = 0)" : "not critical");
    printf("  rank G_l:");
    for (slong l = 0; l < L; l++) printf(" %ld", (long) r->rank_G[l].rank);
    printf("; rank G = %ld (N = %ld)\n", (long) r->rank_Gall->rank, (long) N);
    printf("  Hessian: %s\n", r->hessian_note);
    if (L == 2) {
        char *mm = lmo_q_get_str(r->lemma1_min->mse);
        printf("  Lemma 1: rank(A1 o X) = %ld, minimiser of (4.2) under this pattern has MSE %s, %s\n",
               (long) r->lemma1_min->rank->rank, mm, r->lemma1_min->reproduces
               ? "reproduces the pattern" : "does not reproduce the pattern");
        flint_free(mm);
    }
    if (r->has_thm5) printf("  rank(A_{L-1} o V_{L-2}) = %ld\n", (long) r->rank_thm5->rank);
    const lmo_mnn_prediction_t *p[4] = { &r->lemma1, &r->lemma3, &r->theorem4, &r->theorem5 };
    const char *names[4] = { "Lemma 1", "Lemma 3", "Theorem 4", "Theorem 5" };
    for (int k = 0; k < 4; k++)
        printf("  %-9s %s: %s\n", names[k], pred_word(p[k]->outcome), p[k]->reason);
}

/* ---------------------------------------------------------- lmo mnn */

int lmo_cmd_mnn(int argc, char **argv)
{
    lmo_cli_opts o;
    int rc = lmo_cli_start(&o, argc, argv, MNN_USAGE, 1), worst = 0;
    if (rc >= 0) return rc;
    for (int f = 0; f < o.nfiles; f++) {
        const char *file = o.files[f];
        lmo_err_t err;
        lmo_err_clear(&err);
        lmo_vector_t v;
        lmo_vector_init(v);
        if ((rc = lmo_vector_read_file(v, file, &o.lim, &err))) {
            { int rr = lmo_cli_report(file, &err); worst = FLINT_MAX(worst, rr); }
            continue;
        }
        lmo_mnn_input_t in;
        empty_input(in);
        lmo_mnn_result_t r;
        lmo_mnn_result_init(r);
        rc = load_input(in, v, &o, &err);
        if (rc == 0) {
            lmo_cli_progress("%s: exact network...", file);
            rc = lmo_mnn_run(r, in, o.seed, &err);
            lmo_cli_progress("%s", "");
        }
        if (rc) rc = lmo_cli_report(file, &err);
        if (rc == 0 && o.cert) rc = lmo_cli_write_cert(lmo_mnn_certificates_to_json(r, v->id), v->id, file, &o);
        if (rc == 0) {
            json_t *got = lmo_mnn_result_to_json(r, in, 0), *problems = json_array();
            int same = v->expect ? lmo_cli_diff_members(problems, v->expect, got, "expect") : 1;
            rc = (lmo_mnn_failed(r) || !same) ? 1 : 0;
            if (o.json) {
                json_t *j = lmo_mnn_result_to_json(r, in, 1);
                json_object_set_new(j, "id", json_string(v->id));
                json_object_set_new(j, "file", json_string(file));
                json_object_set_new(j, "kind", json_string(v->kind));
                if (v->expect) {
                    json_object_set_new(j, "expect_matches", json_boolean(same));
                    json_object_set(j, "expect_problems", problems);
                }
                lmo_cli_print_json(j);
                json_decref(j);
            } else if (!o.quiet) {
                print_human(v, in, r);
                for (size_t i = 0; i < json_array_size(problems); i++)
                    printf("  MISMATCH %s\n", json_string_value(json_array_get(problems, i)));
            }
            json_decref(got);
            json_decref(problems);
        }
        lmo_mnn_result_clear(r);
        lmo_mnn_input_clear(in);
        lmo_vector_clear(v);
        worst = FLINT_MAX(worst, rc);
    }
    lmo_cli_opts_clear(&o);
    return worst;
}

/* ------------------------------------------------------- the fast tier */

typedef struct {
    double *X, *y, **W, **E;
    long *d;
    lmo_fast_mnn_input_t f;
    int overflow;
} fast_input;

static void fast_input_init(fast_input *F, const lmo_mnn_input_t in)
{
    slong L = in->L;
    int of = 0;
    memset(F, 0, sizeof *F);
    F->X = lmo_cli_mat_to_double(in->X, &of); F->overflow |= of;
    F->y = lmo_cli_mat_to_double(in->y, &of); F->overflow |= of;
    F->W = malloc(sizeof(double *) * (size_t) (L + 1));
    F->E = malloc(sizeof(double *) * (size_t) (L + 1));
    F->d = malloc(sizeof(long) * (size_t) (L + 1));
    for (slong l = 0; l <= L; l++) F->d[l] = in->d[l];
    for (slong l = 0; l < L; l++) { F->W[l] = lmo_cli_mat_to_double(in->W + l, &of); F->overflow |= of; }
    for (slong l = 0; l + 1 < L; l++) { F->E[l] = lmo_cli_mat_to_double(in->E + l, &of); F->overflow |= of; }
    fmpq_mat_t s;
    fmpq_mat_init(s, 1, 1);
    fmpq_set(fmpq_mat_entry(s, 0, 0), in->s);
    double *sd = lmo_cli_mat_to_double(s, &of);
    F->overflow |= of;
    F->f.s = sd[0];
    free(sd);
    fmpq_mat_clear(s);
    F->f.L = L; F->f.d = F->d; F->f.N = in->N; F->f.X = F->X; F->f.y = F->y;
    F->f.W = (const double *const *) F->W;
    F->f.E = (const double *const *) F->E;
}

static void fast_input_clear(fast_input *F, slong L)
{
    for (slong l = 0; l < L; l++) free(F->W[l]);
    for (slong l = 0; l + 1 < L; l++) free(F->E[l]);
    free(F->W); free(F->E); free(F->d); free(F->X); free(F->y);
}

static json_t *hexd(double x)
{
    char b[64];
    snprintf(b, sizeof b, "%a", x);
    return json_string(b);
}

static json_t *fast_decisions(const lmo_fast_mnn_result_t *fr)
{
    json_t *j = json_object(), *rg = json_array();
    for (long l = 0; l < fr->L; l++) json_array_append_new(rg, json_integer(fr->rank_G[l].rank));
    json_object_set_new(j, "rank_G", rg);
    json_object_set_new(j, "rank_G_all", json_integer(fr->rank_Gall.rank));
    if (fr->has_A1X) json_object_set_new(j, "rank_A1X", json_integer(fr->rank_A1X.rank));
    if (fr->has_thm5) json_object_set_new(j, "rank_A_Lminus1_o_V_Lminus2", json_integer(fr->rank_thm5.rank));
    json_object_set_new(j, "differentiable", json_boolean(fr->differentiable));
    json_object_set_new(j, "critical", json_boolean(fr->critical));
    json_object_set_new(j, "loss", hexd(fr->mse));
    return j;
}

int lmo_kind_mnn_exact(json_t **expect, json_t **cert, const lmo_vector_t v,
                       const lmo_cli_opts *o, lmo_err_t *err)
{
    lmo_mnn_input_t in;
    empty_input(in);
    lmo_mnn_result_t r;
    lmo_mnn_result_init(r);
    int rc = load_input(in, v, o, err);
    if (rc == 0) rc = lmo_mnn_run(r, in, o->seed, err);
    if (rc == 0) {
        *expect = lmo_mnn_result_to_json(r, in, 0);
        /* the bundle of rank certificates (G_l, G, ...): lmo-check rebuilds
         * each matrix from the vector with its own forward pass */
        *cert = lmo_mnn_certificates_to_json(r, v->id);
    }
    lmo_mnn_result_clear(r);
    lmo_mnn_input_clear(in);
    return rc;
}

int lmo_kind_mnn_fast(json_t **fast, const lmo_vector_t v, const lmo_fast_policy_t *pols,
                      int npol, const lmo_cli_opts *o, lmo_err_t *err)
{
    lmo_mnn_input_t in;
    empty_input(in);
    int rc = load_input(in, v, o, err);
    if (rc) { lmo_mnn_input_clear(in); return rc; }
    fast_input F;
    fast_input_init(&F, in);
    *fast = json_object();
    for (int p = 0; p < npol && rc == 0; p++) {
        if (F.overflow) {
            json_object_set_new(*fast, pols[p].name, json_pack("{s:s}", "why", "an input overflows double"));
            continue;
        }
        lmo_fast_mnn_result_t fr;
        lmo_fast_mnn_result_init(&fr);
        if (lmo_fast_mnn_run(&fr, &F.f, &pols[p], NULL) != 0)
            rc = lmo_err_set(err, LMO_ELIMIT, "LAPACK failed under policy %s", pols[p].name);
        else
            json_object_set_new(*fast, pols[p].name, fast_decisions(&fr));
        lmo_fast_mnn_result_clear(&fr);
    }
    fast_input_clear(&F, in->L);
    lmo_mnn_input_clear(in);
    if (rc) { json_decref(*fast); *fast = NULL; }
    return rc;
}

/* FloatDisagrees when some policy decides a rank, differentiability or
 * criticality differently from the exact verdict. */
void lmo_kind_mnn_flags(json_t *flags, const json_t *expect, const json_t *fast)
{
    static const char *const KEYS[] = { "rank_G", "rank_G_all", "differentiable", "critical", NULL };
    const char *key; json_t *val;
    int dis = 0;
    json_object_foreach((json_t *) fast, key, val) {
        for (int k = 0; KEYS[k]; k++) {
            json_t *a = json_object_get(expect, KEYS[k]), *b = json_object_get(val, KEYS[k]);
            if (!a || !b || !json_equal(a, b)) dis = 1;
        }
        json_t *b = json_object_get(val, "rank_A1X");
        json_t *a = json_object_get(json_object_get(expect, "rank_A1X"), "rank");
        if (a && (!b || !json_equal(a, b))) dis = 1;
        b = json_object_get(val, "rank_A_Lminus1_o_V_Lminus2");
        a = json_object_get(json_object_get(expect, "rank_A_Lminus1_o_V_Lminus2"), "rank");
        if (a && (!b || !json_equal(a, b))) dis = 1;
    }
    if (dis) json_array_append_new(flags, json_string("FloatDisagrees"));
    if (json_is_true(json_object_get(expect, "failed")))
        json_array_append_new(flags, json_string("PredictionViolated"));
}

/* lmo's own cross-check of the two Hessians and the theorem outcomes with
 * their reasons are findings, not claims lmo-check certifies; nor is whether
 * Lemma 1's construction reproduced the pattern. */
void lmo_kind_mnn_split(json_t *expect, json_t *report)
{
    static const char *const paths[] = { "failed", "hessian_identity", "hessian_note", "predictions",
                                         "lemma1_minimiser.reproduces_pattern", "lemma1_minimiser.W1",
                                         "lemma1_minimiser.W2", NULL };
    lmo_kind_move_members(expect, report, paths);
}

/* ------------------------------------------------------- lmo compare */

/* Why the policy's rank differs from the exact rank r. */
static void explain_rank(char *out, size_t cap, const char *what, const lmo_fast_rank_t *fr, slong r,
                         const lmo_fast_policy_t *p)
{
    const char *val = p->kind == LMO_FAST_QRCP ? "|R_kk|" : "sigma_k";
    if (fr->rank < r) {
        long k = fr->rank;
        double s = fr->sv[k];
        snprintf(out, cap, "%s: %s rank %ld < exact %ld: %s with k=%ld is %.3e <= threshold %.3e "
                 "(%.3g times below), yet exactly non-zero", what, p->name, fr->rank, (long) r, val,
                 k + 1, s, fr->threshold, s > 0 ? fr->threshold / s : INFINITY);
    } else {
        long k = (long) r;
        double s = k < fr->nsv ? fr->sv[k] : 0;
        snprintf(out, cap, "%s: %s rank %ld > exact %ld: %s with k=%ld is %.3e > threshold %.3e "
                 "(%.3g times above), rounding noise on an exact zero", what, p->name, fr->rank, (long) r,
                 val, k + 1, s, fr->threshold, fr->threshold > 0 ? s / fr->threshold : INFINITY);
    }
}

static double q_to_d(const fmpq_t q)
{
    fmpq_mat_t m;
    fmpq_mat_init(m, 1, 1);
    fmpq_set(fmpq_mat_entry(m, 0, 0), q);
    int of = 0;
    double *d = lmo_cli_mat_to_double(m, &of), x = d[0];
    free(d);
    fmpq_mat_clear(m);
    return x;
}

static void add_dis(json_t *list, int *n, const char *text, int human)
{
    json_array_append_new(list, json_string(text));
    (*n)++;
    if (human) printf("    DISAGREE %s\n", text);
}

int lmo_compare_mnn(const lmo_vector_t v, const char *file, const lmo_cli_opts *o)
{
    lmo_err_t err;
    lmo_err_clear(&err);
    lmo_mnn_input_t in;
    empty_input(in);
    lmo_mnn_result_t r;
    lmo_mnn_result_init(r);
    int rc = load_input(in, v, o, &err);
    if (rc == 0) rc = lmo_mnn_run(r, in, o->seed, &err);
    if (rc) {
        rc = lmo_cli_report(file, &err);
        lmo_mnn_result_clear(r);
        lmo_mnn_input_clear(in);
        return rc;
    }
    lmo_fast_policy_t pols[LMO_CLI_MAX_POLICIES];
    int npol = o->npolicies;
    if (npol) memcpy(pols, o->policies, sizeof(lmo_fast_policy_t) * (size_t) npol);
    else { lmo_fast_policy_parse(&pols[0], "numpy"); lmo_fast_policy_parse(&pols[1], "qrcp"); npol = 2; }
    int human = !o->json && !o->quiet, ndis = 0;
    if (human)
        printf("%s (mnn, L=%ld, N=%ld): exact rank G = %ld, %s, %s\n", v->id, (long) in->L, (long) in->N,
               (long) r->rank_Gall->rank, r->differentiable ? "differentiable" : "not differentiable",
               r->critical ? "critical" : "not critical");
    fast_input F;
    fast_input_init(&F, in);
    json_t *jp = json_object();
    char why[600];
    for (int p = 0; p < npol && rc == 0; p++) {
        json_t *list = json_array();
        int before = ndis;
        if (human) printf("  %s:\n", pols[p].name);
        if (F.overflow) {
            add_dis(list, &ndis, "an input overflows double precision", human);
            json_object_set_new(jp, pols[p].name, json_pack("{s:o, s:b}", "disagreements", list, "agree", 0));
            continue;
        }
        lmo_fast_mnn_result_t fr;
        lmo_fast_mnn_result_init(&fr);
        if (lmo_fast_mnn_run(&fr, &F.f, &pols[p], NULL) != 0) {
            lmo_err_set(&err, LMO_ELIMIT, "LAPACK failed under policy %s", pols[p].name);
            rc = lmo_cli_report(file, &err);
            json_decref(list);
            lmo_fast_mnn_result_clear(&fr);
            break;
        }
        char what[32];
        for (slong l = 0; l < in->L; l++)
            if (fr.rank_G[l].rank != r->rank_G[l].rank) {
                snprintf(what, sizeof what, "rank G_%ld", (long) (l + 1));
                explain_rank(why, sizeof why, what, fr.rank_G + l, r->rank_G[l].rank, &pols[p]);
                add_dis(list, &ndis, why, human);
            }
        if (fr.rank_Gall.rank != r->rank_Gall->rank) {
            explain_rank(why, sizeof why, "rank G", &fr.rank_Gall, r->rank_Gall->rank, &pols[p]);
            add_dis(list, &ndis, why, human);
        }
        if (fr.has_A1X && fr.rank_A1X.rank != r->lemma1_min->rank->rank) {
            explain_rank(why, sizeof why, "rank A1 o X (Lemma 3)", &fr.rank_A1X, r->lemma1_min->rank->rank, &pols[p]);
            add_dis(list, &ndis, why, human);
        }
        if (fr.has_thm5 && fr.rank_thm5.rank != r->rank_thm5->rank) {
            explain_rank(why, sizeof why, "rank A_{L-1} o V_{L-2} (Theorem 5)", &fr.rank_thm5,
                         r->rank_thm5->rank, &pols[p]);
            add_dis(list, &ndis, why, human);
        }
        if (fr.differentiable != r->differentiable) {
            if (!r->differentiable) {
                slong l = r->zeros[0], i = r->zeros[1] - 1, n = r->zeros[2] - 1;
                snprintf(why, sizeof why, "differentiable: exactly u_{%ld,%ld}^(%ld) = 0 (%ld zero "
                         "pre-activations), but in double |u| = %.3e > u_tol = %.3e: the kink is invisible "
                         "to the float code", (long) (i + 1), (long) l, (long) (n + 1), (long) r->nzero,
                         fabs(fr.U[l - 1][i * in->N + n]), fr.u_tol);
            } else {
                snprintf(why, sizeof why, "differentiable: the float code sees min |u| = %.3e <= u_tol = %.3e, "
                         "but exactly no pre-activation is 0", fr.min_abs_u, fr.u_tol);
            }
            add_dis(list, &ndis, why, human);
        }
        if (fr.critical != r->critical) {
            if (r->critical)
                snprintf(why, sizeof why, "critical: exactly G e = 0, but in double max|grad| = %.3e > "
                         "grad_tol = %.3e (%.3g times above)", fr.grad_max, fr.grad_tol,
                         fr.grad_tol > 0 ? fr.grad_max / fr.grad_tol : INFINITY);
            else {
                double gm = 0;
                slong at = 0;
                for (slong a = 0; a < r->omega; a++) {
                    double g = fabs(q_to_d(fmpq_mat_entry(r->grad, a, 0)));
                    if (g > gm) { gm = g; at = a; }
                }
                snprintf(why, sizeof why, "critical: the float code sees max|grad| = %.3e <= grad_tol = %.3e, "
                         "but exactly the gradient is not 0 (largest component %ld, about %.3e)",
                         fr.grad_max, fr.grad_tol, (long) at, gm);
            }
            add_dis(list, &ndis, why, human);
        }
        if (human && ndis == before) printf("    agree (ranks, differentiable, critical)\n");
        json_t *jd = fast_decisions(&fr);
        json_object_set_new(jd, "disagreements", list);
        json_object_set_new(jd, "agree", json_boolean(ndis == before));
        json_object_set_new(jd, "u_tol", hexd(fr.u_tol));
        json_object_set_new(jd, "grad_tol", hexd(fr.grad_tol));
        json_object_set_new(jp, pols[p].name, jd);
        lmo_fast_mnn_result_clear(&fr);
    }
    if (rc == 0 && o->json) {
        json_t *j = json_object();
        json_object_set_new(j, "id", json_string(v->id));
        json_object_set_new(j, "file", json_string(file));
        json_object_set_new(j, "kind", json_string(v->kind));
        json_object_set_new(j, "exact", lmo_mnn_result_to_json(r, in, 0));
        json_object_set(j, "fast", jp);
        json_object_set_new(j, "agree", json_boolean(ndis == 0));
        lmo_cli_print_json(j);
        json_decref(j);
    }
    json_decref(jp);
    fast_input_clear(&F, in->L);
    lmo_mnn_result_clear(r);
    lmo_mnn_input_clear(in);
    if (rc) return rc;
    return ndis ? 1 : 0;
}
