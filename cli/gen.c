/* `lmo gen FAMILY --seed S --count K --out DIR`: a family (lmo/core/gen.h) makes each input,
 * deterministically; the driver blesses it (expect, report, fast, flags, certificate). */
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include "commands.h"
#include "lmo/core/gen.h"

/* Vector i of family fam, blessed (expect, report, fast, flags, certificate) into v. */
static int gen_vector(lmo_vector_t v, const lmo_gen_family_t *fam, const char *id, slong i,
                      const lmo_cli_opts *o, lmo_err_t *err)
{
    lmo_rng_t rng;
    char source[1024];
    lmo_gen_rng(&rng, fam->name, o->seed, i);
    /* the family, and the paper statement it exercises in the paper's words (DESIGN.md) */
    snprintf(source, sizeof source, "lmo gen %s --seed %lu (vector %ld): %s%s%s", fam->name,
             (unsigned long)o->seed, (long)i, fam->summary, fam->statement ? ". Statement: " : "",
             fam->statement ? fam->statement : "");
    json_t *flags = json_array(), *input = fam->make(&rng, i, flags);
    if (!input) {
        json_decref(flags);
        return lmo_err_set(err, LMO_ELIMIT, "family %s: no valid vector after many draws (internal "
                           "error)", fam->name);
    }
    json_t *doc = json_pack("{s:s, s:s, s:s, s:s, s:o, s:o}", "format", "lmo-vector/1", "kind",
                            fam->kind, "id", id, "source", source, "input", input, "flags", flags);
    /* through the reader, so a generated vector obeys every input rule */
    char *text = lmo_json_dumps_canonical(doc);
    json_decref(doc);
    lmo_cli_opts whole = *o; /* gen's shards are of its vectors: each vector is blessed whole */
    whole.shard.n = 0, whole.merge = NULL;
    int rc = lmo_vector_read_string(v, text, &o->lim, err);
    free(text);
    return rc ? rc : lmo_drive_bless(v, &whole, err);
}

/* lmo merge: vector i as its shard made it (the parts' blocks are in order, so it is the
 * next one after cursor: {part, entry}). */
static int merged_vector(lmo_vector_t v, const json_t **parts, slong n, ulong *cursor, slong i,
                         const lmo_limits_t *lim, lmo_err_t *err)
{
    const json_t *list = NULL, *e = NULL;
    while (cursor[0] < (ulong)n &&
           cursor[1] >= json_array_size(list = json_object_get(parts[cursor[0]], "vectors")))
        cursor[0]++, cursor[1] = 0;
    if (cursor[0] < (ulong)n) e = json_array_get(list, cursor[1]++);
    if (!e || json_integer_value(json_object_get(e, "index")) != i || !json_object_get(e, "vector"))
        return lmo_err_set(err, LMO_EINPUT, "shard %lu: part.vectors: vector %ld missing",
                           (unsigned long)cursor[0] + 1, (long)i);
    char *text = json_dumps(json_object_get(e, "vector"), JSON_COMPACT);
    int rc = lmo_vector_read_string(v, text, lim, err);
    free(text);
    return rc;
}

int lmo_cmd_gen(const lmo_command_t *c, int argc, char **argv)
{
    char usage[4096];
    size_t len = (size_t)snprintf(usage, sizeof usage, "%s", c->usage);
    for (const lmo_gen_family_t *f = lmo_gen_families(); f->name; f++)
        len += (size_t)snprintf(usage + len, sizeof usage - len, "  %-20s %s: %s\n", f->name, f->kind,
                                f->summary);
    snprintf(usage + len, sizeof usage - len, "\nexit: 0 done, 2 bad usage, 3 limit or internal error.\n");
    lmo_cli_opts o;
    int rc = lmo_cli_start(&o, argc, argv, usage, c->options, 0);
    if (rc >= 0) return rc;
    const lmo_gen_family_t *fam = o.nfiles == 1 ? lmo_gen_family_find(o.files[0]) : NULL;
    rc = LMO_EINPUT;
    if (o.nfiles != 1) fprintf(stderr, "lmo gen: expected one FAMILY (see lmo gen --help)\n");
    else if (!fam) fprintf(stderr, "lmo gen: unknown family \"%s\" (see lmo gen --help)\n", o.files[0]);
    else if (!o.out || !o.seed_given) fprintf(stderr, "lmo gen: --seed and --out are required\n");
    else if (!o.shard.n && lmo_cli_make_dir(o.out) != 0) /* a shard writes no file */
        fprintf(stderr, "lmo gen: --out: cannot create the directory %s: %s\n", o.out, strerror(errno));
    else rc = 0;
    ulong first = 0, end = (ulong)o.count, cursor[2] = {0, 0};
    json_t *partial = NULL, *items = NULL;
    const json_t **parts = NULL;
    if (rc == 0 && o.merge) { /* the vectors are the partials', in the order of the items */
        lmo_err_t err;
        ulong total;
        parts = calloc((size_t)o.merge->n, sizeof *parts);
        if ((rc = lmo_shard_merge_input(parts, &total, o.merge, 0, &err)) == 0 && total != end)
            rc = lmo_err_set(&err, LMO_EINPUT, "part.items.total: %lu, --count says %lu",
                             (unsigned long)total, (unsigned long)end);
        if (rc) fprintf(stderr, "lmo merge: %s\n", err.msg);
    }
    if (o.shard.n) {
        lmo_shard_range(&first, &end, (ulong)o.count, &o.shard);
        partial = lmo_shard_partial_new("gen", argc, argv, &o.shard), items = json_array();
    }
    lmo_cli_progress_t pr;
    lmo_cli_progress_start(&pr, "lmo gen", (long)(end - first));
    for (slong i = (slong)first; i < (slong)end && rc == 0; i++) {
        lmo_err_t err;
        lmo_vector_t v;
        char id[128], *path;
        lmo_err_clear(&err);
        lmo_vector_init(v);
        snprintf(id, sizeof id, "%s-s%lu-%ld", fam->name, (unsigned long)o.seed, (long)i);
        if (parts) rc = merged_vector(v, parts, o.merge->n, cursor, i, &o.lim, &err);
        else rc = gen_vector(v, fam, id, i, &o, &err);
        if (rc == 0 && items) {
            json_array_append_new(items, json_pack("{s:I, s:O}", "index", (json_int_t)i, "vector", v->root));
        } else if (rc == 0) {
            size_t n = strlen(o.out) + strlen(id) + 8;
            path = malloc(n);
            snprintf(path, n, "%s/%s.json", o.out, id);
            rc = lmo_json_write_file(v->root, path, &err);
            free(path);
        }
        if (rc) lmo_cli_report(id, &err);
        lmo_vector_clear(v);
        lmo_cli_progress(&pr, i + 1 - (slong)first);
    }
    lmo_cli_progress_done(&pr);
    free(parts);
    if (partial) { /* a shard prints its partial, and writes no file */
        if (rc == 0) {
            json_array_append_new(json_object_get(partial, "inputs"), json_pack(
                "{s:s, s:{s:o, s:o}}", "file", fam->name, "part", "items",
                lmo_shard_items_json((ulong)o.count, &o.shard), "vectors", items));
            lmo_cli_print_json(partial);
        } else {
            json_decref(items);
        }
        json_decref(partial);
    } else if (rc == 0 && !o.quiet)
        printf("lmo gen: %ld %s vector%s in %s\n", (long)o.count, fam->name, o.count == 1 ? "" : "s",
               o.out);
    lmo_cli_opts_clear(&o);
    return rc;
}
