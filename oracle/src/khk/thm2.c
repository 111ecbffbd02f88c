/* Theorem 2, Corollaries 1 and 2 of Kawaguchi-Huang-Kaelbling 2019 (Section 5) at a
 * differentiable critical point: the local-minimum certificate, Definition 2's search and both
 * sides of (5.1) / (5.2) for every subsequence S. Statements and choices: lmo/khk/thm2.h. */
#include <string.h>
#include <flint/fmpq_vec.h>
#include "lmo/khk/khk.h"
#include "lmo/khk/thm2.h"
#include "lmo/core/vector_io.h"

static const char THM2[] = "Kawaguchi–Huang–Kaelbling 2019 Theorem 2";
static const char COR1[] = "Kawaguchi–Huang–Kaelbling 2019 Corollary 1";
static const char COR2[] = "Kawaguchi–Huang–Kaelbling 2019 Corollary 2";

void lmo_khk_thm2_init(lmo_khk_thm2_t T)
{
    memset(T, 0, sizeof *T);
    fmpq_init(T->loss_pattern), fmpq_init(T->loss);
    T->t_strong = -1;
}

void lmo_khk_thm2_clear(lmo_khk_thm2_t T)
{
    for (slong s = 0; s < T->nS; s++) {
        lmo_khk_bound_struct *b = T->S + s;
        fmpq_clear(b->basis), fmpq_clear(b->improvement), fmpq_clear(b->bound);
        fmpq_clear(b->improvement_cor1), fmpq_clear(b->bound_cor1);
    }
    flint_free(T->S), flint_free(T->strong);
    fmpq_clear(T->loss_pattern), fmpq_clear(T->loss);
    memset(T, 0, sizeof *T);
}

/* *out := 1/2 ||A||_F^2 (accumulated locally: GCC 12 misjudges the size of heap structs). */
static void half_norm2(fmpq_t out, const fmpq_mat_t A)
{
    fmpq_t s;
    fmpq_init(s);
    for (slong i = 0; i < fmpq_mat_nrows(A); i++)
        for (slong j = 0; j < fmpq_mat_ncols(A); j++)
            fmpq_addmul(s, fmpq_mat_entry(A, i, j), fmpq_mat_entry(A, i, j));
    fmpq_div_2exp(s, s, 1);
    fmpq_swap(out, s);
    fmpq_clear(s);
}

int lmo_khk_pattern_matrix(fmpq_mat_t M, const fmpq_mat_struct *Lam, slong H, const slong *d,
                           const fmpq_mat_t X)
{
    slong m = fmpq_mat_nrows(X), dx = d[0], cap = LMO_KHK_THM2_MASKS, n = 1;
    fmpq *mask = _fmpq_vec_init(cap * m), *next = _fmpq_vec_init(cap * m), *tmp;
    for (slong i = 0; i < m; i++) fmpq_one(mask + i);
    int rc = 0;
    for (slong l = 1; l <= H && rc == 0; l++) {
        slong nn = 0;
        for (slong a = 0; a < n && rc == 0; a++)
            for (slong k = 0; k < d[l] && rc == 0; k++) {
                fmpq *v = next + nn * m;
                int zero = 1, dup = 0;
                for (slong i = 0; i < m; i++) {
                    fmpq_mul(v + i, mask + a * m + i, fmpq_mat_entry(Lam + l - 1, i, k));
                    zero &= fmpq_is_zero(v + i);
                }
                for (slong b = 0; b < nn && !dup && !zero; b++) {
                    dup = 1;
                    for (slong i = 0; i < m && dup; i++) dup = fmpq_equal(next + b * m + i, v + i);
                }
                if (zero || dup) continue;
                if (++nn == cap) rc = -1;
            }
        tmp = mask, mask = next, next = tmp, n = nn;
    }
    fmpq_mat_init(M, m, rc ? 0 : n * dx);
    for (slong a = 0; a < n && rc == 0; a++)
        for (slong i = 0; i < m; i++)
            for (slong j = 0; j < dx; j++)
                fmpq_mul(fmpq_mat_entry(M, i, a * dx + j), mask + a * m + i, fmpq_mat_entry(X, i, j));
    _fmpq_vec_clear(mask, cap * m), _fmpq_vec_clear(next, cap * m);
    return rc ? -1 : (int) n;
}

