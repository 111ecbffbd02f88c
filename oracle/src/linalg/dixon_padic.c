/*
 * dixon_padic.c -- balanced base-p digits and integers for the Dixon solver:
 * the digits of the multiplier D, the value of a digit string (divide and
 * conquer over the table p^(2^j)), the conversion of the numerators Y, and
 * the stopping rules of steps 2 and 3 (rational reconstruction of the
 * combinations' digits).
 */
#include <math.h>
#include <flint/fmpq.h>
#include "dixon_internal.h"

void lmo_dx_pow_init(dx_pow_t *P, ulong p)
{
    P->p = p;
    P->log2p = log2((double) p);
    P->len = 1;
    P->pw = flint_malloc(sizeof(mp_limb_t *));
    P->pn = flint_malloc(sizeof(slong));
    P->pw[0] = flint_malloc(sizeof(mp_limb_t));
    P->pw[0][0] = p;
    P->pn[0] = 1;
}

void lmo_dx_pow_clear(dx_pow_t *P)
{
    slong j;
    for (j = 0; j < P->len; j++)
        flint_free(P->pw[j]);
    flint_free(P->pw);
    flint_free(P->pn);
}

/* extend the table to cover K <= Kmax (single-threaded callers only) */
void lmo_dx_pow_ensure(dx_pow_t *P, slong Kmax)
{
    slong len = P->len, j;
    while ((WORD(1) << len) < Kmax + 1)
        len++;
    if (len == P->len)
        return;
    P->pw = flint_realloc(P->pw, sizeof(mp_limb_t *) * len);
    P->pn = flint_realloc(P->pn, sizeof(slong) * len);
    for (j = P->len; j < len; j++) {
        slong a = P->pn[j - 1], s = 2 * a;
        P->pw[j] = flint_malloc(sizeof(mp_limb_t) * s);
        mpn_sqr(P->pw[j], P->pw[j - 1], a);
        while (s > 0 && P->pw[j][s - 1] == 0) s--;
        P->pn[j] = s;
    }
    P->len = len;
}

/* limbs needed for a K-digit number, with slack */
static slong dx_room(const dx_pow_t *P, slong K)
{
    return (slong) ((double) K * P->log2p / FLINT_BITS) + 4;
}

/* U = sum_{t<K} u_t p^t, 0 <= u_t < p; returns the limb count of U (in
 * out); sc: scratch of >= 6 dx_room(K) + 64 limbs */
static slong dx_convu(mp_ptr out, const uint32_t *u, slong K, const dx_pow_t *P, mp_ptr sc)
{
    slong hl, nlo, nhi, np, szh, n;
    int j;
    mp_ptr hi, prod;
    if (K <= 32) {
        /* Horner, two digits at a time: acc = acc p^2 + (u_t p + u_{t-1}),
         * each factor < p^2 < 2^54 fits a limb */
        const mp_limb_t p = P->p, p2 = p * p;
        slong t = K - 1;
        mp_limb_t cy;
        n = 0;
        if (K & 1) {
            out[0] = u[K - 1];
            n = (out[0] != 0);
            t = K - 2;
        }
        for (; t >= 1; t -= 2) {
            mp_limb_t v = (mp_limb_t) u[t] * p + u[t - 1];
            if (n > 0) {
                cy = mpn_mul_1(out, out, n, p2);
                if (cy) out[n++] = cy;
                cy = mpn_add_1(out, out, n, v);
                if (cy) out[n++] = cy;
            } else if (v != 0) {
                out[0] = v;
                n = 1;
            }
        }
        return n;
    }
    hl = 32; j = 5;
    while (2 * hl < K) { hl *= 2; j++; }
    nlo = dx_convu(out, u, hl, P, sc);
    szh = dx_room(P, K - hl);
    hi = sc;
    nhi = dx_convu(hi, u + hl, K - hl, P, sc + szh);
    if (nhi == 0) {
        if (nlo == 0) return 0;
        return nlo;
    }
    prod = sc + szh;
    if (P->pn[j] >= nhi)
        mpn_mul(prod, P->pw[j], P->pn[j], hi, nhi);
    else
        mpn_mul(prod, hi, nhi, P->pw[j], P->pn[j]);
    np = P->pn[j] + nhi;
    if (nlo > 0)
        out[np] = mpn_add(out, prod, np, out, nlo);   /* lo < p^hl <= prod */
    else {
        mpn_copyi(out, prod, np);
        out[np] = 0;
    }
    n = np + 1;
    while (n > 0 && out[n - 1] == 0) n--;
    return n;
}

void lmo_dx_cbuf_init(dx_cbuf_t *B) { memset(B, 0, sizeof(*B)); }

void lmo_dx_cbuf_clear(dx_cbuf_t *B)
{
    flint_free(B->u); flint_free(B->out); flint_free(B->sc); flint_free(B->pK);
    memset(B, 0, sizeof(*B));
}

