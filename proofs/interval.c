/* interval.c -- outward-rounded interval arithmetic on MPFR (interval.h). MPFR rounds every
 * operation used here (add, mul, exp, log1p, tanh, ui_div, div, set_q) correctly in the
 * direction requested, so rounding lo down (MPFR_RNDD) and hi up (MPFR_RNDU) keeps the exact
 * value inside. Overflow gives +-inf on the outer side (and the largest finite number on the
 * inner one), underflow +0 or the least positive number: both stay outward. The one
 * indeterminate case, 0 * inf or inf - inf (a NaN), widens the interval to [-inf, +inf]
 * instead of letting mpfr_min/max drop the NaN. */
#include "interval.h"

static void whole_if_nan(lmoc_iv_t *z)
{
    if (mpfr_nan_p(z->lo) || mpfr_nan_p(z->hi))
        mpfr_set_inf(z->lo, -1), mpfr_set_inf(z->hi, 1);
}

void lmoc_iv_init(lmoc_iv_t *x, long prec)
{
    mpfr_init2(x->lo, (mpfr_prec_t)prec), mpfr_init2(x->hi, (mpfr_prec_t)prec);
    mpfr_set_zero(x->lo, 1), mpfr_set_zero(x->hi, 1);
}

void lmoc_iv_clear(lmoc_iv_t *x)
{
    mpfr_clear(x->lo), mpfr_clear(x->hi);
}

void lmoc_iv_set(lmoc_iv_t *y, const lmoc_iv_t *x)
{
    mpfr_set(y->lo, x->lo, MPFR_RNDD), mpfr_set(y->hi, x->hi, MPFR_RNDU);
}

void lmoc_iv_set_q(lmoc_iv_t *x, const mpq_t q)
{
    mpfr_set_q(x->lo, q, MPFR_RNDD), mpfr_set_q(x->hi, q, MPFR_RNDU);
}

void lmoc_iv_add(lmoc_iv_t *z, const lmoc_iv_t *x, const lmoc_iv_t *y)
{
    mpfr_add(z->lo, x->lo, y->lo, MPFR_RNDD), mpfr_add(z->hi, x->hi, y->hi, MPFR_RNDU);
    whole_if_nan(z);
}

/* x y lies between the least and the greatest of the four endpoint products */
void lmoc_iv_addmul(lmoc_iv_t *z, const lmoc_iv_t *x, const lmoc_iv_t *y)
{
    mpfr_t p, lo, hi;
    mpfr_srcptr a[2] = {x->lo, x->hi}, b[2] = {y->lo, y->hi};
    int nan = 0;
    mpfr_inits2(mpfr_get_prec(z->lo), p, lo, hi, (mpfr_ptr)0);
    mpfr_set_inf(lo, 1), mpfr_set_inf(hi, -1);
    for (int i = 0; i < 4; i++) {
        mpfr_mul(p, a[i / 2], b[i % 2], MPFR_RNDD);
        nan |= mpfr_nan_p(p);
        mpfr_min(lo, lo, p, MPFR_RNDD);
        mpfr_mul(p, a[i / 2], b[i % 2], MPFR_RNDU);
        mpfr_max(hi, hi, p, MPFR_RNDU);
    }
    if (nan) mpfr_set_inf(lo, -1), mpfr_set_inf(hi, 1);
    mpfr_add(z->lo, z->lo, lo, MPFR_RNDD), mpfr_add(z->hi, z->hi, hi, MPFR_RNDU);
    whole_if_nan(z);
    mpfr_clears(p, lo, hi, (mpfr_ptr)0);
}

/* Each sigma is increasing, so sigma([a, b]) lies in [sigma(a) rounded down, sigma(b) rounded
   up]; each bound is a chain of monotone steps, each rounded the way that keeps it outward. */
void lmoc_iv_sigma(lmoc_iv_t *y, const lmoc_iv_t *t, int act, const lmoc_iv_t *alpha)
{
    mpfr_t u;
    lmoc_iv_t at;
    mpfr_init2(u, mpfr_get_prec(y->lo));
    if (act == LMOC_TANH) {
        mpfr_tanh(y->lo, t->lo, MPFR_RNDD), mpfr_tanh(y->hi, t->hi, MPFR_RNDU);
    } else if (act == LMOC_SIGMOID) { /* 1/(1 + e^-a) is small when e^-a is large */
        mpfr_neg(u, t->lo, MPFR_RNDU), mpfr_exp(u, u, MPFR_RNDU);
        mpfr_add_ui(u, u, 1, MPFR_RNDU), mpfr_ui_div(y->lo, 1, u, MPFR_RNDD);
        mpfr_neg(u, t->hi, MPFR_RNDD), mpfr_exp(u, u, MPFR_RNDD);
        mpfr_add_ui(u, u, 1, MPFR_RNDD), mpfr_ui_div(y->hi, 1, u, MPFR_RNDU);
    } else { /* alpha t in [p, q]; log1p(e^p) >= 0 over the largest alpha, and conversely */
        lmoc_iv_init(&at, mpfr_get_prec(y->lo));
        lmoc_iv_addmul(&at, alpha, t);
        mpfr_exp(u, at.lo, MPFR_RNDD), mpfr_log1p(u, u, MPFR_RNDD);
        mpfr_div(y->lo, u, alpha->hi, MPFR_RNDD);
        mpfr_exp(u, at.hi, MPFR_RNDU), mpfr_log1p(u, u, MPFR_RNDU);
        mpfr_div(y->hi, u, alpha->lo, MPFR_RNDU);
        lmoc_iv_clear(&at);
    }
    whole_if_nan(y);
    mpfr_clear(u);
}

void lmoc_iv_absdiff_up(mpfr_t m, long d, const lmoc_iv_t *x)
{
    mpfr_t v;
    mpfr_init2(v, mpfr_get_prec(m));
    mpfr_si_sub(m, d, x->lo, MPFR_RNDU), mpfr_abs(m, m, MPFR_RNDU); /* d - lo: the top */
    mpfr_si_sub(v, d, x->hi, MPFR_RNDD);                            /* d - hi: the bottom */
    if (mpfr_sgn(v) < 0) mpfr_neg(v, v, MPFR_RNDU), mpfr_max(m, m, v, MPFR_RNDU);
    if (mpfr_nan_p(m) || mpfr_nan_p(v)) mpfr_set_inf(m, 1);
    mpfr_clear(v);
}
