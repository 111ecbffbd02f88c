/* Kind mnn <-> JSON (see lmo/soudry_carmon/mnn.h, DESIGN.md kinds table). */
#include <stdio.h>
#include <string.h>
#include "lmo/soudry_carmon/mnn.h"
#include "lmo/core/vector_io.h"
#include "lmo/core/certificate.h"

int lmo_mnn_input_set_json(lmo_mnn_input_t in, const json_t *input,
                           const lmo_limits_t *lim, lmo_err_t *err)
{
    if (!json_is_object(input)) return lmo_err_set(err, LMO_EINPUT, "input: expected an object");
    const json_t *jx, *jy, *js, *jw, *jd, *jl;
    if ((jx = lmo_json_require(input, "X", "input", err)) == NULL) return err->code;
    if ((jy = lmo_json_require(input, "y", "input", err)) == NULL) return err->code;
    if ((js = lmo_json_require(input, "slope", "input", err)) == NULL) return err->code;
    if ((jw = lmo_json_require(input, "weights", "input", err)) == NULL) return err->code;
    if (!json_is_array(jw) || json_array_size(jw) < 1)
        return lmo_err_set(err, LMO_EINPUT, "input.weights: expected a non-empty list [W1 ... WL]");
    slong L = (slong) json_array_size(jw);
    if (L > lim->max_dim) return lmo_err_set(err, LMO_ELIMIT, "input.weights: too many layers");
    jd = json_object_get(input, "dropout");
    if (jd != NULL && json_is_null(jd)) jd = NULL;
    if (jd != NULL && (!json_is_array(jd) || (slong) json_array_size(jd) != L - 1))
        return lmo_err_set(err, LMO_EINPUT, "input.dropout: expected a list [E1 ... E(L-1)] of %ld matrices",
                           (long) (L - 1));

    char path[64];
    int rc = LMO_OK;
    slong nW = 0, nE = 0, layer = 0;
    fmpq_mat_struct *W = flint_malloc(sizeof(fmpq_mat_struct) * (L + 1));
    fmpq_mat_struct *E = flint_malloc(sizeof(fmpq_mat_struct) * (L + 1));
    fmpq_mat_t X, y;
    int hx = 0, hy = 0;
    fmpq_t s;
    fmpq_init(s);
    slong *d = flint_malloc(sizeof(slong) * (L + 1));

    if ((rc = lmo_mat_set_json(X, jx, "input.X", lim, err)) == LMO_OK) hx = 1;
    if (rc == LMO_OK) {
        d[0] = fmpq_mat_nrows(X);
        if (d[0] < 1 || fmpq_mat_ncols(X) < 1)
            rc = lmo_err_set(err, LMO_EINPUT, "input.X: needs d0 >= 1 rows and N >= 1 columns");
    }
    slong N = hx ? fmpq_mat_ncols(X) : 0;
    if (rc == LMO_OK && (rc = lmo_vec_set_json(y, jy, "input.y", lim, err)) == LMO_OK) {
        hy = 1;
        if (fmpq_mat_ncols(y) != N)
            rc = lmo_err_set(err, LMO_EINPUT, "input.y: has %ld entries but X has N = %ld columns",
                             (long) fmpq_mat_ncols(y), (long) N);
    }
    for (slong l = 1; l <= L && rc == LMO_OK; l++) {
        snprintf(path, sizeof path, "input.weights[%ld]", (long) (l - 1));
        if ((rc = lmo_mat_set_json(W + l - 1, json_array_get(jw, l - 1), path, lim, err))) break;
        nW++;
        d[l] = fmpq_mat_nrows(W + l - 1);
        if (fmpq_mat_ncols(W + l - 1) != d[l - 1])
            rc = lmo_err_set(err, LMO_EINPUT, "%s: W%ld has %ld columns but %s has %ld (d%ld)", path, (long) l,
                             (long) fmpq_mat_ncols(W + l - 1), l == 1 ? "X has rows" : "the previous layer",
                             (long) d[l - 1], (long) (l - 1));
        else if (d[l] < 1)
            rc = lmo_err_set(err, LMO_EINPUT, "%s: W%ld needs at least one row", path, (long) l);
        else if (l == L && d[l] != 1)
            rc = lmo_err_set(err, LMO_EINPUT, "%s: the output layer W%ld must have one row (d_L = 1), has %ld",
                             path, (long) l, (long) d[l]);
    }
    for (slong l = 1; l < L && rc == LMO_OK && jd != NULL; l++) {
        snprintf(path, sizeof path, "input.dropout[%ld]", (long) (l - 1));
        if ((rc = lmo_mat_set_json(E + l - 1, json_array_get(jd, l - 1), path, lim, err))) break;
        nE++;
        if (fmpq_mat_nrows(E + l - 1) != d[l] || fmpq_mat_ncols(E + l - 1) != N)
            rc = lmo_err_set(err, LMO_EINPUT, "%s: E%ld is %ld x %ld, expected d%ld x N = %ld x %ld", path,
                             (long) l, (long) fmpq_mat_nrows(E + l - 1), (long) fmpq_mat_ncols(E + l - 1),
                             (long) l, (long) d[l], (long) N);
    }
    /* s = 0 (plain ReLU) is accepted: outside the theorems' model (s != 0), checked as the
     * paper's Section 6 does */
    if (rc == LMO_OK) rc = lmo_q_set_json(s, js, "input.slope", lim, err);
    jl = json_object_get(input, "layer");
    if (rc == LMO_OK && jl != NULL && !json_is_null(jl)) {
        rc = lmo_slong_set_json(&layer, jl, "input.layer", 1, L, err);
        if (rc == LMO_ELIMIT)   /* a layer beyond L is a bad input, not a cap */
            rc = lmo_err_set(err, LMO_EINPUT, "input.layer: must be between 1 and L = %ld", (long) L);
    }
    if (rc == LMO_OK) {
        slong omega = 0;
        for (slong l = 1; l <= L; l++) omega += d[l] * d[l - 1];
        if (omega > lim->max_dim || (N > 0 && omega > lim->max_entries / N))
            rc = lmo_err_set(err, LMO_ELIMIT, "input.weights: G would have %ld x %ld entries, over the cap",
                             (long) omega, (long) N);
    }
    if (rc == LMO_OK) {
        lmo_mnn_input_clear(in);
        lmo_mnn_input_init(in, L, d, N);
        fmpq_mat_swap(in->X, X);
        fmpq_mat_swap(in->y, y);
        fmpq_swap(in->s, s);
        for (slong l = 1; l <= L; l++) fmpq_mat_swap(in->W + l - 1, W + l - 1);
        for (slong l = 1; l < L && jd != NULL; l++) fmpq_mat_swap(in->E + l - 1, E + l - 1);
        in->has_dropout = jd != NULL;
        in->layer = layer;
    }
    for (slong l = 0; l < nW; l++) fmpq_mat_clear(W + l);
    for (slong l = 0; l < nE; l++) fmpq_mat_clear(E + l);
    flint_free(W); flint_free(E); flint_free(d);
    if (hx) fmpq_mat_clear(X);
    if (hy) fmpq_mat_clear(y);
    fmpq_clear(s);
    return rc;
}

