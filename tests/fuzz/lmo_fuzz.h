/*
 * tests/fuzz/lmo_fuzz.h -- shared helpers of the libFuzzer targets (issue 8).
 *
 * What they compute: the independent checker lmo-check (proofs/, DESIGN.md
 * "Certificates") run in-process on in-memory documents, and the oracle's
 * certified rank (oracle/include/lmo/linalg/rank.h) re-verified by a second method
 * (FLINT's fmpq_mat_rref and exact determinants and products). A property
 * that fails calls lmo_fuzz_fail, which aborts: libFuzzer reports the input.
 */
#ifndef LMO_FUZZ_H
#define LMO_FUZZ_H

#include <stddef.h>
#include <flint/fmpq_mat.h>
#include <jansson.h>
#include "lmo/linalg/rank.h"

/* Print "lmo-fuzz: PROPERTY FAILED: ..." on stderr and abort(). */
void lmo_fuzz_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* lmo-check's main() on in-memory files: with cert != NULL it is
 * `lmo-check CERT VECTOR`, else `lmo-check VECTOR` (embedded certificate).
 * Returns its exit code (0 proven, 1 rejected, 2 bad input); *rank is the
 * proven rank for a rank claim, else -1. Its stdout/stderr are captured,
 * not printed: *msg (may be NULL) points to the OK line or the diagnostic. */
int lmo_fuzz_checker(const char *cert, size_t cert_len, const char *vec, size_t vec_len,
                     long *rank, const char **msg);

/* An input CERT '\0' VECTOR (`lmo-check CERT VECTOR`), or one VECTOR without a NUL byte
 * (an embedded certificate): a NUL cannot occur in valid JSON, so it is a safe separator.
 * *cert is NULL in the second case. */
typedef struct { const char *cert, *vec; size_t cert_len, vec_len; } lmo_fuzz_pair_t;
lmo_fuzz_pair_t lmo_fuzz_split(const unsigned char *data, size_t size);

/* Checks R, the oracle's certified rank of M, without trusting the oracle's
 * own verifier: rank equals FLINT's rref rank; the minor has a non-zero
 * determinant over Q; the kernel vectors are echelon (identity on the free
 * columns) and M K = 0 exactly. Aborts on a violation. */
void lmo_fuzz_check_rank(const lmo_rank_t R, const fmpq_mat_t M);

/* The oracle's certificate R (id "fuzz") must be accepted by the in-process
 * lmo-check on a vector of the given kind with this input (a reference is
 * taken: the caller's is given up), proving R->rank. Aborts otherwise. */
void lmo_fuzz_check_cert_input(const lmo_rank_t R, const char *kind, json_t *input);

/* The same on a matrix_rank vector written with M's entries. */
void lmo_fuzz_check_cert_roundtrip(const lmo_rank_t R, const fmpq_mat_t M);

#endif
