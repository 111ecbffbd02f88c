/*
 * The witness of Soudry-Carmon Theorem 5 (appendix B, (B.3)-(B.6); Fact 2
 * for L = 2), built exactly and verified through the exact forward pass of
 * lmo/soudry_carmon/mnn.h. See lmo/soudry_carmon/witness.h.
 */
#include <stdio.h>
#include <string.h>
#include "lmo/soudry_carmon/witness.h"
#include "lmo/soudry_carmon/hypotheses.h"
#include "lmo/linalg/khatri_rao.h"
#include "lmo/core/vector_io.h"

/* ------------------------------------------------------------ shapes */

int lmo_witness_check_shape(const slong *d, slong nw, slong N, const char *wf,
                            const char *nf, const lmo_limits_t *lim, lmo_err_t *err)
{
    lmo_limits_t def;
    if (lim == NULL) { lmo_limits_default(&def); lim = &def; }
    if (nw < 3)
        return lmo_err_set(err, LMO_EINPUT, "%s: needs at least 3 widths d0,d1,...,dL (L >= 2 weight "
                           "layers, so that G_{L-1} exists), got %ld", wf, (long) nw);
    if (nw - 1 > lim->max_dim)
        return lmo_err_set(err, LMO_ELIMIT, "%s: %ld layers exceed the dimension cap %ld", wf,
                           (long) (nw - 1), (long) lim->max_dim);
    slong L = nw - 1;
    for (slong l = 0; l <= L; l++) {
        if (d[l] < 1)
            return lmo_err_set(err, LMO_EINPUT, "%s: d%ld = %ld, but every width must be >= 1", wf,
                               (long) l, (long) d[l]);
        if (d[l] > lim->max_dim)
            return lmo_err_set(err, LMO_ELIMIT, "%s: d%ld = %ld exceeds the dimension cap %ld", wf,
                               (long) l, (long) d[l], (long) lim->max_dim);
    }
    if (d[L] != 1)
        return lmo_err_set(err, LMO_EINPUT, "%s: the output width dL must be 1 (one output), got d%ld = %ld",
                           wf, (long) L, (long) d[L]);
    if (N < 1) return lmo_err_set(err, LMO_EINPUT, "%s: N must be >= 1, got %ld", nf, (long) N);
    slong rows = d[L - 2] * d[L - 1];     /* rows of G_{L-1}, <= 2^40: no overflow */
    if (N > lmo_sc_theorem5_max_samples(d, L))
        return lmo_err_set(err, LMO_EINPUT, "%s: N = %ld exceeds d_{L-2}*d_{L-1} = d%ld*d%ld = %ld*%ld = %ld: "
                           "G_{L-1} has only %ld rows, so rank N is impossible and no witness exists "
                           "(Theorem 5 needs N <= d_{L-2} d_{L-1})", nf, (long) N, (long) (L - 2),
                           (long) (L - 1), (long) d[L - 2], (long) d[L - 1], (long) rows, (long) rows);
    if (N > lim->max_dim)
        return lmo_err_set(err, LMO_ELIMIT, "%s: N = %ld exceeds the dimension cap %ld", nf, (long) N,
                           (long) lim->max_dim);
    /* the largest matrices: G (rows x N), X and E_l (d_l x N), W_l (d_l x d_{l-1}) */
    slong big = rows * N;
    for (slong l = 0; l <= L; l++) {
        big = FLINT_MAX(big, d[l] * N);
        if (l) big = FLINT_MAX(big, d[l] * d[l - 1]);
    }
    if (big > lim->max_entries)
        return lmo_err_set(err, LMO_ELIMIT, "%s: the witness needs a matrix of %ld entries, over the cap "
                           "of %ld (LMO_MAX_ENTRIES)", wf, (long) big, (long) lim->max_entries);
    return LMO_OK;
}

