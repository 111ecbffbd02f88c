/* dixon_kernel.c -- the exact kernel check L X + den R == 0 of
 * lmo/linalg/dixon.h: one big dgemm whose every dot product is exact, then
 * the base-2^beta digits carried in int128. */
#include "dixon_internal.h"
#include <cblas.h>   /* last: it pulls in <complex.h> (macro I) */

/* |x| split in balanced chunks of w bits: x = sum_t out[t stride] 2^(w t),
 * |out| <= 2^(w-1); T must be >= (bits(x) + 1) / w rounded up. */
static void dx_chunks(double *out, slong stride, const fmpz_t x, int w, slong T)
{
    const mp_limb_t *d;
    mp_limb_t small;
    slong nl, t;
    int neg = fmpz_sgn(x) < 0;
    int64_t carry = 0;
    const int64_t half = (int64_t) 1 << (w - 1), full = (int64_t) 1 << w;
    if (!COEFF_IS_MPZ(*x)) {
        slong v = *x;
        small = (mp_limb_t) (v < 0 ? -(ulong) v : (ulong) v);
        d = &small;
        nl = (small != 0);
    } else {
        __mpz_struct *z = COEFF_TO_PTR(*x);
        d = z->_mp_d;
        nl = FLINT_ABS(z->_mp_size);
    }
    for (t = 0; t < T; t++) {
        ulong bit = (ulong) t * (ulong) w;
        slong li = (slong) (bit / FLINT_BITS);
        int sh = (int) (bit % FLINT_BITS);
        uint64_t raw = 0;
        int64_t c;
        if (li < nl) {
            raw = d[li] >> sh;
            if (sh + w > FLINT_BITS && li + 1 < nl)
                raw |= d[li + 1] << (FLINT_BITS - sh);
            raw &= (uint64_t) full - 1;
        }
        c = (int64_t) raw + carry;
        /* the top chunk keeps the carry: T >= (bits + 1) / w makes it
         * <= 2^(w-1) in magnitude */
        if (c >= half && t + 1 < T) { c -= full; carry = 1; } else carry = 0;
        out[t * stride] = (double) (neg ? -c : c);
    }
}

