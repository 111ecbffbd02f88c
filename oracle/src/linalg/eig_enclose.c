/* Certified eigenvalue enclosures of a rational symmetric matrix: Jacobi to locate,
 * Q^{-1} A Q and Gershgorin to bound (lmo/linalg/eig_enclose.h). */
#include <stdlib.h>
#include <string.h>
#include <arb_mat.h>
#include "lmo/linalg/eig_enclose.h"

void lmo_eig_enclose_init(lmo_eig_enclose_t E)
{
    memset(E, 0, sizeof *E);
}

void lmo_eig_enclose_clear(lmo_eig_enclose_t E)
{
    if (E->lambda) _arb_vec_clear(E->lambda, E->n);
    flint_free(E->multiplicity);
    memset(E, 0, sizeof *E);
}

static void mid(arb_t x)
{
    mag_zero(arb_radref(x));
}

/* (a, b) <- (c a - s b, s a + c b), midpoints: one plane rotation of a pair of entries */
static void turn(arb_t a, arb_t b, const arb_t c, const arb_t s, arb_t x, arb_t y, slong prec)
{
    arb_mul(x, c, a, prec);
    arb_submul(x, s, b, prec);
    arb_mul(y, s, a, prec);
    arb_addmul(y, c, b, prec);
    mid(x), mid(y);
    arb_swap(a, x);
    arb_swap(b, y);
}

/* One Jacobi rotation in the (p, q) plane of the symmetric S (midpoints), accumulated
 * into V's columns: S <- J^T S J, V <- V J (Golub-Van Loan, Algorithm 8.5.2). */
static void rotate(arb_mat_t S, arb_mat_t V, slong p, slong q, slong prec)
{
    slong n = arb_mat_nrows(S);
    arb_t tau, t, c, s, u, x, y;
    arb_init(tau), arb_init(t), arb_init(c), arb_init(s), arb_init(u), arb_init(x), arb_init(y);
    /* tau = (S_qq - S_pp) / (2 S_pq); t = sgn(tau) / (|tau| + sqrt(1 + tau^2)) */
    arb_sub(tau, arb_mat_entry(S, q, q), arb_mat_entry(S, p, p), prec);
    arb_div(tau, tau, arb_mat_entry(S, p, q), prec);
    arb_mul_2exp_si(tau, tau, -1);
    mid(tau);
    arb_mul(u, tau, tau, prec);
    arb_add_ui(u, u, 1, prec);
    arb_sqrt(u, u, prec);
    arb_abs(t, tau);
    arb_add(t, t, u, prec);
    arb_ui_div(t, 1, t, prec);
    if (arf_sgn(arb_midref(tau)) < 0) arb_neg(t, t);
    mid(t);
    /* c = 1 / sqrt(1 + t^2), s = t c */
    arb_mul(c, t, t, prec);
    arb_add_ui(c, c, 1, prec);
    arb_rsqrt(c, c, prec);
    mid(c);
    arb_mul(s, t, c, prec);
    mid(s);
    for (slong k = 0; k < n; k++) {
        if (k == p || k == q) continue;
        turn(arb_mat_entry(S, k, p), arb_mat_entry(S, k, q), c, s, x, y, prec);
        arb_set(arb_mat_entry(S, p, k), arb_mat_entry(S, k, p));   /* S stays symmetric */
        arb_set(arb_mat_entry(S, q, k), arb_mat_entry(S, k, q));
    }
    arb_mul(u, t, arb_mat_entry(S, p, q), prec);
    arb_sub(arb_mat_entry(S, p, p), arb_mat_entry(S, p, p), u, prec);
    arb_add(arb_mat_entry(S, q, q), arb_mat_entry(S, q, q), u, prec);
    mid(arb_mat_entry(S, p, p)), mid(arb_mat_entry(S, q, q));
    arb_zero(arb_mat_entry(S, p, q));
    arb_zero(arb_mat_entry(S, q, p));
    for (slong k = 0; k < n; k++)
        turn(arb_mat_entry(V, k, p), arb_mat_entry(V, k, q), c, s, x, y, prec);
    arb_clear(tau), arb_clear(t), arb_clear(c), arb_clear(s), arb_clear(u), arb_clear(x), arb_clear(y);
}

/* Cyclic Jacobi sweeps on S until every off-diagonal entry is below |S|_F 2^(8 - prec)
 * (or 60 sweeps). Only locates: the result is never trusted. */
