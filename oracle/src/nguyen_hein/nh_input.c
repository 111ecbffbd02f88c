/* nguyen_hein vectors: the input (lmo/nguyen_hein/nguyen_hein.h) read from and written to
 * JSON. */
#include <stdio.h>
#include <string.h>
#include "lmo/nguyen_hein/nguyen_hein.h"
#include "lmo/core/vector_io.h"

const char *lmo_nh_activation_name(lmo_nh_activation_t a)
{
    return a == LMO_NH_TANH ? "tanh" : a == LMO_NH_SOFTPLUS ? "softplus" : "sigmoid";
}

void lmo_nh_input_init(lmo_nh_input_t in, slong N, slong L, const slong *n)
{
    in->N = N, in->L = L, in->d = n[0], in->m = n[L];
    in->k = 1, in->k_given = 0;
    in->n = flint_malloc(sizeof(slong) * (size_t)(L + 1));
    for (slong l = 0; l <= L; l++) in->n[l] = n[l];
    fmpq_mat_init(in->X, N, n[0]);
    fmpq_mat_init(in->Y, N, n[L]);
    in->W = flint_malloc(sizeof(fmpq_mat_struct) * (size_t)L);
    in->b = flint_malloc(sizeof(fmpq_mat_struct) * (size_t)L);
    for (slong l = 0; l < L; l++) {
        fmpq_mat_init(in->W + l, n[l], n[l + 1]);
        fmpq_mat_init(in->b + l, 1, n[l + 1]);
    }
    in->act = LMO_NH_SIGMOID;
    in->loss = LMO_NH_LOSS_SQUARED;
    fmpq_init(in->alpha);
    fmpq_one(in->alpha);
    in->has_construction = 0;
    fmpq_init(in->construction_alpha);
}

void lmo_nh_input_clear(lmo_nh_input_t in)
{
    for (slong l = 0; l < in->L; l++) fmpq_mat_clear(in->W + l), fmpq_mat_clear(in->b + l);
    flint_free(in->W), flint_free(in->b), flint_free(in->n);
    fmpq_mat_clear(in->X), fmpq_mat_clear(in->Y);
    fmpq_clear(in->alpha);
    fmpq_clear(in->construction_alpha);
}

static const char *const MEMBERS[] = {"X", "Y", "activation", "alpha", "weights", "biases",
                                      "k", "loss", "construction", NULL};

