/*
 * lmo-check in-process: proofs/lmo_check.c is compiled here unchanged, with
 * its main renamed and its file and console I/O redirected to memory
 * (fopen -> fmemopen on the two documents; printf/fprintf/fputs -> buffers),
 * so a fuzz target runs the real checker without touching the disk.
 * proofs/ stays GMP-only: nothing of the oracle is visible in that file.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lmo_fuzz.h"
#include "lmoc.h"   /* before the macros below: its format attribute names printf */

#define LMO_FUZZ_CERT_NAME "cert.json"
#define LMO_FUZZ_VEC_NAME "vector.json"

typedef struct {
    const char *cert, *vec;
    size_t cert_len, vec_len;
    char out[1024], err[1024];
} lmo_fuzz_io_t;

/* One checker run at a time (libFuzzer runs inputs sequentially). */
static lmo_fuzz_io_t lmo_fuzz_io;

static FILE *lmo_fuzz_fopen(const char *path, const char *mode)
{
    const char *buf = NULL;
    size_t len = 0;
    if (strcmp(path, LMO_FUZZ_CERT_NAME) == 0) buf = lmo_fuzz_io.cert, len = lmo_fuzz_io.cert_len;
    else if (strcmp(path, LMO_FUZZ_VEC_NAME) == 0) buf = lmo_fuzz_io.vec, len = lmo_fuzz_io.vec_len;
    else return errno = ENOENT, NULL;
    if (len == 0) return fopen("/dev/null", mode);   /* fmemopen refuses size 0 */
    return fmemopen((void *) buf, len, mode);
}

/* appends: lmo-check may print one line with several calls */
static void lmo_fuzz_vput(char *dst, const char *fmt, va_list ap)
{
    size_t k = strlen(dst);
    vsnprintf(dst + k, sizeof lmo_fuzz_io.out - k, fmt, ap);
}

static int lmo_fuzz_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    lmo_fuzz_vput(lmo_fuzz_io.out, fmt, ap);
    va_end(ap);
    return 0;
}

static int lmo_fuzz_fprintf(FILE *f, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    lmo_fuzz_vput(f == stdout ? lmo_fuzz_io.out : lmo_fuzz_io.err, fmt, ap);
    va_end(ap);
    return 0;
}

static int lmo_fuzz_fputs(const char *s, FILE *f)
{
    char *dst = f == stdout ? lmo_fuzz_io.out : lmo_fuzz_io.err;
    size_t k = strlen(dst);
    snprintf(dst + k, sizeof lmo_fuzz_io.out - k, "%s", s);
    return 0;
}

#define fopen lmo_fuzz_fopen
#define printf lmo_fuzz_printf
#define fprintf lmo_fuzz_fprintf
#define fputs lmo_fuzz_fputs
#define main lmoc_main
#include "lmo_check.c"
#undef fopen
#undef printf
#undef fprintf
#undef fputs
#undef main

int lmo_fuzz_checker(const char *cert, size_t cert_len, const char *vec, size_t vec_len,
                     long *rank, const char **msg)
{
    char a0[] = "lmo-check", a1[] = LMO_FUZZ_CERT_NAME, a2[] = LMO_FUZZ_VEC_NAME;
    char *argv3[] = { a0, a1, a2, NULL }, *argv2[] = { a0, a2, NULL };
    memset(&lmo_fuzz_io, 0, sizeof lmo_fuzz_io);
    lmo_fuzz_io.cert = cert, lmo_fuzz_io.cert_len = cert_len;
    lmo_fuzz_io.vec = vec, lmo_fuzz_io.vec_len = vec_len;
    int rc = cert ? lmoc_main(3, argv3) : lmoc_main(2, argv2);
    if (rc < 0 || rc > 3)
        lmo_fuzz_fail("lmo-check exit code %d (only 0, 1, 2, 3 exist)", rc);
    *rank = -1;
    if (rc == 0) {
        const char *r = strstr(lmo_fuzz_io.out, ": rank ");
        size_t n = strlen(lmo_fuzz_io.out);
        if (strncmp(lmo_fuzz_io.out, "lmo-check: OK ", 14) != 0 || n == 0
            || lmo_fuzz_io.out[n - 1] != '\n' || strchr(lmo_fuzz_io.out, '\n') != lmo_fuzz_io.out + n - 1)
            lmo_fuzz_fail("lmo-check exit 0 without its one OK line: %s", lmo_fuzz_io.out);
        if (r != NULL && sscanf(r, ": rank %ld proven", rank) != 1) *rank = -1;
    } else {
        /* exit 1/2/3: exactly one diagnostic line (DESIGN.md) */
        const char *nl = strchr(lmo_fuzz_io.err, '\n');
        if (strncmp(lmo_fuzz_io.err, "lmo-check: ", 11) != 0 || nl == NULL || nl[1] != '\0')
            if (strncmp(lmo_fuzz_io.err, "usage:", 6) != 0)
                lmo_fuzz_fail("lmo-check exit %d: diagnostic is not one line: %s", rc,
                              lmo_fuzz_io.err);
    }
    if (msg) *msg = rc ? lmo_fuzz_io.err : lmo_fuzz_io.out;
    return rc;
}
