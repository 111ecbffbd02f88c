/* Deep linear networks (lmo/kawaguchi/deep_linear.h), Kawaguchi 2016.
 *  - Hessian by the Lemma 4.3 block formulas == Hessian by hyper-dual
 *    differentiation of the polynomial loss, and gradient (Lemma 4.1) ==
 *    hyper-dual gradient, on random instances;
 *  - the Q[t] expansion of the loss along a line has the gradient and the
 *    Hessian as its first coefficients;
 *  - each constructor gives the class its construction guarantees, checked
 *    WITHOUT the classifier (hyper-dual gradient/Hessian, Descartes on the
 *    Hessian's characteristic polynomial, L* from the integer eigenvalues of
 *    Sigma found by factoring, direct loss evaluations along the escape
 *    curve), and then the classifier must agree and the theorem hold;
 *  - the global-minimum certificate's identities, recomputed here.
 * `test_deep_linear --slow` (ctest unit.test_deep_linear_slow, label slow): the
 * constructors' checks on eleven shapes, six seeds each. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <flint/fmpz_poly.h>
#include <flint/fmpz_poly_factor.h>
#include "lmo/kawaguchi/deep_linear.h"
#include "lmo/core/vector_io.h"
#include "lmo_test.h"
#include "lmo_test_q.h"

static void rand_q(fmpq_t x, flint_rand_t st)
{
    fmpz_randtest(fmpq_numref(x), st, 4);
    fmpz_set_si(fmpq_denref(x), 1 + (slong) n_randint(st, 4));
    fmpq_canonicalise(x);
}

static void rand_mat(fmpq_mat_t A, flint_rand_t st)
{
    for (slong i = 0; i < fmpq_mat_nrows(A); i++)
        for (slong j = 0; j < fmpq_mat_ncols(A); j++) rand_q(fmpq_mat_entry(A, i, j), st);
}

static void random_instance(lmo_deep_linear_t dl, flint_rand_t st)
{
    lmo_test_rand_dl_init(dl, st);
    rand_mat(dl->X, st);
    rand_mat(dl->Y, st);
    for (slong k = 0; k <= dl->H; k++) rand_mat(dl->W + k, st);
}

/* ---- independent references ---- */

static slong descartes_neg(const fmpq_mat_t H)
{
    /* negative eigenvalues = sign changes of charpoly(-x) (all roots real) */
    fmpq_poly_t f;
    fmpq_poly_init(f);
    fmpq_mat_charpoly(f, H);
    slong ch = lmo_test_sign_changes(f, 1);
    fmpq_poly_clear(f);
    return ch;
}

/* L* = (tr YY^T - sum of the q largest eigenvalues)/2 for generated data,
 * whose Sigma has integer eigenvalues s_i^2 (and zeros): found as the
 * linear factors of its characteristic polynomial. Returns 0 if some
 * eigenvalue is not rational (then the test cannot use this reference). */
static int gmin_reference(fmpq_t Lstar, const lmo_deep_linear_t dl, slong q)
{
    slong dy = dl->d[dl->H + 1];
    fmpq_mat_t S;
    fmpq_mat_init(S, dy, dy);
    lmo_deep_linear_sigma(S, dl);
    fmpq_poly_t f;
    fmpz_poly_t g;
    fmpz_poly_factor_t fac;
    fmpq_poly_init(f);
    fmpz_poly_init(g);
    fmpz_poly_factor_init(fac);
    fmpq_mat_charpoly(f, S);
    fmpq_poly_get_numerator(g, f);
    fmpz_poly_factor(fac, g);
    fmpq_t *roots = flint_malloc(sizeof(fmpq_t) * dy);
    slong cnt = 0;
    int ok = 1;
    for (slong i = 0; i < fac->num; i++) {
        if (fmpz_poly_degree(fac->p + i) != 1) { ok = 0; continue; }
        for (slong e = 0; e < fac->exp[i]; e++) {
            fmpq_init(roots[cnt]);
            fmpz_neg(fmpq_numref(roots[cnt]), fac->p[i].coeffs);
            fmpz_set(fmpq_denref(roots[cnt]), fac->p[i].coeffs + 1);
            fmpq_canonicalise(roots[cnt]);
            cnt++;
        }
    }
    if (ok && cnt == dy) {
        /* selection of the q largest */
        for (slong i = 0; i < cnt; i++)
            for (slong j = i + 1; j < cnt; j++)
                if (fmpq_cmp(roots[j], roots[i]) > 0) fmpq_swap(roots[i], roots[j]);
        fmpq_zero(Lstar);
        for (slong i = 0; i < dy; i++)
            for (slong j = 0; j < dl->m; j++)
                fmpq_addmul(Lstar, fmpq_mat_entry(dl->Y, i, j), fmpq_mat_entry(dl->Y, i, j));
        for (slong i = 0; i < q; i++) fmpq_sub(Lstar, Lstar, roots[i]);
        fmpq_div_2exp(Lstar, Lstar, 1);
    } else ok = 0;
    for (slong i = 0; i < cnt; i++) fmpq_clear(roots[i]);
    flint_free(roots);
    fmpz_poly_factor_clear(fac);
    fmpz_poly_clear(g);
    fmpq_poly_clear(f);
    fmpq_mat_clear(S);
    return ok;
}

/* loss(theta + t D1 + t^2 D2) by plain evaluation (not the Q[t] code). */
static void loss_at(fmpq_t out, const lmo_deep_linear_t dl, const fmpq_mat_struct *D,
                    slong nd, const fmpq_t t)
{
    slong n = lmo_deep_linear_nparams(dl);
    fmpq_mat_t th, tmp;
    fmpq_mat_init(th, n, 1);
    fmpq_mat_init(tmp, n, 1);
    lmo_deep_linear_get_theta(th, dl);
    fmpq_t tp;
    fmpq_init(tp);
    fmpq_set(tp, t);
    for (slong i = 0; i < nd; i++) {
        fmpq_mat_scalar_mul_fmpq(tmp, D + i, tp);
        fmpq_mat_add(th, th, tmp);
        fmpq_mul(tp, tp, t);
    }
    lmo_deep_linear_t e;
    lmo_deep_linear_init(e, dl->H, dl->d, dl->m);
    lmo_deep_linear_set(e, dl);
    lmo_deep_linear_set_theta(e, th);
    lmo_deep_linear_loss(out, e);
    lmo_deep_linear_clear(e);
    fmpq_clear(tp);
    fmpq_mat_clear(th);
    fmpq_mat_clear(tmp);
}

/* some t = 2^-j, j <= 80, gives loss < L0 (want < 0) or > L0 (want > 0) */
static int moves(const lmo_deep_linear_t dl, const fmpq_mat_struct *D, slong nd, int want)
{
    fmpq_t L0, L, t;
    fmpq_init(L0);
    fmpq_init(L);
    fmpq_init(t);
    lmo_deep_linear_loss(L0, dl);
    int ok = 0;
    for (slong j = 0; j <= 80 && !ok; j += 4) {
        fmpq_one(t);
        fmpq_div_2exp(t, t, j);
        loss_at(L, dl, D, nd, t);
        ok = fmpq_cmp(L, L0) * want > 0;
    }
    fmpq_clear(L0);
    fmpq_clear(L);
    fmpq_clear(t);
    return ok;
}

/* ---- tests ---- */

