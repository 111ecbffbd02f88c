/*
 * dixon_lift.c -- one p-adic lifting of the Dixon solver: the residual
 * r' = (r + d_K b - A x) / p in int64, int128 or GMP mpz (the widths chosen
 * from the bound Rb, see dixon_internal.h), the three phases of a step on a
 * chunk of rows, and the digits of the random combinations.
 */
#include "dixon_internal.h"

/* b = columns [j0, j0 + kg) of B (comb NULL) or b = B comb (k x kg). */
int lmo_dx_lift_init(dx_lift_t *L, const dx_ctx_t *cx, const fmpz_mat_t B,
                     slong j0, slong kg, const fmpz_mat_t comb,
                     const int32_t *inj, slong ninj, int keep_digits,
                     int ncomb, lmo_rng_t *rng, int force_generic, int force_wide,
                     int nth)
{
    slong n = cx->n, N = n * kg, e, l, j, c;
    fmpz_t bmax, t, Rb;
    mp_bitcnt_t cap_bits;
    memset(L, 0, sizeof(*L));
    L->cx = cx;
    L->kg = kg;
    L->N = N;
    L->inj = inj;
    L->ninj = inj ? ninj : 0;
    L->keep_digits = keep_digits;
    L->ncomb = ncomb;
    L->nth = (nth > 1 && cx->npad >= 64) ? FLINT_MIN(nth, DX_MAXTH) : 1;
    {
        /* chunks of whole 16-row blocks; 4 per thread balance a late helper */
        slong nblk = cx->npad / 16;
        L->nch = (L->nth > 1) ? (int) FLINT_MIN(nblk, 4 * L->nth) : 1;
        for (c = 0; c <= L->nch; c++)
            L->rowc[c] = 16 * ((nblk * c) / L->nch);
    }
    /* epoch 0 is exhausted from the start: nothing to claim before the
     * main thread publishes the first phase */
    atomic_init(&L->sc.state, (uint64_t) L->nch);
    atomic_init(&L->sc.done, 0);
    atomic_init(&L->sc.quit, 0);
    atomic_init(&L->sc.solo, 0);
    L->sc.nchunks = L->nch;
    L->bz = _fmpz_vec_init(N);
    for (l = 0; l < n; l++)
        for (j = 0; j < kg; j++) {
            fmpz *dst = L->bz + l * kg + j;
            if (comb == NULL)
                fmpz_set(dst, fmpz_mat_entry(B, l, j0 + j));
            else {
                slong q;
                for (q = 0; q < fmpz_mat_ncols(B); q++)
                    fmpz_addmul(dst, fmpz_mat_entry(B, l, q), fmpz_mat_entry(comb, q, j));
            }
        }
    /* residual bound: |r_{i+1}| <= (|r_i| + h |b| [inj] + n |A| h) / p, so
     * |r| <= Rb = max(|b|, ceil((h |b| [inj] + n |A| h) / (p - 1))) for ever */
    fmpz_init(bmax); fmpz_init(t); fmpz_init(Rb);
    for (e = 0; e < N; e++)
        if (fmpz_cmpabs(L->bz + e, bmax) > 0)
            fmpz_abs(bmax, L->bz + e);
    fmpz_mul_ui(t, cx->amax, (ulong) n);
    if (inj)
        fmpz_add(t, t, bmax);
    fmpz_mul_ui(t, t, (ulong) cx->md.h);
    fmpz_cdiv_q_ui(Rb, t, cx->md.p - 1);
    if (fmpz_cmp(Rb, bmax) < 0)
        fmpz_set(Rb, bmax);
    L->fast = !force_generic && !force_wide && fmpz_bits(Rb) <= 61;
    L->wide = !force_generic && !L->fast && fmpz_bits(Rb) <= 125;
    /* generic: r, b <= Rb, |A x| <= n |A| h, |d_K b| <= h |b|; room for all */
    cap_bits = (mp_bitcnt_t) (FLINT_MAX(fmpz_bits(Rb), fmpz_bits(cx->amax)) + 3 * FLINT_BITS);
    fmpz_clear(bmax); fmpz_clear(t); fmpz_clear(Rb);

    L->bm = dx_alloc(sizeof(double) * N);
    L->rm = dx_alloc(sizeof(double) * N);
    L->xd = dx_alloc(sizeof(double) * N);
    L->yc = dx_alloc(sizeof(double) * cx->npad * kg);
    L->ya = dx_alloc(sizeof(double) * cx->T * cx->npad * kg);
    L->nz = flint_calloc(DX_MAXCH * kg + 1, sizeof(int));
    if (!L->bm || !L->rm || !L->xd || !L->yc || !L->ya)
        return -1;
    for (e = 0; e < N; e++)
        L->bm[e] = (double) dx_redz(L->bz + e, &cx->md);
    /* r_0 = b without injection (then b = A X_K + p^K r_K); r_0 = 0 with
     * injection, so that D_0 b = A X_0 + r_0 holds with D_0 = X_0 = 0 */
    if (L->fast) {
        L->r = dx_alloc(sizeof(int64_t) * N);
        L->b = dx_alloc(sizeof(int64_t) * N);
        if (!L->r || !L->b)
            return -1;
        for (e = 0; e < N; e++) {
            L->b[e] = (int64_t) fmpz_get_si(L->bz + e);
            L->r[e] = inj ? 0 : L->b[e];
        }
        _fmpz_vec_clear(L->bz, N);
        L->bz = NULL;
    } else if (L->wide) {
        L->rw = dx_alloc(sizeof(dx_i128) * N);
        L->bw = dx_alloc(sizeof(dx_i128) * N);
        if (!L->rw || !L->bw)
            return -1;
        for (e = 0; e < N; e++) {
            L->bw[e] = dx_fmpz_get_i128(L->bz + e);
            L->rw[e] = inj ? 0 : L->bw[e];
        }
        _fmpz_vec_clear(L->bz, N);
        L->bz = NULL;
    } else {
        L->rg = flint_malloc(sizeof(__mpz_struct) * N);
        L->bg = flint_malloc(sizeof(__mpz_struct) * N);
        for (e = 0; e < N; e++) {
            mpz_init2(L->rg + e, cap_bits);
            mpz_init2(L->bg + e, cap_bits);
            fmpz_get_mpz(L->bg + e, L->bz + e);
            if (!inj)
                mpz_set(L->rg + e, L->bg + e);
        }
        for (c = 0; c < DX_MAXCH; c++)
            mpz_init2(L->yg + c, cap_bits);
        _fmpz_vec_clear(L->bz, N);
        L->bz = NULL;
    }
    /* residual column flags of the initial state, all on chunk slot 0 */
    for (e = 0; e < N; e++)
        if (L->fast ? L->r[e] != 0 : L->wide ? L->rw[e] != 0 : mpz_sgn(L->rg + e) != 0)
            L->nz[e % kg] = 1;
    if (ncomb > 0) {
        /* weights in [-2^15, 2^15] */
        L->u = dx_alloc(sizeof(int64_t) * ncomb * N);
        L->cdig_cap = 64;
        if (!L->u)
            return -1;
        for (c = 0; c < ncomb; c++) {
            L->cdig[c] = flint_malloc(sizeof(int32_t) * L->cdig_cap);
            L->ccarry[c] = 0;
            for (e = 0; e < N; e++)
                L->u[c * N + e] = (int64_t) lmo_rng_below(rng, 65537) - 32768;
        }
    }
    if (keep_digits) {
        L->dig_cap = 64;
        L->dig = flint_malloc(sizeof(int32_t) * L->dig_cap * N);
    }
    return 0;
}

