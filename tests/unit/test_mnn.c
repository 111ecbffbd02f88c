/*
 * Unit tests of lmo/soudry_carmon/mnn.h (Soudry-Carmon sections 3-5).
 *
 * Independent reference written here: a forward pass of (3.1) over a flat
 * weight vector theta, optionally under frozen slopes. Under a frozen
 * pattern every e^(n) is multilinear in the weights (one weight per layer on
 * each path), so with unit steps, exactly:
 *   de/dtheta_a      = e(theta + 1_a) - e(theta)
 *   d2e/dtheta_a dtheta_b = e(theta+1_a+1_b) - e(theta+1_a) - e(theta+1_b) + e(theta)
 * which gives G (the gradient matrix, column n = de^(n)/dtheta), the
 * gradient (1/N) G e and the Hessian (1/N) sum (de de^T + e d2e) with no use
 * of (5.2)-(5.7). The module's two Hessians (polynomial and (5.7)) must both
 * equal it. L = 2 formulas of section 4 are written out by hand as well.
 * `test_mnn --slow` (ctest unit.test_mnn_slow, label slow): the Hessian identity
 * (5.6)-(5.7) on deeper and wider random networks.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <flint/fmpq_vec.h>
#include "lmo/soudry_carmon/mnn.h"
#include "lmo/soudry_carmon/corollary6.h"
#include "lmo/core/vector_io.h"
#include "lmo_test.h"
#include "lmo_test_q.h"

static slong n_params(const lmo_mnn_input_t in)
{
    slong w = 0;
    for (slong l = 1; l <= in->L; l++) w += in->d[l] * in->d[l - 1];
    return w;
}

static void theta_of(fmpq *th, const lmo_mnn_input_t in)
{
    slong k = 0;
    for (slong l = 1; l <= in->L; l++)
        for (slong i = 0; i < in->d[l]; i++)
            for (slong j = 0; j < in->d[l - 1]; j++) fmpq_set(th + k++, fmpq_mat_entry(in->W + l - 1, i, j));
}

/* e (length N) of weights th. slopes: array [l-1][i*N + n] of the hidden
 * layers; computed from th when `fixed` is 0, used as given when 1. */
static void fwd(fmpq *e, const lmo_mnn_input_t in, const fmpq *th, fmpq **slopes, int fixed)
{
    slong L = in->L, N = in->N, dmax = 1;
    for (slong l = 0; l <= L; l++) if (in->d[l] > dmax) dmax = in->d[l];
    fmpq *v = _fmpq_vec_init(dmax), *u = _fmpq_vec_init(dmax);
    fmpq_t t;
    fmpq_init(t);
    for (slong n = 0; n < N; n++) {
        for (slong j = 0; j < in->d[0]; j++) fmpq_set(v + j, fmpq_mat_entry(in->X, j, n));
        slong off = 0;
        for (slong l = 1; l <= L; l++) {
            slong dl = in->d[l], dp = in->d[l - 1];
            for (slong i = 0; i < dl; i++) {
                fmpq_zero(u + i);
                for (slong j = 0; j < dp; j++) {
                    fmpq_mul(t, th + off + i * dp + j, v + j);
                    fmpq_add(u + i, u + i, t);
                }
            }
            for (slong i = 0; i < dl; i++) {
                if (l < L) {
                    fmpq *a = slopes[l - 1] + i * N + n;
                    if (!fixed) {   /* eps if u >= 0, s*eps if u < 0 */
                        fmpq_set(a, fmpq_mat_entry(in->E + l - 1, i, n));
                        if (fmpq_sgn(u + i) < 0) fmpq_mul(a, a, in->s);
                    }
                    fmpq_mul(v + i, a, u + i);
                } else {
                    fmpq_set(v + i, u + i);
                }
            }
            off += dl * dp;
        }
        fmpq_sub(e + n, v + 0, fmpq_mat_entry(in->y, 0, n));
    }
    fmpq_clear(t);
    _fmpq_vec_clear(v, dmax);
    _fmpq_vec_clear(u, dmax);
}

typedef struct {
    slong omega, N;
    fmpq *e;        /* N */
    fmpq *G;        /* omega x N */
    fmpq *H;        /* omega x omega */
    fmpq mse;
    fmpq **slopes;
} reference;

static void reference_compute(reference *R, const lmo_mnn_input_t in)
{
    slong L = in->L, N = in->N, w = n_params(in);
    R->omega = w; R->N = N;
    R->slopes = malloc(sizeof(fmpq *) * (L + 1));
    for (slong l = 1; l < L; l++) R->slopes[l - 1] = _fmpq_vec_init(in->d[l] * N);
    fmpq *th = _fmpq_vec_init(w), *e1 = _fmpq_vec_init(N), *e2 = _fmpq_vec_init(N), *e12 = _fmpq_vec_init(N);
    R->e = _fmpq_vec_init(N);
    R->G = _fmpq_vec_init(w * N);
    R->H = _fmpq_vec_init(w * w);
    fmpq_init(&R->mse);
    theta_of(th, in);
    fwd(R->e, in, th, R->slopes, 0);
    fmpq_t t, acc;
    fmpq_init(t); fmpq_init(acc);
    for (slong n = 0; n < N; n++) { fmpq_mul(t, R->e + n, R->e + n); fmpq_add(&R->mse, &R->mse, t); }
    fmpq_set_si(t, 1, 2 * N);
    fmpq_mul(&R->mse, &R->mse, t);
    for (slong a = 0; a < w; a++) {
        fmpq_add_si(th + a, th + a, 1);
        fwd(e1, in, th, R->slopes, 1);
        fmpq_sub_si(th + a, th + a, 1);
        for (slong n = 0; n < N; n++) fmpq_sub(R->G + a * N + n, e1 + n, R->e + n);
    }
    for (slong a = 0; a < w; a++)
        for (slong b = 0; b < w; b++) {
            fmpq_zero(acc);
            for (slong n = 0; n < N; n++) {
                fmpq_mul(t, R->G + a * N + n, R->G + b * N + n);
                fmpq_add(acc, acc, t);
            }
            if (a != b) {   /* d2e/da db by the bilinear difference; 0 on the diagonal (affine) */
                fmpq_add_si(th + a, th + a, 1);
                fmpq_add_si(th + b, th + b, 1);
                fwd(e12, in, th, R->slopes, 1);
                fmpq_sub_si(th + a, th + a, 1);
                fmpq_sub_si(th + b, th + b, 1);
                for (slong n = 0; n < N; n++) {
                    /* e12 - (e + G_a) - (e + G_b) + e = e12 - e - G_a - G_b */
                    fmpq_sub(t, e12 + n, R->e + n);
                    fmpq_sub(t, t, R->G + a * N + n);
                    fmpq_sub(t, t, R->G + b * N + n);
                    fmpq_mul(t, t, R->e + n);
                    fmpq_add(acc, acc, t);
                }
            }
            fmpq_set_si(t, 1, N);
            fmpq_mul(R->H + a * w + b, acc, t);
        }
    fmpq_clear(t); fmpq_clear(acc);
    _fmpq_vec_clear(th, w); _fmpq_vec_clear(e1, N); _fmpq_vec_clear(e2, N); _fmpq_vec_clear(e12, N);
}