static void test_two_hessians(flint_rand_t st)
{
    int nonzero = 0;
    for (int it = 0; it < 40; it++) {
        lmo_deep_linear_t dl;
        random_instance(dl, st);
        slong n = lmo_deep_linear_nparams(dl);
        fmpq_mat_t H1, H2, g1, g2;
        fmpq_mat_init(H1, n, n);
        fmpq_mat_init(H2, n, n);
        fmpq_mat_init(g1, n, 1);
        fmpq_mat_init(g2, n, 1);
        lmo_deep_linear_hessian(H1, dl);
        lmo_deep_linear_hessian_direct(H2, dl);
        lmo_deep_linear_gradient(g1, dl);
        lmo_deep_linear_gradient_direct(g2, dl);
        CHECKF(fmpq_mat_equal(H1, H2), "iter %d (H=%ld, n=%ld): Lemma 4.3 Hessian != "
               "hyper-dual Hessian", it, (long) dl->H, (long) n);
        CHECKF(fmpq_mat_equal(g1, g2), "iter %d: Lemma 4.1 gradient != hyper-dual gradient", it);
        nonzero += !fmpq_mat_is_zero(H1);

        /* the loss along theta + t D: c1 = g.D, c2 = D^T H D / 2 */
        fmpq_mat_t D;
        fmpq_mat_init(D, n, 1);
        rand_mat(D, st);
        fmpq_poly_t f;
        fmpq_poly_init(f);
        lmo_deep_linear_curve_loss(f, dl, D, 1);
        fmpq_t c, e, L;
        fmpq_init(c); fmpq_init(e); fmpq_init(L);
        lmo_deep_linear_loss(L, dl);
        fmpq_poly_get_coeff_fmpq(c, f, 0);
        CHECKF(fmpq_equal(c, L), "iter %d: curve c0 != loss", it);
        fmpq_zero(e);
        for (slong i = 0; i < n; i++)
            fmpq_addmul(e, fmpq_mat_entry(g1, i, 0), fmpq_mat_entry(D, i, 0));
        fmpq_poly_get_coeff_fmpq(c, f, 1);
        CHECKF(fmpq_equal(c, e), "iter %d: curve c1 != g.D", it);
        lmo_quad_form(e, H1, D);
        fmpq_div_2exp(e, e, 1);
        fmpq_poly_get_coeff_fmpq(c, f, 2);
        CHECKF(fmpq_equal(c, e), "iter %d: curve c2 != D^T H D / 2", it);
        /* and its value at t = 3/2 is the loss there */
        fmpq_set_si(e, 3, 2);
        fmpq_poly_evaluate_fmpq(c, f, e);
        loss_at(L, dl, D, 1, e);
        CHECKF(fmpq_equal(c, L), "iter %d: curve value at t = 3/2 != loss there", it);
        fmpq_clear(c); fmpq_clear(e); fmpq_clear(L);
        fmpq_poly_clear(f);
        fmpq_mat_clear(D);
        fmpq_mat_clear(H1); fmpq_mat_clear(H2); fmpq_mat_clear(g1); fmpq_mat_clear(g2);
        lmo_deep_linear_clear(dl);
    }
    CHECKF(nonzero >= 30, "only %d of 40 random Hessians are nonzero", nonzero);
}

/* The global-minimum certificate's claims, recomputed from dl. */
static void check_gmin_cert(const lmo_dl_result_t r, const lmo_deep_linear_t dl)
{
    slong dy = r->dy, pb = r->rank_c;
    fmpq_mat_t C, CS, Ct, CtN, S, BN, T, NSB, M1, M2, G;
    lmo_deep_linear_C(C, dl);
    fmpq_mat_init(CS, dy, pb);
    fmpq_mat_mul(CS, C, r->S);
    CHECKF(fmpq_mat_equal(CS, r->B), "cert: C S != B");
    fmpq_mat_init(Ct, fmpq_mat_ncols(C), dy);
    fmpq_mat_transpose(Ct, C);
    fmpq_mat_init(CtN, fmpq_mat_ncols(C), dy - pb);
    fmpq_mat_mul(CtN, Ct, r->N);
    CHECKF(fmpq_mat_is_zero(CtN), "cert: C^T N != 0");
    fmpq_mat_init(BN, dy, dy);
    for (slong i = 0; i < dy; i++)
        for (slong j = 0; j < dy; j++)
            fmpq_set(fmpq_mat_entry(BN, i, j), j < pb ? fmpq_mat_entry(r->B, i, j)
                                                      : fmpq_mat_entry(r->N, i, j - pb));
    fmpq_t det;
    fmpq_init(det);
    fmpq_mat_det(det, BN);
    CHECKF(!fmpq_is_zero(det), "cert: [B N] singular");
    fmpq_mat_init(S, dy, dy);
    lmo_deep_linear_sigma(S, dl);
    CHECKF(fmpq_mat_equal(S, r->sigma), "cert: sigma differs");
    /* N^T Sigma B = 0; pencils */
    fmpq_mat_init(T, dy, pb);
    fmpq_mat_mul(T, S, r->B);
    fmpq_mat_init(G, dy - pb, dy);
    fmpq_mat_transpose(G, r->N);
    fmpq_mat_init(NSB, dy - pb, pb);
    fmpq_mat_mul(NSB, G, T);
    CHECKF(fmpq_mat_is_zero(NSB), "cert: range(C) not Sigma-invariant");
    fmpq_mat_t Bt, tauI, St;
    fmpq_mat_init(Bt, pb, dy);
    fmpq_mat_transpose(Bt, r->B);
    fmpq_mat_init(tauI, dy, dy);
    fmpq_mat_one(tauI);
    fmpq_mat_scalar_mul_fmpq(tauI, tauI, r->tau);
    fmpq_mat_init(St, dy, dy);
    fmpq_mat_sub(St, S, tauI);                 /* Sigma - tau I */
    fmpq_mat_clear(T);
    fmpq_mat_init(T, dy, pb);
    fmpq_mat_mul(T, St, r->B);
    fmpq_mat_init(M1, pb, pb);
    fmpq_mat_mul(M1, Bt, T);
    CHECKF(lmo_ldl_verify(r->ldl_range, M1) &&
           (r->tau_strict ? lmo_ldl_is_pd(r->ldl_range) : lmo_ldl_is_psd(r->ldl_range)),
           "cert: range LDL invalid");
    fmpq_mat_neg(St, St);                      /* tau I - Sigma */
    fmpq_mat_clear(T);
    fmpq_mat_init(T, dy, dy - pb);
    fmpq_mat_mul(T, St, r->N);
    fmpq_mat_init(M2, dy - pb, dy - pb);
    fmpq_mat_mul(M2, G, T);
    CHECKF(lmo_ldl_verify(r->ldl_compl, M2) && lmo_ldl_is_psd(r->ldl_compl),
           "cert: complement LDL invalid");
    fmpq_mat_clear(Bt); fmpq_mat_clear(tauI); fmpq_mat_clear(St);
    fmpq_clear(det);
    fmpq_mat_clear(C); fmpq_mat_clear(CS); fmpq_mat_clear(Ct); fmpq_mat_clear(CtN);
    fmpq_mat_clear(S); fmpq_mat_clear(BN); fmpq_mat_clear(T); fmpq_mat_clear(NSB);
    fmpq_mat_clear(M1); fmpq_mat_clear(M2); fmpq_mat_clear(G);
}

typedef int (*gen_fn)(lmo_deep_linear_t, slong, const slong *, slong, ulong, lmo_err_t *);

static int gen_nc30(lmo_deep_linear_t dl, slong H, const slong *dims, slong m, ulong seed,
                    lmo_err_t *err)
{
    return lmo_deep_linear_gen_not_critical(dl, H, dims, m, seed, 30, err);
}

typedef struct { slong H, m; slong dims[7]; } dl_shape_t;

