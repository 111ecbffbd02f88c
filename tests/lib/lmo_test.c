/* lmo_test.c -- the shared C test harness (lmo_test.h). */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include "lmo_test.h"

static int checks, failures, skipped_parts, slow;
static char tmpdir[512];

void lmo_test_pass_(void)
{
    checks++;
}

void lmo_test_fail_(const char *file, int line, const char *cond, const char *fmt, ...)
{
    checks++;
    failures++;
    fprintf(stderr, "FAIL %s:%d:", file, line);
    if (cond) fprintf(stderr, " %s", cond);
    if (fmt) {
        va_list ap;
        va_start(ap, fmt);
        fputs(cond ? ": " : " ", stderr);
        vfprintf(stderr, fmt, ap);
        va_end(ap);
    }
    fputc('\n', stderr);
}

void lmo_test_check_eq_(const char *file, int line, const char *ta, const char *tb,
                        long long a, long long b)
{
    if (a == b) lmo_test_pass_();
    else lmo_test_fail_(file, line, NULL, "%s == %s: %lld != %lld", ta, tb, a, b);
}

void lmo_test_check_contains_(const char *file, int line, const char *ttext, const char *text,
                              const char *sub)
{
    if (text && strstr(text, sub)) lmo_test_pass_();
    else lmo_test_fail_(file, line, NULL, "%s lacks \"%s\": \"%.300s\"", ttext, sub,
                        text ? text : "(null)");
}

void lmo_test_check_streq_(const char *file, int line, const char *ts, const char *s,
                           const char *want)
{
    if (s && strcmp(s, want) == 0) lmo_test_pass_();
    else if (s) lmo_test_fail_(file, line, NULL, "%s is \"%.300s\", want \"%s\"", ts, s, want);
    else lmo_test_fail_(file, line, NULL, "%s is NULL, want \"%s\"", ts, want);
}

int lmo_test_failures(void)
{
    return failures;
}

void lmo_test_skip(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("SKIP: ", stdout);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
    exit(77);
}

void lmo_test_skip_part(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("SKIP (part): ", stdout);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
    skipped_parts++;
}

int lmo_test_slow(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--slow") == 0) return slow = 1;
    if (argc == 1) return 0;
    fprintf(stderr, "usage: %s [--slow]\n", argv[0]);
    exit(2);
}

int lmo_test_finish_(const char *file)
{
    const char *base = strrchr(file, '/');
    char name[128];
    snprintf(name, sizeof name, "%s", base ? base + 1 : file);
    char *dot = strrchr(name, '.');
    if (dot) *dot = '\0';
    if (slow) strncat(name, " --slow", sizeof name - strlen(name) - 1);
    printf("%s: %d checks, %d failures%s\n", name, checks, failures,
           skipped_parts && !failures ? ", part skipped" : "");
    if (tmpdir[0]) {
        if (failures) {
            printf("%s: kept %s\n", name, tmpdir);
        } else {
            char cmd[600];
            snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
            if (system(cmd) != 0) fprintf(stderr, "%s: could not remove %s\n", name, tmpdir);
        }
    }
    fflush(stdout);
    if (failures) return 1;
    if (checks == 0) {
        fprintf(stderr, "FAIL %s: no check ran\n", name);
        return 1;
    }
    return skipped_parts ? 77 : 0;
}

const char *lmo_test_env(const char *name)
{
    const char *v = getenv(name);
    if (v == NULL || *v == '\0') {
        fprintf(stderr, "FAIL: %s is not set (tests/CMakeLists.txt sets it: run through ctest)\n",
                name);
        exit(1);
    }
    return v;
}

const char *lmo_test_tmpdir(void)
{
    if (tmpdir[0] == '\0') {
        const char *t = getenv("TMPDIR");
        if (t == NULL || *t == '\0' || strchr(t, '\'') || strlen(t) > 400) t = "/tmp";
        snprintf(tmpdir, sizeof tmpdir, "%s/lmo-test-XXXXXX", t);
        if (mkdtemp(tmpdir) == NULL) {
            perror("FAIL: mkdtemp");
            exit(1);
        }
    }
    return tmpdir;
}

static FILE *open_in_tmpdir(const char *name, const char *mode)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", lmo_test_tmpdir(), name);
    return fopen(path, mode);
}

void lmo_test_write(const char *name, const char *text)
{
    FILE *f = open_in_tmpdir(name, "w");
    int ok = f != NULL && fputs(text, f) >= 0;
    if (f != NULL && fclose(f) != 0) ok = 0;
    if (ok) lmo_test_pass_();
    else FAIL("cannot write %s/%s", lmo_test_tmpdir(), name);
}

char *lmo_test_read(const char *name)
{
    FILE *f = open_in_tmpdir(name, "r");
    if (f == NULL) return calloc(1, 1);
    size_t n = 0, cap = 4096;
    char *s = malloc(cap);
    for (size_t k; (k = fread(s + n, 1, cap - n - 1, f)) > 0;) {
        n += k;
        if (cap - n - 1 == 0) s = realloc(s, cap *= 2);
    }
    s[n] = '\0';
    fclose(f);
    return s;
}

int lmo_test_run(const char *prog, const char *args, char **out, char **err)
{
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "cd '%s' && '%s' %s > lmo-test.out 2> lmo-test.err",
             lmo_test_tmpdir(), prog, args);
    int st = system(cmd);
    if (out) *out = lmo_test_read("lmo-test.out");
    if (err) *err = lmo_test_read("lmo-test.err");
    return st != -1 && WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

int lmo_test_lmo(const char *args, char **out, char **err)
{
    return lmo_test_run(lmo_test_env("LMO_BIN"), args, out, err);
}

void lmo_test_check_lmo_(const char *file, int line, const char *args, int code,
                         const char *out_has, const char *err_has)
{
    char *out, *err;
    int rc = lmo_test_lmo(args, &out, &err);
    if (rc == code) lmo_test_pass_();
    else lmo_test_fail_(file, line, NULL, "lmo %s: exit %d, want %d: %.300s", args, rc, code, err);
    if (out_has) lmo_test_check_contains_(file, line, "its stdout", out, out_has);
    if (err_has) lmo_test_check_contains_(file, line, "its stderr", err, err_has);
    free(out);
    free(err);
}

void lmo_test_check_hooks_(const char *file, int line, const char *var, const char *command,
                           const lmo_test_hook_t *cases, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char args[256];
        snprintf(args, sizeof args, "%s %s", command, cases[i].file);
        setenv(var, cases[i].hook, 1);
        lmo_test_check_lmo_(file, line, args, 1, cases[i].line, NULL);
        unsetenv(var);
        lmo_test_check_lmo_(file, line, args, 0, NULL, NULL);   /* without the hook: nothing violated */
    }
}
