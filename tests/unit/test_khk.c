/* Kawaguchi-Huang-Kaelbling 2019 (lmo/khk/khk.h, lmo/khk/prop1.h), exact:
 *  - the projector lmo builds is THE orthogonal projector: symmetric, idempotent, fixes
 *    range(A), kills range(A)^perp -- on random rank-deficient rational A;
 *  - Lemma 2: A^T B = 0 implies P[[A B]] = P[A] + P[B] (as matrices), random A, B;
 *  - Lemma 3 / proof A.1: the Gram-Schmidt sum of lmo_khk_decompose equals the direct
 *    ||P[[A_1 ... A_b]] v||^2 on random blocks (zero, repeated, rank-deficient ones);
 *  - Proposition 1 (independent Gram-Schmidt in R^m) equals Theorem 1's J, term by term,
 *    on random H = 1, dy = 1 networks of every activation;
 *  - J <= L always; at differentiable points L - J = 1/2 ||vec Yhat - P vec Y||^2 and
 *    (critical <=> L = J) -- so J < L exactly where the gradient is non-zero;
 *  - L = J at the exact critical points of the khk-critical family (Theorem 1 holds);
 *  - a pre-activation exactly 0 is found (unit, sample), leaky:1 is no kink, and bad
 *    activations are input errors;
 *  - Proposition 2 (lmo/khk/prop2.h): Dtilde's entries; certified rank = the rank known by
 *    construction (disjoint activation supports: sum_k min(|supp k|, dx); every unit active:
 *    min(m, dx)); rank <= Rado's generic rank on every X and = on random X with large
 *    entries (random fixed 0/1 Lambda); the Lambda condition's witness; the outcomes holds,
 *    not_applicable and exceptional (two equal rows of X);
 *  - Section 5 (lmo/khk/thm2.h) on deep LINEAR networks (leaky:1), widths >= dy, where the
 *    paper's remark says every local minimum is global: at W(1) W(2) W(3) = (X^T X)^-1 X^T Y (normal
 *    equations solved here, not by lmo's projector) the point is a certified local minimum,
 *    L = L_pattern = 1/2 ||Y - X B||^2, t_weak = t_strong = 0, all 8 bounds equal L and the
 *    three statements hold; at W = 0 (a critical saddle, H = 2) L = 1/2 ||Y||^2 is not
 *    certified, the bound fails for S = (0) and the statements are not applicable;
 *  - `lmo khk` ($LMO_BIN): text, --json, the expect comparison (exit 1 on a mismatch), input
 *    errors naming the field (exit 2), a vector of another kind refused. */
#include <stdio.h>
#include <string.h>
#include "lmo/khk/khk.h"
#include "lmo/khk/prop1.h"
#include "lmo/khk/prop2.h"
#include "lmo/khk/thm2.h"
#include "lmo/core/gen.h"
#include "lmo/core/vector_io.h"
#include "lmo_test.h"
#include "lmo_test_q.h"

/* rank by FLINT's own rref (not lmo's basis code) */
static slong qrank(const fmpq_mat_t A)
{
    if (fmpq_mat_nrows(A) == 0 || fmpq_mat_ncols(A) == 0) return 0;
    fmpq_mat_t R;
    fmpq_mat_init(R, fmpq_mat_nrows(A), fmpq_mat_ncols(A));
    slong r = fmpq_mat_rref_classical(R, A);
    fmpq_mat_clear(R);
    return r;
}

/* n x c with rank <= r: B (n x r) C (r x c), random small rationals */
static void rand_lowrank(fmpq_mat_t A, lmo_rng_t *g, slong n, slong c, slong r)
{
    fmpq_mat_t B, C;
    fmpq_mat_init(B, n, r);
    fmpq_mat_init(C, r, c);
    lmo_test_rand_qmat(B, g, 3, 3, 0);
    lmo_test_rand_qmat(C, g, 3, 2, 0);
    fmpq_mat_init(A, n, c);
    if (r > 0) fmpq_mat_mul(A, B, C);
    fmpq_mat_clear(B), fmpq_mat_clear(C);
}

static void projector(fmpq_mat_t P, const fmpq_mat_t A)
{
    slong n = fmpq_mat_nrows(A);
    fmpq_mat_t I;
    fmpq_mat_init(I, n, n);
    fmpq_mat_one(I);
    fmpq_mat_init(P, n, n);
    CHECK(lmo_khk_project(P, A, I) >= 0);
    fmpq_mat_clear(I);
}