/* Every constructor on every shape and seeds 1..nseeds (the classifier's seed too): the
 * class the construction guarantees, checked first WITHOUT the classifier -- hyper-dual
 * gradient and Hessian, the Lemma 4.3 Hessian equal to the hyper-dual one, the loss
 * against L* from Sigma's integer eigenvalues, the inertia by Descartes and by the
 * fraction-free (Bareiss) elimination -- then the classifier must agree and the theorem
 * hold. At least min_made points of each class. */
static void test_constructors(const dl_shape_t *shapes, size_t nshapes, ulong nseeds, int min_made)
{
    static const struct { gen_fn f; lmo_dl_class_t cls; const char *name; } gens[] = {
        {lmo_deep_linear_gen_global_min, LMO_DL_GLOBAL_MIN, "global_min"},
        {lmo_deep_linear_gen_strict_saddle, LMO_DL_STRICT_SADDLE, "strict_saddle"},
        {lmo_deep_linear_gen_bad_saddle, LMO_DL_BAD_SADDLE, "bad_saddle"},
        {gen_nc30, LMO_DL_NOT_CRITICAL, "not_critical"},
    };
    int made[4] = {0, 0, 0, 0}, made_case3 = 0;
    for (size_t s = 0; s < nshapes; s++)
        for (size_t g = 0; g < 4; g++)
            for (ulong seed = 1; seed <= nseeds; seed++) {
                lmo_deep_linear_t dl;
                lmo_err_t err;
                if (gens[g].f(dl, shapes[s].H, shapes[s].dims, shapes[s].m, seed, &err)) {
                    /* only the documented refusals */
                    CHECKF(err.code == LMO_EINPUT && (g == 1 || g == 2),
                           "%s shape %zu refused: %s", gens[g].name, s, err.msg);
                    continue;
                }
                made[g]++;
                slong n = lmo_deep_linear_nparams(dl), p = lmo_deep_linear_p(dl);
                slong dy = dl->d[dl->H + 1], q = p < dy ? p : dy;
                char tag[96];
                snprintf(tag, sizeof tag, "%s shape %zu seed %lu", gens[g].name, s,
                         (unsigned long) seed);
                /* --- independent facts of the construction --- */
                fmpq_mat_t g2, H1, H2;
                fmpq_mat_init(g2, n, 1);
                fmpq_mat_init(H1, n, n);
                fmpq_mat_init(H2, n, n);
                lmo_deep_linear_gradient_direct(g2, dl);
                lmo_deep_linear_hessian(H1, dl);
                lmo_deep_linear_hessian_direct(H2, dl);
                CHECKF(fmpq_mat_equal(H1, H2), "%s: Lemma 4.3 and hyper-dual Hessians differ", tag);
                lmo_ldl_t B;
                lmo_ldl_init(B);
                lmo_ldl_method(B, H2, LMO_LDL_BAREISS, &err);
                fmpq_t L, Ls;
                fmpq_init(L);
                fmpq_init(Ls);
                lmo_deep_linear_loss(L, dl);
                int have_ref = gmin_reference(Ls, dl, q);
                CHECKF(have_ref, "%s: Sigma's eigenvalues are not the integers s_i^2", tag);
                if (gens[g].cls == LMO_DL_NOT_CRITICAL) {
                    CHECKF(!fmpq_mat_is_zero(g2), "%s: gradient is zero", tag);
                } else {
                    CHECKF(fmpq_mat_is_zero(g2), "%s: gradient is not zero", tag);
                }
                if (gens[g].cls == LMO_DL_GLOBAL_MIN)
                    CHECKF(fmpq_equal(L, Ls), "%s: loss != L*", tag);
                if (gens[g].cls == LMO_DL_STRICT_SADDLE) {
                    CHECKF(fmpq_cmp(L, Ls) > 0, "%s: loss not above L*", tag);
                    CHECKF(descartes_neg(H2) > 0, "%s: Hessian has no negative eigenvalue "
                           "(Descartes)", tag);
                    CHECKF(B->nneg > 0, "%s: no negative eigenvalue (Bareiss)", tag);
                }
                if (gens[g].cls == LMO_DL_BAD_SADDLE) {
                    CHECKF(fmpq_cmp(L, Ls) > 0, "%s: loss not above L*", tag);
                    /* zero weights (Hessian 0) or Case III through the top s < q
                     * eigenvectors (Hessian >= 0, not 0) */
                    CHECKF(descartes_neg(H2) == 0, "%s: a negative eigenvalue (Descartes)", tag);
                    if (!fmpq_mat_is_zero(dl->W + 0)) {
                        made_case3++;
                        CHECKF(!fmpq_mat_is_zero(H2), "%s: Case III point with Hessian 0", tag);
                    }
                }
                if (gens[g].cls != LMO_DL_STRICT_SADDLE && gens[g].cls != LMO_DL_NOT_CRITICAL)
                    CHECKF(B->nneg == 0, "%s: a negative eigenvalue (Bareiss)", tag);
                /* --- the classifier --- */
                lmo_dl_result_t r;
                lmo_dl_result_init(r);
                lmo_dl_opts_t o;
                lmo_dl_opts_default(&o);
                o.seed = seed;
                CHECKF(lmo_deep_linear_classify(r, dl, &o, NULL, &err) == LMO_OK,
                       "%s: classify failed: %s", tag, err.msg);
                CHECKF(r->cls == gens[g].cls, "%s: classified %s (%s)", tag,
                       lmo_dl_class_name(r->cls), r->reason);
                CHECKF(r->hyp.hold, "%s: generated data should satisfy Theorem 2.3's hypotheses", tag);
                CHECKF(!r->violation, "%s: theorem violation reported", tag);
                CHECKF(r->npos + r->nneg + r->nzero == n, "%s: inertia does not add up", tag);
                CHECKF(r->npos == B->npos && r->nneg == B->nneg && r->nzero == B->nzero,
                       "%s: inertia differs from Bareiss", tag);
                CHECKF((r->nneg > 0) == (descartes_neg(H2) > 0), "%s: sign of the inertia "
                       "differs from Descartes", tag);
                CHECKF(fmpq_cmp(r->gmin_lo, Ls) <= 0 && fmpq_cmp(Ls, r->gmin_hi) <= 0,
                       "%s: L* outside the reported enclosure", tag);
                if (r->gmin_rational) CHECKF(fmpq_equal(r->gmin_value, Ls), "%s: exact L* wrong", tag);
                if (r->cls == LMO_DL_GLOBAL_MIN) check_gmin_cert(r, dl);
                if (r->cls == LMO_DL_STRICT_SADDLE || r->cls == LMO_DL_BAD_SADDLE) {
                    CHECKF(r->ndesc > 0 && moves(dl, r->desc, r->ndesc, -1),
                           "%s: descent curve does not decrease the loss", tag);
                }
                if (r->cls == LMO_DL_BAD_SADDLE && r->npos == 0)
                    CHECKF(r->nasc > 0 && moves(dl, r->asc, r->nasc, +1),
                           "%s: ascent curve does not increase the loss", tag);
                if (r->cls == LMO_DL_STRICT_SADDLE) {
                    fmpq_t v;
                    fmpq_init(v);
                    lmo_quad_form(v, H2, r->hess->v);
                    CHECKF(fmpq_sgn(v) < 0, "%s: v^T H v >= 0 on the hyper-dual Hessian", tag);
                    fmpq_clear(v);
                    /* Theorem 2.3 (iv) premise holds by construction */
                    CHECKF(r->thm[LMO_DL_THM_IV].outcome == LMO_OUTCOME_HOLDS ||
                           r->thm[LMO_DL_COR_2_4].outcome == LMO_OUTCOME_HOLDS,
                           "%s: (iv)/Cor 2.4 not exercised", tag);
                }
                if (r->cls == LMO_DL_BAD_SADDLE)
                    CHECKF(r->rank_mid < r->p &&
                           r->thm[LMO_DL_THM_IV].outcome == LMO_OUTCOME_NOT_APPLICABLE,
                           "%s: bad saddle with rank(WH..W2) = p", tag);
                /* every statement has an outcome, none violated, on constructed points */
                for (int i = 0; i < LMO_DL_NTHM; i++)
                    CHECKF(r->thm[i].statement && r->thm[i].outcome != LMO_OUTCOME_VIOLATED &&
                           r->thm[i].outcome != LMO_OUTCOME_UNDECIDED, "%s: statement %d: %s", tag,
                           i, r->thm[i].reason);
                /* JSON forms have their keys */
                json_t *e = lmo_deep_linear_result_to_json(r);
                const char *keys[] = {"hypotheses", "critical", "loss", "global_min_value",
                                      "class", "hessian_inertia", "rank_WH_W2", "p",
                                      "theorems"};
                for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++)
                    CHECKF(json_object_get(e, keys[k]) != NULL, "%s: expect lacks %s", tag, keys[k]);
                CHECKF(strcmp(json_string_value(json_object_get(e, "class")), gens[g].name) == 0,
                       "%s: expect.class", tag);
                json_decref(e);
                json_t *c = lmo_deep_linear_cert_to_json(r, "t");
                const char *need = gens[g].cls == LMO_DL_GLOBAL_MIN ? "global_min"
                                 : gens[g].cls == LMO_DL_STRICT_SADDLE ? "hessian_negative"
                                 : gens[g].cls == LMO_DL_BAD_SADDLE ? "descent_curve"
                                 : "gradient_nonzero";
                CHECKF(json_object_get(c, need) != NULL, "%s: certificate lacks %s", tag, need);
                json_decref(c);
                lmo_dl_result_clear(r);
                lmo_ldl_clear(B);
                fmpq_clear(L);
                fmpq_clear(Ls);
                fmpq_mat_clear(g2);
                fmpq_mat_clear(H1);
                fmpq_mat_clear(H2);
                lmo_deep_linear_clear(dl);
            }
    for (int g = 0; g < 4; g++)
        CHECKF(made[g] >= min_made, "only %d %s instances", made[g], gens[g].name);
    CHECKF(made_case3 >= 1, "no Case III bad saddle among %d", made[2]);
    printf("constructors: %d global, %d strict, %d bad (%d Case III), %d not critical\n",
           made[0], made[1], made[2], made_case3, made[3]);
}

