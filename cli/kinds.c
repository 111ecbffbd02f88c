/*
 * Per-kind operations used by `lmo bless`, `lmo gen` and `lmo check`: the
 * exact verdict (expect + certificate) and the fast tier's decisions, each
 * computed by its own tier. Rank kinds live here; other kinds register
 * their operations in KIND_OPS below.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kinds.h"
#include "lmo/certificate.h"
#include "lmo/rank.h"

/* Policies recorded in `fast` when the user names none. */
static const char *const DEFAULT_POLICIES[] = { "numpy", "qrcp", "abs:1e-10", NULL };

int lmo_kind_policies(lmo_fast_policy_t *out, int max, const lmo_cli_opts *o)
{
    if (o->npolicies > 0) {
        memcpy(out, o->policies, sizeof(lmo_fast_policy_t) * (size_t) o->npolicies);
        return o->npolicies;
    }
    int n = 0;
    for (; DEFAULT_POLICIES[n] && n < max; n++) lmo_fast_policy_parse(&out[n], DEFAULT_POLICIES[n]);
    return n;
}

/* ---- rank kinds ---- */

static int rank_exact(json_t **expect, json_t **cert, const lmo_vector_t v,
                      const lmo_cli_opts *o, lmo_err_t *err)
{
    fmpq_mat_t G;
    if (lmo_rank_matrix_from_input(G, v->kind, v->input, &o->lim, err)) return err->code;
    lmo_rank_t R;
    lmo_rank_init(R);
    int rc = lmo_rank_certified(R, G, o->seed, err);
    if (rc == LMO_OK) {
        *expect = json_pack("{s:I, s:b}", "rank", (json_int_t) R->rank, "full_column_rank", R->rank == R->n);
        *cert = lmo_cert_rank_to_json(R, v->id);
    }
    lmo_rank_clear(R);
    fmpq_mat_clear(G);
    return rc;
}

static int rank_fast(json_t **fast, const lmo_vector_t v, const lmo_fast_policy_t *pols,
                     int npol, const lmo_cli_opts *o, lmo_err_t *err)
{
    fmpq_mat_t G;
    if (lmo_rank_matrix_from_input(G, v->kind, v->input, &o->lim, err)) return err->code;
    int overflow = 0, rc = LMO_OK;
    slong m = fmpq_mat_nrows(G), n = fmpq_mat_ncols(G);
    double *D = lmo_cli_mat_to_double(G, &overflow);
    *fast = json_object();
    for (int p = 0; p < npol; p++) {
        if (overflow) {
            json_object_set_new(*fast, pols[p].name, json_pack("{s:n, s:s}", "rank", "why", "overflow"));
            continue;
        }
        lmo_fast_rank_t fr;
        lmo_fast_rank_init(&fr);
        if (lmo_fast_rank(&fr, D, m, n, &pols[p]) != 0) {
            rc = lmo_err_set(err, LMO_ELIMIT, "LAPACK failed under policy %s (info %d)", pols[p].name, fr.info);
        } else {
            json_object_set_new(*fast, pols[p].name, json_pack("{s:I, s:b}", "rank", (json_int_t) fr.rank,
                                                               "full_column_rank", fr.rank == n));
        }
        lmo_fast_rank_clear(&fr);
    }
    free(D);
    fmpq_mat_clear(G);
    if (rc) { json_decref(*fast); *fast = NULL; }
    return rc;
}

/* FloatDisagrees when some policy's rank differs from the exact rank. */
static void rank_flags(json_t *flags, const json_t *expect, const json_t *fast)
{
    json_int_t r = json_integer_value(json_object_get(expect, "rank"));
    const char *key; json_t *val;
    int dis = 0;
    json_object_foreach((json_t *) fast, key, val) {
        json_t *fr = json_object_get(val, "rank");
        if (!json_is_integer(fr) || json_integer_value(fr) != r) dis = 1;
    }
    if (dis) json_array_append_new(flags, json_string("FloatDisagrees"));
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
        snprintf(head, sizeof head, "%.*s", (int) (dot - *paths), *paths);
        json_t *from = json_object_get(expect, head), *m = json_object_get(from, dot + 1);
        if (m == NULL) continue;
        json_t *to = json_object_get(report, head);
        if (to == NULL) json_object_set_new(report, head, to = json_object());
        json_object_set(to, dot + 1, m);
        json_object_del(from, dot + 1);
    }
}