int lmo_witness_input_set_json(slong **d, slong *L, slong *N, const json_t *input,
                               const lmo_limits_t *lim, lmo_err_t *err)
{
    *d = NULL;
    if (!json_is_object(input)) return lmo_err_set(err, LMO_EINPUT, "input: expected an object");
    const json_t *jw, *jn;
    if ((jw = lmo_json_require(input, "widths", "input", err)) == NULL) return err->code;
    if ((jn = lmo_json_require(input, "N", "input", err)) == NULL) return err->code;
    if (!json_is_array(jw))
        return lmo_err_set(err, LMO_EINPUT, "input.widths: expected a list [d0, ..., dL] of integers");
    slong nw = (slong) json_array_size(jw);
    if (nw > lim->max_dim + 1)
        return lmo_err_set(err, LMO_ELIMIT, "input.widths: %ld widths exceed the dimension cap", (long) nw);
    if (lmo_slong_set_json(N, jn, "input.N", 0, WORD_MAX, err)) return err->code;
    slong *w = flint_malloc(sizeof(slong) * (size_t) (nw + 1));
    char path[64];
    for (slong l = 0; l < nw; l++) {
        snprintf(path, sizeof path, "input.widths[%ld]", (long) l);
        if (lmo_slong_set_json(w + l, json_array_get(jw, (size_t) l), path, 1, lim->max_dim, err)) {
            flint_free(w);
            return err->code;
        }
    }
    if (lmo_witness_check_shape(w, nw, *N, "input.widths", "input.N", lim, err)) {
        flint_free(w);
        return err->code;
    }
    *d = w;
    *L = nw - 1;
    return LMO_OK;
}

/* ----------------------------------------------------------- the witness */

void lmo_witness_init(lmo_witness_t w)
{
    memset(w, 0, sizeof *w);
}

void lmo_witness_clear(lmo_witness_t w)
{
    if (w->built) {
        for (slong l = 1; l < w->L; l++) fmpq_mat_clear(w->A + l - 1);
        flint_free(w->A);
        lmo_mnn_input_clear(w->net);
        flint_free(w->d);
    }
    memset(w, 0, sizeof *w);
}

static void fill(fmpq_mat_t M, slong v)
{
    for (slong i = 0; i < fmpq_mat_nrows(M); i++)
        for (slong j = 0; j < fmpq_mat_ncols(M); j++) fmpq_set_si(fmpq_mat_entry(M, i, j), v, 1);
}

int lmo_witness_build(lmo_witness_t w, const slong *d, slong L, slong N, lmo_err_t *err)
{
    if (lmo_witness_check_shape(d, L + 1, N, "widths", "N", NULL, err)) return err->code;
    lmo_witness_clear(w);
    w->L = L;
    w->N = N;
    w->d = flint_malloc(sizeof(slong) * (size_t) (L + 1));
    memcpy(w->d, d, sizeof(slong) * (size_t) (L + 1));
    lmo_mnn_input_init(w->net, L, d, N);      /* X, y, W zero; E ones */
    fmpq_set_si(w->net->s, 1, 10);            /* never acts: every u > 0 */
    w->net->has_dropout = 1;
    w->A = flint_malloc(sizeof(fmpq_mat_struct) * (size_t) L);
    for (slong l = 1; l < L; l++) fmpq_mat_init(w->A + l - 1, d[l], N);
    w->built = 1;

    const slong db = d[L - 2];                /* width of the layer under G_{L-1} */
    /* A'_{L-1} = [I_{d_{L-1}} (x) 1_{1 x d_{L-2}}]_{1..N}: column n is e_{n div d_{L-2}} (B.5) */
    for (slong n = 0; n < N; n++) fmpq_one(fmpq_mat_entry(w->A + L - 2, n / db, n));
    if (L == 2) {
        /* Fact 2: X' = [1_{1 x d1} (x) I_{d0}]_{1..N}: column n is e_{n mod d0} */
        for (slong n = 0; n < N; n++) fmpq_one(fmpq_mat_entry(w->net->X, n % db, n));
    } else {
        fill(w->net->X, 1);                                       /* (B.3) */
        for (slong l = 1; l <= L - 2; l++)                         /* (B.4) */
            for (slong i = 0; i < d[l]; i++) fmpq_one(fmpq_mat_entry(w->net->W + l - 1, i, 0));
        for (slong l = 1; l < L - 2; l++) fill(w->A + l - 1, 1);   /* (B.3) */
        /* A'_{L-2} = [1_{1 x d_{L-1}} (x) I_{d_{L-2}}]_{1..N}: column n is e_{n mod d_{L-2}} (B.5) */
        for (slong n = 0; n < N; n++) fmpq_one(fmpq_mat_entry(w->A + L - 3, n % db, n));
    }
    /* the two top layers, free in the paper: u_{L-1} = 1 > 0 and w_L = 1 */
    fill(w->net->W + L - 2, 1);
    fill(w->net->W + L - 1, 1);
    /* every u > 0, so a_l = eps_l: the dropout matrices are the activations */
    for (slong l = 1; l < L; l++) fmpq_mat_set(w->net->E + l - 1, w->A + l - 1);
    return LMO_OK;
}

