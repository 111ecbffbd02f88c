/* Proposition 2 / Lemma 6 (Kawaguchi-Huang-Kaelbling 2019, Section 3.2, Appendix B): the
 * exact rank of Dtilde (B.2) against the proposition's regimes; see lmo/khk/prop2.h. */
#include <string.h>
#include "lmo/khk/prop2.h"
#include "lmo/khk/khk.h"
#include "lmo/linalg/rank.h"

void lmo_khk_prop2_init(lmo_khk_prop2_t p)
{
    memset(p, 0, sizeof *p);
    fmpq_init(p->loss_proj);
    p->generic_rank = -1, p->lambda_ok = -1;
}

void lmo_khk_prop2_clear(lmo_khk_prop2_t p)
{
    fmpq_clear(p->loss_proj);
}

void lmo_khk_dtilde(fmpq_mat_t Dt, const fmpq_mat_t Lam, const fmpq_mat_t X)
{
    slong m = fmpq_mat_nrows(X), dx = fmpq_mat_ncols(X), d = fmpq_mat_ncols(Lam);
    fmpq_mat_init(Dt, m, d * dx);
    for (slong i = 0; i < m; i++)
        for (slong k = 0; k < d; k++)
            for (slong j = 0; j < dx; j++)
                fmpq_mul(fmpq_mat_entry(Dt, i, k * dx + j), fmpq_mat_entry(Lam, i, k),
                         fmpq_mat_entry(X, i, j));
}

/* rank of the rows of LAM listed in IDX[0..n) */
static slong rows_rank(const fmpq_mat_t Lam, const slong *idx, slong n)
{
    if (n == 0) return 0;
    fmpq_mat_t S;
    fmpq_mat_init(S, n, fmpq_mat_ncols(Lam));
    for (slong a = 0; a < n; a++)
        for (slong k = 0; k < fmpq_mat_ncols(Lam); k++)
            fmpq_set(fmpq_mat_entry(S, a, k), fmpq_mat_entry(Lam, idx[a], k));
    fmpq_mat_t E;
    fmpq_mat_init(E, n, fmpq_mat_ncols(Lam));
    slong r = fmpq_mat_rref(E, S);
    fmpq_mat_clear(S), fmpq_mat_clear(E);
    return r;
}

slong lmo_khk_generic_rank(const fmpq_mat_t Lam, slong dx, slong *S, slong *ns)
{
    slong m = fmpq_mat_nrows(Lam), best = -1, idx[LMO_KHK_PROP2_GENERIC_M];
    if (m > LMO_KHK_PROP2_GENERIC_M) return -1;
    for (ulong mask = 0; mask < (UWORD(1) << m); mask++) {
        slong n = 0;
        for (slong i = 0; i < m; i++) if (mask >> i & 1) idx[n++] = i;
        slong v = m - n + dx * rows_rank(Lam, idx, n);
        if (best < 0 || v < best) {
            best = v;
            if (S) {
                for (slong a = 0; a < n; a++) S[a] = idx[a] + 1;
                *ns = n;
            }
        }
    }
    return best;
}

/* Binomial(m, k), saturating at cap + 1. */
static slong binom_capped(slong m, slong k, slong cap)
{
    fmpz_t b;
    fmpz_init(b);
    fmpz_bin_uiui(b, (ulong) m, (ulong) k);
    slong r = fmpz_cmp_si(b, cap) > 0 ? cap + 1 : fmpz_get_si(b);
    fmpz_clear(b);
    return r;
}

/* The Lambda condition with delta > 0 (prop2.h): 1, 0 (witness set), -1 not checked. */
static int lambda_condition(lmo_khk_prop2_struct *p, const fmpq_mat_t Lam)
{
    slong m = p->m, d = p->d;
    slong k = p->regime == 1 ? (m + 1) / 2 : d / 2;        /* |I| tested */
    slong need = p->regime == 1 ? d : k;                   /* full column / row rank */
    if (k > m) k = m;
    if (m > 64 || binom_capped(m, k, LMO_KHK_PROP2_SUBSETS) > LMO_KHK_PROP2_SUBSETS) return -1;
    if (k == 0) return 1;                                  /* no index set: vacuous */
    slong idx[64];
    for (slong a = 0; a < k; a++) idx[a] = a;
    for (;;) {
        if (rows_rank(Lam, idx, k) < need) {
            for (slong a = 0; a < k; a++) p->witness[a] = idx[a] + 1;
            p->witness_n = k;
            return 0;
        }
        slong a = k - 1;                                   /* next k-subset, lexicographic */
        while (a >= 0 && idx[a] == m - k + a) a--;
        if (a < 0) return 1;
        idx[a]++;
        for (slong b = a + 1; b < k; b++) idx[b] = idx[b - 1] + 1;
    }
}

static int set_str(char *buf, size_t cap, const slong *s, slong n)
{
    size_t len = 0;
    len += (size_t) snprintf(buf + len, cap - len, "{");
    for (slong a = 0; a < n && len < cap; a++)
        len += (size_t) snprintf(buf + len, cap - len, "%s%ld", a ? "," : "", (long) s[a]);
    if (len < cap) len += (size_t) snprintf(buf + len, cap - len, "}");
    return (int) len;
}

