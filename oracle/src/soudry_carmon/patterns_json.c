/* Kind mnn_patterns <-> JSON (see lmo/soudry_carmon/patterns.h, DESIGN.md kinds
 * table). */
#include <stdio.h>
#include <string.h>
#include "lmo/soudry_carmon/patterns.h"
#include "lmo/core/vector_io.h"
#include "lmo/core/certificate.h"

/* The dropout member may be E1 itself or the list [E1] of kind mnn. */
static const json_t *dropout_matrix(const json_t *v, const char **path, lmo_err_t *err)
{
    if (json_is_array(v)) {
        if (json_array_size(v) != 1) {
            lmo_err_set(err, LMO_EINPUT, "input.dropout: expected E1 or a list [E1] of one matrix, "
                        "got a list of %zu", json_array_size(v));
            return NULL;
        }
        *path = "input.dropout[0]";
        return json_array_get(v, 0);
    }
    *path = "input.dropout";
    return v;
}

int lmo_patterns_input_set_json(lmo_patterns_input_t in, const json_t *input,
                                const lmo_limits_t *lim, lmo_err_t *err)
{
    if (!json_is_object(input)) return lmo_err_set(err, LMO_EINPUT, "input: expected an object");
    const json_t *jx = lmo_json_require(input, "X", "input", err);
    if (jx == NULL) return err->code;
    const json_t *jw = lmo_json_require(input, "width", "input", err);
    if (jw == NULL) return err->code;
    const json_t *js = lmo_json_require(input, "slope", "input", err);
    if (js == NULL) return err->code;

    fmpq_mat_t X, E;
    slong d1;
    if (lmo_slong_set_json(&d1, jw, "input.width", 1, lim->max_dim, err)) return err->code;
    if (lmo_mat_set_json(X, jx, "input.X", lim, err)) return err->code;
    slong d0 = fmpq_mat_nrows(X), N = fmpq_mat_ncols(X);
    int rc = LMO_OK, has_e = 0;
    if (d0 < 1 || N < 1) rc = lmo_err_set(err, LMO_EINPUT, "input.X: needs d0 >= 1 rows and N >= 1 columns");
    else if (d1 > lim->max_entries / N)
        rc = lmo_err_set(err, LMO_ELIMIT, "input.width: E1 would have %ld x %ld entries, over the cap",
                         (long) d1, (long) N);
    const json_t *jd = json_object_get(input, "dropout");
    if (rc == LMO_OK && jd != NULL && !json_is_null(jd)) {
        const char *path = "input.dropout";
        const json_t *je = dropout_matrix(jd, &path, err);
        if (je == NULL) rc = err->code;
        else if ((rc = lmo_mat_set_json(E, je, path, lim, err)) == LMO_OK) {
            has_e = 1;
            if (fmpq_mat_nrows(E) != d1 || fmpq_mat_ncols(E) != N)
                rc = lmo_err_set(err, LMO_EINPUT, "%s: E1 is %ld x %ld, expected width x N = %ld x %ld",
                                 path, (long) fmpq_mat_nrows(E), (long) fmpq_mat_ncols(E),
                                 (long) d1, (long) N);
        }
    }
    fmpq_t s;
    fmpq_init(s);
    if (rc == LMO_OK && (rc = lmo_q_set_json(s, js, "input.slope", lim, err)) == LMO_OK
        && fmpq_is_zero(s))
        rc = lmo_err_set(err, LMO_EINPUT, LMO_PATTERNS_SLOPE_ZERO);

    lmo_patterns_mode_t mode = LMO_PATTERNS_EXHAUSTIVE;
    const json_t *jm = json_object_get(input, "mode");
    if (rc == LMO_OK && jm != NULL) {
        const char *ms = json_string_value(jm);
        if (ms && strcmp(ms, "exhaustive") == 0) mode = LMO_PATTERNS_EXHAUSTIVE;
        else if (ms && strcmp(ms, "sampled") == 0) mode = LMO_PATTERNS_SAMPLED;
        else if (ms && strcmp(ms, "realizable") == 0) mode = LMO_PATTERNS_REALIZABLE;
        else rc = lmo_err_set(err, LMO_EINPUT, "input.mode: expected \"exhaustive\", \"sampled\" or \"realizable\"");
    }
    slong count = 0, seed = 0;
    const json_t *jc = json_object_get(input, "count");
    if (rc == LMO_OK && jc != NULL)
        rc = lmo_slong_set_json(&count, jc, "input.count", 0, LMO_PATTERNS_MAX_CHECKED, err);
    if (rc == LMO_OK && mode == LMO_PATTERNS_SAMPLED && count < 1)
        rc = lmo_err_set(err, LMO_EINPUT, "input.count: mode sampled needs count >= 1");
    const json_t *jsd = json_object_get(input, "seed");
    if (rc == LMO_OK && jsd != NULL)
        rc = lmo_slong_set_json(&seed, jsd, "input.seed", 0, WORD_MAX, err);

    if (rc == LMO_OK) {
        fmpq_mat_swap(in->X, X);
        fmpq_mat_clear(in->E);
        if (has_e) fmpq_mat_init_set(in->E, E);
        else {
            fmpq_mat_init(in->E, d1, N);
            for (slong i = 0; i < d1; i++)
                for (slong n = 0; n < N; n++) fmpq_one(fmpq_mat_entry(in->E, i, n));
        }
        fmpq_swap(in->s, s);
        in->d1 = d1;
        in->has_dropout = has_e;
        in->mode = mode;
        in->count = (ulong) count;
        in->seed = (ulong) seed;
    }
    fmpq_clear(s);
    fmpq_mat_clear(X);
    if (has_e) fmpq_mat_clear(E);
    return rc;
}