void lmo_dx_lift_clear(dx_lift_t *L)
{
    int c;
    slong e;
    if (L->bz) _fmpz_vec_clear(L->bz, L->N);
    if (L->rg) {
        for (e = 0; e < L->N; e++) {
            mpz_clear(L->rg + e);
            mpz_clear(L->bg + e);
        }
        for (c = 0; c < DX_MAXCH; c++)
            mpz_clear(L->yg + c);
        flint_free(L->rg);
        flint_free(L->bg);
    }
    free(L->r); free(L->b); free(L->rw); free(L->bw); free(L->bm); free(L->rm); free(L->xd);
    free(L->yc); free(L->ya); free(L->u);
    flint_free(L->nz);
    for (c = 0; c < L->ncomb; c++)
        flint_free(L->cdig[c]);
    if (L->dig) flint_free(L->dig);
    memset(L, 0, sizeof(*L));
}

/* is column j of the residual zero (j < 0: all columns)? between phases */
int lmo_dx_lift_zero(const dx_lift_t *L, slong j)
{
    slong t, c;
    for (t = 0; t < DX_MAXCH; t++)
        for (c = 0; c < L->kg; c++)
            if ((j < 0 || c == j) && L->nz[t * L->kg + c])
                return 0;
    return 1;
}

/* rows of chunk ch: padded [R0, R1), real [l0, l1) */
#define DX_ROWS(L, ch, R0, R1, l0, l1)                                        \
    slong R0 = (L)->rowc[ch], R1 = (L)->rowc[(ch) + 1];                        \
    slong l0 = FLINT_MIN(R0, (L)->cx->n), l1 = FLINT_MIN(R1, (L)->cx->n)

