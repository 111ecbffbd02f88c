/*
 * The certified exact rank (oracle/rank) against two independent methods:
 * FLINT's fmpq_mat_rref on >= 1000 random matrices of mixed shapes, ranks and
 * bit sizes (0 x n, m x 0, zero, rank one, B*C of known rank, rationals), and
 * brute force over all minors on tiny matrices. Every certificate produced
 * here (up to 4000 entries) is also verified by the independent checker
 * lmo-check ($LMO_CHECK, which ctest sets: without it the test fails).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include <flint/fmpq_mat.h>
#include "lmo/linalg/rank.h"
#include "lmo/core/certificate.h"
#include "lmo/core/vector_io.h"
#include "lmo_test.h"

static void rand_q(fmpq_t x, lmo_rng_t *rng, int bits, int rational)
{
    fmpz_t a, b;
    fmpz_init(a); fmpz_init(b);
    ulong mask = bits >= 64 ? ~UWORD(0) : (UWORD(1) << bits) - 1;
    fmpz_set_ui(a, lmo_rng_next(rng) & mask);
    if (bits > 62) {   /* wider entries: a few limbs */
        for (int k = 64; k < bits; k += 64) {
            fmpz_mul_2exp(a, a, 64);
            fmpz_add_ui(a, a, lmo_rng_next(rng));
        }
    }
    if (lmo_rng_next(rng) & 1) fmpz_neg(a, a);
    fmpz_set_ui(b, rational ? 1 + lmo_rng_below(rng, 1000) : 1);
    fmpq_set_fmpz_frac(x, a, b);
    fmpz_clear(a); fmpz_clear(b);
}

/* m x n of rank <= r: B (m x r) * C (r x n), entries of `bits` bits */
static void rand_low_rank(fmpq_mat_t M, lmo_rng_t *rng, slong r, int bits, int rational)
{
    slong m = fmpq_mat_nrows(M), n = fmpq_mat_ncols(M);
    fmpq_mat_t B, C;
    fmpq_mat_init(B, m, r); fmpq_mat_init(C, r, n);
    for (slong i = 0; i < m; i++) for (slong j = 0; j < r; j++) rand_q(fmpq_mat_entry(B, i, j), rng, bits, rational);
    for (slong i = 0; i < r; i++) for (slong j = 0; j < n; j++) rand_q(fmpq_mat_entry(C, i, j), rng, bits, rational);
    if (r == 0) fmpq_mat_zero(M); else fmpq_mat_mul(M, B, C);
    fmpq_mat_clear(B); fmpq_mat_clear(C);
}

static slong rank_rref(const fmpq_mat_t M)
{
    fmpq_mat_t E;
    fmpq_mat_init(E, fmpq_mat_nrows(M), fmpq_mat_ncols(M));
    slong r = (fmpq_mat_nrows(M) && fmpq_mat_ncols(M)) ? fmpq_mat_rref(E, M) : 0;
    fmpq_mat_clear(E);
    return r;
}

/* largest r with a non-zero r x r minor, by enumerating index subsets */
static int next_subset(slong *s, slong k, slong n)
{
    slong i = k - 1;
    while (i >= 0 && s[i] == n - k + i) i--;
    if (i < 0) return 0;
    s[i]++;
    for (slong j = i + 1; j < k; j++) s[j] = s[j - 1] + 1;
    return 1;
}

static slong rank_brute(const fmpq_mat_t M)
{
    slong m = fmpq_mat_nrows(M), n = fmpq_mat_ncols(M);
    for (slong r = FLINT_MIN(m, n); r > 0; r--) {
        slong rs[8], cs[8];
        fmpq_mat_t S; fmpq_t d;
        fmpq_mat_init(S, r, r); fmpq_init(d);
        for (slong i = 0; i < r; i++) rs[i] = i;
        int found = 0;
        do {
            for (slong j = 0; j < r; j++) cs[j] = j;
            do {
                for (slong a = 0; a < r; a++) for (slong b = 0; b < r; b++)
                    fmpq_set(fmpq_mat_entry(S, a, b), fmpq_mat_entry(M, rs[a], cs[b]));
                fmpq_mat_det(d, S);
                if (!fmpq_is_zero(d)) found = 1;
            } while (!found && next_subset(cs, r, n));
        } while (!found && next_subset(rs, r, m));
        fmpq_mat_clear(S); fmpq_clear(d);
        if (found) return r;
    }
    return 0;
}

