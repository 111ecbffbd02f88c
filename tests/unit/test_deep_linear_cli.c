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

    /* bad input: W2 is 1 x 2 after a 1 x 1 W1 -> exit 2 naming the field */
    lmo_test_write("x.json", VEC("x", ONE ", {\"rows\": 1, \"cols\": 2, \"data\": [[1, 2]]}", ""));
    CHECK_LMO("classify x.json", 2, NULL, "input.weights[1]");

    return lmo_test_finish();
}
