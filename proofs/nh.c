/* nh.c -- Nguyen & Hein 2017, "The loss surface of deep and wide neural networks": claim
 * "nguyen_hein" (vectors/schema/lmo-cert-1.md, "Wide layers"). Rows are samples (Section 2):
 *     "F_1 = sigma(X W_1 + 1_N b_1^T),  F_k = sigma(F_{k-1} W_k + 1_N b_k^T), k in [2, L]"
 * with Lemma 3.3's sigma (sigmoid, tanh, softplus (1/alpha) log(1 + e^(alpha t))).
 * rank [F_k, 1_N] = r is proven by
 *   rank >= r: an r x r minor M of E = [F_k, 1_N] and a rational R with every row sum of
 *     |I - R M| below 1, in outward-rounded MPFR intervals (interval.c) from the exact input:
 *     then det M != 0 (Coq: det_ne0_of_near_inverse);
 *   rank <= r: the checker's own structural bound u <= r (identical rows of G_1 = X W_1 +
 *     1_N b_1^T, identical and constant units layer by layer, tanh's oddness with zero biases).
 * rank [X, 1_N], rank W_l and the other members of expect are rational: Gauss-Jordan. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lmoc.h"
#include "interval.h"

typedef struct {
    long N, L, k, act, *n;       /* n[0] = d, n[l] = columns of W_l */
    lmoc_mat_t X, Y, G1, *W, *b; /* W[l-1] = W_l, b[l-1] = b_l (1 x n_l); G1 = X W_1 + 1 b_1^T */
    long nW, nb;                 /* how many were read (for clearing) */
    mpq_t alpha;                 /* softplus; 1 otherwise */
    int distinct;                /* Assumption 3.2.1: the rows of X are distinct */
    long rank_X1, upper, units;  /* units: distinct non-constant units of layer k, plus 1 */
    long rank;                   /* proven rank [F_k, 1_N]; -1 when the certificate has none */
    char why[160];               /* what the structural bound counts */
} nh_t;

static int rows_eq(const lmoc_mat_t *A, long i, long j, int sign)
{
    mpq_t t;
    int eq = 1;
    mpq_init(t);
    for (long c = 0; c < A->cols && eq; c++) {
        mpq_neg(t, LMOC_E(A, j, c));
        eq = mpq_equal(LMOC_E(A, i, c), sign > 0 ? LMOC_E(A, j, c) : t);
    }
    mpq_clear(t);
    return eq;
}

static int cols_eq(const lmoc_mat_t *A, long i, long j)
{
    for (long r = 0; r < A->rows; r++)
        if (!mpq_equal(LMOC_E(A, r, i), LMOC_E(A, r, j))) return 0;
    return 1;
}

/* input: X, Y, activation, alpha, weights, biases, k, loss, construction; the shape checks
   of lmo's reader (lmo_nh_input_set_json): exit 2 naming the field. */