static const char *checker;
static int checked = 0;

/* Write the matrix as a vector and the certificate, run lmo-check on them. */
static void check_with_checker(const fmpq_mat_t M, const lmo_rank_t R, int idx)
{
    char vpath[400], cpath[400], id[64], cmd[1200];
    snprintf(id, sizeof id, "rank-test-%d", idx);
    snprintf(vpath, sizeof vpath, "%s/v%d.json", lmo_test_tmpdir(), idx);
    snprintf(cpath, sizeof cpath, "%s/c%d.json", lmo_test_tmpdir(), idx);
    json_t *in = json_object();
    json_object_set_new(in, "M", lmo_json_from_mat(M));
    json_t *v = json_pack("{s:s, s:s, s:s, s:s, s:o, s:{s:I, s:b}}", "format", "lmo-vector/1",
                          "kind", "matrix_rank", "id", id, "source", "tests/unit/test_rank.c",
                          "input", in, "expect", "rank", (json_int_t) R->rank,
                          "full_column_rank", R->rank == R->n);
    json_t *c = lmo_cert_rank_to_json(R, id);
    lmo_err_t err;
    CHECKF(lmo_json_write_file(v, vpath, &err) == LMO_OK, "write %s", vpath);
    CHECKF(lmo_json_write_file(c, cpath, &err) == LMO_OK, "write %s", cpath);
    json_decref(v); json_decref(c);
    snprintf(cmd, sizeof cmd, "'%s' '%s' '%s' >/dev/null 2>&1", checker, cpath, vpath);
    int st = system(cmd);
    CHECKF(WIFEXITED(st) && WEXITSTATUS(st) == 0, "lmo-check rejected the certificate of case %d (%s)", idx, cpath);
    checked++;
    if (WIFEXITED(st) && WEXITSTATUS(st) == 0) { unlink(vpath); unlink(cpath); }
}

static void one(const fmpq_mat_t M, slong want, int idx, int brute)
{
    lmo_rank_t R;
    lmo_err_t err;
    lmo_rank_init(R);
    int rc = lmo_rank_certified(R, M, (ulong) idx, &err);
    CHECKF(rc == LMO_OK, "case %d (%ld x %ld): rank failed: %s", idx, (long) fmpq_mat_nrows(M), (long) fmpq_mat_ncols(M), err.msg);
    if (rc == LMO_OK) {
        slong ref = rank_rref(M);
        CHECKF(R->rank == ref, "case %d (%ld x %ld): rank %ld, fmpq_mat_rref says %ld", idx,
               (long) fmpq_mat_nrows(M), (long) fmpq_mat_ncols(M), (long) R->rank, (long) ref);
        if (want >= 0) CHECKF(R->rank == want, "case %d: rank %ld, constructed %ld", idx, (long) R->rank, (long) want);
        if (brute) {
            slong b = rank_brute(M);
            CHECKF(R->rank == b, "case %d: rank %ld, brute force over minors says %ld", idx, (long) R->rank, (long) b);
        }
        CHECKF(lmo_rank_verify(R, M), "case %d: certificate does not verify in-process", idx);
        /* every certificate of the small cases goes through lmo-check */
        if (fmpq_mat_nrows(M) * fmpq_mat_ncols(M) <= 4000) check_with_checker(M, R, idx);
    }
    lmo_rank_clear(R);
}

/* count matrices B*C, m x n with m = m0 + [0, mspan), n = n0 + [0, nspan), of random rank r
 * <= min(m, n), against fmpq_mat_rref; mixed: bit sizes 1..40 (1..200 every tenth) and
 * rationals every fourth, else 20-bit integers. Returns the next case index. */
static int low_rank_sweep(lmo_rng_t *rng, int idx, int count, slong m0, slong mspan, slong n0,
                          slong nspan, int mixed)
{
    for (int t = 0; t < count; t++) {
        slong m = m0 + (slong) lmo_rng_below(rng, mspan), n = n0 + (slong) lmo_rng_below(rng, nspan);
        slong r = lmo_rng_below(rng, FLINT_MIN(m, n) + 1);
        int bits = mixed ? 1 + (int) lmo_rng_below(rng, t % 10 == 0 ? 200 : 40) : 20;
        fmpq_mat_t M;
        fmpq_mat_init(M, m, n);
        rand_low_rank(M, rng, r, bits, mixed && t % 4 == 0);
        one(M, -1, idx++, 0);
        fmpq_mat_clear(M);
    }
    return idx;
}