int lmo_nh_input_set_json(lmo_nh_input_t in, const json_t *input, const lmo_limits_t *lim_in,
                          lmo_err_t *err)
{
    lmo_limits_t lim;
    const char *key;
    json_t *val;
    char path[64];
    if (lim_in) lim = *lim_in; else lmo_limits_default(&lim);
    if (!json_is_object(input)) return lmo_err_set(err, LMO_EINPUT, "input: must be an object");
    json_object_foreach((json_t *)input, key, val) {
        int k = 0;
        while (MEMBERS[k] && strcmp(MEMBERS[k], key)) k++;
        if (!MEMBERS[k])
            return lmo_err_set(err, LMO_EINPUT, "input.%.40s: unknown member of a nguyen_hein "
                               "input", key);
    }
    const json_t *jx, *jy, *ja, *jw, *jb, *jl;
    if (!(jx = lmo_json_require(input, "X", "input", err))) return err->code;
    if (!(jy = lmo_json_require(input, "Y", "input", err))) return err->code;
    if (!(ja = lmo_json_require(input, "activation", "input", err))) return err->code;
    if (!(jw = lmo_json_require(input, "weights", "input", err))) return err->code;
    if (!(jb = lmo_json_require(input, "biases", "input", err))) return err->code;
    lmo_nh_activation_t act;
    const char *as = json_string_value(ja);
    if (as && !strcmp(as, "sigmoid")) act = LMO_NH_SIGMOID;
    else if (as && !strcmp(as, "tanh")) act = LMO_NH_TANH;
    else if (as && !strcmp(as, "softplus")) act = LMO_NH_SOFTPLUS;
    else return lmo_err_set(err, LMO_EINPUT, "input.activation: expected \"sigmoid\", \"tanh\" or "
                            "\"softplus\" (Lemma 3.3)");
    lmo_nh_loss_t loss = LMO_NH_LOSS_SQUARED;
    if ((jl = json_object_get(input, "loss")) && json_is_string(jl) &&
        !strcmp(json_string_value(jl), "squared_hinge"))
        loss = LMO_NH_LOSS_SQUARED_HINGE;
    else if (jl && !(json_is_string(jl) && !strcmp(json_string_value(jl), "squared")))
        return lmo_err_set(err, LMO_EINPUT, "input.loss: expected \"squared\" (l(a) = a^2, (1)) or "
                           "\"squared_hinge\" ((4) with Section 5's l_1, l_2)");
    if (act == LMO_NH_SOFTPLUS && !json_object_get(input, "alpha"))
        return lmo_err_set(err, LMO_EINPUT, "input.alpha: softplus needs alpha > 0 (Lemma 3.3)");
    if (act != LMO_NH_SOFTPLUS && json_object_get(input, "alpha"))
        return lmo_err_set(err, LMO_EINPUT, "input.alpha: only for softplus");
    if (!json_is_array(jw) || json_array_size(jw) < 1)
        return lmo_err_set(err, LMO_EINPUT, "input.weights: must be a non-empty array [W1, ..., WL]");
    if (!json_is_array(jb) || json_array_size(jb) != json_array_size(jw))
        return lmo_err_set(err, LMO_EINPUT, "input.biases: must be an array [b1, ..., bL], as many "
                           "as input.weights");
    slong L = (slong)json_array_size(jw);
    if (L > lim.max_dim) return lmo_err_set(err, LMO_ELIMIT, "input.weights: %ld layers, over the cap", (long)L);

    fmpq_mat_t X, Y, alpha;
    int rc = LMO_OK;
    fmpq_mat_init(alpha, 1, 1);
    if (act == LMO_NH_SOFTPLUS) {
        rc = lmo_q_set_json(fmpq_mat_entry(alpha, 0, 0), json_object_get(input, "alpha"),
                            "input.alpha", &lim, err);
        if (rc == LMO_OK && fmpq_sgn(fmpq_mat_entry(alpha, 0, 0)) <= 0)
            rc = lmo_err_set(err, LMO_EINPUT, "input.alpha: must be > 0 (Lemma 3.3)");
    } else {
        fmpq_one(fmpq_mat_entry(alpha, 0, 0));
    }
    if (rc) return fmpq_mat_clear(alpha), rc;
    if (lmo_mat_set_json(X, jx, "input.X", &lim, err)) return fmpq_mat_clear(alpha), err->code;
    if (lmo_mat_set_json(Y, jy, "input.Y", &lim, err)) {
        fmpq_mat_clear(X), fmpq_mat_clear(alpha);
        return err->code;
    }
    slong N = fmpq_mat_nrows(X), d = fmpq_mat_ncols(X);
    if (N < 1 || d < 1)
        rc = lmo_err_set(err, LMO_EINPUT, "input.X: %ld x %ld; needs N >= 1 samples (rows) and "
                         "d >= 1 columns", (long)N, (long)d);
    else if (fmpq_mat_nrows(Y) != N || fmpq_mat_ncols(Y) < 1)
        rc = lmo_err_set(err, LMO_EINPUT, "input.Y: %ld x %ld; needs N = %ld rows (rows are "
                         "samples) and m >= 1 columns", (long)fmpq_mat_nrows(Y),
                         (long)fmpq_mat_ncols(Y), (long)N);
    slong *n = flint_malloc(sizeof(slong) * (size_t)(L + 1));
    fmpq_mat_struct *W = flint_malloc(sizeof(fmpq_mat_struct) * (size_t)L);
    fmpq_mat_struct *b = flint_malloc(sizeof(fmpq_mat_struct) * (size_t)L);
    slong gotW = 0, gotb = 0;
    n[0] = d;
    for (slong l = 0; l < L && rc == LMO_OK; l++) {
        snprintf(path, sizeof path, "input.weights[%ld]", (long)l);
        if (lmo_mat_set_json(W + l, json_array_get(jw, l), path, &lim, err)) { rc = err->code; break; }
        gotW++;
        n[l + 1] = fmpq_mat_ncols(W + l);
        if (fmpq_mat_nrows(W + l) != n[l] || n[l + 1] < 1) {
            rc = lmo_err_set(err, LMO_EINPUT, "%s: %ld x %ld; W%ld must be n%ld x n%ld with n%ld = "
                             "%ld rows and at least one column", path, (long)fmpq_mat_nrows(W + l),
                             (long)n[l + 1], (long)(l + 1), (long)l, (long)(l + 1), (long)l, (long)n[l]);
            break;
        }
        snprintf(path, sizeof path, "input.biases[%ld]", (long)l);
        if (lmo_vec_set_json(b + l, json_array_get(jb, l), path, &lim, err)) { rc = err->code; break; }
        gotb++;
        if (fmpq_mat_ncols(b + l) != n[l + 1])
            rc = lmo_err_set(err, LMO_EINPUT, "%s: %ld entries; b%ld has n%ld = %ld", path,
                             (long)fmpq_mat_ncols(b + l), (long)(l + 1), (long)(l + 1), (long)n[l + 1]);
    }
    if (rc == LMO_OK && n[L] != fmpq_mat_ncols(Y))
        rc = lmo_err_set(err, LMO_EINPUT, "input.weights[%ld]: n_L = %ld outputs but input.Y has "
                         "m = %ld columns", (long)(L - 1), (long)n[L], (long)fmpq_mat_ncols(Y));
    const json_t *jc = json_object_get(input, "construction");
    fmpq_t calpha;
    fmpq_init(calpha);
    if (rc == LMO_OK && jc) {
        const json_t *cs = json_object_get(jc, "statement"), *ca = json_object_get(jc, "alpha");
        if (!json_is_object(jc) || json_object_size(jc) != 2 || !json_is_string(cs) ||
            !strstr(json_string_value(cs), "Lemma 4.3") || !ca)
            rc = lmo_err_set(err, LMO_EINPUT, "input.construction: expected {\"statement\": "
                             "\"Nguyen–Hein 2017 Lemma 4.3\", \"alpha\": q}");
        else if (lmo_q_set_json(calpha, ca, "input.construction.alpha", &lim, err))
            rc = err->code;
        else if (fmpq_sgn(calpha) <= 0)
            rc = lmo_err_set(err, LMO_EINPUT, "input.construction.alpha: must be > 0");
    }
    slong k = -1;
    const json_t *jk = json_object_get(input, "k");
    if (rc == LMO_OK && jk && lmo_slong_set_json(&k, jk, "input.k", 1, L, err)) rc = err->code;
    if (rc == LMO_OK) {
        lmo_nh_input_init(in, N, L, n);
        fmpq_mat_set(in->X, X), fmpq_mat_set(in->Y, Y);
        for (slong l = 0; l < L; l++) fmpq_mat_set(in->W + l, W + l), fmpq_mat_set(in->b + l, b + l);
        in->act = act;
        in->loss = loss;
        fmpq_set(in->alpha, fmpq_mat_entry(alpha, 0, 0));
        in->k_given = jk != NULL;
        in->has_construction = jc != NULL;
        fmpq_set(in->construction_alpha, calpha);
        if (jk) {
            in->k = k;
        } else { /* the first k in [L-1] with n_k >= N - 1, else the widest hidden layer */
            in->k = L > 1 ? 1 : 1;
            for (slong l = 1; l < L; l++) if (n[l] > n[in->k]) in->k = l;
            for (slong l = L - 1; l >= 1; l--) if (n[l] >= N - 1) in->k = l;
        }
    }
    for (slong l = 0; l < gotW; l++) fmpq_mat_clear(W + l);
    for (slong l = 0; l < gotb; l++) fmpq_mat_clear(b + l);
    fmpq_clear(calpha);
    flint_free(W), flint_free(b), flint_free(n);
    fmpq_mat_clear(X), fmpq_mat_clear(Y), fmpq_mat_clear(alpha);
    return rc;
}

