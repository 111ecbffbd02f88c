/* rank.c -- the rank certificate rules (vectors/schema/lmo-cert-1.md, "The rank
 * certificate"): an r x r minor that is non-singular modulo m proves rank >= r; n - r kernel
 * vectors that are the identity on n - r free columns and satisfy M v = 0 exactly prove
 * rank <= r. Claim "rank" of the kinds
 * matrix_rank and khatri_rao_rank. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lmoc.h"

static int cmpl(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;
    return (x > y) - (x < y);
}

/* Duplicates are found in a sorted copy, not a BOUND-sized table: BOUND may be huge. */
int lmoc_indices(long **out, lmoc_ctx_t *c, const lmoc_json_t *j, long k, long bound,
                 const char *cn, const char *name)
{
    char el[200];
    long *v, *s;
    *out = NULL;
    if (c->rc) return c->rc;
    if (!j || j->type != LMOC_J_ARR)
        return lmoc_fail(c, LMOC_EINPUT, LMOC_C, "field %s%s: expected an array of indices", cn,
                         name);
    if ((long)j->n != k)
        return lmoc_fail(c, LMOC_REJECT, LMOC_C, "%s%s has %zu indices, expected %ld", cn, name,
                         j->n, k);
    if (!(v = *out = lmoc_alloc(c, LMOC_C, j->n, sizeof *v, name))) return c->rc;
    if (!(s = lmoc_alloc(c, LMOC_C, j->n, sizeof *s, name))) return c->rc;
    for (size_t i = 0; i < j->n && !c->rc; i++) {
        snprintf(el, sizeof el, "%s%s[%zu]", cn, name, i);
        lmoc_int(&v[i], c, LMOC_C, &j->kid[i], 0, bound - 1, LMOC_REJECT, el);
        s[i] = v[i];
    }
    qsort(s, j->n, sizeof *s, cmpl);
    for (size_t i = 1; i < j->n && !c->rc; i++)
        if (s[i] == s[i - 1])
            lmoc_fail(c, LMOC_REJECT, LMOC_C, "%s%s repeats index %ld", cn, name, s[i]);
    free(s);
    return c->rc;
}

int lmoc_elim_mod(mpz_t *a, long r, const mpz_t m)
{
    int rc = 0;
    mpz_t inv, g;
    mpz_inits(inv, g, NULL);
    for (long k = 0, piv = k; k < r && !rc; piv = ++k) {
        while (piv < r && !mpz_sgn(a[piv * r + k]))
            piv++;
        if ((rc = piv == r)) break;
        for (long j = k; j < r; j++) /* a row swap only flips the determinant's sign */
            mpz_swap(a[k * r + j], a[piv * r + j]);
        if (!mpz_invert(inv, a[k * r + k], m)) rc = 2;
        for (long i = k + 1; i < r && !rc; i++) {
            mpz_mul(g, a[i * r + k], inv);
            mpz_mod(g, g, m);
            for (long j = k; mpz_sgn(g) && j < r; j++) {
                mpz_submul(a[i * r + j], g, a[k * r + j]);
                mpz_mod(a[i * r + j], a[i * r + j], m);
            }
        }
    }
    mpz_clears(inv, g, NULL);
    return rc;
}

/* rank >= r: the minor's determinant maps to a unit of Z/m under the reduction a/b -> a b^-1
   of the rationals whose denominators are units mod m, so it is not zero
   (Coq: rank_ge_minor_elim). */
