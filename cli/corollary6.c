/* lmo mnn: the driver over mnn vectors, or with --corollary6 Soudry-Carmon's Corollary 6
 * (lmo/soudry_carmon/corollary6.h): each network's derived mnn_patterns vector
 * ID-corollary6, run as lmo patterns runs it, and with --out written blessed for replay by
 * lmo check and lmo-check. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "commands.h"
#include "lmo/soudry_carmon/corollary6.h"

/* The derived vector of the network in V; NULL after a report on stderr. */
static json_t *derived(const lmo_vector_t v, const char *file, const lmo_cli_opts *o, int *rc)
{
    lmo_err_t err;
    lmo_mnn_input_t in;
    slong d[2] = {1, 1};
    json_t *input = NULL, *perturbed = NULL, *doc = NULL;
    char id[300], source[600];
    lmo_err_clear(&err);
    lmo_mnn_input_init(in, 1, d, 1);
    if (strcmp(v->kind, "mnn"))
        *rc = lmo_err_set(&err, LMO_EINPUT, "kind: lmo mnn takes mnn, not \"%s\"", v->kind);
    else if (!(*rc = lmo_mnn_input_set_json(in, v->input, &o->lim, &err)))
        *rc = lmo_sc_corollary6_patterns(&input, &perturbed, in, o->seed, &err);
    if (*rc == 0) {
        snprintf(id, sizeof id, "%s-corollary6", v->id);
        snprintf(source, sizeof source, "Soudry-Carmon Corollary 6 for %s: W_1..W_{L-2} moved by "
                 "uniform noise of size <= 1023/2^%d (seed %lu) and held fixed; X := V_{L-2}, "
                 "dropout := E_{L-1}, width := d_{L-1}: every pattern of layer L-1 must give "
                 "rank N", v->id, LMO_COROLLARY6_BITS, (unsigned long)o->seed);
        /* the perturbed weights are not kept: lmo mnn --corollary6 with the same seed makes
         * them again, and the derived vector's claims are about V_{L-2} alone */
        doc = json_pack("{s:s, s:s, s:s, s:s, s:o}", "format", "lmo-vector/1", "kind",
                        "mnn_patterns", "id", id, "source", source, "input", input);
        json_decref(perturbed);
    } else {
        lmo_cli_report(file, &err);
    }
    lmo_mnn_input_clear(in);
    return doc;
}

static int corollary6(const lmo_command_t *c, const lmo_cli_opts *o)
{
    static const char *const kinds[] = {"mnn_patterns", NULL};
    lmo_drive_t d = {c->name, LMO_DRIVE_EXACT, kinds};
    int worst = 0;
    if (o->out && lmo_cli_make_dir(o->out) != 0) {
        fprintf(stderr, "lmo mnn: --out: cannot create the directory %s: %s\n", o->out, strerror(errno));
        return LMO_EINPUT;
    }
    for (int f = 0; f < o->nfiles; f++) {
        lmo_err_t err;
        lmo_vector_t v, w;
        int rc;
        lmo_err_clear(&err);
        lmo_vector_init(v);
        lmo_vector_init(w);
        if ((rc = lmo_vector_read_file(v, o->files[f], &o->lim, &err))) {
            rc = lmo_cli_report(o->files[f], &err);
        } else {
            json_t *doc = derived(v, o->files[f], o, &rc);
            char *text = doc ? lmo_json_dumps_canonical(doc) : NULL;
            if (doc && (rc = lmo_vector_read_string(w, text, &o->lim, &err)))
                rc = lmo_cli_report(o->files[f], &err);
            if (doc && rc == 0 && !o->json && !o->quiet)
                printf("Soudry-Carmon Corollary 6 for %s: W_1..W_{L-2} moved by noise <= 1023/2^%d "
                       "(seed %lu) and held fixed; every pattern of layer L-1 must give rank "
                       "G_{L-1} = N -- Lemma 3's check on (V_{L-2}, E_{L-1}):\n", v->id,
                       LMO_COROLLARY6_BITS, (unsigned long)o->seed);
            if (doc && rc == 0) rc = lmo_drive_vector(&d, w, o->files[f], o);
            if (doc && rc <= 1 && o->out) { /* blessed, for lmo check and lmo-check */
                int brc = lmo_drive_bless(w, o, &err);
                size_t n = strlen(o->out) + strlen(w->id) + 8;
                char *path = malloc(n);
                snprintf(path, n, "%s/%s.json", o->out, w->id);
                if (brc == 0) brc = lmo_json_write_file(w->root, path, &err);
                if (brc) rc = lmo_cli_report(path, &err);
                free(path);
            }
            free(text);
            json_decref(doc);
        }
        lmo_vector_clear(v);
        lmo_vector_clear(w);
        worst = rc > worst ? rc : worst;
    }
    return worst;
}

int lmo_mnn_corollary6(const lmo_command_t *c, const lmo_cli_opts *o)
{
    if (o->corollary6) return corollary6(c, o);
    if (o->out) {
        fprintf(stderr, "lmo mnn: --out goes with --corollary6\n");
        return LMO_EINPUT;
    }
    return -1;
}
