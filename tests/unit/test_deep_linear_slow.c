/* Larger sweep for deep linear networks (label slow): many shapes and seeds
 * of every constructor. For each point, without the classifier: the
 * hyper-dual Hessian equals the Lemma 4.3 one, the hyper-dual gradient is
 * zero exactly when the construction says critical, the loss compared with
 * L* from Sigma's integer eigenvalues, and the Hessian's inertia by the
 * fraction-free (Bareiss) elimination. Then the classifier must give the
 * constructed class, and the theorem must hold. */
#include <stdio.h>
#include <stdlib.h>
#include <flint/fmpz_poly.h>
#include <flint/fmpz_poly_factor.h>
#include <flint/fmpq_vec.h>
#include "lmo/deep_linear.h"

static int failures = 0;
#define CHECK(c, ...) do { if (!(c)) { failures++; fprintf(stderr, "FAIL %s:%d: ", \
    __FILE__, __LINE__); fprintf(stderr, __VA_ARGS__); fprintf(stderr, "\n"); } } while (0)

/* L* from the rational eigenvalues of Sigma (all rational for generated data). */
static int lstar(fmpq_t out, const lmo_deep_linear_t dl, slong q)
{
    slong dy = dl->d[dl->H + 1];
    fmpq_mat_t S;
    fmpq_mat_init(S, dy, dy);
    lmo_deep_linear_sigma(S, dl);
    fmpq_poly_t f;
    fmpz_poly_t g;
    fmpz_poly_factor_t fac;
    fmpq_poly_init(f); fmpz_poly_init(g); fmpz_poly_factor_init(fac);
    fmpq_mat_charpoly(f, S);
    fmpq_poly_get_numerator(g, f);
    fmpz_poly_factor(fac, g);
    fmpq *r = _fmpq_vec_init(dy);
    slong c = 0;
    int ok = 1;
    for (slong i = 0; i < fac->num && ok; i++) {
        if (fmpz_poly_degree(fac->p + i) != 1) { ok = 0; break; }
        for (slong e = 0; e < fac->exp[i]; e++, c++) {
            fmpq_set_fmpz_frac(r + c, fac->p[i].coeffs, fac->p[i].coeffs + 1);
            fmpq_neg(r + c, r + c);
        }
    }
    if (ok) {
        _fmpq_vec_sort(r, c);                      /* ascending */
        fmpq_zero(out);
        for (slong i = 0; i < dy; i++)
            for (slong j = 0; j < dl->m; j++)
                fmpq_addmul(out, fmpq_mat_entry(dl->Y, i, j), fmpq_mat_entry(dl->Y, i, j));
        for (slong i = 0; i < q; i++) fmpq_sub(out, out, r + c - 1 - i);
        fmpq_div_2exp(out, out, 1);
    }
    _fmpq_vec_clear(r, dy);
    fmpz_poly_factor_clear(fac); fmpz_poly_clear(g); fmpq_poly_clear(f);
    fmpq_mat_clear(S);
    return ok;
}

