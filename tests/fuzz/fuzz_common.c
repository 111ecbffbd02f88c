/* Shared properties of the fuzz targets (see lmo_fuzz.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lmo_fuzz.h"
#include "lmo/core/certificate.h"
#include "lmo/core/vector_io.h"

void lmo_fuzz_fail(const char *fmt, ...)
{
    va_list ap;
    fputs("lmo-fuzz: PROPERTY FAILED: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    abort();
}

void lmo_fuzz_check_rank(const lmo_rank_t R, const fmpq_mat_t M)
{
    slong m = fmpq_mat_nrows(M), n = fmpq_mat_ncols(M), r = R->rank, k = n - r;
    if (R->m != m || R->n != n || r < 0 || r > FLINT_MIN(m, n))
        lmo_fuzz_fail("rank %ld of shape %ld x %ld for a %ld x %ld matrix", (long) r,
                      (long) R->m, (long) R->n, (long) m, (long) n);

    /* second method: FLINT's reduced row echelon form over Q */
    fmpq_mat_t E;
    fmpq_mat_init(E, m, n);
    slong rr = (m && n) ? fmpq_mat_rref(E, M) : 0;
    fmpq_mat_clear(E);
    if (rr != r) lmo_fuzz_fail("certified rank %ld, fmpq_mat_rref says %ld", (long) r, (long) rr);

    /* rank >= r: the minor's determinant over Q (not mod p) is non-zero */
    fmpq_mat_t S;
    fmpq_t d;
    fmpq_init(d);
    fmpq_mat_init(S, r, r);
    for (slong i = 0; i < r; i++)
        for (slong j = 0; j < r; j++) {
            if (R->rows[i] < 0 || R->rows[i] >= m || R->cols[j] < 0 || R->cols[j] >= n)
                lmo_fuzz_fail("minor index out of range");
            fmpq_set(fmpq_mat_entry(S, i, j), fmpq_mat_entry(M, R->rows[i], R->cols[j]));
            if (fmpz_fdiv_ui(fmpq_denref(fmpq_mat_entry(S, i, j)), R->prime) == 0)
                lmo_fuzz_fail("prime %lu divides a denominator of the minor", (unsigned long) R->prime);
        }
    if (r > 0) {
        fmpq_mat_det(d, S);
        if (fmpq_is_zero(d)) lmo_fuzz_fail("the %ld x %ld minor is singular over Q", (long) r, (long) r);
    }
    fmpq_mat_clear(S);
    fmpq_clear(d);

    /* rank <= r: identity on the free columns, M K = 0 */
    if (fmpz_mat_nrows(R->kernel_num) != n || fmpz_mat_ncols(R->kernel_num) != k
        || fmpz_sgn(R->kernel_den) <= 0)
        lmo_fuzz_fail("kernel has the wrong shape");
    fmpq_mat_t K, P;
    fmpq_mat_init(K, n, k);
    fmpq_mat_init(P, m, k);
    fmpq_mat_set_fmpz_mat_div_fmpz(K, R->kernel_num, R->kernel_den);
    for (slong i = 0; i < k; i++)
        for (slong j = 0; j < k; j++) {
            if (R->free[i] < 0 || R->free[i] >= n) lmo_fuzz_fail("free column out of range");
            if (!fmpq_equal_si(fmpq_mat_entry(K, R->free[i], j), i == j))
                lmo_fuzz_fail("kernel vector %ld is not %d at free column %ld", (long) j,
                              i == j, (long) R->free[i]);
        }
    fmpq_mat_mul(P, M, K);
    if (!fmpq_mat_is_zero(P)) lmo_fuzz_fail("M K != 0");
    fmpq_mat_clear(K);
    fmpq_mat_clear(P);
}

void lmo_fuzz_check_cert_input(const lmo_rank_t R, const char *kind, json_t *input)
{
    json_t *doc = json_pack("{s:s, s:s, s:s, s:s, s:o}", "format", "lmo-vector/1", "kind", kind,
                            "id", "fuzz", "source", "fuzz", "input", input);
    json_t *cert = lmo_cert_rank_to_json(R, "fuzz");
    char *vs = json_dumps(doc, JSON_COMPACT), *cs = json_dumps(cert, JSON_COMPACT);
    long got = -1;
    const char *msg = NULL;
    int rc = lmo_fuzz_checker(cs, strlen(cs), vs, strlen(vs), &got, &msg);
    if (rc != 0 || got != R->rank)
        lmo_fuzz_fail("lmo-check does not prove the oracle's rank %ld of a %s vector (exit %d): %s",
                      (long) R->rank, kind, rc, msg);
    free(vs);
    free(cs);
    json_decref(doc);
    json_decref(cert);
}

void lmo_fuzz_check_cert_roundtrip(const lmo_rank_t R, const fmpq_mat_t M)
{
    json_t *in = json_object();
    json_object_set_new(in, "M", lmo_json_from_mat(M));
    lmo_fuzz_check_cert_input(R, "matrix_rank", in);
}

lmo_fuzz_pair_t lmo_fuzz_split(const unsigned char *data, size_t size)
{
    const char *d = (const char *) data, *nul = memchr(d, '\0', size);
    lmo_fuzz_pair_t p = { nul ? d : NULL, nul ? nul + 1 : d, nul ? (size_t) (nul - d) : 0, 0 };
    p.vec_len = nul ? size - p.cert_len - 1 : size;
    return p;
}
