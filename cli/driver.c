/* The one loop of the vector commands (cli/driver.h). */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <sys/wait.h>
#include "driver.h"

static void release(const lmo_kind_t *ops, void *st)
{
    ops->clear(st);
    flint_free(st);
}

/* The exact tier of v through its kind; *ops and *st set on success. */
static int exact(const lmo_kind_t **ops, void **st, const lmo_drive_t *d, const lmo_vector_t v,
                 const lmo_cli_opts *o, lmo_err_t *err)
{
    *st = NULL;
    if (!(*ops = lmo_kind_find(v->kind)))
        return lmo_err_set(err, LMO_ELIMIT, "kind: lmo cannot compute kind \"%s\" yet", v->kind);
    if (d->kinds) {
        const char *const *k = d->kinds;
        while (*k && strcmp(*k, v->kind)) k++;
        if (!*k)
            return lmo_err_set(err, LMO_EINPUT, "kind: lmo %s takes %s%s%s, not \"%s\"", d->command,
                               d->kinds[0], d->kinds[1] ? " or " : "", d->kinds[1] ? d->kinds[1] : "",
                               v->kind);
    }
    if ((o->shard.n || o->merge) && !(*ops)->partial)
        return lmo_err_set(err, LMO_EINPUT, "--shard: kind %s is not a sweep in lmo %s", v->kind,
                           d->command);
    *st = flint_calloc(1, (*ops)->state_size);
    if ((*ops)->exact(*st, v, o, err) == LMO_OK) return LMO_OK;
    release(*ops, *st);
    *st = NULL;
    return err->code;
}

/* The verdict split into *expect (certified) and *report (lmo's findings, NULL if none). */
static void verdict(json_t **expect, json_t **report, const lmo_kind_t *ops, const void *st)
{
    *expect = ops->verdict(st);
    *report = json_object();
    if (ops->report) lmo_kind_move_members(*expect, *report, ops->report);
    if (ops->split) ops->split(*expect, *report);
    if (json_object_size(*report) == 0) json_decref(*report), *report = NULL;
}

/* The stored expect and report against the recomputed ones: problems, 1 when all agree. */
static int against_vector(json_t *problems, const lmo_vector_t v, const json_t *expect,
                          const json_t *report)
{
    json_t *none = json_object();
    int same = 1;
    if (v->expect) same &= lmo_cli_diff_members(problems, v->expect, expect, "expect");
    if (v->report) same &= lmo_cli_diff_members(problems, v->report, report ? report : none, "report");
    json_decref(none);
    return same;
}

/* The fast tier's decisions without their detail and explanations: what a vector stores. */
static json_t *decisions(const json_t *fast)
{
    json_t *out = json_object(), *val;
    const char *key;
    json_object_foreach((json_t *)fast, key, val) {
        json_t *d = json_deep_copy(val);
        json_object_del(d, "detail");
        json_object_del(d, "disagreements");
        json_object_set_new(out, key, d);
    }
    return out;
}

/* ---- exact and compare ---- */

/* A policy's scalar decisions, "rank 1, critical true", for the text beside its name. */
static void decision_summary(char *out, size_t cap, const json_t *decision)
{
    const char *key;
    json_t *val;
    size_t len = 0;
    out[0] = '\0';
    json_object_foreach((json_t *)decision, key, val) {
        char v[64];
        if (!strcmp(key, "agree")) continue;
        if (json_is_integer(val))
            snprintf(v, sizeof v, "%" JSON_INTEGER_FORMAT, json_integer_value(val));
        else if (json_is_boolean(val))
            snprintf(v, sizeof v, "%s", json_is_true(val) ? "true" : "false");
        else if (json_is_string(val) && strcmp(key, "why")) {
            const char *t = json_string_value(val);
            char *end;
            double d = strtod(t, &end); /* a double stored exactly in hex: shown in decimal */
            int hex = !strncmp(t, "0x", 2) || !strncmp(t, "-0x", 3);
            if (hex && *end == '\0')
                snprintf(v, sizeof v, "%.7g", d);
            else
                snprintf(v, sizeof v, "%s", t);
        } else
            continue;
        int n = snprintf(out + len, cap - len, "%s%s %s", len ? ", " : "", key, v);
        if (n < 0 || (size_t)n >= cap - len) { /* too many: the JSON has them all */
            snprintf(out + len, cap - len, len ? ", ..." : "...");
            return;
        }
        len += (size_t)n;
    }
}

