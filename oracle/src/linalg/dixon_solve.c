/*
 * dixon_solve.c -- exact A X = B by Dixon p-adic lifting (lmo/linalg/dixon.h):
 * the prime and the limbs of A, the caps, step 2 (denominator) and step 3
 * (numerators, repaired when a denominator factor was missed), the minimal
 * denominator, and FLINT's solver as the last resort.
 */
#include <math.h>
#include <pthread.h>
#include <flint/fmpq.h>
#include <flint/fmpq_mat.h>
#include "dixon_internal.h"

/* ------------------------------------------------------------------ */
/* lifting context: prime, limbs of A                                  */
/* ------------------------------------------------------------------ */

/* balanced split of a into T limbs of gam bits (the top limb takes the
 * rest; |top| < 2^31 by the choice of T, gam) */
static void dx_split_fmpz(double *out, const fmpz_t a, int gam, int T, fmpz_t t, fmpz_t q)
{
    int s;
    if (!COEFF_IS_MPZ(*a)) {
        /* word-size entry: the same balanced split in slong arithmetic */
        slong v = *a;
        const slong full = WORD(1) << gam, half = full >> 1;
        for (s = 0; s < T - 1; s++) {
            slong lo = v & (full - 1);            /* v mod 2^gam, two's complement */
            if (lo >= half)
                lo -= full;
            out[s] = (double) lo;
            v = (v - lo) / full;                  /* exact */
        }
        out[T - 1] = (double) v;
        return;
    }
    fmpz_set(t, a);
    for (s = 0; s < T - 1; s++) {
        slong lo;
        fmpz_fdiv_r_2exp(q, t, gam);               /* 0 <= q < 2^gam */
        lo = fmpz_get_si(q);
        if (lo >= (WORD(1) << (gam - 1)))
            lo -= (WORD(1) << gam);
        out[s] = (double) lo;
        fmpz_sub_si(t, t, lo);
        fmpz_fdiv_q_2exp(t, t, gam);               /* exact */
    }
    out[T - 1] = (double) fmpz_get_si(t);
}

/* Choose T, gam to minimise (1 + T) / log2 p subject to the exactness
 * bounds and |limbs| < 2^31; sets cx->T, cx->gam, returns h_max (0: none). */
static int64_t dx_choose_limbs(dx_ctx_t *cx, slong n, const fmpz_t amax)
{
    /* C r: n h^2 <= 2^52 and the inverse needs (n+1) h^2 <= 2^52 */
    double hC = floor(sqrt(DX_TWO52 / (double) (n + 1)));
    slong bA = fmpz_bits(amax);
    double best = 1e300;
    int T, gam, bestT = 0, bestg = 0;
    int64_t besth = 0;
    fmpz_t top;
    fmpz_init(top);
    while (hC * hC * (double) (n + 1) > DX_TWO52) hC -= 1.0;
    for (T = 1; T <= DX_MAXT; T++) {
        int g0 = (int) ((bA + 1 + T - 1) / T);
        for (gam = g0 - 3; gam <= g0 + 1; gam++) {
            double Lm, hA, h, cost;
            if (gam < 2 || gam > 31)
                continue;
            /* top limb <= |A| / 2^(gam (T-1)) + 1 */
            fmpz_fdiv_q_2exp(top, amax, (ulong) gam * (T - 1));
            fmpz_add_ui(top, top, 1);
            if (fmpz_bits(top) > 31)
                continue;
            Lm = (T == 1) ? 0.0 : ldexp(1.0, gam - 1);
            Lm = FLINT_MAX(Lm, (double) fmpz_get_si(top));
            /* A x: n Lm h <= 2^53 */
            hA = floor(2.0 * DX_TWO52 / ((double) n * Lm));
            h = FLINT_MIN(hC, hA);
            if (h < 4096.0)
                continue;
            cost = (1.0 + T) / log2(2.0 * h + 1.0);
            if (cost < best) { best = cost; bestT = T; bestg = gam; besth = (int64_t) h; }
        }
        if (bestT > 0 && T > bestT + 2)
            break;
    }
    fmpz_clear(top);
    cx->T = bestT;
    cx->gam = bestg;
    return besth;
}

static void dx_ctx_clear(dx_ctx_t *cx)
{
    lmo_dx_pm_clear(&cx->C);
    lmo_dx_pm_clear(&cx->Al);
    fmpz_clear(cx->amax);
}

