/*
 * `lmo classify`: exact critical-point classification of a deep_linear vector
 * (Kawaguchi 2016, Theorem 2.3 / Corollary 2.4; lmo/deep_linear.h) with its
 * certificate, and the fast tier's twin (lmo_fast/deep_linear.h) for
 * `lmo compare`, `lmo bless`, `lmo gen` and `lmo check`.
 *
 * Entry points for the dispatcher (cli/lmo.c) and the kind table
 * (cli/kinds.c), same shape as cmd_mnn.c:
 *   int lmo_cmd_classify(int argc, char **argv);
 *   int lmo_compare_deep_linear(const lmo_vector_t v, const char *file, const lmo_cli_opts *o);
 *   int lmo_kind_deep_linear_exact(json_t **expect, json_t **cert, const lmo_vector_t v,
 *                                  const lmo_cli_opts *o, lmo_err_t *err);
 *   int lmo_kind_deep_linear_fast(json_t **fast, const lmo_vector_t v,
 *                                 const lmo_fast_policy_t *pols, int npol,
 *                                 const lmo_cli_opts *o, lmo_err_t *err);
 *   void lmo_kind_deep_linear_flags(json_t *flags, const json_t *expect, const json_t *fast);
 *
 * Fast-tier policies for this kind: the eigenvalue tolerance of the Hessian
 * (DESIGN.md "for definiteness"): numpy and qrcp use max|lambda| * n * eps,
 * abs:T uses T, rel:R uses R * max|lambda|; gradient and loss tolerances are
 * those of lmo_fast/deep_linear.h.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "kinds.h"
#include "lmo/deep_linear.h"
#include "lmo_fast/deep_linear.h"

int lmo_cmd_classify(int argc, char **argv);
int lmo_compare_deep_linear(const lmo_vector_t v, const char *file, const lmo_cli_opts *o);
int lmo_kind_deep_linear_exact(json_t **expect, json_t **cert, const lmo_vector_t v,
                               const lmo_cli_opts *o, lmo_err_t *err);
int lmo_kind_deep_linear_fast(json_t **fast, const lmo_vector_t v, const lmo_fast_policy_t *pols,
                              int npol, const lmo_cli_opts *o, lmo_err_t *err);
void lmo_kind_deep_linear_flags(json_t *flags, const json_t *expect, const json_t *fast);

static const char CLASSIFY_USAGE[] =
"usage: lmo classify [options] FILE...\n"
"\n"
"Exact classification of the point of each deep_linear vector (Kawaguchi 2016):\n"
"the hypotheses of Theorem 2.3, loss and gradient (Lemma 4.1), the Hessian by the\n"
"block formulas of Lemma 4.3 and its exact inertia (LDL^T over Q), the global\n"
"minimum value and whether the point attains it (a rational separator tau of\n"
"Sigma's eigenvalues on range(C) and off it), the class (not_critical,\n"
"global_min, strict_saddle, bad_saddle, local_min_not_global, local_max,\n"
"unknown), rank(WH...W2) against p, and the checks of Theorem 2.3 (ii)-(iv)\n"
"and Corollary 2.4. Saddles come with an escape curve along which the loss\n"
"decreases, verified exactly in Q[t]. FILE may be - for stdin.\n"
"\n"
"options:\n"
"  --json           one JSON object per input on stdout: id, file and the\n"
"                   expect keys of kind deep_linear (class, critical, loss, ...)\n"
"  --cert FILE      write the certificate (lmo-cert/1, claim deep_linear); with\n"
"                   several inputs FILE is a directory (ID.cert.json per input)\n"
"  --seed S         seed of the escape-curve search and of certificate primes\n"
"  --quiet          print nothing but errors\n"
"  --max-entries N, --max-bits N, --max-dim N: input caps (exit 3 beyond; the\n"
"                   n x n Hessian counts against --max-entries)\n"
"\n"
"exit: 0 classified, theorem consistent (and equal to expect when present);\n"
"1 a theorem_violation or a mismatch with expect; 2 bad input or usage;\n"
"3 limit or internal error.\n";

/* ------------------------------------------------------------ helpers */