/* ------------------------------------------------------------- verify */

void lmo_witness_result_init(lmo_witness_result_t r)
{
    memset(r, 0, sizeof *r);
    lmo_mnn_result_init(r->fwd);
    fmpq_mat_init(r->Delta, 0, 0);
    fmpq_mat_init(r->G, 0, 0);
    lmo_rank_init(r->rank);
    r->bad_row = r->bad_col = -1;
}

void lmo_witness_result_clear(lmo_witness_result_t r)
{
    lmo_mnn_result_clear(r->fwd);
    fmpq_mat_clear(r->Delta);
    fmpq_mat_clear(r->G);
    lmo_rank_clear(r->rank);
    memset(r, 0, sizeof *r);
}

void lmo_witness_G_layer(fmpq_mat_t Delta, fmpq_mat_t G, const lmo_mnn_result_t fwd,
                         const lmo_mnn_input_t in)
{
    slong L = in->L, N = in->N;
    /* (5.2): delta_{L-1} = diag(a_{L-1}) W_L^T diag(a_L), a_L = 1 */
    for (slong i = 0; i < in->d[L - 1]; i++)
        for (slong n = 0; n < N; n++)
            fmpq_mul(fmpq_mat_entry(Delta, i, n), fmpq_mat_entry(fwd->A + L - 2, i, n),
                     fmpq_mat_entry(in->W + L - 1, 0, i));
    /* (5.4): G_{L-1} = Delta_{L-1} o V_{L-2}, V_0 = X */
    lmo_khatri_rao(G, Delta, L == 2 ? in->X : fwd->V + L - 3);
}

/* The construction's outcome, naming the first part of (B.6) / Fact 2 that fails. */
static void witness_statement(lmo_witness_result_t r, slong L, slong N)
{
    const char *st = L == 2 ? "Soudry–Carmon Fact 2" : "Soudry–Carmon (B.3)-(B.6)";
    if (!r->activations_match)
        lmo_theorem_set(&r->construction, st, LMO_OUTCOME_VIOLATED,
                        "the exact forward pass's activations differ from A'");
    else if (!r->differentiable)
        lmo_theorem_set(&r->construction, st, LMO_OUTCOME_VIOLATED,
                        "a hidden pre-activation of the witness is 0");
    else if (!r->identity)
        lmo_theorem_set(&r->construction, st, LMO_OUTCOME_VIOLATED,
                        "G'_%ld differs from [I]_{1..N} at row %ld, column %ld", (long)(L - 1),
                        (long)r->bad_row, (long)r->bad_col);
    else if (r->certified && r->rank->rank != N)
        lmo_theorem_set(&r->construction, st, LMO_OUTCOME_VIOLATED,
                        "rank G'_%ld = %ld < N = %ld", (long)(L - 1), (long)r->rank->rank, (long)N);
    else
        lmo_theorem_set(&r->construction, st, LMO_OUTCOME_HOLDS,
                        "G'_%ld = [I]_{1..%ld}%s: this activation pattern (and, by rescaling E', "
                        "every pattern) has a point where rank G_%ld = N", (long)(L - 1), (long)N,
                        r->certified ? ", rank N certified" : "", (long)(L - 1));
}

int lmo_witness_verify(lmo_witness_result_t r, const lmo_witness_t w, int certify, ulong seed,
                       lmo_err_t *err)
{
    if (!w->built) return lmo_err_set(err, LMO_ELIMIT, "internal: witness not built");
    lmo_witness_result_clear(r);
    lmo_witness_result_init(r);
    slong L = w->L, N = w->N, rows = w->d[L - 2] * w->d[L - 1];
    if (lmo_mnn_forward(r->fwd, w->net, err)) return err->code;
    fmpq_mat_clear(r->Delta);
    fmpq_mat_clear(r->G);
    fmpq_mat_init(r->Delta, w->d[L - 1], N);
    fmpq_mat_init(r->G, rows, N);
    lmo_witness_G_layer(r->Delta, r->G, r->fwd, w->net);

    r->activations_match = 1;
    for (slong l = 1; l < L; l++)
        if (!fmpq_mat_equal(r->fwd->A + l - 1, w->A + l - 1)) r->activations_match = 0;
    r->differentiable = r->fwd->differentiable;
    r->identity = 1;
    for (slong i = 0; i < rows && r->identity; i++)
        for (slong n = 0; n < N; n++) {
            const fmpq *g = fmpq_mat_entry(r->G, i, n);
            if (i == n ? !fmpq_is_one(g) : !fmpq_is_zero(g)) {
                r->identity = 0;
                r->bad_row = i;
                r->bad_col = n;
                break;
            }
        }
    if (certify) {
        if (lmo_rank_certified(r->rank, r->G, seed, err)) return err->code;
        r->certified = 1;
    }
    r->holds = r->activations_match && r->differentiable && r->identity
               && (!certify || r->rank->rank == N);
    witness_statement(r, L, N);
    return LMO_OK;
}

