/* Constructors of exact deep-linear points of every class (lmo gen
 * deep-linear-...). The construction is described in lmo/kawaguchi/deep_linear.h;
 * each class is guaranteed by the construction and the paper, not by the
 * classifier. */
#include <string.h>
#include "lmo/kawaguchi/deep_linear.h"
#include "deep_linear_internal.h"

/* Q = (I - S)(I + S)^{-1}, S skew-symmetric with entries in [-2, 2]:
 * a rational orthogonal matrix (I + S is invertible for skew S). */
static void cayley(fmpq_mat_t Q, slong n, lmo_rng_t *r)
{
    fmpq_mat_t S, A, B, Bi;
    fmpq_mat_init(S, n, n);
    for (slong i = 0; i < n; i++)
        for (slong j = i + 1; j < n; j++) {
            slong v = lmo_rng_uniform(r, -2, 2);
            fmpq_set_si(fmpq_mat_entry(S, i, j), v, 1);
            fmpq_set_si(fmpq_mat_entry(S, j, i), -v, 1);
        }
    fmpq_mat_init(A, n, n);
    fmpq_mat_init(B, n, n);
    fmpq_mat_init(Bi, n, n);
    fmpq_mat_one(A);
    fmpq_mat_sub(A, A, S);
    fmpq_mat_one(B);
    fmpq_mat_add(B, B, S);
    fmpq_mat_inv(Bi, B);
    fmpq_mat_mul(Q, A, Bi);
    fmpq_mat_clear(S);
    fmpq_mat_clear(A);
    fmpq_mat_clear(B);
    fmpq_mat_clear(Bi);
}

/* A random unimodular integer matrix (unit lower times unit upper) and its
 * exact inverse. */
static void unimodular(fmpq_mat_t G, fmpq_mat_t Gi, slong n, lmo_rng_t *r)
{
    fmpq_mat_t L, U;
    fmpq_mat_init(L, n, n);
    fmpq_mat_init(U, n, n);
    fmpq_mat_one(L);
    fmpq_mat_one(U);
    for (slong i = 0; i < n; i++)
        for (slong j = 0; j < i; j++) {
            fmpq_set_si(fmpq_mat_entry(L, i, j), lmo_rng_uniform(r, -1, 1), 1);
            fmpq_set_si(fmpq_mat_entry(U, j, i), lmo_rng_uniform(r, -1, 1), 1);
        }
    fmpq_mat_mul(G, L, U);
    fmpq_mat_inv(Gi, G);
    fmpq_mat_clear(L);
    fmpq_mat_clear(U);
}

/* Data with known eigenvectors: fills dl->X, dl->Y; U (dy x dy) and the
 * eigen-order ord[0..dy) (indices of U's columns by decreasing eigenvalue). */