/* phase A of step K: rm = (r + d_K b) mod p on the chunk's rows.
 * EXACT: |r mod p| + |d_K| |b mod p| <= h + h^2 <= 2^52 */
void lmo_dx_phase_a(dx_lift_t *L, int ch, slong K)
{
    const dx_mod_t *md = &L->cx->md;
    const double p = md->pd, pinv = md->pinv, h = md->hd;
    const double dt = (L->inj && K < L->ninj) ? (double) L->inj[K] : 0.0;
    DX_ROWS(L, ch, R0, R1, l0, l1);
    slong e, e0 = l0 * L->kg, e1 = l1 * L->kg;
    (void) R0; (void) R1;
    if (L->fast) {
        for (e = e0; e < e1; e++)
            L->rm[e] = dx_redd((double) dx_red64(L->r[e], md) + dt * L->bm[e], p, pinv, h);
    } else if (L->wide) {
        for (e = e0; e < e1; e++)
            L->rm[e] = dx_redd((double) dx_red128(L->rw[e], md) + dt * L->bm[e], p, pinv, h);
    } else {
        for (e = e0; e < e1; e++)
            L->rm[e] = dx_redd((double) dx_redmpz(L->rg + e, md) + dt * L->bm[e], p, pinv, h);
    }
}

/* phase B: digit x = C rm mod p on the chunk's rows; partial sums of the
 * combinations */
void lmo_dx_phase_b(dx_lift_t *L, int ch, slong K)
{
    const dx_ctx_t *cx = L->cx;
    const dx_mod_t *md = &cx->md;
    const double p = md->pd, pinv = md->pinv, h = md->hd;
    const slong npad = cx->npad, kg = L->kg, N = L->N;
    DX_ROWS(L, ch, R0, R1, l0, l1);
    slong l, j, e;
    int c;
    /* EXACT: n h^2 <= 2^52 (choice of h) */
    lmo_dx_pm_mul(L->yc + R0, npad, &cx->C, R0, R1, L->rm, kg);
    if (md->simd) {
        for (j = 0; j < kg; j++)
            lmo_dx_red_array(L->yc + j * npad + l0, l1 - l0, md);
        for (l = l0; l < l1; l++)
            for (j = 0; j < kg; j++)
                L->xd[l * kg + j] = L->yc[j * npad + l];
    } else {
        for (l = l0; l < l1; l++)
            for (j = 0; j < kg; j++)
                L->xd[l * kg + j] = dx_redd(L->yc[j * npad + l], p, pinv, h);
    }
    if (L->keep_digits) {
        int32_t *dg = L->dig + K * N;
        for (e = l0 * kg; e < l1 * kg; e++)
            dg[e] = (int32_t) L->xd[e];
    }
    for (c = 0; c < L->ncomb; c++) {
        const int64_t *u = L->u + c * N;
        dx_i128 s = 0;
        int64_t s64 = 0;
        slong cnt = 0;
        /* int64 blocks of 2^20 terms: |u x| <= 2^15 2^26, so a block sum
         * stays below 2^61 */
        for (e = l0 * kg; e < l1 * kg; e++) {
            s64 += u[e] * (int64_t) L->xd[e];
            if (++cnt == (WORD(1) << 20)) { s += s64; s64 = 0; cnt = 0; }
        }
        L->part[K & 1][ch][c] = s + s64;
    }
}

/* phase C: residual update on the chunk's rows, then phase A of step K + 1
 * on the same rows (it needs nothing else).
 * EXACT: n Lmax h <= 2^53 (choice of h) for the products A_t x. */