static void print_fast_text(const json_t *fast)
{
    const char *key;
    json_t *val;
    json_object_foreach((json_t *)fast, key, val) {
        json_t *dis = json_object_get(val, "disagreements");
        char said[160];
        decision_summary(said, sizeof said, val);
        if (json_array_size(dis) == 0) {
            printf("  %-12s %s%sagree\n", key, said, *said ? ": " : "");
            continue;
        }
        printf("  %-12s %s%sDISAGREE\n", key, said, *said ? ": " : "");
        for (size_t i = 0; i < json_array_size(dis); i++)
            printf("  %-12s %s\n", "", json_string_value(json_array_get(dis, i)));
    }
}

/* Marks each policy agree / not; returns how many disagree. */
static int count_disagreements(json_t *fast)
{
    const char *key;
    json_t *val;
    int n = 0;
    json_object_foreach(fast, key, val) {
        int agree = json_array_size(json_object_get(val, "disagreements")) == 0;
        json_object_set_new(val, "agree", json_boolean(agree));
        n += !agree;
    }
    return n;
}

static int show(const lmo_drive_t *d, const lmo_kind_t *ops, const void *st, const lmo_vector_t v,
                const char *file, const lmo_cli_opts *o)
{
    json_t *expect, *report, *fast = NULL, *problems = json_array();
    lmo_err_t err;
    lmo_err_clear(&err);
    verdict(&expect, &report, ops, st);
    int same = against_vector(problems, v, expect, report), ndis = 0, rc = 0;
    if ((d->mode == LMO_DRIVE_COMPARE || o->npolicies > 0) && ops->fast_policy) {
        lmo_fast_policy_t pols[LMO_CLI_MAX_POLICIES];
        int npol = lmo_cli_policies(pols, o, 0);
        if ((rc = lmo_kind_fast(&fast, ops, st, pols, npol, &err))) rc = lmo_cli_report(file, &err);
        else ndis = count_disagreements(fast);
    }
    if (rc == 0 && o->cert && ops->certificate)
        rc = lmo_cli_write_cert(ops->certificate(st, v->id), v->id, file, o);
    if (rc == 0 && o->json) {
        json_t *j = json_deep_copy(expect), *info = ops->info ? ops->info(st) : NULL;
        json_object_set_new(j, "id", json_string(v->id));
        json_object_set_new(j, "file", json_string(file));
        json_object_set_new(j, "kind", json_string(v->kind));
        if (report) json_object_set(j, "report", report);
        if (info) json_object_set_new(j, "info", info);
        if (v->expect || v->report)
            json_object_set_new(j, "expect", json_pack("{s:b, s:O}", "matches", same, "problems",
                                                       problems));
        if (fast) json_object_set(j, "fast", fast), json_object_set_new(j, "agree", json_boolean(!ndis));
        lmo_cli_print_json(j);
        json_decref(j);
    } else if (rc == 0 && !o->quiet) {
        printf("%s (%s", v->id, v->kind);
        if (ops->shape) fputs(", ", stdout), ops->shape(stdout, st);
        printf(")\n");
        ops->text(stdout, st, o);
        for (size_t i = 0; i < json_array_size(problems); i++)
            printf("  MISMATCH %s\n", json_string_value(json_array_get(problems, i)));
        if (fast) print_fast_text(fast);
    }
    if (rc == 0)
        rc = d->mode == LMO_DRIVE_COMPARE ? ndis > 0 : !same || ndis > 0 || (ops->failed && ops->failed(st));
    json_decref(expect), json_decref(report), json_decref(fast), json_decref(problems);
    return rc;
}

/* ---- bless ---- */

