/* patterns.c -- claim "bundle" of an mnn_patterns vector (Soudry-Carmon Lemma 3): for an
 * activation pattern p of the first layer, A1^p[i][n] = E1[i][n] (1 if p says '+', s if
 * '-') and G1^p = A1^p o X (4.4). Each bundle member is a rank certificate bound to one
 * pattern; no pattern twice. The vector's deficient_patterns must be exactly the members of
 * rank < N, in order. Counts over all 2^(d1 N) patterns (exhaustive mode) additionally need
 * the bundle's "full_rank" modulus, under which every pattern without a member is shown to
 * have rank N by a non-singular N x N minor: an empty bundle proves nothing about them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lmoc.h"

#define LMOC_PATTERNS_MAX_BITS 24   /* d1 N of an exhaustive count: lmo's own cap */

typedef struct {
    lmoc_mat_t X, E;        /* d0 x N, d1 x N (all ones without dropout) */
    mpq_t s;
    long d0, d1, N, listed, deficient;
    const char *mode;
    char *signs;            /* listed * d1 * N signs '+' / '-' */
    long *rank;             /* listed proven ranks */
    int scanned;            /* 1 once every unlisted pattern is proven of rank N */
    const lmoc_json_t *full, *expect;
    const char *cn;
} pat_facts_t;

/* G1^p of the signs SG (d1 * N of '+' / '-'), initialised. */
static int pattern_matrix(lmoc_mat_t *G, lmoc_ctx_t *c, const pat_facts_t *F, const char *sg)
{
    lmoc_mat_t A;
    *G = (lmoc_mat_t)LMOC_MAT_NONE;
    if (lmoc_mat_copy(&A, c, &F->E)) return c->rc;
    for (long i = 0; i < F->d1 * F->N; i++)
        if (sg[i] == '-') mpq_mul(A.e[i], A.e[i], F->s);
    lmoc_khatri_rao(G, c, &A, &F->X);
    lmoc_mat_clear(&A);
    return c->rc;
}

/* The d1 strings of N signs of J into SG; LMOC_EINPUT naming NAME otherwise. */
static int read_signs(char *sg, lmoc_ctx_t *c, int doc, const lmoc_json_t *j, const pat_facts_t *F,
                      const char *name)
{
    int ok = j && j->type == LMOC_J_ARR && (long)j->n == F->d1;
    for (long i = 0; ok && i < F->d1; i++) {
        const lmoc_json_t *row = &j->kid[i];
        ok = row->type == LMOC_J_STR && (long)row->len == F->N &&
             strspn(row->s, "+-") == row->len;
        if (ok) memcpy(sg + i * F->N, row->s, (size_t)F->N);
    }
    if (!ok)
        lmoc_fail(c, LMOC_EINPUT, doc, "field %s: expected %ld strings of %ld signs '+' / '-'",
                  name, F->d1, F->N);
    return c->rc;
}

static const pat_facts_t *sort_facts;
static int cmp_listed(const void *a, const void *b)
{
    size_t w = (size_t)(sort_facts->d1 * sort_facts->N);
    return memcmp(sort_facts->signs + *(const long *)a * (long)w,
                  sort_facts->signs + *(const long *)b * (long)w, w);
}

static int cmp_mask(const void *a, const void *b)
{
    unsigned long x = *(const unsigned long *)a, y = *(const unsigned long *)b;
    return (x > y) - (x < y);
}


/* The scan runs modulo p < 2^63 in 64-bit words (lmo's primes are below 2^50): 2^24
   patterns in GMP would take minutes. elim_u64 is lmoc_elim_mod step for step (the
   algorithm of proofs/coq/LmoElim.v); the rank certificates keep GMP for any modulus. */
typedef unsigned long long u64;

static u64 mulmod(u64 a, u64 b, u64 p)
{
    return (u64)((unsigned __int128)a * b % p);
}

