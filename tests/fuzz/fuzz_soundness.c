/*
 * fuzz_soundness -- the differential soundness fuzzer of lmo-check (issue 17).
 *
 * Input: CERT '\0' VECTOR, or one VECTOR with an embedded certificate (the convention of
 * fuzz_checker). Seeds: every (vector, certificate) pair of the corpus, each kind
 * (soundness_seeds.py). A custom mutator edits the JSON structurally rather than its bytes:
 * numbers +-1, doubled, halved, negated, zeroed, set to huge or negative integers; array
 * entries swapped, dropped or duplicated (patterns too); members dropped, renamed to
 * another known claim or part, or copied; booleans flipped; class names, modes and sign
 * strings rewritten. Mostly the claims (expect), the instance (input) and the certificate.
 *
 * Whenever the in-process lmo-check ACCEPTS, the pair is written once (by the hash of its
 * canonical form) to $LMO_SOUNDNESS_DIR as {"vector": V, "certificate": C}; afterwards tests/fuzz/truth.py,
 * an evaluator written apart from both oracle and checker (Python fractions), must find
 * every claim of every accepted pair true (run_soundness.sh). Crashes and sanitizer reports
 * fail at once, like every libFuzzer target.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gmp.h>
#include "lmo_fuzz.h"

size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);

/* ---- the structural mutator ---- */

typedef struct { json_t *parent, *node; const char *key; size_t index; } slot_t;

typedef struct {
    slot_t *s;
    size_t n, cap;
} slots_t;

static void collect(slots_t *S, json_t *parent, const char *key, size_t index, json_t *node,
                    int depth)
{
    if (depth > 40) return;
    if (S->n == S->cap) {
        S->cap = S->cap ? 2 * S->cap : 256;
        S->s = realloc(S->s, S->cap * sizeof *S->s);
        if (!S->s) abort();
    }
    S->s[S->n++] = (slot_t){parent, node, key, index};
    if (json_is_object(node)) {
        const char *k;
        json_t *v;
        json_object_foreach(node, k, v) collect(S, node, k, 0, v, depth + 1);
    } else if (json_is_array(node)) {
        for (size_t i = 0; i < json_array_size(node); i++)
            collect(S, node, NULL, i, json_array_get(node, i), depth + 1);
    }
}

/* Replace the slot's node by V (reference stolen). */
static void put(const slot_t *s, json_t *v)
{
    if (!s->parent) {
        json_decref(v);
        return;
    }
    if (s->key) json_object_set_new(s->parent, s->key, v);
    else json_array_set_new(s->parent, s->index, v);
}

static uint64_t rnd(uint64_t *x) /* splitmix64 */
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* Names the mutator may introduce: claims, certificate parts, classes, modes, matrices. */
static const char *const NAMES[] = {
    "rank", "full_column_rank", "class", "critical", "loss", "hessian_inertia", "rank_WH_W2",
    "p", "hypotheses", "global_min_value", "exact", "enclosure", "pattern", "differentiable",
    "zero_preactivations", "error", "gradient", "rank_G", "rank_G_all", "rank_A1X",
    "critical_tilde", "lemma1_minimiser", "trace_ELambda", "deficient_patterns", "deficient",
    "full_rank", "patterns_checked", "min_rank", "rank_counts", "deficient_listed_all",
    "G_identity", "witness", "layer", "mode", "minor", "kernel", "free", "vectors", "prime",
    "hessian_psd", "hessian_negative", "descent_curve", "ascent_curve", "global_min", "factor",
    "tau", "breaks", "certificates", "G", "G_1", "G_2", "A1 o X", "A_{L-1} o V_{L-2}",
    "not_critical", "global_min", "strict_saddle", "bad_saddle", "unknown", "local_max",
    "exhaustive", "sampled", "realizable", "width", "slope", "dropout", "weights", "X", "Y",
    "y", "N", "widths", "activations", "strict", "rank_C", "q", "sigma", "n_params"};
#define NNAMES (sizeof NAMES / sizeof *NAMES)

static const long long HUGE_INTS[] = {0, 1, -1, 2, 7, 31, 63, 64, 65535, 1LL << 20, 1LL << 24,
                                      1LL << 31, -(1LL << 31), 1LL << 40, 1LL << 62,
                                      9223372036854775807LL, -9223372036854775807LL - 1};

