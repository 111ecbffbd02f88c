/*
 * Matrices, vector files and canonical output (DESIGN.md, "Vector files");
 * see lmo/core/vector_io.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "lmo/core/vector_io.h"

/* ---- matrices ---- */

const json_t *lmo_json_require(const json_t *obj, const char *key,
                               const char *path, lmo_err_t *err)
{
    if (!json_is_object(obj)) {
        lmo_err_set(err, LMO_EINPUT, "%s: expected a JSON object", path);
        return NULL;
    }
    const json_t *v = json_object_get(obj, key);
    if (v == NULL) lmo_err_set(err, LMO_EINPUT, "%s.%s: missing field", path, key);
    return v;
}

const json_t *lmo_json_require_weights(slong *nlayers, const json_t *input,
                                       const lmo_limits_t *lim, lmo_err_t *err)
{
    const json_t *jw = lmo_json_require(input, "weights", "input", err);
    if (!jw) return NULL;
    slong L = json_is_array(jw) ? (slong) json_array_size(jw) : 0;
    if (!json_is_array(jw))
        lmo_err_set(err, LMO_EINPUT, "input.weights: must be an array of matrices "
                    "[W1, ..., W(H+1)]");
    else if (L < 2)
        lmo_err_set(err, LMO_EINPUT, "input.weights: %ld matrices; need at least 2 "
                    "(H >= 1 hidden layer)", (long) L);
    else if (L - 1 > lim->max_dim)
        lmo_err_set(err, LMO_ELIMIT, "input.weights: %ld layers, over the cap", (long) L);
    else {
        *nlayers = L;
        return jw;
    }
    return NULL;
}

const json_t *lmo_json_require_network(const json_t **jx, const json_t **jy, slong *nlayers,
                                       lmo_limits_t *lim, const json_t *input,
                                       const lmo_limits_t *lim_in, lmo_err_t *err)
{
    if (lim_in) *lim = *lim_in; else lmo_limits_default(lim);
    if (!json_is_object(input)) {
        lmo_err_set(err, LMO_EINPUT, "input: must be an object");
        return NULL;
    }
    if (!(*jx = lmo_json_require(input, "X", "input", err))) return NULL;
    if (!(*jy = lmo_json_require(input, "Y", "input", err))) return NULL;
    return lmo_json_require_weights(nlayers, input, lim, err);
}

static int check_shape(slong m, slong n, const char *path, const lmo_limits_t *lim,
                       lmo_err_t *err)
{
    if (m > lim->max_dim || n > lim->max_dim)
        return lmo_err_set(err, LMO_ELIMIT, "%s: %ld x %ld exceeds the dimension cap %ld (LMO_MAX_DIM)",
                           path, (long) m, (long) n, (long) lim->max_dim);
    if (n != 0 && m > lim->max_entries / n)
        return lmo_err_set(err, LMO_ELIMIT, "%s: %ld x %ld exceeds the cap of %ld entries (LMO_MAX_ENTRIES)",
                           path, (long) m, (long) n, (long) lim->max_entries);
    return LMO_OK;
}

int lmo_mat_set_json(fmpq_mat_t M, const json_t *v, const char *path,
                     const lmo_limits_t *lim, lmo_err_t *err)
{
    char sub[256];
    slong m, n;
    const json_t *jr, *jc, *jd;

    if (!json_is_object(v))
        return lmo_err_set(err, LMO_EINPUT, "%s: expected a matrix {\"rows\", \"cols\", \"data\"}", path);
    if ((jr = lmo_json_require(v, "rows", path, err)) == NULL) return err->code;
    if ((jc = lmo_json_require(v, "cols", path, err)) == NULL) return err->code;
    if ((jd = lmo_json_require(v, "data", path, err)) == NULL) return err->code;
    {
        const char *key; json_t *val;
        json_object_foreach((json_t *) v, key, val) {
            if (strcmp(key, "rows") && strcmp(key, "cols") && strcmp(key, "data"))
                return lmo_err_set(err, LMO_EINPUT, "%s.%s: unknown field of a matrix", path, key);
        }
    }
    snprintf(sub, sizeof sub, "%s.rows", path);
    if (lmo_slong_set_json(&m, jr, sub, 0, lim->max_dim, err)) return err->code;
    snprintf(sub, sizeof sub, "%s.cols", path);
    if (lmo_slong_set_json(&n, jc, sub, 0, lim->max_dim, err)) return err->code;
    if (check_shape(m, n, path, lim, err)) return err->code;
    if (!json_is_array(jd))
        return lmo_err_set(err, LMO_EINPUT, "%s.data: expected an array of rows", path);
    if ((slong) json_array_size(jd) != m)
        return lmo_err_set(err, LMO_EINPUT, "%s.data: has %zu rows but rows = %ld",
                           path, json_array_size(jd), (long) m);
    for (slong i = 0; i < m; i++) {
        const json_t *row = json_array_get(jd, (size_t) i);
        if (!json_is_array(row))
            return lmo_err_set(err, LMO_EINPUT, "%s.data[%ld]: expected an array", path, (long) i);
        if ((slong) json_array_size(row) != n)
            return lmo_err_set(err, LMO_EINPUT, "%s.data[%ld]: has %zu entries but cols = %ld (ragged rows)",
                               path, (long) i, json_array_size(row), (long) n);
    }
    fmpq_mat_init(M, m, n);
    for (slong i = 0; i < m; i++) {
        const json_t *row = json_array_get(jd, (size_t) i);
        for (slong j = 0; j < n; j++) {
            snprintf(sub, sizeof sub, "%s.data[%ld][%ld]", path, (long) i, (long) j);
            if (lmo_q_set_json(fmpq_mat_entry(M, i, j), json_array_get(row, (size_t) j), sub, lim, err)) {
                fmpq_mat_clear(M);
                return err->code;
            }
        }
    }
    return LMO_OK;
}

