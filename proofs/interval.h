/* interval.h -- closed intervals [lo, hi] of MPFR numbers, rounded outward (interval.c), for
 * claim "nguyen_hein": the checker's own enclosure of sigma (Nguyen-Hein 2017, Lemma 3.3).
 * Every operation returns an interval containing every exact result for operands in the
 * operand intervals; MPFR rounds each endpoint correctly in the direction asked for. */
#ifndef LMOC_INTERVAL_H
#define LMOC_INTERVAL_H

#include <gmp.h>
#include <mpfr.h>

/* The caps of the precision P a certificate may ask for (bits). */
#define LMOC_IV_MIN_PREC 2
#define LMOC_IV_MAX_PREC 4096

typedef struct { mpfr_t lo, hi; } lmoc_iv_t;

/* Lemma 3.3's activations: sigma_1 = 1/(1 + e^-t), sigma_2 = tanh, sigma_3 = (1/alpha)
   log(1 + e^(alpha t)). */
enum { LMOC_SIGMOID = 0, LMOC_TANH = 1, LMOC_SOFTPLUS = 2 };

void lmoc_iv_init(lmoc_iv_t *x, long prec);          /* [0, 0] */
void lmoc_iv_clear(lmoc_iv_t *x);
void lmoc_iv_set(lmoc_iv_t *y, const lmoc_iv_t *x);  /* same precision: exact */
void lmoc_iv_set_q(lmoc_iv_t *x, const mpq_t q);     /* the tightest [lo, hi] around q */
void lmoc_iv_add(lmoc_iv_t *z, const lmoc_iv_t *x, const lmoc_iv_t *y);
void lmoc_iv_addmul(lmoc_iv_t *z, const lmoc_iv_t *x, const lmoc_iv_t *y);    /* z += x y */
/* y = sigma(t) for activation ACT; ALPHA (softplus only) encloses alpha > 0. y != t. */
void lmoc_iv_sigma(lmoc_iv_t *y, const lmoc_iv_t *t, int act, const lmoc_iv_t *alpha);
/* m >= |v| for every v in [D - hi, D - lo] (x negated, plus the integer D), rounded up. */
void lmoc_iv_absdiff_up(mpfr_t m, long d, const lmoc_iv_t *x);

#endif
