/*
 * Unit tests of lmo/soudry_carmon/witness.h and lmo_fast/witness.h: the witness of
 * Soudry-Carmon Theorem 5 (appendix B, (B.3)-(B.6); Fact 2 for L = 2), the
 * generic rank Lemma 8 concludes, and the generic-rank table.
 *
 * Independent references written here, never the builder called twice:
 *  - the Khatri-Rao identity of (B.5)-(B.6) from a generic integer Kronecker
 *    product: [I_{d_{L-1}} (x) 1_{1 x d_{L-2}}]_{1..N} o [1_{1 x d_{L-1}} (x)
 *    I_{d_{L-2}}]_{1..N}, compared with G' from the exact forward pass and
 *    with [I]_{1..N};
 *  - the paper's parameters (B.3)-(B.5) from the same Kronecker products;
 *  - G_{L-1} of the network module's own full run (lmo_mnn_run, (5.2)-(5.4));
 *  - a small checker of the witness certificate format, written from the
 *    rules of vectors/schema/lmo-cert-1.md (own forward pass over the JSON), with tampered
 *    certificates it must reject;
 *  - the minor of each genericity certificate re-evaluated mod p with FLINT
 *    nmod_mat; ranks below N forced by dimension counting (case (iii)).
 * A representative subset here. `test_witness --slow` (ctest unit.test_witness_slow,
 * label slow): every width list with L <= 6 and widths <= 8 and every admissible N,
 * genericity at random points of every width list with L <= 4 and widths <= 4, and
 * the generic-rank table for widths <= 4, L <= 5.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <flint/nmod_mat.h>
#include <flint/fmpq_vec.h>
#include "lmo/soudry_carmon/witness.h"
#include "lmo/core/vector_io.h"
#include "lmo_fast/witness.h"
#include "lmo_test.h"

/* ------------------------------------------------ integer references */

/* C = A (x) B, A ar x ac, B br x bc (row-major ints); C is ar*br x ac*bc */
static int *kron(const int *A, slong ar, slong ac, const int *B, slong br, slong bc)
{
    int *C = calloc((size_t) (ar * br * ac * bc) + 1, sizeof(int));
    for (slong i = 0; i < ar; i++)
        for (slong j = 0; j < ac; j++)
            for (slong k = 0; k < br; k++)
                for (slong l = 0; l < bc; l++)
                    C[(i * br + k) * (ac * bc) + j * bc + l] = A[i * ac + j] * B[k * bc + l];
    return C;
}

static int *eye(slong n)
{
    int *I = calloc((size_t) (n * n) + 1, sizeof(int));
    for (slong i = 0; i < n; i++) I[i * n + i] = 1;
    return I;
}

static int *ones(slong r, slong c)
{
    int *O = malloc(sizeof(int) * (size_t) (r * c + 1));
    for (slong k = 0; k < r * c; k++) O[k] = 1;
    return O;
}

/* first N columns of M (r x c) */
static int *first_cols(const int *M, slong r, slong c, slong N)
{
    int *F = malloc(sizeof(int) * (size_t) (r * N + 1));
    for (slong i = 0; i < r; i++)
        for (slong n = 0; n < N; n++) F[i * N + n] = M[i * c + n];
    return F;
}

/* (B.5): top = [I_{a} (x) 1_{1 x b}]_{1..N} (a x N), low = [1_{1 x a} (x) I_b]_{1..N} (b x N) */
static void b5(int **top, int **low, slong a, slong b, slong N)
{
    int *Ia = eye(a), *Ib = eye(b), *oa = ones(1, a), *ob = ones(1, b);
    int *T = kron(Ia, a, a, ob, 1, b), *Lo = kron(oa, 1, a, Ib, b, b);
    *top = first_cols(T, a, a * b, N);
    *low = first_cols(Lo, b, a * b, N);
    free(Ia); free(Ib); free(oa); free(ob); free(T); free(Lo);
}

static int mat_equals_int(const fmpq_mat_t M, const int *A, slong r, slong c)
{
    if (fmpq_mat_nrows(M) != r || fmpq_mat_ncols(M) != c) return 0;
    for (slong i = 0; i < r; i++)
        for (slong j = 0; j < c; j++) {
            const fmpq *q = fmpq_mat_entry(M, i, j);
            if (!fmpz_is_one(fmpq_denref(q)) || !fmpz_equal_si(fmpq_numref(q), A[i * c + j])) return 0;
        }
    return 1;
}

