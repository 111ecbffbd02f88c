/*
 * fuzz_classify -- libFuzzer target for the deep-linear classification
 * (lmo/kawaguchi/deep_linear.h, lmo_deep_linear_classify; Kawaguchi 2016 Theorem 2.3,
 * Corollary 2.4) on small fuzzed networks.
 *
 * The bytes pick either a raw network (H = 1 or 2, widths 1..3, m <= 3, small
 * rational entries, often zero) or one of the constructors (global minimum,
 * strict saddle, bad saddle, not critical) with a fuzzed seed and shape,
 * optionally with one weight entry overwritten.
 *
 * Properties, each by a method other than the classifier's own:
 *  - gradient and Hessian: Lemma 4.1/4.3 block formulas == hyper-dual
 *    differentiation; `critical` <=> the gradient is zero;
 *  - inertia == Descartes' rule of signs on the Hessian's characteristic
 *    polynomial (exact for a real-rooted polynomial);
 *  - LDL^T factors and the negative direction v re-multiplied exactly;
 *  - the escape curve's loss polynomial == the loss evaluated at points of
 *    the curve; its first change has the claimed sign;
 *  - the class agrees with criticality and inertia; loss >= lower bound of
 *    the global minimum value; a violated statement is a bug (abort) -- but for Appendix
 *    C.1, the proof erratum lmo reports by design;
 *  - a constructed point gets the class its construction guarantees.
 */
#include <stdint.h>
#include <string.h>
#include <flint/fmpq_poly.h>
#include <flint/fmpz_poly.h>
#include <flint/fmpz_mat.h>
#include <flint/fmpq_mat.h>
#include "lmo_fuzz.h"
#include "lmo/kawaguchi/deep_linear.h"

typedef struct { const uint8_t *p; size_t n; } lmo_fuzz_bytes_t;

static unsigned next(lmo_fuzz_bytes_t *b)
{
    if (b->n == 0) return 0;
    b->n--;
    return *b->p++;
}

static void small_q(fmpq_t x, lmo_fuzz_bytes_t *b)
{
    int v = (int8_t) next(b);
    fmpq_set_si(x, v % 4, 1 + (ulong) (v & 0x70) / 0x38);   /* -3..3 over 1, 2 or 3 */
}

/* sign changes of c[0..n] (zeros skipped) */
static slong sign_changes(const fmpz *c, slong n, int alternate)
{
    slong ch = 0;
    int last = 0;
    for (slong i = 0; i <= n; i++) {
        int s = fmpz_sgn(c + i) * ((alternate && (i & 1)) ? -1 : 1);
        if (s && last && s != last) ch++;
        if (s) last = s;
    }
    return ch;
}

static void check_inertia(const lmo_dl_result_t res, const fmpq_mat_t Hs)
{
    slong n = fmpq_mat_nrows(Hs);
    /* the charpoly of den H (den > 0) has the roots of H scaled by den, so
     * the same signs; division-free Berkowitz over Z is cheaper than FLINT's
     * multi-modular charpoly at these sizes */
    fmpz_mat_t Z;
    fmpz_t den;
    fmpz_poly_t cp;
    fmpz_mat_init(Z, n, n);
    fmpz_init(den);
    fmpz_poly_init(cp);
    fmpq_mat_get_fmpz_mat_matwise(Z, den, Hs);
    fmpz_mat_charpoly_berkowitz(cp, Z);
    const fmpz *c = cp->coeffs;   /* monic, degree n */
    slong z = 0;
    while (z < n && fmpz_is_zero(c + z)) z++;
    slong pos = sign_changes(c, n, 0), neg = sign_changes(c, n, 1);
    if (pos != res->npos || neg != res->nneg || z != res->nzero)
        lmo_fuzz_fail("inertia (+%ld, -%ld, 0:%ld), Descartes on the charpoly says (+%ld, -%ld, 0:%ld)",
                      (long) res->npos, (long) res->nneg, (long) res->nzero, (long) pos, (long) neg,
                      (long) z);
    fmpz_poly_clear(cp);
    fmpz_clear(den);
    fmpz_mat_clear(Z);
}

