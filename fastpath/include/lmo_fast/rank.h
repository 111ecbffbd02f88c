/*
 * lmo_fast/rank.h -- the double-precision twin of lmo/linalg/rank.h and
 * lmo/linalg/khatri_rao.h: what users' code does (DESIGN.md, "Fast-tier policies").
 *
 * Inputs are the correctly rounded doubles of the exact inputs
 * (lmo_fast_d_from_mpq: MPFR mpfr_set_q then mpfr_get_d, round to nearest,
 * in binary64's precision and exponent range so subnormals round once).
 * Matrices are row-major double arrays.
 */
#ifndef LMO_FAST_RANK_H
#define LMO_FAST_RANK_H

#include <gmp.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    LMO_FAST_NUMPY = 0,  /* gesdd; sigma_i > sigma_max * max(m,n) * eps */
    LMO_FAST_ABS,        /* gesdd; sigma_i > T */
    LMO_FAST_REL,        /* gesdd; sigma_i > R * sigma_max */
    LMO_FAST_QRCP        /* geqp3; |R_ii| > |R_11| * max(m,n) * eps */
} lmo_fast_policy_kind;

typedef struct {
    lmo_fast_policy_kind kind;
    double param;        /* T for abs, R for rel, unused otherwise */
    char name[64];       /* canonical spelling, e.g. "numpy", "abs:1e-10" */
} lmo_fast_policy_t;

/* Parse "numpy", "qrcp", "abs:T", "rel:R" (T, R finite, > 0). 0 on
 * success, -1 on a bad spelling. */
int lmo_fast_policy_parse(lmo_fast_policy_t *pol, const char *s);

/* Correctly rounded double of an exact rational. *overflow set to 1 (and
 * +-HUGE_VAL returned) when |q| rounds beyond the largest double. */
double lmo_fast_d_from_mpq(const mpq_t q, int *overflow);

/* G (d1*d0 x N, row-major) = A (d1 x N) o X (d0 x N): column n is
 * a^(n) (x) x^(n), i.e. G[i*d0 + j][n] = A[i][n] * X[j][n]. Soudry-Carmon (4.4). */
void lmo_fast_khatri_rao(double *G, const double *A, long d1, const double *X,
                         long d0, long N);

typedef struct {
    long m, n;
    long rank;           /* the policy's decision */
    long nsv;            /* min(m, n) */
    double *sv;          /* nsv values, descending: singular values (gesdd)
                            or |R_ii| in pivot order (qrcp) */
    double threshold;    /* values > threshold count toward the rank */
    int info;            /* LAPACK info, 0 on success. As LAPACKE reports a
                            bad argument: minus its position (gesdd: m -3,
                            n -4, A -5 incl. NaN/inf entries; geqp3: m -2,
                            n -3, A -4); -1 an unknown policy kind;
                            LAPACK_WORK_MEMORY_ERROR out of memory; > 0 the
                            LAPACK routine did not converge. rank is -1
                            on failure. */
} lmo_fast_rank_t;

void lmo_fast_rank_init(lmo_fast_rank_t *out);
void lmo_fast_rank_clear(lmo_fast_rank_t *out);

/* Decide the rank of M (m x n, row-major; not modified) under the policy.
 * 0 on success; -1 if LAPACK failed or an argument is bad (out->info says
 * why). m or n may be 0 (rank 0, no values). out may be reused: its old
 * values are freed. */
int lmo_fast_rank(lmo_fast_rank_t *out, const double *M, long m, long n,
                  const lmo_fast_policy_t *pol);

#ifdef __cplusplus
}
#endif
#endif
