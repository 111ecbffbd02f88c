/* Deep linear networks: model, loss, gradient (Lemma 4.1), Hessian by the
 * block formulas (Lemma 4.3), Sigma, hypotheses of Theorem 2.3.
 * See lmo/kawaguchi/deep_linear.h. */
#include <stdlib.h>
#include <string.h>
#include <flint/fmpz_poly.h>
#include "lmo/core/members.h"
#include "lmo/kawaguchi/deep_linear.h"
#include "deep_linear_internal.h"

void lmo_deep_linear_init(lmo_deep_linear_t dl, slong H, const slong *dims, slong m)
{
    dl->H = H;
    dl->m = m;
    dl->d = flint_malloc(sizeof(slong) * (H + 2));
    memcpy(dl->d, dims, sizeof(slong) * (H + 2));
    fmpq_mat_init(dl->X, dims[0], m);
    fmpq_mat_init(dl->Y, dims[H + 1], m);
    dl->W = flint_malloc(sizeof(fmpq_mat_struct) * (H + 1));
    for (slong k = 1; k <= H + 1; k++) fmpq_mat_init(dl->W + k - 1, dims[k], dims[k - 1]);
}

void lmo_deep_linear_clear(lmo_deep_linear_t dl)
{
    _lmo_fmpq_mat_vec_clear(dl->W, dl->H + 1);
    fmpq_mat_clear(dl->X);
    fmpq_mat_clear(dl->Y);
    flint_free(dl->d);
}

void lmo_deep_linear_set(lmo_deep_linear_t dl, const lmo_deep_linear_t src)
{
    fmpq_mat_set(dl->X, src->X);
    fmpq_mat_set(dl->Y, src->Y);
    for (slong k = 0; k <= dl->H; k++) fmpq_mat_set(dl->W + k, src->W + k);
}

slong lmo_deep_linear_offset(const lmo_deep_linear_t dl, slong k)
{
    slong off = 0;
    for (slong i = 1; i < k; i++) off += dl->d[i] * dl->d[i - 1];
    return off;
}

slong lmo_deep_linear_nparams(const lmo_deep_linear_t dl)
{
    return lmo_deep_linear_offset(dl, dl->H + 2);
}

slong lmo_deep_linear_p(const lmo_deep_linear_t dl)
{
    slong p = dl->d[1];
    for (slong k = 2; k <= dl->H; k++) if (dl->d[k] < p) p = dl->d[k];
    return p;
}

void lmo_deep_linear_get_theta(fmpq_mat_t theta, const lmo_deep_linear_t dl)
{
    slong off = 0;
    for (slong k = 0; k <= dl->H; k++) {
        const fmpq_mat_struct *W = dl->W + k;
        for (slong a = 0; a < fmpq_mat_nrows(W); a++)
            for (slong b = 0; b < fmpq_mat_ncols(W); b++)
                fmpq_set(fmpq_mat_entry(theta, off++, 0), fmpq_mat_entry(W, a, b));
    }
}

void lmo_deep_linear_set_theta(lmo_deep_linear_t dl, const fmpq_mat_t theta)
{
    slong off = 0;
    for (slong k = 0; k <= dl->H; k++) {
        fmpq_mat_struct *W = dl->W + k;
        for (slong a = 0; a < fmpq_mat_nrows(W); a++)
            for (slong b = 0; b < fmpq_mat_ncols(W); b++)
                fmpq_set(fmpq_mat_entry(W, a, b), fmpq_mat_entry(theta, off++, 0));
    }
}

/* ---- products shared by loss, gradient, Hessian ----
 * Bp[k] = W(k-1)...W1 X   (d(k-1) x m), k = 1..H+1 (Bp[1] = X)
 * A[k]  = W(H+1)...W(k+1) (dy x dk),    k = 0..H+1 (A[H+1] = I)
 * R     = W(H+1)...W1 X - Y            (dy x m) */
typedef struct {
    slong H;
    fmpq_mat_struct *Bp, *A;
    fmpq_mat_t R;
} prods_t;

