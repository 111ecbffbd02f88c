/* lmo_check.c -- the command line of lmo-check: reads the files (DESIGN.md "Vector files"),
 * dispatches on the claim and the vector's kind, prints one line. Exit codes: 0 proven,
 * 1 not proven (or not verifiable), 2 bad input or usage, 3 a cap or out of memory. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <mpfr.h>
#include "lmoc.h"
#include "lmoc_version.h"   /* generated: project(lmo VERSION ...) */

static const char usage[] =
    "usage: lmo-check [--help | --version]\n"
    "       lmo-check CERT VECTOR     a certificate and the vector it is about\n"
    "       lmo-check VECTOR          a vector with an embedded \"certificate\" member\n"
    "       lmo-check WITNESS-CERT    a witness certificate alone (it carries its network)\n"
    "Either file may be - for standard input.\n"
    "\n"
    "lmo-check is the small independent checker of lmo's certificates (lmo-cert/1). It\n"
    "re-derives everything from the vector's exact input (lmo-vector/1) with GMP (and MPFR\n"
    "intervals rounded outward for sigma, claim nguyen_hein only) and\n"
    "shares no code with lmo. It exits 0 only when every claim is proven: the certificate's\n"
    "own verdicts and every member of the vector's \"expect\". A member it has no rule for\n"
    "is refused by name (\"expect.X: not verifiable\"), never skipped; the vector's \"report\",\n"
    "\"fast\", \"flags\" and \"source\" are not claims and are not read.\n"
    "\n"
    "claims (certificate \"claim\" -> vector \"kind\"):\n"
    "  rank         matrix_rank, khatri_rao_rank: rank of M or of A o X (Soudry-Carmon\n"
    "               (4.4)) by a non-singular minor mod p and an echelon kernel\n"
    "  deep_linear  deep_linear: critical point class, loss, Hessian inertia, hypotheses,\n"
    "               global minimum value of a deep linear network (Kawaguchi 2016)\n"
    "  witness      witness, or none: the Lemma 8 witness of Soudry-Carmon, rank G = N\n"
    "  bundle       mnn: forward pass, error, gradient, ranks of G_l and G (Soudry-Carmon\n"
    "               (3.1), (5.2)-(5.5)); mnn_patterns: rank of A1^p o X per activation\n"
    "               pattern (Lemma 3), counts over all patterns in exhaustive mode\n"
    "  khk          khk: forward pass, kink, gradient, L, J of (4.2) and its terms by\n"
    "               least-squares certificates, rank [D D_1(H+1)], Definition 1's sets\n"
    "               (Kawaguchi-Huang-Kaelbling 2019, Theorem 1)\n"
    "\n"
    "exit status: 0 every claim proven (prints \"lmo-check: OK FILE: ID: ...\");\n"
    "1 a claim is false, unproven or not verifiable (\"lmo-check: REJECT FILE: ...\");\n"
    "2 unreadable or malformed input, or a usage error; 3 a size beyond the caps\n"
    "(LMO_MAX_DIM, LMO_MAX_ENTRIES, LMO_MAX_BITS, LMO_MAX_FILE_BYTES, the same as lmo's)\n"
    "or out of memory. Diagnostics are one line on stderr naming the file at fault and the\n"
    "JSON path. Formats, rules and Coq proofs: vectors/schema/lmo-cert-1.md and\n"
    "proofs/README.md in lmo's sources; man page lmo-check(1).\n";

/* Reads and parses c->file[doc] ("-": standard input), at most caps.max_file_bytes. */
static int load(lmoc_json_t *j, lmoc_ctx_t *c, int doc)
{
    const char *path = c->file[doc];
    int in = !strcmp(path, "-");
    FILE *f = in ? stdin : fopen(path, "rb");
    char *buf = NULL, err[200];
    size_t len = 0, cap = 0, got = 1;
    if (!f) return lmoc_fail(c, LMOC_EINPUT, doc, "cannot open: %s", strerror(errno));
    while (got && !c->rc) {
        if (len == cap) {
            char *t = (long)cap < c->caps.max_file_bytes
                      ? realloc(buf, cap = cap ? 2 * cap : 65536) : NULL;
            if (!t) {
                lmoc_fail(c, LMOC_ELIMIT, doc, (long)cap < c->caps.max_file_bytes
                          ? "out of memory reading the file"
                          : "the file exceeds %ld bytes (LMO_MAX_FILE_BYTES)",
                          c->caps.max_file_bytes);
                break;
            }
            buf = t;
        }
        len += got = fread(buf + len, 1, cap - len, f);
    }
    if (!c->rc && ferror(f))
        lmoc_fail(c, LMOC_EINPUT, doc, "cannot read: %s", strerror(errno));
    else if (!c->rc && lmoc_json_parse(j, buf, len, err, sizeof err))
        lmoc_fail(c, LMOC_EINPUT, doc, "%s", err);
    if (!in) fclose(f);
    free(buf);
    return c->rc;
}

static const struct { const char *claim, *kind; lmoc_check_fn *check; } claims[] = {
    {"rank", "matrix_rank", lmoc_check_rank_vector},
    {"rank", "khatri_rao_rank", lmoc_check_rank_vector},
    {"deep_linear", "deep_linear", lmoc_check_deep_linear},
    {"witness", "witness", lmoc_check_witness},
    {"bundle", "mnn", lmoc_check_mnn},
    {"bundle", "mnn_patterns", lmoc_check_patterns},
    {"khk", "khk", lmoc_check_khk},
    {"nguyen_hein", "nguyen_hein", lmoc_check_nguyen_hein},
    {NULL, NULL, NULL}};