static int load(lmo_deep_linear_t dl, const lmo_vector_t v, const lmo_cli_opts *o, lmo_err_t *err)
{
    if (strcmp(v->kind, "deep_linear") != 0)
        return lmo_err_set(err, LMO_EINPUT, "kind: \"%s\" is not deep_linear", v->kind);
    return lmo_deep_linear_input_set_json(dl, v->input, &o->lim, err);
}

static int run_exact(lmo_dl_result_t r, const lmo_deep_linear_t dl, const lmo_cli_opts *o,
                     lmo_err_t *err)
{
    lmo_dl_opts_t opts;
    lmo_dl_opts_default(&opts);
    opts.seed = o->seed;
    return lmo_deep_linear_classify(r, dl, &opts, &o->lim, err);
}

static json_t *hexd(double x)
{
    char b[64];
    snprintf(b, sizeof b, "%a", x);
    return json_string(b);
}

static const char *tri_word(int s)
{
    return s == LMO_DL_HOLDS ? "holds" : s == LMO_DL_VIOLATED ? "VIOLATED" : "n/a";
}

static void print_human(const lmo_vector_t v, const lmo_deep_linear_t dl, const lmo_dl_result_t r)
{
    printf("%s: deep_linear H=%ld widths", v->id, (long) dl->H);
    for (slong k = 0; k <= dl->H + 1; k++) printf("%s%ld", k ? "," : " ", (long) dl->d[k]);
    printf(", m=%ld, %ld parameters\n", (long) dl->m, (long) r->n);
    printf("  hypotheses of Theorem 2.3: %s (XX^T full rank %s, XY^T full rank %s, dy <= dx %s, "
           "Sigma distinct eigenvalues %s)\n", r->hyp.hold ? "hold" : "FAIL",
           r->hyp.xxt_full_rank ? "yes" : "no", r->hyp.xyt_full_rank ? "yes" : "no",
           r->hyp.dy_le_dx ? "yes" : "no", r->hyp.sigma_distinct ? "yes" : "no");
    char *ls = lmo_q_get_str(r->loss);
    printf("  loss %s, %s", ls, r->critical ? "critical" : "NOT critical");
    flint_free(ls);
    if (!r->critical) {
        char *gs = lmo_q_get_str(r->grad_value);
        printf(" (gradient entry %ld = %.60s%s)", (long) r->grad_index, gs, strlen(gs) > 60 ? "..." : "");
        flint_free(gs);
    }
    if (r->gmin_rational) {
        char *gs = lmo_q_get_str(r->gmin_value);
        printf("; global minimum value %s\n", gs);
        flint_free(gs);
    } else {
        printf("; global minimum value (tr(YY^T) - sum of the %ld largest eigenvalues of Sigma)/2 "
               "in [%.6g, %.6g]\n", (long) r->q, fmpq_get_d(r->gmin_lo), fmpq_get_d(r->gmin_hi));
    }
    printf("  Hessian inertia: %ld positive, %ld negative, %ld zero; rank(WH...W2) = %ld, p = %ld\n",
           (long) r->npos, (long) r->nneg, (long) r->nzero, (long) r->rank_mid, (long) r->p);
    printf("  class: %s", lmo_dl_class_name(r->cls));
    if (r->cls == LMO_DL_UNKNOWN) printf(" (%s)", r->reason);
    else if (r->cls == LMO_DL_GLOBAL_MIN) {
        char *ts = lmo_q_get_str(r->tau);
        printf(" (separator tau = %s%s)", ts, r->tau_strict ? "" : ", tied eigenvalue");
        flint_free(ts);
    } else if (r->ndesc > 0) {
        slong ord = 0;
        lmo_poly_leading_change(&ord, r->desc_poly);
        printf(" (loss decreases at order t^%ld along a %s curve)", (long) ord,
               r->ndesc == 1 ? "straight" : "quadratic");
    }
    printf("\n  theorem: (ii) %s, (iii) %s, (iv) %s, Corollary 2.4 %s%s%s\n",
           tri_word(r->thm_ii), tri_word(r->thm_iii), tri_word(r->thm_iv), tri_word(r->thm_cor24),
           r->thm_applicable ? "" : " (hypotheses fail: not applicable)",
           r->violation ? "  -- THEOREM VIOLATION" : "");
}

