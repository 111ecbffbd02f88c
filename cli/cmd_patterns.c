/*
 * `lmo patterns`: Lemma 3 of Soudry & Carmon over activation patterns for a
 * vector of kind mnn_patterns (lmo/patterns.h): rank of G1^p = A1^p o X for
 * every pattern of the mode (exhaustive, sampled, realizable), each
 * deficient one listed with its certificate, and the prediction.
 *
 * Entry points for the dispatcher (cli/lmo.c) and the kind table
 * (cli/kinds.c):
 *   int lmo_cmd_patterns(int argc, char **argv);
 *   int lmo_compare_patterns(const lmo_vector_t v, const char *file, const lmo_cli_opts *o);
 *   int lmo_kind_patterns_exact(json_t **expect, json_t **cert, const lmo_vector_t v,
 *                               const lmo_cli_opts *o, lmo_err_t *err);
 *   int lmo_kind_patterns_fast(json_t **fast, const lmo_vector_t v, const lmo_fast_policy_t *pols,
 *                              int npol, const lmo_cli_opts *o, lmo_err_t *err);
 *   void lmo_kind_patterns_flags(json_t *flags, const json_t *expect, const json_t *fast);
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "kinds.h"
#include "lmo/patterns.h"
#include "lmo_fast/mnn.h"

int lmo_cmd_patterns(int argc, char **argv);
int lmo_compare_patterns(const lmo_vector_t v, const char *file, const lmo_cli_opts *o);
int lmo_kind_patterns_exact(json_t **expect, json_t **cert, const lmo_vector_t v,
                            const lmo_cli_opts *o, lmo_err_t *err);
int lmo_kind_patterns_fast(json_t **fast, const lmo_vector_t v, const lmo_fast_policy_t *pols,
                           int npol, const lmo_cli_opts *o, lmo_err_t *err);
void lmo_kind_patterns_flags(json_t *flags, const json_t *expect, const json_t *fast);

/* The fast tier replays at most this many patterns of the sequence (evenly
 * strided): one LAPACK rank per pattern and policy. */
#define FAST_PATTERNS_CAP (WORD(1) << 14)
/* lmo compare checks every pattern of the sequence up to this many. */
#define COMPARE_PATTERNS_CAP (WORD(1) << 20)

static const char PATTERNS_USAGE[] =
"usage: lmo patterns [options] FILE...\n"
"\n"
"Lemma 3 of Soudry & Carmon (2016) for each vector of kind mnn_patterns: the\n"
"exact rank of G1^p = A1^p o X (4.4) for the activation patterns p of the mode:\n"
"  exhaustive  all 2^(N*d1) patterns (N*d1 <= 24)\n"
"  sampled     `count` patterns drawn with `seed`\n"
"  realizable  the patterns differentiable weights produce: per unit the cells\n"
"              of the arrangement {w : w.x^(n) = 0}, combined over the d1 units\n"
"Every deficient pattern gets an exact certificate (minor mod p, kernel vectors);\n"
"the first --list of them are printed. Prediction: with N <= d0*d1 and non-trivial\n"
"dropout E1 (no zero entry, rank >= 2) every pattern has rank N; with E1 = 1\n"
"(plain leaky ReLU) the theorem claims nothing and deficient patterns are listed.\n"
"FILE may be - for stdin.\n"
"\n"
"options:\n"
"  --list K         list at most K deficient patterns (default 64)\n"
"  --json           one JSON object per input on stdout (expect keys of kind\n"
"                   mnn_patterns, with the listed patterns' certificates)\n"
"  --cert FILE      write the listed patterns' certificates (one lmo-cert/1 bundle)\n"
"  --quiet          print nothing but errors\n"
"  --max-entries N, --max-bits N, --max-dim N: input caps (exit 3 beyond)\n"
"\n"
"exit: 0 the prediction holds or does not apply (and the result matches expect\n"
"when present), 1 Lemma 3's prediction fails or a mismatch with expect, 2 bad\n"
"input or usage, 3 limit (e.g. exhaustive beyond N*d1 = 24) or internal error.\n";

static void empty_input(lmo_patterns_input_t in) { lmo_patterns_input_init(in, 1, 1, 1); }