/* Check one witness against the references. Returns 1 when all agree. */
static int check_witness(const slong *d, slong L, slong N, int certify, int paper_params)
{
    lmo_witness_t w;
    lmo_witness_result_t r;
    lmo_err_t err;
    lmo_witness_init(w);
    lmo_witness_result_init(r);
    int ok = lmo_witness_build(w, d, L, N, &err) == LMO_OK
             && lmo_witness_verify(r, w, certify, 7, &err) == LMO_OK;
    slong a = d[L - 1], b = d[L - 2], rows = a * b;
    int *top, *low;
    b5(&top, &low, a, b, N);
    /* (B.6) written directly: the Khatri-Rao product of the two (B.5) matrices */
    int *K = calloc((size_t) (rows * N) + 1, sizeof(int));
    for (slong i = 0; i < a; i++)
        for (slong j = 0; j < b; j++)
            for (slong n = 0; n < N; n++) K[(i * b + j) * N + n] = top[i * N + n] * low[j * N + n];
    int *I = eye(rows), *IN = first_cols(I, rows, rows, N);
    ok = ok && memcmp(K, IN, sizeof(int) * (size_t) (rows * N)) == 0;   /* the identity itself */
    ok = ok && mat_equals_int(r->G, K, rows, N);                       /* G' of the forward pass */
    ok = ok && r->holds && r->identity && r->differentiable && r->activations_match;
    if (certify) ok = ok && r->certified && r->rank->rank == N && lmo_rank_verify(r->rank, r->G);
    if (ok && paper_params) {
        /* (B.3)-(B.5) and Fact 2, and the documented top layers */
        if (L == 2) {
            ok = ok && mat_equals_int(w->net->X, low, d[0], N);
        } else {
            int *o = ones(d[0], N);
            ok = ok && mat_equals_int(w->net->X, o, d[0], N);
            free(o);
            for (slong l = 1; l <= L - 2; l++) {
                int *Wl = calloc((size_t) (d[l] * d[l - 1]) + 1, sizeof(int));
                for (slong i = 0; i < d[l]; i++) Wl[i * d[l - 1]] = 1;
                ok = ok && mat_equals_int(w->net->W + l - 1, Wl, d[l], d[l - 1]);
                free(Wl);
            }
            for (slong l = 1; l < L - 2; l++) {
                int *e = ones(d[l], N);
                ok = ok && mat_equals_int(w->net->E + l - 1, e, d[l], N);
                free(e);
            }
            ok = ok && mat_equals_int(w->net->E + L - 3, low, b, N);
            /* "V'_{L-2} = A'_{L-2}" (text before (B.6)) */
            ok = ok && mat_equals_int(r->fwd->V + L - 3, low, b, N);
        }
        ok = ok && mat_equals_int(w->net->E + L - 2, top, a, N);
        int *o1 = ones(a, b), *o2 = ones(1, a);
        ok = ok && mat_equals_int(w->net->W + L - 2, o1, a, b) && mat_equals_int(w->net->W + L - 1, o2, 1, a);
        free(o1); free(o2);
        /* every hidden pre-activation is > 0 */
        for (slong l = 1; l < L; l++)
            for (slong i = 0; i < d[l]; i++)
                for (slong n = 0; n < N; n++) ok = ok && fmpq_sgn(fmpq_mat_entry(r->fwd->U + l - 1, i, n)) > 0;
    }
    free(top); free(low); free(K); free(I); free(IN);
    lmo_witness_result_clear(r);
    lmo_witness_clear(w);
    if (!ok) {
        fprintf(stderr, "witness failed: widths");
        for (slong l = 0; l <= L; l++) fprintf(stderr, " %ld", (long) d[l]);
        fprintf(stderr, ", N = %ld\n", (long) N);
    }
    return ok;
}

/* The t-th of the K^L width lists d0..d_{L-1} in 1..K, with dL = 1; 0 when t >= K^L. */
static int width_list(slong *d, slong L, slong K, slong t)
{
    for (slong l = 0; l < L; l++) { d[l] = 1 + t % K; t /= K; }
    d[L] = 1;
    return t == 0;
}

/* --------------------------------------------- the representative sweep */

static void test_subset(void)
{
    slong d[8], count = 0;
    /* L = 2 (Fact 2), widths <= 6; L = 3, widths <= 4; L = 4, widths <= 3: all, every N */
    const slong K[5] = { 0, 0, 6, 4, 3 };
    for (slong L = 2; L <= 4; L++)
        for (slong t = 0; width_list(d, L, K[L], t); t++)
            for (slong N = 1; N <= d[L - 2] * d[L - 1]; N++, count++)
                CHECK(check_witness(d, L, N, N == d[L - 2] * d[L - 1] || N == 1, 1));
    /* L = 5, 6: random width lists up to 8 */
    lmo_rng_t rng;
    lmo_rng_seed(&rng, 2016);
    for (int t = 0; t < 30; t++) {
        slong L = 5 + (slong) lmo_rng_below(&rng, 2);
        for (slong l = 0; l < L; l++) d[l] = 1 + (slong) lmo_rng_below(&rng, 8);
        d[L] = 1;
        for (slong N = 1; N <= d[L - 2] * d[L - 1]; N++, count++)
            CHECK(check_witness(d, L, N, 1, 1));
    }
    /* the extremes: all widths 8, L = 6, N = 64; all widths 1 */
    slong big[7] = { 8, 8, 8, 8, 8, 8, 1 }, one[7] = { 1, 1, 1, 1, 1, 1, 1 };
    CHECK(check_witness(big, 6, 64, 1, 1));
    CHECK(check_witness(one, 6, 1, 1, 1));
    printf("subset: %ld witnesses verified\n", (long) count + 2);
}

/* G_{L-1} of the network module's own run (5.2)-(5.4) equals the witness's */
static void test_against_mnn_run(void)
{
    const slong lists[][6] = { { 2, 3, 1 }, { 3, 2, 1 }, { 1, 2, 2, 1 }, { 2, 3, 2, 1 }, { 2, 1, 2, 2, 1 },
                               { 1, 2, 1, 3, 1 } };
    const slong Ls[] = { 2, 2, 3, 3, 4, 4 };
    for (int k = 0; k < 6; k++) {
        const slong *d = lists[k];
        slong L = Ls[k];
        for (slong N = 1; N <= d[L - 2] * d[L - 1]; N++) {
            lmo_witness_t w;
            lmo_witness_result_t r;
            lmo_mnn_result_t m;
            lmo_err_t err;
            lmo_witness_init(w);
            lmo_witness_result_init(r);
            lmo_mnn_result_init(m);
            CHECK(lmo_witness_build(w, d, L, N, &err) == LMO_OK);
            CHECK(lmo_witness_verify(r, w, 1, 1, &err) == LMO_OK);
            CHECK(lmo_mnn_run(m, w->net, 3, &err) == LMO_OK);
            CHECK(fmpq_mat_equal(m->G + L - 2, r->G));
            CHECK(m->rank_G[L - 2].rank == N);
            CHECK(m->differentiable);
            lmo_mnn_result_clear(m);
            lmo_witness_result_clear(r);
            lmo_witness_clear(w);
        }
    }
}

/* ------------------------------------------- verification can fail */