static void reference_clear(reference *R, const lmo_mnn_input_t in)
{
    for (slong l = 1; l < in->L; l++) _fmpq_vec_clear(R->slopes[l - 1], in->d[l] * R->N);
    free(R->slopes);
    _fmpq_vec_clear(R->e, R->N);
    _fmpq_vec_clear(R->G, R->omega * R->N);
    _fmpq_vec_clear(R->H, R->omega * R->omega);
    fmpq_clear(&R->mse);
}

static slong rank_of(const fmpq_mat_t M)
{
    fmpq_mat_t R;
    fmpq_mat_init(R, fmpq_mat_nrows(M), fmpq_mat_ncols(M));
    slong r = fmpq_mat_rref(R, M);
    fmpq_mat_clear(R);
    return r;
}

/* Compare the module with the reference on one instance. */
static void compare_with_reference(const lmo_mnn_input_t in, const lmo_mnn_result_t res)
{
    reference R;
    reference_compute(&R, in);
    slong N = in->N, w = R.omega;
    CHECK(res->omega == w);
    for (slong n = 0; n < N; n++) CHECK(fmpq_equal(fmpq_mat_entry(res->e, 0, n), R.e + n));
    CHECK(fmpq_equal(res->mse, &R.mse));
    int gok = 1, hok1 = 1, hok2 = 1, gradok = 1;
    fmpq_t t, acc;
    fmpq_init(t); fmpq_init(acc);
    for (slong a = 0; a < w; a++) {
        fmpq_zero(acc);
        for (slong n = 0; n < N; n++) {
            gok &= fmpq_equal(fmpq_mat_entry(res->Gall, a, n), R.G + a * N + n);
            fmpq_mul(t, R.G + a * N + n, R.e + n);
            fmpq_add(acc, acc, t);
        }
        fmpq_set_si(t, 1, N);
        fmpq_mul(acc, acc, t);
        gradok &= fmpq_equal(acc, fmpq_mat_entry(res->grad, a, 0));
        if (res->hessian_done)
            for (slong b = 0; b < w; b++) {
                hok1 &= fmpq_equal(fmpq_mat_entry(res->H_poly, a, b), R.H + a * w + b);
                hok2 &= fmpq_equal(fmpq_mat_entry(res->H_split, a, b), R.H + a * w + b);
            }
    }
    CHECK(gok);
    CHECK(gradok);
    CHECK(res->hessian_done);
    CHECK(hok1);
    CHECK(hok2);
    CHECK(res->hessian_identity);
    CHECK(fmpq_is_zero(res->trace_ELambda));
    /* ranks of each G_l block of the reference, and of G */
    slong row = 0;
    for (slong l = 1; l <= in->L; l++) {
        slong m = in->d[l] * in->d[l - 1];
        fmpq_mat_t B;
        fmpq_mat_init(B, m, N);
        for (slong r = 0; r < m; r++)
            for (slong n = 0; n < N; n++) fmpq_set(fmpq_mat_entry(B, r, n), R.G + (row + r) * N + n);
        CHECK(res->rank_G[l - 1].rank == rank_of(B));
        CHECK(lmo_rank_verify(res->rank_G + l - 1, res->G + l - 1));
        fmpq_mat_clear(B);
        row += m;
    }
    CHECK(res->rank_Gall->rank == rank_of(res->Gall));
    /* critical iff G e = 0 */
    int zero_grad = 1;
    for (slong a = 0; a < w; a++) zero_grad &= fmpq_is_zero(fmpq_mat_entry(res->grad, a, 0));
    CHECK(res->critical == zero_grad);
    fmpq_clear(t); fmpq_clear(acc);
    reference_clear(&R, in);
}

static void random_instance(lmo_mnn_input_t in, lmo_rng_t *rng, slong L, const slong *d, slong N, int dropout)
{
    lmo_mnn_input_init(in, L, d, N);
    lmo_test_rand_qmat(in->X, rng, 5, 3, 0);
    lmo_test_rand_qmat(in->y, rng, 5, 2, 0);
    for (slong l = 0; l < L; l++) lmo_test_rand_qmat(in->W + l, rng, 4, 3, 1);
    if (dropout) {
        for (slong l = 0; l < L - 1; l++) lmo_test_rand_qmat(in->E + l, rng, 5, 4, 1);
        in->has_dropout = 1;
    }
    lmo_test_rand_q(in->s, rng, 3, 4, 1);
}

/* in (initialised here): a random network of L in [minL, minL + nL) layers of widths 1..maxw
 * (d_L = 1) on 1..maxN samples */
static void random_network(lmo_mnn_input_t in, lmo_rng_t *rng, slong minL, slong nL, slong maxw,
                           slong maxN, int dropout)
{
    slong L = minL + lmo_rng_below(rng, nL), d[6];
    for (slong l = 0; l < L; l++) d[l] = 1 + lmo_rng_below(rng, maxw);
    d[L] = 1;
    random_instance(in, rng, L, d, 1 + lmo_rng_below(rng, maxN), dropout);
}

/* res (initialised here) = lmo_mnn_run's result on in with seed; an error is a failed check */
static void run(lmo_mnn_result_t res, const lmo_mnn_input_t in, ulong seed)
{
    lmo_err_t err;
    lmo_mnn_result_init(res);
    int rc = lmo_mnn_run(res, in, seed, &err);
    CHECKF(rc == LMO_OK, "lmo_mnn_run: %d %s", rc, rc ? err.msg : "");
}

/* (5.6)-(5.7) and everything else against the reference on random networks. */
static void test_random_networks(void)
{
    lmo_rng_t rng;
    lmo_rng_seed(&rng, 12345);
    for (int trial = 0; trial < 40; trial++) {
        lmo_mnn_input_t in;
        random_network(in, &rng, 1, 4, 3, 5, trial % 2);
        lmo_mnn_result_t res;
        run(res, in, trial);
        compare_with_reference(in, res);
        /* Lemma 3 and Theorem 5 are almost-everywhere statements: never "violated" */
        CHECK(res->lemma3.outcome != LMO_OUTCOME_VIOLATED && res->theorem5.outcome != LMO_OUTCOME_VIOLATED);
        CHECK(!lmo_mnn_failed(res));
        lmo_mnn_result_clear(res);
        lmo_mnn_input_clear(in);
    }
}