static void test_projector(lmo_rng_t *g)
{
    for (int t = 0; t < 40; t++) {
        slong n = lmo_rng_uniform(g, 1, 6), c = lmo_rng_uniform(g, 1, 6);
        slong r = lmo_rng_uniform(g, 0, n < c ? n : c);
        fmpq_mat_t A, P, PT, PP, PA, Bs;
        rand_lowrank(A, g, n, c, r);
        projector(P, A);
        fmpq_mat_init(PT, n, n), fmpq_mat_init(PP, n, n), fmpq_mat_init(PA, n, c);
        fmpq_mat_transpose(PT, P);
        fmpq_mat_mul(PP, P, P);
        fmpq_mat_mul(PA, P, A);
        CHECK(fmpq_mat_equal(PT, P));
        CHECK(fmpq_mat_equal(PP, P));
        CHECK(fmpq_mat_equal(PA, A));
        /* trace = rank */
        fmpq_t tr;
        fmpq_init(tr);
        for (slong i = 0; i < n; i++) fmpq_add(tr, tr, fmpq_mat_entry(P, i, i));
        slong rank = lmo_khk_colspace_basis(Bs, A);
        CHECK(fmpq_equal_si(tr, rank));
        CHECK_EQ(rank, qrank(A));
        fmpq_clear(tr);
        fmpq_mat_clear(A), fmpq_mat_clear(P), fmpq_mat_clear(PT), fmpq_mat_clear(PP);
        fmpq_mat_clear(PA), fmpq_mat_clear(Bs);
    }
}

/* Lemma 2: for A^T B = 0, P[[A B]] = P[A] + P[B]. */
static void test_lemma2(lmo_rng_t *g)
{
    for (int t = 0; t < 40; t++) {
        slong n = lmo_rng_uniform(g, 1, 6), a = lmo_rng_uniform(g, 1, 4), b = lmo_rng_uniform(g, 1, 4);
        fmpq_mat_t A, C, B, AB, At, AtB, PA, PB, PAB, S;
        rand_lowrank(A, g, n, a, lmo_rng_uniform(g, 0, n < a ? n : a));
        rand_lowrank(C, g, n, b, lmo_rng_uniform(g, 0, n < b ? n : b));
        fmpq_mat_init(B, n, b);
        lmo_khk_null_project(B, A, C);            /* B = P_N[A] C, so A^T B = 0 */
        fmpq_mat_init(At, a, n), fmpq_mat_init(AtB, a, b);
        fmpq_mat_transpose(At, A);
        fmpq_mat_mul(AtB, At, B);
        CHECK(fmpq_mat_is_zero(AtB));
        fmpq_mat_init(AB, n, a + b);
        for (slong i = 0; i < n; i++) {
            for (slong j = 0; j < a; j++) fmpq_set(fmpq_mat_entry(AB, i, j), fmpq_mat_entry(A, i, j));
            for (slong j = 0; j < b; j++) fmpq_set(fmpq_mat_entry(AB, i, a + j), fmpq_mat_entry(B, i, j));
        }
        projector(PA, A), projector(PB, B), projector(PAB, AB);
        fmpq_mat_init(S, n, n);
        fmpq_mat_add(S, PA, PB);
        CHECKF(fmpq_mat_equal(S, PAB), "Lemma 2 fails on trial %d", t);
        fmpq_mat_clear(A), fmpq_mat_clear(C), fmpq_mat_clear(B), fmpq_mat_clear(AB);
        fmpq_mat_clear(At), fmpq_mat_clear(AtB), fmpq_mat_clear(PA), fmpq_mat_clear(PB);
        fmpq_mat_clear(PAB), fmpq_mat_clear(S);
    }
}

/* Lemma 3 with S empty on arbitrary blocks; the direct value checked by its definition:
 * Pv in range(A) (rank unchanged by appending it) and v - Pv orthogonal to every column. */