static json_t *rank_json(const lmo_rank_t R, int certs)
{
    json_t *o = json_object();
    json_object_set_new(o, "rank", json_integer(R->rank));
    json_object_set_new(o, "full_column_rank", json_boolean(R->rank == R->n));
    if (certs) json_object_set_new(o, "certificate", lmo_cert_rank_to_json(R, NULL));
    return o;
}

json_t *lmo_mnn_result_to_json(const lmo_mnn_result_t res, const lmo_mnn_input_t in, int certs)
{
    slong L = res->L, N = res->N;
    json_t *o = json_object();
    /* activation pattern: per hidden layer, one string per unit: + (u > 0), 0 (u = 0), - (u < 0) */
    json_t *pat = json_array();
    char *row = flint_malloc(N + 1);
    for (slong l = 1; l < L; l++) {
        json_t *lay = json_array();
        for (slong i = 0; i < res->d[l]; i++) {
            for (slong n = 0; n < N; n++) {
                int sg = fmpq_sgn(fmpq_mat_entry(res->U + l - 1, i, n));
                row[n] = sg > 0 ? '+' : sg < 0 ? '-' : '0';
            }
            row[N] = '\0';
            json_array_append_new(lay, json_string(row));
        }
        json_array_append_new(pat, lay);
    }
    flint_free(row);
    json_object_set_new(o, "pattern", pat);
    json_object_set_new(o, "differentiable", json_boolean(res->differentiable));
    json_t *zs = json_array();
    for (slong z = 0; z < res->nzero; z++)
        json_array_append_new(zs, json_pack("{s:I, s:I, s:I}", "l", (json_int_t) res->zeros[3 * z],
                                            "i", (json_int_t) res->zeros[3 * z + 1],
                                            "n", (json_int_t) res->zeros[3 * z + 2]));
    json_object_set_new(o, "zero_preactivations", zs);
    json_object_set_new(o, "loss", lmo_json_from_q(res->mse));
    json_t *ev = json_array();
    for (slong n = 0; n < N; n++) json_array_append_new(ev, lmo_json_from_q(fmpq_mat_entry(res->e, 0, n)));
    json_object_set_new(o, "error", ev);
    json_t *rg = json_array();
    for (slong l = 0; l < L; l++) json_array_append_new(rg, json_integer(res->rank_G[l].rank));
    json_object_set_new(o, "rank_G", rg);
    json_object_set_new(o, "rank_G_all", json_integer(res->rank_Gall->rank));
    if (in->layer >= 1 && in->layer <= L) {
        const lmo_rank_struct *R = res->rank_G + in->layer - 1;
        json_object_set_new(o, "layer", json_integer(in->layer));
        json_object_set_new(o, "rank_G_layer", json_integer(R->rank));
        json_object_set_new(o, "full_column_rank", json_boolean(R->rank == N));
        if (certs) json_object_set_new(o, "certificate_G_layer", lmo_cert_rank_to_json(R, NULL));
    }
    json_object_set_new(o, "critical", json_boolean(res->critical));
    json_t *gv = json_array();
    for (slong r = 0; r < res->omega; r++) json_array_append_new(gv, lmo_json_from_q(fmpq_mat_entry(res->grad, r, 0)));
    json_object_set_new(o, "gradient", gv);
    if (res->hessian_done) {
        json_object_set_new(o, "hessian_identity", json_boolean(res->hessian_identity));
        json_object_set_new(o, "trace_ELambda", lmo_json_from_q(res->trace_ELambda));
    } else {
        json_object_set_new(o, "hessian_identity", json_null());
    }
    json_object_set_new(o, "hessian_note", json_string(res->hessian_note));
    if (L == 2) {
        json_object_set_new(o, "rank_A1X", rank_json(res->lemma1_min->rank, certs));
        json_object_set_new(o, "critical_tilde", json_boolean(res->critical_tilde));
        json_t *m = json_object();
        json_object_set_new(m, "W_tilde", lmo_json_from_mat(res->lemma1_min->Wt));
        json_object_set_new(m, "mse", lmo_json_from_q(res->lemma1_min->mse));
        json_object_set_new(m, "reproduces_pattern", json_boolean(res->lemma1_min->reproduces));
        if (res->lemma1_min->reproduces) {
            json_object_set_new(m, "W1", lmo_json_from_mat(res->lemma1_min->W1));
            json_object_set_new(m, "W2", lmo_json_from_mat(res->lemma1_min->W2));
        }
        json_object_set_new(o, "lemma1_minimiser", m);
    }
    if (res->has_thm5) json_object_set_new(o, "rank_A_Lminus1_o_V_Lminus2", rank_json(res->rank_thm5, certs));
    json_t *p = json_array();
    lmo_theorems_append(p, &res->lemma1);
    lmo_theorems_append(p, &res->lemma3);
    lmo_theorems_append(p, &res->theorem4);
    lmo_theorems_append(p, &res->theorem5_rank);
    lmo_theorems_append(p, &res->theorem5);
    json_object_set_new(o, "theorems", p);
    json_object_set_new(o, "failed", json_boolean(lmo_mnn_failed(res)));
    return o;
}

