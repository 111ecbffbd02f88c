/* number.c -- lmo-check's own exact number parser (DESIGN.md "Numbers"): JSON integers
 * within int64, or strings: integers, fractions "-3/7", exact decimals "0.1" and
 * "-2.5e-3", hex floats "0x1.8p-3" / "0x10", each with an optional sign. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include "lmoc.h"

/* An exponent cap keeps "1e-999999999" from exhausting memory; 10^100000 already has
   332,000 bits, far beyond any value the oracle writes. */
#define LMOC_MAX_EXP 100000

int lmoc_fail(lmoc_ctx_t *c, int code, const char *fmt, ...)
{
    va_list ap;
    if (c->rc) return c->rc;
    int k = snprintf(c->msg, sizeof c->msg, "%s%s: ", code == LMOC_REJECT ? "REJECT " : "",
                     c->file);
    va_start(ap, fmt);
    vsnprintf(c->msg + k, k < (int)sizeof c->msg ? sizeof c->msg - (size_t)k : 0, fmt, ap);
    va_end(ap);
    return c->rc = code;
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

/* Returns 0 and sets x, or 1 for a zero denominator, 2 for anything not an exact number. */
static int parse(mpq_t x, const char *s, size_t len)
{
    const char *p = s, *e = s + len, *dot = NULL;
    int neg = 0, hex = 0, eneg = 0, rc = 2;
    size_t nfrac = 0;
    long ex = 0;
    char *buf = malloc(len + 1);
    mpz_t pw;
    if (!buf) return 2;
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
                if ((ex = 10 * ex + (*p - '0')) > LMOC_MAX_EXP) goto done;
        }
        if (p != e) goto done;
        ex = (eneg ? -ex : ex) - (long)nfrac * (hex ? 4 : 1); /* a fraction digit is 1/16, 1/10 */
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
    rc = 0;
done:
    free(buf);
    return rc;
}

int lmoc_int(long *v, lmoc_ctx_t *c, const lmoc_json_t *j, const char *name)
{
    if (c->rc) return c->rc;
    if (!j) return lmoc_fail(c, LMOC_EINPUT, "field %s is missing", name);
    if (j->type != LMOC_J_INT)
        return lmoc_fail(c, LMOC_EINPUT, "field %s: expected a JSON integer", name);
    errno = 0;
    long t = strtol(j->s, NULL, 10); /* the literal is already valid JSON */
    if (errno == ERANGE)
        return lmoc_fail(c, LMOC_EINPUT, "field %s: integer outside int64 (write it as a string)",
                         name);
    *v = t;
    return 0;
}

int lmoc_number(mpq_t x, lmoc_ctx_t *c, const lmoc_json_t *j, const char *name)
{
    long v;
    if (c->rc) return c->rc;
    if (j && j->type == LMOC_J_INT) {
        if (lmoc_int(&v, c, j, name)) return c->rc;
        mpq_set_ui(x, 0, 1);
        mpz_set_str(mpq_numref(x), j->s, 10);
        return 0;
    }
    if (!j || j->type != LMOC_J_STR)
        return lmoc_fail(c, LMOC_EINPUT, "field %s: %s", name,
                         j ? "expected an exact number (JSON integer or string)" : "is missing");
    int rc = parse(x, j->s, j->len);
    if (rc)
        return lmoc_fail(c, LMOC_EINPUT, "field %s: \"%.40s\" %s", name, j->s,
                         rc == 1 ? "has a zero denominator" : "is not an exact number (e.g. 12, "
                         "\"-3/7\", \"0.1\", \"1e-30\", \"0x1.8p-3\")");
    return 0;
}