static void prods_init(prods_t *P, const lmo_deep_linear_t dl)
{
    slong H = dl->H, *d = dl->d;
    P->H = H;
    P->Bp = flint_malloc(sizeof(fmpq_mat_struct) * (H + 3));
    P->A = flint_malloc(sizeof(fmpq_mat_struct) * (H + 2));
    fmpq_mat_init(P->Bp + 1, d[0], dl->m);
    fmpq_mat_set(P->Bp + 1, dl->X);
    for (slong k = 2; k <= H + 2; k++) {
        fmpq_mat_init(P->Bp + k, d[k - 1], dl->m);
        fmpq_mat_mul(P->Bp + k, dl->W + k - 2, P->Bp + k - 1);
    }
    fmpq_mat_init(P->A + H + 1, d[H + 1], d[H + 1]);
    fmpq_mat_one(P->A + H + 1);
    for (slong k = H; k >= 0; k--) {
        fmpq_mat_init(P->A + k, d[H + 1], d[k]);
        fmpq_mat_mul(P->A + k, P->A + k + 1, dl->W + k);
    }
    fmpq_mat_init(P->R, d[H + 1], dl->m);
    fmpq_mat_sub(P->R, P->Bp + H + 2, dl->Y);   /* Bp[H+2] = W(H+1)...W1 X */
}

static void prods_clear(prods_t *P)
{
    for (slong k = 1; k <= P->H + 2; k++) fmpq_mat_clear(P->Bp + k);
    for (slong k = 0; k <= P->H + 1; k++) fmpq_mat_clear(P->A + k);
    flint_free(P->Bp);
    flint_free(P->A);
    fmpq_mat_clear(P->R);
}

static void frob2_half(fmpq_t out, const fmpq_mat_t R)
{
    fmpq_zero(out);
    for (slong i = 0; i < fmpq_mat_nrows(R); i++)
        for (slong j = 0; j < fmpq_mat_ncols(R); j++)
            fmpq_addmul(out, fmpq_mat_entry(R, i, j), fmpq_mat_entry(R, i, j));
    fmpq_div_2exp(out, out, 1);
}

void lmo_deep_linear_loss(fmpq_t loss, const lmo_deep_linear_t dl)
{
    fmpq_mat_t F, T, R;
    fmpq_mat_init(F, dl->d[0], dl->m);
    fmpq_mat_set(F, dl->X);
    for (slong k = 1; k <= dl->H + 1; k++) {
        lmo_dl_mul(T, dl->W + k - 1, F);
        fmpq_mat_swap(T, F);   /* shapes differ: swap structs wholesale */
        fmpq_mat_clear(T);
    }
    fmpq_mat_init(R, dl->d[dl->H + 1], dl->m);
    fmpq_mat_sub(R, F, dl->Y);
    frob2_half(loss, R);
    fmpq_mat_clear(R);
    fmpq_mat_clear(F);
}

void lmo_deep_linear_gradient(fmpq_mat_t g, const lmo_deep_linear_t dl)
{
    prods_t P;
    prods_init(&P, dl);
    slong off = 0, *d = dl->d;
    for (slong k = 1; k <= dl->H + 1; k++) {
        /* block k: A_k^T R B_k^T (Lemma 4.1), row-major = vec(Wk^T) order */
        fmpq_mat_t At, T, G, Bt;
        fmpq_mat_init(At, d[k], d[dl->H + 1]);
        fmpq_mat_transpose(At, P.A + k);
        lmo_dl_mul(T, At, P.R);
        fmpq_mat_init(Bt, dl->m, d[k - 1]);
        fmpq_mat_transpose(Bt, P.Bp + k);
        lmo_dl_mul(G, T, Bt);
        for (slong a = 0; a < d[k]; a++)
            for (slong b = 0; b < d[k - 1]; b++)
                fmpq_set(fmpq_mat_entry(g, off++, 0), fmpq_mat_entry(G, a, b));
        fmpq_mat_clear(At);
        fmpq_mat_clear(T);
        fmpq_mat_clear(Bt);
        fmpq_mat_clear(G);
    }
    prods_clear(&P);
}

void lmo_dl_mul(fmpq_mat_t out, const fmpq_mat_t A, const fmpq_mat_t B)
{
    fmpq_mat_init(out, fmpq_mat_nrows(A), fmpq_mat_ncols(B));
    fmpq_mat_mul(out, A, B);
}