static int nh_read(nh_t *T, lmoc_ctx_t *c, const lmoc_json_t *in)
{
    static const char *const keys[] = {"X", "Y", "activation", "alpha", "weights", "biases", "k",
                                       "loss", "construction", NULL};
    static const char *const ckeys[] = {"statement", "alpha", NULL};
    static const char *const acts[] = {"sigmoid", "tanh", "softplus"};
    const lmoc_json_t *a = lmoc_json_get(in, "activation"), *al = lmoc_json_get(in, "alpha"),
                      *bj = lmoc_json_get(in, "biases"), *lo = lmoc_json_get(in, "loss"),
                      *co = lmoc_json_get(in, "construction"), *kj = lmoc_json_get(in, "k");
    char f[200];
    mpq_t ca;
    if (!in || in->type != LMOC_J_OBJ)
        return lmoc_fail(c, LMOC_EINPUT, LMOC_V, "field input: expected an object");
    lmoc_known(c, LMOC_V, in, "input", keys);
    for (T->act = 0; T->act < 3 && !lmoc_is(a, acts[T->act]); T->act++) {}
    if (!c->rc && T->act == 3)
        lmoc_fail(c, LMOC_EINPUT, LMOC_V, "field input.activation: expected \"sigmoid\", \"tanh\" "
                  "or \"softplus\" (Lemma 3.3)");
    if (!c->rc && (T->act == LMOC_SOFTPLUS) != (al != NULL))
        lmoc_fail(c, LMOC_EINPUT, LMOC_V, "field input.alpha: %s", al ? "only for softplus" :
                  "softplus needs alpha > 0 (Lemma 3.3)");
    if (al && !lmoc_number(T->alpha, c, LMOC_V, al, "input.alpha") && mpq_sgn(T->alpha) <= 0)
        lmoc_fail(c, LMOC_EINPUT, LMOC_V, "field input.alpha: must be > 0 (Lemma 3.3)");
    if (!c->rc && lo && !lmoc_is(lo, "squared") && !lmoc_is(lo, "squared_hinge"))
        lmoc_fail(c, LMOC_EINPUT, LMOC_V, "field input.loss: expected \"squared\" or "
                  "\"squared_hinge\"");
    if (!c->rc && co) { /* not a claim (Lemma 4.3's outcome is in report), but well formed */
        const lmoc_json_t *st = lmoc_json_get(co, "statement");
        lmoc_known(c, LMOC_V, co, "input.construction", ckeys);
        mpq_init(ca);
        if (!c->rc && (!st || st->type != LMOC_J_STR || !strstr(st->s, "Lemma 4.3")))
            lmoc_fail(c, LMOC_EINPUT, LMOC_V, "field input.construction.statement: expected "
                      "\"Nguyen–Hein 2017 Lemma 4.3\"");
        if (!lmoc_number(ca, c, LMOC_V, lmoc_json_get(co, "alpha"), "input.construction.alpha")
            && mpq_sgn(ca) <= 0)
            lmoc_fail(c, LMOC_EINPUT, LMOC_V, "field input.construction.alpha: must be > 0");
        mpq_clear(ca);
    }
    lmoc_matrix(&T->X, c, LMOC_V, lmoc_json_get(in, "X"), -1, -1, "input.X");
    lmoc_matrix(&T->Y, c, LMOC_V, lmoc_json_get(in, "Y"), -1, -1, "input.Y");
    T->nW = -1;
    lmoc_matrices(&T->W, &T->nW, c, LMOC_V, lmoc_json_get(in, "weights"), "input.weights");
    T->N = T->X.rows, T->L = T->nW;
    if (!c->rc && (T->N < 1 || T->X.cols < 1))
        lmoc_fail(c, LMOC_EINPUT, LMOC_V, "field input.X: needs N >= 1 rows and d >= 1 columns");
    if (!c->rc && (T->Y.rows != T->N || T->Y.cols < 1))
        lmoc_fail(c, LMOC_EINPUT, LMOC_V, "field input.Y: needs N = %ld rows, m >= 1 columns",
                  T->N);
    if (!c->rc && T->L < 1)
        lmoc_fail(c, LMOC_EINPUT, LMOC_V, "field input.weights: must be a non-empty array");
    if (!c->rc && (!bj || bj->type != LMOC_J_ARR || (long)bj->n != T->L))
        lmoc_fail(c, LMOC_EINPUT, LMOC_V, "field input.biases: expected an array of %ld vectors",
                  T->L);
    if (!c->rc && (T->b = lmoc_alloc(c, LMOC_V, (size_t)T->L, sizeof *T->b, "input.biases")))
        T->nb = T->L, T->n = lmoc_alloc(c, LMOC_V, (size_t)T->L + 1, sizeof *T->n, "widths");
    for (long l = 0; T->n && l < T->L && !c->rc; l++) {
        T->n[0] = T->X.cols, T->n[l + 1] = T->W[l].cols;
        snprintf(f, sizeof f, "input.biases[%ld]", l);
        lmoc_vector(&T->b[l], c, LMOC_V, &bj->kid[l], -1, f);
        if (!c->rc && (T->W[l].rows != T->n[l] || T->W[l].cols < 1 || T->b[l].cols != T->n[l + 1]))
            lmoc_fail(c, LMOC_EINPUT, LMOC_V, "field input.weights[%ld] or %s: W_%ld must be "
                      "n_%ld x n_%ld (n_%ld = %ld rows, n_%ld >= 1) and b_%ld have n_%ld entries", l,
                      f, l + 1, l, l + 1, l, T->n[l], l + 1, l + 1, l + 1);
    }
    if (!c->rc && T->n[T->L] != T->Y.cols)
        lmoc_fail(c, LMOC_EINPUT, LMOC_V, "field input.weights[%ld]: n_L = %ld outputs, input.Y "
                  "has m = %ld columns", T->L - 1, T->n[T->L], T->Y.cols);
    if (kj) {
        lmoc_int(&T->k, c, LMOC_V, kj, 1, T->L, LMOC_EINPUT, "input.k");
    } else if (!c->rc) { /* lmo's default: the first hidden n_k >= N - 1, else the widest */
        T->k = 1;
        for (long l = 1; l < T->L; l++) if (T->n[l] > T->n[T->k]) T->k = l;
        for (long l = T->L - 1; l >= 1; l--) if (T->n[l] >= T->N - 1) T->k = l;
    }
    if (c->rc || lmoc_mul(&T->G1, c, &T->X, 0, &T->W[0], 0)) return c->rc;
    for (long e = 0; e < T->N * T->n[1]; e++)
        mpq_add(T->G1.e[e], T->G1.e[e], T->b[0].e[e % T->n[1]]);
    return c->rc;
}