/* a^-1 mod p, or 0 when gcd(a, p) != 1 */
static u64 invmod(u64 a, u64 p)
{
    __int128 r0 = (__int128)p, r1 = (__int128)(a % p), t0 = 0, t1 = 1, q, x;
    while (r1) q = r0 / r1, x = r0 - q * r1, r0 = r1, r1 = x, x = t0 - q * t1, t0 = t1, t1 = x;
    return r0 != 1 ? 0 : (u64)(t0 < 0 ? t0 + (__int128)p : t0);
}

static int elim_u64(u64 *a, long r, u64 p)
{
    for (long k = 0, piv = k; k < r; piv = ++k) {
        while (piv < r && !a[piv * r + k])
            piv++;
        if (piv == r) return 1;
        for (long j = k; j < r; j++) { /* a row swap only flips the determinant's sign */
            u64 t = a[k * r + j];
            a[k * r + j] = a[piv * r + j], a[piv * r + j] = t;
        }
        u64 inv = invmod(a[k * r + k], p);
        if (!inv) return 2;
        for (long i = k + 1; i < r; i++) {
            u64 g = mulmod(a[i * r + k], inv, p);
            for (long j = k; g && j < r; j++)
                a[i * r + j] = (a[i * r + j] + p - mulmod(g, a[k * r + j], p)) % p;
        }
    }
    return 0;
}

/* Pivot rows of the m x N residues a (m >= N) mod p, one per column, each pivot a unit: 0
   when found (rows in piv), else 1. The search is not trusted: the caller re-runs elim_u64
   on the minor of those rows. */
static int pivot_rows(long *piv, u64 *a, long m, long N, u64 p)
{
    for (long k = 0; k < N; k++) {
        long r = k;
        u64 inv = 0;
        while (r < m && !(inv = invmod(a[r * N + k], p))) r++;
        if (r == m) return 1;
        for (long j = 0; j < N; j++) {
            u64 t = a[k * N + j];
            a[k * N + j] = a[r * N + j], a[r * N + j] = t;
        }
        long t = piv[k]; piv[k] = piv[r], piv[r] = t;
        for (long i = k + 1; i < m; i++) {
            u64 g = mulmod(a[i * N + k], inv, p);
            for (long j = k; g && j < N; j++)
                a[i * N + j] = (a[i * N + j] + p - mulmod(g, a[k * N + j], p)) % p;
        }
    }
    return 0;
}

/* Entry (row, n) of G1^p mod p for the pattern with bits T: row i*d0 + j holds E1[i][n]
   (times s where the sign is '-') X[j][n]. */
static u64 entry(const u64 *res, const pat_facts_t *F, unsigned long t, long row, long n, u64 p)
{
    long N = F->N, i = row / F->d0, j = row % F->d0;
    int plus = t >> (i * N + n) & 1;
    return mulmod(res[(plus ? 0 : F->d1 * N) + i * N + n], res[2 * F->d1 * N + j * N + n], p);
}

/* Every pattern without a bundle member has rank N: under the modulus p of the part
   "full_rank", some N x N minor of G1^p has a unit determinant (Coq: rank_ge_minor_elim). */
