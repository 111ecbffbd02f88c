/* Nguyen & Hein (2017) Theorem 3.8 and Corollary 3.9 on one instance (statements quoted in
 * lmo/nguyen_hein/nguyen_hein.h): non-degeneracy on a block I containing k + 1 by a ball
 * LDL^T of the block Hessian, the rank condition, criticality as far as balls decide. */
#include <stdio.h>
#include <string.h>
#include "lmo/nguyen_hein/nguyen_hein.h"

#define MAX_UPPER 6 /* at most 2^6 blocks I */

static void layers_str(char *out, size_t cap, const int *blk, slong L)
{
    size_t u = (size_t)snprintf(out, cap, "{");
    for (slong l = 1; l <= L && u < cap; l++)
        if (blk[l]) u += (size_t)snprintf(out + u, cap - u, "%s%ld", u > 1 ? ", " : "", (long)l);
    if (u < cap) snprintf(out + u, cap - u, "}");
}

/* the hypotheses shared by both statements; 1 and t set when one fails */
static int common_fail(lmo_theorem_t *t, const char *st, const lmo_nh_result_struct *r,
                       const lmo_nh_input_struct *in)
{
    slong k = in->k, bad = 0;
    for (slong l = k + 2; l <= in->L && !bad; l++) if (r->W_rank[l - 1] != in->n[l]) bad = l;
    if (in->loss != LMO_NH_LOSS_SQUARED)
        lmo_theorem_set(t, st, LMO_OUTCOME_NOT_APPLICABLE, "Assumption 3.2.3 fails: the squared "
                        "hinge l_1, l_2 of (4) are C^1, not C^2");
    else if (!r->X_distinct_rows)
        lmo_theorem_set(t, st, LMO_OUTCOME_NOT_APPLICABLE, "Assumption 3.2.1 fails: X has identical "
                        "rows");
    else if (k > in->L - 1)
        lmo_theorem_set(t, st, LMO_OUTCOME_NOT_APPLICABLE, "k = %ld is not in [L - 1]", (long)k);
    else if (in->n[k] < in->N - 1)
        lmo_theorem_set(t, st, LMO_OUTCOME_NOT_APPLICABLE, "n_k = n_%ld = %ld < N - 1 = %ld", (long)k,
                        (long)in->n[k], (long)(in->N - 1));
    else if (bad)
        lmo_theorem_set(t, st, LMO_OUTCOME_NOT_APPLICABLE, "condition 2 fails: rank W_%ld = %ld < "
                        "n_%ld = %ld", (long)bad, (long)r->W_rank[bad - 1], (long)bad,
                        (long)in->n[bad]);
    else if (r->crit.nonzero)
        lmo_theorem_set(t, st, LMO_OUTCOME_NOT_APPLICABLE, "not a critical point: %s excludes 0 "
                        "(Lemma 2.1 in balls, %ld bits)", r->crit.where, (long)r->crit.prec);
    else
        return 0;
    return 1;
}

