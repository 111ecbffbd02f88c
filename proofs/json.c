/* json.c -- a tiny strict JSON reader for lmo-check (no jansson: see lmoc.h).
 * Objects, arrays, strings with escapes, integers, true/false/null. Reals are rejected
 * because DESIGN.md wants every number exact and quoted; so are duplicate keys (which
 * value would count?), truncated input and nesting deeper than LMOC_JSON_MAX_DEPTH. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lmoc.h"

typedef struct { const char *b, *p, *e; char *err; size_t errlen; } rd_t;

static int bad(rd_t *r, const char *what)
{
    size_t line = 1;
    for (const char *q = r->b; q < r->p && q < r->e; q++)
        line += *q == '\n';
    snprintf(r->err, r->errlen, "JSON error at line %zu, byte %zu: %s", line,
             (size_t)(r->p - r->b), r->p >= r->e ? "unexpected end of input" : what);
    return -1;
}

static int at(const rd_t *r, char ch) { return r->p < r->e && *r->p == ch; }
static int isdig(char ch) { return ch >= '0' && ch <= '9'; }

static void ws(rd_t *r)
{
    while (at(r, ' ') || at(r, '\t') || at(r, '\n') || at(r, '\r'))
        r->p++;
}

static int hex4(rd_t *r, unsigned *u)
{
    *u = 0;
    for (int i = 0; i < 4; i++, r->p++) {
        char ch = r->p < r->e ? *r->p : 0, lc = ch | 32; /* lower case if a letter */
        int d = isdig(ch) ? ch - '0' : lc >= 'a' && lc <= 'f' ? lc - 'a' + 10 : -1;
        if (d < 0) return bad(r, "bad \\u escape");
        *u = *u * 16 + (unsigned)d;
    }
    return 0;
}

/* The closing quote is found first: the decoded text is never longer than the raw
   text, so one allocation of that size suffices (and the total stays linear). */
static int str(rd_t *r, char **out, size_t *len)
{
    const char *q = ++r->p, *esc = "\"\\/bfnrt", *val = "\"\\/\b\f\n\r\t", *m;
    while (q < r->e && *q != '"')
        q += *q == '\\' && q + 1 < r->e ? 2 : 1;
    if (q >= r->e) return r->p = r->e, bad(r, "");
    char *s = *out = malloc((size_t)(q - r->p) + 1);
    size_t n = 0;
    unsigned u, lo;
    if (!s) return bad(r, "out of memory");
    while (r->p < q) {
        char ch = *r->p++;
        if ((unsigned char)ch < 0x20) return r->p--, bad(r, "control character in string");
        if (ch != '\\') {
            s[n++] = ch;
            continue;
        }
        if ((ch = *r->p++) != 'u') {
            if (!ch || !(m = strchr(esc, ch))) return r->p--, bad(r, "bad escape");
            s[n++] = val[m - esc];
            continue;
        }
        if (hex4(r, &u)) return -1;
        if (u >= 0xD800 && u < 0xDC00) { /* a high surrogate needs its low half */
            if (q - r->p < 6 || r->p[0] != '\\' || r->p[1] != 'u' || (r->p += 2, hex4(r, &lo)) ||
                lo < 0xDC00 || lo > 0xDFFF)
                return bad(r, "unpaired surrogate");
            u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
        } else if ((u >= 0xDC00 && u < 0xE000) || !u) { /* ids are compared as C strings */
            return bad(r, u ? "unpaired surrogate" : "\\u0000 is not supported");
        }
        int extra = (u >= 0x80) + (u >= 0x800) + (u >= 0x10000); /* UTF-8 continuation bytes */
        s[n++] = (char)(extra ? 0xFF00 >> (extra + 1) | u >> 6 * extra : u); /* 110.., 1110.. */
        for (int b = extra - 1; b >= 0; b--)
            s[n++] = (char)(0x80 | (u >> 6 * b & 0x3F));
    }
    s[n] = 0;
    *len = n;
    r->p = q + 1;
    return 0;
}

static int cmp_member(const void *a, const void *b)
{
    const lmoc_json_t *x = *(const lmoc_json_t *const *)a, *y = *(const lmoc_json_t *const *)b;
    size_t n = x->klen < y->klen ? x->klen : y->klen;
    int c = memcmp(x->key, y->key, n);
    return c ? c : (x->klen > y->klen) - (x->klen < y->klen);
}

/* 1 if two members of the object O share a key: sorted, so that a hostile object of many
   members costs n log n, not n^2 (small objects are checked member by member as read) */