static int scan(lmoc_ctx_t *c, pat_facts_t *F)
{
    static const char *const keys[] = {"prime", NULL};
    const lmoc_json_t *pj = lmoc_json_get(F->full, "prime");
    long m = F->d0 * F->d1, N = F->N, bits = F->d1 * N, nres = 2 * F->d1 * N + F->d0 * N;
    long *piv = NULL;
    unsigned long *masks = NULL;
    u64 p = 0, *res = NULL, *a = NULL, *minor = NULL;
    char name[200], *sg = NULL;
    mpz_t pz, r;
    mpq_t es;
    snprintf(name, sizeof name, "%sfull_rank", F->cn);
    if (F->scanned || c->rc) return c->rc;
    if (bits > LMOC_PATTERNS_MAX_BITS)
        return lmoc_fail(c, LMOC_ELIMIT, LMOC_V, "input: d1 N = %ld exceeds %d, the cap of an "
                         "exhaustive count", bits, LMOC_PATTERNS_MAX_BITS);
    if (F->listed == 1L << bits) return F->scanned = 1, 0; /* every pattern has its member */
    if (!F->full)
        return lmoc_fail(c, LMOC_REJECT, LMOC_C, "no %s: the patterns without a bundle member "
                         "are not proven to have rank N", name);
    lmoc_known(c, LMOC_C, F->full, name, keys);
    mpz_inits(pz, r, NULL);
    mpq_init(es);
    if (!c->rc && (!pj || pj->type != LMOC_J_STR || !pj->len || pj->len > 19 ||
                   strspn(pj->s, "0123456789") != pj->len ||
                   (mpz_set_str(pz, pj->s, 10), mpz_sizeinbase(pz, 2) > 63)))
        lmoc_fail(c, LMOC_EINPUT, LMOC_C, "field %s.prime: expected decimal digits of a modulus "
                  "below 2^63", name);
    else if (!c->rc && mpz_cmp_ui(pz, 2) < 0)
        lmoc_fail(c, LMOC_REJECT, LMOC_C, "%s.prime is less than 2", name);
    if (!c->rc) p = (u64)mpz_get_ui(pz);
    /* residues of the factors of G1^p's entries: E1 ('+'), E1 s ('-'), X; each denominator
       must be a unit mod p, so that every entry lies in the ring where reduction is a ring
       morphism (LmoRank.v det_ne0_of_ratred) */
    res = lmoc_alloc(c, LMOC_C, (size_t)nres, sizeof *res, name);
    for (long i = 0; res && i < nres && !c->rc; i++) {
        long k = i % (F->d1 * N);
        if (i < 2 * F->d1 * N) mpq_set(es, F->E.e[k]);
        else mpq_set(es, F->X.e[i - 2 * F->d1 * N]);
        if (i >= F->d1 * N && i < 2 * F->d1 * N) mpq_mul(es, es, F->s);
        if (!mpz_invert(r, mpq_denref(es), pz))
            lmoc_fail(c, LMOC_REJECT, LMOC_C, "%s.prime is not coprime to a denominator of an "
                      "entry of some G1^p", name);
        mpz_mul(r, r, mpq_numref(es)), mpz_mod(r, r, pz);
        res[i] = (u64)mpz_get_ui(r);
    }
    a = lmoc_alloc(c, LMOC_C, (size_t)(m * N), sizeof *a, name);
    minor = lmoc_alloc(c, LMOC_C, (size_t)(N * N), sizeof *minor, name);
    piv = lmoc_alloc(c, LMOC_C, (size_t)m, sizeof *piv, name);
    sg = lmoc_alloc(c, LMOC_C, (size_t)bits, 1, name);
    masks = lmoc_alloc(c, LMOC_C, (size_t)F->listed, sizeof *masks, name);
    for (long t = 0; masks && t < F->listed; t++) /* bit i*N + n set: sign '+' */
        for (long b = 0; b < bits; b++)
            masks[t] |= (unsigned long)(F->signs[t * bits + b] == '+') << b;
    if (masks) qsort(masks, (size_t)F->listed, sizeof *masks, cmp_mask);
    for (unsigned long t = 0; !c->rc && t < 1UL << bits; t++) {
        if (bsearch(&t, masks, (size_t)F->listed, sizeof *masks, cmp_mask))
            continue; /* it has its own certificate */
        for (long e = 0; e < m * N; e++) a[e] = entry(res, F, t, e / N, e % N, p);
        for (long i = 0; i < m; i++) piv[i] = i;
        int bad = pivot_rows(piv, a, m, N, p);
        for (long e = 0; !bad && e < N * N; e++) /* the minor of those rows, afresh */
            minor[e] = entry(res, F, t, piv[e / N], e % N, p);
        if (bad || elim_u64(minor, N, p)) {
            for (long b = 0; b < bits; b++) sg[b] = t >> b & 1 ? '+' : '-';
            lmoc_fail(c, LMOC_REJECT, LMOC_C, "pattern %.*s (row by row) has no bundle member "
                      "and no non-singular N x N minor mod %s.prime", (int)(bits < 64 ? bits : 64),
                      sg, name);
        }
    }
    F->scanned = !c->rc;
    free(res), free(a), free(minor), free(piv), free(sg), free(masks);
    mpz_clears(pz, r, NULL);
    mpq_clear(es);
    return c->rc;
}

