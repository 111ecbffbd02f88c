/* Kind mnn_patterns: Lemma 3 of Soudry & Carmon (2016) over activation patterns, exactly
 * (lmo/soudry_carmon/patterns.h: the certified rank of G1^p = A1^p o X for every pattern of the mode,
 * each deficient one with its certificate) and in double (lmo_fast/mnn.h). Compared
 * pattern by pattern: each pattern's float rank against its exact rank. */
#include <stdlib.h>
#include <string.h>
#include "kind.h"
#include "lmo/soudry_carmon/patterns.h"
#include "lmo_fast/mnn.h"

/* The fast tier's pattern count recorded in a vector: a stride keeps it near this. */
#define FAST_PATTERNS_CAP (WORD(1) << 14)
/* lmo compare ranks every pattern in double (one LAPACK call each): at most this many. */
#define COMPARE_PATTERNS_CAP (WORD(1) << 20)

typedef struct {
    lmo_patterns_input_t in;
    lmo_patterns_result_t r;
    slong list;            /* deficient patterns shown (--list) */
    int all_listed;        /* compare: every deficient pattern is listed, to look up ranks */
    lmo_cli_progress_t progress;
    lmo_shard_t shard;     /* --shard: this run's block of the mode's `total` patterns */
    ulong total;
} pat_state;

/* The engine's count of patterns checked, on a terminal when the run is long. */
static void pat_progress(void *arg, ulong done, ulong total)
{
    lmo_cli_progress_t *p = arg;
    p->total = (long)total;
    lmo_cli_progress(p, (long)done);
}

/* ---- shards (cli/shard.h): the items are the patterns of the mode's sequence ---- */

static json_t *slong_array(const slong *x, slong n)
{
    json_t *a = json_array();
    for (slong i = 0; i < n; i++) json_array_append_new(a, json_integer(x[i]));
    return a;
}

/* One listed pattern as a part stores it: every member of its rank certificate. */
static json_t *entry_json(const lmo_pattern_entry_struct *e, slong d1, slong N)
{
    const lmo_rank_struct *R = e->cert;
    char *sg = malloc((size_t)(d1 * N) + 1), pr[32];
    for (slong q = 0; q < d1 * N; q++) sg[q] = (char)('0' + e->signs[q]);
    sg[d1 * N] = '\0';
    snprintf(pr, sizeof pr, "%lu", (unsigned long)R->prime);
    json_t *kern = json_array();
    for (slong j = 0; j < N - R->rank; j++)
        for (slong n = 0; n < N; n++)
            json_array_append_new(kern, lmo_json_from_z(fmpz_mat_entry(R->kernel_num, n, j)));
    json_t *o = json_pack("{s:I, s:s, s:I, s:s, s:i, s:o, s:o, s:o, s:o, s:o}", "index",
                          (json_int_t)e->index, "signs", sg, "rank", (json_int_t)R->rank, "prime", pr,
                          "primes_tried", R->primes_tried, "rows", slong_array(R->rows, R->rank),
                          "cols", slong_array(R->cols, R->rank), "free",
                          slong_array(R->free, N - R->rank), "kernel", kern, "kernel_den",
                          lmo_json_from_z(R->kernel_den));
    free(sg);
    return o;
}

/* An integer as lmo_json_from_z writes it (a JSON integer, or a string of digits); 0 or -1. */
static int z_read(fmpz_t x, const json_t *j)
{
    if (json_is_integer(j)) return fmpz_set_si(x, (slong)json_integer_value(j)), 0;
    return json_is_string(j) ? fmpz_set_str(x, json_string_value(j), 10) : -1;
}

