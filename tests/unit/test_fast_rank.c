/*
 * test_fast_rank.c -- the fast tier (fastpath/, lmo_fast/rank.h).
 *
 * Every expected value is built independently of the code under test:
 * correctly rounded doubles against an integer-only rounding written here
 * with GMP and against values constructed as exact midpoints; singular
 * values from matrices assembled as U*D*V^T with exactly representable
 * orthogonal factors; QR pivots from a known R; the Khatri-Rao product
 * against a hand-written example and the Gram identity
 * G^T G = (A^T A) o (X^T X).
 */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gmp.h>
#include <mpfr.h>

#include "lmo/core/common.h"
#include "lmo_fast/rank.h"
#include "lmo_test.h"

/* Same bits (distinguishes -0 from +0). */
static int same_double(double a, double b)
{
    return memcmp(&a, &b, sizeof(double)) == 0;
}

/* ------------------------------------------------------------------ */
/* Reference rounding: integers only.                                  */
/* ------------------------------------------------------------------ */

/* Round q to binary64, ties to even, with subnormals and overflow, using
 * nothing but mpz arithmetic: find e = floor(log2|q|), take the quantum
 * 2^(max(e,-1022)-52), divide, round the quotient by its remainder. */
static double ref_round(const mpq_t q, int *ovf)
{
    mpz_t a, b, s, r;
    long e, qe, shift;
    int sign = mpq_sgn(q), cmp;
    double d;

    *ovf = 0;
    if (sign == 0)
        return 0.0;
    mpz_inits(a, b, s, r, NULL);
    mpz_abs(a, mpq_numref(q));
    mpz_set(b, mpq_denref(q));
    /* 2^e <= a/b < 2^(e+1) */
    e = (long) mpz_sizeinbase(a, 2) - (long) mpz_sizeinbase(b, 2);
    /* compare a with b*2^e */
    if (e >= 0) {
        mpz_mul_2exp(s, b, (unsigned long) e);
        cmp = mpz_cmp(a, s);
    } else {
        mpz_mul_2exp(r, a, (unsigned long) (-e));
        cmp = mpz_cmp(r, b);
    }
    if (cmp < 0)
        e--;
    qe = (e > -1022 ? e : -1022) - 52;        /* quantum 2^qe */
    if (qe > 1023 - 52) {                      /* beyond any double */
        *ovf = 1;
        d = HUGE_VAL;
        goto done;
    }
    shift = -qe;                               /* s = round(a/b * 2^shift) */
    if (shift >= 0) {
        mpz_mul_2exp(a, a, (unsigned long) shift);
    } else {
        mpz_mul_2exp(b, b, (unsigned long) (-shift));
    }
    mpz_fdiv_qr(s, r, a, b);
    mpz_mul_2exp(r, r, 1);
    cmp = mpz_cmp(r, b);
    if (cmp > 0 || (cmp == 0 && mpz_odd_p(s)))
        mpz_add_ui(s, s, 1);
    /* s <= 2^53 here, exactly a double; scaling by 2^qe is exact unless it
     * overflows. */
    if ((long) mpz_sizeinbase(s, 2) + qe > 1024) {
        *ovf = 1;
        d = HUGE_VAL;
    } else {
        d = ldexp(mpz_get_d(s), (int) qe);
    }
done:
    mpz_clears(a, b, s, r, NULL);
    return sign < 0 ? -d : d;
}

static void mpq_set_2exp(mpq_t q, long e)   /* q = 2^e */
{
    mpq_set_ui(q, 1, 1);
    if (e >= 0)
        mpz_mul_2exp(mpq_numref(q), mpq_numref(q), (unsigned long) e);
    else
        mpz_mul_2exp(mpq_denref(q), mpq_denref(q), (unsigned long) (-e));
}

/* q = the exact value of the finite double d */
static void mpq_set_exact_d(mpq_t q, double d)
{
    mpq_set_d(q, d);   /* GMP converts doubles exactly */
}

static void check_one(const mpq_t q, double want, int want_ovf, const char *what)
{
    int ovf = -1, rovf = -1;
    double got = lmo_fast_d_from_mpq(q, &ovf);
    double ref = ref_round(q, &rovf);

    CHECKF(same_double(got, want) && ovf == want_ovf,
           "%s: got %a (ovf %d), want %a (ovf %d)", what, got, ovf, want, want_ovf);
    CHECKF(same_double(ref, want) && rovf == want_ovf,
           "%s: reference rounding %a (ovf %d), want %a", what, ref, rovf, want);
}