static void test_tampered_network(void)
{
    const slong d[5] = { 2, 3, 2, 2, 1 };
    slong L = 4, N = 4;
    lmo_witness_t w;
    lmo_witness_result_t r;
    lmo_err_t err;
    lmo_witness_init(w);
    lmo_witness_result_init(r);
    for (int which = 0; which < 5; which++) {
        CHECK(lmo_witness_build(w, d, L, N, &err) == LMO_OK);
        switch (which) {
        case 0: fmpq_set_si(fmpq_mat_entry(w->net->W + L - 1, 0, 0), 2, 1); break;   /* w_L != 1 */
        case 1: fmpq_set_si(fmpq_mat_entry(w->net->W + L - 2, 0, 0), -5, 1); break;  /* u_{L-1} < 0 */
        case 2: fmpq_zero(fmpq_mat_entry(w->net->X, 0, 0)); break;                   /* u_1 = 0 */
        case 3: fmpq_set_si(fmpq_mat_entry(w->net->E + L - 3, 1, 0), 1, 1); break;   /* E'_{L-2} */
        case 4: fmpq_zero(fmpq_mat_entry(w->net->E + L - 2, 1, 3)); break;           /* E'_{L-1} */
        }
        CHECK(lmo_witness_verify(r, w, 1, 5, &err) == LMO_OK);
        CHECK(!r->holds);
        /* the construction is deterministic: its failure is a violation, named */
        CHECK(r->construction.outcome == LMO_OUTCOME_VIOLATED);
        static const char *const why[5] = {"differs from [I]", "activations differ",
                                           "pre-activation of the witness is 0",
                                           "activations differ", "activations differ"};
        CHECK(strstr(r->construction.reason, why[which]) != NULL);
        if (which != 2) CHECK(!r->identity && r->bad_row >= 0 && r->bad_col >= 0);
        if (which == 1) CHECK(!r->activations_match);
        if (which == 2) CHECK(!r->differentiable);
        if (which == 4) CHECK(r->rank->rank == N - 1);
    }
    /* untampered: holds, under the name of the paper's statement */
    CHECK(lmo_witness_build(w, d, L, N, &err) == LMO_OK);
    CHECK(lmo_witness_verify(r, w, 1, 5, &err) == LMO_OK);
    CHECK(r->holds && r->construction.outcome == LMO_OUTCOME_HOLDS);
    CHECK(strcmp(r->construction.statement, "Soudry–Carmon (B.3)-(B.6)") == 0);
    const slong d2[3] = { 2, 3, 1 };
    CHECK(lmo_witness_build(w, d2, 2, 5, &err) == LMO_OK);
    CHECK(lmo_witness_verify(r, w, 1, 5, &err) == LMO_OK);
    CHECK(r->construction.outcome == LMO_OUTCOME_HOLDS);
    CHECK(strcmp(r->construction.statement, "Soudry–Carmon Fact 2") == 0);
    lmo_witness_result_clear(r);
    lmo_witness_clear(w);
}

/* Lemma 8's outcome: holds at a random point; exceptional (never violated) at a point of
 * the null set -- here a random network whose sample 0 is x = 0, so column 0 of G_{L-1}
 * is zero and rank G < N whatever the rest; not_applicable without a witness. */
static void test_lemma8_outcomes(void)
{
    const slong d[4] = { 2, 3, 2, 1 };
    slong L = 3, N = 5;
    lmo_witness_t w;
    lmo_witness_result_t r;
    lmo_err_t err;
    lmo_theorem_t t;
    lmo_rng_t rng;
    lmo_witness_init(w);
    lmo_witness_result_init(r);
    CHECK(lmo_witness_build(w, d, L, N, &err) == LMO_OK);
    CHECK(lmo_witness_verify(r, w, 1, 3, &err) == LMO_OK && r->holds);
    for (int zero = 0; zero < 2; zero++) {
        lmo_mnn_input_t in;
        lmo_mnn_result_t fwd;
        lmo_rank_t R;
        fmpq_mat_t Delta, G;
        lmo_rng_seed(&rng, 41);
        lmo_witness_random_net(in, d, L, N, LMO_WITNESS_CASE_ALL, 0, &rng);
        if (zero)
            for (slong i = 0; i < d[0]; i++) fmpq_zero(fmpq_mat_entry(in->X, i, 0));
        lmo_mnn_result_init(fwd);
        CHECK(lmo_mnn_forward(fwd, in, &err) == LMO_OK);
        fmpq_mat_init(Delta, d[L - 1], N);
        fmpq_mat_init(G, d[L - 2] * d[L - 1], N);
        lmo_witness_G_layer(Delta, G, fwd, in);
        lmo_rank_init(R);
        CHECK(lmo_rank_certified(R, G, 9, &err) == LMO_OK);
        CHECK(zero ? R->rank < N : R->rank == N);
        lmo_witness_lemma8(&t, r, N, R->rank, fwd->differentiable);
        CHECK(t.outcome == (zero ? LMO_OUTCOME_EXCEPTIONAL : LMO_OUTCOME_HOLDS));
        CHECK(strcmp(t.statement, "Soudry–Carmon Lemma 8") == 0);
        lmo_rank_clear(R);
        fmpq_mat_clear(Delta);
        fmpq_mat_clear(G);
        lmo_mnn_result_clear(fwd);
        lmo_mnn_input_clear(in);
    }
    /* no witness of rank N: the hypothesis fails */
    fmpq_set_si(fmpq_mat_entry(w->net->W + L - 1, 0, 0), 2, 1);
    CHECK(lmo_witness_verify(r, w, 1, 3, &err) == LMO_OK && !r->holds);
    lmo_witness_lemma8(&t, r, N, N, 1);
    CHECK(t.outcome == LMO_OUTCOME_NOT_APPLICABLE);
    lmo_witness_result_clear(r);
    lmo_witness_clear(w);
}