/* Reads back what entry_json wrote into e (zeroed); 0, or -1 on a malformed entry. */
static int entry_read(lmo_pattern_entry_struct *e, const json_t *j, slong m, slong d1, slong N)
{
    const char *sg = json_string_value(json_object_get(j, "signs"));
    const json_t *rows = json_object_get(j, "rows"), *cols = json_object_get(j, "cols");
    const json_t *fr = json_object_get(j, "free"), *kern = json_object_get(j, "kernel");
    slong r = (slong)json_integer_value(json_object_get(j, "rank")), k = N - r;
    lmo_rank_init(e->cert);
    lmo_rank_struct *R = e->cert;
    if (!sg || (slong)strlen(sg) != d1 * N || r < 0 || r > N || json_array_size(rows) != (size_t)r ||
        json_array_size(cols) != (size_t)r || json_array_size(fr) != (size_t)k ||
        json_array_size(kern) != (size_t)(k * N))
        return -1;
    e->index = (ulong)json_integer_value(json_object_get(j, "index"));
    e->signs = flint_malloc((size_t)(d1 * N) + 1);
    for (slong q = 0; q < d1 * N; q++) e->signs[q] = sg[q] == '1';
    R->m = m, R->n = N, R->rank = r;
    R->prime = strtoul(json_string_value(json_object_get(j, "prime")) ? json_string_value(
                           json_object_get(j, "prime")) : "0", NULL, 10);
    R->primes_tried = (int)json_integer_value(json_object_get(j, "primes_tried"));
    R->rows = flint_malloc(sizeof(slong) * (size_t)(r + 1));
    R->cols = flint_malloc(sizeof(slong) * (size_t)(r + 1));
    R->free = flint_malloc(sizeof(slong) * (size_t)(k + 1));
    for (slong i = 0; i < r; i++) {
        R->rows[i] = (slong)json_integer_value(json_array_get(rows, (size_t)i));
        R->cols[i] = (slong)json_integer_value(json_array_get(cols, (size_t)i));
    }
    for (slong i = 0; i < k; i++) R->free[i] = (slong)json_integer_value(json_array_get(fr, (size_t)i));
    fmpz_mat_clear(R->kernel_num);
    fmpz_mat_init(R->kernel_num, N, k);
    int bad = z_read(R->kernel_den, json_object_get(j, "kernel_den"));
    for (slong i = 0; i < k * N && !bad; i++)
        bad = z_read(fmpz_mat_entry(R->kernel_num, i % N, i / N), json_array_get(kern, (size_t)i));
    return bad ? -1 : 0;
}

static json_t *pat_partial(const void *p)
{
    const pat_state *s = p;
    const lmo_patterns_result_struct *r = s->r;
    char pr[32];
    json_t *rc = json_array(), *listed = json_array();
    for (slong k = 0; k <= r->N; k++) json_array_append_new(rc, json_integer((json_int_t)r->rank_count[k]));
    for (slong t = 0; t < r->nlisted; t++) json_array_append_new(listed, entry_json(r->listed + t, r->d1, r->N));
    snprintf(pr, sizeof pr, "%lu", (unsigned long)r->prime);
    return json_pack("{s:o, s:I, s:I, s:I, s:I, s:o, s:s, s:i, s:I, s:o}", "items",
                     lmo_shard_items_json(s->total, &s->shard), "checked", (json_int_t)r->checked,
                     "full_rank", (json_int_t)r->full_rank, "deficient", (json_int_t)r->deficient,
                     "min_rank", (json_int_t)r->min_rank, "rank_counts", rc, "prime", pr,
                     "primes_tried", r->primes_tried, "exact_checks", (json_int_t)r->exact_checks,
                     "listed", listed);
}

/* The result of the unsharded run from the N parts of lmo merge: counts added, the first
 * list_cap deficient patterns in the sequence's order, Lemma 3 decided on the whole. */