/* Section 4 by hand for L = 2: gradient and Hessian blocks written out. */
static void test_l2_by_hand(void)
{
    slong d[3] = { 2, 3, 1 }, N = 4;
    lmo_mnn_input_t in;
    lmo_mnn_input_init(in, 2, d, N);
    slong X[2][4] = { { 1, -2, 3, 1 }, { 2, 1, -1, 4 } };
    slong y[4] = { 1, 0, -2, 3 };
    slong W1[3][2] = { { 1, -1 }, { 2, 1 }, { -1, 3 } };
    slong W2[3] = { 2, -1, 1 };
    for (slong j = 0; j < 2; j++) for (slong n = 0; n < N; n++) fmpq_set_si(fmpq_mat_entry(in->X, j, n), X[j][n], 1);
    for (slong n = 0; n < N; n++) fmpq_set_si(fmpq_mat_entry(in->y, 0, n), y[n], 1);
    for (slong i = 0; i < 3; i++) for (slong j = 0; j < 2; j++) fmpq_set_si(fmpq_mat_entry(in->W + 0, i, j), W1[i][j], 1);
    for (slong i = 0; i < 3; i++) fmpq_set_si(fmpq_mat_entry(in->W + 1, 0, i), W2[i], 1);
    fmpq_set_si(in->s, 1, 2);
    slong Ev[3][4] = { { 1, 2, 3, 1 }, { 2, 1, 1, 3 }, { 1, 1, 2, 2 } };
    for (slong i = 0; i < 3; i++) for (slong n = 0; n < N; n++) fmpq_set_si(fmpq_mat_entry(in->E + 0, i, n), Ev[i][n], 1);
    in->has_dropout = 1;

    /* by hand: u = W1 x, a = eps or eps/2, out = sum_i W2_i a_i u_i */
    fmpq_t a[3][4], u[3][4], e[4], t;
    fmpq_init(t);
    for (slong n = 0; n < N; n++) {
        fmpq_init(e[n]);
        fmpq_set_si(e[n], -y[n], 1);
        for (slong i = 0; i < 3; i++) {
            fmpq_init(u[i][n]); fmpq_init(a[i][n]);
            fmpq_set_si(u[i][n], W1[i][0] * X[0][n] + W1[i][1] * X[1][n], 1);
            fmpq_set_si(a[i][n], Ev[i][n], fmpq_sgn(u[i][n]) >= 0 ? 1 : 2);
            fmpq_mul(t, a[i][n], u[i][n]);
            fmpq_mul_si(t, t, W2[i]);
            fmpq_add(e[n], e[n], t);
        }
    }
    lmo_mnn_result_t res;
    run(res, in, 1);
    for (slong n = 0; n < N; n++) CHECK(fmpq_equal(e[n], fmpq_mat_entry(res->e, 0, n)));
    /* dMSE/dW1[i][j] = (1/N) sum e W2_i a_i x_j ; dMSE/dW2[i] = (1/N) sum e a_i u_i */
    fmpq_t g;
    fmpq_init(g);
    for (slong i = 0; i < 3; i++) {
        for (slong j = 0; j < 2; j++) {
            fmpq_zero(g);
            for (slong n = 0; n < N; n++) {
                fmpq_mul(t, e[n], a[i][n]);
                fmpq_mul_si(t, t, W2[i] * X[j][n]);
                fmpq_add(g, g, t);
            }
            fmpq_div_fmpz(g, g, (fmpz_set_si(fmpq_numref(t), N), fmpq_numref(t)));
            CHECK(fmpq_equal(g, fmpq_mat_entry(res->grad, i * 2 + j, 0)));
        }
        fmpq_zero(g);
        for (slong n = 0; n < N; n++) {
            fmpq_mul(t, e[n], a[i][n]);
            fmpq_mul(t, t, u[i][n]);
            fmpq_add(g, g, t);
        }
        fmpq_div_fmpz(g, g, (fmpz_set_si(fmpq_numref(t), N), fmpq_numref(t)));
        CHECK(fmpq_equal(g, fmpq_mat_entry(res->grad, 6 + i, 0)));
    }
    /* Hessian block W1[i][j], W2[k]: (1/N) sum (W2_i a_i x_j)(a_k u_k) + [i == k] e a_i x_j */
    for (slong i = 0; i < 3; i++)
        for (slong j = 0; j < 2; j++)
            for (slong k = 0; k < 3; k++) {
                fmpq_zero(g);
                for (slong n = 0; n < N; n++) {
                    fmpq_t p;
                    fmpq_init(p);
                    fmpq_mul(p, a[i][n], a[k][n]);
                    fmpq_mul(p, p, u[k][n]);
                    fmpq_mul_si(p, p, W2[i] * X[j][n]);
                    fmpq_add(g, g, p);
                    if (i == k) {
                        fmpq_mul(p, e[n], a[i][n]);
                        fmpq_mul_si(p, p, X[j][n]);
                        fmpq_add(g, g, p);
                    }
                    fmpq_clear(p);
                }
                fmpq_div_fmpz(g, g, (fmpz_set_si(fmpq_numref(t), N), fmpq_numref(t)));
                CHECK(fmpq_equal(g, fmpq_mat_entry(res->H_poly, i * 2 + j, 6 + k)));
                CHECK(fmpq_equal(g, fmpq_mat_entry(res->H_split, 6 + k, i * 2 + j)));
            }
    /* G1 of section 4: A1 o X, and (4.5) */
    slong r = rank_of(res->lemma1_min->A1X);
    CHECK(res->lemma1_min->rank->rank == r);
    CHECK(r == N);                               /* 4 <= d0 d1 = 6, dropout generic here */
    CHECK(res->lemma3.outcome == LMO_OUTCOME_HOLDS);
    CHECK(fmpq_is_zero(res->lemma1_min->mse));           /* Lemma 1 */
    fmpq_clear(g); fmpq_clear(t);
    for (slong n = 0; n < N; n++) {
        fmpq_clear(e[n]);
        for (slong i = 0; i < 3; i++) { fmpq_clear(u[i][n]); fmpq_clear(a[i][n]); }
    }
    compare_with_reference(in, res);
    lmo_mnn_result_clear(res);
    lmo_mnn_input_clear(in);
}

/* The model of (4.2) under a frozen pattern, by hand: residual r_n = sum_{i,j} A[i][n]
 * Wt[i][j] X[j][n] - y_n (o_n = sum_i a_i (W~_i . x)), and MSE = (1/(2N)) sum_n r_n^2. */