static void test_lemma3(lmo_rng_t *g)
{
    for (int t = 0; t < 40; t++) {
        slong n = lmo_rng_uniform(g, 1, 7), nb = lmo_rng_uniform(g, 1, 5), cols = 0;
        fmpq_mat_struct *bl = flint_malloc(sizeof(fmpq_mat_struct) * (size_t) nb);
        for (slong b = 0; b < nb; b++) {
            slong c = lmo_rng_uniform(g, 1, 3);
            int how = (int) lmo_rng_below(g, 4);
            if (how == 0) fmpq_mat_init(bl + b, n, c);                          /* zero block */
            else if (how == 1 && b > 0) {                                        /* a repeat */
                fmpq_mat_init(bl + b, n, fmpq_mat_ncols(bl + b - 1));
                fmpq_mat_set(bl + b, bl + b - 1);
            } else rand_lowrank(bl + b, g, n, c, lmo_rng_uniform(g, 0, c));
            cols += fmpq_mat_ncols(bl + b);
        }
        fmpq_mat_t v, all, Pv, r, Atr, At, aug;
        fmpq_mat_init(v, n, 1);
        lmo_test_rand_qmat(v, g, 5, 3, 0);
        fmpq *terms = _fmpq_vec_init(nb);
        fmpq_t total, sum, pv2;
        fmpq_init(total), fmpq_init(sum), fmpq_init(pv2);
        CHECK(lmo_khk_decompose(terms, NULL, total, bl, nb, v) == 0);
        for (slong b = 0; b < nb; b++) fmpq_add(sum, sum, terms + b);
        CHECKF(fmpq_equal(sum, total), "Lemma 3 fails on trial %d", t);
        fmpq_mat_init(all, n, cols);
        for (slong b = 0, c0 = 0; b < nb; c0 += fmpq_mat_ncols(bl + b), b++)
            for (slong i = 0; i < n; i++)
                for (slong j = 0; j < fmpq_mat_ncols(bl + b); j++)
                    fmpq_set(fmpq_mat_entry(all, i, c0 + j), fmpq_mat_entry(bl + b, i, j));
        fmpq_mat_init(Pv, n, 1), fmpq_mat_init(r, n, 1), fmpq_mat_init(At, cols, n);
        fmpq_mat_init(Atr, cols, 1), fmpq_mat_init(aug, n, cols + 1);
        lmo_khk_project(Pv, all, v);
        fmpq_mat_sub(r, v, Pv);
        fmpq_mat_transpose(At, all);
        fmpq_mat_mul(Atr, At, r);
        CHECK(fmpq_mat_is_zero(Atr));
        for (slong i = 0; i < n; i++) {
            for (slong j = 0; j < cols; j++) fmpq_set(fmpq_mat_entry(aug, i, j), fmpq_mat_entry(all, i, j));
            fmpq_set(fmpq_mat_entry(aug, i, cols), fmpq_mat_entry(Pv, i, 0));
            fmpq_addmul(pv2, fmpq_mat_entry(Pv, i, 0), fmpq_mat_entry(Pv, i, 0));
        }
        CHECK_EQ(qrank(aug), qrank(all));
        CHECK(fmpq_equal(pv2, total));
        for (slong b = 0; b < nb; b++) fmpq_mat_clear(bl + b);
        flint_free(bl);
        _fmpq_vec_clear(terms, nb);
        fmpq_clear(total), fmpq_clear(sum), fmpq_clear(pv2);
        fmpq_mat_clear(v), fmpq_mat_clear(all), fmpq_mat_clear(Pv), fmpq_mat_clear(r);
        fmpq_mat_clear(Atr), fmpq_mat_clear(At), fmpq_mat_clear(aug);
    }
}

static const char *const ACTS[] = {"relu", "abs", "leaky:1/5", "leaky:-2", "leaky:1", "relu"};

/* A random network; small integers make kinks common (Lambda = 0 there). */
static void rand_net(lmo_khk_t net, lmo_rng_t *g, slong H, slong dy, slong bound)
{
    slong d[5];
    d[0] = lmo_rng_uniform(g, 1, 3);
    for (slong l = 1; l <= H; l++) d[l] = lmo_rng_uniform(g, 1, 3);
    d[H + 1] = dy;
    lmo_khk_init(net, H, d, lmo_rng_uniform(g, 1, 6));
    lmo_test_rand_qmat(net->X, g, bound, 2, 0);
    lmo_test_rand_qmat(net->Y, g, 4, 3, 0);
    for (slong l = 0; l <= H; l++) lmo_test_rand_qmat(net->W + l, g, bound, 2, 0);
    lmo_err_t err;
    for (slong l = 0; l < H; l++)
        CHECK(lmo_khk_act_set_str(net->act + l, ACTS[lmo_rng_below(g, 6)], "a", NULL, &err) == 0);
}

/* r (initialised here) = lmo_khk_compute's result for net; an error is a failed check */
static void compute(lmo_khk_result_t r, const lmo_khk_t net)
{
    lmo_err_t err;
    lmo_khk_result_init(r);
    int rc = lmo_khk_compute(r, net, NULL, &err);
    CHECKF(rc == LMO_OK, "lmo_khk_compute: %d %s", rc, rc ? err.msg : "");
}

static void test_prop1(lmo_rng_t *g)
{
    int kinks = 0;
    for (int t = 0; t < 150; t++) {
        lmo_khk_t net;
        lmo_khk_result_t r;
        rand_net(net, g, 1, 1, t % 2 ? 2 : 5);
        compute(r, net);
        fmpq_t J;
        fmpq *terms = _fmpq_vec_init(net->d[1] + 1);
        fmpq_init(J);
        CHECK(lmo_khk_prop1_J(J, terms, net) == 0);
        CHECKF(fmpq_equal(J, r->J), "Proposition 1 != Theorem 1 on trial %d", t);
        CHECK_EQ(r->nblocks, net->d[1] + 1);
        for (slong k = 0; k <= net->d[1]; k++) CHECK(fmpq_equal(terms + k, r->terms + k));
        CHECK(r->thm[LMO_KHK_PROP_1].outcome != LMO_OUTCOME_VIOLATED);
        kinks += !r->differentiable;
        _fmpq_vec_clear(terms, net->d[1] + 1);
        fmpq_clear(J);
        lmo_khk_result_clear(r);
        lmo_khk_clear(net);
    }
    CHECKF(kinks > 0, "no kink among the random Proposition 1 instances");
    lmo_khk_t net;
    rand_net(net, g, 2, 1, 3);
    fmpq_t J;
    fmpq_init(J);
    CHECK(lmo_khk_prop1_J(J, NULL, net) == -1);     /* H = 2: not Proposition 1's setting */
    fmpq_clear(J);
    lmo_khk_clear(net);
}