static int pat_merge(pat_state *s, const lmo_cli_opts *o, lmo_err_t *err)
{
    lmo_patterns_result_struct *r = s->r;
    lmo_patterns_iter_t it;
    int rc = lmo_patterns_iter_init(it, s->in, err);
    slong d0 = fmpq_mat_nrows(s->in->X), d1 = s->in->d1, N = fmpq_mat_ncols(s->in->X);
    lmo_patterns_result_start(r, d0, d1, N, s->in->mode, s->in->list_cap);
    r->cells_per_unit = (ulong)it->T->count, r->realizable_drawn = it->drawn;
    for (slong k = 0; rc == LMO_OK && k < o->merge->n; k++) {
        const json_t *part = o->merge_parts[k], *rcs = json_object_get(part, "rank_counts");
        const char *pr = json_string_value(json_object_get(part, "prime"));
        ulong prime = pr ? strtoul(pr, NULL, 10) : 0;
        if (json_integer_value(json_object_get(json_object_get(part, "items"), "total")) !=
                (json_int_t)it->total || json_array_size(rcs) != (size_t)(N + 1))
            rc = lmo_err_set(err, LMO_EINPUT, "shard %ld: part: not this input's %lu patterns", (long)k + 1,
                             (unsigned long)it->total);
        else if (k > 0 && prime != r->prime) /* an unlucky prime redid one shard: not the same run */
            rc = lmo_err_set(err, LMO_ELIMIT, "shard %ld: prime %lu, shard 1 used %lu (an unlucky "
                             "prime in one shard); run it unsharded", (long)k + 1, (unsigned long)prime,
                             (unsigned long)r->prime);
        r->prime = prime;
        r->primes_tried = FLINT_MAX(r->primes_tried, (int)json_integer_value(json_object_get(part, "primes_tried")));
        r->checked += (ulong)json_integer_value(json_object_get(part, "checked"));
        r->full_rank += (ulong)json_integer_value(json_object_get(part, "full_rank"));
        r->deficient += (ulong)json_integer_value(json_object_get(part, "deficient"));
        r->exact_checks += (ulong)json_integer_value(json_object_get(part, "exact_checks"));
        r->min_rank = FLINT_MIN(r->min_rank, (slong)json_integer_value(json_object_get(part, "min_rank")));
        for (slong q = 0; rc == LMO_OK && q <= N; q++)
            r->rank_count[q] += (ulong)json_integer_value(json_array_get(rcs, (size_t)q));
        const json_t *listed = json_object_get(part, "listed");
        for (size_t t = 0; rc == LMO_OK && t < json_array_size(listed) && r->nlisted < r->list_cap; t++)
            if (entry_read(r->listed + r->nlisted++, json_array_get(listed, t), d0 * d1, d1, N))
                rc = lmo_err_set(err, LMO_EINPUT, "shard %ld: part.listed[%zu]: malformed", (long)k + 1, t);
    }
    lmo_patterns_iter_clear(it);
    if (rc == LMO_OK) lmo_patterns_result_finish(r, s->in);
    return rc;
}

static int pat_exact(void *p, const lmo_vector_t v, const lmo_cli_opts *o, lmo_err_t *err)
{
    pat_state *s = p;
    lmo_patterns_iter_t it;
    int rc;
    lmo_patterns_input_init(s->in, 1, 1, 1);
    lmo_patterns_result_init(s->r);
    s->list = o->list >= 0 ? o->list : LMO_PATTERNS_DEFAULT_LIST;
    if ((rc = lmo_patterns_input_set_json(s->in, v->input, &o->lim, err))) return rc;
    s->in->list_cap = FLINT_MAX(s->list, LMO_PATTERNS_DEFAULT_LIST);
    if (o->explain) { /* every deficient pattern listed, to compare pattern by pattern */
        rc = lmo_patterns_iter_init(it, s->in, err);
        if (rc == LMO_OK && it->total > (ulong)COMPARE_PATTERNS_CAP)
            rc = lmo_err_set(err, LMO_ELIMIT, "compare: %lu patterns, over the cap of %ld (one "
                             "LAPACK rank each); use mode sampled", (unsigned long)it->total,
                             (long)COMPARE_PATTERNS_CAP);
        s->in->list_cap = (slong)it->total, s->all_listed = 1;
        lmo_patterns_iter_clear(it);
        if (rc) return rc;
    }
    if (o->merge_parts) return pat_merge(s, o, err);
    if (o->shard.n) {
        rc = lmo_patterns_iter_init(it, s->in, err);
        s->shard = o->shard, s->total = it->total;
        lmo_patterns_iter_clear(it);
        if (rc) return rc;
        lmo_shard_range(&s->in->first, &s->in->end, s->total, &s->shard);
    }
    lmo_cli_progress_start(&s->progress, v->id, 0);
    s->in->progress = pat_progress, s->in->progress_arg = &s->progress;
    rc = lmo_patterns_run(s->r, s->in, err);
    if (s->progress.total == 0) s->progress.total = (long)s->r->checked; /* under 4096 */
    lmo_cli_progress(&s->progress, (long)s->r->checked);
    lmo_cli_progress_done(&s->progress);
    return rc;
}