/* ---------------------------------------------------- shapes, input */

static void test_shapes(void)
{
    lmo_err_t err;
    const slong ok[4] = { 2, 3, 2, 1 }, zero[4] = { 2, 0, 2, 1 }, out2[3] = { 2, 2, 2 }, two[2] = { 3, 1 };
    CHECK(lmo_witness_check_shape(ok, 4, 6, "--widths", "--n", NULL, &err) == LMO_OK);
    CHECK(lmo_witness_check_shape(ok, 4, 7, "--widths", "--n", NULL, &err) == LMO_EINPUT);
    CHECK(strstr(err.msg, "--n") == err.msg && strstr(err.msg, "exceeds") && strstr(err.msg, "= 6"));
    CHECK(lmo_witness_check_shape(ok, 4, 0, "--widths", "--n", NULL, &err) == LMO_EINPUT);
    CHECK(strstr(err.msg, "--n") == err.msg);
    CHECK(lmo_witness_check_shape(zero, 4, 1, "--widths", "--n", NULL, &err) == LMO_EINPUT);
    CHECK(strstr(err.msg, "--widths: d1 = 0") == err.msg);
    CHECK(lmo_witness_check_shape(out2, 3, 1, "--widths", "--n", NULL, &err) == LMO_EINPUT);
    CHECK(strstr(err.msg, "dL must be 1") != NULL);
    CHECK(lmo_witness_check_shape(two, 2, 1, "--widths", "--n", NULL, &err) == LMO_EINPUT);
    CHECK(strstr(err.msg, "at least 3 widths") != NULL);
    CHECK(lmo_witness_check_shape(two, 1, 1, "--widths", "--n", NULL, &err) == LMO_EINPUT);
    lmo_limits_t lim;
    lmo_limits_default(&lim);
    lim.max_entries = 30;
    CHECK(lmo_witness_check_shape(ok, 4, 6, "--widths", "--n", &lim, &err) == LMO_ELIMIT);
    /* the builder refuses what check_shape refuses */
    lmo_witness_t w;
    lmo_witness_init(w);
    CHECK(lmo_witness_build(w, ok, 3, 7, &err) == LMO_EINPUT);
    CHECK(lmo_witness_build(w, zero, 3, 1, &err) == LMO_EINPUT);
    lmo_witness_clear(w);

    /* JSON input of kind witness */
    const char *good = "{\"widths\": [2, 3, 2, 1], \"N\": 6}";
    const char *bad[][2] = {
        { "{\"widths\": [2, 3, 2, 1], \"N\": 7}", "input.N: N = 7 exceeds" },
        { "{\"widths\": [2, 0, 1], \"N\": 1}", "input.widths[1]" },
        { "{\"widths\": [2, \"3\", 1], \"N\": 1}", "input.widths[1]" },
        { "{\"widths\": [2, 3, 1]}", "N" },
        { "{\"N\": 1}", "widths" },
        { "{\"widths\": [2, 3, 2], \"N\": 1}", "input.widths: the output width" },
        { "{\"widths\": 3, \"N\": 1}", "input.widths" },
    };
    lmo_limits_default(&lim);
    json_error_t je;
    json_t *j = json_loads(good, 0, &je);
    slong *d = NULL, L = 0, N = 0;
    CHECK(lmo_witness_input_set_json(&d, &L, &N, j, &lim, &err) == LMO_OK);
    CHECK(L == 3 && N == 6 && d && d[0] == 2 && d[1] == 3 && d[2] == 2 && d[3] == 1);
    flint_free(d);
    json_decref(j);
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        j = json_loads(bad[k][0], 0, &je);
        int rc = lmo_witness_input_set_json(&d, &L, &N, j, &lim, &err);
        CHECK(rc == LMO_EINPUT && d == NULL);
        CHECKF(strstr(err.msg, bad[k][1]) != NULL, "input %s: message \"%s\" lacks \"%s\"",
               bad[k][0], err.msg, bad[k][1]);
        json_decref(j);
    }
}

/* ------------------------------------------ the certificate format */

/* A checker of claim "witness" written from the rules of vectors/schema/lmo-cert-1.md
 * (rules 1-4), over the JSON alone. 1 accepted, 0 rejected. */
