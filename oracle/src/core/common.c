/* Errors, limits and the deterministic PRNG (see lmo/core/common.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lmo/core/common.h"

void lmo_err_clear(lmo_err_t *err)
{
    if (err) { err->code = LMO_OK; err->msg[0] = '\0'; }
}

int lmo_err_set(lmo_err_t *err, int code, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
        err->code = code;
        /* keep the promise of one line */
        for (char *c = err->msg; *c; c++) if (*c == '\n' || *c == '\r') *c = ' ';
    }
    return code;
}

static slong env_or(const char *name, slong dflt)
{
    const char *s = getenv(name);
    if (s == NULL || *s == '\0') return dflt;
    char *end;
    long long v = strtoll(s, &end, 10);
    if (*end != '\0' || v <= 0) return dflt;
    return (slong) v;
}

void lmo_limits_default(lmo_limits_t *lim)
{
    lim->max_dim = env_or("LMO_MAX_DIM", LMO_DEFAULT_MAX_DIM);
    lim->max_entries = env_or("LMO_MAX_ENTRIES", LMO_DEFAULT_MAX_ENTRIES);
    lim->max_bits = env_or("LMO_MAX_BITS", LMO_DEFAULT_MAX_BITS);
    lim->max_file_bytes = env_or("LMO_MAX_FILE_BYTES", LMO_DEFAULT_MAX_FILE_BYTES);
}

static ulong splitmix64(ulong *x)
{
    ulong z = (*x += UWORD(0x9e3779b97f4a7c15));
    z = (z ^ (z >> 30)) * UWORD(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UWORD(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

void lmo_rng_seed(lmo_rng_t *r, ulong seed)
{
    ulong x = seed;
    for (int i = 0; i < 4; i++) r->s[i] = splitmix64(&x);
}

static ulong rotl(ulong x, int k) { return (x << k) | (x >> (64 - k)); }

ulong lmo_rng_next(lmo_rng_t *r)
{
    ulong *s = r->s;
    ulong result = rotl(s[1] * 5, 7) * 9;
    ulong t = s[1] << 17;
    s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

ulong lmo_rng_below(lmo_rng_t *r, ulong n)
{
    ulong lim = -n % n;  /* 2^64 mod n: reject the biased tail */
    for (;;) {
        ulong x = lmo_rng_next(r);
        if (x >= lim) return x % n;
    }
}

slong lmo_rng_uniform(lmo_rng_t *r, slong lo, slong hi)
{
    return lo + (slong) lmo_rng_below(r, (ulong) (hi - lo + 1));
}

int lmo_names_to_bits(const char *list, const char *const *names)
{
    int bits = 0;
    for (const char *p = list; p && *p;) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t) (e - p) : strlen(p);
        int found = len == 0;
        for (int i = 0; names[i] && i < 30; i++)
            if (strlen(names[i]) == len && strncmp(p, names[i], len) == 0) bits |= 1 << i, found = 1;
        if (!found) return -1;
        p = e ? e + 1 : NULL;
    }
    return bits;
}