static int load_input(lmo_patterns_input_t in, const lmo_vector_t v, const lmo_cli_opts *o, lmo_err_t *err)
{
    if (strcmp(v->kind, "mnn_patterns") != 0)
        return lmo_err_set(err, LMO_EINPUT, "kind: \"%s\" is not mnn_patterns", v->kind);
    return lmo_patterns_input_set_json(in, v->input, &o->lim, err);
}

static void print_signs(const unsigned char *sg, slong d1, slong N)
{
    for (slong i = 0; i < d1; i++) {
        putchar(i ? ' ' : '[');
        for (slong n = 0; n < N; n++) putchar(sg[i * N + n] ? '+' : '-');
    }
    putchar(']');
}

static const char *mode_word(lmo_patterns_mode_t m)
{
    return m == LMO_PATTERNS_SAMPLED ? "sampled" : m == LMO_PATTERNS_REALIZABLE ? "realizable" : "exhaustive";
}

/* Pull "--list K" out of argv (the common parser does not know it). */
static int take_list_option(int *argc, char **argv, slong *list)
{
    int w = 1;
    for (int i = 1; i < *argc; i++) {
        if (strcmp(argv[i], "--list") == 0) {
            char *end;
            if (i + 1 >= *argc) { fprintf(stderr, "lmo patterns: option --list needs a value\n"); return LMO_EINPUT; }
            long long k = strtoll(argv[i + 1], &end, 10);
            if (*end != '\0' || k < 0 || k > (1LL << 30)) {
                fprintf(stderr, "lmo patterns: --list: expected a non-negative integer, got \"%s\"\n", argv[i + 1]);
                return LMO_EINPUT;
            }
            *list = (slong) k;
            i++;
        } else {
            argv[w++] = argv[i];
        }
    }
    *argc = w;
    return 0;
}