/* The result as shown: its first s->list deficient patterns (--list, else
 * LMO_PATTERNS_DEFAULT_LIST, which lmo bless and lmo check always use), in the verdict and
 * in the certificate alike, so that the certificate covers exactly the listed patterns. */
static lmo_patterns_result_struct shown(const pat_state *s)
{
    lmo_patterns_result_struct r = *s->r;
    r.nlisted = FLINT_MIN(r.nlisted, s->list);
    return r;
}

static json_t *pat_verdict(const void *p)
{
    lmo_patterns_result_struct r = shown(p);
    return lmo_patterns_result_to_json(&r, NULL, 0);
}

static json_t *pat_certificate(const void *p, const char *id)
{
    lmo_patterns_result_struct r = shown(p);
    return lmo_patterns_certificates_to_json(&r, id);
}

static int pat_failed(const void *p)
{
    return ((const pat_state *)p)->r->lemma3.outcome == LMO_OUTCOME_VIOLATED;
}

static const char *mode_word(lmo_patterns_mode_t m)
{
    return m == LMO_PATTERNS_SAMPLED ? "sampled" : m == LMO_PATTERNS_REALIZABLE ? "realizable"
                                                                                : "exhaustive";
}

static void pat_shape(FILE *f, const void *p)
{
    const pat_state *s = p;
    fprintf(f, "%s, d0=%ld d1=%ld N=%ld, %s", mode_word(s->r->mode), (long)s->r->d0, (long)s->r->d1,
            (long)s->r->N, s->in->has_dropout ? "dropout" : "E1 = 1");
}

/* "[+-+ --+]" */
static void signs_text(char *out, const unsigned char *sg, slong d1, slong N)
{
    slong k = 0;
    out[k++] = '[';
    for (slong i = 0; i < d1; i++) {
        if (i) out[k++] = ' ';
        for (slong n = 0; n < N; n++) out[k++] = sg[i * N + n] ? '+' : '-';
    }
    out[k++] = ']';
    out[k] = '\0';
}

static void pat_text(FILE *f, const void *p, const lmo_cli_opts *o)
{
    const pat_state *s = p;
    const lmo_patterns_result_struct *r = s->r;
    char *row = malloc((size_t)(r->d1 * (r->N + 1)) + 3);
    slong shown = FLINT_MIN(r->nlisted, s->list);
    (void)o;
    fprintf(f, "  %lu patterns checked: %lu full rank, %lu deficient", (unsigned long)r->checked,
            (unsigned long)r->full_rank, (unsigned long)r->deficient);
    if (r->deficient) fprintf(f, " (lowest rank %ld)", (long)r->min_rank);
    if (r->mode == LMO_PATTERNS_REALIZABLE)
        fprintf(f, "; %lu cells per unit%s", (unsigned long)r->cells_per_unit,
                r->realizable_drawn ? ", tuples drawn" : "");
    fprintf(f, "\n");
    lmo_cli_print_theorem(f, &r->lemma3);
    for (slong t = 0; t < shown; t++) {
        slong rk = r->listed[t].cert->rank;
        signs_text(row, r->listed[t].signs, r->d1, r->N);
        fprintf(f, "  deficient %s rank %ld (minor mod %lu, %ld kernel vector%s)\n", row, (long)rk,
                (unsigned long)r->listed[t].cert->prime, (long)(r->N - rk), r->N - rk == 1 ? "" : "s");
    }
    if ((ulong)shown < r->deficient)
        fprintf(f, "  ... %lu more deficient patterns, each certified (see --list)\n",
                (unsigned long)(r->deficient - (ulong)shown));
    free(row);
}

/* ---- the fast tier ---- */

typedef struct { const unsigned char *sg; slong rank, len; } keyed;

static int cmp_keyed(const void *a, const void *b)
{
    const keyed *x = a, *y = b;
    return memcmp(x->sg, y->sg, (size_t)x->len);
}

/* Each policy ranks the mode's patterns in double (every pattern, or with a stride when
 * there are many: the counts a vector records); with every deficient pattern listed
 * (compare), each float rank is held against the exact one. The policies share one walk
 * over the patterns, done here for all of them; pat_fast_policy writes policy k's entry. */
