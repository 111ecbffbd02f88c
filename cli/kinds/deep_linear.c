/* Kind deep_linear: a point of a deep linear network (Kawaguchi 2016, Section 2) classified
 * exactly (lmo/kawaguchi/deep_linear.h: hypotheses of Theorem 2.3, loss and gradient, Hessian inertia,
 * the global minimum value, the class with its escape curve, the theorem's statements) and
 * in double under a policy's tolerances (lmo_fast/deep_linear.h). A vector stores the
 * float decisions only; the doubles behind them go to "detail" (their last bits follow the
 * BLAS kernel a CPU selects). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "kind.h"
#include "lmo/kawaguchi/deep_linear.h"
#include "lmo_fast/deep_linear.h"

typedef struct {
    lmo_deep_linear_t dl;
    lmo_dl_result_t r;
    int ready;      /* dl and r initialised */
    lmo_near_critical_t nc;   /* the near-critical report (issue 20), when not critical */
    int have_nc;    /* nc initialised (and filled when exact returned LMO_OK) */
} dl_state;

static int dl_exact(void *p, const lmo_vector_t v, const lmo_cli_opts *o, lmo_err_t *err)
{
    dl_state *s = p;
    lmo_dl_opts_t opts;
    lmo_dl_opts_default(&opts);
    /* the test hook of lmo/kawaguchi/deep_linear.h: deliberately wrong intermediates, so the
     * tests can show each theorem check failing (tests/unit/test_deep_linear_cli.c) */
    const char *hook = getenv("LMO_DL_CORRUPT");
    if (hook && *hook && (opts.corrupt = lmo_dl_corrupt_parse(hook)) < 0)
        return lmo_err_set(err, LMO_EINPUT, "LMO_DL_CORRUPT: unknown name in \"%s\"", hook);
    if (lmo_deep_linear_input_set_json(s->dl, v->input, &o->lim, err)) return err->code;
    lmo_dl_result_init(s->r);
    s->ready = 1;
    opts.seed = o->seed;
    int rc = lmo_deep_linear_classify(s->r, s->dl, &opts, &o->lim, err);
    if (rc == LMO_OK && !s->r->critical) {   /* a float-trained point: how near, what curvature */
        lmo_near_critical_init(s->nc);
        s->have_nc = 1;
        rc = lmo_deep_linear_near_critical(s->nc, s->dl, s->r, LMO_NEAR_CRITICAL_PREC_CAP, err);
    }
    return rc;
}

static json_t *dl_verdict(const void *p)
{
    const dl_state *s = p;
    json_t *j = lmo_deep_linear_result_to_json(s->r);
    if (s->have_nc) json_object_set_new(j, "near_critical", lmo_near_critical_to_json(s->nc));
    return j;
}

static json_t *dl_certificate(const void *p, const char *id)
{
    return lmo_deep_linear_cert_to_json(((const dl_state *)p)->r, id);
}

static int dl_failed(const void *p)
{
    return ((const dl_state *)p)->r->violation;
}

static void dl_shape(FILE *f, const void *p)
{
    const dl_state *s = p;
    lmo_cli_print_depth_widths(f, s->dl->H, s->dl->d, s->dl->m);
    fprintf(f, ", %ld parameters", (long)s->r->n);
}

/* How an escape curve was made, for the class line. */
static const char *curve_words(int method, slong nd)
{
    switch (method) {
    case LMO_DL_ESCAPE_PATH: return "a straight line through dead directions";
    case LMO_DL_ESCAPE_GAUGE: return "a loss-preserving perturbation and a gradient step";
    case LMO_DL_ESCAPE_NEGATIVE: return "the negative-curvature direction";
    default: return nd == 1 ? "a straight line" : "a polynomial curve";
    }
}

static void print_float_view(FILE *f, const dl_state *s);

