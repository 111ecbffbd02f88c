/* The near-critical report: exact gradient norm, certified Hessian eigenvalues against
 * the exact inertia, the loss gap, a verdict (lmo/linalg/near_critical.h). */
#include <stdlib.h>
#include <string.h>
#include "lmo/linalg/near_critical.h"
#include "lmo/core/vector_io.h"

void lmo_near_critical_init(lmo_near_critical_t nc)
{
    memset(nc, 0, sizeof *nc);
    fmpq_init(nc->grad_sq);
    arb_init(nc->grad_norm);
    lmo_eig_enclose_init(nc->eig);
    fmpq_init(nc->gap_lo);
    fmpq_init(nc->gap_hi);
}

void lmo_near_critical_clear(lmo_near_critical_t nc)
{
    fmpq_clear(nc->grad_sq);
    arb_clear(nc->grad_norm);
    lmo_eig_enclose_clear(nc->eig);
    fmpq_clear(nc->gap_lo);
    fmpq_clear(nc->gap_hi);
}

void lmo_arb_snprint(char *buf, size_t cap, const arb_t x, slong digits)
{
    char *m, *r;
    if (!arb_is_finite(x)) {
        snprintf(buf, cap, "unbounded");
        return;
    }
    lmo_arb_get_mid_rad_str(&m, &r, x, digits, 16);
    if (!strcmp(r, "0")) snprintf(buf, cap, "%s", m);
    else snprintf(buf, cap, "%s ± %s", m, r);
    flint_free(m), flint_free(r);
}

void lmo_arb_snprint_mid(char *buf, size_t cap, const arb_t x, slong digits)
{
    if (!arb_is_finite(x)) {
        snprintf(buf, cap, "unbounded");
        return;
    }
    char *s = arb_get_str(x, digits, ARB_STR_NO_RADIUS);
    snprintf(buf, cap, "%s", s);
    flint_free(s);
}

/* The verdict (rules in the header). */
static void write_verdict(lmo_near_critical_t nc)
{
    char g[64], b[128], t[128], gap[400] = "";
    size_t cap = sizeof nc->verdict;
    lmo_arb_snprint_mid(g, sizeof g, nc->grad_norm, 2);
    if (nc->have_gap) {
        arb_t x;
        arb_init(x);
        if (nc->gap_exact) {
            arb_set_fmpq(x, nc->gap_lo, 128);
            lmo_arb_snprint_mid(b, sizeof b, x, 3);
            snprintf(gap, sizeof gap, "; loss above the global minimum value L* by %s", b);
        } else {
            arb_set_fmpq(x, nc->gap_lo, 128);
            lmo_arb_snprint_mid(b, sizeof b, x, 3);
            arb_set_fmpq(x, nc->gap_hi, 128);
            lmo_arb_snprint_mid(t, sizeof t, x, 3);
            snprintf(gap, sizeof gap, "; loss above the global minimum value L* by between %s "
                     "and %s", b, t);
        }
        arb_clear(x);
    }
    const lmo_eig_enclose_struct *E = nc->eig;
    if (!nc->have_hessian) {
        snprintf(nc->verdict, cap, "gradient norm ≈ %s%s; no Hessian here (%s): no second-order "
                 "verdict", g, gap, nc->note);
        return;
    }
    if (!E->ok || E->n == 0) {
        snprintf(nc->verdict, cap, "gradient norm ≈ %s%s; no eigenvalue enclosure at precision "
                 "%ld: no second-order verdict", g, gap, (long) E->prec);
        return;
    }
    /* near-critical in lmo's sense: |grad| <= 2^-20 max|lambda|, certified */
    arb_t s, mx;
    arb_init(s), arb_init(mx);
    arb_abs(s, E->lambda + 0);
    arb_abs(mx, E->lambda + E->n - 1);
    arb_max(mx, mx, s, 128);
    arb_mul_2exp_si(s, mx, -20);
    int small = arb_le(nc->grad_norm, s);
    lmo_arb_snprint_mid(t, sizeof t, mx, 2);
    char far[512] = "";
    if (!small)
        snprintf(far, sizeof far, ", not certified small against the Hessian's scale (largest "
                 "|eigenvalue| ≈ %s; lmo calls a point near-critical when |grad| <= 2^-20 times "
                 "it): no claim about a nearby critical point", t);
    lmo_arb_snprint(b, sizeof b, E->lambda + 0, 4);
    if (E->nneg > 0) {
        /* the most negative component comes first */
        arb_sqrt(s, nc->grad_norm, 128);
        arb_neg(s, s);
        int large = arb_lt(E->lambda + 0, s);
        if (!small)
            snprintf(nc->verdict, cap, "gradient norm ≈ %s%s%s; the Hessian has %ld certified "
                     "negative eigenvalue%s here (the lowest %s): a second-order descent "
                     "direction at this point", g, gap, far, (long) E->nneg, E->nneg == 1 ? "" : "s", b);
        else if (large)
            snprintf(nc->verdict, cap, "gradient norm ≈ %s%s; the Hessian has %ld certified "
                     "negative eigenvalue%s, the lowest %s, below -sqrt(gradient norm): a "
                     "second-order descent direction, so this is not a minimum-like point "
                     "(heuristically: near a strict saddle, not a minimum)", g, gap,
                     (long) E->nneg, E->nneg == 1 ? "" : "s", b);
        else
            snprintf(nc->verdict, cap, "gradient norm ≈ %s%s; the Hessian has %ld certified "
                     "negative eigenvalue%s, the lowest %s, not below -sqrt(gradient norm): "
                     "negative curvature small against the gradient's scale (a flat valley "
                     "beside a minimum shows it too); no second-order verdict", g, gap,
                     (long) E->nneg, E->nneg == 1 ? "" : "s", b);
    } else if (E->npos == E->n) {
        arf_t mu;
        arb_t r;
        arf_init(mu);
        arb_init(r);
        arb_get_lbound_arf(mu, E->lambda + 0, 128);
        arb_set_arf(r, mu);
        arb_div(r, nc->grad_norm, r, 128);
        arb_get_ubound_arf(mu, r, 128);
        arb_set_arf(r, mu);
        lmo_arb_snprint_mid(t, sizeof t, r, 2);
        snprintf(nc->verdict, cap, "gradient norm ≈ %s%s%s; the Hessian is certified positive "
                 "definite (lowest eigenvalue %s): minimum-like curvature, and the Newton step "
                 "has length <= %s; lmo does not certify a local minimum within it (no bound on "
                 "how the Hessian varies)", g, gap, far, b, t);
        arf_clear(mu);
        arb_clear(r);
    } else {
        snprintf(nc->verdict, cap, "gradient norm ≈ %s%s%s; %ld Hessian eigenvalue%s undecided at "
                 "precision %ld (enclosures contain 0), none certified negative: no second-order "
                 "verdict", g, gap, far, (long) E->nundecided, E->nundecided == 1 ? "" : "s",
                 (long) E->prec);
    }
    arb_clear(s), arb_clear(mx);
}

