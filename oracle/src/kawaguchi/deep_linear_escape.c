/* Escape curves built from the proof of Kawaguchi 2016, Theorem 2.3 (ii) Case III and (iii)
 * (Appendix B.1, B.3): at a critical point that is not a global minimum, a polynomial curve
 * along which the loss first falls (or rises). Nothing here is searched; each curve is
 * verified by expanding the loss along it exactly (lmo_deep_linear_curve_loss). The two
 * constructions and why they always exist under the theorem's hypotheses are in
 * lmo/kawaguchi/deep_linear.h ("Escape curves"). */
#include <string.h>
#include "lmo/kawaguchi/deep_linear.h"
#include "deep_linear_internal.h"

void lmo_dl_chain(fmpq_mat_t M, const lmo_deep_linear_t dl, slong lo, slong hi)
{
    const slong *d = dl->d;
    fmpq_mat_init(M, d[lo - 1], d[lo - 1]);
    fmpq_mat_one(M);
    for (slong k = lo; k <= hi; k++) {
        fmpq_mat_t T;
        lmo_dl_mul(T, dl->W + k - 1, M);
        fmpq_mat_swap(T, M);
        fmpq_mat_clear(T);
    }
}

slong lmo_dl_kernel(fmpq_mat_t K, const fmpq_mat_t A)
{
    slong r = fmpq_mat_nrows(A), c = fmpq_mat_ncols(A);
    fmpq_mat_t E;
    fmpq_mat_init(E, r, c);
    slong rank = fmpq_mat_rref(E, A);
    slong *piv = flint_malloc(sizeof(slong) * (rank + 1));
    char *isp = flint_calloc(c + 1, 1);
    for (slong i = 0, j = 0; i < rank; i++) {
        while (fmpq_is_zero(fmpq_mat_entry(E, i, j))) j++;
        piv[i] = j;
        isp[j++] = 1;
    }
    fmpq_mat_init(K, c, c - rank);
    for (slong f = 0, col = 0; f < c; f++) {
        if (isp[f]) continue;
        fmpq_one(fmpq_mat_entry(K, f, col));
        for (slong i = 0; i < rank; i++) fmpq_neg(fmpq_mat_entry(K, piv[i], col), fmpq_mat_entry(E, i, f));
        col++;
    }
    flint_free(piv);
    flint_free(isp);
    fmpq_mat_clear(E);
    return c - rank;
}

void lmo_dl_residual_gram(fmpq_mat_t G, const lmo_deep_linear_t dl)
{
    slong H = dl->H;
    fmpq_mat_t P, R;
    lmo_dl_chain(P, dl, 1, H + 1);
    lmo_dl_mul(R, P, dl->X);
    fmpq_mat_sub(R, R, dl->Y);
    lmo_dl_mul_nt(G, R, dl->X);
    fmpq_mat_clear(P);
    fmpq_mat_clear(R);
}

/* Column c of K, as a new d x 1 matrix. */
static void col_of(fmpq_mat_t v, const fmpq_mat_t K, slong c)
{
    fmpq_mat_init(v, fmpq_mat_nrows(K), 1);
    for (slong i = 0; i < fmpq_mat_nrows(K); i++) fmpq_set(fmpq_mat_entry(v, i, 0), fmpq_mat_entry(K, i, c));
}

/* out += b a^T written into block k of the column vector D (rows of Wk = b's entries). */
static void put_outer(fmpq_mat_t D, const lmo_deep_linear_t dl, slong k, const fmpq_mat_t b,
                      const fmpq_mat_t a, int neg)
{
    slong off = lmo_deep_linear_offset(dl, k), r = dl->d[k], c = dl->d[k - 1];
    fmpq_t t;
    fmpq_init(t);
    for (slong i = 0; i < r; i++)
        for (slong j = 0; j < c; j++) {
            fmpq_mul(t, fmpq_mat_entry(b, i, 0), fmpq_mat_entry(a, j, 0));
            if (neg) fmpq_neg(t, t);
            fmpq_add(fmpq_mat_entry(D, off + i * c + j, 0), fmpq_mat_entry(D, off + i * c + j, 0), t);
        }
    fmpq_clear(t);
}