static const dl_shape_t quick_shapes[] = {
    {1, 4, {3, 2, 2}},        /* H = 1, p = dy */
    {1, 4, {3, 1, 3}},        /* H = 1, p < dy */
    {2, 4, {3, 2, 2, 3}},     /* H = 2, p < dy */
    {2, 5, {4, 3, 2, 3}},
    {3, 4, {3, 2, 2, 2, 3}},  /* H = 3 */
};

/* --slow: many shapes, six seeds */
static const dl_shape_t slow_shapes[] = {
    {1, 3, {3, 2, 2}}, {1, 5, {4, 3, 3}}, {1, 5, {4, 2, 4}}, {1, 4, {3, 1, 2}},
    {2, 4, {3, 2, 2, 3}}, {2, 5, {4, 3, 2, 3}}, {2, 5, {4, 2, 3, 3}}, {2, 5, {4, 4, 4, 4}},
    {3, 4, {3, 2, 2, 2, 3}}, {3, 5, {4, 2, 3, 2, 3}}, {4, 4, {3, 2, 2, 2, 2, 3}},
};

static void set_int(fmpq_mat_t A, const slong *v)
{
    for (slong i = 0; i < fmpq_mat_nrows(A); i++)
        for (slong j = 0; j < fmpq_mat_ncols(A); j++)
            fmpq_set_si(fmpq_mat_entry(A, i, j), v[i * fmpq_mat_ncols(A) + j], 1);
}

static slong descartes_pos(const fmpq_mat_t H)
{
    fmpq_mat_t N;
    fmpq_mat_init(N, fmpq_mat_nrows(H), fmpq_mat_ncols(H));
    fmpq_mat_neg(N, H);
    slong c = descartes_neg(N);
    fmpq_mat_clear(N);
    return c;
}

/* Rank-deficient saddles of Kawaguchi's Case III with a nonzero Hessian >= 0:
 * X = I, Y = [[3,0,0],[0,1,0]] (Sigma = diag(9, 1)), the network keeps only
 * the top eigenvector: W1 = [[3,0,0],[0,0,0]], Wk = diag(1, 0) for k >= 2.
 * Critical, L = 1/2 > L* = 0; by hand, escape needs every layer along the
 * dead unit (order t^(H+1)). Checked here without the classifier: gradient
 * zero, Hessian without negative but with positive eigenvalues (Descartes),
 * the classifier's descent curve by direct evaluation. */
/* The gradient and the Hessian by the direct formulas (initialised here). */
static void direct_derivatives(fmpq_mat_t g, fmpq_mat_t Hs, const lmo_deep_linear_t dl)
{
    slong n = lmo_deep_linear_nparams(dl);
    fmpq_mat_init(g, n, 1);
    fmpq_mat_init(Hs, n, n);
    lmo_deep_linear_gradient_direct(g, dl);
    lmo_deep_linear_hessian_direct(Hs, dl);
}

static void test_rank_deficient_saddles(void)
{
    for (slong H = 2; H <= 3; H++) {
        slong dims[5] = {3, 2, 2, 2, 2};
        lmo_deep_linear_t dl;
        lmo_deep_linear_init(dl, H, dims, 3);
        const slong X[9] = {1, 0, 0, 0, 1, 0, 0, 0, 1}, Y[6] = {3, 0, 0, 0, 1, 0},
                    W1[6] = {3, 0, 0, 0, 0, 0}, E[4] = {1, 0, 0, 0};
        set_int(dl->X, X);
        set_int(dl->Y, Y);
        set_int(dl->W + 0, W1);
        for (slong k = 1; k <= H; k++) set_int(dl->W + k, E);
        fmpq_mat_t g, Hs;
        direct_derivatives(g, Hs, dl);
        CHECKF(fmpq_mat_is_zero(g), "H=%ld: not critical", (long) H);
        CHECKF(descartes_neg(Hs) == 0 && descartes_pos(Hs) > 0, "H=%ld: Hessian not >= 0 and != 0",
               (long) H);
        lmo_dl_result_t r;
        lmo_err_t err;
        lmo_dl_result_init(r);
        CHECKF(lmo_deep_linear_classify(r, dl, NULL, NULL, &err) == LMO_OK, "classify: %s", err.msg);
        CHECKF(r->cls == LMO_DL_BAD_SADDLE, "H=%ld: %s (%s)", (long) H, lmo_dl_class_name(r->cls),
               r->reason);
        CHECKF(r->ndesc > 0 && moves(dl, r->desc, r->ndesc, -1), "H=%ld: descent curve", (long) H);
        CHECKF(r->gmin_rational && fmpq_is_zero(r->gmin_value), "H=%ld: L* = 0", (long) H);
        CHECKF(r->rank_mid == 1 && r->thm[LMO_DL_THM_IV].outcome == LMO_OUTCOME_NOT_APPLICABLE &&
               !r->violation, "H=%ld: (iv)", (long) H);
        lmo_dl_result_clear(r);
        fmpq_mat_clear(g);
        fmpq_mat_clear(Hs);
        lmo_deep_linear_clear(dl);
    }
}

/* All-zero weights on degenerate data (rank-deficient X, sometimes Y = 0):
 * always critical (every gradient block has a zero factor). By hand:
 *  Sigma = 0 (no signal: Y Pi Y^T = 0) -> global_min (L = tr(YY^T)/2 = L*);
 *  else H = 1 -> strict_saddle (the W1-W2 block is -Y X^T-shaped, the
 *  diagonal blocks vanish), H >= 2 -> bad_saddle (the Hessian is 0). */