int lmo_near_critical_set(lmo_near_critical_t nc, const fmpq_mat_t g, const fmpz_mat_t Z,
                          const fmpz_t den, slong npos, slong nneg, slong nzero,
                          const fmpq_t gap_lo, const fmpq_t gap_hi, const char *note,
                          slong prec_cap, lmo_err_t *err)
{
    fmpq_set_si(nc->grad_sq, 0, 1);   /* not fmpq_zero: gcc 12 false stringop warning */
    for (slong i = 0; i < fmpq_mat_nrows(g); i++)
        fmpq_addmul(nc->grad_sq, fmpq_mat_entry(g, i, 0), fmpq_mat_entry(g, i, 0));
    arb_set_fmpq(nc->grad_norm, nc->grad_sq, 128);
    arb_sqrt(nc->grad_norm, nc->grad_norm, 128);
    nc->npos = npos, nc->nneg = nneg, nc->nzero = nzero;
    nc->have_gap = gap_lo && gap_hi;
    if (nc->have_gap) {
        fmpq_set(nc->gap_lo, gap_lo);
        fmpq_set(nc->gap_hi, gap_hi);
        nc->gap_exact = fmpq_equal(gap_lo, gap_hi);
    }
    snprintf(nc->note, sizeof nc->note, "%s", note ? note : "");
    nc->have_hessian = Z != NULL;
    if (Z) {
        /* the nzero exact zero eigenvalues stay undecided at any precision: stop there */
        int rc = lmo_eig_enclose_fmpz(nc->eig, Z, den, LMO_NEAR_CRITICAL_PREC, prec_cap, nzero, err);
        if (rc) return rc;
        if (!lmo_eig_enclose_agrees(nc->eig, npos, nneg, nzero))
            return lmo_err_set(err, LMO_ELIMIT, "internal: certified Hessian eigenvalue signs "
                               "(%ld negative, %ld positive) contradict the exact inertia (%ld "
                               "negative, %ld positive, %ld zero)", (long) nc->eig->nneg,
                               (long) nc->eig->npos, (long) nneg, (long) npos, (long) nzero);
    }
    write_verdict(nc);
    return LMO_OK;
}

json_t *lmo_near_critical_to_json(const lmo_near_critical_t nc)
{
    json_t *j = json_object();
    json_object_set_new(j, "gradient_norm", json_pack("{s:o, s:o}", "squared",
                        lmo_json_from_q(nc->grad_sq), "enclosure", lmo_arb_to_json(nc->grad_norm, 10)));
    if (nc->have_hessian && nc->eig->ok) {
        json_object_set_new(j, "hessian_eigenvalues", lmo_eig_enclose_to_json(nc->eig, 10));
    } else {
        json_object_set_new(j, "hessian_eigenvalues", json_null());
    }
    if (nc->have_hessian) {
        json_object_set_new(j, "hessian_signs", json_pack("{s:I, s:I, s:I, s:I}", "negative",
                            (json_int_t) nc->eig->nneg, "positive", (json_int_t) nc->eig->npos,
                            "undecided", (json_int_t) nc->eig->nundecided, "precision",
                            (json_int_t) nc->eig->prec));
        json_object_set_new(j, "hessian_inertia", json_pack("{s:I, s:I, s:I}", "positive",
                            (json_int_t) nc->npos, "negative", (json_int_t) nc->nneg, "zero",
                            (json_int_t) nc->nzero));
    } else {
        json_object_set_new(j, "note", json_string(nc->note));
    }
    if (nc->have_gap) {
        if (nc->gap_exact)
            json_object_set_new(j, "loss_gap", json_pack("{s:o}", "exact", lmo_json_from_q(nc->gap_lo)));
        else
            json_object_set_new(j, "loss_gap", json_pack("{s:o, s:o}", "lo", lmo_json_from_q(nc->gap_lo),
                                                         "hi", lmo_json_from_q(nc->gap_hi)));
    }
    json_object_set_new(j, "verdict", json_string(nc->verdict));
    return j;
}