int lmo_vec_set_json(fmpq_mat_t v, const json_t *a, const char *path,
                     const lmo_limits_t *lim, lmo_err_t *err)
{
    char sub[256];
    if (!json_is_array(a))
        return lmo_err_set(err, LMO_EINPUT, "%s: expected an array of numbers", path);
    slong n = (slong) json_array_size(a);
    if (check_shape(1, n, path, lim, err)) return err->code;
    fmpq_mat_init(v, 1, n);
    for (slong j = 0; j < n; j++) {
        snprintf(sub, sizeof sub, "%s[%ld]", path, (long) j);
        if (lmo_q_set_json(fmpq_mat_entry(v, 0, j), json_array_get(a, (size_t) j), sub, lim, err)) {
            fmpq_mat_clear(v);
            return err->code;
        }
    }
    return LMO_OK;
}

json_t *lmo_json_from_mat(const fmpq_mat_t M)
{
    json_t *o = json_object(), *data = json_array();
    json_object_set_new(o, "rows", json_integer(fmpq_mat_nrows(M)));
    json_object_set_new(o, "cols", json_integer(fmpq_mat_ncols(M)));
    for (slong i = 0; i < fmpq_mat_nrows(M); i++) {
        json_t *row = json_array();
        for (slong j = 0; j < fmpq_mat_ncols(M); j++)
            json_array_append_new(row, lmo_json_from_q(fmpq_mat_entry(M, i, j)));
        json_array_append_new(data, row);
    }
    json_object_set_new(o, "data", data);
    return o;
}

/* ---- vector envelope ---- */

static const char *const KINDS[] = {
    "matrix_rank", "khatri_rao_rank", "mnn", "mnn_patterns", "witness", "deep_linear", "khk",
    "nguyen_hein", NULL
};
/* Envelope keys in canonical order (DESIGN.md). */
static const char *const ENVELOPE[] = {
    "format", "kind", "id", "source", "input", "expect", "report", "fast", "flags", "certificate", NULL
};

int lmo_kind_is_known(const char *kind)
{
    for (int i = 0; KINDS[i]; i++) if (strcmp(kind, KINDS[i]) == 0) return 1;
    return 0;
}

void lmo_vector_init(lmo_vector_t v)
{
    memset(v, 0, sizeof *v);
}

void lmo_vector_clear(lmo_vector_t v)
{
    if (v->root) json_decref(v->root);
    memset(v, 0, sizeof *v);
}

static int valid_id(const char *s)
{
    if (*s == '\0') return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-')) return 0;
    return 1;
}

static void bind_members(lmo_vector_t v)
{
    json_t *r = v->root;
    v->kind = json_string_value(json_object_get(r, "kind"));
    v->id = json_string_value(json_object_get(r, "id"));
    v->source = json_string_value(json_object_get(r, "source"));
    v->input = json_object_get(r, "input");
    v->expect = json_object_get(r, "expect");
    v->report = json_object_get(r, "report");
    v->fast = json_object_get(r, "fast");
    v->flags = json_object_get(r, "flags");
    v->certificate = json_object_get(r, "certificate");
}

