/* The statements of Kawaguchi 2016 checked at one point (lmo/kawaguchi/deep_linear.h,
 * "Theorem checks"): Theorem 2.3 (i)-(iv), Corollaries 2.4 and 3.2 and the second-order
 * lemmas 4.4-4.6, each as one lmo_theorem_t. Every check recomputes what it needs from the
 * weights along the paper's own route; none reads the class. */
#include <stdio.h>
#include <string.h>
#include <arb.h>
#include <acb.h>
#include <arb_fmpz_poly.h>
#include "lmo/kawaguchi/deep_linear.h"
#include "deep_linear_internal.h"

static const char *const STATEMENT[LMO_DL_NTHM] = {
    "Kawaguchi 2016 Theorem 2.3 (i)", "Kawaguchi 2016 Theorem 2.3 (ii)",
    "Kawaguchi 2016 Theorem 2.3 (iii)", "Kawaguchi 2016 Theorem 2.3 (iv)",
    "Kawaguchi 2016 Corollary 2.4", "Kawaguchi 2016 Corollary 3.2",
    "Kawaguchi 2016 Lemma 4.4", "Kawaguchi 2016 Corollary 4.5", "Kawaguchi 2016 Lemma 4.6",
    "Kawaguchi 2016 Appendix C.1 (proof of Corollary 2.4)"
};

int lmo_dl_corrupt_parse(const char *list)
{
    static const char *const names[] = {"escape", "ascent", "sigma", "residual", "inertia",
                                        "witness", "cor24", "paths", NULL};
    return lmo_names_to_bits(list, names);
}

/* ---- small exact helpers ---------------------------------------------------------------- */

static const char *escape_how(int method)
{
    switch (method) {
    case LMO_DL_ESCAPE_PATH: return "a straight line through a dead direction of every layer";
    case LMO_DL_ESCAPE_GAUGE: return "the loss-preserving perturbation of Case III, then a "
                                     "gradient step";
    case LMO_DL_ESCAPE_SEARCH: return "a curve found by search";
    case LMO_DL_ESCAPE_NEGATIVE: return "the negative-curvature direction";
    default: return "no curve";
    }
}

/* The loss along theta + t v moves first with sign want? (*order set) */
static int line_moves(slong *order, const lmo_deep_linear_t dl, const fmpq_mat_t v, int want)
{
    fmpq_poly_t f;
    fmpq_poly_init(f);
    lmo_deep_linear_curve_loss(f, dl, v, 1);
    int ok = lmo_poly_leading_change(order, f) == want;
    fmpq_poly_clear(f);
    return ok;
}

/* Number of roots above tau of f, a polynomial whose roots are all real (the
 * characteristic polynomial of a symmetric matrix's restriction): Descartes' rule of signs
 * on f(x + tau), exact for real-rooted polynomials. *at = multiplicity of tau. */
static slong roots_above(slong *at, const fmpq_poly_t f, const fmpq_t tau)
{
    fmpq_poly_t lin, h;
    fmpq_poly_init(lin);
    fmpq_poly_init(h);
    fmpq_poly_set_coeff_si(lin, 1, 1);
    fmpq_poly_set_coeff_fmpq(lin, 0, tau);
    fmpq_poly_compose(h, f, lin);
    slong deg = fmpq_poly_degree(h), lo = 0, changes = 0, last = 0;
    fmpq_t c;
    fmpq_init(c);
    for (; lo <= deg; lo++) {
        fmpq_poly_get_coeff_fmpq(c, h, lo);
        if (!fmpq_is_zero(c)) break;
    }
    for (slong i = lo; i <= deg; i++) {
        fmpq_poly_get_coeff_fmpq(c, h, i);
        int sg = fmpq_sgn(c);
        if (sg == 0) continue;
        if (last != 0 && sg != last) changes++;
        last = sg;
    }
    if (at) *at = lo;
    fmpq_clear(c);
    fmpq_poly_clear(lin);
    fmpq_poly_clear(h);
    return changes;
}

/* Enclosure [lo, hi] of the smallest (want_max = 0) or largest root of f (deg >= 1). */
static void extreme_root_q(fmpq_t lo, fmpq_t hi, const fmpq_poly_t f, int want_max, slong prec)
{
    fmpz_poly_t g;
    fmpz_poly_init(g);
    fmpq_poly_get_numerator(g, f);
    slong d = fmpz_poly_degree(g);
    acb_ptr z = _acb_vec_init(d);
    arb_fmpz_poly_complex_roots(z, g, 0, prec);
    arf_t a, b, best_lo, best_hi;
    arf_init(a); arf_init(b); arf_init(best_lo); arf_init(best_hi);
    for (slong i = 0; i < d; i++) {
        arb_get_lbound_arf(a, acb_realref(z + i), prec);
        arb_get_ubound_arf(b, acb_realref(z + i), prec);
        if (i == 0 || (want_max ? arf_cmp(a, best_lo) > 0 : arf_cmp(a, best_lo) < 0)) arf_set(best_lo, a);
        if (i == 0 || (want_max ? arf_cmp(b, best_hi) > 0 : arf_cmp(b, best_hi) < 0)) arf_set(best_hi, b);
    }
    arf_get_fmpq(lo, best_lo);
    arf_get_fmpq(hi, best_hi);
    arf_clear(a); arf_clear(b); arf_clear(best_lo); arf_clear(best_hi);
    _acb_vec_clear(z, d);
    fmpz_poly_clear(g);
}

/* f (initialised here) = the characteristic polynomial of Sigma restricted to range(V), V a
 * basis of a Sigma-invariant subspace: that of (V^T V)^-1 V^T Sigma V */