int lmo_cmd_patterns(int argc, char **argv)
{
    slong list = LMO_PATTERNS_DEFAULT_LIST;
    char **av = malloc(sizeof(char *) * (size_t) (argc + 1));
    memcpy(av, argv, sizeof(char *) * (size_t) argc);
    int ac = argc;
    int rc = take_list_option(&ac, av, &list);
    if (rc) { free(av); return rc; }
    lmo_cli_opts o;
    rc = lmo_cli_start(&o, ac, av, PATTERNS_USAGE, 1);
    int worst = 0;
    if (rc >= 0) { free(av); return rc; }
    for (int f = 0; f < o.nfiles; f++) {
        const char *file = o.files[f];
        lmo_err_t err;
        lmo_err_clear(&err);
        lmo_vector_t v;
        lmo_vector_init(v);
        if ((rc = lmo_vector_read_file(v, file, &o.lim, &err))) {
            { int rr = lmo_cli_report(file, &err); worst = FLINT_MAX(worst, rr); }
            continue;
        }
        lmo_patterns_input_t in;
        empty_input(in);
        lmo_patterns_result_t r;
        lmo_patterns_result_init(r);
        rc = load_input(in, v, &o, &err);
        if (rc == 0) {
            in->list_cap = list;
            lmo_cli_progress("%s: checking patterns...", file);
            rc = lmo_patterns_run(r, in, &err);
            lmo_cli_progress("%s", "");
        }
        if (rc) rc = lmo_cli_report(file, &err);
        if (rc == 0 && o.cert)
            rc = lmo_cli_write_cert(lmo_patterns_certificates_to_json(r, v->id), v->id, file, &o);
        if (rc == 0) {
            /* expect was made with the default listing length */
            slong saved = r->nlisted;
            if (r->nlisted > LMO_PATTERNS_DEFAULT_LIST) r->nlisted = LMO_PATTERNS_DEFAULT_LIST;
            json_t *got = lmo_patterns_result_to_json(r, v->id, 0), *problems = json_array();
            r->nlisted = saved;
            int same = v->expect ? lmo_cli_diff_members(problems, v->expect, got, "expect") : 1;
            rc = (r->lemma3 == LMO_PRED_VIOLATED || !same) ? 1 : 0;
            if (o.json) {
                json_t *j = lmo_patterns_result_to_json(r, v->id, 1);
                json_object_set_new(j, "id", json_string(v->id));
                json_object_set_new(j, "file", json_string(file));
                json_object_set_new(j, "kind", json_string(v->kind));
                if (v->expect) {
                    json_object_set_new(j, "expect_matches", json_boolean(same));
                    json_object_set(j, "expect_problems", problems);
                }
                lmo_cli_print_json(j);
                json_decref(j);
            } else if (!o.quiet) {
                printf("%s: mnn_patterns %s, d0=%ld d1=%ld N=%ld%s: %lu patterns checked, %lu full rank, "
                       "%lu deficient", v->id, mode_word(r->mode), (long) r->d0, (long) r->d1, (long) r->N,
                       in->has_dropout ? ", dropout" : ", E1 = 1", (unsigned long) r->checked,
                       (unsigned long) r->full_rank, (unsigned long) r->deficient);
                if (r->deficient) printf(" (lowest rank %ld)", (long) r->min_rank);
                if (r->mode == LMO_PATTERNS_REALIZABLE)
                    printf("; %lu cells per unit%s", (unsigned long) r->cells_per_unit,
                           r->realizable_drawn ? ", tuples drawn" : "");
                printf("\n  Lemma 3 %s: %s\n", r->lemma3 == LMO_PRED_VIOLATED ? "VIOLATED"
                       : r->lemma3 == LMO_PRED_HOLDS ? "holds" : "not applicable", r->lemma3_reason);
                for (slong t = 0; t < r->nlisted; t++) {
                    printf("  deficient ");
                    print_signs(r->listed[t].signs, r->d1, r->N);
                    printf(" rank %ld (minor mod %lu, %ld kernel vector%s)\n", (long) r->listed[t].cert->rank,
                           (unsigned long) r->listed[t].cert->prime, (long) (r->N - r->listed[t].cert->rank),
                           r->N - r->listed[t].cert->rank == 1 ? "" : "s");
                }
                if ((ulong) r->nlisted < r->deficient)
                    printf("  ... %lu more deficient patterns, each certified (see --list)\n",
                           (unsigned long) (r->deficient - (ulong) r->nlisted));
                for (size_t i = 0; i < json_array_size(problems); i++)
                    printf("  MISMATCH %s\n", json_string_value(json_array_get(problems, i)));
            }
            json_decref(got);
            json_decref(problems);
        }
        lmo_patterns_result_clear(r);
        lmo_patterns_input_clear(in);
        lmo_vector_clear(v);
        worst = FLINT_MAX(worst, rc);
    }
    lmo_cli_opts_clear(&o);
    free(av);
    return worst;
}

/* ------------------------------------------------------ kind operations */

int lmo_kind_patterns_exact(json_t **expect, json_t **cert, const lmo_vector_t v,
                            const lmo_cli_opts *o, lmo_err_t *err)
{
    lmo_patterns_input_t in;
    empty_input(in);
    lmo_patterns_result_t r;
    lmo_patterns_result_init(r);
    int rc = load_input(in, v, o, err);
    if (rc == 0) rc = lmo_patterns_run(r, in, err);
    if (rc == 0) {
        *expect = lmo_patterns_result_to_json(r, v->id, 0);
        /* one rank certificate per listed deficient pattern; lmo-check
         * rebuilds each G1^p = A^p o X itself */
        *cert = lmo_patterns_certificates_to_json(r, v->id);
    }
    lmo_patterns_result_clear(r);
    lmo_patterns_input_clear(in);
    return rc;
}

typedef struct {
    double *X, *E, s;
    int overflow;
} fast_data;

static void fast_data_init(fast_data *F, const lmo_patterns_input_t in)
{
    int of = 0;
    F->overflow = 0;
    F->X = lmo_cli_mat_to_double(in->X, &of); F->overflow |= of;
    F->E = lmo_cli_mat_to_double(in->E, &of); F->overflow |= of;
    fmpq_mat_t s;
    fmpq_mat_init(s, 1, 1);
    fmpq_set(fmpq_mat_entry(s, 0, 0), in->s);
    double *sd = lmo_cli_mat_to_double(s, &of);
    F->overflow |= of;
    F->s = sd[0];
    free(sd);
    fmpq_mat_clear(s);
}

