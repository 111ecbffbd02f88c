/* lmoc.h -- the independent certificate checker lmo-check (DESIGN.md "Certificates").
 *
 * Computes: whether a certificate proves its claim about a vector file, re-deriving
 * everything from the vector's exact input with GMP only. First claim type: the rank
 * of a matrix (kind matrix_rank) or of the Khatri-Rao product G = A o X of
 * Soudry-Carmon eq. (4.4) (kind khatri_rao_rank). Rules and their soundness:
 * proofs/README.md.
 *
 * Deliberately shares no code with oracle/ (no FLINT, no jansson): a bug in the
 * oracle must not be able to hide itself from the checker.
 */
#ifndef LMOC_H
#define LMOC_H

#include <stddef.h>
#include <gmp.h>

/* Counts and indices are longs: JSON integers are int64 (DESIGN.md), and residues mod a
   p < 2^63 must fit the unsigned long of mpz_get_ui. */
_Static_assert(sizeof(long) == 8, "lmo-check assumes LP64");

/* Exit codes of lmo-check, also the return codes of every checking function. */
enum { LMOC_OK = 0, LMOC_REJECT = 1, LMOC_EINPUT = 2 };

/* ---- a tiny JSON tree (json.c) ---- */
enum { LMOC_J_NULL, LMOC_J_FALSE, LMOC_J_TRUE, LMOC_J_INT, LMOC_J_STR, LMOC_J_ARR,
       LMOC_J_OBJ };

typedef struct lmoc_json {
    int type;
    char *key;              /* member name when the node is an object member */
    size_t klen;
    char *s;                /* LMOC_J_STR: decoded bytes; LMOC_J_INT: the literal */
    size_t len;
    struct lmoc_json *kid;  /* LMOC_J_ARR elements / LMOC_J_OBJ members */
    size_t n;
} lmoc_json_t;

#define LMOC_JSON_MAX_DEPTH 64

/* Parses buf[0..len) into *out. Returns 0, or -1 with a message in err. Rejects reals,
   duplicate keys, truncation and nesting deeper than LMOC_JSON_MAX_DEPTH; integers are kept
   as their literal text (the int64 range is checked where they are used). */
int lmoc_json_parse(lmoc_json_t *out, const char *buf, size_t len, char *err, size_t errlen);
void lmoc_json_clear(lmoc_json_t *j);
/* Member KEY of object O, or NULL if O is not an object or has no such member. */
const lmoc_json_t *lmoc_json_get(const lmoc_json_t *o, const char *key);

/* ---- diagnostics: the first error wins and decides the exit code ---- */
typedef struct {
    const char *file;   /* file the current fields come from */
    int rc;             /* LMOC_OK until the first failure */
    char msg[600];
} lmoc_ctx_t;

/* Records a failure (code LMOC_REJECT or LMOC_EINPUT) unless one is recorded; returns c->rc.
   The message gets the prefix "REJECT FILE: " or "FILE: ". */
int lmoc_fail(lmoc_ctx_t *c, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* ---- exact numbers (number.c), DESIGN.md "Numbers" ---- */
/* Sets x to the exact value of J (a JSON integer within int64, or a string "12", "-3/7",
   "0.1", "-2.5e-3", "0x1.8p-3"); on anything else records LMOC_EINPUT naming NAME. */
int lmoc_number(mpq_t x, lmoc_ctx_t *c, const lmoc_json_t *j, const char *name);
/* A JSON integer within int64 into *v; else LMOC_EINPUT naming NAME. */
int lmoc_int(long *v, lmoc_ctx_t *c, const lmoc_json_t *j, const char *name);

/* ---- rank certificates (rank.c) ---- */
typedef struct {
    long rows, cols;
    mpq_t *e;           /* rows*cols entries, row-major */
} lmoc_mat_t;

/* Checks rank certificate CERT against matrix M of the vector with id ID; on success *rank
   is the proven rank. CNAME prefixes field names in messages: "certificate." when the
   certificate is embedded in the vector, "" when it is a file of its own. */
int lmoc_check_rank(long *rank, lmoc_ctx_t *c, const lmoc_json_t *cert,
                    const char *cname, const lmoc_mat_t *M, const char *id);

#endif