static void make_data(lmo_deep_linear_t dl, fmpq_mat_t U, slong *ord, lmo_rng_t *r)
{
    slong dx = dl->d[0], dy = dl->d[dl->H + 1], m = dl->m, rk = dx < dy ? dx : dy;
    fmpq_mat_t Q, V, M, T, Z, Qt, Qr;
    fmpq_mat_init(Q, m, m);
    cayley(Q, m, r);
    fmpq_mat_init(Qt, dx, m);
    fmpq_mat_init(Qr, m - dx, m);
    for (slong i = 0; i < m; i++)
        for (slong j = 0; j < m; j++)
            fmpq_set(i < dx ? fmpq_mat_entry(Qt, i, j) : fmpq_mat_entry(Qr, i - dx, j),
                     fmpq_mat_entry(Q, i, j));
    /* X = Dx Qtop, Dx = diag(1..3) */
    for (slong i = 0; i < dx; i++) {
        slong s = lmo_rng_uniform(r, 1, 3);
        for (slong j = 0; j < m; j++)
            fmpq_mul_si(fmpq_mat_entry(dl->X, i, j), fmpq_mat_entry(Qt, i, j), s);
    }
    /* M = U[:, :rk] diag(s) V[:, :rk]^T with distinct s in [1, 3 dy] */
    cayley(U, dy, r);
    fmpq_mat_init(V, dx, dx);
    cayley(V, dx, r);
    slong *s = flint_malloc(sizeof(slong) * dy);
    for (slong i = 0; i < rk; i++) {
        int dup;
        do {
            s[i] = lmo_rng_uniform(r, 1, 3 * dy + 1);
            dup = 0;
            for (slong j = 0; j < i; j++) dup |= s[j] == s[i];
        } while (dup);
    }
    for (slong i = rk; i < dy; i++) s[i] = 0;
    fmpq_mat_init(M, dy, dx);
    fmpq_t t;
    fmpq_init(t);
    for (slong a = 0; a < dy; a++)
        for (slong b = 0; b < dx; b++)
            for (slong i = 0; i < rk; i++) {
                fmpq_mul(t, fmpq_mat_entry(U, a, i), fmpq_mat_entry(V, b, i));
                fmpq_mul_si(t, t, s[i]);
                fmpq_add(fmpq_mat_entry(M, a, b), fmpq_mat_entry(M, a, b), t);
            }
    fmpq_clear(t);
    /* eigen-order: decreasing s (insertion sort; dy is small) */
    for (slong i = 0; i < dy; i++) ord[i] = i;
    for (slong i = 1; i < dy; i++)
        for (slong j = i; j > 0 && s[ord[j]] > s[ord[j - 1]]; j--) {
            slong tmp = ord[j]; ord[j] = ord[j - 1]; ord[j - 1] = tmp;
        }
    /* Y = M Qtop + Z Qrest */
    fmpq_mat_mul(dl->Y, M, Qt);
    if (m > dx) {
        fmpq_mat_init(Z, dy, m - dx);
        for (slong a = 0; a < dy; a++)
            for (slong b = 0; b < m - dx; b++)
                fmpq_set_si(fmpq_mat_entry(Z, a, b), lmo_rng_uniform(r, -2, 2), 1);
        lmo_dl_mul(T, Z, Qr);
        fmpq_mat_add(dl->Y, dl->Y, T);
        fmpq_mat_clear(T);
        fmpq_mat_clear(Z);
    }
    flint_free(s);
    fmpq_mat_clear(Q);
    fmpq_mat_clear(Qt);
    fmpq_mat_clear(Qr);
    fmpq_mat_clear(V);
    fmpq_mat_clear(M);
}

static int check_shape(slong H, const slong *dims, slong m, lmo_err_t *err)
{
    if (H < 1) return lmo_err_set(err, LMO_EINPUT, "widths: need H >= 1 hidden layer");
    for (slong k = 0; k <= H + 1; k++)
        if (dims[k] < 1) return lmo_err_set(err, LMO_EINPUT, "widths: d%ld = %ld < 1",
                                            (long) k, (long) dims[k]);
    if (dims[H + 1] > dims[0])
        return lmo_err_set(err, LMO_EINPUT, "widths: dy = %ld > dx = %ld (Theorem 2.3 "
                           "needs dy <= dx)", (long) dims[H + 1], (long) dims[0]);
    if (m < dims[0])
        return lmo_err_set(err, LMO_EINPUT, "m = %ld < dx = %ld (X X^T must be invertible)",
                           (long) m, (long) dims[0]);
    return LMO_OK;
}

/* Weights through the eigenvectors I[0..s) of U (see the header); junk: random rows of W1
 * beyond the first s (H >= 2 only). */
