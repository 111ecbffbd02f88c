/*
 * `lmo witness`: the witness of Soudry-Carmon Theorem 5 (appendix B, Lemma 8,
 * (B.3)-(B.6); Fact 2 for L = 2) built and verified exactly (lmo/witness.h),
 * its fast-tier twin (lmo_fast/witness.h), and the generic-rank table of
 * G_{L-1} in the three dropout cases of the remarks after Theorem 5.
 *
 * Entry points for the dispatcher (cli/lmo.c) and `lmo compare`:
 *   int lmo_cmd_witness(int argc, char **argv);
 *   int lmo_compare_witness(const lmo_vector_t v, const char *file, const lmo_cli_opts *o);
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "cli.h"
#include "lmo/gen.h"
#include "lmo/witness.h"
#include "lmo_fast/witness.h"

int lmo_cmd_witness(int argc, char **argv);
int lmo_compare_witness(const lmo_vector_t v, const char *file, const lmo_cli_opts *o);

#define DEFAULT_MAX_WIDTH 3
#define DEFAULT_MAX_LAYERS 4
#define TABLE_TRIES 3

static const char WITNESS_USAGE[] =
"usage: lmo witness --widths d0,d1,...,dL --n N [options]\n"
"       lmo witness [options] FILE...                  (vectors of kind witness)\n"
"       lmo witness --generic-table [--max-width K] [--max-layers L] [--out FILE]\n"
"\n"
"The witness of Soudry & Carmon (2016), Theorem 5, appendix B: Lemma 8 needs one\n"
"point where G_{L-1} has rank N. lmo builds the point of (B.3)-(B.5) exactly\n"
"(Fact 2's X' = [1_{1 x d1} (x) I_{d0}]_{1..N} when L = 2): X' = 1, W'_l =\n"
"[1, 0, ..., 0] columns for l <= L-2, activations A'_l = 1 for l < L-2,\n"
"A'_{L-2} = [1_{1 x d_{L-1}} (x) I_{d_{L-2}}]_{1..N}, A'_{L-1} = [I_{d_{L-1}} (x)\n"
"1_{1 x d_{L-2}}]_{1..N}, realised as dropout with every pre-activation > 0 and\n"
"W'_{L-1}, W'_L all ones; runs the exact forward pass; forms G'_{L-1} =\n"
"Delta_{L-1} o V_{L-2} (5.2), (5.4); checks G'_{L-1} = [I_{d_{L-2} d_{L-1}}]_{1..N}\n"
"(B.6) and its certified rank N. N > d_{L-2} d_{L-1} has no witness (exit 2).\n"
"\n"
"options:\n"
"  --widths LIST    d0,...,dL: every width >= 1, dL = 1, L >= 2\n"
"  --n N            number of samples, 1 <= N <= d_{L-2} d_{L-1}\n"
"  --json           one JSON object per input on stdout: id, widths, N and the\n"
"                   expect keys of kind witness (layer, witness {X, slope, weights,\n"
"                   dropout, activations}, differentiable, activations_match,\n"
"                   G_identity, rank, full_column_rank)\n"
"  --cert FILE      write the witness certificate (lmo-cert/1, claim \"witness\",\n"
"                   format in oracle/include/lmo/witness.h); a directory with\n"
"                   several FILE inputs\n"
"  --policy P       also decide (B.6) in double under policy P (repeatable)\n"
"  --generic        also what Lemma 8 concludes: a random rational point (X,\n"
"                   E_1..E_{L-1}, W_1..W_L of random sign, drawn from --seed) with\n"
"                   the same widths and N, and the certified rank of its G_{L-1}\n"
"                   (a non-zero minor mod a random prime; exit 1 if below N)\n"
"  --seed S         seed of the primes and of the random points of --generic and\n"
"                   --generic-table (default 0; the witness verdict never depends on it)\n"
"  --quiet          print nothing but errors\n"
"  --max-entries N, --max-dim N: caps on the witness's matrices (exit 3 beyond)\n"
"\n"
"generic-rank table (CSV on stdout, or --out FILE written atomically):\n"
"  --generic-table  for every width list d0..dL (2 <= L <= --max-layers, widths in\n"
"                   1..--max-width, dL = 1; defaults %d and %d), every N in\n"
"                   1..d_{L-2} d_{L-1} and each dropout case: (i) E_l random in\n"
"                   every layer, (ii) E_1..E_{L-3} = 1, (iii) E_1..E_{L-2} = 1.\n"
"                   Columns: widths (d0-d1-...-dL), L, N, case, threshold (the\n"
"                   paper's: N <= threshold gives rank N; d_{L-2} d_{L-1} in (i),\n"
"                   (ii), d_{L-1} min_{l<=L-2} d_l in (iii)), bound = min(N,\n"
"                   threshold), rank_active (exact rank at random all-active\n"
"                   points: a proven lower bound of that pattern's generic rank),\n"
"                   upper_active (its upper bound by dimension counting), rank_random\n"
"                   (exact rank at a random point of random sign), rows\n"
"                   (d_{L-2} d_{L-1}), status (tight: every rank = bound; exceeds:\n"
"                   rank_random > bound; below: a rank under the bound).\n"
"                   scripts/witness-plot turns the CSV into a PNG.\n"
"\n"
"exit: 0 the witness is verified (and matches expect when present; table: no\n"
"row below its bound), 1 it is not, 2 bad input or usage, 3 limit or internal\n"
"error.\n";

/* ------------------------------------------------------------ helpers */