/* out (initialised here) = A^T B (first) or A B^T (!first) */
static void mul_transposed(fmpq_mat_t out, const fmpq_mat_t A, const fmpq_mat_t B, int first)
{
    const fmpq_mat_struct *M = first ? A : B;
    fmpq_mat_t T;
    fmpq_mat_init(T, fmpq_mat_ncols(M), fmpq_mat_nrows(M));
    fmpq_mat_transpose(T, M);
    if (first) lmo_dl_mul(out, T, B);
    else lmo_dl_mul(out, A, T);
    fmpq_mat_clear(T);
}

void lmo_dl_mul_tn(fmpq_mat_t out, const fmpq_mat_t A, const fmpq_mat_t B)
{
    mul_transposed(out, A, B, 1);
}

void lmo_dl_mul_nt(fmpq_mat_t out, const fmpq_mat_t A, const fmpq_mat_t B)
{
    mul_transposed(out, A, B, 0);
}

/* M = num / den, den > 0 the lcm of M's denominators */
static void zq_set(fmpz_mat_t num, fmpz_t den, const fmpq_mat_t M)
{
    fmpz_mat_init(num, fmpq_mat_nrows(M), fmpq_mat_ncols(M));
    fmpz_init(den);
    fmpq_mat_get_fmpz_mat_matwise(num, den, M);
}

/* The block formulas with integer entries: the small factor matrices
 * (A_j^T A_k, B_j B_k^T, M, A_k^T R B_j^T) are formed over Q, where the
 * Cayley-type cancellations keep them small, then each block is one integer
 * Kronecker-type expansion over one denominator, and the blocks are brought
 * to a common denominator at the end. The rational version spent a gcd on
 * each of the n^2 entries. */
void lmo_deep_linear_hessian_fmpz(fmpz_mat_t Z, fmpz_t den, const lmo_deep_linear_t dl)
{
    slong H = dl->H, *d = dl->d;
    prods_t P;
    prods_init(&P, dl);
    fmpz *bden = _fmpz_vec_init((H + 2) * (H + 2));
    fmpz_t s, D2;
    fmpz_init(s);
    fmpz_init(D2);
    fmpz_one(den);
    for (slong j = 1; j <= H + 1; j++) {
        slong offj = lmo_deep_linear_offset(dl, j);
        fmpq_mat_t M, Mq;
        fmpq_mat_init(M, d[j], d[j]);      /* M = W(k-1)...W(j+1), starts at I */
        fmpq_mat_one(M);
        for (slong k = j; k <= H + 1; k++) {
            slong offk = lmo_deep_linear_offset(dl, k);
            fmpz *bd = bden + j * (H + 2) + k;
            if (k >= j + 2) {
                lmo_dl_mul(Mq, dl->W + k - 2, M);
                fmpq_mat_swap(Mq, M);
                fmpq_mat_clear(Mq);
            }
            fmpq_mat_t AAq, BBq, Gq, AR;
            fmpz_mat_t AA, BB, G, Mn;
            fmpz_t dAA, dBB, dG, dM;
            lmo_dl_mul_tn(AAq, P.A + j, P.A + k);  /* A_j^T A_k */
            lmo_dl_mul_nt(BBq, P.Bp + j, P.Bp + k);  /* B_j B_k^T */
            zq_set(AA, dAA, AAq);
            zq_set(BB, dBB, BBq);
            fmpz_mul(bd, dAA, dBB);
            int resid = k > j;
            if (resid) {
                lmo_dl_mul_tn(AR, P.A + k, P.R);     /* A_k^T R */
                lmo_dl_mul_nt(Gq, AR, P.Bp + j);     /* A_k^T R B_j^T */
                fmpq_mat_clear(AR);
                zq_set(G, dG, Gq);
                zq_set(Mn, dM, M);
                fmpq_mat_clear(Gq);
                /* block denominator lcm(dAA dBB, dM dG): scale AA and G to it */
                fmpz_mul(D2, dM, dG);
                fmpz_lcm(s, bd, D2);
                fmpz_divexact(bd, s, bd);
                fmpz_mat_scalar_mul_fmpz(AA, AA, bd);
                fmpz_divexact(D2, s, D2);
                fmpz_mat_scalar_mul_fmpz(G, G, D2);
                fmpz_set(bd, s);
            }
            fmpq_mat_clear(AAq);
            fmpq_mat_clear(BBq);
            fmpz_lcm(den, den, bd);
            for (slong a = 0; a < d[j]; a++)
                for (slong b = 0; b < d[j - 1]; b++) {
                    slong row = offj + a * d[j - 1] + b;
                    for (slong c = 0; c < d[k]; c++)
                        for (slong e = 0; e < d[k - 1]; e++) {
                            slong col = offk + c * d[k - 1] + e;
                            if (k == j && col < row) continue;
                            fmpz *v = fmpz_mat_entry(Z, row, col);
                            fmpz_mul(v, fmpz_mat_entry(AA, a, c), fmpz_mat_entry(BB, b, e));
                            if (resid)
                                fmpz_addmul(v, fmpz_mat_entry(Mn, e, a), fmpz_mat_entry(G, c, b));
                        }
                }
            fmpz_mat_clear(AA);
            fmpz_mat_clear(BB);
            fmpz_clear(dAA);
            fmpz_clear(dBB);
            if (resid) {
                fmpz_mat_clear(G);
                fmpz_mat_clear(Mn);
                fmpz_clear(dG);
                fmpz_clear(dM);
            }
        }
        fmpq_mat_clear(M);
    }
    /* every block over the common denominator; mirror the upper triangle */
    for (slong j = 1; j <= H + 1; j++)
        for (slong k = j; k <= H + 1; k++) {
            fmpz_divexact(s, den, bden + j * (H + 2) + k);
            slong r0 = lmo_deep_linear_offset(dl, j), r1 = lmo_deep_linear_offset(dl, j + 1),
                  c0 = lmo_deep_linear_offset(dl, k), c1 = lmo_deep_linear_offset(dl, k + 1);
            for (slong row = r0; row < r1; row++)
                for (slong col = (k == j ? row : c0); col < c1; col++) {
                    fmpz *v = fmpz_mat_entry(Z, row, col);
                    if (!fmpz_is_one(s)) fmpz_mul(v, v, s);
                    fmpz_set(fmpz_mat_entry(Z, col, row), v);
                }
        }
    _fmpz_vec_clear(bden, (H + 2) * (H + 2));
    fmpz_clear(s);
    fmpz_clear(D2);
    prods_clear(&P);
}