/* A number node (JSON integer or "p/q" string) changed: +-1, *2, /2, -x, 0, 1. */
static json_t *number_mutant(const json_t *v, uint64_t *r)
{
    mpq_t q, t;
    char *s;
    json_t *out;
    mpq_inits(q, t, NULL);
    if (json_is_integer(v)) {
        mpz_set_si(mpq_numref(q), (long)json_integer_value(v));
    } else {
        const char *str = json_string_value(v);
        if (!str || mpq_set_str(q, str[0] == '+' ? str + 1 : str, 10) != 0 ||
            !mpz_sgn(mpq_denref(q))) {
            mpq_clears(q, t, NULL);
            return NULL;
        }
        mpq_canonicalize(q);
    }
    switch (rnd(r) % 7) {
    case 0: mpq_set_ui(t, 1, 1), mpq_add(q, q, t); break;
    case 1: mpq_set_ui(t, 1, 1), mpq_sub(q, q, t); break;
    case 2: mpq_mul_2exp(q, q, 1); break;
    case 3: mpq_div_2exp(q, q, 1); break;
    case 4: mpq_neg(q, q); break;
    case 5: mpq_set_ui(q, 0, 1); break;
    default: mpq_set_ui(q, 1, 1); break;
    }
    if (mpz_cmp_ui(mpq_denref(q), 1) == 0 && mpz_fits_slong_p(mpq_numref(q)) && rnd(r) % 2) {
        out = json_integer(mpz_get_si(mpq_numref(q)));
    } else {
        s = mpq_get_str(NULL, 10, q);
        out = json_string(s);
        free(s);
    }
    mpq_clears(q, t, NULL);
    return out;
}

static json_t *string_mutant(const json_t *v, uint64_t *r)
{
    const char *s = json_string_value(v);
    size_t n = strlen(s);
    if (n && strspn(s, "+-0") == n && rnd(r) % 4) { /* a sign string: flip one */
        char *t = strdup(s);
        size_t i = rnd(r) % n;
        t[i] = t[i] == '+' ? '-' : '+';
        json_t *out = json_string(t);
        free(t);
        return out;
    }
    return json_string(NAMES[rnd(r) % NNAMES]);
}

/* One structural mutation of DOC; 0 when none applied. */
static int mutate_doc(json_t *doc, uint64_t *r)
{
    slots_t S = {NULL, 0, 0};
    int done = 0;
    collect(&S, NULL, NULL, 0, doc, 0);
    for (int tries = 0; tries < 8 && !done && S.n > 1; tries++) {
        const slot_t *s = &S.s[1 + rnd(r) % (S.n - 1)];
        json_t *v = s->node, *m = NULL;
        unsigned op = (unsigned)(rnd(r) % 16);
        if (op < 2) { /* drop it */
            if (s->key) done = !json_object_del(s->parent, s->key);
            else done = !json_array_remove(s->parent, s->index);
            break;
        }
        if (op == 2 && s->key) { /* a member under another known name */
            json_object_set(s->parent, NAMES[rnd(r) % NNAMES], v);
            done = 1;
            break;
        }
        if (op == 3) { /* replaced by a copy of another node */
            const slot_t *o = &S.s[rnd(r) % S.n];
            if (o->node != v && o->node != doc) {
                put(s, json_deep_copy(o->node));
                done = 1;
                break;
            }
            continue;
        }
        if (json_is_integer(v) && op < 9) {
            m = op < 7 ? number_mutant(v, r)
                       : json_integer(HUGE_INTS[rnd(r) % (sizeof HUGE_INTS / sizeof *HUGE_INTS)]);
        } else if (json_is_integer(v) || (json_is_string(v) && op < 11)) {
            m = number_mutant(v, r);
            if (!m && json_is_string(v)) m = string_mutant(v, r);
        } else if (json_is_string(v)) {
            m = string_mutant(v, r);
        } else if (json_is_boolean(v)) {
            m = json_boolean(!json_is_true(v));
        } else if (json_is_null(v)) {
            m = rnd(r) % 2 ? json_integer(0) : json_true();
        } else if (json_is_array(v) && json_array_size(v) > 0) {
            size_t n = json_array_size(v), i = rnd(r) % n, j = rnd(r) % n;
            switch (op % 4) {
            case 0: { /* swap two entries */
                json_t *a = json_incref(json_array_get(v, i)), *b = json_incref(json_array_get(v, j));
                json_array_set_new(v, i, b), json_array_set_new(v, j, a);
                break;
            }
            case 1: json_array_append_new(v, json_deep_copy(json_array_get(v, i))); break;
            case 2: json_array_insert_new(v, j, json_deep_copy(json_array_get(v, i))); break;
            default: json_array_remove(v, i); break;
            }
            done = 1;
            break;
        } else if (json_is_object(v) && json_object_size(v) > 0) {
            json_object_set_new(v, NAMES[rnd(r) % NNAMES], rnd(r) % 2 ? json_true()
                                                                     : json_integer(1));
            done = 1;
            break;
        }
        if (m) put(s, m), done = 1;
    }
    free(S.s);
    return done;
}

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed)
{
    lmo_fuzz_pair_t in = lmo_fuzz_split(data, size);
    json_error_t je;
    json_t *cert = in.cert ? json_loadb(in.cert, in.cert_len, 0, &je) : NULL;
    json_t *vec = json_loadb(in.vec, in.vec_len, 0, &je);
    uint64_t r = seed;
    size_t out = 0;
    if (!vec || (in.cert && !cert) || rnd(&r) % 16 == 0) { /* not JSON, or a byte-level change */
        json_decref(vec), json_decref(cert);
        return LLVMFuzzerMutate(data, size, max_size);
    }
    for (unsigned k = 1 + (unsigned)(rnd(&r) % 2); k > 0; k--) /* one or two edits */
        mutate_doc(cert && rnd(&r) % 2 ? cert : vec, &r);
    char *cs = cert ? json_dumps(cert, JSON_COMPACT) : NULL;
    char *vs = json_dumps(vec, JSON_COMPACT);
    size_t cl = cs ? strlen(cs) + 1 : 0, vl = vs ? strlen(vs) : 0;
    if (vs && cl + vl <= max_size) {
        if (cs) memcpy(data, cs, cl); /* its NUL is the separator */
        memcpy(data + cl, vs, vl);
        out = cl + vl;
    }
    free(cs), free(vs);
    json_decref(vec), json_decref(cert);
    return out ? out : LLVMFuzzerMutate(data, size, max_size);
}

