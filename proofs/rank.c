/* rank.c -- the rank certificate rules (proofs/README.md): an r x r minor that is
 * non-singular mod p proves rank >= r; n - r kernel vectors that are the identity on n - r
 * free columns and satisfy M v = 0 exactly prove rank <= r. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lmoc.h"

static int cmpl(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;
    return (x > y) - (x < y);
}

/* Duplicates are found in a sorted copy, not a BOUND-sized table: BOUND may be huge when
   the matrix has no rows. */
int lmoc_indices(long **out, lmoc_ctx_t *c, const lmoc_json_t *j, long k, long bound,
                 const char *cn, const char *name)
{
    char el[160];
    if (c->rc) return c->rc;
    if (!j || j->type != LMOC_J_ARR)
        return lmoc_fail(c, LMOC_EINPUT, "field %s%s: expected an array of indices", cn, name);
    if ((long)j->n != k)
        return lmoc_fail(c, LMOC_REJECT, "%s%s has %zu indices, expected %ld", cn, name,
                         j->n, k);
    long *v = *out = calloc(j->n + 1, sizeof *v), *s = calloc(j->n + 1, sizeof *s);
    for (size_t i = 0; i < j->n && !c->rc; i++) {
        snprintf(el, sizeof el, "%s%s[%zu]", cn, name, i);
        if (!lmoc_int(&v[i], c, &j->kid[i], el) && (v[i] < 0 || v[i] >= bound))
            lmoc_fail(c, LMOC_REJECT, "%s = %ld is out of range [0, %ld)", el, v[i], bound);
        s[i] = v[i];
    }
    qsort(s, j->n, sizeof *s, cmpl);
    for (size_t i = 1; i < j->n && !c->rc; i++)
        if (s[i] == s[i - 1]) lmoc_fail(c, LMOC_REJECT, "%s%s repeats index %ld", cn, name, s[i]);
    free(s);
    return c->rc;
}

/* Gaussian elimination mod p on the r x r residues a. Returns 0 if the determinant is a unit
   mod p (every pivot invertible), 1 if it is zero, 2 if a pivot is a non-unit (only for
   composite p: then nothing is concluded). */
static int elim(mpz_t *a, long r, const mpz_t p)
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
        if (!mpz_invert(inv, a[k * r + k], p)) rc = 2;
        for (long i = k + 1; i < r && !rc; i++) {
            mpz_mul(g, a[i * r + k], inv);
            mpz_mod(g, g, p);
            for (long j = k; mpz_sgn(g) && j < r; j++) {
                mpz_submul(a[i * r + j], g, a[k * r + j]);
                mpz_mod(a[i * r + j], a[i * r + j], p);
            }
        }
    }
    mpz_clears(inv, g, NULL);
    return rc;
}

/* rank >= r: the minor's determinant maps to a unit of Z/p under the ring homomorphism
   from the rationals whose denominators are units mod p, so it is not zero. */
static int check_minor(lmoc_ctx_t *c, const lmoc_json_t *mi, const char *cn, const lmoc_mat_t *M,
                       long r)
{
    const lmoc_json_t *pj = lmoc_json_get(mi, "prime");
    long *ri = NULL, *ci = NULL;
    mpz_t p, *a = NULL;
    mpz_init(p);
    if (mi->type != LMOC_J_OBJ)
        lmoc_fail(c, LMOC_EINPUT, "field %sminor: expected an object", cn);
    else if (!pj || pj->type != LMOC_J_STR || !pj->len || strspn(pj->s, "0123456789") != pj->len)
        lmoc_fail(c, LMOC_EINPUT, "field %sminor.prime: expected a string of decimal digits", cn);
    else if (mpz_set_str(p, pj->s, 10), mpz_cmp_ui(p, 2) < 0)
        lmoc_fail(c, LMOC_REJECT, "%sminor.prime = %s is less than 2", cn, pj->s);
    lmoc_indices(&ri, c, lmoc_json_get(mi, "rows"), r, M->rows, cn, "minor.rows");
    lmoc_indices(&ci, c, lmoc_json_get(mi, "cols"), r, M->cols, cn, "minor.cols");
    if (!c->rc) a = malloc((size_t)(r * r + 1) * sizeof *a);
    for (long i = 0; a && i < r * r; i++) mpz_init(a[i]);
    for (long i = 0; a && i < r * r && !c->rc; i++) {
        const mpq_t *q = &M->e[ri[i / r] * M->cols + ci[i % r]];
        if (!mpz_invert(a[i], mpq_denref(*q), p)) /* needs gcd(den, p) = 1 */
            lmoc_fail(c, LMOC_REJECT, "%sminor.prime is not coprime to the denominator of entry "
                      "(%ld,%ld)", cn, ri[i / r], ci[i % r]);
        mpz_mul(a[i], a[i], mpq_numref(*q));
        mpz_mod(a[i], a[i], p);
    }
    int rc = c->rc ? 0 : elim(a, r, p);
    if (rc)
        lmoc_fail(c, LMOC_REJECT, rc == 1 ? "the %sminor is singular mod p"
                  : "%sminor: a pivot is not invertible mod p (p is not prime)", cn);
    for (long i = 0; a && i < r * r; i++) mpz_clear(a[i]);
    free(a), free(ri), free(ci), mpz_clear(p);
    return c->rc;
}