typedef struct {
    const lmo_fast_policy_t *pols;   /* policy k is pols + k */
    ulong stride;
    ulong *cnt;                      /* per policy: checked, full, low, high */
    json_t **ex;                     /* per policy: up to 8 explained examples */
    int npol;
} fast_walk;

static int pat_fast_input(void **in, const void *p, const lmo_fast_policy_t *pols, int npol,
                          lmo_err_t *err)
{
    const pat_state *s = p;
    const lmo_patterns_result_struct *r = s->r;
    slong d0 = r->d0, d1 = r->d1, N = r->N;
    int overflow = 0, rc = LMO_OK;
    fast_walk *F = calloc(1, sizeof *F);
    lmo_patterns_iter_t it;
    if (!F) abort();
    *in = F;
    F->pols = pols, F->npol = npol;
    F->cnt = calloc(4 * (size_t)npol + 1, sizeof(ulong));
    F->ex = calloc((size_t)npol + 1, sizeof *F->ex);
    if (!F->cnt || !F->ex) abort();
    for (int k = 0; k < npol; k++) F->ex[k] = json_array();
    if ((rc = lmo_patterns_iter_init(it, s->in, err))) return lmo_patterns_iter_clear(it), rc;
    double *X = lmo_cli_mat_to_double(s->in->X, &overflow), *E = lmo_cli_mat_to_double(s->in->E,
                                                                                         &overflow);
    double sd = lmo_cli_q_to_d(s->in->s, &overflow);
    ulong stride = s->all_listed || it->total <= (ulong)FAST_PATTERNS_CAP
                   ? 1 : (it->total + FAST_PATTERNS_CAP - 1) / FAST_PATTERNS_CAP;
    ulong *cnt = F->cnt;
    keyed *keys = malloc(sizeof(keyed) * (size_t)(r->nlisted + 1));
    unsigned char *sg = malloc((size_t)(d1 * N) + 1);
    char *row = malloc((size_t)(d1 * (N + 1)) + 3), why[400];
    F->stride = stride;
    for (slong t = 0; t < r->nlisted; t++)
        keys[t] = (keyed){r->listed[t].signs, r->listed[t].cert->rank, d1 * N};
    qsort(keys, (size_t)r->nlisted, sizeof(keyed), cmp_keyed);
    for (ulong t = 0; rc == 0 && !overflow && lmo_patterns_iter_next(it, sg); t++) {
        if (t % stride) continue;
        keyed probe = {sg, N, d1 * N}, *hit = bsearch(&probe, keys, (size_t)r->nlisted,
                                                      sizeof(keyed), cmp_keyed);
        slong exact = hit ? hit->rank : N;
        for (int k = 0; k < npol && rc == 0; k++) {
            lmo_fast_rank_t fr;
            lmo_fast_rank_init(&fr);
            if (lmo_fast_pattern_rank(&fr, X, d0, E, d1, N, sd, sg, &pols[k]) != 0)
                rc = lmo_err_set(err, LMO_ELIMIT, "LAPACK failed under policy %s", pols[k].name);
            cnt[4 * k]++, cnt[4 * k + 1] += fr.rank == N;
            if (rc == 0 && s->all_listed && fr.rank != exact) {
                cnt[4 * k + (fr.rank < exact ? 2 : 3)]++;
                if (json_array_size(F->ex[k]) < 8) {
                    long kk = fr.rank < exact ? fr.rank : (long)exact;
                    signs_text(row, sg, d1, N);
                    snprintf(why, sizeof why, "%s: exact rank %ld, float rank %ld: value k=%ld is %.3e "
                             "%s threshold %.3e", row, (long)exact, fr.rank, kk + 1,
                             kk < fr.nsv ? fr.sv[kk] : 0.0, fr.rank < exact ? "<=" : ">", fr.threshold);
                    json_array_append_new(F->ex[k], json_string(why));
                }
            }
            lmo_fast_rank_clear(&fr);
        }
    }
    free(keys), free(sg), free(row), free(X), free(E);
    lmo_patterns_iter_clear(it);
    return rc ? rc : overflow ? LMO_KIND_OVERFLOW : LMO_OK;
}