static void nh_clear(nh_t *T)
{
    lmoc_mat_clear(&T->X), lmoc_mat_clear(&T->Y), lmoc_mat_clear(&T->G1);
    lmoc_mats_clear(T->W, T->nW > 0 ? T->nW : 0), lmoc_mats_clear(T->b, T->nb);
    free(T->n), mpq_clear(T->alpha);
}

/* ---- rank <= u: exact structure (nguyen_hein.h's description, written apart) ---- */

/* A row of F_k is a function of its row of G_1: rows equal in G_1 are equal in [F_k, 1_N]. For
   tanh (odd) with b_l = 0 (l in [2, k]) that function is odd: P opposite pairs and a zero row of
   G_1 give rows (f, 1), (-f, 1), (0, 1), inside span{(0, 1), (f_1, 0), ..., (f_P, 0)}. */
static long row_bound(nh_t *T, lmoc_ctx_t *c)
{
    long N = T->N, D = 0, P = 0, z = 0, *rep = lmoc_alloc(c, LMOC_V, (size_t)N, sizeof *rep, "G_1");
    int odd = T->act == LMOC_TANH;
    for (long i = 0; rep && i < N; i++) {
        long j = 0;
        while (j < D && !rows_eq(&T->G1, i, rep[j], 1)) j++;
        if (j == D) rep[D++] = i;
    }
    for (long l = 2; l <= T->k && odd; l++)
        for (long j = 0; j < T->n[l] && odd; j++) odd = !mpq_sgn(T->b[l - 1].e[j]);
    for (long a = 0; rep && odd && a < D; a++) {
        int zero = 1;
        for (long j = 0; j < T->n[1] && zero; j++) zero = !mpq_sgn(LMOC_E(&T->G1, rep[a], j));
        z += zero;
        for (long e = a + 1; e < D && !zero; e++) P += rows_eq(&T->G1, rep[a], rep[e], -1);
    }
    free(rep);
    long m = 2 * P + z, rb = D - m + (m < P + 1 ? m : P + 1);
    snprintf(T->why, sizeof T->why, "%ld distinct rows of G_1 (%ld opposite pairs, %ld zero, tanh "
             "with zero biases: %s)", D, P, z, odd ? "yes" : "no");
    return rb;
}