/* rank <= r: the vectors are independent (identity on the free columns) and lie in the
   kernel, so dim ker M >= n - r. */
static int check_kernel(lmoc_ctx_t *c, const lmoc_json_t *ke, const char *cn, const lmoc_mat_t *M,
                        long r)
{
    const lmoc_json_t *vj = lmoc_json_get(ke, "vectors");
    long n = M->cols, k = n - r, *fr = NULL;
    lmoc_mat_t V = {0, 0, NULL}, P = {0, 0, NULL};
    char name[160];
    if (ke->type != LMOC_J_OBJ) lmoc_fail(c, LMOC_EINPUT, "field %skernel: expected an object", cn);
    lmoc_indices(&fr, c, lmoc_json_get(ke, "free"), k, n, cn, "kernel.free");
    if (!c->rc && (!vj || vj->type != LMOC_J_ARR))
        lmoc_fail(c, LMOC_EINPUT, "field %skernel.vectors: expected an array", cn);
    else if (!c->rc && (long)vj->n != k)
        lmoc_fail(c, LMOC_REJECT, "%skernel.vectors has %zu vectors, rank %ld needs %ld", cn,
                  vj->n, r, k);
    for (long i = 0; i < k && !c->rc; i++) /* every length before allocating k*n */
        if (vj->kid[i].type != LMOC_J_ARR || (long)vj->kid[i].n != n)
            lmoc_fail(c, vj->kid[i].type != LMOC_J_ARR ? LMOC_EINPUT : LMOC_REJECT,
                      "%skernel.vectors[%ld] is not an array of %ld numbers", cn, i, n);
    if (!c->rc) lmoc_mat_init(&V, k, n);
    for (long i = 0; i < k * n && !c->rc; i++) {
        snprintf(name, sizeof name, "%skernel.vectors[%ld][%ld]", cn, i / n, i % n);
        lmoc_number(V.e[i], c, &vj->kid[i / n].kid[i % n], name);
    }
    for (long i = 0; i < k && !c->rc; i++) /* identity on the free columns */
        for (long j = 0; j < k && !c->rc; j++)
            if (mpq_cmp_ui(LMOC_E(&V, i, fr[j]), i == j, 1))
                lmoc_fail(c, LMOC_REJECT, "%skernel.vectors[%ld] is not %d at free column %ld", cn,
                          i, i == j, fr[j]);
    if (!c->rc) lmoc_mul(&P, M, 0, &V, 1); /* M V^T = 0 exactly */
    for (long i = 0; i < P.rows * k && !c->rc; i++)
        if (mpq_sgn(P.e[i]))
            lmoc_fail(c, LMOC_REJECT, "row %ld of the matrix times %skernel.vectors[%ld] is not "
                      "zero", i / k, cn, i % k);
    lmoc_mat_clear(&V), lmoc_mat_clear(&P), free(fr);
    return c->rc;
}

