/*
 * Unit tests of lmo/soudry_carmon/trained.h: a double-trained network read exactly.
 * Expected values come from the paper's reasoning and hand computation, not from the code:
 *   - Section 6: "our results do not hold in MNNs where all the weights are negative, so
 *     A_{L-1} has constant entries and therefore G_{L-1} cannot have full rank": with X > 0
 *     and W1 < 0 every u < 0, ReLU gives A1 = 0, so G1 = 0: rank 0, not full rank;
 *   - with every u > 0, A1 = 1 and column n of G1 is w2 (x) x^(n), so rank G1 = rank X
 *     (here 2 < N = 3 <= d0 d1 = 4): deficient although N <= d0 d1;
 *   - 2 x 2 cases by determinant; 0.1 is exactly 3602879701896397 / 2^55; a u exactly 0.
 */
#include <flint/fmpq.h>
#include "lmo/soudry_carmon/trained.h"
#include "lmo_test.h"

static void run(lmo_sc_trained_t t, slong d0, slong d1, slong N, const double *X, const double *y,
                const double *W1, const double *W2)
{
    slong d[3] = {d0, d1, 1};
    const double *W[2] = {W1, W2};
    lmo_mnn_input_t in;
    lmo_err_t err;
    lmo_err_clear(&err);
    lmo_mnn_input_init(in, 2, d, N);
    CHECK(lmo_sc_trained_input(in, X, y, 0.0, W, &err) == LMO_OK);
    CHECK(lmo_sc_trained_check(t, in, 7, &err) == LMO_OK);
    lmo_mnn_input_clear(in);
}

int main(void)
{
    lmo_sc_trained_t t;
    { /* all weights negative on positive data: G1 = 0 */
        double X[3 * 2] = {1, 2, 3, 0.5, 0.25, 4}, y[3] = {1, -1, 1};
        double W1[4] = {-1, -0.5, -2, -0.125}, W2[2] = {-1, -1};
        lmo_sc_trained_init(t);
        run(t, 2, 2, 3, X, y, W1, W2);
        CHECK_EQ(t->rank->rank, 0);
        CHECK(!t->full_rank);
        CHECK(!t->full_column_rank);
        CHECK(t->differentiable);          /* every u < 0 strictly */
        CHECK_EQ(t->errors, 3);            /* the output is 0 on every sample */
        fmpq_t want;                       /* e = -y: MSE = 3 / (2*3) = 1/2 */
        fmpq_init(want);
        fmpq_set_si(want, 1, 2);
        CHECK(fmpq_equal(t->mse, want));
        fmpq_clear(want);
        lmo_sc_trained_clear(t);
    }
    { /* every u > 0: rank G1 = rank X = 2 < N = 3 <= d0 d1 = 4 */
        double X[3 * 2] = {1, 0, 0, 1, 1, 1}, y[3] = {1, 1, 1};
        double W1[4] = {1, 1, 2, 1}, W2[2] = {1, -3};
        lmo_sc_trained_init(t);
        run(t, 2, 2, 3, X, y, W1, W2);
        CHECK_EQ(t->rank->rank, 2);
        CHECK_EQ(t->rows, 4);
        CHECK(!t->full_rank);
        CHECK(!t->full_column_rank);
        CHECK(t->differentiable);
        /* outputs: x=(1,0): u=(1,2), v2 = 1-6 = -5; (0,1): u=(1,1), -2; (1,1): u=(2,3), -7; all
         * wrong against y = 1; e = (-6, -3, -8), MSE = (36 + 9 + 64) / 6 = 109/6 */
        CHECK_EQ(t->errors, 3);
        fmpq_t want;
        fmpq_init(want);
        fmpq_set_si(want, 109, 6);
        CHECK(fmpq_equal(t->mse, want));
        fmpq_clear(want);
        lmo_sc_trained_clear(t);
    }
    { /* N = 2, one active unit per sample: columns w2_i e_i (x) x^(n) on disjoint rows: rank 2 */
        double X[2 * 2] = {1, 0.1, -1, 0.3}, y[2] = {1, -1};
        double W1[4] = {1, 0, -1, 0}, W2[2] = {2, 3};
        lmo_sc_trained_init(t);
        run(t, 2, 2, 2, X, y, W1, W2);
        CHECK_EQ(t->rank->rank, 2);
        CHECK(t->full_rank);
        CHECK(t->full_column_rank);
        CHECK(t->differentiable);
        /* sample 1: u = (1, -1) -> v2 = 2 (right); sample 2: u = (-1, 1) -> v2 = 3 (wrong) */
        CHECK_EQ(t->errors, 1);
        lmo_sc_trained_clear(t);
    }
    { /* a pre-activation exactly 0: u_1 = 1 - 1 = 0 on sample 1; and 0.1 read exactly */
        double X[2] = {1, 0.1}, y[1] = {0.1};
        double W1[4] = {1, -10, 1, 0}, W2[2] = {1, 1};
        slong d[3] = {2, 2, 1};
        const double *W[2] = {W1, W2};
        lmo_mnn_input_t in;
        lmo_err_t err;
        lmo_err_clear(&err);
        lmo_mnn_input_init(in, 2, d, 1);
        CHECK(lmo_sc_trained_input(in, X, y, 0.0, W, &err) == LMO_OK);
        fmpq_t tenth;
        fmpq_init(tenth);
        fmpz_set_ui(fmpq_numref(tenth), UWORD(3602879701896397));
        fmpz_one(fmpq_denref(tenth));
        fmpz_mul_2exp(fmpq_denref(tenth), fmpq_denref(tenth), 55);
        CHECK(fmpq_equal(fmpq_mat_entry(in->X, 1, 0), tenth));
        lmo_sc_trained_init(t);
        CHECK(lmo_sc_trained_check(t, in, 3, &err) == LMO_OK);
        /* u_1 = 1 - 10 * 3602879701896397 / 2^55 = -2/2^55 < 0 exactly (the double 0.1 is
         * above 1/10), though 1 - 10 * 0.1 is 0 in double: no kink here */
        CHECK(t->differentiable);
        CHECK_EQ(t->nzero, 0);
        fmpq_t m;                          /* the other u is 1: min |u| = 2/2^55 = 2^-54 */
        fmpq_init(m);
        fmpz_one(fmpq_numref(m));
        fmpz_one(fmpq_denref(m));
        fmpz_mul_2exp(fmpq_denref(m), fmpq_denref(m), 54);
        CHECK(fmpq_equal(t->min_abs_u, m));
        fmpq_clear(m);
        lmo_sc_trained_clear(t);
        double X2[2] = {1, 0.5}, W1b[4] = {1, -2, 1, 0};
        const double *Wb[2] = {W1b, W2};
        CHECK(lmo_sc_trained_input(in, X2, y, 0.0, Wb, &err) == LMO_OK);
        lmo_sc_trained_init(t);
        CHECK(lmo_sc_trained_check(t, in, 3, &err) == LMO_OK);
        CHECK(!t->differentiable);         /* u_1 = 1 - 2 * 0.5 = 0 exactly */
        CHECK_EQ(t->nzero, 1);
        lmo_sc_trained_clear(t);
        double Wbad[4] = {1, 0.0 / 0.0, 1, 0};
        const double *Wn[2] = {Wbad, W2};
        CHECK(lmo_sc_trained_input(in, X2, y, 0.0, Wn, &err) == LMO_EINPUT);
        CHECK_CONTAINS(err.msg, "W1[0][1]");
        fmpq_clear(tenth);
        lmo_mnn_input_clear(in);
    }
    return lmo_test_finish();
}
