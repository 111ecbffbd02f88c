/* number.c -- the parse boundary of lmo-check: caps, diagnostics, checked allocation, and
 * the exact number parser (DESIGN.md "Numbers"): JSON integers within int64, or strings:
 * integers, fractions "-3/7", exact decimals "0.1" and "-2.5e-3", hex floats "0x1.8p-3" /
 * "0x10", each with an optional sign. Every integer the checker uses passes lmoc_int or
 * lmoc_dim here, with its range, before any arithmetic. */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "lmoc.h"

/* lmo's exponent cap (oracle/src/core/numbers.c, LMO_MAX_EXPONENT): a number lmo reads is a
   number lmo-check reads. Above it, and above caps.max_bits, a number is a limit (exit 3). */
#define LMOC_MAX_EXP 100000

static long env_cap(const char *name, long dflt)
{
    const char *s = getenv(name);
    char *end;
    errno = 0;
    long v = s && *s ? strtol(s, &end, 10) : 0;
    return s && *s && !*end && !errno && v > 0 ? v : dflt;
}

void lmoc_caps_default(lmoc_caps_t *caps)
{
    caps->max_dim = env_cap("LMO_MAX_DIM", 1L << 20);
    caps->max_entries = env_cap("LMO_MAX_ENTRIES", 1L << 24);
    caps->max_bits = env_cap("LMO_MAX_BITS", 1L << 17);
    caps->max_file_bytes = env_cap("LMO_MAX_FILE_BYTES", 1L << 30);
}

int lmoc_fail(lmoc_ctx_t *c, int code, int doc, const char *fmt, ...)
{
    va_list ap;
    if (c->rc) return c->rc;
    int k = snprintf(c->msg, sizeof c->msg, "%s%s: ", code == LMOC_REJECT ? "REJECT " : "",
                     c->file[doc] ? c->file[doc] : "(input)");
    va_start(ap, fmt);
    vsnprintf(c->msg + k, k < (int)sizeof c->msg ? sizeof c->msg - (size_t)k : 0, fmt, ap);
    va_end(ap);
    return c->rc = code;
}

void *lmoc_alloc(lmoc_ctx_t *c, int doc, size_t n, size_t size, const char *what)
{
    size_t bytes;
    void *p = NULL;
    if (c->rc) return NULL;
    if (!__builtin_mul_overflow(n + 1, size, &bytes)) p = calloc(1, bytes); /* +1: never 0 */
    if (!p) lmoc_fail(c, LMOC_ELIMIT, doc, "%s: out of memory (%zu items of %zu bytes)", what, n,
                      size);
    return p;
}

/* GMP cannot be told that an allocation failed: end the program the way the caps do. */
static const char *const *gmp_file;

static void gmp_oom(size_t n)
{
    char line[600];
    int k = snprintf(line, sizeof line, "lmo-check: %s: out of memory (GMP needed %zu bytes)\n",
                     gmp_file && *gmp_file ? *gmp_file : "(input)", n);
    if (k > 0 && write(STDERR_FILENO, line, (size_t)k) < 0) k = 0;
    _exit(LMOC_ELIMIT);
}

static void *gmp_alloc(size_t n)
{
    void *p = malloc(n);
    if (!p) gmp_oom(n);
    return p;
}

static void *gmp_realloc(void *q, size_t old, size_t n)
{
    void *p = realloc(q, n);
    (void)old;
    if (!p) gmp_oom(n);
    return p;
}

static void gmp_free(void *q, size_t n)
{
    (void)n;
    free(q);
}

void lmoc_gmp_guard(const char *const *file)
{
    gmp_file = file; /* NULL: the line says "(input)" */
    mp_set_memory_functions(gmp_alloc, gmp_realloc, gmp_free);
}

static int isdig(char ch, int hex)
{
    return (ch >= '0' && ch <= '9') || (hex && (ch | 32) >= 'a' && (ch | 32) <= 'f');
}

/* Copies the digits (base 10, or 16 if HEX) at *p, skipping one '.' if DOT is non-NULL, to
   buf; returns how many; *nfrac counts those after the '.'. */
static size_t digits(char *buf, const char **p, const char *e, int hex, const char **dot,
                     size_t *nfrac)
{
    size_t nd = 0;
    for (; *p < e && (isdig(**p, hex) || (dot && **p == '.' && !*dot)); (*p)++)
        if (**p == '.')
            *dot = *p;
        else
            buf[nd++] = **p, *nfrac += dot && *dot;
    buf[nd] = 0;
    return nd;
}

/* Returns 0 and sets x, or 1 for a zero denominator, 2 for anything not an exact number, 3
   for an exponent beyond LMOC_MAX_EXP or a value beyond MAX_BITS. */