/* L_pattern and rank M (lmo/khk/thm2.h); 0, or -1 over the mask cap. */
static int pattern_minimum(lmo_khk_thm2_t T, const lmo_khk_result_struct *r, const lmo_khk_struct *net)
{
    fmpq_mat_t M, PY;
    int n = lmo_khk_pattern_matrix(M, r->Lam, r->H, r->d, net->X);
    if (n >= 0) {
        fmpq_mat_init(PY, r->m, r->dy);
        T->pattern_rank = lmo_khk_null_project(PY, M, net->Y);
        T->npatterns = n;
        half_norm2(T->loss_pattern, PY);
        fmpq_mat_clear(PY);
    }
    fmpq_mat_clear(M);
    return n < 0 ? -1 : 0;
}

/* ---- Definition 2: the least t with a strong family (exhaustive, top-down) ---- */

typedef struct {
    const lmo_khk_result_struct *r;
    const lmo_khk_struct *net;
    slong t, nodes, *cand, *S;   /* cand[l]: bitmask of the largest weak S(l) */
} strong_ctx;

static int in_set(slong S, slong k) { return (int) ((S >> k) & 1); }

/* (iii) and Definition 2's condition at layer l (t+1 <= l <= H-1) for S[l], S[l+1]. */
static int strong_ok(const strong_ctx *c, slong l)
{
    const lmo_khk_result_struct *r = c->r;
    const fmpq_mat_struct *W = c->net->W + l;         /* W(l+1) */
    slong dl = r->d[l], dn = r->d[l + 1];
    for (slong kp = 0; kp < dl; kp++)
        for (slong k = 0; k < dn; k++)
            if (in_set(c->S[l], kp) && !in_set(c->S[l + 1], k) && !fmpq_is_zero(fmpq_mat_entry(W, kp, k)))
                return 0;
    int ok = 1;
    fmpq_t z;
    fmpq_init(z);
    for (slong k = 0; k < dn && ok; k++) {
        if (!in_set(c->S[l + 1], k)) continue;
        for (slong i = 0; i < r->m && ok; i++) {   /* sum over k' outside S(l) vanishes */
            fmpq_zero(z);
            for (slong kp = 0; kp < dl; kp++)
                if (!in_set(c->S[l], kp)) fmpq_addmul(z, fmpq_mat_entry(r->Phi + l, i, kp), fmpq_mat_entry(W, kp, k));
            ok = fmpq_is_zero(z);
        }
    }
    fmpq_clear(z);
    return ok;
}

/* 1 found, 0 none, -1 over the node cap; chooses S[l] for l = L down to t+1. */
static int strong_dfs(strong_ctx *c, slong L)
{
    if (L == c->t) return 1;
    slong C = c->cand[L];
    for (slong s = C;; s = (s - 1) & C) {
        if (++c->nodes > LMO_KHK_THM2_NODES) return -1;
        if (__builtin_popcountl((unsigned long) s) >= c->r->dy) {
            c->S[L] = s;
            if (L == c->r->H || strong_ok(c, L)) {
                int f = strong_dfs(c, L - 1);
                if (f) return f;
            }
        }
        if (s == 0) break;
    }
    return 0;
}

static void strong_search(lmo_khk_thm2_t T, const lmo_khk_result_struct *r, const lmo_khk_struct *net)
{
    slong H = r->H;
    strong_ctx c = {r, net, 0, 0, flint_calloc((size_t) H + 2, sizeof(slong)),
                    flint_calloc((size_t) H + 2, sizeof(slong))};
    int wide = 0;
    for (slong l = 1, off = 0; l <= H; off += r->d[l], l++) {
        wide |= r->d[l] > 62;
        for (slong k = 0; k < r->d[l] && k < 62; k++)
            if (r->def1[off + k]) c.cand[l] |= (slong) 1 << k;
    }
    T->t_strong = -1;
    for (slong t = 0; t <= H && !wide; t++) {
        c.t = t;
        int f = t == H ? 1 : strong_dfs(&c, H);   /* t = H: S(H+1) alone, always */
        if (f < 0) break;
        if (f == 1) {
            T->t_strong = t;
            T->strong = flint_calloc((size_t) H + 2, sizeof(slong));
            for (slong l = t + 1; l <= H; l++) T->strong[l] = c.S[l];
            break;
        }
    }
    flint_free(c.cand), flint_free(c.S);
}