static int validate_envelope(lmo_vector_t v, lmo_err_t *err)
{
    json_t *r = v->root;
    const char *key; json_t *val;

    if (!json_is_object(r)) return lmo_err_set(err, LMO_EINPUT, "(document): expected a JSON object");
    json_object_foreach(r, key, val) {
        int known = 0;
        for (int i = 0; ENVELOPE[i]; i++) if (strcmp(key, ENVELOPE[i]) == 0) known = 1;
        if (!known) return lmo_err_set(err, LMO_EINPUT, "%s: unknown top-level field", key);
    }
    const json_t *f = json_object_get(r, "format");
    if (f == NULL) return lmo_err_set(err, LMO_EINPUT, "format: missing field");
    if (!json_is_string(f) || strcmp(json_string_value(f), "lmo-vector/1") != 0)
        return lmo_err_set(err, LMO_EINPUT, "format: expected \"lmo-vector/1\"");
    const json_t *k = json_object_get(r, "kind");
    if (k == NULL) return lmo_err_set(err, LMO_EINPUT, "kind: missing field");
    if (!json_is_string(k)) return lmo_err_set(err, LMO_EINPUT, "kind: expected a string");
    if (!lmo_kind_is_known(json_string_value(k)))
        return lmo_err_set(err, LMO_EINPUT, "kind: unknown kind \"%.64s\" (known: matrix_rank, "
                           "khatri_rao_rank, mnn, mnn_patterns, witness, deep_linear, khk, nguyen_hein)",
                           json_string_value(k));
    const json_t *id = json_object_get(r, "id");
    if (id == NULL) return lmo_err_set(err, LMO_EINPUT, "id: missing field");
    if (!json_is_string(id) || !valid_id(json_string_value(id)))
        return lmo_err_set(err, LMO_EINPUT, "id: expected a non-empty string of [a-z0-9-]");
    const json_t *s = json_object_get(r, "source");
    if (s == NULL) return lmo_err_set(err, LMO_EINPUT, "source: missing field");
    if (!json_is_string(s)) return lmo_err_set(err, LMO_EINPUT, "source: expected a string");
    const json_t *in = json_object_get(r, "input");
    if (in == NULL) return lmo_err_set(err, LMO_EINPUT, "input: missing field");
    if (!json_is_object(in)) return lmo_err_set(err, LMO_EINPUT, "input: expected an object");
    static const char *const OBJS[] = { "expect", "report", "fast", "certificate", NULL };
    for (int i = 0; OBJS[i]; i++) {
        const json_t *o = json_object_get(r, OBJS[i]);
        if (o != NULL && !json_is_object(o))
            return lmo_err_set(err, LMO_EINPUT, "%s: expected an object", OBJS[i]);
    }
    const json_t *fl = json_object_get(r, "flags");
    if (fl != NULL) {
        if (!json_is_array(fl)) return lmo_err_set(err, LMO_EINPUT, "flags: expected an array of strings");
        for (size_t i = 0; i < json_array_size(fl); i++)
            if (!json_is_string(json_array_get(fl, i)))
                return lmo_err_set(err, LMO_EINPUT, "flags[%zu]: expected a string", i);
    }
    bind_members(v);
    return LMO_OK;
}

static int load_text(lmo_vector_t v, const char *text, size_t len, lmo_err_t *err)
{
    json_error_t je;
    v->root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    if (v->root == NULL) {
        /* out of memory is a limit (exit 3), not a defect of the file */
        if (json_error_code(&je) == json_error_out_of_memory)
            return lmo_err_set(err, LMO_ELIMIT, "(document): out of memory while parsing %zu bytes of "
                               "JSON", len);
        /* "too big integer" and "too big negative integer" */
        if (strstr(je.text, "too big") && strstr(je.text, "integer"))
            return lmo_err_set(err, LMO_EINPUT, "(json line %d, column %d): integer outside int64: "
                               "quote it as a string", je.line, je.column);
        return lmo_err_set(err, LMO_EINPUT, "(json line %d, column %d): %s", je.line, je.column, je.text);
    }
    int rc = validate_envelope(v, err);
    if (rc) { json_decref(v->root); v->root = NULL; }
    return rc;
}

int lmo_vector_read_string(lmo_vector_t v, const char *text,
                           const lmo_limits_t *lim, lmo_err_t *err)
{
    size_t len = strlen(text);
    if ((slong) len > lim->max_file_bytes)
        return lmo_err_set(err, LMO_ELIMIT, "(document): %zu bytes exceed the cap (LMO_MAX_FILE_BYTES)", len);
    return load_text(v, text, len, err);
}

