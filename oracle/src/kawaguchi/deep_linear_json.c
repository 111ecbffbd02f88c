/* deep_linear vectors: reading `input`, writing `expect` and the
 * certificate (formats documented in lmo/kawaguchi/deep_linear.h). */
#include <stdio.h>
#include <string.h>
#include "lmo/core/members.h"
#include "lmo/kawaguchi/deep_linear.h"
#include "lmo/core/vector_io.h"
#include "lmo/core/certificate.h"

int lmo_deep_linear_input_set_json(lmo_deep_linear_t dl, const json_t *input,
                                   const lmo_limits_t *lim_in, lmo_err_t *err)
{
    lmo_limits_t lim;
    const json_t *jx, *jy;
    slong L = 0;
    const json_t *jw = lmo_json_require_network(&jx, &jy, &L, &lim, input, lim_in, err);
    if (!jw) return err->code;

    fmpq_mat_t X, Y;
    if (lmo_mat_set_json(X, jx, "input.X", &lim, err)) return err->code;
    if (lmo_mat_set_json(Y, jy, "input.Y", &lim, err)) { fmpq_mat_clear(X); return err->code; }
    int rc = LMO_OK;
    slong dx = fmpq_mat_nrows(X), m = fmpq_mat_ncols(X), dy = fmpq_mat_nrows(Y);
    if (dx < 1 || m < 1)
        rc = lmo_err_set(err, LMO_EINPUT, "input.X: %ld x %ld; needs dx >= 1 rows and m >= 1 "
                         "columns", (long) dx, (long) m);
    else if (dy < 1)
        rc = lmo_err_set(err, LMO_EINPUT, "input.Y: has no rows (dy >= 1)");
    else if (fmpq_mat_ncols(Y) != m)
        rc = lmo_err_set(err, LMO_EINPUT, "input.Y: has %ld columns but input.X has %ld "
                         "(both are m)", (long) fmpq_mat_ncols(Y), (long) m);
    if (rc) { fmpq_mat_clear(X); fmpq_mat_clear(Y); return rc; }

    fmpq_mat_struct *W = flint_malloc(sizeof(fmpq_mat_struct) * L);
    slong got = 0;
    char path[64];
    for (slong k = 0; k < L && rc == LMO_OK; k++) {
        snprintf(path, sizeof path, "input.weights[%ld]", (long) k);
        if (lmo_mat_set_json(W + k, json_array_get(jw, k), path, &lim, err)) { rc = err->code; break; }
        got++;
        slong r = fmpq_mat_nrows(W + k), c = fmpq_mat_ncols(W + k);
        if (r < 1 || c < 1)
            rc = lmo_err_set(err, LMO_EINPUT, "%s: %ld x %ld; every width must be >= 1",
                             path, (long) r, (long) c);
        else if (k == 0 && c != dx)
            rc = lmo_err_set(err, LMO_EINPUT, "%s: %ld x %ld does not chain after input.X "
                             "(%ld x %ld): needs %ld columns", path, (long) r, (long) c,
                             (long) dx, (long) m, (long) dx);
        else if (k > 0 && c != fmpq_mat_nrows(W + k - 1))
            rc = lmo_err_set(err, LMO_EINPUT, "%s: %ld x %ld does not chain after %ld x %ld "
                             "(needs %ld columns)", path, (long) r, (long) c,
                             (long) fmpq_mat_nrows(W + k - 1), (long) fmpq_mat_ncols(W + k - 1),
                             (long) fmpq_mat_nrows(W + k - 1));
        else if (k == L - 1 && r != dy)
            rc = lmo_err_set(err, LMO_EINPUT, "%s: has %ld rows but input.Y has %ld (the last "
                             "layer outputs dy)", path, (long) r, (long) dy);
    }
    if (rc == LMO_OK) {
        slong *dims = flint_malloc(sizeof(slong) * (L + 1));
        dims[0] = dx;
        for (slong k = 0; k < L; k++) dims[k + 1] = fmpq_mat_nrows(W + k);
        lmo_deep_linear_init(dl, L - 1, dims, m);
        flint_free(dims);
        fmpq_mat_set(dl->X, X);
        fmpq_mat_set(dl->Y, Y);
        for (slong k = 0; k < L; k++) fmpq_mat_set(dl->W + k, W + k);
    }
    _lmo_fmpq_mat_vec_clear(W, got);
    fmpq_mat_clear(X);
    fmpq_mat_clear(Y);
    return rc;
}

