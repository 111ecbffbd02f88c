/* lmoc.h -- the independent certificate checker lmo-check (DESIGN.md "Certificates"; the formats
 * and rules it applies: vectors/schema/lmo-cert-1.md).
 *
 * Computes: whether a certificate proves every claim made about a vector -- the verdicts in
 * the certificate and every member of the vector's `expect` -- re-deriving everything from
 * the vector's exact input with GMP only. Claims: "rank" of a matrix (matrix_rank) or of
 * G = A o X (khatri_rao_rank, Soudry-Carmon (4.4)); "deep_linear" (Kawaguchi 2016 Section 2:
 * critical point, Hessian inertia, escape curves, global minimum via Sigma, Theorem 2.3's
 * rank(WH...W2)); "witness" (Soudry-Carmon Lemma 8, (B.3)-(B.6)); "bundle" (rank
 * certificates of the G_l of (5.4), and of G1^p of Lemma 3 for activation patterns); "khk"
 * (Kawaguchi-Huang-Kaelbling 2019 Theorem 1: L, J of (4.2) and its terms, rank [D D_1(H+1)]);
 * "nguyen_hein" (Nguyen-Hein 2017: rank [F_k, 1_N] by a near-inverse minor in MPFR intervals,
 * interval.h, and an exact structural bound; nh.c).
 * The table "member -> how it is verified -> Coq theorem" is proofs/README.md.
 *
 * Trusts nothing it reads: every integer is range-checked against lmo's own caps before it
 * is used, every size product is overflow-checked, every allocation is checked (exit 3),
 * and a member it cannot verify is refused by name, never skipped.
 *
 * Deliberately shares no code with oracle/ (no FLINT, no arb, no jansson; MPFR only in
 * interval.c): a bug in the oracle must not be able to hide itself from the checker.
 */
#ifndef LMOC_H
#define LMOC_H

#include <stddef.h>
#include <string.h>
#include <gmp.h>

/* Counts and indices are longs: JSON integers are int64 (DESIGN.md). */
_Static_assert(sizeof(long) == 8, "lmo-check assumes LP64");

/* Exit codes of lmo-check, and the return codes of every checking function. */
enum { LMOC_OK = 0, LMOC_REJECT = 1, LMOC_EINPUT = 2, LMOC_ELIMIT = 3 };

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
   as their literal text (their range is checked where they are read). */
int lmoc_json_parse(lmoc_json_t *out, const char *buf, size_t len, char *err, size_t errlen);
void lmoc_json_clear(lmoc_json_t *j);
/* Member KEY of object O, or NULL if O is not an object or has no such member. */
const lmoc_json_t *lmoc_json_get(const lmoc_json_t *o, const char *key);
static inline int lmoc_is(const lmoc_json_t *j, const char *s) /* J is the string S */
{
    return j && j->type == LMOC_J_STR && j->s && !strcmp(j->s, s);
}
static inline int lmoc_is_bool(const lmoc_json_t *j)
{
    return j && (j->type == LMOC_J_TRUE || j->type == LMOC_J_FALSE);
}

/* ---- caps and diagnostics (number.c) ---- */
/* The caps lmo itself uses (oracle/include/lmo/core/common.h), from the same environment
   variables: LMO_MAX_DIM, LMO_MAX_ENTRIES, LMO_MAX_BITS, LMO_MAX_FILE_BYTES. */
typedef struct { long max_dim, max_entries, max_bits, max_file_bytes; } lmoc_caps_t;
void lmoc_caps_default(lmoc_caps_t *caps);

/* Which document a diagnostic is about: the vector file or the certificate file (the same
   file when the certificate is embedded; its fields are then "certificate.<...>"). */
enum { LMOC_V = 0, LMOC_C = 1 };

typedef struct {
    const char *file[2];  /* LMOC_V, LMOC_C */
    lmoc_caps_t caps;
    int rc;               /* LMOC_OK until the first failure, which decides the exit code */
    char msg[640];
} lmoc_ctx_t;

/* Records a failure (LMOC_REJECT, LMOC_EINPUT or LMOC_ELIMIT) about document DOC unless one
   is recorded; returns c->rc. The message gets the prefix "REJECT FILE: " or "FILE: ". */