static void test_d_from_mpq_cases(void)
{
    mpq_t q, t;
    mpq_inits(q, t, NULL);

    mpq_set_si(q, 1, 3);
    check_one(q, 1.0 / 3.0, 0, "1/3");     /* IEEE division rounds correctly */
    mpq_set_si(q, -2, 3);
    check_one(q, -2.0 / 3.0, 0, "-2/3");
    mpq_set_si(q, 1, 10);
    check_one(q, strtod("0.1", NULL), 0, "1/10 vs strtod(0.1)");
    mpq_set_si(q, 0, 1);
    check_one(q, 0.0, 0, "0");
    mpq_set_si(q, 7, 1);
    check_one(q, 7.0, 0, "7");

    /* 3/2 * 2^-1074: a tie between 2^-1074 (odd) and 2^-1073 (even) */
    mpq_set_2exp(q, -1075);
    mpz_mul_ui(mpq_numref(q), mpq_numref(q), 3);
    mpq_canonicalize(q);
    check_one(q, 0x1p-1073, 0, "3*2^-1075 (tie, up to even)");
    /* 5/2 * 2^-1074: tie between 2*2^-1074 (even) and 3*2^-1074 */
    mpq_set_2exp(q, -1075);
    mpz_mul_ui(mpq_numref(q), mpq_numref(q), 5);
    mpq_canonicalize(q);
    check_one(q, 0x1p-1073, 0, "5*2^-1075 (tie, down to even)");
    /* 2^-1075: half the smallest subnormal, ties to even: 0 */
    mpq_set_2exp(q, -1075);
    check_one(q, 0.0, 0, "2^-1075");
    mpq_neg(q, q);
    check_one(q, -0.0, 0, "-2^-1075 (-0)");
    /* 2^-1075 * (1 + 2^-60): just above half, up to 2^-1074 */
    mpq_set_2exp(q, -1075);
    mpq_set_2exp(t, -1135);
    mpq_add(q, q, t);
    check_one(q, 0x1p-1074, 0, "2^-1075*(1+2^-60)");
    /* 2^-1075 * (1 - 2^-60): just below half, to 0 */
    mpq_set_2exp(q, -1075);
    mpq_sub(q, q, t);
    check_one(q, 0.0, 0, "2^-1075*(1-2^-60)");
    /* 1/3 * 2^-1070: deep in the subnormals */
    mpq_set_2exp(q, -1070);
    mpz_mul_ui(mpq_denref(q), mpq_denref(q), 3);
    mpq_canonicalize(q);
    check_one(q, 0x5p-1074, 0, "2^-1070/3 = 5.33*2^-1074");

    /* Double rounding trap: v = 2^-1074 * (m + 1/2 - 2^-40), m odd, near
     * 2^-1050 (24 significant bits). Rounding first to 53 bits gives the
     * tie m + 1/2, then to even m + 1; the correct answer is m. */
    {
        unsigned long m = (1UL << 24) + 3;   /* odd */
        mpq_set_ui(q, 2 * m + 1, 2);
        mpq_set_2exp(t, -40);
        mpq_sub(q, q, t);
        mpq_set_2exp(t, -1074);
        mpq_mul(q, q, t);
        check_one(q, ldexp((double) m, -1074), 0, "double-rounding trap");
        /* and just above the tie goes up */
        mpq_set_ui(q, 2 * m + 1, 2);
        mpq_set_2exp(t, -40);
        mpq_add(q, q, t);
        mpq_set_2exp(t, -1074);
        mpq_mul(q, q, t);
        check_one(q, ldexp((double) (m + 1), -1074), 0, "double-rounding trap, above");
    }

    /* DBL_MIN and just below: 2^-1022 - 2^-1076 rounds to 2^-1022 */
    mpq_set_2exp(q, -1022);
    check_one(q, DBL_MIN, 0, "DBL_MIN");
    mpq_set_2exp(t, -1076);
    mpq_sub(q, q, t);
    check_one(q, DBL_MIN, 0, "DBL_MIN - 2^-1076");
    /* 2^-1022 - 2^-1075 - 2^-1076: below the midpoint to the largest subnormal */
    mpq_set_2exp(q, -1022);
    mpq_set_2exp(t, -1075);
    mpq_sub(q, q, t);
    mpq_set_2exp(t, -1076);
    mpq_sub(q, q, t);
    check_one(q, nextafter(DBL_MIN, 0.0), 0, "just below DBL_MIN midpoint");

    /* Overflow boundary: DBL_MAX = 2^1024 - 2^971; the midpoint to 2^1024
     * is 2^1024 - 2^970 and ties to even (2^1024): overflow. */
    mpq_set_exact_d(q, DBL_MAX);
    check_one(q, DBL_MAX, 0, "DBL_MAX");
    mpq_set_2exp(q, 1024);
    mpq_set_2exp(t, 970);
    mpq_sub(q, q, t);
    check_one(q, HUGE_VAL, 1, "DBL_MAX midpoint");
    mpq_set_si(t, 1, 1);
    mpq_sub(q, q, t);
    check_one(q, DBL_MAX, 0, "DBL_MAX midpoint - 1");
    mpq_neg(q, q);
    check_one(q, -DBL_MAX, 0, "-(DBL_MAX midpoint - 1)");
    mpq_set_2exp(q, 5000);
    check_one(q, HUGE_VAL, 1, "2^5000");
    mpq_neg(q, q);
    check_one(q, -HUGE_VAL, 1, "-2^5000");
    mpq_set_2exp(q, -5000);
    check_one(q, 0.0, 0, "2^-5000");

    /* MPFR's per-thread exponent range and flags are left as they were */
    {
        mpfr_exp_t emin = mpfr_get_emin(), emax = mpfr_get_emax();
        mpfr_flags_clear(MPFR_FLAGS_ALL);
        mpq_set_2exp(q, 5000);
        (void) lmo_fast_d_from_mpq(q, NULL);
        mpq_set_2exp(q, -1075);
        (void) lmo_fast_d_from_mpq(q, NULL);
        CHECK(mpfr_get_emin() == emin && mpfr_get_emax() == emax);
        CHECK(mpfr_flags_test(MPFR_FLAGS_ALL) == 0);
    }

    /* NULL overflow pointer is allowed */
    mpq_set_si(q, 1, 3);
    CHECK(lmo_fast_d_from_mpq(q, NULL) == 1.0 / 3.0);

    mpq_clears(q, t, NULL);
}