/* "2,3,2,1" -> d (malloc'ed); -1 on a bad spelling */
static int parse_widths(slong **d, slong *nw, const char *s)
{
    slong cap = 1;
    for (const char *c = s; *c; c++) cap += *c == ',';
    *d = malloc(sizeof(slong) * (size_t) (cap + 1));
    *nw = 0;
    const char *p = s;
    for (;;) {
        char *end;
        if (*p < '0' || *p > '9') break;
        errno = 0;
        long long v = strtoll(p, &end, 10);
        if (errno || v > WORD_MAX / 4) break;
        (*d)[(*nw)++] = (slong) v;
        if (*end == '\0') return 0;
        if (*end != ',') break;
        p = end + 1;
    }
    free(*d);
    *d = NULL;
    return -1;
}

static int parse_pos(slong *x, const char *s)
{
    char *end;
    if (*s < '0' || *s > '9') return -1;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || *end != '\0' || v > WORD_MAX / 4) return -1;
    *x = (slong) v;
    return 0;
}

static json_t *widths_json(const slong *d, slong L)
{
    json_t *a = json_array();
    for (slong l = 0; l <= L; l++) json_array_append_new(a, json_integer(d[l]));
    return a;
}

static void print_widths(FILE *f, const slong *d, slong L, const char *sep)
{
    for (slong l = 0; l <= L; l++) fprintf(f, "%s%ld", l ? sep : "", (long) d[l]);
}

/* Fast-tier decisions of the witness under each policy: {policy: {G_identity,
 * rank, full_column_rank}}; with detail also max_dev, tol, threshold. */