int lmo_drive_bless(lmo_vector_t v, const lmo_cli_opts *o, lmo_err_t *err)
{
    static const lmo_drive_t d = {"bless", LMO_DRIVE_BLESS, NULL};
    const lmo_kind_t *ops;
    void *st;
    lmo_fast_policy_t pols[LMO_CLI_MAX_POLICIES];
    int npol = lmo_cli_policies(pols, o, 1);
    json_t *fast = NULL, *full, *expect, *report, *flags = json_array();
    if (exact(&ops, &st, &d, v, o, err)) return err->code;
    if (ops->fast_policy && lmo_kind_fast(&fast, ops, st, pols, npol, err)) {
        release(ops, st);
        json_decref(flags);
        return err->code;
    }
    json_t *dec = fast ? decisions(fast) : json_object();
    /* flags: keep hand-written and family flags, re-derive those of the verdict */
    static const char *const derived[] = {"FloatDisagrees", "DeficientPatterns", "TheoremViolated",
                                          "Exceptional", NULL};
    for (size_t i = 0; v->flags && i < json_array_size(v->flags); i++) {
        const char *f = json_string_value(json_array_get(v->flags, i));
        int k = 0;
        while (derived[k] && strcmp(f, derived[k])) k++;
        if (!derived[k]) json_array_append_new(flags, json_string(f));
    }
    full = ops->verdict(st);
    if (ops->flags) ops->flags(flags, full, dec);
    lmo_kind_flag_theorems(flags, full);
    json_decref(full);
    verdict(&expect, &report, ops, st);
    lmo_vector_set(v, "expect", expect);
    lmo_vector_set(v, "report", report); /* NULL: none */
    lmo_vector_set(v, "fast", dec);
    lmo_vector_set(v, "flags", flags);
    json_t *cert = ops->certificate ? ops->certificate(st, v->id) : NULL;
    if (cert) lmo_vector_set(v, "certificate", cert);
    json_decref(fast);
    release(ops, st);
    return LMO_OK;
}

/* ---- check ---- */

/* lmo-check on the embedded certificate: 0 accepted, 1 rejected (why set), else an error. */
static int run_checker(const char *file, const lmo_vector_t v, char *why, size_t cap)
{
    char tmpl[] = "/tmp/lmo-check-XXXXXX", *checker = lmo_cli_checker_path();
    int fd = mkstemp(tmpl), code = 3;
    lmo_err_t err;
    if (fd < 0) {
        snprintf(why, cap, "cannot create a temporary file");
        free(checker);
        return 3;
    }
    close(fd);
    if (lmo_json_write_file(v->certificate, tmpl, &err)) {
        snprintf(why, cap, "%s", err.msg);
    } else {
        pid_t pid = fork();
        if (pid == 0) {
            int devnull = open("/dev/null", O_WRONLY);
            if (devnull >= 0) dup2(devnull, 1), dup2(devnull, 2);
            execl(checker, checker, tmpl, file, (char *)NULL);
            _exit(127);
        }
        int st = 0;
        if (pid < 0 || waitpid(pid, &st, 0) < 0) st = 127 << 8;
        code = WIFEXITED(st) ? WEXITSTATUS(st) : 3;
        if (code == 127) snprintf(why, cap, "lmo-check not found at %s (set LMO_CHECK)", checker);
        else if (code) snprintf(why, cap, "lmo-check exit %d", code);
    }
    unlink(tmpl);
    free(checker);
    return code == 0 ? 0 : code == 1 ? 1 : 3;
}