static void check_factors(const lmo_dl_result_t res, const fmpq_mat_t Hs)
{
    slong n = fmpq_mat_nrows(Hs);
    const lmo_ldl_struct *F = res->hess;
    if (F->has_witness) {
        fmpq_mat_t t, vt, s;
        fmpq_mat_init(t, n, 1);
        fmpq_mat_init(vt, 1, n);
        fmpq_mat_init(s, 1, 1);
        fmpq_mat_mul(t, Hs, F->v);
        fmpq_mat_transpose(vt, F->v);
        fmpq_mat_mul(s, vt, t);
        if (!fmpq_equal(fmpq_mat_entry(s, 0, 0), F->vHv) || fmpq_sgn(F->vHv) >= 0)
            lmo_fuzz_fail("negative direction: v^T H v is not the claimed negative value");
        fmpq_mat_clear(t);
        fmpq_mat_clear(vt);
        fmpq_mat_clear(s);
    }
    /* perm a permutation, L unit lower triangular, P^T H P == L D L^T
     * entry by entry (inertia.h; it knows nothing of how F was computed) */
    if (F->complete && !lmo_ldl_verify(F, Hs))
        lmo_fuzz_fail("P^T H P != L D L^T (or perm, L malformed)");
}

/* loss(theta(t)) at t = 1/2 and t = -1/3 equals the claimed polynomial */
static void check_curve(const lmo_deep_linear_t dl, const fmpq_mat_struct *D, slong nd,
                        const fmpq_poly_t poly, int want_sign)
{
    if (nd == 0) return;
    slong n = lmo_deep_linear_nparams(dl), order;
    fmpq_poly_t f;
    fmpq_poly_init(f);
    lmo_deep_linear_curve_loss(f, dl, D, nd);
    if (!fmpq_poly_equal(f, poly)) lmo_fuzz_fail("stored curve polynomial is not recomputed");
    if (lmo_poly_leading_change(&order, f) != want_sign)
        lmo_fuzz_fail("escape curve: first change has the wrong sign");
    lmo_deep_linear_t pt;
    fmpq_mat_t th, th0;
    fmpq_t t, tp, L, Lp;
    fmpq_init(t); fmpq_init(tp); fmpq_init(L); fmpq_init(Lp);
    fmpq_mat_init(th, n, 1);
    fmpq_mat_init(th0, n, 1);
    lmo_deep_linear_init(pt, dl->H, dl->d, dl->m);
    lmo_deep_linear_set(pt, dl);
    lmo_deep_linear_get_theta(th0, dl);
    for (int k = 0; k < 2; k++) {
        fmpq_set_si(t, k ? -1 : 1, k ? 3 : 2);
        fmpq_mat_set(th, th0);
        fmpq_one(tp);
        for (slong i = 0; i < nd; i++) {
            fmpq_mul(tp, tp, t);
            for (slong j = 0; j < n; j++)
                fmpq_addmul(fmpq_mat_entry(th, j, 0), tp, fmpq_mat_entry(D + i, j, 0));
        }
        lmo_deep_linear_set_theta(pt, th);
        lmo_deep_linear_loss(L, pt);
        fmpq_poly_evaluate_fmpq(Lp, f, t);
        if (!fmpq_equal(L, Lp)) lmo_fuzz_fail("curve polynomial != loss on the curve at t = %d/%d",
                                               k ? -1 : 1, k ? 3 : 2);
    }
    lmo_deep_linear_clear(pt);
    fmpq_mat_clear(th);
    fmpq_mat_clear(th0);
    fmpq_clear(t); fmpq_clear(tp); fmpq_clear(L); fmpq_clear(Lp);
    fmpq_poly_clear(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lmo_fuzz_bytes_t b = { data, size };
    unsigned mode = next(&b) % 6, H = 1 + next(&b) % 2;
    slong dims[4], m;
    /* widths 1..2 (rarely 3) and m <= 3 keep one execution in the
       millisecond range, so 10^7 of them fit in a long run */
    for (unsigned k = 0; k <= H + 1; k++) {
        unsigned w = next(&b);
        dims[k] = 1 + (w % 16 == 15 ? 2 : w % 2);
    }
    m = 1 + next(&b) % 3;
    ulong seed = next(&b) | (ulong) next(&b) << 8;
    lmo_deep_linear_t dl;
    lmo_err_t err;
    int rc = LMO_OK;
    if (mode <= 1) {                        /* raw network, entries small and often 0 */
        lmo_deep_linear_init(dl, H, dims, m);
        fmpq_mat_struct *mats[3] = { dl->X, dl->Y, NULL };
        for (int i = 0; i < 2; i++)
            for (slong r = 0; r < fmpq_mat_nrows(mats[i]); r++)
                for (slong c = 0; c < fmpq_mat_ncols(mats[i]); c++)
                    small_q(fmpq_mat_entry(mats[i], r, c), &b);
        for (unsigned k = 0; k <= H; k++)
            for (slong r = 0; r < fmpq_mat_nrows(dl->W + k); r++)
                for (slong c = 0; c < fmpq_mat_ncols(dl->W + k); c++)
                    if (mode == 0) small_q(fmpq_mat_entry(dl->W + k, r, c), &b);
    } else {
        if (m < dims[0]) m = dims[0] + (m & 1);
        if (dims[H + 1] > dims[0]) dims[H + 1] = dims[0];
        if (mode == 2) rc = lmo_deep_linear_gen_global_min(dl, H, dims, m, seed, &err);
        else if (mode == 3) rc = lmo_deep_linear_gen_strict_saddle(dl, H, dims, m, seed, &err);
        else if (mode == 4) rc = lmo_deep_linear_gen_bad_saddle(dl, H, dims, m, seed, &err);
        else rc = lmo_deep_linear_gen_not_critical(dl, H, dims, m, seed, 1 + next(&b) % 40, &err);
        if (rc == LMO_EINPUT) return 0;     /* the widths cannot host the class */
        if (rc) lmo_fuzz_fail("constructor %u: %s", mode, err.msg);
    }
    unsigned poke = next(&b);
    if (poke & 1) {                         /* overwrite one weight entry */
        fmpq_mat_struct *W = dl->W + (poke >> 1) % (dl->H + 1);
        small_q(fmpq_mat_entry(W, next(&b) % fmpq_mat_nrows(W), next(&b) % fmpq_mat_ncols(W)), &b);
        mode = 0;                           /* no longer a constructed point */
    }

    slong n = lmo_deep_linear_nparams(dl);
    fmpq_mat_t g1, g2, H1, H2;
    fmpq_mat_init(g1, n, 1); fmpq_mat_init(g2, n, 1);
    fmpq_mat_init(H1, n, n); fmpq_mat_init(H2, n, n);
    lmo_deep_linear_gradient(g1, dl);
    lmo_deep_linear_gradient_direct(g2, dl);
    lmo_deep_linear_hessian(H1, dl);
    lmo_deep_linear_hessian_direct(H2, dl);
    if (!fmpq_mat_equal(g1, g2)) lmo_fuzz_fail("gradient: Lemma 4.1 != hyper-dual");
    if (!fmpq_mat_equal(H1, H2)) lmo_fuzz_fail("Hessian: Lemma 4.3 != hyper-dual");

    lmo_dl_opts_t opts;
    lmo_dl_result_t res;
    lmo_dl_opts_default(&opts);
    opts.seed = seed;
    opts.want_cert = 1;
    opts.search = 1 + next(&b) % 8;
    lmo_dl_result_init(res);
    rc = lmo_deep_linear_classify(res, dl, &opts, NULL, &err);
    if (rc) lmo_fuzz_fail("classify failed on a network with %ld parameters: %s", (long) n, err.msg);

    if (res->critical != fmpq_mat_is_zero(g2)) lmo_fuzz_fail("critical = %d is wrong", res->critical);
    fmpq_t L;
    fmpq_init(L);
    lmo_deep_linear_loss(L, dl);
    if (!fmpq_equal(L, res->loss)) lmo_fuzz_fail("loss differs from a recomputation");
    if (fmpq_cmp(res->gmin_lo, res->gmin_hi) > 0 || fmpq_cmp(L, res->gmin_lo) < 0)
        lmo_fuzz_fail("loss below the lower bound of the global minimum value");
    /* a decision (1 global, 0 not) must match the exact value when it is
       rational; undecided (-1) is allowed */
    if (res->gmin_rational && res->critical && res->is_global >= 0
        && res->is_global != fmpq_equal(L, res->gmin_value))
        lmo_fuzz_fail("is_global = %d but loss %s the exact global minimum value", res->is_global,
                      fmpq_equal(L, res->gmin_value) ? "equals" : "differs from");

    if (res->npos + res->nneg + res->nzero != n) lmo_fuzz_fail("inertia does not sum to n");
    check_inertia(res, H2);
    check_factors(res, H2);
    check_curve(dl, res->desc, res->ndesc, res->desc_poly, -1);
    check_curve(dl, res->asc, res->nasc, res->asc_poly, 1);

    lmo_dl_class_t c = res->cls;
    int ok = 1;
    switch (c) {
    case LMO_DL_NOT_CRITICAL: ok = !res->critical; break;
    case LMO_DL_GLOBAL_MIN: ok = res->critical && res->is_global == 1 && res->nneg == 0; break;
    case LMO_DL_STRICT_SADDLE: ok = res->critical && res->nneg > 0; break;
    case LMO_DL_BAD_SADDLE: ok = res->critical && res->nneg == 0 && res->is_global != 1 && res->ndesc > 0; break;
    case LMO_DL_UNKNOWN: ok = res->reason[0] != '\0'; break;
    default: ok = 1; break;   /* local_min_not_global / local_max: see the theorem check */
    }
    if (!ok) lmo_fuzz_fail("class %s inconsistent with critical=%d inertia=(+%ld,-%ld,0:%ld) is_global=%d",
                           lmo_dl_class_name(c), res->critical, (long) res->npos, (long) res->nneg,
                           (long) res->nzero, res->is_global);
    if (res->violation) {
        for (int i = 0; i < LMO_DL_NTHM; i++)
            /* Appendix C.1 is the proof's erratum lmo reports by design (H = 2, W1 = W2 = 0,
             * W3 != 0); every other violation is a bug */
            if (res->thm[i].statement && res->thm[i].outcome == LMO_OUTCOME_VIOLATED &&
                i != LMO_DL_PROOF_C1)
                lmo_fuzz_fail("%s violated (class %s): %s", res->thm[i].statement,
                              lmo_dl_class_name(c), res->thm[i].reason);
    }
    if (res->hyp.hold && (c == LMO_DL_LOCAL_MIN_NOT_GLOBAL || c == LMO_DL_LOCAL_MAX))
        lmo_fuzz_fail("class %s under the hypotheses of Theorem 2.3", lmo_dl_class_name(c));

    /* constructed points: the construction decides the class */
    static const lmo_dl_class_t WANT[6] = { 0, 0, LMO_DL_GLOBAL_MIN, LMO_DL_STRICT_SADDLE,
                                            LMO_DL_BAD_SADDLE, LMO_DL_NOT_CRITICAL };
    /* under Theorem 2.3's hypotheses the escape of a Hessian >= 0 point is constructed, never
     * missed (lmo/kawaguchi/deep_linear.h, "Escape curves"): unknown is a bug there too */
    if (mode >= 2 && c != WANT[mode] && !(mode == 4 && c == LMO_DL_UNKNOWN && !res->hyp.hold))
        lmo_fuzz_fail("constructed %s point classified %s", lmo_dl_class_name(WANT[mode]),
                      lmo_dl_class_name(c));

    json_t *e = lmo_deep_linear_result_to_json(res), *ce = lmo_deep_linear_cert_to_json(res, "fuzz");
    if (e == NULL || ce == NULL) lmo_fuzz_fail("result or certificate JSON is NULL");
    json_decref(e);
    json_decref(ce);

    fmpq_clear(L);
    lmo_dl_result_clear(res);
    fmpq_mat_clear(g1); fmpq_mat_clear(g2);
    fmpq_mat_clear(H1); fmpq_mat_clear(H2);
    lmo_deep_linear_clear(dl);
    return 0;
}