static int write_cert(const lmo_dl_result_t r, const char *id, const char *file, const lmo_cli_opts *o)
{
    return o->cert ? lmo_cli_write_cert(lmo_deep_linear_cert_to_json(r, id), id, file, o) : 0;
}

int lmo_cmd_classify(int argc, char **argv)
{
    lmo_cli_opts o;
    int rc = lmo_cli_start(&o, argc, argv, CLASSIFY_USAGE, 1), worst = 0;
    if (rc >= 0) return rc;
    for (int f = 0; f < o.nfiles; f++) {
        const char *file = o.files[f];
        lmo_err_t err;
        lmo_err_clear(&err);
        lmo_vector_t v;
        lmo_vector_init(v);
        if (lmo_vector_read_file(v, file, &o.lim, &err)) {
            rc = lmo_cli_report(file, &err);   /* not inside FLINT_MAX: it evaluates twice */
            worst = FLINT_MAX(worst, rc);
            lmo_vector_clear(v);
            continue;
        }
        lmo_deep_linear_t dl;
        if (load(dl, v, &o, &err)) {
            rc = lmo_cli_report(file, &err);
            worst = FLINT_MAX(worst, rc);
            lmo_vector_clear(v);
            continue;
        }
        lmo_dl_result_t r;
        lmo_dl_result_init(r);
        lmo_cli_progress("%s: classifying a point with %ld parameters...", file,
                         (long) lmo_deep_linear_nparams(dl));
        rc = run_exact(r, dl, &o, &err);
        lmo_cli_progress("%s", "");
        if (rc) rc = lmo_cli_report(file, &err);
        if (rc == 0) rc = write_cert(r, v->id, file, &o);
        if (rc == 0) {
            json_t *got = lmo_deep_linear_result_to_json(r), *problems = json_array();
            if (v->expect) lmo_cli_diff_members(problems, v->expect, got, "expect");
            if (r->violation || json_array_size(problems) > 0) rc = 1;
            if (o.json) {
                json_t *j = json_deep_copy(got);
                json_object_set_new(j, "id", json_string(v->id));
                json_object_set_new(j, "file", json_string(file));
                if (json_array_size(problems) > 0) json_object_set(j, "expect_mismatch", problems);
                lmo_cli_print_json(j);
                json_decref(j);
            } else if (!o.quiet) {
                print_human(v, dl, r);
                size_t i;
                json_t *pr;
                json_array_foreach(problems, i, pr) printf("  MISMATCH: %s\n", json_string_value(pr));
            }
            json_decref(got);
            json_decref(problems);
        }
        lmo_dl_result_clear(r);
        lmo_deep_linear_clear(dl);
        lmo_vector_clear(v);
        worst = FLINT_MAX(worst, rc);
    }
    lmo_cli_opts_clear(&o);
    return worst;
}

/* ------------------------------------------------------------ fast tier */

static void fast_policy(lmo_fast_dl_policy_t *fp, const lmo_fast_policy_t *pol)
{
    memset(fp, 0, sizeof *fp);
    if (pol->kind == LMO_FAST_ABS) fp->eig_tol = pol->param;
    else if (pol->kind == LMO_FAST_REL) fp->eig_rel = pol->param;
}