/* ---- accepted pairs, each written once ---- */

static uint64_t fnv1a(const uint8_t *p, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * 0x100000001b3ULL;
    return h;
}

/* Open addressing on the content hash: a pair already written is not written again. */
static int seen_before(uint64_t h)
{
    static uint64_t *tab;
    static size_t cap, n;
    if (h == 0) h = 1; /* 0 marks an empty slot */
    if (2 * (n + 1) > cap) {
        size_t nc = cap ? 2 * cap : 1 << 16;
        uint64_t *t = calloc(nc, sizeof *t);
        if (!t) abort();
        for (size_t i = 0; i < cap; i++)
            if (tab[i]) {
                size_t j = tab[i] & (nc - 1);
                while (t[j]) j = (j + 1) & (nc - 1);
                t[j] = tab[i];
            }
        free(tab), tab = t, cap = nc;
    }
    size_t j = h & (cap - 1);
    while (tab[j] && tab[j] != h) j = (j + 1) & (cap - 1);
    if (tab[j]) return 1;
    tab[j] = h, n++;
    return 0;
}

/* The accepted pair in canonical form (sorted keys, no whitespace, without the members that
   are not claims: source, fast, flags, report), so that a mutant differing from a pair
   already written only in spelling is not written again. NULL if jansson cannot read it. */
static char *canonical(const char *cert, size_t cl, const char *vec, size_t vl)
{
    static const char *const notes[] = {"source", "fast", "flags", "report"};
    json_error_t je;
    json_t *v = json_loadb(vec, vl, JSON_REJECT_DUPLICATES, &je);
    json_t *c = cert ? json_loadb(cert, cl, JSON_REJECT_DUPLICATES, &je) : json_null();
    char *out = NULL;
    if (v && c) {
        for (size_t i = 0; i < 4 && json_is_object(v); i++) json_object_del(v, notes[i]);
        json_t *pair = json_pack("{s:O, s:O}", "vector", v, "certificate", c);
        out = json_dumps(pair, JSON_COMPACT | JSON_SORT_KEYS);
        json_decref(pair);
    }
    json_decref(v), json_decref(c);
    return out;
}

static void record(const char *cert, size_t cl, const char *vec, size_t vl)
{
    const char *dir = getenv("LMO_SOUNDNESS_DIR");
    char path[4096], *text;
    if (!dir || !(text = canonical(cert, cl, vec, vl))) return;
    uint64_t h = fnv1a((const uint8_t *)text, strlen(text));
    FILE *f = NULL;
    if (!seen_before(h)) {
        snprintf(path, sizeof path, "%s/%016llx.json", dir, (unsigned long long)h);
        f = fopen(path, "wx"); /* another worker may have written it already */
    }
    if (f) fputs(text, f), fputc('\n', f), fclose(f);
    free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lmo_fuzz_pair_t in = lmo_fuzz_split(data, size);
    long rank = -1;
    if (lmo_fuzz_checker(in.cert, in.cert_len, in.vec, in.vec_len, &rank, NULL) == 0)
        record(in.cert, in.cert_len, in.vec, in.vec_len);
    return 0;
}
