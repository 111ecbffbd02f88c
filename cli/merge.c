/* `lmo merge PARTIAL...`: the partials of a sharded sweep (cli/shard.h) put together into
 * what the unsharded command prints (or, for a table partial, the unsharded CSV). The partials are checked (one command, the same
 * arguments, shards 1..N each once, blocks tiling the items), then the command runs again
 * with those arguments, each sweep taking its items' results from the partials: the
 * command's own code prints the output, so it is the unsharded run's byte for byte, and
 * the exit code is the unsharded run's too. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "commands.h"

/* One line of a table: a string without a line break. */
static int is_line(const json_t *v)
{
    const char *t = json_string_value(v);
    return t && !strchr(t, '\n') && !strchr(t, '\r');
}

/* A table partial comes from a sweep outside lmo that writes one CSV (examples/khk-fig1):
 * "table": {"header": LINE} and, in its one input, part {"items", "cells": [{"index",
 * "rows": [LINE, ...]}, ...]}. Nothing is run again: the header and every item's rows, in
 * item order, are the unsharded CSV, byte for byte, when each shard formats its rows as the
 * unsharded run does. All of it is checked before a byte is printed. */
static int merge_table(const lmo_shard_merge_t *m)
{
    const json_t *table = json_object_get(m->parts[0], "table");
    const json_t **parts = calloc((size_t)m->n, sizeof *parts);
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    ulong total, next = 0;
    lmo_err_t err;
    int rc;
    if (!parts || !out) abort();
    lmo_err_clear(&err);
    if (!is_line(json_object_get(table, "header")))
        rc = lmo_err_set(&err, LMO_EINPUT, "shard 1: table.header: not one line of text");
    else if (json_array_size(json_object_get(m->parts[0], "inputs")) != 1)
        rc = lmo_err_set(&err, LMO_EINPUT, "shard 1: inputs: a table partial has one input, not %zu",
                         json_array_size(json_object_get(m->parts[0], "inputs")));
    else
        rc = lmo_shard_merge_input(parts, &total, m, 0, &err);
    if (rc == 0) fprintf(out, "%s\n", json_string_value(json_object_get(table, "header")));
    for (slong k = 0; rc == 0 && k < m->n; k++) {
        const json_t *cells = json_object_get(parts[k], "cells");
        ulong end = (ulong)json_integer_value(json_object_get(json_object_get(parts[k], "items"), "end"));
        if (!json_equal(json_object_get(m->parts[k], "table"), (json_t *)table)) {
            rc = lmo_err_set(&err, LMO_EINPUT, "shard %ld: table: not shard 1's", (long)k + 1);
            break;
        }
        if (!json_is_array(cells) || json_array_size(cells) != end - next) {
            rc = lmo_err_set(&err, LMO_EINPUT, "shard %ld: inputs[0].part.cells: not one per item "
                             "of its block [%lu, %lu)", (long)k + 1, (unsigned long)next,
                             (unsigned long)end);
            break;
        }
        for (size_t j = 0; rc == 0 && j < json_array_size(cells); j++, next++) {
            const json_t *cell = json_array_get(cells, j), *rows = json_object_get(cell, "rows");
            const json_t *index = json_object_get(cell, "index");
            if (!json_is_integer(index) || (ulong)json_integer_value(index) != next ||
                json_integer_value(index) < 0) {
                rc = lmo_err_set(&err, LMO_EINPUT, "shard %ld: inputs[0].part.cells[%zu].index: not "
                                 "%lu", (long)k + 1, j, (unsigned long)next);
                break;
            }
            if (!json_is_array(rows)) {
                rc = lmo_err_set(&err, LMO_EINPUT, "shard %ld: inputs[0].part.cells[%zu].rows: not "
                                 "an array", (long)k + 1, j);
                break;
            }
            for (size_t r = 0; r < json_array_size(rows); r++) {
                if (!is_line(json_array_get(rows, r))) {
                    rc = lmo_err_set(&err, LMO_EINPUT, "shard %ld: inputs[0].part.cells[%zu].rows[%zu]: "
                                     "not one line of text", (long)k + 1, j, r);
                    break;
                }
                fprintf(out, "%s\n", json_string_value(json_array_get(rows, r)));
            }
        }
    }
    fclose(out);
    if (rc) fprintf(stderr, "lmo merge: %s\n", err.msg);
    else fwrite(text, 1, len, stdout);
    free(text);
    free(parts);
    return rc;
}

int lmo_cmd_merge(const lmo_command_t *c, int argc, char **argv)
{
    lmo_cli_opts o;
    lmo_shard_merge_t m;
    lmo_err_t err;
    const char *command = NULL;
    const json_t *args = NULL;
    int rc = lmo_cli_start(&o, argc, argv, c->usage, c->options, 1);
    if (rc >= 0) return rc;
    lmo_err_clear(&err);
    if ((rc = lmo_shard_merge_load(&m, &command, &args, o.nfiles, o.files, &err))) {
        fprintf(stderr, "lmo merge: %s\n", err.msg);
        return lmo_cli_opts_clear(&o), rc;
    }
    const lmo_command_t *sweep = lmo_command_find(command);
    if (json_object_get(m.parts[0], "table")) {
        rc = merge_table(&m);
    } else if (!sweep || !(sweep->options & LMO_OPT_SHARD)) {
        fprintf(stderr, "lmo merge: %s: command: \"%s\" takes no --shard\n", o.files[0], command);
        rc = LMO_EINPUT;
    } else {
        size_t n = json_array_size(args), i;
        char **av = calloc(n + 2, sizeof *av);
        av[0] = (char *)sweep->name;
        for (i = 0; i < n && json_is_string(json_array_get(args, i)); i++)
            av[i + 1] = (char *)json_string_value(json_array_get(args, i));
        if (i < n) {
            fprintf(stderr, "lmo merge: %s: args[%zu]: not a string\n", o.files[0], i);
            rc = LMO_EINPUT;
        } else {
            lmo_shard_merge_set(&m);
            rc = sweep->run(sweep, (int)n + 1, av);
            lmo_shard_merge_set(NULL);
        }
        free(av);
    }
    lmo_shard_merge_clear(&m);
    lmo_cli_opts_clear(&o);
    return rc;
}
