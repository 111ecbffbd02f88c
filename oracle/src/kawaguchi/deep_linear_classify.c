/* Exact classification of a deep linear network point (Kawaguchi 2016,
 * Theorem 2.3, Corollary 2.4) with certificates. See
 * lmo/kawaguchi/deep_linear.h. */
#include <stdio.h>
#include <string.h>
#include <flint/fmpz_poly.h>
#include <flint/fmpz_poly_factor.h>
#include <arb.h>
#include <acb.h>
#include <arb_fmpz_poly.h>
#include "lmo/core/members.h"
#include "lmo/kawaguchi/deep_linear.h"
#include "deep_linear_internal.h"

static const char *class_names[] = {
    "not_critical", "global_min", "strict_saddle", "bad_saddle",
    "local_min_not_global", "local_max", "unknown"
};

const char *lmo_dl_class_name(lmo_dl_class_t c)
{
    return (c >= 0 && c <= LMO_DL_UNKNOWN) ? class_names[c] : "unknown";
}

int lmo_dl_class_from_name(const char *name)
{
    for (int i = 0; i <= LMO_DL_UNKNOWN; i++)
        if (strcmp(name, class_names[i]) == 0) return i;
    return -1;
}

void lmo_dl_opts_default(lmo_dl_opts_t *o)
{
    o->seed = 1;
    o->want_cert = 1;
    o->search = 24;
    o->corrupt = 0;
}

/* the members lmo_dl_result_init initialises and lmo_dl_result_clear clears (lmo/core/members.h) */
#define DL_RESULT_MEMBERS(X, r)         \
    X(fmpq, r->loss)                    \
    X(fmpq, r->grad_value)              \
    X(lmo_ldl, r->hess)                 \
    X(fmpq, r->trace_yyt)               \
    X(fmpq_poly, r->sigma_charpoly)     \
    X(fmpq, r->gmin_value)              \
    X(fmpq, r->gmin_lo)                 \
    X(fmpq, r->gmin_hi)                 \
    X(fmpq_poly, r->gmin_factor)        \
    X(fmpq, r->gmin_tau)                \
    X(fmpq_mat, r->sigma, 0, 0)         \
    X(fmpq_mat, r->B, 0, 0)             \
    X(fmpq_mat, r->S, 0, 0)             \
    X(fmpq_mat, r->N, 0, 0)             \
    X(fmpq, r->tau)                     \
    X(lmo_ldl, r->ldl_range)            \
    X(lmo_ldl, r->ldl_compl)            \
    X(fmpq_poly, r->desc_poly)          \
    X(fmpq_poly, r->asc_poly)           \
    X(lmo_rank, r->rank_cert)

void lmo_dl_result_init(lmo_dl_result_t r)
{
    memset(r, 0, sizeof(lmo_dl_result_struct));
    DL_RESULT_MEMBERS(LMO_MEMBER_INIT, r)
    r->grad_index = -1;
    r->is_global = -1;
    r->cls = LMO_DL_UNKNOWN;
}

static void free_dirs(fmpq_mat_struct **D, slong *nd)
{
    _lmo_fmpq_mat_vec_clear(*D, *nd);
    *D = NULL;
    *nd = 0;
}

void lmo_dl_result_clear(lmo_dl_result_t r)
{
    DL_RESULT_MEMBERS(LMO_MEMBER_CLEAR, r)
    _fmpq_vec_clear(r->gmin_breaks, r->gmin_nbreaks);
    free_dirs(&r->desc, &r->ndesc);
    free_dirs(&r->asc, &r->nasc);
}

/* ---------------------------------------------------------------------- */
/* small exact helpers                                                     */

static void mat_resize(fmpq_mat_t M, slong r, slong c)
{
    fmpq_mat_clear(M);
    fmpq_mat_init(M, r, c);
}

/* The real parts (balls) of the complex roots of the integer polynomial f
 * at precision prec: deg f of them (0 for a constant). For the polynomials
 * here every root is real; the real part's ball is a valid enclosure either
 * way. */
static slong real_root_balls(arb_ptr out, const fmpz_poly_t f, slong prec)
{
    slong d = fmpz_poly_degree(f);
    if (d <= 0) return 0;
    acb_ptr z = _acb_vec_init(d);
    arb_fmpz_poly_complex_roots(z, f, 0, prec);
    for (slong j = 0; j < d; j++) arb_set(out + j, acb_realref(z + j));
    _acb_vec_clear(z, d);
    return d;
}

/* Real roots of an integer polynomial whose roots are all real, each
 * repeated by multiplicity, as balls: lo[i] <= root_i <= hi[i] (arf). The
 * number written is returned (the degree). */
static slong real_roots_bounds(arf_ptr lo, arf_ptr hi, const fmpq_poly_t f, slong prec)
{
    fmpz_poly_t g;
    fmpz_poly_factor_t fac;
    fmpz_poly_init(g);
    fmpz_poly_factor_init(fac);
    fmpq_poly_get_numerator(g, f);
    fmpz_poly_factor_squarefree(fac, g);
    slong cnt = 0;
    for (slong i = 0; i < fac->num; i++) {
        slong deg = fmpz_poly_degree(fac->p + i);
        arb_ptr roots = _arb_vec_init(deg > 0 ? deg : 1);
        real_root_balls(roots, fac->p + i, prec);   /* symmetric input: every root is real */
        for (slong j = 0; j < deg; j++)
            for (slong e = 0; e < fac->exp[i]; e++, cnt++) {
                arb_get_lbound_arf(lo + cnt, roots + j, prec);
                arb_get_ubound_arf(hi + cnt, roots + j, prec);
            }
        _arb_vec_clear(roots, deg > 0 ? deg : 1);
    }
    fmpz_poly_factor_clear(fac);
    fmpz_poly_clear(g);
    return cnt;
}

