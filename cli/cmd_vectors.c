/*
 * `lmo gen`, `lmo bless` and `lmo check`: making golden vectors and
 * replaying them (DESIGN.md, "Vector files"; the corpus in vectors/).
 *
 * bless: expect (exact tier), fast (each policy's decision), flags and the
 *        certificate are computed by the tiers and written back atomically.
 * gen:   a family (oracle/gen) makes the input; bless does the rest.
 * check: the exact verdict is recomputed and compared with expect; the
 *        stored certificate goes to the independent checker lmo-check; the
 *        fast decisions are recomputed per stored policy -- a changed float
 *        decision is its own kind of failure ("float_changed"), since that is
 *        what a user's CI wants to catch.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <fcntl.h>
#include "kinds.h"
#include "lmo/gen.h"

static const char BLESS_USAGE[] =
"usage: lmo bless [options] FILE...\n"
"\n"
"Fill expect (the exact verdict: every member is certified by the certificate\n"
"and verified by lmo-check), report (lmo's further findings: theorem outcomes,\n"
"notes; not certified), fast (each policy's decision), flags and certificate\n"
"of each vector, computed by the tiers themselves. The input is\n"
"kept; the file is rewritten canonically and atomically (temp file + rename).\n"
"\n"
"options:\n"
"  --out DIR        write DIR/ID.json instead of rewriting FILE\n"
"  --policy P       policies to record in fast (repeatable; default numpy,\n"
"                   qrcp, abs:1e-10)\n"
"  --seed S         seed of the oracle's random primes (default 0)\n"
"  --quiet          no per-file line\n"
"\n"
"exit: 0 done, 2 bad input, 3 limit or internal error.\n";

static const char CHECK_USAGE[] =
"usage: lmo check [options] FILE...\n"
"\n"
"Replay vectors: recompute the exact verdict and compare it with expect,\n"
"verify the stored certificate with lmo-check ($LMO_CHECK, else the lmo-check\n"
"next to lmo), and recompute every stored fast decision. Statuses: ok,\n"
"expect_mismatch, cert_rejected, float_changed (the exact verdict still holds,\n"
"but this machine's float code decides differently than when the vector was\n"
"made).\n"
"\n"
"options:\n"
"  --json           one JSON object per vector: id, file, status, problems\n"
"  --quiet          print only failures and the summary\n"
"  --seed S         seed of the oracle's random primes (default 0)\n"
"\n"
"exit: 0 every vector ok, 1 some vector failed, 2 bad input, 3 limit or\n"
"internal error (e.g. lmo-check not found).\n";

static const char GEN_USAGE_HEAD[] =
"usage: lmo gen FAMILY --seed S --count K --out DIR [--policy P ...]\n"
"\n"
"Deterministic vector generation: the same arguments give byte-identical\n"
"files on every machine (PRNG xoshiro256** seeded from family, seed and\n"
"index; no libc rand, no time). Each vector DIR/FAMILY-sS-I.json is blessed:\n"
"expect, fast, flags and certificate are computed by the tiers.\n"
"\n"
"families:\n";

/* expect, fast, flags and certificate for v, set into v */
static int bless_vector(lmo_vector_t v, const lmo_cli_opts *o, lmo_err_t *err)
{
    const lmo_kind_ops_t *ops = lmo_kind_ops(v->kind);
    if (ops == NULL)
        return lmo_err_set(err, LMO_ELIMIT, "kind: lmo cannot bless kind \"%s\" yet", v->kind);
    lmo_fast_policy_t pols[LMO_CLI_MAX_POLICIES];
    int npol = lmo_kind_policies(pols, LMO_CLI_MAX_POLICIES, o);
    json_t *expect = NULL, *cert = NULL, *fast = NULL;
    if (ops->exact(&expect, &cert, v, o, err)) return err->code;
    if (ops->fast(&fast, v, pols, npol, o, err)) {
        json_decref(expect); json_decref(cert);
        return err->code;
    }
    /* flags: keep hand-written / family flags, re-derive the tier-made ones */
    json_t *flags = json_array();
    if (v->flags) {
        for (size_t i = 0; i < json_array_size(v->flags); i++) {
            const char *f = json_string_value(json_array_get(v->flags, i));
            if (strcmp(f, "FloatDisagrees") != 0) json_array_append_new(flags, json_string(f));
        }
    }
    if (ops->flags) ops->flags(flags, expect, fast);
    json_t *report;
    lmo_kind_split(ops, expect, &report);
    lmo_vector_set(v, "expect", expect);
    if (json_object_size(report) == 0) json_decref(report), report = NULL;
    lmo_vector_set(v, "report", report);   /* NULL: none */
    lmo_vector_set(v, "fast", fast);
    lmo_vector_set(v, "flags", flags);
    if (cert) lmo_vector_set(v, "certificate", cert);
    return LMO_OK;
}