static void dot(fmpq_t out, const fmpq_mat_t a, const fmpq_mat_t b)
{
    fmpq_zero(out);
    for (slong i = 0; i < fmpq_mat_nrows(a); i++)
        fmpq_addmul(out, fmpq_mat_entry(a, i, 0), fmpq_mat_entry(b, i, 0));
}

/* f = e_i for the first column i of G that is not zero, u = G e_i (so u^T G f = |G e_i|^2 > 0).
 * 0 when G = 0 (then X r = 0: the point is a global minimum, Theorem 2.3 proof, Case I). */
static int pick_uf(fmpq_mat_t u, fmpq_mat_t f, const fmpq_mat_t G)
{
    slong dy = fmpq_mat_nrows(G), dx = fmpq_mat_ncols(G);
    for (slong i = 0; i < dx; i++) {
        int nz = 0;
        for (slong a = 0; a < dy; a++) nz |= !fmpq_is_zero(fmpq_mat_entry(G, a, i));
        if (!nz) continue;
        fmpq_mat_init(u, dy, 1);
        fmpq_mat_init(f, dx, 1);
        for (slong a = 0; a < dy; a++) fmpq_set(fmpq_mat_entry(u, a, 0), fmpq_mat_entry(G, a, i));
        fmpq_one(fmpq_mat_entry(f, i, 0));
        return 1;
    }
    return 0;
}

/* ---- construction 1: a straight line through dead directions ----------------------------
 * At every hidden layer k a direction b_k that W(k+1) kills and a functional a_k that kills
 * range(Wk), with a_k^T b_k = 1. The line Dk = b_k a_(k-1)^T (a_0 = f), D(H+1) = -+u a_H^T
 * changes the product only at order t^(H+1): every other term of the expansion holds some
 * W(k+1) b_k or a_k^T Wk. So loss(t) = L -+ t^(H+1) |G f|^2 + t^(2H+2) |u f^T X|^2 / 2. */
static int build_path(fmpq_mat_t D, const lmo_deep_linear_t dl, const fmpq_mat_t u,
                      const fmpq_mat_t f, int want)
{
    slong H = dl->H;
    fmpq_mat_struct *a = flint_malloc(sizeof(fmpq_mat_struct) * (H + 1));
    fmpq_mat_struct *b = flint_malloc(sizeof(fmpq_mat_struct) * (H + 1));
    slong made = 0;
    int ok = 1;
    fmpq_t s;
    fmpq_init(s);
    for (slong k = 1; k <= H && ok; k++) {
        fmpq_mat_t Wt, Ka, Kb, M, KaT;
        fmpq_mat_init(Wt, dl->d[k - 1], dl->d[k]);
        fmpq_mat_transpose(Wt, dl->W + k - 1);
        lmo_dl_kernel(Ka, Wt);                 /* a_k: a^T Wk = 0 */
        lmo_dl_kernel(Kb, dl->W + k);          /* b_k: W(k+1) b = 0 */
        fmpq_mat_init(KaT, fmpq_mat_ncols(Ka), dl->d[k]);
        fmpq_mat_transpose(KaT, Ka);
        lmo_dl_mul(M, KaT, Kb);
        slong ia = -1, ib = -1;
        for (slong i = 0; i < fmpq_mat_nrows(M) && ia < 0; i++)
            for (slong j = 0; j < fmpq_mat_ncols(M); j++)
                if (!fmpq_is_zero(fmpq_mat_entry(M, i, j))) { ia = i; ib = j; break; }
        if (ia < 0) ok = 0;
        else {
            col_of(a + k, Ka, ia);
            col_of(b + k, Kb, ib);
            fmpq_inv(s, fmpq_mat_entry(M, ia, ib));
            fmpq_mat_scalar_mul_fmpq(b + k, b + k, s);   /* a_k^T b_k = 1 */
            made = k;
        }
        fmpq_mat_clear(Wt); fmpq_mat_clear(Ka); fmpq_mat_clear(Kb);
        fmpq_mat_clear(M); fmpq_mat_clear(KaT);
    }
    if (ok) {
        fmpq_mat_zero(D);
        put_outer(D, dl, 1, b + 1, f, 0);
        for (slong k = 2; k <= H; k++) put_outer(D, dl, k, b + k, a + k - 1, 0);
        put_outer(D, dl, H + 1, u, a + H, want < 0);
    }
    for (slong k = 1; k <= made; k++) { fmpq_mat_clear(a + k); fmpq_mat_clear(b + k); }
    flint_free(a);
    flint_free(b);
    fmpq_clear(s);
    return ok;
}

