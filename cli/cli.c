/* Shared plumbing of the lmo program (see cli/cli.h). */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <gmp.h>
#include "cli.h"

/* ---- out of memory: exit 3 with one line, never an abort ---- */

static const char *oom_input;   /* the input being processed, for the message */

void lmo_cli_set_input(const char *file)
{
    oom_input = file;
}

static void oom(size_t n)
{
    char line[640];
    int k = snprintf(line, sizeof line, "lmo: %s%sout of memory (a request of %zu bytes failed): the "
                     "input needs more memory than the process may use (ulimit -v); lower the caps "
                     "(--max-entries, --max-bits, LMO_MAX_ENTRIES) to refuse it earlier\n",
                     oom_input ? oom_input : "", oom_input ? ": " : "", n);
    fflush(stdout);
    if (k > 0 && write(STDERR_FILENO, line, (size_t) k) < 0) k = 0;
    _exit(LMO_ELIMIT);   /* no atexit handlers: they could allocate */
}

static void *oom_malloc(size_t n)
{
    void *p = malloc(n);
    if (p == NULL && n) oom(n);
    return p;
}

static void *oom_calloc(size_t a, size_t b)
{
    void *p = calloc(a, b);
    if (p == NULL && a && b) oom(a * b);
    return p;
}

static void *oom_realloc(void *q, size_t n)
{
    void *p = realloc(q, n);
    if (p == NULL && n) oom(n);
    return p;
}

static void *oom_gmp_realloc(void *q, size_t old, size_t n)
{
    (void) old;
    return oom_realloc(q, n);
}

static void oom_gmp_free(void *q, size_t n)
{
    (void) n;
    free(q);
}

void lmo_cli_oom_guard(void)
{
    /* the same malloc/free underneath: blocks from before stay compatible */
    __flint_set_memory_functions(oom_malloc, oom_calloc, oom_realloc, free);
    mp_set_memory_functions(oom_malloc, oom_gmp_realloc, oom_gmp_free);
    json_set_alloc_funcs(oom_malloc, free);
}

static int parse_ulong(const char *s, ulong *out)
{
    char *end;
    if (*s == '\0' || *s == '-') return -1;
    unsigned long long v = strtoull(s, &end, 0);
    if (*end != '\0') return -1;
    *out = (ulong) v;
    return 0;
}

int lmo_cli_parse(lmo_cli_opts *o, int argc, char **argv, const char *usage)
{
    memset(o, 0, sizeof *o);
    lmo_limits_default(&o->lim);
    o->files = malloc(sizeof(char *) * (size_t) (argc + 1));
    o->count = 1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *val = (i + 1 < argc) ? argv[i + 1] : NULL;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(usage, stdout);
            return -1;
        } else if (strcmp(a, "--json") == 0) {
            o->json = 1;
        } else if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0) {
            o->quiet = 1;
        } else if (strcmp(a, "--cert") == 0 || strcmp(a, "--seed") == 0 || strcmp(a, "--policy") == 0
                   || strcmp(a, "--max-entries") == 0 || strcmp(a, "--max-bits") == 0
                   || strcmp(a, "--max-dim") == 0 || strcmp(a, "--out") == 0
                   || strcmp(a, "--count") == 0) {
            if (val == NULL) {
                fprintf(stderr, "lmo %s: option %s needs a value\n", argv[0], a);
                return LMO_EINPUT;
            }
            i++;
            ulong u = 0;
            if (strcmp(a, "--cert") == 0) {
                o->cert = val;
            } else if (strcmp(a, "--out") == 0) {
                o->out = val;
            } else if (strcmp(a, "--policy") == 0) {
                if (o->npolicies == LMO_CLI_MAX_POLICIES) {
                    fprintf(stderr, "lmo %s: at most %d policies\n", argv[0], LMO_CLI_MAX_POLICIES);
                    return LMO_EINPUT;
                }
                if (lmo_fast_policy_parse(&o->policies[o->npolicies], val) != 0) {
                    fprintf(stderr, "lmo %s: --policy: unknown policy \"%s\" (numpy, qrcp, abs:T, rel:R)\n",
                            argv[0], val);
                    return LMO_EINPUT;
                }
                o->npolicies++;
            } else if (parse_ulong(val, &u) != 0 || (strcmp(a, "--seed") != 0 && u == 0)) {
                fprintf(stderr, "lmo %s: %s: expected a %s integer, got \"%s\"\n", argv[0], a,
                        strcmp(a, "--seed") == 0 ? "non-negative" : "positive", val);
                return LMO_EINPUT;
            } else if (strcmp(a, "--seed") == 0) {
                o->seed = u;
                o->seed_given = 1;
            } else if (strcmp(a, "--count") == 0) {
                o->count = (slong) u;
            } else if (strcmp(a, "--max-entries") == 0) {
                o->lim.max_entries = (slong) u;
            } else if (strcmp(a, "--max-bits") == 0) {
                o->lim.max_bits = (slong) u;
            } else {
                o->lim.max_dim = (slong) u;
            }
        } else if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "lmo %s: unknown option %s (see lmo %s --help)\n", argv[0], a, argv[0]);
            return LMO_EINPUT;
        } else {
            o->files[o->nfiles++] = argv[i];
        }
    }
    if (o->nfiles > 0) lmo_cli_set_input(o->files[0]);
    return 0;
}