static void restricted_charpoly(fmpq_poly_t f, const fmpq_mat_t V, const fmpq_mat_t Sigma)
{
    fmpq_mat_t T, S, G, Q;
    lmo_dl_mul(T, Sigma, V);
    lmo_dl_mul_tn(S, V, T);
    lmo_dl_mul_tn(G, V, V);
    fmpq_mat_init(Q, fmpq_mat_ncols(V), fmpq_mat_ncols(V));
    fmpq_mat_solve(Q, G, S);
    fmpq_poly_init(f);
    fmpq_mat_charpoly(f, Q);
    fmpq_mat_clear(T);
    fmpq_mat_clear(S);
    fmpq_mat_clear(G);
    fmpq_mat_clear(Q);
}

/* Lemma 4.6's C (C^T C)^- C^T = U_pbar U_pbar^T: range(C) is the span of the eigenvectors of
 * Sigma's pbar largest eigenvalues. 1, 0, or -1 (undecided: a tie arb cannot split). Sigma is
 * symmetric, so range(C) is that span iff it is Sigma-invariant (N^T Sigma B = 0 for bases B
 * of range C and N of its complement) and every eigenvalue of Sigma on it exceeds every one
 * on the complement: a rational tau with all roots of f_B above it and none of f_N, counted
 * exactly by Descartes' rule (f_B, f_N the characteristic polynomials of the restrictions). */
static int top_eigenspace(const fmpq_mat_t C, const fmpq_mat_t Sigma)
{
    slong dy = fmpq_mat_nrows(C), d1 = fmpq_mat_ncols(C);
    fmpq_mat_t Ct, B, N, T, NSB;
    fmpq_mat_init(Ct, d1, dy);
    fmpq_mat_transpose(Ct, C);
    slong nn = lmo_dl_kernel(N, Ct), pb = dy - nn;
    fmpq_mat_clear(Ct);
    if (pb == 0 || nn == 0) { fmpq_mat_clear(N); return 1; }
    /* B: pivot columns of C */
    fmpq_mat_t E;
    fmpq_mat_init(E, dy, d1);
    fmpq_mat_rref(E, C);
    fmpq_mat_init(B, dy, pb);
    for (slong i = 0, j = 0; i < pb; i++, j++) {
        while (fmpq_is_zero(fmpq_mat_entry(E, i, j))) j++;
        for (slong r = 0; r < dy; r++) fmpq_set(fmpq_mat_entry(B, r, i), fmpq_mat_entry(C, r, j));
    }
    fmpq_mat_clear(E);
    lmo_dl_mul(T, Sigma, B);
    lmo_dl_mul_tn(NSB, N, T);
    int res = 0;
    if (fmpq_mat_is_zero(NSB)) {
        fmpq_poly_t fB, fN;
        restricted_charpoly(fB, B, Sigma);
        restricted_charpoly(fN, N, Sigma);
        fmpq_t alo, ahi, blo, bhi, tau;
        fmpq_init(alo); fmpq_init(ahi); fmpq_init(blo); fmpq_init(bhi);
        fmpq_init(tau);
        res = -1;
        for (slong prec = 64; prec <= 16384 && res < 0; prec *= 2) {
            extreme_root_q(alo, ahi, fB, 0, prec);   /* smallest eigenvalue on range(C) */
            extreme_root_q(blo, bhi, fN, 1, prec);   /* largest on the complement */
            slong at1, at2;
            if (fmpq_cmp(bhi, alo) < 0) {
                fmpq_add(tau, bhi, alo);
                fmpq_div_2exp(tau, tau, 1);
                if (roots_above(&at1, fB, tau) == pb && roots_above(&at2, fN, tau) == 0 &&
                    at1 == 0 && at2 == 0)
                    res = 1;
            } else if (fmpq_cmp(ahi, blo) < 0) {
                fmpq_add(tau, ahi, blo);
                fmpq_div_2exp(tau, tau, 1);
                if (roots_above(&at1, fB, tau) < pb && roots_above(&at2, fN, tau) > 0 &&
                    at1 == 0 && at2 == 0)
                    res = 0;
            }
        }
        fmpq_clear(alo); fmpq_clear(ahi); fmpq_clear(blo); fmpq_clear(bhi);
        fmpq_clear(tau);
        fmpq_poly_clear(fB);
        fmpq_poly_clear(fN);
    }
    fmpq_mat_clear(T);
    fmpq_mat_clear(NSB);
    fmpq_mat_clear(B);
    fmpq_mat_clear(N);
    return res;
}

/* The names of the hypotheses of Theorem 2.3 that fail, into buf. */
static void failed_hypotheses(char *buf, size_t cap, const lmo_dl_hyp_t *h, const lmo_deep_linear_t dl)
{
    slong dx = dl->d[0], dy = dl->d[dl->H + 1];
    buf[0] = '\0';
    size_t n = 0;
    if (!h->xxt_full_rank) n += snprintf(buf + n, cap - n, "%sX X^T is singular", n ? "; " : "");
    if (!h->xyt_full_rank && n < cap)
        n += snprintf(buf + n, cap - n, "%sX Y^T is not of full rank", n ? "; " : "");
    if (!h->dy_le_dx && n < cap)
        n += snprintf(buf + n, cap - n, "%sdy = %ld > dx = %ld", n ? "; " : "", (long) dy, (long) dx);
    if (!h->sigma_distinct && n < cap)
        snprintf(buf + n, cap - n, "%sSigma has a repeated eigenvalue", n ? "; " : "");
}

/* ---- Theorem 2.3 (i): an indefinite Hessian (Appendix B.2) ----------------------------- */