static arf_ptr arf_vec_new(slong n)
{
    arf_ptr v = flint_malloc(sizeof(arf_struct) * (n > 0 ? n : 1));
    for (slong i = 0; i < n; i++) arf_init(v + i);
    return v;
}

static void arf_vec_free(arf_ptr v, slong n)
{
    for (slong i = 0; i < n; i++) arf_clear(v + i);
    flint_free(v);
}

static int arf_cmp_desc(const void *a, const void *b)
{
    return -arf_cmp((arf_srcptr) a, (arf_srcptr) b);
}

/* Enclosure [lo, hi] of the sum of the q largest roots (with multiplicity):
 * the k-th largest root lies between the k-th largest lower bound and the
 * k-th largest upper bound, and the top-q sum is monotone in each root. */
static int fmpq_cmp_qsort(const void *a, const void *b)
{
    return fmpq_cmp((const fmpq *) a, (const fmpq *) b);
}

/* *breaks (a new vector of *nb sorted distinct rationals) = every bound of
 * every root: lmo-check counts chi's roots at and between them (Descartes'
 * rule of signs) and so bounds the q largest at least as tightly as below. */
static void top_sum_enclosure(fmpq_t lo, fmpq_t hi, fmpq **breaks, slong *nb, const fmpq_poly_t f,
                              slong q, slong prec)
{
    slong n = fmpq_poly_degree(f);
    fmpq_set_si(lo, 0, 1);
    fmpq_set_si(hi, 0, 1);
    *nb = 0;
    *breaks = NULL;
    if (n <= 0) return;
    arf_ptr L = arf_vec_new(n), U = arf_vec_new(n);
    slong cnt = real_roots_bounds(L, U, f, prec);
    *breaks = _fmpq_vec_init(2 * cnt);
    for (slong i = 0; i < cnt; i++) {
        arf_get_fmpq(*breaks + 2 * i, L + i);
        arf_get_fmpq(*breaks + 2 * i + 1, U + i);
    }
    qsort(*breaks, (size_t) (2 * cnt), sizeof(fmpq), fmpq_cmp_qsort);
    for (slong i = 0; i < 2 * cnt; i++)
        if (*nb == 0 || !fmpq_equal(*breaks + *nb - 1, *breaks + i)) fmpq_swap(*breaks + (*nb)++, *breaks + i);
    qsort(L, cnt, sizeof(arf_struct), arf_cmp_desc);
    qsort(U, cnt, sizeof(arf_struct), arf_cmp_desc);
    fmpq_t t;
    fmpq_init(t);
    for (slong i = 0; i < q && i < cnt; i++) {
        arf_get_fmpq(t, L + i);
        fmpq_add(lo, lo, t);
        arf_get_fmpq(t, U + i);
        fmpq_add(hi, hi, t);
    }
    fmpq_clear(t);
    arf_vec_free(L, n);
    arf_vec_free(U, n);
}

/* S_q exactly, when it is rational for a visible reason: the roots of
 * charpoly(Sigma) are separated (refining the precision; distinct
 * irreducible factors have no common root) and the q largest, counted with
 * multiplicity, take every root of each irreducible factor or none -- then
 * each factor contributes e_i * (sum of its roots) = e_i * (-c_{d-1}/c_d) --
 * except linear factors, which may be taken partially (k copies of a
 * rational root). Returns 1 and sets S, or 0 (S_q may still be rational; it
 * is then reported only by its enclosure). */
