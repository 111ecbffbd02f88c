/* `lmo witness`: the Lemma 8 witness of Soudry & Carmon (2016) from --widths and --n (a
 * witness vector made on the spot), from vector FILEs (the driver, kind witness), or the
 * generic-rank table of every small width list (--generic-table, CSV). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "commands.h"
#include "lmo/core/gen.h"
#include "lmo/soudry_carmon/witness.h"

#define DEFAULT_MAX_WIDTH 3
#define DEFAULT_MAX_LAYERS 4
#define TABLE_TRIES 3

/* A non-negative integer of at most WORD_MAX / 4, into *x; -1 on a bad spelling. */
static int parse_count(slong *x, const char *s, const char **end)
{
    char *e;
    if (*s < '0' || *s > '9') return -1;
    errno = 0;
    long long v = strtoll(s, &e, 10);
    if (errno || v > WORD_MAX / 4 || (!end && *e)) return -1;
    if (end) *end = e;
    *x = (slong)v;
    return 0;
}

/* "2,3,2,1" -> the JSON array of widths, or NULL */
static json_t *parse_widths(const char *s)
{
    json_t *a = json_array();
    for (const char *p = s;;) {
        slong w;
        if (parse_count(&w, p, &p)) break;
        json_array_append_new(a, json_integer(w));
        if (*p == '\0') return a;
        if (*p++ != ',') break;
    }
    json_decref(a);
    return NULL;
}

/* The table's items, in order: for L = 2..maxL, each width list t (d0 slowest) and each
 * dropout case c, the rows of every N; item `index` draws from (seed, index) alone. */
static ulong table_items(slong K, slong maxL)
{
    ulong total = 0, kl = (ulong)K; /* K^L width lists d0..d(L-1) for each L */
    for (slong L = 2; L <= maxL; L++) kl *= (ulong)K, total += 3 * kl;
    return total;
}

/* One item's rows into f, its statuses counted in counts (tight, beyond Lemma 8, below). */
static int table_item(FILE *f, const slong *d, slong L, int c, slong index, ulong seed,
                      long *counts, lmo_err_t *err)
{
    slong R = d[L - 2] * d[L - 1];
    lmo_witness_table_row_t *rows = flint_malloc(sizeof(lmo_witness_table_row_t) * (size_t)R);
    lmo_rng_t rng;
    lmo_gen_rng(&rng, "witness-generic-table", seed, index);
    if (lmo_witness_table_rows(rows, d, L, (lmo_witness_case_t)c, &rng, TABLE_TRIES, seed, err))
        return flint_free(rows), err->code;
    for (slong n = 0; n < R; n++) {
        const lmo_witness_table_row_t *w = rows + n;
        for (slong l = 0; l <= L; l++) fprintf(f, "%s%ld", l ? "-" : "", (long)d[l]);
        fprintf(f, ",%ld,%ld,%s,%ld,%ld,%ld,%ld,%ld,%ld,%s\n", (long)L, (long)w->N,
                lmo_witness_case_name((lmo_witness_case_t)c), (long)w->threshold,
                (long)w->bound, (long)w->rank_active, (long)w->upper_active,
                (long)w->rank_random, (long)w->rows, w->status);
        counts[!strcmp(w->status, "tight") ? 0 : !strcmp(w->status, "beyond_lemma8") ? 1 : 2]++;
    }
    flint_free(rows);
    return LMO_OK;
}

/* Item `index` of the sweep: computed into f, or (--shard) into the part's list when it is
 * in the shard's block, or (lmo merge) copied from the part that has it. */
static int table_step(FILE *f, json_t *rows, const json_t *const *parts, slong *cursor,
                      const slong *d, slong L, int c, slong index, const lmo_cli_opts *o,
                      long *counts, lmo_err_t *err)
{
    if (parts) { /* blocks in order: the next item of the merge is the next entry */
        const json_t *list = NULL, *e = NULL;
        while (cursor[0] < o->merge->n &&
               (size_t)cursor[1] >= json_array_size(list = json_object_get(parts[cursor[0]], "rows")))
            cursor[0]++, cursor[1] = 0;
        if (cursor[0] < o->merge->n) e = json_array_get(list, (size_t)cursor[1]++);
        const json_t *cnt = json_object_get(e, "counts");
        const char *csv = json_string_value(json_object_get(e, "csv"));
        if (!csv || json_integer_value(json_object_get(e, "index")) != index || json_array_size(cnt) != 3)
            return lmo_err_set(err, LMO_EINPUT, "shard %ld: part.rows: item %ld missing or malformed",
                               (long)cursor[0] + 1, (long)index);
        fputs(csv, f);
        for (int k = 0; k < 3; k++) counts[k] += (long)json_integer_value(json_array_get(cnt, (size_t)k));
        return LMO_OK;
    }
    if (!rows) return table_item(f, d, L, c, index, o->seed, counts, err);
    char *buf = NULL;
    size_t len = 0;
    long mine[3] = {0, 0, 0};
    FILE *m = open_memstream(&buf, &len);
    int rc = m ? table_item(m, d, L, c, index, o->seed, mine, err)
               : lmo_err_set(err, LMO_ELIMIT, "out of memory");
    if (m) fclose(m);
    if (rc == LMO_OK)
        json_array_append_new(rows, json_pack("{s:I, s:s, s:[i, i, i]}", "index", (json_int_t)index,
                                              "csv", buf, "counts", (int)mine[0], (int)mine[1],
                                              (int)mine[2]));
    free(buf);
    return rc;
}