static void dx_cbuf_fit(dx_cbuf_t *B, const dx_pow_t *P, slong K)
{
    slong room = dx_room(P, K);
    if (K > B->cap) {
        B->cap = K;
        B->u = flint_realloc(B->u, sizeof(uint32_t) * (K + 1));
        B->out = flint_realloc(B->out, sizeof(mp_limb_t) * (room + 8));
        B->sc = flint_realloc(B->sc, sizeof(mp_limb_t) * (6 * room + 64));
        B->pK = flint_realloc(B->pK, sizeof(mp_limb_t) * (room + 8));
        B->K = -1;
    }
    if (B->K != K) {
        /* p^K as limbs, by the binary expansion of K */
        fmpz_t a, b;
        slong j;
        fmpz_init(a); fmpz_init(b);
        fmpz_one(a);
        for (j = 0; j < P->len; j++)
            if ((K >> j) & 1) {
                fmpz_set_ui_array(b, P->pw[j], P->pn[j]);
                fmpz_mul(a, a, b);
            }
        B->npK = fmpz_size(a);
        fmpz_get_ui_array(B->pK, B->npK, a);
        fmpz_clear(a); fmpz_clear(b);
        B->K = K;
    }
}

/* out = U - [neg] p^K with U = sum_{t<K} u[t] p^t, 0 <= u[t] < p; if mod
 * is set, out = U (the value mod p^K) */
static void dx_udigits_get(fmpz_t out, const uint32_t *u, int neg, slong K,
                           const dx_pow_t *P, dx_cbuf_t *B, int mod)
{
    slong n;
    if (K == 0) { fmpz_zero(out); return; }
    dx_cbuf_fit(B, P, K);
    n = dx_convu(B->out, u, K, P, B->sc);
    if (!neg || mod) {
        fmpz_set_ui_array(out, B->out, n);
        return;
    }
    /* negative: |value| = p^K - U, U < p^K */
    if (n < B->npK)
        memset(B->out + n, 0, sizeof(mp_limb_t) * (B->npK - n));
    mpn_sub_n(B->out, B->pK, B->out, B->npK);
    n = B->npK;
    while (n > 0 && B->out[n - 1] == 0) n--;
    fmpz_set_ui_array(out, B->out, n);
    fmpz_neg(out, out);
}

/* out = sum_{t<K} dig[t stride] p^t (balanced digits), exactly; if mod is
 * set, out = that value mod p^K in [0, p^K) instead */
static void dx_digits_get(fmpz_t out, const int32_t *dig, slong stride, slong K,
                          const dx_pow_t *P, dx_cbuf_t *B, int mod)
{
    slong t;
    int64_t borrow = 0;
    if (K == 0) { fmpz_zero(out); return; }
    dx_cbuf_fit(B, P, K);
    /* to digits in [0, p): value = U - borrow_out p^K */
    for (t = 0; t < K; t++) {
        int64_t v = (int64_t) dig[t * stride] + borrow;
        if (v < 0) { v += (int64_t) P->p; borrow = -1; } else borrow = 0;
        B->u[t] = (uint32_t) v;
    }
    dx_udigits_get(out, B->u, borrow != 0, K, P, B, mod);
}

/* balanced base-p digits of D > 0 */
int32_t *lmo_dx_digits_of(slong *len, const fmpz_t D, const dx_mod_t *md)
{
    slong cap = (slong) ((double) fmpz_bits(D) / (md->log2p - 1.0)) + 4, K = 0;
    int32_t *dg = flint_malloc(sizeof(int32_t) * cap);
    fmpz_t t;
    fmpz_init_set(t, D);
    while (!fmpz_is_zero(t)) {
        int64_t x = dx_redz(t, md);
        if (K >= cap) { cap *= 2; dg = flint_realloc(dg, sizeof(int32_t) * cap); }
        dg[K++] = (int32_t) x;
        fmpz_sub_si(t, t, (slong) x);
        fmpz_divexact_ui(t, t, md->p);
    }
    fmpz_clear(t);
    *len = K;
    return dg;
}

void *lmo_dx_conv_main(void *arg)
{
    /* entries in blocks of 64: the digits of step t for 64 consecutive
     * entries are 4 cache lines (a column walk would miss on every digit) */
    enum { BLK = 64 };
    dx_conv_job_t *C = arg;
    const dx_lift_t *L = C->L;
    const slong K = L->K, N = L->N;
    const int64_t p = (int64_t) C->P->p;
    dx_cbuf_t cb;
    uint32_t *u = flint_malloc(sizeof(uint32_t) * BLK * (K + 1));
    slong e0, e, t;
    lmo_dx_cbuf_init(&cb);
    for (e0 = C->e0; e0 < C->e1; e0 += BLK) {
        slong nb = FLINT_MIN(BLK, C->e1 - e0), b;
        int64_t borrow[BLK];
        for (b = 0; b < nb; b++)
            borrow[b] = 0;
        /* digits to [0, p) with borrows: value = U - [borrow] p^K */
        for (t = 0; t < K; t++) {
            const int32_t *dg = L->dig + t * N + e0;
            for (b = 0; b < nb; b++) {
                int64_t v = (int64_t) dg[b] + borrow[b];
                borrow[b] = (v < 0) ? -1 : 0;
                u[b * K + t] = (uint32_t) (v < 0 ? v + p : v);
            }
        }
        for (b = 0; b < nb; b++) {
            e = e0 + b;
            dx_udigits_get(fmpz_mat_entry(C->Y, e / L->kg, e % L->kg), u + b * K,
                           borrow[b] != 0, K, C->P, &cb, 0);
        }
    }
    flint_free(u);
    lmo_dx_cbuf_clear(&cb);
    return NULL;
}