/* Random rationals over the whole range; exact midpoints between adjacent
 * doubles and their neighbours (known answers by construction). */
static void test_d_from_mpq_random(void)
{
    lmo_rng_t rng;
    mpq_t q, t, eps;
    int i, ovf, rovf;
    long bad = 0;

    lmo_rng_seed(&rng, 20240601);
    mpq_inits(q, t, eps, NULL);
    mpq_set_2exp(eps, -2300);
    for (i = 0; i < 3000; i++) {
        unsigned long nb = 1 + lmo_rng_below(&rng, 200), db = 1 + lmo_rng_below(&rng, 200);
        long e = (long) lmo_rng_below(&rng, 2400) - 1250;
        double got, ref;
        unsigned long j;

        mpz_set_ui(mpq_numref(q), 0);
        for (j = 0; j < nb; j += 60)
            mpz_mul_2exp(mpq_numref(q), mpq_numref(q), 60),
            mpz_add_ui(mpq_numref(q), mpq_numref(q), lmo_rng_next(&rng) >> 4);
        mpz_set_ui(mpq_denref(q), 0);
        for (j = 0; j < db; j += 60)
            mpz_mul_2exp(mpq_denref(q), mpq_denref(q), 60),
            mpz_add_ui(mpq_denref(q), mpq_denref(q), lmo_rng_next(&rng) >> 4);
        if (mpz_sgn(mpq_denref(q)) == 0)
            mpz_set_ui(mpq_denref(q), 1);
        mpq_canonicalize(q);
        mpq_set_2exp(t, e);
        mpq_mul(q, q, t);
        if (lmo_rng_next(&rng) & 1)
            mpq_neg(q, q);
        got = lmo_fast_d_from_mpq(q, &ovf);
        ref = ref_round(q, &rovf);
        if (!same_double(got, ref) || ovf != rovf) {
            if (bad++ < 5)
                fprintf(stderr, "random rational %d: got %a ref %a\n", i, got, ref);
        }
    }
    CHECKF(bad == 0, "%ld of 3000 random rationals rounded differently", bad);

    /* midpoints: d random finite double (normal, subnormal, near max) */
    bad = 0;
    for (i = 0; i < 3000; i++) {
        uint64_t bits;
        double d, up, even, want;
        int k;

        bits = lmo_rng_next(&rng) & 0x7fffffffffffffffULL;
        switch (i % 3) {
        case 0: break;                                      /* anything */
        case 1: bits &= 0x000fffffffffffffULL; break;       /* subnormal */
        default: bits |= 0x7fe0000000000000ULL; break;      /* top binade */
        }
        memcpy(&d, &bits, sizeof d);
        if (!isfinite(d))
            continue;
        up = nextafter(d, HUGE_VAL);
        {   /* which of d, up is even (last significand bit 0)? */
            uint64_t b;
            memcpy(&b, &d, sizeof b);
            even = (b & 1) ? up : d;
        }
        for (k = 0; k < 3; k++) {
            /* q = (d + up)/2 + (k-1)*eps, with up = 2^1024 when d = DBL_MAX */
            if (isinf(up)) {
                mpq_set_2exp(t, 1024);
            } else {
                mpq_set_exact_d(t, up);
            }
            mpq_set_exact_d(q, d);
            mpq_add(q, q, t);
            mpq_div_2exp(q, q, 1);
            if (k == 0) mpq_sub(q, q, eps);
            if (k == 2) mpq_add(q, q, eps);
            want = (k == 0) ? d : (k == 2) ? up : even;
            {
                double got = lmo_fast_d_from_mpq(q, &ovf);
                double ref = ref_round(q, &rovf);
                if (!same_double(got, want) || ovf != (isinf(want) ? 1 : 0)
                    || !same_double(ref, want)) {
                    if (bad++ < 5)
                        fprintf(stderr, "midpoint of %a (k=%d): got %a ref %a want %a\n",
                                d, k, got, ref, want);
                }
            }
        }
    }
    CHECKF(bad == 0, "%ld midpoint cases wrong", bad);
    mpq_clears(q, t, eps, NULL);
}

