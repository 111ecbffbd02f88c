/*
 * The full sweeps of lmo/witness.h (label slow, not in the default run):
 *  - the witness of Soudry-Carmon (B.3)-(B.6) (Fact 2 for L = 2) for EVERY
 *    width list d0..dL with 2 <= L <= 6, every width in 1..8, dL = 1, and
 *    every admissible N = 1..d_{L-2} d_{L-1}: built, run through the exact
 *    forward pass, G'_{L-1} compared with the Khatri-Rao identity written
 *    directly (integer Kronecker products, see test_witness.c) and with
 *    [I]_{1..N}, the parameters compared with (B.3)-(B.5); the certified rank
 *    N at N = 1 and N = d_{L-2} d_{L-1} of every width list (in between,
 *    G' = [I]_{1..N} already gives rank N: proofs/coq witness_check_rank);
 *  - genericity (Lemma 8): random rational points of every width list with
 *    L <= 4 and widths <= 4, each dropout case, N = the paper's threshold:
 *    rank N with the certificate's minor re-evaluated mod p;
 *  - the generic-rank table for widths <= 4, L <= 5: no row below its bound,
 *    the all-active rank equal to the bound everywhere.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <flint/nmod_mat.h>
#include "lmo/witness.h"

static int failures = 0;
#define CHECK(c) do { if (!(c)) { failures++; fprintf(stderr, "%s:%d: CHECK failed: %s\n", \
                                   __FILE__, __LINE__, #c); } } while (0)

/* ------------------------------------------------ integer references */

/* C = A (x) B, A ar x ac, B br x bc (row-major ints); C is ar*br x ac*bc */
static int *kron(const int *A, slong ar, slong ac, const int *B, slong br, slong bc)
{
    int *C = calloc((size_t) (ar * br * ac * bc) + 1, sizeof(int));
    for (slong i = 0; i < ar; i++)
        for (slong j = 0; j < ac; j++)
            for (slong k = 0; k < br; k++)
                for (slong l = 0; l < bc; l++)
                    C[(i * br + k) * (ac * bc) + j * bc + l] = A[i * ac + j] * B[k * bc + l];
    return C;
}

static int *eye(slong n)
{
    int *I = calloc((size_t) (n * n) + 1, sizeof(int));
    for (slong i = 0; i < n; i++) I[i * n + i] = 1;
    return I;
}

static int *ones(slong r, slong c)
{
    int *O = malloc(sizeof(int) * (size_t) (r * c + 1));
    for (slong k = 0; k < r * c; k++) O[k] = 1;
    return O;
}

/* first N columns of M (r x c) */
static int *first_cols(const int *M, slong r, slong c, slong N)
{
    int *F = malloc(sizeof(int) * (size_t) (r * N + 1));
    for (slong i = 0; i < r; i++)
        for (slong n = 0; n < N; n++) F[i * N + n] = M[i * c + n];
    return F;
}

/* (B.5): top = [I_{a} (x) 1_{1 x b}]_{1..N} (a x N), low = [1_{1 x a} (x) I_b]_{1..N} (b x N) */
static void b5(int **top, int **low, slong a, slong b, slong N)
{
    int *Ia = eye(a), *Ib = eye(b), *oa = ones(1, a), *ob = ones(1, b);
    int *T = kron(Ia, a, a, ob, 1, b), *Lo = kron(oa, 1, a, Ib, b, b);
    *top = first_cols(T, a, a * b, N);
    *low = first_cols(Lo, b, a * b, N);
    free(Ia); free(Ib); free(oa); free(ob); free(T); free(Lo);
}

static int mat_equals_int(const fmpq_mat_t M, const int *A, slong r, slong c)
{
    if (fmpq_mat_nrows(M) != r || fmpq_mat_ncols(M) != c) return 0;
    for (slong i = 0; i < r; i++)
        for (slong j = 0; j < c; j++) {
            const fmpq *q = fmpq_mat_entry(M, i, j);
            if (!fmpz_is_one(fmpq_denref(q)) || !fmpz_equal_si(fmpq_numref(q), A[i * c + j])) return 0;
        }
    return 1;
}

