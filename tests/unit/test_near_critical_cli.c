/*
 * The near-critical report (issue 20) through the program ($LMO_BIN): `lmo classify` and
 * `lmo mnn` on points that are not critical, with hand-computed values.
 *
 * deep_linear, x = 1, y = 2, H = 1, eps = 2^-30 (the loss 1/2 (W2 W1 - 2)^2, r = W2 W1 - 2,
 * gradient (r W2, r W1), Hessian [[W2^2, W1 W2 + r], [W1 W2 + r, W1^2]], L* = 0):
 *  - a strict saddle moved: W1 = eps, W2 = 0: r = -2, gradient (0, -2 eps), |grad|^2 =
 *    4 eps^2 = 2^-58, Hessian [[0, -2], [-2, eps^2]]: eigenvalues (eps^2 -+ sqrt(eps^4 +
 *    16)) / 2 = -2 + eps^2/2 + ..., 2 + ...: certified negative far below -sqrt(|grad|):
 *    "not a minimum-like point"; loss 2, loss - L* = 2;
 *  - a global minimum moved: W1 = 1, W2 = 2 + eps: r = eps, |grad|^2 = eps^2 ((2 + eps)^2
 *    + 1), Hessian [[(2 + eps)^2, 2 + 2 eps], [2 + 2 eps, 1]] with determinant -4 eps -
 *    3 eps^2 < 0: one tiny negative eigenvalue (about -4 eps / 5), small against
 *    sqrt(|grad|): no second-order verdict; loss - L* = eps^2 / 2 = 2^-61;
 *  - the critical point W1 = 1, W2 = 2 gets no report.
 * mnn, L = 2, x = 1, y = 0, W1 = W2 = 1 (slope 1/2 unused: u = 1 > 0): e = 1, MSE = 1/2,
 * gradient (1, 1), Hessian of 1/2 (W2 W1)^2 = [[1, 2], [2, 1]], eigenvalues -1 and 3:
 * |grad| = sqrt 2 is not small against 3, so no claim about a nearby critical point. Over
 * the Hessian's cap (110 parameters) the report keeps the gradient and names the cap.
 * And the report replays: lmo bless, lmo check (exit 0), a tampered verdict (exit 1).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "lmo_test.h"

#define M1(a) "{\"rows\": 1, \"cols\": 1, \"data\": [[" a "]]}"
#define DL(id, w1, w2) "{\"format\": \"lmo-vector/1\", \"kind\": \"deep_linear\", \"id\": \"" id \
    "\", \"source\": \"test\", \"input\": {\"X\": " M1("1") ", \"Y\": " M1("2") ", \"weights\": [" \
    M1(w1) ", " M1(w2) "]}}"
#define EPS "\"1/1073741824\""
#define TWO_EPS "\"2147483649/1073741824\""   /* 2 + 2^-30 */

static json_t *run_json(const char *args)
{
    char *out = NULL;
    json_error_t je;
    CHECKF(lmo_test_lmo(args, &out, NULL) == 0, "lmo %s failed", args);
    json_t *j = out ? json_loads(out, 0, &je) : NULL;
    CHECKF(j != NULL, "lmo %s: no JSON", args);
    free(out);
    return j;
}

static json_t *near(json_t *j)
{
    return json_object_get(json_object_get(j, "report"), "near_critical");
}

static long long sign_count(json_t *nc, const char *k)
{
    return json_integer_value(json_object_get(json_object_get(nc, "hessian_signs"), k));
}

static const char *sget(json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}

/* |value - want| <= rad + slack with value = {mid, rad}: a loose check in double (the test's
 * own arithmetic; the enclosure's rigour is test_eig_enclose's business). */
static int near_value(json_t *enc, double want, double slack)
{
    double mid = strtod(sget(enc, "mid"), NULL), rad = strtod(sget(enc, "rad"), NULL);
    return fabs(mid - want) <= rad + slack && rad < 1e-10;
}