/* ---- both sides of (5.1) and (5.2) for one S ---- */

/* Rows j m .. j m + m - 1 of A null-projected against P (in place, block by block). */
static void null_blockwise(fmpq_mat_t A, const fmpq_mat_t P, slong m, slong dy)
{
    slong c = fmpq_mat_ncols(A);
    if (fmpq_mat_ncols(P) == 0 || c == 0) return;
    fmpq_mat_t V, NV;
    fmpq_mat_init(V, m, c), fmpq_mat_init(NV, m, c);
    for (slong j = 0; j < dy; j++) {
        for (slong i = 0; i < m; i++)
            for (slong a = 0; a < c; a++) fmpq_set(fmpq_mat_entry(V, i, a), fmpq_mat_entry(A, j * m + i, a));
        lmo_khk_null_project(NV, P, V);
        for (slong i = 0; i < m; i++)
            for (slong a = 0; a < c; a++) fmpq_set(fmpq_mat_entry(A, j * m + i, a), fmpq_mat_entry(NV, i, a));
    }
    fmpq_mat_clear(V), fmpq_mat_clear(NV);
}

/* 1/2 sum of the Gram-Schmidt terms of BLOCKS against y into *half; 0, or -1 when Lemma 3's
 * sum differs from the direct projection (or an internal error). */
static int improvement(fmpq_t half, const fmpq_mat_struct *blocks, slong nb, const fmpq_mat_t y)
{
    fmpq *terms = _fmpq_vec_init(nb);
    fmpq_t total, sum;
    fmpq_init(total), fmpq_init(sum);
    int rc = lmo_khk_decompose(terms, NULL, total, blocks, nb, y);
    for (slong b = 0; b < nb; b++) fmpq_add(sum, sum, terms + b);
    if (!fmpq_equal(sum, total)) rc = -1;
    fmpq_div_2exp(sum, sum, 1);
    fmpq_swap(half, sum);
    fmpq_clear(total), fmpq_clear(sum);
    _fmpq_vec_clear(terms, nb);
    return rc;
}

static int one_bound(lmo_khk_bound_struct *b, const lmo_khk_thm2_t T, const lmo_khk_result_struct *r,
                     const lmo_khk_struct *net, const fmpq_mat_struct *blocks, const fmpq_mat_t y)
{
    slong m = r->m, H = r->H, cols = 0, nb = r->nblocks - 1;
    for (slong l = 0; l <= H; l++) cols += (b->S >> l & 1) ? r->d[l] : 0;
    fmpq_mat_t P, NY;                    /* Phi^(S) */
    fmpq_mat_init(P, m, cols);
    for (slong l = 0, c = 0; l <= H; l++) {
        if (!(b->S >> l & 1)) continue;
        for (slong i = 0; i < m; i++)
            for (slong a = 0; a < r->d[l]; a++) fmpq_set(fmpq_mat_entry(P, i, c + a), fmpq_mat_entry(r->Phi + l, i, a));
        c += r->d[l];
    }
    fmpq_mat_init(NY, m, r->dy);
    lmo_khk_null_project(NY, P, net->Y);
    fmpq_t basis, imp, imp1, t;
    fmpq_init(basis), fmpq_init(imp), fmpq_init(imp1), fmpq_init(t);
    half_norm2(basis, NY);
    /* P_N[Phibar^(S)] D_k(l), and the same with Dhat (Corollary 1: I of the largest family) */
    fmpq_mat_struct *A = flint_malloc(sizeof(fmpq_mat_struct) * (size_t) (2 * nb + 1));
    for (slong q = 0, l = 1, k = 0, off = 0, offp = 0; q < nb; q++) {
        fmpq_mat_init_set(A + q, blocks + q);
        null_blockwise(A + q, P, m, r->dy);
        /* Dhat: for l >= t+2 and k outside S(l), keep the columns j outside S(l-1) */
        int cut = l >= T->t_weak + 2 && !r->def1[off + k];
        slong keep = 0;
        for (slong a = 0; a < r->d[l - 1]; a++) keep += !(cut && r->def1[offp + a]);
        fmpq_mat_init(A + nb + q, r->n, keep);
        for (slong a = 0, c = 0; a < r->d[l - 1]; a++) {
            if (cut && r->def1[offp + a]) continue;
            for (slong i = 0; i < r->n; i++) fmpq_set(fmpq_mat_entry(A + nb + q, i, c), fmpq_mat_entry(A + q, i, a));
            c++;
        }
        if (++k == r->d[l]) k = 0, offp = off, off += r->d[l], l++;
    }
    int rc = improvement(imp, A, nb, y);
    rc |= improvement(imp1, A + nb, nb, y);
    fmpq_sub(t, basis, imp);
    fmpq_swap(b->bound, t);
    fmpq_sub(t, basis, imp1);
    fmpq_swap(b->bound_cor1, t);
    fmpq_swap(b->basis, basis), fmpq_swap(b->improvement, imp), fmpq_swap(b->improvement_cor1, imp1);
    fmpq_clear(basis), fmpq_clear(imp), fmpq_clear(imp1), fmpq_clear(t);
    for (slong q = 0; q < 2 * nb; q++) fmpq_mat_clear(A + q);
    flint_free(A);
    fmpq_mat_clear(P), fmpq_mat_clear(NY);
    return rc;
}

