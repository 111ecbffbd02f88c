/* Kind mnn: the multilayer network of Soudry & Carmon (2016) exactly (lmo/soudry_carmon/mnn.h: forward
 * pass (3.1), G_l (5.4) with certified ranks, gradient (5.1), the Hessian split (5.6)-(5.7)
 * two ways, Lemma 1 and the predictions), and its double twin (lmo_fast/mnn.h): a kink the
 * float code misses, a tolerance that hides a gradient, a rank that rounding moves. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "kind.h"
#include "lmo/soudry_carmon/mnn.h"
#include "lmo_fast/mnn.h"

typedef struct {
    lmo_mnn_input_t in;
    lmo_mnn_result_t r;
    lmo_near_critical_t nc;   /* the near-critical report (issue 20) */
    int have_nc;    /* nc initialised: differentiable and not critical */
} mnn_state;

static int mnn_exact(void *p, const lmo_vector_t v, const lmo_cli_opts *o, lmo_err_t *err)
{
    mnn_state *s = p;
    slong d[2] = {1, 1};
    lmo_mnn_input_init(s->in, 1, d, 1);
    lmo_mnn_result_init(s->r);
    if (lmo_mnn_input_set_json(s->in, v->input, &o->lim, err)) return err->code;
    /* the test hook of lmo/soudry_carmon/mnn.h: deliberately wrong inputs to the theorem
     * checks, so the tests can show each check failing (tests/unit/test_mnn_cli.c) */
    const char *hook = getenv("LMO_MNN_CORRUPT");
    if (hook && *hook && (s->in->corrupt = lmo_mnn_corrupt_parse(hook)) < 0)
        return lmo_err_set(err, LMO_EINPUT, "LMO_MNN_CORRUPT: unknown name in \"%s\"", hook);
    int rc = lmo_mnn_run(s->r, s->in, o->seed, err);
    if (rc == LMO_OK && s->r->differentiable && !s->r->critical) {
        lmo_near_critical_init(s->nc);
        s->have_nc = 1;
        rc = lmo_mnn_near_critical(s->nc, s->r, LMO_NEAR_CRITICAL_PREC_CAP, err);
    }
    return rc;
}

static json_t *mnn_verdict(const void *p)
{
    const mnn_state *s = p;
    json_t *j = lmo_mnn_result_to_json(s->r, s->in, 0);
    if (s->have_nc) json_object_set_new(j, "near_critical", lmo_near_critical_to_json(s->nc));
    return j;
}

static json_t *mnn_certificate(const void *p, const char *id)
{
    return lmo_mnn_certificates_to_json(((const mnn_state *)p)->r, id);
}

static int mnn_failed(const void *p)
{
    return lmo_mnn_failed(((const mnn_state *)p)->r);
}

static void mnn_shape(FILE *f, const void *p)
{
    const mnn_state *s = p;
    fprintf(f, "L=%ld, N=%ld, widths", (long)s->in->L, (long)s->in->N);
    lmo_cli_print_widths(f, s->in->d, s->in->L + 1);
    fprintf(f, ", %ld weights%s", (long)s->r->omega, s->in->has_dropout ? ", dropout" : "");
}

static void print_float_view(FILE *f, const mnn_state *s);