/* ---- construction 2: a loss-preserving perturbation, then a gradient step ---------------
 * polynomial matrices in s: c[0..deg] */
typedef struct { slong deg; fmpq_mat_struct *c; } spoly_t;

static void sp_identity(spoly_t *P, slong n)
{
    P->deg = 0;
    P->c = flint_malloc(sizeof(fmpq_mat_struct));
    fmpq_mat_init(P->c, n, n);
    fmpq_mat_one(P->c);
}

static void sp_clear(spoly_t *P)
{
    for (slong i = 0; i <= P->deg; i++) fmpq_mat_clear(P->c + i);
    flint_free(P->c);
}

/* P <- (W + s E) P */
static void sp_lmul(spoly_t *P, const fmpq_mat_t W, const fmpq_mat_t E)
{
    slong r = fmpq_mat_nrows(W), c = fmpq_mat_ncols(P->c);
    fmpq_mat_struct *n = flint_malloc(sizeof(fmpq_mat_struct) * (P->deg + 2));
    fmpq_mat_t T;
    fmpq_mat_init(T, r, c);
    for (slong i = 0; i <= P->deg + 1; i++) {
        fmpq_mat_init(n + i, r, c);
        if (i <= P->deg) fmpq_mat_mul(n + i, W, P->c + i);
        if (i >= 1) {
            fmpq_mat_mul(T, E, P->c + i - 1);
            fmpq_mat_add(n + i, n + i, T);
        }
    }
    fmpq_mat_clear(T);
    sp_clear(P);
    P->deg++;
    P->c = n;
}

/* The layer-k matrix (dk x d(k-1)) of a theta-shaped column vector D. */
static void block_of(fmpq_mat_t M, const fmpq_mat_t D, const lmo_deep_linear_t dl, slong k)
{
    slong off = lmo_deep_linear_offset(dl, k), r = dl->d[k], c = dl->d[k - 1];
    fmpq_mat_init(M, r, c);
    for (slong i = 0; i < r; i++)
        for (slong j = 0; j < c; j++) fmpq_set(fmpq_mat_entry(M, i, j), fmpq_mat_entry(D, off + i * c + j, 0));
}

/* Lemma 4.2 makes rank C = rank(W(H+1)...W1) at every critical point. The perturbation
 *   Wk + s b_k a'_(k-1)^T  (k < j, b_k in ker A_k: A_k = W(H+1)...W(k+1) is unchanged),
 *   Wk + s c_k a_(k-1)^T   (k > j, a_(k-1) kills range(W(k-1)...W1): so does every product),
 * with j the first hidden layer whose A_j is injective (H + 1 if none), keeps the product
 * W(H+1)...W1 -- hence the loss -- for every s (the proof's eq. 9 perturbation lies in ker A_k
 * in the same way), while the layer-j gradient A_j(s)^T G B_(j-1)(s)^T gains the s^H term
 * a_j |G f|^2 b_(j-1)^T != 0: the perturbed point is not critical. Its lowest nonzero
 * coefficient M_(j0) gives the step: theta(t) = theta + t D1 -+ t^(j0+1) M_(j0) (block j),
 * loss(t) = L -+ t^(2 j0 + 1) |M_(j0)|^2 + O(t^(2 j0 + 2)). */