static void test_zero_weights(flint_rand_t st)
{
    for (int it = 0; it < 30; it++) {
        lmo_deep_linear_t dl;
        lmo_test_rand_dl_init(dl, st);
        slong H = dl->H, m = dl->m, *dims = dl->d;
        /* X of rank <= 1: outer product; Y random or zero */
        fmpq_mat_t u, w;
        fmpq_mat_init(u, dims[0], 1);
        fmpq_mat_init(w, 1, m);
        rand_mat(u, st);
        rand_mat(w, st);
        fmpq_mat_mul(dl->X, u, w);
        if (n_randint(st, 4)) rand_mat(dl->Y, st);
        fmpq_mat_clear(u);
        fmpq_mat_clear(w);
        slong dy = dims[H + 1];
        fmpq_mat_t S;
        fmpq_mat_init(S, dy, dy);
        lmo_deep_linear_sigma(S, dl);
        lmo_dl_class_t want = fmpq_mat_is_zero(S) ? LMO_DL_GLOBAL_MIN
                            : H == 1 ? LMO_DL_STRICT_SADDLE : LMO_DL_BAD_SADDLE;
        lmo_dl_result_t r;
        lmo_err_t err;
        lmo_dl_result_init(r);
        CHECKF(lmo_deep_linear_classify(r, dl, NULL, NULL, &err) == LMO_OK, "zero weights: %s", err.msg);
        CHECKF(r->critical && r->cls == want, "zero weights iter %d (H=%ld): %s, expected %s (%s)", it,
               (long) H, lmo_dl_class_name(r->cls), lmo_dl_class_name(want), r->reason);
        CHECKF(!r->hyp.hold || want != LMO_DL_GLOBAL_MIN || fmpq_mat_is_zero(dl->Y),
               "zero weights: hypotheses hold with Sigma = 0");
        lmo_dl_result_clear(r);
        fmpq_mat_clear(S);
        lmo_deep_linear_clear(dl);
    }
}

/* ---- the paper's statements: each check holds on true inputs and fails on a
 * deliberately wrong intermediate (lmo_dl_opts_t.corrupt) ---- */

/* The point of issue 19: X = I2, Y = diag(2, 1), W1 = [[2,0],[0,0]], W2 = [[1,0],[0,0]],
 * W3 = [[1,0],[1,0]], W4 = [[1,0],[0,0]]. By hand: the product is diag(2, 0), so r^T =
 * diag(0, -1), loss 1/2; Sigma = diag(4, 1), p = q = 2, L* = 0. Layer 3's unit e2 is dead
 * forwards (W4 e2 = 0) and (-1, 1) dead backwards ((-1, 1) W3 = 0) with (-1, 1).e2 = 1, so
 * the line W1 += t e2 e2^T, W2 += t e2 e2^T, W3 += t e2 e2^T, W4 += t e2 (-1, 1) moves the
 * product by t^4 e2 e2^T only: loss(t) = (1 - t^4)^2 / 2 = 1/2 - t^4 + t^8/2. */
static void issue19_point(lmo_deep_linear_t dl)
{
    slong dims[5] = {2, 2, 2, 2, 2};
    lmo_deep_linear_init(dl, 3, dims, 2);
    const slong I[4] = {1, 0, 0, 1}, Y[4] = {2, 0, 0, 1}, W1[4] = {2, 0, 0, 0}, E[4] = {1, 0, 0, 0},
                W3[4] = {1, 0, 1, 0};
    set_int(dl->X, I);
    set_int(dl->Y, Y);
    set_int(dl->W + 0, W1);
    set_int(dl->W + 1, E);
    set_int(dl->W + 2, W3);
    set_int(dl->W + 3, E);
}

/* A Case III point whose layer 3 has no dead direction (W4 = [1; 1] is injective), so no
 * straight dead line exists: X = I2, Y = diag(7, 5), widths 2,1,1,1,2,2, W1 = [0 0], W2 =
 * W3 = [0], W4 = [1; 1], W5 = [[0,0],[1,0]]. By hand: three of the five layers are zero, so
 * every first and second derivative of the product keeps a zero factor: the gradient and the
 * Hessian vanish; the product is 0, loss (49 + 25)/2 = 37; Sigma = diag(49, 25), p = 1:
 * L* = (74 - 49)/2 = 25/2. */
static void gauge_point(lmo_deep_linear_t dl)
{
    slong dims[6] = {2, 1, 1, 1, 2, 2};
    lmo_deep_linear_init(dl, 4, dims, 2);
    const slong I[4] = {1, 0, 0, 1}, Y[4] = {7, 0, 0, 5}, W4[2] = {1, 1}, W5[4] = {0, 0, 1, 0};
    set_int(dl->X, I);
    set_int(dl->Y, Y);
    set_int(dl->W + 3, W4);
    set_int(dl->W + 4, W5);
}

static void classify_c(lmo_dl_result_t r, const lmo_deep_linear_t dl, int corrupt)
{
    lmo_dl_opts_t o;
    lmo_err_t err;
    lmo_dl_opts_default(&o);
    o.corrupt = corrupt;
    lmo_dl_result_init(r);
    CHECKF(lmo_deep_linear_classify(r, dl, &o, NULL, &err) == LMO_OK, "classify: %s", err.msg);
}

static const char *const OUT[] = {"not_applicable", "holds", "exceptional", "violated", "undecided"};

#define OUTCOME(r, i, want, tag) \
    CHECKF((r)->thm[i].outcome == (want), "%s: statement %d is %s, want %s (%s)", tag, (int) (i), \
           OUT[(r)->thm[i].outcome], OUT[want], (r)->thm[i].reason)

/* The issue's example: bad_saddle, certified by a straight line with loss 1/2 - t^4 + t^8/2
 * (the coefficients by hand, above), checked also by direct evaluation. */
static void test_issue19_example(void)
{
    lmo_deep_linear_t dl;
    issue19_point(dl);
    fmpq_mat_t g, Hs;
    direct_derivatives(g, Hs, dl);
    CHECKF(fmpq_mat_is_zero(g), "issue 19 point: not critical");
    CHECKF(descartes_neg(Hs) == 0 && descartes_pos(Hs) == 3, "issue 19 point: inertia not (3, 0, 13)");
    lmo_dl_result_t r;
    classify_c(r, dl, 0);
    CHECKF(r->cls == LMO_DL_BAD_SADDLE, "issue 19 point: %s (%s)", lmo_dl_class_name(r->cls), r->reason);
    CHECKF(r->ndesc == 1 && r->desc_method == LMO_DL_ESCAPE_PATH, "issue 19: not a straight line");
    fmpq_poly_t want;
    fmpq_poly_init(want);
    fmpq_poly_set_coeff_si(want, 4, -1);
    {
        fmpq_t h;
        fmpq_init(h);
        fmpq_set_si(h, 1, 2);
        fmpq_poly_set_coeff_fmpq(want, 0, h);
        fmpq_poly_set_coeff_fmpq(want, 8, h);
        fmpq_clear(h);
    }
    CHECKF(fmpq_poly_equal(want, r->desc_poly), "issue 19: loss along the line is not 1/2 - t^4 + t^8/2");
    CHECKF(moves(dl, r->desc, 1, -1), "issue 19: the line does not descend (direct evaluation)");
    /* the statements on it */
    OUTCOME(r, LMO_DL_THM_I, LMO_OUTCOME_HOLDS, "issue 19");
    OUTCOME(r, LMO_DL_THM_II, LMO_OUTCOME_HOLDS, "issue 19");
    OUTCOME(r, LMO_DL_THM_III, LMO_OUTCOME_HOLDS, "issue 19");
    OUTCOME(r, LMO_DL_THM_IV, LMO_OUTCOME_NOT_APPLICABLE, "issue 19");   /* rank(W3 W2) = 1 < 2 */
    OUTCOME(r, LMO_DL_COR_2_4, LMO_OUTCOME_HOLDS, "issue 19");
    OUTCOME(r, LMO_DL_COR_3_2, LMO_OUTCOME_HOLDS, "issue 19");
    OUTCOME(r, LMO_DL_LEM_4_4, LMO_OUTCOME_HOLDS, "issue 19");
    OUTCOME(r, LMO_DL_COR_4_5, LMO_OUTCOME_HOLDS, "issue 19");
    OUTCOME(r, LMO_DL_LEM_4_6, LMO_OUTCOME_HOLDS, "issue 19");
    CHECKF(strstr(r->thm[LMO_DL_THM_II].reason, "Case III") != NULL, "issue 19: (ii) %s",
           r->thm[LMO_DL_THM_II].reason);
    CHECKF(!r->violation, "issue 19: violation");
    fmpq_poly_clear(want);
    lmo_dl_result_clear(r);
    fmpq_mat_clear(g);
    fmpq_mat_clear(Hs);
    lmo_deep_linear_clear(dl);
}

