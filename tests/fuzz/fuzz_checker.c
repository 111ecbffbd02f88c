/*
 * fuzz_checker -- libFuzzer target for lmo-check (proofs/: its JSON reader,
 * number parser and the rank certificate rules of DESIGN.md
 * "Certificates"), run in-process on the real proofs/lmo_check.c.
 *
 * Input: CERT '\0' VECTOR (`lmo-check CERT VECTOR`), or without a NUL byte
 * one VECTOR with an embedded "certificate" (`lmo-check VECTOR`); a NUL
 * cannot occur in valid JSON, so it is a safe separator. Seeds are made at
 * build time from vectors/ by fuzz_seeds.
 *
 * Properties: exit code 0, 1 or 2; one output line; and soundness:
 *  - whenever lmo-check says "rank r proven", the exact rank of the
 *    vector's matrix, computed by a second method (FLINT fmpq_mat_rref on
 *    the matrix the oracle reads from the same text's kind and input), is r;
 *  - whenever it says "deep_linear class C proven", the oracle's exact
 *    classification of the same input agrees with what C asserts (not
 *    critical; critical and global; a negative Hessian eigenvalue; critical,
 *    Hessian >= 0 and not global).
 */
#include <stdint.h>
#include <string.h>
#include "lmo_fuzz.h"
#include "lmo/core/vector_io.h"
#include "lmo/kawaguchi/deep_linear.h"

/* lmo-check proved deep_linear class `cls` for this input: the facts the
 * class stands for must hold, recomputed by the oracle (small networks). */
static void deep_linear_sound(const char *cls, const json_t *input)
{
    lmo_limits_t lim = { 8, 64, 4096, 1 << 20 };
    lmo_err_t err;
    lmo_deep_linear_t dl;
    if (lmo_deep_linear_input_set_json(dl, input, &lim, &err) != LMO_OK) return;
    slong n = lmo_deep_linear_nparams(dl);
    if (n <= 16) {
        lmo_dl_opts_t opts;
        lmo_dl_result_t res;
        lmo_dl_opts_default(&opts);
        opts.search = 2;
        lmo_dl_result_init(res);
        if (lmo_deep_linear_classify(res, dl, &opts, NULL, &err) != LMO_OK)
            lmo_fuzz_fail("classify failed: %s", err.msg);
        int c = lmo_dl_class_from_name(cls), sound = 1;
        if (c == LMO_DL_NOT_CRITICAL) sound = !res->critical;
        else if (c == LMO_DL_GLOBAL_MIN) sound = res->critical && res->is_global != 0;
        else if (c == LMO_DL_STRICT_SADDLE) sound = res->critical && res->nneg > 0;
        else if (c == LMO_DL_BAD_SADDLE) sound = res->critical && res->nneg == 0 && res->is_global != 1;
        else if (c != LMO_DL_UNKNOWN) sound = 0;   /* no certificate can prove the other two */
        if (!sound)
            lmo_fuzz_fail("lmo-check proves deep_linear class %s; the oracle finds critical=%d "
                          "inertia (+%ld,-%ld,0:%ld) is_global=%d", cls, res->critical,
                          (long) res->npos, (long) res->nneg, (long) res->nzero, res->is_global);
        lmo_dl_result_clear(res);
    }
    lmo_deep_linear_clear(dl);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lmo_fuzz_pair_t in = lmo_fuzz_split(data, size);
    const char *cert = in.cert, *vec = in.vec;
    size_t cert_len = in.cert_len, vec_len = in.vec_len;
    long rank = -1;
    const char *ok = NULL;
    if (lmo_fuzz_checker(cert, cert_len, vec, vec_len, &rank, &ok) != 0) return 0;
    const char *cls = strstr(ok, "deep_linear class ");
    char cname[32] = "";
    if (cls != NULL && sscanf(cls, "deep_linear class %31s proven", cname) == 1) {
        json_error_t je0;
        json_t *d0 = json_loadb(vec, vec_len, JSON_REJECT_DUPLICATES, &je0);
        deep_linear_sound(cname, json_object_get(d0, "input"));
        json_decref(d0);
        return 0;
    }
    if (rank < 0) return 0;

    /* proven: the rank must be right. The matrix is read by the oracle from
       the same text (its kind and input only: lmo-check ignores the rest of
       the envelope, so the oracle's stricter envelope rules must not hide a
       wrong proof). */
    json_error_t je;
    json_t *doc = json_loadb(vec, vec_len, JSON_REJECT_DUPLICATES, &je);
    const char *kind = json_string_value(json_object_get(doc, "kind"));
    lmo_limits_t lim = { 64, 400, 4096, 1 << 20 };
    lmo_err_t err;
    fmpq_mat_t G, E;
    if (kind != NULL && lmo_rank_matrix_from_input(G, kind, json_object_get(doc, "input"), &lim,
                                                   &err) == LMO_OK) {
        slong m = fmpq_mat_nrows(G), n = fmpq_mat_ncols(G);
        fmpq_mat_init(E, m, n);
        slong r = (m && n) ? fmpq_mat_rref(E, G) : 0;
        if (r != rank)
            lmo_fuzz_fail("lmo-check proves rank %ld, the matrix has rank %ld", rank, (long) r);
        fmpq_mat_clear(E);
        fmpq_mat_clear(G);
    }
    json_decref(doc);
    return 0;
}