static int parse(mpq_t x, const char *s, size_t len, long max_bits)
{
    const char *p = s, *e = s + len, *dot = NULL;
    int neg = 0, hex = 0, eneg = 0, rc = 2;
    size_t nfrac = 0;
    long ex = 0;
    char *buf = malloc(len + 1);
    mpz_t pw;
    if (!buf) return 3;
    if (p < e && (*p == '+' || *p == '-')) neg = *p++ == '-';
    if (e - p > 2 && p[0] == '0' && (p[1] | 32) == 'x') hex = 1, p += 2;
    if (!digits(buf, &p, e, hex, &dot, &nfrac)) goto done;
    mpz_set_str(mpq_numref(x), buf, hex ? 16 : 10);
    mpz_set_ui(mpq_denref(x), 1);
    if (p < e && *p == '/' && !dot && !hex) { /* a fraction of two decimal integers */
        p++;
        if (!digits(buf, &p, e, 0, NULL, &nfrac) || p != e) goto done;
        mpz_set_str(mpq_denref(x), buf, 10);
        if (!mpz_sgn(mpq_denref(x))) {
            rc = 1;
            goto done;
        }
    } else {
        if (p < e && (*p | 32) == (hex ? 'p' : 'e')) { /* decimal exponent of 2 or 10 */
            if (++p < e && (*p == '+' || *p == '-')) eneg = *p++ == '-';
            if (p == e) goto done;
            for (; p < e && isdig(*p, 0); p++)
                if ((ex = 10 * ex + (*p - '0')) > LMOC_MAX_EXP) {
                    rc = 3;
                    goto done;
                }
        }
        if (p != e) goto done;
        ex = (eneg ? -ex : ex) - (long)nfrac * (hex ? 4 : 1); /* a fraction digit is 1/16, 1/10 */
        if (labs(ex) > 4 * max_bits + 64) { /* 10^ex alone would pass the cap */
            rc = 3;
            goto done;
        }
        mpz_init(pw);
        mpz_ui_pow_ui(pw, hex ? 2 : 10, (unsigned long)labs(ex));
        if (ex >= 0)
            mpz_mul(mpq_numref(x), mpq_numref(x), pw);
        else
            mpz_set(mpq_denref(x), pw);
        mpz_clear(pw);
    }
    mpq_canonicalize(x);
    if (neg) mpq_neg(x, x);
    rc = (long)mpz_sizeinbase(mpq_numref(x), 2) > max_bits ||
         (long)mpz_sizeinbase(mpq_denref(x), 2) > max_bits ? 3 : 0;
done:
    free(buf);
    return rc;
}

int lmoc_int(long *v, lmoc_ctx_t *c, int doc, const lmoc_json_t *j, long lo, long hi, int code,
             const char *name)
{
    if (c->rc) return c->rc;
    if (!j) return lmoc_fail(c, LMOC_EINPUT, doc, "field %s is missing", name);
    if (j->type != LMOC_J_INT)
        return lmoc_fail(c, LMOC_EINPUT, doc, "field %s: expected a JSON integer", name);
    errno = 0;
    long t = strtol(j->s, NULL, 10); /* the literal is already valid JSON */
    if (errno == ERANGE)
        return lmoc_fail(c, LMOC_EINPUT, doc, "field %s: integer outside int64", name);
    if (t < lo || t > hi)
        return lmoc_fail(c, code, doc, "%s%s = %ld is out of range [%ld, %ld]",
                         code == LMOC_REJECT ? "" : "field ", name, t, lo, hi);
    *v = t;
    return 0;
}

int lmoc_dim(long *v, lmoc_ctx_t *c, int doc, const lmoc_json_t *j, const char *name)
{
    if (lmoc_int(v, c, doc, j, 0, LONG_MAX, LMOC_EINPUT, name)) return c->rc;
    if (*v > c->caps.max_dim)
        return lmoc_fail(c, LMOC_ELIMIT, doc, "field %s: %ld exceeds the dimension cap %ld "
                         "(LMO_MAX_DIM)", name, *v, c->caps.max_dim);
    return 0;
}

int lmoc_entries(long *out, lmoc_ctx_t *c, int doc, long a, long b, const char *name)
{
    long t;
    if (c->rc) return c->rc;
    if (a < 0 || b < 0 || __builtin_mul_overflow(a, b, &t) || t > c->caps.max_entries)
        return lmoc_fail(c, LMOC_ELIMIT, doc, "%s: %ld x %ld entries exceed the cap %ld "
                         "(LMO_MAX_ENTRIES)", name, a, b, c->caps.max_entries);
    *out = t;
    return 0;
}

int lmoc_number(mpq_t x, lmoc_ctx_t *c, int doc, const lmoc_json_t *j, const char *name)
{
    if (c->rc) return c->rc;
    if (j && j->type == LMOC_J_INT) {
        long v;
        if (lmoc_int(&v, c, doc, j, LONG_MIN, LONG_MAX, LMOC_EINPUT, name)) return c->rc;
        mpq_set_si(x, v, 1);
        return 0;
    }
    if (!j || j->type != LMOC_J_STR)
        return lmoc_fail(c, LMOC_EINPUT, doc, "field %s: %s", name,
                         j ? "expected an exact number (JSON integer or string)" : "is missing");
    int rc = parse(x, j->s, j->len, c->caps.max_bits);
    if (rc == 3)
        return lmoc_fail(c, LMOC_ELIMIT, doc, "field %s: \"%.40s\" exceeds the cap of %ld bits "
                         "(LMO_MAX_BITS) or of exponent %d", name, j->s, c->caps.max_bits,
                         LMOC_MAX_EXP);
    if (rc)
        return lmoc_fail(c, LMOC_EINPUT, doc, "field %s: \"%.40s\" %s", name, j->s,
                         rc == 1 ? "has a zero denominator" : "is not an exact number (e.g. 12, "
                         "\"-3/7\", \"0.1\", \"1e-30\", \"0x1.8p-3\")");
    return 0;
}

int lmoc_known(lmoc_ctx_t *c, int doc, const lmoc_json_t *o, const char *name,
               const char *const *keys)
{
    for (size_t i = 0; o && o->type == LMOC_J_OBJ && i < o->n && !c->rc; i++) {
        const char *const *k = keys;
        while (*k && strcmp(*k, o->kid[i].key))
            k++;
        if (!*k)
            lmoc_fail(c, LMOC_REJECT, doc, "%s%s%.60s: not verifiable (lmo-check knows no such "
                      "claim)", name, *name ? "." : "", o->kid[i].key);
    }
    return c->rc;
}
