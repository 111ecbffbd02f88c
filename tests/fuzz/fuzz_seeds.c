/*
 * fuzz_seeds OUTDIR VECTOR... -- seed corpora for the fuzz targets, made at
 * build time from the vectors in vectors/ (and tests/bad_inputs/).
 *
 *   OUTDIR/vector/   every file as it is (the vector reader's corpus)
 *   OUTDIR/checker/  every vector that embeds a certificate (the corpus:
 *                    rank, deep_linear, witness, mnn bundles); for each rank
 *                    vector the oracle can read, CERT '\0' VECTOR and the
 *                    vector with its certificate embedded; the same for
 *                    deep_linear points of every constructor
 *   OUTDIR/rank/, OUTDIR/classify/: a few byte strings covering each
 *                    decoding mode (deterministic, lmo_rng_t)
 * The certificates come from the oracle itself: seeds only need to be
 * valid, the targets check everything.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "lmo/core/certificate.h"
#include "lmo/kawaguchi/deep_linear.h"
#include "lmo/linalg/rank.h"
#include "lmo/core/vector_io.h"

static int write_bytes(const char *dir, const char *sub, const char *name, const void *a,
                       size_t na, const void *b, size_t nb)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s/%s", dir, sub, name);
    FILE *f = fopen(path, "wb");
    if (f == NULL) { fprintf(stderr, "fuzz_seeds: %s: %s\n", path, strerror(errno)); return 1; }
    int bad = fwrite(a, 1, na, f) != na || (nb && fwrite(b, 1, nb, f) != nb);
    bad |= fclose(f) != 0;
    return bad;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) return NULL;
    size_t cap = 1 << 16, n = 0, got;
    char *buf = malloc(cap);
    while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) buf = realloc(buf, cap *= 2);
    }
    fclose(f);
    *len = n;
    return buf;
}

static int checker_seeds(const char *out, const char *path, const char *base)
{
    lmo_limits_t lim;
    lmo_err_t err;
    lmo_vector_t v;
    fmpq_mat_t G;
    lmo_limits_default(&lim);
    lmo_vector_init(v);
    if (lmo_vector_read_file(v, path, &lim, &err)
        || lmo_rank_matrix_from_input(G, v->kind, v->input, &lim, &err)) {
        lmo_vector_clear(v);
        return 0;                      /* not a readable rank vector: no checker seed */
    }
    lmo_rank_t R;
    lmo_rank_init(R);
    int bad = 0;
    if (lmo_rank_certified(R, G, 0, &err) == LMO_OK) {
        json_t *cert = lmo_cert_rank_to_json(R, v->id);
        char *cs = lmo_json_dumps_canonical(cert), name[512];
        size_t vlen;
        char *vs = slurp(path, &vlen);
        snprintf(name, sizeof name, "%s.pair", base);
        bad |= vs == NULL || write_bytes(out, "checker", name, cs, strlen(cs) + 1, vs, vlen);
        lmo_vector_set(v, "certificate", cert);
        char *es = lmo_json_dumps_canonical(v->root);
        snprintf(name, sizeof name, "%s.embedded", base);
        bad |= write_bytes(out, "checker", name, es, strlen(es), "", 0);
        free(cs); free(vs); free(es);
    }
    lmo_rank_clear(R);
    fmpq_mat_clear(G);
    lmo_vector_clear(v);
    return bad;
}

/* deep_linear certificates of small constructed points (every class the
 * constructors make), as CERT '\0' VECTOR and embedded */
