/*
 * fuzz_rank -- libFuzzer target for the certified rank (lmo/linalg/rank.h,
 * lmo_rank_certified / _prime / _fmpz) on small fuzzed rational matrices.
 *
 * The bytes are decoded into M = B C + (a few perturbed entries), B m x k,
 * C k x n, so low-rank matrices are as common as full-rank ones (a random
 * matrix almost never is deficient). Entries are small integers, fractions,
 * or huge powers of 2 and 10, so the modular and lifting paths both get
 * stressed. The first prime can be forced to a tiny (often unlucky) one.
 * Properties: the rank equals FLINT's rref rank, the minor's determinant is
 * non-zero over Q, the kernel is echelon with M K = 0 (lmo_fuzz_check_rank),
 * the oracle's own lmo_rank_verify agrees, the integer entry point gives the
 * same rank, and lmo-check accepts the certificate.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lmo_fuzz.h"
#include "lmo/core/vector_io.h"

typedef struct { const uint8_t *p; size_t n; } lmo_fuzz_bytes_t;

static unsigned next(lmo_fuzz_bytes_t *b)
{
    if (b->n == 0) return 0;
    b->n--;
    return *b->p++;
}

/* One entry: mode picks the family of numbers. */
static void entry(fmpq_t x, lmo_fuzz_bytes_t *b, unsigned mode)
{
    int num = (int8_t) next(b);
    unsigned d = next(b);
    fmpz_t t;
    fmpz_init(t);
    switch (mode % 5) {
    case 0: fmpq_set_si(x, num % 4, 1); break;                       /* -3..3: many exact ties */
    case 1: fmpq_set_si(x, num, 1 + d % 12); break;                  /* small fractions */
    case 2: fmpz_one(t); fmpz_mul_2exp(t, t, d % 128);               /* 2^(+-k) */
            fmpq_set_si(x, num, 1);
            if (d & 1) fmpq_div_fmpz(x, x, t); else fmpq_mul_fmpz(x, x, t);
            break;
    case 3: fmpz_set_ui(t, 10); fmpz_pow_ui(t, t, d % 32);           /* 10^(+-k) */
            fmpq_set_si(x, num, 1);
            if (d & 1) fmpq_div_fmpz(x, x, t); else fmpq_mul_fmpz(x, x, t);
            break;
    default: fmpq_set_si(x, num * 1000003 + (int) d, 1 + (d >> 4)); break;
    }
    fmpz_clear(t);
}

static const ulong FIRST_PRIMES[] = {
    0, 2, 3, 5, 7, 11, 13, 17, 65537, UWORD(2147483647), UWORD(4294967291),
    UWORD(2305843009213693951), UWORD(9223372036854775783)
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lmo_fuzz_bytes_t b = { data, size };
    slong m = next(&b) % 7, n = next(&b) % 7;
    slong k = next(&b) % (FLINT_MIN(m, n) + 2);
    unsigned mode = next(&b), nperturb = next(&b) % 3;   /* mode: entries, and the checks */
    ulong first = FIRST_PRIMES[next(&b) % (sizeof FIRST_PRIMES / sizeof FIRST_PRIMES[0])];
    ulong seed = 0;
    for (int i = 0; i < 8; i++) seed = seed << 8 | next(&b);

    fmpq_mat_t B, C, M;
    fmpq_mat_init(B, m, k);
    fmpq_mat_init(C, k, n);
    fmpq_mat_init(M, m, n);
    for (slong i = 0; i < m; i++)
        for (slong j = 0; j < k; j++) entry(fmpq_mat_entry(B, i, j), &b, mode);
    for (slong i = 0; i < k; i++)
        for (slong j = 0; j < n; j++) entry(fmpq_mat_entry(C, i, j), &b, mode >> 3);
    fmpq_mat_mul(M, B, C);
    for (unsigned t = 0; t < nperturb && m && n; t++) {
        slong i = next(&b) % m, j = next(&b) % n;
        entry(fmpq_mat_entry(M, i, j), &b, mode >> 5);
    }

    if (getenv("LMO_FUZZ_PRINT")) {          /* triage: the decoded input */
        json_t *j = lmo_json_from_mat(M);
        char *s = json_dumps(j, JSON_COMPACT);
        fprintf(stderr, "first prime %lu, seed %lu, M = %s\n", (unsigned long) first,
                (unsigned long) seed, s);
        free(s);
        json_decref(j);
    }
    lmo_rank_t R;
    lmo_err_t err;
    lmo_rank_init(R);
    if (lmo_rank_certified_prime(R, M, first, seed, &err) != LMO_OK)
        lmo_fuzz_fail("lmo_rank_certified_prime failed on a %ld x %ld matrix: %s", (long) m,
                      (long) n, err.msg);
    lmo_fuzz_check_rank(R, M);
    if (!lmo_rank_verify(R, M)) lmo_fuzz_fail("lmo_rank_verify rejects the oracle's own result");
    if (mode & 0x80) lmo_fuzz_check_cert_roundtrip(R, M);   /* half the inputs: cost */

    /* integer entry point (half the inputs): rows scaled by their lcm */
    if (mode & 0x40) {
        fmpz_mat_t Z;
        fmpz *den = _fmpz_vec_init(m + 1);
        fmpz_mat_init(Z, m, n);
        if (m && n) fmpq_mat_get_fmpz_mat_rowwise(Z, den, M);
        lmo_rank_t R2;
        lmo_rank_init(R2);
        if (lmo_rank_certified_fmpz(R2, Z, seed ^ 1, &err) != LMO_OK)
            lmo_fuzz_fail("lmo_rank_certified_fmpz failed: %s", err.msg);
        if (R2->rank != R->rank)
            lmo_fuzz_fail("integer entry point: rank %ld, rational: %ld", (long) R2->rank,
                          (long) R->rank);
        lmo_rank_clear(R2);
        fmpz_mat_clear(Z);
        _fmpz_vec_clear(den, m + 1);
    }
    lmo_rank_clear(R);
    fmpq_mat_clear(B);
    fmpq_mat_clear(C);
    fmpq_mat_clear(M);
    return 0;
}
