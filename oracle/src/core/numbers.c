/*
 * Exact numbers (DESIGN.md, "Numbers"): parsing every accepted spelling and
 * writing the canonical one. Part of module vector_io (lmo/core/vector_io.h).
 *
 * Accepted string spellings, with an optional leading sign:
 *   integer      "12"
 *   fraction     "-3/7"            (denominator digits only, non-zero)
 *   decimal      "0.1", ".5", "5.", "1e-30", "2.5E+3"   (exact, base ten)
 *   binary float "0x1.8p-3", "0x10", "0X.8P1"           (exact, base two)
 * The bit size is estimated from the spelling before any big number is
 * built, so "1e999999999" is refused as a limit instead of exhausting memory.
 */
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lmo/core/vector_io.h"

#define LOG2_10 3.3219280948873623

/* Show at most a short prefix of a bad spelling in messages. */
static void quote_prefix(char *out, size_t cap, const char *s)
{
    size_t n = strlen(s), k = n < 40 ? n : 40, j = 0;
    for (size_t i = 0; i < k && j + 2 < cap; i++)
        out[j++] = (s[i] >= 32 && s[i] < 127 && s[i] != '"') ? s[i] : '?';
    if (n > k && j + 4 < cap) { out[j++] = '.'; out[j++] = '.'; out[j++] = '.'; }
    out[j] = '\0';
}

static int bad(lmo_err_t *err, const char *path, const char *why, const char *s)
{
    char q[64];
    quote_prefix(q, sizeof q, s);
    return lmo_err_set(err, LMO_EINPUT, "%s: %s in \"%s\"", path, why, q);
}

static int too_big(lmo_err_t *err, const char *path, double bits, slong cap)
{
    return lmo_err_set(err, LMO_ELIMIT,
        "%s: number of about %.0f bits exceeds the cap of %ld bits (LMO_MAX_BITS)",
        path, bits, (long) cap);
}

/* The largest |exponent| accepted, the same as lmo-check's (proofs/number.c,
 * LMOC_MAX_EXP): a vector lmo reads must be one lmo-check can read, also when
 * LMO_MAX_BITS allows the number ("0x1p100001" has only 100002 bits). */
#define LMO_MAX_EXPONENT 100000

/* Parse a signed decimal exponent of at most 9 digits; -1 if malformed,
 * -2 if too long (a limit, not a syntax error). */
static int parse_exp(const char *s, long *e)
{
    int neg = 0;
    if (*s == '+' || *s == '-') neg = (*s++ == '-');
    if (!isdigit((unsigned char) *s)) return -1;
    size_t n = 0;
    while (s[n] == '0' && isdigit((unsigned char) s[n + 1])) s++;  /* leading zeros */
    while (isdigit((unsigned char) s[n])) n++;
    if (s[n] != '\0') return -1;
    if (n > 9) return -2;
    *e = strtol(s, NULL, 10);
    if (neg) *e = -*e;
    return 0;
}

static int is_digits(const char *s, size_t n, int hex)
{
    for (size_t i = 0; i < n; i++)
        if (!(hex ? isxdigit((unsigned char) s[i]) : isdigit((unsigned char) s[i]))) return 0;
    return 1;
}

/* mantissa digits (integer part + fraction part, no point) into an fmpz */
static void set_digits(fmpz_t z, const char *ip, size_t ni, const char *fp, size_t nf, int base)
{
    char *buf = flint_malloc(ni + nf + 1);
    memcpy(buf, ip, ni);
    memcpy(buf + ni, fp, nf);
    buf[ni + nf] = '\0';
    if (ni + nf == 0) fmpz_zero(z);
    else fmpz_set_str(z, buf, base);
    flint_free(buf);
}

