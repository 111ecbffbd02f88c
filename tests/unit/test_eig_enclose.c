/*
 * Certified eigenvalue enclosures (lmo/linalg/eig_enclose.h) and the near-critical report
 * (lmo/linalg/near_critical.h, issue 20).
 *  - known spectra: A = Q diag(lambda) Q^T with Q exactly orthogonal over Q (a Householder
 *    reflection I - 2 v v^T / v^T v times a Cayley transform (I - S)(I + S)^{-1}, S skew),
 *    so the eigenvalues are the rational lambda: every one must lie in its enclosure (in
 *    ascending order), the enclosures must be tight, the counts must match the signs;
 *    and with poor locators given to lmo_eig_enclose_with (the identity, perturbed
 *    eigenvectors) the wide enclosures must still hold every eigenvalue;
 *  - random rational symmetric matrices (full rank and of low rank): the certified
 *    counts never contradict the exact inertia of lmo_inertia (Sylvester), and reach it
 *    at the cap up to the exact zeros (also when told to stop once only those are left);
 *  - nearly singular: an eigenvalue +-2^-200 is "undecided" with a 64-bit cap (never a
 *    wrong sign), and certified with the right sign at 512 bits;
 *  - the mid/rad strings contain the ball; bad input is refused;
 *  - lmo_near_critical_set refuses an inertia its certified signs contradict, and words
 *    its verdicts as the header says; a deep-linear strict saddle and global minimum moved
 *    by 2^-30 give the reports the generator promises.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lmo/linalg/near_critical.h"
#include "lmo/kawaguchi/deep_linear.h"
#include "lmo/linalg/eig_enclose.h"
#include "lmo/linalg/inertia.h"
#include "lmo_test.h"
#include "lmo_test_q.h"

static int cmp_q(const void *a, const void *b)
{
    return fmpq_cmp((const fmpq *) a, (const fmpq *) b);
}

/* Q (n x n) exactly orthogonal: Householder(v) * Cayley(S), v and S random. */
static void rand_orthogonal(fmpq_mat_t Q, lmo_rng_t *rng)
{
    slong n = fmpq_mat_nrows(Q);
    fmpq_mat_t v, Hh, S, P, M, Mi;
    fmpq_t vv, t;
    fmpq_mat_init(v, n, 1), fmpq_mat_init(Hh, n, n), fmpq_mat_init(S, n, n);
    fmpq_mat_init(P, n, n), fmpq_mat_init(M, n, n), fmpq_mat_init(Mi, n, n);
    fmpq_init(vv), fmpq_init(t);
    do lmo_test_rand_qmat(v, rng, 5, 3, 0); while (fmpq_mat_is_zero(v));
    for (slong i = 0; i < n; i++) fmpq_addmul(vv, fmpq_mat_entry(v, i, 0), fmpq_mat_entry(v, i, 0));
    fmpq_mat_one(Hh);
    for (slong i = 0; i < n; i++)
        for (slong j = 0; j < n; j++) {
            fmpq_mul(t, fmpq_mat_entry(v, i, 0), fmpq_mat_entry(v, j, 0));
            fmpq_mul_2exp(t, t, 1);
            fmpq_div(t, t, vv);
            fmpq_sub(fmpq_mat_entry(Hh, i, j), fmpq_mat_entry(Hh, i, j), t);
        }
    for (slong i = 0; i < n; i++)
        for (slong j = i + 1; j < n; j++) {
            lmo_test_rand_q(fmpq_mat_entry(S, i, j), rng, 3, 4, 0);
            fmpq_neg(fmpq_mat_entry(S, j, i), fmpq_mat_entry(S, i, j));
        }
    /* Cayley: (I - S)(I + S)^{-1}; I + S is invertible for skew S */
    fmpq_mat_one(P);
    fmpq_mat_sub(M, P, S);
    fmpq_mat_add(P, P, S);
    fmpq_mat_inv(Mi, P);
    fmpq_mat_mul(P, M, Mi);
    fmpq_mat_mul(Q, Hh, P);
    fmpq_mat_clear(v), fmpq_mat_clear(Hh), fmpq_mat_clear(S);
    fmpq_mat_clear(P), fmpq_mat_clear(M), fmpq_mat_clear(Mi);
    fmpq_clear(vv), fmpq_clear(t);
}