/* random prime p <= 2 hmax + 1 from the top sixteenth of the range */
static ulong dx_random_prime(lmo_rng_t *rng, int64_t hmax, ulong avoid)
{
    ulong pmax = 2 * (ulong) hmax + 1, lo = pmax - pmax / 16, x;
    int tries;
    for (tries = 0; tries < 1000; tries++) {
        x = lo + lmo_rng_below(rng, pmax - lo + 1);
        x |= 1;
        while (x > lo && (x > pmax || x == avoid || !n_is_prime(x)))
            x -= 2;
        if (x > lo && x <= pmax && x != avoid && n_is_prime(x))
            return x;
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* bounds for the caps (log2, generous; a cap only triggers a fallback) */
/* ------------------------------------------------------------------ */

/* log2 of the Euclidean norm of column j of M, upper bound */
static double dx_log2_colnorm(const fmpz_mat_t M, slong j)
{
    slong i, r = fmpz_mat_nrows(M), e = 0;
    double s = 0.0;
    int small = 1;
    for (i = 0; i < r && small; i++) {
        slong v = *fmpz_mat_entry(M, i, j);
        if (COEFF_IS_MPZ(v) || FLINT_ABS(v) >= (WORD(1) << 52))
            small = 0;
        else
            s += (double) v * (double) v;       /* relative error ~ r 2^-53 */
    }
    if (small)
        return (s == 0.0) ? -1e300 : 0.5 * log2(s) + 1e-6;
    s = 0.0;
    for (i = 0; i < r; i++)
        e = FLINT_MAX(e, (slong) fmpz_bits(fmpz_mat_entry(M, i, j)));
    if (e == 0)
        return -1e300;
    for (i = 0; i < r; i++) {
        slong ex;
        double m = fmpz_get_d_2exp(&ex, fmpz_mat_entry(M, i, j));
        double v = ldexp(fabs(m), (int) (ex - e));
        s += v * v;
    }
    return (double) e + 0.5 * log2(s) + 1e-6;
}

/* log2 H_A (Hadamard bound of A) and log2 H_X (bound on |det A_ij|, A with
 * one column replaced by a column of B) */
static void dx_hadamard(double *lHA, double *lHX, const fmpz_mat_t A, const fmpz_mat_t B)
{
    slong r = fmpz_mat_nrows(A), j;
    double sum = 0.0, mn = 1e300, bmax = -1e300;
    for (j = 0; j < r; j++) {
        double v = dx_log2_colnorm(A, j);
        sum += v;
        mn = FLINT_MIN(mn, v);
    }
    for (j = 0; j < fmpz_mat_ncols(B); j++)
        bmax = FLINT_MAX(bmax, dx_log2_colnorm(B, j));
    *lHA = sum;
    *lHX = (bmax < -1e299) ? 0.0 : sum - mn + FLINT_MAX(bmax, mn);
    if (*lHA < 0) *lHA = 0;
    if (*lHX < 0) *lHX = 0;
}

/* ------------------------------------------------------------------ */
/* fallback: FLINT's Dixon solver                                      */
/* ------------------------------------------------------------------ */

static int dx_fallback(fmpz_mat_t Xnum, fmpz_t den, const fmpz_mat_t A, const fmpz_mat_t B)
{
    slong r = fmpz_mat_nrows(A), k = fmpz_mat_ncols(B), i, j;
    fmpq_mat_t Xq;
    int ok;
    fmpq_mat_init(Xq, r, k);
    ok = fmpq_mat_solve_fmpz_mat_dixon(Xq, A, B);
    if (!ok) {
        fmpq_mat_clear(Xq);
        return LMO_EFAIL;
    }
    fmpz_one(den);
    for (i = 0; i < r; i++)
        for (j = 0; j < k; j++)
            fmpz_lcm(den, den, fmpq_mat_entry_den(Xq, i, j));
    for (i = 0; i < r; i++)
        for (j = 0; j < k; j++) {
            fmpz *x = fmpz_mat_entry(Xnum, i, j);
            fmpz_divexact(x, den, fmpq_mat_entry_den(Xq, i, j));
            fmpz_mul(x, x, fmpq_mat_entry_num(Xq, i, j));
        }
    fmpq_mat_clear(Xq);
    return LMO_OK;
}

/* ------------------------------------------------------------------ */
/* the solver                                                          */
/* ------------------------------------------------------------------ */

/* A job of step `phase` (2: denominator, 3: numerators) stopping at K_cap
 * steps at the latest, first reconstruction after K_first; the table of
 * powers of p covers the cap. */
static void dx_job_start(dx_job_t *J, int phase, dx_pow_t *P, slong K_cap, slong K_first)
{
    memset(J, 0, sizeof(*J));
    fmpz_init(J->d);
    fmpz_one(J->d);
    lmo_dx_cbuf_init(&J->cb);
    J->phase = phase;
    J->P = P;
    J->K_cap = K_cap;
    J->K_first = J->next = K_first;
    lmo_dx_pow_ensure(P, K_cap + 1);
}

/* What a finished job adds to the statistics (its steps: the caller's). */
static void dx_job_stats(lmo_dixon_stats_t *stats, const dx_job_t *J)
{
    stats->t_recon += J->t_recon;
    stats->generic |= !J->L.fast && !J->L.wide;
    stats->wide |= J->L.wide;
}

static void dx_job_clear(dx_job_t *J)
{
    lmo_dx_lift_clear(&J->L);
    lmo_dx_cbuf_clear(&J->cb);
    fmpz_clear(J->d);
}

void lmo_dixon_opts_init(lmo_dixon_opts_t *opts)
{
    memset(opts, 0, sizeof(*opts));
}

int lmo_dixon_solve_opts(fmpz_mat_t Xnum, fmpz_t den, const fmpz_mat_t A,
                         const fmpz_mat_t B, ulong seed,
                         const lmo_dixon_opts_t *opts_in, lmo_dixon_stats_t *stats_in)
{
    const slong n = fmpz_mat_nrows(A), k = fmpz_mat_ncols(B);
    lmo_dixon_opts_t opts;
    lmo_dixon_stats_t stats_local, *stats = stats_in ? stats_in : &stats_local;
    lmo_rng_t rng;
    dx_ctx_t cx;
    double *Am = NULL, lHA, lHX, t0;
    int64_t hmax;
    ulong p = 0;
    int ret = LMO_ELIMIT, threads, attempt, ok, simd;
    slong i, j;
    fmpz_t D, tmpz;
    fmpz_mat_t comb;
    dx_pow_t P;
    int have_pow = 0;

    if (opts_in) opts = *opts_in; else lmo_dixon_opts_init(&opts);
    memset(stats, 0, sizeof(*stats));
    if (fmpz_mat_ncols(A) != n || fmpz_mat_nrows(B) != n
        || fmpz_mat_nrows(Xnum) != n || fmpz_mat_ncols(Xnum) != k)
        return LMO_EINPUT;
    if (n == 0) {
        fmpz_one(den);
        return LMO_OK;
    }
    if (opts.force_fallback) {
        stats->fallback = 1;
        return dx_fallback(Xnum, den, A, B);
    }

    lmo_rng_seed(&rng, seed ^ UWORD(0x5d1c0a7e3b9f2461));
    memset(&cx, 0, sizeof(cx));
    fmpz_init(cx.amax);
    fmpz_init(D);
    fmpz_init(tmpz);
    fmpz_mat_init(comb, FLINT_MAX(k, 1), 2);
    cx.n = n;
    cx.npad = dx_pad16(n);
    simd = !opts.no_simd && lmo_dx_simd_available();
    for (i = 0; i < n; i++)
        for (j = 0; j < n; j++)
            if (fmpz_cmpabs(fmpz_mat_entry(A, i, j), cx.amax) > 0)
                fmpz_abs(cx.amax, fmpz_mat_entry(A, i, j));
    if (fmpz_is_zero(cx.amax)) { ret = LMO_EFAIL; goto out; }
    hmax = dx_choose_limbs(&cx, n, cx.amax);
    if (hmax <= 0) goto fallback;
    threads = opts.threads > 0 ? FLINT_MIN(opts.threads, DX_MAXTH) : (n >= 96 ? 2 : 1);
    stats->threads = threads;

    /* limbs of A (balanced, gam bits each), stacked */
    {
        fmpz_t t, q;
        double lm = 0.0, limb[DX_MAXT];
        Am = dx_alloc(sizeof(double) * n * n);
        if (!Am || !lmo_dx_pm_init(&cx.Al, cx.T * cx.npad, n, simd)
            || !lmo_dx_pm_init(&cx.C, cx.npad, n, simd))
            goto out;
        fmpz_init(t); fmpz_init(q);
        for (j = 0; j < n; j++)
            for (i = 0; i < n; i++) {
                int s;
                dx_split_fmpz(limb, fmpz_mat_entry(A, i, j), cx.gam, cx.T, t, q);
                for (s = 0; s < cx.T; s++) {
                    dx_pm_set(&cx.Al, s * cx.npad + i, j, limb[s]);
                    lm = FLINT_MAX(lm, fabs(limb[s]));
                }
            }
        fmpz_clear(t); fmpz_clear(q);
        /* recheck the A x bound with the actual limbs: n Lmax h <= 2^53 */
        while ((double) n * lm * (double) hmax > 2.0 * DX_TWO52)
            hmax--;
    }

    /* prime with A invertible mod p */
    t0 = dx_now();
    for (attempt = 0; attempt < 4; attempt++) {
        p = dx_random_prime(&rng, hmax, p);
        if (p == 0) goto fallback;
        lmo_dx_mod_init(&cx.md, p);
        cx.md.simd = simd;
        stats->primes_tried = attempt + 1;
        for (i = 0; i < n; i++)
            for (j = 0; j < n; j++)
                Am[i * n + j] = (double) dx_redz(fmpz_mat_entry(A, i, j), &cx.md);
        ok = lmo_dx_inverse(&cx.C, Am, n, &cx.md, threads);
        if (ok < 0) goto out;
        if (ok == 1) break;
    }
    stats->t_inverse = dx_now() - t0;
    if (attempt == 4) { ret = LMO_EFAIL; goto out; }
    stats->prime = p;
    if (k == 0) { fmpz_one(den); ret = LMO_OK; goto out; }

    dx_hadamard(&lHA, &lHX, A, B);
    lmo_dx_pow_init(&P, p);
    have_pow = 1;

    /* ---- phase 2: denominator from random combinations ---- */
    t0 = dx_now();
    {
        int ncol = (opts.no_multiplier || k == 1) ? 1 : 2;
        dx_job_t J;
        /* w = u^T z, z = A^-1 B c: den_w <= |det A| <= H_A and
         * |num_w| <= |u|_1 |c|_1 H_X with |u|_1 <= 2^15 n, |c|_1 <= 2^7 k;
         * reconstruction with the 2^67 margin surely succeeds once
         * p^K > 2^70 max(...)^2 */
        double capb = 2.0 * FLINT_MAX(lHA, lHX + 22.0 + log2((double) n) + log2((double) k)) + 80.0;
        for (j = 0; j < ncol; j++)
            for (i = 0; i < k; i++)
                fmpz_set_si(fmpz_mat_entry(comb, i, j),
                            (k == 1) ? 1 : (slong) lmo_rng_below(&rng, 257) - 128);
        dx_job_start(&J, 2, &P, (slong) (capb / cx.md.log2p) + 8,
                     (slong) (70.0 / cx.md.log2p) + 1);
        {
            fmpz_mat_t cw;
            fmpz_mat_window_init(cw, comb, 0, 0, k, ncol);
            ok = lmo_dx_lift_init(&J.L, &cx, B, 0, ncol, cw, NULL, 0, 0, ncol, &rng,
                                  opts.force_generic, opts.force_wide, threads);
            fmpz_mat_window_clear(cw);
        }
        if (ok == 0) {
            /* combination c looks only at column c */
            slong l, c;
            for (c = 0; c < ncol; c++)
                for (l = 0; l < n; l++)
                    for (j = 0; j < ncol; j++)
                        if (j != c)
                            J.L.u[c * J.L.N + l * ncol + j] = 0;
            lmo_dx_run_job(&J);
        } else
            J.status = -2;
        stats->steps_den = J.L.K;
        dx_job_stats(stats, &J);
        stats->threads = J.L.nth;
        fmpz_set(D, J.d);
        ok = (J.status == 0);
        dx_job_clear(&J);
        stats->t_den = dx_now() - t0;
        if (!ok) goto fallback;
    }

    /* ---- phase 3: numerators, with D = d M, M = lcm(1..64): a factor
     * q^a of den missed by d (likely only for small q) is covered when
     * q^a divides M (a product, not an lcm: d may hold part of q's power) */
    if (!opts.no_multiplier) {
        ulong q;
        fmpz_one(tmpz);
        for (q = 2; q <= 64; q++) {
            fmpz_t t;
            fmpz_init_set_ui(t, q);
            fmpz_lcm(tmpz, tmpz, t);
            fmpz_clear(t);
        }
        fmpz_mul(D, D, tmpz);
    }
    t0 = dx_now();
    for (attempt = 0; attempt < 5; attempt++) {
        /* one lifting of all k columns; its rows are shared by the team */
        slong ninj;
        int32_t *dD = lmo_dx_digits_of(&ninj, D, &cx.md);
        dx_job_t J;
        int status;
        /* If D is a multiple of den, |Y| <= D H_X and Y terminates once
         * p^K > 2 D H_X. Otherwise a combination (|u|_1 <= 2^15 N) has a
         * denominator e; it is found once p^K > 2^131 |num| e, |num e| <=
         * 2^15 k n D H_X 2^64 (e <= 2^64). The cap covers both. */
        double capb = (double) fmpz_bits(D) + lHX + 15.0 + log2((double) (n * k)) + 200.0;
        dx_job_start(&J, 3, &P, (slong) (capb / cx.md.log2p) + 8,
                     (slong) (((double) fmpz_bits(D) + 160.0) / cx.md.log2p) + 1);
        ok = lmo_dx_lift_init(&J.L, &cx, B, 0, k, NULL, dD, ninj, 1, 2, &rng,
                              opts.force_generic, opts.force_wide, threads);
        if (ok == 0)
            lmo_dx_run_job(&J);
        else
            J.status = -2;
        status = (J.status < 0) ? -1 : J.status;
        stats->steps_num = J.L.K;
        dx_job_stats(stats, &J);
        stats->threads = FLINT_MAX(stats->threads, J.L.nth);
        stats->t_num = dx_now() - t0;
        if (status == 0) {
            /* proven: D B = A Y exactly (zero residual of the invariant) */
            double t1 = dx_now();
            dx_conv_job_t cj[2];
            cj[0].L = cj[1].L = &J.L;
            cj[0].e0 = 0; cj[0].e1 = J.L.N / 2;
            cj[1].e0 = J.L.N / 2; cj[1].e1 = J.L.N;
            cj[0].P = cj[1].P = &P;
            cj[0].Y = cj[1].Y = Xnum;
            if (threads > 1 && n * k >= 64) {
                pthread_t th;
                int okt = pthread_create(&th, NULL, lmo_dx_conv_thread, cj + 1) == 0;
                lmo_dx_conv_main(cj + 0);
                if (okt) pthread_join(th, NULL); else lmo_dx_conv_main(cj + 1);
            } else {
                lmo_dx_conv_main(cj + 0);
                lmo_dx_conv_main(cj + 1);
            }
            /* minimal denominator: g = gcd(D, all entries); den = D / g.
             * Usually gcd(D, Y_00, Y_01) is already g: check that it divides
             * every entry (cheap) before the full gcd loop. */
            fmpz_gcd(tmpz, D, fmpz_mat_entry(Xnum, 0, 0));
            if (k > 1)
                fmpz_gcd(tmpz, tmpz, fmpz_mat_entry(Xnum, 0, 1));
            for (i = 0; i < n && !fmpz_is_one(tmpz); i++)
                for (j = 0; j < k && !fmpz_is_one(tmpz); j++)
                    if (!fmpz_divisible(fmpz_mat_entry(Xnum, i, j), tmpz))
                        fmpz_gcd(tmpz, tmpz, fmpz_mat_entry(Xnum, i, j));
            fmpz_divexact(den, D, tmpz);
            if (!fmpz_is_one(tmpz))
                for (i = 0; i < n; i++)
                    for (j = 0; j < k; j++)
                        fmpz_divexact(fmpz_mat_entry(Xnum, i, j), fmpz_mat_entry(Xnum, i, j), tmpz);
            stats->t_convert = dx_now() - t1;
            ret = LMO_OK;
        } else if (status == 1) {
            /* J.d = lcm of the missing factors found */
            fmpz_mul(D, D, J.d);
            stats->repairs++;
        }
        dx_job_clear(&J);
        flint_free(dD);
        fmpz_one(tmpz);
        if (status != 1)
            break;
    }
    if (ret == LMO_OK)
        goto out;

fallback:
    stats->fallback = 1;
    ret = dx_fallback(Xnum, den, A, B);

out:
    if (have_pow) lmo_dx_pow_clear(&P);
    free(Am);
    dx_ctx_clear(&cx);
    fmpz_clear(D);
    fmpz_clear(tmpz);
    fmpz_mat_clear(comb);
    return ret;
}

int lmo_dixon_solve(fmpz_mat_t Xnum, fmpz_t den, const fmpz_mat_t A,
                    const fmpz_mat_t B, ulong seed)
{
    return lmo_dixon_solve_opts(Xnum, den, A, B, seed, NULL, NULL);
}