/* The perturbation-and-gradient construction where no dead line exists (gauge_point): the
 * point's facts by the hyper-dual route, then the class and both curves by direct
 * evaluation. */
/* Appendix C.1 as printed: "every ... element of the Hessian is zero if W_H = ... = W_1 = 0".
 * For H = 2 with W3 != 0 lmo must say violated, and an independent witness shows the Hessian
 * is not zero: along W1 += t A, W2 += +-t B the product is t^2 W3 B A, so loss(t) = L0 -+
 * c t^2 + d t^4 with d >= 0 -- if the loss ever falls, c != 0 and the Hessian's form at
 * (A, +-B) is -2|c| < 0. With W3 = 0, and for H = 3, the claim holds; off the set it does not
 * apply. */
static void test_proof_c1(flint_rand_t st)
{
    static const slong shapes[][4] = { { 2, 2, 2, 2 }, { 3, 1, 2, 2 }, { 2, 3, 1, 1 }, { 3, 2, 2, 3 } };
    for (int k = 0; k < 4; k++) {
        for (ulong seed = 1; seed <= 3; seed++) {
            lmo_deep_linear_t dl;
            lmo_dl_result_t r;
            lmo_err_t err;
            CHECKF(lmo_deep_linear_gen_proof_c1(dl, 2, shapes[k], shapes[k][0] + 1, seed, &err) == LMO_OK,
                   "proof_c1 constructor: %s", err.msg);
            classify_c(r, dl, 0);
            if (r->hyp.hold) {
                OUTCOME(r, LMO_DL_PROOF_C1, LMO_OUTCOME_VIOLATED, "C.1, H = 2, W3 != 0");
                OUTCOME(r, LMO_DL_COR_2_4, LMO_OUTCOME_HOLDS, "C.1, H = 2: the corollary itself");
            }
            /* the independent witness: a random line in (W1, W2), either sign of B */
            slong n = lmo_deep_linear_nparams(dl), n1 = shapes[k][1] * shapes[k][0],
                  n2 = shapes[k][2] * shapes[k][1];
            fmpq_mat_t D;
            fmpq_mat_init(D, n, 1);
            int falls = 0;
            for (int tries = 0; tries < 8 && !falls; tries++) {
                fmpq_mat_zero(D);
                for (slong i = 0; i < n1 + n2; i++)
                    fmpq_set_si(fmpq_mat_entry(D, i, 0), (slong) n_randint(st, 7) - 3, 1);
                falls = moves(dl, D, 1, -1);
                for (slong i = n1; i < n1 + n2; i++)
                    fmpq_neg(fmpq_mat_entry(D, i, 0), fmpq_mat_entry(D, i, 0));
                falls = falls || moves(dl, D, 1, -1);
            }
            CHECKF(falls, "C.1: no line in (W1, W2) where the loss falls: the Hessian may be zero");
            CHECKF(r->npos + r->nneg > 0, "C.1: the inertia says the Hessian is zero");
            lmo_dl_result_clear(r);
            /* W3 = 0: the claim holds */
            fmpq_mat_zero(dl->W + 2);
            classify_c(r, dl, 0);
            OUTCOME(r, LMO_DL_PROOF_C1, LMO_OUTCOME_HOLDS, "C.1, W = 0");
            lmo_dl_result_clear(r);
            /* W1 != 0: outside the proof's set */
            fmpq_one(fmpq_mat_entry(dl->W, 0, 0));
            classify_c(r, dl, 0);
            OUTCOME(r, LMO_DL_PROOF_C1, LMO_OUTCOME_NOT_APPLICABLE, "C.1, W1 != 0");
            lmo_dl_result_clear(r);
            fmpq_mat_clear(D);
            lmo_deep_linear_clear(dl);
        }
    }
    /* H = 3, W1 = W2 = W3 = 0, W4 free (odd seeds of the bad-saddle constructor that are not
     * multiples of 3, which make Case III points): holds */
    const slong d3[5] = { 2, 2, 2, 2, 2 };
    static const ulong seeds[3] = { 1, 5, 7 };
    for (int i = 0; i < 3; i++) {
        ulong seed = seeds[i];
        lmo_deep_linear_t dl;
        lmo_dl_result_t r;
        lmo_err_t err;
        CHECK(lmo_deep_linear_gen_bad_saddle(dl, 3, d3, 3, seed, &err) == LMO_OK);
        CHECK(!fmpq_mat_is_zero(dl->W + 3));
        classify_c(r, dl, 0);
        OUTCOME(r, LMO_DL_PROOF_C1, LMO_OUTCOME_HOLDS, "C.1, H = 3");
        lmo_dl_result_clear(r);
        lmo_deep_linear_clear(dl);
    }
}

static void test_gauge_escape(void)
{
    lmo_deep_linear_t dl;
    gauge_point(dl);
    fmpq_mat_t g, Hs;
    direct_derivatives(g, Hs, dl);
    CHECKF(fmpq_mat_is_zero(g) && fmpq_mat_is_zero(Hs), "gauge point: gradient or Hessian not zero");
    lmo_dl_result_t r;
    classify_c(r, dl, 0);
    fmpq_t L, Ls;
    fmpq_init(L);
    fmpq_init(Ls);
    fmpq_set_si(L, 37, 1);
    fmpq_set_si(Ls, 25, 2);
    CHECKF(fmpq_equal(r->loss, L) && r->gmin_rational && fmpq_equal(r->gmin_value, Ls), "gauge point: L, L*");
    CHECKF(r->cls == LMO_DL_BAD_SADDLE && r->desc_method == LMO_DL_ESCAPE_GAUGE &&
           r->asc_method == LMO_DL_ESCAPE_GAUGE, "gauge point: %s, methods %d %d (%s)",
           lmo_dl_class_name(r->cls), r->desc_method, r->asc_method, r->reason);
    CHECKF(moves(dl, r->desc, r->ndesc, -1), "gauge point: descent curve does not descend");
    CHECKF(moves(dl, r->asc, r->nasc, +1), "gauge point: ascent curve does not ascend");
    /* along the first direction alone the loss stays 37 (the perturbation keeps the product) */
    {
        fmpq_poly_t f;
        fmpq_poly_init(f);
        lmo_deep_linear_curve_loss(f, dl, r->desc, 1);
        fmpq_t c0;
        fmpq_init(c0);
        fmpq_poly_get_coeff_fmpq(c0, f, 0);
        CHECKF(fmpq_poly_degree(f) == 0 && fmpq_equal(c0, L), "gauge: perturbation changes the loss");
        fmpq_clear(c0);
        fmpq_poly_clear(f);
    }
    OUTCOME(r, LMO_DL_THM_II, LMO_OUTCOME_HOLDS, "gauge point");
    OUTCOME(r, LMO_DL_THM_III, LMO_OUTCOME_HOLDS, "gauge point");
    CHECKF(!r->violation, "gauge point: violation");
    fmpq_clear(L);
    fmpq_clear(Ls);
    lmo_dl_result_clear(r);
    fmpq_mat_clear(g);
    fmpq_mat_clear(Hs);
    lmo_deep_linear_clear(dl);
}