/* ------------------------------------------------------------------ */
/* Policies                                                            */
/* ------------------------------------------------------------------ */

static void test_policy_parse(void)
{
    lmo_fast_policy_t p;
    const char *bad[] = { "", "NUMPY", "numpy ", " numpy", "svd", "abs:", "abs:0",
                          "abs:-1", "abs:1e-10x", "abs: 1", "abs:inf", "abs:nan",
                          "abs:1e999", "abs:1e-400", "rel:", "rel:0", "rel:-0.5",
                          "abs", "rel", "qrcp:1", "abs:0x", "rel:1 ", NULL };
    const char *longs =
        "abs:0.00000000010000000000000000000000000000000000000000000000000000000001";
    int i;

    CHECK(lmo_fast_policy_parse(&p, "numpy") == 0 && p.kind == LMO_FAST_NUMPY
          && strcmp(p.name, "numpy") == 0);
    CHECK(lmo_fast_policy_parse(&p, "qrcp") == 0 && p.kind == LMO_FAST_QRCP
          && strcmp(p.name, "qrcp") == 0);
    CHECK(lmo_fast_policy_parse(&p, "abs:1e-10") == 0 && p.kind == LMO_FAST_ABS
          && p.param == strtod("1e-10", NULL) && strcmp(p.name, "abs:1e-10") == 0);
    CHECK(lmo_fast_policy_parse(&p, "rel:0.5") == 0 && p.kind == LMO_FAST_REL
          && p.param == 0.5 && strcmp(p.name, "rel:0.5") == 0);
    CHECK(lmo_fast_policy_parse(&p, "abs:0x1p-30") == 0 && p.param == 0x1p-30
          && strcmp(p.name, "abs:0x1p-30") == 0);
    CHECK(lmo_fast_policy_parse(&p, "rel:2") == 0 && p.param == 2.0);
    CHECK(lmo_fast_policy_parse(&p, "abs:4e-320") == 0 && p.param > 0);  /* subnormal T */
    for (i = 0; bad[i] != NULL; i++)
        CHECKF(lmo_fast_policy_parse(&p, bad[i]) == -1, "accepted \"%s\"", bad[i]);
    CHECK(lmo_fast_policy_parse(&p, NULL) == -1);
    /* too long to keep: canonical %.17g spelling that reads back the same */
    CHECK(lmo_fast_policy_parse(&p, longs) == 0);
    CHECK(strlen(p.name) < sizeof p.name && strncmp(p.name, "abs:", 4) == 0);
    CHECK(strtod(p.name + 4, NULL) == strtod(longs + 4, NULL));
    CHECK(p.param == strtod(longs + 4, NULL));
}

static lmo_fast_policy_t pol_of(const char *s)
{
    lmo_fast_policy_t p;
    if (lmo_fast_policy_parse(&p, s) != 0) {
        fprintf(stderr, "bad test policy %s\n", s);
        exit(1);
    }
    return p;
}

/* rank of M under policy s; also checks the input is untouched. */
static long rank_of(lmo_fast_rank_t *res, const double *M, long m, long n, const char *s)
{
    lmo_fast_policy_t p = pol_of(s);
    double *copy = malloc((size_t) (m * n > 0 ? m * n : 1) * sizeof(double));
    int rc;

    if (m * n > 0)
        memcpy(copy, M, (size_t) (m * n) * sizeof(double));
    rc = lmo_fast_rank(res, M, m, n, &p);
    CHECKF(rc == 0, "policy %s: rc %d info %d", s, rc, res->info);
    if (m * n > 0)
        CHECKF(memcmp(copy, M, (size_t) (m * n) * sizeof(double)) == 0,
               "policy %s modified its input", s);
    free(copy);
    return rc == 0 ? res->rank : -1;
}

/* the singular values of the last rank_of against the exact ones: each within 64 eps * scale */
static void check_svals(const lmo_fast_rank_t *r, const double *want, long k, double scale)
{
    for (long i = 0; i < k; i++)
        CHECKF(fabs(r->sv[i] - want[i]) <= 64 * 0x1p-52 * scale, "sv[%ld] = %a, exactly %a", i,
               r->sv[i], want[i]);
}

/* M's rank under each policy of a list: the tolerances either side of its singular values */
typedef struct { const char *policy; long rank; } policy_rank_t;

static void check_policy_ranks(lmo_fast_rank_t *r, const double *M, long m, long n,
                               const policy_rank_t *want, size_t count)
{
    for (size_t k = 0; k < count; k++) {
        long got = rank_of(r, M, m, n, want[k].policy);
        CHECKF(got == want[k].rank, "%ld x %ld, policy %s: rank %ld, want %ld", m, n,
               want[k].policy, got, want[k].rank);
    }
}