static int fast_decisions(json_t **out, const slong *d, slong L, slong N, const lmo_fast_policy_t *pols,
                          int npol, int detail, lmo_err_t *err)
{
    long *ld = malloc(sizeof(long) * (size_t) (L + 1));
    for (slong l = 0; l <= L; l++) ld[l] = (long) d[l];
    lmo_fast_witness_t fw;
    int rc = LMO_OK;
    *out = json_object();
    if (lmo_fast_witness_build(&fw, ld, (long) L, (long) N) != 0) {
        free(ld);
        json_decref(*out);
        *out = NULL;
        return lmo_err_set(err, LMO_ELIMIT, "internal: the fast tier refused widths the oracle accepted");
    }
    for (int p = 0; p < npol && rc == LMO_OK; p++) {
        lmo_fast_witness_result_t fr;
        lmo_fast_witness_result_init(&fr);
        if (lmo_fast_witness_run(&fr, &fw, &pols[p]) != 0) {
            rc = lmo_err_set(err, LMO_ELIMIT, "LAPACK failed under policy %s (info %d)", pols[p].name,
                             fr.rank.info);
        } else {
            json_t *j = json_pack("{s:b, s:I, s:b}", "G_identity", fr.identity, "rank",
                                  (json_int_t) fr.rank.rank, "full_column_rank", fr.rank.rank == N);
            if (detail) {
                char b[64];
                snprintf(b, sizeof b, "%a", fr.max_dev);
                json_object_set_new(j, "max_dev", json_string(b));
                snprintf(b, sizeof b, "%a", fr.tol);
                json_object_set_new(j, "identity_tol", json_string(b));
                snprintf(b, sizeof b, "%a", fr.rank.threshold);
                json_object_set_new(j, "threshold", json_string(b));
                if (fr.rank.nsv > 0) {
                    snprintf(b, sizeof b, "%a", fr.rank.sv[fr.rank.nsv - 1]);
                    json_object_set_new(j, "smallest_value", json_string(b));
                }
            }
            json_object_set_new(*out, pols[p].name, j);
        }
        lmo_fast_witness_result_clear(&fr);
    }
    lmo_fast_witness_clear(&fw);
    free(ld);
    if (rc) { json_decref(*out); *out = NULL; }
    return rc;
}

/* ---------------------------------------------------- one witness */

typedef struct {
    const char *file;      /* for messages: the vector file or "witness" */
    const char *id;        /* vector id or "cli" */
    const json_t *expect;  /* NULL: none */
    int generic;           /* --generic: also a random rational point */
} run_ctx;

static void print_human(const lmo_witness_t w, const lmo_witness_result_t r, const char *id)
{
    slong L = w->L, N = w->N, k = L - 2, rows = w->d[L - 2] * w->d[L - 1];
    printf("%s: witness of Theorem 5, L=%ld, widths ", id, (long) L);
    print_widths(stdout, w->d, L, ",");
    printf(", N=%ld (d_{L-2} d_{L-1} = %ld)\n", (long) N, (long) rows);
    if (L == 2)
        printf("  Fact 2: X' = [1_{1x%ld} (x) I_%ld]_{1..%ld}, A'_1 = [I_%ld (x) 1_{1x%ld}]_{1..%ld}\n",
               (long) w->d[1], (long) w->d[0], (long) N, (long) w->d[1], (long) w->d[0], (long) N);
    else {
        printf("  (B.3)-(B.5): X' = 1, W'_l = [1, 0, ..., 0] for l <= %ld, ", (long) k);
        if (k > 1) printf("A'_l = 1 for l < %ld, ", (long) k);
        printf("A'_%ld = [1_{1x%ld} (x) I_%ld]_{1..%ld}, A'_%ld = [I_%ld (x) 1_{1x%ld}]_{1..%ld}\n",
               (long) k, (long) w->d[L - 1], (long) w->d[k], (long) N, (long) (L - 1),
               (long) w->d[L - 1], (long) w->d[k], (long) N);
    }
    printf("  exact forward pass: %s; activations %s A'\n",
           r->differentiable ? "every hidden pre-activation is non-zero (differentiable)"
                             : "SOME PRE-ACTIVATION IS 0",
           r->activations_match ? "equal" : "DIFFER FROM");
    if (r->identity)
        printf("  G'_%ld (%ld x %ld) = [I_%ld]_{1..%ld}: yes (B.6)\n", (long) (L - 1), (long) rows, (long) N,
               (long) rows, (long) N);
    else
        printf("  G'_%ld = [I_%ld]_{1..%ld}: NO, first difference at row %ld, column %ld\n", (long) (L - 1),
               (long) rows, (long) N, (long) r->bad_row, (long) r->bad_col);
    if (r->certified)
        printf("  rank G'_%ld = %ld%s (certified: minor mod %lu, %ld kernel vectors)\n", (long) (L - 1),
               (long) r->rank->rank, r->rank->rank == N ? " = N" : " < N", (unsigned long) r->rank->prime,
               (long) (r->rank->n - r->rank->rank));
    if (r->holds) {
        /* the variables of (B.1)-(B.2): X, E_1..E_{L-1}, W_1..W_{L-2} */
        printf("  => Lemma 8: rank G_%ld = %ld for almost every (X", (long) (L - 1), (long) N);
        for (slong l = 1; l < L; l++) printf(", E_%ld", (long) l);
        for (slong l = 1; l <= k; l++) printf(", W_%ld", (long) l);
        printf(") with this activation pattern\n");
    }
}