static json_t *signs_json(const unsigned char *sg, slong d1, slong N)
{
    json_t *a = json_array();
    char *row = flint_malloc(N + 1);
    for (slong i = 0; i < d1; i++) {
        for (slong n = 0; n < N; n++) row[n] = sg[i * N + n] ? '+' : '-';
        row[N] = '\0';
        json_array_append_new(a, json_string(row));
    }
    flint_free(row);
    return a;
}

json_t *lmo_pattern_cert_to_json(const lmo_pattern_entry_struct *e, const lmo_patterns_result_struct *res,
                                  const char *vector_id)
{
    json_t *c = lmo_cert_rank_to_json(e->cert, vector_id);
    /* which matrix the certificate is about: G1^p of this pattern */
    json_object_set_new(c, "matrix", json_string("G1^p = A1^p o X"));
    json_object_set_new(c, "pattern", signs_json(e->signs, res->d1, res->N));
    return c;
}

json_t *lmo_patterns_certificates_to_json(const lmo_patterns_result_t res, const char *vector_id)
{
    json_t *c = json_object(), *list = json_array();
    json_object_set_new(c, "format", json_string("lmo-cert/1"));
    json_object_set_new(c, "claim", json_string("bundle"));
    json_object_set_new(c, "vector", json_string(vector_id ? vector_id : ""));
    for (slong t = 0; t < res->nlisted; t++)
        json_array_append_new(list, lmo_pattern_cert_to_json(res->listed + t, res, vector_id));
    json_object_set_new(c, "certificates", list);
    /* exhaustive with every deficient pattern listed: each other pattern has rank N
       modulo the run's prime (an unlucky prime would have been replaced), which lets
       lmo-check prove the counts */
    if (res->mode == LMO_PATTERNS_EXHAUSTIVE && res->prime > 1
        && (ulong) res->nlisted == res->deficient) {
        char p[32];
        snprintf(p, sizeof p, "%lu", (unsigned long) res->prime);
        json_object_set_new(c, "full_rank", json_pack("{s:s}", "prime", p));
    }
    return c;
}

static const char *mode_name(lmo_patterns_mode_t m)
{
    return m == LMO_PATTERNS_SAMPLED ? "sampled" : m == LMO_PATTERNS_REALIZABLE ? "realizable"
           : "exhaustive";
}

json_t *lmo_patterns_result_to_json(const lmo_patterns_result_t res, const char *vector_id, int certs)
{
    json_t *o = json_object();
    json_object_set_new(o, "mode", json_string(mode_name(res->mode)));
    json_object_set_new(o, "patterns_checked", json_integer((json_int_t) res->checked));
    json_object_set_new(o, "full_rank", json_integer((json_int_t) res->full_rank));
    json_object_set_new(o, "deficient", json_integer((json_int_t) res->deficient));
    json_object_set_new(o, "min_rank", json_integer(res->min_rank));
    json_t *rc = json_array();
    for (slong r = 0; r <= res->N; r++)
        json_array_append_new(rc, json_integer((json_int_t) res->rank_count[r]));
    json_object_set_new(o, "rank_counts", rc);
    json_t *list = json_array();
    for (slong t = 0; t < res->nlisted; t++) {
        const lmo_pattern_entry_struct *e = res->listed + t;
        json_t *ent = json_object();
        json_object_set_new(ent, "signs", signs_json(e->signs, res->d1, res->N));
        json_object_set_new(ent, "rank", json_integer(e->cert->rank));
        if (certs) json_object_set_new(ent, "certificate", lmo_pattern_cert_to_json(e, res, vector_id));
        json_array_append_new(list, ent);
    }
    json_object_set_new(o, "deficient_patterns", list);
    json_object_set_new(o, "deficient_listed_all",
                        json_boolean((ulong) res->nlisted == res->deficient));
    if (res->mode == LMO_PATTERNS_REALIZABLE) {
        json_object_set_new(o, "cells_per_unit", json_integer((json_int_t) res->cells_per_unit));
        json_object_set_new(o, "realizable_drawn", json_boolean(res->realizable_drawn));
    }
    json_t *theorems = json_array();
    lmo_theorems_append(theorems, &res->lemma3);
    json_object_set_new(o, "theorems", theorems);
    return o;
}