static int mini_check(const json_t *c, const slong *vd, slong vL, slong vN)
{
    lmo_limits_t lim;
    lmo_err_t err;
    lmo_limits_default(&lim);
    if (strcmp(json_string_value(json_object_get(c, "format")), "lmo-cert/1") != 0) return 0;
    if (strcmp(json_string_value(json_object_get(c, "claim")), "witness") != 0) return 0;
    const json_t *jw = json_object_get(c, "widths");
    slong L = (slong) json_array_size(jw) - 1, N = (slong) json_integer_value(json_object_get(c, "N"));
    if (L != vL || N != vN) return 0;
    slong d[16];
    for (slong l = 0; l <= L; l++) {
        d[l] = (slong) json_integer_value(json_array_get(jw, (size_t) l));
        if (d[l] != vd[l] || d[l] < 1) return 0;
    }
    if (L < 2 || d[L] != 1 || N < 1 || N > d[L - 2] * d[L - 1]) return 0;
    if (json_integer_value(json_object_get(c, "layer")) != L - 1) return 0;
    if (json_integer_value(json_object_get(c, "rank")) != N) return 0;
    int ok = 1;
    fmpq_t s, t, u;
    fmpq_init(s); fmpq_init(t); fmpq_init(u);
    if (lmo_q_set_json(s, json_object_get(c, "slope"), "slope", &lim, &err) || fmpq_is_zero(s)) ok = 0;
    fmpq_mat_t X, W[16], E[16], A[16];
    slong nW = 0, nE = 0, nA = 0;
    int hx = ok && lmo_mat_set_json(X, json_object_get(c, "X"), "X", &lim, &err) == LMO_OK;
    ok = ok && hx && fmpq_mat_nrows(X) == d[0] && fmpq_mat_ncols(X) == N;
    for (slong l = 1; l <= L && ok; l++, nW++) {
        if (lmo_mat_set_json(W[l - 1], json_array_get(json_object_get(c, "weights"), (size_t) (l - 1)), "W",
                             &lim, &err)) { ok = 0; break; }
        ok = fmpq_mat_nrows(W[l - 1]) == d[l] && fmpq_mat_ncols(W[l - 1]) == d[l - 1];
    }
    for (slong l = 1; l < L && ok; l++, nE++) {
        if (lmo_mat_set_json(E[l - 1], json_array_get(json_object_get(c, "dropout"), (size_t) (l - 1)), "E",
                             &lim, &err)) { ok = 0; break; }
        ok = fmpq_mat_nrows(E[l - 1]) == d[l] && fmpq_mat_ncols(E[l - 1]) == N;
    }
    for (slong l = 1; l < L && ok; l++, nA++) {
        if (lmo_mat_set_json(A[l - 1], json_array_get(json_object_get(c, "activations"), (size_t) (l - 1)),
                             "A", &lim, &err)) { ok = 0; break; }
        ok = fmpq_mat_nrows(A[l - 1]) == d[l] && fmpq_mat_ncols(A[l - 1]) == N;
    }
    /* forward pass sample by sample: v_{L-2} and a_{L-1} */
    slong dm = 1;
    for (slong l = 0; l <= L; l++) dm = FLINT_MAX(dm, d[l]);
    fmpq *v = _fmpq_vec_init(dm), *nv = _fmpq_vec_init(dm), *vlow = _fmpq_vec_init(dm), *alast = _fmpq_vec_init(dm);
    for (slong n = 0; n < N && ok; n++) {
        for (slong j = 0; j < d[0]; j++) fmpq_set(v + j, fmpq_mat_entry(X, j, n));
        for (slong j = 0; j < d[0] && L == 2; j++) fmpq_set(vlow + j, v + j);
        for (slong l = 1; l < L && ok; l++) {
            for (slong i = 0; i < d[l]; i++) {
                fmpq_zero(u);
                for (slong j = 0; j < d[l - 1]; j++) fmpq_addmul(u, fmpq_mat_entry(W[l - 1], i, j), v + j);
                if (fmpq_is_zero(u)) { ok = 0; break; }
                fmpq_set(t, fmpq_mat_entry(E[l - 1], i, n));
                if (fmpq_sgn(u) < 0) fmpq_mul(t, t, s);
                if (!fmpq_equal(t, fmpq_mat_entry(A[l - 1], i, n))) { ok = 0; break; }
                fmpq_mul(nv + i, t, u);
                if (l == L - 1) fmpq_set(alast + i, t);
            }
            for (slong i = 0; i < d[l]; i++) fmpq_set(v + i, nv + i);
            if (l == L - 2) for (slong i = 0; i < d[l]; i++) fmpq_set(vlow + i, v + i);
        }
        /* G[i*d_{L-2} + j][n] = a_i W_L[0][i] v_j must be [row == n] */
        for (slong i = 0; i < d[L - 1] && ok; i++)
            for (slong j = 0; j < d[L - 2] && ok; j++) {
                fmpq_mul(t, alast + i, fmpq_mat_entry(W[L - 1], 0, i));
                fmpq_mul(t, t, vlow + j);
                ok = (i * d[L - 2] + j == n) ? fmpq_is_one(t) : fmpq_is_zero(t);
            }
    }
    _fmpq_vec_clear(v, dm); _fmpq_vec_clear(nv, dm); _fmpq_vec_clear(vlow, dm); _fmpq_vec_clear(alast, dm);
    if (hx) fmpq_mat_clear(X);
    for (slong l = 0; l < nW; l++) fmpq_mat_clear(W[l]);
    for (slong l = 0; l < nE; l++) fmpq_mat_clear(E[l]);
    for (slong l = 0; l < nA; l++) fmpq_mat_clear(A[l]);
    fmpq_clear(s); fmpq_clear(t); fmpq_clear(u);
    return ok;
}

/* set entry (i, j) of matrix k of list `key` (or of "X" when key is X) */
static void tamper(json_t *c, const char *key, slong k, slong i, slong j, json_t *val)
{
    json_t *m = json_object_get(c, key);
    if (json_is_array(m)) m = json_array_get(m, (size_t) k);
    json_array_set_new(json_array_get(json_object_get(m, "data"), (size_t) i), (size_t) j, val);
}