/* J <= L; at differentiable points L - J = 1/2 ||vec Yhat - P vec Y||^2 and critical <=> L = J. */
static void test_gap(lmo_rng_t *g)
{
    int noncrit = 0;
    for (int t = 0; t < 120; t++) {
        lmo_khk_t net;
        lmo_khk_result_t r;
        rand_net(net, g, lmo_rng_uniform(g, 1, 3), lmo_rng_uniform(g, 1, 2), t % 2 ? 3 : 7);
        compute(r, net);
        CHECK(fmpq_cmp(r->J, r->loss) <= 0);
        CHECK(fmpq_equal(r->J, r->J_direct));
        CHECK(r->thm[LMO_KHK_LEMMA_1].outcome == LMO_OUTCOME_HOLDS);
        CHECK(r->thm[LMO_KHK_LEMMA_3].outcome == LMO_OUTCOME_HOLDS);
        CHECK(!r->violation);
        fmpq_mat_t A, y, yhat, Py;
        fmpq_t gap, want, t2;
        fmpq_init(gap), fmpq_init(want), fmpq_init(t2);
        lmo_khk_path_matrix(A, net);
        CHECK_EQ(r->path_rank, qrank(A));
        lmo_khk_vec(y, net->Y);
        lmo_khk_vec(yhat, r->Phi + net->H + 1);
        fmpq_mat_init(Py, r->n, 1);
        lmo_khk_project(Py, A, y);
        for (slong i = 0; i < r->n; i++) {
            fmpq_sub(t2, fmpq_mat_entry(yhat, i, 0), fmpq_mat_entry(Py, i, 0));
            fmpq_addmul(want, t2, t2);
        }
        fmpq_div_2exp(want, want, 1);
        fmpq_sub(gap, r->loss, r->J);
        CHECKF(fmpq_equal(gap, want), "L - J != 1/2 ||Yhat - P Y||^2 on trial %d", t);
        if (r->differentiable) {
            CHECK_EQ(r->critical, fmpq_is_zero(gap));
            if (!r->critical) {
                noncrit++;
                CHECK(fmpq_sgn(gap) > 0);
                CHECK(r->thm[LMO_KHK_THM_1].outcome == LMO_OUTCOME_NOT_APPLICABLE);
                CHECK_CONTAINS(r->thm[LMO_KHK_THM_1].reason, "not a critical point");
            }
        }
        fmpq_clear(gap), fmpq_clear(want), fmpq_clear(t2);
        fmpq_mat_clear(A), fmpq_mat_clear(y), fmpq_mat_clear(yhat), fmpq_mat_clear(Py);
        lmo_khk_result_clear(r);
        lmo_khk_clear(net);
    }
    CHECK(noncrit > 10);
}

/* The khk-critical family's points: critical, differentiable, L = J, Theorem 1 holds. */
static void test_critical_family(void)
{
    const lmo_gen_family_t *fam = lmo_gen_family_find("khk-critical");
    CHECK(fam != NULL);
    if (!fam) return;
    int positive = 0;
    for (slong i = 0; i < 12; i++) {
        lmo_rng_t rng;
        lmo_gen_rng(&rng, fam->name, 7, i);
        json_t *flags = json_array(), *in = fam->make(&rng, i, flags);
        CHECK(in != NULL);
        lmo_khk_t net;
        lmo_err_t err;
        CHECK(in && lmo_khk_input_set_json(net, in, NULL, &err) == LMO_OK);
        if (in) {
            lmo_khk_result_t r;
            compute(r, net);
            CHECK(r->differentiable && r->critical);
            CHECK(fmpq_equal(r->loss, r->J));
            CHECK(r->thm[LMO_KHK_THM_1].outcome == LMO_OUTCOME_HOLDS);
            positive += fmpq_sgn(r->loss) > 0;
            lmo_khk_result_clear(r);
            lmo_khk_clear(net);
        }
        json_decref(in), json_decref(flags);
    }
    CHECKF(positive >= 6, "only %d critical points with L > 0", positive);
}

static json_t *net_json(const char *act, const char *x10)
{
    char buf[600];
    snprintf(buf, sizeof buf,
             "{\"X\":{\"rows\":2,\"cols\":2,\"data\":[[1,2],[%s,1]]},"
             "\"Y\":{\"rows\":2,\"cols\":1,\"data\":[[1],[2]]},"
             "\"weights\":[{\"rows\":2,\"cols\":2,\"data\":[[1,1],[-1,\"1/2\"]]},"
             "{\"rows\":2,\"cols\":1,\"data\":[[1],[1]]}],\"activations\":[\"%s\"]}", x10, act);
    return json_loads(buf, 0, NULL);
}