/* The point in doubles (correctly rounded); 1 if some entry overflows. */
static int to_fast(lmo_fast_dl_t *f, const lmo_deep_linear_t dl)
{
    long *d = malloc(sizeof(long) * (size_t) (dl->H + 2));
    for (slong k = 0; k <= dl->H + 1; k++) d[k] = dl->d[k];
    int overflow = 0, ov;
    lmo_fast_dl_init(f, dl->H, d, dl->m);
    free(d);
    double *t = lmo_cli_mat_to_double(dl->X, &ov);
    memcpy(f->X, t, sizeof(double) * (size_t) (dl->d[0] * dl->m));
    free(t);
    overflow |= ov;
    t = lmo_cli_mat_to_double(dl->Y, &ov);
    memcpy(f->Y, t, sizeof(double) * (size_t) (dl->d[dl->H + 1] * dl->m));
    free(t);
    overflow |= ov;
    for (slong k = 0; k <= dl->H; k++) {
        t = lmo_cli_mat_to_double(dl->W + k, &ov);
        memcpy(f->W[k], t, sizeof(double) * (size_t) (dl->d[k + 1] * dl->d[k]));
        free(t);
        overflow |= ov;
    }
    return overflow;
}

/* The float decisions (class, critical, inertia) and, when `values`, the
 * doubles behind them. A vector's stored `fast` keeps the decisions only:
 * the doubles move in their last bits with the BLAS kernel a CPU selects,
 * which is not the change float_changed is meant to report. */
static json_t *fast_json(const lmo_fast_dl_result_t *fr, int values)
{
    json_t *j = json_object(), *in = json_object();
    json_object_set_new(j, "class", json_string(lmo_fast_dl_class_name(fr->cls)));
    json_object_set_new(j, "critical", json_boolean(fr->grad_norm <= fr->grad_tol));
    if (values) {
        json_object_set_new(j, "loss", hexd(fr->loss));
        json_object_set_new(j, "global_min_value", hexd(fr->gmin));
        json_object_set_new(j, "grad_norm", hexd(fr->grad_norm));
        json_object_set_new(j, "grad_tol", hexd(fr->grad_tol));
        json_object_set_new(j, "eig_min", hexd(fr->eig_min));
        json_object_set_new(j, "eig_max", hexd(fr->eig_max));
        json_object_set_new(j, "eig_tol", hexd(fr->eig_tol));
    }
    json_object_set_new(in, "positive", json_integer(fr->npos));
    json_object_set_new(in, "negative", json_integer(fr->nneg));
    json_object_set_new(in, "zero", json_integer(fr->nzero));
    json_object_set_new(j, "hessian_inertia", in);
    return j;
}

/* Why the fast class differs from the exact one: the quantity, the
 * tolerance, and how far from it. */
static void explain(char *out, size_t cap, const lmo_dl_result_t r, const lmo_fast_dl_result_t *fr)
{
    int fcrit = fr->grad_norm <= fr->grad_tol;
    if (fcrit != r->critical) {
        if (r->critical)
            snprintf(out, cap, "float gradient norm %.3e > grad_tol %.3e (%.3g times above), but the "
                     "exact gradient is zero: rounding noise", fr->grad_norm, fr->grad_tol,
                     fr->grad_norm / fr->grad_tol);
        else
            snprintf(out, cap, "float gradient norm %.3e <= grad_tol %.3e, but the exact gradient is "
                     "not zero (entry %ld = %.3e): the tolerance hides it", fr->grad_norm,
                     fr->grad_tol, (long) r->grad_index, fmpq_get_d(r->grad_value));
        return;
    }
    if ((fr->nneg > 0) != (r->nneg > 0)) {
        if (r->nneg > 0)
            snprintf(out, cap, "exactly the Hessian has %ld negative eigenvalue%s, but float "
                     "lambda_min = %.3e >= -eig_tol = %.3e counts %s", (long) r->nneg,
                     r->nneg == 1 ? "" : "s", fr->eig_min, -fr->eig_tol,
                     fabs(fr->eig_min) <= fr->eig_tol ? "as zero" : "as positive");
        else
            snprintf(out, cap, "float lambda_min = %.3e < -eig_tol = %.3e (%.3g times the "
                     "tolerance), but the exact Hessian has no negative eigenvalue: rounding noise "
                     "on an exact zero", fr->eig_min, -fr->eig_tol, fabs(fr->eig_min) / fr->eig_tol);
        return;
    }
    if (r->critical && r->nneg == 0) {
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
                     fr->nzero, fr->eig_tol, (long) r->nzero);
        return;
    }
    snprintf(out, cap, "the exact class is %s%s%s", lmo_dl_class_name(r->cls),
             r->cls == LMO_DL_UNKNOWN ? ": " : "", r->cls == LMO_DL_UNKNOWN ? r->reason : "");
}