static int build_gauge(fmpq_mat_struct **Dout, slong *nd, slong *jout, const lmo_deep_linear_t dl,
                       const fmpq_mat_t G, const fmpq_mat_t u, const fmpq_mat_t f, int want)
{
    slong H = dl->H, n = lmo_deep_linear_nparams(dl), j = H + 1;
    const slong *d = dl->d;
    for (slong k = 1; k <= H && j == H + 1; k++) {
        fmpq_mat_t A;
        lmo_dl_chain(A, dl, k + 1, H + 1);
        if (lmo_deep_linear_qrank(A) == d[k]) j = k;
        fmpq_mat_clear(A);
    }
    /* v[k]: b_k (k < j, in ker A_k) or a_k (j <= k <= H, in ker B_k^T); v[0] = f, v[H+1] = u */
    fmpq_mat_struct *v = flint_malloc(sizeof(fmpq_mat_struct) * (H + 2));
    char *have = flint_calloc(H + 2, 1);
    int ok = 1;
    for (slong k = 1; k <= H && ok; k++) {
        fmpq_mat_t M, K;
        if (k < j) lmo_dl_chain(M, dl, k + 1, H + 1);
        else {
            fmpq_mat_t B;
            lmo_dl_chain(B, dl, 1, k);
            fmpq_mat_init(M, d[0], d[k]);
            fmpq_mat_transpose(M, B);
            fmpq_mat_clear(B);
        }
        if (lmo_dl_kernel(K, M) == 0) ok = 0;
        else col_of(v + k, K, 0), have[k] = 1;
        fmpq_mat_clear(K);
        fmpq_mat_clear(M);
    }
    int found = 0;
    if (ok) {
        fmpq_mat_t D1, w, Wb;
        fmpq_t s;
        fmpq_init(s);
        fmpq_mat_init(D1, n, 1);
        /* bottom Fk = b_k a'_(k-1)^T, a'_0 = f, a'_k = b_k / |b_k|^2 */
        for (slong k = 1; k < j; k++) {
            if (k == 1) put_outer(D1, dl, 1, v + 1, f, 0);
            else {
                fmpq_mat_init(w, d[k - 1], 1);
                dot(s, v + k - 1, v + k - 1);
                fmpq_inv(s, s);
                fmpq_mat_scalar_mul_fmpq(w, v + k - 1, s);
                put_outer(D1, dl, k, v + k, w, 0);
                fmpq_mat_clear(w);
            }
        }
        /* top Ek = c_k a_(k-1)^T, c_k = a_k / |a_k|^2 (k <= H), c_(H+1) = u */
        for (slong k = j + 1; k <= H + 1; k++) {
            if (k == H + 1) put_outer(D1, dl, k, u, v + k - 1, 0);
            else {
                fmpq_mat_init(w, d[k], 1);
                dot(s, v + k, v + k);
                fmpq_inv(s, s);
                fmpq_mat_scalar_mul_fmpq(w, v + k, s);
                put_outer(D1, dl, k, w, v + k - 1, 0);
                fmpq_mat_clear(w);
            }
        }
        /* the layer-j gradient along theta + s D1: A_j(s)^T G B_(j-1)(s)^T */
        spoly_t A, B;
        sp_identity(&A, d[j]);
        for (slong k = j + 1; k <= H + 1; k++) {
            block_of(Wb, D1, dl, k);
            sp_lmul(&A, dl->W + k - 1, Wb);
            fmpq_mat_clear(Wb);
        }
        sp_identity(&B, d[0]);
        for (slong k = 1; k < j; k++) {
            block_of(Wb, D1, dl, k);
            sp_lmul(&B, dl->W + k - 1, Wb);
            fmpq_mat_clear(Wb);
        }
        fmpq_mat_t Mi, T2, AtG;
        fmpq_mat_init(Mi, d[j], d[j - 1]);
        slong j0 = -1;
        for (slong i = 1; i <= A.deg + B.deg && j0 < 0; i++) {
            fmpq_mat_zero(Mi);
            for (slong a = 0; a <= A.deg; a++) {
                slong b = i - a;
                if (b < 0 || b > B.deg) continue;
                lmo_dl_mul_tn(AtG, A.c + a, G);
                lmo_dl_mul_nt(T2, AtG, B.c + b);
                fmpq_mat_add(Mi, Mi, T2);
                fmpq_mat_clear(T2);
                fmpq_mat_clear(AtG);
            }
            if (!fmpq_mat_is_zero(Mi)) j0 = i;
        }
        if (j0 > 0) {
            *nd = j0 + 1;
            *Dout = flint_malloc(sizeof(fmpq_mat_struct) * (j0 + 1));
            for (slong i = 0; i <= j0; i++) fmpq_mat_init(*Dout + i, n, 1);
            fmpq_mat_set(*Dout, D1);
            slong off = lmo_deep_linear_offset(dl, j), c = d[j - 1];
            for (slong a = 0; a < d[j]; a++)
                for (slong b = 0; b < c; b++) {
                    fmpq *e = fmpq_mat_entry(*Dout + j0, off + a * c + b, 0);
                    fmpq_set(e, fmpq_mat_entry(Mi, a, b));
                    if (want < 0) fmpq_neg(e, e);
                }
            *jout = j;
            found = 1;
        }
        fmpq_mat_clear(Mi);
        sp_clear(&A);
        sp_clear(&B);
        fmpq_mat_clear(D1);
        fmpq_clear(s);
    }
    for (slong k = 1; k <= H; k++) if (have[k]) fmpq_mat_clear(v + k);
    flint_free(v);
    flint_free(have);
    return found;
}