static void jacobi(arb_mat_t S, arb_mat_t V, slong prec)
{
    slong n = arb_mat_nrows(S);
    mag_t tol, a;
    arb_t f;
    mag_init(tol), mag_init(a);
    arb_init(f);
    for (slong i = 0; i < n; i++)
        for (slong j = 0; j < n; j++) arb_addmul(f, arb_mat_entry(S, i, j), arb_mat_entry(S, i, j), prec);
    arb_sqrt(f, f, prec);
    arb_get_mag(tol, f);
    mag_mul_2exp_si(tol, tol, 8 - prec);
    for (int sweep = 0; sweep < 60; sweep++) {
        int rotated = 0;
        for (slong p = 0; p < n; p++)
            for (slong q = p + 1; q < n; q++) {
                arb_get_mag(a, arb_mat_entry(S, p, q));
                if (mag_cmp(a, tol) <= 0 || arf_is_zero(arb_midref(arb_mat_entry(S, p, q))))
                    continue;
                rotate(S, V, p, q, prec);
                rotated = 1;
            }
        if (!rotated) break;
    }
    mag_clear(tol), mag_clear(a);
    arb_clear(f);
}

/* Modified Gram-Schmidt on V's columns, twice, on midpoints (locating only). */
static void orthonormalise(arb_mat_t V, slong prec)
{
    slong n = arb_mat_nrows(V);
    arb_t r;
    arb_init(r);
    for (int pass = 0; pass < 2; pass++)
        for (slong j = 0; j < n; j++) {
            for (slong i = 0; i < j; i++) {
                arb_zero(r);
                for (slong k = 0; k < n; k++)
                    arb_addmul(r, arb_mat_entry(V, k, i), arb_mat_entry(V, k, j), prec);
                for (slong k = 0; k < n; k++) {
                    arb_submul(arb_mat_entry(V, k, j), r, arb_mat_entry(V, k, i), prec);
                    mid(arb_mat_entry(V, k, j));
                }
            }
            arb_zero(r);
            for (slong k = 0; k < n; k++)
                arb_addmul(r, arb_mat_entry(V, k, j), arb_mat_entry(V, k, j), prec);
            if (!arb_is_positive(r)) continue;   /* degenerate column: left as is */
            arb_rsqrt(r, r, prec);
            mid(r);
            for (slong k = 0; k < n; k++) {
                arb_mul(arb_mat_entry(V, k, j), arb_mat_entry(V, k, j), r, prec);
                mid(arb_mat_entry(V, k, j));
            }
        }
    arb_clear(r);
}

typedef struct {
    arf_t lo, hi;
    slong i;
} interval_t;

static int cmp_lo(const void *a, const void *b)
{
    return arf_cmp(((const interval_t *)a)->lo, ((const interval_t *)b)->lo);
}

/* Step 2 and 3 of the header at precision prec with the exact-entry Q: 1 when Q was
 * proven invertible (E filled), 0 otherwise. */
static int bound(lmo_eig_enclose_t E, const arb_mat_t A, const arb_mat_t Q, slong prec)
{
    slong n = arb_mat_nrows(A);
    arb_mat_t AQ, B;
    arb_mat_init(AQ, n, n);
    arb_mat_init(B, n, n);
    arb_mat_mul(AQ, A, Q, prec);
    int ok = arb_mat_solve(B, Q, AQ, prec);
    if (ok) {
        interval_t *iv = flint_malloc(sizeof(interval_t) * (size_t) n);
        arb_t g;
        mag_t R, t;
        arb_init(g);
        mag_init(R), mag_init(t);
        for (slong i = 0; i < n; i++) {
            mag_zero(R);
            for (slong j = 0; j < n; j++) {
                if (j == i) continue;
                arb_get_mag(t, arb_mat_entry(B, i, j));
                mag_add(R, R, t);
            }
            arb_set(g, arb_mat_entry(B, i, i));
            arb_add_error_mag(g, R);
            arf_init(iv[i].lo), arf_init(iv[i].hi);
            arb_get_lbound_arf(iv[i].lo, g, prec);
            arb_get_ubound_arf(iv[i].hi, g, prec);
            iv[i].i = i;
        }
        qsort(iv, (size_t) n, sizeof(interval_t), cmp_lo);
        E->nneg = E->npos = E->nundecided = 0;
        arf_t hi;
        arf_init(hi);
        for (slong s = 0; s < n;) {
            slong e = s + 1;
            arf_set(hi, iv[s].hi);
            while (e < n && arf_cmp(iv[e].lo, hi) <= 0) {
                if (arf_cmp(iv[e].hi, hi) > 0) arf_set(hi, iv[e].hi);
                e++;
            }
            arb_ptr ball = E->lambda + s;
            if (arf_is_finite(iv[s].lo) && arf_is_finite(hi))
                arb_set_interval_arf(ball, iv[s].lo, hi, prec);
            else
                arb_zero_pm_inf(ball);
            slong k = e - s;
            if (arf_is_finite(hi) && arf_sgn(hi) < 0) E->nneg += k;
            else if (arf_is_finite(iv[s].lo) && arf_sgn(iv[s].lo) > 0) E->npos += k;
            else E->nundecided += k;
            for (slong i = s; i < e; i++) {
                if (i > s) arb_set(E->lambda + i, ball);
                E->multiplicity[i] = k;
            }
            s = e;
        }
        arf_clear(hi);
        for (slong i = 0; i < n; i++) arf_clear(iv[i].lo), arf_clear(iv[i].hi);
        flint_free(iv);
        arb_clear(g);
        mag_clear(R), mag_clear(t);
    }
    arb_mat_clear(AQ);
    arb_mat_clear(B);
    return ok;
}