static int check(const lmo_kind_t *ops, const void *st, const lmo_vector_t v, const char *file,
                 const lmo_cli_opts *o)
{
    json_t *expect, *report, *problems = json_array(), *fast = NULL;
    const char *status = "ok";
    char why[512] = "";
    lmo_err_t err;
    int rc = 0;
    lmo_err_clear(&err);
    verdict(&expect, &report, ops, st);
    if (!against_vector(problems, v, expect, report)) status = "expect_mismatch";
    if (v->certificate) {
        int c = run_checker(file, v, why, sizeof why);
        if (c == 1) {
            json_array_append_new(problems, json_string(why));
            if (!strcmp(status, "ok")) status = "cert_rejected";
        } else if (c) {
            lmo_err_set(&err, LMO_ELIMIT, "certificate: %s", why);
            rc = lmo_cli_report(file, &err);
        }
    }
    if (rc == 0 && v->fast && ops->fast_policy) { /* the stored policies, recomputed on this machine */
        lmo_fast_policy_t pols[LMO_CLI_MAX_POLICIES];
        int npol = 0;
        const char *key;
        json_t *val;
        json_object_foreach(v->fast, key, val) {
            if (npol < LMO_CLI_MAX_POLICIES && lmo_fast_policy_parse(&pols[npol], key) == 0) npol++;
            else json_array_append_new(problems, json_string("fast: unknown policy name"));
        }
        if ((rc = lmo_kind_fast(&fast, ops, st, pols, npol, &err))) rc = lmo_cli_report(file, &err);
        else {
            json_t *dec = decisions(fast);
            if (!lmo_cli_diff_members(problems, v->fast, dec, "fast") && !strcmp(status, "ok"))
                status = "float_changed";
            json_decref(dec);
        }
    }
    if (rc == 0 && o->json) {
        json_t *j = json_pack("{s:s, s:s, s:s, s:s, s:O}", "id", v->id, "file", file, "kind",
                              v->kind, "status", status, "problems", problems);
        lmo_cli_print_json(j);
        json_decref(j);
    } else if (rc == 0 && (strcmp(status, "ok") || !o->quiet)) {
        printf("%s: %s\n", v->id, status);
        for (size_t i = 0; i < json_array_size(problems); i++)
            printf("  %s\n", json_string_value(json_array_get(problems, i)));
    }
    if (rc == 0) rc = strcmp(status, "ok") != 0;
    json_decref(expect), json_decref(report), json_decref(problems), json_decref(fast);
    return rc;
}

/* ---- the loop ---- */

int lmo_drive_vector(const lmo_drive_t *d, lmo_vector_t v, const char *file, const lmo_cli_opts *o)
{
    const lmo_kind_t *ops;
    void *st;
    lmo_err_t err;
    lmo_err_clear(&err);
    if (d->mode == LMO_DRIVE_BLESS) {
        int rc = lmo_drive_bless(v, o, &err);
        if (rc == 0 && strcmp(file, "-") == 0 && !o->out) rc = lmo_json_write_file(v->root, "-", &err);
        return rc ? lmo_cli_report(file, &err) : 0;
    }
    if (exact(&ops, &st, d, v, o, &err)) return lmo_cli_report(file, &err);
    int rc = d->mode == LMO_DRIVE_CHECK ? check(ops, st, v, file, o) : show(d, ops, st, v, file, o);
    release(ops, st);
    return rc;
}

/* ---- shards (cli/shard.h) ---- */

/* Input FILE of a sharded run: {"file", "vector", "part"}, or {"file", "error"} after
 * reporting it, appended to the partial's inputs. */
static int shard_input(json_t *inputs, const lmo_drive_t *d, lmo_vector_t v, int read_rc,
                       lmo_err_t *err, const char *file, const lmo_cli_opts *o)
{
    const lmo_kind_t *ops;
    void *st;
    int rc = read_rc ? read_rc : exact(&ops, &st, d, v, o, err);
    if (rc) {
        json_array_append_new(inputs, json_pack("{s:s, s:{s:i, s:s}}", "file", file, "error", "code",
                                                err->code, "message", err->msg));
        return lmo_cli_report(file, err);
    }
    json_array_append_new(inputs, json_pack("{s:s, s:O, s:o}", "file", file, "vector", v->root,
                                            "part", ops->partial(st)));
    release(ops, st);
    return 0;
}

/* Input F of the merge in progress: its error if a shard had one, else the loop on the
 * vector the shards read, the sweep taking its items from the parts. */