static void model_residuals(fmpq *resid, fmpq_t mse, const fmpq_mat_t A, const fmpq_mat_t Wt,
                            const fmpq_mat_t X, const fmpq_mat_t y)
{
    slong d1 = fmpq_mat_nrows(A), d0 = fmpq_mat_nrows(X), N = fmpq_mat_ncols(X);
    fmpq_t t, o;
    fmpq_init(t); fmpq_init(o);
    fmpq_zero(mse);
    for (slong n = 0; n < N; n++) {
        fmpq_zero(o);
        for (slong i = 0; i < d1; i++)
            for (slong j = 0; j < d0; j++) {
                fmpq_mul(t, fmpq_mat_entry(A, i, n), fmpq_mat_entry(Wt, i, j));
                fmpq_mul(t, t, fmpq_mat_entry(X, j, n));
                fmpq_add(o, o, t);
            }
        fmpq_sub(resid + n, o, fmpq_mat_entry(y, 0, n));
        fmpq_mul(t, resid + n, resid + n);
        fmpq_add(mse, mse, t);
    }
    fmpq_set_si(t, 1, 2 * N);
    fmpq_mul(mse, mse, t);
    fmpq_clear(t); fmpq_clear(o);
}

/* Lemma 1 minimiser: optimal (normal equations of (4.2) hold), MSE 0 iff
 * rank N allows; when it reproduces the pattern, the network it gives has
 * that pattern, MSE = mse_min, and (Theorem 4) is a critical point. */
static void test_lemma1(void)
{
    lmo_rng_t rng;
    lmo_rng_seed(&rng, 4242);
    int reproduced = 0;
    for (int trial = 0; trial < 30; trial++) {
        slong d[3];
        d[0] = 1 + lmo_rng_below(&rng, 3);
        d[1] = 1 + lmo_rng_below(&rng, 3);
        d[2] = 1;
        slong N = 1 + lmo_rng_below(&rng, 2 * d[0] * d[1]);
        lmo_mnn_input_t in;
        random_instance(in, &rng, 2, d, N, 1);
        lmo_mnn_result_t res;
        run(res, in, trial);
        slong d0 = d[0], d1 = d[1];
        /* model output under the pattern, by hand: o_n = sum_i a_i (W~_i . x) */
        fmpq_t t, o;
        fmpq_init(t); fmpq_init(o);
        fmpq *resid = _fmpq_vec_init(N);
        fmpq_t mse;
        fmpq_init(mse);
        model_residuals(resid, mse, res->A + 0, res->lemma1_min->Wt, in->X, in->y);
        CHECK(fmpq_equal(mse, res->lemma1_min->mse));
        /* optimality: sum_n resid_n a_i x_j = 0 for every (i, j) */
        for (slong i = 0; i < d1; i++)
            for (slong j = 0; j < d0; j++) {
                fmpq_zero(o);
                for (slong n = 0; n < N; n++) {
                    fmpq_mul(t, resid + n, fmpq_mat_entry(res->A + 0, i, n));
                    fmpq_mul(t, t, fmpq_mat_entry(in->X, j, n));
                    fmpq_add(o, o, t);
                }
                CHECK(fmpq_is_zero(o));
            }
        if (res->lemma1_min->rank->rank == N) CHECK(fmpq_is_zero(res->lemma1_min->mse));
        if (res->lemma1_min->reproduces) {
            reproduced++;
            lmo_mnn_input_t in2;
            lmo_mnn_input_init(in2, 2, d, N);
            fmpq_mat_set(in2->X, in->X);
            fmpq_mat_set(in2->y, in->y);
            fmpq_set(in2->s, in->s);
            fmpq_mat_set(in2->E + 0, in->E + 0);
            in2->has_dropout = 1;
            fmpq_mat_set(in2->W + 0, res->lemma1_min->W1);
            fmpq_mat_set(in2->W + 1, res->lemma1_min->W2);
            lmo_mnn_result_t r2;
            run(r2, in2, trial);
            CHECK(fmpq_mat_equal(r2->A + 0, res->A + 0));   /* same slopes */
            CHECK(r2->differentiable);
            CHECK(fmpq_equal(r2->mse, res->lemma1_min->mse));
            CHECK(r2->critical_tilde);
            if (r2->theorem4.outcome != LMO_OUTCOME_NOT_APPLICABLE) CHECK(r2->theorem4.outcome == LMO_OUTCOME_HOLDS);
            lmo_mnn_result_clear(r2);
            lmo_mnn_input_clear(in2);
        }
        _fmpq_vec_clear(resid, N);
        fmpq_clear(t); fmpq_clear(o); fmpq_clear(mse);
        lmo_mnn_result_clear(res);
        lmo_mnn_input_clear(in);
    }
    CHECK(reproduced > 0);
}

/* lmo_lemma1 for explicit patterns: optimality of the minimiser by hand,
 * MSE 0 when rank(A1 o X) = N (rref here), and reproduced patterns strict. */