static void theorem_i(lmo_theorem_t *t, const lmo_deep_linear_t dl, int corrupt)
{
    slong H = dl->H, dy = dl->d[H + 1], dx = dl->d[0], n = lmo_deep_linear_nparams(dl);
    /* (a, b) with (Y X^T)_{ab} != 0: nonzero under the hypotheses (rank X Y^T = dy >= 1) */
    fmpq_mat_t YXt;
    lmo_dl_mul_nt(YXt, dl->Y, dl->X);
    slong a = -1, b = -1;
    for (slong i = 0; i < dy && a < 0; i++)
        for (slong j = 0; j < dx; j++)
            if (!fmpq_is_zero(fmpq_mat_entry(YXt, i, j))) { a = i; b = j; break; }
    if (a < 0) {
        lmo_theorem_set(t, STATEMENT[LMO_DL_THM_I], LMO_OUTCOME_VIOLATED,
                        "Y X^T = 0 although the hypotheses hold");
        fmpq_mat_clear(YXt);
        return;
    }
    int sg = fmpq_sgn(fmpq_mat_entry(YXt, a, b));
    fmpq_mat_clear(YXt);
    /* the point: W1 = W(H+1) = 0, Wk = E11 (2 <= k <= H), so W_H...W_2 has rank 1 */
    lmo_deep_linear_t w;
    lmo_deep_linear_init(w, H, dl->d, dl->m);
    fmpq_mat_set(w->X, dl->X);
    fmpq_mat_set(w->Y, dl->Y);
    for (slong k = 2; k <= H; k++) fmpq_one(fmpq_mat_entry(w->W + k - 1, 0, 0));
    /* D: W1 += e1 e_b^T, W(H+1) += sg e_a e1^T: the product moves by t^2 sg e_a e_b^T, so the
     * t^2 coefficient is -sg (Y X^T)_{ab} < 0; D': W(H+1) mirrored: +|(Y X^T)_{ab}| */
    fmpq_mat_t D;
    fmpq_mat_init(D, n, 1);
    fmpq_one(fmpq_mat_entry(D, lmo_deep_linear_offset(w, 1) + b, 0));
    slong top = lmo_deep_linear_offset(w, H + 1) + a * dl->d[H];
    fmpq_set_si(fmpq_mat_entry(D, top, 0), sg, 1);
    slong o1, o2;
    int down = line_moves(&o1, w, D, -1);
    if (!(corrupt & LMO_DL_CORRUPT_WITNESS)) fmpq_neg(fmpq_mat_entry(D, top, 0), fmpq_mat_entry(D, top, 0));
    int up = line_moves(&o2, w, D, +1);
    if (down && up && o1 == 2 && o2 == 2)
        lmo_theorem_set(t, STATEMENT[LMO_DL_THM_I], LMO_OUTCOME_HOLDS,
                        "the Hessian at W1 = W%ld = 0%s (Appendix B.2) is indefinite: along "
                        "W1 += t e1 e%ld^T, W%ld += +-t e%ld e1^T the loss moves first by -c t^2 "
                        "and +c t^2, c = |(Y X^T)_%ld%ld| > 0", (long) (H + 1),
                        H >= 2 ? ", Wk = E11 in between" : "", (long) (b + 1),
                        (long) (H + 1), (long) (a + 1), (long) (a + 1), (long) (b + 1));
    else
        lmo_theorem_set(t, STATEMENT[LMO_DL_THM_I], LMO_OUTCOME_VIOLATED,
                        "Appendix B.2's point W1 = W%ld = 0, Wk = E11 shows no indefinite Hessian: "
                        "the two lines move first %s and %s", (long) (H + 1),
                        down ? "down at t^2" : "not down at t^2", up ? "up at t^2" : "not up at t^2");
    fmpq_mat_clear(D);
    lmo_deep_linear_clear(w);
}

/* ---- Corollary 2.4 ------------------------------------------------------------------------
 * "For three-layer networks (i.e., H = 1), the Hessian at any saddle point has at least one
 * (strictly) negative eigenvalue. In contrast, for networks deeper than three layers (i.e.,
 * H >= 2), there exist saddle points at which the Hessian does not have any negative
 * eigenvalue." The proof (Appendix C.1) takes W_H = ... = W_1 = 0 with W_(H+1) free and says
 * every Hessian entry vanishes; that holds for H >= 3 only: for H = 2 the (W1, W2) block is
 * (I (x) X)(I (x) r W3), nonzero when W3 != 0 (such points are strict saddles). The witness
 * for H = 2 is therefore W = 0, the family's member with W3 = 0. */