static int m_mode(lmoc_ctx_t *c, const lmoc_json_t *val, const char *name, void *st)
{
    if (!lmoc_is(val, ((pat_facts_t *)st)->mode))
        lmoc_fail(c, LMOC_REJECT, LMOC_V, "%s is not the input's mode", name);
    return c->rc;
}

static int m_listed(lmoc_ctx_t *c, const lmoc_json_t *val, const char *name, void *st)
{
    static const char *const keys[] = {"signs", "rank", NULL};
    pat_facts_t *F = st;
    long w = F->d1 * F->N, k = 0;
    char f[220], *sg = NULL;
    if (val->type != LMOC_J_ARR || (long)val->n != F->deficient)
        return lmoc_fail(c, LMOC_REJECT, LMOC_V, "%s does not list the bundle members of rank < N "
                         "(%ld of them)", name, F->deficient);
    if (!(sg = lmoc_alloc(c, LMOC_V, (size_t)w, 1, name))) return c->rc;
    for (long t = 0; t < F->listed && !c->rc; t++) {
        if (F->rank[t] == F->N) continue; /* a full-rank member is not deficient */
        snprintf(f, sizeof f, "%s[%ld]", name, k);
        lmoc_known(c, LMOC_V, &val->kid[k], f, keys);
        snprintf(f, sizeof f, "%s[%ld].signs", name, k);
        if (!read_signs(sg, c, LMOC_V, lmoc_json_get(&val->kid[k], "signs"), F, f) &&
            memcmp(sg, F->signs + t * w, (size_t)w))
            lmoc_fail(c, LMOC_REJECT, LMOC_V, "%s is not the pattern of the bundle's member %ld",
                      f, t);
        snprintf(f, sizeof f, "%s[%ld].rank", name, k);
        lmoc_claim_int(c, lmoc_json_get(&val->kid[k], "rank"), f, F->rank[t]);
        k++;
    }
    free(sg);
    return c->rc;
}

/* The counts over all 2^(d1 N) patterns: proven in exhaustive mode, after the scan. */
static int counts_ready(lmoc_ctx_t *c, pat_facts_t *F, const char *name)
{
    if (strcmp(F->mode, "exhaustive"))
        return lmoc_fail(c, LMOC_REJECT, LMOC_V, "%s: not verifiable in mode %s (which patterns "
                         "lmo checked is not a fact the bundle proves)", name, F->mode);
    return scan(c, F);
}

static int m_count(lmoc_ctx_t *c, const lmoc_json_t *val, const char *name, void *st)
{
    pat_facts_t *F = st;
    long total, want;
    if (counts_ready(c, F, name)) return c->rc;
    total = 1L << (F->d1 * F->N);
    want = strstr(name, "deficient") ? F->deficient
         : strstr(name, "full_rank") ? total - F->deficient : total;
    return lmoc_claim_int(c, val, name, want);
}

static int m_min_rank(lmoc_ctx_t *c, const lmoc_json_t *val, const char *name, void *st)
{
    pat_facts_t *F = st;
    long r = F->N;
    if (counts_ready(c, F, name)) return c->rc;
    for (long t = 0; t < F->listed; t++) r = F->rank[t] < r ? F->rank[t] : r;
    return lmoc_claim_int(c, val, name, r);
}

static int m_rank_counts(lmoc_ctx_t *c, const lmoc_json_t *val, const char *name, void *st)
{
    pat_facts_t *F = st;
    char f[220];
    if (counts_ready(c, F, name)) return c->rc;
    if (val->type != LMOC_J_ARR || (long)val->n != F->N + 1)
        return lmoc_fail(c, LMOC_EINPUT, LMOC_V, "field %s: expected N + 1 = %ld counts", name,
                         F->N + 1);
    for (long r = 0; r <= F->N && !c->rc; r++) {
        long k = r == F->N ? (1L << (F->d1 * F->N)) - F->deficient : 0;
        for (long t = 0; r < F->N && t < F->listed; t++) k += F->rank[t] == r;
        snprintf(f, sizeof f, "%s[%ld]", name, r);
        lmoc_claim_int(c, &val->kid[r], f, k);
    }
    return c->rc;
}