/* The table into f; with --shard only the shard's items, into rows (f unused). */
static int write_table(FILE *f, json_t *rows, slong K, slong maxL, const lmo_cli_opts *o,
                       long *counts, lmo_err_t *err)
{
    slong index = 0, cursor[2] = {0, 0};
    ulong total = table_items(K, maxL), first = 0, end = total, merged;
    const json_t **parts = NULL;
    int rc = LMO_OK;
    if (o->merge) {
        parts = calloc((size_t)o->merge->n, sizeof *parts);
        if ((rc = lmo_shard_merge_input(parts, &merged, o->merge, 0, err)) == LMO_OK && merged != total)
            rc = lmo_err_set(err, LMO_EINPUT, "part.items.total: %lu items, this table has %lu",
                             (unsigned long)merged, (unsigned long)total);
    }
    if (rows) lmo_shard_range(&first, &end, total, &o->shard);
    if (!rows) fprintf(f, "widths,L,N,case,threshold,bound,rank_active,upper_active,rank_random,rows,status\n");
    for (slong L = 2; L <= maxL && rc == LMO_OK; L++) {
        slong d[64], nt = 1;
        lmo_cli_progress_t pr;
        for (slong l = 0; l < L; l++) d[l] = 1, nt *= K;
        d[L] = 1;
        lmo_cli_progress_start(&pr, "lmo witness --generic-table", nt);
        for (slong t = 0; t < nt && rc == LMO_OK; t++) {
            slong x = t; /* d0 varies slowest */
            for (slong l = L - 1; l >= 0; l--) d[l] = 1 + x % K, x /= K;
            for (int c = 0; c < 3 && rc == LMO_OK; c++, index++)
                if ((ulong)index >= first && (ulong)index < end)
                    rc = table_step(f, rows, parts, cursor, d, L, c, index, o, counts, err);
            lmo_cli_progress(&pr, t + 1);
        }
        lmo_cli_progress_done(&pr);
    }
    free(parts);
    if (rc == LMO_OK && (ulong)index != total) /* the blocks would not be the table's */
        rc = lmo_err_set(err, LMO_ELIMIT, "%ld items, table_items says %lu (internal error)",
                         (long)index, (unsigned long)total);
    return rc;
}

/* --generic-table --shard K/N: the partial of the table's items (cli/shard.h) on stdout. */
static int table_shard(slong K, slong maxL, const lmo_cli_opts *o)
{
    lmo_err_t err;
    long counts[3] = {0, 0, 0};
    json_t *doc = lmo_shard_partial_new("witness", o->argc, o->argv, &o->shard), *rows = json_array();
    lmo_err_clear(&err);
    int rc = write_table(NULL, rows, K, maxL, o, counts, &err);
    if (rc) {
        json_decref(rows), json_decref(doc);
        return lmo_cli_report("--generic-table", &err);
    }
    json_array_append_new(json_object_get(doc, "inputs"), json_pack(
        "{s:s, s:{s:o, s:o}}", "file", "--generic-table", "part", "items",
        lmo_shard_items_json(table_items(K, maxL), &o->shard), "rows", rows));
    lmo_cli_print_json(doc);
    json_decref(doc);
    return 0;
}

static int generic_table(slong K, slong maxL, const lmo_cli_opts *o)
{
    lmo_err_t err;
    long counts[3] = {0, 0, 0};
    const char *out = o->out && strcmp(o->out, "-") ? o->out : NULL;
    char *tmp = NULL;
    FILE *f = stdout;
    lmo_err_clear(&err);
    if (out) { /* atomic: a temporary file in the same directory, fsync, rename */
        size_t n = strlen(out) + 16;
        tmp = malloc(n);
        snprintf(tmp, n, "%s.tmp.XXXXXX", out);
        int fd = mkstemp(tmp);
        if (fd < 0 || (f = fdopen(fd, "w")) == NULL) {
            fprintf(stderr, "lmo witness: --out: cannot create %s: %s\n", out, strerror(errno));
            if (fd >= 0) close(fd), unlink(tmp);
            free(tmp);
            return LMO_EINPUT;
        }
    }
    int rc = write_table(f, NULL, K, maxL, o, counts, &err);
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
        printf("lmo witness: %ld rows in %s: %ld tight, %ld beyond Lemma 8, %ld below\n",
               counts[0] + counts[1] + counts[2], out, counts[0], counts[1], counts[2]);
    return counts[2] ? 1 : 0;
}