static int check_minor(lmoc_ctx_t *c, const lmoc_json_t *mi, const char *cn, const lmoc_mat_t *M,
                       long r)
{
    static const char *const keys[] = {"prime", "rows", "cols", NULL};
    const lmoc_json_t *pj = lmoc_json_get(mi, "prime");
    long *ri = NULL, *ci = NULL, rr;
    mpz_t p, *a = NULL;
    char f[200];
    mpz_init(p);
    snprintf(f, sizeof f, "%sminor", cn);
    if (mi->type != LMOC_J_OBJ)
        lmoc_fail(c, LMOC_EINPUT, LMOC_C, "field %sminor: expected an object", cn);
    else if (!pj || pj->type != LMOC_J_STR || !pj->len || strspn(pj->s, "0123456789") != pj->len)
        lmoc_fail(c, LMOC_EINPUT, LMOC_C, "field %sminor.prime: expected a string of decimal "
                  "digits", cn);
    else if ((long)pj->len > c->caps.max_bits / 3 + 1)
        lmoc_fail(c, LMOC_ELIMIT, LMOC_C, "field %sminor.prime: %zu digits exceed the cap of %ld "
                  "bits (LMO_MAX_BITS)", cn, pj->len, c->caps.max_bits);
    else if (mpz_set_str(p, pj->s, 10), mpz_cmp_ui(p, 2) < 0)
        lmoc_fail(c, LMOC_REJECT, LMOC_C, "%sminor.prime = %s is less than 2", cn, pj->s);
    lmoc_known(c, LMOC_C, mi, f, keys);
    lmoc_indices(&ri, c, lmoc_json_get(mi, "rows"), r, M->rows, cn, "minor.rows");
    lmoc_indices(&ci, c, lmoc_json_get(mi, "cols"), r, M->cols, cn, "minor.cols");
    if (!lmoc_entries(&rr, c, LMOC_C, r, r, f) && (a = lmoc_alloc(c, LMOC_C, (size_t)rr, sizeof *a,
                                                                   f)))
        for (long i = 0; i < rr; i++) mpz_init(a[i]);
    for (long i = 0; a && i < rr && !c->rc; i++) {
        const mpq_t *q = &M->e[ri[i / r] * M->cols + ci[i % r]];
        if (!mpz_invert(a[i], mpq_denref(*q), p)) /* needs gcd(den, p) = 1 */
            lmoc_fail(c, LMOC_REJECT, LMOC_C, "%sminor.prime is not coprime to the denominator "
                      "of entry (%ld,%ld)", cn, ri[i / r], ci[i % r]);
        mpz_mul(a[i], a[i], mpq_numref(*q));
        mpz_mod(a[i], a[i], p);
    }
    int rc = c->rc ? 0 : lmoc_elim_mod(a, r, p);
    if (rc)
        lmoc_fail(c, LMOC_REJECT, LMOC_C, rc == 1 ? "the %sminor is singular mod p"
                  : "%sminor: a pivot is not invertible mod p (p is not prime)", cn);
    for (long i = 0; a && i < rr; i++) mpz_clear(a[i]);
    free(a), free(ri), free(ci), mpz_clear(p);
    return c->rc;
}

/* rank <= r: the vectors are independent (identity on the free columns) and lie in the
   kernel, so dim ker M >= n - r (Coq: rank_le_echelon_kernel). */