static char *out_path(const char *dir, const char *id)
{
    size_t n = strlen(dir) + strlen(id) + 8;
    char *p = malloc(n);
    snprintf(p, n, "%s/%s.json", dir, id);
    return p;
}

int lmo_cmd_bless(int argc, char **argv)
{
    lmo_cli_opts o;
    int rc = lmo_cli_start(&o, argc, argv, BLESS_USAGE, 1), worst = 0;
    if (rc >= 0) return rc;
    for (int f = 0; f < o.nfiles; f++) {
        const char *file = o.files[f];
        lmo_err_t err;
        lmo_vector_t v;
        lmo_err_clear(&err);
        lmo_vector_init(v);
        rc = lmo_vector_read_file(v, file, &o.lim, &err);
        if (rc == 0) rc = bless_vector(v, &o, &err);
        if (rc == 0) {
            char *path = o.out ? out_path(o.out, v->id) : strdup(file);
            if (strcmp(file, "-") == 0 && o.out == NULL) { free(path); path = strdup("-"); }
            rc = lmo_json_write_file(v->root, path, &err);
            if (rc == 0 && !o.quiet && strcmp(path, "-") != 0) printf("blessed %s\n", path);
            free(path);
        }
        if (rc) lmo_cli_report(file, &err);
        lmo_vector_clear(v);
        worst = FLINT_MAX(worst, rc);
    }
    lmo_cli_opts_clear(&o);
    return worst;
}