static int duplicate_keys(const lmoc_json_t *o)
{
    const lmoc_json_t **v = malloc(o->n * sizeof *v);
    int dup = !v;
    for (size_t i = 0; v && i < o->n; i++) v[i] = &o->kid[i];
    if (v) qsort(v, o->n, sizeof *v, cmp_member);
    for (size_t i = 1; v && i < o->n && !dup; i++) dup = !cmp_member(&v[i - 1], &v[i]);
    free(v);
    return dup;
}

/* *j must be zeroed; on failure the partial tree is still freeable by lmoc_json_clear */
static int value(rd_t *r, lmoc_json_t *j, int depth)
{
    ws(r);
    char ch = r->p < r->e ? *r->p : 0, close = ch == '{' ? '}' : ']';
    const char *w = ch == 't' ? "true" : ch == 'f' ? "false" : ch == 'n' ? "null" : NULL;
    if (ch == '{' || ch == '[') {
        size_t cap = 0;
        j->type = ch == '{' ? LMOC_J_OBJ : LMOC_J_ARR;
        if (depth >= LMOC_JSON_MAX_DEPTH) return bad(r, "nesting too deep");
        r->p++;
        ws(r);
        if (at(r, close)) return r->p++, 0;
        for (;;) {
            if (j->n == cap) {
                void *t = realloc(j->kid, (cap = cap ? 2 * cap : 4) * sizeof *j->kid);
                if (!t) return bad(r, "out of memory");
                j->kid = t;
            }
            lmoc_json_t *k = &j->kid[j->n++];
            memset(k, 0, sizeof *k);
            if (j->type == LMOC_J_OBJ) {
                ws(r);
                if (!at(r, '"')) return bad(r, "expected a member name");
                if (str(r, &k->key, &k->klen)) return -1;
                for (size_t i = 0; j->n <= 16 && i + 1 < j->n; i++) /* larger: at the end */
                    if (j->kid[i].klen == k->klen && !memcmp(j->kid[i].key, k->key, k->klen))
                        return bad(r, "duplicate key");
                ws(r);
                if (!at(r, ':')) return bad(r, "expected ':'");
                r->p++;
            }
            if (value(r, k, depth + 1)) return -1;
            ws(r);
            if (at(r, close))
                return r->p++, j->type == LMOC_J_OBJ && j->n > 16 && duplicate_keys(j)
                                   ? bad(r, "duplicate key") : 0;
            if (!at(r, ',')) return bad(r, close == '}' ? "expected ',' or '}'"
                                                     : "expected ',' or ']'");
            r->p++;
        }
    }
    if (ch == '"') return j->type = LMOC_J_STR, str(r, &j->s, &j->len);
    if (w) {
        j->type = ch == 't' ? LMOC_J_TRUE : ch == 'f' ? LMOC_J_FALSE : LMOC_J_NULL;
        if ((size_t)(r->e - r->p) < strlen(w) || memcmp(r->p, w, strlen(w)))
            return bad(r, "invalid literal");
        return r->p += strlen(w), 0;
    }
    if (ch != '-' && !isdig(ch)) return bad(r, "unexpected character");
    const char *st = r->p;
    r->p += ch == '-';
    if (r->p >= r->e || !isdig(*r->p)) return bad(r, "bad number");
    if (at(r, '0') && r->p + 1 < r->e && isdig(r->p[1])) return bad(r, "leading zero in a number");
    while (r->p < r->e && isdig(*r->p))
        r->p++;
    if (at(r, '.') || at(r, 'e') || at(r, 'E'))
        return bad(r, "a JSON real loses its exact text: quote it, e.g. \"0.5\"");
    j->type = LMOC_J_INT;
    j->len = (size_t)(r->p - st);
    if (!(j->s = strndup(st, j->len))) return bad(r, "out of memory");
    return 0;
}

int lmoc_json_parse(lmoc_json_t *out, const char *buf, size_t len, char *err, size_t errlen)
{
    rd_t r = {buf, buf, buf + len, err, errlen};
    memset(out, 0, sizeof *out);
    *err = 0;
    if (!value(&r, out, 0) && (ws(&r), r.p == r.e)) return 0;
    if (r.p != r.e && !*err) bad(&r, "trailing characters after the JSON value");
    lmoc_json_clear(out); /* no half-read tree survives a failure */
    return -1;
}

void lmoc_json_clear(lmoc_json_t *j)
{
    for (size_t i = 0; i < j->n; i++)
        lmoc_json_clear(&j->kid[i]);
    free(j->kid), free(j->key), free(j->s);
    memset(j, 0, sizeof *j);
}

const lmoc_json_t *lmoc_json_get(const lmoc_json_t *o, const char *key)
{
    size_t kl = strlen(key);
    for (size_t i = 0; o && o->type == LMOC_J_OBJ && i < o->n; i++)
        if (o->kid[i].klen == kl && !memcmp(o->kid[i].key, key, kl))
            return &o->kid[i];
    return NULL;
}