static int m_listed_all(lmoc_ctx_t *c, const lmoc_json_t *val, const char *name, void *st)
{
    if (!lmoc_is_bool(val))
        return lmoc_fail(c, LMOC_EINPUT, LMOC_V, "field %s: expected true or false", name);
    if (val->type == LMOC_J_FALSE) /* "some deficient pattern is missing": nothing proves it */
        return lmoc_fail(c, LMOC_REJECT, LMOC_V, "%s = false: not verifiable", name);
    if (!lmoc_json_get(((pat_facts_t *)st)->expect, "deficient_patterns")) /* the list it is about */
        return lmoc_fail(c, LMOC_REJECT, LMOC_V, "%s: not verifiable without "
                         "expect.deficient_patterns", name);
    return counts_ready(c, st, name);
}

static const lmoc_member_t pattern_members[] = {
    {"mode", m_mode}, {"deficient_patterns", m_listed}, {"patterns_checked", m_count},
    {"deficient", m_count}, {"full_rank", m_count}, {"min_rank", m_min_rank},
    {"rank_counts", m_rank_counts}, {"deficient_listed_all", m_listed_all}, {NULL, NULL}};

int lmoc_check_patterns(lmoc_ctx_t *c, const lmoc_json_t *cert, const char *cn,
                        const lmoc_json_t *vec, char *what, size_t wlen)
{
    static const char *const keys[] = {"format", "claim", "vector", "certificates", "full_rank",
                                       NULL};
    static const char *const in_keys[] = {"X", "dropout", "slope", "width", "mode", "count",
                                          "seed", NULL};
    static const char *const extra[] = {"matrix", "pattern", NULL};
    static const char *const modes[] = {"exhaustive", "sampled", "realizable", NULL};
    const lmoc_json_t *in = lmoc_json_get(vec, "input"), *ms = lmoc_json_get(cert, "certificates"),
                      *ej = lmoc_json_get(in, "dropout"), *mj = lmoc_json_get(in, "mode");
    pat_facts_t F;
    lmoc_mat_t G;
    long w = 0, v, *order = NULL;
    char f[200];
    memset(&F, 0, sizeof F);
    mpq_init(F.s);
    F.cn = cn, F.full = lmoc_json_get(cert, "full_rank"), F.mode = "exhaustive";
    F.expect = lmoc_json_get(vec, "expect");
    snprintf(f, sizeof f, "%s", *cn ? "certificate" : "");
    lmoc_known(c, LMOC_C, cert, f, keys);
    lmoc_known(c, LMOC_V, in, "input", in_keys);
    if (!c->rc && (!ms || ms->type != LMOC_J_ARR))
        lmoc_fail(c, LMOC_EINPUT, LMOC_C, "field %scertificates: expected an array", cn);
    lmoc_matrix(&F.X, c, LMOC_V, lmoc_json_get(in, "X"), -1, -1, "input.X");
    if (!lmoc_number(F.s, c, LMOC_V, lmoc_json_get(in, "slope"), "input.slope") && !mpq_sgn(F.s))
        lmoc_fail(c, LMOC_EINPUT, LMOC_V, "field input.slope: must not be 0");
    lmoc_dim(&F.d1, c, LMOC_V, lmoc_json_get(in, "width"), "input.width");
    F.d0 = F.X.rows, F.N = F.X.cols;
    for (int i = 0; mj && !c->rc && !lmoc_is(mj, F.mode = modes[i]); i++)
        if (!modes[i + 1]) lmoc_fail(c, LMOC_EINPUT, LMOC_V, "field input.mode: expected "
                                     "\"exhaustive\", \"sampled\" or \"realizable\"");
    for (int i = 0; i < 2 && !c->rc; i++) /* not used, but range-checked like every integer */
        if (lmoc_json_get(in, i ? "seed" : "count"))
            lmoc_int(&v, c, LMOC_V, lmoc_json_get(in, i ? "seed" : "count"), 0, 1L << 62,
                     LMOC_EINPUT, i ? "input.seed" : "input.count");
    if (!c->rc && (F.d0 < 1 || F.N < 1 || F.d1 < 1))
        lmoc_fail(c, LMOC_EINPUT, LMOC_V, "field input: needs X with d0, N >= 1 and width >= 1");
    if (ej && ej->type == LMOC_J_ARR && ej->n == 1) ej = &ej->kid[0]; /* [E1] */
    if (ej) {
        lmoc_matrix(&F.E, c, LMOC_V, ej, -1, -1, "input.dropout");
        if (!c->rc && (F.E.rows != F.d1 || F.E.cols != F.N))
            lmoc_fail(c, LMOC_EINPUT, LMOC_V, "field input.dropout: is not width x N");
    } else if (!lmoc_mat_init(&F.E, c, LMOC_V, F.d1, F.N, "input.dropout")) {
        for (long i = 0; i < F.d1 * F.N; i++) mpq_set_ui(F.E.e[i], 1, 1);
    }
    if (!c->rc) w = F.d1 * F.N, F.listed = (long)ms->n;
    if (!c->rc) {
        F.signs = lmoc_alloc(c, LMOC_C, (size_t)F.listed, (size_t)w, "the bundle's patterns");
        F.rank = lmoc_alloc(c, LMOC_C, (size_t)F.listed, sizeof *F.rank, "the bundle");
        order = lmoc_alloc(c, LMOC_C, (size_t)F.listed, sizeof *order, "the bundle");
    }
    for (long t = 0; t < F.listed && !c->rc; t++) { /* each member: its own pattern's rank */
        const lmoc_json_t *m = &ms->kid[t];
        snprintf(f, sizeof f, "%scertificates[%ld].pattern", cn, t);
        if (!lmoc_is(lmoc_json_get(m, "matrix"), "G1^p = A1^p o X"))
            lmoc_fail(c, LMOC_REJECT, LMOC_C, "%scertificates[%ld].matrix is not \"G1^p = A1^p o "
                      "X\"", cn, t);
        else if (!read_signs(F.signs + t * w, c, LMOC_C, lmoc_json_get(m, "pattern"), &F, f) &&
                 !pattern_matrix(&G, c, &F, F.signs + t * w)) {
            snprintf(f, sizeof f, "%scertificates[%ld].", cn, t);
            lmoc_check_rank(&F.rank[t], c, m, f, &G, lmoc_json_get(vec, "id")->s, extra);
            lmoc_mat_clear(&G);
        }
        F.deficient += !c->rc && F.rank[t] < F.N;
        order[t] = t;
    }
    sort_facts = &F; /* no pattern twice */
    if (!c->rc) qsort(order, (size_t)F.listed, sizeof *order, cmp_listed);
    for (long t = 1; t < F.listed && !c->rc; t++)
        if (!memcmp(F.signs + order[t - 1] * w, F.signs + order[t] * w, (size_t)w))
            lmoc_fail(c, LMOC_REJECT, LMOC_C, "%scertificates[%ld] and [%ld] are about the same "
                      "pattern", cn, order[t - 1] < order[t] ? order[t - 1] : order[t],
                      order[t - 1] < order[t] ? order[t] : order[t - 1]);
    if (F.full && !c->rc) scan(c, &F); /* a part present is a part checked */
    lmoc_expect(c, lmoc_json_get(vec, "expect"), pattern_members, &F);
    snprintf(what, wlen, "bundle of %ld pattern certificates proven%s", F.listed,
             F.scanned ? ", every other pattern of rank N" : "");
    lmoc_mat_clear(&F.X), lmoc_mat_clear(&F.E), mpq_clear(F.s);
    free(F.signs), free(F.rank), free(order);
    return c->rc;
}