int lmo_cmd_gen(int argc, char **argv)
{
    char usage[4096];
    size_t len = (size_t) snprintf(usage, sizeof usage, "%s", GEN_USAGE_HEAD);
    for (const lmo_gen_family_t *f = lmo_gen_families(); f->name; f++)
        len += (size_t) snprintf(usage + len, sizeof usage - len, "  %-20s %s: %s\n", f->name, f->kind, f->summary);
    snprintf(usage + len, sizeof usage - len, "\nexit: 0 done, 2 bad usage, 3 limit or internal error.\n");

    lmo_cli_opts o;
    int rc = lmo_cli_parse(&o, argc, argv, usage);
    if (rc) { lmo_cli_opts_clear(&o); return rc < 0 ? 0 : rc; }
    const lmo_gen_family_t *fam = o.nfiles == 1 ? lmo_gen_family_find(o.files[0]) : NULL;
    if (o.nfiles != 1 || fam == NULL || o.out == NULL || !o.seed_given) {
        if (o.nfiles != 1) fprintf(stderr, "lmo gen: expected one FAMILY (see lmo gen --help)\n");
        else if (fam == NULL) fprintf(stderr, "lmo gen: unknown family \"%s\" (see lmo gen --help)\n", o.files[0]);
        else fprintf(stderr, "lmo gen: --seed and --out are required\n");
        lmo_cli_opts_clear(&o);
        return LMO_EINPUT;
    }
    struct stat st;
    if (stat(o.out, &st) != 0 || !S_ISDIR(st.st_mode)) {
        fprintf(stderr, "lmo gen: --out: %s is not a directory\n", o.out);
        lmo_cli_opts_clear(&o);
        return LMO_EINPUT;
    }
    for (slong i = 0; i < o.count && rc == 0; i++) {
        lmo_rng_t rng;
        lmo_err_t err;
        char id[128], source[256];
        lmo_err_clear(&err);
        lmo_gen_rng(&rng, fam->name, o.seed, i);
        snprintf(id, sizeof id, "%s-s%lu-%ld", fam->name, (unsigned long) o.seed, (long) i);
        snprintf(source, sizeof source, "lmo gen %s --seed %lu (vector %ld)", fam->name,
                 (unsigned long) o.seed, (long) i);
        json_t *flags = json_array();
        json_t *input = fam->make(&rng, i, flags);
        if (input == NULL) {
            json_decref(flags);
            lmo_err_set(&err, LMO_ELIMIT, "family %s: no valid vector after many draws (internal error)",
                        fam->name);
            rc = lmo_cli_report(id, &err);
            break;
        }
        json_t *doc = json_pack("{s:s, s:s, s:s, s:s, s:o, s:o}", "format", "lmo-vector/1",
                                "kind", fam->kind, "id", id, "source", source, "input", input,
                                "flags", flags);
        /* through the reader, so a generated vector obeys every input rule */
        char *text = lmo_json_dumps_canonical(doc);
        json_decref(doc);
        lmo_vector_t v;
        lmo_vector_init(v);
        rc = lmo_vector_read_string(v, text, &o.lim, &err);
        free(text);
        if (rc == 0) rc = bless_vector(v, &o, &err);
        if (rc == 0) {
            char *path = out_path(o.out, id);
            rc = lmo_json_write_file(v->root, path, &err);
            free(path);
        }
        if (rc) lmo_cli_report(id, &err);
        lmo_vector_clear(v);
        lmo_cli_progress("lmo gen %s: %ld/%ld", fam->name, (long) (i + 1), (long) o.count);
    }
    lmo_cli_progress("%s", "");
    if (rc == 0 && !o.quiet)
        printf("lmo gen: %ld %s vector%s in %s\n", (long) o.count, fam->name, o.count == 1 ? "" : "s", o.out);
    lmo_cli_opts_clear(&o);
    return rc;
}

/* Run lmo-check on the embedded certificate: 0 accepted, 1 rejected, else error. */
static int run_checker(const char *checker, const char *file, const lmo_vector_t v, char *why, size_t cap)
{
    char tmpl[] = "/tmp/lmo-check-XXXXXX";
    int fd = mkstemp(tmpl);
    if (fd < 0) { snprintf(why, cap, "cannot create a temporary file"); return 3; }
    close(fd);
    lmo_err_t err;
    int rc = lmo_json_write_file(v->certificate, tmpl, &err);
    if (rc) { unlink(tmpl); snprintf(why, cap, "%s", err.msg); return 3; }
    pid_t pid = fork();
    if (pid == 0) {
        int devnull = open("/dev/null", 1);
        if (devnull >= 0) { dup2(devnull, 1); dup2(devnull, 2); }
        execl(checker, checker, tmpl, file, (char *) NULL);
        _exit(127);
    }
    int st = 0;
    if (pid < 0 || waitpid(pid, &st, 0) < 0) st = 127 << 8;
    unlink(tmpl);
    int code = WIFEXITED(st) ? WEXITSTATUS(st) : 3;
    if (code == 127) { snprintf(why, cap, "lmo-check not found at %s (set LMO_CHECK)", checker); return 3; }
    if (code != 0) snprintf(why, cap, "lmo-check exit %d", code);
    return code == 0 ? 0 : code == 1 ? 1 : 3;
}

