/*
 * rank.c -- the fast tier's rank decisions (DESIGN.md, "Fast-tier
 * policies"): what users' double-precision code does, so that lmo can
 * compare it with the exact rank.
 */
#include "lmo_fast/rank.h"

#include <errno.h>
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lapacke.h>
#include <mpfr.h>

/* numpy's finfo(float64).eps. */
#define LMO_FAST_EPS 0x1p-52

/* ---- policies ---- */

/* T or R of "abs:T"/"rel:R": the whole rest must be a finite number > 0. */
static int parse_param(double *v, const char *s)
{
    char *end;
    double x;

    /* strtod would skip leading blanks; a policy spelling has none. */
    if (*s == '\0' || *s == ' ' || *s == '\t' || *s == '\n' || *s == '\r'
        || *s == '\f' || *s == '\v')
        return -1;
    errno = 0;
    x = strtod(s, &end);
    if (*end != '\0' || end == s)
        return -1;
    /* ERANGE on underflow still leaves a usable tiny value; overflow is inf. */
    if (!isfinite(x) || !(x > 0))
        return -1;
    *v = x;
    return 0;
}

int lmo_fast_policy_parse(lmo_fast_policy_t *pol, const char *s)
{
    if (s == NULL)
        return -1;
    memset(pol, 0, sizeof(*pol));
    if (strcmp(s, "numpy") == 0) {
        pol->kind = LMO_FAST_NUMPY;
    } else if (strcmp(s, "qrcp") == 0) {
        pol->kind = LMO_FAST_QRCP;
    } else if (strncmp(s, "abs:", 4) == 0 || strncmp(s, "rel:", 4) == 0) {
        if (parse_param(&pol->param, s + 4) != 0)
            return -1;
        pol->kind = (s[0] == 'a') ? LMO_FAST_ABS : LMO_FAST_REL;
        /* Keep the user's spelling ("abs:1e-10", not "abs:1.0000000000000000e-10")
         * when it fits; otherwise a round-trip %.17g. */
        if (strlen(s) < sizeof(pol->name)) {
            strcpy(pol->name, s);
        } else {
            snprintf(pol->name, sizeof(pol->name), "%.4s%.17g", s, pol->param);
        }
        return 0;
    } else {
        return -1;
    }
    strcpy(pol->name, s);
    return 0;
}

/* ---- exact rational -> double ---- */

double lmo_fast_d_from_mpq(const mpq_t q, int *overflow)
{
    mpfr_t x;
    mpfr_exp_t old_emin = mpfr_get_emin(), old_emax = mpfr_get_emax();
    mpfr_flags_t old_flags = mpfr_flags_save();
    double d;
    int t;

    /* Emulate binary64 exactly: a 53-bit significand and double's exponent
     * range in MPFR's convention (x = m * 2^e, 1/2 <= m < 1), so that
     * set_q rounds once and overflows/underflows like IEEE, and
     * subnormalize re-rounds subnormals using the ternary value (no double
     * rounding). The exponent range is per-thread MPFR state, restored
     * below, as are the flags. */
    mpfr_set_emin(-1073);   /* 2^-1074 = 0.5 * 2^-1073 */
    mpfr_set_emax(1024);    /* DBL_MAX < 2^1024 = 0.5 * 2^1025 */
    mpfr_init2(x, 53);
    t = mpfr_set_q(x, q, MPFR_RNDN);
    t = mpfr_check_range(x, t, MPFR_RNDN);
    mpfr_subnormalize(x, t, MPFR_RNDN);
    d = mpfr_get_d(x, MPFR_RNDN);   /* exact: x is a double now */
    mpfr_clear(x);
    mpfr_set_emin(old_emin);
    mpfr_set_emax(old_emax);
    mpfr_flags_restore(old_flags, MPFR_FLAGS_ALL);

    if (overflow != NULL)
        *overflow = isinf(d) ? 1 : 0;
    return d;
}

/* ---- Khatri-Rao ---- */

void lmo_fast_khatri_rao(double *G, const double *A, long d1, const double *X,
                         long d0, long N)
{
    long i, j, n;

    for (i = 0; i < d1; i++)
        for (j = 0; j < d0; j++)
            for (n = 0; n < N; n++)
                G[(i * d0 + j) * N + n] = A[i * N + n] * X[j * N + n];
}

/* ---- rank ---- */

void lmo_fast_rank_init(lmo_fast_rank_t *out)
{
    memset(out, 0, sizeof(*out));
    out->sv = NULL;
}

void lmo_fast_rank_clear(lmo_fast_rank_t *out)
{
    free(out->sv);
    out->sv = NULL;
    out->nsv = 0;
}

/* Column-major copy for LAPACK (the input stays untouched, as numpy's
 * linearize does); NULL on allocation failure. */
