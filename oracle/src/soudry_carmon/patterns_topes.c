/*
 * Realizable sign vectors of one hidden unit (see lmo/soudry_carmon/patterns.h):
 * the open cells (topes) of the central arrangement {w : w.x^(n) = 0}, exactly.
 *
 * Recursion on the dimension k of an essential arrangement (normals spanning
 * Q^k): for k >= 2 every cell is a pointed cone, so it has an extreme ray on
 * a line where k-1 independent hyperplanes meet; near that ray r the cell
 * looks like a cell of the hyperplanes through r (an essential arrangement
 * of dimension k-1 inside r^perp), and the other hyperplanes keep the signs
 * they have on r. So the cells are: for every such line and both directions
 * +-r, the signs on r combined with the cells of the local arrangement. The
 * witness is +-r + t w_loc with t small enough not to flip any sign of r.
 * Non-essential arrangements are first projected onto the span of X.
 */
#include <stdlib.h>
#include <string.h>
#include <flint/fmpq_vec.h>
#include "lmo/soudry_carmon/patterns.h"

#define MAX_SUBSETS (WORD(1) << 22)

typedef struct {
    slong len, alloc, k;
    ulong *mask;
    fmpq *w;        /* len * k */
} tlist;

static void tl_init(tlist *L, slong k)
{
    memset(L, 0, sizeof *L);
    L->k = k;
    L->w = _fmpq_vec_init(1);   /* always alloc*k + 1 entries */
}

static void tl_clear(tlist *L)
{
    _fmpq_vec_clear(L->w, L->alloc * L->k + 1);
    flint_free(L->mask);
}

static fmpq *tl_push(tlist *L, ulong mask)
{
    if (L->len == L->alloc) {
        slong na = L->alloc ? 2 * L->alloc : 16;
        fmpq *nw = _fmpq_vec_init(na * L->k + 1);
        for (slong t = 0; t < L->len * L->k; t++) fmpq_swap(nw + t, L->w + t);
        _fmpq_vec_clear(L->w, L->alloc * L->k + 1);
        L->w = nw;
        L->mask = flint_realloc(L->mask, sizeof(ulong) * na);
        L->alloc = na;
    }
    L->mask[L->len] = mask;
    return L->w + (L->len++) * L->k;
}

typedef struct { ulong mask; slong ix; } keyed;

static int cmp_keyed(const void *a, const void *b)
{
    const keyed *x = a, *y = b;
    if (x->mask != y->mask) return x->mask < y->mask ? -1 : 1;
    return (x->ix > y->ix) - (x->ix < y->ix);
}

/* Sort by mask and drop duplicates (keep the first witness). */
static void tl_sort_unique(tlist *L)
{
    slong n = L->len, k = L->k, out = 0;
    if (n == 0) return;
    keyed *ky = flint_malloc(sizeof(keyed) * n);
    for (slong t = 0; t < n; t++) { ky[t].mask = L->mask[t]; ky[t].ix = t; }
    qsort(ky, n, sizeof(keyed), cmp_keyed);
    ulong *nm = flint_malloc(sizeof(ulong) * (L->alloc + 1));
    fmpq *nw = _fmpq_vec_init(L->alloc * k + 1);
    for (slong t = 0; t < n; t++) {
        if (out > 0 && nm[out - 1] == ky[t].mask) continue;
        nm[out] = ky[t].mask;
        for (slong j = 0; j < k; j++) fmpq_swap(nw + out * k + j, L->w + ky[t].ix * k + j);
        out++;
    }
    _fmpq_vec_clear(L->w, L->alloc * k + 1);
    flint_free(L->mask);
    L->w = nw; L->mask = nm; L->len = out;
    flint_free(ky);
}

static int sgn_dot(fmpq_t d, const fmpq *w, const fmpq_mat_t C, slong n)
{
    slong k = fmpq_mat_nrows(C);
    fmpq_t t;
    fmpq_init(t);
    fmpq_zero(d);
    for (slong j = 0; j < k; j++) {
        fmpq_mul(t, w + j, fmpq_mat_entry(C, j, n));
        fmpq_add(d, d, t);
    }
    fmpq_clear(t);
    return fmpq_sgn(d);
}

/* C: k x M, every column non-zero, columns spanning Q^k. Appends to out
 * (out->k == k) the cells with masks over positions 0..M-1. Returns 0 on a
 * cap or an internal inconsistency. */