void lmo_deep_linear_hessian(fmpq_mat_t Hs, const lmo_deep_linear_t dl)
{
    slong n = lmo_deep_linear_nparams(dl);
    fmpz_mat_t Z;
    fmpz_t den;
    fmpz_mat_init(Z, n, n);
    fmpz_init(den);
    lmo_deep_linear_hessian_fmpz(Z, den, dl);
    fmpq_mat_set_fmpz_mat_div_fmpz(Hs, Z, den);
    fmpz_mat_clear(Z);
    fmpz_clear(den);
}

/* Orthonormal-free description of the row space of X: the nonzero rows of
 * rref(X), r x m. */
static slong row_basis(fmpq_mat_t R0, const fmpq_mat_t X)
{
    fmpq_mat_t E;
    fmpq_mat_init(E, fmpq_mat_nrows(X), fmpq_mat_ncols(X));
    slong r = fmpq_mat_rref(E, X);
    fmpq_mat_init(R0, r, fmpq_mat_ncols(X));
    for (slong i = 0; i < r; i++)
        for (slong j = 0; j < fmpq_mat_ncols(X); j++)
            fmpq_set(fmpq_mat_entry(R0, i, j), fmpq_mat_entry(E, i, j));
    fmpq_mat_clear(E);
    return r;
}

