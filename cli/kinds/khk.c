/* Kind khk: a point of a deep ReLU / leaky / abs network in the orientation of Kawaguchi,
 * Huang & Kaelbling (2019) -- rows are samples -- with the exact L(theta), J(theta) of (4.2),
 * the activation patterns Lambda, the first kink, criticality from the exact gradient, and
 * the outcomes of Theorem 1, Lemmas 1 and 3 and Proposition 1 (lmo/khk/khk.h); in double under
 * a policy (lmo_fast/khk.h: the paper's Appendix C recipe). The certificate (claim "khk")
 * proves J, its terms and rank [D D_1(H+1)]; Proposition 2 and Theorem 2 are lmo's findings,
 * in report. */
#include <stdlib.h>
#include <string.h>
#include "kind.h"
#include "lmo/khk/khk.h"
#include "lmo_fast/khk.h"

typedef struct {
    lmo_khk_t net;
    lmo_khk_result_t r;
    int ready;       /* net and r initialised */
} khk_state;

static int khk_exact(void *p, const lmo_vector_t v, const lmo_cli_opts *o, lmo_err_t *err)
{
    khk_state *s = p;
    if (lmo_khk_input_set_json(s->net, v->input, &o->lim, err)) return err->code;
    lmo_khk_result_init(s->r);
    s->ready = 1;
    return lmo_khk_compute(s->r, s->net, &o->lim, err);
}

static void khk_clear(void *p)
{
    khk_state *s = p;
    if (s->ready) lmo_khk_result_clear(s->r), lmo_khk_clear(s->net);
}

static json_t *khk_verdict(const void *p)
{
    return lmo_khk_result_to_json(((const khk_state *)p)->r);
}

static json_t *khk_certificate(const void *p, const char *id)
{
    lmo_err_t err;
    return lmo_khk_cert_to_json(((const khk_state *)p)->net, id, &err);
}

static int khk_failed(const void *p)
{
    return ((const khk_state *)p)->r->violation;
}

static void khk_shape(FILE *f, const void *p)
{
    const khk_state *s = p;
    lmo_cli_print_depth_widths(f, s->net->H, s->net->d, s->net->m);
    fputs(", activations", f);
    for (slong l = 0; l < s->net->H; l++) {
        char *a = lmo_khk_act_get_str(s->net->act + l);
        fprintf(f, "%s%s", l ? "," : " ", a);
        flint_free(a);
    }
}

static void khk_text(FILE *f, const void *p, const lmo_cli_opts *o)
{
    const lmo_khk_result_struct *r = ((const khk_state *)p)->r;
    fmpq_t gap;
    (void)o;
    fmpq_init(gap);
    fmpq_sub(gap, r->loss, r->J);
    if (r->differentiable)
        fprintf(f, "  differentiable, %s (squared gradient norm ", r->critical ? "critical" : "NOT critical");
    else
        fprintf(f, "  NOT differentiable: unit %ld of hidden layer %ld has pre-activation 0 at sample "
                "%ld (Lambda = 0 there; squared gradient norm at that Lambda ", (long)r->kink_unit,
                (long)r->kink_layer, (long)r->kink_sample);
    lmo_cli_print_q(f, r->grad_norm2);
    fprintf(f, ")\n  L = ");
    lmo_cli_print_q(f, r->loss);
    fprintf(f, "\n  J = ");
    lmo_cli_print_q(f, r->J);
    fprintf(f, "  (4.2), rank [D D_1(H+1)] = %ld of %ld rows\n  L - J = ", (long)r->path_rank,
            (long)r->n);
    lmo_cli_print_q(f, gap);
    fprintf(f, "\n  Definition 1: largest S(1..H) =");
    for (slong l = 1, off = 0; l <= r->H; off += r->d[l], l++) {
        fprintf(f, " {");
        for (slong k = 0, first = 1; k < r->d[l]; k++)
            if (r->def1[off + k]) fprintf(f, "%s%ld", first ? "" : ",", (long)(k + 1)), first = 0;
        fprintf(f, "}");
    }
    fprintf(f, "; n_max(t), t = 0..H:");
    for (slong t = 0; t <= r->H; t++) fprintf(f, " %ld", (long)r->n_max[t]);
    fprintf(f, "\n");
    if (r->prop2_done) {
        const lmo_khk_prop2_struct *q = r->prop2;
        fprintf(f, "  Proposition 2 (B.2): rank Dtilde = %ld of min(m, d dx) = %ld, generic rank ",
                (long) q->rank, (long) q->max_rank);
        if (q->generic_rank < 0) fprintf(f, "not computed"); else fprintf(f, "%ld", (long) q->generic_rank);
        fprintf(f, ", regime %s, Lambda condition %s; 1/2 ||(I - P[Dtilde]) Y||^2 = ", q->regime == 1 ? "i" : "ii",
                q->lambda_ok < 0 ? "not checked" : q->lambda_ok ? "holds" : "fails");
        lmo_cli_print_q(f, q->loss_proj);
        fprintf(f, "\n");
    }
    const lmo_khk_thm2_struct *t2 = r->thm2;
    if (t2->done) {
        fprintf(f, "  Section 5: local minimum %s (least loss of the pattern region ",
                t2->lm < 0 ? "not decided" : t2->lm ? "certified" : "not certified");
        if (t2->lm >= 0) lmo_cli_print_q(f, t2->loss_pattern);
        fprintf(f, ", %ld path masks); Theta_(dy,t) from t = %ld, Theta^strong from t = ", (long) t2->npatterns,
                (long) t2->t_weak);
        if (t2->t_strong < 0) fprintf(f, "not decided"); else fprintf(f, "%ld", (long) t2->t_strong);
        fprintf(f, "; %ld subsequences S\n", (long) t2->nS);
    }
    for (int i = 0; i < LMO_KHK_NTHM; i++) lmo_cli_print_theorem(f, r->thm + i);
    for (int i = 0; i < LMO_KHK_T2_N; i++) lmo_cli_print_theorem(f, t2->thm + i);
    fmpq_clear(gap);
}

