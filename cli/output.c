/* The output every lmo command shares (cli/cli.h): diagnostics, the out-of-memory guard,
 * JSON lines, exact numbers as a person reads them, progress, certificates, expect diffs. */
#include <math.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h> /* before mpfr.h: mpfr_fprintf */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <gmp.h>
#include <mpfr.h>
#include "cli.h"

/* ---- diagnostics and out of memory ---- */

static const char *oom_input; /* the input being processed, for the message */

void lmo_cli_set_input(const char *file)
{
    oom_input = file;
}

int lmo_cli_report(const char *file, const lmo_err_t *err)
{
    fprintf(stderr, "lmo: %s: %s\n", file, err->msg);
    return err->code;
}

static void oom(size_t n)
{
    char line[640];
    int k = snprintf(line, sizeof line, "lmo: %s%sout of memory (a request of %zu bytes failed): the "
                     "input needs more memory than the process may use (ulimit -v); lower the caps "
                     "(--max-entries, --max-bits, LMO_MAX_ENTRIES) to refuse it earlier\n",
                     oom_input ? oom_input : "", oom_input ? ": " : "", n);
    fflush(stdout);
    if (k > 0 && write(STDERR_FILENO, line, (size_t)k) < 0) k = 0;
    _exit(LMO_ELIMIT); /* no atexit handlers: they could allocate */
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
    (void)old;
    return oom_realloc(q, n);
}

static void oom_gmp_free(void *q, size_t n)
{
    (void)n;
    free(q);
}

void lmo_cli_oom_guard(void)
{
    /* the same malloc/free underneath: blocks from before stay compatible */
    __flint_set_memory_functions(oom_malloc, oom_calloc, oom_realloc, free);
    mp_set_memory_functions(oom_malloc, oom_gmp_realloc, oom_gmp_free);
    json_set_alloc_funcs(oom_malloc, free);
}

/* ---- JSON and numbers ---- */

void lmo_cli_print_json(json_t *obj)
{
    char *s = json_dumps(obj, JSON_COMPACT | JSON_SORT_KEYS);
    puts(s);
    free(s);
}

json_t *lmo_cli_hexd(double x)
{
    char b[64];
    snprintf(b, sizeof b, "%a", x);
    return json_string(b);
}

double lmo_cli_q_to_d(const fmpq_t q, int *overflow)
{
    mpq_t m;
    int of = 0;
    mpq_init(m);
    fmpq_get_mpq(m, q);
    double d = lmo_fast_d_from_mpq(m, &of);
    mpq_clear(m);
    if (overflow) *overflow |= of;
    return d;
}

void lmo_cli_mat_into_double(double *dst, const fmpq_mat_t M, int *overflow)
{
    slong m = fmpq_mat_nrows(M), n = fmpq_mat_ncols(M);
    for (slong i = 0; i < m; i++)
        for (slong j = 0; j < n; j++) dst[i * n + j] = lmo_cli_q_to_d(fmpq_mat_entry(M, i, j), overflow);
}

double *lmo_cli_mat_to_double(const fmpq_mat_t M, int *overflow)
{
    double *d = malloc(sizeof(double) * (size_t)(fmpq_mat_nrows(M) * fmpq_mat_ncols(M) + 1));
    if (!d) abort();
    lmo_cli_mat_into_double(d, M, overflow);
    return d;
}

double **lmo_cli_mats_to_double(const fmpq_mat_struct *M, slong n, int *overflow)
{
    double **D = malloc(sizeof(double *) * (size_t)(n > 0 ? n : 1));
    if (!D) abort();
    for (slong l = 0; l < n; l++) D[l] = lmo_cli_mat_to_double(M + l, overflow);
    return D;
}

void lmo_cli_mats_free(double **D, slong n)
{
    for (slong l = 0; D && l < n; l++) free(D[l]);
    free(D);
}

int lmo_cli_point_into_double(double *X, double *Y, double *const *W, const fmpq_mat_struct *eX,
                              const fmpq_mat_struct *eY, const fmpq_mat_struct *eW, slong nW)
{
    int overflow = 0;
    lmo_cli_mat_into_double(X, eX, &overflow);
    lmo_cli_mat_into_double(Y, eY, &overflow);
    for (slong k = 0; k < nW; k++) lmo_cli_mat_into_double(W[k], eW + k, &overflow);
    return overflow;
}

/* An integer's digits, shortened to its first 8 and its length when long. */
static void print_z(FILE *f, const fmpz_t z)
{
    char *s = fmpz_get_str(NULL, 10, z);
    size_t n = strlen(s), neg = s[0] == '-';
    if (n - neg > 24)
        fprintf(f, "%.*s…(%zu digits)", (int)(neg + 8), s, n - neg);
    else
        fputs(s, f);
    flint_free(s);
}

void lmo_cli_print_q(FILE *f, const fmpq_t x)
{
    print_z(f, fmpq_numref(x));
    if (fmpz_is_one(fmpq_denref(x))) return;
    fputc('/', f);
    print_z(f, fmpq_denref(x));
    mpfr_t r;
    mpq_t m;
    mpfr_init2(r, 64);
    mpq_init(m);
    fmpq_get_mpq(m, x);
    mpfr_set_q(r, m, MPFR_RNDN);
    mpfr_fprintf(f, " ≈ %.7Rg", r);
    mpq_clear(m);
    mpfr_clear(r);
}