void lmo_deep_linear_sigma(fmpq_mat_t Sigma, const lmo_deep_linear_t dl)
{
    /* Sigma = (Y R0^T)(R0 R0^T)^{-1}(R0 Y^T), R0 a row basis of X: Y Pi Y^T,
     * equal to Y X^T (X X^T)^{-1} X Y^T when X X^T is invertible. */
    fmpq_mat_t R0, YR, G, Z;
    slong r = row_basis(R0, dl->X), dy = fmpq_mat_nrows(dl->Y);
    fmpq_mat_zero(Sigma);
    if (r > 0) {
        lmo_dl_mul_nt(YR, dl->Y, R0);
        lmo_dl_mul_nt(G, R0, R0);
        fmpq_mat_init(Z, r, dy);
        fmpq_mat_t YRt;
        fmpq_mat_init(YRt, r, dy);
        fmpq_mat_transpose(YRt, YR);
        fmpq_mat_solve(Z, G, YRt);     /* G is positive definite */
        fmpq_mat_mul(Sigma, YR, Z);
        fmpq_mat_clear(YRt);
        fmpq_mat_clear(YR);
        fmpq_mat_clear(G);
        fmpq_mat_clear(Z);
    }
    fmpq_mat_clear(R0);
}

void lmo_deep_linear_C(fmpq_mat_t C, const lmo_deep_linear_t dl)
{
    slong H = dl->H, *d = dl->d;
    fmpq_mat_init(C, d[H + 1], d[H]);
    fmpq_mat_set(C, dl->W + H);
    for (slong k = H; k >= 2; k--) {
        fmpq_mat_t T;
        lmo_dl_mul(T, C, dl->W + k - 1);
        fmpq_mat_swap(T, C);
        fmpq_mat_clear(T);
    }
}

void lmo_deep_linear_middle(fmpq_mat_t M, const lmo_deep_linear_t dl)
{
    slong H = dl->H, *d = dl->d;
    if (H == 1) {   /* paper footnote 1: W1...W2 := I_{d1} */
        fmpq_mat_init(M, d[1], d[1]);
        fmpq_mat_one(M);
        return;
    }
    fmpq_mat_init(M, d[H], d[H - 1]);
    fmpq_mat_set(M, dl->W + H - 1);
    for (slong k = H - 1; k >= 2; k--) {
        fmpq_mat_t T;
        lmo_dl_mul(T, M, dl->W + k - 1);
        fmpq_mat_swap(T, M);
        fmpq_mat_clear(T);
    }
}

slong lmo_deep_linear_qrank(const fmpq_mat_t A)
{
    fmpq_mat_t E;
    fmpq_mat_init(E, fmpq_mat_nrows(A), fmpq_mat_ncols(A));
    slong r = fmpq_mat_rref(E, A);
    fmpq_mat_clear(E);
    return r;
}

static int poly_squarefree(const fmpq_poly_t f)
{
    if (fmpq_poly_degree(f) <= 1) return 1;
    fmpz_poly_t a, b, g;
    fmpz_poly_init(a);
    fmpz_poly_init(b);
    fmpz_poly_init(g);
    fmpq_poly_get_numerator(a, f);
    fmpz_poly_derivative(b, a);
    fmpz_poly_gcd(g, a, b);
    int sf = fmpz_poly_degree(g) == 0;
    fmpz_poly_clear(a);
    fmpz_poly_clear(b);
    fmpz_poly_clear(g);
    return sf;
}

void lmo_deep_linear_hypotheses(lmo_dl_hyp_t *h, const lmo_deep_linear_t dl)
{
    slong dx = dl->d[0], dy = dl->d[dl->H + 1];
    fmpq_mat_t XXt, XYt, S;
    fmpq_poly_t f;
    lmo_dl_mul_nt(XXt, dl->X, dl->X);
    lmo_dl_mul_nt(XYt, dl->X, dl->Y);
    h->xxt_full_rank = lmo_deep_linear_qrank(XXt) == dx;
    h->xyt_full_rank = lmo_deep_linear_qrank(XYt) == (dx < dy ? dx : dy);
    h->dy_le_dx = dy <= dx;
    fmpq_mat_init(S, dy, dy);
    lmo_deep_linear_sigma(S, dl);
    fmpq_poly_init(f);
    fmpq_mat_charpoly(f, S);
    h->sigma_distinct = poly_squarefree(f);
    h->hold = h->xxt_full_rank && h->xyt_full_rank && h->dy_le_dx && h->sigma_distinct;
    fmpq_poly_clear(f);
    fmpq_mat_clear(S);
    fmpq_mat_clear(XXt);
    fmpq_mat_clear(XYt);
}
