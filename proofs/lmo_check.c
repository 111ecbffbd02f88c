/* lmo_check.c -- lmo-check: reads the vector file (DESIGN.md "Vector files"), rebuilds the
 * matrix whose rank is claimed from the exact input (for khatri_rao_rank the product
 * G = A o X of Soudry-Carmon eq. (4.4), computed here rather than trusted), and checks
 * the certificate against it. Exit codes: 0 proven, 1 not proven, 2 bad input. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lmoc.h"

#define LMOC_MAX_DIM (1L << 31)
#define LMOC_MAX_ENTRIES (1L << 27) /* G = A o X can be far larger than its input */

static const char usage[] =
    "usage: lmo-check CERT VECTOR\n"
    "       lmo-check VECTOR          (uses the vector's embedded \"certificate\")\n"
    "Checks an lmo-cert/1 rank certificate against the exact input of an lmo-vector/1 file\n"
    "of kind matrix_rank (input.M) or khatri_rao_rank (G = input.A o input.X), using GMP only.\n"
    "Exit 0: the certificate proves the rank (equal to expect.rank when the vector has one);\n"
    "1: it does not (the failed check is printed); 2: unreadable or malformed input.\n";

/* Reads and parses c->file. */
static int load(lmoc_json_t *j, lmoc_ctx_t *c)
{
    FILE *f = fopen(c->file, "rb");
    char *buf = NULL, err[200];
    size_t len = 0, cap = 0, got = 1;
    if (!f) return lmoc_fail(c, LMOC_EINPUT, "cannot open: %s", strerror(errno));
    while (got) {
        char *t = len < cap ? buf : realloc(buf, cap = cap ? 2 * cap : 65536);
        if (!t) break;
        buf = t;
        len += got = fread(buf + len, 1, cap - len, f);
    }
    if (ferror(f) || got)
        lmoc_fail(c, LMOC_EINPUT, "cannot read: %s", ferror(f) ? strerror(errno) : "out of memory");
    else if (lmoc_json_parse(j, buf, len, err, sizeof err))
        lmoc_fail(c, LMOC_EINPUT, "%s", err);
    fclose(f);
    free(buf);
    return c->rc;
}

static void mat_alloc(lmoc_mat_t *M, long rows, long cols)
{
    M->rows = rows, M->cols = cols;
    M->e = malloc((size_t)(rows * cols + 1) * sizeof *M->e);
    for (long i = 0; i < rows * cols; i++)
        mpq_init(M->e[i]);
}

static void mat_clear(lmoc_mat_t *M)
{
    for (long i = 0; M->e && i < M->rows * M->cols; i++)
        mpq_clear(M->e[i]);
    free(M->e);
}

/* {"rows": m, "cols": n, "data": [[...], ...]}, every entry an exact number */
static int matrix(lmoc_mat_t *M, lmoc_ctx_t *c, const lmoc_json_t *j, const char *name)
{
    const lmoc_json_t *d = lmoc_json_get(j, "data");
    long m = 0, n = 0;
    char f[96];
    if (!j || j->type != LMOC_J_OBJ)
        return lmoc_fail(c, LMOC_EINPUT, "field %s: %s", name,
                         j ? "expected a matrix {\"rows\", \"cols\", \"data\"}" : "is missing");
    snprintf(f, sizeof f, "%s.rows", name);
    lmoc_int(&m, c, lmoc_json_get(j, "rows"), f);
    snprintf(f, sizeof f, "%s.cols", name);
    if (lmoc_int(&n, c, lmoc_json_get(j, "cols"), f)) return c->rc;
    if (m < 0 || n < 0 || m > LMOC_MAX_DIM || n > LMOC_MAX_DIM)
        return lmoc_fail(c, LMOC_EINPUT, "field %s: shape %ld x %ld is negative or too large",
                         name, m, n);
    if (!d || d->type != LMOC_J_ARR || (long)d->n != m)
        return lmoc_fail(c, LMOC_EINPUT, "field %s.data: expected an array of %ld rows", name, m);
    for (long i = 0; i < m; i++) /* lengths first: m*n is then bounded by the file size */
        if (d->kid[i].type != LMOC_J_ARR || (long)d->kid[i].n != n)
            return lmoc_fail(c, LMOC_EINPUT, "field %s.data[%ld]: expected an array of %ld entries",
                             name, i, n);
    mat_alloc(M, m, n);
    for (long i = 0; i < m * n && !c->rc; i++) {
        snprintf(f, sizeof f, "%s.data[%ld][%ld]", name, i / n, i % n);
        lmoc_number(M->e[i], c, &d->kid[i / n].kid[i % n], f);
    }
    return c->rc;
}