static void fast_data_clear(fast_data *F) { free(F->X); free(F->E); }

int lmo_kind_patterns_fast(json_t **fast, const lmo_vector_t v, const lmo_fast_policy_t *pols,
                           int npol, const lmo_cli_opts *o, lmo_err_t *err)
{
    lmo_patterns_input_t in;
    empty_input(in);
    int rc = load_input(in, v, o, err);
    lmo_patterns_iter_t it;
    if (rc == 0) rc = lmo_patterns_iter_init(it, in, err);
    else lmo_topes_init(it->T);
    if (rc) { lmo_patterns_iter_clear(it); lmo_patterns_input_clear(in); return rc; }
    slong d0 = fmpq_mat_nrows(in->X), d1 = in->d1, N = fmpq_mat_ncols(in->X);
    fast_data F;
    fast_data_init(&F, in);
    ulong stride = it->total > (ulong) FAST_PATTERNS_CAP ? (it->total + FAST_PATTERNS_CAP - 1) / FAST_PATTERNS_CAP : 1;
    ulong *checked = calloc((size_t) npol + 1, sizeof(ulong)), *full = calloc((size_t) npol + 1, sizeof(ulong));
    unsigned char *sg = malloc((size_t) (d1 * N) + 1);
    for (ulong t = 0; rc == 0 && !F.overflow && lmo_patterns_iter_next(it, sg); t++) {
        if (t % stride) continue;
        for (int p = 0; p < npol && rc == 0; p++) {
            lmo_fast_rank_t fr;
            lmo_fast_rank_init(&fr);
            if (lmo_fast_pattern_rank(&fr, F.X, d0, F.E, d1, N, F.s, sg, &pols[p]) != 0)
                rc = lmo_err_set(err, LMO_ELIMIT, "LAPACK failed under policy %s", pols[p].name);
            checked[p]++;
            full[p] += fr.rank == N;
            lmo_fast_rank_clear(&fr);
        }
    }
    *fast = json_object();
    for (int p = 0; p < npol && rc == 0; p++) {
        if (F.overflow)
            json_object_set_new(*fast, pols[p].name, json_pack("{s:s}", "why", "an input overflows double"));
        else
            json_object_set_new(*fast, pols[p].name,
                                json_pack("{s:I, s:I, s:I, s:I}", "patterns_checked", (json_int_t) checked[p],
                                          "full_rank", (json_int_t) full[p],
                                          "deficient", (json_int_t) (checked[p] - full[p]),
                                          "stride", (json_int_t) stride));
    }
    free(sg); free(checked); free(full);
    fast_data_clear(&F);
    lmo_patterns_iter_clear(it);
    lmo_patterns_input_clear(in);
    if (rc) { json_decref(*fast); *fast = NULL; }
    return rc;
}

/* FloatDisagrees when a policy that saw every pattern counts a different
 * number of deficient ones; DeficientPatterns when the exact tier lists any. */
void lmo_kind_patterns_flags(json_t *flags, const json_t *expect, const json_t *fast)
{
    json_int_t checked = json_integer_value(json_object_get(expect, "patterns_checked"));
    json_int_t def = json_integer_value(json_object_get(expect, "deficient"));
    const char *key; json_t *val;
    int dis = 0;
    json_object_foreach((json_t *) fast, key, val) {
        json_t *c = json_object_get(val, "patterns_checked"), *d = json_object_get(val, "deficient");
        if (!c || !d) { dis = 1; continue; }
        if (json_integer_value(c) == checked && json_integer_value(d) != def) dis = 1;
    }
    if (dis) json_array_append_new(flags, json_string("FloatDisagrees"));
    if (def > 0) json_array_append_new(flags, json_string("DeficientPatterns"));
    const char *pred = json_string_value(json_object_get(expect, "prediction"));
    if (pred && strcmp(pred, "violated") == 0) json_array_append_new(flags, json_string("PredictionViolated"));
}

