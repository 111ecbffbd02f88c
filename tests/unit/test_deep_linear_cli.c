/*
 * `lmo classify` on kind deep_linear through the program ($LMO_BIN): exit
 * codes of DESIGN.md, the JSON verdict, expect replay, --cert, and bad input
 * naming the field. Expected values are hand-computed (comments), not taken
 * from the program.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "lmo_test.h"

#define ONE "{\"rows\": 1, \"cols\": 1, \"data\": [[1]]}"
#define TWO "{\"rows\": 1, \"cols\": 1, \"data\": [[2]]}"
#define ZERO "{\"rows\": 1, \"cols\": 1, \"data\": [[0]]}"
#define VEC(id, weights, extra) "{\"format\": \"lmo-vector/1\", \"kind\": \"deep_linear\", \"id\": \"" id \
    "\", \"source\": \"test\", \"input\": {\"X\": " ONE ", \"Y\": " TWO ", \"weights\": [" weights "]}" extra "}"

static const char *str_of(json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}

int main(void)
{
    CHECK_LMO("classify --help", 0, NULL, NULL);
    char *out = NULL, *err = NULL;
    json_error_t je;

    /* x = 1, y = 2, W2 W1 = 2 * 1 = 2: residual 0, loss 0; Sigma = 4, L* = (4 - 4)/2 = 0.
     * Hessian [[W2^2 x^2, W2 x W1 x], [., (W1 x)^2]] = [[4, 2], [2, 1]]: det 0, so
     * one positive and one zero eigenvalue. */
    lmo_test_write("g.json", VEC("g", ONE ", " TWO, ""));
    CHECK_EQ(lmo_test_lmo("classify --json g.json --cert g.cert.json", &out, &err), 0);
    json_t *j = json_loads(out, 0, &je);
    CHECK(j != NULL);
    if (j) {
        CHECK_STREQ(str_of(j, "class"), "global_min");
        CHECK(json_is_true(json_object_get(j, "critical")));
        CHECK(json_integer_value(json_object_get(j, "loss")) == 0 && json_is_integer(json_object_get(j, "loss")));
        json_t *in = json_object_get(j, "hessian_inertia");
        CHECK(json_integer_value(json_object_get(in, "positive")) == 1 &&
              json_integer_value(json_object_get(in, "negative")) == 0 &&
              json_integer_value(json_object_get(in, "zero")) == 1);
        json_decref(j);
    }
    free(out); free(err);
    char *cert = lmo_test_read("g.cert.json");
    j = json_loads(cert, 0, &je);
    CHECK(j && strcmp(str_of(j, "claim"), "deep_linear") == 0 && json_object_get(j, "global_min"));
    json_decref(j);
    free(cert);

    /* W = 0, H = 1: critical; Hessian [[0, -y x], [-y x, 0]] = [[0, -2], [-2, 0]]:
     * eigenvalues +2, -2: strict saddle, loss y^2/2 = 2 */
    lmo_test_write("s.json", VEC("s", ZERO ", " ZERO, ""));
    CHECK_EQ(lmo_test_lmo("classify --json s.json", &out, NULL), 0);
    j = json_loads(out, 0, &je);
    CHECK(j && strcmp(str_of(j, "class"), "strict_saddle") == 0);
    json_decref(j);
    free(out);

    /* W = 0, H = 2: every Hessian entry has a zero factor; loss(t) along
     * W = t (1, 1, 1) is (t^3 - 2)^2 / 2 = 2 - 2 t^3 + ...: a bad saddle */
    lmo_test_write("b.json", VEC("b", ZERO ", " ZERO ", " ZERO, ""));
    CHECK_EQ(lmo_test_lmo("classify --json b.json", &out, NULL), 0);
    j = json_loads(out, 0, &je);
    CHECK(j && strcmp(str_of(j, "class"), "bad_saddle") == 0);
    json_decref(j);
    free(out);

    /* W2 = 2 + 10^-30: residual 10^-30, dL/dW1 = W2 x r != 0: not critical */
    lmo_test_write("n.json", VEC("n", ONE ", {\"rows\": 1, \"cols\": 1, \"data\": [[\"2.000000000000000000000000000001\"]]}", ""));
    CHECK_EQ(lmo_test_lmo("classify --json n.json", &out, NULL), 0);
    j = json_loads(out, 0, &je);
    CHECK(j && strcmp(str_of(j, "class"), "not_critical") == 0 &&
          json_is_false(json_object_get(j, "critical")));
    json_decref(j);
    free(out);

    /* expect replay: a wrong stored class is a mismatch (exit 1) */
    lmo_test_write("m.json", VEC("m", ONE ", " TWO, ", \"expect\": {\"class\": \"strict_saddle\"}"));
    CHECK_LMO("classify m.json", 1, "MISMATCH", NULL);
    lmo_test_write("m2.json", VEC("m2", ONE ", " TWO, ", \"expect\": {\"class\": \"global_min\", \"loss\": 0}"));
    CHECK_LMO("classify m2.json", 0, NULL, NULL);

    /* the theorem objects (report.theorems) and one line per statement in the text */
    CHECK_LMO("classify b.json", 0, "Kawaguchi 2016 Theorem 2.3 (ii): holds: ", NULL);
    CHECK_LMO("classify b.json", 0, "Kawaguchi 2016 Corollary 2.4: holds: H = 2 >= 2", NULL);
    CHECK_EQ(lmo_test_lmo("classify --json b.json", &out, NULL), 0);
    j = json_loads(out, 0, &je);
    {
        json_t *th = json_object_get(json_object_get(j, "report"), "theorems");
        CHECK(json_is_array(th) && json_array_size(th) == 10);
        json_t *t0 = json_array_get(th, 0);
        CHECK_STREQ(str_of(t0, "statement"), "Kawaguchi 2016 Theorem 2.3 (i)");
        CHECK_STREQ(str_of(t0, "outcome"), "holds");
        CHECK(json_object_get(j, "theorem_consistency") == NULL);
    }
    json_decref(j);
    free(out);

    /* Issue 19's point (X = I2, Y = diag(2,1), W1 = 2 E11, W2 = E11, W3 = [[1,0],[1,0]],
     * W4 = E11): critical, Hessian >= 0, loss 1/2 > L* = 0 -- a bad saddle, left along a
     * straight line with loss (1 - t^4)^2 / 2 (test_deep_linear.c derives it by hand) */