/* ------------------------------------------------------------------ */
/* Matrices with known singular values                                 */
/* ------------------------------------------------------------------ */

/* m x n row-major with d[i] at (i, i) */
static double *diag_mat(long m, long n, const double *d)
{
    double *M = calloc((size_t) (m * n), sizeof(double));
    long i;
    for (i = 0; i < m && i < n; i++)
        M[i * n + i] = d[i];
    return M;
}

/* C = A (m x k) * B (k x n), plain triple loop; exact for our inputs */
static void matmul(double *C, const double *A, const double *B, long m, long k, long n)
{
    long i, j, l;
    for (i = 0; i < m; i++)
        for (j = 0; j < n; j++) {
            double s = 0;
            for (l = 0; l < k; l++)
                s += A[i * k + l] * B[l * n + j];
            C[i * n + j] = s;
        }
}

/* Householder reflection I - 2 v v^T / (v^T v) for a 0/1 vector v with
 * v^T v a power of two: every entry is a short dyadic, exact in double. */
static void householder(double *H, long n, const int *v)
{
    long i, j, vv = 0;
    for (i = 0; i < n; i++)
        vv += v[i] * v[i];
    for (i = 0; i < n; i++)
        for (j = 0; j < n; j++)
            H[i * n + j] = (i == j) - 2.0 * v[i] * v[j] / (double) vv;
}

static void test_diagonal_exact(void)
{
    lmo_fast_rank_t r;
    double d[3] = { -3.0, 0.5, 7.0 };
    double *M;

    lmo_fast_rank_init(&r);

    /* tall 5x3 and wide 3x5: sv are |d| sorted, exactly (gesdd sees zero
     * off-diagonals and only sorts) */
    M = diag_mat(5, 3, d);
    CHECK(rank_of(&r, M, 5, 3, "numpy") == 3);
    CHECK(r.nsv == 3 && r.m == 5 && r.n == 3 && r.info == 0);
    CHECK(r.sv[0] == 7.0 && r.sv[1] == 3.0 && r.sv[2] == 0.5);
    CHECK(r.threshold == 7.0 * 5.0 * 0x1p-52);
    CHECK(rank_of(&r, M, 5, 3, "abs:3") == 1);     /* 3 > 3 is false */
    CHECK(rank_of(&r, M, 5, 3, "abs:2.9999999999999996") == 2);
    CHECK(rank_of(&r, M, 5, 3, "rel:0.5") == 1);   /* 3 > 3.5? no */
    CHECK(rank_of(&r, M, 5, 3, "qrcp") == 3);
    CHECK(r.sv[0] == 7.0 && r.sv[1] == 3.0 && r.sv[2] == 0.5);
    free(M);

    M = diag_mat(3, 5, d);
    CHECK(rank_of(&r, M, 3, 5, "numpy") == 3);
    CHECK(r.nsv == 3 && r.sv[0] == 7.0 && r.sv[1] == 3.0 && r.sv[2] == 0.5);
    free(M);

    /* 1x1 and 1xn, nx1 */
    {
        double one = -2.5, row[4] = { 0, 3, 0, 4 };
        CHECK(rank_of(&r, &one, 1, 1, "numpy") == 1 && r.sv[0] == 2.5);
        CHECK(rank_of(&r, &one, 1, 1, "qrcp") == 1 && r.sv[0] == 2.5);
        CHECK(rank_of(&r, row, 1, 4, "numpy") == 1 && fabs(r.sv[0] - 5.0) < 1e-14);
        CHECK(rank_of(&r, row, 4, 1, "numpy") == 1 && fabs(r.sv[0] - 5.0) < 1e-14);
        CHECK(rank_of(&r, row, 4, 1, "qrcp") == 1 && fabs(r.sv[0] - 5.0) < 1e-14);
    }
    lmo_fast_rank_clear(&r);
}

/* Singular values at, just above and just below the numpy threshold
 * sigma_max * max(m,n) * 2^-52. The matrices are diagonal, so the values
 * gesdd returns are the entries themselves. */