/* A = Q diag(lam) Q^T; Q_out (NULL: not wanted) gets Q. */
static void with_spectrum_q(fmpq_mat_t A, fmpq_mat_t Q_out, const fmpq *lam, lmo_rng_t *rng)
{
    slong n = fmpq_mat_nrows(A);
    fmpq_mat_t Q, QD, QT;
    fmpq_mat_init(Q, n, n), fmpq_mat_init(QD, n, n), fmpq_mat_init(QT, n, n);
    rand_orthogonal(Q, rng);
    if (Q_out) fmpq_mat_set(Q_out, Q);
    fmpq_mat_transpose(QT, Q);
    fmpq_mat_mul(QD, QT, Q);
    CHECKF(fmpq_mat_is_one(QD), "the test's Q is not orthogonal");
    for (slong i = 0; i < n; i++)
        for (slong j = 0; j < n; j++)
            fmpq_mul(fmpq_mat_entry(QD, i, j), fmpq_mat_entry(Q, i, j), lam + j);
    fmpq_mat_mul(A, QD, QT);
    fmpq_mat_clear(Q), fmpq_mat_clear(QD), fmpq_mat_clear(QT);
}

static void with_spectrum(fmpq_mat_t A, const fmpq *lam, lmo_rng_t *rng)
{
    with_spectrum_q(A, NULL, lam, rng);
}

/* The bound alone, with poor locators: the identity (plain Gershgorin on A) and the exact
 * eigenvectors moved by up to 2^-12 per entry. Enclosures are wide but must still hold
 * every eigenvalue (a bound that trusted the locator would not). */
static void poor_locators(lmo_rng_t *rng)
{
    for (int trial = 0; trial < 20; trial++) {
        slong n = 2 + trial % 5;
        fmpq *lam = _fmpq_vec_init(n);
        for (slong i = 0; i < n; i++) lmo_test_rand_q(lam + i, rng, 40, 1, 0);
        fmpq_mat_t A, Q;
        fmpq_mat_init(A, n, n), fmpq_mat_init(Q, n, n);
        with_spectrum_q(A, Q, lam, rng);
        qsort(lam, (size_t) n, sizeof(fmpq), cmp_q);
        fmpz_mat_t Z;
        fmpz_t den;
        fmpz_mat_init(Z, n, n);
        fmpz_init(den);
        fmpq_mat_get_fmpz_mat_matwise(Z, den, A);
        arb_mat_t L;
        arb_mat_init(L, n, n);
        for (int kind = 0; kind < 2; kind++) {
            if (kind == 0) arb_mat_one(L);
            else
                for (slong i = 0; i < n; i++)
                    for (slong j = 0; j < n; j++) {
                        fmpq_t d;
                        fmpq_init(d);
                        fmpq_set_si(d, (slong) lmo_rng_below(rng, 9) - 4, 4);
                        fmpq_div_2exp(d, d, 12);
                        fmpq_add(d, d, fmpq_mat_entry(Q, i, j));
                        arb_set_fmpq(arb_mat_entry(L, i, j), d, 53);
                        mag_zero(arb_radref(arb_mat_entry(L, i, j)));   /* exact entries */
                        fmpq_clear(d);
                    }
            lmo_eig_enclose_t E;
            lmo_err_t err;
            lmo_eig_enclose_init(E);
            CHECK_EQ(lmo_eig_enclose_with(E, Z, den, L, 128, &err), LMO_OK);
            slong neg = 0, pos = 0;
            for (slong i = 0; i < n; i++) {
                neg += fmpq_sgn(lam + i) < 0, pos += fmpq_sgn(lam + i) > 0;
                CHECKF(!E->ok || arb_contains_fmpq(E->lambda + i, lam + i),
                       "locator %d: eigenvalue %ld outside %s", kind, (long) i,
                       arb_get_str(E->lambda + i, 20, 0));
            }
            CHECK(E->ok);
            CHECK(E->nneg <= neg && E->npos <= pos);
            lmo_eig_enclose_clear(E);
        }
        arb_mat_clear(L);
        fmpz_mat_clear(Z);
        fmpz_clear(den);
        fmpq_mat_clear(A), fmpq_mat_clear(Q);
        _fmpq_vec_clear(lam, n);
    }
}

