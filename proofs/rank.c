/* rank.c -- the rank certificate rules (proofs/README.md): an r x r minor that is
 * non-singular mod p proves rank >= r; n - r kernel vectors that are the identity on n - r
 * free columns and satisfy M v = 0 exactly prove rank <= r. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lmoc.h"

static int cmpl(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;
    return (x > y) - (x < y);
}

/* *out = J, an array of exactly K distinct indices in [0, BOUND). Duplicates are found in a
   sorted copy, not a BOUND-sized table: BOUND may be huge when the matrix has no rows. */
static int indices(long **out, lmoc_ctx_t *c, const lmoc_json_t *j, long k, long bound,
                   const char *cn, const char *name)
{
    char el[80];
    if (c->rc) return c->rc;
    if (!j || j->type != LMOC_J_ARR)
        return lmoc_fail(c, LMOC_EINPUT, "field %s%s: expected an array of indices", cn, name);
    if ((long)j->n != k)
        return lmoc_fail(c, LMOC_REJECT, "%s%s has %zu indices, the rank needs %ld", cn, name,
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

static uint64_t mulmod(uint64_t a, uint64_t b, uint64_t q)
{
    return (uint64_t)((unsigned __int128)a * b % q);
}

/* Gaussian elimination mod p on the r x r residues (a as mpz, w the same as words). Returns
   0 if the determinant is a unit mod p (every pivot invertible), 1 if it is zero, 2 if a
   pivot is a non-unit (only for composite p: then nothing is concluded). The row operations
   use native words when p < 2^63 (values < p, products < 2^126, a + p < 2^64 never wraps),
   mpz otherwise; the r pivot inverses always come from mpz_invert. */
static int elim(mpz_t *a, uint64_t *w, long r, const mpz_t p)
{
    int nat = mpz_sizeinbase(p, 2) <= 63, rc = 0;
    uint64_t q = mpz_get_ui(p), t, f;
    mpz_t inv, g;
    mpz_inits(inv, g, NULL);
    for (long k = 0, piv = k; k < r && !rc; piv = ++k) {
        while (piv < r && (nat ? !w[piv * r + k] : !mpz_sgn(a[piv * r + k])))
            piv++;
        if ((rc = piv == r)) break;
        for (long j = k; j < r; j++) { /* a row swap only flips the determinant's sign */
            mpz_swap(a[k * r + j], a[piv * r + j]);
            t = w[k * r + j], w[k * r + j] = w[piv * r + j], w[piv * r + j] = t;
        }
        if (nat) mpz_set_ui(a[k * r + k], w[k * r + k]); /* only w is updated on this path */
        if (!mpz_invert(inv, a[k * r + k], p)) rc = 2;
        for (long i = k + 1; i < r && !rc; i++) {
            if (nat) {
                f = mulmod(w[i * r + k], mpz_get_ui(inv), q);
                for (long j = k; f && j < r; j++)
                    w[i * r + j] = (w[i * r + j] + q - mulmod(f, w[k * r + j], q)) % q;
                continue;
            }
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
    uint64_t *w = NULL;
    mpz_init(p);
    if (mi->type != LMOC_J_OBJ)
        lmoc_fail(c, LMOC_EINPUT, "field %sminor: expected an object", cn);
    else if (!pj || pj->type != LMOC_J_STR || !pj->len || strspn(pj->s, "0123456789") != pj->len)
        lmoc_fail(c, LMOC_EINPUT, "field %sminor.prime: expected a string of decimal digits", cn);
    else if (mpz_set_str(p, pj->s, 10), mpz_cmp_ui(p, 2) < 0)
        lmoc_fail(c, LMOC_REJECT, "%sminor.prime = %s is less than 2", cn, pj->s);
    indices(&ri, c, lmoc_json_get(mi, "rows"), r, M->rows, cn, "minor.rows");
    indices(&ci, c, lmoc_json_get(mi, "cols"), r, M->cols, cn, "minor.cols");
    if (!c->rc) {
        a = malloc((size_t)(r * r + 1) * sizeof *a);
        w = malloc((size_t)(r * r + 1) * sizeof *w);
        for (long i = 0; i < r * r; i++)
            mpz_init(a[i]);
    }
    for (long i = 0; a && i < r * r && !c->rc; i++) {
        const mpq_t *q = &M->e[ri[i / r] * M->cols + ci[i % r]];
        if (!mpz_invert(a[i], mpq_denref(*q), p)) /* needs gcd(den, p) = 1 */
            lmoc_fail(c, LMOC_REJECT, "%sminor.prime is not coprime to the denominator of entry "
                      "(%ld,%ld)", cn, ri[i / r], ci[i % r]);
        mpz_mul(a[i], a[i], mpq_numref(*q));
        mpz_mod(a[i], a[i], p);
        w[i] = mpz_get_ui(a[i]);
    }
    if (!c->rc) {
        int rc = elim(a, w, r, p);
        if (rc)
            lmoc_fail(c, LMOC_REJECT, rc == 1 ? "the %sminor is singular mod p"
                      : "%sminor: a pivot is not invertible mod p (p is not prime)", cn);
    }
    for (long i = 0; a && i < r * r; i++)
        mpz_clear(a[i]);
    free(a), free(w), free(ri), free(ci);
    mpz_clear(p);
    return c->rc;
}

/* Scales the n rationals x to integers z sharing the factor lcm(denominators) > 0. */
static void to_integers(mpz_t *z, const mpq_t *x, long n, mpz_t l)
{
    mpz_set_ui(l, 1);
    for (long j = 0; j < n; j++)
        mpz_lcm(l, l, mpq_denref(x[j]));
    for (long j = 0; j < n; j++) {
        mpz_divexact(z[j], l, mpq_denref(x[j]));
        mpz_mul(z[j], z[j], mpq_numref(x[j]));
    }
}

/* rank <= r: the vectors are independent (identity on the free columns) and lie in the
   kernel, so dim ker M >= n - r. */
static int check_kernel(lmoc_ctx_t *c, const lmoc_json_t *ke, const char *cn, const lmoc_mat_t *M,
                        long r)
{
    const lmoc_json_t *vj = lmoc_json_get(ke, "vectors");
    long n = M->cols, k = n - r, *fr = NULL, nv = 0;
    mpq_t *v = NULL;
    mpz_t *z = NULL, *row = NULL, l, dot;
    char name[80];
    mpz_inits(l, dot, NULL);
    if (ke->type != LMOC_J_OBJ) lmoc_fail(c, LMOC_EINPUT, "field %skernel: expected an object", cn);
    indices(&fr, c, lmoc_json_get(ke, "free"), k, n, cn, "kernel.free");
    if (!c->rc && (!vj || vj->type != LMOC_J_ARR))
        lmoc_fail(c, LMOC_EINPUT, "field %skernel.vectors: expected an array", cn);
    else if (!c->rc && (long)vj->n != k)
        lmoc_fail(c, LMOC_REJECT, "%skernel.vectors has %zu vectors, rank %ld needs %ld", cn,
                  vj->n, r, k);
    for (long i = 0; i < k && !c->rc; i++) /* every length before allocating k*n */
        if (vj->kid[i].type != LMOC_J_ARR || (long)vj->kid[i].n != n)
            lmoc_fail(c, vj->kid[i].type != LMOC_J_ARR ? LMOC_EINPUT : LMOC_REJECT,
                      "%skernel.vectors[%ld] is not an array of %ld numbers", cn, i, n);
    if (!c->rc) {
        nv = k * n;
        v = malloc((size_t)(nv + 1) * sizeof *v);
        z = malloc((size_t)(nv + n + 1) * sizeof *z);
        row = z + nv;
        for (long i = 0; i < nv; i++)
            mpq_init(v[i]);
        for (long i = 0; i < nv + n; i++)
            mpz_init(z[i]);
    }
    for (long i = 0; i < nv && !c->rc; i++) {
        snprintf(name, sizeof name, "%skernel.vectors[%ld][%ld]", cn, i / n, i % n);
        lmoc_number(v[i], c, &vj->kid[i / n].kid[i % n], name);
    }
    for (long i = 0; i < k && !c->rc; i++) /* identity on the free columns */
        for (long j = 0; j < k && !c->rc; j++)
            if (mpq_cmp_ui(v[i * n + fr[j]], i == j, 1))
                lmoc_fail(c, LMOC_REJECT, "%skernel.vectors[%ld] is not %d at free column %ld", cn,
                          i, i == j, fr[j]);
    for (long i = 0; i < k && !c->rc; i++)
        to_integers(z + i * n, v + i * n, n, l);
    for (long i = 0; i < M->rows && k && !c->rc; i++) { /* M v = 0, one integer row at a time */
        to_integers(row, M->e + i * n, n, l);
        for (long t = 0; t < k && !c->rc; t++) {
            mpz_set_ui(dot, 0);
            for (long j = 0; j < n; j++)
                mpz_addmul(dot, row[j], z[t * n + j]);
            if (mpz_sgn(dot))
                lmoc_fail(c, LMOC_REJECT, "row %ld of the matrix times %skernel.vectors[%ld] is "
                          "not zero", i, cn, t);
        }
    }
    for (long i = 0; v && i < nv; i++)
        mpq_clear(v[i]);
    for (long i = 0; z && i < nv + n; i++)
        mpz_clear(z[i]);
    free(v), free(z), free(fr);
    mpz_clears(l, dot, NULL);
    return c->rc;
}

int lmoc_check_rank(long *rank, lmoc_ctx_t *c, const lmoc_json_t *cert, const char *cn,
                    const lmoc_mat_t *M, const char *id)
{
    const lmoc_json_t *f = lmoc_json_get(cert, "format"), *cl = lmoc_json_get(cert, "claim"),
                      *vid = lmoc_json_get(cert, "vector"), *mi, *ke;
    long rows = 0, cols = 0, r = 0;
    char name[3][40];
    if (!cert || cert->type != LMOC_J_OBJ)
        return lmoc_fail(c, LMOC_EINPUT, "field %s: expected a certificate object",
                         *cn ? "certificate" : "(top level)");
    if (!f || f->type != LMOC_J_STR || strcmp(f->s, "lmo-cert/1"))
        return lmoc_fail(c, LMOC_EINPUT, "field %sformat: expected \"lmo-cert/1\"", cn);
    if (!cl || cl->type != LMOC_J_STR || strcmp(cl->s, "rank"))
        return lmoc_fail(c, LMOC_EINPUT, "field %sclaim: only \"rank\" is supported", cn);
    if (!vid || vid->type != LMOC_J_STR)
        return lmoc_fail(c, LMOC_EINPUT, "field %svector: expected a string", cn);
    if (strcmp(vid->s, id))
        return lmoc_fail(c, LMOC_REJECT, "%svector \"%.80s\" is not the vector's id \"%.80s\"", cn,
                         vid->s, id);
    snprintf(name[0], sizeof name[0], "%srows", cn);
    snprintf(name[1], sizeof name[1], "%scols", cn);
    snprintf(name[2], sizeof name[2], "%srank", cn);
    lmoc_int(&rows, c, lmoc_json_get(cert, "rows"), name[0]);
    lmoc_int(&cols, c, lmoc_json_get(cert, "cols"), name[1]);
    if (lmoc_int(&r, c, lmoc_json_get(cert, "rank"), name[2])) return c->rc;
    if (rows != M->rows || cols != M->cols)
        return lmoc_fail(c, LMOC_REJECT, "certificate shape %ld x %ld is not the matrix's %ld x "
                         "%ld", rows, cols, M->rows, M->cols);
    if (r < 0 || r > M->rows || r > M->cols)
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