static void test_lemma1_patterns(void)
{
    lmo_rng_t rng;
    lmo_rng_seed(&rng, 606);
    int reproduced = 0, full = 0;
    for (int trial = 0; trial < 60; trial++) {
        slong d0 = 1 + lmo_rng_below(&rng, 3), d1 = 1 + lmo_rng_below(&rng, 3);
        slong N = 1 + lmo_rng_below(&rng, d0 * d1 + 2);
        fmpq_mat_t X, y, E, A, F;
        fmpq_t s, t, o;
        fmpq_mat_init(X, d0, N); fmpq_mat_init(y, 1, N); fmpq_mat_init(E, d1, N);
        fmpq_mat_init(A, d1, N); fmpq_mat_init(F, d1 * d0, N);
        fmpq_init(s); fmpq_init(t); fmpq_init(o);
        lmo_test_rand_qmat(X, &rng, 5, 3, 1);
        lmo_test_rand_qmat(y, &rng, 5, 3, 0);
        lmo_test_rand_qmat(E, &rng, 5, 3, 1);
        lmo_test_rand_q(s, &rng, 3, 3, 1);
        unsigned char *sg = malloc(d1 * N);
        for (slong q = 0; q < d1 * N; q++) sg[q] = lmo_rng_below(&rng, 2);
        for (slong i = 0; i < d1; i++)
            for (slong n = 0; n < N; n++) {
                fmpq_set(fmpq_mat_entry(A, i, n), fmpq_mat_entry(E, i, n));
                if (!sg[i * N + n]) fmpq_mul(fmpq_mat_entry(A, i, n), fmpq_mat_entry(A, i, n), s);
                for (slong j = 0; j < d0; j++)
                    fmpq_mul(fmpq_mat_entry(F, i * d0 + j, n), fmpq_mat_entry(A, i, n), fmpq_mat_entry(X, j, n));
            }
        lmo_lemma1_t L1;
        lmo_lemma1_init(L1, d0, d1, N);
        lmo_err_t err;
        CHECK(lmo_lemma1(L1, X, y, E, s, sg, trial, &err) == LMO_OK);
        slong rk = rank_of(F);
        CHECK(L1->rank->rank == rk);
        fmpq *res = _fmpq_vec_init(N);
        fmpq_t mse;
        fmpq_init(mse);
        model_residuals(res, mse, A, L1->Wt, X, y);
        CHECK(fmpq_equal(mse, L1->mse));
        for (slong r = 0; r < d1 * d0; r++) {     /* F (F^T w - y) = 0 */
            fmpq_zero(o);
            for (slong n = 0; n < N; n++) { fmpq_mul(t, fmpq_mat_entry(F, r, n), res + n); fmpq_add(o, o, t); }
            CHECK(fmpq_is_zero(o));
        }
        if (rk == N) { full++; CHECK(fmpq_is_zero(L1->mse)); }
        if (L1->reproduces) {
            reproduced++;
            for (slong i = 0; i < d1; i++) {
                for (slong n = 0; n < N; n++) {
                    fmpq_zero(o);
                    for (slong j = 0; j < d0; j++) {
                        fmpq_mul(t, fmpq_mat_entry(L1->W1, i, j), fmpq_mat_entry(X, j, n));
                        fmpq_add(o, o, t);
                    }
                    CHECK(fmpq_sgn(o) != 0 && (fmpq_sgn(o) > 0) == (sg[i * N + n] == 1));
                }
                for (slong j = 0; j < d0; j++) {
                    fmpq_mul(t, fmpq_mat_entry(L1->W2, 0, i), fmpq_mat_entry(L1->W1, i, j));
                    CHECK(fmpq_equal(t, fmpq_mat_entry(L1->Wt, i, j)));
                }
            }
        }
        fmpq_clear(mse);
        _fmpq_vec_clear(res, N);
        lmo_lemma1_clear(L1);
        free(sg);
        fmpq_mat_clear(X); fmpq_mat_clear(y); fmpq_mat_clear(E); fmpq_mat_clear(A); fmpq_mat_clear(F);
        fmpq_clear(s); fmpq_clear(t); fmpq_clear(o);
    }
    CHECK(reproduced > 0 && full > 0);
}

/* Predictions: E = 1 with a constant pattern (Lemma 3 exceptional: E1 = 1 named), the
 * exceptional set (a repeated sample with proportional dropout columns),
 * Theorem 5 at a random deep network and at w = 0 (G = 0, H = 0). */
static void test_predictions(void)
{
    lmo_rng_t rng;
    lmo_rng_seed(&rng, 9);
    /* constant pattern: positive X, negative W1 -> every u < 0 */
    {
        slong d[3] = { 2, 2, 1 }, N = 3;
        lmo_mnn_input_t in;
        lmo_mnn_input_init(in, 2, d, N);
        slong xv[2][3] = { { 1, 2, 3 }, { 2, 1, 5 } };
        for (slong j = 0; j < 2; j++) for (slong n = 0; n < N; n++) fmpq_set_si(fmpq_mat_entry(in->X, j, n), xv[j][n], 1);
        fmpq_set_si(fmpq_mat_entry(in->W + 0, 0, 0), -1, 1); fmpq_set_si(fmpq_mat_entry(in->W + 0, 0, 1), -2, 1);
        fmpq_set_si(fmpq_mat_entry(in->W + 0, 1, 0), -3, 1); fmpq_set_si(fmpq_mat_entry(in->W + 0, 1, 1), -1, 1);
        fmpq_set_si(fmpq_mat_entry(in->W + 1, 0, 0), 1, 1); fmpq_set_si(fmpq_mat_entry(in->W + 1, 0, 1), 1, 1);
        fmpq_set_si(in->s, 1, 5);
        lmo_mnn_result_t res;
        run(res, in, 0);
        CHECK(res->lemma1_min->rank->rank <= 2);         /* constant pattern: rank <= d0 < N */
        /* N <= d0 d1: Lemma 3 applies; E1 = 1 is in its exceptional set, named */
        CHECK(res->lemma3.outcome == LMO_OUTCOME_EXCEPTIONAL);
        CHECK_CONTAINS(res->lemma3.reason, "E1 = 1, no dropout");
        CHECK(!lmo_mnn_failed(res));
        lmo_mnn_result_clear(res);
        /* exceptional set: sample 2 repeats sample 0, its dropout column doubled */
        fmpq_set_si(fmpq_mat_entry(in->X, 0, 2), 1, 1); fmpq_set_si(fmpq_mat_entry(in->X, 1, 2), 2, 1);
        slong ev[2][3] = { { 1, 3, 2 }, { 5, 2, 10 } };
        for (slong i = 0; i < 2; i++) for (slong n = 0; n < N; n++) fmpq_set_si(fmpq_mat_entry(in->E, i, n), ev[i][n], 1);
        in->has_dropout = 1;
        run(res, in, 0);
        CHECK(res->lemma1_min->rank->rank < N);
        /* exceptional, not violated: samples 1 and 3 are parallel in X and in E1 */
        CHECK(res->lemma3.outcome == LMO_OUTCOME_EXCEPTIONAL);
        CHECK_CONTAINS(res->lemma3.reason, "samples 1 and 3 are parallel in X and in E1");
        CHECK(!lmo_mnn_failed(res));
        lmo_mnn_result_clear(res);
        lmo_mnn_input_clear(in);
    }
    /* Theorem 5 on random deep networks, N <= d_{L-2} d_{L-1} */
    for (int trial = 0; trial < 6; trial++) {
        slong d[4] = { 2, 3, 3, 1 }, N = 5 + trial % 4;
        lmo_mnn_input_t in;
        random_instance(in, &rng, 3, d, N, 1);
        lmo_test_rand_qmat(in->X, &rng, 5, 3, 1);   /* no zero entry: a generic point */
        lmo_mnn_result_t res;
        run(res, in, trial);
        CHECKF(res->theorem5_rank.outcome == LMO_OUTCOME_HOLDS, "theorem5 (B.2): %s", res->theorem5_rank.reason);
        /* cross-check: rank of A_2 o V_1 built here */
        fmpq_mat_t K;
        fmpq_mat_init(K, 9, N);
        for (slong i = 0; i < 3; i++)
            for (slong j = 0; j < 3; j++)
                for (slong n = 0; n < N; n++)
                    fmpq_mul(fmpq_mat_entry(K, i * 3 + j, n), fmpq_mat_entry(res->A + 1, i, n),
                             fmpq_mat_entry(res->V + 0, j, n));
        CHECK(rank_of(K) == N && res->rank_thm5->rank == N);
        fmpq_mat_clear(K);
        lmo_mnn_result_clear(res);
        lmo_mnn_input_clear(in);
    }
    /* w = 0, L = 3: G = 0, critical, H = 0, and differentiable although every u = 0 (Section
     * 5: "a differentiable critical point"; the MSE is const + O(|w|^3) there) */
    {
        slong d[4] = { 2, 2, 2, 1 }, N = 3;
        lmo_mnn_input_t in;
        lmo_mnn_input_init(in, 3, d, N);
        lmo_test_rand_qmat(in->X, &rng, 3, 1, 1);
        lmo_test_rand_qmat(in->y, &rng, 3, 1, 1);
        lmo_mnn_result_t res;
        run(res, in, 0);
        CHECK(res->critical);
        CHECK(fmpq_mat_is_zero(res->Gall));
        CHECK(res->hessian_done && fmpq_mat_is_zero(res->H_poly) && fmpq_mat_is_zero(res->H_split));
        CHECK(res->differentiable && res->zero_weights && res->nzero == 2 * N + 2 * N);
        /* N <= d1 d2: Theorem 5 applies; V_1 = 0 puts w = 0 in its exceptional set */
        CHECK(res->theorem5_rank.outcome == LMO_OUTCOME_EXCEPTIONAL);
        CHECK_CONTAINS(res->theorem5_rank.reason, "column 1 of V_{L-2} is zero");
        /* the conclusion: a differentiable critical point with MSE > 0 (y != 0), exceptional */
        CHECK(!fmpq_is_zero(res->mse) && res->theorem5.outcome == LMO_OUTCOME_EXCEPTIONAL);
        lmo_mnn_result_clear(res);
        lmo_mnn_input_clear(in);
    }
}