static int topes_rec(tlist *out, const fmpq_mat_t C)
{
    slong k = fmpq_mat_nrows(C), M = fmpq_mat_ncols(C);
    if (k == 1) {
        ulong plus = 0;
        for (slong n = 0; n < M; n++)
            if (fmpq_sgn(fmpq_mat_entry(C, 0, n)) > 0) plus |= UWORD(1) << n;
        ulong full = M == 64 ? ~UWORD(0) : (UWORD(1) << M) - 1;
        fmpq_one(tl_push(out, plus));
        fmpq_set_si(tl_push(out, full & ~plus), -1, 1);
        return 1;
    }
    /* (k-1)-subsets of the columns, in lexicographic order */
    slong km = k - 1;
    double nsub = 1;
    for (slong j = 0; j < km; j++) nsub = nsub * (double) (M - j) / (double) (j + 1);
    if (nsub > (double) MAX_SUBSETS) return 0;
    slong *S = flint_malloc(sizeof(slong) * (km + 1));
    for (slong j = 0; j < km; j++) S[j] = j;
    ulong *seen = NULL;
    slong nseen = 0, aseen = 0;
    int ok = 1;
    fmpq_mat_t B, Bt, R, BtB, rhs, Gam, Wp, Zs, Wl;
    fmpq *r = _fmpq_vec_init(k), *dr = _fmpq_vec_init(M), *dl = _fmpq_vec_init(M);
    fmpq_t t, cand, d;
    fmpq_init(t); fmpq_init(cand); fmpq_init(d);
    fmpq_mat_init(B, k, km); fmpq_mat_init(Bt, km, k); fmpq_mat_init(R, km, k);
    fmpq_mat_init(BtB, km, km);
    while (ok && km <= M) {
        ulong smask = 0;
        for (slong j = 0; j < km; j++) smask |= UWORD(1) << S[j];
        int skip = 0;   /* a subset inside a known line's zero set gives that line again */
        for (slong z = 0; z < nseen && !skip; z++) skip = (smask & ~seen[z]) == 0;
        if (!skip) {
            for (slong i = 0; i < k; i++)
                for (slong j = 0; j < km; j++) {
                    fmpq_set(fmpq_mat_entry(B, i, j), fmpq_mat_entry(C, i, S[j]));
                    fmpq_set(fmpq_mat_entry(Bt, j, i), fmpq_mat_entry(C, i, S[j]));
                }
            slong rk = fmpq_mat_rref(R, Bt);
            if (rk == km) {
                /* the line r: kernel of Bt, one free column */
                slong fcol = 0, piv = 0;
                slong *pc = flint_malloc(sizeof(slong) * (km + 1));
                for (slong c = 0; c < k; c++) {
                    if (piv < km && !fmpq_is_zero(fmpq_mat_entry(R, piv, c))) pc[piv++] = c;
                    else fcol = c;
                }
                for (slong c = 0; c < k; c++) fmpq_zero(r + c);
                fmpq_one(r + fcol);
                for (slong a = 0; a < km; a++) fmpq_neg(r + pc[a], fmpq_mat_entry(R, a, fcol));
                flint_free(pc);
                ulong zmask = 0;
                slong nz = 0;
                for (slong n = 0; n < M; n++)
                    if (sgn_dot(dr + n, r, C, n) == 0) { zmask |= UWORD(1) << n; nz++; }
                if (nseen == aseen) {
                    aseen = aseen ? 2 * aseen : 16;
                    seen = flint_realloc(seen, sizeof(ulong) * aseen);
                }
                seen[nseen++] = zmask;
                /* local arrangement: coordinates of the normals through r in the basis B */
                slong *zi = flint_malloc(sizeof(slong) * (nz + 1));
                for (slong n = 0, q = 0; n < M; n++) if ((zmask >> n) & 1) zi[q++] = n;
                fmpq_mat_mul(BtB, Bt, B);
                fmpq_mat_init(rhs, km, nz); fmpq_mat_init(Gam, km, nz);
                for (slong q = 0; q < nz; q++)
                    for (slong a = 0; a < km; a++) {
                        fmpq_zero(fmpq_mat_entry(rhs, a, q));
                        for (slong i = 0; i < k; i++) {
                            fmpq_mul(t, fmpq_mat_entry(B, i, a), fmpq_mat_entry(C, i, zi[q]));
                            fmpq_add(fmpq_mat_entry(rhs, a, q), fmpq_mat_entry(rhs, a, q), t);
                        }
                    }
                ok = fmpq_mat_solve_fraction_free(Gam, BtB, rhs);
                tlist sub;
                tl_init(&sub, km);
                if (ok) ok = topes_rec(&sub, Gam);
                if (ok && sub.len > 0) {
                    /* w_loc = B z with BtB z = w', so that w_loc . c = w' . gamma */
                    fmpq_mat_init(Wp, km, sub.len); fmpq_mat_init(Zs, km, sub.len);
                    fmpq_mat_init(Wl, k, sub.len);
                    for (slong u = 0; u < sub.len; u++)
                        for (slong a = 0; a < km; a++)
                            fmpq_set(fmpq_mat_entry(Wp, a, u), sub.w + u * km + a);
                    ok = fmpq_mat_solve_fraction_free(Zs, BtB, Wp);
                    if (ok) fmpq_mat_mul(Wl, B, Zs);
                    for (slong u = 0; ok && u < sub.len; u++) {
                        fmpq *wl = _fmpq_vec_init(k);
                        for (slong i = 0; i < k; i++) fmpq_set(wl + i, fmpq_mat_entry(Wl, i, u));
                        fmpq_one(cand);
                        int have = 0;
                        for (slong n = 0; n < M; n++) {
                            if ((zmask >> n) & 1) continue;
                            if (sgn_dot(dl + n, wl, C, n) == 0) continue;
                            /* t < |r.c| / |w_loc.c| keeps the sign of r.c */
                            fmpq_div(t, dr + n, dl + n);
                            fmpq_abs(t, t);
                            fmpq_div_2exp(t, t, 1);
                            if (!have || fmpq_cmp(t, cand) < 0) fmpq_set(cand, t);
                            have = 1;
                        }
                        for (int sg = 1; sg >= -1; sg -= 2) {
                            ulong mask = 0;
                            for (slong q = 0; q < nz; q++)
                                if ((sub.mask[u] >> q) & 1) mask |= UWORD(1) << zi[q];
                            for (slong n = 0; n < M; n++)
                                if (!((zmask >> n) & 1) && sg * fmpq_sgn(dr + n) > 0) mask |= UWORD(1) << n;
                            fmpq *w = tl_push(out, mask);
                            for (slong i = 0; i < k; i++) {
                                fmpq_mul(w + i, cand, wl + i);
                                if (sg > 0) fmpq_add(w + i, w + i, r + i);
                                else fmpq_sub(w + i, w + i, r + i);
                            }
                            /* the witness must have exactly these strict signs */
                            for (slong n = 0; n < M && ok; n++) {
                                int s = sgn_dot(d, w, C, n);
                                ok = s != 0 && ((s > 0) == (int) ((mask >> n) & 1));
                            }
                        }
                        _fmpq_vec_clear(wl, k);
                    }
                    fmpq_mat_clear(Wp); fmpq_mat_clear(Zs); fmpq_mat_clear(Wl);
                }
                tl_clear(&sub);
                fmpq_mat_clear(rhs); fmpq_mat_clear(Gam);
                flint_free(zi);
            }
        }
        /* next subset */
        slong j = km - 1;
        while (j >= 0 && S[j] == M - km + j) j--;
        if (j < 0) break;
        S[j]++;
        for (slong q = j + 1; q < km; q++) S[q] = S[q - 1] + 1;
    }
    fmpq_mat_clear(B); fmpq_mat_clear(Bt); fmpq_mat_clear(R); fmpq_mat_clear(BtB);
    _fmpq_vec_clear(r, k); _fmpq_vec_clear(dr, M); _fmpq_vec_clear(dl, M);
    fmpq_clear(t); fmpq_clear(cand); fmpq_clear(d);
    flint_free(S); flint_free(seen);
    if (ok) tl_sort_unique(out);
    return ok;
}