json_t *lmo_mnn_certificates_to_json(const lmo_mnn_result_t res, const char *vector_id)
{
    json_t *c = json_object(), *list = json_object();
    char name[32];
    json_object_set_new(c, "format", json_string("lmo-cert/1"));
    json_object_set_new(c, "claim", json_string("bundle"));
    json_object_set_new(c, "vector", json_string(vector_id ? vector_id : ""));
    for (slong l = 1; l <= res->L; l++) {
        snprintf(name, sizeof name, "G_%ld", (long) l);
        json_t *r = lmo_cert_rank_to_json(res->rank_G + l - 1, vector_id);
        json_object_set_new(r, "matrix", json_string(name));
        json_object_set_new(list, name, r);
    }
    json_t *r = lmo_cert_rank_to_json(res->rank_Gall, vector_id);
    json_object_set_new(r, "matrix", json_string("G"));
    json_object_set_new(list, "G", r);
    if (res->has_lemma1) {
        r = lmo_cert_rank_to_json(res->lemma1_min->rank, vector_id);
        json_object_set_new(r, "matrix", json_string("A1 o X"));
        json_object_set_new(list, "A1 o X", r);
    }
    if (res->has_thm5) {
        r = lmo_cert_rank_to_json(res->rank_thm5, vector_id);
        json_object_set_new(r, "matrix", json_string("A_{L-1} o V_{L-2}"));
        json_object_set_new(list, "A_{L-1} o V_{L-2}", r);
    }
    json_object_set_new(c, "certificates", list);
    return c;
}
