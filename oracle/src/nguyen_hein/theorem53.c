/* Nguyen & Hein (2017) Theorem 5.3 on one instance (lmo/nguyen_hein/nguyen_hein.h, the
 * statement quoted there): separability of the rows of F_k (part 1) and of X (part 2) by
 * lmo/nguyen_hein/separable.h, the rank hypotheses, and criticality as far as balls decide. */
#include <stdio.h>
#include <string.h>
#include "lmo/nguyen_hein/nguyen_hein.h"

static const char *sep_word(int status)
{
    return status == LMO_NH_SEP_SEPARABLE ? "separable" : status == LMO_NH_SEP_NOT ?
           "not separable" : "undecided";
}

/* one part: rows named `rows`, rank hypotheses on W_l for l in [from, L] */
static void part(lmo_theorem_t *t, const char *st, const lmo_nh_result_struct *r,
                 const lmo_nh_input_struct *in, const lmo_nh_sep_struct *S, const char *rows,
                 slong from, int phi_zero, slong phi_prec)
{
    slong bad = 0;
    for (slong l = from; l <= in->L && !bad; l++) if (r->W_rank[l - 1] != in->n[l]) bad = l;
    if (in->loss != LMO_NH_LOSS_SQUARED_HINGE)
        lmo_theorem_set(t, st, LMO_OUTCOME_NOT_APPLICABLE, "Assumptions 5.2.2-3 fail: Phi is (1) "
                        "with l(a) = a^2, which vanishes only at 0, not (4) with l_1, l_2 (input.loss "
                        "\"squared_hinge\")");
    else if (bad)
        lmo_theorem_set(t, st, LMO_OUTCOME_NOT_APPLICABLE, "rank W_%ld = %ld < n_%ld = %ld", (long)bad,
                        (long)r->W_rank[bad - 1], (long)bad, (long)in->n[bad]);
    else if (S->status == LMO_NH_SEP_NOT)
        lmo_theorem_set(t, st, LMO_OUTCOME_NOT_APPLICABLE, "the rows of %s are not linearly "
                        "separable (Definition 5.1): %s", rows, S->why);
    else if (r->crit.nonzero)
        lmo_theorem_set(t, st, LMO_OUTCOME_NOT_APPLICABLE, "not a critical point: %s excludes 0 "
                        "(Lemma 2.1 in balls, %ld bits)", r->crit.where, (long)r->crit.prec);
    else if (S->status == LMO_NH_SEP_SEPARABLE && phi_zero)
        lmo_theorem_set(t, st, LMO_OUTCOME_HOLDS, "the rows of %s are linearly separable (%s), the "
                        "rank hypotheses hold, and Phi (4) = 0 exactly at %ld bits: every l_1, l_2 "
                        "term and its derivative vanish, so the point is critical and a global "
                        "minimum", rows, S->why, (long)phi_prec);
    else
        lmo_theorem_set(t, st, LMO_OUTCOME_UNDECIDED, "the rows of %s: %s; the rank hypotheses "
                        "hold; every gradient ball contains 0 at %ld bits and Phi is not proven 0: "
                        "balls cannot certify a critical point", rows, sep_word(S->status),
                        (long)r->crit.prec);
}

void lmo_nh_theorem53(lmo_nh_result_t r, const lmo_nh_input_t in, slong max_prec)
{
    slong N = in->N, m = in->m, k = in->k, n1 = in->n[1];
    r->cls_of = flint_malloc(sizeof(int) * (size_t)(N * m + 1));
    for (slong i = 0; i < N; i++)
        for (slong j = 0; j < m; j++)
            r->cls_of[i * m + j] = fmpq_sgn(fmpq_mat_entry(in->Y, i, j)) > 0;
    /* part 2: the training inputs, exactly */
    lmo_nh_separable_fmpq(r->sepX, in->X, r->cls_of, m);
    /* part 1: F_k in balls; equal rows of G_1 are equal rows of F_k (structure) */
    fmpq_mat_t G;
    fmpq_mat_init(G, N, n1);
    fmpq_mat_mul(G, in->X, in->W);
    for (slong i = 0; i < N; i++)
        for (slong j = 0; j < n1; j++)
            fmpq_add(fmpq_mat_entry(G, i, j), fmpq_mat_entry(G, i, j), fmpq_mat_entry(in->b, 0, j));
    slong *dup = flint_malloc(sizeof(slong) * (size_t)(N + 1));
    for (slong i = 0; i < N; i++) {
        dup[i] = i;
        for (slong i2 = 0; i2 < i && dup[i] == i; i2++) {
            int eq = 1;
            for (slong j = 0; j < n1 && eq; j++)
                eq = fmpq_equal(fmpq_mat_entry(G, i, j), fmpq_mat_entry(G, i2, j));
            if (eq) dup[i] = dup[i2];
        }
    }
    fmpq_mat_clear(G);
    arb_mat_t F;
    arb_mat_init(F, N, in->n[k]);
    for (slong prec = max_prec < 128 ? max_prec : 128;; prec = 2 * prec < max_prec ? 2 * prec : max_prec) {
        lmo_nh_forward(F, in, k, prec);
        lmo_nh_sep_clear(r->sepF);
        lmo_nh_sep_init(r->sepF);
        lmo_nh_separable_arb(r->sepF, F, dup, r->cls_of, m, prec);
        /* only a margin whose ball holds 0 can gain from precision */
        if (r->sepF->status != LMO_NH_SEP_UNDECIDED || !strstr(r->sepF->why, "ball contains 0") ||
            prec >= max_prec)
            break;
    }
    arb_mat_clear(F);
    flint_free(dup);
    /* Phi = 0 exactly (each term's min/max with 0 is exactly 0) */
    arb_t phi;
    arb_init(phi);
    slong pp = max_prec < 128 ? max_prec : 128;
    lmo_nh_loss(phi, in, pp);
    int phi_zero = arb_is_zero(phi);
    arb_clear(phi);
    const char *s1 = "Nguyen–Hein 2017 Theorem 5.3.1", *s2 = "Nguyen–Hein 2017 Theorem 5.3.2";
    char rows[32];
    snprintf(rows, sizeof rows, "F_%ld", (long)k);
    if (k > in->L - 1)
        lmo_theorem_set(&r->theorem53_1, s1, LMO_OUTCOME_NOT_APPLICABLE, "k = %ld: the proof uses "
                        "grad_{W_{k+1}} Phi, so k must be in [L - 1] = [1, %ld]", (long)k,
                        (long)(in->L - 1));
    else
        part(&r->theorem53_1, s1, r, in, r->sepF, rows, k + 2, phi_zero, pp);
    part(&r->theorem53_2, s2, r, in, r->sepX, "X", 2, phi_zero, pp);
}