void lmo_kind_split(const lmo_kind_ops_t *ops, json_t *expect, json_t **report)
{
    *report = json_object();
    if (ops->split) ops->split(expect, *report);
}

int lmo_kind_disagrees_shared(const json_t *expect, const json_t *decision, char *why, size_t cap)
{
    const char *key; json_t *val;
    json_object_foreach((json_t *) decision, key, val) {
        json_t *e = json_object_get(expect, key);
        if (e == NULL) continue;
        json_t *a = lmo_json_canonical_numbers(e), *b = lmo_json_canonical_numbers(val);
        int same = json_equal(a, b);
        if (!same) {
            char *sa = json_dumps(a, JSON_ENCODE_ANY | JSON_COMPACT), *sb = json_dumps(b, JSON_ENCODE_ANY | JSON_COMPACT);
            snprintf(why, cap, "%s: float %.200s, exact %.200s", key, sb, sa);
            free(sa); free(sb);
        }
        json_decref(a); json_decref(b);
        if (!same) return 1;
    }
    return 0;
}

/* kinds implemented in their own files (cli/cmd_mnn.c, cli/cmd_patterns.c) */
int lmo_kind_mnn_exact(json_t **expect, json_t **cert, const lmo_vector_t v,
                       const lmo_cli_opts *o, lmo_err_t *err);
int lmo_kind_mnn_fast(json_t **fast, const lmo_vector_t v, const lmo_fast_policy_t *pols,
                      int npol, const lmo_cli_opts *o, lmo_err_t *err);
void lmo_kind_mnn_flags(json_t *flags, const json_t *expect, const json_t *fast);
void lmo_kind_mnn_split(json_t *expect, json_t *report);
int lmo_kind_patterns_exact(json_t **expect, json_t **cert, const lmo_vector_t v,
                            const lmo_cli_opts *o, lmo_err_t *err);
int lmo_kind_patterns_fast(json_t **fast, const lmo_vector_t v, const lmo_fast_policy_t *pols,
                           int npol, const lmo_cli_opts *o, lmo_err_t *err);
void lmo_kind_patterns_flags(json_t *flags, const json_t *expect, const json_t *fast);
void lmo_kind_patterns_split(json_t *expect, json_t *report);
int lmo_kind_deep_linear_exact(json_t **expect, json_t **cert, const lmo_vector_t v,
                               const lmo_cli_opts *o, lmo_err_t *err);
int lmo_kind_deep_linear_fast(json_t **fast, const lmo_vector_t v, const lmo_fast_policy_t *pols,
                              int npol, const lmo_cli_opts *o, lmo_err_t *err);
void lmo_kind_deep_linear_flags(json_t *flags, const json_t *expect, const json_t *fast);
void lmo_kind_deep_linear_split(json_t *expect, json_t *report);
int lmo_kind_witness_exact(json_t **expect, json_t **cert, const lmo_vector_t v,
                           const lmo_cli_opts *o, lmo_err_t *err);
int lmo_kind_witness_fast(json_t **fast, const lmo_vector_t v, const lmo_fast_policy_t *pols,
                          int npol, const lmo_cli_opts *o, lmo_err_t *err);
void lmo_kind_witness_flags(json_t *flags, const json_t *expect, const json_t *fast);

static const lmo_kind_ops_t KIND_OPS[] = {
    { "matrix_rank", rank_exact, rank_fast, rank_flags, NULL, NULL },
    { "khatri_rao_rank", rank_exact, rank_fast, rank_flags, NULL, NULL },
    { "mnn", lmo_kind_mnn_exact, lmo_kind_mnn_fast, lmo_kind_mnn_flags, lmo_kind_mnn_split, NULL },
    { "mnn_patterns", lmo_kind_patterns_exact, lmo_kind_patterns_fast, lmo_kind_patterns_flags,
      lmo_kind_patterns_split, NULL },
    { "deep_linear", lmo_kind_deep_linear_exact, lmo_kind_deep_linear_fast, lmo_kind_deep_linear_flags,
      lmo_kind_deep_linear_split, NULL },
    { "witness", lmo_kind_witness_exact, lmo_kind_witness_fast, lmo_kind_witness_flags, NULL, NULL },
    { NULL, NULL, NULL, NULL, NULL, NULL }
};

const lmo_kind_ops_t *lmo_kind_ops(const char *kind)
{
    for (int i = 0; KIND_OPS[i].kind; i++)
        if (strcmp(KIND_OPS[i].kind, kind) == 0) return &KIND_OPS[i];
    return NULL;
}
