/* The network of kind khk (lmo/khk/khk.h): its activations, its JSON input. */
#include <string.h>
#include "lmo/khk/khk.h"
#include "lmo/core/vector_io.h"

void lmo_khk_init(lmo_khk_t net, slong H, const slong *d, slong m)
{
    net->H = H;
    net->m = m;
    net->d = flint_malloc(sizeof(slong) * (size_t) (H + 2));
    for (slong l = 0; l <= H + 1; l++) net->d[l] = d[l];
    fmpq_mat_init(net->X, m, d[0]);
    fmpq_mat_init(net->Y, m, d[H + 1]);
    net->W = flint_malloc(sizeof(fmpq_mat_struct) * (size_t) (H + 1));
    for (slong l = 1; l <= H + 1; l++) fmpq_mat_init(net->W + l - 1, d[l - 1], d[l]);
    net->act = flint_malloc(sizeof(lmo_khk_act_struct) * (size_t) H);
    for (slong l = 0; l < H; l++) {
        net->act[l].kind = LMO_KHK_RELU;
        fmpq_init(net->act[l].a);
    }
}

void lmo_khk_clear(lmo_khk_t net)
{
    fmpq_mat_clear(net->X);
    fmpq_mat_clear(net->Y);
    for (slong l = 0; l <= net->H; l++) fmpq_mat_clear(net->W + l);
    for (slong l = 0; l < net->H; l++) fmpq_clear(net->act[l].a);
    flint_free(net->W);
    flint_free(net->act);
    flint_free(net->d);
}

int lmo_khk_act_set_str(lmo_khk_act_struct *act, const char *s, const char *path,
                        const lmo_limits_t *lim, lmo_err_t *err)
{
    if (strcmp(s, "relu") == 0) {
        act->kind = LMO_KHK_RELU;
        fmpq_zero(act->a);
        return LMO_OK;
    }
    if (strcmp(s, "abs") == 0) {
        act->kind = LMO_KHK_ABS;
        fmpq_set_si(act->a, -1, 1);
        return LMO_OK;
    }
    if (strncmp(s, "leaky:", 6) == 0) {
        lmo_limits_t deflim;
        if (lim == NULL) lmo_limits_default(&deflim), lim = &deflim;
        if (lmo_q_set_str(act->a, s + 6, path, lim, err)) return err->code;
        if (fmpq_cmp_si(act->a, 1) > 0)
            return lmo_err_set(err, LMO_EINPUT, "%s: leaky slope a = %.40s > 1; the paper's "
                               "max(a z, z) needs a <= 1 (Section 4.1)", path, s + 6);
        act->kind = LMO_KHK_LEAKY;
        return LMO_OK;
    }
    return lmo_err_set(err, LMO_EINPUT, "%s: unknown activation \"%.40s\" (relu, abs, leaky:A "
                       "with exact A <= 1)", path, s);
}

char *lmo_khk_act_get_str(const lmo_khk_act_struct *act)
{
    if (act->kind == LMO_KHK_RELU) return strcpy(flint_malloc(5), "relu");
    if (act->kind == LMO_KHK_ABS) return strcpy(flint_malloc(4), "abs");
    char *a = lmo_q_get_str(act->a);
    char *s = flint_malloc(strlen(a) + 7);
    strcpy(s, "leaky:");
    strcat(s, a);
    flint_free(a);
    return s;
}

int lmo_khk_act_eval(fmpq_t s, fmpq_t lam, const lmo_khk_act_struct *act, const fmpq_t z)
{
    int sg = fmpq_sgn(z);
    if (sg > 0) {
        fmpq_set(s, z);
        fmpq_one(lam);
        return 0;
    }
    if (sg < 0) {  /* relu: 0; leaky: a z (a <= 1 makes a z >= z); abs: -z */
        fmpq_set(lam, act->a);
        fmpq_mul(s, act->a, z);
        return 0;
    }
    fmpq_zero(s);  /* z = 0: sigma(0) = 0 for all three */
    if (act->kind == LMO_KHK_LEAKY && fmpq_is_one(act->a)) {
        fmpq_one(lam);   /* leaky:1 is the identity: no kink */
        return 0;
    }
    fmpq_zero(lam);      /* the derivative does not exist: Lambda = 0 (Section 4.1) */
    return 1;
}