static int top_sum_exact(fmpq_t S, fmpq_poly_t factor, fmpq_t tau, const fmpq_poly_t f, slong q)
{
    fmpz_poly_t g;
    fmpz_poly_factor_t fac;
    fmpz_poly_init(g);
    fmpz_poly_factor_init(fac);
    fmpq_poly_get_numerator(g, f);
    fmpz_poly_factor(fac, g);
    slong nr = 0;
    for (slong i = 0; i < fac->num; i++) nr += fmpz_poly_degree(fac->p + i);
    arb_ptr roots = _arb_vec_init(nr > 0 ? nr : 1);
    slong *owner = flint_malloc(sizeof(slong) * (nr > 0 ? nr : 1));
    slong *taken = flint_calloc(fac->num > 0 ? fac->num : 1, sizeof(slong));
    int ok = 0;
    for (slong prec = 64; prec <= 4096 && !ok; prec *= 2) {
        slong c = 0;
        for (slong i = 0; i < fac->num; i++)
            for (slong d = real_root_balls(roots + c, fac->p + i, prec); d > 0; d--) owner[c++] = i;
        /* selection sort, descending by midpoint; then demand strict separation */
        for (slong a = 0; a < c; a++)
            for (slong b = a + 1; b < c; b++)
                if (arf_cmp(arb_midref(roots + b), arb_midref(roots + a)) > 0) {
                    arb_swap(roots + a, roots + b);
                    slong t = owner[a]; owner[a] = owner[b]; owner[b] = t;
                }
        ok = 1;
        for (slong a = 0; a + 1 < c && ok; a++) ok = arb_gt(roots + a, roots + a + 1);
        if (!ok) continue;
        /* walk the q largest slots */
        slong left = q, last = -1, part = 0;
        for (slong a = 0; a < c && left > 0; a++) {
            slong e = fac->exp[owner[a]], k = e < left ? e : left;
            taken[owner[a]] += k;
            left -= k;
            last = a, part = k < e;
        }
        /* the separator: the boundary root itself when its copies are split, else a
           rational strictly between the last root taken and the next */
        {
            arf_t x, y;
            arf_init(x); arf_init(y);
            if (last < 0) {
                arb_get_ubound_arf(x, roots + 0, prec);
                arf_get_fmpq(tau, x);
                fmpq_add_si(tau, tau, 1);
            } else if (part) {
                const fmpz *co = fac->p[owner[last]].coeffs;
                fmpq_set_fmpz_frac(tau, co + 0, co + 1);
                fmpq_neg(tau, tau);
            } else if (last + 1 == c) {
                arb_get_lbound_arf(x, roots + last, prec);
                arf_get_fmpq(tau, x);
                fmpq_sub_si(tau, tau, 1);
            } else {
                arb_get_lbound_arf(x, roots + last, prec);
                arb_get_ubound_arf(y, roots + last + 1, prec);
                arf_add(x, x, y, ARF_PREC_EXACT, ARF_RND_DOWN);
                arf_mul_2exp_si(x, x, -1);
                arf_get_fmpq(tau, x);
            }
            arf_clear(x); arf_clear(y);
        }
        fmpq_poly_one(factor);
        fmpq_zero(S);
        fmpq_t t;
        fmpq_init(t);
        for (slong i = 0; i < fac->num && ok; i++) {
            slong d = fmpz_poly_degree(fac->p + i), e = fac->exp[i];
            if (taken[i] == 0 || d <= 0) continue;
            const fmpz *co = fac->p[i].coeffs;
            {   /* factor *= p_i^(taken / d): whole factors e times, a linear one k times */
                fmpq_poly_t pi;
                fmpq_poly_init(pi);
                fmpq_poly_set_fmpz_poly(pi, fac->p + i);
                fmpq_poly_pow(pi, pi, (ulong) (d == 1 ? taken[i] : e));
                fmpq_poly_mul(factor, factor, pi);
                fmpq_poly_clear(pi);
            }
            if (d == 1) {                     /* k copies of the root -c0/c1 */
                fmpq_set_fmpz_frac(t, co + 0, co + 1);
                fmpq_neg(t, t);
                fmpq_mul_si(t, t, taken[i]);
            } else if (taken[i] == d * e) {   /* all roots, each e times */
                fmpq_set_fmpz_frac(t, co + d - 1, co + d);
                fmpq_neg(t, t);
                fmpq_mul_si(t, t, e);
            } else ok = 0;
            fmpq_add(S, S, t);
        }
        fmpq_clear(t);
        fmpq_poly_make_monic(factor, factor);
        break;   /* separated: the answer at this precision is final */
    }
    _arb_vec_clear(roots, nr > 0 ? nr : 1);
    flint_free(owner);
    flint_free(taken);
    fmpz_poly_factor_clear(fac);
    fmpz_poly_clear(g);
    return ok;
}

/* min (want_min) or max real root enclosure of f (all roots real). */
static void extreme_root(fmpq_t lo, fmpq_t hi, const fmpq_poly_t f, int want_min, slong prec)
{
    slong n = fmpq_poly_degree(f);
    arf_ptr L = arf_vec_new(n), U = arf_vec_new(n);
    slong cnt = real_roots_bounds(L, U, f, prec);
    /* the minimum root lies in [min L, min U]; the maximum in [max L, max U] */
    slong bl = 0, bu = 0;
    for (slong i = 1; i < cnt; i++) {
        if (want_min ? arf_cmp(L + i, L + bl) < 0 : arf_cmp(L + i, L + bl) > 0) bl = i;
        if (want_min ? arf_cmp(U + i, U + bu) < 0 : arf_cmp(U + i, U + bu) > 0) bu = i;
    }
    arf_get_fmpq(lo, L + bl);
    arf_get_fmpq(hi, U + bu);
    arf_vec_free(L, n);
    arf_vec_free(U, n);
}

/* A short dyadic rational strictly inside (lo, hi), lo < hi. */
static void pick_between(fmpq_t tau, const fmpq_t lo, const fmpq_t hi)
{
    fmpq_t mid, c;
    fmpz_t z;
    fmpq_init(mid);
    fmpq_init(c);
    fmpz_init(z);
    fmpq_add(mid, lo, hi);
    fmpq_div_2exp(mid, mid, 1);
    for (slong e = 0;; e++) {
        fmpq_mul_2exp(c, mid, e);
        fmpz_fdiv_q(z, fmpq_numref(c), fmpq_denref(c));   /* floor */
        fmpq_set_fmpz(c, z);
        fmpq_div_2exp(c, c, e);
        if (fmpq_cmp(c, lo) > 0 && fmpq_cmp(c, hi) < 0) break;
        fmpz_add_ui(z, z, 1);
        fmpq_set_fmpz(c, z);
        fmpq_div_2exp(c, c, e);
        if (fmpq_cmp(c, lo) > 0 && fmpq_cmp(c, hi) < 0) break;
    }
    fmpq_set(tau, c);
    fmpq_clear(mid);
    fmpq_clear(c);
    fmpz_clear(z);
}

/* out = S - tau G (all initialised, same shape). */
static void pencil(fmpq_mat_t out, const fmpq_mat_t S, const fmpq_mat_t G, const fmpq_t tau)
{
    fmpq_mat_scalar_mul_fmpq(out, G, tau);
    fmpq_mat_sub(out, S, out);
}

/* ---------------------------------------------------------------------- */
/* global minimum (see the header for the characterisation)                */

/* Sets res->is_global (1, 0, -1) and, when 1, the certificate fields.
 * Returns LMO_OK or LMO_ELIMIT on an internal inconsistency. */
