/* lmoc.h -- the independent certificate checker lmo-check (DESIGN.md "Certificates").
 *
 * Computes: whether a certificate proves its claim about a vector file, re-deriving
 * everything from the vector's exact input with GMP only. Claims: "rank" of a matrix
 * (matrix_rank) or of G = A o X (khatri_rao_rank, Soudry-Carmon (4.4)); "deep_linear"
 * (Kawaguchi 2016 Section 2: critical point, Hessian definiteness, escape curves, global
 * minimum via Sigma, Theorem 2.3's rank(WH...W2)); "witness" (Soudry-Carmon Lemma 8,
 * (B.3)-(B.6)); "bundle" (rank certificates of the G_l of (5.4) and of G1^p of Lemma 3).
 * Rules and their soundness: proofs/README.md.
 *
 * Deliberately shares no code with oracle/ (no FLINT, no jansson): a bug in the
 * oracle must not be able to hide itself from the checker.
 */
#ifndef LMOC_H
#define LMOC_H

#include <stddef.h>
#include <string.h>
#include <gmp.h>

/* Counts and indices are longs: JSON integers are int64 (DESIGN.md). */
_Static_assert(sizeof(long) == 8, "lmo-check assumes LP64");

/* Exit codes of lmo-check, and the return codes of every checking function. */
enum { LMOC_OK = 0, LMOC_REJECT = 1, LMOC_EINPUT = 2 };

/* ---- a tiny JSON tree (json.c) ---- */
enum { LMOC_J_NULL, LMOC_J_FALSE, LMOC_J_TRUE, LMOC_J_INT, LMOC_J_STR, LMOC_J_ARR, LMOC_J_OBJ };
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
static inline int lmoc_is(const lmoc_json_t *j, const char *s) /* J is the string S */
{
    return j && j->type == LMOC_J_STR && !strcmp(j->s, s);
}

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

/* ---- matrices over Q (mat.c); every function that initialises M says so ---- */
typedef struct { long rows, cols; mpq_t *e; /* rows*cols entries, row-major */ } lmoc_mat_t;
#define LMOC_E(M, i, j) ((M)->e[(i) * (M)->cols + (j)])
#define LMOC_MAX_ENTRIES (1L << 27) /* a derived A o X may be far larger than the file */

void lmoc_mat_init(lmoc_mat_t *M, long rows, long cols);   /* the zero matrix */
void lmoc_mat_clear(lmoc_mat_t *M);                        /* also on {0, 0, NULL} */
void lmoc_mats_clear(lmoc_mat_t *M, long k);               /* k matrices, then free(M) */
/* {"rows", "cols", "data"} into M (initialised); LMOC_EINPUT naming NAME, LMOC_REJECT unless
   it is ROWS x COLS (-1: any). */
int lmoc_matrix(lmoc_mat_t *M, lmoc_ctx_t *c, const lmoc_json_t *j, long rows, long cols,
                const char *name);
/* An array of *K matrices (*K < 0: any number, then stored in *K) into *out (calloc'ed;
   lmoc_mats_clear it even on failure). A wrong count is LMOC_REJECT. */
int lmoc_matrices(lmoc_mat_t **out, long *k, lmoc_ctx_t *c, const lmoc_json_t *j,
                  const char *name);
/* An array of N exact numbers (N < 0: any length) into the 1 x len matrix V (initialised). */
int lmoc_vector(lmoc_mat_t *v, lmoc_ctx_t *c, const lmoc_json_t *j, long n, const char *name);
/* C += op(A) op(B), op = transpose when TA / TB; lmoc_mul: C = op(A) op(B), initialised. */
void lmoc_muladd(lmoc_mat_t *C, const lmoc_mat_t *A, int ta, const lmoc_mat_t *B, int tb);
void lmoc_mul(lmoc_mat_t *C, const lmoc_mat_t *A, int ta, const lmoc_mat_t *B, int tb);
/* Gauss-Jordan: A to reduced row echelon form, the same row operations on B (or NULL);
   returns rank A. For an invertible A, B becomes A^-1 B. */
long lmoc_rref(lmoc_mat_t *A, lmoc_mat_t *B);
/* G[i*d0 + j][n] = A[i][n] X[j][n] (Soudry-Carmon (4.4)), initialised; at most
   LMOC_MAX_ENTRIES entries. */
int lmoc_khatri_rao(lmoc_mat_t *G, lmoc_ctx_t *c, const lmoc_mat_t *A, const lmoc_mat_t *X);
int lmoc_mat_eq(const lmoc_mat_t *A, const lmoc_mat_t *B);

/* ---- rank certificates (rank.c) ---- */
/* *out = J, an array of exactly K distinct indices in [0, BOUND). */
int lmoc_indices(long **out, lmoc_ctx_t *c, const lmoc_json_t *j, long k, long bound,
                 const char *cn, const char *name);
/* Checks rank certificate CERT against the matrix M of the vector with id ID; *rank gets the
   proven rank. CN prefixes field names: "certificate." for an embedded certificate. */
int lmoc_check_rank(long *rank, lmoc_ctx_t *c, const lmoc_json_t *cert, const char *cn,
                    const lmoc_mat_t *M, const char *id);

/* ---- each claim: CERT (field prefix CN) against vector VEC (NULL: a stand-alone witness);
   what was proved goes to WHAT. rank.c, dl.c, mnn.c ---- */
typedef int lmoc_check_fn(lmoc_ctx_t *c, const lmoc_json_t *cert, const char *cn,
                          const lmoc_json_t *vec, char *what, size_t wlen);
lmoc_check_fn lmoc_check_rank_vector, lmoc_check_deep_linear, lmoc_check_witness,
    lmoc_check_bundle;

#endif