static void mnn_text(FILE *f, const void *p, const lmo_cli_opts *o)
{
    const mnn_state *s = p;
    const lmo_mnn_result_struct *r = s->r;
    slong L = s->in->L, N = s->in->N;
    (void)o;
    fprintf(f, "  MSE ");
    lmo_cli_print_q(f, r->mse);
    fprintf(f, "; %s", r->differentiable ? "differentiable" : "NOT differentiable");
    if (r->zero_weights) fprintf(f, " (w = 0 with L >= 3: Section 5)");
    if (!r->differentiable) {
        fprintf(f, " (u = 0 at");
        for (slong z = 0; z < r->nzero && z < 8; z++)
            fprintf(f, " (l=%ld,i=%ld,n=%ld)", (long)r->zeros[3 * z], (long)r->zeros[3 * z + 1],
                    (long)r->zeros[3 * z + 2]);
        if (r->nzero > 8) fprintf(f, " ... %ld in all", (long)r->nzero);
        fprintf(f, ")");
    }
    fprintf(f, "; %s\n  rank G_l:", r->critical ? "critical (G e = 0)" : "not critical");
    for (slong l = 0; l < L; l++) fprintf(f, " %ld", (long)r->rank_G[l].rank);
    fprintf(f, "; rank G = %ld (N = %ld)\n  Hessian: %s\n", (long)r->rank_Gall->rank, (long)N,
            r->hessian_note);
    if (L == 2) {
        fprintf(f, "  (4.2) at this pattern: rank(A1 o X) = %ld, its minimiser has MSE ",
                (long)r->lemma1_min->rank->rank);
        lmo_cli_print_q(f, r->lemma1_min->mse);
        fprintf(f, ", %s the pattern\n", r->lemma1_min->reproduces ? "reproduces" : "does not reproduce");
    }
    if (r->has_thm5) fprintf(f, "  rank(A_{L-1} o V_{L-2}) = %ld\n", (long)r->rank_thm5->rank);
    if (s->have_nc) {
        lmo_kind_print_near_critical(f, s->nc);
        print_float_view(f, s);
    }
    lmo_cli_print_theorem(f, &r->lemma1);
    lmo_cli_print_theorem(f, &r->lemma3);
    lmo_cli_print_theorem(f, &r->theorem4);
    lmo_cli_print_theorem(f, &r->theorem5_rank);
    lmo_cli_print_theorem(f, &r->theorem5);
}

/* ---- the fast tier ---- */

typedef struct {
    double *X, *y, **W, **E;
    lmo_fast_mnn_input_t f;
    int overflow;
} fast_input;

static void fast_input_init(fast_input *F, const lmo_mnn_input_struct *in)
{
    memset(F, 0, sizeof *F);
    F->X = lmo_cli_mat_to_double(in->X, &F->overflow);
    F->y = lmo_cli_mat_to_double(in->y, &F->overflow);
    F->W = lmo_cli_mats_to_double(in->W, in->L, &F->overflow);
    F->E = lmo_cli_mats_to_double(in->E, in->L - 1, &F->overflow);
    F->f.s = lmo_cli_q_to_d(in->s, &F->overflow);
    F->f.L = in->L, F->f.d = in->d, F->f.N = in->N, F->f.X = F->X, F->f.y = F->y;
    F->f.W = (const double *const *)F->W;
    F->f.E = (const double *const *)F->E;
}

static void fast_input_clear(fast_input *F, slong L)
{
    lmo_cli_mats_free(F->W, L), lmo_cli_mats_free(F->E, L - 1);
    free(F->X), free(F->y);
}

static json_t *decision(const lmo_fast_mnn_result_t *fr)
{
    json_t *j = json_object(), *rg = json_array();
    for (long l = 0; l < fr->L; l++) json_array_append_new(rg, json_integer(fr->rank_G[l].rank));
    json_object_set_new(j, "rank_G", rg);
    json_object_set_new(j, "rank_G_all", json_integer(fr->rank_Gall.rank));
    if (fr->has_A1X) json_object_set_new(j, "rank_A1X", json_integer(fr->rank_A1X.rank));
    if (fr->has_thm5)
        json_object_set_new(j, "rank_A_Lminus1_o_V_Lminus2", json_integer(fr->rank_thm5.rank));
    json_object_set_new(j, "differentiable", json_boolean(fr->differentiable));
    json_object_set_new(j, "critical", json_boolean(fr->critical));
    json_object_set_new(j, "loss", lmo_cli_hexd(fr->mse));
    return j;
}