int lmo_vector_read_file(lmo_vector_t v, const char *path,
                         const lmo_limits_t *lim, lmo_err_t *err)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (f == NULL) return lmo_err_set(err, LMO_EINPUT, "(file): cannot open: %s", strerror(errno));
    struct stat st;
    if (f != stdin && fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        fclose(f);
        return lmo_err_set(err, LMO_EINPUT, "(file): is a directory");
    }
    if (f != stdin && fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode)
        && (slong) st.st_size > lim->max_file_bytes) {
        fclose(f);
        return lmo_err_set(err, LMO_ELIMIT, "(file): %lld bytes exceed the cap of %ld (LMO_MAX_FILE_BYTES)",
                           (long long) st.st_size, (long) lim->max_file_bytes);
    }
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    if (buf == NULL) { if (f != stdin) fclose(f); return lmo_err_set(err, LMO_ELIMIT, "(file): out of memory"); }
    for (;;) {
        if (len == cap) {
            if ((slong) cap > lim->max_file_bytes) {
                free(buf); if (f != stdin) fclose(f);
                return lmo_err_set(err, LMO_ELIMIT, "(file): exceeds the cap of %ld bytes (LMO_MAX_FILE_BYTES)",
                                   (long) lim->max_file_bytes);
            }
            char *nb = realloc(buf, cap * 2);
            if (nb == NULL) { free(buf); if (f != stdin) fclose(f); return lmo_err_set(err, LMO_ELIMIT, "(file): out of memory"); }
            buf = nb; cap *= 2;
        }
        size_t got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (got == 0) break;
    }
    int rd_err = ferror(f);
    if (f != stdin) fclose(f);
    if (rd_err) { free(buf); return lmo_err_set(err, LMO_EINPUT, "(file): read error"); }
    if (len == 0) { free(buf); return lmo_err_set(err, LMO_EINPUT, "(document): empty file"); }
    int rc = load_text(v, buf, len, err);
    free(buf);
    return rc;
}

void lmo_vector_set(lmo_vector_t v, const char *key, json_t *value)
{
    if (value) json_object_set_new(v->root, key, value);
    else json_object_del(v->root, key);
    bind_members(v);
}

/* ---- canonical output ---- */

typedef struct { char *s; size_t len, cap; } sbuf;

static void sb_put(sbuf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t c = b->cap ? b->cap : 4096;
        while (c < b->len + n + 1) c *= 2;
        char *ns = realloc(b->s, c);
        if (ns == NULL) abort();   /* nothing sensible to do on OOM mid-write */
        b->s = ns; b->cap = c;
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}
static void sb_str(sbuf *b, const char *s) { sb_put(b, s, strlen(s)); }
static void sb_indent(sbuf *b, int d) { for (int i = 0; i < d; i++) sb_put(b, "  ", 2); }

/* sorted keys, but "format" first: a reader sees what a document is */
static int cmp_keys(const void *a, const void *b)
{
    const char *x = *(const char *const *) a, *y = *(const char *const *) b;
    int fx = strcmp(x, "format") == 0, fy = strcmp(y, "format") == 0;
    if (fx || fy) return fy - fx;
    return strcmp(x, y);
}

/* A string that spells an exact number is written canonically under the
 * hand-written member of a vector, input. Everything else is written by lmo
 * and left as produced: its numbers are canonical already, a certificate's
 * prime keeps the spelling its format documents, and a string such as an
 * activation pattern "0" (a kink) stays a string. */
static json_t *canon_scalar(json_t *v, int numeric)
{
    if (numeric && json_is_string(v)) {
        lmo_limits_t lim; lmo_err_t e; fmpq_t q;
        lmo_limits_default(&lim);
        fmpq_init(q);
        json_t *r = NULL;
        if (lmo_q_set_str(q, json_string_value(v), "", &lim, &e) == LMO_OK) r = lmo_json_from_q(q);
        fmpq_clear(q);
        if (r) return r;
    }
    return json_incref(v);
}

static void emit(sbuf *b, json_t *v, int depth, int numeric, int envelope);

json_t *lmo_json_canonical_numbers(const json_t *v)
{
    if (json_is_object(v)) {
        json_t *o = json_object();
        const char *key; json_t *val;
        json_object_foreach((json_t *) v, key, val)
            json_object_set_new(o, key, lmo_json_canonical_numbers(val));
        return o;
    }
    if (json_is_array(v)) {
        json_t *a = json_array();
        for (size_t i = 0; i < json_array_size(v); i++)
            json_array_append_new(a, lmo_json_canonical_numbers(json_array_get(v, i)));
        return a;
    }
    return canon_scalar((json_t *) v, 1);
}

static void emit_scalar(sbuf *b, json_t *v, int numeric)
{
    json_t *c = canon_scalar(v, numeric);
    char *s = json_dumps(c, JSON_ENCODE_ANY);
    sb_str(b, s);
    free(s);
    json_decref(c);
}