/* Theorem 5's conclusion from the weights (issue 19). L = 3, d = 2,3,3,1, N = 3 <= d1 d2:
 * W3 is solved so that the network interpolates y -- v_3 = W3 V_2 is linear in W3 and the
 * pattern does not depend on W3, so V_2's rows are read off the test's own forward pass
 * (fwd) with W3 = e_i -- a critical point in (W2, W3) with MSE 0: "holds". One entry of W3
 * moved: G_3 e != 0, no DLM: "not_applicable". */
static void test_theorem5_conclusion(void)
{
    slong d[4] = {2, 3, 3, 1}, N = 3, w;
    lmo_rng_t rng;
    lmo_rng_seed(&rng, 2016);
    lmo_mnn_input_t in;
    random_instance(in, &rng, 3, d, N, 1);
    lmo_test_rand_qmat(in->X, &rng, 5, 3, 1);
    w = n_params(in);
    fmpq *th = _fmpq_vec_init(w), *e = _fmpq_vec_init(N);
    fmpq *sl[2] = {_fmpq_vec_init(d[1] * N), _fmpq_vec_init(d[2] * N)};   /* fwd's slopes */
    fmpq_mat_t V2, V2inv, yv, W3;
    fmpq_mat_init(V2, 3, N);
    fmpq_mat_init(V2inv, 3, N);
    fmpq_mat_init(yv, 1, N);
    fmpq_mat_init(W3, 1, 3);
    for (slong i = 0; i < 3; i++) { /* row i of V_2: the output with W3 = e_i, plus y */
        for (slong k = 0; k < 3; k++) fmpq_set_si(fmpq_mat_entry(in->W + 2, 0, k), k == i, 1);
        theta_of(th, in);
        fwd(e, in, th, sl, 0);
        for (slong n = 0; n < N; n++)
            fmpq_add(fmpq_mat_entry(V2, i, n), e + n, fmpq_mat_entry(in->y, 0, n));
    }
    CHECK(fmpq_mat_inv(V2inv, V2));       /* generic: V_2 is invertible */
    fmpq_mat_mul(W3, in->y, V2inv);       /* W3 V_2 = y */
    fmpq_mat_set(in->W + 2, W3);
    theta_of(th, in);
    fwd(e, in, th, sl, 0);
    for (slong n = 0; n < N; n++) CHECK(fmpq_is_zero(e + n));   /* interpolates, by fwd */
    lmo_mnn_result_t res;
    run(res, in, 1);
    CHECKF(res->theorem5.outcome == LMO_OUTCOME_HOLDS, "theorem5: %s", res->theorem5.reason);
    CHECK(res->differentiable && fmpq_is_zero(res->mse));
    lmo_mnn_result_clear(res);
    fmpq_add_si(fmpq_mat_entry(in->W + 2, 0, 0), fmpq_mat_entry(in->W + 2, 0, 0), 1);
    run(res, in, 1);
    CHECKF(res->theorem5.outcome == LMO_OUTCOME_NOT_APPLICABLE, "theorem5: %s", res->theorem5.reason);
    CHECK_CONTAINS(res->theorem5.reason, "no differentiable local minimum");
    CHECK(res->theorem5_rank.outcome == LMO_OUTCOME_HOLDS);
    lmo_mnn_result_clear(res);
    fmpq_mat_clear(V2);
    fmpq_mat_clear(V2inv);
    fmpq_mat_clear(yv);
    fmpq_mat_clear(W3);
    _fmpq_vec_clear(th, w);
    _fmpq_vec_clear(e, N);
    _fmpq_vec_clear(sl[0], d[1] * N);
    _fmpq_vec_clear(sl[1], d[2] * N);
    lmo_mnn_input_clear(in);
}

/* Corollary 6 (lmo/soudry_carmon/corollary6.h) on a 3-layer network: W~_1 - W_1 has entries
 * +-k/2^40, 1 <= k <= 1023; the derived mnn_patterns input has X = V_1 of the perturbed
 * network -- read off the test's own forward pass fwd on the 2-layer networks (W~_1, e_i^T),
 * whose output is row i of V_1 --, dropout E_2, width d_2, mode exhaustive (d_2 N <= 24). */