static int check_kernel(lmoc_ctx_t *c, const lmoc_json_t *ke, const char *cn, const lmoc_mat_t *M,
                        long r)
{
    static const char *const keys[] = {"free", "vectors", NULL};
    const lmoc_json_t *vj = lmoc_json_get(ke, "vectors");
    long n = M->cols, k = n - r, *fr = NULL;
    lmoc_mat_t V = LMOC_MAT_NONE, P = LMOC_MAT_NONE;
    char name[200];
    snprintf(name, sizeof name, "%skernel", cn);
    if (ke->type != LMOC_J_OBJ)
        lmoc_fail(c, LMOC_EINPUT, LMOC_C, "field %skernel: expected an object", cn);
    lmoc_known(c, LMOC_C, ke, name, keys);
    lmoc_indices(&fr, c, lmoc_json_get(ke, "free"), k, n, cn, "kernel.free");
    if (!c->rc && (!vj || vj->type != LMOC_J_ARR))
        lmoc_fail(c, LMOC_EINPUT, LMOC_C, "field %skernel.vectors: expected an array", cn);
    else if (!c->rc && (long)vj->n != k)
        lmoc_fail(c, LMOC_REJECT, LMOC_C, "%skernel.vectors has %zu vectors, rank %ld needs %ld",
                  cn, vj->n, r, k);
    for (long i = 0; i < k && !c->rc; i++) /* every length before allocating k*n */
        if (vj->kid[i].type != LMOC_J_ARR || (long)vj->kid[i].n != n)
            lmoc_fail(c, vj->kid[i].type != LMOC_J_ARR ? LMOC_EINPUT : LMOC_REJECT, LMOC_C,
                      "%skernel.vectors[%ld] is not an array of %ld numbers", cn, i, n);
    lmoc_mat_init(&V, c, LMOC_C, k, n, name);
    for (long i = 0; i < k * n && !c->rc; i++) {
        snprintf(name, sizeof name, "%skernel.vectors[%ld][%ld]", cn, i / n, i % n);
        lmoc_number(V.e[i], c, LMOC_C, &vj->kid[i / n].kid[i % n], name);
    }
    for (long i = 0; i < k && !c->rc; i++) /* identity on the free columns */
        for (long j = 0; j < k && !c->rc; j++)
            if (mpq_cmp_ui(LMOC_E(&V, i, fr[j]), i == j, 1))
                lmoc_fail(c, LMOC_REJECT, LMOC_C, "%skernel.vectors[%ld] is not %d at free "
                          "column %ld", cn, i, i == j, fr[j]);
    if (!c->rc) lmoc_mul(&P, c, M, 0, &V, 1); /* M V^T = 0 exactly */
    for (long i = 0; i < P.rows * k && !c->rc; i++)
        if (mpq_sgn(P.e[i]))
            lmoc_fail(c, LMOC_REJECT, LMOC_C, "row %ld of the matrix times %skernel.vectors[%ld] "
                      "is not zero", i / k, cn, i % k);
    lmoc_mat_clear(&V), lmoc_mat_clear(&P), free(fr);
    return c->rc;
}

int lmoc_check_rank(long *rank, lmoc_ctx_t *c, const lmoc_json_t *cert, const char *cn,
                    const lmoc_mat_t *M, const char *id, const char *const *extra)
{
    const char *keys[12] = {"format", "claim", "vector", "rows", "cols", "rank", "minor", "kernel"};
    const lmoc_json_t *vid = lmoc_json_get(cert, "vector"), *mi, *ke;
    long rows, cols, r;
    char name[200];
    for (int i = 8; extra && *extra && i < 11; i++) keys[i] = *extra++;
    if (c->rc) return c->rc;
    if (!cert || cert->type != LMOC_J_OBJ)
        return lmoc_fail(c, LMOC_EINPUT, LMOC_C, "field %s: expected a certificate object",
                         *cn ? cn : "(top level)");
    if (!lmoc_is(lmoc_json_get(cert, "format"), "lmo-cert/1"))
        return lmoc_fail(c, LMOC_EINPUT, LMOC_C, "field %sformat: expected \"lmo-cert/1\"", cn);
    if (!lmoc_is(lmoc_json_get(cert, "claim"), "rank"))
        return lmoc_fail(c, LMOC_EINPUT, LMOC_C, "field %sclaim: expected \"rank\"", cn);
    if (!vid || vid->type != LMOC_J_STR)
        return lmoc_fail(c, LMOC_EINPUT, LMOC_C, "field %svector: expected a string", cn);
    if (strcmp(vid->s, id))
        return lmoc_fail(c, LMOC_REJECT, LMOC_C, "%svector \"%.80s\" is not the vector's id "
                         "\"%.80s\"", cn, vid->s, id);
    snprintf(name, sizeof name, "%.190s", cn);
    if (*cn) name[strlen(name) - 1] = 0; /* "x." -> "x" */
    lmoc_known(c, LMOC_C, cert, name, keys);
    snprintf(name, sizeof name, "%srows", cn);
    lmoc_int(&rows, c, LMOC_C, lmoc_json_get(cert, "rows"), LONG_MIN, LONG_MAX, LMOC_EINPUT, name);
    snprintf(name, sizeof name, "%scols", cn);
    lmoc_int(&cols, c, LMOC_C, lmoc_json_get(cert, "cols"), LONG_MIN, LONG_MAX, LMOC_EINPUT, name);
    snprintf(name, sizeof name, "%srank", cn);
    lmoc_int(&r, c, LMOC_C, lmoc_json_get(cert, "rank"), LONG_MIN, LONG_MAX, LMOC_EINPUT, name);
    if (c->rc) return c->rc;
    if (rows != M->rows || cols != M->cols)
        return lmoc_fail(c, LMOC_REJECT, LMOC_C, "certificate shape %ld x %ld is not the matrix's "
                         "%ld x %ld", rows, cols, M->rows, M->cols);
    if (r < 0 || r > M->rows || r > M->cols)
        return lmoc_fail(c, LMOC_REJECT, LMOC_C, "%srank %ld is impossible for a %ld x %ld matrix",
                         cn, r, M->rows, M->cols);
    if (!(mi = lmoc_json_get(cert, "minor")))
        return lmoc_fail(c, LMOC_REJECT, LMOC_C, "no %sminor: rank >= %ld is unproven", cn, r);
    if (!(ke = lmoc_json_get(cert, "kernel")))
        return lmoc_fail(c, LMOC_REJECT, LMOC_C, "no %skernel: rank <= %ld is unproven", cn, r);
    if (check_minor(c, mi, cn, M, r) || check_kernel(c, ke, cn, M, r)) return c->rc;
    *rank = r;
    return 0;
}