static void corollary_2_4_deep(lmo_theorem_t *t, const lmo_dl_result_t res,
                               const lmo_deep_linear_t dl, int corrupt)
{
    slong H = dl->H, n = lmo_deep_linear_nparams(dl);
    lmo_deep_linear_t w;
    lmo_deep_linear_init(w, H, dl->d, dl->m);
    fmpq_mat_set(w->X, dl->X);
    fmpq_mat_set(w->Y, dl->Y);
    int keep_top = H >= 3 || (corrupt & LMO_DL_CORRUPT_COR24);
    if (keep_top) fmpq_mat_set(w->W + H, dl->W + H);
    fmpq_mat_t g, Hs;
    fmpq_mat_init(g, n, 1);
    fmpq_mat_init(Hs, n, n);
    lmo_deep_linear_gradient(g, w);
    lmo_deep_linear_hessian(Hs, w);
    int crit = fmpq_mat_is_zero(g), hzero = fmpq_mat_is_zero(Hs);
    /* not a global minimum: the loss tr(YY^T)/2 is above L* = (tr YY^T - S_q)/2 iff S_q > 0 */
    int above;
    {
        fmpq_t half;
        fmpq_init(half);
        fmpq_div_2exp(half, res->trace_yyt, 1);
        above = fmpq_cmp(res->gmin_hi, half) < 0;
        fmpq_clear(half);
    }
    lmo_dl_escape_t down, up;
    lmo_dl_escape_init(&down);
    lmo_dl_escape_init(&up);
    int d_ok = crit && lmo_deep_linear_escape(&down, w, -1, 0);
    int u_ok = crit && lmo_deep_linear_escape(&up, w, +1, 0);
    char which[96];
    if (H == 2) snprintf(which, sizeof which, "W = 0%s", keep_top ? " except this point's W3" : "");
    else snprintf(which, sizeof which, "W1 = ... = W%ld = 0 with this point's W%ld", (long) H, (long) (H + 1));
    if (crit && hzero && above && d_ok && u_ok)
        lmo_theorem_set(t, STATEMENT[LMO_DL_COR_2_4], LMO_OUTCOME_HOLDS,
                        "H = %ld >= 2: at %s (Appendix C.1%s) the gradient and the Hessian vanish, "
                        "the loss tr(YY^T)/2 is above L*, and it falls at t^%ld and rises at t^%ld "
                        "along curves built as in Theorem 2.3 (ii): a saddle without a negative "
                        "eigenvalue", (long) H, which,
                        H == 2 ? "; for H = 2 its zero Hessian needs W3 = 0" : "",
                        (long) down.order, (long) up.order);
    else
        lmo_theorem_set(t, STATEMENT[LMO_DL_COR_2_4], LMO_OUTCOME_VIOLATED,
                        "H = %ld >= 2: the witness %s is not a saddle with a zero Hessian (%s%s%s%s)",
                        (long) H, which, crit ? "" : "not critical; ",
                        hzero ? "" : "the Hessian is not zero; ",
                        above ? "" : "its loss is not above L*; ",
                        d_ok && u_ok ? "" : "no escape curves");
    lmo_dl_escape_clear(&down);
    lmo_dl_escape_clear(&up);
    fmpq_mat_clear(g);
    fmpq_mat_clear(Hs);
    lmo_deep_linear_clear(w);
}

/* ---- Appendix C.1, as printed ---------------------------------------------------------
 * "Suppose that W_H = W_{H-1} = ... = W_2 = W_1 = 0. Then, from Lemma 4.1, it defines an
 * uncountable set of critical points, in which W_{H+1} can vary in R^{d_y x d_H}. [...] from
 * the proof of Lemma 4.3, every diagonal and off-diagonal element of the Hessian is zero if
 * W_H = W_{H-1} = ... = W_2 = W_1 = 0." Checked on this point when it lies in that set,
 * against the exact Hessian's inertia (a symmetric matrix is zero iff it has no nonzero
 * eigenvalue). */
static void proof_c1(lmo_theorem_t *t, const lmo_dl_result_t res, const lmo_deep_linear_t dl)
{
    const char *S = STATEMENT[LMO_DL_PROOF_C1];
    slong H = dl->H;
    if (H < 2) {
        lmo_theorem_set(t, S, LMO_OUTCOME_NOT_APPLICABLE, "H = 1: the proof's set is for H >= 2");
        return;
    }
    for (slong k = 0; k < H; k++)
        if (!fmpq_mat_is_zero(dl->W + k)) {
            lmo_theorem_set(t, S, LMO_OUTCOME_NOT_APPLICABLE,
                            "W%ld != 0: not in the proof's set W1 = ... = W%ld = 0", (long) (k + 1),
                            (long) H);
            return;
        }
    if (!res->critical)
        lmo_theorem_set(t, S, LMO_OUTCOME_VIOLATED, "W1 = ... = W%ld = 0, yet not a critical point "
                        "(Lemma 4.1 makes the set critical)", (long) H);
    else if (res->npos == 0 && res->nneg == 0)
        lmo_theorem_set(t, S, LMO_OUTCOME_HOLDS, "W1 = ... = W%ld = 0: critical, and the Hessian "
                        "is the zero matrix, as the proof says", (long) H);
    else
        lmo_theorem_set(t, S, LMO_OUTCOME_VIOLATED,
                        "W1 = ... = W%ld = 0 with W%ld != 0, yet the Hessian is not zero "
                        "(%ld positive, %ld negative eigenvalues): for H = 2 its (W1, W2) block "
                        "carries r W3. An erratum of the proof; Corollary 2.4 itself holds "
                        "(its witness W = 0 has a zero Hessian)", (long) H, (long) (H + 1),
                        (long) res->npos, (long) res->nneg);
}

/* v^T H v < 0 for the negative-curvature vector v of the inertia, recomputed as
 * 2 [t^2] L(theta + t v) (the loss expansion, not the LDL factors). */
static int negative_curvature(const lmo_dl_result_t res, const lmo_deep_linear_t dl, int corrupt)
{
    if (res->nneg == 0 || fmpq_mat_nrows(res->hess->v) != res->n) return 0;
    fmpq_mat_t v;
    fmpq_mat_init(v, res->n, 1);
    if (!(corrupt & LMO_DL_CORRUPT_INERTIA)) fmpq_mat_set(v, res->hess->v);
    slong ord;
    int ok = line_moves(&ord, dl, v, -1) && ord == 2;
    fmpq_mat_clear(v);
    return ok;
}

/* ---- Corollary 3.2: the expected nonlinear output is the linear one ---------------------
 * Equation (1): Yhat_(j,i) = q sum over the Psi paths p from an input to output j of
 * [X_i]_(j,p) [Z_i]_(j,p) prod_k w^(k)_(j,p). Under A1p-m and A5u-m the Z are Bernoulli(rho)
 * independent of X and W, so E_Z Yhat = q rho (path sum); with q = 1/rho it is the path sum,
 * which must equal (W(H+1)...W1 X)_(j,i): checked by enumerating the paths one by one (not by
 * multiplying matrices), then L(W) = 1/2 ||E_Z Yhat - Y||^2 against the loss. */