static void chain_weights(lmo_deep_linear_t dl, const fmpq_mat_t U, const slong *I, slong s,
                          int junk, lmo_rng_t *r)
{
    slong H = dl->H, *d = dl->d, dx = d[0], dy = d[H + 1];
    fmpq_mat_t XXt, XYt, Pt, P, UI, UIt, T, *G, *Gi;
    /* P_ols = Y X^T (X X^T)^{-1}, as P^T = (X X^T)^{-1} X Y^T */
    lmo_dl_mul_nt(XXt, dl->X, dl->X);
    lmo_dl_mul_nt(XYt, dl->X, dl->Y);
    fmpq_mat_init(Pt, dx, dy);
    fmpq_mat_solve(Pt, XXt, XYt);
    fmpq_mat_init(P, dy, dx);
    fmpq_mat_transpose(P, Pt);
    fmpq_mat_init(UI, dy, s);
    for (slong i = 0; i < dy; i++)
        for (slong j = 0; j < s; j++)
            fmpq_set(fmpq_mat_entry(UI, i, j), fmpq_mat_entry(U, i, I[j]));
    fmpq_mat_init(UIt, s, dy);
    fmpq_mat_transpose(UIt, UI);

    G = flint_malloc(sizeof(fmpq_mat_t) * (H + 1));
    Gi = flint_malloc(sizeof(fmpq_mat_t) * (H + 1));
    for (slong k = 1; k <= H; k++) {
        fmpq_mat_init(G[k], d[k], d[k]);
        fmpq_mat_init(Gi[k], d[k], d[k]);
        unimodular(G[k], Gi[k], d[k], r);
    }
    /* W1 = G1 [U_I^T P ; junk] */
    fmpq_mat_init(T, d[1], dx);
    {
        fmpq_mat_t top;
        lmo_dl_mul(top, UIt, P);
        for (slong i = 0; i < d[1]; i++)
            for (slong j = 0; j < dx; j++) {
                /* junk rows are killed by W2 = G2 E E^T G1^{-1} when H >= 2; with
                 * H = 1 they would change the product (and criticality) */
                if (i < s) fmpq_set(fmpq_mat_entry(T, i, j), fmpq_mat_entry(top, i, j));
                else if (H >= 2 && junk) fmpq_set_si(fmpq_mat_entry(T, i, j), lmo_rng_uniform(r, -2, 2), 1);
            }
        fmpq_mat_clear(top);
    }
    fmpq_mat_mul(dl->W + 0, G[1], T);
    fmpq_mat_clear(T);
    /* Wk = Gk E E^T G(k-1)^{-1}: the first s columns of Gk times the first
     * s rows of G(k-1)^{-1} */
    for (slong k = 2; k <= H; k++) {
        fmpq_mat_zero(dl->W + k - 1);
        for (slong a = 0; a < d[k]; a++)
            for (slong b = 0; b < d[k - 1]; b++)
                for (slong i = 0; i < s; i++)
                    fmpq_addmul(fmpq_mat_entry(dl->W + k - 1, a, b),
                                fmpq_mat_entry(G[k], a, i), fmpq_mat_entry(Gi[k - 1], i, b));
    }
    /* W(H+1) = U_I E^T GH^{-1} */
    fmpq_mat_zero(dl->W + H);
    for (slong a = 0; a < dy; a++)
        for (slong b = 0; b < d[H]; b++)
            for (slong i = 0; i < s; i++)
                fmpq_addmul(fmpq_mat_entry(dl->W + H, a, b),
                            fmpq_mat_entry(UI, a, i), fmpq_mat_entry(Gi[H], i, b));
    for (slong k = 1; k <= H; k++) { fmpq_mat_clear(G[k]); fmpq_mat_clear(Gi[k]); }
    flint_free(G);
    flint_free(Gi);
    fmpq_mat_clear(XXt);
    fmpq_mat_clear(XYt);
    fmpq_mat_clear(Pt);
    fmpq_mat_clear(P);
    fmpq_mat_clear(UI);
    fmpq_mat_clear(UIt);
}

/* A construction under way: the rng after the data, the eigenvectors U of
 * Sigma and their order ord (see make_data). */
typedef struct {
    lmo_rng_t r;
    fmpq_mat_t U;
    slong *ord;
} gen_t;

static void start(gen_t *g, lmo_deep_linear_t dl, slong H, const slong *dims, slong m, ulong seed,
                  ulong salt)
{
    lmo_deep_linear_init(dl, H, dims, m);
    lmo_rng_seed(&g->r, seed * UWORD(0x9e3779b97f4a7c15) + salt);
    fmpq_mat_init(g->U, dims[H + 1], dims[H + 1]);
    g->ord = flint_malloc(sizeof(slong) * dims[H + 1]);
    make_data(dl, g->U, g->ord, &g->r);
}

static int finish(gen_t *g)
{
    flint_free(g->ord);
    fmpq_mat_clear(g->U);
    return LMO_OK;
}

int lmo_deep_linear_gen_global_min(lmo_deep_linear_t dl, slong H, const slong *dims,
                                   slong m, ulong seed, lmo_err_t *err)
{
    if (check_shape(H, dims, m, err)) return err->code;
    gen_t g;
    start(&g, dl, H, dims, m, seed, 1);
    slong p = lmo_deep_linear_p(dl), dy = dims[H + 1], q = p < dy ? p : dy;
    chain_weights(dl, g.U, g.ord, q, 1, &g.r);
    return finish(&g);
}

