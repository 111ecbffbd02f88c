/* What every kind file uses (cli/kinds/kind.h), and the table of kinds. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "kind.h"

/* Adding a kind: its file in this folder, its line in kind.h and one line in this table. */
static const lmo_kind_t *const KINDS[] = {
    &lmo_kind_matrix_rank, &lmo_kind_khatri_rao_rank, &lmo_kind_mnn, &lmo_kind_mnn_patterns,
    &lmo_kind_deep_linear, &lmo_kind_witness,
    &lmo_kind_nguyen_hein,
    NULL};

const lmo_kind_t *lmo_kind_find(const char *kind)
{
    for (int i = 0; KINDS[i]; i++)
        if (strcmp(KINDS[i]->kind, kind) == 0) return KINDS[i];
    return NULL;
}

void lmo_kind_move_members(json_t *expect, json_t *report, const char *const *paths)
{
    for (; *paths; paths++) {
        const char *dot = strchr(*paths, '.');
        if (dot == NULL) {
            json_t *m = json_object_get(expect, *paths);
            if (m) json_object_set(report, *paths, m), json_object_del(expect, *paths);
            continue;
        }
        char head[64];
        snprintf(head, sizeof head, "%.*s", (int)(dot - *paths), *paths);
        json_t *from = json_object_get(expect, head), *m = json_object_get(from, dot + 1);
        if (m == NULL) continue;
        json_t *to = json_object_get(report, head);
        if (to == NULL) json_object_set_new(report, head, to = json_object());
        json_object_set(to, dot + 1, m);
        json_object_del(from, dot + 1);
    }
}

json_t *lmo_kind_fast_entry(json_t *out, const char *policy, json_t *decision, json_t *detail)
{
    json_t *dis = json_array();
    if (detail) json_object_set_new(decision, "detail", detail);
    json_object_set_new(decision, "disagreements", dis);
    json_object_set_new(out, policy, decision);
    return dis;
}

void lmo_kind_fast_overflow(json_t *out, const lmo_fast_policy_t *pols, int npol)
{
    for (int p = 0; p < npol; p++) {
        json_t *dis = lmo_kind_fast_entry(out, pols[p].name,
                                          json_pack("{s:s}", "why", "an input overflows double"), NULL);
        json_array_append_new(dis, json_string("an input overflows double precision"));
    }
}

void lmo_kind_flag_disagreement(json_t *flags, const json_t *verdict, const json_t *fast,
                                const char *const *keys)
{
    const char *key;
    json_t *val;
    int dis = 0;
    json_object_foreach((json_t *)fast, key, val) {
        for (int k = 0; keys[k]; k++) {
            json_t *a = json_object_get(verdict, keys[k]), *b = json_object_get(val, keys[k]);
            if (json_is_object(a) && json_object_get(a, "rank")) a = json_object_get(a, "rank");
            if (!a || !b || !json_equal(a, b)) dis = 1;
        }
    }
    if (dis) json_array_append_new(flags, json_string("FloatDisagrees"));
}

void lmo_kind_flag_theorems(json_t *flags, const json_t *verdict)
{
    const json_t *theorems = json_object_get(verdict, "theorems");
    int violated = 0, exceptional = 0;
    for (size_t i = 0; i < json_array_size(theorems); i++) {
        const char *o = json_string_value(json_object_get(json_array_get(theorems, i), "outcome"));
        violated |= o && !strcmp(o, "violated");
        exceptional |= o && !strcmp(o, "exceptional");
    }
    if (violated) json_array_append_new(flags, json_string("TheoremViolated"));
    if (exceptional) json_array_append_new(flags, json_string("Exceptional"));
}

static const char *threshold_formula(const lmo_fast_policy_t *p)
{
    switch (p->kind) {
    case LMO_FAST_NUMPY: return "sigma_max*max(m,n)*eps";
    case LMO_FAST_QRCP: return "|R_11|*max(m,n)*eps";
    case LMO_FAST_ABS: return "absolute T";
    default: return "R*sigma_max";
    }
}

void lmo_kind_explain_rank(char *out, size_t cap, const char *what, const lmo_fast_rank_t *fr,
                           slong r, const lmo_fast_policy_t *p)
{
    const char *val = p->kind == LMO_FAST_QRCP ? "|R_kk|" : "sigma_k";
    long k = fr->rank < r ? fr->rank : (long)r; /* the first value counted wrongly */
    double s = k < fr->nsv ? fr->sv[k] : 0;
    if (fr->rank < r)
        snprintf(out, cap, "%s: %s with k=%ld is %.3e <= threshold %.3e (%s), %.3g times below it; "
                 "exactly, the rank is %ld, so %ld more value%s non-zero", what, val, k + 1, s,
                 fr->threshold, threshold_formula(p), s > 0 ? fr->threshold / s : INFINITY, (long)r,
                 (long)(r - fr->rank), r - fr->rank > 1 ? "s are" : " is");
    else
        snprintf(out, cap, "%s: %s with k=%ld is %.3e > threshold %.3e (%s), %.3g times above it; "
                 "exactly, the rank is %ld, so that value is rounding noise on an exact zero", what,
                 val, k + 1, s, fr->threshold, threshold_formula(p),
                 fr->threshold > 0 ? s / fr->threshold : INFINITY, (long)r);
}