int lmo_khk_input_set_json(lmo_khk_t net, const json_t *input, const lmo_limits_t *lim_in,
                           lmo_err_t *err)
{
    lmo_limits_t lim;
    const json_t *jx, *jy;
    slong L = 0;
    const json_t *jw = lmo_json_require_network(&jx, &jy, &L, &lim, input, lim_in, err);
    if (!jw) return err->code;
    const json_t *ja = lmo_json_require(input, "activations", "input", err);
    if (!ja) return err->code;
    if (!json_is_array(ja) || (slong) json_array_size(ja) != L - 1)
        return lmo_err_set(err, LMO_EINPUT, "input.activations: must be an array of %ld "
                           "strings, one per hidden layer", (long) (L - 1));
    fmpq_mat_t X, Y;
    if (lmo_mat_set_json(X, jx, "input.X", &lim, err)) return err->code;
    if (lmo_mat_set_json(Y, jy, "input.Y", &lim, err)) { fmpq_mat_clear(X); return err->code; }
    fmpq_mat_struct *W = flint_malloc(sizeof(fmpq_mat_struct) * (size_t) L);
    slong got = 0, m = fmpq_mat_nrows(X);
    int rc = LMO_OK;
    char path[64];
    if (m < 1 || fmpq_mat_ncols(X) < 1)
        rc = lmo_err_set(err, LMO_EINPUT, "input.X: %ld x %ld; needs m >= 1 rows (samples) and "
                         "dx >= 1 columns", (long) m, (long) fmpq_mat_ncols(X));
    else if (fmpq_mat_nrows(Y) != m || fmpq_mat_ncols(Y) < 1)
        rc = lmo_err_set(err, LMO_EINPUT, "input.Y: %ld x %ld; needs m = %ld rows (rows are "
                         "samples) and dy >= 1 columns", (long) fmpq_mat_nrows(Y),
                         (long) fmpq_mat_ncols(Y), (long) m);
    for (slong l = 0; l < L && rc == LMO_OK; l++) {
        snprintf(path, sizeof path, "input.weights[%ld]", (long) l);
        if (lmo_mat_set_json(W + l, json_array_get(jw, l), path, &lim, err)) { rc = err->code; break; }
        got++;
        slong r = fmpq_mat_nrows(W + l), c = fmpq_mat_ncols(W + l);
        slong want = l == 0 ? fmpq_mat_ncols(X) : fmpq_mat_ncols(W + l - 1);
        if (r < 1 || c < 1)
            rc = lmo_err_set(err, LMO_EINPUT, "%s: %ld x %ld; every width must be >= 1", path,
                             (long) r, (long) c);
        else if (r != want)
            rc = lmo_err_set(err, LMO_EINPUT, "%s: %ld x %ld does not chain: W(%ld) is d(%ld) x "
                             "d(%ld), needs %ld rows", path, (long) r, (long) c, (long) (l + 1),
                             (long) l, (long) (l + 1), (long) want);
        else if (l == L - 1 && c != fmpq_mat_ncols(Y))
            rc = lmo_err_set(err, LMO_EINPUT, "%s: has %ld columns but input.Y has %ld (the last "
                             "layer outputs dy)", path, (long) c, (long) fmpq_mat_ncols(Y));
    }
    if (rc == LMO_OK) {
        slong *d = flint_malloc(sizeof(slong) * (size_t) (L + 1));
        d[0] = fmpq_mat_ncols(X);
        for (slong l = 1; l <= L; l++) d[l] = fmpq_mat_ncols(W + l - 1);
        lmo_khk_init(net, L - 1, d, m);
        flint_free(d);
        fmpq_mat_set(net->X, X);
        fmpq_mat_set(net->Y, Y);
        for (slong l = 0; l < L; l++) fmpq_mat_set(net->W + l, W + l);
        for (slong l = 0; l < L - 1 && rc == LMO_OK; l++) {
            const json_t *s = json_array_get(ja, l);
            snprintf(path, sizeof path, "input.activations[%ld]", (long) l);
            if (!json_is_string(s))
                rc = lmo_err_set(err, LMO_EINPUT, "%s: must be a string (relu, abs, leaky:A)", path);
            else if (lmo_khk_act_set_str(net->act + l, json_string_value(s), path, &lim, err))
                rc = err->code;
        }
        if (rc) lmo_khk_clear(net);
    }
    for (slong l = 0; l < got; l++) fmpq_mat_clear(W + l);
    flint_free(W);
    fmpq_mat_clear(X), fmpq_mat_clear(Y);
    return rc;
}

json_t *lmo_khk_input_to_json(const lmo_khk_t net)
{
    json_t *w = json_array(), *a = json_array();
    for (slong l = 0; l <= net->H; l++) json_array_append_new(w, lmo_json_from_mat(net->W + l));
    for (slong l = 0; l < net->H; l++) {
        char *s = lmo_khk_act_get_str(net->act + l);
        json_array_append_new(a, json_string(s));
        flint_free(s);
    }
    return json_pack("{s:o, s:o, s:o, s:o}", "X", lmo_json_from_mat(net->X), "Y",
                     lmo_json_from_mat(net->Y), "weights", w, "activations", a);
}