/* OUT := 1/2 ||(I - P[Dt]) Y||_F^2, column by column (Lemma 5's right side). */
static void residual_half(fmpq_t out, const fmpq_mat_t Dt, const fmpq_mat_t Y)
{
    slong m = fmpq_mat_nrows(Y);
    fmpq_t t;
    fmpq_init(t);
    fmpq_mat_t y;
    fmpq_mat_init(y, m, 1);
    fmpq_zero(out);
    for (slong c = 0; c < fmpq_mat_ncols(Y); c++) {
        for (slong i = 0; i < m; i++) {
            fmpq_set(fmpq_mat_entry(y, i, 0), fmpq_mat_entry(Y, i, c));
            fmpq_addmul(out, fmpq_mat_entry(Y, i, c), fmpq_mat_entry(Y, i, c));
        }
        lmo_khk_proj_norm2(t, Dt, y);
        fmpq_sub(out, out, t);
    }
    fmpq_div_2exp(out, out, 1);
    fmpq_mat_clear(y);
    fmpq_clear(t);
}

int lmo_khk_prop2(lmo_khk_prop2_t p, const fmpq_mat_t Lam, const fmpq_mat_t X, const fmpq_mat_t Y,
                  lmo_err_t *err)
{
    p->m = fmpq_mat_nrows(X), p->dx = fmpq_mat_ncols(X), p->d = fmpq_mat_ncols(Lam);
    slong q = p->d * p->dx;
    p->max_rank = q < p->m ? q : p->m;
    p->regime = q <= p->m ? 1 : 2;
    fmpq_mat_t Dt;
    lmo_khk_dtilde(Dt, Lam, X);
    lmo_rank_t R;
    lmo_rank_init(R);
    int rc = lmo_rank_certified(R, Dt, 22, err);
    p->rank = R->rank;
    lmo_rank_clear(R);
    fmpq_zero(p->loss_proj);
    if (rc == LMO_OK && Y) {
        fmpq_t lp;
        fmpq_init(lp);
        residual_half(lp, Dt, Y);
        fmpq_swap(lp, p->loss_proj);   /* (a local: gcc 12 misreads the array-typed member) */
        fmpq_clear(lp);
    }
    fmpq_mat_clear(Dt);
    if (rc) return rc;
    p->generic_rank = lmo_khk_generic_rank(Lam, p->dx, p->generic_set, &p->generic_set_n);
    p->lambda_ok = lambda_condition(p, Lam);

    char I[300], tag[96];
    snprintf(tag, sizeof tag, "regime %s (d dx = %ld %s m = %ld)", p->regime == 1 ? "i" : "ii",
             (long) q, p->regime == 1 ? "<=" : ">", (long) p->m);
    const char *S = LMO_KHK_PROP2_STATEMENT;
    lmo_theorem_t *t = &p->thm;
    if (p->generic_rank >= 0 && p->rank > p->generic_rank) {
        p->violation = 1;
        lmo_theorem_set(t, S, LMO_OUTCOME_VIOLATED, "%s: rank Dtilde = %ld exceeds the generic rank %ld "
                        "(Rado's bound holds for every X: a bug in lmo)", tag, (long) p->rank,
                        (long) p->generic_rank);
    } else if (p->lambda_ok == 0) {
        set_str(I, sizeof I, p->witness, p->witness_n);
        lmo_theorem_set(t, S, LMO_OUTCOME_NOT_APPLICABLE, "%s: the Lambda condition fails for I = %s "
                        "(Lambda_I has no full %s rank, s_min(Lambda_I) = 0); rank Dtilde = %ld of %ld",
                        tag, I, p->regime == 1 ? "column" : "row", (long) p->rank, (long) p->max_rank);
    } else if (p->generic_rank >= 0 && p->generic_rank < p->max_rank) {
        set_str(I, sizeof I, p->generic_set, p->generic_set_n);
        lmo_theorem_set(t, S, LMO_OUTCOME_NOT_APPLICABLE, "%s: no X reaches rank %ld: generic rank %ld "
                        "(Rado, S = %s) -- the size conditions the proposition adds fail here; "
                        "rank Dtilde = %ld", tag, (long) p->max_rank, (long) p->generic_rank, I,
                        (long) p->rank);
    } else if (p->rank == p->max_rank) {
        lmo_theorem_set(t, S, LMO_OUTCOME_HOLDS, "%s: rank Dtilde = min(m, d dx) = %ld (Lemma 6 %s)%s",
                        tag, (long) p->rank, p->regime == 1 ? "i" : "ii", p->lambda_ok < 0 ?
                        "; the Lambda condition was not checked (too many index sets)" :
                        "; Lambda condition holds with some delta > 0");
    } else if (p->lambda_ok < 0 || p->generic_rank < 0) {
        lmo_theorem_set(t, S, LMO_OUTCOME_UNDECIDED, "%s: rank Dtilde = %ld < %ld, and %s was not "
                        "computed (too many subsets)", tag, (long) p->rank, (long) p->max_rank,
                        p->lambda_ok < 0 ? "the Lambda condition" : "the generic rank");
    } else {
        lmo_theorem_set(t, S, LMO_OUTCOME_EXCEPTIONAL, "%s: rank Dtilde = %ld < min(m, d dx) = %ld = "
                        "the generic rank: X lies in the measure-zero set where (B.2) drops rank",
                        tag, (long) p->rank, (long) p->max_rank);
    }
    return LMO_OK;
}