void lmo_nh_theorem38(lmo_nh_result_t r, const lmo_nh_input_t in, slong max_prec)
{
    slong L = in->L, k = in->k;
    const char *s38 = "Nguyen–Hein 2017 Theorem 3.8", *s39 = "Nguyen–Hein 2017 Corollary 3.9";
    int *blk = flint_calloc((size_t)L + 2, sizeof(int));
    r->block.status = r->full.status = -1;
    int f38 = common_fail(&r->theorem38, s38, r, in), f39 = common_fail(&r->corollary39, s39, r, in);
    arb_t phi;
    arb_init(phi);
    lmo_nh_loss(phi, in, max_prec < 128 ? max_prec : 128);
    int phi_zero = arb_is_zero(phi);
    arb_clear(phi);
    if (!f38) {
        /* the blocks I = {k+1} u S, S subset {k+2, ..., L}, by increasing size */
        slong upper = L - k - 1, nmask = upper <= MAX_UPPER ? (slong)1 << upper : 1;
        int singular = 0, tried = 0;
        for (slong want = 0; want <= upper && r->block.status != 1; want++)
            for (slong mask = 0; mask < nmask && r->block.status != 1; mask++) {
                if (__builtin_popcountl((unsigned long)mask) != want) continue;
                for (slong l = 1; l <= L; l++) blk[l] = l == k + 1 || (l > k + 1 && (mask >> (l - k - 2)) & 1);
                lmo_nh_nondeg_t nd;
                lmo_nh_nondegenerate(&nd, in, blk, max_prec);
                tried++;
                singular += nd.status == 0;
                if (nd.status == 1 || tried == 1) {
                    r->block = nd;
                    layers_str(r->block_layers, sizeof r->block_layers, blk, L);
                }
            }
        if (r->block.status == 1 && phi_zero)
            lmo_theorem_set(&r->theorem38, s38, LMO_OUTCOME_HOLDS, "non-degenerate on I = %s (%ld "
                            "parameters; %s), condition 2 holds, and Phi = 0 exactly: a critical "
                            "point and a global minimum", r->block_layers, (long)r->block.size,
                            r->block.how);
        else if (r->block.status == 1)
            lmo_theorem_set(&r->theorem38, s38, LMO_OUTCOME_UNDECIDED, "condition 1 holds: "
                            "non-degenerate on I = %s (%ld parameters; %s); condition 2 holds; every "
                            "gradient ball contains 0 at %ld bits: balls cannot certify a critical "
                            "point", r->block_layers, (long)r->block.size, r->block.how,
                            (long)r->crit.prec);
        else if (singular == tried)
            lmo_theorem_set(&r->theorem38, s38, LMO_OUTCOME_NOT_APPLICABLE, "condition 1 fails: the "
                            "block Hessian is singular on each of the %d blocks I containing %ld "
                            "(on %s: %s)", tried, (long)(k + 1), r->block_layers, r->block.how);
        else
            lmo_theorem_set(&r->theorem38, s38, LMO_OUTCOME_UNDECIDED, "condition 1 undecided on "
                            "the %d blocks I containing %ld (on %s: %s)", tried, (long)(k + 1),
                            r->block_layers, r->block.how);
    }
    if (!f39) {
        for (slong l = 1; l <= L; l++) blk[l] = 1;
        lmo_nh_nondegenerate(&r->full, in, blk, max_prec);
        const lmo_nh_nondeg_t *F = &r->full;
        if (F->status == 1 && F->inertia && F->neg > 0)
            lmo_theorem_set(&r->corollary39, s39, LMO_OUTCOME_NOT_APPLICABLE, "not a local minimum: "
                            "the Hessian has %ld negative pivots (%s)", (long)F->neg, F->how);
        else if (F->status == 0)
            lmo_theorem_set(&r->corollary39, s39, LMO_OUTCOME_NOT_APPLICABLE, "the Hessian is "
                            "singular (%s): not a non-degenerate critical point", F->how);
        else if (F->status == 1 && F->inertia && phi_zero)
            lmo_theorem_set(&r->corollary39, s39, LMO_OUTCOME_HOLDS, "the Hessian is positive "
                            "definite (%s), the rank condition holds, and Phi = 0 exactly: a "
                            "non-degenerate local and global minimum", F->how);
        else if (F->status == 1 && F->inertia)
            lmo_theorem_set(&r->corollary39, s39, LMO_OUTCOME_UNDECIDED, "the Hessian is positive "
                            "definite (%s) and the rank condition holds; every gradient ball "
                            "contains 0 at %ld bits: balls cannot certify a critical point", F->how,
                            (long)r->crit.prec);
        else
            lmo_theorem_set(&r->corollary39, s39, LMO_OUTCOME_UNDECIDED, "the Hessian's "
                            "definiteness is undecided (%ld parameters: %s)", (long)F->size, F->how);
    }
    flint_free(blk);
}