#define M2(a, b, c, d) "{\"rows\": 2, \"cols\": 2, \"data\": [[" #a ", " #b "], [" #c ", " #d "]]}"
#define V2(id, y, w) "{\"format\": \"lmo-vector/1\", \"kind\": \"deep_linear\", \"id\": \"" id \
    "\", \"source\": \"test\", \"input\": {\"X\": " M2(1, 0, 0, 1) ", \"Y\": " y ", \"weights\": [" w "]}}"
    lmo_test_write("i19.json", V2("i19", M2(2, 0, 0, 1), M2(2, 0, 0, 0) ", " M2(1, 0, 0, 0) ", "
                                  M2(1, 0, 1, 0) ", " M2(1, 0, 0, 0)));
    CHECK_LMO("classify i19.json", 0, "class: bad_saddle (loss falls at order t^4 along a straight line", NULL);
    /* each check fails on a deliberately wrong intermediate (LMO_DL_CORRUPT): VIOLATED, exit 1 */
    static const lmo_test_hook_t bad[] = {
        {"escape", "i19.json", "Theorem 2.3 (ii): VIOLATED: Case III"},
        {"ascent", "i19.json", "Theorem 2.3 (iii): VIOLATED"},
        {"residual", "i19.json", "Lemma 4.4: VIOLATED"},
        {"witness", "i19.json", "Theorem 2.3 (i): VIOLATED"},
        {"paths", "i19.json", "Corollary 3.2: VIOLATED"},
        {"sigma", "c2.json", "Theorem 2.3 (ii): VIOLATED: Case II"},
        {"inertia", "s1.json", "Corollary 2.4: VIOLATED: H = 1"},
        {"cor24", "h2.json", "Corollary 2.4: VIOLATED: H = 2"},
    };
    /* c2: H = 1, d1 = 1, W1 = [2 0], W2 = [1; 0]: product diag(2, 0), the top eigenvector of
     * Sigma = diag(4, 1): a global minimum (Case II, dy = 2 > p = 1). s1: the same shape
     * through the other eigenvector (W1 = [0 1], W2 = [0; 1]): an H = 1 saddle. h2: H = 2,
     * W1 = [2 0], W2 = [1], W3 = [1; 0]: a global minimum with W3 != 0. */
    lmo_test_write("c2.json", V2("c2", M2(2, 0, 0, 1), "{\"rows\": 1, \"cols\": 2, \"data\": [[2, 0]]}, "
                                 "{\"rows\": 2, \"cols\": 1, \"data\": [[1], [0]]}"));
    lmo_test_write("s1.json", V2("s1", M2(2, 0, 0, 1), "{\"rows\": 1, \"cols\": 2, \"data\": [[0, 1]]}, "
                                 "{\"rows\": 2, \"cols\": 1, \"data\": [[0], [1]]}"));
    lmo_test_write("h2.json", V2("h2", M2(2, 0, 0, 1), "{\"rows\": 1, \"cols\": 2, \"data\": [[2, 0]]}, "
                                 "{\"rows\": 1, \"cols\": 1, \"data\": [[1]]}, "
                                 "{\"rows\": 2, \"cols\": 1, \"data\": [[1], [0]]}"));
    CHECK_LMO("classify c2.json", 0, "class: global_min", NULL);
    CHECK_LMO("classify s1.json", 0, "class: strict_saddle", NULL);
    CHECK_LMO("classify h2.json", 0, "class: global_min", NULL);
    CHECK_HOOKS("LMO_DL_CORRUPT", "classify", bad, sizeof bad / sizeof bad[0]);
    /* lmo bless flags a vector whose verdict violates a statement (TheoremViolated) */
    for (int hooked = 0; hooked < 2; hooked++) {
        lmo_test_write("bl.json", V2("bl", M2(2, 0, 0, 1), M2(2, 0, 0, 0) ", " M2(1, 0, 0, 0) ", "
                                     M2(1, 0, 1, 0) ", " M2(1, 0, 0, 0)));
        if (hooked) setenv("LMO_DL_CORRUPT", "escape", 1);
        CHECK_EQ(lmo_test_lmo("bless bl.json", NULL, NULL), 0);
        unsetenv("LMO_DL_CORRUPT");
        char *bl = lmo_test_read("bl.json");
        CHECK(bl != NULL && (strstr(bl, "TheoremViolated") != NULL) == hooked);
        free(bl);
    }
    setenv("LMO_DL_CORRUPT", "no-such-hook", 1);
    CHECK_LMO("classify i19.json", 2, NULL, "LMO_DL_CORRUPT");
    unsetenv("LMO_DL_CORRUPT");

    /* bad input: W2 is 1 x 2 after a 1 x 1 W1 -> exit 2 naming the field */
    lmo_test_write("x.json", VEC("x", ONE ", {\"rows\": 1, \"cols\": 2, \"data\": [[1, 2]]}", ""));
    CHECK_LMO("classify x.json", 2, NULL, "input.weights[1]");

    return lmo_test_finish();
}