static void test_certificate(void)
{
    const slong lists[][7] = { { 3, 4, 1 }, { 2, 3, 2, 1 }, { 2, 2, 3, 2, 1 }, { 1, 2, 1, 2, 3, 2, 1 } };
    const slong Ls[] = { 2, 3, 4, 6 };
    for (int k = 0; k < 4; k++) {
        const slong *d = lists[k];
        slong L = Ls[k], N = d[L - 2] * d[L - 1] - (k == 1);
        lmo_witness_t w;
        lmo_err_t err;
        lmo_witness_init(w);
        CHECK(lmo_witness_build(w, d, L, N, &err) == LMO_OK);
        json_t *c = lmo_witness_cert_to_json(w, "v-id");
        CHECK(strcmp(json_string_value(json_object_get(c, "vector")), "v-id") == 0);
        CHECK(json_array_size(json_object_get(c, "weights")) == (size_t) L);
        CHECK(json_array_size(json_object_get(c, "dropout")) == (size_t) (L - 1));
        CHECK(json_array_size(json_object_get(c, "activations")) == (size_t) (L - 1));
        /* through text and back, as lmo-check will read it */
        char *text = lmo_json_dumps_canonical(c);
        json_error_t je;
        json_t *c2 = json_loads(text, 0, &je);
        free(text);
        CHECK(c2 != NULL && mini_check(c2, d, L, N));
        /* another vector's widths or N */
        slong d2[8];
        memcpy(d2, d, sizeof(slong) * (size_t) (L + 1));
        d2[0]++;
        CHECK(!mini_check(c2, d2, L, N));
        CHECK(N == 1 || !mini_check(c2, d, L, N - 1));
        /* tampered entries */
        json_t *t;
        t = json_deep_copy(c2); tamper(t, "weights", L - 1, 0, 0, json_integer(2)); CHECK(!mini_check(t, d, L, N)); json_decref(t);
        t = json_deep_copy(c2); tamper(t, "dropout", L - 2, 0, 0, json_string("1/2")); CHECK(!mini_check(t, d, L, N)); json_decref(t);
        t = json_deep_copy(c2); tamper(t, "activations", 0, 0, 0, json_integer(3)); CHECK(!mini_check(t, d, L, N)); json_decref(t);
        t = json_deep_copy(c2); tamper(t, "X", 0, 0, 0, json_integer(0)); CHECK(!mini_check(t, d, L, N)); json_decref(t);
        t = json_deep_copy(c2); json_object_set_new(t, "rank", json_integer(N + 1)); CHECK(!mini_check(t, d, L, N)); json_decref(t);
        json_decref(c2);
        json_decref(c);

        /* expect keys */
        lmo_witness_result_t r;
        lmo_witness_result_init(r);
        CHECK(lmo_witness_verify(r, w, 1, 9, &err) == LMO_OK);
        json_t *e = lmo_witness_expect_to_json(w, r);
        CHECK(json_is_true(json_object_get(e, "G_identity")) && json_is_true(json_object_get(e, "full_column_rank")));
        CHECK(json_integer_value(json_object_get(e, "rank")) == N);
        CHECK(json_integer_value(json_object_get(e, "layer")) == L - 1);
        CHECK(json_is_object(json_object_get(e, "witness")));
        /* the verdict does not depend on the seed of the primes */
        lmo_witness_result_t r2;
        lmo_witness_result_init(r2);
        CHECK(lmo_witness_verify(r2, w, 1, 12345, &err) == LMO_OK);
        json_t *e2 = lmo_witness_expect_to_json(w, r2);
        CHECK(json_equal(e, e2));
        json_decref(e); json_decref(e2);
        lmo_witness_result_clear(r2);
        lmo_witness_result_clear(r);
        lmo_witness_clear(w);
    }
}

/* -------------------------------------------------- genericity (Lemma 8) */

/* The minor of a rank certificate, re-evaluated mod p here. */
static int minor_nonzero_mod_p(const lmo_rank_t R, const fmpq_mat_t G)
{
    slong r = R->rank;
    ulong p = R->prime;
    nmod_mat_t M;
    nmod_mat_init(M, r, r, p);
    int ok = 1;
    for (slong i = 0; i < r && ok; i++)
        for (slong j = 0; j < r && ok; j++) {
            const fmpq *q = fmpq_mat_entry(G, R->rows[i], R->cols[j]);
            ulong num = fmpz_fdiv_ui(fmpq_numref(q), p), den = fmpz_fdiv_ui(fmpq_denref(q), p);
            if (den == 0) { ok = 0; break; }
            nmod_mat_entry(M, i, j) = n_mulmod2_preinv(num, n_invmod(den, p), p, n_preinvert_limb(p));
        }
    ok = ok && nmod_mat_det(M) != 0;
    nmod_mat_clear(M);
    return ok;
}

static slong certified_random_rank(const slong *d, slong L, slong N, lmo_witness_case_t c, int active,
                                   ulong seed, int *minor_ok)
{
    lmo_rng_t rng;
    lmo_err_t err;
    fmpq_mat_t G;
    int diff = 0;
    lmo_rng_seed(&rng, seed);
    CHECK(lmo_witness_random_G(G, &diff, d, L, N, c, active, &rng, &err) == LMO_OK);
    CHECK(diff);
    lmo_rank_t R;
    lmo_rank_init(R);
    CHECK(lmo_rank_certified(R, G, seed, &err) == LMO_OK);
    slong rk = R->rank;
    CHECK(lmo_rank_verify(R, G));
    CHECK(R->prime > (UWORD(1) << 28));           /* a large random prime */
    *minor_ok = minor_nonzero_mod_p(R, G);
    lmo_rank_clear(R);
    fmpq_mat_clear(G);
    return rk;
}

/* Lemma 8 + the witness: at a random point of the widths d, rank N at N = the paper's
 * threshold, in each case, with every unit active and not; seeds seed0 + 10 c + active */
static void generic_rank_at_threshold(const slong *d, slong L, ulong seed0)
{
    for (int c = 0; c < 3; c++) {
        slong N = lmo_witness_threshold(d, L, (lmo_witness_case_t) c);
        for (int active = 0; active <= 1; active++) {
            int minor_ok = 0;
            slong rk = certified_random_rank(d, L, N, (lmo_witness_case_t) c, active,
                                             seed0 + 10 * (ulong) c + (ulong) active, &minor_ok);
            CHECK(rk == N);
            CHECK(minor_ok);
        }
    }
}