void lmo_witness_lemma8(lmo_theorem_t *t, const lmo_witness_result_t r, slong N, slong grank,
                        int differentiable)
{
    static const char *const st = "Soudry–Carmon Lemma 8";
    if (!r->holds)
        lmo_theorem_set(t, st, LMO_OUTCOME_NOT_APPLICABLE,
                        "no point of rank N is known: the witness construction failed");
    else if (grank == N)
        lmo_theorem_set(t, st, LMO_OUTCOME_HOLDS,
                        "rank G = %ld = N at a random rational point, as the witness of rank N "
                        "implies for almost every point", (long)grank);
    else if (!differentiable)
        lmo_theorem_set(t, st, LMO_OUTCOME_EXCEPTIONAL,
                        "rank G = %ld < N = %ld at a random point with a hidden pre-activation "
                        "exactly 0: a kink, in the measure-zero exceptional set", (long)grank, (long)N);
    else
        lmo_theorem_set(t, st, LMO_OUTCOME_EXCEPTIONAL,
                        "rank G = %ld < N = %ld at a random rational point: every %ldx%ld minor "
                        "vanishes there, so it lies in the null set Lemma 8 excludes", (long)grank,
                        (long)N, (long)N, (long)N);
}

/* --------------------------------------------------------------- JSON */

static json_t *mat_list(const fmpq_mat_struct *M, slong k)
{
    json_t *a = json_array();
    for (slong i = 0; i < k; i++) json_array_append_new(a, lmo_json_from_mat(M + i));
    return a;
}

static json_t *widths_json(const lmo_witness_t w)
{
    json_t *a = json_array();
    for (slong l = 0; l <= w->L; l++) json_array_append_new(a, json_integer(w->d[l]));
    return a;
}

json_t *lmo_witness_params_to_json(const lmo_witness_t w)
{
    json_t *p = json_object();
    json_object_set_new(p, "X", lmo_json_from_mat(w->net->X));
    json_object_set_new(p, "slope", lmo_json_from_q(w->net->s));
    json_object_set_new(p, "weights", mat_list(w->net->W, w->L));
    json_object_set_new(p, "dropout", mat_list(w->net->E, w->L - 1));
    json_object_set_new(p, "activations", mat_list(w->A, w->L - 1));
    return p;
}

json_t *lmo_witness_expect_to_json(const lmo_witness_t w, const lmo_witness_result_t r)
{
    json_t *e = json_object();
    json_object_set_new(e, "layer", json_integer(w->L - 1));
    json_object_set_new(e, "witness", lmo_witness_params_to_json(w));
    json_object_set_new(e, "differentiable", json_boolean(r->differentiable));
    json_object_set_new(e, "activations_match", json_boolean(r->activations_match));
    json_object_set_new(e, "G_identity", json_boolean(r->identity));
    if (r->certified) {
        json_object_set_new(e, "rank", json_integer(r->rank->rank));
        json_object_set_new(e, "full_column_rank", json_boolean(r->rank->rank == w->N));
    }
    return e;
}

json_t *lmo_witness_cert_to_json(const lmo_witness_t w, const char *vector_id)
{
    json_t *c = lmo_witness_params_to_json(w);
    json_object_set_new(c, "format", json_string("lmo-cert/1"));
    json_object_set_new(c, "claim", json_string("witness"));
    json_object_set_new(c, "vector", json_string(vector_id ? vector_id : "cli"));
    json_object_set_new(c, "widths", widths_json(w));
    json_object_set_new(c, "N", json_integer(w->N));
    json_object_set_new(c, "layer", json_integer(w->L - 1));
    json_object_set_new(c, "rank", json_integer(w->N));
    return c;
}