/* Each decision the float code gets wrong, explained, appended to DIS. */
static void explain(json_t *dis, const mnn_state *s, const lmo_fast_mnn_result_t *fr,
                    const lmo_fast_policy_t *pol)
{
    const lmo_mnn_result_struct *r = s->r;
    char why[600], what[40];
    for (slong l = 0; l < s->in->L; l++)
        if (fr->rank_G[l].rank != r->rank_G[l].rank) {
            snprintf(what, sizeof what, "rank G_%ld", (long)(l + 1));
            lmo_kind_explain_rank(why, sizeof why, what, fr->rank_G + l, r->rank_G[l].rank, pol);
            json_array_append_new(dis, json_string(why));
        }
    if (fr->rank_Gall.rank != r->rank_Gall->rank) {
        lmo_kind_explain_rank(why, sizeof why, "rank G", &fr->rank_Gall, r->rank_Gall->rank, pol);
        json_array_append_new(dis, json_string(why));
    }
    if (fr->has_A1X && fr->rank_A1X.rank != r->lemma1_min->rank->rank) {
        lmo_kind_explain_rank(why, sizeof why, "rank A1 o X (Lemma 3)", &fr->rank_A1X,
                              r->lemma1_min->rank->rank, pol);
        json_array_append_new(dis, json_string(why));
    }
    if (fr->has_thm5 && fr->rank_thm5.rank != r->rank_thm5->rank) {
        lmo_kind_explain_rank(why, sizeof why, "rank A_{L-1} o V_{L-2} (Theorem 5)", &fr->rank_thm5,
                              r->rank_thm5->rank, pol);
        json_array_append_new(dis, json_string(why));
    }
    if (fr->differentiable != r->differentiable) {
        if (!r->differentiable) {
            slong l = r->zeros[0], i = r->zeros[1] - 1, n = r->zeros[2] - 1;
            snprintf(why, sizeof why, "differentiable: exactly u_{%ld,%ld}^(%ld) = 0 (%ld zero "
                     "pre-activations), but in double |u| = %.3e > u_tol = %.3e: the kink is "
                     "invisible to the float code", (long)(i + 1), (long)l, (long)(n + 1),
                     (long)r->nzero, fabs(fr->U[l - 1][i * s->in->N + n]), fr->u_tol);
        } else if (r->zero_weights) {
            snprintf(why, sizeof why, "differentiable: the float code sees u = 0 and calls w = 0 a "
                     "kink, but with L >= 3 the MSE is constant + O(|w|^3) there: a differentiable "
                     "critical point with H = 0 (Soudry-Carmon Section 5)");
        } else {
            snprintf(why, sizeof why, "differentiable: the float code sees min |u| = %.3e <= u_tol = "
                     "%.3e, but exactly no pre-activation is 0", fr->min_abs_u, fr->u_tol);
        }
        json_array_append_new(dis, json_string(why));
    }
    if (fr->critical != r->critical) {
        if (r->critical) {
            snprintf(why, sizeof why, "critical: exactly G e = 0, but in double max|grad| = %.3e > "
                     "grad_tol = %.3e (%.3g times above)", fr->grad_max, fr->grad_tol,
                     fr->grad_tol > 0 ? fr->grad_max / fr->grad_tol : INFINITY);
        } else {
            double gm = 0;
            slong at = 0;
            for (slong a = 0; a < r->omega; a++) {
                double g = fabs(lmo_cli_q_to_d(fmpq_mat_entry(r->grad, a, 0), NULL));
                if (g > gm) gm = g, at = a;
            }
            snprintf(why, sizeof why, "critical: the float code sees max|grad| = %.3e <= grad_tol = "
                     "%.3e, but exactly the gradient is not 0 (largest component %ld, about %.3e)",
                     fr->grad_max, fr->grad_tol, (long)at, gm);
        }
        json_array_append_new(dis, json_string(why));
    }
}

static int mnn_fast_policy(json_t *out, const void *p, void *in, const lmo_fast_policy_t *pol,
                           lmo_err_t *err)
{
    const mnn_state *s = p;
    fast_input F;
    lmo_fast_mnn_result_t fr;
    int rc = LMO_OK;
    (void)in;
    fast_input_init(&F, s->in);
    lmo_fast_mnn_result_init(&fr);
    if (F.overflow) {
        rc = LMO_KIND_OVERFLOW;
    } else if (lmo_fast_mnn_run(&fr, &F.f, pol, NULL) != 0) {
        rc = lmo_err_set(err, LMO_ELIMIT, "LAPACK failed under policy %s", pol->name);
    } else {
        json_t *detail = json_pack("{s:o, s:o}", "u_tol", lmo_cli_hexd(fr.u_tol), "grad_tol",
                                   lmo_cli_hexd(fr.grad_tol));
        explain(lmo_kind_fast_entry(out, pol->name, decision(&fr), detail), s, &fr, pol);
    }
    lmo_fast_mnn_result_clear(&fr);
    fast_input_clear(&F, s->in->L);
    return rc;
}