/* Build, verify, report one witness. Returns the exit code. */
static int run_one(const slong *d, slong L, slong N, const run_ctx *ctx, const lmo_cli_opts *o)
{
    lmo_err_t err;
    lmo_err_clear(&err);
    lmo_witness_t w;
    lmo_witness_result_t r;
    lmo_witness_init(w);
    lmo_witness_result_init(r);
    int rc = lmo_witness_build(w, d, L, N, &err);
    if (rc == 0) {
        lmo_cli_progress("%s: exact witness...", ctx->file);
        rc = lmo_witness_verify(r, w, 1, o->seed, &err);
        lmo_cli_progress("%s", "");
    }
    if (rc) rc = lmo_cli_report(ctx->file, &err);
    if (rc == 0 && o->cert) rc = lmo_cli_write_cert(lmo_witness_cert_to_json(w, ctx->id), ctx->id, ctx->file, o);
    /* Lemma 8's conclusion at a random rational point (case (i), random signs) */
    slong grank = -1;
    ulong gprime = 0;
    int gdiff = 0;
    if (rc == 0 && ctx->generic) {
        lmo_rng_t rng;
        fmpq_mat_t G;
        lmo_rank_t R;
        lmo_gen_rng(&rng, "witness-generic-point", o->seed, 0);
        lmo_rank_init(R);
        rc = lmo_witness_random_G(G, &gdiff, d, L, N, LMO_WITNESS_CASE_ALL, 0, &rng, &err);
        if (rc == 0) {
            rc = lmo_rank_certified(R, G, o->seed, &err);
            fmpq_mat_clear(G);
        }
        grank = R->rank;
        gprime = R->prime;
        lmo_rank_clear(R);
        if (rc) rc = lmo_cli_report(ctx->file, &err);
    }
    json_t *fast = NULL;
    if (rc == 0 && o->npolicies > 0 && fast_decisions(&fast, d, L, N, o->policies, o->npolicies, 1, &err))
        rc = lmo_cli_report(ctx->file, &err);
    if (rc == 0) {
        json_t *got = lmo_witness_expect_to_json(w, r), *problems = json_array();
        int same = 1;
        if (ctx->expect) {
            const char *key; json_t *val;
            json_object_foreach((json_t *) ctx->expect, key, val) {
                json_t *g = json_object_get(got, key);
                json_t *a = lmo_json_canonical_numbers(val), *b = g ? lmo_json_canonical_numbers(g) : NULL;
                if (b == NULL || !json_equal(a, b)) {
                    char *sa = json_dumps(a, JSON_ENCODE_ANY | JSON_COMPACT | JSON_SORT_KEYS);
                    char *sb = b ? json_dumps(b, JSON_ENCODE_ANY | JSON_COMPACT | JSON_SORT_KEYS) : strdup("(missing)");
                    char line[600];
                    snprintf(line, sizeof line, "expect.%s: stored %.200s, now %.200s", key, sa, sb);
                    json_array_append_new(problems, json_string(line));
                    free(sa); free(sb);
                    same = 0;
                }
                json_decref(a);
                if (b) json_decref(b);
            }
        }
        int fast_ok = 1;
        if (fast) {
            const char *key; json_t *val;
            json_object_foreach(fast, key, val) {
                int ok = json_is_true(json_object_get(val, "G_identity"))
                         && json_integer_value(json_object_get(val, "rank")) == N;
                json_object_set_new(val, "agree", json_boolean(ok));
                fast_ok &= ok;
            }
        }
        int gen_ok = !ctx->generic || grank == N;
        rc = (r->holds && same && fast_ok && gen_ok) ? 0 : 1;
        if (o->json) {
            json_t *j = got;
            got = NULL;
            json_object_set_new(j, "id", json_string(ctx->id));
            if (strcmp(ctx->file, "witness") != 0) json_object_set_new(j, "file", json_string(ctx->file));
            json_object_set_new(j, "widths", widths_json(d, L));
            json_object_set_new(j, "N", json_integer(N));
            json_object_set_new(j, "holds", json_boolean(r->holds));
            if (ctx->generic) {
                char pb[32];
                snprintf(pb, sizeof pb, "%lu", (unsigned long) gprime);
                json_object_set_new(j, "generic", json_pack("{s:I, s:s, s:b}", "rank", (json_int_t) grank,
                                                            "prime", pb, "differentiable", gdiff));
            }
            if (fast) json_object_set(j, "fast", fast);
            if (ctx->expect) {
                json_object_set_new(j, "expect_matches", json_boolean(same));
                json_object_set(j, "expect_problems", problems);
            }
            lmo_cli_print_json(j);
            json_decref(j);
        } else if (!o->quiet) {
            print_human(w, r, ctx->id);
            if (ctx->generic)
                printf("  random rational point (seed %lu, dropout in every layer, %s): rank G_%ld = %ld%s "
                       "(certified: minor mod %lu)\n", (unsigned long) o->seed,
                       gdiff ? "differentiable" : "NOT differentiable", (long) (L - 1), (long) grank,
                       grank == N ? " = N, as Lemma 8 concludes" : " < N", (unsigned long) gprime);
            if (fast) {
                const char *key; json_t *val;
                json_object_foreach(fast, key, val)
                    printf("  fast %-12s G' = [I]: %s (max dev %s), rank %ld %s\n", key,
                           json_is_true(json_object_get(val, "G_identity")) ? "yes" : "NO",
                           json_string_value(json_object_get(val, "max_dev")),
                           (long) json_integer_value(json_object_get(val, "rank")),
                           json_is_true(json_object_get(val, "agree")) ? "agree" : "DISAGREE");
            }
            for (size_t i = 0; i < json_array_size(problems); i++)
                printf("  MISMATCH %s\n", json_string_value(json_array_get(problems, i)));
        }
        json_decref(got);
        json_decref(problems);
    }
    json_decref(fast);
    lmo_witness_result_clear(r);
    lmo_witness_clear(w);
    return rc;
}

