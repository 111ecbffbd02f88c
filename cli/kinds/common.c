/* What every kind file uses (cli/kinds/kind.h), and the table of kinds. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "kind.h"

/* Adding a kind: its file in this folder, its line in kind.h and one line in this table. */
static const lmo_kind_t *const KINDS[] = {
    &lmo_kind_matrix_rank, &lmo_kind_khatri_rao_rank, &lmo_kind_mnn, &lmo_kind_mnn_patterns,
    &lmo_kind_deep_linear, &lmo_kind_witness, &lmo_kind_khk, &lmo_kind_nguyen_hein, NULL};

const lmo_kind_t *lmo_kind_find(const char *kind)
{
    for (int i = 0; KINDS[i]; i++)
        if (strcmp(KINDS[i]->kind, kind) == 0) return KINDS[i];
    return NULL;
}

void lmo_kind_move_members(json_t *expect, json_t *report, const char *const *paths)
{
    for (; *paths; paths++) {
        const char *dot = strchr(*paths, '.');
        if (dot == NULL) {
            json_t *m = json_object_get(expect, *paths);
            if (m) json_object_set(report, *paths, m), json_object_del(expect, *paths);
            continue;
        }
        char head[64];
        snprintf(head, sizeof head, "%.*s", (int)(dot - *paths), *paths);
        json_t *from = json_object_get(expect, head), *m = json_object_get(from, dot + 1);
        if (m == NULL) continue;
        json_t *to = json_object_get(report, head);
        if (to == NULL) json_object_set_new(report, head, to = json_object());
        json_object_set(to, dot + 1, m);
        json_object_del(from, dot + 1);
    }
}

json_t *lmo_kind_fast_entry(json_t *out, const char *policy, json_t *decision, json_t *detail)
{
    json_t *dis = json_array();
    if (detail) json_object_set_new(decision, "detail", detail);
    json_object_set_new(decision, "disagreements", dis);
    json_object_set_new(out, policy, decision);
    return dis;
}

int lmo_kind_fast(json_t **out, const lmo_kind_t *k, const void *st, const lmo_fast_policy_t *pols,
                  int npol, lmo_err_t *err)
{
    void *in = NULL;
    int rc = k->fast_input ? k->fast_input(&in, st, pols, npol, err) : LMO_OK;
    int overflow = rc == LMO_KIND_OVERFLOW;
    *out = json_object();
    if (overflow) rc = LMO_OK;
    for (int p = 0; p < npol && rc == LMO_OK; p++) {
        int r = overflow ? LMO_KIND_OVERFLOW : k->fast_policy(*out, st, in, pols + p, err);
        if (r == LMO_KIND_OVERFLOW) { /* the doubles of the input do not exist */
            json_t *dis = lmo_kind_fast_entry(*out, pols[p].name,
                                              json_pack("{s:s}", "why", "an input overflows double"), NULL);
            json_array_append_new(dis, json_string("an input overflows double precision"));
        } else {
            rc = r;
        }
    }
    if (k->fast_clear) k->fast_clear(in, st);
    if (rc) json_decref(*out), *out = NULL;
    return rc;
}

void lmo_kind_flag_disagreement(json_t *flags, const json_t *verdict, const json_t *fast,
                                const char *const *keys)
{
    const char *key;
    json_t *val;
    int dis = 0;
    json_object_foreach((json_t *)fast, key, val) {
        for (int k = 0; keys[k]; k++) {
            json_t *a = json_object_get(verdict, keys[k]), *b = json_object_get(val, keys[k]);
            if (json_is_object(a) && json_object_get(a, "rank")) a = json_object_get(a, "rank");
            if (!a || !b || !json_equal(a, b)) dis = 1;
        }
    }
    if (dis) json_array_append_new(flags, json_string("FloatDisagrees"));
}

void lmo_kind_flag_theorems(json_t *flags, const json_t *verdict)
{
    const json_t *theorems = json_object_get(verdict, "theorems");
    int violated = 0, exceptional = 0;
    for (size_t i = 0; i < json_array_size(theorems); i++) {
        const char *o = json_string_value(json_object_get(json_array_get(theorems, i), "outcome"));
        violated |= o && !strcmp(o, "violated");
        exceptional |= o && !strcmp(o, "exceptional");
    }
    if (violated) json_array_append_new(flags, json_string("TheoremViolated"));
    if (exceptional) json_array_append_new(flags, json_string("Exceptional"));
}

static const char *threshold_formula(const lmo_fast_policy_t *p)
{
    switch (p->kind) {
    case LMO_FAST_NUMPY: return "sigma_max*max(m,n)*eps";
    case LMO_FAST_QRCP: return "|R_11|*max(m,n)*eps";
    case LMO_FAST_ABS: return "absolute T";
    default: return "R*sigma_max";
    }
}