static void test_kinks(void)
{
    /* sample 2 = (x, 1): unit 1's pre-activation x - 1 is 0 at x = 1; unit 2's x + 1/2 */
    static const char *const kinked[] = {"relu", "abs", "leaky:1/3", "leaky:-5"};
    for (int a = 0; a < 4; a++) {
        json_t *in = net_json(kinked[a], "1");
        lmo_khk_t net;
        lmo_khk_result_t r;
        lmo_err_t err;
        CHECK(lmo_khk_input_set_json(net, in, NULL, &err) == LMO_OK);
        compute(r, net);
        CHECK(!r->differentiable);
        CHECK_EQ(r->kink_layer, 1), CHECK_EQ(r->kink_unit, 1), CHECK_EQ(r->kink_sample, 2);
        CHECK(fmpq_is_zero(fmpq_mat_entry(r->Lam, 1, 0)));
        CHECK(r->thm[LMO_KHK_THM_1].outcome == LMO_OUTCOME_NOT_APPLICABLE);
        CHECK_CONTAINS(r->thm[LMO_KHK_THM_1].reason, "unit 1 of hidden layer 1 has pre-activation 0 at sample 2");
        CHECK(fmpq_cmp(r->J, r->loss) <= 0);
        json_t *v = lmo_khk_result_to_json(r);
        CHECK(json_is_false(json_object_get(v, "differentiable")));
        CHECK(json_is_null(json_object_get(v, "critical")));
        json_decref(v);
        lmo_khk_result_clear(r);
        lmo_khk_clear(net);
        json_decref(in);
    }
    /* leaky:1 is the identity: no kink; and x = -1/2 puts unit 2 on its kink */
    json_t *in = net_json("leaky:1", "1");
    lmo_khk_t net;
    lmo_khk_result_t r;
    lmo_err_t err;
    CHECK(lmo_khk_input_set_json(net, in, NULL, &err) == LMO_OK);
    compute(r, net);
    CHECK(r->differentiable);
    lmo_khk_result_clear(r), lmo_khk_clear(net), json_decref(in);
    in = net_json("relu", "\"-1/2\"");
    CHECK(lmo_khk_input_set_json(net, in, NULL, &err) == LMO_OK);
    compute(r, net);
    CHECK(!r->differentiable && r->kink_unit == 2 && r->kink_sample == 2);
    lmo_khk_result_clear(r), lmo_khk_clear(net), json_decref(in);
    /* input errors */
    static const char *const bad[] = {"leaky:2", "tanh", "leaky:", "leaky:1/0"};
    for (int b = 0; b < 4; b++) {
        in = net_json(bad[b], "1");
        CHECK_EQ(lmo_khk_input_set_json(net, in, NULL, &err), LMO_EINPUT);
        CHECK_CONTAINS(err.msg, "input.activations[0]");
        json_decref(in);
    }
}

#define KHKVEC(id, act, x10, extra)                                                               \
    "{\"format\": \"lmo-vector/1\", \"kind\": \"khk\", \"id\": \"" id "\", \"source\": \"t\", "     \
    "\"input\": {\"X\":{\"rows\":2,\"cols\":2,\"data\":[[1,2],[" x10 ",1]]},"                        \
    "\"Y\":{\"rows\":2,\"cols\":1,\"data\":[[1],[2]]},"                                               \
    "\"weights\":[{\"rows\":2,\"cols\":2,\"data\":[[1,1],[-1,\"1/2\"]]},"                            \
    "{\"rows\":2,\"cols\":1,\"data\":[[1],[1]]}],\"activations\":[\"" act "\"]}" extra "}"