static int global_test(lmo_dl_result_t res, const lmo_deep_linear_t dl, lmo_err_t *err)
{
    slong dy = dl->d[dl->H + 1], d1 = dl->d[1];
    int rc = LMO_OK;
    fmpq_mat_t C, Ct, E, SB, SN, GB, GN, NtSB, M1, M2, T;
    lmo_deep_linear_C(C, dl);

    /* B: pivot columns of C (so C S = B with S a selection matrix) */
    fmpq_mat_init(E, dy, d1);
    slong pbar = fmpq_mat_rref(E, C);
    res->rank_c = pbar;
    slong *piv = flint_malloc(sizeof(slong) * (pbar + 1));
    for (slong i = 0, j = 0; i < pbar; i++) {
        while (fmpq_is_zero(fmpq_mat_entry(E, i, j))) j++;
        piv[i] = j++;
    }
    mat_resize(res->B, dy, pbar);
    mat_resize(res->S, d1, pbar);
    for (slong i = 0; i < pbar; i++) {
        fmpq_one(fmpq_mat_entry(res->S, piv[i], i));
        for (slong r = 0; r < dy; r++)
            fmpq_set(fmpq_mat_entry(res->B, r, i), fmpq_mat_entry(C, r, piv[i]));
    }
    fmpq_mat_clear(E);
    flint_free(piv);

    /* N: kernel of C^T, from rref(C^T) */
    fmpq_mat_init(Ct, d1, dy);
    fmpq_mat_transpose(Ct, C);
    fmpq_mat_init(E, d1, dy);
    slong r2 = fmpq_mat_rref(E, Ct);
    if (r2 != pbar) {
        rc = lmo_err_set(err, LMO_ELIMIT, "internal: rank(C) %ld != rank(C^T) %ld",
                         (long) pbar, (long) r2);
        fmpq_mat_clear(E); fmpq_mat_clear(Ct); fmpq_mat_clear(C);
        return rc;
    }
    char *isp = flint_calloc(dy + 1, 1);
    slong *pc = flint_malloc(sizeof(slong) * (pbar + 1));
    for (slong i = 0, j = 0; i < pbar; i++) {
        while (fmpq_is_zero(fmpq_mat_entry(E, i, j))) j++;
        pc[i] = j;
        isp[j++] = 1;
    }
    mat_resize(res->N, dy, dy - pbar);
    for (slong f = 0, c = 0; f < dy; f++) {
        if (isp[f]) continue;
        fmpq_one(fmpq_mat_entry(res->N, f, c));
        for (slong i = 0; i < pbar; i++)
            fmpq_neg(fmpq_mat_entry(res->N, pc[i], c), fmpq_mat_entry(E, i, f));
        c++;
    }
    flint_free(isp);
    flint_free(pc);
    fmpq_mat_clear(E);
    fmpq_mat_clear(Ct);
    fmpq_mat_clear(C);

    /* restricted forms */
    lmo_dl_mul(T, res->sigma, res->B);
    lmo_dl_mul_tn(SB, res->B, T);               /* B^T Sigma B */
    lmo_dl_mul_tn(NtSB, res->N, T);             /* N^T Sigma B */
    fmpq_mat_clear(T);
    lmo_dl_mul(T, res->sigma, res->N);
    int sigma_n_zero = fmpq_mat_is_zero(T);
    lmo_dl_mul_tn(SN, res->N, T);               /* N^T Sigma N */
    fmpq_mat_clear(T);
    lmo_dl_mul_tn(GB, res->B, res->B);
    lmo_dl_mul_tn(GN, res->N, res->N);

    int invariant = fmpq_mat_is_zero(NtSB);
    if (!invariant) { res->is_global = 0; goto done; }
    if (pbar < res->q && !sigma_n_zero) { res->is_global = 0; goto done; }

    slong nb = pbar, nn = dy - pbar;
    fmpq_mat_init(M1, nb, nb);
    fmpq_mat_init(M2, nn, nn);
    if (nb == 0 || nn == 0) {
        /* one side is empty: tau = -1 below every eigenvalue of Sigma >= 0
         * when the complement is empty; tau = 0 when range(C) = 0 (then
         * Sigma = 0 by the test above, since q >= 1 > pbar) */
        fmpq_set_si(res->tau, nn == 0 ? -1 : 0, 1);
        res->tau_strict = 1;
    } else {
        fmpq_poly_t fV, fN;
        fmpq_poly_init(fV);
        fmpq_poly_init(fN);
        fmpq_mat_t Q;
        fmpq_mat_init(Q, nb, nb);
        fmpq_mat_solve(Q, GB, SB);       /* matrix of Sigma on range(C) */
        fmpq_mat_charpoly(fV, Q);
        fmpq_mat_clear(Q);
        fmpq_mat_init(Q, nn, nn);
        fmpq_mat_solve(Q, GN, SN);       /* matrix of Sigma on the complement */
        fmpq_mat_charpoly(fN, Q);
        fmpq_mat_clear(Q);
        fmpq_t alo, ahi, blo, bhi;
        fmpq_init(alo); fmpq_init(ahi); fmpq_init(blo); fmpq_init(bhi);
        int decided = 0;
        for (slong prec = 64; prec <= 16384 && !decided; prec *= 2) {
            extreme_root(alo, ahi, fV, 1, prec);   /* a = min eigenvalue on range(C) */
            extreme_root(blo, bhi, fN, 0, prec);   /* b = max eigenvalue on complement */
            if (fmpq_cmp(bhi, alo) < 0) {          /* b < a: separated */
                pick_between(res->tau, bhi, alo);
                res->tau_strict = 1;
                decided = 1;
            } else if (fmpq_cmp(ahi, blo) < 0) {   /* a < b: not global; confirm exactly */
                fmpq_t t;
                fmpq_init(t);
                pick_between(t, ahi, blo);
                pencil(M1, SB, GB, t);
                pencil(M2, SN, GN, t);
                slong p1, n1, z1, p2, n2, z2;
                lmo_inertia(&p1, &n1, &z1, M1, err);
                lmo_inertia(&p2, &n2, &z2, M2, err);
                fmpq_clear(t);
                if (n1 == 0 || p2 == 0) {
                    rc = lmo_err_set(err, LMO_ELIMIT, "internal: arb eigenvalue "
                                     "enclosure contradicted by exact inertia");
                } else res->is_global = 0;
                decided = 2;
            }
        }
        if (!decided) {
            /* a tie a = b (Sigma has a repeated eigenvalue): try the rational
             * common roots of the two characteristic polynomials as tau */
            fmpz_poly_t a, b, g;
            fmpz_poly_factor_t fac;
            fmpz_poly_init(a); fmpz_poly_init(b); fmpz_poly_init(g);
            fmpz_poly_factor_init(fac);
            fmpq_poly_get_numerator(a, fV);
            fmpq_poly_get_numerator(b, fN);
            fmpz_poly_gcd(g, a, b);
            if (fmpz_poly_degree(g) > 0) fmpz_poly_factor(fac, g);
            for (slong i = 0; i < fac->num && !decided; i++) {
                if (fmpz_poly_degree(fac->p + i) != 1) continue;
                fmpq_t r;
                fmpq_init(r);
                fmpz_neg(fmpq_numref(r), fac->p[i].coeffs + 0);
                fmpz_set(fmpq_denref(r), fac->p[i].coeffs + 1);
                fmpq_canonicalise(r);
                pencil(M1, SB, GB, r);
                pencil(M2, SN, GN, r);
                fmpq_mat_neg(M2, M2);
                slong p1, n1, z1, p2, n2, z2;
                lmo_inertia(&p1, &n1, &z1, M1, err);
                lmo_inertia(&p2, &n2, &z2, M2, err);
                if (n1 == 0 && p2 == 0) {   /* Sigma - r >= 0 on range(C), <= 0 off it */
                    fmpq_set(res->tau, r);
                    res->tau_strict = 0;
                    decided = 1;
                }
                fmpq_clear(r);
            }
            fmpz_poly_factor_clear(fac);
            fmpz_poly_clear(a); fmpz_poly_clear(b); fmpz_poly_clear(g);
            if (!decided)
                snprintf(res->reason, sizeof res->reason, "global minimum undecided: "
                         "Sigma has an eigenvalue tie across range(C) with no rational "
                         "separator");
        }
        fmpq_clear(alo); fmpq_clear(ahi); fmpq_clear(blo); fmpq_clear(bhi);
        fmpq_poly_clear(fV);
        fmpq_poly_clear(fN);
        if (decided != 1) { fmpq_mat_clear(M1); fmpq_mat_clear(M2); goto done; }
    }
    /* exact decision with tau: B^T (Sigma - tau) B > 0 (>= 0), N^T (tau - Sigma) N >= 0 */
    pencil(M1, SB, GB, res->tau);
    pencil(M2, SN, GN, res->tau);
    fmpq_mat_neg(M2, M2);
    if (lmo_ldl(res->ldl_range, M1, err) || lmo_ldl(res->ldl_compl, M2, err)) rc = err->code;
    else if ((res->tau_strict ? lmo_ldl_is_pd(res->ldl_range) : lmo_ldl_is_psd(res->ldl_range))
             && lmo_ldl_is_psd(res->ldl_compl))
        res->is_global = 1;
    else
        rc = lmo_err_set(err, LMO_ELIMIT, "internal: separator tau failed its exact check");
    fmpq_mat_clear(M1);
    fmpq_mat_clear(M2);
done:
    fmpq_mat_clear(SB); fmpq_mat_clear(SN); fmpq_mat_clear(GB); fmpq_mat_clear(GN);
    fmpq_mat_clear(NtSB);
    return rc;
}