json_t *lmo_deep_linear_input_to_json(const lmo_deep_linear_t dl)
{
    json_t *o = json_object(), *w = json_array();
    json_object_set_new(o, "X", lmo_json_from_mat(dl->X));
    json_object_set_new(o, "Y", lmo_json_from_mat(dl->Y));
    for (slong k = 0; k <= dl->H; k++) json_array_append_new(w, lmo_json_from_mat(dl->W + k));
    json_object_set_new(o, "weights", w);
    return o;
}

static json_t *poly_json(const fmpq_poly_t f)
{
    json_t *a = json_array();
    fmpq_t c;
    fmpq_init(c);
    for (slong i = 0; i <= fmpq_poly_degree(f); i++) {
        fmpq_poly_get_coeff_fmpq(c, f, i);
        json_array_append_new(a, lmo_json_from_q(c));
    }
    fmpq_clear(c);
    return a;
}

static json_t *colvec_json(const fmpq_mat_t v)
{
    json_t *a = json_array();
    for (slong i = 0; i < fmpq_mat_nrows(v); i++)
        json_array_append_new(a, lmo_json_from_q(fmpq_mat_entry(v, i, 0)));
    return a;
}

json_t *lmo_deep_linear_result_to_json(const lmo_dl_result_t r)
{
    json_t *o = json_object(), *h = json_object(), *gm = json_object(), *in = json_object(),
           *th = json_array(), *enc = json_array();
    json_object_set_new(h, "XXt_full_rank", json_boolean(r->hyp.xxt_full_rank));
    json_object_set_new(h, "XYt_full_rank", json_boolean(r->hyp.xyt_full_rank));
    json_object_set_new(h, "dy_le_dx", json_boolean(r->hyp.dy_le_dx));
    json_object_set_new(h, "sigma_distinct_eigenvalues", json_boolean(r->hyp.sigma_distinct));
    json_object_set_new(h, "hold", json_boolean(r->hyp.hold));
    json_object_set_new(o, "hypotheses", h);
    json_object_set_new(o, "critical", json_boolean(r->critical));
    json_object_set_new(o, "loss", lmo_json_from_q(r->loss));

    json_object_set_new(gm, "q", json_integer(r->q));
    json_object_set_new(gm, "trace_YYt", lmo_json_from_q(r->trace_yyt));
    json_object_set_new(gm, "sigma_charpoly", poly_json(r->sigma_charpoly));
    json_object_set_new(gm, "exact", r->gmin_rational ? lmo_json_from_q(r->gmin_value) : json_null());
    json_array_append_new(enc, lmo_json_from_q(r->gmin_lo));
    json_array_append_new(enc, lmo_json_from_q(r->gmin_hi));
    json_object_set_new(gm, "enclosure", enc);
    json_object_set_new(o, "global_min_value", gm);

    json_object_set_new(o, "class", json_string(lmo_dl_class_name(r->cls)));
    if (r->cls == LMO_DL_UNKNOWN) json_object_set_new(o, "reason", json_string(r->reason));
    json_object_set_new(in, "positive", json_integer(r->npos));
    json_object_set_new(in, "negative", json_integer(r->nneg));
    json_object_set_new(in, "zero", json_integer(r->nzero));
    json_object_set_new(o, "hessian_inertia", in);
    json_object_set_new(o, "rank_WH_W2", json_integer(r->rank_mid));
    json_object_set_new(o, "p", json_integer(r->p));

    for (int i = 0; i < LMO_DL_NTHM; i++) lmo_theorems_append(th, r->thm + i);
    json_object_set_new(o, "theorems", th);
    return o;
}