static void dl_text(FILE *f, const void *p, const lmo_cli_opts *o)
{
    const dl_state *s = p;
    const lmo_dl_result_struct *r = s->r;
    (void)o;
    fprintf(f, "  hypotheses of Theorem 2.3: %s (XX^T full rank %s, XY^T full rank %s, dy <= dx "
            "%s, Sigma distinct eigenvalues %s)\n", r->hyp.hold ? "hold" : "FAIL",
            r->hyp.xxt_full_rank ? "yes" : "no", r->hyp.xyt_full_rank ? "yes" : "no",
            r->hyp.dy_le_dx ? "yes" : "no", r->hyp.sigma_distinct ? "yes" : "no");
    fprintf(f, "  loss ");
    lmo_cli_print_q(f, r->loss);
    fprintf(f, ", %s", r->critical ? "critical" : "NOT critical");
    if (!r->critical) {
        fprintf(f, " (gradient entry %ld = ", (long)r->grad_index);
        lmo_cli_print_q(f, r->grad_value);
        fprintf(f, ")");
    }
    fprintf(f, "\n  global minimum value ");
    if (r->gmin_rational) {
        lmo_cli_print_q(f, r->gmin_value);
    } else {
        fprintf(f, "(tr(YY^T) - sum of the %ld largest eigenvalues of Sigma)/2 in [", (long)r->q);
        lmo_cli_print_q(f, r->gmin_lo);
        fprintf(f, ", ");
        lmo_cli_print_q(f, r->gmin_hi);
        fprintf(f, "]");
    }
    fprintf(f, "\n  Hessian inertia: ");
    lmo_cli_print_inertia(f, r->npos, r->nneg, r->nzero);
    fprintf(f, "; rank(WH...W2) = %ld, p = %ld\n  class: %s", (long)r->rank_mid, (long)r->p,
            lmo_dl_class_name(r->cls));
    if (r->cls == LMO_DL_UNKNOWN) {
        fprintf(f, " (%s)", r->reason);
    } else if (r->cls == LMO_DL_GLOBAL_MIN) {
        fprintf(f, " (separator tau = ");
        lmo_cli_print_q(f, r->tau);
        fprintf(f, "%s)", r->tau_strict ? "" : ", tied eigenvalue");
    } else if (r->ndesc > 0) {
        slong ord = 0;
        lmo_poly_leading_change(&ord, r->desc_poly);
        fprintf(f, " (loss falls at order t^%ld along %s)", (long)ord, curve_words(r->desc_method, r->ndesc));
    }
    fprintf(f, "\n");
    if (s->have_nc) {
        lmo_kind_print_near_critical(f, s->nc);
        print_float_view(f, s);
    }
    for (int i = 0; i < LMO_DL_NTHM; i++) lmo_cli_print_theorem(f, r->thm + i);
}

/* ---- the fast tier ---- */

/* The point in doubles (correctly rounded); 1 if some entry overflows. */
static int to_fast(lmo_fast_dl_t *f, const lmo_deep_linear_struct *dl)
{
    lmo_fast_dl_init(f, dl->H, dl->d, dl->m);
    return lmo_cli_point_into_double(f->X, f->Y, f->W, dl->X, dl->Y, dl->W, dl->H + 1);
}

/* Why the float class differs from the exact one: the quantity, the tolerance, how far. */
static void explain(char *out, size_t cap, const lmo_dl_result_struct *r, const lmo_fast_dl_result_t *fr)
{
    int fcrit = fr->grad_norm <= fr->grad_tol;
    if (fcrit != r->critical) {
        char why_not[80];
        snprintf(why_not, sizeof why_not, "entry %ld = %.3e", (long)r->grad_index,
                 lmo_cli_q_to_d(r->grad_value, NULL));
        lmo_kind_explain_gradient(out, cap, fr->grad_norm, fr->grad_tol, r->critical, why_not);
    } else if ((fr->nneg > 0) != (r->nneg > 0)) {
        if (r->nneg > 0)
            snprintf(out, cap, "exactly the Hessian has %ld negative eigenvalue%s, but float "
                     "lambda_min = %.3e >= -eig_tol = %.3e counts %s", (long)r->nneg,
                     r->nneg == 1 ? "" : "s", fr->eig_min, -fr->eig_tol,
                     fabs(fr->eig_min) <= fr->eig_tol ? "as zero" : "as positive");
        else
            snprintf(out, cap, "float lambda_min = %.3e < -eig_tol = %.3e (%.3g times the "
                     "tolerance), but the exact Hessian has no negative eigenvalue: rounding noise "
                     "on an exact zero", fr->eig_min, -fr->eig_tol, fabs(fr->eig_min) / fr->eig_tol);
    } else if (r->critical && r->nneg == 0) {
        int fglob = fr->cls == LMO_FAST_DL_GLOBAL_MIN;
        if (fglob && r->is_global == 0)
            snprintf(out, cap, "float |L - L*| = %.3e <= loss_tol %.3e, but exactly the point is not "
                     "a global minimum", fabs(fr->loss - fr->gmin), fr->loss_tol);
        else if (!fglob && r->is_global == 1)
            snprintf(out, cap, "float |L - L*| = %.3e > loss_tol %.3e, but exactly L = L* (certified "
                     "by the separator tau)", fabs(fr->loss - fr->gmin), fr->loss_tol);
        else
            snprintf(out, cap, "float calls the Hessian %s (%ld zero eigenvalues under eig_tol %.3e); "
                     "exactly %ld are zero", fr->nzero == 0 ? "positive definite" : "singular",
                     fr->nzero, fr->eig_tol, (long)r->nzero);
    } else {
        snprintf(out, cap, "the exact class is %s%s%s", lmo_dl_class_name(r->cls),
                 r->cls == LMO_DL_UNKNOWN ? ": " : "", r->cls == LMO_DL_UNKNOWN ? r->reason : "");
    }
}