/* G[i*d0 + j][n] = A[i][n] * X[j][n]: column n of G is a^(n) (x) x^(n). */
static int khatri_rao(lmoc_mat_t *G, lmoc_ctx_t *c, const lmoc_json_t *in)
{
    lmoc_mat_t A = {0, 0, NULL}, X = {0, 0, NULL};
    matrix(&A, c, lmoc_json_get(in, "A"), "input.A");
    matrix(&X, c, lmoc_json_get(in, "X"), "input.X");
    long d1 = A.rows, d0 = X.rows, N = A.cols;
    if (!c->rc && X.cols != N)
        lmoc_fail(c, LMOC_EINPUT, "field input.X: has %ld columns, input.A has %ld", X.cols, N);
    else if (!c->rc && N && d1 * d0 > LMOC_MAX_ENTRIES / N) /* the product cannot overflow */
        lmoc_fail(c, LMOC_EINPUT, "field input: A o X has more than %ld entries", LMOC_MAX_ENTRIES);
    if (!c->rc) {
        mat_alloc(G, d1 * d0, N);
        for (long i = 0; i < d1; i++)
            for (long j = 0; j < d0; j++)
                for (long n = 0; n < N; n++)
                    mpq_mul(G->e[(i * d0 + j) * N + n], A.e[i * N + n], X.e[j * N + n]);
    }
    mat_clear(&A);
    mat_clear(&X);
    return c->rc;
}

static int is(const lmoc_json_t *j, const char *s)
{
    return j && j->type == LMOC_J_STR && !strcmp(j->s, s);
}

int main(int argc, char **argv)
{
    lmoc_ctx_t c = {NULL, LMOC_OK, ""};
    lmoc_json_t vec, cf;
    lmoc_mat_t M = {0, 0, NULL};
    long rank = -1, erank = 0;
    memset(&vec, 0, sizeof vec);
    memset(&cf, 0, sizeof cf);
    if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")))
        return fputs(usage, stdout), 0;
    if (argc < 2 || argc > 3 || argv[1][0] == '-' || argv[argc - 1][0] == '-')
        return fputs(usage, stderr), 2;
    const char *vpath = argv[argc - 1], *cpath = argc == 3 ? argv[1] : NULL;
    c.file = vpath;
    load(&vec, &c);
    const lmoc_json_t *fmt = lmoc_json_get(&vec, "format"), *id = lmoc_json_get(&vec, "id"),
                      *kind = lmoc_json_get(&vec, "kind"), *in = lmoc_json_get(&vec, "input"),
                      *ex = lmoc_json_get(&vec, "expect"), *er = lmoc_json_get(ex, "rank"),
                      *ef = lmoc_json_get(ex, "full_column_rank"),
                      *cert = lmoc_json_get(&vec, "certificate");
    if (!c.rc && is(fmt, "lmo-cert/1") && !cpath)
        lmoc_fail(&c, LMOC_EINPUT, "a certificate needs its vector: lmo-check CERT VECTOR");
    if (!c.rc && !is(fmt, "lmo-vector/1"))
        lmoc_fail(&c, LMOC_EINPUT, "field format: expected \"lmo-vector/1\"");
    if (!c.rc && (!id || id->type != LMOC_J_STR))
        lmoc_fail(&c, LMOC_EINPUT, "field id: expected a string");
    if (!c.rc && is(kind, "matrix_rank"))
        matrix(&M, &c, lmoc_json_get(in, "M"), "input.M");
    else if (!c.rc && is(kind, "khatri_rao_rank"))
        khatri_rao(&M, &c, in);
    else
        lmoc_fail(&c, LMOC_EINPUT, "field kind: expected \"matrix_rank\" or \"khatri_rao_rank\"");
    if (er) lmoc_int(&erank, &c, er, "expect.rank");
    if (!c.rc && ef && ef->type != LMOC_J_TRUE && ef->type != LMOC_J_FALSE)
        lmoc_fail(&c, LMOC_EINPUT, "field expect.full_column_rank: expected true or false");
    if (!c.rc && cpath) {
        c.file = cpath;
        if (!load(&cf, &c)) lmoc_check_rank(&rank, &c, &cf, "", &M, id->s);
        c.file = vpath;
    } else if (!c.rc && !cert) {
        lmoc_fail(&c, LMOC_EINPUT, "field certificate is missing (or run lmo-check CERT VECTOR)");
    } else if (!c.rc) {
        lmoc_check_rank(&rank, &c, cert, "certificate.", &M, id->s);
    }
    if (!c.rc && er && erank != rank)
        lmoc_fail(&c, LMOC_REJECT, "expect.rank is %ld, the certificate proves rank %ld", erank,
                  rank);
    if (!c.rc && ef && (ef->type == LMOC_J_TRUE) != (rank == M.cols))
        lmoc_fail(&c, LMOC_REJECT, "expect.full_column_rank is %s, the certificate proves rank %ld "
                  "of %ld columns", ef->type == LMOC_J_TRUE ? "true" : "false", rank, M.cols);
    if (!c.rc) {
        printf("lmo-check: OK %s: rank %ld proven for %s (%ld x %ld)\n", cpath ? cpath : vpath,
               rank, id->s, M.rows, M.cols);
    } else {
        for (char *q = c.msg; *q; q++) /* keep the diagnostic on one line */
            *q = (unsigned char)*q < 0x20 ? '?' : *q;
        fprintf(stderr, "lmo-check: %s\n", c.msg);
    }
    mat_clear(&M);
    lmoc_json_clear(&vec);
    lmoc_json_clear(&cf);
    return c.rc;
}