/* ---------------------------------------------------------------------- */
/* escape curves                                                          */

/* Try the curve theta + t D[0] + ... ; on success (leading change has the
 * wanted sign) store it into (*out, *nout, poly). */
static int try_curve(const lmo_deep_linear_t dl, const fmpq_mat_struct *D, slong nd,
                     int want, fmpq_mat_struct **out, slong *nout, fmpq_poly_t poly)
{
    fmpq_poly_t f;
    fmpq_poly_init(f);
    lmo_deep_linear_curve_loss(f, dl, D, nd);
    int ok = lmo_poly_leading_change(NULL, f) == want;
    if (ok) {
        slong n = fmpq_mat_nrows(D);
        free_dirs(out, nout);
        *out = flint_malloc(sizeof(fmpq_mat_struct) * nd);
        for (slong i = 0; i < nd; i++) {
            fmpq_mat_init(*out + i, n, 1);
            fmpq_mat_set(*out + i, D + i);
        }
        *nout = nd;
        fmpq_poly_set(poly, f);
    }
    fmpq_poly_clear(f);
    return ok;
}

/* Moves the curve of e into (*D, *nd, poly). */
static void take_escape(fmpq_mat_struct **D, slong *nd, fmpq_poly_t poly, lmo_dl_escape_t *e)
{
    free_dirs(D, nd);
    *D = e->D;
    *nd = e->nd;
    fmpq_poly_set(poly, e->poly);
    e->D = NULL;
    e->nd = 0;
}