/* One case: on dl, the statement holds (or is what `clean` says) without the hook and is
 * violated with it; with the hook the result reports a violation. */
static void corrupt_case(const lmo_deep_linear_t dl, int bit, lmo_dl_statement_t st, lmo_outcome_t clean,
                         const char *tag)
{
    lmo_dl_result_t r;
    classify_c(r, dl, 0);
    OUTCOME(r, st, clean, tag);
    CHECKF(!r->violation, "%s: violation without the hook", tag);
    lmo_dl_result_clear(r);
    classify_c(r, dl, bit);
    OUTCOME(r, st, LMO_OUTCOME_VIOLATED, tag);
    CHECKF(r->violation, "%s: no violation reported", tag);
    lmo_dl_result_clear(r);
}

static void test_checks_fail_on_wrong_input(void)
{
    lmo_deep_linear_t dl;
    lmo_err_t err;
    /* the issue's point (Case III, C != 0, a dead line) */
    issue19_point(dl);
    corrupt_case(dl, LMO_DL_CORRUPT_ESCAPE, LMO_DL_THM_II, LMO_OUTCOME_HOLDS, "(ii) Case III, line aimed up");
    corrupt_case(dl, LMO_DL_CORRUPT_ESCAPE, LMO_DL_THM_III, LMO_OUTCOME_HOLDS, "(iii), no descent");
    corrupt_case(dl, LMO_DL_CORRUPT_ASCENT, LMO_DL_THM_III, LMO_OUTCOME_HOLDS, "(iii), W1 ascent aimed down");
    corrupt_case(dl, LMO_DL_CORRUPT_RESIDUAL, LMO_DL_LEM_4_4, LMO_OUTCOME_HOLDS, "Lemma 4.4, X r + e1 e1^T");
    corrupt_case(dl, LMO_DL_CORRUPT_RESIDUAL, LMO_DL_COR_4_5, LMO_OUTCOME_HOLDS, "Corollary 4.5, X r + e1 e1^T");
    corrupt_case(dl, LMO_DL_CORRUPT_WITNESS, LMO_DL_THM_I, LMO_OUTCOME_HOLDS, "(i), witness not mirrored");
    corrupt_case(dl, LMO_DL_CORRUPT_PATHS, LMO_DL_COR_3_2, LMO_OUTCOME_HOLDS, "Corollary 3.2, a path dropped");
    {   /* with the descent aimed up the class cannot be proven */
        lmo_dl_result_t r;
        classify_c(r, dl, LMO_DL_CORRUPT_ESCAPE);
        CHECKF(r->cls == LMO_DL_UNKNOWN, "escape hook: class %s", lmo_dl_class_name(r->cls));
        lmo_dl_result_clear(r);
    }
    lmo_deep_linear_clear(dl);
    /* C = 0, no dead line: the perturbation construction, down and up */
    gauge_point(dl);
    corrupt_case(dl, LMO_DL_CORRUPT_ESCAPE, LMO_DL_THM_II, LMO_OUTCOME_HOLDS, "(ii) Case III, gauge aimed up");
    corrupt_case(dl, LMO_DL_CORRUPT_ASCENT, LMO_DL_THM_III, LMO_OUTCOME_HOLDS, "(iii), C = 0 ascent aimed down");
    lmo_deep_linear_clear(dl);
    /* Case II: H = 1 (rank(WH...W2) = d1 = p = 1), dy = 3 > p, a global minimum */
    {
        slong dims[3] = {3, 1, 3};
        CHECKF(lmo_deep_linear_gen_global_min(dl, 1, dims, 4, 3, &err) == LMO_OK, "gen: %s", err.msg);
        corrupt_case(dl, LMO_DL_CORRUPT_SIGMA, LMO_DL_THM_II, LMO_OUTCOME_HOLDS, "(ii) Case II, -Sigma");
        corrupt_case(dl, LMO_DL_CORRUPT_SIGMA, LMO_DL_LEM_4_6, LMO_OUTCOME_HOLDS, "Lemma 4.6, -Sigma");
        lmo_dl_result_t r;
        classify_c(r, dl, 0);
        CHECKF(strstr(r->thm[LMO_DL_THM_II].reason, "Case II") != NULL, "(ii): %s", r->thm[LMO_DL_THM_II].reason);
        lmo_dl_result_clear(r);
        lmo_deep_linear_clear(dl);
    }
    /* H = 1 strict saddle: (iv) and Corollary 2.4 need v^T H v < 0 */
    {
        slong dims[3] = {3, 2, 3};
        CHECKF(lmo_deep_linear_gen_strict_saddle(dl, 1, dims, 4, 5, &err) == LMO_OK, "gen: %s", err.msg);
        corrupt_case(dl, LMO_DL_CORRUPT_INERTIA, LMO_DL_THM_IV, LMO_OUTCOME_HOLDS, "(iv), v = 0");
        corrupt_case(dl, LMO_DL_CORRUPT_INERTIA, LMO_DL_COR_2_4, LMO_OUTCOME_HOLDS, "Corollary 2.4 (H = 1), v = 0");
        lmo_deep_linear_clear(dl);
    }
    /* H = 2 with W3 != 0: the paper's witness family W1 = W2 = 0, W3 free has a nonzero
     * Hessian for H = 2 (the (W1, W2) block carries W3^T r) -- the restriction to W3 = 0 is
     * what makes Corollary 2.4's witness hold */
    {
        slong dims[4] = {3, 2, 2, 3};
        CHECKF(lmo_deep_linear_gen_global_min(dl, 2, dims, 4, 7, &err) == LMO_OK, "gen: %s", err.msg);
        CHECKF(!fmpq_mat_is_zero(dl->W + 2), "H = 2 point: W3 = 0");
        corrupt_case(dl, LMO_DL_CORRUPT_COR24, LMO_DL_COR_2_4, LMO_OUTCOME_HOLDS, "Corollary 2.4 (H = 2), W3 kept");
        /* and by hand: at W1 = W2 = 0 with this W3 the Hessian has a negative eigenvalue */
        lmo_deep_linear_t w;
        lmo_deep_linear_init(w, 2, dims, 4);
        lmo_deep_linear_set(w, dl);
        fmpq_mat_zero(w->W + 0);
        fmpq_mat_zero(w->W + 1);
        slong n = lmo_deep_linear_nparams(w);
        fmpq_mat_t Hs;
        fmpq_mat_init(Hs, n, n);
        lmo_deep_linear_hessian_direct(Hs, w);
        CHECKF(descartes_neg(Hs) > 0, "H = 2, W1 = W2 = 0, W3 != 0: no negative eigenvalue");
        fmpq_mat_clear(Hs);
        lmo_deep_linear_clear(w);
        lmo_deep_linear_clear(dl);
    }
}