static void test_corollary6(void)
{
    slong d[4] = {2, 3, 3, 1}, N = 4, d2[3] = {2, 3, 1};
    lmo_rng_t rng;
    lmo_err_t err;
    lmo_rng_seed(&rng, 6);
    lmo_mnn_input_t in, two;
    random_instance(in, &rng, 3, d, N, 1);
    json_t *input = NULL, *pert = NULL;
    lmo_limits_t lim;
    lmo_limits_default(&lim);
    CHECK(lmo_sc_corollary6_patterns(&input, &pert, in, 77, &err) == LMO_OK);
    CHECK(json_array_size(pert) == 1);
    fmpq_mat_t W1, X, E;   /* initialised by lmo_mat_set_json */
    CHECK(lmo_mat_set_json(W1, json_array_get(pert, 0), "W~1", &lim, &err) == LMO_OK);
    CHECK(lmo_mat_set_json(X, json_object_get(input, "X"), "X", &lim, &err) == LMO_OK);
    CHECK(lmo_mat_set_json(E, json_array_get(json_object_get(input, "dropout"), 0), "E",
                           &lim, &err) == LMO_OK);
    CHECK(fmpq_mat_equal(E, in->E + 1));
    CHECK(json_integer_value(json_object_get(input, "width")) == 3);
    CHECK_STREQ(json_string_value(json_object_get(input, "mode")), "exhaustive");
    fmpq_t dlt, two40;
    fmpq_init(dlt);
    fmpq_init(two40);
    fmpq_set_si(two40, 1, 1);
    fmpq_mul_2exp(two40, two40, 40);
    int moved = 0;
    for (slong i = 0; i < 3; i++)
        for (slong j = 0; j < 2; j++) {
            fmpq_sub(dlt, fmpq_mat_entry(W1, i, j), fmpq_mat_entry(in->W + 0, i, j));
            fmpq_mul(dlt, dlt, two40);   /* an integer k with 1 <= |k| <= 1023 */
            CHECK(fmpz_is_one(fmpq_denref(dlt)) && !fmpq_is_zero(dlt) &&
                  fmpz_bits(fmpq_numref(dlt)) <= 10);   /* |k| <= 1023 */
            moved |= !fmpq_is_zero(dlt);
        }
    CHECK(moved);
    lmo_mnn_input_init(two, 2, d2, N);
    fmpq_mat_set(two->X, in->X);
    fmpq_set(two->s, in->s);
    fmpq_mat_set(two->W + 0, W1);
    fmpq_mat_set(two->E + 0, in->E + 0);
    fmpq *th = _fmpq_vec_init(n_params(two)), *e = _fmpq_vec_init(N), *sl[1] = {_fmpq_vec_init(3 * N)};
    for (slong i = 0; i < 3; i++) {
        for (slong k = 0; k < 3; k++) fmpq_set_si(fmpq_mat_entry(two->W + 1, 0, k), k == i, 1);
        theta_of(th, two);
        fwd(e, two, th, sl, 0);   /* y = 0: the output itself */
        for (slong n = 0; n < N; n++) CHECK(fmpq_equal(e + n, fmpq_mat_entry(X, i, n)));
    }
    _fmpq_vec_clear(th, n_params(two));
    _fmpq_vec_clear(e, N);
    _fmpq_vec_clear(sl[0], 3 * N);
    fmpq_clear(dlt);
    fmpq_clear(two40);
    fmpq_mat_clear(W1);
    fmpq_mat_clear(X);
    fmpq_mat_clear(E);
    json_decref(input);
    json_decref(pert);
    lmo_mnn_input_clear(two);
    /* L = 2: nothing below W_{L-1} to hold fixed */
    slong dd[3] = {2, 2, 1};
    lmo_mnn_input_t shallow;
    random_instance(shallow, &rng, 2, dd, 2, 1);
    CHECK(lmo_sc_corollary6_patterns(&input, &pert, shallow, 1, &err) == LMO_EINPUT);
    CHECK_CONTAINS(err.msg, "L >= 3");
    lmo_mnn_input_clear(shallow);
    lmo_mnn_input_clear(in);
}

static void test_json(void)
{
    lmo_limits_t lim;
    lmo_limits_default(&lim);
    lmo_err_t err;
    json_error_t je;
    const char *good =
        "{\"X\": {\"rows\": 2, \"cols\": 3, \"data\": [[1, 2, \"-1/2\"], [0, 1, 3]]},"
        " \"y\": [1, \"0.5\", -2], \"slope\": \"1/4\","
        " \"weights\": [{\"rows\": 2, \"cols\": 2, \"data\": [[1, -1], [2, 1]]},"
        "               {\"rows\": 1, \"cols\": 2, \"data\": [[3, -1]]}],"
        " \"dropout\": [{\"rows\": 2, \"cols\": 3, \"data\": [[1, 2, 3], [4, 5, \"1/7\"]]}], \"layer\": 1}";
    json_t *j = json_loads(good, 0, &je);
    lmo_mnn_input_t in;
    slong d0[2] = { 1, 1 };
    lmo_mnn_input_init(in, 1, d0, 1);
    CHECK(lmo_mnn_input_set_json(in, j, &lim, &err) == LMO_OK);
    CHECK(in->L == 2 && in->d[0] == 2 && in->d[1] == 2 && in->d[2] == 1 && in->N == 3);
    CHECK(in->has_dropout && in->layer == 1);
    lmo_mnn_result_t res;
    run(res, in, 0);
    json_t *out = lmo_mnn_result_to_json(res, in, 1);
    CHECK(json_is_boolean(json_object_get(out, "differentiable")));
    CHECK(json_is_array(json_object_get(out, "rank_G")));
    CHECK(json_integer_value(json_object_get(out, "rank_G_layer")) == res->rank_G[0].rank);
    CHECK(json_array_size(json_object_get(out, "theorems")) == 5);
    CHECK(json_is_true(json_object_get(out, "hessian_identity")));
    json_decref(out);
    lmo_mnn_result_clear(res);
    json_decref(j);

    struct { const char *text, *field; } bad[] = {
        { "{\"X\": {\"rows\": 1, \"cols\": 2, \"data\": [[1, 2]]}, \"y\": [1, 2], \"slope\": \"1/0\","
          " \"weights\": [{\"rows\": 1, \"cols\": 1, \"data\": [[1]]}]}", "input.slope" },
        { "{\"X\": {\"rows\": 1, \"cols\": 2, \"data\": [[1, 2]]}, \"y\": [1], \"slope\": 1,"
          " \"weights\": [{\"rows\": 1, \"cols\": 1, \"data\": [[1]]}]}", "input.y" },
        { "{\"X\": {\"rows\": 1, \"cols\": 2, \"data\": [[1, 2]]}, \"y\": [1, 2], \"slope\": 1,"
          " \"weights\": [{\"rows\": 2, \"cols\": 1, \"data\": [[1], [2]]}, {\"rows\": 1, \"cols\": 3, \"data\": [[1, 2, 3]]}]}",
          "input.weights[1]" },
        { "{\"X\": {\"rows\": 1, \"cols\": 2, \"data\": [[1, 2]]}, \"y\": [1, 2], \"slope\": 1,"
          " \"weights\": [{\"rows\": 2, \"cols\": 1, \"data\": [[1], [2]]}]}", "input.weights[0]" },
        { "{\"X\": {\"rows\": 1, \"cols\": 2, \"data\": [[1, 2]]}, \"y\": [1, 2], \"slope\": 1,"
          " \"weights\": [{\"rows\": 2, \"cols\": 1, \"data\": [[1], [2]]}, {\"rows\": 1, \"cols\": 2, \"data\": [[1, 2]]}],"
          " \"dropout\": [{\"rows\": 3, \"cols\": 2, \"data\": [[1, 2], [1, 2], [1, 2]]}]}", "input.dropout[0]" },
        { "{\"X\": {\"rows\": 1, \"cols\": 2, \"data\": [[1, 2]]}, \"y\": [1, 2], \"slope\": 1,"
          " \"weights\": [{\"rows\": 1, \"cols\": 1, \"data\": [[1]]}], \"layer\": 2}", "input.layer" },
        { "{\"X\": {\"rows\": 1, \"cols\": 2, \"data\": [[1, 2]]}, \"slope\": 1, \"weights\": []}", "input.y" },
    };
    for (size_t b = 0; b < sizeof bad / sizeof bad[0]; b++) {
        j = json_loads(bad[b].text, 0, &je);
        lmo_err_clear(&err);
        int rc = lmo_mnn_input_set_json(in, j, &lim, &err);
        CHECKF(rc == LMO_EINPUT && strstr(err.msg, bad[b].field) != NULL,
               "bad[%zu]: rc %d msg \"%s\"", b, rc, err.msg);
        json_decref(j);
    }
    lmo_mnn_input_clear(in);
}