/* ---------------------------------------------------------------------------------------- */

void lmo_dl_escape_init(lmo_dl_escape_t *e)
{
    memset(e, 0, sizeof *e);
    fmpq_poly_init(e->poly);
}

void lmo_dl_escape_clear(lmo_dl_escape_t *e)
{
    for (slong i = 0; i < e->nd; i++) fmpq_mat_clear(e->D + i);
    flint_free(e->D);
    fmpq_poly_clear(e->poly);
    memset(e, 0, sizeof *e);
}

int lmo_deep_linear_escape(lmo_dl_escape_t *e, const lmo_deep_linear_t dl, int want, int negate)
{
    lmo_dl_escape_clear(e);
    fmpq_poly_init(e->poly);
    fmpq_mat_t G, u, f;
    lmo_dl_residual_gram(G, dl);
    int got = pick_uf(u, f, G);
    if (got) {
        slong n = lmo_deep_linear_nparams(dl);
        e->D = flint_malloc(sizeof(fmpq_mat_struct));
        fmpq_mat_init(e->D, n, 1);
        int aim = negate ? -want : want;   /* the test hook: the construction aims the wrong way */
        if (build_path(e->D, dl, u, f, aim)) {
            e->nd = 1;
            e->method = LMO_DL_ESCAPE_PATH;
            e->junction = dl->H + 1;
        } else {
            fmpq_mat_clear(e->D);
            flint_free(e->D);
            e->D = NULL;
            if (build_gauge(&e->D, &e->nd, &e->junction, dl, G, u, f, aim))
                e->method = LMO_DL_ESCAPE_GAUGE;
        }
        fmpq_mat_clear(u);
        fmpq_mat_clear(f);
    }
    fmpq_mat_clear(G);
    if (e->method == LMO_DL_ESCAPE_NONE) return 0;
    lmo_deep_linear_curve_loss(e->poly, dl, e->D, e->nd);
    e->sign = lmo_poly_leading_change(&e->order, e->poly);
    return e->sign == want;
}