int lmoc_fail(lmoc_ctx_t *c, int code, int doc, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Checked allocation: n * size bytes (overflow-checked), zeroed; NULL after recording
   LMOC_ELIMIT "out of memory" about DOC, naming WHAT. */
void *lmoc_alloc(lmoc_ctx_t *c, int doc, size_t n, size_t size, const char *what);
/* GMP's allocation failures end the program with exit 3 and one line naming this file. */
void lmoc_gmp_guard(const char *const *file);

/* ---- reading integers and numbers (number.c), DESIGN.md "Numbers" ---- */
/* A JSON integer in [LO, HI] into *v. Missing, not an integer: LMOC_EINPUT. Outside the
   range: CODE (LMOC_EINPUT for a malformed value, LMOC_REJECT for a wrong claim). */
int lmoc_int(long *v, lmoc_ctx_t *c, int doc, const lmoc_json_t *j, long lo, long hi, int code,
             const char *name);
/* A dimension: a JSON integer in [0, caps.max_dim]; negative is LMOC_EINPUT, above the
   cap LMOC_ELIMIT. */
int lmoc_dim(long *v, lmoc_ctx_t *c, int doc, const lmoc_json_t *j, const char *name);
/* *out = a * b when it is at most caps.max_entries, else LMOC_ELIMIT naming NAME. */
int lmoc_entries(long *out, lmoc_ctx_t *c, int doc, long a, long b, const char *name);
/* Sets x to the exact value of J (a JSON integer, or a string "12", "-3/7", "0.1",
   "-2.5e-3", "0x1.8p-3"); anything else is LMOC_EINPUT naming NAME, a numerator or
   denominator beyond caps.max_bits is LMOC_ELIMIT. */
int lmoc_number(mpq_t x, lmoc_ctx_t *c, int doc, const lmoc_json_t *j, const char *name);
/* Exactly the keys in KEYS (NULL-terminated) may appear in object O (named NAME); any other
   is "NAME.<key>: not verifiable" (LMOC_REJECT): nothing a file states is skipped. */
int lmoc_known(lmoc_ctx_t *c, int doc, const lmoc_json_t *o, const char *name,
               const char *const *keys);

/* ---- matrices over Q (mat.c) ---- */
typedef struct { long rows, cols; mpq_t *e; /* rows*cols entries, row-major */ } lmoc_mat_t;
#define LMOC_E(M, i, j) ((M)->e[(i) * (M)->cols + (j)])
#define LMOC_MAT_NONE {0, 0, NULL}

/* The zero matrix ROWS x COLS (at most caps.max_entries entries, else LMOC_ELIMIT naming
   WHAT about DOC). On failure M = {0, 0, NULL}. */
int lmoc_mat_init(lmoc_mat_t *M, lmoc_ctx_t *c, int doc, long rows, long cols, const char *what);
void lmoc_mat_clear(lmoc_mat_t *M);                        /* also on {0, 0, NULL} */
void lmoc_mats_clear(lmoc_mat_t *M, long k);               /* k matrices, then free(M) */
int lmoc_mat_copy(lmoc_mat_t *M, lmoc_ctx_t *c, const lmoc_mat_t *A);
/* {"rows", "cols", "data"} into M (initialised) from document DOC; LMOC_EINPUT naming NAME on
   a malformed matrix, LMOC_REJECT unless it is ROWS x COLS (-1: any). */
int lmoc_matrix(lmoc_mat_t *M, lmoc_ctx_t *c, int doc, const lmoc_json_t *j, long rows,
                long cols, const char *name);
/* An array of *K matrices (*K < 0: any number, then stored in *K) into *out (lmoc_mats_clear
   it even on failure). A wrong count is LMOC_REJECT. */
int lmoc_matrices(lmoc_mat_t **out, long *k, lmoc_ctx_t *c, int doc, const lmoc_json_t *j,
                  const char *name);
/* An array of N exact numbers (N < 0: any length) into the 1 x len matrix V (initialised). */
int lmoc_vector(lmoc_mat_t *v, lmoc_ctx_t *c, int doc, const lmoc_json_t *j, long n,
                const char *name);
/* C += op(A) op(B), op = transpose when TA / TB; lmoc_mul: C = op(A) op(B), initialised. */
void lmoc_muladd(lmoc_mat_t *C, const lmoc_mat_t *A, int ta, const lmoc_mat_t *B, int tb);
int lmoc_mul(lmoc_mat_t *C, lmoc_ctx_t *c, const lmoc_mat_t *A, int ta, const lmoc_mat_t *B,
             int tb);
/* Gauss-Jordan: A to reduced row echelon form, the same row operations on B (or NULL);
   returns rank A. For an invertible A, B becomes A^-1 B. */
long lmoc_rref(lmoc_mat_t *A, lmoc_mat_t *B);
/* rank A, A unchanged. -1 after recording a failure. */
long lmoc_rank(lmoc_ctx_t *c, const lmoc_mat_t *A);
/* G[i*d0 + j][n] = A[i][n] X[j][n] (Soudry-Carmon (4.4)), initialised. */
int lmoc_khatri_rao(lmoc_mat_t *G, lmoc_ctx_t *c, const lmoc_mat_t *A, const lmoc_mat_t *X);
int lmoc_mat_eq(const lmoc_mat_t *A, const lmoc_mat_t *B);

/* ---- rank certificates (rank.c) ---- */
/* *out = J, an array of exactly K distinct indices in [0, BOUND) (a malloc'ed copy). */
int lmoc_indices(long **out, lmoc_ctx_t *c, const lmoc_json_t *j, long k, long bound,
                 const char *cn, const char *name);
/* Gaussian elimination modulo m >= 2 on the r x r residues a (each in [0, m)), as modelled
   in proofs/coq/LmoElim.v: 0 when every pivot is a unit (the determinant is then a unit),
   1 when a column has no non-zero pivot, 2 when a pivot is a non-unit. */
int lmoc_elim_mod(mpz_t *a, long r, const mpz_t m);
/* Checks rank certificate CERT (fields prefixed CN, in the certificate document) against M;
   *rank gets the proven rank. EXTRA lists members beside the rank certificate's own (for
   bundle members: "matrix", "pattern"), NULL-terminated or NULL. */
int lmoc_check_rank(long *rank, lmoc_ctx_t *c, const lmoc_json_t *cert, const char *cn,
                    const lmoc_mat_t *M, const char *id, const char *const *extra);

/* ---- the members of `expect` (expect.c) ---- */
/* One member of a kind's expect: verified by CHECK against the facts the kind established
   (STATE), or refused. */
typedef int lmoc_member_fn(lmoc_ctx_t *c, const lmoc_json_t *val, const char *name, void *state);
typedef struct { const char *key; lmoc_member_fn *check; } lmoc_member_t;
/* Every member of EXPECT (may be NULL) checked by its row of TAB (ends with {NULL, NULL}); a
   member without a row is "expect.<key>: not verifiable", exit 1. */
int lmoc_expect(lmoc_ctx_t *c, const lmoc_json_t *expect, const lmoc_member_t *tab, void *state);
/* The claim VAL (named NAME) is TRUTH: a boolean, an integer, an exact number. */
int lmoc_claim_bool(lmoc_ctx_t *c, const lmoc_json_t *val, const char *name, int truth);
int lmoc_claim_int(lmoc_ctx_t *c, const lmoc_json_t *val, const char *name, long truth);
/* The claim NAME needs the certificate part PART: without it (HAVE 0) it is not verifiable. */
int lmoc_need_part(lmoc_ctx_t *c, int have, const char *name, const char *part);
/* An integer TRUTH proven by the certificate part PART; TRUTH < 0: the part is absent, and the
   claim is not verifiable. */
int lmoc_claim_part_int(lmoc_ctx_t *c, const lmoc_json_t *val, const char *name, long truth,
                        const char *part);
int lmoc_claim_num(lmoc_ctx_t *c, const lmoc_json_t *val, const char *name, const mpq_t truth);
/* An array of exact numbers equal to the 1 x n matrix (or n x 1) TRUTH. */
int lmoc_claim_nums(lmoc_ctx_t *c, const lmoc_json_t *val, const char *name,
                    const lmoc_mat_t *truth);
/* {"rows", "cols", "data"} equal to TRUTH. */
int lmoc_claim_matrix(lmoc_ctx_t *c, const lmoc_json_t *val, const char *name,
                      const lmoc_mat_t *truth);

/* ---- each claim: CERT (field prefix CN) against vector VEC (NULL: a stand-alone witness);
   what was proved goes to WHAT. rank.c, dl.c, mnn.c, patterns.c ---- */
typedef int lmoc_check_fn(lmoc_ctx_t *c, const lmoc_json_t *cert, const char *cn,
                          const lmoc_json_t *vec, char *what, size_t wlen);
lmoc_check_fn lmoc_check_rank_vector, lmoc_check_deep_linear, lmoc_check_witness,
    lmoc_check_mnn, lmoc_check_patterns, lmoc_check_khk, lmoc_check_nguyen_hein;

#endif