static int run_vector(const char *file, int generic, const lmo_cli_opts *o)
{
    lmo_err_t err;
    lmo_err_clear(&err);
    lmo_vector_t v;
    lmo_vector_init(v);
    int rc = lmo_vector_read_file(v, file, &o->lim, &err);
    slong *d = NULL, L = 0, N = 0;
    if (rc == 0 && strcmp(v->kind, "witness") != 0)
        rc = lmo_err_set(&err, LMO_EINPUT, "kind: \"%s\" is not witness", v->kind);
    if (rc == 0) rc = lmo_witness_input_set_json(&d, &L, &N, v->input, &o->lim, &err);
    if (rc) rc = lmo_cli_report(file, &err);
    else {
        run_ctx ctx = { file, v->id, v->expect, generic };
        rc = run_one(d, L, N, &ctx, o);
    }
    flint_free(d);
    lmo_vector_clear(v);
    return rc;
}

/* ------------------------------------------------- the generic table */

static int write_table(FILE *f, slong K, slong maxL, ulong seed, long *counts, lmo_err_t *err)
{
    fprintf(f, "widths,L,N,case,threshold,bound,rank_active,upper_active,rank_random,rows,status\n");
    slong index = 0;
    for (slong L = 2; L <= maxL; L++) {
        slong d[64], total = 1;
        for (slong l = 0; l < L; l++) { d[l] = 1; total *= K; }
        d[L] = 1;
        for (slong t = 0; t < total; t++) {
            slong x = t;                   /* d0 varies slowest */
            for (slong l = L - 1; l >= 0; l--) { d[l] = 1 + x % K; x /= K; }
            slong R = d[L - 2] * d[L - 1];
            lmo_witness_table_row_t *rows = flint_malloc(sizeof(lmo_witness_table_row_t) * (size_t) R);
            for (int c = 0; c < 3; c++) {
                lmo_rng_t rng;
                lmo_gen_rng(&rng, "witness-generic-table", seed, index++);
                lmo_cli_progress("lmo witness --generic-table: L=%ld, %ld/%ld", (long) L, (long) (t + 1),
                                 (long) total);
                if (lmo_witness_table_rows(rows, d, L, (lmo_witness_case_t) c, &rng, TABLE_TRIES, seed, err)) {
                    flint_free(rows);
                    return err->code;
                }
                for (slong n = 0; n < R; n++) {
                    const lmo_witness_table_row_t *w = rows + n;
                    print_widths(f, d, L, "-");
                    fprintf(f, ",%ld,%ld,%s,%ld,%ld,%ld,%ld,%ld,%ld,%s\n", (long) L, (long) w->N,
                            lmo_witness_case_name((lmo_witness_case_t) c), (long) w->threshold,
                            (long) w->bound, (long) w->rank_active, (long) w->upper_active,
                            (long) w->rank_random, (long) w->rows, w->status);
                    counts[strcmp(w->status, "tight") == 0 ? 0 : strcmp(w->status, "exceeds") == 0 ? 1 : 2]++;
                }
            }
            flint_free(rows);
        }
    }
    lmo_cli_progress("%s", "");
    return LMO_OK;
}