/* Columns: units of layer l in classes of identical columns of F_l, cls[j] its class; con[q]:
   class q is constant (a multiple of 1_N). Layer 1 from the columns of G_1; layer l from the
   signature (b_l[j], sum over each class q of layer l - 1 of W_l[i][j]), since
   G_l[:, j] = sum_q (sum_{i in q} W_l[i][j]) f_q + b_l[j] 1_N. */
static long unit_bound(nh_t *T, lmoc_ctx_t *c)
{
    long nq = 0, *cls = NULL, nonconst = 0;
    int *con = NULL;
    lmoc_mat_t S = T->G1;  /* layer 1's "signatures" are G_1's columns */
    for (long l = 1; l <= T->k && !c->rc; l++) {
        long nl = T->n[l], *nc = lmoc_alloc(c, LMOC_V, (size_t)nl, sizeof *nc, "unit classes");
        int *ncon = lmoc_alloc(c, LMOC_V, (size_t)nl, sizeof *ncon, "unit classes");
        long nn = 0;
        if (l > 1 && !lmoc_mat_init(&S, c, LMOC_V, nq + 1, nl, "unit signatures"))
            for (long j = 0; j < nl; j++) {
                mpq_set(LMOC_E(&S, nq, j), T->b[l - 1].e[j]);
                for (long i = 0; i < T->n[l - 1]; i++)
                    mpq_add(LMOC_E(&S, cls[i], j), LMOC_E(&S, cls[i], j), LMOC_E(&T->W[l - 1], i, j));
            }
        for (long j = 0; !c->rc && j < nl; j++) {
            long q = 0;
            while (q < j && !cols_eq(&S, q, j)) q++;
            if (q < j) { nc[j] = nc[q]; continue; }
            int k = 1;
            nc[j] = nn++;
            for (long r = 0; l == 1 && r < T->N && k; r++) k = mpq_equal(LMOC_E(&S, r, j), S.e[j]);
            for (long p = 0; l > 1 && p < nq && k; p++) k = con[p] || !mpq_sgn(LMOC_E(&S, p, j));
            ncon[nc[j]] = k;
        }
        if (l > 1) lmoc_mat_clear(&S);
        free(cls), free(con);
        cls = nc, con = ncon, nq = nn;
    }
    for (long q = 0; con && q < nq; q++) nonconst += !con[q];
    free(cls), free(con);
    return nonconst + 1;
}

/* ---- rank >= r: the minor and its near inverse, in intervals at precision P ---- */

static lmoc_iv_t *ivs(lmoc_ctx_t *c, long rows, long cols, long prec, const char *what)
{
    long n;
    lmoc_iv_t *v = NULL;
    if (!lmoc_entries(&n, c, LMOC_V, rows, cols, what) &&
        (v = lmoc_alloc(c, LMOC_V, (size_t)n + 1, sizeof *v, what)))
        for (long i = 0; i < n; i++) lmoc_iv_init(&v[i], prec);
    return v;
}

static void ivs_clear(lmoc_iv_t *v, long n)
{
    for (long i = 0; v && i < n; i++) lmoc_iv_clear(&v[i]);
    free(v);
}

/* F = F_k (N x n_k) enclosed: layer 1 from the exact G_1, then F_l = sigma(F_{l-1} W_l + b_l). */
static lmoc_iv_t *forward(nh_t *T, lmoc_ctx_t *c, long prec)
{
    long N = T->N;
    lmoc_iv_t al, w, *F = ivs(c, N, T->n[1], prec, "F_1"), *Fn;
    lmoc_iv_init(&al, prec), lmoc_iv_init(&w, prec);
    lmoc_iv_set_q(&al, T->alpha);
    for (long e = 0; F && e < N * T->n[1]; e++) {
        lmoc_iv_set_q(&w, T->G1.e[e]);
        lmoc_iv_sigma(&F[e], &w, (int)T->act, &al);
    }
    for (long l = 2; F && l <= T->k; l++) {
        long np = T->n[l - 1], nl = T->n[l];
        if (!(Fn = ivs(c, N, nl, prec, "F_l"))) break;
        for (long j = 0; j < nl; j++)
            for (long i = 0; i < N; i++) {
                lmoc_iv_set_q(&Fn[i * nl + j], T->b[l - 1].e[j]);
                for (long p = 0; p < np; p++) {
                    lmoc_iv_set_q(&w, LMOC_E(&T->W[l - 1], p, j));
                    lmoc_iv_addmul(&Fn[i * nl + j], &F[i * np + p], &w);
                }
                lmoc_iv_set(&w, &Fn[i * nl + j]);
                lmoc_iv_sigma(&Fn[i * nl + j], &w, (int)T->act, &al);
            }
        ivs_clear(F, N * np);
        F = Fn;
    }
    lmoc_iv_clear(&al), lmoc_iv_clear(&w);
    return F;
}

