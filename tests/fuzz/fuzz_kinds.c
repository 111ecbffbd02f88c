/*
 * fuzz_kinds -- libFuzzer target for the exact tiers of the two newest kinds, read from a
 * whole vector as lmo reads it: khk (Kawaguchi-Huang-Kaelbling 2019, lmo/khk/khk.h:
 * forward pass, Lambda, J both ways, Theorems 1-2) and nguyen_hein (Nguyen-Hein 2017,
 * lmo/nguyen_hein/nguyen_hein.h: ranks in balls, Lemma 4.4, Theorems 3.8 and 5.3 with
 * GLPK). Seeds: the corpus's khk-* and nh-* vectors.
 *
 * Properties, beyond "no crash, no leak, no UB" -- the class this target was written
 * for: an nguyen_hein vector with an entry of 10^400 made GLPK abort the process (an
 * assertion on a coefficient beyond DBL_MAX):
 *  - an error is LMO_EINPUT or LMO_ELIMIT with one non-empty line;
 *  - khk: no statement violated and no cross-check failed (r->violation), and, checked here
 *    from the result's own numbers, J_direct = 1/2 ||(I - P) vec Y||^2 <= L: vec(Yhat) lies
 *    in the range of [D D_1(H+1)] (Lemma 1, at kinks too with Lambda = 0), so the
 *    projection's residual is the least;
 *  - nguyen_hein: Lemmas 4.3 and 4.4 are never violated (they are proven statements).
 * The ball precision is capped at 256 bits so that an execution stays short.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "lmo_fuzz.h"
#include "lmo/core/vector_io.h"
#include "lmo/khk/khk.h"
#include "lmo/nguyen_hein/nguyen_hein.h"

static void check_err(const lmo_err_t *err, int rc, const char *what)
{
    if (rc != LMO_EINPUT && rc != LMO_ELIMIT)
        lmo_fuzz_fail("%s: error code %d (want 2 or 3): %s", what, rc, err->msg);
    if (!err->msg[0] || strchr(err->msg, '\n'))
        lmo_fuzz_fail("%s: the message is not one non-empty line: \"%s\"", what, err->msg);
}

static void run_khk(const json_t *input, const lmo_limits_t *lim)
{
    lmo_khk_t net;
    lmo_khk_result_t r;
    lmo_err_t err;
    int rc = lmo_khk_input_set_json(net, input, lim, &err);
    if (rc) {
        check_err(&err, rc, "lmo_khk_input_set_json");
        return;
    }
    lmo_khk_result_init(r);
    rc = lmo_khk_compute(r, net, lim, &err);
    if (rc) {
        check_err(&err, rc, "lmo_khk_compute");
    } else {
        if (r->violation) lmo_fuzz_fail("khk: a statement is violated or a cross-check failed");
        if (fmpq_cmp(r->J_direct, r->loss) > 0) lmo_fuzz_fail("khk: J_direct > L");
    }
    lmo_khk_result_clear(r);
    lmo_khk_clear(net);
}

static void run_nh(const json_t *input, const lmo_limits_t *lim)
{
    lmo_nh_input_t in;
    lmo_nh_result_t r;
    lmo_err_t err;
    int rc = lmo_nh_input_set_json(in, input, lim, &err);
    if (rc) {
        check_err(&err, rc, "lmo_nh_input_set_json");
        return;
    }
    lmo_nh_result_init(r);
    rc = lmo_nh_run(r, in, 1, 256, &err);
    if (rc) {
        check_err(&err, rc, "lmo_nh_run");
    } else if (r->lemma44.outcome == LMO_OUTCOME_VIOLATED || r->lemma43.outcome == LMO_OUTCOME_VIOLATED) {
        lmo_fuzz_fail("nguyen_hein: Lemma 4.3 or 4.4 violated");
    }
    lmo_nh_result_clear(r);
    lmo_nh_input_clear(in);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    lmo_limits_t lim;
    lmo_err_t err;
    lmo_vector_t v;
    if (!text) abort();
    memcpy(text, data, size);
    text[size] = '\0';
    lmo_limits_default(&lim);   /* small caps: short executions */
    lim.max_dim = 16;
    lim.max_entries = 1024;
    lim.max_bits = 4096;
    lmo_vector_init(v);
    int rc = lmo_vector_read_string(v, text, &lim, &err);
    free(text);
    if (rc) {
        check_err(&err, rc, "lmo_vector_read_string");
    } else if (!strcmp(v->kind, "khk")) {
        run_khk(v->input, &lim);
    } else if (!strcmp(v->kind, "nguyen_hein")) {
        run_nh(v->input, &lim);
    }
    lmo_vector_clear(v);
    return 0;
}