/* Theorem 2.3's hypotheses fail: predictions are not applicable. */
static void test_hypotheses(void)
{
    slong dims[3] = {1, 2, 2};   /* dy = 2 > dx = 1 */
    lmo_deep_linear_t dl;
    lmo_deep_linear_init(dl, 1, dims, 2);
    fmpq_set_si(fmpq_mat_entry(dl->X, 0, 0), 1, 1);
    fmpq_set_si(fmpq_mat_entry(dl->X, 0, 1), 2, 1);
    fmpq_set_si(fmpq_mat_entry(dl->Y, 0, 0), 1, 1);
    fmpq_set_si(fmpq_mat_entry(dl->Y, 1, 1), 1, 1);
    lmo_dl_hyp_t h;
    lmo_deep_linear_hypotheses(&h, dl);
    CHECKF(!h.dy_le_dx && !h.hold && h.xxt_full_rank, "dy > dx hypotheses");
    lmo_dl_result_t r;
    lmo_err_t err;
    lmo_dl_result_init(r);
    CHECKF(lmo_deep_linear_classify(r, dl, NULL, NULL, &err) == LMO_OK, "classify: %s", err.msg);
    /* W = 0 with H = 1 is critical (every gradient block has a zero factor) and,
     * since Sigma != 0, not a global minimum: a strict saddle (Cor 2.4 would say so
     * even though the hypotheses fail here) */
    CHECKF(r->critical && r->cls == LMO_DL_STRICT_SADDLE, "W = 0, H = 1: %s",
           lmo_dl_class_name(r->cls));
    /* every statement but Corollary 3.2 (the reduction needs only A1p-m, A5u-m) is not
     * applicable, with the failing hypothesis named */
    for (int i = 0; i < LMO_DL_NTHM; i++)
        if (i != LMO_DL_COR_3_2)
            CHECKF(r->thm[i].outcome == LMO_OUTCOME_NOT_APPLICABLE &&
                   strstr(r->thm[i].reason, "dy = 2 > dx = 1"), "statement %d: %s", i, r->thm[i].reason);
    CHECKF(r->thm[LMO_DL_COR_3_2].outcome == LMO_OUTCOME_HOLDS && !r->violation, "not applicable");
    lmo_dl_result_clear(r);
    lmo_deep_linear_clear(dl);

    /* X = I, Y = I (Sigma = I: repeated eigenvalue, a tie at every range):
     * W2 W1 = diag(1, 0) with d1 = 1 is a global minimum (L* = 1/2) */
    slong d2[3] = {2, 1, 2};
    lmo_deep_linear_init(dl, 1, d2, 2);
    fmpq_mat_one(dl->X);
    fmpq_mat_one(dl->Y);
    fmpq_one(fmpq_mat_entry(dl->W + 0, 0, 0));
    fmpq_one(fmpq_mat_entry(dl->W + 1, 0, 0));
    lmo_dl_result_init(r);
    CHECKF(lmo_deep_linear_classify(r, dl, NULL, NULL, &err) == LMO_OK, "classify: %s", err.msg);
    CHECKF(r->cls == LMO_DL_GLOBAL_MIN && !r->hyp.sigma_distinct && !r->tau_strict,
           "Sigma = I tie: %s (%s)", lmo_dl_class_name(r->cls), r->reason);
    fmpq_t half;
    fmpq_init(half);
    fmpq_set_si(half, 1, 2);
    CHECKF(fmpq_equal(r->loss, half) && fmpq_equal(r->gmin_value, half), "Sigma = I: L* = 1/2");
    fmpq_clear(half);
    lmo_dl_result_clear(r);
    lmo_deep_linear_clear(dl);
}

static void test_json(void)
{
    lmo_deep_linear_t dl, back;
    lmo_err_t err;
    slong dims[4] = {3, 2, 2, 2};
    CHECKF(lmo_deep_linear_gen_global_min(dl, 2, dims, 4, 5, &err) == LMO_OK, "gen");
    /* constructors are deterministic in the seed, and the seed matters */
    {
        lmo_deep_linear_t a, b;
        slong ds[4] = {3, 1, 2, 2};   /* p = 1 < dy = 2 */
        CHECKF(lmo_deep_linear_gen_strict_saddle(a, 2, ds, 4, 9, &err) == LMO_OK &&
               lmo_deep_linear_gen_strict_saddle(b, 2, ds, 4, 9, &err) == LMO_OK, "gen: %s", err.msg);
        int same = fmpq_mat_equal(a->X, b->X) && fmpq_mat_equal(a->Y, b->Y);
        for (slong k = 0; k <= 2; k++) same = same && fmpq_mat_equal(a->W + k, b->W + k);
        CHECKF(same, "same seed, different points");
        lmo_deep_linear_clear(b);
        CHECKF(lmo_deep_linear_gen_strict_saddle(b, 2, ds, 4, 10, &err) == LMO_OK, "gen");
        CHECKF(!fmpq_mat_equal(a->Y, b->Y), "seeds 9 and 10 give the same data");
        lmo_deep_linear_clear(a);
        lmo_deep_linear_clear(b);
    }
    json_t *in = lmo_deep_linear_input_to_json(dl);
    int rd = lmo_deep_linear_input_set_json(back, in, NULL, &err);
    CHECKF(rd == LMO_OK, "reread: %s", err.msg);
    if (rd == LMO_OK) {
        int same = back->H == dl->H && fmpq_mat_equal(back->X, dl->X) && fmpq_mat_equal(back->Y, dl->Y);
        for (slong k = 0; same && k <= dl->H; k++) same = fmpq_mat_equal(back->W + k, dl->W + k);
        CHECKF(same, "JSON round trip changed the input");
        lmo_deep_linear_clear(back);
    }
    /* W2 given as 2 x 3 instead of 2 x 2 */
    json_t *w = json_object_get(in, "weights");
    json_t *bad = json_pack("{s:i, s:i, s:[[i,i,i],[i,i,i]]}", "rows", 2, "cols", 3, "data",
                            1, 2, 3, 4, 5, 6);
    json_t *keep = json_incref(json_array_get(w, 1));
    json_array_set_new(w, 1, bad);
    CHECKF(lmo_deep_linear_input_set_json(back, in, NULL, &err) == LMO_EINPUT &&
           strstr(err.msg, "input.weights[1]") && strstr(err.msg, "does not chain"),
           "chain error: %s", err.msg);
    json_array_set_new(w, 1, keep);
    /* one matrix only */
    json_t *one = json_array();
    json_array_append(one, json_array_get(w, 0));
    json_object_set_new(in, "weights", one);
    CHECKF(lmo_deep_linear_input_set_json(back, in, NULL, &err) == LMO_EINPUT &&
           strstr(err.msg, "input.weights"), "one weight: %s", err.msg);
    /* missing Y */
    json_object_del(in, "Y");
    CHECKF(lmo_deep_linear_input_set_json(back, in, NULL, &err) == LMO_EINPUT &&
           strstr(err.msg, "Y"), "missing Y: %s", err.msg);
    json_decref(in);
    lmo_deep_linear_clear(dl);
}

int main(int argc, char **argv)
{
    if (lmo_test_slow(argc, argv)) {
        test_constructors(slow_shapes, sizeof slow_shapes / sizeof slow_shapes[0], 6, 20);
        flint_cleanup();
        return lmo_test_finish();
    }
    flint_rand_t st;
    flint_randinit(st);
    test_two_hessians(st);
    test_constructors(quick_shapes, sizeof quick_shapes / sizeof quick_shapes[0], 3, 4);
    test_rank_deficient_saddles();
    test_zero_weights(st);
    test_hypotheses();
    test_issue19_example();
    test_gauge_escape();
    test_proof_c1(st);
    test_checks_fail_on_wrong_input();
    test_json();
    flint_randclear(st);
    flint_cleanup();
    return lmo_test_finish();
}
