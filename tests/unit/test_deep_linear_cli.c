/*
 * `lmo classify` on kind deep_linear through the program ($LMO_BIN): exit
 * codes of DESIGN.md, the JSON verdict, expect replay, --cert, and bad input
 * naming the field. Expected values are hand-computed (comments), not taken
 * from the program. Until cli/lmo.c dispatches `classify` (entry point
 * lmo_cmd_classify in cli/cmd_classify.c) this test reports SKIP and passes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include <jansson.h>

static int failures = 0;
#define CHECK(c) do { if (!(c)) { failures++; fprintf(stderr, "%s:%d: CHECK failed: %s\n", \
                                   __FILE__, __LINE__, #c); } } while (0)

static char dir[256];
static const char *bin;

static void write_file(const char *name, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
}

static char *slurp(const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "r");
    if (!f) return calloc(1, 1);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = calloc((size_t) n + 1, 1);
    if (fread(s, 1, (size_t) n, f) != (size_t) n) s[0] = '\0';
    fclose(f);
    return s;
}

/* Run "$LMO_BIN args" in dir; stdout and stderr into *out / *err (malloc'ed). */
static int run(const char *args, char **out, char **err)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "cd '%s' && '%s' %s > out.txt 2> err.txt", dir, bin, args);
    int st = system(cmd);
    if (out) *out = slurp("out.txt");
    if (err) *err = slurp("err.txt");
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

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
    bin = getenv("LMO_BIN");
    if (bin == NULL) { fprintf(stderr, "LMO_BIN is not set (run through ctest)\n"); return 1; }
    snprintf(dir, sizeof dir, "/tmp/lmo-test-dl-cli-XXXXXX");
    if (mkdtemp(dir) == NULL) { perror("mkdtemp"); return 1; }
    if (run("classify --help", NULL, NULL) != 0) {
        printf("test_deep_linear_cli: SKIP (lmo classify is not dispatched by cli/lmo.c yet)\n");
        char cmd[400];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
        if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", dir);
        return 0;
    }
    char *out = NULL, *err = NULL;
    json_error_t je;

    /* x = 1, y = 2, W2 W1 = 2 * 1 = 2: residual 0, loss 0; Sigma = 4, L* = (4 - 4)/2 = 0.
     * Hessian [[W2^2 x^2, W2 x W1 x], [., (W1 x)^2]] = [[4, 2], [2, 1]]: det 0, so
     * one positive and one zero eigenvalue. */
    write_file("g.json", VEC("g", ONE ", " TWO, ""));
    CHECK(run("classify --json g.json --cert g.cert.json", &out, &err) == 0);
    json_t *j = json_loads(out, 0, &je);
    CHECK(j != NULL);
    if (j) {
        CHECK(strcmp(str_of(j, "class"), "global_min") == 0);
        CHECK(json_is_true(json_object_get(j, "critical")));
        CHECK(json_integer_value(json_object_get(j, "loss")) == 0 && json_is_integer(json_object_get(j, "loss")));
        json_t *in = json_object_get(j, "hessian_inertia");
        CHECK(json_integer_value(json_object_get(in, "positive")) == 1 &&
              json_integer_value(json_object_get(in, "negative")) == 0 &&
              json_integer_value(json_object_get(in, "zero")) == 1);
        json_decref(j);
    }
    free(out); free(err);
    char *cert = slurp("g.cert.json");
    j = json_loads(cert, 0, &je);
    CHECK(j && strcmp(str_of(j, "claim"), "deep_linear") == 0 && json_object_get(j, "global_min"));
    json_decref(j);
    free(cert);

    /* W = 0, H = 1: critical; Hessian [[0, -y x], [-y x, 0]] = [[0, -2], [-2, 0]]:
     * eigenvalues +2, -2: strict saddle, loss y^2/2 = 2 */
    write_file("s.json", VEC("s", ZERO ", " ZERO, ""));
    CHECK(run("classify --json s.json", &out, NULL) == 0);
    j = json_loads(out, 0, &je);
    CHECK(j && strcmp(str_of(j, "class"), "strict_saddle") == 0);
    json_decref(j);
    free(out);

    /* W = 0, H = 2: every Hessian entry has a zero factor; loss(t) along
     * W = t (1, 1, 1) is (t^3 - 2)^2 / 2 = 2 - 2 t^3 + ...: a bad saddle */
    write_file("b.json", VEC("b", ZERO ", " ZERO ", " ZERO, ""));
    CHECK(run("classify --json b.json", &out, NULL) == 0);
    j = json_loads(out, 0, &je);
    CHECK(j && strcmp(str_of(j, "class"), "bad_saddle") == 0);
    json_decref(j);
    free(out);

    /* W2 = 2 + 10^-30: residual 10^-30, dL/dW1 = W2 x r != 0: not critical */
    write_file("n.json", VEC("n", ONE ", {\"rows\": 1, \"cols\": 1, \"data\": [[\"2.000000000000000000000000000001\"]]}", ""));
    CHECK(run("classify --json n.json", &out, NULL) == 0);
    j = json_loads(out, 0, &je);
    CHECK(j && strcmp(str_of(j, "class"), "not_critical") == 0 &&
          json_is_false(json_object_get(j, "critical")));
    json_decref(j);
    free(out);

    /* expect replay: a wrong stored class is a mismatch (exit 1) */
    write_file("m.json", VEC("m", ONE ", " TWO, ", \"expect\": {\"class\": \"strict_saddle\"}"));
    CHECK(run("classify m.json", &out, NULL) == 1);
    CHECK(strstr(out, "MISMATCH") != NULL);
    free(out);
    write_file("m2.json", VEC("m2", ONE ", " TWO, ", \"expect\": {\"class\": \"global_min\", \"loss\": 0}"));
    CHECK(run("classify m2.json", NULL, NULL) == 0);

    /* bad input: W2 is 1 x 2 after a 1 x 1 W1 -> exit 2 naming the field */
    write_file("x.json", VEC("x", ONE ", {\"rows\": 1, \"cols\": 2, \"data\": [[1, 2]]}", ""));
    CHECK(run("classify x.json", NULL, &err) == 2);
    CHECK(strstr(err, "input.weights[1]") != NULL);
    free(err);

    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", dir);
    if (failures) { fprintf(stderr, "%d failures\n", failures); return 1; }
    printf("test_deep_linear_cli: ok\n");
    return 0;
}