static json_t *curve_json(const fmpq_mat_struct *D, slong nd, const fmpq_poly_t f)
{
    json_t *o = json_object(), *a = json_array();
    for (slong i = 0; i < nd; i++) json_array_append_new(a, colvec_json(D + i));
    json_object_set_new(o, "D", a);
    json_object_set_new(o, "loss_poly", poly_json(f));
    return o;
}

json_t *lmo_deep_linear_cert_to_json(const lmo_dl_result_t r, const char *vector_id)
{
    json_t *c = json_object(), *x;
    json_object_set_new(c, "format", json_string("lmo-cert/1"));
    json_object_set_new(c, "claim", json_string("deep_linear"));
    json_object_set_new(c, "vector", json_string(vector_id ? vector_id : ""));
    json_object_set_new(c, "class", json_string(lmo_dl_class_name(r->cls)));
    json_object_set_new(c, "n_params", json_integer(r->n));
    json_object_set_new(c, "theta_order", json_string("vec(Wk^T) blocks, k = 1..H+1"));
    if (!r->critical) {
        json_t *g = json_object();
        json_object_set_new(g, "index", json_integer(r->grad_index));
        json_object_set_new(g, "value", lmo_json_from_q(r->grad_value));
        json_object_set_new(c, "gradient_nonzero", g);
    } else {
        json_object_set_new(c, "critical", json_true());
    }
    if (r->critical && lmo_ldl_is_psd(r->hess) && (x = lmo_ldl_to_json(r->hess)))
        json_object_set_new(c, "hessian_psd", x);
    if (r->critical && r->nneg > 0 && (x = lmo_ldl_witness_to_json(r->hess)))
        json_object_set_new(c, "hessian_negative", x);
    if (r->ndesc > 0) json_object_set_new(c, "descent_curve", curve_json(r->desc, r->ndesc, r->desc_poly));
    if (r->nasc > 0) json_object_set_new(c, "ascent_curve", curve_json(r->asc, r->nasc, r->asc_poly));
    if (r->cls == LMO_DL_GLOBAL_MIN) {
        json_t *g = json_object();
        json_object_set_new(g, "sigma", lmo_json_from_mat(r->sigma));
        json_object_set_new(g, "q", json_integer(r->q));
        json_object_set_new(g, "rank_C", json_integer(r->rank_c));
        json_object_set_new(g, "range_basis", lmo_json_from_mat(r->B));
        json_object_set_new(g, "range_coeffs", lmo_json_from_mat(r->S));
        json_object_set_new(g, "complement_basis", lmo_json_from_mat(r->N));
        json_object_set_new(g, "tau", lmo_json_from_q(r->tau));
        json_object_set_new(g, "strict", json_boolean(r->tau_strict));
        if ((x = lmo_ldl_to_json(r->ldl_range))) json_object_set_new(g, "range_ldl", x);
        if ((x = lmo_ldl_to_json(r->ldl_compl))) json_object_set_new(g, "complement_ldl", x);
        json_object_set_new(c, "global_min", g);
    }
    if (r->have_rank_cert)
        json_object_set_new(c, "rank_WH_W2", lmo_cert_rank_to_json(r->rank_cert, vector_id));
    {   /* the global minimum value L* = (tr YY^T - S_q) / 2 (lmo/kawaguchi/deep_linear.h) */
        json_t *g = json_object();
        if (r->gmin_rational) {
            json_t *f = json_array();
            for (slong i = 0; i <= fmpq_poly_degree(r->gmin_factor); i++) {
                fmpq_t t;
                fmpq_init(t);
                fmpq_poly_get_coeff_fmpq(t, r->gmin_factor, i);
                json_array_append_new(f, lmo_json_from_q(t));
                fmpq_clear(t);
            }
            json_object_set_new(g, "factor", f);
            json_object_set_new(g, "tau", lmo_json_from_q(r->gmin_tau));
        } else {
            json_t *b = json_array();
            for (slong i = 0; i < r->gmin_nbreaks; i++)
                json_array_append_new(b, lmo_json_from_q(r->gmin_breaks + i));
            json_object_set_new(g, "breaks", b);
        }
        json_object_set_new(c, "global_min_value", g);
    }
    return c;
}
