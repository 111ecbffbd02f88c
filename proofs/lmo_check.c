/* lmo_check.c -- lmo-check CERT VECTOR / lmo-check VECTOR / lmo-check WITNESS-CERT: reads
 * the files (DESIGN.md "Vector files"), dispatches on the claim, prints one line. Exit codes:
 * 0 proven, 1 not proven, 2 bad input or usage. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include "lmoc.h"

static const char usage[] =
    "usage: lmo-check CERT VECTOR\n"
    "       lmo-check VECTOR          (uses the vector's embedded \"certificate\")\n"
    "       lmo-check WITNESS-CERT    (a witness certificate carries its whole network)\n"
    "Checks an lmo-cert/1 certificate against the exact input of an lmo-vector/1 file, using\n"
    "GMP only: claim rank (kinds matrix_rank, khatri_rao_rank), deep_linear, witness, bundle\n"
    "(kinds mnn, mnn_patterns). Rules: proofs/README.md. Exit 0: the certificate proves the\n"
    "claim (and agrees with expect); 1: it does not (the failed check is printed); 2:\n"
    "unreadable or malformed input.\n";

/* Reads and parses c->file. */
static int load(lmoc_json_t *j, lmoc_ctx_t *c)
{
    FILE *f = fopen(c->file, "rb");
    char *buf = NULL, err[200];
    size_t len = 0, cap = 0, got = 1;
    if (!f) return lmoc_fail(c, LMOC_EINPUT, "cannot open: %s", strerror(errno));
    while (got) {
        char *t = len < cap ? buf : realloc(buf, cap = cap ? 2 * cap : 65536);
        if (!t) break;
        buf = t;
        len += got = fread(buf + len, 1, cap - len, f);
    }
    if (ferror(f) || got)
        lmoc_fail(c, LMOC_EINPUT, "cannot read: %s", ferror(f) ? strerror(errno) : "out of memory");
    else if (lmoc_json_parse(j, buf, len, err, sizeof err))
        lmoc_fail(c, LMOC_EINPUT, "%s", err);
    fclose(f), free(buf);
    return c->rc;
}

static const struct { const char *claim, *kind, *kind2; lmoc_check_fn *check; } claims[] = {
    {"rank", "matrix_rank", "khatri_rao_rank", lmoc_check_rank_vector},
    {"deep_linear", "deep_linear", "deep_linear", lmoc_check_deep_linear},
    {"witness", "witness", "witness", lmoc_check_witness},
    {"bundle", "mnn", "mnn_patterns", lmoc_check_bundle}};

int main(int argc, char **argv)
{
    lmoc_ctx_t c = {NULL, LMOC_OK, ""};
    lmoc_json_t vec, cf;
    char what[200] = "";
    const char *cn = "certificate.";
    int k = 0;
    memset(&vec, 0, sizeof vec), memset(&cf, 0, sizeof cf);
    if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")))
        return fputs(usage, stdout), 0;
    if (argc < 2 || argc > 3 || argv[1][0] == '-' || argv[argc - 1][0] == '-')
        return fputs(usage, stderr), 2;
    const char *vpath = argv[argc - 1], *cpath = argc == 3 ? argv[1] : NULL;
    c.file = vpath;
    load(&vec, &c);
    const lmoc_json_t *id = lmoc_json_get(&vec, "id"), *kind = lmoc_json_get(&vec, "kind"),
                      *cert = lmoc_json_get(&vec, "certificate"), *cl, *vid;
    /* a witness certificate is self-contained: it carries its whole network */
    int alone = !c.rc && lmoc_is(lmoc_json_get(&vec, "format"), "lmo-cert/1") && !cpath;
    if (alone && !lmoc_is(lmoc_json_get(&vec, "claim"), "witness"))
        lmoc_fail(&c, LMOC_EINPUT, "a certificate needs its vector: lmo-check CERT VECTOR");
    if (!c.rc && !alone && !lmoc_is(lmoc_json_get(&vec, "format"), "lmo-vector/1"))
        lmoc_fail(&c, LMOC_EINPUT, "field format: expected \"lmo-vector/1\"");
    if (!c.rc && !alone && (!id || id->type != LMOC_J_STR))
        lmoc_fail(&c, LMOC_EINPUT, "field id: expected a string");
    if (!c.rc && alone) {
        cert = &vec, cn = "";
    } else if (!c.rc && cpath) {
        c.file = cpath, cn = "";
        cert = load(&cf, &c) ? NULL : &cf;
    } else if (!c.rc && !cert) {
        lmoc_fail(&c, LMOC_EINPUT, "field certificate is missing (or run lmo-check CERT VECTOR)");
    }
    if (!c.rc && (!cert || cert->type != LMOC_J_OBJ))
        lmoc_fail(&c, LMOC_EINPUT, "field %s: expected a certificate object",
                  *cn ? "certificate" : "(top level)");
    if (!c.rc && !lmoc_is(lmoc_json_get(cert, "format"), "lmo-cert/1"))
        lmoc_fail(&c, LMOC_EINPUT, "field %sformat: expected \"lmo-cert/1\"", cn);
    cl = lmoc_json_get(cert, "claim"), vid = lmoc_json_get(cert, "vector");
    while (!c.rc && k < 4 && !lmoc_is(cl, claims[k].claim)) k++;
    if (!c.rc && k == 4)
        lmoc_fail(&c, LMOC_EINPUT, "field %sclaim: expected \"rank\", \"deep_linear\", "
                  "\"witness\" or \"bundle\"", cn);
    else if (!c.rc && !alone && !lmoc_is(kind, claims[k].kind) && !lmoc_is(kind, claims[k].kind2))
        lmoc_fail(&c, LMOC_EINPUT, "field kind: claim \"%s\" needs a vector of kind \"%s\" or "
                  "\"%s\"", claims[k].claim, claims[k].kind, claims[k].kind2);
    else if (!c.rc && !alone && (!vid || vid->type != LMOC_J_STR))
        lmoc_fail(&c, LMOC_EINPUT, "field %svector: expected a string", cn);
    else if (!c.rc && !alone && strcmp(vid->s, id->s))
        lmoc_fail(&c, LMOC_REJECT, "%svector \"%.80s\" is not the vector's id \"%.80s\"", cn,
                  vid->s, id->s);
    if (!c.rc) claims[k].check(&c, cert, cn, alone ? NULL : &vec, what, sizeof what);
    if (!c.rc) {
        printf("lmo-check: OK %s: %s: %s\n", cpath ? cpath : vpath,
               alone ? "the network in the certificate" : id->s, what);
    } else {
        for (char *q = c.msg; *q; q++) /* keep the diagnostic on one line */
            *q = (unsigned char)*q < 0x20 ? '?' : *q;
        fprintf(stderr, "lmo-check: %s\n", c.msg);
    }
    lmoc_json_clear(&vec), lmoc_json_clear(&cf);
    return c.rc;
}