/* ---- outcomes ---- */

/* x exactly when its digits fit in 40 characters, else "~D" (17 significant digits, the
 * double nearest x, marked as an approximation): a reason is one short line, and a cut
 * fraction would be a different number. flint_free the result. */
static char *q_short(const fmpq_t x)
{
    char *s = lmo_q_get_str(x);
    if (strlen(s) <= 40) return s;
    flint_free(s);
    s = flint_malloc(40);
    snprintf(s, 40, "~%.17g", fmpq_get_d(x));
    return s;
}

static void layers_str(char *s, size_t cap, ulong S, slong H)
{
    size_t n = (size_t) snprintf(s, cap, "(");
    for (slong l = 0, first = 1; l <= H && n < cap; l++)
        if (S >> l & 1) n += (size_t) snprintf(s + n, cap - n, "%s%ld", first ? "" : ",", (long) l), first = 0;
    if (n < cap) snprintf(s + n, cap - n, ")");
}

/* S is among Corollary 2's: a subset of {t', H} for some t' >= t_strong. */
static int cor2_S(ulong S, slong ts, slong H)
{
    ulong low = S & ~((ulong) 1 << H);
    if (low == 0) return 1;
    if (low & (low - 1)) return 0;
    slong t = __builtin_ctzl(low);
    return t >= ts;
}

static const fmpq *bound_of(const lmo_khk_thm2_struct *T, slong s, int which)
{
    return which == LMO_KHK_T2_COR1 ? T->S[s].bound_cor1 : T->S[s].bound;
}

