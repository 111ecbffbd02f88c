/* `lmo gen FAMILY --seed S --count K --out DIR`: a family (lmo/core/gen.h) makes each input,
 * deterministically; the driver blesses it (expect, report, fast, flags, certificate). */
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include "commands.h"
#include "lmo/core/gen.h"

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
    else if (lmo_cli_make_dir(o.out) != 0)
        fprintf(stderr, "lmo gen: --out: cannot create the directory %s: %s\n", o.out, strerror(errno));
    else rc = 0;
    lmo_cli_progress_t pr;
    lmo_cli_progress_start(&pr, "lmo gen", o.count);
    for (slong i = 0; i < o.count && rc == 0; i++) {
        lmo_rng_t rng;
        lmo_err_t err;
        char id[128], source[384], *path;
        lmo_err_clear(&err);
        lmo_gen_rng(&rng, fam->name, o.seed, i);
        snprintf(id, sizeof id, "%s-s%lu-%ld", fam->name, (unsigned long)o.seed, (long)i);
        snprintf(source, sizeof source, "lmo gen %s --seed %lu (vector %ld): %s", fam->name,
                 (unsigned long)o.seed, (long)i, fam->summary);
        json_t *flags = json_array(), *input = fam->make(&rng, i, flags);
        if (!input) {
            json_decref(flags);
            lmo_err_set(&err, LMO_ELIMIT, "family %s: no valid vector after many draws (internal "
                        "error)", fam->name);
            rc = lmo_cli_report(id, &err);
            break;
        }
        json_t *doc = json_pack("{s:s, s:s, s:s, s:s, s:o, s:o}", "format", "lmo-vector/1", "kind",
                                fam->kind, "id", id, "source", source, "input", input, "flags", flags);
        /* through the reader, so a generated vector obeys every input rule */
        char *text = lmo_json_dumps_canonical(doc);
        json_decref(doc);
        lmo_vector_t v;
        lmo_vector_init(v);
        rc = lmo_vector_read_string(v, text, &o.lim, &err);
        free(text);
        if (rc == 0) rc = lmo_drive_bless(v, &o, &err);
        if (rc == 0) {
            size_t n = strlen(o.out) + strlen(id) + 8;
            path = malloc(n);
            snprintf(path, n, "%s/%s.json", o.out, id);
            rc = lmo_json_write_file(v->root, path, &err);
            free(path);
        }
        if (rc) lmo_cli_report(id, &err);
        lmo_vector_clear(v);
        lmo_cli_progress(&pr, i + 1);
    }
    lmo_cli_progress_done(&pr);
    if (rc == 0 && !o.quiet)
        printf("lmo gen: %ld %s vector%s in %s\n", (long)o.count, fam->name, o.count == 1 ? "" : "s",
               o.out);
    lmo_cli_opts_clear(&o);
    return rc;
}