/* Every exact eigenvalue in its enclosure (both ascending), counts as the signs say. */
static void check_known(const fmpq *lam_in, slong n, slong cap, lmo_rng_t *rng, int tight)
{
    fmpq *lam = _fmpq_vec_init(n);
    for (slong i = 0; i < n; i++) fmpq_set(lam + i, lam_in + i);
    fmpq_mat_t A;
    fmpq_mat_init(A, n, n);
    with_spectrum(A, lam, rng);
    qsort(lam, (size_t) n, sizeof(fmpq), cmp_q);
    lmo_eig_enclose_t E;
    lmo_err_t err;
    lmo_eig_enclose_init(E);
    CHECK_EQ(lmo_eig_enclose(E, A, 64, cap, &err), LMO_OK);
    CHECK(E->ok);
    slong neg = 0, pos = 0, zero = 0;
    for (slong i = 0; i < n; i++) {
        int s = fmpq_sgn(lam + i);
        neg += s < 0, pos += s > 0, zero += s == 0;
        CHECKF(arb_contains_fmpq(E->lambda + i, lam + i), "eigenvalue %ld (%s) outside its enclosure %s", (long) i,
               fmpq_get_str(NULL, 10, lam + i), arb_get_str(E->lambda + i, 20, 0));
        if (tight && E->multiplicity[i] == 1)
            CHECKF(mag_cmp_2exp_si(arb_radref(E->lambda + i), -40) < 0,
                   "loose enclosure %s", arb_get_str(E->lambda + i, 20, 0));
    }
    CHECK(E->nneg <= neg && E->npos <= pos && E->nneg + E->npos + E->nundecided == n);
    CHECK(lmo_eig_enclose_agrees(E, pos, neg, zero));
    CHECKF(E->nundecided >= zero, "%ld undecided but %ld exact zeros", (long) E->nundecided, (long) zero);
    lmo_eig_enclose_clear(E);
    fmpq_mat_clear(A);
    _fmpq_vec_clear(lam, n);
}

static void known_spectra(lmo_rng_t *rng)
{
    /* distinct, well separated */
    {
        fmpq lam[5];
        slong v[5] = {-3, -1, 2, 5, 7};
        for (int i = 0; i < 5; i++) fmpq_init(lam + i), fmpq_set_si(lam + i, v[i], 1);
        check_known(lam, 5, 64, rng, 1);
        for (int i = 0; i < 5; i++) fmpq_clear(lam + i);
    }
    /* repeated, zero, tiny of both signs; 2^-40 needs more than 64 bits against |A| ~ 10 */
    for (int trial = 0; trial < 12; trial++) {
        slong n = 2 + trial % 6;
        fmpq *lam = _fmpq_vec_init(n);
        for (slong i = 0; i < n; i++) {
            slong k = lmo_rng_uniform(rng, 0, 5);
            if (k == 0) fmpq_zero(lam + i);
            else if (k == 1) fmpq_set_si(lam + i, 1, 1), fmpq_div_2exp(lam + i, lam + i, 40);
            else if (k == 2) fmpq_set_si(lam + i, -1, 1), fmpq_div_2exp(lam + i, lam + i, 40);
            else if (k == 3 && i > 0) fmpq_set(lam + i, lam + i - 1);   /* repeated */
            else lmo_test_rand_q(lam + i, rng, 9, 4, 1);
        }
        check_known(lam, n, 512, rng, 0);
        /* at 512 bits every nonzero eigenvalue is decided: undecided = exact zeros */
        fmpq_mat_t A;
        fmpq_mat_init(A, n, n);
        with_spectrum(A, lam, rng);
        lmo_eig_enclose_t E;
        lmo_err_t err;
        lmo_eig_enclose_init(E);
        lmo_eig_enclose(E, A, 64, 512, &err);
        slong neg = 0, pos = 0;
        for (slong i = 0; i < n; i++) neg += fmpq_sgn(lam + i) < 0, pos += fmpq_sgn(lam + i) > 0;
        CHECKF(E->nneg == neg && E->npos == pos, "trial %d: certified %ld-/%ld+, exact %ld-/%ld+",
               trial, (long) E->nneg, (long) E->npos, (long) neg, (long) pos);
        lmo_eig_enclose_clear(E);
        fmpq_mat_clear(A);
        _fmpq_vec_clear(lam, n);
    }
}