static void emit(sbuf *b, json_t *v, int depth, int numeric, int envelope)
{
    if (json_is_object(v)) {
        size_t n = json_object_size(v), k = 0;
        if (n == 0) { sb_str(b, "{}"); return; }
        const char **keys = malloc(n * sizeof *keys);
        const char *key; json_t *val;
        if (envelope) {
            for (int i = 0; ENVELOPE[i]; i++) if (json_object_get(v, ENVELOPE[i])) keys[k++] = ENVELOPE[i];
            size_t first_unknown = k;
            json_object_foreach(v, key, val) {          /* unknown keys last, sorted */
                int known = 0;
                for (int i = 0; ENVELOPE[i]; i++) if (strcmp(key, ENVELOPE[i]) == 0) known = 1;
                if (!known) keys[k++] = key;
            }
            qsort(keys + first_unknown, k - first_unknown, sizeof *keys, cmp_keys);
        } else {
            json_object_foreach(v, key, val) keys[k++] = key;
            qsort(keys, k, sizeof *keys, cmp_keys);
        }
        sb_str(b, "{\n");
        for (size_t i = 0; i < k; i++) {
            json_t *kj = json_string(keys[i]);
            sb_indent(b, depth + 1);
            emit_scalar(b, kj, 0);
            json_decref(kj);
            sb_str(b, ": ");
            int num = numeric || (envelope && !strcmp(keys[i], "input"));
            emit(b, json_object_get(v, keys[i]), depth + 1, num, 0);
            sb_str(b, i + 1 < k ? ",\n" : "\n");
        }
        sb_indent(b, depth);
        sb_str(b, "}");
        free(keys);
    } else if (json_is_array(v)) {
        size_t n = json_array_size(v);
        int flat = 1;
        for (size_t i = 0; i < n; i++) {
            json_t *e = json_array_get(v, i);
            if (json_is_object(e) || json_is_array(e)) flat = 0;
        }
        if (n == 0) { sb_str(b, "[]"); return; }
        if (flat) {   /* a row of numbers stays on one line */
            sb_str(b, "[");
            for (size_t i = 0; i < n; i++) {
                if (i) sb_str(b, ", ");
                emit_scalar(b, json_array_get(v, i), numeric);
            }
            sb_str(b, "]");
        } else {
            sb_str(b, "[\n");
            for (size_t i = 0; i < n; i++) {
                sb_indent(b, depth + 1);
                emit(b, json_array_get(v, i), depth + 1, numeric, 0);
                sb_str(b, i + 1 < n ? ",\n" : "\n");
            }
            sb_indent(b, depth);
            sb_str(b, "]");
        }
    } else {
        emit_scalar(b, v, numeric);
    }
}

char *lmo_json_dumps_canonical(const json_t *doc)
{
    sbuf b = { NULL, 0, 0 };
    int envelope = json_is_object(doc) && json_is_string(json_object_get(doc, "format"))
                   && strcmp(json_string_value(json_object_get(doc, "format")), "lmo-vector/1") == 0;
    emit(&b, (json_t *) doc, 0, 0, envelope);
    sb_str(&b, "\n");
    return b.s;
}

int lmo_json_write_file(const json_t *doc, const char *path, lmo_err_t *err)
{
    char *text = lmo_json_dumps_canonical(doc);
    size_t len = strlen(text);
    if (strcmp(path, "-") == 0) {
        size_t w = fwrite(text, 1, len, stdout);
        free(text);
        if (w != len || fflush(stdout) != 0)
            return lmo_err_set(err, LMO_ELIMIT, "(stdout): write failed");
        return LMO_OK;
    }
    size_t pl = strlen(path);
    char *tmp = malloc(pl + 16);
    memcpy(tmp, path, pl);
    memcpy(tmp + pl, ".tmp.XXXXXX", 12);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        free(text); free(tmp);
        return lmo_err_set(err, LMO_EINPUT, "%s: cannot create: %s", path, strerror(errno));
    }
    size_t off = 0;
    while (off < len) {
        ssize_t w = write(fd, text + off, len - off);
        if (w <= 0) break;
        off += (size_t) w;
    }
    int ok = off == len && fsync(fd) == 0;
    ok = (close(fd) == 0) && ok;
    if (ok) chmod(tmp, 0644);
    if (!ok || rename(tmp, path) != 0) {
        int e = errno;
        unlink(tmp);
        free(text); free(tmp);
        return lmo_err_set(err, LMO_ELIMIT, "%s: write failed: %s", path, strerror(e));
    }
    free(text); free(tmp);
    return LMO_OK;
}
