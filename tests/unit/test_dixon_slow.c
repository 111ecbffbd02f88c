/*
 * test_dixon_slow.c -- larger systems for lmo_dixon_solve, verified
 * independently of the solver: A Xnum == den B by fmpz_mat_mul, den > 0 and
 * gcd(den, entries of Xnum) = 1 (together: Xnum / den is THE solution with
 * the minimal denominator, A being non-singular by FLINT's rank). Includes
 * the issue-2 matrix (600 x 500, rank 490, 21-bit factors) through modular
 * pivots, and lmo_zmat_check_kernel on all its rows. Label: slow.
 */
#include <stdio.h>
#include <stdlib.h>
#include <flint/fmpz.h>
#include <flint/fmpz_mat.h>
#include <flint/fmpq_mat.h>
#include <flint/nmod_mat.h>
#include <flint/ulong_extras.h>
#include "lmo/common.h"
#include "lmo/dixon.h"

static int failures = 0, checks = 0;

#define CHECK(cond, ...)                                                       \
    do {                                                                       \
        checks++;                                                              \
        if (!(cond)) {                                                         \
            failures++;                                                        \
            fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__);               \
            fprintf(stderr, __VA_ARGS__);                                      \
            fprintf(stderr, "\n");                                             \
        }                                                                      \
    } while (0)

static void rand_mat(fmpz_mat_t M, lmo_rng_t *rng, int bits)
{
    for (slong i = 0; i < fmpz_mat_nrows(M); i++)
        for (slong j = 0; j < fmpz_mat_ncols(M); j++) {
            fmpz *x = fmpz_mat_entry(M, i, j);
            int done = 0;
            fmpz_zero(x);
            while (done < bits) {
                int w = (bits - done >= 32) ? 32 : bits - done;
                fmpz_mul_2exp(x, x, (ulong) w);
                fmpz_add_ui(x, x, lmo_rng_next(rng) & ((UWORD(1) << w) - 1));
                done += w;
            }
            if (lmo_rng_next(rng) & 1)
                fmpz_neg(x, x);
        }
}

/* A X == den B, den > 0, gcd(den, X) == 1 */
static int verify(const fmpz_mat_t X, const fmpz_t den, const fmpz_mat_t A, const fmpz_mat_t B)
{
    slong r = fmpz_mat_nrows(A), k = fmpz_mat_ncols(B);
    fmpz_mat_t P, Q;
    fmpz_t g;
    int ok;
    if (fmpz_sgn(den) <= 0)
        return 0;
    fmpz_mat_init(P, r, k);
    fmpz_mat_init(Q, r, k);
    fmpz_init(g);
    fmpz_mat_mul(P, A, X);
    fmpz_mat_scalar_mul_fmpz(Q, B, den);
    ok = fmpz_mat_equal(P, Q);
    fmpz_set(g, den);
    for (slong i = 0; i < r && !fmpz_is_one(g); i++)
        for (slong j = 0; j < k && !fmpz_is_one(g); j++)
            fmpz_gcd(g, g, fmpz_mat_entry(X, i, j));
    ok = ok && fmpz_is_one(g);
    fmpz_mat_clear(P);
    fmpz_mat_clear(Q);
    fmpz_clear(g);
    return ok;
}