static void khk_flags(json_t *flags, const json_t *verdict, const json_t *fast)
{
    static const char *const keys[] = {"differentiable", "critical", "path_rank", "prop2", NULL};
    lmo_kind_flag_disagreement(flags, verdict, fast, keys);
    json_t *d = json_object_get(verdict, "differentiable"), *c = json_object_get(verdict, "critical");
    if (json_is_false(d)) json_array_append_new(flags, json_string("NotDifferentiable"));
    else if (json_is_true(c)) json_array_append_new(flags, json_string("Critical"));
}

/* ---- the fast tier ---- */

/* The point in doubles (correctly rounded); 1 if some entry overflows. */
static int to_fast(lmo_fast_khk_t *f, const lmo_khk_struct *net)
{
    lmo_fast_khk_init(f, net->H, net->d, net->m);
    int overflow = lmo_cli_point_into_double(f->X, f->Y, f->W, net->X, net->Y, net->W, net->H + 1);
    for (slong l = 0; l < net->H; l++) {
        f->a[l] = lmo_cli_q_to_d(net->act[l].a, &overflow);
        f->linear[l] = net->act[l].kind == LMO_KHK_LEAKY && fmpq_is_one(net->act[l].a);
    }
    return overflow;
}

static void explain(char *out, size_t cap, const lmo_khk_result_struct *r, const lmo_fast_khk_result_t *fr,
                    const lmo_fast_policy_t *pol)
{
    if (fr->differentiable != r->differentiable) {
        if (r->differentiable)
            snprintf(out, cap, "the double pre-activation of unit %ld of hidden layer %ld at sample %ld is "
                     "exactly 0.0, but exactly it is not 0: rounding made a kink", fr->kink_unit,
                     fr->kink_layer, fr->kink_sample);
        else
            snprintf(out, cap, "exactly, unit %ld of hidden layer %ld has pre-activation 0 at sample %ld (a "
                     "kink: not differentiable), but in double it is not 0.0: float code sees a smooth "
                     "point", (long)r->kink_unit, (long)r->kink_layer, (long)r->kink_sample);
    } else if (fr->critical != r->critical) {
        char why_not[80];
        snprintf(why_not, sizeof why_not, "squared norm %.3e", lmo_cli_q_to_d(r->grad_norm2, NULL));
        lmo_kind_explain_gradient(out, cap, fr->grad_norm, fr->grad_tol, r->critical, why_not);
    } else {
        lmo_kind_explain_rank(out, cap, "rank [D D_1(H+1)]", &fr->rank, r->path_rank, pol);
    }
}