static json_t *row_json(const fmpq_mat_t v)
{
    json_t *a = json_array();
    for (slong j = 0; j < fmpq_mat_ncols(v); j++)
        json_array_append_new(a, lmo_json_from_q(fmpq_mat_entry(v, 0, j)));
    return a;
}

json_t *lmo_nh_input_to_json(const lmo_nh_input_t in)
{
    json_t *j = json_object(), *w = json_array(), *b = json_array();
    json_object_set_new(j, "X", lmo_json_from_mat(in->X));
    json_object_set_new(j, "Y", lmo_json_from_mat(in->Y));
    json_object_set_new(j, "activation", json_string(lmo_nh_activation_name(in->act)));
    if (in->act == LMO_NH_SOFTPLUS) json_object_set_new(j, "alpha", lmo_json_from_q(in->alpha));
    for (slong l = 0; l < in->L; l++) {
        json_array_append_new(w, lmo_json_from_mat(in->W + l));
        json_array_append_new(b, row_json(in->b + l));
    }
    json_object_set_new(j, "weights", w);
    json_object_set_new(j, "biases", b);
    if (in->k_given) json_object_set_new(j, "k", json_integer(in->k));
    if (in->loss == LMO_NH_LOSS_SQUARED_HINGE)
        json_object_set_new(j, "loss", json_string("squared_hinge"));
    if (in->has_construction)
        json_object_set_new(j, "construction", json_pack("{s:s, s:o}", "statement",
                            "Nguyen–Hein 2017 Lemma 4.3", "alpha",
                            lmo_json_from_q(in->construction_alpha)));
    return j;
}