/* Random symmetric matrices: full rank, and B D B^T of rank r < n. */
static void random_vs_inertia(lmo_rng_t *rng)
{
    for (int trial = 0; trial < 60; trial++) {
        slong n = 1 + trial % 9, r = trial % 3 == 0 ? lmo_rng_uniform(rng, 0, n) : n;
        fmpq_mat_t A, B, D, BD, BT;
        fmpq_mat_init(A, n, n);
        if (r == n) {
            lmo_test_rand_qmat(A, rng, 20, 7, 0);
            for (slong i = 0; i < n; i++)
                for (slong j = 0; j < i; j++) fmpq_set(fmpq_mat_entry(A, i, j), fmpq_mat_entry(A, j, i));
        } else {
            fmpq_mat_init(B, n, r > 0 ? r : 1), fmpq_mat_init(D, r > 0 ? r : 1, r > 0 ? r : 1);
            fmpq_mat_init(BD, n, r > 0 ? r : 1), fmpq_mat_init(BT, r > 0 ? r : 1, n);
            if (r > 0) {
                lmo_test_rand_qmat(B, rng, 4, 3, 0);
                for (slong i = 0; i < r; i++)
                    fmpq_set_si(fmpq_mat_entry(D, i, i), lmo_rng_uniform(rng, 0, 1) ? 1 : -1, 1);
                fmpq_mat_mul(BD, B, D);
                fmpq_mat_transpose(BT, B);
                fmpq_mat_mul(A, BD, BT);
            }
            fmpq_mat_clear(B), fmpq_mat_clear(D), fmpq_mat_clear(BD), fmpq_mat_clear(BT);
        }
        slong pos, neg, zero;
        lmo_err_t err;
        CHECK_EQ(lmo_inertia(&pos, &neg, &zero, A, &err), LMO_OK);
        lmo_eig_enclose_t E;
        lmo_eig_enclose_init(E);
        CHECK_EQ(lmo_eig_enclose(E, A, 64, 512, &err), LMO_OK);
        CHECKF(lmo_eig_enclose_agrees(E, pos, neg, zero), "trial %d: certified %ld-/%ld+ against "
               "exact %ld-/%ld+/%ld0", trial, (long) E->nneg, (long) E->npos, (long) neg, (long) pos,
               (long) zero);
        CHECKF(E->nundecided == zero, "trial %d: %ld undecided, %ld exact zeros", trial,
               (long) E->nundecided, (long) zero);
        /* told how many exact zeros there are, it stops as soon as only those are left: the
         * same counts, at no more precision */
        slong prec_full = E->prec;
        fmpz_mat_t Z;
        fmpz_t den;
        fmpz_mat_init(Z, n, n);
        fmpz_init(den);
        fmpq_mat_get_fmpz_mat_matwise(Z, den, A);
        CHECK_EQ(lmo_eig_enclose_fmpz(E, Z, den, 64, 512, zero, &err), LMO_OK);
        CHECKF(E->nundecided == zero && lmo_eig_enclose_agrees(E, pos, neg, zero) &&
               E->prec <= prec_full && (zero == 0 || E->prec < 512 || prec_full == 512),
               "trial %d, enough = %ld: %ld undecided at %ld bits", trial, (long) zero,
               (long) E->nundecided, (long) E->prec);
        fmpz_mat_clear(Z);
        fmpz_clear(den);
        lmo_eig_enclose_clear(E);
        fmpq_mat_clear(A);
    }
}