static void test_generic(void)
{
    const slong lists[][8] = { { 2, 2, 1 }, { 3, 2, 1 }, { 1, 4, 1 }, { 2, 3, 2, 1 }, { 1, 2, 3, 1 },
                               { 3, 1, 2, 3, 1 }, { 2, 3, 4, 1 }, { 2, 2, 2, 2, 2, 1 },
                               { 2, 3, 2, 3, 2, 3, 1 }, { 4, 1, 3, 3, 1 } };
    const slong Ls[] = { 2, 2, 2, 3, 3, 4, 3, 5, 6, 4 };
    for (int k = 0; k < 10; k++) generic_rank_at_threshold(lists[k], Ls[k], 1000 * (ulong) k);
    /* the thresholds, from the paper's text */
    const slong t1[4] = { 2, 3, 2, 1 }, t2[5] = { 3, 1, 2, 3, 1 };
    CHECK(lmo_witness_threshold(t1, 3, LMO_WITNESS_CASE_ALL) == 6);
    CHECK(lmo_witness_threshold(t1, 3, LMO_WITNESS_CASE_TOP2) == 6);
    CHECK(lmo_witness_threshold(t1, 3, LMO_WITNESS_CASE_TOP1) == 4);   /* d2 * min(d0, d1) */
    CHECK(lmo_witness_threshold(t2, 4, LMO_WITNESS_CASE_TOP1) == 3);   /* d3 * min(3, 1, 2) */
    /* a rank below N exists, and is found: case (iii), every unit active,
     * N = d_{L-2} d_{L-1} beyond the threshold: V_{L-2} = W...X has rank
     * min_{l <= L-2} d_l, so rank G = d_{L-1} * that (dimension counting) */
    const slong c1[4] = { 1, 3, 2, 1 }, c2[5] = { 3, 1, 2, 3, 1 };
    int m;
    CHECK(certified_random_rank(c1, 3, 6, LMO_WITNESS_CASE_TOP1, 1, 77, &m) == 2 && m);
    CHECK(certified_random_rank(t1, 3, 6, LMO_WITNESS_CASE_TOP1, 1, 78, &m) == 4 && m);
    CHECK(certified_random_rank(c2, 4, 6, LMO_WITNESS_CASE_TOP1, 1, 79, &m) == 3 && m);
    /* ... and in case (i) the same widths reach N */
    CHECK(certified_random_rank(c1, 3, 6, LMO_WITNESS_CASE_ALL, 1, 80, &m) == 6 && m);
}

static void test_table(void)
{
    const slong lists[][6] = { { 2, 3, 1 }, { 2, 3, 2, 1 }, { 1, 3, 2, 1 }, { 2, 1, 3, 2, 1 } };
    const slong Ls[] = { 2, 3, 3, 4 };
    int exceeded = 0;
    for (int k = 0; k < 4; k++) {
        const slong *d = lists[k];
        slong L = Ls[k], R = d[L - 2] * d[L - 1];
        lmo_witness_table_row_t rows[16];
        for (int c = 0; c < 3; c++) {
            lmo_rng_t rng;
            lmo_err_t err;
            lmo_rng_seed(&rng, 40 + (ulong) k);
            CHECK(lmo_witness_table_rows(rows, d, L, (lmo_witness_case_t) c, &rng, 3, 1, &err) == LMO_OK);
            slong B = lmo_witness_threshold(d, L, (lmo_witness_case_t) c);
            for (slong N = 1; N <= R; N++) {
                const lmo_witness_table_row_t *w = rows + N - 1;
                CHECK(w->N == N && w->rows == R && w->threshold == B && w->bound == FLINT_MIN(N, B));
                CHECK(w->rank_active == w->bound && w->upper_active == w->bound);
                CHECK(w->rank_random >= w->bound && w->rank_random <= FLINT_MIN(N, R));
                CHECK(strcmp(w->status, w->rank_random > w->bound ? "beyond_lemma8" : "tight") == 0);
                if (c != LMO_WITNESS_CASE_TOP1 || L == 2) CHECK(strcmp(w->status, "tight") == 0);
                if (w->rank_random > w->bound) exceeded++;
            }
            /* widths 1,3,2,1, case (iii): x is a scalar, so V_1 spans one
             * direction per sign of x; with both signs among 6 random samples
             * rank G_2 reaches 3 or 4 > threshold 2 */
            if (k == 2 && c == LMO_WITNESS_CASE_TOP1)
                CHECK(rows[5].rank_random >= 3 && rows[5].rank_random <= 4);
        }
    }
    CHECK(exceeded > 0);
    CHECK(strcmp(lmo_witness_case_name(LMO_WITNESS_CASE_ALL), "i") == 0);
    CHECK(strcmp(lmo_witness_case_name(LMO_WITNESS_CASE_TOP1), "iii") == 0);
}

/* ------------------------------------------------------ the fast tier */

static void test_fast(void)
{
    const long lists[][7] = { { 3, 4, 1 }, { 2, 3, 2, 1 }, { 2, 2, 3, 2, 1 }, { 8, 8, 8, 8, 8, 8, 1 } };
    const long Ls[] = { 2, 3, 4, 6 };
    const char *pols[] = { "numpy", "qrcp", "abs:1e-10", "rel:1e-8" };
    for (int k = 0; k < 4; k++) {
        const long *d = lists[k];
        long L = Ls[k];
        for (long N = 1; N <= d[L - 2] * d[L - 1]; N += (k == 3 ? 9 : 1)) {
            lmo_fast_witness_t fw;
            CHECK(lmo_fast_witness_build(&fw, d, L, N) == 0);
            /* the exact G' for comparison */
            slong sd[8];
            for (long l = 0; l <= L; l++) sd[l] = d[l];
            lmo_witness_t w;
            lmo_witness_result_t r;
            lmo_err_t err;
            lmo_witness_init(w);
            lmo_witness_result_init(r);
            CHECK(lmo_witness_build(w, sd, L, N, &err) == LMO_OK && lmo_witness_verify(r, w, 0, 0, &err) == LMO_OK);
            for (int p = 0; p < 4; p++) {
                lmo_fast_policy_t pol;
                lmo_fast_witness_result_t fr;
                CHECK(lmo_fast_policy_parse(&pol, pols[p]) == 0);
                lmo_fast_witness_result_init(&fr);
                CHECK(lmo_fast_witness_run(&fr, &fw, &pol) == 0);
                CHECK(fr.rows == d[L - 2] * d[L - 1] && fr.N == N);
                CHECK(fr.identity && fr.max_dev == 0.0 && fr.differentiable);
                CHECK(fr.rank.rank == N);
                int same = 1;
                for (long i = 0; i < fr.rows; i++)
                    for (long n = 0; n < N; n++)
                        same &= fmpq_is_one(fmpq_mat_entry(r->G, i, n)) ? fr.G[i * N + n] == 1.0
                                                                        : fr.G[i * N + n] == 0.0;
                CHECK(same);
                lmo_fast_witness_result_clear(&fr);
            }
            lmo_witness_result_clear(r);
            lmo_witness_clear(w);
            lmo_fast_witness_clear(&fw);
        }
    }
    /* the fast builder refuses what has no witness */
    lmo_fast_witness_t fw;
    const long bad1[4] = { 2, 3, 2, 1 }, bad2[3] = { 2, 2, 2 }, bad3[4] = { 2, 0, 2, 1 }, bad4[2] = { 2, 1 };
    CHECK(lmo_fast_witness_build(&fw, bad1, 3, 7) == -1);
    CHECK(lmo_fast_witness_build(&fw, bad1, 3, 0) == -1);
    CHECK(lmo_fast_witness_build(&fw, bad2, 2, 1) == -1);
    CHECK(lmo_fast_witness_build(&fw, bad3, 3, 1) == -1);
    CHECK(lmo_fast_witness_build(&fw, bad4, 1, 1) == -1);
}