static int merge_input(const lmo_drive_t *d, int f, const char *file, const lmo_cli_opts *o)
{
    const lmo_shard_merge_t *m = o->merge;
    const json_t **parts = calloc((size_t)m->n, sizeof *parts), *in0 = NULL;
    lmo_cli_opts om = *o;
    lmo_vector_t v;
    lmo_err_t err;
    ulong total;
    int rc = 0;
    lmo_err_clear(&err);
    lmo_vector_init(v);
    for (slong k = 0; k < m->n && rc == 0; k++) {
        const json_t *in = json_array_get(json_object_get(m->parts[k], "inputs"), (size_t)f);
        const json_t *e = json_object_get(in, "error");
        const char *name = json_string_value(json_object_get(in, "file"));
        if (!in0) in0 = in;
        if (!name || strcmp(name, file))
            rc = lmo_err_set(&err, LMO_EINPUT, "shard %ld: inputs[%d].file: not %s", (long)k + 1, f,
                             file);
        else if (e) { /* what the unsharded run says */
            const char *msg = json_string_value(json_object_get(e, "message"));
            rc = lmo_err_set(&err, (int)json_integer_value(json_object_get(e, "code")), "%s",
                             msg ? msg : "");
        } else if (!json_equal(json_object_get(in, "vector"), json_object_get(in0, "vector")))
            rc = lmo_err_set(&err, LMO_EINPUT, "shard %ld: inputs[%d].vector: not shard 1's", (long)k + 1, f);
    }
    if (rc == 0) rc = lmo_shard_merge_input(parts, &total, m, (size_t)f, &err);
    if (rc == 0) {
        char *text = json_dumps(json_object_get(in0, "vector"), JSON_COMPACT);
        rc = text ? lmo_vector_read_string(v, text, &o->lim, &err)
                  : lmo_err_set(&err, LMO_EINPUT, "shard 1: inputs[%d].vector: missing", f);
        free(text);
    }
    om.merge_parts = parts;
    rc = rc ? lmo_cli_report(file, &err) : lmo_drive_vector(d, v, file, &om);
    lmo_vector_clear(v);
    free(parts);
    return rc;
}

/* lmo bless writes FILE back (or DIR/ID.json with --out) */
static int bless_write(const lmo_vector_t v, const char *file, const lmo_cli_opts *o)
{
    lmo_err_t err;
    int rc;
    if (!o->out && !strcmp(file, "-")) return 0; /* written to stdout by lmo_drive_vector */
    size_t n = (o->out ? strlen(o->out) + strlen(v->id) : strlen(file)) + 8;
    char *path = malloc(n);
    if (o->out) snprintf(path, n, "%s/%s.json", o->out, v->id);
    else snprintf(path, n, "%s", file);
    rc = lmo_json_write_file(v->root, path, &err);
    if (rc) rc = lmo_cli_report(file, &err);
    else if (!o->quiet) printf("blessed %s\n", path);
    free(path);
    return rc;
}

int lmo_drive(const lmo_drive_t *d, const lmo_cli_opts *o)
{
    int worst = 0, nok = 0, nfail = 0;
    json_t *partial = o->shard.n ? lmo_shard_partial_new(d->command, o->argc, o->argv, &o->shard)
                                 : NULL;
    lmo_cli_progress_t pr;
    lmo_cli_progress_start(&pr, d->command, o->nfiles);
    for (int f = 0; f < o->nfiles; f++) {
        const char *file = o->files[f];
        lmo_vector_t v;
        lmo_err_t err;
        int rc;
        lmo_err_clear(&err);
        lmo_vector_init(v);
        lmo_cli_set_input(file);
        if (o->merge) rc = merge_input(d, f, file, o);
        else if ((rc = lmo_vector_read_file(v, file, &o->lim, &err)), partial)
            rc = shard_input(json_object_get(partial, "inputs"), d, v, rc, &err, file, o);
        else if (rc) rc = lmo_cli_report(file, &err);
        else rc = lmo_drive_vector(d, v, file, o);
        if (rc == 0 && d->mode == LMO_DRIVE_BLESS) rc = bless_write(v, file, o);
        if (rc <= 1) rc ? nfail++ : nok++;
        lmo_vector_clear(v);
        worst = rc > worst ? rc : worst;
        lmo_cli_progress(&pr, f + 1);
    }
    lmo_cli_progress_done(&pr);
    if (partial) { /* a shard prints its partial and nothing else on stdout */
        lmo_cli_print_json(partial);
        json_decref(partial);
        return worst;
    }
    if (d->mode == LMO_DRIVE_CHECK && !o->json) printf("%d passed, %d failed\n", nok, nfail);
    if (d->mode == LMO_DRIVE_COMPARE && !o->json && !o->quiet && o->nfiles > 1)
        printf("%d inputs, %d with a disagreement\n", o->nfiles, nfail);
    return worst;
}
