/* mat.c -- exact rational matrices for lmo-check: reading them from JSON, products,
 * Gauss-Jordan elimination and the Khatri-Rao product of Soudry-Carmon (4.4). Small and
 * direct on purpose: the checker's arithmetic must be easy to audit. Every matrix is
 * allocated by lmoc_mat_init, which checks the entry cap and the allocation. */
#include <stdio.h>
#include <stdlib.h>
#include "lmoc.h"

int lmoc_mat_init(lmoc_mat_t *M, lmoc_ctx_t *c, int doc, long rows, long cols, const char *what)
{
    long n;
    *M = (lmoc_mat_t)LMOC_MAT_NONE;
    if (lmoc_entries(&n, c, doc, rows, cols, what)) return c->rc;
    if (!(M->e = lmoc_alloc(c, doc, (size_t)n, sizeof *M->e, what))) return c->rc;
    M->rows = rows, M->cols = cols;
    for (long i = 0; i < n; i++) mpq_init(M->e[i]);
    return 0;
}

void lmoc_mat_clear(lmoc_mat_t *M)
{
    for (long i = 0; M->e && i < M->rows * M->cols; i++) mpq_clear(M->e[i]);
    free(M->e);
    *M = (lmoc_mat_t)LMOC_MAT_NONE;
}

void lmoc_mats_clear(lmoc_mat_t *M, long k)
{
    for (long i = 0; M && i < k; i++) lmoc_mat_clear(&M[i]);
    free(M);
}

int lmoc_mat_copy(lmoc_mat_t *M, lmoc_ctx_t *c, const lmoc_mat_t *A)
{
    if (lmoc_mat_init(M, c, LMOC_V, A->rows, A->cols, "a matrix copy")) return c->rc;
    for (long i = 0; i < A->rows * A->cols; i++) mpq_set(M->e[i], A->e[i]);
    return 0;
}

int lmoc_matrix(lmoc_mat_t *M, lmoc_ctx_t *c, int doc, const lmoc_json_t *j, long rows,
                long cols, const char *name)
{
    static const char *const keys[] = {"rows", "cols", "data", NULL};
    const lmoc_json_t *d = lmoc_json_get(j, "data");
    long m = 0, n = 0;
    char f[200];
    *M = (lmoc_mat_t)LMOC_MAT_NONE;
    if (c->rc) return c->rc;
    if (!j || j->type != LMOC_J_OBJ)
        return lmoc_fail(c, LMOC_EINPUT, doc, "field %s: %s", name,
                         j ? "expected a matrix {\"rows\", \"cols\", \"data\"}" : "is missing");
    snprintf(f, sizeof f, "%s.rows", name);
    lmoc_dim(&m, c, doc, lmoc_json_get(j, "rows"), f);
    snprintf(f, sizeof f, "%s.cols", name);
    if (lmoc_dim(&n, c, doc, lmoc_json_get(j, "cols"), f)) return c->rc;
    if (lmoc_known(c, doc, j, name, keys)) return c->rc;
    if ((rows >= 0 && m != rows) || (cols >= 0 && n != cols))
        return lmoc_fail(c, LMOC_REJECT, doc, "%s is %ld x %ld, expected %ld x %ld", name, m, n,
                         rows >= 0 ? rows : m, cols >= 0 ? cols : n);
    if (!d || d->type != LMOC_J_ARR || (long)d->n != m)
        return lmoc_fail(c, LMOC_EINPUT, doc, "field %s.data: expected an array of %ld rows",
                         name, m);
    for (long i = 0; i < m; i++) /* lengths first: m*n is then bounded by the file size */
        if (d->kid[i].type != LMOC_J_ARR || (long)d->kid[i].n != n)
            return lmoc_fail(c, LMOC_EINPUT, doc, "field %s.data[%ld]: expected an array of %ld "
                             "entries", name, i, n);
    if (lmoc_mat_init(M, c, doc, m, n, name)) return c->rc;
    for (long i = 0; i < m * n && !c->rc; i++) {
        snprintf(f, sizeof f, "%s.data[%ld][%ld]", name, i / n, i % n);
        lmoc_number(M->e[i], c, doc, &d->kid[i / n].kid[i % n], f);
    }
    return c->rc;
}

int lmoc_matrices(lmoc_mat_t **out, long *k, lmoc_ctx_t *c, int doc, const lmoc_json_t *j,
                  const char *name)
{
    char f[200];
    long want = *k;
    *out = NULL, *k = 0;
    if (c->rc) return c->rc;
    if (!j || j->type != LMOC_J_ARR)
        return lmoc_fail(c, LMOC_EINPUT, doc, "field %s: expected an array of matrices", name);
    if (want >= 0 && (long)j->n != want)
        return lmoc_fail(c, LMOC_REJECT, doc, "%s has %zu matrices, expected %ld", name, j->n,
                         want);
    if (!(*out = lmoc_alloc(c, doc, j->n, sizeof **out, name))) return c->rc;
    *k = (long)j->n; /* every slot is {0, 0, NULL} until read: all can be cleared */
    for (long i = 0; i < *k && !c->rc; i++) {
        snprintf(f, sizeof f, "%s[%ld]", name, i);
        lmoc_matrix(&(*out)[i], c, doc, &j->kid[i], -1, -1, f);
    }
    return c->rc;
}