int lmoc_check_rank(long *rank, lmoc_ctx_t *c, const lmoc_json_t *cert, const char *cn,
                    const lmoc_mat_t *M, const char *id)
{
    const lmoc_json_t *vid = lmoc_json_get(cert, "vector"), *mi, *ke;
    const char *key[3] = {"rows", "cols", "rank"};
    long v[3] = {0, 0, 0}, r;
    char name[120];
    if (!cert || cert->type != LMOC_J_OBJ)
        return lmoc_fail(c, LMOC_EINPUT, "field %s: expected a certificate object",
                         *cn ? "certificate" : "(top level)");
    if (!lmoc_is(lmoc_json_get(cert, "format"), "lmo-cert/1"))
        return lmoc_fail(c, LMOC_EINPUT, "field %sformat: expected \"lmo-cert/1\"", cn);
    if (!lmoc_is(lmoc_json_get(cert, "claim"), "rank"))
        return lmoc_fail(c, LMOC_EINPUT, "field %sclaim: expected \"rank\"", cn);
    if (!vid || vid->type != LMOC_J_STR)
        return lmoc_fail(c, LMOC_EINPUT, "field %svector: expected a string", cn);
    if (strcmp(vid->s, id))
        return lmoc_fail(c, LMOC_REJECT, "%svector \"%.80s\" is not the vector's id \"%.80s\"", cn,
                         vid->s, id);
    for (int i = 0; i < 3; i++) {
        snprintf(name, sizeof name, "%s%s", cn, key[i]);
        lmoc_int(&v[i], c, lmoc_json_get(cert, key[i]), name);
    }
    if (c->rc) return c->rc;
    if (v[0] != M->rows || v[1] != M->cols)
        return lmoc_fail(c, LMOC_REJECT, "certificate shape %ld x %ld is not the matrix's %ld x "
                         "%ld", v[0], v[1], M->rows, M->cols);
    if ((r = v[2]) < 0 || r > M->rows || r > M->cols)
        return lmoc_fail(c, LMOC_REJECT, "%srank %ld is impossible for a %ld x %ld matrix", cn, r,
                         M->rows, M->cols);
    if (!(mi = lmoc_json_get(cert, "minor")))
        return lmoc_fail(c, LMOC_REJECT, "no %sminor: rank >= %ld is unproven", cn, r);
    if (!(ke = lmoc_json_get(cert, "kernel")))
        return lmoc_fail(c, LMOC_REJECT, "no %skernel: rank <= %ld is unproven", cn, r);
    if (check_minor(c, mi, cn, M, r) || check_kernel(c, ke, cn, M, r)) return c->rc;
    *rank = r;
    return 0;
}

/* Claim "rank" of a matrix_rank (input.M) or khatri_rao_rank (A o X) vector, and its expect. */
int lmoc_check_rank_vector(lmoc_ctx_t *c, const lmoc_json_t *cert, const char *cn,
                           const lmoc_json_t *vec, char *what, size_t wlen)
{
    const lmoc_json_t *in = lmoc_json_get(vec, "input"), *ex = lmoc_json_get(vec, "expect"),
                      *er = lmoc_json_get(ex, "rank"), *ef = lmoc_json_get(ex, "full_column_rank");
    lmoc_mat_t M = {0, 0, NULL}, A = {0, 0, NULL}, X = {0, 0, NULL};
    long rank = -1, erank = 0;
    if (lmoc_is(lmoc_json_get(vec, "kind"), "matrix_rank"))
        lmoc_matrix(&M, c, lmoc_json_get(in, "M"), -1, -1, "input.M");
    else /* G = A o X, computed here rather than trusted */
        lmoc_matrix(&A, c, lmoc_json_get(in, "A"), -1, -1, "input.A"),
        lmoc_matrix(&X, c, lmoc_json_get(in, "X"), -1, -1, "input.X"),
        lmoc_khatri_rao(&M, c, &A, &X);
    if (er) lmoc_int(&erank, c, er, "expect.rank");
    if (!c->rc && ef && ef->type != LMOC_J_TRUE && ef->type != LMOC_J_FALSE)
        lmoc_fail(c, LMOC_EINPUT, "field expect.full_column_rank: expected true or false");
    lmoc_check_rank(&rank, c, cert, cn, &M, lmoc_json_get(vec, "id")->s);
    if (!c->rc && er && erank != rank)
        lmoc_fail(c, LMOC_REJECT, "expect.rank is %ld, the certificate proves rank %ld", erank,
                  rank);
    if (!c->rc && ef && (ef->type == LMOC_J_TRUE) != (rank == M.cols))
        lmoc_fail(c, LMOC_REJECT, "expect.full_column_rank is %s, the certificate proves rank %ld "
                  "of %ld columns", ef->type == LMOC_J_TRUE ? "true" : "false", rank, M.cols);
    snprintf(what, wlen, "rank %ld proven (%ld x %ld)", rank, M.rows, M.cols);
    lmoc_mat_clear(&M), lmoc_mat_clear(&A), lmoc_mat_clear(&X);
    return c->rc;
}