/* Check Z / den and reset E to "all undecided, unbounded". */
static int start(lmo_eig_enclose_t E, const fmpz_mat_t Z, const fmpz_t den, lmo_err_t *err)
{
    slong n = fmpz_mat_nrows(Z);
    if (fmpz_mat_ncols(Z) != n || fmpz_sgn(den) <= 0)
        return lmo_err_set(err, LMO_EINPUT, "eigenvalue enclosure: not a square matrix over a "
                           "positive denominator");
    for (slong i = 0; i < n; i++)
        for (slong j = 0; j < i; j++)
            if (!fmpz_equal(fmpz_mat_entry(Z, i, j), fmpz_mat_entry(Z, j, i)))
                return lmo_err_set(err, LMO_EINPUT, "eigenvalue enclosure: the matrix is not "
                                   "symmetric (entries %ld,%ld)", (long) i, (long) j);
    lmo_eig_enclose_clear(E);
    E->n = n;
    E->lambda = _arb_vec_init(n);
    E->multiplicity = flint_calloc((size_t) (n > 0 ? n : 1), sizeof(slong));
    for (slong i = 0; i < n; i++) arb_zero_pm_inf(E->lambda + i), E->multiplicity[i] = n;
    E->nundecided = n;
    E->ok = n == 0;
    return LMO_OK;
}

/* A = Z / den as balls at precision prec. */
static void set_balls(arb_mat_t A, const fmpz_mat_t Z, const fmpz_t den, slong prec)
{
    for (slong i = 0; i < fmpz_mat_nrows(Z); i++)
        for (slong j = 0; j < fmpz_mat_ncols(Z); j++) {
            arb_set_fmpz(arb_mat_entry(A, i, j), fmpz_mat_entry(Z, i, j));
            arb_div_fmpz(arb_mat_entry(A, i, j), arb_mat_entry(A, i, j), den, prec);
        }
}

int lmo_eig_enclose_with(lmo_eig_enclose_t E, const fmpz_mat_t Z, const fmpz_t den,
                         const arb_mat_t Q, slong prec, lmo_err_t *err)
{
    int rc = start(E, Z, den, err);
    slong n = E->n;
    if (rc || n == 0) return rc;
    if (arb_mat_nrows(Q) != n || arb_mat_ncols(Q) != n)
        return lmo_err_set(err, LMO_EINPUT, "eigenvalue enclosure: Q is not %ld x %ld", (long) n, (long) n);
    arb_mat_t A;
    arb_mat_init(A, n, n);
    set_balls(A, Z, den, prec);
    E->ok = bound(E, A, Q, prec);
    E->prec = prec;
    arb_mat_clear(A);
    return LMO_OK;
}

