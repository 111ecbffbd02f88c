/*
 * lmo/core/vector_io.h -- exact numbers, matrices and vector files (DESIGN.md,
 * "Numbers" and "Vector files").
 *
 * Every number lmo reads is exact: a JSON integer (within int64) or a JSON
 * string spelling an integer "12", a fraction "-3/7", an exact decimal
 * "0.1" or "1e-30", or an exact binary float "0x1.8p-3". An unquoted JSON
 * real is refused (its text is lost by the parser). NaN and infinities are
 * refused. Writing is canonical: integers within int64 as JSON integers,
 * everything else as a reduced "p/q" (or "n") string; keys of the envelope
 * in the fixed order of DESIGN.md, keys of nested objects sorted, two-space
 * indentation -- so equal content gives byte-identical files.
 */
#ifndef LMO_CORE_VECTOR_IO_H
#define LMO_CORE_VECTOR_IO_H

#include <jansson.h>
#include <flint/fmpq.h>
#include <flint/fmpq_mat.h>
#include "lmo/core/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- numbers ---- */

/* Parse an exact number string (see above). `path` names the field for the
 * error message. Returns LMO_OK, LMO_EINPUT or LMO_ELIMIT (bits over cap,
 * checked from the spelling before any big allocation). */
int lmo_q_set_str(fmpq_t x, const char *s, const char *path,
                  const lmo_limits_t *lim, lmo_err_t *err);
/* Same for a JSON value: integer or string; reals, bools, null refused. */
int lmo_q_set_json(fmpq_t x, const json_t *v, const char *path,
                   const lmo_limits_t *lim, lmo_err_t *err);
/* A non-negative JSON integer (dimensions, indices, seeds) within [lo, hi]. */
int lmo_slong_set_json(slong *x, const json_t *v, const char *path, slong lo,
                       slong hi, lmo_err_t *err);
/* Canonical JSON for an exact number (new reference). */
json_t *lmo_json_from_q(const fmpq_t x);
json_t *lmo_json_from_z(const fmpz_t x);
/* Canonical string "p/q" or "n" (flint_free the result). */
char *lmo_q_get_str(const fmpq_t x);

/* ---- matrices: {"rows": m, "cols": n, "data": [[...], ...]} ---- */

/* Read a matrix. M must NOT be initialised; on LMO_OK it is initialised to
 * rows x cols and must be fmpq_mat_clear'ed. Dimensions are checked against
 * the caps before allocating. */
int lmo_mat_set_json(fmpq_mat_t M, const json_t *v, const char *path,
                     const lmo_limits_t *lim, lmo_err_t *err);
json_t *lmo_json_from_mat(const fmpq_mat_t M);
/* A JSON array of exact numbers as a 1 x n matrix (same init convention). */
int lmo_vec_set_json(fmpq_mat_t v, const json_t *a, const char *path,
                     const lmo_limits_t *lim, lmo_err_t *err);

/* Look up a required member of an object; error naming path.key if absent. */
const json_t *lmo_json_require(const json_t *obj, const char *key,
                               const char *path, lmo_err_t *err);

/* input.weights of a network with at least one hidden layer (kinds deep_linear, khk): an
 * array of at least 2 matrices (not read here), at most lim->max_dim + 1 of them. Sets
 * *nlayers to their count; NULL after an error naming input.weights. */
const json_t *lmo_json_require_weights(slong *nlayers, const json_t *input,
                                       const lmo_limits_t *lim, lmo_err_t *err);

/* What every network kind with hidden layers reads first (deep_linear, khk): *lim the caps
 * in force (*lim_in, or lmo_limits_default when NULL), then in this order input an object,
 * input.X (*jx), input.Y (*jy), input.weights as above (returned, *nlayers). NULL after an
 * error naming the first of them that is wrong. */
const json_t *lmo_json_require_network(const json_t **jx, const json_t **jy, slong *nlayers,
                                       lmo_limits_t *lim, const json_t *input,
                                       const lmo_limits_t *lim_in, lmo_err_t *err);

/* ---- vector files ---- */

typedef struct {
    json_t *root;          /* the whole document (owned) */
    const char *kind;      /* borrowed from root */
    const char *id;
    const char *source;
    json_t *input;         /* borrowed; never NULL after a successful read */
    json_t *expect;        /* borrowed; NULL when absent: the certified verdict */
    json_t *report;        /* lmo's further findings, not certified (may be NULL) */
    json_t *fast;
    json_t *flags;
    json_t *certificate;
} lmo_vector_struct;
typedef lmo_vector_struct lmo_vector_t[1];

void lmo_vector_init(lmo_vector_t v);
void lmo_vector_clear(lmo_vector_t v);

/* Known kinds of DESIGN.md; anything else is refused with LMO_EINPUT. */
int lmo_kind_is_known(const char *kind);

/* Read and validate the envelope (format, kind, id, source, input; optional
 * expect, report, fast, flags, certificate). `path` "-" reads stdin. Duplicate keys,
 * truncated JSON, invalid UTF-8 and over-size files are refused. */
int lmo_vector_read_file(lmo_vector_t v, const char *path,
                         const lmo_limits_t *lim, lmo_err_t *err);
int lmo_vector_read_string(lmo_vector_t v, const char *text,
                           const lmo_limits_t *lim, lmo_err_t *err);

/* Replace (steal the reference) one envelope member: "expect", "report",
 * "fast", "flags" or "certificate"; NULL removes it. */
void lmo_vector_set(lmo_vector_t v, const char *key, json_t *value);

/* Deep copy of v with every string that spells an exact number replaced by
 * its canonical form (so "0.5", "1/2" and "0x1p-1" compare equal). */
json_t *lmo_json_canonical_numbers(const json_t *v);

/* Canonical text of a JSON document (the vector envelope order when the
 * document is a vector, sorted keys elsewhere, exact numbers under a
 * vector's input normalised). Free with free(). */
char *lmo_json_dumps_canonical(const json_t *doc);

/* Write `doc` canonically to `path` atomically: a temporary file in the same
 * directory, fsync, rename. "-" writes stdout. Never leaves a partial file. */
int lmo_json_write_file(const json_t *doc, const char *path, lmo_err_t *err);

#ifdef __cplusplus
}
#endif
#endif