/* The members of a vector: claims are in expect (and the certificate); report, fast,
   flags and source are lmo's notes, not claims. */
static const char *const vector_keys[] = {"format", "kind", "id", "source", "input", "expect",
                                          "fast", "flags", "certificate", "report", NULL};

int main(int argc, char **argv)
{
    lmoc_ctx_t c = {{NULL, NULL}, {0, 0, 0, 0}, LMOC_OK, ""};
    lmoc_json_t vec, cf;
    char what[200] = "";
    const char *cn = "certificate.";
    int k = 0, known_claim = 0;
    memset(&vec, 0, sizeof vec), memset(&cf, 0, sizeof cf);
    lmoc_caps_default(&c.caps);
    if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")))
        return fputs(usage, stdout), 0;
    if (argc == 2 && !strcmp(argv[1], "--version"))
        return printf("lmo-check %s (lmo-cert/1, lmo-vector/1; GMP %s, MPFR %s)\n",
                      LMOC_VERSION, gmp_version, mpfr_get_version()), 0;
    for (int i = 1; i < argc; i++) /* an option is an error; "-" is standard input */
        if (argv[i][0] == '-' && argv[i][1]) argc = 0;
    if (argc < 2 || argc > 3 || (argc == 3 && !strcmp(argv[1], "-") && !strcmp(argv[2], "-")))
        return fputs("lmo-check: usage: lmo-check [CERT] VECTOR, either file may be - (see "
                     "lmo-check --help)\n", stderr), 2;
    const char *vpath = argv[argc - 1], *cpath = argc == 3 ? argv[1] : NULL;
    c.file[LMOC_V] = c.file[LMOC_C] = vpath;
    lmoc_gmp_guard(&c.file[LMOC_V]);
    load(&vec, &c, LMOC_V);
    const lmoc_json_t *id = lmoc_json_get(&vec, "id"), *kind = lmoc_json_get(&vec, "kind"),
                      *cert = lmoc_json_get(&vec, "certificate"), *cl, *vid;
    /* a witness certificate is self-contained: it carries its whole network */
    int alone = !c.rc && lmoc_is(lmoc_json_get(&vec, "format"), "lmo-cert/1") && !cpath;
    if (alone && !lmoc_is(lmoc_json_get(&vec, "claim"), "witness"))
        lmoc_fail(&c, LMOC_EINPUT, LMOC_V, "a certificate needs its vector: lmo-check CERT "
                  "VECTOR");
    if (!c.rc && !alone && !lmoc_is(lmoc_json_get(&vec, "format"), "lmo-vector/1"))
        lmoc_fail(&c, LMOC_EINPUT, LMOC_V, "field format: expected \"lmo-vector/1\"");
    if (!c.rc && !alone && (!id || id->type != LMOC_J_STR))
        lmoc_fail(&c, LMOC_EINPUT, LMOC_V, "field id: expected a string");
    if (!c.rc && !alone && (!kind || kind->type != LMOC_J_STR))
        lmoc_fail(&c, LMOC_EINPUT, LMOC_V, "field kind: expected a string");
    if (!c.rc && !alone) lmoc_known(&c, LMOC_V, &vec, "", vector_keys);
    if (!c.rc && alone) {
        cert = &vec, cn = "";
    } else if (!c.rc && cpath) {
        c.file[LMOC_C] = cpath, cn = "";
        cert = load(&cf, &c, LMOC_C) ? NULL : &cf;
    } else if (!c.rc && !cert) {
        lmoc_fail(&c, LMOC_EINPUT, LMOC_V, "field certificate is missing (or run lmo-check CERT "
                  "VECTOR)");
    }
    if (!c.rc && (!cert || cert->type != LMOC_J_OBJ))
        lmoc_fail(&c, LMOC_EINPUT, LMOC_C, "field %s: expected a certificate object",
                  *cn ? "certificate" : "(top level)");
    if (!c.rc && !lmoc_is(lmoc_json_get(cert, "format"), "lmo-cert/1"))
        lmoc_fail(&c, LMOC_EINPUT, LMOC_C, "field %sformat: expected \"lmo-cert/1\"", cn);
    cl = lmoc_json_get(cert, "claim"), vid = lmoc_json_get(cert, "vector");
    for (k = 0; !c.rc && claims[k].claim; k++) {
        known_claim |= lmoc_is(cl, claims[k].claim);
        if (lmoc_is(cl, claims[k].claim) && (alone || lmoc_is(kind, claims[k].kind))) break;
    }
    if (!c.rc && !known_claim)
        lmoc_fail(&c, LMOC_EINPUT, LMOC_C, "field %sclaim: expected \"rank\", \"deep_linear\", "
                  "\"witness\", \"bundle\", \"khk\" or \"nguyen_hein\"", cn);
    else if (!c.rc && !claims[k].claim)
        lmoc_fail(&c, LMOC_EINPUT, LMOC_V, "field kind: claim \"%s\" is not about a vector of "
                  "kind \"%.40s\"", cl->s, kind->s);
    else if (!c.rc && !alone && (!vid || vid->type != LMOC_J_STR))
        lmoc_fail(&c, LMOC_EINPUT, LMOC_C, "field %svector: expected a string", cn);
    else if (!c.rc && !alone && strcmp(vid->s, id->s))
        lmoc_fail(&c, LMOC_REJECT, LMOC_C, "%svector \"%.80s\" is not the vector's id \"%.80s\"",
                  cn, vid->s, id->s);
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
    lmoc_gmp_guard(NULL); /* c.file dies with this frame (main is re-entered when embedded) */
    return c.rc;
}
