/* expect.c -- the members of a vector's `expect`: each is verified against what the
 * checker proved, or refused by name. Nothing a vector claims is skipped: a member the
 * kind's table does not know is "expect.<member>: not verifiable" (exit 1). */
#include <stdio.h>
#include "lmoc.h"

int lmoc_expect(lmoc_ctx_t *c, const lmoc_json_t *expect, const lmoc_member_t *tab, void *state)
{
    char name[200];
    if (c->rc || !expect) return c->rc;
    if (expect->type != LMOC_J_OBJ)
        return lmoc_fail(c, LMOC_EINPUT, LMOC_V, "field expect: expected an object");
    for (size_t i = 0; i < expect->n && !c->rc; i++) {
        const lmoc_member_t *m = tab;
        while (m->key && strcmp(m->key, expect->kid[i].key))
            m++;
        snprintf(name, sizeof name, "expect.%.180s", expect->kid[i].key);
        if (!m->key)
            lmoc_fail(c, LMOC_REJECT, LMOC_V, "%s: not verifiable (no certified rule for this "
                      "member)", name);
        else
            m->check(c, &expect->kid[i], name, state);
    }
    return c->rc;
}

int lmoc_claim_bool(lmoc_ctx_t *c, const lmoc_json_t *val, const char *name, int truth)
{
    if (c->rc) return c->rc;
    if (!lmoc_is_bool(val))
        return lmoc_fail(c, LMOC_EINPUT, LMOC_V, "field %s: expected true or false", name);
    if ((val->type == LMOC_J_TRUE) != !!truth)
        return lmoc_fail(c, LMOC_REJECT, LMOC_V, "%s is %s, but the checker proves %s", name,
                         truth ? "false" : "true", truth ? "true" : "false");
    return 0;
}

int lmoc_claim_int(lmoc_ctx_t *c, const lmoc_json_t *val, const char *name, long truth)
{
    long v;
    if (lmoc_int(&v, c, LMOC_V, val, -(1L << 62), 1L << 62, LMOC_EINPUT, name)) return c->rc;
    if (v != truth)
        return lmoc_fail(c, LMOC_REJECT, LMOC_V, "%s is %ld, but the checker proves %ld", name, v,
                         truth);
    return 0;
}

int lmoc_need_part(lmoc_ctx_t *c, int have, const char *name, const char *part)
{
    if (!have && !c->rc)
        lmoc_fail(c, LMOC_REJECT, LMOC_V, "%s: not verifiable without the certificate part %s",
                  name, part);
    return c->rc;
}

int lmoc_claim_part_int(lmoc_ctx_t *c, const lmoc_json_t *val, const char *name, long truth,
                        const char *part)
{
    return lmoc_need_part(c, truth >= 0, name, part) ? c->rc : lmoc_claim_int(c, val, name, truth);
}

int lmoc_claim_num(lmoc_ctx_t *c, const lmoc_json_t *val, const char *name, const mpq_t truth)
{
    mpq_t x;
    mpq_init(x);
    if (!lmoc_number(x, c, LMOC_V, val, name) && !mpq_equal(x, truth))
        lmoc_fail(c, LMOC_REJECT, LMOC_V, "%s is not the value the checker computes", name);
    mpq_clear(x);
    return c->rc;
}

int lmoc_claim_nums(lmoc_ctx_t *c, const lmoc_json_t *val, const char *name,
                    const lmoc_mat_t *truth)
{
    lmoc_mat_t v;
    long n = truth->rows * truth->cols;
    if (!lmoc_vector(&v, c, LMOC_V, val, n, name))
        for (long i = 0; i < n && !c->rc; i++)
            if (!mpq_equal(v.e[i], truth->e[i]))
                lmoc_fail(c, LMOC_REJECT, LMOC_V, "%s[%ld] is not the value the checker computes",
                          name, i);
    lmoc_mat_clear(&v);
    return c->rc;
}

int lmoc_claim_matrix(lmoc_ctx_t *c, const lmoc_json_t *val, const char *name,
                      const lmoc_mat_t *truth)
{
    lmoc_mat_t M;
    if (!lmoc_matrix(&M, c, LMOC_V, val, truth->rows, truth->cols, name) &&
        !lmoc_mat_eq(&M, truth))
        lmoc_fail(c, LMOC_REJECT, LMOC_V, "%s is not the matrix the checker computes", name);
    lmoc_mat_clear(&M);
    return c->rc;
}
