/* What the experiments share: seeds of runs, CSV numbers, files, gnuplot
 * (lmo_exp/sc_section6.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <gmp.h>
#include <mpfr.h>
#include <flint/fmpq.h>
#include "lmo/core/vector_io.h"
#include "lmo_exp/sc_section6.h"

ulong lmo_exp_run_seed(ulong seed, long i)
{
    ulong z = seed + UWORD(0x9e3779b97f4a7c15) * ((ulong) i + 1);
    z = (z ^ (z >> 30)) * UWORD(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UWORD(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

void lmo_exp_q_decimal(char *buf, size_t cap, const void *qv)
{
    const fmpq *q = (const fmpq *) qv;
    mpq_t m;
    mpfr_t f;
    mpq_init(m);
    mpfr_init2(f, 53);
    fmpq_get_mpq(m, q);
    mpfr_set_q(f, m, MPFR_RNDN);
    mpfr_snprintf(buf, cap, "%.17Rg", f);
    mpfr_clear(f);
    mpq_clear(m);
}

FILE *lmo_exp_open(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *path = malloc(n);
    FILE *f;
    snprintf(path, n, "%s/%s", dir, name);
    if (!(f = fopen(path, "w"))) fprintf(stderr, "lmo experiment: %s: %s\n", path, strerror(errno));
    free(path);
    return f;
}

/* 'path' for the shell */
static void quote(char *out, size_t cap, const char *path)
{
    size_t k = 0;
    out[k++] = '\'';
    for (const char *p = path; *p && k + 6 < cap; p++) {
        if (*p == '\'') { memcpy(out + k, "'\\''", 4); k += 4; }
        else out[k++] = *p;
    }
    out[k++] = '\'';
    out[k] = '\0';
}

int lmo_exp_gnuplot(const char *dir, const char *name, const char *text)
{
    static const char *const terms[] = {"pngcairo size 1000,760 font ',10'", "png size 1000,760", NULL};
    char cmd[4300], qd[2048], qn[2048];
    quote(qd, sizeof qd, dir);
    quote(qn, sizeof qn, name);
    int have = system("gnuplot --version >/dev/null 2>&1") == 0;
    for (int t = 0; terms[t]; t++) {
        FILE *f = lmo_exp_open(dir, name);
        if (!f) return 1;
        fprintf(f, "set terminal %s\n%s", terms[t], text);
        fclose(f);
        if (!have) break;
        snprintf(cmd, sizeof cmd, "cd %s && gnuplot %s >/dev/null 2>&1", qd, qn);
        if (system(cmd) == 0) return 0;
    }
    fprintf(stderr, "lmo experiment: %s: the CSV and the script %s/%s are written, the PNG is "
            "not\n", have ? "gnuplot failed" : "gnuplot not found (Debian package gnuplot-nox)",
            dir, name);
    return 1;
}

int lmo_exp_make_dir(const char *path)
{
    if (mkdir(path, 0777) == 0 || errno == EEXIST) return 0;
    fprintf(stderr, "lmo experiment: cannot create the directory %s: %s\n", path, strerror(errno));
    return 1;
}

json_t *lmo_exp_mnn_vector(const lmo_mnn_input_t in, const char *id, const char *source)
{
    json_t *W = json_array(), *y = json_array();
    for (slong l = 0; l < in->L; l++) json_array_append_new(W, lmo_json_from_mat(in->W + l));
    for (slong n = 0; n < in->N; n++) json_array_append_new(y, lmo_json_from_q(fmpq_mat_entry(in->y, 0, n)));
    return json_pack("{s:s, s:s, s:s, s:s, s:{s:o, s:o, s:o, s:o}}", "format", "lmo-vector/1",
                     "kind", "mnn", "id", id, "source", source, "input", "X",
                     lmo_json_from_mat(in->X), "y", y, "slope", lmo_json_from_q(in->s),
                     "weights", W);
}