static void test_numpy_threshold(void)
{
    lmo_fast_rank_t r;
    double d[4], *M, thr;

    lmo_fast_rank_init(&r);
    /* 4x4, sigma_max 1: threshold 4 * 2^-52 = 2^-50 */
    d[0] = 1.0; d[2] = 0.0; d[3] = 0.0;
    d[1] = 0x1p-50;
    M = diag_mat(4, 4, d);
    CHECK(rank_of(&r, M, 4, 4, "numpy") == 1 && r.threshold == 0x1p-50);
    CHECK(rank_of(&r, M, 4, 4, "qrcp") == 1 && r.threshold == 0x1p-50);
    free(M);
    d[1] = nextafter(0x1p-50, 1.0);
    M = diag_mat(4, 4, d);
    CHECK(rank_of(&r, M, 4, 4, "numpy") == 2);
    CHECK(rank_of(&r, M, 4, 4, "qrcp") == 2);
    free(M);
    d[1] = nextafter(0x1p-50, 0.0);
    M = diag_mat(4, 4, d);
    CHECK(rank_of(&r, M, 4, 4, "numpy") == 1);
    free(M);

    /* 3x5 (max dim 5), sigma_max 0.7 (not a power of two): the threshold
     * is fl(fl(0.7*5) * 2^-52), numpy's order of operations */
    thr = (0.7 * 5.0) * 0x1p-52;
    d[0] = 0.7; d[2] = 0.0;
    d[1] = thr;
    M = diag_mat(3, 5, d);
    CHECK(rank_of(&r, M, 3, 5, "numpy") == 1 && r.threshold == thr);
    free(M);
    d[1] = nextafter(thr, 1.0);
    M = diag_mat(3, 5, d);
    CHECK(rank_of(&r, M, 3, 5, "numpy") == 2);
    /* an absolute policy at the same value decides the same way */
    {
        char buf[64];
        snprintf(buf, sizeof buf, "abs:%a", thr);
        CHECK(rank_of(&r, M, 3, 5, buf) == 2);
        snprintf(buf, sizeof buf, "abs:%a", d[1]);
        CHECK(rank_of(&r, M, 3, 5, buf) == 1);
    }
    free(M);

    /* the same tiny value under a wider matrix (max dim 7) drops out */
    d[0] = 0.7; d[1] = nextafter(thr, 1.0); d[2] = 0.0;
    M = diag_mat(3, 7, d);
    CHECK(rank_of(&r, M, 3, 7, "numpy") == 1);
    CHECK(r.threshold == (0.7 * 7.0) * 0x1p-52);
    free(M);

    /* rel:R at R*sigma_max exactly, and one ulp above */
    d[0] = 3.0; d[1] = 1.5; d[2] = 0.75; d[3] = 0;
    M = diag_mat(4, 4, d);
    CHECK(rank_of(&r, M, 4, 4, "rel:0.5") == 1);
    CHECK(rank_of(&r, M, 4, 4, "rel:0.49999999999999994") == 2);
    CHECK(rank_of(&r, M, 4, 4, "abs:0.75") == 2);
    CHECK(rank_of(&r, M, 4, 4, "abs:0.74999999999999989") == 3);
    free(M);
    lmo_fast_rank_clear(&r);
}

/* U * D * V^T with Householder / signed-permutation factors: the matrix is
 * exact, its singular values are |D| by construction; gesdd returns them
 * to within a few ulps of sigma_max. */
static void test_transformed(void)
{
    lmo_fast_rank_t r;
    int v4[4] = { 1, 1, 1, 1 }, v8a[8] = { 1, 1, 1, 1, 1, 1, 1, 1 },
        v8b[8] = { 0, 1, 1, 0, 1, 0, 0, 1 };
    double U4[16], V6[36], D[24], T[24], M[24];
    double U8[64], V8[64], D8[64], T8[64], M8[64];
    double want4[4] = { 3, 1, 0.25, 0 }, want8[8] = { 8, 4, 2, 1, 0.5, 0, 0, 0 };
    long i, j;

    lmo_fast_rank_init(&r);

    /* 4x6: U = H(1,1,1,1) (entries +-1/2), V = a signed permutation */
    householder(U4, 4, v4);
    memset(V6, 0, sizeof V6);
    {
        long perm[6] = { 3, 0, 5, 1, 4, 2 };
        for (i = 0; i < 6; i++)
            V6[i * 6 + perm[i]] = (i % 2) ? -1.0 : 1.0;
    }
    memset(D, 0, sizeof D);
    D[0 * 6 + 0] = 1; D[1 * 6 + 1] = -0.25; D[2 * 6 + 2] = 3; D[3 * 6 + 3] = 0;
    matmul(T, U4, D, 4, 4, 6);
    {   /* M = T * V^T */
        double Vt[36];
        for (i = 0; i < 6; i++)
            for (j = 0; j < 6; j++)
                Vt[i * 6 + j] = V6[j * 6 + i];
        matmul(M, T, Vt, 4, 6, 6);
    }
    CHECK(rank_of(&r, M, 4, 6, "numpy") == 3);
    check_svals(&r, want4, 4, 3);
    static const policy_rank_t pol46[] = {
        { "abs:1e-3", 3 }, { "abs:0.5", 2 }, { "abs:2", 1 },
        { "rel:0.5", 1 }, { "rel:0.01", 3 }, { "qrcp", 3 },
    };
    check_policy_ranks(&r, M, 4, 6, pol46, sizeof pol46 / sizeof pol46[0]);
    /* and the transpose, 6x4 */
    {
        double Mt[24];
        for (i = 0; i < 4; i++)
            for (j = 0; j < 6; j++)
                Mt[j * 4 + i] = M[i * 6 + j];
        CHECK(rank_of(&r, Mt, 6, 4, "numpy") == 3);
        check_svals(&r, want4, 4, 3);
    }

    /* 8x8: U = H(all ones) (3/4, -1/4), V = H(v8b) (+-1/2, 0, 1), rank 5 */
    householder(U8, 8, v8a);
    householder(V8, 8, v8b);
    memset(D8, 0, sizeof D8);
    {
        double dd[8] = { 0.5, 0, 8, 0, 1, 0, 4, 2 };   /* unsorted on purpose */
        for (i = 0; i < 8; i++)
            D8[i * 8 + i] = dd[i];
    }
    matmul(T8, U8, D8, 8, 8, 8);
    matmul(M8, T8, V8, 8, 8, 8);    /* V8 symmetric: V^T = V */
    CHECK(rank_of(&r, M8, 8, 8, "numpy") == 5);
    check_svals(&r, want8, 8, 8);
    static const policy_rank_t pol88[] = { { "abs:0.75", 4 }, { "rel:0.3", 2 }, { "qrcp", 5 } };
    check_policy_ranks(&r, M8, 8, 8, pol88, sizeof pol88 / sizeof pol88[0]);
    lmo_fast_rank_clear(&r);
}