static void test_cli(void)
{
    CHECK_LMO("khk --help", 0, "Kawaguchi, Huang & Kaelbling", NULL);
    lmo_test_write("k.json", KHKVEC("k", "relu", "1", ""));
    CHECK_LMO("khk k.json", 0, "NOT differentiable: unit 1 of hidden layer 1 has pre-activation 0 at "
              "sample 2", NULL);
    CHECK_LMO("khk --json k.json", 0, "\"kink\":{\"layer\":1,\"sample\":2,\"unit\":1}", NULL);
    /* X = [[1,2],[3,1]]: pre-activations 3, 3/2 / 4, -5/2 ... a differentiable point */
    lmo_test_write("d.json", KHKVEC("d", "leaky:1/4", "3", ""));
    CHECK_LMO("khk d.json", 0, "differentiable, NOT critical", NULL);
    CHECK_LMO("khk d.json", 0, "Theorem 1: not applicable: not a critical point", NULL);
    lmo_test_write("e.json", KHKVEC("e", "relu", "1", ", \"expect\": {\"differentiable\": true}"));
    CHECK_LMO("khk e.json", 1, "MISMATCH", NULL);
    lmo_test_write("b.json", KHKVEC("b", "leaky:3/2", "1", ""));
    CHECK_LMO("khk b.json", 2, NULL, "input.activations[0]");
    lmo_test_write("c.json", KHKVEC("c", "relu", "\"1/0\"", ""));
    CHECK_LMO("khk c.json", 2, NULL, "input.X.data[1][0]");
    /* the fast tier: 3 * 1/10 - 3/10 is 0 exactly, 5.55e-17 in double (lmo_fast/khk.h) */
    lmo_test_write("z.json", "{\"format\": \"lmo-vector/1\", \"kind\": \"khk\", \"id\": \"z\", "
                   "\"source\": \"t\", \"input\": {\"X\":{\"rows\":2,\"cols\":2,\"data\":[[3,1],[1,2]]},"
                   "\"Y\":{\"rows\":2,\"cols\":1,\"data\":[[1],[2]]},\"weights\":[{\"rows\":2,\"cols\":1,"
                   "\"data\":[[\"0.1\"],[\"-0.3\"]]},{\"rows\":1,\"cols\":1,\"data\":[[1]]}],"
                   "\"activations\":[\"relu\"]}}");
    CHECK_LMO("khk z.json", 0, "NOT differentiable: unit 1 of hidden layer 1 has pre-activation 0 at sample 1", NULL);
    CHECK_LMO("compare --policy numpy z.json", 1, "float code sees a smooth point", NULL);
    CHECK_LMO("compare --policy numpy d.json", 0, "agree", NULL);
    lmo_test_write("r.json", "{\"format\": \"lmo-vector/1\", \"kind\": \"matrix_rank\", \"id\": \"r\", "
                   "\"source\": \"t\", \"input\": {\"M\": {\"rows\": 1, \"cols\": 1, \"data\": [[1]]}}}");
    CHECK_LMO("khk r.json", 2, NULL, "matrix_rank");
}

static void lam_set(fmpq_mat_t L, slong m, slong d, int (*on)(slong i, slong k))
{
    fmpq_mat_init(L, m, d);
    for (slong i = 0; i < m; i++)
        for (slong k = 0; k < d; k++) fmpq_set_si(fmpq_mat_entry(L, i, k), on(i, k), 1);
}
static int disjoint3(slong i, slong k) { return i / 3 == k; }
static int all_on(slong i, slong k) { (void) i, (void) k; return 1; }