/* Lemma 3's outcome and its reason are lmo's reading of the paper. The
 * counts over all patterns are certified only in exhaustive mode with every
 * deficient pattern listed (the bundle then proves each other pattern of
 * rank N); otherwise they are lmo's findings, not claims (proofs/README.md). */
void lmo_kind_patterns_split(json_t *expect, json_t *report)
{
    static const char *const always[] = { "prediction", "prediction_reason", "cells_per_unit",
                                          "realizable_drawn", NULL };
    static const char *const counts[] = { "patterns_checked", "deficient", "full_rank", "min_rank",
                                          "rank_counts", "deficient_listed_all", NULL };
    const char *mode = json_string_value(json_object_get(expect, "mode"));
    lmo_kind_move_members(expect, report, always);
    if (mode == NULL || strcmp(mode, "exhaustive") != 0
        || !json_is_true(json_object_get(expect, "deficient_listed_all")))
        lmo_kind_move_members(expect, report, counts);
}

/* ------------------------------------------------------- lmo compare */

typedef struct { const unsigned char *sg; slong rank, len; } keyed;

static int cmp_keyed(const void *a, const void *b)
{
    const keyed *x = a, *y = b;
    return memcmp(x->sg, y->sg, (size_t) x->len);
}

int lmo_compare_patterns(const lmo_vector_t v, const char *file, const lmo_cli_opts *o)
{
    lmo_err_t err;
    lmo_err_clear(&err);
    lmo_patterns_input_t in;
    empty_input(in);
    lmo_patterns_result_t r;
    lmo_patterns_result_init(r);
    lmo_patterns_iter_t it;
    lmo_topes_init(it->T);
    int rc = load_input(in, v, o, &err);
    if (rc == 0) {
        lmo_topes_clear(it->T);
        rc = lmo_patterns_iter_init(it, in, &err);
    }
    if (rc == 0 && it->total > (ulong) COMPARE_PATTERNS_CAP)
        rc = lmo_err_set(&err, LMO_ELIMIT, "compare: %lu patterns, over the cap of %ld (one LAPACK rank "
                         "each); use mode sampled", (unsigned long) it->total, (long) COMPARE_PATTERNS_CAP);
    if (rc == 0) {
        in->list_cap = (slong) it->total;   /* every deficient pattern, to look up the exact rank */
        rc = lmo_patterns_run(r, in, &err);
    }
    if (rc) {
        rc = lmo_cli_report(file, &err);
        lmo_patterns_iter_clear(it);
        lmo_patterns_result_clear(r);
        lmo_patterns_input_clear(in);
        return rc;
    }
    slong d0 = r->d0, d1 = r->d1, N = r->N;
    keyed *keys = malloc(sizeof(keyed) * (size_t) (r->nlisted + 1));
    for (slong t = 0; t < r->nlisted; t++) {
        keys[t].sg = r->listed[t].signs;
        keys[t].rank = r->listed[t].cert->rank;
        keys[t].len = d1 * N;
    }
    qsort(keys, (size_t) r->nlisted, sizeof(keyed), cmp_keyed);

    lmo_fast_policy_t pols[LMO_CLI_MAX_POLICIES];
    int npol = o->npolicies;
    if (npol) memcpy(pols, o->policies, sizeof(lmo_fast_policy_t) * (size_t) npol);
    else { lmo_fast_policy_parse(&pols[0], "numpy"); lmo_fast_policy_parse(&pols[1], "qrcp"); npol = 2; }
    fast_data F;
    fast_data_init(&F, in);
    int human = !o->json && !o->quiet;
    ulong *low = calloc((size_t) npol, sizeof(ulong)), *high = calloc((size_t) npol, sizeof(ulong));
    json_t **ex = malloc(sizeof(json_t *) * (size_t) npol);
    for (int p = 0; p < npol; p++) ex[p] = json_array();
    unsigned char *sg = malloc((size_t) (d1 * N) + 1);
    char *row = malloc((size_t) (d1 * (N + 1)) + 1);
    while (!F.overflow && rc == 0 && lmo_patterns_iter_next(it, sg)) {
        keyed probe = { sg, N, d1 * N }, *hit = bsearch(&probe, keys, (size_t) r->nlisted, sizeof(keyed), cmp_keyed);
        slong exact = hit ? hit->rank : N;
        for (int p = 0; p < npol && rc == 0; p++) {
            lmo_fast_rank_t fr;
            lmo_fast_rank_init(&fr);
            if (lmo_fast_pattern_rank(&fr, F.X, d0, F.E, d1, N, F.s, sg, &pols[p]) != 0) {
                lmo_err_set(&err, LMO_ELIMIT, "LAPACK failed under policy %s", pols[p].name);
                rc = lmo_cli_report(file, &err);
            } else if (fr.rank != exact) {
                if (fr.rank < exact) low[p]++; else high[p]++;
                if (json_array_size(ex[p]) < 8) {
                    slong k = 0;
                    for (slong i = 0; i < d1; i++) {
                        if (i) row[k++] = ' ';
                        for (slong n = 0; n < N; n++) row[k++] = sg[i * N + n] ? '+' : '-';
                    }
                    row[k] = '\0';
                    long kk = fr.rank < exact ? fr.rank : (long) exact;
                    double sv = kk < fr.nsv ? fr.sv[kk] : 0;
                    char why[400];
                    snprintf(why, sizeof why, "[%s]: exact rank %ld, %s rank %ld: value k=%ld is %.3e %s "
                             "threshold %.3e", row, (long) exact, pols[p].name, fr.rank, kk + 1, sv,
                             fr.rank < exact ? "<=" : ">", fr.threshold);
                    json_array_append_new(ex[p], json_string(why));
                }
            }
            lmo_fast_rank_clear(&fr);
        }
    }
    ulong ndis = 0;
    json_t *jp = json_object();
    if (human)
        printf("%s (mnn_patterns %s, %lu patterns): exact %lu full rank, %lu deficient\n", v->id,
               mode_word(r->mode), (unsigned long) r->checked, (unsigned long) r->full_rank,
               (unsigned long) r->deficient);
    for (int p = 0; p < npol && rc == 0; p++) {
        ulong d = low[p] + high[p];
        ndis += d + (F.overflow ? 1 : 0);
        if (human) {
            if (F.overflow) printf("  %-12s DISAGREE: an input overflows double precision\n", pols[p].name);
            else if (d == 0) printf("  %-12s agree on every pattern\n", pols[p].name);
            else {
                printf("  %-12s DISAGREE on %lu patterns: %lu float rank too low (exactly full or higher), "
                       "%lu too high (rounding noise on an exact dependency)\n", pols[p].name,
                       (unsigned long) d, (unsigned long) low[p], (unsigned long) high[p]);
                for (size_t i = 0; i < json_array_size(ex[p]); i++)
                    printf("    %s\n", json_string_value(json_array_get(ex[p], i)));
            }
        }
        json_object_set_new(jp, pols[p].name,
                            json_pack("{s:I, s:I, s:b, s:O}", "float_rank_too_low", (json_int_t) low[p],
                                      "float_rank_too_high", (json_int_t) high[p],
                                      "agree", d == 0 && !F.overflow, "examples", ex[p]));
    }
    if (rc == 0 && o->json) {
        json_t *j = json_object();
        json_object_set_new(j, "id", json_string(v->id));
        json_object_set_new(j, "file", json_string(file));
        json_object_set_new(j, "kind", json_string(v->kind));
        json_object_set_new(j, "patterns_checked", json_integer((json_int_t) r->checked));
        json_object_set_new(j, "deficient", json_integer((json_int_t) r->deficient));
        json_object_set(j, "fast", jp);
        json_object_set_new(j, "agree", json_boolean(ndis == 0));
        lmo_cli_print_json(j);
        json_decref(j);
    }
    json_decref(jp);
    for (int p = 0; p < npol; p++) json_decref(ex[p]);
    free(ex); free(low); free(high); free(sg); free(row); free(keys);
    fast_data_clear(&F);
    lmo_patterns_iter_clear(it);
    lmo_patterns_result_clear(r);
    lmo_patterns_input_clear(in);
    if (rc) return rc;
    return ndis ? 1 : 0;
}