void *lmo_dx_conv_thread(void *arg)
{
    lmo_dx_conv_main(arg);
    flint_cleanup();
    return NULL;
}

/* control, thread 0, at state K (K digits done). Returns 1 to stop. */
int lmo_dx_control(dx_job_t *J, slong K)
{
    dx_lift_t *L = &J->L;
    int c, stop = 0;
    L->K = K;
    lmo_dx_comb_fold(L, K);
    if (J->phase == 2) {
        /* columns are random combinations; combination c looks at column c */
        int all = 1;
        for (c = 0; c < L->kg; c++) {
            if (!J->done[c] && lmo_dx_lift_zero(L, c))
                J->done[c] = 1;              /* z integral: denominator 1 */
            all &= J->done[c];
        }
        if (!all && (K >= J->next || K >= J->K_cap)) {
            double t0 = dx_now();
            fmpz_t a, m, Nb, nn, dd;
            fmpz_init(a); fmpz_init(m); fmpz_init(Nb); fmpz_init(nn); fmpz_init(dd);
            all = 1;
            for (c = 0; c < L->kg; c++) {
                if (!J->done[c]) {
                    dx_digits_get(a, L->cdig[c], 1, K, J->P, &J->cb, 1);
                    fmpz_set_ui_array(m, J->cb.pK, J->cb.npK);
                    /* bounds N = D = sqrt(p^K / 2^67): the answer is unique
                     * (2ND < p^K) with a 2^66 margin against accidental
                     * small fractions */
                    fmpz_fdiv_q_2exp(Nb, m, 67);
                    fmpz_sqrt(Nb, Nb);
                    if (!fmpz_is_zero(Nb) && _fmpq_reconstruct_fmpz_2(nn, dd, a, m, Nb, Nb)) {
                        fmpz_lcm(J->d, J->d, dd);
                        J->done[c] = 1;
                    }
                }
                all &= J->done[c];
            }
            fmpz_clear(a); fmpz_clear(m); fmpz_clear(Nb); fmpz_clear(nn); fmpz_clear(dd);
            J->next = K + FLINT_MAX(4, K / 8);
            J->t_recon += dx_now() - t0;
        }
        if (all) { J->status = 0; stop = 1; }
        else if (K >= J->K_cap) { J->status = -1; stop = 1; }
    } else {
        /* D B = A Y_K + p^K R_K exactly; R_K = 0 with all of D injected
         * proves A Y_K = D B */
        if (K >= L->ninj && lmo_dx_lift_zero(L, -1)) { J->status = 0; stop = 1; }
        else if (K >= J->next || K >= J->K_cap) {
            /* look for a small denominator (<= 2^64) of the combinations */
            fmpz_t a, m, Nb, Db, nn, dd;
            int found = 0;
            double t0 = dx_now();
            fmpz_init(a); fmpz_init(m); fmpz_init(Nb); fmpz_init(Db); fmpz_init(nn); fmpz_init(dd);
            fmpz_one(Db);
            fmpz_mul_2exp(Db, Db, 64);
            for (c = 0; c < L->ncomb; c++) {
                dx_digits_get(a, L->cdig[c], 1, K, J->P, &J->cb, 1);
                fmpz_set_ui_array(m, J->cb.pK, J->cb.npK);
                fmpz_fdiv_q_2exp(Nb, m, 131);        /* 2 Nb Db <= p^K / 2^66 */
                if (!fmpz_is_zero(Nb) && _fmpq_reconstruct_fmpz_2(nn, dd, a, m, Nb, Db)
                    && !fmpz_is_one(dd)) {
                    fmpz_lcm(J->d, J->d, dd);
                    found = 1;
                }
            }
            fmpz_clear(a); fmpz_clear(m); fmpz_clear(Nb); fmpz_clear(Db); fmpz_clear(nn); fmpz_clear(dd);
            J->next = K + FLINT_MAX(4, K / 8);
            J->t_recon += dx_now() - t0;
            if (found) { J->status = 1; stop = 1; }
        }
        if (!stop && K >= J->K_cap) { J->status = -1; stop = 1; }
    }
    return stop;
}