static void test_prop2(lmo_rng_t *g)
{
    lmo_err_t err;
    /* disjoint supports: 9 samples, 3 units, unit k active on samples 3k..3k+2 */
    for (slong dx = 1; dx <= 4; dx++) {
        fmpq_mat_t L, X, Dt;
        lam_set(L, 9, 3, disjoint3);
        fmpq_mat_init(X, 9, dx);
        lmo_test_rand_qmat(X, g, 100000, 997, 1);
        lmo_khk_dtilde(Dt, L, X);
        CHECK(fmpq_mat_nrows(Dt) == 9 && fmpq_mat_ncols(Dt) == 3 * dx);
        for (slong i = 0; i < 9; i++)
            for (slong c = 0; c < 3 * dx; c++)
                CHECK(fmpq_equal(fmpq_mat_entry(Dt, i, c), i / 3 == c / dx ?
                                 fmpq_mat_entry(X, i, c % dx) : fmpq_mat_entry(L, 0, 2)));
        lmo_khk_prop2_t p;
        lmo_khk_prop2_init(p);
        CHECK(lmo_khk_prop2(p, L, X, NULL, &err) == LMO_OK);
        slong want = 3 * (dx < 3 ? dx : 3);
        CHECK(p->rank == want && qrank(Dt) == want);
        CHECK(p->generic_rank == want);
        CHECK(p->max_rank == (3 * dx < 9 ? 3 * dx : 9));
        CHECK(p->regime == (3 * dx <= 9 ? 1 : 2));
        /* regime i: |I| = 5 rows always miss one unit's block entirely -> witness */
        if (p->regime == 1) CHECK(p->lambda_ok == 0 && p->witness_n == 5);
        if (p->regime == 1) CHECK(p->thm.outcome == LMO_OUTCOME_NOT_APPLICABLE);
        /* dx = 4, regime ii: every |I| <= 1 row is non-zero: holds, rank 9 = m */
        if (dx == 4) CHECK(p->lambda_ok == 1 && p->thm.outcome == LMO_OUTCOME_HOLDS);
        lmo_khk_prop2_clear(p);
        fmpq_mat_clear(L), fmpq_mat_clear(X), fmpq_mat_clear(Dt);
    }
    /* every unit active everywhere: Dtilde = [X X X], rank min(m, dx) for every X */
    {
        fmpq_mat_t L, X;
        lam_set(L, 6, 3, all_on);
        fmpq_mat_init(X, 6, 2);
        lmo_test_rand_qmat(X, g, 100000, 997, 1);
        lmo_khk_prop2_t p;
        lmo_khk_prop2_init(p);
        CHECK(lmo_khk_prop2(p, L, X, NULL, &err) == LMO_OK);
        CHECK(p->rank == 2 && p->generic_rank == 2 && p->max_rank == 6);
        CHECK(p->thm.outcome == LMO_OUTCOME_NOT_APPLICABLE);
        lmo_khk_prop2_clear(p);
        fmpq_mat_clear(L), fmpq_mat_clear(X);
    }
    /* exceptional: m = 2, d = dx = 2, all active (regime ii holds), X's two rows equal */
    {
        fmpq_mat_t L, X;
        lam_set(L, 2, 2, all_on);
        fmpq_mat_init(X, 2, 2);
        fmpq_set_si(fmpq_mat_entry(X, 0, 0), 3, 7), fmpq_set_si(fmpq_mat_entry(X, 0, 1), -2, 5);
        fmpq_set(fmpq_mat_entry(X, 1, 0), fmpq_mat_entry(X, 0, 0));
        fmpq_set(fmpq_mat_entry(X, 1, 1), fmpq_mat_entry(X, 0, 1));
        lmo_khk_prop2_t p;
        lmo_khk_prop2_init(p);
        CHECK(lmo_khk_prop2(p, L, X, NULL, &err) == LMO_OK);
        CHECK(p->rank == 1 && p->generic_rank == 2 && p->lambda_ok == 1);
        CHECK(p->thm.outcome == LMO_OUTCOME_EXCEPTIONAL);
        fmpq_set_si(fmpq_mat_entry(X, 1, 1), 1, 1);            /* now generic */
        lmo_khk_prop2_clear(p);
        lmo_khk_prop2_init(p);
        CHECK(lmo_khk_prop2(p, L, X, NULL, &err) == LMO_OK);
        CHECK(p->rank == 2 && p->thm.outcome == LMO_OUTCOME_HOLDS);
        lmo_khk_prop2_clear(p);
        fmpq_mat_clear(L), fmpq_mat_clear(X);
    }
    /* random fixed 0/1 Lambda: rank <= generic on small-integer X (deficiencies likely),
     * rank = generic on X with large random entries */
    int hit_short = 0;
    for (int rep = 0; rep < 60; rep++) {
        slong m = lmo_rng_uniform(g, 1, 8), d = lmo_rng_uniform(g, 1, 4), dx = lmo_rng_uniform(g, 1, 3);
        fmpq_mat_t L, X, Dt;
        fmpq_mat_init(L, m, d);
        for (slong i = 0; i < m; i++)
            for (slong k = 0; k < d; k++) fmpq_set_si(fmpq_mat_entry(L, i, k), lmo_rng_below(g, 2), 1);
        fmpq_mat_init(X, m, dx);
        int big = rep % 2;
        for (slong i = 0; i < m; i++)
            for (slong j = 0; j < dx; j++)
                fmpq_set_si(fmpq_mat_entry(X, i, j), big ? lmo_rng_uniform(g, -1000000, 1000000)
                            : lmo_rng_uniform(g, -1, 1), big ? (ulong) lmo_rng_uniform(g, 1, 999) : 1);
        lmo_khk_dtilde(Dt, L, X);
        lmo_khk_prop2_t p;
        lmo_khk_prop2_init(p);
        CHECK(lmo_khk_prop2(p, L, X, NULL, &err) == LMO_OK);
        CHECK(p->rank == qrank(Dt));
        CHECK(p->rank <= p->generic_rank && !p->violation);
        if (big) CHECK(p->rank == p->generic_rank);
        hit_short |= p->generic_rank < p->max_rank;
        CHECK(p->thm.outcome != LMO_OUTCOME_VIOLATED && p->thm.statement != NULL);
        lmo_khk_prop2_clear(p);
        fmpq_mat_clear(L), fmpq_mat_clear(X), fmpq_mat_clear(Dt);
    }
    CHECK(hit_short);
}

