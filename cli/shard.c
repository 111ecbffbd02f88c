/* Deterministic shards of a sweep and the partials lmo merge reads (cli/shard.h). */
#include <stdlib.h>
#include <string.h>
#include "shard.h"

int lmo_shard_parse(lmo_shard_t *s, const char *text)
{
    char *end;
    if (*text < '0' || *text > '9') return -1;
    long k = strtol(text, &end, 10);
    if (*end != '/' || end[1] < '0' || end[1] > '9') return -1;
    long n = strtol(end + 1, &end, 10);
    if (*end || k < 1 || n < k || n > LMO_SHARD_MAX) return -1;
    s->k = k, s->n = n;
    return 0;
}

void lmo_shard_range(ulong *first, ulong *end, ulong total, const lmo_shard_t *s)
{
    if (s->n == 0) {
        *first = 0, *end = total;
        return;
    }
    ulong q = total / (ulong)s->n, r = total % (ulong)s->n, k = (ulong)s->k - 1;
    *first = k * q + FLINT_MIN(k, r);
    *end = *first + q + (k < r);
}

json_t *lmo_shard_items_json(ulong total, const lmo_shard_t *s)
{
    ulong first, end;
    lmo_shard_range(&first, &end, total, s);
    return json_pack("{s:I, s:I, s:I}", "total", (json_int_t)total, "first", (json_int_t)first,
                     "end", (json_int_t)end);
}

json_t *lmo_shard_partial_new(const char *command, int argc, char *const *argv,
                              const lmo_shard_t *s)
{
    json_t *args = json_array();
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--shard")) { /* the one argument that does not name the work */
            i++;
            continue;
        }
        json_array_append_new(args, json_string(argv[i]));
    }
    return json_pack("{s:s, s:s, s:o, s:{s:I, s:I}, s:[]}", "format", LMO_PARTIAL_FORMAT,
                     "command", command, "args", args, "shard", "k", (json_int_t)s->k, "n",
                     (json_int_t)s->n, "inputs");
}

/* ---- lmo merge ---- */

static const lmo_shard_merge_t *merging;

void lmo_shard_merge_set(const lmo_shard_merge_t *m)
{
    merging = m;
}

const lmo_shard_merge_t *lmo_shard_merge_get(void)
{
    return merging;
}

void lmo_shard_merge_clear(lmo_shard_merge_t *m)
{
    for (slong k = 0; m->parts && k < m->n; k++) json_decref(m->parts[k]);
    free(m->parts);
    m->parts = NULL, m->n = 0;
}

/* K and N of partial doc, or an error naming FILE. */
static int shard_of(slong *k, slong *n, const json_t *doc, const char *file, lmo_err_t *err)
{
    const json_t *sh = json_object_get(doc, "shard");
    const char *fmt = json_string_value(json_object_get(doc, "format"));
    if (!fmt || strcmp(fmt, LMO_PARTIAL_FORMAT))
        return lmo_err_set(err, LMO_EINPUT, "%s: format: not an %s partial (made with --shard K/N)",
                           file, LMO_PARTIAL_FORMAT);
    *k = (slong)json_integer_value(json_object_get(sh, "k"));
    *n = (slong)json_integer_value(json_object_get(sh, "n"));
    if (!json_is_string(json_object_get(doc, "command")) ||
        !json_is_array(json_object_get(doc, "args")) || !json_is_array(json_object_get(doc, "inputs")))
        return lmo_err_set(err, LMO_EINPUT, "%s: command, args and inputs: missing", file);
    if (*n < 1 || *n > LMO_SHARD_MAX || *k < 1 || *k > *n)
        return lmo_err_set(err, LMO_EINPUT, "%s: shard: not 1 <= k <= n", file);
    return LMO_OK;
}