void lmo_kind_explain_rank(char *out, size_t cap, const char *what, const lmo_fast_rank_t *fr,
                           slong r, const lmo_fast_policy_t *p)
{
    const char *val = p->kind == LMO_FAST_QRCP ? "|R_kk|" : "sigma_k";
    long k = fr->rank < r ? fr->rank : (long)r; /* the first value counted wrongly */
    double s = k < fr->nsv ? fr->sv[k] : 0;
    if (fr->rank < r)
        snprintf(out, cap, "%s: %s with k=%ld is %.3e <= threshold %.3e (%s), %.3g times below it; "
                 "exactly, the rank is %ld, so %ld more value%s non-zero", what, val, k + 1, s,
                 fr->threshold, threshold_formula(p), s > 0 ? fr->threshold / s : INFINITY, (long)r,
                 (long)(r - fr->rank), r - fr->rank > 1 ? "s are" : " is");
    else
        snprintf(out, cap, "%s: %s with k=%ld is %.3e > threshold %.3e (%s), %.3g times above it; "
                 "exactly, the rank is %ld, so that value is rounding noise on an exact zero", what,
                 val, k + 1, s, fr->threshold, threshold_formula(p),
                 fr->threshold > 0 ? s / fr->threshold : INFINITY, (long)r);
}

/* "= x" (eq) or "x" for an exact rational when short (returns 0), else "≈ decimal"
 * (returns 1: the exact value is in --json). */
static int print_q_short(FILE *f, const fmpq_t x, int eq)
{
    if (fmpz_sizeinbase(fmpq_numref(x), 10) + fmpz_sizeinbase(fmpq_denref(x), 10) <= 40) {
        if (eq) fprintf(f, "= ");
        lmo_cli_print_q(f, x);
        return 0;
    }
    arb_t a;
    char buf[64];
    arb_init(a);
    arb_set_fmpq(a, x, 128);
    lmo_arb_snprint_mid(buf, sizeof buf, a, 7);
    fprintf(f, "≈ %s", buf);
    arb_clear(a);
    return 1;
}

void lmo_kind_print_near_critical(FILE *f, const lmo_near_critical_struct *nc)
{
    char b[160];
    const lmo_eig_enclose_struct *E = nc->eig;
    fprintf(f, "  near-critical:\n");
    lmo_arb_snprint_mid(b, sizeof b, nc->grad_norm, 2);
    fprintf(f, "    gradient norm ≈ %s; |grad|^2 ", b);
    int abbreviated = print_q_short(f, nc->grad_sq, 1);
    fprintf(f, " (%scertified enclosure of |grad| in --json)\n", abbreviated ? "exact value and " : "");
    if (nc->have_hessian) {
        fprintf(f, "    Hessian eigenvalues (certified, %ld bits): %ld negative, %ld positive, %ld "
                "undecided; exact inertia %ld negative, %ld positive, %ld zero\n", (long) E->prec,
                (long) E->nneg, (long) E->npos, (long) E->nundecided, (long) nc->nneg,
                (long) nc->npos, (long) nc->nzero);
        if (E->ok && E->n > 0) {
            fprintf(f, "    enclosures:");
            slong shown = 0, i = 0;
            for (; i < E->n && shown < 6; i += E->multiplicity[i], shown++) {
                lmo_arb_snprint(b, sizeof b, E->lambda + i, 3);
                fprintf(f, "%s %s", shown ? "," : "", b);
                if (E->multiplicity[i] > 1) fprintf(f, " (x%ld)", (long) E->multiplicity[i]);
            }
            if (i < E->n) fprintf(f, ", ... (%ld in all; --json lists them)", (long) E->n);
            fprintf(f, "\n");
        }
    } else {
        fprintf(f, "    no Hessian: %s\n", nc->note);
    }
    if (nc->have_gap) {
        fprintf(f, "    loss - L* ");
        if (nc->gap_exact) {
            if (print_q_short(f, nc->gap_lo, 1)) fprintf(f, " (exact in --json)");
        } else {
            fprintf(f, "in [");
            print_q_short(f, nc->gap_lo, 0);
            fprintf(f, ", ");
            print_q_short(f, nc->gap_hi, 0);
            fprintf(f, "]");
        }
        fprintf(f, "\n");
    }
    fprintf(f, "    verdict: %s\n", nc->verdict);
}

void lmo_kind_explain_gradient(char *out, size_t cap, double norm, double tol, int critical,
                               const char *why_not)
{
    if (critical)
        snprintf(out, cap, "float gradient norm %.3e > grad_tol %.3e (%.3g times above), but the exact "
                 "gradient is zero: rounding noise", norm, tol, norm / tol);
    else
        snprintf(out, cap, "float gradient norm %.3e <= grad_tol %.3e, but the exact gradient is not "
                 "zero (%s): the tolerance hides it", norm, tol, why_not);
}