int main(void)
{
    /* the moved strict saddle */
    lmo_test_write("saddle.json", DL("saddle", EPS, "0"));
    json_t *j = run_json("classify --json saddle.json");
    json_t *nc = near(j);
    CHECK(nc != NULL);
    if (nc) {
        CHECK_STREQ(sget(j, "class"), "not_critical");
        CHECK_STREQ(sget(json_object_get(nc, "gradient_norm"), "squared"), "1/288230376151711744");
        CHECK(near_value(json_object_get(json_object_get(nc, "gradient_norm"), "enclosure"),
                         2.0 / 1073741824.0, 1e-20));
        json_t *ev = json_object_get(nc, "hessian_eigenvalues");
        CHECK_EQ(json_array_size(ev), 2);
        CHECK(near_value(json_array_get(ev, 0), -2.0, 1e-15));
        CHECK(near_value(json_array_get(ev, 1), 2.0, 1e-15));
        CHECK_EQ(sign_count(nc, "negative"), 1);
        CHECK_EQ(sign_count(nc, "positive"), 1);
        CHECK_EQ(sign_count(nc, "undecided"), 0);
        CHECK_EQ(json_integer_value(json_object_get(json_object_get(nc, "loss_gap"), "exact")), 2);
        CHECK_CONTAINS(sget(nc, "verdict"), "not a minimum-like point");
        /* the float view of the same point sits in info, not in the report */
        json_t *fv = json_object_get(json_object_get(j, "info"), "near_critical_float");
        CHECK(json_array_size(json_object_get(fv, "hessian_eigenvalues")) == 2);
    }
    json_decref(j);
    CHECK_LMO("classify saddle.json", 0, "near-critical:", NULL);
    CHECK_LMO("classify saddle.json", 0, "gradient norm ≈ 1.9e-9", NULL);
    CHECK_LMO("classify saddle.json", 0, "Hessian eigenvalues (certified, 64 bits): 1 negative, 1 "
              "positive, 0 undecided; exact inertia 1 negative, 1 positive, 0 zero", NULL);
    CHECK_LMO("classify saddle.json", 0, "float view (default policy)", NULL);

    /* the moved global minimum */
    lmo_test_write("gmin.json", DL("gmin", "1", TWO_EPS));
    j = run_json("classify --json gmin.json");
    nc = near(j);
    CHECK(nc != NULL);
    if (nc) {
        CHECK_STREQ(sget(json_object_get(nc, "loss_gap"), "exact"), "1/2305843009213693952");
        CHECK_EQ(sign_count(nc, "negative"), 1);   /* -4 eps / 5, certified */
        CHECK(near_value(json_array_get(json_object_get(nc, "hessian_eigenvalues"), 0),
                         -4.0 / 5.0 / 1073741824.0, 1e-11));
        CHECK_CONTAINS(sget(nc, "verdict"), "not below -sqrt(gradient norm)");
        CHECK_CONTAINS(sget(nc, "verdict"), "no second-order verdict");
        CHECK(strstr(sget(nc, "verdict"), "near a strict saddle") == NULL);
        json_t *in = json_object_get(nc, "hessian_inertia");
        CHECK(json_integer_value(json_object_get(in, "negative")) == 1 &&
              json_integer_value(json_object_get(in, "positive")) == 1);
    }
    json_decref(j);

    /* a critical point: no report */
    lmo_test_write("crit.json", DL("crit", "1", "2"));
    j = run_json("classify --json crit.json");
    CHECK(j && near(j) == NULL && json_object_get(json_object_get(j, "info"), "near_critical_float") == NULL);
    json_decref(j);

    /* mnn: far from critical, certified curvature, no nearby claim */
    lmo_test_write("m.json", "{\"format\": \"lmo-vector/1\", \"kind\": \"mnn\", \"id\": \"m\", \"source\": "
                   "\"test\", \"input\": {\"X\": " M1("1") ", \"y\": [0], \"slope\": \"1/2\", \"weights\": ["
                   M1("1") ", " M1("1") "]}}");
    j = run_json("mnn --json m.json");
    nc = near(j);
    CHECK(nc != NULL);
    if (nc) {
        CHECK_EQ(json_integer_value(json_object_get(json_object_get(nc, "gradient_norm"), "squared")), 2);
        json_t *ev = json_object_get(nc, "hessian_eigenvalues");
        CHECK(near_value(json_array_get(ev, 0), -1.0, 1e-15) && near_value(json_array_get(ev, 1), 3.0, 1e-15));
        CHECK(json_object_get(nc, "loss_gap") == NULL);
        CHECK_CONTAINS(sget(nc, "verdict"), "no claim about a nearby critical point");
        CHECK_CONTAINS(sget(nc, "verdict"), "a second-order descent direction at this point");
    }
    json_decref(j);
    CHECK_LMO("mnn m.json", 0, "the fast tier computes no Hessian for mnn", NULL);

    /* mnn over the Hessian's cap (d0 = d1 = 10: 110 > LMO_MNN_HESSIAN_MAX_OMEGA parameters),
     * all ones, x = 1, y = 0: u = 10 > 0, output 100, e = 100: the report keeps the gradient
     * and says why there is no Hessian */
    {
        char big[4096], row[64];
        size_t len = 0;
        len += (size_t) snprintf(big + len, sizeof big - len, "{\"format\": \"lmo-vector/1\", \"kind\": "
                                 "\"mnn\", \"id\": \"big\", \"source\": \"test\", \"input\": {\"X\": "
                                 "{\"rows\": 10, \"cols\": 1, \"data\": [");
        for (int i = 0; i < 10; i++) len += (size_t) snprintf(big + len, sizeof big - len, "%s[1]", i ? ", " : "");
        len += (size_t) snprintf(big + len, sizeof big - len, "]}, \"y\": [0], \"slope\": \"1/2\", "
                                 "\"weights\": [{\"rows\": 10, \"cols\": 10, \"data\": [");
        snprintf(row, sizeof row, "[1, 1, 1, 1, 1, 1, 1, 1, 1, 1]");
        for (int i = 0; i < 10; i++) len += (size_t) snprintf(big + len, sizeof big - len, "%s%s", i ? ", " : "", row);
        snprintf(big + len, sizeof big - len, "]}, {\"rows\": 1, \"cols\": 10, \"data\": [%s]}]}}", row);
        lmo_test_write("big.json", big);
        j = run_json("mnn --json big.json");
        nc = near(j);
        CHECK(nc != NULL && json_is_null(json_object_get(nc, "hessian_eigenvalues")));
        CHECK_CONTAINS(sget(nc, "note"), "skipped");
        CHECK_CONTAINS(sget(nc, "verdict"), "no Hessian here");
        /* |grad|^2 = (1/N)^2 |G e|^2: G1 columns delta (x) x = 1 (100 entries), G2 = v = 10
         * (10 entries), e = 100: 100^2 (100 + 10 * 100) = 11000000 */
        CHECK_EQ(json_integer_value(json_object_get(json_object_get(nc, "gradient_norm"), "squared")),
                 11000000);
        json_decref(j);
    }

    /* the report is replayed by lmo check; a tampered one is a mismatch */
    CHECK_EQ(lmo_test_lmo("bless saddle.json m.json", NULL, NULL), 0);
    CHECK_LMO("check saddle.json m.json", 0, NULL, NULL);
    char *text = lmo_test_read("saddle.json");
    char *at = strstr(text, "not a minimum-like point");
    CHECK(at != NULL);
    if (at) {
        memcpy(at, "not a maximum-like point", 24);
        lmo_test_write("saddle.json", text);
        CHECK_LMO("check saddle.json", 1, NULL, NULL);
    }
    free(text);
    return lmo_test_finish();
}