int lmo_shard_merge_load(lmo_shard_merge_t *m, const char **command, const json_t **args,
                         int nfiles, char *const *files, lmo_err_t *err)
{
    json_t **docs = calloc((size_t)nfiles + 1, sizeof *docs);
    char **from = calloc((size_t)nfiles + 1, sizeof *from);
    slong n = 0;
    int rc = LMO_OK;
    m->parts = NULL, m->n = 0;
    for (int f = 0; f < nfiles && rc == LMO_OK; f++) {
        json_error_t je;
        slong k = 0, nf = 0;
        json_t *doc = !strcmp(files[f], "-") ? json_loadf(stdin, 0, &je) : json_load_file(files[f], 0, &je);
        if (!doc) {
            rc = lmo_err_set(err, LMO_EINPUT, "%s: not JSON: %s (line %d)", files[f], je.text, je.line);
            break;
        }
        if ((rc = shard_of(&k, &nf, doc, files[f], err))) {
            json_decref(doc);
            break;
        }
        if (f == 0) {
            m->n = n = nf;
            m->parts = calloc((size_t)n, sizeof(json_t *));
            *command = json_string_value(json_object_get(doc, "command"));
            *args = json_object_get(doc, "args");
        } else if (nf != n) {
            rc = lmo_err_set(err, LMO_EINPUT, "%s: shard: n = %ld, but %s has n = %ld", files[f],
                             (long)nf, files[0], (long)n);
        } else if (strcmp(json_string_value(json_object_get(doc, "command")), *command) ||
                   !json_equal(json_object_get(doc, "args"), (json_t *)*args)) {
            rc = lmo_err_set(err, LMO_EINPUT, "%s: command, args: another sweep than %s's", files[f],
                             files[0]);
        } else if (m->parts[k - 1]) {
            rc = lmo_err_set(err, LMO_EINPUT, "%s: shard: k = %ld twice (also %s)", files[f], (long)k,
                             from[k - 1]);
        }
        if (rc == LMO_OK && f > 0 && json_array_size(json_object_get(doc, "inputs")) !=
                                         json_array_size(json_object_get(docs[0], "inputs")))
            rc = lmo_err_set(err, LMO_EINPUT, "%s: inputs: not as many as in %s", files[f], files[0]);
        docs[f] = doc;
        if (rc == LMO_OK) m->parts[k - 1] = json_incref(doc), from[k - 1] = files[f];
    }
    for (slong k = 0; rc == LMO_OK && k < n; k++)
        if (!m->parts[k])
            rc = lmo_err_set(err, LMO_EINPUT, "%s: shard %ld of %ld is missing (%d partial%s given)",
                             files[0], (long)k + 1, (long)n, nfiles, nfiles == 1 ? "" : "s");
    if (rc == LMO_OK) { /* pointing into a part, which outlives docs */
        *command = json_string_value(json_object_get(m->parts[0], "command"));
        *args = json_object_get(m->parts[0], "args");
    }
    for (int f = 0; f < nfiles; f++) json_decref(docs[f]);
    free(docs), free(from);
    if (rc) lmo_shard_merge_clear(m);
    return rc;
}

int lmo_shard_merge_input(const json_t **parts, ulong *total, const lmo_shard_merge_t *m,
                          size_t input, lmo_err_t *err)
{
    ulong next = 0;
    for (slong k = 0; k < m->n; k++) {
        const json_t *in = json_array_get(json_object_get(m->parts[k], "inputs"), input);
        const json_t *part = json_object_get(in, "part"), *items = json_object_get(part, "items");
        json_int_t t = json_integer_value(json_object_get(items, "total"));
        json_int_t first = json_integer_value(json_object_get(items, "first"));
        json_int_t end = json_integer_value(json_object_get(items, "end"));
        if (!json_is_object(part) || !json_is_integer(json_object_get(items, "end")))
            return lmo_err_set(err, LMO_EINPUT, "shard %ld: inputs[%zu].part.items: missing",
                               (long)k + 1, input);
        if (k == 0) *total = (ulong)t;
        if ((ulong)t != *total || (ulong)first != next || end < first || (ulong)end > *total)
            return lmo_err_set(err, LMO_EINPUT, "shard %ld: inputs[%zu].part.items: [%lld, %lld) of "
                               "%lld does not follow [0, %lu) of %lu", (long)k + 1, input,
                               (long long)first, (long long)end, (long long)t, (unsigned long)next,
                               (unsigned long)*total);
        next = (ulong)end;
        parts[k] = part;
    }
    if (next != *total)
        return lmo_err_set(err, LMO_EINPUT, "inputs[%zu].part.items: the shards cover [0, %lu) of %lu",
                           input, (unsigned long)next, (unsigned long)*total);
    return LMO_OK;
}