static void test_issue2(void)
{
    const slong m = 600, n = 500, r0 = 490;
    lmo_rng_t rng;
    lmo_rng_seed(&rng, 2);
    fmpz_mat_t B0, C0, M;
    fmpz_mat_init(B0, m, r0); fmpz_mat_init(C0, r0, n); fmpz_mat_init(M, m, n);
    rand_mat(B0, &rng, 20);    /* |entries| < 2^20: 21-bit signed */
    rand_mat(C0, &rng, 20);
    fmpz_mat_mul(M, B0, C0);

    /* pivots mod p */
    ulong p = n_nextprime(UWORD(1) << 40, 1);
    nmod_mat_t Mp;
    nmod_mat_init(Mp, m, n, p);
    fmpz_mat_get_nmod_mat(Mp, M);
    slong *P = flint_malloc(sizeof(slong) * m), *rows = flint_malloc(sizeof(slong) * m);
    slong *cols = flint_malloc(sizeof(slong) * n), *fr = flint_malloc(sizeof(slong) * n);
    slong r = nmod_mat_lu(P, Mp, 0), c = 0, k = 0;
    CHECK(r == r0, "issue2: rank mod p %ld", r);
    for (slong i = 0; i < r; i++) {
        if (c < i) c = i;
        while (c < n && nmod_mat_entry(Mp, i, c) == 0) c++;
        rows[i] = P[i];
        cols[i] = c++;
    }
    char *isp = calloc((size_t) n, 1);
    for (slong i = 0; i < r; i++) isp[cols[i]] = 1;
    for (slong j = 0; j < n; j++) if (!isp[j]) fr[k++] = j;
    fmpz_mat_t A, B, X, L, R;
    fmpz_mat_init(A, r, r); fmpz_mat_init(B, r, k); fmpz_mat_init(X, r, k);
    fmpz_mat_init(L, m, r); fmpz_mat_init(R, m, k);
    for (slong i = 0; i < r; i++) {
        for (slong j = 0; j < r; j++) fmpz_set(fmpz_mat_entry(A, i, j), fmpz_mat_entry(M, rows[i], cols[j]));
        for (slong j = 0; j < k; j++) fmpz_neg(fmpz_mat_entry(B, i, j), fmpz_mat_entry(M, rows[i], fr[j]));
    }
    for (slong i = 0; i < m; i++) {
        for (slong j = 0; j < r; j++) fmpz_set(fmpz_mat_entry(L, i, j), fmpz_mat_entry(M, i, cols[j]));
        for (slong j = 0; j < k; j++) fmpz_set(fmpz_mat_entry(R, i, j), fmpz_mat_entry(M, i, fr[j]));
    }
    fmpz_t den;
    fmpz_init(den);
    lmo_dixon_stats_t st;
    lmo_dixon_opts_t o;
    for (int th = 1; th <= 2; th++) {
        lmo_dixon_opts_init(&o);
        o.threads = th;
        int rc = lmo_dixon_solve_opts(X, den, A, B, 17 + th, &o, &st);
        CHECK(rc == LMO_OK, "issue2 threads %d: rc %d", th, rc);
        CHECK(!st.fallback, "issue2 threads %d: fell back", th);
        printf("issue2 threads %d: p=%lu steps %ld + %ld, den %ld bits\n", th, st.prime,
               st.steps_den, st.steps_num, (long) fmpz_bits(den));
        CHECK(verify(X, den, A, B), "issue2 threads %d: A X != den B or den not minimal", th);
        CHECK(lmo_zmat_check_kernel(L, X, den, R) == 1, "issue2: kernel check rejects");
    }
    /* perturbations must be caught */
    fmpz_add_ui(fmpz_mat_entry(R, m - 1, 3), fmpz_mat_entry(R, m - 1, 3), 1);
    CHECK(lmo_zmat_check_kernel(L, X, den, R) == 0, "issue2: perturbed R accepted");
    fmpz_sub_ui(fmpz_mat_entry(R, m - 1, 3), fmpz_mat_entry(R, m - 1, 3), 1);
    fmpz_add_ui(fmpz_mat_entry(X, 100, 7), fmpz_mat_entry(X, 100, 7), 1);
    CHECK(lmo_zmat_check_kernel(L, X, den, R) == 0, "issue2: perturbed X accepted");
    fmpz_sub_ui(fmpz_mat_entry(X, 100, 7), fmpz_mat_entry(X, 100, 7), 1);
    fmpz_add_ui(den, den, 1);
    CHECK(lmo_zmat_check_kernel(L, X, den, R) == 0, "issue2: perturbed den accepted");

    fmpz_clear(den);
    fmpz_mat_clear(A); fmpz_mat_clear(B); fmpz_mat_clear(X); fmpz_mat_clear(L); fmpz_mat_clear(R);
    fmpz_mat_clear(B0); fmpz_mat_clear(C0); fmpz_mat_clear(M);
    nmod_mat_clear(Mp);
    flint_free(P); flint_free(rows); flint_free(cols); flint_free(fr);
    free(isp);
}

static void test_sweep(void)
{
    lmo_rng_t rng;
    lmo_rng_seed(&rng, 7);
    int fallbacks = 0, cases = 0;
    for (int t = 0; t < 160; t++) {
        slong r = 1 + (slong) lmo_rng_below(&rng, (t % 4 == 0) ? 200 : 90);
        slong k = (slong) lmo_rng_below(&rng, 13);
        int bits = 1 + (int) lmo_rng_below(&rng, (t % 3 == 0) ? 120 : 50);
        fmpz_mat_t A, B, X;
        fmpz_t den;
        fmpz_mat_init(A, r, r); fmpz_mat_init(B, r, k); fmpz_mat_init(X, r, k);
        fmpz_init(den);
        do rand_mat(A, &rng, bits); while (fmpz_mat_rank(A) < r);
        rand_mat(B, &rng, 1 + (int) lmo_rng_below(&rng, 80));
        lmo_dixon_opts_t o;
        lmo_dixon_stats_t st;
        lmo_dixon_opts_init(&o);
        o.threads = 1 + t % 2;
        int rc = lmo_dixon_solve_opts(X, den, A, B, (ulong) t, &o, &st);
        CHECK(rc == LMO_OK, "sweep t=%d r=%ld k=%ld bits=%d: rc %d", t, r, k, bits, rc);
        if (rc == LMO_OK)
            CHECK(verify(X, den, A, B), "sweep t=%d r=%ld k=%ld bits=%d: wrong", t, r, k, bits);
        fallbacks += st.fallback;
        cases++;
        fmpz_mat_clear(A); fmpz_mat_clear(B); fmpz_mat_clear(X);
        fmpz_clear(den);
    }
    printf("sweep: %d systems, %d fallbacks\n", cases, fallbacks);
    CHECK(fallbacks == 0, "default path fell back %d times", fallbacks);
}

int main(void)
{
    test_issue2();
    test_sweep();
    printf("test_dixon_slow: %d checks, %d failures\n", checks, failures);
    flint_cleanup_master();
    return failures ? 1 : 0;
}
