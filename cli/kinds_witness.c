/*
 * Kind ops of kind `witness` (Soudry-Carmon Lemma 8, (B.3)-(B.6); see
 * lmo/witness.h) for `lmo bless`, `lmo gen` and `lmo check`: the exact
 * verdict with its witness certificate, and each policy's float decisions.
 *
 * Entry points for the kind table (cli/kinds.c): the ops as one struct,
 *   extern const lmo_kind_ops_t lmo_kind_ops_witness;
 * or each function, for a row { "witness", lmo_kind_witness_exact,
 * lmo_kind_witness_fast, lmo_kind_witness_flags, NULL } of KIND_OPS.
 */
#include <stdlib.h>
#include <string.h>
#include "kinds.h"
#include "lmo/witness.h"
#include "lmo_fast/witness.h"

extern const lmo_kind_ops_t lmo_kind_ops_witness;
int lmo_kind_witness_exact(json_t **expect, json_t **cert, const lmo_vector_t v,
                           const lmo_cli_opts *o, lmo_err_t *err);
int lmo_kind_witness_fast(json_t **fast, const lmo_vector_t v, const lmo_fast_policy_t *pols,
                          int npol, const lmo_cli_opts *o, lmo_err_t *err);
void lmo_kind_witness_flags(json_t *flags, const json_t *expect, const json_t *fast);

static int load(slong **d, slong *L, slong *N, const lmo_vector_t v, const lmo_cli_opts *o,
                lmo_err_t *err)
{
    *d = NULL;
    if (strcmp(v->kind, "witness") != 0)
        return lmo_err_set(err, LMO_EINPUT, "kind: \"%s\" is not witness", v->kind);
    return lmo_witness_input_set_json(d, L, N, v->input, &o->lim, err);
}

int lmo_kind_witness_exact(json_t **expect, json_t **cert, const lmo_vector_t v,
                           const lmo_cli_opts *o, lmo_err_t *err)
{
    slong *d, L, N;
    if (load(&d, &L, &N, v, o, err)) return err->code;
    lmo_witness_t w;
    lmo_witness_result_t r;
    lmo_witness_init(w);
    lmo_witness_result_init(r);
    int rc = lmo_witness_build(w, d, L, N, err);
    if (rc == LMO_OK) rc = lmo_witness_verify(r, w, 1, o->seed, err);
    if (rc == LMO_OK) {
        *expect = lmo_witness_expect_to_json(w, r);
        *cert = lmo_witness_cert_to_json(w, v->id);
    }
    lmo_witness_result_clear(r);
    lmo_witness_clear(w);
    flint_free(d);
    return rc;
}

/* {policy: {G_identity, rank, full_column_rank}} from the double twin */
int lmo_kind_witness_fast(json_t **fast, const lmo_vector_t v, const lmo_fast_policy_t *pols,
                          int npol, const lmo_cli_opts *o, lmo_err_t *err)
{
    slong *d, L, N;
    *fast = NULL;
    if (load(&d, &L, &N, v, o, err)) return err->code;
    long *ld = malloc(sizeof(long) * (size_t) (L + 1));
    for (slong l = 0; l <= L; l++) ld[l] = (long) d[l];
    lmo_fast_witness_t fw;
    int rc = LMO_OK;
    if (lmo_fast_witness_build(&fw, ld, (long) L, (long) N) != 0) {
        rc = lmo_err_set(err, LMO_ELIMIT, "internal: the fast tier refused widths the oracle accepted");
    } else {
        *fast = json_object();
        for (int p = 0; p < npol && rc == LMO_OK; p++) {
            lmo_fast_witness_result_t fr;
            lmo_fast_witness_result_init(&fr);
            if (lmo_fast_witness_run(&fr, &fw, &pols[p]) != 0)
                rc = lmo_err_set(err, LMO_ELIMIT, "LAPACK failed under policy %s (info %d)", pols[p].name,
                                 fr.rank.info);
            else
                json_object_set_new(*fast, pols[p].name,
                                    json_pack("{s:b, s:I, s:b}", "G_identity", fr.identity, "rank",
                                              (json_int_t) fr.rank.rank, "full_column_rank",
                                              fr.rank.rank == N));
            lmo_fast_witness_result_clear(&fr);
        }
        lmo_fast_witness_clear(&fw);
    }
    free(ld);
    flint_free(d);
    if (rc) { json_decref(*fast); *fast = NULL; }
    return rc;
}

/* FloatDisagrees when a policy's rank or identity decision differs. */
void lmo_kind_witness_flags(json_t *flags, const json_t *expect, const json_t *fast)
{
    json_t *er = json_object_get(expect, "rank"), *ei = json_object_get(expect, "G_identity");
    const char *key; json_t *val;
    int dis = 0;
    json_object_foreach((json_t *) fast, key, val) {
        json_t *fr = json_object_get(val, "rank"), *fi = json_object_get(val, "G_identity");
        if (!json_is_integer(fr) || !json_equal(fr, er) || fi == NULL || !json_equal(fi, ei)) dis = 1;
    }
    if (dis) json_array_append_new(flags, json_string("FloatDisagrees"));
}

const lmo_kind_ops_t lmo_kind_ops_witness = {
    .kind = "witness",
    .exact = lmo_kind_witness_exact,
    .fast = lmo_kind_witness_fast,
    .flags = lmo_kind_witness_flags,
};