/* Check one witness against the references. Returns 1 when all agree. */
static int check_witness(const slong *d, slong L, slong N, int certify, int paper_params)
{
    lmo_witness_t w;
    lmo_witness_result_t r;
    lmo_err_t err;
    lmo_witness_init(w);
    lmo_witness_result_init(r);
    int ok = lmo_witness_build(w, d, L, N, &err) == LMO_OK
             && lmo_witness_verify(r, w, certify, 7, &err) == LMO_OK;
    slong a = d[L - 1], b = d[L - 2], rows = a * b;
    int *top, *low;
    b5(&top, &low, a, b, N);
    /* (B.6) written directly: the Khatri-Rao product of the two (B.5) matrices */
    int *K = calloc((size_t) (rows * N) + 1, sizeof(int));
    for (slong i = 0; i < a; i++)
        for (slong j = 0; j < b; j++)
            for (slong n = 0; n < N; n++) K[(i * b + j) * N + n] = top[i * N + n] * low[j * N + n];
    int *I = eye(rows), *IN = first_cols(I, rows, rows, N);
    ok = ok && memcmp(K, IN, sizeof(int) * (size_t) (rows * N)) == 0;   /* the identity itself */
    ok = ok && mat_equals_int(r->G, K, rows, N);                       /* G' of the forward pass */
    ok = ok && r->holds && r->identity && r->differentiable && r->activations_match;
    if (certify) ok = ok && r->certified && r->rank->rank == N && lmo_rank_verify(r->rank, r->G);
    if (ok && paper_params) {
        /* (B.3)-(B.5) and Fact 2, and the documented top layers */
        if (L == 2) {
            ok = ok && mat_equals_int(w->net->X, low, d[0], N);
        } else {
            int *o = ones(d[0], N);
            ok = ok && mat_equals_int(w->net->X, o, d[0], N);
            free(o);
            for (slong l = 1; l <= L - 2; l++) {
                int *Wl = calloc((size_t) (d[l] * d[l - 1]) + 1, sizeof(int));
                for (slong i = 0; i < d[l]; i++) Wl[i * d[l - 1]] = 1;
                ok = ok && mat_equals_int(w->net->W + l - 1, Wl, d[l], d[l - 1]);
                free(Wl);
            }
            for (slong l = 1; l < L - 2; l++) {
                int *e = ones(d[l], N);
                ok = ok && mat_equals_int(w->net->E + l - 1, e, d[l], N);
                free(e);
            }
            ok = ok && mat_equals_int(w->net->E + L - 3, low, b, N);
            /* "V'_{L-2} = A'_{L-2}" (text before (B.6)) */
            ok = ok && mat_equals_int(r->fwd->V + L - 3, low, b, N);
        }
        ok = ok && mat_equals_int(w->net->E + L - 2, top, a, N);
        int *o1 = ones(a, b), *o2 = ones(1, a);
        ok = ok && mat_equals_int(w->net->W + L - 2, o1, a, b) && mat_equals_int(w->net->W + L - 1, o2, 1, a);
        free(o1); free(o2);
        /* every hidden pre-activation is > 0 */
        for (slong l = 1; l < L; l++)
            for (slong i = 0; i < d[l]; i++)
                for (slong n = 0; n < N; n++) ok = ok && fmpq_sgn(fmpq_mat_entry(r->fwd->U + l - 1, i, n)) > 0;
    }
    free(top); free(low); free(K); free(I); free(IN);
    lmo_witness_result_clear(r);
    lmo_witness_clear(w);
    if (!ok) {
        fprintf(stderr, "witness failed: widths");
        for (slong l = 0; l <= L; l++) fprintf(stderr, " %ld", (long) d[l]);
        fprintf(stderr, ", N = %ld\n", (long) N);
    }
    return ok;
}

/* The minor of a rank certificate, re-evaluated mod p here. */
static int minor_nonzero_mod_p(const lmo_rank_t R, const fmpq_mat_t G)
{
    slong r = R->rank;
    ulong p = R->prime;
    nmod_mat_t M;
    nmod_mat_init(M, r, r, p);
    int ok = 1;
    for (slong i = 0; i < r && ok; i++)
        for (slong j = 0; j < r && ok; j++) {
            const fmpq *q = fmpq_mat_entry(G, R->rows[i], R->cols[j]);
            ulong num = fmpz_fdiv_ui(fmpq_numref(q), p), den = fmpz_fdiv_ui(fmpq_denref(q), p);
            if (den == 0) { ok = 0; break; }
            nmod_mat_entry(M, i, j) = n_mulmod2_preinv(num, n_invmod(den, p), p, n_preinvert_limb(p));
        }
    ok = ok && nmod_mat_det(M) != 0;
    nmod_mat_clear(M);
    return ok;
}