int lmo_cmd_check(int argc, char **argv)
{
    lmo_cli_opts o;
    int rc = lmo_cli_start(&o, argc, argv, CHECK_USAGE, 1), worst = 0;
    if (rc >= 0) return rc;
    char *checker = lmo_cli_checker_path();
    int nok = 0, nfail = 0;
    for (int f = 0; f < o.nfiles; f++) {
        const char *file = o.files[f];
        lmo_err_t err;
        lmo_vector_t v;
        lmo_err_clear(&err);
        lmo_vector_init(v);
        lmo_cli_progress("lmo check: %d/%d %s", f + 1, o.nfiles, file);
        if ((rc = lmo_vector_read_file(v, file, &o.lim, &err))) {
            lmo_cli_report(file, &err);
            worst = FLINT_MAX(worst, rc);
            continue;
        }
        const lmo_kind_ops_t *ops = lmo_kind_ops(v->kind);
        json_t *problems = json_array();
        const char *status = "ok";
        if (ops == NULL) {
            lmo_err_set(&err, LMO_ELIMIT, "kind: lmo cannot check kind \"%s\" yet", v->kind);
            rc = lmo_cli_report(file, &err);
        } else {
            json_t *expect = NULL, *cert = NULL, *fast = NULL, *report = NULL;
            rc = ops->exact(&expect, &cert, v, &o, &err);
            if (rc) lmo_cli_report(file, &err);
            else lmo_kind_split(ops, expect, &report);
            if (rc == 0 && v->expect && !lmo_cli_diff_members(problems, v->expect, expect, "expect"))
                status = "expect_mismatch";
            if (rc == 0 && v->report && !lmo_cli_diff_members(problems, v->report, report, "report"))
                status = "expect_mismatch";
            if (rc == 0 && v->certificate) {
                char why[512] = "";
                int c = run_checker(checker, file, v, why, sizeof why);
                if (c == 1) {
                    json_array_append_new(problems, json_string(why));
                    if (strcmp(status, "ok") == 0) status = "cert_rejected";
                } else if (c != 0) {
                    lmo_err_set(&err, LMO_ELIMIT, "certificate: %s", why);
                    rc = lmo_cli_report(file, &err);
                }
            }
            if (rc == 0 && v->fast) {
                /* the stored policies, recomputed on this machine */
                lmo_fast_policy_t pols[LMO_CLI_MAX_POLICIES];
                int npol = 0;
                const char *key; json_t *val;
                json_object_foreach(v->fast, key, val) {
                    if (npol < LMO_CLI_MAX_POLICIES && lmo_fast_policy_parse(&pols[npol], key) == 0) npol++;
                    else json_array_append_new(problems, json_string("fast: unknown policy name"));
                }
                rc = ops->fast(&fast, v, pols, npol, &o, &err);
                if (rc) lmo_cli_report(file, &err);
                else if (!lmo_cli_diff_members(problems, v->fast, fast, "fast") && strcmp(status, "ok") == 0)
                    status = "float_changed";
            }
            json_decref(expect); json_decref(cert); json_decref(fast); json_decref(report);
        }
        if (rc == 0) {
            int ok = strcmp(status, "ok") == 0;
            ok ? nok++ : nfail++;
            if (!ok) rc = 1;
            if (o.json) {
                json_t *j = json_pack("{s:s, s:s, s:s, s:O}", "id", v->id, "file", file,
                                      "status", status, "problems", problems);
                lmo_cli_print_json(j);
                json_decref(j);
            } else if (!ok || !o.quiet) {
                printf("%s: %s\n", v->id, ok ? "ok" : status);
                for (size_t i = 0; i < json_array_size(problems); i++)
                    printf("  %s\n", json_string_value(json_array_get(problems, i)));
            }
        }
        json_decref(problems);
        lmo_vector_clear(v);
        worst = FLINT_MAX(worst, rc);
    }
    lmo_cli_progress("%s", "");
    if (!o.json) printf("%d passed, %d failed\n", nok, nfail);
    free(checker);
    lmo_cli_opts_clear(&o);
    return worst;
}