int lmoc_vector(lmoc_mat_t *v, lmoc_ctx_t *c, int doc, const lmoc_json_t *j, long n,
                const char *name)
{
    char f[200];
    *v = (lmoc_mat_t)LMOC_MAT_NONE;
    if (c->rc) return c->rc;
    if (!j || j->type != LMOC_J_ARR)
        return lmoc_fail(c, LMOC_EINPUT, doc, "field %s: expected an array of numbers", name);
    if (n >= 0 && (long)j->n != n)
        return lmoc_fail(c, LMOC_REJECT, doc, "%s has %zu entries, expected %ld", name, j->n, n);
    if (lmoc_mat_init(v, c, doc, 1, (long)j->n, name)) return c->rc;
    for (size_t i = 0; i < j->n && !c->rc; i++) {
        snprintf(f, sizeof f, "%s[%zu]", name, i);
        lmoc_number(v->e[i], c, doc, &j->kid[i], f);
    }
    return c->rc;
}

void lmoc_muladd(lmoc_mat_t *C, const lmoc_mat_t *A, int ta, const lmoc_mat_t *B, int tb)
{
    long n = ta ? A->rows : A->cols;
    mpq_t t;
    mpq_init(t);
    for (long i = 0; i < C->rows; i++)
        for (long k = 0; k < n; k++) {
            const mpq_t *a = ta ? &LMOC_E(A, k, i) : &LMOC_E(A, i, k);
            if (!mpq_sgn(*a)) continue; /* the Hessian's unit directions are mostly zeros */
            for (long j = 0; j < C->cols; j++) {
                mpq_mul(t, *a, tb ? LMOC_E(B, j, k) : LMOC_E(B, k, j));
                mpq_add(LMOC_E(C, i, j), LMOC_E(C, i, j), t);
            }
        }
    mpq_clear(t);
}

int lmoc_mul(lmoc_mat_t *C, lmoc_ctx_t *c, const lmoc_mat_t *A, int ta, const lmoc_mat_t *B,
             int tb)
{
    if (lmoc_mat_init(C, c, LMOC_V, ta ? A->cols : A->rows, tb ? B->rows : B->cols,
                      "a matrix product")) return c->rc;
    lmoc_muladd(C, A, ta, B, tb);
    return 0;
}

long lmoc_rref(lmoc_mat_t *A, lmoc_mat_t *B)
{
    lmoc_mat_t *M[2] = {A, B};
    long r = 0;
    mpq_t f, t;
    mpq_inits(f, t, NULL);
    for (long k = 0; k < A->cols && r < A->rows; k++) {
        long p = r;
        while (p < A->rows && !mpq_sgn(LMOC_E(A, p, k)))
            p++;
        if (p == A->rows) continue;
        mpq_inv(f, LMOC_E(A, p, k));
        for (int s = 0; s < 2 && M[s]; s++) /* row p, scaled to pivot 1, becomes row r */
            for (long j = 0; j < M[s]->cols; j++) {
                mpq_swap(LMOC_E(M[s], p, j), LMOC_E(M[s], r, j));
                mpq_mul(LMOC_E(M[s], r, j), LMOC_E(M[s], r, j), f);
            }
        for (long i = 0; i < A->rows; i++) { /* clear column k in every other row */
            if (i == r || !mpq_sgn(LMOC_E(A, i, k))) continue;
            mpq_set(f, LMOC_E(A, i, k));
            for (int s = 0; s < 2 && M[s]; s++)
                for (long j = 0; j < M[s]->cols; j++) {
                    mpq_mul(t, f, LMOC_E(M[s], r, j));
                    mpq_sub(LMOC_E(M[s], i, j), LMOC_E(M[s], i, j), t);
                }
        }
        r++;
    }
    mpq_clears(f, t, NULL);
    return r;
}

long lmoc_rank(lmoc_ctx_t *c, const lmoc_mat_t *A)
{
    lmoc_mat_t T;
    if (lmoc_mat_copy(&T, c, A)) return -1;
    long r = lmoc_rref(&T, NULL);
    lmoc_mat_clear(&T);
    return r;
}

int lmoc_khatri_rao(lmoc_mat_t *G, lmoc_ctx_t *c, const lmoc_mat_t *A, const lmoc_mat_t *X)
{
    long d0 = X->rows, N = A->cols, rows;
    *G = (lmoc_mat_t)LMOC_MAT_NONE;
    if (c->rc) return c->rc;
    if (X->cols != N)
        return lmoc_fail(c, LMOC_EINPUT, LMOC_V, "field input.X: has %ld columns, the other "
                         "factor has %ld", X->cols, N);
    if (lmoc_entries(&rows, c, LMOC_V, A->rows, d0, "the Khatri-Rao product A o X") ||
        lmoc_mat_init(G, c, LMOC_V, rows, N, "the Khatri-Rao product A o X"))
        return c->rc;
    for (long e = 0; e < G->rows * N; e++) /* row i*d0 + j, column n */
        mpq_mul(G->e[e], LMOC_E(A, e / N / d0, e % N), LMOC_E(X, e / N % d0, e % N));
    return 0;
}

int lmoc_mat_eq(const lmoc_mat_t *A, const lmoc_mat_t *B)
{
    long i = 0;
    if (A->rows != B->rows || A->cols != B->cols) return 0;
    while (i < A->rows * A->cols && mpq_equal(A->e[i], B->e[i]))
        i++;
    return i == A->rows * A->cols;
}