int lmo_deep_linear_gen_strict_saddle(lmo_deep_linear_t dl, slong H, const slong *dims,
                                      slong m, ulong seed, lmo_err_t *err)
{
    if (check_shape(H, dims, m, err)) return err->code;
    slong dy = dims[H + 1], p = dims[1];
    for (slong k = 2; k <= H; k++) if (dims[k] < p) p = dims[k];
    if (dy < 2) return lmo_err_set(err, LMO_EINPUT, "widths: a strict saddle needs dy >= 2");
    if (H >= 2 && p >= dy)
        return lmo_err_set(err, LMO_EINPUT, "widths: for H >= 2 a strict saddle (rank(WH...W2) "
                           "= p) needs p = %ld < dy = %ld", (long) p, (long) dy);
    gen_t g;
    start(&g, dl, H, dims, m, seed, 2);
    /* H = 1: any size s <= q, but s < dy (the only dy-subset is the top one) */
    slong q = p < dy ? p : dy, s = H >= 2 ? p : lmo_rng_uniform(&g.r, 1, q < dy ? q : dy - 1);
    slong *I = flint_malloc(sizeof(slong) * dy), *pos = flint_malloc(sizeof(slong) * dy);
    for (;;) {
        /* random s-subset of eigen-positions (partial Fisher-Yates) */
        for (slong i = 0; i < dy; i++) pos[i] = i;
        for (slong i = 0; i < s; i++) {
            slong j = lmo_rng_uniform(&g.r, i, dy - 1), t = pos[i];
            pos[i] = pos[j];
            pos[j] = t;
        }
        /* not the top-q set (which would be the global minimum when s = q) */
        int top = s == q;
        for (slong i = 0; i < s && top; i++) top = pos[i] < q;
        if (!top) break;
    }
    for (slong i = 0; i < s; i++) I[i] = g.ord[pos[i]];
    chain_weights(dl, g.U, I, s, 1, &g.r);
    flint_free(I);
    flint_free(pos);
    return finish(&g);
}

int lmo_deep_linear_gen_bad_saddle(lmo_deep_linear_t dl, slong H, const slong *dims,
                                   slong m, ulong seed, lmo_err_t *err)
{
    if (check_shape(H, dims, m, err)) return err->code;
    if (H < 2) return lmo_err_set(err, LMO_EINPUT, "widths: bad saddles need H >= 2 "
                                  "(Corollary 2.4: none for H = 1)");
    gen_t g;
    start(&g, dl, H, dims, m, seed, 3);
    for (slong k = 0; k <= H; k++) fmpq_mat_zero(dl->W + k);
    slong dy = dims[H + 1], p = lmo_deep_linear_p(dl), q = p < dy ? p : dy;
    if (q >= 2 && seed % 3 == 0) {
        /* Case III of Theorem 2.3 (ii): the s < q top eigenvectors through tilted hidden
         * bases, every other unit dead both ways (no junk rows). Not global (s < q); the
         * Hessian is >= 0: only the W1-W(H+1) pair meets G (G^T A_k = 0 for k <= H and
         * G B_(k-1)^T = 0 for k >= 2), and WH...W2 passes just the s flow directions, which
         * C and WH...W1 X see too, so the second-order form is that of the collapsed H = 1
         * network of width s at its global minimum (hence >= 0); it is not 0 (C != 0). */
        slong sz = lmo_rng_uniform(&g.r, 1, q - 1);
        chain_weights(dl, g.U, g.ord, sz, 0, &g.r);
        return finish(&g);
    }
    if (H >= 3 && (seed & 1)) {
        /* W(H+1) free, W1 = ... = WH = 0: every Hessian block still vanishes,
         * because each one keeps a zero factor among W2..WH (H >= 3) */
        for (slong a = 0; a < dims[H + 1]; a++)
            for (slong b = 0; b < dims[H]; b++)
                fmpq_set_si(fmpq_mat_entry(dl->W + H, a, b), lmo_rng_uniform(&g.r, -3, 3), 1);
    }
    return finish(&g);
}

int lmo_deep_linear_gen_proof_c1(lmo_deep_linear_t dl, slong H, const slong *dims, slong m,
                                 ulong seed, lmo_err_t *err)
{
    if (check_shape(H, dims, m, err)) return err->code;
    if (H != 2) return lmo_err_set(err, LMO_EINPUT, "widths: Appendix C.1's counterexample needs H = 2");
    gen_t g;
    start(&g, dl, H, dims, m, seed, 5);
    for (slong k = 0; k <= H; k++) fmpq_mat_zero(dl->W + k);
    for (slong a = 0; a < dims[H + 1]; a++)
        for (slong b = 0; b < dims[H]; b++)
            fmpq_set_si(fmpq_mat_entry(dl->W + H, a, b), lmo_rng_uniform(&g.r, -3, 3), 1);
    fmpq_set_si(fmpq_mat_entry(dl->W + H, 0, 0), lmo_rng_uniform(&g.r, 1, 3), 1);
    return finish(&g);
}