/* --slow: the Hessian identity (5.6)-(5.7) on deeper and wider random networks */
static void hessian_trial(lmo_rng_t *rng, int trial)
{
    lmo_mnn_input_t in;
    random_network(in, rng, 2, 3, 4, 8, 1);
    lmo_mnn_result_t res;
    run(res, in, trial);
    CHECK(res->hessian_done && res->hessian_identity && fmpq_is_zero(res->trace_ELambda));
    lmo_mnn_result_clear(res);
    lmo_mnn_input_clear(in);
}

/* The test hooks LMO_MNN_CORRUPT_* (issue 19): each deterministic check -- Lemma 1's two
 * conclusions, Theorem 4's and Theorem 5's -- holds on an interpolating point and is
 * violated when it is fed the wrong input, with lmo_mnn_failed saying so. The points are
 * worked by hand: X = [[1, 2], [3, -1]], W1 = I, s = 1/5, no dropout, so
 * v1 = [[1, 2], [3, -1/5]]; L = 2: W2 = [1, 1], y = [4, 9/5]; L = 3: W2 = I,
 * v2 = [[1, 2], [3, -1/25]], W3 = [1, 1], y = [4, 49/25]. Both have e = 0 and
 * rank(A1 o X) = rank(A2 o V1) = 2 = N (columns [1, 3, 1, 3], [2, -1, 2/5, -1/5] and
 * [1, 3, 1, 3], [2, -1/5, 2/5, -1/25]). */
static void corrupt_instance(lmo_mnn_input_t in, slong L)
{
    slong d[4] = {2, 2, 2, 1};
    d[L] = 1;
    lmo_mnn_input_init(in, L, d, 2);
    slong xv[2][2] = {{1, 2}, {3, -1}};
    for (slong j = 0; j < 2; j++)
        for (slong n = 0; n < 2; n++) fmpq_set_si(fmpq_mat_entry(in->X, j, n), xv[j][n], 1);
    fmpq_set_si(in->s, 1, 5);
    for (slong l = 1; l < L; l++) fmpq_mat_one(in->W + l - 1);
    fmpq_set_si(fmpq_mat_entry(in->W + L - 1, 0, 0), 1, 1);
    fmpq_set_si(fmpq_mat_entry(in->W + L - 1, 0, 1), 1, 1);
    fmpq_set_si(fmpq_mat_entry(in->y, 0, 0), 4, 1);
    fmpq_set_si(fmpq_mat_entry(in->y, 0, 1), L == 2 ? 9 : 49, L == 2 ? 5 : 25);
}

static void corrupt_case(slong L, int bit, const char *which, const char *tag)
{
    lmo_mnn_input_t in;
    lmo_mnn_result_t res;
    corrupt_instance(in, L);
    CHECKF(in->corrupt == 0, "%s: init leaves a hook set", tag);
    for (int hooked = 0; hooked <= 1; hooked++) {
        in->corrupt = hooked ? bit : 0;
        run(res, in, 0);
        CHECKF(fmpq_is_zero(res->mse) && res->differentiable, "%s: the point does not interpolate", tag);
        const lmo_theorem_t *t = strcmp(which, "Lemma 1") == 0 ? &res->lemma1
                               : strcmp(which, "Theorem 4") == 0 ? &res->theorem4 : &res->theorem5;
        lmo_outcome_t want = hooked ? LMO_OUTCOME_VIOLATED : LMO_OUTCOME_HOLDS;
        CHECKF(t->outcome == want, "%s%s: %s is %s (%s), want %s", tag, hooked ? "" : " unhooked",
               which, lmo_outcome_name(t->outcome), t->reason, lmo_outcome_name(want));
        CHECKF(lmo_mnn_failed(res) == hooked, "%s%s: lmo_mnn_failed = %d", tag,
               hooked ? "" : " unhooked", lmo_mnn_failed(res));
        lmo_mnn_result_clear(res);
    }
    lmo_mnn_input_clear(in);
}

static void test_checks_fail_on_wrong_input(void)
{
    corrupt_case(2, LMO_MNN_CORRUPT_MINIMISER, "Lemma 1", "Lemma 1, minimiser W~1 + E11");
    corrupt_case(2, LMO_MNN_CORRUPT_RESIDUAL, "Lemma 1", "Lemma 1, e + e1");
    corrupt_case(2, LMO_MNN_CORRUPT_RESIDUAL, "Theorem 4", "Theorem 4, e + e1");
    corrupt_case(3, LMO_MNN_CORRUPT_RESIDUAL, "Theorem 5", "Theorem 5, e + e1");
    CHECK(lmo_mnn_corrupt_parse("minimiser,residual") == (LMO_MNN_CORRUPT_MINIMISER | LMO_MNN_CORRUPT_RESIDUAL));
    CHECK(lmo_mnn_corrupt_parse("") == 0);
    CHECK(lmo_mnn_corrupt_parse("residual,bogus") == -1);
}

int main(int argc, char **argv)
{
    if (lmo_test_slow(argc, argv)) {
        lmo_rng_t rng;
        lmo_rng_seed(&rng, 77);
        lmo_test_trials(&rng, 40, hessian_trial);
        flint_cleanup();
        return lmo_test_finish();
    }
    test_l2_by_hand();
    test_random_networks();
    test_lemma1();
    test_lemma1_patterns();
    test_predictions();
    test_theorem5_conclusion();
    test_checks_fail_on_wrong_input();
    test_corollary6();
    test_json();
    flint_cleanup();
    return lmo_test_finish();
}