/* --widths and --n: a witness vector made on the spot, through the driver. */
static int from_widths(const lmo_drive_t *d, const lmo_cli_opts *o)
{
    json_t *widths = parse_widths(o->widths);
    slong N;
    if (!widths) {
        fprintf(stderr, "lmo witness: --widths: expected comma-separated non-negative integers "
                "d0,d1,...,dL, got \"%s\"\n", o->widths);
        return LMO_EINPUT;
    }
    if (!o->n || parse_count(&N, o->n, NULL) || N < 1) {
        fprintf(stderr, "lmo witness: --n: %s\n", o->n ? "expected a positive integer"
                : "required with --widths (the number of samples N)");
        json_decref(widths);
        return LMO_EINPUT;
    }
    /* the shape checked under the command line's names before it becomes a vector */
    slong nw = (slong)json_array_size(widths), *dd = flint_malloc(sizeof(slong) * (size_t)(nw + 1));
    lmo_err_t err;
    for (slong l = 0; l < nw; l++) dd[l] = (slong)json_integer_value(json_array_get(widths, l));
    int bad = lmo_witness_check_shape(dd, nw, N, "--widths", "--n", &o->lim, &err);
    flint_free(dd);
    if (bad) {
        fprintf(stderr, "lmo witness: %s\n", err.msg);
        json_decref(widths);
        return err.code;
    }
    json_t *doc = json_pack("{s:s, s:s, s:s, s:s, s:{s:o, s:I}}", "format", "lmo-vector/1", "kind",
                            "witness", "id", "cli", "source", "lmo witness --widths", "input",
                            "widths", widths, "N", (json_int_t)N);
    char *text = lmo_json_dumps_canonical(doc);
    lmo_vector_t v;
    lmo_vector_init(v);
    int rc = lmo_vector_read_string(v, text, &o->lim, &err);
    rc = rc ? lmo_cli_report("--widths", &err) : lmo_drive_vector(d, v, "(command line)", o);
    lmo_vector_clear(v);
    free(text);
    json_decref(doc);
    return rc;
}

int lmo_cmd_witness(const lmo_command_t *c, int argc, char **argv)
{
    static const char *const kinds[] = {"witness", NULL};
    lmo_drive_t d = {c->name, c->mode, kinds};
    lmo_cli_opts o;
    slong K = DEFAULT_MAX_WIDTH, maxL = DEFAULT_MAX_LAYERS;
    int rc = lmo_cli_start(&o, argc, argv, c->usage, c->options, 0);
    if (rc >= 0) return rc;
    rc = LMO_EINPUT;
    if (o.generic_table) {
        if (o.widths || o.n || o.nfiles || o.generic)
            fprintf(stderr, "lmo witness: --generic-table takes no --widths, --n, --generic or FILE\n");
        else if (o.max_width && (parse_count(&K, o.max_width, NULL) || K < 1 || K > 16))
            fprintf(stderr, "lmo witness: --max-width: expected an integer in 1..16, got \"%s\"\n",
                    o.max_width);
        else if (o.max_layers && (parse_count(&maxL, o.max_layers, NULL) || maxL < 2 || maxL > 8))
            fprintf(stderr, "lmo witness: --max-layers: expected an integer in 2..8, got \"%s\"\n",
                    o.max_layers);
        else
            rc = o.shard.n ? table_shard(K, maxL, &o) : generic_table(K, maxL, &o);
    } else if (o.shard.n) {
        fprintf(stderr, "lmo witness: --shard goes with --generic-table\n");
    } else if (o.max_width || o.max_layers || o.out) {
        fprintf(stderr, "lmo witness: --max-width, --max-layers and --out go with --generic-table\n");
    } else if (o.widths || o.n) {
        if (o.nfiles) fprintf(stderr, "lmo witness: give either --widths and --n or vector FILEs, not both\n");
        else if (!o.widths) fprintf(stderr, "lmo witness: --widths: required with --n (d0,d1,...,dL)\n");
        else rc = from_widths(&d, &o);
    } else if (o.nfiles == 0) {
        fprintf(stderr, "lmo witness: give --widths d0,...,dL --n N, vector FILEs, or --generic-table "
                "(see lmo witness --help)\n");
    } else {
        rc = lmo_drive(&d, &o);
    }
    lmo_cli_opts_clear(&o);
    return rc;
}