/* +-2^-200 beside 1 and 2: undecided at 64 bits, decided at 512. */
static void nearly_singular(lmo_rng_t *rng)
{
    for (int sgn = -1; sgn <= 1; sgn += 2) {
        fmpq lam[3];
        for (int i = 0; i < 3; i++) fmpq_init(lam + i);
        fmpq_set_si(lam + 0, 1, 1);
        fmpq_set_si(lam + 1, 2, 1);
        fmpq_set_si(lam + 2, sgn, 1);
        fmpq_div_2exp(lam + 2, lam + 2, 200);
        fmpq_mat_t A;
        fmpq_mat_init(A, 3, 3);
        with_spectrum(A, lam, rng);
        lmo_eig_enclose_t E;
        lmo_err_t err;
        lmo_eig_enclose_init(E);
        lmo_eig_enclose(E, A, 64, 64, &err);
        CHECKF(E->nundecided == 1 && E->npos == 2 && E->nneg == 0 && E->prec == 64,
               "cap 64, eigenvalue %d 2^-200: %ld-/%ld+/%ld? at %ld bits", sgn, (long) E->nneg,
               (long) E->npos, (long) E->nundecided, (long) E->prec);
        lmo_eig_enclose(E, A, 64, 512, &err);
        CHECKF(E->nundecided == 0 && E->npos == (sgn > 0 ? 3 : 2) && E->nneg == (sgn < 0),
               "cap 512, eigenvalue %d 2^-200: %ld-/%ld+/%ld?", sgn, (long) E->nneg, (long) E->npos,
               (long) E->nundecided);
        CHECKF(E->prec == 256, "decided at %ld bits, expected 256", (long) E->prec);
        /* the near-critical verdict at a 64-bit cap says undecided, never a sign */
        lmo_near_critical_t nc;
        fmpq_mat_t g;
        fmpz_mat_t Z;
        fmpz_t den;
        fmpq_mat_init(g, 3, 1);
        fmpz_mat_init(Z, 3, 3);
        fmpz_init(den);
        fmpq_set_si(fmpq_mat_entry(g, 0, 0), 1, 1 << 30);
        fmpq_mat_get_fmpz_mat_matwise(Z, den, A);
        lmo_near_critical_init(nc);
        CHECK_EQ(lmo_near_critical_set(nc, g, Z, den, sgn > 0 ? 3 : 2, sgn < 0, 0, NULL, NULL, NULL,
                                       64, &err), LMO_OK);
        CHECK_CONTAINS(nc->verdict, "1 Hessian eigenvalue undecided at precision 64");
        lmo_near_critical_clear(nc);
        fmpq_mat_clear(g);
        fmpz_mat_clear(Z);
        fmpz_clear(den);
        lmo_eig_enclose_clear(E);
        fmpq_mat_clear(A);
        for (int i = 0; i < 3; i++) fmpq_clear(lam + i);
    }
}

static void strings_and_errors(void)
{
    arb_t x, y;
    arb_init(x), arb_init(y);
    const char *tests[] = {"[-0.42 +/- 1e-30]", "[3.14159265358979 +/- 2e-12]", "[+/- 1e-5]", "7",
                           "[1.5e-20 +/- 3e-40]", NULL};
    for (int i = 0; tests[i]; i++) {
        arb_set_str(x, tests[i], 256);
        for (slong digits = 3; digits <= 10; digits += 7) {
            char *m, *r, buf[300];
            lmo_arb_get_mid_rad_str(&m, &r, x, digits, 60);
            snprintf(buf, sizeof buf, "[%s +/- %s]", m, r);
            CHECKF(arb_set_str(y, buf, 256) == 0 && arb_contains(y, x), "%s printed as %s", tests[i], buf);
            flint_free(m), flint_free(r);
        }
    }
    arb_clear(x), arb_clear(y);
    /* not symmetric, not square */
    fmpq_mat_t A;
    lmo_eig_enclose_t E;
    lmo_err_t err;
    lmo_eig_enclose_init(E);
    fmpq_mat_init(A, 2, 2);
    fmpq_set_si(fmpq_mat_entry(A, 0, 1), 1, 1);
    CHECK_EQ(lmo_eig_enclose(E, A, 64, 64, &err), LMO_EINPUT);
    fmpq_mat_clear(A);
    fmpq_mat_init(A, 2, 3);
    CHECK_EQ(lmo_eig_enclose(E, A, 64, 64, &err), LMO_EINPUT);
    fmpq_mat_clear(A);
    fmpq_mat_init(A, 0, 0);
    CHECK_EQ(lmo_eig_enclose(E, A, 64, 64, &err), LMO_OK);
    CHECK(E->ok && E->n == 0 && E->nundecided == 0);
    fmpq_mat_clear(A);
    lmo_eig_enclose_clear(E);
}