static int check_minor(nh_t *T, lmoc_ctx_t *c, const lmoc_json_t *mi, const char *cn, long r)
{
    static const char *const keys[] = {"precision", "rows", "cols", "inverse", NULL};
    long prec, *ri = NULL, *ci = NULL, nk = T->n[T->k];
    lmoc_mat_t R = LMOC_MAT_NONE;
    lmoc_iv_t *F = NULL, *Ri = NULL, s, x;
    mpfr_t row, t;
    char f[200];
    snprintf(f, sizeof f, "%sminor", cn);
    if (!mi || mi->type != LMOC_J_OBJ)
        return lmoc_fail(c, mi ? LMOC_EINPUT : LMOC_REJECT, LMOC_C, mi ? "field %sminor: expected "
                         "an object" : "no %sminor: rank >= %ld is unproven", cn, r);
    lmoc_known(c, LMOC_C, mi, f, keys);
    snprintf(f, sizeof f, "%sminor.precision", cn);
    if (lmoc_int(&prec, c, LMOC_C, lmoc_json_get(mi, "precision"), LMOC_IV_MIN_PREC, 1L << 62,
                 LMOC_EINPUT, f)) return c->rc;
    if (prec > LMOC_IV_MAX_PREC)
        return lmoc_fail(c, LMOC_ELIMIT, LMOC_C, "field %s: %ld bits exceed the cap of %d", f,
                         prec, LMOC_IV_MAX_PREC);
    lmoc_indices(&ri, c, lmoc_json_get(mi, "rows"), r, T->N, cn, "minor.rows");
    lmoc_indices(&ci, c, lmoc_json_get(mi, "cols"), r, nk + 1, cn, "minor.cols");
    snprintf(f, sizeof f, "%sminor.inverse", cn);
    lmoc_matrix(&R, c, LMOC_C, lmoc_json_get(mi, "inverse"), r, r, f);
    if (!c->rc && (F = forward(T, c, prec)) && (Ri = ivs(c, r, r, prec, "the minor's inverse")))
        for (long e = 0; e < r * r; e++) lmoc_iv_set_q(&Ri[e], R.e[e]);
    mpfr_inits2(prec, row, t, (mpfr_ptr)0);
    lmoc_iv_init(&s, prec), lmoc_iv_init(&x, prec);
    for (long i = 0; Ri && i < r && !c->rc; i++) { /* row i of |I - R M|, summed upwards */
        mpfr_set_zero(row, 1);
        for (long j = 0; j < r; j++) {
            mpfr_set_zero(s.lo, 1), mpfr_set_zero(s.hi, 1);
            for (long p = 0; p < r; p++) { /* M[p][j] = E[ri[p]][ci[j]]; column n_k is 1_N */
                if (ci[j] == nk) mpfr_set_ui(x.lo, 1, MPFR_RNDD), mpfr_set_ui(x.hi, 1, MPFR_RNDU);
                lmoc_iv_addmul(&s, &Ri[i * r + p], ci[j] == nk ? &x : &F[ri[p] * nk + ci[j]]);
            }
            lmoc_iv_absdiff_up(t, i == j, &s);
            mpfr_add(row, row, t, MPFR_RNDU);
        }
        if (!(mpfr_cmp_ui(row, 1) < 0) || mpfr_nan_p(row))
            lmoc_fail(c, LMOC_REJECT, LMOC_C, "%sminor: row %ld of |I - R M| sums to %.6g >= 1 at "
                      "%ld bits: rank >= %ld is unproven (det M != 0 not shown)", cn, i,
                      mpfr_get_d(row, MPFR_RNDU), prec, r);
    }
    mpfr_clears(row, t, (mpfr_ptr)0);
    lmoc_iv_clear(&s), lmoc_iv_clear(&x);
    ivs_clear(F, F ? T->N * nk : 0), ivs_clear(Ri, Ri ? r * r : 0);
    mpfr_free_cache(); /* MPFR's constant caches and pool: nothing outlives the check */
    lmoc_mat_clear(&R), free(ri), free(ci);
    return c->rc;
}