void lmo_dx_phase_c(dx_lift_t *L, int ch, slong K)
{
    const dx_ctx_t *cx = L->cx;
    const dx_mod_t *md = &cx->md;
    const slong npad = cx->npad, kg = L->kg, lda = (slong) cx->T * npad;
    const int64_t dt = (L->inj && K < L->ninj) ? L->inj[K] : 0;
    DX_ROWS(L, ch, R0, R1, l0, l1);
    slong l, j;
    int t;
    int *nz = L->nz + ch * kg;
    for (t = 0; t < cx->T; t++)
        lmo_dx_pm_mul(L->ya + t * npad + R0, lda, &cx->Al, t * npad + R0, t * npad + R1, L->xd, kg);
    for (j = 0; j < kg; j++)
        nz[j] = 0;
    /* int64 / int128: the new residual satisfies |r'| <= Rb < 2^61 (2^125,
     * lmo_dx_lift_init), and r + d_K b - A x = p r' exactly; computing the left
     * side modulo 2^64 (2^128) and multiplying by p^-1 modulo the same power
     * therefore gives r' exactly. UT, ST: unsigned and signed types of W bits. */
#define DX_RESIDUAL_FIXED(UT, ST, W, R, B, PINV)                               \
    for (l = l0; l < l1; l++)                                                  \
        for (j = 0; j < kg; j++) {                                             \
            const slong e = l * kg + j;                                        \
            const double *yp = L->ya + j * lda + l;                            \
            UT y = 0;                                                          \
            ST rn;                                                             \
            for (t = 0; t < cx->T; t++) {                                      \
                int sh = cx->gam * t;                                          \
                if (sh < (W))                                                  \
                    y += (UT) (ST) (int64_t) yp[t * npad] << sh;               \
            }                                                                  \
            rn = (ST) (((UT) (R)[e] + (UT) (ST) dt * (UT) (B)[e] - y) * (PINV)); \
            (R)[e] = rn;                                                       \
            nz[j] |= (rn != 0);                                                \
        }
    if (L->fast) {
        DX_RESIDUAL_FIXED(uint64_t, int64_t, 64, L->r, L->b, md->pinv64);
    } else if (L->wide) {
        DX_RESIDUAL_FIXED(dx_u128, dx_i128, 128, L->rw, L->bw, md->pinv128);
    } else {
        /* in place in the preallocated mpz: no allocation in the loop */
        mpz_ptr y = L->yg + ch;
        for (l = l0; l < l1; l++)
            for (j = 0; j < kg; j++) {
                const slong e = l * kg + j;
                const double *yp = L->ya + j * lda + l;
                mpz_ptr re = L->rg + e;
                mpz_set_si(y, (slong) (int64_t) yp[(cx->T - 1) * npad]);
                for (t = cx->T - 2; t >= 0; t--) {
                    int64_t v = (int64_t) yp[t * npad];
                    mpz_mul_2exp(y, y, (mp_bitcnt_t) cx->gam);
                    if (v >= 0) mpz_add_ui(y, y, (ulong) v);
                    else mpz_sub_ui(y, y, (ulong) -v);
                }
                if (dt > 0)
                    mpz_addmul_ui(re, L->bg + e, (ulong) dt);
                else if (dt < 0)
                    mpz_submul_ui(re, L->bg + e, (ulong) -dt);
                mpz_sub(re, re, y);
                mpz_divexact_ui(re, re, md->p);
                nz[j] |= (mpz_sgn(re) != 0);
            }
    }
#undef DX_RESIDUAL_FIXED
    lmo_dx_phase_a(L, ch, K + 1);
}

/* control point of step K (main thread, between phases): fold the
 * combination digit K - 1 */
void lmo_dx_comb_fold(dx_lift_t *L, slong K)
{
    const dx_mod_t *md = &L->cx->md;
    int c, t;
    if (K == 0)
        return;
    if (K - 1 >= L->cdig_cap) {
        L->cdig_cap *= 2;
        for (c = 0; c < L->ncomb; c++)
            L->cdig[c] = flint_realloc(L->cdig[c], sizeof(int32_t) * L->cdig_cap);
    }
    for (c = 0; c < L->ncomb; c++) {
        dx_i128 v = L->ccarry[c], q;
        int64_t dgt;
        for (t = 0; t < L->nch; t++)
            v += L->part[(K - 1) & 1][t][c];
        dgt = (int64_t) (v % (dx_i128) md->p);
        if (dgt > md->h) dgt -= (int64_t) md->p;
        else if (dgt < -md->h) dgt += (int64_t) md->p;
        q = (v - dgt) / (dx_i128) md->p;
        L->ccarry[c] = q;
        L->cdig[c][K - 1] = (int32_t) dgt;
    }
}