void lmo_cli_print_inertia(FILE *f, slong npos, slong nneg, slong nzero)
{
    fprintf(f, "%ld positive, %ld negative, %ld zero", (long)npos, (long)nneg, (long)nzero);
}

/* ---- progress: on a terminal after a second, or every 10 s with LMO_PROGRESS=1 ---- */

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* 2: LMO_PROGRESS=1 (lines for a log file), 1: stderr is a terminal, 0: no progress. */
static int progress_mode(void)
{
    const char *e = getenv("LMO_PROGRESS");
    return e && !strcmp(e, "1") ? 2 : isatty(STDERR_FILENO) ? 1 : 0;
}

void lmo_cli_progress_start(lmo_cli_progress_t *p, const char *what, long total)
{
    p->what = what, p->total = total, p->done = 0, p->start = now(), p->last = 0;
}

void lmo_cli_progress(lmo_cli_progress_t *p, long done)
{
    int mode = progress_mode();
    double t = now(), el = t - p->start;
    p->done = done;
    if (!mode || el < 1.0 || t - (p->last ? p->last : p->start) < (mode == 1 ? 0.2 : 10.0)) return;
    p->last = t;
    double rate = done / el;
    fprintf(stderr, "%s%s: %ld/%ld, %.3g/s", mode == 1 ? "\r\033[K" : "", p->what, done, p->total,
            rate);
    if (rate > 0 && done < p->total) fprintf(stderr, ", ETA %.0f s", (p->total - done) / rate);
    fputs(mode == 1 ? "" : "\n", stderr);
    fflush(stderr);
}

void lmo_cli_progress_done(lmo_cli_progress_t *p)
{
    int mode = progress_mode();
    double el = now() - p->start;
    if (mode == 1 && p->last > 0) fputs("\r\033[K", stderr);
    if (mode == 2)
        fprintf(stderr, "%s: %ld/%ld done in %.3g s, %.3g/s\n", p->what, p->done, p->total, el,
                el > 0 ? p->done / el : 0.0);
}

/* ---- certificates, expect, lmo-check ---- */

/* o->cert itself for one input, o->cert/<id>.cert.json for several (or when it names a
 * directory). Caller frees. */
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
    const char *key;
    json_t *val;
    json_object_foreach((json_t *)want, key, val) {
        json_t *g = json_object_get(got, key);
        json_t *a = lmo_json_canonical_numbers(val), *b = g ? lmo_json_canonical_numbers(g) : NULL;
        if (b == NULL || !json_equal(a, b)) {
            char *sa = json_dumps(a, JSON_ENCODE_ANY | JSON_COMPACT | JSON_SORT_KEYS);
            char *sb = b ? json_dumps(b, JSON_ENCODE_ANY | JSON_COMPACT | JSON_SORT_KEYS)
                         : strdup("(missing)");
            char line[600];
            snprintf(line, sizeof line, "%s.%s: stored %.200s, now %.200s", what, key, sa, sb);
            json_array_append_new(problems, json_string(line));
            free(sa), free(sb);
            same = 0;
        }
        json_decref(a);
        if (b) json_decref(b);
    }
    return same;
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

void lmo_cli_print_theorem(FILE *f, const lmo_theorem_t *t)
{
    if (!t->statement) return;
    const char *o = t->outcome == LMO_OUTCOME_VIOLATED      ? "VIOLATED"
                    : t->outcome == LMO_OUTCOME_EXCEPTIONAL ? "EXCEPTIONAL"
                    : t->outcome == LMO_OUTCOME_HOLDS       ? "holds"
                    : t->outcome == LMO_OUTCOME_UNDECIDED   ? "undecided"
                                                            : "not applicable";
    fprintf(f, "  %s: %s: %s\n", t->statement, o, t->reason);
}

int lmo_cli_make_dir(const char *path)
{
    struct stat st;
    char *p = strdup(path);
    if (!p) return -1;
    /* each prefix ending at a '/', then the whole path; an existing prefix is fine */
    for (char *q = p + 1; ; q++) {
        if (*q != '/' && *q != '\0') continue;
        char c = *q;
        *q = '\0';
        if (mkdir(p, 0777) != 0 && errno != EEXIST) {
            free(p);
            return -1;
        }
        *q = c;
        if (c == '\0') break;
    }
    free(p);
    if (stat(path, &st) != 0) return -1;
    if (!S_ISDIR(st.st_mode)) {
        errno = ENOTDIR;
        return -1;
    }
    return 0;
}

void lmo_cli_print_widths(FILE *f, const slong *d, slong n)
{
    for (slong l = 0; l < n; l++) fprintf(f, "%s%ld", l ? "," : " ", (long)d[l]);
}

void lmo_cli_print_depth_widths(FILE *f, slong H, const slong *d, slong m)
{
    fprintf(f, "H=%ld, widths", (long)H);
    lmo_cli_print_widths(f, d, H + 2);
    fprintf(f, ", m=%ld", (long)m);
}