void lmo_cli_opts_clear(lmo_cli_opts *o)
{
    free(o->files);
    o->files = NULL;
}

int lmo_cli_start(lmo_cli_opts *o, int argc, char **argv, const char *usage, int need_files)
{
    int rc = lmo_cli_parse(o, argc, argv, usage);
    if (rc == 0 && need_files && o->nfiles == 0) {
        fprintf(stderr, "lmo %s: no input FILE (see lmo %s --help)\n", argv[0], argv[0]);
        rc = LMO_EINPUT;
    }
    if (rc == 0) return -1;
    lmo_cli_opts_clear(o);
    return rc < 0 ? 0 : rc;
}

/* o->cert itself for one input, o->cert/<id>.cert.json for several (or
 * when it names a directory). Caller frees. */
static char *cert_path(const lmo_cli_opts *o, const char *id)
{
    struct stat st;
    if (o->nfiles <= 1 && !(stat(o->cert, &st) == 0 && S_ISDIR(st.st_mode))) return strdup(o->cert);
    size_t n = strlen(o->cert) + strlen(id) + 16;
    char *p = malloc(n);
    snprintf(p, n, "%s/%s.cert.json", o->cert, id);
    return p;
}

int lmo_cli_write_cert(json_t *c, const char *id, const char *file, const lmo_cli_opts *o)
{
    if (o->cert == NULL || c == NULL) {
        if (c) json_decref(c);
        return 0;
    }
    lmo_err_t err;
    lmo_err_clear(&err);
    char *path = cert_path(o, id);
    int rc = lmo_json_write_file(c, path, &err);
    json_decref(c);
    free(path);
    return rc ? lmo_cli_report(file, &err) : 0;
}

int lmo_cli_diff_members(json_t *problems, const json_t *want, const json_t *got, const char *what)
{
    int same = 1;
    const char *key; json_t *val;
    json_object_foreach((json_t *) want, key, val) {
        json_t *g = json_object_get(got, key);
        json_t *a = lmo_json_canonical_numbers(val), *b = g ? lmo_json_canonical_numbers(g) : NULL;
        if (b == NULL || !json_equal(a, b)) {
            char *sa = json_dumps(a, JSON_ENCODE_ANY | JSON_COMPACT | JSON_SORT_KEYS);
            char *sb = b ? json_dumps(b, JSON_ENCODE_ANY | JSON_COMPACT | JSON_SORT_KEYS) : strdup("(missing)");
            char line[600];
            snprintf(line, sizeof line, "%s.%s: stored %.200s, now %.200s", what, key, sa, sb);
            json_array_append_new(problems, json_string(line));
            free(sa); free(sb);
            same = 0;
        }
        json_decref(a);
        if (b) json_decref(b);
    }
    return same;
}

int lmo_cli_report(const char *file, const lmo_err_t *err)
{
    fprintf(stderr, "lmo: %s: %s\n", file, err->msg);
    return err->code;
}

void lmo_cli_print_json(json_t *obj)
{
    char *s = json_dumps(obj, JSON_COMPACT | JSON_SORT_KEYS);
    puts(s);
    free(s);
}


double *lmo_cli_mat_to_double(const fmpq_mat_t M, int *overflow)
{
    slong m = fmpq_mat_nrows(M), n = fmpq_mat_ncols(M);
    double *d = malloc(sizeof(double) * (size_t) (m * n + 1));
    mpq_t q;
    mpq_init(q);
    *overflow = 0;
    for (slong i = 0; i < m; i++)
        for (slong j = 0; j < n; j++) {
            int of = 0;
            fmpq_get_mpq(q, fmpq_mat_entry(M, i, j));
            d[i * n + j] = lmo_fast_d_from_mpq(q, &of);
            *overflow |= of;
        }
    mpq_clear(q);
    return d;
}

char *lmo_cli_checker_path(void)
{
    const char *e = getenv("LMO_CHECK");
    if (e && *e) return strdup(e);
    char self[4096];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 16);
    if (n <= 0) return strdup("lmo-check");
    self[n] = '\0';
    char *slash = strrchr(self, '/');
    if (slash) strcpy(slash + 1, "lmo-check");
    return strdup(self);
}

void lmo_cli_progress(const char *fmt, ...)
{
    if (!isatty(STDERR_FILENO)) return;
    va_list ap;
    va_start(ap, fmt);
    fputs("\r\033[K", stderr);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fflush(stderr);
}