int lmo_eig_enclose_fmpz(lmo_eig_enclose_t E, const fmpz_mat_t Z, const fmpz_t den,
                         slong prec_start, slong prec_cap, slong enough, lmo_err_t *err)
{
    int rc = start(E, Z, den, err);
    slong n = E->n;
    if (rc || n == 0) return rc;
    if (prec_start < 32) prec_start = 32;
    if (prec_cap < prec_start) prec_cap = prec_start;

    arb_mat_t A, V, S, VT, T;
    arb_mat_init(A, n, n), arb_mat_init(V, n, n), arb_mat_init(S, n, n);
    arb_mat_init(VT, n, n), arb_mat_init(T, n, n);
    arb_mat_one(V);
    for (slong prec = prec_start;; prec *= 2) {
        set_balls(A, Z, den, prec);   /* A at this precision (balls around Z / den) */
        /* locate: S = V^T A V on midpoints, Jacobi from there */
        orthonormalise(V, prec);
        arb_mat_transpose(VT, V);
        arb_mat_mul(T, A, V, prec);
        arb_mat_mul(S, VT, T, prec);
        for (slong i = 0; i < n; i++)
            for (slong j = 0; j < n; j++) mid(arb_mat_entry(S, i, j));
        for (slong i = 0; i < n; i++)   /* exactly symmetric */
            for (slong j = 0; j < i; j++) arb_set(arb_mat_entry(S, i, j), arb_mat_entry(S, j, i));
        jacobi(S, V, prec);
        /* bound */
        if (bound(E, A, V, prec)) E->ok = 1, E->prec = prec;   /* E keeps the last success */
        else if (!E->ok) E->prec = prec;
        if ((E->ok && E->nundecided <= enough) || 2 * prec > prec_cap) break;
    }
    arb_mat_clear(A), arb_mat_clear(V), arb_mat_clear(S), arb_mat_clear(VT), arb_mat_clear(T);
    return LMO_OK;
}

int lmo_eig_enclose(lmo_eig_enclose_t E, const fmpq_mat_t A, slong prec_start,
                    slong prec_cap, lmo_err_t *err)
{
    fmpz_mat_t Z;
    fmpz_t den;
    fmpz_mat_init(Z, fmpq_mat_nrows(A), fmpq_mat_ncols(A));
    fmpz_init(den);
    fmpq_mat_get_fmpz_mat_matwise(Z, den, A);
    int rc = lmo_eig_enclose_fmpz(E, Z, den, prec_start, prec_cap, 0, err);
    fmpz_mat_clear(Z);
    fmpz_clear(den);
    return rc;
}

int lmo_eig_enclose_agrees(const lmo_eig_enclose_t E, slong npos, slong nneg, slong nzero)
{
    return E->nneg <= nneg && E->npos <= npos && npos + nneg + nzero == E->n;
}

void lmo_arb_get_mid_rad_str(char **mid_out, char **rad_out, const arb_t x, slong digits,
                             slong max_digits)
{
    /* enough digits that rounding mid does not swamp rad: about the ball's relative
     * accuracy in decimal, plus two (at most 60) */
    slong acc = arb_rel_accuracy_bits(x);   /* ARF_PREC_EXACT (WORD_MAX) for an exact ball */
    if (acc > 0) {
        slong need = acc > 10 * max_digits ? max_digits : (acc * 3) / 10 + 2;
        if (need > digits) digits = need;
    }
    if (digits > max_digits) digits = max_digits;
    char *s = arb_get_str(x, digits, 0);
    const char *sep = strstr(s, "+/-");
    if (s[0] != '[' || !sep) {   /* printed exactly */
        *mid_out = s;
        *rad_out = flint_malloc(2);
        strcpy(*rad_out, "0");
        return;
    }
    /* "[mid +/- rad]" or "[+/- rad]" */
    const char *m0 = s + 1;
    size_t ml = (size_t) (sep - m0);
    while (ml > 0 && m0[ml - 1] == ' ') ml--;
    *mid_out = flint_malloc(ml + 2);
    if (ml == 0) strcpy(*mid_out, "0");
    else memcpy(*mid_out, m0, ml), (*mid_out)[ml] = '\0';
    const char *r0 = sep + 3;
    while (*r0 == ' ') r0++;
    size_t rl = strlen(r0);
    if (rl > 0 && r0[rl - 1] == ']') rl--;
    *rad_out = flint_malloc(rl + 1);
    memcpy(*rad_out, r0, rl), (*rad_out)[rl] = '\0';
    flint_free(s);
}

json_t *lmo_arb_to_json(const arb_t x, slong digits)
{
    char *m, *r;
    if (!arb_is_finite(x)) return json_pack("{s:s, s:n}", "mid", "0", "rad");
    lmo_arb_get_mid_rad_str(&m, &r, x, digits, 60);
    json_t *j = json_pack("{s:s, s:s}", "mid", m, "rad", r);
    flint_free(m), flint_free(r);
    return j;
}

json_t *lmo_eig_enclose_to_json(const lmo_eig_enclose_t E, slong digits)
{
    json_t *a = json_array();
    for (slong i = 0; i < E->n; i++) json_array_append_new(a, lmo_arb_to_json(E->lambda + i, digits));
    return a;
}
