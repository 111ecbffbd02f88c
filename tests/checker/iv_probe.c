/* iv_probe.c -- prints lmo-check's interval enclosure of sigma (proofs/interval.c) for the
 * cross-check in nh_tests.py (part sigma), which compares it with mpmath at 300 digits.
 *   iv_probe PREC ACT ALPHA T...   ACT: 0 sigmoid, 1 tanh, 2 softplus; ALPHA, T: "p/q"
 * One line per T: "lo_m lo_e hi_m hi_e", the endpoints m 2^e exactly ("inf 0", "-inf 0"). */
#include <stdio.h>
#include <stdlib.h>
#include "interval.h"

static void put(const mpfr_t x)
{
    mpz_t m;
    if (mpfr_inf_p(x)) { printf("%sinf 0", mpfr_sgn(x) < 0 ? "-" : ""); return; }
    mpz_init(m);
    long e = mpfr_zero_p(x) ? 0 : (long)mpfr_get_z_2exp(m, x);
    mpz_out_str(stdout, 10, m);
    printf(" %ld", e);
    mpz_clear(m);
}

int main(int argc, char **argv)
{
    mpq_t q;
    lmoc_iv_t t, y, al;
    long prec = argc > 3 ? atol(argv[1]) : 0;
    if (prec < LMOC_IV_MIN_PREC || prec > LMOC_IV_MAX_PREC) return fputs("usage\n", stderr), 2;
    mpq_init(q);
    lmoc_iv_init(&t, prec), lmoc_iv_init(&y, prec), lmoc_iv_init(&al, prec);
    if (mpq_set_str(q, argv[3], 10)) return 2;
    mpq_canonicalize(q), lmoc_iv_set_q(&al, q);
    for (int i = 4; i < argc; i++) {
        if (mpq_set_str(q, argv[i], 10)) return 2;
        mpq_canonicalize(q), lmoc_iv_set_q(&t, q);
        lmoc_iv_sigma(&y, &t, atoi(argv[2]), &al);
        put(y.lo), putchar(' '), put(y.hi), putchar('\n');
    }
    lmoc_iv_clear(&t), lmoc_iv_clear(&y), lmoc_iv_clear(&al), mpq_clear(q);
    return 0;
}