static int generic_table(slong K, slong maxL, const lmo_cli_opts *o)
{
    lmo_err_t err;
    lmo_err_clear(&err);
    long counts[3] = { 0, 0, 0 };
    const char *out = o->out && strcmp(o->out, "-") != 0 ? o->out : NULL;
    char *tmp = NULL;
    FILE *f = stdout;
    if (out) {
        /* atomic: a temporary file in the same directory, fsync, rename */
        size_t n = strlen(out) + 16;
        tmp = malloc(n);
        snprintf(tmp, n, "%s.tmp.XXXXXX", out);
        int fd = mkstemp(tmp);
        if (fd < 0 || (f = fdopen(fd, "w")) == NULL) {
            fprintf(stderr, "lmo witness: --out: cannot create %s: %s\n", out, strerror(errno));
            if (fd >= 0) { close(fd); unlink(tmp); }
            free(tmp);
            return LMO_EINPUT;
        }
    }
    int rc = write_table(f, K, maxL, o->seed, counts, &err);
    if (out) {
        int ok = rc == 0 && fflush(f) == 0 && fsync(fileno(f)) == 0;
        ok = fclose(f) == 0 && ok;
        if (ok) chmod(tmp, 0644);
        if (!ok || rename(tmp, out) != 0) {
            unlink(tmp);
            if (rc == 0) {
                fprintf(stderr, "lmo witness: --out: write failed: %s: %s\n", out, strerror(errno));
                rc = LMO_ELIMIT;
            }
        }
        free(tmp);
    }
    if (rc) return lmo_cli_report("--generic-table", &err);
    if (out && !o->quiet)
        printf("lmo witness: %ld rows in %s: %ld tight, %ld exceeds, %ld below\n",
               counts[0] + counts[1] + counts[2], out, counts[0], counts[1], counts[2]);
    return counts[2] ? 1 : 0;
}

/* ----------------------------------------------------------- command */