/* Proposition 2's Dtilde (B.2) in double -- the exact Lambda(1) times the double X, row-major
 * m x d dx -- and its rank under POL into FR (0, or -1 when LAPACK failed). */
static int prop2_fast(lmo_fast_rank_t *fr, const khk_state *s, const lmo_fast_khk_t *f,
                      const lmo_fast_policy_t *pol)
{
    const fmpq_mat_struct *Lam = s->r->Lam;
    long m = s->net->m, d = s->net->d[1], dx = s->net->d[0];
    int ov = 0;
    double *lam = lmo_cli_mat_to_double(Lam, &ov), *Dt = malloc(sizeof(double) * (size_t) (m * d * dx + 1));
    for (long i = 0; i < m; i++)
        for (long k = 0; k < d; k++)
            for (long j = 0; j < dx; j++) Dt[i * d * dx + k * dx + j] = lam[i * d + k] * f->X[i * dx + j];
    int rc = lmo_fast_rank(fr, Dt, m, d * dx, pol);
    free(lam), free(Dt);
    return rc;
}

static int khk_fast_policy(json_t *out, const void *p, void *in, const lmo_fast_policy_t *pol,
                           lmo_err_t *err)
{
    const khk_state *s = p;
    const lmo_khk_result_struct *r = s->r;
    lmo_fast_khk_result_t fr;
    lmo_fast_rank_t p2;
    lmo_fast_khk_t f;
    int rc = LMO_OK, have_p2 = r->prop2_done, overflow = to_fast(&f, s->net);
    (void)in;
    lmo_fast_khk_result_init(&fr);
    lmo_fast_rank_init(&p2);
    if (overflow) {
        rc = LMO_KIND_OVERFLOW;
    } else if (lmo_fast_khk(&fr, &f, pol) != 0) {
        rc = lmo_err_set(err, LMO_ELIMIT, "LAPACK failed under policy %s (gesdd info %d, rank info %d)",
                         pol->name, fr.info, fr.rank.info);
    } else if (have_p2 && prop2_fast(&p2, s, &f, pol) != 0) {
        rc = lmo_err_set(err, LMO_ELIMIT, "LAPACK failed on Dtilde under policy %s (info %d)",
                         pol->name, p2.info);
    } else {
        json_t *dec = json_pack("{s:b, s:o, s:I, s:o}", "differentiable", fr.differentiable, "critical",
                                fr.differentiable ? json_boolean(fr.critical) : json_null(), "path_rank",
                                (json_int_t)fr.rank.rank, "prop2", have_p2 ? json_integer(p2.rank) : json_null());
        json_t *detail = json_pack("{s:o, s:o, s:o, s:o, s:o}", "loss", lmo_cli_hexd(fr.loss), "J",
                                   lmo_cli_hexd(fr.J), "grad_norm", lmo_cli_hexd(fr.grad_norm), "grad_tol",
                                   lmo_cli_hexd(fr.grad_tol), "rank_threshold", lmo_cli_hexd(fr.rank.threshold));
        json_t *dis = lmo_kind_fast_entry(out, pol->name, dec, detail);
        char why[600];
        if (fr.differentiable != r->differentiable || (r->differentiable && fr.critical != r->critical) ||
            fr.rank.rank != r->path_rank) {
            explain(why, sizeof why, r, &fr, pol);
            json_array_append_new(dis, json_string(why));
        }
        if (have_p2 && p2.rank != r->prop2->rank) {
            lmo_kind_explain_rank(why, sizeof why, "rank Dtilde (Proposition 2)", &p2, r->prop2->rank, pol);
            json_array_append_new(dis, json_string(why));
        }
    }
    lmo_fast_rank_clear(&p2);
    lmo_fast_khk_result_clear(&fr);
    lmo_fast_khk_clear(&f);
    return rc;
}

/* The theorem objects are lmo's reading of the paper, not claims lmo-check certifies. */
static const char *const khk_report[] = {"theorems", "prop2", "thm2", NULL};

const lmo_kind_t lmo_kind_khk = {
    .kind = "khk", .state_size = sizeof(khk_state), .exact = khk_exact, .clear = khk_clear,
    .verdict = khk_verdict, .certificate = khk_certificate, .failed = khk_failed, .shape = khk_shape, .text = khk_text,
    .flags = khk_flags, .fast_policy = khk_fast_policy, .report = khk_report};