static double *col_major_copy(const double *M, long m, long n)
{
    double *a = malloc((size_t) m * (size_t) n * sizeof(double));
    long i, j;

    if (a == NULL)
        return NULL;
    for (i = 0; i < m; i++)
        for (j = 0; j < n; j++)
            a[j * m + i] = M[i * n + j];
    return a;
}

static int fail(lmo_fast_rank_t *out, int info)
{
    out->info = info;
    out->rank = -1;
    return -1;
}

int lmo_fast_rank(lmo_fast_rank_t *out, const double *M, long m, long n,
                  const lmo_fast_policy_t *pol)
{
    long k, i, r;
    double *a, top, maxdim;
    int qrcp = (pol->kind == LMO_FAST_QRCP);
    /* LAPACKE's convention for a bad argument: minus its position
     * (gesdd: layout, jobz, m, n, a; geqp3: layout, m, n, a). */
    int arg_m = qrcp ? -2 : -3, arg_n = qrcp ? -3 : -4, arg_a = qrcp ? -4 : -5;

    free(out->sv);
    out->sv = NULL;
    out->m = m;
    out->n = n;
    out->nsv = 0;
    out->rank = 0;
    out->threshold = 0.0;
    out->info = 0;

    if (pol->kind != LMO_FAST_NUMPY && pol->kind != LMO_FAST_ABS
        && pol->kind != LMO_FAST_REL && pol->kind != LMO_FAST_QRCP)
        return fail(out, -1);
    if (m < 0)
        return fail(out, arg_m);
    if (n < 0)
        return fail(out, arg_n);
    if (m > INT_MAX || n > INT_MAX || (n > 0 && m > INT_MAX / n))
        return fail(out, m > INT_MAX ? arg_m : arg_n);
    if (m == 0 || n == 0)
        return 0;
    k = m < n ? m : n;

    /* LAPACKE's NaN check would catch NaN only; an infinity makes gesdd
     * return NaNs. Both are a bad argument A. */
    for (i = 0; i < m * n; i++)
        if (!isfinite(M[i]))
            return fail(out, arg_a);

    out->sv = malloc((size_t) k * sizeof(double));
    a = col_major_copy(M, m, n);
    if (out->sv == NULL || a == NULL) {
        free(a);
        free(out->sv);
        out->sv = NULL;
        return fail(out, LAPACK_WORK_MEMORY_ERROR);
    }

    if (qrcp) {
        lapack_int *jpvt = calloc((size_t) n, sizeof(lapack_int));
        double *tau = malloc((size_t) k * sizeof(double));
        int info;

        if (jpvt == NULL || tau == NULL) {
            info = LAPACK_WORK_MEMORY_ERROR;
        } else {
            /* jpvt all zero: every column is free to be pivoted. */
            info = LAPACKE_dgeqp3(LAPACK_COL_MAJOR, (lapack_int) m,
                                  (lapack_int) n, a, (lapack_int) m, jpvt, tau);
        }
        if (info == 0)
            for (i = 0; i < k; i++)
                out->sv[i] = fabs(a[i * m + i]);
        free(jpvt);
        free(tau);
        free(a);
        if (info != 0) {
            free(out->sv);
            out->sv = NULL;
            return fail(out, info);
        }
    } else {
        int info = LAPACKE_dgesdd(LAPACK_COL_MAJOR, 'N', (lapack_int) m,
                                  (lapack_int) n, a, (lapack_int) m, out->sv,
                                  NULL, 1, NULL, 1);
        free(a);
        if (info != 0) {
            free(out->sv);
            out->sv = NULL;
            return fail(out, info);
        }
    }
    out->nsv = k;

    /* sigma_max: numpy takes S.max(); gesdd returns them descending, but
     * take the max anyway so the policy does not depend on that. For qrcp
     * the reference is |R_11|, the first pivot. */
    top = out->sv[0];
    if (!qrcp)
        for (i = 1; i < k; i++)
            if (out->sv[i] > top)
                top = out->sv[i];

    /* Same operation order as numpy: (S.max() * max(M.shape)) * eps. */
    maxdim = (double) (m > n ? m : n);
    switch (pol->kind) {
    case LMO_FAST_NUMPY:
    case LMO_FAST_QRCP:
        out->threshold = top * maxdim * LMO_FAST_EPS;
        break;
    case LMO_FAST_ABS:
        out->threshold = pol->param;
        break;
    case LMO_FAST_REL:
        out->threshold = pol->param * top;
        break;
    default:
        break;   /* unreachable: checked on entry */
    }

    r = 0;
    for (i = 0; i < k; i++)
        if (out->sv[i] > out->threshold)
            r++;
    out->rank = r;
    return 0;
}