/* Deep linear networks (every unit leaky:1, H = 2): the least-squares point and the zero saddle. */
static void test_thm2_linear(lmo_rng_t *g)
{
    for (int rep = 0; rep < 6; rep++) {
        /* widths >= dy: Theta_(dy, 0) needs |S(l)| >= dy (the paper's d(H+1) <= min d_l) */
        slong dx = lmo_rng_uniform(g, 1, 2), dy = lmo_rng_uniform(g, 1, 2), m = 6, w = FLINT_MAX(dx, dy);
        slong d[4] = {dx, w, w, dy};
        lmo_khk_t net;
        lmo_khk_init(net, 2, d, m);
        lmo_test_rand_qmat(net->X, g, 5, 3, 0);
        lmo_test_rand_qmat(net->Y, g, 5, 3, 0);
        lmo_err_t err;
        for (slong l = 0; l < 2; l++) CHECK(lmo_khk_act_set_str(net->act + l, "leaky:1", "a", NULL, &err) == 0);
        /* B = (X^T X)^-1 X^T Y; A = W(1) W(2) invertible; W(3) = A^-1 B */
        fmpq_mat_t Xt, G, rhs, B, A, Ai, Yh, R;
        fmpq_mat_init(Xt, dx, m), fmpq_mat_init(G, dx, dx), fmpq_mat_init(rhs, dx, dy), fmpq_mat_init(B, dx, dy);
        fmpq_mat_init(A, dx, w), fmpq_mat_init(Ai, dx, dx), fmpq_mat_init(Yh, m, dy), fmpq_mat_init(R, m, dy);
        fmpq_mat_t At, AAt, C;
        fmpq_mat_init(At, w, dx), fmpq_mat_init(AAt, dx, dx), fmpq_mat_init(C, dx, dy);
        fmpq_mat_transpose(Xt, net->X);
        fmpq_mat_mul(G, Xt, net->X);
        fmpq_mat_mul(rhs, Xt, net->Y);
        int ok = fmpq_mat_solve_fraction_free(B, G, rhs);
        do {   /* W(3) = A^T (A A^T)^-1 B, so A W(3) = B */
            lmo_test_rand_qmat(net->W, g, 4, 3, 0);
            lmo_test_rand_qmat(net->W + 1, g, 4, 3, 0);
            fmpq_mat_mul(A, net->W, net->W + 1);
            fmpq_mat_transpose(At, A);
            fmpq_mat_mul(AAt, A, At);
        } while (!fmpq_mat_inv(Ai, AAt));
        fmpq_mat_mul(C, Ai, B);
        fmpq_mat_mul(net->W + 2, At, C);
        fmpq_mat_mul(Yh, net->X, B);
        fmpq_mat_sub(R, net->Y, Yh);
        fmpq_t want, z;
        fmpq_init(want), fmpq_init(z);
        for (slong i = 0; i < m; i++)
            for (slong j = 0; j < dy; j++) fmpq_addmul(want, fmpq_mat_entry(R, i, j), fmpq_mat_entry(R, i, j));
        fmpq_div_2exp(want, want, 1);
        lmo_khk_result_t r;
        lmo_khk_result_init(r);
        CHECK(ok && lmo_khk_compute(r, net, NULL, &err) == LMO_OK);
        const lmo_khk_thm2_struct *T = r->thm2;
        CHECK(r->differentiable && r->critical && T->done && T->lm == 1);
        CHECK(fmpq_equal(r->loss, want) && fmpq_equal(T->loss_pattern, want));
        CHECK(T->t_weak == 0 && T->t_strong == 0 && T->nS == 8 && T->npatterns == 1);
        for (slong s = 0; s < T->nS; s++)
            CHECK(fmpq_equal(T->S[s].bound, want) && fmpq_equal(T->S[s].bound_cor1, want));
        for (int i = 0; i < LMO_KHK_T2_N; i++) CHECK(T->thm[i].outcome == LMO_OUTCOME_HOLDS);
        lmo_khk_result_clear(r);
        /* W = 0: critical (every gradient is a product with a zero factor), a saddle */
        for (slong l = 0; l <= 2; l++) fmpq_mat_zero(net->W + l);
        fmpq_zero(z);
        for (slong i = 0; i < m; i++)
            for (slong j = 0; j < dy; j++) fmpq_addmul(z, fmpq_mat_entry(net->Y, i, j), fmpq_mat_entry(net->Y, i, j));
        fmpq_div_2exp(z, z, 1);
        compute(r, net);
        T = r->thm2;
        CHECK(r->critical && T->lm == 0 && fmpq_equal(r->loss, z) && fmpq_equal(T->loss_pattern, want));
        for (int i = 0; i < LMO_KHK_T2_N; i++) {
            CHECK(T->thm[i].outcome == LMO_OUTCOME_NOT_APPLICABLE);
            CHECKF(fmpq_equal(want, z) || strstr(T->thm[i].reason, "fails here") != NULL, "%s", T->thm[i].reason);
        }
        CHECK(!r->violation);
        lmo_khk_result_clear(r);
        fmpq_clear(want), fmpq_clear(z);
        fmpq_mat_clear(Xt), fmpq_mat_clear(G), fmpq_mat_clear(rhs), fmpq_mat_clear(B);
        fmpq_mat_clear(A), fmpq_mat_clear(Ai), fmpq_mat_clear(Yh), fmpq_mat_clear(R);
        fmpq_mat_clear(At), fmpq_mat_clear(AAt), fmpq_mat_clear(C);
        lmo_khk_clear(net);
    }
}

int main(void)
{
    lmo_rng_t g;
    lmo_rng_seed(&g, 22);
    test_projector(&g);
    test_lemma2(&g);
    test_lemma3(&g);
    test_prop1(&g);
    test_prop2(&g);
    test_gap(&g);
    test_critical_family();
    test_thm2_linear(&g);
    test_kinks();
    test_cli();
    flint_cleanup();
    return lmo_test_finish();
}