static void column(fmpq_mat_t v, const fmpq_mat_t K, slong c)
{
    for (slong i = 0; i < fmpq_mat_nrows(K); i++)
        fmpq_set(fmpq_mat_entry(v, i, 0), fmpq_mat_entry(K, i, c));
}

/* Search ker(Hessian) (basis K) for a curve along which the loss changes
 * first with sign `want` (-1 descent, +1 ascent): straight lines t D1 in
 * the kernel (their quadratic term vanishes, so a cubic or higher term
 * decides; odd orders are fixed by D1 -> -D1), then, for candidates whose
 * first change is a quartic of the wrong sign, t D1 + t^2 s k with k in the
 * kernel, the scale s chosen so that the quartic term flips; last, path
 * directions through single units (below). Heuristic in the choice, exact in
 * the verification. */
static int escape_search(const lmo_deep_linear_t dl, const fmpq_mat_t K, int want,
                         const lmo_dl_opts_t *opts, fmpq_mat_struct **out,
                         slong *nout, fmpq_poly_t poly)
{
    slong n = fmpq_mat_nrows(K), k = fmpq_mat_ncols(K);
    lmo_rng_t rng;
    lmo_rng_seed(&rng, opts->seed ^ UWORD(0x5eed0d));
    fmpq_mat_struct D[2];
    fmpq_mat_init(D + 0, n, 1);
    fmpq_mat_init(D + 1, n, 1);
    fmpq_mat_t tmp;
    fmpq_mat_init(tmp, n, 1);
    fmpq_poly_t f, f2;
    fmpq_poly_init(f);
    fmpq_poly_init(f2);
    fmpq_t c4, c4b, s;
    fmpq_init(c4); fmpq_init(c4b); fmpq_init(s);
    fmpz_t wz;
    fmpz_init(wz);
    int found = 0;
    slong nbasis = k < 32 ? k : 32, total = nbasis + (opts->search > 0 ? opts->search : 0);
    for (slong cand = 0; cand < total && !found; cand++) {
        if (cand < nbasis) column(D + 0, K, cand);
        else {
            fmpq_mat_zero(D + 0);
            for (slong c = 0; c < k; c++) {
                slong w = (slong) lmo_rng_below(&rng, 5) - 2;
                if (w == 0) continue;
                column(tmp, K, c);
                fmpz_set_si(wz, w);
                fmpq_mat_scalar_mul_fmpz(tmp, tmp, wz);
                fmpq_mat_add(D + 0, D + 0, tmp);
            }
            if (fmpq_mat_is_zero(D + 0)) continue;
        }
        lmo_deep_linear_curve_loss(f, dl, D, 1);
        slong ord;
        int sg = lmo_poly_leading_change(&ord, f);
        if (sg == 0) continue;
        if (sg != want && (ord & 1)) fmpq_mat_neg(D + 0, D + 0);
        if (sg == want || (ord & 1)) {
            found = try_curve(dl, D, 1, want, out, nout, poly);
            continue;
        }
        if (ord != 4) continue;
        /* quartic of the wrong sign: add t^2 s k_i */
        fmpq_poly_get_coeff_fmpq(c4, f, 4);
        for (slong c = 0; c < nbasis && !found; c++) {
            column(D + 1, K, c);
            lmo_deep_linear_curve_loss(f2, dl, D, 2);
            fmpq_poly_get_coeff_fmpq(c4b, f2, 4);
            fmpq_sub(c4b, c4b, c4);        /* the linear effect of k_c on t^4 */
            if (fmpq_is_zero(c4b)) continue;
            fmpq_mul_si(s, c4, -2);
            fmpq_div(s, s, c4b);           /* c4 + s * effect = -c4 */
            fmpq_mat_scalar_mul_fmpq(D + 1, D + 1, s);
            found = try_curve(dl, D, 2, want, out, nout, poly);
        }
    }
    /* path directions: one entry per layer along a chain of units
     * a(lo-1) -> a(lo) -> ... -> a(hi) through layers lo..hi, each +-1. When
     * the path runs through units the point leaves dead, every lower-order
     * term vanishes and the loss moves first at order t^(hi-lo+1) with the
     * sign of <R, ... D_hi ... D_lo ...> -- the escape of Kawaguchi's
     * rank-deficient saddles (proof of Theorem 2.3 (ii), Case III). Flipping
     * the sign of one layer flips that term. */
    slong H = dl->H, *d = dl->d;
    slong *a = flint_malloc(sizeof(slong) * (H + 2));
    for (slong cand = 0; cand < 4 * (opts->search > 0 ? opts->search : 0) && !found; cand++) {
        slong lo = 1 + (slong) lmo_rng_below(&rng, (ulong) (H + 1));
        slong hi = lo + (slong) lmo_rng_below(&rng, (ulong) (H + 2 - lo));
        if (cand % 2 == 0) { lo = 1; hi = H + 1; }   /* half of them: the whole depth */
        for (slong k = lo - 1; k <= hi; k++) a[k] = (slong) lmo_rng_below(&rng, (ulong) d[k]);
        fmpq_mat_zero(D + 0);
        for (int flip = 0; flip < 2 && !found; flip++) {
            for (slong k = lo; k <= hi; k++) {
                slong idx = lmo_deep_linear_offset(dl, k) + a[k] * d[k - 1] + a[k - 1];
                fmpq_set_si(fmpq_mat_entry(D + 0, idx, 0), (flip && k == lo) ? -1 : 1, 1);
            }
            lmo_deep_linear_curve_loss(f, dl, D, 1);
            slong ord;
            int sg = lmo_poly_leading_change(&ord, f);
            if (sg == want) found = try_curve(dl, D, 1, want, out, nout, poly);
        }
    }
    flint_free(a);
    fmpq_clear(c4); fmpq_clear(c4b); fmpq_clear(s);
    fmpz_clear(wz);
    fmpq_poly_clear(f);
    fmpq_poly_clear(f2);
    fmpq_mat_clear(tmp);
    fmpq_mat_clear(D + 0);
    fmpq_mat_clear(D + 1);
    return found;
}