int main(void)
{
    lmo_rng_t rng;
    lmo_rng_seed(&rng, 20261123);
    checker = lmo_test_env("LMO_CHECK");

    int idx = 0;
    /* edge shapes */
    slong shapes[][2] = { {0, 0}, {0, 5}, {5, 0}, {1, 1}, {3, 3}, {1, 7}, {7, 1} };
    for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
        fmpq_mat_t M;
        fmpq_mat_init(M, shapes[s][0], shapes[s][1]);
        one(M, 0, idx++, 1);                       /* zero matrix */
        if (shapes[s][0] && shapes[s][1]) {
            rand_low_rank(M, &rng, 1, 8, 1);       /* rank one */
            one(M, -1, idx++, 1);
        }
        fmpq_mat_clear(M);
    }
    /* tiny matrices against brute force over all minors */
    for (int t = 0; t < 300; t++) {
        slong m = 1 + lmo_rng_below(&rng, 5), n = 1 + lmo_rng_below(&rng, 5);
        slong r = lmo_rng_below(&rng, FLINT_MIN(m, n) + 1);
        fmpq_mat_t M;
        fmpq_mat_init(M, m, n);
        if (t % 3 == 0) {      /* small entries: many accidental dependencies */
            for (slong i = 0; i < m; i++) for (slong j = 0; j < n; j++)
                fmpq_set_si(fmpq_mat_entry(M, i, j), (slong) lmo_rng_below(&rng, 3) - 1, 1);
            one(M, -1, idx++, 1);
        } else {
            rand_low_rank(M, &rng, r, 1 + (int) lmo_rng_below(&rng, 10), t % 2);
            one(M, -1, idx++, 1);
        }
        fmpq_mat_clear(M);
    }
    /* mixed shapes, ranks and bit sizes against fmpq_mat_rref */
    idx = low_rank_sweep(&rng, idx, 760, 0, 25, 0, 25, 1);
    /* larger B*C of known rank (entries generic, so rank = r exactly w.h.p.;
     * the reference is still fmpq_mat_rref) */
    idx = low_rank_sweep(&rng, idx, 6, 40, 40, 30, 40, 0);
    /* unlucky primes: rank mod p < rank over Q must be detected, never returned */
    {
        ulong p = 1000003;
        fmpq_mat_t M;
        fmpq_mat_init(M, 3, 3);
        /* det = p: full rank over Q, rank 2 mod p */
        fmpq_set_si(fmpq_mat_entry(M, 0, 0), 1, 1);
        fmpq_set_si(fmpq_mat_entry(M, 1, 1), 1, 1);
        fmpq_set_si(fmpq_mat_entry(M, 2, 2), (slong) p, 1);
        fmpq_set_si(fmpq_mat_entry(M, 0, 2), 5, 1);
        lmo_rank_t R; lmo_err_t err;
        lmo_rank_init(R);
        CHECKF(lmo_rank_certified_prime(R, M, p, 1, &err) == LMO_OK, "unlucky: %s", err.msg);
        CHECKF(R->rank == 3 && R->primes_tried >= 2 && R->prime != p,
               "unlucky prime not replaced: rank %ld after %d primes", (long) R->rank, R->primes_tried);
        CHECKF(lmo_rank_verify(R, M), "unlucky: certificate does not verify");
        lmo_rank_clear(R);
        /* rank 2 over Q but one row has p in a denominator: p must be skipped */
        fmpq_mat_zero(M);
        fmpq_set_si(fmpq_mat_entry(M, 0, 0), 1, (ulong) p);
        fmpq_set_si(fmpq_mat_entry(M, 1, 1), 1, 1);
        lmo_rank_init(R);
        CHECKF(lmo_rank_certified_prime(R, M, p, 1, &err) == LMO_OK, "denominator: %s", err.msg);
        CHECKF(R->rank == 2 && R->prime != p, "prime dividing a denominator used");
        lmo_rank_clear(R);
        fmpq_mat_clear(M);
    }
    printf("test_rank: %d cases, %d certificates checked by lmo-check\n", idx, checked);
    CHECKF(checked > 1000, "only %d certificates went through lmo-check", checked);
    return lmo_test_finish();
}