int main(void)
{
    static const struct { slong H, m; slong d[7]; } shapes[] = {
        {1, 3, {3, 2, 2}}, {1, 5, {4, 3, 3}}, {1, 5, {4, 2, 4}}, {1, 4, {3, 1, 2}},
        {2, 4, {3, 2, 2, 3}}, {2, 5, {4, 3, 2, 3}}, {2, 5, {4, 2, 3, 3}}, {2, 5, {4, 4, 4, 4}},
        {3, 4, {3, 2, 2, 2, 3}}, {3, 5, {4, 2, 3, 2, 3}}, {4, 4, {3, 2, 2, 2, 2, 3}},
    };
    const lmo_dl_class_t want[4] = {LMO_DL_GLOBAL_MIN, LMO_DL_STRICT_SADDLE,
                                    LMO_DL_BAD_SADDLE, LMO_DL_NOT_CRITICAL};
    int count[4] = {0, 0, 0, 0};
    for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++)
        for (int g = 0; g < 4; g++)
            for (ulong seed = 1; seed <= 6; seed++) {
                lmo_deep_linear_t dl;
                lmo_err_t err;
                slong H = shapes[s].H, m = shapes[s].m;
                const slong *d = shapes[s].d;
                int rc = g == 0 ? lmo_deep_linear_gen_global_min(dl, H, d, m, seed, &err)
                       : g == 1 ? lmo_deep_linear_gen_strict_saddle(dl, H, d, m, seed, &err)
                       : g == 2 ? lmo_deep_linear_gen_bad_saddle(dl, H, d, m, seed, &err)
                       : lmo_deep_linear_gen_not_critical(dl, H, d, m, seed, 30, &err);
                if (rc) {
                    CHECK(rc == LMO_EINPUT && (g == 1 || g == 2), "shape %zu gen %d: %s", s, g, err.msg);
                    continue;
                }
                count[g]++;
                slong n = lmo_deep_linear_nparams(dl), p = lmo_deep_linear_p(dl);
                slong dy = d[H + 1], q = p < dy ? p : dy;
                fmpq_mat_t H1, H2, gr;
                fmpq_mat_init(H1, n, n);
                fmpq_mat_init(H2, n, n);
                fmpq_mat_init(gr, n, 1);
                lmo_deep_linear_hessian(H1, dl);
                lmo_deep_linear_hessian_direct(H2, dl);
                lmo_deep_linear_gradient_direct(gr, dl);
                CHECK(fmpq_mat_equal(H1, H2), "shape %zu gen %d seed %lu: Hessians differ", s, g,
                      (unsigned long) seed);
                CHECK(fmpq_mat_is_zero(gr) == (g != 3), "shape %zu gen %d seed %lu: gradient",
                      s, g, (unsigned long) seed);
                lmo_ldl_t B;
                lmo_ldl_init(B);
                lmo_ldl_method(B, H2, LMO_LDL_BAREISS, &err);
                fmpq_t L, Ls;
                fmpq_init(L); fmpq_init(Ls);
                lmo_deep_linear_loss(L, dl);
                CHECK(lstar(Ls, dl, q), "shape %zu: irrational eigenvalue in generated Sigma", s);
                if (g == 0) CHECK(fmpq_equal(L, Ls), "shape %zu seed %lu: loss != L*", s,
                                  (unsigned long) seed);
                if (g == 1 || g == 2) CHECK(fmpq_cmp(L, Ls) > 0, "shape %zu gen %d: loss <= L*", s, g);
                if (g == 1) CHECK(B->nneg > 0, "shape %zu seed %lu: strict saddle without a negative "
                                  "eigenvalue (Bareiss)", s, (unsigned long) seed);
                if (g == 0 || g == 2) CHECK(B->nneg == 0, "shape %zu gen %d: negative eigenvalue", s, g);

                lmo_dl_result_t r;
                lmo_dl_result_init(r);
                lmo_dl_opts_t o;
                lmo_dl_opts_default(&o);
                o.seed = seed;
                CHECK(lmo_deep_linear_classify(r, dl, &o, NULL, &err) == LMO_OK, "classify: %s", err.msg);
                CHECK(r->cls == want[g], "shape %zu gen %d seed %lu: classified %s (%s)", s, g,
                      (unsigned long) seed, lmo_dl_class_name(r->cls), r->reason);
                CHECK(r->npos == B->npos && r->nneg == B->nneg && r->nzero == B->nzero,
                      "shape %zu gen %d: inertia differs from Bareiss", s, g);
                CHECK(!r->violation && r->hyp.hold, "shape %zu gen %d: violation / hypotheses", s, g);
                CHECK(fmpq_cmp(r->gmin_lo, Ls) <= 0 && fmpq_cmp(Ls, r->gmin_hi) <= 0,
                      "shape %zu gen %d: L* enclosure", s, g);
                lmo_dl_result_clear(r);
                lmo_ldl_clear(B);
                fmpq_clear(L); fmpq_clear(Ls);
                fmpq_mat_clear(H1); fmpq_mat_clear(H2); fmpq_mat_clear(gr);
                lmo_deep_linear_clear(dl);
            }
    for (int g = 0; g < 4; g++) CHECK(count[g] >= 20, "only %d points of generator %d", count[g], g);
    flint_cleanup();
    if (failures) { fprintf(stderr, "%d failure(s)\n", failures); return 1; }
    printf("test_deep_linear_slow: ok (%d global, %d strict, %d bad, %d not critical)\n",
           count[0], count[1], count[2], count[3]);
    return 0;
}