#define COR32_MAX_TERMS 2000000
static void corollary_3_2(lmo_theorem_t *t, const lmo_dl_result_t res, const lmo_deep_linear_t dl,
                          int corrupt)
{
    slong H = dl->H, *d = dl->d, m = dl->m, dy = d[H + 1];
    double psi_d = 1;
    for (slong k = 0; k <= H; k++) psi_d *= (double) d[k];
    if (psi_d * (double) (dy * m) > COR32_MAX_TERMS) {
        lmo_theorem_set(t, STATEMENT[LMO_DL_COR_3_2], LMO_OUTCOME_UNDECIDED,
                        "%.0f paths per output: over the enumeration cap (%d path terms)", psi_d,
                        COR32_MAX_TERMS);
        return;
    }
    slong psi = (slong) psi_d;
    fmpq_t rho, q, sum, term, L;
    fmpq_init(rho); fmpq_init(q); fmpq_init(sum); fmpq_init(term); fmpq_init(L);
    fmpq_set_si(rho, 1, 2);
    fmpq_inv(q, rho);
    slong *idx = flint_malloc(sizeof(slong) * (H + 2));
    fmpq_zero(L);
    int dropped = 0;
    for (slong j = 0; j < dy; j++)
        for (slong i = 0; i < m; i++) {
            fmpq_zero(sum);
            for (slong p = 0; p < psi; p++) {
                /* path p: units idx[0] (input) .. idx[H] (layer H), then output j */
                slong r = p;
                for (slong k = 0; k <= H; k++) { idx[k] = r % d[k]; r /= d[k]; }
                idx[H + 1] = j;
                fmpq_set(term, fmpq_mat_entry(dl->X, idx[0], i));
                for (slong k = 1; k <= H + 1 && !fmpq_is_zero(term); k++)
                    fmpq_mul(term, term, fmpq_mat_entry(dl->W + k - 1, idx[k], idx[k - 1]));
                if ((corrupt & LMO_DL_CORRUPT_PATHS) && !dropped && !fmpq_is_zero(term)) {
                    dropped = 1;   /* the test hook: the first path that carries something */
                    continue;
                }
                fmpq_mul(term, term, rho);   /* E[Z] */
                fmpq_mul(term, term, q);
                fmpq_add(sum, sum, term);
            }
            fmpq_sub(sum, sum, fmpq_mat_entry(dl->Y, j, i));
            fmpq_addmul(L, sum, sum);
        }
    fmpq_div_2exp(L, L, 1);
    if (fmpq_equal(L, res->loss))
        lmo_theorem_set(t, STATEMENT[LMO_DL_COR_3_2], LMO_OUTCOME_HOLDS,
                        "with Z ~ Bernoulli(1/2) independent of X and W (A1p-m, A5u-m) and q = 2, "
                        "E_Z of the %ld-path sum (1) is W%ld...W1 X, so L(W) = 1/2 ||E_Z Yhat - Y||^2 "
                        "equals this loss, and Theorem 2.3's outcomes above carry over", (long) psi,
                        (long) (H + 1));
    else
        lmo_theorem_set(t, STATEMENT[LMO_DL_COR_3_2], LMO_OUTCOME_VIOLATED,
                        "the expected nonlinear loss over the %ld-path sum (1) differs from the deep "
                        "linear loss", (long) psi);
    flint_free(idx);
    fmpq_clear(rho); fmpq_clear(q); fmpq_clear(sum); fmpq_clear(term); fmpq_clear(L);
}

/* ---- the checks ------------------------------------------------------------------------- */