/* ---- claim "rank": the matrix_rank (input.M) or khatri_rao_rank (A o X) vector ---- */

typedef struct { long rank, cols; } rank_facts_t;

static int member_rank(lmoc_ctx_t *c, const lmoc_json_t *val, const char *name, void *st)
{
    return lmoc_claim_int(c, val, name, ((rank_facts_t *)st)->rank);
}

static int member_full(lmoc_ctx_t *c, const lmoc_json_t *val, const char *name, void *st)
{
    rank_facts_t *f = st;
    return lmoc_claim_bool(c, val, name, f->rank == f->cols);
}

static const lmoc_member_t rank_members[] = {
    {"rank", member_rank}, {"full_column_rank", member_full}, {NULL, NULL}};

int lmoc_check_rank_vector(lmoc_ctx_t *c, const lmoc_json_t *cert, const char *cn,
                           const lmoc_json_t *vec, char *what, size_t wlen)
{
    const lmoc_json_t *in = lmoc_json_get(vec, "input");
    lmoc_mat_t M = LMOC_MAT_NONE, A = LMOC_MAT_NONE, X = LMOC_MAT_NONE;
    rank_facts_t f = {-1, 0};
    if (lmoc_is(lmoc_json_get(vec, "kind"), "matrix_rank")) {
        lmoc_matrix(&M, c, LMOC_V, lmoc_json_get(in, "M"), -1, -1, "input.M");
    } else { /* G = A o X, computed here rather than trusted */
        lmoc_matrix(&A, c, LMOC_V, lmoc_json_get(in, "A"), -1, -1, "input.A");
        lmoc_matrix(&X, c, LMOC_V, lmoc_json_get(in, "X"), -1, -1, "input.X");
        lmoc_khatri_rao(&M, c, &A, &X);
    }
    lmoc_check_rank(&f.rank, c, cert, cn, &M, lmoc_json_get(vec, "id")->s, NULL);
    f.cols = M.cols;
    lmoc_expect(c, lmoc_json_get(vec, "expect"), rank_members, &f);
    snprintf(what, wlen, "rank %ld proven (%ld x %ld)", f.rank, M.rows, M.cols);
    lmoc_mat_clear(&M), lmoc_mat_clear(&A), lmoc_mat_clear(&X);
    return c->rc;
}