/* ------------------------------------------------------------------ */
/* QR with column pivoting                                             */
/* ------------------------------------------------------------------ */

static void test_qrcp(void)
{
    lmo_fast_rank_t r;
    int v4[4] = { 1, 1, 1, 1 };
    double Q[16], M[12], d[4], *Dm;
    long i;

    lmo_fast_rank_init(&r);

    /* A = Q [R; 0] with R = [[4,1,1],[0,2,1],[0,0,1]]: the column norms
     * (4, sqrt5, sqrt3) and then the trailing norms (2, sqrt2) make geqp3
     * keep the order, so |R_ii| = 4, 2, 1. Non-symmetric: a layout mix-up
     * (transpose) would give other pivots. */
    {
        double R[12] = { 4, 1, 1,
                         0, 2, 1,
                         0, 0, 1,
                         0, 0, 0 };
        double want[3] = { 4, 2, 1 };
        householder(Q, 4, v4);
        matmul(M, Q, R, 4, 4, 3);
        CHECK(rank_of(&r, M, 4, 3, "qrcp") == 3);
        CHECK(r.nsv == 3);
        for (i = 0; i < 3; i++)
            CHECKF(fabs(r.sv[i] - want[i]) <= 32 * 0x1p-52 * 4, "R_%ld%ld = %a", i, i, r.sv[i]);
        CHECK(r.threshold == r.sv[0] * 4.0 * 0x1p-52);
    }
    /* rank 2: R = [[4,1,2],[0,2,1],[0,0,0]] (column norms 4, sqrt5, sqrt5:
     * a tie keeps the first; then trailing norms 2 > 1) */
    {
        double R[12] = { 4, 1, 2,
                         0, 2, 1,
                         0, 0, 0,
                         0, 0, 0 };
        matmul(M, Q, R, 4, 4, 3);
        CHECK(rank_of(&r, M, 4, 3, "qrcp") == 2);
        CHECK(fabs(r.sv[0] - 4) <= 32 * 0x1p-52 * 4 && fabs(r.sv[1] - 2) <= 32 * 0x1p-52 * 4);
        CHECK(r.sv[2] <= r.threshold);
        CHECK(rank_of(&r, M, 4, 3, "numpy") == 2);
    }

    /* Diagonal already in descending order: no Householder does anything,
     * |R_ii| are the entries exactly; threshold |R_11| * 4 * 2^-52. */
    d[0] = -1.0; d[1] = 0x1p-50; d[2] = 0; d[3] = 0;
    Dm = diag_mat(4, 4, d);
    CHECK(rank_of(&r, Dm, 4, 4, "qrcp") == 1 && r.sv[0] == 1.0 && r.sv[1] == 0x1p-50);
    free(Dm);
    d[1] = nextafter(0x1p-50, 1.0);
    Dm = diag_mat(4, 4, d);
    CHECK(rank_of(&r, Dm, 4, 4, "qrcp") == 2 && r.sv[1] == d[1]);
    free(Dm);

    /* A permuted diagonal of powers of two: pivots in decreasing norm, the
     * reflections swap unit vectors exactly. */
    {
        double P[16] = { 0, 0, 0.25, 0,
                         -4, 0, 0, 0,
                         0, 0, 0, 1,
                         0, 0, 0, 0 };
        CHECK(rank_of(&r, P, 4, 4, "qrcp") == 3);
        CHECK(r.sv[0] == 4 && r.sv[1] == 1 && r.sv[2] == 0.25 && r.sv[3] == 0);
    }
    lmo_fast_rank_clear(&r);
}

/* ------------------------------------------------------------------ */
/* Edge cases                                                          */
/* ------------------------------------------------------------------ */