int lmo_cmd_witness(int argc, char **argv)
{
    char usage[sizeof WITNESS_USAGE + 32];
    snprintf(usage, sizeof usage, WITNESS_USAGE, DEFAULT_MAX_WIDTH, DEFAULT_MAX_LAYERS);
    /* our own options first; the rest goes to the common parser */
    const char *widths = NULL, *nstr = NULL, *kstr = NULL, *lstr = NULL;
    int table = 0, generic = 0;
    char **rest = malloc(sizeof(char *) * (size_t) (argc + 1));
    int nrest = 0;
    rest[nrest++] = argv[0];
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char **slot = strcmp(a, "--widths") == 0 ? &widths : strcmp(a, "--n") == 0 ? &nstr
                          : strcmp(a, "--max-width") == 0 ? &kstr : strcmp(a, "--max-layers") == 0 ? &lstr
                          : NULL;
        if (slot) {
            if (i + 1 >= argc) {
                fprintf(stderr, "lmo witness: option %s needs a value\n", a);
                free(rest);
                return LMO_EINPUT;
            }
            *slot = argv[++i];
        } else if (strcmp(a, "--generic-table") == 0) {
            table = 1;
        } else if (strcmp(a, "--generic") == 0) {
            generic = 1;
        } else {
            rest[nrest++] = argv[i];
        }
    }
    lmo_cli_opts o;
    int rc = lmo_cli_parse(&o, nrest, rest, usage);
    if (rc) { lmo_cli_opts_clear(&o); free(rest); return rc < 0 ? 0 : rc; }
    rc = 0;
    if (table) {
        slong K = DEFAULT_MAX_WIDTH, maxL = DEFAULT_MAX_LAYERS;
        if (widths || nstr || o.nfiles || generic) {
            fprintf(stderr, "lmo witness: --generic-table takes no --widths, --n, --generic or FILE\n");
            rc = LMO_EINPUT;
        } else if (kstr && (parse_pos(&K, kstr) || K < 1 || K > 16)) {
            fprintf(stderr, "lmo witness: --max-width: expected an integer in 1..16, got \"%s\"\n", kstr);
            rc = LMO_EINPUT;
        } else if (lstr && (parse_pos(&maxL, lstr) || maxL < 2 || maxL > 8)) {
            fprintf(stderr, "lmo witness: --max-layers: expected an integer in 2..8, got \"%s\"\n", lstr);
            rc = LMO_EINPUT;
        } else {
            rc = generic_table(K, maxL, &o);
        }
    } else if (kstr || lstr) {
        fprintf(stderr, "lmo witness: --max-width and --max-layers go with --generic-table\n");
        rc = LMO_EINPUT;
    } else if (widths || nstr) {
        slong *d = NULL, nw = 0, N = 0;
        lmo_err_t err;
        lmo_err_clear(&err);
        if (o.nfiles) {
            fprintf(stderr, "lmo witness: give either --widths and --n or vector FILEs, not both\n");
            rc = LMO_EINPUT;
        } else if (widths == NULL) {
            fprintf(stderr, "lmo witness: --widths: required with --n (d0,d1,...,dL)\n");
            rc = LMO_EINPUT;
        } else if (parse_widths(&d, &nw, widths)) {
            fprintf(stderr, "lmo witness: --widths: expected comma-separated non-negative integers "
                    "d0,d1,...,dL, got \"%s\"\n", widths);
            rc = LMO_EINPUT;
        } else if (nstr == NULL) {
            fprintf(stderr, "lmo witness: --n: required with --widths (the number of samples N)\n");
            rc = LMO_EINPUT;
        } else if (parse_pos(&N, nstr)) {
            fprintf(stderr, "lmo witness: --n: expected a positive integer, got \"%s\"\n", nstr);
            rc = LMO_EINPUT;
        } else if (lmo_witness_check_shape(d, nw, N, "--widths", "--n", &o.lim, &err)) {
            fprintf(stderr, "lmo witness: %s\n", err.msg);
            rc = err.code;
        } else {
            run_ctx ctx = { "witness", "cli", NULL, generic };
            rc = run_one(d, nw - 1, N, &ctx, &o);
        }
        free(d);
    } else if (o.nfiles == 0) {
        fprintf(stderr, "lmo witness: give --widths d0,...,dL --n N, vector FILEs, or --generic-table "
                "(see lmo witness --help)\n");
        rc = LMO_EINPUT;
    } else {
        for (int f = 0; f < o.nfiles; f++) {
            int r1 = run_vector(o.files[f], generic, &o);   /* FLINT_MAX evaluates twice */
            rc = FLINT_MAX(rc, r1);
        }
    }
    lmo_cli_opts_clear(&o);
    free(rest);
    return rc;
}