static int deep_linear_seeds(const char *out)
{
    static const slong SHAPES[][6] = { {1, 3, 2, 2, 2}, {1, 4, 3, 2, 2}, {2, 3, 2, 1, 2, 2},
                                       {2, 2, 2, 2, 2, 1}, {2, 3, 3, 2, 2, 2} };   /* H, m, d0..dH+1 */
    int bad = 0;
    for (int s = 0; s < 5; s++)
        for (int cls = 0; cls < 4; cls++) {
            slong H = SHAPES[s][0], m = SHAPES[s][1], dims[4];
            for (slong k = 0; k <= H + 1; k++) dims[k] = SHAPES[s][k + 2];
            lmo_deep_linear_t dl;
            lmo_err_t err;
            int rc = cls == 0 ? lmo_deep_linear_gen_global_min(dl, H, dims, m, 7, &err)
                   : cls == 1 ? lmo_deep_linear_gen_strict_saddle(dl, H, dims, m, 7, &err)
                   : cls == 2 ? lmo_deep_linear_gen_bad_saddle(dl, H, dims, m, 7, &err)
                   : lmo_deep_linear_gen_not_critical(dl, H, dims, m, 7, 5, &err);
            if (rc) continue;
            lmo_dl_opts_t opts;
            lmo_dl_result_t res;
            lmo_dl_opts_default(&opts);
            opts.want_cert = 1;
            lmo_dl_result_init(res);
            if (lmo_deep_linear_classify(res, dl, &opts, NULL, &err) == LMO_OK) {
                char id[32], name[64];
                snprintf(id, sizeof id, "dl-%d-%d", s, cls);
                json_t *cert = lmo_deep_linear_cert_to_json(res, id);
                json_t *doc = json_pack("{s:s, s:s, s:s, s:s, s:o}", "format", "lmo-vector/1",
                                        "kind", "deep_linear", "id", id, "source", "fuzz_seeds",
                                        "input", lmo_deep_linear_input_to_json(dl));
                char *cs = lmo_json_dumps_canonical(cert), *vs = lmo_json_dumps_canonical(doc);
                snprintf(name, sizeof name, "%s.pair", id);
                bad |= write_bytes(out, "checker", name, cs, strlen(cs) + 1, vs, strlen(vs));
                free(vs);
                json_object_set(doc, "certificate", cert);
                vs = lmo_json_dumps_canonical(doc);
                snprintf(name, sizeof name, "%s.embedded", id);
                bad |= write_bytes(out, "checker", name, vs, strlen(vs), "", 0);
                snprintf(name, sizeof name, "%s.json", id);
                json_object_del(doc, "certificate");
                free(vs);
                vs = lmo_json_dumps_canonical(doc);
                bad |= write_bytes(out, "vector", name, vs, strlen(vs), "", 0);
                free(cs); free(vs);
                json_decref(cert);
                json_decref(doc);
            }
            lmo_dl_result_clear(res);
            lmo_deep_linear_clear(dl);
        }
    return bad;
}

int main(int argc, char **argv)
{
    if (argc < 2) { fputs("usage: fuzz_seeds OUTDIR VECTOR...\n", stderr); return 2; }
    const char *out = argv[1];
    static const char *const SUBS[] = { "vector", "checker", "rank", "classify", NULL };
    int bad = 0;
    for (int i = 0; SUBS[i]; i++) {
        char d[4096];
        snprintf(d, sizeof d, "%s/%s", out, SUBS[i]);
        mkdir(out, 0755);
        if (mkdir(d, 0755) && errno != EEXIST) { perror(d); return 3; }
    }
    for (int i = 2; i < argc; i++) {
        const char *base = strrchr(argv[i], '/') ? strrchr(argv[i], '/') + 1 : argv[i];
        size_t len;
        char *text = slurp(argv[i], &len), name[512];
        if (text == NULL) { fprintf(stderr, "fuzz_seeds: cannot read %s\n", argv[i]); return 3; }
        /* the parent directory keeps seeds of equal base names apart */
        snprintf(name, sizeof name, "%d-%s", i, base);
        bad |= write_bytes(out, "vector", name, text, len, "", 0);
        if (strstr(text, "\"certificate\"") != NULL)   /* corpus vectors embed theirs */
            bad |= write_bytes(out, "checker", name, text, len, "", 0);
        free(text);
        bad |= checker_seeds(out, argv[i], name);
    }
    bad |= deep_linear_seeds(out);
    /* number spellings of DESIGN.md "Numbers", good and bad, one per seed */
    static const char *const SPELL[] = {
        "1", "-3/7", "0.1", ".5", "5.", "1e-30", "2.5E+3", "0x1.8p-3", "0x10", "0X.8P1", "+5",
        "-0", "007", "1e0000005", "0x1e5", "0x1p-1074", "1/0", "", "nan", "-inf", "+Infinity",
        "1/inf", "0x", "1e", "3/-7", " 1", "1.5/2", "0x1/2", "12345678901234567890", NULL
    };
    for (int i = 0; SPELL[i]; i++) {
        char doc[512], name[64];
        int n = snprintf(doc, sizeof doc, "{\"format\": \"lmo-vector/1\", \"kind\": \"matrix_rank\", "
                         "\"id\": \"n%d\", \"source\": \"seed\", \"input\": {\"M\": {\"rows\": 1, "
                         "\"cols\": 2, \"data\": [[\"%s\", 1]]}}}", i, SPELL[i]);
        snprintf(name, sizeof name, "number-%02d", i);
        bad |= write_bytes(out, "vector", name, doc, (size_t) n, "", 0);
    }
    /* byte seeds: every decoding mode, a few shapes */
    lmo_rng_t r;
    lmo_rng_seed(&r, 8);
    for (int s = 0; s < 24; s++) {
        unsigned char buf[160];
        char name[64];
        for (size_t j = 0; j < sizeof buf; j++) buf[j] = (unsigned char) lmo_rng_next(&r);
        buf[0] = (unsigned char) s;          /* classify: mode s % 6; rank: m = s % 9 */
        snprintf(name, sizeof name, "seed-%02d", s);
        bad |= write_bytes(out, "rank", name, buf, 64 + (size_t) s, "", 0);
        bad |= write_bytes(out, "classify", name, buf, 48 + (size_t) s, "", 0);
    }
    return bad ? 3 : 0;
}