/* ---- the members of expect ---- */

static int m_k(lmoc_ctx_t *c, const lmoc_json_t *v, const char *name, void *st)
{
    return lmoc_claim_int(c, v, name, ((nh_t *)st)->k);
}

static int m_distinct(lmoc_ctx_t *c, const lmoc_json_t *v, const char *name, void *st)
{
    return lmoc_claim_bool(c, v, name, ((nh_t *)st)->distinct);
}

static int m_rank_X1(lmoc_ctx_t *c, const lmoc_json_t *v, const char *name, void *st)
{
    return lmoc_claim_int(c, v, name, ((nh_t *)st)->rank_X1);
}

static int m_rank_Fk1(lmoc_ctx_t *c, const lmoc_json_t *v, const char *name, void *st)
{
    if (v->type == LMOC_J_NULL)
        return lmoc_fail(c, LMOC_REJECT, LMOC_V, "%s: null (undecided) is not a claim; lmo puts "
                         "an undecided rank in report", name);
    if (((nh_t *)st)->rank < 0)
        return lmoc_fail(c, LMOC_REJECT, LMOC_V, "%s: not verifiable (the certificate proves no "
                         "rank)", name);
    return lmoc_claim_int(c, v, name, ((nh_t *)st)->rank);
}

/* [{"layer": l, "rank": rank W_l, "cols": n_l, "full": rank = n_l}] for l in [k+2, L] */
static int m_W_full(lmoc_ctx_t *c, const lmoc_json_t *v, const char *name, void *st)
{
    static const char *const keys[] = {"layer", "rank", "cols", "full", NULL};
    nh_t *T = st;
    long want = T->L - T->k - 1 > 0 ? T->L - T->k - 1 : 0;
    char f[220];
    if (v->type != LMOC_J_ARR)
        return lmoc_fail(c, LMOC_EINPUT, LMOC_V, "field %s: expected an array", name);
    if ((long)v->n != want)
        return lmoc_fail(c, LMOC_REJECT, LMOC_V, "%s has %zu layers, but [k+2, L] = [%ld, %ld] has "
                         "%ld", name, v->n, T->k + 2, T->L, want);
    for (long i = 0; i < want && !c->rc; i++) {
        const lmoc_json_t *o = &v->kid[i];
        long l = T->k + 2 + i, rk;
        snprintf(f, sizeof f, "%s[%ld]", name, i);
        if (o->type != LMOC_J_OBJ)
            return lmoc_fail(c, LMOC_EINPUT, LMOC_V, "field %s: expected an object", f);
        if (lmoc_known(c, LMOC_V, o, f, keys) || (rk = lmoc_rank(c, &T->W[l - 1])) < 0) break;
        const long truth[3] = {l, rk, T->n[l]};
        for (int q = 0; q < 3 && !c->rc; q++) {
            snprintf(f, sizeof f, "%s[%ld].%s", name, i, keys[q]);
            lmoc_claim_int(c, lmoc_json_get(o, keys[q]), f, truth[q]);
        }
        snprintf(f, sizeof f, "%s[%ld].full", name, i);
        lmoc_claim_bool(c, lmoc_json_get(o, "full"), f, rk == T->n[l]);
    }
    return c->rc;
}