int lmo_q_set_str(fmpq_t x, const char *s0, const char *path,
                  const lmo_limits_t *lim, lmo_err_t *err)
{
    const char *s = s0;
    int neg = 0;

    if (*s == '\0') return lmo_err_set(err, LMO_EINPUT, "%s: empty number", path);
    if (*s == '+' || *s == '-') neg = (*s++ == '-');
    {
        char low[5] = {0};
        for (int i = 0; i < 4 && s[i]; i++) low[i] = (char) tolower((unsigned char) s[i]);
        if (strncmp(low, "nan", 3) == 0 || strncmp(low, "inf", 3) == 0)
            return bad(err, path, "NaN and infinities are not exact numbers", s0);
    }

    const char *slash = strchr(s, '/');
    if (slash != NULL) {
        size_t nn = (size_t) (slash - s), nd = strlen(slash + 1);
        if (nn == 0 || nd == 0 || !is_digits(s, nn, 0) || !is_digits(slash + 1, nd, 0))
            return bad(err, path, "malformed fraction (expected p/q with decimal digits)", s0);
        double bits = (double) (nn > nd ? nn : nd) * LOG2_10;
        if (bits > (double) lim->max_bits + 4) return too_big(err, path, bits, lim->max_bits);
        fmpz_t num, den;
        fmpz_init(num); fmpz_init(den);
        set_digits(num, s, nn, "", 0, 10);
        set_digits(den, slash + 1, nd, "", 0, 10);
        if (fmpz_is_zero(den)) {
            fmpz_clear(num); fmpz_clear(den);
            return bad(err, path, "zero denominator", s0);
        }
        if (neg) fmpz_neg(num, num);
        fmpq_set_fmpz_frac(x, num, den);   /* canonicalises */
        fmpz_clear(num); fmpz_clear(den);
        goto check_bits;
    }

    int hex = (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'));
    if (hex) s += 2;
    const char *ip = s;
    size_t ni = 0, nf = 0;
    while (hex ? isxdigit((unsigned char) ip[ni]) : isdigit((unsigned char) ip[ni])) ni++;
    const char *fp = ip + ni;
    if (*fp == '.') {
        fp++;
        while (hex ? isxdigit((unsigned char) fp[nf]) : isdigit((unsigned char) fp[nf])) nf++;
    }
    const char *rest = fp + nf;
    if (ni + nf == 0)
        return bad(err, path, "not a number (expected an integer, p/q, a decimal or 0x hex float)", s0);
    long e = 0;
    if (*rest != '\0') {
        int ok = -1;
        if ((!hex && (*rest == 'e' || *rest == 'E')) || (hex && (*rest == 'p' || *rest == 'P')))
            ok = parse_exp(rest + 1, &e);
        if (ok == -2) return too_big(err, path, 1e10, lim->max_bits);
        if (ok != 0) return bad(err, path, "trailing garbage after the number", s0);
    }

    /* value = M * base^(e') with base 10 (decimal) or 2 (hex; digits are 4 bits) */
    double digit_bits = hex ? 4.0 : LOG2_10;
    long scale = hex ? e - 4 * (long) nf : e - (long) nf;
    double bits = (double) (ni + nf) * digit_bits + (double) labs(scale) * (hex ? 1.0 : LOG2_10);
    if (bits > (double) lim->max_bits + 4) return too_big(err, path, bits, lim->max_bits);
    if (labs(e) > LMO_MAX_EXPONENT)
        return lmo_err_set(err, LMO_ELIMIT, "%s: exponent %ld exceeds the cap of %d that lmo "
                           "shares with lmo-check", path, e, LMO_MAX_EXPONENT);

    {
        fmpz_t m, p;
        fmpz_init(m); fmpz_init(p);
        set_digits(m, ip, ni, fp, nf, hex ? 16 : 10);
        if (neg) fmpz_neg(m, m);
        if (hex) {
            if (scale >= 0) { fmpz_mul_2exp(m, m, (ulong) scale); fmpz_one(p); }
            else { fmpz_one(p); fmpz_mul_2exp(p, p, (ulong) -scale); }
        } else {
            fmpz_set_ui(p, 10);
            fmpz_pow_ui(p, p, (ulong) labs(scale));
            if (scale >= 0) { fmpz_mul(m, m, p); fmpz_one(p); }
        }
        fmpq_set_fmpz_frac(x, m, p);
        fmpz_clear(m); fmpz_clear(p);
    }

check_bits:
    if ((slong) fmpz_bits(fmpq_numref(x)) > lim->max_bits
        || (slong) fmpz_bits(fmpq_denref(x)) > lim->max_bits)
        return too_big(err, path, (double) FLINT_MAX(fmpz_bits(fmpq_numref(x)),
                                                     fmpz_bits(fmpq_denref(x))), lim->max_bits);
    return LMO_OK;
}

int lmo_q_set_json(fmpq_t x, const json_t *v, const char *path,
                   const lmo_limits_t *lim, lmo_err_t *err)
{
    if (v == NULL) return lmo_err_set(err, LMO_EINPUT, "%s: missing number", path);
    if (json_is_integer(v)) {
        fmpq_set_si(x, (slong) json_integer_value(v), 1);
        return LMO_OK;
    }
    if (json_is_real(v))
        /* The parser kept only the nearest double: offer that double exactly (%a is exact
         * hex), or the value meant, as a fraction -- never a decimal string, whose digits
         * would be read exactly and differ from the double a float program used. */
        return lmo_err_set(err, LMO_EINPUT,
            "%s: unquoted JSON real %.17g: JSON parsers keep only a double; write a double "
            "exactly as a hex string, \"%a\" (Python: float.hex()), or the exact value "
            "meant as \"p/q\"", path, json_real_value(v), json_real_value(v));
    if (json_is_string(v)) return lmo_q_set_str(x, json_string_value(v), path, lim, err);
    return lmo_err_set(err, LMO_EINPUT, "%s: expected a number (integer or exact string)", path);
}

int lmo_slong_set_json(slong *x, const json_t *v, const char *path, slong lo,
                       slong hi, lmo_err_t *err)
{
    if (v == NULL) return lmo_err_set(err, LMO_EINPUT, "%s: missing", path);
    if (!json_is_integer(v))
        return lmo_err_set(err, LMO_EINPUT, "%s: expected a JSON integer", path);
    json_int_t k = json_integer_value(v);
    if (k < lo)
        return lmo_err_set(err, LMO_EINPUT, "%s: %lld is below the minimum %ld", path,
                           (long long) k, (long) lo);
    if (k > hi)
        return lmo_err_set(err, LMO_ELIMIT, "%s: %lld exceeds the cap %ld", path,
                           (long long) k, (long) hi);
    *x = (slong) k;
    return LMO_OK;
}

json_t *lmo_json_from_z(const fmpz_t x)
{
    if (fmpz_fits_si(x)) return json_integer((json_int_t) fmpz_get_si(x));
    char *s = fmpz_get_str(NULL, 10, x);
    json_t *j = json_string_nocheck(s);   /* ASCII digits: no UTF-8 scan */
    flint_free(s);
    return j;
}

char *lmo_q_get_str(const fmpq_t x)
{
    return fmpq_get_str(NULL, 10, x);
}

json_t *lmo_json_from_q(const fmpq_t x)
{
    if (fmpz_is_one(fmpq_denref(x))) return lmo_json_from_z(fmpq_numref(x));
    if (!COEFF_IS_MPZ(*fmpq_numref(x)) && !COEFF_IS_MPZ(*fmpq_denref(x))) {
        /* both fit a word (|.| < 2^62): what fmpq_get_str prints, without
         * its size estimate and heap buffer (certificates hold ~10^4 of
         * these, e.g. the L of a Hessian's LDL^T) */
        char buf[48];
        snprintf(buf, sizeof buf, "%ld/%ld", (long) *fmpq_numref(x), (long) *fmpq_denref(x));
        return json_string_nocheck(buf);
    }
    char *s = lmo_q_get_str(x);
    json_t *j = json_string_nocheck(s);
    flint_free(s);
    return j;
}
