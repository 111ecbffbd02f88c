/*
 * lmo_test_q.h -- random exact data and small exact references shared by the unit tests
 * (tests/unit). Deterministic: every generator draws from the generator it is given, in
 * a fixed order, so a seed gives the same instance in every test that uses it.
 *
 *   lmo_test_rand_q(q, rng, bound, maxden, nonzero)
 *       q = p / d, p uniform in [-bound, bound], d uniform in 1..maxden; with nonzero
 *       the pair is drawn again while q = 0
 *   lmo_test_rand_qmat(M, rng, bound, maxden, nonzero)
 *       every entry so; nonzero = 0 any entry, LMO_TEST_NONZERO the pair drawn again
 *       (lmo_test_rand_q), LMO_TEST_NONZERO_NUM only p drawn again, then d once (the
 *       sampler of test_mnn_fast and of test_patterns --slow, kept for their seeds)
 *   lmo_test_rand_dl_init(dl, st)
 *       lmo_deep_linear_init to a random shape: H in 1..3 hidden layers, widths in 1..3,
 *       m in 1..4 samples; every entry zero
 *   lmo_test_q_get_d(q), lmo_test_qmat_get_d(out, M)
 *       the correctly rounded double(s) of q / of M, row-major (the fast tier's rounding,
 *       lmo_fast_d_from_mpq)
 *   lmo_test_trials(rng, n, trial)
 *       trial(rng, t) for t = 0..n-1, each drawing from rng where the last left it: a sweep
 *       of random instances; a trial with a failed check is named on stderr ("in trial t
 *       of n" after its failures), so that it can be found again
 *   lmo_test_sign_changes(f, flip_odd)
 *       sign changes of f's coefficients (zeros skipped), of f(-x) when flip_odd: by
 *       Descartes' rule, for a polynomial with real roots only, the number of positive
 *       (negative) roots
 */
#ifndef LMO_TEST_Q_H
#define LMO_TEST_Q_H

#include <flint/fmpq_mat.h>
#include <flint/fmpq_poly.h>
#include "lmo/core/common.h"
#include "lmo/kawaguchi/deep_linear.h"

enum { LMO_TEST_NONZERO = 1, LMO_TEST_NONZERO_NUM = 2 };

void lmo_test_rand_q(fmpq_t q, lmo_rng_t *rng, slong bound, slong maxden, int nonzero);
void lmo_test_rand_qmat(fmpq_mat_t M, lmo_rng_t *rng, slong bound, slong maxden, int nonzero);
void lmo_test_rand_dl_init(lmo_deep_linear_t dl, flint_rand_t st);
double lmo_test_q_get_d(const fmpq_t q);
void lmo_test_qmat_get_d(double *out, const fmpq_mat_t M);
slong lmo_test_sign_changes(const fmpq_poly_t f, int flip_odd);
void lmo_test_trials(lmo_rng_t *rng, int n, void (*trial)(lmo_rng_t *rng, int t));

#endif