int lmo_compare_deep_linear(const lmo_vector_t v, const char *file, const lmo_cli_opts *o)
{
    lmo_err_t err;
    lmo_err_clear(&err);
    lmo_deep_linear_t dl;
    if (load(dl, v, o, &err)) return lmo_cli_report(file, &err);
    lmo_dl_result_t r;
    lmo_dl_result_init(r);
    int rc = run_exact(r, dl, o, &err);
    if (rc) rc = lmo_cli_report(file, &err);
    if (rc == 0) rc = write_cert(r, v->id, file, o);
    if (rc == 0) {
        lmo_fast_policy_t pols[LMO_CLI_MAX_POLICIES];
        int npol = o->npolicies;
        if (npol) memcpy(pols, o->policies, sizeof(lmo_fast_policy_t) * (size_t) npol);
        else { lmo_fast_policy_parse(&pols[0], "numpy"); npol = 1; }
        lmo_fast_dl_t f;
        int overflow = to_fast(&f, dl), ndis = 0;
        json_t *jp = json_object();
        if (!o->json && !o->quiet)
            printf("%s (deep_linear, %ld parameters): exact class %s, inertia (+%ld, -%ld, 0:%ld)\n",
                   v->id, (long) r->n, lmo_dl_class_name(r->cls), (long) r->npos, (long) r->nneg,
                   (long) r->nzero);
        for (int p = 0; p < npol && rc == 0; p++) {
            json_t *jx;
            if (overflow) {
                ndis++;
                jx = json_pack("{s:n, s:b, s:s}", "class", "agree", 0, "why", "an entry overflows double");
                if (!o->json && !o->quiet)
                    printf("  %-12s DISAGREE: an entry overflows double precision\n", pols[p].name);
                json_object_set_new(jp, pols[p].name, jx);
                continue;
            }
            lmo_fast_dl_policy_t fp;
            lmo_fast_dl_result_t fr;
            fast_policy(&fp, &pols[p]);
            if (lmo_fast_dl_classify(&fr, &f, &fp) != 0) {
                lmo_err_set(&err, LMO_ELIMIT, "LAPACK failed under policy %s (info %d)",
                            pols[p].name, fr.info);
                rc = lmo_cli_report(file, &err);
                break;
            }
            jx = fast_json(&fr, 1);
            int agree = fr.cls == (int) r->cls;
            json_object_set_new(jx, "agree", json_boolean(agree));
            if (!agree) {
                char why[600];
                ndis++;
                explain(why, sizeof why, r, &fr);
                json_object_set_new(jx, "why", json_string(why));
                if (!o->json && !o->quiet)
                    printf("  %-12s %-20s DISAGREE: %s\n", pols[p].name,
                           lmo_fast_dl_class_name(fr.cls), why);
            } else if (!o->json && !o->quiet) {
                printf("  %-12s %-20s agree\n", pols[p].name, lmo_fast_dl_class_name(fr.cls));
            }
            json_object_set_new(jp, pols[p].name, jx);
        }
        if (rc == 0 && ndis) rc = 1;
        if (o->json) {
            json_t *j = json_pack("{s:s, s:s, s:s, s:s, s:O, s:b}", "id", v->id, "file", file,
                                  "kind", v->kind, "class", lmo_dl_class_name(r->cls),
                                  "fast", jp, "agree", ndis == 0);
            lmo_cli_print_json(j);
            json_decref(j);
        }
        json_decref(jp);
        lmo_fast_dl_clear(&f);
    }
    lmo_dl_result_clear(r);
    lmo_deep_linear_clear(dl);
    return rc;
}