static slong certified_random_rank(const slong *d, slong L, slong N, lmo_witness_case_t c, int active,
                                   ulong seed, int *minor_ok)
{
    lmo_rng_t rng;
    lmo_err_t err;
    fmpq_mat_t G;
    int diff = 0;
    lmo_rng_seed(&rng, seed);
    CHECK(lmo_witness_random_G(G, &diff, d, L, N, c, active, &rng, &err) == LMO_OK);
    CHECK(diff);
    lmo_rank_t R;
    lmo_rank_init(R);
    CHECK(lmo_rank_certified(R, G, seed, &err) == LMO_OK);
    slong rk = R->rank;
    CHECK(lmo_rank_verify(R, G));
    CHECK(R->prime > (UWORD(1) << 28));           /* a large random prime */
    *minor_ok = minor_nonzero_mod_p(R, G);
    lmo_rank_clear(R);
    fmpq_mat_clear(G);
    return rk;
}

static void sweep_witnesses(void)
{
    slong d[8];
    for (slong L = 2; L <= 6; L++) {
        slong total = 1, count = 0;
        for (slong l = 0; l < L; l++) total *= 8;
        for (slong t = 0; t < total; t++) {
            slong x = t;
            for (slong l = 0; l < L; l++) { d[l] = 1 + x % 8; x /= 8; }
            d[L] = 1;
            slong R = d[L - 2] * d[L - 1];
            for (slong N = 1; N <= R; N++, count++)
                if (!check_witness(d, L, N, N == 1 || N == R, 1)) {
                    failures++;
                    if (failures > 20) return;
                }
        }
        printf("L = %ld: %ld width lists, %ld witnesses verified\n", (long) L, (long) total, (long) count);
        fflush(stdout);
    }
}

static void sweep_generic(void)
{
    slong d[8], count = 0;
    for (slong L = 2; L <= 4; L++) {
        slong total = 1;
        for (slong l = 0; l < L; l++) total *= 4;
        for (slong t = 0; t < total; t++) {
            slong x = t;
            for (slong l = 0; l < L; l++) { d[l] = 1 + x % 4; x /= 4; }
            d[L] = 1;
            for (int c = 0; c < 3; c++)
                for (int active = 0; active <= 1; active++, count++) {
                    slong N = lmo_witness_threshold(d, L, (lmo_witness_case_t) c);
                    int minor_ok = 0;
                    slong rk = certified_random_rank(d, L, N, (lmo_witness_case_t) c, active,
                                                     (ulong) (count * 7919 + 1), &minor_ok);
                    CHECK(rk == N);
                    CHECK(minor_ok);
                }
        }
    }
    printf("genericity: %ld random points of rank N\n", (long) count);
}

static void sweep_table(void)
{
    slong d[8], rows_total = 0, exceeds = 0;
    for (slong L = 2; L <= 5; L++) {
        slong total = 1;
        for (slong l = 0; l < L; l++) total *= 4;
        for (slong t = 0; t < total; t++) {
            slong x = t;
            for (slong l = 0; l < L; l++) { d[l] = 1 + x % 4; x /= 4; }
            d[L] = 1;
            slong R = d[L - 2] * d[L - 1];
            lmo_witness_table_row_t rows[16];
            for (int c = 0; c < 3; c++) {
                lmo_rng_t rng;
                lmo_err_t err;
                lmo_rng_seed(&rng, (ulong) (t * 3 + c) + 1000 * (ulong) L);
                CHECK(lmo_witness_table_rows(rows, d, L, (lmo_witness_case_t) c, &rng, 3, 5, &err) == LMO_OK);
                for (slong N = 1; N <= R; N++, rows_total++) {
                    CHECK(rows[N - 1].rank_active == rows[N - 1].bound);
                    CHECK(strcmp(rows[N - 1].status, "below") != 0);
                    exceeds += strcmp(rows[N - 1].status, "exceeds") == 0;
                }
            }
        }
    }
    printf("table: %ld rows, %ld exceed the bound, none below\n", (long) rows_total, (long) exceeds);
}

int main(void)
{
    sweep_generic();
    sweep_table();
    sweep_witnesses();
    flint_cleanup();
    if (failures) { fprintf(stderr, "%d failures\n", failures); return 1; }
    printf("test_witness_slow: ok\n");
    return 0;
}