/* The report refuses an inertia its certified signs contradict; verdict wording. */
static void near_critical_rules(void)
{
    /* H = diag(-3, 5): one certified negative, one positive */
    fmpz_mat_t Z;
    fmpz_t den;
    fmpq_mat_t g;
    lmo_err_t err;
    fmpz_mat_init(Z, 2, 2);
    fmpz_init(den);
    fmpz_one(den);
    fmpq_mat_init(g, 2, 1);
    fmpz_set_si(fmpz_mat_entry(Z, 0, 0), -3);
    fmpz_set_si(fmpz_mat_entry(Z, 1, 1), 5);
    fmpq_set_si(fmpq_mat_entry(g, 0, 0), 3, 1 << 30);
    fmpq_set_si(fmpq_mat_entry(g, 1, 0), 4, 1 << 30);   /* |grad| = 5 * 2^-30 */
    lmo_near_critical_t nc;
    lmo_near_critical_init(nc);
    /* a wrong inertia (2 positive) must be refused: -3 is certainly negative */
    CHECK_EQ(lmo_near_critical_set(nc, g, Z, den, 2, 0, 0, NULL, NULL, NULL, 512, &err), LMO_ELIMIT);
    CHECK_CONTAINS(err.msg, "contradict the exact inertia");
    CHECK_EQ(lmo_near_critical_set(nc, g, Z, den, 1, 1, 0, NULL, NULL, NULL, 512, &err), LMO_OK);
    CHECK(fmpq_cmp_si(nc->grad_sq, 0) > 0);
    fmpq_t w;
    fmpq_init(w);
    fmpq_set_si(w, 25, 1);
    fmpq_div_2exp(w, w, 60);
    CHECK(fmpq_equal(nc->grad_sq, w));
    CHECK_CONTAINS(nc->verdict, "not a minimum-like point");
    CHECK_CONTAINS(nc->verdict, "gradient norm ≈ 4.7e-9");
    json_t *j = lmo_near_critical_to_json(nc);
    CHECK_STREQ(json_string_value(json_object_get(json_object_get(j, "gradient_norm"), "squared")),
                "25/1152921504606846976");
    CHECK_EQ(json_array_size(json_object_get(j, "hessian_eigenvalues")), 2);
    CHECK_EQ(json_integer_value(json_object_get(json_object_get(j, "hessian_signs"), "negative")), 1);
    json_decref(j);
    /* H = diag(3, 5): positive definite; Newton step <= |g| / 3 */
    fmpz_set_si(fmpz_mat_entry(Z, 0, 0), 3);
    CHECK_EQ(lmo_near_critical_set(nc, g, Z, den, 2, 0, 0, NULL, NULL, NULL, 512, &err), LMO_OK);
    CHECK_CONTAINS(nc->verdict, "certified positive definite");
    CHECK_CONTAINS(nc->verdict, "does not certify a local minimum");
    /* a big gradient: no near-critical claim */
    fmpq_set_si(fmpq_mat_entry(g, 0, 0), 1, 1);
    fmpz_set_si(fmpz_mat_entry(Z, 0, 0), -3);
    CHECK_EQ(lmo_near_critical_set(nc, g, Z, den, 1, 1, 0, NULL, NULL, NULL, 512, &err), LMO_OK);
    CHECK_CONTAINS(nc->verdict, "no claim about a nearby critical point");
    CHECK(strstr(nc->verdict, "near a strict saddle") == NULL);
    /* tiny negative curvature against the gradient: no verdict */
    fmpq_set_si(fmpq_mat_entry(g, 0, 0), 1, 1 << 24);
    fmpz_set_si(fmpz_mat_entry(Z, 0, 0), -1);
    fmpz_set_si(fmpz_mat_entry(Z, 1, 1), 1 << 30);
    fmpz_set_si(den, 1 << 30);   /* H = diag(-2^-30, 1) */
    CHECK_EQ(lmo_near_critical_set(nc, g, Z, den, 1, 1, 0, NULL, NULL, NULL, 512, &err), LMO_OK);
    CHECK_CONTAINS(nc->verdict, "not below -sqrt(gradient norm)");
    fmpq_clear(w);
    lmo_near_critical_clear(nc);
    fmpz_mat_clear(Z);
    fmpz_clear(den);
    fmpq_mat_clear(g);
}