/* One statement's outcome from its bounds (cor: 0 Theorem 2, 1 Corollary 1, 2 Corollary 2). */
static void outcome(lmo_khk_thm2_t T, const lmo_khk_result_struct *r, int which, const char *name)
{
    lmo_theorem_t *t = T->thm + which;
    char *L = q_short(T->loss), *P = q_short(T->loss_pattern);
    slong checked = 0, bad = -1, tight = -1;
    for (slong s = 0; s < T->nS; s++) {
        if (which == LMO_KHK_T2_COR2 && !cor2_S(T->S[s].S, T->t_strong, r->H)) continue;
        checked++;
        if (bad < 0 && fmpq_cmp(T->loss, bound_of(T, s, which)) > 0) bad = s;
        if (tight < 0 || fmpq_cmp(bound_of(T, s, which), bound_of(T, tight, which)) < 0) tight = s;
    }
    const char *hyp = which == LMO_KHK_T2_COR2 ? "Theta^strong" : "Theta";
    slong tt = which == LMO_KHK_T2_COR2 ? T->t_strong : T->t_weak;
    char Sb[128];
    if (!r->differentiable)
        lmo_theorem_set(t, name, LMO_OUTCOME_NOT_APPLICABLE, "not differentiable: unit %ld of hidden "
                        "layer %ld has pre-activation 0 at sample %ld", (long) r->kink_unit,
                        (long) r->kink_layer, (long) r->kink_sample);
    else if (!r->critical)
        lmo_theorem_set(t, name, LMO_OUTCOME_NOT_APPLICABLE, "not a critical point, so not a local minimum");
    else if (T->lm < 0)
        lmo_theorem_set(t, name, LMO_OUTCOME_NOT_APPLICABLE, "local minimality not certified: more than %d "
                        "path masks", LMO_KHK_THM2_MASKS);
    else if (T->lm == 0) {
        if (bad >= 0) layers_str(Sb, sizeof Sb, T->S[bad].S, r->H);
        lmo_theorem_set(t, name, LMO_OUTCOME_NOT_APPLICABLE, "critical, but local minimality not certified: "
                        "L = %s > %s, the least loss of the activation pattern's region (it may still be "
                        "a local minimum); the bound %s%s", L, P, bad >= 0 ? "fails here for S = " :
                        "holds here for every S", bad >= 0 ? Sb : "");
    }
    else if (which == LMO_KHK_T2_COR2 && T->t_strong < 0)
        lmo_theorem_set(t, name, LMO_OUTCOME_UNDECIDED, "certified local minimum, but Definition 2 not "
                        "decided: the search exceeded %d nodes", LMO_KHK_THM2_NODES);
    else if (T->nS == 0)
        lmo_theorem_set(t, name, LMO_OUTCOME_UNDECIDED, "certified local minimum, but {t..H} has more than "
                        "%d layers: the 2^%d subsequences were not checked", LMO_KHK_THM2_LAYERS,
                        LMO_KHK_THM2_LAYERS);
    else if (bad >= 0) {
        const lmo_khk_bound_struct *b = T->S + bad;
        char *B = q_short(bound_of(T, b - T->S, which));
        layers_str(Sb, sizeof Sb, b->S, r->H);
        lmo_theorem_set(t, name, LMO_OUTCOME_VIOLATED, "certified local minimum in %s_(%ld,%ld), S = %s: "
                        "L = %s > bound %s", hyp, (long) r->dy, (long) tt, Sb, L, B);
        flint_free(B);
    } else {
        const lmo_khk_bound_struct *b = T->S + tight;
        char *B = q_short(bound_of(T, b - T->S, which));
        layers_str(Sb, sizeof Sb, b->S, r->H);
        lmo_theorem_set(t, name, LMO_OUTCOME_HOLDS, "certified local minimum (L = least loss of its pattern "
                        "region) in %s_(%ld,%ld): L = %s <= the bound for all %ld S; tightest S = %s, "
                        "bound %s", hyp, (long) r->dy, (long) tt, L, (long) checked, Sb, B);
        flint_free(B);
    }
    flint_free(L), flint_free(P);
}

/* L < L_pattern (not inlined: GCC 12 misjudges the size of T there). */
static __attribute__((noinline)) int loss_below_pattern(const lmo_khk_thm2_struct *T)
{
    return fmpq_cmp(T->loss, T->loss_pattern) < 0;
}