int lmo_zmat_check_kernel(const fmpz_mat_t L, const fmpz_mat_t X,
                          const fmpz_t den, const fmpz_mat_t R)
{
    const slong m = fmpz_mat_nrows(L), r = fmpz_mat_ncols(L), k = fmpz_mat_ncols(X);
    slong i, j, bL = 0, bX = 0, bE = 0;
    int result = 1;
    if (fmpz_mat_nrows(X) != r || fmpz_mat_nrows(R) != m || fmpz_mat_ncols(R) != k)
        return 0;
    if (m == 0 || k == 0)
        return 1;
    for (i = 0; i < m; i++)
        for (j = 0; j < r; j++)
            bL = FLINT_MAX(bL, (slong) fmpz_bits(fmpz_mat_entry(L, i, j)));
    for (i = 0; i < r; i++)
        for (j = 0; j < k; j++)
            bX = FLINT_MAX(bX, (slong) fmpz_bits(fmpz_mat_entry(X, i, j)));
    for (i = 0; i < m; i++)
        for (j = 0; j < k; j++)
            bE = FLINT_MAX(bE, (slong) fmpz_bits(fmpz_mat_entry(R, i, j)));
    bE += fmpz_bits(den);
    if (r == 0 || bL == 0 || bX == 0) {
        /* L X = 0: need den R = 0 */
        if (fmpz_is_zero(den))
            return 1;
        for (i = 0; i < m; i++)
            for (j = 0; j < k; j++)
                if (!fmpz_is_zero(fmpz_mat_entry(R, i, j)))
                    return 0;
        return 1;
    }
    {
        /* Choose gamma (limb width of L, TL limbs) and beta (chunk width of
         * X, TX chunks) minimising TL * TX subject to
         *   r * Lm * 2^(beta-1) <= 2^53,  Lm = max |limb of L|,
         * which makes every dot product of the dgemm below exact. */
        int gam, bestg = 0, bestb = 0, beta;
        slong TL = 0, TX = 0, bestcost = WORD_MAX, lg2r = 0, TE, PP, mb, TLb = 0;
        while ((WORD(1) << lg2r) < r) lg2r++;
        for (gam = 2; gam <= 52; gam++) {
            slong tl = (bL + 1 + gam - 1) / gam, tx, cost;
            /* lower limbs <= 2^(gam-1); the top limb is < 2^(bL - gam (tl-1))
             * plus a carry, <= 2^(gam - 1) since bL + 1 <= gam tl */
            int lmb = (tl == 1) ? (int) bL : gam - 1;  /* Lm <= 2^lmb */
            beta = 53 - lmb - (int) lg2r + 1;           /* r 2^lmb 2^(beta-1) <= 2^53 */
            if (beta < 2)
                continue;
            beta = FLINT_MIN(beta, 52);
            tx = (bX + 1 + beta - 1) / beta + 1;
            cost = tl * tx;
            if (cost < bestcost) { bestcost = cost; bestg = gam; bestb = beta; TLb = tl; }
        }
        if (bestg == 0)
            return 0;   /* r >= 2^51: not reachable with the caps */
        gam = bestg; beta = bestb; TL = TLb;
        TX = (bX + 1 + beta - 1) / beta + 1;
        TE = (bE + 1 + beta - 1) / beta + 1;
        {
            slong offmax = (gam * (TL - 1)) / beta;
            PP = FLINT_MAX(TX + offmax + 1, TE) + 1;
        }
        mb = FLINT_MAX(1, FLINT_MIN(m, (WORD(1) << 20) / FLINT_MAX(1, TL * k * TX)));
        mb = FLINT_MAX(mb, FLINT_MIN(m, 8));
        {
            double *Xc = dx_alloc(sizeof(double) * r * k * TX);
            double *Ls = dx_alloc(sizeof(double) * TL * mb * r);
            double *S = dx_alloc(sizeof(double) * TL * mb * k * TX);
            double *Ec = dx_alloc(sizeof(double) * TE);
            fmpz_t e, t, q;
            slong i0, kT = k * TX, a;
            int *off = flint_malloc(sizeof(int) * TL), *sh = flint_malloc(sizeof(int) * TL);
            if (!Xc || !Ls || !S || !Ec) { result = 0; goto chk_done; }
            fmpz_init(e); fmpz_init(t); fmpz_init(q);
            for (a = 0; a < TL; a++) {
                off[a] = (int) ((gam * a) / beta);
                sh[a] = (int) ((gam * a) % beta);
            }
            for (i = 0; i < r; i++)
                for (j = 0; j < k; j++)
                    dx_chunks(Xc + i * kT + j * TX, 1, fmpz_mat_entry(X, i, j), beta, TX);
            for (i0 = 0; i0 < m && result; i0 += mb) {
                slong rows = FLINT_MIN(mb, m - i0);
                /* Ls: limb a of row i at row a*rows + i */
                for (i = 0; i < rows; i++)
                    for (j = 0; j < r; j++)
                        dx_chunks(Ls + i * r + j, rows * r, fmpz_mat_entry(L, i0 + i, j), gam, TL);
                /* EXACT: r * max|limb| * max|chunk| <= 2^53 (choice of gam, beta) */
                cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int) (TL * rows),
                            (int) kT, (int) r, 1.0, Ls, (int) r, Xc, (int) kT, 0.0, S, (int) kT);
                for (i = 0; i < rows && result; i++)
                    for (j = 0; j < k && result; j++) {
                        dx_i128 carry = 0;
                        slong pos;
                        const dx_i128 mask = ((dx_i128) 1 << beta) - 1;
                        fmpz_mul(e, den, fmpz_mat_entry(R, i0 + i, j));
                        dx_chunks(Ec, 1, e, beta, TE);
                        for (pos = 0; pos < PP; pos++) {
                            dx_i128 acc = carry;
                            if (pos < TE)
                                acc += (dx_i128) (int64_t) Ec[pos];
                            for (a = 0; a < TL; a++) {
                                slong tt = pos - off[a];
                                if (tt >= 0 && tt < TX)
                                    acc += (dx_i128) (int64_t) S[(a * rows + i) * kT + j * TX + tt]
                                           * ((dx_i128) 1 << sh[a]);   /* a << of a negative value is UB */
                            }
                            if ((acc & mask) != 0) { result = 0; break; }
                            carry = acc / ((dx_i128) 1 << beta);
                        }
                        if (result && carry != 0)
                            result = 0;
                    }
            }
            fmpz_clear(e); fmpz_clear(t); fmpz_clear(q);
chk_done:
            free(Xc); free(Ls); free(S); free(Ec);
            flint_free(off); flint_free(sh);
        }
    }
    return result;
}