/* ------------------------------------------------------ the gen family */

static void test_gen(void)
{
    lmo_limits_t lim;
    lmo_limits_default(&lim);
    int seenL[5] = { 0 };
    for (slong i = 0; i < 60; i++) {
        lmo_rng_t r1, r2;
        lmo_rng_seed(&r1, 99 + (ulong) i);
        lmo_rng_seed(&r2, 99 + (ulong) i);
        json_t *f = json_array();
        json_t *a = lmo_gen_witness_lemma8(&r1, i, f), *b = lmo_gen_witness_lemma8(&r2, i, f);
        CHECK(json_equal(a, b));                      /* deterministic */
        slong *d = NULL, L = 0, N = 0;
        lmo_err_t err;
        CHECK(lmo_witness_input_set_json(&d, &L, &N, a, &lim, &err) == LMO_OK);   /* admissible */
        if (d) {
            CHECK(L >= 2 && L <= 4 && N >= 1 && N <= d[L - 2] * d[L - 1]);
            seenL[L]++;
        }
        flint_free(d);
        json_decref(a); json_decref(b); json_decref(f);
    }
    CHECK(seenL[2] && seenL[3] && seenL[4]);
}

/* ------------------------------------------------ the slow part (--slow) */

/* every width list with 2 <= L <= 6 and widths <= 8, every admissible N; certified at
 * N = 1 and N = d_{L-2} d_{L-1} (in between, G' = [I]_{1..N} already gives rank N:
 * proofs/coq witness_check_rank) */
static void sweep_witnesses(void)
{
    slong d[8];
    for (slong L = 2; L <= 6; L++) {
        slong lists = 0, count = 0;
        for (slong t = 0; width_list(d, L, 8, t); t++, lists++) {
            slong R = d[L - 2] * d[L - 1];
            for (slong N = 1; N <= R; N++, count++) {
                CHECK(check_witness(d, L, N, N == 1 || N == R, 1));
                if (lmo_test_failures() > 20) return;
            }
        }
        printf("L = %ld: %ld width lists, %ld witnesses verified\n", (long) L, (long) lists,
               (long) count);
        fflush(stdout);
    }
}

/* genericity (Lemma 8): every width list with L <= 4 and widths <= 4 */
static void sweep_generic(void)
{
    slong d[8], count = 0;
    for (slong L = 2; L <= 4; L++)
        for (slong t = 0; width_list(d, L, 4, t); t++, count++)
            generic_rank_at_threshold(d, L, 100000 * (ulong) L + 100 * (ulong) t);
    printf("genericity: %ld width lists, 6 random points each of rank N\n", (long) count);
}

/* the generic-rank table for widths <= 4, L <= 5: no row below its bound, the all-active
 * rank equal to the bound everywhere */
static void sweep_table(void)
{
    slong d[8], rows_total = 0, exceeds = 0;
    for (slong L = 2; L <= 5; L++)
        for (slong t = 0; width_list(d, L, 4, t); t++) {
            slong R = d[L - 2] * d[L - 1];
            lmo_witness_table_row_t rows[16];
            for (int c = 0; c < 3; c++) {
                lmo_rng_t rng;
                lmo_err_t err;
                lmo_rng_seed(&rng, (ulong) (t * 3 + c) + 1000 * (ulong) L);
                CHECK(lmo_witness_table_rows(rows, d, L, (lmo_witness_case_t) c, &rng, 3, 5, &err) == LMO_OK);
                for (slong N = 1; N <= R; N++, rows_total++) {
                    CHECK(rows[N - 1].rank_active == rows[N - 1].bound);
                    CHECK(strcmp(rows[N - 1].status, "below") != 0);
                    exceeds += strcmp(rows[N - 1].status, "beyond_lemma8") == 0;
                }
            }
        }
    printf("table: %ld rows, %ld exceed the bound, none below\n", (long) rows_total, (long) exceeds);
}

int main(int argc, char **argv)
{
    if (lmo_test_slow(argc, argv)) {
        sweep_generic();
        sweep_table();
        sweep_witnesses();
        flint_cleanup();
        return lmo_test_finish();
    }
    test_subset();
    test_against_mnn_run();
    test_tampered_network();
    test_lemma8_outcomes();
    test_shapes();
    test_certificate();
    test_generic();
    test_table();
    test_fast();
    test_gen();
    flint_cleanup();
    return lmo_test_finish();
}