static int dl_fast_policy(json_t *out, const void *p, void *in, const lmo_fast_policy_t *pol,
                          lmo_err_t *err)
{
    const dl_state *s = p;
    lmo_fast_dl_policy_t fp;
    lmo_fast_dl_result_t fr;
    lmo_fast_dl_t f;
    int overflow = to_fast(&f, s->dl), failed = 0;
    (void)in;
    memset(&fp, 0, sizeof fp);
    if (pol->kind == LMO_FAST_ABS) fp.eig_tol = pol->param;
    else if (pol->kind == LMO_FAST_REL) fp.eig_rel = pol->param;
    if (!overflow) failed = lmo_fast_dl_classify(&fr, &f, &fp) != 0;
    lmo_fast_dl_clear(&f);
    if (overflow) return LMO_KIND_OVERFLOW;
    if (failed)
        return lmo_err_set(err, LMO_ELIMIT, "LAPACK failed under policy %s (info %d)", pol->name, fr.info);
    json_t *dec = json_pack("{s:s, s:b, s:{s:I, s:I, s:I}}", "class", lmo_fast_dl_class_name(fr.cls),
                            "critical", fr.grad_norm <= fr.grad_tol, "hessian_inertia",
                            "positive", (json_int_t)fr.npos, "negative", (json_int_t)fr.nneg,
                            "zero", (json_int_t)fr.nzero);
    json_t *detail = json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "loss", lmo_cli_hexd(fr.loss),
                               "global_min_value", lmo_cli_hexd(fr.gmin), "grad_norm",
                               lmo_cli_hexd(fr.grad_norm), "grad_tol", lmo_cli_hexd(fr.grad_tol),
                               "eig_min", lmo_cli_hexd(fr.eig_min), "eig_max", lmo_cli_hexd(fr.eig_max),
                               "eig_tol", lmo_cli_hexd(fr.eig_tol));
    json_t *dis = lmo_kind_fast_entry(out, pol->name, dec, detail);
    if (fr.cls != (int)s->r->cls) {
        char why[600];
        explain(why, sizeof why, s->r, &fr);
        json_array_append_new(dis, json_string(why));
    }
    return LMO_OK;
}

/* ---- the fast tier's view of a near-critical point (text and --json "info"; never stored
 * in a vector: its last bits follow the BLAS kernel) ---- */

typedef struct {
    int ok;                 /* 0: overflow or LAPACK failed */
    lmo_fast_dl_result_t fr;   /* the default policy's decisions */
    long n;
    double *eig;            /* the n float Hessian eigenvalues, ascending */
} float_view;

static void float_view_compute(float_view *v, const dl_state *s)
{
    lmo_fast_dl_t f;
    memset(v, 0, sizeof *v);
    int overflow = to_fast(&f, s->dl);
    v->n = lmo_fast_dl_nparams(&f);
    v->eig = malloc(sizeof(double) * (size_t)(v->n > 0 ? v->n : 1));
    if (!overflow && lmo_fast_dl_classify(&v->fr, &f, NULL) == 0) {
        double *Hs = malloc(sizeof(double) * (size_t)(v->n > 0 ? v->n * v->n : 1));
        lmo_fast_dl_hessian(Hs, &f);
        v->ok = lmo_fast_dl_eigvalsh(v->eig, Hs, v->n) == 0;
        free(Hs);
    }
    lmo_fast_dl_clear(&f);
}