/* The first nonzero column of C = W(H+1)...W2 (so a move of row a of W1 changes the
 * product), or -1 when C = 0: the not-critical and near-critical points move W1 there. */
static slong first_nonzero_column_of_C(const lmo_deep_linear_t dl)
{
    fmpq_mat_t C;
    lmo_deep_linear_C(C, dl);
    slong a = -1;
    for (slong j = 0; j < fmpq_mat_ncols(C) && a < 0; j++)
        for (slong i = 0; i < fmpq_mat_nrows(C); i++)
            if (!fmpq_is_zero(fmpq_mat_entry(C, i, j))) { a = j; break; }
    fmpq_mat_clear(C);
    return a;
}

/* W1[a][b] += delta at a = first_nonzero_column_of_C and b drawn from `seed` (every row of
 * X is nonzero, so the product moves); 0, or -1 with dl untouched when C = 0 */
static int move_W1(lmo_deep_linear_t dl, ulong seed, const fmpq_t delta)
{
    slong a = first_nonzero_column_of_C(dl);
    if (a < 0) return -1;
    lmo_rng_t r;
    lmo_rng_seed(&r, seed);
    slong b = lmo_rng_uniform(&r, 0, dl->d[0] - 1);
    fmpq_add(fmpq_mat_entry(dl->W + 0, a, b), fmpq_mat_entry(dl->W + 0, a, b), delta);
    return 0;
}

int lmo_deep_linear_gen_not_critical(lmo_deep_linear_t dl, slong H, const slong *dims,
                                     slong m, ulong seed, slong exp10, lmo_err_t *err)
{
    if (exp10 < 1 || exp10 > 10000)
        return lmo_err_set(err, LMO_EINPUT, "delta exponent %ld outside [1, 10000]", (long) exp10);
    if (lmo_deep_linear_gen_global_min(dl, H, dims, m, seed, err)) return err->code;
    fmpq_t delta;   /* 10^-exp10 */
    fmpq_init(delta);
    fmpz_ui_pow_ui(fmpq_denref(delta), 10, (ulong) exp10);
    fmpz_one(fmpq_numref(delta));
    int moved = move_W1(dl, seed + 77, delta);
    fmpq_clear(delta);
    if (moved < 0) {
        lmo_deep_linear_clear(dl);
        return lmo_err_set(err, LMO_ELIMIT, "internal: C = 0 at a generated global minimum");
    }
    return LMO_OK;
}

int lmo_deep_linear_gen_near_critical(lmo_deep_linear_t dl, slong H, const slong *dims,
                                      slong m, ulong seed, int saddle, slong exp2,
                                      lmo_err_t *err)
{
    if (exp2 < 1 || exp2 > 1000)
        return lmo_err_set(err, LMO_EINPUT, "delta exponent %ld outside [1, 1000]", (long) exp2);
    if (saddle ? lmo_deep_linear_gen_strict_saddle(dl, H, dims, m, seed, err)
               : lmo_deep_linear_gen_global_min(dl, H, dims, m, seed, err))
        return err->code;
    fmpq_t delta;   /* 2^-exp2 */
    fmpq_init(delta);
    fmpq_one(delta);
    fmpq_div_2exp(delta, delta, (ulong) exp2);
    int moved = move_W1(dl, seed + 91, delta);
    fmpq_clear(delta);
    if (moved < 0) {
        lmo_deep_linear_clear(dl);
        return lmo_err_set(err, LMO_EINPUT, "C = 0 at the generated point: nothing to move");
    }
    /* the moved point must not be critical */
    slong n = lmo_deep_linear_nparams(dl);
    fmpq_mat_t g;
    fmpq_mat_init(g, n, 1);
    lmo_deep_linear_gradient(g, dl);
    int critical = fmpq_mat_is_zero(g);
    fmpq_mat_clear(g);
    if (critical) {
        lmo_deep_linear_clear(dl);
        return lmo_err_set(err, LMO_EINPUT, "the moved point is still critical");
    }
    return LMO_OK;
}