/* The generator's points: a moved strict saddle keeps a certified negative eigenvalue
 * (which the exact inertia confirms), a moved global minimum's gap is loss - L* exactly. */
static void deep_linear_points(void)
{
    int saddles = 0, globals = 0;
    for (ulong seed = 1; seed <= 8; seed++)
        for (int saddle = 0; saddle <= 1; saddle++) {
            /* the saddle needs p = min(d1, d2) < dy = 2 (Theorem 2.3 (iv)) */
            slong dims[4] = {3, 2 + (slong) (seed % 2), saddle ? 1 : 2, 2};
            lmo_deep_linear_t dl;
            lmo_err_t err;
            if (lmo_deep_linear_gen_near_critical(dl, 2, dims, 4, seed, saddle, 30, &err) != LMO_OK)
                continue;
            lmo_dl_result_t res;
            lmo_dl_result_init(res);
            CHECK_EQ(lmo_deep_linear_classify(res, dl, NULL, NULL, &err), LMO_OK);
            CHECK(!res->critical && res->cls == LMO_DL_NOT_CRITICAL);
            lmo_near_critical_t nc;
            lmo_near_critical_init(nc);
            CHECK_EQ(lmo_deep_linear_near_critical(nc, dl, res, LMO_NEAR_CRITICAL_PREC_CAP, &err), LMO_OK);
            CHECK(lmo_eig_enclose_agrees(nc->eig, res->npos, res->nneg, res->nzero));
            CHECK(nc->have_gap && nc->gap_exact);
            fmpq_t want;
            fmpq_init(want);
            fmpq_sub(want, res->loss, res->gmin_value);
            CHECK(fmpq_equal(want, nc->gap_lo) && fmpq_sgn(want) > 0);
            /* |grad| is O(2^-30): below 2^-20 */
            CHECK(arb_is_positive(nc->grad_norm) && arf_cmpabs_2exp_si(arb_midref(nc->grad_norm), -20) < 0);
            if (saddle) {
                saddles++;
                CHECK(nc->eig->nneg > 0);
                CHECK_CONTAINS(nc->verdict, "not a minimum-like point");
            } else {
                globals++;
                CHECK(strstr(nc->verdict, "near a strict saddle") == NULL);
            }
            fmpq_clear(want);
            lmo_near_critical_clear(nc);
            lmo_dl_result_clear(res);
            lmo_deep_linear_clear(dl);
        }
    CHECKF(saddles >= 4 && globals >= 4, "only %d saddles and %d global minima generated", saddles, globals);
}

int main(void)
{
    lmo_rng_t rng;
    lmo_rng_seed(&rng, 20);
    known_spectra(&rng);
    poor_locators(&rng);
    random_vs_inertia(&rng);
    nearly_singular(&rng);
    strings_and_errors();
    near_critical_rules();
    deep_linear_points();
    flint_cleanup();
    return lmo_test_finish();
}