/* ------------------------------------------------------- lmo compare */

int lmo_compare_witness(const lmo_vector_t v, const char *file, const lmo_cli_opts *o)
{
    lmo_err_t err;
    lmo_err_clear(&err);
    slong *d = NULL, L = 0, N = 0;
    int rc = strcmp(v->kind, "witness") != 0
             ? lmo_err_set(&err, LMO_EINPUT, "kind: \"%s\" is not witness", v->kind)
             : lmo_witness_input_set_json(&d, &L, &N, v->input, &o->lim, &err);
    if (rc) return lmo_cli_report(file, &err);
    lmo_witness_t w;
    lmo_witness_result_t r;
    lmo_witness_init(w);
    lmo_witness_result_init(r);
    rc = lmo_witness_build(w, d, L, N, &err);
    if (rc == 0) rc = lmo_witness_verify(r, w, 1, o->seed, &err);
    lmo_fast_policy_t pols[LMO_CLI_MAX_POLICIES];
    int npol = o->npolicies;
    if (npol) memcpy(pols, o->policies, sizeof(lmo_fast_policy_t) * (size_t) npol);
    else { lmo_fast_policy_parse(&pols[0], "numpy"); lmo_fast_policy_parse(&pols[1], "qrcp"); npol = 2; }
    json_t *fast = NULL;
    if (rc == 0) rc = fast_decisions(&fast, d, L, N, pols, npol, 1, &err);
    if (rc) {
        rc = lmo_cli_report(file, &err);
    } else {
        slong er = r->rank->rank;
        int human = !o->json && !o->quiet, ndis = 0;
        if (human) {
            printf("%s (witness, widths ", v->id);
            print_widths(stdout, d, L, ",");
            printf(", N=%ld): exact G'_%ld = [I]_{1..N}: %s, rank %ld\n", (long) N, (long) (L - 1),
                   r->identity ? "yes" : "NO", (long) er);
        }
        const char *key; json_t *val;
        json_object_foreach(fast, key, val) {
            int fid = json_is_true(json_object_get(val, "G_identity"));
            slong fr = (slong) json_integer_value(json_object_get(val, "rank"));
            int agree = fid == r->identity && fr == er;
            json_object_set_new(val, "agree", json_boolean(agree));
            if (!agree) {
                char why[400];
                if (fr != er)
                    snprintf(why, sizeof why, "rank G'_%ld: float %ld, exact %ld (smallest value %s, "
                             "threshold %s)", (long) (L - 1), (long) fr, (long) er,
                             json_string_value(json_object_get(val, "smallest_value")),
                             json_string_value(json_object_get(val, "threshold")));
                else
                    snprintf(why, sizeof why, "G' = [I]: float %s (max |G' - I| = %s, tol %s), exact %s",
                             fid ? "yes" : "no", json_string_value(json_object_get(val, "max_dev")),
                             json_string_value(json_object_get(val, "identity_tol")),
                             r->identity ? "yes" : "no");
                json_object_set_new(val, "why", json_string(why));
                ndis++;
                if (human) printf("  %-12s rank %-4ld DISAGREE: %s\n", key, (long) fr, why);
            } else if (human) {
                printf("  %-12s rank %-4ld agree\n", key, (long) fr);
            }
        }
        if (o->json) {
            json_t *j = json_pack("{s:s, s:s, s:s, s:o, s:I, s:b, s:I, s:b, s:O, s:b}", "id", v->id,
                                  "file", file, "kind", v->kind, "widths", widths_json(d, L), "N",
                                  (json_int_t) N, "G_identity", r->identity, "rank", (json_int_t) er,
                                  "full_column_rank", er == N, "fast", fast, "agree", ndis == 0);
            lmo_cli_print_json(j);
            json_decref(j);
        }
        rc = ndis ? 1 : 0;
    }
    json_decref(fast);
    lmo_witness_result_clear(r);
    lmo_witness_clear(w);
    flint_free(d);
    return rc;
}