/* ---------------------------------------------------------------------- */

int lmo_deep_linear_classify(lmo_dl_result_t res, const lmo_deep_linear_t dl,
                             const lmo_dl_opts_t *opts_in, const lmo_limits_t *lim_in,
                             lmo_err_t *err)
{
    lmo_dl_opts_t opts;
    lmo_limits_t lim;
    if (opts_in) opts = *opts_in; else lmo_dl_opts_default(&opts);
    if (lim_in) lim = *lim_in; else lmo_limits_default(&lim);
    slong n = lmo_deep_linear_nparams(dl), dy = dl->d[dl->H + 1];
    res->H = dl->H;
    if (n > lim.max_dim || (n > 0 && n > lim.max_entries / n))
        return lmo_err_set(err, LMO_ELIMIT, "input.weights: %ld parameters: the %ld x %ld "
                           "Hessian is over the caps (LMO_MAX_DIM, LMO_MAX_ENTRIES)",
                           (long) n, (long) n, (long) n);
    int rc = LMO_OK;
    res->n = n;
    res->dy = dy;
    res->p = lmo_deep_linear_p(dl);
    res->q = res->p < dy ? res->p : dy;
    res->reason[0] = '\0';
    lmo_deep_linear_hypotheses(&res->hyp, dl);

    /* first order */
    lmo_deep_linear_loss(res->loss, dl);
    fmpq_mat_t g;
    fmpq_mat_init(g, n, 1);
    lmo_deep_linear_gradient(g, dl);
    res->critical = 1;
    res->grad_index = -1;
    for (slong i = 0; i < n; i++)
        if (!fmpq_is_zero(fmpq_mat_entry(g, i, 0))) {
            res->critical = 0;
            res->grad_index = i;
            fmpq_set(res->grad_value, fmpq_mat_entry(g, i, 0));
            break;
        }
    fmpq_mat_clear(g);

    /* second order */
    fmpz_mat_t Hs;   /* the Hessian is Hs / hden */
    fmpz_t hden;
    fmpz_mat_init(Hs, n, n);
    fmpz_init(hden);
    lmo_deep_linear_hessian_fmpz(Hs, hden, dl);
    rc = lmo_ldl_fmpz(res->hess, Hs, hden, err);
    fmpz_mat_clear(Hs);
    fmpz_clear(hden);
    if (rc) return rc;
    res->npos = res->hess->npos;
    res->nneg = res->hess->nneg;
    res->nzero = res->hess->nzero;

    /* Sigma and the global minimum value */
    mat_resize(res->sigma, dy, dy);
    lmo_deep_linear_sigma(res->sigma, dl);
    fmpq_mat_charpoly(res->sigma_charpoly, res->sigma);
    fmpq_set_si(res->trace_yyt, 0, 1);   /* not fmpq_zero: gcc 12 false stringop warning */
    for (slong i = 0; i < dy; i++)
        for (slong j = 0; j < dl->m; j++)
            fmpq_addmul(res->trace_yyt, fmpq_mat_entry(dl->Y, i, j), fmpq_mat_entry(dl->Y, i, j));
    {
        fmpq_t s;
        fmpq_init(s);
        top_sum_enclosure(res->gmin_lo, res->gmin_hi, &res->gmin_breaks, &res->gmin_nbreaks,
                          res->sigma_charpoly, res->q, 128);
        /* L* = (tr YY^T - S_q)/2: swap the bounds */
        fmpq_sub(s, res->trace_yyt, res->gmin_hi);
        fmpq_sub(res->gmin_hi, res->trace_yyt, res->gmin_lo);
        fmpq_set(res->gmin_lo, s);
        fmpq_div_2exp(res->gmin_lo, res->gmin_lo, 1);
        fmpq_div_2exp(res->gmin_hi, res->gmin_hi, 1);
        /* S_q exactly: tr(Sigma) when q >= rank(Sigma), else from factors */
        res->gmin_rational = res->q >= lmo_deep_linear_qrank(res->sigma);
        if (res->gmin_rational) {   /* the nonzero roots (> 0) and q - rank zeros: tau = 0 */
            fmpq_mat_trace(s, res->sigma);
            fmpq_poly_shift_right(res->gmin_factor, res->sigma_charpoly, dy - res->q);
            fmpq_zero(res->gmin_tau);
        } else {
            res->gmin_rational = top_sum_exact(s, res->gmin_factor, res->gmin_tau,
                                               res->sigma_charpoly, res->q);
        }
        if (res->gmin_rational) {
            fmpq_sub(res->gmin_value, res->trace_yyt, s);
            fmpq_div_2exp(res->gmin_value, res->gmin_value, 1);
            if (fmpq_cmp(res->gmin_value, res->gmin_lo) < 0 ||
                fmpq_cmp(res->gmin_value, res->gmin_hi) > 0) {
                fmpq_clear(s);
                return lmo_err_set(err, LMO_ELIMIT, "internal: exact L* outside its enclosure");
            }
            fmpq_set(res->gmin_lo, res->gmin_value);
            fmpq_set(res->gmin_hi, res->gmin_value);
        }
        fmpq_clear(s);
    }

    /* rank(WH...W2) against p (Theorem 2.3 (iv)) */
    {
        fmpq_mat_t M;
        lmo_err_t e2;
        lmo_deep_linear_middle(M, dl);
        res->rank_mid = lmo_deep_linear_qrank(M);
        res->have_rank_cert = lmo_rank_certified(res->rank_cert, M, opts.seed, &e2) == LMO_OK;
        fmpq_mat_clear(M);
        if (res->have_rank_cert && res->rank_cert->rank != res->rank_mid) {
            return lmo_err_set(err, LMO_ELIMIT, "internal: certified rank %ld of WH...W2 != "
                               "rref rank %ld", (long) res->rank_cert->rank, (long) res->rank_mid);
        }
    }

    if (!res->critical) {
        res->cls = LMO_DL_NOT_CRITICAL;
        res->is_global = 0;
    } else {
        if ((rc = global_test(res, dl, err))) return rc;
        if (res->is_global == 1) {
            if (res->nneg > 0) {
                return lmo_err_set(err, LMO_ELIMIT, "internal: certified global minimum "
                                   "with a negative Hessian eigenvalue");
            }
            res->cls = LMO_DL_GLOBAL_MIN;
            /* the loss must equal L* */
            if (res->gmin_rational && !fmpq_equal(res->gmin_value, res->loss)) {
                return lmo_err_set(err, LMO_ELIMIT, "internal: global minimum loss "
                                   "differs from (tr YY^T - tr Sigma)/2");
            }
            res->gmin_rational = 1;
            fmpq_set(res->gmin_value, res->loss);
            fmpq_set(res->gmin_lo, res->loss);
            fmpq_set(res->gmin_hi, res->loss);
        } else if (res->nneg > 0) {
            if (res->npos > 0) {
                res->cls = LMO_DL_STRICT_SADDLE;
                res->is_global = 0;
                res->desc_method = LMO_DL_ESCAPE_NEGATIVE;
                /* descent: t^2 coefficient v^T H v / 2 < 0 */
                if (!try_curve(dl, res->hess->v, 1, -1, &res->desc, &res->ndesc,
                               res->desc_poly)) {
                    return lmo_err_set(err, LMO_ELIMIT, "internal: negative-curvature "
                                       "vector does not decrease the loss");
                }
            } else if (res->nneg == n) {
                res->cls = LMO_DL_LOCAL_MAX;   /* Hessian < 0: strict local maximum */
            } else {
                res->cls = LMO_DL_UNKNOWN;
                snprintf(res->reason, sizeof res->reason, "Hessian <= 0 and singular: "
                         "a local maximum is not excluded");
            }
        } else {
            /* Hessian >= 0 and not proven global: the escape of the proof of Theorem 2.3 (ii)
             * Case III, built; outside the theorem's hypotheses, a search as a last resort */
            lmo_dl_escape_t e;
            lmo_dl_escape_init(&e);
            int down = lmo_deep_linear_escape(&e, dl, -1, opts.corrupt & LMO_DL_CORRUPT_ESCAPE);
            if (down) {
                take_escape(&res->desc, &res->ndesc, res->desc_poly, &e);
                res->desc_method = e.method;
                res->desc_junction = e.junction;
            }
            fmpq_mat_t K;
            lmo_ldl_kernel(K, res->hess);
            if (!down && !res->hyp.hold &&
                (down = escape_search(dl, K, -1, &opts, &res->desc, &res->ndesc, res->desc_poly)))
                res->desc_method = LMO_DL_ESCAPE_SEARCH;
            if (down) {
                res->is_global = 0;
                int up = res->npos > 0;   /* then some H_ii > 0: an ascent line */
                if (!up) {
                    up = lmo_deep_linear_escape(&e, dl, +1, 0);
                    if (up) {
                        take_escape(&res->asc, &res->nasc, res->asc_poly, &e);
                        res->asc_method = e.method;
                    } else if (!res->hyp.hold &&
                               (up = escape_search(dl, K, +1, &opts, &res->asc, &res->nasc, res->asc_poly)))
                        res->asc_method = LMO_DL_ESCAPE_SEARCH;
                }
                if (up) res->cls = LMO_DL_BAD_SADDLE;
                else {
                    res->cls = LMO_DL_UNKNOWN;
                    snprintf(res->reason, sizeof res->reason, "Hessian = 0 and no ascent "
                             "curve: a local maximum is not excluded");
                }
            } else if (res->nzero == 0 && res->is_global == 0) {
                res->cls = LMO_DL_LOCAL_MIN_NOT_GLOBAL;   /* Hessian > 0: strict local min */
            } else {
                res->cls = LMO_DL_UNKNOWN;
                if (res->reason[0] == '\0') {
                    if (res->hyp.hold)
                        snprintf(res->reason, sizeof res->reason, "critical, Hessian >= 0, not a "
                                 "global minimum, and the escape of Theorem 2.3 (ii) Case III does "
                                 "not descend");
                    else
                        snprintf(res->reason, sizeof res->reason, "critical, Hessian >= 0, not a "
                                 "global minimum; outside Theorem 2.3's hypotheses no escape curve "
                                 "was built or found in the Hessian's %ld-dimensional kernel",
                                 (long) fmpq_mat_ncols(K));
                }
            }
            fmpq_mat_clear(K);
            lmo_dl_escape_clear(&e);
        }
    }

    return lmo_deep_linear_theorems(res, dl, &opts, err);
}