int lmo_khk_thm2(lmo_khk_thm2_t T, const void *result, const void *network,
                 const fmpq_mat_struct *blocks, const lmo_limits_t *lim, lmo_err_t *err)
{
    const lmo_khk_result_struct *r = result;
    const lmo_khk_struct *net = network;
    slong H = r->H;
    T->H = H;
    fmpz_set(fmpq_numref(T->loss), fmpq_numref(r->loss));   /* a copy: GCC 12 misjudges r's size */
    fmpz_set(fmpq_denref(T->loss), fmpq_denref(r->loss));
    T->t_weak = H;
    while (T->t_weak > 0 && r->n_max[T->t_weak - 1] >= r->dy) T->t_weak--;
    int capped = lim && (slong) r->n * r->n > lim->max_entries;
    if (r->differentiable && r->critical && capped) {
        for (int i = 0; i < LMO_KHK_T2_N; i++)   /* Theorem 1 is still checked: no error */
            lmo_theorem_set(T->thm + i, i == 0 ? THM2 : i == 1 ? COR1 : COR2, LMO_OUTCOME_UNDECIDED,
                            "a critical point, but Section 5 was not examined: projections of %ld x %ld are "
                            "over the entry cap (--max-entries)", (long) r->n, (long) r->n);
        (void) err;
        return LMO_OK;
    }
    if (r->differentiable && r->critical) {
        T->done = 1;
        T->lm = pattern_minimum(T, r, net) ? -1 : fmpq_equal(T->loss, T->loss_pattern);
        if (T->lm == 0 && loss_below_pattern(T)) T->violation = 1;   /* impossible */
        strong_search(T, r, net);
        slong k = H - T->t_weak + 1;
        if (k <= LMO_KHK_THM2_LAYERS) {
            fmpq_mat_t y;
            lmo_khk_vec(y, net->Y);
            T->nS = (slong) 1 << k;
            T->S = flint_malloc(sizeof(lmo_khk_bound_struct) * (size_t) T->nS);
            T->lemma3_ok = 1;
            for (slong s = 0; s < T->nS; s++) {
                lmo_khk_bound_struct *b = T->S + s;
                fmpq_init(b->basis), fmpq_init(b->improvement), fmpq_init(b->bound);
                fmpq_init(b->improvement_cor1), fmpq_init(b->bound_cor1);
                b->S = (ulong) s << T->t_weak;
                if (one_bound(b, T, r, net, blocks, y)) T->lemma3_ok = 0;
            }
            fmpq_mat_clear(y);
        }
    }
    outcome(T, r, LMO_KHK_T2_THM2, THM2);
    outcome(T, r, LMO_KHK_T2_COR1, COR1);
    outcome(T, r, LMO_KHK_T2_COR2, COR2);
    if (T->violation)
        lmo_theorem_set(T->thm + LMO_KHK_T2_THM2, THM2, LMO_OUTCOME_VIOLATED, "L is below the least loss of its "
                        "activation pattern's region: the local-minimum certificate is wrong");
    if (T->done && T->nS && !T->lemma3_ok) {
        T->violation = 1;
        lmo_theorem_set(T->thm + LMO_KHK_T2_THM2, THM2, LMO_OUTCOME_VIOLATED, "Lemma 3 with S: the "
                        "Gram-Schmidt sum differs from the direct projection for some S");
    }
    for (int i = 0; i < LMO_KHK_T2_N; i++) T->violation |= T->thm[i].outcome == LMO_OUTCOME_VIOLATED;
    return LMO_OK;
}

json_t *lmo_khk_thm2_to_json(const lmo_khk_thm2_t T)
{
    if (!T->done) return json_null();
    json_t *bounds = json_array(), *sets = json_null();
    for (slong s = 0; s < T->nS; s++) {
        const lmo_khk_bound_struct *b = T->S + s;
        json_t *S = json_array();
        for (slong l = 0; l <= T->H; l++)
            if (b->S >> l & 1) json_array_append_new(S, json_integer(l));
        json_array_append_new(bounds, json_pack("{s:o, s:o, s:o, s:o, s:o}", "S", S, "basis",
                                                lmo_json_from_q(b->basis), "improvement",
                                                lmo_json_from_q(b->improvement), "bound", lmo_json_from_q(b->bound),
                                                "bound_cor1", lmo_json_from_q(b->bound_cor1)));
    }
    if (T->strong) {
        sets = json_array();
        for (slong l = T->t_strong + 1; l <= T->H; l++) {
            json_t *a = json_array();
            for (slong k = 0; k < 62; k++)
                if (T->strong[l] >> k & 1) json_array_append_new(a, json_integer(k + 1));
            json_array_append_new(sets, a);
        }
    }
    return json_pack("{s:o, s:o, s:I, s:I, s:I, s:o, s:o, s:o}", "local_minimum",
                     T->lm < 0 ? json_null() : json_boolean(T->lm), "loss_pattern",
                     T->lm < 0 ? json_null() : lmo_json_from_q(T->loss_pattern), "pattern_masks",
                     (json_int_t) T->npatterns, "pattern_rank", (json_int_t) T->pattern_rank, "t_weak",
                     (json_int_t) T->t_weak, "t_strong", T->t_strong < 0 ? json_null() : json_integer(T->t_strong),
                     "strong_sets", sets, "bounds", bounds);
}