static void test_edges(void)
{
    const char *pols[] = { "numpy", "qrcp", "abs:1", "rel:0.5" };
    lmo_fast_rank_t r;
    lmo_fast_policy_t p;
    double Z[6] = { 0, 0, 0, 0, 0, 0 }, one = 1.0, X[4] = { 1, 2, 3, 4 };
    int i;

    lmo_fast_rank_init(&r);
    CHECK(r.sv == NULL);
    for (i = 0; i < 4; i++) {
        CHECK(rank_of(&r, Z, 0, 3, pols[i]) == 0 && r.nsv == 0);
        CHECK(rank_of(&r, Z, 3, 0, pols[i]) == 0 && r.nsv == 0);
        CHECK(rank_of(&r, &one, 0, 0, pols[i]) == 0 && r.nsv == 0);
        CHECK(rank_of(&r, Z, 3, 2, pols[i]) == 0 && r.nsv == 2);
        CHECK(r.sv[0] == 0 && r.sv[1] == 0);
        CHECK(r.threshold == (i == 2 ? 1.0 : 0.0));
    }
    /* non-finite entries and bad dimensions are refused, as LAPACKE would */
    p = pol_of("numpy");
    X[2] = NAN;
    CHECK(lmo_fast_rank(&r, X, 2, 2, &p) == -1 && r.info == -5 && r.rank == -1);
    X[2] = -HUGE_VAL;
    CHECK(lmo_fast_rank(&r, X, 2, 2, &p) == -1 && r.info == -5);
    p = pol_of("qrcp");
    CHECK(lmo_fast_rank(&r, X, 2, 2, &p) == -1 && r.info == -4);
    CHECK(lmo_fast_rank(&r, X, -1, 2, &p) == -1 && r.info == -2);
    p = pol_of("numpy");
    CHECK(lmo_fast_rank(&r, X, 2, -1, &p) == -1 && r.info == -4);
    p.kind = (lmo_fast_policy_kind) 42;
    X[2] = 3;
    CHECK(lmo_fast_rank(&r, X, 2, 2, &p) == -1);
    /* and the struct is usable afterwards */
    CHECK(rank_of(&r, X, 2, 2, "numpy") == 2);
    lmo_fast_rank_clear(&r);
    lmo_fast_rank_clear(&r);   /* clearing twice is harmless */
}

/* ------------------------------------------------------------------ */
/* Khatri-Rao                                                          */
/* ------------------------------------------------------------------ */

static void test_khatri_rao(void)
{
    /* hand example: column n of G is a^(n) (x) x^(n) */
    double A[4] = { 1, 2,
                    3, 4 };
    double X[6] = { 5, 6,
                    7, 8,
                    9, 10 };
    double want[12] = { 5, 12,
                        7, 16,
                        9, 20,
                        15, 24,
                        21, 32,
                        27, 40 };
    double G[12];
    lmo_rng_t rng;
    int t;

    lmo_fast_khatri_rao(G, A, 2, X, 3, 2);
    CHECK(memcmp(G, want, sizeof G) == 0);

    /* Gram identity (A o X)^T (A o X) = (A^T A) .* (X^T X), small integers
     * so every sum is exact. */
    lmo_rng_seed(&rng, 77);
    for (t = 0; t < 40; t++) {
        long d1 = 1 + (long) lmo_rng_below(&rng, 5), d0 = 1 + (long) lmo_rng_below(&rng, 5);
        long N = 1 + (long) lmo_rng_below(&rng, 7), i, j, k;
        double *Ar = malloc((size_t) (d1 * N) * sizeof(double));
        double *Xr = malloc((size_t) (d0 * N) * sizeof(double));
        double *Gr = malloc((size_t) (d1 * d0 * N) * sizeof(double));
        int ok = 1;

        for (i = 0; i < d1 * N; i++)
            Ar[i] = (double) lmo_rng_below(&rng, 21) - 10;
        for (i = 0; i < d0 * N; i++)
            Xr[i] = (double) lmo_rng_below(&rng, 21) - 10;
        lmo_fast_khatri_rao(Gr, Ar, d1, Xr, d0, N);
        for (i = 0; i < N; i++)
            for (j = 0; j < N; j++) {
                double g = 0, a = 0, x = 0;
                for (k = 0; k < d1 * d0; k++)
                    g += Gr[k * N + i] * Gr[k * N + j];
                for (k = 0; k < d1; k++)
                    a += Ar[k * N + i] * Ar[k * N + j];
                for (k = 0; k < d0; k++)
                    x += Xr[k * N + i] * Xr[k * N + j];
                if (g != a * x)
                    ok = 0;
            }
        CHECKF(ok, "Gram identity fails for d1=%ld d0=%ld N=%ld", d1, d0, N);
        free(Ar);
        free(Xr);
        free(Gr);
    }
}

int main(void)
{
    test_d_from_mpq_cases();
    test_d_from_mpq_random();
    test_policy_parse();
    test_diagonal_exact();
    test_numpy_threshold();
    test_transformed();
    test_qrcp();
    test_edges();
    test_khatri_rao();
    return lmo_test_finish();
}