/* A float eigenvalue for a person: its digits, unless the policy calls it zero -- then only
 * that, since those digits are rounding noise that moves with the build (ASan, -O, FMA). */
static const char *float_eig_words(char *buf, size_t cap, double x, double tol)
{
    if (fabs(x) <= tol) snprintf(buf, cap, "(within eig_tol of 0)");
    else snprintf(buf, cap, "%.4g", x);
    return buf;
}

static void print_float_view(FILE *f, const dl_state *s)
{
    float_view v;
    float_view_compute(&v, s);
    if (!v.ok) {
        fprintf(f, "    float view: not available (an input overflows double, or LAPACK failed)\n");
    } else {
        char lo[48], hi[48];
        fprintf(f, "    float view (default policy): gradient norm %.3g %s grad_tol %.3g (%s); "
                "eigenvalues %s ... %s, under eig_tol %.3g: %ld negative, %ld positive, %ld "
                "zero; class %s\n", v.fr.grad_norm, v.fr.grad_norm <= v.fr.grad_tol ? "<=" : ">",
                v.fr.grad_tol, v.fr.grad_norm <= v.fr.grad_tol ? "called critical" : "not critical",
                float_eig_words(lo, sizeof lo, v.n ? v.eig[0] : 0.0, v.fr.eig_tol),
                float_eig_words(hi, sizeof hi, v.n ? v.eig[v.n - 1] : 0.0, v.fr.eig_tol),
                v.fr.eig_tol, v.fr.nneg, v.fr.npos, v.fr.nzero, lmo_fast_dl_class_name(v.fr.cls));
    }
    free(v.eig);
}

static json_t *dl_info(const void *p)
{
    const dl_state *s = p;
    if (!s->have_nc) return NULL;
    float_view v;
    float_view_compute(&v, s);
    json_t *j = json_null();
    if (v.ok) {
        json_t *eig = json_array();
        for (long i = 0; i < v.n; i++) json_array_append_new(eig, lmo_cli_hexd(v.eig[i]));
        j = json_pack("{s:o, s:o, s:o, s:o, s:{s:I, s:I, s:I}, s:s}", "gradient_norm",
                      lmo_cli_hexd(v.fr.grad_norm), "grad_tol", lmo_cli_hexd(v.fr.grad_tol),
                      "hessian_eigenvalues", eig, "eig_tol", lmo_cli_hexd(v.fr.eig_tol),
                      "hessian_inertia", "positive", (json_int_t)v.fr.npos, "negative",
                      (json_int_t)v.fr.nneg, "zero", (json_int_t)v.fr.nzero, "class",
                      lmo_fast_dl_class_name(v.fr.cls));
    }
    free(v.eig);
    return json_pack("{s:o}", "near_critical_float", j);
}

/* FloatDisagrees when some policy's class differs (the driver adds TheoremViolated). */
static void dl_flags(json_t *flags, const json_t *verdict, const json_t *fast)
{
    static const char *const keys[] = {"class", NULL};
    lmo_kind_flag_disagreement(flags, verdict, fast, keys);
}

/* The theorem objects (Theorem 2.3, Corollaries 2.4, 3.2, Lemmas 4.4-4.6), the reason of an
 * unknown class and the near-critical report (certified enclosures, but no claim of the
 * certificate) are lmo's reading of the paper, not claims lmo-check certifies. */
static const char *const dl_report[] = {"theorems", "reason", "near_critical", NULL};

/* Frees what exact made, whatever it returned. */
static void dl_clear(void *p)
{
    dl_state *s = p;
    if (s->ready) lmo_dl_result_clear(s->r), lmo_deep_linear_clear(s->dl);
    if (s->have_nc) lmo_near_critical_clear(s->nc);
}

const lmo_kind_t lmo_kind_deep_linear = {
    .kind = "deep_linear", .state_size = sizeof(dl_state), .exact = dl_exact,
    .clear = dl_clear, .verdict = dl_verdict, .certificate = dl_certificate,
    .failed = dl_failed, .fast_policy = dl_fast_policy, .shape = dl_shape, .text = dl_text,
    .flags = dl_flags, .report = dl_report, .info = dl_info};