int lmo_deep_linear_theorems(lmo_dl_result_t res, const lmo_deep_linear_t dl,
                             const lmo_dl_opts_t *opts, lmo_err_t *err)
{
    (void) err;
    slong H = dl->H, dy = dl->d[H + 1], p = res->p;
    int cor = opts ? opts->corrupt : 0;
    lmo_theorem_t *T = res->thm;
    for (int i = 0; i < LMO_DL_NTHM; i++) T[i].statement = NULL;
    char hyp[160];
    failed_hypotheses(hyp, sizeof hyp, &res->hyp, dl);
    if (!res->hyp.hold) {
        for (int i = 0; i < LMO_DL_NTHM; i++)
            if (i != LMO_DL_COR_3_2)
                lmo_theorem_set(T + i, STATEMENT[i], LMO_OUTCOME_NOT_APPLICABLE,
                                "hypothesis of Theorem 2.3 fails: %s", hyp);
        corollary_3_2(T + LMO_DL_COR_3_2, res, dl, cor);
        goto done;
    }

    theorem_i(T + LMO_DL_THM_I, dl, cor);
    corollary_3_2(T + LMO_DL_COR_3_2, res, dl, cor);

    /* the lemmas' quantities: C, G = (X r)^T, per k the two alternatives */
    fmpq_mat_t C, G, Sigma;
    lmo_deep_linear_C(C, dl);
    lmo_dl_residual_gram(G, dl);
    fmpq_mat_init(Sigma, dy, dy);
    fmpq_mat_set(Sigma, res->sigma);
    int semidef = res->critical && (res->nneg == 0 || res->npos == 0);
    int psd = res->critical && res->nneg == 0;
    int xr_zero = fmpq_mat_is_zero(G);
    slong rank_c = lmo_deep_linear_qrank(C);

    /* Lemma 4.4 and Corollary 4.5 */
    if (!semidef) {
        const char *why = !res->critical ? "not a critical point"
                                         : "the Hessian is indefinite (neither >= 0 nor <= 0)";
        lmo_theorem_set(T + LMO_DL_LEM_4_4, STATEMENT[LMO_DL_LEM_4_4], LMO_OUTCOME_NOT_APPLICABLE, "%s", why);
        lmo_theorem_set(T + LMO_DL_COR_4_5, STATEMENT[LMO_DL_COR_4_5], LMO_OUTCOME_NOT_APPLICABLE, "%s", why);
    } else {
        fmpq_mat_t Gc;
        fmpq_mat_init(Gc, fmpq_mat_nrows(G), fmpq_mat_ncols(G));
        fmpq_mat_set(Gc, G);
        if (cor & LMO_DL_CORRUPT_RESIDUAL)
            fmpq_add_si(fmpq_mat_entry(Gc, 0, 0), fmpq_mat_entry(Gc, 0, 0), 1);
        char l44[200] = "", l45[200] = "";
        slong bad44 = 0, bad45 = 0;
        size_t n44 = 0, n45 = 0;
        for (slong k = 2; k <= H + 1; k++) {
            fmpq_mat_t Bp, A, St, AtG, Up;
            lmo_dl_chain(Bp, dl, 2, k - 1);          /* W(k-1)...W2 (I_d1 for k = 2) */
            lmo_dl_chain(A, dl, k + 1, H + 1);       /* W(H+1)...W(k+1) (I for k = H+1) */
            lmo_dl_mul_tn(AtG, A, Gc);               /* (X r A_k)^T */
            int xra = fmpq_mat_is_zero(AtG);
            /* R(Bp^T) in R(C^T C) = R(C^T) iff rank [C; Bp] = rank C */
            fmpq_mat_init(St, dy + dl->d[k - 1], dl->d[1]);
            for (slong i = 0; i < dy; i++)
                for (slong jj = 0; jj < dl->d[1]; jj++) fmpq_set(fmpq_mat_entry(St, i, jj), fmpq_mat_entry(C, i, jj));
            for (slong i = 0; i < dl->d[k - 1]; i++)
                for (slong jj = 0; jj < dl->d[1]; jj++)
                    fmpq_set(fmpq_mat_entry(St, dy + i, jj), fmpq_mat_entry(Bp, i, jj));
            slong rb = lmo_deep_linear_qrank(Bp);
            int inrange = lmo_deep_linear_qrank(St) == rank_c;
            lmo_dl_chain(Up, dl, k, H + 1);          /* W(H+1)...Wk */
            int rank_ge = lmo_deep_linear_qrank(Up) >= rb;
            if (!inrange && !xra) bad44 = k;
            if (!rank_ge && !xra) bad45 = k;
            if (n44 < sizeof l44)
                n44 += snprintf(l44 + n44, sizeof l44 - n44, "%sk = %ld: %s", k > 2 ? "; " : "",
                                (long) k, inrange ? "range" : xra ? "X r A_k = 0" : "neither");
            if (n45 < sizeof l45)
                n45 += snprintf(l45 + n45, sizeof l45 - n45, "%sk = %ld: %s", k > 2 ? "; " : "",
                                (long) k, rank_ge ? "rank" : xra ? "X r A_k = 0" : "neither");
            fmpq_mat_clear(Bp); fmpq_mat_clear(A); fmpq_mat_clear(St); fmpq_mat_clear(AtG);
            fmpq_mat_clear(Up);
        }
        fmpq_mat_clear(Gc);
        if (bad44)
            lmo_theorem_set(T + LMO_DL_LEM_4_4, STATEMENT[LMO_DL_LEM_4_4], LMO_OUTCOME_VIOLATED,
                            "the Hessian is semidefinite at a critical point, but at k = %ld neither "
                            "R((W%ld...W2)^T) is in R(C^T C) nor X r W%ld...W%ld = 0 (%s)",
                            (long) bad44, (long) (bad44 - 1), (long) (H + 1), (long) (bad44 + 1), l44);
        else
            lmo_theorem_set(T + LMO_DL_LEM_4_4, STATEMENT[LMO_DL_LEM_4_4], LMO_OUTCOME_HOLDS,
                            "Hessian semidefinite at a critical point; R((W(k-1)...W2)^T) in R(C^T C) "
                            "(range) or X r W(H+1)...W(k+1) = 0: %s", l44);
        if (bad45)
            lmo_theorem_set(T + LMO_DL_COR_4_5, STATEMENT[LMO_DL_COR_4_5], LMO_OUTCOME_VIOLATED,
                            "at k = %ld, rank(W%ld...W%ld) < rank(W%ld...W2) and X r A_k != 0 (%s)",
                            (long) bad45, (long) (H + 1), (long) bad45, (long) (bad45 - 1), l45);
        else
            lmo_theorem_set(T + LMO_DL_COR_4_5, STATEMENT[LMO_DL_COR_4_5], LMO_OUTCOME_HOLDS,
                            "rank(W(H+1)...Wk) >= rank(W(k-1)...W2) (rank) or X r A_k = 0: %s", l45);
    }

    /* Lemma 4.6, and the route of Theorem 2.3 (ii) Case I/II */
    int top = -1;
    if (psd && !xr_zero) {
        if (cor & LMO_DL_CORRUPT_SIGMA) fmpq_mat_neg(Sigma, Sigma);
        top = top_eigenspace(C, Sigma);
    }
    if (!psd)
        lmo_theorem_set(T + LMO_DL_LEM_4_6, STATEMENT[LMO_DL_LEM_4_6], LMO_OUTCOME_NOT_APPLICABLE, "%s",
                        !res->critical ? "not a critical point" : "the Hessian is not >= 0");
    else if (xr_zero)
        lmo_theorem_set(T + LMO_DL_LEM_4_6, STATEMENT[LMO_DL_LEM_4_6], LMO_OUTCOME_HOLDS,
                        "Hessian >= 0 at a critical point, and X r = 0");
    else if (top == 1 && rank_c == 0)
        lmo_theorem_set(T + LMO_DL_LEM_4_6, STATEMENT[LMO_DL_LEM_4_6], LMO_OUTCOME_HOLDS,
                        "Hessian >= 0 at a critical point, X r != 0, and C = 0: C (C^T C)^- C^T = 0 "
                        "= U_pbar U_pbar^T with pbar = 0");
    else if (top == 1)
        lmo_theorem_set(T + LMO_DL_LEM_4_6, STATEMENT[LMO_DL_LEM_4_6], LMO_OUTCOME_HOLDS,
                        "Hessian >= 0 at a critical point, X r != 0, and C (C^T C)^- C^T = U_pbar "
                        "U_pbar^T: range(C) is the span of Sigma's %ld largest eigenvectors "
                        "(invariant; separated by a rational tau, roots counted by Descartes' rule)",
                        (long) rank_c);
    else if (top == 0)
        lmo_theorem_set(T + LMO_DL_LEM_4_6, STATEMENT[LMO_DL_LEM_4_6], LMO_OUTCOME_VIOLATED,
                        "Hessian >= 0 at a critical point, but X r != 0 and range(C) (rank %ld) is "
                        "not the span of Sigma's %ld largest eigenvectors", (long) rank_c, (long) rank_c);
    else
        lmo_theorem_set(T + LMO_DL_LEM_4_6, STATEMENT[LMO_DL_LEM_4_6], LMO_OUTCOME_UNDECIDED,
                        "eigenvalues of Sigma on range(C) and its complement not separated at "
                        "16384 bits");

    /* Theorem 2.3 (ii) */
    {
        lmo_theorem_t *t = T + LMO_DL_THM_II;
        const char *S = STATEMENT[LMO_DL_THM_II];
        if (!res->critical)
            lmo_theorem_set(t, S, LMO_OUTCOME_HOLDS, "not a critical point (gradient entry %ld != 0): "
                            "not a local minimum", (long) res->grad_index);
        else if (res->nneg > 0)
            lmo_theorem_set(t, S, LMO_OUTCOME_HOLDS, "the Hessian has a negative eigenvalue: not a "
                            "local minimum");
        else if (res->rank_mid == p) {
            /* Case I/II: Hessian >= 0 and rank(WH...W2) = p give X r = 0, or range(C) = the top-p
             * eigenspace with rank C = p: a global minimum */
            int route = xr_zero || (top == 1 && rank_c == p);
            if (route && res->is_global == 1)
                lmo_theorem_set(t, S, LMO_OUTCOME_HOLDS, "Case %s (rank(WH...W2) = p = %ld, Hessian "
                                ">= 0): %s, so a global minimum, as the separator certifies",
                                dy <= p ? "I" : "II", (long) p, xr_zero ? "X r = 0"
                                : "range(C) is the span of Sigma's p largest eigenvectors");
            else if (route)
                lmo_theorem_set(t, S, LMO_OUTCOME_VIOLATED, "Case %s (rank(WH...W2) = p = %ld, Hessian "
                                ">= 0) gives a global minimum, but the loss is not the global minimum "
                                "value", dy <= p ? "I" : "II", (long) p);
            else
                lmo_theorem_set(t, S, LMO_OUTCOME_VIOLATED, "Case %s: rank(WH...W2) = p = %ld and the "
                                "Hessian >= 0, but X r != 0 and range(C) (rank %ld) is not the span of "
                                "Sigma's p largest eigenvectors%s", dy <= p ? "I" : "II", (long) p,
                                (long) rank_c, top < 0 ? " (undecided)" : "");
        } else if (res->is_global == 1)
            lmo_theorem_set(t, S, LMO_OUTCOME_HOLDS, "Case III (rank(WH...W2) = %ld < p = %ld), Hessian "
                            ">= 0: a global minimum", (long) res->rank_mid, (long) p);
        else if (res->ndesc > 0 && res->desc_method != LMO_DL_ESCAPE_SEARCH) {
            slong ord = 0;
            lmo_poly_leading_change(&ord, res->desc_poly);
            lmo_theorem_set(t, S, LMO_OUTCOME_HOLDS, "Case III (rank(WH...W2) = %ld < p = %ld), Hessian "
                            ">= 0, not global: not a local minimum, the loss falls at t^%ld along %s",
                            (long) res->rank_mid, (long) p, (long) ord, escape_how(res->desc_method));
        } else
            lmo_theorem_set(t, S, LMO_OUTCOME_VIOLATED, "Case III (rank(WH...W2) = %ld < p = %ld): "
                            "critical, Hessian >= 0, not a global minimum, and the proof's "
                            "construction gives no descent curve", (long) res->rank_mid, (long) p);
    }

    /* Theorem 2.3 (iii): the descent as in (ii), the ascent along the proof's route (B.3) */
    {
        lmo_theorem_t *t = T + LMO_DL_THM_III;
        const char *S = STATEMENT[LMO_DL_THM_III];
        if (!res->critical)
            lmo_theorem_set(t, S, LMO_OUTCOME_NOT_APPLICABLE, "not a critical point");
        else if (res->is_global == 1)
            lmo_theorem_set(t, S, LMO_OUTCOME_NOT_APPLICABLE, "a global minimum");
        else {
            slong dord = 0, aord = 0;
            const char *dhow, *ahow;
            int dok;
            if (res->nneg > 0) {
                dok = negative_curvature(res, dl, 0);
                dord = 2;
                dhow = escape_how(LMO_DL_ESCAPE_NEGATIVE);
            } else {
                dok = res->ndesc > 0 && lmo_poly_leading_change(&dord, res->desc_poly) == -1;
                dhow = escape_how(res->desc_method);
            }
            /* C != 0: the W1 block C^T C (x) X X^T of the Hessian (Lemma 4.3) has a positive
             * diagonal entry (C^T C)_ii (X X^T)_jj: the loss rises at t^2 along e_(i,j) of W1 */
            int aok = 0;
            char abuf[160];
            slong ci = -1;
            for (slong jj = 0; jj < fmpq_mat_ncols(C) && ci < 0; jj++)
                for (slong i = 0; i < dy; i++)
                    if (!fmpq_is_zero(fmpq_mat_entry(C, i, jj))) { ci = jj; break; }
            if (ci >= 0) {
                slong xj = -1;
                for (slong i = 0; i < dl->d[0] && xj < 0; i++)
                    for (slong jj = 0; jj < dl->m; jj++)
                        if (!fmpq_is_zero(fmpq_mat_entry(dl->X, i, jj))) { xj = i; break; }
                fmpq_mat_t e;
                fmpq_mat_init(e, res->n, 1);
                if (xj >= 0) {
                    fmpq_one(fmpq_mat_entry(e, lmo_deep_linear_offset(dl, 1) + ci * dl->d[0] + xj, 0));
                    aok = line_moves(&aord, dl, e, (cor & LMO_DL_CORRUPT_ASCENT) ? -1 : +1) && aord == 2;
                }
                fmpq_mat_clear(e);
                snprintf(abuf, sizeof abuf, "W1 entry (%ld, %ld), a positive diagonal entry "
                         "(C^T C)_ii (X X^T)_jj of the Hessian's W1 block", (long) (ci + 1), (long) (xj + 1));
                ahow = abuf;
            } else {
                /* C = 0: the proof perturbs the weights without changing the loss until C != 0;
                 * here the same construction as the descent, aimed upward */
                lmo_dl_escape_t e;
                lmo_dl_escape_init(&e);
                aok = lmo_deep_linear_escape(&e, dl, +1, cor & LMO_DL_CORRUPT_ASCENT);
                aord = e.order;
                snprintf(abuf, sizeof abuf, "%s (C = 0)", escape_how(e.method));
                ahow = abuf;
                lmo_dl_escape_clear(&e);
            }
            if (dok && aok)
                lmo_theorem_set(t, S, LMO_OUTCOME_HOLDS, "a saddle: the loss falls at t^%ld along %s "
                                "and rises at t^%ld along %s", (long) dord, dhow, (long) aord, ahow);
            else
                lmo_theorem_set(t, S, LMO_OUTCOME_VIOLATED, "critical, not a global minimum, but %s",
                                !dok ? "no descent curve: a local minimum is not excluded"
                                     : "the proof's ascent does not rise: a local maximum is not excluded");
        }
    }

    /* Theorem 2.3 (iv) and Corollary 2.4 */
    {
        int saddle = res->critical && res->is_global != 1;
        lmo_theorem_t *t = T + LMO_DL_THM_IV;
        const char *S = STATEMENT[LMO_DL_THM_IV];
        if (!saddle)
            lmo_theorem_set(t, S, LMO_OUTCOME_NOT_APPLICABLE, "%s", !res->critical
                            ? "not a critical point" : "a global minimum, not a saddle point");
        else if (res->rank_mid != p)
            lmo_theorem_set(t, S, LMO_OUTCOME_NOT_APPLICABLE, "rank(WH...W2) = %ld < p = %ld",
                            (long) res->rank_mid, (long) p);
        else if (negative_curvature(res, dl, cor))
            lmo_theorem_set(t, S, LMO_OUTCOME_HOLDS, "rank(WH...W2) = p = %ld at a saddle point, and "
                            "v^T H v = 2 [t^2] L(theta + t v) < 0", (long) p);
        else
            lmo_theorem_set(t, S, LMO_OUTCOME_VIOLATED, "rank(WH...W2) = p = %ld at a saddle point, but "
                            "no v with v^T H v < 0 (inertia: %ld negative)", (long) p, (long) res->nneg);
        t = T + LMO_DL_COR_2_4;
        S = STATEMENT[LMO_DL_COR_2_4];
        if (H >= 2)
            corollary_2_4_deep(t, res, dl, cor);
        else if (!saddle)
            lmo_theorem_set(t, S, LMO_OUTCOME_NOT_APPLICABLE, "H = 1: %s", !res->critical
                            ? "not a critical point" : "a global minimum, not a saddle point");
        else if (negative_curvature(res, dl, cor))
            lmo_theorem_set(t, S, LMO_OUTCOME_HOLDS, "H = 1 at a saddle point: v^T H v = 2 [t^2] "
                            "L(theta + t v) < 0");
        else
            lmo_theorem_set(t, S, LMO_OUTCOME_VIOLATED, "H = 1 at a saddle point, but no v with "
                            "v^T H v < 0 (inertia: %ld negative)", (long) res->nneg);
    }
    proof_c1(T + LMO_DL_PROOF_C1, res, dl);
    fmpq_mat_clear(C);
    fmpq_mat_clear(G);
    fmpq_mat_clear(Sigma);
done:
    res->violation = 0;
    for (int i = 0; i < LMO_DL_NTHM; i++)
        res->violation |= T[i].statement && T[i].outcome == LMO_OUTCOME_VIOLATED;
    return LMO_OK;
}