static const lmoc_member_t nh_members[] = {
    {"k", m_k}, {"X_distinct_rows", m_distinct}, {"rank_X1", m_rank_X1}, {"rank_Fk1", m_rank_Fk1},
    {"W_full_column_rank", m_W_full}, {NULL, NULL}};

int lmoc_check_nguyen_hein(lmoc_ctx_t *c, const lmoc_json_t *cert, const char *cn,
                           const lmoc_json_t *vec, char *what, size_t wlen)
{
    static const char *const keys[] = {"format", "claim", "vector", "rank", "minor", NULL};
    const lmoc_json_t *rj = lmoc_json_get(cert, "rank");
    lmoc_mat_t X1 = LMOC_MAT_NONE;
    nh_t T;
    char f[200];
    memset(&T, 0, sizeof T);
    mpq_init(T.alpha), mpq_set_ui(T.alpha, 1, 1);
    T.rank = -1;
    snprintf(f, sizeof f, "%s", *cn ? "certificate" : "");
    lmoc_known(c, LMOC_C, cert, f, keys);
    nh_read(&T, c, lmoc_json_get(vec, "input"));
    T.distinct = 1;
    for (long i = 0; !c->rc && i < T.N && T.distinct; i++)
        for (long j = 0; j < i && T.distinct; j++) T.distinct = !rows_eq(&T.X, i, j, 1);
    if (!lmoc_mat_init(&X1, c, LMOC_V, T.N, T.X.cols + 1, "[X, 1_N]")) {
        for (long e = 0; e < T.N * X1.cols; e++)
            if (e % X1.cols < T.X.cols) mpq_set(X1.e[e], LMOC_E(&T.X, e / X1.cols, e % X1.cols));
            else mpq_set_ui(X1.e[e], 1, 1);
        T.rank_X1 = lmoc_rank(c, &X1);
    }
    if (!c->rc) {
        long rb = row_bound(&T, c);
        T.units = c->rc ? 0 : unit_bound(&T, c);
        T.upper = rb < T.units ? rb : T.units;
    }
    if (!c->rc && rj) { /* the certificate's rank: both inequalities, or a rejection */
        long r, nk = T.n[T.k];
        snprintf(f, sizeof f, "%srank", cn);
        if (!lmoc_int(&r, c, LMOC_C, rj, -(1L << 62), 1L << 62, LMOC_EINPUT, f) &&
            (r < 1 || r > T.N || r > nk + 1))
            lmoc_fail(c, LMOC_REJECT, LMOC_C, "%srank %ld is impossible for [F_%ld, 1_N] (%ld x "
                      "%ld, the column 1_N is not 0)", cn, r, T.k, T.N, nk + 1);
        if (!c->rc && T.upper != r) /* above r: unproven; below: the minor must fail */
            lmoc_fail(c, LMOC_REJECT, LMOC_C, "%srank %ld: the structural bound is %ld (%s; %ld "
                      "distinct non-constant units of layer %ld plus 1_N), so rank %s %ld is %s",
                      cn, r, T.upper, T.why, T.units - 1, T.k, T.upper > r ? "<=" : ">=", r,
                      T.upper > r ? "unproven" : "false");
        if (!c->rc && !check_minor(&T, c, lmoc_json_get(cert, "minor"), cn, r)) T.rank = r;
    } else if (!c->rc && lmoc_json_get(cert, "minor")) {
        lmoc_fail(c, LMOC_REJECT, LMOC_C, "%sminor without %srank: a minor of which rank?", cn, cn);
    }
    lmoc_expect(c, lmoc_json_get(vec, "expect"), nh_members, &T);
    if (T.rank >= 0)
        snprintf(what, wlen, "nguyen_hein rank [F_%ld, 1_N] = %ld proven (N = %ld), rank [X, 1_N] "
                 "= %ld", T.k, T.rank, T.N, T.rank_X1);
    else
        snprintf(what, wlen, "nguyen_hein rank [X, 1_N] = %ld proven (no rank [F_k, 1_N] claimed)",
                 T.rank_X1);
    lmoc_mat_clear(&X1), nh_clear(&T);
    return c->rc;
}