static void pat_fast_clear(void *in, const void *p)
{
    fast_walk *F = in;
    (void)p;
    if (!F) return;
    for (int k = 0; F->ex && k < F->npol; k++) json_decref(F->ex[k]);
    free(F->ex), free(F->cnt), free(F);
}

static int pat_fast_policy(json_t *out, const void *p, void *in, const lmo_fast_policy_t *pol,
                           lmo_err_t *err)
{
    const fast_walk *F = in;
    long k = pol - F->pols;
    char why[400];
    (void)p, (void)err;
    ulong checked = F->cnt[4 * k], full = F->cnt[4 * k + 1], low = F->cnt[4 * k + 2],
          high = F->cnt[4 * k + 3];
    json_t *detail = json_pack("{s:I, s:I, s:O}", "float_rank_too_low", (json_int_t)low,
                               "float_rank_too_high", (json_int_t)high, "examples", F->ex[k]);
    json_t *dis = lmo_kind_fast_entry(out, pol->name,
                                      json_pack("{s:I, s:I, s:I, s:I}", "patterns_checked",
                                                (json_int_t)checked, "full_rank", (json_int_t)full,
                                                "deficient", (json_int_t)(checked - full),
                                                "stride", (json_int_t)F->stride), detail);
    if (low + high) {
        snprintf(why, sizeof why, "on %lu patterns: %lu float rank too low (exactly full or "
                 "higher), %lu too high (rounding noise on an exact dependency)",
                 (unsigned long)(low + high), (unsigned long)low, (unsigned long)high);
        json_array_append_new(dis, json_string(why));
        json_array_extend(dis, F->ex[k]);
    }
    return LMO_OK;
}

/* FloatDisagrees when a policy that saw every pattern counts a different number of
 * deficient ones; DeficientPatterns when the exact tier lists any. */
static void pat_flags(json_t *flags, const json_t *verdict, const json_t *fast)
{
    json_int_t checked = json_integer_value(json_object_get(verdict, "patterns_checked"));
    json_int_t def = json_integer_value(json_object_get(verdict, "deficient"));
    const char *key;
    json_t *val;
    int dis = 0;
    json_object_foreach((json_t *)fast, key, val) {
        json_t *c = json_object_get(val, "patterns_checked"), *d = json_object_get(val, "deficient");
        if (!c || !d) dis = 1;
        else if (json_integer_value(c) == checked && json_integer_value(d) != def) dis = 1;
    }
    if (dis) json_array_append_new(flags, json_string("FloatDisagrees"));
    if (def > 0) json_array_append_new(flags, json_string("DeficientPatterns"));
}

/* Lemma 3's outcome and its reason are lmo's reading of the paper, not certified claims. */
static const char *const pat_report[] = {"theorems", "cells_per_unit", "realizable_drawn", NULL};

/* The counts over all patterns are certified only in exhaustive mode with every deficient
 * pattern listed (the bundle then proves each other pattern of rank N); otherwise they are
 * lmo's findings, not claims (proofs/README.md). */
static void pat_split(json_t *expect, json_t *report)
{
    static const char *const counts[] = {"patterns_checked", "deficient", "full_rank", "min_rank",
                                         "rank_counts", "deficient_listed_all", NULL};
    const char *mode = json_string_value(json_object_get(expect, "mode"));
    if (mode == NULL || strcmp(mode, "exhaustive") != 0 ||
        !json_is_true(json_object_get(expect, "deficient_listed_all")))
        lmo_kind_move_members(expect, report, counts);
}

/* Frees what exact made, whatever it returned. */
static void pat_clear(void *p)
{
    pat_state *s = p;
    lmo_patterns_result_clear(s->r);
    lmo_patterns_input_clear(s->in);
}

const lmo_kind_t lmo_kind_mnn_patterns = {
    .kind = "mnn_patterns", .state_size = sizeof(pat_state), .exact = pat_exact,
    .clear = pat_clear, .verdict = pat_verdict, .certificate = pat_certificate,
    .failed = pat_failed, .fast_input = pat_fast_input, .fast_policy = pat_fast_policy,
    .fast_clear = pat_fast_clear, .shape = pat_shape, .text = pat_text,
    .flags = pat_flags, .report = pat_report, .split = pat_split, .partial = pat_partial};