/* ------------------------------------------------------------ kind table */

int lmo_kind_deep_linear_exact(json_t **expect, json_t **cert, const lmo_vector_t v,
                               const lmo_cli_opts *o, lmo_err_t *err)
{
    lmo_deep_linear_t dl;
    if (load(dl, v, o, err)) return err->code;
    lmo_dl_result_t r;
    lmo_dl_result_init(r);
    int rc = run_exact(r, dl, o, err);
    if (rc == LMO_OK) {
        *expect = lmo_deep_linear_result_to_json(r);
        *cert = lmo_deep_linear_cert_to_json(r, v->id);
    }
    lmo_dl_result_clear(r);
    lmo_deep_linear_clear(dl);
    return rc;
}

int lmo_kind_deep_linear_fast(json_t **fast, const lmo_vector_t v, const lmo_fast_policy_t *pols,
                              int npol, const lmo_cli_opts *o, lmo_err_t *err)
{
    lmo_deep_linear_t dl;
    if (load(dl, v, o, err)) return err->code;
    lmo_fast_dl_t f;
    int overflow = to_fast(&f, dl), rc = LMO_OK;
    *fast = json_object();
    for (int p = 0; p < npol; p++) {
        if (overflow) {
            json_object_set_new(*fast, pols[p].name, json_pack("{s:n, s:s}", "class", "why", "overflow"));
            continue;
        }
        lmo_fast_dl_policy_t fp;
        lmo_fast_dl_result_t fr;
        fast_policy(&fp, &pols[p]);
        if (lmo_fast_dl_classify(&fr, &f, &fp) != 0) {
            rc = lmo_err_set(err, LMO_ELIMIT, "LAPACK failed under policy %s (info %d)",
                             pols[p].name, fr.info);
            break;
        }
        json_object_set_new(*fast, pols[p].name, fast_json(&fr, 0));
    }
    lmo_fast_dl_clear(&f);
    lmo_deep_linear_clear(dl);
    if (rc) { json_decref(*fast); *fast = NULL; }
    return rc;
}

/* FloatDisagrees when some policy's class differs from the exact class;
 * TheoremViolation when the exact verdict contradicts Theorem 2.3. */
void lmo_kind_deep_linear_flags(json_t *flags, const json_t *expect, const json_t *fast)
{
    const char *cls = json_string_value(json_object_get(expect, "class"));
    const char *key; json_t *val;
    int dis = 0;
    json_object_foreach((json_t *) fast, key, val) {
        const char *fc = json_string_value(json_object_get(val, "class"));
        if (cls == NULL || fc == NULL || strcmp(cls, fc) != 0) dis = 1;
    }
    if (dis) json_array_append_new(flags, json_string("FloatDisagrees"));
    json_t *th = json_object_get(expect, "theorem_consistency");
    if (json_is_true(json_object_get(th, "violation")))
        json_array_append_new(flags, json_string("TheoremViolation"));
}

/* The checks of Theorem 2.3 and Corollary 2.4, and the reason of an unknown
 * class, are lmo's reading of the paper, not claims lmo-check certifies. */
void lmo_kind_deep_linear_split(json_t *expect, json_t *report)
{
    static const char *const paths[] = { "theorem_consistency", "reason", NULL };
    lmo_kind_move_members(expect, report, paths);
}