/* ---- the fast tier's view of a near-critical point (text and --json "info"; never stored
 * in a vector). lmo_fast/mnn.h computes no Hessian: the view is the gradient. ---- */

typedef struct {
    int ok;
    double grad_norm, grad_max, grad_tol;
    int critical;
} float_view;

static void float_view_compute(float_view *v, const mnn_state *s)
{
    fast_input F;
    memset(v, 0, sizeof *v);
    fast_input_init(&F, s->in);
    if (!F.overflow) {
        lmo_fast_policy_t pol;
        lmo_fast_mnn_result_t fr;
        lmo_fast_policy_parse(&pol, "numpy");
        lmo_fast_mnn_result_init(&fr);
        if (lmo_fast_mnn_run(&fr, &F.f, &pol, NULL) == 0) {
            double ss = 0;
            for (slong a = 0; a < s->r->omega; a++) ss += fr.grad[a] * fr.grad[a];
            v->ok = 1, v->grad_norm = sqrt(ss), v->grad_max = fr.grad_max;
            v->grad_tol = fr.grad_tol, v->critical = fr.critical;
        }
        lmo_fast_mnn_result_clear(&fr);
    }
    fast_input_clear(&F, s->in->L);
}

static void print_float_view(FILE *f, const mnn_state *s)
{
    float_view v;
    float_view_compute(&v, s);
    if (!v.ok)
        fprintf(f, "    float view: not available (an input overflows double, or LAPACK failed)\n");
    else
        fprintf(f, "    float view (numpy policy): gradient norm %.3g, max|grad| %.3g %s grad_tol %.3g "
                "(%s); the fast tier computes no Hessian for mnn\n", v.grad_norm, v.grad_max,
                v.critical ? "<=" : ">", v.grad_tol, v.critical ? "called critical" : "not critical");
}

static json_t *mnn_info(const void *p)
{
    const mnn_state *s = p;
    if (!s->have_nc) return NULL;
    float_view v;
    float_view_compute(&v, s);
    json_t *j = v.ok ? json_pack("{s:o, s:o, s:o, s:b}", "gradient_norm", lmo_cli_hexd(v.grad_norm),
                                 "grad_max", lmo_cli_hexd(v.grad_max), "grad_tol",
                                 lmo_cli_hexd(v.grad_tol), "critical", v.critical)
                     : json_null();
    return json_pack("{s:o}", "near_critical_float", j);
}

/* FloatDisagrees when some policy decides a rank, differentiability or criticality
 * differently. */
static void mnn_flags(json_t *flags, const json_t *verdict, const json_t *fast)
{
    const char *keys[7] = {"rank_G", "rank_G_all", "differentiable", "critical"};
    int k = 4;
    if (json_object_get(verdict, "rank_A1X")) keys[k++] = "rank_A1X";
    if (json_object_get(verdict, "rank_A_Lminus1_o_V_Lminus2")) keys[k++] = "rank_A_Lminus1_o_V_Lminus2";
    keys[k] = NULL;
    lmo_kind_flag_disagreement(flags, verdict, fast, keys);
}

/* lmo's own cross-check of the two Hessians, the theorem outcomes with their reasons and the
 * near-critical report are findings, not claims lmo-check certifies; nor is whether Lemma 1's construction
 * reproduced the pattern. */
static const char *const mnn_report[] = {"failed", "hessian_identity", "hessian_note", "theorems",
                                       "near_critical",
                                       "lemma1_minimiser.reproduces_pattern", "lemma1_minimiser.W1",
                                       "lemma1_minimiser.W2", NULL};

/* Frees what exact made, whatever it returned. */
static void mnn_clear(void *p)
{
    mnn_state *s = p;
    lmo_mnn_result_clear(s->r);
    lmo_mnn_input_clear(s->in);
    if (s->have_nc) lmo_near_critical_clear(s->nc);
}

const lmo_kind_t lmo_kind_mnn = {
    .kind = "mnn", .state_size = sizeof(mnn_state), .exact = mnn_exact, .clear = mnn_clear,
    .verdict = mnn_verdict, .certificate = mnn_certificate, .failed = mnn_failed,
    .fast_policy = mnn_fast_policy, .shape = mnn_shape, .text = mnn_text, .flags = mnn_flags,
    .report = mnn_report, .info = mnn_info};