void lmo_topes_init(lmo_topes_t T)
{
    memset(T, 0, sizeof *T);
    fmpq_mat_init(T->W, 0, 0);
}

void lmo_topes_clear(lmo_topes_t T)
{
    flint_free(T->masks);
    fmpq_mat_clear(T->W);
    memset(T, 0, sizeof *T);
}

slong lmo_topes_find(const lmo_topes_t T, ulong mask)
{
    slong lo = 0, hi = T->count - 1;
    while (lo <= hi) {
        slong mid = (lo + hi) / 2;
        if (T->masks[mid] == mask) return mid;
        if (T->masks[mid] < mask) lo = mid + 1; else hi = mid - 1;
    }
    return -1;
}

int lmo_topes_enumerate(lmo_topes_t T, const fmpq_mat_t X, lmo_err_t *err)
{
    slong d0 = fmpq_mat_nrows(X), N = fmpq_mat_ncols(X);
    lmo_topes_clear(T);
    fmpq_mat_init(T->W, 0, d0);
    T->d0 = d0; T->N = N;
    if (N > 64)
        return lmo_err_set(err, LMO_ELIMIT, "realizable patterns: N = %ld > 64 samples", (long) N);
    if (N == 0) {   /* no hyperplane: one cell, everything */
        T->count = 1;
        T->masks = flint_calloc(1, sizeof(ulong));
        fmpq_mat_clear(T->W);
        fmpq_mat_init(T->W, 1, d0);
        return LMO_OK;
    }
    for (slong n = 0; n < N; n++) {
        int zero = 1;
        for (slong j = 0; j < d0 && zero; j++) zero = fmpq_is_zero(fmpq_mat_entry(X, j, n));
        if (zero) return LMO_OK;   /* u^(n) = 0 for every w: no open cell */
    }
    /* project onto the span of X: basis = pivot columns */
    fmpq_mat_t R;
    fmpq_mat_init(R, d0, N);
    slong k = fmpq_mat_rref(R, X);
    slong *pc = flint_malloc(sizeof(slong) * (k + 1));
    for (slong a = 0, c = 0; a < k; a++) {
        while (fmpq_is_zero(fmpq_mat_entry(R, a, c))) c++;
        pc[a] = c++;
    }
    fmpq_mat_t B, Bt, BtB, C;
    fmpq_mat_init(B, d0, k); fmpq_mat_init(Bt, k, d0); fmpq_mat_init(BtB, k, k);
    fmpq_mat_init(C, k, N);
    for (slong i = 0; i < d0; i++)
        for (slong a = 0; a < k; a++) fmpq_set(fmpq_mat_entry(B, i, a), fmpq_mat_entry(X, i, pc[a]));
    fmpq_mat_transpose(Bt, B);
    fmpq_mat_mul(BtB, Bt, B);
    int ok = 1;
    if (k == d0) fmpq_mat_set(C, X);
    else {
        fmpq_mat_t rhs;
        fmpq_mat_init(rhs, k, N);
        fmpq_mat_mul(rhs, Bt, X);
        ok = fmpq_mat_solve_fraction_free(C, BtB, rhs);
        fmpq_mat_clear(rhs);
    }
    tlist L;
    tl_init(&L, k);
    if (ok) ok = topes_rec(&L, C);
    if (ok) {
        T->count = L.len;
        T->masks = flint_malloc(sizeof(ulong) * (L.len + 1));
        memcpy(T->masks, L.mask, sizeof(ulong) * L.len);
        fmpq_mat_clear(T->W);
        fmpq_mat_init(T->W, L.len, d0);
        fmpq_mat_t Wp, Z, Wx;
        fmpq_mat_init(Wp, k, L.len); fmpq_mat_init(Z, k, L.len); fmpq_mat_init(Wx, d0, L.len);
        for (slong u = 0; u < L.len; u++)
            for (slong a = 0; a < k; a++) fmpq_set(fmpq_mat_entry(Wp, a, u), L.w + u * k + a);
        if (k == d0) fmpq_mat_set(Wx, Wp);
        else {   /* w = B z with BtB z = w': then w . x^(n) = w' . c^(n) */
            ok = fmpq_mat_solve_fraction_free(Z, BtB, Wp);
            if (ok) fmpq_mat_mul(Wx, B, Z);
        }
        for (slong u = 0; u < L.len; u++)
            for (slong i = 0; i < d0; i++)
                fmpq_set(fmpq_mat_entry(T->W, u, i), fmpq_mat_entry(Wx, i, u));
        fmpq_mat_clear(Wp); fmpq_mat_clear(Z); fmpq_mat_clear(Wx);
    }
    tl_clear(&L);
    fmpq_mat_clear(R); fmpq_mat_clear(B); fmpq_mat_clear(Bt); fmpq_mat_clear(BtB); fmpq_mat_clear(C);
    flint_free(pc);
    if (!ok) {
        T->count = 0;
        return lmo_err_set(err, LMO_ELIMIT, "realizable patterns: arrangement too large to enumerate "
                           "(more than %ld line candidates) or internal error", (long) MAX_SUBSETS);
    }
    return LMO_OK;
}
